//! A minimal OLE2 compound file (MS-CFB, version 3) around one stream.
//!
//! Takes the bytes of a BIFF8 workbook stream and gives the bytes of an
//! `.xls` file: a 512-byte header, the stream in 512-byte sectors, one
//! directory sector (the Root Entry and a "Workbook" stream), the FAT, and
//! DIFAT sectors when the file needs more than the 109 FAT sectors the
//! header can list. The stream is padded to 4096 bytes so that it never
//! lives in the mini stream (which this writer does not make). No
//! timestamps, no class IDs: the same stream gives the same file.

const SECTOR: usize = 512;
const ENTRIES_PER_SECTOR: usize = SECTOR / 4;
const HEADER_DIFAT: usize = 109;
const FREESECT: u32 = 0xFFFF_FFFF;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FATSECT: u32 = 0xFFFF_FFFD;
const DIFSECT: u32 = 0xFFFF_FFFC;
const NOSTREAM: u32 = 0xFFFF_FFFF;
/// Streams shorter than this would belong in the mini stream.
const MINI_CUTOFF: usize = 4096;

/// The file around `stream`, named `name` (e.g. "Workbook").
pub fn compound_file(name: &str, stream: &[u8]) -> Vec<u8> {
    let mut data = stream.to_vec();
    if data.len() < MINI_CUTOFF {
        data.resize(MINI_CUTOFF, 0);
    }
    let stream_sectors = data.len().div_ceil(SECTOR);
    // Sectors: the stream, the directory, the FAT, the DIFAT.
    let mut fat_sectors = 1;
    let mut difat_sectors = 0;
    loop {
        let total = stream_sectors + 1 + fat_sectors + difat_sectors;
        let need_fat = total.div_ceil(ENTRIES_PER_SECTOR);
        let need_difat = need_fat
            .saturating_sub(HEADER_DIFAT)
            .div_ceil(ENTRIES_PER_SECTOR - 1);
        if need_fat == fat_sectors && need_difat == difat_sectors {
            break;
        }
        fat_sectors = need_fat;
        difat_sectors = need_difat;
    }
    let dir_sector = stream_sectors;
    let first_fat = dir_sector + 1;
    let first_difat = first_fat + fat_sectors;
    let total = first_difat + difat_sectors;

    let mut fat = vec![FREESECT; fat_sectors * ENTRIES_PER_SECTOR];
    for (i, slot) in fat.iter_mut().enumerate().take(stream_sectors) {
        *slot = if i + 1 == stream_sectors {
            ENDOFCHAIN
        } else {
            (i + 1) as u32
        };
    }
    fat[dir_sector] = ENDOFCHAIN;
    for slot in fat.iter_mut().skip(first_fat).take(fat_sectors) {
        *slot = FATSECT;
    }
    for slot in fat.iter_mut().skip(first_difat).take(difat_sectors) {
        *slot = DIFSECT;
    }

    let mut out = Vec::with_capacity((total + 1) * SECTOR);
    // Header.
    out.extend_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    out.extend_from_slice(&[0; 16]); // CLSID
    put16(&mut out, 0x003E); // minor version
    put16(&mut out, 0x0003); // major version 3: 512-byte sectors
    put16(&mut out, 0xFFFE); // little-endian
    put16(&mut out, 9); // sector shift: 512
    put16(&mut out, 6); // mini sector shift: 64
    out.extend_from_slice(&[0; 6]);
    put32(&mut out, 0); // directory sectors (0 in version 3)
    put32(&mut out, fat_sectors as u32);
    put32(&mut out, dir_sector as u32);
    put32(&mut out, 0); // transaction signature
    put32(&mut out, MINI_CUTOFF as u32);
    put32(&mut out, ENDOFCHAIN); // first mini FAT sector: none
    put32(&mut out, 0); // mini FAT sectors
    put32(
        &mut out,
        if difat_sectors > 0 {
            first_difat as u32
        } else {
            ENDOFCHAIN
        },
    );
    put32(&mut out, difat_sectors as u32);
    for i in 0..HEADER_DIFAT {
        put32(
            &mut out,
            if i < fat_sectors {
                (first_fat + i) as u32
            } else {
                FREESECT
            },
        );
    }
    debug_assert_eq!(out.len(), SECTOR);

    // The stream.
    out.extend_from_slice(&data);
    out.resize(SECTOR + stream_sectors * SECTOR, 0);

    // The directory: Root Entry, the stream, two unused entries.
    let root = dir_entry("Root Entry", 5, NOSTREAM, NOSTREAM, 1, ENDOFCHAIN, 0);
    let workbook = dir_entry(name, 2, NOSTREAM, NOSTREAM, NOSTREAM, 0, data.len() as u64);
    out.extend_from_slice(&root);
    out.extend_from_slice(&workbook);
    for _ in 0..2 {
        out.extend_from_slice(&dir_entry("", 0, NOSTREAM, NOSTREAM, NOSTREAM, 0, 0));
    }

    // The FAT.
    for &entry in &fat {
        put32(&mut out, entry);
    }
    // The DIFAT: the FAT sectors the header had no room for, 127 a sector,
    // each sector ending with the next one's number.
    let rest: Vec<u32> = (HEADER_DIFAT..fat_sectors)
        .map(|i| (first_fat + i) as u32)
        .collect();
    for d in 0..difat_sectors {
        let chunk = rest
            .iter()
            .skip(d * (ENTRIES_PER_SECTOR - 1))
            .take(ENTRIES_PER_SECTOR - 1);
        let mut n = 0;
        for &s in chunk {
            put32(&mut out, s);
            n += 1;
        }
        for _ in n..ENTRIES_PER_SECTOR - 1 {
            put32(&mut out, FREESECT);
        }
        put32(
            &mut out,
            if d + 1 < difat_sectors {
                (first_difat + d + 1) as u32
            } else {
                ENDOFCHAIN
            },
        );
    }
    debug_assert_eq!(out.len(), (total + 1) * SECTOR);
    out
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// One 128-byte directory entry. An unused one (type 0) is zeros but for
/// its sibling and child pointers.
fn dir_entry(
    name: &str,
    kind: u8,
    left: u32,
    right: u32,
    child: u32,
    start: u32,
    size: u64,
) -> [u8; 128] {
    let mut e = [0u8; 128];
    let units: Vec<u16> = name.encode_utf16().collect();
    for (i, u) in units.iter().take(31).enumerate() {
        e[i * 2..i * 2 + 2].copy_from_slice(&u.to_le_bytes());
    }
    let name_len = if name.is_empty() {
        0
    } else {
        (units.len().min(31) + 1) * 2
    };
    e[64..66].copy_from_slice(&(name_len as u16).to_le_bytes());
    e[66] = kind;
    e[67] = if kind == 0 { 0 } else { 1 }; // black
    e[68..72].copy_from_slice(&left.to_le_bytes());
    e[72..76].copy_from_slice(&right.to_le_bytes());
    e[76..80].copy_from_slice(&child.to_le_bytes());
    if kind != 0 {
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..128].copy_from_slice(&size.to_le_bytes());
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_of_a_small_file() {
        let f = compound_file("Workbook", b"abc");
        // Header, 8 stream sectors (padded to 4096), directory, FAT.
        assert_eq!(f.len(), 512 * (1 + 8 + 1 + 1));
        assert_eq!(&f[..8], &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        assert_eq!(&f[512..515], b"abc");
        // The FAT chains the stream and ends the directory.
        let fat = &f[512 * 10..];
        let entry = |i: usize| u32::from_le_bytes(fat[i * 4..i * 4 + 4].try_into().unwrap());
        assert_eq!(entry(0), 1);
        assert_eq!(entry(7), ENDOFCHAIN);
        assert_eq!(entry(8), ENDOFCHAIN);
        assert_eq!(entry(9), FATSECT);
        assert_eq!(entry(10), FREESECT);
    }

    #[test]
    fn large_files_get_difat_sectors() {
        // More than 109 FAT sectors: 109 × 128 × 512 bytes ≈ 7.1 MB.
        let stream = vec![7u8; 7_300_000];
        let f = compound_file("Workbook", &stream);
        let difat_count = u32::from_le_bytes(f[72..76].try_into().unwrap());
        assert!(difat_count >= 1);
        assert_eq!(f.len() % 512, 0);
    }
}
