//! The PostgreSQL ledger (`--ledger postgres://…`): one database that many
//! processes and machines write at once, the workers of a cluster job
//! among them.
//!
//! Every write is a transaction of its own. What SQLite gets from its one
//! write lock, PostgreSQL gets from constraints and advisory locks:
//! - a record and its "seen before" lookup run under a transaction-scoped
//!   advisory lock on the bill key, so of two processes recording the same
//!   VALID bill at once the second sees the first (`seenBefore`);
//! - a booking is an `INSERT … ON CONFLICT DO NOTHING` against the partial
//!   unique index of active bookings: of two racing bookings one inserts,
//!   the other waits for it and is refused, naming it;
//! - the schema is created and migrated under an advisory lock, so two
//!   first runs do not both create it.
//!
//! Records are committed without waiting for the server's disk
//! (`synchronous_commit = off` for the session): a commit costs no flush.
//! Finishing a batch, booking and unbooking wait for it (`SET LOCAL
//! synchronous_commit = on`); the write-ahead log is flushed in order, so
//! when a batch is marked finished, every record before it is on disk too.
//! A server crash in the middle of a run loses at most its last moments of
//! records, and the batch, unfinished, is taken up again by the same
//! command.

use std::str::FromStr;
use std::time::Duration;

use postgres::{Client, Config, NoTls, Row, Statement};

use super::schema::{
    self, APPLICATION, APPLICATION_ID, BOOKING_COLUMNS, MIGRATIONS, PG_NOW, STATS, VERDICT_COLUMNS,
};
use super::{Booking, Entry, Filter, Refusal, Stats, Store, Target, Verdict, VerdictRow};
use crate::output::SeenBefore;

/// The advisory lock class of the ledger ("PYLG"); the second key is 0 for
/// the schema, a hash of the bill key for records.
const LOCK_CLASS: i32 = APPLICATION_ID;

/// How long a first connection may take, unless the URL says otherwise.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub struct PostgresLedger {
    /// The URL without its password, for messages.
    name: String,
    client: Client,
    record: Statement,
}

/// The record statement: under the bill key's lock (taken before, in the
/// same transaction), the earliest VALID verdict of the key that is not
/// this very input, and the insert (nothing when the batch has the input
/// already). One statement: one round trip.
fn record_sql() -> String {
    format!(
        "WITH seen AS (SELECT v.file, v.batch_id, v.verified_at, EXISTS (SELECT 1 FROM bookings b \
         WHERE b.bill_key = v.bill_key AND b.unbooked_at IS NULL) AS booked \
         FROM verdicts v WHERE $13::text IS NOT NULL AND v.bill_key = $4 AND v.verdict = 'VALID' \
         AND NOT (v.batch_id = $1 AND v.file = $2) ORDER BY v.id LIMIT 1), \
         ins AS (INSERT INTO verdicts (batch_id, file, file_sha256, bill_key, verdict, \
         sub_indication, error_code, amount_fen, issuer, payer, issue_date, verified_at, \
         module_sha256, report_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         {PG_NOW}, $12, $14::text::json) ON CONFLICT (batch_id, file, file_sha256) DO NOTHING) \
         SELECT file, batch_id, verified_at, booked FROM seen"
    )
}

impl PostgresLedger {
    /// Connects to the database of `url`, creating the ledger's tables when
    /// the database (its current schema) has none, migrating an older
    /// ledger forward. A database with other tables and no ledger is
    /// refused and left as it is.
    pub fn open(url: &str) -> Result<PostgresLedger, String> {
        let name = redact(url);
        let mut config = Config::from_str(url)
            .map_err(|e| format!("ledger {name}: not a PostgreSQL URL: {e}"))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("piaoyan");
        }
        let mut client = config
            .connect(NoTls)
            .map_err(|e| format!("ledger {name}: cannot connect: {}", error_text(&e)))?;
        let fail = fail(&name);
        migrate(&mut client, &name)?;
        client
            .batch_execute("SET synchronous_commit = off")
            .map_err(fail)?;
        let record = client.prepare(&record_sql()).map_err(fail)?;
        Ok(PostgresLedger {
            name,
            client,
            record,
        })
    }

    fn err(&self, e: postgres::Error) -> String {
        fail(&self.name)(e)
    }
}

/// The server's own message where there is one (the client's `Display`
/// says only "db error").
/// Turns a client error into the ledger's message (`ledger NAME: …`).
fn fail(name: &str) -> impl Fn(postgres::Error) -> String + Copy + '_ {
    move |e| format!("ledger {name}: {}", error_text(&e))
}

/// [`fail`] as a booking's refusal: the ledger could not answer.
fn refuse(name: &str) -> impl Fn(postgres::Error) -> Refusal + Copy + '_ {
    move |e| Refusal::Storage(format!("ledger {name}: {}", error_text(&e)))
}

fn error_text(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => e.to_string(),
    }
}

/// `url` with its password, if any, replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return redact_query(url);
    };
    let user = match userinfo.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None => userinfo.to_string(),
    };
    redact_query(&format!("{scheme}://{user}@{host}{tail}"))
}

/// A `password=` query parameter replaced by `***`.
fn redact_query(url: &str) -> String {
    let Some((head, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let params: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some(("password", _)) => "password=***".to_string(),
            _ => p.to_string(),
        })
        .collect();
    format!("{head}?{}", params.join("&"))
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Empty,
    Ledger,
    Foreign,
}

/// What the current schema holds: nothing, a ledger, or something else.
fn kind_of(client: &mut impl postgres::GenericClient) -> Result<Kind, postgres::Error> {
    let row = client.query_one(
        "SELECT count(*), count(*) FILTER (WHERE c.relname = 'meta') FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
        &[],
    )?;
    let (objects, meta): (i64, i64) = (row.get(0), row.get(1));
    Ok(match (objects, meta) {
        (0, _) => Kind::Empty,
        (_, 1) => Kind::Ledger,
        _ => Kind::Foreign,
    })
}

/// Creates or migrates the schema, under the ledger's schema lock.
fn migrate(client: &mut Client, name: &str) -> Result<(), String> {
    let fail = fail(name);
    let foreign = || {
        format!(
            "ledger {name}: a database that is not a piaoyan ledger (it has tables but no ledger meta table); refusing to use it"
        )
    };
    // Read before anything is written: a foreign database stays as it is.
    if kind_of(client).map_err(fail)? == Kind::Foreign {
        return Err(foreign());
    }
    let mut tx = client.transaction().map_err(fail)?;
    tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&LOCK_CLASS])
        .map_err(fail)?;
    // Again under the lock: another process may have created it.
    let version: i64 = match kind_of(&mut tx).map_err(fail)? {
        Kind::Empty => 0,
        Kind::Foreign => return Err(foreign()),
        Kind::Ledger => ledger_version(&mut tx).map_err(|e| format!("ledger {name}: {e}"))?,
    };
    if version > MIGRATIONS.len() as i64 {
        return Err(format!(
            "ledger {name}: schema version {version} is newer than this piaoyan's ({}); use a newer piaoyan",
            MIGRATIONS.len()
        ));
    }
    for (n, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.batch_execute(&schema::postgres(migration))
            .map_err(|e| {
                format!(
                    "ledger {name}: migration to version {}: {}",
                    n + 1,
                    error_text(&e)
                )
            })?;
        tx.execute(
            "UPDATE meta SET value = $1 WHERE key = 'schema_version'",
            &[&(n + 1).to_string()],
        )
        .map_err(fail)?;
    }
    tx.commit().map_err(fail)
}

fn ledger_version(tx: &mut postgres::Transaction<'_>) -> Result<i64, String> {
    let mut get = |key: &str| -> Result<Option<String>, String> {
        tx.query_opt("SELECT value FROM meta WHERE key = $1", &[&key])
            .map(|row| row.map(|r| r.get(0)))
            .map_err(|e| error_text(&e))
    };
    if get("application")?.as_deref() != Some(APPLICATION) {
        return Err(
            "a database with a meta table that is not a piaoyan ledger's; refusing to use it"
                .into(),
        );
    }
    get("schema_version")?
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| "the meta table has no schema_version; refusing to use it".into())
}

/// A transaction whose commit waits for the server's disk.
fn durable(client: &mut Client) -> Result<postgres::Transaction<'_>, postgres::Error> {
    let mut tx = client.transaction()?;
    tx.batch_execute("SET LOCAL synchronous_commit = on")?;
    Ok(tx)
}

fn verdict_row(r: &Row) -> VerdictRow {
    VerdictRow {
        id: r.get(0),
        batch: r.get(1),
        file: r.get(2),
        file_sha256: r.get(3),
        bill_key: r.get(4),
        verdict: Verdict::of(r.get(5)),
        sub_indication: r.get(6),
        error_code: r.get(7),
        amount_fen: r.get(8),
        issuer: r.get(9),
        payer: r.get(10),
        issue_date: r.get(11),
        verified_at: r.get(12),
        module_sha256: r.get(13),
    }
}

fn booking_row(r: &Row, at: usize) -> Booking {
    Booking {
        bill_key: r.get(at),
        voucher: r.get(at + 1),
        by: r.get(at + 2),
        at: r.get(at + 3),
        file: r.get(at + 4),
        unbooked_by: r.get(at + 5),
        unbooked_at: r.get(at + 6),
        unbook_reason: r.get(at + 7),
    }
}

fn active_booking(
    client: &mut impl postgres::GenericClient,
    bill_key: &str,
) -> Result<Option<Booking>, postgres::Error> {
    Ok(client
        .query_opt(
            &format!(
                "SELECT {BOOKING_COLUMNS} FROM bookings b WHERE b.bill_key = $1 AND b.unbooked_at IS NULL"
            ),
            &[&bill_key],
        )?
        .map(|r| booking_row(&r, 0)))
}

impl Store for PostgresLedger {
    fn begin_batch(
        &mut self,
        inputs_sha256: &str,
        inputs: usize,
        module_sha256: &str,
    ) -> Result<i64, String> {
        let fail = fail(&self.name);
        let mut tx = durable(&mut self.client).map_err(fail)?;
        // Two runs of the same inputs starting at once take up one batch.
        tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&LOCK_CLASS])
            .map_err(fail)?;
        let unfinished = tx
            .query_opt(
                "SELECT id FROM batches WHERE finished_at IS NULL AND inputs_sha256 = $1 \
                 AND module_sha256 = $2 ORDER BY id DESC LIMIT 1",
                &[&inputs_sha256, &module_sha256],
            )
            .map_err(fail)?;
        let id: i64 = match unfinished {
            Some(row) => row.get(0),
            None => tx
                .query_one(
                    &format!(
                        "INSERT INTO batches (started_at, inputs_sha256, inputs, module_sha256) \
                         VALUES ({PG_NOW}, $1, $2, $3) RETURNING id"
                    ),
                    &[&inputs_sha256, &(inputs as i64), &module_sha256],
                )
                .map_err(fail)?
                .get(0),
        };
        tx.commit().map_err(fail)?;
        Ok(id)
    }

    fn record(&mut self, batch: i64, entry: &Entry) -> Result<Option<SeenBefore>, String> {
        let fail = fail(&self.name);
        // Only a VALID bill with a key is looked up (and locked).
        let lookup = match (entry.verdict, entry.bill_key) {
            (Verdict::Valid, Some(key)) => Some(key),
            _ => None,
        };
        let mut tx = self.client.transaction().map_err(fail)?;
        if let Some(key) = lookup {
            tx.execute(
                "SELECT pg_advisory_xact_lock($1, hashtext($2))",
                &[&LOCK_CLASS, &key],
            )
            .map_err(fail)?;
        }
        let rows = tx
            .query(
                &self.record,
                &[
                    &batch,
                    &entry.file,
                    &entry.file_sha256,
                    &entry.bill_key,
                    &entry.verdict.as_str(),
                    &entry.sub_indication,
                    &entry.error_code,
                    &entry.amount_fen,
                    &entry.issuer,
                    &entry.payer,
                    &entry.issue_date,
                    &entry.module_sha256,
                    &lookup,
                    &entry.report_json,
                ],
            )
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(rows.first().map(|r| SeenBefore {
            file: r.get(0),
            batch: r.get(1),
            at: r.get(2),
            booked: r.get(3),
        }))
    }

    /// Each record is committed on its own already.
    fn commit(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn finish_batch(&mut self, batch: i64) -> Result<(), String> {
        let fail = fail(&self.name);
        let mut tx = durable(&mut self.client).map_err(fail)?;
        tx.execute(
            &format!("UPDATE batches SET finished_at = {PG_NOW} WHERE id = $1"),
            &[&batch],
        )
        .map_err(fail)?;
        tx.commit().map_err(fail)
    }

    fn book(
        &mut self,
        target: &Target,
        voucher: &str,
        by: &str,
        demo: bool,
    ) -> Result<Booking, Refusal> {
        let fail = refuse(&self.name);
        let mut tx = durable(&mut self.client).map_err(fail)?;
        let mut latest =
            |clause: &str, value: &str| -> Result<Option<(VerdictRow, Option<bool>)>, Refusal> {
                Ok(tx
                    .query_opt(
                        &format!(
                            "SELECT {VERDICT_COLUMNS}, (v.report_json->>'demoTrust')::boolean \
                         FROM verdicts v WHERE {clause} ORDER BY v.id DESC LIMIT 1"
                        ),
                        &[&value],
                    )
                    .map_err(fail)?
                    .map(|r| (verdict_row(&r), r.get(14))))
            };
        let (what, row) = match target {
            Target::File { sha256, name } => (
                format!("file {name}"),
                latest("v.file_sha256 = $1 AND v.bill_key IS NOT NULL", sha256)?,
            ),
            Target::BillKey(key) => {
                let row = match latest("v.bill_key = $1 AND v.verdict = 'VALID'", key)? {
                    Some(row) => Some(row),
                    None => latest("v.bill_key = $1", key)?,
                };
                (format!("bill {key}"), row)
            }
        };
        let Some((row, on_demo)) = row else {
            return Err(Refusal::Unknown(what));
        };
        let (Verdict::Valid, Some(key)) = (row.verdict, row.bill_key.clone()) else {
            return Err(Refusal::NotValid {
                what,
                verdict: row.verdict,
                sub_indication: row.sub_indication,
            });
        };
        if on_demo == Some(true) && !demo {
            return Err(Refusal::DemoTrust(what));
        }
        // A racing booking of the same bill makes this wait for it, then
        // insert nothing (READ COMMITTED); the next statement sees it.
        let inserted = tx
            .query_opt(
                &format!(
                    "INSERT INTO bookings (bill_key, verdict_id, voucher, booked_by, booked_at) \
                     VALUES ($1, $2, $3, $4, {PG_NOW}) \
                     ON CONFLICT (bill_key) WHERE unbooked_at IS NULL DO NOTHING RETURNING id"
                ),
                &[&key, &row.id, &voucher, &by],
            )
            .map_err(fail)?;
        let active = active_booking(&mut tx, &key).map_err(fail)?;
        match (inserted, active) {
            (Some(_), Some(booking)) => {
                tx.commit().map_err(fail)?;
                Ok(booking)
            }
            (None, Some(earlier)) => Err(Refusal::AlreadyBooked(Box::new(earlier))),
            (_, None) => Err(Refusal::Storage(format!(
                "ledger {}: the booking of {key} vanished",
                self.name
            ))),
        }
    }

    fn unbook(&mut self, bill_key: &str, by: &str, why: &str) -> Result<Booking, Refusal> {
        let fail = refuse(&self.name);
        let mut tx = durable(&mut self.client).map_err(fail)?;
        let ended = tx
            .query_opt(
                &format!(
                    "UPDATE bookings SET unbooked_by = $2, unbooked_at = {PG_NOW}, unbook_reason = $3 \
                     WHERE bill_key = $1 AND unbooked_at IS NULL RETURNING id"
                ),
                &[&bill_key, &by, &why],
            )
            .map_err(fail)?;
        let Some(ended) = ended else {
            return Err(Refusal::NotBooked(bill_key.to_string()));
        };
        let id: i64 = ended.get(0);
        let done = tx
            .query_one(
                &format!("SELECT {BOOKING_COLUMNS} FROM bookings b WHERE b.id = $1"),
                &[&id],
            )
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(booking_row(&done, 0))
    }

    fn show(&mut self, bill_key: &str) -> Result<(Vec<VerdictRow>, Vec<Booking>), String> {
        let verdicts = self
            .client
            .query(
                &format!(
                    "SELECT {VERDICT_COLUMNS} FROM verdicts v WHERE v.bill_key = $1 ORDER BY v.id"
                ),
                &[&bill_key],
            )
            .map_err(|e| self.err(e))?;
        let bookings = self
            .client
            .query(
                &format!(
                    "SELECT {BOOKING_COLUMNS} FROM bookings b WHERE b.bill_key = $1 ORDER BY b.id"
                ),
                &[&bill_key],
            )
            .map_err(|e| self.err(e))?;
        Ok((
            verdicts.iter().map(verdict_row).collect(),
            bookings.iter().map(|r| booking_row(r, 0)).collect(),
        ))
    }

    fn export(&mut self, filter: &Filter) -> Result<Vec<(VerdictRow, Option<Booking>)>, String> {
        let booked = match filter.booked {
            None => "",
            Some(true) => " AND b.id IS NOT NULL",
            Some(false) => " AND b.id IS NULL",
        };
        let rows = self
            .client
            .query(
                &format!(
                    "SELECT {VERDICT_COLUMNS}, {BOOKING_COLUMNS}, b.id FROM verdicts v \
                     LEFT JOIN bookings b ON b.bill_key = v.bill_key AND b.unbooked_at IS NULL \
                     AND v.verdict = 'VALID' \
                     WHERE ($1::text IS NULL OR v.verified_at >= $1){booked} ORDER BY v.id"
                ),
                &[&filter.since],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows
            .iter()
            .map(|r| {
                let booking = r.get::<_, Option<i64>>(22).map(|_| booking_row(r, 14));
                (verdict_row(r), booking)
            })
            .collect())
    }

    fn stats(&mut self) -> Result<Stats, String> {
        let r = self.client.query_one(STATS, &[]).map_err(|e| self.err(e))?;
        Ok(Stats {
            batches: r.get(0),
            records: r.get(1),
            valid: r.get(2),
            invalid: r.get(3),
            indeterminate: r.get(4),
            valid_bills: r.get(5),
            duplicates: r.get(6),
            booked: r.get(7),
            unbooked: r.get(8),
            valid_fen: r.get(9),
            booked_fen: r.get(10),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_a_message() {
        assert_eq!(
            redact("postgres://amy:s3cret@db.example:5432/books"),
            "postgres://amy:***@db.example:5432/books"
        );
        assert_eq!(
            redact("postgresql:///books?host=/run/pg&password=x&user=amy"),
            "postgresql:///books?host=/run/pg&password=***&user=amy"
        );
        assert_eq!(redact("postgres://amy@db/books"), "postgres://amy@db/books");
    }
}
