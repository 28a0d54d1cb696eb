//! X.509 v3 certificates: decoding, the fields the verifier needs, KeyInfo
//! matching and signature checking against an issuer.

#[allow(unused_imports)]
use crate::prelude::*;

use alloc::sync::Arc;
use core::fmt;

use super::key_tables::KeyTables;
use super::keys::{KeyError, PublicKey};
use super::name;
use super::oids::{self, Oid};
use super::serial::Serial;
pub use super::x509_signature::CertSigError;
use super::x509_signature::{X509Signature, read_signature};
use super::tlv::{self, Tlv};

/// Why a certificate or CRL cannot be used at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertError {
    /// Not DER, not a certificate / CRL, a malformed field or extension,
    /// trailing octets.
    Invalid(String),
    /// Well-formed but outside this profile (X.509 v1 or v2 certificate,
    /// unknown CRL version).
    Unsupported(String),
}

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertError::Invalid(m) => write!(f, "invalid: {m}"),
            CertError::Unsupported(m) => write!(f, "unsupported: {m}"),
        }
    }
}

impl core::error::Error for CertError {}

/// The key usage bits the verifier looks at (RFC 5280 §4.2.1.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KeyUsageBits {
    /// digitalSignature (bit 0).
    pub digital_signature: bool,
    /// nonRepudiation / contentCommitment (bit 1).
    pub non_repudiation: bool,
    /// keyCertSign (bit 5).
    pub key_cert_sign: bool,
    /// cRLSign (bit 6).
    pub crl_sign: bool,
}

/// A decoded X.509 v3 certificate with the fields the verifier uses.
/// Shared: a clone is another handle on the same decoded certificate.
#[derive(Clone)]
pub struct Cert(Arc<CertData>);

struct CertData {
    der: Vec<u8>,
    tbs: Vec<u8>,
    signature: X509Signature,
    subject_der: Vec<u8>,
    issuer_der: Vec<u8>,
    /// The names as RFC 4514 strings, made once: reports show them for
    /// every certificate of every path, bill after bill.
    subject: String,
    issuer: String,
    serial: Serial,
    serial_hex: String,
    not_before: i64,
    not_after: i64,
    key: Result<PublicKey, KeyError>,
    key_usage: Option<KeyUsageBits>,
    basic_constraints: Option<(bool, Option<u32>)>,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    unhandled_critical: Vec<Oid>,
}

impl fmt::Debug for Cert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cert")
            .field("subject", &self.subject_string())
            .field("issuer", &self.issuer_string())
            .field("serial", &self.0.serial_hex)
            .finish()
    }
}

/// Certificates decoded lately, by their whole DER. Bill after bill
/// carries the same few signer certificates, and decoding one (names, key,
/// extensions) was 4% of a bill's time in WebAssembly. A hit is the very
/// certificate decoding would give (the key is the whole DER, and decoding
/// is a pure function of it); only successes of at most [`KEPT_DER_BYTES`]
/// are kept. At most [`RECENT`] certificates: one list per thread with the
/// `std` feature (the core itself has no threads), one list in the
/// single-threaded WebAssembly module (no `std`; its lock is never
/// contended there).
mod recent {
    use super::Cert;
    #[allow(unused_imports)]
    use crate::prelude::*;

    /// How many certificates are kept.
    pub const RECENT: usize = 16;

    /// The largest certificate kept (real ones are about 1 KiB): the list
    /// holds well under a megabyte, whatever the bills carry.
    pub const KEPT_DER_BYTES: usize = 16 * 1024;

    #[cfg(feature = "std")]
    std::thread_local! {
        static CERTS: core::cell::RefCell<Vec<Cert>> = const { core::cell::RefCell::new(Vec::new()) };
    }

    /// Runs `f` on the list, unless it is in use (then `None`).
    #[cfg(feature = "std")]
    fn with<R>(f: impl FnOnce(&mut Vec<Cert>) -> R) -> Option<R> {
        CERTS.with(|certs| certs.try_borrow_mut().ok().map(|mut c| f(&mut c)))
    }

    #[cfg(not(feature = "std"))]
    static CERTS: spin::Mutex<Vec<Cert>> = spin::Mutex::new(Vec::new());

    /// Runs `f` on the list, unless it is in use (then `None`).
    #[cfg(not(feature = "std"))]
    fn with<R>(f: impl FnOnce(&mut Vec<Cert>) -> R) -> Option<R> {
        CERTS.try_lock().map(|mut c| f(&mut c))
    }

    pub fn find(der: &[u8]) -> Option<Cert> {
        with(|certs| certs.iter().find(|c| c.0.der == der).cloned()).flatten()
    }

    /// Keeps `cert`, forgetting the oldest when [`RECENT`] are kept.
    pub fn keep(cert: &Cert) {
        if cert.0.der.len() > KEPT_DER_BYTES {
            return;
        }
        with(|certs| {
            if certs.len() >= RECENT {
                certs.remove(0);
            }
            certs.push(cert.clone());
        });
    }
}

/// Two certificates are equal when their DER is.
impl PartialEq for Cert {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.der == other.0.der
    }
}

impl Eq for Cert {}

/// Extensions whose semantics this verifier handles (or may safely ignore
/// for signature verification) when marked critical. Any other critical
/// extension makes the certificate unusable in a path (RFC 5280 §6.1.4 (o)).
const HANDLED_EXTENSIONS: &[Oid] = &[
    oids::EXT_BASIC_CONSTRAINTS,
    oids::EXT_KEY_USAGE,
    oids::EXT_SUBJECT_KEY_ID,
    oids::EXT_AUTHORITY_KEY_ID,
    oids::EXT_SUBJECT_ALT_NAME,
    oids::EXT_ISSUER_ALT_NAME,
    oids::EXT_EXT_KEY_USAGE,
    oids::EXT_CERTIFICATE_POLICIES,
    oids::EXT_CRL_DISTRIBUTION_POINTS,
];

impl Cert {
    /// Decodes a DER certificate. X.509 v3 is required (v1/v2:
    /// [`CertError::Unsupported`]); trailing octets, malformed fields,
    /// malformed or duplicate extensions, and a signatureAlgorithm that
    /// differs from tbsCertificate.signature are [`CertError::Invalid`].
    pub fn from_der(der: &[u8]) -> Result<Cert, CertError> {
        if let Some(cert) = recent::find(der) {
            return Ok(cert);
        }
        let cert = Cert::decode(der)?;
        recent::keep(&cert);
        Ok(cert)
    }

    fn decode(der: &[u8]) -> Result<Cert, CertError> {
        let invalid = |m: &str| CertError::Invalid(m.to_owned());
        let outer = tlv::read_all(der).map_err(|e| invalid(&format!("not DER: {e}")))?;
        if outer.tag != tlv::TAG_SEQUENCE {
            return Err(invalid("not a certificate (no outer SEQUENCE)"));
        }
        let (tbs, _) = tlv::expect(outer.value, tlv::TAG_SEQUENCE)
            .map_err(|e| invalid(&format!("tbsCertificate: {e}")))?;
        let not_x509 = |m: String| invalid(&format!("not an X.509 certificate: {m}"));
        let fields = read_tbs(tbs.value).map_err(not_x509)?;
        let (alg, signature) = read_signature(outer.value).map_err(not_x509)?;
        match fields.version {
            2 => {}
            0 => return Err(CertError::Unsupported("X.509 v1 certificate".into())),
            _ => return Err(CertError::Unsupported("X.509 v2 certificate".into())),
        }
        if alg.raw != fields.signature.raw {
            return Err(invalid(
                "signatureAlgorithm differs from tbsCertificate.signature",
            ));
        }
        let ext = read_extensions(&fields.extensions)?;
        let key = PublicKey::from_spki(fields.spki.raw);
        Ok(Cert(Arc::new(CertData {
            der: der.to_vec(),
            tbs: tbs.raw.to_vec(),
            signature,
            subject: name::der_to_rfc4514(fields.subject.raw).unwrap_or_default(),
            issuer: name::der_to_rfc4514(fields.issuer.raw).unwrap_or_default(),
            subject_der: fields.subject.raw.to_vec(),
            issuer_der: fields.issuer.raw.to_vec(),
            serial: Serial::from_der_contents(fields.serial),
            serial_hex: tlv::serial_hex(fields.serial),
            not_before: fields.not_before,
            not_after: fields.not_after,
            key,
            key_usage: ext.key_usage,
            basic_constraints: ext.basic_constraints,
            subject_key_id: ext.subject_key_id,
            authority_key_id: ext.authority_key_id,
            unhandled_critical: ext.unhandled_critical,
        })))
    }

    /// The certificate's DER.
    pub fn der(&self) -> &[u8] {
        &self.0.der
    }

    /// The exact tbsCertificate octets (what the issuer signed).
    pub fn tbs_der(&self) -> &[u8] {
        &self.0.tbs
    }

    /// The subject as an RFC 4514 string, RDNs last to first, like OpenSSL
    /// `-nameopt RFC2253` (`CN=...,O=...,C=CN`); text values shown as text.
    pub fn subject_string(&self) -> String {
        self.0.subject.clone()
    }

    /// The issuer as an RFC 4514 string (see [`Cert::subject_string`]).
    pub fn issuer_string(&self) -> String {
        self.0.issuer.clone()
    }

    /// The serial number in lower-case hex, leading zeros stripped (`"0"`
    /// for zero), for display: the hex of the DER octets, so a negative
    /// serial (`FF12`) shows like a positive one (`00FF12`). Compare
    /// [`Cert::serial`], never this.
    pub fn serial_hex(&self) -> String {
        self.0.serial_hex.clone()
    }

    /// The serial number as an integer: what every comparison uses.
    pub fn serial(&self) -> &Serial {
        &self.0.serial
    }

    /// notBefore, Unix seconds.
    pub fn not_before(&self) -> i64 {
        self.0.not_before
    }

    /// notAfter, Unix seconds.
    pub fn not_after(&self) -> i64 {
        self.0.not_after
    }

    /// The subject public key, or why it cannot be used.
    pub fn public_key(&self) -> Result<PublicKey, KeyError> {
        self.0.key.clone()
    }

    /// The key usage bits; `None` when the extension is absent.
    pub fn key_usage(&self) -> Option<KeyUsageBits> {
        self.0.key_usage
    }

    /// basicConstraints cA; `None` when the extension is absent.
    pub fn is_ca(&self) -> Option<bool> {
        self.0.basic_constraints.map(|(ca, _)| ca)
    }

    /// basicConstraints pathLenConstraint, when present.
    pub fn path_len_constraint(&self) -> Option<u32> {
        self.0.basic_constraints.and_then(|(_, len)| len)
    }

    /// The subjectKeyIdentifier extension's key identifier.
    pub fn subject_key_identifier(&self) -> Option<&[u8]> {
        self.0.subject_key_id.as_deref()
    }

    /// The authorityKeyIdentifier extension's keyIdentifier.
    pub fn authority_key_identifier(&self) -> Option<&[u8]> {
        self.0.authority_key_id.as_deref()
    }

    /// Critical extensions this verifier does not process. A certificate
    /// with any is not used in a certification path.
    pub fn unhandled_critical_extensions(&self) -> &[Oid] {
        &self.0.unhandled_critical
    }

    /// The values of the subject attributes of type `oid` (e.g. 2.5.4.5
    /// serialNumber, 2.5.4.97 organizationIdentifier), in order. String
    /// types are decoded (PrintableString, UTF8String, IA5String,
    /// TeletexString as Latin-1, BMPString, ...); other types appear as `#`
    /// and the hex of their DER.
    pub fn subject_attribute_values(&self, oid: Oid) -> Vec<String> {
        name::parse(&self.0.subject_der)
            .map(|n| name::attribute_values(&n, &oid))
            .unwrap_or_default()
    }

    /// The subject Name's exact DER.
    pub fn subject_der(&self) -> &[u8] {
        &self.0.subject_der
    }

    /// The issuer Name's exact DER.
    pub fn issuer_der(&self) -> &[u8] {
        &self.0.issuer_der
    }

    /// Whether subject and issuer are the same name.
    pub fn is_self_issued(&self) -> bool {
        name::names_equal(&self.0.subject_der, &self.0.issuer_der)
    }

    /// KeyInfo matching (spec §5.3): `serial_hex` is hexadecimal
    /// (case-insensitive, leading zeros, `:` and white space ignored), a
    /// non-negative integer compared with the serial as an integer (see
    /// [`Serial::from_hex`]: it never names a negative serial);
    /// `issuer_rfc4514` is compared with the issuer as a set of (attribute
    /// type, value) pairs, values trimmed and case-insensitive. RFC 4514
    /// escapes (`\,`, `\2C`), `#hex` values and multi-valued RDNs (`+`) are
    /// understood; types: C, ST, L, O, OU, CN, SERIALNUMBER, DC, E /
    /// emailAddress, STREET, UID and a few more, or dotted OIDs.
    pub fn matches_issuer_serial(&self, issuer_rfc4514: &str, serial_hex: &str) -> bool {
        self.matches_serial_hex(serial_hex) && self.matches_issuer(issuer_rfc4514)
    }

    /// Whether `serial_hex` (KeyInfo `SerialNumber`, see
    /// [`Cert::matches_issuer_serial`]) names this certificate's serial.
    pub fn matches_serial_hex(&self, serial_hex: &str) -> bool {
        Serial::from_hex(serial_hex).as_ref() == Some(&self.0.serial)
    }

    /// Whether `issuer_rfc4514` (KeyInfo `X509IssuerName`, see
    /// [`Cert::matches_issuer_serial`]) names this certificate's issuer.
    pub fn matches_issuer(&self, issuer_rfc4514: &str) -> bool {
        name::parse(&self.0.issuer_der).is_ok_and(|n| name::matches_rfc4514(&n, issuer_rfc4514))
    }

    /// Verifies this certificate's signature with `issuer`'s public key.
    /// SM2-with-SM3 (1.2.156.10197.1.501, SM2 identifier 1234567812345678
    /// as in GM/T 0015) or ecdsa-with-SHA256 (1.2.840.10045.4.3.2); the
    /// issuer key must be of the matching type. Names are not compared here.
    pub fn verify_issued_by(&self, issuer: &Cert) -> Result<(), CertSigError> {
        let key = issuer.0.key.as_ref();
        self.0.signature.verify_by_issuer(&self.0.tbs, key, None)
    }

    /// [`Cert::verify_issued_by`] with the verifier's per-key tables (the
    /// same result; faster for an issuer met again and again).
    pub fn verify_issued_by_with(
        &self,
        issuer: &Cert,
        tables: &KeyTables,
    ) -> Result<(), CertSigError> {
        let key = issuer.0.key.as_ref();
        self.0.signature.verify_by_issuer(&self.0.tbs, key, Some(tables))
    }
}

/// The tbsCertificate fields, structurally checked.
struct TbsFields<'a> {
    /// 0, 1 or 2 (v1, v2, v3).
    version: u8,
    serial: &'a [u8],
    signature: Tlv<'a>,
    issuer: Tlv<'a>,
    not_before: i64,
    not_after: i64,
    subject: Tlv<'a>,
    spki: Tlv<'a>,
    extensions: Vec<Extension<'a>>,
}

/// One extension: extnID, critical (DEFAULT FALSE), extnValue's octets.
pub(crate) struct Extension<'a> {
    pub id: Oid,
    pub critical: bool,
    pub value: &'a [u8],
}

/// Reads the contents of a tbsCertificate (RFC 5280 §4.1):
///
/// ```text
/// SEQUENCE { version [0] EXPLICIT INTEGER DEFAULT v1, serialNumber INTEGER,
///   signature AlgorithmIdentifier, issuer Name, validity SEQUENCE { Time,
///   Time }, subject Name, subjectPublicKeyInfo SEQUENCE {
///   AlgorithmIdentifier, BIT STRING }, issuerUniqueID [1] IMPLICIT BIT
///   STRING OPTIONAL, subjectUniqueID [2] IMPLICIT BIT STRING OPTIONAL,
///   extensions [3] EXPLICIT SEQUENCE OF Extension OPTIONAL }
/// ```
fn read_tbs(tbs: &[u8]) -> Result<TbsFields<'_>, String> {
    let at = |what: &'static str| move |e: &str| format!("tbsCertificate.{what}: {e}");
    let mut f = tlv::Fields::new(tbs);
    let version = match f
        .optional(tlv::context_constructed(0))
        .map_err(at("version"))?
    {
        None => 0,
        Some(v) => {
            match tlv::integer(&tlv::explicit(&v).map_err(at("version"))?).map_err(at("version"))? {
                [n @ 0..=2] => *n,
                _ => return Err(at("version")("not v1, v2 or v3")),
            }
        }
    };
    let serial = tlv::integer(&f.any().map_err(at("serialNumber"))?).map_err(at("serialNumber"))?;
    // RFC 5280 allows 20 octets; 21 when a sign octet precedes them.
    if serial.len() > 21 {
        return Err(at("serialNumber")("longer than 20 octets"));
    }
    let signature = f.any().map_err(at("signature"))?;
    tlv::algorithm_identifier(&signature).map_err(at("signature"))?;
    let issuer = f.any().map_err(at("issuer"))?;
    name::parse(issuer.raw).map_err(at("issuer"))?;
    let mut validity = tlv::sequence(&f.any().map_err(at("validity"))?).map_err(at("validity"))?;
    let not_before = tlv::time(&validity.any().map_err(at("validity.notBefore"))?)
        .map_err(at("validity.notBefore"))?;
    let not_after = tlv::time(&validity.any().map_err(at("validity.notAfter"))?)
        .map_err(at("validity.notAfter"))?;
    validity.end().map_err(at("validity"))?;
    let subject = f.any().map_err(at("subject"))?;
    name::parse(subject.raw).map_err(at("subject"))?;
    let spki = f.any().map_err(at("subjectPublicKeyInfo"))?;
    read_spki(&spki).map_err(at("subjectPublicKeyInfo"))?;
    for (tag, what) in [
        (tlv::context_primitive(1), "issuerUniqueID"),
        (tlv::context_primitive(2), "subjectUniqueID"),
    ] {
        if let Some(id) = f.optional(tag).map_err(at(what))? {
            tlv::BitString::from_contents(id.value).map_err(at(what))?;
        }
    }
    let extensions = match f
        .optional(tlv::context_constructed(3))
        .map_err(at("extensions"))?
    {
        None => Vec::new(),
        Some(e) => read_extension_list(&tlv::explicit(&e).map_err(at("extensions"))?)
            .map_err(at("extensions"))?,
    };
    f.end().map_err(|e| format!("tbsCertificate: {e}"))?;
    Ok(TbsFields {
        version,
        serial,
        signature,
        issuer,
        not_before,
        not_after,
        subject,
        spki,
        extensions,
    })
}

/// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
/// subjectPublicKey BIT STRING }.
fn read_spki(spki: &Tlv<'_>) -> Result<(), &'static str> {
    let mut f = tlv::sequence(spki)?;
    tlv::algorithm_identifier(&f.any()?)?;
    tlv::bit_string(&f.any()?)?;
    f.end()
}

/// Extensions ::= SEQUENCE OF SEQUENCE { extnID OBJECT IDENTIFIER,
/// critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }.
pub(crate) fn read_extension_list<'a>(list: &Tlv<'a>) -> Result<Vec<Extension<'a>>, &'static str> {
    if list.tag != tlv::TAG_SEQUENCE {
        return Err("not a SEQUENCE");
    }
    let mut out = Vec::new();
    for ext in tlv::elements(list.value) {
        let mut f = tlv::sequence(&ext?).map_err(|_| "Extension is not a SEQUENCE")?;
        let id = tlv::oid(&f.any()?)?;
        let critical = match f.optional(tlv::TAG_BOOLEAN)? {
            Some(b) => tlv::boolean(&b)?,
            None => false,
        };
        let value = tlv::octet_string(&f.any()?)?;
        f.end()?;
        out.push(Extension {
            id,
            critical,
            value,
        });
    }
    Ok(out)
}

/// What the verifier reads from the extensions.
#[derive(Default)]
struct ExtInfo {
    key_usage: Option<KeyUsageBits>,
    basic_constraints: Option<(bool, Option<u32>)>,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    unhandled_critical: Vec<Oid>,
}

fn read_extensions(extensions: &[Extension<'_>]) -> Result<ExtInfo, CertError> {
    let mut info = ExtInfo::default();
    let mut seen: Vec<Oid> = Vec::new();
    for ext in extensions {
        let id = ext.id;
        if seen.contains(&id) {
            return Err(CertError::Invalid(format!("extension {id} appears twice")));
        }
        seen.push(id);
        let value = ext.value;
        let bad = |e: &str| CertError::Invalid(format!("extension {id}: {e}"));
        if id == oids::EXT_KEY_USAGE {
            info.key_usage = Some(parse_key_usage(value).map_err(bad)?);
        } else if id == oids::EXT_BASIC_CONSTRAINTS {
            info.basic_constraints = Some(parse_basic_constraints(value).map_err(bad)?);
        } else if id == oids::EXT_SUBJECT_KEY_ID {
            let os = tlv::read_all(value).map_err(bad)?;
            if os.tag != tlv::TAG_OCTET_STRING {
                return Err(bad("not an OCTET STRING"));
            }
            info.subject_key_id = Some(os.value.to_vec());
        } else if id == oids::EXT_AUTHORITY_KEY_ID {
            info.authority_key_id = parse_authority_key_id(value).map_err(bad)?;
        } else if ext.critical && !HANDLED_EXTENSIONS.contains(&id) {
            info.unhandled_critical.push(id);
        }
    }
    Ok(info)
}

/// KeyUsage ::= BIT STRING.
fn parse_key_usage(value: &[u8]) -> Result<KeyUsageBits, &'static str> {
    let bits = tlv::read_all(value)?;
    if bits.tag != tlv::TAG_BIT_STRING {
        return Err("not a BIT STRING");
    }
    let (&unused, bytes) = bits.value.split_first().ok_or("empty BIT STRING")?;
    if unused > 7 || (bytes.is_empty() && unused != 0) {
        return Err("bad BIT STRING");
    }
    let bit = |i: usize| {
        bytes
            .get(i / 8)
            .is_some_and(|b| b & (0x80u8 >> (i % 8)) != 0)
    };
    Ok(KeyUsageBits {
        digital_signature: bit(0),
        non_repudiation: bit(1),
        key_cert_sign: bit(5),
        crl_sign: bit(6),
    })
}

/// BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
/// pathLenConstraint INTEGER (0..MAX) OPTIONAL }. An explicitly encoded
/// FALSE (not DER, but common) is accepted.
fn parse_basic_constraints(value: &[u8]) -> Result<(bool, Option<u32>), &'static str> {
    let seq = tlv::read_all(value)?;
    if seq.tag != tlv::TAG_SEQUENCE {
        return Err("not a SEQUENCE");
    }
    let (ca, rest) = tlv::optional(seq.value, tlv::TAG_BOOLEAN)?;
    let ca = match ca {
        None => false,
        Some(b) => match b.value {
            [0x00] => false,
            [_] => true,
            _ => return Err("bad BOOLEAN"),
        },
    };
    let (len, rest) = tlv::optional(rest, tlv::TAG_INTEGER)?;
    if !rest.is_empty() {
        return Err("unexpected data");
    }
    let len = match len {
        None => None,
        Some(i) => {
            let (first, _) = i.value.split_first().ok_or("empty INTEGER")?;
            if first & 0x80 != 0 {
                return Err("negative pathLenConstraint");
            }
            Some(i.value.iter().fold(0u32, |acc, &b| {
                acc.saturating_mul(256).saturating_add(u32::from(b))
            }))
        }
    };
    Ok((ca, len))
}

/// AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OPTIONAL, ... }.
fn parse_authority_key_id(value: &[u8]) -> Result<Option<Vec<u8>>, &'static str> {
    let seq = tlv::read_all(value)?;
    if seq.tag != tlv::TAG_SEQUENCE {
        return Err("not a SEQUENCE");
    }
    let (kid, _) = tlv::optional(seq.value, tlv::context_primitive(0))?;
    Ok(kid.map(|k| k.value.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_usage_bits() {
        // digitalSignature, keyCertSign, cRLSign: 03 02 01 86
        let ku = parse_key_usage(&[0x03, 0x02, 0x01, 0x86]).unwrap();
        assert!(ku.digital_signature && ku.key_cert_sign && ku.crl_sign && !ku.non_repudiation);
        // digitalSignature + nonRepudiation: 03 02 06 C0
        let ku = parse_key_usage(&[0x03, 0x02, 0x06, 0xC0]).unwrap();
        assert!(ku.digital_signature && ku.non_repudiation && !ku.key_cert_sign);
        assert!(parse_key_usage(&[0x03, 0x00]).is_err());
        assert!(parse_key_usage(&[0x04, 0x01, 0x00]).is_err());
        assert!(parse_key_usage(&[0x03, 0x01, 0x01]).is_err());
    }

    #[test]
    fn basic_constraints() {
        assert_eq!(parse_basic_constraints(&[0x30, 0x00]), Ok((false, None)));
        assert_eq!(
            parse_basic_constraints(&[0x30, 0x06, 0x01, 0x01, 0xFF, 0x02, 0x01, 0x00]),
            Ok((true, Some(0)))
        );
        assert_eq!(
            parse_basic_constraints(&[0x30, 0x03, 0x01, 0x01, 0x00]),
            Ok((false, None))
        );
        assert!(parse_basic_constraints(&[0x30, 0x03, 0x02, 0x01, 0x80]).is_err());
        assert!(parse_basic_constraints(&[0x30, 0x02, 0x05, 0x00]).is_err());
    }

    #[test]
    fn garbage_is_invalid() {
        for bad in [
            &[][..],
            &[0x30, 0x00],
            &[0x30, 0x03, 0x02, 0x01, 0x01],
            &[0x04, 0x00],
        ] {
            assert!(matches!(Cert::from_der(bad), Err(CertError::Invalid(_))));
        }
    }
}
