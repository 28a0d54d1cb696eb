//! Shared inputs of the cross-crate tests: `../shared/vectors`, the
//! manifest comparison and the report JSON Schema.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// `../shared` seen from the repository root.
pub fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

pub fn repo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn bills_dir() -> PathBuf {
    shared_dir().join("vectors/bills")
}

#[derive(Debug, Deserialize)]
pub struct Expect {
    pub verdict: String,
    #[serde(rename = "subIndication")]
    pub sub_indication: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Entry {
    pub file: String,
    pub expect: Expect,
    pub note: String,
    pub warnings: Vec<String>,
    pub info: Vec<String>,
}

pub fn manifest() -> Vec<Entry> {
    let text = std::fs::read_to_string(bills_dir().join("manifest.json")).expect("manifest.json");
    serde_json::from_str(&text).expect("manifest.json parses")
}

/// The warning codes of spec §9.
pub const SPEC_WARNING_CODES: &[&str] = &[
    "EINVOICE_ID_MISMATCH",
    "CODE_YEAR_MISMATCH",
    "PARTY_CODE_LENGTH",
    "PAYER_ID_CHECK",
    "ITEM_QTY_STD_MISMATCH",
    "DER_TRAILING_OCTETS",
    "SIGNING_ORDER",
    "SIGNED_BEFORE_ISSUE",
    "CERT_EXPIRED_SINCE_SIGNING",
    "CERT_REVOKED_AFTER_SIGNING",
];

pub fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The trust material of the shared vectors as options.
pub fn vector_options(now: i64) -> piaoyan_core::VerifyOptions {
    let trust = bills_dir().join("trust");
    let pem = |name: &str, label: &str| {
        piaoyan_core::options::pem_blocks(&read_text(&trust.join(name)), label).expect("PEM")
    };
    piaoyan_core::VerifyOptions {
        trust_anchors: pem("roots.pem", "CERTIFICATE"),
        certificates: pem("intermediates.pem", "CERTIFICATE"),
        crls: pem("crls.pem", "X509 CRL"),
        now: Some(now),
        ..Default::default()
    }
}

pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Compares a report (as JSON) with a manifest entry; returns the mismatches.
pub fn compare(entry: &Entry, report: &serde_json::Value) -> Vec<String> {
    let mut problems = Vec::new();
    let verdict = report["verdict"].as_str().unwrap_or("?");
    let sub = report["subIndication"].as_str();
    if verdict != entry.expect.verdict || sub != entry.expect.sub_indication.as_deref() {
        problems.push(format!(
            "got {verdict}/{} want {}/{} — {}",
            sub.unwrap_or("-"),
            entry.expect.verdict,
            entry.expect.sub_indication.as_deref().unwrap_or("-"),
            report["reason"]["en"].as_str().unwrap_or("")
        ));
    }
    let codes: Vec<&str> = report["warnings"]
        .as_array()
        .map(|w| w.iter().filter_map(|w| w["code"].as_str()).collect())
        .unwrap_or_default();
    let mut wanted: Vec<&str> = entry.warnings.iter().map(String::as_str).collect();
    wanted.extend(
        entry
            .info
            .iter()
            .map(String::as_str)
            .filter(|c| SPEC_WARNING_CODES.contains(c)),
    );
    for w in &wanted {
        if !codes.contains(w) {
            problems.push(format!("missing warning {w}"));
        }
    }
    for c in &codes {
        if SPEC_WARNING_CODES.contains(c) && !wanted.contains(c) {
            problems.push(format!("unexpected §9 warning {c}"));
        }
    }
    if entry.info.iter().any(|i| i == "HALF_UP_ROUNDING")
        && codes.contains(&"ITEM_QTY_STD_MISMATCH")
    {
        problems.push("half-up rounding raised ITEM_QTY_STD_MISMATCH".into());
    }
    problems
}

/// The report JSON Schema in docs/, compiled.
pub fn report_schema() -> jsonschema::Validator {
    let text = read_text(&repo_dir().join("docs/report.schema.json"));
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

pub fn schema_errors(validator: &jsonschema::Validator, report: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}
