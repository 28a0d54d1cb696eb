//! One record per input file, and the three ways to print them.
//!
//! A record is the report with `file` in front and `verdict`,
//! `subIndication` moved right after it; or, when the file got no report
//! (unreadable, the module trapped or timed out), an error record:
//! `{"file", "verdict": null, "subIndication": null, "error": {"code",
//! "message"}}`.

use serde_json::{Map, Value};
use unicode_width::UnicodeWidthStr;

/// What became of one input file.
pub enum Record {
    Report {
        file: String,
        report: Map<String, Value>,
    },
    Error {
        file: String,
        code: String,
        message: String,
    },
}

impl Record {
    /// `VALID`, `INVALID`, `INDETERMINATE`; `None` for an error record.
    pub fn verdict(&self) -> Option<&str> {
        match self {
            Record::Report { report, .. } => report.get("verdict").and_then(Value::as_str),
            Record::Error { .. } => None,
        }
    }

    /// The JSON object of `--format json` and `jsonl`.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        match self {
            Record::Report { file, report } => {
                out.insert("file".into(), Value::from(file.as_str()));
                for key in ["verdict", "subIndication"] {
                    out.insert(key.into(), report.get(key).cloned().unwrap_or(Value::Null));
                }
                for (key, value) in report {
                    if key != "verdict" && key != "subIndication" && key != "file" {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
            Record::Error {
                file,
                code,
                message,
            } => {
                out.insert("file".into(), Value::from(file.as_str()));
                out.insert("verdict".into(), Value::Null);
                out.insert("subIndication".into(), Value::Null);
                let mut error = Map::new();
                error.insert("code".into(), Value::from(code.as_str()));
                error.insert("message".into(), Value::from(message.as_str()));
                out.insert("error".into(), Value::Object(error));
            }
        }
        Value::Object(out)
    }
}

/// Language of the table's reason column and headings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English
    En,
    /// 简体中文
    Zh,
}

/// The table: file, verdict, reason, bill key, amount; aligned by display
/// width (CJK characters take two columns), then a count of verdicts.
pub fn table(records: &[Record], lang: Lang) -> String {
    let heading: [&str; 5] = match lang {
        Lang::En => ["FILE", "VERDICT", "REASON", "BILL KEY", "AMOUNT"],
        Lang::Zh => ["文件", "结论", "原因", "票据编号", "金额"],
    };
    let mut rows: Vec<[String; 5]> = vec![heading.map(str::to_string)];
    for record in records {
        rows.push(match record {
            Record::Report { file, report } => {
                let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
                let lang_key = match lang {
                    Lang::En => "en",
                    Lang::Zh => "zh",
                };
                let reason = text(report.get("reason").and_then(|r| r.get(lang_key)));
                let amount = text(
                    report
                        .get("bill")
                        .and_then(|b| b.pointer("/main/totalAmount/text")),
                );
                [
                    file.clone(),
                    text(report.get("verdict")).unwrap_or_else(|| "?".into()),
                    reason.unwrap_or_default(),
                    text(report.get("billKey")).unwrap_or_else(|| "-".into()),
                    amount.unwrap_or_else(|| "-".into()),
                ]
            }
            Record::Error {
                file,
                code,
                message,
            } => [
                file.clone(),
                "ERROR".into(),
                format!("{code}: {message}"),
                "-".into(),
                "-".into(),
            ],
        });
    }
    for row in &mut rows {
        for cell in row.iter_mut() {
            *cell = one_line(cell);
        }
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].width()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c] - cell.width();
            if c == 4 {
                // Amounts right-aligned, last: no trailing blanks.
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&summary(records, lang));
    out.push('\n');
    out
}

fn summary(records: &[Record], lang: Lang) -> String {
    let count = |v: Option<&str>| records.iter().filter(|r| r.verdict() == v).count();
    let (valid, invalid, indeterminate, errors) = (
        count(Some("VALID")),
        count(Some("INVALID")),
        count(Some("INDETERMINATE")),
        count(None),
    );
    match lang {
        Lang::En => format!(
            "{} file{}: {valid} VALID, {invalid} INVALID, {indeterminate} INDETERMINATE, {errors} ERROR",
            records.len(),
            if records.len() == 1 { "" } else { "s" }
        ),
        Lang::Zh => format!(
            "共 {} 个文件：VALID {valid}，INVALID {invalid}，INDETERMINATE {indeterminate}，ERROR {errors}",
            records.len()
        ),
    }
}

/// Control characters (a newline in a message, say) would break the grid.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(json: &str) -> Map<String, Value> {
        match serde_json::from_str(json).unwrap() {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn json_record_key_order() {
        let r = Record::Report {
            file: "a.xml".into(),
            report: report(
                r#"{"profile":"piaoyan/1","verdict":"INVALID","subIndication":"HASH_FAILURE","reason":{"zh":"z","en":"e"},"billKey":"1-2"}"#,
            ),
        };
        let text = serde_json::to_string(&r.to_json()).unwrap();
        assert_eq!(
            text,
            r#"{"file":"a.xml","verdict":"INVALID","subIndication":"HASH_FAILURE","profile":"piaoyan/1","reason":{"zh":"z","en":"e"},"billKey":"1-2"}"#
        );
        let e = Record::Error {
            file: "b.xml".into(),
            code: "TRAP".into(),
            message: "m".into(),
        };
        assert_eq!(
            serde_json::to_string(&e.to_json()).unwrap(),
            r#"{"file":"b.xml","verdict":null,"subIndication":null,"error":{"code":"TRAP","message":"m"}}"#
        );
    }

    #[test]
    fn table_aligns_by_display_width() {
        let records = [
            Record::Report {
                file: "票据一.xml".into(),
                report: report(
                    r#"{"verdict":"VALID","subIndication":null,"reason":{"zh":"有效","en":"valid"},"billKey":"K-1","bill":{"main":{"totalAmount":{"text":"483.64","fen":48364}}}}"#,
                ),
            },
            Record::Error {
                file: "b.xml".into(),
                code: "TRAP".into(),
                message: "boom\nbang".into(),
            },
        ];
        let t = table(&records, Lang::Zh);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0].width(), lines[1].width(), "{t}");
        assert!(lines[1].ends_with("483.64"), "{t}");
        assert!(lines[1].contains("有效"), "{t}");
        assert!(
            lines[2].contains("ERROR") && lines[2].contains("TRAP: boom bang"),
            "{t}"
        );
        let col = |line: &str, word: &str| line[..line.find(word).unwrap()].width();
        assert_eq!(col(lines[1], "VALID"), col(lines[2], "ERROR"), "{t}");
        assert!(
            lines[4].contains("VALID 1") && lines[4].contains("ERROR 1"),
            "{t}"
        );
        let en = table(&records, Lang::En);
        assert!(
            en.contains("valid") && en.contains("2 files: 1 VALID"),
            "{en}"
        );
    }
}
