//! A bounded zip reader over a byte slice (no I/O).
//!
//! The archive is found by its end-of-central-directory record, so bytes
//! before the first local header are tolerated (the caller warns). Every
//! bound of [`Limits`] is checked on the central directory before anything
//! is inflated, and inflating stops at the declared size: a zip bomb never
//! allocates more than the per-entry bound.

use core::fmt;

use crate::options::Limits;

const EOCD_SIG: u32 = 0x0605_4b50;
const CDH_SIG: u32 = 0x0201_4b50;
const LFH_SIG: u32 = 0x0403_4b50;
const EOCD_LEN: usize = 22;
const CDH_LEN: usize = 46;
const LFH_LEN: usize = 30;

/// Why the container cannot be read. Each variant names the bound or the
/// structure at fault; all are FORMAT_FAILURE for the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZipError {
    /// No end-of-central-directory record.
    NotZip,
    /// A structure of the zip format is damaged.
    Malformed(String),
    /// Zip64, multi-disk, encryption or a compression method other than
    /// stored/deflate.
    Unsupported(String),
    /// More entries than `maxZipEntries`.
    TooManyEntries { count: usize, max: usize },
    /// An entry name longer than `maxZipPathBytes`.
    PathTooLong { name: String, max: usize },
    /// An entry name that is absolute or climbs out of the root.
    PathEscape(String),
    /// Two entries with the same name.
    Duplicate(String),
    /// An entry larger than `maxZipEntryBytes`.
    EntryTooLarge { name: String, size: u64, max: usize },
    /// The entries together larger than `maxZipTotalBytes`.
    TotalTooLarge { size: u64, max: usize },
    /// Uncompressed / compressed above `maxZipRatio`.
    RatioTooHigh { name: String, ratio: u64, max: u32 },
    /// The data inflates to more or fewer bytes than declared, or fails
    /// to inflate, or its CRC-32 differs.
    BadData { name: String, why: String },
}

impl ZipError {
    /// The stable check id of this error (`limits.zip*` or `ofd.zip`).
    pub fn check_id(&self) -> &'static str {
        match self {
            ZipError::TooManyEntries { .. } => "limits.zipEntries",
            ZipError::PathTooLong { .. } => "limits.zipPathBytes",
            ZipError::EntryTooLarge { .. } => "limits.zipEntryBytes",
            ZipError::TotalTooLarge { .. } => "limits.zipTotalBytes",
            ZipError::RatioTooHigh { .. } => "limits.zipRatio",
            ZipError::PathEscape(_) => "ofd.zip.pathEscape",
            _ => "ofd.zip",
        }
    }
}

impl fmt::Display for ZipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZipError::NotZip => write!(f, "no zip end-of-central-directory record"),
            ZipError::Malformed(m) => write!(f, "malformed zip: {m}"),
            ZipError::Unsupported(m) => write!(f, "unsupported zip feature: {m}"),
            ZipError::TooManyEntries { count, max } => write!(
                f,
                "{count} zip entries, above the bound maxZipEntries = {max}"
            ),
            ZipError::PathTooLong { name, max } => write!(
                f,
                "entry name \"{name}\" is longer than the bound maxZipPathBytes = {max}"
            ),
            ZipError::PathEscape(n) => {
                write!(f, "entry name \"{n}\" escapes the package root")
            }
            ZipError::Duplicate(n) => write!(f, "entry \"{n}\" occurs twice"),
            ZipError::EntryTooLarge { name, size, max } => write!(
                f,
                "entry \"{name}\" is {size} bytes uncompressed, above the bound maxZipEntryBytes = {max}"
            ),
            ZipError::TotalTooLarge { size, max } => write!(
                f,
                "entries total {size} bytes uncompressed, above the bound maxZipTotalBytes = {max}"
            ),
            ZipError::RatioTooHigh { name, ratio, max } => write!(
                f,
                "entry \"{name}\" has compression ratio {ratio}, above the bound maxZipRatio = {max}"
            ),
            ZipError::BadData { name, why } => write!(f, "entry \"{name}\": {why}"),
        }
    }
}

impl std::error::Error for ZipError {}

/// One central-directory entry.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The name with any leading `/` removed.
    pub name: String,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    /// Offset of the local header in the input (prefix included).
    local: usize,
}

impl Entry {
    /// The declared uncompressed size.
    pub fn size(&self) -> u64 {
        self.size
    }
}

/// A parsed archive borrowing its input.
pub struct Archive<'a> {
    input: &'a [u8],
    /// Bytes before the archive proper (0 for a clean zip).
    pub prefix: usize,
    pub entries: Vec<Entry>,
    max_entry: usize,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn malformed(what: &str) -> ZipError {
    ZipError::Malformed(what.to_string())
}

/// The offset of the end-of-central-directory record, searching back from
/// the end over at most the largest comment.
pub fn find_eocd(input: &[u8]) -> Option<usize> {
    if input.len() < EOCD_LEN {
        return None;
    }
    let last = input.len() - EOCD_LEN;
    let first = last.saturating_sub(0xFFFF);
    (first..=last)
        .rev()
        .find(|&at| u32_at(input, at) == Some(EOCD_SIG))
}

/// Checks an entry name: not absolute, no `..`, no drive letter.
fn check_name(name: &str) -> Result<String, ZipError> {
    let unified = name.replace('\\', "/");
    let escape = || ZipError::PathEscape(name.to_string());
    if unified.starts_with('/')
        || unified.as_bytes().get(1) == Some(&b':')
        || unified.contains('\0')
    {
        return Err(escape());
    }
    if unified.split('/').any(|seg| seg == "..") {
        return Err(escape());
    }
    Ok(unified)
}

impl<'a> Archive<'a> {
    /// Reads the central directory and checks every bound.
    pub fn parse(input: &'a [u8], limits: &Limits) -> Result<Archive<'a>, ZipError> {
        let eocd = find_eocd(input).ok_or(ZipError::NotZip)?;
        let field16 = |off| u16_at(input, eocd + off).ok_or_else(|| malformed("EOCD"));
        let field32 = |off| u32_at(input, eocd + off).ok_or_else(|| malformed("EOCD"));
        let (disk, cd_disk) = (field16(4)?, field16(6)?);
        let (on_disk, total) = (field16(8)?, field16(10)?);
        let (cd_size, cd_offset) = (field32(12)?, field32(16)?);
        if total == 0xFFFF || cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF {
            return Err(ZipError::Unsupported("zip64".into()));
        }
        if disk != 0 || cd_disk != 0 || on_disk != total {
            return Err(ZipError::Unsupported("multi-disk archive".into()));
        }
        let total = usize::from(total);
        if total > limits.max_zip_entries {
            return Err(ZipError::TooManyEntries {
                count: total,
                max: limits.max_zip_entries,
            });
        }
        let cd_start = eocd
            .checked_sub(cd_size as usize)
            .ok_or_else(|| malformed("central directory larger than the file"))?;
        let prefix = cd_start
            .checked_sub(cd_offset as usize)
            .ok_or_else(|| malformed("central directory offset past its position"))?;
        let mut entries: Vec<Entry> = Vec::with_capacity(total);
        let mut at = cd_start;
        let mut sum: u64 = 0;
        for _ in 0..total {
            if at + CDH_LEN > eocd || u32_at(input, at) != Some(CDH_SIG) {
                return Err(malformed("central directory header"));
            }
            let f16 = |off| u16_at(input, at + off).unwrap_or(0);
            let f32 = |off| u32_at(input, at + off).unwrap_or(0);
            let flags = f16(8);
            let method = f16(10);
            let crc = f32(16);
            let compressed = u64::from(f32(20));
            let size = u64::from(f32(24));
            let (name_len, extra_len, comment_len) = (
                usize::from(f16(28)),
                usize::from(f16(30)),
                usize::from(f16(32)),
            );
            let local = f32(42) as usize;
            let name_bytes = input
                .get(at + CDH_LEN..at + CDH_LEN + name_len)
                .ok_or_else(|| malformed("entry name"))?;
            let raw_name = String::from_utf8_lossy(name_bytes).into_owned();
            if name_len > limits.max_zip_path_bytes {
                let shown: String = raw_name.chars().take(64).collect();
                return Err(ZipError::PathTooLong {
                    name: format!("{shown}…"),
                    max: limits.max_zip_path_bytes,
                });
            }
            at += CDH_LEN + name_len + extra_len + comment_len;
            if at > eocd {
                return Err(malformed("central directory overruns its end"));
            }
            let name = check_name(&raw_name)?;
            if name.ends_with('/') && size == 0 {
                continue; // a directory
            }
            if flags & 1 != 0 {
                return Err(ZipError::Unsupported(format!("encrypted entry \"{name}\"")));
            }
            if compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF {
                return Err(ZipError::Unsupported(format!("zip64 entry \"{name}\"")));
            }
            if size > limits.max_zip_entry_bytes as u64 {
                return Err(ZipError::EntryTooLarge {
                    name,
                    size,
                    max: limits.max_zip_entry_bytes,
                });
            }
            sum += size;
            if sum > limits.max_zip_total_bytes as u64 {
                return Err(ZipError::TotalTooLarge {
                    size: sum,
                    max: limits.max_zip_total_bytes,
                });
            }
            // Small entries compress well without being bombs: judge the
            // ratio only above 64 KiB.
            if size > 64 * 1024 {
                let ratio = size / compressed.max(1);
                if ratio > u64::from(limits.max_zip_ratio) {
                    return Err(ZipError::RatioTooHigh {
                        name,
                        ratio,
                        max: limits.max_zip_ratio,
                    });
                }
            }
            if entries.iter().any(|e| e.name == name) {
                return Err(ZipError::Duplicate(name));
            }
            entries.push(Entry {
                name,
                method,
                crc,
                compressed,
                size,
                local: local
                    .checked_add(prefix)
                    .ok_or_else(|| malformed("local header offset"))?,
            });
        }
        Ok(Archive {
            input,
            prefix,
            entries,
            max_entry: limits.max_zip_entry_bytes,
        })
    }

    /// The entry with this name (no leading `/`).
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The uncompressed bytes of an entry, bounded by its declared size.
    pub fn read(&self, entry: &Entry) -> Result<Vec<u8>, ZipError> {
        let bad = |why: &str| ZipError::BadData {
            name: entry.name.clone(),
            why: why.to_string(),
        };
        let at = entry.local;
        if u32_at(self.input, at) != Some(LFH_SIG) {
            return Err(bad("no local header where the central directory says"));
        }
        let name_len = usize::from(u16_at(self.input, at + 26).unwrap_or(0));
        let extra_len = usize::from(u16_at(self.input, at + 28).unwrap_or(0));
        let start = at + LFH_LEN + name_len + extra_len;
        let data = usize::try_from(entry.compressed)
            .ok()
            .and_then(|len| self.input.get(start..start.checked_add(len)?))
            .ok_or_else(|| bad("compressed data runs past the end of the file"))?;
        let size = usize::try_from(entry.size).map_err(|_| bad("size"))?;
        if size > self.max_entry {
            return Err(bad("declared size above the bound"));
        }
        let out = match entry.method {
            0 => {
                if data.len() != size {
                    return Err(bad("stored entry size differs from its declared size"));
                }
                data.to_vec()
            }
            8 => {
                // One byte more than declared, to notice data that inflates
                // beyond its declared size without ever exceeding the bound.
                let out = miniz_oxide::inflate::decompress_to_vec_with_limit(data, size + 1)
                    .map_err(|e| match e.status {
                        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                            bad("inflates to more bytes than its declared size")
                        }
                        _ => bad("deflate data is corrupt"),
                    })?;
                if out.len() != size {
                    return Err(bad("inflates to a size different from its declared size"));
                }
                out
            }
            m => {
                return Err(ZipError::Unsupported(format!(
                    "compression method {m} of entry \"{}\"",
                    entry.name
                )));
            }
        };
        if crc32(&out) != entry.crc {
            return Err(bad("CRC-32 differs from the central directory"));
        }
        Ok(out)
    }
}

/// CRC-32 (IEEE 802.3, reflected), as zip uses it.
pub fn crc32(data: &[u8]) -> u32 {
    const fn table() -> [u32; 256] {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    }
    const TABLE: [u32; 256] = table();
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c = TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    c ^ 0xFFFF_FFFF
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_check_string() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn names_that_escape_are_refused() {
        for bad in ["../a", "a/../../b", "/etc/passwd", "C:/x", "a\\..\\b"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert_eq!(check_name("Doc_0/a.xml").unwrap(), "Doc_0/a.xml");
    }

    #[test]
    fn garbage_is_not_zip() {
        assert_eq!(
            Archive::parse(b"hello", &Limits::default()).err(),
            Some(ZipError::NotZip)
        );
    }
}
