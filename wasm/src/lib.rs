//! Piaoyan as one WebAssembly module.
//!
//! The C-style ABI for hosts without JavaScript lives in [`abi`] and is
//! described in `docs/abi.md`. Its exports exist only when compiling for
//! `wasm32` (pointers there are 32-bit offsets into linear memory); the
//! pure functions behind them are compiled and tested everywhere.

pub mod abi;
