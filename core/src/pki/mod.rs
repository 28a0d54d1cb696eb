//! Certificates, CMS and signature primitives.
//!
//! One job per module:
//! - [`keys`]: SM2 / P-256 public keys, bare signature values, verification;
//! - [`key_tables`]: per-key precomputation for keys seen repeatedly;
//! - [`digest`]: the digest algorithms SM3 and SHA-256 by OID;
//! - [`hash`]: their implementations;
//! - [`cert`]: X.509 v3 certificates;
//! - [`crl`]: certificate revocation lists;
//! - [`cms`]: detached CMS SignedData (spec §5.3);
//! - [`path`]: the host's trust material and certification path building;
//! - [`Serial`]: serial numbers, compared as integers;
//! - [`oids`]: object identifiers;
//! - [`demo`]: the project's demo trust anchors, known by fingerprint.
//!
//! Error enums keep "unsupported" (the verifier cannot judge) apart from
//! "invalid / malformed" (proven wrong). Nothing here panics on any input,
//! reads a clock, does I/O or uses randomness.

#[allow(unused_imports)]
use crate::prelude::*;

pub mod cert;
pub mod cms;
pub mod crl;
pub mod demo;
pub mod digest;
mod ecc;
pub mod hash;
pub mod key_tables;
pub mod keys;
mod name;
pub mod oids;
pub mod path;
mod serial;
mod x509_signature;
pub(crate) mod tlv;

pub use cert::{Cert, CertError, KeyUsageBits};
pub use cms::{
    CmsError, DetachedSignedData, DigestClaim, SignerId, parse_detached, parse_detached_claim,
    parse_with_content,
};
pub use crl::Crl;
pub use digest::DigestAlgorithm;
pub use key_tables::KeyTables;
pub use keys::{
    EcSignature, KeyAlgorithm, KeyError, PublicKey, SM2_DEFAULT_ID, SignatureEncoding,
    SignatureError, decode_signature,
};
pub use oids::Oid;
pub use path::{PathError, TrustStore};
pub use serial::Serial;
pub use x509_signature::CertSigError;
