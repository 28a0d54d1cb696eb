//! OFD test helpers: the shared corpus, and a tiny zip writer to build
//! tampered and hostile packages.

use piaoyan_core::ofd::zip::{Archive, crc32};
use piaoyan_core::{Limits, Report, Verifier, VerifyOptions};

/// 2026-11-27T00:00:00Z: the fixed "now" of the OFD tests.
pub const NOW: i64 = 1_795_737_600;

/// The bytes of a corpus file.
pub fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(crate::vectors::shared_dir().join("corpus/ofdrw").join(name))
        .unwrap_or_else(|e| panic!("corpus/ofdrw/{name}: {e}"))
}

/// Verifies with no trust anchors.
pub fn verify(bytes: &[u8]) -> Report {
    Verifier::new(&VerifyOptions {
        now: Some(NOW),
        ..VerifyOptions::default()
    })
    .expect("default options")
    .verify(bytes)
}

/// Every entry of a zip (names and uncompressed bytes), in order.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let archive = Archive::parse(bytes, &Limits::default()).expect("a readable zip");
    archive
        .entries
        .iter()
        .map(|e| (e.name.clone(), archive.read(e).expect("entry")))
        .collect()
}

/// One entry for [`zip`]: name, data, and optionally a declared size and
/// compressed bytes that differ from the truth.
pub struct Item {
    pub name: String,
    pub data: Vec<u8>,
    pub deflate: bool,
    /// Overrides the declared uncompressed size.
    pub declared_size: Option<u32>,
}

impl Item {
    pub fn new(name: &str, data: Vec<u8>) -> Item {
        Item {
            name: name.into(),
            data,
            deflate: true,
            declared_size: None,
        }
    }
}

/// Writes a zip (stored or deflated entries).
pub fn zip(items: &[Item]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for it in items {
        let (method, body) = if it.deflate {
            (8u16, miniz_oxide::deflate::compress_to_vec(&it.data, 6))
        } else {
            (0u16, it.data.clone())
        };
        let size = it.declared_size.unwrap_or(it.data.len() as u32);
        let crc = crc32(&it.data);
        let offset = out.len() as u32;
        let name = it.name.as_bytes();
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
            v.extend_from_slice(&method.to_le_bytes());
            v.extend_from_slice(&0u32.to_le_bytes()); // time, date
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&(body.len() as u32).to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name);
        out.extend_from_slice(&body);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        common(&mut central);
        central.extend_from_slice(&[0; 6]); // comment len, disk, internal attrs
        central.extend_from_slice(&0u32.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    let n = items.len().min(0xFFFF) as u16;
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// Rewrites a corpus package with `edit` applied to its entries.
pub fn rewrite(bytes: &[u8], edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let mut entries = unzip(bytes);
    edit(&mut entries);
    let items: Vec<Item> = entries.into_iter().map(|(n, d)| Item::new(&n, d)).collect();
    zip(&items)
}

/// Replaces the first occurrence of `from` in `data`.
pub fn replace_once(data: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = data
        .windows(from.len())
        .position(|w| w == from)
        .expect("pattern present");
    [&data[..at], to, &data[at + from.len()..]].concat()
}

/// The checks of a report (and of its OFD signatures) that failed, as
/// `id code`.
pub fn failed_checks(r: &Report) -> Vec<String> {
    let per_signature = r
        .document
        .iter()
        .flat_map(|d| d.signatures.iter())
        .flat_map(|s| s.checks.iter());
    r.checks
        .iter()
        .chain(per_signature)
        .filter(|c| c.result == piaoyan_core::report::CheckResult::Fail)
        .map(|c| format!("{} {}", c.id, c.code.as_deref().unwrap_or("")))
        .collect()
}

/// The signer certificate of the first `SignedValue.dat` of a package that
/// holds an SES seal.
pub fn signer_cert(bytes: &[u8]) -> Vec<u8> {
    let archive = Archive::parse(bytes, &Limits::default()).expect("zip");
    let entry = archive
        .entries
        .iter()
        .find(|e| e.name.ends_with("SignedValue.dat"))
        .expect("a SignedValue.dat");
    let value = archive.read(entry).expect("entry");
    piaoyan_core::ofd::ses::parse_signature(&value)
        .expect("an SES_Signature")
        .cert
        .to_vec()
}

/// Verifies with `anchor` as the only trust anchor.
pub fn verify_trusting(bytes: &[u8], anchor: Vec<u8>) -> Report {
    Verifier::new(&VerifyOptions {
        trust_anchors: vec![anchor],
        now: Some(NOW),
        ..VerifyOptions::default()
    })
    .expect("a usable anchor")
    .verify(bytes)
}
