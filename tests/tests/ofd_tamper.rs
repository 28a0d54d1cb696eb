//! Tampered OFD packages, built by rewriting corpus files: each is INVALID
//! with the sub-indication and reason of what was changed.

use piaoyan_core::report::{SubIndication as S, Verdict as V};
use piaoyan_tests::ofd::{corpus, failed_checks, replace_once, rewrite, unzip, verify};

const BASE: &str = "sign-v4signed.ofd";

fn entry<'a>(entries: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut entries.iter_mut().find(|(n, _)| n == name).expect(name).1
}

#[test]
fn the_rewritten_but_unchanged_package_still_verifies() {
    // The zip writer itself changes nothing that is signed.
    let bytes = rewrite(&corpus(BASE), |_| {});
    let r = verify(&bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Indeterminate, Some(S::NoCertificateChainFound))
    );
}

#[test]
fn changed_page_content_is_a_hash_failure_naming_the_page() {
    let bytes = rewrite(&corpus(BASE), |e| {
        let page = entry(e, "Doc_0/Pages/Page_0/Content.xml");
        let last = page.iter().rposition(|b| b.is_ascii_digit()).unwrap();
        page[last] = if page[last] == b'9' {
            b'8'
        } else {
            page[last] + 1
        };
    });
    let r = verify(&bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::HashFailure))
    );
    assert!(
        r.reason.en.contains("/Doc_0/Pages/Page_0/Content.xml"),
        "{}",
        r.reason.en
    );
    let s = &r.document.as_ref().unwrap().signatures[0];
    assert_eq!(s.failed_references, ["/Doc_0/Pages/Page_0/Content.xml"]);
}

#[test]
fn flipped_seal_byte_is_a_signature_failure() {
    let bytes = rewrite(&corpus(BASE), |e| {
        let value = entry(e, "Doc_0/Signs/Sign_0/SignedValue.dat");
        // Inside the seal name's neighbourhood: a byte of SES_SealInfo, so
        // the structure stays well-formed but both signatures break.
        let at = value.len() / 3;
        value[at] ^= 0x01;
    });
    let r = verify(&bytes);
    assert_eq!(r.verdict, V::Invalid, "{}", r.reason.en);
    assert!(
        matches!(
            r.sub_indication,
            Some(S::SigCryptoFailure | S::FormatFailure)
        ),
        "{:?} {}",
        r.sub_indication,
        r.reason.en
    );
    // The last byte of the signer's signature: exactly SIG_CRYPTO_FAILURE.
    let bytes = rewrite(&corpus(BASE), |e| {
        let value = entry(e, "Doc_0/Signs/Sign_0/SignedValue.dat");
        let last = value.len() - 1;
        value[last] ^= 0x01;
    });
    let r = verify(&bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::SigCryptoFailure)),
        "{}",
        r.reason.en
    );
    assert!(
        failed_checks(&r)
            .iter()
            .any(|c| c == "ofd.signature[0].signatureValue SIG_CRYPTO_FAILURE")
    );
}

#[test]
fn swapped_signature_file_breaks_the_data_hash() {
    // Signature.xml of another document (same layout, other digests).
    let other = unzip(&corpus("sign-signedFile.ofd"));
    let foreign = other
        .iter()
        .find(|(n, _)| n == "Doc_0/Signs/Sign_0/Signature.xml")
        .unwrap()
        .1
        .clone();
    let bytes = rewrite(&corpus(BASE), |e| {
        *entry(e, "Doc_0/Signs/Sign_0/Signature.xml") = foreign;
    });
    let r = verify(&bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::HashFailure)),
        "{}",
        r.reason.en
    );
    assert!(
        failed_checks(&r)
            .iter()
            .any(|c| c == "ofd.signature[0].seal.dataHash HASH_FAILURE")
    );
}

#[test]
fn removed_reference_breaks_the_data_hash() {
    let bytes = rewrite(&corpus(BASE), |e| {
        let xml = entry(e, "Doc_0/Signs/Sign_0/Signature.xml");
        let text = String::from_utf8(xml.clone()).unwrap();
        let start = text.find("<ofd:Reference ").unwrap();
        let end =
            start + text[start..].find("</ofd:Reference>").unwrap() + "</ofd:Reference>".len();
        *xml = replace_once(xml, &text.as_bytes()[start..end], b"");
    });
    let r = verify(&bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::HashFailure)),
        "{}",
        r.reason.en
    );
    assert!(r.reason.en.contains("dataHash"), "{}", r.reason.en);
}

#[test]
fn changed_attachment_is_named_and_no_longer_covered() {
    let bytes = rewrite(&corpus(BASE), |e| {
        let att = entry(e, "Doc_0/Attachs/original_invoice.xml");
        att.extend_from_slice(b"\n");
    });
    let r = verify(&bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::HashFailure))
    );
    let doc = r.document.unwrap();
    let att = doc
        .attachments
        .iter()
        .find(|a| a.kind == "attachment")
        .unwrap();
    assert!(!att.covered);
    assert_eq!(
        doc.signatures[0].failed_references,
        ["/Doc_0/Attachs/original_invoice.xml"]
    );
}

#[test]
fn changed_cms_signed_file_is_a_hash_failure() {
    let bytes = rewrite(&corpus("converter-testImageNotFound.ofd"), |e| {
        let xml = entry(e, "Doc_0/Signs/Sign_1/Signature.xml");
        *xml = replace_once(xml, b"SignatureDateTime>", b"SignatureDateTime>1");
    });
    let r = verify(&bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::HashFailure)),
        "{}",
        r.reason.en
    );
    assert!(
        failed_checks(&r)
            .iter()
            .any(|c| c == "ofd.signature[1].cms.messageDigest HASH_FAILURE")
    );
}
