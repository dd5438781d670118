//! What the rules look up: the records of each person, the local people,
//! ID cells as the rules see them, and the words of the notes.
//!
//! Takes the registers, the truth's people and the scope, and gives the
//! [`Judge`] the rules of `people` and `events` run on.

use super::{Case, Category, Rec, Scope};
use crate::identity::{Date, IdParser, Marital, Sex, mask};
use crate::sample::registers::{HouseholdRecord, Registers};
use crate::sample::world::{Pid, RegKind, World};

/// Records of a register by the person they belong to: sorted pairs,
/// searched by halves (a county has a million people; a map per person
/// would be most of the memory).
pub(super) struct Index(Vec<(Pid, u32)>);

impl Index {
    pub(super) fn new(mut pairs: Vec<(Pid, u32)>) -> Index {
        pairs.sort_unstable();
        Index(pairs)
    }

    pub(super) fn get(&self, pid: Pid) -> &[(Pid, u32)] {
        let lo = self.0.partition_point(|&(p, _)| p < pid);
        let hi = self.0.partition_point(|&(p, _)| p <= pid);
        &self.0[lo..hi]
    }

    pub(super) fn first(&self, pid: Pid) -> Option<u32> {
        self.get(pid).first().map(|&(_, i)| i)
    }

    pub(super) fn any(&self, pid: Pid) -> bool {
        !self.get(pid).is_empty()
    }
}

/// An ID cell as the rules see it.
pub(super) struct Id {
    pub(super) cleaned: String,
    pub(super) empty: bool,
    pub(super) valid: bool,
    pub(super) birth: Option<Date>,
    pub(super) sex: Option<Sex>,
    pub(super) problem: String,
}

pub(super) fn id(parser: &IdParser, text: &str) -> Id {
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

/// Where two numbers differ, for a note whose numbers are masked:
/// `第12、13位不同`.
pub(super) fn differing(a: &str, b: &str) -> String {
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

pub(super) fn sex_word(s: Sex) -> &'static str {
    match s {
        Sex::Male => "男",
        Sex::Female => "女",
        _ => "未知",
    }
}

pub(super) fn marital_word(m: Marital) -> &'static str {
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

pub(super) fn legal_age(sex: Sex) -> i32 {
    if sex == Sex::Male { 22 } else { 20 }
}

/// An own ID field of a record: its field key, its label, the number, and
/// the birth date and sex the record states for its holder.
pub(super) type IdField<'a> = (&'a str, &'a str, &'a Id, Option<Date>, Option<Sex>);

/// The people, the registers, and what the rules look up.
pub(super) struct Judge<'a> {
    pub(super) r: &'a Registers,
    pub(super) scope: Scope,
    pub(super) parser: IdParser,
    pub(super) wis: Index,
    pub(super) household: Index,
    pub(super) woman_of: Index,
    pub(super) man_of: Index,
    pub(super) mother_of: Index,
    pub(super) child_of: Index,
    /// Has an active household record: "local".
    pub(super) local: Vec<bool>,
    pub(super) world: &'a World,
}

impl<'a> Judge<'a> {
    pub(super) fn new(r: &'a Registers, world: &'a World, scope: Scope) -> Judge<'a> {
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

    pub(super) fn is_local(&self, pid: Pid) -> bool {
        self.local.get(pid as usize).copied().unwrap_or(false)
    }

    /// The person's first WIS record that is not a second entry.
    pub(super) fn wis_of(&self, pid: Pid) -> Option<u32> {
        self.wis
            .get(pid)
            .iter()
            .map(|&(_, i)| i)
            .find(|&i| self.r.wis[i as usize].copy_of.is_none())
            .or_else(|| self.wis.first(pid))
    }

    pub(super) fn active_household_of(&self, pid: Pid) -> Option<u32> {
        self.household.get(pid).iter().map(|&(_, i)| i).find(|&i| {
            let h = &self.r.household[i as usize];
            h.status.is_active() && h.copy_of.is_none()
        })
    }

    pub(super) fn id_cases(&self, out: &mut Vec<Case>, rec: Rec, fields: &[IdField]) {
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

    pub(super) fn mother_age_case(&self, out: &mut Vec<Case>, rec: Rec, mother: &Id, born: Date) {
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

    /// The true mother of a WIS person, whom the record's 母亲身份证号
    /// names (no lag or error touches that field).
    pub(super) fn mother_of_person(&self, pid: Pid) -> Option<Pid> {
        self.world.people.get(pid as usize).and_then(|p| p.mother)
    }
}

pub(super) fn kind_word(k: RegKind) -> &'static str {
    match k {
        RegKind::Marriage => "结婚登记",
        RegKind::Divorce => "离婚登记",
        RegKind::Remarriage => "复婚登记",
    }
}

pub(super) fn status_word(h: &HouseholdRecord) -> &'static str {
    use crate::identity::HouseholdStatus as S;
    match h.status {
        S::Active => "正常",
        S::Dead => "死亡",
        S::MovedOut => "迁出",
        _ => "注销",
    }
}

pub(super) fn case(category: Category, rec: Rec, field: &str, note: String) -> Case {
    Case {
        category,
        rec,
        field: field.to_string(),
        note,
        other: None,
    }
}
