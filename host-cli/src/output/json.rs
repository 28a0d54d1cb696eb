//! `--format json` and `jsonl`: a record as one JSON object, the
//! report's text kept as the module wrote it.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::record::{Body, ERROR_VERDICT, Lang, Record, error_reason};

/// [`Record::to_json`]: serializes as one JSON object.
pub struct RecordJson<'a> {
    pub(crate) record: &'a Record,
    pub(crate) duplicate_of: Option<&'a str>,
}

impl Serialize for RecordJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(None)?;
        out.serialize_entry("file", &self.record.file)?;
        match &self.record.body {
            Body::Report(report, _) => {
                for key in ["verdict", "subIndication"] {
                    out.serialize_entry(key, &report.raw(key))?;
                }
                if let Some(first) = self.duplicate_of {
                    out.serialize_entry("duplicateOf", first)?;
                }
                if let Some(seen) = &self.record.seen_before {
                    out.serialize_entry("seenBefore", seen)?;
                }
                for (key, value) in report.fields() {
                    if !matches!(
                        key,
                        "verdict" | "subIndication" | "file" | "duplicateOf" | "seenBefore"
                    ) {
                        out.serialize_entry(key, value)?;
                    }
                }
            }
            Body::Error { code, message } => {
                out.serialize_entry("verdict", ERROR_VERDICT)?;
                out.serialize_entry("subIndication", &())?;
                let reason = |lang| error_reason(code, message, lang);
                out.serialize_entry(
                    "reason",
                    &serde_json::json!({"zh": reason(Lang::Zh), "en": reason(Lang::En)}),
                )?;
                out.serialize_entry(
                    "error",
                    &serde_json::json!({"code": code, "message": message}),
                )?;
            }
        }
        out.end()
    }
}
