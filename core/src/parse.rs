//! From the XML tree to the bill model and the raw signature elements
//! (spec §1–§5). Everything here is a FORMAT_FAILURE when wrong; value rules
//! (formats of codes, sums, ...) are checked later in `rules`.

use std::ops::Range;

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
    let parts = Singles::collect(
        root,
        &["Header", "EInvoiceData", "EInvoiceSignature"],
        false,
    )?;
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
        check_plain_content(n, doc.input_text())?;
    }
    let signed_range =
        loaded.offset + header_node.range().start..loaded.offset + data_node.range().end;

    let header = parse_header(header_node)?;
    let data = Singles::collect(data_node, &["Main", "Details", "AuxDetails"], false)?;
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
    parent: String,
    /// At most one child per name of the (short) list of known names: a
    /// linear search, smaller code in the WebAssembly module than a map.
    known: Vec<(&'static str, Node<'a, 'i>)>,
    extras: Vec<Node<'a, 'i>>,
}

impl<'a, 'i> Singles<'a, 'i> {
    fn collect(
        parent: Node<'a, 'i>,
        names: &[&'static str],
        allow_unknown: bool,
    ) -> Result<Singles<'a, 'i>, FormatError> {
        let parent_name = parent.tag_name().name().to_string();
        let mut known: Vec<(&'static str, Node<'a, 'i>)> = Vec::new();
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
            match names.iter().find(|n| **n == name) {
                Some(n) if tag.namespace().is_none() => {
                    if known.iter().any(|(k, _)| k == n) {
                        return Err(FormatError::new(
                            "document.duplicate",
                            format!("<{parent_name}> 中 <{name}> 出现了两次"),
                            format!("<{name}> occurs twice in <{parent_name}>"),
                        ));
                    }
                    known.push((*n, child));
                }
                _ if allow_unknown => extras.push(child),
                _ => {
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
            known,
            extras,
        })
    }

    fn optional(&self, name: &str) -> Option<Node<'a, 'i>> {
        self.known
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, node)| *node)
    }

    fn required(&self, name: &str) -> Result<Node<'a, 'i>, FormatError> {
        self.optional(name)
            .ok_or_else(|| missing(&self.parent, name))
    }

    fn text(&self, name: &str) -> Result<Option<String>, FormatError> {
        self.optional(name)
            .map(|n| leaf(n, &self.parent))
            .transpose()
    }

    fn required_text(&self, name: &str) -> Result<String, FormatError> {
        leaf(self.required(name)?, &self.parent)
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
            .collect::<Result<Vec<_>, FormatError>>()?
            .join("; "),
    };
    Ok(ExtraField {
        name: node.tag_name().name().to_string(),
        value,
    })
}

fn parse_header(node: Node<'_, '_>) -> Result<Header, FormatError> {
    let s = Singles::collect(node, &["EInvoiceTag", "EInvoiceID", "Version"], false)?;
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
    let ip = Singles::collect(
        s.required("InvoicingParty")?,
        &[
            "InvoicingPartyCode",
            "InvoicingPartyName",
            "RecName",
            "RecAcct",
            "RecOpBk",
        ],
        true,
    )?;
    let invoicing_party = InvoicingParty {
        code: ip.required_text("InvoicingPartyCode")?,
        name: ip.required_text("InvoicingPartyName")?,
        rec_name: ip.text("RecName")?,
        rec_acct: ip.text("RecAcct")?,
        rec_op_bk: ip.text("RecOpBk")?,
    };
    let payer = Singles::collect(
        s.required("PayerParty")?,
        &[
            "PayerPartyType",
            "PayerPartyCode",
            "PayerPartyName",
            "PayerAcct",
            "PayerOpBk",
        ],
        true,
    )?;
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
    let s = Singles::collect(node, &["SealId", "SealName", "SealHash"], true)?;
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
