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
use super::registers::{
    BirthKind, BirthRecord, HouseholdRecord, MarriageRecord, Place, Register, Registers, WisRecord,
};
use super::world::{Pid, RegKind, World};
use crate::identity::{Date, IdParser, Marital, Sex, mask, normalize_name};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Q01,
    Q02,
    Q03,
    H01,
    H02,
    H03,
    H04,
    H05,
    H06,
    M01,
    M02,
    M03,
    M04,
    B01,
    B02,
    B03,
    B04,
    L01,
}

impl Category {
    pub const ALL: [Category; 18] = [
        Category::Q01,
        Category::Q02,
        Category::Q03,
        Category::H01,
        Category::H02,
        Category::H03,
        Category::H04,
        Category::H05,
        Category::H06,
        Category::M01,
        Category::M02,
        Category::M03,
        Category::M04,
        Category::B01,
        Category::B02,
        Category::B03,
        Category::B04,
        Category::L01,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Q01 => "Q01",
            Category::Q02 => "Q02",
            Category::Q03 => "Q03",
            Category::H01 => "H01",
            Category::H02 => "H02",
            Category::H03 => "H03",
            Category::H04 => "H04",
            Category::H05 => "H05",
            Category::H06 => "H06",
            Category::M01 => "M01",
            Category::M02 => "M02",
            Category::M03 => "M03",
            Category::M04 => "M04",
            Category::B01 => "B01",
            Category::B02 => "B02",
            Category::B03 => "B03",
            Category::B04 => "B04",
            Category::L01 => "L01",
        }
    }
}

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

/// Records of a register by the person they belong to: sorted pairs,
/// searched by halves (a county has a million people; a map per person
/// would be most of the memory).
struct Index(Vec<(Pid, u32)>);

impl Index {
    fn new(mut pairs: Vec<(Pid, u32)>) -> Index {
        pairs.sort_unstable();
        Index(pairs)
    }

    fn get(&self, pid: Pid) -> &[(Pid, u32)] {
        let lo = self.0.partition_point(|&(p, _)| p < pid);
        let hi = self.0.partition_point(|&(p, _)| p <= pid);
        &self.0[lo..hi]
    }

    fn first(&self, pid: Pid) -> Option<u32> {
        self.get(pid).first().map(|&(_, i)| i)
    }

    fn any(&self, pid: Pid) -> bool {
        !self.get(pid).is_empty()
    }
}

/// An ID cell as the rules see it.
struct Id {
    cleaned: String,
    empty: bool,
    valid: bool,
    birth: Option<Date>,
    sex: Option<Sex>,
    problem: String,
}

fn id(parser: &IdParser, text: &str) -> Id {
    let n = parser.parse(text);
    Id {
        cleaned: n.cleaned().to_string(),
        empty: n.is_empty(),
        valid: n.is_valid(),
        birth: n.birth_date(),
        sex: n.sex(),
        problem: n
            .problems()
            .first()
            .map(|p| p.message())
            .unwrap_or_default(),
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

/// Where two numbers differ, for a note whose numbers are masked:
/// `第12、13位不同`.
fn differing(a: &str, b: &str) -> String {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return format!("位数不同（{}位、{}位）", a.len(), b.len());
    }
    let at: Vec<String> = (0..a.len())
        .filter(|&i| a[i] != b[i])
        .map(|i| (i + 1).to_string())
        .collect();
    format!("第{}位不同", at.join("、"))
}

fn sex_word(s: Sex) -> &'static str {
    match s {
        Sex::Male => "男",
        Sex::Female => "女",
        _ => "未知",
    }
}

fn marital_word(m: Marital) -> &'static str {
    match m {
        Marital::Unmarried => "未婚",
        Marital::Married => "已婚",
        Marital::FirstMarriage => "初婚",
        Marital::Remarried => "再婚",
        Marital::RemarriedSameSpouse => "复婚",
        Marital::Widowed => "丧偶",
        Marital::Divorced => "离婚",
        Marital::NotStated => "未说明",
    }
}

fn legal_age(sex: Sex) -> i32 {
    if sex == Sex::Male { 22 } else { 20 }
}

/// An own ID field of a record: its field key, its label, the number, and
/// the birth date and sex the record states for its holder.
type IdField<'a> = (&'a str, &'a str, &'a Id, Option<Date>, Option<Sex>);

/// The people, the registers, and what the rules look up.
struct Judge<'a> {
    r: &'a Registers,
    scope: Scope,
    parser: IdParser,
    wis: Index,
    household: Index,
    woman_of: Index,
    man_of: Index,
    mother_of: Index,
    child_of: Index,
    /// Has an active household record: "local".
    local: Vec<bool>,
    world: &'a World,
}

impl<'a> Judge<'a> {
    fn new(r: &'a Registers, world: &'a World, scope: Scope) -> Judge<'a> {
        let people = world.people.len();
        // Originals before second entries: the rules compare with the first.
        let wis = Index::new(
            r.wis
                .iter()
                .enumerate()
                .map(|(i, w)| (w.person, i as u32))
                .collect(),
        );
        let household = Index::new(
            r.household
                .iter()
                .enumerate()
                .map(|(i, h)| (h.person, i as u32))
                .collect(),
        );
        let mut local = vec![false; people];
        for h in &r.household {
            if h.status.is_active() {
                local[h.person as usize] = true;
            }
        }
        Judge {
            r,
            scope,
            parser: IdParser::new(scope.as_of),
            wis,
            household,
            woman_of: Index::new(
                r.marriage
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (m.woman, i as u32))
                    .collect(),
            ),
            man_of: Index::new(
                r.marriage
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (m.man, i as u32))
                    .collect(),
            ),
            mother_of: Index::new(
                r.birth
                    .iter()
                    .enumerate()
                    .map(|(i, b)| (b.mother, i as u32))
                    .collect(),
            ),
            child_of: Index::new(
                r.birth
                    .iter()
                    .enumerate()
                    .map(|(i, b)| (b.child, i as u32))
                    .collect(),
            ),
            local,
            world,
        }
    }

    fn is_local(&self, pid: Pid) -> bool {
        self.local.get(pid as usize).copied().unwrap_or(false)
    }

    /// The person's first WIS record that is not a second entry.
    fn wis_of(&self, pid: Pid) -> Option<u32> {
        self.wis
            .get(pid)
            .iter()
            .map(|&(_, i)| i)
            .find(|&i| self.r.wis[i as usize].copy_of.is_none())
            .or_else(|| self.wis.first(pid))
    }

    fn active_household_of(&self, pid: Pid) -> Option<u32> {
        self.household.get(pid).iter().map(|&(_, i)| i).find(|&i| {
            let h = &self.r.household[i as usize];
            h.status.is_active() && h.copy_of.is_none()
        })
    }

    fn id_cases(&self, out: &mut Vec<Case>, rec: Rec, fields: &[IdField]) {
        for &(field, label, id, birth, sex) in fields {
            if !id.empty && !id.valid {
                out.push(case(
                    Category::Q01,
                    rec,
                    field,
                    format!("{label} {} 无效：{}", mask(&id.cleaned), id.problem),
                ));
            }
            if id.valid {
                let mut why = Vec::new();
                if let (Some(a), Some(b)) = (id.birth, birth)
                    && a != b
                {
                    why.push(format!("{label}中的出生日期为{a}，记录的出生日期为{b}"));
                }
                if let (Some(a), Some(b)) = (id.sex, sex)
                    && a != b
                {
                    why.push(format!(
                        "{label}显示为{}性，记录为{}",
                        sex_word(a),
                        sex_word(b)
                    ));
                }
                if !why.is_empty() {
                    out.push(case(Category::Q02, rec, field, why.join("；")));
                }
            }
        }
    }

    fn mother_age_case(&self, out: &mut Vec<Case>, rec: Rec, mother: &Id, born: Date) {
        if let (true, Some(mb)) = (mother.valid, mother.birth) {
            let age = mb.age_on(born);
            if !(15..=55).contains(&age) {
                out.push(case(
                    Category::L01,
                    rec,
                    "mother_id",
                    format!("孩子{born}出生时，母亲（{}）{age}岁", mask(&mother.cleaned)),
                ));
            }
        }
    }

    fn wis(&self, i: usize) -> Vec<Case> {
        let w: &WisRecord = &self.r.wis[i];
        let rec = Rec::new(Register::Wis, i);
        let as_of = self.scope.as_of;
        let mut out = Vec::new();
        let own = id(&self.parser, &w.id);
        self.id_cases(
            &mut out,
            rec,
            &[("id_number", "身份证号", &own, Some(w.birth), Some(w.sex))],
        );
        if let Some(orig) = w.copy_of {
            let how = if w.id.is_empty() {
                "姓名、出生日期相同，本条无身份证号"
            } else {
                "身份证号相同"
            };
            out.push(Case {
                other: Some(Rec::new(Register::Wis, orig as usize)),
                ..case(
                    Category::Q03,
                    rec,
                    "record",
                    format!("同一人录入两次（{how}）"),
                )
            });
        }
        match self.active_household_of(w.person) {
            None => {
                let why = match self.household.first(w.person) {
                    None => "户籍中无此人".to_string(),
                    Some(h) => format!(
                        "户籍人员状态为{}",
                        status_word(&self.r.household[h as usize])
                    ),
                };
                out.push(Case {
                    other: self
                        .household
                        .first(w.person)
                        .map(|h| Rec::new(Register::Household, h as usize)),
                    ..case(Category::H02, rec, "record", why)
                });
            }
            Some(hi) => {
                let h: &HouseholdRecord = &self.r.household[hi as usize];
                let other = Some(Rec::new(Register::Household, hi as usize));
                let (a, b) = (normalize_name(&w.name), normalize_name(&h.name));
                if a.normalized() != b.normalized() {
                    out.push(Case {
                        other,
                        ..case(
                            Category::H03,
                            rec,
                            "name",
                            format!("姓名：WIS为“{}”，户籍为“{}”", w.name, h.name),
                        )
                    });
                }
                let hid = id(&self.parser, &h.id);
                if !own.empty && !hid.empty && own.cleaned != hid.cleaned {
                    out.push(Case {
                        other,
                        ..case(
                            Category::H04,
                            rec,
                            "id_number",
                            format!(
                                "身份证号：WIS为{}，户籍为{}，{}",
                                mask(&own.cleaned),
                                mask(&hid.cleaned),
                                differing(&own.cleaned, &hid.cleaned)
                            ),
                        )
                    });
                }
                let mut why = Vec::new();
                let mut fields = Vec::new();
                if w.birth != h.birth {
                    why.push(format!("出生日期：WIS为{}，户籍为{}", w.birth, h.birth));
                    fields.push("birth_date");
                }
                if w.sex != h.sex {
                    why.push(format!(
                        "性别：WIS为{}，户籍为{}",
                        sex_word(w.sex),
                        sex_word(h.sex)
                    ));
                    fields.push("sex");
                }
                if !why.is_empty() {
                    out.push(Case {
                        other,
                        ..case(Category::H05, rec, &fields.join(";"), why.join("；"))
                    });
                }
                if w.hukou != Place::Village(h.village) {
                    out.push(Case {
                        other,
                        ..case(
                            Category::H06,
                            rec,
                            "hukou_village",
                            "户籍地村（居）与户籍登记不同".to_string(),
                        )
                    });
                }
            }
        }
        // A birth WIS knows of, with no evidence.
        if !w.mother_id.is_empty()
            && self.scope.birth_in_scope(w.birth)
            && self
                .mother_of_person(w.person)
                .is_some_and(|m| self.is_local(m))
            && !self.child_of.any(w.person)
        {
            out.push(case(
                Category::B04,
                rec,
                "record",
                format!("WIS记录{}出生，无出生医学证明，也无住院分娩记录", w.birth),
            ));
        }
        // Contradictions.
        if w.birth > as_of {
            out.push(case(
                Category::L01,
                rec,
                "birth_date",
                format!("出生日期{}晚于比对日期", w.birth),
            ));
        }
        if let Some(md) = w.marriage_date {
            if md > as_of {
                out.push(case(
                    Category::L01,
                    rec,
                    "marriage_date",
                    format!("结婚日期{md}晚于比对日期"),
                ));
            } else if w.marital.is_married() && w.birth.age_on(md) < legal_age(w.sex) {
                out.push(case(
                    Category::L01,
                    rec,
                    "marriage_date",
                    format!(
                        "结婚日期{md}时{}岁，未到法定婚龄（{}岁）",
                        w.birth.age_on(md),
                        legal_age(w.sex)
                    ),
                ));
            }
        }
        if !w.mother_id.is_empty() {
            let m = id(&self.parser, &w.mother_id);
            self.mother_age_case(&mut out, rec, &m, w.birth);
        }
        out
    }

    /// The true mother of a WIS person, whom the record's 母亲身份证号
    /// names (no lag or error touches that field).
    fn mother_of_person(&self, pid: Pid) -> Option<Pid> {
        self.world.people.get(pid as usize).and_then(|p| p.mother)
    }

    fn household_rec(&self, i: usize) -> Vec<Case> {
        let h: &HouseholdRecord = &self.r.household[i];
        let rec = Rec::new(Register::Household, i);
        let mut out = Vec::new();
        let own = id(&self.parser, &h.id);
        self.id_cases(
            &mut out,
            rec,
            &[("id_number", "身份证号", &own, Some(h.birth), Some(h.sex))],
        );
        if let Some(orig) = h.copy_of {
            out.push(Case {
                other: Some(Rec::new(Register::Household, orig as usize)),
                ..case(
                    Category::Q03,
                    rec,
                    "record",
                    "同一人重复登记（身份证号相同）".to_string(),
                )
            });
        }
        let age = h.birth.age_on(self.scope.as_of);
        if h.status.is_active()
            && h.sex == Sex::Female
            && (self.scope.women_min_age..=self.scope.women_max_age).contains(&age)
            && h.marital.is_married()
            && !self.wis.any(h.person)
        {
            out.push(case(
                Category::H01,
                rec,
                "record",
                format!(
                    "户籍在册的已婚育龄妇女（{age}岁，{}），WIS中无此人",
                    marital_word(h.marital)
                ),
            ));
        }
        if h.birth > self.scope.as_of {
            out.push(case(
                Category::L01,
                rec,
                "birth_date",
                format!("出生日期{}晚于比对日期", h.birth),
            ));
        }
        if !h.mother_id.is_empty() {
            let m = id(&self.parser, &h.mother_id);
            self.mother_age_case(&mut out, rec, &m, h.birth);
        }
        out
    }

    fn marriage(&self, i: usize, latest: &HashMap<Pid, u32>) -> Vec<Case> {
        let m: &MarriageRecord = &self.r.marriage[i];
        let rec = Rec::new(Register::Marriage, i);
        let mut out = Vec::new();
        let man = id(&self.parser, &m.man_id);
        let woman = id(&self.parser, &m.woman_id);
        self.id_cases(
            &mut out,
            rec,
            &[
                (
                    "man_id",
                    "男方身份证号",
                    &man,
                    Some(m.man_birth),
                    Some(Sex::Male),
                ),
                (
                    "woman_id",
                    "女方身份证号",
                    &woman,
                    Some(m.woman_birth),
                    Some(Sex::Female),
                ),
            ],
        );
        if let Some(orig) = m.copy_of {
            out.push(Case {
                other: Some(Rec::new(Register::Marriage, orig as usize)),
                ..case(Category::Q03, rec, "record", "同一登记录入两次".to_string())
            });
        }
        let kind = kind_word(m.kind);
        if self.scope.marriage_in_scope(m.date) && self.is_local(m.woman) {
            let w = self.wis_of(m.woman).map(|i| &self.r.wis[i as usize]);
            let wis_rec = self
                .wis_of(m.woman)
                .map(|i| Rec::new(Register::Wis, i as usize));
            if m.kind.is_marriage() {
                match w {
                    None => out.push(case(
                        Category::M01,
                        rec,
                        "record",
                        format!("{}{kind}，WIS中无此女方", m.date),
                    )),
                    Some(w) if w.marital == Marital::Unmarried => out.push(Case {
                        other: wis_rec,
                        ..case(
                            Category::M01,
                            rec,
                            "marital_status",
                            format!("{}{kind}，WIS中该女方为未婚", m.date),
                        )
                    }),
                    _ => {}
                }
            }
            if latest.get(&m.woman) == Some(&(i as u32))
                && let Some(w) = w
            {
                let wis_date = w.marriage_date.map_or("空".to_string(), |d| d.to_string());
                let divorce_missed = m.kind == RegKind::Divorce
                    && w.marital.is_married()
                    && w.marriage_date.is_none_or(|d| d <= m.date);
                let marriage_missed = m.kind.is_marriage() && w.marital == Marital::Divorced;
                if divorce_missed {
                    out.push(Case {
                        other: wis_rec,
                        ..case(
                            Category::M02,
                            rec,
                            "marital_status",
                            format!(
                                "{}离婚登记，WIS仍为{}（结婚日期{wis_date}）",
                                m.date,
                                marital_word(w.marital)
                            ),
                        )
                    });
                }
                if marriage_missed {
                    out.push(Case {
                        other: wis_rec,
                        ..case(
                            Category::M02,
                            rec,
                            "marital_status",
                            format!("{}{kind}，WIS为离婚", m.date),
                        )
                    });
                }
                if m.kind.is_marriage() && w.marital.is_married() {
                    if let Some(d) = w.marriage_date
                        && d != m.date
                    {
                        out.push(Case {
                            other: wis_rec,
                            ..case(
                                Category::M03,
                                rec,
                                "marriage_date",
                                format!("结婚日期：登记为{}，WIS为{d}", m.date),
                            )
                        });
                    }
                    let spouse = id(&self.parser, &w.spouse_id);
                    if !spouse.empty && !man.empty && spouse.cleaned != man.cleaned {
                        out.push(Case {
                            other: wis_rec,
                            ..case(
                                Category::M04,
                                rec,
                                "man_id",
                                format!(
                                    "配偶身份证号：登记的男方为{}，WIS的配偶为{}，{}",
                                    mask(&man.cleaned),
                                    mask(&spouse.cleaned),
                                    differing(&man.cleaned, &spouse.cleaned)
                                ),
                            )
                        });
                    }
                }
            }
        }
        if m.date > self.scope.as_of {
            out.push(case(
                Category::L01,
                rec,
                "record",
                format!("登记日期{}晚于比对日期", m.date),
            ));
        }
        for (field, label, birth, sex) in [
            ("man_birth_date", "男方", m.man_birth, Sex::Male),
            ("woman_birth_date", "女方", m.woman_birth, Sex::Female),
        ] {
            let age = birth.age_on(m.date);
            if m.kind.is_marriage() && age < legal_age(sex) {
                out.push(case(
                    Category::L01,
                    rec,
                    field,
                    format!("{}{kind}时{label}{age}岁，未到法定婚龄", m.date),
                ));
            }
        }
        out
    }

    fn birth(&self, i: usize) -> Vec<Case> {
        let b: &BirthRecord = &self.r.birth[i];
        let rec = Rec::new(Register::Birth, i);
        let mut out = Vec::new();
        let mother = id(&self.parser, &mother_id_shown(b));
        let father = id(&self.parser, &b.father_id);
        self.id_cases(
            &mut out,
            rec,
            &[
                (
                    "mother_id",
                    "母亲身份证号",
                    &mother,
                    None,
                    Some(Sex::Female),
                ),
                ("father_id", "父亲身份证号", &father, None, Some(Sex::Male)),
            ],
        );
        if let Some(orig) = b.copy_of {
            out.push(Case {
                other: Some(Rec::new(Register::Birth, orig as usize)),
                ..case(
                    Category::Q03,
                    rec,
                    "record",
                    "同一孩子的出生医学证明两份（补发）".to_string(),
                )
            });
        }
        let what = if b.kind == BirthKind::Certificate {
            "出生医学证明"
        } else {
            "住院分娩记录"
        };
        if self.scope.birth_in_scope(b.child_birth) && self.is_local(b.mother) {
            match self.wis_of(b.child) {
                None => out.push(case(
                    Category::B01,
                    rec,
                    "record",
                    format!(
                        "{what}：{}出生，母亲为本县户籍，WIS中无此孩子",
                        b.child_birth
                    ),
                )),
                Some(ci) => {
                    let c = &self.r.wis[ci as usize];
                    let mut why = Vec::new();
                    let mut fields = Vec::new();
                    if c.birth != b.child_birth {
                        why.push(format!(
                            "出生日期：{what}为{}，WIS为{}",
                            b.child_birth, c.birth
                        ));
                        fields.push("child_birth_date");
                    }
                    if c.sex != b.child_sex {
                        why.push(format!(
                            "性别：{what}为{}，WIS为{}",
                            sex_word(b.child_sex),
                            sex_word(c.sex)
                        ));
                        fields.push("child_sex");
                    }
                    if !why.is_empty() {
                        out.push(Case {
                            other: Some(Rec::new(Register::Wis, ci as usize)),
                            ..case(Category::B02, rec, &fields.join(";"), why.join("；"))
                        });
                    }
                }
            }
            let mothers: Vec<u32> = self.wis.get(b.mother).iter().map(|&(_, i)| i).collect();
            if mothers.is_empty() {
                out.push(case(
                    Category::B03,
                    rec,
                    "mother_id",
                    format!("母亲（{}）在WIS中无记录", mask(&mother.cleaned)),
                ));
            } else if !mothers
                .iter()
                .any(|&i| id(&self.parser, &self.r.wis[i as usize].id).cleaned == mother.cleaned)
            {
                let wis_id = id(&self.parser, &self.r.wis[mothers[0] as usize].id);
                out.push(Case {
                    other: Some(Rec::new(Register::Wis, mothers[0] as usize)),
                    ..case(
                        Category::B03,
                        rec,
                        "mother_id",
                        format!(
                            "母亲身份证号：{what}为{}，WIS为{}，{}",
                            mask(&mother.cleaned),
                            mask(&wis_id.cleaned),
                            differing(&mother.cleaned, &wis_id.cleaned)
                        ),
                    )
                });
            }
        }
        if b.child_birth > self.scope.as_of {
            out.push(case(
                Category::L01,
                rec,
                "child_birth_date",
                format!("出生日期{}晚于比对日期", b.child_birth),
            ));
        }
        if let Some(issued) = b.issued
            && issued < b.child_birth
        {
            out.push(case(
                Category::L01,
                rec,
                "issue_date",
                format!("签发日期{issued}早于出生日期{}", b.child_birth),
            ));
        }
        self.mother_age_case(&mut out, rec, &mother, b.child_birth);
        out
    }
}

fn kind_word(k: RegKind) -> &'static str {
    match k {
        RegKind::Marriage => "结婚登记",
        RegKind::Divorce => "离婚登记",
        RegKind::Remarriage => "复婚登记",
    }
}

fn status_word(h: &HouseholdRecord) -> &'static str {
    use crate::identity::HouseholdStatus as S;
    match h.status {
        S::Active => "正常",
        S::Dead => "死亡",
        S::MovedOut => "迁出",
        _ => "注销",
    }
}

fn case(category: Category, rec: Rec, field: &str, note: String) -> Case {
    Case {
        category,
        rec,
        field: field.to_string(),
        note,
        other: None,
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
