//! The command line: clap's definitions of `piaoyan verify`, `render`, `ledger`, `explain`,
//! `module`, `completions` and `man`, and the entry point that dispatches
//! them.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use sha2::{Digest, Sha256};

use crate::MODULE;
use crate::explain::explain;
use crate::ledger::command::{LedgerCommand, ledger};
use crate::output::{Format, Lang};
use crate::render::{RenderArgs, render};
use crate::run::{verify, write_module};
use crate::shell::{Shell, completions, man};
use crate::terminal::ColorChoice;

#[derive(Parser)]
#[command(
    name = "piaoyan",
    about = "Verifies China's fiscal electronic bills (财政电子票据) offline",
    after_help = "Exit status: 0 every bill VALID, 1 some bill not VALID, 2 usage or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Commands,
}

#[derive(Subcommand)]
enum Commands {
    /// Verify bills and OFD documents; print one record per input.
    #[command(after_long_help = VERIFY_HELP)]
    Verify(Box<VerifyArgs>),
    /// Draw the pages of a bill or OFD document as SVG or PNG, each object
    /// marked with whether a VALID signature covers it (docs/render.md).
    Render(Box<RenderArgs>),
    /// The ledger of `verify --ledger`: book bills (入账) exactly once,
    /// show, export, count (docs/ledger.md).
    Ledger(LedgerArgs),
    /// What a check of the report tests, why it can fail, what to do.
    Explain(ExplainArgs),
    /// Write the embedded verifier module (for other hosts: docs/abi.md).
    Module(ModuleArgs),
    /// Print a completion script for a shell.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `piaoyan man > piaoyan.1`.
    Man,
}

const COMPLETIONS_HELP: &str = "\
bash: piaoyan completions bash > ~/.local/share/bash-completion/completions/piaoyan
zsh:  piaoyan completions zsh > ~/.zfunc/_piaoyan  (with fpath+=~/.zfunc before compinit)
fish: piaoyan completions fish > ~/.config/fish/completions/piaoyan.fish";

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
first file with the same billKey, when an earlier record had it),
`seenBefore` ({file, batch, at, booked}: with --ledger, a VALID bill the
ledger had from another file or an earlier batch), then the report's other
fields. An input that got no report gets an error record:
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
max-memory, lang, ledger. --trust/--certs/--crl add to the file's lists.

Exit status: 0 every bill VALID; 1 some bill INVALID, INDETERMINATE or an
error record; 2 usage or I/O error (a PATH that names nothing, an unreadable
file or archive, a bad PEM or config file, options the verifier rejects),
which wins over 1.";

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// Trust anchors: a PEM file of one or more certificates, or a
    /// directory of them (repeatable).
    #[arg(long = "trust", value_name = "PEM|DIR")]
    pub trust: Vec<PathBuf>,
    /// Certificate store: intermediate and signer certificates, PEM file or
    /// directory (repeatable).
    #[arg(long = "certs", value_name = "PEM|DIR")]
    pub certs: Vec<PathBuf>,
    /// Certificate revocation lists, PEM `X509 CRL` blocks, file or
    /// directory (repeatable).
    #[arg(long = "crl", value_name = "PEM|DIR")]
    pub crl: Vec<PathBuf>,
    /// Config file (default: piaoyan.toml in the working directory, if any).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Read no config file.
    #[arg(long)]
    pub no_config: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the records to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Language of the table, the CSV reason column and the summary
    /// [default: zh when LC_ALL, LC_MESSAGES or LANG says zh, else en].
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// The table with every cell whole, however wide (else it fits
    /// COLUMNS, the terminal, or 100 columns).
    #[arg(long)]
    pub wide: bool,
    /// Verdicts in colour in the table: auto (when the records go to a
    /// terminal and NO_COLOR is not set), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Verify as of this time (Unix seconds) instead of the system clock.
    #[arg(long, value_name = "UNIX_SECONDS", allow_hyphen_values = true)]
    pub now: Option<i64>,
    /// Bills verified at once [default: all cores].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Print records as they finish instead of in input order.
    #[arg(long)]
    pub unordered: bool,
    /// Longest time one bill may take, in seconds; 0: no limit [default: 60].
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    /// Most memory one verifier instance may use, in MiB [default: 512].
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_memory: Option<u64>,
    /// Keep every verdict in this ledger (a SQLite file, created when
    /// missing, or a postgresql:// URL; docs/ledger.md) and flag VALID
    /// bills it had already (`seenBefore`) [default: the config's `ledger`].
    #[arg(long, value_name = "PATH|URL")]
    pub ledger: Option<PathBuf>,
    /// No progress bar, no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Compile the verifier module anew (about half a second) instead of
    /// loading the compiled module an earlier run kept (in
    /// $PIAOYAN_CACHE_DIR, else $XDG_CACHE_HOME/piaoyan, else
    /// ~/.cache/piaoyan).
    #[arg(long)]
    pub no_cache: bool,
    /// Run this verifier module instead of the embedded one (for testing a
    /// build; it must speak the same ABI).
    #[arg(long, value_name = "WASM")]
    pub module: Option<PathBuf>,
    /// Bill files, OFD documents, zip archives, directories, glob patterns,
    /// or `-` for a list of paths on standard input.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(clap::Args)]
pub struct LedgerArgs {
    #[command(subcommand)]
    pub command: LedgerCommand,
}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A check id as the report names it (`main.totalAmountCapital`,
    /// `ofd.signature[0].references`, `signature.supervisor.derTrailingOctets`).
    #[arg(value_name = "CHECK_ID")]
    pub id: String,
    /// Language [default: zh when LC_ALL, LC_MESSAGES or LANG says zh, else en].
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(clap::Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(clap::Args)]
pub struct ModuleArgs {
    /// Where to write the module (`-`: standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
}

/// The `piaoyan` binary.
pub fn main() -> ExitCode {
    main_with(std::env::args_os())
}

pub(crate) fn main_with(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::from_arg_matches(&command().get_matches_from(args)) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    ExitCode::from(match cli.command {
        Commands::Verify(args) => verify(&args),
        Commands::Render(args) => render(&args),
        Commands::Ledger(args) => ledger(&args.command),
        Commands::Explain(args) => explain(&args),
        Commands::Module(args) => write_module(&args),
        Commands::Completions(args) => completions(args.shell),
        Commands::Man => man(),
    })
}

/// The whole command line, with its version (completions and the manual
/// page are made from it).
pub fn command() -> clap::Command {
    let version = version_line();
    Cli::command()
        .version(version.clone())
        .long_version(version)
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
