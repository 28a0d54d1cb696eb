//! The SQLite ledger: one file (WAL mode) that several processes on one
//! machine may write at once; writes are `BEGIN IMMEDIATE` transactions,
//! waiting for one another.
//!
//! The records of a run are committed in groups (`Store::commit`, when
//! the run says: see `run.rs`), not one transaction each: a commit costs
//! more than a record. A run killed in the middle of a group leaves that
//! group out of the ledger (and out of its output); the same command again
//! takes its batch up and keeps it then (docs/ledger.md, "Rules").

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, TransactionBehavior, params};

use super::schema::{
    self, APPLICATION, APPLICATION_ID, BOOKING_COLUMNS, MIGRATIONS, NOW, STATS, VERDICT_COLUMNS,
};
use super::{Booking, Entry, Filter, Refusal, Stats, Store, Target, Verdict, VerdictRow};
use crate::output::SeenBefore;

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// How long a write waits for another process's write.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

pub struct SqliteLedger {
    path: PathBuf,
    conn: Connection,
    /// The statements of `record`, made once.
    seen_sql: String,
    insert_sql: String,
    /// Whether a group of records is open (a `BEGIN IMMEDIATE` not
    /// committed yet).
    group: bool,
}

impl Drop for SqliteLedger {
    /// Whatever ends the run (an error, a closed output), the records
    /// recorded so far are kept.
    fn drop(&mut self) {
        let _ = self.commit_group();
    }
}

impl SqliteLedger {
    /// Opens the ledger at `path`, creating it when the file does not
    /// exist or is empty, migrating an older schema forward. A file that
    /// is not SQLite, or a SQLite database that is not a ledger, is refused
    /// and left as it is.
    pub fn open(path: &Path) -> Result<SqliteLedger, String> {
        let name = path.display();
        check_header(path)?;
        let mut conn = Connection::open(path).map_err(|e| format!("ledger {name}: {e}"))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| format!("ledger {name}: {e}"))?;
        let fail =
            |e: rusqlite::Error| format!("ledger {name}: not a readable SQLite database: {e}");
        // Read before anything is written: a foreign database stays as it is.
        let kind = kind_of(&conn).map_err(fail)?;
        if kind == Kind::Foreign {
            return Err(format!(
                "ledger {name}: a SQLite database that is not a piaoyan ledger (no meta table); refusing to use it"
            ));
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(fail)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(fail)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(fail)?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        // Again within the write lock: another process may have created it.
        let version = match kind_of(&tx).map_err(fail)? {
            Kind::Empty => {
                tx.pragma_update(None, "application_id", APPLICATION_ID)
                    .map_err(fail)?;
                0
            }
            Kind::Foreign => {
                return Err(format!(
                    "ledger {name}: a SQLite database that is not a piaoyan ledger; refusing to use it"
                ));
            }
            Kind::Ledger => ledger_version(&tx).map_err(|e| format!("ledger {name}: {e}"))?,
        };
        if version > schema::current() {
            return Err(format!(
                "ledger {name}: schema version {version} is newer than this piaoyan's ({}); use a newer piaoyan",
                schema::current()
            ));
        }
        for (n, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(migration)
                .map_err(|e| format!("ledger {name}: migration to version {}: {e}", n + 1))?;
            tx.execute(
                "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
                params![(n + 1).to_string()],
            )
            .map_err(fail)?;
        }
        tx.commit().map_err(fail)?;
        Ok(SqliteLedger {
            path: path.to_path_buf(),
            conn,
            seen_sql: "SELECT v.file, v.batch_id, v.verified_at, EXISTS (SELECT 1 FROM bookings b \
                 WHERE b.bill_key = v.bill_key AND b.unbooked_at IS NULL) \
                 FROM verdicts v WHERE v.bill_key = ?1 AND v.verdict = 'VALID' \
                 AND NOT (v.batch_id = ?2 AND v.file = ?3) ORDER BY v.id LIMIT 1"
                .to_string(),
            insert_sql: format!(
                "INSERT INTO verdicts (batch_id, file, file_sha256, bill_key, verdict, \
                 sub_indication, error_code, amount_fen, issuer, payer, issue_date, verified_at, \
                 module_sha256, report_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, \
                 {NOW}, ?12, ?13) ON CONFLICT (batch_id, file, file_sha256) DO NOTHING"
            ),
            group: false,
        })
    }

    fn err(&self, e: rusqlite::Error) -> String {
        format!("ledger {}: {e}", self.path.display())
    }

    /// Commits the open group of records, if any.
    fn commit_group(&mut self) -> Result<(), String> {
        if std::mem::take(&mut self.group) {
            self.conn.execute_batch("COMMIT").map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// One record into the open group (opening one if needed).
    fn record_in_group(
        &mut self,
        batch: i64,
        entry: &Entry,
    ) -> rusqlite::Result<Option<SeenBefore>> {
        if !self.group {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.group = true;
        }
        let seen = match (entry.verdict, entry.bill_key) {
            (Verdict::Valid, Some(key)) => self
                .conn
                .prepare_cached(&self.seen_sql)?
                .query_row(params![key, batch, entry.file], |r| {
                    Ok(SeenBefore {
                        file: r.get(0)?,
                        batch: r.get(1)?,
                        at: r.get(2)?,
                        booked: r.get(3)?,
                    })
                })
                .optional()?,
            _ => None,
        };
        self.conn
            .prepare_cached(&self.insert_sql)?
            .execute(params![
                batch,
                entry.file,
                entry.file_sha256,
                entry.bill_key,
                entry.verdict.as_str(),
                entry.sub_indication,
                entry.error_code,
                entry.amount_fen,
                entry.issuer,
                entry.payer,
                entry.issue_date,
                entry.module_sha256,
                entry.report_json,
            ])?;
        Ok(seen)
    }
}

/// A non-empty file must start like SQLite.
fn check_header(path: &Path) -> Result<(), String> {
    let name = path.display();
    let mut file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("ledger {name}: {}", crate::inputs::io_text(&e))),
    };
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(format!("ledger {name}: is a directory"));
    }
    let mut head = Vec::with_capacity(16);
    file.by_ref()
        .take(16)
        .read_to_end(&mut head)
        .map_err(|e| format!("ledger {name}: {}", crate::inputs::io_text(&e)))?;
    if !head.is_empty() && head.as_slice() != SQLITE_HEADER {
        return Err(format!(
            "ledger {name}: not a SQLite database (a piaoyan ledger is one); refusing to use it"
        ));
    }
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Empty,
    Ledger,
    Foreign,
}

fn kind_of(conn: &Connection) -> rusqlite::Result<Kind> {
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if objects == 0 {
        return Ok(Kind::Empty);
    }
    let meta: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
        [],
        |r| r.get(0),
    )?;
    Ok(if meta == 1 {
        Kind::Ledger
    } else {
        Kind::Foreign
    })
}

fn ledger_version(conn: &Connection) -> Result<i64, String> {
    let get = |key: &str| -> Result<Option<String>, String> {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| e.to_string())
    };
    if get("application")?.as_deref() != Some(APPLICATION) {
        return Err("a SQLite database with a meta table that is not a piaoyan ledger's; refusing to use it".into());
    }
    get("schema_version")?
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| "the meta table has no schema_version; refusing to use it".into())
}

fn verdict_row(r: &Row) -> rusqlite::Result<VerdictRow> {
    Ok(VerdictRow {
        id: r.get(0)?,
        batch: r.get(1)?,
        file: r.get(2)?,
        file_sha256: r.get(3)?,
        bill_key: r.get(4)?,
        verdict: Verdict::of(&r.get::<_, String>(5)?),
        sub_indication: r.get(6)?,
        error_code: r.get(7)?,
        amount_fen: r.get(8)?,
        issuer: r.get(9)?,
        payer: r.get(10)?,
        issue_date: r.get(11)?,
        verified_at: r.get(12)?,
        module_sha256: r.get(13)?,
    })
}

fn booking_row(r: &Row, at: usize) -> rusqlite::Result<Booking> {
    Ok(Booking {
        bill_key: r.get(at)?,
        voucher: r.get(at + 1)?,
        by: r.get(at + 2)?,
        at: r.get(at + 3)?,
        file: r.get(at + 4)?,
        unbooked_by: r.get(at + 5)?,
        unbooked_at: r.get(at + 6)?,
        unbook_reason: r.get(at + 7)?,
    })
}

fn active_booking(conn: &Connection, bill_key: &str) -> rusqlite::Result<Option<Booking>> {
    conn.query_row(
        &format!(
            "SELECT {BOOKING_COLUMNS} FROM bookings b WHERE b.bill_key = ?1 AND b.unbooked_at IS NULL"
        ),
        [bill_key],
        |r| booking_row(r, 0),
    )
    .optional()
}

impl Store for SqliteLedger {
    fn begin_batch(
        &mut self,
        inputs_sha256: &str,
        inputs: usize,
        module_sha256: &str,
    ) -> Result<i64, String> {
        self.commit_group()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| format!("ledger {}: {e}", self.path.display()))?;
        let unfinished: Option<i64> = tx
            .query_row(
                "SELECT id FROM batches WHERE finished_at IS NULL AND inputs_sha256 = ?1 \
                 AND module_sha256 = ?2 ORDER BY id DESC LIMIT 1",
                params![inputs_sha256, module_sha256],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| format!("ledger {}: {e}", self.path.display()))?;
        let id = match unfinished {
            Some(id) => id,
            None => {
                tx.execute(
                    &format!(
                        "INSERT INTO batches (started_at, inputs_sha256, inputs, module_sha256) \
                         VALUES ({NOW}, ?1, ?2, ?3)"
                    ),
                    params![inputs_sha256, inputs as i64, module_sha256],
                )
                .map_err(|e| format!("ledger {}: {e}", self.path.display()))?;
                tx.last_insert_rowid()
            }
        };
        tx.commit()
            .map_err(|e| format!("ledger {}: {e}", self.path.display()))?;
        Ok(id)
    }

    fn record(&mut self, batch: i64, entry: &Entry) -> Result<Option<SeenBefore>, String> {
        match self.record_in_group(batch, entry) {
            Ok(seen) => Ok(seen),
            Err(e) => {
                // The failed statement changed nothing; what the group
                // kept before it is committed.
                let message = self.err(e);
                self.commit_group()?;
                Err(message)
            }
        }
    }

    fn commit(&mut self) -> Result<(), String> {
        self.commit_group()
    }

    fn finish_batch(&mut self, batch: i64) -> Result<(), String> {
        self.commit_group()?;
        self.conn
            .execute(
                &format!("UPDATE batches SET finished_at = {NOW} WHERE id = ?1"),
                [batch],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn book(
        &mut self,
        target: &Target,
        voucher: &str,
        by: &str,
        demo: bool,
    ) -> Result<Booking, Refusal> {
        self.commit_group().map_err(Refusal::Storage)?;
        let path = self.path.display().to_string();
        let fail = |e: rusqlite::Error| Refusal::Storage(format!("ledger {path}: {e}"));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let latest = |clause: &str, value: &str| {
            tx.query_row(
                &format!("SELECT {VERDICT_COLUMNS} FROM verdicts v WHERE {clause} ORDER BY v.id DESC LIMIT 1"),
                [value],
                verdict_row,
            )
            .optional()
        };
        let (what, row) = match target {
            Target::File { sha256, name } => (
                format!("file {name}"),
                latest("v.file_sha256 = ?1 AND v.bill_key IS NOT NULL", sha256).map_err(fail)?,
            ),
            Target::BillKey(key) => {
                let valid = latest("v.bill_key = ?1 AND v.verdict = 'VALID'", key).map_err(fail)?;
                let row = match valid {
                    Some(row) => Some(row),
                    None => latest("v.bill_key = ?1", key).map_err(fail)?,
                };
                (format!("bill {key}"), row)
            }
        };
        let Some(row) = row else {
            return Err(Refusal::Unknown(what));
        };
        let (Verdict::Valid, Some(key)) = (row.verdict, row.bill_key.clone()) else {
            return Err(Refusal::NotValid {
                what,
                verdict: row.verdict,
                sub_indication: row.sub_indication,
            });
        };
        // The record kept in report_json says whether the verdict rests on
        // a demo trust anchor (`demoTrust`).
        let on_demo: Option<bool> = tx
            .query_row(
                "SELECT json_extract(report_json, '$.demoTrust') FROM verdicts WHERE id = ?1",
                [row.id],
                |r| r.get(0),
            )
            .map_err(fail)?;
        if on_demo == Some(true) && !demo {
            return Err(Refusal::DemoTrust(what));
        }
        let inserted = tx.execute(
            &format!(
                "INSERT INTO bookings (bill_key, verdict_id, voucher, booked_by, booked_at) \
                 VALUES (?1, ?2, ?3, ?4, {NOW})"
            ),
            params![key, row.id, voucher, by],
        );
        match inserted {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == ErrorCode::ConstraintViolation =>
            {
                let earlier = active_booking(&tx, &key).map_err(fail)?;
                return Err(match earlier {
                    Some(b) => Refusal::AlreadyBooked(Box::new(b)),
                    None => Refusal::Storage(format!(
                        "ledger {path}: bill {key}: booking refused by a constraint"
                    )),
                });
            }
            Err(e) => return Err(fail(e)),
        }
        let booking = active_booking(&tx, &key).map_err(fail)?.ok_or_else(|| {
            Refusal::Storage(format!("ledger {path}: the booking of {key} vanished"))
        })?;
        tx.commit().map_err(fail)?;
        Ok(booking)
    }

    fn unbook(&mut self, bill_key: &str, by: &str, why: &str) -> Result<Booking, Refusal> {
        self.commit_group().map_err(Refusal::Storage)?;
        let path = self.path.display().to_string();
        let fail = |e: rusqlite::Error| Refusal::Storage(format!("ledger {path}: {e}"));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let Some(active) = active_booking(&tx, bill_key).map_err(fail)? else {
            return Err(Refusal::NotBooked(bill_key.to_string()));
        };
        tx.execute(
            &format!(
                "UPDATE bookings SET unbooked_by = ?2, unbooked_at = {NOW}, unbook_reason = ?3 \
                 WHERE bill_key = ?1 AND unbooked_at IS NULL"
            ),
            params![bill_key, by, why],
        )
        .map_err(fail)?;
        let done: Booking = tx
            .query_row(
                &format!(
                    "SELECT {BOOKING_COLUMNS} FROM bookings b WHERE b.bill_key = ?1 \
                     AND b.voucher = ?2 AND b.unbooked_at IS NOT NULL ORDER BY b.id DESC LIMIT 1"
                ),
                params![bill_key, active.voucher],
                |r| booking_row(r, 0),
            )
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(done)
    }

    fn show(&mut self, bill_key: &str) -> Result<(Vec<VerdictRow>, Vec<Booking>), String> {
        let path = self.path.display().to_string();
        let fail = |e: rusqlite::Error| format!("ledger {path}: {e}");
        let mut q = self
            .conn
            .prepare(&format!(
                "SELECT {VERDICT_COLUMNS} FROM verdicts v WHERE v.bill_key = ?1 ORDER BY v.id"
            ))
            .map_err(fail)?;
        let verdicts = q
            .query_map([bill_key], verdict_row)
            .map_err(fail)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(fail)?;
        let mut q = self
            .conn
            .prepare(&format!(
                "SELECT {BOOKING_COLUMNS} FROM bookings b WHERE b.bill_key = ?1 ORDER BY b.id"
            ))
            .map_err(fail)?;
        let bookings = q
            .query_map([bill_key], |r| booking_row(r, 0))
            .map_err(fail)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(fail)?;
        Ok((verdicts, bookings))
    }

    fn export(&mut self, filter: &Filter) -> Result<Vec<(VerdictRow, Option<Booking>)>, String> {
        let path = self.path.display().to_string();
        let fail = |e: rusqlite::Error| format!("ledger {path}: {e}");
        let booked = match filter.booked {
            None => "",
            Some(true) => " AND b.id IS NOT NULL",
            Some(false) => " AND b.id IS NULL",
        };
        let mut q = self
            .conn
            .prepare(&format!(
                "SELECT {VERDICT_COLUMNS}, {BOOKING_COLUMNS}, b.id FROM verdicts v \
                 LEFT JOIN bookings b ON b.bill_key = v.bill_key AND b.unbooked_at IS NULL \
                 AND v.verdict = 'VALID' \
                 WHERE (?1 IS NULL OR v.verified_at >= ?1){booked} ORDER BY v.id"
            ))
            .map_err(fail)?;
        q.query_map([filter.since.as_deref()], |r| {
            let booking = match r.get::<_, Option<i64>>(22)? {
                Some(_) => Some(booking_row(r, 14)?),
                None => None,
            };
            Ok((verdict_row(r)?, booking))
        })
        .map_err(fail)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)
    }

    fn stats(&mut self) -> Result<Stats, String> {
        let path = self.path.display().to_string();
        let fail = |e: rusqlite::Error| format!("ledger {path}: {e}");
        self.conn
            .query_row(STATS, [], |r| {
                Ok(Stats {
                    batches: r.get(0)?,
                    records: r.get(1)?,
                    valid: r.get(2)?,
                    invalid: r.get(3)?,
                    indeterminate: r.get(4)?,
                    valid_bills: r.get(5)?,
                    duplicates: r.get(6)?,
                    booked: r.get(7)?,
                    unbooked: r.get(8)?,
                    valid_fen: r.get(9)?,
                    booked_fen: r.get(10)?,
                })
            })
            .map_err(fail)
    }
}
