//! A small, strict XML 1.0 reader with namespaces: text in, [`Document`]
//! out, in one forward pass over the bytes with no recursion. It reads
//! what a well-formed document without DTD may hold (elements, attributes,
//! text with the five predefined entities and character references,
//! CDATA sections, comments, processing instructions, an XML declaration)
//! and refuses everything else, with the bounds of spec §8 enforced as it
//! goes.
//!
//! It replaced `roxmltree` 0.21 and is held to it by a differential test
//! (`tests/tests/xml_differential.rs`) and a fuzz target
//! (`fuzz/fuzz_targets/xml_differential.rs`): the same documents are
//! refused, and accepted ones give the same tree, texts and byte ranges.
//! It is stricter than `roxmltree` in these cases only, each of which XML
//! 1.0 or Namespaces in XML forbids:
//!
//! - a name with an empty prefix (`<:a>`);
//! - a character reference to a surrogate or beyond U+10FFFF (`roxmltree`
//!   reads U+FFFD);
//! - a processing instruction named `xml` in any case (`<?xml?>`,
//!   `<?XML ...?>`, `<?xml\tversion...?>`), other than the declaration at
//!   the very start written `<?xml `;
//! - a processing instruction target not followed by white space or `?>`;
//! - an XML declaration that is not `version="1.x"` [`encoding="EncName"`]
//!   [`standalone="yes|no"`];
//! - the default namespace declared twice on one element;
//! - a byte-order mark (U+FEFF) at the start of the text: the caller has
//!   removed the one a document may start with.
//!
//! Texts decode exactly as `roxmltree` decodes them, quirks included (a
//! character from a reference is kept as is, and so is the character after
//! it, so `&#13;` stays a carriage return).

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;
use core::ops::Range;

use super::tree::{
    AttrData, Document, MAX_TEXT_BYTES, NS_XML_URI, NS_XMLNS_URI, NodeData, NodeType, Span, Str, u,
};

/// The bounds the reader enforces while it reads.
#[derive(Clone, Copy, Debug)]
pub struct ReadLimits {
    /// Element nesting; the root element is depth 1.
    pub depth: usize,
    pub elements: usize,
    /// All nodes, the document node included.
    pub nodes: usize,
    /// Attributes on one element, namespace declarations included.
    pub attributes: usize,
    /// Namespace declarations in the whole document.
    pub namespaces: usize,
}

/// What is wrong with a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A document type declaration (refused: no DTD in this profile).
    Dtd,
    /// A text above [`MAX_TEXT_BYTES`].
    TooLarge,
    NoRoot,
    /// The input ends inside an element.
    Unclosed,
    /// The input ends inside markup.
    Eof,
    OutsideRoot,
    Declaration,
    ReservedPi,
    PiTarget,
    Bom,
    Name,
    EmptyPrefix,
    Char,
    Syntax,
    AttributeLt,
    DuplicateAttribute,
    EndTag,
    Reference,
    UnknownEntity,
    CharRef,
    CdataEnd,
    Comment,
    UnboundPrefix,
    XmlnsPrefix,
    ReservedNamespace,
    DefaultNamespaceTwice,
    Depth,
    Elements,
    Nodes,
    Attributes,
    Namespaces,
}

impl ErrorKind {
    fn what(self) -> &'static str {
        use ErrorKind::*;
        match self {
            Dtd => "a document type declaration (DTD)",
            TooLarge => "a document above 1 GiB",
            NoRoot => "no root element",
            Unclosed => "the input ends inside an element",
            Eof => "the input ends inside markup",
            OutsideRoot => "text or markup outside the root element",
            Declaration => "a malformed XML declaration",
            ReservedPi => "a processing instruction named xml",
            PiTarget => "no white space after a processing instruction target",
            Bom => "a byte-order mark inside the document",
            Name => "an invalid name",
            EmptyPrefix => "a name with an empty prefix",
            Char => "a character not allowed in XML",
            Syntax => "an unexpected character in markup",
            AttributeLt => "'<' in an attribute value",
            DuplicateAttribute => "a duplicate attribute",
            EndTag => "an end tag that does not match the start tag",
            Reference => "a malformed character or entity reference",
            UnknownEntity => "an undefined entity",
            CharRef => "a character reference to a surrogate or beyond U+10FFFF",
            CdataEnd => "']]>' in text",
            Comment => "'--' inside a comment",
            UnboundPrefix => "an undeclared namespace prefix",
            XmlnsPrefix => "an element with the prefix xmlns",
            ReservedNamespace => "a misuse of the xml or xmlns namespace",
            DefaultNamespaceTwice => "the default namespace declared twice on one element",
            Depth => "elements nested too deep",
            Elements => "too many elements",
            Nodes => "too many nodes",
            Attributes => "too many attributes on one element",
            Namespaces => "too many namespace declarations",
        }
    }
}

/// Why a document was refused, and where (line and column count from 1,
/// columns in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct XmlError {
    pub kind: ErrorKind,
    /// Byte offset in the text.
    pub pos: usize,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}:{}", self.kind.what(), self.line, self.column)
    }
}

/// Reads a document.
pub fn parse<'i>(text: &'i str, limits: &ReadLimits) -> Result<Document<'i>, XmlError> {
    let mut r = Reader {
        b: text.as_bytes(),
        text,
        pos: 0,
        doc: Document::new(text),
        limits,
        open: Vec::new(),
        scope: Vec::new(),
        pending: Vec::new(),
        merge: false,
        elements: 0,
        declarations: 0,
        mark: 0,
    };
    // A bill has about one node per 25 octets: one allocation instead of
    // a doubling vector's ten. A power of two, so that doubling still
    // meets RESERVE_AT exactly, where larger documents reserve for all.
    let guess = (text.len() / 16).next_power_of_two().min(RESERVE_AT);
    r.doc.nodes.reserve_exact(guess.saturating_sub(r.doc.nodes.len()));
    r.run()?;
    let count = u(r.doc.nodes.len());
    if let Some(root) = r.doc.nodes.first_mut() {
        root.end = count;
    }
    Ok(r.doc)
}

/// When a document reaches this many nodes, its node vector is sized once
/// for all it can hold ([`node_bound`], at most the node bound): growing
/// it by doubling would hold the old and the new vector at once, and
/// WebAssembly linear memory never shrinks (for 400 000 nodes, 44 MiB
/// against 18). Documents refused early (1.3 million unclosed elements
/// fail at depth 65) never reserve.
const RESERVE_AT: usize = 4096;

/// At most how many nodes `b` makes: every node but the document node
/// starts at a `<` (element, comment, PI) or is the text before one or
/// before the end, so 2·count(`<`) + 2.
fn node_bound(b: &[u8]) -> usize {
    let lt = b.iter().filter(|&&c| c == b'<').count();
    lt.saturating_mul(2).saturating_add(2)
}

/// An element whose end tag is still to come.
struct Open {
    id: usize,
    /// The qualified name, to match the end tag.
    qname: Range<usize>,
    /// The length of `Reader::scope` before its declarations.
    scope: usize,
}

/// An attribute read, not yet resolved.
struct Pending {
    prefix: Range<usize>,
    local: Range<usize>,
    value: Str,
    at: usize,
}

struct Reader<'i, 'l> {
    b: &'i [u8],
    text: &'i str,
    pos: usize,
    doc: Document<'i>,
    limits: &'l ReadLimits,
    open: Vec<Open>,
    /// Namespace declarations in scope: prefix (empty for the default
    /// namespace) and 1 + index into `Document::namespaces`.
    scope: Vec<(Range<usize>, u32)>,
    pending: Vec<Pending>,
    /// The last node is a text node that following text joins.
    merge: bool,
    elements: usize,
    declarations: usize,
    /// The length of `scope` before the element being read.
    mark: usize,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_name_start(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || c == '_' || c == ':';
    }
    matches!(c as u32,
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2FF | 0x370..=0x37D | 0x37F..=0x1FFF
        | 0x200C..=0x200D | 0x2070..=0x218F | 0x2C00..=0x2FEF | 0x3001..=0xD7FF
        | 0xF900..=0xFDCF | 0xFDF0..=0xFFFD | 0x10000..=0xEFFFF)
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || c.is_ascii_digit()
        || matches!(c as u32, 0x2D | 0x2E | 0xB7 | 0x300..=0x36F | 0x203F..=0x2040)
}

/// XML's Char production (a `char` is never a surrogate).
fn is_xml_char(c: char) -> bool {
    match c as u32 {
        0x9 | 0xA | 0xD => true,
        0..=0x1F | 0xFFFE | 0xFFFF => false,
        _ => true,
    }
}

/// Length of the UTF-8 sequence starting with `lead`.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

impl Reader<'_, '_> {
    fn err(&self, kind: ErrorKind, pos: usize) -> XmlError {
        let before = self.b.get(..pos).unwrap_or(self.b);
        let line_start = before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1);
        XmlError {
            kind,
            pos,
            line: 1 + before.iter().filter(|&&c| c == b'\n').count(),
            // Characters, not bytes: count the non-continuation bytes.
            column: 1 + before
                .get(line_start..)
                .unwrap_or(&[])
                .iter()
                .filter(|&&c| c & 0xC0 != 0x80)
                .count(),
        }
    }

    fn fail<T>(&self, kind: ErrorKind) -> Result<T, XmlError> {
        Err(self.err(kind, self.pos))
    }

    fn byte(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn starts(&self, s: &[u8]) -> bool {
        self.b.get(self.pos..).is_some_and(|r| r.starts_with(s))
    }

    /// Skips white space; whether there was any.
    fn skip_ws(&mut self) -> bool {
        let start = self.pos;
        while self.byte().is_some_and(is_space) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn expect(&mut self, c: u8) -> Result<(), XmlError> {
        match self.byte() {
            Some(x) if x == c => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => self.fail(ErrorKind::Syntax),
            None => self.fail(ErrorKind::Eof),
        }
    }

    /// The first `needle` at or after `from`.
    fn find(&self, from: usize, needle: &[u8]) -> Result<usize, XmlError> {
        self.b
            .get(from..)
            .and_then(|r| r.windows(needle.len()).position(|w| w == needle))
            .map(|p| from + p)
            .ok_or_else(|| self.err(ErrorKind::Eof, self.b.len()))
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.text.get(i..)?.chars().next()
    }

    /// Refuses characters outside XML's Char production in `range`.
    fn check_chars(&self, range: Range<usize>) -> Result<(), XmlError> {
        for i in range {
            match self.b.get(i) {
                Some(0..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F) => {
                    return Err(self.err(ErrorKind::Char, i));
                }
                Some(0xEF) if self.is_nonchar(i) => return Err(self.err(ErrorKind::Char, i)),
                _ => {}
            }
        }
        Ok(())
    }

    /// U+FFFE or U+FFFF (EF BF BE, EF BF BF) at `i`.
    fn is_nonchar(&self, i: usize) -> bool {
        self.b.get(i + 1) == Some(&0xBF) && matches!(self.b.get(i + 2), Some(0xBE | 0xBF))
    }

    /// A name (`qname`: split at a colon into prefix and local part, as
    /// Namespaces in XML wants; the prefix is empty when there is none).
    fn name(&mut self, qname: bool) -> Result<(Range<usize>, Range<usize>), XmlError> {
        let start = self.pos;
        let mut colon = None;
        while let Some(c) = self.byte() {
            // The usual name characters first, without decoding.
            if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.') {
                self.pos += 1;
                continue;
            }
            if c == b':' && qname {
                if colon.is_some() {
                    return Err(self.err(ErrorKind::Name, start));
                }
                colon = Some(self.pos);
                self.pos += 1;
            } else if c.is_ascii() {
                if !is_name_char(c as char) {
                    break;
                }
                self.pos += 1;
            } else {
                match self.char_at(self.pos) {
                    Some(ch) if is_name_char(ch) => self.pos += ch.len_utf8(),
                    _ => break,
                }
            }
        }
        let starts_name = |r: &Range<usize>| {
            r.start < r.end
                && match self.b.get(r.start) {
                    Some(&c) if c.is_ascii() => is_name_start(c as char),
                    _ => self.char_at(r.start).is_some_and(is_name_start),
                }
        };
        let (prefix, local) = match colon {
            Some(c) => (start..c, c + 1..self.pos),
            None => (start..start, start..self.pos),
        };
        if colon == Some(start) {
            return Err(self.err(ErrorKind::EmptyPrefix, start));
        }
        if (colon.is_some() && !starts_name(&prefix)) || !starts_name(&local) {
            return Err(self.err(ErrorKind::Name, start));
        }
        Ok((prefix, local))
    }

    fn slice(&self, r: &Range<usize>) -> &[u8] {
        self.b.get(r.clone()).unwrap_or(&[])
    }

    fn push_node(&mut self, mut node: NodeData) -> Result<usize, XmlError> {
        let id = self.doc.nodes.len();
        if id >= self.limits.nodes {
            return Err(self.err(ErrorKind::Nodes, node.range.range().start));
        }
        if id == RESERVE_AT {
            let all = node_bound(self.b).min(self.limits.nodes);
            self.doc.nodes.reserve_exact(all.saturating_sub(id));
        }
        node.parent = u(self.open.last().map_or(0, |o| o.id));
        node.end = u(id + 1);
        self.doc.nodes.push(node);
        Ok(id)
    }

    fn leaf(
        &mut self,
        kind: NodeType,
        range: Range<usize>,
        name: Range<usize>,
        value: Option<Str>,
    ) -> Result<(), XmlError> {
        self.merge = false;
        self.push_node(NodeData::leaf(kind, range, name, value))?;
        Ok(())
    }

    fn run(&mut self) -> Result<(), XmlError> {
        if self.b.len() > MAX_TEXT_BYTES {
            return self.fail(ErrorKind::TooLarge);
        }
        if self.starts("\u{FEFF}".as_bytes()) {
            return self.fail(ErrorKind::Bom);
        }
        if self.starts(b"<?xml ") {
            self.declaration()?;
        }
        let mut root_seen = false;
        loop {
            if self.open.is_empty() {
                self.skip_ws();
                let Some(c) = self.byte() else { break };
                if self.starts(b"<!--") {
                    self.comment()?;
                } else if self.starts(b"<?") {
                    self.pi()?;
                } else if root_seen || c != b'<' {
                    return self.fail(ErrorKind::OutsideRoot);
                } else if self.starts(b"<!DOCTYPE") {
                    return self.fail(ErrorKind::Dtd);
                } else {
                    self.start_tag()?;
                    root_seen = true;
                }
            } else {
                match (self.byte(), self.b.get(self.pos + 1)) {
                    (Some(b'<'), Some(b'!')) => {
                        if self.starts(b"<!--") {
                            self.comment()?;
                        } else if self.starts(b"<![CDATA[") {
                            self.cdata()?;
                        } else {
                            return self.fail(ErrorKind::Syntax);
                        }
                    }
                    (Some(b'<'), Some(b'?')) => self.pi()?,
                    (Some(b'<'), Some(b'/')) => self.end_tag()?,
                    (Some(b'<'), Some(_)) => self.start_tag()?,
                    (Some(b'<'), None) => return self.fail(ErrorKind::Eof),
                    (Some(_), _) => self.text()?,
                    (None, _) => return self.fail(ErrorKind::Unclosed),
                }
            }
        }
        if root_seen {
            Ok(())
        } else {
            self.fail(ErrorKind::NoRoot)
        }
    }

    /// `<?xml version="1.x" encoding="..." standalone="..."?>` at the start.
    fn declaration(&mut self) -> Result<(), XmlError> {
        self.pos = 5;
        self.skip_ws();
        self.decl_attr(b"version", |v| {
            v.len() > 2 && v.starts_with(b"1.") && v[2..].iter().all(u8::is_ascii_digit)
        })?;
        let mut space = self.skip_ws();
        if space && self.starts(b"encoding") {
            self.decl_attr(b"encoding", |v| {
                v.first().is_some_and(u8::is_ascii_alphabetic)
                    && v.iter()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
            })?;
            space = self.skip_ws();
        }
        if space && self.starts(b"standalone") {
            self.decl_attr(b"standalone", |v| v == b"yes" || v == b"no")?;
            self.skip_ws();
        }
        if !self.starts(b"?>") {
            return self.fail(ErrorKind::Declaration);
        }
        self.pos += 2;
        Ok(())
    }

    fn decl_attr(&mut self, name: &[u8], valid: fn(&[u8]) -> bool) -> Result<(), XmlError> {
        let at = self.pos;
        let bad = |r: &Self| Err(r.err(ErrorKind::Declaration, at));
        if !self.starts(name) {
            return bad(self);
        }
        self.pos += name.len();
        self.skip_ws();
        if self.byte() != Some(b'=') {
            return bad(self);
        }
        self.pos += 1;
        self.skip_ws();
        let Some(quote @ (b'"' | b'\'')) = self.byte() else {
            return bad(self);
        };
        let start = self.pos + 1;
        let Some(len) = self
            .b
            .get(start..)
            .and_then(|r| r.iter().position(|&c| c == quote))
        else {
            return bad(self);
        };
        if !valid(self.slice(&(start..start + len))) {
            return bad(self);
        }
        self.pos = start + len + 1;
        Ok(())
    }

    fn comment(&mut self) -> Result<(), XmlError> {
        let start = self.pos;
        let end = self.find(start + 4, b"-->")?;
        let body = start + 4..end;
        self.check_chars(body.clone())?;
        let text = self.slice(&body);
        if text.windows(2).any(|w| w == b"--") || text.last() == Some(&b'-') {
            return Err(self.err(ErrorKind::Comment, start));
        }
        self.pos = end + 3;
        let value = Str::new(body, false);
        self.leaf(NodeType::Comment, start..self.pos, 0..0, Some(value))
    }

    fn pi(&mut self) -> Result<(), XmlError> {
        let start = self.pos;
        self.pos += 2;
        let (_, target) = self.name(false)?;
        if self.slice(&target).eq_ignore_ascii_case(b"xml") {
            return Err(self.err(ErrorKind::ReservedPi, start));
        }
        let value = if self.starts(b"?>") {
            None
        } else {
            if !self.skip_ws() {
                return self.fail(ErrorKind::PiTarget);
            }
            let end = self.find(self.pos, b"?>")?;
            self.check_chars(self.pos..end)?;
            let value = (end > self.pos).then_some(Str::new(self.pos..end, false));
            self.pos = end;
            value
        };
        self.pos += 2;
        self.leaf(NodeType::PI, start..self.pos, target, value)
    }

    fn cdata(&mut self) -> Result<(), XmlError> {
        let start = self.pos;
        let end = self.find(start + 9, b"]]>")?;
        let body = start + 9..end;
        self.check_chars(body.clone())?;
        self.pos = end + 3;
        let cr = self.slice(&body).contains(&b'\r');
        self.doc.cdata.push(u(start));
        self.add_text(start..self.pos, body, cr, Self::decode_cdata)
    }

    /// Character data up to the next `<`.
    fn text(&mut self) -> Result<(), XmlError> {
        let start = self.pos;
        let mut special = false;
        let mut gt = false;
        let mut i = start;
        while let Some(&c) = self.b.get(i) {
            match c {
                b'<' => break,
                b'&' | b'\r' => special = true,
                b'>' => gt = true,
                b'\t' | b'\n' => {}
                0..=0x1F => return Err(self.err(ErrorKind::Char, i)),
                0xEF if self.is_nonchar(i) => return Err(self.err(ErrorKind::Char, i)),
                _ => {}
            }
            i += 1;
        }
        let body = start..i;
        if gt && let Some(p) = self.slice(&body).windows(3).position(|w| w == b"]]>") {
            return Err(self.err(ErrorKind::CdataEnd, start + p));
        }
        self.pos = i;
        self.add_text(body.clone(), body, special, Self::decode_text)
    }

    /// Adds a run of text, joined to the text node before it if there is
    /// one with nothing in between (CDATA sections and text are one node).
    fn add_text(
        &mut self,
        range: Range<usize>,
        body: Range<usize>,
        decode: bool,
        decoder: fn(&mut Self, Range<usize>) -> Result<(), XmlError>,
    ) -> Result<(), XmlError> {
        if self.merge {
            // Make the node's text the last decoded string, then extend it.
            let last = self.doc.nodes.len() - 1;
            let prev = self
                .doc
                .nodes
                .get(last)
                .and_then(NodeData::value)
                .unwrap_or_default();
            let old = prev.span.range();
            let start = if prev.owned && old.end == self.doc.strings.len() {
                old.start
            } else {
                let start = self.doc.strings.len();
                if prev.owned {
                    self.doc.strings.extend_from_within(old);
                } else {
                    let text = self.text;
                    self.doc.strings.push_str(text.get(old).unwrap_or(""));
                }
                start
            };
            decoder(self, body)?;
            if let Some(n) = self.doc.nodes.get_mut(last) {
                n.set_value(Str::new(start..self.doc.strings.len(), true));
            }
            return Ok(());
        }
        let value = if decode {
            let start = self.doc.strings.len();
            decoder(self, body)?;
            Str::new(start..self.doc.strings.len(), true)
        } else {
            Str::new(body, false)
        };
        self.leaf(NodeType::Text, range, 0..0, Some(value))?;
        self.merge = true;
        Ok(())
    }

    /// CDATA: line ends become `\n`.
    fn decode_cdata(&mut self, body: Range<usize>) -> Result<(), XmlError> {
        let text = self.text.get(body).unwrap_or("");
        for (i, part) in text.split('\r').enumerate() {
            let part = if i > 0 {
                self.doc.strings.push('\n');
                part.strip_prefix('\n').unwrap_or(part)
            } else {
                part
            };
            self.doc.strings.push_str(part);
        }
        Ok(())
    }

    /// Text: references replaced, line ends normalised, the way `roxmltree`
    /// does it (see the module documentation).
    fn decode_text(&mut self, body: Range<usize>) -> Result<(), XmlError> {
        let start = self.doc.strings.len();
        let mut as_is = false;
        let mut i = body.start;
        while let Some(&c) = self.b.get(i).filter(|_| i < body.end) {
            if c == b'&' {
                let (ch, next) = self.reference(i, body.end)?;
                self.doc.strings.push(ch);
                as_is = true;
                i = next;
                continue;
            }
            let len = utf8_len(c);
            let s = self.text.get(i..i + len).unwrap_or("");
            i += len;
            let strings = &mut self.doc.strings;
            if as_is {
                as_is = false;
                strings.push_str(s);
                continue;
            }
            if strings.len() > start && strings.ends_with('\r') {
                strings.pop();
                strings.push('\n');
                if c == b'\n' {
                    continue;
                }
            }
            if c == b'\r' && i == body.end {
                strings.push('\n');
            } else {
                strings.push_str(s);
            }
        }
        Ok(())
    }

    /// An attribute value: references replaced, white space normalised.
    fn decode_attribute(&mut self, body: Range<usize>) -> Result<Str, XmlError> {
        let raw = self.slice(&body);
        if !raw
            .iter()
            .any(|&c| matches!(c, b'&' | b'\t' | b'\n' | b'\r'))
        {
            return Ok(Str::new(body, false));
        }
        let start = self.doc.strings.len();
        let mut i = body.start;
        while let Some(&c) = self.b.get(i).filter(|_| i < body.end) {
            if c == b'&' {
                let (ch, next) = self.reference(i, body.end)?;
                self.doc.strings.push(ch);
                i = next;
                continue;
            }
            let len = utf8_len(c);
            let s = self.text.get(i..i + len).unwrap_or("");
            i += len;
            match c {
                b'\r' if i < body.end && self.b.get(i) == Some(&b'\n') => {}
                b'\t' | b'\n' | b'\r' => self.doc.strings.push(' '),
                _ => self.doc.strings.push_str(s),
            }
        }
        Ok(Str::new(start..self.doc.strings.len(), true))
    }

    /// The reference at `at` (an `&`) ending before `end`: its character
    /// and the position after its `;`.
    fn reference(&self, at: usize, end: usize) -> Result<(char, usize), XmlError> {
        let b = self.b.get(..end).unwrap_or(&[]);
        let bad = |kind| Err(self.err(kind, at));
        let mut i = at + 1;
        let ch = if b.get(i) == Some(&b'#') {
            i += 1;
            let radix = if b.get(i) == Some(&b'x') {
                i += 1;
                16
            } else {
                10
            };
            let digits = i;
            let mut value: u32 = 0;
            while let Some(d) = b.get(i).and_then(|&c| (c as char).to_digit(radix)) {
                match value.checked_mul(radix).and_then(|v| v.checked_add(d)) {
                    Some(v) => value = v,
                    None => return bad(ErrorKind::Reference),
                }
                i += 1;
            }
            if i == digits {
                return bad(ErrorKind::Reference);
            }
            let Some(ch) = char::from_u32(value) else {
                return bad(ErrorKind::CharRef);
            };
            if !is_xml_char(ch) {
                return bad(ErrorKind::Reference);
            }
            ch
        } else {
            // Only the five predefined entities: no DTD declares others.
            let name_end = b
                .get(i..)
                .and_then(|r| r.iter().position(|&c| c == b';'))
                .map_or(end, |p| i + p);
            let ch = match b.get(i..name_end) {
                Some(b"lt") => '<',
                Some(b"gt") => '>',
                Some(b"amp") => '&',
                Some(b"apos") => '\'',
                Some(b"quot") => '"',
                _ => return bad(ErrorKind::UnknownEntity),
            };
            i = name_end;
            ch
        };
        if b.get(i) != Some(&b';') {
            return bad(ErrorKind::Reference);
        }
        let i = i + 1;
        Ok((ch, i))
    }

    fn start_tag(&mut self) -> Result<(), XmlError> {
        let start = self.pos;
        self.pos += 1;
        let (prefix, local) = self.name(true)?;
        let qname = start + 1..self.pos;
        if self.slice(&prefix) == b"xmlns" {
            return Err(self.err(ErrorKind::XmlnsPrefix, start));
        }
        let mark = self.scope.len();
        self.mark = mark;
        self.pending.clear();
        let mut count = 0;
        let empty = loop {
            let space = self.skip_ws();
            match self.byte() {
                Some(b'/') => {
                    self.pos += 1;
                    self.expect(b'>')?;
                    break true;
                }
                Some(b'>') => {
                    self.pos += 1;
                    break false;
                }
                None => return self.fail(ErrorKind::Eof),
                Some(_) if !space => return self.fail(ErrorKind::Syntax),
                Some(_) => {}
            }
            let at = self.pos;
            let (ap, al) = self.name(true)?;
            self.skip_ws();
            self.expect(b'=')?;
            self.skip_ws();
            let quote = match self.byte() {
                Some(q @ (b'"' | b'\'')) => q,
                Some(_) => return self.fail(ErrorKind::Syntax),
                None => return self.fail(ErrorKind::Eof),
            };
            let vstart = self.pos + 1;
            let Some(vlen) = self
                .b
                .get(vstart..)
                .and_then(|r| r.iter().position(|&c| c == quote || c == b'<'))
            else {
                return Err(self.err(ErrorKind::Eof, self.b.len()));
            };
            let vend = vstart + vlen;
            self.check_chars(vstart..vend)?;
            if self.b.get(vend) == Some(&b'<') {
                return Err(self.err(ErrorKind::AttributeLt, vend));
            }
            self.pos = vend + 1;
            count += 1;
            if count > self.limits.attributes {
                return Err(self.err(ErrorKind::Attributes, at));
            }
            let value = self.decode_attribute(vstart..vend)?;
            let p = self.slice(&ap);
            if p == b"xmlns" || (p.is_empty() && self.slice(&al) == b"xmlns") {
                self.declare(if p.is_empty() { ap } else { al }, value, at)?;
            } else {
                self.pending.push(Pending {
                    prefix: ap,
                    local: al,
                    value,
                    at,
                });
            }
        };
        if self.declarations > self.limits.namespaces {
            return Err(self.err(ErrorKind::Namespaces, start));
        }
        if self.open.len() >= self.limits.depth {
            return Err(self.err(ErrorKind::Depth, start));
        }
        self.elements += 1;
        if self.elements > self.limits.elements {
            return Err(self.err(ErrorKind::Elements, start));
        }
        let ns = if self.slice(&prefix) == b"xml" {
            return Err(self.err(ErrorKind::UnboundPrefix, start));
        } else {
            self.lookup(&prefix, start)?
        };
        let first = self.doc.attrs.len();
        for k in 0..self.pending.len() {
            let Some(a) = self.pending.get(k) else { break };
            let (prefix, local, value, at) = (a.prefix.clone(), a.local.clone(), a.value, a.at);
            let ns = match self.slice(&prefix) {
                b"" => 0,
                b"xml" => 1,
                _ => self.lookup(&prefix, at)?,
            };
            // Unique by expanded name: two prefixes may name one namespace.
            let uri = self.doc.namespace(ns);
            let duplicate = self.doc.attrs.get(first..).unwrap_or(&[]).iter().any(|b| {
                self.slice(&b.name.range()) == self.slice(&local) && self.doc.namespace(b.ns) == uri
            });
            if duplicate {
                return Err(self.err(ErrorKind::DuplicateAttribute, at));
            }
            self.doc.attrs.push(AttrData {
                name: Span::new(local),
                ns,
                value,
            });
        }
        self.merge = false;
        let id = self.push_node(NodeData::element(
            start..self.pos,
            local,
            ns,
            first..self.doc.attrs.len(),
        ))?;
        if empty {
            self.scope.truncate(mark);
        } else {
            self.open.push(Open {
                id,
                qname,
                scope: mark,
            });
        }
        Ok(())
    }

    /// A namespace declaration: `prefix` empty for the default namespace.
    fn declare(&mut self, prefix: Range<usize>, value: Str, at: usize) -> Result<(), XmlError> {
        self.declarations += 1;
        let uri = self.doc.str(value);
        let p = self.slice(&prefix);
        let is_xml = uri == NS_XML_URI;
        if uri == NS_XMLNS_URI || is_xml != (p == b"xml") {
            return Err(self.err(ErrorKind::ReservedNamespace, at));
        }
        if is_xml {
            return Ok(()); // `xmlns:xml` as it must be: bound already
        }
        let duplicate = self
            .scope
            .get(self.mark..)
            .unwrap_or(&[])
            .iter()
            .any(|(q, _)| self.slice(q) == p);
        if duplicate {
            let kind = if p.is_empty() {
                ErrorKind::DefaultNamespaceTwice
            } else {
                ErrorKind::DuplicateAttribute
            };
            return Err(self.err(kind, at));
        }
        self.doc.namespaces.push(value);
        self.scope.push((prefix, u(self.doc.namespaces.len())));
        Ok(())
    }

    /// The namespace a prefix (empty: the default namespace) is bound to.
    fn lookup(&self, prefix: &Range<usize>, at: usize) -> Result<u32, XmlError> {
        let p = self.slice(prefix);
        match self.scope.iter().rev().find(|(q, _)| self.slice(q) == p) {
            Some((_, ns)) => Ok(*ns),
            None if p.is_empty() => Ok(0),
            None => Err(self.err(ErrorKind::UnboundPrefix, at)),
        }
    }

    fn end_tag(&mut self) -> Result<(), XmlError> {
        let start = self.pos;
        self.pos += 2;
        self.name(true)?;
        let qname = start + 2..self.pos;
        self.skip_ws();
        self.expect(b'>')?;
        let Some(open) = self.open.pop() else {
            return Err(self.err(ErrorKind::OutsideRoot, start));
        };
        if self.slice(&open.qname) != self.slice(&qname) {
            return Err(self.err(ErrorKind::EndTag, start));
        }
        let end = self.doc.nodes.len();
        if let Some(n) = self.doc.nodes.get_mut(open.id) {
            n.range.set_end(self.pos);
            n.end = u(end);
        }
        self.scope.truncate(open.scope);
        self.merge = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::tree::Node;

    const WIDE: ReadLimits = ReadLimits {
        depth: 1000,
        elements: 1000,
        nodes: 4000,
        attributes: 64,
        namespaces: 64,
    };

    fn ok(text: &str) -> Document<'_> {
        parse(text, &WIDE).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn bad(text: &str, kind: ErrorKind) {
        match parse(text, &WIDE) {
            Ok(_) => panic!("{text:?} accepted"),
            Err(e) => assert_eq!(e.kind, kind, "{text:?}: {e}"),
        }
    }

    #[test]
    fn node_bound_is_an_upper_bound() {
        let docs = [
            "<a/>",
            "<a>x</a>",
            " <a> <b>x</b> <!--c--> <?p v?> <![CDATA[y]]>z </a> ",
            "<a>x<!--c-->y<!--c-->z</a>",
            "<?xml version='1.0'?><!--c--><a><b/><b/>t</a><!--d-->",
            "<a>&lt;&#60;<![CDATA[<<]]></a>",
        ];
        for text in docs {
            let doc = ok(text);
            assert!(doc.nodes.len() <= node_bound(text.as_bytes()), "{text:?}");
        }
        // A large document reserves once, and still reads the same.
        let big = format!("<a>{}</a>", "t<!--c-->".repeat(3000));
        let limits = ReadLimits {
            nodes: 10_000,
            ..WIDE
        };
        let doc = parse(&big, &limits).unwrap();
        assert_eq!(doc.nodes.len(), 2 + 6000);
        assert!(doc.nodes.capacity() <= node_bound(big.as_bytes()));
    }

    /// The text of the root element's first child.
    fn text_of(text: &str) -> String {
        ok(text)
            .root_element()
            .text()
            .unwrap_or_default()
            .to_string()
    }

    fn attr_of(text: &str) -> String {
        let doc = ok(text);
        let value = doc.root_element().attribute("b").unwrap_or_default();
        value.to_string()
    }

    #[test]
    fn doctype_is_refused_and_comments_and_pis_are_not() {
        bad("<!DOCTYPE a><a/>", ErrorKind::Dtd);
        bad(
            "<?xml version=\"1.0\"?>\n<!-- c --><!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>",
            ErrorKind::Dtd,
        );
        // Inside the root it is just bad markup.
        bad("<a><!DOCTYPE a></a>", ErrorKind::Syntax);
        let doc = ok("<?xml version=\"1.0\"?>\n<!-- c --><?p v?>\n<a/>\n<!-- d -->");
        let kinds: Vec<NodeType> = doc.root().children().map(|n| n.node_type()).collect();
        use NodeType::*;
        assert_eq!(kinds, [Comment, PI, Element, Comment]);
        assert_eq!(
            doc.root().children().nth(1).unwrap().pi(),
            Some(("p", Some("v")))
        );
    }

    #[test]
    fn tags_must_nest_and_close() {
        ok("<a><b></b><c/></a >");
        bad("<a><b></a></b>", ErrorKind::EndTag);
        bad("<p:a xmlns:p=\"u\"></a>", ErrorKind::EndTag);
        bad("<a><b></b>", ErrorKind::Unclosed);
        bad("<a", ErrorKind::Eof);
        bad("<a b=\"1", ErrorKind::Eof);
        bad("<a><", ErrorKind::Eof);
        bad("<a><!-- x", ErrorKind::Eof);
        bad("<a/ >", ErrorKind::Syntax);
        bad("<a></a b>", ErrorKind::Syntax);
    }

    #[test]
    fn one_root_and_nothing_but_misc_around_it() {
        ok(" \r\n\t<a/> <!-- c --> <?p?> ");
        bad("<a/><b/>", ErrorKind::OutsideRoot);
        bad("<a/>x", ErrorKind::OutsideRoot);
        bad("x<a/>", ErrorKind::OutsideRoot);
        bad("<a/><![CDATA[x]]>", ErrorKind::OutsideRoot);
        bad("<!-- only -->", ErrorKind::NoRoot);
        bad("", ErrorKind::NoRoot);
        bad("\u{FEFF}<a/>", ErrorKind::Bom);
    }

    #[test]
    fn lt_and_amp_must_be_markup_or_references() {
        assert_eq!(
            text_of("<a>1 &lt; 2 &amp;&gt;&apos;&quot;</a>"),
            "1 < 2 &>'\""
        );
        bad("<a>1 < 2</a>", ErrorKind::Name);
        bad("<a>a & b</a>", ErrorKind::UnknownEntity);
        bad("<a>&amp</a>", ErrorKind::Reference);
        bad("<a>&nbsp;</a>", ErrorKind::UnknownEntity);
        bad("<a b=\"&x;\"/>", ErrorKind::UnknownEntity);
    }

    #[test]
    fn character_references_name_xml_characters() {
        assert_eq!(
            text_of("<a>&#x4E2D;&#65;&#x0041;&#0000000066;</a>"),
            "中AAB"
        );
        bad("<a>&#0;</a>", ErrorKind::Reference);
        bad("<a>&#xFFFE;</a>", ErrorKind::Reference);
        bad("<a>&#X41;</a>", ErrorKind::Reference);
        bad("<a>&#x;</a>", ErrorKind::Reference);
        bad("<a>&#65</a>", ErrorKind::Reference);
        bad("<a>&#99999999999;</a>", ErrorKind::Reference);
        bad("<a>&#xD800;</a>", ErrorKind::CharRef);
        bad("<a b=\"&#x110000;\"/>", ErrorKind::CharRef);
    }

    #[test]
    fn characters_outside_xml_are_refused_everywhere() {
        ok("<a b=\"\t\">\u{10000}\u{FFFD}\u{7F}</a>");
        for doc in [
            "<a>\u{1}</a>",
            "<a>\u{FFFF}</a>",
            "<a b=\"\u{FFFE}\"/>",
            "<a><!-- \u{0} --></a>",
            "<a><![CDATA[\u{1F}]]></a>",
            "<a><?p \u{B}?></a>",
        ] {
            bad(doc, ErrorKind::Char);
        }
        bad("<a\u{1}/>", ErrorKind::Syntax);
    }

    #[test]
    fn names_follow_xml_and_namespaces() {
        let doc = ok("<中·x a-b.c_d=\"1\"/>");
        assert_eq!(doc.root_element().tag_name().name(), "中·x");
        bad("<1a/>", ErrorKind::Name);
        bad("<·a/>", ErrorKind::Name);
        bad("<a:b:c/>", ErrorKind::Name);
        bad("<a:/>", ErrorKind::Name);
        bad("<:a/>", ErrorKind::EmptyPrefix);
        bad("<a :b=\"1\"/>", ErrorKind::EmptyPrefix);
        bad("<a b=\"1\" 1=\"2\"/>", ErrorKind::Name);
    }

    #[test]
    fn attributes_are_unique_by_expanded_name() {
        ok("<a xmlns:p=\"u\" c=\"1\" p:c=\"2\"/>");
        bad("<a b=\"1\" b=\"2\"/>", ErrorKind::DuplicateAttribute);
        bad(
            "<a xmlns:p=\"u\" xmlns:q=\"u\" p:c=\"1\" q:c=\"2\"/>",
            ErrorKind::DuplicateAttribute,
        );
        bad(
            "<a xmlns:p=\"u\" xmlns:p=\"v\"/>",
            ErrorKind::DuplicateAttribute,
        );
        bad(
            "<a xmlns=\"u\" xmlns=\"v\"/>",
            ErrorKind::DefaultNamespaceTwice,
        );
        // A bare name finds an attribute whatever its namespace.
        let doc = ok("<a xmlns:p=\"u\" p:Id=\"x\"/>");
        assert_eq!(doc.root_element().attribute("Id"), Some("x"));
    }

    #[test]
    fn prefixes_resolve_or_are_refused() {
        let doc =
            ok("<a xmlns=\"d\" xmlns:p=\"u\"><p:b p:c=\"1\" c=\"2\"><c xmlns=\"\"/></p:b></a>");
        let names: Vec<_> = doc
            .descendants()
            .filter(Node::is_element)
            .map(|n| (n.tag_name().name(), n.tag_name().namespace()))
            .collect();
        assert_eq!(names, [("a", Some("d")), ("b", Some("u")), ("c", Some(""))]);
        let b = doc.root_element().first_child().unwrap();
        let attrs: Vec<_> = b
            .attributes()
            .map(|a| (a.name, a.namespace, a.value))
            .collect();
        assert_eq!(attrs, [("c", Some("u"), "1"), ("c", None, "2")]);
        bad("<p:a/>", ErrorKind::UnboundPrefix);
        bad("<a p:b=\"1\"/>", ErrorKind::UnboundPrefix);
        bad("<a><b xmlns:p=\"u\"/><p:c/></a>", ErrorKind::UnboundPrefix);
    }

    #[test]
    fn xml_and_xmlns_are_reserved() {
        let doc = ok("<a xml:lang=\"zh\" xmlns:xml=\"http://www.w3.org/XML/1998/namespace\"/>");
        let lang = doc.root_element().attributes().next().unwrap();
        assert_eq!(lang.namespace, Some(NS_XML_URI));
        bad("<xml:a/>", ErrorKind::UnboundPrefix);
        bad("<xmlns:a/>", ErrorKind::XmlnsPrefix);
        bad("<a xmlns:xml=\"u\"/>", ErrorKind::ReservedNamespace);
        bad(
            "<a xmlns:p=\"http://www.w3.org/XML/1998/namespace\"/>",
            ErrorKind::ReservedNamespace,
        );
        bad(
            "<a xmlns=\"http://www.w3.org/XML/1998/namespace\"/>",
            ErrorKind::ReservedNamespace,
        );
        bad(
            "<a xmlns:p=\"http://www.w3.org/2000/xmlns/\"/>",
            ErrorKind::ReservedNamespace,
        );
    }

    #[test]
    fn attribute_values_are_quoted_without_lt() {
        assert_eq!(attr_of("<a b='x\"y'/>"), "x\"y");
        assert_eq!(attr_of("<a b = \"&lt;&#60;\" />"), "<<");
        bad("<a b=1/>", ErrorKind::Syntax);
        bad("<a b/>", ErrorKind::Syntax);
        bad("<a b=\"1\"c=\"2\"/>", ErrorKind::Syntax);
        bad("<a b=\"<\"/>", ErrorKind::AttributeLt);
    }

    #[test]
    fn cdata_end_is_refused_in_text() {
        assert_eq!(text_of("<a>]]&gt; ]] ></a>"), "]]> ]] >");
        bad("<a>x]]>y</a>", ErrorKind::CdataEnd);
        assert_eq!(attr_of("<a b=\"]]>\"/>"), "]]>");
    }

    #[test]
    fn comments_hold_no_double_hyphen() {
        let doc = ok("<a><!-- a - b --><!----></a>");
        let texts: Vec<_> = doc.root_element().children().map(|c| c.text()).collect();
        assert_eq!(texts, [Some(" a - b "), Some("")]);
        bad("<a><!-- a -- b --></a>", ErrorKind::Comment);
        bad("<a><!-- a ---></a>", ErrorKind::Comment);
    }

    #[test]
    fn the_declaration_comes_first_and_well_formed() {
        ok("<?xml version=\"1.0\"?><a/>");
        ok("<?xml version='1.1' encoding='utf-8' standalone='no' ?>\n<a/>");
        ok("<?xml-stylesheet href=\"s\"?><a/>");
        bad(" <?xml version=\"1.0\"?><a/>", ErrorKind::ReservedPi);
        bad("<a/><?xml version=\"1.0\"?>", ErrorKind::ReservedPi);
        bad("<a><?XML x?></a>", ErrorKind::ReservedPi);
        bad("<?xml?><a/>", ErrorKind::ReservedPi);
        bad("<?xml\tversion=\"1.0\"?><a/>", ErrorKind::ReservedPi);
        for decl in [
            "<?xml encoding=\"UTF-8\"?>",
            "<?xml version=\"2.0\"?>",
            "<?xml version=\"1.0\"encoding=\"UTF-8\"?>",
            "<?xml version=\"1.0\" encoding=\"8bit\"?>",
            "<?xml version=\"1.0\" standalone=\"maybe\"?>",
            "<?xml version=\"1.0\" standalone=\"yes\" encoding=\"UTF-8\"?>",
            "<?xml version=\"1.0\" ?",
        ] {
            bad(&format!("{decl}<a/>"), ErrorKind::Declaration);
        }
        bad("<?pi\"x\"?><a/>", ErrorKind::PiTarget);
    }

    #[test]
    fn text_decodes_as_roxmltree_does() {
        assert_eq!(text_of("<a>a\r\nb\rc\r</a>"), "a\nb\nc\n");
        assert_eq!(text_of("<a>a\r\r\nb</a>"), "a\n\nb");
        // A referenced character, and the one after it, stay as they are.
        assert_eq!(text_of("<a>&#13;\r\nb</a>"), "\r\nb");
        assert_eq!(text_of("<a>x\r&#65;</a>"), "x\rA");
        assert_eq!(
            attr_of("<a b=\"a\r\nb\rc\nd\te&#13;&#10;&#9;\"/>"),
            "a b c d e\r\n\t"
        );
        assert_eq!(text_of("<a><![CDATA[a\r\nb\rc<&]]></a>"), "a\nb\nc<&");
    }

    #[test]
    fn text_and_cdata_join_but_comments_split() {
        let doc = ok("<a>t<![CDATA[c]]>u&amp;<!--x-->v<b/>w<![CDATA[]]></a>");
        let a = doc.root_element();
        assert_eq!(a.text(), Some("tcu&"));
        let kids: Vec<_> = a
            .children()
            .map(|c| (c.node_type(), c.text(), c.range()))
            .collect();
        use NodeType::*;
        assert_eq!(
            kids,
            [
                (Text, Some("tcu&"), 3..4),
                (Comment, Some("x"), 23..31),
                (Text, Some("v"), 31..32),
                (Element, None, 32..36),
                (Text, Some("w"), 36..37),
            ]
        );
        assert_eq!(ok("<a><![CDATA[]]></a>").root_element().text(), Some(""));
    }

    #[test]
    fn ranges_and_navigation() {
        let text = "<?xml version=\"1.0\"?>\n<r><a b=\"1\">x</a><c/>\n</r>";
        let doc = ok(text);
        let r = doc.root_element();
        assert_eq!(&text[r.range()], "<r><a b=\"1\">x</a><c/>\n</r>");
        let kids: Vec<_> = r.children().map(|c| &text[c.range()]).collect();
        assert_eq!(kids, ["<a b=\"1\">x</a>", "<c/>", "\n"]);
        let a = r.first_child().unwrap();
        assert_eq!(a.parent().map(|p| p.id()), Some(r.id()));
        assert_eq!(a.ancestors().map(|n| n.id()).collect::<Vec<_>>(), [2, 1, 0]);
        assert_eq!(r.descendants().count(), 5);
        assert_eq!(doc.descendants().count(), 6);
        assert!(doc.root().parent().is_none());
        assert_eq!(doc.root().range(), 0..text.len());
    }

    #[test]
    fn bounds_are_enforced_while_reading() {
        let limits = ReadLimits {
            depth: 3,
            elements: 5,
            nodes: 8,
            attributes: 2,
            namespaces: 2,
        };
        let read = |t: &str| parse(t, &limits).map(|_| ()).map_err(|e| e.kind);
        assert_eq!(read("<a><b><c/></b></a>"), Ok(()));
        assert_eq!(read("<a><b><c><d/></c></b></a>"), Err(ErrorKind::Depth));
        // Refused at the fourth level, long before the end of the input.
        let unclosed = "<a>".repeat(100_000);
        let e = parse(&unclosed, &limits).err().unwrap();
        assert_eq!((e.kind, e.pos), (ErrorKind::Depth, 9));
        assert_eq!(read("<a><b/><b/><b/><b/></a>"), Ok(()));
        assert_eq!(
            read("<a><b/><b/><b/><b/><b/></a>"),
            Err(ErrorKind::Elements)
        );
        assert_eq!(
            read("<a>1<!---->2<!---->3<!---->4</a>"),
            Err(ErrorKind::Nodes)
        );
        assert_eq!(read("<a b=\"\" c=\"\"/>"), Ok(()));
        assert_eq!(
            read("<a b=\"\" c=\"\" xmlns:d=\"u\"/>"),
            Err(ErrorKind::Attributes)
        );
        assert_eq!(read("<a xmlns=\"u\"><b xmlns=\"u\"/></a>"), Ok(()));
        assert_eq!(
            read("<a xmlns=\"u\"><b xmlns=\"u\"/><c xmlns=\"u\"/></a>"),
            Err(ErrorKind::Namespaces)
        );
    }

    #[test]
    fn errors_say_where() {
        let e = parse("<a>\n  <b>\u{4E2D}</c>\n</a>", &WIDE).err().unwrap();
        assert_eq!((e.kind, e.line, e.column), (ErrorKind::EndTag, 2, 7));
        assert_eq!(
            e.to_string(),
            "an end tag that does not match the start tag at 2:7"
        );
    }
}
