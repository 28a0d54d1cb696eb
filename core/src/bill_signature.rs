//! One signature of a bill, checked in the order of spec §6: format,
//! algorithm, messageDigest, signer certificate, signature value, path,
//! validity and revocation at signing time, identity binding. The first step
//! that fails decides, with one exception: a messageDigest this verifier
//! can compute is checked before the algorithms are judged, so that a
//! proven change of the content is INVALID whatever else is unsupported.
//!
//! The steps compute a [`Reason`]; its words are in
//! `bill_signature/messages.rs`.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::parse::SignatureXml;
use crate::pki::{
    Cert, CmsError, DetachedSignedData, DigestAlgorithm, EcSignature, KeyAlgorithm, KeyError, Oid,
    SignatureError, TrustStore, decode_signature, oids, parse_detached_claim,
};
use crate::report::{CertificateInfo, Check, Role, SignatureReport, SubIndication, Verdict};
use crate::report_build::{Failure, Recorder};
use crate::signer_path::{Signer, Source, cert_info, judge_certificate_path};
use crate::time::{BEIJING_OFFSET_SECONDS, parse_signature_time, rfc3339};

mod messages;
use messages::{role_zh, trailing_octets, valid};

/// Why a signature of a bill is not VALID: the step that failed, with what
/// its reason names. The sub-indication is a property of the reason.
pub(crate) enum Reason<'a> {
    /// `Reference` is not the one of the role.
    Reference {
        expected: &'static str,
        found: &'a str,
    },
    /// `SignatureTime` is not a valid `yyyyMMddHHmmss`.
    SignatureTime {
        text: &'a str,
    },
    /// The InvoicingParty `SignatureValue` the Supervisor covers is not base64.
    CoveredValue,
    /// `SignatureValue` is not base64.
    Value,
    /// `KeyInfo/X509Certificate` is not a certificate.
    KeyInfoCertificate,
    /// `SignatureFormat` is neither RAW nor DETACH.
    Format {
        text: &'a str,
    },
    /// A RAW value is neither DER nor r‖s.
    RawValue(SignatureError),
    /// The CMS SignerInfo signature value is malformed.
    SignerInfoValue(SignatureError),
    /// The CMS is not as the profile requires.
    CmsFormat(String),
    /// The messageDigest differs from the digest of the signed content.
    DigestChanged,
    /// `SignatureAlgorithm` is not supported.
    Algorithm {
        text: &'a str,
    },
    /// The CMS uses an algorithm that is not supported.
    CmsUnsupported(String),
    /// The SignerInfo algorithm contradicts `SignatureAlgorithm`.
    SignerInfoAlgorithm {
        oid: Oid,
        algorithm: &'a str,
    },
    /// The CMS digest algorithm does not go with the signature algorithm.
    DigestAlgorithm {
        alg: KeyAlgorithm,
    },
    KeyUnsupported(String),
    KeyInvalid(String),
    /// The certificate's key is not of the signature algorithm.
    KeyType {
        alg: KeyAlgorithm,
    },
    /// The signature value does not verify.
    ValueDoesNotVerify,
    /// Key usage allows no signatures.
    KeyUsage,
    /// The certificate path failed (its reason from `signer_path`).
    Path(Failure),
    /// The certificate names another party than the bill.
    Identity {
        found: String,
        expected: &'a str,
    },
    /// No signing certificate anywhere.
    NoSigningCertificate,
    /// The KeyInfo certificate is not the signer the CMS names.
    KeyInfoNotCmsSigner,
    /// A KeyInfo element names another certificate than the signer's.
    KeyInfoConflict(KeyInfoField),
}

/// The elements of `KeyInfo` that name a certificate.
#[derive(Clone, Copy)]
pub(crate) enum KeyInfoField {
    X509Certificate,
    SerialNumber,
    X509IssuerName,
}

impl Reason<'_> {
    pub fn sub_indication(&self) -> SubIndication {
        use SubIndication as S;
        match self {
            Reason::Reference { .. }
            | Reason::SignatureTime { .. }
            | Reason::CoveredValue
            | Reason::Value
            | Reason::KeyInfoCertificate
            | Reason::Format { .. }
            | Reason::RawValue(_)
            | Reason::SignerInfoValue(_)
            | Reason::CmsFormat(_)
            | Reason::SignerInfoAlgorithm { .. }
            | Reason::KeyInfoNotCmsSigner
            | Reason::KeyInfoConflict(_) => S::FormatFailure,
            Reason::DigestChanged => S::HashFailure,
            Reason::Algorithm { .. }
            | Reason::CmsUnsupported(_)
            | Reason::DigestAlgorithm { .. }
            | Reason::KeyUnsupported(_) => S::CryptoConstraintsFailure,
            Reason::KeyInvalid(_) | Reason::KeyType { .. } | Reason::ValueDoesNotVerify => {
                S::SigCryptoFailure
            }
            Reason::KeyUsage => S::NoCertificateChainFound,
            Reason::Path(failure) => failure.sub,
            Reason::Identity { .. } => S::IdentityMismatch,
            Reason::NoSigningCertificate => S::NoSigningCertificateFound,
        }
    }
}

/// What the caller needs to know besides the report: who signed and when.
pub struct SignatureOutcome {
    pub report: SignatureReport,
    /// Warning-level checks raised by this signature (trailing octets,
    /// certificates expired or revoked after signing).
    pub warnings: Vec<Check>,
    /// `SignatureTime` in Unix seconds, when readable.
    pub time: Option<i64>,
}

/// What the bill says the signer must be (spec §5.4, identity binding).
pub struct Expected<'a> {
    /// `InvoicingPartyCode` or `SupervisorAreaCode`.
    pub identity: &'a str,
}

/// Base64 as in the spec: line breaks and spaces ignored.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    crate::b64::decode(text).ok()
}

/// `SignatureAlgorithm` (spec §5.2): a name, case-insensitive, or the OID
/// in its canonical dotted form.
fn parse_algorithm(text: &str) -> Option<KeyAlgorithm> {
    let text = text.trim().to_ascii_lowercase();
    match text.as_str() {
        "sm2" | "sm2-sm3" => return Some(KeyAlgorithm::Sm2),
        "ecdsa-p256-sha256" => return Some(KeyAlgorithm::P256),
        _ => {}
    }
    // `01.2...` or `1.2..` are not the OID's text: only its one spelling.
    let oid = Oid::from_dotted(&text).filter(|oid| oid.to_string() == text)?;
    if oid == oids::SM2_WITH_SM3 {
        Some(KeyAlgorithm::Sm2)
    } else if oid == oids::ECDSA_WITH_SHA256 {
        Some(KeyAlgorithm::P256)
    } else {
        None
    }
}

/// `SignatureFormat` (spec §5.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// The bare signature value.
    Raw,
    /// A detached CMS SignedData.
    Detach,
}

impl Format {
    /// Exactly `RAW` or `DETACH`; anything else is no format of the
    /// profile (the parser rejects it first; this never guesses).
    fn parse(text: &str) -> Option<Format> {
        match text {
            "RAW" => Some(Format::Raw),
            "DETACH" => Some(Format::Detach),
            _ => None,
        }
    }
}

fn algorithm_name(alg: KeyAlgorithm) -> &'static str {
    match alg {
        KeyAlgorithm::Sm2 => "SM2-SM3",
        KeyAlgorithm::P256 => "ECDSA-P256-SHA256",
    }
}

/// The algorithm family of a CMS `SignerInfo.signatureAlgorithm`.
fn cms_algorithm(oid: &Oid) -> Option<KeyAlgorithm> {
    if *oid == oids::SM2_WITH_SM3 || *oid == oids::SM2_SIGN {
        Some(KeyAlgorithm::Sm2)
    } else if *oid == oids::ECDSA_WITH_SHA256 || *oid == oids::EC_PUBLIC_KEY {
        Some(KeyAlgorithm::P256)
    } else {
        None
    }
}

/// Accumulates the parts of the report while the steps run.
struct Run<'a> {
    sig: &'a SignatureXml,
    algorithm: Option<KeyAlgorithm>,
    encoding: Option<String>,
    signer: Option<CertificateInfo>,
    chain: Vec<CertificateInfo>,
    /// Its warnings (a bill reports no per-step checks: the first failure
    /// ends the steps and decides).
    record: Recorder,
}

/// `invoicingParty` / `supervisor`, for check ids.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::InvoicingParty => "invoicingParty",
        Role::Supervisor => "supervisor",
    }
}

/// Verifies one signature over `message` (M of spec §5.1).
pub fn verify_bill_signature(
    sig: &SignatureXml,
    message: Option<&[u8]>,
    expected: &Expected<'_>,
    trust: &TrustStore,
    now: Option<i64>,
) -> SignatureOutcome {
    let time = parse_signature_time(&sig.time);
    let mut run = Run {
        sig,
        algorithm: None,
        encoding: None,
        signer: None,
        chain: Vec::new(),
        record: Recorder::new(format!("signature.{}", role_key(sig.role))),
    };
    let result = steps(&mut run, message, time, expected, trust, now);
    let (verdict, sub_indication, msg) = match result {
        Ok(()) => (Verdict::Valid, None, valid(sig.role)),
        Err(why) => {
            let sub = why.sub_indication();
            (sub.verdict(), Some(sub), why.message(sig.role))
        }
    };
    SignatureOutcome {
        report: SignatureReport {
            role: sig.role,
            algorithm: Some(
                run.algorithm
                    .map(|a| algorithm_name(a).to_string())
                    .unwrap_or_else(|| sig.algorithm.clone()),
            ),
            format: Some(sig.format.clone()),
            encoding: run.encoding,
            signing_time: time.map(|t| rfc3339(t, BEIJING_OFFSET_SECONDS)),
            verdict,
            sub_indication,
            message: msg,
            signer: run.signer,
            chain: run.chain,
        },
        warnings: run.record.warnings,
        time,
    }
}

/// The value of a signature, decoded per format.
enum Value {
    Raw(EcSignature),
    Detach(Box<DetachedSignedData>, EcSignature),
}

fn steps<'a>(
    run: &mut Run<'a>,
    message: Option<&[u8]>,
    time: Option<i64>,
    expected: &Expected<'a>,
    trust: &TrustStore,
    now: Option<i64>,
) -> Result<(), Reason<'a>> {
    let sig = run.sig;
    // (1) format
    let expected_reference = match sig.role {
        Role::InvoicingParty => "Header EInvoiceData",
        Role::Supervisor => "Header EInvoiceData InvoicingParty",
    };
    if sig.reference != expected_reference {
        return Err(Reason::Reference {
            expected: expected_reference,
            found: &sig.reference,
        });
    }
    let Some(time) = time else {
        return Err(Reason::SignatureTime { text: &sig.time });
    };
    let Some(message) = message else {
        return Err(Reason::CoveredValue);
    };
    let Some(octets) = decode_base64(&sig.value) else {
        return Err(Reason::Value);
    };
    let keyinfo_cert = match sig.key_info.as_ref().and_then(|k| k.certificate.as_deref()) {
        Some(text) => Some(
            decode_base64(text)
                .and_then(|der| Cert::from_der(&der).ok())
                .ok_or(Reason::KeyInfoCertificate)?,
        ),
        None => None,
    };
    let Some(format) = Format::parse(&sig.format) else {
        return Err(Reason::Format { text: &sig.format });
    };
    let mut unsupported_cms = None;
    // What the CMS says the content's digest is, with an algorithm this
    // verifier computes: checked before anything can be unsupported.
    let mut digest_claim = None;
    let value = if format == Format::Raw {
        let (ec, encoding) = decode_signature(&octets).map_err(Reason::RawValue)?;
        run.encoding = Some(encoding.as_str().to_string());
        Some(Value::Raw(ec))
    } else {
        match parse_detached_claim(&octets) {
            Ok(cms) => {
                digest_claim = cms
                    .message_digest
                    .clone()
                    .map(|md| (cms.digest_algorithm, md));
                run.encoding = Some(if cms.signed_attrs_der.is_some() {
                    "CMS+signedAttrs".to_string()
                } else {
                    "CMS".to_string()
                });
                if cms.trailing_octets > 0 {
                    run.record.warn(
                        "derTrailingOctets",
                        "DER_TRAILING_OCTETS",
                        trailing_octets(sig.role, cms.trailing_octets),
                    );
                }
                let ec = decode_signature(&cms.signature)
                    .map_err(Reason::SignerInfoValue)?
                    .0;
                Some(Value::Detach(Box::new(cms), ec))
            }
            Err((CmsError::Format(e), _)) => return Err(Reason::CmsFormat(e)),
            Err((CmsError::Unsupported(e), claim)) => {
                unsupported_cms = Some(e);
                digest_claim = claim.map(|c| (c.algorithm, c.message_digest));
                None
            }
        }
    };

    // (3) messageDigest, before (2): a digest this verifier computes that
    // differs from the one signed proves the content changed, whatever
    // algorithm the bill or its CMS names that cannot be judged.
    if let Some((digest_algorithm, expected_digest)) = &digest_claim
        && digest_algorithm.digest(message) != *expected_digest
    {
        return Err(Reason::DigestChanged);
    }

    // (2) algorithm supported
    let Some(alg) = parse_algorithm(&sig.algorithm) else {
        return Err(Reason::Algorithm {
            text: &sig.algorithm,
        });
    };
    run.algorithm = Some(alg);
    let Some(value) = value else {
        return Err(Reason::CmsUnsupported(unsupported_cms.unwrap_or_default()));
    };
    if let Value::Detach(cms, _) = &value {
        if cms_algorithm(&cms.signature_algorithm_oid) != Some(alg) {
            return Err(Reason::SignerInfoAlgorithm {
                oid: cms.signature_algorithm_oid,
                algorithm: &sig.algorithm,
            });
        }
        let digest_ok = matches!(
            (alg, cms.digest_algorithm),
            (KeyAlgorithm::Sm2, DigestAlgorithm::Sm3)
                | (KeyAlgorithm::P256, DigestAlgorithm::Sha256)
        );
        if !digest_ok {
            return Err(Reason::DigestAlgorithm { alg });
        }
    }

    // (4) signer certificate
    let (signer, source) = find_signer(sig, &value, keyinfo_cert.as_ref(), trust)?;
    run.signer = Some(cert_info(&signer, source));
    let key = signer.public_key().map_err(|e| match e {
        KeyError::Unsupported(d) => Reason::KeyUnsupported(d),
        KeyError::Invalid(d) => Reason::KeyInvalid(d),
    })?;
    if key.algorithm() != alg {
        return Err(Reason::KeyType { alg });
    }

    // (5) signature value
    let (signed, ec) = match &value {
        Value::Raw(ec) => (message, ec),
        Value::Detach(cms, ec) => (cms.signed_attrs_der.as_deref().unwrap_or(message), ec),
    };
    key.verify_with(trust.key_tables(), signed, ec)
        .map_err(|_| Reason::ValueDoesNotVerify)?;

    // (6) path to a trust anchor, then (7) validity and revocation at signing time
    let extra = extra_certs(&value, keyinfo_cert.as_ref());
    if let Some(ku) = signer.key_usage()
        && !ku.digital_signature
        && !ku.non_repudiation
    {
        return Err(Reason::KeyUsage);
    }
    let (chain, judged) = judge_certificate_path(
        &mut run.record,
        trust,
        &Signer {
            cert: &signer,
            source,
            carried: &extra,
            key_info: keyinfo_cert.as_ref(),
            who: (role_zh(sig.role), sig.role.as_str()),
        },
        Some(time),
        now,
    );
    run.chain = chain;
    judged.map_err(Reason::Path)?;

    // (8) identity binding
    let ids: Vec<String> = [oids::AT_SERIAL_NUMBER, oids::AT_ORGANIZATION_IDENTIFIER]
        .into_iter()
        .flat_map(|oid| signer.subject_attribute_values(oid))
        .collect();
    if !ids.iter().any(|v| v.trim() == expected.identity) {
        let found = if ids.is_empty() {
            "—".to_string()
        } else {
            crate::text::join(ids.iter().map(String::as_str), ", ")
        };
        return Err(Reason::Identity {
            found,
            expected: expected.identity,
        });
    }
    Ok(())
}

/// Certificates the bill itself carries (CMS and KeyInfo).
fn extra_certs(value: &Value, keyinfo: Option<&Cert>) -> Vec<Cert> {
    let mut out: Vec<Cert> = match value {
        Value::Detach(cms, _) => cms.certificates.clone(),
        Value::Raw(_) => Vec::new(),
    };
    out.extend(keyinfo.cloned());
    out
}

/// Step (4): the CMS certificates, then KeyInfo, then the host's store.
fn find_signer<'a>(
    sig: &SignatureXml,
    value: &Value,
    keyinfo_cert: Option<&Cert>,
    trust: &TrustStore,
) -> Result<(Cert, Source), Reason<'a>> {
    let key_info = sig.key_info.as_ref();
    let named_serial = key_info.and_then(|k| k.serial_number.as_deref());
    let named_issuer = key_info.and_then(|k| k.issuer_name.as_deref());

    let found = match value {
        Value::Detach(cms, _) => cms
            .certificates
            .iter()
            .find(|c| cms.signer_id.matches(c))
            .map(|c| (c.clone(), Source::Cms))
            .or_else(|| keyinfo_cert.map(|c| (c.clone(), Source::KeyInfo)))
            .or_else(|| {
                trust
                    .store()
                    .iter()
                    .find(|c| cms.signer_id.matches(c))
                    .map(|c| (c.clone(), Source::Store))
            }),
        Value::Raw(_) => keyinfo_cert.map(|c| (c.clone(), Source::KeyInfo)),
    };
    let found = found.or_else(|| match (named_issuer, named_serial) {
        (Some(issuer), Some(serial)) => trust
            .find_by_issuer_serial(issuer, serial)
            .map(|c| (c.clone(), Source::Store)),
        _ => None,
    });
    let Some((cert, source)) = found else {
        return Err(Reason::NoSigningCertificate);
    };
    if let Value::Detach(cms, _) = value
        && !cms.signer_id.matches(&cert)
    {
        return Err(Reason::KeyInfoNotCmsSigner);
    }
    let conflict = if keyinfo_cert.is_some_and(|k| k.der() != cert.der()) {
        Some(KeyInfoField::X509Certificate)
    } else if named_serial.is_some_and(|serial| !cert.matches_serial_hex(serial)) {
        Some(KeyInfoField::SerialNumber)
    } else if named_issuer.is_some_and(|issuer| !cert.matches_issuer(issuer)) {
        Some(KeyInfoField::X509IssuerName)
    } else {
        None
    };
    match conflict {
        Some(field) => Err(Reason::KeyInfoConflict(field)),
        None => Ok((cert, source)),
    }
}
