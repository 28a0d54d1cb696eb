//! Distinguished names: display (RFC 4514), attribute values as text,
//! parsing RFC 4514 strings written by issuing systems, and comparisons.

#[allow(unused_imports)]
use crate::prelude::*;

use super::oids::{self, Oid};
use super::tlv::{self, Tlv};

/// Short names used when displaying and parsing names. The first name of an
/// OID is the one displayed (RFC 4514 §3 plus the OpenSSL names for the rest).
const NAMES: &[(&str, Oid)] = &[
    ("CN", oids::AT_COMMON_NAME),
    ("C", oids::AT_COUNTRY),
    ("L", oids::AT_LOCALITY),
    ("ST", oids::AT_STATE),
    ("S", oids::AT_STATE),
    ("O", oids::AT_ORGANIZATION),
    ("OU", oids::AT_ORG_UNIT),
    ("STREET", oids::AT_STREET),
    ("DC", oids::AT_DOMAIN_COMPONENT),
    ("UID", oids::AT_USER_ID),
    ("serialNumber", oids::AT_SERIAL_NUMBER),
    ("organizationIdentifier", oids::AT_ORGANIZATION_IDENTIFIER),
    ("emailAddress", oids::AT_EMAIL_ADDRESS),
    ("E", oids::AT_EMAIL_ADDRESS),
    ("EMAIL", oids::AT_EMAIL_ADDRESS),
    ("SN", oids::AT_SURNAME),
    ("surname", oids::AT_SURNAME),
    ("GN", oids::AT_GIVEN_NAME),
    ("givenName", oids::AT_GIVEN_NAME),
    ("title", oids::AT_TITLE),
    ("T", oids::AT_TITLE),
    ("postalCode", oids::AT_POSTAL_CODE),
    ("dnQualifier", oids::AT_DN_QUALIFIER),
];

/// The display name of an attribute type, if it has one.
fn short_name(oid: &Oid) -> Option<&'static str> {
    NAMES.iter().find(|(_, o)| o == oid).map(|(n, _)| *n)
}

/// The OID of an attribute type written as a name (case-insensitive) or in
/// dotted form (optionally prefixed `OID.`).
fn attribute_type(name: &str) -> Option<Oid> {
    let name = name.trim();
    if let Some((_, oid)) = NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Some(*oid);
    }
    let dotted = name
        .strip_prefix("OID.")
        .or_else(|| name.strip_prefix("oid."))
        .unwrap_or(name);
    if dotted.starts_with(|c: char| c.is_ascii_digit()) {
        Oid::from_dotted(dotted)
    } else {
        None
    }
}

/// One attribute of a Name: its type and its value element.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Atv<'a> {
    pub oid: Oid,
    pub value: Tlv<'a>,
    /// The whole AttributeTypeAndValue element.
    raw: &'a [u8],
}

/// A decoded Name: its RDNs in order, the attributes of each in DER SET OF
/// order (the order the encoding must have; a non-DER order is sorted).
#[derive(Clone, Debug)]
pub(crate) struct Name<'a> {
    rdns: Vec<Vec<Atv<'a>>>,
}

impl<'a> Name<'a> {
    /// Every attribute, RDN by RDN.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Atv<'a>> {
        self.rdns.iter().flatten()
    }
}

/// Decodes a Name from its DER: RDNSequence ::= SEQUENCE OF SET OF
/// SEQUENCE { type OBJECT IDENTIFIER, value ANY }.
pub(crate) fn parse(der: &[u8]) -> Result<Name<'_>, &'static str> {
    let seq = tlv::read_all(der)?;
    if seq.tag != tlv::TAG_SEQUENCE {
        return Err("Name is not a SEQUENCE");
    }
    let mut rdns = Vec::new();
    for rdn in tlv::elements(seq.value) {
        let rdn = rdn?;
        if rdn.tag != tlv::TAG_SET {
            return Err("RelativeDistinguishedName is not a SET");
        }
        let mut atvs = Vec::new();
        for atv in tlv::elements(rdn.value) {
            let atv = atv?;
            let mut f =
                tlv::sequence(&atv).map_err(|_| "AttributeTypeAndValue is not a SEQUENCE")?;
            let oid = tlv::oid(&f.any()?)?;
            let value = tlv::any(f.any()?)?;
            f.end()?;
            atvs.push(Atv {
                oid,
                value,
                raw: atv.raw,
            });
        }
        atvs.sort_unstable_by(|a, b| a.raw.cmp(b.raw));
        rdns.push(atvs);
    }
    Ok(Name { rdns })
}

/// The text of a string-typed attribute value: PrintableString, UTF8String,
/// IA5String, VisibleString, NumericString, TeletexString (as Latin-1),
/// BMPString (UTF-16BE). `None` for other types
/// or undecodable contents.
pub(crate) fn value_text(value: &Tlv<'_>) -> Option<String> {
    let bytes = value.value;
    match value.tag {
        tlv::TAG_UTF8_STRING
        | tlv::TAG_PRINTABLE_STRING
        | tlv::TAG_IA5_STRING
        | tlv::TAG_VISIBLE_STRING
        | tlv::TAG_NUMERIC_STRING => core::str::from_utf8(bytes).ok().map(str::to_owned),
        tlv::TAG_TELETEX_STRING => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        tlv::TAG_BMP_STRING => {
            if !bytes.len().is_multiple_of(2) {
                return None;
            }
            let units = bytes.chunks_exact(2).map(|c| {
                u16::from_be_bytes([
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                ])
            });
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        _ => None,
    }
}

/// RFC 4514 string of a Name: RDNs last to first, joined with `,`;
/// multi-valued RDNs joined with `+`. Attribute types by short name when
/// they have one (`CN`, `O`, `serialNumber`, ...); string values shown as
/// text with RFC 4514 escaping; other values, and values of types without a
/// name, as `#` and the hex of their DER.
pub(crate) fn to_rfc4514(name: &Name<'_>) -> String {
    let mut out = String::new();
    for (i, rdn) in name.rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            let named = short_name(&atv.oid);
            match named {
                Some(n) => out.push_str(n),
                None => out.push_str(&atv.oid.to_string()),
            }
            out.push('=');
            match (named, value_text(&atv.value)) {
                (Some(_), Some(text)) => escape_into(&text, &mut out),
                _ => out.push_str(&hex_value(&atv.value)),
            }
        }
    }
    out
}

/// The RFC 4514 string of a Name's DER; `None` when it is not a Name.
pub(crate) fn der_to_rfc4514(der: &[u8]) -> Option<String> {
    parse(der).ok().map(|n| to_rfc4514(&n))
}

/// RFC 4514 §2.4 escaping.
fn escape_into(value: &str, out: &mut String) {
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '\0'..='\x1f' | '\x7f' => {
                out.push('\\');
                out.push_str(&tlv::hex(&[u8::try_from(u32::from(c)).unwrap_or(0)]));
            }
            _ => out.push(c),
        }
    }
}

/// The attribute values of a given type in a Name, as text (string types
/// decoded; other types as `#` + hex DER).
pub(crate) fn attribute_values(name: &Name<'_>, oid: &Oid) -> Vec<String> {
    name.iter()
        .filter(|atv| atv.oid == *oid)
        .map(|atv| value_text(&atv.value).unwrap_or_else(|| hex_value(&atv.value)))
        .collect()
}

fn hex_value(value: &Tlv<'_>) -> String {
    format!("#{}", tlv::hex(value.raw))
}

/// A comparable (type, value) pair: the value trimmed and with ASCII
/// letters lower-cased when it is text, `#hex` of its DER otherwise.
/// Other letters compare exactly.
type Pair = (Oid, String);

fn comparable(value_text: Option<String>, value: impl FnOnce() -> String) -> String {
    match value_text {
        Some(t) => t.trim().to_ascii_lowercase(),
        None => value(),
    }
}

/// The Name as a sorted, de-duplicated set of comparable pairs.
fn pair_set(name: &Name<'_>) -> Vec<Pair> {
    let mut pairs: Vec<Pair> = name
        .iter()
        .map(|atv| {
            (
                atv.oid,
                comparable(value_text(&atv.value), || hex_value(&atv.value)),
            )
        })
        .collect();
    // Equal pairs are identical, so an unstable sort gives the same set
    // (and is smaller code than the stable one).
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Parses an RFC 4514 string into comparable pairs. Accepts `,` or `;`
/// between RDNs and `+` inside them, spaces around types and values,
/// `\` + special character and `\` + two hex digits escapes (UTF-8), and
/// `#hex` BER values. Attribute types: see [`NAMES`] and dotted OIDs.
/// `None` when the string cannot be parsed.
fn parse_rfc4514(text: &str) -> Option<Vec<Pair>> {
    let mut pairs = Vec::new();
    if text.trim().is_empty() {
        return Some(pairs);
    }
    let mut chars = text.chars().peekable();
    loop {
        // Attribute type, up to '='.
        let mut ty = String::new();
        loop {
            match chars.next() {
                Some('=') => break,
                Some(c) => ty.push(c),
                None => return None,
            }
        }
        let oid = attribute_type(&ty)?;
        // Attribute value, up to an unescaped separator.
        let mut raw = Vec::<u8>::new();
        let mut first = true;
        let mut hex_form = false;
        let mut end = None;
        while let Some(c) = chars.next() {
            match c {
                ',' | ';' | '+' => {
                    end = Some(c);
                    break;
                }
                '\\' => {
                    let next = chars.next()?;
                    if next.is_ascii_hexdigit() {
                        let low = chars.next()?;
                        let hi = next.to_digit(16)?;
                        let lo = low.to_digit(16)?;
                        raw.push(u8::try_from(hi * 16 + lo).ok()?);
                    } else {
                        let mut buf = [0u8; 4];
                        raw.extend_from_slice(next.encode_utf8(&mut buf).as_bytes());
                    }
                }
                '#' if first && raw.iter().all(u8::is_ascii_whitespace) => {
                    hex_form = true;
                    raw.clear();
                }
                _ => {
                    let mut buf = [0u8; 4];
                    raw.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
            if !c.is_whitespace() {
                first = false;
            }
        }
        let value = if hex_form {
            let hex = core::str::from_utf8(&raw).ok()?.trim();
            let der = tlv::unhex(hex)?;
            let any = tlv::read_all(&der).ok()?;
            comparable(value_text(&any), || hex_value(&any))
        } else {
            String::from_utf8(raw).ok()?.trim().to_ascii_lowercase()
        };
        pairs.push((oid, value));
        if end.is_none() {
            break;
        }
        // A trailing separator is an error.
        chars.peek()?;
    }
    // Equal pairs are identical, so an unstable sort gives the same set
    // (and is smaller code than the stable one).
    pairs.sort_unstable();
    pairs.dedup();
    Some(pairs)
}

/// Whether an RFC 4514 string names `name`: the same set of (attribute
/// type, value) pairs, values trimmed and compared with ASCII letters
/// case-insensitive (other characters exactly), RDN order and grouping
/// ignored.
pub(crate) fn matches_rfc4514(name: &Name<'_>, text: &str) -> bool {
    match parse_rfc4514(text) {
        Some(pairs) => pairs == pair_set(name),
        None => false,
    }
}

/// Name equality for chaining (RFC 5280 §7.1): the same RDNs in the same
/// order, each with the same attribute types; values equal as DER, or, for
/// string types, equal after trimming, collapsing inner white space and
/// folding ASCII letters to lower case (a simplified RFC 4518
/// caseIgnoreMatch; other letters compare exactly, as in rustls-webpki,
/// which compares names octet for octet).
pub(crate) fn names_equal(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return true;
    }
    let (Ok(na), Ok(nb)) = (parse(a), parse(b)) else {
        return false;
    };
    na.rdns.len() == nb.rdns.len()
        && na.rdns.iter().zip(nb.rdns.iter()).all(|(x, y)| {
            x.len() == y.len()
                && x.iter().all(|ax| {
                    y.iter()
                        .any(|ay| ax.oid == ay.oid && values_equal(&ax.value, &ay.value))
                })
                && y.iter().all(|ay| {
                    x.iter()
                        .any(|ax| ax.oid == ay.oid && values_equal(&ax.value, &ay.value))
                })
        })
}

fn values_equal(a: &Tlv<'_>, b: &Tlv<'_>) -> bool {
    if a.raw == b.raw {
        return true;
    }
    match (value_text(a), value_text(b)) {
        (Some(x), Some(y)) => fold(&x) == fold(&y),
        _ => false,
    }
}

fn fold(s: &str) -> String {
    crate::text::join(s.split_whitespace(), " ").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match content.len() {
            n @ 0..=0x7F => out.push(n as u8),
            n @ 0x80..=0xFF => out.extend([0x81, n as u8]),
            n => out.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        out.extend_from_slice(content);
        out
    }

    /// Splits at unescaped `sep`, keeping escapes.
    fn split(s: &str, sep: char) -> Vec<String> {
        let mut parts = vec![String::new()];
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                let last = parts.last_mut().unwrap();
                last.push(c);
                last.extend(chars.next());
            } else if c == sep {
                parts.push(String::new());
            } else {
                parts.last_mut().unwrap().push(c);
            }
        }
        parts
    }

    /// The DER of a Name written as a simple RFC 4514 string (`\x`
    /// escapes only), values as UTF8String.
    fn name_der(s: &str) -> Vec<u8> {
        let mut rdns = Vec::new();
        for rdn in split(s, ',').iter().rev() {
            let mut atvs: Vec<Vec<u8>> = split(rdn, '+')
                .iter()
                .map(|atv| {
                    let (ty, value) = atv.split_once('=').unwrap();
                    let mut value = value.chars();
                    let mut text = String::new();
                    while let Some(c) = value.next() {
                        text.extend(if c == '\\' { value.next() } else { Some(c) });
                    }
                    let oid = attribute_type(ty).unwrap();
                    let mut body = element(tlv::TAG_OID, oid.as_bytes());
                    body.extend(element(tlv::TAG_UTF8_STRING, text.as_bytes()));
                    element(tlv::TAG_SEQUENCE, &body)
                })
                .collect();
            atvs.sort();
            rdns.extend(element(tlv::TAG_SET, &atvs.concat()));
        }
        element(tlv::TAG_SEQUENCE, &rdns)
    }

    fn display(s: &str) -> String {
        der_to_rfc4514(&name_der(s)).unwrap()
    }

    fn matches(name: &str, text: &str) -> bool {
        matches_rfc4514(&parse(&name_der(name)).unwrap(), text)
    }

    #[test]
    fn display_is_rfc4514() {
        assert_eq!(
            display("CN=Test\\, Inc.,O=Piaoyan,C=CN"),
            "CN=Test\\, Inc.,O=Piaoyan,C=CN"
        );
        // Multi-valued RDNs in DER SET OF order (the shorter element first).
        assert_eq!(
            display("CN=深圳市第三人民医院+2.5.4.5=812415869,C=CN"),
            "serialNumber=812415869+CN=深圳市第三人民医院,C=CN"
        );
        assert_eq!(display("1.2.3.4=abc"), "1.2.3.4=#0c03616263");
        assert_eq!(display("CN=\\ lead#"), "CN=\\ lead#");
        assert_eq!(der_to_rfc4514(&[0x30, 0x01]), None);
    }

    #[test]
    fn strict_decoding() {
        // An empty Name, and an RDN whose SET is empty, are Names.
        assert!(parse(&[0x30, 0x00]).is_ok());
        assert!(parse(&[0x30, 0x02, 0x31, 0x00]).is_ok());
        for bad in [
            &[0x31, 0x00][..],
            &[0x30, 0x02, 0x30, 0x00],
            &[0x30, 0x04, 0x31, 0x02, 0x31, 0x00],
            // An attribute without a value, with two values, with a bad OID.
            &[0x30, 0x07, 0x31, 0x05, 0x30, 0x03, 0x06, 0x01, 0x2A],
            &[
                0x30, 0x0B, 0x31, 0x09, 0x30, 0x07, 0x06, 0x01, 0x2A, 0x05, 0x00, 0x05, 0x00,
            ],
            &[
                0x30, 0x09, 0x31, 0x07, 0x30, 0x05, 0x06, 0x01, 0x80, 0x05, 0x00,
            ],
            &[0x30, 0x02, 0x31, 0x00, 0x00],
        ] {
            assert!(parse(bad).is_err(), "{bad:02x?}");
        }
    }

    #[test]
    fn rfc4514_matching() {
        let n = "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN";
        for ok in [
            "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN",
            "C=CN,O=Piaoyan Test PKI,OU=Fiscal E-Bill,CN=Piaoyan Test SM2 Issuing CA",
            "cn = piaoyan test sm2 issuing ca , ou=FISCAL E-BILL; o=Piaoyan Test PKI, c=cn",
            "CN=Piaoyan Test SM2 Issuing CA+OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN",
            "2.5.4.3=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan\\20Test PKI,OID.2.5.4.6=CN",
            "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=#1302434e",
        ] {
            assert!(matches(n, ok), "{ok}");
        }
        for bad in [
            "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI",
            "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN,L=X",
            "CN=Piaoyan Test SM2 Issuing,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN",
            "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN,",
            "XX=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN",
            "CN=Piaoyan Test SM2 Issuing CA\\",
            "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=#1302434e00",
            "1.2=x,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN",
            "garbage",
            "",
        ] {
            assert!(!matches(n, bad), "{bad}");
        }
        let n = "CN=Test\\, Inc.,O=A\\+B";
        assert!(matches(n, "CN=Test\\, Inc.,O=A\\+B"));
        assert!(matches(n, "CN=Test\\2C Inc.,O=A\\2bB"));
        assert!(!matches(n, "CN=Test, Inc.,O=A+B"));
        let n = "CN=深圳市第三人民医院";
        assert!(matches(
            n,
            "CN=\\E6\\B7\\B1\\E5\\9C\\B3\\E5\\B8\\82\\E7\\AC\\AC\\E4\\B8\\89\\E4\\BA\\BA\\E6\\B0\\91\\E5\\8C\\BB\\E9\\99\\A2"
        ));
        assert!(matches(n, " CN = 深圳市第三人民医院 "));
        // ASCII letters fold; other letters compare exactly.
        assert!(matches("CN=ABC Straße", "CN=abc straße"));
        assert!(!matches("CN=Ärger", "CN=ärger"));
        assert!(!matches("CN=ΣΑ", "CN=σα"));
    }

    #[test]
    fn chaining_equality() {
        let a = name_der("CN=Piaoyan CA,O=Test,C=CN");
        let b = name_der("CN=piaoyan  ca,O=Test,C=CN");
        let c = name_der("CN=Other,O=Test,C=CN");
        let d = name_der("O=Test,CN=Piaoyan CA,C=CN");
        assert!(names_equal(&a, &a));
        assert!(names_equal(&a, &b));
        assert!(!names_equal(&a, &c));
        assert!(!names_equal(&a, &d));
        assert!(!names_equal(&a, &[0x30, 0x01]));
        // Multi-valued RDNs match in any order.
        let m1 = name_der("CN=X+O=Y");
        let (set, _) = tlv::expect(&m1[2..], tlv::TAG_SET).unwrap();
        let mut atvs: Vec<&[u8]> = tlv::elements(set.value).map(|a| a.unwrap().raw).collect();
        atvs.reverse();
        let m2 = element(tlv::TAG_SEQUENCE, &element(tlv::TAG_SET, &atvs.concat()));
        assert!(names_equal(&m1, &m2) && m1 != m2);
        assert_eq!(der_to_rfc4514(&m2).unwrap(), der_to_rfc4514(&m1).unwrap());
        // Non-ASCII letters are compared exactly.
        assert!(names_equal(&name_der("CN=Ab"), &name_der("CN=aB")));
        assert!(!names_equal(&name_der("CN=Éa"), &name_der("CN=éa")));
        assert!(names_equal(
            &name_der("CN=a\u{3000}b"),
            &name_der("CN= a b")
        ));
    }

    #[test]
    fn value_types() {
        let value = |tag: u8, content: &'static [u8]| Tlv {
            tag,
            value: content,
            raw: &[],
        };
        assert_eq!(
            value_text(&value(tlv::TAG_BMP_STRING, &[0x4E, 0x2D, 0x00, 0x41])).as_deref(),
            Some("中A")
        );
        assert_eq!(
            value_text(&value(tlv::TAG_TELETEX_STRING, &[0x41, 0xE9])).as_deref(),
            Some("Aé")
        );
        assert_eq!(value_text(&value(tlv::TAG_BMP_STRING, &[0x4E])), None);
        assert_eq!(value_text(&value(tlv::TAG_INTEGER, &[0x01])), None);
    }
}
