//! The CLI for people (issue 19): the table fitted to 60, 100 and 200
//! columns in English and Chinese, with and without colour, against golden
//! files in tests/golden/ (re-bless with `PIAOYAN_BLESS=1`); the language
//! of the locale; `piaoyan explain` for every id of docs/report.md;
//! completions and the manual page.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_piaoyan");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `piaoyan ARGS` in the repository, with no locale, COLUMNS or NO_COLOR
/// from the caller's environment.
fn piaoyan(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(BIN);
    c.current_dir(repo()).args(args);
    for var in ["LC_ALL", "LC_MESSAGES", "LANG", "COLUMNS", "NO_COLOR"] {
        c.env_remove(var);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run piaoyan")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// The demo bills with their trust, at a fixed time, by relative paths.
const SAMPLES: &[&str] = &[
    "verify",
    "--no-config",
    "--now",
    "1780272000",
    "--jobs",
    "1",
    "--trust",
    "samples/trust/roots.pem",
    "--certs",
    "samples/trust/intermediates.pem",
    "--crl",
    "samples/trust/crls.pem",
    "samples/bills",
];

fn samples(extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut args = SAMPLES.to_vec();
    args.extend_from_slice(extra);
    piaoyan(&args, env)
}

/// Compares `actual` with tests/golden/`name`, or writes it there when
/// PIAOYAN_BLESS is set.
fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("PIAOYAN_BLESS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (PIAOYAN_BLESS=1 cargo test -p piaoyan-cli --test people writes it)",
            path.display()
        )
    });
    assert_eq!(
        actual, expected,
        "{name} differs (PIAOYAN_BLESS=1 re-blesses):\n{actual}"
    );
}

fn display_width(line: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    strip_ansi(line).width()
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn tables_fit_60_100_and_200_columns_in_both_languages_with_and_without_colour() {
    for width in [60, 100, 200] {
        for lang in ["en", "zh"] {
            for colour in ["never", "always"] {
                let columns = width.to_string();
                let o = samples(
                    &["--lang", lang, "--color", colour, "-q"],
                    &[("COLUMNS", &columns)],
                );
                assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
                let table = text(&o.stdout);
                for line in table.lines() {
                    assert!(
                        display_width(line) <= width,
                        "{width} {lang}: {} columns: {line}",
                        display_width(line)
                    );
                }
                assert_eq!(table.contains('\u{1b}'), colour == "always", "{table}");
                golden(&format!("table-{lang}-{width}-{colour}.txt"), &table);
            }
        }
    }
}

#[test]
fn the_table_speaks_chinese_all_the_way() {
    let o = samples(&["--lang", "zh", "--wide"], &[]);
    let table = text(&o.stdout);
    let verdicts: Vec<&str> = table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(
        verdicts,
        [
            "验证通过（演示）",
            "验证通过（演示）",
            "验证通过（演示）",
            "验证失败",
            "无法确定",
            "验证失败",
            "验证失败"
        ],
        "{table}"
    );
    assert!(!table.contains("VALID"), "{table}");
    // The reason ends with the deciding check's id.
    assert!(
        table
            .lines()
            .any(|l| l.contains("[main.totalAmountCapital]")),
        "{table}"
    );
    let summary = text(&o.stderr);
    assert!(summary.starts_with("piaoyan：共 7 条记录"), "{summary}");
    for line in [
        "  验证通过             3  （演示 3）",
        "  无法确定             1  （未链接到受信任的根证书 1）",
        "签名后被改动 1",
    ] {
        assert!(summary.contains(line), "{line:?} in {summary}");
    }
    // No English sub-indication codes in the Chinese summary.
    assert!(
        !summary.contains("_FAILURE") && !summary.contains("REVOKED"),
        "{summary}"
    );
}

#[test]
fn the_locale_chooses_chinese_unless_told() {
    let zh = samples(&["-q"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(text(&zh.stdout).starts_with("文件"), "{}", text(&zh.stdout));
    let c = samples(&["-q"], &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")]);
    assert!(text(&c.stdout).starts_with("FILE"), "{}", text(&c.stdout));
    let told = samples(&["-q", "--lang", "en"], &[("LC_ALL", "zh_CN.UTF-8")]);
    assert!(text(&told.stdout).starts_with("FILE"));
}

#[test]
fn colour_follows_color_and_no_color_and_never_reaches_machine_formats() {
    // Not a terminal: no colour unless --color always, which beats NO_COLOR.
    let auto = samples(&["-q"], &[]);
    assert!(!text(&auto.stdout).contains('\u{1b}'));
    let always = samples(&["-q", "--color", "always"], &[("NO_COLOR", "1")]);
    let table = text(&always.stdout);
    assert!(
        table.contains("\u{1b}[1m\u{1b}[31mINVALID\u{1b}[0m"),
        "{table}"
    );
    assert!(
        table.contains("\u{1b}[1m\u{1b}[33mINDETERMINATE"),
        "{table}"
    );
    for format in ["json", "jsonl", "csv"] {
        let plain = samples(&["-q", "--format", format], &[]);
        let coloured = samples(
            &["-q", "--format", format, "--color", "always"],
            &[("COLUMNS", "60")],
        );
        assert_eq!(plain.stdout, coloured.stdout, "{format}");
        assert!(!plain.stdout.contains(&0x1b));
    }
}

#[test]
fn a_file_that_is_no_bill_is_named_so_with_help() {
    let dir = std::env::temp_dir().join(format!("piaoyan-people-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("scan.pdf");
    fs::write(&pdf, b"%PDF-1.7\n").unwrap();
    let pdf = pdf.to_string_lossy().into_owned();
    let o = piaoyan(&["verify", "--no-config", "--lang", "zh", &pdf], &[]);
    let table = text(&o.stdout);
    assert!(table.contains("无法识别"), "{table}");
    assert!(table.contains("这是 PDF 文件"), "{table}");
    let summary = text(&o.stderr);
    assert!(summary.contains("（无法识别 1）"), "{summary}");
    let en = piaoyan(&["verify", "--no-config", "--wide", &pdf], &[]);
    let table = text(&en.stdout);
    assert!(
        table.contains("NOT A BILL") && table.contains("a PDF file, not an electronic bill"),
        "{table}"
    );
    fs::remove_dir_all(dir).unwrap();
}

// ---------------------------------------------------------------------------
// piaoyan explain

/// Every check id in the tables and the list of format failures of
/// docs/report.md, as the document writes them (`.seal.dataHash` after
/// `ofd.signature[i].seal.format` is `ofd.signature[i].seal.dataHash`).
fn report_md_ids() -> Vec<String> {
    let doc = fs::read_to_string(repo().join("docs/report.md")).unwrap();
    let mut ids = Vec::new();
    let push_cell = |cell: &str, ids: &mut Vec<String>| {
        let names: Vec<&str> = cell
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|n| !n.contains(' '))
            .collect();
        let Some(first) = names.first().copied() else {
            return;
        };
        for name in names {
            if let Some(relative) = name.strip_prefix('.') {
                let lead = relative.split('.').next().unwrap();
                let base = match first.find(&format!(".{lead}")) {
                    Some(at) => &first[..at],
                    None => &first[..first.rfind('.').unwrap()],
                };
                ids.push(format!("{base}.{relative}"));
            } else {
                ids.push(name.to_string());
            }
        }
    };
    for line in doc.lines() {
        if let Some(row) = line.strip_prefix("| `") {
            let first_cell = row.split(" | ").next().unwrap();
            push_cell(&format!("`{first_cell}"), &mut ids);
        }
    }
    // "Format failures use `document.empty`, ... `limits.attributes` (...".
    let start = doc.find("Format failures use").unwrap();
    let end = start + doc[start..].find("\n\n").unwrap();
    for name in doc[start..end].split('`').skip(1).step_by(2) {
        // `Details` and `AuxDetails` are elements, not checks.
        if name.contains('.') {
            ids.push(name.to_string());
        }
    }
    ids
}

#[test]
fn explain_covers_every_id_of_report_md() {
    let ids = report_md_ids();
    assert!(ids.len() > 80, "{ids:?}");
    for needed in [
        "ofd.signature[i].seal.dataHash",
        "ofd.signature[i].certRevokedAfterSigning",
        "limits.ofdSignatures",
        "signature.<role>.derTrailingOctets",
        "document.unknownElement",
    ] {
        assert!(ids.iter().any(|i| i == needed), "{needed} not read");
    }
    let mut missing = Vec::new();
    for id in &ids {
        if piaoyan_cli::explain::find(id).is_none() {
            missing.push(id.clone());
        }
    }
    assert!(missing.is_empty(), "no explanation for {missing:?}");
}

#[test]
fn explain_answers_in_both_languages_and_names_close_matches() {
    let o = piaoyan(&["explain", "ofd.signature[2].references"], &[]);
    assert_eq!(o.status.code(), Some(0));
    let en = text(&o.stdout);
    assert!(
        en.starts_with("ofd.signature[i].references  (failure"),
        "{en}"
    );
    for label in ["What it checks: ", "Why it can fail: ", "What to do: "] {
        assert!(en.contains(label), "{en}");
    }
    let zh = text(&piaoyan(&["explain", "--lang", "zh", "signature.supervisor"], &[]).stdout);
    for label in ["检查内容：", "失败原因：", "怎么办："] {
        assert!(zh.contains(label), "{zh}");
    }
    let by_locale = piaoyan(
        &["explain", "items.quantityTimesStd"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert!(text(&by_locale.stdout).contains("提示 ITEM_QTY_STD_MISMATCH"));

    let typo = piaoyan(&["explain", "main.totalAmountCapitol"], &[]);
    assert_eq!(typo.status.code(), Some(2));
    let message = text(&typo.stderr);
    assert!(
        message.contains("no check has the id \"main.totalAmountCapitol\"")
            && message.contains("close matches: main.totalAmountCapital"),
        "{message}"
    );
    assert!(typo.stdout.is_empty());
    let nothing = piaoyan(&["explain", "qqqq"], &[]);
    assert_eq!(nothing.status.code(), Some(2));
    assert!(text(&nothing.stderr).contains("docs/report.md"));
}

// ---------------------------------------------------------------------------
// Completions and the manual page.

#[test]
fn completions_for_each_shell_know_the_options() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef piaoyan"),
        ("fish", "complete -c piaoyan"),
    ] {
        let o = piaoyan(&["completions", shell], &[]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = text(&o.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        for word in ["verify", "explain", "wide", "color"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    assert_eq!(
        piaoyan(&["completions", "tcsh"], &[]).status.code(),
        Some(2)
    );
}

#[test]
fn the_manual_page_is_roff() {
    let o = piaoyan(&["man"], &[]);
    assert_eq!(o.status.code(), Some(0));
    let page = text(&o.stdout);
    assert!(page.contains(".TH piaoyan"), "{page}");
    for word in ["verify", "explain", "completions"] {
        assert!(page.contains(word), "{word}");
    }
}
