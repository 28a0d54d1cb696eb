//! From raw bytes to an XML tree, with every bound of spec §8 and the
//! document rules of §1 (UTF-8, no DTD). The tree keeps byte positions so the
//! signed octets can be cut from the original input.

#[allow(unused_imports)]
use crate::prelude::*;

pub mod reader;
pub mod tree;

use crate::options::Limits;
use crate::report::Message;
use reader::{ErrorKind, ReadLimits, XmlError};
pub use tree::{Document, Node, NodeType};

/// Why the input is not a well-formed bill of this profile (FORMAT_FAILURE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    /// Stable check id, e.g. `document.xml`, `limits.depth`.
    pub check: &'static str,
    pub message: Message,
}

impl FormatError {
    pub fn new(check: &'static str, zh: impl Into<String>, en: impl Into<String>) -> FormatError {
        FormatError {
            check,
            message: Message::new(zh, en),
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A parsed document and the offset of its text within the input bytes
/// (3 when a byte-order mark was skipped).
pub struct Loaded<'a> {
    pub doc: Document<'a>,
    pub offset: usize,
}

/// Parses the input into a tree, enforcing the bounds of §8.
pub fn load<'a>(input: &'a [u8], limits: &Limits) -> Result<Loaded<'a>, FormatError> {
    if input.len() > limits.max_input_bytes {
        return Err(FormatError::new(
            "limits.inputSize",
            format!(
                "输入大小 {} 字节，超过上限 {} 字节",
                input.len(),
                limits.max_input_bytes
            ),
            format!(
                "input is {} bytes, above the input size bound of {} bytes",
                input.len(),
                limits.max_input_bytes
            ),
        ));
    }
    let (body, offset) = match input.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (input, 0),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(FormatError::new(
            "document.empty",
            "文件为空",
            "the document is empty",
        ));
    }
    let text = core::str::from_utf8(body).map_err(|e| {
        FormatError::new(
            "document.encoding",
            format!(
                "文件不是 UTF-8 编码（第 {} 字节）",
                e.valid_up_to() + offset
            ),
            format!(
                "the document is not UTF-8 (invalid byte at offset {})",
                e.valid_up_to() + offset
            ),
        )
    })?;
    check_declared_encoding(text)?;
    let doc = reader::parse(text, &read_limits(limits)).map_err(|e| xml_error(e, limits))?;
    check_lengths(&doc, limits)?;
    Ok(Loaded { doc, offset })
}

/// The most attributes one element may carry. Bills use one (`Id`); each
/// attribute is compared with the others of its element (duplicates), so
/// an unbounded count would be quadratic work.
pub const MAX_ATTRIBUTES_PER_ELEMENT: usize = 64;

/// The most namespace declarations (`xmlns`, `xmlns:p`) in a document. The
/// profile uses no namespace (tolerated declarations such as `xmlns:xsi`
/// are few); every prefixed name is looked up among those in scope.
pub const MAX_NAMESPACE_DECLARATIONS: usize = 64;

/// The bounds of §8 the reader enforces as it reads: depth, elements,
/// attributes per element, namespace declarations, and all nodes (text,
/// comments, ...) at most 4 per element + 64.
pub fn read_limits(limits: &Limits) -> ReadLimits {
    ReadLimits {
        depth: limits.max_depth,
        elements: limits.max_elements,
        nodes: limits.max_elements.saturating_mul(4).saturating_add(64),
        attributes: MAX_ATTRIBUTES_PER_ELEMENT,
        namespaces: MAX_NAMESPACE_DECLARATIONS,
    }
}

fn depth_error(limits: &Limits) -> FormatError {
    FormatError::new(
        "limits.depth",
        format!("元素嵌套深度超过上限 {}", limits.max_depth),
        format!(
            "element nesting is deeper than the depth bound of {}",
            limits.max_depth
        ),
    )
}

fn xml_error(e: XmlError, limits: &Limits) -> FormatError {
    match e.kind {
        ErrorKind::Dtd => FormatError::new(
            "document.dtd",
            "文件含有 DOCTYPE（DTD），本规范不允许",
            "the document has a DOCTYPE (DTD), which this profile forbids",
        ),
        ErrorKind::Depth => depth_error(limits),
        ErrorKind::TooLarge => FormatError::new(
            "limits.inputSize",
            format!("输入超过 XML 读取器的上限 {} 字节", tree::MAX_TEXT_BYTES),
            format!(
                "the input is above the XML reader's bound of {} bytes",
                tree::MAX_TEXT_BYTES
            ),
        ),
        ErrorKind::Elements => FormatError::new(
            "limits.elements",
            format!("元素数量超过上限 {}", limits.max_elements),
            format!(
                "more elements than the element count bound of {}",
                limits.max_elements
            ),
        ),
        ErrorKind::Nodes => FormatError::new(
            "limits.elements",
            format!("节点过多，超过元素数量上限 {}", limits.max_elements),
            format!(
                "too many nodes: above the element count bound of {}",
                limits.max_elements
            ),
        ),
        ErrorKind::Attributes => FormatError::new(
            "limits.attributes",
            format!("一个元素的属性超过 {MAX_ATTRIBUTES_PER_ELEMENT} 个"),
            format!(
                "an element has more than {MAX_ATTRIBUTES_PER_ELEMENT} attributes, the bound on attributes per element"
            ),
        ),
        ErrorKind::Namespaces => FormatError::new(
            "limits.attributes",
            format!("命名空间声明超过 {MAX_NAMESPACE_DECLARATIONS} 个"),
            format!(
                "more than {MAX_NAMESPACE_DECLARATIONS} namespace declarations, the bound on namespace declarations"
            ),
        ),
        _ => FormatError::new(
            "document.xml",
            format!("不是格式正确的 XML：{e}"),
            format!("not well-formed XML: {e}"),
        ),
    }
}

/// `<?xml ... encoding="..."?>` must name UTF-8 when it names anything.
fn check_declared_encoding(text: &str) -> Result<(), FormatError> {
    let Some(rest) = text.strip_prefix("<?xml") else {
        return Ok(());
    };
    let Some(end) = crate::text::find(rest, "?>") else {
        return Ok(()); // the XML parser reports it
    };
    let decl = crate::text::cut(rest, ..end);
    let Some(pos) = crate::text::find(decl, "encoding") else {
        return Ok(());
    };
    let value: String = crate::text::cut(decl, pos + "encoding".len()..)
        .trim_start()
        .trim_start_matches('=')
        .trim_start()
        .chars()
        .skip(1)
        .take_while(|c| *c != '"' && *c != '\'')
        .collect();
    if value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8") {
        Ok(())
    } else {
        Err(FormatError::new(
            "document.encoding",
            format!("文件声明编码为 {value}，本规范要求 UTF-8"),
            format!("the document declares encoding {value}; this profile requires UTF-8"),
        ))
    }
}

/// Text and attribute value lengths (§8), after decoding; depth and
/// counts the reader has bounded already.
fn check_lengths(doc: &Document<'_>, limits: &Limits) -> Result<(), FormatError> {
    for node in doc.descendants() {
        if node.is_element() {
            if node
                .attributes()
                .any(|a| a.value.len() > limits.max_text_bytes)
            {
                return Err(too_long(node, limits, "属性值", "an attribute value"));
            }
        } else if node.is_text() && node.text().is_some_and(|t| t.len() > limits.max_text_bytes) {
            return Err(too_long(node, limits, "文本", "a text node"));
        }
    }
    Ok(())
}

fn too_long(node: Node<'_, '_>, limits: &Limits, zh: &str, en: &str) -> FormatError {
    let at = node
        .ancestors()
        .find(|n| n.is_element())
        .map(|n| n.tag_name().name().to_string())
        .unwrap_or_default();
    FormatError::new(
        "limits.textLength",
        format!("<{at}> 中的{zh}超过长度上限 {} 字节", limits.max_text_bytes),
        format!(
            "{en} in <{at}> is longer than the bound of {} bytes",
            limits.max_text_bytes
        ),
    )
}

/// The child elements of `node`, in document order.
pub fn child_elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

/// The trimmed text of a leaf element: all its text children joined.
/// `None` when it has element children (a leaf must hold text only).
pub fn leaf_text(node: Node<'_, '_>) -> Option<String> {
    // One text child (the reader joins adjacent runs) is the usual case:
    // trimmed and copied once. Texts split by a comment are joined first.
    let mut first = "";
    let mut joined: Option<String> = None;
    for child in node.children() {
        match child.node_type() {
            NodeType::Element => return None,
            NodeType::Text => {
                let text = child.text().unwrap_or("");
                match &mut joined {
                    Some(all) => all.push_str(text),
                    None if first.is_empty() => first = text,
                    None => joined = Some([first, text].concat()),
                }
            }
            _ => {}
        }
    }
    Some(joined.as_deref().unwrap_or(first).trim().to_string())
}

/// Rejects comments, processing instructions, CDATA sections and elements
/// in an XML namespace inside a signed element (§1: what a person reads
/// must be what was signed).
pub fn check_plain_content(node: Node<'_, '_>) -> Result<(), FormatError> {
    let name = node.tag_name().name();
    for d in node.descendants() {
        // The profile uses no namespace (§1). A namespaced element would be
        // carried through under its bare local name: a second
        // `<x:TotalAmount>` would show a reader two totals.
        if d.is_element()
            && let Some(ns) = d.tag_name().namespace()
        {
            let local = d.tag_name().name();
            return Err(FormatError::new(
                "document.signedContent",
                format!("<{name}> 内的 <{local}> 属于 XML 命名空间 {ns}，本规范不使用命名空间"),
                format!(
                    "<{local}> inside <{name}> is in the XML namespace {ns}; this profile uses none, and signed content must read one way only"
                ),
            ));
        }
        let kind = match d.node_type() {
            NodeType::Comment => Some(("注释", "a comment")),
            NodeType::PI => Some(("处理指令", "a processing instruction")),
            _ => None,
        };
        if let Some((zh, en)) = kind {
            return Err(FormatError::new(
                "document.signedContent",
                format!("<{name}> 内含有{zh}，签名内容必须只有一种读法"),
                format!("<{name}> contains {en}; signed content must read one way only"),
            ));
        }
    }
    // The reader merges CDATA into text and notes where each section began.
    if node.holds_cdata() {
        return Err(FormatError::new(
            "document.signedContent",
            format!("<{name}> 内含有 CDATA 段，签名内容必须只有一种读法"),
            format!("<{name}> contains a CDATA section; signed content must read one way only"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(s: &str) -> Result<Loaded<'_>, FormatError> {
        load(s.as_bytes(), &Limits::default())
    }

    #[test]
    fn doctype_is_rejected() {
        let e = load_str("<!DOCTYPE EInvoice><EInvoice/>").err().unwrap();
        assert_eq!(e.check, "document.dtd");
        let xxe = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
        assert_eq!(load_str(xxe).err().unwrap().check, "document.dtd");
    }

    #[test]
    fn encodings_other_than_utf8_are_rejected() {
        let e = load_str("<?xml version=\"1.0\" encoding=\"GBK\"?><a/>")
            .err()
            .unwrap();
        assert_eq!(e.check, "document.encoding");
        assert!(load_str("<?xml version='1.0' encoding='utf-8'?><a/>").is_ok());
        assert_eq!(
            load(b"<a>\xff</a>", &Limits::default())
                .err()
                .unwrap()
                .check,
            "document.encoding"
        );
    }

    #[test]
    fn bom_is_skipped_and_offset_kept() {
        let loaded = load(b"\xEF\xBB\xBF<a/>", &Limits::default()).unwrap();
        assert_eq!(loaded.offset, 3);
    }

    #[test]
    fn bounds_are_enforced() {
        let limits = Limits::default();
        let deep = "<a>".repeat(65) + &"</a>".repeat(65);
        assert_eq!(load_str(&deep).err().unwrap().check, "limits.depth");
        let ok = "<a>".repeat(64) + &"</a>".repeat(64);
        assert!(load_str(&ok).is_ok());
        let long = format!("<a>{}</a>", "x".repeat(limits.max_text_bytes + 1));
        assert_eq!(load_str(&long).err().unwrap().check, "limits.textLength");
        let attr = format!("<a b=\"{}\"/>", "x".repeat(limits.max_text_bytes + 1));
        assert_eq!(load_str(&attr).err().unwrap().check, "limits.textLength");
        let many = format!("<a>{}</a>", "<b/>".repeat(limits.max_elements));
        assert_eq!(load_str(&many).err().unwrap().check, "limits.elements");
        let big = vec![b' '; limits.max_input_bytes + 1];
        assert_eq!(load(&big, &limits).err().unwrap().check, "limits.inputSize");
    }

    #[test]
    fn attributes_namespaces_and_depth_are_bounded_before_parsing() {
        let attrs = |n: usize| -> String {
            let a: String = (0..n).map(|i| format!(" a{i}=\"\"")).collect();
            format!("<r><e{a}/></r>")
        };
        assert!(load_str(&attrs(MAX_ATTRIBUTES_PER_ELEMENT)).is_ok());
        let e = load_str(&attrs(MAX_ATTRIBUTES_PER_ELEMENT + 1))
            .err()
            .unwrap();
        assert_eq!(e.check, "limits.attributes");
        // 300 000 attributes: rejected at once, not after minutes of
        // pairwise comparisons in the parser.
        assert_eq!(
            load_str(&attrs(300_000)).err().unwrap().check,
            "limits.attributes"
        );
        let ns = |n: usize| -> String {
            let d: String = (0..n).map(|i| format!(" xmlns:p{i}=\"u\"")).collect();
            format!("<r{d}><e xmlns = 'u'/></r>")
        };
        assert!(load_str(&ns(MAX_NAMESPACE_DECLARATIONS - 1)).is_ok());
        let e = load_str(&ns(MAX_NAMESPACE_DECLARATIONS)).err().unwrap();
        assert_eq!(e.check, "limits.attributes");
        assert!(e.message.en.contains("namespace"));
        // Deep nesting is refused before a tree is built, even unclosed.
        let unclosed = "<a>".repeat(1_000_000);
        assert_eq!(load_str(&unclosed).err().unwrap().check, "limits.depth");
        // Markup inside comments, CDATA, PIs and quoted values is not counted.
        let tricky = format!(
            "<?xml version=\"1.0\"?><r><!-- {} --><![CDATA[{}]]><?p {}?><e v=\"a=b>c\" w='x=>y'/></r>",
            "<a>".repeat(100),
            "<a b=1 c=2>".repeat(100),
            "<a>".repeat(100)
        );
        assert!(load_str(&tricky).is_ok());
        let deep_ok = format!("{}{}", "<a x='>'>".repeat(64), "</a>".repeat(64));
        assert!(load_str(&deep_ok).is_ok());
        let self_closing = format!("<r>{}</r>", "<a/>".repeat(1000));
        assert!(load_str(&self_closing).is_ok());
    }

    #[test]
    fn comments_and_cdata_in_signed_content_are_rejected() {
        for doc in [
            "<a><b><!-- x --></b></a>",
            "<a><b><![CDATA[1]]></b></a>",
            "<a><?pi x?></a>",
        ] {
            let l = load_str(doc).unwrap();
            let root = l.doc.root_element();
            assert!(check_plain_content(root).is_err(), "{doc}");
        }
        for doc in [
            "<a><x:b xmlns:x=\"urn:x\">1</x:b></a>",
            "<a><b xmlns=\"urn:x\">1</b></a>",
            "<a xmlns=\"urn:x\"/>",
        ] {
            let l = load_str(doc).unwrap();
            let e = check_plain_content(l.doc.root_element()).unwrap_err();
            assert!(e.message.en.contains("namespace urn:x"), "{doc}: {e:?}");
        }
        let fine = "<a><b>&amp;&#x4E2D;</b></a>";
        let l = load_str(fine).unwrap();
        assert!(check_plain_content(l.doc.root_element()).is_ok());
        assert_eq!(
            leaf_text(l.doc.root_element().first_child().unwrap()).unwrap(),
            "&中"
        );
        // A CDATA section counts where it stands, not beside it; escaped,
        // its opening is text.
        let siblings = "<r><a>1</a><b>x<![CDATA[y]]></b><c>&lt;![CDATA[</c></r>";
        let l = load_str(siblings).unwrap();
        let [a, b, c] = [0, 1, 2].map(|i| {
            child_elements(l.doc.root_element())
                .nth(i)
                .unwrap()
        });
        assert!(check_plain_content(a).is_ok());
        assert!(check_plain_content(b).is_err());
        assert!(check_plain_content(c).is_ok());
        assert!(check_plain_content(l.doc.root_element()).is_err());
        assert_eq!(leaf_text(b).unwrap(), "xy");
    }

    #[test]
    fn leaf_text_joins_the_runs_and_trims() {
        for (doc, text) in [
            ("<a> x <!--c--> y </a>", Some("x  y")),
            ("<a><!--c--> y </a>", Some("y")),
            ("<a>x<?p?>y<!--c-->z</a>", Some("xyz")),
            ("<a/>", Some("")),
            ("<a> <b/> </a>", None),
        ] {
            let l = load_str(doc).unwrap();
            assert_eq!(leaf_text(l.doc.root_element()).as_deref(), text, "{doc}");
        }
    }
}
