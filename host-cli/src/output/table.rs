//! `--format table`: aligned columns for a person.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::record::{Lang, Record};

/// The table aligns its columns over this many first rows; later rows use
/// those widths (a longer cell pushes the rest of its row right).
pub const TABLE_ALIGN_ROWS: usize = 1000;

pub(crate) fn table_heading(lang: Lang) -> [String; 5] {
    match lang {
        Lang::En => ["FILE", "VERDICT", "REASON", "BILL KEY", "AMOUNT"],
        Lang::Zh => ["文件", "结论", "原因", "票据编号", "金额"],
    }
    .map(str::to_string)
}

pub(crate) fn table_row(record: &Record, duplicate_of: Option<&str>, lang: Lang) -> [String; 5] {
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
pub(crate) fn write_table_row(
    out: &mut impl Write,
    row: &[String; 5],
    widths: &[usize; 5],
) -> io::Result<()> {
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
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
