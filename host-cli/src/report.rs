//! A verifier report as the host holds it: its top-level fields in the
//! module's order, each value kept as the JSON text the module wrote.
//!
//! The host reads a handful of fields of a report (verdict, bill key,
//! amount, reason) and writes the rest through. Decoding a whole report
//! (about 11 KB) into `serde_json::Value` cost 90 µs of a bill's 710 µs
//! through wasmtime (host-cli/benches/wasm.rs); kept as text, a report is
//! scanned once and only the fields asked for are decoded.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// A JSON object: its keys in order, each with its value's JSON text. A key
/// given twice keeps its first place and its last value (as
/// `serde_json::Map` does).
#[derive(Debug)]
pub struct Report {
    fields: Vec<(String, Box<RawValue>)>,
}

impl Report {
    /// Reads one JSON object.
    pub fn from_json(text: &str) -> serde_json::Result<Report> {
        serde_json::from_str(text)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(k, _)| k.as_str())
    }

    /// Each key with its value's JSON text, in order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), &**v))
    }

    /// The JSON text of `key`'s value.
    pub fn raw(&self, key: &str) -> Option<&RawValue> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| &**v)
    }

    /// `key`'s value decoded as `T`; `None` when absent or not a `T`.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        serde_json::from_str(self.raw(key)?.get()).ok()
    }
}

impl<'de> Deserialize<'de> for Report {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Report, D::Error> {
        deserializer.deserialize_map(ReportVisitor)
    }
}

struct ReportVisitor;

impl<'de> Visitor<'de> for ReportVisitor {
    type Value = Report;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Report, A::Error> {
        let mut fields: Vec<(String, Box<RawValue>)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value: Box<RawValue> = map.next_value()?;
            match fields.iter_mut().find(|(k, _)| *k == key) {
                Some(field) => field.1 = value,
                None => fields.push((key, value)),
            }
        }
        Ok(Report { fields })
    }
}

/// What a call of the module answered: `{"report": {...}}`, `{"ok":
/// {...}}` or `{"error": {...}}`. Exactly one key; a report is kept as a
/// [`Report`], anything else decoded.
#[derive(Debug)]
pub enum Envelope {
    Report(Report),
    Other(String, serde_json::Value),
}

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Envelope, D::Error> {
        deserializer.deserialize_map(EnvelopeVisitor)
    }
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Envelope;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with one key")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            return Err(de::Error::custom("the result envelope has no key"));
        };
        let envelope = if key == "report" {
            Envelope::Report(map.next_value()?)
        } else {
            Envelope::Other(key, map.next_value()?)
        };
        match map.next_key::<de::IgnoredAny>()? {
            None => Ok(envelope),
            Some(_) => Err(de::Error::custom(
                "the result envelope has more than one key",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_text() {
        let r = Report::from_json(r#"{"z": 1, "a":{"b" : [1,2]},"m":"x\u00e9"}"#).unwrap();
        assert_eq!(r.keys().collect::<Vec<_>>(), ["z", "a", "m"]);
        assert_eq!(r.raw("a").unwrap().get(), r#"{"b" : [1,2]}"#);
        assert_eq!(r.get::<String>("m").as_deref(), Some("xé"));
        assert_eq!(r.get::<i64>("z"), Some(1));
        assert_eq!(r.get::<String>("z"), None, "another type is None");
        assert_eq!(r.get::<i64>("nope"), None);
    }

    #[test]
    fn a_repeated_key_keeps_its_place_and_last_value() {
        let r = Report::from_json(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(r.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(r.get::<i64>("a"), Some(3));
    }

    #[test]
    fn refuses_what_is_not_one_object() {
        for text in ["[1]", "1", "{", r#"{"a":}"#, r#"{"a":1} x"#] {
            assert!(Report::from_json(text).is_err(), "{text}");
        }
    }

    #[test]
    fn envelope_has_exactly_one_key() {
        let e: Envelope = serde_json::from_str(r#"{"report":{"verdict":"VALID"}}"#).unwrap();
        assert!(matches!(e, Envelope::Report(r) if r.get::<String>("verdict").unwrap() == "VALID"));
        let e: Envelope = serde_json::from_str(r#"{"error":{"code":"X"}}"#).unwrap();
        assert!(matches!(e, Envelope::Other(k, v) if k == "error" && v["code"] == "X"));
        for text in ["{}", r#"{"report":{},"error":{}}"#, r#"{"report":1}"#, "[]"] {
            assert!(serde_json::from_str::<Envelope>(text).is_err(), "{text}");
        }
    }
}
