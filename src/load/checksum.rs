//! Input checksums: takes a file, gives its SHA-256 as 64 lower-case hex
//! digits, so a summary can prove which exports a check was run on (the
//! same digits `sha256sum` prints).

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Location, Result};

/// The SHA-256 of a file's bytes, read in blocks (exports run to gigabytes).
pub fn sha256_file(path: &Path) -> Result<String> {
    let read_error = |source| Error::Read {
        location: Location::file(path),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut block).map_err(read_error)?;
        if n == 0 {
            break;
        }
        hasher.update(&block[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        // FIPS 180-2 test vectors.
        let dir = tempfile::tempdir().unwrap();
        for (content, want) in [
            (
                &b""[..],
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                &b"abc"[..],
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
        ] {
            let path = dir.path().join("f");
            std::fs::write(&path, content).unwrap();
            assert_eq!(sha256_file(&path).unwrap(), want);
        }
    }

    #[test]
    fn a_missing_file_is_a_read_error_naming_it() {
        let err = sha256_file(Path::new("/no/such/户籍.csv")).unwrap_err();
        assert!(matches!(err, Error::Read { .. }), "{err:?}");
        assert!(err.to_string().contains("户籍.csv"), "{err}");
    }
}
