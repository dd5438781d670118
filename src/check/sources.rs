//! The `[sources]` part of a check's config: where each register's exports
//! are and how to read them.
//!
//! Takes the TOML value of one `sources.<kind>` key — a path, a list of
//! paths, or a table with `path`/`paths`, `sheet`, `encoding`, `profile`,
//! `columns` and `aliases` — and gives a [`SourceSpec`]: the paths resolved
//! against the config's folder (wildcards are expanded when the files are
//! read, see `load::files_of`), the sheet, the encoding and the column
//! profile, each checked. Unknown keys are errors naming the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::config::{toml_message, usage};
use crate::error::Result;
use crate::load::{LoadOptions, Profile, SourceKind};

/// One register's exports and how to read them.
#[derive(Clone, Debug)]
pub struct SourceSpec {
    pub kind: SourceKind,
    /// Files, folders or wildcard patterns (`户籍/*.xls`).
    pub paths: Vec<PathBuf>,
    /// Only this worksheet of each workbook.
    pub sheet: Option<String>,
    /// An encoding for text files, over detection.
    pub encoding: Option<String>,
    /// Header aliases or an explicit column map, over the built-in table.
    pub profile: Option<Profile>,
}

impl SourceSpec {
    /// A source given by its paths alone.
    pub fn paths(kind: SourceKind, paths: Vec<PathBuf>) -> SourceSpec {
        SourceSpec {
            kind,
            paths,
            sheet: None,
            encoding: None,
            profile: None,
        }
    }

    /// The loader's options for this source's files.
    pub fn load_options(&self, base: &LoadOptions) -> LoadOptions {
        let mut options = base.clone();
        options.kind = Some(self.kind);
        options.sheet = self.sheet.clone();
        options.encoding = self.encoding.clone();
        options.profile = self.profile.clone();
        options
    }
}

/// `sources.<kind>` written as a table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    path: Option<String>,
    paths: Option<Vec<String>>,
    sheet: Option<String>,
    encoding: Option<String>,
    profile: Option<String>,
    #[serde(default)]
    columns: BTreeMap<String, String>,
    #[serde(default)]
    aliases: BTreeMap<String, Vec<String>>,
}

/// Reads `sources.<kind>` of the config at `config`, with relative paths
/// taken from `base`.
pub fn parse(
    config: &Path,
    base: &Path,
    kind: SourceKind,
    value: toml::Value,
) -> Result<SourceSpec> {
    let key = format!("sources.{}", kind.key());
    // An absolute path stays as it is: `join` replaces the base with it.
    let resolve = |p: &str| base.join(p);
    let strings = |v: Vec<toml::Value>| -> Result<Vec<String>> {
        v.into_iter()
            .map(|v| match v {
                toml::Value::String(s) => Ok(s),
                _ => Err(usage(
                    config,
                    format!("{key} 的每一项应为路径（加引号的文字）"),
                )),
            })
            .collect()
    };
    let (list, table) = match value {
        toml::Value::String(s) => (vec![s], None),
        toml::Value::Array(v) => (strings(v)?, None),
        toml::Value::Table(t) => {
            let table: Table = toml::Value::Table(t)
                .try_into()
                .map_err(|e: toml::de::Error| {
                    usage(config, format!("{key}：{}", toml_message(&e)))
                })?;
            let mut list = Vec::new();
            list.extend(table.path.clone());
            list.extend(table.paths.clone().unwrap_or_default());
            (list, Some(table))
        }
        _ => {
            return Err(usage(
                config,
                format!("{key} 应为路径、路径列表，或含 path 的表"),
            ));
        }
    };
    if list.is_empty() || list.iter().any(|p| p.trim().is_empty()) {
        return Err(usage(config, format!("{key} 的路径不能为空")));
    }
    let mut spec = SourceSpec::paths(kind, list.iter().map(|p| resolve(p)).collect());
    let Some(table) = table else {
        return Ok(spec);
    };
    if let Some(label) = &table.encoding
        && encoding_rs::Encoding::for_label(label.trim().as_bytes()).is_none()
    {
        return Err(usage(
            config,
            format!(
                "{key}.encoding 的编码“{label}”不认识；可用 utf-8、gbk、gb18030、big5、utf-16le 等"
            ),
        ));
    }
    spec.encoding = table.encoding;
    spec.sheet = table.sheet.filter(|s| !s.trim().is_empty());
    let mut profile = match &table.profile {
        Some(p) => Some(Profile::read(&resolve(p))?),
        None => None,
    };
    if !table.columns.is_empty() || !table.aliases.is_empty() {
        let inline = Profile {
            source: None,
            aliases: table.aliases,
            columns: table.columns,
        };
        inline
            .validate()
            .map_err(|problem| usage(config, format!("{key}：{problem}")))?;
        profile = Some(profile.unwrap_or_default().merged(inline));
    }
    if let Some(p) = &profile
        && p.source.is_some_and(|s| s != kind)
    {
        return Err(usage(
            config,
            format!(
                "{key}.profile 写明用于 {}，与 {key} 不符",
                p.source.map(|s| s.key()).unwrap_or_default()
            ),
        ));
    }
    spec.profile = profile;
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn parse_text(text: &str) -> Result<SourceSpec> {
        let value: toml::Value = toml::from_str(text).unwrap();
        let v = value.get("wis").cloned().unwrap();
        parse(
            Path::new("/c/county.toml"),
            Path::new("/c"),
            SourceKind::Wis,
            v,
        )
    }

    fn message(r: Result<SourceSpec>) -> String {
        match r {
            Err(Error::Usage(m)) => m,
            other => panic!("expected a usage error, got {other:?}"),
        }
    }

    #[test]
    fn a_path_a_list_and_a_table_are_all_sources() {
        let table = [
            (r#"wis = "wis""#, vec!["/c/wis"]),
            (
                r#"wis = ["a.csv", "/d/b/*.xls"]"#,
                vec!["/c/a.csv", "/d/b/*.xls"],
            ),
            (r#"wis = { path = "w.xlsx" }"#, vec!["/c/w.xlsx"]),
            (
                r#"wis = { path = "w.xlsx", paths = ["x.csv"] }"#,
                vec!["/c/w.xlsx", "/c/x.csv"],
            ),
        ];
        for (text, want) in table {
            let spec = parse_text(text).unwrap();
            let want: Vec<PathBuf> = want.into_iter().map(PathBuf::from).collect();
            assert_eq!(spec.paths, want, "{text}");
            assert_eq!(spec.kind, SourceKind::Wis);
        }
    }

    #[test]
    fn a_table_gives_sheet_encoding_and_columns() {
        let spec = parse_text(
            "[wis]\npath = \"w.csv\"\nsheet = \"2024年\"\nencoding = \"GBK\"\n\
             [wis.columns]\nname = \"户主姓名\"\n[wis.aliases]\nid_number = [\"证件号\"]\n",
        )
        .unwrap();
        assert_eq!(spec.sheet.as_deref(), Some("2024年"));
        assert_eq!(spec.encoding.as_deref(), Some("GBK"));
        let profile = spec.profile.unwrap();
        assert_eq!(profile.columns["name"], "户主姓名");
        assert_eq!(profile.aliases["id_number"], vec!["证件号".to_string()]);
    }

    #[test]
    fn mistakes_are_named() {
        let table = [
            ("wis = { path = \"w.csv\", shet = \"a\" }", "shet"),
            ("wis = { path = \"w.csv\", encoding = \"gbkk\" }", "gbkk"),
            ("wis = { sheet = \"a\" }", "路径不能为空"),
            ("wis = \"\"", "路径不能为空"),
            ("wis = [1]", "每一项应为路径"),
            ("wis = 3", "应为路径"),
            (
                "[wis]\npath = \"w.csv\"\n[wis.columns]\nnmae = \"姓名\"\n",
                "“nmae”不是字段名",
            ),
        ];
        for (text, want) in table {
            let m = message(parse_text(text));
            assert!(m.contains(want), "{text}: {m}");
            assert!(m.contains("county.toml"), "{text}: {m}");
        }
    }
}
