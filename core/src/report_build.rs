//! What bills and OFD documents verify alike: checks and the recorder of one
//! signature's checks, the certificates as the report describes them, the
//! judgment of a signer's certificate path (spec §5.4, steps 6 and 7 of §6),
//! and the verdict and report of several parts.

use crate::VERSION;
use crate::pki::{Cert, KeyAlgorithm, TrustStore};
use crate::report::{
    CertificateInfo, Check, CheckResult, Level, Message, PROFILE, Report, SubIndication, Verdict,
    Warning,
};
use crate::time::{BEIJING_OFFSET_SECONDS, rfc3339};

/// A failed step: sub-indication and reason.
#[derive(Clone)]
pub(crate) struct Failure {
    pub sub: SubIndication,
    pub message: Message,
}

pub(crate) fn fail(sub: SubIndication, zh: impl Into<String>, en: impl Into<String>) -> Failure {
    Failure {
        sub,
        message: Message::new(zh, en),
    }
}

pub(crate) fn passed_check(id: String, message: Message) -> Check {
    Check {
        id,
        level: Level::Failure,
        result: CheckResult::Pass,
        code: None,
        message,
    }
}

pub(crate) fn failed_check(id: String, sub: SubIndication, message: Message) -> Check {
    Check {
        id,
        level: Level::Failure,
        result: CheckResult::Fail,
        code: Some(sub.as_str().to_string()),
        message,
    }
}

pub(crate) fn warning_check(id: String, code: &str, message: Message) -> Check {
    Check {
        id,
        level: Level::Warning,
        result: CheckResult::Fail,
        code: Some(code.to_string()),
        message,
    }
}

/// The check of a whole part (a signature, an embedded bill): passed when
/// VALID, its sub-indication as code.
pub(crate) fn part_check(
    id: String,
    verdict: Verdict,
    sub: Option<SubIndication>,
    message: Message,
) -> Check {
    Check {
        id,
        level: Level::Failure,
        result: if verdict == Verdict::Valid {
            CheckResult::Pass
        } else {
            CheckResult::Fail
        },
        code: sub.map(|s| s.as_str().to_string()),
        message,
    }
}

/// A report of `format` with its verdict and checks, the failed warnings
/// also listed apart; no bill, signatures or document.
pub(crate) fn new_report(
    format: &str,
    (verdict, sub_indication, reason): (Verdict, Option<SubIndication>, Message),
    checks: Vec<Check>,
) -> Report {
    Report {
        profile: PROFILE.to_string(),
        verifier_version: VERSION.to_string(),
        format: format.to_string(),
        verdict,
        sub_indication,
        reason,
        bill_key: None,
        signatures: Vec::new(),
        warnings: warnings_of(&checks),
        checks,
        bill: None,
        document: None,
        demo_trust: false,
    }
}

/// The failed warning-level checks, as the report lists them apart.
fn warnings_of(checks: &[Check]) -> Vec<Warning> {
    checks
        .iter()
        .filter(|c| c.level == Level::Warning && c.result == CheckResult::Fail)
        .map(|c| Warning {
            code: c.code.clone().unwrap_or_default(),
            message: c.message.clone(),
        })
        .collect()
}

/// The verdict of several parts: the worst one decides, the first part with
/// that verdict gives the sub-indication and reason; `valid` is the reason
/// when every part is VALID.
pub(crate) fn decide(
    parts: &[(Verdict, Option<SubIndication>, Message)],
    valid: Message,
) -> (Verdict, Option<SubIndication>, Message) {
    let verdict = parts
        .iter()
        .map(|p| p.0)
        .fold(Verdict::Valid, Verdict::worst);
    match parts.iter().find(|p| p.0 == verdict) {
        Some((Verdict::Valid, _, _)) | None => (verdict, None, valid),
        Some((_, sub, message)) => (verdict, *sub, message.clone()),
    }
}

/// The checks of one signature, with ids under one prefix; failures and
/// warnings are also kept apart.
pub(crate) struct Recorder {
    prefix: String,
    pub checks: Vec<Check>,
    pub failures: Vec<Failure>,
    pub warnings: Vec<Check>,
}

impl Recorder {
    pub fn new(prefix: String) -> Recorder {
        Recorder {
            prefix,
            checks: Vec::new(),
            failures: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn id(&self, id: &str) -> String {
        format!("{}.{id}", self.prefix)
    }

    pub fn pass(&mut self, id: &str, zh: impl Into<String>, en: impl Into<String>) {
        self.checks
            .push(passed_check(self.id(id), Message::new(zh, en)));
    }

    pub fn fail(
        &mut self,
        id: &str,
        sub: SubIndication,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) {
        self.reject(id, sub, zh, en);
    }

    /// Records a failed check and hands the failure back, to end the steps.
    pub fn reject(
        &mut self,
        id: &str,
        sub: SubIndication,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Failure {
        let failure = fail(sub, zh, en);
        let check = failed_check(self.id(id), sub, failure.message.clone());
        self.checks.push(check);
        self.failures.push(failure.clone());
        failure
    }

    pub fn warn(&mut self, id: &str, code: &str, zh: impl Into<String>, en: impl Into<String>) {
        let check = warning_check(self.id(id), code, Message::new(zh, en));
        self.checks.push(check.clone());
        self.warnings.push(check);
    }
}

/// Where a certificate came from, for the report.
#[derive(Clone, Copy)]
pub(crate) enum Source {
    Cms,
    KeyInfo,
    Store,
    Anchor,
    Seal,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Cms => "cms",
            Source::KeyInfo => "keyInfo",
            Source::Store => "store",
            Source::Anchor => "anchor",
            Source::Seal => "seal",
        }
    }
}

pub(crate) fn cert_info(cert: &Cert, source: Source) -> CertificateInfo {
    CertificateInfo {
        subject: cert.subject_string(),
        issuer: cert.issuer_string(),
        serial: cert.serial_hex(),
        not_before: rfc3339(cert.not_before(), 0),
        not_after: rfc3339(cert.not_after(), 0),
        key_algorithm: match cert.public_key().map(|k| k.algorithm()) {
            Ok(KeyAlgorithm::Sm2) => "sm2",
            Ok(KeyAlgorithm::P256) => "p256",
            Err(_) => "unsupported",
        }
        .to_string(),
        source: source.as_str().to_string(),
        demo: matches!(source, Source::Anchor) && crate::pki::demo::is_demo_anchor(cert),
    }
}

/// The signer whose certificate path is judged.
pub(crate) struct Signer<'a> {
    pub cert: &'a Cert,
    pub source: Source,
    /// Certificates the signature carries, for the path.
    pub carried: &'a [Cert],
    /// The one of them from an XML `KeyInfo`, for its source.
    pub key_info: Option<&'a Cert>,
    /// Who signed, in the reasons: `("开票单位签名", "InvoicingParty")`.
    pub who: (&'a str, &'a str),
}

/// The path from the signer to a trust anchor (check `certificate.chain`),
/// then validity at the signing time, revocation by the host's CRLs
/// (`certificate.validity`, `certificate.revocation`) and expiry since
/// signing (warnings `certRevokedAfterSigning`, `certExpiredSinceSigning`).
/// The path's certificates with their sources come back whatever the result.
pub(crate) fn judge_certificate_path(
    record: &mut Recorder,
    trust: &TrustStore,
    signer: &Signer<'_>,
    time: Option<i64>,
    now: Option<i64>,
) -> (Vec<CertificateInfo>, Result<(), Failure>) {
    let (who_zh, who) = signer.who;
    let path = match trust.build_path(signer.cert, signer.carried) {
        Ok(p) => p,
        Err(e) => {
            let failure = record.reject(
                "certificate.chain",
                SubIndication::NoCertificateChainFound,
                format!("{who_zh}证书无法链接到受信任的根证书：{e}"),
                format!("{who} certificate does not chain to a trust anchor: {e}"),
            );
            return (Vec::new(), Err(failure));
        }
    };
    record.pass(
        "certificate.chain",
        format!("{who_zh}证书链接到受信任的根证书"),
        format!("{who} certificate chains to a trust anchor"),
    );
    let is = |list: &[Cert], c: &Cert| list.contains(c);
    let chain = path
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let source = if i + 1 == path.len() && is(trust.anchors(), c) {
                Source::Anchor
            } else if i == 0 {
                signer.source
            } else if is(trust.store(), c) {
                Source::Store
            } else if signer.key_info == Some(c) {
                Source::KeyInfo
            } else {
                Source::Cms
            };
            cert_info(c, source)
        })
        .collect();
    let result = judge_validity(record, trust, &path, time, now);
    (chain, result)
}

fn judge_validity(
    record: &mut Recorder,
    trust: &TrustStore,
    path: &[Cert],
    time: Option<i64>,
    now: Option<i64>,
) -> Result<(), Failure> {
    let Some(time) = time else {
        return Err(record.reject(
            "certificate.validity",
            SubIndication::FormatFailure,
            "没有可读的签名时间，无法检查证书有效期",
            "no readable signing time: certificate validity cannot be checked",
        ));
    };
    // The signing time in Beijing time, as a bill shows it.
    let at = rfc3339(time, BEIJING_OFFSET_SECONDS);
    for cert in path {
        let subject = cert.subject_string();
        if time < cert.not_before() {
            let from = rfc3339(cert.not_before(), 0);
            return Err(record.reject(
                "certificate.validity",
                SubIndication::NotYetValid,
                format!("签名时间 {at} 时证书“{subject}”尚未生效（生效于 {from}）"),
                format!("certificate \"{subject}\" was not yet valid at the signing time {at} (valid from {from})"),
            ));
        }
        if time > cert.not_after() {
            let until = rfc3339(cert.not_after(), 0);
            return Err(record.reject(
                "certificate.validity",
                SubIndication::Expired,
                format!("签名时间 {at} 时证书“{subject}”已过期（到期于 {until}）"),
                format!("certificate \"{subject}\" had expired at the signing time {at} (valid until {until})"),
            ));
        }
    }
    for pair in path.windows(2) {
        let [cert, issuer] = pair else { continue };
        if let Some(revoked) = trust.revocation_time(cert, issuer) {
            let subject = cert.subject_string();
            let when = rfc3339(revoked, 0);
            if revoked <= time {
                return Err(record.reject(
                    "certificate.revocation",
                    SubIndication::Revoked,
                    format!("证书“{subject}”已于 {when} 吊销，早于签名时间 {at}"),
                    format!("certificate \"{subject}\" was revoked at {when}, before the signing time {at}"),
                ));
            }
            record.warn(
                "certRevokedAfterSigning",
                "CERT_REVOKED_AFTER_SIGNING",
                format!("证书“{subject}”于签名之后的 {when} 被吊销，签名仍然有效"),
                format!("certificate \"{subject}\" was revoked at {when}, after signing; the signature stays valid"),
            );
        }
    }
    for cert in path
        .iter()
        .filter(|c| now.is_some_and(|now| c.not_after() < now))
    {
        let subject = cert.subject_string();
        let until = rfc3339(cert.not_after(), 0);
        record.warn(
            "certExpiredSinceSigning",
            "CERT_EXPIRED_SINCE_SIGNING",
            format!("证书“{subject}”签名时有效，已于 {until} 过期；签名仍然有效"),
            format!("certificate \"{subject}\" was valid at signing and has expired since ({until}); the signature stays valid"),
        );
    }
    record.pass(
        "certificate.validity",
        format!("签名时间 {at} 时证书链均在有效期内"),
        format!("every certificate of the path was valid at the signing time {at}"),
    );
    Ok(())
}
