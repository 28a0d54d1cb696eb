//! `--format csv`: RFC 4180 rows, one per record.

use std::io::{self, Write};

use super::record::{Lang, Record};

/// The CSV columns (`format` and `signatures`, the OFD document's
/// [`Record::document_summary`], `demoTrust`, then `seenBefore`, last:
/// the earlier file of a bill the ledger had already).
pub const CSV_HEADER: [&str; 14] = [
    "file",
    "verdict",
    "subIndication",
    "duplicateOf",
    "billKey",
    "amount",
    "amountFen",
    "warnings",
    "errorCode",
    "reason",
    "format",
    "signatures",
    "demoTrust",
    "seenBefore",
];

pub(crate) fn csv_cells(record: &Record, duplicate_of: Option<&str>, lang: Lang) -> Vec<String> {
    let s = |v: Option<&str>| v.unwrap_or_default().to_string();
    vec![
        record.file.clone(),
        record.verdict().to_string(),
        s(record.sub_indication()),
        s(duplicate_of),
        s(record.bill_key()),
        s(record.amount_text()),
        record
            .amount_fen()
            .map(|f| f.to_string())
            .unwrap_or_default(),
        record.warning_codes(),
        s(record.error_code()),
        record.reason(lang),
        record.format().to_string(),
        record.document_summary(lang),
        record.demo_trust().to_string(),
        record
            .seen_before
            .as_ref()
            .map(|seen| seen.file.clone())
            .unwrap_or_default(),
    ]
}

/// One RFC 4180 row: a cell holding a comma, a quote, CR or LF is quoted,
/// its quotes doubled; rows end with CRLF.
pub(crate) fn csv_row(
    out: &mut impl Write,
    cells: impl IntoIterator<Item = String>,
) -> io::Result<()> {
    let mut line = String::new();
    for (n, cell) in cells.into_iter().enumerate() {
        if n > 0 {
            line.push(',');
        }
        if cell.contains([',', '"', '\r', '\n']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&cell);
        }
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes())
}
