//! `bidui link`: link the person records of two registers.
//!
//! Takes two export files with their registers (and the role linked, such
//! as a birth certificate's mother), loads both, runs the engine and writes
//! every reported pair with its band, weight and explanation to a CSV file;
//! prints a summary (on standard error, or as JSON on standard output).

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use crate::error::{Error, Location, Result};
use crate::exit::ExitCode;
use crate::identity::Date;
use crate::link::person::{Role, persons};
use crate::link::{Band, LinkOptions, Thresholds, link};
use crate::load::origin::Origins;
use crate::load::{LoadOptions, SourceKind, load_register};
use crate::report::pairs::{self, Side};

#[derive(Clone, Debug)]
pub struct LinkCmdOptions {
    pub left: PathBuf,
    pub left_kind: SourceKind,
    pub left_role: Role,
    pub right: PathBuf,
    pub right_kind: SourceKind,
    pub right_role: Role,
    pub output: PathBuf,
    pub thresholds: Thresholds,
    pub as_of: Date,
    pub json: bool,
    pub quiet: bool,
}

pub fn run(options: &LinkCmdOptions, out: &mut dyn Write) -> Result<ExitCode> {
    let progress = crate::progress::Progress::new(options.quiet);
    let started = std::time::Instant::now();
    let side = |path: &PathBuf, kind: SourceKind, role: Role| -> Result<_> {
        progress.stage(&format!("读取 {}", path.display()));
        let mut load_options = LoadOptions::new(options.as_of);
        load_options.kind = Some(kind);
        let (table, _) = load_register(path, &load_options)?;
        let failed = |e| {
            Error::input_because(
                Location::file(path),
                crate::error::InputProblem::Damaged {
                    detail: "无法取出人员信息".into(),
                },
                e,
            )
        };
        let people = persons(&table, role, options.as_of).map_err(failed)?;
        let origins = Origins::of(&table).map_err(failed)?;
        // The table goes here: linking needs only the persons and where
        // each record came from, and a county's two tables are gigabytes.
        drop(table);
        Ok((origins, people))
    };
    let (left, left_people) = side(&options.left, options.left_kind, options.left_role)?;
    let (right, right_people) = side(&options.right, options.right_kind, options.right_role)?;
    progress.stage("比对中");
    let mut link_options = LinkOptions::new(options.as_of);
    link_options.thresholds = options.thresholds;
    // A child may have a certificate and a hospital delivery record: birth
    // records are events too.
    let one_per_person = |role: Role| role == Role::Person;
    link_options.exclusive = (
        one_per_person(options.left_role),
        one_per_person(options.right_role),
    );
    if options.left_role == Role::Child || options.right_role == Role::Child {
        link_options.rules.push(crate::block::Rule::MotherBirth);
    }
    let links = link(&left_people, &right_people, &link_options);
    progress.stage(&format!("写出 {}", options.output.display()));
    pairs::write(
        &options.output,
        &Side {
            kind: options.left_kind,
            origins: &left,
            persons: &left_people,
        },
        &Side {
            kind: options.right_kind,
            origins: &right,
            persons: &right_people,
        },
        &links,
    )?;
    progress.finish();
    let count = |band: Band| links.pairs.iter().filter(|p| p.band == band).count();
    let summary = json!({
        "left": { "file": options.left.display().to_string(), "source": options.left_kind, "role": options.left_role.key(), "records": left_people.len() },
        "right": { "file": options.right.display().to_string(), "source": options.right_kind, "role": options.right_role.key(), "records": right_people.len() },
        "output": options.output.display().to_string(),
        "candidates": links.candidates,
        "by_rule": links.by_rule.iter().map(|(r, n)| json!({"rule": r, "pairs": n})).collect::<Vec<_>>(),
        "skipped_blocks": links.skipped_blocks,
        "links": count(Band::Link),
        "review": count(Band::Review),
        "no_link": count(Band::NoLink),
        "thresholds": links_thresholds(options.thresholds),
        "model": links.model,
        "timings": links.timings.iter().map(|(k, t)| json!({"step": k, "seconds": t})).collect::<Vec<_>>(),
        "seconds": started.elapsed().as_secs_f64(),
    });
    if options.json {
        serde_json::to_writer_pretty(&mut *out, &summary).map_err(|e| Error::stdout(e.into()))?;
        writeln!(out).map_err(Error::stdout)?;
        out.flush().map_err(Error::stdout)?;
    } else if !options.quiet {
        eprintln!(
            "bidui link：左 {} 条、右 {} 条；候选 {} 对；确认同一人 {} 对，待核实 {} 对；结果已写入 {}",
            left_people.len(),
            right_people.len(),
            links.candidates,
            count(Band::Link),
            count(Band::Review),
            options.output.display()
        );
    }
    Ok(ExitCode::Success)
}

fn links_thresholds(t: Thresholds) -> serde_json::Value {
    json!({ "link": t.link, "review": t.review })
}
