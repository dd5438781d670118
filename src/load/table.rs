//! The canonical table: a register's records as typed polars columns.
//!
//! Takes the data rows of a loaded file with each sheet's header mapping and
//! gives a polars `DataFrame` with one fixed schema per register (see
//! docs/canonical-schema.md): for every record the file, sheet and row a
//! person sees, and for every field its raw cell text next to the typed,
//! normalised value. It also gives the data-quality counts of the file.
//! Columns are normalised in parallel, one field at a time.

use std::collections::BTreeMap;

use polars::prelude::{Column, DataFrame, DataType, PolarsResult};
use rayon::prelude::*;
use serde::Serialize;

use super::SourceKind;
use super::fields::{Field, FieldColumns, FieldType, specs};
use super::grid::Row;
use crate::identity::codes::CodeTable;
use crate::identity::{
    Coded, Ethnicity, HouseholdStatus, IdParser, Marital, NameStatus, Sex, mask, normalize_name,
    parse_code, parse_date,
};

/// One data row, with where it came from.
pub struct Record<'a> {
    pub sheet: Option<&'a str>,
    pub row: &'a Row,
    /// Field → column of this row's sheet.
    pub columns: &'a FieldColumns,
}

/// How many examples of a problem are kept for the report.
const EXAMPLES: usize = 5;

#[derive(Clone, Debug, Default, Serialize)]
pub struct IdQuality {
    pub filled: usize,
    pub empty: usize,
    pub valid: usize,
    /// Problem code → count (a number may have several).
    pub invalid_by_reason: BTreeMap<String, usize>,
    pub invalid: usize,
    /// (row, masked number, first problem)
    pub examples: Vec<(u64, String, String)>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct DateQuality {
    pub filled: usize,
    pub unreadable: usize,
    /// (row, raw text, why)
    pub examples: Vec<(u64, String, String)>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct CodeQuality {
    pub filled: usize,
    pub unknown: usize,
    /// Unknown raw value → count.
    pub unknown_values: BTreeMap<String, usize>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct NameQuality {
    pub given: usize,
    pub blank: usize,
    pub no_name_yet: usize,
    pub unknown_characters: usize,
}

/// The data-quality counts of one file, by field key.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Quality {
    pub ids: BTreeMap<&'static str, IdQuality>,
    pub dates: BTreeMap<&'static str, DateQuality>,
    pub codes: BTreeMap<&'static str, CodeQuality>,
    pub names: BTreeMap<&'static str, NameQuality>,
}

/// Builds the canonical table of `kind` from `records`.
pub fn build(
    kind: SourceKind,
    file: &str,
    records: &[Record<'_>],
    parser: IdParser,
) -> PolarsResult<(DataFrame, Quality)> {
    let n = records.len();
    let mut quality = Quality::default();
    let mut columns = vec![
        Column::new("file".into(), vec![file; n]),
        Column::new(
            "sheet".into(),
            records.iter().map(|r| r.sheet).collect::<Vec<_>>(),
        ),
        Column::new(
            "row".into(),
            records
                .iter()
                .map(|r| u32::try_from(r.row.number).unwrap_or(u32::MAX))
                .collect::<Vec<u32>>(),
        ),
    ];
    // Fields in parallel (each also parallel inside): building the polars
    // columns is the larger part of the work, and is single-threaded per column.
    let parts: Vec<(Vec<Column>, Quality)> = specs(kind)
        .par_iter()
        .map(|spec| field_columns(spec.field, kind, records, parser))
        .collect::<PolarsResult<_>>()?;
    for (field_columns, part) in parts {
        columns.extend(field_columns);
        quality.ids.extend(part.ids);
        quality.dates.extend(part.dates);
        quality.codes.extend(part.codes);
        quality.names.extend(part.names);
    }
    Ok((DataFrame::new(n, columns)?, quality))
}

/// The columns of one field, and its quality counts.
fn field_columns(
    field: Field,
    kind: SourceKind,
    records: &[Record<'_>],
    parser: IdParser,
) -> PolarsResult<(Vec<Column>, Quality)> {
    let mut columns = Vec::new();
    let mut quality = Quality::default();
    let key = field.key();
    let raw: Vec<Option<&str>> = records
        .par_iter()
        .map(|r| r.columns.get(field).map(|c| r.row.cell(c)))
        .collect();
    let rows = || records.iter().map(|r| r.row.number);
    match field.field_type() {
        FieldType::Id => {
            let parsed: Vec<_> = raw.par_iter().map(|c| c.map(|t| parser.parse(t))).collect();
            let q = quality.ids.entry(key).or_default();
            for (row, id) in rows().zip(&parsed) {
                let Some(id) = id else { continue };
                if id.is_empty() {
                    q.empty += 1;
                    continue;
                }
                q.filled += 1;
                if id.is_valid() {
                    q.valid += 1;
                    continue;
                }
                q.invalid += 1;
                for p in id.problems() {
                    *q.invalid_by_reason.entry(problem_code(p)).or_default() += 1;
                }
                if q.examples.len() < EXAMPLES {
                    let first = id
                        .problems()
                        .first()
                        .map(|p| p.message())
                        .unwrap_or_default();
                    q.examples.push((row, mask(id.cleaned()), first));
                }
            }
            columns.push(Column::new(format!("{key}_raw").into(), raw.clone()));
            columns.push(Column::new(
                key.into(),
                parsed
                    .iter()
                    .map(|p| {
                        p.as_ref()
                            .filter(|id| !id.is_empty())
                            .map(|id| id.cleaned())
                    })
                    .collect::<Vec<_>>(),
            ));
            columns.push(Column::new(
                format!("{key}_kind").into(),
                parsed
                    .iter()
                    .map(|p| p.as_ref().map(|id| kind_key(id.kind())))
                    .collect::<Vec<_>>(),
            ));
            columns.push(Column::new(
                format!("{key}_valid").into(),
                parsed
                    .iter()
                    .map(|p| p.as_ref().map(|id| id.is_valid()))
                    .collect::<Vec<_>>(),
            ));
            columns.push(Column::new(
                format!("{key}_problems").into(),
                parsed
                    .iter()
                    .map(|p| {
                        p.as_ref().filter(|id| !id.is_valid()).map(|id| {
                            id.problems()
                                .iter()
                                .map(problem_code)
                                .collect::<Vec<_>>()
                                .join(";")
                        })
                    })
                    .collect::<Vec<_>>(),
            ));
        }
        FieldType::Name => {
            let parsed: Vec<_> = raw.par_iter().map(|c| c.map(normalize_name)).collect();
            let keys: Vec<Option<String>> = parsed
                .par_iter()
                .map(|p| {
                    p.as_ref()
                        .filter(|n| n.is_given())
                        .map(|n| n.pinyin_keys().join("|"))
                })
                .collect();
            let q = quality.names.entry(key).or_default();
            for name in parsed.iter().flatten() {
                match name.status() {
                    NameStatus::Given => q.given += 1,
                    NameStatus::Blank => q.blank += 1,
                    NameStatus::NoNameYet => q.no_name_yet += 1,
                }
                if name.has_unknown() {
                    q.unknown_characters += 1;
                }
            }
            columns.push(Column::new(format!("{key}_raw").into(), raw.clone()));
            columns.push(Column::new(
                key.into(),
                parsed
                    .iter()
                    .map(|p| {
                        p.as_ref()
                            .filter(|n| n.status() != NameStatus::Blank)
                            .map(|n| n.normalized())
                    })
                    .collect::<Vec<_>>(),
            ));
            columns.push(Column::new(
                format!("{key}_status").into(),
                parsed
                    .iter()
                    .map(|p| p.as_ref().map(|n| status_key(n.status())))
                    .collect::<Vec<_>>(),
            ));
            columns.push(Column::new(format!("{key}_pinyin").into(), keys));
        }
        FieldType::Date => {
            let parsed: Vec<_> = raw.par_iter().map(|c| c.map(parse_date)).collect();
            let q = quality.dates.entry(key).or_default();
            for (row, d) in rows().zip(&parsed) {
                match d {
                    Some(Ok(Some(_))) => q.filled += 1,
                    Some(Err(e)) => {
                        q.filled += 1;
                        q.unreadable += 1;
                        if q.examples.len() < EXAMPLES {
                            q.examples.push((row, e.raw().to_string(), e.to_string()));
                        }
                    }
                    _ => {}
                }
            }
            let days: Vec<Option<i32>> = parsed
                .iter()
                .map(|d| match d {
                    Some(Ok(Some(date))) => i32::try_from(date.days_since_epoch()).ok(),
                    _ => None,
                })
                .collect();
            columns.push(Column::new(format!("{key}_raw").into(), raw.clone()));
            columns.push(Column::new(key.into(), days).cast(&DataType::Date)?);
            columns.push(Column::new(
                format!("{key}_invalid").into(),
                parsed
                    .iter()
                    .map(|d| d.as_ref().map(Result::is_err))
                    .collect::<Vec<_>>(),
            ));
        }
        FieldType::Sex => push_coded::<Sex>(&mut columns, &mut quality, key, &raw, |v| {
            v.code().to_string()
        }),
        FieldType::Marital => push_coded::<Marital>(&mut columns, &mut quality, key, &raw, |v| {
            v.code().to_string()
        }),
        FieldType::Status => {
            push_coded::<HouseholdStatus>(&mut columns, &mut quality, key, &raw, |v| {
                v.code().to_string()
            })
        }
        FieldType::Ethnicity => {
            push_coded::<Ethnicity>(&mut columns, &mut quality, key, &raw, |v| {
                format!("{:02}", v.code())
            })
        }
        FieldType::RegType => {
            let cert = specs(kind)
                .iter()
                .any(|s| s.field == Field::CertificateNo)
                .then(|| {
                    records
                        .iter()
                        .map(|r| r.columns.get(Field::CertificateNo).map(|c| r.row.cell(c)))
                        .collect::<Vec<_>>()
                });
            let parsed: Vec<Option<Result<&'static str, ()>>> = raw
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let from_type = c.filter(|t| !t.is_empty()).map(reg_type);
                    from_type.or_else(|| {
                        // Without a type column, the certificate number says it:
                        // J… marriage, L… divorce, BJ/BL reissued.
                        let cert = cert.as_ref()?.get(i).copied().flatten()?;
                        Some(reg_type_from_certificate(cert))
                    })
                })
                .collect();
            let q = quality.codes.entry(key).or_default();
            for (c, p) in raw.iter().zip(&parsed) {
                match p {
                    Some(Ok(_)) => q.filled += 1,
                    Some(Err(())) => {
                        q.filled += 1;
                        q.unknown += 1;
                        *q.unknown_values
                            .entry(c.unwrap_or("").to_string())
                            .or_default() += 1;
                    }
                    None => {}
                }
            }
            columns.push(Column::new(format!("{key}_raw").into(), raw.clone()));
            columns.push(Column::new(
                key.into(),
                parsed
                    .iter()
                    .map(|p| p.and_then(Result::ok))
                    .collect::<Vec<_>>(),
            ));
            columns.push(Column::new(
                format!("{key}_unknown").into(),
                parsed
                    .iter()
                    .map(|p| p.map(|r| r.is_err()))
                    .collect::<Vec<_>>(),
            ));
        }
        FieldType::Text => {
            columns.push(Column::new(
                key.into(),
                raw.iter()
                    .map(|c| c.filter(|t| !crate::identity::date::is_blank_marker(t)))
                    .collect::<Vec<_>>(),
            ));
        }
    }
    Ok((columns, quality))
}

fn push_coded<T>(
    columns: &mut Vec<Column>,
    quality: &mut Quality,
    key: &'static str,
    raw: &[Option<&str>],
    code: impl Fn(T) -> String + Sync,
) where
    T: CodeTable + PartialEq + Send + Sync,
{
    let parsed: Vec<Option<Coded<T>>> = raw.par_iter().map(|c| c.map(parse_code::<T>)).collect();
    let q = quality.codes.entry(key).or_default();
    for p in parsed.iter().flatten() {
        match p {
            Coded::Known(_) => q.filled += 1,
            Coded::Unknown(text) => {
                q.filled += 1;
                q.unknown += 1;
                *q.unknown_values.entry(text.clone()).or_default() += 1;
            }
            Coded::Blank => {}
        }
    }
    columns.push(Column::new(format!("{key}_raw").into(), raw.to_vec()));
    columns.push(Column::new(
        key.into(),
        parsed
            .iter()
            .map(|p| p.as_ref().and_then(Coded::known).map(&code))
            .collect::<Vec<_>>(),
    ));
    columns.push(Column::new(
        format!("{key}_unknown").into(),
        parsed
            .iter()
            .map(|p| p.as_ref().map(|c| matches!(c, Coded::Unknown(_))))
            .collect::<Vec<_>>(),
    ));
}

/// The snake_case code of a problem, as in `--json` and the table.
pub fn problem_code(p: &crate::identity::IdProblem) -> String {
    serde_json::to_value(p)
        .ok()
        .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_string))
        .unwrap_or_default()
}

/// An invalid ID number's problem code (as [`problem_code`] gives it) in
/// the statistician's words.
pub fn problem_label(code: &str) -> &'static str {
    match code {
        "empty" => "空白",
        "placeholder" => "占位号码",
        "stored_as_number" => "存成数字已损坏",
        "lost_trailing_digits" => "末三位丢失",
        "wrong_length" => "位数不对",
        "bad_character" => "含非法字符",
        "impossible_date" => "出生日期不存在",
        "future_date" => "出生日期晚于比对日期",
        "date_too_early" => "出生日期过早",
        "unknown_region" => "地区码不存在",
        "wrong_check" => "校验码错误",
        _ => "其他",
    }
}

fn kind_key(kind: crate::identity::IdKind) -> &'static str {
    use crate::identity::IdKind::*;
    match kind {
        Empty => "empty",
        Citizen => "citizen",
        CitizenOld => "citizen_old",
        HkMacaoTaiwanPermit => "hk_macao_taiwan_permit",
        ForeignPermanent => "foreign_permanent",
        ForeignPermanentOld => "foreign_permanent_old",
        Placeholder => "placeholder",
        Damaged => "damaged",
        Unrecognised => "unrecognised",
    }
}

fn status_key(status: NameStatus) -> &'static str {
    match status {
        NameStatus::Given => "given",
        NameStatus::NoNameYet => "no_name_yet",
        NameStatus::Blank => "blank",
    }
}

/// 结婚登记 / 离婚登记 / 补发 … as `marriage`, `divorce`, `reissue`,
/// `annulment`; anything else is unknown (kept raw, reported).
fn reg_type(text: &str) -> Result<&'static str, ()> {
    let t = text.trim();
    if t.contains("补") {
        Ok("reissue")
    } else if t.contains("撤销") || t.contains("无效") {
        Ok("annulment")
    } else if t.contains("离婚") || t == "离" || t.eq_ignore_ascii_case("IL") {
        Ok("divorce")
    } else if t.contains("结婚")
        || t.contains("复婚")
        || t.contains("再婚")
        || t == "结"
        || t.eq_ignore_ascii_case("IJ")
    {
        Ok("marriage")
    } else {
        Err(())
    }
}

fn reg_type_from_certificate(cert: &str) -> Result<&'static str, ()> {
    let c = cert.trim().to_ascii_uppercase();
    if c.starts_with("BJ") || c.starts_with("BL") {
        Ok("reissue")
    } else if c.starts_with('J') {
        Ok("marriage")
    } else if c.starts_with('L') {
        Ok("divorce")
    } else {
        Err(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_keys_are_the_json_names() {
        use crate::identity::IdKind::*;
        for kind in [
            Empty,
            Citizen,
            CitizenOld,
            HkMacaoTaiwanPermit,
            ForeignPermanent,
            ForeignPermanentOld,
            Placeholder,
            Damaged,
            Unrecognised,
        ] {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                kind_key(kind),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn registration_types() {
        let cases = [
            ("结婚登记", Ok("marriage")),
            ("复婚登记", Ok("marriage")),
            ("离婚登记", Ok("divorce")),
            ("补发结婚证", Ok("reissue")),
            ("撤销婚姻", Ok("annulment")),
            ("收养登记", Err(())),
        ];
        for (text, want) in cases {
            assert_eq!(reg_type(text), want, "{text}");
        }
        let certs = [
            ("J110101-2010-000001", Ok("marriage")),
            ("L1101012010000001", Ok("divorce")),
            ("BJ110101-2010-000001", Ok("reissue")),
            ("X1", Err(())),
        ];
        for (cert, want) in certs {
            assert_eq!(reg_type_from_certificate(cert), want, "{cert}");
        }
    }
}
