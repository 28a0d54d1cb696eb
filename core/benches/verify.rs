//! Native verifications per second.
//!
//! ```sh
//! cargo bench -p piaoyan-core --bench verify
//! ```
//!
//! The bill is `shared/vectors/bills/bill-0001.xml` with the trust material
//! of `shared/vectors/bills/trust/`; `PIAOYAN_BENCH_BILL` and
//! `PIAOYAN_BENCH_TRUST` (a directory with roots.pem, intermediates.pem,
//! crls.pem) choose others. `host-cli/benches/wasm.rs` measures the same
//! through wasmtime.
//!
//! - `configured`: one [`Verifier`] for every bill (trust parsed once,
//!   certificate paths remembered), as a configured module instance does;
//! - `configured+json`: the same plus the report as JSON, which is what the
//!   module hands its host;
//! - `one-shot`: [`verify_json`] with the options JSON every time, as the
//!   module's `piaoyan_verify` does.

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use piaoyan_core::{Verifier, VerifyOptions, verify_json};

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

fn bench(c: &mut Criterion) {
    let (bill_path, trust) = paths();
    let bill = std::fs::read(&bill_path).expect("bill");
    let read = |f: &str| std::fs::read_to_string(trust.join(f)).expect("trust PEM file");
    let (roots, intermediates, crls) = (
        read("roots.pem"),
        read("intermediates.pem"),
        read("crls.pem"),
    );
    let options_json = format!(
        "{{\"trustAnchors\":[{}],\"certificates\":[{}],\"crls\":[{}],\"now\":1767225600}}",
        serde_json::to_string(&roots).unwrap_or_default(),
        serde_json::to_string(&intermediates).unwrap_or_default(),
        serde_json::to_string(&crls).unwrap_or_default(),
    );
    let options = VerifyOptions::from_json(options_json.as_bytes()).expect("options");
    let verifier = Verifier::new(&options).expect("trust material");
    eprintln!(
        "{}: {} natively",
        bill_path.display(),
        verifier.verify(&bill).verdict.as_str()
    );
    let mut group = c.benchmark_group("core");
    group.throughput(Throughput::Elements(1));
    group.bench_function("configured", |b| {
        b.iter(|| verifier.verify(std::hint::black_box(&bill)))
    });
    group.bench_function("configured+json", |b| {
        b.iter(|| serde_json::to_string(&verifier.verify(std::hint::black_box(&bill))))
    });
    group.bench_function("one-shot", |b| {
        b.iter(|| verify_json(std::hint::black_box(&bill), options_json.as_bytes()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
