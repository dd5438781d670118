//! The reporting stage: files bidui writes for people and scripts.
//!
//! Takes what a command found and gives files, always written atomically —
//! to a temporary file beside the target, then renamed into place — so a
//! reader (or a nightly batch) never sees half a file, and a failed write
//! leaves the previous file as it was.

pub mod book;
pub mod cases;
pub mod columns;
pub mod corrections;
pub mod cover;
pub mod data_quality;
pub mod pairs;
pub mod period;
pub mod places;
pub mod styles;
pub mod summary_book;
pub mod trend;
pub mod village;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `path` through a temporary file in the same folder; gives the size.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<u64> {
    write_through_temp(path, true, write)
}

/// [`write_atomically`] without waiting for the disk, for the many files of
/// a period folder being staged: [`period::Staging::commit`] syncs them all
/// at once before it puts the folder in place, where syncing each as it is
/// written would cost a disk flush per village workbook.
pub fn write_atomically_unsynced(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<u64> {
    write_through_temp(path, false, write)
}

fn write_through_temp(
    path: &Path,
    sync: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<u64> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> io::Result<u64> {
        let file = fs::File::create(&tmp)?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        if sync {
            file.sync_all()?;
        }
        let size = file.metadata()?.len();
        drop(file);
        fs::rename(&tmp, path)?;
        Ok(size)
    })();
    result.map_err(|source| {
        let _ = fs::remove_file(&tmp);
        Error::Write {
            target: path.display().to_string(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synced_or_not_a_write_leaves_the_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        for (name, unsynced) in [("a.csv", false), ("b.xlsx", true)] {
            let path = dir.path().join(name);
            let write = |w: &mut dyn Write| w.write_all(b"data");
            let size = if unsynced {
                write_atomically_unsynced(&path, write)
            } else {
                write_atomically(&path, write)
            };
            assert_eq!(size.unwrap(), 4, "{name}");
            assert_eq!(fs::read(&path).unwrap(), b"data");
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pairs.csv");
        assert_eq!(write_atomically(&path, |w| w.write_all(b"old")).unwrap(), 3);
        let err = write_atomically(&path, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("pairs.csv"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
