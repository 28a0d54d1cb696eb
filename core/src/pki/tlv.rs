//! A minimal, strict DER tag-length-value reader.
//!
//! The typed decoders of the `der` crate throw away the exact octets of what
//! they decode. Signatures are over exact octets (a certificate's
//! `tbsCertificate`, a CMS `signedAttrs`), so this reader walks the structure
//! and hands out the raw slices. It accepts DER only: low tag numbers,
//! definite lengths in their shortest form.

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
pub(crate) const TAG_OID: u8 = 0x06;
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
        long.extend(std::iter::repeat_n(7u8, 0x80));
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
