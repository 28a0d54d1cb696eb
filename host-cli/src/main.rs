//! `piaoyan`: verifies fiscal electronic bills offline by running the
//! embedded Piaoyan WebAssembly module through wasmtime (see the library,
//! `piaoyan_cli`).

fn main() -> std::process::ExitCode {
    piaoyan_cli::main()
}
