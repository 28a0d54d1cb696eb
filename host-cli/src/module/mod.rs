//! Runs the verifier module through its C-style ABI (`docs/abi.md`).
//!
//! A [`Runner`] holds the module compiled once (wasmtime `Engine`, linked
//! `InstancePre`) and is shared by every thread. Each thread verifies
//! through its own [`Worker`]: one instance in its own store, configured
//! once with the options (`piaoyan_configure`) and reused bill after bill
//! (`piaoyan_verify_configured`), so the trust material is parsed once per
//! instance and certificate paths are remembered across bills.
//!
//! Every call has a time budget (epoch interruption, ticked by one thread
//! per runner) and every instance a memory cap (a resource limiter). A call
//! that traps, runs out of time or memory, or breaks the ABI gets an
//! [`Outcome::Failed`], and the worker drops that instance: the next bill
//! gets a fresh one. An instance whose memory grew large is replaced too, so
//! memory stays flat however many bills are verified.

mod abi;
mod cache;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::report::Report;
use abi::{abi_broken, from_wasm_error, func, parse_configured, parse_envelope, put, read, take};
pub use cache::{cache_file, default_cache_dir, load_or_compile};
use wasmtime::{
    Config, Engine, ExternType, InstancePre, Linker, Memory, Module, ResourceLimiter, Store,
    TypedFunc,
};

/// The ABI version this host speaks.
pub const ABI_VERSION: u32 = 1;

/// Default memory cap of one instance.
pub const DEFAULT_MAX_MEMORY: usize = 512 << 20;

/// An instance whose linear memory grew past this is replaced after the
/// call (its memory can never shrink).
const RECYCLE_BYTES: usize = 64 << 20;

/// How often the clock of timeouts ticks.
const TICK: Duration = Duration::from_millis(50);

/// What the module said about one bill.
#[derive(Debug)]
pub enum Outcome {
    /// `{"report": {...}}`: the report object, key order and text kept.
    Report(Report),
    /// `{"error": {...}}`: the module refused the call (bad options, say);
    /// for options, `field` and `index` say which entry (`docs/abi.md`).
    Rejected {
        code: String,
        message: String,
        field: Option<String>,
        index: Option<usize>,
    },
    /// The module trapped, ran out of time or memory, or broke the ABI: no
    /// result at all.
    Failed { code: &'static str, message: String },
}

impl Outcome {
    /// `CODE: message` of a rejection or failure, for a person.
    pub fn text(&self) -> String {
        match self {
            Outcome::Report(_) => "an unexpected report".into(),
            Outcome::Rejected { code, message, .. } => format!("{code}: {message}"),
            Outcome::Failed { code, message } => format!("{code}: {message}"),
        }
    }
}

/// Error codes of [`Outcome::Failed`], also used in the CLI's error records.
pub mod codes {
    /// The module trapped (a panic in the verifier is a trap).
    pub const TRAP: &str = "TRAP";
    /// The bill took longer than the timeout.
    pub const TIMEOUT: &str = "TIMEOUT";
    /// The bill needed more memory than the cap of one instance.
    pub const MEMORY_LIMIT: &str = "MEMORY_LIMIT";
    /// The module could not get memory for a buffer.
    pub const OUT_OF_MEMORY: &str = "OUT_OF_MEMORY";
    /// The module broke the ABI (bad pointer, result not a JSON envelope).
    pub const MODULE: &str = "MODULE";
}

/// Bounds on one call.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Longest one call may run; `None`: unbounded.
    pub timeout: Option<Duration>,
    /// Most linear memory one instance may have, in bytes.
    pub max_memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Some(Duration::from_secs(60)),
            max_memory: DEFAULT_MAX_MEMORY,
        }
    }
}

/// The store's data: the memory cap, and whether it refused a growth
/// during the current call.
struct State {
    max_memory: usize,
    denied: bool,
    /// The most linear memory the instance has had, in bytes.
    peak: usize,
}

impl ResourceLimiter for State {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max_memory {
            self.denied = true;
            return Ok(false);
        }
        self.peak = self.peak.max(desired);
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1 << 20)
    }

    fn instances(&self) -> usize {
        1
    }
}

/// Stops the epoch ticker when the runner goes.
struct Ticker(Arc<AtomicBool>);

impl Drop for Ticker {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// The compiled module, ready to instantiate from any thread.
pub struct Runner {
    engine: Engine,
    pre: InstancePre<State>,
    limits: Limits,
    /// Epoch ticks a call may last; `None`: no timeout.
    deadline_ticks: Option<u64>,
    _ticker: Option<Ticker>,
}

/// The engine settings every compilation of the module must share (a
/// precompiled module only loads into an engine configured the same way).
pub fn engine_config(limits: &Limits) -> Config {
    let mut config = Config::new();
    config.epoch_interruption(limits.timeout.is_some());
    // The module is built for size (opt-level "z"), so LLVM leaves small
    // functions uninlined; Cranelift inlining them back makes a bill 13%
    // faster (host-cli/benches/wasm.rs). It costs compilation time (once
    // per machine and module: see `load_or_compile`): with wasmtime's
    // default caller-plus-callee bound of 2000, 1.2 s against 0.17 s
    // without inlining; with 700, 0.6 s for the same speed per bill
    // (within 1%); below 600 bills slow down.
    config.compiler_inlining(wasmtime::Inlining::Yes);
    // SAFETY: a wasmtime tunable (wasmtime-internal-cranelift's builder
    // parses it as a number); it changes which calls are inlined, never
    // what the code computes.
    unsafe {
        config.cranelift_flag_set("wasmtime_inlining_sum_size_threshold", "700");
    }
    config
}

/// Links the module: the one place that decides what its imports get.
///
/// The module may import functions of its JavaScript glue (wasm-bindgen's
/// `./piaoyan_wasm_bg.js`), which the C-style ABI never calls. Each import
/// is defined as a function that traps when called, so a call would give
/// that one bill a `TRAP` record, never reach the host. Imports of anything
/// but functions (a memory, a table, a global) are refused.
fn link(engine: &Engine, module: &Module) -> Result<InstancePre<State>, String> {
    if let Some(import) = module
        .imports()
        .find(|i| !matches!(i.ty(), ExternType::Func(_)))
    {
        return Err(format!(
            "the verifier module imports {}::{}, which is not a function; \
             a verifier module may import functions only",
            import.module(),
            import.name()
        ));
    }
    let mut linker: Linker<State> = Linker::new(engine);
    linker
        .define_unknown_imports_as_traps(module)
        .map_err(|e| format!("cannot link the verifier module: {e:#}"))?;
    linker
        .instantiate_pre(module)
        .map_err(|e| format!("cannot prepare the verifier module: {e:#}"))
}

impl Runner {
    /// Compiles `wasm`; checks it imports functions only and speaks ABI 1.
    pub fn new(wasm: &[u8], limits: Limits) -> Result<Runner, String> {
        Runner::cached(wasm, limits, None)
    }

    /// [`Runner::new`], keeping the compiled module in `cache_dir` (when
    /// given) for the next run: see [`load_or_compile`].
    pub fn cached(wasm: &[u8], limits: Limits, cache_dir: Option<&Path>) -> Result<Runner, String> {
        let engine = Engine::new(&engine_config(&limits))
            .map_err(|e| format!("cannot set up the wasm engine: {e:#}"))?;
        let module = match cache_dir {
            Some(dir) => load_or_compile(&engine, wasm, dir),
            None => Module::new(&engine, wasm),
        }
        .map_err(|e| format!("cannot compile the verifier module: {e:#}"))?;
        Runner::with_module(engine, &module, limits)
    }

    /// A runner for a module already compiled by `engine`, which must have
    /// been made with [`engine_config`] for the same `limits`.
    pub fn with_module(engine: Engine, module: &Module, limits: Limits) -> Result<Runner, String> {
        let pre = link(&engine, module)?;
        let deadline_ticks = limits
            .timeout
            .map(|t| (t.as_millis().div_ceil(TICK.as_millis()) as u64).max(1) + 1);
        let ticker = deadline_ticks.map(|_| {
            let stop = Arc::new(AtomicBool::new(false));
            let (engine, stop2) = (engine.weak(), stop.clone());
            std::thread::spawn(move || {
                while !stop2.load(Ordering::Relaxed) {
                    std::thread::sleep(TICK);
                    match engine.upgrade() {
                        Some(engine) => engine.increment_epoch(),
                        None => break,
                    }
                }
            });
            Ticker(stop)
        });
        let runner = Runner {
            engine,
            pre,
            limits,
            deadline_ticks,
            _ticker: ticker,
        };
        let abi = runner.abi_version()?;
        if abi != ABI_VERSION {
            return Err(format!(
                "the verifier module speaks ABI {abi}; this host speaks ABI {ABI_VERSION}"
            ));
        }
        Ok(runner)
    }

    fn store(&self) -> Store<State> {
        let mut store = Store::new(
            &self.engine,
            State {
                max_memory: self.limits.max_memory,
                denied: false,
                peak: 0,
            },
        );
        store.limiter(|s| s);
        self.arm(&mut store);
        store
    }

    /// Restarts the time budget and the memory flag of a call.
    fn arm(&self, store: &mut Store<State>) {
        store.data_mut().denied = false;
        if let Some(ticks) = self.deadline_ticks {
            store.set_epoch_deadline(ticks);
            store.epoch_deadline_trap();
        }
    }

    /// A fresh instance in `store` with what every ABI call needs.
    fn instantiate(&self, store: &mut Store<State>) -> Result<Abi, Outcome> {
        let instance = self
            .pre
            .instantiate(&mut *store)
            .map_err(|e| from_wasm_error(e, "instantiation", store))?;
        let memory = instance
            .get_memory(&mut *store, "memory")
            .ok_or_else(|| abi_broken("the module exports no memory".into()))?;
        let alloc = func::<u32, u32>(&instance, &mut *store, "piaoyan_alloc")?;
        let free = func::<(u32, u32), ()>(&instance, &mut *store, "piaoyan_free")?;
        Ok(Abi {
            instance,
            memory,
            alloc,
            free,
        })
    }

    /// `piaoyan_abi_version()`.
    pub fn abi_version(&self) -> Result<u32, String> {
        let mut store = self.store();
        let instance = self
            .pre
            .instantiate(&mut store)
            .map_err(|e| format!("cannot instantiate the verifier module: {e:#}"))?;
        let f = instance
            .get_typed_func::<(), u32>(&mut store, "piaoyan_abi_version")
            .map_err(|e| format!("the verifier module has no usable piaoyan_abi_version: {e:#}"))?;
        f.call(&mut store, ())
            .map_err(|e| format!("piaoyan_abi_version failed: {e:#}"))
    }

    /// `piaoyan_version()`: the verifier version inside the module.
    pub fn version(&self) -> Result<String, String> {
        let mut store = self.store();
        let instance = self
            .pre
            .instantiate(&mut store)
            .map_err(|e| format!("cannot instantiate the verifier module: {e:#}"))?;
        let memory = instance
            .get_memory(&mut store, "memory")
            .ok_or("the verifier module exports no memory")?;
        let f = instance
            .get_typed_func::<(), u64>(&mut store, "piaoyan_version")
            .map_err(|e| format!("the verifier module has no usable piaoyan_version: {e:#}"))?;
        let packed = f
            .call(&mut store, ())
            .map_err(|e| format!("piaoyan_version failed: {e:#}"))?;
        let bytes = read(&memory, &store, packed)?;
        String::from_utf8(bytes).map_err(|_| "piaoyan_version is not UTF-8".to_string())
    }

    /// Verifies one bill in a fresh instance with `piaoyan_verify` (the
    /// options passed with the bill, nothing kept).
    pub fn verify_once(&self, bill: &[u8], options_json: &[u8]) -> Outcome {
        self.verify_once_measured(bill, options_json).0
    }

    /// [`Runner::verify_once`], also giving the peak linear memory of the
    /// instance in bytes (wasm memory only grows: its size at the end).
    pub fn verify_once_measured(&self, bill: &[u8], options_json: &[u8]) -> (Outcome, usize) {
        let mut store = self.store();
        let result = self.call_fresh(&mut store, "piaoyan_verify", bill, options_json);
        let outcome = match result {
            Ok(bytes) => parse_envelope(&bytes),
            Err(failure) => failure,
        };
        (outcome, store.data().peak)
    }

    /// The PEM blocks of `text` labelled `label`, read by the module's own
    /// PEM reader (`piaoyan_pem_blocks`, the one that reads the options):
    /// each block's DER as base64, which the options take as an entry.
    /// `Err` holds the module's message (`PEM block CERTIFICATE has no END
    /// line`) or, when the module could not answer, what went wrong.
    pub fn pem_blocks(&self, text: &str, label: &str) -> Result<Vec<String>, String> {
        let mut store = self.store();
        let result = self.call_fresh(
            &mut store,
            "piaoyan_pem_blocks",
            text.as_bytes(),
            label.as_bytes(),
        );
        let bytes = result.map_err(|failure| failure.text())?;
        abi::pem_blocks(&bytes)
    }

    /// Calls `export(a_ptr, a_len, b_ptr, b_len) -> packed` of a fresh
    /// instance and gives the result buffer (`piaoyan_render` of the
    /// render module, `host-cli/src/render/`).
    pub fn call_once(&self, export: &str, a: &[u8], b: &[u8]) -> Result<Vec<u8>, Outcome> {
        let mut store = self.store();
        self.call_fresh(&mut store, export, a, b)
    }

    /// Calls `export(a_ptr, a_len, b_ptr, b_len) -> packed` of a fresh
    /// instance in `store` and takes the result buffer.
    fn call_fresh(
        &self,
        store: &mut Store<State>,
        export: &str,
        a: &[u8],
        b: &[u8],
    ) -> Result<Vec<u8>, Outcome> {
        let Abi {
            instance,
            memory,
            alloc,
            free,
        } = self.instantiate(store)?;
        let call = func::<(u32, u32, u32, u32), u64>(&instance, store, export)?;
        let (ap, al) = put(store, &memory, &alloc, a)?;
        let (bp, bl) = put(store, &memory, &alloc, b)?;
        let packed = call
            .call(&mut *store, (ap, al, bp, bl))
            .map_err(|e| from_wasm_error(e, export, store))?;
        let result = take(store, &memory, &free, packed, export)?;
        for (p, n) in [(ap, al), (bp, bl)] {
            free.call(&mut *store, (p, n))
                .map_err(|e| from_wasm_error(e, "piaoyan_free", store))?;
        }
        Ok(result)
    }

    /// A worker that verifies with these options (the options JSON of
    /// `docs/abi.md`). Nothing runs until [`Worker::start`] or the first
    /// [`Worker::verify`].
    pub fn worker(&self, options_json: &[u8]) -> Worker<'_> {
        Worker {
            runner: self,
            options: options_json.to_vec(),
            live: None,
            instances: 0,
        }
    }
}

/// An instance and its buffer exports (`docs/abi.md`).
struct Abi {
    instance: wasmtime::Instance,
    memory: Memory,
    alloc: TypedFunc<u32, u32>,
    free: TypedFunc<(u32, u32), ()>,
}

/// One configured instance.
struct Live {
    store: Store<State>,
    memory: Memory,
    alloc: TypedFunc<u32, u32>,
    free: TypedFunc<(u32, u32), ()>,
    verify: TypedFunc<(u32, u32), u64>,
}

/// Verifies bills one after the other in one instance at a time; one per
/// thread.
pub struct Worker<'r> {
    runner: &'r Runner,
    options: Vec<u8>,
    live: Option<Live>,
    instances: usize,
}

impl Worker<'_> {
    /// Makes and configures an instance now, unless one is live. The
    /// options are checked here: `Outcome::Rejected` with an `OPTIONS_*`
    /// code means every bill would fail the same way.
    pub fn start(&mut self) -> Result<(), Outcome> {
        if self.live.is_none() {
            self.live = Some(self.configure()?);
            self.instances += 1;
        }
        Ok(())
    }

    /// How many instances this worker has made so far.
    pub fn instances(&self) -> usize {
        self.instances
    }

    /// Drops the instance; the next bill gets a fresh one.
    pub fn reset(&mut self) {
        self.live = None;
    }

    fn configure(&self) -> Result<Live, Outcome> {
        let runner = self.runner;
        let mut store = runner.store();
        let Abi {
            instance,
            memory,
            alloc,
            free,
        } = runner.instantiate(&mut store)?;
        let configure = func::<(u32, u32), u64>(&instance, &mut store, "piaoyan_configure")?;
        let verify = func::<(u32, u32), u64>(&instance, &mut store, "piaoyan_verify_configured")?;
        let (op, ol) = put(&mut store, &memory, &alloc, &self.options)?;
        let packed = configure
            .call(&mut store, (op, ol))
            .map_err(|e| from_wasm_error(e, "piaoyan_configure", &store))?;
        let result = take(&mut store, &memory, &free, packed, "piaoyan_configure")?;
        free.call(&mut store, (op, ol))
            .map_err(|e| from_wasm_error(e, "piaoyan_free", &store))?;
        parse_configured(&result)?;
        Ok(Live {
            store,
            memory,
            alloc,
            free,
            verify,
        })
    }

    /// Verifies one bill. A failure drops the instance; so does a call
    /// after which the instance holds much memory.
    pub fn verify(&mut self, bill: &[u8]) -> Outcome {
        if let Err(failure) = self.start() {
            return failure;
        }
        let Some(live) = self.live.as_mut() else {
            return abi_broken("no instance".into());
        };
        self.runner.arm(&mut live.store);
        match call_verify(live, bill) {
            Ok(bytes) => {
                if live.memory.data_size(&live.store) > RECYCLE_BYTES {
                    self.live = None;
                }
                parse_envelope(&bytes)
            }
            Err(failure) => {
                self.live = None;
                failure
            }
        }
    }
}

fn call_verify(live: &mut Live, bill: &[u8]) -> Result<Vec<u8>, Outcome> {
    let store = &mut live.store;
    let (bp, bl) = put(store, &live.memory, &live.alloc, bill)?;
    let packed = live
        .verify
        .call(&mut *store, (bp, bl))
        .map_err(|e| from_wasm_error(e, "piaoyan_verify_configured", store))?;
    let result = take(
        store,
        &live.memory,
        &live.free,
        packed,
        "piaoyan_verify_configured",
    )?;
    live.free
        .call(&mut *store, (bp, bl))
        .map_err(|e| from_wasm_error(e, "piaoyan_free", store))?;
    Ok(result)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A fake verifier module: a bump allocator, `result` at offset 1024,
    /// `verify_body` (WAT; params: bill ptr and len) as the body of both
    /// `piaoyan_verify` and `piaoyan_verify_configured`, and
    /// `piaoyan_configure` answering `{"ok":{}}` (at offset 512).
    pub fn fake(verify_body: &str, result: &str) -> Vec<u8> {
        fake_importing("", verify_body, result)
    }

    /// [`fake`] with `imports` (WAT) first in the module.
    pub fn fake_importing(imports: &str, verify_body: &str, result: &str) -> Vec<u8> {
        let escape = |s: &str| s.bytes().map(|b| format!("\\{b:02x}")).collect::<String>();
        let packed = (1024u64 << 32) | result.len() as u64;
        let ok = r#"{"ok":{}}"#;
        let ok_packed = (512u64 << 32) | ok.len() as u64;
        let wat = format!(
            r#"(module
              {imports}
              (memory (export "memory") 1)
              (global $next (mut i32) (i32.const 4096))
              (data (i32.const 512) "{ok}")
              (data (i32.const 1024) "{escaped}")
              (func (export "piaoyan_abi_version") (result i32) i32.const 1)
              (func (export "piaoyan_version") (result i64) i64.const {packed})
              (func $alloc (export "piaoyan_alloc") (param i32) (result i32)
                (local $p i32)
                global.get $next
                local.set $p
                global.get $next
                local.get 0
                i32.add
                i32.const 1
                i32.add
                global.set $next
                local.get $p)
              (func (export "piaoyan_free") (param i32 i32))
              (func (export "piaoyan_configure") (param i32 i32) (result i64)
                i64.const {ok_packed})
              (func $verify (export "piaoyan_verify_configured") (param i32 i32) (result i64)
                {verify_body})
              (func (export "piaoyan_verify") (param i32 i32 i32 i32) (result i64)
                local.get 0
                local.get 1
                call $verify))"#,
            ok = escape(ok),
            escaped = escape(result),
        );
        wat::parse_str(wat).unwrap()
    }

    pub fn returning(result: &str) -> Vec<u8> {
        let packed = (1024u64 << 32) | result.len() as u64;
        fake(&format!("i64.const {packed}"), result)
    }

    fn limits() -> Limits {
        Limits {
            timeout: Some(Duration::from_millis(300)),
            max_memory: 16 << 20,
        }
    }

    fn run(wasm: &[u8]) -> Outcome {
        let runner = Runner::new(wasm, limits()).unwrap();
        let once = runner.verify_once(b"<bill/>", b"{}");
        let mut worker = runner.worker(b"{}");
        let configured = worker.verify(b"<bill/>");
        let text =
            |o: &Outcome| format!("{o:?}").replace("piaoyan_verify_configured", "piaoyan_verify");
        assert_eq!(text(&once), text(&configured));
        configured
    }

    #[test]
    fn report_envelope_keeps_key_order() {
        let Outcome::Report(report) = run(&returning(r#"{"report":{"z":1,"a":2,"m":3}}"#)) else {
            panic!("not a report");
        };
        assert_eq!(report.keys().collect::<Vec<_>>(), ["z", "a", "m"]);
    }

    #[test]
    fn error_envelope_is_rejected() {
        match run(&returning(
            r#"{"error":{"code":"OPTIONS_PEM","message":"trustAnchors[0]: bad"}}"#,
        )) {
            Outcome::Rejected { code, message, .. } => {
                assert_eq!(code, "OPTIONS_PEM");
                assert_eq!(message, "trustAnchors[0]: bad");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn error_envelope_fields_say_where() {
        let place = |envelope: &str| match run(&returning(envelope)) {
            Outcome::Rejected { field, index, .. } => (field, index),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            place(
                r#"{"error":{"code":"OPTIONS_PEM","message":"crls[2]: bad","field":"crls","index":2}}"#
            ),
            (Some("crls".into()), Some(2))
        );
        assert_eq!(
            place(r#"{"error":{"code":"OPTIONS_JSON","message":"m","field":"limits.maxDepth"}}"#),
            (Some("limits.maxDepth".into()), None)
        );
        assert_eq!(
            place(r#"{"error":{"code":"X","message":"m"}}"#),
            (None, None)
        );
    }

    #[test]
    fn trap_is_a_failure_not_a_crash() {
        match run(&fake("unreachable", "")) {
            Outcome::Failed { code, message } => {
                assert_eq!(code, codes::TRAP);
                assert!(message.contains("unreachable"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn endless_loop_times_out() {
        match run(&fake("(loop (br 0)) i64.const 0", "")) {
            Outcome::Failed { code, .. } => assert_eq!(code, codes::TIMEOUT),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn memory_past_the_cap_is_a_memory_limit() {
        // Grows by 1 GiB at once, then traps (as Rust's allocator does when
        // memory.grow fails).
        let body = "(if (i32.lt_s (memory.grow (i32.const 16384)) (i32.const 0)) \
                    (then unreachable)) i64.const 0";
        match run(&fake(body, "")) {
            Outcome::Failed { code, message } => {
                assert_eq!(code, codes::MEMORY_LIMIT, "{message}");
                assert!(message.contains("16 MiB"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn zero_result_is_out_of_memory() {
        match run(&fake("i64.const 0", "")) {
            Outcome::Failed { code, .. } => assert_eq!(code, codes::OUT_OF_MEMORY),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn result_outside_memory_breaks_the_abi() {
        match run(&fake("i64.const 0x7fffff0000000010", "")) {
            Outcome::Failed { code, message } => {
                assert_eq!(code, codes::MODULE);
                assert!(message.contains("outside linear memory"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_envelopes_break_the_abi() {
        for text in [
            "not json",
            "[1]",
            r#"{"report":{},"error":{}}"#,
            r#"{"verdict":"VALID"}"#,
            r#"{"report":1}"#,
            r#"{"error":{"code":1}}"#,
        ] {
            match run(&returning(text)) {
                Outcome::Failed { code, .. } => assert_eq!(code, codes::MODULE, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn imports_trap_when_called_and_abi_version_is_checked() {
        // An imported function verifying calls: that bill gets a TRAP record.
        let report = r#"{"report":{"verdict":"VALID"}}"#;
        let wasm = fake_importing(
            r#"(import "./glue.js" "now" (func $now))"#,
            &format!(
                "call $now i64.const {}",
                (1024u64 << 32) | report.len() as u64
            ),
            report,
        );
        match run(&wasm) {
            Outcome::Failed { code, message } => {
                assert_eq!(code, codes::TRAP);
                assert!(message.contains("now"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let memory = wat::parse_str(r#"(module (import "env" "m" (memory 1)))"#).unwrap();
        let err = Runner::new(&memory, Limits::default()).err().unwrap();
        assert!(err.contains("env::m, which is not a function"), "{err}");
        let v2 = wat::parse_str(
            r#"(module (memory (export "memory") 1)
                 (func (export "piaoyan_abi_version") (result i32) i32.const 2))"#,
        )
        .unwrap();
        let err = Runner::new(&v2, Limits::default()).err().unwrap();
        assert!(err.contains("ABI 2"), "{err}");
    }

    #[test]
    fn compiled_modules_are_cached_and_damage_is_repaired() {
        let dir = std::env::temp_dir().join(format!("piaoyan-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let wasm = returning(r#"{"report":{"verdict":"VALID"}}"#);
        let engine = Engine::new(&engine_config(&limits())).unwrap();
        let path = cache_file(&engine, &wasm, &dir);
        assert!(!path.exists());
        let check = |dir: &Path| {
            let runner = Runner::cached(&wasm, limits(), Some(dir)).unwrap();
            match runner.worker(b"").verify(b"x") {
                Outcome::Report(r) => assert_eq!(r.get::<String>("verdict").unwrap(), "VALID"),
                other => panic!("{other:?}"),
            }
        };
        check(&dir);
        let stored = std::fs::read(&path).unwrap();
        check(&dir); // loaded
        assert_eq!(std::fs::read(&path).unwrap(), stored, "not rewritten");
        // A damaged file is not loaded: compiled anew and replaced.
        let mut damaged = stored.clone();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0xff;
        std::fs::write(&path, &damaged).unwrap();
        check(&dir);
        assert_eq!(std::fs::read(&path).unwrap(), stored);
        std::fs::write(&path, b"short").unwrap();
        check(&dir);
        assert_eq!(std::fs::read(&path).unwrap(), stored);
        // Another module, another file; no stray temporary files.
        let other = cache_file(&engine, &returning("x"), &dir);
        assert_ne!(other, path);
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        // An unwritable cache costs nothing but the compilation.
        check(&path.join("not-a-dir"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn version_is_read_from_memory() {
        // The fake's piaoyan_version points at its result text.
        let runner = Runner::new(&returning("9.8.7"), Limits::default()).unwrap();
        assert_eq!(runner.version().unwrap(), "9.8.7");
    }

    /// A bill starting with `T` traps; any other is a report. Each trap
    /// costs the worker its instance; good bills reuse one.
    #[test]
    fn a_trap_replaces_the_instance_and_the_next_bill_is_fine() {
        let report = r#"{"report":{"verdict":"VALID"}}"#;
        let packed = (1024u64 << 32) | report.len() as u64;
        let body = format!(
            "(if (i32.eq (i32.load8_u (local.get 0)) (i32.const 84)) (then unreachable)) \
             i64.const {packed}"
        );
        let runner = Runner::new(&fake(&body, report), limits()).unwrap();
        let mut worker = runner.worker(b"");
        for bill in [&b"a"[..], b"b", b"T", b"c", b"T", b"T", b"d", b"e"] {
            let outcome = worker.verify(bill);
            match (bill, outcome) {
                (b"T", Outcome::Failed { code, .. }) => assert_eq!(code, codes::TRAP),
                (_, Outcome::Report(r)) => assert_eq!(r.get::<String>("verdict").unwrap(), "VALID"),
                (_, other) => panic!("{other:?}"),
            }
        }
        assert_eq!(worker.instances(), 4, "one, then one after each trap");
    }

    #[test]
    fn configure_errors_are_rejections() {
        let error = r#"{"error":{"code":"OPTIONS_PEM","message":"m"}}"#;
        let wat = format!(
            r#"(module
          (memory (export "memory") 1)
          (data (i32.const 64) "{}")
          (func (export "piaoyan_abi_version") (result i32) i32.const 1)
          (func (export "piaoyan_alloc") (param i32) (result i32) i32.const 1024)
          (func (export "piaoyan_free") (param i32 i32))
          (func (export "piaoyan_configure") (param i32 i32) (result i64)
            i64.const {})
          (func (export "piaoyan_verify_configured") (param i32 i32) (result i64) unreachable))"#,
            error.replace('"', "\\\""),
            (64u64 << 32) | error.len() as u64
        );
        let runner = Runner::new(&wat::parse_str(wat).unwrap(), limits()).unwrap();
        match runner.worker(b"{}").start() {
            Err(Outcome::Rejected { code, .. }) => assert_eq!(code, "OPTIONS_PEM"),
            other => panic!("{other:?}"),
        }
        // A module without the configured exports breaks the ABI.
        let runner = Runner::new(&returning("x"), limits()).unwrap();
        let old = wat::parse_str(
            r#"(module (memory (export "memory") 1)
                 (func (export "piaoyan_abi_version") (result i32) i32.const 1)
                 (func (export "piaoyan_alloc") (param i32) (result i32) i32.const 8)
                 (func (export "piaoyan_free") (param i32 i32)))"#,
        )
        .unwrap();
        drop(runner);
        let runner = Runner::new(&old, limits()).unwrap();
        match runner.worker(b"").verify(b"x") {
            Outcome::Failed { code, message } => {
                assert_eq!(code, codes::MODULE);
                assert!(message.contains("piaoyan_configure"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
