//! Cryptographic edge cases (issue #6, item 3), through the raw `pki` API
//! and through the whole verifier: high-S and low-S, r or s zero or not
//! below n, points not on the curve and the identity, wrong curves,
//! algorithm mismatches between certificate and claim, a CMS whose signed
//! attributes lack messageDigest, a certificate loop, and a path search
//! that would need thousands of signature verifications (budgeted).
//!
//! ECDSA malleability: FIPS 186-4 accepts any s in [1, n-1], so (r, s) and
//! (r, n - s) both verify; the verifier does not impose low-S (as Bitcoin
//! does) because bills are identified by their content, not by the hash of
//! their signature. SM2 (GB/T 32918.2) has no such symmetry: (r, n - s) is
//! a different, invalid signature, and "high" s values are ordinary.

use std::time::{Duration, Instant};

use der::asn1::{Any, BitString, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode};
use piaoyan_core::pki::{EcSignature, KeyAlgorithm, KeyError, PublicKey};
use piaoyan_core::report::Report;
use piaoyan_core::{SubIndication, Verdict, Verifier, VerifyOptions};
use piaoyan_tests::fixture::pki::{
    CertificateDer, TbsCertificate, signature_algorithm_identifier, spki, x509_time,
};
use piaoyan_tests::fixture::*;
use x509_cert::attr::Attribute;
use x509_cert::certificate::Version;
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::Validity;

/// 2026-06-01T00:00:00Z.
const NOW: i64 = 1_780_272_000;

/// The order n of the P-256 group.
const P256_N: [u8; 32] = hex32("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
/// The order n of the SM2 group.
const SM2_N: [u8; 32] = hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");

const fn hex32(s: &str) -> [u8; 32] {
    let b = s.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        let hi = (b[2 * i] as char).to_digit(16).unwrap() as u8;
        let lo = (b[2 * i + 1] as char).to_digit(16).unwrap() as u8;
        out[i] = hi << 4 | lo;
        i += 1;
    }
    out
}

/// a - b for big-endian 256-bit numbers with a ≥ b.
fn sub(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    assert_eq!(borrow, 0, "a < b");
    out
}

/// a + b mod 2^256 for big-endian numbers.
fn add(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let d = u16::from(a[i]) + u16::from(b[i]) + carry;
        out[i] = d as u8;
        carry = d >> 8;
    }
    out
}

fn one() -> [u8; 32] {
    let mut x = [0u8; 32];
    x[31] = 1;
    x
}

/// s > n / 2.
fn is_high(s: &[u8; 32], n: &[u8; 32]) -> bool {
    // 2s > n  <=>  s > n - s
    s > &sub(n, s)
}

fn order(alg: Alg) -> [u8; 32] {
    match alg {
        Alg::Sm2 => SM2_N,
        Alg::P256 => P256_N,
    }
}

fn core_alg(alg: Alg) -> KeyAlgorithm {
    match alg {
        Alg::Sm2 => KeyAlgorithm::Sm2,
        Alg::P256 => KeyAlgorithm::P256,
    }
}

fn public(key: &Key) -> PublicKey {
    PublicKey::from_sec1(core_alg(key.alg()), &key.public_key_sec1()).unwrap()
}

fn ec(r: [u8; 32], s: [u8; 32]) -> EcSignature {
    EcSignature { r, s }
}

fn rs(r: &[u8; 32], s: &[u8; 32]) -> Vec<u8> {
    [r.as_slice(), s.as_slice()].concat()
}

// ---------------------------------------------------------------------------
// Bills.

fn options(pki: &Pki, extra_store: &[Vec<u8>]) -> VerifyOptions {
    let mut options = pki.verify_options(Some(NOW));
    options.certificates.extend(extra_store.iter().cloned());
    options
}

fn pki() -> Pki {
    Pki::new("EDGES")
}

fn verify(pki: &Pki, extra_store: &[Vec<u8>], xml: &[u8]) -> Report {
    Verifier::new(&options(pki, extra_store))
        .unwrap()
        .verify(xml)
}

use piaoyan_tests::expect;

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `xml` with the supervisor's `SignatureValue` replaced by `octets`.
fn with_supervisor_value(xml: &[u8], octets: &[u8]) -> Vec<u8> {
    let old = signature_value(xml, "Supervisor").unwrap();
    replace_first(xml, &b64(&old), &b64(octets))
}

/// A bill whose supervisor signs RAW r ‖ s with `alg`; returns it and the
/// supervisor's (r, s).
fn bill_with_raw_supervisor(pki: &Pki, alg: Alg) -> (Vec<u8>, [u8; 32], [u8; 32]) {
    let bill = BillSpec::medical();
    let u = SignSpec::raw_der(Alg::Sm2, &bill.issue_plus(30));
    let s = SignSpec::raw_rs(alg, &bill.issue_plus(600));
    let xml = pki.sign_bill(&bill, &u, &s);
    let v = signature_value(&xml, "Supervisor").unwrap();
    let (r, s) = v.split_at(32);
    (xml, r.try_into().unwrap(), s.try_into().unwrap())
}

// ---------------------------------------------------------------------------
// High-S and low-S.

#[test]
fn ecdsa_accepts_high_and_low_s_and_sm2_has_no_such_symmetry() {
    for alg in Alg::ALL {
        let n = order(alg);
        let key = Key::derive(alg, "malleability");
        let pk = public(&key);
        let (mut high, mut low) = (0, 0);
        for i in 0..64u32 {
            let msg = format!("message {i}");
            let sig = sign_message(&key, msg.as_bytes());
            assert!(pk.verify(msg.as_bytes(), &ec(sig.r, sig.s)).is_ok());
            if is_high(&sig.s, &n) {
                high += 1;
            } else {
                low += 1;
            }
            let flipped = ec(sig.r, sub(&n, &sig.s));
            let result = pk.verify(msg.as_bytes(), &flipped);
            match alg {
                Alg::P256 => assert!(result.is_ok(), "ECDSA (r, n-s) verifies (FIPS 186-4)"),
                Alg::Sm2 => assert!(result.is_err(), "SM2 (r, n-s) is another signature"),
            }
        }
        // Signers here do not normalise: both halves occur, and verify.
        assert!(high > 8 && low > 8, "{alg:?}: {high} high, {low} low");
    }
}

#[test]
fn high_s_through_the_verifier() {
    let pki = pki();
    // ECDSA: the supervisor's (r, s) and (r, n - s) both give VALID.
    let (xml, r, s) = bill_with_raw_supervisor(&pki, Alg::P256);
    expect(&verify(&pki, &[], &xml), None, "P-256 as signed");
    let flipped = with_supervisor_value(&xml, &rs(&r, &sub(&P256_N, &s)));
    expect(&verify(&pki, &[], &flipped), None, "P-256 with n - s");
    // SM2: (r, n - s) does not verify.
    let (xml, r, s) = bill_with_raw_supervisor(&pki, Alg::Sm2);
    expect(&verify(&pki, &[], &xml), None, "SM2 as signed");
    let flipped = with_supervisor_value(&xml, &rs(&r, &sub(&SM2_N, &s)));
    expect(
        &verify(&pki, &[], &flipped),
        Some(SubIndication::SigCryptoFailure),
        "SM2 with n - s",
    );
}

// ---------------------------------------------------------------------------
// r and s out of range.

#[test]
fn r_or_s_zero_or_not_below_n_never_verify() {
    let pki = pki();
    for alg in Alg::ALL {
        let n = order(alg);
        let key = Key::derive(alg, "range");
        let pk = public(&key);
        let sig = sign_message(&key, b"m");
        let zero = [0u8; 32];
        let max = [0xFFu8; 32];
        let bad = [
            ("r = 0", zero, sig.s),
            ("s = 0", sig.r, zero),
            ("both 0", zero, zero),
            ("r = n", n, sig.s),
            ("s = n", sig.r, n),
            ("r = n + 1", add(&n, &one()), sig.s),
            ("s = n + s mod 2^256", sig.r, add(&n, &sig.s)),
            ("r = 2^256 - 1", max, sig.s),
            ("s = 2^256 - 1", sig.r, max),
            ("r = n - 1", sub(&n, &one()), sig.s),
        ];
        for (what, r, s) in bad {
            assert!(
                pk.verify(b"m", &ec(r, s)).is_err(),
                "{alg:?} {what}: verifies"
            );
        }
        // Through the verifier, as the supervisor's RAW r ‖ s: each is a
        // signature that decodes and does not verify.
        let (xml, r0, s0) = bill_with_raw_supervisor(&pki, alg);
        for (what, r, s) in [
            ("r = 0", zero, s0),
            ("s = 0", r0, zero),
            ("r = n", n, s0),
            ("s = n", r0, n),
            ("r = n + 1", add(&n, &one()), s0),
            ("s = 2^256 - 1", r0, max),
        ] {
            let forged = with_supervisor_value(&xml, &rs(&r, &s));
            expect(
                &verify(&pki, &[], &forged),
                Some(SubIndication::SigCryptoFailure),
                &format!("{alg:?} {what}"),
            );
        }
        // DER: INTEGER 0 decodes (and fails), a 33-octet or negative
        // INTEGER does not decode (a format failure).
        let der_cases: [(&str, Vec<u8>, SubIndication); 3] = [
            (
                "DER r = 0",
                der_signature(&[0x00], &der_integer(&s0)),
                SubIndication::SigCryptoFailure,
            ),
            (
                "DER r of 33 octets",
                der_signature(&[[0x01].as_slice(), &r0].concat(), &der_integer(&s0)),
                SubIndication::FormatFailure,
            ),
            (
                "DER negative r",
                der_signature(&[0xFF], &der_integer(&s0)),
                SubIndication::FormatFailure,
            ),
        ];
        for (what, der, want) in der_cases {
            let forged = with_supervisor_value(&xml, &der);
            expect(
                &verify(&pki, &[], &forged),
                Some(want),
                &format!("{alg:?} {what}"),
            );
        }
    }
}

/// The contents octets of a minimal DER INTEGER of the unsigned `value`.
fn der_integer(value: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = value.iter().copied().skip_while(|b| *b == 0).collect();
    match trimmed.first() {
        None => vec![0],
        Some(b) if b & 0x80 != 0 => [vec![0], trimmed].concat(),
        Some(_) => trimmed,
    }
}

/// `SEQUENCE { INTEGER r, INTEGER s }` from contents octets (short form).
fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    let int = |v: &[u8]| [vec![0x02, u8::try_from(v.len()).unwrap()], v.to_vec()].concat();
    let body = [int(r), int(s)].concat();
    [vec![0x30, u8::try_from(body.len()).unwrap()], body].concat()
}

// ---------------------------------------------------------------------------
// Points and curves.

/// A compressed point `02 ‖ x` whose x is not on the curve (x³ + ax + b is
/// not a square), found by trying small x.
fn compressed_off_curve(alg: Alg) -> Vec<u8> {
    for x in 1u8..=255 {
        let mut p = vec![0x02];
        let mut xb = [0u8; 32];
        xb[31] = x;
        p.extend(xb);
        if PublicKey::from_sec1(core_alg(alg), &p).is_err() {
            return p;
        }
    }
    unreachable!("half of all x are off the curve")
}

#[test]
fn points_off_the_curve_and_the_identity_are_invalid_keys() {
    for alg in Alg::ALL {
        let good = Key::derive(alg, "points").public_key_sec1();
        let mut off = good.clone();
        off[64] ^= 1; // y + 1 (or - 1): not on the curve
        let mut x_too_big = vec![0x04];
        x_too_big.extend([0xFF; 64]);
        let other = match alg {
            Alg::Sm2 => Key::derive(Alg::P256, "points"),
            Alg::P256 => Key::derive(Alg::Sm2, "points"),
        }
        .public_key_sec1();
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("the identity (SEC1 0x00)", vec![0x00]),
            ("all-zero coordinates", [vec![0x04], vec![0; 64]].concat()),
            ("y changed", off),
            ("coordinates ≥ p", x_too_big),
            ("compressed x off the curve", compressed_off_curve(alg)),
            ("a point of the other curve", other),
            ("truncated", good[..64].to_vec()),
            ("empty", Vec::new()),
        ];
        for (what, point) in cases {
            match PublicKey::from_sec1(core_alg(alg), &point) {
                Err(KeyError::Invalid(_)) => {}
                other => panic!("{alg:?} {what}: {other:?}"),
            }
        }
    }
}

/// A certificate built by hand: any names, any SPKI, any algorithm
/// identifiers, signed by any key.
#[derive(Clone)]
struct CertSpec {
    serial: Vec<u8>,
    issuer: Name,
    subject: Name,
    spki: SubjectPublicKeyInfoOwned,
    signer: Key,
    /// tbsCertificate.signature; `None`: the signer's algorithm.
    tbs_alg: Option<AlgorithmIdentifierOwned>,
    /// Certificate.signatureAlgorithm; `None`: as tbsCertificate.signature.
    outer_alg: Option<AlgorithmIdentifierOwned>,
    ca: bool,
}

fn extension(oid: &str, value: Vec<u8>) -> Extension {
    Extension {
        extn_id: ObjectIdentifier::new_unwrap(oid),
        critical: true,
        extn_value: OctetString::new(value).unwrap(),
    }
}

impl CertSpec {
    fn new(issuer: Name, subject: Name, subject_key: &Key, signer: &Key, ca: bool) -> CertSpec {
        let serial = sha_serial(&[subject.to_der().unwrap(), subject_key.public_key_sec1()]);
        CertSpec {
            serial,
            issuer,
            subject,
            spki: spki(subject_key),
            signer: signer.clone(),
            tbs_alg: None,
            outer_alg: None,
            ca,
        }
    }

    fn der(&self) -> Vec<u8> {
        let (nb, na) = default_validity();
        let ku = if self.ca {
            KeyUsageBits::KEY_CERT_SIGN | KeyUsageBits::CRL_SIGN
        } else {
            KeyUsageBits::DIGITAL_SIGNATURE | KeyUsageBits::NON_REPUDIATION
        };
        let bc = if self.ca {
            vec![0x30, 0x03, 0x01, 0x01, 0xFF]
        } else {
            vec![0x30, 0x00]
        };
        let tbs_alg = self
            .tbs_alg
            .clone()
            .unwrap_or_else(|| signature_algorithm_identifier(self.signer.alg()));
        let tbs = TbsCertificate {
            version: Version::V3,
            serial_number: SerialNumber::new(&self.serial).unwrap(),
            signature: tbs_alg.clone(),
            issuer: self.issuer.clone(),
            validity: Validity::new(x509_time(nb), x509_time(na)),
            subject: self.subject.clone(),
            subject_public_key_info: self.spki.clone(),
            extensions: vec![
                extension("2.5.29.19", bc),
                extension("2.5.29.15", ku.to_der()),
            ],
        };
        let sig = sign_message(&self.signer, &tbs.to_der().unwrap()).to_der();
        CertificateDer {
            tbs_certificate: tbs,
            signature_algorithm: self.outer_alg.clone().unwrap_or(tbs_alg),
            signature: BitString::from_bytes(&sig).unwrap(),
        }
        .to_der()
        .unwrap()
    }

    /// A [`Leaf`] for the fixture's bill builder.
    fn leaf(&self, key: &Key, issuer_cert_der: Vec<u8>) -> Leaf {
        Leaf {
            cert_der: self.der(),
            key: key.clone(),
            serial: self.serial.clone(),
            issuer_rfc4514: rfc4514(&self.issuer),
            issuer_cert_der,
        }
    }
}

fn sha_serial(parts: &[Vec<u8>]) -> Vec<u8> {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update(p);
    }
    let mut s = h.finalize()[..12].to_vec();
    s[0] = (s[0] & 0x3F) | 0x40;
    s
}

fn cn(name: &str) -> Name {
    make_name(&[DnAttr::C("CN".into()), DnAttr::Cn(name.into())])
}

fn unit_subject(bill: &BillSpec) -> Name {
    make_name(&[
        DnAttr::C("CN".into()),
        DnAttr::O(bill.invoicing_party.name.clone()),
        DnAttr::Cn(bill.invoicing_party.name.clone()),
        DnAttr::SerialNumber(bill.invoicing_party.code.clone()),
    ])
}

/// A unit certificate issued by the PKI's issuing CA of `alg`, with the
/// given SPKI and algorithm identifiers.
fn unit_cert(pki: &Pki, bill: &BillSpec, alg: Alg, edit: impl FnOnce(&mut CertSpec)) -> Leaf {
    let ca = &pki.hierarchy(alg).issuing;
    let key = Key::derive(alg, "edge unit");
    let mut spec = CertSpec::new(ca.name.clone(), unit_subject(bill), &key, &ca.key, false);
    edit(&mut spec);
    spec.leaf(&key, ca.cert_der.clone())
}

/// Signs `bill` with the unit `leaf` (RAW DER, certificate in KeyInfo,
/// claiming `claim`) and a normal supervisor.
fn sign_with_unit(pki: &Pki, bill: &BillSpec, leaf: &Leaf, claim: Alg) -> Vec<u8> {
    let u = SignSpec::raw_der(claim, &bill.issue_plus(30));
    let s = SignSpec::raw_der(Alg::P256, &bill.issue_plus(600));
    let sup = pki.supervisor_leaf(Alg::P256, bill);
    build_bill(bill, (&u, leaf), (&s, &sup))
}

fn spki_with(alg_oid: &str, params: Option<Any>, point: &[u8]) -> SubjectPublicKeyInfoOwned {
    SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap(alg_oid),
            parameters: params,
        },
        subject_public_key: BitString::from_bytes(point).unwrap(),
    }
}

fn oid_any(oid: &str) -> Option<Any> {
    Some(Any::encode_from(&ObjectIdentifier::new_unwrap(oid)).unwrap())
}

#[test]
fn certificates_with_bad_points_or_wrong_curves() {
    let pki = pki();
    let bill = BillSpec::medical();
    let ok = unit_cert(&pki, &bill, Alg::Sm2, |_| {});
    expect(
        &verify(&pki, &[], &sign_with_unit(&pki, &bill, &ok, Alg::Sm2)),
        None,
        "hand-made certificate, control",
    );
    const EC: &str = "1.2.840.10045.2.1";
    const SM2_CURVE: &str = "1.2.156.10197.1.301";
    const P256_CURVE: &str = "1.2.840.10045.3.1.7";
    let good_point = Key::derive(Alg::Sm2, "edge unit").public_key_sec1();
    let mut off_curve = good_point.clone();
    off_curve[64] ^= 1;
    let p256_point = Key::derive(Alg::P256, "edge unit").public_key_sec1();
    let cases: Vec<(&str, SubjectPublicKeyInfoOwned, SubIndication)> = vec![
        (
            "a point off the SM2 curve",
            spki_with(EC, oid_any(SM2_CURVE), &off_curve),
            SubIndication::SigCryptoFailure,
        ),
        (
            "the identity point",
            spki_with(EC, oid_any(SM2_CURVE), &[0x00]),
            SubIndication::SigCryptoFailure,
        ),
        (
            "a P-256 point labelled SM2",
            spki_with(EC, oid_any(SM2_CURVE), &p256_point),
            SubIndication::SigCryptoFailure,
        ),
        (
            "the SM2 point labelled P-256",
            spki_with(EC, oid_any(P256_CURVE), &good_point),
            SubIndication::SigCryptoFailure,
        ),
        (
            "curve secp384r1",
            spki_with(EC, oid_any("1.3.132.0.34"), &[4; 97]),
            SubIndication::CryptoConstraintsFailure,
        ),
        (
            "explicit curve parameters",
            spki_with(
                EC,
                Some(Any::from_der(&[0x30, 0x03, 0x02, 0x01, 0x01]).unwrap()),
                &good_point,
            ),
            SubIndication::CryptoConstraintsFailure,
        ),
        (
            "an RSA key",
            spki_with(
                "1.2.840.113549.1.1.1",
                Some(Any::from(der::asn1::Null)),
                &[0x30, 0x00],
            ),
            SubIndication::CryptoConstraintsFailure,
        ),
    ];
    for (what, spki, want) in cases {
        let leaf = unit_cert(&pki, &bill, Alg::Sm2, |c| c.spki = spki);
        let r = verify(&pki, &[], &sign_with_unit(&pki, &bill, &leaf, Alg::Sm2));
        expect(&r, Some(want), what);
        assert_eq!(r.signatures[0].sub_indication, Some(want), "{what}");
    }
}

#[test]
fn algorithm_mismatches_between_certificate_and_claim() {
    let pki = pki();
    let bill = BillSpec::medical();
    let sm2_leaf = pki.unit_leaf(Alg::Sm2, &bill);
    let p256_leaf = pki.unit_leaf(Alg::P256, &bill);
    let s = SignSpec::raw_der(Alg::P256, &bill.issue_plus(600));
    let sup = pki.supervisor_leaf(Alg::P256, &bill);
    let t = bill.issue_plus(30);
    let run =
        |u: &SignSpec, leaf: &Leaf| verify(&pki, &[], &build_bill(&bill, (u, leaf), (&s, &sup)));

    // The claim says SM2, the certificate holds a P-256 key (and the value
    // was made with it).
    expect(
        &run(
            &SignSpec::raw_der(Alg::P256, &t).with_algorithm_text("SM2"),
            &p256_leaf,
        ),
        Some(SubIndication::SigCryptoFailure),
        "claim SM2, P-256 certificate",
    );
    expect(
        &run(
            &SignSpec::raw_der(Alg::Sm2, &t).with_algorithm_text("ECDSA-P256-SHA256"),
            &sm2_leaf,
        ),
        Some(SubIndication::SigCryptoFailure),
        "claim ECDSA, SM2 certificate",
    );
    // The CMS SignerInfo names SM2 while the claim (and key) is ECDSA.
    let mut u = SignSpec::detach(Alg::P256, &t);
    if let SigFormat::Detach(d) = &mut u.format {
        d.signature_algorithm_oid = Some(ObjectIdentifier::new_unwrap("1.2.156.10197.1.301.1"));
    }
    expect(
        &run(&u, &p256_leaf),
        Some(SubIndication::FormatFailure),
        "SignerInfo SM2, claim ECDSA",
    );
    // SM2-with-SM3 over a SHA-256 digest: two hashes named, unsupported.
    let mut u = SignSpec::detach(Alg::P256, &t);
    if let SigFormat::Detach(d) = &mut u.format {
        d.signature_algorithm_oid = Some(ObjectIdentifier::new_unwrap("1.2.156.10197.1.501"));
    }
    expect(
        &run(&u, &p256_leaf),
        Some(SubIndication::CryptoConstraintsFailure),
        "SM2-with-SM3 and SHA-256",
    );
    // A certificate whose issuer signed with SM2 but says ecdsa-with-SHA256
    // (in both places): the chain does not verify.
    let wrong_tbs = unit_cert(&pki, &bill, Alg::Sm2, |c| {
        c.tbs_alg = Some(signature_algorithm_identifier(Alg::P256));
    });
    expect(
        &verify(
            &pki,
            &[],
            &sign_with_unit(&pki, &bill, &wrong_tbs, Alg::Sm2),
        ),
        Some(SubIndication::NoCertificateChainFound),
        "certificate signature algorithm of the wrong family",
    );
    // Certificate.signatureAlgorithm differs from tbsCertificate.signature.
    let split = unit_cert(&pki, &bill, Alg::Sm2, |c| {
        c.outer_alg = Some(signature_algorithm_identifier(Alg::P256));
    });
    let r = verify(&pki, &[], &sign_with_unit(&pki, &bill, &split, Alg::Sm2));
    expect(
        &r,
        Some(SubIndication::FormatFailure),
        "signatureAlgorithm ≠ tbs",
    );
    assert!(r.reason.en.contains("X509Certificate"), "{}", r.reason.en);
}

// ---------------------------------------------------------------------------
// CMS signed attributes.

fn attribute(oid: &str, values: Vec<Any>) -> Attribute {
    Attribute {
        oid: ObjectIdentifier::new_unwrap(oid),
        values: SetOfVec::try_from(values).unwrap(),
    }
}

const CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
const DATA: &str = "1.2.840.113549.1.7.1";

fn octets(bytes: &[u8]) -> Any {
    Any::encode_from(&OctetString::new(bytes.to_vec()).unwrap()).unwrap()
}

/// A detached CMS by `leaf` whose signed attributes are `attrs` (signed
/// over their DER SET OF), the signer's certificate included.
fn cms_with_attributes(leaf: &Leaf, attrs: Vec<Attribute>) -> Vec<u8> {
    use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
    use cms::content_info::{CmsVersion, ContentInfo};
    use cms::signed_data::{
        CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo,
        SignerInfos,
    };
    let alg = leaf.alg();
    let cert = x509_cert::Certificate::from_der(&leaf.cert_der).unwrap();
    let attrs = SetOfVec::try_from(attrs).unwrap();
    let sig = sign_message(&leaf.key, &attrs.to_der().unwrap());
    let id = |oid: ObjectIdentifier| AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    };
    let info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate().issuer().clone(),
            serial_number: cert.tbs_certificate().serial_number().clone(),
        }),
        digest_alg: id(alg.digest_oid()),
        signed_attrs: Some(attrs),
        signature_algorithm: id(alg.signature_oid()),
        signature: OctetString::new(sig.to_der()).unwrap(),
        unsigned_attrs: None,
    };
    let signed = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![id(alg.digest_oid())]).unwrap(),
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ObjectIdentifier::new_unwrap(DATA),
            econtent: None,
        },
        certificates: Some(CertificateSet(
            SetOfVec::try_from(vec![CertificateChoices::Certificate(cert)]).unwrap(),
        )),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![info]).unwrap()),
    };
    ContentInfo {
        content_type: ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2"),
        content: Any::encode_from(&signed).unwrap(),
    }
    .to_der()
    .unwrap()
}

#[test]
fn signed_attributes_without_or_with_a_bad_message_digest() {
    let pki = pki();
    let bill = BillSpec::medical();
    let leaf = pki.unit_leaf(Alg::Sm2, &bill);
    // A bill whose unit signature is DETACH; its value is replaced below
    // (the supervisor countersigns the original value, so only the unit's
    // verdict is looked at).
    let u = SignSpec::detach_signed_attrs(Alg::Sm2, &bill.issue_plus(30));
    let s = SignSpec::raw_der(Alg::P256, &bill.issue_plus(600));
    let built = build_bill_detailed(
        &bill,
        (&u, &leaf),
        (&s, &pki.supervisor_leaf(Alg::P256, &bill)),
    );
    let b = built.signed_bytes().to_vec();
    let h = Alg::Sm2.digest(&b);
    let content_type = attribute(
        CONTENT_TYPE,
        vec![Any::encode_from(&ObjectIdentifier::new_unwrap(DATA)).unwrap()],
    );
    let time = attribute(
        SIGNING_TIME,
        vec![
            Any::from_der(&[
                0x17, 0x0D, b'2', b'5', b'0', b'6', b'1', b'2', b'0', b'1', b'4', b'2', b'0', b'0',
                b'Z',
            ])
            .unwrap(),
        ],
    );
    let cases: Vec<(&str, Vec<Attribute>, Option<SubIndication>)> = vec![
        (
            "control: contentType and messageDigest",
            vec![
                content_type.clone(),
                attribute(MESSAGE_DIGEST, vec![octets(&h)]),
            ],
            None,
        ),
        (
            "no messageDigest",
            vec![content_type.clone(), time.clone()],
            Some(SubIndication::FormatFailure),
        ),
        (
            "messageDigest twice",
            vec![
                content_type.clone(),
                attribute(MESSAGE_DIGEST, vec![octets(&h)]),
                attribute(MESSAGE_DIGEST, vec![octets(&[0; 32])]),
            ],
            Some(SubIndication::FormatFailure),
        ),
        (
            "messageDigest with two values",
            vec![
                content_type.clone(),
                attribute(MESSAGE_DIGEST, vec![octets(&h), octets(&[0; 32])]),
            ],
            Some(SubIndication::FormatFailure),
        ),
        (
            "messageDigest of other content",
            vec![
                content_type.clone(),
                attribute(MESSAGE_DIGEST, vec![octets(&Alg::Sm2.digest(b"other"))]),
            ],
            Some(SubIndication::HashFailure),
        ),
        (
            "messageDigest truncated",
            vec![
                content_type.clone(),
                attribute(MESSAGE_DIGEST, vec![octets(&h[..16])]),
            ],
            Some(SubIndication::HashFailure),
        ),
        (
            "contentType other than data",
            vec![
                attribute(
                    CONTENT_TYPE,
                    vec![
                        Any::encode_from(&ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2"))
                            .unwrap(),
                    ],
                ),
                attribute(MESSAGE_DIGEST, vec![octets(&h)]),
            ],
            Some(SubIndication::FormatFailure),
        ),
    ];
    for (what, attrs, want) in cases {
        let cms = cms_with_attributes(&leaf, attrs);
        let forged = replace_first(&built.xml, &b64(&built.unit_signature), &b64(&cms));
        let r = verify(&pki, &[], &forged);
        let unit = &r.signatures[0];
        assert_eq!(
            (unit.verdict, unit.sub_indication),
            (want.map_or(Verdict::Valid, SubIndication::verdict), want),
            "{what}: {}",
            unit.message.en
        );
        assert_ne!(
            r.verdict,
            Verdict::Valid,
            "{what}: the supervisor breaks too"
        );
    }
}

// ---------------------------------------------------------------------------
// Certificate paths.

#[test]
fn a_certificate_loop_ends_without_a_path() {
    let pki = pki();
    let bill = BillSpec::medical();
    let (ka, kb) = (
        Key::derive(Alg::P256, "loop a"),
        Key::derive(Alg::P256, "loop b"),
    );
    let (na, nb) = (cn("Loop CA A"), cn("Loop CA B"));
    // A is issued by B, B by A: each verifies with the other's key.
    let a = CertSpec::new(nb.clone(), na.clone(), &ka, &kb, true).der();
    let b = CertSpec::new(na.clone(), nb.clone(), &kb, &ka, true).der();
    let unit_key = Key::derive(Alg::P256, "loop unit");
    let leaf = CertSpec::new(na.clone(), unit_subject(&bill), &unit_key, &ka, false)
        .leaf(&unit_key, a.clone());
    let xml = sign_with_unit(&pki, &bill, &leaf, Alg::P256);
    let start = Instant::now();
    let r = verify(&pki, &[a.clone(), b.clone()], &xml);
    expect(&r, Some(SubIndication::NoCertificateChainFound), "loop");
    assert!(r.reason.en.contains("loop"), "{}", r.reason.en);
    assert!(start.elapsed() < Duration::from_secs(10));
    // A self-issued CA that is not an anchor.
    let selfie = CertSpec::new(na.clone(), na.clone(), &ka, &ka, true).der();
    let r = verify(&pki, &[selfie], &xml);
    expect(
        &r,
        Some(SubIndication::NoCertificateChainFound),
        "self-issued",
    );
    assert!(r.reason.en.contains("self-issued"), "{}", r.reason.en);
}

#[test]
fn a_path_search_needing_thousands_of_verifications_is_budgeted() {
    let pki = pki();
    let bill = BillSpec::medical();
    // Twelve CA keys, all named "Budget CA", each certified by every
    // other: 144 certificates that all chain by name and by signature.
    // Depth-first search over them without a budget would verify
    // signatures along some 12^7 paths before giving up.
    let keys: Vec<Key> = (0..12)
        .map(|i| Key::derive(Alg::P256, &format!("budget {i}")))
        .collect();
    let name = cn("Budget CA");
    let mut store = Vec::new();
    for subject in &keys {
        for issuer in &keys {
            store.push(CertSpec::new(name.clone(), name.clone(), subject, issuer, true).der());
        }
    }
    let unit_key = Key::derive(Alg::P256, "budget unit");
    let leaf = CertSpec::new(
        name.clone(),
        unit_subject(&bill),
        &unit_key,
        &keys[0],
        false,
    )
    .leaf(&unit_key, store[0].clone());
    let xml = sign_with_unit(&pki, &bill, &leaf, Alg::P256);
    let start = Instant::now();
    let r = verify(&pki, &store, &xml);
    let elapsed = start.elapsed();
    expect(&r, Some(SubIndication::NoCertificateChainFound), "budget");
    assert!(r.reason.en.contains("budget"), "{}", r.reason.en);
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    println!("budgeted path search: {elapsed:?}");
}
