//! The rules on WIS and household records: Q01–Q03 of their own numbers,
//! H01–H06, B04 and L01.
//!
//! Takes a record's index and gives its cases, by §6 of the domain brief
//! (docs/sample.md states each rule exactly).

use super::judge::{Judge, case, differing, id, legal_age, marital_word, sex_word, status_word};
use super::{Case, Category, Rec};
use crate::identity::{Sex, mask, normalize_name};
use crate::sample::registers::{HouseholdRecord, Place, Register, WisRecord};

impl Judge<'_> {
    pub(super) fn wis(&self, i: usize) -> Vec<Case> {
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

    pub(super) fn household_rec(&self, i: usize) -> Vec<Case> {
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
}
