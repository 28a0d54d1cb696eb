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
const G_TABLE: usize = 1 << (G_WINDOW - 2);
/// Fixed-base tables (G, and keys seen repeatedly): the wNAF of a scalar
/// in SPLIT pieces of SPAN digits, each with width FIXED_WINDOW.
const SPLIT: usize = 4;
const SPAN: usize = WNAF_LEN.div_ceil(SPLIT);
const FIXED_WINDOW: usize = 7;
const FIXED_TABLE: usize = 1 << (FIXED_WINDOW - 2);

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
    fn odd_multiples<const T: usize>(&self, p: &Jacobian) -> [Jacobian; T] {
        let twice = self.double(p);
        let mut table = [*p; T];
        for i in 1..T {
            table[i] = self.add(&twice, &table[i - 1]);
        }
        table
    }

    /// The points in affine coordinates, with one inversion for all
    /// (Montgomery's trick). None may be the point at infinity: callers
    /// pass multiples k·P with 0 < k < n only.
    fn normalize(&self, points: &[Jacobian]) -> Vec<Affine> {
        let f = &self.p;
        // prefix[i] = Z₀·…·Zᵢ.
        let mut prefix = Vec::with_capacity(points.len());
        let mut acc = f.one;
        for p in points {
            acc = f.mul(&acc, &p.z);
            prefix.push(acc);
        }
        // inv = (Z₀·…·Zᵢ)⁻¹, going down.
        let mut inv = f.invert(&acc);
        let mut out = vec![Affine { x: ZERO, y: ZERO }; points.len()];
        for (i, (p, slot)) in points.iter().zip(out.iter_mut()).enumerate().rev() {
            let zi = match i.checked_sub(1).and_then(|j| prefix.get(j)) {
                Some(before) => f.mul(&inv, before),
                None => inv,
            };
            inv = f.mul(&inv, &p.z);
            let zi2 = f.square(&zi);
            *slot = Affine {
                x: f.mul(&p.x, &zi2),
                y: f.mul(&p.y, &f.mul(&zi2, &zi)),
            };
        }
        out
    }

    /// G, 3G, ..., (2·G_TABLE - 1)·G, made on first use.
    pub(crate) fn g_table(&self) -> &[Affine] {
        self.g_table.call_once(|| {
            let g = self.jacobian(&self.g);
            self.normalize(&self.odd_multiples::<G_TABLE>(&g))
        })
    }

    /// The [`FixedTable`] of G, made on the first verification with a
    /// key's own table.
    pub(crate) fn g_fixed(&self) -> &FixedTable {
        self.g_fixed.call_once(|| self.fixed_table(&self.g))
    }

    /// The [`FixedTable`] of P: for each piece j < SPLIT, the odd
    /// multiples 1, 3, ..., 2·FIXED_TABLE - 1 of 2^(SPAN·j)·P, affine.
    /// About SPLIT·SPAN doublings and SPLIT·FIXED_TABLE additions: the
    /// cost of one to two verifications.
    pub(crate) fn fixed_table(&self, p: &Affine) -> FixedTable {
        let mut points = Vec::with_capacity(SPLIT * FIXED_TABLE);
        let mut base = self.jacobian(p);
        for piece in 0..SPLIT {
            if piece > 0 {
                for _ in 0..SPAN {
                    base = self.double(&base);
                }
            }
            points.extend(self.odd_multiples::<FIXED_TABLE>(&base));
        }
        // Every point is k·2^(SPAN·j)·P with k < 2^FIXED_WINDOW and
        // SPAN·j + FIXED_WINDOW < 256: a multiple below n, never infinity.
        FixedTable {
            points: self.normalize(&points),
        }
    }

    /// a·G + b·Q, for scalars a, b < 2^256 (Shamir's trick: one chain of
    /// 257 doublings, the wNAF digits of both scalars added as it goes).
    pub(crate) fn mul_add_g(&self, a: &Uint, q: &Affine, b: &Uint) -> Jacobian {
        let q_table = self.odd_multiples::<TABLE>(&self.jacobian(q));
        let g_table = self.g_table();
        let digits = [wnaf(a, G_WINDOW), wnaf(b, WINDOW)];
        self.shamir(&digits, WNAF_LEN, |k, _, i| match k {
            0 => g_table.get(i).map(|p| self.jacobian(p)),
            _ => q_table.get(i).copied(),
        })
    }

    /// a·G + b·Q with Q's own [`FixedTable`]: both scalars cut into SPLIT
    /// pieces of SPAN digits, so the chain has SPAN doublings instead of
    /// 257, and Q's additions are mixed like G's.
    pub(crate) fn mul_add_fixed(&self, a: &Uint, q: &FixedTable, b: &Uint) -> Jacobian {
        let tables = [self.g_fixed(), q];
        let digits = [wnaf(a, FIXED_WINDOW), wnaf(b, FIXED_WINDOW)];
        self.shamir(&digits, SPAN, |k, piece, i| {
            let table = tables.get(k)?;
            table.points.get(piece * FIXED_TABLE + i).map(|p| self.jacobian(p))
        })
    }

    /// Σₖ Σᵢ dₖᵢ·2ⁱ·Pₖ where digit i of term k is taken as digit i mod
    /// `span` of piece i / `span`, whose multiples `point(k, piece, (|d| -
    /// 1) / 2)` gives: one chain of `span` doublings.
    fn shamir<const K: usize>(
        &self,
        digits: &[[i8; WNAF_LEN]; K],
        span: usize,
        point: impl Fn(usize, usize, usize) -> Option<Jacobian>,
    ) -> Jacobian {
        let mut acc = self.infinity();
        for i in (0..span).rev() {
            acc = self.double(&acc);
            for (k, digits) in digits.iter().enumerate() {
                for (piece, &d) in digits.iter().skip(i).step_by(span).enumerate() {
                    if d == 0 {
                        continue;
                    }
                    // Always Some: |d| < 2^(width-1) indexes the table.
                    if let Some(mut t) = point(k, piece, usize::from(d.unsigned_abs() / 2)) {
                        if d < 0 {
                            t.y = self.p.neg(&t.y);
                        }
                        acc = self.add(&acc, &t);
                    }
                }
            }
        }
        acc
    }
}

/// A point's precomputed multiples for [`Curve::mul_add_fixed`]
/// (`SPLIT · FIXED_TABLE` affine points, 8 KiB).
#[derive(Clone, Debug)]
pub(crate) struct FixedTable {
    points: Vec<Affine>,
}

impl FixedTable {
    /// The bytes the table holds.
    pub(crate) const BYTES: usize = SPLIT * FIXED_TABLE * core::mem::size_of::<Affine>();
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
