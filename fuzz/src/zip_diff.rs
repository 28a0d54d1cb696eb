//! The own zip reader of the core (`piaoyan_core::ofd::zip`) against the
//! `zip` crate 9.8.2: where both accept a package they list the same files
//! (directories aside) in the same order, with the same bytes, behind the
//! same prefix. The reader is stricter by design (spec ofd-seals.md,
//! "Container": one package, one reading); every refusal of a package the
//! `zip` crate accepts must be one of the [`Why`] below, and the ones that
//! can be seen from outside are checked on the input:
//!
//! - [`Why::Prefix`]: the bytes before the archive hold a zip signature
//!   (checked: the signature is there, inside the prefix the reader found;
//!   the crate also searches for a central directory the end record does
//!   not locate exactly);
//! - [`Why::HeaderMismatch`]: a local header, or a data descriptor, states
//!   a name, size, CRC, method or flag its central record does not (the
//!   crate reads the central directory only);
//! - [`Why::Layout`]: the entries, the central directory and its end record
//!   do not tile the file: bytes between or after them, entries inside
//!   each other, an uncounted central header, a second end record, an end
//!   record whose comment does not end the file, a zip signature in the
//!   archive comment (the crate tolerates all of these);
//! - [`Why::Name`]: a name that reads differently elsewhere: not canonical
//!   (`a//b`, `./a`), non-ASCII without the UTF-8 flag (the crate reads
//!   CP437), not UTF-8, an Info-ZIP Unicode Path field naming it otherwise
//!   (the crate renames), a directory with content (checked: some name of
//!   the crate's listing is one of these, or an extra field or flag says so);
//! - [`Why::Duplicate`]: two names equal once case and `\` are ignored
//!   (checked on the crate's listing);
//! - [`Why::Bound`]: one of the bounds of `Limits` (the crate has none);
//! - [`Why::Unsupported`]: zip64, multi-disk fields, encryption flags, a
//!   stored entry with a data descriptor (the crate reads some of these);
//! - [`Why::Data`]: the deflate stream ends before the entry's compressed
//!   bytes do (the crate ignores the rest), or a CRC / size the crate does
//!   not check on an entry it was not asked to read.
//!
//! The `zip` crate may never accept a package the reader refuses for a
//! reason outside this list, and never refuse one the reader accepts.
//!
//! Used by the fuzz target `zip_differential` and, through `#[path]`, by
//! `tests/tests/zip_differential.rs`. Uses `piaoyan_core`, `zip` and
//! `miniz_oxide` only.

use std::io::{Cursor, Read, Write};

use piaoyan_core::Limits;
use piaoyan_core::ofd::zip::{Archive, ZipError, crc32};

/// Why the reader refused a package the `zip` crate reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Why {
    Prefix,
    HeaderMismatch,
    Layout,
    Name,
    Duplicate,
    Bound,
    Unsupported,
    Data,
}

/// How the two readers compared on one input.
#[derive(Debug, PartialEq, Eq)]
pub enum Agreement {
    /// Both read the package, alike.
    Same,
    /// Both refused it.
    BothRefuse,
    /// The reader refused a package the `zip` crate reads, deliberately.
    Stricter(Why),
}

/// The files of a package as the `zip` crate reads them (name with `\`
/// as `/`, bytes), and its archive offset; `None` when it refuses.
pub struct Theirs {
    pub offset: u64,
    pub files: Files,
    /// Raw names of every entry, directories included.
    pub raw_names: Vec<Vec<u8>>,
    pub duplicates: bool,
}

fn theirs(bytes: &[u8], max_entry: u64) -> Option<Theirs> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut files = Vec::new();
    let mut raw_names = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).ok()?;
        raw_names.push(f.name_raw().to_vec());
        if f.is_dir() {
            continue;
        }
        let name = f.name().ok()?.replace('\\', "/");
        let mut data = Vec::new();
        // Never more than the reader's bound: a bomb costs no memory.
        (&mut f).take(max_entry + 1).read_to_end(&mut data).ok()?;
        files.push((name, data));
    }
    Some(Theirs {
        offset: archive.offset(),
        files,
        raw_names,
        duplicates: archive.has_duplicate_names(),
    })
}

/// Names and bytes of the files of a package.
type Files = Vec<(String, Vec<u8>)>;

/// Our reading: the prefix and every file, or the error.
fn ours(bytes: &[u8], limits: &Limits) -> Result<(usize, Files), ZipError> {
    let archive = Archive::parse(bytes, limits)?;
    let mut files = Vec::new();
    for e in &archive.entries {
        files.push((e.name.clone(), archive.read(e)?));
    }
    Ok((archive.prefix, files))
}

fn why(e: &ZipError) -> Why {
    match e {
        ZipError::PrefixHoldsZip { .. } => Why::Prefix,
        ZipError::HeaderMismatch { .. } => Why::HeaderMismatch,
        ZipError::Layout(_) => Why::Layout,
        ZipError::AmbiguousName { .. } | ZipError::PathEscape(_) => Why::Name,
        ZipError::Duplicate(_) => Why::Duplicate,
        ZipError::TooManyEntries { .. }
        | ZipError::PathTooLong { .. }
        | ZipError::EntryTooLarge { .. }
        | ZipError::TotalTooLarge { .. }
        | ZipError::RatioTooHigh { .. } => Why::Bound,
        ZipError::Unsupported(_) => Why::Unsupported,
        ZipError::BadData { .. } => Why::Data,
        ZipError::NotZip | ZipError::Malformed(_) => Why::Layout,
    }
}

const SIGNATURES: [&[u8; 4]; 3] = [b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"];

fn holds_signature(bytes: &[u8]) -> bool {
    bytes
        .windows(4)
        .any(|w| SIGNATURES.iter().any(|s| w == s.as_slice()))
}

/// Whether a raw name is one the reader refuses on sight.
fn odd_name(raw: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(raw) else {
        return true;
    };
    let unified = text.replace('\\', "/");
    let body = unified.strip_suffix('/').unwrap_or(&unified);
    !raw.is_ascii()
        || body.is_empty()
        || body
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        || unified.as_bytes().get(1) == Some(&b':')
        || raw.contains(&0)
}

/// Whether the refusal `e` of a package the crate read as `t` is
/// deliberate, as far as the input shows it.
fn deliberate(bytes: &[u8], e: &ZipError, t: &Theirs) -> bool {
    match why(e) {
        // The prefix the reader computed holds a signature where it says
        // (the crate, when the central directory is not where the end
        // record's size puts it, searches for it instead).
        Why::Prefix => match e {
            ZipError::PrefixHoldsZip { at, prefix } => {
                at < prefix && bytes.get(*at..at + 4).is_some_and(holds_signature)
            }
            _ => false,
        },
        Why::Duplicate => {
            let mut keys: Vec<String> = t
                .raw_names
                .iter()
                .map(|n| String::from_utf8_lossy(n).replace('\\', "/").to_lowercase())
                .collect();
            keys.sort();
            t.duplicates || keys.windows(2).any(|w| w[0] == w[1])
        }
        // A name the crate shows differently, or one that is odd in the
        // central directory; the Unicode Path field and the local copy of
        // the UTF-8 flag are not visible through the crate.
        Why::Name => {
            t.raw_names.iter().any(|n| odd_name(n))
                || t.files.iter().any(|(n, _)| odd_name(n.as_bytes()))
                || matches!(e, ZipError::AmbiguousName { .. })
        }
        Why::Bound | Why::HeaderMismatch | Why::Layout | Why::Unsupported | Why::Data => true,
    }
}

/// Bounds of the comparison: the defaults.
pub fn limits() -> Limits {
    Limits::default()
}

/// Compares the two readers on `bytes`.
pub fn compare(bytes: &[u8]) -> Result<Agreement, String> {
    let limits = limits();
    let mine = ours(bytes, &limits);
    let t = theirs(bytes, limits.max_zip_entry_bytes as u64);
    match (mine, t) {
        (Err(_), None) => Ok(Agreement::BothRefuse),
        (Ok((prefix, files)), None) => Err(format!(
            "the reader accepts ({} files behind {prefix} bytes) what the zip crate refuses",
            files.len()
        )),
        (Err(e), Some(t)) => {
            if deliberate(bytes, &e, &t) {
                Ok(Agreement::Stricter(why(&e)))
            } else {
                Err(format!(
                    "the reader refuses, not deliberately: {e} (the zip crate reads {} files behind {} bytes)",
                    t.files.len(),
                    t.offset
                ))
            }
        }
        (Ok((prefix, files)), Some(t)) => {
            if t.duplicates {
                return Err("the reader accepts duplicate names".into());
            }
            if prefix as u64 != t.offset {
                return Err(format!("prefix {prefix} but zip crate offset {}", t.offset));
            }
            let mine: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
            let theirs: Vec<&str> = t.files.iter().map(|(n, _)| n.as_str()).collect();
            if mine != theirs {
                return Err(format!("names differ: {mine:?} / {theirs:?}"));
            }
            for ((name, a), (_, b)) in files.iter().zip(&t.files) {
                if a != b {
                    return Err(format!(
                        "{name}: {} bytes / {} bytes, contents differ",
                        a.len(),
                        b.len()
                    ));
                }
            }
            Ok(Agreement::Same)
        }
    }
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Offsets of every zip signature (`PK\x01\x02`, `PK\x03\x04`,
/// `PK\x05\x06`, `PK\x07\x08`) in `bytes`.
fn signature_offsets(bytes: &[u8]) -> Vec<usize> {
    bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| {
            w[0] == b'P'
                && w[1] == b'K'
                && matches!((w[2], w[3]), (1, 2) | (3, 4) | (5, 6) | (7, 8))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Deterministic variations of a package: every header field touched,
/// random byte changes, truncations, prefixes and suffixes. About 600 per
/// package.
pub fn mutations(bytes: &[u8], seed: u64) -> Vec<Vec<u8>> {
    let mut rng = Rng(seed ^ bytes.len() as u64);
    let mut out = Vec::new();
    let headers = signature_offsets(bytes);
    // Header fields: each header gets a few changes among its first 46
    // bytes (the fixed part), by one, by a bit, or to 0 / 0xFF.
    for &at in &headers {
        for _ in 0..8 {
            let pos = at + rng.below(46);
            if pos >= bytes.len() {
                continue;
            }
            let mut m = bytes.to_vec();
            m[pos] = match rng.below(4) {
                0 => m[pos].wrapping_add(1),
                1 => m[pos] ^ (1 << rng.below(8)),
                2 => 0,
                _ => 0xFF,
            };
            out.push(m);
        }
    }
    // Random changes anywhere.
    for _ in 0..150 {
        let mut m = bytes.to_vec();
        for _ in 0..1 + rng.below(3) {
            let pos = rng.below(m.len());
            m[pos] ^= 1 + rng.below(255) as u8;
        }
        out.push(m);
    }
    // Truncations: near the end (the end record), and anywhere.
    for k in 1..=24 {
        if k < bytes.len() {
            out.push(bytes[..bytes.len() - k].to_vec());
        }
    }
    for _ in 0..16 {
        out.push(bytes[..rng.below(bytes.len())].to_vec());
    }
    // Prefixes: plain, each signature, the package's own first header.
    let first = &bytes[..bytes.len().min(46)];
    for p in [
        &b"MZ vendor header"[..],
        b"PK\x03\x04",
        b"PK\x01\x02",
        b"PK\x05\x06",
        first,
    ] {
        out.push([p, bytes].concat());
    }
    // A second copy of the package in front.
    out.push([bytes, bytes].concat());
    // Suffixes: junk, a second end record, a signature.
    let end = &bytes[bytes.len().saturating_sub(22)..];
    for s in [&b"junk"[..], end, b"PK\x05\x06", b"PK\x03\x04"] {
        out.push([bytes, s].concat());
    }
    // Bytes inserted just before a header: a gap between entries.
    for _ in 0..8 {
        if headers.is_empty() {
            break;
        }
        let at = headers[rng.below(headers.len())];
        out.push([&bytes[..at], b"gap!", &bytes[at..]].concat());
    }
    out
}

/// Offsets of the local headers of a package the `zip` crate reads, in
/// central-directory order.
pub fn local_headers(bytes: &[u8]) -> Vec<usize> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| archive.by_index_raw(i).expect("entry").header_start() as usize)
        .collect()
}

/// Offsets of the data descriptors (with signature) of a package the `zip`
/// crate reads, in file order.
pub fn data_descriptors(bytes: &[u8]) -> Vec<usize> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut out: Vec<usize> = (0..archive.len())
        .filter_map(|i| {
            let f = archive.by_index_raw(i).ok()?;
            let at = usize::try_from(f.data_start()? + f.compressed_size()).ok()?;
            (bytes.get(at..at + 4) == Some(b"PK\x07\x08")).then_some(at)
        })
        .collect();
    out.sort();
    out
}

/// An Info-ZIP Unicode Path extra field (0x7075) renaming the entry whose
/// raw name is `raw` to `name`.
pub fn unicode_path_field(raw: &[u8], name: &str) -> Vec<u8> {
    let mut f = 0x7075u16.to_le_bytes().to_vec();
    f.extend(((5 + name.len()) as u16).to_le_bytes());
    f.push(1);
    f.extend(crc32(raw).to_le_bytes());
    f.extend(name.as_bytes());
    f
}

/// A package written by the `zip` crate: stored and deflated files, a
/// directory, UTF-8 names, a comment.
pub fn written_by_zip_crate() -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("OFD.xml", deflated).expect("file");
    w.write_all(b"<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"/>")
        .expect("write");
    w.add_directory("Doc_0/", stored).expect("dir");
    w.start_file("Doc_0/Document.xml", stored).expect("file");
    w.write_all(b"<ofd:Document/>").expect("write");
    w.start_file("Doc_0/附件.xml", deflated).expect("file");
    w.write_all(&b"<a>attachment</a>".repeat(50))
        .expect("write");
    w.set_comment("written by the zip crate").expect("comment");
    w.finish().expect("finish").into_inner()
}

/// One entry for [`RawZip`]: every field of both headers, separately.
#[derive(Clone, Debug)]
pub struct RawEntry {
    pub name: Vec<u8>,
    pub local_name: Vec<u8>,
    pub flags: u16,
    pub local_flags: u16,
    pub method: u16,
    pub local_method: u16,
    pub crc: u32,
    pub local_crc: u32,
    pub compressed: u32,
    pub local_compressed: u32,
    pub size: u32,
    pub local_size: u32,
    pub local_extra: Vec<u8>,
    pub central_extra: Vec<u8>,
    /// "Disk number start" of the central record.
    pub disk: u16,
    /// The entry's data as stored.
    pub body: Vec<u8>,
    /// Bytes right after the data (a data descriptor).
    pub descriptor: Vec<u8>,
    /// Bytes after the descriptor, before the next entry.
    pub after: Vec<u8>,
    /// No local part of its own: the central record points at offset `.1`
    /// inside the local part of entry `.0`.
    pub overlap_into: Option<(usize, usize)>,
}

impl RawEntry {
    fn new(name: &[u8], method: u16, data: &[u8], body: Vec<u8>) -> RawEntry {
        let flags = if name.is_ascii() || std::str::from_utf8(name).is_err() {
            0
        } else {
            0x800
        };
        let crc = crc32(data);
        let (c, s) = (body.len() as u32, data.len() as u32);
        RawEntry {
            name: name.to_vec(),
            local_name: name.to_vec(),
            flags,
            local_flags: flags,
            method,
            local_method: method,
            crc,
            local_crc: crc,
            compressed: c,
            local_compressed: c,
            size: s,
            local_size: s,
            local_extra: Vec::new(),
            central_extra: Vec::new(),
            disk: 0,
            body,
            descriptor: Vec::new(),
            after: Vec::new(),
            overlap_into: None,
        }
    }

    /// A deflated entry.
    pub fn deflated(name: &str, data: &[u8]) -> RawEntry {
        let body = miniz_oxide::deflate::compress_to_vec(data, 6);
        RawEntry::new(name.as_bytes(), 8, data, body)
    }

    /// A stored entry (UTF-8 flag set for a non-ASCII name).
    pub fn stored(name: &str, data: &[u8]) -> RawEntry {
        RawEntry::new(name.as_bytes(), 0, data, data.to_vec())
    }

    /// A stored entry with a raw name (UTF-8 flag set only for non-ASCII
    /// UTF-8).
    pub fn stored_raw(name: &[u8], data: &[u8]) -> RawEntry {
        RawEntry::new(name, 0, data, data.to_vec())
    }

    /// Sets the compressed size in both headers.
    pub fn set_compressed(&mut self, n: u32) {
        self.compressed = n;
        self.local_compressed = n;
    }

    /// Defers CRC and sizes to a data descriptor (with signature), as
    /// streaming writers do.
    pub fn defer_to_descriptor(&mut self) {
        self.flags |= 8;
        self.local_flags |= 8;
        self.local_crc = 0;
        self.local_compressed = 0;
        self.local_size = 0;
        let mut d = b"PK\x07\x08".to_vec();
        d.extend(self.crc.to_le_bytes());
        d.extend(self.compressed.to_le_bytes());
        d.extend(self.size.to_le_bytes());
        self.descriptor = d;
    }

    fn local(&self) -> Vec<u8> {
        let mut v = b"PK\x03\x04".to_vec();
        v.extend(20u16.to_le_bytes());
        v.extend(self.local_flags.to_le_bytes());
        v.extend(self.local_method.to_le_bytes());
        v.extend([0; 4]); // time, date
        v.extend(self.local_crc.to_le_bytes());
        v.extend(self.local_compressed.to_le_bytes());
        v.extend(self.local_size.to_le_bytes());
        v.extend((self.local_name.len() as u16).to_le_bytes());
        v.extend((self.local_extra.len() as u16).to_le_bytes());
        v.extend(&self.local_name);
        v.extend(&self.local_extra);
        v.extend(&self.body);
        v.extend(&self.descriptor);
        v.extend(&self.after);
        v
    }

    fn central(&self, offset: u32, comment: &[u8]) -> Vec<u8> {
        let mut v = b"PK\x01\x02".to_vec();
        v.extend(20u16.to_le_bytes());
        v.extend(20u16.to_le_bytes());
        v.extend(self.flags.to_le_bytes());
        v.extend(self.method.to_le_bytes());
        v.extend([0; 4]);
        v.extend(self.crc.to_le_bytes());
        v.extend(self.compressed.to_le_bytes());
        v.extend(self.size.to_le_bytes());
        v.extend((self.name.len() as u16).to_le_bytes());
        v.extend((self.central_extra.len() as u16).to_le_bytes());
        v.extend((comment.len() as u16).to_le_bytes());
        v.extend(self.disk.to_le_bytes());
        v.extend([0; 6]); // internal, external attributes
        v.extend(offset.to_le_bytes());
        v.extend(&self.name);
        v.extend(&self.central_extra);
        v.extend(comment);
        v
    }
}

/// A zip written field by field, to build packages two readers could read
/// two ways.
#[derive(Clone, Debug, Default)]
pub struct RawZip {
    pub prefix: Vec<u8>,
    pub entries: Vec<RawEntry>,
    /// The archive comment.
    pub comment: Vec<u8>,
    /// One more central header (a copy of the first) than the end record
    /// counts.
    pub extra_central: bool,
    /// Bytes between the central directory and the end record.
    pub before_end: Vec<u8>,
    /// A zip64 end-of-central-directory locator in the last central
    /// header's comment, right before the end record.
    pub zip64_locator: bool,
}

impl RawZip {
    /// The local parts of the entries, concatenated (no prefix).
    pub fn local_part(&self) -> Vec<u8> {
        self.layout().0
    }

    fn layout(&self) -> (Vec<u8>, Vec<u32>) {
        let mut out = Vec::new();
        let mut offsets = Vec::new();
        for e in &self.entries {
            match e.overlap_into {
                Some((j, at)) => offsets.push(offsets[j] + at as u32),
                None => {
                    offsets.push(out.len() as u32);
                    out.extend(e.local());
                }
            }
        }
        (out, offsets)
    }

    /// The package.
    pub fn bytes(&self) -> Vec<u8> {
        let (locals, offsets) = self.layout();
        let mut out = self.prefix.clone();
        out.extend(&locals);
        let mut central = Vec::new();
        let last = self.entries.len().saturating_sub(1);
        for (i, (e, off)) in self.entries.iter().zip(&offsets).enumerate() {
            let comment = if self.zip64_locator && i == last {
                let mut l = b"PK\x06\x07".to_vec();
                l.extend([0; 4]);
                l.extend(0u64.to_le_bytes());
                l.extend(1u32.to_le_bytes());
                l
            } else {
                Vec::new()
            };
            central.extend(e.central(*off, &comment));
        }
        if self.extra_central
            && let (Some(e), Some(off)) = (self.entries.first(), offsets.first())
        {
            central.extend(e.central(*off, &[]));
        }
        let cd_offset = locals.len() as u32;
        out.extend(&central);
        out.extend(&self.before_end);
        let n = self.entries.len() as u16;
        out.extend(b"PK\x05\x06");
        out.extend([0; 4]);
        out.extend(n.to_le_bytes());
        out.extend(n.to_le_bytes());
        out.extend((central.len() as u32).to_le_bytes());
        out.extend(cd_offset.to_le_bytes());
        out.extend((self.comment.len() as u16).to_le_bytes());
        out.extend(&self.comment);
        out
    }
}
