//! The own XML reader of the core (`piaoyan_core::xml::reader`) against
//! `roxmltree` 0.21 (with `allow_dtd: false`), which it replaced: both
//! refuse the same documents, and on a document both accept they build the
//! same tree (node kinds, names, namespaces, attributes, decoded texts,
//! byte ranges). The reader may refuse more only by one of the rules its
//! module documentation lists (XML 1.0 or Namespaces in XML forbid each),
//! and the input must show the construct that rule names.
//!
//! Used by the fuzz target `xml_differential` and, through `#[path]`, by
//! `tests/tests/xml_differential.rs`. Uses `piaoyan_core` and `roxmltree`
//! only.

use piaoyan_core::xml::reader::{self, ErrorKind, ReadLimits, XmlError};
use piaoyan_core::xml::{Document, Node, NodeType};

/// Bounds far above anything the inputs reach, so that only the XML rules
/// decide (the core's own bounds have tests of their own).
pub const LIMITS: ReadLimits = ReadLimits {
    depth: 100_000,
    elements: usize::MAX,
    nodes: usize::MAX,
    attributes: 100_000,
    namespaces: 100_000,
};

/// How the two readers compared on one input.
#[derive(Debug, PartialEq, Eq)]
pub enum Agreement {
    /// Both accepted the document and built the same tree.
    SameTree,
    /// Both refused it.
    BothRefuse,
    /// The reader refused a document `roxmltree` accepts, by one of its
    /// deliberate rules.
    Stricter(ErrorKind),
}

/// Whether `e`, a refusal of a document `roxmltree` accepts, is one of the
/// reader's deliberate rules, shown by the input at the error position.
fn deliberate(text: &str, e: &XmlError) -> bool {
    let at = text.get(e.pos..).unwrap_or("");
    match e.kind {
        ErrorKind::EmptyPrefix => at.starts_with(':'),
        ErrorKind::CharRef => {
            let (hex, digits) = match at.strip_prefix("&#x") {
                Some(rest) => (true, rest),
                None => (false, at.strip_prefix("&#").unwrap_or("")),
            };
            let digits: String = digits.chars().take_while(|c| *c != ';').collect();
            u32::from_str_radix(&digits, if hex { 16 } else { 10 })
                .is_ok_and(|v| char::from_u32(v).is_none())
        }
        ErrorKind::ReservedPi => at
            .get(2..5)
            .is_some_and(|t| at.starts_with("<?") && t.eq_ignore_ascii_case("xml")),
        ErrorKind::PiTarget => {
            !at.starts_with(char::is_whitespace)
                && !at.starts_with("?>")
                && text.get(..e.pos).is_some_and(|t| t.contains("<?"))
        }
        ErrorKind::Declaration => text.starts_with("<?xml "),
        ErrorKind::DefaultNamespaceTwice => at.starts_with("xmlns"),
        ErrorKind::Bom => text.starts_with('\u{FEFF}'),
        _ => false,
    }
}

/// Compares the readers on `text`; `Err` says how they disagree.
pub fn compare(text: &str) -> Result<Agreement, String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let theirs = roxmltree::Document::parse_with_options(text, options);
    let ours = reader::parse(text, &LIMITS);
    match (ours, theirs) {
        (Err(e), Err(r)) => {
            if e.kind == ErrorKind::Dtd && r != roxmltree::Error::DtdDetected {
                return Err(format!("we saw a DTD, roxmltree refused with {r}"));
            }
            Ok(Agreement::BothRefuse)
        }
        (Ok(_), Err(r)) => Err(format!("roxmltree refuses ({r}), we accept")),
        (Err(e), Ok(_)) if deliberate(text, &e) => Ok(Agreement::Stricter(e.kind)),
        (Err(e), Ok(_)) => Err(format!("we refuse ({e}, {:?}), roxmltree accepts", e.kind)),
        (Ok(ours), Ok(theirs)) => same_tree(&ours, &theirs).map(|()| Agreement::SameTree),
    }
}

fn kind(n: &roxmltree::Node<'_, '_>) -> NodeType {
    match n.node_type() {
        roxmltree::NodeType::Root => NodeType::Root,
        roxmltree::NodeType::Element => NodeType::Element,
        roxmltree::NodeType::Text => NodeType::Text,
        roxmltree::NodeType::Comment => NodeType::Comment,
        roxmltree::NodeType::PI => NodeType::PI,
    }
}

fn same_tree(ours: &Document<'_>, theirs: &roxmltree::Document<'_>) -> Result<(), String> {
    let a: Vec<Node<'_, '_>> = ours.descendants().collect();
    let b: Vec<roxmltree::Node<'_, '_>> = theirs.descendants().collect();
    if a.len() != b.len() {
        return Err(format!("{} nodes, roxmltree {}", a.len(), b.len()));
    }
    for (x, y) in a.iter().zip(&b) {
        let differ = |what: &str| Err(format!("node {} ({:?}): {what} differs", x.id(), x));
        if x.node_type() != kind(y) {
            return differ("kind");
        }
        if x.range() != y.range() {
            return Err(format!("{x:?}: roxmltree's range is {:?}", y.range()));
        }
        let parent = |n: Option<Node<'_, '_>>| n.map(|p| p.id());
        if parent(x.parent()) != y.parent().map(|p| p.id().get_usize()) {
            return differ("parent");
        }
        if x.children().count() != y.children().count() {
            return differ("child count");
        }
        if x.text() != y.text() {
            return Err(format!(
                "{x:?}: text {:?}, roxmltree {:?}",
                x.text(),
                y.text()
            ));
        }
        if x.tag_name().name() != y.tag_name().name()
            || x.tag_name().namespace() != y.tag_name().namespace()
        {
            return differ("name");
        }
        let ours: Vec<_> = x
            .attributes()
            .map(|a| (a.name, a.namespace, a.value))
            .collect();
        let theirs: Vec<_> = y
            .attributes()
            .map(|a| (a.name(), a.namespace(), a.value()))
            .collect();
        if ours != theirs {
            return Err(format!("{x:?}: attributes {ours:?}, roxmltree {theirs:?}"));
        }
        if x.pi() != y.pi().map(|p| (p.target, p.value)) {
            return differ("processing instruction");
        }
    }
    Ok(())
}

/// Deterministic variations of `text`, about `count` of them: single
/// characters replaced or deleted, snippets of markup inserted, the text
/// truncated. Positions come from a fixed xorshift sequence seeded by
/// `seed`, so every run tests the same inputs.
pub fn mutations(text: &str, seed: u64, count: usize) -> Vec<String> {
    const SNIPPETS: &[&str] = &[
        "<",
        ">",
        "&",
        ";",
        "'",
        "\"",
        "=",
        "/",
        "!",
        "?",
        "-",
        ":",
        "]",
        " ",
        "\r",
        "\r\n",
        "\n",
        "\t",
        "x",
        "中",
        "\u{1}",
        "\u{FFFE}",
        "\u{FEFF}",
        "]]>",
        "<!DOCTYPE a>",
        "<![CDATA[c\r\nd]]>",
        "<!--c-->",
        "<!---->",
        "<!-- - -->",
        "<?p x?>",
        "<?xml ?>",
        "<?xml version=\"1.0\"?>",
        "&amp;",
        "&lt;",
        "&#x4E2D;",
        "&#13;",
        "&#0;",
        "&#xD800;",
        "&#x110000;",
        "&#65",
        "&bogus;",
        " a=\"1\"",
        " a='<'",
        " b=x",
        " xmlns=\"u\"",
        " xmlns:p=\"u\"",
        " p:a=\"1\"",
        "<p:e/>",
        " xml:lang=\"zh\"",
        " xmlns:xml=\"u\"",
        "<a/>",
        "</a>",
        "<:a/>",
        "<a>",
        " :a=\"1\"",
        "&#x9;",
        "\r&#65;",
    ];
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound.max(1) as u64) as usize
    };
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    // Half of the positions at or next to markup, where rules live.
    let markup: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| "<>&\"'=:/?!-[]".contains(*c))
        .flat_map(|(i, c)| [i, i + c.len_utf8()])
        .collect();
    let mut out = Vec::with_capacity(count);
    for k in 0..count {
        let at = if k % 2 == 0 && !markup.is_empty() {
            markup[next(markup.len())]
        } else {
            boundaries[next(boundaries.len())]
        };
        let after = boundaries
            .iter()
            .find(|&&b| b > at)
            .copied()
            .unwrap_or(text.len());
        let (head, tail) = text.split_at(at);
        let snippet = SNIPPETS[next(SNIPPETS.len())];
        out.push(match k % 4 {
            0 => format!("{head}{snippet}{}", &text[after..]),
            1 => format!("{head}{snippet}{tail}"),
            2 => format!("{head}{}", &text[after..]),
            _ => head.to_string(),
        });
    }
    out
}
