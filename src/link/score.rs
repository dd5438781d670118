//! Match weights (Fellegi–Sunter): how much each field's agreement says.
//!
//! Takes the comparisons of the candidate pairs and of a random sample of
//! pairs and gives a [`Model`]: for every field and level, m (how often a
//! true pair shows it) and u (how often a random pair does), m estimated by
//! EM from the candidates starting at sensible defaults, u counted on the
//! random sample, and a name's agreement adjusted by how common the name
//! is (张伟 says less than 欧阳娜娜). Sums are taken in fixed chunks in a
//! fixed order, so the model is the same with any number of threads.

use rayon::prelude::*;
use serde::Serialize;

use crate::block::FnvMap;
use crate::compare::{Comparison, DateLevel, IdLevel, MotherLevel, NameLevel, Simple};

pub const FIELDS: [&str; 6] = ["id", "name", "birth", "sex", "village", "mother"];
/// Levels per field; the last-but-one of each is "missing", which says
/// nothing either way.
pub const LEVELS: [usize; 6] = [5, 6, 5, 3, 3, 4];
const MISSING: [usize; 6] = [3, 4, 3, 1, 1, 2];

/// The level indexes of a comparison, field by field.
pub fn levels(c: &Comparison) -> [u8; 6] {
    let id = match c.id {
        IdLevel::Equal => 0,
        IdLevel::OneSubstitution { .. } | IdLevel::AdjacentSwap { .. } => 1,
        IdLevel::Damaged => 2,
        IdLevel::Missing => 3,
        IdLevel::Different => 4,
    };
    let name = match c.name {
        NameLevel::Equal => 0,
        NameLevel::SamePinyin { .. } => 1,
        NameLevel::SimilarShape { .. } => 2,
        NameLevel::Close => 3,
        NameLevel::Missing => 4,
        NameLevel::Different => 5,
    };
    let birth = match c.birth {
        DateLevel::Equal => 0,
        DateLevel::DayMonthSwapped => 1,
        DateLevel::OneDigit => 2,
        DateLevel::Missing => 3,
        DateLevel::Different => 4,
    };
    let simple = |s: Simple| match s {
        Simple::Equal => 0,
        Simple::Missing => 1,
        Simple::Different => 2,
    };
    let mother = match c.mother {
        MotherLevel::Equal => 0,
        MotherLevel::OneTypo => 1,
        MotherLevel::Missing => 2,
        MotherLevel::Different => 3,
    };
    [id, name, birth, simple(c.sex), simple(c.village), mother]
}

/// m and u of every level of every field, and the prior.
#[derive(Clone, Debug, Serialize)]
pub struct Model {
    pub m: [Vec<f64>; 6],
    pub u: [Vec<f64>; 6],
    /// The share of candidate pairs that are matches (the prior), taken as
    /// the share whose ID numbers agree or are one typo apart.
    pub lambda: f64,
    pub em_iterations: usize,
}

/// Where EM starts: what a statistician would guess.
fn default_m() -> [Vec<f64>; 6] {
    [
        vec![0.95, 0.025, 0.005, 0.015, 0.005],
        vec![0.85, 0.04, 0.01, 0.03, 0.05, 0.02],
        vec![0.93, 0.01, 0.02, 0.02, 0.02],
        vec![0.96, 0.03, 0.01],
        vec![0.85, 0.10, 0.05],
        vec![0.90, 0.04, 0.05, 0.01],
    ]
}

const FLOOR: f64 = 1e-9;
/// How many observed pairs the default m values weigh in EM.
const PRIOR_PAIRS: f64 = 2_000.0;
const CHUNK: usize = 1 << 14;

/// Counts of levels, summed in fixed chunks in order (thread-independent).
fn level_shares(levels: &[[u8; 6]], weights: Option<&[f64]>) -> [Vec<f64>; 6] {
    let partial: Vec<[Vec<f64>; 6]> = levels
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| {
            let mut sums: [Vec<f64>; 6] = LEVELS.map(|n| vec![0.0; n]);
            for (k, l) in chunk.iter().enumerate() {
                let w = weights.map_or(1.0, |w| w[c * CHUNK + k]);
                for f in 0..6 {
                    sums[f][l[f] as usize] += w;
                }
            }
            sums
        })
        .collect();
    let mut total: [Vec<f64>; 6] = LEVELS.map(|n| vec![0.0; n]);
    for p in partial {
        for f in 0..6 {
            for (t, x) in total[f].iter_mut().zip(&p[f]) {
                *t += x;
            }
        }
    }
    total
}

fn normalise(counts: &[f64]) -> Vec<f64> {
    let sum: f64 = counts.iter().sum();
    counts
        .iter()
        .map(|c| ((c + 0.5) / (sum + 0.5 * counts.len() as f64)).max(FLOOR))
        .collect()
}

impl Model {
    /// Estimates u from the random pairs and m by EM on the candidate pairs,
    /// in sessions as Splink does: the pairs a blocking rule proposed agree
    /// on that rule's fields by construction, so in a session on them those
    /// fields are left out of the evidence and their m is not learnt there.
    /// `sessions` lists (pairs' levels, fields the session blocked on).
    pub fn fit(
        sessions: &[(Vec<[u8; 6]>, Vec<usize>)],
        random: &[[u8; 6]],
        iterations: usize,
        lambda: f64,
    ) -> Model {
        let u_counts = level_shares(random, None);
        let u: [Vec<f64>; 6] = std::array::from_fn(|f| normalise(&u_counts[f]));
        let defaults = default_m();
        let mut model = Model {
            m: defaults.clone(),
            u,
            lambda: lambda.clamp(0.01, 0.99),
            em_iterations: 0,
        };
        // What each session taught, field by field: (sum of posterior-weighted
        // level counts, sessions that taught it).
        let mut learnt: [Vec<f64>; 6] = LEVELS.map(|n| vec![0.0; n]);
        for (pairs, blocked) in sessions {
            if pairs.is_empty() {
                continue;
            }
            let mut m = defaults.clone();
            let mut lambda = 0.5;
            let mut shares = LEVELS.map(|n| vec![0.0; n]);
            for _ in 0..iterations {
                let session = Model {
                    m: m.clone(),
                    u: model.u.clone(),
                    lambda,
                    em_iterations: 0,
                };
                // Each level's weight once per iteration; a blocked field's is 0.
                let table: Vec<Vec<f64>> = (0..6)
                    .map(|f| {
                        (0..LEVELS[f] as u8)
                            .map(|l| {
                                if blocked.contains(&f) {
                                    0.0
                                } else {
                                    session.field_weight(f, l, None)
                                }
                            })
                            .collect()
                    })
                    .collect();
                let prior = (lambda / (1.0 - lambda)).log2();
                let posteriors: Vec<f64> = pairs
                    .par_iter()
                    .map(|l| {
                        let w: f64 = (0..6).map(|f| table[f][l[f] as usize]).sum();
                        session.probability(prior + w)
                    })
                    .collect();
                shares = level_shares(pairs, Some(&posteriors));
                let total: f64 = posteriors
                    .chunks(CHUNK)
                    .map(|c| c.iter().sum::<f64>())
                    .sum();
                let next_lambda = (total / pairs.len() as f64).clamp(1e-4, 1.0 - 1e-4);
                let next: [Vec<f64>; 6] = std::array::from_fn(|f| {
                    let with_prior: Vec<f64> = shares[f]
                        .iter()
                        .zip(&defaults[f])
                        .map(|(c, d)| c + PRIOR_PAIRS * d)
                        .collect();
                    normalise(&with_prior)
                });
                let moved = (next_lambda - lambda).abs()
                    + (0..6)
                        .map(|f| {
                            next[f]
                                .iter()
                                .zip(&m[f])
                                .map(|(a, b)| (a - b).abs())
                                .sum::<f64>()
                        })
                        .sum::<f64>();
                m = next;
                lambda = next_lambda;
                model.em_iterations += 1;
                if moved < 1e-6 {
                    break;
                }
            }
            for f in (0..6).filter(|f| !blocked.contains(f)) {
                for (t, x) in learnt[f].iter_mut().zip(&shares[f]) {
                    *t += x;
                }
            }
        }
        for f in 0..6 {
            let with_prior: Vec<f64> = learnt[f]
                .iter()
                .zip(&defaults[f])
                .map(|(c, d)| c + PRIOR_PAIRS * d)
                .collect();
            model.m[f] = normalise(&with_prior);
        }
        model
    }

    /// The weight of one field's level (log2 of m over u); zero when missing.
    /// `name_u` replaces u of an equal name by that name's frequency.
    pub fn field_weight(&self, field: usize, level: u8, name_u: Option<f64>) -> f64 {
        let level = level as usize;
        if level == MISSING[field] {
            return 0.0;
        }
        let u = match (field, level, name_u) {
            (1, 0, Some(tf)) => tf.max(FLOOR),
            _ => self.u[field][level],
        };
        (self.m[field][level] / u).log2()
    }

    /// The match weight: the prior's and every field's, in bits.
    pub fn weight(&self, levels: &[u8; 6], name_u: Option<f64>) -> f64 {
        let prior = (self.lambda / (1.0 - self.lambda)).log2();
        prior
            + (0..6)
                .map(|f| self.field_weight(f, levels[f], name_u))
                .sum::<f64>()
    }

    pub fn probability(&self, weight: f64) -> f64 {
        let odds = weight.exp2();
        odds / (1.0 + odds)
    }
}

/// How often each normalised name occurs among `names`: the u of an equal
/// name, for the term-frequency adjustment.
pub fn name_frequencies<'a>(names: impl Iterator<Item = &'a str>) -> FnvMap<&'a str, f64> {
    let mut counts: FnvMap<&str, usize> = FnvMap::default();
    let mut n = 0usize;
    for name in names.filter(|s| !s.is_empty()) {
        *counts.entry(name).or_default() += 1;
        n += 1;
    }
    counts
        .into_iter()
        .map(|(k, c)| (k, c as f64 / n.max(1) as f64))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(id: u8, name: u8, birth: u8) -> [u8; 6] {
        [id, name, birth, 0, 0, 2]
    }

    #[test]
    fn em_learns_that_equal_ids_mean_a_match() {
        // 900 true pairs (equal ID, name, birth), 100 that share only a surname
        // and birth date, and random pairs that agree on almost nothing.
        let mut candidates = vec![l(0, 0, 0); 900];
        candidates.extend(vec![[4, 5, 0, 0, 2, 2]; 100]);
        let random: Vec<[u8; 6]> = (0..10_000)
            .map(|i| {
                let every = |n: usize, hit: u8, miss: u8| if i % n == 0 { hit } else { miss };
                [
                    4,
                    every(500, 0, 5),
                    every(3000, 0, 4),
                    every(2, 0, 2),
                    every(50, 0, 2),
                    2,
                ]
            })
            .collect();
        // One session blocked on birth date (the look-alikes come from it).
        let model = Model::fit(&[(candidates, vec![2])], &random, 20, 0.9);
        assert!(
            model.m[0][4] < 0.03,
            "ID numbers of true pairs rarely differ: {model:#?}"
        );
        let true_pair = model.weight(&l(0, 0, 0), None);
        let false_pair = model.weight(&[4, 5, 0, 0, 2, 2], None);
        assert!(
            true_pair > 10.0 && false_pair < 0.0,
            "{true_pair} {false_pair}"
        );
        // A missing field says nothing.
        assert_eq!(model.field_weight(0, 3, None), 0.0);
        // A common name says less than a rare one.
        let common = model.field_weight(1, 0, Some(1e-3));
        let rare = model.field_weight(1, 0, Some(1e-6));
        assert!(rare > common + 9.0, "{rare} {common}");
    }

    #[test]
    fn the_model_does_not_depend_on_the_thread_count() {
        let candidates: Vec<[u8; 6]> = (0..100_000u32)
            .map(|i| l((i % 5) as u8, (i % 6) as u8, (i % 5) as u8))
            .collect();
        let random: Vec<[u8; 6]> = (0..50_000u32)
            .map(|i| l(4, (i % 6) as u8, (i % 5) as u8))
            .collect();
        let fit = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| Model::fit(&[(candidates.clone(), vec![0])], &random, 5, 0.5))
        };
        let (one, four) = (fit(1), fit(4));
        assert_eq!(one.lambda.to_bits(), four.lambda.to_bits());
        for f in 0..6 {
            for (a, b) in one.m[f].iter().zip(&four.m[f]) {
                assert_eq!(a.to_bits(), b.to_bits());
            }
        }
    }
}
