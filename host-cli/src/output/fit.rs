//! Cutting a cell to a number of terminal columns, by display width (a
//! CJK character takes two): text loses its end, a path its start.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const ELLIPSIS: char = '…';

/// `text` in at most `width` columns: as it is, or its start and `…`.
pub fn cut_end(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let room = width.saturating_sub(1);
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push(ELLIPSIS);
    }
    out
}

/// `path` in at most `width` columns: as it is, or `…` and its end (the
/// file name is what tells the rows apart).
pub fn cut_start(path: &str, width: usize) -> String {
    if path.width() <= width {
        return path.to_string();
    }
    let room = width.saturating_sub(1);
    let mut kept = Vec::new();
    let mut used = 0;
    for c in path.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        kept.push(c);
    }
    let mut out = String::new();
    if width > 0 {
        out.push(ELLIPSIS);
    }
    out.extend(kept.into_iter().rev());
    out
}

/// A reason that ends with a check id, in at most `width` columns: the
/// text is cut, the id kept whole when it fits at all.
pub fn cut_keeping_tail(text: &str, tail: &str, width: usize) -> String {
    let whole = format!("{text}{tail}");
    if whole.width() <= width {
        return whole;
    }
    match width.checked_sub(tail.width()) {
        Some(room) if room >= 2 => format!("{}{tail}", cut_end(text, room)),
        _ => cut_end(&whole, width),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_by_display_width() {
        assert_eq!(cut_end("abcdef", 6), "abcdef");
        assert_eq!(cut_end("abcdef", 4), "abc…");
        // 签 takes two columns: three of them do not fit in five with the …
        assert_eq!(cut_end("签名无效", 5), "签名…");
        assert_eq!(cut_end("签名无效", 6), "签名…");
        assert_eq!(cut_end("签名无效", 7), "签名无…");
        assert!(cut_end("签名无效签名无效", 9).width() <= 9);
        assert_eq!(cut_end("abc", 0), "");
    }

    #[test]
    fn paths_lose_their_start() {
        assert_eq!(cut_start("/a/b/bill.xml", 20), "/a/b/bill.xml");
        assert_eq!(cut_start("/a/b/bill.xml", 9), "…bill.xml");
        assert_eq!(cut_start("/票据/一月/票据一.xml", 12), "…/票据一.xml");
        assert!(cut_start("/票据/一月/票据一.xml", 11).width() <= 11);
    }

    #[test]
    fn the_check_id_survives_the_cut() {
        let tail = " [main.totalAmountCapital]";
        let cut = cut_keeping_tail("the capital amount does not match", tail, 40);
        assert_eq!(cut, "the capital a… [main.totalAmountCapital]");
        assert_eq!(cut.width(), 40);
        assert_eq!(
            cut_keeping_tail("short", tail, 80),
            "short [main.totalAmountCapital]"
        );
        // Too narrow for the id: everything is cut from the end.
        assert_eq!(cut_keeping_tail("text", tail, 10).width(), 10);
    }
}
