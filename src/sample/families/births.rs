//! Children and their births: when they come, whether they are still at
//! home, where they are born, what the certificate calls them; and the
//! migrant mothers who deliver in the county's hospitals.

use super::{Builder, births_from, days, plus_days, plus_months, plus_years};
use crate::identity::{Date, Marital, Sex};
use crate::sample::names;
use crate::sample::places;
use crate::sample::world::{Birth, Hukou, Pid};

impl Builder<'_> {
    /// Up to `max` children of `mother` and `father` born between `from`
    /// and `until`, at sensible intervals, while the mother is 20–44.
    pub(super) fn children(
        &mut self,
        mother: Pid,
        father: Pid,
        from: Date,
        until: Date,
        max: usize,
    ) {
        let as_of = self.as_of();
        let rates = self.s.rates;
        let mother_birth = self.chunk.people[mother as usize].birth;
        let surname = self.family_surname(father, mother);
        let mut next = plus_months(from, self.rng.bell(16, 8, 10, 60));
        for _ in 0..max {
            let date = next;
            next = plus_months(date, self.rng.bell(42, 18, 18, 120));
            let age_of_mother = mother_birth.age_on(date);
            if date > until || date > as_of || !(20..=44).contains(&age_of_mother) {
                break;
            }
            let twins = self.rng.chance(rates.twins);
            let first_sex = if self.rng.chance(0.52) {
                Sex::Male
            } else {
                Sex::Female
            };
            let sexes: Vec<Sex> = if twins {
                let second = if self.rng.chance(0.5) {
                    first_sex
                } else if first_sex == Sex::Male {
                    Sex::Female
                } else {
                    Sex::Male
                };
                vec![first_sex, second]
            } else {
                vec![first_sex]
            };
            for sex in sexes {
                self.child(mother, father, date, sex, &surname);
            }
        }
    }

    fn child(&mut self, mother: Pid, father: Pid, date: Date, sex: Sex, surname: &str) {
        let as_of = self.as_of();
        let rates = self.s.rates;
        let age = date.age_on(as_of);
        // Grown children have homes of their own elsewhere in the county's
        // households; the ones still here are young or unmarried.
        if age >= 24 {
            return;
        }
        let relation = if sex == Sex::Male { 20 } else { 30 };
        let mother_p = &self.chunk.people[mother as usize];
        let external = mother_p.external && self.chunk.people[father as usize].external;
        let child = self.person(sex, date, surname, places::COUNTY_CODE, relation, external);
        {
            let p = self.p(child);
            p.mother = Some(mother);
            p.father = Some(father);
        }
        // A quarter of the grown children left for study or work, their
        // registration with them.
        if age >= 18 && self.rng.below(20) < 5 {
            let left = plus_days(plus_years(date, 18), self.rng.range(30, 5 * 365));
            if left < as_of {
                self.p(child).hukou = Hukou::MovedOut(left);
            }
        }
        let since_birth = days(as_of) - days(date);
        if since_birth < 90 && self.rng.chance(rates.newborn_unregistered) {
            let p = self.p(child);
            p.hukou = Hukou::None;
            p.household = 0;
        }
        if date >= births_from() {
            self.birth(child, mother, father, date, sex);
        }
    }

    fn birth(&mut self, child: Pid, mother: Pid, father: Pid, date: Date, sex: Sex) {
        let rates = self.s.rates;
        let in_county = !self.rng.chance(rates.born_outside_county)
            || self.chunk.people[mother as usize].external;
        let hospital = in_county.then(|| {
            let mut weights = vec![40u32, 35, 10];
            weights.resize(
                self.s.hospitals,
                15 / (self.s.hospitals as u32 - 3).max(1) + 1,
            );
            self.rng.weighted(&weights) as u16
        });
        let delivery_record = hospital.is_some() && self.rng.chance(rates.delivery_record);
        let child_p = &self.chunk.people[child as usize];
        let mother_name = self.chunk.people[mother as usize].name.clone();
        let registered = child_p.name.clone();
        let son = sex == Sex::Male;
        let draw = self.rng.unit();
        let cert_name = if draw < rates.cert_name_placeholder {
            match self.rng.below(4) {
                0 => String::new(),
                1 => (if son { "之子" } else { "之女" }).to_string(),
                2 => format!("{mother_name}{}", if son { "之子" } else { "之女" }),
                _ => (if son { "男婴" } else { "女婴" }).to_string(),
            }
        } else if draw < rates.cert_name_placeholder + rates.cert_name_other {
            let surname = self.family_surname(father, mother);
            let mut other = format!(
                "{surname}{}",
                names::given_name(&mut self.rng, sex, date.year())
            );
            if other == registered {
                other.push('儿');
            }
            other
        } else {
            registered
        };
        let caesarean = self.rng.chance(0.35);
        self.chunk.births.push(Birth {
            child,
            mother,
            father,
            date,
            hospital,
            delivery_record,
            cert_name,
            caesarean,
        });
    }

    /// Women from outside the county who gave birth in its hospitals: the
    /// certificate and the delivery record are the county's, the mother
    /// and child are not (so they are never a case of M or B).
    pub(super) fn migrant_births(&mut self) {
        let rates = self.s.rates;
        let local = self
            .chunk
            .births
            .iter()
            .filter(|b| b.hospital.is_some())
            .count();
        let expected = local as f64 * rates.migrant_births;
        let mut n = expected as usize;
        if self.rng.chance(expected - n as f64) {
            n += 1;
        }
        let as_of = self.as_of();
        for _ in 0..n {
            let date = plus_days(
                births_from(),
                self.rng.range(0, days(as_of) - days(births_from())),
            );
            let mother_age = self.rng.bell(28, 4, 20, 40);
            let mother_birth = plus_days(
                plus_years(date, -(mother_age as i32)),
                -self.rng.range(0, 364),
            );
            let father_birth = plus_days(
                plus_years(mother_birth, -(self.rng.bell(2, 2, 0, 8) as i32)),
                -self.rng.range(0, 364),
            );
            let region = self.elsewhere(mother_birth);
            let father_region = self.elsewhere(father_birth);
            let mother_surname = names::surname(&mut self.rng, &[]);
            let father_surname = names::surname(&mut self.rng, &[]);
            let mother = self.person(Sex::Female, mother_birth, mother_surname, region, 0, true);
            let father = self.person(
                Sex::Male,
                father_birth,
                father_surname,
                father_region,
                0,
                true,
            );
            let wed = plus_days(date, -self.rng.range(300, 3 * 365))
                .max(plus_days(plus_years(father_birth, 22), 1))
                .max(plus_days(plus_years(mother_birth, 20), 1));
            self.marry(mother, father, wed.min(date), Marital::FirstMarriage);
            let sex = if self.rng.chance(0.52) {
                Sex::Male
            } else {
                Sex::Female
            };
            let surname = self.family_surname(father, mother);
            let child = self.person(sex, date, &surname, father_region, 0, true);
            let p = self.p(child);
            p.mother = Some(mother);
            p.father = Some(father);
            self.birth(child, mother, father, date, sex);
            // Born in a county hospital, always.
            if let Some(b) = self.chunk.births.last_mut()
                && b.hospital.is_none()
            {
                b.hospital = Some(0);
            }
        }
    }
}
