//! A period's folder (`<output>/<period>/`), written as a whole.
//!
//! Takes the output folder, the period and whether to replace what is
//! there, and gives a [`Staging`] folder beside it to write every file
//! into; [`Staging::commit`] puts it in place with one rename, so a reader
//! never sees half a period and a failed check leaves last run's folder as
//! it was. An existing period folder is replaced only with `--force`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The refusal to write over a period that exists (exit 2).
fn exists_error(folder: &Path, period: &str) -> Error {
    Error::Usage(format!(
        "{} 期的结果文件夹 {} 已存在；发给各村的工作簿不会被覆盖。确需重新生成请加 --force，或用 --period 指定另一期",
        period,
        folder.display()
    ))
}

/// Refuses an existing period folder unless `force`.
pub fn check_free(output: &Path, period: &str, force: bool) -> Result<()> {
    let folder = output.join(period);
    if folder.exists() && !force {
        return Err(exists_error(&folder, period));
    }
    Ok(())
}

/// A folder being written, removed unless committed.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    temp: PathBuf,
    period: String,
    force: bool,
    committed: bool,
}

fn write_error(path: &Path, source: io::Error) -> Error {
    Error::Write {
        target: path.display().to_string(),
        source,
    }
}

impl Staging {
    /// Starts `<output>/<period>` as a hidden folder beside it.
    pub fn begin(output: &Path, period: &str, force: bool) -> Result<Staging> {
        check_free(output, period, force)?;
        let temp = output.join(format!(".{period}.tmp-{}", std::process::id()));
        if temp.exists() {
            fs::remove_dir_all(&temp).map_err(|e| write_error(&temp, e))?;
        }
        fs::create_dir_all(temp.join("villages")).map_err(|e| write_error(&temp, e))?;
        Ok(Staging {
            target: output.join(period),
            temp,
            period: period.to_string(),
            force,
            committed: false,
        })
    }

    /// Where to write the period's files now.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Where the period's files will be.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Puts the folder in place, replacing the old one (with `--force`),
    /// once everything in it is on disk.
    pub fn commit(mut self) -> Result<()> {
        sync_tree(&self.temp)?;
        let old =
            self.target
                .with_file_name(format!(".{}.old-{}", self.period, std::process::id()));
        let replaced = self.target.exists();
        if replaced {
            if !self.force {
                return Err(exists_error(&self.target, &self.period));
            }
            fs::rename(&self.target, &old).map_err(|e| write_error(&self.target, e))?;
        }
        if let Err(e) = fs::rename(&self.temp, &self.target) {
            if replaced {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(write_error(&self.target, e));
        }
        self.committed = true;
        // The rename itself, on disk (not possible everywhere: best effort).
        if let Some(parent) = self.target.parent()
            && let Ok(dir) = fs::File::open(parent)
        {
            let _ = dir.sync_all();
        }
        if replaced {
            // The new folder is in place; an old one that won't go is only litter.
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

/// Syncs every file below `folder` to disk. One flush after all the files
/// are written costs little more than one file's; a flush per file, as they
/// are written, costs a disk round trip each.
fn sync_tree(folder: &Path) -> Result<()> {
    let entries = fs::read_dir(folder).map_err(|e| write_error(folder, e))?;
    for entry in entries {
        let path = entry.map_err(|e| write_error(folder, e))?.path();
        if path.is_dir() {
            sync_tree(&path)?;
        } else {
            fs::File::open(&path)
                .and_then(|f| f.sync_all())
                .map_err(|e| write_error(&path, e))?;
        }
    }
    // A folder's own entries: where a folder can be opened (not on Windows).
    if let Ok(dir) = fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_appears_whole_and_replaces_only_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let s = Staging::begin(out, "2026-06", false).unwrap();
        fs::write(s.path().join("cases.csv"), "new").unwrap();
        assert!(!out.join("2026-06").exists());
        s.commit().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("2026-06/cases.csv")).unwrap(),
            "new"
        );
        assert!(out.join("2026-06/villages").is_dir());

        let err = Staging::begin(out, "2026-06", false).unwrap_err();
        assert!(matches!(err, Error::Usage(_)), "{err:?}");
        assert!(err.to_string().contains("--force"), "{err}");

        let s = Staging::begin(out, "2026-06", true).unwrap();
        fs::write(s.path().join("cases.csv"), "newer").unwrap();
        s.commit().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("2026-06/cases.csv")).unwrap(),
            "newer"
        );
        // Nothing left beside it.
        let names: Vec<String> = fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["2026-06"]);
    }

    #[test]
    fn a_period_not_committed_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Staging::begin(dir.path(), "2026-07", false).unwrap();
            fs::write(s.path().join("half.csv"), "x").unwrap();
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
