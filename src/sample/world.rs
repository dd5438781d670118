//! The truth of the synthetic county: who lives there, who married whom,
//! who was born to whom, who moved and who died.
//!
//! Takes the people, registrations and births that `families` generates
//! village by village (each village from its own random stream), joins them
//! into one [`World`] with global indices, and gives every person an ID
//! number: region of first registration, birth date, a sequence unique for
//! that region, date and sex (odd for men, even for women) and the check
//! character. The registers are derived from this truth as perfect
//! registers would hold it; lags and errors are added to the registers,
//! never to the truth.

use std::collections::HashMap;

use super::places::County;
use crate::identity::id_number::check_character;
use crate::identity::{Date, Marital, Sex};

/// A person's index in [`World::people`].
pub type Pid = u32;

/// The state of a person's household registration in the county.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hukou {
    /// Never registered in the county (a wife who kept her registration at
    /// home, a newborn not yet registered, anyone from outside).
    None,
    /// 正常.
    Active,
    /// 死亡, on the date.
    Dead(Date),
    /// 迁出, on the date.
    MovedOut(Date),
}

/// Where a person lives, as WIS records it (现居住地).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lives {
    /// In the village of registration.
    Home,
    /// In another village of the county (人户分离 within the county).
    Village(u32),
    /// Outside the county, working away (外出).
    Away(&'static str),
}

#[derive(Clone, Debug)]
pub struct Person {
    pub name: String,
    pub sex: Sex,
    pub birth: Date,
    /// GB 3304 code.
    pub ethnicity: u8,
    /// GB/T 2260 code of the place of first registration.
    pub region: &'static str,
    /// 18 characters, assigned by [`assign_ids`].
    pub id: String,
    pub mother: Option<Pid>,
    pub father: Option<Pid>,
    pub spouse: Option<Pid>,
    pub marital: Marital,
    /// Date of the current marriage (or of the last one, for the divorced
    /// and widowed).
    pub marriage_date: Option<Date>,
    pub hukou: Hukou,
    /// The village of household registration; for people without one, the
    /// village where they live (and where WIS lists them).
    pub village: u32,
    /// Household number (户号), county-wide.
    pub household: u32,
    /// 与户主关系 code: 02 户主, 11 夫, 12 妻, 20 子, 30 女, 51 父亲, 52 母亲.
    pub relation: u8,
    /// The village the household registration moved from (within the county).
    pub prev_village: Option<u32>,
    pub lives: Lives,
    /// Not of the county at all: an ex-husband who left, a migrant mother
    /// who delivered in a county hospital, her husband and child.
    pub external: bool,
}

impl Person {
    pub fn is_local(&self) -> bool {
        self.hukou == Hukou::Active
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegKind {
    /// 结婚登记
    Marriage,
    /// 离婚登记
    Divorce,
    /// 复婚登记 (remarriage to the same spouse)
    Remarriage,
}

impl RegKind {
    pub fn is_marriage(self) -> bool {
        matches!(self, RegKind::Marriage | RegKind::Remarriage)
    }
}

/// One registration at civil affairs (a court divorce never is one).
#[derive(Clone, Debug)]
pub struct Registration {
    pub kind: RegKind,
    pub woman: Pid,
    pub man: Pid,
    pub date: Date,
    /// Registered at this county's office (else at the other party's).
    pub here: bool,
}

/// One birth, as a hospital and a certificate see it.
#[derive(Clone, Debug)]
pub struct Birth {
    pub child: Pid,
    pub mother: Pid,
    pub father: Pid,
    pub date: Date,
    /// Index into the county's hospitals; `None`: born outside the county.
    pub hospital: Option<u16>,
    /// The hospital kept a delivery record (住院分娩实名登记).
    pub delivery_record: bool,
    /// The newborn's name on the certificate: the registered name, another
    /// one, a placeholder (`之子`, `李梅之女`) or blank.
    pub cert_name: String,
    /// 顺产 or 剖宫产.
    pub caesarean: bool,
}

/// The whole county.
#[derive(Clone, Debug)]
pub struct World {
    pub people: Vec<Person>,
    pub registrations: Vec<Registration>,
    pub births: Vec<Birth>,
}

/// The part of the world one village generates, with indices local to it.
#[derive(Clone, Debug, Default)]
pub struct Chunk {
    pub people: Vec<Person>,
    pub registrations: Vec<Registration>,
    pub births: Vec<Birth>,
    pub households: u32,
}

/// Joins the villages' chunks, in village order, into one world.
pub fn join(chunks: Vec<Chunk>) -> World {
    let total: usize = chunks.iter().map(|c| c.people.len()).sum();
    let mut world = World {
        people: Vec::with_capacity(total),
        registrations: Vec::new(),
        births: Vec::new(),
    };
    let mut household_base = 0u32;
    for chunk in chunks {
        let base = world.people.len() as Pid;
        let shift = |p: Pid| p + base;
        for mut p in chunk.people {
            p.mother = p.mother.map(shift);
            p.father = p.father.map(shift);
            p.spouse = p.spouse.map(shift);
            if p.household != 0 {
                p.household += household_base;
            }
            world.people.push(p);
        }
        for mut r in chunk.registrations {
            r.woman = shift(r.woman);
            r.man = shift(r.man);
            world.registrations.push(r);
        }
        for mut b in chunk.births {
            b.child = shift(b.child);
            b.mother = shift(b.mother);
            b.father = shift(b.father);
            world.births.push(b);
        }
        household_base += chunk.households;
    }
    world
}

/// Gives every person an ID number. Sequences are unique per region and
/// birth date, start at a point that depends on both (so numbers do not all
/// end in 001), and never use 996–999 (the centenarian codes of 1989), so
/// that a 15-digit form upgrades with `19`.
pub fn assign_ids(world: &mut World) {
    // One counter per region, birth date and sex: the k-th person gets
    // start + 2k (mod 996, which keeps the parity), so up to 498 people of
    // one sex share a region and a day without repeating a number.
    let mut next: HashMap<(&'static str, Date, bool), u32> = HashMap::new();
    for p in &mut world.people {
        let male = p.sex == Sex::Male;
        let counter = next.entry((p.region, p.birth, male)).or_insert(0);
        let k = *counter;
        *counter += 1;
        let d = p.birth.days_since_epoch().unsigned_abs() as u32;
        let r: u32 = p.region.bytes().map(u32::from).sum();
        let start = (d.wrapping_mul(37) ^ r.wrapping_mul(101)) % 400 * 2 + u32::from(male);
        let seq = (start + 2 * k) % 996;
        let mut id = String::with_capacity(18);
        id.push_str(p.region);
        id.push_str(&p.birth.compact());
        id.push_str(&format!("{seq:03}"));
        let check = check_character(id.as_bytes()).unwrap_or('0');
        id.push(check);
        p.id = id;
    }
}

/// The 15-digit number of the same person (region, YYMMDD, sequence), for
/// those born 1900–1999 whose number an old system still prints.
pub fn fifteen_digit(id: &str) -> Option<String> {
    if id.len() != 18 || !id.is_ascii() || &id[6..8] != "19" || &id[14..17] >= "996" {
        return None;
    }
    Some(format!("{}{}", &id[..6], &id[8..17]))
}

/// The village's display names: town and village.
pub fn village_names(county: &County, village: u32) -> (&str, &str) {
    let v = &county.villages[village as usize];
    (&county.towns[v.town].name, &v.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::IdParser;

    fn person(sex: Sex, birth: Date, region: &'static str) -> Person {
        Person {
            name: "张三".into(),
            sex,
            birth,
            ethnicity: 1,
            region,
            id: String::new(),
            mother: None,
            father: None,
            spouse: None,
            marital: Marital::Unmarried,
            marriage_date: None,
            hukou: Hukou::Active,
            village: 0,
            household: 1,
            relation: 2,
            prev_village: None,
            lives: Lives::Home,
            external: false,
        }
    }

    #[test]
    fn ids_are_valid_unique_and_say_sex_and_birth() {
        let d = Date::from_ymd(1988, 2, 29).unwrap();
        let mut chunk = Chunk::default();
        for i in 0..600 {
            let sex = if i % 3 == 0 { Sex::Male } else { Sex::Female };
            chunk.people.push(person(sex, d, "371326"));
        }
        chunk.people.push(person(
            Sex::Male,
            Date::from_ymd(2020, 1, 1).unwrap(),
            "110103",
        ));
        let mut world = join(vec![chunk]);
        assign_ids(&mut world);
        let parser = IdParser::new(Date::from_ymd(2026, 6, 30).unwrap());
        let mut seen = std::collections::HashSet::new();
        for p in &world.people {
            let id = parser.parse(&p.id);
            assert!(id.is_valid(), "{} {:?}", p.id, id.problems());
            assert_eq!(id.birth_date(), Some(p.birth));
            assert_eq!(id.sex(), Some(p.sex));
            assert!(seen.insert(p.id.clone()), "{} twice", p.id);
            if let Some(old) = fifteen_digit(&p.id) {
                assert_eq!(parser.parse(&old).cleaned(), p.id);
            }
        }
    }
}
