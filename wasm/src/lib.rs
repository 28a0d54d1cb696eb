//! Piaoyan as one WebAssembly module.
//!
//! The same module serves two kinds of host:
//!
//! - hosts without JavaScript use the C-style ABI in [`abi`]
//!   (`docs/abi.md`), whose exports exist only when compiling for `wasm32`
//!   (pointers there are 32-bit offsets into linear memory);
//! - JavaScript (browsers, Node, bundlers) uses the wasm-bindgen API of
//!   `js.rs`, wrapped by the npm package in `wasm/js/`; what it does is in
//!   [`jsapi`], compiled and tested everywhere.
//!
//! `host-cli/build.rs` builds the module, runs `wasm-bindgen` and `wasm-opt`
//! on it, and embeds the result; the web page loads the very same bytes.

pub mod abi;
pub mod jsapi;

#[cfg(target_arch = "wasm32")]
mod js;

/// The allocator of the module: Talc, a drop-in for the standard library's
/// dlmalloc on WebAssembly that is smaller (3.2 KB of the module's gzip
/// size, with its in-place reallocation left out) and faster. Memory still grows with `memory.grow` as needed; the
/// hosts' caps on linear memory (`host-cli/tests/wasm_memory.rs`) hold.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
