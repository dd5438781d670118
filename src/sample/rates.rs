//! How often things happen in the synthetic county.
//!
//! Takes nothing and gives every rate in one place: the rates of the truth
//! (who marries in from elsewhere, who divorces, where children are born),
//! the rates at which the registers lag behind it or are mistyped, and the
//! rates of normalisation-only noise. `params.json` lists them with their
//! meaning, and docs/sample.md explains what each one causes.

use serde::Serialize;

/// One rate, with its key in `params.json` and what it means.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Rate {
    pub key: &'static str,
    pub value: f64,
    pub meaning: &'static str,
}

macro_rules! rates {
    ($($group:ident { $($key:ident = $value:expr, $meaning:expr;)* })*) => {
        /// Every rate of the county, by name.
        #[derive(Clone, Debug)]
        pub struct Rates {
            $($(pub $key: f64,)*)*
        }

        impl Default for Rates {
            fn default() -> Rates {
                Rates { $($($key: $value,)*)* }
            }
        }

        impl Rates {
            /// The rates by group (`truth`, `lag`, `error`, `noise`), for
            /// `params.json` and the documentation.
            pub fn table(&self) -> Vec<(&'static str, Rate)> {
                vec![$($((stringify!($group), Rate {
                    key: stringify!($key),
                    value: self.$key,
                    meaning: $meaning,
                }),)*)*]
            }
        }
    };
}

rates! {
    truth {
        wife_born_elsewhere = 0.25, "妻子出生、初次登记户口在外县的比例";
        husband_born_elsewhere = 0.06, "丈夫出生在外县的比例";
        abolished_region = 0.05, "2000年前在外县出生者，号码前六位为已撤销区划的比例";
        local_hui = 0.02, "本县出生者为回族的比例";
        remarried = 0.06, "1990年后结婚的妇女中，离婚后再婚的比例";
        divorced_now = 0.05, "1990年后结婚的妇女中，现为离婚的比例";
        remarried_same_spouse = 0.01, "1990年后结婚的妇女中，离婚后与原配偶复婚的比例";
        court_divorce = 0.25, "离婚中经法院判决（民政无离婚登记）的比例";
        registered_here = 0.88, "结婚、离婚在本县民政登记（否则在对方户籍地）的比例";
        wife_keeps_hukou = 0.10, "近12年外县嫁入的妻子户口未迁入本县的比例";
        newborn_unregistered = 0.50, "出生不满90天的婴儿尚未落户的比例";
        lives_other_village = 0.03, "全户住在本县另一个村（人户分离）的户的比例";
        lives_away = 0.12, "18—50岁者外出务工（现居住地在县外）的比例";
        moved_within_county = 0.02, "近十年户口在县内迁移（从另一个村迁来）的户的比例";
        moved_out_family = 0.03, "近八年全户迁出的户（户籍仍列出，人员状态为迁出）占户的比例";
        daughter_married_out = 0.20, "老年夫妇户中有已外嫁迁出的女儿的比例";
        elder_parents = 0.25, "年轻家庭中与丈夫父母同住的比例";
        elder_died = 0.30, "老人近十年内死亡（户籍人员状态为死亡）的比例";
        born_outside_county = 0.05, "2011年后出生的孩子在外县医院出生（本县无出生医学证明）的比例";
        delivery_record = 0.95, "本县医院分娩有住院分娩实名登记的比例";
        migrant_births = 0.12, "外地孕产妇在本县医院分娩的数量，相对本地出生数";
        twins = 0.008, "双胞胎的比例";
        cert_name_placeholder = 0.35, "出生医学证明上新生儿姓名为空、“之子”“之女”等的比例";
        cert_name_other = 0.15, "出生医学证明上的姓名与后来户籍登记的姓名不同的比例";
    }
    lag {
        wis_missing = 0.012, "户籍人员在WIS中没有记录（漏报）的比例";
        wis_missing_newborn = 0.25, "出生不满180天的婴儿在WIS中没有记录的比例";
        wis_keeps_departed = 0.15, "近十年死亡、迁出者在WIS中仍有记录的比例";
        wis_village_stale = 0.40, "户口在县内迁移后WIS户籍地未更新的比例";
        wis_marital_stale = 0.15, "离婚、再婚、复婚后WIS婚姻状况未更新的比例";
        wis_court_divorce_known = 0.80, "法院判决离婚后WIS已改为离婚的比例";
        wis_still_unmarried = 0.08, "近三年结婚的妇女在WIS中仍为未婚的比例";
        wis_child_old_name = 0.10, "出生证上姓名与户籍姓名不同的孩子，WIS仍记出生证上姓名的比例";
        wis_id_changed = 0.001, "因更正出生日期换发新号码，WIS仍为旧号码和旧日期的比例";
    }
    error {
        wis_id_typo = 0.004, "WIS身份证号一位错录或相邻两位颠倒";
        wis_name_typo = 0.008, "WIS姓名同音字、形近字或漏字";
        wis_birth_date_typo = 0.005, "WIS出生日期月日颠倒或一位错录";
        wis_sex_wrong = 0.0015, "WIS性别错录";
        wis_marriage_date_wrong = 0.02, "已婚妇女WIS结婚日期为办酒日期或错录";
        wis_spouse_id_typo = 0.01, "已婚者WIS配偶身份证号一位错录";
        wis_future_date = 0.0005, "WIS结婚日期年份颠倒成为将来的日期";
        wis_underage_marriage = 0.001, "WIS结婚日期年份错录，使结婚时未到法定婚龄";
        wis_duplicate = 0.003, "WIS同一人录入两次（其中约三成第二条无身份证号）";
        household_id_typo = 0.001, "户籍身份证号一位错录或相邻两位颠倒";
        household_name_typo = 0.002, "户籍姓名同音字、形近字或漏字";
        household_birth_date_typo = 0.001, "户籍出生日期月日颠倒或一位错录";
        household_duplicate = 0.001, "户籍同一人重复登记";
        marriage_id_typo = 0.006, "婚姻登记一方身份证号一位错录或相邻两位颠倒";
        marriage_birth_date_typo = 0.003, "婚姻登记女方出生日期错录";
        marriage_duplicate = 0.005, "同一婚姻登记录入两次";
        birth_mother_id_typo = 0.006, "出生医学证明母亲身份证号错录";
        delivery_mother_id_typo = 0.01, "住院分娩登记产妇身份证号错录";
        birth_father_id_typo = 0.004, "出生记录父亲（男方）身份证号错录";
        birth_child_date_typo = 0.005, "出生医学证明新生儿出生日期错录";
        birth_child_sex_wrong = 0.003, "出生医学证明新生儿性别错录";
        birth_grandmother_id = 0.0015, "出生医学证明母亲身份证号填成了祖母的号码";
        birth_future_date = 0.0005, "出生医学证明出生日期年份颠倒成为将来的日期";
        birth_duplicate = 0.005, "同一孩子的出生医学证明两份（补发）";
    }
    noise {
        noise_wis = 0.03, "WIS无差错记录中加入仅需规范化的写法的比例";
        noise_household = 0.04, "户籍无差错记录中加入仅需规范化的写法的比例";
        noise_marriage = 0.04, "婚姻登记无差错记录中加入仅需规范化的写法的比例";
        noise_birth = 0.03, "出生记录无差错记录中加入仅需规范化的写法的比例";
    }
}

/// However small the county, at least this many of every kind of error and
/// lag are made (where the county has a record it can happen to), so that
/// every category of the domain brief shows up in a county of 2,000.
pub const MIN_PER_KIND: usize = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rate_is_a_probability_and_has_a_meaning() {
        let table = Rates::default().table();
        assert!(table.len() > 40);
        let mut keys = std::collections::BTreeSet::new();
        for (group, rate) in &table {
            assert!(["truth", "lag", "error", "noise"].contains(group));
            assert!((0.0..=1.0).contains(&rate.value), "{}", rate.key);
            assert!(!rate.meaning.is_empty());
            assert!(keys.insert(rate.key), "{} twice", rate.key);
        }
    }

    #[test]
    fn the_documentation_lists_every_rate() {
        let doc = include_str!("../../docs/sample.md");
        for (_, rate) in Rates::default().table() {
            let row = format!("| `{}` | {} |", rate.key, rate.value);
            assert!(doc.contains(&row), "docs/sample.md lacks {row}");
        }
    }
}
