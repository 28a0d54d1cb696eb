//! Verification of X.509 signed objects (certificates, CRLs): an
//! AlgorithmIdentifier, a BIT STRING signature, and the exact to-be-signed
//! octets.

use core::fmt;

use der::asn1::BitString;
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::keys::{
    KeyAlgorithm, KeyError, PublicKey, SignatureEncoding, SignatureError, decode_signature,
};
use super::oids;

/// Why a certificate's or CRL's signature is not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertSigError {
    /// A signature algorithm this verifier does not support (e.g.
    /// sha256WithRSAEncryption). Not a judgement on the signature.
    Unsupported(String),
    /// The issuer's key cannot be used (its own type unsupported, or
    /// malformed): see the inner [`KeyError`].
    IssuerKey(KeyError),
    /// The signature algorithm does not fit the issuer's key type (an
    /// SM2-with-SM3 signature checked with a P-256 key, say).
    AlgorithmMismatch(String),
    /// The signature value or algorithm parameters are malformed.
    Malformed(String),
    /// The signature does not verify.
    Invalid(String),
}

impl fmt::Display for CertSigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertSigError::Unsupported(m) => write!(f, "unsupported signature algorithm: {m}"),
            CertSigError::IssuerKey(e) => write!(f, "issuer key: {e}"),
            CertSigError::AlgorithmMismatch(m) => write!(f, "algorithm mismatch: {m}"),
            CertSigError::Malformed(m) => write!(f, "malformed signature: {m}"),
            CertSigError::Invalid(m) => write!(f, "signature does not verify: {m}"),
        }
    }
}

impl std::error::Error for CertSigError {}

/// The key type an X.509 signature algorithm needs: SM2-with-SM3
/// (1.2.156.10197.1.501) or ecdsa-with-SHA256 (1.2.840.10045.4.3.2).
/// Parameters must be absent or NULL.
pub(crate) fn x509_signature_key(
    alg: &AlgorithmIdentifierOwned,
) -> Result<KeyAlgorithm, CertSigError> {
    let key = if alg.oid == oids::SM2_WITH_SM3 {
        KeyAlgorithm::Sm2
    } else if alg.oid == oids::ECDSA_WITH_SHA256 {
        KeyAlgorithm::P256
    } else {
        return Err(CertSigError::Unsupported(format!(
            "{} (supported: SM2-with-SM3 1.2.156.10197.1.501, ecdsa-with-SHA256 1.2.840.10045.4.3.2)",
            alg.oid
        )));
    };
    match &alg.parameters {
        None => Ok(key),
        Some(p) if p.is_null() => Ok(key),
        Some(_) => Err(CertSigError::Malformed(format!(
            "unexpected parameters for {}",
            alg.oid
        ))),
    }
}

/// Verifies `signature` (DER ECDSA-Sig-Value in a BIT STRING) over `tbs`
/// with `key`, for the algorithm `alg`.
pub(crate) fn verify_x509_signature(
    tbs: &[u8],
    alg: &AlgorithmIdentifierOwned,
    signature: &BitString,
    key: Result<&PublicKey, &KeyError>,
) -> Result<(), CertSigError> {
    let needed = x509_signature_key(alg)?;
    let key = key.map_err(|e| CertSigError::IssuerKey(e.clone()))?;
    if key.algorithm() != needed {
        return Err(CertSigError::AlgorithmMismatch(format!(
            "signature algorithm {} needs an {} key, the issuer key is {}",
            alg.oid,
            needed,
            key.algorithm()
        )));
    }
    let bytes = signature
        .as_bytes()
        .ok_or_else(|| CertSigError::Malformed("signature BIT STRING has unused bits".into()))?;
    let (sig, encoding) = decode_signature(bytes).map_err(|e| match e {
        SignatureError::Malformed(m) | SignatureError::Invalid(m) => CertSigError::Malformed(m),
    })?;
    if encoding != SignatureEncoding::Der {
        return Err(CertSigError::Malformed(
            "X.509 signatures must be DER-encoded (r, s)".into(),
        ));
    }
    key.verify(tbs, &sig).map_err(|e| match e {
        SignatureError::Malformed(m) => CertSigError::Malformed(m),
        SignatureError::Invalid(m) => CertSigError::Invalid(m),
    })
}
