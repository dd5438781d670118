//! The matching engine: which records of two registers are the same person.
//!
//! Takes the persons of two registers (see [`person`]) and gives
//! [`Links`]: every pair worth reporting with its band (link, review, no
//! link), match weight, field levels and explanation, one-to-one (a record
//! links to at most one record on the other side). Blocking
//! ([`crate::block`]) proposes candidates, comparing ([`crate::compare`])
//! grades each field, [`score`] weighs the grades (Fellegi–Sunter, m by EM,
//! u from random pairs, common names adjusted), and the best pairs are taken
//! greedily, highest weight first, ties broken by row. rayon is used here and
//! in the stages it calls only; every result is sorted before it is
//! returned, so any thread count gives the same links.

pub mod explain;
pub mod person;
pub mod score;

use rayon::prelude::*;
use serde::Serialize;

use crate::block::{self, Candidates, FnvMap, Rule};
use crate::compare::{Comparison, compare};
use crate::identity::Date;
use person::Person;
use score::{Model, levels, name_frequencies};

/// Where the bands begin, in bits of match weight.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Thresholds {
    /// At or above: the same person.
    pub link: f64,
    /// At or above (and below `link`): a village should confirm.
    pub review: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            link: 15.0,
            review: 5.0,
        }
    }
}

#[derive(Clone, Debug)]
pub struct LinkOptions {
    /// Whether each side's records are one per person (WIS, household, a
    /// certificate's child) — then persons link one-to-one — or events that
    /// name a person (a mother's several certificates, a woman's several
    /// registrations), which may all link to the same person.
    pub exclusive: (bool, bool),
    pub rules: Vec<Rule>,
    pub thresholds: Thresholds,
    pub as_of: Date,
    /// Random pairs sampled to estimate u.
    pub random_pairs: usize,
    pub em_iterations: usize,
}

impl LinkOptions {
    pub fn new(as_of: Date) -> LinkOptions {
        LinkOptions {
            exclusive: (true, true),
            rules: vec![
                Rule::ExactId,
                Rule::IdTypo,
                Rule::DamagedId,
                Rule::BirthSurname,
                Rule::NameVillage,
            ],
            thresholds: Thresholds::default(),
            as_of,
            random_pairs: 200_000,
            em_iterations: 25,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Link,
    Review,
    NoLink,
}

impl Band {
    pub fn key(self) -> &'static str {
        match self {
            Band::Link => "link",
            Band::Review => "review",
            Band::NoLink => "no_link",
        }
    }
}

/// One reported pair.
#[derive(Clone, Debug, Serialize)]
pub struct Pair {
    /// Record indexes in the two canonical tables.
    pub left: u32,
    pub right: u32,
    pub band: Band,
    pub weight: f64,
    pub probability: f64,
    pub comparison: Comparison,
    /// Each field's share of the weight (id, name, birth, sex, village, mother).
    pub field_weights: [f64; 6],
    pub explanation: String,
}

/// What linking found, and how.
#[derive(Debug, Serialize)]
pub struct Links {
    /// Links and reviews one-to-one, then for each left record left
    /// without, its best candidate as `no_link`; sorted by left, right.
    pub pairs: Vec<Pair>,
    pub candidates: usize,
    pub by_rule: Vec<(Rule, usize)>,
    pub skipped_blocks: usize,
    pub model: Model,
    pub timings: Vec<(&'static str, f64)>,
}

/// For each record, the first record of its person on the same side: the
/// records that share a valid ID number, or a name, birth date and village.
fn same_person_groups(persons: &[Person]) -> Vec<u32> {
    let mut by_id: FnvMap<&str, u32> = FnvMap::default();
    let mut by_name: FnvMap<(&str, Date, &str), u32> = FnvMap::default();
    let mut group: Vec<u32> = (0..persons.len() as u32).collect();
    for (i, p) in persons.iter().enumerate() {
        let mut first = None;
        if let Some(id) = p.id.as_deref().filter(|_| p.id_valid) {
            first = Some(*by_id.entry(id).or_insert(i as u32));
        }
        let village = p.village_code.as_deref().or(p.village_name.as_deref());
        if let (false, Some(b), Some(v)) = (p.name.is_empty(), p.birth, village) {
            let g = *by_name
                .entry((p.name.as_str(), b, v))
                .or_insert(first.unwrap_or(i as u32));
            first = Some(first.map_or(g, |f| f.min(g)));
        }
        group[i] = first.map_or(i as u32, |f| group[f as usize]);
    }
    group
}

/// A deterministic sample of random pairs (SplitMix64).
fn random_pairs(n_left: usize, n_right: usize, count: usize) -> Vec<(u32, u32)> {
    if n_left == 0 || n_right == 0 {
        return Vec::new();
    }
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..count)
        .map(|_| {
            (
                (next() % n_left as u64) as u32,
                (next() % n_right as u64) as u32,
            )
        })
        .collect()
}

/// The level index of "different" ID numbers (see `score::levels`).
const ID_DIFFERENT: u8 = 4;

/// The weight, at most, of two valid ID numbers whose 17 digits differ by
/// more than one slip (`compare::one_slip_in_digits`). Both check
/// characters pass and no single slip turns one into the other: they are
/// two people. EM learns this level's weight from all "different"
/// pairs, damaged and invalid numbers included, and in a county of a
/// million it was too mild to outweigh a common name (李倩) and a birth
/// date shared by chance: an outsider mother was linked to a local woman
/// (docs/performance.md). -40 bits outweighs any agreement of the others.
const VALID_IDS_DIFFER: f64 = -40.0;

/// Links `left` to `right`.
pub fn link(left: &[Person], right: &[Person], options: &LinkOptions) -> Links {
    let mut timings = Vec::new();
    let clock = std::time::Instant::now();
    let Candidates {
        pairs: candidates,
        by_rule,
        skipped_blocks,
    } = block::candidates(left, right, &options.rules, options.as_of);
    timings.push(("block", clock.elapsed().as_secs_f64()));

    let clock = std::time::Instant::now();
    let comparisons: Vec<Comparison> = candidates
        .par_iter()
        .map(|&(l, r, _)| compare(&left[l as usize], &right[r as usize]))
        .collect();
    let cand_levels: Vec<[u8; 6]> = comparisons.par_iter().map(levels).collect();
    let random: Vec<[u8; 6]> = random_pairs(left.len(), right.len(), options.random_pairs)
        .par_iter()
        .map(|&(l, r)| levels(&compare(&left[l as usize], &right[r as usize])))
        .collect();
    timings.push(("compare", clock.elapsed().as_secs_f64()));

    let clock = std::time::Instant::now();
    // EM sessions by blocking rule, each blind to the fields its rule
    // blocked on (see score::Model::fit).
    let session = |bits: u8, blocked: Vec<usize>| {
        let pairs: Vec<[u8; 6]> = candidates
            .iter()
            .zip(&cand_levels)
            .filter(|(c, _)| c.2 & bits != 0)
            .map(|(_, l)| *l)
            .collect();
        (pairs, blocked)
    };
    let sessions = [
        session(
            Rule::ExactId.bit() | Rule::IdTypo.bit() | Rule::DamagedId.bit(),
            vec![0],
        ),
        session(Rule::BirthSurname.bit(), vec![2]),
        session(Rule::MotherBirth.bit(), vec![2, 5]),
        session(Rule::NameVillage.bit(), vec![1, 4]),
    ];
    let agreeing = cand_levels.iter().filter(|l| l[0] <= 1).count();
    let lambda = agreeing as f64 / cand_levels.len().max(1) as f64;
    let model = Model::fit(&sessions, &random, options.em_iterations, lambda);
    let freq = name_frequencies(right.iter().map(|p| p.name.as_str()));
    // Every level's weight once; only an equal name's depends on the name.
    let table: Vec<Vec<f64>> = (0..6)
        .map(|f| {
            (0..score::LEVELS[f] as u8)
                .map(|l| model.field_weight(f, l, None))
                .collect()
        })
        .collect();
    let prior = (model.lambda / (1.0 - model.lambda)).log2();
    let scored: Vec<(f64, [f64; 6])> = candidates
        .par_iter()
        .zip(&cand_levels)
        .map(|(&(l, r, _), lv)| {
            let mut fw: [f64; 6] = std::array::from_fn(|f| {
                if f == 1 && lv[1] == 0 {
                    let tf = freq.get(right[r as usize].name.as_str()).copied();
                    model.field_weight(1, 0, tf)
                } else {
                    table[f][lv[f] as usize]
                }
            });
            let (a, b) = (&left[l as usize], &right[r as usize]);
            if lv[0] == ID_DIFFERENT
                && a.id_valid
                && b.id_valid
                && !a
                    .id
                    .as_deref()
                    .zip(b.id.as_deref())
                    .is_some_and(|(x, y)| crate::compare::one_slip_in_digits(x, y))
            {
                fw[0] = fw[0].min(VALID_IDS_DIFFER);
            }
            (prior + fw.iter().sum::<f64>(), fw)
        })
        .collect();
    timings.push(("score", clock.elapsed().as_secs_f64()));

    let clock = std::time::Instant::now();
    // Highest weight first; ties by left row, then right row.
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.par_sort_unstable_by(|&a, &b| {
        scored[b]
            .0
            .total_cmp(&scored[a].0)
            .then((candidates[a].0, candidates[a].1).cmp(&(candidates[b].0, candidates[b].1)))
    });
    // A record links to at most one person of the other side. Where both
    // sides hold one record per person, persons link one-to-one: a person is
    // one record, or the records one side holds for the same person (the
    // same valid ID number, or the same name and birth date in one village:
    // what Q03 reports), each of which links to the other side's person.
    // Where a side holds events (certificates, registrations), its records
    // may share a person of the other side.
    let left_person = same_person_groups(left);
    let right_person = same_person_groups(right);
    let one_to_one = options.exclusive.0 && options.exclusive.1;
    let mut left_record_partner: Vec<Option<u32>> = vec![None; left.len()];
    let mut right_record_partner: Vec<Option<u32>> = vec![None; right.len()];
    let mut left_partner: Vec<Option<u32>> = vec![None; left.len()];
    let mut right_partner: Vec<Option<u32>> = vec![None; right.len()];
    let mut best_left: Vec<Option<usize>> = vec![None; left.len()];
    let mut chosen: Vec<(usize, Band)> = Vec::new();
    for &k in &order {
        let (l, r) = (candidates[k].0 as usize, candidates[k].1 as usize);
        if best_left[l].is_none() {
            best_left[l] = Some(k);
        }
        if scored[k].0 < options.thresholds.review {
            continue;
        }
        let (lp, rp) = (left_person[l], right_person[r]);
        let records_free = if one_to_one {
            // One of the two records may already be linked, to this pair's
            // person: a duplicate joining its twin's link.
            let l_ok = left_record_partner[l].is_none_or(|p| p == rp);
            let r_ok = right_record_partner[r].is_none_or(|p| p == lp);
            l_ok && r_ok && (left_record_partner[l].is_none() || right_record_partner[r].is_none())
        } else {
            // Each event record links to one person (all of that person's
            // records, if the register holds it twice); the person side may
            // take many events.
            (!options.exclusive.0 && left_record_partner[l].is_none_or(|p| p == rp))
                || (!options.exclusive.1
                    && options.exclusive.0
                    && right_record_partner[r].is_none_or(|p| p == lp))
        };
        let persons_free = !one_to_one
            || (left_partner[lp as usize].is_none_or(|p| p == rp)
                && right_partner[rp as usize].is_none_or(|p| p == lp));
        if !records_free || !persons_free {
            continue;
        }
        left_record_partner[l] = Some(rp);
        right_record_partner[r] = Some(lp);
        left_partner[lp as usize] = Some(rp);
        right_partner[rp as usize] = Some(lp);
        let band = if scored[k].0 >= options.thresholds.link {
            Band::Link
        } else {
            Band::Review
        };
        chosen.push((k, band));
    }
    for (l, best) in best_left.iter().enumerate() {
        if let (None, Some(k)) = (left_record_partner[l], best) {
            chosen.push((*k, Band::NoLink));
        }
    }
    chosen.sort_unstable_by_key(|&(k, _)| (candidates[k].0, candidates[k].1));
    let pairs: Vec<Pair> = chosen
        .into_par_iter()
        .map(|(k, band)| Pair {
            left: candidates[k].0,
            right: candidates[k].1,
            band,
            weight: scored[k].0,
            probability: model.probability(scored[k].0),
            comparison: comparisons[k],
            field_weights: scored[k].1,
            explanation: explain::explain(&comparisons[k]),
        })
        .collect();
    timings.push(("assign", clock.elapsed().as_secs_f64()));
    Links {
        pairs,
        candidates: candidates.len(),
        by_rule,
        skipped_blocks,
        model,
        timings,
    }
}
