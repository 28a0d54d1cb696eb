//! Serial numbers are integers (issue 12, item 9). A certificate whose
//! serial is `FF 12` in DER (two's complement: -238) and one whose serial
//! is `00 FF 12` (65298) are different certificates, though the hex of
//! their octets with leading zeros stripped is `ff12` for both. A CRL entry
//! must revoke exactly the certificate it names, a CMS
//! `issuerAndSerialNumber` and a `KeyInfo/SerialNumber` must name exactly
//! one of them.

use der::asn1::{BitString, OctetString};
use der::{Decode, Encode};
use piaoyan_core::pki::{Cert, parse_detached};
use piaoyan_core::report::Report;
use piaoyan_core::{SubIndication, Verifier, VerifyOptions};
use piaoyan_tests::fixture::pki::{
    CertificateDer, TbsCertificate, signature_algorithm_identifier, spki, x509_time,
};
use piaoyan_tests::fixture::*;
use x509_cert::certificate::Version;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

/// 2026-06-01T00:00:00Z.
const NOW: i64 = 1_780_272_000;

/// `FF 12`: the negative integer -238.
const NEGATIVE: &[u8] = &[0xFF, 0x12];
/// `00 FF 12`: the positive integer 65298 (0xFF12).
const POSITIVE: &[u8] = &[0x00, 0xFF, 0x12];

const ALG: Alg = Alg::Sm2;

fn pki() -> Pki {
    Pki::new("SERIALS")
}

/// A serial number from the contents octets of a DER INTEGER, as they are
/// (a negative one included).
fn serial(contents: &[u8]) -> SerialNumber {
    let mut der = vec![0x02, u8::try_from(contents.len()).unwrap()];
    der.extend_from_slice(contents);
    SerialNumber::from_der(&der).expect("a DER INTEGER")
}

fn extension(oid: &str, value: Vec<u8>) -> Extension {
    Extension {
        extn_id: der::asn1::ObjectIdentifier::new_unwrap(oid),
        critical: true,
        extn_value: OctetString::new(value).unwrap(),
    }
}

fn unit_subject(bill: &BillSpec) -> Name {
    make_name(&[
        DnAttr::C("CN".into()),
        DnAttr::O(bill.invoicing_party.name.clone()),
        DnAttr::Cn(bill.invoicing_party.name.clone()),
        DnAttr::SerialNumber(bill.invoicing_party.code.clone()),
    ])
}

/// A unit certificate issued by the issuing CA of [`ALG`] with the serial
/// `contents` (DER INTEGER contents, sign as encoded) and its own key.
fn unit_leaf(pki: &Pki, bill: &BillSpec, contents: &[u8], key_label: &str) -> Leaf {
    let ca = &pki.hierarchy(ALG).issuing;
    let key = Key::derive(ALG, key_label);
    let (nb, na) = default_validity();
    let ku = KeyUsageBits::DIGITAL_SIGNATURE | KeyUsageBits::NON_REPUDIATION;
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: serial(contents),
        signature: signature_algorithm_identifier(ALG),
        issuer: ca.name.clone(),
        validity: Validity::new(x509_time(nb), x509_time(na)),
        subject: unit_subject(bill),
        subject_public_key_info: spki(&key),
        extensions: vec![
            extension("2.5.29.19", vec![0x30, 0x00]),
            extension("2.5.29.15", ku.to_der()),
        ],
    };
    let sig = sign_message(&ca.key, &tbs.to_der().unwrap()).to_der();
    let cert_der = CertificateDer {
        tbs_certificate: tbs,
        signature_algorithm: signature_algorithm_identifier(ALG),
        signature: BitString::from_bytes(&sig).unwrap(),
    }
    .to_der()
    .unwrap();
    Leaf {
        cert_der,
        key,
        serial: contents.to_vec(),
        issuer_rfc4514: ca.name_rfc4514(),
        issuer_cert_der: ca.cert_der.clone(),
    }
}

/// A CRL of the issuing CA of [`ALG`] revoking `contents` (DER INTEGER
/// contents, sign as encoded) on 2025-01-01, before every signature here.
fn crl_revoking(pki: &Pki, contents: &[u8]) -> Vec<u8> {
    let ca = &pki.hierarchy(ALG).issuing;
    let tbs = TbsCertList {
        version: Version::V2,
        signature: signature_algorithm_identifier(ALG),
        issuer: ca.name.clone(),
        this_update: x509_time(utc(2026, 1, 1, 0, 0, 0)),
        next_update: Some(x509_time(utc(2030, 12, 31, 23, 59, 59))),
        revoked_certificates: Some(vec![RevokedCert {
            serial_number: serial(contents),
            revocation_date: x509_time(utc(2025, 1, 1, 0, 0, 0)),
            crl_entry_extensions: None,
        }]),
        crl_extensions: None,
    };
    let sig = sign_message(&ca.key, &tbs.to_der().unwrap()).to_der();
    CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: signature_algorithm_identifier(ALG),
        signature: BitString::from_bytes(&sig).unwrap(),
    }
    .to_der()
    .unwrap()
}

fn options(pki: &Pki, store: &[&Leaf], crls: Vec<Vec<u8>>) -> VerifyOptions {
    let mut o = pki.verify_options(Some(NOW));
    o.certificates
        .extend(store.iter().map(|leaf| leaf.cert_der.clone()));
    o.crls = crls;
    o
}

/// The bill signed by `unit` (RAW DER, `key_info` as given) and a normal
/// supervisor.
fn bill_signed_by(pki: &Pki, bill: &BillSpec, unit: &Leaf, key_info: KeyInfoSpec) -> Vec<u8> {
    let u = SignSpec::raw_der(ALG, &bill.issue_plus(30)).with_key_info(key_info);
    let s = SignSpec::raw_der(ALG, &bill.issue_plus(600));
    let sup = pki.supervisor_leaf(ALG, bill);
    build_bill(bill, (&u, unit), (&s, &sup))
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `KeyInfo` with only the certificate.
fn cert_only(leaf: &Leaf) -> KeyInfoSpec {
    KeyInfoSpec::Raw(format!(
        "<X509Certificate>{}</X509Certificate>",
        b64(&leaf.cert_der)
    ))
}

/// `KeyInfo` naming issuer and serial (as `serial_text`), with the
/// certificate when `cert` is given.
fn named(leaf: &Leaf, serial_text: &str, cert: Option<&Leaf>) -> KeyInfoSpec {
    let mut xml = format!(
        "<SerialNumber>{serial_text}</SerialNumber><X509IssuerName>{}</X509IssuerName>",
        xml_escape(&leaf.issuer_rfc4514)
    );
    if let Some(c) = cert {
        xml.push_str(&format!(
            "<X509Certificate>{}</X509Certificate>",
            b64(&c.cert_der)
        ));
    }
    KeyInfoSpec::Raw(xml)
}

fn verify(options: &VerifyOptions, xml: &[u8]) -> Report {
    Verifier::new(options).unwrap().verify(xml)
}

use piaoyan_tests::expect;

#[test]
fn a_crl_entry_revokes_only_the_integer_it_names() {
    let pki = pki();
    let bill = BillSpec::medical();
    let negative = unit_leaf(&pki, &bill, NEGATIVE, "serials negative");
    let positive = unit_leaf(&pki, &bill, POSITIVE, "serials positive");
    for (leaf, other, what) in [
        (
            &negative,
            POSITIVE,
            "certificate FF12 (-238), CRL lists 00FF12",
        ),
        (
            &positive,
            NEGATIVE,
            "certificate 00FF12 (65298), CRL lists FF12",
        ),
    ] {
        let xml = bill_signed_by(&pki, &bill, leaf, cert_only(leaf));
        expect(
            &verify(&options(&pki, &[], vec![]), &xml),
            None,
            &format!("{what}: control without CRL"),
        );
        expect(
            &verify(&options(&pki, &[], vec![crl_revoking(&pki, other)]), &xml),
            None,
            what,
        );
        expect(
            &verify(
                &options(&pki, &[], vec![crl_revoking(&pki, &leaf.serial)]),
                &xml,
            ),
            Some(SubIndication::Revoked),
            &format!("{what}: the CRL lists the certificate's own serial"),
        );
    }
}

#[test]
fn keyinfo_serial_number_names_one_integer() {
    let pki = pki();
    let bill = BillSpec::medical();
    let negative = unit_leaf(&pki, &bill, NEGATIVE, "serials negative");
    let positive = unit_leaf(&pki, &bill, POSITIVE, "serials positive");

    // The store holds both, the negative one first; KeyInfo names FF12:
    // the positive integer 0xFF12, the certificate that signed.
    let store = options(&pki, &[&negative, &positive], vec![]);
    for text in ["FF12", "ff12", "00ff12", "0000FF12"] {
        let xml = bill_signed_by(&pki, &bill, &positive, named(&positive, text, None));
        expect(
            &verify(&store, &xml),
            None,
            &format!("SerialNumber {text} from the store"),
        );
    }

    // KeyInfo carries the negative-serial certificate but names the
    // serial FF12 (65298): another certificate.
    let xml = bill_signed_by(
        &pki,
        &bill,
        &negative,
        named(&negative, "FF12", Some(&negative)),
    );
    expect(
        &verify(&options(&pki, &[], vec![]), &xml),
        Some(SubIndication::FormatFailure),
        "KeyInfo SerialNumber FF12 with a certificate whose serial is -238",
    );
    // The same with the positive certificate: consistent.
    let xml = bill_signed_by(
        &pki,
        &bill,
        &positive,
        named(&positive, "FF12", Some(&positive)),
    );
    expect(
        &verify(&options(&pki, &[], vec![]), &xml),
        None,
        "KeyInfo SerialNumber FF12 with a certificate whose serial is 0xFF12",
    );
}

#[test]
fn cms_issuer_and_serial_names_one_integer() {
    let pki = pki();
    let bill = BillSpec::medical();
    let negative = unit_leaf(&pki, &bill, NEGATIVE, "serials negative");
    let positive = unit_leaf(&pki, &bill, POSITIVE, "serials positive");
    let neg_cert = Cert::from_der(&negative.cert_der).unwrap();
    let pos_cert = Cert::from_der(&positive.cert_der).unwrap();
    for (signer, (same, other)) in [
        (&positive, (&pos_cert, &neg_cert)),
        (&negative, (&neg_cert, &pos_cert)),
    ] {
        let cms = detached_cms(signer, b"message", &DetachSpec::default());
        let cms = parse_detached(&cms).expect("CMS");
        assert!(cms.signer_id.matches(same), "{}", cms.signer_id.describe());
        assert!(
            !cms.signer_id.matches(other),
            "{}",
            cms.signer_id.describe()
        );
    }

    // Through the verifier: a DETACH bill by the positive certificate,
    // carrying no certificate; the store holds the negative one first.
    let u = SignSpec::detach_with(ALG, &bill.issue_plus(30), true, false, CertsIn::None);
    let s = SignSpec::raw_der(ALG, &bill.issue_plus(600));
    let sup = pki.supervisor_leaf(ALG, &bill);
    let xml = build_bill(&bill, (&u, &positive), (&s, &sup));
    expect(
        &verify(&options(&pki, &[&negative, &positive], vec![]), &xml),
        None,
        "CMS issuerAndSerialNumber 00FF12 looked up in the store",
    );
}
