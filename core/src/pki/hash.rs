//! SM3 (GB/T 32905-2016) and SHA-256 (FIPS 180-4), behind the two small
//! types the rest of the core uses: [`Sm3`] and [`Sha256`], fed in pieces
//! with `update`, then `finalize`d, or `digest` in one call.
//!
//! SHA-256 is the RustCrypto `sha2` crate; in the WebAssembly module it is
//! built with its compact soft backend (`--cfg sha2_backend_soft="compact"`,
//! set by `host-cli/build.rs`): rolled rounds.
//!
//! SM3 is written out here (`hash/sm3.rs`, rounds rolled) rather than taken
//! from the `sm3` crate: that crate (0.5) has no compact backend, and its
//! fully unrolled compression function alone is 6.5 KB of code; with it
//! the module was 1 082 bytes larger gzipped, past its budget (measured
//! for issue 16; SECURITY.md lists this replacement). It is held to the
//! crate by known answers, a proptest over random lengths and split points,
//! and the `verify_bill` fuzz target's signed vectors. In the module it is
//! about as fast as the crate's. Constant-time behaviour is not a goal
//! here: everything hashed is public (signed documents, certificates).

mod sm3;

use sha2::Digest as _;

#[allow(unused_imports)]
use crate::prelude::*;

/// The block buffer and length count of SM3.
#[derive(Clone)]
struct Engine {
    state: [u32; 8],
    /// The bytes of a block not yet compressed: `block[..filled]`.
    block: [u8; 64],
    filled: usize,
    /// Message length so far in bytes (mod 2^64; the bit length is taken
    /// mod 2^64 too, as both standards bound messages below 2^64 bits).
    len: u64,
}

impl Engine {
    fn new(iv: [u32; 8]) -> Engine {
        Engine {
            state: iv,
            block: [0; 64],
            filled: 0,
            len: 0,
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u64);
        if self.filled > 0 {
            let free = &mut self.block[self.filled..];
            let take = free.len().min(data.len());
            let (head, rest) = data.split_at(take);
            free[..take].copy_from_slice(head);
            self.filled += take;
            data = rest;
            if self.filled < 64 {
                return;
            }
            sm3::compress(&mut self.state, &self.block);
            self.filled = 0;
        }
        let (blocks, tail) = data.as_chunks::<64>();
        for block in blocks {
            sm3::compress(&mut self.state, block);
        }
        self.block[..tail.len()].copy_from_slice(tail);
        self.filled = tail.len();
    }

    fn finalize(mut self) -> [u8; 32] {
        let bits = self.len.wrapping_mul(8);
        let mut i = self.filled;
        self.block[i] = 0x80;
        i += 1;
        if i > 56 {
            self.block[i..].fill(0);
            sm3::compress(&mut self.state, &self.block);
            i = 0;
        }
        self.block[i..56].fill(0);
        self.block[56..].copy_from_slice(&bits.to_be_bytes());
        sm3::compress(&mut self.state, &self.block);
        let mut out = [0u8; 32];
        for (o, w) in out.as_chunks_mut::<4>().0.iter_mut().zip(self.state) {
            *o = w.to_be_bytes();
        }
        out
    }
}

/// An SM3 computation in progress (GB/T 32905-2016).
#[derive(Clone)]
pub struct Sm3(Engine);

impl Sm3 {
    /// A new computation, over the empty message so far.
    pub fn new() -> Sm3 {
        Sm3(Engine::new(sm3::IV))
    }

    /// Appends `data` to the message.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data)
    }

    /// The 32-octet digest of everything appended.
    pub fn finalize(self) -> [u8; 32] {
        self.0.finalize()
    }

    /// SM3 of `data` in one call.
    pub fn digest(data: &[u8]) -> [u8; 32] {
        let mut h = Sm3::new();
        h.update(data);
        h.finalize()
    }
}

impl Default for Sm3 {
    fn default() -> Sm3 {
        Sm3::new()
    }
}

/// A SHA-256 computation in progress (FIPS 180-4).
#[derive(Clone, Default)]
pub struct Sha256(sha2::Sha256);

impl Sha256 {
    /// A new computation, over the empty message so far.
    pub fn new() -> Sha256 {
        Sha256(sha2::Sha256::new())
    }

    /// Appends `data` to the message.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data)
    }

    /// The 32-octet digest of everything appended.
    pub fn finalize(self) -> [u8; 32] {
        self.0.finalize().into()
    }

    /// SHA-256 of `data` in one call.
    pub fn digest(data: &[u8]) -> [u8; 32] {
        sha2::Sha256::digest(data).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sm3_gbt_32905_examples() {
        // Appendix A, example 1: "abc".
        assert_eq!(
            hex(&Sm3::digest(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        // Appendix A, example 2: "abcd" × 16 (512 bits, two blocks padded).
        assert_eq!(
            hex(&Sm3::digest(&b"abcd".repeat(16))),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        );
    }

    #[test]
    fn sha256_fips_180_examples() {
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&Sha256::digest(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        // One million 'a', fed in uneven pieces.
        let mut h = Sha256::new();
        let piece = [b'a'; 999];
        for _ in 0..1001 {
            h.update(&piece);
        }
        h.update(&piece[..1]);
        assert_eq!(
            hex(&h.finalize()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
        assert_eq!(
            hex(&Sha256::digest(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn padding_boundaries() {
        // Lengths around the one-block / two-block padding boundary (55, 56)
        // and whole blocks, against the crates.
        for len in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129] {
            let m: Vec<u8> = (0..len).map(|i| i as u8).collect();
            assert_eq!(Sm3::digest(&m)[..], ::sm3::Sm3::digest(&m)[..], "SM3 {len}");
            assert_eq!(
                Sha256::digest(&m)[..],
                ::sha2::Sha256::digest(&m)[..],
                "SHA-256 {len}"
            );
        }
    }

    proptest! {
        #[test]
        fn same_as_the_crates(
            msg in proptest::collection::vec(any::<u8>(), 0..1000),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
        ) {
            let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(msg.len() + 1)).collect();
            cuts.sort_unstable();
            let mut sm3 = Sm3::new();
            let mut sha = Sha256::new();
            let mut at = 0;
            for cut in cuts.into_iter().chain([msg.len()]) {
                sm3.update(&msg[at..cut]);
                sha.update(&msg[at..cut]);
                at = cut;
            }
            prop_assert_eq!(&sm3.finalize()[..], &::sm3::Sm3::digest(&msg)[..]);
            prop_assert_eq!(&sha.finalize()[..], &::sha2::Sha256::digest(&msg)[..]);
        }
    }
}
