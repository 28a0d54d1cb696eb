//! The bodies of the fuzz targets: one function per target, taking the raw
//! fuzz input. The cargo-fuzz targets in `fuzz_targets/` call them.
//!
//! Each body must not panic on any input (a panic is a finding), and checks
//! invariants that would reveal a wrong answer rather than a crash:
//!
//! - `verify_bill`: a VALID verdict only for signed octets B that the
//!   holders of the shared vectors' keys actually signed (B of a vector bill
//!   whose two signature values verified); the report serialises to JSON.
//! - `parse_bill`: the signed range is `<Header ...</EInvoiceData>` inside
//!   the input; a bill that parses under tight limits parses identically
//!   under the default ones; when the reader refuses a document for its
//!   depth or attributes, the tree `roxmltree` builds really exceeds them.
//! - `pki_der`: decoders never panic; decoded objects render and a decoded
//!   public key round-trips through its SEC1 encoding.
//! - `capital`: an accepted spelling denotes its value, and the canonical
//!   spelling of every amount in range parses back to it.
//! - `ofd_document`: `Verifier::verify` on the input as a package; the
//!   verdict and its subIndication agree (VALID exactly when there is none,
//!   also per signature), a VALID package has signatures that are all
//!   VALID, the report serialises to JSON and is the same twice.
//! - `ofd_entry`: a corpus OFD of `../shared/corpus/ofdrw` with one part
//!   replaced by the input (re-zipped, stored), through the `ofd_document`
//!   checks; and a part whose bytes changed never has a reference by
//!   absolute path reported `match` by a signature whose `Signature.xml`
//!   is untouched (that would be a digest collision: a forgery).
//! - `ses_decode`: `ses::parse_signature` and `ses::parse_seal_der` on
//!   arbitrary DER; what they return are slices of the input, nested as
//!   the structure says, and the trailing octets are the input's tail.
//!
//! - `xml_differential`: the core's own XML reader against `roxmltree`
//!   (`xml_diff`): the same documents refused, the same tree built from
//!   the others, more refused only by the reader's deliberate rules.
//! - `zip_differential`: the core's own zip reader against the `zip`
//!   crate (`zip_diff`): where both read the package, the same files with
//!   the same bytes behind the same prefix; the reader refuses more only
//!   by its deliberate rules, never less.
//! - `ecc_verify`: the core's own SM2 / ECDSA P-256 verifier
//!   (`pki::ecc` behind `PublicKey`) against the `sm2` and `p256` crates:
//!   the same verdict on keys and signatures from the input, and on
//!   signatures the crates made for a key and message from the input, once
//!   mutated by one octet (unmutated ones must verify).
//!
//! Uses `piaoyan_core`, `base64`, `roxmltree`, `serde_json`, `std`,
//! `sm2` / `p256` as the reference of `ecc_verify`, and `zip` /
//! `miniz_oxide` for `zip_differential`.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use piaoyan_core::ofd::{ses, zip};
use piaoyan_core::pki::{
    Cert, Crl, EcSignature, KeyAlgorithm, PublicKey, TrustStore, decode_signature, parse_detached,
};
use piaoyan_core::report::Report;
use piaoyan_core::report::SubIndication;
use piaoyan_core::{Limits, Verdict, Verifier, VerifyOptions, capital, options::pem_blocks};
use piaoyan_core::{parse, xml};

/// 2026-06-01T00:00:00Z, a fixed "now" so runs are reproducible.
pub const NOW: i64 = 1_780_272_000;

const ROOTS_PEM: &str = include_str!("../../../shared/vectors/bills/trust/roots.pem");
const INTERMEDIATES_PEM: &str =
    include_str!("../../../shared/vectors/bills/trust/intermediates.pem");
const CRLS_PEM: &str = include_str!("../../../shared/vectors/bills/trust/crls.pem");

/// `../shared/vectors/bills` of this checkout.
pub fn bills_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/vectors/bills"
    ))
}

/// The trust material of the shared vectors.
pub fn vector_options() -> VerifyOptions {
    let pem = |text: &str, label: &str| pem_blocks(text, label).expect("vector PEM");
    VerifyOptions {
        trust_anchors: pem(ROOTS_PEM, "CERTIFICATE"),
        certificates: pem(INTERMEDIATES_PEM, "CERTIFICATE"),
        crls: pem(CRLS_PEM, "X509 CRL"),
        now: Some(NOW),
        ..VerifyOptions::default()
    }
}

/// The vectors' trust material, decoded once.
fn options() -> &'static VerifyOptions {
    static OPTIONS: OnceLock<VerifyOptions> = OnceLock::new();
    OPTIONS.get_or_init(vector_options)
}

/// A fresh verifier: the trust store may memoise results, and a fuzz
/// execution must not depend on the ones before it.
fn verifier() -> Verifier {
    Verifier::new(options()).expect("vector trust material")
}

/// Whether a signature got past step (5) of spec §6: its value verified.
fn value_verified(sub: Option<SubIndication>) -> bool {
    !matches!(
        sub,
        Some(
            SubIndication::FormatFailure
                | SubIndication::CryptoConstraintsFailure
                | SubIndication::HashFailure
                | SubIndication::NoSigningCertificateFound
                | SubIndication::SigCryptoFailure
        )
    )
}

/// B of every vector bill whose two signature values verified: the only
/// signed octets a VALID verdict may rest on.
fn signed_octets() -> &'static HashSet<Vec<u8>> {
    static SIGNED: OnceLock<HashSet<Vec<u8>>> = OnceLock::new();
    SIGNED.get_or_init(|| {
        let verifier = verifier();
        let mut signed = HashSet::new();
        let mut files: Vec<PathBuf> = std::fs::read_dir(bills_dir())
            .expect("../shared/vectors/bills")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        for path in files {
            let bytes = std::fs::read(&path).expect("vector bill");
            let report = verifier.verify(&bytes);
            if report.signatures.len() == 2
                && report
                    .signatures
                    .iter()
                    .all(|s| value_verified(s.sub_indication))
                && let Ok(p) = parse::parse(&bytes, &Limits::default())
            {
                signed.insert(bytes[p.signed_range].to_vec());
            }
        }
        assert!(
            signed.len() > 50,
            "too few signed vector bills: {}",
            signed.len()
        );
        signed
    })
}

/// The report's JSON as the module writes it is serde_json's, and the same
/// input verified again by the same verifier gives the same JSON.
fn check_json_and_repeat(verifier: &Verifier, data: &[u8], report: &Report, same: &str) {
    let json = serde_json::to_string(report).expect("the report serialises");
    assert_eq!(
        piaoyan_core::to_json(report),
        json,
        "the module's JSON is serde_json's"
    );
    let again = serde_json::to_string(&verifier.verify(data)).expect("the report serialises");
    assert_eq!(json, again, "{same}");
}

/// Target `verify_bill`: the whole verifier with the vectors' trust
/// material, twice with the same verifier (a memoised result must be the
/// computed one), then `Verifier::parse`.
pub fn verify_bill(data: &[u8]) {
    let signed = signed_octets();
    let verifier = verifier();
    let report = verifier.verify(data);
    if report.verdict == Verdict::Valid {
        let p = parse::parse(data, &Limits::default()).expect("a VALID bill parses");
        assert!(
            signed.contains(&data[p.signed_range]),
            "VALID verdict for signed octets no vector key signed: a forgery"
        );
        assert!(report.sub_indication.is_none());
        assert_eq!(report.signatures.len(), 2);
    } else {
        assert!(
            report.sub_indication.is_some(),
            "a non-VALID report says why"
        );
    }
    check_json_and_repeat(&verifier, data, &report, "the same bill, the same report");
    let _ = verifier.parse(data);
}

/// Target `parse_bill`: the XML layer and the bill model alone (no
/// cryptography, so many more executions per second).
pub fn parse_bill(data: &[u8]) {
    let limits = Limits::default();
    if let Err(e) = xml::load(data, &limits)
        && matches!(e.check, "limits.depth" | "limits.attributes")
    {
        bound_refusal_is_right(data, e.check);
    }
    let full = parse::parse(data, &limits);
    if let Ok(p) = &full {
        let b = data
            .get(p.signed_range.clone())
            .expect("B inside the input");
        assert!(b.starts_with(b"<Header"), "B starts at <Header");
        assert!(b.ends_with(b"</EInvoiceData>"), "B ends at </EInvoiceData>");
        let _ = p.bill.key();
        let json = serde_json::to_string(&p.bill).expect("the bill serialises");
        assert_eq!(
            piaoyan_core::to_json(&p.bill),
            json,
            "the module's JSON is serde_json's"
        );
    }
    let tight = Limits {
        max_input_bytes: 64 * 1024,
        max_depth: 12,
        max_elements: 400,
        max_items: 8,
        max_text_bytes: 512,
        // the OFD bounds do not apply to a bill
        ..Limits::default()
    };
    if let Ok(t) = parse::parse(data, &tight) {
        let f = full.as_ref().expect("tighter limits cannot accept more");
        assert_eq!(t.signed_range, f.signed_range);
        assert_eq!(t.signatures, f.signatures);
    }
}

/// A fresh trust store of the vectors (see [`verifier`]).
/// When `xml::load` refuses a document for its depth or its attributes,
/// the tree `roxmltree` builds (if it is well-formed at all) must be that
/// deep or carry that many attributes and namespace declarations. Only for
/// small inputs: `roxmltree` is quadratic in the attributes of one element.
fn bound_refusal_is_right(data: &[u8], check: &str) {
    if data.len() > 16 * 1024 {
        return;
    }
    let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(text, options) else {
        return; // not well-formed: refusing it is right whatever the reason
    };
    let elements = || doc.descendants().filter(roxmltree::Node::is_element);
    match check {
        "limits.depth" => {
            let deepest = elements()
                .map(|n| n.ancestors().filter(roxmltree::Node::is_element).count())
                .max()
                .unwrap_or(0);
            assert!(
                deepest > Limits::default().max_depth,
                "refused for depth, but the tree is {deepest} deep"
            );
        }
        _ => {
            let per_element = elements()
                .map(|n| n.attributes().len() + n.namespaces().len())
                .max()
                .unwrap_or(0);
            let in_scope: usize = elements().map(|n| n.namespaces().len()).sum();
            assert!(
                per_element > xml::MAX_ATTRIBUTES_PER_ELEMENT
                    || in_scope > xml::MAX_NAMESPACE_DECLARATIONS,
                "refused for attributes, but no element has more than {per_element} \
                 attributes and namespaces, {in_scope} namespaces in scope in all"
            );
        }
    }
}

fn vector_trust() -> TrustStore {
    let o = options();
    TrustStore::from_der(&o.trust_anchors, &o.certificates, &o.crls).expect("vector trust")
}

fn exercise_cert(cert: &Cert, trust: &TrustStore) {
    let _ = (
        cert.subject_string(),
        cert.issuer_string(),
        cert.serial_hex(),
        cert.not_before(),
        cert.not_after(),
        cert.key_usage(),
        cert.is_ca(),
        cert.path_len_constraint(),
        cert.is_self_issued(),
        cert.unhandled_critical_extensions().len(),
    );
    let _ = cert.matches_issuer_serial(&cert.issuer_string(), &cert.serial_hex());
    if let Ok(key) = cert.public_key() {
        let again = PublicKey::from_sec1(key.algorithm(), &key.sec1_uncompressed())
            .expect("a decoded key re-decodes");
        assert_eq!(again, key);
    }
    for ca in trust.anchors().iter().chain(trust.store()) {
        let _ = cert.verify_issued_by(ca);
    }
    let _ = trust.build_path(cert, &[]);
}

/// Target `pki_der`: every DER decoder over the same bytes: certificate,
/// CRL, detached CMS, bare signature value, SEC1 public keys.
pub fn pki_der(data: &[u8]) {
    let trust = vector_trust();
    if let Ok(cert) = Cert::from_der(data) {
        assert_eq!(cert.der(), data);
        exercise_cert(&cert, &trust);
    }
    if let Ok(crl) = Crl::from_der(data) {
        let _ = (crl.issuer_string(), crl.this_update(), crl.next_update());
        let _ = crl.revocation_time(&piaoyan_core::pki::Serial::from_der_contents(&[1]));
        for ca in trust.store() {
            let _ = crl.verify_signed_by(ca);
        }
    }
    if let Ok(cms) = parse_detached(data) {
        let _ = cms.signer_id.describe();
        let _ = cms.signer_certificate();
        let _ = cms.signed_bytes(b"content");
        let _ = decode_signature(&cms.signature);
        for cert in &cms.certificates {
            exercise_cert(cert, &trust);
        }
    }
    if let Ok((sig, _)) = decode_signature(data) {
        for ca in trust.anchors() {
            if let Ok(key) = ca.public_key() {
                assert!(
                    key.verify(b"piaoyan fuzz", &sig).is_err(),
                    "a signature nobody made verifies"
                );
            }
        }
    }
    for alg in [KeyAlgorithm::Sm2, KeyAlgorithm::P256] {
        if let Ok(key) = PublicKey::from_sec1(alg, data) {
            let again = PublicKey::from_sec1(alg, &key.sec1_uncompressed()).expect("re-decodes");
            assert_eq!(again, key);
            let _ = key.sm2_e(b"m");
        }
    }
}

/// (key accepted, signature accepted) by the `sm2` / `p256` crates.
fn crate_verdict(alg: KeyAlgorithm, key: &[u8], msg: &[u8], sig: &EcSignature) -> (bool, bool) {
    use p256::ecdsa::signature::Verifier as _;
    match alg {
        KeyAlgorithm::Sm2 => match sm2::dsa::VerifyingKey::from_sec1_bytes("1234567812345678", key)
        {
            Ok(vk) => (
                true,
                sm2::dsa::Signature::from_scalars(sig.r, sig.s)
                    .is_ok_and(|s| vk.verify(msg, &s).is_ok()),
            ),
            Err(_) => (false, false),
        },
        KeyAlgorithm::P256 => match p256::ecdsa::VerifyingKey::from_sec1_bytes(key) {
            Ok(vk) => (
                true,
                p256::ecdsa::Signature::from_scalars(sig.r, sig.s)
                    .is_ok_and(|s| vk.verify(msg, &s).is_ok()),
            ),
            Err(_) => (false, false),
        },
    }
}

/// A key made by the crates from `secret` and their signature over `msg`:
/// (SEC1 key, compressed or not, signature); `None` for a secret ∉ [1, n-1].
fn crate_sign(
    alg: KeyAlgorithm,
    secret: &[u8],
    msg: &[u8],
    compress: bool,
) -> Option<(Vec<u8>, EcSignature)> {
    use p256::ecdsa::signature::Signer as _;
    use p256::elliptic_curve::sec1::ToSec1Point as _;
    match alg {
        KeyAlgorithm::Sm2 => {
            let k = sm2::dsa::SigningKey::from_slice("1234567812345678", secret).ok()?;
            let sig: sm2::dsa::Signature = k.sign(msg);
            let key = k
                .verifying_key()
                .to_sec1_point(compress)
                .as_bytes()
                .to_vec();
            let (r, s) = (sig.r_bytes().into(), sig.s_bytes().into());
            Some((key, EcSignature { r, s }))
        }
        KeyAlgorithm::P256 => {
            let k = p256::ecdsa::SigningKey::from_slice(secret).ok()?;
            let sig: p256::ecdsa::Signature = k.sign(msg);
            let key = k
                .verifying_key()
                .to_sec1_point(compress)
                .as_bytes()
                .to_vec();
            let (r, s) = sig.split_bytes();
            Some((
                key,
                EcSignature {
                    r: r.into(),
                    s: s.into(),
                },
            ))
        }
    }
}

/// Target `ecc_verify`. Octet 0: bit 0 the curve (SM2, P-256), bit 1 a
/// compressed key, bit 2 the mode.
///
/// - Mode 0: then the key (33 or 65 octets), r ‖ s (64), the message.
///   Ours and the crates agree on the key and on the signature.
/// - Mode 1: then a secret (32), a position and an XOR mask (1 + 1), the
///   message. The crates make the key and sign; ours verifies. The mask is
///   XORed into the octet at `position` of r ‖ s ‖ key; the verdicts agree
///   (and with a zero mask the signature verifies).
///
/// The crates also accept the non-SEC1 "compact" key form `05 ‖ x`, which
/// ours refuses: such keys are only checked to be refused.
pub fn ecc_verify(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let alg = if mode & 1 == 0 {
        KeyAlgorithm::Sm2
    } else {
        KeyAlgorithm::P256
    };
    let compress = mode & 2 != 0;
    let (key, msg, sig) = if mode & 4 == 0 {
        let key_len = if compress { 33 } else { 65 };
        if rest.len() < key_len + 64 {
            return;
        }
        let (key, rest) = rest.split_at(key_len);
        let (rs, msg) = rest.split_at(64);
        let (r, s) = rs.split_at(32);
        let sig = EcSignature {
            r: r.try_into().expect("32 octets"),
            s: s.try_into().expect("32 octets"),
        };
        (key.to_vec(), msg, sig)
    } else {
        if rest.len() < 34 {
            return;
        }
        let (secret, rest) = rest.split_at(32);
        let (position, mask, msg) = (usize::from(rest[0]), rest[1], &rest[2..]);
        let Some((mut key, mut sig)) = crate_sign(alg, secret, msg, compress) else {
            return;
        };
        let ours = PublicKey::from_sec1(alg, &key).expect("the crate's key decodes");
        assert!(
            ours.verify(msg, &sig).is_ok(),
            "the crate's signature verifies"
        );
        let position = position % (64 + key.len());
        let octet = match position {
            0..32 => &mut sig.r[position],
            32..64 => &mut sig.s[position - 32],
            _ => &mut key[position - 64],
        };
        *octet ^= mask;
        (key, msg, sig)
    };
    let ours = match PublicKey::from_sec1(alg, &key) {
        Ok(k) => (true, k.verify(msg, &sig).is_ok()),
        Err(_) => (false, false),
    };
    if key.first() == Some(&0x05) {
        assert!(!ours.0, "a compact 05 key accepted");
    } else {
        assert_eq!(ours, crate_verdict(alg, &key, msg, &sig), "verdicts differ");
    }
}

/// Amounts [`capital::parse`] accepts: below 10^12 yuan.
const CAPITAL_RANGE: i64 = 100_000_000_000_000;

/// Target `capital`: the capital-amount checker. The input is UTF-8 text;
/// its first 8 octets also give an amount whose canonical spelling must
/// parse back.
pub fn capital(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(fen) = capital::parse(text)
    {
        assert!(fen.abs() < CAPITAL_RANGE, "{text:?} parsed out of range");
        assert!(capital::spells(text, fen));
        assert_eq!(
            capital::parse(&capital::spell(fen)),
            Ok(fen),
            "canonical spelling of {fen}"
        );
        // 元 and 圆 are interchangeable.
        assert_eq!(capital::parse(&text.replace('元', "圆")), Ok(fen));
    }
    if let Some(head) = data.get(..8) {
        let mut raw = [0u8; 8];
        raw.copy_from_slice(head);
        let fen = i64::from_le_bytes(raw);
        let spelled = capital::spell(fen);
        let small = fen % CAPITAL_RANGE;
        assert_eq!(
            capital::parse(&capital::spell(small)),
            Ok(small),
            "canonical spelling of {small}"
        );
        let _ = capital::parse(&spelled);
    }
}

/// `../shared/corpus/ofdrw` of this checkout: real signed OFD files.
pub fn ofd_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/corpus/ofdrw"
    ))
}

/// OFD files larger than this are left out of the seeds and of the
/// `ofd_entry` bases (they only slow libFuzzer down).
pub const MAX_SEED_OFD: usize = 128 * 1024;

/// The corpus OFD files up to `MAX_SEED_OFD`, by name, sorted.
pub fn ofd_files() -> Vec<(String, Vec<u8>)> {
    let dir = ofd_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ofd"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let name = p.file_name()?.to_string_lossy().into_owned();
            (bytes.len() <= MAX_SEED_OFD).then_some((name, bytes))
        })
        .collect()
}

/// The parts of a zip, decompressed, in central-directory order.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let archive = zip::Archive::parse(bytes, &Limits::default()).expect("a corpus OFD");
    archive
        .entries
        .iter()
        .map(|e| (e.name.clone(), archive.read(e).expect("a corpus OFD part")))
        .collect()
}

/// A zip of `parts`, every entry stored (method 0).
pub fn zip_stored(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in parts {
        let crc = zip::crc32(data).to_le_bytes();
        let len = u32::try_from(data.len()).expect("small part").to_le_bytes();
        let name_len = u16::try_from(name.len()).expect("short name").to_le_bytes();
        let local = u32::try_from(out.len()).expect("small zip").to_le_bytes();
        // version 20, flags 0, method 0, time 0, date 0
        let common = [
            &[20, 0, 0, 0, 0, 0, 0, 0, 0, 0][..],
            &crc,
            &len,
            &len,
            &name_len,
        ];
        out.extend_from_slice(b"PK\x03\x04");
        common.iter().for_each(|f| out.extend_from_slice(f));
        out.extend_from_slice(&[0, 0]); // extra
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02\x14\x00");
        common.iter().for_each(|f| central.extend_from_slice(f));
        // extra, comment, disk, internal, external attributes
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&local);
        central.extend_from_slice(name.as_bytes());
    }
    let count = u16::try_from(parts.len()).expect("few parts").to_le_bytes();
    let cd_size = u32::try_from(central.len())
        .expect("small zip")
        .to_le_bytes();
    let cd_offset = u32::try_from(out.len()).expect("small zip").to_le_bytes();
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    for f in [&count[..], &count, &cd_size, &cd_offset, &[0, 0]] {
        out.extend_from_slice(f);
    }
    out
}

/// The checks of `ofd_document` on one report.
fn check_ofd_report(report: &Report) {
    assert_eq!(
        report.verdict == Verdict::Valid,
        report.sub_indication.is_none(),
        "VALID exactly when no subIndication: {:?} {:?}",
        report.verdict,
        report.sub_indication
    );
    if let Some(doc) = &report.document {
        for s in &doc.signatures {
            assert_eq!(
                s.verdict == Verdict::Valid,
                s.sub_indication.is_none(),
                "signature {}: {:?} {:?}",
                s.id,
                s.verdict,
                s.sub_indication
            );
        }
        if report.verdict == Verdict::Valid {
            assert!(!doc.signatures.is_empty(), "a VALID package is signed");
            assert!(doc.signatures.iter().all(|s| s.verdict == Verdict::Valid));
        }
    } else {
        assert_ne!(report.verdict, Verdict::Valid, "VALID without a document");
    }
}

/// Verifies `data` (any format) and checks the OFD invariants; returns
/// the report.
fn verify_ofd(data: &[u8]) -> Report {
    let verifier = verifier();
    let report = verifier.verify(data);
    if report.format == "ofd" {
        check_ofd_report(&report);
    }
    check_json_and_repeat(
        &verifier,
        data,
        &report,
        "the same package, the same report",
    );
    report
}

/// Target `ofd_document`: arbitrary bytes through `Verifier::verify`.
pub fn ofd_document(data: &[u8]) {
    verify_ofd(data);
}

/// The `ofd_entry` bases: every corpus OFD as its parts.
type Base = Vec<Part>;
/// One part of an OFD package: its name and content.
type Part = (String, Vec<u8>);
fn ofd_bases() -> &'static Vec<Base> {
    static BASES: OnceLock<Vec<Base>> = OnceLock::new();
    BASES.get_or_init(|| {
        let bases: Vec<Base> = ofd_files().iter().map(|(_, b)| unzip(b)).collect();
        assert!(bases.len() > 5, "too few corpus OFD files");
        bases
    })
}

/// Target `ofd_entry`: byte 0 picks a corpus OFD, byte 1 one of its parts,
/// the rest replaces that part's content.
/// `data` read as `ofd_entry` and `render_page` read it: byte 0 picks a
/// corpus OFD, byte 1 one of its parts, the rest replaces that part's
/// content. The package zipped, the part's name and original content, and
/// the new content; `None` for fewer than two bytes.
fn mutated_ofd(data: &[u8]) -> Option<(Vec<u8>, &'static Part, &[u8])> {
    let [file, part, content @ ..] = data else {
        return None;
    };
    let bases = ofd_bases();
    let base = &bases[usize::from(*file) % bases.len()];
    let index = usize::from(*part) % base.len();
    let parts: Vec<(&str, &[u8])> = base
        .iter()
        .enumerate()
        .map(|(i, (n, b))| (n.as_str(), if i == index { content } else { &b[..] }))
        .collect();
    Some((zip_stored(&parts), &base[index], content))
}

pub fn ofd_entry(data: &[u8]) {
    let Some((package, (name, original), content)) = mutated_ofd(data) else {
        return;
    };
    let report = verify_ofd(&package);
    if content == &original[..] || name.contains("Signature") {
        return;
    }
    // `name` changed, no signature file did: no absolute reference to it
    // can match its CheckValue.
    for s in report.document.iter().flat_map(|d| &d.signatures) {
        for r in &s.references {
            if r.file_ref.trim().starts_with('/')
                && piaoyan_core::ofd::package::resolve("", &r.file_ref).as_deref()
                    == Some(name.as_str())
            {
                assert_ne!(
                    r.result,
                    piaoyan_core::ofd::report::RefResult::Match,
                    "changed part /{name} matches its digest"
                );
            }
        }
    }
}

/// Target `render_page`: as `ofd_entry` (byte 0 a corpus OFD, byte 1 one
/// of its parts, the rest that part's content), drawn by the renderer:
/// never a panic; a drawing is well-formed SVG within the output bound,
/// every object marked, and its report is the verifier's own.
pub fn render_page(data: &[u8]) {
    use piaoyan_core::render::{RenderLimits, RenderOptions, render};
    let Some((package, _, _)) = mutated_ofd(data) else {
        return;
    };
    let limits = RenderLimits {
        max_objects: 20_000,
        max_path_points: 200_000,
        max_output_bytes: 16 * 1024 * 1024,
        ..RenderLimits::default()
    };
    let options = RenderOptions {
        limits,
        ..RenderOptions::default()
    };
    let verifier = verifier();
    let Ok(drawn) = render(&package, &verifier, &options) else {
        return;
    };
    assert!(!drawn.pages.is_empty(), "a drawing without pages");
    assert_eq!(
        drawn.report,
        verifier.verify(&package),
        "the drawing's report is the verifier's"
    );
    let total: usize = drawn.pages.iter().map(|p| p.svg.len()).sum();
    // The bound counts what is drawn; each page adds its <svg> element.
    assert!(total <= limits.max_output_bytes + 1024 * drawn.pages.len());
    for p in &drawn.pages {
        let doc = roxmltree::Document::parse(&p.svg).expect("well-formed SVG");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        for n in doc
            .descendants()
            .filter(|n| n.attribute("data-id").is_some())
        {
            assert!(matches!(
                n.attribute("data-signed"),
                Some("valid" | "uncovered" | "changed")
            ));
        }
    }
}

/// Target `ses_decode`: the seal decoders on arbitrary DER.
pub fn ses_decode(data: &[u8]) {
    let within = |outer: &[u8], inner: &[u8]| {
        let (o, i) = (outer.as_ptr_range(), inner.as_ptr_range());
        o.start <= i.start && i.end <= o.end
    };
    let check_seal = |seal: &ses::Seal<'_>| {
        assert!(matches!(seal.version, 1 | 4));
        assert!(within(data, seal.der));
        for inner in [seal.seal_info_der, seal.maker_cert, seal.maker_signature] {
            assert!(within(seal.der, inner));
        }
        if let Some(p) = seal.picture {
            assert!(within(seal.seal_info_der, p));
        }
    };
    if let Ok(sig) = ses::parse_signature(data) {
        assert!(matches!(sig.version, 1 | 4));
        assert!(sig.trailing <= data.len());
        let der = &data[..data.len() - sig.trailing];
        for inner in [sig.tbs_der, sig.cert, sig.signature, sig.data_hash] {
            assert!(within(der, inner));
        }
        assert!(within(sig.tbs_der, sig.seal.der));
        check_seal(&sig.seal);
        // Without its trailing octets, the same signature.
        let again = ses::parse_signature(der).expect("the DER object alone decodes");
        assert_eq!(again.trailing, 0);
        assert_eq!(again.tbs_der, sig.tbs_der);
        assert_eq!(again.signature, sig.signature);
        // The seal inside decodes on its own, identically.
        let seal = ses::parse_seal_der(sig.seal.der).expect("the inner seal decodes");
        assert_eq!(format!("{seal:?}"), format!("{:?}", sig.seal));
    }
    if let Ok(seal) = ses::parse_seal_der(data) {
        assert_eq!(seal.der, data, "one DER object, the whole input");
        check_seal(&seal);
    }
}

/// Target `xml_differential`: the input as the core reads it (after an
/// optional byte-order mark, UTF-8 only) through both XML readers.
pub fn xml_differential(data: &[u8]) {
    let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    if let Err(e) = crate::xml_diff::compare(text) {
        panic!("the XML reader and roxmltree disagree: {e}");
    }
}

/// `zip_differential`: the input as a package, read by the core's zip
/// reader and by the `zip` crate (`zip_diff`).
pub fn zip_differential(data: &[u8]) {
    if let Err(e) = crate::zip_diff::compare(data) {
        panic!("the zip reader and the zip crate disagree: {e}");
    }
}
