//! `--format table`: aligned columns for a person, fitted to the terminal.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::fit::{cut_end, cut_keeping_tail, cut_start};
use super::record::{Lang, Record};
use super::verdict::{Shown, painted};

/// The table aligns its columns over this many first rows; later rows use
/// those widths (a longer cell pushes the rest of its row right, unless
/// the table is fitted to a width: then it is cut).
pub const TABLE_ALIGN_ROWS: usize = 1000;

/// How the table is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableStyle {
    /// Columns of the terminal; `None`: every cell whole (`--wide`).
    pub width: Option<usize>,
    /// Verdicts in colour.
    pub colour: bool,
}

impl TableStyle {
    /// Every cell whole, no colour.
    pub const WIDE: TableStyle = TableStyle {
        width: None,
        colour: false,
    };
}

/// Blanks between two columns.
const GAP: usize = 2;
/// The file column is not cut below this (nor the reason below
/// [`MIN_REASON`]) however narrow the terminal.
const MIN_FILE: usize = 12;
const MIN_REASON: usize = 16;
/// The bill key is left out before the file column gets narrower than
/// this.
const READABLE_FILE: usize = 20;

/// One row: file, verdict, reason, bill key, amount; the reason's check
/// id apart (kept when the reason is cut); the verdict's colour.
pub(crate) struct Row {
    cells: [String; 5],
    /// ` [check.id]`, or empty.
    tail: String,
    /// `None` for the heading.
    shown: Option<Shown>,
}

/// The column widths chosen for the rows, and whether the bill key is
/// shown (a narrow terminal leaves it out first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Columns {
    widths: [usize; 5],
    key_shown: bool,
    /// Cells are cut to `widths`.
    fitted: bool,
}

pub(crate) fn table_heading(lang: Lang) -> Row {
    let cells = match lang {
        Lang::En => ["FILE", "VERDICT", "REASON", "BILL KEY", "AMOUNT"],
        Lang::Zh => ["文件", "结论", "原因", "票据编号", "金额"],
    };
    Row {
        cells: cells.map(str::to_string),
        tail: String::new(),
        shown: None,
    }
}

pub(crate) fn table_row(record: &Record, duplicate_of: Option<&str>, lang: Lang) -> Row {
    let shown = record.shown();
    let mut reason = match shown {
        Shown::NotABill(kind) => kind.help(lang).to_string(),
        _ => record.reason(lang),
    };
    if let Some(first) = duplicate_of {
        reason = match lang {
            Lang::En => format!("DUPLICATE of {first}; {reason}"),
            Lang::Zh => format!("重复（同 {first}）；{reason}"),
        };
    }
    if shown == Shown::ValidDemo {
        reason = match lang {
            Lang::En => format!(
                "DEMO trust anchor: anyone can sign such a bill, it proves nothing; {reason}"
            ),
            Lang::Zh => format!("演示信任根：任何人都能签出这样的票据，不能证明真伪；{reason}"),
        };
    }
    // First: what decides whether the bill may be booked.
    if let Some(seen) = &record.seen_before {
        let booked = match (lang, seen.booked) {
            (_, false) => "",
            (Lang::En, true) => ", BOOKED",
            (Lang::Zh, true) => "，已入账",
        };
        reason = match lang {
            Lang::En => format!(
                "SEEN BEFORE in {} (batch {}, {}{booked}); {reason}",
                seen.file, seen.batch, seen.at
            ),
            Lang::Zh => format!(
                "账本中已有（{}，批次 {}，{}{booked}）；{reason}",
                seen.file, seen.batch, seen.at
            ),
        };
    }
    let document = record.document_summary(lang);
    if !document.is_empty() {
        reason = match lang {
            Lang::En => format!("{reason} [OFD, {document}]"),
            Lang::Zh => format!("{reason}［OFD，{document}］"),
        };
    }
    let tail = record
        .deciding_check()
        .map(|id| format!(" [{}]", one_line(&id)))
        .unwrap_or_default();
    Row {
        cells: [
            record.file.clone(),
            shown.word(lang).to_string(),
            reason,
            record.bill_key().unwrap_or("-").to_string(),
            record.amount_text().unwrap_or("-").to_string(),
        ]
        .map(|cell| one_line(&cell)),
        tail,
        shown: Some(shown),
    }
}

/// The widths for `rows` (the heading first) in `style`.
pub(crate) fn columns(rows: &[Row], style: TableStyle) -> Columns {
    let mut natural = [0; 5];
    let mut base_name = 0;
    let mut tail = 0;
    for row in rows {
        tail = tail.max(row.tail.width());
        for (c, (w, cell)) in natural.iter_mut().zip(&row.cells).enumerate() {
            let width = cell.width() + if c == 2 { row.tail.width() } else { 0 };
            *w = (*w).max(width);
        }
        let file = &row.cells[0];
        let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
        base_name = base_name.max(name.width());
    }
    let Some(total) = style.width else {
        return Columns {
            widths: natural,
            key_shown: true,
            fitted: false,
        };
    };
    // The reason keeps its check id and a little text before it.
    let reason_floor = natural[2].min(tail + MIN_REASON);
    let fit = |key_shown: bool| {
        let fixed = natural[1]
            + natural[4]
            + if key_shown {
                natural[3] + 4 * GAP
            } else {
                3 * GAP
            };
        let rest = total.saturating_sub(fixed);
        let reason_floor = reason_floor.min(rest.saturating_sub(MIN_FILE.min(natural[0])));
        // The file wants its name and a little of the path ("…/"), or half
        // of what is left, and leaves the reason room for its check id and
        // some text; the reason takes the rest.
        let file_want = natural[0].min((base_name + 2).max(rest / 2).max(MIN_FILE));
        let file_first = file_want
            .min(rest.saturating_sub(reason_floor))
            .max(MIN_FILE.min(natural[0]));
        let reason = natural[2]
            .min(rest.saturating_sub(file_first))
            .max(reason_floor);
        let file = natural[0]
            .min(rest.saturating_sub(reason))
            .max(MIN_FILE.min(natural[0]));
        let mut widths = natural;
        widths[0] = file;
        widths[2] = reason;
        if !key_shown {
            widths[3] = 0;
        }
        Columns {
            widths,
            key_shown,
            fitted: true,
        }
    };
    // The bill key stays while the file keeps a readable name and the
    // reason its floor.
    let rest_with_key = total.saturating_sub(natural[1] + natural[3] + natural[4] + 4 * GAP);
    let key_shown = rest_with_key >= READABLE_FILE.min(natural[0]) + reason_floor
        || natural[0] + natural[2] <= rest_with_key;
    fit(key_shown)
}

/// Columns aligned by display width (CJK characters take two columns),
/// cells cut to fit, amounts right-aligned and last, no trailing blanks.
pub(crate) fn write_table_row(
    out: &mut impl Write,
    row: &Row,
    columns: &Columns,
    colour: bool,
) -> io::Result<()> {
    let widths = &columns.widths;
    let mut line = String::new();
    for (c, cell) in row.cells.iter().enumerate() {
        if c == 3 && !columns.key_shown {
            continue;
        }
        let text = match (c, columns.fitted) {
            (0, true) => cut_start(cell, widths[0]),
            (2, true) => cut_keeping_tail(cell, &row.tail, widths[2]),
            (2, false) => format!("{cell}{}", row.tail),
            (3, true) => cut_end(cell, widths[3]),
            _ => cell.clone(),
        };
        let pad = widths[c].saturating_sub(text.width());
        let text = match row.shown {
            Some(shown) if c == 1 => painted(&text, shown.style(), colour),
            _ => text,
        };
        if c == 4 {
            line.push_str(&" ".repeat(pad));
            line.push_str(&text);
        } else {
            line.push_str(&text);
            line.push_str(&" ".repeat(pad + GAP));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(file: &str, verdict: &str, reason: &str, tail: &str) -> Row {
        Row {
            cells: [file, verdict, reason, "12345678-1234567890", "217.10"].map(str::to_string),
            tail: tail.to_string(),
            shown: Some(Shown::Invalid),
        }
    }

    fn lines(rows: &[Row], width: Option<usize>) -> Vec<String> {
        let style = TableStyle {
            width,
            colour: false,
        };
        let columns = columns(rows, style);
        let mut out = Vec::new();
        for r in rows {
            write_table_row(&mut out, r, &columns, false).unwrap();
        }
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn rows_fit_every_width() {
        let rows = [
            table_heading(Lang::Zh),
            row(
                "/home/会计/2026/一月/票据/医院门诊收费票据-0001.xml",
                "验证失败",
                &"票据内容在签名之后被改动过。".repeat(5),
                " [signature.invoicingParty]",
            ),
            row("b.xml", "无法确定", "短", ""),
        ];
        for width in [60, 80, 100, 120, 200] {
            for line in lines(&rows, Some(width)) {
                assert!(line.width() <= width, "{width}: {line}");
            }
        }
        let at_100 = lines(&rows, Some(100));
        assert!(
            at_100[1].contains("… [signature.invoicingParty]"),
            "{at_100:?}"
        );
        assert!(at_100[1].starts_with('…'), "{at_100:?}");
        let at_120 = lines(&rows, Some(120));
        assert!(at_120[1].contains("12345678-1234567890"), "{at_120:?}");
        // Narrower: the bill key goes first.
        let at_60 = lines(&rows, Some(60));
        assert!(!at_60[1].contains("12345678-1234567890"), "{at_60:?}");
        // Wide: nothing cut.
        let wide = lines(&rows, None);
        assert!(wide[1].contains(&"票据内容在签名之后被改动过。".repeat(5)));
        assert!(wide[1].starts_with("/home/会计"));
    }
}
