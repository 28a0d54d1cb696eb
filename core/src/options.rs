//! What the host supplies: trust anchors, extra certificates, CRLs, the
//! current time and the bounds of §8. The core never reads a clock or a file.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::json::{self, IntegerError, Value};

/// Bounds on the work spent on one input (spec §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_input_bytes: usize,
    /// The root element is depth 1.
    pub max_depth: usize,
    pub max_elements: usize,
    pub max_items: usize,
    pub max_text_bytes: usize,
    /// OFD: the largest package (the zip file itself).
    pub max_package_bytes: usize,
    /// OFD: the most zip entries.
    pub max_zip_entries: usize,
    /// OFD: the largest uncompressed entry.
    pub max_zip_entry_bytes: usize,
    /// OFD: the most uncompressed bytes of all entries together.
    pub max_zip_total_bytes: usize,
    /// OFD: the highest uncompressed / compressed ratio of an entry above
    /// 64 KiB.
    pub max_zip_ratio: u32,
    /// OFD: the longest entry name in bytes.
    pub max_zip_path_bytes: usize,
    /// OFD: the most signatures in one document.
    pub max_ofd_signatures: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 4 * 1024 * 1024,
            max_depth: 64,
            max_elements: 100_000,
            max_items: 10_000,
            max_text_bytes: 64 * 1024,
            max_package_bytes: 64 * 1024 * 1024,
            max_zip_entries: 10_000,
            max_zip_entry_bytes: 32 * 1024 * 1024,
            max_zip_total_bytes: 128 * 1024 * 1024,
            max_zip_ratio: 1_000,
            max_zip_path_bytes: 512,
            max_ofd_signatures: 64,
        }
    }
}

/// Options of one verification, with certificates and CRLs as DER.
#[derive(Clone, Debug, Default)]
pub struct VerifyOptions {
    /// Trust anchors (DER certificates).
    pub trust_anchors: Vec<Vec<u8>>,
    /// The host's certificate store: intermediates and signer certificates.
    pub certificates: Vec<Vec<u8>>,
    /// Certificate revocation lists (DER).
    pub crls: Vec<Vec<u8>>,
    /// Current time in Unix seconds, used only to say whether a certificate
    /// has expired since signing. `None`: not judged.
    pub now: Option<i64>,
    pub limits: Limits,
}

/// A host error in the options: never a verdict about a bill.
///
/// `code` and `message` say what is wrong; `field` and `index` say where,
/// so that a host can name its own source of an entry (a file) without
/// reading the message: when `index` is set, `message` begins with
/// `field[index]` (`trustAnchors[1] holds no PEM block labelled
/// CERTIFICATE`), the name of the entry in the options JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionsError {
    /// `OPTIONS_JSON`, `OPTIONS_PEM` or `OPTIONS_CERTIFICATE`.
    pub code: &'static str,
    pub message: String,
    /// The key at fault: `trustAnchors`, `certificates`, `crls`, `now`,
    /// `limits` or a key of it (`limits.maxDepth`); `None` when it is the
    /// options as a whole (not JSON, not an object, an unknown or repeated
    /// top-level key).
    pub field: Option<String>,
    /// The entry of `trustAnchors`, `certificates` or `crls` at fault,
    /// counted from 0 as the message counts it.
    pub index: Option<usize>,
}

impl OptionsError {
    /// An error of the options as a whole.
    pub fn new(code: &'static str, message: String) -> OptionsError {
        OptionsError {
            code,
            message,
            field: None,
            index: None,
        }
    }

    /// An error of entry `index` of `field`; `message` must begin with
    /// `field[index]`.
    pub fn entry(code: &'static str, field: &str, index: usize, message: String) -> OptionsError {
        OptionsError {
            code,
            message,
            field: Some(field.into()),
            index: Some(index),
        }
    }
}

impl core::fmt::Display for OptionsError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl core::error::Error for OptionsError {}

impl VerifyOptions {
    /// Reads options from JSON (see `docs/abi.md`). Empty input means defaults.
    ///
    /// Every key is optional; unknown and repeated keys are errors, as are
    /// values of the wrong type (`OPTIONS_JSON`, naming the key, e.g.
    /// `limits.maxZipEntries: expected an unsigned integer`). The shape is
    /// checked first, then the entries of `trustAnchors`, `certificates`
    /// and `crls`, in that order: each a string holding one or more PEM
    /// blocks, or the base64 of one DER object (`OPTIONS_PEM` otherwise).
    pub fn from_json(json: &[u8]) -> Result<VerifyOptions, OptionsError> {
        if json.iter().all(u8::is_ascii_whitespace) {
            return Ok(VerifyOptions::default());
        }
        let value = json::parse(json).map_err(|e| {
            OptionsError::new("OPTIONS_JSON", format!("options are not valid JSON: {e}"))
        })?;
        let fields = object(value, None, OPTION_KEYS)?;
        let (mut trust_anchors, mut certificates, mut crls) = (Vec::new(), Vec::new(), Vec::new());
        let mut options = VerifyOptions::default();
        for (key, value) in fields {
            match key.as_str() {
                "trustAnchors" => trust_anchors = strings(value, "trustAnchors")?,
                "certificates" => certificates = strings(value, "certificates")?,
                "crls" => crls = strings(value, "crls")?,
                "now" if matches!(value, Value::Null) => options.now = None,
                "now" => {
                    let now = value.signed().map_err(|e| {
                        let expected = "an integer (Unix seconds) or null";
                        integer_error("now".into(), &value, e, expected, "a 64-bit signed integer")
                    })?;
                    options.now = Some(now);
                }
                "limits" if matches!(value, Value::Null) => options.limits = Limits::default(),
                "limits" => options.limits = limits(value)?,
                // `object` let only the keys above through.
                _ => {}
            }
        }
        options.trust_anchors = decode_entries(&trust_anchors, "CERTIFICATE", "trustAnchors")?;
        options.certificates = decode_entries(&certificates, "CERTIFICATE", "certificates")?;
        options.crls = decode_entries(&crls, "X509 CRL", "crls")?;
        Ok(options)
    }
}

/// The keys of the options object.
const OPTION_KEYS: &[&str] = &["trustAnchors", "certificates", "crls", "now", "limits"];

/// The keys of `limits`, in the order of [`limit_field`].
const LIMIT_KEYS: &[&str] = &[
    "maxInputBytes",
    "maxDepth",
    "maxElements",
    "maxItems",
    "maxTextBytes",
    "maxPackageBytes",
    "maxZipEntries",
    "maxZipEntryBytes",
    "maxZipTotalBytes",
    "maxZipRatio",
    "maxZipPathBytes",
    "maxOfdSignatures",
];

/// A field of [`Limits`] by its JSON key.
enum LimitField<'a> {
    Usize(&'a mut usize),
    U32(&'a mut u32),
}

fn limit_field<'a>(limits: &'a mut Limits, key: &str) -> Option<LimitField<'a>> {
    use LimitField::{U32, Usize};
    Some(match key {
        "maxInputBytes" => Usize(&mut limits.max_input_bytes),
        "maxDepth" => Usize(&mut limits.max_depth),
        "maxElements" => Usize(&mut limits.max_elements),
        "maxItems" => Usize(&mut limits.max_items),
        "maxTextBytes" => Usize(&mut limits.max_text_bytes),
        "maxPackageBytes" => Usize(&mut limits.max_package_bytes),
        "maxZipEntries" => Usize(&mut limits.max_zip_entries),
        "maxZipEntryBytes" => Usize(&mut limits.max_zip_entry_bytes),
        "maxZipTotalBytes" => Usize(&mut limits.max_zip_total_bytes),
        "maxZipRatio" => U32(&mut limits.max_zip_ratio),
        "maxZipPathBytes" => Usize(&mut limits.max_zip_path_bytes),
        "maxOfdSignatures" => Usize(&mut limits.max_ofd_signatures),
        _ => return None,
    })
}

/// `limits`: each key optional, the others keep their defaults.
fn limits(value: Value<'_>) -> Result<Limits, OptionsError> {
    let mut limits = Limits::default();
    for (key, value) in object(value, Some("limits"), LIMIT_KEYS)? {
        // `object` let only the keys of `LIMIT_KEYS` through.
        let Some(field) = limit_field(&mut limits, &key) else {
            continue;
        };
        let max = match field {
            LimitField::Usize(_) => usize::MAX as u64,
            LimitField::U32(_) => u64::from(u32::MAX),
        };
        let n = value.unsigned(max).map_err(|e| {
            let range = format!("0 to {max}");
            integer_error(
                format!("limits.{key}"),
                &value,
                e,
                "an unsigned integer",
                &range,
            )
        })?;
        // In range: `unsigned` checked `max`.
        match field {
            LimitField::Usize(f) => *f = n as usize,
            LimitField::U32(f) => *f = n as u32,
        }
    }
    Ok(limits)
}

/// The members of an object whose keys are all in `keys`, each at most
/// once; otherwise an error naming `field` (`None`: the options object).
fn object<'a>(
    value: Value<'a>,
    field: Option<&str>,
    keys: &[&str],
) -> Result<Vec<(String, Value<'a>)>, OptionsError> {
    let at = |problem: &str| Err(at_error(field.map(str::to_owned), None, problem));
    let Value::Object(fields) = value else {
        return at(&format!(
            "expected an object with the keys {}, found {}",
            crate::text::join(keys.iter().copied(), ", "),
            value.kind()
        ));
    };
    let mut seen = vec![false; keys.len()];
    for (key, _) in &fields {
        let Some(i) = keys.iter().position(|k| k == key) else {
            return at(&format!(
                "unknown key `{key}`, expected one of {}",
                crate::text::join(keys.iter().copied(), ", ")
            ));
        };
        if core::mem::replace(&mut seen[i], true) {
            return at(&format!("repeated key `{key}`"));
        }
    }
    Ok(fields)
}

/// An array of strings, or an error naming `field` or `field[index]`.
fn strings(value: Value<'_>, field: &str) -> Result<Vec<String>, OptionsError> {
    let Value::Array(entries) = value else {
        return Err(at_error(
            Some(field.into()),
            None,
            &format!("expected an array of strings, found {}", value.kind()),
        ));
    };
    entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| match entry {
            Value::String(s) => Ok(s),
            other => Err(at_error(
                Some(field.into()),
                Some(i),
                &format!(
                    "expected a string (PEM or base64 DER), found {}",
                    other.kind()
                ),
            )),
        })
        .collect()
}

/// `OPTIONS_JSON` for a value of the wrong shape at `field` (`limits.maxDepth`;
/// `None`: the options object), entry `index` of it if given.
fn at_error(field: Option<String>, index: Option<usize>, problem: &str) -> OptionsError {
    use core::fmt::Write;
    let mut message = String::from("options are not of the expected shape: ");
    message.push_str(field.as_deref().unwrap_or("options"));
    if let Some(i) = index {
        let _ = write!(message, "[{i}]");
    }
    message.push_str(": ");
    message.push_str(problem);
    OptionsError {
        code: "OPTIONS_JSON",
        message,
        field,
        index,
    }
}

/// `OPTIONS_JSON` for a value at `path` that is not the integer expected.
fn integer_error(
    path: String,
    value: &Value<'_>,
    e: IntegerError,
    expected: &str,
    range: &str,
) -> OptionsError {
    let problem = match (e, value) {
        (IntegerError::OutOfRange, Value::Number(n)) => format!("{n} is out of range ({range})"),
        (_, Value::Number(n)) => format!("expected {expected}, found {n}"),
        _ => format!("expected {expected}, found {}", value.kind()),
    };
    at_error(Some(path), None, &problem)
}

/// PEM or base64 DER strings, decoded; an error names the entry as
/// `field[index]`.
fn decode_entries(
    entries: &[String],
    label: &str,
    field: &str,
) -> Result<Vec<Vec<u8>>, OptionsError> {
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let ders = if crate::text::find(entry, "-----BEGIN").is_some() {
            pem_blocks(entry, label)
        } else {
            base64_der(entry).map(|d| vec![d])
        };
        match ders {
            Ok(d) if !d.is_empty() => out.extend(d),
            Ok(_) => {
                let message = format!("{field}[{i}] holds no PEM block labelled {label}");
                return Err(OptionsError::entry("OPTIONS_PEM", field, i, message));
            }
            Err(e) => {
                let message = format!("{field}[{i}]: {e}");
                return Err(OptionsError::entry("OPTIONS_PEM", field, i, message));
            }
        }
    }
    Ok(out)
}

fn base64_der(text: &str) -> Result<Vec<u8>, String> {
    crate::b64::decode(text).map_err(|e| format!("not PEM and not base64 DER: {e}"))
}

/// One PEM block of a text: its label and the base64 between its BEGIN and
/// END lines (whitespace and all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PemBlock<'a> {
    pub label: &'a str,
    pub body: &'a str,
}

impl PemBlock<'_> {
    /// The block's DER; an error names the block's label.
    pub fn der(&self) -> Result<Vec<u8>, String> {
        base64_der(self.body).map_err(|e| format!("PEM block {}: {e}", self.label))
    }
}

/// Every PEM block of `text`, in order, whatever its label: the one PEM
/// reader of the project (the options read their entries with it, and the
/// hosts split their PEM files with it through the ABI). Text outside the
/// blocks is ignored; a block without its END line is an error.
pub fn pem_armour(text: &str) -> Result<Vec<PemBlock<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = crate::text::find(rest, "-----BEGIN ") {
        let after = crate::text::cut(rest, start + 11..);
        let Some(label_end) = crate::text::find(after, "-----") else {
            return Err("unterminated PEM BEGIN line".into());
        };
        let label = crate::text::cut(after, ..label_end);
        let body_start = crate::text::cut(after, label_end + 5..);
        let end_marker = format!("-----END {label}-----");
        let Some(end) = crate::text::find(body_start, &end_marker) else {
            return Err(format!("PEM block {label} has no END line"));
        };
        out.push(PemBlock {
            label,
            body: crate::text::cut(body_start, ..end),
        });
        rest = crate::text::cut(body_start, end + end_marker.len()..);
    }
    Ok(out)
}

/// Every PEM block with the given label, decoded. Blocks with other labels
/// (a private key left in a bundle, say) are skipped.
pub fn pem_blocks(text: &str, label: &str) -> Result<Vec<Vec<u8>>, String> {
    let mut out = Vec::new();
    for block in pem_armour(text)? {
        if block.label == label {
            out.push(block.der()?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_are_split_and_other_labels_skipped() {
        let text = "junk\n-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n\
                    -----BEGIN PRIVATE KEY-----\nBAU=\n-----END PRIVATE KEY-----\n\
                    -----BEGIN CERTIFICATE-----\nBAUG\n-----END CERTIFICATE-----\n";
        assert_eq!(
            pem_blocks(text, "CERTIFICATE").unwrap(),
            vec![vec![1, 2, 3], vec![4, 5, 6]]
        );
    }

    #[test]
    fn pem_armour_lists_every_block() {
        let text = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n\
                    -----BEGIN PRIVATE KEY-----\n!!\n-----END PRIVATE KEY-----\n";
        let blocks = pem_armour(text).unwrap();
        let labels: Vec<&str> = blocks.iter().map(|b| b.label).collect();
        assert_eq!(labels, ["CERTIFICATE", "PRIVATE KEY"]);
        assert_eq!(blocks[0].der().unwrap(), vec![1, 2, 3]);
        // A bad body of another label is not read for this one.
        assert_eq!(
            pem_blocks(text, "CERTIFICATE").unwrap(),
            vec![vec![1, 2, 3]]
        );
        assert!(
            blocks[1]
                .der()
                .unwrap_err()
                .starts_with("PEM block PRIVATE KEY: ")
        );
        assert_eq!(
            pem_armour("x -----BEGIN CERTIFICATE").unwrap_err(),
            "unterminated PEM BEGIN line"
        );
        assert_eq!(
            pem_armour("-----BEGIN X509 CRL-----\nAQID\n").unwrap_err(),
            "PEM block X509 CRL has no END line"
        );
    }

    #[test]
    fn broken_pem_is_an_error() {
        assert!(pem_blocks("-----BEGIN CERTIFICATE-----\nAQID\n", "CERTIFICATE").is_err());
        assert!(
            pem_blocks(
                "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----",
                "CERTIFICATE"
            )
            .is_err()
        );
    }

    fn json_error(json: &str) -> String {
        let e = VerifyOptions::from_json(json.as_bytes()).unwrap_err();
        assert_eq!(e.code, "OPTIONS_JSON", "{json}: {e}");
        e.message
    }

    #[test]
    fn every_limit_key_sets_its_own_field() {
        let fields = |l: &Limits| {
            [
                l.max_input_bytes,
                l.max_depth,
                l.max_elements,
                l.max_items,
                l.max_text_bytes,
                l.max_package_bytes,
                l.max_zip_entries,
                l.max_zip_entry_bytes,
                l.max_zip_total_bytes,
                l.max_zip_ratio as usize,
                l.max_zip_path_bytes,
                l.max_ofd_signatures,
            ]
        };
        assert_eq!(LIMIT_KEYS.len(), fields(&Limits::default()).len());
        for (i, key) in LIMIT_KEYS.iter().enumerate() {
            let json = format!(r#"{{"limits":{{"{key}":7}}}}"#);
            let got = fields(&VerifyOptions::from_json(json.as_bytes()).unwrap().limits);
            let mut want = fields(&Limits::default());
            want[i] = 7;
            assert_eq!(got, want, "{key}");
        }
    }

    #[test]
    fn the_documented_example_reads() {
        let json = r#"{
          "trustAnchors": ["-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n", "BAUG"],
          "certificates": ["A\u0051I\u0044"],
          "crls":         ["-----BEGIN X509 CRL-----\r\nBw==\r\n-----END X509 CRL-----"],
          "now": 1767225600,
          "limits": {
            "maxInputBytes": 4194304, "maxDepth": 64, "maxElements": 100000,
            "maxItems": 10000, "maxTextBytes": 65536, "maxPackageBytes": 67108864,
            "maxZipEntries": 10000, "maxZipEntryBytes": 33554432,
            "maxZipTotalBytes": 134217728, "maxZipRatio": 1000,
            "maxZipPathBytes": 512, "maxOfdSignatures": 64
          }
        }"#;
        let o = VerifyOptions::from_json(json.as_bytes()).unwrap();
        assert_eq!(o.trust_anchors, vec![vec![1, 2, 3], vec![4, 5, 6]]);
        assert_eq!(o.certificates, vec![vec![1, 2, 3]]);
        assert_eq!(o.crls, vec![vec![7]]);
        assert_eq!(o.now, Some(1_767_225_600));
        assert_eq!(o.limits, Limits::default());
    }

    #[test]
    fn null_now_and_limits_are_defaults() {
        let o = VerifyOptions::from_json(br#"{"now":null,"limits":null,"crls":[]}"#).unwrap();
        assert_eq!((o.now, o.limits), (None, Limits::default()));
        let o = VerifyOptions::from_json(br#" {"now":-5,"limits":{}} "#).unwrap();
        assert_eq!((o.now, o.limits), (Some(-5), Limits::default()));
        let o = VerifyOptions::from_json(br#"{"now":-9223372036854775808}"#).unwrap();
        assert_eq!(o.now, Some(i64::MIN));
    }

    #[test]
    fn shape_errors_name_the_key() {
        let shape = "options are not of the expected shape: ";
        for (json, want) in [
            (
                r#"{"bogus":1}"#,
                "options: unknown key `bogus`, expected one of trustAnchors, certificates, crls, now, limits",
            ),
            (
                r#"{"limits":{"maxDepht":3}}"#,
                "limits: unknown key `maxDepht`, expected one of maxInputBytes, maxDepth, \
                 maxElements, maxItems, maxTextBytes, maxPackageBytes, maxZipEntries, \
                 maxZipEntryBytes, maxZipTotalBytes, maxZipRatio, maxZipPathBytes, maxOfdSignatures",
            ),
            (
                r#"{"now":1,"crls":[],"now":2}"#,
                "options: repeated key `now`",
            ),
            (
                r#"{"limits":{"maxDepth":1,"maxDepth":1}}"#,
                "limits: repeated key `maxDepth`",
            ),
            (
                "[]",
                "options: expected an object with the keys trustAnchors, certificates, crls, now, limits, found an array",
            ),
            (
                r#"{"limits":3}"#,
                "limits: expected an object with the keys maxInputBytes, maxDepth, maxElements, \
                 maxItems, maxTextBytes, maxPackageBytes, maxZipEntries, maxZipEntryBytes, \
                 maxZipTotalBytes, maxZipRatio, maxZipPathBytes, maxOfdSignatures, found a number",
            ),
            (
                r#"{"limits":{"maxZipEntries":"5"}}"#,
                "limits.maxZipEntries: expected an unsigned integer, found a string",
            ),
            (
                r#"{"limits":{"maxZipEntries":null}}"#,
                "limits.maxZipEntries: expected an unsigned integer, found null",
            ),
            (
                r#"{"limits":{"maxZipEntries":1.5}}"#,
                "limits.maxZipEntries: expected an unsigned integer, found 1.5",
            ),
            (
                r#"{"limits":{"maxZipEntries":1e3}}"#,
                "limits.maxZipEntries: expected an unsigned integer, found 1e3",
            ),
            (
                r#"{"limits":{"maxDepth":-1}}"#,
                &format!("limits.maxDepth: -1 is out of range (0 to {})", usize::MAX),
            ),
            (
                r#"{"limits":{"maxZipRatio":4294967296}}"#,
                "limits.maxZipRatio: 4294967296 is out of range (0 to 4294967295)",
            ),
            (
                r#"{"now":1.5}"#,
                "now: expected an integer (Unix seconds) or null, found 1.5",
            ),
            (
                r#"{"now":"1767225600"}"#,
                "now: expected an integer (Unix seconds) or null, found a string",
            ),
            (
                r#"{"now":9223372036854775808}"#,
                "now: 9223372036854775808 is out of range (a 64-bit signed integer)",
            ),
            (
                r#"{"trustAnchors":[42]}"#,
                "trustAnchors[0]: expected a string (PEM or base64 DER), found a number",
            ),
            (
                r#"{"crls":["AQID",{}]}"#,
                "crls[1]: expected a string (PEM or base64 DER), found an object",
            ),
            (
                r#"{"certificates":"AQID"}"#,
                "certificates: expected an array of strings, found a string",
            ),
            (
                r#"{"trustAnchors":null}"#,
                "trustAnchors: expected an array of strings, found null",
            ),
        ] {
            assert_eq!(json_error(json), format!("{shape}{want}"), "{json}");
        }
    }

    #[test]
    fn errors_say_where_in_fields() {
        let at = |json: &str| {
            let e = VerifyOptions::from_json(json.as_bytes()).unwrap_err();
            if let (Some(field), Some(index)) = (&e.field, e.index) {
                let name = format!("{field}[{index}]");
                let shape = "options are not of the expected shape: ";
                let rest = e.message.strip_prefix(shape).unwrap_or(&e.message);
                assert!(rest.starts_with(&name), "{json}: {e}");
            }
            (e.code, e.field, e.index)
        };
        let s = |f: &str| Some(f.to_string());
        for (json, want) in [
            ("not json", ("OPTIONS_JSON", None, None)),
            (r#"{"bogus":1}"#, ("OPTIONS_JSON", None, None)),
            (r#"{"now":1.5}"#, ("OPTIONS_JSON", s("now"), None)),
            (r#"{"limits":3}"#, ("OPTIONS_JSON", s("limits"), None)),
            (r#"{"limits":{"x":3}}"#, ("OPTIONS_JSON", s("limits"), None)),
            (
                r#"{"limits":{"maxDepth":-1}}"#,
                ("OPTIONS_JSON", s("limits.maxDepth"), None),
            ),
            (r#"{"crls":3}"#, ("OPTIONS_JSON", s("crls"), None)),
            (
                r#"{"crls":["AQID",{}]}"#,
                ("OPTIONS_JSON", s("crls"), Some(1)),
            ),
            (
                r#"{"trustAnchors":["AQID","!!"]}"#,
                ("OPTIONS_PEM", s("trustAnchors"), Some(1)),
            ),
            (
                r#"{"certificates":["-----BEGIN X509 CRL-----\nAQID\n-----END X509 CRL-----"]}"#,
                ("OPTIONS_PEM", s("certificates"), Some(0)),
            ),
        ] {
            assert_eq!(at(json), want, "{json}");
        }
    }

    #[test]
    fn syntax_errors_say_where() {
        assert_eq!(
            json_error("{\"now\":}"),
            "options are not valid JSON: expected a value at line 1, column 8"
        );
        assert_eq!(
            json_error("{\n  \"crls\": [\"AQID\",]\n}"),
            "options are not valid JSON: expected a value at line 2, column 19"
        );
        assert_eq!(
            json_error("not json"),
            "options are not valid JSON: expected a value at line 1, column 1"
        );
        assert_eq!(
            json_error("{} x"),
            "options are not valid JSON: trailing characters after the JSON value at line 1, column 4"
        );
    }

    #[test]
    fn the_shape_is_checked_before_any_entry() {
        // A bad entry and an unknown key: the key is reported.
        json_error(r#"{"trustAnchors":["!!"],"bogus":1}"#);
        json_error(r#"{"trustAnchors":["!!"],"now":1.5}"#);
        // Entries are decoded trustAnchors, certificates, crls, whatever
        // their order in the JSON.
        let e = VerifyOptions::from_json(br#"{"crls":["!!"],"certificates":["!!"]}"#).unwrap_err();
        assert_eq!(e.code, "OPTIONS_PEM");
        assert!(e.message.starts_with("certificates[0]: "), "{}", e.message);
    }

    #[test]
    fn json_options_decode() {
        let o = VerifyOptions::from_json(br#"{"trustAnchors":["AQID"],"now":5}"#).unwrap();
        assert_eq!(o.trust_anchors, vec![vec![1, 2, 3]]);
        assert_eq!(o.now, Some(5));
        assert!(VerifyOptions::from_json(b"{\"bogus\":1}").is_err());
        assert!(
            VerifyOptions::from_json(b"")
                .unwrap()
                .trust_anchors
                .is_empty()
        );
    }
}
