//! The two ledger backends as the tests see them: a SQLite file, or a
//! database on a throwaway PostgreSQL server that this test process starts
//! itself (its own data directory and Unix socket, no TCP) and that stops
//! when the process ends, however it ends.
//!
//! `PIAOYAN_TEST_POSTGRES` (a URL on which databases can be created, e.g.
//! `postgresql:///postgres?host=/run/pg&user=me`) uses a server of the
//! caller's instead.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::s;

/// One ledger of a test.
pub enum Db {
    Sqlite(PathBuf),
    Postgres { url: String },
}

impl Db {
    /// A ledger file in `dir` (not created yet).
    pub fn sqlite(dir: &Path) -> Db {
        Db::Sqlite(dir.join("ledger.sqlite"))
    }

    /// A new, empty database on the test server.
    pub fn postgres(name: &str) -> Db {
        Db::Postgres {
            url: new_database(name),
        }
    }

    /// What `--ledger` takes.
    pub fn location(&self) -> String {
        match self {
            Db::Sqlite(path) => s(path),
            Db::Postgres { url } => url.clone(),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres { .. })
    }

    /// The one integer `sql` selects; `None` while the ledger does not
    /// exist yet (or has no tables).
    pub fn try_count(&self, sql: &str) -> Option<i64> {
        match self {
            Db::Sqlite(path) => {
                if !path.exists() {
                    return None;
                }
                let conn = rusqlite::Connection::open(path).ok()?;
                conn.query_row(sql, [], |r| r.get(0)).ok()
            }
            Db::Postgres { url } => {
                let mut client = postgres::Client::connect(url, postgres::NoTls).ok()?;
                client.query_one(sql, &[]).ok().map(|r| r.get(0))
            }
        }
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.try_count(sql)
            .unwrap_or_else(|| panic!("{sql} on {}", self.location()))
    }

    /// Runs statements that return nothing.
    pub fn execute(&self, sql: &str) {
        match self {
            Db::Sqlite(path) => rusqlite::Connection::open(path)
                .unwrap()
                .execute_batch(sql)
                .unwrap(),
            Db::Postgres { url } => postgres::Client::connect(url, postgres::NoTls)
                .unwrap()
                .batch_execute(sql)
                .unwrap(),
        }
    }

    /// The text columns of every row `sql` selects (NULL as `None`), with
    /// one text parameter.
    pub fn texts(&self, sql: &str, param: &str) -> Vec<Vec<Option<String>>> {
        match self {
            Db::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                let mut q = conn.prepare(&sql.replace("$1", "?1")).unwrap();
                let n = q.column_count();
                q.query_map([param], |r| (0..n).map(|i| r.get(i)).collect())
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap()
            }
            Db::Postgres { url } => {
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                client
                    .query(sql, &[&param])
                    .unwrap()
                    .iter()
                    .map(|r| (0..r.len()).map(|i| r.get(i)).collect())
                    .collect()
            }
        }
    }
}

/// Generates a `#[test]` per backend from `fn $name(db: Db, tag: &str)`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[test]
            fn $name() {
                let dir = $crate::common::scratch(concat!("sqlite-", stringify!($name)));
                super::$name($crate::common::db::Db::sqlite(&dir), &dir);
                let _ = std::fs::remove_dir_all(dir);
            })*
        }
        mod on_postgres {
            $(#[test]
            fn $name() {
                let dir = $crate::common::scratch(concat!("pg-", stringify!($name)));
                super::$name($crate::common::db::Db::postgres(stringify!($name)), &dir);
                let _ = std::fs::remove_dir_all(dir);
            })*
        }
    };
}

/// The server: its socket directory and superuser, or the caller's URL.
enum Server {
    Own { socket: PathBuf },
    Given { url: String },
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The superuser `initdb` makes (trust authentication, Unix socket only).
const USER: &str = "piaoyan";

fn server() -> &'static Server {
    match SERVER.get_or_init(start) {
        Ok(server) => server,
        Err(e) => panic!("the PostgreSQL test server: {e}"),
    }
}

/// A database of its own for one test; its URL.
fn new_database(name: &str) -> String {
    let n = DATABASES.fetch_add(1, Ordering::SeqCst);
    let db = format!("t{n}_{name}").to_lowercase();
    let (admin, url) = match server() {
        Server::Own { socket } => (
            format!("postgresql:///postgres?host={}&user={USER}", s(socket)),
            format!("postgresql:///{db}?host={}&user={USER}", s(socket)),
        ),
        Server::Given { url } => {
            let (head, query) = url.split_once('?').unwrap_or((url, ""));
            let base = head.rsplit_once('/').map_or(head, |(b, _)| b);
            let q = if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            };
            (url.clone(), format!("{base}/{db}{q}"))
        }
    };
    let mut client = postgres::Client::connect(&admin, postgres::NoTls)
        .unwrap_or_else(|e| panic!("connect to the test server ({admin}): {e}"));
    // Two statements, two calls: neither may run in a transaction block.
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{db}\""))
        .unwrap();
    client
        .batch_execute(&format!("CREATE DATABASE \"{db}\""))
        .unwrap();
    url
}

/// Where `initdb` and `pg_ctl` are: on the PATH, else Debian's
/// /usr/lib/postgresql/<version>/bin (the newest).
fn bin_dir() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                return Ok(dir);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(|| {
        "no PostgreSQL server found (initdb, pg_ctl): install Debian's postgresql package \
         (scripts/install-tools does)"
            .to_string()
    })
}

/// Whether this process runs as root.
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// `initdb` refuses to run as root: as root, the server runs as the
/// `postgres` user of Debian's package.
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

fn start() -> Result<Server, String> {
    if let Ok(url) = std::env::var("PIAOYAN_TEST_POSTGRES") {
        return Ok(Server::Given { url });
    }
    let bin = bin_dir()?;
    let top = std::env::temp_dir().join(format!("piaoyan-pg-{}", std::process::id()));
    let _ = fs::remove_dir_all(&top);
    let (data, socket) = (top.join("data"), top.join("sock"));
    fs::create_dir_all(&socket).map_err(|e| e.to_string())?;
    let root = is_root();
    if root {
        let ok = Command::new("chown")
            .args(["-R", "postgres:"])
            .arg(&top)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err("as root, the server runs as user postgres: chown failed".into());
        }
    }
    let init = as_server_user(&bin.join("initdb"))
        .args(["-D", &s(&data), "-U", USER, "--auth=trust", "-E", "UTF8"])
        .args(["--locale=C", "--no-sync"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("initdb: {e}"))?;
    if !init.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&init.stderr)
        ));
    }
    // The watchdog: starts the server, waits for this process to end,
    // stops the server and removes its files, even after a SIGKILL of the
    // tests.
    let runas = if root { "runuser -u postgres -- " } else { "" };
    let pg_ctl = s(&bin.join("pg_ctl"));
    let script = format!(
        "{runas}'{pg_ctl}' -D '{data}' -l '{top}/log' -w -o \"-k '{socket}' -c listen_addresses= -c fsync=off -c max_connections=50\" start >/dev/null || exit 1; \
         while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; \
         {runas}'{pg_ctl}' -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{top}'",
        data = s(&data),
        top = s(&top),
        socket = s(&socket),
        pid = std::process::id(),
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("sh: {e}"))?;
    let url = format!("postgresql:///postgres?host={}&user={USER}", s(&socket));
    let started = Instant::now();
    loop {
        if postgres::Client::connect(&url, postgres::NoTls).is_ok() {
            return Ok(Server::Own { socket });
        }
        if started.elapsed() > Duration::from_secs(60) {
            let log = fs::read_to_string(top.join("log")).unwrap_or_default();
            return Err(format!("the server did not start within 60 s: {log}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
