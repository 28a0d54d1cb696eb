//! The tree [`super::reader`] builds: one flat vector of nodes in document
//! order, so navigation is index arithmetic and nothing recurses. A node's
//! descendants are the nodes after it up to its `end`; its first child, if
//! any, is the next node; a child's next sibling is the node at the child's
//! `end` when that is still inside the parent.
//!
//! The API mirrors the parts of `roxmltree` the verifier used (names, kinds
//! and byte ranges alike), so call sites read the same.

#[allow(unused_imports)]
use crate::prelude::*;

use core::ops::Range;

/// The namespace name of the `xml` prefix (bound by definition).
pub const NS_XML_URI: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace name of `xmlns` declarations, which may not be declared.
pub const NS_XMLNS_URI: &str = "http://www.w3.org/2000/xmlns/";

/// The largest text the reader takes: positions are stored in 32 bits
/// (half the memory per node on 64-bit hosts), and the decoded strings of
/// a document take at most twice its length.
pub const MAX_TEXT_BYTES: usize = (u32::MAX / 4) as usize;

/// A position or index, stored in 32 bits: the reader refuses texts above
/// [`MAX_TEXT_BYTES`], so nothing here exceeds `u32::MAX`.
pub(super) fn u(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

/// A byte range, stored in 32 bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub fn new(r: Range<usize>) -> Span {
        Span {
            start: u(r.start),
            end: u(r.end),
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn set_end(&mut self, end: usize) {
        self.end = u(end);
    }
}

/// A string of the document: a slice of the input, or of the decoded
/// strings (text with references or line ends, merged text runs, ...).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Str {
    pub span: Span,
    pub owned: bool,
}

impl Str {
    pub fn new(r: Range<usize>, owned: bool) -> Str {
        Str {
            span: Span::new(r),
            owned,
        }
    }
}

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeType {
    Root,
    Element,
    Text,
    Comment,
    PI,
}

/// One node: 40 bytes (a large document holds hundreds of thousands, and
/// WebAssembly linear memory never shrinks). What `extra` holds depends on
/// the kind.
#[derive(Clone, Debug)]
pub(super) struct NodeData {
    pub kind: NodeType,
    /// [`HAS_VALUE`], [`OWNED`].
    flags: u8,
    /// The parent's index (0, the root, for the root itself).
    pub parent: u32,
    /// One past the index of the last descendant.
    pub end: u32,
    /// Byte range in the input: `<` to the end of the end tag for an
    /// element; the first run of text merged into a text node.
    pub range: Span,
    /// Element: the local name; PI: the target (both slices of the input).
    pub name: Span,
    /// Element: its attributes in `Document::attrs`. Text, comment: the
    /// text; PI: the value after the target, if any ([`HAS_VALUE`]); in
    /// `Document::strings` when [`OWNED`], else in the input.
    extra: Span,
    /// Element: 1 + index into `Document::namespaces`, 0 for no namespace.
    pub ns: u32,
}

/// `NodeData::flags`: the node has a value (text, comment, PI with one).
const HAS_VALUE: u8 = 1;
/// `NodeData::flags`: the value is a range of `Document::strings`.
const OWNED: u8 = 2;

impl NodeData {
    pub fn element(
        range: Range<usize>,
        name: Range<usize>,
        ns: u32,
        attrs: Range<usize>,
    ) -> NodeData {
        NodeData {
            kind: NodeType::Element,
            flags: 0,
            parent: 0,
            end: 0,
            range: Span::new(range),
            name: Span::new(name),
            extra: Span::new(attrs),
            ns,
        }
    }

    /// A text, comment, PI (or the document node, without value).
    pub fn leaf(
        kind: NodeType,
        range: Range<usize>,
        name: Range<usize>,
        value: Option<Str>,
    ) -> NodeData {
        let mut node = NodeData {
            kind,
            flags: 0,
            parent: 0,
            end: 0,
            range: Span::new(range),
            name: Span::new(name),
            extra: Span::default(),
            ns: 0,
        };
        if let Some(value) = value {
            node.set_value(value);
        }
        node
    }

    pub fn value(&self) -> Option<Str> {
        (self.kind != NodeType::Element && self.flags & HAS_VALUE != 0).then_some(Str {
            span: self.extra,
            owned: self.flags & OWNED != 0,
        })
    }

    pub fn set_value(&mut self, value: Str) {
        if self.kind != NodeType::Element {
            self.extra = value.span;
            self.flags = HAS_VALUE | if value.owned { OWNED } else { 0 };
        }
    }

    /// An element's attributes in `Document::attrs` (empty for other nodes).
    pub fn attrs(&self) -> Span {
        if self.kind == NodeType::Element {
            self.extra
        } else {
            Span::default()
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct AttrData {
    pub name: Span,
    /// 1 + index into `Document::namespaces`, 0 for no namespace.
    pub ns: u32,
    pub value: Str,
}

/// A parsed XML document.
pub struct Document<'i> {
    pub(super) text: &'i str,
    pub(super) nodes: Vec<NodeData>,
    pub(super) attrs: Vec<AttrData>,
    /// Decoded strings, one after the other.
    pub(super) strings: String,
    /// Namespace names; the first is always [`NS_XML_URI`].
    pub(super) namespaces: Vec<Str>,
    /// Where each CDATA section starts (`<![CDATA[`), in document order:
    /// the reader joins their text into text nodes.
    pub(super) cdata: Vec<u32>,
}

impl<'i> Document<'i> {
    pub(super) fn new(text: &'i str) -> Document<'i> {
        Document {
            text,
            nodes: vec![NodeData {
                end: 1,
                ..NodeData::leaf(NodeType::Root, 0..text.len(), 0..0, None)
            }],
            attrs: Vec::new(),
            strings: String::from(NS_XML_URI),
            namespaces: vec![Str::new(0..NS_XML_URI.len(), true)],
            cdata: Vec::new(),
        }
    }

    pub(super) fn str(&self, s: Str) -> &str {
        let source = if s.owned { &self.strings } else { self.text };
        source.get(s.span.range()).unwrap_or("")
    }

    fn slice(&self, r: Span) -> &str {
        self.text.get(r.range()).unwrap_or("")
    }

    pub(super) fn namespace(&self, ns: u32) -> Option<&str> {
        let index = (ns as usize).checked_sub(1)?;
        self.namespaces.get(index).map(|s| self.str(*s))
    }

    /// The input the document was parsed from.
    pub fn input_text(&self) -> &'i str {
        self.text
    }

    /// The document node (parent of the root element).
    pub fn root(&self) -> Node<'_, 'i> {
        Node { doc: self, id: 0 }
    }

    /// The root element. A document always has one (the reader refuses a
    /// document without); the document node stands in otherwise.
    pub fn root_element(&self) -> Node<'_, 'i> {
        self.root()
            .children()
            .find(Node::is_element)
            .unwrap_or(self.root())
    }

    /// Every node in document order, the document node first.
    pub fn descendants(&self) -> Descendants<'_, 'i> {
        self.root().descendants()
    }
}

/// A node of a [`Document`].
#[derive(Clone, Copy)]
pub struct Node<'a, 'i> {
    doc: &'a Document<'i>,
    id: usize,
}

impl core::fmt::Debug for Node<'_, '_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:?}#{} {:?}", self.node_type(), self.id, self.range())
    }
}

/// An element's local name and namespace name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TagName<'a> {
    name: &'a str,
    namespace: Option<&'a str>,
}

impl<'a> TagName<'a> {
    /// The local name (without prefix).
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The namespace name the prefix (or default namespace) resolves to.
    pub fn namespace(&self) -> Option<&'a str> {
        self.namespace
    }
}

/// One attribute of an element.
#[derive(Clone, Copy, Debug)]
pub struct Attribute<'a> {
    pub name: &'a str,
    pub namespace: Option<&'a str>,
    pub value: &'a str,
}

impl<'a, 'i> Node<'a, 'i> {
    fn d(&self) -> &'a NodeData {
        // `id` is always a valid index: nodes are made only by this module.
        &self.doc.nodes[self.id]
    }

    fn at(&self, id: usize) -> Node<'a, 'i> {
        Node { doc: self.doc, id }
    }

    /// The index of the node in document order (the document node is 0).
    pub fn id(&self) -> usize {
        self.id
    }

    pub fn node_type(&self) -> NodeType {
        self.d().kind
    }

    pub fn is_element(&self) -> bool {
        self.d().kind == NodeType::Element
    }

    pub fn is_text(&self) -> bool {
        self.d().kind == NodeType::Text
    }

    /// Local name and namespace of an element (empty for other nodes).
    pub fn tag_name(&self) -> TagName<'a> {
        let d = self.d();
        if d.kind != NodeType::Element {
            return TagName {
                name: "",
                namespace: None,
            };
        }
        TagName {
            name: self.doc.slice(d.name),
            namespace: self.doc.namespace(d.ns),
        }
    }

    /// The text of a text node or comment; of an element, the text of its
    /// first child when that is a text node.
    pub fn text(&self) -> Option<&'a str> {
        let d = self.d();
        match d.kind {
            NodeType::Text | NodeType::Comment => d.value().map(|s| self.doc.str(s)),
            NodeType::Element => self
                .first_child()
                .filter(Node::is_text)
                .and_then(|c| c.text()),
            _ => None,
        }
    }

    /// A processing instruction's target and value (`None` for other nodes).
    pub fn pi(&self) -> Option<(&'a str, Option<&'a str>)> {
        let d = self.d();
        (d.kind == NodeType::PI)
            .then(|| (self.doc.slice(d.name), d.value().map(|s| self.doc.str(s))))
    }

    /// The attributes of an element, in document order.
    pub fn attributes(&self) -> impl ExactSizeIterator<Item = Attribute<'a>> + 'a {
        let doc = self.doc;
        doc.attrs
            .get(self.d().attrs().range())
            .unwrap_or(&[])
            .iter()
            .map(move |a| Attribute {
                name: doc.slice(a.name),
                namespace: doc.namespace(a.ns),
                value: doc.str(a.value),
            })
    }

    /// The value of the first attribute with this local name, whatever its
    /// namespace (as `roxmltree::Node::attribute` with a bare name).
    pub fn attribute(&self, name: &str) -> Option<&'a str> {
        self.attributes().find(|a| a.name == name).map(|a| a.value)
    }

    /// Byte range in the input.
    pub fn range(&self) -> Range<usize> {
        self.d().range.range()
    }

    /// Whether a CDATA section starts inside the node's range (its text
    /// is in text nodes, joined with the text around it).
    pub fn holds_cdata(&self) -> bool {
        let range = self.range();
        self.doc
            .cdata
            .iter()
            .any(|&at| range.contains(&(at as usize)))
    }

    pub fn parent(&self) -> Option<Node<'a, 'i>> {
        (self.id != 0).then(|| self.at(self.d().parent as usize))
    }

    /// The node itself, its parent, and so on up to the document node (as
    /// `roxmltree`'s `ancestors`, the node itself first).
    pub fn ancestors(&self) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
        core::iter::successors(Some(*self), Node::parent)
    }

    pub fn first_child(&self) -> Option<Node<'a, 'i>> {
        let first = self.id + 1;
        (first < self.d().end as usize).then(|| self.at(first))
    }

    /// The children, in document order.
    pub fn children(&self) -> Children<'a, 'i> {
        Children {
            doc: self.doc,
            next: self.id + 1,
            end: self.d().end as usize,
        }
    }

    /// The node itself and every node inside it, in document order.
    pub fn descendants(&self) -> Descendants<'a, 'i> {
        Descendants {
            doc: self.doc,
            next: self.id,
            end: self.d().end as usize,
        }
    }
}

/// See [`Node::children`].
pub struct Children<'a, 'i> {
    doc: &'a Document<'i>,
    next: usize,
    end: usize,
}

impl<'a, 'i> Iterator for Children<'a, 'i> {
    type Item = Node<'a, 'i>;

    fn next(&mut self) -> Option<Node<'a, 'i>> {
        if self.next >= self.end {
            return None;
        }
        let id = self.next;
        // A subtree always ends after its node: this moves forward.
        self.next = self
            .doc
            .nodes
            .get(id)
            .map_or(self.end, |d| (d.end as usize).max(id + 1));
        Some(Node { doc: self.doc, id })
    }
}

/// See [`Node::descendants`].
pub struct Descendants<'a, 'i> {
    doc: &'a Document<'i>,
    next: usize,
    end: usize,
}

impl<'a, 'i> Iterator for Descendants<'a, 'i> {
    type Item = Node<'a, 'i>;

    fn next(&mut self) -> Option<Node<'a, 'i>> {
        if self.next >= self.end || self.next >= self.doc.nodes.len() {
            return None;
        }
        let id = self.next;
        self.next += 1;
        Some(Node { doc: self.doc, id })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_node_takes_40_bytes() {
        assert!(core::mem::size_of::<super::NodeData>() <= 40);
    }
}
