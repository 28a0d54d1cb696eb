//! The compiled module of this process: one [`Runner`] per distinct limits,
//! compiled (or loaded from the on-disk cache) the first time a verifier
//! asks for it and kept for the life of the process, so that a Spark or Ray
//! worker that makes a verifier per batch compiles the module once.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use piaoyan_cli::MODULE;
use piaoyan_cli::module::{Limits, Runner, cache_file, engine_config, load_or_compile};
use piaoyan_cli::wasmtime::{self, Engine};

/// What a runner is keyed by: the engine settings and the limits a
/// runner carries (timeout, memory cap).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    timeout: Option<Duration>,
    max_memory: usize,
}

/// How this process got its runners.
#[derive(Clone, Copy, Default)]
pub struct Stats {
    /// Runners made (one per distinct limits).
    pub runners: usize,
    /// Of those, loaded from the compiled-module cache on disk.
    pub loaded: usize,
    /// Of those, compiled by Cranelift here.
    pub compiled: usize,
}

struct Runners {
    made: Vec<(Key, &'static Runner)>,
    stats: Stats,
}

static RUNNERS: Mutex<Runners> = Mutex::new(Runners {
    made: Vec::new(),
    stats: Stats {
        runners: 0,
        loaded: 0,
        compiled: 0,
    },
});

fn lock() -> std::sync::MutexGuard<'static, Runners> {
    RUNNERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The runner of the embedded module for `limits`, made once per process.
///
/// A runner lives as long as the process (it is leaked on purpose: a
/// verifier's workers borrow it, and there is one per distinct limits,
/// never one per verifier). The lock is held while compiling, so threads
/// asking at once compile once.
pub fn runner(limits: Limits, cache_dir: Option<&Path>) -> Result<&'static Runner, String> {
    let key = Key {
        timeout: limits.timeout,
        max_memory: limits.max_memory,
    };
    let mut runners = lock();
    if let Some((_, runner)) = runners.made.iter().find(|(k, _)| *k == key) {
        return Ok(runner);
    }
    let engine = Engine::new(&engine_config(&limits))
        .map_err(|e| format!("cannot set up the wasm engine: {e:#}"))?;
    let cached = cache_dir.is_some_and(|dir| cache_file(&engine, MODULE, dir).is_file());
    let module = match cache_dir {
        Some(dir) => load_or_compile(&engine, MODULE, dir),
        None => wasmtime::Module::new(&engine, MODULE),
    }
    .map_err(|e| format!("cannot compile the verifier module: {e:#}"))?;
    let runner: &'static Runner =
        Box::leak(Box::new(Runner::with_module(engine, &module, limits)?));
    runners.made.push((key, runner));
    runners.stats.runners += 1;
    if cached {
        runners.stats.loaded += 1;
    } else {
        runners.stats.compiled += 1;
    }
    Ok(runner)
}

/// How this process got its runners so far.
pub fn stats() -> Stats {
    lock().stats
}
