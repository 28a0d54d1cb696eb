//! The `piaoyan` binary, run as a user would, and the module it embeds.
//!
//! Tests marked "needs the core's pipeline" compare real verdicts with
//! `shared/vectors/bills/manifest.json`; the others hold whatever the
//! verifier answers.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use sha2::{Digest, Sha256};

const BIN: &str = env!("CARGO_BIN_EXE_piaoyan");
/// The module `build.rs` built and the binary embeds.
const MODULE: &str = concat!(env!("OUT_DIR"), "/piaoyan_wasm.wasm");

/// `shared/vectors/bills`, beside the repository.
fn vectors() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/bills");
    fs::canonicalize(&path).unwrap_or(path)
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run piaoyan")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("piaoyan-cli-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn jsonl(o: &Output) -> Vec<serde_json::Map<String, Value>> {
    stdout(o)
        .lines()
        .map(|line| match serde_json::from_str(line) {
            Ok(Value::Object(m)) => m,
            other => panic!("not a JSON object line: {line}: {other:?}"),
        })
        .collect()
}

fn trust_args() -> Vec<String> {
    let t = vectors().join("trust");
    let s = |f: &str| t.join(f).to_string_lossy().into_owned();
    vec![
        "--trust".into(),
        s("roots.pem"),
        "--certs".into(),
        s("intermediates.pem"),
        "--crl".into(),
        s("crls.pem"),
    ]
}

// ---------------------------------------------------------------------------
// The module and --version: pass whatever the core does.

#[test]
fn version_shows_sha256_of_the_embedded_module() {
    let o = run(&["--version"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let prefix = format!("piaoyan {} (module sha256 ", env!("CARGO_PKG_VERSION"));
    let hex = text
        .trim_end()
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("unexpected --version output: {text:?}"));
    assert_eq!(hex.len(), 64, "{hex}");
    assert!(
        hex.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    let module = fs::read(MODULE).unwrap();
    let expected: String = Sha256::digest(&module)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(hex, expected);
    // -V says the same.
    assert_eq!(stdout(&run(&["-V"])), text);
}

/// The module every import of the verifier comes from: the wasm-bindgen
/// glue of its JavaScript API. The C-style ABI never calls an import.
const GLUE_MODULE: &str = "./piaoyan_wasm_bg.js";

/// An instance of the embedded module with every import (the JavaScript
/// glue's functions) defined as a trap, as `piaoyan` links it.
fn instance_with_trapping_imports() -> (wasmtime::Store<()>, wasmtime::Instance) {
    use wasmtime::{Engine, Linker, Module, Store};
    let engine = Engine::default();
    let module = Module::from_file(&engine, MODULE).unwrap();
    let mut linker: Linker<()> = Linker::new(&engine);
    linker.define_unknown_imports_as_traps(&module).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

#[test]
fn module_imports_only_glue_functions_and_exports_the_abi() {
    use wasmtime::{Engine, ExternType, Module, ValType};
    let engine = Engine::default();
    let module = Module::from_file(&engine, MODULE).unwrap();
    let imports: Vec<_> = module.imports().collect();
    // Today the JavaScript API passes only bytes and strings, so its glue
    // needs no import at all; should one come back, it must be the glue's.
    for import in &imports {
        assert_eq!(
            import.module(),
            GLUE_MODULE,
            "{}::{} is not from the wasm-bindgen glue",
            import.module(),
            import.name()
        );
        assert!(
            matches!(import.ty(), ExternType::Func(_)),
            "{} is not a function",
            import.name()
        );
    }
    let sig = |name: &str| -> (Vec<String>, Vec<String>) {
        let export = module
            .get_export(name)
            .unwrap_or_else(|| panic!("no export {name}"));
        let ExternType::Func(f) = export else {
            panic!("{name} is not a function")
        };
        let names = |ts: &mut dyn Iterator<Item = ValType>| ts.map(|t| t.to_string()).collect();
        (names(&mut f.params()), names(&mut f.results()))
    };
    let v = |s: &[&str]| s.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    assert_eq!(sig("piaoyan_abi_version"), (v(&[]), v(&["i32"])));
    assert_eq!(sig("piaoyan_version"), (v(&[]), v(&["i64"])));
    assert_eq!(sig("piaoyan_alloc"), (v(&["i32"]), v(&["i32"])));
    assert_eq!(sig("piaoyan_free"), (v(&["i32", "i32"]), v(&[])));
    assert_eq!(
        sig("piaoyan_verify"),
        (v(&["i32", "i32", "i32", "i32"]), v(&["i64"]))
    );
    assert!(matches!(
        module.get_export("memory"),
        Some(ExternType::Memory(_))
    ));
}

#[test]
fn module_verifies_a_bill_with_every_import_trapping() {
    let (mut store, instance) = instance_with_trapping_imports();
    let memory = instance.get_memory(&mut store, "memory").unwrap();
    let alloc = instance
        .get_typed_func::<u32, u32>(&mut store, "piaoyan_alloc")
        .unwrap();
    let verify = instance
        .get_typed_func::<(u32, u32, u32, u32), u64>(&mut store, "piaoyan_verify")
        .unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples");
    let pem = |f: &str| fs::read_to_string(samples.join("trust").join(f)).unwrap();
    let options = serde_json::json!({
        "trustAnchors": [pem("roots.pem")],
        "certificates": [pem("intermediates.pem")],
        "crls": [pem("crls.pem")],
    })
    .to_string();
    let bill = fs::read(samples.join("bills/01-hospital-valid.xml")).unwrap();
    let put = |store: &mut wasmtime::Store<()>, bytes: &[u8]| {
        let p = alloc.call(&mut *store, bytes.len() as u32).unwrap();
        memory.write(&mut *store, p as usize, bytes).unwrap();
        (p, bytes.len() as u32)
    };
    let (bp, bl) = put(&mut store, &bill);
    let (op, ol) = put(&mut store, options.as_bytes());
    let packed = verify.call(&mut store, (bp, bl, op, ol)).unwrap();
    let (rp, rl) = ((packed >> 32) as usize, (packed & 0xffff_ffff) as usize);
    let result: Value = serde_json::from_slice(&memory.data(&store)[rp..rp + rl]).unwrap();
    assert_eq!(result["report"]["verdict"], "VALID", "{result}");
}

#[test]
fn module_answers_bad_options_with_an_error_envelope() {
    let (mut store, instance) = instance_with_trapping_imports();
    let memory = instance.get_memory(&mut store, "memory").unwrap();
    let abi = instance
        .get_typed_func::<(), u32>(&mut store, "piaoyan_abi_version")
        .unwrap();
    assert_eq!(abi.call(&mut store, ()).unwrap(), 1);
    let version = instance
        .get_typed_func::<(), u64>(&mut store, "piaoyan_version")
        .unwrap();
    let packed = version.call(&mut store, ()).unwrap();
    let (p, n) = ((packed >> 32) as usize, (packed & 0xffff_ffff) as usize);
    assert_eq!(
        &memory.data(&store)[p..p + n],
        env!("CARGO_PKG_VERSION").as_bytes()
    );

    let alloc = instance
        .get_typed_func::<u32, u32>(&mut store, "piaoyan_alloc")
        .unwrap();
    let free = instance
        .get_typed_func::<(u32, u32), ()>(&mut store, "piaoyan_free")
        .unwrap();
    let verify = instance
        .get_typed_func::<(u32, u32, u32, u32), u64>(&mut store, "piaoyan_verify")
        .unwrap();
    let opts = br#"{"trustAnchors":[42]}"#;
    let op = alloc.call(&mut store, opts.len() as u32).unwrap();
    assert_ne!(op, 0);
    memory.write(&mut store, op as usize, opts).unwrap();
    let zero = alloc.call(&mut store, 0).unwrap();
    assert_ne!(zero, 0, "alloc(0) gives a real pointer");
    let packed = verify
        .call(&mut store, (zero, 0, op, opts.len() as u32))
        .unwrap();
    let (rp, rl) = ((packed >> 32) as u32, packed as u32);
    let result = memory.data(&store)[rp as usize..(rp + rl) as usize].to_vec();
    let result: Value = serde_json::from_slice(&result).unwrap();
    assert_eq!(result["error"]["code"], "OPTIONS_JSON", "{result}");
    assert_eq!(result.as_object().unwrap().len(), 1);
    free.call(&mut store, (rp, rl)).unwrap();
    free.call(&mut store, (op, opts.len() as u32)).unwrap();
    free.call(&mut store, (zero, 0)).unwrap();

    // A null pointer with a length is refused, not read.
    let packed = verify.call(&mut store, (0, 5, 0, 0)).unwrap();
    let (rp, rl) = ((packed >> 32) as usize, (packed & 0xffff_ffff) as usize);
    let result: Value = serde_json::from_slice(&memory.data(&store)[rp..rp + rl]).unwrap();
    assert_eq!(result["error"]["code"], "ABI_BAD_POINTER", "{result}");
}

// ---------------------------------------------------------------------------
// Usage and I/O errors: exit 2, naming the file. Pass whatever the core does.

#[test]
fn missing_input_exits_2_naming_it() {
    let o = run(&["verify", "/nonexistent/bill-x.xml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/nonexistent/bill-x.xml"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn no_path_and_bad_flags_exit_2() {
    assert_eq!(run(&["verify"]).status.code(), Some(2));
    assert_eq!(run(&[]).status.code(), Some(2));
    let bill = vectors().join("bill-0001.xml");
    let bill = bill.to_str().unwrap();
    assert_eq!(
        run(&["verify", "--format", "xml", bill]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["verify", "--lang", "fr", bill]).status.code(),
        Some(2)
    );
}

#[test]
fn bad_pem_files_exit_2_naming_them() {
    let dir = scratch("pem");
    let bill = vectors().join("bill-0001.xml");
    let bill = bill.to_str().unwrap();

    let missing = dir.join("missing.pem");
    let o = run(&["verify", "--trust", missing.to_str().unwrap(), bill]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.pem"), "{}", stderr(&o));

    let empty = dir.join("empty.pem");
    fs::write(&empty, "no pem here\n").unwrap();
    let o = run(&["verify", "--certs", empty.to_str().unwrap(), bill]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("empty.pem"), "{}", stderr(&o));

    // A CRL file given as trust anchors: no CERTIFICATE block.
    let crls = vectors().join("trust/crls.pem");
    let o = run(&["verify", "--trust", crls.to_str().unwrap(), bill]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("crls.pem"), "{}", stderr(&o));

    // Well-formed armour around a body that is not base64: the verifier
    // rejects it, and the CLI names the file, not `trustAnchors[1]`.
    let roots = vectors().join("trust/roots.pem");
    let garbled = dir.join("garbled.pem");
    fs::write(
        &garbled,
        "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let o = run(&[
        "verify",
        "--trust",
        roots.to_str().unwrap(),
        "--trust",
        garbled.to_str().unwrap(),
        bill,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("garbled.pem"), "{err}");
    assert!(!err.contains("trustAnchors["), "{err}");
    assert!(o.stdout.is_empty(), "options are checked before any record");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn empty_directory_exits_2() {
    let dir = scratch("emptydir");
    let o = run(&["verify", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(dir.to_str().unwrap()), "{}", stderr(&o));
    fs::remove_dir_all(dir).unwrap();
}

// ---------------------------------------------------------------------------
// Records: hold for error records and reports alike.

#[test]
fn directory_expands_recursively_in_path_order() {
    let dir = scratch("tree");
    fs::create_dir_all(dir.join("b/deeper")).unwrap();
    let src = vectors();
    for (from, to) in [
        ("bill-0001.xml", "z.xml"),
        ("bill-0002.xml", "b/deeper/x.xml"),
        ("bill-0003.xml", "a.xml"),
        ("bill-0004.xml", "b/m.xml"),
    ] {
        fs::copy(src.join(from), dir.join(to)).unwrap();
    }
    let o = run(&["verify", "--format", "jsonl", dir.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    let files: Vec<String> = jsonl(&o)
        .iter()
        .map(|r| r["file"].as_str().unwrap().to_string())
        .collect();
    let want: Vec<String> = ["a.xml", "b/deeper/x.xml", "b/m.xml", "z.xml"]
        .iter()
        .map(|f| dir.join(f).to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, want);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn jsonl_records_start_with_file_verdict_subindication() {
    let b = vectors();
    let files = ["bill-0001.xml", "bill-0004.xml"].map(|f| b.join(f));
    let mut args = vec!["verify".to_string(), "--format".into(), "jsonl".into()];
    args.extend(trust_args());
    args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    let o = Command::new(BIN).args(&args).output().unwrap();
    let records = jsonl(&o);
    assert_eq!(records.len(), 2, "{}", stderr(&o));
    for (record, file) in records.iter().zip(&files) {
        let keys: Vec<&str> = record.keys().map(String::as_str).collect();
        assert_eq!(keys[..3], ["file", "verdict", "subIndication"], "{keys:?}");
        assert_eq!(record["file"], file.to_string_lossy().as_ref());
        if record["verdict"].is_null() {
            assert_eq!(keys[3..], ["error"], "error record: {keys:?}");
        }
    }
    // The same records, as one array.
    let mut args_json = args.clone();
    args_json[2] = "json".into();
    let o2 = Command::new(BIN).args(&args_json).output().unwrap();
    let array: Value = serde_json::from_slice(&o2.stdout).unwrap();
    let array: Vec<Value> = array.as_array().unwrap().clone();
    let same: Vec<Value> = records.iter().cloned().map(Value::Object).collect();
    assert_eq!(array, same, "json and jsonl hold the same records");
    assert_eq!(o.status.code(), o2.status.code());
    // A report's fields are written through as the module wrote them: each
    // line is what serde_json writes for the record.
    for line in String::from_utf8(o.stdout).unwrap().lines() {
        let value: Value = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), line);
    }
}

#[test]
fn dangling_link_exits_2_naming_it() {
    let dir = scratch("dangling");
    let bill = vectors().join("bill-0001.xml");
    let dangling = dir.join("gone.xml");
    std::os::unix::fs::symlink(dir.join("nothing-here"), &dangling).unwrap();
    let o = run(&["verify", bill.to_str().unwrap(), dangling.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("gone.xml"), "{}", stderr(&o));
    assert!(
        o.stdout.is_empty(),
        "paths are checked before any bill is verified"
    );
    fs::remove_dir_all(dir).unwrap();
}

// ---------------------------------------------------------------------------
// Needs the core's pipeline: real verdicts of shared/vectors/bills.

/// Every vector, verified in one run through the embedded wasm module, gets
/// the manifest's verdict, sub-indication and warning codes; every report part matches
/// the JSON Schema; the run exits 1 (some bills are not VALID).
#[test]
fn vectors_get_their_manifest_verdicts() {
    use piaoyan_tests::vectors;
    let entries = vectors::manifest();
    let schema = vectors::report_schema();
    let mut args = vec!["verify".to_string(), "--format".into(), "jsonl".into()];
    args.extend(trust_args());
    args.extend(
        entries
            .iter()
            .map(|e| vectors().join(&e.file).to_string_lossy().into_owned()),
    );
    let o = Command::new(BIN).args(&args).output().unwrap();
    let records = jsonl(&o);
    assert_eq!(records.len(), entries.len(), "{}", stderr(&o));
    let mut wrong = Vec::new();
    for (entry, record) in entries.iter().zip(&records) {
        let path = PathBuf::from(record["file"].as_str().unwrap());
        assert_eq!(
            path.file_name().unwrap().to_string_lossy(),
            entry.file,
            "input order kept"
        );
        // Report records carry the report's own fields after the first three.
        let keys: Vec<&str> = record.keys().map(String::as_str).collect();
        assert_eq!(keys[..3], ["file", "verdict", "subIndication"]);
        let mut report = record.clone();
        report.remove("file");
        report.remove("duplicateOf"); // the CLI's, not the report's
        let report = serde_json::Value::Object(report);
        for p in vectors::compare(entry, &report) {
            wrong.push(format!("{}: {p}", entry.file));
        }
        for e in vectors::schema_errors(&schema, &report) {
            wrong.push(format!("{}: schema: {e}", entry.file));
        }
    }
    println!(
        "{} vector bills checked through wasmtime, {} mismatches",
        records.len(),
        wrong.len()
    );
    assert!(
        wrong.is_empty(),
        "{} of {} wrong:\n{}",
        wrong.len(),
        records.len(),
        wrong.join("\n")
    );
    assert_eq!(o.status.code(), Some(1));
}

/// Only VALID bills: exit 0; the table (every cell whole with `--wide`)
/// shows the amount and the bill key.
#[test]
fn valid_bills_exit_0_and_table_shows_them() {
    let valid: Vec<String> = piaoyan_tests::vectors::manifest()
        .into_iter()
        .filter(|e| e.expect.verdict == "VALID")
        .take(5)
        .map(|e| vectors().join(e.file).to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["verify".to_string(), "--wide".to_string()];
    args.extend(trust_args());
    args.extend(valid.iter().cloned());
    let o = Command::new(BIN)
        .args(&args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let table = stdout(&o);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("FILE") && lines[0].contains("AMOUNT"));
    for (line, file) in lines[1..].iter().zip(&valid) {
        assert!(line.starts_with(file.as_str()), "{line}");
        assert!(line.contains(" VALID "), "{line}");
        let amount = line.split_whitespace().last().unwrap();
        assert!(
            amount.parse::<f64>().is_ok(),
            "amount column: {amount:?} in {line}"
        );
    }
    assert_eq!(lines.len(), valid.len() + 1, "heading and one row per bill");
    // The counts go to standard error, in the summary.
    let summary = stderr(&o);
    let n = valid.len().to_string();
    assert!(
        summary.contains(&format!("piaoyan: {n} records"))
            && summary
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["VALID", n.as_str()]),
        "{summary}"
    );

    let mut zh = args.clone();
    zh.insert(1, "--lang".into());
    zh.insert(2, "zh".into());
    let o = Command::new(BIN).args(&zh).output().unwrap();
    assert!(stdout(&o).starts_with("文件"), "{}", stdout(&o));
}

/// Without trust material no chain can be built: not VALID, exit 1.
#[test]
fn no_trust_means_not_valid() {
    let bill = vectors().join("bill-0001.xml");
    let o = run(&["verify", "--format", "jsonl", bill.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let records = jsonl(&o);
    let verdict = records[0]["verdict"].as_str();
    assert!(
        matches!(verdict, Some("INDETERMINATE" | "INVALID")),
        "{:?}",
        records[0]
    );
}

/// A file past the 4 MiB bound is INVALID / FORMAT_FAILURE (spec §8).
#[test]
fn oversized_input_is_a_format_failure() {
    let dir = scratch("big");
    let big = dir.join("big.xml");
    let mut bytes = fs::read(vectors().join("bill-0001.xml")).unwrap();
    bytes.resize(5 * 1024 * 1024, b' ');
    fs::write(&big, bytes).unwrap();
    let o = run(&["verify", "--format", "jsonl", big.to_str().unwrap()]);
    let records = jsonl(&o);
    assert_eq!(records[0]["verdict"], "INVALID", "{:?}", records[0]);
    assert_eq!(records[0]["subIndication"], "FORMAT_FAILURE");
    assert_eq!(o.status.code(), Some(1));
    fs::remove_dir_all(dir).unwrap();
}

// ---------------------------------------------------------------------------
// Demo trust (issue 12, item 6): a verdict that rests on the project's demo
// anchors, whose keys anyone can derive, is never shown as a plain VALID.

fn samples_args(format: &str, lang: &str) -> Vec<String> {
    samples_args_for(format, lang, "bills/01-hospital-valid.xml")
}

fn samples_args_for(format: &str, lang: &str, bill: &str) -> Vec<String> {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples");
    let s = |f: &str| samples.join(f).to_string_lossy().into_owned();
    vec![
        "verify".into(),
        "--no-config".into(),
        "--now".into(),
        "1780272000".into(),
        "--trust".into(),
        s("trust/roots.pem"),
        "--certs".into(),
        s("trust/intermediates.pem"),
        "--crl".into(),
        s("trust/crls.pem"),
        "--format".into(),
        format.into(),
        "--lang".into(),
        lang.into(),
        s(bill),
    ]
}

fn run_owned(args: &[String]) -> Output {
    Command::new(BIN).args(args).output().expect("run piaoyan")
}

#[test]
fn a_verdict_on_demo_trust_is_marked_demo_in_every_format() {
    let o = run_owned(&samples_args("jsonl", "en"));
    let records = jsonl(&o);
    assert_eq!(records.len(), 1, "{}", stderr(&o));
    assert_eq!(records[0]["verdict"], "VALID");
    assert_eq!(records[0]["demoTrust"], true);
    let summary = stderr(&o);
    let line = format!("{:<14}{:>8}  (DEMO 1)", "VALID", 1);
    assert!(summary.contains(&line), "{summary}");
    assert!(
        summary.contains("total of VALID bills: 0.00 yuan (0 bills")
            && summary.contains("1 VALID record resting on DEMO trust anchors not counted"),
        "{summary}"
    );

    let mut wide = samples_args("table", "en");
    wide.insert(1, "--wide".into());
    let table = stdout(&run_owned(&wide));
    let row = table.lines().nth(1).unwrap_or_default();
    assert!(row.contains("VALID (DEMO)"), "{table}");
    assert!(
        row.contains("DEMO trust anchor: anyone can sign such a bill"),
        "{table}"
    );
    let table = stdout(&run_owned(&samples_args("table", "zh")));
    assert!(table.contains("验证通过（演示）"), "{table}");
    assert!(table.contains("演示信任根"), "{table}");

    // An INVALID verdict stands whatever the anchor: not marked.
    let revoked = stdout(&run_owned(&samples_args_for(
        "table",
        "en",
        "bills/07-revoked-certificate.xml",
    )));
    let row = revoked.lines().nth(1).unwrap_or_default();
    assert!(
        row.contains("INVALID") && !row.contains("DEMO"),
        "{revoked}"
    );

    let csv = stdout(&run_owned(&samples_args("csv", "en")));
    let rows: Vec<&str> = csv.lines().collect();
    assert!(
        rows[0].ends_with(",signatures,demoTrust,seenBefore"),
        "{csv}"
    );
    assert!(rows[1].ends_with(",true,"), "{csv}");
}

#[test]
fn a_verdict_on_other_anchors_is_not_marked_demo() {
    let mut args = vec![
        "verify".to_string(),
        "--no-config".into(),
        "--format".into(),
        "table".into(),
    ];
    args.extend(trust_args());
    args.push(
        vectors()
            .join("bill-0001.xml")
            .to_string_lossy()
            .into_owned(),
    );
    let o = run_owned(&args);
    let table = stdout(&o);
    assert!(!table.contains("DEMO"), "{table}");
    args[3] = "jsonl".into();
    let records = jsonl(&run_owned(&args));
    assert_eq!(records[0]["demoTrust"], false, "{records:?}");
}
