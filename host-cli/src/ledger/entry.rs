//! The row a record becomes in the ledger.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::output::Record;

/// A kept verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    Valid,
    Invalid,
    Indeterminate,
}

impl Verdict {
    /// A record's verdict; anything but VALID or INVALID (an error record,
    /// a report without a verdict) is INDETERMINATE.
    pub fn of(text: &str) -> Verdict {
        match text {
            "VALID" => Verdict::Valid,
            "INVALID" => Verdict::Invalid,
            _ => Verdict::Indeterminate,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "VALID",
            Verdict::Invalid => "INVALID",
            Verdict::Indeterminate => "INDETERMINATE",
        }
    }
}

/// What the ledger keeps of one record.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub file: &'a str,
    /// Hex SHA-256 of the input's bytes; empty when they could not be read.
    pub file_sha256: String,
    pub bill_key: Option<&'a str>,
    pub verdict: Verdict,
    pub sub_indication: Option<&'a str>,
    pub error_code: Option<&'a str>,
    pub amount_fen: Option<i64>,
    pub issuer: Option<String>,
    pub payer: Option<String>,
    pub issue_date: Option<String>,
    pub module_sha256: &'a str,
    /// The record as `--format jsonl` writes it.
    pub report_json: String,
}

impl<'a> Entry<'a> {
    pub fn of(record: &'a Record, module_sha256: &'a str) -> Result<Entry<'a>, String> {
        let main = record.main_texts();
        let report_json = serde_json::to_string(&record.to_json(None))
            .map_err(|e| format!("{}: the record cannot be kept: {e}", record.file))?;
        Ok(Entry {
            file: &record.file,
            file_sha256: record.sha256.as_ref().map(|d| hex(d)).unwrap_or_default(),
            bill_key: record.bill_key(),
            verdict: Verdict::of(record.verdict()),
            sub_indication: record.sub_indication(),
            error_code: record.error_code(),
            amount_fen: record.amount_fen(),
            issuer: main.issuer,
            payer: main.payer,
            issue_date: main.issue_date,
            module_sha256,
            report_json,
        })
    }
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
