//! One signature of a bill, checked in the order of spec §6: format,
//! algorithm, messageDigest, signer certificate, signature value, path,
//! validity and revocation at signing time, identity binding. The first step
//! that fails decides, with one exception: a messageDigest this verifier
//! can compute is checked before the algorithms are judged, so that a
//! proven change of the content is INVALID whatever else is unsupported.

use crate::parse::SignatureXml;
use crate::pki::{
    Cert, CmsError, DetachedSignedData, EcSignature, KeyAlgorithm, KeyError, Oid, TrustStore,
    decode_signature, oids, parse_detached_claim,
};
use crate::report::{
    CertificateInfo, Check, Message, Role, SignatureReport, SubIndication, Verdict,
};
use crate::report_build::{
    Failure, Recorder, Signer, Source, cert_info, fail, judge_certificate_path,
};
use crate::time::{BEIJING_OFFSET_SECONDS, parse_signature_time, rfc3339};

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
    role_zh: &'static str,
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

fn role_zh(role: Role) -> &'static str {
    match role {
        Role::InvoicingParty => "开票单位签名",
        Role::Supervisor => "财政监管签名",
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
        role_zh: role_zh(sig.role),
        algorithm: None,
        encoding: None,
        signer: None,
        chain: Vec::new(),
        record: Recorder::new(format!("signature.{}", role_key(sig.role))),
    };
    let result = steps(&mut run, message, time, expected, trust, now);
    let (verdict, sub_indication, msg) = match result {
        Ok(()) => (
            Verdict::Valid,
            None,
            Message::new(
                format!("{}有效", run.role_zh),
                format!("the {} signature is valid", sig.role.as_str()),
            ),
        ),
        Err(f) => (f.sub.verdict(), Some(f.sub), f.message),
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

fn steps(
    run: &mut Run<'_>,
    message: Option<&[u8]>,
    time: Option<i64>,
    expected: &Expected<'_>,
    trust: &TrustStore,
    now: Option<i64>,
) -> Result<(), Failure> {
    let sig = run.sig;
    let who_zh = run.role_zh;
    let who = sig.role.as_str();
    // (1) format
    let expected_reference = match sig.role {
        Role::InvoicingParty => "Header EInvoiceData",
        Role::Supervisor => "Header EInvoiceData InvoicingParty",
    };
    if sig.reference != expected_reference {
        return Err(fail(
            SubIndication::FormatFailure,
            format!(
                "{who_zh}的 Reference 应为“{expected_reference}”，实为“{}”",
                sig.reference
            ),
            format!(
                "{who} Reference must be \"{expected_reference}\", found \"{}\"",
                sig.reference
            ),
        ));
    }
    let Some(time) = time else {
        return Err(fail(
            SubIndication::FormatFailure,
            format!(
                "{who_zh}的 SignatureTime“{}”不是有效的 yyyyMMddHHmmss",
                sig.time
            ),
            format!(
                "{who} SignatureTime \"{}\" is not a valid yyyyMMddHHmmss",
                sig.time
            ),
        ));
    };
    let Some(message) = message else {
        return Err(fail(
            SubIndication::FormatFailure,
            format!("{who_zh}覆盖的开票单位签名值不是有效的 Base64"),
            format!(
                "the {who} signature covers an InvoicingParty SignatureValue that is not valid base64"
            ),
        ));
    };
    let Some(octets) = decode_base64(&sig.value) else {
        return Err(fail(
            SubIndication::FormatFailure,
            format!("{who_zh}的 SignatureValue 不是有效的 Base64"),
            format!("{who} SignatureValue is not valid base64"),
        ));
    };
    let keyinfo_cert = match sig.key_info.as_ref().and_then(|k| k.certificate.as_deref()) {
        Some(text) => Some(
            decode_base64(text)
                .ok_or(())
                .and_then(|der| Cert::from_der(&der).map_err(|_| ()))
                .map_err(|()| {
                    fail(
                        SubIndication::FormatFailure,
                        format!("{who_zh}的 KeyInfo/X509Certificate 不是有效的 X.509 证书"),
                        format!("{who} KeyInfo/X509Certificate is not a valid X.509 certificate"),
                    )
                })?,
        ),
        None => None,
    };
    let Some(format) = Format::parse(&sig.format) else {
        return Err(fail(
            SubIndication::FormatFailure,
            format!(
                "{who_zh}的 SignatureFormat“{}”未知（应为 RAW 或 DETACH）",
                sig.format
            ),
            format!(
                "{who} SignatureFormat \"{}\" is unknown (RAW or DETACH)",
                sig.format
            ),
        ));
    };
    let mut unsupported_cms = None;
    // What the CMS says the content's digest is, with an algorithm this
    // verifier computes: checked before anything can be unsupported.
    let mut digest_claim = None;
    let value = if format == Format::Raw {
        let (ec, encoding) = decode_signature(&octets).map_err(|e| {
            fail(
                SubIndication::FormatFailure,
                format!("{who_zh}的 RAW 签名值既不是 DER 也不是 64 字节 r‖s：{e}"),
                format!("{who} RAW signature value is neither DER nor 64-octet r‖s: {e}"),
            )
        })?;
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
                    let n = cms.trailing_octets;
                    run.record.warn(
                        "derTrailingOctets",
                        "DER_TRAILING_OCTETS",
                        format!("{who_zh}的 CMS 对象后有 {n} 个多余字节（已容忍）"),
                        format!("{n} octets follow the CMS DER object of the {who} signature (tolerated)"),
                    );
                }
                let ec = decode_signature(&cms.signature)
                    .map_err(|e| {
                        fail(
                            SubIndication::FormatFailure,
                            format!("{who_zh}的 SignerInfo 签名值格式错误：{e}"),
                            format!("{who} SignerInfo signature value is malformed: {e}"),
                        )
                    })?
                    .0;
                Some(Value::Detach(Box::new(cms), ec))
            }
            Err((CmsError::Format(e), _)) => {
                return Err(fail(
                    SubIndication::FormatFailure,
                    format!("{who_zh}的 CMS 结构不符合规范：{e}"),
                    format!("{who} CMS structure is not as the profile requires: {e}"),
                ));
            }
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
        return Err(fail(
            SubIndication::HashFailure,
            format!("{who_zh}的 messageDigest 与所签内容的摘要不符：内容在签名后被改动"),
            format!(
                "{who} messageDigest does not match the signed content: it changed after signing"
            ),
        ));
    }

    // (2) algorithm supported
    let Some(alg) = parse_algorithm(&sig.algorithm) else {
        return Err(fail(
            SubIndication::CryptoConstraintsFailure,
            format!("不支持{who_zh}的签名算法“{}”", sig.algorithm),
            format!(
                "{who} SignatureAlgorithm \"{}\" is not supported",
                sig.algorithm
            ),
        ));
    };
    run.algorithm = Some(alg);
    let Some(value) = value else {
        let e = unsupported_cms.unwrap_or_default();
        return Err(fail(
            SubIndication::CryptoConstraintsFailure,
            format!("{who_zh}的 CMS 使用了不支持的算法：{e}"),
            format!("{who} CMS uses an unsupported algorithm: {e}"),
        ));
    };
    if let Value::Detach(cms, _) = &value {
        let cms_alg = cms_algorithm(&cms.signature_algorithm_oid);
        if cms_alg != Some(alg) {
            return Err(fail(
                SubIndication::FormatFailure,
                format!(
                    "{who_zh}的 SignerInfo 算法 {} 与 SignatureAlgorithm 不符",
                    cms.signature_algorithm_oid
                ),
                format!(
                    "{who} SignerInfo algorithm {} contradicts SignatureAlgorithm \"{}\"",
                    cms.signature_algorithm_oid, sig.algorithm
                ),
            ));
        }
        let digest_ok = matches!(
            (alg, cms.digest_algorithm),
            (KeyAlgorithm::Sm2, crate::pki::DigestAlgorithm::Sm3)
                | (KeyAlgorithm::P256, crate::pki::DigestAlgorithm::Sha256)
        );
        if !digest_ok {
            return Err(fail(
                SubIndication::CryptoConstraintsFailure,
                format!("{who_zh}的摘要算法与签名算法不配套"),
                format!(
                    "{who} digest algorithm does not go with {}",
                    algorithm_name(alg)
                ),
            ));
        }
    }

    // (4) signer certificate
    let (signer, source) = find_signer(run, &value, keyinfo_cert.as_ref(), trust)?;
    run.signer = Some(cert_info(&signer, source));
    let key = signer.public_key().map_err(|e| match e {
        KeyError::Unsupported(d) => fail(
            SubIndication::CryptoConstraintsFailure,
            format!("{who_zh}证书的公钥类型不受支持：{d}"),
            format!("{who} certificate key type is not supported: {d}"),
        ),
        KeyError::Invalid(d) => fail(
            SubIndication::SigCryptoFailure,
            format!("{who_zh}证书的公钥无效：{d}"),
            format!("{who} certificate public key is invalid: {d}"),
        ),
    })?;
    if key.algorithm() != alg {
        return Err(fail(
            SubIndication::SigCryptoFailure,
            format!(
                "{who_zh}证书的密钥类型与签名算法 {} 不符",
                algorithm_name(alg)
            ),
            format!(
                "{who} certificate key type does not match SignatureAlgorithm {}",
                algorithm_name(alg)
            ),
        ));
    }

    // (5) signature value
    let (signed, ec) = match &value {
        Value::Raw(ec) => (message, ec),
        Value::Detach(cms, ec) => (cms.signed_attrs_der.as_deref().unwrap_or(message), ec),
    };
    key.verify(signed, ec).map_err(|_| {
        fail(
            SubIndication::SigCryptoFailure,
            format!("{who_zh}的签名值验证失败：票据内容或签名在签名后被改动"),
            format!("{who} signature value does not verify: the bill or the signature changed after signing"),
        )
    })?;

    // (6) path to a trust anchor, then (7) validity and revocation at signing time
    let extra = extra_certs(&value, keyinfo_cert.as_ref());
    if let Some(ku) = signer.key_usage()
        && !ku.digital_signature
        && !ku.non_repudiation
    {
        return Err(fail(
            SubIndication::NoCertificateChainFound,
            format!("{who_zh}证书的密钥用法不允许签名"),
            format!("{who} certificate key usage does not allow digital signatures"),
        ));
    }
    let (chain, judged) = judge_certificate_path(
        &mut run.record,
        trust,
        &Signer {
            cert: &signer,
            source,
            carried: &extra,
            key_info: keyinfo_cert.as_ref(),
            who: (who_zh, who),
        },
        Some(time),
        now,
    );
    run.chain = chain;
    judged?;

    // (8) identity binding
    let ids: Vec<String> = [oids::AT_SERIAL_NUMBER, oids::AT_ORGANIZATION_IDENTIFIER]
        .into_iter()
        .flat_map(|oid| signer.subject_attribute_values(oid))
        .collect();
    if !ids.iter().any(|v| v.trim() == expected.identity) {
        let (field, field_zh) = match sig.role {
            Role::InvoicingParty => ("InvoicingPartyCode", "开票单位代码"),
            Role::Supervisor => ("SupervisorAreaCode", "监管区划代码"),
        };
        let found = if ids.is_empty() {
            "—".to_string()
        } else {
            ids.join(", ")
        };
        return Err(fail(
            SubIndication::IdentityMismatch,
            format!(
                "{who_zh}证书属于“{found}”，而票据的{field_zh}为“{}”：他人的证书签署了本票据",
                expected.identity
            ),
            format!(
                "the {who} certificate identifies \"{found}\" but the bill's {field} is \"{}\": someone else's certificate signed this bill",
                expected.identity
            ),
        ));
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
fn find_signer(
    run: &Run<'_>,
    value: &Value,
    keyinfo_cert: Option<&Cert>,
    trust: &TrustStore,
) -> Result<(Cert, Source), Failure> {
    let sig = run.sig;
    let who_zh = run.role_zh;
    let who = sig.role.as_str();
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
        return Err(fail(
            SubIndication::NoSigningCertificateFound,
            format!("找不到{who_zh}的签名证书（CMS、KeyInfo 和主机证书库中均没有）"),
            format!(
                "the {who} signing certificate was not found (not in the CMS, KeyInfo or the host's store)"
            ),
        ));
    };
    let conflict = |what_zh: &str, what: &str| {
        fail(
            SubIndication::FormatFailure,
            format!("{who_zh}的 KeyInfo {what_zh}与实际签名证书不符"),
            format!("{who} KeyInfo {what} names a different certificate than the one that signed"),
        )
    };
    if let Value::Detach(cms, _) = value
        && !cms.signer_id.matches(&cert)
    {
        return Err(fail(
            SubIndication::FormatFailure,
            format!("{who_zh}的 KeyInfo 证书不是 CMS SignerInfo 所指的签名者"),
            format!("{who} KeyInfo certificate is not the signer the CMS SignerInfo names"),
        ));
    }
    if keyinfo_cert.is_some_and(|k| k.der() != cert.der()) {
        return Err(conflict("中的证书", "X509Certificate"));
    }
    if named_serial.is_some_and(|serial| !cert.matches_serial_hex(serial)) {
        return Err(conflict("的序列号", "SerialNumber"));
    }
    if named_issuer.is_some_and(|issuer| !cert.matches_issuer(issuer)) {
        return Err(conflict("的颁发者", "X509IssuerName"));
    }
    Ok((cert, source))
}
