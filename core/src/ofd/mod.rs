//! OFD documents (GB/T 33190) with electronic seals (GB/T 38540, GM/T 0031)
//! and digital signatures (GB/T 35275): `shared/spec/ofd-seals.md`.
//!
//! One job per module:
//! - [`zip`]: the bounded zip reader;
//! - [`package`]: `OFD.xml` → document → `Signatures` list, paths;
//! - [`references`]: reference digests and the appended-list tolerance;
//! - [`ses`]: `SES_Signature` / `SESeal` v4 and v1;
//! - [`sign`]: one signature, step by step;
//! - [`content`]: attachments and custom tags, the bill inside;
//! - [`report`]: the `document` section of the report.

pub mod content;
pub mod package;
pub mod references;
pub mod report;
pub mod ses;
pub mod sign;
pub mod zip;

use crate::checks::{decide, failed_check, new_report, part_check, passed_check, warning_check};
use crate::options::Limits;
use crate::pki::TrustStore;
use crate::report::{Check, Message, Report, SubIndication, Verdict};
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

fn format_report(
    check: &str,
    zh: String,
    en: String,
    document: Option<DocumentReport>,
    warnings: Vec<Check>,
) -> Report {
    let mut checks = warnings;
    checks.push(failed_check(
        check.to_string(),
        SubIndication::FormatFailure,
        Message::new(zh.clone(), en.clone()),
    ));
    let reason = Message::new(
        format!("不是有效的已签名 OFD 文档：{zh}"),
        format!("not a valid signed OFD document: {en}"),
    );
    let verdict = (Verdict::Invalid, Some(SubIndication::FormatFailure), reason);
    Report {
        document,
        ..new_report("ofd", verdict, checks)
    }
}

/// Verifies one OFD package completely.
pub fn verify(input: &[u8], trust: &TrustStore, limits: &Limits, now: Option<i64>) -> Report {
    if input.len() > limits.max_package_bytes {
        return format_report(
            "limits.packageBytes",
            format!(
                "文件 {} 字节，超过上限 {} 字节",
                input.len(),
                limits.max_package_bytes
            ),
            format!(
                "the package is {} bytes, above the bound maxPackageBytes = {}",
                input.len(),
                limits.max_package_bytes
            ),
            None,
            Vec::new(),
        );
    }
    let archive = match zip::Archive::parse(input, limits) {
        Ok(a) => a,
        Err(e) => {
            return format_report(
                e.check_id(),
                format!("zip 容器：{e}"),
                format!("zip container: {e}"),
                None,
                Vec::new(),
            );
        }
    };
    let mut checks = Vec::new();
    if archive.prefix > 0 {
        checks.push(warning_check(
            "ofd.zip.prefix".into(),
            "OFD_ZIP_PREFIX",
            Message::new(
                format!("zip 之前有 {} 个多余字节（已容忍）", archive.prefix),
                format!(
                    "{} bytes precede the zip archive (tolerated)",
                    archive.prefix
                ),
            ),
        ));
    }
    let mut document = DocumentReport {
        doc_root: None,
        prefix_bytes: archive.prefix as u64,
        parts: archive.entries.len() as u64,
        signatures: Vec::new(),
        attachments: Vec::new(),
    };
    let structure = match package::structure(&archive, limits) {
        Ok(s) => s,
        Err(e) => return format_report(e.check, e.zh, e.en, Some(document), checks),
    };
    document.doc_root = Some(structure.doc_root.clone());
    if structure.extra_documents > 0 {
        checks.push(warning_check(
            "ofd.documents".into(),
            "OFD_MULTIPLE_DOCUMENTS",
            Message::new(
                format!("包中另有 {} 个文档未验证", structure.extra_documents),
                format!(
                    "{} further documents in the package are not verified",
                    structure.extra_documents
                ),
            ),
        ));
    }
    let no_signature = |document, checks| {
        format_report(
            "ofd.signatures",
            "文档没有任何签名或签章：不是真实有效的票据".into(),
            "no signature was found in the document: it is no genuine bill".into(),
            Some(document),
            checks,
        )
    };
    let Some(list_path) = structure.signatures_path.clone() else {
        return no_signature(document, checks);
    };
    let list_bytes = match package::read_part(&archive, &list_path) {
        Ok(b) => b,
        Err(e) => return format_report(e.check, e.zh, e.en, Some(document), checks),
    };
    let entries = match package::signature_entries(&list_bytes, &list_path, limits) {
        Ok(e) => e,
        Err(e) => return format_report(e.check, e.zh, e.en, Some(document), checks),
    };
    if entries.is_empty() {
        return no_signature(document, checks);
    }
    checks.push(passed_check(
        "ofd.structure".into(),
        Message::new(
            format!("OFD 包结构完整，共 {} 个签名", entries.len()),
            format!(
                "the OFD package is well-formed, with {} signatures",
                entries.len()
            ),
        ),
    ));
    let ctx = sign::Ctx {
        archive: &archive,
        limits,
        trust,
        now,
        structure: &structure,
        list_path: &list_path,
        list_bytes: &list_bytes,
        entries: &entries,
    };
    let mut covered = Vec::new();
    for i in 0..entries.len() {
        let outcome = sign::verify(&ctx, i);
        let r = &outcome.report;
        checks.push(part_check(
            format!("ofd.signature[{i}]"),
            r.verdict,
            r.sub_indication,
            r.message.clone(),
        ));
        checks.extend(outcome.warnings);
        covered.extend(outcome.covered);
        document.signatures.push(outcome.report);
    }
    document.attachments =
        content::collect(&archive, &structure.doc_root, &covered, limits, trust, now);

    // The verdict: the worst part, the first part with that verdict decides.
    let mut parts: Vec<(Verdict, Option<SubIndication>, Message)> = document
        .signatures
        .iter()
        .map(|s| (s.verdict, s.sub_indication, s.message.clone()))
        .collect();
    let mut bill = None;
    for a in &document.attachments {
        if let Some(r) = &a.report {
            checks.push(part_check(
                "ofd.ebill".into(),
                r.verdict,
                r.sub_indication,
                Message::new(
                    format!("内嵌财政电子票据 /{}：{}", a.file, r.reason.zh),
                    format!("embedded fiscal e-bill /{}: {}", a.file, r.reason.en),
                ),
            ));
            parts.push((r.verdict, r.sub_indication, r.reason.clone()));
            if bill.is_none()
                && let (Some(k), Some(b)) = (&r.bill_key, &r.bill)
            {
                bill = Some((k.clone(), b.clone()));
            }
        }
    }
    let verdict = decide(
        &parts,
        Message::new(
            "全部签名和签章有效，证书链到受信任的根",
            "every signature and seal is valid and chains to a trusted root",
        ),
    );
    let (bill_key, bill) = bill.unzip();
    Report {
        bill_key,
        bill,
        document: Some(document),
        ..new_report("ofd", verdict, checks)
    }
}
