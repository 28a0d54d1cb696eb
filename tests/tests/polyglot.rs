//! One file, one reading (issue 12, "a parser and a reader disagreeing"):
//! the verifier tells an XML bill from an OFD package by content, so a file
//! that is both — an OFD hidden in a signed bill, a bill in front of an OFD
//! — must not be VALID as the one while a viewer opens the other.

use piaoyan_core::{SubIndication, Verdict, Verifier};
use piaoyan_tests::ofd::corpus;
use piaoyan_tests::samples;

/// 2026-06-01T00:00:00Z.
const NOW: i64 = 1_780_272_000;

fn verifier() -> Verifier {
    Verifier::new(&samples::demo_pki().verify_options(Some(NOW))).unwrap()
}

fn valid_bill() -> Vec<u8> {
    let bill = samples::bills().remove(0);
    assert_eq!(bill.verdict, "VALID");
    bill.xml
}

#[test]
fn the_controls_are_valid() {
    let r = verifier().verify(&valid_bill());
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.reason);
}

/// A zip's headers hold bytes (`PK\x03\x04`, NUL) that XML 1.0 allows
/// nowhere, not even in a comment: the bill is refused whole.
#[test]
fn an_ofd_in_a_comment_after_a_signed_bill_is_refused() {
    let mut polyglot = valid_bill();
    polyglot.extend_from_slice(b"\n<!--");
    polyglot.extend_from_slice(&corpus("sign-v4signed.ofd"));
    polyglot.extend_from_slice(b"-->\n");
    let r = verifier().verify(&polyglot);
    assert_eq!(r.verdict, Verdict::Invalid, "{:?}", r.reason);
    assert_eq!(r.sub_indication, Some(SubIndication::FormatFailure));
    assert_eq!(r.format, "xml");
}

/// The same without a comment: a text viewer shows the bill, a zip reader
/// (finding the end record) the OFD; as XML the binary tail is refused.
#[test]
fn an_ofd_after_a_signed_bill_is_refused() {
    let mut polyglot = valid_bill();
    polyglot.extend_from_slice(&corpus("sign-v4signed.ofd"));
    let r = verifier().verify(&polyglot);
    assert_eq!(r.verdict, Verdict::Invalid, "{:?}", r.reason);
    assert_eq!(r.sub_indication, Some(SubIndication::FormatFailure));
}
