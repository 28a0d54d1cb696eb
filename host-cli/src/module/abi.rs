//! The ABI marshalling: buffers in and out of linear memory through
//! `piaoyan_alloc` / `piaoyan_free`, and the JSON envelopes read back
//! (`docs/abi.md`).

use serde_json::Value;
use wasmtime::{Memory, Store, Trap, TypedFunc};

use super::{Outcome, State, codes};
use crate::report::Envelope;

pub(crate) fn func<P: wasmtime::WasmParams, R: wasmtime::WasmResults>(
    instance: &wasmtime::Instance,
    store: &mut Store<State>,
    name: &str,
) -> Result<TypedFunc<P, R>, Outcome> {
    instance
        .get_typed_func::<P, R>(&mut *store, name)
        .map_err(|e| abi_broken(format!("{name}: {e:#}")))
}

pub(crate) fn unpack(packed: u64) -> (u32, u32) {
    ((packed >> 32) as u32, packed as u32)
}

/// Copies `bytes` into a buffer from `piaoyan_alloc`.
pub(crate) fn put(
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
        .map_err(|e| from_wasm_error(e, "piaoyan_alloc", store))?;
    if ptr == 0 {
        return Err(out_of_memory(
            store,
            format!("the verifier module could not allocate {len} bytes"),
        ));
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

/// Reads and frees a result buffer.
pub(crate) fn take(
    store: &mut Store<State>,
    memory: &Memory,
    free: &TypedFunc<(u32, u32), ()>,
    packed: u64,
    during: &str,
) -> Result<Vec<u8>, Outcome> {
    if packed == 0 {
        return Err(out_of_memory(
            store,
            format!("the verifier module ran out of memory for the result of {during}"),
        ));
    }
    let result = read(memory, store, packed).map_err(abi_broken)?;
    let (ptr, len) = unpack(packed);
    free.call(&mut *store, (ptr, len))
        .map_err(|e| from_wasm_error(e, "piaoyan_free", store))?;
    Ok(result)
}

pub(crate) fn out_of_memory(store: &Store<State>, message: String) -> Outcome {
    if store.data().denied {
        memory_limit(store)
    } else {
        Outcome::Failed {
            code: codes::OUT_OF_MEMORY,
            message,
        }
    }
}

pub(crate) fn memory_limit(store: &Store<State>) -> Outcome {
    Outcome::Failed {
        code: codes::MEMORY_LIMIT,
        message: format!(
            "the verifier needed more than the {} MiB of memory one instance may use",
            store.data().max_memory >> 20
        ),
    }
}

/// Reads the buffer a packed `(ptr << 32) | len` names.
pub(crate) fn read(memory: &Memory, store: &Store<State>, packed: u64) -> Result<Vec<u8>, String> {
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

pub(crate) fn abi_broken(message: String) -> Outcome {
    Outcome::Failed {
        code: codes::MODULE,
        message: format!("the verifier module broke the ABI: {message}"),
    }
}

pub(crate) fn from_wasm_error(
    error: wasmtime::Error,
    during: &str,
    store: &Store<State>,
) -> Outcome {
    let trap = error.downcast_ref::<Trap>();
    if store.data().denied && trap != Some(&Trap::Interrupt) {
        return memory_limit(store);
    }
    match trap {
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
            message: format!(
                "the verifier module failed in {during}: {}",
                error.root_cause()
            ),
        },
    }
}

/// Reads a result buffer: one JSON object with exactly one key.
pub(crate) fn envelope(bytes: &[u8]) -> Result<Envelope, Outcome> {
    serde_json::from_slice(bytes)
        .map_err(|e| abi_broken(format!("the result is not a JSON envelope of the ABI: {e}")))
}

pub(crate) fn rejected(error: Value) -> Outcome {
    let text = |key: &str| error.get(key).and_then(Value::as_str).map(str::to_string);
    match (text("code"), text("message")) {
        (Some(code), Some(message)) => Outcome::Rejected {
            code,
            message,
            field: text("field"),
            index: error
                .get("index")
                .and_then(Value::as_u64)
                .and_then(|i| usize::try_from(i).ok()),
        },
        _ => abi_broken("`error` lacks a string code or message".into()),
    }
}

/// Reads a result buffer: `{"report": {...}}` or `{"error": {...}}`.
pub(crate) fn parse_envelope(bytes: &[u8]) -> Outcome {
    match envelope(bytes) {
        Ok(Envelope::Report(report)) => Outcome::Report(report),
        Ok(Envelope::Other(key, error)) if key == "error" => rejected(error),
        Ok(Envelope::Other(..)) => {
            abi_broken("the result envelope has neither `report` nor `error`".into())
        }
        Err(failure) => failure,
    }
}

/// Reads the result of `piaoyan_configure`: `{"ok": {...}}` or an error.
pub(crate) fn parse_configured(bytes: &[u8]) -> Result<(), Outcome> {
    match envelope(bytes)? {
        Envelope::Other(key, Value::Object(_)) if key == "ok" => Ok(()),
        Envelope::Other(key, error) if key == "error" => Err(rejected(error)),
        _ => Err(abi_broken(
            "the result of piaoyan_configure has neither `ok` nor `error`".into(),
        )),
    }
}

/// Reads the result of `piaoyan_pem_blocks`: `{"ok":[{"label","der"},…]}`
/// gives each block's `der` (base64); `{"error":{…}}` its message.
pub(crate) fn pem_blocks(bytes: &[u8]) -> Result<Vec<String>, String> {
    let broken = || "the result of piaoyan_pem_blocks is not what the ABI says".to_string();
    match envelope(bytes).map_err(|failure| failure.text())? {
        Envelope::Other(key, Value::Array(blocks)) if key == "ok" => blocks
            .iter()
            .map(|b| b.get("der").and_then(Value::as_str).map(str::to_string))
            .collect::<Option<Vec<String>>>()
            .ok_or_else(broken),
        Envelope::Other(key, error) if key == "error" => Err(match rejected(error) {
            Outcome::Rejected { message, .. } => message,
            other => other.text(),
        }),
        _ => Err(broken()),
    }
}
