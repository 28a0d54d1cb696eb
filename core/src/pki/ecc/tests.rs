//! The curve arithmetic against its definitions, and the verifier against
//! the `sm2` and `p256` crates (differential: the same accept/reject on
//! valid signatures and on single mutations of the signature, the message
//! and the key).

#[allow(unused_imports)]
use crate::prelude::*;
use p256::elliptic_curve::sec1::ToSec1Point as _;
use proptest::prelude::*;

use super::curve::{Curve, P256, SM2};
use super::field::{
    Limb, Modulus, Uint, ZERO, add_raw, bit, from_be, is_zero, lt, small, sub_raw, to_be,
};
use super::point::{Affine, FixedTable, Jacobian, PointError};
use super::verify::{self, Key, VerifyError};
use crate::pki::key_tables::{KEY_TABLE_AFTER, KeyTables};
use crate::pki::keys::{EcSignature, KeyAlgorithm, PublicKey, SM2_DEFAULT_ID};

const CURVES: [(&Curve, KeyAlgorithm); 2] =
    [(&SM2, KeyAlgorithm::Sm2), (&P256, KeyAlgorithm::P256)];

fn to_affine(c: &Curve, p: &Jacobian) -> Option<Affine> {
    if is_zero(&p.z) {
        return None;
    }
    let f = &c.p;
    let zi = f.invert(&p.z);
    let zi2 = f.square(&zi);
    Some(Affine {
        x: f.mul(&p.x, &zi2),
        y: f.mul(&p.y, &f.mul(&zi2, &zi)),
    })
}

fn neg(c: &Curve, a: &Affine) -> Affine {
    Affine {
        x: a.x,
        y: c.p.neg(&a.y),
    }
}

/// a·b mod n, plain in and out.
fn nmul(c: &Curve, a: &Uint, b: &Uint) -> Uint {
    c.n.mul(&c.n.to_mont(a), b)
}

/// a⁻¹ mod n, plain in and out.
fn ninv(c: &Curve, a: &Uint) -> Uint {
    c.n.to_plain(&c.n.invert(&c.n.to_mont(a)))
}

fn minus(a: &Uint, v: u8) -> Uint {
    sub_raw(a, &small(v.into())).0
}

#[test]
fn montgomery_arithmetic() {
    for (c, _) in CURVES {
        for m in [&c.p, &c.n] {
            let a = minus(&m.m, 99);
            let am = m.to_mont(&a);
            assert_eq!(m.to_plain(&am), a);
            assert_eq!(m.mul(&am, &m.invert(&am)), m.one);
            assert_eq!(m.to_plain(&m.square(&am)), small(99 * 99));
            assert_eq!(m.add(&a, &small(99)), ZERO);
            assert_eq!(m.add(&a, &small(100)), small(1));
            assert_eq!(m.sub(&ZERO, &small(1)), minus(&m.m, 1));
            assert_eq!(m.neg(&ZERO), ZERO);
            assert_eq!(m.reduce(&m.m), ZERO);
            assert_eq!(m.reduce(&a), a);
            let all_ones = sub_raw(&ZERO, &small(1)).0;
            assert_eq!(m.reduce(&all_ones), minus(&sub_raw(&ZERO, &m.m).0, 1));
            assert_eq!(m.add_unreduced(&all_ones), None);
        }
        let f = &c.p;
        let four = f.to_mont(&small(4));
        let root = f.to_plain(&f.sqrt(&four).unwrap());
        assert!(root == small(2) || root == minus(&f.m, 2));
        // -1 is not a square when p ≡ 3 mod 4.
        assert_eq!(f.sqrt(&f.neg(&f.one)), None);
        assert_eq!(to_be(&from_be(&[0xA5; 32])), [0xA5; 32]);
    }
}

/// a·b mod m by doubling and adding (plain numbers, a and b < m): a
/// reference for the Montgomery product that uses only `Modulus::add`.
fn slow_mul(m: &Modulus, a: &Uint, b: &Uint) -> Uint {
    let mut acc = ZERO;
    for i in (0..256).rev() {
        acc = m.add(&acc, &acc);
        if bit(b, i) {
            acc = m.add(&acc, a);
        }
    }
    acc
}

/// mul(a, b)·R ≡ a·b and square(a)·R ≡ a² (mod m), for a < 2^256 and b < m.
fn check_product(m: &Modulus, a: &Uint, b: &Uint) -> Result<(), TestCaseError> {
    let b = m.reduce(b);
    let expected = slow_mul(m, &m.reduce(a), &b);
    prop_assert_eq!(slow_mul(m, &m.mul(a, &b), &m.one), expected);
    let a = m.reduce(a);
    prop_assert_eq!(slow_mul(m, &m.square(&a), &m.one), slow_mul(m, &a, &a));
    Ok(())
}

#[test]
fn montgomery_product_edge_cases() {
    let all_ones = sub_raw(&ZERO, &small(1)).0;
    for (c, _) in CURVES {
        // The field primes reduce by additions with 32-bit limbs; no
        // group order has the form.
        assert_eq!(c.p.sparse != 0, Limb::BITS == 32);
        assert_eq!(c.n.sparse, 0);
        for m in [&c.p, &c.n] {
            let m1 = minus(&m.m, 1);
            let values = [
                ZERO,
                small(1),
                small(2),
                m1,
                minus(&m.m, 2),
                all_ones,
                m.one,
                m.m,
            ];
            for a in &values {
                for b in &values {
                    check_product(m, a, b).unwrap();
                }
            }
        }
    }
}

proptest! {
    #[test]
    fn montgomery_product(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
        for (c, _) in CURVES {
            for m in [&c.p, &c.n] {
                check_product(m, &from_be(&a), &from_be(&b))?;
            }
        }
    }
}

#[test]
fn group_law() {
    for (c, _) in CURVES {
        let g = c.jacobian(&c.g);
        let g2 = c.double(&g);
        // G + G doubles, G + (-G) and (-G) + G are the point at infinity.
        assert_eq!(to_affine(c, &c.add(&g, &g)), to_affine(c, &g2));
        assert_eq!(to_affine(c, &c.add(&g2, &g2)), to_affine(c, &c.double(&g2)));
        let minus_g = c.jacobian(&neg(c, &c.g));
        assert!(is_zero(&c.add(&g, &minus_g).z));
        assert!(is_zero(&c.add(&minus_g, &g).z));
        // The infinity is neutral, and doubles to itself.
        let inf = c.infinity();
        assert_eq!(to_affine(c, &c.add(&inf, &g2)), to_affine(c, &g2));
        assert_eq!(to_affine(c, &c.add(&g2, &inf)), to_affine(c, &g2));
        assert!(is_zero(&c.double(&inf).z));
        // 3G three ways, with Z ≠ 1 on both sides of an addition.
        let g3 = to_affine(c, &c.add(&g2, &g)).unwrap();
        assert_eq!(to_affine(c, &c.add(&g, &g2)), Some(g3));
        assert_eq!(
            to_affine(c, &c.add(&c.double(&g), &g2)),
            to_affine(c, &c.double(&g2))
        );
        assert_eq!(to_affine(c, &c.mul_add_g(&small(3), &c.g, &ZERO)), Some(g3));
        assert_eq!(
            to_affine(c, &c.mul_add_g(&small(1), &c.g, &small(2))),
            Some(g3)
        );
        // n·G = (n-1)·G + G = infinity; (n-1)·G = -G.
        let n1 = minus(&c.n.m, 1);
        assert!(is_zero(&c.mul_add_g(&n1, &c.g, &small(1)).z));
        assert_eq!(
            to_affine(c, &c.mul_add_g(&n1, &c.g, &ZERO)),
            Some(neg(c, &c.g))
        );
        assert!(is_zero(&c.mul_add_g(&ZERO, &c.g, &ZERO).z));
        // The table of G: (2i + 1)·G.
        for (i, t) in c.g_table().iter().enumerate() {
            let k = small(2 * i as Limb + 1);
            assert_eq!(Some(*t), double_and_add(c, &k, &c.g));
        }
        // G is on the curve, its encoding round-trips.
        assert_eq!(c.decode(&c.encode(&c.g)), Ok(c.g));
    }
}

/// Σ dᵢ·2ⁱ = k and the digits are odd, in [-15, 15], at least 4 zeros
/// apart (checked through the group: k·G computed by the wNAF chain
/// equals the same by a plain double-and-add).
fn double_and_add(c: &Curve, k: &Uint, p: &Affine) -> Option<Affine> {
    let mut acc = c.infinity();
    for i in (0..256).rev() {
        acc = c.double(&acc);
        if bit(k, i) {
            acc = c.add(&acc, &c.jacobian(p));
        }
    }
    to_affine(c, &acc)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn scalar_multiplication_matches_double_and_add(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
        for (c, _) in CURVES {
            let (a, b) = (from_be(&a), from_be(&b));
            let q = double_and_add(c, &small(7), &c.g).unwrap();
            let expected = {
                let ag = c.mul_add_g(&a, &c.g, &ZERO);
                let bq = c.mul_add_g(&ZERO, &q, &b);
                to_affine(c, &c.add(&ag, &bq))
            };
            prop_assert_eq!(to_affine(c, &c.mul_add_g(&a, &q, &b)), expected);
            prop_assert_eq!(to_affine(c, &c.mul_add_g(&a, &c.g, &ZERO)), double_and_add(c, &a, &c.g));
        }
    }
}

/// a·G + b·Q with Q's fixed-base table, as an affine point.
fn fixed(c: &Curve, a: &Uint, table: &FixedTable, b: &Uint) -> Option<Affine> {
    to_affine(c, &c.mul_add_fixed(a, table, b))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// The fixed-base chain (both scalars in pieces, SPAN doublings)
    /// gives the point the plain chain gives, for any scalars below 2^256
    /// and any point Q = q·G.
    #[test]
    fn fixed_base_matches_the_plain_chain(
        a in any::<[u8; 32]>(),
        b in any::<[u8; 32]>(),
        q in any::<[u8; 32]>(),
    ) {
        for (c, _) in CURVES {
            let (a, b, q) = (from_be(&a), from_be(&b), from_be(&q));
            let Some(q) = to_affine(c, &c.mul_add_g(&q, &c.g, &ZERO)) else {
                continue;
            };
            let table = c.fixed_table(&q);
            let plain = to_affine(c, &c.mul_add_g(&a, &q, &b));
            prop_assert_eq!(fixed(c, &a, &table, &b), plain);
            prop_assert_eq!(fixed(c, &a, &table, &ZERO), double_and_add(c, &a, &c.g));
            prop_assert_eq!(fixed(c, &ZERO, &table, &b), double_and_add(c, &b, &q));
        }
    }
}

/// Scalars at the edges of the pieces and of the range: zero, one, powers
/// of two around the piece boundaries (2^65, 2^130, 2^195), all ones, n - 1
/// and n (whose multiples are -G and infinity), and a·G + b·Q cancelling
/// to infinity.
#[test]
fn fixed_base_edge_scalars() {
    for (c, _) in CURVES {
        let q = double_and_add(c, &small(7), &c.g).unwrap();
        let table = c.fixed_table(&q);
        let pow2 = |k: usize| {
            let mut v = ZERO;
            v[k / Limb::BITS as usize] = 1 << (k % Limb::BITS as usize);
            v
        };
        let all_ones = sub_raw(&ZERO, &small(1)).0;
        let mut scalars = vec![ZERO, small(1), small(63), small(64), all_ones];
        scalars.extend([c.n.m, minus(&c.n.m, 1), add_raw(&c.n.m, &small(5)).0]);
        for k in [64, 65, 66, 129, 130, 131, 194, 195, 196, 255] {
            scalars.push(pow2(k));
            scalars.push(minus(&pow2(k), 1));
        }
        for a in &scalars {
            for b in &scalars {
                assert_eq!(
                    fixed(c, a, &table, b),
                    to_affine(c, &c.mul_add_g(a, &q, b)),
                    "a {a:X?} b {b:X?}"
                );
            }
        }
        // 7·(n-1)·G + 1·(7G) = infinity.
        let a = nmul(c, &minus(&c.n.m, 1), &small(7));
        assert_eq!(fixed(c, &a, &table, &small(1)), None);
        // G's own table agrees with itself as a key's table.
        let g_as_key = c.fixed_table(&c.g);
        assert_eq!(
            fixed(c, &small(3), &g_as_key, &small(4)),
            double_and_add(c, &small(7), &c.g)
        );
    }
}

// ---------------------------------------------------------------------------
// Differential tests against the crates.

/// A key pair made with the crates, and a signature over `msg`.
struct Signed {
    key: Vec<u8>,
    msg: Vec<u8>,
    sig: EcSignature,
}

fn sign(alg: KeyAlgorithm, secret: &[u8; 32], msg: &[u8]) -> Option<Signed> {
    use p256::ecdsa::signature::Signer as _;
    let id = core::str::from_utf8(SM2_DEFAULT_ID).ok()?;
    let (key, r, s) = match alg {
        KeyAlgorithm::Sm2 => {
            let k = sm2::dsa::SigningKey::from_slice(id, secret).ok()?;
            let sig: sm2::dsa::Signature = k.sign(msg);
            let key = k.verifying_key().to_sec1_point(false).as_bytes().to_vec();
            (key, sig.r_bytes().into(), sig.s_bytes().into())
        }
        KeyAlgorithm::P256 => {
            let k = p256::ecdsa::SigningKey::from_slice(secret).ok()?;
            let sig: p256::ecdsa::Signature = k.sign(msg);
            let key = k.verifying_key().to_sec1_point(false).as_bytes().to_vec();
            let (r, s) = sig.split_bytes();
            (key, r.into(), s.into())
        }
    };
    Some(Signed {
        key,
        msg: msg.to_vec(),
        sig: EcSignature { r, s },
    })
}

/// (key accepted, signature accepted) by the crates.
fn crate_verdict(alg: KeyAlgorithm, key: &[u8], msg: &[u8], sig: &EcSignature) -> (bool, bool) {
    use p256::ecdsa::signature::Verifier as _;
    match alg {
        KeyAlgorithm::Sm2 => {
            let Ok(vk) = sm2::dsa::VerifyingKey::from_sec1_bytes("1234567812345678", key) else {
                return (false, false);
            };
            let ok = sm2::dsa::Signature::from_scalars(sig.r, sig.s)
                .is_ok_and(|s| vk.verify(msg, &s).is_ok());
            (true, ok)
        }
        KeyAlgorithm::P256 => {
            let Ok(vk) = p256::ecdsa::VerifyingKey::from_sec1_bytes(key) else {
                return (false, false);
            };
            let ok = p256::ecdsa::Signature::from_scalars(sig.r, sig.s)
                .is_ok_and(|s| vk.verify(msg, &s).is_ok());
            (true, ok)
        }
    }
}

/// (key accepted, signature accepted) by ours; panics unless the cached
/// path (the key's own table, made on its third use) gives the same
/// verdict, with the same error, as the plain verification.
fn our_verdict(alg: KeyAlgorithm, key: &[u8], msg: &[u8], sig: &EcSignature) -> (bool, bool) {
    std::thread_local! {
        static TABLES: core::cell::RefCell<KeyTables> = Default::default();
    }
    match PublicKey::from_sec1(alg, key) {
        Ok(k) => {
            let plain = k.verify(msg, sig);
            TABLES.with_borrow_mut(|tables| {
                if tables.held().is_some_and(|(_, held)| held >= 64) {
                    *tables = KeyTables::default();
                }
                // The first uses of a key go without a table, the third
                // makes one, later ones use it.
                for _ in 0..KEY_TABLE_AFTER {
                    assert_eq!(k.verify_with(tables, msg, sig), plain);
                }
                assert!(tables.has_table(&k));
            });
            (true, plain.is_ok())
        }
        Err(_) => (false, false),
    }
}

/// Ours and the crates agree. The one deliberate difference: the crates
/// also take the non-SEC1 "compact" form 05‖x, which we refuse.
fn agree(alg: KeyAlgorithm, key: &[u8], msg: &[u8], sig: &EcSignature) -> Result<(), String> {
    let ours = our_verdict(alg, key, msg, sig);
    if key.first() == Some(&0x05) {
        return if ours.0 {
            Err("accepted a 05 key".into())
        } else {
            Ok(())
        };
    }
    let theirs = crate_verdict(alg, key, msg, sig);
    if ours == theirs {
        Ok(())
    } else {
        Err(format!(
            "{alg}: ours {ours:?}, crate {theirs:?}, key {}, msg {}, r {}, s {}",
            hex(key),
            hex(msg),
            hex(&sig.r),
            hex(&sig.s)
        ))
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// Which part of a signed message a mutation changes.
#[derive(Clone, Copy, Debug)]
enum Part {
    R,
    S,
    Msg,
    Key,
}

fn mutate(
    signed: &Signed,
    part: Part,
    index: usize,
    f: impl Fn(u8) -> u8,
) -> (Vec<u8>, Vec<u8>, EcSignature) {
    let (mut key, mut msg, mut sig) = (signed.key.clone(), signed.msg.clone(), signed.sig);
    let bytes: &mut [u8] = match part {
        Part::R => &mut sig.r,
        Part::S => &mut sig.s,
        Part::Msg => &mut msg,
        Part::Key => &mut key,
    };
    if !bytes.is_empty() {
        let i = index % bytes.len();
        bytes[i] = f(bytes[i]);
    }
    (key, msg, sig)
}

fn alg_strategy() -> impl Strategy<Value = KeyAlgorithm> {
    prop_oneof![Just(KeyAlgorithm::Sm2), Just(KeyAlgorithm::P256)]
}

fn part_strategy() -> impl Strategy<Value = Part> {
    prop_oneof![
        Just(Part::R),
        Just(Part::S),
        Just(Part::Msg),
        Just(Part::Key)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Valid signatures verify, with the key uncompressed or compressed;
    /// one flipped bit or one replaced octet anywhere gives the crates'
    /// verdict.
    #[test]
    fn differential(
        alg in alg_strategy(),
        secret in any::<[u8; 32]>(),
        msg in proptest::collection::vec(any::<u8>(), 0..80),
        part in part_strategy(),
        index in any::<usize>(),
        bit in 0u8..8,
        octet in any::<u8>(),
        compressed in any::<bool>(),
    ) {
        let Some(mut signed) = sign(alg, &secret, &msg) else {
            return Err(TestCaseError::reject("secret not in [1, n-1]"));
        };
        if compressed {
            let mut key = signed.key[..33].to_vec();
            key[0] = 0x02 | (signed.key[64] & 1);
            signed.key = key;
        }
        prop_assert_eq!(our_verdict(alg, &signed.key, &msg, &signed.sig), (true, true));
        let (k, m, s) = mutate(&signed, part, index, |b| b ^ (1 << bit));
        prop_assert_eq!(agree(alg, &k, &m, &s), Ok(()));
        let (k, m, s) = mutate(&signed, part, index, |_| octet);
        prop_assert_eq!(agree(alg, &k, &m, &s), Ok(()));
    }
}

/// Every single-bit flip of r, s, the key (both encodings) and a short
/// message, for one key of each curve.
#[test]
fn every_bit_flip() {
    for alg in [KeyAlgorithm::Sm2, KeyAlgorithm::P256] {
        let mut signed = sign(alg, &[0x42; 32], b"fiscal e-bill").unwrap();
        for compressed in [false, true] {
            if compressed {
                let mut key = signed.key[..33].to_vec();
                key[0] = 0x02 | (signed.key[64] & 1);
                signed.key = key;
            }
            for part in [Part::R, Part::S, Part::Msg, Part::Key] {
                let len = match part {
                    Part::R | Part::S => 32,
                    Part::Msg => signed.msg.len(),
                    Part::Key => signed.key.len(),
                };
                if compressed && !matches!(part, Part::Key) {
                    continue;
                }
                for i in 0..len {
                    for bit in 0..8 {
                        let (k, m, s) = mutate(&signed, part, i, |b| b ^ (1 << bit));
                        assert_eq!(
                            agree(alg, &k, &m, &s),
                            Ok(()),
                            "{part:?} octet {i} bit {bit}"
                        );
                        assert_ne!(
                            our_verdict(alg, &k, &m, &s),
                            (true, true),
                            "{part:?} octet {i} bit {bit}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn scalar_edge_cases() {
    for (c, alg) in CURVES {
        let signed = sign(alg, &[0x17; 32], b"edge").unwrap();
        let key = PublicKey::from_sec1(alg, &signed.key).unwrap();
        let n = to_be(&c.n.m);
        let n1 = to_be(&minus(&c.n.m, 1));
        let (r, s) = (signed.sig.r, signed.sig.s);
        for (r, s, in_range) in [
            ([0; 32], s, false),
            (r, [0; 32], false),
            (n, s, false),
            (r, n, false),
            ([0xFF; 32], s, false),
            (r, [0xFF; 32], false),
            (n1, s, true),
            (r, n1, true),
            (n1, n1, true),
            (to_be(&small(1)), to_be(&small(1)), true),
        ] {
            let sig = EcSignature { r, s };
            let ours = key.verify(&signed.msg, &sig);
            assert_eq!(
                ours.is_ok(),
                crate_verdict(alg, &signed.key, &signed.msg, &sig).1
            );
            assert!(ours.is_err());
            let out_of_range = "invalid signature: r or s is not in [1, n-1]";
            assert_eq!(ours.unwrap_err().to_string() == out_of_range, !in_range);
        }
        // ECDSA accepts high-S: (r, n - s) verifies too.
        let high = EcSignature {
            r,
            s: to_be(&c.n.neg(&from_be(&s))),
        };
        assert_eq!(
            key.verify(&signed.msg, &high).is_ok(),
            alg == KeyAlgorithm::P256
        );
        assert_eq!(agree(alg, &signed.key, &signed.msg, &high), Ok(()));
    }
}

#[test]
fn sm2_t_zero_is_refused() {
    let signed = sign(KeyAlgorithm::Sm2, &[0x33; 32], b"t").unwrap();
    let q = SM2.decode(&signed.key).unwrap();
    let r = from_be(&signed.sig.r);
    let sig = EcSignature {
        r: signed.sig.r,
        s: to_be(&SM2.n.neg(&r)),
    };
    let e = PublicKey::from_sec1(KeyAlgorithm::Sm2, &signed.key)
        .unwrap()
        .sm2_e(b"t")
        .unwrap();
    let table = SM2.fixed_table(&q);
    for q in [Key::Point(&q), Key::Table(&table)] {
        assert_eq!(
            verify::sm2(&SM2, q, &e, &sig.r, &sig.s),
            Err(VerifyError::Mismatch)
        );
    }
    assert_eq!(agree(KeyAlgorithm::Sm2, &signed.key, b"t", &sig), Ok(()));
}

/// Builds a key Q and scalars so that the verification point is R, a
/// point whose x is ≥ n: the rare case (x₁ mod n ≠ x₁) that random
/// signatures never reach. With u·G + v·Q = R: Q = v⁻¹·R - (u/v)·G.
fn key_for(c: &Curve, r_point: &Affine, u: &Uint, v: &Uint) -> Affine {
    let vi = ninv(c, v);
    let minus_u_over_v = c.n.neg(&nmul(c, u, &vi));
    to_affine(c, &c.mul_add_g(&minus_u_over_v, r_point, &vi)).unwrap()
}

/// A point with n ≤ x < p.
fn point_above_n(c: &Curve) -> Affine {
    let f = &c.p;
    let mut x = c.n.m;
    loop {
        let xm = f.to_mont(&x);
        let rhs = f.add(
            &f.sub(&f.mul(&f.square(&xm), &xm), &f.add(&f.add(&xm, &xm), &xm)),
            &c.b,
        );
        if let Some(y) = f.sqrt(&rhs) {
            return Affine { x: xm, y };
        }
        x = add_raw(&x, &small(1)).0;
    }
}

#[test]
fn x_above_n_is_reduced() {
    for (c, alg) in CURVES {
        let big_r = point_above_n(c);
        let x1 = c.p.to_plain(&big_r.x);
        let x1_mod_n = c.n.reduce(&x1);
        assert_ne!(x1, x1_mod_n);
        let (r, s) = match alg {
            KeyAlgorithm::Sm2 => (small(1234), small(5678)),
            _ => (x1_mod_n, small(5678)),
        };
        let (q, e) = match alg {
            KeyAlgorithm::Sm2 => {
                // s·G + t·Q = R, and e = r - x₁ mod n.
                let t = c.n.add(&r, &s);
                (key_for(c, &big_r, &s, &t), c.n.sub(&r, &x1_mod_n))
            }
            _ => {
                // e·w·G + r·w·Q = R.
                let e = small(999);
                let w = ninv(c, &s);
                (key_for(c, &big_r, &nmul(c, &e, &w), &nmul(c, &r, &w)), e)
            }
        };
        let (r, s, e) = (to_be(&r), to_be(&s), to_be(&e));
        let key = c.encode(&q);
        let table = c.fixed_table(&q);
        let ours = |q, r: &[u8; 32]| match alg {
            KeyAlgorithm::Sm2 => verify::sm2(c, q, &e, r, &s),
            _ => verify::ecdsa(c, q, &e, r, &s),
        };
        for q in [Key::Point(&q), Key::Table(&table)] {
            assert_eq!(ours(q, &r), Ok(()), "{alg}");
        }
        // The crates agree (prehash interface: e given directly).
        use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
        let theirs = match alg {
            KeyAlgorithm::Sm2 => sm2::dsa::VerifyingKey::from_sec1_bytes("1234567812345678", &key)
                .unwrap()
                .verify_prehash(&e, &sm2::dsa::Signature::from_scalars(r, s).unwrap()),
            _ => p256::ecdsa::VerifyingKey::from_sec1_bytes(&key)
                .unwrap()
                .verify_prehash(&e, &p256::ecdsa::Signature::from_scalars(r, s).unwrap()),
        };
        assert!(theirs.is_ok(), "{alg}");
        // r + 1 fails (and so would r = x₁ itself, were it below n).
        let r1 = to_be(&c.n.add(&from_be(&r), &small(1)));
        for q in [Key::Point(&q), Key::Table(&table)] {
            assert_eq!(ours(q, &r1), Err(VerifyError::Mismatch));
        }
    }
}

#[test]
fn point_decoding() {
    for (c, alg) in CURVES {
        let signed = sign(alg, &[0x55; 32], b"points").unwrap();
        let key = &signed.key;
        let q = c.decode(key).unwrap();
        assert_eq!(c.encode(&q).as_slice(), key.as_slice());
        // Compressed, both parities: the right one gives the key, the other
        // its negation (a valid key that does not verify the signature).
        let odd = key[64] & 1;
        for tag in [0x02, 0x03] {
            let mut compressed = key[..33].to_vec();
            compressed[0] = tag;
            let p = c.decode(&compressed).unwrap();
            assert_eq!(p, if tag & 1 == odd { q } else { neg(c, &q) });
            assert_eq!(agree(alg, &compressed, &signed.msg, &signed.sig), Ok(()));
        }
        let mut bad = key.clone();
        bad[64] ^= 1;
        assert_eq!(c.decode(&bad), Err(PointError::NotOnCurve));
        assert_eq!(c.decode(&[0x00]), Err(PointError::Infinity));
        assert_eq!(c.decode(&[]), Err(PointError::Encoding));
        assert_eq!(c.decode(&key[..64]), Err(PointError::Encoding));
        assert_eq!(
            c.decode(&[key.as_slice(), &[0]].concat()),
            Err(PointError::Encoding)
        );
        let mut hybrid = key.clone();
        hybrid[0] = 0x06 | odd;
        assert_eq!(c.decode(&hybrid), Err(PointError::Encoding));
        let mut compact = key[..33].to_vec();
        compact[0] = 0x05;
        assert_eq!(c.decode(&compact), Err(PointError::Encoding));
        // Coordinates ≥ p: x = p, y = p, x = 2^256 - 1; x + p for a small x
        // on the curve (the same point mod p) too.
        let p = to_be(&c.p.m);
        let all_ones = [0xFF; 32];
        let cases: [(&[u8], &[u8]); 3] =
            [(&p, &key[33..]), (&key[1..33], &p), (&all_ones, &key[33..])];
        for (x, y) in cases {
            let point = [&[0x04], x, y].concat();
            assert_eq!(c.decode(&point), Err(PointError::CoordinateRange));
            assert_eq!(agree(alg, &point, b"", &signed.sig), Ok(()));
            let point = [&[0x02], x].concat();
            if x != &key[1..33] {
                assert_eq!(c.decode(&point), Err(PointError::CoordinateRange));
                assert_eq!(agree(alg, &point, b"", &signed.sig), Ok(()));
            }
        }
        let x = c.p.to_plain(&point_small_x(c).x);
        let x_plus_p = c.p.add_unreduced(&x).unwrap();
        let point = [&[0x02][..], &to_be(&x_plus_p)].concat();
        assert_eq!(c.decode(&point), Err(PointError::CoordinateRange));
        assert_eq!(agree(alg, &point, b"", &signed.sig), Ok(()));
        // x with no y.
        let mut x = 0u8;
        let no_y = loop {
            let point = [&[0x02][..], &to_be(&small(x.into()))].concat();
            if c.decode(&point).is_err() {
                break point;
            }
            x += 1;
        };
        assert_eq!(c.decode(&no_y), Err(PointError::NotOnCurve));
        assert_eq!(agree(alg, &no_y, b"", &signed.sig), Ok(()));
        // Infinity and a bad point through the public API: Invalid.
        for bad in [&[0x00][..], &bad, &no_y] {
            assert!(matches!(
                PublicKey::from_sec1(alg, bad),
                Err(crate::pki::keys::KeyError::Invalid(_))
            ));
        }
    }
}

/// A point with x < 256.
fn point_small_x(c: &Curve) -> Affine {
    (0..=255u8)
        .find_map(|x| {
            c.decode(&[&[0x02][..], &to_be(&small(x.into()))].concat())
                .ok()
        })
        .unwrap()
}

/// a⁻¹ mod n by the crate of the curve (0 for 0).
fn crate_scalar_inverse(alg: KeyAlgorithm, a: &[u8; 32]) -> [u8; 32] {
    use p256::elliptic_curve::ff::PrimeField as _;
    match alg {
        KeyAlgorithm::P256 => {
            let s = p256::Scalar::from_repr((*a).into()).unwrap();
            Option::<p256::Scalar>::from(s.invert())
                .unwrap_or(p256::Scalar::ZERO)
                .to_repr()
                .into()
        }
        KeyAlgorithm::Sm2 => {
            let s = sm2::Scalar::from_repr((*a).into()).unwrap();
            Option::<sm2::Scalar>::from(s.invert())
                .unwrap_or(sm2::Scalar::ZERO)
                .to_repr()
                .into()
        }
    }
}

/// The binary inverse against a^(m-2), the definition, and (mod n) the
/// crates; in and out of Montgomery form.
fn check_inverse(c: &Curve, alg: KeyAlgorithm, x: &Uint) -> Result<(), TestCaseError> {
    for m in [&c.p, &c.n] {
        let x = m.reduce(x);
        let inv = m.invert_plain(&x);
        prop_assert!(lt(&inv, &m.m));
        let fermat = m.to_plain(&m.pow(&m.to_mont(&x), &sub_raw(&m.m, &small(2)).0));
        prop_assert_eq!(inv, fermat, "{}", hex(&to_be(&x)));
        let expected = if is_zero(&x) { ZERO } else { small(1) };
        prop_assert_eq!(slow_mul(m, &x, &inv), expected);
        prop_assert_eq!(m.invert(&m.to_mont(&x)), m.to_mont(&inv));
    }
    let x = to_be(&c.n.reduce(x));
    prop_assert_eq!(
        to_be(&c.n.invert_plain(&from_be(&x))),
        crate_scalar_inverse(alg, &x)
    );
    Ok(())
}

proptest! {
    #[test]
    fn binary_inverse(a in any::<[u8; 32]>()) {
        for (c, alg) in CURVES {
            check_inverse(c, alg, &from_be(&a))?;
        }
    }
}

#[test]
fn binary_inverse_edge_cases() {
    for (c, alg) in CURVES {
        for m in [&c.p, &c.n] {
            let mut values = vec![ZERO, small(1), small(2), small(3), minus(&m.m, 1)];
            values.push(minus(&m.m, 2));
            // Powers of two: long runs of zeros to halve out at once.
            for k in 0..256 {
                let mut p = ZERO;
                p[k / Limb::BITS as usize] = 1 << (k % Limb::BITS as usize);
                values.push(p);
                values.push(sub_raw(&m.m, &p).0);
            }
            for v in values {
                check_inverse(c, alg, &v).unwrap();
            }
        }
    }
}
