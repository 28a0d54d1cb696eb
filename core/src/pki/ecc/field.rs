//! Montgomery arithmetic modulo an odd 256-bit modulus (a field prime p or a
//! group order n), generic over the modulus at run time.
//!
//! Numbers are `N` little-endian limbs. The limb is the machine word: `u64`
//! with `u128` products on 64-bit targets, `u32` with `u64` products
//! elsewhere (WebAssembly has a native 64-bit multiply but no 128-bit one).
//! `RUSTFLAGS="--cfg piaoyan_ecc32"` forces 32-bit limbs on a 64-bit host,
//! to test and time the WebAssembly arithmetic natively.
//! Every function keeps its results fully reduced (`< m`), so equality of
//! limbs is equality of residues. Nothing here is constant time: it only
//! ever handles public data.

#[allow(unused_imports)]
use crate::prelude::*;

#[cfg(all(target_pointer_width = "64", not(piaoyan_ecc32)))]
pub(crate) type Limb = u64;
#[cfg(all(target_pointer_width = "64", not(piaoyan_ecc32)))]
type Wide = u128;
#[cfg(all(target_pointer_width = "64", not(piaoyan_ecc32)))]
type Acc = i128;
#[cfg(any(not(target_pointer_width = "64"), piaoyan_ecc32))]
pub(crate) type Limb = u32;
#[cfg(any(not(target_pointer_width = "64"), piaoyan_ecc32))]
type Wide = u64;
/// A signed accumulator of a column whose carries are not yet propagated.
#[cfg(any(not(target_pointer_width = "64"), piaoyan_ecc32))]
type Acc = i64;

const BITS: u32 = Limb::BITS;
/// Limbs in a 256-bit number.
pub(crate) const N: usize = 256 / BITS as usize;
const LIMB_BYTES: usize = (BITS / 8) as usize;

/// A 256-bit number, least significant limb first.
pub(crate) type Uint = [Limb; N];

use super::curve::{P256_P, SM2_P};

pub(crate) const ZERO: Uint = [0; N];

/// `$body` once for each limb index `$j` = 0, 1, ..., N-1, written out: the
/// WebAssembly build optimises for size and would not unroll the loops of
/// the arithmetic, which are most of a verification's time.
#[cfg(all(target_pointer_width = "64", not(piaoyan_ecc32)))]
macro_rules! each_limb {
    ($j:ident => $body:block) => {
        each_limb!(@ $j $body 0 1 2 3)
    };
    (@ $j:ident $body:block $($i:literal)*) => {
        $( { let $j: usize = $i; $body } )*
    };
}
#[cfg(any(not(target_pointer_width = "64"), piaoyan_ecc32))]
macro_rules! each_limb {
    ($j:ident => $body:block) => {
        each_limb!(@ $j $body 0 1 2 3 4 5 6 7)
    };
    (@ $j:ident $body:block $($i:literal)*) => {
        $( { let $j: usize = $i; $body } )*
    };
}

/// The number v < 2^BITS.
pub(crate) const fn small(v: Limb) -> Uint {
    let mut out = ZERO;
    out[0] = v;
    out
}

/// `a + b + carry` as (low limb, carry).
#[inline(always)]
const fn adc(a: Limb, b: Limb, carry: Limb) -> (Limb, Limb) {
    let t = a as Wide + b as Wide + carry as Wide;
    (t as Limb, (t >> BITS) as Limb)
}

/// `a - b - borrow` as (low limb, borrow 0 or 1).
#[inline(always)]
const fn sbb(a: Limb, b: Limb, borrow: Limb) -> (Limb, Limb) {
    let t = (a as Wide).wrapping_sub(b as Wide + borrow as Wide);
    (t as Limb, ((t >> BITS) as Limb) & 1)
}

/// `a + b * c + carry` as (low limb, high limb); cannot overflow.
#[inline(always)]
const fn mac(a: Limb, b: Limb, c: Limb, carry: Limb) -> (Limb, Limb) {
    let t = a as Wide + (b as Wide) * (c as Wide) + carry as Wide;
    (t as Limb, (t >> BITS) as Limb)
}

/// `a + b` as (sum mod 2^256, carry).
#[inline(always)]
pub(crate) const fn add_raw(a: &Uint, b: &Uint) -> (Uint, Limb) {
    let mut out = ZERO;
    let mut carry = 0;
    each_limb!(i => {
        (out[i], carry) = adc(a[i], b[i], carry);
    });
    (out, carry)
}

/// `a - b` as (difference mod 2^256, borrow).
#[inline(always)]
pub(crate) const fn sub_raw(a: &Uint, b: &Uint) -> (Uint, Limb) {
    let mut out = ZERO;
    let mut borrow = 0;
    each_limb!(i => {
        (out[i], borrow) = sbb(a[i], b[i], borrow);
    });
    (out, borrow)
}

/// `a < b`.
#[inline(always)]
pub(crate) const fn lt(a: &Uint, b: &Uint) -> bool {
    sub_raw(a, b).1 == 1
}

#[inline(always)]
pub(crate) const fn is_zero(a: &Uint) -> bool {
    let mut i = 0;
    while i < N {
        if a[i] != 0 {
            return false;
        }
        i += 1;
    }
    true
}

/// Bit `i` of `a` (0 beyond bit 255).
pub(crate) const fn bit(a: &Uint, i: usize) -> bool {
    i < 256 && (a[i / BITS as usize] >> (i % BITS as usize)) & 1 == 1
}

/// A 32-octet big-endian number.
pub(crate) const fn from_be(bytes: &[u8; 32]) -> Uint {
    let mut out = ZERO;
    let mut i = 0;
    while i < 32 {
        let limb = (31 - i) / LIMB_BYTES;
        out[limb] = (out[limb] << 8) | bytes[i] as Limb;
        i += 1;
    }
    out
}

/// The number as 32 octets, big-endian.
pub(crate) fn to_be(a: &Uint) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, limb) in out.rchunks_exact_mut(LIMB_BYTES).zip(a) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
    out
}

/// 64 hex digits as 32 octets (compile-time constants only).
pub(crate) const fn hex32(s: &str) -> [u8; 32] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("bad hex constant"),
        }
    }
    let b = s.as_bytes();
    assert!(b.len() == 64, "hex constant of 64 digits");
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

const SM2_P_DIGITS: u32 = Modulus::sparse_digits(&from_be(&SM2_P));
const P256_P_DIGITS: u32 = Modulus::sparse_digits(&from_be(&P256_P));

/// An odd modulus m with 2^255 < m < 2^256 and its Montgomery constants
/// (R = 2^256). Values "in Montgomery form" are a·R mod m.
pub(crate) struct Modulus {
    pub(crate) m: Uint,
    /// -m^-1 mod 2^BITS.
    m_inv: Limb,
    /// R^2 mod m.
    r2: Uint,
    /// R mod m: one in Montgomery form.
    pub(crate) one: Uint,
    /// m = Σ dᵢ·2^(BITS·i) with digits dᵢ ∈ {-1, 0, 1} and d₀ = -1, if m
    /// has that form (both field primes have it with 32-bit limbs, no
    /// group order does): the product then reduces with additions only.
    /// Bit i is set for dᵢ = 1, bit 16 + i for dᵢ = -1; 0 if not sparse.
    pub(super) sparse: u32,
}

impl Modulus {
    /// The constants for m (big-endian); compile time only.
    pub(crate) const fn new(m_be: &[u8; 32]) -> Modulus {
        let m = from_be(m_be);
        assert!(m[0] & 1 == 1 && m[N - 1] >> (BITS - 1) == 1);
        // Newton's iteration for m^-1 mod 2^BITS: x = m is right to 3 bits
        // and each step doubles the number of correct bits.
        let mut x = m[0];
        let mut i = 0;
        while i < 5 {
            x = x.wrapping_mul((2 as Limb).wrapping_sub(m[0].wrapping_mul(x)));
            i += 1;
        }
        // R mod m = 2^256 - m, as m > 2^255; then R^2 = R · 2^256 by doubling.
        let one = sub_raw(&ZERO, &m).0;
        let mut r2 = one;
        let mut i = 0;
        while i < 256 {
            r2 = Self::add_mod(&m, &r2, &r2);
            i += 1;
        }
        Modulus {
            m,
            m_inv: x.wrapping_neg(),
            r2,
            one,
            sparse: Self::sparse_digits(&m),
        }
    }

    /// The digits of m in {-1, 0, 1}, base 2^BITS, as `sparse` holds them,
    /// if it has them and the lowest is -1 (m ≡ -1 mod 2^BITS); else 0.
    pub(crate) const fn sparse_digits(m: &Uint) -> u32 {
        let mut digits = 0;
        // Σ dᵢ·2^(BITS·i) for i < k equals the low k limbs of m plus
        // carry·2^(BITS·k).
        let mut carry = 0;
        let mut i = 0;
        while i < N {
            let (limb, c) = adc(m[i], carry, 0);
            (digits, carry) = match (limb, c) {
                (0, 0) => (digits, 0),
                (1, 0) => (digits | 1 << i, 0),
                (Limb::MAX, 0) => (digits | 1 << (16 + i), 1),
                (0, 1) => (digits, 1),
                _ => return 0,
            };
            i += 1;
        }
        if carry == 1 {
            digits |= 1 << N;
        }
        if digits & 1 << 16 != 0 { digits } else { 0 }
    }

    #[inline(always)]
    const fn add_mod(m: &Uint, a: &Uint, b: &Uint) -> Uint {
        let (sum, carry) = add_raw(a, b);
        let (diff, borrow) = sub_raw(&sum, m);
        if carry == 1 || borrow == 0 { diff } else { sum }
    }

    /// a + b mod m.
    #[inline]
    pub(crate) fn add(&self, a: &Uint, b: &Uint) -> Uint {
        Self::add_mod(&self.m, a, b)
    }

    /// a + m, if it is below 2^256.
    pub(crate) fn add_unreduced(&self, a: &Uint) -> Option<Uint> {
        let (sum, carry) = add_raw(a, &self.m);
        (carry == 0).then_some(sum)
    }

    /// a - b mod m.
    #[inline]
    pub(crate) fn sub(&self, a: &Uint, b: &Uint) -> Uint {
        let (diff, borrow) = sub_raw(a, b);
        if borrow == 1 {
            add_raw(&diff, &self.m).0
        } else {
            diff
        }
    }

    /// -a mod m.
    pub(crate) fn neg(&self, a: &Uint) -> Uint {
        self.sub(&ZERO, a)
    }

    /// a mod m for any 256-bit a (one subtraction suffices as m > 2^255).
    pub(crate) fn reduce(&self, a: &Uint) -> Uint {
        let (diff, borrow) = sub_raw(a, &self.m);
        if borrow == 1 { *a } else { diff }
    }

    /// Montgomery product a·b·R^-1 mod m, for a < 2^256, b < m.
    pub(crate) const fn mul(&self, a: &Uint, b: &Uint) -> Uint {
        // The field primes with their digits as constants.
        let d = self.sparse;
        if d != 0 && d == SM2_P_DIGITS {
            Self::mul_sparse::<SM2_P_DIGITS>(&self.m, a, b)
        } else if d != 0 && d == P256_P_DIGITS {
            Self::mul_sparse::<P256_P_DIGITS>(&self.m, a, b)
        } else {
            self.mul_cios(a, b)
        }
    }

    /// The Montgomery product for m with the digits D (`sparse`): columns
    /// of signed accumulators, carries propagated only through the limb
    /// that leaves at each step. As d₀ = -1, the quotient digit q is that
    /// limb itself (-m⁻¹ ≡ 1), and adding q·m is adding ±q to a few columns.
    const fn mul_sparse<const D: u32>(m: &Uint, a: &Uint, b: &Uint) -> Uint {
        // t[j] accumulates column i + j of a·b + Σ q·m·2^(BITS·k), short of
        // the carry out of column i - 1, kept in `carry`. A column receives
        // fewer than 3(N + 1) terms below 2^BITS: no overflow.
        let mut t = [0 as Acc; N + 1];
        let mut carry: Acc = 0;
        let mut i = 0;
        while i < N {
            let b_i = b[i] as Wide;
            each_limb!(j => {
                let p = a[j] as Wide * b_i;
                t[j] += p as Limb as Acc;
                t[j + 1] += (p >> BITS) as Acc;
            });
            let v = t[0] + carry;
            let q = v as Limb as Acc;
            // v + d₀·q = v - q: the column is now 0, its carry v >> BITS.
            carry = v >> BITS;
            each_limb!(j => {
                let k = j + 1;
                t[j] = t[k];
                if D >> k & 1 == 1 {
                    t[j] += q;
                } else if D >> (16 + k) & 1 == 1 {
                    t[j] -= q;
                }
            });
            t[N] = 0;
            i += 1;
        }
        let mut out = ZERO;
        each_limb!(j => {
            let v = t[j] + carry;
            out[j] = v as Limb;
            carry = v >> BITS;
        });
        // The result is below 2m: at most one subtraction.
        let (diff, borrow) = sub_raw(&out, m);
        if carry != 0 || borrow == 0 { diff } else { out }
    }

    /// The Montgomery product (CIOS), for any m.
    const fn mul_cios(&self, a: &Uint, b: &Uint) -> Uint {
        let m = &self.m;
        let mut t = [0 as Limb; N + 2];
        let mut i = 0;
        while i < N {
            let b_i = b[i];
            let mut carry = 0;
            each_limb!(j => {
                (t[j], carry) = mac(t[j], a[j], b_i, carry);
            });
            (t[N], carry) = adc(t[N], carry, 0);
            t[N + 1] = carry;
            let q = t[0].wrapping_mul(self.m_inv);
            let mut carry = 0;
            each_limb!(j => {
                let (low, c) = mac(t[j], q, m[j], carry);
                carry = c;
                if j > 0 {
                    t[j.saturating_sub(1)] = low;
                }
            });
            (t[N - 1], carry) = adc(t[N], carry, 0);
            t[N] = t[N + 1] + carry;
            i += 1;
        }
        let mut out = ZERO;
        each_limb!(j => {
            out[j] = t[j];
        });
        let (diff, borrow) = sub_raw(&out, m);
        if t[N] == 1 || borrow == 0 { diff } else { out }
    }

    #[inline]
    pub(crate) fn square(&self, a: &Uint) -> Uint {
        self.mul(a, a)
    }

    /// a·R mod m, for any 256-bit a.
    pub(crate) const fn to_mont(&self, a: &Uint) -> Uint {
        self.mul(a, &self.r2)
    }

    /// a·R^-1 mod m: back from Montgomery form.
    pub(crate) fn to_plain(&self, a: &Uint) -> Uint {
        self.mul(a, &small(1))
    }

    /// a^e (Montgomery form in and out), 4-bit fixed window.
    pub(crate) fn pow(&self, a: &Uint, e: &Uint) -> Uint {
        let mut table = [self.one; 16];
        for i in 1..16 {
            table[i] = self.mul(&table[i - 1], a);
        }
        let mut acc = self.one;
        for i in (0..64).rev() {
            for _ in 0..4 {
                acc = self.square(&acc);
            }
            let nibble = (0..4).fold(0, |n, b| n | (usize::from(bit(e, 4 * i + b)) << b));
            if nibble != 0 {
                acc = self.mul(&acc, &table[nibble]);
            }
        }
        acc
    }

    /// A square root of a (Montgomery form in and out), if a is a square;
    /// for m ≡ 3 mod 4, where it is a^((m+1)/4).
    pub(crate) fn sqrt(&self, a: &Uint) -> Option<Uint> {
        // (m + 1) / 4 = (m >> 2) + 1 as m ≡ 3 mod 4.
        let mut e = ZERO;
        for (i, limb) in e.iter_mut().enumerate() {
            let high = self.m.get(i + 1).map_or(0, |h| h << (BITS - 2));
            *limb = (self.m[i] >> 2) | high;
        }
        let y = self.pow(a, &add_raw(&e, &small(1)).0);
        (self.square(&y) == *a).then_some(y)
    }

    /// a⁻¹ for a prime m (Montgomery form in and out; 0 for 0): the
    /// plain inverse of a·R is a⁻¹·R⁻¹, which two steps into Montgomery
    /// form make a⁻¹·R.
    pub(crate) fn invert(&self, a: &Uint) -> Uint {
        self.to_mont(&self.to_mont(&self.invert_plain(a)))
    }

    /// a⁻¹ mod m of a plain a < m, for a prime m (0 for 0), by the binary
    /// extended Euclidean algorithm: about three times faster than
    /// a^(m-2) with Montgomery products. Variable time, like everything
    /// here (it inverts public values: ECDSA's s, a table's Z).
    ///
    /// Invariants: x₁·a ≡ u and x₂·a ≡ v (mod m), u and v odd after
    /// halving, gcd(u, v) = gcd(a, m) = 1; each round lowers u + v, so the
    /// loop ends, with u or v at 1. A zero (a common factor: never for a
    /// prime m and 0 < a < m) ends it too.
    pub(crate) fn invert_plain(&self, a: &Uint) -> Uint {
        let (mut u, mut v) = (*a, self.m);
        let (mut x1, mut x2) = (small(1), ZERO);
        loop {
            if is_zero(&u) || is_zero(&v) {
                return ZERO;
            }
            self.halve_out(&mut u, &mut x1);
            if u == small(1) {
                return x1;
            }
            if v == small(1) {
                return x2;
            }
            if lt(&u, &v) {
                v = sub_raw(&v, &u).0;
                x2 = self.sub(&x2, &x1);
                self.halve_out(&mut v, &mut x2);
            } else {
                u = sub_raw(&u, &v).0;
                x1 = self.sub(&x1, &x2);
            }
        }
    }

    /// Divides w ≠ 0 by its largest power of two 2^k, and x < m by 2^k
    /// mod m, at most BITS - 1 bits at a time: x + q·m with q = x·(-m⁻¹)
    /// mod 2^j is a multiple of 2^j below 2^j·m, so its quotient is x/2^j
    /// mod m, already reduced.
    fn halve_out(&self, w: &mut Uint, x: &mut Uint) {
        while w[0] & 1 == 0 {
            let j = w[0].trailing_zeros().min(BITS - 1);
            let q = x[0].wrapping_mul(self.m_inv) & ((1 << j) - 1);
            let mut t = [0 as Limb; N + 1];
            let mut carry = 0;
            each_limb!(i => {
                (t[i], carry) = mac(x[i], q, self.m[i], carry);
            });
            t[N] = carry;
            each_limb!(i => {
                w[i] = (w[i] >> j) | w.get(i + 1).map_or(0, |h| h << (BITS - j));
                x[i] = (t[i] >> j) | (t[i + 1] << (BITS - j));
            });
        }
    }
}
