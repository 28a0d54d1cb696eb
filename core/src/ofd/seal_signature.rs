//! One signature of an OFD document: its references, then the seal
//! (`Type="Seal"`, SES v4/v1) or the digital signature (`Type="Sign"`, CMS
//! or bare SM2), then the signer's certificate path. Every step runs and is
//! reported; the decisive failure is the first proven one (INVALID), else
//! the first undecidable one (INDETERMINATE).

use super::package::{self, Package, SignatureType, Structure, child, child_text, children};
use super::references;
use super::report::{OfdSignatureReport, Picture, RefResult, SealReport};
use super::ses::{self, SesSignature};
use crate::options::Limits;
use crate::pki::{
    Cert, CmsError, EcSignature, KeyAlgorithm, Oid, PublicKey, TrustStore, decode_signature, oids,
    parse_with_content, tlv,
};
use crate::report::{Check, Message, SubIndication, Verdict};
use crate::report_build::{Failure, Recorder, Signer, Source, cert_info, judge_certificate_path};
use crate::time::rfc3339;

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

fn key_for(cert: &Cert, alg: &Alg) -> Result<PublicKey, (SubIndication, String)> {
    let key = cert.public_key().map_err(|e| {
        (
            SubIndication::CryptoConstraintsFailure,
            format!("certificate key is not usable: {e}"),
        )
    })?;
    match alg.scheme {
        Some(s) if s.key() == key.algorithm() => Ok(key),
        Some(_) => Err((
            SubIndication::SigCryptoFailure,
            format!(
                "certificate key type does not match the algorithm {}",
                alg.text
            ),
        )),
        None => Err((
            SubIndication::CryptoConstraintsFailure,
            format!("signature algorithm {} is not supported", alg.text),
        )),
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
        .or_else(|| run.failures.first())
        .cloned();
    let who = format!("signature {} ({})", entry.id, entry.kind.as_str());
    let who_zh = format!("签名 {}（{}）", entry.id, entry.kind.as_str());
    match decisive {
        Some(Failure { sub, message: msg }) => {
            report.verdict = sub.verdict();
            report.sub_indication = Some(sub);
            report.message = Message::new(
                format!("{who_zh}：{}", msg.zh),
                format!("{who}: {}", msg.en),
            );
        }
        None => {
            report.message = Message::new(
                format!("{who_zh}有效：引用摘要、签名值和证书链均已验证"),
                format!(
                    "{who} is valid: references, signature value and certificate path verified"
                ),
            );
        }
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
        run.fail(
            "format",
            SubIndication::FormatFailure,
            format!("BaseLoc“{}”无效", entry.base_loc),
            format!("BaseLoc \"{}\" is not a usable path", entry.base_loc),
        );
        return;
    };
    if let SignatureType::Other(kind) = &entry.kind {
        run.fail(
            "format",
            SubIndication::FormatFailure,
            format!("签名类型“{kind}”不是 Seal 或 Sign"),
            format!("signature Type \"{kind}\" is neither Seal nor Sign"),
        );
        return;
    }
    let sig_xml = match ctx.package.read(&path) {
        Ok(b) => b,
        Err(e) => {
            run.fail("format", SubIndication::FormatFailure, e.zh, e.en);
            return;
        }
    };
    let doc = match package::parse_xml(&sig_xml, &path, ctx.limits) {
        Ok(d) => d,
        Err(e) => {
            run.fail("format", SubIndication::FormatFailure, e.zh, e.en);
            return;
        }
    };
    let root = doc.root_element();
    let info = child(root, "SignedInfo");
    let refs = info.and_then(|i| child(i, "References"));
    let signed_value = child_text(root, "SignedValue").and_then(|t| package::resolve(&path, &t));
    let (Some(info), Some(refs), Some(value_path)) = (info, refs, signed_value) else {
        run.fail(
            "format",
            SubIndication::FormatFailure,
            format!("/{path} 缺少 SignedInfo、References 或 SignedValue"),
            format!("/{path} lacks SignedInfo, References or SignedValue"),
        );
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
            run.fail("format", SubIndication::FormatFailure, e.zh, e.en);
            return;
        }
    };
    run.pass(
        "format",
        "签名文件结构完整",
        "the signature parts are well-formed",
    );

    // (2)+(3) references: a proven failure (a digest that differs, a part
    // that is not there) outranks an unsupported CheckMethod.
    let alg = references::check_method(&check_method);
    let list = references::check(ctx, index, &path, alg, &ref_list);
    let failed: Vec<String> = list
        .iter()
        .filter(|r| r.result.is_failure())
        .map(|r| r.file_ref.clone())
        .collect();
    if list.is_empty() {
        run.fail(
            "references",
            SubIndication::FormatFailure,
            "签名没有引用任何文件",
            "the signature references no part",
        );
    } else if !failed.is_empty() {
        run.fail(
            "references",
            SubIndication::HashFailure,
            format!("签名后被改动或缺失的文件：{}", failed.join("、")),
            format!(
                "parts changed or missing since signing: {}",
                failed.join(", ")
            ),
        );
    } else if alg.is_none() {
        run.fail(
            "references",
            SubIndication::CryptoConstraintsFailure,
            format!("不支持的摘要算法 CheckMethod“{check_method}”，无法核对引用"),
            format!(
                "CheckMethod \"{check_method}\" is not supported: the references cannot be checked"
            ),
        );
    } else {
        run.pass(
            "references",
            format!("{} 个引用的摘要全部相符", list.len()),
            format!("all {} reference digests match", list.len()),
        );
    }
    for r in list.iter().filter(|r| r.result == RefResult::Tolerated) {
        run.warn(
            "references.signaturesList",
            "OFD_SIGNATURES_APPENDED",
            format!("{} 的摘要不符仅因为其后追加了签名（已容忍）", r.file_ref),
            format!(
                "{} no longer matches only because later signatures were appended to it (tolerated)",
                r.file_ref
            ),
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
            run.fail(
                "seal.format",
                SubIndication::FormatFailure,
                format!("SignedValue 不是有效的 SES_Signature：{e}"),
                format!("SignedValue is not a valid SES_Signature: {e}"),
            );
            return;
        }
    };
    report.ses_version = Some(ses.version);
    let time = ses.time.or(xml_time);
    report.signing_time = time.map(|t| rfc3339(t, 0));
    if ses.trailing > 0 {
        run.warn(
            "seal.trailingOctets",
            "DER_TRAILING_OCTETS",
            format!("SES_Signature 之后有 {} 个多余字节（已容忍）", ses.trailing),
            format!(
                "{} octets follow the SES_Signature DER object (tolerated)",
                ses.trailing
            ),
        );
    }
    report.seal = Some(seal_report(&ses));
    run.pass(
        "seal.format",
        format!("SES_Signature v{} 结构正确", ses.version),
        format!("SES_Signature v{} is well-formed", ses.version),
    );

    // dataHash = SM3(Signature.xml), always: SM3 is the hash of the SM2
    // scheme, and the CheckMethod inside Signature.xml governs its
    // references only (spec "dataHash"). A mismatch is proven, whatever
    // else cannot be checked.
    let digest = crate::pki::DigestAlgorithm::Sm3.digest(sig_xml);
    if ses.data_hash == digest.as_slice() {
        run.pass(
            "seal.dataHash",
            "dataHash 与 Signature.xml 相符",
            "dataHash matches Signature.xml",
        );
    } else {
        run.fail(
            "seal.dataHash",
            SubIndication::HashFailure,
            format!("印章签名的 dataHash 与 /{path} 不符：签名描述文件被改动或替换"),
            format!("the seal's dataHash does not match /{path}: the signature file was changed or swapped"),
        );
    }

    // .esl equality
    if let Some(loc) = seal_loc {
        match ctx.package.read(loc) {
            Ok(esl) if esl == ses.seal.der => run.pass(
                "seal.esl",
                format!("/{loc} 与签名中的印章逐字节相同"),
                format!("/{loc} is byte-equal to the seal in the signature"),
            ),
            Ok(_) => run.fail(
                "seal.esl",
                SubIndication::HashFailure,
                format!("/{loc} 与签名中的印章不同"),
                format!("/{loc} differs from the seal inside SES_Signature"),
            ),
            Err(e) => run.fail("seal.esl", SubIndication::FormatFailure, e.zh, e.en),
        }
    }

    // the maker's signature over SES_SealInfo
    match Cert::from_der(ses.seal.maker_cert) {
        Err(e) => run.fail(
            "seal.makerSignature",
            SubIndication::FormatFailure,
            format!("制章人证书无效：{e}"),
            format!("the seal maker certificate is not valid: {e}"),
        ),
        Ok(maker) => {
            if let Some(s) = report.seal.as_mut() {
                s.maker = Some(cert_info(&maker, Source::Seal));
            }
            verify_value(
                run,
                "seal.makerSignature",
                &maker,
                &Alg::dotted(&ses.seal.maker_alg),
                ses.seal.seal_info_der,
                ses.seal.maker_signature,
                (
                    "制章人对印章的签名",
                    "the seal maker's signature over SES_SealInfo",
                ),
            );
        }
    }

    // the signer's signature over TBS_Sign
    let signer = match Cert::from_der(ses.cert) {
        Ok(c) => c,
        Err(e) => {
            run.fail(
                "certificate.found",
                SubIndication::FormatFailure,
                format!("签章人证书无效：{e}"),
                format!("the signer certificate is not valid: {e}"),
            );
            return;
        }
    };
    report.signer = Some(cert_info(&signer, Source::Seal));
    let ok = verify_value(
        run,
        "signatureValue",
        &signer,
        &Alg::dotted(&ses.alg),
        ses.tbs_der,
        ses.signature,
        (
            "签章人对 TBS_Sign 的签名",
            "the signer's signature over TBS_Sign",
        ),
    );
    let extra: Vec<Cert> = Cert::from_der(ses.seal.maker_cert).into_iter().collect();
    // Like certificate validity, the seal's validity is judged once the
    // signer is trusted (step 7 of ebill-xml.md §6).
    if ok && chain(ctx, run, report, (&signer, Source::Seal), &extra, time) {
        // seal validity at signing time
        if let (Some(t), Some(from), Some(to)) = (time, ses.seal.valid_start, ses.seal.valid_end) {
            if t < from {
                run.fail(
                    "seal.validity",
                    SubIndication::NotYetValid,
                    format!("签章时间 {} 时印章尚未生效", rfc3339(t, 0)),
                    format!(
                        "the seal was not yet valid at the signing time {}",
                        rfc3339(t, 0)
                    ),
                );
            } else if t > to {
                run.fail(
                    "seal.validity",
                    SubIndication::Expired,
                    format!("签章时间 {} 时印章已过有效期", rfc3339(t, 0)),
                    format!("the seal had expired at the signing time {}", rfc3339(t, 0)),
                );
            } else {
                run.pass(
                    "seal.validity",
                    "签章时印章在有效期内",
                    "the seal was valid at the signing time",
                );
            }
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

/// Verifies a bare signature value; records the check. `true` when it
/// verified.
fn verify_value(
    run: &mut Recorder,
    id: &str,
    cert: &Cert,
    alg: &Alg,
    message: &[u8],
    value: &[u8],
    (what_zh, what): (&str, &str),
) -> bool {
    let key = match key_for(cert, alg) {
        Ok(k) => k,
        Err((sub, why)) => {
            run.fail(
                id,
                sub,
                format!("{what_zh}无法验证：{why}"),
                format!("{what} cannot be verified: {why}"),
            );
            return false;
        }
    };
    let (sig, _enc, trailing) = match decode_tolerant(value) {
        Ok(x) => x,
        Err(e) => {
            run.fail(
                id,
                SubIndication::FormatFailure,
                format!("{what_zh}的值既不是 DER 也不是 r‖s：{e}"),
                format!("{what}: the value is neither DER nor r‖s: {e}"),
            );
            return false;
        }
    };
    if trailing > 0 {
        run.warn(
            &format!("{id}.trailingOctets"),
            "DER_TRAILING_OCTETS",
            format!("{what_zh}的 DER 之后有 {trailing} 个多余字节（已容忍）"),
            format!("{trailing} octets follow the DER of {what} (tolerated)"),
        );
    }
    match key.verify(message, &sig) {
        Ok(()) => {
            run.pass(id, format!("{what_zh}验证通过"), format!("{what} verifies"));
            true
        }
        Err(_) => {
            run.fail(
                id,
                SubIndication::SigCryptoFailure,
                format!("{what_zh}验证失败：内容在签名后被改动"),
                format!("{what} does not verify: the signed data changed after signing"),
            );
            false
        }
    }
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
                run.warn(
                    "cms.trailingOctets",
                    "DER_TRAILING_OCTETS",
                    format!("CMS 之后有 {} 个多余字节（已容忍）", cms.trailing_octets),
                    format!(
                        "{} octets follow the CMS DER object (tolerated)",
                        cms.trailing_octets
                    ),
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
            if hash_ok {
                run.pass(
                    "cms.messageDigest",
                    "CMS 所签内容与 Signature.xml 相符",
                    "what the CMS signs matches Signature.xml",
                );
            } else {
                run.fail(
                    "cms.messageDigest",
                    SubIndication::HashFailure,
                    "CMS 所签内容与 Signature.xml 不符：签名描述文件被改动或替换",
                    "what the CMS signs does not match Signature.xml: the signature file was changed or swapped",
                );
            }
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
                run.fail(
                    "certificate.found",
                    SubIndication::NoSigningCertificateFound,
                    format!("找不到签名证书（{}）", cms.signer_id.describe()),
                    format!("the signing certificate ({}) is neither in the CMS nor in the host's store", cms.signer_id.describe()),
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
            let ok = verify_value(
                run,
                "signatureValue",
                &signer,
                &alg,
                signed,
                &cms.signature,
                ("CMS 签名", "the CMS signature"),
            );
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
        Err(CmsError::Unsupported(e)) => run.fail(
            "cms.format",
            SubIndication::CryptoConstraintsFailure,
            format!("CMS 使用了不支持的算法：{e}"),
            format!("the CMS uses an unsupported algorithm: {e}"),
        ),
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
                        run.pass("signatureValue", "签名值用主机提供的证书验证通过", "the signature verifies with a certificate the host supplied");
                        chain(ctx, run, report, (c, Source::Store), &[], xml_time);
                    }
                    None => run.fail(
                        "certificate.found",
                        SubIndication::NoSigningCertificateFound,
                        "裸签名值不含证书，主机提供的证书中也没有能验证它的",
                        "a bare signature value carries no certificate, and none the host supplied verifies it",
                    ),
                }
            }
            Err(_) => run.fail(
                "cms.format",
                SubIndication::FormatFailure,
                format!("SignedValue 既不是 CMS 也不是裸签名：{cms_error}"),
                format!("SignedValue is neither CMS nor a bare signature: {cms_error}"),
            ),
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
        who: ("签名", "the signer"),
    };
    let (chain, judged) = judge_certificate_path(run, ctx.trust, &signer, time, ctx.now);
    report.chain = chain;
    judged.is_ok()
}
