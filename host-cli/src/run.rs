//! One `piaoyan verify` run: settings, trust, inputs, the module, then
//! every input through the pool to the writer and the tally; and
//! `piaoyan module`.

use std::fs;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{ModuleArgs, VerifyArgs};
use crate::config::Config;
use crate::inputs::{self, Input};
use crate::ledger::{self, Entry, Store, entry};
use crate::module::{self, Outcome, Runner, Worker};
use crate::output::{self, Lang, Record, Tally, Writer};
use crate::settings::{Settings, now, settings};
use crate::terminal::{self, table_style};
use crate::trust::Trust;
use crate::{EXIT_NOT_VALID, EXIT_USAGE, EXIT_VALID, MODULE, READ_CAP, pool};

fn usage_error(message: &str) -> u8 {
    eprintln!("piaoyan: {message}");
    EXIT_USAGE
}

pub(crate) fn write_module(args: &ModuleArgs) -> u8 {
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

pub(crate) fn verify(args: &VerifyArgs) -> u8 {
    match verify_prepared(args) {
        Ok(status) => status,
        Err(message) => usage_error(&message),
    }
}

/// Everything a run needs before its first bill; an `Err` is a usage
/// error, printed before any record.
fn verify_prepared(args: &VerifyArgs) -> Result<u8, String> {
    let config = if args.no_config {
        Config::default()
    } else {
        Config::find(args.config.as_deref())?
    };
    let settings = settings(args, &config, terminal::env_lang());
    let now = now(args)?;
    let inputs = inputs::expand(&args.paths, &mut io::stdin().lock())?;
    let (runner, module_sha256) = load_runner(args, &settings)?;
    let trust = Trust::read(&config, args, &|text, label| runner.pem_blocks(text, label))?;
    let options = trust.options_json(now);
    // The options are checked once, before any bill: a rejection stops the
    // run before any record is printed.
    let mut first = runner.worker(options.as_bytes());
    first.start().map_err(|outcome| rejected(outcome, &trust))?;
    let ledger = match args.ledger.as_ref().or(config.ledger.as_ref()) {
        None => None,
        Some(path) => Some(Ledger::begin(path, &inputs, module_sha256)?),
    };
    let out = open_output(args)?;
    if !args.quiet
        && let Some(source) = &config.source
    {
        eprintln!(
            "piaoyan: trust and settings from config file {}",
            source.display()
        );
    }
    let jobs = settings.jobs.min(inputs.len()).max(1);
    let hash = ledger.is_some();
    let mut workers = vec![BillWork::new(&inputs, first, hash)];
    for _ in 1..jobs {
        workers.push(BillWork::new(
            &inputs,
            runner.worker(options.as_bytes()),
            hash,
        ));
    }
    Ok(verify_all(args, &settings, &inputs, workers, out, ledger))
}

/// The ledger of a run and the run's batch in it.
///
/// Records are kept in groups ([`GROUP_RECORDS`] records or [`GROUP_TIME`],
/// whichever comes first) and written out only once their group is
/// committed: every record the run prints is in the ledger, and no lock of
/// the ledger is held while the output is written (a slow reader of one
/// run's output must not stall the other runs writing the same ledger).
struct Ledger {
    store: Box<dyn Store>,
    batch: i64,
    module_sha256: String,
    /// Kept, not committed yet: the records of the open group, by input.
    pending: Vec<(usize, Record)>,
    /// When the open group's first record was kept.
    since: Option<Instant>,
}

/// The most records of one commit.
const GROUP_RECORDS: usize = 64;
/// The longest a record waits for its group's commit.
const GROUP_TIME: Duration = Duration::from_millis(100);

impl Ledger {
    /// Opens the ledger and takes up the run's batch: an unfinished batch
    /// of the same inputs and module (a run that was killed) goes on.
    fn begin(
        path: &std::path::Path,
        inputs: &[Input],
        module_sha256: String,
    ) -> Result<Ledger, String> {
        let mut store = ledger::open(path)?;
        let mut names = Vec::new();
        for input in inputs {
            names.extend_from_slice(input.name().as_bytes());
            names.push(b'\n');
        }
        let batch = store.begin_batch(
            &entry::hex(&entry::sha256(&names)),
            inputs.len(),
            &module_sha256,
        )?;
        Ok(Ledger {
            store,
            batch,
            module_sha256,
            pending: Vec::new(),
            since: None,
        })
    }

    /// Keeps one record (where the ledger had its VALID bill before goes
    /// into it); the records whose group this completes, to be written.
    fn keep(&mut self, index: usize, mut record: Record) -> Result<Vec<(usize, Record)>, String> {
        let entry = Entry::of(&record, &self.module_sha256)?;
        let seen = self.store.record(self.batch, &entry)?;
        record.seen_before = seen;
        self.pending.push((index, record));
        let since = *self.since.get_or_insert_with(Instant::now);
        if self.pending.len() >= GROUP_RECORDS || since.elapsed() >= GROUP_TIME {
            self.commit()
        } else {
            Ok(Vec::new())
        }
    }

    /// Commits the open group; its records, to be written.
    fn commit(&mut self) -> Result<Vec<(usize, Record)>, String> {
        self.store.commit()?;
        self.since = None;
        Ok(std::mem::take(&mut self.pending))
    }
}

/// The embedded module, or `--module`, compiled (or loaded from the
/// cache), and the hex SHA-256 of its bytes.
fn load_runner(args: &VerifyArgs, settings: &Settings) -> Result<(Runner, String), String> {
    let custom;
    let wasm = match &args.module {
        None => MODULE,
        Some(path) => {
            custom = fs::read(path)
                .map_err(|e| format!("{}: {}", path.display(), inputs::io_text(&e)))?;
            &custom
        }
    };
    let cache_dir = if args.no_cache {
        None
    } else {
        module::default_cache_dir()
    };
    let runner = Runner::cached(wasm, settings.limits, cache_dir.as_deref())?;
    Ok((runner, entry::hex(&entry::sha256(wasm))))
}

/// Why the module would not take the options, an entry named by its file
/// (and block) through the error's `field` and `index`.
fn rejected(outcome: Outcome, trust: &Trust) -> String {
    match outcome {
        Outcome::Rejected {
            code,
            message,
            field,
            index,
        } if code.starts_with("OPTIONS_") => {
            let named = trust.name_entry(field.as_deref(), index, &message);
            format!("the verifier rejected the options: {code}: {named}")
        }
        other => format!("the verifier module cannot be configured: {}", other.text()),
    }
}

/// Standard output, or `--output FILE`.
fn open_output(args: &VerifyArgs) -> Result<Box<dyn Write>, String> {
    Ok(match &args.output {
        None => Box::new(BufWriter::new(io::stdout().lock())),
        Some(path) => {
            let file = fs::File::create(path)
                .map_err(|e| format!("cannot write {}: {}", path.display(), inputs::io_text(&e)))?;
            Box::new(BufWriter::new(file))
        }
    })
}

/// A bar on a terminal, unless the records themselves go to that terminal
/// (they show the progress, and would be torn by the bar).
fn progress_bar(args: &VerifyArgs, len: usize, lang: Lang) -> ProgressBar {
    let records_on_terminal = args.output.is_none() && io::stdout().is_terminal();
    if args.quiet || !io::stderr().is_terminal() || records_on_terminal {
        return ProgressBar::hidden();
    }
    let bar =
        ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr_with_hz(4));
    let template = match lang {
        Lang::En => "{spinner} {pos}/{len} bills [{bar:30}] {rate} bills/s, eta {eta}",
        Lang::Zh => "{spinner} {pos}/{len} 张 [{bar:30}] 每秒 {rate} 张，预计还需 {eta}",
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
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
}

/// Every input through the pool to the writer and the tally; the exit
/// status.
fn verify_all(
    args: &VerifyArgs,
    settings: &Settings,
    inputs: &[Input],
    workers: Vec<BillWork<'_>>,
    out: Box<dyn Write>,
    mut ledger: Option<Ledger>,
) -> u8 {
    let jobs = workers.len();
    let progress = progress_bar(args, inputs.len(), settings.lang);
    let style = table_style(args.wide, args.color, args.output.is_none());
    let mut writer = Writer::with_style(out, args.format, settings.lang, style);
    let mut tally = Tally::new();
    if ledger.is_some() {
        tally.seen_before = Some(0);
    }
    let mut write_error: Option<io::Error> = None;
    let mut ledger_error: Option<String> = None;
    let verifying = Instant::now();
    let failed = |i: usize, code: &'static str, message: String| {
        Record::error(inputs[i].name().into_owned(), code, message)
    };
    // Counts a record and writes it out.
    let mut emit = |index: usize, record: Record| -> Result<(), pool::Stopped> {
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
    };
    let mut ran = pool::run(
        inputs.len(),
        workers,
        !args.unordered,
        16 * jobs + 64,
        &failed,
        |index, record| {
            let Some(ledger) = &mut ledger else {
                return emit(index, record);
            };
            let done = ledger.keep(index, record).or_else(|message| {
                // What was kept before the failure is committed and
                // written; then the run stops.
                ledger_error = Some(message);
                ledger.commit()
            });
            match done {
                Ok(records) => {
                    for (index, record) in records {
                        emit(index, record)?;
                    }
                    if ledger_error.is_some() {
                        return Err(pool::Stopped);
                    }
                    Ok(())
                }
                Err(message) => {
                    ledger_error.get_or_insert(message);
                    Err(pool::Stopped)
                }
            }
        },
    );
    // The last group.
    if ran.is_ok()
        && let Some(ledger) = &mut ledger
    {
        match ledger.commit() {
            Ok(records) => {
                for (index, record) in records {
                    if emit(index, record).is_err() {
                        ran = Err(pool::Stopped);
                        break;
                    }
                }
            }
            Err(message) => ledger_error = Some(message),
        }
    }
    progress.finish_and_clear();
    if let Some(message) = ledger_error {
        let _ = writer.finish();
        return usage_error(&message);
    }
    if ran.is_err() {
        return output_failed(write_error.as_ref());
    }
    if let Err(e) = writer.finish() {
        return output_failed(Some(&e));
    }
    if let Some(ledger) = &mut ledger
        && let Err(message) = ledger.store.finish_batch(ledger.batch)
    {
        return usage_error(&message);
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

/// One thread's share of the run: reads an input, verifies it.
struct BillWork<'a> {
    inputs: &'a [Input],
    worker: Worker<'a>,
    reader: inputs::Reader,
    /// Each record carries the SHA-256 of its input (for the ledger).
    hash: bool,
}

impl<'a> BillWork<'a> {
    fn new(inputs: &'a [Input], worker: Worker<'a>, hash: bool) -> BillWork<'a> {
        BillWork {
            inputs,
            worker,
            reader: inputs::Reader::default(),
            hash,
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
        let mut record = match self.worker.verify(&bill) {
            Outcome::Report(report) => Record::report(file, report),
            Outcome::Rejected { code, message, .. } => Record::error(file, code, message),
            Outcome::Failed { code, message } => Record::error(file, code, message),
        };
        if self.hash {
            record.sha256 = Some(entry::sha256(&bill));
        }
        record
    }

    fn reset(&mut self) {
        self.worker.reset();
        self.reader = inputs::Reader::default();
    }
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
