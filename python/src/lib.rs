//! `piaoyan._piaoyan`: the native part of the `piaoyan` Python package.
//!
//! [`Verifier`] runs the module `piaoyan` embeds through the CLI's own
//! runner ([`piaoyan_cli::module`]): the same limits, trap recovery, time
//! budget, inlining and compiled-module cache. [`runners`] keeps one
//! compiled module per process, [`options`] reads the trust material into
//! the options, [`row`] makes the flat row of a record. The Python side
//! (`python/piaoyan/`) adds the exceptions, the Spark and the Ray jobs.
//!
//! Thread safety: a verifier may be shared by threads. Each call takes an
//! idle instance of the module (or makes one) and verifies with the GIL
//! released, so threads verify in parallel, one instance each.

mod options;
mod row;
mod runners;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use piaoyan_cli::inputs::read_capped;
use piaoyan_cli::module::{self, Limits, Outcome, Runner, Worker};
use piaoyan_cli::output::Record;
use piaoyan_cli::pool::{self, Work};
use piaoyan_cli::report::Report;
use piaoyan_cli::{MODULE, READ_CAP};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use sha2::{Digest, Sha256};

use options::{Source, TrustSources};
use row::{COLUMNS, Row};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The exception class `name` of `piaoyan.errors`, made with its code,
/// message, and (for options) the field and entry they concern.
fn error_at(
    py: Python<'_>,
    name: &str,
    code: String,
    message: String,
    field: Option<String>,
    index: Option<usize>,
) -> PyErr {
    let made = py
        .import("piaoyan.errors")
        .and_then(|m| m.getattr(name))
        .and_then(|class| class.call1((code, message, field, index)));
    match made {
        Ok(value) => PyErr::from_value(value),
        Err(e) => e,
    }
}

/// [`error_at`] for an error with no place.
fn error(py: Python<'_>, name: &str, (code, message): (String, String)) -> PyErr {
    error_at(py, name, code, message, None, None)
}

/// Trust material as given from Python: `None`, a path (`str` or
/// `os.PathLike`), PEM text (`bytes`), or a list of these.
fn sources(given: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Source>> {
    let Some(given) = given else {
        return Ok(Vec::new());
    };
    if given.is_none() {
        return Ok(Vec::new());
    }
    let one = |item: &Bound<'_, PyAny>| -> PyResult<Source> {
        if let Ok(bytes) = item.cast::<PyBytes>() {
            return Ok(Source::Pem(bytes.as_bytes().to_vec()));
        }
        let path: PathBuf = item.extract().map_err(|_| {
            PyValueError::new_err(format!(
                "trust material must be a path, PEM bytes or a list of these, not {}",
                item.get_type()
            ))
        })?;
        Ok(Source::Path(path))
    };
    if given.is_instance_of::<PyString>()
        || given.is_instance_of::<PyBytes>()
        || given.hasattr("__fspath__")?
    {
        return Ok(vec![one(given)?]);
    }
    given.try_iter()?.map(|item| one(&item?)).collect()
}

/// Verifies fiscal electronic bills with the module `piaoyan` embeds.
#[pyclass(frozen, module = "piaoyan._piaoyan")]
struct Verifier {
    runner: &'static Runner,
    options: Vec<u8>,
    options_sha256: String,
    now: i64,
    /// Configured instances not verifying now; a call takes one or makes
    /// one, and gives it back.
    idle: Mutex<Vec<Worker<'static>>>,
}

/// The limits of `timeout_s` (`None` or 0: none) and `max_memory_mib`.
fn limits(timeout_s: Option<f64>, max_memory_mib: u64) -> PyResult<Limits> {
    let timeout = match timeout_s {
        None => None,
        Some(t) if t.is_finite() && t >= 0.0 => {
            (t > 0.0).then(|| Duration::from_secs_f64(t.min(86_400.0 * 365.0)))
        }
        Some(t) => {
            return Err(PyValueError::new_err(format!(
                "timeout_s must be a number of seconds >= 0 (0 or None: no timeout), not {t}"
            )));
        }
    };
    if !(1..=4096).contains(&max_memory_mib) {
        return Err(PyValueError::new_err(format!(
            "max_memory_mib must be 1 to 4096, not {max_memory_mib}"
        )));
    }
    Ok(Limits {
        timeout,
        max_memory: (max_memory_mib as usize) << 20,
    })
}

impl Verifier {
    /// The runner of `limits`, the options `options` makes with it, and a
    /// first instance configured with them: options the module refuses
    /// are an `OptionsError` here, before any bill.
    fn build(
        py: Python<'_>,
        limits: Limits,
        cache_dir: Option<PathBuf>,
        now: i64,
        options: impl FnOnce(&Runner) -> Result<String, String> + Send,
    ) -> PyResult<Verifier> {
        let cache_dir = cache_dir.or_else(module::default_cache_dir);
        let made = py.detach(|| -> Result<_, (&str, String)> {
            let runner =
                runners::runner(limits, cache_dir.as_deref()).map_err(|e| ("MODULE", e))?;
            let options = options(runner).map_err(|e| ("OPTIONS_FILE", e))?;
            Ok((runner, options))
        });
        let (runner, options) = made.map_err(|(code, message)| {
            let class = if code == "MODULE" {
                "ModuleError"
            } else {
                "OptionsError"
            };
            error(py, class, (code.to_string(), message))
        })?;
        let mut first = runner.worker(options.as_bytes());
        if let Err(outcome) = py.detach(|| first.start()) {
            return Err(match outcome {
                Outcome::Rejected {
                    code,
                    message,
                    field,
                    index,
                } => error_at(py, "OptionsError", code, message, field, index),
                Outcome::Failed { code, message } => {
                    error(py, "ModuleError", (code.to_string(), message))
                }
                other => error(py, "ModuleError", ("MODULE".to_string(), other.text())),
            });
        }
        Ok(Verifier {
            runner,
            options_sha256: hex(&Sha256::digest(options.as_bytes())),
            options: options.into_bytes(),
            now,
            idle: Mutex::new(vec![first]),
        })
    }

    fn take(&self) -> Worker<'static> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        idle.unwrap_or_else(|| self.runner.worker(&self.options))
    }

    fn give(&self, worker: Worker<'static>) {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(worker);
    }

    /// One bill, as the CLI reads it: at most [`READ_CAP`] bytes, so that
    /// a longer input is "too long", never a failed copy.
    fn outcome(&self, bill: &[u8]) -> Outcome {
        let mut worker = self.take();
        let capped = bill.get(..READ_CAP as usize).unwrap_or(bill);
        let outcome = worker.verify(capped);
        self.give(worker);
        outcome
    }

    /// Runs `bills` (`total` of them, named by `files`) through the pool of
    /// `jobs` threads: the rows as columns.
    fn batch<'py>(
        &self,
        py: Python<'py>,
        bills: Bills<'_>,
        total: usize,
        files: &[Option<String>],
        report_json: bool,
        jobs: usize,
    ) -> PyResult<Bound<'py, PyDict>> {
        let jobs = jobs.clamp(1, total.max(1));
        let rows = py.detach(|| {
            let workers: Vec<BatchWork<'_>> = (0..jobs)
                .map(|_| BatchWork {
                    verifier: self,
                    worker: None,
                    bills,
                    files,
                    with_json: report_json,
                })
                .collect();
            let mut rows: Vec<Row> = Vec::with_capacity(total);
            let failed = |i: usize, code: &'static str, message: String| {
                let file = files.get(i).cloned().flatten();
                row::row(
                    &Record::error(file.clone().unwrap_or_default(), code, message),
                    file.is_some(),
                    report_json,
                )
            };
            let ran = pool::run(total, workers, true, 16 * jobs + 64, &failed, |_, row| {
                rows.push(row);
                Ok(())
            });
            ran.map(|()| rows)
        });
        let rows = rows.map_err(|_| PyValueError::new_err("the batch was stopped"))?;
        self.columns(py, rows, report_json)
    }

    fn put_row<'py>(&self, py: Python<'py>, row: Row) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("file", row.file)?;
        d.set_item("verdict", row.verdict)?;
        d.set_item("sub_indication", row.sub_indication)?;
        d.set_item("bill_key", row.bill_key)?;
        d.set_item("amount_fen", row.amount_fen)?;
        d.set_item("issue_date", row.issue_date)?;
        d.set_item("invoicing_party_code", row.invoicing_party_code)?;
        d.set_item("warnings", row.warnings)?;
        d.set_item("error_code", row.error_code)?;
        d.set_item("reason_zh", row.reason_zh)?;
        d.set_item("reason_en", row.reason_en)?;
        d.set_item("format", row.format)?;
        d.set_item("demo_trust", row.demo_trust)?;
        d.set_item("duplicate_of", py.None())?;
        d.set_item("module_sha256", module_sha256())?;
        d.set_item("options_sha256", &self.options_sha256)?;
        if let Some(json) = row.report_json {
            d.set_item("report_json", json)?;
        }
        Ok(d)
    }
}

/// A report (kept as the module wrote it) as one JSON text.
fn report_text(report: &Report) -> String {
    let mut out = String::from("{");
    for (n, (key, value)) in report.fields().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::Value::from(key).to_string());
        out.push(':');
        out.push_str(value.get());
    }
    out.push('}');
    out
}

/// What became of a bill, with a report turned into something else.
trait MapReport {
    fn map_report<T>(self, f: impl FnOnce(Report) -> T) -> Result<T, (String, String)>;
}

impl MapReport for Outcome {
    fn map_report<T>(self, f: impl FnOnce(Report) -> T) -> Result<T, (String, String)> {
        match self {
            Outcome::Report(report) => Ok(f(report)),
            Outcome::Rejected { code, message, .. } => Err((code, message)),
            Outcome::Failed { code, message } => Err((code.to_string(), message)),
        }
    }
}

/// Where a batch's bills come from.
#[derive(Clone, Copy)]
enum Bills<'a> {
    /// Given as bytes (`None`: null content).
    Given(&'a [Option<PyBackedBytes>]),
    /// Files this process reads, as the CLI reads them (at most
    /// [`READ_CAP`] bytes); the paths are also the rows' `file`.
    Files,
}

/// One thread's share of [`Verifier::records`] and
/// [`Verifier::records_files`] (the CLI's pool).
struct BatchWork<'a> {
    verifier: &'a Verifier,
    worker: Option<Worker<'static>>,
    bills: Bills<'a>,
    files: &'a [Option<String>],
    with_json: bool,
}

impl BatchWork<'_> {
    fn verify(&mut self, name: String, bill: &[u8]) -> Record {
        let worker = self.worker.get_or_insert_with(|| self.verifier.take());
        let capped = bill.get(..READ_CAP as usize).unwrap_or(bill);
        row::record(name, worker.verify(capped))
    }
}

impl Work for BatchWork<'_> {
    type Record = Row;

    fn process(&mut self, index: usize) -> Row {
        let file = self.files.get(index).cloned().flatten();
        let named = file.is_some();
        let name = file.unwrap_or_default();
        let record = match self.bills {
            Bills::Given(bills) => match bills.get(index).and_then(Option::as_ref) {
                None => Record::error(
                    name,
                    "IO",
                    "no content: the bill's bytes are null (the file could not be read)".into(),
                ),
                Some(bill) => self.verify(name, bill),
            },
            Bills::Files => match read_capped(Path::new(&name), READ_CAP) {
                Ok(bill) => self.verify(name, &bill),
                Err(message) => Record::error(name, "IO", message),
            },
        };
        row::row(&record, named, self.with_json)
    }

    fn reset(&mut self) {
        self.worker = None;
    }
}

impl Drop for BatchWork<'_> {
    fn drop(&mut self) {
        if let Some(worker) = self.worker.take() {
            self.verifier.give(worker);
        }
    }
}

#[pymethods]
impl Verifier {
    /// See `piaoyan/_piaoyan.pyi`.
    #[new]
    #[pyo3(signature = (trust=None, certs=None, crls=None, now=None, timeout_s=60.0,
                        max_memory_mib=512, cache_dir=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        trust: Option<&Bound<'_, PyAny>>,
        certs: Option<&Bound<'_, PyAny>>,
        crls: Option<&Bound<'_, PyAny>>,
        now: Option<i64>,
        timeout_s: Option<f64>,
        max_memory_mib: u64,
        cache_dir: Option<PathBuf>,
    ) -> PyResult<Verifier> {
        let limits = limits(timeout_s, max_memory_mib)?;
        let now = match now {
            Some(now) => now,
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .map_err(|_| PyValueError::new_err("the system clock is before 1970"))?,
        };
        let sources = TrustSources {
            trust: sources(trust)?,
            certs: sources(certs)?,
            crls: sources(crls)?,
        };
        Verifier::build(py, limits, cache_dir, now, |runner| {
            options::options_json(runner, &sources, now)
        })
    }

    /// A verifier configured with an options JSON another verifier made
    /// (its `options_json`): how a driver ships the trust material and its
    /// `now` to the workers of a cluster, checked once.
    #[staticmethod]
    #[pyo3(signature = (options_json, timeout_s=60.0, max_memory_mib=512, cache_dir=None))]
    fn from_options(
        py: Python<'_>,
        options_json: String,
        timeout_s: Option<f64>,
        max_memory_mib: u64,
        cache_dir: Option<PathBuf>,
    ) -> PyResult<Verifier> {
        let limits = limits(timeout_s, max_memory_mib)?;
        let now = serde_json::from_str::<serde_json::Value>(&options_json)
            .ok()
            .and_then(|o| o.get("now")?.as_i64())
            .ok_or_else(|| {
                error(
                    py,
                    "OptionsError",
                    (
                        "OPTIONS_JSON".into(),
                        "the options are not a JSON object with an integer `now`".into(),
                    ),
                )
            })?;
        Verifier::build(py, limits, cache_dir, now, |_| Ok(options_json))
    }

    /// The report of one bill, as a dict; `VerifyError` when the bill got
    /// no report.
    fn verify<'py>(&self, py: Python<'py>, bill: &[u8]) -> PyResult<Bound<'py, PyAny>> {
        match py.detach(|| self.outcome(bill).map_report(|r| report_text(&r))) {
            Ok(text) => py.import("json")?.call_method1("loads", (text,)),
            Err((code, message)) => Err(error(py, "VerifyError", (code, message))),
        }
    }

    /// One flat row (never raises for a bill: a bill that got no report
    /// has an error row, as in the CLI).
    #[pyo3(signature = (bill, file=None, report_json=false))]
    fn record<'py>(
        &self,
        py: Python<'py>,
        bill: &[u8],
        file: Option<String>,
        report_json: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let named = file.is_some();
        let name = file.unwrap_or_default();
        let row = py.detach(|| {
            let record = row::record(name, self.outcome(bill));
            row::row(&record, named, report_json)
        });
        self.put_row(py, row)
    }

    /// Many bills: one row each, in order, as columns (a dict of lists,
    /// ready for Arrow); `jobs` threads verify at once.
    #[pyo3(signature = (bills, files=None, report_json=false, jobs=1))]
    fn records<'py>(
        &self,
        py: Python<'py>,
        bills: Vec<Option<PyBackedBytes>>,
        files: Option<Vec<Option<String>>>,
        report_json: bool,
        jobs: usize,
    ) -> PyResult<Bound<'py, PyDict>> {
        let files = files.unwrap_or_default();
        if !files.is_empty() && files.len() != bills.len() {
            return Err(PyValueError::new_err(format!(
                "{} bills but {} files",
                bills.len(),
                files.len()
            )));
        }
        self.batch(
            py,
            Bills::Given(&bills),
            bills.len(),
            &files,
            report_json,
            jobs,
        )
    }

    /// Many files, read here as the CLI reads them: one row each, in
    /// order, as columns (see `records`); `jobs` threads read and verify
    /// at once. A file that cannot be read gets an `IO` error row.
    #[pyo3(signature = (paths, report_json=false, jobs=1))]
    fn records_files<'py>(
        &self,
        py: Python<'py>,
        paths: Vec<String>,
        report_json: bool,
        jobs: usize,
    ) -> PyResult<Bound<'py, PyDict>> {
        let files: Vec<Option<String>> = paths.into_iter().map(Some).collect();
        self.batch(py, Bills::Files, files.len(), &files, report_json, jobs)
    }

    /// The hex SHA-256 of the options JSON this verifier was configured
    /// with (trust material, `now`, limits).
    #[getter]
    fn options_sha256(&self) -> &str {
        &self.options_sha256
    }

    /// The `now` (Unix seconds) the verdicts are made at.
    #[getter]
    fn now(&self) -> i64 {
        self.now
    }

    /// The options JSON (docs/abi.md) the module was configured with.
    #[getter]
    fn options_json(&self) -> &str {
        std::str::from_utf8(&self.options).unwrap_or_default()
    }

    /// The verifier version inside the module.
    fn module_version(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| self.runner.version())
            .map_err(|e| error(py, "ModuleError", ("MODULE".to_string(), e)))
    }
}

impl Verifier {
    fn columns<'py>(
        &self,
        py: Python<'py>,
        rows: Vec<Row>,
        report_json: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let n = rows.len();
        let mut file = Vec::with_capacity(n);
        let mut verdict = Vec::with_capacity(n);
        let mut sub = Vec::with_capacity(n);
        let mut key = Vec::with_capacity(n);
        let mut fen = Vec::with_capacity(n);
        let mut date = Vec::with_capacity(n);
        let mut party = Vec::with_capacity(n);
        let mut warnings = Vec::with_capacity(n);
        let mut code = Vec::with_capacity(n);
        let mut zh = Vec::with_capacity(n);
        let mut en = Vec::with_capacity(n);
        let mut format = Vec::with_capacity(n);
        let mut demo = Vec::with_capacity(n);
        let mut json = Vec::with_capacity(n);
        for r in rows {
            file.push(r.file);
            verdict.push(r.verdict);
            sub.push(r.sub_indication);
            key.push(r.bill_key);
            fen.push(r.amount_fen);
            date.push(r.issue_date);
            party.push(r.invoicing_party_code);
            warnings.push(r.warnings);
            code.push(r.error_code);
            zh.push(r.reason_zh);
            en.push(r.reason_en);
            format.push(r.format);
            demo.push(r.demo_trust);
            json.push(r.report_json);
        }
        let d = PyDict::new(py);
        d.set_item(COLUMNS[0], file)?;
        d.set_item(COLUMNS[1], verdict)?;
        d.set_item(COLUMNS[2], sub)?;
        d.set_item(COLUMNS[3], key)?;
        d.set_item(COLUMNS[4], fen)?;
        d.set_item(COLUMNS[5], date)?;
        d.set_item(COLUMNS[6], party)?;
        d.set_item(COLUMNS[7], warnings)?;
        d.set_item(COLUMNS[8], code)?;
        d.set_item(COLUMNS[9], zh)?;
        d.set_item(COLUMNS[10], en)?;
        d.set_item(COLUMNS[11], format)?;
        d.set_item(COLUMNS[12], demo)?;
        d.set_item(COLUMNS[13], PyList::new(py, (0..n).map(|_| py.None()))?)?;
        d.set_item(
            COLUMNS[14],
            PyList::new(py, (0..n).map(|_| module_sha256()))?,
        )?;
        d.set_item(
            COLUMNS[15],
            PyList::new(py, (0..n).map(|_| self.options_sha256.as_str()))?,
        )?;
        if report_json {
            d.set_item(COLUMNS[16], json)?;
        }
        Ok(d)
    }
}

/// The hex SHA-256 of the module this package runs: the one `piaoyan
/// --version` names.
#[pyfunction]
fn module_sha256() -> &'static str {
    static HEX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HEX.get_or_init(|| hex(&Sha256::digest(MODULE)))
}

/// The module's bytes (what `piaoyan module` writes).
#[pyfunction]
fn module_bytes(py: Python<'_>) -> Bound<'_, PyBytes> {
    PyBytes::new(py, MODULE)
}

/// How this process got its compiled modules: `runners` made (one per
/// distinct limits), of which `loaded` from the on-disk cache and
/// `compiled` here.
#[pyfunction]
fn stats(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let s = runners::stats();
    let d = PyDict::new(py);
    d.set_item("runners", s.runners)?;
    d.set_item("loaded", s.loaded)?;
    d.set_item("compiled", s.compiled)?;
    Ok(d)
}

/// Where compiled modules are kept (`PIAOYAN_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/piaoyan`, else `~/.cache/piaoyan`); `None`: nowhere.
#[pyfunction]
fn default_cache_dir() -> Option<PathBuf> {
    module::default_cache_dir()
}

#[pymodule]
fn _piaoyan(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Verifier>()?;
    m.add_function(wrap_pyfunction!(module_sha256, m)?)?;
    m.add_function(wrap_pyfunction!(module_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(stats, m)?)?;
    m.add_function(wrap_pyfunction!(default_cache_dir, m)?)?;
    m.add("COLUMNS", COLUMNS.to_vec())?;
    m.add("READ_CAP", READ_CAP)?;
    Ok(())
}
