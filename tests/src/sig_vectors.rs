//! Reading the published signature vectors (`shared/vectors/sm2`,
//! `shared/vectors/wycheproof`) and encoding their (r, s) pairs: one copy
//! for the native tests of the core (`core/tests/sm2_vectors.rs` and
//! `wycheproof.rs` include this file by path, as the core cannot depend on
//! this crate) and the tests of the shipped module
//! (`host-cli/tests/wasm_vectors.rs`). Only the standard library.

use std::path::PathBuf;

/// The text of `shared/vectors/<path>` (every crate of the workspace sits
/// one level below its root, beside `../shared`).
pub fn shared_vector_text(path: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/vectors")
        .join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// Hexadecimal to bytes; an odd number of digits reads as if led by `0`
/// (the SM2 vectors write r and s as numbers).
pub fn unhex(s: &str) -> Vec<u8> {
    let s = if s.len() % 2 == 1 {
        format!("0{s}")
    } else {
        s.to_string()
    };
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// A minimal DER INTEGER for a non-negative big-endian magnitude.
pub fn der_integer(magnitude: &[u8]) -> Vec<u8> {
    let mut m: Vec<u8> = magnitude.iter().copied().skip_while(|&b| b == 0).collect();
    if m.is_empty() {
        m.push(0);
    }
    if m[0] & 0x80 != 0 {
        m.insert(0, 0);
    }
    let mut out = vec![0x02, u8::try_from(m.len()).unwrap()];
    out.extend(m);
    out
}

/// The DER `SEQUENCE { r, s }` of an ECDSA or SM2 signature.
pub fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    let mut body = der_integer(r);
    body.extend(der_integer(s));
    let mut out = vec![0x30, u8::try_from(body.len()).unwrap()];
    out.extend(body);
    out
}

/// r ‖ s, each in 32 octets, when both fit.
pub fn raw_signature(r: &[u8], s: &[u8]) -> Option<Vec<u8>> {
    let fit = |v: &[u8]| -> Option<[u8; 32]> {
        let v: Vec<u8> = v.iter().copied().skip_while(|&b| b == 0).collect();
        (v.len() <= 32).then(|| {
            let mut out = [0u8; 32];
            out[32 - v.len()..].copy_from_slice(&v);
            out
        })
    };
    let mut out = fit(r)?.to_vec();
    out.extend(fit(s)?);
    Some(out)
}
