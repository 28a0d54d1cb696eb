//! The verification report (spec §6): what every host shows or stores.
//!
//! Serialised in camelCase by the serde derives (through serde_json, see
//! [`crate::to_json`]), natively and in the WebAssembly module alike;
//! `docs/report.schema.json` describes the JSON form and tests hold real
//! reports against it.

#[allow(unused_imports)]
use crate::prelude::*;

use serde::{Deserialize, Serialize};

pub use crate::not_a_bill::NotABill;

use crate::bill::Bill;

/// The `document` section of an OFD report (its types live with the OFD
/// stages).
pub use crate::ofd::report::{
    AttachmentReport, DocumentReport, Field, OfdSignatureReport, Picture, RefResult,
    ReferenceReport, SealReport,
};

/// The profile this verifier implements.
pub const PROFILE: &str = "piaoyan/1";

/// Overall or per-part verdict, as in ETSI EN 319 102-1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    Valid,
    Indeterminate,
    Invalid,
}

impl Verdict {
    /// `INVALID > INDETERMINATE > VALID`.
    pub fn worst(self, other: Verdict) -> Verdict {
        self.max(other)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "VALID",
            Verdict::Indeterminate => "INDETERMINATE",
            Verdict::Invalid => "INVALID",
        }
    }
}

/// Why a part is not VALID (spec §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubIndication {
    FormatFailure,
    HashFailure,
    SigCryptoFailure,
    NotYetValid,
    Expired,
    Revoked,
    ContentFailure,
    IdentityMismatch,
    NoSigningCertificateFound,
    NoCertificateChainFound,
    CryptoConstraintsFailure,
    /// What a reader is shown is not all covered by a valid signature (an
    /// OFD page, resource or document that no signature covers).
    SigConstraintsFailure,
}

impl SubIndication {
    /// The verdict this sub-indication belongs to.
    pub fn verdict(self) -> Verdict {
        match self {
            SubIndication::NoSigningCertificateFound
            | SubIndication::NoCertificateChainFound
            | SubIndication::CryptoConstraintsFailure
            | SubIndication::SigConstraintsFailure => Verdict::Indeterminate,
            _ => Verdict::Invalid,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SubIndication::FormatFailure => "FORMAT_FAILURE",
            SubIndication::HashFailure => "HASH_FAILURE",
            SubIndication::SigCryptoFailure => "SIG_CRYPTO_FAILURE",
            SubIndication::NotYetValid => "NOT_YET_VALID",
            SubIndication::Expired => "EXPIRED",
            SubIndication::Revoked => "REVOKED",
            SubIndication::ContentFailure => "CONTENT_FAILURE",
            SubIndication::IdentityMismatch => "IDENTITY_MISMATCH",
            SubIndication::NoSigningCertificateFound => "NO_SIGNING_CERTIFICATE_FOUND",
            SubIndication::NoCertificateChainFound => "NO_CERTIFICATE_CHAIN_FOUND",
            SubIndication::CryptoConstraintsFailure => "CRYPTO_CONSTRAINTS_FAILURE",
            SubIndication::SigConstraintsFailure => "SIG_CONSTRAINTS_FAILURE",
        }
    }
}

/// A message in Simplified Chinese and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub zh: String,
    pub en: String,
}

impl Message {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Message {
        Message {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Whether breaking a rule decides the verdict or is only reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Failure,
    Warning,
}

/// Outcome of one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckResult {
    Pass,
    Fail,
    /// The rule does not apply to this bill (an optional field is absent, say).
    #[serde(rename = "notApplicable")]
    NotApplicable,
}

/// One rule of the profile applied to this bill.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    /// Stable identifier, e.g. `main.totalAmount.itemSum`.
    pub id: String,
    pub level: Level,
    pub result: CheckResult,
    /// For a failed warning-level check: its §9 code (or one of ours).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub message: Message,
}

/// A warning, as listed apart in the report (spec §9 codes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub code: String,
    pub message: Message,
}

/// Which of the two signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    InvoicingParty,
    Supervisor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::InvoicingParty => "InvoicingParty",
            Role::Supervisor => "Supervisor",
        }
    }
}

/// A certificate as the report shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateInfo {
    /// RFC 4514 string of the subject.
    pub subject: String,
    pub issuer: String,
    /// Lower-case hexadecimal, no leading zeros.
    pub serial: String,
    /// RFC 3339, UTC.
    pub not_before: String,
    pub not_after: String,
    /// `sm2` or `p256`.
    pub key_algorithm: String,
    /// Where the verifier found it: `cms`, `keyInfo`, `store` or `anchor`.
    pub source: String,
    /// A trust anchor of the project's demo PKI ([`crate::pki::demo`]):
    /// anyone can sign with its keys. Written only when true.
    #[serde(default, skip_serializing_if = "is_false")]
    pub demo: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The report of one signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureReport {
    pub role: Role,
    /// `SM2-SM3`, `ECDSA-P256-SHA256`, or the text found when unsupported.
    pub algorithm: Option<String>,
    /// `RAW` or `DETACH` (as found), `RAW-DER`/`RAW-RS` are told apart in `encoding`.
    pub format: Option<String>,
    /// `DER`, `RS` (r‖s) or `CMS`, `CMS+signedAttrs`.
    pub encoding: Option<String>,
    /// `SignatureTime` as RFC 3339 with +08:00.
    pub signing_time: Option<String>,
    pub verdict: Verdict,
    pub sub_indication: Option<SubIndication>,
    pub message: Message,
    pub signer: Option<CertificateInfo>,
    /// From the signer certificate up to and including the trust anchor.
    pub chain: Vec<CertificateInfo>,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub profile: String,
    pub verifier_version: String,
    /// `xml` (a fiscal e-bill) or `ofd` (an OFD document, see `document`).
    pub format: String,
    pub verdict: Verdict,
    pub sub_indication: Option<SubIndication>,
    /// The reason for the verdict in plain words.
    pub reason: Message,
    /// `EInvoiceCode-EInvoiceNumber`, when the document got that far.
    pub bill_key: Option<String>,
    pub signatures: Vec<SignatureReport>,
    pub checks: Vec<Check>,
    pub warnings: Vec<Warning>,
    pub bill: Option<Bill>,
    /// For `ofd`: the package, its signatures and attachments.
    pub document: Option<crate::ofd::report::DocumentReport>,
    /// Some certificate path of this report (a signature, a seal, an
    /// embedded bill) ends at a demo trust anchor ([`crate::pki::demo`]):
    /// the verdict is no promise that the bill is genuine, and hosts show
    /// it as a demo (演示), never as a plain VALID.
    pub demo_trust: bool,
    /// Set when the input is not a bill at all (an empty file, a picture,
    /// a PDF, a zip of several bills, a file past the size bound): the
    /// verdict and reason stay those of FORMAT_FAILURE, and hosts show it as
    /// "not recognised" (无法识别) with help for that kind of file.
    pub not_a_bill: Option<NotABill>,
}

impl Report {
    /// Marks the report as one for an input that is not a bill.
    pub(crate) fn mark_not_a_bill(&mut self, kind: NotABill) {
        self.not_a_bill = Some(kind);
    }

    /// Sets [`Report::demo_trust`] here and in every nested report.
    pub(crate) fn mark_demo_trust(&mut self) {
        if let Some(d) = &mut self.document {
            for a in &mut d.attachments {
                if let Some(nested) = a.report.as_deref_mut() {
                    nested.mark_demo_trust();
                }
            }
        }
        self.demo_trust = self.rests_on_demo_anchor();
    }

    /// Whether a certificate path anywhere in this report, nested reports
    /// of embedded bills included, ends at a demo trust anchor.
    pub fn rests_on_demo_anchor(&self) -> bool {
        let demo = |chain: &[CertificateInfo]| chain.iter().any(|c| c.demo);
        self.signatures.iter().any(|s| demo(&s.chain))
            || self.document.as_ref().is_some_and(|d| {
                d.signatures.iter().any(|s| demo(&s.chain))
                    || d.attachments
                        .iter()
                        .filter_map(|a| a.report.as_deref())
                        .any(Report::rests_on_demo_anchor)
            })
    }
}
