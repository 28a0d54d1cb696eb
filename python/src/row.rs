//! One flat row per input: the CLI's record ([`Record`]) read into the
//! columns of the package's rows and of the Spark and Ray tables
//! (docs/python.md, "Rows").

use piaoyan_cli::module::Outcome;
use piaoyan_cli::output::{Lang, Record};

/// The columns of a row, in order (`duplicate_of` is set by a job that
/// sees every row, never by one verification; `report_json` only when
/// asked for).
pub const COLUMNS: [&str; 17] = [
    "file",
    "verdict",
    "sub_indication",
    "bill_key",
    "amount_fen",
    "issue_date",
    "invoicing_party_code",
    "warnings",
    "error_code",
    "reason_zh",
    "reason_en",
    "format",
    "demo_trust",
    "duplicate_of",
    "module_sha256",
    "options_sha256",
    "report_json",
];

/// One row.
pub struct Row {
    pub file: Option<String>,
    pub verdict: String,
    pub sub_indication: Option<String>,
    pub bill_key: Option<String>,
    pub amount_fen: Option<i64>,
    pub issue_date: Option<String>,
    pub invoicing_party_code: Option<String>,
    pub warnings: Vec<String>,
    pub error_code: Option<String>,
    pub reason_zh: String,
    pub reason_en: String,
    pub format: Option<String>,
    pub demo_trust: bool,
    /// The record as `piaoyan verify --format jsonl` writes it.
    pub report_json: Option<String>,
}

/// The record of one input, as the CLI makes it: a report, or an error
/// record (the module refused the call, trapped, ran out of time or
/// memory).
pub fn record(file: String, outcome: Outcome) -> Record {
    match outcome {
        Outcome::Report(report) => Record::report(file, report),
        Outcome::Rejected { code, message, .. } => Record::error(file, code, message),
        Outcome::Failed { code, message } => Record::error(file, code, message),
    }
}

/// The row of `record`; `file` is `None` when the caller named no file.
pub fn row(record: &Record, named: bool, with_json: bool) -> Row {
    let text = |s: Option<&str>| s.map(str::to_string);
    let warnings = record.warning_codes();
    let format = record.format();
    let main = record.main_texts();
    Row {
        file: named.then(|| record.file.clone()),
        verdict: record.verdict().to_string(),
        sub_indication: text(record.sub_indication()),
        bill_key: text(record.bill_key()),
        amount_fen: record.amount_fen(),
        issue_date: main.issue_date,
        invoicing_party_code: main.issuer_code,
        warnings: if warnings.is_empty() {
            Vec::new()
        } else {
            warnings.split(';').map(str::to_string).collect()
        },
        error_code: text(record.error_code()),
        reason_zh: record.reason(Lang::Zh),
        reason_en: record.reason(Lang::En),
        format: (!format.is_empty()).then(|| format.to_string()),
        demo_trust: record.demo_trust(),
        report_json: with_json.then(|| {
            serde_json::to_string(&record.to_json(None))
                .unwrap_or_else(|e| format!("{{\"error\":\"cannot write the record: {e}\"}}"))
        }),
    }
}
