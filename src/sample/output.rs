//! The output folder and atomic file writes.
//!
//! Takes the folder the user named and gives it ready to write: refused if
//! it exists and is not empty, unless `--force`, in which case only the
//! folders this command writes (`wis`, `household`, `marriage`, `birth`,
//! `truth`) are removed, never anything else of the user's. Each file is
//! written to a temporary file beside it and renamed into place, so no
//! reader ever sees half a file.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// The folders `bidui sample` writes into its output folder.
pub const FOLDERS: [&str; 5] = ["wis", "household", "marriage", "birth", "truth"];

fn write_error(path: &Path, source: io::Error) -> Error {
    Error::Write {
        target: path.display().to_string(),
        source,
    }
}

pub fn prepare(out: &Path, force: bool) -> Result<()> {
    if out.exists() {
        if !out.is_dir() {
            return Err(Error::Usage(format!(
                "--out {} 是一个文件，不是文件夹",
                out.display()
            )));
        }
        let mut entries = fs::read_dir(out).map_err(|e| write_error(out, e))?;
        if entries.next().is_some() {
            if !force {
                return Err(Error::Usage(format!(
                    "输出文件夹 {} 已存在且不为空；如确要覆盖，请加 --force（只会删除其中的 {} 子文件夹）",
                    out.display(),
                    FOLDERS.join("、")
                )));
            }
            for folder in FOLDERS {
                let path = out.join(folder);
                if path.is_dir() {
                    fs::remove_dir_all(&path).map_err(|e| write_error(&path, e))?;
                } else if path.exists() {
                    fs::remove_file(&path).map_err(|e| write_error(&path, e))?;
                }
            }
        }
    }
    for folder in FOLDERS {
        let path = out.join(folder);
        fs::create_dir_all(&path).map_err(|e| write_error(&path, e))?;
    }
    Ok(())
}

/// Writes `relative` under `out` through a temporary file; gives its size.
pub fn write_file(
    out: &Path,
    relative: &str,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<u64> {
    crate::report::write_atomically(&out.join(relative), write)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_full_folder_and_forces_only_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("county");
        prepare(&out, false).unwrap();
        write_file(&out, "wis/a.csv", |w| w.write_all(b"x")).unwrap();
        fs::write(out.join("mine.txt"), "keep").unwrap();
        let err = prepare(&out, false).unwrap_err();
        assert!(err.to_string().contains("已存在且不为空"), "{err}");
        prepare(&out, true).unwrap();
        assert!(!out.join("wis/a.csv").exists());
        assert!(out.join("mine.txt").exists());
        assert!(out.join("truth").is_dir());
        // No temporary files are left behind.
        let size = write_file(&out, "truth/t.csv", |w| w.write_all(b"abc")).unwrap();
        assert_eq!(size, 3);
        let names: Vec<String> = fs::read_dir(out.join("truth"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["t.csv".to_string()]);
    }

    #[test]
    fn a_failed_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        prepare(dir.path(), false).unwrap();
        let err = write_file(dir.path(), "wis/b.csv", |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("磁盘已满"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("b.csv"), "{err}");
        assert_eq!(fs::read_dir(dir.path().join("wis")).unwrap().count(), 0);
    }
}
