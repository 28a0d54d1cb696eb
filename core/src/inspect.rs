//! What hosts show beside a report: a summary of a certificate or a CRL the
//! user chose to trust, the SHA-256 of a file, the capital spelling (大写)
//! of an amount, and the check of one bare signature by the code that
//! verifies a bill's raw signatures. Each is one call over bytes, with the
//! stages of the verifier behind it.

#[allow(unused_imports)]
use crate::prelude::*;

use serde::Serialize;

use crate::pki::{Cert, Crl, KeyAlgorithm, PublicKey, SM2_DEFAULT_ID, decode_signature};
use crate::time::rfc3339;

/// A certificate as a host lists the user's trust material.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSummary {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    /// RFC 3339, UTC.
    pub not_before: String,
    pub not_after: String,
    /// Subject and issuer are the same name: a root, the usual trust anchor.
    pub self_issued: bool,
    pub sha256: String,
}

/// A CRL as a host lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrlSummary {
    pub issuer: String,
    pub this_update: String,
    pub next_update: Option<String>,
    pub revoked: usize,
    pub sha256: String,
}

/// The summary of one DER certificate, or why it is not a usable one.
pub fn describe_certificate(der: &[u8]) -> Result<CertificateSummary, String> {
    let cert = Cert::from_der(der).map_err(|e| e.to_string())?;
    Ok(CertificateSummary {
        subject: cert.subject_string(),
        issuer: cert.issuer_string(),
        serial: cert.serial_hex(),
        not_before: rfc3339(cert.not_before(), 0),
        not_after: rfc3339(cert.not_after(), 0),
        self_issued: cert.is_self_issued(),
        sha256: sha256_hex(der),
    })
}

/// The summary of one DER CRL, or why it is not a usable one.
pub fn describe_crl(der: &[u8]) -> Result<CrlSummary, String> {
    let crl = Crl::from_der(der).map_err(|e| e.to_string())?;
    Ok(CrlSummary {
        issuer: crl.issuer_string(),
        this_update: rfc3339(crl.this_update(), 0),
        next_update: crl.next_update().map(|t| rfc3339(t, 0)),
        revoked: crl.revoked_count(),
        sha256: sha256_hex(der),
    })
}

/// SHA-256 of `bytes`, in lower-case hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::pki::tlv::hex(&crate::pki::hash::Sha256::digest(bytes))
}

/// The canonical capital spelling (大写) of an amount in fen.
pub fn spell_amount(fen: i64) -> String {
    crate::capital::spell(fen)
}

/// The signature algorithms [`check_raw_signature`] knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawAlgorithm {
    /// SM2 with SM3, e = SM3(Z_A ‖ msg).
    Sm2Sm3,
    /// ECDSA on P-256 with SHA-256.
    EcdsaP256Sha256,
}

/// The outcome of [`check_raw_signature`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawSignatureCheck {
    Valid,
    /// Well-formed, and does not verify.
    Invalid,
    /// The signature value is neither strict DER nor r ‖ s.
    Malformed,
    /// The public key is not a point of the curve (SEC1).
    BadKey,
    /// An SM2 distinguishing identifier other than `1234567812345678` (the
    /// one the verifier uses), or one given for ECDSA.
    Unsupported,
}

/// Verifies one bare signature by the code that verifies a bill's `RAW`
/// signatures: the key from a SEC1 point (`04‖x‖y` or `02/03‖x`), the
/// value decoded as strict DER or r ‖ s. `sm2_id` empty means the default
/// identifier; for ECDSA it must be empty. For hosts that test the very
/// module they ship against published vectors.
pub fn check_raw_signature(
    alg: RawAlgorithm,
    key: &[u8],
    msg: &[u8],
    sig: &[u8],
    sm2_id: &[u8],
) -> RawSignatureCheck {
    let alg = match alg {
        RawAlgorithm::Sm2Sm3 if sm2_id.is_empty() || sm2_id == SM2_DEFAULT_ID => KeyAlgorithm::Sm2,
        RawAlgorithm::EcdsaP256Sha256 if sm2_id.is_empty() => KeyAlgorithm::P256,
        _ => return RawSignatureCheck::Unsupported,
    };
    let Ok(key) = PublicKey::from_sec1(alg, key) else {
        return RawSignatureCheck::BadKey;
    };
    let Ok((sig, _)) = decode_signature(sig) else {
        return RawSignatureCheck::Malformed;
    };
    match key.verify(msg, &sig) {
        Ok(()) => RawSignatureCheck::Valid,
        Err(_) => RawSignatureCheck::Invalid,
    }
}
