//! Substring search by plain byte comparison, joining strings, and
//! cutting them without a panic.
//!
//! `str::find` with a string pattern links the standard library's two-way
//! searcher (about 2 KB of the WebAssembly module); every needle here is a
//! short ASCII marker (`?>`, `-----BEGIN `, `</`) in short text, where a
//! naive scan is as fast. An index found is a char boundary: the needle
//! starts with an ASCII byte, which never occurs inside a UTF-8 sequence.

use alloc::string::String;
use core::slice::SliceIndex;

/// `text[range]`, or `""` where the range is outside the text or not on
/// character boundaries. Every caller cuts at positions it found on ASCII
/// bytes or after checking ASCII digits, so the empty answer is never
/// seen; an empty string fails every check that reads it. Indexing a `str`
/// would do the same with a panic whose message formats the character in
/// Debug: Unicode tables and the panic path, about 2 KB of the module.
pub fn cut<R: SliceIndex<str, Output = str>>(text: &str, range: R) -> &str {
    text.get(range).unwrap_or("")
}

/// The byte offset of the first occurrence of `needle` in `hay`.
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    debug_assert!(needle.as_bytes().first().is_some_and(u8::is_ascii));
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

/// The byte offset of the last occurrence of `needle` in `hay`.
pub(crate) fn rfind(hay: &str, needle: &str) -> Option<usize> {
    debug_assert!(needle.as_bytes().first().is_some_and(u8::is_ascii));
    hay.as_bytes()
        .windows(needle.len())
        .rposition(|w| w == needle.as_bytes())
}

/// The parts with `sep` between them, as `[&str]::join` makes them. One
/// non-generic body for every caller: `join` on slices of `String` and of
/// `&str` were two 1.2 KB copies in the module.
pub(crate) fn join<'a>(parts: impl IntoIterator<Item = &'a str>, sep: &str) -> String {
    join_dyn(&mut parts.into_iter(), sep)
}

fn join_dyn(parts: &mut dyn Iterator<Item = &str>, sep: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn markers() {
        assert_eq!(find("<?xml a?>b?>", "?>"), Some(7));
        assert_eq!(rfind("<a></b></a>", "</"), Some(7));
        assert_eq!(find("票据-----BEGIN X", "-----BEGIN "), Some(6));
        assert_eq!(find("ab", "abc"), None);
        assert_eq!(rfind("", "</"), None);
    }

    #[test]
    fn joins_as_slices_do() {
        for parts in [&[][..], &["a"], &["a", "", "票据"], &["", ""]] {
            assert_eq!(join(parts.iter().copied(), "、"), parts.join("、"));
        }
    }

    proptest! {
        /// The same answers as the standard library's searcher.
        #[test]
        fn same_as_str_find(hay in "[a<?>/\u{7968}-]{0,40}", needle in "[a<?>/-][a<?>/\u{7968}-]{0,3}") {
            prop_assert_eq!(find(&hay, &needle), hay.find(needle.as_str()));
            prop_assert_eq!(rfind(&hay, &needle), hay.rfind(needle.as_str()));
        }
    }
}
