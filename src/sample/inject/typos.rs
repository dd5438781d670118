//! The slips of clerks: numbers, names and dates mistyped in every
//! register, a grandmother's number on a certificate, dates typed into the
//! future or below the legal age, and one sheet of numbers stored as
//! numbers.

use super::{Injector, damaged_year};
use crate::identity::{Date, Sex, normalize_name};
use crate::sample::confusion;
use crate::sample::families::plus_years;
use crate::sample::rates::MIN_PER_KIND;
use crate::sample::registers::{BirthKind, Fields, Register, Registers, WisRecord};
use crate::sample::slips;
use crate::sample::world::Pid;

impl Injector<'_> {
    pub(super) fn wis_errors(&mut self) {
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
            if let Some((name, _)) = confusion::mistype(&mut rng, &w.name)
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

    pub(super) fn household_errors(&mut self) {
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
            if let Some((name, _)) = confusion::mistype(&mut rng, &h.name)
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

    pub(super) fn marriage_errors(&mut self) {
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

    pub(super) fn birth_errors(&mut self) {
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
}
