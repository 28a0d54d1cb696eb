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

mod csv;
mod fit;
mod json;
mod record;
mod summary;
mod table;
mod verdict;
mod writer;

pub use csv::CSV_HEADER;
pub(crate) use csv::csv_row;
pub use json::RecordJson;
pub use record::{Body, ERROR_VERDICT, Head, Lang, MainTexts, Record, SeenBefore};
pub use summary::{Detail, Tally, yuan};
pub use table::{TABLE_ALIGN_ROWS, TableStyle};
pub use verdict::{NotABill, Shown, painted};
pub use writer::{Format, Writer};

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::Value;
    use unicode_width::UnicodeWidthStr;

    use super::*;
    use crate::report::Report;

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
            "\"a,\"\"b\"\"\n.xml\",VALID,,x.xml,K1,483.64,48364,SIGNING_ORDER;PARTY_CODE_LENGTH,,valid,,,false,\r\n\
             c.xml,INDETERMINATE,,,,,,,TIMEOUT,\"not verified (TIMEOUT): slow, \"\"very\"\"\",,,false,"
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
        assert!(lines[1].contains("验证通过  有效"), "{t}");
        assert!(
            lines[2].contains("无法确定")
                && lines[2].contains("TRAP")
                && lines[2].contains("boom bang"),
            "{t}"
        );
        assert!(lines[3].contains("重复（同 票据一.xml）"), "{t}");
        let col = |line: &str, word: &str| line[..line.find(word).unwrap()].width();
        assert_eq!(col(lines[1], "验证通过"), col(lines[2], "无法确定"), "{t}");
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
