//! A bounded zip reader over a byte slice (no I/O), with one reading only
//! (spec ofd-seals.md, "Container").
//!
//! The archive is found by its end-of-central-directory record, so bytes
//! before the first local header are tolerated (the caller warns), unless
//! they hold a zip signature: a second package in front of this one is what
//! a reader from the start would show. Every bound of [`Limits`] is checked
//! on the central directory before anything is inflated, and inflating
//! stops at the declared size: a zip bomb never allocates more than the
//! per-entry bound.
//!
//! A package two zip readers could read two different ways is refused
//! (each a FORMAT_FAILURE for the caller):
//! - the end record is the last one in the file and its comment ends the
//!   file; no other end record would end it too; no zip64 locator precedes
//!   it; the archive comment holds no zip signature;
//! - the central directory holds exactly the headers its end record counts
//!   and ends where the end record starts;
//! - the entries (local header, data, data descriptor) tile the bytes from
//!   the end of the prefix to the central directory: no gap, no overlap;
//! - each local header names the same bytes, method and encryption and
//!   data-descriptor flags as its central record, and the same CRC and
//!   sizes where it states them (in its zip64 field when they are
//!   0xFFFFFFFF); a data descriptor states exactly the central record's;
//! - every entry's data, read or not, decodes to exactly its declared size
//!   and CRC, and a deflate stream ends exactly where its compressed bytes
//!   do (a streaming reader looks for the next header there);
//! - names are canonical (no empty or `.` segment), non-ASCII only when
//!   flagged UTF-8 in both headers and valid UTF-8 (otherwise one reader
//!   reads CP437 and another GBK), never renamed by an Info-ZIP Unicode Path
//!   field, and distinct once `\` is read as `/` and case is ignored (as an
//!   extraction to a case-insensitive file system does).

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

use crate::options::Limits;

const EOCD_SIG: u32 = 0x0605_4b50;
const CDH_SIG: u32 = 0x0201_4b50;
const LFH_SIG: u32 = 0x0403_4b50;
const DD_SIG: u32 = 0x0807_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const EOCD_LEN: usize = 22;
const CDH_LEN: usize = 46;
const LFH_LEN: usize = 30;
const ZIP64_LOCATOR_LEN: usize = 20;
/// The general-purpose flags of encryption (traditional, strong, masked
/// central directory) and of patched data: never read.
const REFUSED_FLAGS: u16 = 0x0001 | 0x0020 | 0x0040 | 0x2000;
/// Sizes and CRC deferred to a data descriptor.
const FLAG_DESCRIPTOR: u16 = 0x0008;
/// The name is UTF-8.
const FLAG_UTF8: u16 = 0x0800;
const EXTRA_ZIP64: u16 = 0x0001;
const EXTRA_UNICODE_PATH: u16 = 0x7075;
/// The signatures a prefix and the archive comment may not hold.
const SIGNATURES: [&[u8; 4]; 3] = [b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"];

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
    /// Two entries with the same name (`\` read as `/`, case ignored).
    Duplicate(String),
    /// An entry larger than `maxZipEntryBytes`.
    EntryTooLarge { name: String, size: u64, max: usize },
    /// The entries together larger than `maxZipTotalBytes`.
    TotalTooLarge { size: u64, max: usize },
    /// Uncompressed / compressed above `maxZipRatio`.
    RatioTooHigh { name: String, ratio: u64, max: u32 },
    /// The data inflates to more or fewer bytes than declared, or fails
    /// to inflate, or its CRC-32 differs, or the deflate stream ends
    /// before its compressed bytes do.
    BadData { name: String, why: String },
    /// The `prefix` bytes before the archive hold a zip signature at `at`:
    /// a second package a reader from the start would see.
    PrefixHoldsZip { at: usize, prefix: usize },
    /// A local header (or data descriptor) states another `field` than the
    /// central-directory record of the entry.
    HeaderMismatch { name: String, field: &'static str },
    /// The archive's parts do not tile the file: bytes between or after
    /// them, overlaps, uncounted headers, a second end record.
    Layout(String),
    /// A name readers could read two ways.
    AmbiguousName { name: String, why: &'static str },
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
            ZipError::Duplicate(n) => write!(
                f,
                "entry \"{n}\" occurs twice (names compared ignoring ASCII case, `\\` for `/`, trailing dots and spaces)"
            ),
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
            ZipError::PrefixHoldsZip { at, prefix } => write!(
                f,
                "the {prefix} bytes before the archive (its prefix) hold a zip signature at offset {at}: a second package in front of it"
            ),
            ZipError::HeaderMismatch { name, field } => write!(
                f,
                "the local header of entry \"{name}\" states another {field} than its central-directory record"
            ),
            ZipError::Layout(m) => write!(f, "ambiguous zip layout: {m}"),
            ZipError::AmbiguousName { name, why } => {
                write!(f, "entry name \"{name}\" is ambiguous: {why}")
            }
        }
    }
}

impl core::error::Error for ZipError {}

/// One file of the archive (directories are not listed).
#[derive(Clone, Debug)]
pub struct Entry {
    /// The name, `\` read as `/`.
    pub name: String,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    /// Offset of the entry's data in the input (prefix included).
    data: usize,
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

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_le_bytes(a))
}

fn malformed(what: &str) -> ZipError {
    ZipError::Malformed(what.to_string())
}

fn layout(what: impl Into<String>) -> ZipError {
    ZipError::Layout(what.into())
}

/// The first offset in `bytes` where one of [`SIGNATURES`] starts.
fn find_signature(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| SIGNATURES.iter().any(|s| w == s.as_slice()))
}

/// The offset of the end-of-central-directory record: the last signature
/// within the largest comment of the end of the input.
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

/// Whether an end record at `at` would have its comment end the input.
fn ends_input(input: &[u8], at: usize) -> bool {
    u16_at(input, at + 20).is_some_and(|c| at + EOCD_LEN + usize::from(c) == input.len())
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

/// The name as text: ASCII, or UTF-8 under the UTF-8 flag.
fn decode_name(raw: &[u8], flags: u16) -> Result<String, ZipError> {
    let shown = || String::from_utf8_lossy(raw).into_owned();
    if !raw.is_ascii() && flags & FLAG_UTF8 == 0 {
        return Err(ZipError::AmbiguousName {
            name: shown(),
            why: "non-ASCII without the UTF-8 flag (CP437 for some readers, a local code page for others)",
        });
    }
    String::from_utf8(raw.to_vec()).map_err(|_| ZipError::AmbiguousName {
        name: shown(),
        why: "flagged UTF-8 but not UTF-8",
    })
}

/// Refuses names with an empty or `.` segment (`a//b`, `./a`, `a/`
/// for a file): some readers normalise them, others do not.
fn check_canonical(name: &str) -> Result<(), ZipError> {
    let body = name.strip_suffix('/').unwrap_or(name);
    if body.is_empty() || body.split('/').any(|s| s.is_empty() || s == ".") {
        return Err(ZipError::AmbiguousName {
            name: name.to_string(),
            why: "not canonical (an empty or \".\" segment)",
        });
    }
    Ok(())
}

/// The extra fields of a header as (id, body): they must tile the extra
/// bytes, each id at most once.
fn extra_fields(extra: &[u8]) -> Result<Vec<(u16, &[u8])>, ZipError> {
    let mut out: Vec<(u16, &[u8])> = Vec::new();
    let mut at = 0;
    while at < extra.len() {
        let bad = || malformed("extra field");
        let id = u16_at(extra, at).ok_or_else(bad)?;
        let len = usize::from(u16_at(extra, at + 2).ok_or_else(bad)?);
        let body = extra.get(at + 4..at + 4 + len).ok_or_else(bad)?;
        if out.iter().any(|(i, _)| *i == id) {
            return Err(malformed("an extra field occurs twice in one header"));
        }
        out.push((id, body));
        at += 4 + len;
    }
    Ok(out)
}

/// Refuses an Info-ZIP Unicode Path field naming the entry otherwise:
/// readers that honour it read another name.
fn check_unicode_path(fields: &[(u16, &[u8])], raw: &[u8], name: &str) -> Result<(), ZipError> {
    for (id, body) in fields {
        if *id == EXTRA_UNICODE_PATH && body.get(5..) != Some(raw) {
            return Err(ZipError::AmbiguousName {
                name: name.to_string(),
                why: "an Info-ZIP Unicode Path extra field names it otherwise",
            });
        }
    }
    Ok(())
}

/// One central-directory record.
struct Record {
    name: String,
    raw: core::ops::Range<usize>,
    flags: u16,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    /// Offset of the local header in the input.
    local: usize,
}

impl<'a> Archive<'a> {
    /// Reads the archive, checks every bound and that it has one reading
    /// only, and decodes every entry once.
    pub fn parse(input: &'a [u8], limits: &Limits) -> Result<Archive<'a>, ZipError> {
        let eocd = find_eocd(input).ok_or(ZipError::NotZip)?;
        let (records, prefix, cd_start) = Self::central_directory(input, eocd, limits)?;
        // Kept sorted as they come (zips list their entries in order, so
        // each usually lands at the end): a sort of its own would add code
        // to the WebAssembly module.
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(records.len());
        let mut entries = Vec::with_capacity(records.len());
        for r in &records {
            let (data, end) = Self::local_header(input, r, cd_start)?;
            let at = spans.partition_point(|s| s.0 <= r.local);
            spans.insert(at, (r.local, end));
            entries.push(Entry {
                name: r.name.clone(),
                method: r.method,
                crc: r.crc,
                compressed: r.compressed,
                size: r.size,
                data,
            });
        }
        // The entries tile [prefix, cd_start): a gap may hide a local
        // entry only a streaming reader sees, an overlap is two readings.
        let mut expect = prefix;
        for (start, end) in spans {
            if start != expect {
                return Err(layout(if start < expect {
                    "entries overlap"
                } else {
                    "bytes between entries that no central record lists"
                }));
            }
            expect = end;
        }
        if expect != cd_start {
            return Err(layout(
                "bytes between the last entry and the central directory",
            ));
        }
        let archive = Archive {
            input,
            prefix,
            entries,
            max_entry: limits.max_zip_entry_bytes,
        };
        // Every entry decodes, read later or not (directories too).
        for e in &archive.entries {
            archive.read(e)?;
        }
        let entries = archive
            .entries
            .into_iter()
            .filter(|e| !e.name.ends_with('/'))
            .collect();
        Ok(Archive { entries, ..archive })
    }

    /// The end record and the central directory: the records, the prefix
    /// length and the start of the central directory.
    fn central_directory(
        input: &[u8],
        eocd: usize,
        limits: &Limits,
    ) -> Result<(Vec<Record>, usize, usize), ZipError> {
        if !ends_input(input, eocd) {
            return Err(layout(
                "the end-of-central-directory record's comment does not end the file",
            ));
        }
        let first = input.len().saturating_sub(EOCD_LEN + 0xFFFF);
        if (first..eocd).any(|at| u32_at(input, at) == Some(EOCD_SIG) && ends_input(input, at)) {
            return Err(layout(
                "two end-of-central-directory records each end the file",
            ));
        }
        if find_signature(&input[eocd + EOCD_LEN..]).is_some() {
            return Err(layout("the archive comment holds a zip signature"));
        }
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
        // A zip64 reader would take the zip64 end record this points to.
        if eocd >= ZIP64_LOCATOR_LEN
            && u32_at(input, eocd - ZIP64_LOCATOR_LEN) == Some(ZIP64_LOCATOR_SIG)
        {
            return Err(ZipError::Unsupported(
                "zip64 end-of-central-directory locator".into(),
            ));
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
        if let Some(at) = find_signature(&input[..prefix]) {
            return Err(ZipError::PrefixHoldsZip { at, prefix });
        }
        let mut records: Vec<Record> = Vec::with_capacity(total);
        let mut keys: Vec<String> = Vec::with_capacity(total);
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
            let disk_start = f16(34);
            let local = f32(42) as usize;
            let raw = at + CDH_LEN..at + CDH_LEN + name_len;
            let extra = raw.end..raw.end + extra_len;
            let next = extra.end + comment_len;
            if next > eocd {
                return Err(malformed("central directory overruns its end"));
            }
            let raw_name = &input[raw.clone()];
            if name_len > limits.max_zip_path_bytes {
                let shown: String = String::from_utf8_lossy(raw_name).chars().take(64).collect();
                return Err(ZipError::PathTooLong {
                    name: format!("{shown}…"),
                    max: limits.max_zip_path_bytes,
                });
            }
            let name = check_name(&decode_name(raw_name, flags)?)?;
            check_canonical(&name)?;
            check_unicode_path(&extra_fields(&input[extra])?, raw_name, &name)?;
            if disk_start != 0 {
                return Err(ZipError::Unsupported(format!(
                    "entry \"{name}\" on another disk"
                )));
            }
            if flags & REFUSED_FLAGS != 0 {
                return Err(ZipError::Unsupported(format!(
                    "encrypted or patched entry \"{name}\""
                )));
            }
            if compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF {
                return Err(ZipError::Unsupported(format!("zip64 entry \"{name}\"")));
            }
            if name.ends_with('/') && size != 0 {
                return Err(ZipError::AmbiguousName {
                    name,
                    why: "a directory with content",
                });
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
            // One name, one entry: also for readers that ignore case (a
            // case-insensitive file system), read `\` as `/` or drop
            // trailing dots (checked below, once every key is known).
            keys.push(part_key(&name));
            records.push(Record {
                name,
                raw,
                flags,
                method,
                crc,
                compressed,
                size,
                local: local
                    .checked_add(prefix)
                    .ok_or_else(|| malformed("local header offset"))?,
            });
            at = next;
        }
        if at != eocd {
            return Err(layout(format!(
                "the central directory holds more than the {total} headers its end record counts"
            )));
        }
        // Pairs are compared (at most `limits.maxZipEntries`², 10⁸ at the
        // default: a sort would add its own code to the WebAssembly module).
        if let Some(i) = (0..keys.len()).find(|&i| keys[..i].contains(&keys[i])) {
            return Err(ZipError::Duplicate(records[i].name.clone()));
        }
        Ok((records, prefix, cd_start))
    }

    /// Checks the local header of `r` against it: the offset of the data,
    /// and the end of the entry (data descriptor included).
    fn local_header(input: &[u8], r: &Record, cd_start: usize) -> Result<(usize, usize), ZipError> {
        let name = || r.name.clone();
        let mismatch = |field| ZipError::HeaderMismatch {
            name: name(),
            field,
        };
        let at = r.local;
        if at.checked_add(LFH_LEN).is_none_or(|e| e > cd_start)
            || u32_at(input, at) != Some(LFH_SIG)
        {
            return Err(ZipError::BadData {
                name: name(),
                why: "no local header where the central directory says".into(),
            });
        }
        let f16 = |off| u16_at(input, at + off).unwrap_or(0);
        let f32 = |off| u32_at(input, at + off).unwrap_or(0);
        let (flags, method) = (f16(6), f16(8));
        let (crc, compressed, size) = (f32(14), f32(18), f32(22));
        let (name_len, extra_len) = (usize::from(f16(26)), usize::from(f16(28)));
        let raw_local = at + LFH_LEN..at + LFH_LEN + name_len;
        let extra = raw_local.end..raw_local.end + extra_len;
        if extra.end > cd_start {
            return Err(layout("a local header runs into the central directory"));
        }
        if input[raw_local] != input[r.raw.clone()] {
            return Err(mismatch("name"));
        }
        let raw_name = &input[r.raw.clone()];
        let wanted =
            REFUSED_FLAGS | FLAG_DESCRIPTOR | if raw_name.is_ascii() { 0 } else { FLAG_UTF8 };
        if (flags ^ r.flags) & wanted != 0 {
            return Err(mismatch("flags"));
        }
        if method != r.method {
            return Err(mismatch("compression method"));
        }
        let fields = extra_fields(&input[extra.clone()])?;
        check_unicode_path(&fields, raw_name, &r.name)?;
        let zip64 = fields
            .iter()
            .find(|(id, _)| *id == EXTRA_ZIP64)
            .map(|(_, b)| *b);
        // The sizes the local header states: 0xFFFFFFFF ones in its zip64
        // field, uncompressed first.
        let mut z64_at = 0;
        let mut stated = |v: u32| -> Result<u64, ZipError> {
            if v != 0xFFFF_FFFF {
                return Ok(u64::from(v));
            }
            let value = zip64
                .and_then(|b| u64_at(b, z64_at))
                .ok_or_else(|| mismatch("zip64 sizes"))?;
            z64_at += 8;
            Ok(value)
        };
        let size = stated(size)?;
        let compressed = stated(compressed)?;
        let deferred = r.flags & FLAG_DESCRIPTOR != 0;
        // Deferred values may be 0 (the usual) or the real ones.
        let agrees = |local: u64, central: u64| local == central || (deferred && local == 0);
        if !agrees(u64::from(crc), u64::from(r.crc)) {
            return Err(mismatch("CRC-32"));
        }
        if !agrees(size, r.size) {
            return Err(mismatch("uncompressed size"));
        }
        if !agrees(compressed, r.compressed) {
            return Err(mismatch("compressed size"));
        }
        let data = extra.end;
        let mut end = usize::try_from(r.compressed)
            .ok()
            .and_then(|c| data.checked_add(c))
            .filter(|&e| e <= cd_start)
            .ok_or_else(|| {
                layout(format!(
                    "the data of \"{}\" runs into the central directory",
                    r.name
                ))
            })?;
        if deferred {
            if r.method == 0 && r.compressed > 0 {
                // A streaming reader can only guess where stored data ends.
                return Err(ZipError::Unsupported(format!(
                    "stored entry \"{}\" with a data descriptor",
                    r.name
                )));
            }
            end += Self::descriptor(input, r, end, zip64.is_some(), cd_start)
                .ok_or_else(|| mismatch("data descriptor"))?;
        }
        Ok((data, end))
    }

    /// The length of the data descriptor of `r` at `at`, when it states
    /// exactly the central record's CRC and sizes (sizes of 8 bytes when
    /// the local header has a zip64 field).
    fn descriptor(
        input: &[u8],
        r: &Record,
        at: usize,
        wide: bool,
        cd_start: usize,
    ) -> Option<usize> {
        let sizes = if wide { 16 } else { 8 };
        let states = |from: usize| {
            let (c, s) = if wide {
                (u64_at(input, from + 4)?, u64_at(input, from + 12)?)
            } else {
                (
                    u64::from(u32_at(input, from + 4)?),
                    u64::from(u32_at(input, from + 8)?),
                )
            };
            Some(u32_at(input, from)? == r.crc && c == r.compressed && s == r.size)
        };
        let len = if u32_at(input, at) == Some(DD_SIG) && states(at + 4) == Some(true) {
            8 + sizes
        } else if states(at) == Some(true) {
            4 + sizes
        } else {
            return None;
        };
        (at + len <= cd_start).then_some(len)
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
        let data = usize::try_from(entry.compressed)
            .ok()
            .and_then(|len| self.input.get(entry.data..entry.data.checked_add(len)?))
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
            8 => inflate(data, size).map_err(bad)?,
            m => {
                return Err(ZipError::Unsupported(format!(
                    "compression method {} of entry \"{}\"",
                    // u32: one integer formatter fewer in the module.
                    u32::from(m),
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

/// Inflates raw deflate `data` that must decode to exactly `size` bytes
/// and end exactly with `data`. Never allocates more than `size + 1`
/// bytes: one byte more than declared notices data that inflates beyond
/// its declared size.
fn inflate(data: &[u8], size: usize) -> Result<Vec<u8>, &'static str> {
    use miniz_oxide::inflate::TINFLStatus;
    use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let limit = size.saturating_add(1);
    let mut out = vec![0u8; data.len().saturating_mul(2).max(64).min(limit)];
    let mut state = Box::<DecompressorOxide>::default();
    let (mut consumed, mut written) = (0usize, 0usize);
    loop {
        let rest = data.get(consumed..).unwrap_or(&[]);
        let (status, used, made) = decompress(&mut state, rest, &mut out, written, flags);
        consumed += used;
        written += made;
        match status {
            TINFLStatus::Done => break,
            TINFLStatus::HasMoreOutput => {
                if out.len() >= limit {
                    return Err("inflates to more bytes than its declared size");
                }
                let grown = out.len().saturating_mul(2).min(limit);
                out.resize(grown, 0);
            }
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                return Err("deflate data is truncated");
            }
            _ => return Err("deflate data is corrupt"),
        }
    }
    if consumed != data.len() {
        return Err("the deflate stream ends before its compressed bytes do");
    }
    if written != size {
        return Err("inflates to a size different from its declared size");
    }
    out.truncate(written);
    Ok(out)
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
    // Made on first use rather than at compile time: as data the table's
    // 1 KiB barely compresses (about 0.9 KB of the module's gzip size).
    static TABLE: spin::Once<[u32; 256]> = spin::Once::new();
    let table = TABLE.call_once(table);
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c = table[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    c ^ 0xFFFF_FFFF
}

/// The key under which every reader finds a part: the name's segments
/// without empty and `.` ones, each without trailing dots and spaces (as
/// Windows names files), `\` read as `/`, ASCII letters in lower case
/// (case-insensitive file systems and readers). Other characters are
/// compared exactly: folding them would bring Unicode's case tables into
/// the module (SECURITY.md). Two entries with one key are one part to some
/// reader, so the reader refuses them ([`ZipError::Duplicate`]).
pub fn part_key(name: &str) -> String {
    let unified = name.replace('\\', "/");
    let segments = unified
        .split('/')
        .map(|seg| seg.trim_end_matches(['.', ' ']))
        .filter(|seg| !seg.is_empty());
    crate::text::join(segments, "/").to_ascii_lowercase()
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

    /// A zip of deflated entries; `descriptor` defers every CRC and size
    /// to a data descriptor, with or without its signature.
    fn deflated_zip(entries: &[(&str, &[u8])], descriptor: Option<bool>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in entries {
            let body = miniz_oxide::deflate::compress_to_vec(data, 6);
            let flags: u16 = if descriptor.is_some() { 8 } else { 0 };
            let fields = |v: &mut Vec<u8>, local: bool| {
                v.extend(flags.to_le_bytes());
                v.extend(8u16.to_le_bytes());
                v.extend([0; 4]);
                if local && descriptor.is_some() {
                    v.extend([0; 12]);
                } else {
                    v.extend(crc32(data).to_le_bytes());
                    v.extend((body.len() as u32).to_le_bytes());
                    v.extend((data.len() as u32).to_le_bytes());
                }
                v.extend((name.len() as u16).to_le_bytes());
                v.extend([0; 2]);
            };
            let offset = out.len() as u32;
            out.extend(b"PK\x03\x04\x14\x00");
            fields(&mut out, true);
            out.extend(name.as_bytes());
            out.extend(&body);
            if let Some(signed) = descriptor {
                if signed {
                    out.extend(b"PK\x07\x08");
                }
                out.extend(crc32(data).to_le_bytes());
                out.extend((body.len() as u32).to_le_bytes());
                out.extend((data.len() as u32).to_le_bytes());
            }
            central.extend(b"PK\x01\x02\x14\x00\x14\x00");
            fields(&mut central, false);
            central.extend([0; 10]); // comment length, disk, attributes
            central.extend(offset.to_le_bytes());
            central.extend(name.as_bytes());
        }
        let n = (entries.len() as u16).to_le_bytes();
        let cd_offset = (out.len() as u32).to_le_bytes();
        out.extend(&central);
        out.extend(b"PK\x05\x06\x00\x00\x00\x00");
        out.extend(n);
        out.extend(n);
        out.extend((central.len() as u32).to_le_bytes());
        out.extend(cd_offset);
        out.extend([0; 2]);
        out
    }

    fn parse(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, ZipError> {
        let a = Archive::parse(bytes, &Limits::default())?;
        a.entries
            .iter()
            .map(|e| Ok((e.name.clone(), a.read(e)?)))
            .collect()
    }

    #[test]
    fn data_descriptors_with_and_without_signature_are_read() {
        let entries: [(&str, &[u8]); 2] = [("OFD.xml", b"<OFD/>"), ("a/b.xml", b"<b>b b b b</b>")];
        for descriptor in [None, Some(true), Some(false)] {
            let got = parse(&deflated_zip(&entries, descriptor)).unwrap();
            assert_eq!(got.len(), 2, "{descriptor:?}");
            assert_eq!(got[1].1, entries[1].1, "{descriptor:?}");
        }
    }

    #[test]
    fn a_deflate_stream_ends_exactly_with_its_compressed_bytes() {
        let data = b"the quick brown fox jumps over the lazy dog ".repeat(20);
        let body = miniz_oxide::deflate::compress_to_vec(&data, 6);
        assert_eq!(inflate(&body, data.len()).unwrap(), data);
        // Anything after the end of the stream: a streaming reader would
        // look for the next header there.
        let longer = [&body[..], b"PK\x03\x04"].concat();
        assert_eq!(
            inflate(&longer, data.len()),
            Err("the deflate stream ends before its compressed bytes do")
        );
        assert!(inflate(&[&body[..], &[0]].concat(), data.len()).is_err());
        assert!(inflate(&body[..body.len() - 1], data.len()).is_err());
        assert!(inflate(&body, data.len() - 1).is_err());
        assert_eq!(
            inflate(&body, 10),
            Err("inflates to more bytes than its declared size")
        );
        assert!(inflate(&body, data.len() + 1).is_err());
        assert_eq!(
            inflate(&miniz_oxide::deflate::compress_to_vec(b"", 6), 0),
            Ok(Vec::new())
        );
    }

    #[test]
    fn names_are_canonical_and_unambiguous() {
        for odd in ["a//b", "./a", "a/./b", "a/.", "", "/", "a//"] {
            assert!(check_canonical(odd).is_err(), "{odd}");
        }
        assert!(check_canonical("a/").is_ok(), "a directory");
        assert!(check_canonical("Doc_0/Pages/Page_0/Content.xml").is_ok());
        assert!(decode_name(b"a.xml", 0).is_ok());
        assert!(decode_name("附件.xml".as_bytes(), FLAG_UTF8).is_ok());
        assert!(
            decode_name("附件.xml".as_bytes(), 0).is_err(),
            "UTF-8 unflagged"
        );
        assert!(decode_name(b"\xB8\xBD.xml", 0).is_err(), "GBK unflagged");
        assert!(
            decode_name(b"\xB8\xBD.xml", FLAG_UTF8).is_err(),
            "GBK flagged UTF-8"
        );
    }

    #[test]
    fn extra_fields_tile_and_never_rename() {
        let field = |id: u16, body: &[u8]| {
            let mut f = id.to_le_bytes().to_vec();
            f.extend((body.len() as u16).to_le_bytes());
            f.extend(body);
            f
        };
        let ok = [field(0x000a, &[0; 4]), field(0x5455, &[1, 2, 3, 4, 5])].concat();
        assert_eq!(extra_fields(&ok).unwrap().len(), 2);
        assert!(extra_fields(&ok[..ok.len() - 1]).is_err(), "truncated");
        assert!(
            extra_fields(&[ok.clone(), vec![0]].concat()).is_err(),
            "a stray byte"
        );
        let twice = [field(1, &[0; 8]), field(1, &[0; 8])].concat();
        assert!(extra_fields(&twice).is_err(), "one id twice");
        let upath = |name: &[u8]| field(EXTRA_UNICODE_PATH, &[&[1, 0, 0, 0, 0][..], name].concat());
        let same = upath(b"a.xml");
        let fields = extra_fields(&same).unwrap();
        assert!(check_unicode_path(&fields, b"a.xml", "a.xml").is_ok());
        let other = upath(b"OFD.xml");
        let fields = extra_fields(&other).unwrap();
        assert!(check_unicode_path(&fields, b"a.xml", "a.xml").is_err());
    }

    #[test]
    fn the_end_record_must_end_the_file_and_be_the_only_one() {
        let zip = deflated_zip(&[("OFD.xml", b"<OFD/>")], None);
        assert!(parse(&zip).is_ok());
        let trailing = [&zip[..], b"x"].concat();
        assert!(matches!(parse(&trailing), Err(ZipError::Layout(_))));
        // An empty archive behind a plain prefix is an empty archive.
        let empty = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        assert_eq!(parse(empty).unwrap().len(), 0);
        let prefixed = [&b"plain"[..], empty].concat();
        let prefixed = Archive::parse(&prefixed, &Limits::default()).unwrap();
        assert_eq!(prefixed.prefix, 5);
        // The same empty archive behind a zip: the prefix holds it.
        let behind = [&zip[..], empty].concat();
        assert!(matches!(
            parse(&behind),
            Err(ZipError::PrefixHoldsZip { at: 0, .. })
        ));
    }

    #[test]
    fn garbage_is_not_zip() {
        assert_eq!(
            Archive::parse(b"hello", &Limits::default()).err(),
            Some(ZipError::NotZip)
        );
    }
}
