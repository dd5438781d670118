//! The rules on marriage registrations and birth records: Q01–Q03 of their
//! parties' numbers, M01–M04, B01–B03 and L01.
//!
//! Takes a record's index and gives its cases, by §6 of the domain brief
//! (docs/sample.md states each rule exactly).

use std::collections::HashMap;

use super::judge::{Judge, case, differing, id, kind_word, legal_age, marital_word, sex_word};
use super::{Case, Category, Rec, mother_id_shown};
use crate::identity::{Marital, Sex, mask};
use crate::sample::registers::{BirthKind, BirthRecord, MarriageRecord, Register};
use crate::sample::world::{Pid, RegKind};

impl Judge<'_> {
    pub(super) fn marriage(&self, i: usize, latest: &HashMap<Pid, u32>) -> Vec<Case> {
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

    pub(super) fn birth(&self, i: usize) -> Vec<Case> {
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
