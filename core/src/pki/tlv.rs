//! A minimal, strict DER tag-length-value reader and the few ASN.1 types
//! the PKI layer needs.
//!
//! Signatures are over exact octets (a certificate's `tbsCertificate`, a
//! CMS `signedAttrs`), so this reader walks the structure and hands out the
//! raw slices. It accepts DER only: low tag numbers, definite lengths in
//! their shortest form, minimal INTEGERs, BOOLEANs as 00 or FF, times in
//! the RFC 5280 forms (`YYMMDDHHMMSSZ`, `YYYYMMDDHHMMSSZ`).

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

use crate::time::Date;

/// One DER element borrowed from its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet (class, constructed bit and tag number).
    pub tag: u8,
    /// The contents octets.
    pub value: &'a [u8],
    /// The whole element: identifier, length and contents octets.
    pub raw: &'a [u8],
}

pub(crate) const TAG_BOOLEAN: u8 = 0x01;
pub(crate) const TAG_INTEGER: u8 = 0x02;
pub(crate) const TAG_BIT_STRING: u8 = 0x03;
pub(crate) const TAG_OCTET_STRING: u8 = 0x04;
pub(crate) const TAG_NULL: u8 = 0x05;
pub(crate) const TAG_OID: u8 = 0x06;
pub(crate) const TAG_ENUMERATED: u8 = 0x0A;
pub(crate) const TAG_UTF8_STRING: u8 = 0x0C;
pub(crate) const TAG_NUMERIC_STRING: u8 = 0x12;
pub(crate) const TAG_PRINTABLE_STRING: u8 = 0x13;
pub(crate) const TAG_TELETEX_STRING: u8 = 0x14;
pub(crate) const TAG_IA5_STRING: u8 = 0x16;
pub(crate) const TAG_UTC_TIME: u8 = 0x17;
pub(crate) const TAG_GENERALIZED_TIME: u8 = 0x18;
pub(crate) const TAG_VISIBLE_STRING: u8 = 0x1A;
pub(crate) const TAG_BMP_STRING: u8 = 0x1E;
pub(crate) const TAG_SEQUENCE: u8 = 0x30;
pub(crate) const TAG_SET: u8 = 0x31;

/// `[n]` context-specific, constructed.
pub(crate) const fn context_constructed(n: u8) -> u8 {
    0xA0 | n
}

/// `[n]` context-specific, primitive.
pub(crate) const fn context_primitive(n: u8) -> u8 {
    0x80 | n
}

/// Reads one element from the front of `input`; returns it and the rest.
pub(crate) fn read(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), &'static str> {
    let (&tag, after_tag) = input.split_first().ok_or("unexpected end of data")?;
    if tag & 0x1F == 0x1F {
        return Err("high tag numbers are not supported");
    }
    let (&first, mut rest) = after_tag
        .split_first()
        .ok_or("unexpected end of data in a length")?;
    let len = if first < 0x80 {
        usize::from(first)
    } else if first == 0x80 {
        return Err("indefinite length (BER) is not DER");
    } else {
        let count = usize::from(first & 0x7F);
        if count > 4 {
            return Err("length too large");
        }
        let (len_bytes, after_len) = split(rest, count).ok_or("truncated length")?;
        rest = after_len;
        if len_bytes.first() == Some(&0) {
            return Err("non-minimal length encoding");
        }
        let len = len_bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        if len < 0x80 {
            return Err("non-minimal length encoding");
        }
        len
    };
    let (value, remaining) = split(rest, len).ok_or("length exceeds the data")?;
    let header_len = input.len() - rest.len();
    let raw = input
        .get(..header_len + len)
        .ok_or("length exceeds the data")?;
    Ok((Tlv { tag, value, raw }, remaining))
}

/// Reads exactly one element that spans the whole input.
pub(crate) fn read_all(input: &[u8]) -> Result<Tlv<'_>, &'static str> {
    let (tlv, rest) = read(input)?;
    if rest.is_empty() {
        Ok(tlv)
    } else {
        Err("data after the DER element")
    }
}

/// Reads one element with the expected tag.
pub(crate) fn expect(input: &[u8], tag: u8) -> Result<(Tlv<'_>, &[u8]), &'static str> {
    let (tlv, rest) = read(input)?;
    if tlv.tag == tag {
        Ok((tlv, rest))
    } else {
        Err("unexpected tag")
    }
}

/// Reads an element with the given tag if it comes next.
pub(crate) fn optional(input: &[u8], tag: u8) -> Result<(Option<Tlv<'_>>, &[u8]), &'static str> {
    match input.first() {
        Some(&t) if t == tag => {
            let (tlv, rest) = read(input)?;
            Ok((Some(tlv), rest))
        }
        _ => Ok((None, input)),
    }
}

/// Iterates over consecutive elements (the contents of a SEQUENCE or SET).
pub(crate) fn elements(mut input: &[u8]) -> impl Iterator<Item = Result<Tlv<'_>, &'static str>> {
    core::iter::from_fn(move || {
        if input.is_empty() {
            return None;
        }
        match read(input) {
            Ok((tlv, rest)) => {
                input = rest;
                Some(Ok(tlv))
            }
            Err(e) => {
                input = &[];
                Some(Err(e))
            }
        }
    })
}

fn split(input: &[u8], at: usize) -> Option<(&[u8], &[u8])> {
    if at <= input.len() {
        Some(input.split_at(at))
    } else {
        None
    }
}

/// Reads the elements of a SEQUENCE's contents in order.
pub(crate) struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    pub(crate) fn new(contents: &'a [u8]) -> Self {
        Fields(contents)
    }

    /// The next element, which must have `tag`.
    pub(crate) fn expect(&mut self, tag: u8) -> Result<Tlv<'a>, &'static str> {
        let t = self.any()?;
        if t.tag == tag {
            Ok(t)
        } else {
            Err("unexpected tag")
        }
    }

    /// The next element, whatever its tag.
    pub(crate) fn any(&mut self) -> Result<Tlv<'a>, &'static str> {
        if self.0.is_empty() {
            return Err("missing element");
        }
        let (t, rest) = read(self.0)?;
        self.0 = rest;
        Ok(t)
    }

    /// The next element if it has `tag` (an OPTIONAL or DEFAULT field).
    pub(crate) fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, &'static str> {
        let (t, rest) = optional(self.0, tag)?;
        self.0 = rest;
        Ok(t)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Succeeds when every element was read.
    pub(crate) fn end(&self) -> Result<(), &'static str> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err("unexpected data after the last field")
        }
    }
}

/// The contents of a SEQUENCE element.
pub(crate) fn sequence<'a>(t: &Tlv<'a>) -> Result<Fields<'a>, &'static str> {
    if t.tag == TAG_SEQUENCE {
        Ok(Fields::new(t.value))
    } else {
        Err("not a SEQUENCE")
    }
}

/// The contents of an `[n] EXPLICIT` element: exactly one element.
pub(crate) fn explicit<'a>(t: &Tlv<'a>) -> Result<Tlv<'a>, &'static str> {
    read_all(t.value)
}

/// An OBJECT IDENTIFIER element.
pub(crate) fn oid(t: &Tlv<'_>) -> Result<Oid, &'static str> {
    if t.tag != TAG_OID {
        return Err("not an OBJECT IDENTIFIER");
    }
    Oid::from_der(t.value)
}

/// An INTEGER element's contents octets: two's complement, minimal.
pub(crate) fn integer<'a>(t: &Tlv<'a>) -> Result<&'a [u8], &'static str> {
    if t.tag != TAG_INTEGER {
        return Err("not an INTEGER");
    }
    match t.value {
        [] => Err("empty INTEGER"),
        [0x00, next, ..] if next & 0x80 == 0 => Err("non-minimal INTEGER"),
        [0xFF, next, ..] if next & 0x80 != 0 => Err("non-minimal INTEGER"),
        v => Ok(v),
    }
}

/// A BOOLEAN element (DER: `00` or `FF`).
pub(crate) fn boolean(t: &Tlv<'_>) -> Result<bool, &'static str> {
    match (t.tag, t.value) {
        (TAG_BOOLEAN, [0x00]) => Ok(false),
        (TAG_BOOLEAN, [0xFF]) => Ok(true),
        (TAG_BOOLEAN, _) => Err("BOOLEAN is neither 00 nor FF"),
        _ => Err("not a BOOLEAN"),
    }
}

/// An OCTET STRING element's contents.
pub(crate) fn octet_string<'a>(t: &Tlv<'a>) -> Result<&'a [u8], &'static str> {
    if t.tag == TAG_OCTET_STRING {
        Ok(t.value)
    } else {
        Err("not an OCTET STRING")
    }
}

/// A BIT STRING: the unused-bits count and the octets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BitString<'a> {
    pub unused_bits: u8,
    pub bytes: &'a [u8],
}

impl<'a> BitString<'a> {
    /// From the contents octets of a BIT STRING (also an IMPLICIT one):
    /// at most 7 unused bits, none when there are no octets.
    pub(crate) fn from_contents(value: &'a [u8]) -> Result<Self, &'static str> {
        let (&unused_bits, bytes) = value.split_first().ok_or("empty BIT STRING")?;
        if unused_bits > 7 || (bytes.is_empty() && unused_bits != 0) {
            return Err("bad BIT STRING unused-bits count");
        }
        Ok(BitString { unused_bits, bytes })
    }

    /// The octets when the bit string is a whole number of them.
    pub(crate) fn whole_bytes(&self) -> Option<&'a [u8]> {
        (self.unused_bits == 0).then_some(self.bytes)
    }
}

/// A BIT STRING element.
pub(crate) fn bit_string<'a>(t: &Tlv<'a>) -> Result<BitString<'a>, &'static str> {
    if t.tag != TAG_BIT_STRING {
        return Err("not a BIT STRING");
    }
    BitString::from_contents(t.value)
}

/// AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER,
/// parameters ANY OPTIONAL }.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AlgorithmIdentifier<'a> {
    pub oid: Oid,
    pub parameters: Option<Tlv<'a>>,
}

impl AlgorithmIdentifier<'_> {
    /// Parameters absent or NULL.
    pub(crate) fn parameters_absent_or_null(&self) -> bool {
        self.parameters.is_none_or(|p| is_null(&p))
    }
}

/// An AlgorithmIdentifier element.
pub(crate) fn algorithm_identifier<'a>(
    t: &Tlv<'a>,
) -> Result<AlgorithmIdentifier<'a>, &'static str> {
    let mut f = sequence(t).map_err(|_| "AlgorithmIdentifier is not a SEQUENCE")?;
    let oid = oid(&f.any()?)?;
    let parameters = if f.is_empty() {
        None
    } else {
        Some(any(f.any()?)?)
    };
    f.end()?;
    Ok(AlgorithmIdentifier { oid, parameters })
}

/// An element in an `ANY` position (attribute values, algorithm
/// parameters): any application, context-specific or private tag, or one
/// of the universal types BOOLEAN, INTEGER, BIT STRING, OCTET STRING, NULL,
/// OBJECT IDENTIFIER, REAL, ENUMERATED, UTF8String, RELATIVE-OID,
/// NumericString, PrintableString, TeletexString, VideotexString,
/// IA5String, UTCTime, GeneralizedTime, VisibleString, GeneralString,
/// BMPString, SEQUENCE, SET. Other universal tags (end-of-contents,
/// constructed strings, which DER forbids, and types no certificate
/// profile here uses) are refused, as the `der` crate refused them.
pub(crate) fn any<'a>(t: Tlv<'a>) -> Result<Tlv<'a>, &'static str> {
    match t.tag {
        0x01..=0x06 | 0x09 | 0x0A | 0x0C | 0x0D | 0x12..=0x18 | 0x1A | 0x1B | 0x1E => Ok(t),
        TAG_SEQUENCE | TAG_SET | 0x40..=0xFF => Ok(t),
        _ => Err("unsupported universal tag"),
    }
}

/// A NULL element (empty contents).
pub(crate) fn is_null(t: &Tlv<'_>) -> bool {
    t.tag == TAG_NULL && t.value.is_empty()
}

/// UTCTime (`YYMMDDHHMMSSZ`, 50-99 meaning 19xx) or GeneralizedTime
/// (`YYYYMMDDHHMMSSZ`), as RFC 5280 §4.1.2.5 requires them, from 1970 on:
/// Unix seconds.
pub(crate) fn time(t: &Tlv<'_>) -> Result<i64, &'static str> {
    let malformed = "time is not YYMMDDHHMMSSZ (UTCTime) or YYYYMMDDHHMMSSZ (GeneralizedTime)";
    let mut digits = [0u8; 14];
    match (t.tag, t.value) {
        (TAG_UTC_TIME, [d @ .., b'Z']) if d.len() == 12 => {
            let century: &[u8; 2] = if d.first().is_some_and(|&y| y >= b'5') {
                b"19"
            } else {
                b"20"
            };
            let (c, rest) = digits.split_at_mut(2);
            c.copy_from_slice(century);
            rest.copy_from_slice(d);
        }
        (TAG_GENERALIZED_TIME, [d @ .., b'Z']) if d.len() == 14 => digits.copy_from_slice(d),
        (TAG_UTC_TIME | TAG_GENERALIZED_TIME, _) => return Err(malformed),
        _ => return Err("not a UTCTime or GeneralizedTime"),
    }
    if !digits.iter().all(u8::is_ascii_digit) {
        return Err(malformed);
    }
    let text = core::str::from_utf8(&digits).map_err(|_| malformed)?;
    let number = |range: core::ops::Range<usize>| {
        text.get(range)
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(i64::MAX)
    };
    let date = text
        .get(..8)
        .and_then(Date::parse_compact)
        .ok_or("time is not a calendar date")?;
    let (hour, minute, second) = (number(8..10), number(10..12), number(12..14));
    if hour > 23 || minute > 59 || second > 59 {
        return Err("time of day out of range");
    }
    if date.year < 1970 {
        return Err("time before 1970");
    }
    Ok(date.days_since_epoch() * 86_400 + hour * 3600 + minute * 60 + second)
}

/// The longest OBJECT IDENTIFIER accepted, in contents octets (as the
/// `const-oid` crate).
const OID_MAX_LEN: usize = 39;

/// An OBJECT IDENTIFIER: its DER contents octets (at most 39), shown in
/// dotted form. The first two arcs share the first octet (first arc 0, 1 or
/// 2, second at most 39), other arcs are at most 2^32 - 1 and minimally
/// encoded.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Oid {
    len: u8,
    bytes: [u8; OID_MAX_LEN],
}

impl Oid {
    /// From dotted text, for constants: a compile-time error (a panic at
    /// run time) when `dotted` is not an OID of this form. Parse text from
    /// elsewhere with [`Oid::from_dotted`].
    pub const fn new_unwrap(dotted: &str) -> Oid {
        match Oid::from_dotted(dotted) {
            Some(oid) => oid,
            None => panic!("malformed OID constant"),
        }
    }

    /// Parses dotted text (`1.2.840.10045.2.1`): at least two arcs, decimal
    /// digits only; `None` otherwise or when it does not fit.
    pub const fn from_dotted(dotted: &str) -> Option<Oid> {
        let text = dotted.as_bytes();
        let mut bytes = [0u8; OID_MAX_LEN];
        let mut len = 0usize;
        let mut i = 0usize;
        let mut index = 0usize;
        let mut first = 0u32;
        loop {
            let start = i;
            let mut arc = 0u32;
            while i < text.len() && text[i] != b'.' {
                let c = text[i];
                if !c.is_ascii_digit() {
                    return None;
                }
                arc = match arc.checked_mul(10) {
                    Some(a) => match a.checked_add((c - b'0') as u32) {
                        Some(a) => a,
                        None => return None,
                    },
                    None => return None,
                };
                i += 1;
            }
            if i == start {
                return None;
            }
            if index == 0 {
                if arc > 2 {
                    return None;
                }
                first = arc;
            } else if index == 1 {
                if arc > 39 {
                    return None;
                }
                bytes[0] = (first * 40 + arc) as u8;
                len = 1;
            } else {
                let mut n = 1usize;
                while n < 5 && (arc >> (7 * n as u32)) != 0 {
                    n += 1;
                }
                if len + n > OID_MAX_LEN {
                    return None;
                }
                let mut k = 0usize;
                while k < n {
                    let shift = 7 * (n - 1 - k) as u32;
                    let more = if k + 1 < n { 0x80 } else { 0 };
                    bytes[len + k] = ((arc >> shift) & 0x7F) as u8 | more;
                    k += 1;
                }
                len += n;
            }
            index += 1;
            if i == text.len() {
                break;
            }
            i += 1;
        }
        if index < 2 {
            return None;
        }
        Some(Oid {
            len: len as u8,
            bytes,
        })
    }

    /// From the contents octets of an OBJECT IDENTIFIER element.
    pub fn from_der(contents: &[u8]) -> Result<Oid, &'static str> {
        let (&first, rest) = contents.split_first().ok_or("empty OBJECT IDENTIFIER")?;
        if first >= 120 {
            return Err("OBJECT IDENTIFIER with a first arc above 2 or a second above 39");
        }
        if contents.len() > OID_MAX_LEN {
            return Err("OBJECT IDENTIFIER longer than 39 octets");
        }
        let mut arc = 0u32;
        let mut at_start = true;
        for &b in rest {
            if at_start && b == 0x80 {
                return Err("OBJECT IDENTIFIER arc not minimally encoded");
            }
            arc = arc
                .checked_mul(0x80)
                .and_then(|a| a.checked_add(u32::from(b & 0x7F)))
                .ok_or("OBJECT IDENTIFIER arc above 2^32 - 1")?;
            at_start = b & 0x80 == 0;
            if at_start {
                arc = 0;
            }
        }
        if !at_start {
            return Err("truncated OBJECT IDENTIFIER");
        }
        let mut bytes = [0u8; OID_MAX_LEN];
        bytes
            .get_mut(..contents.len())
            .ok_or("OBJECT IDENTIFIER longer than 39 octets")?
            .copy_from_slice(contents);
        Ok(Oid {
            len: u8::try_from(contents.len()).unwrap_or(0),
            bytes,
        })
    }

    /// The contents octets.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some((&first, rest)) = self.as_bytes().split_first() else {
            return Ok(());
        };
        write!(f, "{}.{}", first / 40, first % 40)?;
        let mut arc = 0u32;
        for &b in rest {
            arc = arc.wrapping_shl(7) | u32::from(b & 0x7F);
            if b & 0x80 == 0 {
                write!(f, ".{arc}")?;
                arc = 0;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A short name for a tag in messages (`INTEGER`, `[0]`, `tag 0x1c`).
pub(crate) fn tag_name(tag: u8) -> String {
    let name = match tag {
        TAG_BOOLEAN => "BOOLEAN",
        TAG_INTEGER => "INTEGER",
        TAG_BIT_STRING => "BIT STRING",
        TAG_OCTET_STRING => "OCTET STRING",
        TAG_NULL => "NULL",
        TAG_OID => "OBJECT IDENTIFIER",
        TAG_SEQUENCE => "SEQUENCE",
        TAG_SET => "SET",
        TAG_UTF8_STRING => "UTF8String",
        TAG_PRINTABLE_STRING => "PrintableString",
        TAG_IA5_STRING => "IA5String",
        TAG_UTC_TIME => "UTCTime",
        TAG_GENERALIZED_TIME => "GeneralizedTime",
        _ if tag & 0xC0 == 0x80 => return format!("[{}]", tag & 0x1F),
        _ => return format!("tag 0x{}", hex(&[tag])),
    };
    name.into()
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
        s.push(char::from(HEX_DIGITS[usize::from(b & 0x0F)]));
    }
    s
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Lower-case hex of a serial number's contents octets with leading zero
/// digits removed (`"0"` for zero).
pub(crate) fn serial_hex(bytes: &[u8]) -> String {
    normalize_serial_hex(&hex(bytes)).unwrap_or_else(|| "0".into())
}

/// Normalises a hexadecimal serial written by a person or another tool:
/// case-insensitive, leading zeros ignored, `:` and whitespace separators
/// ignored. `None` when it is not hexadecimal.
pub(crate) fn normalize_serial_hex(text: &str) -> Option<String> {
    let mut digits = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            digits.push(c.to_ascii_lowercase());
        } else if c == ':' || c.is_whitespace() {
            continue;
        } else {
            return None;
        }
    }
    if digits.is_empty() {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    Some(if trimmed.is_empty() {
        "0".into()
    } else {
        trimmed.into()
    })
}

/// Decodes hex digits (either case) into bytes.
pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| {
            let hi = char::from(*pair.first()?).to_digit(16)?;
            let lo = char::from(*pair.get(1)?).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let (t, rest) = read(&[0x04, 0x02, 0xAA, 0xBB, 0x05]).unwrap();
        assert_eq!(t.tag, 0x04);
        assert_eq!(t.value, &[0xAA, 0xBB]);
        assert_eq!(t.raw, &[0x04, 0x02, 0xAA, 0xBB]);
        assert_eq!(rest, &[0x05]);

        let mut long = vec![0x04, 0x81, 0x80];
        long.extend(core::iter::repeat_n(7u8, 0x80));
        let (t, rest) = read(&long).unwrap();
        assert_eq!(t.value.len(), 0x80);
        assert!(rest.is_empty());
    }

    #[test]
    fn rejects_non_der_lengths() {
        assert!(read(&[0x04, 0x81, 0x05, 1, 2, 3, 4, 5]).is_err());
        assert!(read(&[0x04, 0x82, 0x00, 0x80]).is_err());
        assert!(read(&[0x30, 0x80, 0x00, 0x00]).is_err());
        assert!(read(&[0x04, 0x05, 1]).is_err());
        assert!(read(&[0x1F, 0x01, 0x00]).is_err());
        assert!(read(&[]).is_err());
        assert!(read(&[0x04]).is_err());
        assert!(read(&[0x04, 0x85, 1, 1, 1, 1, 1]).is_err());
    }

    #[test]
    fn oids() {
        for dotted in [
            "1.2.840.10045.2.1",
            "1.2.156.10197.1.501",
            "2.5.29.15",
            "0.9.2342.19200300.100.1.25",
            "2.39.4294967295",
            "1.2",
        ] {
            let oid = Oid::from_dotted(dotted).unwrap();
            assert_eq!(oid.to_string(), dotted);
            assert_eq!(Oid::from_der(oid.as_bytes()), Ok(oid));
        }
        assert_eq!(
            Oid::new_unwrap("1.2.840.10045.2.1").as_bytes(),
            &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
        );
        for bad in [
            "",
            "1",
            "3.1",
            "1.40",
            "1..2",
            "1.2.",
            ".1.2",
            "1.2.a",
            "1.2.4294967296",
        ] {
            assert_eq!(Oid::from_dotted(bad), None, "{bad}");
        }
        // 13 arcs of 5 octets do not fit in 39 octets.
        assert_eq!(
            Oid::from_dotted(&format!("1.2{}", ".4294967295".repeat(8))),
            None
        );
        for bad in [
            &[][..],
            &[0x78],
            &[0x2A, 0x86],
            &[0x2A, 0x80, 0x01],
            &[0x2A, 0x90, 0x80, 0x80, 0x80, 0x00],
            &[0x2A; 40],
        ] {
            assert!(Oid::from_der(bad).is_err(), "{bad:02x?}");
        }
        let t = |tag, value| Tlv {
            tag,
            value,
            raw: &[],
        };
        assert!(oid(&t(TAG_INTEGER, &[0x2A])).is_err());
    }

    #[test]
    fn typed_elements() {
        let t = |tag, value| Tlv {
            tag,
            value,
            raw: &[],
        };
        assert_eq!(integer(&t(TAG_INTEGER, &[0x00])), Ok(&[0x00][..]));
        assert_eq!(
            integer(&t(TAG_INTEGER, &[0x00, 0x80])),
            Ok(&[0x00, 0x80][..])
        );
        assert_eq!(
            integer(&t(TAG_INTEGER, &[0xFF, 0x7F])),
            Ok(&[0xFF, 0x7F][..])
        );
        for bad in [&[][..], &[0x00, 0x7F], &[0xFF, 0x80]] {
            assert!(integer(&t(TAG_INTEGER, bad)).is_err());
        }
        assert!(integer(&t(TAG_ENUMERATED, &[0x01])).is_err());
        assert_eq!(boolean(&t(TAG_BOOLEAN, &[0xFF])), Ok(true));
        assert_eq!(boolean(&t(TAG_BOOLEAN, &[0x00])), Ok(false));
        assert!(boolean(&t(TAG_BOOLEAN, &[0x01])).is_err());
        assert!(boolean(&t(TAG_BOOLEAN, &[])).is_err());
        let bits = bit_string(&t(TAG_BIT_STRING, &[0x00, 0xAB])).unwrap();
        assert_eq!(bits.whole_bytes(), Some(&[0xAB][..]));
        let bits = bit_string(&t(TAG_BIT_STRING, &[0x03, 0xA8])).unwrap();
        assert_eq!(bits.whole_bytes(), None);
        assert!(bit_string(&t(TAG_BIT_STRING, &[0x00])).is_ok());
        for bad in [&[][..], &[0x01], &[0x08, 0x00]] {
            assert!(bit_string(&t(TAG_BIT_STRING, bad)).is_err());
        }
        // AlgorithmIdentifier: parameters absent, NULL, or one element.
        let alg = |der: &'static [u8]| algorithm_identifier(&read_all(der).unwrap());
        let a = alg(&[0x30, 0x03, 0x06, 0x01, 0x2A]).unwrap();
        assert!(a.parameters.is_none() && a.parameters_absent_or_null());
        let a = alg(&[0x30, 0x05, 0x06, 0x01, 0x2A, 0x05, 0x00]).unwrap();
        assert!(a.parameters_absent_or_null());
        let a = alg(&[0x30, 0x06, 0x06, 0x01, 0x2A, 0x05, 0x01, 0x00]).unwrap();
        assert!(!a.parameters_absent_or_null());
        assert!(alg(&[0x30, 0x07, 0x06, 0x01, 0x2A, 0x05, 0x00, 0x05, 0x00]).is_err());
        assert!(alg(&[0x30, 0x05, 0x06, 0x01, 0x2A, 0x1C, 0x00]).is_err());
        assert!(alg(&[0x30, 0x05, 0x06, 0x01, 0x2A, 0x2C, 0x00]).is_err());
        assert!(alg(&[0x30, 0x05, 0x06, 0x01, 0x2A, 0xA0, 0x00]).is_ok());
        assert!(alg(&[0x30, 0x00]).is_err());
        assert!(alg(&[0x31, 0x03, 0x06, 0x01, 0x2A]).is_err());
    }

    #[test]
    fn times() {
        let t = |tag, value| Tlv {
            tag,
            value,
            raw: &[],
        };
        assert_eq!(time(&t(TAG_UTC_TIME, b"700101000000Z")), Ok(0));
        assert_eq!(time(&t(TAG_UTC_TIME, b"491231235959Z")), Ok(2_524_607_999));
        assert_eq!(
            time(&t(TAG_GENERALIZED_TIME, b"20500101000000Z")),
            Ok(2_524_608_000)
        );
        assert_eq!(
            time(&t(TAG_GENERALIZED_TIME, b"20240229120000Z")),
            Ok(1_709_208_000)
        );
        for (tag, bad) in [
            (TAG_UTC_TIME, &b"690101000000Z"[..]),
            (TAG_UTC_TIME, b"700101000000"),
            (TAG_UTC_TIME, b"7001010000Z"),
            (TAG_UTC_TIME, b"700101000000+0000"),
            (TAG_UTC_TIME, b"701301000000Z"),
            (TAG_UTC_TIME, b"700100000000Z"),
            (TAG_UTC_TIME, b"700101240000Z"),
            (TAG_UTC_TIME, b"700101006000Z"),
            (TAG_UTC_TIME, b"700101000060Z"),
            (TAG_UTC_TIME, b"7 0101000000Z"),
            (TAG_GENERALIZED_TIME, b"20230229000000Z"),
            (TAG_GENERALIZED_TIME, b"20240101000000.5Z"),
            (TAG_GENERALIZED_TIME, b"19691231235959Z"),
            (TAG_GENERALIZED_TIME, b"700101000000Z"),
            (TAG_INTEGER, b"700101000000Z"),
        ] {
            assert!(
                time(&t(tag, bad)).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn fields_in_order() {
        let body = [0x02, 0x01, 0x05, 0x80, 0x00, 0x04, 0x00];
        let mut f = Fields::new(&body);
        assert_eq!(f.expect(TAG_INTEGER).unwrap().value, &[0x05]);
        assert!(f.optional(context_primitive(1)).unwrap().is_none());
        assert!(f.optional(context_primitive(0)).unwrap().is_some());
        assert!(f.end().is_err());
        assert!(f.expect(TAG_INTEGER).is_err());
        let mut f = Fields::new(&body[5..]);
        assert_eq!(f.any().unwrap().tag, TAG_OCTET_STRING);
        assert!(f.end().is_ok());
        assert!(f.any().is_err());
        assert_eq!(tag_name(TAG_INTEGER), "INTEGER");
        assert_eq!(tag_name(context_constructed(3)), "[3]");
        assert_eq!(tag_name(0x1C), "tag 0x1c");
    }

    #[test]
    fn serial_normalisation() {
        assert_eq!(serial_hex(&[0x00, 0x8F, 0x01]), "8f01");
        assert_eq!(serial_hex(&[0x00]), "0");
        assert_eq!(normalize_serial_hex("00:8F:01").as_deref(), Some("8f01"));
        assert_eq!(normalize_serial_hex(" 000 ").as_deref(), Some("0"));
        assert_eq!(normalize_serial_hex("xyz"), None);
        assert_eq!(normalize_serial_hex(""), None);
        assert_eq!(unhex("0aFF"), Some(vec![0x0A, 0xFF]));
        assert_eq!(unhex("0aF"), None);
        assert_eq!(unhex("zz"), None);
    }
}
