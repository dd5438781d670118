//! What every cell of the export files says.
//!
//! Takes a file's plan and the records and gives rows of cells: the merged
//! title and unit line, the one- or two-row header, each record in the
//! file's own styles (dates as `2014-09-25`, `2014/9/25`, `20140925`,
//! `2014年9月25日`, `2014.09.25` or date cells; codes as code, text or
//! both), and the totals row and signature line at the bottom. The
//! writers decide only how the cells are stored.

use super::classify::mother_id_shown;
use super::columns::{CodeStyle, Col, DateStyle, chinese_date};
use super::inject::float_shown;
use super::layout::{FileFormat, FilePlan, Footer, SheetPlan};
use super::names;
use super::places::County;
use super::registers::{Place, Register, Registers};
use super::rng::Rng;
use super::world::{Lives, RegKind};
use crate::identity::codes::CodeTable;
use crate::identity::{Date, Ethnicity, HouseholdStatus, Marital, Sex};

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date cell in a workbook (text in CSV and HTML).
    Date(Date),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    /// The cell as text, for CSV and HTML.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n}"),
            Cell::Date(d) => d.to_string(),
        }
    }
}

/// A range of merged cells, rows and columns 0-based within its grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub last_row: u32,
    pub first_col: u16,
    pub last_col: u16,
}

/// Rows above or below the records, with their merged ranges.
#[derive(Clone, Debug, Default)]
pub struct Grid {
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
}

pub struct Renderer<'a> {
    pub r: &'a Registers,
    pub county: &'a County,
    pub hospitals: &'a [String],
    pub as_of: Date,
    pub seed: u64,
}

fn date(d: Date, style: DateStyle, text_only: bool, minutes: u32) -> Cell {
    match style {
        DateStyle::Iso => Cell::Text(d.to_string()),
        DateStyle::Slash => Cell::Text(format!("{}/{}/{}", d.year(), d.month(), d.day())),
        DateStyle::Compact => Cell::Text(d.compact()),
        DateStyle::Chinese => Cell::Text(chinese_date(d)),
        DateStyle::Dotted => Cell::Text(format!("{}.{:02}.{:02}", d.year(), d.month(), d.day())),
        DateStyle::Cell if text_only => Cell::Text(d.to_string()),
        DateStyle::Cell => Cell::Date(d),
        DateStyle::IsoTime => {
            Cell::Text(format!("{d} {:02}:{:02}", minutes / 60 % 24, minutes % 60))
        }
    }
}

fn sex(s: Sex, style: CodeStyle) -> Cell {
    let (code, text) = match s {
        Sex::Male => ("1", "男"),
        Sex::Female => ("2", "女"),
        Sex::NotKnown => ("0", "未知"),
        Sex::NotStated => ("9", "未说明"),
    };
    Cell::Text(match style {
        CodeStyle::Code => code.to_string(),
        CodeStyle::Text => text.to_string(),
        CodeStyle::CodeText => format!("{code} {text}"),
    })
}

fn marital(m: Marital, style: CodeStyle) -> Cell {
    let code = m.code();
    Cell::Text(match style {
        CodeStyle::Code => code.to_string(),
        CodeStyle::Text => m.name().to_string(),
        CodeStyle::CodeText => format!("{code}{}", m.name()),
    })
}

fn ethnicity(code: u8, style: CodeStyle) -> Cell {
    let name = Ethnicity(code).name();
    Cell::Text(match style {
        CodeStyle::Code => format!("{code:02}"),
        CodeStyle::Text => name.to_string(),
        CodeStyle::CodeText => format!("{code:02}{name}"),
    })
}

fn status_code(s: HouseholdStatus) -> String {
    s.code().to_string()
}

/// Column widths, in characters, for the workbooks.
pub fn widths(f: &FilePlan) -> Vec<f64> {
    f.columns
        .iter()
        .map(|c| match c.col {
            Col::Id | Col::SpouseId | Col::MotherId | Col::ManId | Col::WomanId | Col::FatherId => {
                21.0
            }
            Col::Lives | Col::Hospital | Col::Office => 24.0,
            Col::Number { .. } => 22.0,
            Col::HukouTown | Col::HukouVillage | Col::Town | Col::Village | Col::HukouCode => 15.0,
            Col::Seq => 6.0,
            Col::Birth(_)
            | Col::MarriageDate(_)
            | Col::RegDate(_)
            | Col::ManBirth(_)
            | Col::WomanBirth(_)
            | Col::ChildBirth(_)
            | Col::Issued(_) => 13.0,
            _ => 10.0,
        })
        .collect()
}

/// A time of day for a delivery, the same every time for one record.
fn minutes_of(number: &str) -> u32 {
    let h = number.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    });
    let h = (h ^ (h >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((h >> 32) % (24 * 60)) as u32
}

impl Renderer<'_> {
    fn village_name(&self, v: u32) -> (&str, &str, &str) {
        let village = &self.county.villages[v as usize];
        (
            &self.county.towns[village.town].name,
            &village.name,
            &village.code,
        )
    }

    /// The rows above the records: title, unit line, header rows.
    pub fn top(&self, f: &FilePlan, sheet: &SheetPlan) -> Grid {
        let mut grid = Grid::default();
        let n = f.columns.len() as u16;
        let title_row = |text: &str, grid: &mut Grid| {
            let row = grid.rows.len() as u32;
            let mut cells = vec![Cell::Empty; n as usize];
            cells[0] = Cell::text(text);
            grid.rows.push(cells);
            grid.merges.push(Merge {
                first_row: row,
                last_row: row,
                first_col: 0,
                last_col: n - 1,
            });
        };
        if !f.format.is_csv() {
            if let Some(title) = &f.title {
                let text = if f.register == Register::Wis && f.sheets.len() > 1 {
                    format!("{title}（{}）", sheet.name)
                } else {
                    title.clone()
                };
                title_row(&text, &mut grid);
            }
            if let Some(sub) = &f.subtitle {
                title_row(sub, &mut grid);
            }
        }
        let first = grid.rows.len() as u32;
        if f.two_row_header() {
            let mut groups = vec![Cell::Empty; n as usize];
            let mut subs = vec![Cell::Empty; n as usize];
            let mut c = 0;
            while c < f.columns.len() {
                let col = &f.columns[c];
                match col.group {
                    None => {
                        groups[c] = Cell::text(col.header);
                        if !f.format.is_csv() {
                            grid.merges.push(Merge {
                                first_row: first,
                                last_row: first + 1,
                                first_col: c as u16,
                                last_col: c as u16,
                            });
                        }
                        c += 1;
                    }
                    Some(group) => {
                        let start = c;
                        groups[c] = Cell::text(group);
                        while c < f.columns.len() && f.columns[c].group == Some(group) {
                            subs[c] = Cell::text(f.columns[c].header);
                            c += 1;
                        }
                        if !f.format.is_csv() && c - start > 1 {
                            grid.merges.push(Merge {
                                first_row: first,
                                last_row: first,
                                first_col: start as u16,
                                last_col: (c - 1) as u16,
                            });
                        }
                    }
                }
            }
            grid.rows.push(groups);
            grid.rows.push(subs);
        } else {
            grid.rows
                .push(f.columns.iter().map(|c| Cell::text(c.header)).collect());
        }
        grid
    }

    /// The rows below the records: totals and a signature line.
    pub fn bottom(&self, f: &FilePlan, sheet: &SheetPlan) -> Grid {
        let mut grid = Grid::default();
        if f.format.is_csv() {
            return grid;
        }
        let n = f.columns.len() as u16;
        if matches!(f.footer, Footer::Totals | Footer::Both) {
            let mut cells = vec![Cell::Empty; n as usize];
            cells[0] = Cell::text("合计");
            cells[1] = Cell::Text(format!("共{}{}", sheet.records.len(), f.unit));
            grid.rows.push(cells);
        }
        if matches!(f.footer, Footer::Signature | Footer::Both) {
            let key = f
                .path
                .bytes()
                .chain(sheet.name.bytes())
                .fold(0u64, |h, b| h.wrapping_mul(131).wrapping_add(u64::from(b)));
            let mut rng = Rng::stream(self.seed, "signature", key);
            let person = |rng: &mut Rng| {
                let surname = names::surname(rng, &[]);
                format!("{surname}{}", names::given_name(rng, Sex::Female, 1985))
            };
            let maker = person(&mut rng);
            let checker = person(&mut rng);
            grid.rows.push(vec![Cell::Empty; n as usize]);
            let row = grid.rows.len() as u32;
            let mut cells = vec![Cell::Empty; n as usize];
            cells[0] = Cell::Text(format!(
                "制表人：{maker}　　审核人：{checker}　　制表日期：{}",
                chinese_date(self.as_of)
            ));
            grid.rows.push(cells);
            grid.merges.push(Merge {
                first_row: row,
                last_row: row,
                first_col: 0,
                last_col: n - 1,
            });
        }
        grid
    }

    /// One record's row.
    pub fn row(&self, f: &FilePlan, sheet: &SheetPlan, pos: usize, out: &mut Vec<Cell>) {
        out.clear();
        let i = sheet.records[pos] as usize;
        let text_only = f.format.is_csv() || f.format == FileFormat::Html;
        for column in &f.columns {
            let cell = match f.register {
                Register::Wis => self.wis(i, column.col, pos, text_only),
                Register::Household => self.household(i, column.col),
                Register::Marriage => self.marriage(i, column.col),
                Register::Birth => self.birth(i, column.col, text_only),
            };
            out.push(cell);
        }
    }

    fn wis(&self, i: usize, col: Col, pos: usize, text_only: bool) -> Cell {
        let w = &self.r.wis[i];
        match col {
            Col::Seq => Cell::Number((pos + 1) as f64),
            Col::Name => Cell::text(&w.name),
            Col::Sex(s) => sex(w.sex, s),
            Col::Ethnicity(s) => ethnicity(w.ethnicity, s),
            Col::Birth(s) => date(w.birth, s, text_only, 0),
            Col::Id => Cell::text(&w.id),
            Col::Marital(s) => marital(w.marital, s),
            Col::MarriageDate(s) => w
                .marriage_date
                .map_or(Cell::Empty, |d| date(d, s, text_only, 0)),
            Col::SpouseName => Cell::text(&w.spouse_name),
            Col::SpouseId => Cell::text(&w.spouse_id),
            Col::MotherName => Cell::text(&w.mother_name),
            Col::MotherId => Cell::text(&w.mother_id),
            Col::HukouTown => match w.hukou {
                Place::Village(v) => Cell::text(self.village_name(v).0),
                Place::Outside(code) => Cell::text(
                    crate::identity::region::lookup(code)
                        .map_or_else(|| code.to_string(), |r| r.full_name().replace(' ', "")),
                ),
            },
            Col::HukouVillage => match w.hukou {
                Place::Village(v) => Cell::text(self.village_name(v).1),
                Place::Outside(_) => Cell::Empty,
            },
            Col::HukouCode => match w.hukou {
                Place::Village(v) => Cell::text(self.village_name(v).2),
                Place::Outside(_) => Cell::Empty,
            },
            Col::Lives => match w.lives {
                Lives::Home => {
                    let (town, village, _) = self.village_name(w.sheet_village);
                    Cell::Text(format!("{town}{village}"))
                }
                Lives::Village(v) => {
                    let (town, village, _) = self.village_name(v);
                    Cell::Text(format!("{town}{village}"))
                }
                Lives::Away(place) => Cell::Text(format!("外出：{place}")),
            },
            _ => Cell::Empty,
        }
    }

    fn household(&self, i: usize, col: Col) -> Cell {
        let h = &self.r.household[i];
        match col {
            Col::Id => Cell::text(&h.id),
            Col::Name => Cell::text(&h.name),
            Col::Sex(s) => sex(h.sex, s),
            Col::Ethnicity(s) => ethnicity(h.ethnicity, s),
            Col::Birth(s) => date(h.birth, s, true, 0),
            Col::Marital(s) => marital(h.marital, s),
            Col::Relation => Cell::Text(format!("{:02}", h.relation)),
            Col::Status => Cell::Text(status_code(h.status)),
            Col::HouseholdNo => Cell::Text(format!("{:09}", h.household)),
            Col::SpouseName => Cell::text(&h.spouse_name),
            Col::SpouseId => Cell::text(&h.spouse_id),
            Col::MotherName => Cell::text(&h.mother_name),
            Col::MotherId => Cell::text(&h.mother_id),
            Col::Town => Cell::text(self.village_name(h.village).0),
            Col::Village => Cell::text(self.village_name(h.village).1),
            _ => Cell::Empty,
        }
    }

    fn marriage(&self, i: usize, col: Col) -> Cell {
        let m = &self.r.marriage[i];
        match col {
            Col::RegDate(s) => date(m.date, s, true, 0),
            Col::RegKind => Cell::text(match m.kind {
                RegKind::Marriage => "结婚",
                RegKind::Divorce => "离婚",
                RegKind::Remarriage => "复婚",
            }),
            Col::ManName => Cell::text(&m.man_name),
            Col::ManId => Cell::text(&m.man_id),
            Col::ManBirth(s) => date(m.man_birth, s, true, 0),
            Col::WomanName => Cell::text(&m.woman_name),
            Col::WomanId => Cell::text(&m.woman_id),
            Col::WomanBirth(s) => date(m.woman_birth, s, true, 0),
            Col::Number { hyphens } => {
                if hyphens {
                    Cell::text(&m.number)
                } else {
                    Cell::Text(m.number.replace('-', ""))
                }
            }
            Col::Office => Cell::Text(format!("{}民政局婚姻登记处", self.county.name)),
            _ => Cell::Empty,
        }
    }

    fn birth(&self, i: usize, col: Col, text_only: bool) -> Cell {
        let b = &self.r.birth[i];
        let hospital = || {
            self.hospitals
                .get(b.hospital as usize)
                .cloned()
                .unwrap_or_default()
        };
        match col {
            Col::Number { .. } => Cell::text(&b.number),
            Col::ChildName => Cell::text(&b.child_name),
            Col::ChildSex(s) => sex(b.child_sex, s),
            Col::ChildBirth(s) => date(b.child_birth, s, text_only, minutes_of(&b.number)),
            Col::Hospital => Cell::Text(hospital()),
            Col::MotherName => Cell::text(&b.mother_name),
            Col::MotherEthnicity => ethnicity(b.mother_ethnicity, CodeStyle::Text),
            Col::MotherId if b.mother_id_as_number => {
                let (value, shown) = float_shown(&b.mother_id);
                if text_only {
                    Cell::Text(shown)
                } else {
                    Cell::Number(value)
                }
            }
            Col::MotherId => Cell::Text(mother_id_shown(b)),
            Col::FatherName => Cell::text(&b.father_name),
            Col::FatherId => Cell::text(&b.father_id),
            Col::Issued(s) => b.issued.map_or(Cell::Empty, |d| date(d, s, text_only, 0)),
            Col::Delivery => Cell::text(if b.caesarean { "剖宫产" } else { "顺产" }),
            _ => Cell::Empty,
        }
    }
}
