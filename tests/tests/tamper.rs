//! Tamper property: changing any single byte inside the signed octets B of a
//! valid bill never yields VALID.

use piaoyan_core::Verdict;
use piaoyan_tests::vectors::*;

/// B (spec §5.1): from `<Header` up to and including `</EInvoiceData>`.
fn signed_range(bytes: &[u8]) -> std::ops::Range<usize> {
    let find = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle);
    let start = find(b"<Header").expect("<Header");
    let end = bytes
        .windows(15)
        .rposition(|w| w == b"</EInvoiceData>")
        .expect("</EInvoiceData>")
        + b"</EInvoiceData>".len();
    start..end
}

/// Valid vector bills covering SM2/P-256, RAW-DER, RAW-RS, DETACH with and
/// without signedAttrs.
fn valid_bills() -> Vec<String> {
    let wanted = [
        "bill-0001.xml",
        "bill-0002.xml",
        "bill-0006.xml",
        "bill-0008.xml",
        "bill-0014.xml",
    ];
    let entries = manifest();
    for w in wanted {
        let e = entries.iter().find(|e| e.file == w).expect("in manifest");
        assert_eq!(e.expect.verdict, "VALID", "{w} must be a valid bill");
    }
    wanted.iter().map(|s| s.to_string()).collect()
}

#[test]
fn flipping_any_byte_of_the_signed_octets_is_never_valid() {
    let verifier = piaoyan_core::Verifier::new(&vector_options(now_unix())).expect("trust");
    let mut flips = 0usize;
    for (n, file) in valid_bills().iter().enumerate() {
        let original = std::fs::read(bills_dir().join(file)).expect("bill");
        assert_eq!(
            verifier.verify(&original).verdict,
            Verdict::Valid,
            "{file} untouched"
        );
        let range = signed_range(&original);
        // Every position of B in the first two bills; a stride elsewhere.
        let step = if n < 2 { 1 } else { 7 };
        for pos in range.clone().step_by(step) {
            let mut bytes = original.clone();
            // A different, position-dependent change each time (never 0).
            let mask = 1u8 << (pos % 8) | 0x01;
            bytes[pos] ^= mask;
            let report = verifier.verify(&bytes);
            assert_ne!(
                report.verdict,
                Verdict::Valid,
                "{file}: byte {pos} ^ {mask:#04x} still VALID"
            );
            flips += 1;
        }
    }
    println!("{flips} single-byte changes inside B, none VALID");
}

mod random_changes {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
        #[test]
        fn any_new_value_at_any_position_of_b_is_not_valid(which in 0usize..5, offset in 0usize..100_000, value in any::<u8>()) {
            let verifier = piaoyan_core::Verifier::new(&vector_options(now_unix())).expect("trust");
            let file = &valid_bills()[which];
            let mut bytes = std::fs::read(bills_dir().join(file)).expect("bill");
            let range = signed_range(&bytes);
            let pos = range.start + offset % range.len();
            prop_assume!(bytes[pos] != value);
            bytes[pos] = value;
            prop_assert_ne!(verifier.verify(&bytes).verdict, Verdict::Valid);
        }
    }
}

#[test]
fn every_truncation_of_a_valid_bill_is_invalid_and_never_panics() {
    let verifier = piaoyan_core::Verifier::new(&vector_options(now_unix())).expect("trust");
    let original = std::fs::read(bills_dir().join("bill-0002.xml")).expect("bill");
    let full = original.trim_ascii_end().len();
    for len in 0..full {
        let report = verifier.verify(&original[..len]);
        assert_eq!(report.verdict, Verdict::Invalid, "prefix of {len} bytes");
    }
}

mod arbitrary_input {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
        /// Random bytes never panic and are never VALID; a valid bill with a
        /// random splice anywhere (signatures included) never panics, and is
        /// VALID only when its signed octets B are still the original ones.
        #[test]
        fn arbitrary_bytes_never_panic(noise in proptest::collection::vec(any::<u8>(), 0..512), at in 0usize..100_000, cut in 0usize..64) {
            let verifier = piaoyan_core::Verifier::new(&vector_options(now_unix())).expect("trust");
            prop_assert_ne!(verifier.verify(&noise).verdict, Verdict::Valid);
            let mut bytes = std::fs::read(bills_dir().join("bill-0008.xml")).expect("bill");
            let pos = at % bytes.len();
            let end = (pos + cut).min(bytes.len());
            bytes.splice(pos..end, noise.iter().copied());
            let original = std::fs::read(bills_dir().join("bill-0008.xml")).expect("bill");
            if verifier.verify(&bytes).verdict == Verdict::Valid {
                prop_assert_eq!(&bytes[signed_range(&bytes)], &original[signed_range(&original)]);
            }
        }
    }
}
