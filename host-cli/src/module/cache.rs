//! The compiled-module cache: Cranelift's output kept on disk between runs,
//! keyed by the module, the engine settings and the wasmtime version.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::{Engine, Module};

/// Where compiled modules are kept between runs: `$PIAOYAN_CACHE_DIR`
/// (set but empty: nowhere), else `$XDG_CACHE_HOME/piaoyan`, else
/// `$HOME/.cache/piaoyan`.
pub fn default_cache_dir() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k);
    match var("PIAOYAN_CACHE_DIR") {
        Some(dir) if dir.is_empty() => None,
        Some(dir) => Some(PathBuf::from(dir)),
        None => match var("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
            Some(dir) => Some(PathBuf::from(dir).join("piaoyan")),
            None => var("HOME")
                .filter(|d| !d.is_empty())
                .map(|h| PathBuf::from(h).join(".cache/piaoyan")),
        },
    }
}

/// The cache file of `wasm` compiled by `engine`: named by the SHA-256 of
/// the module, of wasmtime's version and of the engine's compatibility hash
/// (compiler, its settings, the CPU features it targets).
pub fn cache_file(engine: &Engine, wasm: &[u8], dir: &Path) -> PathBuf {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    let key = Sha256::new()
        .chain_update(Sha256::digest(wasm))
        .chain_update(WASMTIME_VERSION.as_bytes())
        .chain_update(hasher.finish().to_le_bytes())
        .finalize();
    let hex: String = key[..16].iter().map(|b| format!("{b:02x}")).collect();
    dir.join(format!("verifier-{hex}.cwasm"))
}

/// The wasmtime this host is built with, pinned in `host-cli/Cargo.toml`
/// (compiled code is not portable across versions; wasmtime checks that
/// too).
const WASMTIME_VERSION: &str = "48.0.8";

/// Loads the module compiled by an earlier run from `dir`, or compiles it
/// and stores it there for the next run (start-up is then loading, not
/// compiling).
///
/// A cache file is the output of `Module::serialize` followed by its own
/// SHA-256, written to a temporary file and renamed into place, so a reader
/// sees a whole file or none. A file that is damaged (its digest does not
/// match), or that this wasmtime refuses (another version, other settings,
/// other CPU features), is compiled anew and replaced. Failing to read or
/// write the cache only costs the compilation.
///
/// Trust: loading compiled code means running it. The file is named by the
/// module's hash and lies in the user's own cache directory, which only the
/// user (and root) may write; whoever can write there can also change the
/// user's shell start-up files. `PIAOYAN_CACHE_DIR=` (empty) or `--no-cache`
/// turns the cache off.
pub fn load_or_compile(engine: &Engine, wasm: &[u8], dir: &Path) -> wasmtime::Result<Module> {
    let path = cache_file(engine, wasm, dir);
    if let Ok(bytes) = std::fs::read(&path)
        && bytes.len() > 32
    {
        let (code, digest) = bytes.split_at(bytes.len() - 32);
        if Sha256::digest(code).as_slice() == digest {
            // SAFETY: the bytes are what `Module::serialize` of this very
            // module gave an earlier run (named by the module's hash, checked
            // by their digest), read from the user's own cache directory; see
            // the trust note above. wasmtime itself refuses output of another
            // version or configuration.
            if let Ok(module) = unsafe { Module::deserialize(engine, code) } {
                return Ok(module);
            }
        }
    }
    let module = Module::new(engine, wasm)?;
    if let Ok(mut code) = module.serialize() {
        let digest = Sha256::digest(&code);
        code.extend_from_slice(&digest);
        let _ = store_atomically(dir, &path, &code);
    }
    Ok(module)
}

fn store_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = dir.join(format!(".tmp-{}-{nanos}", std::process::id()));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
