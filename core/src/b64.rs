//! Base64 (RFC 4648, standard alphabet, `=` padding), as the spec's
//! signature values and the options' DER entries use it.
//!
//! ASCII whitespace anywhere is ignored (line breaks in PEM bodies and in
//! XML text); otherwise decoding is strict and accepts exactly what the
//! `base64` crate's `STANDARD` engine accepts: four characters per group,
//! `=` only at the very end and only as much as the last group needs, and
//! no bits set in the last character past the data. It is written out
//! here, a few hundred bytes of code, to keep the WebAssembly module small.

#[allow(unused_imports)]
use crate::prelude::*;

/// Why a text is not base64. Offsets count bytes of the text as given,
/// whitespace included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base64Error {
    /// A byte outside the alphabet, or `=` where no padding may be.
    InvalidByte { offset: usize, byte: u8 },
    /// The characters (whitespace not counted) do not make whole groups of
    /// four, with their padding.
    Length,
    /// The last character before the padding sets bits past the data: not
    /// the canonical encoding of any bytes.
    TrailingBits,
}

impl core::fmt::Display for Base64Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Base64Error::InvalidByte { offset, byte } if byte.is_ascii_graphic() => write!(
                f,
                "`{}` at offset {offset} is not a base64 character here",
                char::from(byte)
            ),
            Base64Error::InvalidByte { offset, byte } => write!(
                f,
                "byte {byte:#04x} at offset {offset} is not a base64 character"
            ),
            Base64Error::Length => f.write_str(
                "the base64 text does not end in a whole group of four characters (with `=` padding)",
            ),
            Base64Error::TrailingBits => {
                f.write_str("the last base64 character sets bits past the end of the data")
            }
        }
    }
}

impl core::error::Error for Base64Error {}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn value(b: u8) -> Option<u32> {
    let v = match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes base64, ignoring ASCII whitespace.
pub fn decode(text: impl AsRef<[u8]>) -> Result<Vec<u8>, Base64Error> {
    let text = text.as_ref();
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    // Bits read but not yet written: `bits` of them, in the low bits of
    // `acc`.
    let (mut acc, mut bits) = (0u32, 0u32);
    let (mut symbols, mut padding) = (0usize, 0usize);
    let mut offset = 0;
    while let Some(&byte) = text.get(offset) {
        // A whole group of four alphabet characters at a group boundary:
        // three bytes at once (most of a long text).
        if bits == 0
            && padding == 0
            && let Some(&[a, b, c, d]) = text.get(offset..offset + 4)
            && let (Some(a), Some(b), Some(c), Some(d)) = (value(a), value(b), value(c), value(d))
        {
            let group = (a << 18) | (b << 12) | (c << 6) | d;
            out.extend_from_slice(&group.to_be_bytes()[1..]);
            symbols += 4;
            offset += 4;
            continue;
        }
        offset += 1;
        if byte.is_ascii_whitespace() {
            continue;
        }
        let invalid = Base64Error::InvalidByte {
            offset: offset - 1,
            byte,
        };
        if byte == b'=' {
            // `xx==` or `xxx=` ends the text: the first `=` after two or
            // three characters of a group, a second only after two.
            let allowed = match padding {
                0 => symbols % 4 >= 2,
                1 => symbols % 4 == 2,
                _ => false,
            };
            if !allowed {
                return Err(invalid);
            }
            padding += 1;
            continue;
        }
        let Some(v) = value(byte) else {
            return Err(invalid);
        };
        if padding > 0 {
            return Err(invalid);
        }
        symbols += 1;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if (symbols + padding) % 4 != 0 {
        return Err(Base64Error::Length);
    }
    if acc != 0 {
        return Err(Base64Error::TrailingBits);
    }
    Ok(out)
}

/// Encodes bytes as base64 with padding, no line breaks.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use proptest::prelude::*;

    fn reference(text: &[u8]) -> Option<Vec<u8>> {
        let compact: Vec<u8> = text
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact)
            .ok()
    }

    #[test]
    fn decodes() {
        assert_eq!(decode(""), Ok(vec![]));
        assert_eq!(decode(" \r\n\t"), Ok(vec![]));
        assert_eq!(decode("AQID"), Ok(vec![1, 2, 3]));
        assert_eq!(decode("AQ\nI D\r\n"), Ok(vec![1, 2, 3]));
        assert_eq!(decode("/w=="), Ok(vec![0xff]));
        assert_eq!(decode("//8="), Ok(vec![0xff, 0xff]));
        assert_eq!(decode("+/+/"), Ok(vec![0xfb, 0xff, 0xbf]));
        assert_eq!(decode("AQIDBA=\n="), Ok(vec![1, 2, 3, 4]));
        assert_eq!(decode("aGVsbG8sIHdvcmxk"), Ok(b"hello, world".to_vec()));
    }

    #[test]
    fn rejects() {
        let invalid = |offset, byte| Err(Base64Error::InvalidByte { offset, byte });
        assert_eq!(decode("!!"), invalid(0, b'!'));
        assert_eq!(decode("AQ\nI!"), invalid(4, b'!'));
        assert_eq!(decode("AQ-_"), invalid(2, b'-'));
        assert_eq!(decode("AQ\u{e9}D"), invalid(2, 0xc3));
        assert_eq!(decode("="), invalid(0, b'='));
        assert_eq!(decode("A==="), invalid(1, b'='));
        assert_eq!(decode("AA==="), invalid(4, b'='));
        assert_eq!(decode("AAA=="), invalid(4, b'='));
        assert_eq!(decode("AA=A"), invalid(3, b'A'));
        assert_eq!(decode("AA==AA=="), invalid(4, b'A'));
        assert_eq!(decode("AAAA="), invalid(4, b'='));
        for short in ["A", "AA", "AAA", "AA=", "AAAAA", "AAAAAA="] {
            assert_eq!(decode(short), Err(Base64Error::Length), "{short}");
        }
        assert_eq!(decode("/x=="), Err(Base64Error::TrailingBits));
        assert_eq!(decode("//9="), Err(Base64Error::TrailingBits));
        assert_eq!(decode("AB=="), Err(Base64Error::TrailingBits));
    }

    #[test]
    fn messages() {
        assert_eq!(
            decode("AQ!D").unwrap_err().to_string(),
            "`!` at offset 2 is not a base64 character here"
        );
        assert_eq!(
            decode("AQ\u{0}D").unwrap_err().to_string(),
            "byte 0x00 at offset 2 is not a base64 character"
        );
    }

    #[test]
    fn encodes() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(&[0xff]), "/w==");
        assert_eq!(encode(&[0xff, 0xff]), "//8=");
        assert_eq!(encode(&[1, 2, 3]), "AQID");
        assert_eq!(encode(b"hello, world"), "aGVsbG8sIHdvcmxk");
    }

    #[test]
    fn offsets_count_from_the_start_after_whole_groups() {
        assert_eq!(
            decode("AAAAAAAA!AAA"),
            Err(Base64Error::InvalidByte {
                offset: 8,
                byte: b'!'
            })
        );
        assert_eq!(
            decode("AAAA AAA!"),
            Err(Base64Error::InvalidByte {
                offset: 8,
                byte: b'!'
            })
        );
        assert_eq!(decode("AAAA\nAAAA\r\nAQ=="), Ok(vec![0, 0, 0, 0, 0, 0, 1]));
    }

    #[test]
    fn accepts_exactly_what_the_base64_crate_accepts_up_to_six_characters() {
        const CHARS: &[u8] = b"AQw/=\n!";
        let mut text = Vec::new();
        for len in 0..=6u32 {
            for mut n in 0..CHARS.len().pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(CHARS[n % CHARS.len()]);
                    n /= CHARS.len();
                }
                assert_eq!(decode(&text).ok(), reference(&text), "{text:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn round_trips_like_the_base64_crate(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let text = encode(&bytes);
            prop_assert_eq!(&text, &base64::engine::general_purpose::STANDARD.encode(&bytes));
            prop_assert_eq!(decode(&text), Ok(bytes));
        }

        /// Texts near valid base64: the same verdict and bytes as the crate.
        #[test]
        fn accepts_what_the_base64_crate_accepts(
            text in proptest::collection::vec(
                prop::sample::select(b"AQw/+z09= \n!".to_vec()),
                0..40,
            )
        ) {
            prop_assert_eq!(decode(&text).ok(), reference(&text));
        }

        #[test]
        fn accepts_what_the_base64_crate_accepts_for_any_bytes(
            text in proptest::collection::vec(any::<u8>(), 0..12)
        ) {
            prop_assert_eq!(decode(&text).ok(), reference(&text));
        }
    }
}
