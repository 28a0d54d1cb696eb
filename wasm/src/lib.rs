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

#![cfg_attr(all(target_arch = "wasm32", not(feature = "render")), no_std)]

// In the module, no standard library: `piaoyan_core` is `no_std` too, so a
// panic never formats a message (the panic handler below is a trap), which
// keeps the formatting machinery and the panic hooks out of the module.
// The render module links the standard library (its TIFF decoder reads
// through `std::io`, docs/render.md) and so its panic handler too: a trap
// all the same on wasm32 (panic = "abort").
extern crate alloc;

pub mod abi;
pub mod jsapi;
#[cfg(feature = "render")]
pub mod render;

#[cfg(target_arch = "wasm32")]
mod js;

/// The allocator of the module: Talc, a drop-in for the standard library's
/// dlmalloc on WebAssembly that is smaller (3.2 KB of the module's gzip
/// size, with its in-place reallocation left out) and faster. Memory still grows with `memory.grow` as needed; the
/// hosts' caps on linear memory (`host-cli/tests/wasm_memory.rs`) hold.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A panic in the module is a trap (the `unreachable` instruction), as with
/// `panic = "abort"` before; hosts report it as `TRAP` (`docs/abi.md`). No
/// message is formatted: nothing could show it.
#[cfg(all(target_arch = "wasm32", not(test), not(feature = "render")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
