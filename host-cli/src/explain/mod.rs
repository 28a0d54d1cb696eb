//! `piaoyan explain CHECK_ID`: what a check of the report tests, why it
//! can fail, and what to do, in Chinese or English.
//!
//! The [`catalogue`] names every id of docs/report.md the way the document
//! does (`signature.<role>.derTrailingOctets`, `ofd.signature[i].seal.esl`,
//! `ofd.signature[i].*.trailingOctets`); [`find`] takes an id as a report
//! names it (`signature.supervisor.derTrailingOctets`,
//! `ofd.signature[2].seal.esl`) or as the document does.

mod catalogue;

use std::fmt::Write as _;

pub use catalogue::{CATALOGUE, Entry, Level, Text};

use crate::cli::ExplainArgs;
use crate::output::Lang;
use crate::terminal::env_lang;
use crate::{EXIT_USAGE, EXIT_VALID};

/// The entry explaining `id`.
pub fn find(id: &str) -> Option<&'static Entry> {
    let id = generic(id.trim());
    CATALOGUE
        .iter()
        .find(|e| e.ids.contains(&id.as_str()))
        .or_else(|| {
            CATALOGUE
                .iter()
                .find(|e| e.ids.iter().any(|pattern| wildcard(pattern, &id)))
        })
}

/// An id as the document writes it: `ofd.signature[3]` → `ofd.signature[i]`,
/// `signature.supervisor.x` → `signature.<role>.x`.
fn generic(id: &str) -> String {
    let mut id = id.to_string();
    const SIGNATURE: &str = "ofd.signature[";
    if let Some(rest) = id.strip_prefix(SIGNATURE)
        && let Some(close) = rest.find(']')
        && close > 0
        && rest[..close].bytes().all(|b| b.is_ascii_digit())
    {
        id = format!("{SIGNATURE}i{}", &rest[close..]);
    }
    for role in ["invoicingParty", "supervisor"] {
        if let Some(rest) = id.strip_prefix(&format!("signature.{role}."))
            && !rest.is_empty()
        {
            id = format!("signature.<role>.{rest}");
        }
    }
    id
}

/// `pattern` holds one `*` standing for one or more segments.
fn wildcard(pattern: &str, id: &str) -> bool {
    let Some((head, tail)) = pattern.split_once('*') else {
        return false;
    };
    id.len() > head.len() + tail.len()
        && id.starts_with(head)
        && id.ends_with(tail)
        && !id[head.len()..id.len() - tail.len()].is_empty()
}

/// Up to five ids of the catalogue close to `id`.
pub fn close_matches(id: &str) -> Vec<&'static str> {
    let id = generic(id.trim()).to_ascii_lowercase();
    let mut scored: Vec<(f64, &'static str)> = CATALOGUE
        .iter()
        .flat_map(|e| e.ids.iter().copied())
        .map(|known| {
            let lower = known.to_ascii_lowercase();
            let mut score = strsim::jaro_winkler(&id, &lower);
            if !id.is_empty() && (lower.contains(&id) || id.contains(&lower)) {
                score = score.max(0.9);
            }
            (score, known)
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(5).map(|(_, id)| id).collect()
}

/// The explanation of `entry` as printed.
pub fn text(entry: &Entry, lang: Lang) -> String {
    let mut out = String::new();
    let level = match (entry.level, lang) {
        (Level::Failure, Lang::En) => "failure: decides the verdict".to_string(),
        (Level::Failure, Lang::Zh) => "失败级：决定结论".to_string(),
        (Level::Warning(code), Lang::En) => {
            format!("warning {code}: reported only, the verdict stays")
        }
        (Level::Warning(code), Lang::Zh) => format!("提示 {code}：只作报告，不影响结论"),
    };
    let _ = writeln!(out, "{}  ({level})", entry.ids.join(", "));
    let labels = match lang {
        Lang::En => ["What it checks", "Why it can fail", "What to do"],
        Lang::Zh => ["检查内容", "失败原因", "怎么办"],
    };
    let colon = match lang {
        Lang::En => ": ",
        Lang::Zh => "：",
    };
    for (label, part) in labels.iter().zip([&entry.what, &entry.fails, &entry.todo]) {
        let _ = writeln!(out, "{label}{colon}{}", part.get(lang));
    }
    out
}

pub(crate) fn explain(args: &ExplainArgs) -> u8 {
    let lang = args.lang.or_else(env_lang).unwrap_or(Lang::En);
    match find(&args.id) {
        Some(entry) => {
            print!("{}", text(entry, lang));
            EXIT_VALID
        }
        None => {
            let close = close_matches(&args.id);
            match (lang, close.is_empty()) {
                (Lang::En, true) => eprintln!(
                    "piaoyan: no check has the id {:?}; docs/report.md lists them all",
                    args.id
                ),
                (Lang::En, false) => eprintln!(
                    "piaoyan: no check has the id {:?}; close matches: {}",
                    args.id,
                    close.join(", ")
                ),
                (Lang::Zh, true) => eprintln!(
                    "piaoyan：没有编号为 {:?} 的检查；全部编号见 docs/report.md",
                    args.id
                ),
                (Lang::Zh, false) => eprintln!(
                    "piaoyan：没有编号为 {:?} 的检查；相近的编号：{}",
                    args.id,
                    close.join(", ")
                ),
            }
            EXIT_USAGE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_as_reports_name_them() {
        let esl = find("ofd.signature[12].seal.esl").unwrap();
        assert!(esl.ids.contains(&"ofd.signature[i].seal.esl"));
        assert_eq!(find("ofd.signature[i].seal.esl").unwrap().ids, esl.ids);
        let der = find("signature.supervisor.derTrailingOctets").unwrap();
        assert!(der.ids.contains(&"signature.<role>.derTrailingOctets"));
        assert!(
            find("signature.invoicingParty")
                .unwrap()
                .ids
                .contains(&"signature.invoicingParty")
        );
        let trailing = find("ofd.signature[0].cms.trailingOctets").unwrap();
        assert!(trailing.ids.contains(&"ofd.signature[i].*.trailingOctets"));
        assert!(find("ofd.signature[0].trailingOctets").is_none());
        assert!(find("ofd.signature[x].seal.esl").is_none());
        assert!(find("main.totalamountcapital").is_none());
    }

    #[test]
    fn close_matches_of_a_typo() {
        let close = close_matches("main.totalAmountCapitol");
        assert_eq!(close.first(), Some(&"main.totalAmountCapital"), "{close:?}");
        assert!(close_matches("zzzz").is_empty());
    }

    #[test]
    fn every_entry_says_all_three_in_both_languages() {
        let mut seen = std::collections::HashSet::new();
        for e in CATALOGUE {
            assert!(!e.ids.is_empty());
            for id in e.ids {
                assert!(seen.insert(*id), "{id} twice");
            }
            for t in [&e.what, &e.fails, &e.todo] {
                assert!(t.en.len() > 10 && t.zh.len() > 10, "{:?}", e.ids);
                let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                assert!(cjk(t.zh), "{:?}", e.ids);
            }
        }
    }
}
