//! One signature of an OFD document: its references, then the seal
//! (`Type="Seal"`, SES v4/v1) or the digital signature (`Type="Sign"`, CMS
//! or bare SM2), then the signer's certificate path. Every step runs and is
//! reported; the decisive failure is the first proven one (INVALID), else
//! the first undecidable one (INDETERMINATE).
//!
//! Each step finds a [`Finding`], which counts as a pass, a failure (its
//! sub-indication) or a warning (its code); the words are in
//! `ofd/seal_signature/messages.rs`.

#[allow(unused_imports)]
use crate::prelude::*;

use super::package::{
    self, Package, PackageError, SignatureType, Structure, child, child_text, children,
};
use super::references;
use super::report::{OfdSignatureReport, Picture, RefResult, SealReport};
use super::ses::{self, SesSignature};
use crate::options::Limits;
use crate::pki::{
    Cert, CertError, CmsError, EcSignature, KeyAlgorithm, KeyError, Oid, PublicKey, TrustStore,
    decode_signature, oids, parse_with_content, tlv,
};
use crate::report::{Check, Message, SubIndication, Verdict};
use crate::report_build::{Counts, Failure, Recorder};
use crate::signer_path::{Signer, Source, cert_info, judge_certificate_path};
use crate::time::rfc3339;

mod messages;

/// Everything one signature needs from the package.
pub struct Ctx<'a> {
    pub package: &'a Package<'a>,
    pub limits: &'a Limits,
    pub trust: &'a TrustStore,
    pub now: Option<i64>,
    pub structure: &'a Structure,
    /// The Signatures list: its path, bytes and entries.
    pub list_path: &'a str,
    pub list_bytes: &'a [u8],
    pub entries: &'a [package::SignatureEntry],
}

/// The result of one signature.
pub struct Outcome {
    pub report: OfdSignatureReport,
    pub warnings: Vec<Check>,
    /// Parts (names in the zip) whose reference matched.
    pub covered: Vec<String>,
}

/// What a step of one OFD signature finds, with what its words name.
pub(crate) enum Finding<'a> {
    /// `BaseLoc` of the list names no usable path.
    BaseLoc {
        base_loc: &'a str,
    },
    /// `Type` is neither Seal nor Sign.
    UnknownType {
        kind: &'a str,
    },
    /// A part cannot be read or parsed (the package's reason).
    Package(PackageError),
    /// `Signature.xml` lacks SignedInfo, References or SignedValue.
    Incomplete {
        path: &'a str,
    },
    WellFormed,
    NoReferences,
    /// Referenced parts changed or missing.
    ReferencesChanged {
        failed: &'a [String],
    },
    /// `CheckMethod` is not supported.
    CheckMethod {
        text: &'a str,
    },
    ReferencesMatch {
        n: usize,
    },
    /// A reference to the Signatures list broken only by appended signatures.
    SignaturesAppended {
        file_ref: &'a str,
    },
    SesFormat(String),
    SesTrailing {
        n: usize,
    },
    SesWellFormed {
        version: u8,
    },
    DataHashMatches,
    DataHashDiffers {
        path: &'a str,
    },
    EslEqual {
        loc: &'a str,
    },
    EslDiffers {
        loc: &'a str,
    },
    MakerCertificate(CertError),
    SignerCertificate(CertError),
    /// The key of a signed value's certificate cannot verify it.
    KeyUnusable {
        value: SignedValue,
        why: KeyProblem,
    },
    /// A signed value is neither DER nor r‖s.
    ValueUndecodable {
        value: SignedValue,
        detail: String,
    },
    ValueTrailing {
        value: SignedValue,
        n: usize,
    },
    ValueVerifies {
        value: SignedValue,
    },
    ValueDoesNotVerify {
        value: SignedValue,
    },
    SealNotYetValid {
        at: i64,
    },
    SealExpired {
        at: i64,
    },
    SealValid,
    CmsTrailing {
        n: usize,
    },
    CmsContentMatches,
    CmsContentDiffers,
    CmsNoCertificate {
        signer_id: String,
    },
    CmsUnsupported(String),
    BareVerifies,
    BareNoCertificate,
    NeitherCmsNorBare(String),
}

/// The signature values an OFD signature verifies.
#[derive(Clone, Copy)]
pub(crate) enum SignedValue {
    /// The seal maker's signature over `SES_SealInfo`.
    SealMaker,
    /// The signer's signature over `TBS_Sign`.
    Signer,
    /// The CMS signature of a `Type="Sign"` signature.
    Cms,
}

impl SignedValue {
    /// The check of this value.
    fn check_id(self) -> &'static str {
        match self {
            SignedValue::SealMaker => "seal.makerSignature",
            SignedValue::Signer | SignedValue::Cms => "signatureValue",
        }
    }
}

/// Why a certificate's key cannot verify a value.
pub(crate) enum KeyProblem {
    Unusable(KeyError),
    /// The key is not of the algorithm (its text).
    Mismatch(String),
    /// The algorithm (its text) is not supported.
    Unsupported(String),
}

impl Finding<'_> {
    /// Whether the finding passes, fails (how) or warns (its code).
    fn counts(&self) -> Counts {
        use Counts::{Fail, Pass, Warn};
        use SubIndication as S;
        match self {
            Finding::WellFormed
            | Finding::ReferencesMatch { .. }
            | Finding::SesWellFormed { .. }
            | Finding::DataHashMatches
            | Finding::EslEqual { .. }
            | Finding::ValueVerifies { .. }
            | Finding::SealValid
            | Finding::CmsContentMatches
            | Finding::BareVerifies => Pass,
            Finding::SignaturesAppended { .. } => Warn("OFD_SIGNATURES_APPENDED"),
            Finding::SesTrailing { .. }
            | Finding::ValueTrailing { .. }
            | Finding::CmsTrailing { .. } => Warn("DER_TRAILING_OCTETS"),
            Finding::BaseLoc { .. }
            | Finding::UnknownType { .. }
            | Finding::Package(_)
            | Finding::Incomplete { .. }
            | Finding::NoReferences
            | Finding::SesFormat(_)
            | Finding::MakerCertificate(_)
            | Finding::SignerCertificate(_)
            | Finding::ValueUndecodable { .. }
            | Finding::NeitherCmsNorBare(_) => Fail(S::FormatFailure),
            Finding::ReferencesChanged { .. }
            | Finding::DataHashDiffers { .. }
            | Finding::EslDiffers { .. }
            | Finding::CmsContentDiffers => Fail(S::HashFailure),
            Finding::CheckMethod { .. } | Finding::CmsUnsupported(_) => {
                Fail(S::CryptoConstraintsFailure)
            }
            Finding::KeyUnusable { why, .. } => Fail(why.sub_indication()),
            Finding::ValueDoesNotVerify { .. } => Fail(S::SigCryptoFailure),
            Finding::SealNotYetValid { .. } => Fail(S::NotYetValid),
            Finding::SealExpired { .. } => Fail(S::Expired),
            Finding::CmsNoCertificate { .. } | Finding::BareNoCertificate => {
                Fail(S::NoSigningCertificateFound)
            }
        }
    }
}

impl KeyProblem {
    fn sub_indication(&self) -> SubIndication {
        match self {
            KeyProblem::Mismatch(_) => SubIndication::SigCryptoFailure,
            KeyProblem::Unusable(_) | KeyProblem::Unsupported(_) => {
                SubIndication::CryptoConstraintsFailure
            }
        }
    }
}

/// Records `finding` as check `id`; whether it did not fail.
fn note(run: &mut Recorder, id: &str, finding: Finding<'_>) -> bool {
    run.note(id, finding.counts(), finding.message()).is_ok()
}

/// A signature value as DER `SEQUENCE{r,s}` or raw r‖s, tolerating octets
/// after the DER object; returns the trailing count.
fn decode_tolerant(bytes: &[u8]) -> Result<(EcSignature, &'static str, usize), String> {
    if let Ok((sig, enc)) = decode_signature(bytes) {
        return Ok((sig, enc.as_str(), 0));
    }
    let (t, rest) = tlv::read(bytes).map_err(|e| e.to_string())?;
    let (sig, enc) = decode_signature(t.raw).map_err(|e| e.to_string())?;
    Ok((sig, enc.as_str(), rest.len()))
}

/// Parses `SignatureDateTime`: digits `yyyyMMddHHmmss` (separators
/// ignored), UTC when it ends in `Z`, Beijing time otherwise.
fn parse_xml_time(text: &str) -> Option<i64> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let d = digits.get(0..14)?;
    let tag = if text.trim_end().ends_with('Z') {
        0x18
    } else {
        0
    };
    ses::asn1_time(
        tag,
        format!("{d}{}", if tag == 0x18 { "Z" } else { "" }).as_bytes(),
    )
}

/// The two signature schemes an OFD signature value may use.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Sm2Sm3,
    EcdsaSha256,
}

impl Scheme {
    /// The scheme a signature algorithm OID names (SES and SESeal write
    /// the signature algorithm itself).
    fn of(alg: &Oid) -> Option<Scheme> {
        if *alg == oids::SM2_WITH_SM3 {
            Some(Scheme::Sm2Sm3)
        } else if *alg == oids::ECDSA_WITH_SHA256 {
            Some(Scheme::EcdsaSha256)
        } else {
            None
        }
    }

    /// The scheme of a CMS `signatureAlgorithm`, where some producers
    /// write the key algorithm (sm2sign, id-ecPublicKey) instead.
    fn of_cms(alg: &Oid) -> Option<Scheme> {
        if *alg == oids::SM2_SIGN {
            Some(Scheme::Sm2Sm3)
        } else if *alg == oids::EC_PUBLIC_KEY {
            Some(Scheme::EcdsaSha256)
        } else {
            Scheme::of(alg)
        }
    }

    fn key(self) -> KeyAlgorithm {
        match self {
            Scheme::Sm2Sm3 => KeyAlgorithm::Sm2,
            Scheme::EcdsaSha256 => KeyAlgorithm::P256,
        }
    }
}

/// The signature algorithm of a signature value: its scheme, when
/// supported, and the OID as written (for the reasons).
#[derive(Clone)]
struct Alg {
    scheme: Option<Scheme>,
    text: String,
}

impl Alg {
    /// From the dotted text the SES decoder keeps.
    fn dotted(text: &str) -> Alg {
        Alg {
            scheme: Oid::from_dotted(text).and_then(|o| Scheme::of(&o)),
            text: text.to_string(),
        }
    }
}

fn key_for(cert: &Cert, alg: &Alg) -> Result<PublicKey, KeyProblem> {
    let key = cert.public_key().map_err(KeyProblem::Unusable)?;
    match alg.scheme {
        Some(s) if s.key() == key.algorithm() => Ok(key),
        Some(_) => Err(KeyProblem::Mismatch(alg.text.clone())),
        None => Err(KeyProblem::Unsupported(alg.text.clone())),
    }
}

/// Verifies signature `index` of the list.
pub fn verify_seal_signature(ctx: &Ctx<'_>, index: usize) -> Outcome {
    let entry = &ctx.entries[index];
    let mut run = Recorder::new(format!("ofd.signature[{index}]"));
    let mut report = OfdSignatureReport {
        id: entry.id.clone(),
        kind: entry.kind.as_str().to_string(),
        base_loc: entry.base_loc.clone(),
        provider: None,
        method: None,
        check_method: None,
        signing_time: None,
        encoding: None,
        ses_version: None,
        verdict: Verdict::Valid,
        sub_indication: None,
        message: Message::new("", ""),
        signer: None,
        chain: Vec::new(),
        seal: None,
        references: Vec::new(),
        failed_references: Vec::new(),
        checks: Vec::new(),
    };
    let mut covered = Vec::new();
    steps(ctx, index, &mut run, &mut report, &mut covered);

    let decisive = run
        .failures
        .iter()
        .find(|f| f.sub.verdict() == Verdict::Invalid)
        .or_else(|| run.failures.first());
    match decisive {
        Some(Failure { sub, message }) => {
            report.verdict = sub.verdict();
            report.sub_indication = Some(*sub);
            report.message = messages::decided(entry, message);
        }
        None => report.message = messages::valid(entry),
    }
    report.checks = run.checks;
    Outcome {
        report,
        warnings: run.warnings,
        covered,
    }
}

fn steps(
    ctx: &Ctx<'_>,
    index: usize,
    run: &mut Recorder,
    report: &mut OfdSignatureReport,
    covered: &mut Vec<String>,
) {
    let entry = &ctx.entries[index];
    // (1) format: the Signature.xml and what it points to
    let Some(path) = entry.path.clone() else {
        note(
            run,
            "format",
            Finding::BaseLoc {
                base_loc: &entry.base_loc,
            },
        );
        return;
    };
    if let SignatureType::Other(kind) = &entry.kind {
        note(run, "format", Finding::UnknownType { kind });
        return;
    }
    let sig_xml = match ctx.package.read(&path) {
        Ok(b) => b,
        Err(e) => {
            note(run, "format", Finding::Package(e));
            return;
        }
    };
    let doc = match package::parse_xml(&sig_xml, &path, ctx.limits) {
        Ok(d) => d,
        Err(e) => {
            note(run, "format", Finding::Package(e));
            return;
        }
    };
    let root = doc.root_element();
    let info = child(root, "SignedInfo");
    let refs = info.and_then(|i| child(i, "References"));
    let signed_value = child_text(root, "SignedValue").and_then(|t| package::resolve(&path, &t));
    let (Some(info), Some(refs), Some(value_path)) = (info, refs, signed_value) else {
        note(run, "format", Finding::Incomplete { path: &path });
        return;
    };
    report.provider = child(info, "Provider").map(|p| {
        p.attribute("ProviderName")
            .map(str::to_string)
            .or_else(|| child_text(p, "ProviderName"))
            .unwrap_or_default()
    });
    report.method = child_text(info, "SignatureMethod");
    let xml_time = child_text(info, "SignatureDateTime").and_then(|t| parse_xml_time(&t));
    let check_method = refs
        .attribute("CheckMethod")
        .unwrap_or("")
        .trim()
        .to_string();
    report.check_method = Some(check_method.clone());
    let ref_list: Vec<(String, String)> = children(refs, "Reference")
        .map(|r| {
            (
                r.attribute("FileRef").unwrap_or("").to_string(),
                child_text(r, "CheckValue").unwrap_or_default(),
            )
        })
        .collect();
    let seal_loc = child(info, "Seal")
        .and_then(|s| child_text(s, "BaseLoc"))
        .and_then(|t| package::resolve(&path, &t));
    let value = match ctx.package.read(&value_path) {
        Ok(b) => b,
        Err(e) => {
            note(run, "format", Finding::Package(e));
            return;
        }
    };
    note(run, "format", Finding::WellFormed);

    // (2)+(3) references: a proven failure (a digest that differs, a part
    // that is not there) outranks an unsupported CheckMethod.
    let alg = references::check_method(&check_method);
    let list = references::check(ctx, index, &path, alg, &ref_list);
    let failed: Vec<String> = list
        .iter()
        .filter(|r| r.result.is_failure())
        .map(|r| r.file_ref.clone())
        .collect();
    let finding = if list.is_empty() {
        Finding::NoReferences
    } else if !failed.is_empty() {
        Finding::ReferencesChanged { failed: &failed }
    } else if alg.is_none() {
        Finding::CheckMethod {
            text: &check_method,
        }
    } else {
        Finding::ReferencesMatch { n: list.len() }
    };
    note(run, "references", finding);
    for r in list.iter().filter(|r| r.result == RefResult::Tolerated) {
        note(
            run,
            "references.signaturesList",
            Finding::SignaturesAppended {
                file_ref: &r.file_ref,
            },
        );
    }
    // What this signature covers: the parts (their names in the zip) its
    // matching references name, found as the references found them.
    for r in list.iter().filter(|r| r.result == RefResult::Match) {
        if let Some(name) = package::resolve(&path, &r.file_ref).and_then(|p| ctx.package.name(&p))
        {
            covered.push(name.to_string());
        }
    }
    report.failed_references = failed;
    report.references = list;

    if entry.kind == SignatureType::Seal {
        seal(
            ctx,
            run,
            report,
            &path,
            &sig_xml,
            &value,
            seal_loc.as_deref(),
            xml_time,
        );
    } else {
        sign(ctx, run, report, &sig_xml, &value, xml_time);
    }
}

#[allow(clippy::too_many_arguments)]
fn seal(
    ctx: &Ctx<'_>,
    run: &mut Recorder,
    report: &mut OfdSignatureReport,
    path: &str,
    sig_xml: &[u8],
    value: &[u8],
    seal_loc: Option<&str>,
    xml_time: Option<i64>,
) {
    report.encoding = Some("SES".into());
    let ses = match ses::parse_signature(value) {
        Ok(s) => s,
        Err(e) => {
            note(run, "seal.format", Finding::SesFormat(e));
            return;
        }
    };
    report.ses_version = Some(ses.version);
    let time = ses.time.or(xml_time);
    report.signing_time = time.map(|t| rfc3339(t, 0));
    if ses.trailing > 0 {
        note(
            run,
            "seal.trailingOctets",
            Finding::SesTrailing { n: ses.trailing },
        );
    }
    report.seal = Some(seal_report(&ses));
    note(
        run,
        "seal.format",
        Finding::SesWellFormed {
            version: ses.version,
        },
    );

    // dataHash = SM3(Signature.xml), always: SM3 is the hash of the SM2
    // scheme, and the CheckMethod inside Signature.xml governs its
    // references only (spec "dataHash"). A mismatch is proven, whatever
    // else cannot be checked.
    let digest = crate::pki::DigestAlgorithm::Sm3.digest(sig_xml);
    let finding = if ses.data_hash == digest.as_slice() {
        Finding::DataHashMatches
    } else {
        Finding::DataHashDiffers { path }
    };
    note(run, "seal.dataHash", finding);

    // .esl equality
    if let Some(loc) = seal_loc {
        let finding = match ctx.package.read(loc) {
            Ok(esl) if esl == ses.seal.der => Finding::EslEqual { loc },
            Ok(_) => Finding::EslDiffers { loc },
            Err(e) => Finding::Package(e),
        };
        note(run, "seal.esl", finding);
    }

    // the maker's signature over SES_SealInfo
    match Cert::from_der(ses.seal.maker_cert) {
        Err(e) => {
            note(run, "seal.makerSignature", Finding::MakerCertificate(e));
        }
        Ok(maker) => {
            if let Some(s) = report.seal.as_mut() {
                s.maker = Some(cert_info(&maker, Source::Seal));
            }
            verify_value(
                run,
                SignedValue::SealMaker,
                &maker,
                &Alg::dotted(&ses.seal.maker_alg),
                ses.seal.seal_info_der,
                ses.seal.maker_signature,
            );
        }
    }

    // the signer's signature over TBS_Sign
    let signer = match Cert::from_der(ses.cert) {
        Ok(c) => c,
        Err(e) => {
            note(run, "certificate.found", Finding::SignerCertificate(e));
            return;
        }
    };
    report.signer = Some(cert_info(&signer, Source::Seal));
    let ok = verify_value(
        run,
        SignedValue::Signer,
        &signer,
        &Alg::dotted(&ses.alg),
        ses.tbs_der,
        ses.signature,
    );
    let extra: Vec<Cert> = Cert::from_der(ses.seal.maker_cert).into_iter().collect();
    // Like certificate validity, the seal's validity is judged once the
    // signer is trusted (step 7 of ebill-xml.md §6).
    if ok && chain(ctx, run, report, (&signer, Source::Seal), &extra, time) {
        // seal validity at signing time
        if let (Some(t), Some(from), Some(to)) = (time, ses.seal.valid_start, ses.seal.valid_end) {
            let finding = if t < from {
                Finding::SealNotYetValid { at: t }
            } else if t > to {
                Finding::SealExpired { at: t }
            } else {
                Finding::SealValid
            };
            note(run, "seal.validity", finding);
        }
    }
}

fn seal_report(ses: &SesSignature<'_>) -> SealReport {
    let s = &ses.seal;
    SealReport {
        version: s.version,
        es_id: s.es_id.clone(),
        name: s.name.clone(),
        seal_type: s.seal_type,
        vid: s.vid.clone(),
        created: s.created.map(|t| rfc3339(t, 0)),
        valid_from: s.valid_start.map(|t| rfc3339(t, 0)),
        valid_to: s.valid_end.map(|t| rfc3339(t, 0)),
        maker: None,
        picture: s.picture.map(|data| Picture {
            kind: s
                .picture_type
                .clone()
                .unwrap_or_default()
                .to_ascii_lowercase(),
            data: crate::b64::encode(data),
            width: s.picture_width,
            height: s.picture_height,
        }),
    }
}

/// Verifies a bare signature value; records its check (and a warning for
/// octets after its DER). `true` when it verified.
fn verify_value(
    run: &mut Recorder,
    what: SignedValue,
    cert: &Cert,
    alg: &Alg,
    message: &[u8],
    value: &[u8],
) -> bool {
    let id = what.check_id();
    let key = match key_for(cert, alg) {
        Ok(k) => k,
        Err(why) => return note(run, id, Finding::KeyUnusable { value: what, why }),
    };
    let (sig, _enc, trailing) = match decode_tolerant(value) {
        Ok(x) => x,
        Err(detail) => {
            return note(
                run,
                id,
                Finding::ValueUndecodable {
                    value: what,
                    detail,
                },
            );
        }
    };
    if trailing > 0 {
        note(
            run,
            &format!("{id}.trailingOctets"),
            Finding::ValueTrailing {
                value: what,
                n: trailing,
            },
        );
    }
    let finding = match key.verify(message, &sig) {
        Ok(()) => Finding::ValueVerifies { value: what },
        Err(_) => Finding::ValueDoesNotVerify { value: what },
    };
    note(run, id, finding)
}

fn sign(
    ctx: &Ctx<'_>,
    run: &mut Recorder,
    report: &mut OfdSignatureReport,
    sig_xml: &[u8],
    value: &[u8],
    xml_time: Option<i64>,
) {
    report.signing_time = xml_time.map(|t| rfc3339(t, 0));
    match parse_with_content(value) {
        Ok((cms, content)) => {
            report.encoding = Some(if cms.signed_attrs_der.is_some() {
                "CMS+signedAttrs".into()
            } else {
                "CMS".into()
            });
            if cms.trailing_octets > 0 {
                note(
                    run,
                    "cms.trailingOctets",
                    Finding::CmsTrailing {
                        n: cms.trailing_octets,
                    },
                );
            }
            // What was signed: Signature.xml itself, or (GB/T 35275 as
            // OFD writers use it) its digest; eContent, when present, must
            // be one of the two.
            let xml_digest = cms.digest_algorithm.digest(sig_xml);
            let candidates: Vec<&[u8]> = match &content {
                Some(c) => vec![c.as_slice()],
                None => vec![sig_xml, xml_digest.as_slice()],
            };
            let mut hash_ok = content
                .as_deref()
                .is_none_or(|c| c == sig_xml || c == xml_digest.as_slice());
            let mut message: &[u8] = candidates[0];
            if let Some(md) = &cms.message_digest {
                match candidates
                    .iter()
                    .find(|m| cms.digest_algorithm.digest(m) == *md)
                {
                    Some(m) => message = m,
                    None => hash_ok = false,
                }
            }
            let finding = if hash_ok {
                Finding::CmsContentMatches
            } else {
                Finding::CmsContentDiffers
            };
            note(run, "cms.messageDigest", finding);
            let found = cms
                .signer_certificate()
                .map(|c| (c.clone(), Source::Cms))
                .or_else(|| {
                    ctx.trust
                        .store()
                        .iter()
                        .find(|c| cms.signer_id.matches(c))
                        .map(|c| (c.clone(), Source::Store))
                });
            let Some((signer, source)) = found else {
                note(
                    run,
                    "certificate.found",
                    Finding::CmsNoCertificate {
                        signer_id: cms.signer_id.describe(),
                    },
                );
                return;
            };
            report.signer = Some(cert_info(&signer, source));
            let alg = Alg {
                scheme: Scheme::of_cms(&cms.signature_algorithm_oid),
                text: cms.signature_algorithm_oid.to_string(),
            };
            let signed: &[u8] = match &cms.signed_attrs_der {
                Some(attrs) => attrs,
                None => match key_for(&signer, &alg) {
                    // Without signedAttrs: the one candidate the key accepts.
                    Ok(k) => candidates
                        .iter()
                        .copied()
                        .find(|m| {
                            decode_tolerant(&cms.signature)
                                .is_ok_and(|(sig, _, _)| k.verify(m, &sig).is_ok())
                        })
                        .unwrap_or(message),
                    Err(_) => message,
                },
            };
            let ok = verify_value(run, SignedValue::Cms, &signer, &alg, signed, &cms.signature);
            if ok {
                chain(
                    ctx,
                    run,
                    report,
                    (&signer, source),
                    &cms.certificates,
                    xml_time,
                );
            }
        }
        Err(CmsError::Unsupported(e)) => {
            note(run, "cms.format", Finding::CmsUnsupported(e));
        }
        Err(CmsError::Format(cms_error)) => match decode_tolerant(value) {
            Ok((sig, enc, _)) => {
                report.encoding = Some(enc.to_string());
                // A bare signature: the certificate must come from the host.
                let found = ctx.trust.store().iter().find(|c| {
                    c.public_key()
                        .is_ok_and(|k| k.verify(sig_xml, &sig).is_ok())
                });
                match found {
                    Some(c) => {
                        report.signer = Some(cert_info(c, Source::Store));
                        note(run, "signatureValue", Finding::BareVerifies);
                        chain(ctx, run, report, (c, Source::Store), &[], xml_time);
                    }
                    None => {
                        note(run, "certificate.found", Finding::BareNoCertificate);
                    }
                }
            }
            Err(_) => {
                note(run, "cms.format", Finding::NeitherCmsNorBare(cms_error));
            }
        },
    }
}

/// Path to a trust anchor, then validity at the signing time and
/// revocation, as for XML bills (ebill-xml.md §5.4).
fn chain(
    ctx: &Ctx<'_>,
    run: &mut Recorder,
    report: &mut OfdSignatureReport,
    (signer, source): (&Cert, Source),
    carried: &[Cert],
    time: Option<i64>,
) -> bool {
    let signer = Signer {
        cert: signer,
        source,
        carried,
        key_info: None,
        who: messages::SIGNER,
    };
    let (chain, judged) = judge_certificate_path(run, ctx.trust, &signer, time, ctx.now);
    report.chain = chain;
    judged.is_ok()
}
