//! Column profiles: a statistician's additions to the built-in aliases.
//!
//! Takes a TOML file such as
//!
//! ```toml
//! source = "wis"              # optional: the register these columns are
//! [aliases]                   # more names for a field
//! id_number = ["证件号", "身份证号(18位)"]
//! [columns]                   # this column is that field, whatever else
//! name = "户主姓名"
//! ```
//!
//! and gives a [`Profile`] that extends an [`Aliases`] table. Unknown keys
//! and unknown field names are errors that name them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::SourceKind;
use super::fields::{Field, specs};
use super::header::Aliases;
use crate::error::{Error, InputProblem, Location, Result};

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub source: Option<SourceKind>,
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

impl Profile {
    pub fn read(path: &Path) -> Result<Profile> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            location: Location::file(path),
            source,
        })?;
        Profile::parse(&text).map_err(|problem| Error::input(Location::file(path), problem))
    }

    pub fn parse(text: &str) -> Result<Profile, InputProblem> {
        let profile: Profile =
            toml::from_str(text).map_err(|e| InputProblem::Profile(e.message().to_string()))?;
        profile.validate()?;
        Ok(profile)
    }

    /// Every field the profile names is a field bidui knows.
    pub fn validate(&self) -> Result<(), InputProblem> {
        for key in self.aliases.keys().chain(self.columns.keys()) {
            if Field::from_key(key).is_none() {
                return Err(InputProblem::Profile(format!(
                    "“{key}”不是字段名；可用的字段名见 docs/canonical-schema.md（如 id_number、name、birth_date）"
                )));
            }
        }
        Ok(())
    }

    /// This profile with another's aliases added and its column map over
    /// this one's (a config's inline columns over its profile file).
    pub fn merged(mut self, over: Profile) -> Profile {
        for (field, names) in over.aliases {
            self.aliases.entry(field).or_default().extend(names);
        }
        self.columns.extend(over.columns);
        if over.source.is_some() {
            self.source = over.source;
        }
        self
    }

    /// Adds the profile's names to a register's aliases (only fields that
    /// register has).
    pub fn apply(&self, aliases: &mut Aliases) {
        let own = specs(aliases.kind());
        let has = |f: Field| own.iter().any(|s| s.field == f);
        for (key, names) in &self.aliases {
            if let Some(field) = Field::from_key(key).filter(|f| has(*f)) {
                for name in names {
                    aliases.add_alias(field, name);
                }
            }
        }
        for (key, header) in &self.columns {
            if let Some(field) = Field::from_key(key).filter(|f| has(*f)) {
                aliases.add_explicit(field, header);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_adds_names() {
        let p = Profile::parse(
            "source = \"wis\"\n[aliases]\nid_number = [\"证件号\"]\n[columns]\nname = \"户主姓名\"\n",
        )
        .unwrap();
        assert_eq!(p.source, Some(SourceKind::Wis));
        let mut aliases = Aliases::new(SourceKind::Wis);
        p.apply(&mut aliases);
        assert!(
            aliases
                .names_of(Field::IdNumber)
                .contains(&"证件号".to_string())
        );
        assert!(
            aliases
                .names_of(Field::Name)
                .contains(&"户主姓名".to_string())
        );
    }

    #[test]
    fn unknown_keys_are_named() {
        let cases = [
            ("colums = {}\n", "colums"),
            ("[aliases]\nidnumber = [\"x\"]\n", "idnumber"),
            ("source = \"hukou\"\n", "hukou"),
            ("[columns]\nname = 3\n", "string"),
        ];
        for (text, fragment) in cases {
            let err = Profile::parse(text).unwrap_err();
            assert!(matches!(err, InputProblem::Profile(_)));
            assert!(err.to_string().contains(fragment), "{text}: {err}");
        }
    }
}
