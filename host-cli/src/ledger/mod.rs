//! The ledger: every verdict of `verify --ledger` kept in a database, and
//! the bookings (入账) of VALID bills, each bill booked at most once.
//!
//! [`open`] gives a [`Store`] for a location: a SQLite file ([`sqlite`])
//! or a PostgreSQL database (`postgres://…`, [`postgres`]), two
//! implementations of one trait. [`entry`] turns a record into the row
//! it keeps; [`schema`] holds the versioned schema; [`command`] is
//! `piaoyan ledger`.

pub mod command;
pub mod entry;
pub mod postgres;
pub mod schema;
pub mod sqlite;

use std::path::Path;

pub use entry::{Entry, Verdict};

use crate::output::SeenBefore;

/// A database that keeps the ledger.
pub trait Store {
    /// The batch of this run: an unfinished batch with the same inputs and
    /// module (a run that was killed) is taken up again, else a new one.
    fn begin_batch(
        &mut self,
        inputs_sha256: &str,
        inputs: usize,
        module_sha256: &str,
    ) -> Result<i64, String>;
    /// Keeps one record of `batch` (once per file and file hash: a record
    /// the batch has already is not kept twice); for a VALID bill, where
    /// the ledger had its key before. The record may wait for
    /// [`Store::commit`] to be durable.
    fn record(&mut self, batch: i64, entry: &Entry) -> Result<Option<SeenBefore>, String>;
    /// Makes the records kept so far durable (and visible to others).
    fn commit(&mut self) -> Result<(), String>;
    /// Marks the batch finished.
    fn finish_batch(&mut self, batch: i64) -> Result<(), String>;
    /// Books a VALID bill, exactly once.
    /// Books a VALID bill; one whose verdict rests on a demo trust anchor
    /// only with `demo`.
    fn book(
        &mut self,
        target: &Target,
        voucher: &str,
        by: &str,
        demo: bool,
    ) -> Result<Booking, Refusal>;
    /// Ends the bill's active booking; the booking stays, superseded.
    fn unbook(&mut self, bill_key: &str, by: &str, why: &str) -> Result<Booking, Refusal>;
    /// Every verdict and booking of a bill key, oldest first.
    fn show(&mut self, bill_key: &str) -> Result<(Vec<VerdictRow>, Vec<Booking>), String>;
    /// The verdicts, oldest first, each with its active booking.
    fn export(&mut self, filter: &Filter) -> Result<Vec<(VerdictRow, Option<Booking>)>, String>;
    /// Counts and amounts.
    fn stats(&mut self) -> Result<Stats, String>;
}

/// Opens (or creates) the ledger at `location`: a PostgreSQL URL, or the
/// path of a SQLite file.
pub fn open(location: &Path) -> Result<Box<dyn Store>, String> {
    if is_url(location) {
        let url = location.to_string_lossy();
        return Ok(Box::new(postgres::PostgresLedger::open(&url)?));
    }
    Ok(Box::new(sqlite::SqliteLedger::open(location)?))
}

/// Whether a ledger location is a PostgreSQL URL rather than a file.
pub fn is_url(location: &Path) -> bool {
    let text = location.to_string_lossy();
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

/// Which bill to book.
#[derive(Debug, Clone)]
pub enum Target {
    /// A bill key (`EInvoiceCode-EInvoiceNumber`).
    BillKey(String),
    /// A file verified before, by the SHA-256 of its bytes (and its name,
    /// for messages).
    File { sha256: String, name: String },
}

/// One booking of a bill, active or superseded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Booking {
    pub bill_key: String,
    pub voucher: String,
    pub by: String,
    pub at: String,
    /// The file whose VALID verdict was booked.
    pub file: String,
    pub unbooked_by: Option<String>,
    pub unbooked_at: Option<String>,
    pub unbook_reason: Option<String>,
}

/// Why a booking or unbooking was refused.
#[derive(Debug)]
pub enum Refusal {
    /// The bill is booked already.
    AlreadyBooked(Box<Booking>),
    /// The ledger's verdict of the bill (or file) is not VALID.
    NotValid {
        what: String,
        verdict: Verdict,
        sub_indication: Option<String>,
    },
    /// VALID only on the project's demo trust anchors (`demoTrust`),
    /// which anyone can sign with; booked only with `--demo`.
    DemoTrust(String),
    /// The ledger has no verdict of it.
    Unknown(String),
    /// `unbook` of a bill that is not booked.
    NotBooked(String),
    /// The database failed.
    Storage(String),
}

impl Refusal {
    pub fn text(&self) -> String {
        match self {
            Refusal::AlreadyBooked(b) => format!(
                "bill {} is already booked: voucher {} by {} at {} (file {}); \
                 `piaoyan ledger unbook` it first if that booking was wrong",
                b.bill_key, b.voucher, b.by, b.at, b.file
            ),
            Refusal::NotValid {
                what,
                verdict,
                sub_indication,
            } => format!(
                "{what} is not VALID in the ledger ({}{}); only a VALID bill can be booked",
                verdict.as_str(),
                sub_indication
                    .as_deref()
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default()
            ),
            Refusal::DemoTrust(what) => format!(
                "{what} is VALID only on the demo trust anchors, which anyone can sign with; \
                 it is not booked (`--demo` books it for a demonstration)"
            ),
            Refusal::Unknown(what) => format!(
                "{what} is not in the ledger; verify it first with `piaoyan verify --ledger`"
            ),
            Refusal::NotBooked(key) => format!("bill {key} is not booked"),
            Refusal::Storage(message) => message.clone(),
        }
    }
}

/// One kept verdict, as `show` and `export` read it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerdictRow {
    pub id: i64,
    pub batch: i64,
    pub file: String,
    pub file_sha256: String,
    pub bill_key: Option<String>,
    pub verdict: Verdict,
    pub sub_indication: Option<String>,
    pub error_code: Option<String>,
    pub amount_fen: Option<i64>,
    pub issuer: Option<String>,
    pub payer: Option<String>,
    pub issue_date: Option<String>,
    pub verified_at: String,
    pub module_sha256: String,
}

/// Which verdicts `export` gives.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Verified on or after this day (`YYYY-MM-DD`, UTC).
    pub since: Option<String>,
    pub booked: Option<bool>,
}

/// What `ledger stats` counts.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub batches: i64,
    pub records: i64,
    pub valid: i64,
    pub invalid: i64,
    pub indeterminate: i64,
    /// Distinct bill keys with a VALID verdict.
    pub valid_bills: i64,
    /// VALID records beyond the first of their bill key.
    pub duplicates: i64,
    /// Bills booked now.
    pub booked: i64,
    /// Bookings superseded by `unbook`.
    pub unbooked: i64,
    /// Amount of the distinct VALID bills, in fen (each bill's latest VALID
    /// record).
    pub valid_fen: i64,
    pub booked_fen: i64,
}
