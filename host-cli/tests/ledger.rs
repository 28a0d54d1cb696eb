//! `piaoyan verify --ledger`: every verdict kept once, VALID bills the
//! ledger had already flagged, foreign files refused and left as they were,
//! a run killed with SIGKILL taken up again without doubling anything.
//! Each test runs on a SQLite file and on a PostgreSQL database (a server
//! the tests start themselves, `common::db`).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::db::Db;
use common::{BIN, demo_trust_args, demo_trust_toml, json_lines, s, samples, scratch, stderr};
use rusqlite::Connection;

both_backends!(
    a_second_batch_flags_bills_seen_before,
    another_file_with_the_same_bill_is_flagged_in_the_same_batch,
    the_schema_is_versioned_and_a_newer_one_refused,
    a_run_killed_with_sigkill_and_run_again_records_each_input_once,
    four_processes_write_one_ledger_and_lose_and_double_nothing,
);

/// `piaoyan verify` with the demo trust, as of 2026-06-01, into `ledger`.
fn verify_args(ledger: &str, format: &str, paths: &[&Path]) -> Vec<String> {
    let mut args: Vec<String> = ["verify", "--no-config", "--no-cache", "--now", "1780272000"]
        .map(str::to_string)
        .to_vec();
    args.extend(demo_trust_args());
    args.extend(["--format", format, "--lang", "en", "--ledger", ledger].map(str::to_string));
    args.extend(paths.iter().map(|p| s(p)));
    args
}

fn run(args: &[String]) -> Output {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run piaoyan")
}

/// A directory with `n` copies of the valid sample bill, each its own file.
fn copies(dir: &Path, n: usize) -> PathBuf {
    let bill = fs::read(samples().join("bills/01-hospital-valid.xml")).unwrap();
    let out = dir.join("copies");
    fs::create_dir_all(&out).unwrap();
    for i in 0..n {
        fs::write(out.join(format!("copy-{i:05}.xml")), &bill).unwrap();
    }
    out
}

fn a_second_batch_flags_bills_seen_before(db: Db, _dir: &Path) {
    let ledger = db.location();
    let bills = samples().join("bills");
    let first = run(&verify_args(&ledger, "jsonl", &[&bills]));
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    let records = json_lines(&first);
    assert_eq!(records.len(), 7);
    assert!(records.iter().all(|r| !r.contains_key("seenBefore")));
    assert!(
        stderr(&first).contains("seen before          0"),
        "{}",
        stderr(&first)
    );
    let kept = db.count("SELECT count(*) FROM verdicts");
    assert_eq!(kept, 7);
    let valid = db.count("SELECT count(*) FROM verdicts WHERE verdict = 'VALID'");
    assert!(valid >= 2, "{valid}");
    assert_eq!(
        db.count(
            "SELECT count(*) FROM verdicts WHERE length(file_sha256) = 64 AND module_sha256 <> '' AND CAST(report_json AS TEXT) LIKE '{\"file\":%'"
        ),
        7,
        "the records kept as written"
    );
    assert_eq!(
        db.count(
            "SELECT count(*) FROM verdicts WHERE verdict = 'VALID' AND amount_fen > 0 AND issuer IS NOT NULL AND payer IS NOT NULL AND issue_date IS NOT NULL"
        ),
        valid
    );

    let second = run(&verify_args(&ledger, "jsonl", &[&bills]));
    let records = json_lines(&second);
    let flagged: Vec<_> = records.iter().filter_map(|r| r.get("seenBefore")).collect();
    assert_eq!(flagged.len() as i64, valid, "{records:?}");
    for (r, seen) in records
        .iter()
        .filter(|r| r.contains_key("seenBefore"))
        .zip(&flagged)
    {
        assert_eq!(r["verdict"], "VALID");
        assert_eq!(seen["file"], r["file"], "the same file, an earlier batch");
        assert_eq!(seen["batch"], 1);
        assert_eq!(seen["booked"], false);
        assert!(seen["at"].as_str().unwrap().ends_with('Z'), "{seen}");
    }
    assert!(
        stderr(&second).contains(&format!("seen before   {valid:>8}")),
        "{}",
        stderr(&second)
    );
    assert_eq!(db.count("SELECT count(*) FROM verdicts"), 14);
    assert_eq!(
        db.count("SELECT count(*) FROM batches WHERE finished_at IS NOT NULL"),
        2
    );

    let csv = run(&verify_args(
        &ledger,
        "csv",
        &[&bills.join("01-hospital-valid.xml")],
    ));
    let text = String::from_utf8(csv.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows[0].ends_with(",demoTrust,seenBefore"), "{text}");
    assert!(
        rows[1].ends_with(&format!(",{}", s(&bills.join("01-hospital-valid.xml")))),
        "{text}"
    );
}

fn another_file_with_the_same_bill_is_flagged_in_the_same_batch(db: Db, dir: &Path) {
    let ledger = db.location();
    let bills = copies(dir, 2);
    let out = run(&verify_args(&ledger, "jsonl", &[&bills]));
    let records = json_lines(&out);
    assert_eq!(records.len(), 2);
    assert!(!records[0].contains_key("seenBefore"));
    assert_eq!(records[1]["seenBefore"]["file"], records[0]["file"]);
    assert_eq!(records[1]["duplicateOf"], records[0]["file"]);
    let mut args = verify_args(&ledger, "table", &[&bills.join("copy-00001.xml")]);
    args.push("--wide".into());
    let text = String::from_utf8(run(&args).stdout).unwrap();
    let want = format!(
        "VALID (DEMO)  SEEN BEFORE in {} (batch 1, ",
        records[0]["file"].as_str().unwrap()
    );
    assert!(text.contains(&want), "the reason leads with it: {text}");
}

#[test]
fn foreign_and_corrupt_files_are_refused_and_left_alone() {
    let dir = scratch("foreign");
    let bill = samples().join("bills/01-hospital-valid.xml");
    let text_file = dir.join("notes.txt");
    fs::write(&text_file, "not a database\n").unwrap();
    let other = dir.join("other.sqlite");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts (name) VALUES ('x');")
        .unwrap();
    let corrupt = dir.join("corrupt.sqlite");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xA5u8, 4096));
    fs::write(&corrupt, &bytes).unwrap();
    for (path, want) in [
        (&text_file, "not a SQLite database"),
        (&other, "not a piaoyan ledger"),
        (&corrupt, "not a readable SQLite database"),
    ] {
        let before = fs::read(path).unwrap();
        let out = run(&verify_args(&s(path), "jsonl", &[&bill]));
        assert_eq!(out.status.code(), Some(2), "{}", s(path));
        assert!(out.stdout.is_empty(), "no record before the ledger is open");
        let err = stderr(&out);
        assert!(err.contains(want) && err.contains(&s(path)), "{err}");
        assert_eq!(fs::read(path).unwrap(), before, "{} untouched", s(path));
    }
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_sqlite_ledger_is_a_wal_file_with_its_application_id() {
    let dir = scratch("config");
    // A relative `ledger` is relative to the config file.
    fs::write(
        dir.join("piaoyan.toml"),
        demo_trust_toml() + "ledger = \"books/ledger.sqlite\"\n",
    )
    .unwrap();
    fs::create_dir_all(dir.join("books")).unwrap();
    let out = Command::new(BIN)
        .args(["verify", "--now", "1780272000", "--format", "jsonl"])
        .arg(samples().join("bills/01-hospital-valid.xml"))
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let db = Db::Sqlite(dir.join("books/ledger.sqlite"));
    assert_eq!(db.count("SELECT count(*) FROM verdicts"), 1);
    assert_eq!(db.count("PRAGMA application_id"), 0x5059_4C47);
    let mode: String = Connection::open(dir.join("books/ledger.sqlite"))
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_postgres_database_of_other_tables_or_no_server_is_refused() {
    let db = Db::postgres("foreign");
    db.execute("CREATE TABLE accounts (id BIGINT PRIMARY KEY, name TEXT); INSERT INTO accounts VALUES (1, 'x');");
    let bill = samples().join("bills/01-hospital-valid.xml");
    let out = run(&verify_args(&db.location(), "jsonl", &[&bill]));
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no record before the ledger is open");
    let err = stderr(&out);
    assert!(err.contains("not a piaoyan ledger"), "{err}");
    assert_eq!(db.count("SELECT count(*) FROM accounts"), 1);
    assert_eq!(
        db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
        1,
        "nothing created"
    );
    // No server there: a clear error, and the password never printed.
    let dir = scratch("no-server");
    let url = format!(
        "postgresql://clerk:s3cret@localhost/books?host={}&connect_timeout=5",
        s(&dir)
    );
    let out = run(&verify_args(&url, "jsonl", &[&bill]));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("cannot connect"), "{err}");
    assert!(
        !err.contains("s3cret") && err.contains("clerk:***@"),
        "{err}"
    );
    fs::remove_dir_all(dir).unwrap();
}

fn the_schema_is_versioned_and_a_newer_one_refused(db: Db, dir: &Path) {
    // The config names the ledger: a URL stays a URL, a file is the file.
    fs::write(
        dir.join("piaoyan.toml"),
        demo_trust_toml() + &format!("ledger = {:?}\n", db.location()),
    )
    .unwrap();
    let verify = || {
        Command::new(BIN)
            .args(["verify", "--now", "1780272000", "--format", "jsonl"])
            .arg(samples().join("bills/01-hospital-valid.xml"))
            .current_dir(dir)
            .output()
            .unwrap()
    };
    let out = verify();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(db.count("SELECT count(*) FROM verdicts"), 1);
    assert_eq!(
        db.count("SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'schema_version'"),
        1
    );
    assert_eq!(
        db.count(
            "SELECT count(*) FROM meta WHERE key = 'application' AND value = 'piaoyan-ledger'"
        ),
        1
    );
    // A ledger of a newer schema is refused, not downgraded.
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    let out = verify();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no record without a ledger");
    assert!(
        stderr(&out).contains("schema version 99 is newer"),
        "{}",
        stderr(&out)
    );
    assert_eq!(db.count("SELECT count(*) FROM verdicts"), 1);
}

fn a_run_killed_with_sigkill_and_run_again_records_each_input_once(db: Db, dir: &Path) {
    let ledger = db.location();
    let n = 1200;
    let bills = copies(dir, n);
    let mut args = verify_args(&ledger, "jsonl", &[&bills]);
    args.extend(["--jobs".into(), "1".into(), "--quiet".into()]);
    let mut child = Command::new(BIN)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    // Killed once it has kept some records, well before the end.
    loop {
        let kept = db.try_count("SELECT count(*) FROM verdicts").unwrap_or(0);
        if kept >= 50 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed, not finished");
    let after_kill = db.count("SELECT count(*) FROM verdicts");
    assert!(after_kill >= 50 && after_kill < n as i64, "{after_kill}");
    assert_eq!(
        db.count("SELECT count(*) FROM batches WHERE finished_at IS NULL"),
        1
    );

    let again = run(&args);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(json_lines(&again).len(), n);
    assert_eq!(db.count("SELECT count(*) FROM verdicts"), n as i64);
    assert_eq!(
        db.count("SELECT count(DISTINCT file) FROM verdicts"),
        n as i64
    );
    assert_eq!(
        db.count("SELECT count(*) FROM batches"),
        1,
        "the batch taken up again"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM batches WHERE finished_at IS NOT NULL"),
        1
    );
}

/// Issue 15 asks for 4 processes × 20 000 bills; the test writes 4 × 500
/// (copies of the shared vectors, each process its own files) to stay quick.
fn four_processes_write_one_ledger_and_lose_and_double_nothing(db: Db, dir: &Path) {
    let ledger = db.location();
    let vectors = common::shared("vectors/bills");
    let mut bills: Vec<PathBuf> = fs::read_dir(&vectors)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    bills.sort();
    assert!(bills.len() > 100, "{}", s(&vectors));
    let per = 500;
    let t = |f: &str| s(&vectors.join("trust").join(f));
    let children: Vec<_> = (0..4)
        .map(|p| {
            let mine = dir.join(format!("p{p}"));
            fs::create_dir_all(&mine).unwrap();
            for i in 0..per {
                let from = &bills[(i + p * 37) % bills.len()];
                fs::copy(
                    from,
                    mine.join(format!(
                        "{i:04}-{}",
                        from.file_name().unwrap().to_string_lossy()
                    )),
                )
                .unwrap();
            }
            Command::new(BIN)
                .args([
                    "verify",
                    "--no-config",
                    "--quiet",
                    "--format",
                    "jsonl",
                    "--jobs",
                    "1",
                    "--trust",
                    &t("roots.pem"),
                    "--certs",
                    &t("intermediates.pem"),
                    "--crl",
                    &t("crls.pem"),
                    "--ledger",
                    &ledger,
                    &s(&mine),
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut first_seen = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        let records = json_lines(&out);
        assert_eq!(records.len(), per);
        first_seen += records
            .iter()
            .filter(|r| r["verdict"] == "VALID" && !r.contains_key("seenBefore"))
            .count() as i64;
    }
    let all = 4 * per as i64;
    assert_eq!(db.count("SELECT count(*) FROM verdicts"), all);
    assert_eq!(db.count("SELECT count(DISTINCT file) FROM verdicts"), all);
    assert_eq!(
        db.count("SELECT count(*) FROM batches WHERE finished_at IS NOT NULL"),
        4
    );
    // Each VALID bill key was new to exactly one record, whichever process
    // wrote it first; every later one was flagged.
    let keys = db.count("SELECT count(DISTINCT bill_key) FROM verdicts WHERE verdict = 'VALID'");
    assert!(keys > 50, "{keys}");
    assert_eq!(first_seen, keys);
}
