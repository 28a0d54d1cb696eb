//! What to verify, read from disk (the trust material is `trust.rs`).
//!
//! The PATH arguments expand, in order, into a list of [`Input`]s: one per
//! bill or OFD document (a file, or an entry of a zip archive of bills),
//! plus one [`Input::Failed`]
//! for each thing that should have held bills but could not be read (a
//! directory without permission, a corrupt archive, a broken link), so that
//! every one of them gets a record.

use std::borrow::Cow;
use std::fs;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use zip::ZipArchive;
use zip::result::ZipError;

/// Error record code: a file or directory could not be read.
pub const IO: &str = "IO";
/// Error record code: a zip archive or one of its entries could not be read.
pub const ARCHIVE: &str = "ARCHIVE";

/// Most entries read from one zip archive; a larger archive gets one
/// `ARCHIVE` record (split it).
pub const MAX_ZIP_ENTRIES: usize = 200_000;

/// A zip archive among the inputs.
#[derive(Debug)]
pub struct Archive {
    pub path: PathBuf,
    /// Position among the run's archives (workers cache the open archive
    /// by it).
    pub id: usize,
}

/// One thing that gets one record.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file, read as one bill or OFD document (the module tells them
    /// apart by content).
    File(PathBuf),
    /// Entry `index` of a zip archive, named `name` inside it.
    Entry {
        archive: Arc<Archive>,
        index: usize,
        name: String,
    },
    /// Something that could not even be listed; its record is an error.
    Failed {
        name: String,
        code: &'static str,
        message: String,
    },
}

impl Input {
    /// The `file` of its record: the path, or `archive.zip!/path/in/zip`.
    pub fn name(&self) -> Cow<'_, str> {
        match self {
            Input::File(path) => path.to_string_lossy(),
            Input::Entry { archive, name, .. } => {
                Cow::Owned(format!("{}!/{name}", archive.path.to_string_lossy()))
            }
            Input::Failed { name, .. } => Cow::Borrowed(name),
        }
    }
}

/// Whether a file's name ends in `.zip` (any case): such a file is always
/// opened as a zip, and one that cannot be read gets an `ARCHIVE` record.
pub fn is_zip(path: &Path) -> bool {
    has_extension(path, "zip")
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(ext))
}

/// The signature of a zip local file header, which starts a zip file.
const ZIP_MAGIC: &[u8; 4] = b"PK\x03\x04";

/// Whether the zip lists `OFD.xml` at its root: the entry file of an OFD
/// package (GB/T 33190), so the zip is one document, not an archive.
pub fn is_ofd_package<R: Read + io::Seek>(zip: &ZipArchive<R>) -> bool {
    zip.file_names()
        .any(|name| name.is_ok_and(|n| n.strip_prefix('/').unwrap_or(&n) == "OFD.xml"))
}

/// What a regular file found among the inputs is, by its content.
enum Kind {
    /// One bill or OFD document: read whole and given to the module.
    Single,
    /// A zip archive of bills (and documents), opened.
    Archive(ZipArchive<BufReader<fs::File>>),
    /// A `.zip` file that cannot be read as one.
    Broken(ReadError),
}

/// A file is looked into as a zip when its name ends in `.zip` or it
/// starts with a zip local header. A zip with `OFD.xml` at its root is one
/// OFD document; so is a file named `.ofd` (whatever is wrong with it, the
/// module says so in its record); any other zip is an archive whose file
/// entries are each one input. Everything else is one input.
fn classify(path: &Path) -> Kind {
    let named_zip = is_zip(path);
    if !named_zip {
        let mut head = [0u8; 4];
        let starts_zip = fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok()
            && &head == ZIP_MAGIC;
        if !starts_zip {
            return Kind::Single;
        }
    }
    match open_zip(path) {
        Ok(zip) if is_ofd_package(&zip) || has_extension(path, "ofd") => Kind::Single,
        Ok(zip) => Kind::Archive(zip),
        Err(e) if named_zip => Kind::Broken(e),
        Err(_) => Kind::Single,
    }
}

fn has_glob_chars(path: &Path) -> bool {
    path.to_string_lossy().contains(['*', '?', '['])
}

/// Expands the PATH arguments, in order:
///
/// - an existing file stands for itself, except that a zip archive of bills
///   (see [`classify`]: a zip without `OFD.xml` at its root) stands for each
///   file entry in it, in archive order;
/// - a directory for every regular file below it, recursively, in path
///   order (links to files followed, to directories not, so no walk loops;
///   other special files skipped);
/// - a path that does not exist but holds `*`, `?` or `[` is a glob pattern,
///   expanded here (so quoting it from the shell is fine), matches in path
///   order;
/// - `-` for the paths listed on `stdin`, one per line (empty lines
///   skipped), each taken literally (no pattern), at most once.
///
/// A usage error (returned) stops the run before any bill: an argument that
/// names nothing, a pattern that matches nothing, a bad pattern, a
/// directory with no file below it. Anything that exists but cannot be read
/// becomes an [`Input::Failed`] instead, as does a listed path that does not
/// exist.
pub fn expand(args: &[PathBuf], stdin: &mut dyn BufRead) -> Result<Vec<Input>, String> {
    let mut x = Expander::default();
    let mut stdin_read = false;
    for arg in args {
        if arg.as_os_str() == "-" {
            if stdin_read {
                return Err("`-` (paths on standard input) is given more than once".into());
            }
            stdin_read = true;
            for line in stdin_lines(stdin)? {
                x.listed(&line);
            }
            continue;
        }
        let before = x.out.len();
        match fs::metadata(arg) {
            Ok(meta) => x.existing(arg, &meta),
            Err(e) if e.kind() == io::ErrorKind::NotFound && has_glob_chars(arg) => {
                x.pattern(arg)?
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(format!("{}: {}", arg.display(), io_text(&e)));
            }
            Err(e) => x.failed(arg, IO, io_text(&e)),
        }
        if x.out.len() == before {
            return Err(format!(
                "{}: directory holds no regular file",
                arg.display()
            ));
        }
    }
    Ok(x.out)
}

/// The lines of `stdin` as paths (bytes kept as they are on Unix).
fn stdin_lines(stdin: &mut dyn BufRead) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = stdin
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read the list of paths on standard input: {e}"))?;
        if n == 0 {
            return Ok(out);
        }
        while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            line.pop();
        }
        if !line.is_empty() {
            out.push(path_from_bytes(&line));
        }
    }
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[derive(Default)]
struct Expander {
    out: Vec<Input>,
    archives: usize,
}

impl Expander {
    fn failed(&mut self, path: &Path, code: &'static str, message: String) {
        self.out.push(Input::Failed {
            name: path.to_string_lossy().into_owned(),
            code,
            message: format!("{}: {message}", path.display()),
        });
    }

    /// A path read from the list on standard input.
    fn listed(&mut self, path: &Path) {
        match fs::metadata(path) {
            Ok(meta) => self.existing(path, &meta),
            Err(e) => self.failed(path, IO, io_text(&e)),
        }
    }

    fn existing(&mut self, path: &Path, meta: &fs::Metadata) {
        if meta.is_dir() {
            self.walk(path);
        } else if meta.is_file() {
            self.existing_file(path);
        } else {
            self.out.push(Input::File(path.to_path_buf()));
        }
    }

    fn pattern(&mut self, pattern: &Path) -> Result<(), String> {
        let text = pattern.to_string_lossy();
        let paths = glob::glob(&text).map_err(|e| format!("{text}: bad pattern: {e}"))?;
        let mut matched = false;
        for found in paths {
            matched = true;
            match found {
                Ok(path) => match fs::metadata(&path) {
                    Ok(meta) => self.existing(&path, &meta),
                    Err(e) => self.failed(&path, IO, io_text(&e)),
                },
                Err(e) => {
                    let path = e.path().to_path_buf();
                    self.failed(&path, IO, io_text(e.error()));
                }
            }
        }
        if matched {
            Ok(())
        } else {
            Err(format!("{text}: no file matches this pattern"))
        }
    }

    /// Depth first, each directory's entries sorted by name: the same order
    /// as sorting every path found.
    fn walk(&mut self, dir: &Path) {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.failed(dir, IO, io_text(&e)),
        };
        let mut found = Vec::new();
        for entry in entries {
            match entry.and_then(|e| Ok((e.path(), e.file_type()?))) {
                Ok(pair) => found.push(pair),
                Err(e) => {
                    self.failed(dir, IO, io_text(&e));
                }
            }
        }
        found.sort_by(|a, b| a.0.file_name().cmp(&b.0.file_name()));
        for (path, kind) in found {
            if kind.is_dir() {
                self.walk(&path);
            } else if kind.is_file() {
                self.existing_file(&path);
            } else if kind.is_symlink() {
                match fs::metadata(&path) {
                    Ok(meta) if meta.is_file() => self.existing_file(&path),
                    Ok(_) => {} // a link to a directory or a special file
                    Err(e) => self.failed(&path, IO, format!("broken link: {}", io_text(&e))),
                }
            }
            // FIFOs, sockets and devices found in a walk are not bills.
        }
    }

    fn existing_file(&mut self, path: &Path) {
        match classify(path) {
            Kind::Single => self.out.push(Input::File(path.to_path_buf())),
            Kind::Archive(zip) => self.archive(path, &zip),
            Kind::Broken((code, message)) => self.failed(path, code, message),
        }
    }

    /// Lists the file entries of a zip archive (directory entries skipped).
    fn archive(&mut self, path: &Path, zip: &ZipArchive<BufReader<fs::File>>) {
        if zip.len() > MAX_ZIP_ENTRIES {
            return self.failed(
                path,
                ARCHIVE,
                format!(
                    "the archive has {} entries, more than the {MAX_ZIP_ENTRIES} read from one archive; split it",
                    zip.len()
                ),
            );
        }
        let archive = Arc::new(Archive {
            path: path.to_path_buf(),
            id: self.archives,
        });
        self.archives += 1;
        let before = self.out.len();
        for index in 0..zip.len() {
            let name = match zip.name_for_index(index) {
                Some(Ok(name)) => name.into_owned(),
                _ => zip
                    .file_names_raw()
                    .nth(index)
                    .map(|raw| String::from_utf8_lossy(raw).into_owned())
                    .unwrap_or_else(|| format!("#{index}")),
            };
            if !name.ends_with('/') {
                self.out.push(Input::Entry {
                    archive: archive.clone(),
                    index,
                    name,
                });
            }
        }
        if self.out.len() == before {
            self.failed(path, ARCHIVE, "the archive holds no file".into());
        }
    }
}

type ReadError = (&'static str, String);

fn open_zip(path: &Path) -> Result<ZipArchive<BufReader<fs::File>>, ReadError> {
    let file = fs::File::open(path).map_err(|e| (IO, io_text(&e)))?;
    ZipArchive::new(BufReader::new(file)).map_err(zip_error)
}

fn zip_error(e: ZipError) -> ReadError {
    match e {
        ZipError::Io(e) if e.raw_os_error().is_some() => (IO, io_text(&e)),
        ZipError::Io(e) => (ARCHIVE, format!("not a readable zip archive: {e}")),
        other => (ARCHIVE, format!("not a readable zip archive: {other}")),
    }
}

/// Reads inputs for one worker, keeping the zip archive it read last open.
#[derive(Default)]
pub struct Reader {
    zip: Option<(usize, ZipArchive<BufReader<fs::File>>)>,
}

impl Reader {
    /// Reads at most `cap` bytes of the input (see [`read_capped`]); the
    /// error is a record code and a message naming the input.
    pub fn read(&mut self, input: &Input, cap: u64) -> Result<Vec<u8>, ReadError> {
        match input {
            Input::File(path) => read_capped(path, cap).map_err(|m| (IO, m)),
            Input::Entry {
                archive,
                index,
                name,
            } => self
                .read_entry(archive, *index, cap)
                .map_err(|(code, m)| (code, format!("{}!/{name}: {m}", archive.path.display()))),
            Input::Failed { code, message, .. } => Err((code, message.clone())),
        }
    }

    fn read_entry(
        &mut self,
        archive: &Archive,
        index: usize,
        cap: u64,
    ) -> Result<Vec<u8>, ReadError> {
        if self.zip.as_ref().is_none_or(|(id, _)| *id != archive.id) {
            self.zip = None;
            self.zip = Some((archive.id, open_zip(&archive.path)?));
        }
        let Some((_, zip)) = self.zip.as_mut() else {
            return Err((ARCHIVE, "the archive is not open".into()));
        };
        let entry = zip.by_index(index).map_err(|e| match e {
            ZipError::UnsupportedArchive(what) => (ARCHIVE, format!("unsupported entry: {what}")),
            other => zip_error(other),
        })?;
        let mut bytes = Vec::new();
        entry.take(cap).read_to_end(&mut bytes).map_err(|e| {
            // An error of the system is I/O; any other is the data's.
            if e.raw_os_error().is_some() {
                (IO, io_text(&e))
            } else {
                (ARCHIVE, format!("corrupt entry: {e}"))
            }
        })?;
        Ok(bytes)
    }
}

/// Reads at most `cap` bytes of a file. A longer file is cut at `cap`: the
/// caller sets `cap` one past the verifier's input bound, so the verifier
/// still sees that the file is too large (spec §8) without the host reading
/// all of it. The error names the file.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, String> {
    let name = path.display();
    let file = fs::File::open(path).map_err(|e| format!("{name}: {}", io_text(&e)))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(format!("{name}: is a directory"));
    }
    let mut bytes = Vec::new();
    file.take(cap)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: {}", io_text(&e)))?;
    Ok(bytes)
}

/// `No such file or directory`, without the `(os error 2)` tail.
pub fn io_text(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("piaoyan-inputs-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(inputs: &[Input], base: &Path) -> Vec<String> {
        let base = format!("{}/", base.display());
        inputs.iter().map(|i| i.name().replace(&base, "")).collect()
    }

    fn no_stdin() -> io::Empty {
        io::empty()
    }

    fn zip_file(path: &Path, entries: &[(&str, &[u8])]) {
        let mut w = zip::ZipWriter::new(fs::File::create(path).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            if name.ends_with('/') {
                w.add_directory(*name, opts).unwrap();
            } else {
                w.start_file(*name, opts).unwrap();
                w.write_all(bytes).unwrap();
            }
        }
        w.finish().unwrap();
    }

    #[test]
    fn directories_expand_recursively_and_sorted() {
        let dir = scratch("expand");
        fs::create_dir_all(dir.join("b/c")).unwrap();
        fs::create_dir_all(dir.join("empty")).unwrap();
        for f in ["z.xml", "a.xml", "b/c/d.xml", "b/a.xml", "b.xml", "a-b.xml"] {
            fs::write(dir.join(f), "x").unwrap();
        }
        let got = expand(std::slice::from_ref(&dir), &mut no_stdin()).unwrap();
        assert_eq!(
            names(&got, &dir),
            ["a-b.xml", "a.xml", "b/a.xml", "b/c/d.xml", "b.xml", "z.xml"]
        );
        // The same order as sorting every path (component-wise).
        let mut sorted: Vec<PathBuf> = got
            .iter()
            .map(|i| PathBuf::from(i.name().into_owned()))
            .collect();
        sorted.sort();
        assert_eq!(
            sorted,
            got.iter()
                .map(|i| PathBuf::from(i.name().into_owned()))
                .collect::<Vec<_>>()
        );
        let err = expand(&[dir.join("empty")], &mut no_stdin()).unwrap_err();
        assert!(err.contains("empty"), "{err}");
        let err = expand(&[dir.join("missing.xml")], &mut no_stdin()).unwrap_err();
        assert!(err.contains("missing.xml: No such file"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn patterns_are_expanded_here() {
        let dir = scratch("glob");
        fs::create_dir_all(dir.join("q1")).unwrap();
        fs::create_dir_all(dir.join("q2")).unwrap();
        for f in ["q1/a.xml", "q1/b.txt", "q2/c.xml", "q2/d.xml"] {
            fs::write(dir.join(f), "x").unwrap();
        }
        let got = expand(&[dir.join("q*/*.xml")], &mut no_stdin()).unwrap();
        assert_eq!(names(&got, &dir), ["q1/a.xml", "q2/c.xml", "q2/d.xml"]);
        // A pattern matching directories walks them.
        let got = expand(&[dir.join("q[2]")], &mut no_stdin()).unwrap();
        assert_eq!(names(&got, &dir), ["q2/c.xml", "q2/d.xml"]);
        let err = expand(&[dir.join("*.pdf")], &mut no_stdin()).unwrap_err();
        assert!(err.contains("no file matches"), "{err}");
        let err = expand(&[dir.join("[")], &mut no_stdin()).unwrap_err();
        assert!(err.contains("bad pattern"), "{err}");
        // An existing file whose name looks like a pattern is itself.
        fs::write(dir.join("odd[1].xml"), "x").unwrap();
        let got = expand(&[dir.join("odd[1].xml")], &mut no_stdin()).unwrap();
        assert_eq!(names(&got, &dir), ["odd[1].xml"]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn stdin_lists_paths_and_missing_ones_get_records() {
        let dir = scratch("stdin");
        fs::write(dir.join("a.xml"), "x").unwrap();
        fs::create_dir_all(dir.join("d")).unwrap();
        fs::write(dir.join("d/b.xml"), "x").unwrap();
        let list = format!(
            "{}\n\n{}\r\n{}\n{}",
            dir.join("a.xml").display(),
            dir.join("gone.xml").display(),
            dir.join("d").display(),
            dir.join("*.xml").display(),
        );
        let got = expand(
            &[PathBuf::from("-"), dir.join("a.xml")],
            &mut io::Cursor::new(list),
        )
        .unwrap();
        assert_eq!(
            names(&got, &dir),
            ["a.xml", "gone.xml", "d/b.xml", "*.xml", "a.xml"]
        );
        assert!(
            matches!(&got[1], Input::Failed { code: IO, message, .. } if message.contains("No such file"))
        );
        assert!(
            matches!(&got[3], Input::Failed { .. }),
            "no pattern on stdin"
        );
        let err = expand(
            &[PathBuf::from("-"), PathBuf::from("-")],
            &mut io::Cursor::new(""),
        )
        .unwrap_err();
        assert!(err.contains("more than once"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn links_and_unreadable_directories() {
        let dir = scratch("links");
        fs::create_dir_all(dir.join("real")).unwrap();
        fs::write(dir.join("real/a.xml"), "x").unwrap();
        std::os::unix::fs::symlink(dir.join("real"), dir.join("loop")).unwrap();
        std::os::unix::fs::symlink(dir.join("real/a.xml"), dir.join("link.xml")).unwrap();
        std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("broken.xml")).unwrap();
        let got = expand(std::slice::from_ref(&dir), &mut no_stdin()).unwrap();
        assert_eq!(names(&got, &dir), ["broken.xml", "link.xml", "real/a.xml"]);
        assert!(
            matches!(&got[0], Input::Failed { message, .. } if message.contains("broken link"))
        );

        use std::os::unix::fs::PermissionsExt;
        let locked = dir.join("real/locked");
        fs::create_dir_all(&locked).unwrap();
        fs::write(locked.join("hidden.xml"), "x").unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        let got = expand(std::slice::from_ref(&dir), &mut no_stdin()).unwrap();
        let n = names(&got, &dir);
        if fs::read_dir(&locked).is_err() {
            // Not root: the directory is one record of its own.
            assert_eq!(n, ["broken.xml", "link.xml", "real/a.xml", "real/locked"]);
            assert!(matches!(&got[3], Input::Failed { code: IO, .. }));
        } else {
            assert_eq!(
                n,
                [
                    "broken.xml",
                    "link.xml",
                    "real/a.xml",
                    "real/locked/hidden.xml"
                ]
            );
        }
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn zip_archives_list_their_files() {
        let dir = scratch("zip");
        zip_file(
            &dir.join("q.ZIP"),
            &[("d/", b""), ("d/b.xml", b"bee"), ("a.xml", b"ay")],
        );
        zip_file(&dir.join("empty.zip"), &[("only/", b"")]);
        fs::write(dir.join("fake.zip"), "not a zip").unwrap();
        let got = expand(std::slice::from_ref(&dir), &mut no_stdin()).unwrap();
        assert_eq!(
            names(&got, &dir),
            ["empty.zip", "fake.zip", "q.ZIP!/d/b.xml", "q.ZIP!/a.xml"]
        );
        assert!(
            matches!(&got[0], Input::Failed { code: ARCHIVE, message, .. } if message.contains("no file"))
        );
        assert!(matches!(&got[1], Input::Failed { code: ARCHIVE, .. }));
        let mut reader = Reader::default();
        assert_eq!(reader.read(&got[2], 100).unwrap(), b"bee");
        assert_eq!(reader.read(&got[3], 100).unwrap(), b"ay");
        assert_eq!(reader.read(&got[3], 1).unwrap(), b"a");
        let err = reader.read(&got[1], 100).unwrap_err();
        assert_eq!(err.0, ARCHIVE);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn zip_bombs_inflate_no_more_than_the_cap() {
        let dir = scratch("bomb");
        let zeros = vec![0u8; 64 << 20];
        zip_file(&dir.join("bomb.zip"), &[("bomb.xml", &zeros)]);
        assert!(fs::metadata(dir.join("bomb.zip")).unwrap().len() < 1 << 20);
        let got = expand(&[dir.join("bomb.zip")], &mut no_stdin()).unwrap();
        let bytes = Reader::default().read(&got[0], 4 << 20).unwrap();
        assert_eq!(bytes.len(), 4 << 20);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn corrupt_and_unsupported_entries_are_archive_errors() {
        let dir = scratch("corrupt");
        let path = dir.join("c.zip");
        {
            let mut w = zip::ZipWriter::new(fs::File::create(&path).unwrap());
            let stored = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            w.start_file("ok.xml", stored).unwrap();
            w.write_all(b"fine").unwrap();
            let deflated = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            w.start_file("bad.xml", deflated).unwrap();
            w.write_all(&vec![b'x'; 10_000]).unwrap();
            w.finish().unwrap();
        }
        // Garble the deflate stream of bad.xml (after its local header).
        let mut bytes = fs::read(&path).unwrap();
        let at = bytes.windows(7).position(|w| w == b"bad.xml").unwrap() + 7;
        for b in &mut bytes[at..at + 20] {
            *b = 0xff;
        }
        fs::write(&path, &bytes).unwrap();
        let got = expand(std::slice::from_ref(&path), &mut no_stdin()).unwrap();
        assert_eq!(got.len(), 2);
        let mut reader = Reader::default();
        assert_eq!(reader.read(&got[0], 100).unwrap(), b"fine");
        let (code, message) = reader.read(&got[1], 1 << 20).unwrap_err();
        assert_eq!(code, ARCHIVE, "{message}");
        assert!(message.contains("c.zip!/bad.xml"), "{message}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn long_bills_are_cut_one_past_the_cap() {
        let dir = scratch("cap");
        fs::write(dir.join("big"), vec![b'x'; 100]).unwrap();
        assert_eq!(read_capped(&dir.join("big"), 11).unwrap().len(), 11);
        assert_eq!(read_capped(&dir.join("big"), 1000).unwrap().len(), 100);
        let err = read_capped(&dir, 10).unwrap_err();
        assert!(err.contains("is a directory"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }
}
