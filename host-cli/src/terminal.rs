//! What the terminal asks of the table: how wide it is, whether the
//! verdicts are coloured, and the language the locale names.

use std::io::{self, IsTerminal};

use crate::output::{Lang, TableStyle};

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colours when the records go to a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

/// The table's width when neither COLUMNS nor a terminal says.
pub const DEFAULT_WIDTH: usize = 100;

/// The table's columns: none with `--wide` (every cell whole), else
/// COLUMNS, else the terminal's, else [`DEFAULT_WIDTH`].
pub fn table_width(wide: bool, columns: Option<&str>, terminal: Option<usize>) -> Option<usize> {
    if wide {
        return None;
    }
    let columns = columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    Some(columns.or(terminal).unwrap_or(DEFAULT_WIDTH))
}

/// Colours: `always`, `never`, or (`auto`) when the records go to a
/// terminal and NO_COLOR is not set to a non-empty value.
pub fn colour(choice: ColorChoice, no_color: Option<&str>, records_on_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => records_on_terminal && no_color.is_none_or(str::is_empty),
    }
}

/// The language of the locale: the first of LC_ALL, LC_MESSAGES, LANG
/// that is set and not empty (as POSIX reads them); `zh…` is Chinese,
/// anything else says nothing.
pub fn locale_lang(
    lc_all: Option<&str>,
    lc_messages: Option<&str>,
    lang: Option<&str>,
) -> Option<Lang> {
    let locale = [lc_all, lc_messages, lang]
        .into_iter()
        .flatten()
        .find(|v| !v.is_empty())?;
    locale.starts_with("zh").then_some(Lang::Zh)
}

/// [`locale_lang`] of this process's environment.
pub fn env_lang() -> Option<Lang> {
    let var = |name| std::env::var(name).ok();
    locale_lang(
        var("LC_ALL").as_deref(),
        var("LC_MESSAGES").as_deref(),
        var("LANG").as_deref(),
    )
}

/// The table's layout for records going to standard output (`to_stdout`)
/// or to a file.
pub fn table_style(wide: bool, choice: ColorChoice, to_stdout: bool) -> TableStyle {
    let on_terminal = to_stdout && io::stdout().is_terminal();
    let terminal = if on_terminal {
        terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| usize::from(w.0))
    } else {
        None
    };
    TableStyle {
        width: table_width(wide, std::env::var("COLUMNS").ok().as_deref(), terminal),
        colour: colour(
            choice,
            std::env::var("NO_COLOR").ok().as_deref(),
            on_terminal,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_from_columns_then_terminal_then_100() {
        assert_eq!(table_width(false, Some("60"), Some(80)), Some(60));
        assert_eq!(table_width(false, None, Some(80)), Some(80));
        assert_eq!(table_width(false, Some("wide"), None), Some(100));
        assert_eq!(table_width(false, Some("0"), None), Some(100));
        assert_eq!(table_width(false, None, None), Some(100));
        assert_eq!(table_width(true, Some("60"), Some(80)), None);
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour(ColorChoice::Auto, None, true));
        assert!(colour(ColorChoice::Auto, Some(""), true));
        assert!(!colour(ColorChoice::Auto, Some("1"), true));
        assert!(!colour(ColorChoice::Auto, None, false));
        assert!(colour(ColorChoice::Always, Some("1"), false));
        assert!(!colour(ColorChoice::Never, None, true));
    }

    #[test]
    fn chinese_when_the_locale_says_zh() {
        assert_eq!(locale_lang(None, None, Some("zh_CN.UTF-8")), Some(Lang::Zh));
        assert_eq!(locale_lang(Some("zh_TW"), None, Some("C")), Some(Lang::Zh));
        assert_eq!(locale_lang(Some("C"), None, Some("zh_CN")), None);
        assert_eq!(locale_lang(Some(""), Some("zh_CN"), None), Some(Lang::Zh));
        assert_eq!(locale_lang(None, None, Some("en_US.UTF-8")), None);
        assert_eq!(locale_lang(None, None, None), None);
    }
}
