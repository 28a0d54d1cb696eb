//! The report writer: reports (and the hosts' small summaries) as compact
//! JSON, through their serde derives, straight into one `String`.
//!
//! The output is byte for byte what `serde_json::to_string` writes (the
//! tests below compare the two on every shared vector's report and on every
//! kind of value serde has): fields in declaration order, no white space,
//! `null` for `None` and unit, enums externally tagged, strings escaped as
//! serde_json escapes them (`\"`, `\\`, `\b \f \n \r \t`, other control
//! characters as `\u00xx` in lower case, nothing else). It exists for
//! speed: a report is about 10 KB of text, mostly Chinese and English
//! messages, and serde_json, built for size in the WebAssembly module,
//! took a tenth of a bill to write it (a table lookup and a write call per
//! octet of each string); here a string is copied in runs between the
//! octets that need escaping. Floating-point numbers (only the render
//! module has them) are written by serde_json itself, so they stay its
//! shortest round-trip form.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt::{self, Write as _};
use serde::ser::{self, Serialize};

/// `value` as compact JSON, as `serde_json::to_string` writes it; `None`
/// if its `Serialize` implementation fails (a map key that is neither a
/// string nor a number, or a custom error).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let mut out = Writer(String::with_capacity(4096));
    value.serialize(&mut out).ok()?;
    Some(out.0)
}

/// Why a value cannot be written.
#[derive(Debug)]
pub struct Error;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the value cannot be written as JSON")
    }
}

impl core::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(_: T) -> Error {
        Error
    }
}

struct Writer(String);

impl Writer {
    fn string(&mut self, s: &str) {
        self.0.push('"');
        self.escaped(s);
        self.0.push('"');
    }

    /// The text of a string, escaped, without its quotes.
    fn escaped(&mut self, s: &str) {
        let out = &mut self.0;
        let mut run = 0;
        for (i, &b) in s.as_bytes().iter().enumerate() {
            if b >= 0x20 && b != b'"' && b != b'\\' {
                continue;
            }
            // Every octet escaped is ASCII: `run..i` are whole characters.
            out.push_str(s.get(run..i).unwrap_or(""));
            run = i + 1;
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                0x08 => out.push_str("\\b"),
                0x0C => out.push_str("\\f"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.push_str("\\u00");
                    out.push(char::from(HEX[usize::from(b >> 4)]));
                    out.push(char::from(HEX[usize::from(b & 0xF)]));
                }
            }
        }
        out.push_str(s.get(run..).unwrap_or(""));
    }

    fn display(&mut self, v: impl fmt::Display) {
        // Writing to a String cannot fail.
        let _ = write!(self.0, "{v}");
    }

    /// Opens a compound: `{`, `[`, or `{"variant":` and one of them.
    fn open(&mut self, variant: Option<&str>, bracket: char) -> Compound<'_> {
        if let Some(v) = variant {
            self.0.push('{');
            self.string(v);
            self.0.push(':');
        }
        self.0.push(bracket);
        Compound {
            w: self,
            first: true,
            tagged: variant.is_some(),
        }
    }
}

/// An array or object being written.
struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
    /// Inside `{"variant":…}`, closed at the end too.
    tagged: bool,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if !self.first {
            self.w.0.push(',');
        }
        self.first = false;
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(&mut *self.w)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        // `,"key":` in three pieces, not six (most of a report is keys).
        self.w.0.push_str(if self.first { "\"" } else { ",\"" });
        self.first = false;
        self.w.escaped(key);
        self.w.0.push_str("\":");
        value.serialize(&mut *self.w)
    }

    fn close(self, bracket: char) -> Result<(), Error> {
        self.w.0.push(bracket);
        if self.tagged {
            self.w.0.push('}');
        }
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.display(v);
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.display(v);
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.display(v);
        Ok(())
    }

    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.display(v);
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.0.push_str(&serde_json::to_string(&v).map_err(|_| Error)?);
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.0.push_str(&serde_json::to_string(&v).map_err(|_| Error)?);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = self.open(None, '[');
        for b in v {
            seq.element(b)?;
        }
        seq.close(']')
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.0.push_str("null");
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.0.push('{');
        self.string(variant);
        self.0.push(':');
        value.serialize(&mut *self)?;
        self.0.push('}');
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.open(None, '['))
    }

    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Error> {
        Ok(self.open(None, '['))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Error> {
        Ok(self.open(None, '['))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(self.open(Some(variant), '['))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.open(None, '{'))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Error> {
        Ok(self.open(None, '{'))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(self.open(Some(variant), '{'))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(']')
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(']')
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(']')
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(']')
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;

    /// A key as serde_json writes it: a string as it is, a number or a
    /// boolean in quotes; anything else cannot be a key.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        let mut k = Writer(String::new());
        key.serialize(&mut k)?;
        let text = k.0;
        if text.starts_with('"') {
            self.w.0.push_str(&text);
        } else if text != "null" && !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            self.w.0.push('"');
            self.w.0.push_str(&text);
            self.w.0.push('"');
        } else {
            return Err(Error);
        }
        self.w.0.push(':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<(), Error> {
        self.close('}')
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.close('}')
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.close('}')
    }
}

#[cfg(test)]
mod tests {
    use super::to_string;
    #[allow(unused_imports)]
    use crate::prelude::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn same<T: Serialize + ?Sized>(value: &T) {
        let theirs = serde_json::to_string(value).ok();
        assert_eq!(to_string(value), theirs);
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Newtype(u8);

    #[derive(Serialize)]
    struct Pair(i32, &'static str);

    #[derive(Serialize)]
    struct Empty {}

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    enum Kind {
        Plain,
        New(u16),
        Tuple(u8, bool),
        Shape { x: i64, label: Option<String> },
    }

    #[derive(Serialize)]
    #[serde(untagged)]
    enum Either {
        Number(u32),
        Text(String),
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Everything {
        flag: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        none: Option<u8>,
        some: Option<&'static str>,
        small: i8,
        big: u64,
        least: i64,
        wide: u128,
        ratio: f64,
        nan: f64,
        single: f32,
        letter: char,
        quote: char,
        unit: (),
        unit_struct: Unit,
        newtype: Newtype,
        pair: Pair,
        empty: Empty,
        empty_list: Vec<u8>,
        kinds: Vec<Kind>,
        either: [Either; 2],
        bytes: &'static [u8],
        by_name: BTreeMap<String, Vec<u8>>,
        by_number: BTreeMap<u32, bool>,
        nested: Vec<Vec<Option<bool>>>,
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let mut by_name = BTreeMap::new();
        by_name.insert("a\"b".to_string(), vec![1, 2]);
        by_name.insert("票".to_string(), vec![]);
        let mut by_number = BTreeMap::new();
        by_number.insert(7, true);
        by_number.insert(0, false);
        same(&Everything {
            flag: true,
            skipped: None,
            none: None,
            some: Some("\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f} \"\\/\u{7f}é票😀"),
            small: -128,
            big: u64::MAX,
            least: i64::MIN,
            wide: u128::MAX,
            ratio: 297.5,
            nan: f64::NAN,
            single: 0.1,
            letter: '\n',
            quote: '"',
            unit: (),
            unit_struct: Unit,
            newtype: Newtype(9),
            pair: Pair(-1, "x"),
            empty: Empty {},
            empty_list: vec![],
            kinds: vec![
                Kind::Plain,
                Kind::New(3),
                Kind::Tuple(1, false),
                Kind::Shape {
                    x: -5,
                    label: Some("<>&".into()),
                },
                Kind::Shape { x: 0, label: None },
            ],
            either: [Either::Number(4), Either::Text("t".into())],
            bytes: b"\x00\xff",
            by_name,
            by_number,
            nested: vec![vec![], vec![None, Some(true)]],
        });
        same("");
        same(&Vec::<Kind>::new());
        same(&[Some(1.0e21), Some(1.0e-7), Some(-0.0), None]);
    }

    #[test]
    fn a_key_that_is_no_string_fails_as_in_serde_json() {
        let mut map = BTreeMap::new();
        map.insert(vec![1u8], 1);
        assert_eq!(to_string(&map), None);
        assert!(serde_json::to_string(&map).is_err());
    }

    /// Every shared vector's report, verified with the vectors' trust
    /// material (VALID and every kind of failure) and without (no trust
    /// anchor), and the reports of the OFD documents of the shared corpus.
    #[test]
    fn reports_of_the_shared_vectors_are_written_alike() {
        use crate::{Verifier, VerifyOptions};
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/bills");
        let pem = |name: &str, label: &str| {
            let text = std::fs::read_to_string(dir.join("trust").join(name)).expect("trust PEM");
            crate::options::pem_blocks(&text, label).expect("PEM")
        };
        let trusted = Verifier::new(&VerifyOptions {
            trust_anchors: pem("roots.pem", "CERTIFICATE"),
            certificates: pem("intermediates.pem", "CERTIFICATE"),
            crls: pem("crls.pem", "X509 CRL"),
            now: Some(1_767_225_600),
            ..VerifyOptions::default()
        })
        .unwrap();
        let bare = Verifier::new(&VerifyOptions::default()).unwrap();
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .expect("shared/vectors/bills")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        assert!(inputs.len() > 100, "{} bills", inputs.len());
        let ofd = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/ofdrw");
        inputs.extend(
            std::fs::read_dir(&ofd)
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "ofd")),
        );
        for path in inputs {
            let input = std::fs::read(&path).unwrap();
            for verifier in [&trusted, &bare] {
                let report = verifier.verify(&input);
                same(&report);
            }
        }
    }

    proptest! {
        #[test]
        fn any_string_is_escaped_alike(s in any::<String>(), c in any::<char>()) {
            prop_assert_eq!(to_string(&s), serde_json::to_string(&s).ok());
            prop_assert_eq!(to_string(&c), serde_json::to_string(&c).ok());
        }
    }
}
