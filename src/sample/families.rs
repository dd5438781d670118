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
use super::world::{Birth, Chunk, Hukou, Lives, Person, Pid, RegKind, Registration};
use crate::identity::{Date, Marital, Sex};

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

    /// A couple with the wife aged 20–49, their children, perhaps the
    /// husband's parents, perhaps a divorce or a remarriage.
    fn young_family(&mut self) {
        let rates = self.s.rates;
        let as_of = self.as_of();
        let mut wife_age = self.rng.range(21, 49);
        if wife_age < 27 && self.rng.chance(0.5) {
            wife_age = self.rng.range(27, 49);
        }
        let wife_birth = self.born_aged(wife_age);
        let gap = self.rng.bell(2, 2, -2, 8);
        let husband_birth = plus_days(
            plus_years(wife_birth, -(gap as i32)),
            self.rng.range(-100, 100),
        );
        let wife_region = if self.rng.chance(rates.wife_born_elsewhere) {
            self.elsewhere(wife_birth)
        } else {
            places::COUNTY_CODE
        };
        let husband_region = if self.rng.chance(rates.husband_born_elsewhere) {
            self.elsewhere(husband_birth)
        } else {
            places::COUNTY_CODE
        };
        let clans = self.s.county.villages[self.v as usize].clans.clone();
        let husband_surname = names::surname(&mut self.rng, &clans);
        let wife_surname = names::surname(&mut self.rng, &[]);

        // When they first married: the woman at 20 or later, the man at 22
        // or later, and not after the as-of date.
        let age_at = match wife_birth.year() {
            ..=1974 => self.rng.bell(22, 1, 20, 27),
            1975..=1989 => self.rng.bell(23, 2, 20, 30),
            _ => self.rng.bell(25, 2, 20, 32),
        };
        let mut first = plus_days(
            plus_years(wife_birth, age_at as i32),
            self.rng.range(0, 300),
        );
        let legal = plus_days(plus_years(wife_birth, 20), 1)
            .max(plus_days(plus_years(husband_birth, 22), 1));
        first = first.max(legal);
        let latest = plus_days(as_of, -20);
        if first > latest {
            first = plus_days(
                legal,
                self.rng.range(0, (days(latest) - days(legal)).max(0)),
            );
        }
        if first > latest {
            // Too young to have married: a young adult household instead.
            self.young_adult();
            return;
        }

        let husband = self.person(
            Sex::Male,
            husband_birth,
            husband_surname,
            husband_region,
            2,
            false,
        );
        let wife = self.person(
            Sex::Female,
            wife_birth,
            wife_surname,
            wife_region,
            12,
            false,
        );

        enum Story {
            FirstMarriage,
            Remarried { ex: Pid, divorced: Date },
            DivorcedNow { divorced: Date, court: bool },
            RemarriedSame { divorced: Date, again: Date },
        }
        let mut story = Story::FirstMarriage;
        let draw = self.rng.unit();
        if first.year() >= 1990 {
            let court = self.rng.chance(rates.court_divorce);
            if draw < rates.remarried {
                let divorced = plus_days(first, self.rng.range(365, 8 * 365));
                let again = plus_days(divorced, self.rng.range(180, 4 * 365));
                if again <= latest {
                    let ex_birth = plus_days(husband_birth, self.rng.range(-900, 900));
                    let ex_surname = names::surname(&mut self.rng, &[]);
                    let ex_region = self.elsewhere(ex_birth);
                    let ex = self.person(Sex::Male, ex_birth, ex_surname, ex_region, 0, true);
                    story = Story::Remarried { ex, divorced };
                    // The first husband keeps the first marriage date.
                    let p = self.p(ex);
                    p.marital = Marital::Divorced;
                    p.marriage_date = Some(first);
                    self.register(RegKind::Marriage, wife, ex, first);
                    if !court {
                        self.register(RegKind::Divorce, wife, ex, divorced);
                    }
                    self.register(RegKind::Marriage, wife, husband, again);
                    self.marry(wife, husband, again, Marital::Remarried);
                    self.p(husband).marital = Marital::FirstMarriage;
                }
            } else if draw < rates.remarried + rates.divorced_now {
                let divorced = plus_days(first, self.rng.range(365, 10 * 365));
                if divorced <= latest {
                    story = Story::DivorcedNow { divorced, court };
                }
            } else if draw < rates.remarried + rates.divorced_now + rates.remarried_same_spouse {
                let divorced = plus_days(first, self.rng.range(365, 6 * 365));
                let again = plus_days(divorced, self.rng.range(100, 3 * 365));
                if again <= latest {
                    story = Story::RemarriedSame { divorced, again };
                }
            }
        }
        match story {
            Story::FirstMarriage => {
                self.register(RegKind::Marriage, wife, husband, first);
                self.marry(wife, husband, first, Marital::FirstMarriage);
            }
            Story::Remarried { .. } => {}
            Story::DivorcedNow { divorced, court } => {
                self.register(RegKind::Marriage, wife, husband, first);
                if !court {
                    self.register(RegKind::Divorce, wife, husband, divorced);
                }
                self.marry(wife, husband, first, Marital::FirstMarriage);
                for pid in [wife, husband] {
                    let p = self.p(pid);
                    p.marital = Marital::Divorced;
                    p.spouse = None;
                }
                // He left: the household is hers, and he is no longer of it.
                self.p(wife).relation = 2;
                let p = self.p(husband);
                p.external = true;
                p.hukou = Hukou::None;
                p.household = 0;
                self.count -= 1;
            }
            Story::RemarriedSame { divorced, again } => {
                self.register(RegKind::Marriage, wife, husband, first);
                self.register(RegKind::Divorce, wife, husband, divorced);
                self.register(RegKind::Remarriage, wife, husband, again);
                self.marry(wife, husband, again, Marital::RemarriedSameSpouse);
            }
        }

        // Children: of the first husband before the divorce, of the present
        // one after the (re)marriage.
        let (kids_father, kids_from, kids_until) = match story {
            Story::FirstMarriage => (husband, first, as_of),
            Story::Remarried { ex, divorced, .. } => {
                if self.rng.chance(0.4) {
                    self.children(wife, ex, first, divorced, 1);
                }
                let again = self.chunk.people[wife as usize]
                    .marriage_date
                    .unwrap_or(first);
                (husband, again, as_of)
            }
            Story::DivorcedNow { divorced, .. } => (husband, first, divorced),
            Story::RemarriedSame { again, .. } => (husband, first.min(again), as_of),
        };
        let max_kids = match kids_from.year() {
            ..=1979 => *self.rng.pick(&[1, 2, 2, 3, 3, 4]),
            1980..=1999 => *self.rng.pick(&[1, 1, 1, 2, 2, 2, 3]),
            2000..=2015 => *self.rng.pick(&[0, 1, 1, 1, 1, 2, 2, 2, 2, 3]),
            _ => *self.rng.pick(&[0, 0, 1, 1, 1, 1, 2, 2]),
        };
        self.children(wife, kids_father, kids_from, kids_until, max_kids);

        // A wife from outside who married in recently may have kept her
        // registration at home: WIS lists her, the household register not.
        let wife_p = &self.chunk.people[wife as usize];
        if !places::is_county(wife_p.region)
            && wife_p
                .marriage_date
                .is_some_and(|d| d.year() >= as_of.year() - 12)
            && !wife_p.external
            && self.rng.chance(rates.wife_keeps_hukou)
        {
            let p = self.p(wife);
            p.hukou = Hukou::None;
            p.household = 0;
        }

        // The husband's parents.
        let husband_age = husband_birth.age_on(as_of);
        if !self.chunk.people[husband as usize].external
            && husband_age >= 26
            && self.rng.chance(rates.elder_parents)
        {
            let mother_birth = plus_days(
                plus_years(husband_birth, -(self.rng.bell(26, 3, 21, 35) as i32)),
                self.rng.range(-200, 200),
            );
            if mother_birth.age_on(as_of) <= 96 {
                let mother_surname = names::surname(&mut self.rng, &[]);
                let mother = self.person(
                    Sex::Female,
                    mother_birth,
                    mother_surname,
                    places::COUNTY_CODE,
                    52,
                    false,
                );
                let both = self.rng.chance(0.45);
                let wed = plus_days(plus_years(mother_birth, 21), self.rng.range(0, 900));
                if both {
                    let father_birth = plus_days(mother_birth, -self.rng.range(0, 4 * 365));
                    let father = self.person(
                        Sex::Male,
                        father_birth,
                        husband_surname,
                        places::COUNTY_CODE,
                        51,
                        false,
                    );
                    let wed = wed.max(plus_days(plus_years(father_birth, 22), 1));
                    self.marry(mother, father, wed, Marital::FirstMarriage);
                    self.p(husband).father = Some(father);
                    if self.rng.chance(rates.elder_died) {
                        self.dies(father, mother);
                    }
                } else {
                    let p = self.p(mother);
                    p.marital = Marital::Widowed;
                    p.marriage_date = Some(wed);
                }
                self.p(husband).mother = Some(mother);
            }
        }
    }

    /// `who` died within the last ten years; `spouse` is widowed.
    fn dies(&mut self, who: Pid, spouse: Pid) {
        let as_of = self.as_of();
        let birth = self.chunk.people[who as usize].birth;
        let earliest = plus_days(as_of, -10 * 365).max(plus_years(birth, 60));
        if earliest >= as_of {
            return;
        }
        let date = plus_days(
            earliest,
            self.rng.range(0, days(as_of) - days(earliest) - 1),
        );
        let p = self.p(who);
        p.hukou = Hukou::Dead(date);
        let s = self.p(spouse);
        s.marital = Marital::Widowed;
        s.spouse = None;
    }

    /// Up to `max` children of `mother` and `father` born between `from`
    /// and `until`, at sensible intervals, while the mother is 20–44.
    fn children(&mut self, mother: Pid, father: Pid, from: Date, until: Date, max: usize) {
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

    /// A couple with the wife 50 or older; grown children mostly gone.
    fn older_couple(&mut self) {
        let rates = self.s.rates;
        let as_of = self.as_of();
        let wife_birth = {
            let age = if self.rng.chance(0.6) {
                self.rng.range(50, 65)
            } else {
                self.rng.bell(72, 8, 55, 92)
            };
            self.born_aged(age)
        };
        let husband_birth = plus_days(
            plus_years(wife_birth, -(self.rng.bell(2, 2, -2, 8) as i32)),
            self.rng.range(-100, 100),
        );
        let clans = self.s.county.villages[self.v as usize].clans.clone();
        let husband_surname = names::surname(&mut self.rng, &clans);
        let wife_surname = names::surname(&mut self.rng, &[]);
        let wife_region = if self.rng.chance(rates.wife_born_elsewhere / 2.0) {
            self.elsewhere(wife_birth)
        } else {
            places::COUNTY_CODE
        };
        let husband = self.person(
            Sex::Male,
            husband_birth,
            husband_surname,
            places::COUNTY_CODE,
            2,
            false,
        );
        let wife = self.person(
            Sex::Female,
            wife_birth,
            wife_surname,
            wife_region,
            12,
            false,
        );
        let wed = plus_days(
            plus_years(wife_birth, self.rng.bell(22, 1, 20, 26) as i32),
            self.rng.range(0, 300),
        )
        .max(plus_days(plus_years(husband_birth, 22), 1));
        self.register(RegKind::Marriage, wife, husband, wed);
        self.marry(wife, husband, wed, Marital::FirstMarriage);
        if husband_birth.age_on(as_of) >= 62 && self.rng.chance(rates.elder_died) {
            self.dies(husband, wife);
        } else if wife_birth.age_on(as_of) >= 65 && self.rng.chance(rates.elder_died / 2.0) {
            self.dies(wife, husband);
        }
        // An unmarried grown child still at home.
        if self.rng.chance(0.35) {
            let age_of_mother = self.rng.bell(28, 4, 21, 40);
            let date = plus_days(
                plus_years(wife_birth, age_of_mother as i32),
                self.rng.range(0, 364),
            );
            if date.age_on(as_of) >= 18 && date.age_on(as_of) <= 35 && date < as_of {
                let sex = if self.rng.chance(0.6) {
                    Sex::Male
                } else {
                    Sex::Female
                };
                let relation = if sex == Sex::Male { 20 } else { 30 };
                let c = self.person(
                    sex,
                    date,
                    husband_surname,
                    places::COUNTY_CODE,
                    relation,
                    false,
                );
                let p = self.p(c);
                p.mother = Some(wife);
                p.father = Some(husband);
            }
        }
        // A daughter who married out, her registration moved with her.
        if self.rng.chance(rates.daughter_married_out) {
            let age_of_mother = self.rng.bell(26, 4, 21, 40);
            let date = plus_days(
                plus_years(wife_birth, age_of_mother as i32),
                self.rng.range(0, 364),
            );
            let age = date.age_on(as_of);
            if (21..=40).contains(&age) {
                let d = self.person(
                    Sex::Female,
                    date,
                    husband_surname,
                    places::COUNTY_CODE,
                    30,
                    false,
                );
                let married = plus_days(
                    plus_years(date, 20),
                    self.rng.range(30, ((age - 20) as i64 * 365).max(31)),
                );
                if married < as_of {
                    let husband_birth = plus_days(date, -self.rng.range(0, 4 * 365));
                    let their_surname = names::surname(&mut self.rng, &[]);
                    let region = self.elsewhere(husband_birth);
                    let man = self.person(Sex::Male, husband_birth, their_surname, region, 0, true);
                    let married = married.max(plus_days(plus_years(husband_birth, 22), 1));
                    if married < as_of {
                        self.register(RegKind::Marriage, d, man, married);
                        self.marry(d, man, married, Marital::FirstMarriage);
                        let left =
                            plus_days(married, self.rng.range(10, 200)).min(plus_days(as_of, -1));
                        let p = self.p(d);
                        p.hukou = Hukou::MovedOut(left);
                        p.mother = Some(wife);
                        p.father = Some(husband);
                    }
                }
            }
        }
    }

    fn elder_alone(&mut self) {
        let age = self.rng.bell(79, 8, 62, 100);
        let birth = self.born_aged(age);
        let sex = if self.rng.chance(0.7) {
            Sex::Female
        } else {
            Sex::Male
        };
        let clans = self.s.county.villages[self.v as usize].clans.clone();
        let surname = names::surname(&mut self.rng, if sex == Sex::Male { &clans } else { &[] });
        let p = self.person(sex, birth, surname, places::COUNTY_CODE, 2, false);
        let wed = plus_days(
            plus_years(birth, if sex == Sex::Female { 21 } else { 23 }),
            self.rng.range(0, 700),
        );
        let person = self.p(p);
        person.marital = Marital::Widowed;
        person.marriage_date = Some(wed);
    }

    fn single_adult(&mut self) {
        let age = self.rng.bell(42, 10, 28, 65);
        let birth = self.born_aged(age);
        let sex = if self.rng.chance(0.8) {
            Sex::Male
        } else {
            Sex::Female
        };
        let clans = self.s.county.villages[self.v as usize].clans.clone();
        let surname = names::surname(&mut self.rng, &clans);
        self.person(sex, birth, surname, places::COUNTY_CODE, 2, false);
    }

    fn young_adult(&mut self) {
        let age = self.rng.bell(24, 4, 18, 34);
        let birth = self.born_aged(age);
        let sex = if self.rng.chance(0.55) {
            Sex::Male
        } else {
            Sex::Female
        };
        let clans = self.s.county.villages[self.v as usize].clans.clone();
        let surname = names::surname(&mut self.rng, &clans);
        self.person(sex, birth, surname, places::COUNTY_CODE, 2, false);
    }

    /// A young family that moved its registration out of the county within
    /// the last eight years; the register still lists them as 迁出.
    fn moved_out_family(&mut self) {
        let as_of = self.as_of();
        let first = self.chunk.people.len();
        self.young_family();
        let left = plus_days(as_of, -self.rng.range(30, 8 * 365));
        for i in first..self.chunk.people.len() {
            let p = &mut self.chunk.people[i];
            if p.external {
                continue;
            }
            if p.hukou == Hukou::Active && p.birth < left {
                p.hukou = Hukou::MovedOut(left);
            } else if matches!(p.hukou, Hukou::Active | Hukou::None) {
                // Born after the move, or never registered here: not of
                // the county at all.
                p.hukou = Hukou::None;
                p.household = 0;
                p.external = true;
                self.count -= 1;
            }
        }
    }

    /// Women from outside the county who gave birth in its hospitals: the
    /// certificate and the delivery record are the county's, the mother
    /// and child are not (so they are never a case of M or B).
    fn migrant_births(&mut self) {
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
