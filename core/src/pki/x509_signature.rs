//! Verification of X.509 signed objects (certificates, CRLs): an
//! AlgorithmIdentifier, a BIT STRING signature, and the exact to-be-signed
//! octets.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

use super::key_tables::KeyTables;
use super::keys::{
    KeyAlgorithm, KeyError, PublicKey, SignatureEncoding, SignatureError, decode_signature,
};
use super::oids::{self, Oid};
use super::tlv::{self, AlgorithmIdentifier, BitString};

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

impl core::error::Error for CertSigError {}

/// The signature of an X.509 signed object (certificate, CRL):
/// signatureAlgorithm and the signature BIT STRING, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct X509Signature {
    oid: Oid,
    parameters_absent_or_null: bool,
    /// The signature octets; `None` when the BIT STRING has unused bits.
    value: Option<Vec<u8>>,
}

impl X509Signature {
    pub(crate) fn new(alg: &AlgorithmIdentifier<'_>, signature: BitString<'_>) -> Self {
        X509Signature {
            oid: alg.oid,
            parameters_absent_or_null: alg.parameters_absent_or_null(),
            value: signature.whole_bytes().map(<[u8]>::to_vec),
        }
    }

    /// Verifies the signature (a DER ECDSA-Sig-Value in the BIT STRING)
    /// over `tbs` with the issuer's `key`, with the verifier's per-key
    /// tables when given (same result).
    pub(crate) fn verify_by_issuer(
        &self,
        tbs: &[u8],
        key: Result<&PublicKey, &KeyError>,
        tables: Option<&KeyTables>,
    ) -> Result<(), CertSigError> {
        let needed = self.key_algorithm()?;
        let key = key.map_err(|e| CertSigError::IssuerKey(e.clone()))?;
        if key.algorithm() != needed {
            return Err(CertSigError::AlgorithmMismatch(format!(
                "signature algorithm {} needs an {} key, the issuer key is {}",
                self.oid,
                needed,
                key.algorithm()
            )));
        }
        let bytes = self.value.as_deref().ok_or_else(|| {
            CertSigError::Malformed("signature BIT STRING has unused bits".into())
        })?;
        let (sig, encoding) = decode_signature(bytes).map_err(|e| match e {
            SignatureError::Malformed(m) | SignatureError::Invalid(m) => CertSigError::Malformed(m),
        })?;
        if encoding != SignatureEncoding::Der {
            return Err(CertSigError::Malformed(
                "X.509 signatures must be DER-encoded (r, s)".into(),
            ));
        }
        let verified = match tables {
            Some(tables) => key.verify_with(tables, tbs, &sig),
            None => key.verify(tbs, &sig),
        };
        verified.map_err(|e| match e {
            SignatureError::Malformed(m) => CertSigError::Malformed(m),
            SignatureError::Invalid(m) => CertSigError::Invalid(m),
        })
    }

    /// The key type the algorithm needs: SM2-with-SM3 (1.2.156.10197.1.501)
    /// or ecdsa-with-SHA256 (1.2.840.10045.4.3.2). Parameters must be absent
    /// or NULL.
    fn key_algorithm(&self) -> Result<KeyAlgorithm, CertSigError> {
        let key = if self.oid == oids::SM2_WITH_SM3 {
            KeyAlgorithm::Sm2
        } else if self.oid == oids::ECDSA_WITH_SHA256 {
            KeyAlgorithm::P256
        } else {
            return Err(CertSigError::Unsupported(format!(
                "{} (supported: SM2-with-SM3 1.2.156.10197.1.501, ecdsa-with-SHA256 1.2.840.10045.4.3.2)",
                self.oid
            )));
        };
        if self.parameters_absent_or_null {
            Ok(key)
        } else {
            Err(CertSigError::Malformed(format!(
                "unexpected parameters for {}",
                self.oid
            )))
        }
    }
}

/// The outer structure of an X.509 signed object, `SEQUENCE { tbs
/// SEQUENCE, signatureAlgorithm AlgorithmIdentifier, signature BIT STRING
/// }`, read from the contents of the outer SEQUENCE: the raw
/// signatureAlgorithm element and the signature. The tbs element has
/// already been read by the caller and is skipped.
pub(crate) fn read_signature<'a>(outer: &'a [u8]) -> Result<(tlv::Tlv<'a>, X509Signature), String> {
    let mut f = tlv::Fields::new(outer);
    f.expect(tlv::TAG_SEQUENCE).map_err(|e| e.to_string())?;
    let alg_element = f.any().map_err(|e| format!("signatureAlgorithm: {e}"))?;
    let alg =
        tlv::algorithm_identifier(&alg_element).map_err(|e| format!("signatureAlgorithm: {e}"))?;
    let signature = f
        .any()
        .and_then(|t| tlv::bit_string(&t))
        .map_err(|e| format!("signature: {e}"))?;
    f.end()?;
    Ok((alg_element, X509Signature::new(&alg, signature)))
}
