//! The four registers bidui reconciles, by their source keys.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A register, as named in configuration files and on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// 全员人口信息系统: the population information system being checked.
    Wis,
    /// 公安户籍: household registration.
    Household,
    /// 民政婚姻登记: marriage and divorce registration.
    Marriage,
    /// 出生医学证明 and 住院分娩实名登记: birth evidence.
    Birth,
}

impl SourceKind {
    pub const ALL: [SourceKind; 4] = [
        SourceKind::Wis,
        SourceKind::Household,
        SourceKind::Marriage,
        SourceKind::Birth,
    ];

    /// The key used in files and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            SourceKind::Wis => "wis",
            SourceKind::Household => "household",
            SourceKind::Marriage => "marriage",
            SourceKind::Birth => "birth",
        }
    }

    /// The register's name as a statistician says it.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Wis => "全员人口信息系统（WIS）",
            SourceKind::Household => "公安户籍",
            SourceKind::Marriage => "民政婚姻登记",
            SourceKind::Birth => "出生医学证明",
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for SourceKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SourceKind::ALL
            .into_iter()
            .find(|k| k.key() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| format!("“{s}”不是来源类型；可用：wis、household、marriage、birth"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for kind in SourceKind::ALL {
            assert_eq!(kind.key().parse::<SourceKind>(), Ok(kind));
        }
        assert_eq!("WIS".parse::<SourceKind>(), Ok(SourceKind::Wis));
        let err = "hukou".parse::<SourceKind>().unwrap_err();
        assert!(err.contains("wis、household、marriage、birth"), "{err}");
    }
}
