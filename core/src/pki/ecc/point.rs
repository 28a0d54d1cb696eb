//! Points of a = -3 curves: affine and Jacobian coordinates, addition that
//! handles the point at infinity, doubling and P + (-P), SEC1 encoding, and
//! the interleaved double-scalar multiplication a·G + b·Q (width-5 wNAF).
//!
//! Coordinates are in Montgomery form mod p. Nothing is constant time: only
//! public keys and signatures pass through here.

#[allow(unused_imports)]
use crate::prelude::*;

use super::curve::Curve;
use super::field::{Uint, ZERO, bit, from_be, is_zero, lt, to_be};

/// An affine point (never the point at infinity).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Affine {
    pub(crate) x: Uint,
    pub(crate) y: Uint,
}

/// A point in Jacobian coordinates (X/Z², Y/Z³); Z = 0 is the point at
/// infinity.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Jacobian {
    pub(crate) x: Uint,
    pub(crate) y: Uint,
    pub(crate) z: Uint,
}

/// Why octets are not a usable point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PointError {
    /// Not 04‖x‖y or 02/03‖x with 32-octet coordinates.
    Encoding,
    /// The single octet 00.
    Infinity,
    /// A coordinate ≥ p.
    CoordinateRange,
    /// (x, y) does not satisfy the curve equation, or no y does for x.
    NotOnCurve,
}

/// wNAF window width for Q: odd multiples up to 15·Q, digits in [-15, 15].
const WINDOW: usize = 5;
const TABLE: usize = 1 << (WINDOW - 2);
/// The same for G, whose table is made once (affine, so that its additions
/// are mixed): odd multiples up to 63·G.
const G_WINDOW: usize = 7;
pub(crate) const G_TABLE: usize = 1 << (G_WINDOW - 2);

impl Curve {
    /// x³ - 3x + b (Montgomery form).
    fn rhs(&self, x: &Uint) -> Uint {
        let f = &self.p;
        let x3 = f.mul(&f.square(x), x);
        let three_x = f.add(&f.add(x, x), x);
        f.add(&f.sub(&x3, &three_x), &self.b)
    }

    /// Decodes SEC1 `04‖x‖y` or `02/03‖x`, checking that the point is on
    /// the curve. The point at infinity is refused.
    pub(crate) fn decode(&self, bytes: &[u8]) -> Result<Affine, PointError> {
        let f = &self.p;
        let (&tag, rest) = bytes.split_first().ok_or(PointError::Encoding)?;
        let coordinate = |b: &[u8]| -> Result<Uint, PointError> {
            let b = <&[u8; 32]>::try_from(b).map_err(|_| PointError::Encoding)?;
            let v = from_be(b);
            if lt(&v, &f.m) {
                Ok(f.to_mont(&v))
            } else {
                Err(PointError::CoordinateRange)
            }
        };
        match (tag, rest.len()) {
            (0x00, 0) => Err(PointError::Infinity),
            (0x04, 64) => {
                let (x, y) = rest.split_at(32);
                let (x, y) = (coordinate(x)?, coordinate(y)?);
                if f.square(&y) == self.rhs(&x) {
                    Ok(Affine { x, y })
                } else {
                    Err(PointError::NotOnCurve)
                }
            }
            (0x02 | 0x03, 32) => {
                let x = coordinate(rest)?;
                let rhs = self.rhs(&x);
                let y = f.sqrt(&rhs).ok_or(PointError::NotOnCurve)?;
                let odd = f.to_plain(&y)[0] & 1 == 1;
                let y = if odd == (tag == 0x03) { y } else { f.neg(&y) };
                Ok(Affine { x, y })
            }
            _ => Err(PointError::Encoding),
        }
    }

    /// SEC1 uncompressed encoding `04‖x‖y`.
    pub(crate) fn encode(&self, a: &Affine) -> [u8; 65] {
        let mut out = [0u8; 65];
        out[0] = 0x04;
        out[1..33].copy_from_slice(&to_be(&self.p.to_plain(&a.x)));
        out[33..].copy_from_slice(&to_be(&self.p.to_plain(&a.y)));
        out
    }

    pub(crate) fn infinity(&self) -> Jacobian {
        Jacobian {
            x: self.p.one,
            y: self.p.one,
            z: ZERO,
        }
    }

    pub(crate) fn jacobian(&self, a: &Affine) -> Jacobian {
        Jacobian {
            x: a.x,
            y: a.y,
            z: self.p.one,
        }
    }

    /// 2·P (dbl-2001-b, a = -3). The curves have no point of order 2, so
    /// only the point at infinity doubles to itself.
    pub(crate) fn double(&self, a: &Jacobian) -> Jacobian {
        let f = &self.p;
        if is_zero(&a.z) {
            return *a;
        }
        let delta = f.square(&a.z);
        let gamma = f.square(&a.y);
        let beta = f.mul(&a.x, &gamma);
        let t = f.mul(&f.sub(&a.x, &delta), &f.add(&a.x, &delta));
        let alpha = f.add(&f.add(&t, &t), &t);
        let beta2 = f.add(&beta, &beta);
        let beta4 = f.add(&beta2, &beta2);
        let x = f.sub(&f.square(&alpha), &f.add(&beta4, &beta4));
        let yz = f.mul(&a.y, &a.z);
        let z = f.add(&yz, &yz);
        let g2 = f.square(&gamma);
        let g4 = f.add(&g2, &g2);
        let g8 = f.add(&g4, &g4);
        let y = f.sub(&f.mul(&alpha, &f.sub(&beta4, &x)), &f.add(&g8, &g8));
        Jacobian { x, y, z }
    }

    /// P + Q (add-1998-cmo-2), correct for every input: either operand at
    /// infinity, P = Q (doubles) and P = -Q (infinity). Cheaper when Q's Z
    /// is one.
    pub(crate) fn add(&self, a: &Jacobian, b: &Jacobian) -> Jacobian {
        let f = &self.p;
        if is_zero(&a.z) {
            return *b;
        }
        if is_zero(&b.z) {
            return *a;
        }
        let z1z1 = f.square(&a.z);
        let u2 = f.mul(&b.x, &z1z1);
        let s2 = f.mul(&b.y, &f.mul(&a.z, &z1z1));
        let b_affine = b.z == f.one;
        let (u1, s1) = if b_affine {
            (a.x, a.y)
        } else {
            let z2z2 = f.square(&b.z);
            (f.mul(&a.x, &z2z2), f.mul(&a.y, &f.mul(&b.z, &z2z2)))
        };
        let h = f.sub(&u2, &u1);
        let r = f.sub(&s2, &s1);
        if is_zero(&h) {
            return if is_zero(&r) {
                self.double(a)
            } else {
                self.infinity()
            };
        }
        let hh = f.square(&h);
        let hhh = f.mul(&h, &hh);
        let v = f.mul(&u1, &hh);
        let x = f.sub(&f.sub(&f.square(&r), &hhh), &f.add(&v, &v));
        let y = f.sub(&f.mul(&r, &f.sub(&v, &x)), &f.mul(&s1, &hhh));
        let zh = f.mul(&a.z, &h);
        let z = if b_affine { zh } else { f.mul(&zh, &b.z) };
        Jacobian { x, y, z }
    }

    /// P, 3P, 5P, ..., (2·T - 1)·P.
    fn odd_multiples<const T: usize>(&self, p: &Affine) -> [Jacobian; T] {
        let p = self.jacobian(p);
        let twice = self.double(&p);
        let mut table = [p; T];
        for i in 1..T {
            table[i] = self.add(&twice, &table[i - 1]);
        }
        table
    }

    /// G, 3G, ..., (2·G_TABLE - 1)·G with Z = 1, made on first use (one
    /// inversion for all, Montgomery's trick).
    pub(crate) fn g_table(&self) -> &[Jacobian; G_TABLE] {
        self.g_table.call_once(|| {
            let f = &self.p;
            let mut table = self.odd_multiples::<G_TABLE>(&self.g);
            // prefix[i] = Z₀·…·Zᵢ; none is 0, as no multiple below n is
            // the point at infinity.
            let mut prefix = [f.one; G_TABLE];
            let mut acc = f.one;
            for (p, t) in prefix.iter_mut().zip(&table) {
                acc = f.mul(&acc, &t.z);
                *p = acc;
            }
            // inv = (Z₀·…·Zᵢ)⁻¹, going down.
            let mut inv = f.invert(&acc);
            for i in (0..G_TABLE).rev() {
                let t = &mut table[i];
                let zi = if i == 0 {
                    inv
                } else {
                    f.mul(&inv, &prefix[i - 1])
                };
                inv = f.mul(&inv, &t.z);
                let zi2 = f.square(&zi);
                t.x = f.mul(&t.x, &zi2);
                t.y = f.mul(&t.y, &f.mul(&zi2, &zi));
                t.z = f.one;
            }
            table
        })
    }

    /// a·G + b·Q, for scalars a, b < 2^256 (Shamir's trick: one chain of
    /// doublings, the wNAF digits of both scalars added as it goes).
    pub(crate) fn mul_add_g(&self, a: &Uint, q: &Affine, b: &Uint) -> Jacobian {
        let q_table = self.odd_multiples::<TABLE>(q);
        let tables: [&[Jacobian]; 2] = [self.g_table(), &q_table];
        let digits = [wnaf(a, G_WINDOW), wnaf(b, WINDOW)];
        let mut acc = self.infinity();
        for i in (0..WNAF_LEN).rev() {
            acc = self.double(&acc);
            for (table, digits) in tables.iter().zip(&digits) {
                let d = digits[i];
                if d != 0 {
                    let mut t = table[usize::from(d.unsigned_abs() / 2)];
                    if d < 0 {
                        t.y = self.p.neg(&t.y);
                    }
                    acc = self.add(&acc, &t);
                }
            }
        }
        acc
    }
}

const WNAF_LEN: usize = 257;

/// The width-w non-adjacent form of k (w ≤ 7): odd digits in
/// [-(2^(w-1) - 1), 2^(w-1) - 1], at least w - 1 zeros after each non-zero
/// digit, Σ dᵢ·2ⁱ = k.
fn wnaf(k: &Uint, width: usize) -> [i8; WNAF_LEN] {
    let mut out = [0i8; WNAF_LEN];
    let mut carry = 0u8;
    let mut i = 0;
    while i < WNAF_LEN {
        if u8::from(bit(k, i)) == carry {
            i += 1;
            continue;
        }
        // The next w bits plus the carry: odd, at most 2^w - 1.
        let mut word = carry;
        for j in 0..width {
            word += u8::from(bit(k, i + j)) << j;
        }
        carry = (word >> (width - 1)) & 1;
        out[i] = (i16::from(word) - (i16::from(carry) << width)) as i8;
        i += width;
    }
    out
}
