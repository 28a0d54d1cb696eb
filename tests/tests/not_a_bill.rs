//! Files that are not bills at all (issue 13, "four honest states"): the
//! report stays INVALID/FORMAT_FAILURE and names the kind of file in
//! `notABill`, so the page and the CLI can show 无法识别 with help for it.
//! Damaged or forged bills and documents are never classified so.

use piaoyan_core::report::NotABill;
use piaoyan_core::{Limits, Report, SubIndication, Verdict, Verifier, VerifyOptions};
use piaoyan_tests::ofd::{Item, corpus, zip};
use piaoyan_tests::samples;

/// 2026-06-01T00:00:00Z.
const NOW: i64 = 1_780_272_000;

fn verify(bytes: &[u8]) -> Report {
    Verifier::new(&samples::demo_pki().verify_options(Some(NOW)))
        .unwrap()
        .verify(bytes)
}

fn valid_bill() -> Vec<u8> {
    let bill = samples::bills().remove(0);
    assert_eq!(bill.verdict, "VALID");
    bill.xml
}

#[track_caller]
fn assert_not_a_bill(bytes: &[u8], kind: NotABill) {
    let r = verify(bytes);
    assert_eq!(r.verdict, Verdict::Invalid, "{:?}", r.reason);
    assert_eq!(r.sub_indication, Some(SubIndication::FormatFailure));
    assert_eq!(r.not_a_bill, Some(kind), "{:?}", r.reason);
    assert!(r.reason.zh.starts_with("不是"), "{}", r.reason.zh);
    let json: serde_json::Value = serde_json::from_str(&piaoyan_core::to_json(&r)).unwrap();
    assert_eq!(json["notABill"], serde_json::to_value(kind).unwrap());
}

#[test]
fn empty_files_and_white_space() {
    for bytes in [&b""[..], b"   \r\n\t", b"\xEF\xBB\xBF\n"] {
        assert_not_a_bill(bytes, NotABill::Empty);
    }
}

#[test]
fn pdf_copies() {
    assert_not_a_bill(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", NotABill::Pdf);
}

#[test]
fn pictures_of_bills() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let jpeg = b"\xFF\xD8\xFF\xE0\0\x10JFIF";
    let gif = b"GIF89a\x01\0\x01\0";
    let webp = b"RIFF\x24\0\0\0WEBPVP8 ";
    for bytes in [&png[..], jpeg, gif, webp] {
        assert_not_a_bill(bytes, NotABill::Image);
    }
}

#[test]
fn a_zip_of_several_bills_is_an_archive_not_an_ofd() {
    let two = zip(&[
        Item::new("01.xml", valid_bill()),
        Item::new("02.xml", samples::bills().remove(1).xml),
    ]);
    assert_not_a_bill(&two, NotABill::Archive);
}

#[test]
fn text_that_is_neither_xml_nor_a_zip() {
    assert_not_a_bill("发票号码 0001203857".as_bytes(), NotABill::Unknown);
}

#[test]
fn past_the_size_bounds() {
    let options = VerifyOptions {
        limits: Limits {
            max_input_bytes: 1000,
            max_package_bytes: 1000,
            ..Limits::default()
        },
        ..samples::demo_pki().verify_options(Some(NOW))
    };
    let v = Verifier::new(&options).unwrap();
    for bytes in [valid_bill(), corpus("sign-v4signed.ofd")] {
        let r = v.verify(&bytes);
        assert_eq!(r.sub_indication, Some(SubIndication::FormatFailure));
        assert_eq!(r.not_a_bill, Some(NotABill::TooLarge), "{:?}", r.reason);
    }
}

/// What starts like XML, and a zip with an `/OFD.xml`, is judged as a bill
/// or a document: a damaged or changed one must not pass for a wrong file.
#[test]
fn damaged_bills_and_documents_are_never_classified() {
    let bill = valid_bill();
    let text = String::from_utf8(bill.clone()).unwrap();
    let damaged: Vec<Vec<u8>> = vec![
        bill[..bill.len() / 2].to_vec(),
        text.replace('\n', "\r\n").into_bytes(),
        b"<html><body>not a bill</body></html>".to_vec(),
        [&bill[..], b"\0"].concat(),
    ];
    for bytes in damaged {
        let r = verify(&bytes);
        assert_ne!(r.verdict, Verdict::Valid);
        assert_eq!(r.not_a_bill, None, "{:?}", r.reason);
    }
    let ofd = corpus("sign-v4signed.ofd");
    let mut broken = ofd.clone();
    let mid = broken.len() / 2;
    broken[mid] ^= 0xFF;
    for bytes in [ofd, broken] {
        assert_eq!(verify(&bytes).not_a_bill, None);
    }
    // A byte-order mark is allowed (spec §1): still the bill, and VALID.
    let with_bom = verify(&[&b"\xEF\xBB\xBF"[..], &bill].concat());
    assert_eq!(with_bom.verdict, Verdict::Valid, "{:?}", with_bom.reason);
    assert_eq!(with_bom.not_a_bill, None);
}

/// The names of docs/report.md, both ways.
#[test]
fn names_round_trip() {
    use NotABill::*;
    let kinds = [Empty, TooLarge, Pdf, Image, Archive, Unknown];
    let names = ["empty", "tooLarge", "pdf", "image", "archive", "unknown"];
    for (kind, name) in kinds.into_iter().zip(names) {
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, format!("\"{name}\""));
        assert_eq!(serde_json::from_str::<NotABill>(&json).unwrap(), kind);
    }
}
