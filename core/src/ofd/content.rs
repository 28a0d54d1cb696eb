//! The bill inside: attachments (`Attachs/Attachments.xml`) and custom
//! tags (`Tags/CustomTags.xml`). A fiscal e-bill XML is verified with the
//! XML pipeline; other XML is listed as fields.

#[allow(unused_imports)]
use crate::prelude::*;

use super::package::{self, Package, child_text, children};
use super::report::{AttachmentReport, Field};
use crate::options::Limits;
use crate::pki::TrustStore;

/// The most fields listed per part.
const MAX_FIELDS: usize = 500;
/// The longest field value kept.
const MAX_VALUE: usize = 1024;

/// Finds attachments and custom tags of the document at `doc_root`.
pub fn collect(
    package: &Package<'_>,
    doc_root: &str,
    covered: &[String],
    limits: &Limits,
    trust: &TrustStore,
    now: Option<i64>,
) -> Vec<AttachmentReport> {
    let mut found: Vec<(String, Option<String>, String)> = Vec::new();
    let doc_bytes = package.read(doc_root).ok();
    let doc = doc_bytes
        .as_deref()
        .and_then(|b| package::parse_xml(b, doc_root, limits).ok());
    let root = doc.as_ref().map(|d| d.root_element());
    let list = |name: &str, default: &str| {
        root.and_then(|r| child_text(r, name))
            .and_then(|t| package::resolve(doc_root, &t))
            .or_else(|| package::resolve(doc_root, default))
    };
    // (list in Document.xml, its default, element, naming attribute, kind)
    for (list_name, default, element, name_attr, kind) in [
        (
            "Attachments",
            "Attachs/Attachments.xml",
            "Attachment",
            "Name",
            "attachment",
        ),
        (
            "CustomTags",
            "Tags/CustomTags.xml",
            "CustomTag",
            "NameSpace",
            "customTag",
        ),
    ] {
        if let Some(list_path) = list(list_name, default)
            && let Ok(bytes) = package.read(&list_path)
            && let Ok(d) = package::parse_xml(&bytes, &list_path, limits)
        {
            for e in children(d.root_element(), element) {
                if let Some(f) =
                    child_text(e, "FileLoc").and_then(|t| package::resolve(&list_path, &t))
                {
                    found.push((kind.into(), e.attribute(name_attr).map(str::to_string), f));
                }
            }
        }
    }
    found
        .into_iter()
        .take(limits.max_ofd_signatures.max(16))
        .map(|(kind, name, file)| {
            let mut r = AttachmentReport {
                kind,
                name,
                covered: package
                    .name(&file)
                    .is_some_and(|n| covered.iter().any(|c| c == n)),
                file,
                format: "missing".into(),
                fields: Vec::new(),
                report: None,
            };
            if let Ok(bytes) = package.read(&r.file) {
                describe(&mut r, &bytes, limits, trust, now);
            }
            r
        })
        .collect()
}

fn describe(
    r: &mut AttachmentReport,
    bytes: &[u8],
    limits: &Limits,
    trust: &TrustStore,
    now: Option<i64>,
) {
    let Ok(doc) = package::parse_xml(bytes, &r.file, limits) else {
        r.format = "other".into();
        return;
    };
    let root = doc.root_element();
    if root.tag_name().name() == "EInvoice" && root.tag_name().namespace().is_none() {
        r.format = "ebill".into();
        r.report = Some(Box::new(crate::bill_pipeline::verify_bill(
            bytes, trust, limits, now,
        )));
        return;
    }
    r.format = "xml".into();
    let mut path = Vec::new();
    walk(root, &mut path, &mut r.fields);
}

fn walk(node: crate::xml::Node<'_, '_>, path: &mut Vec<String>, out: &mut Vec<Field>) {
    if out.len() >= MAX_FIELDS || path.len() > 32 {
        return;
    }
    path.push(node.tag_name().name().to_string());
    let elements: Vec<_> = node.children().filter(|c| c.is_element()).collect();
    if elements.is_empty() {
        let value: String = node
            .text()
            .unwrap_or("")
            .trim()
            .chars()
            .take(MAX_VALUE)
            .collect();
        if !value.is_empty() {
            out.push(Field {
                name: crate::text::join(path.iter().map(String::as_str), "/"),
                value,
            });
        }
    } else {
        for c in elements {
            walk(c, path, out);
        }
    }
    path.pop();
}
