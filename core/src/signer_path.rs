//! The signer's certificate path, as bills and OFD documents judge it alike
//! (spec §5.4, steps 6 and 7 of §6): the path to a trust anchor, validity
//! at the signing time, revocation by the host's CRLs, expiry since
//! signing; and the certificates as the report describes them.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::pki::{Cert, KeyAlgorithm, PathError, TrustStore};
use crate::report::{CertificateInfo, Message, SubIndication};
use crate::report_build::{Counts, Failure, Recorder};
use crate::time::{BEIJING_OFFSET_SECONDS, rfc3339};

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

/// What the judgement of a path finds, step by step: each a check of its
/// own (id, pass, failure with its sub-indication, or warning).
enum Finding {
    NoChain(PathError),
    Chains,
    NoSigningTime,
    NotYetValid {
        subject: String,
        at: String,
        from: String,
    },
    Expired {
        subject: String,
        at: String,
        until: String,
    },
    Revoked {
        subject: String,
        when: String,
        at: String,
    },
    RevokedAfterSigning {
        subject: String,
        when: String,
    },
    ExpiredSinceSigning {
        subject: String,
        until: String,
    },
    ValidAtSigning {
        at: String,
    },
}

impl Finding {
    fn check_id(&self) -> &'static str {
        match self {
            Finding::NoChain(_) | Finding::Chains => "certificate.chain",
            Finding::Revoked { .. } => "certificate.revocation",
            Finding::RevokedAfterSigning { .. } => "certRevokedAfterSigning",
            Finding::ExpiredSinceSigning { .. } => "certExpiredSinceSigning",
            Finding::NoSigningTime
            | Finding::NotYetValid { .. }
            | Finding::Expired { .. }
            | Finding::ValidAtSigning { .. } => "certificate.validity",
        }
    }

    fn counts(&self) -> Counts {
        match self {
            Finding::Chains | Finding::ValidAtSigning { .. } => Counts::Pass,
            Finding::NoChain(_) => Counts::Fail(SubIndication::NoCertificateChainFound),
            Finding::NoSigningTime => Counts::Fail(SubIndication::FormatFailure),
            Finding::NotYetValid { .. } => Counts::Fail(SubIndication::NotYetValid),
            Finding::Expired { .. } => Counts::Fail(SubIndication::Expired),
            Finding::Revoked { .. } => Counts::Fail(SubIndication::Revoked),
            Finding::RevokedAfterSigning { .. } => Counts::Warn("CERT_REVOKED_AFTER_SIGNING"),
            Finding::ExpiredSinceSigning { .. } => Counts::Warn("CERT_EXPIRED_SINCE_SIGNING"),
        }
    }

    /// The words of each finding; `who` names the signer.
    fn message(&self, (who_zh, who): (&str, &str)) -> Message {
        let (zh, en) = match self {
            Finding::NoChain(e) => (
                format!("{who_zh}证书无法链接到受信任的根证书：{e}"),
                format!("{who} certificate does not chain to a trust anchor: {e}"),
            ),
            Finding::Chains => (
                format!("{who_zh}证书链接到受信任的根证书"),
                format!("{who} certificate chains to a trust anchor"),
            ),
            Finding::NoSigningTime => (
                "没有可读的签名时间，无法检查证书有效期".to_string(),
                "no readable signing time: certificate validity cannot be checked".to_string(),
            ),
            Finding::NotYetValid { subject, at, from } => (
                format!("签名时间 {at} 时证书“{subject}”尚未生效（生效于 {from}）"),
                format!(
                    "certificate \"{subject}\" was not yet valid at the signing time {at} (valid from {from})"
                ),
            ),
            Finding::Expired { subject, at, until } => (
                format!("签名时间 {at} 时证书“{subject}”已过期（到期于 {until}）"),
                format!(
                    "certificate \"{subject}\" had expired at the signing time {at} (valid until {until})"
                ),
            ),
            Finding::Revoked { subject, when, at } => (
                format!("证书“{subject}”已于 {when} 吊销，早于签名时间 {at}"),
                format!(
                    "certificate \"{subject}\" was revoked at {when}, before the signing time {at}"
                ),
            ),
            Finding::RevokedAfterSigning { subject, when } => (
                format!("证书“{subject}”于签名之后的 {when} 被吊销，签名仍然有效"),
                format!(
                    "certificate \"{subject}\" was revoked at {when}, after signing; the signature stays valid"
                ),
            ),
            Finding::ExpiredSinceSigning { subject, until } => (
                format!("证书“{subject}”签名时有效，已于 {until} 过期；签名仍然有效"),
                format!(
                    "certificate \"{subject}\" was valid at signing and has expired since ({until}); the signature stays valid"
                ),
            ),
            Finding::ValidAtSigning { at } => (
                format!("签名时间 {at} 时证书链均在有效期内"),
                format!("every certificate of the path was valid at the signing time {at}"),
            ),
        };
        Message { zh, en }
    }

    /// Records the finding as its check; a failure comes back.
    fn record(&self, record: &mut Recorder, who: (&str, &str)) -> Result<(), Failure> {
        record.note(self.check_id(), self.counts(), self.message(who))
    }
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
    let who = signer.who;
    let path = match trust.build_path(signer.cert, signer.carried) {
        Ok(p) => p,
        Err(e) => return (Vec::new(), Finding::NoChain(e).record(record, who)),
    };
    // Records a pass: never fails.
    let _ = Finding::Chains.record(record, who);
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
    let result = judge_validity(record, who, trust, &path, time, now);
    (chain, result)
}

/// Validity, revocation and expiry of the path, each finding recorded as
/// it is found; the first failure ends the judgement.
fn judge_validity(
    record: &mut Recorder,
    who: (&str, &str),
    trust: &TrustStore,
    path: &[Cert],
    time: Option<i64>,
    now: Option<i64>,
) -> Result<(), Failure> {
    let Some(time) = time else {
        return Finding::NoSigningTime.record(record, who);
    };
    // The signing time in Beijing time, as a bill shows it.
    let at = rfc3339(time, BEIJING_OFFSET_SECONDS);
    for cert in path {
        if time < cert.not_before() {
            return Finding::NotYetValid {
                subject: cert.subject_string(),
                at,
                from: rfc3339(cert.not_before(), 0),
            }
            .record(record, who);
        }
        if time > cert.not_after() {
            return Finding::Expired {
                subject: cert.subject_string(),
                at,
                until: rfc3339(cert.not_after(), 0),
            }
            .record(record, who);
        }
    }
    for pair in path.windows(2) {
        let [cert, issuer] = pair else { continue };
        if let Some(revoked) = trust.revocation_time(cert, issuer) {
            let subject = cert.subject_string();
            let when = rfc3339(revoked, 0);
            let finding = if revoked <= time {
                Finding::Revoked {
                    subject,
                    when,
                    at: at.clone(),
                }
            } else {
                Finding::RevokedAfterSigning { subject, when }
            };
            finding.record(record, who)?;
        }
    }
    for cert in path
        .iter()
        .filter(|c| now.is_some_and(|now| c.not_after() < now))
    {
        Finding::ExpiredSinceSigning {
            subject: cert.subject_string(),
            until: rfc3339(cert.not_after(), 0),
        }
        .record(record, who)?;
    }
    Finding::ValidAtSigning { at }.record(record, who)
}
