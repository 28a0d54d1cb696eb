//! `piaoyan.toml`: trust material and run settings kept in a file.
//!
//! ```toml
//! # Paths are relative to this file's directory.
//! trust = "trust/roots.pem"             # a file or a directory, or a list of them
//! certs = ["trust/intermediates.pem"]
//! crl = ["trust/crls"]
//! jobs = 4                              # optional run settings
//! timeout = 60
//! max-memory = 512
//! lang = "zh"
//! ledger = "ledger.sqlite"              # verdicts and bookings (docs/ledger.md)
//! ```
//!
//! Found as `piaoyan.toml` in the working directory, or given by
//! `--config FILE`; `--no-config` ignores it. Unknown keys are an error, so
//! a misspelt key never silently drops trust material.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The file looked for in the working directory.
pub const FILE_NAME: &str = "piaoyan.toml";

/// Largest config file read.
const MAX_BYTES: u64 = 1 << 20;

/// One path or a list of paths.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Paths {
    One(PathBuf),
    Many(Vec<PathBuf>),
}

impl Paths {
    fn into_vec(self) -> Vec<PathBuf> {
        match self {
            Paths::One(p) => vec![p],
            Paths::Many(v) => v,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    trust: Option<Paths>,
    certs: Option<Paths>,
    crl: Option<Paths>,
    jobs: Option<usize>,
    timeout: Option<u64>,
    max_memory: Option<u64>,
    lang: Option<String>,
    ledger: Option<PathBuf>,
}

/// A config file, its paths made relative to the working directory.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Where it was read from.
    pub source: Option<PathBuf>,
    pub trust: Vec<PathBuf>,
    pub certs: Vec<PathBuf>,
    pub crl: Vec<PathBuf>,
    pub jobs: Option<usize>,
    pub timeout: Option<u64>,
    pub max_memory: Option<u64>,
    pub lang: Option<String>,
    /// The ledger's file.
    pub ledger: Option<PathBuf>,
}

impl Config {
    /// `--config FILE` when given (it must exist), else `piaoyan.toml` in
    /// the working directory when there is one, else nothing.
    pub fn find(explicit: Option<&Path>) -> Result<Config, String> {
        match explicit {
            Some(path) => Config::read(path),
            None => {
                let here = Path::new(FILE_NAME);
                if here.is_file() {
                    Config::read(here)
                } else {
                    Ok(Config::default())
                }
            }
        }
    }

    /// Reads and checks one file; errors name it (and the line, for TOML).
    pub fn read(path: &Path) -> Result<Config, String> {
        let name = path.display();
        let bytes = crate::inputs::read_capped(path, MAX_BYTES + 1)
            .map_err(|e| format!("config file {e}"))?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(format!("config file {name}: larger than {MAX_BYTES} bytes"));
        }
        let text =
            String::from_utf8(bytes).map_err(|_| format!("config file {name}: not UTF-8"))?;
        let raw: Raw = toml::from_str(&text)
            .map_err(|e| format!("config file {name}: {}", e.to_string().trim_end()))?;
        if raw.jobs == Some(0) {
            return Err(format!("config file {name}: jobs must be at least 1"));
        }
        if let Some(lang) = &raw.lang
            && !matches!(lang.as_str(), "en" | "zh")
        {
            return Err(format!(
                "config file {name}: lang must be \"en\" or \"zh\", not {lang:?}"
            ));
        }
        let base = path.parent().unwrap_or(Path::new(""));
        let ledger = raw.ledger.map(|p| {
            if p.is_absolute() || crate::ledger::is_url(&p) {
                p
            } else {
                base.join(p)
            }
        });
        let resolve = |paths: Option<Paths>| -> Vec<PathBuf> {
            paths
                .map(Paths::into_vec)
                .unwrap_or_default()
                .into_iter()
                .map(|p| if p.is_absolute() { p } else { base.join(p) })
                .collect()
        };
        Ok(Config {
            source: Some(path.to_path_buf()),
            trust: resolve(raw.trust),
            certs: resolve(raw.certs),
            crl: resolve(raw.crl),
            jobs: raw.jobs,
            timeout: raw.timeout,
            max_memory: raw.max_memory,
            lang: raw.lang,
            ledger,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("piaoyan-config-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        let dir = scratch("rel");
        let file = dir.join("piaoyan.toml");
        fs::write(
            &file,
            "ledger = \"l.sqlite\"\ntrust = \"t/roots.pem\"\ncerts = [\"a.pem\", \"/abs/b.pem\"]\njobs = 3\nmax-memory = 64\nlang = \"zh\"\n",
        )
        .unwrap();
        let c = Config::read(&file).unwrap();
        assert_eq!(c.trust, [dir.join("t/roots.pem")]);
        assert_eq!(c.certs, [dir.join("a.pem"), PathBuf::from("/abs/b.pem")]);
        assert!(c.crl.is_empty());
        assert_eq!(c.ledger, Some(dir.join("l.sqlite")));
        assert_eq!(c.jobs, Some(3));
        assert_eq!(c.max_memory, Some(64));
        assert_eq!(c.lang.as_deref(), Some("zh"));
        assert_eq!(c.source.as_deref(), Some(file.as_path()));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn mistakes_are_errors_naming_the_file() {
        let dir = scratch("bad");
        let file = dir.join("c.toml");
        for (text, want) in [
            ("trusts = \"x\"\n", "unknown field `trusts`"),
            ("trust = 5\n", "c.toml"),
            ("jobs = 0\n", "jobs must be at least 1"),
            ("lang = \"fr\"\n", "lang must be"),
            ("trust = [\n", "c.toml"),
        ] {
            fs::write(&file, text).unwrap();
            let err = Config::read(&file).unwrap_err();
            assert!(
                err.contains("c.toml") && err.contains(want),
                "{text}: {err}"
            );
        }
        let err = Config::find(Some(&dir.join("missing.toml"))).unwrap_err();
        assert!(err.contains("missing.toml"), "{err}");
        fs::write(&file, [0xff, 0xfe]).unwrap();
        assert!(Config::read(&file).unwrap_err().contains("not UTF-8"));
        fs::remove_dir_all(dir).unwrap();
    }
}
