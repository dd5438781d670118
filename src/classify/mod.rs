//! The classifying stage: links and non-links → the cases of domain §6.
//!
//! Takes the loaded registers ([`Register`]: each one's [`Records`] and the
//! persons the engine links) and the campaign's [`Scope`], links WIS with
//! each other register through the engine ([`crate::link`]), and gives every
//! case ([`Case`]) with the counts of what was linked. One module per group
//! of categories: [`quality`] Q01–Q03 (no linking), [`household`] H01–H06.
//! The cases come back sorted by category, source, record and field, so any
//! thread count gives the same output.

pub mod answer;
pub mod birth;
pub mod calendar;
pub mod case;
pub mod household;
pub mod marriage;
pub mod quality;
pub mod records;

use std::collections::BTreeMap;

use polars::prelude::{DataFrame, PolarsResult};
use serde::Serialize;

use crate::identity::Date;
use crate::link::person::{Person, Role, persons};
use crate::link::{Band, LinkOptions, Thresholds, link};
use crate::load::SourceKind;
pub use answer::Answer;
pub use case::{Case, Category, Evidence, RecordRef, digest};
pub use records::Records;

/// The campaign's scope (domain §1 and §6); every value is a setting.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Scope {
    pub as_of: Date,
    /// H01: married women of these ages (completed years on `as_of`).
    pub women_min_age: i32,
    pub women_max_age: i32,
    /// M: registrations dated from this day to `as_of`.
    pub marriages_from: Date,
    /// B: births from this day to `as_of`.
    pub births_from: Date,
}

impl Scope {
    /// The defaults of domain §6: women 20–49, marriages from 2008, births
    /// from 2011.
    pub fn new(as_of: Date) -> Scope {
        Scope {
            as_of,
            women_min_age: 20,
            women_max_age: 49,
            marriages_from: Date::from_ymd(2008, 1, 1).expect("a real date"),
            births_from: Date::from_ymd(2011, 1, 1).expect("a real date"),
        }
    }

    pub fn marriage_in_scope(&self, d: Date) -> bool {
        d >= self.marriages_from && d <= self.as_of
    }

    pub fn birth_in_scope(&self, d: Date) -> bool {
        d >= self.births_from && d <= self.as_of
    }
}

/// One loaded register: its records and the persons the engine links.
#[derive(Debug)]
pub struct Register {
    pub records: Records,
    /// By role: the person (wis, household), the woman (marriage), the
    /// mother and the child (birth).
    pub persons: Vec<(Role, Vec<Person>)>,
}

impl Register {
    /// Reads a register's canonical table; the table may be dropped after.
    pub fn of(kind: SourceKind, table: &DataFrame, as_of: Date) -> PolarsResult<Register> {
        let roles: &[Role] = match kind {
            SourceKind::Wis | SourceKind::Household => &[Role::Person],
            SourceKind::Marriage => &[Role::Female],
            SourceKind::Birth => &[Role::Mother, Role::Child],
        };
        let mut by_role = Vec::new();
        for &role in roles {
            by_role.push((role, persons(table, role, as_of)?));
        }
        Ok(Register {
            records: Records::of(kind, table)?,
            persons: by_role,
        })
    }

    pub fn role(&self, role: Role) -> &[Person] {
        self.persons
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, p)| p.as_slice())
            .unwrap_or(&[])
    }
}

/// The registers of one check; WIS is always there.
#[derive(Debug)]
pub struct Registers {
    pub wis: Register,
    pub household: Option<Register>,
    pub marriage: Option<Register>,
    pub birth: Option<Register>,
}

impl Registers {
    pub fn all(&self) -> impl Iterator<Item = &Register> {
        std::iter::once(&self.wis)
            .chain(self.household.as_ref())
            .chain(self.marriage.as_ref())
            .chain(self.birth.as_ref())
    }

    pub fn get(&self, kind: SourceKind) -> Option<&Register> {
        match kind {
            SourceKind::Wis => Some(&self.wis),
            SourceKind::Household => self.household.as_ref(),
            SourceKind::Marriage => self.marriage.as_ref(),
            SourceKind::Birth => self.birth.as_ref(),
        }
    }
}

/// How the records of one register found their WIS records.
#[derive(Clone, Debug, Serialize)]
pub struct LinkCount {
    pub left: String,
    pub right: String,
    pub candidates: usize,
    pub links: usize,
    pub review: usize,
    /// How long the engine took for this pair of registers.
    pub seconds: f64,
    /// The engine's steps (block, compare, score, assign) and their seconds.
    pub steps: Vec<(&'static str, f64)>,
}

/// Cases and how linking went.
#[derive(Debug)]
pub struct Classified {
    pub cases: Vec<Case>,
    pub links: Vec<LinkCount>,
    /// Where each record's person was found in the other registers: what
    /// a case's village is told from.
    pub found: Found,
    /// Seconds per step of the classification, linking included.
    pub timings: crate::progress::Timings,
}

/// By source, for each record: its person's active household record (WIS,
/// marriage's woman, birth's mother) and its person's WIS record
/// (marriage's woman, birth's mother), as the engine linked them.
#[derive(Debug, Default)]
pub struct Found {
    pub household: BTreeMap<SourceKind, Vec<Option<u32>>>,
    pub wis: BTreeMap<SourceKind, Vec<Option<u32>>>,
}

impl Found {
    pub fn household_of(&self, r: RecordRef) -> Option<u32> {
        self.household
            .get(&r.source)
            .and_then(|v| v.get(r.index as usize).copied().flatten())
    }

    pub fn wis_of(&self, r: RecordRef) -> Option<u32> {
        self.wis
            .get(&r.source)
            .and_then(|v| v.get(r.index as usize).copied().flatten())
    }
}

/// The active household record of each left record, where linked to one.
fn active_household(m: Option<&Matched>, hh: Option<&Register>) -> Option<Vec<Option<u32>>> {
    let (m, hh) = (m?, hh?);
    Some(
        m.left_to_right
            .iter()
            .map(|h| h.filter(|&h| household::active(&hh.records, h as usize)))
            .collect(),
    )
}

/// For each left record, its right record where the engine linked them
/// (band `link` or `review`).
pub struct Matched {
    pub left_to_right: Vec<Option<u32>>,
    pub right_linked: Vec<bool>,
    /// For each left record linked, the engine's weight and explanation.
    pub evidence: Vec<Option<Evidence>>,
    pub count: LinkCount,
}

impl Matched {
    /// Gives each case whose record (of source `left`) and other side's
    /// record (of `right`) are one of this link's pairs that pair's weight
    /// and explanation.
    fn attach(&self, cases: &mut [Case], left: SourceKind, right: SourceKind) {
        for c in cases {
            let Some(o) = c.other else { continue };
            let i = c.record.index as usize;
            if c.record.source == left
                && o.source == right
                && self.left_to_right.get(i).copied().flatten() == Some(o.index)
            {
                c.pair = self.evidence[i].clone();
            }
        }
    }
}

/// Links two roles' persons: each left record to at most one right record.
pub fn matched(
    left: (&str, Role, &[Person]),
    right: (&str, Role, &[Person]),
    thresholds: Thresholds,
    as_of: Date,
) -> Matched {
    let mut options = LinkOptions::new(as_of);
    options.thresholds = thresholds;
    options.exclusive = (left.1 == Role::Person, right.1 == Role::Person);
    if left.1 == Role::Child || right.1 == Role::Child {
        options.rules.push(crate::block::Rule::MotherBirth);
    }
    let started = std::time::Instant::now();
    let mut links = link(left.2, right.2, &options);
    let mut left_to_right = vec![None; left.2.len()];
    let mut right_linked = vec![false; right.2.len()];
    let mut evidence = vec![None; left.2.len()];
    let (mut n_link, mut n_review) = (0, 0);
    // The pairs are moved out: their explanations stay with the evidence.
    for p in std::mem::take(&mut links.pairs) {
        match p.band {
            Band::Link => n_link += 1,
            Band::Review => n_review += 1,
            Band::NoLink => continue,
        }
        left_to_right[p.left as usize] = Some(p.right);
        right_linked[p.right as usize] = true;
        evidence[p.left as usize] = Some(Evidence {
            weight: p.weight,
            explanation: p.explanation,
        });
    }
    Matched {
        left_to_right,
        right_linked,
        evidence,
        count: LinkCount {
            left: format!("{}:{}", left.0, left.1.key()),
            right: format!("{}:{}", right.0, right.1.key()),
            candidates: links.candidates,
            links: n_link,
            review: n_review,
            seconds: started.elapsed().as_secs_f64(),
            steps: std::mem::take(&mut links.timings),
        },
    }
}

/// The identity of a record for its case id (see [`case::case_id`]): a
/// person's valid ID number, else name and birth date; a registration's
/// parties, type and date; a birth record's mother, child's birth date and
/// sex and certificate number.
pub fn identity(r: &Records, i: usize) -> String {
    let id_or = |col: &str, name: &str, birth: &str| -> String {
        match r.id(col).valid_id(i) {
            Some(id) => id.to_string(),
            None => format!(
                "{}|{}|{}",
                r.id(col).get(i).unwrap_or_default(),
                r.text(name, i).unwrap_or_default(),
                r.date(birth, i).map(|d| d.to_string()).unwrap_or_default()
            ),
        }
    };
    match r.kind {
        SourceKind::Wis | SourceKind::Household => id_or("id_number", "name", "birth_date"),
        SourceKind::Marriage => format!(
            "{}|{}|{}|{}",
            id_or("female_id", "female_name", "female_birth_date"),
            id_or("male_id", "male_name", "male_birth_date"),
            r.text("reg_type", i).unwrap_or_default(),
            r.date("reg_date", i)
                .map(|d| d.to_string())
                .unwrap_or_default()
        ),
        SourceKind::Birth => format!(
            "{}|{}|{}|{}",
            r.id("mother_id").get(i).unwrap_or_default(),
            r.date("birth_date", i)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            r.sex("child_sex", i).unwrap_or(0),
            r.text("certificate_no", i).unwrap_or_default()
        ),
    }
}

/// Whether each left record's person has an active household record:
/// linked to one (`true` for all when there is no household register: then
/// nobody can be told apart as a migrant).
fn local(m: Option<&Matched>, hh: Option<&Register>, n: usize) -> Vec<bool> {
    match (m, hh) {
        (Some(m), Some(hh)) => m
            .left_to_right
            .iter()
            .map(|h| h.is_some_and(|h| household::active(&hh.records, h as usize)))
            .collect(),
        _ => vec![true; n],
    }
}

/// The keys under which two WIS records are one person: the valid number,
/// and the name with the birth date and mother's number.
fn person_keys(r: &Records, i: usize) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(id) = r.id("id_number").valid_id(i) {
        keys.push(format!("id|{id}"));
    }
    if let (Some(n), Some(b)) = (r.given_name("name", i), r.date("birth_date", i)) {
        keys.push(format!(
            "nb|{n}|{b}|{}",
            r.id("mother_id").get(i).unwrap_or_default()
        ));
    }
    keys
}

/// Every case of the registers.
pub fn classify(registers: &Registers, scope: &Scope, thresholds: Thresholds) -> Classified {
    let mut cases = Vec::new();
    let mut links = Vec::new();
    let mut found = Found::default();
    let wis = &registers.wis;
    let hh = registers.household.as_ref();
    let mut timings = crate::progress::Timings::new();
    for register in registers.all() {
        cases.extend(quality::cases(&register.records, scope));
        cases.extend(calendar::cases(&register.records, scope));
    }
    timings.lap("quality_and_calendar");
    let to_household = |name: &str, role: Role, persons: &[Person], links: &mut Vec<LinkCount>| {
        hh.map(|hh| {
            let m = matched(
                (name, role, persons),
                ("household", Role::Person, hh.role(Role::Person)),
                thresholds,
                scope.as_of,
            );
            links.push(m.count.clone());
            m
        })
    };
    let wis_hh = to_household("wis", Role::Person, wis.role(Role::Person), &mut links);
    timings.lap("link_wis_household");
    if let Some(v) = active_household(wis_hh.as_ref(), hh) {
        found.household.insert(SourceKind::Wis, v);
    }
    if let (Some(m), Some(hh)) = (&wis_hh, hh) {
        let from = cases.len();
        cases.extend(household::cases(&wis.records, &hh.records, m, scope));
        m.attach(&mut cases[from..], SourceKind::Wis, SourceKind::Household);
    }
    timings.lap("household_rules");
    if let Some(mr) = &registers.marriage {
        let women = mr.role(Role::Female);
        let to_wis = matched(
            ("marriage", Role::Female, women),
            ("wis", Role::Person, wis.role(Role::Person)),
            thresholds,
            scope.as_of,
        );
        links.push(to_wis.count.clone());
        timings.lap("link_marriage_wis");
        let lm = to_household("marriage", Role::Female, women, &mut links);
        timings.lap("link_marriage_household");
        let local = local(lm.as_ref(), hh, women.len());
        if let Some(v) = active_household(lm.as_ref(), hh) {
            found.household.insert(SourceKind::Marriage, v);
        }
        found
            .wis
            .insert(SourceKind::Marriage, to_wis.left_to_right.clone());
        let from = cases.len();
        cases.extend(marriage::cases(
            &mr.records,
            &wis.records,
            &to_wis.left_to_right,
            &local,
            scope,
        ));
        to_wis.attach(&mut cases[from..], SourceKind::Marriage, SourceKind::Wis);
        timings.lap("marriage_rules");
    }
    if let Some(b) = &registers.birth {
        let mothers = b.role(Role::Mother);
        let mother = matched(
            ("birth", Role::Mother, mothers),
            ("wis", Role::Person, wis.role(Role::Person)),
            thresholds,
            scope.as_of,
        );
        timings.lap("link_birth_wis");
        // The child: among the mother's children in WIS (a newborn has no
        // ID number and often no name yet, which the engine's prior cannot
        // weigh; see docs/check.md).
        let parser = crate::identity::IdParser::new(scope.as_of);
        let started = std::time::Instant::now();
        let child = birth::children(&b.records, &wis.records, &mother.left_to_right, &parser);
        links.push(mother.count.clone());
        links.push(LinkCount {
            left: "birth:child".into(),
            right: "wis:person".into(),
            candidates: child.len(),
            links: child.iter().flatten().count(),
            review: 0,
            seconds: started.elapsed().as_secs_f64(),
            steps: Vec::new(),
        });
        // A WIS child's mother is local when her number is an active
        // household record's.
        let active_ids: crate::block::FnvSet<&str> = match hh {
            Some(hh) => (0..hh.records.len)
                .filter(|&h| household::active(&hh.records, h))
                .filter_map(|h| hh.records.id("id_number").get(h))
                .collect(),
            None => Default::default(),
        };
        let wis_mother_local = |w: usize| {
            hh.is_none()
                || wis
                    .records
                    .id("mother_id")
                    .get(w)
                    .is_some_and(|m| active_ids.contains(m))
        };
        timings.lap("birth_children");
        let lm = to_household("birth", Role::Mother, mothers, &mut links);
        timings.lap("link_birth_household");
        if let Some(v) = active_household(lm.as_ref(), hh) {
            found.household.insert(SourceKind::Birth, v);
        }
        found
            .wis
            .insert(SourceKind::Birth, mother.left_to_right.clone());
        // The mother is local by the WIS child's mother where the child was
        // found (the column may hold another woman's number), else by her
        // own household link.
        let local_mother: Vec<bool> = local(lm.as_ref(), hh, mothers.len())
            .into_iter()
            .enumerate()
            .map(|(i, own)| {
                match child[i].filter(|&c| wis.records.id("mother_id").get(c as usize).is_some()) {
                    Some(c) => wis_mother_local(c as usize),
                    None => own && !birth::impossible_mother(&b.records, i, &parser),
                }
            })
            .collect();
        let wis_ids: crate::block::FnvSet<&str> = (0..wis.records.len)
            .filter_map(|w| wis.records.id("id_number").get(w))
            .collect();
        let from = cases.len();
        cases.extend(birth::cases(
            &b.records,
            &wis.records,
            &birth::BirthLinks {
                mother: &mother.left_to_right,
                child: &child,
                local: &local_mother,
                wis_ids: &wis_ids,
            },
            scope,
        ));
        mother.attach(&mut cases[from..], SourceKind::Birth, SourceKind::Wis);
        timings.lap("birth_rules");
        // B04: a WIS record has evidence when a birth record's child is it,
        // or is its twin entry (the same valid number, or name and birth date).
        let mut evidenced: crate::block::FnvSet<String> = Default::default();
        for &c in child.iter().flatten() {
            evidenced.extend(person_keys(&wis.records, c as usize));
        }
        let has_record: Vec<bool> = (0..wis.records.len)
            .map(|w| {
                person_keys(&wis.records, w)
                    .iter()
                    .any(|k| evidenced.contains(k))
            })
            .collect();
        cases.extend(birth::missing_evidence(
            &wis.records,
            &has_record,
            wis_mother_local,
            scope,
        ));
        timings.lap("b04");
    }
    sort(&mut cases);
    timings.lap("sort");
    Classified {
        cases,
        links,
        found,
        timings,
    }
}

/// Sorts cases by category, source, record, field: the order of the files.
pub fn sort(cases: &mut [Case]) {
    cases.sort_by(|a, b| {
        (a.category, a.record, &a.field, &a.note).cmp(&(b.category, b.record, &b.field, &b.note))
    });
}
