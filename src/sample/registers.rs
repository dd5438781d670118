//! The four registers as their systems hold them, before any lag or typo.
//!
//! Takes the truth ([`World`]) and gives the records of WIS, the household
//! register, civil-affairs marriage registration and the birth evidence
//! (certificates and hospital delivery records) exactly as perfect systems
//! would hold them on the as-of date: WIS lists everyone who lives in the
//! county or is registered there, the household register lists every
//! registration including the dead and moved out of the last ten years,
//! civil affairs lists the registrations made at this county's office
//! since 2003, and the hospitals list the births they delivered since 2011.
//! Every record remembers whose it is (the person, the woman and man, the
//! child and mother), so links and cases can be told without guessing.

use super::world::{Hukou, Lives, Pid, RegKind, World};
use crate::identity::{Date, HouseholdStatus, Marital, Sex};

/// The four registers, by their source keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Register {
    Wis,
    Household,
    Marriage,
    Birth,
}

impl Register {
    pub const ALL: [Register; 4] = [
        Register::Wis,
        Register::Household,
        Register::Marriage,
        Register::Birth,
    ];

    /// The source key of the domain brief (`wis`, `household` …).
    pub fn key(self) -> &'static str {
        match self {
            Register::Wis => "wis",
            Register::Household => "household",
            Register::Marriage => "marriage",
            Register::Birth => "birth",
        }
    }
}

/// Which fields of a record were changed on purpose (a lag or an error),
/// so that noise goes only where nothing else did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fields(pub u32);

impl Fields {
    pub const ID: u32 = 1;
    pub const NAME: u32 = 1 << 1;
    pub const BIRTH: u32 = 1 << 2;
    pub const SEX: u32 = 1 << 3;
    pub const MARITAL: u32 = 1 << 4;
    pub const VILLAGE: u32 = 1 << 5;
    pub const SPOUSE: u32 = 1 << 6;
    pub const MOTHER_ID: u32 = 1 << 7;
    pub const FATHER_ID: u32 = 1 << 8;
    pub const MAN_ID: u32 = 1 << 9;
    pub const WOMAN_ID: u32 = 1 << 10;
    pub const WOMAN_BIRTH: u32 = 1 << 11;
    /// The record itself: a duplicate, or kept after the person left.
    pub const RECORD: u32 = 1 << 12;

    pub fn set(&mut self, bits: u32) {
        self.0 |= bits;
    }

    pub fn has(self, bits: u32) -> bool {
        self.0 & bits != 0
    }

    pub fn any(self) -> bool {
        self.0 != 0
    }
}

/// Where WIS says a person's household registration is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Village(u32),
    /// In another county (GB/T 2260 code): a wife who kept her registration
    /// at home.
    Outside(&'static str),
}

#[derive(Clone, Debug)]
pub struct WisRecord {
    pub person: Pid,
    pub name: String,
    pub sex: Sex,
    pub ethnicity: u8,
    pub birth: Date,
    pub id: String,
    pub marital: Marital,
    pub marriage_date: Option<Date>,
    pub spouse_name: String,
    pub spouse_id: String,
    pub mother_name: String,
    pub mother_id: String,
    /// 户籍地.
    pub hukou: Place,
    /// 现居住地.
    pub lives: Lives,
    /// The village whose sheet lists the record (where the person lives, in
    /// the county; else where registered).
    pub sheet_village: u32,
    /// A second entry of the record at this index.
    pub copy_of: Option<u32>,
    pub changed: Fields,
}

#[derive(Clone, Debug)]
pub struct HouseholdRecord {
    pub person: Pid,
    pub id: String,
    pub name: String,
    pub sex: Sex,
    pub ethnicity: u8,
    pub birth: Date,
    pub marital: Marital,
    pub relation: u8,
    pub status: HouseholdStatus,
    pub household: u32,
    pub spouse_name: String,
    pub spouse_id: String,
    pub mother_name: String,
    pub mother_id: String,
    pub village: u32,
    pub copy_of: Option<u32>,
    pub changed: Fields,
}

#[derive(Clone, Debug)]
pub struct MarriageRecord {
    pub woman: Pid,
    pub man: Pid,
    pub kind: RegKind,
    pub date: Date,
    pub man_name: String,
    pub man_id: String,
    pub man_birth: Date,
    pub woman_name: String,
    pub woman_id: String,
    pub woman_birth: Date,
    /// 结婚证字号 / 离婚证字号.
    pub number: String,
    pub copy_of: Option<u32>,
    pub changed: Fields,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BirthKind {
    /// 出生医学证明.
    Certificate,
    /// 住院分娩实名登记.
    Delivery,
}

#[derive(Clone, Debug)]
pub struct BirthRecord {
    pub kind: BirthKind,
    pub child: Pid,
    pub mother: Pid,
    pub father: Pid,
    /// The newborn's name (certificates only).
    pub child_name: String,
    pub child_sex: Sex,
    pub child_birth: Date,
    pub hospital: u16,
    pub mother_name: String,
    pub mother_id: String,
    /// GB 3304 code of the mother's ethnicity (certificates show it).
    pub mother_ethnicity: u8,
    pub father_name: String,
    pub father_id: String,
    /// Certificate number, or the hospital's admission number.
    pub number: String,
    /// Date of issue (certificates only).
    pub issued: Option<Date>,
    pub caesarean: bool,
    /// The mother's ID went through a spreadsheet as a number: the file
    /// shows its first 15 digits as a float.
    pub mother_id_as_number: bool,
    pub copy_of: Option<u32>,
    pub changed: Fields,
}

#[derive(Clone, Debug, Default)]
pub struct Registers {
    pub wis: Vec<WisRecord>,
    pub household: Vec<HouseholdRecord>,
    pub marriage: Vec<MarriageRecord>,
    pub birth: Vec<BirthRecord>,
}

impl Registers {
    pub fn len(&self, register: Register) -> usize {
        match register {
            Register::Wis => self.wis.len(),
            Register::Household => self.household.len(),
            Register::Marriage => self.marriage.len(),
            Register::Birth => self.birth.len(),
        }
    }
}

/// The first day of the marriage registrations civil affairs exports.
pub fn marriages_exported_from() -> Date {
    Date::from_ymd(2003, 1, 1).expect("a real date")
}

/// The registers as perfect systems would hold them.
pub fn derive(world: &World, county_code: &str, as_of: Date) -> Registers {
    let mut r = Registers::default();
    let people = &world.people;
    let spouse_of = |pid: Pid| {
        let p = &people[pid as usize];
        match (p.marital.is_married(), p.spouse) {
            (true, Some(s)) => (
                people[s as usize].name.clone(),
                people[s as usize].id.clone(),
            ),
            _ => (String::new(), String::new()),
        }
    };
    let mother_of = |pid: Pid, young_only: bool| {
        let p = &people[pid as usize];
        match p.mother {
            Some(m) if !young_only || p.birth.year() >= 2000 => (
                people[m as usize].name.clone(),
                people[m as usize].id.clone(),
            ),
            _ => (String::new(), String::new()),
        }
    };

    for (i, p) in people.iter().enumerate() {
        let pid = i as Pid;
        if p.external {
            continue;
        }
        // WIS: everyone registered in the county or living there.
        if matches!(p.hukou, Hukou::Active | Hukou::None) {
            let (spouse_name, spouse_id) = spouse_of(pid);
            let (mother_name, mother_id) = mother_of(pid, true);
            let hukou = if p.hukou == Hukou::None && !super::places::is_county(p.region) {
                Place::Outside(p.region)
            } else {
                Place::Village(p.village)
            };
            let sheet_village = match p.lives {
                Lives::Village(v) => v,
                _ => p.village,
            };
            r.wis.push(WisRecord {
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
                hukou,
                lives: p.lives,
                sheet_village,
                copy_of: None,
                changed: Fields::default(),
            });
        }
        // The household register: every registration, active or not.
        let status = match p.hukou {
            Hukou::None => None,
            Hukou::Active => Some(HouseholdStatus::Active),
            Hukou::Dead(_) => Some(HouseholdStatus::Dead),
            Hukou::MovedOut(_) => Some(HouseholdStatus::MovedOut),
        };
        if let Some(status) = status {
            let (spouse_name, spouse_id) = spouse_of(pid);
            let (mother_name, mother_id) = mother_of(pid, false);
            r.household.push(HouseholdRecord {
                person: pid,
                id: p.id.clone(),
                name: p.name.clone(),
                sex: p.sex,
                ethnicity: p.ethnicity,
                birth: p.birth,
                marital: p.marital,
                relation: p.relation,
                status,
                household: p.household,
                spouse_name,
                spouse_id,
                mother_name,
                mother_id,
                village: p.village,
                copy_of: None,
                changed: Fields::default(),
            });
        }
    }

    // Civil affairs: this office's registrations since 2003, numbered per
    // year and kind in the order they were made.
    let mut regs: Vec<usize> = (0..world.registrations.len())
        .filter(|&i| {
            let reg = &world.registrations[i];
            reg.here && reg.date >= marriages_exported_from() && reg.date <= as_of
        })
        .collect();
    regs.sort_by_key(|&i| (world.registrations[i].date, i));
    let mut serial = std::collections::BTreeMap::new();
    for i in regs {
        let reg = &world.registrations[i];
        let prefix = if reg.kind == RegKind::Divorce {
            "L"
        } else {
            "J"
        };
        let n = serial.entry((prefix, reg.date.year())).or_insert(0u32);
        *n += 1;
        let woman = &people[reg.woman as usize];
        let man = &people[reg.man as usize];
        r.marriage.push(MarriageRecord {
            woman: reg.woman,
            man: reg.man,
            kind: reg.kind,
            date: reg.date,
            man_name: man.name.clone(),
            man_id: man.id.clone(),
            man_birth: man.birth,
            woman_name: woman.name.clone(),
            woman_id: woman.id.clone(),
            woman_birth: woman.birth,
            number: format!("{prefix}{county_code}-{}-{:06}", reg.date.year(), n),
            copy_of: None,
            changed: Fields::default(),
        });
    }

    // Hospitals: certificates and delivery records of the births they
    // delivered, in the order of birth.
    let mut births: Vec<usize> = (0..world.births.len())
        .filter(|&i| world.births[i].hospital.is_some() && world.births[i].date <= as_of)
        .collect();
    births.sort_by_key(|&i| (world.births[i].date, i));
    let mut cert_serial = 0u32;
    let mut admission = std::collections::BTreeMap::new();
    for i in births {
        let b = &world.births[i];
        let hospital = b.hospital.unwrap_or(0);
        let mother = &people[b.mother as usize];
        let father = &people[b.father as usize];
        let child = &people[b.child as usize];
        cert_serial += 1;
        // One letter per year (O for 2011, P for 2012 …), nine digits.
        let letter = char::from(b'O' + ((b.date.year() - 2011).rem_euclid(12)) as u8);
        let issued = plus_days(b.date, 2 + i64::from(cert_serial % 9)).min(as_of);
        let base = BirthRecord {
            kind: BirthKind::Certificate,
            child: b.child,
            mother: b.mother,
            father: b.father,
            child_name: b.cert_name.clone(),
            child_sex: child.sex,
            child_birth: b.date,
            hospital,
            mother_name: mother.name.clone(),
            mother_id: mother.id.clone(),
            mother_ethnicity: mother.ethnicity,
            father_name: father.name.clone(),
            father_id: father.id.clone(),
            number: format!("{letter}37{cert_serial:07}"),
            issued: Some(issued),
            caesarean: b.caesarean,
            mother_id_as_number: false,
            copy_of: None,
            changed: Fields::default(),
        };
        if b.delivery_record {
            let n = admission.entry((hospital, b.date.year())).or_insert(0u32);
            *n += 1;
            r.birth.push(BirthRecord {
                kind: BirthKind::Delivery,
                child_name: String::new(),
                number: format!("{}{:02}{:05}", b.date.year(), hospital + 1, n),
                issued: None,
                ..base.clone()
            });
        }
        r.birth.push(base);
    }
    r
}

fn plus_days(d: Date, n: i64) -> Date {
    Date::from_days_since_epoch(d.days_since_epoch() + n)
}
