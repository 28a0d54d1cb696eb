//! What the CLI tests share: running `piaoyan verify` as a user would, the
//! shared inputs next to the checkout, scratch directories, JSON lines.

// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Map, Value};

pub mod db;

pub const BIN: &str = env!("CARGO_BIN_EXE_piaoyan");

/// `rel` inside `../shared` (the shared inputs next to the checkout).
pub fn shared(rel: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(rel);
    fs::canonicalize(&path).unwrap_or(path)
}

/// A fresh, empty directory of this test binary and process.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "piaoyan-{}-{}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::canonicalize(&dir).unwrap()
}

/// The repository's sample bills and their demo trust (`samples/`).
pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples")
}

/// `--trust`, `--certs` and `--crl` naming the samples' demo trust.
pub fn demo_trust_args() -> [String; 6] {
    let t = |f: &str| s(&samples().join("trust").join(f));
    [
        "--trust".into(),
        t("roots.pem"),
        "--certs".into(),
        t("intermediates.pem"),
        "--crl".into(),
        t("crls.pem"),
    ]
}

/// The lines of a `piaoyan.toml` that name the samples' demo trust.
pub fn demo_trust_toml() -> String {
    let t = |f: &str| s(&samples().join("trust").join(f));
    format!(
        "trust = {:?}\ncerts = {:?}\ncrl = {:?}\n",
        t("roots.pem"),
        t("intermediates.pem"),
        t("crls.pem")
    )
}

pub fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Runs `piaoyan verify ARGS` in `cwd` (when given), feeding `stdin` (when
/// given).
pub fn verify_in(args: &[String], stdin: Option<&str>, cwd: Option<&Path>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("verify").args(args);
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run piaoyan");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output as JSON lines, each an object.
pub fn json_lines(o: &Output) -> Vec<Map<String, Value>> {
    String::from_utf8(o.stdout.clone())
        .expect("UTF-8")
        .lines()
        .map(|line| match serde_json::from_str(line) {
            Ok(Value::Object(m)) => m,
            other => panic!("not a JSON object line: {line}: {other:?}\n{}", stderr(o)),
        })
        .collect()
}

/// Writes a zip archive of `entries` (deflated) at `path`.
pub fn zip_file(path: &Path, entries: &[(&str, &[u8])]) {
    let mut w = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
}
