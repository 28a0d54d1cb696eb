//! The PKI layer against the shared bill vectors (`shared/vectors/bills`):
//! trust material, certificates and CMS from real bills, paths, CRLs; plus
//! crafted certificates (made once with OpenSSL, embedded below) for
//! backtracking, CA constraints, loops and the signature budget.

use std::path::PathBuf;

use base64::Engine as _;
use piaoyan_core::options::pem_blocks;
use piaoyan_core::pki::{
    Cert, CertError, CertSigError, CmsError, DetachedSignedData, KeyAlgorithm, PathError,
    SignatureEncoding, SignerId, TrustStore, decode_signature, oids, parse_detached,
};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/bills")
}

fn b64(text: &str) -> Vec<u8> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .expect("base64")
}

fn pem_file(name: &str, label: &str) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(vectors().join("trust").join(name)).expect("PEM file");
    pem_blocks(&text, label).expect("PEM")
}

fn trust() -> TrustStore {
    TrustStore::from_der(
        &pem_file("roots.pem", "CERTIFICATE"),
        &pem_file("intermediates.pem", "CERTIFICATE"),
        &pem_file("crls.pem", "X509 CRL"),
    )
    .expect("trust material")
}

const SM2_ROOT: &str = "CN=Piaoyan Test SM2 Root CA,O=Piaoyan Test PKI,C=CN";
const P256_ROOT: &str = "CN=Piaoyan Test P-256 Root CA,O=Piaoyan Test PKI,C=CN";
const SM2_CA: &str = "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN";
const P256_CA: &str = "CN=Piaoyan Test P-256 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN";

/// One `<Signature>` of a bill, as the orchestrator would read it.
#[derive(Debug)]
struct Sig {
    id: String,
    format: String,
    /// Unix seconds (SignatureTime is Beijing time, UTC+8).
    time: i64,
    value: Vec<u8>,
    serial: Option<String>,
    issuer: Option<String>,
    cert: Option<Vec<u8>>,
}

struct Bill {
    /// Header ... </EInvoiceData>, exact octets.
    b: Vec<u8>,
    unit: Sig,
    supervisor: Sig,
}

impl Bill {
    /// The signed message M of spec §5.1.
    fn message(&self, sig: &Sig) -> Vec<u8> {
        let mut m = self.b.clone();
        if sig.id == "Supervisor" {
            m.extend_from_slice(&self.unit.value);
        }
        m
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn beijing_time(text: &str) -> i64 {
    let n = |a: usize, b: usize| text[a..b].parse::<i64>().expect("digits");
    days_from_civil(n(0, 4), n(4, 6), n(6, 8)) * 86400
        + n(8, 10) * 3600
        + n(10, 12) * 60
        + n(12, 14)
        - 8 * 3600
}

/// Reads a bill's signatures; `None` when it is not a well-formed bill
/// (those are the parser's business).
fn load_bill(file: &str) -> Option<Bill> {
    let bytes = std::fs::read(vectors().join(file)).ok()?;
    let offset = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let text = std::str::from_utf8(&bytes[offset..]).ok()?;
    let doc = roxmltree::Document::parse(text).ok()?;
    let root = doc.root_element();
    let header = child(root, "Header")?;
    let data = child(root, "EInvoiceData")?;
    let b = bytes[offset + header.range().start..offset + data.range().end].to_vec();
    let sigs = child(root, "EInvoiceSignature")?;
    let read = |id: &str| -> Option<Sig> {
        let s = sigs
            .children()
            .find(|c| c.has_tag_name("Signature") && c.attribute("Id") == Some(id))?;
        let text = |node: Option<roxmltree::Node<'_, '_>>| {
            node.and_then(|n| n.text()).map(|t| t.trim().to_string())
        };
        let info = child(s, "SignedInfo")?;
        let key_info = child(s, "KeyInfo");
        Some(Sig {
            id: id.to_string(),
            format: text(child(info, "SignatureFormat"))?,
            time: beijing_time(&text(child(s, "SignatureTime"))?),
            value: b64(&text(child(s, "SignatureValue"))?),
            serial: key_info.and_then(|k| text(child(k, "SerialNumber"))),
            issuer: key_info.and_then(|k| text(child(k, "X509IssuerName"))),
            cert: key_info
                .and_then(|k| text(child(k, "X509Certificate")))
                .map(|t| b64(&t)),
        })
    };
    Some(Bill {
        b,
        unit: read("InvoicingParty")?,
        supervisor: read("Supervisor")?,
    })
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| c.has_tag_name(name))
}

fn bill(file: &str) -> Bill {
    load_bill(file).unwrap_or_else(|| panic!("{file} does not load"))
}

/// Where the signer certificate comes from (spec §5.3), the extra
/// certificates for path building, and the parsed CMS for DETACH.
fn signer_of(
    sig: &Sig,
    trust: &TrustStore,
) -> (Option<Cert>, Vec<Cert>, Option<DetachedSignedData>) {
    let cms = (sig.format == "DETACH").then(|| parse_detached(&sig.value).expect("CMS parses"));
    let key_info_cert = sig
        .cert
        .as_ref()
        .map(|der| Cert::from_der(der).expect("KeyInfo cert"));
    let mut extra: Vec<Cert> = cms.iter().flat_map(|c| c.certificates.clone()).collect();
    extra.extend(key_info_cert.clone());
    let signer = cms
        .as_ref()
        .and_then(|c| c.signer_certificate().cloned())
        .or(key_info_cert)
        .or_else(|| match (&sig.issuer, &sig.serial) {
            (Some(i), Some(s)) => trust.find_by_issuer_serial(i, s).cloned(),
            _ => None,
        });
    (signer, extra, cms)
}

/// Checks the signature value itself (digest, then signature) with the
/// signer's key. `Err` says which step failed.
fn check_value(
    sig: &Sig,
    msg: &[u8],
    signer: &Cert,
    cms: Option<&DetachedSignedData>,
) -> Result<(), String> {
    let key = signer.public_key().map_err(|e| format!("key: {e}"))?;
    match cms {
        None => {
            let (ec, _) = decode_signature(&sig.value).map_err(|e| format!("decode: {e}"))?;
            key.verify(msg, &ec).map_err(|e| format!("verify: {e}"))
        }
        Some(cms) => {
            if let Some(md) = &cms.message_digest
                && cms.digest_algorithm.digest(msg) != *md
            {
                return Err("messageDigest".into());
            }
            let (ec, _) = decode_signature(&cms.signature).map_err(|e| format!("decode: {e}"))?;
            key.verify(cms.signed_bytes(msg), &ec)
                .map_err(|e| format!("verify: {e}"))
        }
    }
}

fn manifest() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(vectors().join("manifest.json")).expect("manifest");
    serde_json::from_str(&text).expect("manifest JSON")
}

fn anchor_subject(path: &[Cert]) -> String {
    path.last().expect("non-empty path").subject_string()
}

#[test]
fn trust_material_parses_and_chains() {
    let trust = trust();
    assert_eq!(trust.anchors().len(), 2);
    assert_eq!(trust.store().len(), 2);
    assert_eq!(trust.crls().len(), 2);
    let subjects: Vec<String> = trust.anchors().iter().map(Cert::subject_string).collect();
    assert_eq!(subjects, [SM2_ROOT, P256_ROOT]);
    for root in trust.anchors() {
        assert_eq!(root.subject_string(), root.issuer_string());
        assert_eq!(root.is_ca(), Some(true));
        assert!(root.key_usage().is_some_and(|ku| ku.key_cert_sign));
        root.verify_issued_by(root)
            .expect("self-signed root verifies");
        // An anchor as signer is a path of one.
        assert_eq!(trust.build_path(root, &[]).unwrap().len(), 1);
    }
    let (sm2_root, p256_root) = (&trust.anchors()[0], &trust.anchors()[1]);
    assert_eq!(
        sm2_root.public_key().unwrap().algorithm(),
        KeyAlgorithm::Sm2
    );
    assert_eq!(
        p256_root.public_key().unwrap().algorithm(),
        KeyAlgorithm::P256
    );
    for ca in trust.store() {
        assert_eq!(ca.is_ca(), Some(true));
        assert_eq!(ca.path_len_constraint(), Some(0));
        let path = trust.build_path(ca, &[]).expect("issuing CA chains");
        assert_eq!(path.len(), 2);
    }
    let (sm2_ca, p256_ca) = (&trust.store()[0], &trust.store()[1]);
    assert_eq!(sm2_ca.subject_string(), SM2_CA);
    assert_eq!(p256_ca.subject_string(), P256_CA);
    assert_eq!(sm2_ca.serial_hex(), "3173bd5840a935f24b7776096b99b081");
    // Wrong issuer: algorithm mismatch, or a bad signature.
    assert!(matches!(
        sm2_ca.verify_issued_by(p256_root),
        Err(CertSigError::AlgorithmMismatch(_))
    ));
    assert!(matches!(
        sm2_ca.verify_issued_by(sm2_ca),
        Err(CertSigError::Invalid(_))
    ));

    for crl in trust.crls() {
        let issuer = trust
            .store()
            .iter()
            .find(|c| c.subject_der() == crl.issuer_der())
            .expect("the CRL's issuer is an issuing CA");
        crl.verify_signed_by(issuer).expect("CRL signature");
        let other = trust.store().iter().find(|c| *c != issuer).unwrap();
        assert!(matches!(
            crl.verify_signed_by(other),
            Err(CertSigError::AlgorithmMismatch(_))
        ));
        assert!(crl.revoked_count() >= 1, "{crl:?}");
        assert!(crl.this_update() > 1_600_000_000);
        println!("{crl:?}");
    }
}

#[test]
fn sm2_and_p256_paths_from_bills() {
    let trust = trust();
    // bill-0001: unit SM2 RAW-RS with a KeyInfo certificate; supervisor SM2
    // DETACH with GB/T 35275 OIDs and CMS certificates signer + intermediate.
    let b1 = bill("bill-0001.xml");
    let (signer, extra, cms) = signer_of(&b1.unit, &trust);
    let signer = signer.expect("unit certificate");
    assert!(cms.is_none());
    assert_eq!(signer.public_key().unwrap().algorithm(), KeyAlgorithm::Sm2);
    assert_eq!(signer.issuer_string(), SM2_CA);
    assert_eq!(
        signer.subject_attribute_values(oids::AT_SERIAL_NUMBER),
        ["812415869"]
    );
    assert!(signer.matches_issuer_serial(
        b1.unit.issuer.as_deref().unwrap(),
        b1.unit.serial.as_deref().unwrap()
    ));
    let ku = signer.key_usage().unwrap();
    assert!(ku.digital_signature && ku.non_repudiation && !ku.key_cert_sign);
    assert_eq!(signer.is_ca(), Some(false));
    check_value(&b1.unit, &b1.message(&b1.unit), &signer, None).unwrap();
    assert_eq!(
        decode_signature(&b1.unit.value).unwrap().1,
        SignatureEncoding::RawRs
    );
    let path = trust.build_path(&signer, &extra).expect("SM2 path");
    assert_eq!(path.len(), 3);
    assert_eq!(path[1].subject_string(), SM2_CA);
    assert_eq!(anchor_subject(&path), SM2_ROOT);

    let (signer, extra, cms) = signer_of(&b1.supervisor, &trust);
    let cms = cms.unwrap();
    assert_eq!(cms.certificates.len(), 2);
    assert!(cms.signed_attrs_der.is_none() && cms.message_digest.is_none());
    assert_eq!(
        cms.signature_algorithm_oid.to_string(),
        "1.2.156.10197.1.301.1"
    );
    assert_eq!(cms.trailing_octets, 0);
    assert!(matches!(cms.signer_id, SignerId::IssuerAndSerial { .. }));
    let signer = signer.expect("supervisor certificate from the CMS");
    assert_eq!(
        signer.subject_attribute_values(oids::AT_SERIAL_NUMBER),
        ["440300"]
    );
    check_value(
        &b1.supervisor,
        &b1.message(&b1.supervisor),
        &signer,
        Some(&cms),
    )
    .unwrap();
    let path = trust
        .build_path(&signer, &extra)
        .expect("SM2 path from CMS certs");
    assert_eq!(path.len(), 3);
    assert_eq!(anchor_subject(&path), SM2_ROOT);
    // Without the CMS certificates the host store supplies the intermediate.
    assert_eq!(trust.build_path(&signer, &[]).unwrap().len(), 3);

    // bill-0002: P-256 RAW-RS and RAW-DER with KeyInfo certificates.
    let b2 = bill("bill-0002.xml");
    for sig in [&b2.unit, &b2.supervisor] {
        let (signer, extra, _) = signer_of(sig, &trust);
        let signer = signer.unwrap();
        assert_eq!(signer.public_key().unwrap().algorithm(), KeyAlgorithm::P256);
        check_value(sig, &b2.message(sig), &signer, None).unwrap();
        let path = trust.build_path(&signer, &extra).expect("P-256 path");
        assert_eq!(path.len(), 3);
        assert_eq!(path[1].subject_string(), P256_CA);
        assert_eq!(anchor_subject(&path), P256_ROOT);
    }
    assert_eq!(
        decode_signature(&b2.supervisor.value).unwrap().1,
        SignatureEncoding::Der
    );
}

#[test]
fn revocation_from_host_crls() {
    let trust = trust();
    // (file, revoked before signing?) for the unit certificate.
    for (file, before) in [
        ("bill-0060.xml", Some(true)),
        ("bill-0096.xml", Some(true)),
        ("bill-0054.xml", Some(false)),
        ("bill-0108.xml", Some(false)),
        ("bill-0001.xml", None),
        ("bill-0002.xml", None),
    ] {
        let b = bill(file);
        let (signer, extra, _) = signer_of(&b.unit, &trust);
        let signer = signer.unwrap();
        let path = trust.build_path(&signer, &extra).unwrap();
        let revoked = trust.revocation_time(&signer, &path[1]);
        match before {
            None => assert_eq!(revoked, None, "{file}"),
            Some(before) => {
                let t = revoked.unwrap_or_else(|| panic!("{file}: not listed as revoked"));
                assert_eq!(
                    t <= b.unit.time,
                    before,
                    "{file}: revoked {t}, signed {}",
                    b.unit.time
                );
            }
        }
        // The issuing CA itself is not revoked by its root (no root CRL), and
        // a CRL never applies with the wrong issuer.
        assert_eq!(trust.revocation_time(&path[1], &path[2]), None);
        assert_eq!(trust.revocation_time(&signer, &path[2]), None);
    }
}

#[test]
fn untrusted_roots_give_no_path() {
    let trust = trust();
    for file in ["bill-0029.xml", "bill-0049.xml"] {
        let b = bill(file);
        let (signer, extra, cms) = signer_of(&b.unit, &trust);
        let signer = signer.unwrap();
        check_value(&b.unit, &b.message(&b.unit), &signer, cms.as_ref()).unwrap();
        match trust.build_path(&signer, &extra) {
            Err(PathError::NoPath(why)) => {
                println!("{file}: {why}");
                assert!(why.contains("Untrusted"), "{why}");
            }
            other => panic!("{file}: {other:?}"),
        }
    }
}

#[test]
fn keyinfo_issuer_matching_variations() {
    let b = bill("bill-0001.xml");
    let cert = Cert::from_der(b.unit.cert.as_ref().unwrap()).unwrap();
    let serial = "4bb20c57c96dc51dd7bae0645c39d259";
    assert_eq!(cert.serial_hex(), serial);
    for issuer in [
        SM2_CA,
        "C=CN,O=Piaoyan Test PKI,OU=Fiscal E-Bill,CN=Piaoyan Test SM2 Issuing CA",
        "CN = Piaoyan Test SM2 Issuing CA , OU = Fiscal E-Bill , O = Piaoyan Test PKI , C = CN",
        "cn=PIAOYAN TEST SM2 ISSUING CA,ou=fiscal e-bill,o=piaoyan test pki,c=cn",
        "CN=Piaoyan Test SM2 Issuing CA+OU=Fiscal E-Bill,O=Piaoyan Test PKI;C=CN",
        "CN=Piaoyan\\20Test SM2 Issuing CA,OU=Fiscal E\\-Bill,O=Piaoyan Test PKI,C=CN",
        "2.5.4.3=Piaoyan Test SM2 Issuing CA,2.5.4.11=Fiscal E-Bill,2.5.4.10=Piaoyan Test PKI,2.5.4.6=#1302434e",
    ] {
        assert!(cert.matches_issuer_serial(issuer, serial), "{issuer}");
        assert!(cert.matches_issuer_serial(issuer, "004BB20C57C96DC51DD7BAE0645C39D259"));
        assert!(!cert.matches_issuer_serial(issuer, "4bb20c57c96dc51dd7bae0645c39d258"));
    }
    for issuer in [
        "CN=Piaoyan Test SM2 Issuing CA,O=Piaoyan Test PKI,C=CN",
        "CN=Piaoyan Test SM2 Root CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN",
        "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN,C=CN\\",
        "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN,ST=Beijing",
        "Piaoyan Test SM2 Issuing CA",
    ] {
        assert!(!cert.matches_issuer_serial(issuer, serial), "{issuer}");
    }
    assert!(!cert.matches_issuer_serial(SM2_CA, "not hex"));
    // A Chinese subject, shown as text, RDNs last to first.
    assert_eq!(
        cert.subject_string(),
        "serialNumber=812415869,CN=深圳市第三人民医院,O=深圳市第三人民医院,C=CN"
    );
}

#[test]
fn every_valid_bill_verifies_and_chains() {
    let trust = trust();
    let mut checked = 0;
    for entry in manifest() {
        if entry["expect"]["verdict"] != "VALID" {
            continue;
        }
        let file = entry["file"].as_str().unwrap();
        let b = bill(file);
        for sig in [&b.unit, &b.supervisor] {
            let (signer, extra, cms) = signer_of(sig, &trust);
            let signer = signer.unwrap_or_else(|| panic!("{file} {}: no signer", sig.id));
            if let (Some(i), Some(s)) = (&sig.issuer, &sig.serial) {
                assert!(
                    signer.matches_issuer_serial(i, s),
                    "{file} {}: KeyInfo",
                    sig.id
                );
            }
            check_value(sig, &b.message(sig), &signer, cms.as_ref())
                .unwrap_or_else(|e| panic!("{file} {}: {e}", sig.id));
            let path = trust
                .build_path(&signer, &extra)
                .unwrap_or_else(|e| panic!("{file} {}: {e}", sig.id));
            assert_eq!(path.len(), 3, "{file}");
            for pair in path.windows(2) {
                assert_eq!(pair[0].issuer_string(), pair[1].subject_string());
            }
            if let Some(t) = trust.revocation_time(&signer, &path[1]) {
                assert!(t > sig.time, "{file}: revoked before signing");
            }
            checked += 1;
        }
    }
    println!("{checked} signatures of VALID bills verified and chained");
    assert!(checked >= 100);
}

#[test]
fn tampered_bills_fail_cryptographically() {
    let trust = trust();
    let mut checked = 0;
    for entry in manifest() {
        let sub = entry["expect"]["subIndication"].as_str().unwrap_or("");
        if sub != "HASH_FAILURE" && sub != "SIG_CRYPTO_FAILURE" {
            continue;
        }
        let file = entry["file"].as_str().unwrap();
        let Some(b) = load_bill(file) else { continue };
        let failures: Vec<String> = [&b.unit, &b.supervisor]
            .into_iter()
            .filter_map(|sig| {
                let (signer, _, cms) = signer_of(sig, &trust);
                check_value(sig, &b.message(sig), &signer?, cms.as_ref()).err()
            })
            .collect();
        assert!(!failures.is_empty(), "{file}: every signature verified");
        if sub == "HASH_FAILURE" {
            assert!(
                failures.iter().any(|f| f == "messageDigest"),
                "{file}: {failures:?}"
            );
        }
        checked += 1;
    }
    println!("{checked} tampered bills rejected");
    assert!(checked >= 10);
}

fn supervisor_cms_of_bill_0001() -> Vec<u8> {
    bill("bill-0001.xml").supervisor.value
}

fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = haystack.to_vec();
    let mut i = 0;
    let mut n = 0;
    while i + from.len() <= out.len() {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            n += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    assert!(n > 0, "pattern not found");
    out
}

#[test]
fn cms_structure_errors() {
    let good = supervisor_cms_of_bill_0001();
    assert!(parse_detached(&good).is_ok());

    let mut trailing = good.clone();
    trailing.extend([0, 0]);
    assert_eq!(parse_detached(&trailing).unwrap().trailing_octets, 2);

    for cut in [0, 1, 2, 10, good.len() / 2, good.len() - 1] {
        assert!(
            matches!(parse_detached(&good[..cut]), Err(CmsError::Format(_))),
            "cut at {cut}"
        );
    }
    // contentType: GB/T 35275 signedData (…6.1.4.2.2) -> envelopedData (…6.1.4.2.3).
    let gm_signed = [0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x06, 0x01, 0x04, 0x02, 0x02];
    let gm_envel = [0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x06, 0x01, 0x04, 0x02, 0x03];
    assert!(matches!(
        parse_detached(&replace_all(&good, &gm_signed, &gm_envel)),
        Err(CmsError::Format(_))
    ));
    // eContentType data (…2.1) -> something else (…2.4).
    let gm_data = [
        0x06, 0x0A, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x06, 0x01, 0x04, 0x02, 0x01,
    ];
    let gm_other = [
        0x06, 0x0A, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x06, 0x01, 0x04, 0x02, 0x04,
    ];
    assert!(matches!(
        parse_detached(&replace_all(&good, &gm_data, &gm_other)),
        Err(CmsError::Format(_))
    ));
    // Digest SM3 (1.2.156.10197.1.401) -> 1.2.156.10197.1.402: unsupported.
    let sm3 = [0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x83, 0x11];
    let sm3x = [0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x83, 0x12];
    assert!(matches!(
        parse_detached(&replace_all(&good, &sm3, &sm3x)),
        Err(CmsError::Unsupported(_))
    ));
    // Signature algorithm 1.2.156.10197.1.301.1 -> 1.2.156.10197.1.301.2.
    let sm2sign = [
        0x06, 0x09, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D, 0x01,
    ];
    let sm2enc = [
        0x06, 0x09, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D, 0x02,
    ];
    assert!(matches!(
        parse_detached(&replace_all(&good, &sm2sign, &sm2enc)),
        Err(CmsError::Unsupported(_))
    ));
    // Not a CMS at all.
    assert!(matches!(
        parse_detached(&bill("bill-0001.xml").unit.value),
        Err(CmsError::Format(_))
    ));
}

#[test]
fn cms_with_signed_attributes() {
    // bill-0049 supervisor: PKCS#7 OIDs, signedAttrs, CMS signer certificate.
    let b = bill("bill-0049.xml");
    let cms = parse_detached(&b.supervisor.value).unwrap();
    let attrs = cms.signed_attrs_der.as_ref().expect("signedAttrs");
    assert_eq!(attrs[0], 0x31, "re-tagged as SET OF");
    assert!(
        b.supervisor
            .value
            .windows(attrs.len() - 1)
            .any(|w| w == &attrs[1..])
    );
    let md = cms.message_digest.as_ref().expect("messageDigest");
    assert_eq!(*md, cms.digest_algorithm.digest(&b.message(&b.supervisor)));
    assert_eq!(cms.signed_bytes(b"ignored"), attrs.as_slice());
    assert_eq!(cms.certificates.len(), 1);
    assert!(cms.signer_certificate().is_some());
}

// Crafted P-256 certificates (OpenSSL, ecdsa-with-SHA256):
// - R: root "CN=Crafted Root"; Igood / Inotca / Inoku / Icrit: "CN=Crafted CA"
//   with one key, issued by R: CA / cA FALSE / CA without keyCertSign / CA
//   with a critical nameConstraints; Leaf: issued by that key.
// - P0: CA with pathlen 0 under R; P1: CA under P0; PLeaf under P1.
// - LoopA "CN=Loop A" issued by "CN=Loop B" and LoopB "CN=Loop B" issued by
//   "CN=Loop A", each signed by the other's key; LoopLeaf under Loop A.
// - Mesh1..5: "CN=Mesh CA" issued by "CN=Mesh CA", all one key (each
//   verifies every other); MeshLeaf under it.
// - V1: an X.509 v1 certificate.

const R: &str = "MIIBkzCCATmgAwIBAgIUWFl+xE/N3M65U4qKe9SITDx1DEkwCgYIKoZIzj0EAwIwFzEVMBMGA1UEAwwMQ3JhZnRlZCBSb290MB4XDTI2MTEyNzA3NDAxM1oXDTM2MTEyNDA3NDAxM1owFzEVMBMGA1UEAwwMQ3JhZnRlZCBSb290MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE6IJgZqOk11/yocMVr+PNQtjkWB+QNFBgz8zOKaMXgi4QUb7/vfgVMNT8ysGa+aCMU2t3XEa0g81vyW/jhPM6cKNjMGEwHQYDVR0OBBYEFLOwn1vPn6mKcPwcPy0YSbNRZpP2MB8GA1UdIwQYMBaAFLOwn1vPn6mKcPwcPy0YSbNRZpP2MA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMCA0gAMEUCIE+YuAXEKgCmg+ZX8L+QQ40dNB7gb6M+3NdXhoFaUYYyAiEAjdIwAsiLm+K10lrdbSrDsffOsjGC8DTdtRaDuwnit1Y=";
const IGOOD: &str = "MIIBfjCCASSgAwIBAgIBDDAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAxDcmFmdGVkIFJvb3QwHhcNMjYxMTI3MDc0MDEzWhcNMzYxMTI0MDc0MDEzWjAVMRMwEQYDVQQDDApDcmFmdGVkIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEayOa2JQVbrE+bne9OGLDLlIL7uaHYilU41dZ791UK/0irfvK4b10CiMDoRWAYOeCRsYX3mLQ+MBnwUpmQ+VZO6NjMGEwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFOMiHw2E8vgSN0FTSTeGq9sDiWpKMB8GA1UdIwQYMBaAFLOwn1vPn6mKcPwcPy0YSbNRZpP2MAoGCCqGSM49BAMCA0gAMEUCIQCJ1RU6pDOm2x+nZI/9QYl3odOJsCmy8gAWcFW6ht/WkwIgF16Lnlk3eRuJsT6kzQJQU5VP0cBekm4IolppBt0gw4k=";
const INOTCA: &str = "MIIBezCCASGgAwIBAgIBCzAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAxDcmFmdGVkIFJvb3QwHhcNMjYxMTI3MDc0MDEzWhcNMzYxMTI0MDc0MDEzWjAVMRMwEQYDVQQDDApDcmFmdGVkIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEayOa2JQVbrE+bne9OGLDLlIL7uaHYilU41dZ791UK/0irfvK4b10CiMDoRWAYOeCRsYX3mLQ+MBnwUpmQ+VZO6NgMF4wDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwHQYDVR0OBBYEFOMiHw2E8vgSN0FTSTeGq9sDiWpKMB8GA1UdIwQYMBaAFLOwn1vPn6mKcPwcPy0YSbNRZpP2MAoGCCqGSM49BAMCA0gAMEUCIA7F2yLdRTXik6KpZhLsPXNxcP5VDiifQHWkjZhUgAZ2AiEA7v1Ob3pdPilUksqjD2hh7MDqE1a3yD3z0xYf8XbO1n0=";
const INOKU: &str = "MIIBfjCCASSgAwIBAgIBDTAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAxDcmFmdGVkIFJvb3QwHhcNMjYxMTI3MDc0MDEzWhcNMzYxMTI0MDc0MDEzWjAVMRMwEQYDVQQDDApDcmFmdGVkIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEayOa2JQVbrE+bne9OGLDLlIL7uaHYilU41dZ791UK/0irfvK4b10CiMDoRWAYOeCRsYX3mLQ+MBnwUpmQ+VZO6NjMGEwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCB4AwHQYDVR0OBBYEFOMiHw2E8vgSN0FTSTeGq9sDiWpKMB8GA1UdIwQYMBaAFLOwn1vPn6mKcPwcPy0YSbNRZpP2MAoGCCqGSM49BAMCA0gAMEUCIQDdFtLsNNNEIcgUU6lwPLhfk6nNtK76BADwT1JuHbLUegIgVm5svpAXzXcpyW1CAPxDwBKL6/lmNTDKVP7mewU2vP4=";
const ICRIT: &str = "MIIBnzCCAUWgAwIBAgIBDjAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAxDcmFmdGVkIFJvb3QwHhcNMjYxMTI3MDc0MDEzWhcNMzYxMTI0MDc0MDEzWjAVMRMwEQYDVQQDDApDcmFmdGVkIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEayOa2JQVbrE+bne9OGLDLlIL7uaHYilU41dZ791UK/0irfvK4b10CiMDoRWAYOeCRsYX3mLQ+MBnwUpmQ+VZO6OBgzCBgDAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwICBDAdBgNVHR4BAf8EEzARoA8wDYILZXhhbXBsZS5jb20wHQYDVR0OBBYEFOMiHw2E8vgSN0FTSTeGq9sDiWpKMB8GA1UdIwQYMBaAFLOwn1vPn6mKcPwcPy0YSbNRZpP2MAoGCCqGSM49BAMCA0gAMEUCIB+YgPbUEJl1O2ajUFKt8QPaTKYgwXjQ6Tc2L/i6aoQjAiEA8uQiVWIoqH3eCmiFikTe8wv25WJScLE7M3B8t+YoP/E=";
const LEAF: &str = "MIIBezCCASGgAwIBAgIBFTAKBggqhkjOPQQDAjAVMRMwEQYDVQQDDApDcmFmdGVkIENBMB4XDTI2MTEyNzA3NDAxM1oXDTM2MTEyNDA3NDAxM1owFzEVMBMGA1UEAwwMQ3JhZnRlZCBMZWFmMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7G9z5jUkxPkyH9sNC07yKxoqW/CmSj/GbjeTixk0VDmIqSrmXba1JhOxrzYgFFiZP5ZHZQLo9lBfu63/EkSV/6NgMF4wDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCBsAwHQYDVR0OBBYEFMdEEek8bhaKp6hiFLIaNj49JMtvMB8GA1UdIwQYMBaAFOMiHw2E8vgSN0FTSTeGq9sDiWpKMAoGCCqGSM49BAMCA0gAMEUCIQDSiSAM7biU1+9MqcrUsoo0Ll+4P2Dr6FHiN1TZUUApkAIgAO8iyfMcc8MZxdTOgkOCoTBO0MhsIQ83cRBzAti+3vc=";
const P0: &str = "MIIBiTCCATCgAwIBAgIBHzAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAxDcmFmdGVkIFJvb3QwHhcNMjYxMTI3MDc0MDEzWhcNMzYxMTI0MDc0MDEzWjAeMRwwGgYDVQQDDBNDcmFmdGVkIFBhdGhsZW4wIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7AtubaVDKWtvbBZccqyR+TAt37xWbm0W/Wa/LuYmdJN4fI/eXVS5u3gDwOWKtquT08IYNE2YyOeLCWrE06W00qNmMGQwEgYDVR0TAQH/BAgwBgEB/wIBADAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFOlA9jlZvMoykpG6dIhWJLrj1zdVMB8GA1UdIwQYMBaAFLOwn1vPn6mKcPwcPy0YSbNRZpP2MAoGCCqGSM49BAMCA0cAMEQCIDgbvZwHNYhVuYOOYtDlhYfS0F/B1hH2JN89/6cn4ZIyAiACx+vmdetvVwxTxLpbbgW4YSE2t/O583REog/a1FGr/Q==";
const P1: &str = "MIIBiDCCAS+gAwIBAgIBIDAKBggqhkjOPQQDAjAeMRwwGgYDVQQDDBNDcmFmdGVkIFBhdGhsZW4wIENBMB4XDTI2MTEyNzA3NDAxM1oXDTM2MTEyNDA3NDAxM1owGTEXMBUGA1UEAwwOQ3JhZnRlZCBTdWIgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAR1OAlO1KXwDguis3d6zAHiTEdCSrDoiKhwn4orP3bTYttPRuv2SFEA65T15f0P2jiqs/C14PCeYF0ifwZyvOz1o2MwYTAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUOHyxsZbEb42/m8FbWLWS8qY7h6wwHwYDVR0jBBgwFoAU6UD2OVm8yjKSkbp0iFYkuuPXN1UwCgYIKoZIzj0EAwIDRwAwRAIgMuW77dSnSe8Q10gukgD0AncJRZmwfnsHAInDfa4EOmYCIFNFY1fPhsZKHbUL/srYTug+AxWqwVBfcAhU4ghYxult";
const P_LEAF: &str = "MIIBhDCCASqgAwIBAgIBITAKBggqhkjOPQQDAjAZMRcwFQYDVQQDDA5DcmFmdGVkIFN1YiBDQTAeFw0yNjExMjcwNzQwMTNaFw0zNjExMjQwNzQwMTNaMBwxGjAYBgNVBAMMEUNyYWZ0ZWQgRGVlcCBMZWFmMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7G9z5jUkxPkyH9sNC07yKxoqW/CmSj/GbjeTixk0VDmIqSrmXba1JhOxrzYgFFiZP5ZHZQLo9lBfu63/EkSV/6NgMF4wDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCBsAwHQYDVR0OBBYEFMdEEek8bhaKp6hiFLIaNj49JMtvMB8GA1UdIwQYMBaAFDh8sbGWxG+Nv5vBW1i1kvKmO4esMAoGCCqGSM49BAMCA0gAMEUCIQCWvtuZfhrXnSPV/77QZ7G1qPwb5P8Feo/fyrq9PcJVKQIgdQL4Ruf+bkT3O9hLsvFx/8MRVwSsB/ZSOYHekIG1wxI=";
const LOOP_A: &str = "MIIBczCCARqgAwIBAgIBKTAKBggqhkjOPQQDAjARMQ8wDQYDVQQDDAZMb29wIEIwHhcNMjYxMTI3MDc0MDEzWhcNMzYxMTI0MDc0MDEzWjARMQ8wDQYDVQQDDAZMb29wIEEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAR8Mgivhq12qfR1ZQK0bheXJZAMBEq/f9WG8ADLwSECtr9mSEVmy5EjEAhqX6n/vJHTKPh2UA3r+4uum0evFNAUo2MwYTAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUO8u4XwdbL+EvUaF8QHkeyf7gcrYwHwYDVR0jBBgwFoAUGhpHNW+p8NmkiSuvpLwmP/zUaqYwCgYIKoZIzj0EAwIDRwAwRAIgJ+FXf859f9K3vZcQCyzAqOmPBHj4WZvAVVe048miRFMCIDyjIe220H1BjKe7YOb830lGMS4qw0wl3JrAE8+2Nw31";
const LOOP_B: &str = "MIIBdDCCARqgAwIBAgIBKjAKBggqhkjOPQQDAjARMQ8wDQYDVQQDDAZMb29wIEEwHhcNMjYxMTI3MDc0MDEzWhcNMzYxMTI0MDc0MDEzWjARMQ8wDQYDVQQDDAZMb29wIEIwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAS9qnHN5sPFmxGW+HZ2fFAsrvIPzqZx2W8fE+zCS7YwAfHB13lR/KcPe0DcKbV8PVJlSxOXRWK329v1ebLrcKfwo2MwYTAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUGhpHNW+p8NmkiSuvpLwmP/zUaqYwHwYDVR0jBBgwFoAUO8u4XwdbL+EvUaF8QHkeyf7gcrYwCgYIKoZIzj0EAwIDSAAwRQIgZ/H46uzOdLUWryB8a38XWkoPx6DcuVJ4cQLXyjOAV8ICIQD6fvooCs95Yx843davZuvefwFR3OUJjb3h5ANle0AyGg==";
const LOOP_LEAF: &str = "MIIBdDCCARqgAwIBAgIBKzAKBggqhkjOPQQDAjARMQ8wDQYDVQQDDAZMb29wIEEwHhcNMjYxMTI3MDc0MDE0WhcNMzYxMTI0MDc0MDE0WjAUMRIwEAYDVQQDDAlMb29wIExlYWYwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATsb3PmNSTE+TIf2w0LTvIrGipb8KZKP8ZuN5OLGTRUOYipKuZdtrUmE7GvNiAUWJk/lkdlAuj2UF+7rf8SRJX/o2AwXjAMBgNVHRMBAf8EAjAAMA4GA1UdDwEB/wQEAwIGwDAdBgNVHQ4EFgQUx0QR6TxuFoqnqGIUsho2Pj0ky28wHwYDVR0jBBgwFoAUO8u4XwdbL+EvUaF8QHkeyf7gcrYwCgYIKoZIzj0EAwIDSAAwRQIgS9A4O3ytogrGt2YEerjhh96srY38XaHMlh2O7RJxAnECIQDTWNXjX7sH4ryHbQS1MXritEzM3DVlveTLkA2eiHlRdg==";
const MESH1: &str = "MIIBVDCB+6ADAgECAgEzMAoGCCqGSM49BAMCMBIxEDAOBgNVBAMMB01lc2ggQ0EwHhcNMjYxMTI3MDc0MDE0WhcNMzYxMTI0MDc0MDE0WjASMRAwDgYDVQQDDAdNZXNoIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+isDVyVSwNwus7HMV50zeZ8toEnnb3F7f++x2T3oInjx1PbKyuneUZnMs7CzYstGfSA+6s3pZ04m5iDdz/LoGaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFJFIGgmhu+U0+ujxIsjXfRstdzMzMAoGCCqGSM49BAMCA0gAMEUCIEncB1ygJNICeqtB5PLKGVdvYRce4ifjxsrR2LjZ58KdAiEAgwvTtFmV1cvZHOgVTCuSiQNfeh+twbcAAzqV4my/opc=";
const MESH2: &str = "MIIBUzCB+6ADAgECAgE0MAoGCCqGSM49BAMCMBIxEDAOBgNVBAMMB01lc2ggQ0EwHhcNMjYxMTI3MDc0MDE0WhcNMzYxMTI0MDc0MDE0WjASMRAwDgYDVQQDDAdNZXNoIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+isDVyVSwNwus7HMV50zeZ8toEnnb3F7f++x2T3oInjx1PbKyuneUZnMs7CzYstGfSA+6s3pZ04m5iDdz/LoGaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFJFIGgmhu+U0+ujxIsjXfRstdzMzMAoGCCqGSM49BAMCA0cAMEQCIDNfwaJ9bPkwIR7OwZEMTD+SEMrE1107QgjXAaj0lNPPAiBoCl/LbAZHSsQDb6p8UNIJHLlt5w9un5LwshZ8N2oB7g==";
const MESH3: &str = "MIIBUzCB+6ADAgECAgE1MAoGCCqGSM49BAMCMBIxEDAOBgNVBAMMB01lc2ggQ0EwHhcNMjYxMTI3MDc0MDE0WhcNMzYxMTI0MDc0MDE0WjASMRAwDgYDVQQDDAdNZXNoIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+isDVyVSwNwus7HMV50zeZ8toEnnb3F7f++x2T3oInjx1PbKyuneUZnMs7CzYstGfSA+6s3pZ04m5iDdz/LoGaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFJFIGgmhu+U0+ujxIsjXfRstdzMzMAoGCCqGSM49BAMCA0cAMEQCIEsQMO+tkNRSEz42tIU5wAhi8HYyuOTmCbrVSuT9Imh8AiBX/iBRtpfDyMMmzHK46ZS+JOV1+Q9XHhIQhgfHuHsUXw==";
const MESH4: &str = "MIIBVTCB+6ADAgECAgE2MAoGCCqGSM49BAMCMBIxEDAOBgNVBAMMB01lc2ggQ0EwHhcNMjYxMTI3MDc0MDE0WhcNMzYxMTI0MDc0MDE0WjASMRAwDgYDVQQDDAdNZXNoIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+isDVyVSwNwus7HMV50zeZ8toEnnb3F7f++x2T3oInjx1PbKyuneUZnMs7CzYstGfSA+6s3pZ04m5iDdz/LoGaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFJFIGgmhu+U0+ujxIsjXfRstdzMzMAoGCCqGSM49BAMCA0kAMEYCIQC7mL1BlynPVHEJmPElBSjqql2yRLBz7PuiG/2DF6PWNgIhAPV9sl4xs63DsNRdjvsHsuXm9jCX86QoyLENKbgpcQZ5";
const MESH5: &str = "MIIBVDCB+6ADAgECAgE3MAoGCCqGSM49BAMCMBIxEDAOBgNVBAMMB01lc2ggQ0EwHhcNMjYxMTI3MDc0MDE0WhcNMzYxMTI0MDc0MDE0WjASMRAwDgYDVQQDDAdNZXNoIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+isDVyVSwNwus7HMV50zeZ8toEnnb3F7f++x2T3oInjx1PbKyuneUZnMs7CzYstGfSA+6s3pZ04m5iDdz/LoGaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFJFIGgmhu+U0+ujxIsjXfRstdzMzMAoGCCqGSM49BAMCA0gAMEUCIHjSI98OciQYIws9ukkoXYofsCCbEZl+N+PcTeYCX9B7AiEA5wqQBqeFZcwtqh2BTM3n1nP/azzRi4ZMw2DsEhXI41U=";
const MESH_LEAF: &str = "MIIBdTCCARugAwIBAgIBOzAKBggqhkjOPQQDAjASMRAwDgYDVQQDDAdNZXNoIENBMB4XDTI2MTEyNzA3NDAxNFoXDTM2MTEyNDA3NDAxNFowFDESMBAGA1UEAwwJTWVzaCBMZWFmMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7G9z5jUkxPkyH9sNC07yKxoqW/CmSj/GbjeTixk0VDmIqSrmXba1JhOxrzYgFFiZP5ZHZQLo9lBfu63/EkSV/6NgMF4wDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCBsAwHQYDVR0OBBYEFMdEEek8bhaKp6hiFLIaNj49JMtvMB8GA1UdIwQYMBaAFJFIGgmhu+U0+ujxIsjXfRstdzMzMAoGCCqGSM49BAMCA0gAMEUCIQDVAyzqDCU8zet7gOrZlC/x4CrYCfL9Cu0cuZLKfJ+CxwIgJMp1izESnqa+7kJKr2EgnnjND9YpGOBpvasrMJWdDI4=";
const V1: &str = "MIIBEzCBugIBBzAKBggqhkjOPQQDAjAWMRQwEgYDVQQDDAtWZXJzaW9uIE9uZTAeFw0yNjExMjcwNzQwMTRaFw0zNjExMjQwNzQwMTRaMBYxFDASBgNVBAMMC1ZlcnNpb24gT25lMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7G9z5jUkxPkyH9sNC07yKxoqW/CmSj/GbjeTixk0VDmIqSrmXba1JhOxrzYgFFiZP5ZHZQLo9lBfu63/EkSV/zAKBggqhkjOPQQDAgNIADBFAiBdJCpMjsU7WK8KVJiMbYOasbOKXWZlCpiNw83IIJdjEwIhAM+WUlGWTHQ2DXd80I0FVzv6T48IaR9AZhHbljK4feX6";

fn crafted(b64_der: &str) -> Cert {
    Cert::from_der(&b64(b64_der)).expect("crafted certificate")
}

fn crafted_store() -> TrustStore {
    TrustStore::new(vec![crafted(R)], vec![], vec![])
}

fn no_path(result: Result<Vec<Cert>, PathError>) -> String {
    match result {
        Err(PathError::NoPath(why)) => why,
        other => panic!("expected NoPath, got {other:?}"),
    }
}

#[test]
fn backtracking_and_ca_constraints() {
    let store = crafted_store();
    let leaf = crafted(LEAF);
    let bad = [crafted(INOTCA), crafted(INOKU), crafted(ICRIT)];
    let why = no_path(store.build_path(&leaf, &bad));
    println!("{why}");
    assert!(why.contains("not a CA"), "{why}");
    assert!(why.contains("keyCertSign"), "{why}");
    assert!(why.contains("2.5.29.30"), "{why}");
    // With the good CA last, the search backtracks past the bad ones.
    let mut all = bad.to_vec();
    all.push(crafted(IGOOD));
    let path = store
        .build_path(&leaf, &all)
        .expect("path through the good CA");
    assert_eq!(path.len(), 3);
    assert_eq!(path[1], crafted(IGOOD));
    // The same from the host store instead of the bill.
    let host = TrustStore::new(vec![crafted(R)], all.clone(), vec![]);
    assert_eq!(host.build_path(&leaf, &[]).unwrap().len(), 3);
    // No anchors at all.
    let empty = TrustStore::new(vec![], all, vec![]);
    println!("{}", no_path(empty.build_path(&leaf, &[])));
}

#[test]
fn path_length_constraint() {
    let store = crafted_store();
    let (p0, p1) = (crafted(P0), crafted(P1));
    assert_eq!(p0.path_len_constraint(), Some(0));
    let why = no_path(store.build_path(&crafted(P_LEAF), &[p0.clone(), p1.clone()]));
    assert!(why.contains("allows 0"), "{why}");
    // P1 itself is fine below P0.
    assert_eq!(store.build_path(&p1, &[p0]).unwrap().len(), 3);
}

#[test]
fn loops_terminate() {
    let store = crafted_store();
    let (a, b) = (crafted(LOOP_A), crafted(LOOP_B));
    a.verify_issued_by(&b).expect("A is signed by B's key");
    b.verify_issued_by(&a).expect("B is signed by A's key");
    let why = no_path(store.build_path(&crafted(LOOP_LEAF), &[a.clone(), b.clone(), a, b]));
    println!("{why}");
    assert!(why.contains("loop"), "{why}");
}

#[test]
fn signature_budget() {
    let store = crafted_store();
    let mesh: Vec<Cert> = [MESH1, MESH2, MESH3, MESH4, MESH5]
        .into_iter()
        .map(crafted)
        .collect();
    assert!(mesh.iter().all(Cert::is_self_issued));
    assert_eq!(
        store.build_path(&crafted(MESH_LEAF), &mesh),
        Err(PathError::BudgetExceeded)
    );
    // With two mesh certificates the search ends by itself.
    no_path(store.build_path(&crafted(MESH_LEAF), &mesh[..2]));
}

#[test]
fn certificate_decoding_errors() {
    assert!(matches!(
        Cert::from_der(&b64(V1)),
        Err(CertError::Unsupported(_))
    ));
    let mut der = b64(R);
    assert!(Cert::from_der(&der).is_ok());
    der.push(0);
    assert!(matches!(Cert::from_der(&der), Err(CertError::Invalid(_))));
    der.pop();
    der.pop();
    assert!(matches!(Cert::from_der(&der), Err(CertError::Invalid(_))));
    // A CRL is not a certificate and the reverse.
    let crl = pem_file("crls.pem", "X509 CRL").remove(0);
    assert!(Cert::from_der(&crl).is_err());
    assert!(piaoyan_core::pki::Crl::from_der(&b64(R)).is_err());
    // TrustStore::from_der names the bad item.
    let err = TrustStore::from_der(&[b64(R), b64(V1)], &[], &[]).unwrap_err();
    assert_eq!(err.0, "trustAnchors[1]");
    let err = TrustStore::from_der(&[], &[], &[crl.clone(), vec![1, 2, 3]]).unwrap_err();
    assert_eq!(err.0, "crls[1]");
}

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    fn samples() -> Vec<Vec<u8>> {
        let b = bill("bill-0049.xml");
        vec![
            b.supervisor.value.clone(),
            b.unit.cert.clone().unwrap(),
            pem_file("crls.pem", "X509 CRL").remove(0),
            bill("bill-0001.xml").supervisor.value,
        ]
    }

    fn exercise(bytes: &[u8]) {
        let _ = decode_signature(bytes);
        if let Ok(cms) = parse_detached(bytes) {
            let _ = cms.signer_certificate();
        }
        if let Ok(cert) = Cert::from_der(bytes) {
            let _ = (
                cert.subject_string(),
                cert.issuer_string(),
                cert.public_key(),
            );
            let _ = cert.matches_issuer_serial("CN=x", "01");
            let _ = cert.verify_issued_by(&cert);
        }
        if let Ok(crl) = piaoyan_core::pki::Crl::from_der(bytes) {
            let _ = crl.revocation_time(&piaoyan_core::pki::Serial::from_der_contents(&[1]));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 200,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            exercise(&bytes);
        }

        #[test]
        fn mutated_real_der(which in 0usize..4, edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6)) {
            let mut bytes = samples()[which].clone();
            for (at, value) in edits {
                let len = bytes.len();
                bytes[at % len] = value;
            }
            exercise(&bytes);
        }

        #[test]
        fn truncated_real_der(which in 0usize..4, cut in any::<usize>()) {
            let bytes = samples()[which].clone();
            exercise(&bytes[..cut % bytes.len()]);
        }

        #[test]
        fn rfc4514_strings(text in "\\PC{0,60}") {
            let cert = crafted(R);
            let _ = cert.matches_issuer_serial(&text, &text);
        }
    }
}

/// Decoding the same DER again gives the certificate decoded before (one
/// shared handle); after many other certificates it is decoded afresh, to
/// an equal certificate; a bad DER is an error every time.
#[test]
fn certificates_decoded_again_are_the_same() {
    let ders: Vec<Vec<u8>> = pem_file("roots.pem", "CERTIFICATE")
        .into_iter()
        .chain(pem_file("intermediates.pem", "CERTIFICATE"))
        .collect();
    assert!(ders.len() >= 2);
    let first = Cert::from_der(&ders[0]).unwrap();
    let again = Cert::from_der(&ders[0]).unwrap();
    assert_eq!(first, again);
    assert_eq!(first.subject_string(), again.subject_string());
    // Many other certificates: each a distinct DER (serial byte changed
    // inside the signed part: still decodes, another certificate).
    for i in 0..40u8 {
        let mut other = ders[1].clone();
        let at = other.len() / 2;
        other[at] ^= i.wrapping_add(1);
        let _ = Cert::from_der(&other);
    }
    let later = Cert::from_der(&ders[0]).unwrap();
    assert_eq!(later, first);
    assert_eq!(later.serial_hex(), first.serial_hex());
    assert_eq!(later.not_after(), first.not_after());
    let mut bad = ders[0].clone();
    bad.truncate(bad.len() - 1);
    for _ in 0..2 {
        assert!(matches!(Cert::from_der(&bad), Err(CertError::Invalid(_))));
    }
}
