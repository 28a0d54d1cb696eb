//! Verifications per second through wasmtime: the embedded module, one
//! configured instance reused (what each `piaoyan verify` worker does), and
//! the one-shot `piaoyan_verify` in a fresh instance for comparison.
//!
//! ```sh
//! cargo bench -p piaoyan-cli --bench wasm
//! ```
//!
//! The bill is `shared/vectors/bills/bill-0001.xml` with the trust material
//! of `shared/vectors/bills/trust/`; `PIAOYAN_BENCH_BILL` and
//! `PIAOYAN_BENCH_TRUST` (a directory with roots.pem, intermediates.pem,
//! crls.pem) choose others; `PIAOYAN_BENCH_MODULE` (a `.wasm` file) another
//! build of the module, to compare builds. `core/benches/verify.rs`
//! measures the same natively.
//!
//! `PIAOYAN_BENCH_PERFMAP=1` has wasmtime write `/tmp/perf-<pid>.map`, so
//! that `perf` names the module's functions: the profile of a bill in the
//! module (recipe in docs/build.md, "Profiling a bill in the module").

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use piaoyan_cli::MODULE;
use piaoyan_cli::module::{Limits, Outcome, Runner, engine_config};
use serde_json::json;

fn paths() -> (PathBuf, PathBuf) {
    let vectors = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/bills");
    let bill = std::env::var_os("PIAOYAN_BENCH_BILL")
        .map(PathBuf::from)
        .unwrap_or_else(|| vectors.join("bill-0001.xml"));
    let trust = std::env::var_os("PIAOYAN_BENCH_TRUST")
        .map(PathBuf::from)
        .unwrap_or_else(|| vectors.join("trust"));
    (bill, trust)
}

fn options_json(trust: &std::path::Path) -> String {
    let read = |f: &str| std::fs::read_to_string(trust.join(f)).expect("trust PEM file");
    json!({
        "trustAnchors": [read("roots.pem")],
        "certificates": [read("intermediates.pem")],
        "crls": [read("crls.pem")],
        "now": 1_767_225_600,
    })
    .to_string()
}

fn bench(c: &mut Criterion) {
    let (bill_path, trust) = paths();
    let bill = std::fs::read(&bill_path).expect("bill");
    let options = options_json(&trust);
    let module = std::env::var_os("PIAOYAN_BENCH_MODULE")
        .map(|path| std::fs::read(path).expect("PIAOYAN_BENCH_MODULE"));
    let wasm = module.as_deref().unwrap_or(MODULE);
    let runner = if std::env::var_os("PIAOYAN_BENCH_PERFMAP").is_some() {
        let limits = Limits::default();
        let mut config = engine_config(&limits);
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
        let engine = wasmtime::Engine::new(&config).expect("engine");
        let module = wasmtime::Module::new(&engine, wasm).expect("module");
        Runner::with_module(engine, &module, limits).expect("runner")
    } else {
        Runner::new(wasm, Limits::default()).expect("module")
    };
    let mut worker = runner.worker(options.as_bytes());
    match worker.verify(&bill) {
        Outcome::Report(r) => {
            eprintln!(
                "{}: {} through wasmtime",
                bill_path.display(),
                r.get::<String>("verdict").unwrap_or_default()
            )
        }
        other => panic!("{other:?}"),
    }
    let mut group = c.benchmark_group("wasmtime");
    group.throughput(Throughput::Elements(1));
    group.bench_function("configured", |b| {
        b.iter(|| worker.verify(std::hint::black_box(&bill)))
    });
    group.bench_function("one-shot", |b| {
        b.iter(|| runner.verify_once(std::hint::black_box(&bill), options.as_bytes()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
