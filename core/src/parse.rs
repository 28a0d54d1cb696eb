//! From the XML tree to the bill model and the raw signature elements
//! (spec §1–§5). Everything here is a FORMAT_FAILURE when wrong; value rules
//! (formats of codes, sums, ...) are checked later in `rules`.

#[allow(unused_imports)]
use crate::prelude::*;

use core::ops::Range;

use crate::bill::{
    Amount, AuxItem, Bill, ExtraField, Header, InvoicingParty, Item, Main, PayerParty, Seal,
};
use crate::codes;
use crate::money::parse_fen;
use crate::options::Limits;
use crate::report::Role;
use crate::xml::{self, FormatError, Loaded, Node, check_plain_content, child_elements, leaf_text};

/// `KeyInfo` of a signature, as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyInfoXml {
    pub serial_number: Option<String>,
    pub issuer_name: Option<String>,
    /// Base64 text of `X509Certificate`.
    pub certificate: Option<String>,
}

/// One `Signature` element, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureXml {
    pub role: Role,
    pub reference: String,
    pub algorithm: String,
    pub format: String,
    pub time: String,
    /// Base64 text of `SignatureValue`.
    pub value: String,
    pub key_info: Option<KeyInfoXml>,
}

/// A bill of the profile, parsed: the model, the signed octets B and the two
/// signatures.
#[derive(Clone, Debug)]
pub struct ParsedBill {
    pub bill: Bill,
    /// Byte range of B (§5.1) in the original input.
    pub signed_range: Range<usize>,
    /// InvoicingParty first, then Supervisor.
    pub signatures: [SignatureXml; 2],
    /// `PayerPartyCode` unmasked (the bill model shows personal ones masked).
    pub payer_code: Option<String>,
}

/// Parses a bill from its bytes.
pub fn parse(input: &[u8], limits: &Limits) -> Result<ParsedBill, FormatError> {
    let loaded = xml::load(input, limits)?;
    from_tree(&loaded, limits)
}

fn from_tree(loaded: &Loaded<'_>, limits: &Limits) -> Result<ParsedBill, FormatError> {
    let doc = &loaded.doc;
    let root = doc.root_element();
    require_name(root, "EInvoice", "根元素", "the root element")?;
    let parts = Singles::collect(root, ROOT_PARTS, false)?;
    let header_node = parts.required("Header")?;
    let data_node = parts.required("EInvoiceData")?;
    let sig_node = parts.required("EInvoiceSignature")?;
    if !(header_node.range().end <= data_node.range().start
        && data_node.range().end <= sig_node.range().start)
    {
        return Err(FormatError::new(
            "document.structure",
            "EInvoice 的子元素顺序必须是 Header、EInvoiceData、EInvoiceSignature",
            "the children of EInvoice must come in the order Header, EInvoiceData, EInvoiceSignature",
        ));
    }
    for n in [header_node, data_node] {
        check_plain_content(n)?;
        check_one_reading(n)?;
    }
    let signed_range =
        loaded.offset + header_node.range().start..loaded.offset + data_node.range().end;

    let header = parse_header(header_node)?;
    let data = Singles::collect(data_node, DATA_PARTS, false)?;
    let (main, payer_code) = parse_main(data.required("Main")?)?;
    let items = parse_items(data.required("Details")?, limits)?;
    let aux_items = match data.optional("AuxDetails") {
        Some(n) => parse_aux_items(n)?,
        None => Vec::new(),
    };
    let signatures = parse_signatures(sig_node)?;
    Ok(ParsedBill {
        bill: Bill {
            header,
            main,
            items,
            aux_items,
        },
        signed_range,
        signatures,
        payer_code,
    })
}

/// Child elements of one element inside `Header` or `EInvoiceData`, other
/// than `Details` and `AuxDetails` (bounded by `limits.items`).
const MAX_CHILDREN: usize = 1024;

/// The children of `EInvoice`.
const ROOT_PARTS: &[&str] = &["Header", "EInvoiceData", "EInvoiceSignature"];
/// The children of `EInvoiceData`.
const DATA_PARTS: &[&str] = &["Main", "Details", "AuxDetails"];
const HEADER_FIELDS: &[&str] = &["EInvoiceTag", "EInvoiceID", "Version"];
const INVOICING_PARTY_FIELDS: &[&str] = &[
    "InvoicingPartyCode",
    "InvoicingPartyName",
    "RecName",
    "RecAcct",
    "RecOpBk",
];
const PAYER_PARTY_FIELDS: &[&str] = &[
    "PayerPartyType",
    "PayerPartyCode",
    "PayerPartyName",
    "PayerAcct",
    "PayerOpBk",
];
/// The sector fields spec §3 names inside `MainExt` (carried through as
/// extra fields like any other child of `MainExt`, but defined there).
const MAIN_EXT_FIELDS: &[&str] = &[
    "MedicalType",
    "PatientNumber",
    "MedicalInsuranceType",
    "FundPayAmount",
    "OwnPayAmount",
    "StudentID",
];
/// The children of `InvoicingPartySeal` and `SupervisorPartySeal`.
const SEAL_FIELDS: &[&str] = &["SealId", "SealName", "SealHash"];

/// Every element name the profile defines (spec §1–§4) under the name of
/// the one parent it belongs in (`""`: none, the root). The parser reads
/// fields from these same lists. A name has one place only, except the
/// seal fields, which belong in both seals.
const PLACES: &[(&str, &[&str])] = &[
    ("", &["EInvoice"]),
    ("EInvoice", ROOT_PARTS),
    ("EInvoiceSignature", &["Signature"]),
    ("Header", HEADER_FIELDS),
    ("EInvoiceData", DATA_PARTS),
    ("Main", MAIN_FIELDS),
    ("InvoicingParty", INVOICING_PARTY_FIELDS),
    ("PayerParty", PAYER_PARTY_FIELDS),
    ("MainExt", MAIN_EXT_FIELDS),
    ("InvoicingPartySeal", SEAL_FIELDS),
    ("SupervisorPartySeal", SEAL_FIELDS),
    ("Details", &["Item"]),
    ("Item", ITEM_FIELDS),
    ("AuxDetails", &["AuxItem"]),
    ("AuxItem", AUX_FIELDS),
];

/// Spec §1: what a person reads must be what was signed, with one meaning
/// only. Inside `node` (`Header` or `EInvoiceData`), at any depth:
///
/// - an element named like one the profile defines stands at its defined
///   place only (a `TotalAmount` inside `MainExt`, an `Item`, an unknown
///   element; a `PayerPartyName` inside `InvoicingParty`; a second
///   `EInvoiceData` anywhere): a reader looking the name up must not meet
///   a second candidate;
/// - no element holds both text and child elements (`document.structure`);
/// - no element has two children of one name, known or not (`Item` in
///   `Details` and `AuxItem` in `AuxDetails` excepted): two unknown
///   `FundPayAmount` in `MainExt` would give the report two values for one
///   field, and which one a reader shows is its own choice.
///
/// Each is a FORMAT_FAILURE; the first and the last are reported as
/// `document.duplicate` (the element is a second occurrence of a field).
/// This runs before the fields are read, so no later step can meet a second
/// candidate either.
fn check_one_reading(node: Node<'_, '_>) -> Result<(), FormatError> {
    let mut names: Vec<&str> = Vec::new();
    for element in node.descendants().filter(Node::is_element) {
        let name = element.tag_name().name();
        let parent = element
            .parent()
            .filter(Node::is_element)
            .map_or("", |p| p.tag_name().name());
        if !belongs_in(name, parent) && is_defined(name) {
            return Err(FormatError::new(
                "document.duplicate",
                format!(
                    "<{name}> 出现在 <{parent}> 中，不在本规范为它规定的位置：同一字段不得有第二处"
                ),
                format!(
                    "<{name}> inside <{parent}> is not at the place this profile defines for it: one field must not have a second candidate"
                ),
            ));
        }
        names.clear();
        names.extend(child_elements(element).map(|c| c.tag_name().name()));
        // Mixed content: the text beside child elements would be shown by
        // a reader and dropped from the report (an unknown element with
        // children is carried through as its children's values).
        if !names.is_empty()
            && element
                .children()
                .any(|c| c.is_text() && !is_blank(c.text().unwrap_or("")))
        {
            return Err(FormatError::new(
                "document.structure",
                format!("<{name}> 中含有多余的文本"),
                format!("<{name}> holds stray text between its elements"),
            ));
        }
        if name == "Details" || name == "AuxDetails" {
            continue;
        }
        // Pairs are compared (a sort would add its own code to the
        // WebAssembly module), so the children of one element are bounded:
        // a real `Main` has about 30.
        if names.len() > MAX_CHILDREN {
            return Err(FormatError::new(
                "limits.children",
                format!(
                    "<{name}> 有 {} 个子元素，超过上限 {MAX_CHILDREN}",
                    names.len()
                ),
                format!(
                    "<{name}> has {} child elements, more than {MAX_CHILDREN}",
                    names.len()
                ),
            ));
        }
        if let Some(child) = names
            .iter()
            .enumerate()
            .find_map(|(i, a)| names[..i].contains(a).then_some(*a))
        {
            return Err(FormatError::new(
                "document.duplicate",
                format!("<{name}> 中 <{child}> 出现了两次"),
                format!("<{child}> occurs twice in <{name}>"),
            ));
        }
    }
    Ok(())
}

/// Whether the profile defines an element of this name.
fn is_defined(name: &str) -> bool {
    PLACES.iter().any(|(_, names)| names.contains(&name))
}

/// Whether `name` is defined as a child of `parent`.
fn belongs_in(name: &str, parent: &str) -> bool {
    PLACES
        .iter()
        .any(|(p, names)| *p == parent && names.contains(&name))
}

fn require_name(node: Node<'_, '_>, name: &str, zh: &str, en: &str) -> Result<(), FormatError> {
    if node.tag_name().name() == name && node.tag_name().namespace().is_none() {
        Ok(())
    } else {
        Err(FormatError::new(
            "document.structure",
            format!("{zh}应为 <{name}>，实为 <{}>", node.tag_name().name()),
            format!("{en} must be <{name}>, found <{}>", node.tag_name().name()),
        ))
    }
}

fn missing(parent: &str, name: &str) -> FormatError {
    FormatError::new(
        "document.required",
        format!("缺少必需元素 {parent}/{name}"),
        format!("required element {parent}/{name} is missing"),
    )
}

/// Whether `text` is white space only (Unicode White_Space, as
/// `str::trim` has it). The indentation between elements is ASCII: checked
/// byte by byte first, without decoding characters.
fn is_blank(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_whitespace()) || text.trim().is_empty()
}

/// The children of one element: each known name at most once, unknown ones
/// either kept as extras or rejected.
struct Singles<'a, 'i> {
    parent: &'a str,
    /// The known names, and the child of each (at the same position): a
    /// linear search of the short list, smaller code in the WebAssembly
    /// module than a map.
    names: &'a [&'static str],
    known: Vec<Option<Node<'a, 'i>>>,
    extras: Vec<Node<'a, 'i>>,
}

impl<'a, 'i> Singles<'a, 'i> {
    fn collect(
        parent: Node<'a, 'i>,
        names: &'a [&'static str],
        allow_unknown: bool,
    ) -> Result<Singles<'a, 'i>, FormatError> {
        let parent_name = parent.tag_name().name();
        let mut known = vec![None; names.len()];
        let mut extras = Vec::new();
        for child in parent.children() {
            if child.is_text() && !is_blank(child.text().unwrap_or("")) {
                return Err(FormatError::new(
                    "document.structure",
                    format!("<{parent_name}> 中含有多余的文本"),
                    format!("<{parent_name}> holds stray text between its elements"),
                ));
            }
            if !child.is_element() {
                continue;
            }
            let tag = child.tag_name();
            let name = tag.name();
            let slot = names
                .iter()
                .position(|n| *n == name)
                .filter(|_| tag.namespace().is_none())
                .and_then(|i| known.get_mut(i));
            match slot {
                Some(Some(_)) => {
                    return Err(FormatError::new(
                        "document.duplicate",
                        format!("<{parent_name}> 中 <{name}> 出现了两次"),
                        format!("<{name}> occurs twice in <{parent_name}>"),
                    ));
                }
                Some(slot) => *slot = Some(child),
                None if allow_unknown => extras.push(child),
                None => {
                    return Err(FormatError::new(
                        "document.unknownElement",
                        format!("<{parent_name}> 中有未知元素 <{name}>"),
                        format!("unknown element <{name}> in <{parent_name}>"),
                    ));
                }
            }
        }
        Ok(Singles {
            parent: parent_name,
            names,
            known,
            extras,
        })
    }

    fn optional(&self, name: &str) -> Option<Node<'a, 'i>> {
        let i = self.names.iter().position(|n| *n == name)?;
        self.known.get(i).copied().flatten()
    }

    fn required(&self, name: &str) -> Result<Node<'a, 'i>, FormatError> {
        self.optional(name)
            .ok_or_else(|| missing(self.parent, name))
    }

    fn text(&self, name: &str) -> Result<Option<String>, FormatError> {
        self.optional(name)
            .map(|n| leaf(n, self.parent))
            .transpose()
    }

    fn required_text(&self, name: &str) -> Result<String, FormatError> {
        leaf(self.required(name)?, self.parent)
    }

    fn extra_fields(&self) -> Result<Vec<ExtraField>, FormatError> {
        self.extras.iter().map(|n| extra_field(*n)).collect()
    }
}

fn leaf(node: Node<'_, '_>, parent: &str) -> Result<String, FormatError> {
    leaf_text(node).ok_or_else(|| {
        let name = node.tag_name().name();
        FormatError::new(
            "document.structure",
            format!("{parent}/{name} 应只含文本"),
            format!("{parent}/{name} must hold text only"),
        )
    })
}

/// An unknown element carried through: its text, or its children's texts
/// as `name=value` pairs when it has children.
fn extra_field(node: Node<'_, '_>) -> Result<ExtraField, FormatError> {
    let value = match leaf_text(node) {
        Some(text) => text,
        None => child_elements(node)
            .map(|c| {
                let inner = extra_field(c)?;
                Ok(format!("{}={}", inner.name, inner.value))
            })
            .collect::<Result<Vec<_>, FormatError>>()
            .map(|fields| crate::text::join(fields.iter().map(String::as_str), "; "))?,
    };
    Ok(ExtraField {
        name: node.tag_name().name().to_string(),
        value,
    })
}

fn parse_header(node: Node<'_, '_>) -> Result<Header, FormatError> {
    let s = Singles::collect(node, HEADER_FIELDS, false)?;
    Ok(Header {
        e_invoice_tag: s.required_text("EInvoiceTag")?,
        e_invoice_id: s.text("EInvoiceID")?,
        version: s.text("Version")?,
    })
}

const MAIN_FIELDS: &[&str] = &[
    "EInvoiceName",
    "EInvoiceCode",
    "EInvoiceNumber",
    "RandomNumber",
    "EInvoiceSpecimenCode",
    "SupervisorAreaCode",
    "TotalAmount",
    "TotalAmountCapital",
    "IssueDate",
    "IssueTime",
    "InvoicingParty",
    "PayerParty",
    "PayMode",
    "BizCode",
    "CurrencyType",
    "ExchangeRate",
    "Remark",
    "HandlingPerson",
    "Checker",
    "SupervisorRemark",
    "MainExt",
    "InvoicingPartySeal",
    "SupervisorPartySeal",
];

fn amount(text: String) -> Amount {
    let fen = parse_fen(&text);
    Amount { text, fen }
}

fn parse_main(node: Node<'_, '_>) -> Result<(Main, Option<String>), FormatError> {
    let s = Singles::collect(node, MAIN_FIELDS, true)?;
    // Spec §1 tolerates unknown elements inside Main, Item, AuxItem, MainExt
    // and ItemExt only. The parties and seals are not in that list, and an
    // unknown child there used to be dropped without a trace: a signed
    // `<InvoicingParty><RealName>…` would show some readers a second name
    // the report never mentions. They are rejected (FORMAT_FAILURE), the
    // reading that leaves an attacker nothing to hide there.
    let ip = Singles::collect(s.required("InvoicingParty")?, INVOICING_PARTY_FIELDS, false)?;
    let invoicing_party = InvoicingParty {
        code: ip.required_text("InvoicingPartyCode")?,
        name: ip.required_text("InvoicingPartyName")?,
        rec_name: ip.text("RecName")?,
        rec_acct: ip.text("RecAcct")?,
        rec_op_bk: ip.text("RecOpBk")?,
    };
    let payer = Singles::collect(s.required("PayerParty")?, PAYER_PARTY_FIELDS, false)?;
    let party_type = payer.text("PayerPartyType")?;
    let payer_code = payer.text("PayerPartyCode")?;
    let shown_code = match (&party_type, &payer_code) {
        (Some(t), Some(code)) if t == "1" => Some(codes::mask_identity(code)),
        _ => payer_code.clone(),
    };
    let payer_party = PayerParty {
        party_type,
        code: shown_code,
        name: payer.required_text("PayerPartyName")?,
        acct: payer.text("PayerAcct")?,
        op_bk: payer.text("PayerOpBk")?,
    };
    let main_ext = match s.optional("MainExt") {
        Some(n) => Singles::collect(n, &[], true)?.extra_fields()?,
        None => Vec::new(),
    };
    let main = Main {
        e_invoice_name: s.required_text("EInvoiceName")?,
        e_invoice_code: s.required_text("EInvoiceCode")?,
        e_invoice_number: s.required_text("EInvoiceNumber")?,
        random_number: s.required_text("RandomNumber")?,
        e_invoice_specimen_code: s.text("EInvoiceSpecimenCode")?,
        supervisor_area_code: s.required_text("SupervisorAreaCode")?,
        total_amount: amount(s.required_text("TotalAmount")?),
        total_amount_capital: s.text("TotalAmountCapital")?,
        issue_date: s.required_text("IssueDate")?,
        issue_time: s.required_text("IssueTime")?,
        invoicing_party,
        payer_party,
        pay_mode: s.text("PayMode")?,
        biz_code: s.text("BizCode")?,
        currency_type: s.text("CurrencyType")?.unwrap_or_else(|| "CNY".to_string()),
        exchange_rate: s.text("ExchangeRate")?,
        remark: s.text("Remark")?,
        handling_person: s.text("HandlingPerson")?,
        checker: s.text("Checker")?,
        supervisor_remark: s.text("SupervisorRemark")?,
        main_ext,
        invoicing_party_seal: s
            .optional("InvoicingPartySeal")
            .map(parse_seal)
            .transpose()?,
        supervisor_party_seal: s
            .optional("SupervisorPartySeal")
            .map(parse_seal)
            .transpose()?,
        extra: s.extra_fields()?,
    };
    Ok((main, payer_code))
}

fn parse_seal(node: Node<'_, '_>) -> Result<Seal, FormatError> {
    // Not tolerant (see the parties in `parse_main`).
    let s = Singles::collect(node, SEAL_FIELDS, false)?;
    Ok(Seal {
        seal_id: s.text("SealId")?,
        seal_name: s.text("SealName")?,
        seal_hash: s.text("SealHash")?,
    })
}

const ITEM_FIELDS: &[&str] = &[
    "ItemCode",
    "ItemName",
    "ItemQuantity",
    "ItemUnit",
    "ItemStd",
    "ItemAmount",
    "ItemRemark",
    "ItemExt",
];

fn parse_items(node: Node<'_, '_>, limits: &Limits) -> Result<Vec<Item>, FormatError> {
    let mut items = Vec::new();
    for child in list_children(node, "Item")? {
        if items.len() == limits.max_items {
            return Err(FormatError::new(
                "limits.items",
                format!("Item 数量超过上限 {}", limits.max_items),
                format!("more Item elements than the bound of {}", limits.max_items),
            ));
        }
        let s = Singles::collect(child, ITEM_FIELDS, true)?;
        items.push(Item {
            code: s.text("ItemCode")?,
            name: s.required_text("ItemName")?,
            quantity: s.text("ItemQuantity")?,
            unit: s.text("ItemUnit")?,
            std: s.text("ItemStd")?,
            amount: amount(s.required_text("ItemAmount")?),
            remark: s.text("ItemRemark")?,
            item_ext: match s.optional("ItemExt") {
                Some(n) => Singles::collect(n, &[], true)?.extra_fields()?,
                None => Vec::new(),
            },
            extra: s.extra_fields()?,
        });
    }
    if items.is_empty() {
        return Err(missing("Details", "Item"));
    }
    Ok(items)
}

const AUX_FIELDS: &[&str] = &[
    "AuxItemRelatedCode",
    "AuxItemRelatedName",
    "AuxItemCode",
    "AuxItemName",
    "AuxItemQuantity",
    "AuxItemUnit",
    "AuxItemStd",
    "AuxItemAmount",
    "AuxItemRemark",
];

fn parse_aux_items(node: Node<'_, '_>) -> Result<Vec<AuxItem>, FormatError> {
    list_children(node, "AuxItem")?
        .into_iter()
        .map(|child| {
            let s = Singles::collect(child, AUX_FIELDS, true)?;
            Ok(AuxItem {
                related_code: s.text("AuxItemRelatedCode")?,
                related_name: s.text("AuxItemRelatedName")?,
                code: s.text("AuxItemCode")?,
                name: s.text("AuxItemName")?,
                quantity: s.text("AuxItemQuantity")?,
                unit: s.text("AuxItemUnit")?,
                std: s.text("AuxItemStd")?,
                amount: s.text("AuxItemAmount")?,
                remark: s.text("AuxItemRemark")?,
                extra: s.extra_fields()?,
            })
        })
        .collect()
}

/// The children of a list element (`Details`, `AuxDetails`), all named `item`.
fn list_children<'a, 'i>(node: Node<'a, 'i>, item: &str) -> Result<Vec<Node<'a, 'i>>, FormatError> {
    let parent = node.tag_name().name();
    let mut out = Vec::new();
    for child in node.children() {
        if child.is_text() && !is_blank(child.text().unwrap_or("")) {
            return Err(FormatError::new(
                "document.structure",
                format!("<{parent}> 中含有多余的文本"),
                format!("<{parent}> holds stray text between its elements"),
            ));
        }
        if child.is_element() {
            require_name(
                child,
                item,
                &format!("<{parent}> 的子元素"),
                &format!("each child of <{parent}>"),
            )?;
            out.push(child);
        }
    }
    Ok(out)
}

fn parse_signatures(node: Node<'_, '_>) -> Result<[SignatureXml; 2], FormatError> {
    let children = list_children(node, "Signature")?;
    let [unit, supervisor] = children.as_slice() else {
        return Err(FormatError::new(
            "document.signatures",
            format!(
                "EInvoiceSignature 必须恰好含两个 Signature，实有 {} 个",
                children.len()
            ),
            format!(
                "EInvoiceSignature must hold exactly two Signature elements, found {}",
                children.len()
            ),
        ));
    };
    Ok([
        parse_signature(*unit, Role::InvoicingParty)?,
        parse_signature(*supervisor, Role::Supervisor)?,
    ])
}

fn parse_signature(node: Node<'_, '_>, role: Role) -> Result<SignatureXml, FormatError> {
    let id = node.attribute("Id").unwrap_or("");
    if id != role.as_str() {
        let position = match role {
            Role::InvoicingParty => ("第一个", "first"),
            Role::Supervisor => ("第二个", "second"),
        };
        return Err(FormatError::new(
            "document.signatures",
            format!(
                "{} Signature 的 Id 应为 {}，实为“{id}”",
                position.0,
                role.as_str()
            ),
            format!(
                "the {} Signature must have Id {}, found \"{id}\"",
                position.1,
                role.as_str()
            ),
        ));
    }
    let s = Singles::collect(
        node,
        &["SignedInfo", "SignatureTime", "SignatureValue", "KeyInfo"],
        false,
    )?;
    let info = Singles::collect(
        s.required("SignedInfo")?,
        &["Reference", "SignatureAlgorithm", "SignatureFormat"],
        false,
    )?;
    let format = info.required_text("SignatureFormat")?;
    if format != "RAW" && format != "DETACH" {
        return Err(FormatError::new(
            "signature.format",
            format!(
                "{} 签名的 SignatureFormat“{format}”未知（应为 RAW 或 DETACH）",
                role.as_str()
            ),
            format!(
                "{} signature has an unknown SignatureFormat \"{format}\" (RAW or DETACH)",
                role.as_str()
            ),
        ));
    }
    let key_info = match s.optional("KeyInfo") {
        Some(n) => {
            let k = Singles::collect(
                n,
                &["SerialNumber", "X509IssuerName", "X509Certificate"],
                false,
            )?;
            Some(KeyInfoXml {
                serial_number: k.text("SerialNumber")?,
                issuer_name: k.text("X509IssuerName")?,
                certificate: k.text("X509Certificate")?,
            })
        }
        None => None,
    };
    Ok(SignatureXml {
        role,
        reference: info.required_text("Reference")?,
        algorithm: info.required_text("SignatureAlgorithm")?,
        format,
        time: s.required_text("SignatureTime")?,
        value: s.required_text("SignatureValue")?,
        key_info,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIG: &str = "<Signature Id=\"InvoicingParty\"><SignedInfo><Reference>Header EInvoiceData</Reference>\
        <SignatureAlgorithm>SM2</SignatureAlgorithm><SignatureFormat>RAW</SignatureFormat></SignedInfo>\
        <SignatureTime>20250101120000</SignatureTime><SignatureValue>AA==</SignatureValue></Signature>\
        <Signature Id=\"Supervisor\"><SignedInfo><Reference>Header EInvoiceData InvoicingParty</Reference>\
        <SignatureAlgorithm>SM2</SignatureAlgorithm><SignatureFormat>DETACH</SignatureFormat></SignedInfo>\
        <SignatureTime>20250101120100</SignatureTime><SignatureValue>AA==</SignatureValue></Signature>";

    fn bill(main_extra: &str, data_extra: &str, sigs: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EInvoice><Header><EInvoiceTag>CZ-EI-44</EInvoiceTag>\
             <Version>1.0</Version></Header><EInvoiceData><Main><EInvoiceName>n</EInvoiceName>\
             <EInvoiceCode>44060225</EInvoiceCode><EInvoiceNumber>0845945805</EInvoiceNumber>\
             <RandomNumber>5bjAr0</RandomNumber><SupervisorAreaCode>440300</SupervisorAreaCode>\
             <TotalAmount>1.00</TotalAmount><IssueDate>20250101</IssueDate><IssueTime>11:59:00</IssueTime>\
             <InvoicingParty><InvoicingPartyCode>812415869</InvoicingPartyCode><InvoicingPartyName>u</InvoicingPartyName></InvoicingParty>\
             <PayerParty><PayerPartyType>1</PayerPartyType><PayerPartyCode>11010519491231002X</PayerPartyCode><PayerPartyName>p</PayerPartyName></PayerParty>\
             {main_extra}</Main><Details><Item><ItemName>i</ItemName><ItemAmount>1.00</ItemAmount></Item></Details>{data_extra}\
             </EInvoiceData><EInvoiceSignature>{sigs}</EInvoiceSignature></EInvoice>"
        )
    }

    fn parse_str(s: &str) -> Result<ParsedBill, FormatError> {
        parse(s.as_bytes(), &Limits::default())
    }

    #[test]
    fn a_minimal_bill_parses_and_b_is_cut_from_the_bytes() {
        let text = bill("<Foo>bar</Foo>", "", SIG);
        let p = parse_str(&text).unwrap();
        let b = &text.as_bytes()[p.signed_range.clone()];
        assert!(b.starts_with(b"<Header>") && b.ends_with(b"</EInvoiceData>"));
        assert_eq!(p.bill.key(), "44060225-0845945805");
        assert_eq!(p.bill.main.extra[0].name, "Foo");
        assert_eq!(
            p.bill.main.payer_party.code.as_deref(),
            Some("110105********002X")
        );
        assert_eq!(p.payer_code.as_deref(), Some("11010519491231002X"));
        assert_eq!(p.bill.main.currency_type, "CNY");
    }

    #[test]
    fn blank_is_what_trim_empties() {
        for text in ["", " ", "\n\t\r ", "\u{3000}", " \u{a0}\n", "\u{c}"] {
            assert!(is_blank(text), "{text:?}");
        }
        for text in ["a", " x ", "\u{200b}", "\n-\n", "\u{3000}票"] {
            assert!(!is_blank(text), "{text:?}");
        }
    }

    #[test]
    fn structural_errors_are_format_failures() {
        let cases = [
            (
                bill("<TotalAmount>2.00</TotalAmount>", "", SIG),
                "document.duplicate",
            ),
            (bill("", "<Main/>", SIG), "document.duplicate"),
            (bill("", "<Extra/>", SIG), "document.unknownElement"),
            (
                bill(
                    "",
                    "",
                    &SIG[..SIG.find("<Signature Id=\"Supervisor\"").unwrap()],
                ),
                "document.signatures",
            ),
            (
                bill("", "", &SIG.replace("DETACH", "PKCS7")),
                "signature.format",
            ),
            (
                bill("", "", &SIG.replace("Id=\"Supervisor\"", "Id=\"Other\"")),
                "document.signatures",
            ),
            (
                bill("", "", &format!("{SIG}<Timestamp/>")),
                "document.structure",
            ),
            (bill("<!-- hidden -->", "", SIG), "document.signedContent"),
            (
                bill("<Remark><![CDATA[x]]></Remark>", "", SIG),
                "document.signedContent",
            ),
            (
                bill("", "", SIG).replace("<RandomNumber>5bjAr0</RandomNumber>", ""),
                "document.required",
            ),
            (
                bill("", "", SIG).replace("<EInvoice>", "<EInvoice><Attachment/>"),
                "document.unknownElement",
            ),
        ];
        for (text, check) in cases {
            let e = parse_str(&text)
                .err()
                .unwrap_or_else(|| panic!("parsed: {text}"));
            assert_eq!(e.check, check, "{text}: {e:?}");
        }
    }

    /// Each defined name has one place (the seal fields two: both seals),
    /// and every parent in the table is itself a defined name, so a chain
    /// of defined names always leads to the root.
    #[test]
    fn the_table_of_defined_places_is_consistent() {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for (parent, names) in PLACES {
            assert!(
                parent.is_empty() || is_defined(parent),
                "parent {parent} is not a defined name"
            );
            for name in *names {
                assert!(belongs_in(name, parent));
                seen.push((name, parent));
            }
        }
        for (name, _) in &seen {
            let parents: Vec<&str> = seen
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, p)| *p)
                .collect();
            if SEAL_FIELDS.contains(name) {
                assert_eq!(
                    parents,
                    ["InvoicingPartySeal", "SupervisorPartySeal"],
                    "{name}"
                );
            } else {
                assert_eq!(parents.len(), 1, "{name} is defined under {parents:?}");
            }
        }
        // A few places as spec §2–§4 give them.
        for (name, parent) in [
            ("TotalAmount", "Main"),
            ("InvoicingPartyCode", "InvoicingParty"),
            ("PayerPartyName", "PayerParty"),
            ("ItemAmount", "Item"),
            ("AuxItemAmount", "AuxItem"),
            ("EInvoiceTag", "Header"),
            ("MainExt", "Main"),
            ("ItemExt", "Item"),
            ("FundPayAmount", "MainExt"),
            ("Item", "Details"),
            ("EInvoiceData", "EInvoice"),
        ] {
            assert!(belongs_in(name, parent), "{name} in {parent}");
        }
        assert!(!belongs_in("PayerPartyName", "InvoicingParty"));
        assert!(!belongs_in("TotalAmount", "MainExt"));
        assert!(!is_defined("CaseNumber"));
    }

    /// Every element name that spec §1–§4 writes (in backticks or as a tag
    /// of the §1 skeleton) is in the table.
    #[test]
    fn every_element_name_of_the_spec_has_a_place() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/spec/ebill-xml.md"
        );
        let Ok(spec) = std::fs::read_to_string(path) else {
            panic!("spec not found at {path}");
        };
        let start = spec.find("## 1.").expect("§1");
        let end = spec.find("## 5.").expect("§5");
        let text = &spec[start..end];
        let is_name = |w: &str| {
            w.len() > 1
                && w.starts_with(|c: char| c.is_ascii_uppercase())
                && w.bytes().all(|b| b.is_ascii_alphanumeric())
        };
        let mut names: Vec<&str> = text
            .split('`')
            .skip(1)
            .step_by(2)
            .flat_map(|quoted| quoted.split([',', ' ']))
            .chain(
                text.split('<')
                    .skip(1)
                    .filter_map(|t| t.trim_start_matches('/').split(['>', ' ']).next()),
            )
            .filter(|w| is_name(w))
            .collect();
        names.sort_unstable();
        names.dedup();
        // Values and placeholders, not element names.
        let values = ["CNY", "NN"];
        let missing: Vec<&&str> = names
            .iter()
            .filter(|n| !values.contains(n) && !is_defined(n))
            .collect();
        assert!(missing.is_empty(), "names without a place: {missing:?}");
        assert!(names.len() > 60, "{names:?}");
    }

    #[test]
    fn a_defined_name_at_another_place_is_a_format_failure() {
        let cases = [
            bill(
                "<MainExt><TotalAmount>9.00</TotalAmount></MainExt>",
                "",
                SIG,
            ),
            bill("<Note><TotalAmount>9.00</TotalAmount></Note>", "", SIG),
            bill("<A><B><EInvoiceNumber>1</EInvoiceNumber></B></A>", "", SIG),
            bill("<MainExt><SealId>1</SealId></MainExt>", "", SIG),
            bill("<X><Main/></X>", "", SIG),
            bill("<X><EInvoice/></X>", "", SIG),
            bill("<X><Signature/></X>", "", SIG),
            bill("", "", SIG).replace(
                "<ItemAmount>1.00</ItemAmount>",
                "<ItemAmount>1.00</ItemAmount><TotalAmount>1.00</TotalAmount>",
            ),
            bill("", "", SIG).replace(
                "<ItemAmount>1.00</ItemAmount>",
                "<ItemAmount>1.00</ItemAmount><ItemExt><Item/></ItemExt>",
            ),
            bill("", "", SIG).replace(
                "</InvoicingPartyName>",
                "</InvoicingPartyName><PayerPartyName>x</PayerPartyName>",
            ),
            bill("", "", SIG).replace("</PayerPartyName>", "</PayerPartyName><RecName>x</RecName>"),
            bill("", "", SIG).replace("</Version>", "</Version><Header/>"),
            // Two siblings of one name, known or not.
            bill("<P>1</P><P>2</P>", "", SIG),
            bill(
                "<MainExt><FundPayAmount>1</FundPayAmount><FundPayAmount>2</FundPayAmount></MainExt>",
                "",
                SIG,
            ),
            bill("<N><L>1</L><L>2</L></N>", "", SIG),
        ];
        for text in cases {
            let e = parse_str(&text)
                .err()
                .unwrap_or_else(|| panic!("parsed: {text}"));
            assert_eq!(e.check, "document.duplicate", "{text}: {e:?}");
        }
    }

    #[test]
    fn text_beside_elements_is_a_format_failure_at_any_depth() {
        for text in [
            bill("<Note>shown<L>1</L></Note>", "", SIG),
            bill("<Note><L>1</L>shown</Note>", "", SIG),
            bill("<MainExt><A>x<B>1</B></A></MainExt>", "", SIG),
        ] {
            let e = parse_str(&text)
                .err()
                .unwrap_or_else(|| panic!("parsed: {text}"));
            assert_eq!(e.check, "document.structure", "{text}: {e:?}");
        }
    }

    #[test]
    fn children_of_one_element_are_bounded_and_told_apart() {
        let children = |n: usize| {
            (0..n)
                .map(|i| format!("<F{i}>1</F{i}>"))
                .collect::<String>()
        };
        let at_bound = bill(
            &format!("<MainExt>{}</MainExt>", children(MAX_CHILDREN)),
            "",
            SIG,
        );
        assert!(parse_str(&at_bound).is_ok());
        let past = bill(
            &format!("<MainExt>{}</MainExt>", children(MAX_CHILDREN + 1)),
            "",
            SIG,
        );
        assert_eq!(
            parse_str(&past).err().map(|e| e.check),
            Some("limits.children")
        );
        // The last of 1024 children repeats the first: still found.
        let mut names = children(MAX_CHILDREN - 1);
        names.push_str("<F0>2</F0>");
        let twice = bill(&format!("<MainExt>{names}</MainExt>"), "", SIG);
        assert_eq!(
            parse_str(&twice).err().map(|e| e.check),
            Some("document.duplicate")
        );
    }

    #[test]
    fn unknown_children_of_parties_and_seals_are_format_failures() {
        let seal = "<InvoicingPartySeal><SealId>1</SealId><Image>x</Image></InvoicingPartySeal>";
        let cases = [
            bill("", "", SIG).replace(
                "</InvoicingPartyName>",
                "</InvoicingPartyName><Alias>x</Alias>",
            ),
            bill("", "", SIG).replace("</PayerPartyName>", "</PayerPartyName><Alias>x</Alias>"),
            bill(seal, "", SIG),
            bill(
                &seal.replace("InvoicingPartySeal", "SupervisorPartySeal"),
                "",
                SIG,
            ),
        ];
        for text in cases {
            let e = parse_str(&text)
                .err()
                .unwrap_or_else(|| panic!("parsed: {text}"));
            assert_eq!(e.check, "document.unknownElement", "{text}: {e:?}");
        }
    }

    #[test]
    fn unknown_elements_where_tolerated_are_carried_through() {
        let text = bill(
            "<MainExt><FundPayAmount>1</FundPayAmount><CaseNumber>C</CaseNumber></MainExt>\
             <N><L>1</L><M>2</M></N>",
            "",
            SIG,
        )
        .replace(
            "<ItemAmount>1.00</ItemAmount>",
            "<ItemAmount>1.00</ItemAmount><ItemExt><SelfPayRatio>0</SelfPayRatio></ItemExt><Spec>a</Spec>",
        );
        let p = parse_str(&text).unwrap();
        assert_eq!(p.bill.main.main_ext.len(), 2);
        assert_eq!(p.bill.main.extra[0].value, "L=1; M=2");
        assert_eq!(p.bill.items[0].item_ext[0].name, "SelfPayRatio");
        assert_eq!(p.bill.items[0].extra[0].name, "Spec");
    }

    #[test]
    fn comments_between_header_and_data_are_fine() {
        let text = bill("", "", SIG).replace("</Header>", "</Header><!-- data follows -->");
        assert!(parse_str(&text).is_ok());
    }

    #[test]
    fn entities_are_decoded() {
        let text = bill("<Remark>A&amp;B &#x4E2D;</Remark>", "", SIG);
        assert_eq!(
            parse_str(&text).unwrap().bill.main.remark.as_deref(),
            Some("A&B 中")
        );
    }
}
