//! The OFD package structure (GB/T 33190): `OFD.xml` → `DocBody` →
//! `DocRoot` and the `Signatures` list → each `Signature` entry.
//! Paths are absolute from the package root or relative to the referring
//! file.

#[allow(unused_imports)]
use crate::prelude::*;

use super::zip::{Archive, Entry};
use crate::options::Limits;
use crate::xml::{self, Document, Node};

/// A structural problem of the package (FORMAT_FAILURE), with a stable
/// check id and the part at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageError {
    pub check: &'static str,
    pub en: String,
    pub zh: String,
}

pub(crate) fn perr(
    check: &'static str,
    zh: impl Into<String>,
    en: impl Into<String>,
) -> PackageError {
    PackageError {
        check,
        zh: zh.into(),
        en: en.into(),
    }
}

/// Resolves `loc` against the directory of the file `base` (a package
/// path without leading `/`). `None` when the result climbs out of the
/// root or is empty.
pub fn resolve(base: &str, loc: &str) -> Option<String> {
    let loc = loc.trim().replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    if !loc.starts_with('/') {
        let dir = base.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        parts.extend(dir.split('/').filter(|s| !s.is_empty()));
    }
    for seg in loc.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(crate::text::join(parts.iter().copied(), "/"))
    }
}

pub use super::zip::part_key;

/// The parts of a package, found the way any reader would find them: by
/// exact name, else by [`part_key`]. No two parts share a key (the zip
/// reader refuses such a package), so a path names one part or none: one
/// reading only.
pub struct Package<'a> {
    pub archive: &'a Archive<'a>,
    /// The [`part_key`] of each entry, in entry order.
    keys: Vec<String>,
}

impl<'a> Package<'a> {
    /// Indexes the parts (the zip reader has refused two parts with one
    /// key).
    pub fn new(archive: &'a Archive<'a>) -> Result<Package<'a>, PackageError> {
        let keys = archive.entries.iter().map(|e| part_key(&e.name)).collect();
        Ok(Package { archive, keys })
    }

    /// The entry a path (resolved, no leading `/`) names, if any.
    pub fn find(&self, path: &str) -> Option<&'a Entry> {
        let archive: &'a Archive<'a> = self.archive;
        archive.entry(path).or_else(|| {
            let key = part_key(path);
            let i = self.keys.iter().position(|k| *k == key)?;
            archive.entries.get(i)
        })
    }

    /// The name of the part a path names, if any.
    pub fn name(&self, path: &str) -> Option<&'a str> {
        self.find(path).map(|e| e.name.as_str())
    }

    /// The bytes of the part a path names, or why not.
    pub fn read(&self, path: &str) -> Result<Vec<u8>, PackageError> {
        let entry = self.find(path).ok_or_else(|| {
            perr(
                "ofd.structure",
                format!("包中没有文件 /{path}"),
                format!("the package has no part /{path}"),
            )
        })?;
        self.archive.read(entry).map_err(|e| {
            perr(
                e.check_id(),
                format!("无法读取 /{path}：{e}"),
                format!("cannot read /{path}: {e}"),
            )
        })
    }
}

/// Bounds for the XML parts of a package: the bill bounds of §8, but a
/// part may be as large as a zip entry may.
pub fn part_limits(limits: &Limits) -> Limits {
    Limits {
        max_input_bytes: limits.max_zip_entry_bytes,
        max_text_bytes: limits.max_text_bytes.max(1024 * 1024),
        ..*limits
    }
}

/// Parses an XML part with the project's bounds (no DTD, UTF-8).
pub fn parse_xml<'a>(
    bytes: &'a [u8],
    path: &str,
    limits: &Limits,
) -> Result<Document<'a>, PackageError> {
    xml::load(bytes, &part_limits(limits))
        .map(|l| l.doc)
        .map_err(|e| {
            perr(
                "ofd.structure",
                format!("/{path} 不是格式正确的 XML：{}", e.message.zh),
                format!("/{path} is not well-formed XML: {}", e.message.en),
            )
        })
}

/// The first child element with this local name.
pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Every child element with this local name.
pub fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// The trimmed text of a child element.
pub fn child_text(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name).map(|c| c.text().unwrap_or("").trim().to_string())
}

/// The `Type` of a `Signature` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureType {
    /// An electronic seal (`SES_Signature`): the default.
    Seal,
    /// A digital signature (CMS or bare SM2).
    Sign,
    /// Anything else, as written (FORMAT_FAILURE).
    Other(String),
}

impl SignatureType {
    /// From the `Type` attribute (absent: `Seal`). Exact, case-sensitive
    /// values only, as GB/T 33190 writes them.
    pub fn parse(attribute: Option<&str>) -> SignatureType {
        match attribute {
            None | Some("Seal") => SignatureType::Seal,
            Some("Sign") => SignatureType::Sign,
            Some(other) => SignatureType::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            SignatureType::Seal => "Seal",
            SignatureType::Sign => "Sign",
            SignatureType::Other(s) => s,
        }
    }
}

/// One entry of the `Signatures` list.
#[derive(Clone, Debug)]
pub struct SignatureEntry {
    pub id: String,
    pub kind: SignatureType,
    /// The `Signature.xml` path, resolved.
    pub path: Option<String>,
    /// `BaseLoc` as written.
    pub base_loc: String,
    /// Byte range of the `<Signature>` element in the list file.
    pub range: core::ops::Range<usize>,
}

/// The parts of the document this verifier uses.
#[derive(Clone, Debug)]
pub struct Structure {
    /// `Doc_0/Document.xml`: the part `DocRoot` names (its name in the zip).
    pub doc_root: String,
    /// The `Signatures.xml` path, when the document has one.
    pub signatures_path: Option<String>,
    /// The `DocRoot` of every further `DocBody` naming another part (or
    /// none): documents a viewer may show that are not verified.
    pub other_documents: Vec<String>,
}

/// The one child element with this local name: two are refused, since
/// readers taking the first and readers taking the last would disagree.
fn only_child<'a, 'i>(
    node: Node<'a, 'i>,
    name: &str,
    file: &str,
) -> Result<Option<Node<'a, 'i>>, PackageError> {
    let mut found = node
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == name);
    let first = found.next();
    if found.next().is_some() {
        return Err(perr(
            "ofd.structure",
            format!("/{file} 的 {} 中有多个 {name}", node.tag_name().name()),
            format!(
                "/{file} has more than one {name} in {}",
                node.tag_name().name()
            ),
        ));
    }
    Ok(first)
}

fn text_of(node: Node<'_, '_>) -> String {
    node.text().unwrap_or("").trim().to_string()
}

/// Reads `OFD.xml` and the document root. The document a viewer opens is
/// the first `DocBody`'s; its `Signatures` list is named either by that
/// `DocBody` or by its `Document.xml`, and when both name one, it must be
/// the same part (one reading only).
pub fn structure(package: &Package<'_>, limits: &Limits) -> Result<Structure, PackageError> {
    let ofd_bytes = package.read("OFD.xml")?;
    let ofd = parse_xml(&ofd_bytes, "OFD.xml", limits)?;
    let root = ofd.root_element();
    if root.tag_name().name() != "OFD" {
        return Err(perr(
            "ofd.structure",
            "OFD.xml 的根元素不是 OFD",
            "the root element of OFD.xml is not OFD",
        ));
    }
    let bodies: Vec<_> = children(root, "DocBody").collect();
    let Some(body) = bodies.first() else {
        return Err(perr(
            "ofd.structure",
            "OFD.xml 中没有 DocBody",
            "OFD.xml has no DocBody",
        ));
    };
    let doc_root = only_child(*body, "DocRoot", "OFD.xml")?
        .and_then(|n| resolve("OFD.xml", &text_of(n)))
        .ok_or_else(|| {
            perr(
                "ofd.structure",
                "OFD.xml 的 DocBody 没有有效的 DocRoot",
                "the DocBody of OFD.xml has no usable DocRoot",
            )
        })?;
    let Some(doc_root) = package.name(&doc_root).map(str::to_string) else {
        return Err(perr(
            "ofd.structure",
            format!("DocRoot 指向的 /{doc_root} 不存在"),
            format!("DocRoot /{doc_root} is not in the package"),
        ));
    };
    let unusable = || {
        perr(
            "ofd.structure",
            "Signatures 路径无效",
            "the Signatures path is not usable",
        )
    };
    let from_body = match only_child(*body, "Signatures", "OFD.xml")? {
        Some(n) => Some(resolve("OFD.xml", &text_of(n)).ok_or_else(unusable)?),
        None => None,
    };
    // Some writers list the signatures in Document.xml instead.
    let doc_bytes = package.read(&doc_root)?;
    let doc = parse_xml(&doc_bytes, &doc_root, limits)?;
    let from_doc = match only_child(doc.root_element(), "Signatures", &doc_root)? {
        Some(n) => Some(resolve(&doc_root, &text_of(n)).ok_or_else(unusable)?),
        None => None,
    };
    let signatures_path = match (from_body, from_doc) {
        (Some(a), Some(b)) if part_key(&a) != part_key(&b) => {
            return Err(perr(
                "ofd.structure",
                format!("OFD.xml 与 /{doc_root} 指向不同的签名列表：/{a} 与 /{b}"),
                format!(
                    "OFD.xml and /{doc_root} name two different Signatures lists: /{a} and /{b}"
                ),
            ));
        }
        (a, b) => a.or(b),
    };
    let other_documents = bodies[1..]
        .iter()
        .map(|b| {
            child(*b, "DocRoot")
                .and_then(|n| resolve("OFD.xml", &text_of(n)))
                .map(|p| package.name(&p).map(str::to_string).unwrap_or(p))
                .unwrap_or_else(|| "OFD.xml".to_string())
        })
        .filter(|p| *p != doc_root)
        .collect();
    Ok(Structure {
        doc_root,
        signatures_path,
        other_documents,
    })
}

/// Reads the `Signatures` list.
pub fn signature_entries(
    bytes: &[u8],
    path: &str,
    limits: &Limits,
) -> Result<Vec<SignatureEntry>, PackageError> {
    let doc = parse_xml(bytes, path, limits)?;
    let root = doc.root_element();
    if root.tag_name().name() != "Signatures" {
        return Err(perr(
            "ofd.structure",
            format!("/{path} 的根元素不是 Signatures"),
            format!("the root element of /{path} is not Signatures"),
        ));
    }
    let offset = bytes.len() - doc.input_text().len();
    let mut out = Vec::new();
    for node in children(root, "Signature") {
        if out.len() >= limits.max_ofd_signatures {
            return Err(perr(
                "limits.ofdSignatures",
                format!("签名超过 {} 个", limits.max_ofd_signatures),
                format!(
                    "more than maxOfdSignatures = {} signatures",
                    limits.max_ofd_signatures
                ),
            ));
        }
        let base_loc = node.attribute("BaseLoc").unwrap_or("").to_string();
        let r = node.range();
        out.push(SignatureEntry {
            id: node.attribute("ID").unwrap_or("").to_string(),
            kind: SignatureType::parse(node.attribute("Type")),
            path: resolve(path, &base_loc),
            base_loc,
            range: r.start + offset..r.end + offset,
        });
    }
    Ok(out)
}

/// The byte offset of the root end tag `</...Signatures>` in the list.
pub fn root_end_tag(bytes: &[u8], path: &str, limits: &Limits) -> Option<usize> {
    let doc = parse_xml(bytes, path, limits).ok()?;
    let offset = bytes.len() - doc.input_text().len();
    let r = doc.root_element().range();
    let text = doc.input_text().get(r.clone())?;
    let close = crate::text::rfind(text, "</")?;
    Some(offset + r.start + close)
}

#[cfg(test)]
mod tests {
    use super::{part_key, resolve};

    #[test]
    fn one_key_for_every_spelling_of_a_part() {
        let key = part_key("Doc_0/Pages/Page_0/Content.xml");
        for other in [
            "doc_0/pages/page_0/content.xml",
            "Doc_0//Pages/./Page_0/Content.xml",
            "/Doc_0/Pages/Page_0/Content.xml",
            "Doc_0\\Pages\\Page_0\\Content.xml",
            "Doc_0/Pages/Page_0/Content.xml.",
            "Doc_0/Pages /Page_0/Content.xml",
        ] {
            assert_eq!(part_key(other), key, "{other}");
        }
        assert_ne!(part_key("Doc_0/Pages/Page_1/Content.xml"), key);
    }

    #[test]
    fn paths_resolve() {
        assert_eq!(
            resolve("Doc_0/Signs/Signatures.xml", "Sign_0/Signature.xml").as_deref(),
            Some("Doc_0/Signs/Sign_0/Signature.xml")
        );
        assert_eq!(
            resolve(
                "Doc_0/Signs/Signatures.xml",
                "/Doc_0/Signs/Sign_0/Signature.xml"
            )
            .as_deref(),
            Some("Doc_0/Signs/Sign_0/Signature.xml")
        );
        assert_eq!(
            resolve("OFD.xml", "Doc_0/Document.xml").as_deref(),
            Some("Doc_0/Document.xml")
        );
        assert_eq!(resolve("a/b.xml", "../../x"), None);
        assert_eq!(resolve("a/b.xml", "../x").as_deref(), Some("x"));
    }
}
