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
