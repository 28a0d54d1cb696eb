//! Seed inputs of the fuzz targets, made from `../shared/vectors/bills` at
//! run time (nothing large is committed): the bills themselves, the DER
//! objects inside them (certificates, CMS values, bare signatures, the
//! trust PEMs) and capital amounts. `src/bin/seed-corpus.rs` writes them to
//! `fuzz/corpus/<target>/`; `tests/tests/fuzz_smoke.rs` includes this file.

use std::collections::BTreeMap;

use crate::bodies::{ofd_files, unzip};
use base64::Engine as _;
use piaoyan_core::ofd::ses;
use piaoyan_core::parse;
use piaoyan_core::pki::parse_detached;
use piaoyan_core::{Limits, capital, options::pem_blocks};

/// Bills larger than this are left out of the XML seeds (the vectors'
/// multi-megabyte limit tests would only slow libFuzzer down).
pub const MAX_SEED_BILL: usize = 64 * 1024;

/// Parts larger than this are left out of the `ofd_entry` seeds.
pub const MAX_SEED_PART: usize = 32 * 1024;

/// The fuzz targets, by name.
pub const TARGETS: [&str; 11] = [
    "verify_bill",
    "parse_bill",
    "pki_der",
    "capital",
    "ofd_document",
    "ofd_entry",
    "render_page",
    "ses_decode",
    "ecc_verify",
    "xml_differential",
    "zip_differential",
];

fn b64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
}

/// Small hand-made XML inputs reaching the bounds and the document rules.
fn xml_extras() -> Vec<Vec<u8>> {
    vec![
        b"<!DOCTYPE EInvoice [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;\">]><EInvoice>&b;</EInvoice>"
            .to_vec(),
        b"<?xml version=\"1.0\" encoding=\"GBK\"?><EInvoice/>".to_vec(),
        format!("{}{}", "<a>".repeat(70), "</a>".repeat(70)).into_bytes(),
        b"\xEF\xBB\xBF<EInvoice><Header/><EInvoiceData/><EInvoiceSignature/></EInvoice>".to_vec(),
        b"<EInvoice xmlns=\"urn:x\"><Header/></EInvoice>".to_vec(),
    ]
}

/// Small packages at the edges of the zip reader's rules.
fn zip_edges() -> Vec<Vec<u8>> {
    use crate::zip_diff::{RawEntry, RawZip, written_by_zip_crate};
    let plain = RawZip {
        entries: vec![
            RawEntry::deflated("OFD.xml", b"<ofd:OFD><ofd:DocBody/></ofd:OFD>"),
            RawEntry::stored("Doc_0/Document.xml", b"<ofd:Document/>"),
            RawEntry::stored("Doc_0/", b""),
        ],
        ..RawZip::default()
    };
    let mut out = vec![plain.bytes(), written_by_zip_crate()];
    let mut dd = plain.clone();
    dd.entries[0].defer_to_descriptor();
    out.push(dd.bytes());
    out.push(
        RawZip {
            prefix: b"vendor".to_vec(),
            comment: b"comment".to_vec(),
            ..plain.clone()
        }
        .bytes(),
    );
    let mut local = plain.clone();
    local.entries[0].local_size += 1;
    out.push(local.bytes());
    let mut renamed = plain.clone();
    renamed.entries[1].local_name = b"Doc_0/Document.xmm".to_vec();
    out.push(renamed.bytes());
    let mut gap = plain.clone();
    gap.entries[0].after = b"gap".to_vec();
    out.push(gap.bytes());
    let mut case = plain.clone();
    case.entries.push(RawEntry::stored("ofd.xml", b"x"));
    out.push(case.bytes());
    out.push([&b"PK\x03\x04"[..], &plain.bytes()].concat());
    out
}

/// Every seed of `target` as (file name, bytes), deduplicated, in a stable
/// order.
pub fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = super::bodies::bills_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    let mut out: BTreeMap<Vec<u8>, String> = BTreeMap::new();
    let mut add = |name: String, bytes: Vec<u8>| {
        out.entry(bytes).or_insert(name);
    };
    match target {
        "verify_bill" | "parse_bill" => {
            for path in &files {
                let bytes = std::fs::read(path).expect("bill");
                if bytes.len() <= MAX_SEED_BILL {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    add(name, bytes);
                }
            }
            for (i, x) in xml_extras().into_iter().enumerate() {
                add(format!("extra-{i}.xml"), x);
            }
        }
        "pki_der" => {
            for (file, label) in [
                ("roots.pem", "CERTIFICATE"),
                ("intermediates.pem", "CERTIFICATE"),
                ("crls.pem", "X509 CRL"),
            ] {
                let text = std::fs::read_to_string(dir.join("trust").join(file)).expect("PEM");
                for (i, der) in pem_blocks(&text, label)
                    .expect("PEM")
                    .into_iter()
                    .enumerate()
                {
                    add(format!("{file}-{i}.der"), der);
                }
            }
            for path in &files {
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                let Ok(bytes) = std::fs::read(path) else {
                    continue;
                };
                let Ok(p) = parse::parse(&bytes, &Limits::default()) else {
                    continue;
                };
                for (j, sig) in p.signatures.iter().enumerate() {
                    if let Some(der) = b64(&sig.value) {
                        if let Ok(cms) = parse_detached(&der) {
                            for (k, c) in cms.certificates.iter().enumerate() {
                                add(format!("{stem}-sig{j}-cms-cert{k}.der"), c.der().to_vec());
                            }
                            add(format!("{stem}-sig{j}-sigvalue.der"), cms.signature.clone());
                        }
                        add(format!("{stem}-sig{j}-value.der"), der);
                    }
                    if let Some(cert) = sig
                        .key_info
                        .as_ref()
                        .and_then(|k| k.certificate.as_deref())
                        .and_then(b64)
                    {
                        add(format!("{stem}-sig{j}-keyinfo.der"), cert);
                    }
                }
            }
        }
        "capital" => {
            for path in &files {
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                let Ok(bytes) = std::fs::read(path) else {
                    continue;
                };
                if let Ok(p) = parse::parse(&bytes, &Limits::default())
                    && let Some(text) = p.bill.main.total_amount_capital
                {
                    add(format!("{stem}.txt"), text.into_bytes());
                }
            }
            for fen in [
                0i64,
                6,
                50,
                100,
                87_360,
                1_000_506,
                10_070_000,
                10_000_050_000,
                99_999_999_999_999,
                -100,
            ] {
                add(format!("spell-{fen}.txt"), capital::spell(fen).into_bytes());
            }
            for (i, text) in ["捌佰柒拾叁圆陆角整", "零元零陆分", "拾伍万元整", "壹元 整"]
                .into_iter()
                .enumerate()
            {
                add(format!("hand-{i}.txt"), text.as_bytes().to_vec());
            }
        }
        "xml_differential" => {
            // Every bill and every XML part of the corpus, and the edges.
            for path in &files {
                let bytes = std::fs::read(path).expect("bill");
                if bytes.len() <= MAX_SEED_BILL {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    add(name, bytes);
                }
            }
            for (name, bytes) in ofd_files() {
                for (part, content) in unzip(&bytes) {
                    if part.ends_with(".xml") && content.len() <= MAX_SEED_PART {
                        add(format!("{name}-{}", part.replace('/', "_")), content);
                    }
                }
            }
            for (i, x) in xml_extras().into_iter().enumerate() {
                add(format!("extra-{i}.xml"), x);
            }
            for (i, x) in [
                "<a xmlns:p=\"u\" p:b=\"&#x4E2D;\r\n\"><p:c>t<![CDATA[c\r]]>&amp;<!--x--></p:c></a>",
                "<?xml version=\"1.0\"?><?pi v?><a xml:lang=\"zh\" xmlns=\"\"/>",
            ]
            .into_iter()
            .enumerate()
            {
                add(format!("edge-{i}.xml"), x.as_bytes().to_vec());
            }
        }
        "ofd_document" => {
            for (name, bytes) in ofd_files() {
                add(name, bytes);
            }
        }
        "zip_differential" => {
            // The corpus packages, and small ones at the edges of the
            // container rules: descriptors, a prefix, a comment, the zip
            // crate's writer, and one case of each deliberate refusal.
            for (name, bytes) in ofd_files() {
                add(name, bytes);
            }
            for (i, bytes) in zip_edges().into_iter().enumerate() {
                add(format!("edge-{i}.zip"), bytes);
            }
        }
        "ofd_entry" | "render_page" => {
            // (file, part, content): every part of every base, unchanged.
            for (i, (name, bytes)) in ofd_files().iter().enumerate() {
                for (j, (part, content)) in unzip(bytes).into_iter().enumerate() {
                    if content.len() > MAX_SEED_PART {
                        continue;
                    }
                    let (Ok(i), Ok(j)) = (u8::try_from(i), u8::try_from(j)) else {
                        continue;
                    };
                    let mut seed = vec![i, j];
                    seed.extend_from_slice(&content);
                    add(format!("{name}-{}", part.replace('/', "_")), seed);
                }
            }
        }
        "ses_decode" => {
            // Every SES_Signature (SignedValue.dat, v1 and v4) of the
            // corpus, and the SESeal inside it.
            for (name, bytes) in ofd_files() {
                for (part, content) in unzip(&bytes) {
                    if !part.ends_with(".dat") {
                        continue;
                    }
                    let stem = format!("{name}-{}", part.replace('/', "_"));
                    if let Ok(sig) = ses::parse_signature(&content) {
                        add(format!("{stem}-seal.der"), sig.seal.der.to_vec());
                    }
                    add(stem, content);
                }
            }
        }
        "ecc_verify" => {
            // Mode 1 (the crates sign), both curves, both key forms: a
            // secret, no mutation, a message; and the GB/T 32918 SM2
            // example in mode 0.
            for mode in [4u8, 5, 6, 7] {
                let mut seed = vec![mode];
                seed.extend([0x42; 32]);
                seed.extend([0, 0]);
                seed.extend(b"fiscal e-bill");
                add(format!("signed-{mode}"), seed);
            }
            let example = [
                "0409F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020",
                "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13",
                "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3",
                "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA",
            ]
            .concat();
            let mut seed = vec![0u8];
            seed.extend(
                (0..example.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&example[i..i + 2], 16).expect("hex")),
            );
            seed.extend(b"message digest");
            add("sm2-example".into(), seed);
        }
        other => panic!("unknown fuzz target {other}"),
    }
    out.into_iter().map(|(bytes, name)| (name, bytes)).collect()
}
