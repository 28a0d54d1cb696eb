//! Core decodes certificates and CRLs with its own strict DER reader; it
//! used the `der` / `x509-cert` crates before. On every one-octet change of
//! the vector certificates and CRLs (tens of thousands of inputs), both
//! accept the structure or both refuse it, and where both accept they read
//! the same serial number and times. The one deliberate difference: core
//! also refuses an OBJECT IDENTIFIER arc that is not minimally encoded (a
//! leading 0x80 octet, which X.690 §8.19.2 forbids).

use der::asn1::BitString;
use der::{Decode, Sequence};
use piaoyan_core::pki::{Cert, CertError, Crl, Serial};
use piaoyan_tests::vectors::{now_unix, vector_options};
use x509_cert::certificate::Version;
use x509_cert::crl::RevokedCert;
use x509_cert::ext::Extensions;
use x509_cert::name::Name;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::time::Time;

/// CertificateList with an optional version (x509-cert's type requires it,
/// which v1 CRLs lack): what core decoded CRLs with.
#[derive(Clone, Debug, Sequence)]
struct CertificateList {
    tbs: TbsCertList,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

#[derive(Clone, Debug, Sequence)]
struct TbsCertList {
    #[asn1(optional = "true")]
    version: Option<Version>,
    signature: AlgorithmIdentifierOwned,
    issuer: Name,
    this_update: Time,
    next_update: Option<Time>,
    revoked_certificates: Option<Vec<RevokedCert>>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    crl_extensions: Option<Extensions>,
}

/// Whether core got past the structure (what `der` judged); later errors
/// (version, signatureAlgorithm mismatch, extension contents) are core's
/// own checks, as before.
fn structure_accepted<T>(r: &Result<T, CertError>) -> bool {
    match r {
        Ok(_) | Err(CertError::Unsupported(_)) => true,
        Err(CertError::Invalid(m)) => {
            !(m.starts_with("not DER")
                || m.starts_with("not a certificate")
                || m.starts_with("not a CRL")
                || m.starts_with("tbsCert")
                || m.starts_with("not an X.509"))
        }
    }
}

fn non_minimal_oid<T>(r: &Result<T, CertError>) -> bool {
    matches!(r, Err(CertError::Invalid(m)) if m.ends_with("OBJECT IDENTIFIER arc not minimally encoded"))
}

/// Every one-octet change of `der` to a few values: neighbours, flipped
/// high and low bits, and tags.
fn mutations(der: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    (0..der.len()).flat_map(move |i| {
        let b = der[i];
        let mut values = vec![
            b ^ 0x01,
            b ^ 0x20,
            b ^ 0x80,
            b.wrapping_add(1),
            b.wrapping_sub(1),
            0x00,
            0x02,
            0x05,
            0x06,
            0x0C,
            0x13,
            0x17,
            0x18,
            0x1C,
            0x30,
            0x31,
            0x80,
            0xFF,
        ];
        values.sort_unstable();
        values.dedup();
        values.retain(|&v| v != b);
        values.into_iter().map(move |v| {
            let mut m = der.to_vec();
            m[i] = v;
            m
        })
    })
}

fn hex_serial(bytes: &[u8]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let trimmed = hex.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".into()
    } else {
        trimmed.into()
    }
}

#[test]
fn certificates_decode_as_with_x509_cert() {
    let o = vector_options(now_unix());
    let mut count = 0;
    for der in o.trust_anchors.iter().chain(&o.certificates) {
        for m in mutations(der) {
            count += 1;
            let old = x509_cert::Certificate::from_der(&m);
            let new = Cert::from_der(&m);
            if old.is_ok() && non_minimal_oid(&new) {
                assert!(m.contains(&0x80));
                continue;
            }
            assert_eq!(
                old.is_ok(),
                structure_accepted(&new),
                "x509-cert: {:?}, core: {:?}",
                old.as_ref().err(),
                new.as_ref().err()
            );
            if let (Ok(old), Ok(new)) = (&old, &new) {
                let tbs = old.tbs_certificate();
                let secs = |t: Time| t.to_unix_duration().as_secs() as i64;
                assert_eq!(new.not_before(), secs(tbs.validity().not_before));
                assert_eq!(new.not_after(), secs(tbs.validity().not_after));
                assert_eq!(new.serial_hex(), hex_serial(tbs.serial_number().as_bytes()));
            }
        }
    }
    assert!(count > 10_000, "{count}");
}

#[test]
fn crls_decode_as_with_x509_cert() {
    let o = vector_options(now_unix());
    let mut count = 0;
    for der in &o.crls {
        for m in mutations(der) {
            count += 1;
            let old = CertificateList::from_der(&m);
            let new = Crl::from_der(&m);
            if old.is_ok() && non_minimal_oid(&new) {
                assert!(m.contains(&0x80));
                continue;
            }
            assert_eq!(
                old.is_ok(),
                structure_accepted(&new),
                "x509-cert: {:?}, core: {:?}",
                old.as_ref().err(),
                new.as_ref().err()
            );
            if let (Ok(old), Ok(new)) = (&old, &new) {
                let secs = |t: Time| t.to_unix_duration().as_secs() as i64;
                assert_eq!(new.this_update(), secs(old.tbs.this_update));
                assert_eq!(new.next_update(), old.tbs.next_update.map(secs));
                let revoked = old.tbs.revoked_certificates.as_deref().unwrap_or(&[]);
                assert!(new.revoked_count() <= revoked.len());
                for entry in revoked.iter().filter(|e| e.crl_entry_extensions.is_none()) {
                    let serial = Serial::from_der_contents(entry.serial_number.as_bytes());
                    let time = new.revocation_time(&serial).expect("listed");
                    assert!(time <= secs(entry.revocation_date));
                }
            }
        }
    }
    assert!(count > 1_000, "{count}");
}
