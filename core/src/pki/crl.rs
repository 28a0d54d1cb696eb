//! Certificate revocation lists (RFC 5280 §5), v1 or v2.

use core::fmt;

use der::asn1::BitString;
use der::{Decode, Sequence};
use x509_cert::certificate::Version;
use x509_cert::crl::RevokedCert;
use x509_cert::ext::Extensions;
use x509_cert::name::Name;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::time::Time;

use super::cert::{Cert, CertError};
use super::name;
use super::oids;
use super::signed::{CertSigError, verify_x509_signature};
use super::tlv;

/// CertificateList with an optional version (x509-cert's type requires it,
/// which v1 CRLs lack).
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

/// reasonCode removeFromCRL (RFC 5280 §5.3.1): the entry un-revokes.
const REMOVE_FROM_CRL: u8 = 8;

/// A decoded CRL.
#[derive(Clone)]
pub struct Crl {
    der: Vec<u8>,
    tbs: Vec<u8>,
    issuer_der: Vec<u8>,
    issuer: Name,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
    this_update: i64,
    next_update: Option<i64>,
    /// (normalised serial hex, revocation time).
    revoked: Vec<(String, i64)>,
}

impl fmt::Debug for Crl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Crl")
            .field("issuer", &self.issuer_string())
            .field("this_update", &self.this_update)
            .field("revoked", &self.revoked.len())
            .finish()
    }
}

impl Crl {
    /// Decodes a DER CRL (v1 or v2; other versions:
    /// [`CertError::Unsupported`]). Trailing octets are an error.
    pub fn from_der(der: &[u8]) -> Result<Crl, CertError> {
        let invalid = |m: String| CertError::Invalid(m);
        let outer = tlv::read_all(der).map_err(|e| invalid(format!("not DER: {e}")))?;
        if outer.tag != tlv::TAG_SEQUENCE {
            return Err(invalid("not a CRL (no outer SEQUENCE)".into()));
        }
        let (tbs, _) = tlv::expect(outer.value, tlv::TAG_SEQUENCE)
            .map_err(|e| invalid(format!("tbsCertList: {e}")))?;
        let issuer_der = raw_issuer(tbs.value).map_err(|e| invalid(format!("tbsCertList: {e}")))?;
        let list = CertificateList::from_der(der)
            .map_err(|e| invalid(format!("not an X.509 CRL: {e}")))?;
        match list.tbs.version {
            None | Some(Version::V2) => {}
            Some(v) => {
                return Err(CertError::Unsupported(format!("CRL version {v:?}")));
            }
        }
        if list.signature_algorithm != list.tbs.signature {
            return Err(invalid(
                "signatureAlgorithm differs from tbsCertList.signature".into(),
            ));
        }
        let mut revoked = Vec::new();
        for entry in list.tbs.revoked_certificates.iter().flatten() {
            if entry_reason(entry) == Some(REMOVE_FROM_CRL) {
                continue;
            }
            revoked.push((
                tlv::serial_hex(entry.serial_number.as_bytes()),
                unix(entry.revocation_date),
            ));
        }
        Ok(Crl {
            der: der.to_vec(),
            tbs: tbs.raw.to_vec(),
            issuer_der: issuer_der.to_vec(),
            this_update: unix(list.tbs.this_update),
            next_update: list.tbs.next_update.map(unix),
            issuer: list.tbs.issuer,
            signature_algorithm: list.signature_algorithm,
            signature: list.signature,
            revoked,
        })
    }

    /// The CRL's DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The issuer Name's exact DER.
    pub fn issuer_der(&self) -> &[u8] {
        &self.issuer_der
    }

    /// The issuer as an RFC 4514 string.
    pub fn issuer_string(&self) -> String {
        name::to_rfc4514(&self.issuer)
    }

    /// Verifies the CRL's signature with `issuer`'s key (names are not
    /// compared here; see [`super::path::TrustStore::revocation_time`]).
    pub fn verify_signed_by(&self, issuer: &Cert) -> Result<(), CertSigError> {
        let key = issuer.public_key();
        verify_x509_signature(
            &self.tbs,
            &self.signature_algorithm,
            &self.signature,
            key.as_ref(),
        )
    }

    /// The revocation time (Unix seconds) of the certificate with this
    /// serial number (hex, as [`Cert::serial_hex`]; case and leading zeros
    /// ignored), if listed. Entries with reason removeFromCRL are ignored.
    pub fn revocation_time(&self, serial_hex: &str) -> Option<i64> {
        let wanted = tlv::normalize_serial_hex(serial_hex)?;
        self.revoked
            .iter()
            .filter(|(serial, _)| *serial == wanted)
            .map(|(_, time)| *time)
            .min()
    }

    /// thisUpdate, Unix seconds.
    pub fn this_update(&self) -> i64 {
        self.this_update
    }

    /// nextUpdate, Unix seconds, when present.
    pub fn next_update(&self) -> Option<i64> {
        self.next_update
    }

    /// How many certificates the CRL lists as revoked.
    pub fn revoked_count(&self) -> usize {
        self.revoked.len()
    }
}

fn unix(t: Time) -> i64 {
    i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
}

/// The CRL entry reasonCode, if present and well-formed.
fn entry_reason(entry: &RevokedCert) -> Option<u8> {
    let ext = entry
        .crl_entry_extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id == oids::EXT_CRL_REASON)?;
    let reason = tlv::read_all(ext.extn_value.as_bytes()).ok()?;
    // ENUMERATED
    match (reason.tag, reason.value) {
        (0x0A, [code]) => Some(*code),
        _ => None,
    }
}

/// The raw issuer Name from the contents of a tbsCertList.
fn raw_issuer(tbs: &[u8]) -> Result<&[u8], &'static str> {
    let (_, rest) = tlv::optional(tbs, tlv::TAG_INTEGER)?;
    let (_, rest) = tlv::expect(rest, tlv::TAG_SEQUENCE)?;
    let (issuer, _) = tlv::expect(rest, tlv::TAG_SEQUENCE)?;
    Ok(issuer.raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_invalid() {
        for bad in [
            &[][..],
            &[0x30, 0x00],
            &[0x31, 0x00],
            &[0x30, 0x02, 0x30, 0x00, 0x00],
        ] {
            assert!(matches!(Crl::from_der(bad), Err(CertError::Invalid(_))));
        }
    }
}
