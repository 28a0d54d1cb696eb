//! `piaoyan`: verifies fiscal electronic bills offline by running the
//! embedded Piaoyan WebAssembly module through wasmtime.
//!
//! The binary is [`main`]; the library parts are public for the tests and
//! benchmarks, one job each: [`cli`] defines the command line, [`explain`]
//! explains the report's checks, [`shell`] writes completions and the
//! manual page, [`terminal`] reads the terminal's width, colours and
//! locale, [`config`]
//! reads `piaoyan.toml`, [`settings`] puts the two together, [`trust`]
//! reads the PEM trust material into the options, [`inputs`] expands and
//! reads what to verify, [`module`] runs the module through its ABI,
//! [`pool`] verifies in parallel with exact accounting, [`render`] draws
//! pages with the render module (`piaoyan render`), [`ledger`] keeps
//! every verdict and the bookings in a database, [`report`] reads a
//! report's envelope, [`output`] prints records and the summary, and
//! [`run`] is one `piaoyan verify` from start to exit status.

pub mod cli;
pub mod config;
pub mod explain;
pub mod inputs;
pub mod ledger;
pub mod module;
pub mod output;
pub mod pool;
pub mod render;
pub mod report;
pub mod run;
pub mod settings;
pub mod shell;
pub mod terminal;
pub mod trust;

use std::process::ExitCode;

/// The wasmtime the runner is built with, for other hosts of the runner
/// (the Python package, `python/`), so they name the same engine types.
pub use wasmtime;

/// The verifier module, built from this workspace by `build.rs`.
pub static MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/piaoyan_wasm.wasm"));

/// Input bound of an XML bill passed to the verifier (spec §8 default).
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

/// Bound of an OFD document (zip package) passed to the verifier (the core's
/// default `maxPackageBytes`).
pub const MAX_PACKAGE_BYTES: u64 = 64 * 1024 * 1024;

/// Most bytes read of one input: one byte more than the larger bound, so
/// that the verifier, which tells bills and documents apart by content,
/// sees that a longer input is too long without the host reading all of it.
pub const READ_CAP: u64 = if MAX_PACKAGE_BYTES > MAX_INPUT_BYTES {
    MAX_PACKAGE_BYTES
} else {
    MAX_INPUT_BYTES
} + 1;

/// Every bill VALID.
pub(crate) const EXIT_VALID: u8 = 0;
/// Some bill not proven VALID (INVALID, INDETERMINATE, or an error record).
pub(crate) const EXIT_NOT_VALID: u8 = 1;
/// A usage or I/O error.
pub(crate) const EXIT_USAGE: u8 = 2;

/// The `piaoyan` binary.
pub fn main() -> ExitCode {
    cli::main_with(std::env::args_os())
}
