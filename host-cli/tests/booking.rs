//! `piaoyan ledger book|unbook|show|export|stats`: a VALID bill booked
//! exactly once, even when processes race; history kept; the ledger read
//! back. Each test runs on a SQLite file and on a PostgreSQL database.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::db::Db;
use common::{BIN, demo_trust_args, s, samples, stderr};

both_backends!(
    a_bill_is_booked_once_and_unbooked_with_history,
    racing_processes_book_a_bill_exactly_once,
    show_export_and_stats_read_the_ledger_back,
);

fn bill(name: &str) -> PathBuf {
    samples().join("bills").join(name)
}

fn piaoyan(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run piaoyan")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// A ledger with the demo bills verified into it (one batch).
fn ledger_with_samples(db: &Db) -> String {
    let ledger = db.location();
    let bills = s(&samples().join("bills"));
    let mut args = vec!["verify", "--no-config", "--now", "1780272000"];
    let trust = demo_trust_args();
    args.extend(trust.iter().map(String::as_str));
    args.extend(["--format", "jsonl", "--quiet", "--ledger", &ledger, &bills]);
    let out = piaoyan(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    ledger
}

fn key_of(db: &Db, file: &str) -> String {
    let rows = db.texts(
        "SELECT bill_key FROM verdicts WHERE file LIKE $1",
        &format!("%{file}"),
    );
    rows[0][0].clone().unwrap()
}

fn a_bill_is_booked_once_and_unbooked_with_history(db: Db, _dir: &Path) {
    let l = ledger_with_samples(&db);
    let valid = s(&bill("01-hospital-valid.xml"));
    let key = key_of(&db, "01-hospital-valid.xml");

    // The samples are VALID only on the demo trust anchors: not booked
    // unless the user says it is a demonstration.
    let demo = piaoyan(&[
        "ledger",
        "book",
        &valid,
        "--voucher",
        "记-2026-0000",
        "--by",
        "王会计",
        "--ledger",
        &l,
    ]);
    assert_eq!(demo.status.code(), Some(1), "{}", stderr(&demo));
    assert!(
        stderr(&demo).contains("demo trust anchors"),
        "{}",
        stderr(&demo)
    );

    let first = piaoyan(&[
        "ledger",
        "book",
        "--demo",
        &valid,
        "--voucher",
        "记-2026-0001",
        "--by",
        "王会计",
        "--ledger",
        &l,
    ]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stdout(&first).contains(&format!(
        "booked bill {key}: voucher 记-2026-0001 by 王会计"
    )));

    let again = piaoyan(&[
        "ledger",
        "book",
        "--demo",
        &key,
        "--voucher",
        "记-2026-0002",
        "--by",
        "李出纳",
        "--ledger",
        &l,
    ]);
    assert_eq!(again.status.code(), Some(1));
    let err = stderr(&again);
    assert!(
        err.contains("already booked")
            && err.contains("记-2026-0001")
            && err.contains("王会计")
            && err.contains("Z"),
        "{err}"
    );

    let invalid = piaoyan(&[
        "ledger",
        "book",
        "--demo",
        &s(&bill("04-hospital-tampered-amount.xml")),
        "--voucher",
        "V9",
        "--by",
        "x",
        "--ledger",
        &l,
    ]);
    assert_eq!(invalid.status.code(), Some(1));
    assert!(
        stderr(&invalid).contains("is not VALID in the ledger (INVALID"),
        "{}",
        stderr(&invalid)
    );
    let unknown = piaoyan(&[
        "ledger",
        "book",
        "--demo",
        "00000000-0000000000",
        "--voucher",
        "V9",
        "--by",
        "x",
        "--ledger",
        &l,
    ]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("is not in the ledger"),
        "{}",
        stderr(&unknown)
    );

    let no_reason = piaoyan(&["ledger", "unbook", &key, "--by", "王会计", "--ledger", &l]);
    assert_eq!(no_reason.status.code(), Some(2), "--why is required");
    let unbook = piaoyan(&[
        "ledger",
        "unbook",
        &key,
        "--by",
        "王会计",
        "--why",
        "wrong voucher",
        "--ledger",
        &l,
    ]);
    assert_eq!(unbook.status.code(), Some(0), "{}", stderr(&unbook));
    let twice = piaoyan(&[
        "ledger",
        "unbook",
        &key,
        "--by",
        "王会计",
        "--why",
        "again",
        "--ledger",
        &l,
    ]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(stderr(&twice).contains("is not booked"));
    let rebook = piaoyan(&[
        "ledger",
        "book",
        "--demo",
        &key,
        "--voucher",
        "记-2026-0003",
        "--by",
        "王会计",
        "--ledger",
        &l,
    ]);
    assert_eq!(rebook.status.code(), Some(0), "{}", stderr(&rebook));

    let rows = db.texts(
        "SELECT voucher, unbooked_by, unbook_reason FROM bookings WHERE bill_key = $1 ORDER BY id",
        &key,
    );
    let text = |t: &str| Some(t.to_string());
    assert_eq!(
        rows,
        [
            vec![text("记-2026-0001"), text("王会计"), text("wrong voucher")],
            vec![text("记-2026-0003"), None, None],
        ]
    );
}

fn racing_processes_book_a_bill_exactly_once(db: Db, _dir: &Path) {
    let l = ledger_with_samples(&db);
    let key = key_of(&db, "02-school-valid.xml");
    let n = 8;
    let children: Vec<_> = (0..n)
        .map(|i| {
            Command::new(BIN)
                .args([
                    "ledger",
                    "book",
                    "--demo",
                    &key,
                    "--voucher",
                    &format!("V{i}"),
                    "--by",
                    &format!("clerk{i}"),
                    "--ledger",
                    &l,
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let won: Vec<&Output> = outs.iter().filter(|o| o.status.code() == Some(0)).collect();
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        outs.iter().map(stderr).collect::<Vec<_>>()
    );
    let winner = stdout(won[0]);
    let voucher = winner
        .split("voucher ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    for o in outs.iter().filter(|o| o.status.code() != Some(0)) {
        assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
        assert!(
            stderr(o).contains(&format!("voucher {voucher} by")),
            "{}",
            stderr(o)
        );
    }
    assert_eq!(db.count("SELECT count(*) FROM bookings"), 1);
}

fn show_export_and_stats_read_the_ledger_back(db: Db, dir: &Path) {
    let l = ledger_with_samples(&db);
    let key = key_of(&db, "01-hospital-valid.xml");
    let booked = piaoyan(&[
        "ledger",
        "book",
        "--demo",
        &key,
        "--voucher",
        "V-1",
        "--by",
        "amy",
        "--ledger",
        &l,
    ]);
    assert_eq!(booked.status.code(), Some(0), "{}", stderr(&booked));

    let show = piaoyan(&["ledger", "show", &key, "--ledger", &l, "--lang", "en"]);
    assert_eq!(show.status.code(), Some(0), "{}", stderr(&show));
    let text = stdout(&show);
    assert!(
        text.starts_with(&format!("bill {key}\nverdicts:\n")),
        "{text}"
    );
    assert!(
        text.contains("VALID") && text.contains("voucher V-1  by amy"),
        "{text}"
    );
    let json = piaoyan(&["ledger", "show", &key, "--ledger", &l, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    // 04 is 01 with its amount changed: the same bill key, INVALID.
    let verdicts = value["verdicts"].as_array().unwrap();
    assert_eq!(verdicts.len(), 2, "{value}");
    assert_eq!(verdicts[0]["verdict"], "VALID");
    assert_eq!(verdicts[1]["verdict"], "INVALID");
    assert_eq!(value["bookings"][0]["voucher"], "V-1");
    let missing = piaoyan(&["ledger", "show", "1-2", "--ledger", &l]);
    assert_eq!(missing.status.code(), Some(1));

    let out = dir.join("all.csv");
    let export = piaoyan(&[
        "ledger",
        "export",
        "--format",
        "csv",
        "--ledger",
        &l,
        "-o",
        &s(&out),
    ]);
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    let csv = fs::read_to_string(&out).unwrap();
    let rows: Vec<&str> = csv.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert_eq!(rows.len(), 1 + 7, "{csv}");
    assert!(
        rows[0].starts_with("id,batch,file,fileSha256,billKey,verdict"),
        "{csv}"
    );
    // Booked is the state of the genuine bill: its VALID record shows it;
    // 04, a changed copy claiming the same key (INVALID), does not.
    let booked_csv: Vec<&&str> = rows
        .iter()
        .filter(|r| r.contains(",true,V-1,amy,"))
        .collect();
    assert_eq!(booked_csv.len(), 1, "{csv}");
    assert!(booked_csv[0].contains("01-hospital-valid.xml"), "{csv}");
    assert!(
        rows.iter()
            .any(|r| r.contains("04-hospital-tampered-amount.xml") && r.contains(",false,")),
        "{csv}"
    );

    let jsonl = |extra: &[&str]| -> Vec<serde_json::Value> {
        let mut args = vec!["ledger", "export", "--format", "jsonl", "--ledger", &l];
        args.extend_from_slice(extra);
        let o = piaoyan(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    };
    let booked_rows = jsonl(&["--booked"]);
    assert_eq!(booked_rows.len(), 1);
    assert_eq!(booked_rows[0]["verdict"], "VALID");
    assert!(
        booked_rows
            .iter()
            .all(|r| r["billKey"] == key.as_str() && r["booking"]["by"] == "amy")
    );
    assert_eq!(jsonl(&["--unbooked"]).len(), 6);
    assert_eq!(jsonl(&["--since", "2000-01-01"]).len(), 7);
    assert_eq!(jsonl(&["--since", "2999-01-01"]).len(), 0);
    let bad = piaoyan(&[
        "ledger",
        "export",
        "--format",
        "csv",
        "--since",
        "yesterday",
        "--ledger",
        &l,
    ]);
    assert_eq!(bad.status.code(), Some(2));

    let stats = piaoyan(&["ledger", "stats", "--format", "json", "--ledger", &l]);
    let v: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(v["records"], 7);
    assert_eq!(v["batches"], 1);
    assert_eq!(v["booked"], 1);
    assert_eq!(
        v["valid"].as_i64().unwrap()
            + v["invalid"].as_i64().unwrap()
            + v["indeterminate"].as_i64().unwrap(),
        7
    );
    assert_eq!(v["duplicates"], 0);
    assert_eq!(v["bookedFen"], 21710, "the booked bill's 217.10 yuan");
    let zh = piaoyan(&["ledger", "stats", "--lang", "zh", "--ledger", &l]);
    assert!(stdout(&zh).contains("已入账"), "{}", stdout(&zh));
    let none = piaoyan(&["ledger", "stats", "--no-config"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("no ledger"), "{}", stderr(&none));
}
