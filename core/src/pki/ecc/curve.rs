//! The two curves: SM2 (GB/T 32918.5 recommended curve, sm2p256v1) and NIST
//! P-256 (FIPS 186-4 D.1.2.3). Both are y² = x³ - 3x + b over a prime
//! field with p ≡ 3 mod 4, of prime order n (cofactor 1).

#[allow(unused_imports)]
use crate::prelude::*;

use spin::Once;

use super::field::{Modulus, Uint, from_be, hex32};
use super::point::{Affine, FixedTable};

/// A short-Weierstrass curve with a = -3.
pub(crate) struct Curve {
    /// The field prime p.
    pub(crate) p: Modulus,
    /// The group order n.
    pub(crate) n: Modulus,
    /// b in Montgomery form (mod p).
    pub(crate) b: Uint,
    /// The base point G in Montgomery form.
    pub(crate) g: Affine,
    /// Odd multiples of G, made on first use (`Curve::g_table`).
    pub(crate) g_table: Once<Vec<Affine>>,
    /// G's fixed-base table, made on first use (`Curve::g_fixed`).
    pub(crate) g_fixed: Once<FixedTable>,
}

impl Curve {
    const fn new(p: &[u8; 32], n: &[u8; 32], b: &[u8; 32], gx: &[u8; 32], gy: &[u8; 32]) -> Curve {
        let p = Modulus::new(p);
        let g = Affine {
            x: p.to_mont(&from_be(gx)),
            y: p.to_mont(&from_be(gy)),
        };
        Curve {
            b: p.to_mont(&from_be(b)),
            g,
            n: Modulus::new(n),
            p,
            g_table: Once::new(),
            g_fixed: Once::new(),
        }
    }
}

/// SM2 p.
pub(crate) const SM2_P: [u8; 32] =
    hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF");
/// SM2 a = p - 3.
pub(crate) const SM2_A: [u8; 32] =
    hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC");
/// SM2 b.
pub(crate) const SM2_B: [u8; 32] =
    hex32("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93");
/// SM2 x_G.
pub(crate) const SM2_GX: [u8; 32] =
    hex32("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7");
/// SM2 y_G.
pub(crate) const SM2_GY: [u8; 32] =
    hex32("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0");
const SM2_N: [u8; 32] = hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");

/// The SM2 recommended curve.
pub(crate) static SM2: Curve = Curve::new(&SM2_P, &SM2_N, &SM2_B, &SM2_GX, &SM2_GY);

/// P-256 p.
pub(crate) const P256_P: [u8; 32] =
    hex32("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");

/// NIST P-256.
pub(crate) static P256: Curve = Curve::new(
    &P256_P,
    &hex32("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"),
    &hex32("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B"),
    &hex32("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"),
    &hex32("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"),
);
