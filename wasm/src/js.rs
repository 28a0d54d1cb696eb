//! The JavaScript API, through wasm-bindgen (only on `wasm32`).
//!
//! These are the raw bindings the generated glue (`piaoyan_wasm.js`)
//! exposes; the package's public API is the hand-written wrapper
//! (`wasm/js/index.js`, typed by `wasm/js/index.d.ts`), which checks the
//! inputs, instantiates the module, turns traps into errors and computes
//! `moduleHash()`.
//!
//! Reports and bills cross as the very JSON the C-style ABI returns, parsed
//! by `JSON.parse`: a report in JavaScript is exactly the JSON report
//! (`docs/report.schema.json`). Options cross the same way: the wrapper
//! checks their shape and hands over the options JSON of the C-style ABI
//! (`docs/abi.md`), DER bytes as base64, so both hosts read options alike.
//! A failure comes back as a marked string (see [`answer`]) that the
//! wrapper throws as a JavaScript `Error` named `PiaoyanError` with a string
//! `code`; the module is built with `panic = "abort"`, so no panic message
//! ever reaches JavaScript (a panic is a trap the wrapper reports as `TRAP`).

use alloc::string::String;
use alloc::string::ToString;
use core::fmt::Write;

use wasm_bindgen::prelude::*;

use crate::jsapi::{self, CallError};

/// What every fallible binding returns: the JSON (or text) of the answer,
/// or, for a failure, `!` + code + newline + field + newline + index +
/// newline + message (field and index empty when the error has none). The
/// wrapper (`wasm/js/index.js`, `answer()`) turns the latter into a
/// `PiaoyanError` and parses the former with `JSON.parse`. No answer starts
/// with `!`: JSON objects start with `{`, capital spellings with a Chinese
/// character. Strings rather than JavaScript objects keep `js-sys` (and the
/// code that builds `Error` objects through it) out of the module.
fn answer(result: Result<String, CallError>) -> String {
    match result {
        Ok(text) => text,
        Err(e) => {
            let mut out = String::from("!");
            out.push_str(e.code);
            out.push('\n');
            out.push_str(e.field.as_deref().unwrap_or_default());
            out.push('\n');
            if let Some(index) = e.index {
                let _ = write!(out, "{index}");
            }
            out.push('\n');
            out.push_str(&e.message);
            out
        }
    }
}

/// Verifies one bill with the options JSON of the C-style ABI (the wrapper
/// makes it from the options object); answers the report's JSON.
#[wasm_bindgen(js_name = verify)]
pub fn verify(bill: &[u8], options_json: &str) -> String {
    answer(jsapi::verify_json(bill, options_json))
}

/// Parses one bill without verifying it; answers the bill's JSON.
#[wasm_bindgen(js_name = parse)]
pub fn parse(bill: &[u8]) -> String {
    answer(jsapi::parse_json(bill))
}

/// The verifier version (`0.1.0`).
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    piaoyan_core::VERSION.to_string()
}

/// Lower-case hexadecimal SHA-256 of `bytes` (the wrapper's `moduleHash()`
/// hashes the module bytes it instantiated with this).
#[wasm_bindgen(js_name = sha256Hex)]
pub fn sha256_hex(bytes: &[u8]) -> String {
    jsapi::sha256_hex(bytes)
}

/// Summary of one DER certificate (subject, issuer, validity, self-issued).
#[wasm_bindgen(js_name = describeCertificate)]
pub fn describe_certificate(der: &[u8]) -> String {
    answer(jsapi::describe_certificate_json(der))
}

/// Summary of one DER CRL (issuer, updates, number of revoked serials).
#[wasm_bindgen(js_name = describeCrl)]
pub fn describe_crl(der: &[u8]) -> String {
    answer(jsapi::describe_crl_json(der))
}

/// The canonical capital spelling (大写) of an amount in fen.
#[wasm_bindgen(js_name = spellAmount)]
pub fn spell_amount(fen: f64) -> String {
    // A whole number within ±(2^53 - 1): the cast back gives the same
    // number (NaN, infinities and fractions do not come back).
    let whole = fen as i64;
    answer(
        if whole as f64 == fen && whole.unsigned_abs() <= 9_007_199_254_740_991 {
            Ok(jsapi::spell_amount(whole))
        } else {
            Err(CallError::new(
                "INPUT_TYPE",
                "the amount must be a whole number of fen",
            ))
        },
    )
}

/// Verifies and draws one input (the render module only, `docs/render.md`):
/// answers `{"pages":[{"svg","widthMm","heightMm","signed"}],"report":…}`.
#[cfg(feature = "render")]
#[wasm_bindgen(js_name = render)]
pub fn render(input: &[u8], options_json: &str) -> String {
    answer(crate::render::render_json(input, options_json.as_bytes()))
}

/// Runs when the module is instantiated (it does nothing); it exists so that
/// the glue's `__wbg_reset_state()`, which the wrapper calls after a trap,
/// finds the `__wbindgen_start` it always calls.
#[wasm_bindgen(start)]
fn start() {}
