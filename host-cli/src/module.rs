//! Runs the verifier module through its C-style ABI (`docs/abi.md`).
//!
//! The module is compiled once; every bill gets a fresh instance in a fresh
//! store, so nothing one bill does (a trap, a leak) reaches the next.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Map, Value};
use wasmtime::{
    Config, Engine, InstancePre, Linker, Memory, Module, Store, StoreLimits, StoreLimitsBuilder,
    Trap, TypedFunc,
};

/// The ABI version this host speaks.
pub const ABI_VERSION: u32 = 1;

/// Linear memory one bill may use (the module's own bounds keep real bills
/// far below this; it guards the host against a runaway module).
const MAX_MEMORY_BYTES: usize = 1 << 30;

/// How often the clock of timeouts ticks.
const TICK: Duration = Duration::from_millis(100);

/// What the module said about one bill.
#[derive(Debug)]
pub enum Outcome {
    /// `{"report": {...}}`: the report object, key order kept.
    Report(Map<String, Value>),
    /// `{"error": {...}}`: the module refused the call (bad options, say).
    Rejected { code: String, message: String },
    /// The module trapped, timed out or broke the ABI: no result at all.
    Failed { code: &'static str, message: String },
}

/// Error codes of [`Outcome::Failed`], also used in the CLI's error records.
pub mod codes {
    /// The module trapped (a panic in the verifier is a trap).
    pub const TRAP: &str = "TRAP";
    /// The bill took longer than the timeout.
    pub const TIMEOUT: &str = "TIMEOUT";
    /// The module could not get memory for a buffer.
    pub const OUT_OF_MEMORY: &str = "OUT_OF_MEMORY";
    /// The module broke the ABI (bad pointer, result not a JSON envelope).
    pub const MODULE: &str = "MODULE";
}

struct State {
    limits: StoreLimits,
}

/// The compiled module, ready to instantiate.
pub struct Runner {
    engine: Engine,
    pre: InstancePre<State>,
    /// Epoch ticks a call may last; `None`: no timeout.
    deadline_ticks: Option<u64>,
    ticker_stop: Option<Arc<AtomicBool>>,
}

impl Drop for Runner {
    fn drop(&mut self) {
        if let Some(stop) = &self.ticker_stop {
            stop.store(true, Ordering::Relaxed);
        }
    }
}

impl Runner {
    /// Compiles `wasm`; checks it needs no import and speaks ABI 1.
    /// `timeout`: the longest one bill may take (`None`: unbounded).
    pub fn new(wasm: &[u8], timeout: Option<Duration>) -> Result<Runner, String> {
        let mut config = Config::new();
        config.epoch_interruption(timeout.is_some());
        let engine =
            Engine::new(&config).map_err(|e| format!("cannot set up the wasm engine: {e:#}"))?;
        let module = Module::new(&engine, wasm)
            .map_err(|e| format!("cannot compile the verifier module: {e:#}"))?;
        if let Some(import) = module.imports().next() {
            return Err(format!(
                "the verifier module imports {}::{}; a verifier module must import nothing",
                import.module(),
                import.name()
            ));
        }
        let linker: Linker<State> = Linker::new(&engine);
        let pre = linker
            .instantiate_pre(&module)
            .map_err(|e| format!("cannot prepare the verifier module: {e:#}"))?;

        let deadline_ticks = timeout.map(|t| (t.as_millis() / TICK.as_millis()).max(1) as u64);
        let ticker_stop = deadline_ticks.map(|_| {
            let stop = Arc::new(AtomicBool::new(false));
            let (engine, stop2) = (engine.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop2.load(Ordering::Relaxed) {
                    std::thread::sleep(TICK);
                    engine.increment_epoch();
                }
            });
            stop
        });
        let runner = Runner {
            engine,
            pre,
            deadline_ticks,
            ticker_stop,
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
        let limits = StoreLimitsBuilder::new()
            .memory_size(MAX_MEMORY_BYTES)
            .instances(1)
            .build();
        let mut store = Store::new(&self.engine, State { limits });
        store.limiter(|s| &mut s.limits);
        if let Some(ticks) = self.deadline_ticks {
            store.set_epoch_deadline(ticks);
            store.epoch_deadline_trap();
        }
        store
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
    #[cfg(test)]
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

    /// Verifies one bill with the options JSON.
    pub fn verify(&self, bill: &[u8], options_json: &[u8]) -> Outcome {
        match self.call_verify(bill, options_json) {
            Ok(result) => parse_envelope(&result),
            Err(failure) => failure,
        }
    }

    fn call_verify(&self, bill: &[u8], options_json: &[u8]) -> Result<Vec<u8>, Outcome> {
        let mut store = self.store();
        let instance = self
            .pre
            .instantiate(&mut store)
            .map_err(|e| from_wasm_error(e, "instantiation"))?;
        let memory = instance
            .get_memory(&mut store, "memory")
            .ok_or_else(|| abi_broken("the module exports no memory".into()))?;
        let alloc: TypedFunc<u32, u32> = instance
            .get_typed_func(&mut store, "piaoyan_alloc")
            .map_err(|e| abi_broken(format!("piaoyan_alloc: {e:#}")))?;
        let free: TypedFunc<(u32, u32), ()> =
            instance
                .get_typed_func(&mut store, "piaoyan_free")
                .map_err(|e| abi_broken(format!("piaoyan_free: {e:#}")))?;
        let verify: TypedFunc<(u32, u32, u32, u32), u64> = instance
            .get_typed_func(&mut store, "piaoyan_verify")
            .map_err(|e| abi_broken(format!("piaoyan_verify: {e:#}")))?;

        let (bill_ptr, bill_len) = put(&mut store, &memory, &alloc, bill)?;
        let (opts_ptr, opts_len) = put(&mut store, &memory, &alloc, options_json)?;
        let packed = verify
            .call(&mut store, (bill_ptr, bill_len, opts_ptr, opts_len))
            .map_err(|e| from_wasm_error(e, "piaoyan_verify"))?;
        if packed == 0 {
            return Err(Outcome::Failed {
                code: codes::OUT_OF_MEMORY,
                message: "the verifier module ran out of memory for its result".into(),
            });
        }
        let result = read(&memory, &store, packed).map_err(abi_broken)?;
        let (ptr, len) = unpack(packed);
        for (p, n) in [(bill_ptr, bill_len), (opts_ptr, opts_len), (ptr, len)] {
            free.call(&mut store, (p, n))
                .map_err(|e| from_wasm_error(e, "piaoyan_free"))?;
        }
        Ok(result)
    }
}

fn unpack(packed: u64) -> (u32, u32) {
    ((packed >> 32) as u32, packed as u32)
}

/// Copies `bytes` into a buffer from `piaoyan_alloc`.
fn put(
    store: &mut Store<State>,
    memory: &Memory,
    alloc: &TypedFunc<u32, u32>,
    bytes: &[u8],
) -> Result<(u32, u32), Outcome> {
    let len = u32::try_from(bytes.len()).map_err(|_| Outcome::Failed {
        code: codes::OUT_OF_MEMORY,
        message: format!("{} bytes do not fit in 32-bit memory", bytes.len()),
    })?;
    let ptr = alloc
        .call(&mut *store, len)
        .map_err(|e| from_wasm_error(e, "piaoyan_alloc"))?;
    if ptr == 0 {
        return Err(Outcome::Failed {
            code: codes::OUT_OF_MEMORY,
            message: format!("the verifier module could not allocate {len} bytes"),
        });
    }
    memory
        .write(&mut *store, ptr as usize, bytes)
        .map_err(|_| {
            abi_broken(format!(
                "piaoyan_alloc({len}) returned {ptr}, out of bounds"
            ))
        })?;
    Ok((ptr, len))
}

/// Reads the buffer a packed `(ptr << 32) | len` names.
fn read(memory: &Memory, store: &Store<State>, packed: u64) -> Result<Vec<u8>, String> {
    let (ptr, len) = unpack(packed);
    let data = memory.data(store);
    let start = ptr as usize;
    data.get(start..start + len as usize)
        .map(<[u8]>::to_vec)
        .ok_or_else(|| {
            format!(
                "result {ptr:#x}+{len} lies outside linear memory ({} bytes)",
                data.len()
            )
        })
}

fn abi_broken(message: String) -> Outcome {
    Outcome::Failed {
        code: codes::MODULE,
        message: format!("the verifier module broke the ABI: {message}"),
    }
}

fn from_wasm_error(error: wasmtime::Error, during: &str) -> Outcome {
    match error.downcast_ref::<Trap>() {
        Some(Trap::Interrupt) => Outcome::Failed {
            code: codes::TIMEOUT,
            message: format!("the verifier did not finish in time ({during} interrupted)"),
        },
        Some(Trap::UnreachableCodeReached) => Outcome::Failed {
            code: codes::TRAP,
            message: format!(
                "the verifier module trapped in {during}: wasm `unreachable` executed \
                 (a panic or an abort inside the verifier)"
            ),
        },
        Some(trap) => Outcome::Failed {
            code: codes::TRAP,
            message: format!("the verifier module trapped in {during}: {trap}"),
        },
        None => Outcome::Failed {
            code: codes::TRAP,
            message: format!("the verifier module failed in {during}: {error:#}"),
        },
    }
}

/// Reads a result buffer: one JSON object with exactly one key, `report` or
/// `error`.
fn parse_envelope(bytes: &[u8]) -> Outcome {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return abi_broken(format!("the result is not JSON: {e}")),
    };
    let Value::Object(mut envelope) = value else {
        return abi_broken("the result is not a JSON object".into());
    };
    if envelope.len() != 1 {
        return abi_broken(format!(
            "the result envelope has {} keys, not 1",
            envelope.len()
        ));
    }
    if let Some(report) = envelope.remove("report") {
        return match report {
            Value::Object(report) => Outcome::Report(report),
            _ => abi_broken("`report` is not an object".into()),
        };
    }
    match envelope.remove("error") {
        Some(Value::Object(error)) => {
            let text = |key: &str| error.get(key).and_then(Value::as_str).map(str::to_string);
            match (text("code"), text("message")) {
                (Some(code), Some(message)) => Outcome::Rejected { code, message },
                _ => abi_broken("`error` lacks a string code or message".into()),
            }
        }
        _ => abi_broken("the result envelope has neither `report` nor `error`".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake verifier module with a bump allocator, `result` at offset 1024,
    /// and `verify_body` (WAT) as the body of `piaoyan_verify`.
    fn fake(verify_body: &str, result: &str) -> Vec<u8> {
        let escaped: String = result
            .bytes()
            .map(|b| format!("\\{b:02x}"))
            .collect::<String>();
        let packed = (1024u64 << 32) | result.len() as u64;
        let wat = format!(
            r#"(module
              (memory (export "memory") 1)
              (global $next (mut i32) (i32.const 4096))
              (data (i32.const 1024) "{escaped}")
              (func (export "piaoyan_abi_version") (result i32) i32.const 1)
              (func (export "piaoyan_version") (result i64) i64.const {packed})
              (func (export "piaoyan_alloc") (param i32) (result i32)
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
              (func (export "piaoyan_verify") (param i32 i32 i32 i32) (result i64)
                {verify_body}))"#
        );
        wat::parse_str(wat).unwrap()
    }

    fn returning(result: &str) -> Vec<u8> {
        let packed = (1024u64 << 32) | result.len() as u64;
        fake(&format!("i64.const {packed}"), result)
    }

    fn run(wasm: &[u8]) -> Outcome {
        let runner = Runner::new(wasm, Some(Duration::from_millis(300))).unwrap();
        runner.verify(b"<bill/>", b"{}")
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
            Outcome::Rejected { code, message } => {
                assert_eq!(code, "OPTIONS_PEM");
                assert_eq!(message, "trustAnchors[0]: bad");
            }
            other => panic!("{other:?}"),
        }
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
    fn imports_and_abi_version_are_checked() {
        let importing = wat::parse_str(r#"(module (import "env" "now" (func)))"#).unwrap();
        let err = Runner::new(&importing, None).err().unwrap();
        assert!(err.contains("env::now"), "{err}");
        let v2 = wat::parse_str(
            r#"(module (memory (export "memory") 1)
                 (func (export "piaoyan_abi_version") (result i32) i32.const 2))"#,
        )
        .unwrap();
        let err = Runner::new(&v2, None).err().unwrap();
        assert!(err.contains("ABI 2"), "{err}");
    }

    #[test]
    fn version_is_read_from_memory() {
        // The fake's piaoyan_version points at its result text.
        let runner = Runner::new(&returning("9.8.7"), None).unwrap();
        assert_eq!(runner.version().unwrap(), "9.8.7");
    }
}
