//! Certificate revocation lists (RFC 5280 §5), v1 or v2.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

use super::cert::{Cert, CertError, read_extension_list};
use super::name;
use super::oids;
use super::serial::Serial;
use super::x509_signature::{CertSigError, X509Signature, read_signature};
use super::tlv::{self, Tlv};

/// reasonCode removeFromCRL (RFC 5280 §5.3.1): the entry un-revokes.
const REMOVE_FROM_CRL: u8 = 8;

/// A decoded CRL.
#[derive(Clone)]
pub struct Crl {
    der: Vec<u8>,
    tbs: Vec<u8>,
    issuer_der: Vec<u8>,
    signature: X509Signature,
    this_update: i64,
    next_update: Option<i64>,
    /// (serial, revocation time).
    revoked: Vec<(Serial, i64)>,
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
        let not_crl = |m: String| invalid(format!("not an X.509 CRL: {m}"));
        let list = read_tbs(tbs.value).map_err(not_crl)?;
        let (alg, signature) = read_signature(outer.value).map_err(not_crl)?;
        match list.version {
            None | Some(1) => {}
            Some(v) => {
                return Err(CertError::Unsupported(format!("CRL version V{}", v + 1)));
            }
        }
        if alg.raw != list.signature.raw {
            return Err(invalid(
                "signatureAlgorithm differs from tbsCertList.signature".into(),
            ));
        }
        Ok(Crl {
            der: der.to_vec(),
            tbs: tbs.raw.to_vec(),
            issuer_der: list.issuer.raw.to_vec(),
            this_update: list.this_update,
            next_update: list.next_update,
            signature,
            revoked: list.revoked,
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
        name::der_to_rfc4514(&self.issuer_der).unwrap_or_default()
    }

    /// Verifies the CRL's signature with `issuer`'s key (names are not
    /// compared here; see [`super::path::TrustStore::revocation_time`]).
    pub fn verify_signed_by(&self, issuer: &Cert) -> Result<(), CertSigError> {
        self.signature
            .verify_by_issuer(&self.tbs, issuer.public_key().as_ref(), None)
    }

    /// The revocation time (Unix seconds) of the certificate with this
    /// serial number (the same integer: `00FF12` is not `FF12`), if
    /// listed. Entries with reason removeFromCRL are ignored.
    pub fn revocation_time(&self, wanted: &Serial) -> Option<i64> {
        self.revoked
            .iter()
            .filter(|(serial, _)| serial == wanted)
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

/// The tbsCertList fields, structurally checked.
struct TbsFields<'a> {
    /// 0, 1 or 2 (v1, v2, v3) when present.
    version: Option<u8>,
    signature: Tlv<'a>,
    issuer: Tlv<'a>,
    this_update: i64,
    next_update: Option<i64>,
    /// (serial, revocation time), removeFromCRL entries left out.
    revoked: Vec<(Serial, i64)>,
}

/// Reads the contents of a tbsCertList (RFC 5280 §5.1):
///
/// ```text
/// SEQUENCE { version INTEGER OPTIONAL, signature AlgorithmIdentifier,
///   issuer Name, thisUpdate Time, nextUpdate Time OPTIONAL,
///   revokedCertificates SEQUENCE OF SEQUENCE { userCertificate INTEGER,
///     revocationDate Time, crlEntryExtensions Extensions OPTIONAL }
///   OPTIONAL, crlExtensions [0] EXPLICIT Extensions OPTIONAL }
/// ```
fn read_tbs(tbs: &[u8]) -> Result<TbsFields<'_>, String> {
    let at = |what: &'static str| move |e: &str| format!("tbsCertList.{what}: {e}");
    let mut f = tlv::Fields::new(tbs);
    let version = match f.optional(tlv::TAG_INTEGER).map_err(at("version"))? {
        None => None,
        Some(v) => match tlv::integer(&v).map_err(at("version"))? {
            [n @ 0..=2] => Some(*n),
            _ => return Err(at("version")("not v1, v2 or v3")),
        },
    };
    let signature = f.any().map_err(at("signature"))?;
    tlv::algorithm_identifier(&signature).map_err(at("signature"))?;
    let issuer = f.any().map_err(at("issuer"))?;
    name::parse(issuer.raw).map_err(at("issuer"))?;
    let this_update = tlv::time(&f.any().map_err(at("thisUpdate"))?).map_err(at("thisUpdate"))?;
    let next_update = match f.optional(tlv::TAG_UTC_TIME).map_err(at("nextUpdate"))? {
        Some(t) => Some(t),
        None => f
            .optional(tlv::TAG_GENERALIZED_TIME)
            .map_err(at("nextUpdate"))?,
    };
    let next_update = match next_update {
        Some(t) => Some(tlv::time(&t).map_err(at("nextUpdate"))?),
        None => None,
    };
    let mut revoked = Vec::new();
    if let Some(list) = f
        .optional(tlv::TAG_SEQUENCE)
        .map_err(at("revokedCertificates"))?
    {
        for entry in tlv::elements(list.value) {
            let entry = entry.map_err(at("revokedCertificates"))?;
            if let Some(item) = read_entry(&entry).map_err(at("revokedCertificates"))? {
                revoked.push(item);
            }
        }
    }
    if let Some(e) = f
        .optional(tlv::context_constructed(0))
        .map_err(at("crlExtensions"))?
    {
        read_extension_list(&tlv::explicit(&e).map_err(at("crlExtensions"))?)
            .map_err(at("crlExtensions"))?;
    }
    f.end().map_err(|e| format!("tbsCertList: {e}"))?;
    Ok(TbsFields {
        version,
        signature,
        issuer,
        this_update,
        next_update,
        revoked,
    })
}

/// One revokedCertificates entry: its serial and revocation time; `None`
/// when its reasonCode is removeFromCRL.
fn read_entry(entry: &Tlv<'_>) -> Result<Option<(Serial, i64)>, &'static str> {
    let mut f = tlv::sequence(entry)?;
    let serial = tlv::integer(&f.any()?)?;
    if serial.len() > 21 {
        return Err("serial number longer than 20 octets");
    }
    let time = tlv::time(&f.any()?)?;
    let extensions = match f.optional(tlv::TAG_SEQUENCE)? {
        Some(list) => read_extension_list(&list)?,
        None => Vec::new(),
    };
    f.end()?;
    // reasonCode ::= ENUMERATED, when present and well-formed.
    let reason = extensions
        .iter()
        .find(|e| e.id == oids::EXT_CRL_REASON)
        .and_then(|e| tlv::read_all(e.value).ok())
        .and_then(|r| match (r.tag, r.value) {
            (tlv::TAG_ENUMERATED, [code]) => Some(*code),
            _ => None,
        });
    if reason == Some(REMOVE_FROM_CRL) {
        return Ok(None);
    }
    Ok(Some((Serial::from_der_contents(serial), time)))
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
