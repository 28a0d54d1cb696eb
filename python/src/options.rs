//! The options of a verifier: the trust material (PEM files, directories
//! or PEM text) and `now`, read into the options JSON of `docs/abi.md`
//! exactly as `piaoyan verify` writes it (host-cli/src/trust.rs).

use std::path::PathBuf;

use piaoyan_cli::module::Runner;
use piaoyan_cli::trust::read_pem_paths;
use piaoyan_cli::{MAX_INPUT_BYTES, MAX_PACKAGE_BYTES};
use serde_json::{Value, json};

/// One piece of trust material as given: a file or directory, or PEM text.
pub enum Source {
    Path(PathBuf),
    Pem(Vec<u8>),
}

/// The three kinds of trust material, in the options' order.
pub struct TrustSources {
    pub trust: Vec<Source>,
    pub certs: Vec<Source>,
    pub crls: Vec<Source>,
}

/// The options JSON: one entry per PEM block (its DER in base64), split by
/// the module's own PEM reader as the CLI does. An `Err` names the file.
pub fn options_json(runner: &Runner, sources: &TrustSources, now: i64) -> Result<String, String> {
    let split = |text: &str, label: &str| runner.pem_blocks(text, label);
    let mut options = serde_json::Map::new();
    for (field, given, label) in [
        ("trustAnchors", &sources.trust, "CERTIFICATE"),
        ("certificates", &sources.certs, "CERTIFICATE"),
        ("crls", &sources.crls, "X509 CRL"),
    ] {
        let mut blocks: Vec<String> = Vec::new();
        for (n, source) in given.iter().enumerate() {
            match source {
                Source::Path(path) => {
                    let read = read_pem_paths(std::slice::from_ref(path), label, &split)?;
                    blocks.extend(read.into_iter().map(|(block, _origin)| block));
                }
                Source::Pem(bytes) => {
                    let text = std::str::from_utf8(bytes)
                        .map_err(|_| format!("{field} PEM text {n} is not UTF-8"))?;
                    let found =
                        split(text, label).map_err(|e| format!("{field} PEM text {n}: {e}"))?;
                    if found.is_empty() {
                        return Err(format!(
                            "{field} PEM text {n} holds no PEM block labelled {label}"
                        ));
                    }
                    blocks.extend(found);
                }
            }
        }
        options.insert(field.into(), json!(blocks));
    }
    options.insert("now".into(), json!(now));
    options.insert(
        "limits".into(),
        json!({ "maxInputBytes": MAX_INPUT_BYTES, "maxPackageBytes": MAX_PACKAGE_BYTES }),
    );
    Ok(Value::Object(options).to_string())
}
