//! Signature primitives: SM2 and ECDSA P-256 public keys, bare signature
//! values, verification.
//!
//! - SM2 (GB/T 32918.2) with SM3: e = SM3(Z_A ‖ M), Z_A computed with the
//!   distinguishing identifier [`SM2_DEFAULT_ID`] (GB/T 35276, GM/T 0009).
//! - ECDSA over P-256 with SHA-256 (FIPS 186-4); high-S signatures are
//!   accepted, as FIPS 186-4 does.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

use super::ecc::{self, Affine, Curve, PointError, VerifyError};
use super::hash::{Sha256, Sm3};
use super::key_tables::KeyTables;
use super::oids::{self, Oid};
use super::tlv::{self, Tlv};

/// The SM2 distinguishing identifier used throughout: `1234567812345678`.
pub const SM2_DEFAULT_ID: &[u8] = b"1234567812345678";

/// The public-key algorithms this verifier supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyAlgorithm {
    /// SM2 on the sm2p256v1 curve, signatures with SM3.
    Sm2,
    /// ECDSA on NIST P-256, signatures with SHA-256.
    P256,
}

impl KeyAlgorithm {
    /// "SM2" or "P-256".
    pub fn name(&self) -> &'static str {
        match self {
            KeyAlgorithm::Sm2 => "SM2",
            KeyAlgorithm::P256 => "P-256",
        }
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a public key cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// A key type, curve or encoding this verifier does not support (RSA,
    /// P-384, explicit curve parameters...). Not a judgement on the key.
    Unsupported(String),
    /// A key of a supported type that is malformed: not a point on the
    /// curve, the point at infinity, bad encoding.
    Invalid(String),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Unsupported(m) => write!(f, "unsupported public key: {m}"),
            KeyError::Invalid(m) => write!(f, "invalid public key: {m}"),
        }
    }
}

impl core::error::Error for KeyError {}

/// Why a signature value is rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature value cannot be decoded (not strict DER
    /// `ECDSA-Sig-Value`, not 64 octets r ‖ s, integer too long, negative).
    Malformed(String),
    /// The signature decodes but is wrong: r or s out of range, or it does
    /// not verify with the key over the message.
    Invalid(String),
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Malformed(m) => write!(f, "malformed signature: {m}"),
            SignatureError::Invalid(m) => write!(f, "invalid signature: {m}"),
        }
    }
}

impl core::error::Error for SignatureError {}

/// A parsed, usable public key.
#[derive(Clone)]
pub struct PublicKey {
    inner: Inner,
}

/// A point of the key's curve, checked on the curve and not at infinity.
#[derive(Clone)]
enum Inner {
    Sm2(Affine),
    P256(Affine),
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PublicKey({}, {})",
            self.algorithm(),
            tlv::hex(&self.sec1_uncompressed())
        )
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.algorithm() == other.algorithm()
            && self.sec1_uncompressed() == other.sec1_uncompressed()
    }
}

impl Eq for PublicKey {}

impl PublicKey {
    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match self.inner {
            Inner::Sm2(_) => KeyAlgorithm::Sm2,
            Inner::P256(_) => KeyAlgorithm::P256,
        }
    }

    /// From a SubjectPublicKeyInfo: id-ecPublicKey (1.2.840.10045.2.1) with
    /// named curve sm2p256v1 (1.2.156.10197.1.301) or prime256v1
    /// (1.2.840.10045.3.1.7), or an SPKI whose algorithm OID is
    /// 1.2.156.10197.1.301 itself (parameters absent, NULL or that OID).
    /// `spki` is the DER of the SubjectPublicKeyInfo.
    pub fn from_spki(spki: &[u8]) -> Result<PublicKey, KeyError> {
        let (algorithm, key) =
            read_spki(spki).map_err(|e| KeyError::Invalid(format!("SubjectPublicKeyInfo: {e}")))?;
        let alg = spki_algorithm(&algorithm.oid, algorithm.parameters.as_ref())?;
        let point = key.whole_bytes().ok_or_else(|| {
            KeyError::Invalid("subjectPublicKey BIT STRING has unused bits".into())
        })?;
        PublicKey::from_sec1(alg, point)
    }

    /// From a SEC1 point (uncompressed `04‖x‖y` or compressed `02/03‖x`).
    pub fn from_sec1(alg: KeyAlgorithm, bytes: &[u8]) -> Result<PublicKey, KeyError> {
        let (curve, on) = match alg {
            KeyAlgorithm::Sm2 => (&ecc::SM2, "the SM2 curve"),
            KeyAlgorithm::P256 => (&ecc::P256, "P-256"),
        };
        let point = curve.decode(bytes).map_err(|e| {
            let why = match e {
                PointError::Encoding => "neither 04‖x‖y nor 02/03‖x with 32-octet coordinates",
                PointError::Infinity => "the point at infinity",
                PointError::CoordinateRange => "a coordinate is not below p",
                PointError::NotOnCurve => "not on the curve",
            };
            KeyError::Invalid(format!("not a valid point on {on}: {why}"))
        })?;
        let inner = match alg {
            KeyAlgorithm::Sm2 => Inner::Sm2(point),
            KeyAlgorithm::P256 => Inner::P256(point),
        };
        Ok(PublicKey { inner })
    }

    pub(crate) fn curve_point(&self) -> (&'static Curve, &Affine) {
        match &self.inner {
            Inner::Sm2(q) => (&ecc::SM2, q),
            Inner::P256(q) => (&ecc::P256, q),
        }
    }

    /// The key as an uncompressed SEC1 point, `04 ‖ x ‖ y` (65 octets).
    pub fn sec1_uncompressed(&self) -> Vec<u8> {
        let (curve, q) = self.curve_point();
        curve.encode(q).to_vec()
    }

    /// For an SM2 key, Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A)
    /// with ID_A = [`SM2_DEFAULT_ID`] (GB/T 32918.2 §5.5). `None` for P-256.
    pub fn sm2_z(&self) -> Option<[u8; 32]> {
        match &self.inner {
            Inner::Sm2(_) => sm2_z(SM2_DEFAULT_ID, &self.sec1_uncompressed()),
            Inner::P256(_) => None,
        }
    }

    /// For an SM2 key, e = SM3(Z_A ‖ msg), the value SM2 actually signs.
    /// `None` for P-256.
    pub fn sm2_e(&self, msg: &[u8]) -> Option<[u8; 32]> {
        let z = self.sm2_z()?;
        let mut h = Sm3::new();
        h.update(&z);
        h.update(msg);
        Some(h.finalize())
    }

    /// Verifies `sig` over `msg`: SM2 with SM3 (e = SM3(Z_A ‖ msg)), or
    /// ECDSA P-256 with SHA-256. r and s must lie in [1, n-1].
    pub fn verify(&self, msg: &[u8], sig: &EcSignature) -> Result<(), SignatureError> {
        let (_, q) = self.curve_point();
        self.verify_as(ecc::Key::Point(q), None, msg, sig)
    }

    /// [`PublicKey::verify`] with the verifier's per-key tables: the same
    /// result, faster for a key seen before (see [`KeyTables`]).
    pub fn verify_with(
        &self,
        tables: &KeyTables,
        msg: &[u8],
        sig: &EcSignature,
    ) -> Result<(), SignatureError> {
        match tables.table_for(self) {
            Some(t) => self.verify_as(ecc::Key::Table(&t.fixed), t.z, msg, sig),
            None => self.verify(msg, sig),
        }
    }

    /// Verifies with Q given as `q` and, for SM2, Z_A if known.
    fn verify_as(
        &self,
        q: ecc::Key<'_>,
        z: Option<[u8; 32]>,
        msg: &[u8],
        sig: &EcSignature,
    ) -> Result<(), SignatureError> {
        let (curve, _) = self.curve_point();
        let (result, name) = match &self.inner {
            Inner::Sm2(_) => {
                let z = z
                    .or_else(|| self.sm2_z())
                    .ok_or_else(|| SignatureError::Invalid("SM2 Z_A".into()))?;
                let mut h = Sm3::new();
                h.update(&z);
                h.update(msg);
                (ecc::sm2(curve, q, &h.finalize(), &sig.r, &sig.s), "SM2")
            }
            Inner::P256(_) => {
                let e = Sha256::digest(msg);
                (ecc::ecdsa(curve, q, &e, &sig.r, &sig.s), "ECDSA P-256")
            }
        };
        result.map_err(|e| match e {
            VerifyError::OutOfRange => SignatureError::Invalid("r or s is not in [1, n-1]".into()),
            VerifyError::Mismatch => {
                SignatureError::Invalid(format!("{name} signature does not verify"))
            }
        })
    }
}

/// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
/// subjectPublicKey BIT STRING }.
fn read_spki(
    der: &[u8],
) -> Result<(tlv::AlgorithmIdentifier<'_>, tlv::BitString<'_>), &'static str> {
    let mut f = tlv::sequence(&tlv::read_all(der)?)?;
    let algorithm = tlv::algorithm_identifier(&f.any()?)?;
    let key = tlv::bit_string(&f.any()?)?;
    f.end()?;
    Ok((algorithm, key))
}

/// Which key algorithm an SPKI algorithm identifier denotes.
fn spki_algorithm(oid: &Oid, params: Option<&Tlv<'_>>) -> Result<KeyAlgorithm, KeyError> {
    if *oid == oids::EC_PUBLIC_KEY {
        let params = params
            .ok_or_else(|| KeyError::Invalid("id-ecPublicKey without curve parameters".into()))?;
        match params.tag {
            tlv::TAG_OID => {
                let curve =
                    tlv::oid(params).map_err(|e| KeyError::Invalid(format!("curve OID: {e}")))?;
                if curve == oids::SM2P256V1 {
                    Ok(KeyAlgorithm::Sm2)
                } else if curve == oids::PRIME256V1 {
                    Ok(KeyAlgorithm::P256)
                } else {
                    Err(KeyError::Unsupported(format!("elliptic curve {curve}")))
                }
            }
            tlv::TAG_SEQUENCE => Err(KeyError::Unsupported(
                "explicit elliptic-curve parameters".into(),
            )),
            tlv::TAG_NULL => Err(KeyError::Unsupported(
                "implicitly-specified elliptic curve".into(),
            )),
            other => Err(KeyError::Invalid(format!(
                "id-ecPublicKey parameters of type {}",
                tlv::tag_name(other)
            ))),
        }
    } else if *oid == oids::SM2P256V1 {
        match params {
            None => Ok(KeyAlgorithm::Sm2),
            Some(p) if tlv::is_null(p) => Ok(KeyAlgorithm::Sm2),
            Some(p) if tlv::oid(p).ok() == Some(oids::SM2P256V1) => Ok(KeyAlgorithm::Sm2),
            Some(_) => Err(KeyError::Invalid(
                "SM2 key with unexpected parameters".into(),
            )),
        }
    } else {
        Err(KeyError::Unsupported(format!(
            "key algorithm {}",
            key_algorithm_name(oid)
        )))
    }
}

/// A message's name for an unsupported key algorithm.
fn key_algorithm_name(oid: &Oid) -> String {
    let name = [
        (oids::RSA_ENCRYPTION, "RSA"),
        (oids::DSA, "DSA"),
        (oids::ED25519, "Ed25519"),
    ]
    .into_iter()
    .find(|(known, _)| known == oid)
    .map(|(_, name)| name);
    match name {
        Some(name) => format!("{name} ({oid})"),
        None => oid.to_string(),
    }
}

/// Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) for an uncompressed
/// SM2 point `04 ‖ x_A ‖ y_A`. `None` if the point is not 65 octets or the
/// identifier is longer than 8191 octets.
fn sm2_z(id: &[u8], point: &[u8]) -> Option<[u8; 32]> {
    let (&prefix, xy) = point.split_first()?;
    if prefix != 0x04 || xy.len() != 64 {
        return None;
    }
    let entl = u16::try_from(id.len().checked_mul(8)?).ok()?;
    let mut h = Sm3::new();
    for part in [
        &entl.to_be_bytes()[..],
        id,
        &ecc::SM2_A,
        &ecc::SM2_B,
        &ecc::SM2_GX,
        &ecc::SM2_GY,
        xy,
    ] {
        h.update(part);
    }
    Some(h.finalize())
}

/// An ECDSA / SM2 signature (r, s) as two 32-octet big-endian integers.
/// The range 0 < r, s < n is checked at verification time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EcSignature {
    /// r, big-endian, left-padded with zeros.
    pub r: [u8; 32],
    /// s, big-endian, left-padded with zeros.
    pub s: [u8; 32],
}

impl EcSignature {
    /// The 64-octet r ‖ s form.
    pub fn to_raw(self) -> [u8; 64] {
        let mut out = [0u8; 64];
        let (r, s) = out.split_at_mut(32);
        r.copy_from_slice(&self.r);
        s.copy_from_slice(&self.s);
        out
    }
}

/// How a bare signature value was encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureEncoding {
    /// DER `SEQUENCE { r INTEGER, s INTEGER }` (ECDSA-Sig-Value, SM2Signature).
    Der,
    /// 64 octets: r ‖ s, each 32 octets big-endian.
    RawRs,
}

impl SignatureEncoding {
    /// `"DER"` or `"RS"` (the report's `encoding` values).
    pub fn as_str(&self) -> &'static str {
        match self {
            SignatureEncoding::Der => "DER",
            SignatureEncoding::RawRs => "RS",
        }
    }
}

/// Decodes a bare signature value: strict DER `SEQUENCE { r INTEGER,
/// s INTEGER }` (minimal lengths, minimal non-negative integers of at most
/// 32 octets once the sign octet is removed, nothing after the SEQUENCE), or
/// exactly 64 octets r ‖ s. DER is tried first; a 64-octet value that is not
/// a complete DER signature is taken as r ‖ s.
pub fn decode_signature(bytes: &[u8]) -> Result<(EcSignature, SignatureEncoding), SignatureError> {
    match decode_der_signature(bytes) {
        Ok(sig) => Ok((sig, SignatureEncoding::Der)),
        Err(der_error) => {
            if let Ok(raw) = <&[u8; 64]>::try_from(bytes) {
                let mut sig = EcSignature {
                    r: [0; 32],
                    s: [0; 32],
                };
                let (r, s) = raw.split_at(32);
                sig.r.copy_from_slice(r);
                sig.s.copy_from_slice(s);
                Ok((sig, SignatureEncoding::RawRs))
            } else {
                Err(SignatureError::Malformed(format!(
                    "{} octets, neither 64-octet r‖s nor DER ({der_error})",
                    bytes.len()
                )))
            }
        }
    }
}

fn decode_der_signature(bytes: &[u8]) -> Result<EcSignature, &'static str> {
    let seq = tlv::read_all(bytes)?;
    if seq.tag != tlv::TAG_SEQUENCE {
        return Err("not a SEQUENCE");
    }
    let (r, rest) = tlv::expect(seq.value, tlv::TAG_INTEGER).map_err(|_| "r is not an INTEGER")?;
    let (s, rest) = tlv::expect(rest, tlv::TAG_INTEGER).map_err(|_| "s is not an INTEGER")?;
    if !rest.is_empty() {
        return Err("data after s inside the SEQUENCE");
    }
    Ok(EcSignature {
        r: der_uint32(r.value)?,
        s: der_uint32(s.value)?,
    })
}

/// A DER INTEGER's contents as a non-negative integer of at most 32 octets.
fn der_uint32(value: &[u8]) -> Result<[u8; 32], &'static str> {
    let magnitude = match value {
        [] => return Err("empty INTEGER"),
        [first, ..] if first & 0x80 != 0 => return Err("negative INTEGER"),
        [0, next, ..] if next & 0x80 == 0 => return Err("non-minimal INTEGER"),
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => value,
    };
    if magnitude.len() > 32 {
        return Err("INTEGER longer than 32 octets");
    }
    let mut out = [0u8; 32];
    let start = 32 - magnitude.len();
    out.get_mut(start..)
        .ok_or("INTEGER longer than 32 octets")?
        .copy_from_slice(magnitude);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // GB/T 32918.5 / GM/T 0003.5 Annex A example (ID 1234567812345678).
    const PK: &str = "0409F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13";
    const R: &str = "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3";
    const S: &str = "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA";

    fn sig() -> EcSignature {
        let mut sig = EcSignature {
            r: [0; 32],
            s: [0; 32],
        };
        sig.r.copy_from_slice(&tlv::unhex(R).unwrap());
        sig.s.copy_from_slice(&tlv::unhex(S).unwrap());
        sig
    }

    #[test]
    fn sm2_example_matches_the_crate_verifier() {
        let key = PublicKey::from_sec1(KeyAlgorithm::Sm2, &tlv::unhex(PK).unwrap()).unwrap();
        assert_eq!(key.algorithm(), KeyAlgorithm::Sm2);
        assert!(key.verify(b"message digest", &sig()).is_ok());
        // The crate's own Z_A computation agrees with ours.
        use sm2::dsa::signature::Verifier as _;
        let vk =
            sm2::dsa::VerifyingKey::from_sec1_bytes("1234567812345678", &key.sec1_uncompressed())
                .unwrap();
        let crate_sig = sm2::dsa::Signature::from_scalars(sig().r, sig().s).unwrap();
        assert!(vk.verify(b"message digest", &crate_sig).is_ok());
        assert!(key.verify(b"message digesT", &sig()).is_err());
    }

    #[test]
    fn der_integers_are_strict() {
        assert_eq!(der_uint32(&[0x01]).unwrap()[31], 1);
        assert!(der_uint32(&[]).is_err());
        assert!(der_uint32(&[0x80]).is_err());
        assert!(der_uint32(&[0x00, 0x01]).is_err());
        assert!(der_uint32(&[0x00, 0x80]).is_ok());
        assert_eq!(der_uint32(&[0x00]).unwrap(), [0u8; 32]);
        assert!(der_uint32(&[0x01; 33]).is_err());
        let mut v = vec![0x00];
        v.extend([0xFF; 32]);
        assert_eq!(der_uint32(&v).unwrap(), [0xFF; 32]);
        let mut v = vec![0x00];
        v.extend([0xFF; 33]);
        assert!(der_uint32(&v).is_err());
    }

    #[test]
    fn signature_encodings() {
        let s = sig();
        let raw = s.to_raw();
        assert_eq!(
            decode_signature(&raw).unwrap(),
            (s, SignatureEncoding::RawRs)
        );
        let mut der = vec![0x30, 0x46, 0x02, 0x21, 0x00];
        der.extend(s.r);
        der.extend([0x02, 0x21, 0x00]);
        der.extend(s.s);
        assert_eq!(decode_signature(&der).unwrap(), (s, SignatureEncoding::Der));
        der.push(0);
        assert!(matches!(
            decode_signature(&der),
            Err(SignatureError::Malformed(_))
        ));
        assert!(decode_signature(&[]).is_err());
        assert!(decode_signature(&raw[..63]).is_err());
    }

    #[test]
    fn zero_and_out_of_range_are_invalid_not_malformed() {
        let key = PublicKey::from_sec1(KeyAlgorithm::Sm2, &tlv::unhex(PK).unwrap()).unwrap();
        let (zero, _) =
            decode_signature(&[0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]).unwrap();
        assert!(matches!(
            key.verify(b"x", &zero),
            Err(SignatureError::Invalid(_))
        ));
        let big = EcSignature {
            r: [0xFF; 32],
            s: [0xFF; 32],
        };
        assert!(matches!(
            key.verify(b"x", &big),
            Err(SignatureError::Invalid(_))
        ));
    }

    #[test]
    fn bad_points_are_invalid() {
        assert!(matches!(
            PublicKey::from_sec1(KeyAlgorithm::P256, &[0x04; 65]),
            Err(KeyError::Invalid(_))
        ));
        assert!(matches!(
            PublicKey::from_sec1(KeyAlgorithm::Sm2, &[0x00]),
            Err(KeyError::Invalid(_))
        ));
        assert!(PublicKey::from_sec1(KeyAlgorithm::Sm2, &[]).is_err());
    }
}
