//! The lags of WIS: people it never heard of and people it kept after they
//! left, moves of registration, divorces and marriages it did not follow,
//! reissued numbers and children known by their certificate name.

use std::collections::{HashMap, HashSet};

use super::Injector;
use crate::identity::id_number::check_character;
use crate::identity::{Date, Marital, Sex, normalize_name};
use crate::sample::families::{births_from, plus_years};
use crate::sample::rates::MIN_PER_KIND;
use crate::sample::registers::{Fields, Place, Register, WisRecord};
use crate::sample::rng::Rng;
use crate::sample::slips;
use crate::sample::world::{Hukou, Lives, Pid, RegKind};

impl Injector<'_> {
    pub(super) fn wis_lags(&mut self) {
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
    fn history(&self, woman: Pid) -> Vec<&crate::sample::world::Registration> {
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
}
