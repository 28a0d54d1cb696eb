//! A small verify-only elliptic-curve implementation for the two curves the
//! verifier supports, SM2 (GB/T 32918) and NIST P-256.
//!
//! - [`field`]: Montgomery arithmetic modulo a 256-bit odd modulus (the
//!   field primes and the group orders), machine-word limbs;
//! - [`point`]: affine and Jacobian points of a = -3 curves, SEC1 decoding
//!   and encoding, the double-scalar multiplication a·G + b·Q;
//! - [`curve`]: the curve constants;
//! - [`verify`]: SM2 and ECDSA signature verification.
//!
//! **Not constant time.** Branches and memory accesses depend on the
//! values. This is deliberate and safe here: verification handles only
//! public data (keys, signatures, messages), never a secret. Do not reuse
//! this code for signing or key agreement.

#[allow(unused_imports)]
use crate::prelude::*;

mod curve;
mod field;
mod point;
mod verify;

#[cfg(test)]
mod tests;

pub(crate) use curve::{Curve, P256, SM2, SM2_A, SM2_B, SM2_GX, SM2_GY};
pub(crate) use point::{Affine, FixedTable, PointError};
pub(crate) use verify::{Key, VerifyError, ecdsa, sm2};
