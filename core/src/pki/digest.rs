//! Message digests: SM3 and SHA-256.

#[allow(unused_imports)]
use crate::prelude::*;

use super::hash::{Sha256, Sm3};
use super::oids::{self, Oid};

/// A digest algorithm this verifier supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    /// SM3 (GB/T 32905), 1.2.156.10197.1.401.
    Sm3,
    /// SHA-256 (FIPS 180-4), 2.16.840.1.101.3.4.2.1.
    Sha256,
}

impl DigestAlgorithm {
    /// The algorithm with this OID, if supported.
    pub fn from_oid(oid: &Oid) -> Option<Self> {
        if *oid == oids::SM3 {
            Some(DigestAlgorithm::Sm3)
        } else if *oid == oids::SHA256 {
            Some(DigestAlgorithm::Sha256)
        } else {
            None
        }
    }

    /// The algorithm's OID.
    pub fn oid(&self) -> Oid {
        match self {
            DigestAlgorithm::Sm3 => oids::SM3,
            DigestAlgorithm::Sha256 => oids::SHA256,
        }
    }

    /// A short display name ("SM3", "SHA-256").
    pub fn name(&self) -> &'static str {
        match self {
            DigestAlgorithm::Sm3 => "SM3",
            DigestAlgorithm::Sha256 => "SHA-256",
        }
    }

    /// The digest of `data` (32 octets for both algorithms).
    pub fn digest(&self, data: &[u8]) -> Vec<u8> {
        self.digest_parts(&[data])
    }

    /// The digest of the concatenation of `parts`, without copying them.
    pub fn digest_parts(&self, parts: &[&[u8]]) -> Vec<u8> {
        match self {
            DigestAlgorithm::Sm3 => {
                let mut h = Sm3::new();
                parts.iter().for_each(|p| h.update(p));
                h.finalize().to_vec()
            }
            DigestAlgorithm::Sha256 => {
                let mut h = Sha256::new();
                parts.iter().for_each(|p| h.update(p));
                h.finalize().to_vec()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        // GB/T 32905 example 1: SM3("abc").
        assert_eq!(
            super::super::tlv::hex(&DigestAlgorithm::Sm3.digest(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        assert_eq!(
            super::super::tlv::hex(&DigestAlgorithm::Sha256.digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            DigestAlgorithm::Sm3.digest_parts(&[b"a", b"bc"]),
            DigestAlgorithm::Sm3.digest(b"abc")
        );
    }

    #[test]
    fn oids_round_trip() {
        for alg in [DigestAlgorithm::Sm3, DigestAlgorithm::Sha256] {
            assert_eq!(DigestAlgorithm::from_oid(&alg.oid()), Some(alg));
        }
        assert_eq!(DigestAlgorithm::from_oid(&oids::SM2_WITH_SM3), None);
    }
}
