//! The fuzz targets `ofd_document`, `ofd_entry` and `ses_decode`
//! (README.md, "Fuzzing"): the public seal decoder they use, and every
//! input they found, kept as a regression test.

use piaoyan_core::ofd::ses;
use piaoyan_tests::ofd::{corpus, unzip};

/// The corpus files with seals of both versions.
const SEALED: [&str; 3] = [
    "reader-SESV4SignDoc.ofd",
    "sign-v4signed.ofd",
    "sign-allprotected.ofd",
];

#[test]
fn seal_decodes_alone_as_inside_its_signature() {
    let mut seen = 0;
    for name in SEALED {
        for (part, bytes) in unzip(&corpus(name)) {
            let Ok(sig) = ses::parse_signature(&bytes) else {
                continue;
            };
            let seal = ses::parse_seal_der(sig.seal.der).expect("the seal alone");
            assert_eq!(
                format!("{seal:?}"),
                format!("{:?}", sig.seal),
                "{name} {part}"
            );
            // Exactly one DER object: trailing octets are refused.
            let mut longer = sig.seal.der.to_vec();
            longer.push(0);
            assert!(ses::parse_seal_der(&longer).is_err());
            seen += 1;
        }
    }
    assert!(seen > 0, "no SES_Signature in the corpus files");
}

#[test]
fn seal_decoder_refuses_what_is_no_seal() {
    for bad in [
        &b""[..],
        b"\x30",
        b"\x30\x00",
        b"\x30\x02\x30\x00",
        b"\x04\x00",
    ] {
        assert!(ses::parse_seal_der(bad).is_err(), "{bad:?}");
    }
}
