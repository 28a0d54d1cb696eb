//! Distinguished names: display (RFC 4514), attribute values as text,
//! parsing RFC 4514 strings written by issuing systems, and comparisons.

use der::asn1::ObjectIdentifier;
use der::{Any, Decode, Encode, Tag, Tagged};
use x509_cert::name::Name;

use super::oids;
use super::tlv;

/// Short names used when displaying and parsing names. The first name of an
/// OID is the one displayed (RFC 4514 §3 plus the OpenSSL names for the rest).
const NAMES: &[(&str, ObjectIdentifier)] = &[
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
fn short_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    NAMES.iter().find(|(_, o)| o == oid).map(|(n, _)| *n)
}

/// The OID of an attribute type written as a name (case-insensitive) or in
/// dotted form (optionally prefixed `OID.`).
fn attribute_type(name: &str) -> Option<ObjectIdentifier> {
    let name = name.trim();
    if let Some((_, oid)) = NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Some(*oid);
    }
    let dotted = name
        .strip_prefix("OID.")
        .or_else(|| name.strip_prefix("oid."))
        .unwrap_or(name);
    if dotted.starts_with(|c: char| c.is_ascii_digit()) {
        ObjectIdentifier::new(dotted).ok()
    } else {
        None
    }
}

/// The text of a string-typed attribute value: PrintableString, UTF8String,
/// IA5String, VisibleString, NumericString, TeletexString (as Latin-1),
/// BMPString (UTF-16BE). `None` for other types
/// or undecodable contents.
pub(crate) fn value_text(value: &Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::VisibleString
        | Tag::NumericString => core::str::from_utf8(bytes).ok().map(str::to_owned),
        Tag::TeletexString => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
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

/// Decodes a Name from its DER.
pub(crate) fn decode(der: &[u8]) -> Option<Name> {
    Name::from_der(der).ok()
}

/// RFC 4514 string of a Name: RDNs last to first, joined with `,`;
/// multi-valued RDNs joined with `+`. Attribute types by short name when
/// they have one (`CN`, `O`, `serialNumber`, ...); string values shown as
/// text with RFC 4514 escaping; other values, and values of types without a
/// name, as `#` and the hex of their DER.
pub(crate) fn to_rfc4514(name: &Name) -> String {
    let mut out = String::new();
    for (i, rdn) in name
        .iter_rdn()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .enumerate()
    {
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
                _ => {
                    out.push('#');
                    out.push_str(&tlv::hex(&atv.value.to_der().unwrap_or_default()));
                }
            }
        }
    }
    out
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
pub(crate) fn attribute_values(name: &Name, oid: &ObjectIdentifier) -> Vec<String> {
    name.iter()
        .filter(|atv| atv.oid == *oid)
        .map(|atv| value_text(&atv.value).unwrap_or_else(|| hex_value(&atv.value)))
        .collect()
}

fn hex_value(value: &Any) -> String {
    format!("#{}", tlv::hex(&value.to_der().unwrap_or_default()))
}

/// A comparable (type, value) pair: the value trimmed and lower-cased when
/// it is text, `#hex` of its DER otherwise.
type Pair = (ObjectIdentifier, String);

fn comparable(value_text: Option<String>, value: impl FnOnce() -> String) -> String {
    match value_text {
        Some(t) => t.trim().to_lowercase(),
        None => value().to_lowercase(),
    }
}

/// The Name as a sorted, de-duplicated set of comparable pairs.
fn pair_set(name: &Name) -> Vec<Pair> {
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
            let any = Any::from_der(&der).ok()?;
            comparable(value_text(&any), || hex_value(&any))
        } else {
            String::from_utf8(raw).ok()?.trim().to_lowercase()
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
/// type, value) pairs, values trimmed and compared case-insensitively, RDN
/// order and grouping ignored.
pub(crate) fn matches_rfc4514(name: &Name, text: &str) -> bool {
    match parse_rfc4514(text) {
        Some(pairs) => pairs == pair_set(name),
        None => false,
    }
}

/// Name equality for chaining (RFC 5280 §7.1): the same RDNs in the same
/// order, each with the same attribute types; values equal as DER, or, for
/// string types, equal after trimming, collapsing inner white space and
/// case folding (a simplified RFC 4518 caseIgnoreMatch).
pub(crate) fn names_equal(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return true;
    }
    let (Some(na), Some(nb)) = (decode(a), decode(b)) else {
        return false;
    };
    if na == nb {
        return true;
    }
    let ra: Vec<_> = na.iter_rdn().collect();
    let rb: Vec<_> = nb.iter_rdn().collect();
    ra.len() == rb.len()
        && ra.iter().zip(rb.iter()).all(|(x, y)| {
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

fn values_equal(a: &Any, b: &Any) -> bool {
    if a == b {
        return true;
    }
    match (value_text(a), value_text(b)) {
        (Some(x), Some(y)) => fold(&x) == fold(&y),
        _ => false,
    }
}

fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::str::FromStr;

    fn name(s: &str) -> Name {
        Name::from_str(s).unwrap()
    }

    #[test]
    fn display_is_rfc4514() {
        let n = name("CN=Test\\, Inc.,O=Piaoyan,C=CN");
        assert_eq!(to_rfc4514(&n), "CN=Test\\, Inc.,O=Piaoyan,C=CN");
        let n = name("CN=深圳市第三人民医院+2.5.4.5=812415869,C=CN");
        let s = to_rfc4514(&n);
        assert!(
            s.starts_with("CN=深圳市第三人民医院+serialNumber=812415869")
                || s.starts_with("serialNumber=812415869+CN=深圳市第三人民医院"),
            "{s}"
        );
        let n = name("1.2.3.4=abc");
        assert_eq!(to_rfc4514(&n), "1.2.3.4=#0c03616263");
        let n = name("CN=\\ lead#");
        assert_eq!(to_rfc4514(&n), "CN=\\ lead#");
    }

    #[test]
    fn rfc4514_matching() {
        let n = name("CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN");
        for ok in [
            "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN",
            "C=CN,O=Piaoyan Test PKI,OU=Fiscal E-Bill,CN=Piaoyan Test SM2 Issuing CA",
            "cn = piaoyan test sm2 issuing ca , ou=FISCAL E-BILL; o=Piaoyan Test PKI, c=cn",
            "CN=Piaoyan Test SM2 Issuing CA+OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN",
            "2.5.4.3=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan\\20Test PKI,OID.2.5.4.6=CN",
            "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=#1302434e",
        ] {
            assert!(matches_rfc4514(&n, ok), "{ok}");
        }
        for bad in [
            "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI",
            "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN,L=X",
            "CN=Piaoyan Test SM2 Issuing,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN",
            "CN=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN,",
            "XX=Piaoyan Test SM2 Issuing CA,OU=Fiscal E-Bill,O=Piaoyan Test PKI,C=CN",
            "CN=Piaoyan Test SM2 Issuing CA\\",
            "garbage",
            "",
        ] {
            assert!(!matches_rfc4514(&n, bad), "{bad}");
        }
        let n = name("CN=Test\\, Inc.,O=A\\+B");
        assert!(matches_rfc4514(&n, "CN=Test\\, Inc.,O=A\\+B"));
        assert!(matches_rfc4514(&n, "CN=Test\\2C Inc.,O=A\\2bB"));
        assert!(!matches_rfc4514(&n, "CN=Test, Inc.,O=A+B"));
        let n = name("CN=深圳市第三人民医院");
        assert!(matches_rfc4514(
            &n,
            "CN=\\E6\\B7\\B1\\E5\\9C\\B3\\E5\\B8\\82\\E7\\AC\\AC\\E4\\B8\\89\\E4\\BA\\BA\\E6\\B0\\91\\E5\\8C\\BB\\E9\\99\\A2"
        ));
        assert!(matches_rfc4514(&n, " CN = 深圳市第三人民医院 "));
    }

    #[test]
    fn chaining_equality() {
        let a = name("CN=Piaoyan CA,O=Test,C=CN").to_der().unwrap();
        let b = name("CN=piaoyan  ca,O=Test,C=CN").to_der().unwrap();
        let c = name("CN=Other,O=Test,C=CN").to_der().unwrap();
        let d = name("O=Test,CN=Piaoyan CA,C=CN").to_der().unwrap();
        assert!(names_equal(&a, &a));
        assert!(names_equal(&a, &b));
        assert!(!names_equal(&a, &c));
        assert!(!names_equal(&a, &d));
        assert!(!names_equal(&a, &[0x30, 0x01]));
    }

    #[test]
    fn value_types() {
        let bmp = Any::new(Tag::BmpString, vec![0x4E, 0x2D, 0x00, 0x41]).unwrap();
        assert_eq!(value_text(&bmp).as_deref(), Some("中A"));
        let t61 = Any::new(Tag::TeletexString, vec![0x41, 0xE9]).unwrap();
        assert_eq!(value_text(&t61).as_deref(), Some("Aé"));
        let odd = Any::new(Tag::BmpString, vec![0x4E]).unwrap();
        assert_eq!(value_text(&odd), None);
        let int = Any::new(Tag::Integer, vec![0x01]).unwrap();
        assert_eq!(value_text(&int), None);
    }
}
