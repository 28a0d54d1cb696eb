//! The ledger's schema, as migrations: migration `n` takes a ledger from
//! schema version `n` to `n + 1` (docs/ledger.md describes the tables).

/// The `meta` row naming the file a piaoyan ledger.
pub const APPLICATION: &str = "piaoyan-ledger";

/// `PRAGMA application_id` of a ledger ("PYLG").
pub const APPLICATION_ID: i32 = 0x5059_4C47;

/// Every migration, in order; the schema version is their number.
pub const MIGRATIONS: &[&str] = &[V1];

/// The schema version this build writes.
pub fn current() -> i64 {
    MIGRATIONS.len() as i64
}

const V1: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('application', 'piaoyan-ledger');
INSERT INTO meta (key, value) VALUES ('schema_version', '0');

CREATE TABLE batches (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    inputs_sha256 TEXT NOT NULL,
    inputs        INTEGER NOT NULL,
    module_sha256 TEXT NOT NULL
);

CREATE TABLE verdicts (
    id             INTEGER PRIMARY KEY,
    batch_id       INTEGER NOT NULL REFERENCES batches (id),
    file           TEXT NOT NULL,
    file_sha256    TEXT NOT NULL,
    bill_key       TEXT,
    verdict        TEXT NOT NULL CHECK (verdict IN ('VALID', 'INVALID', 'INDETERMINATE')),
    sub_indication TEXT,
    error_code     TEXT,
    amount_fen     INTEGER,
    issuer         TEXT,
    payer          TEXT,
    issue_date     TEXT,
    verified_at    TEXT NOT NULL,
    module_sha256  TEXT NOT NULL,
    report_json    TEXT NOT NULL,
    UNIQUE (batch_id, file, file_sha256)
);
CREATE INDEX verdicts_bill_key ON verdicts (bill_key);
CREATE INDEX verdicts_file_sha256 ON verdicts (file_sha256);

CREATE TABLE bookings (
    id            INTEGER PRIMARY KEY,
    bill_key      TEXT NOT NULL,
    verdict_id    INTEGER NOT NULL REFERENCES verdicts (id),
    voucher       TEXT NOT NULL,
    booked_by     TEXT NOT NULL,
    booked_at     TEXT NOT NULL,
    unbooked_by   TEXT,
    unbooked_at   TEXT,
    unbook_reason TEXT,
    CHECK ((unbooked_at IS NULL) = (unbooked_by IS NULL))
);
CREATE UNIQUE INDEX bookings_one_active ON bookings (bill_key) WHERE unbooked_at IS NULL;
CREATE INDEX bookings_bill_key ON bookings (bill_key);
";

/// The current time as the ledger writes it: UTC, ISO 8601, milliseconds.
pub const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
