//! The record of one input: the module's report (its head decoded once)
//! or an error, and what every writer and the tally read of it.

use serde::Deserialize;
use serde_json::Value;

use super::json::RecordJson;
use super::verdict::{NotABill, Shown};
use crate::report::Report;

/// What became of one input.
#[derive(Debug)]
pub struct Record {
    /// The path, or `archive.zip!/entry`.
    pub file: String,
    pub body: Body,
    /// SHA-256 of the input's bytes, when they were read and a ledger
    /// keeps the record.
    pub sha256: Option<[u8; 32]>,
    /// A VALID bill whose key the ledger had already, from another file
    /// or an earlier batch.
    pub seen_before: Option<SeenBefore>,
}

/// Where the ledger met a VALID bill's key before (`seenBefore`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SeenBefore {
    /// The file of the earliest VALID record of the key.
    pub file: String,
    /// Its batch (one per `verify --ledger` run).
    pub batch: i64,
    /// When it was verified (UTC, ISO 8601).
    pub at: String,
    /// Whether the bill is booked now.
    pub booked: bool,
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
    /// `notABill`: the input is not a bill at all, and what it is instead.
    not_a_bill: Option<NotABill>,
    /// `bill.main.totalAmount`.
    amount: Amount,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Amount {
    fen: Option<i64>,
    text: Option<String>,
}

/// The part of `bill` the head holds: `main.totalAmount`.
#[derive(Deserialize)]
pub(crate) struct BillAmount {
    main: Option<MainAmount>,
}

#[derive(Deserialize)]
pub(crate) struct MainAmount {
    #[serde(rename = "totalAmount")]
    total_amount: Option<Amount>,
}

impl Head {
    pub(crate) fn of(report: &Report) -> Head {
        Head {
            verdict: report.get("verdict"),
            sub_indication: report.get("subIndication"),
            bill_key: report.get("billKey"),
            format: report.get("format"),
            demo_trust: report.get("demoTrust").unwrap_or(false),
            not_a_bill: report
                .get::<String>("notABill")
                .map(|kind| NotABill::from_value(&kind)),
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
            sha256: None,
            seen_before: None,
        }
    }

    pub fn error(file: String, code: impl Into<String>, message: String) -> Record {
        Record {
            file,
            body: Body::Error {
                code: code.into(),
                message,
            },
            sha256: None,
            seen_before: None,
        }
    }

    pub(crate) fn head(&self) -> Option<&Head> {
        match &self.body {
            Body::Report(_, head) => Some(head),
            Body::Error { .. } => None,
        }
    }

    pub(crate) fn report_json(&self) -> Option<&Report> {
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

    /// The report's `notABill`: the input is not a bill at all.
    pub fn not_a_bill(&self) -> Option<NotABill> {
        self.head()?.not_a_bill
    }

    /// The verdict as a person reads it: VALID apart when it rests on a
    /// demo trust anchor, INVALID apart when the input is not a bill.
    pub fn shown(&self) -> Shown {
        match (self.verdict(), self.not_a_bill()) {
            (_, Some(kind)) => Shown::NotABill(kind),
            ("VALID", None) if self.demo_trust() => Shown::ValidDemo,
            ("VALID", None) => Shown::Valid,
            ("INVALID", None) => Shown::Invalid,
            ("INDETERMINATE", None) => Shown::Indeterminate,
            _ => Shown::Unknown,
        }
    }

    /// The id of the check that decided a verdict other than VALID: the
    /// first failed failure-level check whose code is the sub-indication
    /// (else the first failed one); for an OFD signature, the first failed
    /// check within it.
    pub fn deciding_check(&self) -> Option<String> {
        let report = self.report_json()?;
        let checks: Vec<CheckHead> = report.get("checks")?;
        let failed = |c: &&CheckHead| c.level == "failure" && c.result == "fail";
        let sub = self.sub_indication();
        let deciding = checks
            .iter()
            .filter(failed)
            .find(|c| sub.is_some() && c.code.as_deref() == sub)
            .or_else(|| checks.iter().find(failed))?;
        let within = |prefix: &str| -> Option<String> {
            let signatures = report.get::<Value>("document")?.get("signatures")?.clone();
            let inner: Vec<Vec<CheckHead>> = signatures
                .as_array()?
                .iter()
                .map(|s| {
                    s.get("checks")
                        .and_then(|c| serde_json::from_value(c.clone()).ok())
                        .unwrap_or_default()
                })
                .collect();
            let dotted = format!("{prefix}.");
            inner
                .iter()
                .flatten()
                .filter(failed)
                .find(|c| c.id.starts_with(&dotted))
                .map(|c| c.id.clone())
        };
        if deciding.id.starts_with("ofd.signature[") && !deciding.id.contains("].") {
            return Some(within(&deciding.id).unwrap_or_else(|| deciding.id.clone()));
        }
        Some(deciding.id.clone())
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

    /// The texts of `bill.main` kept beside the verdict (the ledger's
    /// issuer, payer and issue date; the Python rows' issuing unit code),
    /// decoded in one pass over the report's `bill` without building a
    /// tree of it (three lookups that each decoded the whole `bill` into a
    /// `Value` cost a tenth of a bill's time on the ledger's thread).
    pub fn main_texts(&self) -> MainTexts {
        let Some(bill) = self.report_json().and_then(|r| r.raw("bill")) else {
            return MainTexts::default();
        };
        #[derive(Deserialize)]
        struct Bill {
            main: Option<Main>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Main {
            invoicing_party: Option<Value>,
            payer_party: Option<Value>,
            issue_date: Option<Value>,
        }
        let Ok(Bill { main: Some(main) }) = serde_json::from_str::<Bill>(bill.get()) else {
            return MainTexts::default();
        };
        let text = |v: &Option<Value>, pointer: &str| {
            v.as_ref()?.pointer(pointer)?.as_str().map(str::to_string)
        };
        MainTexts {
            issuer: text(&main.invoicing_party, "/name"),
            issuer_code: text(&main.invoicing_party, "/code"),
            payer: text(&main.payer_party, "/name"),
            issue_date: text(&main.issue_date, ""),
        }
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

/// The texts of `bill.main` a record carries beside its verdict
/// ([`Record::main_texts`]); each `None` where the report has no such text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MainTexts {
    /// `bill.main.invoicingParty.name`
    pub issuer: Option<String>,
    /// `bill.main.invoicingParty.code`
    pub issuer_code: Option<String>,
    /// `bill.main.payerParty.name`
    pub payer: Option<String>,
    /// `bill.main.issueDate`
    pub issue_date: Option<String>,
}

/// What the table reads of one check.
#[derive(Deserialize)]
struct CheckHead {
    id: String,
    level: String,
    result: String,
    code: Option<String>,
}

pub(crate) fn error_reason(code: &str, message: &str, lang: Lang) -> String {
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
    pub(crate) fn key(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}
