//! The kinds of household: young families (with a divorce, a remarriage or
//! the husband's parents), older couples, the widowed, single adults,
//! young adults, and families that moved away.

use super::{Builder, days, plus_days, plus_years};
use crate::identity::{Date, Marital, Sex};
use crate::sample::names;
use crate::sample::places;
use crate::sample::world::{Hukou, Pid, RegKind};

impl Builder<'_> {
    /// A couple with the wife aged 20–49, their children, perhaps the
    /// husband's parents, perhaps a divorce or a remarriage.
    pub(super) fn young_family(&mut self) {
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

    /// A couple with the wife 50 or older; grown children mostly gone.
    pub(super) fn older_couple(&mut self) {
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

    pub(super) fn elder_alone(&mut self) {
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

    pub(super) fn single_adult(&mut self) {
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

    pub(super) fn young_adult(&mut self) {
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
    pub(super) fn moved_out_family(&mut self) {
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
}
