//! SM2 (GB/T 32918.2 §7.1) and ECDSA (FIPS 186-4 §6.4.2) signature
//! verification. Variable time: the inputs are public.

#[allow(unused_imports)]
use crate::prelude::*;

use super::curve::Curve;
use super::field::{Uint, from_be, is_zero, lt};
use super::point::{Affine, FixedTable, Jacobian};

/// The public key Q as a verification uses it: the point, or its
/// precomputed [`FixedTable`] (same result, fewer doublings).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Key<'a> {
    Point(&'a Affine),
    Table(&'a FixedTable),
}

/// a·G + b·Q.
fn mul_add(curve: &Curve, a: &Uint, q: Key<'_>, b: &Uint) -> Jacobian {
    match q {
        Key::Point(q) => curve.mul_add_g(a, q, b),
        Key::Table(q) => curve.mul_add_fixed(a, q, b),
    }
}

/// Why a signature fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VerifyError {
    /// r or s is not in [1, n-1].
    OutOfRange,
    /// The equation does not hold (for SM2 also t = r + s ≡ 0 mod n).
    Mismatch,
}

/// r and s as numbers in [1, n-1].
fn scalars(curve: &Curve, r: &[u8; 32], s: &[u8; 32]) -> Result<(Uint, Uint), VerifyError> {
    let in_range = |v: &Uint| !is_zero(v) && lt(v, &curve.n.m);
    let (r, s) = (from_be(r), from_be(s));
    if in_range(&r) && in_range(&s) {
        Ok((r, s))
    } else {
        Err(VerifyError::OutOfRange)
    }
}

/// Whether the affine x of `point` is ≡ v mod n, for v < n, without
/// leaving Jacobian coordinates: x ∈ [0, p) and n < p < 2n, so x is v or
/// v + n; x = X/Z² is tested as X = x·Z². False at infinity.
fn x_is(curve: &Curve, point: &Jacobian, v: &Uint) -> bool {
    let f = &curve.p;
    if is_zero(&point.z) {
        return false;
    }
    let zz = f.square(&point.z);
    let mut x = *v;
    loop {
        if f.mul(&f.to_mont(&x), &zz) == point.x {
            return true;
        }
        let next = curve.n.add_unreduced(&x);
        match next {
            Some(next) if lt(&next, &f.m) => x = next,
            _ => return false,
        }
    }
}

/// SM2: e is SM3(Z_A ‖ M). t = (r + s) mod n ≠ 0, (x₁, y₁) = s·G + t·Q,
/// valid iff (e + x₁) mod n = r, i.e. x₁ ≡ r - e (mod n).
pub(crate) fn sm2(
    curve: &Curve,
    q: Key<'_>,
    e: &[u8; 32],
    r: &[u8; 32],
    s: &[u8; 32],
) -> Result<(), VerifyError> {
    let n = &curve.n;
    let (r, s) = scalars(curve, r, s)?;
    let t = n.add(&r, &s);
    if is_zero(&t) {
        return Err(VerifyError::Mismatch);
    }
    let point = mul_add(curve, &s, q, &t);
    let e = n.reduce(&from_be(e));
    if x_is(curve, &point, &n.sub(&r, &e)) {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}

/// ECDSA: e is the hash (its leftmost 256 bits, all of them for SHA-256).
/// w = s⁻¹, valid iff x(e·w·G + r·w·Q) ≡ r (mod n).
pub(crate) fn ecdsa(
    curve: &Curve,
    q: Key<'_>,
    e: &[u8; 32],
    r: &[u8; 32],
    s: &[u8; 32],
) -> Result<(), VerifyError> {
    let n = &curve.n;
    let (r, s) = scalars(curve, r, s)?;
    // Montgomery form w·R; a Montgomery product with a plain number gives
    // a plain result.
    let w = n.to_mont(&n.invert_plain(&s));
    let u1 = n.mul(&n.reduce(&from_be(e)), &w);
    let u2 = n.mul(&r, &w);
    let point = mul_add(curve, &u1, q, &u2);
    if x_is(curve, &point, &r) {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}
