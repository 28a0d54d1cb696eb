//! The tally of the records and the summary printed on standard error.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use unicode_width::UnicodeWidthStr;

use super::record::{Lang, Record};
use super::verdict::Shown;

/// What a summary line counts apart within one verdict.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Detail {
    /// VALID, no sub-indication.
    Plain,
    /// VALID on a demo trust anchor.
    Demo,
    /// An input that is not a bill at all (the report's `notABill`).
    NotABill,
    /// The report's sub-indication.
    Sub(String),
    /// An error record's code.
    Error(String),
}

impl Detail {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Detail::Plain, _) => String::new(),
            (Detail::Demo, Lang::En) => "DEMO".into(),
            (Detail::Demo, Lang::Zh) => "演示".into(),
            (Detail::NotABill, Lang::En) => "not a bill".into(),
            (Detail::NotABill, Lang::Zh) => "无法识别".into(),
            (Detail::Sub(sub), Lang::En) => sub.clone(),
            (Detail::Sub(sub), Lang::Zh) => {
                sub_indication_zh(sub).map_or_else(|| sub.clone(), str::to_owned)
            }
            (Detail::Error(code), Lang::En) => format!("error {code}"),
            (Detail::Error(code), Lang::Zh) => format!("错误 {code}"),
        }
    }
}

/// The sub-indications of docs/report.md in plain Chinese, for the summary
/// (`--lang zh`); an unknown code is shown as it is.
fn sub_indication_zh(code: &str) -> Option<&'static str> {
    Some(match code {
        "FORMAT_FAILURE" => "格式错误",
        "HASH_FAILURE" => "签名后被改动",
        "SIG_CRYPTO_FAILURE" => "签名无效",
        "NOT_YET_VALID" => "证书尚未生效",
        "EXPIRED" => "证书已过期",
        "REVOKED" => "证书已吊销",
        "CONTENT_FAILURE" => "票面内容不符",
        "IDENTITY_MISMATCH" => "签名者不符",
        "NO_SIGNING_CERTIFICATE_FOUND" => "缺少签名证书",
        "NO_CERTIFICATE_CHAIN_FOUND" => "未链接到受信任的根证书",
        "CRYPTO_CONSTRAINTS_FAILURE" => "算法不受支持",
        "SIG_CONSTRAINTS_FAILURE" => "部分内容不受签名保护",
        _ => return None,
    })
}

/// Duplicates and counts, record by record, in output order.
#[derive(Default)]
pub struct Tally {
    pub records: usize,
    /// Per verdict, then per sub-indication, error code, demo trust or
    /// not a bill.
    pub by_verdict: BTreeMap<String, BTreeMap<Detail, usize>>,
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
    /// VALID bills the ledger had already (`seenBefore`), when a ledger
    /// keeps the run (`None` without one).
    pub seen_before: Option<usize>,
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
            (Some(code), _) => Detail::Error(code.to_string()),
            (None, _) if record.not_a_bill().is_some() => Detail::NotABill,
            (None, Some(sub)) => Detail::Sub(sub.to_string()),
            (None, None) if record.demo_trust() => Detail::Demo,
            (None, None) => Detail::Plain,
        };
        if matches!(record.error_code(), Some("IO" | "ARCHIVE")) {
            self.read_errors += 1;
        }
        if record.seen_before.is_some()
            && let Some(seen) = &mut self.seen_before
        {
            *seen += 1;
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
        for (verdict, shown) in [
            ("VALID", Shown::Valid),
            ("INVALID", Shown::Invalid),
            ("INDETERMINATE", Shown::Indeterminate),
        ] {
            let details = self.by_verdict.get(verdict);
            let n: usize = details.map(|d| d.values().sum()).unwrap_or(0);
            let word = shown.word(lang);
            let pad = " ".repeat(14usize.saturating_sub(word.width()));
            let mut line = format!("  {word}{pad}{n:>8}");
            if let Some(details) = details {
                let mut parts: Vec<(&Detail, &usize)> = details
                    .iter()
                    .filter(|(d, _)| **d != Detail::Plain)
                    .collect();
                parts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                let parts: Vec<String> = parts
                    .iter()
                    .map(|(d, n)| format!("{} {n}", d.text(lang)))
                    .collect();
                if !parts.is_empty() {
                    line.push_str(&match lang {
                        Lang::En => format!("  ({})", parts.join(", ")),
                        Lang::Zh => format!("  （{}）", parts.join("，")),
                    });
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
                if let Some(seen) = self.seen_before {
                    out.push_str(&format!(
                        "  seen before   {seen:>8}  (VALID bills the ledger had from another file or an earlier batch; flagged \"seenBefore\")\n"
                    ));
                }
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
                if let Some(seen) = self.seen_before {
                    out.push_str(&format!(
                        "  账本中已有    {seen:>8}  （账本中已有来自其他文件或以前批次的同一张有效票据，记录中标有 \"seenBefore\"）\n"
                    ));
                }
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
