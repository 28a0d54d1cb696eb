//! One signature verification, ours (`pki::ecc`) against the `sm2` and
//! `p256` crates the verifier used before; ours also with the key's own
//! table (`pki::KeyTables`, what a configured verifier uses for a key seen
//! before), and the cost of making that table (a key's third use).
//!
//! ```sh
//! cargo bench -p piaoyan-core --bench ecc
//! ```

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::elliptic_curve::sec1::ToSec1Point as _;
use piaoyan_core::pki::key_tables::KEY_TABLE_AFTER;
use piaoyan_core::pki::{EcSignature, KeyAlgorithm, KeyTables, PublicKey};

const MSG: &[u8] = b"<EInvoice>...a bill's signed octets...</EInvoice>";

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify");

    let sk = sm2::dsa::SigningKey::from_slice("1234567812345678", &[0x42; 32]).expect("key");
    let sig: sm2::dsa::Signature = sk.sign(MSG);
    let point = sk.verifying_key().to_sec1_point(false);
    let ours = PublicKey::from_sec1(KeyAlgorithm::Sm2, point.as_bytes()).expect("key");
    let ec = EcSignature {
        r: sig.r_bytes().into(),
        s: sig.s_bytes().into(),
    };
    assert!(ours.verify(MSG, &ec).is_ok());
    group.bench_function("sm2/ours", |b| {
        b.iter(|| ours.verify(black_box(MSG), black_box(&ec)))
    });
    cached(&mut group, "sm2", &ours, &ec);
    let theirs = sk.verifying_key().clone();
    group.bench_function("sm2/crate", |b| {
        b.iter(|| theirs.verify(black_box(MSG), black_box(&sig)))
    });

    let sk = p256::ecdsa::SigningKey::from_slice(&[0x42; 32]).expect("key");
    let sig: p256::ecdsa::Signature = sk.sign(MSG);
    let point = sk.verifying_key().to_sec1_point(false);
    let ours = PublicKey::from_sec1(KeyAlgorithm::P256, point.as_bytes()).expect("key");
    let (r, s) = sig.split_bytes();
    let ec = EcSignature {
        r: r.into(),
        s: s.into(),
    };
    assert!(ours.verify(MSG, &ec).is_ok());
    group.bench_function("p256/ours", |b| {
        b.iter(|| ours.verify(black_box(MSG), black_box(&ec)))
    });
    cached(&mut group, "p256", &ours, &ec);
    let theirs = *sk.verifying_key();
    group.bench_function("p256/crate", |b| {
        b.iter(|| theirs.verify(black_box(MSG), black_box(&sig)))
    });

    // Key decoding (a compressed key needs a square root).
    let compressed = sk.verifying_key().to_sec1_point(true);
    group.bench_function("p256/decode-compressed/ours", |b| {
        b.iter(|| PublicKey::from_sec1(KeyAlgorithm::P256, black_box(compressed.as_bytes())))
    });
    group.finish();
}

/// `<curve>/ours-cached`: a verification with the key's table;
/// `<curve>/table-made`: the use of a key that makes its table and
/// verifies with it.
fn cached(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    curve: &str,
    key: &PublicKey,
    ec: &EcSignature,
) {
    let tables = KeyTables::default();
    for _ in 0..KEY_TABLE_AFTER {
        assert!(key.verify_with(&tables, MSG, ec).is_ok());
    }
    group.bench_function(format!("{curve}/ours-cached"), |b| {
        b.iter(|| key.verify_with(&tables, black_box(MSG), black_box(ec)))
    });
    group.bench_function(format!("{curve}/table-made"), |b| {
        b.iter_batched(
            || {
                let fresh = KeyTables::default();
                for _ in 1..KEY_TABLE_AFTER {
                    let _ = key.verify_with(&fresh, MSG, ec);
                }
                fresh
            },
            |fresh| key.verify_with(&fresh, black_box(MSG), black_box(ec)),
            criterion::BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
