//! `piaoyan`: verifies fiscal electronic bills offline by running the
//! embedded Piaoyan WebAssembly module through wasmtime.
//!
//! The binary is [`main`]; the library parts are public for the tests and
//! benchmarks: [`module`] runs the module through its ABI, [`inputs`]
//! expands and reads what to verify, [`pool`] verifies in parallel with
//! exact accounting, [`output`] prints records and the summary.

pub mod config;
pub mod inputs;
pub mod module;
pub mod output;
pub mod pool;
pub mod report;

use std::ffi::OsString;
use std::fs;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use config::Config;
use inputs::Input;
use module::{Limits, Outcome, Runner, Worker};
use output::{Format, Lang, Record, Tally, Writer};

/// The verifier module, built from this workspace by `build.rs`.
pub static MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/piaoyan_wasm.wasm"));

/// Input bound of an XML bill passed to the verifier (spec §8 default).
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

/// Bound of an OFD document (zip package) passed to the verifier (the core's
/// default `maxPackageBytes`).
pub const MAX_PACKAGE_BYTES: u64 = 64 * 1024 * 1024;

/// Most bytes read of one input: one byte more than the larger bound, so
/// that the verifier, which tells bills and documents apart by content,
/// sees that a longer input is too long without the host reading all of it.
pub const READ_CAP: u64 = if MAX_PACKAGE_BYTES > MAX_INPUT_BYTES {
    MAX_PACKAGE_BYTES
} else {
    MAX_INPUT_BYTES
} + 1;

/// Every bill VALID.
const EXIT_VALID: u8 = 0;
/// Some bill not proven VALID (INVALID, INDETERMINATE, or an error record).
const EXIT_NOT_VALID: u8 = 1;
/// A usage or I/O error.
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "piaoyan",
    about = "Verifies China's fiscal electronic bills (财政电子票据) offline",
    after_help = "Exit status: 0 every bill VALID, 1 some bill not VALID, 2 usage or I/O error."
)]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

#[derive(Subcommand)]
enum Commands {
    /// Verify bills and OFD documents; print one record per input.
    #[command(after_long_help = VERIFY_HELP)]
    Verify(Box<VerifyArgs>),
    /// Write the embedded verifier module (for other hosts: docs/abi.md).
    Module(ModuleArgs),
}

const VERIFY_HELP: &str = "\
Inputs: a file is one bill or OFD document, told apart by content (an XML
bill up to 4 MiB, an OFD up to 64 MiB); a zip file (named .zip, or starting
like one) with OFD.xml at its root is one OFD document, as is any .ofd file;
any other zip is an archive of bills and OFD documents (one record per file
entry, named `archive.zip!/path/in/zip`); a directory stands for
every regular file below it, recursively, in path order (links to files
followed, to directories not); a PATH that does not exist but holds * ? or [
is a glob pattern, expanded by piaoyan itself; `-` reads a list of paths from
standard input, one per line.

Records (--format json / jsonl / csv) are the verifier's report with `file`
first, then `verdict`, `subIndication` (null when VALID), `duplicateOf` (the
first file with the same billKey, when an earlier record had it), then the
report's other fields. An input that got no report gets an error record:
  {\"file\":...,\"verdict\":\"INDETERMINATE\",\"subIndication\":null,
   \"reason\":{\"zh\":...,\"en\":...},
   \"error\":{\"code\":\"IO|ARCHIVE|TRAP|TIMEOUT|MEMORY_LIMIT|OUT_OF_MEMORY|MODULE|...\",
             \"message\":...}}
A bill that traps, times out or exhausts its memory gets such a record, its
instance is replaced, and the run goes on: one record per input, always.

A summary goes to standard error: counts per verdict and sub-indication,
duplicates, the total amount of VALID bills (each bill key counted once),
throughput. A progress bar is shown when standard error is a terminal and the
records do not go to that terminal too (--output FILE, or a pipe).

Trust material and run settings may also come from a config file,
piaoyan.toml in the working directory or --config FILE (paths in it are
relative to it): trust, certs, crl (a path or a list), jobs, timeout,
max-memory, lang. --trust/--certs/--crl add to the file's lists.

Exit status: 0 every bill VALID; 1 some bill INVALID, INDETERMINATE or an
error record; 2 usage or I/O error (a PATH that names nothing, an unreadable
file or archive, a bad PEM or config file, options the verifier rejects),
which wins over 1.";

#[derive(clap::Args)]
struct VerifyArgs {
    /// Trust anchors: a PEM file of one or more certificates, or a
    /// directory of them (repeatable).
    #[arg(long = "trust", value_name = "PEM|DIR")]
    trust: Vec<PathBuf>,
    /// Certificate store: intermediate and signer certificates, PEM file or
    /// directory (repeatable).
    #[arg(long = "certs", value_name = "PEM|DIR")]
    certs: Vec<PathBuf>,
    /// Certificate revocation lists, PEM `X509 CRL` blocks, file or
    /// directory (repeatable).
    #[arg(long = "crl", value_name = "PEM|DIR")]
    crl: Vec<PathBuf>,
    /// Config file (default: piaoyan.toml in the working directory, if any).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Read no config file.
    #[arg(long)]
    no_config: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the records to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Language of the table, the CSV reason column and the summary
    /// [default: en].
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// Verify as of this time (Unix seconds) instead of the system clock.
    #[arg(long, value_name = "UNIX_SECONDS", allow_hyphen_values = true)]
    now: Option<i64>,
    /// Bills verified at once [default: all cores].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Print records as they finish instead of in input order.
    #[arg(long)]
    unordered: bool,
    /// Longest time one bill may take, in seconds; 0: no limit [default: 60].
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<u64>,
    /// Most memory one verifier instance may use, in MiB [default: 512].
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..=4096))]
    max_memory: Option<u64>,
    /// No progress bar, no summary.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Compile the verifier module anew (about half a second) instead of
    /// loading the compiled module an earlier run kept (in
    /// $PIAOYAN_CACHE_DIR, else $XDG_CACHE_HOME/piaoyan, else
    /// ~/.cache/piaoyan).
    #[arg(long)]
    no_cache: bool,
    /// Run this verifier module instead of the embedded one (for testing a
    /// build; it must speak the same ABI).
    #[arg(long, value_name = "WASM")]
    module: Option<PathBuf>,
    /// Bill files, OFD documents, zip archives, directories, glob patterns,
    /// or `-` for a list of paths on standard input.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct ModuleArgs {
    /// Where to write the module (`-`: standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: PathBuf,
}

/// The `piaoyan` binary.
pub fn main() -> ExitCode {
    main_with(std::env::args_os())
}

fn main_with(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let version = version_line();
    let command = Cli::command()
        .version(version.clone())
        .long_version(version);
    let cli = match Cli::from_arg_matches(&command.get_matches_from(args)) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    ExitCode::from(match cli.command {
        Commands::Verify(args) => verify(&args),
        Commands::Module(args) => write_module(&args),
    })
}

/// `0.1.0 (module sha256 <hex>)`: clap puts the name in front.
fn version_line() -> String {
    format!(
        "{} (module sha256 {})",
        env!("CARGO_PKG_VERSION"),
        hex(&Sha256::digest(MODULE))
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn usage_error(message: &str) -> u8 {
    eprintln!("piaoyan: {message}");
    EXIT_USAGE
}

fn write_module(args: &ModuleArgs) -> u8 {
    let written = if args.output.as_os_str() == "-" {
        let mut out = io::stdout().lock();
        out.write_all(MODULE).and_then(|()| out.flush())
    } else {
        fs::write(&args.output, MODULE)
    };
    match written {
        Ok(()) => EXIT_VALID,
        Err(e) => usage_error(&format!(
            "cannot write {}: {}",
            args.output.display(),
            inputs::io_text(&e)
        )),
    }
}

/// Settings of one run: the command line over the config file.
struct Settings {
    lang: Lang,
    jobs: usize,
    limits: Limits,
}

fn settings(args: &VerifyArgs, config: &Config) -> Settings {
    let lang = args.lang.unwrap_or(match config.lang.as_deref() {
        Some("zh") => Lang::Zh,
        _ => Lang::En,
    });
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = args
        .jobs
        .map(usize::from)
        .or(config.jobs)
        .unwrap_or(cores)
        .max(1);
    let timeout = args.timeout.or(config.timeout).unwrap_or(60);
    let max_memory = args
        .max_memory
        .or(config.max_memory)
        .unwrap_or((module::DEFAULT_MAX_MEMORY >> 20) as u64)
        .clamp(1, 4096);
    Settings {
        lang,
        jobs,
        limits: Limits {
            timeout: (timeout > 0).then(|| Duration::from_secs(timeout)),
            max_memory: (max_memory as usize) << 20,
        },
    }
}

fn verify(args: &VerifyArgs) -> u8 {
    let config = if args.no_config {
        Config::default()
    } else {
        match Config::find(args.config.as_deref()) {
            Ok(c) => c,
            Err(e) => return usage_error(&e),
        }
    };
    let settings = settings(args, &config);
    let trust = match Trust::read(&config, args) {
        Ok(t) => t,
        Err(e) => return usage_error(&e),
    };
    let options = match now(args) {
        Ok(now) => trust.options_json(now),
        Err(e) => return usage_error(&e),
    };
    let inputs = match inputs::expand(&args.paths, &mut io::stdin().lock()) {
        Ok(i) => i,
        Err(e) => return usage_error(&e),
    };
    let custom;
    let wasm = match &args.module {
        None => MODULE,
        Some(path) => match fs::read(path) {
            Ok(bytes) => {
                custom = bytes;
                &custom
            }
            Err(e) => {
                return usage_error(&format!("{}: {}", path.display(), inputs::io_text(&e)));
            }
        },
    };
    let cache_dir = if args.no_cache {
        None
    } else {
        module::default_cache_dir()
    };
    let runner = match Runner::cached(wasm, settings.limits, cache_dir.as_deref()) {
        Ok(r) => r,
        Err(e) => return usage_error(&e),
    };
    // The options are checked once, before any bill: a rejection stops the
    // run before any record is printed.
    let jobs = settings.jobs.min(inputs.len()).max(1);
    let mut first = runner.worker(options.as_bytes());
    match first.start() {
        Ok(()) => {}
        Err(Outcome::Rejected { code, message }) if code.starts_with("OPTIONS_") => {
            return options_rejected(&code, &message, &trust);
        }
        Err(other) => {
            return usage_error(&format!(
                "the verifier module cannot be configured: {}",
                outcome_text(&other)
            ));
        }
    }

    let out: Box<dyn Write> = match &args.output {
        None => Box::new(BufWriter::new(io::stdout().lock())),
        Some(path) => match fs::File::create(path) {
            Ok(f) => Box::new(BufWriter::new(f)),
            Err(e) => {
                return usage_error(&format!(
                    "cannot write {}: {}",
                    path.display(),
                    inputs::io_text(&e)
                ));
            }
        },
    };
    if !args.quiet
        && let Some(source) = &config.source
    {
        eprintln!(
            "piaoyan: trust and settings from config file {}",
            source.display()
        );
    }

    // A bar on a terminal, unless the records themselves go to that
    // terminal (they show the progress, and would be torn by the bar).
    let records_on_terminal = args.output.is_none() && io::stdout().is_terminal();
    let progress = if args.quiet || !io::stderr().is_terminal() || records_on_terminal {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(
            Some(inputs.len() as u64),
            ProgressDrawTarget::stderr_with_hz(4),
        );
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} {pos}/{len} bills [{bar:30}] {rate} bills/s, eta {eta}",
        ) {
            bar.set_style(
                style
                    .with_key(
                        "rate",
                        |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                            let _ = write!(w, "{:.0}", state.per_sec());
                        },
                    )
                    .progress_chars("=> "),
            );
        }
        bar
    };

    let mut workers = vec![BillWork::new(&inputs, first)];
    for _ in 1..jobs {
        workers.push(BillWork::new(&inputs, runner.worker(options.as_bytes())));
    }
    let mut writer = Writer::new(out, args.format, settings.lang);
    let mut tally = Tally::new();
    let mut write_error: Option<io::Error> = None;
    let verifying = Instant::now();
    let failed = |i: usize, code: &'static str, message: String| {
        Record::error(inputs[i].name().into_owned(), code, message)
    };
    let ran = pool::run(
        inputs.len(),
        workers,
        !args.unordered,
        16 * jobs + 64,
        &failed,
        |index, record| {
            let duplicate_of = tally.add(index, &record).map(|first| inputs[first].name());
            if let (Some("IO" | "ARCHIVE"), output::Body::Error { message, .. }) =
                (record.error_code(), &record.body)
            {
                progress.suspend(|| eprintln!("piaoyan: {message}"));
            }
            progress.inc(1);
            writer
                .record(&record, duplicate_of.as_deref())
                .map_err(|e| {
                    write_error = Some(e);
                    pool::Stopped
                })
        },
    );
    progress.finish_and_clear();
    if ran.is_err() {
        return output_failed(write_error.as_ref());
    }
    if let Err(e) = writer.finish() {
        return output_failed(Some(&e));
    }
    if !args.quiet {
        eprint!(
            "{}",
            tally.summary(verifying.elapsed(), jobs, settings.lang)
        );
    }
    if tally.read_errors > 0 {
        EXIT_USAGE
    } else if tally.all_valid {
        EXIT_VALID
    } else {
        EXIT_NOT_VALID
    }
}

fn outcome_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Report(_) => "an unexpected report".into(),
        Outcome::Rejected { code, message } => format!("{code}: {message}"),
        Outcome::Failed { code, message } => format!("{code}: {message}"),
    }
}

/// One thread's share of the run: reads an input, verifies it.
struct BillWork<'a> {
    inputs: &'a [Input],
    worker: Worker<'a>,
    reader: inputs::Reader,
}

impl<'a> BillWork<'a> {
    fn new(inputs: &'a [Input], worker: Worker<'a>) -> BillWork<'a> {
        BillWork {
            inputs,
            worker,
            reader: inputs::Reader::default(),
        }
    }
}

impl pool::Work for BillWork<'_> {
    type Record = Record;

    fn process(&mut self, index: usize) -> Record {
        let input = &self.inputs[index];
        let file = input.name().into_owned();
        let bill = match self.reader.read(input, READ_CAP) {
            Ok(bill) => bill,
            Err((code, message)) => return Record::error(file, code, message),
        };
        match self.worker.verify(&bill) {
            Outcome::Report(report) => Record::report(file, report),
            Outcome::Rejected { code, message } => Record::error(file, code, message),
            Outcome::Failed { code, message } => Record::error(file, code, message),
        }
    }

    fn reset(&mut self) {
        self.worker.reset();
        self.reader = inputs::Reader::default();
    }
}

fn options_rejected(code: &str, message: &str, trust: &Trust) -> u8 {
    usage_error(&format!(
        "the verifier rejected the options: {code}: {}",
        trust.name_files(message)
    ))
}

/// The output failed; a closed pipe (`| head`) ends the run quietly.
fn output_failed(e: Option<&io::Error>) -> u8 {
    if let Some(e) = e
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        eprintln!("piaoyan: cannot write the output: {e}");
    }
    EXIT_USAGE
}

/// The trust material: PEM blocks, one options entry each, and where
/// each came from.
struct Trust {
    /// (options field, PEM blocks, the file and block of each).
    fields: Vec<(&'static str, Vec<String>, Vec<String>)>,
}

impl Trust {
    /// Reads every PEM file and directory, the config file's first; an
    /// error names the file.
    fn read(config: &Config, args: &VerifyArgs) -> Result<Trust, String> {
        let mut fields = Vec::new();
        for (field, from_config, from_args, label) in [
            ("trustAnchors", &config.trust, &args.trust, "CERTIFICATE"),
            ("certificates", &config.certs, &args.certs, "CERTIFICATE"),
            ("crls", &config.crl, &args.crl, "X509 CRL"),
        ] {
            let paths: Vec<PathBuf> = from_config.iter().chain(from_args).cloned().collect();
            let (blocks, origins) = inputs::read_pem_paths(&paths, label)?.into_iter().unzip();
            fields.push((field, blocks, origins));
        }
        Ok(Trust { fields })
    }

    /// The options JSON of `docs/abi.md`.
    fn options_json(&self, now: i64) -> String {
        let mut options = serde_json::Map::new();
        for (field, blocks, _) in &self.fields {
            options.insert((*field).into(), json!(blocks));
        }
        options.insert("now".into(), json!(now));
        options.insert(
            "limits".into(),
            json!({ "maxInputBytes": MAX_INPUT_BYTES, "maxPackageBytes": MAX_PACKAGE_BYTES }),
        );
        Value::Object(options).to_string()
    }

    /// Puts the file (and block) in place of `trustAnchors[3]` and the like,
    /// which is how the verifier names an entry of the options.
    fn name_files(&self, message: &str) -> String {
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        'scan: while !rest.is_empty() {
            for (field, _, origins) in &self.fields {
                if let Some(after) = rest.strip_prefix(field).and_then(|r| r.strip_prefix('['))
                    && let Some(close) = after.find(']')
                    && let Ok(i) = after[..close].parse::<usize>()
                    && let Some(origin) = origins.get(i)
                {
                    out.push_str(origin);
                    rest = &after[close + 1..];
                    continue 'scan;
                }
            }
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
        out
    }
}

fn now(args: &VerifyArgs) -> Result<i64, String> {
    match args.now {
        Some(now) => Ok(now),
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .map_err(|_| "the system clock is before 1970".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_entries_are_named_by_file_and_block() {
        let trust = Trust {
            fields: vec![
                (
                    "trustAnchors",
                    vec![],
                    vec![
                        "r.pem (PEM block 1 of 2)".into(),
                        "r.pem (PEM block 2 of 2)".into(),
                    ],
                ),
                ("certificates", vec![], vec![]),
                ("crls", vec![], vec!["c.pem".into()]),
            ],
        };
        assert_eq!(
            trust.name_files("trustAnchors[1] is not a usable certificate: 票 crls[0]"),
            "r.pem (PEM block 2 of 2) is not a usable certificate: 票 c.pem"
        );
        // Unknown indices and look-alikes stay as they are.
        assert_eq!(
            trust.name_files("trustAnchors[7] crls[x] certificates[0"),
            "trustAnchors[7] crls[x] certificates[0"
        );
        let json: Value = serde_json::from_str(&trust.options_json(5)).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["trustAnchors", "certificates", "crls", "now", "limits"]
        );
        assert_eq!(json["limits"]["maxInputBytes"], MAX_INPUT_BYTES);
        assert_eq!(json["limits"]["maxPackageBytes"], MAX_PACKAGE_BYTES);
    }
}
