//! The blocking stage: which pairs of records are worth comparing at all.
//!
//! Takes the persons of two registers and gives the candidate pairs, by
//! rules that each catch a kind of disagreement without a quadratic pass:
//! every rule turns a person into keys, both sides' keys are sorted, and only
//! records sharing a key are paired. A block whose two sides would make more
//! than [`MAX_BLOCK_PAIRS`] pairs is too common to tell anyone apart and is
//! skipped (and counted).

use rayon::prelude::*;
use serde::Serialize;

use crate::compare::village_stem;
use crate::identity::{Date, IdParser, normalize_name};
use crate::link::person::Person;

/// The most pairs one key may make.
pub const MAX_BLOCK_PAIRS: usize = 400;

/// A blocking rule: what it catches is in its comment, what it costs in
/// docs/design.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Same cleaned ID number: nearly every true pair, one pair per person.
    ExactId,
    /// An invalid number one typo (a digit, a swap) from a valid one on the
    /// other side, or two invalid numbers with a common repair: typists' slips.
    IdTypo,
    /// A number Excel damaged, by the 14 digits it surely kept, or by the
    /// region it kept and the name.
    DamagedId,
    /// Same birth date and surname pinyin: a wrong or missing ID.
    BirthSurname,
    /// Same full-name pinyin and village: a wrong ID and a wrong birth date.
    NameVillage,
    /// Same mother's ID (or one typo from it) and birth date: a child whose
    /// name is not yet known, to the child in WIS.
    MotherBirth,
}

impl Rule {
    /// The rule's bit in a pair's mask of the rules that proposed it.
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The candidate pairs, sorted, without repeats, each with the mask of the
/// rules that proposed it.
#[derive(Debug, Default)]
pub struct Candidates {
    pub pairs: Vec<(u32, u32, u8)>,
    /// Pairs each rule proposed (before repeats were removed).
    pub by_rule: Vec<(Rule, usize)>,
    /// Keys whose block was too large and was skipped.
    pub skipped_blocks: usize,
}

/// A key, and whether the person it came from holds it as a valid number
/// (so that pairs both rules already give are not proposed again).
type Keyed = (u64, u32, bool);

/// FNV-1a as a `Hasher`, for the engine's maps of millions of short keys
/// (SipHash, the standard one, guards against adversarial keys these maps
/// never see, at several times the cost).
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` hashed with [`Fnv`].
pub type FnvMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// A `HashSet` hashed with [`Fnv`].
pub type FnvSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<Fnv>>;

/// A small, fast, stable hash (FNV-1a): keys are compared, never trusted.
fn hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn days(d: Date) -> [u8; 8] {
    d.days_since_epoch().to_le_bytes()
}

/// The valid numbers one typo from an invalid one.
fn repairs(id: &str, parser: &IdParser) -> Vec<String> {
    parser
        .parse(id)
        .repairs(parser.as_of())
        .into_iter()
        .map(|r| r.number)
        .collect()
}

fn keys(rule: Rule, p: &Person, parser: &IdParser, out: &mut Vec<Keyed>) {
    let i = p.index;
    match rule {
        Rule::ExactId => {
            if let Some(id) = p.id.as_deref().filter(|_| !p.id_damaged) {
                out.push((hash(&[id.as_bytes()]), i, p.id_valid));
            }
        }
        Rule::IdTypo => match p.id.as_deref().filter(|_| !p.id_damaged) {
            Some(id) if p.id_valid => out.push((hash(&[id.as_bytes()]), i, true)),
            Some(id) if id.len() == 18 => {
                for r in repairs(id, parser) {
                    out.push((hash(&[r.as_bytes()]), i, false));
                }
            }
            _ => {}
        },
        Rule::DamagedId => {
            if let Some(id) = p.id.as_deref() {
                let digits: String = if p.id_damaged {
                    id.split(['E', 'e'])
                        .next()
                        .unwrap_or("")
                        .chars()
                        .filter(char::is_ascii_digit)
                        .collect()
                } else {
                    id.to_string()
                };
                // `valid` here means "not damaged": two whole numbers are the
                // other rules' business.
                let whole = !p.id_damaged;
                if digits.len() >= 15 {
                    out.push((hash(&[b"d14", &digits.as_bytes()[..14]]), i, whole));
                }
                // A float shown with few digits (3.71328E+17) keeps at least
                // the region: with the name, that is enough to propose.
                if digits.len() >= 6 && !p.pinyin.is_empty() {
                    for k in p.pinyin.split('|') {
                        out.push((
                            hash(&[b"d6", &digits.as_bytes()[..6], k.as_bytes()]),
                            i,
                            whole,
                        ));
                    }
                }
            }
        }
        Rule::BirthSurname => {
            if let (Some(b), false) = (p.birth, p.name.is_empty()) {
                let d = days(b);
                for s in normalize_name(&p.name).surname_pinyin_keys() {
                    out.push((hash(&[&d, s.as_bytes()]), i, false));
                }
            }
        }
        Rule::NameVillage => {
            // By code and by name, since one register may have only codes and
            // the other only names.
            let villages = [
                p.village_code.as_deref().map(|c| format!("c{c}")),
                p.village_name
                    .as_deref()
                    .map(|n| format!("n{}", village_stem(n))),
            ];
            if !p.pinyin.is_empty() {
                for v in villages.iter().flatten() {
                    for k in p.pinyin.split('|') {
                        out.push((hash(&[k.as_bytes(), v.as_bytes()]), i, false));
                    }
                }
            }
        }
        Rule::MotherBirth => {
            if let (Some(m), Some(b)) = (p.mother_id.as_deref(), p.birth) {
                let d = days(b);
                out.push((hash(&[m.as_bytes(), &d]), i, false));
                if m.len() == 18 && !parser.parse(m).is_valid() {
                    for r in repairs(m, parser) {
                        out.push((hash(&[r.as_bytes(), &d]), i, false));
                    }
                }
            }
        }
    }
}

fn keyed(rule: Rule, persons: &[Person], parser: &IdParser) -> Vec<Keyed> {
    let mut all: Vec<Keyed> = persons
        .par_chunks(4096)
        .flat_map_iter(|chunk| {
            let mut out = Vec::new();
            for p in chunk {
                keys(rule, p, parser, &mut out);
            }
            out
        })
        .collect();
    all.par_sort_unstable();
    all.dedup();
    all
}

/// The pairs of one rule: a merge of the two sides' sorted keys.
fn join(rule: Rule, left: &[Keyed], right: &[Keyed]) -> (Vec<(u32, u32)>, usize) {
    let (mut i, mut j) = (0, 0);
    let mut pairs = Vec::new();
    let mut skipped = 0;
    while i < left.len() && j < right.len() {
        let (kl, kr) = (left[i].0, right[j].0);
        if kl < kr {
            i += 1;
            continue;
        }
        if kr < kl {
            j += 1;
            continue;
        }
        let i_end = i + left[i..].iter().take_while(|k| k.0 == kl).count();
        let j_end = j + right[j..].iter().take_while(|k| k.0 == kr).count();
        if (i_end - i) * (j_end - j) > MAX_BLOCK_PAIRS {
            skipped += 1;
        } else {
            for l in &left[i..i_end] {
                for r in &right[j..j_end] {
                    let both_whole = l.2 && r.2;
                    let redundant = match rule {
                        // Two valid numbers are ExactId's pairs.
                        Rule::IdTypo => both_whole,
                        // A damaged number on neither side is not this rule's.
                        Rule::DamagedId => both_whole,
                        _ => false,
                    };
                    if !redundant {
                        pairs.push((l.1, r.1));
                    }
                }
            }
        }
        i = i_end;
        j = j_end;
    }
    (pairs, skipped)
}

/// The candidate pairs of `left` × `right` under `rules`.
pub fn candidates(left: &[Person], right: &[Person], rules: &[Rule], as_of: Date) -> Candidates {
    let parser = IdParser::new(as_of);
    let mut out = Candidates::default();
    let mut all: Vec<(u32, u32, u8)> = Vec::new();
    for &rule in rules {
        let (l, r) = rayon::join(
            || keyed(rule, left, &parser),
            || keyed(rule, right, &parser),
        );
        let (pairs, skipped) = join(rule, &l, &r);
        out.by_rule.push((rule, pairs.len()));
        out.skipped_blocks += skipped;
        all.extend(pairs.into_iter().map(|(a, b)| (a, b, rule.bit())));
    }
    all.par_sort_unstable();
    // One entry per pair, with every rule that proposed it.
    let mut merged: Vec<(u32, u32, u8)> = Vec::with_capacity(all.len());
    for (a, b, bit) in all {
        match merged.last_mut() {
            Some(last) if last.0 == a && last.1 == b => last.2 |= bit,
            _ => merged.push((a, b, bit)),
        }
    }
    out.pairs = merged;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(index: u32, id: &str, name: &str, birth: Option<Date>) -> Person {
        let parser = IdParser::new(Date::from_ymd(2026, 6, 30).unwrap());
        let parsed = parser.parse(id);
        let n = normalize_name(name);
        Person {
            index,
            id: (!id.is_empty()).then(|| parsed.cleaned().to_string()),
            id_valid: parsed.is_valid(),
            id_damaged: parsed.kind() == crate::identity::IdKind::Damaged,
            name: n.normalized().to_string(),
            pinyin: n.pinyin_keys().join("|"),
            birth,
            village_name: Some(std::sync::Arc::from("一村")),
            ..Person::default()
        }
    }

    fn pairs(rule: Rule, left: &[Person], right: &[Person]) -> Vec<(u32, u32)> {
        let c = candidates(left, right, &[rule], Date::from_ymd(2026, 6, 30).unwrap());
        assert!(c.pairs.iter().all(|p| p.2 == rule.bit()));
        c.pairs.iter().map(|p| (p.0, p.1)).collect()
    }

    #[test]
    fn each_rule_catches_its_disagreement() {
        let born = Date::from_ymd(1990, 1, 1);
        let truth = "370404199001011230";
        let left = vec![
            person(0, truth, "张丽", born),
            person(1, "370404199001011231", "王芳", None), // check character typo
            person(2, "370404199010011230", "李强", None), // swap
            person(3, "3.70404199001011E+17", "赵敏", None), // damaged
            person(4, "", "陈静", born),                   // no ID
        ];
        let right = vec![
            person(0, truth, "张莉", born),
            person(1, "110101194910010028", "陈晶", born),
        ];
        assert_eq!(pairs(Rule::ExactId, &left, &right), [(0, 0)]);
        assert_eq!(pairs(Rule::IdTypo, &left, &right), [(1, 0), (2, 0)]);
        assert_eq!(pairs(Rule::DamagedId, &left, &right), [(3, 0)]);
        assert_eq!(pairs(Rule::BirthSurname, &left, &right), [(0, 0), (4, 1)]);
        assert_eq!(pairs(Rule::NameVillage, &left, &right), [(0, 0), (4, 1)]);
    }

    #[test]
    fn children_by_their_mother_and_birth_date() {
        let born = Date::from_ymd(2014, 9, 25);
        let mut child = person(0, "", "之子", born);
        child.mother_id = Some("370404199001011231".into()); // the mother's ID mistyped
        let mut wis_child = person(0, "370404201409250012", "李想", born);
        wis_child.mother_id = Some("370404199001011230".into());
        assert_eq!(pairs(Rule::MotherBirth, &[child], &[wis_child]), [(0, 0)]);
    }

    #[test]
    fn huge_blocks_are_skipped_and_counted() {
        let born = Date::from_ymd(1990, 1, 1);
        let many: Vec<Person> = (0..30).map(|i| person(i, "", "王伟", born)).collect();
        let c = candidates(
            &many,
            &many,
            &[Rule::BirthSurname],
            Date::from_ymd(2026, 6, 30).unwrap(),
        );
        assert!(c.pairs.is_empty());
        assert_eq!(c.skipped_blocks, 1);
    }

    #[test]
    fn a_pair_remembers_every_rule_that_proposed_it() {
        let born = Date::from_ymd(1990, 1, 1);
        let a = vec![person(0, "370404199001011230", "张丽", born)];
        let rules = [Rule::ExactId, Rule::BirthSurname, Rule::NameVillage];
        let c = candidates(&a, &a, &rules, Date::from_ymd(2026, 6, 30).unwrap());
        let mask = Rule::ExactId.bit() | Rule::BirthSurname.bit() | Rule::NameVillage.bit();
        assert_eq!(c.pairs, [(0, 0, mask)]);
    }
}
