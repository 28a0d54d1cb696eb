//! Detached CMS SignedData (RFC 5652; GB/T 35275 OIDs accepted), spec §5.3.
//!
//! The structure is walked with the strict DER reader so that the exact
//! octets of `signedAttrs` (what is signed) and of each certificate are
//! kept.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

use super::cert::{Cert, CertError};
use super::digest::DigestAlgorithm;
use super::name;
use super::oids::{self, Oid};
use super::serial::Serial;
use super::tlv::{self, AlgorithmIdentifier, Tlv};

/// Why a DETACH signature value is rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CmsError {
    /// Not a well-formed detached SignedData of this profile: bad DER,
    /// wrong content type, encapsulated content present, not exactly one
    /// SignerInfo, missing messageDigest with signedAttrs, malformed
    /// certificate, ...
    Format(String),
    /// Well-formed but uses an algorithm this verifier does not support.
    Unsupported(String),
}

impl fmt::Display for CmsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CmsError::Format(m) => write!(f, "CMS format: {m}"),
            CmsError::Unsupported(m) => write!(f, "CMS unsupported: {m}"),
        }
    }
}

impl core::error::Error for CmsError {}

/// How a SignerInfo names its certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerId {
    /// issuerAndSerialNumber.
    IssuerAndSerial {
        /// The issuer Name's DER.
        issuer_der: Vec<u8>,
        /// The serial number, an integer.
        serial: Serial,
    },
    /// subjectKeyIdentifier.
    SubjectKeyId(Vec<u8>),
}

impl SignerId {
    /// Whether `cert` is the certificate named: issuer Names equal (as
    /// decoded Names) and serial equal; or the certificate's
    /// subjectKeyIdentifier extension equal to the identifier.
    pub fn matches(&self, cert: &Cert) -> bool {
        match self {
            SignerId::IssuerAndSerial { issuer_der, serial } => {
                cert.serial() == serial && name::names_equal(issuer_der, cert.issuer_der())
            }
            SignerId::SubjectKeyId(id) => cert.subject_key_identifier() == Some(id.as_slice()),
        }
    }

    /// A short description for messages.
    pub fn describe(&self) -> String {
        match self {
            SignerId::IssuerAndSerial { issuer_der, serial } => {
                let issuer = name::der_to_rfc4514(issuer_der).unwrap_or_else(|| "?".into());
                format!("issuer {issuer}, serial {serial}")
            }
            SignerId::SubjectKeyId(id) => format!("subject key identifier {}", tlv::hex(id)),
        }
    }
}

/// A parsed detached SignedData with its single SignerInfo.
#[derive(Clone, Debug)]
pub struct DetachedSignedData {
    /// The SignerInfo digestAlgorithm.
    pub digest_algorithm: DigestAlgorithm,
    /// SignerInfo.signatureAlgorithm: 1.2.156.10197.1.501,
    /// 1.2.156.10197.1.301.1, 1.2.840.10045.4.3.2 or 1.2.840.10045.2.1.
    pub signature_algorithm_oid: Oid,
    /// The DER of signedAttrs re-tagged as SET OF (0x31): what is signed
    /// when signedAttrs are present. The original octets, not re-encoded.
    pub signed_attrs_der: Option<Vec<u8>>,
    /// The messageDigest attribute value (present iff signedAttrs are).
    pub message_digest: Option<Vec<u8>>,
    /// The SignerInfo.signature OCTET STRING contents (DER ECDSA-Sig-Value
    /// or r ‖ s).
    pub signature: Vec<u8>,
    /// Which certificate signed.
    pub signer_id: SignerId,
    /// X.509 v3 certificates from the certificates field, in order.
    pub certificates: Vec<Cert>,
    /// Certificates of the certificates field that were skipped: other
    /// CertificateChoices, or X.509 certificates outside this profile
    /// (v1/v2), with the reason.
    pub skipped_certificates: Vec<String>,
    /// Octets after the outer DER object (tolerated; the caller warns).
    pub trailing_octets: usize,
}

impl DetachedSignedData {
    /// The octets the signature is over, given the detached content M:
    /// the re-tagged signedAttrs when present, else M itself.
    pub fn signed_bytes<'a>(&'a self, content: &'a [u8]) -> &'a [u8] {
        self.signed_attrs_der.as_deref().unwrap_or(content)
    }

    /// The signer's certificate among [`Self::certificates`].
    pub fn signer_certificate(&self) -> Option<&Cert> {
        self.certificates.iter().find(|c| self.signer_id.matches(c))
    }
}

/// Parses a DER ContentInfo carrying a detached SignedData (spec §5.3).
pub fn parse_detached(bytes: &[u8]) -> Result<DetachedSignedData, CmsError> {
    parse_detached_claim(bytes).map_err(|(e, _)| e)
}

/// What a well-formed SignerInfo whose signature algorithm is unsupported
/// still proves: its messageDigest attribute, with a digest algorithm this
/// verifier computes. A content whose digest differs was changed after
/// signing, whatever the signature algorithm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestClaim {
    /// The SignerInfo digestAlgorithm.
    pub algorithm: DigestAlgorithm,
    /// The messageDigest attribute value.
    pub message_digest: Vec<u8>,
}

/// [`parse_detached`], and on [`CmsError::Unsupported`] the messageDigest
/// claim when there is one that can be checked.
pub fn parse_detached_claim(
    bytes: &[u8],
) -> Result<DetachedSignedData, (CmsError, Option<DigestClaim>)> {
    parse(bytes, false).map(|(parsed, _)| parsed)
}

/// Like [`parse_detached`], but encapsulated content is allowed and
/// returned (OFD `Type="Sign"` signatures of GB/T 35275 carry the digest of
/// the signed file as eContent).
pub fn parse_with_content(bytes: &[u8]) -> Result<(DetachedSignedData, Option<Vec<u8>>), CmsError> {
    parse(bytes, true).map_err(|(e, _)| e)
}

/// A parse error, with the messageDigest claim of an otherwise well-formed
/// SignerInfo whose signature algorithm is unsupported.
type ParseError = (CmsError, Option<DigestClaim>);

fn parse(
    bytes: &[u8],
    allow_content: bool,
) -> Result<(DetachedSignedData, Option<Vec<u8>>), ParseError> {
    let (structure, content, trailing) =
        read_structure(bytes, allow_content).map_err(|e| (e, None))?;
    let mut parsed = structure.judge()?;
    parsed.trailing_octets = trailing;
    Ok((parsed, content))
}

/// A well-formed SignedData whose algorithms are not yet judged.
struct Structure<'a> {
    info: RawSignerInfo<'a>,
    certificates: Vec<Cert>,
    skipped_certificates: Vec<String>,
}

impl Structure<'_> {
    /// The algorithms (spec §6 order: after the structure).
    fn judge(self) -> Result<DetachedSignedData, ParseError> {
        let info = self.info;
        let digest_algorithm = digest_algorithm(&info.digest_alg).map_err(|e| (e, None))?;
        let signature_algorithm_oid = signature_algorithm(&info.sig_alg, digest_algorithm)
            .map_err(|e| {
                let claim = match (&e, &info.message_digest) {
                    (CmsError::Unsupported(_), Some(md)) => Some(DigestClaim {
                        algorithm: digest_algorithm,
                        message_digest: md.clone(),
                    }),
                    _ => None,
                };
                (e, claim)
            })?;
        Ok(DetachedSignedData {
            digest_algorithm,
            signature_algorithm_oid,
            signed_attrs_der: info.signed_attrs_der,
            message_digest: info.message_digest,
            signature: info.signature,
            signer_id: info.signer_id,
            certificates: self.certificates,
            skipped_certificates: self.skipped_certificates,
            trailing_octets: 0,
        })
    }
}

/// The ContentInfo and SignedData structure, the eContent and the number
/// of octets after the DER object.
fn read_structure(
    bytes: &[u8],
    allow_content: bool,
) -> Result<(Structure<'_>, Option<Vec<u8>>, usize), CmsError> {
    let (outer, trailing) = tlv::read(bytes).map_err(|e| fmt_err("ContentInfo", e))?;
    if outer.tag != tlv::TAG_SEQUENCE {
        return Err(CmsError::Format("ContentInfo is not a SEQUENCE".into()));
    }
    // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
    let (content_type, rest) = read_oid(outer.value, "ContentInfo.contentType")?;
    if content_type != oids::PKCS7_SIGNED_DATA && content_type != oids::GM_SIGNED_DATA {
        return Err(CmsError::Format(format!(
            "contentType {content_type} is not signedData"
        )));
    }
    let (explicit, rest) = tlv::expect(rest, tlv::context_constructed(0))
        .map_err(|e| fmt_err("ContentInfo.content", e))?;
    no_more(rest, "ContentInfo")?;
    let signed_data = tlv::read_all(explicit.value).map_err(|e| fmt_err("SignedData", e))?;
    if signed_data.tag != tlv::TAG_SEQUENCE {
        return Err(CmsError::Format("SignedData is not a SEQUENCE".into()));
    }
    let (structure, content) = parse_signed_data(signed_data.value, allow_content)?;
    Ok((structure, content, trailing.len()))
}

fn parse_signed_data(
    body: &[u8],
    allow_content: bool,
) -> Result<(Structure<'_>, Option<Vec<u8>>), CmsError> {
    let (_version, rest) =
        tlv::expect(body, tlv::TAG_INTEGER).map_err(|e| fmt_err("SignedData.version", e))?;
    let (digest_algs, rest) =
        tlv::expect(rest, tlv::TAG_SET).map_err(|e| fmt_err("SignedData.digestAlgorithms", e))?;
    for alg in tlv::elements(digest_algs.value) {
        alg.and_then(|a| tlv::algorithm_identifier(&a))
            .map_err(|e| fmt_err("SignedData.digestAlgorithms", e))?;
    }
    let (encap, rest) = tlv::expect(rest, tlv::TAG_SEQUENCE)
        .map_err(|e| fmt_err("SignedData.encapContentInfo", e))?;
    let (econtent_type, content) = check_encap(encap, allow_content)?;
    let (certs, rest) = tlv::optional(rest, tlv::context_constructed(0))
        .map_err(|e| fmt_err("SignedData.certificates", e))?;
    let (_crls, rest) = tlv::optional(rest, tlv::context_constructed(1))
        .map_err(|e| fmt_err("SignedData.crls", e))?;
    let (signer_infos, rest) =
        tlv::expect(rest, tlv::TAG_SET).map_err(|e| fmt_err("SignedData.signerInfos", e))?;
    no_more(rest, "SignedData")?;

    let mut infos = tlv::elements(signer_infos.value);
    let info = match (infos.next(), infos.next()) {
        (Some(info), None) => info.map_err(|e| fmt_err("SignerInfo", e))?,
        (None, _) => return Err(CmsError::Format("SignedData has no SignerInfo".into())),
        (Some(_), Some(_)) => {
            return Err(CmsError::Format(
                "SignedData has more than one SignerInfo".into(),
            ));
        }
    };
    if info.tag != tlv::TAG_SEQUENCE {
        return Err(CmsError::Format("SignerInfo is not a SEQUENCE".into()));
    }
    let info = parse_signer_info(info.value, &econtent_type)?;
    let (certificates, skipped_certificates) = match certs {
        Some(certs) => read_certificates(certs.value)?,
        None => (Vec::new(), Vec::new()),
    };
    Ok((
        Structure {
            info,
            certificates,
            skipped_certificates,
        },
        content,
    ))
}

/// A SignerInfo, algorithms not yet judged.
struct RawSignerInfo<'a> {
    signer_id: SignerId,
    digest_alg: AlgorithmIdentifier<'a>,
    sig_alg: AlgorithmIdentifier<'a>,
    signed_attrs_der: Option<Vec<u8>>,
    message_digest: Option<Vec<u8>>,
    signature: Vec<u8>,
}

/// EncapsulatedContentInfo ::= SEQUENCE { eContentType OID,
/// eContent [0] EXPLICIT OCTET STRING OPTIONAL }: data, and no eContent.
fn check_encap(encap: Tlv<'_>, allow_content: bool) -> Result<(Oid, Option<Vec<u8>>), CmsError> {
    let (ty, rest) = read_oid(encap.value, "encapContentInfo.eContentType")?;
    if ty != oids::PKCS7_DATA && ty != oids::GM_DATA {
        return Err(CmsError::Format(format!(
            "encapContentInfo.eContentType {ty} is not data"
        )));
    }
    match rest.first() {
        None => Ok((ty, None)),
        Some(&t) if t == tlv::context_constructed(0) && allow_content => {
            let (explicit, after) =
                tlv::expect(rest, t).map_err(|e| fmt_err("encapContentInfo.eContent", e))?;
            no_more(after, "encapContentInfo")?;
            let octets = tlv::read_all(explicit.value)
                .map_err(|e| fmt_err("encapContentInfo.eContent", e))?;
            if octets.tag != tlv::TAG_OCTET_STRING {
                return Err(CmsError::Format(
                    "encapContentInfo.eContent is not an OCTET STRING".into(),
                ));
            }
            Ok((ty, Some(octets.value.to_vec())))
        }
        Some(&t) if t == tlv::context_constructed(0) => Err(CmsError::Format(
            "SignedData has encapsulated content (a detached signature must not)".into(),
        )),
        Some(_) => Err(CmsError::Format(
            "unexpected data in encapContentInfo".into(),
        )),
    }
}

fn parse_signer_info<'a>(
    body: &'a [u8],
    econtent_type: &Oid,
) -> Result<RawSignerInfo<'a>, CmsError> {
    let (_version, rest) =
        tlv::expect(body, tlv::TAG_INTEGER).map_err(|e| fmt_err("SignerInfo.version", e))?;
    let (sid, rest) = tlv::read(rest).map_err(|e| fmt_err("SignerInfo.sid", e))?;
    let signer_id = parse_signer_id(sid)?;
    let (digest_alg, rest) = tlv::expect(rest, tlv::TAG_SEQUENCE)
        .map_err(|e| fmt_err("SignerInfo.digestAlgorithm", e))?;
    let digest_alg = algorithm_identifier(&digest_alg, "SignerInfo.digestAlgorithm")?;
    let (signed_attrs, rest) = tlv::optional(rest, tlv::context_constructed(0))
        .map_err(|e| fmt_err("SignerInfo.signedAttrs", e))?;
    let (sig_alg, rest) = tlv::expect(rest, tlv::TAG_SEQUENCE)
        .map_err(|e| fmt_err("SignerInfo.signatureAlgorithm", e))?;
    let sig_alg = algorithm_identifier(&sig_alg, "SignerInfo.signatureAlgorithm")?;
    let (signature, rest) =
        tlv::expect(rest, tlv::TAG_OCTET_STRING).map_err(|e| fmt_err("SignerInfo.signature", e))?;
    let (_unsigned, rest) = tlv::optional(rest, tlv::context_constructed(1))
        .map_err(|e| fmt_err("SignerInfo.unsignedAttrs", e))?;
    no_more(rest, "SignerInfo")?;

    let (signed_attrs_der, message_digest) = match signed_attrs {
        None => (None, None),
        Some(attrs) => {
            let digest = read_signed_attrs(attrs.value, econtent_type)?;
            let mut der = attrs.raw.to_vec();
            if let Some(first) = der.first_mut() {
                *first = tlv::TAG_SET;
            }
            (Some(der), Some(digest))
        }
    };
    Ok(RawSignerInfo {
        signer_id,
        digest_alg,
        sig_alg,
        signed_attrs_der,
        message_digest,
        signature: signature.value.to_vec(),
    })
}

fn algorithm_identifier<'a>(
    element: &Tlv<'a>,
    what: &str,
) -> Result<AlgorithmIdentifier<'a>, CmsError> {
    tlv::algorithm_identifier(element).map_err(|e| fmt_err(what, e))
}

/// SignerIdentifier ::= CHOICE { issuerAndSerialNumber SEQUENCE,
/// subjectKeyIdentifier [0] IMPLICIT OCTET STRING }.
fn parse_signer_id(sid: Tlv<'_>) -> Result<SignerId, CmsError> {
    if sid.tag == tlv::context_primitive(0) {
        return Ok(SignerId::SubjectKeyId(sid.value.to_vec()));
    }
    if sid.tag != tlv::TAG_SEQUENCE {
        return Err(CmsError::Format(
            "SignerInfo.sid has an unknown form".into(),
        ));
    }
    let (issuer, rest) = tlv::expect(sid.value, tlv::TAG_SEQUENCE)
        .map_err(|e| fmt_err("issuerAndSerialNumber.issuer", e))?;
    if name::parse(issuer.raw).is_err() {
        return Err(CmsError::Format(
            "issuerAndSerialNumber.issuer is not a Name".into(),
        ));
    }
    let (serial, rest) = tlv::expect(rest, tlv::TAG_INTEGER)
        .map_err(|e| fmt_err("issuerAndSerialNumber.serialNumber", e))?;
    no_more(rest, "issuerAndSerialNumber")?;
    if serial.value.is_empty() {
        return Err(CmsError::Format("empty serial number".into()));
    }
    Ok(SignerId::IssuerAndSerial {
        issuer_der: issuer.raw.to_vec(),
        serial: Serial::from_der_contents(serial.value),
    })
}

/// SM3 or SHA-256, parameters absent or NULL.
fn digest_algorithm(alg: &AlgorithmIdentifier<'_>) -> Result<DigestAlgorithm, CmsError> {
    let digest = DigestAlgorithm::from_oid(&alg.oid).ok_or_else(|| {
        CmsError::Unsupported(format!(
            "digest algorithm {} (supported: SM3, SHA-256)",
            alg.oid
        ))
    })?;
    params_absent_or_null(alg, "SignerInfo.digestAlgorithm")?;
    Ok(digest)
}

/// One of the four accepted signature algorithm OIDs, parameters absent or
/// NULL. The combinations SM2-with-SM3 + SHA-256 and ecdsa-with-SHA256 +
/// SM3 name two different hashes and are unsupported.
fn signature_algorithm(
    alg: &AlgorithmIdentifier<'_>,
    digest: DigestAlgorithm,
) -> Result<Oid, CmsError> {
    let oid = alg.oid;
    let accepted = [
        oids::SM2_WITH_SM3,
        oids::SM2_SIGN,
        oids::ECDSA_WITH_SHA256,
        oids::EC_PUBLIC_KEY,
    ];
    if !accepted.contains(&oid) {
        return Err(CmsError::Unsupported(format!(
            "signature algorithm {oid} (supported: 1.2.156.10197.1.501, 1.2.156.10197.1.301.1, 1.2.840.10045.4.3.2, 1.2.840.10045.2.1)"
        )));
    }
    params_absent_or_null(alg, "SignerInfo.signatureAlgorithm")?;
    let clash = (oid == oids::SM2_WITH_SM3 && digest != DigestAlgorithm::Sm3)
        || (oid == oids::ECDSA_WITH_SHA256 && digest != DigestAlgorithm::Sha256);
    if clash {
        return Err(CmsError::Unsupported(format!(
            "signature algorithm {oid} with digest algorithm {}",
            digest.name()
        )));
    }
    Ok(oid)
}

fn params_absent_or_null(alg: &AlgorithmIdentifier<'_>, what: &str) -> Result<(), CmsError> {
    if alg.parameters_absent_or_null() {
        Ok(())
    } else {
        Err(CmsError::Format(format!(
            "{what} {} has unexpected parameters",
            alg.oid
        )))
    }
}

/// Reads the signed attributes (SET OF Attribute ::= SEQUENCE { attrType
/// OBJECT IDENTIFIER, attrValues SET OF ANY }): returns the messageDigest
/// value. A contentType attribute, when present, must equal eContentType.
fn read_signed_attrs(body: &[u8], econtent_type: &Oid) -> Result<Vec<u8>, CmsError> {
    let mut digest = None;
    let mut seen_content_type = false;
    for attr in tlv::elements(body) {
        let (oid, values) = attr
            .and_then(|a| read_attribute(&a))
            .map_err(|e| fmt_err("signedAttrs", e))?;
        if oid == oids::ATTR_MESSAGE_DIGEST {
            if digest.is_some() {
                return Err(CmsError::Format("messageDigest appears twice".into()));
            }
            let value = single_value(values, "messageDigest")?;
            digest = Some(
                tlv::octet_string(&value)
                    .map_err(|e| fmt_err("messageDigest", e))?
                    .to_vec(),
            );
        } else if oid == oids::ATTR_CONTENT_TYPE {
            if seen_content_type {
                return Err(CmsError::Format("contentType appears twice".into()));
            }
            seen_content_type = true;
            let ty = tlv::oid(&single_value(values, "contentType")?)
                .map_err(|e| fmt_err("contentType attribute", e))?;
            let is_data = |t: &Oid| *t == oids::PKCS7_DATA || *t == oids::GM_DATA;
            // PKCS #7 and GB/T 35275 name the same "data" type (spec §5.3).
            if ty != *econtent_type && !(is_data(&ty) && is_data(econtent_type)) {
                return Err(CmsError::Format(format!(
                    "contentType attribute {ty} differs from eContentType {econtent_type}"
                )));
            }
        }
    }
    digest.ok_or_else(|| CmsError::Format("signedAttrs without messageDigest".into()))
}

/// An Attribute: its type and the contents of its SET OF values (each
/// value a whole element).
fn read_attribute<'a>(attr: &Tlv<'a>) -> Result<(Oid, &'a [u8]), &'static str> {
    let mut f = tlv::sequence(attr).map_err(|_| "Attribute is not a SEQUENCE")?;
    let oid = tlv::oid(&f.any()?)?;
    let values = f
        .expect(tlv::TAG_SET)
        .map_err(|_| "attribute values are not a SET")?;
    f.end()?;
    for value in tlv::elements(values.value) {
        tlv::any(value?)?;
    }
    Ok((oid, values.value))
}

fn single_value<'a>(values: &'a [u8], what: &str) -> Result<Tlv<'a>, CmsError> {
    let mut values = tlv::elements(values);
    match (values.next(), values.next()) {
        (Some(Ok(v)), None) => Ok(v),
        _ => Err(CmsError::Format(format!(
            "{what} attribute must have exactly one value"
        ))),
    }
}

/// CertificateSet ::= SET OF CertificateChoices. X.509 certificates are
/// decoded; other choices skipped; certificates outside the profile (v1,
/// v2) skipped with a note; malformed ones are a format error.
fn read_certificates(body: &[u8]) -> Result<(Vec<Cert>, Vec<String>), CmsError> {
    let mut certs = Vec::new();
    let mut skipped = Vec::new();
    for (i, choice) in tlv::elements(body).enumerate() {
        let choice = choice.map_err(|e| fmt_err("SignedData.certificates", e))?;
        match choice.tag {
            tlv::TAG_SEQUENCE => match Cert::from_der(choice.raw) {
                Ok(cert) => certs.push(cert),
                Err(CertError::Unsupported(m)) => {
                    skipped.push(format!("certificates[{i}]: {m}"));
                }
                Err(CertError::Invalid(m)) => {
                    return Err(CmsError::Format(format!("certificates[{i}]: {m}")));
                }
            },
            t if (0xA0..=0xA3).contains(&t) => {
                skipped.push(format!("certificates[{i}]: not an X.509 certificate"));
            }
            _ => {
                return Err(CmsError::Format(format!(
                    "certificates[{i}]: unknown CertificateChoices form"
                )));
            }
        }
    }
    Ok((certs, skipped))
}

fn read_oid<'a>(input: &'a [u8], what: &str) -> Result<(Oid, &'a [u8]), CmsError> {
    let (oid, rest) = tlv::expect(input, tlv::TAG_OID).map_err(|e| fmt_err(what, e))?;
    let oid = tlv::oid(&oid).map_err(|e| fmt_err(what, e))?;
    Ok((oid, rest))
}

fn no_more(rest: &[u8], what: &str) -> Result<(), CmsError> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(CmsError::Format(format!(
            "unexpected data at the end of {what}"
        )))
    }
}

fn fmt_err(what: &str, e: &str) -> CmsError {
    CmsError::Format(format!("{what}: {e}"))
}
