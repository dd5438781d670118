//! One village's people, households, marriages and births.
//!
//! Takes the county, the as-of date, the rates and the village's own random
//! stream, and gives a [`Chunk`] of the truth: households of young families
//! (a couple, their children, sometimes the husband's parents), older
//! couples, widows and widowers, single adults and families that moved
//! away; marriages, divorces (registered or by a court), remarriages and
//! remarriages to the same spouse; births with mothers and fathers, where
//! they happened and what the certificate called the newborn; deaths and
//! moves out within the last ten years; people living in another village
//! or working outside the county; and the births of migrant mothers in the
//! county's hospitals. Everyone is of legal age at marriage and of child-
//! bearing age at a birth: every contradiction in the registers is made on
//! purpose later, never here.

use std::collections::HashSet;

use super::names;
use super::places::{self, County};
use super::rates::Rates;
use super::rng::Rng;
use super::world::{Chunk, Hukou, Lives, Person, Pid, RegKind, Registration};
use crate::identity::{Date, Marital, Sex};

mod births;
mod households;

/// What every village shares.
pub struct Setting<'a> {
    pub county: &'a County,
    pub as_of: Date,
    pub seed: u64,
    pub hospitals: usize,
    pub rates: &'a Rates,
}

/// The first day of the births the registers cover.
pub fn births_from() -> Date {
    Date::from_ymd(2011, 1, 1).expect("a real date")
}

fn days(d: Date) -> i64 {
    d.days_since_epoch()
}

fn at(n: i64) -> Date {
    Date::from_days_since_epoch(n)
}

/// `d` plus a number of whole years (29 February becomes 1 March).
pub fn plus_years(d: Date, years: i32) -> Date {
    let y = d.year() + years;
    Date::from_ymd(y, d.month(), d.day())
        .or_else(|| Date::from_ymd(y, 3, 1))
        .unwrap_or(d)
}

fn plus_days(d: Date, n: i64) -> Date {
    at(days(d) + n)
}

fn plus_months(d: Date, months: i64) -> Date {
    plus_days(d, months * 3044 / 100)
}

struct Builder<'a> {
    s: &'a Setting<'a>,
    rng: Rng,
    v: u32,
    chunk: Chunk,
    /// People of the county created so far (not counting outsiders).
    count: usize,
    target: usize,
    /// (name, birth date) of everyone listed in this village: no two
    /// different people may look like one person twice.
    used: HashSet<(String, Date)>,
    hh: u32,
}

/// Generates village `v`.
pub fn village(s: &Setting, v: u32) -> Chunk {
    let target = s.county.villages[v as usize].people;
    let mut b = Builder {
        s,
        rng: Rng::stream(s.seed, "village", u64::from(v)),
        v,
        chunk: Chunk::default(),
        count: 0,
        target,
        used: HashSet::new(),
        hh: 0,
    };
    while b.count < b.target {
        b.household();
    }
    b.migrant_births();
    b.chunk.households = b.hh;
    b.chunk
}

impl Builder<'_> {
    fn as_of(&self) -> Date {
        self.s.as_of
    }

    /// A birth date for someone `age` years old on the as-of date.
    fn born_aged(&mut self, age: i64) -> Date {
        let as_of = self.as_of();
        let latest = plus_years(as_of, -(age as i32));
        plus_days(latest, -self.rng.range(0, 364))
    }

    fn elsewhere(&mut self, birth: Date) -> &'static str {
        if birth.year() < 2000 && self.rng.chance(self.s.rates.abolished_region) {
            return places::ABOLISHED[self.rng.index(places::ABOLISHED.len())];
        }
        let weights: Vec<u32> = places::ELSEWHERE.iter().map(|e| e.1).collect();
        places::ELSEWHERE[self.rng.weighted(&weights)].0
    }

    /// A name no one else born that day in this village has.
    fn name_for(&mut self, surname: &str, sex: Sex, birth: Date) -> String {
        for attempt in 0..50 {
            let given = names::given_name(&mut self.rng, sex, birth.year());
            let name = if attempt < 40 {
                format!("{surname}{given}")
            } else {
                format!(
                    "{surname}{given}{}",
                    names::given_name(&mut self.rng, sex, 1990)
                )
            };
            if self.used.insert((name.clone(), birth)) {
                return name;
            }
        }
        // Fifty collisions on one birth day: give up on fashion.
        let name = format!("{surname}{}", self.count);
        self.used.insert((name.clone(), birth));
        name
    }

    /// A new person of the county (or an outsider, when `external`).
    #[allow(clippy::too_many_arguments)]
    fn person(
        &mut self,
        sex: Sex,
        birth: Date,
        surname: &str,
        region: &'static str,
        relation: u8,
        external: bool,
    ) -> Pid {
        // Born in the county before 1995: the county's code of that time.
        let region = if region == places::COUNTY_CODE {
            places::county_code_for(birth)
        } else {
            region
        };
        let (name, ethnicity) = match names::minority_name(&mut self.rng, sex, region) {
            Some((name, eth)) if self.used.insert((name.clone(), birth)) => (name, eth),
            _ => {
                let eth = if places::is_county(region) && self.rng.chance(self.s.rates.local_hui) {
                    3
                } else {
                    1
                };
                (self.name_for(surname, sex, birth), eth)
            }
        };
        let pid = self.chunk.people.len() as Pid;
        self.chunk.people.push(Person {
            name,
            sex,
            birth,
            ethnicity,
            region,
            id: String::new(),
            mother: None,
            father: None,
            spouse: None,
            marital: Marital::Unmarried,
            marriage_date: None,
            hukou: if external { Hukou::None } else { Hukou::Active },
            village: self.v,
            household: if external { 0 } else { self.hh },
            relation,
            prev_village: None,
            lives: Lives::Home,
            external,
        });
        if !external {
            self.count += 1;
        }
        pid
    }

    /// The surname children take: the father's, or the mother's when his
    /// name has none (a minority name).
    fn family_surname(&self, father: Pid, mother: Pid) -> String {
        let has_surname = |p: &Person| p.ethnicity == 1 || p.ethnicity == 3;
        let f = &self.chunk.people[father as usize];
        let m = &self.chunk.people[mother as usize];
        let from = if has_surname(f) {
            f
        } else if has_surname(m) {
            m
        } else {
            return "马".to_string();
        };
        crate::identity::normalize_name(&from.name)
            .surname()
            .to_string()
    }

    fn p(&mut self, pid: Pid) -> &mut Person {
        &mut self.chunk.people[pid as usize]
    }

    fn register(&mut self, kind: RegKind, woman: Pid, man: Pid, date: Date) {
        let here = self.rng.chance(self.s.rates.registered_here);
        self.chunk.registrations.push(Registration {
            kind,
            woman,
            man,
            date,
            here,
        });
    }

    fn marry(&mut self, woman: Pid, man: Pid, date: Date, marital: Marital) {
        for (a, b) in [(woman, man), (man, woman)] {
            let p = self.p(a);
            p.spouse = Some(b);
            p.marital = marital;
            p.marriage_date = Some(date);
        }
    }

    fn household(&mut self) {
        self.hh += 1;
        let first = self.chunk.people.len();
        match self.rng.weighted(&[40, 26, 10, 7, 10, 3]) {
            0 => self.young_family(),
            1 => self.older_couple(),
            2 => self.elder_alone(),
            3 => self.single_adult(),
            4 => self.young_adult(),
            _ => self.moved_out_family(),
        }
        self.household_flags(first);
    }

    /// Moves of registration within the county, and where the household
    /// lives: the same for every member.
    fn household_flags(&mut self, first: usize) {
        let n_villages = self.s.county.villages.len() as u32;
        let other = |rng: &mut Rng, v: u32| {
            (v + 1 + rng.below(u64::from(n_villages) - 1) as u32) % n_villages
        };
        let moved = self.rng.chance(self.s.rates.moved_within_county);
        let prev = other(&mut self.rng, self.v);
        let elsewhere = self.rng.chance(self.s.rates.lives_other_village);
        let lives_in = other(&mut self.rng, self.v);
        let as_of = self.as_of();
        let mut couple_away: Option<&'static str> = None;
        for i in first..self.chunk.people.len() {
            let away_place = *self.rng.pick(places::AWAY);
            let away = self.rng.chance(self.s.rates.lives_away);
            let p = &mut self.chunk.people[i];
            if p.external || p.hukou != Hukou::Active {
                continue;
            }
            if moved {
                p.prev_village = Some(prev);
            }
            if elsewhere {
                p.lives = Lives::Village(lives_in);
            } else {
                let age = p.birth.age_on(as_of);
                if (18..=50).contains(&age) {
                    let spouse_away = p.spouse.is_some() && couple_away.is_some();
                    if away || (spouse_away && matches!(p.relation, 11 | 12)) {
                        let place = couple_away.unwrap_or(away_place);
                        p.lives = Lives::Away(place);
                        if matches!(p.relation, 2 | 11 | 12) {
                            couple_away = Some(place);
                        }
                    }
                }
            }
        }
    }
}
