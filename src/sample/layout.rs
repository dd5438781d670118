//! Where every record goes: files, sheets and the row a person sees.
//!
//! Takes the final registers, the county and the chosen formats and gives
//! the plan of the export files — as the real systems write them (domain
//! §5) for `mixed`, or all in one format — and, for every record, its
//! file, sheet and row number (the spreadsheet row, or the CSV line
//! counting the header lines). WIS comes one workbook per town with one
//! sheet per village under a merged title and a unit/date line; the
//! household register one GBK CSV per town with the public-security field
//! codes as headers; marriage registration as an HTML table saved as .xls
//! for the old system's years and a BIFF workbook (a sheet per year) for
//! the new one's; birth certificates as a BIFF workbook with a two-row
//! header, a sheet per year of issue; hospital delivery records as a
//! UTF-8 CSV with a two-row header. Second entries of a record are placed
//! after the first, somewhere later in the same sheet.

use super::columns::{
    Column, DateStyle, certificate_columns, chinese_date, delivery_columns, household_columns,
    marriage_new_columns, marriage_old_columns, wis_columns,
};
use super::places::County;
use super::registers::{BirthKind, Register, Registers};
use super::rng::Rng;
use crate::identity::Date;

/// The formats the command offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Formats {
    Mixed,
    Csv,
    Xlsx,
}

/// How one file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// CSV in GBK without a BOM (older systems).
    CsvGbk,
    /// CSV in UTF-8 with a BOM.
    CsvUtf8,
    Xlsx,
    /// BIFF8 in an OLE2 compound file.
    Xls,
    /// An HTML table saved under .xls, as web systems export.
    Html,
}

impl FileFormat {
    pub fn is_csv(self) -> bool {
        matches!(self, FileFormat::CsvGbk | FileFormat::CsvUtf8)
    }

    fn extension(self) -> &'static str {
        match self {
            FileFormat::CsvGbk | FileFormat::CsvUtf8 => "csv",
            FileFormat::Xlsx => "xlsx",
            FileFormat::Xls | FileFormat::Html => "xls",
        }
    }
}

/// What goes below the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Footer {
    None,
    /// 合计 and the count.
    Totals,
    /// 制表人 … 审核人 …
    Signature,
    Both,
}

#[derive(Clone, Debug)]
pub struct SheetPlan {
    pub name: String,
    pub records: Vec<u32>,
    /// The row (1-based) of the first record.
    pub first_row: u32,
}

#[derive(Clone, Debug)]
pub struct FilePlan {
    pub register: Register,
    /// Relative to the output folder, with `/`.
    pub path: String,
    pub format: FileFormat,
    pub columns: Vec<Column>,
    /// A merged title row (workbooks and HTML only).
    pub title: Option<String>,
    /// A unit/date line under the title.
    pub subtitle: Option<String>,
    pub sheets: Vec<SheetPlan>,
    pub footer: Footer,
    /// What the totals row counts (人, 条, 份).
    pub unit: &'static str,
    /// The town, for WIS and household files.
    pub town: Option<usize>,
    /// Whose sheet of certificates holds the mothers' numbers as numbers.
    pub numbers_sheet: Option<String>,
}

impl FilePlan {
    pub fn two_row_header(&self) -> bool {
        self.columns.iter().any(|c| c.group.is_some())
    }

    /// Rows above the first record.
    fn rows_above(&self) -> u32 {
        let titles = if self.format.is_csv() {
            0
        } else {
            u32::from(self.title.is_some()) + u32::from(self.subtitle.is_some())
        };
        titles + if self.two_row_header() { 2 } else { 1 }
    }
}

/// Where one record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: u32,
    pub sheet: u32,
    pub row: u32,
}

#[derive(Clone, Debug)]
pub struct Layout {
    pub files: Vec<FilePlan>,
    /// By register (in [`Register::ALL`] order), by record.
    pub locations: [Vec<Location>; 4],
}

impl Layout {
    pub fn location(&self, register: Register, index: u32) -> Location {
        self.locations[register as usize][index as usize]
    }

    /// The file name and sheet name (empty for CSV and HTML) of a location.
    pub fn place(&self, loc: Location) -> (&str, &str) {
        let f = &self.files[loc.file as usize];
        let sheet = if f.format.is_csv() || f.format == FileFormat::Html {
            ""
        } else {
            f.sheets[loc.sheet as usize].name.as_str()
        };
        (f.path.as_str(), sheet)
    }
}

/// Builds the plan and places every record.
pub fn plan(r: &Registers, county: &County, formats: Formats, as_of: Date, seed: u64) -> Layout {
    let pick = |mixed: FileFormat| match formats {
        Formats::Mixed => mixed,
        Formats::Csv => {
            if mixed == FileFormat::CsvGbk {
                FileFormat::CsvGbk
            } else {
                FileFormat::CsvUtf8
            }
        }
        Formats::Xlsx => FileFormat::Xlsx,
    };
    let mut files: Vec<FilePlan> = Vec::new();
    let exported = chinese_date(as_of);
    let name = &county.name;

    // WIS: one workbook per town, one sheet per village of residence.
    let mut by_village: Vec<Vec<u32>> = vec![Vec::new(); county.villages.len()];
    for (i, w) in r.wis.iter().enumerate() {
        if w.copy_of.is_none() {
            by_village[w.sheet_village as usize].push(i as u32);
        }
    }
    let mut by_town: Vec<Vec<u32>> = vec![Vec::new(); county.towns.len()];
    for (i, h) in r.household.iter().enumerate() {
        if h.copy_of.is_none() {
            by_town[county.villages[h.village as usize].town].push(i as u32);
        }
    }
    for (t, town) in county.towns.iter().enumerate() {
        let format = pick(FileFormat::Xlsx);
        let mut sheets = Vec::new();
        for v in town.villages.clone() {
            let mut records = std::mem::take(&mut by_village[v]);
            records.sort_by_key(|&i| (r.wis[i as usize].person, i));
            sheets.push(SheetPlan {
                name: county.villages[v].name.clone(),
                records,
                first_row: 0,
            });
        }
        files.push(FilePlan {
            register: Register::Wis,
            path: format!("wis/{name}{}全员人口个案.{}", town.name, format.extension()),
            format,
            columns: wis_columns(t),
            title: Some(format!("{name}{}全员人口个案信息表", town.name)),
            subtitle: Some(format!(
                "填报单位：{}卫生健康办公室　　导出日期：{exported}　　单位：人",
                town.name
            )),
            sheets,
            footer: if t % 2 == 0 {
                Footer::Both
            } else {
                Footer::Totals
            },
            unit: "人",
            town: Some(t),
            numbers_sheet: None,
        });
    }

    // Household: one GBK CSV per town (one sheet in workbooks).
    for (t, town) in county.towns.iter().enumerate() {
        let format = pick(FileFormat::CsvGbk);
        let mut records = std::mem::take(&mut by_town[t]);
        records.sort_by_key(|&i| {
            let h = &r.household[i as usize];
            (h.village, h.household, h.person, i)
        });
        files.push(FilePlan {
            register: Register::Household,
            path: format!("household/{}常住人口.{}", town.name, format.extension()),
            format,
            columns: household_columns(),
            title: None,
            subtitle: None,
            sheets: vec![SheetPlan {
                name: "常住人口".to_string(),
                records,
                first_row: 0,
            }],
            footer: Footer::None,
            unit: "人",
            town: Some(t),
            numbers_sheet: None,
        });
    }

    // Marriage: the old web system (to 2015) and the new one (a sheet per year).
    let split = 2016;
    let mut old: Vec<u32> = (0..r.marriage.len() as u32)
        .filter(|&i| {
            r.marriage[i as usize].date.year() < split && r.marriage[i as usize].copy_of.is_none()
        })
        .collect();
    old.sort_by_key(|&i| (r.marriage[i as usize].date, i));
    if !old.is_empty() {
        let format = pick(FileFormat::Html);
        let last = r.marriage[*old.last().unwrap_or(&0) as usize]
            .date
            .year()
            .min(split - 1);
        let columns = if format.is_csv() {
            marriage_new_columns(DateStyle::Iso)
        } else {
            marriage_old_columns()
        };
        files.push(FilePlan {
            register: Register::Marriage,
            path: format!("marriage/婚姻登记2003-{last}.{}", format.extension()),
            format,
            columns,
            title: Some(format!("{name}民政局婚姻登记信息（2003—{last}年）")),
            subtitle: None,
            sheets: vec![SheetPlan {
                name: "婚姻登记".to_string(),
                records: old,
                first_row: 0,
            }],
            footer: Footer::Signature,
            unit: "条",
            town: None,
            numbers_sheet: None,
        });
    }
    let mut years: Vec<i32> = r
        .marriage
        .iter()
        .map(|m| m.date.year())
        .filter(|&y| y >= split)
        .collect();
    years.sort_unstable();
    years.dedup();
    if !years.is_empty() {
        let format = pick(FileFormat::Xls);
        let sheets = years
            .iter()
            .map(|&y| {
                let mut records: Vec<u32> = (0..r.marriage.len() as u32)
                    .filter(|&i| {
                        r.marriage[i as usize].date.year() == y
                            && r.marriage[i as usize].copy_of.is_none()
                    })
                    .collect();
                records.sort_by_key(|&i| (r.marriage[i as usize].date, i));
                SheetPlan {
                    name: format!("{y}年"),
                    records,
                    first_row: 0,
                }
            })
            .collect();
        let style = if format.is_csv() {
            DateStyle::Iso
        } else {
            DateStyle::Chinese
        };
        let last = years.last().copied().unwrap_or(split);
        files.push(FilePlan {
            register: Register::Marriage,
            path: format!("marriage/婚姻登记{split}-{last}.{}", format.extension()),
            format,
            columns: marriage_new_columns(style),
            title: Some(format!("{name}婚姻登记信息导出")),
            subtitle: None,
            sheets,
            footer: Footer::Signature,
            unit: "条",
            town: None,
            numbers_sheet: None,
        });
    }

    // Birth certificates, a sheet per year of issue.
    let issued_year = |i: u32| r.birth[i as usize].issued.map_or(0, |d| d.year());
    let mut years: Vec<i32> = (0..r.birth.len() as u32)
        .filter(|&i| r.birth[i as usize].kind == BirthKind::Certificate)
        .map(issued_year)
        .collect();
    years.sort_unstable();
    years.dedup();
    if !years.is_empty() {
        let format = pick(FileFormat::Xls);
        let sheets: Vec<SheetPlan> = years
            .iter()
            .map(|&y| {
                let mut records: Vec<u32> = (0..r.birth.len() as u32)
                    .filter(|&i| {
                        let b = &r.birth[i as usize];
                        b.kind == BirthKind::Certificate
                            && issued_year(i) == y
                            && b.copy_of.is_none()
                    })
                    .collect();
                records.sort_by_key(|&i| (r.birth[i as usize].issued, i));
                SheetPlan {
                    name: format!("{y}年"),
                    records,
                    first_row: 0,
                }
            })
            .collect();
        let numbers_sheet = Some(format!("{}年", super::inject::damaged_year(as_of)));
        files.push(FilePlan {
            register: Register::Birth,
            path: format!(
                "birth/出生医学证明{}-{}.{}",
                years[0],
                years[years.len() - 1],
                format.extension()
            ),
            format,
            columns: certificate_columns(),
            title: Some(format!("{name}出生医学证明签发信息")),
            subtitle: None,
            sheets,
            footer: Footer::Totals,
            unit: "份",
            town: None,
            numbers_sheet,
        });
    }
    let mut delivery: Vec<u32> = (0..r.birth.len() as u32)
        .filter(|&i| {
            r.birth[i as usize].kind == BirthKind::Delivery && r.birth[i as usize].copy_of.is_none()
        })
        .collect();
    delivery.sort_by(|&a, &b| {
        r.birth[a as usize]
            .number
            .cmp(&r.birth[b as usize].number)
            .then(a.cmp(&b))
    });
    if !delivery.is_empty() {
        let format = pick(FileFormat::CsvUtf8);
        files.push(FilePlan {
            register: Register::Birth,
            path: format!("birth/住院分娩实名登记.{}", format.extension()),
            format,
            columns: delivery_columns(),
            title: Some(format!("{name}住院分娩实名登记")),
            subtitle: None,
            sheets: vec![SheetPlan {
                name: "住院分娩".to_string(),
                records: delivery,
                first_row: 0,
            }],
            footer: Footer::None,
            unit: "条",
            town: None,
            numbers_sheet: None,
        });
    }

    place_copies(r, &mut files, seed);
    files.retain(|f| f.sheets.iter().any(|s| !s.records.is_empty()));
    for f in &mut files {
        f.sheets.retain(|s| !s.records.is_empty());
        if f.format.is_csv() && f.sheets.len() > 1 {
            // A CSV has no sheets: one after the other.
            let records = f
                .sheets
                .iter()
                .flat_map(|s| s.records.iter().copied())
                .collect();
            let name = f.sheets[0].name.clone();
            f.sheets = vec![SheetPlan {
                name,
                records,
                first_row: 0,
            }];
        }
        let above = f.rows_above();
        for s in &mut f.sheets {
            s.first_row = above + 1;
        }
    }

    let mut locations: [Vec<Location>; 4] = Default::default();
    for register in Register::ALL {
        locations[register as usize] = vec![
            Location {
                file: u32::MAX,
                sheet: 0,
                row: 0
            };
            r.len(register)
        ];
    }
    for (fi, f) in files.iter().enumerate() {
        for (si, s) in f.sheets.iter().enumerate() {
            for (pos, &i) in s.records.iter().enumerate() {
                locations[f.register as usize][i as usize] = Location {
                    file: fi as u32,
                    sheet: si as u32,
                    row: s.first_row + pos as u32,
                };
            }
        }
    }
    Layout { files, locations }
}

/// Puts every second entry into the sheet of its first, at a random later
/// place.
fn place_copies(r: &Registers, files: &mut [FilePlan], seed: u64) {
    for register in Register::ALL {
        let copies: Vec<(u32, u32)> = match register {
            Register::Wis => r
                .wis
                .iter()
                .enumerate()
                .filter_map(|(i, w)| w.copy_of.map(|o| (o, i as u32)))
                .collect(),
            Register::Household => r
                .household
                .iter()
                .enumerate()
                .filter_map(|(i, h)| h.copy_of.map(|o| (o, i as u32)))
                .collect(),
            Register::Marriage => r
                .marriage
                .iter()
                .enumerate()
                .filter_map(|(i, m)| m.copy_of.map(|o| (o, i as u32)))
                .collect(),
            Register::Birth => r
                .birth
                .iter()
                .enumerate()
                .filter_map(|(i, b)| b.copy_of.map(|o| (o, i as u32)))
                .collect(),
        };
        if copies.is_empty() {
            continue;
        }
        let wanted: std::collections::HashMap<u32, Vec<u32>> =
            copies.iter().fold(Default::default(), |mut m, &(o, c)| {
                m.entry(o).or_insert_with(Vec::new).push(c);
                m
            });
        let mut rng = Rng::stream(seed, "copies", register as u64);
        for f in files.iter_mut().filter(|f| f.register == register) {
            for s in &mut f.sheets {
                let n = s.records.len();
                let mut inserts: Vec<(usize, u32)> = Vec::new();
                for (pos, x) in s.records.iter().enumerate() {
                    if let Some(cs) = wanted.get(x) {
                        for &c in cs {
                            inserts.push((pos + rng.index(n - pos), c));
                        }
                    }
                }
                if inserts.is_empty() {
                    continue;
                }
                inserts.sort_unstable();
                let mut out = Vec::with_capacity(n + inserts.len());
                let mut next = inserts.iter().peekable();
                for (pos, &x) in s.records.iter().enumerate() {
                    out.push(x);
                    while let Some(&&(k, c)) = next.peek() {
                        if k != pos {
                            break;
                        }
                        out.push(c);
                        next.next();
                    }
                }
                s.records = out;
            }
        }
    }
}
