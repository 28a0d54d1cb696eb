//! `ecc_verify`: the core's SM2 / ECDSA P-256 verifier against the `sm2`
//! and `p256` crates (`piaoyan_fuzz::bodies::ecc_verify`), and, on the
//! same input, its cached path against its plain one: a key's own table
//! (`pki::KeyTables`, made on the key's third use) must give the verdict
//! and error of the plain verification, for every key, message and
//! signature, mutated or not.
//!
//! The input is read as the body reads it: octet 0 bit 0 the curve (SM2,
//! P-256), bit 1 a compressed key, bit 2 the mode. Mode 0: the key (33 or
//! 65 octets), r ‖ s (64), the message. Mode 1: a secret (32), a position
//! and an XOR mask (1 + 1), the message; the crates make the key and sign,
//! and the mask is XORed into the octet at `position` of r ‖ s ‖ key.

#![no_main]

use p256::ecdsa::signature::Signer as _;
use p256::elliptic_curve::sec1::ToSec1Point as _;
use piaoyan_core::pki::key_tables::KEY_TABLE_AFTER;
use piaoyan_core::pki::{EcSignature, KeyAlgorithm, KeyTables, PublicKey};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    piaoyan_fuzz::bodies::ecc_verify(data);
    cached_agrees(data);
});

fn cached_agrees(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let alg = if mode & 1 == 0 {
        KeyAlgorithm::Sm2
    } else {
        KeyAlgorithm::P256
    };
    let compress = mode & 2 != 0;
    let (key, msg, sig) = if mode & 4 == 0 {
        let key_len = if compress { 33 } else { 65 };
        if rest.len() < key_len + 64 {
            return;
        }
        let (key, rest) = rest.split_at(key_len);
        let (rs, msg) = rest.split_at(64);
        (key.to_vec(), msg, signature(rs))
    } else {
        if rest.len() < 34 {
            return;
        }
        let (secret, rest) = rest.split_at(32);
        let (position, mask, msg) = (usize::from(rest[0]), rest[1], &rest[2..]);
        let Some((mut key, mut sig)) = sign(alg, secret, msg, compress) else {
            return;
        };
        let position = position % (64 + key.len());
        let octet = match position {
            0..32 => &mut sig.r[position],
            32..64 => &mut sig.s[position - 32],
            _ => &mut key[position - 64],
        };
        *octet ^= mask;
        (key, msg, sig)
    };
    let Ok(key) = PublicKey::from_sec1(alg, &key) else {
        return;
    };
    let plain = key.verify(msg, &sig);
    let tables = KeyTables::default();
    // Uses 1 and 2 without a table, use 3 makes it, use 4 takes it.
    for use_ in 1..=KEY_TABLE_AFTER + 1 {
        assert_eq!(key.verify_with(&tables, msg, &sig), plain, "use {use_}");
    }
    assert!(
        tables.has_table(&key),
        "no table after {} uses",
        KEY_TABLE_AFTER + 1
    );
}

fn signature(rs: &[u8]) -> EcSignature {
    let (r, s) = rs.split_at(32);
    EcSignature {
        r: r.try_into().expect("32 octets"),
        s: s.try_into().expect("32 octets"),
    }
}

/// The crates' key (SEC1) and signature over `msg`; `None` for a secret
/// that is not a key.
fn sign(
    alg: KeyAlgorithm,
    secret: &[u8],
    msg: &[u8],
    compress: bool,
) -> Option<(Vec<u8>, EcSignature)> {
    let (key, r, s) = match alg {
        KeyAlgorithm::Sm2 => {
            let k = sm2::dsa::SigningKey::from_slice("1234567812345678", secret).ok()?;
            let sig: sm2::dsa::Signature = k.sign(msg);
            let key = k.verifying_key().to_sec1_point(compress);
            (
                key.as_bytes().to_vec(),
                sig.r_bytes().into(),
                sig.s_bytes().into(),
            )
        }
        KeyAlgorithm::P256 => {
            let k = p256::ecdsa::SigningKey::from_slice(secret).ok()?;
            let sig: p256::ecdsa::Signature = k.sign(msg);
            let key = k.verifying_key().to_sec1_point(compress);
            let (r, s) = sig.split_bytes();
            (key.as_bytes().to_vec(), r.into(), s.into())
        }
    };
    Some((key, EcSignature { r, s }))
}
