//! `piaoyan ledger`: book and unbook bills, show a bill, export the
//! verdicts, count them.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{Booking, Filter, Refusal, Stats, Store, Target, VerdictRow, entry, open};
use crate::config::Config;
use crate::output::{Lang, yuan};
use crate::{EXIT_NOT_VALID, EXIT_USAGE, EXIT_VALID, inputs, terminal};

/// Where the ledger is, for every `ledger` subcommand.
#[derive(clap::Args)]
pub struct At {
    /// The ledger (a SQLite file, or a postgresql:// URL) [default: the
    /// config's `ledger`].
    #[arg(long, value_name = "PATH|URL")]
    pub ledger: Option<PathBuf>,
    /// Config file (default: piaoyan.toml in the working directory, if any).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Read no config file.
    #[arg(long)]
    pub no_config: bool,
    /// Language of the messages and tables [default: from the locale].
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(clap::Subcommand)]
pub enum LedgerCommand {
    /// Mark a VALID bill booked (入账), exactly once.
    Book(BookArgs),
    /// End a bill's booking (it stays in the history, superseded).
    Unbook(UnbookArgs),
    /// Every verdict and booking of one bill.
    Show(ShowArgs),
    /// The kept verdicts, as CSV or JSON lines.
    Export(ExportArgs),
    /// Counts by verdict, bookings, duplicates, amounts.
    Stats(StatsArgs),
}

#[derive(clap::Args)]
pub struct BookArgs {
    #[command(flatten)]
    pub at: At,
    /// A bill file verified into the ledger before, or a bill key
    /// (`EInvoiceCode-EInvoiceNumber`).
    #[arg(value_name = "FILE|BILLKEY")]
    pub bill: String,
    /// The accounting voucher the bill is booked under.
    #[arg(long, value_name = "V")]
    pub voucher: String,
    /// Who books it [default: $USER].
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Book a bill even though its verdict rests on the project's demo
    /// trust anchors (anyone can sign such a bill): for demonstrations only.
    #[arg(long)]
    pub demo: bool,
}

#[derive(clap::Args)]
pub struct UnbookArgs {
    #[command(flatten)]
    pub at: At,
    #[arg(value_name = "BILLKEY")]
    pub bill_key: String,
    /// Who ends the booking.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// Why.
    #[arg(long, value_name = "TEXT")]
    pub why: String,
}

/// Output format of `show` and `stats`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReadFormat {
    /// Lines for a person.
    Table,
    /// One JSON object.
    Json,
}

/// Output format of `export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values (RFC 4180), one row per verdict.
    Csv,
    /// One JSON object per verdict.
    Jsonl,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub at: At,
    #[arg(value_name = "BILLKEY")]
    pub bill_key: String,
    #[arg(long, value_enum, default_value_t = ReadFormat::Table)]
    pub format: ReadFormat,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub at: At,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Only verdicts kept on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<String>,
    /// Only the VALID records of bills booked now (a record that is not
    /// VALID never shows a booking, even under a booked bill's key).
    #[arg(long, conflicts_with = "unbooked")]
    pub booked: bool,
    /// Only records that show no booking (the complement of --booked).
    #[arg(long)]
    pub unbooked: bool,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub at: At,
    #[arg(long, value_enum, default_value_t = ReadFormat::Table)]
    pub format: ReadFormat,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn parse_date(text: &str) -> Result<String, String> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10);
    let month: u32 = text.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    let day: u32 = text.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(0);
    if ok && (1..=12).contains(&month) && (1..=31).contains(&day) {
        Ok(text.to_string())
    } else {
        Err(format!("{text:?} is not a date YYYY-MM-DD"))
    }
}

/// `piaoyan ledger …`; the exit status.
pub fn ledger(command: &LedgerCommand) -> u8 {
    let result = match command {
        LedgerCommand::Book(args) => book(args),
        LedgerCommand::Unbook(args) => unbook(args),
        LedgerCommand::Show(args) => show(args),
        LedgerCommand::Export(args) => export(args),
        LedgerCommand::Stats(args) => stats(args),
    };
    match result {
        Ok(status) => status,
        Err(message) => {
            eprintln!("piaoyan: {message}");
            EXIT_USAGE
        }
    }
}

fn lang(at: &At, config: &Config) -> Lang {
    let from_config = config
        .lang
        .as_deref()
        .map(|l| if l == "zh" { Lang::Zh } else { Lang::En });
    at.lang
        .or(from_config)
        .or(terminal::env_lang())
        .unwrap_or(Lang::En)
}

/// The config, and the ledger it or `--ledger` names, opened.
fn open_at(at: &At) -> Result<(Config, Box<dyn Store>), String> {
    let config = if at.no_config {
        Config::default()
    } else {
        Config::find(at.config.as_deref())?
    };
    let path = at
        .ledger
        .clone()
        .or_else(|| config.ledger.clone())
        .ok_or("no ledger: give --ledger PATH|URL, or `ledger = \"PATH\"` in piaoyan.toml")?;
    let store = open(&path)?;
    Ok((config, store))
}

fn refused(refusal: &Refusal) -> u8 {
    eprintln!("piaoyan: {}", refusal.text());
    match refusal {
        Refusal::Storage(_) => EXIT_USAGE,
        _ => EXIT_NOT_VALID,
    }
}

fn book(args: &BookArgs) -> Result<u8, String> {
    let (_, mut store) = open_at(&args.at)?;
    let by = match &args.by {
        Some(by) => by.clone(),
        None => std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .map_err(|_| "who books it? give --by NAME".to_string())?,
    };
    if args.voucher.trim().is_empty() || by.trim().is_empty() {
        return Err("--voucher and --by must not be empty".into());
    }
    let path = Path::new(&args.bill);
    let target = if path.is_file() {
        let bytes = inputs::read_capped(path, crate::READ_CAP)?;
        Target::File {
            sha256: entry::hex(&entry::sha256(&bytes)),
            name: args.bill.clone(),
        }
    } else {
        Target::BillKey(args.bill.clone())
    };
    match store.book(&target, &args.voucher, &by, args.demo) {
        Ok(b) => {
            println!(
                "booked bill {}: voucher {} by {} at {} (file {})",
                b.bill_key, b.voucher, b.by, b.at, b.file
            );
            Ok(EXIT_VALID)
        }
        Err(refusal) => Ok(refused(&refusal)),
    }
}

fn unbook(args: &UnbookArgs) -> Result<u8, String> {
    let (_, mut store) = open_at(&args.at)?;
    if args.by.trim().is_empty() || args.why.trim().is_empty() {
        return Err("--by and --why must not be empty".into());
    }
    match store.unbook(&args.bill_key, &args.by, &args.why) {
        Ok(b) => {
            println!(
                "unbooked bill {}: voucher {} (booked by {} at {}) ended by {} at {}: {}",
                b.bill_key,
                b.voucher,
                b.by,
                b.at,
                b.unbooked_by.as_deref().unwrap_or_default(),
                b.unbooked_at.as_deref().unwrap_or_default(),
                b.unbook_reason.as_deref().unwrap_or_default()
            );
            Ok(EXIT_VALID)
        }
        Err(refusal) => Ok(refused(&refusal)),
    }
}

/// Standard output, or `--output FILE`.
fn output(path: Option<&Path>) -> Result<Box<dyn Write>, String> {
    Ok(match path {
        None => Box::new(BufWriter::new(io::stdout().lock())),
        Some(path) => Box::new(BufWriter::new(fs::File::create(path).map_err(|e| {
            format!("cannot write {}: {}", path.display(), inputs::io_text(&e))
        })?)),
    })
}

fn written(result: io::Result<()>) -> Result<u8, String> {
    match result {
        Ok(()) => Ok(EXIT_VALID),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(EXIT_USAGE),
        Err(e) => Err(format!("cannot write the output: {e}")),
    }
}

fn amount(fen: Option<i64>) -> String {
    fen.map(|f| yuan(f.into())).unwrap_or_else(|| "-".into())
}

fn show(args: &ShowArgs) -> Result<u8, String> {
    let (config, mut store) = open_at(&args.at)?;
    let lang = lang(&args.at, &config);
    let (verdicts, bookings) = store.show(&args.bill_key)?;
    if verdicts.is_empty() {
        eprintln!(
            "piaoyan: {}",
            Refusal::Unknown(format!("bill {}", args.bill_key)).text()
        );
        return Ok(EXIT_NOT_VALID);
    }
    let mut out = output(args.output.as_deref())?;
    let result = match args.format {
        ReadFormat::Json => serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({"billKey": args.bill_key, "verdicts": verdicts, "bookings": bookings}),
        )
        .map_err(io::Error::other)
        .and_then(|()| writeln!(out)),
        ReadFormat::Table => write_show(&mut out, &args.bill_key, &verdicts, &bookings, lang),
    };
    written(result.and_then(|()| out.flush()))
}

fn write_show(
    out: &mut dyn Write,
    key: &str,
    verdicts: &[VerdictRow],
    bookings: &[Booking],
    lang: Lang,
) -> io::Result<()> {
    let (bill, kept, booked, none, unbooked) = match lang {
        Lang::En => ("bill", "verdicts", "bookings", "not booked", "unbooked"),
        Lang::Zh => ("票据", "验证记录", "入账记录", "未入账", "已撤销"),
    };
    writeln!(out, "{bill} {key}")?;
    writeln!(out, "{kept}:")?;
    for v in verdicts {
        writeln!(
            out,
            "  {}  batch {}  {}{}  {}  {}  {}",
            v.verified_at,
            v.batch,
            v.verdict.as_str(),
            v.sub_indication
                .as_deref()
                .map(|s| format!(" {s}"))
                .unwrap_or_default(),
            amount(v.amount_fen),
            v.file,
            v.issuer.as_deref().unwrap_or("-"),
        )?;
    }
    writeln!(out, "{booked}:")?;
    if bookings.is_empty() {
        writeln!(out, "  {none}")?;
    }
    for b in bookings {
        write!(
            out,
            "  {}  voucher {}  by {}  file {}",
            b.at, b.voucher, b.by, b.file
        )?;
        match (&b.unbooked_at, &b.unbooked_by) {
            (Some(at), Some(by)) => writeln!(
                out,
                "  [{unbooked} {at} by {by}: {}]",
                b.unbook_reason.as_deref().unwrap_or_default()
            )?,
            _ => writeln!(out)?,
        }
    }
    Ok(())
}

/// The columns of `ledger export --format csv`.
pub const EXPORT_HEADER: [&str; 19] = [
    "id",
    "batch",
    "file",
    "fileSha256",
    "billKey",
    "verdict",
    "subIndication",
    "errorCode",
    "amount",
    "amountFen",
    "issuer",
    "payer",
    "issueDate",
    "verifiedAt",
    "moduleSha256",
    "booked",
    "voucher",
    "bookedBy",
    "bookedAt",
];

fn export(args: &ExportArgs) -> Result<u8, String> {
    let (_, mut store) = open_at(&args.at)?;
    let filter = Filter {
        since: args.since.clone(),
        booked: match (args.booked, args.unbooked) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
    };
    let rows = store.export(&filter)?;
    let mut out = output(args.output.as_deref())?;
    let mut write = || -> io::Result<()> {
        if args.format == ExportFormat::Csv {
            crate::output::csv_row(&mut out, EXPORT_HEADER.iter().map(|s| s.to_string()))?;
        }
        for (v, b) in &rows {
            match args.format {
                ExportFormat::Jsonl => {
                    let mut value = serde_json::to_value(v).map_err(io::Error::other)?;
                    value["booking"] = serde_json::to_value(b).map_err(io::Error::other)?;
                    serde_json::to_writer(&mut out, &value).map_err(io::Error::other)?;
                    out.write_all(b"\n")?;
                }
                ExportFormat::Csv => {
                    let o = |s: &Option<String>| s.clone().unwrap_or_default();
                    let cells = vec![
                        v.id.to_string(),
                        v.batch.to_string(),
                        v.file.clone(),
                        v.file_sha256.clone(),
                        o(&v.bill_key),
                        v.verdict.as_str().to_string(),
                        o(&v.sub_indication),
                        o(&v.error_code),
                        v.amount_fen.map(|f| yuan(f.into())).unwrap_or_default(),
                        v.amount_fen.map(|f| f.to_string()).unwrap_or_default(),
                        o(&v.issuer),
                        o(&v.payer),
                        o(&v.issue_date),
                        v.verified_at.clone(),
                        v.module_sha256.clone(),
                        b.is_some().to_string(),
                        b.as_ref().map(|b| b.voucher.clone()).unwrap_or_default(),
                        b.as_ref().map(|b| b.by.clone()).unwrap_or_default(),
                        b.as_ref().map(|b| b.at.clone()).unwrap_or_default(),
                    ];
                    crate::output::csv_row(&mut out, cells)?;
                }
            }
        }
        out.flush()
    };
    written(write())
}

fn stats(args: &StatsArgs) -> Result<u8, String> {
    let (config, mut store) = open_at(&args.at)?;
    let lang = lang(&args.at, &config);
    let stats = store.stats()?;
    let mut out = output(args.output.as_deref())?;
    let result = match args.format {
        ReadFormat::Json => serde_json::to_writer_pretty(&mut out, &stats)
            .map_err(io::Error::other)
            .and_then(|()| writeln!(out)),
        ReadFormat::Table => out.write_all(stats_text(&stats, lang).as_bytes()),
    };
    written(result.and_then(|()| out.flush()))
}

fn stats_text(s: &Stats, lang: Lang) -> String {
    let lines: [(&str, &str, String); 11] = [
        ("batches", "批次", s.batches.to_string()),
        ("records", "记录", s.records.to_string()),
        ("VALID", "验证通过", s.valid.to_string()),
        ("INVALID", "验证失败", s.invalid.to_string()),
        ("INDETERMINATE", "无法确定", s.indeterminate.to_string()),
        ("VALID bills", "有效票据（张）", s.valid_bills.to_string()),
        ("duplicates", "重复", s.duplicates.to_string()),
        ("booked", "已入账", s.booked.to_string()),
        ("unbooked", "已撤销入账", s.unbooked.to_string()),
        ("VALID amount", "有效金额（元）", yuan(s.valid_fen.into())),
        (
            "booked amount",
            "已入账金额（元）",
            yuan(s.booked_fen.into()),
        ),
    ];
    let mut text = String::new();
    for (en, zh, value) in lines {
        let label = match lang {
            Lang::En => en,
            Lang::Zh => zh,
        };
        let pad = " ".repeat(18usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label)));
        text.push_str(&format!("{label}{pad}{value:>14}\n"));
    }
    text
}
