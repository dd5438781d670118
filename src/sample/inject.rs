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

use super::families::{births_from, plus_years};
use super::names;
use super::rates::{MIN_PER_KIND, Rates};
use super::registers::{BirthKind, BirthRecord, Fields, Place, Register, Registers, WisRecord};
use super::rng::Rng;
use super::slips;
use super::world::{Hukou, Lives, Pid, RegKind, World};
use crate::identity::id_number::check_character;
use crate::identity::{Date, Marital, Sex, normalize_name};

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

    fn person(&self, pid: Pid) -> &super::world::Person {
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

    fn wis_lags(&mut self) {
        let rates = self.rates;
        let as_of = self.as_of;
        let newborn = |w: &WisRecord| as_of.days_since_epoch() - w.birth.days_since_epoch() < 180;

        // People WIS never heard of.
        let babies = self.wis_candidates(|w| newborn(w));
        let (gone, _) = self.pick("wis_missing_newborn", rates.wis_missing_newborn, &babies, 0);
        let others = self.wis_candidates(|w| !newborn(w));
        let (more, mut rng) = self.pick("wis_missing", rates.wis_missing, &others, MIN_PER_KIND);
        for i in gone.into_iter().chain(more) {
            self.removed[i as usize] = true;
        }
        // Enough of them married women 20–49 (H01) and children with a
        // certificate of a local mother (B01), however small the county.
        let women: Vec<u32> = self
            .wis_candidates(|_| true)
            .into_iter()
            .filter(|&i| self.in_h01_scope(self.r.wis[i as usize].person))
            .collect();
        let already = (0..self.r.wis.len())
            .filter(|&i| self.removed[i] && self.in_h01_scope(self.r.wis[i].person))
            .count();
        self.top_up_removal("wis_missing", &women, already, &mut rng);
        let certified: HashSet<Pid> = self
            .r
            .birth
            .iter()
            .filter(|b| b.child_birth >= births_from() && self.person(b.mother).is_local())
            .map(|b| b.child)
            .collect();
        let children: Vec<u32> = self.wis_candidates(|w| certified.contains(&w.person));
        let already = (0..self.r.wis.len())
            .filter(|&i| self.removed[i] && certified.contains(&self.r.wis[i].person))
            .count();
        self.top_up_removal("wis_missing", &children, already, &mut rng);

        // People who died or moved out, still in WIS.
        let departed: Vec<u32> = (0..self.world.people.len() as u32)
            .filter(|&p| {
                let p = self.person(p);
                !p.external && matches!(p.hukou, Hukou::Dead(_) | Hukou::MovedOut(_))
            })
            .collect();
        let (kept, _) = self.pick(
            "wis_keeps_departed",
            rates.wis_keeps_departed,
            &departed,
            MIN_PER_KIND,
        );
        for pid in kept {
            let record = self.departed_record(pid);
            self.r.wis.push(record);
            self.removed.push(false);
        }

        // Moves of registration within the county that WIS did not follow,
        // household by household.
        let mut households: Vec<u32> = self
            .r
            .wis
            .iter()
            .enumerate()
            .filter(|&(i, w)| self.wis_free(i) && self.person(w.person).prev_village.is_some())
            .map(|(_, w)| self.person(w.person).household)
            .collect();
        households.sort_unstable();
        households.dedup();
        let (stale, _) = self.pick(
            "wis_village_stale",
            rates.wis_village_stale,
            &households,
            MIN_PER_KIND,
        );
        let stale: HashSet<u32> = stale.into_iter().collect();
        for i in 0..self.r.wis.len() {
            let pid = self.r.wis[i].person;
            let p = &self.world.people[pid as usize];
            if self.wis_free(i)
                && stale.contains(&p.household)
                && let Some(prev) = p.prev_village
            {
                let w = &mut self.r.wis[i];
                w.hukou = Place::Village(prev);
                if w.lives == Lives::Home {
                    w.sheet_village = prev;
                }
                w.changed.set(Fields::VILLAGE);
            }
        }
        // The log counts records, not households.
        let n = self
            .r
            .wis
            .iter()
            .filter(|w| w.changed.has(Fields::VILLAGE))
            .count();
        self.log.insert("wis_village_stale", n);

        self.id_changed();
        self.marital_lags();
        self.child_old_names();
    }

    fn top_up_removal(
        &mut self,
        kind: &'static str,
        candidates: &[u32],
        already: usize,
        rng: &mut Rng,
    ) {
        let mut rest: Vec<u32> = candidates
            .iter()
            .copied()
            .filter(|&i| !self.removed[i as usize])
            .collect();
        let mut have = already;
        while have < MIN_PER_KIND && !rest.is_empty() {
            let i = rest.swap_remove(rng.index(rest.len()));
            self.removed[i as usize] = true;
            have += 1;
            *self.log.entry(kind).or_insert(0) += 1;
        }
    }

    /// The WIS record of someone who has left, as it stood before.
    fn departed_record(&self, pid: Pid) -> WisRecord {
        let p = self.person(pid);
        let people = &self.world.people;
        let (spouse_name, spouse_id) = match (p.marital.is_married(), p.spouse) {
            (true, Some(s)) => (
                people[s as usize].name.clone(),
                people[s as usize].id.clone(),
            ),
            _ => (String::new(), String::new()),
        };
        let (mother_name, mother_id) = match p.mother {
            Some(m) if p.birth.year() >= 2000 => (
                people[m as usize].name.clone(),
                people[m as usize].id.clone(),
            ),
            _ => (String::new(), String::new()),
        };
        let mut changed = Fields::default();
        changed.set(Fields::RECORD);
        WisRecord {
            person: pid,
            name: p.name.clone(),
            sex: p.sex,
            ethnicity: p.ethnicity,
            birth: p.birth,
            id: p.id.clone(),
            marital: p.marital,
            marriage_date: if p.marital.is_married() {
                p.marriage_date
            } else {
                None
            },
            spouse_name,
            spouse_id,
            mother_name,
            mother_id,
            hukou: Place::Village(p.village),
            lives: Lives::Home,
            sheet_village: p.village,
            copy_of: None,
            changed,
        }
    }

    /// A person whose number was reissued after the birth date was
    /// corrected: the household register has the new number and date, WIS
    /// the old ones.
    fn id_changed(&mut self) {
        let has_household: HashSet<Pid> = self
            .r
            .household
            .iter()
            .filter(|h| h.status.is_active())
            .map(|h| h.person)
            .collect();
        let candidates = self.wis_candidates(|w| {
            has_household.contains(&w.person) && (1950..=2000).contains(&w.birth.year())
        });
        let (chosen, mut rng) = self.pick_records(
            "wis_id_changed",
            self.rates.wis_id_changed,
            &candidates,
            MIN_PER_KIND,
            Register::Wis,
        );
        let lo = Date::from_ymd(1940, 1, 1).expect("a real date");
        for i in chosen {
            let w = &self.r.wis[i as usize];
            let Some((old_date, _)) = slips::mistype_date(&mut rng, w.birth, lo, self.as_of) else {
                continue;
            };
            let mut old = format!("{}{}{}", &w.id[..6], old_date.compact(), &w.id[14..17]);
            let Some(check) = check_character(old.as_bytes()) else {
                continue;
            };
            old.push(check);
            if !self.ids.insert(old.clone()) {
                continue;
            }
            let w = &mut self.r.wis[i as usize];
            w.id = old;
            w.birth = old_date;
            w.changed.set(Fields::ID | Fields::BIRTH);
        }
    }

    /// The registrations of a woman, oldest first.
    fn history(&self, woman: Pid) -> Vec<&super::world::Registration> {
        self.histories
            .get(&woman)
            .map(|h| {
                h.iter()
                    .map(|&i| &self.world.registrations[i as usize])
                    .collect()
            })
            .unwrap_or_default()
    }

    fn set_married(&mut self, i: usize, marital: Marital, date: Option<Date>, spouse: Option<Pid>) {
        let (name, id) = match spouse {
            Some(s) => (self.person(s).name.clone(), self.person(s).id.clone()),
            None => (String::new(), String::new()),
        };
        let w = &mut self.r.wis[i];
        w.marital = marital;
        w.marriage_date = if marital.is_married() { date } else { None };
        w.spouse_name = name;
        w.spouse_id = id;
        w.changed.set(Fields::MARITAL);
    }

    fn marital_lags(&mut self) {
        let rates = self.rates;
        let women: Vec<(u32, Pid)> = self
            .wis_candidates(|w| w.sex == Sex::Female)
            .into_iter()
            .map(|i| (i, self.r.wis[i as usize].person))
            .collect();

        // A divorce, remarriage or remarriage to the same spouse WIS did
        // not follow: it still shows the state before.
        let stale_candidates: Vec<u32> = women
            .iter()
            .filter(|&&(_, pid)| {
                let p = self.person(pid);
                let h = self.history(pid);
                match p.marital {
                    Marital::Divorced => h.last().is_some_and(|r| r.kind == RegKind::Divorce),
                    Marital::Remarried | Marital::RemarriedSameSpouse => h.len() >= 2,
                    _ => false,
                }
            })
            .map(|&(i, _)| i)
            .collect();
        let (chosen, mut rng) = self.pick_records(
            "wis_marital_stale",
            rates.wis_marital_stale,
            &stale_candidates,
            MIN_PER_KIND,
            Register::Wis,
        );
        for i in chosen {
            let pid = self.r.wis[i as usize].person;
            let h: Vec<(RegKind, Date, Pid)> = self
                .history(pid)
                .iter()
                .map(|r| (r.kind, r.date, r.man))
                .collect();
            let first_marriage = h.iter().find(|r| r.0 == RegKind::Marriage).copied();
            let marital = self.person(pid).marital;
            let as_divorced = rng.chance(0.5);
            match (marital, first_marriage) {
                (Marital::Divorced, Some((_, date, man))) => {
                    self.set_married(i as usize, Marital::FirstMarriage, Some(date), Some(man));
                }
                (Marital::Remarried | Marital::RemarriedSameSpouse, Some((_, date, man))) => {
                    if as_divorced {
                        self.set_married(i as usize, Marital::Divorced, None, None);
                    } else {
                        self.set_married(i as usize, Marital::FirstMarriage, Some(date), Some(man));
                    }
                }
                _ => {}
            }
        }

        // Court divorces WIS has not heard of (no case: civil affairs has
        // no divorce either). The ones it has heard of are M02 when the
        // marriage registration is in scope.
        let court: Vec<u32> = women
            .iter()
            .filter(|&&(i, pid)| {
                self.wis_free(i as usize)
                    && self.person(pid).marital == Marital::Divorced
                    && self
                        .history(pid)
                        .last()
                        .is_some_and(|r| r.kind.is_marriage())
            })
            .map(|&(i, _)| i)
            .collect();
        let (unknown, _) = self.pick_records(
            "wis_court_divorce_unknown",
            1.0 - rates.wis_court_divorce_known,
            &court,
            0,
            Register::Wis,
        );
        for i in unknown {
            let pid = self.r.wis[i as usize].person;
            let last = self
                .history(pid)
                .iter()
                .rev()
                .find(|r| r.kind.is_marriage())
                .map(|r| (r.date, r.man));
            if let Some((date, man)) = last {
                self.set_married(i as usize, Marital::FirstMarriage, Some(date), Some(man));
            }
        }

        // Recently married, still unmarried in WIS.
        let recent = plus_years(self.as_of, -3);
        let candidates: Vec<u32> = women
            .iter()
            .filter(|&&(i, pid)| {
                let p = self.person(pid);
                self.wis_free(i as usize)
                    && p.marital.is_married()
                    && p.marriage_date.is_some_and(|d| d >= recent)
            })
            .map(|&(i, _)| i)
            .collect();
        let (chosen, _) = self.pick_records(
            "wis_still_unmarried",
            rates.wis_still_unmarried,
            &candidates,
            MIN_PER_KIND,
            Register::Wis,
        );
        for i in chosen {
            self.set_married(i as usize, Marital::Unmarried, None, None);
        }
    }

    /// Children WIS knows by the name on their birth certificate, not the
    /// one registered later.
    fn child_old_names(&mut self) {
        let cert_names: HashMap<Pid, String> = self
            .world
            .births
            .iter()
            .filter(|b| {
                let n = normalize_name(&b.cert_name);
                n.is_given()
                    && n.normalized() != normalize_name(&self.person(b.child).name).normalized()
            })
            .map(|b| (b.child, b.cert_name.clone()))
            .collect();
        let candidates = self.wis_candidates(|w| cert_names.contains_key(&w.person));
        let (chosen, _) = self.pick_records(
            "wis_child_old_name",
            self.rates.wis_child_old_name,
            &candidates,
            MIN_PER_KIND,
            Register::Wis,
        );
        for i in chosen {
            let w = &self.r.wis[i as usize];
            let Some(name) = cert_names.get(&w.person).cloned() else {
                continue;
            };
            if self
                .wis_keys
                .insert((w.sheet_village, name.clone(), w.birth))
            {
                let w = &mut self.r.wis[i as usize];
                w.name = name;
                w.changed.set(Fields::NAME);
            }
        }
    }

    fn wis_errors(&mut self) {
        let rates = self.rates;
        let as_of = self.as_of;
        let lo = Date::from_ymd(1900, 1, 1).expect("a real date");

        let all = self.wis_candidates(|_| true);
        let (chosen, mut rng) = self.pick_records(
            "wis_id_typo",
            rates.wis_id_typo,
            &all,
            MIN_PER_KIND,
            Register::Wis,
        );
        for i in chosen {
            let w = &mut self.r.wis[i as usize];
            w.id = slips::mistype_id(&mut rng, &w.id).0;
            w.changed.set(Fields::ID);
        }

        let all = self.wis_candidates(|_| true);
        let (chosen, mut rng) = self.pick_records(
            "wis_name_typo",
            rates.wis_name_typo,
            &all,
            MIN_PER_KIND,
            Register::Wis,
        );
        for i in chosen {
            let w = &self.r.wis[i as usize];
            if let Some((name, _)) = names::mistype(&mut rng, &w.name)
                && self.wis_keys.insert((
                    w.sheet_village,
                    normalize_name(&name).normalized().to_string(),
                    w.birth,
                ))
            {
                let w = &mut self.r.wis[i as usize];
                w.name = name;
                w.changed.set(Fields::NAME);
            }
        }

        let all = self.wis_candidates(|_| true);
        let (chosen, mut rng) = self.pick_records(
            "wis_birth_date_typo",
            rates.wis_birth_date_typo,
            &all,
            MIN_PER_KIND,
            Register::Wis,
        );
        for i in chosen {
            let w = &self.r.wis[i as usize];
            if let Some((d, _)) = slips::mistype_date(&mut rng, w.birth, lo, as_of)
                && self.wis_keys.insert((w.sheet_village, w.name.clone(), d))
            {
                let w = &mut self.r.wis[i as usize];
                w.birth = d;
                w.changed.set(Fields::BIRTH);
            }
        }

        let all = self.wis_candidates(|_| true);
        let (chosen, _) = self.pick_records(
            "wis_sex_wrong",
            rates.wis_sex_wrong,
            &all,
            MIN_PER_KIND,
            Register::Wis,
        );
        for i in chosen {
            let w = &mut self.r.wis[i as usize];
            w.sex = if w.sex == Sex::Male {
                Sex::Female
            } else {
                Sex::Male
            };
            w.changed.set(Fields::SEX);
        }

        let married_women = |w: &WisRecord| {
            w.sex == Sex::Female && w.marital.is_married() && w.marriage_date.is_some()
        };
        let all = self.wis_candidates(married_women);
        let (chosen, mut rng) = self.pick_records(
            "wis_marriage_date_wrong",
            rates.wis_marriage_date_wrong,
            &all,
            MIN_PER_KIND,
            Register::Wis,
        );
        for i in chosen {
            let w = &self.r.wis[i as usize];
            let Some(date) = w.marriage_date else {
                continue;
            };
            let legal = plus_years(w.birth, 20);
            let new = if rng.chance(0.6) {
                // The wedding feast, not the registration.
                let shift = rng.range(5, 200) * if rng.chance(0.5) { 1 } else { -1 };
                let d = Date::from_days_since_epoch(date.days_since_epoch() + shift);
                (d >= legal && d <= as_of && d != date).then_some(d)
            } else {
                slips::mistype_date(&mut rng, date, legal, as_of).map(|x| x.0)
            };
            if let Some(d) = new {
                let w = &mut self.r.wis[i as usize];
                w.marriage_date = Some(d);
                w.changed.set(Fields::MARITAL);
            }
        }

        let all = self.wis_candidates(|w| !w.spouse_id.is_empty());
        let (chosen, mut rng) = self.pick_records(
            "wis_spouse_id_typo",
            rates.wis_spouse_id_typo,
            &all,
            MIN_PER_KIND,
            Register::Wis,
        );
        for i in chosen {
            let w = &mut self.r.wis[i as usize];
            w.spouse_id = slips::mistype_id(&mut rng, &w.spouse_id).0;
            w.changed.set(Fields::SPOUSE);
        }

        let all = self.wis_candidates(married_women);
        let (chosen, _) = self.pick_records(
            "wis_future_date",
            rates.wis_future_date,
            &all,
            MIN_PER_KIND,
            Register::Wis,
        );
        for i in chosen {
            let w = &mut self.r.wis[i as usize];
            if let Some(d) = w.marriage_date {
                w.marriage_date = Some(slips::future_year(d, as_of));
                w.changed.set(Fields::MARITAL);
            }
        }

        let all = self.wis_candidates(married_women);
        let (chosen, _) = self.pick_records(
            "wis_underage_marriage",
            rates.wis_underage_marriage,
            &all,
            MIN_PER_KIND,
            Register::Wis,
        );
        for i in chosen {
            let w = &mut self.r.wis[i as usize];
            if let Some(d) = w
                .marriage_date
                .and_then(|d| slips::underage_year(d, w.birth, 20))
            {
                w.marriage_date = Some(d);
                w.changed.set(Fields::MARITAL);
            }
        }
    }

    fn household_errors(&mut self) {
        let rates = self.rates;
        let lo = Date::from_ymd(1900, 1, 1).expect("a real date");
        let free = |r: &Registers| -> Vec<u32> {
            (0..r.household.len() as u32)
                .filter(|&i| !r.household[i as usize].changed.any())
                .collect()
        };
        let all = free(self.r);
        let (chosen, mut rng) = self.pick_records(
            "household_id_typo",
            rates.household_id_typo,
            &all,
            MIN_PER_KIND,
            Register::Household,
        );
        for i in chosen {
            let h = &mut self.r.household[i as usize];
            h.id = slips::mistype_id(&mut rng, &h.id).0;
            h.changed.set(Fields::ID);
        }
        let all = free(self.r);
        let (chosen, mut rng) = self.pick_records(
            "household_name_typo",
            rates.household_name_typo,
            &all,
            MIN_PER_KIND,
            Register::Household,
        );
        for i in chosen {
            let h = &self.r.household[i as usize];
            if let Some((name, _)) = names::mistype(&mut rng, &h.name)
                && self.hh_keys.insert((
                    h.village,
                    normalize_name(&name).normalized().to_string(),
                    h.birth,
                ))
            {
                let h = &mut self.r.household[i as usize];
                h.name = name;
                h.changed.set(Fields::NAME);
            }
        }
        let all = free(self.r);
        let (chosen, mut rng) = self.pick_records(
            "household_birth_date_typo",
            rates.household_birth_date_typo,
            &all,
            MIN_PER_KIND,
            Register::Household,
        );
        for i in chosen {
            let h = &self.r.household[i as usize];
            if let Some((d, _)) = slips::mistype_date(&mut rng, h.birth, lo, self.as_of)
                && self.hh_keys.insert((h.village, h.name.clone(), d))
            {
                let h = &mut self.r.household[i as usize];
                h.birth = d;
                h.changed.set(Fields::BIRTH);
            }
        }
    }

    fn marriage_errors(&mut self) {
        let rates = self.rates;
        let free = |r: &Registers| -> Vec<u32> {
            (0..r.marriage.len() as u32)
                .filter(|&i| !r.marriage[i as usize].changed.any())
                .collect()
        };
        let all = free(self.r);
        let (chosen, mut rng) = self.pick_records(
            "marriage_id_typo",
            rates.marriage_id_typo,
            &all,
            MIN_PER_KIND,
            Register::Marriage,
        );
        for i in chosen {
            let m = &mut self.r.marriage[i as usize];
            if rng.chance(0.5) {
                m.man_id = slips::mistype_id(&mut rng, &m.man_id).0;
                m.changed.set(Fields::MAN_ID);
            } else {
                m.woman_id = slips::mistype_id(&mut rng, &m.woman_id).0;
                m.changed.set(Fields::WOMAN_ID);
            }
        }
        let all = free(self.r);
        let (chosen, mut rng) = self.pick_records(
            "marriage_birth_date_typo",
            rates.marriage_birth_date_typo,
            &all,
            MIN_PER_KIND,
            Register::Marriage,
        );
        let lo = Date::from_ymd(1900, 1, 1).expect("a real date");
        for i in chosen {
            let m = &mut self.r.marriage[i as usize];
            if let Some((d, _)) = slips::mistype_date(&mut rng, m.woman_birth, lo, self.as_of) {
                m.woman_birth = d;
                m.changed.set(Fields::WOMAN_BIRTH);
            }
        }
    }

    fn birth_errors(&mut self) {
        let rates = self.rates;
        let as_of = self.as_of;
        let free = |r: &Registers, kind: Option<BirthKind>| -> Vec<u32> {
            (0..r.birth.len() as u32)
                .filter(|&i| {
                    let b = &r.birth[i as usize];
                    !b.changed.any() && kind.is_none_or(|k| b.kind == k)
                })
                .collect()
        };
        for (kind, rate, which) in [
            (
                "birth_mother_id_typo",
                rates.birth_mother_id_typo,
                BirthKind::Certificate,
            ),
            (
                "delivery_mother_id_typo",
                rates.delivery_mother_id_typo,
                BirthKind::Delivery,
            ),
        ] {
            let all = free(self.r, Some(which));
            let (chosen, mut rng) =
                self.pick_records(kind, rate, &all, MIN_PER_KIND, Register::Birth);
            for i in chosen {
                let b = &mut self.r.birth[i as usize];
                b.mother_id = slips::mistype_id(&mut rng, &b.mother_id).0;
                b.changed.set(Fields::MOTHER_ID);
            }
        }
        let all = free(self.r, None);
        let (chosen, mut rng) = self.pick_records(
            "birth_father_id_typo",
            rates.birth_father_id_typo,
            &all,
            MIN_PER_KIND,
            Register::Birth,
        );
        for i in chosen {
            let b = &mut self.r.birth[i as usize];
            b.father_id = slips::mistype_id(&mut rng, &b.father_id).0;
            b.changed.set(Fields::FATHER_ID);
        }
        let all = free(self.r, Some(BirthKind::Certificate));
        let (chosen, mut rng) = self.pick_records(
            "birth_child_date_typo",
            rates.birth_child_date_typo,
            &all,
            MIN_PER_KIND,
            Register::Birth,
        );
        let lo = Date::from_ymd(2000, 1, 1).expect("a real date");
        for i in chosen {
            let b = &mut self.r.birth[i as usize];
            let hi = b.issued.unwrap_or(as_of).min(as_of);
            if let Some((d, _)) = slips::mistype_date(&mut rng, b.child_birth, lo, hi) {
                b.child_birth = d;
                b.changed.set(Fields::BIRTH);
            }
        }
        let all = free(self.r, Some(BirthKind::Certificate));
        let (chosen, _) = self.pick_records(
            "birth_child_sex_wrong",
            rates.birth_child_sex_wrong,
            &all,
            MIN_PER_KIND,
            Register::Birth,
        );
        for i in chosen {
            let b = &mut self.r.birth[i as usize];
            b.child_sex = if b.child_sex == Sex::Male {
                Sex::Female
            } else {
                Sex::Male
            };
            b.changed.set(Fields::SEX);
        }

        // The grandmother's number where the mother's belongs: the
        // father's mother when the county knows her, else another woman of
        // the county old enough.
        let old_women: Vec<Pid> = (0..self.world.people.len() as Pid)
            .filter(|&p| {
                let p = self.person(p);
                !p.external && p.sex == Sex::Female && p.birth.year() < 1960
            })
            .collect();
        let all = free(self.r, Some(BirthKind::Certificate));
        let (chosen, mut rng) = self.pick_records(
            "birth_grandmother_id",
            rates.birth_grandmother_id,
            &all,
            if old_women.is_empty() {
                0
            } else {
                MIN_PER_KIND
            },
            Register::Birth,
        );
        for i in chosen {
            let b = &self.r.birth[i as usize];
            let father = self.person(b.father);
            let by_father = father
                .mother
                .filter(|&m| self.person(m).birth.age_on(b.child_birth) > 55);
            let grandmother = match by_father {
                Some(m) => Some(m),
                None if !old_women.is_empty() => {
                    let m = old_women[rng.index(old_women.len())];
                    (self.person(m).birth.age_on(b.child_birth) > 55).then_some(m)
                }
                None => None,
            };
            if let Some(m) = grandmother {
                let id = self.person(m).id.clone();
                let b = &mut self.r.birth[i as usize];
                b.mother_id = id;
                b.changed.set(Fields::MOTHER_ID);
            }
        }

        let all = free(self.r, Some(BirthKind::Certificate));
        let (chosen, _) = self.pick_records(
            "birth_future_date",
            rates.birth_future_date,
            &all,
            MIN_PER_KIND,
            Register::Birth,
        );
        for i in chosen {
            let b = &mut self.r.birth[i as usize];
            b.child_birth = slips::future_year(b.child_birth, as_of);
            b.changed.set(Fields::BIRTH);
        }

        // One year's sheet of certificates went through a spreadsheet that
        // stored the mothers' numbers as numbers (those ending in X stayed
        // text: Excel cannot read them as numbers).
        let year = damaged_year(as_of);
        let mut n = 0;
        for b in self.r.birth.iter_mut() {
            if b.kind == BirthKind::Certificate
                && b.issued.is_some_and(|d| d.year() == year)
                && b.mother_id.len() == 18
                && b.mother_id.bytes().all(|c| c.is_ascii_digit())
            {
                b.mother_id_as_number = true;
                b.changed.set(Fields::MOTHER_ID);
                n += 1;
            }
        }
        self.log.insert("birth_id_as_number", n);
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

/// Records entered twice: WIS (three in ten of the second entries without
/// an ID number, found by name and birth date in one village), household,
/// marriage (the same registration twice) and birth (a certificate
/// reissued under a new number). Only records that are no case at all are
/// copied, so a copy is Q03 and nothing else.
pub fn duplicate(
    r: &mut Registers,
    rates: &Rates,
    seed: u64,
    as_of: Date,
    clean: &dyn Fn(Register, u32) -> bool,
    log: &mut Log,
) {
    let pick = |kind: &'static str, rate: f64, candidates: Vec<u32>, log: &mut Log| {
        let mut rng = Rng::stream(seed, kind, 0);
        let chosen = choose(&mut rng, rate, &candidates, MIN_PER_KIND);
        log.insert(kind, chosen.len());
        (chosen, rng)
    };
    let candidates = |register: Register, n: usize| -> Vec<u32> {
        (0..n as u32).filter(|&i| clean(register, i)).collect()
    };

    let (chosen, mut rng) = pick(
        "wis_duplicate",
        rates.wis_duplicate,
        candidates(Register::Wis, r.wis.len()),
        log,
    );
    for i in chosen {
        let mut copy = r.wis[i as usize].clone();
        copy.copy_of = Some(i);
        copy.changed.set(Fields::RECORD);
        if rng.chance(0.3) {
            copy.id = String::new();
        }
        r.wis.push(copy);
    }
    let (chosen, _) = pick(
        "household_duplicate",
        rates.household_duplicate,
        candidates(Register::Household, r.household.len()),
        log,
    );
    for i in chosen {
        let mut copy = r.household[i as usize].clone();
        copy.copy_of = Some(i);
        copy.changed.set(Fields::RECORD);
        r.household.push(copy);
    }
    let (chosen, _) = pick(
        "marriage_duplicate",
        rates.marriage_duplicate,
        candidates(Register::Marriage, r.marriage.len()),
        log,
    );
    for i in chosen {
        let mut copy = r.marriage[i as usize].clone();
        copy.copy_of = Some(i);
        copy.changed.set(Fields::RECORD);
        r.marriage.push(copy);
    }
    let certificates: Vec<u32> = candidates(Register::Birth, r.birth.len())
        .into_iter()
        .filter(|&i| {
            let b = &r.birth[i as usize];
            b.kind == BirthKind::Certificate && !b.mother_id_as_number
        })
        .collect();
    let (chosen, mut rng) = pick("birth_duplicate", rates.birth_duplicate, certificates, log);
    for (serial, i) in chosen.into_iter().enumerate() {
        let original: &BirthRecord = &r.birth[i as usize];
        let mut copy = original.clone();
        copy.copy_of = Some(i);
        copy.changed.set(Fields::RECORD);
        // A reissue (补发): a new number, issued later the same year, never
        // after the as-of date.
        let issued = original.issued.unwrap_or(original.child_birth);
        let later = Date::from_days_since_epoch(issued.days_since_epoch() + rng.range(20, 200));
        let end_of_year = Date::from_ymd(issued.year(), 12, 31).unwrap_or(issued);
        copy.issued = Some(later.min(end_of_year).min(as_of).max(issued));
        copy.number = format!("{}9{:07}", &original.number[..2], serial + 1);
        r.birth.push(copy);
    }
}
