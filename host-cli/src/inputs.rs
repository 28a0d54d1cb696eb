//! The files to verify and the trust material, read from disk.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Expands the PATH arguments: a file stands for itself, a directory for
/// every regular file below it (recursively, sorted by path; symbolic links
/// to files are followed, to directories not, so no walk loops). Argument
/// order is kept. An error names the path.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        let meta =
            fs::metadata(path).map_err(|e| format!("{}: {}", path.display(), io_text(&e)))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            if found.is_empty() {
                return Err(format!(
                    "{}: directory holds no regular file",
                    path.display()
                ));
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {}", dir.display(), io_text(&e)))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {}", dir.display(), io_text(&e)))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {}", path.display(), io_text(&e)))?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file()
            || (kind.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_file()))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads at most `cap` bytes of a bill. A longer file is cut at `cap`: the
/// caller sets `cap` one past the verifier's input bound, so the verifier
/// still sees that the file is too large (spec §8) without the host reading
/// all of it.
pub fn read_bill(path: &Path, cap: u64) -> Result<Vec<u8>, String> {
    let file = fs::File::open(path).map_err(|e| format!("{}: {}", path.display(), io_text(&e)))?;
    let mut bytes = Vec::new();
    file.take(cap)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {}", path.display(), io_text(&e)))?;
    Ok(bytes)
}

/// Largest PEM file accepted: a bundle of thousands of certificates fits.
const MAX_PEM_BYTES: u64 = 64 << 20;

/// Reads a PEM file and returns its blocks labelled `label` (each with its
/// BEGIN and END lines), in file order. Blocks of other labels (a private
/// key left in a bundle) are skipped; a file with no block of the label, or
/// with a block cut short, is an error naming the file.
pub fn read_pem(path: &Path, label: &str) -> Result<Vec<String>, String> {
    let name = path.display();
    let meta = fs::metadata(path).map_err(|e| format!("{name}: {}", io_text(&e)))?;
    if meta.is_dir() {
        return Err(format!("{name}: is a directory, not a PEM file"));
    }
    let bytes = read_bill(path, MAX_PEM_BYTES + 1)?;
    if bytes.len() as u64 > MAX_PEM_BYTES {
        return Err(format!("{name}: larger than {MAX_PEM_BYTES} bytes"));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{name}: not a PEM text file (not UTF-8)"))?;
    let mut blocks = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("-----BEGIN ") {
        let block = &rest[start..];
        let after = &block[11..];
        let Some(end_of_label) = after.find("-----") else {
            return Err(format!("{name}: unterminated PEM BEGIN line"));
        };
        let found = &after[..end_of_label];
        let end = format!("-----END {found}-----");
        let Some(end_at) = after.find(&end) else {
            return Err(format!("{name}: PEM block {found} has no END line"));
        };
        let block_len = 11 + end_at + end.len();
        if found == label {
            blocks.push(format!("{}\n", &block[..block_len]));
        }
        rest = &block[block_len..];
    }
    if blocks.is_empty() {
        return Err(format!("{name}: holds no PEM block labelled {label}"));
    }
    Ok(blocks)
}

/// `No such file or directory`, without the `(os error 2)` tail.
fn io_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("piaoyan-inputs-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn directories_expand_recursively_and_sorted() {
        let dir = scratch("expand");
        fs::create_dir_all(dir.join("b/c")).unwrap();
        fs::create_dir_all(dir.join("empty")).unwrap();
        for f in ["z.xml", "a.xml", "b/c/d.xml", "b/a.xml"] {
            fs::write(dir.join(f), "x").unwrap();
        }
        let got = expand(std::slice::from_ref(&dir)).unwrap();
        let rel: Vec<_> = got
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(rel, ["a.xml", "b/a.xml", "b/c/d.xml", "z.xml"]);
        let err = expand(&[dir.join("empty")]).unwrap_err();
        assert!(err.contains("empty"), "{err}");
        let err = expand(&[dir.join("missing.xml")]).unwrap_err();
        assert!(err.contains("missing.xml: No such file"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn long_bills_are_cut_one_past_the_cap() {
        let dir = scratch("cap");
        fs::write(dir.join("big"), vec![b'x'; 100]).unwrap();
        assert_eq!(read_bill(&dir.join("big"), 11).unwrap().len(), 11);
        assert_eq!(read_bill(&dir.join("big"), 1000).unwrap().len(), 100);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn pem_files_are_checked() {
        let dir = scratch("pem");
        let good = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n";
        fs::write(dir.join("good.pem"), good).unwrap();
        fs::write(dir.join("crl.pem"), good.replace("CERTIFICATE", "X509 CRL")).unwrap();
        fs::write(dir.join("cut.pem"), "-----BEGIN CERTIFICATE-----\nAQID\n").unwrap();
        fs::write(dir.join("bin.pem"), [0xff, 0xfe]).unwrap();
        assert_eq!(
            read_pem(&dir.join("good.pem"), "CERTIFICATE").unwrap(),
            [good]
        );
        assert_eq!(read_pem(&dir.join("crl.pem"), "X509 CRL").unwrap().len(), 1);
        let key = "-----BEGIN PRIVATE KEY-----\nBAU=\n-----END PRIVATE KEY-----\n";
        fs::write(
            dir.join("bundle.pem"),
            format!("# two\n{good}{key}\n{good}"),
        )
        .unwrap();
        assert_eq!(
            read_pem(&dir.join("bundle.pem"), "CERTIFICATE").unwrap(),
            [good, good]
        );
        let err = read_pem(&dir.join("crl.pem"), "CERTIFICATE").unwrap_err();
        assert!(
            err.contains("crl.pem: holds no PEM block labelled CERTIFICATE"),
            "{err}"
        );
        let err = read_pem(&dir.join("cut.pem"), "CERTIFICATE").unwrap_err();
        assert!(
            err.contains("cut.pem: PEM block CERTIFICATE has no END line"),
            "{err}"
        );
        let err = read_pem(&dir.join("bin.pem"), "CERTIFICATE").unwrap_err();
        assert!(err.contains("bin.pem: not a PEM text file"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }
}
