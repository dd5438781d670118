//! Lags and errors, put into the registers on purpose.
//!
//! Takes the perfect registers, the truth behind them, the rates and the
//! seed, and gives the registers as real systems hold them: WIS missing
//! people and keeping the departed, WIS not following a divorce or a move
//! of registration, ID numbers, names and dates mistyped as clerks mistype
//! them, a grandmother's number on a birth certificate, one sheet of IDs
//! turned into numbers by a spreadsheet, and (in a second step, once the
//! cases of the first are known) records entered twice. Each kind picks
//! its records with its own random stream and its rate, and at least
//! [`MIN_PER_KIND`] of them where any record qualifies; a record receives
//! at most one change, so every case can be traced to one cause. Which
//! categories each change causes is not decided here: `classify` applies
//! the rules of the domain brief to the result.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::rates::Rates;
use super::registers::{Register, Registers, WisRecord};
use super::rng::Rng;
use super::world::{Hukou, Pid, World};
use crate::identity::{Date, Sex};

mod lags;
mod twice;
mod typos;

pub use twice::duplicate;

/// How many records each kind of change touched, by kind.
pub type Log = BTreeMap<&'static str, usize>;

struct Injector<'a> {
    world: &'a World,
    r: &'a mut Registers,
    rates: &'a Rates,
    as_of: Date,
    seed: u64,
    log: Log,
    removed: Vec<bool>,
    /// Every ID number in use, so a changed number never becomes another
    /// person's.
    ids: HashSet<String>,
    /// (village, normalised name, birth date) of WIS and household
    /// records, so a changed name never makes two people look like one.
    wis_keys: HashSet<(u32, String, Date)>,
    hh_keys: HashSet<(u32, String, Date)>,
    /// Each woman's registrations (indices into the world's), oldest first.
    histories: HashMap<Pid, Vec<u32>>,
    /// The kind picked last and its records, until they are counted.
    pending: Option<(&'static str, Register, Vec<u32>)>,
}

/// Each candidate with probability `rate`, topped up at random to `min`
/// (or as many as there are); sorted.
fn choose(rng: &mut Rng, rate: f64, candidates: &[u32], min: usize) -> Vec<u32> {
    let mut chosen = Vec::new();
    let mut rest = Vec::new();
    for &c in candidates {
        if rng.chance(rate) {
            chosen.push(c);
        } else {
            rest.push(c);
        }
    }
    while chosen.len() < min && !rest.is_empty() {
        let i = rng.index(rest.len());
        chosen.push(rest.swap_remove(i));
    }
    chosen.sort_unstable();
    chosen
}

/// Applies every lag and error of the first step.
pub fn inject(world: &World, r: &mut Registers, rates: &Rates, as_of: Date, seed: u64) -> Log {
    let ids = world.people.iter().map(|p| p.id.clone()).collect();
    let wis_keys = r
        .wis
        .iter()
        .map(|w| (w.sheet_village, w.name.clone(), w.birth))
        .collect();
    let hh_keys = r
        .household
        .iter()
        .map(|h| (h.village, h.name.clone(), h.birth))
        .collect();
    let removed = vec![false; r.wis.len()];
    let mut histories: HashMap<Pid, Vec<u32>> = HashMap::new();
    for (i, reg) in world.registrations.iter().enumerate() {
        histories.entry(reg.woman).or_default().push(i as u32);
    }
    for h in histories.values_mut() {
        h.sort_by_key(|&i| (world.registrations[i as usize].date, i));
    }
    let mut inj = Injector {
        world,
        r,
        rates,
        as_of,
        seed,
        log: Log::new(),
        removed,
        ids,
        wis_keys,
        hh_keys,
        histories,
        pending: None,
    };
    inj.wis_lags();
    inj.wis_errors();
    inj.household_errors();
    inj.marriage_errors();
    inj.birth_errors();
    inj.finish();
    inj.log
}

impl Injector<'_> {
    fn rng(&self, kind: &str) -> Rng {
        Rng::stream(self.seed, kind, 0)
    }

    /// Each candidate with probability `rate`, topped up to the minimum;
    /// sorted.
    fn pick(
        &mut self,
        kind: &'static str,
        rate: f64,
        candidates: &[u32],
        min: usize,
    ) -> (Vec<u32>, Rng) {
        self.settle();
        let mut rng = self.rng(kind);
        let chosen = choose(&mut rng, rate, candidates, min);
        *self.log.entry(kind).or_insert(0) += chosen.len();
        (chosen, rng)
    }

    /// Like [`pick`](Self::pick) for records of `register`: the log counts
    /// the ones really changed (a slip that would make two people look
    /// like one is not made).
    fn pick_records(
        &mut self,
        kind: &'static str,
        rate: f64,
        candidates: &[u32],
        min: usize,
        register: Register,
    ) -> (Vec<u32>, Rng) {
        let (chosen, rng) = self.pick(kind, rate, candidates, min);
        self.pending = Some((kind, register, chosen.clone()));
        (chosen, rng)
    }

    /// Counts the records the last kind changed.
    fn settle(&mut self) {
        if let Some((kind, register, chosen)) = self.pending.take() {
            let r = &self.r;
            let changed = |i: u32| {
                let i = i as usize;
                match register {
                    Register::Wis => r.wis[i].changed.any(),
                    Register::Household => r.household[i].changed.any(),
                    Register::Marriage => r.marriage[i].changed.any(),
                    Register::Birth => r.birth[i].changed.any(),
                }
            };
            let n = chosen.iter().filter(|&&i| changed(i)).count();
            self.log.insert(kind, n);
        }
    }

    fn wis_free(&self, i: usize) -> bool {
        !self.removed.get(i).copied().unwrap_or(false) && !self.r.wis[i].changed.any()
    }

    fn wis_candidates(&self, keep: impl Fn(&WisRecord) -> bool) -> Vec<u32> {
        (0..self.r.wis.len())
            .filter(|&i| self.wis_free(i) && keep(&self.r.wis[i]))
            .map(|i| i as u32)
            .collect()
    }

    fn person(&self, pid: Pid) -> &crate::sample::world::Person {
        &self.world.people[pid as usize]
    }

    /// A woman counts for H01 if her household record is active and she is
    /// married and 20–49.
    fn in_h01_scope(&self, pid: Pid) -> bool {
        let p = self.person(pid);
        p.sex == Sex::Female
            && p.hukou == Hukou::Active
            && p.marital.is_married()
            && (20..=49).contains(&p.birth.age_on(self.as_of))
    }

    fn finish(&mut self) {
        self.settle();
        let removed = std::mem::take(&mut self.removed);
        let mut i = 0;
        self.r.wis.retain(|_| {
            let keep = !removed[i];
            i += 1;
            keep
        });
    }
}

/// The year whose certificate sheet holds the mothers' numbers as numbers:
/// 2016, or the as-of year when the county is seen before that.
pub fn damaged_year(as_of: Date) -> i32 {
    2016.min(as_of.year()).max(2011)
}

/// What a spreadsheet shows for an 18-digit number it stored as a float:
/// 15 significant digits, `3.70404199001011E+17`.
pub fn float_shown(id: &str) -> (f64, String) {
    let digits = &id[..15.min(id.len())];
    let value: u64 = digits.parse().unwrap_or(0);
    let float = (value as f64) * 1000.0;
    let mantissa = digits.trim_end_matches('0');
    let shown = match mantissa.len() {
        0 => "0".to_string(),
        1 => format!("{mantissa}E+17"),
        _ => format!("{}.{}E+17", &mantissa[..1], &mantissa[1..]),
    };
    (float, shown)
}
