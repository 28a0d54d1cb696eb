//! What the JavaScript API (`js.rs`, `docs/js-api` in the README) does, kept
//! free of JavaScript types so that it is compiled and tested natively.
//!
//! The options a JavaScript caller passes mean exactly what the options JSON
//! of the C-style ABI means (`docs/abi.md`): the certificate and CRL entries
//! are turned into that JSON (DER bytes as base64) and read by
//! [`VerifyOptions::from_json`], so both hosts split PEM, name entries in
//! errors (`trustAnchors[1]`) and reject bad material the same way.

use std::fmt;

use base64::Engine as _;
use piaoyan_core::pki::cert::Cert;
use piaoyan_core::pki::crl::Crl;
use piaoyan_core::{Limits, OptionsError, Verifier, VerifyOptions};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Error code of options whose shape is wrong (an unknown key, a number
/// where a list belongs, an entry that is neither text nor bytes).
pub const ERR_OPTIONS_TYPE: &str = "OPTIONS_TYPE";
/// Error code of `describeCertificate` / `describeCrl` on bytes that are
/// not one.
pub const ERR_NOT_A_CERTIFICATE: &str = "NOT_A_CERTIFICATE";
pub const ERR_NOT_A_CRL: &str = "NOT_A_CRL";
/// Error code of `parse` on a bill that is not a well-formed bill of the
/// profile.
pub const ERR_FORMAT: &str = "FORMAT_FAILURE";

/// An error of a JavaScript call: becomes a `PiaoyanError` with this code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallError {
    pub code: &'static str,
    pub message: String,
}

impl CallError {
    pub fn new(code: &'static str, message: impl Into<String>) -> CallError {
        CallError {
            code,
            message: message.into(),
        }
    }
}

impl From<OptionsError> for CallError {
    fn from(e: OptionsError) -> CallError {
        CallError {
            code: e.code,
            message: e.message,
        }
    }
}

/// One certificate or CRL as JavaScript gives it: text (PEM, or base64 of
/// DER) or the DER bytes (`Uint8Array`, `ArrayBuffer`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Text(String),
    Der(Vec<u8>),
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Entry, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = Entry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string (PEM or base64 DER) or a Uint8Array (DER)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Entry, E> {
                Ok(Entry::Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Entry, E> {
                Ok(Entry::Text(v))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Entry, E> {
                Ok(Entry::Der(v.to_vec()))
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Entry, E> {
                Ok(Entry::Der(v))
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

/// The keys of the options object.
pub const OPTION_KEYS: &[&str] = &["trustAnchors", "certificates", "crls", "now", "limits"];
/// The keys of `options.limits`.
pub const LIMIT_KEYS: &[&str] = &[
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

/// The options object of `verify(bill, options)`. Every key is optional;
/// unknown keys are an error (a misspelt `trustAnchor` must not silently
/// verify with no trust at all).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct JsOptions {
    pub trust_anchors: Option<Vec<Entry>>,
    pub certificates: Option<Vec<Entry>>,
    pub crls: Option<Vec<Entry>>,
    /// Unix seconds (UTC).
    pub now: Option<i64>,
    pub limits: Option<Limits>,
}

/// The options JSON of the C-style ABI, as [`VerifyOptions::from_json`]
/// reads it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AbiOptions {
    trust_anchors: Vec<String>,
    certificates: Vec<String>,
    crls: Vec<String>,
    now: Option<i64>,
}

fn entry_texts(entries: Option<Vec<Entry>>) -> Vec<String> {
    entries
        .unwrap_or_default()
        .into_iter()
        .map(|e| match e {
            Entry::Text(t) => t,
            Entry::Der(d) => base64::engine::general_purpose::STANDARD.encode(d),
        })
        .collect()
}

impl JsOptions {
    /// The core's options, read the way the C-style ABI reads them.
    pub fn into_verify_options(self) -> Result<VerifyOptions, CallError> {
        let abi = AbiOptions {
            trust_anchors: entry_texts(self.trust_anchors),
            certificates: entry_texts(self.certificates),
            crls: entry_texts(self.crls),
            now: self.now,
        };
        let json = serde_json::to_vec(&abi).map_err(|e| {
            CallError::new("OPTIONS_JSON", format!("cannot encode the options: {e}"))
        })?;
        let mut options = VerifyOptions::from_json(&json)?;
        options.limits = self.limits.unwrap_or_default();
        Ok(options)
    }
}

/// `verify`: the report as JSON, exactly as `piaoyan_core::verify_json` (and
/// so the C-style ABI and `piaoyan verify --format json`) gives it.
pub fn verify_json(bill: &[u8], options: JsOptions) -> Result<String, CallError> {
    let options = options.into_verify_options()?;
    let report = Verifier::new(&options)?.verify(bill);
    serde_json::to_string(&report).map_err(|e| CallError::new("REPORT_JSON", e.to_string()))
}

/// `parse`: the bill as JSON (the `bill` of a report), without verifying.
pub fn parse_json(bill: &[u8]) -> Result<String, CallError> {
    let verifier = Verifier::new(&VerifyOptions::default())?;
    match verifier.parse(bill) {
        Ok(bill) => {
            serde_json::to_string(&bill).map_err(|e| CallError::new("REPORT_JSON", e.to_string()))
        }
        Err(e) => Err(CallError::new(
            ERR_FORMAT,
            format!("{} ({})", e.message.en, e.check),
        )),
    }
}

/// Lower-case hexadecimal SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xf)] as char);
    }
    out
}

/// A certificate as the page lists the user's trust material.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSummary {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    /// RFC 3339, UTC.
    pub not_before: String,
    pub not_after: String,
    /// Subject and issuer are the same name: a root, the usual trust anchor.
    pub self_issued: bool,
    pub sha256: String,
}

/// A CRL as the page lists it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrlSummary {
    pub issuer: String,
    pub this_update: String,
    pub next_update: Option<String>,
    pub revoked: usize,
    pub sha256: String,
}

/// `describeCertificate`: the DER of one certificate, summarised as JSON.
pub fn describe_certificate_json(der: &[u8]) -> Result<String, CallError> {
    let cert = Cert::from_der(der).map_err(|e| {
        CallError::new(
            ERR_NOT_A_CERTIFICATE,
            format!("not a usable certificate: {e}"),
        )
    })?;
    let summary = CertificateSummary {
        subject: cert.subject_string(),
        issuer: cert.issuer_string(),
        serial: cert.serial_hex(),
        not_before: piaoyan_core::time::rfc3339(cert.not_before(), 0),
        not_after: piaoyan_core::time::rfc3339(cert.not_after(), 0),
        self_issued: cert.is_self_issued(),
        sha256: sha256_hex(der),
    };
    serde_json::to_string(&summary).map_err(|e| CallError::new("REPORT_JSON", e.to_string()))
}

/// `describeCrl`: the DER of one CRL, summarised as JSON.
pub fn describe_crl_json(der: &[u8]) -> Result<String, CallError> {
    let crl = Crl::from_der(der)
        .map_err(|e| CallError::new(ERR_NOT_A_CRL, format!("not a usable CRL: {e}")))?;
    let summary = CrlSummary {
        issuer: crl.issuer_string(),
        this_update: piaoyan_core::time::rfc3339(crl.this_update(), 0),
        next_update: crl.next_update().map(|t| piaoyan_core::time::rfc3339(t, 0)),
        revoked: crl.revoked_count(),
        sha256: sha256_hex(der),
    };
    serde_json::to_string(&summary).map_err(|e| CallError::new("REPORT_JSON", e.to_string()))
}

/// `spellAmount`: the canonical capital spelling (大写) of an amount in fen.
pub fn spell_amount(fen: i64) -> String {
    piaoyan_core::capital::spell(fen)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../samples");

    fn sample(path: &str) -> Vec<u8> {
        std::fs::read(format!("{SAMPLES}/{path}")).unwrap()
    }

    fn text(path: &str) -> Entry {
        Entry::Text(String::from_utf8(sample(path)).unwrap())
    }

    fn demo_trust() -> JsOptions {
        JsOptions {
            trust_anchors: Some(vec![text("trust/roots.pem")]),
            certificates: Some(vec![text("trust/intermediates.pem")]),
            crls: Some(vec![text("trust/crls.pem")]),
            ..JsOptions::default()
        }
    }

    fn verdict(json: &str) -> (String, serde_json::Value) {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        (v["verdict"].as_str().unwrap().to_string(), v)
    }

    #[test]
    fn same_report_as_the_abi_options_json() {
        let bill = sample("bills/01-hospital-valid.xml");
        let ours = verify_json(&bill, demo_trust()).unwrap();
        let pem = |p: &str| String::from_utf8(sample(p)).unwrap();
        let abi_opts = serde_json::json!({
            "trustAnchors": [pem("trust/roots.pem")],
            "certificates": [pem("trust/intermediates.pem")],
            "crls": [pem("trust/crls.pem")],
        });
        let abi = piaoyan_core::verify_json(&bill, abi_opts.to_string().as_bytes()).unwrap();
        assert_eq!(ours, abi);
        assert_eq!(verdict(&ours).0, "VALID");
    }

    #[test]
    fn der_entries_equal_pem_entries() {
        let pem = String::from_utf8(sample("trust/roots.pem")).unwrap();
        let ders = piaoyan_core::options::pem_blocks(&pem, "CERTIFICATE").unwrap();
        assert_eq!(ders.len(), 2);
        let mut opts = demo_trust();
        opts.trust_anchors = Some(ders.into_iter().map(Entry::Der).collect());
        let bill = sample("bills/02-school-valid.xml");
        assert_eq!(
            verify_json(&bill, opts).unwrap(),
            verify_json(&bill, demo_trust()).unwrap()
        );
    }

    #[test]
    fn verdicts_of_the_demo_bills() {
        for (file, want, sub) in [
            ("01-hospital-valid.xml", "VALID", None),
            (
                "04-hospital-tampered-amount.xml",
                "INVALID",
                Some("HASH_FAILURE"),
            ),
            (
                "05-untrusted-root.xml",
                "INDETERMINATE",
                Some("NO_CERTIFICATE_CHAIN_FOUND"),
            ),
        ] {
            let (got, report) =
                verdict(&verify_json(&sample(&format!("bills/{file}")), demo_trust()).unwrap());
            assert_eq!(got, want, "{file}");
            assert_eq!(report["subIndication"].as_str(), sub, "{file}");
        }
    }

    #[test]
    fn bad_entries_name_their_index() {
        let opts = JsOptions {
            trust_anchors: Some(vec![text("trust/roots.pem"), Entry::Text("!!".into())]),
            ..JsOptions::default()
        };
        let e = verify_json(b"<x/>", opts).unwrap_err();
        assert_eq!(e.code, "OPTIONS_PEM");
        assert!(e.message.starts_with("trustAnchors[1]"), "{}", e.message);

        let opts = JsOptions {
            crls: Some(vec![Entry::Der(vec![0x30, 0x03, 0x02, 0x01, 0x01])]),
            ..JsOptions::default()
        };
        let e = verify_json(b"<x/>", opts).unwrap_err();
        assert_eq!(e.code, "OPTIONS_CERTIFICATE");
        assert!(e.message.contains("crls[0]"), "{}", e.message);
    }

    #[test]
    fn limits_apply() {
        let opts = JsOptions {
            limits: Some(Limits {
                max_input_bytes: 10,
                ..Limits::default()
            }),
            ..JsOptions::default()
        };
        let (v, report) =
            verdict(&verify_json(&sample("bills/01-hospital-valid.xml"), opts).unwrap());
        assert_eq!(v, "INVALID");
        assert_eq!(report["subIndication"], "FORMAT_FAILURE");
    }

    #[test]
    fn options_shape_is_checked_by_serde() {
        // serde-wasm-bindgen drives the same Deserialize impls; JSON stands
        // in for a JavaScript object here.
        let ok: JsOptions =
            serde_json::from_str(r#"{"trustAnchors":["AQID"],"now":5,"limits":{"maxDepth":9}}"#)
                .unwrap();
        assert_eq!(ok.trust_anchors, Some(vec![Entry::Text("AQID".into())]));
        assert_eq!(ok.now, Some(5));
        assert_eq!(ok.limits.unwrap().max_depth, 9);
        assert_eq!(ok.limits.unwrap().max_items, Limits::default().max_items);
        let e = serde_json::from_str::<JsOptions>(r#"{"trustAnchor":[]}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field `trustAnchor`"), "{e}");
        let e = serde_json::from_str::<JsOptions>(r#"{"crls":[5]}"#).unwrap_err();
        assert!(
            e.to_string().contains("a string (PEM or base64 DER)"),
            "{e}"
        );
        let nulls: JsOptions = serde_json::from_str(r#"{"trustAnchors":null,"now":null}"#).unwrap();
        assert!(nulls.trust_anchors.is_none() && nulls.now.is_none());
    }

    #[test]
    fn the_key_lists_match_the_types() {
        // Every key the lists allow is read by serde, and no other.
        let all = format!(
            "{{{}}}",
            OPTION_KEYS
                .iter()
                .map(|k| format!("\"{k}\":null"))
                .collect::<Vec<_>>()
                .join(",")
        );
        serde_json::from_str::<JsOptions>(&all).unwrap();
        let limits = format!(
            "{{{}}}",
            LIMIT_KEYS
                .iter()
                .map(|k| format!("\"{k}\":1"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let parsed: Limits = serde_json::from_str(&limits).unwrap();
        assert_eq!(
            parsed,
            Limits {
                max_input_bytes: 1,
                max_depth: 1,
                max_elements: 1,
                max_items: 1,
                max_text_bytes: 1,
                max_package_bytes: 1,
                max_zip_entries: 1,
                max_zip_entry_bytes: 1,
                max_zip_total_bytes: 1,
                max_zip_ratio: 1,
                max_zip_path_bytes: 1,
                max_ofd_signatures: 1,
            }
        );
    }

    #[test]
    fn parse_gives_the_bill_or_a_format_error() {
        let bill: serde_json::Value =
            serde_json::from_str(&parse_json(&sample("bills/01-hospital-valid.xml")).unwrap())
                .unwrap();
        assert!(bill["main"]["eInvoiceNumber"].is_string());
        let e = parse_json(b"not xml").unwrap_err();
        assert_eq!(e.code, ERR_FORMAT);
        assert!(!e.message.is_empty());
    }

    #[test]
    fn certificates_and_crls_are_described() {
        let roots = String::from_utf8(sample("trust/roots.pem")).unwrap();
        let der = &piaoyan_core::options::pem_blocks(&roots, "CERTIFICATE").unwrap()[0];
        let v: serde_json::Value =
            serde_json::from_str(&describe_certificate_json(der).unwrap()).unwrap();
        assert_eq!(v["selfIssued"], true);
        assert!(v["subject"].as_str().unwrap().contains("Root CA"), "{v}");
        assert_eq!(v["notBefore"], "2024-01-01T00:00:00Z");
        let inter = String::from_utf8(sample("trust/intermediates.pem")).unwrap();
        let der = &piaoyan_core::options::pem_blocks(&inter, "CERTIFICATE").unwrap()[0];
        let v: serde_json::Value =
            serde_json::from_str(&describe_certificate_json(der).unwrap()).unwrap();
        assert_eq!(v["selfIssued"], false);
        let crls = String::from_utf8(sample("trust/crls.pem")).unwrap();
        let der = &piaoyan_core::options::pem_blocks(&crls, "X509 CRL").unwrap()[0];
        let v: serde_json::Value = serde_json::from_str(&describe_crl_json(der).unwrap()).unwrap();
        assert!(v["issuer"].as_str().unwrap().contains("Issuing CA"), "{v}");
        assert_eq!(
            describe_certificate_json(b"\x30\x00").unwrap_err().code,
            ERR_NOT_A_CERTIFICATE
        );
        assert_eq!(describe_crl_json(b"junk").unwrap_err().code, ERR_NOT_A_CRL);
    }

    #[test]
    fn sha256_and_capitals() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(spell_amount(21710), "贰佰壹拾柒元壹角整");
    }
}
