//! X.509 v3 certificates: decoding, the fields the verifier needs, KeyInfo
//! matching and signature checking against an issuer.

use core::fmt;

use der::Decode;
use der::asn1::ObjectIdentifier;
use x509_cert::Certificate;
use x509_cert::certificate::Version;

use super::keys::{KeyError, PublicKey};
use super::name;
use super::oids;
pub use super::signed::CertSigError;
use super::signed::verify_x509_signature;
use super::tlv;

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

impl std::error::Error for CertError {}

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
#[derive(Clone)]
pub struct Cert {
    der: Vec<u8>,
    cert: Certificate,
    tbs: Vec<u8>,
    subject_der: Vec<u8>,
    issuer_der: Vec<u8>,
    serial_hex: String,
    not_before: i64,
    not_after: i64,
    key: Result<PublicKey, KeyError>,
    key_usage: Option<KeyUsageBits>,
    basic_constraints: Option<(bool, Option<u32>)>,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    unhandled_critical: Vec<ObjectIdentifier>,
}

impl fmt::Debug for Cert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cert")
            .field("subject", &self.subject_string())
            .field("issuer", &self.issuer_string())
            .field("serial", &self.serial_hex)
            .finish()
    }
}

/// Two certificates are equal when their DER is.
impl PartialEq for Cert {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Cert {}

/// Extensions whose semantics this verifier handles (or may safely ignore
/// for signature verification) when marked critical. Any other critical
/// extension makes the certificate unusable in a path (RFC 5280 §6.1.4 (o)).
const HANDLED_EXTENSIONS: &[ObjectIdentifier] = &[
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
        let invalid = |m: &str| CertError::Invalid(m.to_owned());
        let outer = tlv::read_all(der).map_err(|e| invalid(&format!("not DER: {e}")))?;
        if outer.tag != tlv::TAG_SEQUENCE {
            return Err(invalid("not a certificate (no outer SEQUENCE)"));
        }
        let (tbs, _) = tlv::expect(outer.value, tlv::TAG_SEQUENCE)
            .map_err(|e| invalid(&format!("tbsCertificate: {e}")))?;
        let (issuer_der, subject_der) =
            raw_names(tbs.value).map_err(|e| invalid(&format!("tbsCertificate: {e}")))?;

        let cert = Certificate::from_der(der)
            .map_err(|e| invalid(&format!("not an X.509 certificate: {e}")))?;
        let tbs_cert = cert.tbs_certificate();
        match tbs_cert.version() {
            Version::V3 => {}
            Version::V1 => return Err(CertError::Unsupported("X.509 v1 certificate".into())),
            Version::V2 => return Err(CertError::Unsupported("X.509 v2 certificate".into())),
        }
        if cert.signature_algorithm() != tbs_cert.signature() {
            return Err(invalid(
                "signatureAlgorithm differs from tbsCertificate.signature",
            ));
        }
        let ext = read_extensions(&cert)?;
        let validity = tbs_cert.validity();
        let serial_hex = tlv::serial_hex(tbs_cert.serial_number().as_bytes());
        let not_before = unix(validity.not_before.to_unix_duration());
        let not_after = unix(validity.not_after.to_unix_duration());
        let key = PublicKey::from_spki(tbs_cert.subject_public_key_info());
        Ok(Cert {
            der: der.to_vec(),
            tbs: tbs.raw.to_vec(),
            subject_der: subject_der.to_vec(),
            issuer_der: issuer_der.to_vec(),
            serial_hex,
            not_before,
            not_after,
            key,
            key_usage: ext.key_usage,
            basic_constraints: ext.basic_constraints,
            subject_key_id: ext.subject_key_id,
            authority_key_id: ext.authority_key_id,
            unhandled_critical: ext.unhandled_critical,
            cert,
        })
    }

    /// The certificate's DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The decoded certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }

    /// The exact tbsCertificate octets (what the issuer signed).
    pub fn tbs_der(&self) -> &[u8] {
        &self.tbs
    }

    /// The subject as an RFC 4514 string, RDNs last to first, like OpenSSL
    /// `-nameopt RFC2253` (`CN=...,O=...,C=CN`); text values shown as text.
    pub fn subject_string(&self) -> String {
        name::to_rfc4514(self.cert.tbs_certificate().subject())
    }

    /// The issuer as an RFC 4514 string (see [`Cert::subject_string`]).
    pub fn issuer_string(&self) -> String {
        name::to_rfc4514(self.cert.tbs_certificate().issuer())
    }

    /// The serial number in lower-case hex, leading zeros stripped (`"0"`
    /// for zero).
    pub fn serial_hex(&self) -> String {
        self.serial_hex.clone()
    }

    /// notBefore, Unix seconds.
    pub fn not_before(&self) -> i64 {
        self.not_before
    }

    /// notAfter, Unix seconds.
    pub fn not_after(&self) -> i64 {
        self.not_after
    }

    /// The subject public key, or why it cannot be used.
    pub fn public_key(&self) -> Result<PublicKey, KeyError> {
        self.key.clone()
    }

    /// The key usage bits; `None` when the extension is absent.
    pub fn key_usage(&self) -> Option<KeyUsageBits> {
        self.key_usage
    }

    /// basicConstraints cA; `None` when the extension is absent.
    pub fn is_ca(&self) -> Option<bool> {
        self.basic_constraints.map(|(ca, _)| ca)
    }

    /// basicConstraints pathLenConstraint, when present.
    pub fn path_len_constraint(&self) -> Option<u32> {
        self.basic_constraints.and_then(|(_, len)| len)
    }

    /// The subjectKeyIdentifier extension's key identifier.
    pub fn subject_key_identifier(&self) -> Option<&[u8]> {
        self.subject_key_id.as_deref()
    }

    /// The authorityKeyIdentifier extension's keyIdentifier.
    pub fn authority_key_identifier(&self) -> Option<&[u8]> {
        self.authority_key_id.as_deref()
    }

    /// Critical extensions this verifier does not process. A certificate
    /// with any is not used in a certification path.
    pub fn unhandled_critical_extensions(&self) -> &[ObjectIdentifier] {
        &self.unhandled_critical
    }

    /// The values of the subject attributes of type `oid` (e.g. 2.5.4.5
    /// serialNumber, 2.5.4.97 organizationIdentifier), in order. String
    /// types are decoded (PrintableString, UTF8String, IA5String,
    /// TeletexString as Latin-1, BMPString, ...); other types appear as `#`
    /// and the hex of their DER.
    pub fn subject_attribute_values(&self, oid: ObjectIdentifier) -> Vec<String> {
        name::attribute_values(self.cert.tbs_certificate().subject(), &oid)
    }

    /// The subject Name's exact DER.
    pub fn subject_der(&self) -> &[u8] {
        &self.subject_der
    }

    /// The issuer Name's exact DER.
    pub fn issuer_der(&self) -> &[u8] {
        &self.issuer_der
    }

    /// Whether subject and issuer are the same name.
    pub fn is_self_issued(&self) -> bool {
        name::names_equal(&self.subject_der, &self.issuer_der)
    }

    /// KeyInfo matching (spec §5.3): `serial_hex` is hexadecimal
    /// (case-insensitive, leading zeros, `:` and white space ignored);
    /// `issuer_rfc4514` is compared with the issuer as a set of (attribute
    /// type, value) pairs, values trimmed and case-insensitive. RFC 4514
    /// escapes (`\,`, `\2C`), `#hex` values and multi-valued RDNs (`+`) are
    /// understood; types: C, ST, L, O, OU, CN, SERIALNUMBER, DC, E /
    /// emailAddress, STREET, UID and a few more, or dotted OIDs.
    pub fn matches_issuer_serial(&self, issuer_rfc4514: &str, serial_hex: &str) -> bool {
        tlv::normalize_serial_hex(serial_hex).as_deref() == Some(self.serial_hex.as_str())
            && name::matches_rfc4514(self.cert.tbs_certificate().issuer(), issuer_rfc4514)
    }

    /// Verifies this certificate's signature with `issuer`'s public key.
    /// SM2-with-SM3 (1.2.156.10197.1.501, SM2 identifier 1234567812345678
    /// as in GM/T 0015) or ecdsa-with-SHA256 (1.2.840.10045.4.3.2); the
    /// issuer key must be of the matching type. Names are not compared here.
    pub fn verify_issued_by(&self, issuer: &Cert) -> Result<(), CertSigError> {
        verify_x509_signature(
            &self.tbs,
            self.cert.signature_algorithm(),
            self.cert.signature(),
            issuer.key.as_ref(),
        )
    }
}

/// What the verifier reads from the extensions.
#[derive(Default)]
struct ExtInfo {
    key_usage: Option<KeyUsageBits>,
    basic_constraints: Option<(bool, Option<u32>)>,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    unhandled_critical: Vec<ObjectIdentifier>,
}

fn read_extensions(cert: &Certificate) -> Result<ExtInfo, CertError> {
    let mut info = ExtInfo::default();
    let extensions = cert.tbs_certificate().extensions().map(|e| e.as_slice());
    let mut seen: Vec<ObjectIdentifier> = Vec::new();
    for ext in extensions.unwrap_or(&[]) {
        let id = ext.extn_id;
        if seen.contains(&id) {
            return Err(CertError::Invalid(format!("extension {id} appears twice")));
        }
        seen.push(id);
        let value = ext.extn_value.as_bytes();
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

fn unix(d: core::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// The raw issuer and subject Names from the contents of a tbsCertificate.
fn raw_names(tbs: &[u8]) -> Result<(&[u8], &[u8]), &'static str> {
    let (_, rest) = tlv::optional(tbs, tlv::context_constructed(0))?;
    let (_, rest) = tlv::expect(rest, tlv::TAG_INTEGER)?;
    let (_, rest) = tlv::expect(rest, tlv::TAG_SEQUENCE)?;
    let (issuer, rest) = tlv::expect(rest, tlv::TAG_SEQUENCE)?;
    let (_, rest) = tlv::expect(rest, tlv::TAG_SEQUENCE)?;
    let (subject, _) = tlv::expect(rest, tlv::TAG_SEQUENCE)?;
    Ok((issuer.raw, subject.raw))
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
