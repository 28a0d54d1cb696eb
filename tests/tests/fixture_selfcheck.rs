//! Self-check of the fixture generator along paths independent of it:
//! `roxmltree` finds B, `x509-cert`/`cms` parse what we assembled, the
//! RustCrypto verifiers check every signature, and, when `openssl` is on
//! the machine, OpenSSL checks chains, CRLs, CMS and raw signatures too.
//! Nothing here uses `piaoyan-core`.

use std::ops::Range;
use std::path::PathBuf;
use std::process::Command;

use base64::Engine as _;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{ObjectIdentifier, OctetString, UintRef};
use der::oid::AssociatedOid;
use der::{Decode, Encode, Sequence};
use piaoyan_tests::fixture::*;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};

const SM2_ID: &str = "1234567812345678";

// ---------------------------------------------------------------- helpers

#[derive(Sequence)]
struct SigValue<'a> {
    r: UintRef<'a>,
    s: UintRef<'a>,
}

/// DER or 64-octet r ‖ s → 64 octets r ‖ s.
fn rs_of(sig: &[u8]) -> Vec<u8> {
    if sig.len() == 64 {
        return sig.to_vec();
    }
    let v = SigValue::from_der(sig).expect("DER ECDSA-Sig-Value");
    let pad = |b: &[u8]| {
        assert!(b.len() <= 32);
        [vec![0u8; 32 - b.len()], b.to_vec()].concat()
    };
    [pad(v.r.as_bytes()), pad(v.s.as_bytes())].concat()
}

/// Verifies with the RustCrypto verifiers (SM2: Z_A over `1234567812345678`).
fn verify(alg: Alg, public_sec1: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    use p256::ecdsa::signature::Verifier as _;
    let rs = rs_of(sig);
    match alg {
        Alg::Sm2 => {
            let vk = sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_ID, public_sec1).expect("key");
            let sig = sm2::dsa::Signature::from_slice(&rs).expect("sig");
            vk.verify(msg, &sig).is_ok()
        }
        Alg::P256 => {
            let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(public_sec1).expect("key");
            let sig = p256::ecdsa::Signature::from_slice(&rs).expect("sig");
            vk.verify(msg, &sig).is_ok()
        }
    }
}

fn alg_of_sig_oid(oid: ObjectIdentifier) -> Alg {
    match oid.to_string().as_str() {
        "1.2.156.10197.1.501" | "1.2.156.10197.1.301.1" => Alg::Sm2,
        "1.2.840.10045.4.3.2" => Alg::P256,
        other => panic!("unexpected signature algorithm {other}"),
    }
}

fn public_key(cert: &Certificate) -> Vec<u8> {
    cert.tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes()
        .to_vec()
}

fn key_alg(cert: &Certificate) -> Alg {
    let spki = cert.tbs_certificate().subject_public_key_info();
    assert_eq!(spki.algorithm.oid.to_string(), "1.2.840.10045.2.1");
    let curve: ObjectIdentifier = spki
        .algorithm
        .parameters
        .as_ref()
        .expect("curve")
        .decode_as()
        .expect("OID");
    match curve.to_string().as_str() {
        "1.2.156.10197.1.301" => Alg::Sm2,
        "1.2.840.10045.3.1.7" => Alg::P256,
        c => panic!("unexpected curve {c}"),
    }
}

/// Checks `cert`'s signature with `issuer`'s key, as parsed by x509-cert.
fn cert_signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    let alg = alg_of_sig_oid(cert.signature_algorithm().oid);
    assert_eq!(alg, key_alg(issuer));
    let tbs = cert.tbs_certificate().to_der().unwrap();
    verify(alg, &public_key(issuer), &tbs, cert.signature().raw_bytes())
}

fn cert(der: &[u8]) -> Certificate {
    Certificate::from_der(der).expect("certificate parses")
}

fn subject_attr(cert: &Certificate, oid: &str) -> Option<String> {
    cert.tbs_certificate()
        .subject()
        .iter()
        .find(|a| a.oid.to_string() == oid)
        .map(|a| String::from_utf8(a.value.value().to_vec()).unwrap())
}

fn b64(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean)
        .expect("base64")
}

/// A bill as read by roxmltree: B by node ranges, and each signature.
struct Parsed {
    b: Range<usize>,
    sigs: Vec<ParsedSig>,
    text: std::collections::BTreeMap<String, Vec<String>>,
}

struct ParsedSig {
    id: String,
    reference: String,
    algorithm: String,
    format: String,
    time: Option<String>,
    value: Vec<u8>,
    serial: Option<String>,
    issuer: Option<String>,
    certificate: Option<Vec<u8>>,
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.children().filter(|c| c.has_tag_name(name)).collect()
}

fn parse(xml: &[u8]) -> Parsed {
    let bom = if xml.starts_with(&[0xef, 0xbb, 0xbf]) {
        3
    } else {
        0
    };
    let s = std::str::from_utf8(&xml[bom..]).expect("UTF-8");
    let doc = roxmltree::Document::parse(s).expect("well-formed XML");
    let root = doc.root_element();
    assert!(root.has_tag_name("EInvoice"));
    let header = child(root, "Header");
    let data = child(root, "EInvoiceData");
    assert_eq!((header.len(), data.len()), (1, 1));
    let b = header[0].range().start + bom..data[0].range().end + bom;
    let mut text = std::collections::BTreeMap::new();
    for n in data[0].descendants().filter(|n| n.is_element()) {
        if let Some(t) = n.text().filter(|t| !t.trim().is_empty()) {
            text.entry(n.tag_name().name().to_owned())
                .or_insert_with(Vec::new)
                .push(t.trim().to_owned());
        }
    }
    let sig_section = child(root, "EInvoiceSignature");
    let one = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.descendants()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .map(|t| t.trim().to_owned())
    };
    let sigs = child(sig_section[0], "Signature")
        .into_iter()
        .map(|n| ParsedSig {
            id: n.attribute("Id").unwrap().to_owned(),
            reference: one(n, "Reference").unwrap(),
            algorithm: one(n, "SignatureAlgorithm").unwrap(),
            format: one(n, "SignatureFormat").unwrap(),
            time: one(n, "SignatureTime"),
            value: b64(&one(n, "SignatureValue").unwrap()),
            serial: one(n, "SerialNumber"),
            issuer: one(n, "X509IssuerName"),
            certificate: one(n, "X509Certificate").map(|c| b64(&c)),
        })
        .collect();
    Parsed { b, sigs, text }
}

/// What the CMS of a DETACH signature says, checked against the spec.
struct CmsCheck {
    signer: Option<Certificate>,
    certs: Vec<Certificate>,
    signed_attrs: bool,
    gb_oids: bool,
}

/// Verifies a DETACH value over `msg`; returns what it found.
fn verify_cms(value: &[u8], msg: &[u8], fallback_cert: Option<&Certificate>) -> CmsCheck {
    let ci = ContentInfo::from_der(value).expect("ContentInfo");
    let gb_oids = match ci.content_type.to_string().as_str() {
        "1.2.840.113549.1.7.2" => false,
        "1.2.156.10197.6.1.4.2.2" => true,
        other => panic!("content type {other}"),
    };
    let sd: SignedData = ci.content.decode_as().expect("SignedData");
    assert!(sd.encap_content_info.econtent.is_none(), "detached");
    let data_oid = if gb_oids {
        "1.2.156.10197.6.1.4.2.1"
    } else {
        "1.2.840.113549.1.7.1"
    };
    assert_eq!(sd.encap_content_info.econtent_type.to_string(), data_oid);
    assert_eq!(sd.signer_infos.0.len(), 1, "exactly one SignerInfo");
    let si = sd.signer_infos.0.get(0).unwrap();
    let certs: Vec<Certificate> = sd
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c) => c.clone(),
            _ => panic!("other certificate format"),
        })
        .collect();
    let SignerIdentifier::IssuerAndSerialNumber(isn) = &si.sid else {
        panic!("sid must be issuerAndSerialNumber");
    };
    let signer = certs
        .iter()
        .chain(fallback_cert)
        .find(|c| {
            c.tbs_certificate().issuer() == &isn.issuer
                && c.tbs_certificate().serial_number() == &isn.serial_number
        })
        .cloned();
    let Some(signer_cert) = signer.clone() else {
        return CmsCheck {
            signer: None,
            certs,
            signed_attrs: si.signed_attrs.is_some(),
            gb_oids,
        };
    };
    let alg = key_alg(&signer_cert);
    let digest_oid = match alg {
        Alg::Sm2 => "1.2.156.10197.1.401",
        Alg::P256 => "2.16.840.1.101.3.4.2.1",
    };
    assert_eq!(si.digest_alg.oid.to_string(), digest_oid);
    assert_eq!(alg_of_sig_oid(si.signature_algorithm.oid), alg);
    let signed = match &si.signed_attrs {
        Some(attrs) => {
            let md = attrs
                .iter()
                .find(|a| a.oid.to_string() == "1.2.840.113549.1.9.4")
                .expect("messageDigest");
            let md: OctetString = md.values.get(0).unwrap().decode_as().unwrap();
            let expected = match alg {
                Alg::Sm2 => {
                    use sm3::Digest as _;
                    sm3::Sm3::digest(msg).to_vec()
                }
                Alg::P256 => {
                    use sha2::Digest as _;
                    sha2::Sha256::digest(msg).to_vec()
                }
            };
            assert_eq!(md.as_bytes(), expected.as_slice(), "messageDigest = H(M)");
            let ct = attrs
                .iter()
                .find(|a| a.oid.to_string() == "1.2.840.113549.1.9.3")
                .expect("contentType");
            let ct: ObjectIdentifier = ct.values.get(0).unwrap().decode_as().unwrap();
            assert_eq!(ct.to_string(), data_oid);
            attrs.to_der().unwrap()
        }
        None => msg.to_vec(),
    };
    assert!(
        verify(
            alg,
            &public_key(&signer_cert),
            &signed,
            si.signature.as_bytes()
        ),
        "CMS signature verifies"
    );
    CmsCheck {
        signer,
        signed_attrs: si.signed_attrs.is_some(),
        certs,
        gb_oids,
    }
}

/// Verifies both signatures of a bill; returns the two signer certificates.
fn verify_bill(xml: &[u8]) -> [Certificate; 2] {
    let p = parse(xml);
    assert_eq!(p.b, signed_range(xml), "signed_range agrees with roxmltree");
    let b = &xml[p.b.clone()];
    assert_eq!(p.sigs.len(), 2);
    assert_eq!(p.sigs[0].id, "InvoicingParty");
    assert_eq!(p.sigs[1].id, "Supervisor");
    assert_eq!(p.sigs[0].reference, "Header EInvoiceData");
    assert_eq!(p.sigs[1].reference, "Header EInvoiceData InvoicingParty");
    let sup_msg = [b, p.sigs[0].value.as_slice()].concat();
    let mut out = Vec::new();
    for (sig, msg) in [(&p.sigs[0], b.to_vec()), (&p.sigs[1], sup_msg)] {
        let key_info_cert = sig.certificate.as_deref().map(cert);
        let signer = match sig.format.as_str() {
            "RAW" => {
                let c = key_info_cert.expect("RAW fixtures carry the certificate");
                let alg = key_alg(&c);
                assert!(
                    verify(alg, &public_key(&c), &msg, &sig.value),
                    "{} RAW signature verifies",
                    sig.id
                );
                c
            }
            "DETACH" => verify_cms(&sig.value, &msg, key_info_cert.as_ref())
                .signer
                .expect("signer certificate"),
            f => panic!("format {f}"),
        };
        let expected_text = match key_alg(&signer) {
            Alg::Sm2 => ["SM2", "SM2-SM3", "1.2.156.10197.1.501"],
            Alg::P256 => ["ECDSA-P256-SHA256", "1.2.840.10045.4.3.2", "-"],
        };
        assert!(expected_text.contains(&sig.algorithm.as_str()));
        if let Some(sn) = &sig.serial {
            let actual = signer.tbs_certificate().serial_number().as_bytes();
            assert_eq!(sn, &hex(actual));
        }
        if let Some(issuer) = &sig.issuer {
            assert_eq!(issuer, &signer.tbs_certificate().issuer().to_string());
        }
        out.push(signer);
    }
    let [u, s]: [Certificate; 2] = out.try_into().unwrap();
    [u, s]
}

// Independent content checks (deliberately not using fixture::codes).

fn fen(s: &str) -> i64 {
    let (i, f) = s.split_once('.').unwrap_or((s, ""));
    assert!(f.len() <= 2);
    i.parse::<i64>().unwrap() * 100 + format!("{f:0<2}").parse::<i64>().unwrap()
}

fn uscc_ok(code: &str) -> bool {
    let cs = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    let w = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let v: Vec<usize> = code.chars().map(|c| cs.find(c).unwrap()).collect();
    let sum: usize = v[..17].iter().zip(w).map(|(a, b)| a * b).sum();
    (31 - sum % 31) % 31 == v[17]
}

fn id_ok(id: &str) -> bool {
    let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = id[..17]
        .chars()
        .zip(w)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    "10X98765432".as_bytes()[(sum % 11) as usize] == id.as_bytes()[17]
}

fn check_content(xml: &[u8], capital: &str) {
    let p = parse(xml);
    let total = fen(&p.text["TotalAmount"][0]);
    let sum: i64 = p.text["ItemAmount"].iter().map(|a| fen(a)).sum();
    assert_eq!(sum, total, "Σ ItemAmount = TotalAmount");
    assert_eq!(p.text["TotalAmountCapital"][0], capital);
    let code = &p.text["InvoicingPartyCode"][0];
    assert_eq!(code.len(), 18);
    assert!(uscc_ok(code), "USCC check character of {code}");
    let area = &p.text["SupervisorAreaCode"][0];
    assert_eq!(&p.text["EInvoiceCode"][0][..2], &area[..2]);
    if p.text["PayerPartyType"][0] == "1" {
        assert!(id_ok(&p.text["PayerPartyCode"][0]));
    }
    let issue = format!(
        "{}{}",
        p.text["IssueDate"][0],
        p.text["IssueTime"][0].replace(':', "")
    );
    let t0 = p.sigs[0].time.clone().unwrap();
    let t1 = p.sigs[1].time.clone().unwrap();
    assert!(
        issue <= t0 && t0 <= t1,
        "issue {issue} ≤ unit {t0} ≤ supervisor {t1}"
    );
}

fn all_formats() -> Vec<(&'static str, SigFormat, KeyInfoSpec)> {
    let d = |signed_attrs, gb_oids, include_certs| {
        SigFormat::Detach(DetachSpec {
            signed_attrs,
            gb_oids,
            include_certs,
            ..DetachSpec::default()
        })
    };
    vec![
        ("raw-der", SigFormat::RawDer, KeyInfoSpec::SerialIssuerCert),
        ("raw-rs", SigFormat::RawRs, KeyInfoSpec::SerialIssuerCert),
        (
            "detach",
            d(false, false, CertsIn::SignerAndIntermediate),
            KeyInfoSpec::None,
        ),
        (
            "detach-attrs-gb",
            d(true, true, CertsIn::Signer),
            KeyInfoSpec::SerialIssuer,
        ),
        (
            "detach-nocerts",
            d(true, false, CertsIn::None),
            KeyInfoSpec::SerialIssuerCert,
        ),
        (
            "detach-gb",
            d(false, true, CertsIn::Signer),
            KeyInfoSpec::None,
        ),
    ]
}

// ------------------------------------------------------------------ tests

#[test]
fn pki_is_deterministic() {
    let a = Pki::new("SELFCHECK");
    let b = Pki::new("SELFCHECK");
    assert_eq!(a.roots_pem(), b.roots_pem());
    assert_eq!(a.intermediates_pem(), b.intermediates_pem());
    assert_eq!(a.crls_pem(), b.crls_pem());
    let (nb, na) = default_validity();
    for alg in Alg::ALL {
        let l1 = a.issue_leaf(alg, "某单位", "12330100MB0000000X", nb, na);
        let l2 = b.issue_leaf(alg, "某单位", "12330100MB0000000X", nb, na);
        assert_eq!(l1.cert_der, l2.cert_der);
        assert_eq!(sign_message(&l1.key, b"m"), sign_message(&l2.key, b"m"));
    }
    assert_ne!(Pki::new("OTHER").roots_pem(), a.roots_pem());
}

#[test]
fn certificates_have_the_profile_and_verify() {
    let pki = Pki::new("SELFCHECK");
    let (nb, na) = default_validity();
    for alg in Alg::ALL {
        let h = pki.hierarchy(alg);
        let root = cert(&h.root.cert_der);
        let int = cert(&h.issuing.cert_der);
        let leaf_fix = pki.issue_leaf(alg, "杭州市示范单位", "123301004701235820", nb, na);
        let leaf = cert(&leaf_fix.cert_der);

        for c in [&root, &int, &leaf] {
            assert_eq!(
                c.tbs_certificate().version(),
                x509_cert::certificate::Version::V3
            );
            assert_eq!(alg_of_sig_oid(c.signature_algorithm().oid), alg);
            assert_eq!(key_alg(c), alg);
            let v = c.tbs_certificate().validity();
            assert_eq!(v.not_before.to_string(), "2024-01-01T00:00:00Z");
            assert_eq!(v.not_after.to_string(), "2030-12-31T23:59:59Z");
            assert_eq!(subject_attr(c, "2.5.4.6").as_deref(), Some("CN"));
        }
        assert_eq!(
            subject_attr(&root, "2.5.4.3").unwrap(),
            format!("Piaoyan SELFCHECK {} Root CA", alg.name())
        );
        assert_eq!(
            subject_attr(&leaf, "2.5.4.5").as_deref(),
            Some("123301004701235820")
        );
        assert_eq!(
            subject_attr(&leaf, "2.5.4.3").as_deref(),
            Some("杭州市示范单位")
        );

        // Extensions, decoded by x509-cert.
        let bc = |c: &Certificate| {
            let (crit, bc) = c
                .tbs_certificate()
                .get_extension::<BasicConstraints>()
                .unwrap()
                .expect("basicConstraints");
            assert!(crit, "basicConstraints critical");
            bc
        };
        let ku = |c: &Certificate| {
            let (crit, ku) = c
                .tbs_certificate()
                .get_extension::<KeyUsage>()
                .unwrap()
                .expect("keyUsage");
            assert!(crit, "keyUsage critical");
            ku
        };
        assert!(bc(&root).ca && bc(&root).path_len_constraint.is_none());
        assert!(bc(&int).ca && bc(&int).path_len_constraint == Some(0));
        assert!(!bc(&leaf).ca);
        for ca in [&root, &int] {
            assert_eq!(ku(ca).0, KeyUsages::KeyCertSign | KeyUsages::CRLSign);
        }
        assert_eq!(
            ku(&leaf).0,
            KeyUsages::DigitalSignature | KeyUsages::NonRepudiation
        );
        let ski = |c: &Certificate| {
            c.tbs_certificate()
                .get_extension::<SubjectKeyIdentifier>()
                .unwrap()
                .expect("SKI")
                .1
                .0
                .as_bytes()
                .to_vec()
        };
        let aki = |c: &Certificate| {
            c.tbs_certificate()
                .get_extension::<AuthorityKeyIdentifier>()
                .unwrap()
                .expect("AKI")
                .1
                .key_identifier
                .unwrap()
                .as_bytes()
                .to_vec()
        };
        assert_eq!(aki(&int), ski(&root));
        assert_eq!(aki(&leaf), ski(&int));
        assert_ne!(ski(&leaf), ski(&int));

        // Names chain; signatures verify; a flipped bit does not.
        assert_eq!(
            root.tbs_certificate().issuer(),
            root.tbs_certificate().subject()
        );
        assert_eq!(
            int.tbs_certificate().issuer(),
            root.tbs_certificate().subject()
        );
        assert_eq!(
            leaf.tbs_certificate().issuer(),
            int.tbs_certificate().subject()
        );
        assert!(cert_signed_by(&root, &root));
        assert!(cert_signed_by(&int, &root));
        assert!(cert_signed_by(&leaf, &int));
        assert!(!cert_signed_by(&leaf, &root));
        let mut bad = leaf_fix.cert_der.clone();
        let i = bad.len() / 3;
        bad[i] ^= 1;
        if let Ok(bad) = Certificate::from_der(&bad) {
            assert!(!cert_signed_by(&bad, &int));
        }

        // KeyInfo helpers agree with the parsed certificate.
        assert_eq!(
            leaf_fix.serial_hex(),
            hex(leaf.tbs_certificate().serial_number().as_bytes())
        );
        assert_eq!(
            leaf_fix.issuer_rfc4514,
            leaf.tbs_certificate().issuer().to_string()
        );
        assert_eq!(public_key(&leaf), leaf_fix.key.public_key_sec1());
    }
}

#[test]
fn leaf_spec_knobs_show_up_in_the_certificate() {
    let pki = Pki::new("SELFCHECK");
    let mut spec = LeafSpec::new(
        Alg::P256,
        "Supervisor",
        "330100",
        utc(2025, 1, 1, 0, 0, 0),
        utc(2025, 2, 1, 0, 0, 0),
    );
    spec.organization_identifier = Some("330100".into());
    spec.key_usage = Some(KeyUsageBits::KEY_ENCIPHERMENT);
    spec.basic_constraints_ca = None;
    spec.issued_by_root = true;
    let leaf = pki.issue(&spec);
    let c = cert(&leaf.cert_der);
    assert_eq!(subject_attr(&c, "2.5.4.97").as_deref(), Some("330100"));
    let (_, ku) = c
        .tbs_certificate()
        .get_extension::<KeyUsage>()
        .unwrap()
        .unwrap();
    assert!(ku.key_encipherment() && !ku.digital_signature() && !ku.non_repudiation());
    assert!(
        c.tbs_certificate()
            .get_extension::<BasicConstraints>()
            .unwrap()
            .is_none()
    );
    assert!(cert_signed_by(&c, &cert(&pki.p256.root.cert_der)));
    assert_eq!(
        c.tbs_certificate().validity().not_after.to_string(),
        "2025-02-01T00:00:00Z"
    );
}

#[test]
fn crl_is_signed_by_the_issuing_ca_and_lists_revocations() {
    let mut pki = Pki::new("SELFCHECK");
    let (nb, na) = default_validity();
    for alg in Alg::ALL {
        let leaf = pki.issue_leaf(alg, "revoked unit", "123301004701235820", nb, na);
        pki.revoke(&leaf, utc(2025, 3, 1, 0, 0, 0));
        let der = pki.crl(alg, &[(&leaf.serial, utc(2025, 3, 1, 0, 0, 0))]);
        let crl = <CertificateList>::from_der(&der).expect("CRL parses");
        let issuer = cert(&pki.hierarchy(alg).issuing.cert_der);
        assert_eq!(
            &crl.tbs_cert_list.issuer,
            issuer.tbs_certificate().subject()
        );
        assert_eq!(alg_of_sig_oid(crl.signature_algorithm.oid), alg);
        let tbs = crl.tbs_cert_list.to_der().unwrap();
        assert!(verify(
            alg,
            &public_key(&issuer),
            &tbs,
            crl.signature.raw_bytes()
        ));
        let revoked = crl.tbs_cert_list.revoked_certificates.unwrap();
        assert_eq!(revoked.len(), 1);
        assert_eq!(revoked[0].serial_number.as_bytes(), leaf.serial.as_slice());
        assert_eq!(
            revoked[0].revocation_date.to_string(),
            "2025-03-01T00:00:00Z"
        );
        let ext = crl.tbs_cert_list.crl_extensions.unwrap();
        assert!(ext.iter().any(|e| e.extn_id == AuthorityKeyIdentifier::OID));
    }
    // crls_pem picks up the recorded revocations: two CRLs, both non-empty.
    let pem = pki.crls_pem();
    assert_eq!(pem.matches("-----BEGIN X509 CRL-----").count(), 2);
}

#[test]
fn every_format_and_algorithm_verifies_independently() {
    let pki = Pki::new("SELFCHECK");
    let presets = [
        (BillSpec::medical(), "贰佰壹拾柒元壹角"),
        (BillSpec::education(), "陆仟玖佰捌拾元整"),
        (BillSpec::donation(), "贰万叁仟伍佰陆拾元伍角"),
    ];
    let mut n = 0;
    for (bill, capital) in &presets {
        for (ui, (uname, ufmt, uki)) in all_formats().into_iter().enumerate() {
            for ualg in Alg::ALL {
                // Vary the supervisor along with the unit.
                let (sname, sfmt, ski) = all_formats().swap_remove((ui + 1) % 6);
                let salg = if n % 2 == 0 { ualg } else { Alg::P256 };
                n += 1;
                let mut unit = SignSpec::new(ualg, ufmt.clone(), &bill.issue_plus(30));
                unit.key_info = uki.clone();
                let mut sup = SignSpec::new(salg, sfmt, &bill.issue_plus(600));
                sup.key_info = ski;
                let ul = pki.unit_leaf(ualg, bill);
                let sl = pki.supervisor_leaf(salg, bill);
                let built = build_bill_detailed(bill, (&unit, &ul), (&sup, &sl));
                let xml = &built.xml;
                let [uc, sc] = verify_bill(xml);
                assert_eq!(uc.to_der().unwrap(), ul.cert_der, "{uname}/{sname}");
                assert_eq!(sc.to_der().unwrap(), sl.cert_der, "{uname}/{sname}");
                assert_eq!(key_alg(&uc), ualg);
                assert_eq!(key_alg(&sc), salg);
                // Identity binding material (spec §5.4).
                assert_eq!(
                    subject_attr(&uc, "2.5.4.5").unwrap(),
                    bill.invoicing_party.code
                );
                assert_eq!(
                    subject_attr(&sc, "2.5.4.5").unwrap(),
                    bill.supervisor_area_code
                );
                check_content(xml, capital);
                // The detailed result agrees with the file.
                assert_eq!(
                    signature_value(xml, "InvoicingParty").unwrap(),
                    built.unit_signature
                );
                assert_eq!(
                    signature_value(xml, "Supervisor").unwrap(),
                    built.supervisor_signature
                );
                // Deterministic.
                assert_eq!(&build_bill(bill, (&unit, &ul), (&sup, &sl)), xml);
            }
        }
    }
}

#[test]
fn detach_details_match_the_spec() {
    let pki = Pki::new("SELFCHECK");
    let bill = BillSpec::medical();
    for alg in Alg::ALL {
        let leaf = pki.unit_leaf(alg, &bill);
        let msg = b"<Header>...</EInvoiceData>";
        for (signed_attrs, gb_oids, certs) in [
            (true, true, CertsIn::SignerAndIntermediate),
            (false, false, CertsIn::Signer),
            (true, false, CertsIn::None),
        ] {
            let spec = DetachSpec {
                signed_attrs,
                gb_oids,
                include_certs: certs,
                ..DetachSpec::default()
            };
            let der = detached_cms(&leaf, msg, &spec);
            let fallback = cert(&leaf.cert_der);
            let c = verify_cms(&der, msg, Some(&fallback));
            assert_eq!(c.signed_attrs, signed_attrs);
            assert_eq!(c.gb_oids, gb_oids);
            let expected = match certs {
                CertsIn::None => 0,
                CertsIn::Signer => 1,
                CertsIn::SignerAndIntermediate => 2,
            };
            assert_eq!(c.certs.len(), expected);
            if signed_attrs {
                // The signature is over the DER SET OF, not over M.
                let attrs = signed_attributes_der(&leaf, msg, &spec);
                assert_eq!(attrs[0], 0x31, "SET OF tag");
            }
        }
        // A messageDigest override is visible (for HASH_FAILURE tests).
        let spec = DetachSpec {
            signed_attrs: true,
            message_digest_override: Some(vec![0; 32]),
            ..DetachSpec::default()
        };
        let der = detached_cms(&leaf, msg, &spec);
        let r = std::panic::catch_unwind(|| verify_cms(&der, msg, None));
        assert!(r.is_err(), "wrong messageDigest is caught");
        // Trailing octets are appended after the DER object.
        let spec = DetachSpec {
            trailing: vec![0, 0],
            ..DetachSpec::default()
        };
        let der = detached_cms(&leaf, msg, &spec);
        assert_eq!(&der[der.len() - 2..], &[0, 0]);
        assert!(ContentInfo::from_der(&der).is_err());
        assert!(ContentInfo::from_der(&der[..der.len() - 2]).is_ok());
    }
}

#[test]
fn signed_range_follows_the_bytes() {
    let pki = Pki::new("SELFCHECK");
    let mut bill = BillSpec::education();
    bill.layout.bom = true;
    bill.layout.indent = "    ".into();
    bill.layout.newline = "\r\n".into();
    bill.raw.between_header_and_data = "<!-- between -->".into();
    bill.raw.before_header = "<!-- before -->".into();
    let unit = SignSpec::raw_rs(Alg::Sm2, &bill.issue_plus(5));
    let sup = SignSpec::detach_signed_attrs(Alg::P256, &bill.issue_plus(50));
    let xml = pki.sign_bill(&bill, &unit, &sup);
    assert!(xml.starts_with(&[0xef, 0xbb, 0xbf]));
    let r = signed_range(&xml);
    let b = &xml[r.clone()];
    assert!(b.starts_with(b"<Header>") && b.ends_with(b"</EInvoiceData>"));
    assert!(std::str::from_utf8(b).unwrap().contains("<!-- between -->"));
    assert!(!std::str::from_utf8(b).unwrap().contains("<!-- before -->"));
    assert!(b.windows(2).any(|w| w == b"\r\n"));
    verify_bill(&xml);
    check_content(&xml, "陆仟玖佰捌拾元整");
}

#[test]
fn tampering_breaks_the_signatures() {
    let pki = Pki::new("SELFCHECK");
    let bill = BillSpec::medical();
    for alg in Alg::ALL {
        let unit = SignSpec::raw_der(alg, &bill.issue_plus(30));
        let sup = SignSpec::raw_der(alg, &bill.issue_plus(300));
        let xml = pki.sign_bill(&bill, &unit, &sup);
        verify_bill(&xml);
        let p = parse(&xml);
        let uc = cert(p.sigs[0].certificate.as_ref().unwrap());
        let sc = cert(p.sigs[1].certificate.as_ref().unwrap());

        let bad = replace_first(&xml, "<ItemAmount>128.50<", "<ItemAmount>128.60<");
        let q = parse(&bad);
        let b = &bad[q.b.clone()];
        assert!(!verify(alg, &public_key(&uc), b, &q.sigs[0].value));
        let sup_msg = [b, q.sigs[0].value.as_slice()].concat();
        assert!(!verify(alg, &public_key(&sc), &sup_msg, &q.sigs[1].value));

        // Replacing the unit's signature (even a valid one by another key)
        // breaks the supervisor's countersignature.
        let other = Key::derive(alg, "someone else");
        let forged = other.sign(&xml[p.b.clone()]).to_der();
        let forged_b64 = base64::engine::general_purpose::STANDARD.encode(&forged);
        let original_b64 = base64::engine::general_purpose::STANDARD.encode(&p.sigs[0].value);
        let bad = replace_first(&xml, &original_b64, &forged_b64);
        let q = parse(&bad);
        let sup_msg = [&bad[q.b.clone()], q.sigs[0].value.as_slice()].concat();
        assert!(!verify(alg, &public_key(&sc), &sup_msg, &q.sigs[1].value));
    }
}

#[test]
fn knobs_render_as_asked() {
    let pki = Pki::new("SELFCHECK");
    let mut bill = BillSpec::medical();
    bill.total_amount_capital = Field::text("贰佰壹拾柒元壹角整");
    bill.einvoice_id = Field::Omit;
    bill.items.push(ItemSpec {
        ext: vec![("SelfPayRatio".into(), "0.1".into())],
        ..ItemSpec::fixed("310", "A&B <治疗>", "10.00")
    });
    bill.raw.main = "<Unknown>x</Unknown>".into();
    let unit = SignSpec::raw_der(Alg::Sm2, &bill.issue_plus(1))
        .with_algorithm_text("1.2.156.10197.1.501")
        .with_key_info(KeyInfoSpec::SerialIssuer);
    let mut sup = SignSpec::detach(Alg::Sm2, &bill.issue_plus(2));
    sup.base64_line_len = Some(64);
    sup.time = None;
    let xml = pki.sign_bill(&bill, &unit, &sup);
    let s = String::from_utf8(xml.clone()).unwrap();
    assert!(s.contains("<TotalAmount>227.10</TotalAmount>"));
    assert!(s.contains("<TotalAmountCapital>贰佰壹拾柒元壹角整</TotalAmountCapital>"));
    assert!(!s.contains("<EInvoiceID>"));
    assert!(s.contains("<ItemName>A&amp;B &lt;治疗&gt;</ItemName>"));
    assert!(s.contains("<ItemExt>"));
    assert!(s.contains("<Unknown>x</Unknown>"));
    assert!(s.contains("<SignatureAlgorithm>1.2.156.10197.1.501</SignatureAlgorithm>"));
    assert!(!s.contains("<X509Certificate>"));
    let p = parse(&xml);
    assert!(p.sigs[1].time.is_none());
    // Line-broken base64 decodes to the same CMS, which verifies.
    let b = &xml[p.b.clone()];
    let msg = [b, p.sigs[0].value.as_slice()].concat();
    assert!(verify_cms(&p.sigs[1].value, &msg, None).signer.is_some());
    let uc = cert(&pki.unit_leaf(Alg::Sm2, &bill).cert_der);
    assert!(verify(Alg::Sm2, &public_key(&uc), b, &p.sigs[0].value));
}

// ------------------------------------------------------ OpenSSL cross-check

fn openssl_available() -> Option<String> {
    let out = Command::new("openssl").arg("version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

struct Tmp(PathBuf);

impl Tmp {
    fn new(name: &str) -> Tmp {
        let p =
            std::env::temp_dir().join(format!("piaoyan-selfcheck-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        Tmp(p)
    }
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs openssl; returns (success, stdout+stderr).
fn openssl(args: &[&dyn AsRef<std::ffi::OsStr>]) -> (bool, String) {
    let out = Command::new("openssl")
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .expect("run openssl");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// `openssl pkeyutl -verify -rawin`: SM2 with distid 1234567812345678 and
/// SM3, or ECDSA with SHA-256.
fn openssl_raw_verify(tmp: &Tmp, alg: Alg, spki_der: &[u8], msg: &[u8], sig_der: &[u8]) -> bool {
    let pub_pem = tmp.write("pub.pem", pem("PUBLIC KEY", spki_der).as_bytes());
    let msg_p = tmp.write("msg.bin", msg);
    let sig_p = tmp.write("sig.der", sig_der);
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![
        &"pkeyutl",
        &"-verify",
        &"-pubin",
        &"-inkey",
        &pub_pem,
        &"-rawin",
        &"-in",
        &msg_p,
        &"-sigfile",
        &sig_p,
    ];
    match alg {
        Alg::Sm2 => args.extend([
            &"-digest" as &dyn AsRef<std::ffi::OsStr>,
            &"sm3",
            &"-pkeyopt",
            &"distid:1234567812345678",
        ]),
        Alg::P256 => args.extend([&"-digest" as &dyn AsRef<std::ffi::OsStr>, &"sha256"]),
    }
    let (ok, text) = openssl(&args);
    ok && text.contains("Signature Verified Successfully")
}

fn spki_of(c: &Certificate) -> Vec<u8> {
    c.tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap()
}

/// 2025-06-12 UTC, inside every validity period.
const AT: &str = "1749700000";

#[test]
fn openssl_cross_check() {
    let Some(version) = openssl_available() else {
        eprintln!(
            "NOTE: `openssl` not found; the OpenSSL cross-check of the fixture \
             generator was skipped (the RustCrypto self-checks still ran)."
        );
        return;
    };
    eprintln!("OpenSSL cross-check with {version}");
    let tmp = Tmp::new("openssl");
    let pki = Pki::new("SELFCHECK");
    let bill = BillSpec::medical();
    for alg in Alg::ALL {
        let h = pki.hierarchy(alg);
        let root = tmp.write("root.pem", pem("CERTIFICATE", &h.root.cert_der).as_bytes());
        let int = tmp.write(
            "int.pem",
            pem("CERTIFICATE", &h.issuing.cert_der).as_bytes(),
        );
        let leaf = pki.unit_leaf(alg, &bill);
        let leaf_p = tmp.write("leaf.pem", pem("CERTIFICATE", &leaf.cert_der).as_bytes());
        let crl_der = pki.crl(alg, &[(&leaf.serial, utc(2025, 3, 1, 0, 0, 0))]);
        let crl_p = tmp.write("crl.pem", pem("X509 CRL", &crl_der).as_bytes());

        match alg {
            Alg::P256 => {
                // The whole chain, and the CRL, in one go each.
                let (ok, text) = openssl(&[
                    &"verify",
                    &"-CAfile",
                    &root,
                    &"-untrusted",
                    &int,
                    &"-attime",
                    &AT,
                    &leaf_p,
                ]);
                assert!(ok, "openssl verify P-256 chain: {text}");
                let (ok, text) = openssl(&[&"crl", &"-in", &crl_p, &"-CAfile", &int, &"-noout"]);
                assert!(
                    ok && text.contains("verify OK"),
                    "openssl crl P-256: {text}"
                );
                let (ok, text) = openssl(&[
                    &"verify",
                    &"-crl_check",
                    &"-CAfile",
                    &root,
                    &"-untrusted",
                    &int,
                    &"-CRLfile",
                    &crl_p,
                    &"-attime",
                    &AT,
                    &leaf_p,
                ]);
                assert!(!ok && text.contains("revoked"), "revoked leaf: {text}");
            }
            Alg::Sm2 => {
                // OpenSSL 3.0 applies `-vfyopt distid:` only to the target
                // certificate (and CMS/CRL verification take no identifier),
                // so each SM2 link is checked on its own.
                let (ok, text) = openssl(&[
                    &"verify",
                    &"-CAfile",
                    &root,
                    &"-vfyopt",
                    &"distid:1234567812345678",
                    &"-attime",
                    &AT,
                    &int,
                ]);
                assert!(ok, "openssl verify SM2 root→issuing: {text}");
                let (ok, text) = openssl(&[
                    &"verify",
                    &"-partial_chain",
                    &"-CAfile",
                    &int,
                    &"-vfyopt",
                    &"distid:1234567812345678",
                    &"-attime",
                    &AT,
                    &leaf_p,
                ]);
                assert!(ok, "openssl verify SM2 issuing→leaf: {text}");
                let (ok, _) = openssl(&[
                    &"verify",
                    &"-partial_chain",
                    &"-CAfile",
                    &root,
                    &"-vfyopt",
                    &"distid:1234567812345678",
                    &"-attime",
                    &AT,
                    &leaf_p,
                ]);
                assert!(!ok, "leaf does not verify under the root directly");
                let crl = <CertificateList>::from_der(&crl_der).unwrap();
                assert!(openssl_raw_verify(
                    &tmp,
                    alg,
                    &spki_of(&cert(&h.issuing.cert_der)),
                    &crl.tbs_cert_list.to_der().unwrap(),
                    crl.signature.raw_bytes(),
                ));
                let root_c = cert(&h.root.cert_der);
                assert!(openssl_raw_verify(
                    &tmp,
                    alg,
                    &spki_of(&root_c),
                    &root_c.tbs_certificate().to_der().unwrap(),
                    root_c.signature().raw_bytes(),
                ));
            }
        }

        // RAW bill signatures, both parties, with openssl pkeyutl.
        let unit = SignSpec::raw_rs(alg, &bill.issue_plus(30));
        let sup = SignSpec::raw_der(alg, &bill.issue_plus(300));
        let sl = pki.supervisor_leaf(alg, &bill);
        let built = build_bill_detailed(&bill, (&unit, &leaf), (&sup, &sl));
        let unit_der = {
            let rs = &built.unit_signature;
            RawSignature {
                r: rs[..32].try_into().unwrap(),
                s: rs[32..].try_into().unwrap(),
            }
            .to_der()
        };
        assert!(openssl_raw_verify(
            &tmp,
            alg,
            &leaf.key.spki_der(),
            built.signed_bytes(),
            &unit_der
        ));
        assert!(openssl_raw_verify(
            &tmp,
            alg,
            &sl.key.spki_der(),
            &built.supervisor_message(),
            &built.supervisor_signature
        ));
        assert!(
            !openssl_raw_verify(
                &tmp,
                alg,
                &sl.key.spki_der(),
                built.signed_bytes(),
                &built.supervisor_signature
            ),
            "the supervisor's signature is not over B alone"
        );

        // DETACH: openssl cms -verify on PKCS#7-OID CMS, with and without
        // signed attributes.
        let msg = built.signed_bytes().to_vec();
        let msg_p = tmp.write("content.bin", &msg);
        for signed_attrs in [false, true] {
            let spec = DetachSpec {
                signed_attrs,
                ..DetachSpec::default()
            };
            let cms_der = detached_cms(&leaf, &msg, &spec);
            let cms_p = tmp.write("sig.p7", &cms_der);
            let (ok, text) = openssl(&[
                &"cms",
                &"-verify",
                &"-binary",
                &"-inform",
                &"DER",
                &"-in",
                &cms_p,
                &"-content",
                &msg_p,
                &"-CAfile",
                &root,
                &"-purpose",
                &"any",
                &"-attime",
                &AT,
                &"-out",
                &"/dev/null",
            ]);
            match alg {
                Alg::P256 => assert!(
                    ok && text.contains("Verification successful"),
                    "openssl cms -verify P-256 (signed attrs {signed_attrs}): {text}"
                ),
                Alg::Sm2 => {
                    // OpenSSL 3.0's CMS code passes no SM2 identifier, so it
                    // cannot check SM2 CMS signatures made the GB/T 35276 way;
                    // it still parses the structure and finds the signer.
                    // The signature itself is checked with pkeyutl below.
                    eprintln!(
                        "openssl cms -verify SM2 (signed attrs {signed_attrs}): {}",
                        if ok {
                            "successful"
                        } else {
                            "failed (expected with OpenSSL 3.0)"
                        }
                    );
                    let (ok, text) = openssl(&[
                        &"cms", &"-cmsout", &"-print", &"-inform", &"DER", &"-in", &cms_p,
                    ]);
                    assert!(ok, "openssl parses the SM2 CMS: {text}");
                    assert!(
                        text.contains("sm3") && text.contains("SM2-with-SM3"),
                        "{text}"
                    );
                    let ci = ContentInfo::from_der(&cms_der).unwrap();
                    let sd: SignedData = ci.content.decode_as().unwrap();
                    let si = sd.signer_infos.0.get(0).unwrap();
                    let tbs = match &si.signed_attrs {
                        Some(a) => a.to_der().unwrap(),
                        None => msg.clone(),
                    };
                    assert!(openssl_raw_verify(
                        &tmp,
                        alg,
                        &leaf.key.spki_der(),
                        &tbs,
                        si.signature.as_bytes()
                    ));
                }
            }
        }
        // And a tampered content fails for P-256.
        if alg == Alg::P256 {
            let cms_der = detached_cms(&leaf, &msg, &DetachSpec::default());
            let cms_p = tmp.write("sig.p7", &cms_der);
            let mut bad = msg.clone();
            bad[10] ^= 1;
            let bad_p = tmp.write("bad.bin", &bad);
            let (ok, _) = openssl(&[
                &"cms",
                &"-verify",
                &"-binary",
                &"-inform",
                &"DER",
                &"-in",
                &cms_p,
                &"-content",
                &bad_p,
                &"-CAfile",
                &root,
                &"-purpose",
                &"any",
                &"-attime",
                &AT,
                &"-out",
                &"/dev/null",
            ]);
            assert!(!ok, "tampered content fails openssl cms -verify");
        }
    }
}

// ------------------------------------------------- the demo samples' story

#[test]
fn samples_have_the_documented_properties() {
    use piaoyan_tests::samples;
    let bills = samples::bills();
    let by = |f: &str| bills.iter().find(|b| b.file == f).expect(f);
    let demo = samples::demo_pki();
    let demo_roots: Vec<Vec<u8>> = Alg::ALL
        .iter()
        .map(|a| demo.hierarchy(*a).root.cert_der.clone())
        .collect();
    // Every signer chains: leaf ← issuing CA ← root; return the root DER.
    let anchor = |leaf: &Certificate, pki: &Pki| -> Option<Vec<u8>> {
        let h = pki.hierarchy(key_alg(leaf));
        let int = cert(&h.issuing.cert_der);
        let root = cert(&h.root.cert_der);
        (cert_signed_by(leaf, &int) && cert_signed_by(&int, &root)).then(|| h.root.cert_der.clone())
    };

    for f in [
        "01-hospital-valid.xml",
        "02-school-valid.xml",
        "03-donation-mixed-valid.xml",
        "06-capital-amount-mistake.xml",
        "07-revoked-certificate.xml",
    ] {
        let b = by(f);
        let [u, s] = verify_bill(&b.xml);
        for c in [&u, &s] {
            let root = anchor(c, &demo).unwrap_or_else(|| panic!("{f}: chains to DEMO"));
            assert!(demo_roots.contains(&root));
        }
    }
    for f in ["01-hospital-valid.xml", "02-school-valid.xml"] {
        check_content(
            &by(f).xml,
            if f.starts_with("01") {
                "贰佰壹拾柒元壹角"
            } else {
                "陆仟玖佰捌拾元整"
            },
        );
    }
    check_content(
        &by("03-donation-mixed-valid.xml").xml,
        "贰万叁仟伍佰陆拾元伍角",
    );

    // 01: SM2 DETACH + signed attributes with GB OIDs; supervisor SM2 RAW.
    let p = parse(&by("01-hospital-valid.xml").xml);
    let b = &by("01-hospital-valid.xml").xml[p.b.clone()];
    let c = verify_cms(&p.sigs[0].value, b, None);
    assert!(c.signed_attrs && c.gb_oids && c.certs.len() == 2);
    assert_eq!(p.sigs[1].format, "RAW");

    // 04: same signatures as 01, different B: the unit's messageDigest fails.
    let x4 = &by("04-hospital-tampered-amount.xml").xml;
    let p4 = parse(x4);
    assert_eq!(p4.sigs[0].value, p.sigs[0].value);
    let r = std::panic::catch_unwind(|| verify_cms(&p4.sigs[0].value, &x4[p4.b.clone()], None));
    assert!(r.is_err(), "04: messageDigest no longer matches");
    check_content(x4, "肆佰壹拾柒元壹角"); // content itself is consistent

    // 05: intact, but chains to the ROGUE PKI only.
    let x5 = &by("05-untrusted-root.xml").xml;
    let [u, s] = verify_bill(x5);
    let rogue = samples::untrusted_pki();
    for c in [&u, &s] {
        assert!(anchor(c, &demo).is_none());
        assert!(anchor(c, &rogue).is_some());
    }

    // 06: valid signatures, capital spells 6908 for a 6980.00 total.
    let p6 = parse(&by("06-capital-amount-mistake.xml").xml);
    assert_eq!(p6.text["TotalAmount"][0], "6980.00");
    assert_eq!(p6.text["TotalAmountCapital"][0], "陆仟玖佰零捌元整");

    // 07: the unit certificate is on the DEMO SM2 CRL, revoked before signing.
    let p7 = parse(&by("07-revoked-certificate.xml").xml);
    let unit = cert(p7.sigs[0].certificate.as_ref().unwrap());
    let crl_pem = demo.crls_pem();
    let first = crl_pem.split("-----END X509 CRL-----").next().unwrap();
    let body: String = first.lines().filter(|l| !l.starts_with("-----")).collect();
    let crl = <CertificateList>::from_der(&b64(&body)).unwrap();
    let revoked = crl.tbs_cert_list.revoked_certificates.unwrap();
    let entry = revoked
        .iter()
        .find(|r| &r.serial_number == unit.tbs_certificate().serial_number())
        .expect("07's unit certificate is revoked");
    let signed_at = beijing(p7.sigs[0].time.as_deref().unwrap());
    assert!(entry.revocation_date.to_date_time() < signed_at);
    // ... and no other sample's certificate is.
    for f in ["01-hospital-valid.xml", "06-capital-amount-mistake.xml"] {
        let [u, s] = verify_bill(&by(f).xml);
        for c in [u, s] {
            assert!(
                revoked
                    .iter()
                    .all(|r| &r.serial_number != c.tbs_certificate().serial_number())
            );
        }
    }
}
