//! SM3 (GB/T 32905-2016) and SHA-256 (FIPS 180-4), from the RustCrypto
//! `sm3` and `sha2` crates, behind the two small types the rest of the core
//! uses: [`Sm3`] and [`Sha256`], fed in pieces with `update`, then
//! `finalize`d, or `digest` in one call.
//!
//! In the WebAssembly module `sha2` is built with its compact soft backend
//! (`--cfg sha2_backend_soft="compact"`, set by `host-cli/build.rs`): rolled
//! rounds, a smaller module. Natively it picks its fastest backend.
//! Constant-time behaviour is not a goal here: everything hashed is public
//! (signed documents, certificates).

use sha2::Digest as _;

macro_rules! hash_type {
    ($(#[$doc:meta])* $name:ident, $inner:ty) => {
        $(#[$doc])*
        #[derive(Clone, Default)]
        pub struct $name($inner);

        impl $name {
            /// A new computation, over the empty message so far.
            pub fn new() -> $name {
                $name(<$inner>::new())
            }

            /// Appends `data` to the message.
            pub fn update(&mut self, data: &[u8]) {
                self.0.update(data)
            }

            /// The 32-octet digest of everything appended.
            pub fn finalize(self) -> [u8; 32] {
                self.0.finalize().into()
            }

            /// The digest of `data` in one call.
            pub fn digest(data: &[u8]) -> [u8; 32] {
                <$inner>::digest(data).into()
            }
        }
    };
}

hash_type!(
    /// An SM3 computation in progress (GB/T 32905-2016).
    Sm3,
    sm3::Sm3
);
hash_type!(
    /// A SHA-256 computation in progress (FIPS 180-4).
    Sha256,
    sha2::Sha256
);

#[cfg(test)]
mod tests {
    use super::*;

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
}
