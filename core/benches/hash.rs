//! SM3 and SHA-256, ours (`pki::hash`) against the `sm3` and `sha2` crates
//! the verifier used before, on 1 KiB and 100 KiB messages.
//!
//! ```sh
//! cargo bench -p piaoyan-core --bench hash
//! ```
//!
//! On x86-64 with the SHA extensions `sha2` uses them (SHA-NI) at run time;
//! the module (wasm32, no SIMD) gets its portable code.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use piaoyan_core::pki::hash::{Sha256, Sm3};
use sha2::Digest as _;

fn bench(c: &mut Criterion) {
    for len in [1024, 100 * 1024] {
        let msg: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
        let mut group = c.benchmark_group(format!("{}KiB", len / 1024));
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function("sm3/ours", |b| b.iter(|| Sm3::digest(black_box(&msg))));
        group.bench_function("sm3/crate", |b| {
            b.iter(|| sm3::Sm3::digest(black_box(&msg)))
        });
        group.bench_function("sha256/ours", |b| {
            b.iter(|| Sha256::digest(black_box(&msg)))
        });
        group.bench_function("sha256/crate", |b| {
            b.iter(|| sha2::Sha256::digest(black_box(&msg)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
