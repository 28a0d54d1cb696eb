//! The trust material: the PEM files and directories of `--trust`,
//! `--certs` and `--crl` (and the config file), read into the options JSON
//! of `docs/abi.md`, one entry per PEM block, each remembered by where it
//! came from so that an entry the verifier rejects is named by its file.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::cli::VerifyArgs;
use crate::config::Config;
use crate::inputs::{io_text, read_capped};
use crate::{MAX_INPUT_BYTES, MAX_PACKAGE_BYTES};

/// Splits a PEM text into the blocks of a label, each block's DER as
/// base64: the module's own PEM reader ([`crate::module::Runner::pem_blocks`]),
/// so that PEM is read by one piece of code, the core's. `Err`: the
/// module's message (`PEM block CERTIFICATE has no END line`).
pub type Split<'a> = &'a dyn Fn(&str, &str) -> Result<Vec<String>, String>;

/// The trust material: PEM blocks, one options entry each (the block's
/// DER as base64), and where each came from.
pub struct Trust {
    /// (options field, PEM blocks, the file and block of each).
    fields: Vec<(&'static str, Vec<String>, Vec<String>)>,
}

impl Trust {
    /// Reads every PEM file and directory, the config file's first; an
    /// error names the file.
    pub fn read(config: &Config, args: &VerifyArgs, split: Split<'_>) -> Result<Trust, String> {
        let mut fields = Vec::new();
        for (field, from_config, from_args, label) in [
            ("trustAnchors", &config.trust, &args.trust, "CERTIFICATE"),
            ("certificates", &config.certs, &args.certs, "CERTIFICATE"),
            ("crls", &config.crl, &args.crl, "X509 CRL"),
        ] {
            let paths: Vec<PathBuf> = from_config.iter().chain(from_args).cloned().collect();
            let (blocks, origins) = read_pem_paths(&paths, label, split)?.into_iter().unzip();
            fields.push((field, blocks, origins));
        }
        Ok(Trust { fields })
    }

    /// The options JSON of `docs/abi.md`.
    pub fn options_json(&self, now: i64) -> String {
        let mut options = serde_json::Map::new();
        for (field, blocks, _) in &self.fields {
            options.insert((*field).into(), json!(blocks));
        }
        options.insert("now".into(), json!(now));
        options.insert(
            "limits".into(),
            json!({ "maxInputBytes": MAX_INPUT_BYTES, "maxPackageBytes": MAX_PACKAGE_BYTES }),
        );
        Value::Object(options).to_string()
    }

    /// Where entry `index` of the options field `field` came from: its
    /// file (and block), if it is one of ours.
    pub fn origin(&self, field: &str, index: usize) -> Option<&str> {
        let (_, _, origins) = self.fields.iter().find(|(f, _, _)| *f == field)?;
        origins.get(index).map(String::as_str)
    }

    /// The verifier's message about entry `index` of `field`, with the
    /// entry's file (and block) in place of the `field[index]` the message
    /// begins with (`docs/abi.md`): `r.pem (PEM block 2 of 2) is not a
    /// usable certificate`. A message with no place, or a place that is
    /// not one of ours, stays as it is.
    pub fn name_entry(&self, field: Option<&str>, index: Option<usize>, message: &str) -> String {
        let (Some(field), Some(index)) = (field, index) else {
            return message.to_string();
        };
        let Some(origin) = self.origin(field, index) else {
            return message.to_string();
        };
        match message.strip_prefix(&format!("{field}[{index}]")) {
            Some(rest) => format!("{origin}{rest}"),
            None => format!("{origin}: {message}"),
        }
    }
}

/// Largest PEM file accepted: a bundle of thousands of certificates fits.
const MAX_PEM_BYTES: u64 = 64 << 20;

/// The PEM blocks labelled `label` (each as its DER in base64) of
/// the files and directories given, in order, each with where it came from
/// (`file` or `file (PEM block n of m)`).
///
/// A file must hold at least one such block. A directory stands for the
/// regular files below it (recursively, in path order); there, files
/// without a block of the label (a CRL among certificates, a README) are
/// skipped, but the directory as a whole must give at least one.
pub fn read_pem_paths(
    paths: &[PathBuf],
    label: &str,
    split: Split<'_>,
) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for path in paths {
        let meta =
            fs::metadata(path).map_err(|e| format!("{}: {}", path.display(), io_text(&e)))?;
        let found: Vec<(PathBuf, Vec<String>)> = if meta.is_dir() {
            let mut files = Vec::new();
            pem_walk(path, &mut files)?;
            let mut found = Vec::new();
            for file in files {
                match read_pem(&file, label, split) {
                    Ok(blocks) => found.push((file, blocks)),
                    Err(PemError::NoBlock(_)) => {}
                    Err(PemError::Bad(e)) => return Err(e),
                }
            }
            if found.is_empty() {
                return Err(format!(
                    "{}: no file in this directory holds a PEM block labelled {label}",
                    path.display()
                ));
            }
            found
        } else {
            match read_pem(path, label, split) {
                Ok(blocks) => vec![(path.clone(), blocks)],
                Err(PemError::NoBlock(e) | PemError::Bad(e)) => return Err(e),
            }
        };
        for (file, blocks) in found {
            let total = blocks.len();
            for (n, block) in blocks.into_iter().enumerate() {
                let origin = if total == 1 {
                    file.display().to_string()
                } else {
                    format!("{} (PEM block {} of {total})", file.display(), n + 1)
                };
                out.push((block, origin));
            }
        }
    }
    Ok(out)
}

fn pem_walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {}", dir.display(), io_text(&e)))?;
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {}", dir.display(), io_text(&e)))?;
        found.push(entry.path());
    }
    found.sort();
    for path in found {
        let link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        match fs::metadata(&path) {
            Ok(m) if m.is_dir() && !link => pem_walk(&path, out)?,
            Ok(m) if m.is_file() => out.push(path),
            Ok(_) => {}
            Err(e) => return Err(format!("{}: {}", path.display(), io_text(&e))),
        }
    }
    Ok(())
}

/// Why a PEM file gave no block.
#[derive(Debug)]
pub enum PemError {
    /// Readable, but no block of the label (or not text at all).
    NoBlock(String),
    /// Unreadable, too large, or a block cut short.
    Bad(String),
}

/// Reads a PEM file and returns its blocks labelled `label` (each as its
/// DER in base64, split by `split`), in file order. Blocks of other labels (a private
/// key left in a bundle) are skipped; a file with no block of the label, or
/// with a block cut short, is an error naming the file.
pub fn read_pem(path: &Path, label: &str, split: Split<'_>) -> Result<Vec<String>, PemError> {
    let name = path.display();
    let meta = fs::metadata(path).map_err(|e| PemError::Bad(format!("{name}: {}", io_text(&e))))?;
    if meta.is_dir() {
        return Err(PemError::Bad(format!(
            "{name}: is a directory, not a PEM file"
        )));
    }
    let bytes = read_capped(path, MAX_PEM_BYTES + 1).map_err(PemError::Bad)?;
    if bytes.len() as u64 > MAX_PEM_BYTES {
        return Err(PemError::Bad(format!(
            "{name}: larger than {MAX_PEM_BYTES} bytes"
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| PemError::NoBlock(format!("{name}: not a PEM text file (not UTF-8)")))?;
    let blocks = split(&text, label).map_err(|e| PemError::Bad(format!("{name}: {e}")))?;
    if blocks.is_empty() {
        return Err(PemError::NoBlock(format!(
            "{name}: holds no PEM block labelled {label}"
        )));
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_entries_are_named_by_file_and_block() {
        let trust = Trust {
            fields: vec![
                (
                    "trustAnchors",
                    vec![],
                    vec![
                        "r.pem (PEM block 1 of 2)".into(),
                        "r.pem (PEM block 2 of 2)".into(),
                    ],
                ),
                ("certificates", vec![], vec![]),
                ("crls", vec![], vec!["c.pem".into()]),
            ],
        };
        assert_eq!(
            trust.name_entry(
                Some("trustAnchors"),
                Some(1),
                "trustAnchors[1] is not a usable certificate: 票"
            ),
            "r.pem (PEM block 2 of 2) is not a usable certificate: 票"
        );
        assert_eq!(
            trust.name_entry(Some("crls"), Some(0), "crls[0]: bad"),
            "c.pem: bad"
        );
        // Unknown indices and places stay as they are.
        for (field, index) in [
            (Some("trustAnchors"), Some(7)),
            (Some("crls"), None),
            (None, Some(0)),
            (Some("certificates"), Some(0)),
        ] {
            assert_eq!(
                trust.name_entry(field, index, "trustAnchors[7] crls[x]"),
                "trustAnchors[7] crls[x]"
            );
        }
        let json: Value = serde_json::from_str(&trust.options_json(5)).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["trustAnchors", "certificates", "crls", "now", "limits"]
        );
        assert_eq!(json["limits"]["maxInputBytes"], MAX_INPUT_BYTES);
        assert_eq!(json["limits"]["maxPackageBytes"], MAX_PACKAGE_BYTES);
    }

    #[test]
    fn pem_files_are_checked() {
        let dir = scratch("pem");
        let good = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n";
        fs::write(dir.join("good.pem"), good).unwrap();
        fs::write(dir.join("crl.pem"), good.replace("CERTIFICATE", "X509 CRL")).unwrap();
        fs::write(dir.join("cut.pem"), "-----BEGIN CERTIFICATE-----\nAQID\n").unwrap();
        fs::write(dir.join("bin.pem"), [0xff, 0xfe]).unwrap();
        let read = |f: &str, label: &str| read_pem(&dir.join(f), label, &split);
        assert_eq!(read("good.pem", "CERTIFICATE").unwrap(), ["AQID"]);
        assert_eq!(read("crl.pem", "X509 CRL").unwrap().len(), 1);
        let key = "-----BEGIN PRIVATE KEY-----\nBAU=\n-----END PRIVATE KEY-----\n";
        fs::write(
            dir.join("bundle.pem"),
            format!("# two\n{good}{key}\n{good}"),
        )
        .unwrap();
        assert_eq!(read("bundle.pem", "CERTIFICATE").unwrap(), ["AQID", "AQID"]);
        let text = |r: Result<Vec<String>, PemError>| match r.unwrap_err() {
            PemError::NoBlock(e) | PemError::Bad(e) => e,
        };
        let err = text(read("crl.pem", "CERTIFICATE"));
        assert!(
            err.contains("crl.pem: holds no PEM block labelled CERTIFICATE"),
            "{err}"
        );
        let err = text(read("cut.pem", "CERTIFICATE"));
        assert!(
            err.contains("cut.pem: PEM block CERTIFICATE has no END line"),
            "{err}"
        );
        let err = text(read("bin.pem", "CERTIFICATE"));
        assert!(err.contains("bin.pem: not a PEM text file"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn pem_directories_take_the_blocks_of_their_label() {
        let dir = scratch("pemdir");
        let cert = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n";
        let crl = cert.replace("CERTIFICATE", "X509 CRL");
        fs::create_dir_all(dir.join("t/sub")).unwrap();
        fs::write(dir.join("t/b.pem"), format!("{cert}{cert}")).unwrap();
        fs::write(dir.join("t/a.pem"), cert).unwrap();
        fs::write(dir.join("t/crls.pem"), &crl).unwrap();
        fs::write(dir.join("t/README"), "notes").unwrap();
        fs::write(dir.join("t/sub/c.crt"), cert).unwrap();
        let got = read_pem_paths(&[dir.join("t")], "CERTIFICATE", &split).unwrap();
        let origins: Vec<String> = got
            .iter()
            .map(|(_, o)| o.replace(&format!("{}/", dir.display()), ""))
            .collect();
        assert_eq!(
            origins,
            [
                "t/a.pem",
                "t/b.pem (PEM block 1 of 2)",
                "t/b.pem (PEM block 2 of 2)",
                "t/sub/c.crt"
            ]
        );
        assert_eq!(
            read_pem_paths(&[dir.join("t")], "X509 CRL", &split)
                .unwrap()
                .len(),
            1
        );
        let err = read_pem_paths(&[dir.join("t/sub")], "X509 CRL", &split).unwrap_err();
        assert!(err.contains("no file in this directory"), "{err}");
        fs::write(dir.join("t/sub/cut.pem"), "-----BEGIN CERTIFICATE-----\n").unwrap();
        let err = read_pem_paths(&[dir.join("t")], "CERTIFICATE", &split).unwrap_err();
        assert!(err.contains("cut.pem"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }

    /// The embedded module's PEM reader, compiled once for these tests.
    fn split(text: &str, label: &str) -> Result<Vec<String>, String> {
        use crate::module::{Limits, Runner};
        static RUNNER: std::sync::OnceLock<Runner> = std::sync::OnceLock::new();
        RUNNER
            .get_or_init(|| Runner::new(crate::MODULE, Limits::default()).unwrap())
            .pem_blocks(text, label)
    }

    #[test]
    fn a_bad_block_is_named_by_its_file() {
        let dir = scratch("garbled");
        let bad = "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n";
        fs::write(dir.join("garbled.pem"), bad).unwrap();
        let err = match read_pem(&dir.join("garbled.pem"), "CERTIFICATE", &split) {
            Err(PemError::Bad(e)) => e,
            other => panic!("{other:?}"),
        };
        assert!(
            err.contains("garbled.pem: PEM block CERTIFICATE: not PEM and not base64 DER"),
            "{err}"
        );
        // A bad block of another label is skipped, as the options skip it.
        let key = "-----BEGIN PRIVATE KEY-----\n!!\n-----END PRIVATE KEY-----\n";
        let good = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n";
        fs::write(dir.join("bundle.pem"), format!("{key}{good}")).unwrap();
        let got = read_pem(&dir.join("bundle.pem"), "CERTIFICATE", &split).unwrap();
        assert_eq!(got, ["AQID"]);
        fs::remove_dir_all(dir).unwrap();
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("piaoyan-trust-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }
}
