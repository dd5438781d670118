//! A synthetic county: four registers' exports with known answers.
//!
//! Takes the number of people, a seed, the as-of date and the formats and
//! gives a county made up from scratch — towns and villages, people with
//! valid ID numbers and realistic names, households, marriages, divorces,
//! births, deaths and moves — and, derived from that truth, the exports of
//! WIS, the household register, marriage registration and the birth
//! evidence as real systems write them, with every category of discrepancy
//! of domain §6 put in on purpose, noise that only normalisation must see
//! through, and the answers in `truth/`. The same seed gives the same
//! bytes, whatever the number of threads.
//!
//! The stages, in order: `places` (the county), `families` (each village's
//! people and events, from its own random stream, named by `names`) and `world` (the truth,
//! with ID numbers), `registers` (what perfect systems would hold),
//! `inject` (lags and errors), `classify` (the cases and links, by the
//! rules of the domain brief), `noise`, `layout` (files, sheets, rows, with `columns`),
//! `render` and the writers (`write_csv`, `write_html`, `write_xlsx`,
//! `write_xls` with `biff` and `cfb`; `gbk` encodes), and `truth`; `score`
//! measures a tool's answers against the truth.

pub mod biff;
pub mod cfb;
pub mod classify;
pub mod columns;
pub mod confusion;
pub mod families;
pub mod gbk;
pub mod inject;
pub mod layout;
pub mod names;
pub mod noise;
pub mod output;
pub mod places;
pub mod rates;
pub mod registers;
pub mod render;
pub mod rng;
pub mod score;
pub mod slips;
pub mod truth;
pub mod world;
pub mod write_csv;
pub mod write_html;
pub mod write_xls;
pub mod write_xlsx;

use std::path::Path;

use rayon::prelude::*;

use crate::error::Result;
use crate::identity::Date;
use classify::{Case, Link, Scope};
use layout::{FileFormat, Formats, Layout};
use places::County;
use rates::Rates;
use registers::{Register, Registers};
use world::World;

/// What the county is made from.
#[derive(Clone, Debug)]
pub struct Params {
    pub people: usize,
    pub seed: u64,
    pub as_of: Date,
    pub formats: Formats,
}

/// A generated county, in memory.
pub struct Sample {
    pub params: Params,
    pub county: County,
    pub hospitals: Vec<String>,
    pub world: World,
    pub registers: Registers,
    pub layout: Layout,
    pub cases: Vec<Case>,
    pub links: Vec<Link>,
    pub noise: Vec<noise::Noise>,
    pub log: inject::Log,
    pub rates: Rates,
    pub scope: Scope,
}

fn primaries(r: &Registers, cases: &[Case]) -> [Vec<bool>; 4] {
    let mut p: [Vec<bool>; 4] = Default::default();
    for register in Register::ALL {
        p[register as usize] = vec![false; r.len(register)];
    }
    for c in cases {
        p[c.rec.register as usize][c.rec.index as usize] = true;
    }
    p
}

/// Makes the county.
pub fn generate(params: &Params) -> Sample {
    let rates = Rates::default();
    let as_of = params.as_of;
    let mut rng = rng::Rng::stream(params.seed, "county", 0);
    let county = places::build(params.people, &mut rng);
    let hospitals = places::hospitals(&county);
    let setting = families::Setting {
        county: &county,
        as_of,
        seed: params.seed,
        hospitals: hospitals.len(),
        rates: &rates,
    };
    let chunks: Vec<world::Chunk> = (0..county.villages.len() as u32)
        .into_par_iter()
        .map(|v| families::village(&setting, v))
        .collect();
    let mut world = world::join(chunks);
    world::assign_ids(&mut world);

    let mut registers = registers::derive(&world, county.code, as_of);
    let mut log = inject::inject(&world, &mut registers, &rates, as_of, params.seed);
    let scope = Scope::new(as_of);

    // Second entries only of records that are no case at all.
    let (first_cases, _) = classify::classify(&registers, &world, scope);
    let mut clean = primaries(&registers, &first_cases);
    for register in Register::ALL {
        for (i, is_primary) in clean[register as usize].iter_mut().enumerate() {
            let untouched = match register {
                Register::Wis => !registers.wis[i].changed.any(),
                Register::Household => !registers.household[i].changed.any(),
                Register::Marriage => !registers.marriage[i].changed.any(),
                Register::Birth => !registers.birth[i].changed.any(),
            };
            *is_primary = untouched && !*is_primary;
        }
    }
    let is_clean = |register: Register, i: u32| clean[register as usize][i as usize];
    inject::duplicate(
        &mut registers,
        &rates,
        params.seed,
        as_of,
        &is_clean,
        &mut log,
    );

    let (cases, links) = classify::classify(&registers, &world, scope);
    let primary = primaries(&registers, &cases);
    let noise = noise::apply(&mut registers, &primary, &rates, params.seed);
    let layout = layout::plan(&registers, &county, params.formats, as_of, params.seed);
    Sample {
        params: params.clone(),
        county,
        hospitals,
        world,
        registers,
        layout,
        cases,
        links,
        noise,
        log,
        rates,
        scope,
    }
}

/// One written file.
#[derive(Clone, Debug)]
pub struct Written {
    pub path: String,
    pub source: &'static str,
    pub bytes: u64,
    pub records: usize,
}

/// Writes the county's files and its truth into `out` (prepared by
/// [`output::prepare`]).
pub fn write(sample: &Sample, out: &Path) -> Result<Vec<Written>> {
    let renderer = render::Renderer {
        r: &sample.registers,
        county: &sample.county,
        hospitals: &sample.hospitals,
        as_of: sample.params.as_of,
        seed: sample.params.seed,
    };
    let as_of = sample.params.as_of;
    // The registers' files, and the truth beside them.
    let (files, truth_bytes) = rayon::join(
        || {
            sample
                .layout
                .files
                .par_iter()
                .map(|f| {
                    let widths = render::widths(f);
                    let bytes = output::write_file(out, &f.path, |w| match f.format {
                        FileFormat::CsvGbk | FileFormat::CsvUtf8 => {
                            write_csv::write(f, &renderer, w)
                        }
                        FileFormat::Html => write_html::write(f, &renderer, w),
                        FileFormat::Xlsx => write_xlsx::write(f, &renderer, as_of, &widths, w),
                        FileFormat::Xls => write_xls::write(f, &renderer, &widths, w),
                    })?;
                    Ok(Written {
                        path: f.path.clone(),
                        source: f.register.key(),
                        bytes,
                        records: f.sheets.iter().map(|s| s.records.len()).sum(),
                    })
                })
                .collect::<Result<Vec<_>>>()
        },
        || {
            let summary = truth::Summary {
                people: sample.params.people,
                seed: sample.params.seed,
                as_of,
                formats: sample.params.formats,
                county: &sample.county,
                scope: sample.scope,
                rates: &sample.rates,
                log: &sample.log,
                registers: &sample.registers,
                cases: &sample.cases,
                links: sample.links.len(),
                noise: sample.noise.len(),
                layout: &sample.layout,
            };
            [
                (
                    "truth/cases.csv",
                    truth::cases_csv(&sample.cases, &sample.layout),
                ),
                (
                    "truth/links.csv",
                    truth::links_csv(&sample.links, &sample.layout),
                ),
                (
                    "truth/noise.csv",
                    truth::noise_csv(&sample.noise, &sample.layout),
                ),
                ("truth/params.json", truth::params_json(&summary)),
            ]
        },
    );
    let mut written = files?;
    for (path, bytes) in truth_bytes {
        let size = output::write_file(out, path, |w| w.write_all(&bytes))?;
        written.push(Written {
            path: path.to_string(),
            source: "truth",
            bytes: size,
            records: 0,
        });
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Sex;
    use world::Hukou;

    fn county(people: usize, seed: u64) -> Sample {
        generate(&Params {
            people,
            seed,
            as_of: Date::from_ymd(2026, 6, 30).unwrap(),
            formats: Formats::Csv,
        })
    }

    #[test]
    fn a_county_looks_like_a_county() {
        let s = county(20_000, 3);
        let as_of = s.params.as_of;
        let people: Vec<_> = s.world.people.iter().filter(|p| !p.external).collect();
        let n = people.len() as f64;
        assert!((19_000.0..=21_000.0).contains(&n), "{n}");
        let share =
            |f: &dyn Fn(&&world::Person) -> bool| people.iter().filter(|p| f(p)).count() as f64 / n;
        let children = share(&|p| p.birth.age_on(as_of) < 15);
        let old = share(&|p| p.birth.age_on(as_of) >= 60);
        let men = share(&|p| p.sex == Sex::Male);
        let women_in_scope = share(&|p| {
            p.sex == Sex::Female
                && p.hukou == Hukou::Active
                && p.marital.is_married()
                && (20..=49).contains(&p.birth.age_on(as_of))
        });
        let elsewhere = share(&|p| !places::is_county(p.region));

        assert!((0.10..=0.25).contains(&children), "children {children}");
        assert!((0.12..=0.35).contains(&old), "60 and over {old}");
        assert!((0.45..=0.55).contains(&men), "men {men}");
        assert!(
            (0.10..=0.25).contains(&women_in_scope),
            "married women 20–49 {women_in_scope}"
        );
        assert!(
            (0.05..=0.25).contains(&elsewhere),
            "born elsewhere {elsewhere}"
        );
        // Births per 1,000 a year, 2016–2025, between a low and a high Chinese county.
        let births = s
            .world
            .births
            .iter()
            .filter(|b| {
                (2016..=2025).contains(&b.date.year())
                    && !s.world.people[b.mother as usize].external
            })
            .count();
        let rate = births as f64 / 10.0 / n * 1000.0;
        assert!(
            (5.0..=16.0).contains(&rate),
            "births per 1000 a year {rate}"
        );
        // Compound surnames and minority names are there.
        assert!(people.iter().any(|p| p.name.starts_with("欧阳")
            || p.name.starts_with("司马")
            || p.name.starts_with("诸葛")));
        assert!(people.iter().any(|p| p.ethnicity != 1));
        // Every category, none swamping the rest.
        for c in classify::Category::ALL {
            let k = s.cases.iter().filter(|x| x.category == c).count();
            assert!(k > 0 && (k as f64) < n * 0.03, "{} {k}", c.code());
        }
    }

    #[test]
    fn noise_changes_no_case() {
        // The cases were found before the noise went in; finding them again
        // after gives the same, record for record.
        let s = county(3_000, 9);
        assert!(!s.noise.is_empty());
        let key = |c: &Case| (c.category, c.rec, c.field.clone());
        let before: Vec<_> = s.cases.iter().map(key).collect();
        let (after, links) = classify::classify(&s.registers, &s.world, s.scope);
        let after: Vec<_> = after.iter().map(key).collect();
        assert_eq!(before, after);
        assert_eq!(links.len(), s.links.len());
    }

    #[test]
    fn the_thread_count_does_not_change_the_county() {
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let three = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let a = one.install(|| county(1_500, 4));
        let b = three.install(|| county(1_500, 4));
        let ids = |s: &Sample| {
            s.world
                .people
                .iter()
                .map(|p| p.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b));
        let cases = |s: &Sample| {
            s.cases
                .iter()
                .map(|c| (c.category, c.rec, c.note.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(cases(&a), cases(&b));
    }
}
