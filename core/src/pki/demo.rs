//! The project's demo trust anchors (`samples/trust/roots.pem`).
//!
//! The demo PKI's keys are derived from labels in the public source
//! (`tests/src/fixture`), so anyone can make a bill that chains to these
//! roots. A host may still choose to trust them (the samples, the README
//! command, the tests), but a verdict that rests on one of them is no
//! promise that a bill is genuine: the report marks it
//! ([`crate::Report::demo_trust`]), and every host shows it as a demo.
//!
//! Known by the SHA-256 of their DER (an anchor is trusted by its whole
//! encoding, not by its name): `tests/tests/samples_up_to_date.rs` holds
//! this list to the roots the generator writes.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::pki::Cert;
use crate::pki::hash::Sha256;

/// SHA-256 of the DER of each demo root: the SM2 root, then the P-256 root.
pub const DEMO_ANCHOR_SHA256: [[u8; 32]; 2] = [
    [
        0x8f, 0x7c, 0xa3, 0x62, 0x54, 0x93, 0xec, 0x75, 0x6d, 0x3a, 0xf4, 0x7b, 0x28, 0x81, 0xe8,
        0xd7, 0xd6, 0xe3, 0x3c, 0x7d, 0xac, 0xa8, 0xbe, 0xe2, 0x09, 0xb3, 0x50, 0x12, 0x35, 0xc9,
        0x99, 0x35,
    ],
    [
        0x8a, 0xe0, 0x86, 0x62, 0x22, 0x51, 0x58, 0xd3, 0xcb, 0xa5, 0xcc, 0xe7, 0xee, 0xa4, 0x47,
        0xe1, 0x58, 0x22, 0x6d, 0x9d, 0x07, 0x12, 0x6a, 0xdf, 0xc1, 0x71, 0x36, 0x85, 0x3c, 0x50,
        0x85, 0x41,
    ],
];

/// Whether `der` is one of the project's demo trust anchors.
pub fn is_demo_anchor_der(der: &[u8]) -> bool {
    DEMO_ANCHOR_SHA256.contains(&Sha256::digest(der))
}

/// Whether `cert` is one of the project's demo trust anchors.
pub(crate) fn is_demo_anchor(cert: &Cert) -> bool {
    is_demo_anchor_der(cert.der())
}
