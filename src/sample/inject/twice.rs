//! Records entered twice, made once the first cases are known.

use super::{Log, choose};
use crate::identity::Date;
use crate::sample::rates::{MIN_PER_KIND, Rates};
use crate::sample::registers::{BirthKind, BirthRecord, Fields, Register, Registers};
use crate::sample::rng::Rng;

/// Records entered twice: WIS (three in ten of the second entries without
/// an ID number, found by name and birth date in one village), household,
/// marriage (the same registration twice) and birth (a certificate
/// reissued under a new number). Only records that are no case at all are
/// copied, so a copy is Q03 and nothing else.
pub fn duplicate(
    r: &mut Registers,
    rates: &Rates,
    seed: u64,
    as_of: Date,
    clean: &dyn Fn(Register, u32) -> bool,
    log: &mut Log,
) {
    let pick = |kind: &'static str, rate: f64, candidates: Vec<u32>, log: &mut Log| {
        let mut rng = Rng::stream(seed, kind, 0);
        let chosen = choose(&mut rng, rate, &candidates, MIN_PER_KIND);
        log.insert(kind, chosen.len());
        (chosen, rng)
    };
    let candidates = |register: Register, n: usize| -> Vec<u32> {
        (0..n as u32).filter(|&i| clean(register, i)).collect()
    };

    let (chosen, mut rng) = pick(
        "wis_duplicate",
        rates.wis_duplicate,
        candidates(Register::Wis, r.wis.len()),
        log,
    );
    for i in chosen {
        let mut copy = r.wis[i as usize].clone();
        copy.copy_of = Some(i);
        copy.changed.set(Fields::RECORD);
        if rng.chance(0.3) {
            copy.id = String::new();
        }
        r.wis.push(copy);
    }
    let (chosen, _) = pick(
        "household_duplicate",
        rates.household_duplicate,
        candidates(Register::Household, r.household.len()),
        log,
    );
    for i in chosen {
        let mut copy = r.household[i as usize].clone();
        copy.copy_of = Some(i);
        copy.changed.set(Fields::RECORD);
        r.household.push(copy);
    }
    let (chosen, _) = pick(
        "marriage_duplicate",
        rates.marriage_duplicate,
        candidates(Register::Marriage, r.marriage.len()),
        log,
    );
    for i in chosen {
        let mut copy = r.marriage[i as usize].clone();
        copy.copy_of = Some(i);
        copy.changed.set(Fields::RECORD);
        r.marriage.push(copy);
    }
    let certificates: Vec<u32> = candidates(Register::Birth, r.birth.len())
        .into_iter()
        .filter(|&i| {
            let b = &r.birth[i as usize];
            b.kind == BirthKind::Certificate && !b.mother_id_as_number
        })
        .collect();
    let (chosen, mut rng) = pick("birth_duplicate", rates.birth_duplicate, certificates, log);
    for (serial, i) in chosen.into_iter().enumerate() {
        let original: &BirthRecord = &r.birth[i as usize];
        let mut copy = original.clone();
        copy.copy_of = Some(i);
        copy.changed.set(Fields::RECORD);
        // A reissue (补发): a new number, issued later the same year, never
        // after the as-of date.
        let issued = original.issued.unwrap_or(original.child_birth);
        let later = Date::from_days_since_epoch(issued.days_since_epoch() + rng.range(20, 200));
        let end_of_year = Date::from_ymd(issued.year(), 12, 31).unwrap_or(issued);
        copy.issued = Some(later.min(end_of_year).min(as_of).max(issued));
        copy.number = format!("{}9{:07}", &original.number[..2], serial + 1);
        r.birth.push(copy);
    }
}
