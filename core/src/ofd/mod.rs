//! OFD documents (GB/T 33190) with electronic seals (GB/T 38540, GM/T 0031)
//! and digital signatures (GB/T 35275): `shared/spec/ofd-seals.md`.
//!
//! One job per module:
//! - [`zip`]: the bounded zip reader;
//! - [`package`]: `OFD.xml` → document → `Signatures` list, paths;
//! - [`references`]: reference digests and the appended-list tolerance;
//! - [`ses`]: `SES_Signature` / `SESeal` v4 and v1;
//! - [`seal_signature`]: one signature (seal or digital signature), step by step;
//! - [`content`]: attachments and custom tags, the bill inside;
//! - [`coverage`]: the parts a reader is shown, each to be signed;
//! - [`report`]: the `document` section of the report.

#[allow(unused_imports)]
use crate::prelude::*;

pub mod content;
pub mod coverage;
mod messages;
pub mod package;
pub mod references;
pub mod report;
pub mod seal_signature;
pub mod ses;
pub mod zip;

use crate::options::Limits;
use crate::pki::TrustStore;
use crate::report::{Check, Message, Report, SubIndication, Verdict};
use crate::report_build::{
    decide, failed_check, new_report, part_check, passed_check, warning_check,
};
use crate::report::NotABill;
use coverage::Required;
use report::DocumentReport;

/// Whether the input is a zip (by content, never by name): a local header
/// at the start, or an end-of-central-directory record near the end of
/// something that does not start like XML.
pub fn is_zip(input: &[u8]) -> bool {
    if input.starts_with(b"PK\x03\x04") {
        return true;
    }
    let first = input
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(input)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    first != Some(&b'<') && zip::find_eocd(input).is_some()
}

/// What the steps of a whole document find, with what their words name
/// (`ofd/messages.rs`); the findings of each signature are
/// [`seal_signature::Finding`]s.
pub(crate) enum Finding<'a> {
    /// The package is larger than `maxPackageBytes`.
    TooLarge { size: usize, bound: usize },
    /// The zip container is refused.
    Zip(&'a zip::ZipError),
    /// Warning: octets before the zip.
    ZipPrefix { n: usize },
    /// Warning: documents besides the one opened.
    OtherDocuments { n: usize },
    /// The document has no signature.
    NoSignature,
    /// The package is well-formed, with `signatures` signatures.
    Structure { signatures: usize },
    /// Warning: an attachment no valid signature covers.
    AttachmentUncovered { file: &'a str },
    /// Every part the opened document shows is covered.
    Covered { doc_root: &'a str, parts: usize },
    /// Parts the opened document shows are uncovered or unreadable.
    Uncovered {
        doc_root: &'a str,
        uncovered: &'a [String],
        unreadable: &'a [String],
    },
    /// The embedded bill's report, by its reason.
    EmbeddedBill { file: &'a str, reason: &'a Message },
    /// Every signature and seal VALID.
    Valid,
}

fn package_message(e: &package::PackageError) -> Message {
    Message::new(e.zh.clone(), e.en.clone())
}

fn format_report(
    check: &str,
    message: Message,
    document: Option<DocumentReport>,
    warnings: Vec<Check>,
) -> Report {
    let mut checks = warnings;
    let reason = messages::not_a_signed_ofd(&message);
    checks.push(failed_check(
        check.to_string(),
        SubIndication::FormatFailure,
        message,
    ));
    let verdict = (Verdict::Invalid, Some(SubIndication::FormatFailure), reason);
    Report {
        document,
        ..new_report("ofd", verdict, checks)
    }
}

/// Verifies one OFD package completely.
pub fn verify_ofd(input: &[u8], trust: &TrustStore, limits: &Limits, now: Option<i64>) -> Report {
    match open(input, limits) {
        Ok(archive) => verify_archive(&archive, trust, limits, now),
        Err(report) => report,
    }
}

/// Reads the zip container of a package (its size bounded first), or the
/// report refusing it. (The report is returned once, on the refusing path:
/// boxing it would add an allocation to the module for nothing.)
#[allow(clippy::result_large_err)]
#[inline(always)]
pub(crate) fn open<'a>(input: &'a [u8], limits: &Limits) -> Result<zip::Archive<'a>, Report> {
    if input.len() > limits.max_package_bytes {
        let finding = Finding::TooLarge {
            size: input.len(),
            bound: limits.max_package_bytes,
        };
        let mut report = format_report("limits.packageBytes", finding.message(), None, Vec::new());
        report.mark_not_a_bill(NotABill::TooLarge);
        return Err(report);
    }
    zip::Archive::parse(input, limits)
        .map_err(|e| format_report(e.check_id(), Finding::Zip(&e).message(), None, Vec::new()))
}

/// Verifies the package `open` read (the renderer draws from the same
/// reading, `render/`). Inlined: in the verifying module `verify_ofd` is
/// its only caller, and the module keeps its size (measured: 155 686 bytes
/// gzip, 155 690 before the split; with a call boundary here, 155 797).
#[inline(always)]
pub(crate) fn verify_archive(
    archive: &zip::Archive<'_>,
    trust: &TrustStore,
    limits: &Limits,
    now: Option<i64>,
) -> Report {
    let mut checks = Vec::new();
    if archive.prefix > 0 {
        checks.push(warning_check(
            "ofd.zip.prefix".into(),
            "OFD_ZIP_PREFIX",
            Finding::ZipPrefix { n: archive.prefix }.message(),
        ));
    }
    let mut document = DocumentReport {
        doc_root: None,
        prefix_bytes: archive.prefix as u64,
        parts: archive.entries.len() as u64,
        signatures: Vec::new(),
        attachments: Vec::new(),
        uncovered: Vec::new(),
    };
    let package = match package::Package::new(archive) {
        Ok(p) => p,
        Err(e) => return format_report(e.check, package_message(&e), Some(document), checks),
    };
    let structure = match package::structure(&package, limits) {
        Ok(s) => s,
        Err(e) => {
            let mut report = format_report(e.check, package_message(&e), Some(document), checks);
            if package.find("OFD.xml").is_none() {
                report.mark_not_a_bill(NotABill::Archive);
            }
            return report;
        }
    };
    document.doc_root = Some(structure.doc_root.clone());
    if !structure.other_documents.is_empty() {
        let n = structure.other_documents.len();
        checks.push(warning_check(
            "ofd.documents".into(),
            "OFD_MULTIPLE_DOCUMENTS",
            Finding::OtherDocuments { n }.message(),
        ));
    }
    let no_signature = |document, checks| {
        format_report(
            "ofd.signatures",
            Finding::NoSignature.message(),
            Some(document),
            checks,
        )
    };
    let Some(list_path) = structure.signatures_path.clone() else {
        return no_signature(document, checks);
    };
    let list_bytes = match package.read(&list_path) {
        Ok(b) => b,
        Err(e) => return format_report(e.check, package_message(&e), Some(document), checks),
    };
    let entries = match package::signature_entries(&list_bytes, &list_path, limits) {
        Ok(e) => e,
        Err(e) => return format_report(e.check, package_message(&e), Some(document), checks),
    };
    if entries.is_empty() {
        return no_signature(document, checks);
    }
    checks.push(passed_check(
        "ofd.structure".into(),
        Finding::Structure {
            signatures: entries.len(),
        }
        .message(),
    ));
    let ctx = seal_signature::Ctx {
        package: &package,
        limits,
        trust,
        now,
        structure: &structure,
        list_path: &list_path,
        list_bytes: &list_bytes,
        entries: &entries,
    };
    // What the signatures cover: the parts their matching references name.
    // A signature proven INVALID covers nothing. One that is INDETERMINATE
    // still counts here: the document is then INDETERMINATE through it
    // anyway, and `uncovered` names only what no signature covers (what
    // would stay unsigned once the host trusts the signers).
    let mut covered = Vec::new();
    for i in 0..entries.len() {
        let outcome = seal_signature::verify_seal_signature(&ctx, i);
        let r = &outcome.report;
        checks.push(part_check(
            format!("ofd.signature[{i}]"),
            r.verdict,
            r.sub_indication,
            r.message.clone(),
        ));
        checks.extend(outcome.warnings);
        if r.verdict != Verdict::Invalid {
            covered.extend(outcome.covered);
        }
        document.signatures.push(outcome.report);
    }
    document.attachments =
        content::collect(&package, &structure.doc_root, &covered, limits, trust, now);
    for a in document
        .attachments
        .iter()
        .filter(|a| !a.covered && a.format != "missing")
    {
        checks.push(warning_check(
            "ofd.attachments".into(),
            "OFD_ATTACHMENT_UNCOVERED",
            Finding::AttachmentUncovered { file: &a.file }.message(),
        ));
    }

    // Coverage: every part a reader is shown is signed (spec "Coverage").
    let required = coverage::required(&package, &structure.doc_root, limits);
    let mut uncovered: Vec<String> = required
        .parts
        .iter()
        .filter(|p| !covered.contains(p))
        .cloned()
        .collect();
    for d in &structure.other_documents {
        if !uncovered.contains(d) {
            uncovered.push(d.clone());
        }
    }
    let coverage_part = coverage_outcome(&structure.doc_root, &required, &uncovered);
    match &coverage_part {
        None => checks.push(passed_check(
            "ofd.coverage".into(),
            Finding::Covered {
                doc_root: &structure.doc_root,
                parts: required.parts.len(),
            }
            .message(),
        )),
        Some((_, sub, message)) => checks.push(failed_check(
            "ofd.coverage".into(),
            sub.unwrap_or(SubIndication::SigConstraintsFailure),
            message.clone(),
        )),
    }
    document.uncovered = uncovered;

    // The verdict: the worst part, the first part with that verdict decides;
    // coverage first, since trusting the signers does not repair it.
    let mut parts: Vec<(Verdict, Option<SubIndication>, Message)> =
        coverage_part.into_iter().collect();
    parts.extend(
        document
            .signatures
            .iter()
            .map(|s| (s.verdict, s.sub_indication, s.message.clone())),
    );
    let mut bill = None;
    for a in &document.attachments {
        if let Some(r) = &a.report {
            checks.push(part_check(
                "ofd.ebill".into(),
                r.verdict,
                r.sub_indication,
                Finding::EmbeddedBill {
                    file: &a.file,
                    reason: &r.reason,
                }
                .message(),
            ));
            parts.push((r.verdict, r.sub_indication, r.reason.clone()));
            if bill.is_none()
                && let (Some(k), Some(b)) = (&r.bill_key, &r.bill)
            {
                bill = Some((k.clone(), b.clone()));
            }
        }
    }
    let verdict = decide(&parts, Finding::Valid.message());
    let (bill_key, bill) = bill.unzip();
    Report {
        bill_key,
        bill,
        document: Some(document),
        ..new_report("ofd", verdict, checks)
    }
}

/// The coverage part of the verdict: `None` when every part a reader is
/// shown is covered, else INDETERMINATE (SIG_CONSTRAINTS_FAILURE) naming
/// the uncovered parts and the parts that could not be read.
fn coverage_outcome(
    doc_root: &str,
    required: &Required,
    uncovered: &[String],
) -> Option<(Verdict, Option<SubIndication>, Message)> {
    if uncovered.is_empty() && required.unreadable.is_empty() {
        return None;
    }
    Some((
        Verdict::Indeterminate,
        Some(SubIndication::SigConstraintsFailure),
        Finding::Uncovered {
            doc_root,
            uncovered,
            unreadable: &required.unreadable,
        }
        .message(),
    ))
}
