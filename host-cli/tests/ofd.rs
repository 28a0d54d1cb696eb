//! OFD documents in every input form: a file, a directory, a glob pattern,
//! a list on standard input, an entry of a zip archive of bills, a zip that
//! is itself an OFD package; their verdicts are those of the corpus labels
//! (no trust given), one record per input, exit codes as for bills.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::Output;

use common::{s, scratch, zip_file};
use serde_json::{Map, Value};

fn corpus() -> PathBuf {
    common::shared("corpus/ofdrw")
}

fn bills() -> PathBuf {
    common::shared("vectors/bills")
}

/// `(file, verdict without trust, sub-indication)` from labels.json, for
/// the files whose verdict without trust is labelled.
fn labelled() -> Vec<(String, String)> {
    let text = fs::read_to_string(corpus().join("labels.json")).unwrap();
    let labels: Value = serde_json::from_str(&text).unwrap();
    labels["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| {
            Some((
                f["file"].as_str()?.to_string(),
                f["verdictWithoutTrust"].as_str()?.to_string(),
            ))
        })
        .collect()
}

/// The sub-indication owed for some files (the rest: any).
fn expected_sub(file: &str) -> Option<&'static str> {
    match file {
        "converter-zsbk.ofd" => Some("HASH_FAILURE"),
        "reader-helloworld.ofd" => Some("FORMAT_FAILURE"),
        _ => None,
    }
}

/// `piaoyan verify --no-config` at a fixed time.
fn run(args: &[String], stdin: Option<&str>) -> Output {
    let mut all: Vec<String> = ["--no-config", "--now", "1795000000"]
        .map(String::from)
        .to_vec();
    all.extend_from_slice(args);
    common::verify_in(&all, stdin, None)
}

fn jsonl(args: &[String], stdin: Option<&str>) -> (Vec<Map<String, Value>>, Option<i32>) {
    let mut a = vec!["--format".to_string(), "jsonl".to_string()];
    a.extend_from_slice(args);
    let o = run(&a, stdin);
    (common::json_lines(&o), o.status.code())
}

/// Checks one record of a corpus file against its label.
fn check_labelled(record: &Map<String, Value>, file: &str, verdict: &str) {
    let name = record["file"].as_str().unwrap();
    assert!(name.ends_with(file), "{name} is not {file}");
    assert_eq!(record["format"], "ofd", "{name}");
    assert_eq!(record["verdict"], verdict, "{name}: {:?}", record["reason"]);
    if let Some(sub) = expected_sub(file) {
        assert_eq!(record["subIndication"], sub, "{name}");
    }
    assert!(record["document"]["signatures"].is_array(), "{name}");
}

#[test]
fn corpus_files_as_arguments_get_their_labelled_verdicts() {
    let labels = labelled();
    assert!(labels.len() >= 15, "labels.json lists the corpus");
    let paths: Vec<String> = labels.iter().map(|(f, _)| s(&corpus().join(f))).collect();
    let (records, code) = jsonl(&paths, None);
    assert_eq!(records.len(), labels.len());
    for (record, (file, verdict)) in records.iter().zip(&labels) {
        check_labelled(record, file, verdict);
    }
    assert_eq!(code, Some(1), "not every input VALID");
}

/// A directory of documents and a bill, a glob, and the same paths listed
/// on standard input: one record each, in path order.
#[test]
fn directory_glob_and_stdin_list() {
    let dir = scratch("forms");
    let picked = [
        "converter-1.ofd",
        "converter-zsbk.ofd",
        "reader-helloworld.ofd",
    ];
    fs::create_dir(dir.join("sub")).unwrap();
    for f in picked {
        fs::copy(corpus().join(f), dir.join("sub").join(f)).unwrap();
    }
    fs::copy(bills().join("bill-0001.xml"), dir.join("a-bill.xml")).unwrap();
    let labels = labelled();
    let label = |f: &str| labels.iter().find(|(n, _)| n == f).unwrap().1.clone();

    let (records, code) = jsonl(&[s(&dir)], None);
    assert_eq!(records.len(), 4);
    assert_eq!(records[0]["format"], "xml");
    assert_eq!(records[0]["verdict"], "INDETERMINATE");
    for (r, f) in records[1..].iter().zip(picked) {
        check_labelled(r, f, &label(f));
    }
    assert_eq!(code, Some(1));

    let (records, code) = jsonl(&[s(&dir.join("sub/*.ofd"))], None);
    assert_eq!(records.len(), 3);
    for (r, f) in records.iter().zip(picked) {
        check_labelled(r, f, &label(f));
    }
    assert_eq!(code, Some(1));

    let list: String = picked
        .iter()
        .map(|f| format!("{}\n", s(&dir.join("sub").join(f))))
        .collect();
    let (records, code) = jsonl(&["-".to_string()], Some(&list));
    assert_eq!(records.len(), 3);
    for (r, f) in records.iter().zip(picked) {
        check_labelled(r, f, &label(f));
    }
    assert_eq!(code, Some(1));
    fs::remove_dir_all(dir).unwrap();
}

/// A zip archive of bills holding OFD documents and an XML bill: one
/// record per entry, each told apart by content (even under a misleading
/// name). A zip with OFD.xml at its root is one document whatever its name;
/// so is a `.ofd` file; a non-zip `.ofd` gets its own record.
#[test]
fn zip_archives_and_zip_documents() {
    let dir = scratch("zips");
    let ofd = |f: &str| fs::read(corpus().join(f)).unwrap();
    let bill = fs::read(bills().join("bill-0001.xml")).unwrap();
    zip_file(
        &dir.join("bills.zip"),
        &[
            ("2026/bill.xml", &bill),
            ("2026/invoice.ofd", &ofd("converter-1.ofd")),
            ("2026/changed.ofd", &ofd("converter-zsbk.ofd")),
            ("unsigned.dat", &ofd("reader-helloworld.ofd")),
        ],
    );
    fs::write(dir.join("document.zip"), ofd("converter-1.ofd")).unwrap();
    fs::write(dir.join("no-extension"), ofd("converter-zsbk.ofd")).unwrap();
    fs::write(dir.join("not-a-zip.ofd"), b"<?xml version=\"1.0\"?><x/>").unwrap();
    zip_file(&dir.join("odd.ofd"), &[("readme.txt", b"hello")]);

    let (records, code) = jsonl(&[s(&dir)], None);
    let d = s(&dir);
    let files: Vec<&str> = records
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            format!("{d}/bills.zip!/2026/bill.xml"),
            format!("{d}/bills.zip!/2026/invoice.ofd"),
            format!("{d}/bills.zip!/2026/changed.ofd"),
            format!("{d}/bills.zip!/unsigned.dat"),
            format!("{d}/document.zip"),
            format!("{d}/no-extension"),
            format!("{d}/not-a-zip.ofd"),
            format!("{d}/odd.ofd"),
        ]
    );
    assert_eq!(records[0]["format"], "xml");
    assert_eq!(records[0]["billKey"], "44060225-0845945805");
    check_labelled(&records[1], "invoice.ofd", "INDETERMINATE");
    check_labelled(&records[2], "changed.ofd", "INVALID");
    assert_eq!(records[2]["subIndication"], "HASH_FAILURE");
    check_labelled(&records[3], "unsigned.dat", "INVALID");
    assert_eq!(records[3]["subIndication"], "FORMAT_FAILURE");
    check_labelled(&records[4], "document.zip", "INDETERMINATE");
    check_labelled(&records[5], "no-extension", "INVALID");
    assert_eq!(records[5]["subIndication"], "HASH_FAILURE");
    // Not a document at all, each with a record of the verifier's.
    for r in &records[6..] {
        assert_eq!(r["verdict"], "INVALID", "{r:?}");
        assert_eq!(r["subIndication"], "FORMAT_FAILURE", "{r:?}");
        assert!(r.get("error").is_none(), "{r:?}");
    }
    assert_eq!(records[7]["format"], "ofd");
    assert_eq!(code, Some(1));

    // A corrupt .zip still gets an ARCHIVE record and exit status 2.
    fs::write(dir.join("broken.zip"), b"PK\x03\x04 cut short").unwrap();
    let (records, code) = jsonl(
        &[s(&dir.join("broken.zip")), s(&dir.join("document.zip"))],
        None,
    );
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["error"]["code"], "ARCHIVE");
    assert_eq!(records[1]["verdict"], "INDETERMINATE");
    assert_eq!(code, Some(2));
    fs::remove_dir_all(dir).unwrap();
}

/// The table names the seals (every cell whole with `--wide`); CSV stays
/// one row per input with the format and the signatures in the last two
/// columns.
#[test]
fn table_and_csv_show_the_signatures() {
    let paths = [
        s(&corpus().join("converter-zsbk.ofd")),
        s(&corpus().join("reader-helloworld.ofd")),
        s(&bills().join("bill-0001.xml")),
    ];
    let mut a = vec![
        "--format".to_string(),
        "table".to_string(),
        "--wide".to_string(),
        "--lang".to_string(),
        "en".to_string(),
    ];
    a.extend(paths.iter().cloned());
    let o = run(&a, None);
    let table = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert!(
        lines[1].contains("INVALID")
            && lines[1].contains("/Doc_0/Pages/Page_0/Content.xml")
            && lines[1]
                .contains("[OFD, 2 seals: seal \"云南省住房和城乡建设厅\" INVALID HASH_FAILURE;"),
        "{table}"
    );
    assert!(lines[2].contains("[OFD, 0 seals]"), "{table}");
    assert!(!lines[3].contains("[OFD"), "{table}");
    assert_eq!(o.status.code(), Some(1));

    let mut a = vec![
        "--format".to_string(),
        "csv".to_string(),
        "--lang".to_string(),
        "zh".to_string(),
    ];
    a.extend(paths.iter().cloned());
    let o = run(&a, None);
    let text = String::from_utf8(o.stdout).unwrap();
    let rows: Vec<&str> = text.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert_eq!(rows.len(), 4, "{text}");
    assert!(
        rows[0].ends_with(",reason,format,signatures,demoTrust,seenBefore"),
        "{text}"
    );
    assert!(rows[1].contains(",INVALID,HASH_FAILURE,"), "{text}");
    assert!(
        rows[1].contains(
            ",ofd,\"2 个电子印章：电子印章 \"\"云南省住房和城乡建设厅\"\" INVALID HASH_FAILURE;"
        ),
        "{text}"
    );
    assert!(rows[2].ends_with(",ofd,0 个电子印章,false,"), "{text}");
    assert!(rows[3].ends_with(",xml,,false,"), "{text}");
}
