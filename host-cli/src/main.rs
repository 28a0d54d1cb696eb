//! `piaoyan`: verifies fiscal electronic bills offline by running the
//! embedded Piaoyan WebAssembly module through wasmtime.

mod inputs;
mod module;
mod output;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use module::{Outcome, Runner};
use output::{Lang, Record};

/// The verifier module, built from this workspace by `build.rs`.
static MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/piaoyan_wasm.wasm"));

/// Input bound passed to the verifier (spec §8 default); the host reads one
/// byte more so that the verifier sees a longer file is too long.
const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

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
    /// Verify bills; print one record per file.
    #[command(after_long_help = VERIFY_HELP)]
    Verify(VerifyArgs),
}

const VERIFY_HELP: &str = "\
A directory stands for every regular file below it, recursively, in path
order (symbolic links to files are followed, to directories not).

Records (--format json / jsonl) are the verifier's report with `file` first,
then `verdict` and `subIndication` (null when VALID), then the report's other
fields. A file that got no report (unreadable, or the verifier trapped or
timed out) gets an error record instead:
  {\"file\":...,\"verdict\":null,\"subIndication\":null,
   \"error\":{\"code\":\"IO|TRAP|TIMEOUT|OUT_OF_MEMORY|MODULE\",\"message\":...}}
The table shows ERROR in the verdict column for those.

Exit status: 0 every bill VALID; 1 some bill INVALID, INDETERMINATE or an
error record; 2 usage or I/O error (a missing path, an unreadable file, a bad
PEM file, options the verifier rejects), which wins over 1.";

#[derive(clap::Args)]
struct VerifyArgs {
    /// Trust anchors: a PEM file of one or more certificates (repeatable).
    #[arg(long = "trust", value_name = "PEM")]
    trust: Vec<PathBuf>,
    /// Certificate store: intermediate and signer certificates (repeatable).
    #[arg(long = "certs", value_name = "PEM")]
    certs: Vec<PathBuf>,
    /// Certificate revocation lists, PEM `X509 CRL` blocks (repeatable).
    #[arg(long = "crl", value_name = "PEM")]
    crl: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Language of the table's reasons and headings.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    /// Verify as of this time (Unix seconds) instead of the system clock.
    #[arg(long, value_name = "UNIX_SECONDS", allow_hyphen_values = true)]
    now: Option<i64>,
    /// Longest time one bill may take, in seconds; 0: no limit.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    timeout: u64,
    /// Bill files or directories.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Aligned columns for a person.
    Table,
    /// One JSON array of records.
    Json,
    /// One JSON record per line.
    Jsonl,
}

fn main() -> ExitCode {
    let version = version_line();
    let command = Cli::command()
        .version(version.clone())
        .long_version(version);
    let cli = match Cli::from_arg_matches(&command.get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match cli.command {
        Commands::Verify(args) => ExitCode::from(verify(&args)),
    }
}

/// `0.1.0 (module sha256 <hex>)`: clap puts the name in front.
fn version_line() -> String {
    let digest = Sha256::digest(MODULE);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{} (module sha256 {hex})", env!("CARGO_PKG_VERSION"))
}

fn usage_error(message: &str) -> u8 {
    eprintln!("piaoyan: {message}");
    EXIT_USAGE
}

fn verify(args: &VerifyArgs) -> u8 {
    let trust = match Trust::read(args) {
        Ok(t) => t,
        Err(e) => return usage_error(&e),
    };
    let options = match now(args) {
        Ok(now) => trust.options_json(now),
        Err(e) => return usage_error(&e),
    };
    let files = match inputs::expand(&args.paths) {
        Ok(f) => f,
        Err(e) => return usage_error(&e),
    };
    let timeout = (args.timeout > 0).then(|| Duration::from_secs(args.timeout));
    let runner = match Runner::new(MODULE, timeout) {
        Ok(r) => r,
        Err(e) => return usage_error(&e),
    };
    // Options are checked before any bill: an empty bill costs nothing, and
    // a rejection then stops the run before any record is printed.
    if let Outcome::Rejected { code, message } = runner.verify(b"", options.as_bytes())
        && code.starts_with("OPTIONS_")
    {
        return options_rejected(&code, &message, &trust);
    }

    let mut out = io::stdout().lock();
    let mut records = Vec::with_capacity(files.len());
    let mut io_error = false;
    for path in &files {
        let file = path.to_string_lossy().into_owned();
        let record = match inputs::read_bill(path, MAX_INPUT_BYTES + 1) {
            Err(message) => {
                eprintln!("piaoyan: {message}");
                io_error = true;
                Record::Error {
                    file,
                    code: "IO".into(),
                    message,
                }
            }
            Ok(bill) => match runner.verify(&bill, options.as_bytes()) {
                Outcome::Report(report) => Record::Report { file, report },
                Outcome::Rejected { code, message } if code.starts_with("OPTIONS_") => {
                    let _ = out.flush();
                    return options_rejected(&code, &message, &trust);
                }
                Outcome::Rejected { code, message } => Record::Error {
                    file,
                    code,
                    message,
                },
                Outcome::Failed { code, message } => Record::Error {
                    file,
                    code: code.into(),
                    message,
                },
            },
        };
        if args.format == Format::Jsonl
            && let Err(e) = writeln!(out, "{}", record.to_json()).and_then(|()| out.flush())
        {
            return output_failed(&e);
        }
        records.push(record);
    }

    let printed = match args.format {
        Format::Jsonl => Ok(()),
        Format::Json => {
            let all = Value::Array(records.iter().map(Record::to_json).collect());
            serde_json::to_string_pretty(&all)
                .map_err(io::Error::other)
                .and_then(|text| writeln!(out, "{text}"))
        }
        Format::Table => write!(out, "{}", output::table(&records, args.lang)),
    };
    if let Err(e) = printed.and_then(|()| out.flush()) {
        return output_failed(&e);
    }

    if io_error {
        EXIT_USAGE
    } else if records.iter().all(|r| r.verdict() == Some("VALID")) {
        EXIT_VALID
    } else {
        EXIT_NOT_VALID
    }
}

fn options_rejected(code: &str, message: &str, trust: &Trust) -> u8 {
    usage_error(&format!(
        "the verifier rejected the options: {code}: {}",
        trust.name_files(message)
    ))
}

/// Standard output failed; a closed pipe (`| head`) ends the run quietly.
fn output_failed(e: &io::Error) -> u8 {
    if e.kind() != io::ErrorKind::BrokenPipe {
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
    /// Reads every PEM file; an error names the file.
    fn read(args: &VerifyArgs) -> Result<Trust, String> {
        let mut fields = Vec::new();
        for (field, paths, label) in [
            ("trustAnchors", &args.trust, "CERTIFICATE"),
            ("certificates", &args.certs, "CERTIFICATE"),
            ("crls", &args.crl, "X509 CRL"),
        ] {
            let (mut blocks, mut origins) = (Vec::new(), Vec::new());
            for path in paths {
                let found = inputs::read_pem(path, label)?;
                let total = found.len();
                for (n, block) in found.into_iter().enumerate() {
                    blocks.push(block);
                    origins.push(if total == 1 {
                        path.display().to_string()
                    } else {
                        format!("{} (PEM block {} of {total})", path.display(), n + 1)
                    });
                }
            }
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
        options.insert("limits".into(), json!({ "maxInputBytes": MAX_INPUT_BYTES }));
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
    }
}
