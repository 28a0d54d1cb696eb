//! `piaoyan verify` at scale: input forms, zip archives, parallel runs in
//! and out of order, formats, duplicates, the config file, hostile inputs,
//! exit codes. Runs the binary as a user would.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{BIN, s, scratch, stderr, verify_in, zip_file};
use serde_json::{Map, Value};

fn vectors() -> PathBuf {
    common::shared("vectors/bills")
}

fn trust_args() -> Vec<String> {
    let t = vectors().join("trust");
    vec![
        "--trust".into(),
        s(&t.join("roots.pem")),
        "--certs".into(),
        s(&t.join("intermediates.pem")),
        "--crl".into(),
        s(&t.join("crls.pem")),
    ]
}

/// Runs `piaoyan verify --no-config ARGS` (`stdin` fed when given).
fn verify(args: &[String], stdin: Option<&str>) -> Output {
    verify_in(args, stdin, None)
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|a| a.to_string()).collect()
}

fn records(o: &Output) -> Vec<Map<String, Value>> {
    common::json_lines(o)
}

/// The value at a JSON pointer (`/error/code`), null when absent.
fn at<'a>(record: &'a Map<String, Value>, pointer: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    let (first, rest) = pointer[1..].split_once('/').unwrap_or((&pointer[1..], ""));
    match record.get(first) {
        Some(v) if rest.is_empty() => v,
        Some(v) => v.pointer(&format!("/{rest}")).unwrap_or(&NULL),
        None => &NULL,
    }
}

fn files(records: &[Map<String, Value>]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["file"].as_str().unwrap().to_string())
        .collect()
}

fn bill(n: u32) -> Vec<u8> {
    fs::read(vectors().join(format!("bill-{n:04}.xml"))).unwrap()
}

/// A fake verifier module: `VALID` for any bill, except a bill starting
/// with `T` traps, `L` loops for ever, `G` grows memory by 64 MiB (and traps
/// when that is refused, as Rust's allocator does).
fn hostile_module(dir: &Path) -> PathBuf {
    let report =
        r#"{"report":{"verdict":"VALID","subIndication":null,"reason":{"zh":"好","en":"fine"}}}"#;
    let ok = r#"{"ok":{}}"#;
    let esc = |t: &str| t.bytes().map(|b| format!("\\{b:02x}")).collect::<String>();
    let wat = format!(
        r#"(module
          (memory (export "memory") 1)
          (global $next (mut i32) (i32.const 4096))
          (data (i32.const 512) "{ok}")
          (data (i32.const 1024) "{report}")
          (func (export "piaoyan_abi_version") (result i32) i32.const 1)
          (func (export "piaoyan_version") (result i64) i64.const 0)
          (func (export "piaoyan_alloc") (param i32) (result i32)
            (local $p i32)
            global.get $next
            local.set $p
            (global.set $next (i32.add (global.get $next) (i32.add (local.get 0) (i32.const 1))))
            local.get $p)
          (func (export "piaoyan_free") (param i32 i32))
          (func (export "piaoyan_configure") (param i32 i32) (result i64) i64.const {okp})
          (func (export "piaoyan_verify") (param i32 i32 i32 i32) (result i64) unreachable)
          (func (export "piaoyan_verify_configured") (param i32 i32) (result i64)
            (local $c i32)
            (local.set $c (i32.load8_u (local.get 0)))
            (if (i32.eq (local.get $c) (i32.const 84)) (then unreachable))
            (if (i32.eq (local.get $c) (i32.const 76)) (then (loop (br 0))))
            (if (i32.eq (local.get $c) (i32.const 71))
              (then (if (i32.lt_s (memory.grow (i32.const 1024)) (i32.const 0))
                      (then unreachable))))
            i64.const {rp}))"#,
        ok = esc(ok),
        report = esc(report),
        okp = (512u64 << 32) | ok.len() as u64,
        rp = (1024u64 << 32) | report.len() as u64,
    );
    let path = dir.join("hostile.wasm");
    fs::write(&path, wat::parse_str(wat).unwrap()).unwrap();
    path
}

// ---------------------------------------------------------------------------

/// Files, a directory, a quoted glob, a zip archive and `-` (paths on
/// standard input), in one run: one record each, in argument order.
#[test]
fn every_input_form_gets_its_records_in_order() {
    let dir = scratch("forms");
    fs::create_dir_all(dir.join("tree/b")).unwrap();
    fs::write(dir.join("tree/b/2.xml"), bill(2)).unwrap();
    fs::write(dir.join("tree/a.xml"), bill(3)).unwrap();
    fs::create_dir_all(dir.join("q")).unwrap();
    for n in [5, 6] {
        fs::write(dir.join(format!("q/g{n}.xml")), bill(n)).unwrap();
    }
    fs::write(dir.join("q/skip.txt"), "x").unwrap();
    zip_file(
        &dir.join("bills.zip"),
        &[("in/zip-7.xml", &bill(7)), ("zip-8.xml", &bill(8))],
    );
    fs::write(dir.join("listed.xml"), bill(9)).unwrap();
    let list = format!(
        "{}\n\n{}\n",
        s(&dir.join("listed.xml")),
        s(&dir.join("gone.xml"))
    );
    let mut a = args(&["--no-config", "--format", "jsonl", "--jobs", "2"]);
    a.extend(trust_args());
    a.extend([
        s(&vectors().join("bill-0001.xml")),
        s(&dir.join("tree")),
        s(&dir.join("q/*.xml")),
        s(&dir.join("bills.zip")),
        "-".into(),
    ]);
    let o = verify(&a, Some(&list));
    let recs = records(&o);
    let d = s(&dir);
    assert_eq!(
        files(&recs),
        [
            s(&vectors().join("bill-0001.xml")),
            format!("{d}/tree/a.xml"),
            format!("{d}/tree/b/2.xml"),
            format!("{d}/q/g5.xml"),
            format!("{d}/q/g6.xml"),
            format!("{d}/bills.zip!/in/zip-7.xml"),
            format!("{d}/bills.zip!/zip-8.xml"),
            format!("{d}/listed.xml"),
            format!("{d}/gone.xml"),
        ]
    );
    // The zip entries are verified like the files they were.
    let alone = verify(
        &[
            args(&["--no-config", "--format", "jsonl"]),
            trust_args(),
            vec![s(&vectors().join("bill-0007.xml"))],
        ]
        .concat(),
        None,
    );
    assert_eq!(recs[5]["verdict"], records(&alone)[0]["verdict"]);
    assert_eq!(recs[5]["billKey"], records(&alone)[0]["billKey"]);
    // The missing listed path is an IO record; the run went on; exit 2.
    assert_eq!(recs[8]["verdict"], "INDETERMINATE");
    assert_eq!(recs[8]["error"]["code"], "IO");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("gone.xml"), "{}", stderr(&o));
    fs::remove_dir_all(dir).unwrap();
}

/// A pattern that matches nothing and a missing argument are usage errors,
/// before any record.
#[test]
fn arguments_that_name_nothing_stop_the_run() {
    let dir = scratch("nothing");
    for pattern in [s(&dir.join("*.xml")), s(&dir.join("missing.xml"))] {
        let o = verify(&args(&["--no-config", &pattern]), None);
        assert_eq!(o.status.code(), Some(2));
        assert!(o.stdout.is_empty());
        assert!(stderr(&o).contains(&pattern), "{}", stderr(&o));
    }
    fs::remove_dir_all(dir).unwrap();
}

/// Zip archives: entries are bounded (a bomb inflates to the 4 MiB bound
/// plus one byte, and is a FORMAT_FAILURE), corrupt or unsupported entries
/// get ARCHIVE records, directories inside are skipped, a non-zip `.zip`
/// is one ARCHIVE record.
#[test]
fn zip_archives_are_read_safely() {
    let dir = scratch("zips");
    let bomb = vec![b' '; 64 << 20];
    zip_file(
        &dir.join("a.zip"),
        &[
            ("ok.xml", &bill(1)),
            ("bomb.xml", &bomb),
            ("stored.xml", b"x"),
        ],
    );
    assert!(fs::metadata(dir.join("a.zip")).unwrap().len() < 2 << 20);
    // Make `stored.xml` claim bzip2 (not supported): patch the method of
    // its local and central headers.
    let mut bytes = fs::read(dir.join("a.zip")).unwrap();
    for (sig, offset) in [(b"PK\x03\x04", 8), (b"PK\x01\x02", 10)] {
        let mut at = 0;
        while let Some(p) = bytes[at..].windows(4).position(|w| w == sig) {
            let start = at + p;
            let name_at = start + if sig == b"PK\x03\x04" { 30 } else { 46 };
            if bytes[name_at..].starts_with(b"stored.xml") {
                bytes[start + offset] = 12;
                bytes[start + offset + 1] = 0;
            }
            at = start + 4;
        }
    }
    fs::write(dir.join("a.zip"), &bytes).unwrap();
    fs::write(dir.join("b.zip"), "not a zip").unwrap();
    let mut a = args(&["--no-config", "--format", "jsonl"]);
    a.extend(trust_args());
    a.push(s(&dir));
    let o = verify(&a, None);
    let recs = records(&o);
    let d = s(&dir);
    assert_eq!(
        files(&recs),
        [
            format!("{d}/a.zip!/ok.xml"),
            format!("{d}/a.zip!/bomb.xml"),
            format!("{d}/a.zip!/stored.xml"),
            format!("{d}/b.zip"),
        ]
    );
    assert_eq!(recs[0]["verdict"], "VALID", "{:?}", recs[0]);
    assert_eq!(recs[1]["verdict"], "INVALID");
    assert_eq!(recs[1]["subIndication"], "FORMAT_FAILURE");
    assert!(
        recs[1]["reason"]["en"]
            .as_str()
            .unwrap()
            .contains("4194304"),
        "{:?}",
        recs[1]["reason"]
    );
    for r in &recs[2..] {
        assert_eq!(r["verdict"], "INDETERMINATE");
        assert_eq!(r["error"]["code"], "ARCHIVE", "{r:?}");
    }
    assert_eq!(o.status.code(), Some(2));
    fs::remove_dir_all(dir).unwrap();
}

/// Many bills on two workers: in order, the same records as one worker;
/// `--unordered`, every input exactly once.
#[test]
fn parallel_runs_account_for_every_input() {
    let dir = scratch("many");
    let mut names = Vec::new();
    for i in 0..48 {
        let name = dir.join(format!("{i:03}.xml"));
        fs::write(&name, bill(i % 20 + 1)).unwrap();
        names.push(s(&name));
    }
    let run = |extra: &[&str]| {
        let mut a = args(&["--no-config", "--format", "jsonl"]);
        a.extend(args(extra));
        a.extend(trust_args());
        a.push(s(&dir));
        verify(&a, None)
    };
    let one = run(&["--jobs", "1"]);
    let two = run(&["--jobs", "2"]);
    assert_eq!(files(&records(&one)), names);
    assert_eq!(one.stdout, two.stdout, "same records, same order");
    assert_eq!(one.status.code(), two.status.code());
    let unordered = run(&["--jobs", "2", "--unordered"]);
    let got: Vec<String> = files(&records(&unordered));
    assert_eq!(got.len(), names.len());
    assert_eq!(
        got.iter().collect::<BTreeSet<_>>(),
        names.iter().collect::<BTreeSet<_>>()
    );
    assert!(stderr(&two).contains("48 records"), "{}", stderr(&two));
    assert!(stderr(&two).contains("2 jobs"), "{}", stderr(&two));
    fs::remove_dir_all(dir).unwrap();
}

/// The same bill twice: the second record names the first, the summary
/// counts it, and the VALID total counts the bill once.
#[test]
fn duplicates_are_flagged_and_counted_once() {
    let dir = scratch("dups");
    for name in ["a.xml", "b.xml"] {
        fs::write(dir.join(name), bill(1)).unwrap();
    }
    fs::write(dir.join("c.xml"), bill(2)).unwrap();
    let mut a = args(&["--no-config", "--format", "jsonl"]);
    a.extend(trust_args());
    a.push(s(&dir));
    let o = verify(&a, None);
    let recs = records(&o);
    assert_eq!(recs.len(), 3);
    assert!(recs[0].get("duplicateOf").is_none());
    assert_eq!(recs[1]["duplicateOf"], s(&dir.join("a.xml")));
    let keys: Vec<&str> = recs[1].keys().map(String::as_str).collect();
    assert_eq!(
        keys[..4],
        ["file", "verdict", "subIndication", "duplicateOf"]
    );
    assert!(recs[2].get("duplicateOf").is_none());
    let fen = |r: &Map<String, Value>| r["bill"]["main"]["totalAmount"]["fen"].as_i64().unwrap();
    let total = fen(&recs[0]) + fen(&recs[2]);
    let err = stderr(&o);
    assert!(
        err.lines()
            .any(|l| l.split_whitespace().take(2).eq(["duplicates", "1"])),
        "{err}"
    );
    let yuan = format!("{}.{:02}", total / 100, total % 100);
    assert!(
        err.contains(&format!("total of VALID bills: {yuan} yuan (2 bills, each counted once; 1 repeated VALID record not counted)")),
        "{err}"
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "duplicates do not change the exit status"
    );
    // The table says so too.
    let mut t = args(&["--no-config"]);
    t.extend(trust_args());
    t.push(s(&dir));
    let table = String::from_utf8(verify(&t, None).stdout).unwrap();
    assert!(table.contains("DUPLICATE of"), "{table}");
    fs::remove_dir_all(dir).unwrap();
}

/// CSV: a header, one row per record, RFC 4180 quoting (a file name with a
/// comma, a quote and a newline survives a round trip).
#[test]
fn csv_rows_survive_awkward_names() {
    let dir = scratch("csv");
    let odd = dir.join("a, \"quoted\"\nname.xml");
    fs::write(&odd, bill(1)).unwrap();
    fs::write(dir.join("z.xml"), b"not a bill").unwrap();
    let mut a = args(&["--no-config", "--format", "csv"]);
    a.extend(trust_args());
    a.push(s(&dir));
    let o = verify(&a, None);
    let text = String::from_utf8(o.stdout.clone()).unwrap();
    let rows = parse_csv(&text);
    assert_eq!(rows.len(), 3, "{text}");
    assert_eq!(rows[0][0], "file");
    assert_eq!(rows[0].len(), 14);
    assert_eq!(rows[1][0], s(&odd));
    assert_eq!(rows[1][1], "VALID");
    assert_eq!(rows[1][6], "48364");
    assert_eq!(rows[2][1], "INVALID");
    assert_eq!(rows[2][2], "FORMAT_FAILURE");
    assert!(rows.iter().all(|r| r.len() == 14));
    fs::remove_dir_all(dir).unwrap();
}

/// A small RFC 4180 reader.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

/// `piaoyan.toml` in the working directory (or `--config FILE`) supplies
/// the trust material; `--no-config` ignores it; a bad file stops the run.
#[test]
fn config_file_supplies_trust() {
    let dir = scratch("config");
    let t = vectors().join("trust");
    fs::write(
        dir.join("piaoyan.toml"),
        format!(
            "trust = {:?}\ncerts = [{:?}]\ncrl = {:?}\njobs = 1\n",
            s(&t.join("roots.pem")),
            s(&t.join("intermediates.pem")),
            s(&t),
        ),
    )
    .unwrap();
    let b1 = s(&vectors().join("bill-0001.xml"));
    let o = verify_in(&args(&["--format", "jsonl", &b1]), None, Some(&dir));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&o)[0]["verdict"], "VALID");
    assert!(
        stderr(&o).contains("piaoyan.toml"),
        "the config file is named"
    );
    assert!(stderr(&o).contains("1 job)"), "{}", stderr(&o));
    let o = verify_in(
        &args(&["--no-config", "--format", "jsonl", &b1]),
        None,
        Some(&dir),
    );
    assert_ne!(
        records(&o)[0]["verdict"],
        "VALID",
        "no trust without the file"
    );
    // --config from elsewhere; relative paths are the file's.
    fs::create_dir_all(dir.join("etc")).unwrap();
    fs::copy(t.join("roots.pem"), dir.join("etc/roots.pem")).unwrap();
    fs::write(
        dir.join("etc/other.toml"),
        format!(
            "trust = \"roots.pem\"\ncerts = {:?}\ncrl = {:?}\n",
            s(&t.join("intermediates.pem")),
            s(&t.join("crls.pem"))
        ),
    )
    .unwrap();
    let o = verify(
        &args(&[
            "--config",
            &s(&dir.join("etc/other.toml")),
            "--format",
            "jsonl",
            &b1,
        ]),
        None,
    );
    assert_eq!(records(&o)[0]["verdict"], "VALID", "{}", stderr(&o));
    // Mistakes stop the run before any record.
    fs::write(dir.join("etc/bad.toml"), "trsut = \"x\"\n").unwrap();
    let o = verify(
        &args(&["--config", &s(&dir.join("etc/bad.toml")), &b1]),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("bad.toml"), "{}", stderr(&o));
    fs::remove_dir_all(dir).unwrap();
}

/// `--trust`, `--certs`, `--crl` take directories: the blocks of the right
/// label in the files below.
#[test]
fn trust_material_from_a_directory() {
    let t = s(&vectors().join("trust"));
    let b1 = s(&vectors().join("bill-0001.xml"));
    let o = verify(
        &args(&[
            "--no-config",
            "--format",
            "jsonl",
            "--trust",
            &s(&vectors().join("trust/roots.pem")),
            "--certs",
            &t,
            "--crl",
            &t,
            &b1,
        ]),
        None,
    );
    assert_eq!(records(&o)[0]["verdict"], "VALID", "{}", stderr(&o));
}

/// Hostile inputs among good bills, through the real verifier: each gets
/// exactly one record, the run finishes, and an unreadable input makes the
/// exit status 2.
#[test]
fn hostile_inputs_get_one_record_each() {
    let dir = scratch("hostile");
    let d = |n: &str| dir.join(n);
    fs::write(d("01-good.xml"), bill(1)).unwrap();
    fs::write(d("02-deep.xml"), "<a>".repeat(100_000)).unwrap();
    let mut big = bill(1);
    big.resize(6 << 20, b' ');
    fs::write(d("03-huge.xml"), big).unwrap();
    fs::write(
        d("04-binary.xml"),
        (0..=255u8).cycle().take(70_000).collect::<Vec<_>>(),
    )
    .unwrap();
    fs::write(d("05-empty.xml"), b"").unwrap();
    let mut latin1 = bill(2);
    latin1.extend_from_slice(b"\xff\xfe\xe9");
    fs::write(d("06-trailing-bytes.xml"), latin1).unwrap();
    fs::write(
        d("07-entities.xml"),
        "<!DOCTYPE a [<!ENTITY x \"xxxxxxxxxx\"><!ENTITY y \"&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;\">]><a>&y;&y;&y;</a>",
    )
    .unwrap();
    std::os::unix::fs::symlink(d("nowhere"), d("08-broken-link.xml")).unwrap();
    let bomb = vec![b'<'; 64 << 20];
    zip_file(
        &d("09-bomb.zip"),
        &[("bomb.xml", &bomb), ("good.xml", &bill(3))],
    );
    fs::write(d("10-good.xml"), bill(2)).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(d("11-locked")).unwrap();
    fs::write(d("11-locked/inside.xml"), bill(5)).unwrap();
    fs::set_permissions(d("11-locked"), fs::Permissions::from_mode(0o000)).unwrap();
    let root = fs::read_dir(d("11-locked")).is_ok();

    let mut a = args(&["--no-config", "--format", "jsonl", "--jobs", "2"]);
    a.extend(trust_args());
    // /proc/self/mem: a regular file whose reading fails (EIO), even as root.
    a.extend([s(&dir), "/proc/self/mem".into()]);
    let o = verify(&a, None);
    fs::set_permissions(d("11-locked"), fs::Permissions::from_mode(0o755)).unwrap();
    let recs = records(&o);
    let got = files(&recs);
    let base = s(&dir);
    let mut want: Vec<String> = [
        "01-good.xml",
        "02-deep.xml",
        "03-huge.xml",
        "04-binary.xml",
        "05-empty.xml",
        "06-trailing-bytes.xml",
        "07-entities.xml",
        "08-broken-link.xml",
        "09-bomb.zip!/bomb.xml",
        "09-bomb.zip!/good.xml",
        "10-good.xml",
    ]
    .iter()
    .map(|f| format!("{base}/{f}"))
    .collect();
    want.push(format!(
        "{base}/11-locked{}",
        if root { "/inside.xml" } else { "" }
    ));
    want.push("/proc/self/mem".into());
    assert_eq!(got, want, "{}", stderr(&o));
    let verdict = |i: usize| {
        (
            recs[i]["verdict"].as_str().unwrap().to_string(),
            at(&recs[i], "/subIndication")
                .as_str()
                .or(at(&recs[i], "/error/code").as_str())
                .unwrap_or("-")
                .to_string(),
        )
    };
    assert_eq!(verdict(0).0, "VALID");
    for i in [1, 2, 3, 4, 5, 6, 8] {
        assert_eq!(
            verdict(i),
            ("INVALID".into(), "FORMAT_FAILURE".into()),
            "{}",
            got[i]
        );
    }
    assert_eq!(verdict(7), ("INDETERMINATE".into(), "IO".into()));
    assert!(
        recs[7]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("broken link")
    );
    assert_eq!(verdict(9).0, "VALID");
    assert_eq!(verdict(10).0, "VALID");
    if !root {
        assert_eq!(verdict(11), ("INDETERMINATE".into(), "IO".into()));
    }
    assert_eq!(verdict(12), ("INDETERMINATE".into(), "IO".into()));
    assert_eq!(o.status.code(), Some(2));
    fs::remove_dir_all(dir).unwrap();
}

/// A verifier that traps, loops or exhausts its memory on some bills
/// (`--module`, a fake): each of those bills gets its own error record, the
/// instance is replaced, and every other bill is still verified.
#[test]
fn traps_timeouts_and_memory_caps_cost_one_record_each() {
    let dir = scratch("traps");
    let module = hostile_module(&dir);
    let kinds = [
        "ok", "TRAP", "ok", "LOOP", "ok", "GROW", "TRAP", "ok", "ok", "GROW",
    ];
    let mut names = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        let name = dir.join(format!("{i:02}-{kind}.xml"));
        fs::write(&name, kind).unwrap();
        names.push(s(&name));
    }
    for extra in [&["--jobs", "1"][..], &["--jobs", "2", "--unordered"]] {
        let mut a = args(&[
            "--no-config",
            "--format",
            "jsonl",
            "--timeout",
            "1",
            "--max-memory",
            "32",
            "--module",
            &s(&module),
        ]);
        a.extend(args(extra));
        a.extend(names.iter().cloned());
        let o = verify(&a, None);
        let mut recs = records(&o);
        assert_eq!(recs.len(), kinds.len(), "{}", stderr(&o));
        recs.sort_by(|a, b| a["file"].as_str().cmp(&b["file"].as_str()));
        for (r, kind) in recs.iter().zip(kinds) {
            let code = at(r, "/error/code").as_str();
            match kind {
                "ok" => assert_eq!(r["verdict"], "VALID", "{r:?}"),
                "TRAP" => assert_eq!(code, Some("TRAP"), "{r:?}"),
                "LOOP" => assert_eq!(code, Some("TIMEOUT"), "{r:?}"),
                "GROW" => assert_eq!(code, Some("MEMORY_LIMIT"), "{r:?}"),
                _ => unreachable!(),
            }
            if kind != "ok" {
                assert_eq!(r["verdict"], "INDETERMINATE");
                assert!(r["subIndication"].is_null());
                assert!(
                    r["reason"]["en"]
                        .as_str()
                        .unwrap()
                        .starts_with("not verified")
                );
            }
        }
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("error TRAP 2"), "{err}");
        assert!(err.contains("error TIMEOUT 1"), "{err}");
        assert!(err.contains("error MEMORY_LIMIT 2"), "{err}");
    }
    fs::remove_dir_all(dir).unwrap();
}

/// `--output FILE` gets the records; standard output stays empty; no
/// progress bar when standard error is not a terminal; `--quiet` drops the
/// summary.
#[test]
fn output_file_quiet_and_no_progress_bar_in_pipes() {
    let dir = scratch("output");
    let out = dir.join("records.json");
    let mut a = args(&["--no-config", "--format", "json", "--output", &s(&out)]);
    a.extend(trust_args());
    a.push(s(&vectors().join("bill-0001.xml")));
    a.push(s(&vectors().join("bill-0002.xml")));
    let o = verify(&a, None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let array: Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(array.as_array().unwrap().len(), 2);
    let err = stderr(&o);
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("2 records"), "{err}");
    a.push("--quiet".into());
    let o = verify(&a, None);
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    // An output file that cannot be written: exit 2, nothing verified.
    let mut a = args(&["--no-config", "--output", &s(&dir.join("no/such/dir/x"))]);
    a.push(s(&vectors().join("bill-0001.xml")));
    let o = verify(&a, None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
    fs::remove_dir_all(dir).unwrap();
}

/// `piaoyan module --output FILE` writes the embedded module, the bytes
/// whose SHA-256 `--version` prints.
#[test]
fn module_command_writes_the_embedded_module() {
    let dir = scratch("module");
    let path = dir.join("piaoyan.wasm");
    let o = Command::new(BIN)
        .args(["module", "--output", &s(&path)])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let embedded = fs::read(concat!(env!("OUT_DIR"), "/piaoyan_wasm.wasm")).unwrap();
    assert_eq!(fs::read(&path).unwrap(), embedded);
    let o = Command::new(BIN)
        .args(["module", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(o.stdout, embedded);
    let o = Command::new(BIN)
        .args(["module", "--output", &s(&dir.join("no/dir/x.wasm"))])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    fs::remove_dir_all(dir).unwrap();
}

/// The compiled module is kept in the cache directory and reused; the
/// records are the same either way.
#[test]
fn compiled_module_cache() {
    let dir = scratch("cache");
    let run = |extra: &[&str]| {
        let mut a = args(&["--no-config", "--format", "jsonl"]);
        a.extend(args(extra));
        a.extend(trust_args());
        a.push(s(&vectors().join("bill-0001.xml")));
        Command::new(BIN)
            .arg("verify")
            .args(&a)
            .env("PIAOYAN_CACHE_DIR", &dir)
            .output()
            .unwrap()
    };
    let cached = || {
        fs::read_dir(&dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".cwasm")
            })
            .count()
    };
    let first = run(&["--no-cache"]);
    assert_eq!(cached(), 0, "--no-cache keeps nothing");
    let second = run(&[]);
    assert_eq!(cached(), 1);
    let third = run(&[]);
    assert_eq!(cached(), 1);
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(second.stdout, third.stdout);
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
    fs::remove_dir_all(dir).unwrap();
}
