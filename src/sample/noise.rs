//! Noise that only normalisation has to see through, and must never be
//! reported.
//!
//! Takes the registers once their cases are known and gives some records
//! the writing habits of real exports: full-width digits, a lower-case `x`,
//! spaces inside a number or a name, an apostrophe before a number, the
//! old 15-digit number, traditional characters, another middle dot in a
//! minority name. Only records that are no case and carry no lag or error
//! get noise, and only where the same person's record in another register
//! holds the same field untouched, so a test can check that normalising
//! the noisy value gives exactly the other side's. Gives the list written
//! to `truth/noise.csv`.

use std::collections::HashSet;

use super::classify::Rec;
use super::confusion;
use super::rates::Rates;
use super::registers::{Register, Registers};
use super::rng::Rng;
use super::world::{Pid, fifteen_digit};
use crate::identity::normalize_name;

/// One normalisation-only change.
#[derive(Clone, Debug)]
pub struct Noise {
    pub rec: Rec,
    pub field: &'static str,
    pub kind: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    FullWidth,
    LowerX,
    SpacesInId,
    Apostrophe,
    Fifteen,
    Traditional,
    SpacesInName,
    Dot,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::FullWidth => "fullwidth",
            Kind::LowerX => "lower_x",
            Kind::SpacesInId | Kind::SpacesInName => "spaces",
            Kind::Apostrophe => "apostrophe",
            Kind::Fifteen => "fifteen_digit",
            Kind::Traditional => "traditional",
            Kind::Dot => "dot_variant",
        }
    }

    fn on_id(self) -> bool {
        matches!(
            self,
            Kind::FullWidth | Kind::LowerX | Kind::SpacesInId | Kind::Apostrophe | Kind::Fifteen
        )
    }
}

/// The changed value, or `None` where the kind does not apply.
fn change(kind: Kind, value: &str, rng: &mut Rng, gbk: bool) -> Option<String> {
    match kind {
        Kind::FullWidth => Some(
            value
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
                    'X' => 'Ｘ',
                    c => c,
                })
                .collect(),
        ),
        Kind::LowerX => value.ends_with('X').then(|| value.replace('X', "x")),
        Kind::SpacesInId => (value.len() == 18)
            .then(|| format!("{} {} {}", &value[..6], &value[6..14], &value[14..])),
        Kind::Apostrophe => Some(format!("'{value}")),
        Kind::Fifteen => {
            let year: i32 = value.get(6..10)?.parse().ok()?;
            if year >= 1985 {
                return None;
            }
            fifteen_digit(value)
        }
        Kind::Traditional => confusion::traditional(value),
        Kind::SpacesInName => {
            if value.contains('·') || value.chars().count() < 2 {
                return None;
            }
            let surname = normalize_name(value).surname().to_string();
            Some(format!("{surname} {}", &value[surname.len()..]))
        }
        Kind::Dot => value.contains('·').then(|| {
            let dots = if gbk {
                confusion::GBK_DOT_VARIANTS
            } else {
                confusion::DOT_VARIANTS
            };
            let dot = dots[rng.index(dots.len())];
            value.replace('·', &dot.to_string())
        }),
    }
}

/// Tries the kinds in a random order by weight; the first that applies.
fn apply_one(
    rng: &mut Rng,
    kinds: &[(Kind, u32)],
    id: &mut String,
    name: &mut String,
    gbk: bool,
) -> Option<Kind> {
    let mut options: Vec<(Kind, u32)> = kinds.to_vec();
    while !options.is_empty() {
        let weights: Vec<u32> = options.iter().map(|o| o.1).collect();
        let k = options.remove(rng.weighted(&weights)).0;
        let target = if k.on_id() { &mut *id } else { &mut *name };
        if let Some(new) = change(k, target, rng, gbk) {
            *target = new;
            return Some(k);
        }
    }
    None
}

/// Adds the noise and lists it. `primary[register][i]`: the record is the
/// primary record of some case.
pub fn apply(r: &mut Registers, primary: &[Vec<bool>; 4], rates: &Rates, seed: u64) -> Vec<Noise> {
    let untouched_wis: HashSet<Pid> = r
        .wis
        .iter()
        .filter(|w| !w.changed.any())
        .map(|w| w.person)
        .collect();
    let untouched_household: HashSet<Pid> = r
        .household
        .iter()
        .filter(|h| !h.changed.any())
        .map(|h| h.person)
        .collect();
    let mut out = Vec::new();
    let eligible = |reg: Register, i: usize| !primary[reg as usize].get(i).copied().unwrap_or(true);

    let mut rng = Rng::stream(seed, "noise", Register::Wis as u64);
    let kinds = [
        (Kind::FullWidth, 25),
        (Kind::LowerX, 20),
        (Kind::SpacesInId, 15),
        (Kind::Fifteen, 10),
        (Kind::SpacesInName, 15),
        (Kind::Dot, 15),
    ];
    for i in 0..r.wis.len() {
        let w = &mut r.wis[i];
        if !rng.chance(rates.noise_wis)
            || !eligible(Register::Wis, i)
            || w.changed.any()
            || !untouched_household.contains(&w.person)
        {
            continue;
        }
        if let Some(k) = apply_one(&mut rng, &kinds, &mut w.id, &mut w.name, false) {
            out.push(noise(
                Register::Wis,
                i,
                if k.on_id() { "id_number" } else { "name" },
                k,
            ));
        }
    }

    let mut rng = Rng::stream(seed, "noise", Register::Household as u64);
    let kinds = [
        (Kind::Apostrophe, 30),
        (Kind::Fifteen, 25),
        (Kind::LowerX, 15),
        (Kind::Traditional, 25),
        (Kind::Dot, 5),
    ];
    for i in 0..r.household.len() {
        let h = &mut r.household[i];
        if !rng.chance(rates.noise_household)
            || !eligible(Register::Household, i)
            || h.changed.any()
            || !untouched_wis.contains(&h.person)
        {
            continue;
        }
        if let Some(k) = apply_one(&mut rng, &kinds, &mut h.id, &mut h.name, true) {
            out.push(noise(
                Register::Household,
                i,
                if k.on_id() { "id_number" } else { "name" },
                k,
            ));
        }
    }

    let mut rng = Rng::stream(seed, "noise", Register::Marriage as u64);
    let kinds = [
        (Kind::LowerX, 20),
        (Kind::SpacesInId, 20),
        (Kind::FullWidth, 15),
        (Kind::Traditional, 30),
        (Kind::SpacesInName, 15),
        (Kind::Dot, 10),
    ];
    for i in 0..r.marriage.len() {
        let m = &mut r.marriage[i];
        if !rng.chance(rates.noise_marriage) || !eligible(Register::Marriage, i) || m.changed.any()
        {
            continue;
        }
        let woman = rng.chance(0.5);
        let (pid, id, name, id_field, name_field) = if woman {
            (
                m.woman,
                &mut m.woman_id,
                &mut m.woman_name,
                "woman_id",
                "woman_name",
            )
        } else {
            (m.man, &mut m.man_id, &mut m.man_name, "man_id", "man_name")
        };
        if !untouched_wis.contains(&pid) {
            continue;
        }
        if let Some(k) = apply_one(&mut rng, &kinds, id, name, true) {
            out.push(noise(
                Register::Marriage,
                i,
                if k.on_id() { id_field } else { name_field },
                k,
            ));
        }
    }

    let mut rng = Rng::stream(seed, "noise", Register::Birth as u64);
    let kinds = [
        (Kind::SpacesInId, 25),
        (Kind::LowerX, 20),
        (Kind::FullWidth, 15),
        (Kind::Traditional, 25),
        (Kind::SpacesInName, 15),
        (Kind::Dot, 5),
    ];
    for i in 0..r.birth.len() {
        let b = &mut r.birth[i];
        if !rng.chance(rates.noise_birth)
            || !eligible(Register::Birth, i)
            || b.changed.any()
            || b.mother_id_as_number
            || !untouched_wis.contains(&b.mother)
        {
            continue;
        }
        if let Some(k) = apply_one(
            &mut rng,
            &kinds,
            &mut b.mother_id,
            &mut b.mother_name,
            false,
        ) {
            out.push(noise(
                Register::Birth,
                i,
                if k.on_id() {
                    "mother_id"
                } else {
                    "mother_name"
                },
                k,
            ));
        }
    }
    out
}

fn noise(register: Register, i: usize, field: &'static str, k: Kind) -> Noise {
    Noise {
        rec: Rec {
            register,
            index: i as u32,
        },
        field,
        kind: k.key(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{Date, IdParser};

    #[test]
    fn every_change_normalises_back() {
        let parser = IdParser::new(Date::from_ymd(2026, 6, 30).unwrap());
        let mut rng = Rng::new(4);
        let ids = [
            "37132619800101019X".to_string(),
            "371326197205180030".to_string(),
        ];
        for kind in [
            Kind::FullWidth,
            Kind::LowerX,
            Kind::SpacesInId,
            Kind::Apostrophe,
            Kind::Fifteen,
        ] {
            for id in &ids {
                if let Some(noisy) = change(kind, id, &mut rng, false) {
                    assert_ne!(&noisy, id);
                    let n = parser.parse(&noisy);
                    assert!(n.is_valid(), "{kind:?} {noisy}");
                    assert_eq!(n.cleaned(), id.as_str(), "{kind:?}");
                }
            }
        }
        for name in ["张丽华", "欧阳明", "阿依古丽·买买提"] {
            for kind in [Kind::Traditional, Kind::SpacesInName, Kind::Dot] {
                if let Some(noisy) = change(kind, name, &mut rng, true) {
                    assert_ne!(noisy, name);
                    assert_eq!(
                        normalize_name(&noisy).normalized(),
                        name,
                        "{kind:?} {noisy}"
                    );
                }
            }
        }
        assert_eq!(
            change(Kind::SpacesInName, "欧阳明", &mut rng, true).as_deref(),
            Some("欧阳 明")
        );
        assert_eq!(
            change(Kind::Fifteen, "371326199001011230", &mut rng, true),
            None
        );
    }
}
