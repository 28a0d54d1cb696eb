//! Object identifiers used by the PKI layer.

#[allow(unused_imports)]
use crate::prelude::*;

pub use super::tlv::Oid;

/// id-ecPublicKey (RFC 5480).
pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
/// prime256v1 / secp256r1 / NIST P-256.
pub const PRIME256V1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
/// sm2p256v1, the SM2 curve (GM/T 0006); also used as an SPKI algorithm.
pub const SM2P256V1: Oid = Oid::new_unwrap("1.2.156.10197.1.301");
/// sm2sign (GM/T 0006), used by some CMS producers as signature algorithm.
pub const SM2_SIGN: Oid = Oid::new_unwrap("1.2.156.10197.1.301.1");
/// SM2 signature with SM3 (GM/T 0006).
pub const SM2_WITH_SM3: Oid = Oid::new_unwrap("1.2.156.10197.1.501");
/// ecdsa-with-SHA256 (RFC 5758).
pub const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");

/// rsaEncryption (RFC 8017), named in messages only.
pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
/// id-dsa (RFC 3279), named in messages only.
pub const DSA: Oid = Oid::new_unwrap("1.2.840.10040.4.1");
/// id-Ed25519 (RFC 8410), named in messages only.
pub const ED25519: Oid = Oid::new_unwrap("1.3.101.112");

/// SM3 (GM/T 0006).
pub const SM3: Oid = Oid::new_unwrap("1.2.156.10197.1.401");
/// SM3 "without key" (GM/T 0006): plain SM3, as some OFD writers name it.
pub const SM3_WITHOUT_KEY: Oid = Oid::new_unwrap("1.2.156.10197.1.401.1");
/// SHA-256 (NIST).
pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");

/// PKCS #7 / CMS data.
pub const PKCS7_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
/// PKCS #7 / CMS signedData.
pub const PKCS7_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
/// GB/T 35275 data.
pub const GM_DATA: Oid = Oid::new_unwrap("1.2.156.10197.6.1.4.2.1");
/// GB/T 35275 signedData.
pub const GM_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.156.10197.6.1.4.2.2");
/// PKCS #9 contentType attribute.
pub const ATTR_CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
/// PKCS #9 messageDigest attribute.
pub const ATTR_MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");

/// Certificate extensions (RFC 5280 §4.2).
pub const EXT_SUBJECT_KEY_ID: Oid = Oid::new_unwrap("2.5.29.14");
pub const EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
pub const EXT_SUBJECT_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.17");
pub const EXT_ISSUER_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.18");
pub const EXT_BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
pub const EXT_CRL_REASON: Oid = Oid::new_unwrap("2.5.29.21");
pub const EXT_CRL_DISTRIBUTION_POINTS: Oid = Oid::new_unwrap("2.5.29.31");
pub const EXT_CERTIFICATE_POLICIES: Oid = Oid::new_unwrap("2.5.29.32");
pub const EXT_AUTHORITY_KEY_ID: Oid = Oid::new_unwrap("2.5.29.35");
pub const EXT_EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");

/// Name attribute types.
pub const AT_COMMON_NAME: Oid = Oid::new_unwrap("2.5.4.3");
pub const AT_SURNAME: Oid = Oid::new_unwrap("2.5.4.4");
pub const AT_SERIAL_NUMBER: Oid = Oid::new_unwrap("2.5.4.5");
pub const AT_COUNTRY: Oid = Oid::new_unwrap("2.5.4.6");
pub const AT_LOCALITY: Oid = Oid::new_unwrap("2.5.4.7");
pub const AT_STATE: Oid = Oid::new_unwrap("2.5.4.8");
pub const AT_STREET: Oid = Oid::new_unwrap("2.5.4.9");
pub const AT_ORGANIZATION: Oid = Oid::new_unwrap("2.5.4.10");
pub const AT_ORG_UNIT: Oid = Oid::new_unwrap("2.5.4.11");
pub const AT_TITLE: Oid = Oid::new_unwrap("2.5.4.12");
pub const AT_POSTAL_CODE: Oid = Oid::new_unwrap("2.5.4.17");
pub const AT_GIVEN_NAME: Oid = Oid::new_unwrap("2.5.4.42");
pub const AT_DN_QUALIFIER: Oid = Oid::new_unwrap("2.5.4.46");
pub const AT_ORGANIZATION_IDENTIFIER: Oid = Oid::new_unwrap("2.5.4.97");
pub const AT_DOMAIN_COMPONENT: Oid = Oid::new_unwrap("0.9.2342.19200300.100.1.25");
pub const AT_USER_ID: Oid = Oid::new_unwrap("0.9.2342.19200300.100.1.1");
pub const AT_EMAIL_ADDRESS: Oid = Oid::new_unwrap("1.2.840.113549.1.9.1");
