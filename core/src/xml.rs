//! From raw bytes to an XML tree, with every bound of spec §8 and the
//! document rules of §1 (UTF-8, no DTD). The tree keeps byte positions so the
//! signed octets can be cut from the original input.

use roxmltree::{Document, Node, NodeType, ParsingOptions};

use crate::options::Limits;
use crate::report::Message;

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
    let text = std::str::from_utf8(body).map_err(|e| {
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
    let options = ParsingOptions {
        allow_dtd: false,
        // Text and whitespace nodes come with elements; the element bound
        // itself is checked exactly below.
        nodes_limit: u32::try_from(limits.max_elements.saturating_mul(4).saturating_add(64))
            .unwrap_or(u32::MAX),
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| xml_error(e, limits))?;
    check_bounds(&doc, limits)?;
    Ok(Loaded { doc, offset })
}

fn xml_error(e: roxmltree::Error, limits: &Limits) -> FormatError {
    match e {
        roxmltree::Error::DtdDetected => FormatError::new(
            "document.dtd",
            "文件含有 DOCTYPE（DTD），本规范不允许",
            "the document has a DOCTYPE (DTD), which this profile forbids",
        ),
        roxmltree::Error::NodesLimitReached => FormatError::new(
            "limits.elements",
            format!("节点过多，超过元素数量上限 {}", limits.max_elements),
            format!(
                "too many nodes: above the element count bound of {}",
                limits.max_elements
            ),
        ),
        other => FormatError::new(
            "document.xml",
            format!("不是格式正确的 XML：{other}"),
            format!("not well-formed XML: {other}"),
        ),
    }
}

/// `<?xml ... encoding="..."?>` must name UTF-8 when it names anything.
fn check_declared_encoding(text: &str) -> Result<(), FormatError> {
    let Some(rest) = text.strip_prefix("<?xml") else {
        return Ok(());
    };
    let Some(end) = rest.find("?>") else {
        return Ok(()); // the XML parser reports it
    };
    let decl = &rest[..end];
    let Some(pos) = decl.find("encoding") else {
        return Ok(());
    };
    let value: String = decl[pos + "encoding".len()..]
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

/// Depth, element count, text and attribute lengths (§8).
fn check_bounds(doc: &Document<'_>, limits: &Limits) -> Result<(), FormatError> {
    // Depth of every node, indexed by node id, filled in document order
    // (a parent always comes before its children).
    let mut depths: Vec<u32> = Vec::new();
    let mut elements = 0usize;
    for node in doc.descendants() {
        let index = node.id().get_usize();
        let parent_depth = node
            .parent()
            .and_then(|p| depths.get(p.id().get_usize()).copied())
            .unwrap_or(0);
        let depth = parent_depth + u32::from(node.is_element());
        if depths.len() <= index {
            depths.resize(index + 1, 0);
        }
        depths[index] = depth;
        if node.is_element() {
            elements += 1;
            if depth as usize > limits.max_depth {
                return Err(FormatError::new(
                    "limits.depth",
                    format!("元素嵌套深度超过上限 {}", limits.max_depth),
                    format!(
                        "element nesting is deeper than the depth bound of {}",
                        limits.max_depth
                    ),
                ));
            }
            if elements > limits.max_elements {
                return Err(FormatError::new(
                    "limits.elements",
                    format!("元素数量超过上限 {}", limits.max_elements),
                    format!(
                        "more elements than the element count bound of {}",
                        limits.max_elements
                    ),
                ));
            }
            if node
                .attributes()
                .any(|a| a.value().len() > limits.max_text_bytes)
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
    let mut text = String::new();
    for child in node.children() {
        match child.node_type() {
            NodeType::Element => return None,
            NodeType::Text => text.push_str(child.text().unwrap_or("")),
            _ => {}
        }
    }
    Some(text.trim().to_string())
}

/// Rejects comments, processing instructions and CDATA sections inside a
/// signed element (§1: what a person reads must be what was signed).
pub fn check_plain_content(node: Node<'_, '_>, source: &str) -> Result<(), FormatError> {
    let name = node.tag_name().name();
    for d in node.descendants() {
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
    // roxmltree merges CDATA into text, so look at the source: inside an
    // element with no comments, `<![CDATA[` can only start a CDATA section.
    if source
        .get(node.range())
        .is_some_and(|s| s.contains("<![CDATA["))
    {
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
    fn comments_and_cdata_in_signed_content_are_rejected() {
        for doc in [
            "<a><b><!-- x --></b></a>",
            "<a><b><![CDATA[1]]></b></a>",
            "<a><?pi x?></a>",
        ] {
            let l = load_str(doc).unwrap();
            let root = l.doc.root_element();
            assert!(check_plain_content(root, doc).is_err(), "{doc}");
        }
        let fine = "<a><b>&amp;&#x4E2D;</b></a>";
        let l = load_str(fine).unwrap();
        assert!(check_plain_content(l.doc.root_element(), fine).is_ok());
        assert_eq!(
            leaf_text(l.doc.root_element().first_child().unwrap()).unwrap(),
            "&中"
        );
    }
}
