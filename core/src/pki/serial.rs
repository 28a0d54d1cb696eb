//! Certificate serial numbers as integers.
//!
//! A serial number is an ASN.1 INTEGER: two's complement in DER. Two
//! serials name the same certificate only when they are the same integer,
//! so every comparison (a CRL entry and a certificate, a CMS
//! `issuerAndSerialNumber`, a `KeyInfo/SerialNumber` and a certificate of
//! the host's store) goes through [`Serial`]: a sign and a magnitude
//! without leading zero octets. The hex of the raw DER octets is not a
//! key: `FF12` (the negative integer -238) and `00FF12` (65298) would both
//! read `ff12`.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

/// A serial number: a normalised integer (sign and magnitude, no leading
/// zero octets; zero is non-negative with an empty magnitude).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Serial {
    negative: bool,
    /// Big-endian, no leading zero octet.
    magnitude: Vec<u8>,
}

impl Serial {
    /// From the contents octets of a DER INTEGER (two's complement,
    /// big-endian). Empty contents (not DER) read as zero.
    pub fn from_der_contents(octets: &[u8]) -> Serial {
        let negative = octets.first().is_some_and(|b| b & 0x80 != 0);
        let mut magnitude = octets.to_vec();
        if negative {
            // |x| = !x + 1 for two's complement x < 0.
            for b in magnitude.iter_mut() {
                *b = !*b;
            }
            for b in magnitude.iter_mut().rev() {
                let (sum, carry) = b.overflowing_add(1);
                *b = sum;
                if !carry {
                    break;
                }
            }
            // A carry out of the top octet cannot happen: the top bit of
            // !x is 0, so !x + 1 fits.
        }
        let start = magnitude
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(magnitude.len());
        magnitude.drain(..start);
        Serial {
            negative: negative && !magnitude.is_empty(),
            magnitude,
        }
    }

    /// A non-negative serial written in hexadecimal by a person or another
    /// tool (`KeyInfo/SerialNumber`, spec §5.3): case-insensitive, leading
    /// zeros ignored, `:` and white space between digits ignored. `None`
    /// when it holds anything else or no digit. Hex text has no sign: it
    /// never names a certificate whose serial is negative in DER.
    pub fn from_hex(text: &str) -> Option<Serial> {
        let mut nibbles = Vec::with_capacity(text.len());
        for c in text.chars() {
            if let Some(d) = c.to_digit(16) {
                nibbles.push(d as u8);
            } else if c != ':' && !c.is_whitespace() {
                return None;
            }
        }
        if nibbles.is_empty() {
            return None;
        }
        let start = nibbles
            .iter()
            .position(|&d| d != 0)
            .unwrap_or(nibbles.len());
        let digits = nibbles.get(start..).unwrap_or_default();
        let mut magnitude = Vec::with_capacity(digits.len().div_ceil(2));
        let (head, pairs) = digits.split_at(digits.len() % 2);
        magnitude.extend(head.iter().copied());
        for pair in pairs.chunks(2) {
            if let [hi, lo] = pair {
                magnitude.push(hi << 4 | lo);
            }
        }
        Some(Serial {
            negative: false,
            magnitude,
        })
    }

    /// Whether the integer is below zero (not RFC 5280, but found).
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The absolute value, big-endian, without leading zero octets (empty
    /// for zero).
    pub fn magnitude(&self) -> &[u8] {
        &self.magnitude
    }
}

/// `-` for a negative serial, then the lower-case hex of the magnitude
/// without leading zeros (`0` for zero).
impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        let hex = super::tlv::hex(&self.magnitude);
        let trimmed = hex.trim_start_matches('0');
        f.write_str(if trimmed.is_empty() { "0" } else { trimmed })
    }
}

impl fmt::Debug for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Serial({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn der(octets: &[u8]) -> Serial {
        Serial::from_der_contents(octets)
    }

    #[test]
    fn two_complement_is_read_as_an_integer() {
        assert_eq!(der(&[0x00, 0xFF, 0x12]).to_string(), "ff12");
        assert_eq!(der(&[0xFF, 0x12]).to_string(), "-ee");
        assert_eq!(der(&[0x80]).to_string(), "-80");
        assert_eq!(der(&[0xFF]).to_string(), "-1");
        assert_eq!(der(&[0x80, 0x00]).to_string(), "-8000");
        assert_eq!(der(&[0x00]).to_string(), "0");
        assert_eq!(der(&[]).to_string(), "0");
        assert_eq!(der(&[0x7F, 0x01]).magnitude(), &[0x7F, 0x01]);
        assert!(der(&[0xFF, 0x12]).is_negative());
        assert!(!der(&[0x00]).is_negative());
    }

    #[test]
    fn same_hex_of_the_octets_is_not_the_same_serial() {
        // 00 FF 12 (65298) and FF 12 (-238) both used to read "ff12".
        assert_ne!(der(&[0x00, 0xFF, 0x12]), der(&[0xFF, 0x12]));
        assert_ne!(der(&[0x00, 0x80]), der(&[0x80]));
        assert_eq!(der(&[0x01, 0x02]), der(&[0x01, 0x02]));
    }

    #[test]
    fn hex_text_is_non_negative() {
        let positive = der(&[0x00, 0xFF, 0x12]);
        for text in ["ff12", "FF12", "00ff12", " 0000FF12 ", "ff:12", "0F F1 2"] {
            assert_eq!(Serial::from_hex(text).as_ref(), Some(&positive), "{text}");
        }
        assert_ne!(Serial::from_hex("ff12"), Some(der(&[0xFF, 0x12])));
        assert_eq!(Serial::from_hex("0"), Some(der(&[0x00])));
        assert_eq!(Serial::from_hex("000"), Some(der(&[0x00])));
        assert_eq!(
            Serial::from_hex("abc").map(|s| s.magnitude().to_vec()),
            Some(vec![0x0A, 0xBC])
        );
        for bad in ["", " ", "-ee", "0x12", "ff12g", "１２"] {
            assert_eq!(Serial::from_hex(bad), None, "{bad:?}");
        }
    }
}
