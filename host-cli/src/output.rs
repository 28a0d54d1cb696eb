//! One record per input, the four ways to print them, and the summary.
//!
//! A record is the report with `file` in front and `verdict`,
//! `subIndication` (and `duplicateOf` for a repeated bill) right after it.
//! An input that got no report (unreadable, or the module trapped, timed out
//! or hit its memory cap) gets an error record instead:
//! `{"file", "verdict": "INDETERMINATE", "subIndication": null, "reason":
//! {"zh", "en"}, "error": {"code", "message"}}`.
//!
//! Records are written as they come (nothing but the table's first rows is
//! held back), and the [`Tally`] keeps what the summary needs.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::time::Duration;

use serde::Deserialize;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::report::Report;
use unicode_width::UnicodeWidthStr;

/// What became of one input.
#[derive(Debug)]
pub struct Record {
    /// The path, or `archive.zip!/entry`.
    pub file: String,
    pub body: Body,
}

#[derive(Debug)]
pub enum Body {
    /// The verifier's report, and the fields every output and the tally
    /// read, decoded once.
    Report(Report, Head),
    /// No report: why.
    Error { code: String, message: String },
}

/// The fields of a report read for every record.
#[derive(Debug, Default)]
pub struct Head {
    verdict: Option<String>,
    sub_indication: Option<String>,
    bill_key: Option<String>,
    format: Option<String>,
    /// `demoTrust`: the verdict rests on a demo trust anchor.
    demo_trust: bool,
    /// `bill.main.totalAmount`.
    amount: Amount,
}

#[derive(Debug, Default, Deserialize)]
struct Amount {
    fen: Option<i64>,
    text: Option<String>,
}

/// The part of `bill` the head holds: `main.totalAmount`.
#[derive(Deserialize)]
struct BillAmount {
    main: Option<MainAmount>,
}

#[derive(Deserialize)]
struct MainAmount {
    #[serde(rename = "totalAmount")]
    total_amount: Option<Amount>,
}

impl Head {
    fn of(report: &Report) -> Head {
        Head {
            verdict: report.get("verdict"),
            sub_indication: report.get("subIndication"),
            bill_key: report.get("billKey"),
            format: report.get("format"),
            demo_trust: report.get("demoTrust").unwrap_or(false),
            amount: report
                .get::<BillAmount>("bill")
                .and_then(|b| b.main?.total_amount)
                .unwrap_or_default(),
        }
    }
}

/// The verdict of an error record.
pub const ERROR_VERDICT: &str = "INDETERMINATE";

impl Record {
    pub fn report(file: String, report: Report) -> Record {
        let head = Head::of(&report);
        Record {
            file,
            body: Body::Report(report, head),
        }
    }

    pub fn error(file: String, code: impl Into<String>, message: String) -> Record {
        Record {
            file,
            body: Body::Error {
                code: code.into(),
                message,
            },
        }
    }

    fn head(&self) -> Option<&Head> {
        match &self.body {
            Body::Report(_, head) => Some(head),
            Body::Error { .. } => None,
        }
    }

    fn report_json(&self) -> Option<&Report> {
        match &self.body {
            Body::Report(report, _) => Some(report),
            Body::Error { .. } => None,
        }
    }

    /// `VALID`, `INVALID` or `INDETERMINATE` (error records included).
    pub fn verdict(&self) -> &str {
        match self.head() {
            Some(head) => head.verdict.as_deref().unwrap_or("?"),
            None => ERROR_VERDICT,
        }
    }

    /// The verdict rests on a demo trust anchor (the report's
    /// `demoTrust`): anyone can make such a bill, so it is never shown as
    /// a plain VALID.
    pub fn demo_trust(&self) -> bool {
        self.head().is_some_and(|h| h.demo_trust)
    }

    /// A VALID verdict that rests on a demo trust anchor (an INVALID one
    /// stands whatever the anchor).
    fn demo_valid(&self) -> bool {
        self.demo_trust() && self.verdict() == "VALID"
    }

    /// The verdict as a person reads it: `VALID (DEMO)` / `VALID（演示）`
    /// when it rests on a demo trust anchor.
    pub fn verdict_shown(&self, lang: Lang) -> String {
        match (self.demo_valid(), lang) {
            (false, _) => self.verdict().to_string(),
            (true, Lang::En) => format!("{} (DEMO)", self.verdict()),
            (true, Lang::Zh) => format!("{}（演示）", self.verdict()),
        }
    }

    pub fn sub_indication(&self) -> Option<&str> {
        self.head()?.sub_indication.as_deref()
    }

    /// The error code of an error record.
    pub fn error_code(&self) -> Option<&str> {
        match &self.body {
            Body::Error { code, .. } => Some(code),
            Body::Report(..) => None,
        }
    }

    pub fn bill_key(&self) -> Option<&str> {
        self.head()?.bill_key.as_deref()
    }

    /// `bill.main.totalAmount.fen`.
    pub fn amount_fen(&self) -> Option<i64> {
        self.head()?.amount.fen
    }

    /// `bill.main.totalAmount.text`.
    pub fn amount_text(&self) -> Option<&str> {
        self.head()?.amount.text.as_deref()
    }

    /// The reason in `lang`; for an error record, why it got no report.
    pub fn reason(&self, lang: Lang) -> String {
        match &self.body {
            Body::Report(r, _) => r
                .get::<Value>("reason")
                .and_then(|r| r.get(lang.key())?.as_str().map(str::to_string))
                .unwrap_or_default(),
            Body::Error { code, message } => error_reason(code, message, lang),
        }
    }

    /// `xml` or `ofd` (the report's `format`); empty for an error record.
    pub fn format(&self) -> &str {
        self.head()
            .and_then(|h| h.format.as_deref())
            .unwrap_or_default()
    }

    /// For an OFD document, its signatures in one line: how many, then
    /// each one's kind, seal name (or signer), and verdict, `;`-separated:
    /// `2 seals: seal "名称" INDETERMINATE; seal "名称" INVALID HASH_FAILURE`.
    /// Empty for a bill or an error record.
    pub fn document_summary(&self, lang: Lang) -> String {
        let Some(document) = self.report_json().and_then(|r| r.get::<Value>("document")) else {
            return String::new();
        };
        let Some(signatures) = document.get("signatures").and_then(Value::as_array) else {
            return String::new();
        };
        let seals = signatures
            .iter()
            .filter(|s| s.get("type").and_then(Value::as_str) == Some("Seal"))
            .count();
        let others = signatures.len() - seals;
        let mut head = Vec::new();
        match lang {
            Lang::En => {
                if seals > 0 || others == 0 {
                    head.push(format!("{seals} seal{}", if seals == 1 { "" } else { "s" }));
                }
                if others > 0 {
                    head.push(format!(
                        "{others} digital signature{}",
                        if others == 1 { "" } else { "s" }
                    ));
                }
            }
            Lang::Zh => {
                if seals > 0 || others == 0 {
                    head.push(format!("{seals} 个电子印章"));
                }
                if others > 0 {
                    head.push(format!("{others} 个数字签名"));
                }
            }
        }
        let text = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
        let each: Vec<String> = signatures
            .iter()
            .map(|sig| {
                let seal = sig.get("type").and_then(Value::as_str) == Some("Seal");
                let kind = match (lang, seal) {
                    (Lang::En, true) => "seal",
                    (Lang::En, false) => "signature",
                    (Lang::Zh, true) => "电子印章",
                    (Lang::Zh, false) => "数字签名",
                };
                let name = text(sig, "/seal/name")
                    .or_else(|| text(sig, "/signer/subject"))
                    .unwrap_or_else(|| text(sig, "/id").unwrap_or_default());
                let mut out = format!(
                    "{kind} \"{name}\" {}",
                    text(sig, "/verdict").unwrap_or_default()
                );
                if let Some(sub) = text(sig, "/subIndication") {
                    out.push(' ');
                    out.push_str(&sub);
                }
                out
            })
            .collect();
        let (sep, colon) = match lang {
            Lang::En => (", ", ": "),
            Lang::Zh => ("，", "："),
        };
        if each.is_empty() {
            head.join(sep)
        } else {
            format!("{}{colon}{}", head.join(sep), each.join("; "))
        }
    }

    /// The warning codes, `;`-separated.
    pub fn warning_codes(&self) -> String {
        let Some(r) = self.report_json() else {
            return String::new();
        };
        r.get::<Vec<Value>>("warnings")
            .map(|ws| {
                ws.iter()
                    .filter_map(|w| w.get("code").and_then(Value::as_str))
                    .collect::<Vec<_>>()
                    .join(";")
            })
            .unwrap_or_default()
    }

    /// The record as `--format json` and `jsonl` write it: `file`,
    /// `verdict`, `subIndication` (and `duplicateOf`) first, then the rest
    /// of the report as the module wrote it.
    pub fn to_json<'a>(&'a self, duplicate_of: Option<&'a str>) -> RecordJson<'a> {
        RecordJson {
            record: self,
            duplicate_of,
        }
    }
}

/// [`Record::to_json`]: serializes as one JSON object.
pub struct RecordJson<'a> {
    record: &'a Record,
    duplicate_of: Option<&'a str>,
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
                for (key, value) in report.fields() {
                    if !matches!(key, "verdict" | "subIndication" | "file" | "duplicateOf") {
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

fn error_reason(code: &str, message: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("not verified ({code}): {message}"),
        Lang::Zh => format!("未能验证（{code}）：{message}"),
    }
}

/// Language of the table, the CSV reason column and the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English
    En,
    /// 简体中文
    Zh,
}

impl Lang {
    fn key(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for a person.
    Table,
    /// One JSON array of records.
    Json,
    /// One JSON record per line.
    Jsonl,
    /// Comma-separated values (RFC 4180), one row per record.
    Csv,
}

/// The table aligns its columns over this many first rows; later rows use
/// those widths (a longer cell pushes the rest of its row right).
pub const TABLE_ALIGN_ROWS: usize = 1000;

/// The CSV columns (`format` and `signatures`, the OFD document's
/// [`Record::document_summary`], then `demoTrust`, last).
pub const CSV_HEADER: [&str; 13] = [
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
];

/// Writes records in one format, as they come.
pub struct Writer<W: Write> {
    out: W,
    format: Format,
    lang: Lang,
    count: usize,
    /// Table rows held back until the widths are known.
    rows: Vec<[String; 5]>,
    widths: Option<[usize; 5]>,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, format: Format, lang: Lang) -> Writer<W> {
        Writer {
            out,
            format,
            lang,
            count: 0,
            rows: Vec::new(),
            widths: None,
        }
    }

    /// Writes one record (`duplicate_of`: the first file with its bill key).
    pub fn record(&mut self, record: &Record, duplicate_of: Option<&str>) -> io::Result<()> {
        let first = self.count == 0;
        self.count += 1;
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, &record.to_json(duplicate_of))?;
                self.out.write_all(b"\n")?;
                self.out.flush()
            }
            Format::Json => {
                // Decoded first: a report's text is written compact as it
                // came, and this format indents every level.
                let text = serde_json::to_value(record.to_json(duplicate_of))
                    .and_then(|value| serde_json::to_string_pretty(&value))
                    .map_err(io::Error::other)?;
                self.out.write_all(if first { b"[\n" } else { b",\n" })?;
                for (n, line) in text.lines().enumerate() {
                    if n > 0 {
                        self.out.write_all(b"\n")?;
                    }
                    self.out.write_all(b"  ")?;
                    self.out.write_all(line.as_bytes())?;
                }
                self.out.flush()
            }
            Format::Csv => {
                if first {
                    csv_row(&mut self.out, CSV_HEADER.iter().map(|s| s.to_string()))?;
                }
                csv_row(&mut self.out, csv_cells(record, duplicate_of, self.lang))?;
                self.out.flush()
            }
            Format::Table => {
                let row = table_row(record, duplicate_of, self.lang);
                match self.widths {
                    None => {
                        self.rows.push(row);
                        if self.rows.len() >= TABLE_ALIGN_ROWS {
                            self.flush_table()?;
                        }
                        Ok(())
                    }
                    Some(widths) => {
                        write_table_row(&mut self.out, &row, &widths)?;
                        self.out.flush()
                    }
                }
            }
        }
    }

    fn flush_table(&mut self) -> io::Result<()> {
        let mut rows = vec![table_heading(self.lang)];
        rows.append(&mut self.rows);
        let mut widths = [0; 5];
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        for row in &rows {
            write_table_row(&mut self.out, row, &widths)?;
        }
        self.widths = Some(widths);
        self.out.flush()
    }

    /// Ends the output (closes the JSON array, prints held table rows).
    pub fn finish(mut self) -> io::Result<W> {
        match self.format {
            Format::Json if self.count == 0 => self.out.write_all(b"[]\n")?,
            Format::Json => self.out.write_all(b"\n]\n")?,
            Format::Csv if self.count == 0 => {
                csv_row(&mut self.out, CSV_HEADER.iter().map(|s| s.to_string()))?
            }
            Format::Table if self.widths.is_none() => self.flush_table()?,
            _ => {}
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

fn csv_cells(record: &Record, duplicate_of: Option<&str>, lang: Lang) -> Vec<String> {
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
    ]
}

/// One RFC 4180 row: a cell holding a comma, a quote, CR or LF is quoted,
/// its quotes doubled; rows end with CRLF.
fn csv_row(out: &mut impl Write, cells: impl IntoIterator<Item = String>) -> io::Result<()> {
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

fn table_heading(lang: Lang) -> [String; 5] {
    match lang {
        Lang::En => ["FILE", "VERDICT", "REASON", "BILL KEY", "AMOUNT"],
        Lang::Zh => ["文件", "结论", "原因", "票据编号", "金额"],
    }
    .map(str::to_string)
}

fn table_row(record: &Record, duplicate_of: Option<&str>, lang: Lang) -> [String; 5] {
    let mut reason = record.reason(lang);
    if let Some(first) = duplicate_of {
        reason = match lang {
            Lang::En => format!("DUPLICATE of {first}; {reason}"),
            Lang::Zh => format!("重复（同 {first}）；{reason}"),
        };
    }
    if record.demo_valid() {
        reason = match lang {
            Lang::En => format!(
                "DEMO trust anchor: anyone can sign such a bill, it proves nothing; {reason}"
            ),
            Lang::Zh => format!("演示信任根：任何人都能签出这样的票据，不能证明真伪；{reason}"),
        };
    }
    let document = record.document_summary(lang);
    if !document.is_empty() {
        reason = match lang {
            Lang::En => format!("{reason} [OFD, {document}]"),
            Lang::Zh => format!("{reason}［OFD，{document}］"),
        };
    }
    [
        record.file.clone(),
        record.verdict_shown(lang),
        reason,
        record.bill_key().unwrap_or("-").to_string(),
        record.amount_text().unwrap_or("-").to_string(),
    ]
    .map(|cell| one_line(&cell))
}

/// Columns aligned by display width (CJK characters take two columns),
/// amounts right-aligned and last, no trailing blanks.
fn write_table_row(out: &mut impl Write, row: &[String; 5], widths: &[usize; 5]) -> io::Result<()> {
    let mut line = String::new();
    for (c, cell) in row.iter().enumerate() {
        let pad = widths[c].saturating_sub(cell.width());
        if c == 4 {
            line.push_str(&" ".repeat(pad));
            line.push_str(cell);
        } else {
            line.push_str(cell);
            line.push_str(&" ".repeat(pad + 2));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// Control characters (a newline in a message, say) would break the grid.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Duplicates and counts, record by record, in output order.
#[derive(Default)]
pub struct Tally {
    pub records: usize,
    /// Per verdict, then per sub-indication (`""` none) or `error CODE`.
    pub by_verdict: BTreeMap<String, BTreeMap<String, usize>>,
    /// Bill key → the index of the first record that had it, and whether
    /// the key's amount is in the total (small: one entry per bill key).
    seen: HashMap<Box<str>, (usize, bool)>,
    /// Records whose bill key an earlier record had.
    pub duplicates: usize,
    /// Sum of the VALID bills' amounts, each bill key once.
    pub valid_fen: i128,
    /// VALID bills in the total.
    pub valid_counted: usize,
    /// VALID records left out of the total: their bill was counted already.
    pub valid_repeats: usize,
    /// VALID records that rest on a demo trust anchor: left out of the
    /// total (anyone can make them).
    pub demo_valid: usize,
    /// Error records with code `IO` or `ARCHIVE`.
    pub read_errors: usize,
    /// Every record VALID.
    pub all_valid: bool,
}

impl Tally {
    pub fn new() -> Tally {
        Tally {
            all_valid: true,
            ..Tally::default()
        }
    }

    /// Counts record `index`; returns the index of the first record with
    /// its bill key when an earlier record had it.
    pub fn add(&mut self, index: usize, record: &Record) -> Option<usize> {
        self.records += 1;
        let verdict = record.verdict().to_string();
        self.all_valid &= verdict == "VALID";
        let detail = match (record.error_code(), record.sub_indication()) {
            (Some(code), _) => format!("error {code}"),
            (None, Some(sub)) => sub.to_string(),
            (None, None) if record.demo_trust() => "DEMO".to_string(),
            (None, None) => String::new(),
        };
        if matches!(record.error_code(), Some("IO" | "ARCHIVE")) {
            self.read_errors += 1;
        }
        *self
            .by_verdict
            .entry(verdict.clone())
            .or_default()
            .entry(detail)
            .or_default() += 1;
        let key = record.bill_key()?;
        let entry = match self.seen.get_mut(key) {
            Some(entry) => {
                self.duplicates += 1;
                entry
            }
            None => self.seen.entry(key.into()).or_insert((index, false)),
        };
        let first = (entry.0 != index).then_some(entry.0);
        if verdict == "VALID" && record.demo_trust() {
            self.demo_valid += 1;
        } else if verdict == "VALID"
            && let Some(fen) = record.amount_fen()
        {
            if entry.1 {
                self.valid_repeats += 1;
            } else {
                entry.1 = true;
                self.valid_fen += i128::from(fen);
                self.valid_counted += 1;
            }
        }
        first
    }

    /// The summary printed on standard error.
    pub fn summary(&self, elapsed: Duration, jobs: usize, lang: Lang) -> String {
        let secs = elapsed.as_secs_f64();
        let rate = if secs > 0.0 {
            self.records as f64 / secs
        } else {
            0.0
        };
        let mut out = match lang {
            Lang::En => format!(
                "piaoyan: {} record{} in {secs:.2} s ({rate:.1} bills/s, {jobs} job{})\n",
                self.records,
                if self.records == 1 { "" } else { "s" },
                if jobs == 1 { "" } else { "s" },
            ),
            Lang::Zh => format!(
                "piaoyan：共 {} 条记录，用时 {secs:.2} 秒（每秒 {rate:.1} 张，{jobs} 个并发）\n",
                self.records
            ),
        };
        for verdict in ["VALID", "INVALID", "INDETERMINATE"] {
            let details = self.by_verdict.get(verdict);
            let n: usize = details.map(|d| d.values().sum()).unwrap_or(0);
            let mut line = format!("  {verdict:<14}{n:>8}");
            if let Some(details) = details {
                let mut parts: Vec<(&String, &usize)> =
                    details.iter().filter(|(d, _)| !d.is_empty()).collect();
                parts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                let parts: Vec<String> = parts.iter().map(|(d, n)| format!("{d} {n}")).collect();
                if !parts.is_empty() {
                    line.push_str(&format!("  ({})", parts.join(", ")));
                }
            }
            out.push_str(&line);
            out.push('\n');
        }
        let total = yuan(self.valid_fen);
        match lang {
            Lang::En => {
                out.push_str(&format!(
                    "  duplicates    {:>8}  (records whose bill key an earlier record had; flagged \"duplicateOf\")\n",
                    self.duplicates
                ));
                out.push_str(&format!(
                    "  total of VALID bills: {total} yuan ({} bill{}, each counted once",
                    self.valid_counted,
                    if self.valid_counted == 1 { "" } else { "s" }
                ));
                if self.valid_repeats > 0 {
                    out.push_str(&format!(
                        "; {} repeated VALID record{} not counted",
                        self.valid_repeats,
                        if self.valid_repeats == 1 { "" } else { "s" }
                    ));
                }
                if self.demo_valid > 0 {
                    out.push_str(&format!(
                        "; {} VALID record{} resting on DEMO trust anchors not counted",
                        self.demo_valid,
                        if self.demo_valid == 1 { "" } else { "s" }
                    ));
                }
                out.push_str(")\n");
            }
            Lang::Zh => {
                out.push_str(&format!(
                    "  重复          {:>8}  （票据编号与前面的记录相同，记录中标有 \"duplicateOf\"）\n",
                    self.duplicates
                ));
                out.push_str(&format!(
                    "  有效票据合计金额：{total} 元（{} 张，每张只计一次",
                    self.valid_counted
                ));
                if self.valid_repeats > 0 {
                    out.push_str(&format!(
                        "；另有 {} 条重复的有效记录未计入",
                        self.valid_repeats
                    ));
                }
                if self.demo_valid > 0 {
                    out.push_str(&format!(
                        "；另有 {} 条依赖演示信任根的有效记录未计入",
                        self.demo_valid
                    ));
                }
                out.push_str("）\n");
            }
        }
        out
    }
}

/// Fen as yuan with two decimals: `-12.05`, `0.50`, `123456.00`.
pub fn yuan(fen: i128) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(json: &str) -> Report {
        Report::from_json(json).unwrap()
    }

    fn valid(file: &str, key: &str, fen: i64) -> Record {
        Record::report(
            file.into(),
            report(&format!(
                r#"{{"verdict":"VALID","subIndication":null,"reason":{{"zh":"有效","en":"valid"}},"billKey":"{key}","warnings":[],"bill":{{"main":{{"totalAmount":{{"text":"{}","fen":{fen}}}}}}}}}"#,
                yuan(fen.into())
            )),
        )
    }

    fn written(format: Format, lang: Lang, records: &[(Record, Option<&str>)]) -> String {
        let mut w = Writer::new(Vec::new(), format, lang);
        for (r, dup) in records {
            w.record(r, *dup).unwrap();
        }
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    #[test]
    fn json_record_key_order() {
        let r = Record::report(
            "a.xml".into(),
            report(
                r#"{"profile":"piaoyan/1","verdict":"INVALID","subIndication":"HASH_FAILURE","reason":{"zh":"z","en":"e"},"billKey":"1-2"}"#,
            ),
        );
        let text = serde_json::to_string(&r.to_json(None)).unwrap();
        assert_eq!(
            text,
            r#"{"file":"a.xml","verdict":"INVALID","subIndication":"HASH_FAILURE","profile":"piaoyan/1","reason":{"zh":"z","en":"e"},"billKey":"1-2"}"#
        );
        let text = serde_json::to_string(&r.to_json(Some("first.xml"))).unwrap();
        assert!(
            text.starts_with(r#"{"file":"a.xml","verdict":"INVALID","subIndication":"HASH_FAILURE","duplicateOf":"first.xml","profile""#),
            "{text}"
        );
        let e = Record::error("b.xml".into(), "TRAP", "m".into());
        assert_eq!(
            serde_json::to_string(&e.to_json(None)).unwrap(),
            r#"{"file":"b.xml","verdict":"INDETERMINATE","subIndication":null,"reason":{"zh":"未能验证（TRAP）：m","en":"not verified (TRAP): m"},"error":{"code":"TRAP","message":"m"}}"#
        );
    }

    #[test]
    fn json_array_is_the_pretty_array() {
        let records = [
            (valid("a", "K1", 100), None),
            (Record::error("b".into(), "IO", "gone".into()), None),
        ];
        let text = written(Format::Json, Lang::En, &records);
        let all: Vec<Value> = records
            .iter()
            .map(|(r, d)| serde_json::to_value(r.to_json(*d)).unwrap())
            .collect();
        assert_eq!(
            text,
            format!("{}\n", serde_json::to_string_pretty(&all).unwrap())
        );
        assert_eq!(written(Format::Json, Lang::En, &[]), "[]\n");
        let lines = written(Format::Jsonl, Lang::En, &records);
        assert_eq!(lines.lines().count(), 2);
    }

    #[test]
    fn csv_escapes_per_rfc_4180() {
        let r = Record::report(
            "a,\"b\"\n.xml".into(),
            report(
                r#"{"verdict":"VALID","subIndication":null,"reason":{"zh":"有效","en":"valid"},"billKey":"K1","warnings":[{"code":"SIGNING_ORDER"},{"code":"PARTY_CODE_LENGTH"}],"bill":{"main":{"totalAmount":{"text":"483.64","fen":48364}}}}"#,
            ),
        );
        let e = Record::error("c.xml".into(), "TIMEOUT", "slow, \"very\"".into());
        let text = written(Format::Csv, Lang::En, &[(r, Some("x.xml")), (e, None)]);
        let rows: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(rows[0], CSV_HEADER.join(","));
        assert_eq!(
            rows[1..3].join("\r\n"),
            "\"a,\"\"b\"\"\n.xml\",VALID,,x.xml,K1,483.64,48364,SIGNING_ORDER;PARTY_CODE_LENGTH,,valid,,,false\r\n\
             c.xml,INDETERMINATE,,,,,,,TIMEOUT,\"not verified (TIMEOUT): slow, \"\"very\"\"\",,,false"
        );
        assert_eq!(rows[3], "");
        assert_eq!(rows.len(), 4);
        assert_eq!(
            written(Format::Csv, Lang::En, &[]),
            format!("{}\r\n", CSV_HEADER.join(","))
        );
    }

    #[test]
    fn table_aligns_by_display_width() {
        let records = [
            (valid("票据一.xml", "K-1", 48364), None),
            (
                Record::error("b.xml".into(), "TRAP", "boom\nbang".into()),
                None,
            ),
            (valid("c.xml", "K-1", 48364), Some("票据一.xml")),
        ];
        let t = written(Format::Table, Lang::Zh, &records);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 4, "{t}");
        assert_eq!(lines[0].width(), lines[1].width(), "{t}");
        assert!(lines[1].ends_with("483.64"), "{t}");
        assert!(lines[1].contains("有效"), "{t}");
        assert!(
            lines[2].contains("INDETERMINATE")
                && lines[2].contains("TRAP")
                && lines[2].contains("boom bang"),
            "{t}"
        );
        assert!(lines[3].contains("重复（同 票据一.xml）"), "{t}");
        let col = |line: &str, word: &str| line[..line.find(word).unwrap()].width();
        assert_eq!(
            col(lines[1], "VALID"),
            col(lines[2], "INDETERMINATE"),
            "{t}"
        );
        let en = written(Format::Table, Lang::En, &records);
        assert!(
            en.starts_with("FILE") && en.contains("DUPLICATE of"),
            "{en}"
        );
    }

    #[test]
    fn long_tables_stream_after_the_first_rows() {
        let mut w = Writer::new(Vec::new(), Format::Table, Lang::En);
        for i in 0..TABLE_ALIGN_ROWS - 1 {
            w.record(&valid(&format!("{i}.xml"), &format!("K{i}"), 1), None)
                .unwrap();
        }
        assert!(w.out.is_empty(), "held back until the widths are known");
        w.record(&valid("x.xml", "Kx", 1), None).unwrap();
        let n = w.out.len();
        assert!(n > 0);
        w.record(&valid("a-much-longer-name.xml", "Ky", 1), None)
            .unwrap();
        assert!(w.out.len() > n, "then streamed");
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(text.lines().count(), TABLE_ALIGN_ROWS + 2);
    }

    #[test]
    fn duplicates_are_flagged_and_counted_once() {
        let mut t = Tally::new();
        let invalid = Record::report(
            "t.xml".into(),
            report(r#"{"verdict":"INVALID","subIndication":"HASH_FAILURE","billKey":"K1"}"#),
        );
        assert_eq!(t.add(0, &invalid), None);
        assert_eq!(t.add(1, &valid("a.xml", "K1", 10_000)), Some(0));
        assert_eq!(t.add(2, &valid("b.xml", "K2", 250)), None);
        assert_eq!(t.add(3, &valid("a2.xml", "K1", 10_000)), Some(0));
        assert_eq!(t.add(4, &Record::error("z".into(), "IO", "x".into())), None);
        assert_eq!(t.duplicates, 2);
        assert_eq!(t.valid_fen, 10_250);
        assert_eq!(t.valid_counted, 2);
        assert_eq!(t.valid_repeats, 1);
        assert_eq!(t.read_errors, 1);
        assert!(!t.all_valid);
        let s = t.summary(Duration::from_secs(2), 2, Lang::En);
        assert!(
            s.contains("5 records in 2.00 s (2.5 bills/s, 2 jobs)"),
            "{s}"
        );
        assert!(s.contains("VALID                3"), "{s}");
        assert!(
            s.contains("INVALID              1  (HASH_FAILURE 1)"),
            "{s}"
        );
        assert!(s.contains("INDETERMINATE        1  (error IO 1)"), "{s}");
        assert!(s.contains("duplicates           2"), "{s}");
        assert!(
            s.contains("total of VALID bills: 102.50 yuan (2 bills, each counted once; 1 repeated VALID record not counted)"),
            "{s}"
        );
        let zh = t.summary(Duration::from_secs(2), 2, Lang::Zh);
        assert!(zh.contains("有效票据合计金额：102.50 元"), "{zh}");
    }

    #[test]
    fn yuan_formats_fen() {
        assert_eq!(yuan(0), "0.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(48364), "483.64");
        assert_eq!(yuan(-1205), "-12.05");
        assert_eq!(yuan(i128::from(i64::MAX) * 3), "276701161105643274.21");
    }
}
