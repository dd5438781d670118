//! The known answers: every case of domain §6, and every true link.
//!
//! Takes the registers as they will be written and the truth of who each
//! record belongs to, and applies the rules of "How the categories are
//! decided" to them, with the identity core doing the normalising (so a
//! difference of normalisation is never a case). Because the rules run on
//! the final records, one error gives every category it causes: a WIS ID
//! typo is Q01 and H04 (and B03 on its owner's certificates), a wrong WIS
//! birth date Q02, H05 and, for a child, B02. What the rules need to know
//! that a tool must find out by matching — which records are the same
//! person — is taken from the truth. Gives the cases (one per category and
//! record) and the links between WIS records and the records of the same
//! person elsewhere.

use std::collections::HashMap;

use rayon::prelude::*;

use super::families::births_from;
use super::inject::float_shown;
use super::registers::{BirthRecord, Register, Registers};
use super::world::{Pid, World};
use crate::identity::Date;

mod events;
mod judge;
mod people;

use judge::{Index, Judge};

/// The categories of domain §6, as the check reports them.
pub use crate::classify::case::Category;

/// A record of a register, by its index there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rec {
    pub register: Register,
    pub index: u32,
}

impl Rec {
    fn new(register: Register, index: usize) -> Rec {
        Rec {
            register,
            index: index as u32,
        }
    }
}

/// One case: its category, the record a person looks at first, the field
/// that carries it, and what it is in words (masked ID numbers only). The
/// other side's record, where there is one, is named in the note when the
/// truth is written.
#[derive(Clone, Debug)]
pub struct Case {
    pub category: Category,
    pub rec: Rec,
    pub field: String,
    pub note: String,
    pub other: Option<Rec>,
}

/// The part a linked record plays for the WIS person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// The household record of the same person.
    Person,
    /// 女方 of a marriage registration.
    Woman,
    /// 男方 of a marriage registration.
    Man,
    /// The mother on a birth record.
    Mother,
    /// The newborn of a birth record.
    Child,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Person => "person",
            Role::Woman => "woman",
            Role::Man => "man",
            Role::Mother => "mother",
            Role::Child => "child",
        }
    }
}

/// A WIS record and a record of the same person in another register.
#[derive(Clone, Copy, Debug)]
pub struct Link {
    pub wis: u32,
    pub other: Rec,
    pub role: Role,
}

/// The scope of the campaign (domain §1, the defaults of §6).
#[derive(Clone, Copy, Debug)]
pub struct Scope {
    pub as_of: Date,
    pub women_min_age: i32,
    pub women_max_age: i32,
    pub marriages_from: Date,
    pub births_from: Date,
}

impl Scope {
    pub fn new(as_of: Date) -> Scope {
        Scope {
            as_of,
            women_min_age: 20,
            women_max_age: 49,
            marriages_from: Date::from_ymd(2008, 1, 1).expect("a real date"),
            births_from: births_from(),
        }
    }

    fn marriage_in_scope(&self, d: Date) -> bool {
        d >= self.marriages_from && d <= self.as_of
    }

    fn birth_in_scope(&self, d: Date) -> bool {
        d >= self.births_from && d <= self.as_of
    }
}

/// The text a birth record shows for the mother's number.
pub fn mother_id_shown(b: &BirthRecord) -> String {
    if b.mother_id_as_number {
        float_shown(&b.mother_id).1
    } else {
        b.mother_id.clone()
    }
}

/// Every case and every link of the registers.
pub fn classify(r: &Registers, world: &World, scope: Scope) -> (Vec<Case>, Vec<Link>) {
    let judge = Judge::new(r, world, scope);
    let judge = &judge;

    // The latest registration in the scope years of every woman (the first
    // entry, when one was entered twice).
    let mut latest: HashMap<Pid, u32> = HashMap::new();
    for (i, m) in r.marriage.iter().enumerate() {
        if !scope.marriage_in_scope(m.date) {
            continue;
        }
        let better = match latest.get(&m.woman) {
            None => true,
            Some(&j) => {
                let o = &r.marriage[j as usize];
                (m.date, o.copy_of.is_some()) > (o.date, m.copy_of.is_some())
            }
        };
        if better {
            latest.insert(m.woman, i as u32);
        }
    }

    let mut cases: Vec<Case> = Vec::new();
    cases.extend(
        (0..r.wis.len())
            .into_par_iter()
            .flat_map_iter(|i| judge.wis(i))
            .collect::<Vec<_>>(),
    );
    cases.extend(
        (0..r.household.len())
            .into_par_iter()
            .flat_map_iter(|i| judge.household_rec(i))
            .collect::<Vec<_>>(),
    );
    cases.extend(
        (0..r.marriage.len())
            .into_par_iter()
            .flat_map_iter(|i| judge.marriage(i, &latest))
            .collect::<Vec<_>>(),
    );
    cases.extend(
        (0..r.birth.len())
            .into_par_iter()
            .flat_map_iter(|i| judge.birth(i))
            .collect::<Vec<_>>(),
    );
    let cases = merge(cases);

    let mut links = Vec::new();
    for (i, w) in r.wis.iter().enumerate() {
        let wis = i as u32;
        let mut add = |index: &Index, register: Register, role: Role| {
            for &(_, j) in index.get(w.person) {
                links.push(Link {
                    wis,
                    other: Rec { register, index: j },
                    role,
                });
            }
        };
        add(&judge.household, Register::Household, Role::Person);
        add(&judge.woman_of, Register::Marriage, Role::Woman);
        add(&judge.man_of, Register::Marriage, Role::Man);
        add(&judge.mother_of, Register::Birth, Role::Mother);
        add(&judge.child_of, Register::Birth, Role::Child);
    }
    (cases, links)
}

/// One case per category and record: the fields and notes of several
/// findings of one category in one record joined.
fn merge(cases: Vec<Case>) -> Vec<Case> {
    let mut out: Vec<Case> = Vec::with_capacity(cases.len());
    let mut at: HashMap<(Category, Rec), usize> = HashMap::new();
    for c in cases {
        match at.get(&(c.category, c.rec)) {
            Some(&i) => {
                let first = &mut out[i];
                if !first.field.split(';').any(|f| f == c.field) {
                    first.field = format!("{};{}", first.field, c.field);
                }
                first.note = format!("{}；{}", first.note, c.note);
            }
            None => {
                at.insert((c.category, c.rec), out.len());
                out.push(c);
            }
        }
    }
    out
}
