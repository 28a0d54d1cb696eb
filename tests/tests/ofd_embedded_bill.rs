//! The bill inside an OFD (issue #5, item 3): a fiscal e-bill XML found as
//! an attachment is verified fully with the host's trust, and its result is
//! part of the document's report. No corpus file carries a fiscal e-bill,
//! so these tests put one signed by the fixture PKI in place of
//! `original_invoice.xml` of a signed corpus document. That attachment is
//! covered by the seal, so the document is INVALID whatever the bill says
//! (the seal no longer matches it); the bill's own report is what is
//! checked, and how it joins the document's verdict.

use piaoyan_core::report::{CheckResult, Report, SubIndication as S, Verdict as V};
use piaoyan_core::{Verifier, VerifyOptions};
use piaoyan_tests::fixture::replace_first;
use piaoyan_tests::hostile;
use piaoyan_tests::ofd::{corpus, rewrite, signer_cert};

const BASE: &str = "sign-v4signed.ofd";
const ATTACHMENT: &str = "Doc_0/Attachs/original_invoice.xml";

/// `BASE` with its attachment replaced by `bill`, verified trusting both
/// the fixture PKI (for the bill) and the seal's signer (for the document).
fn verify_with_bill(bill: &[u8]) -> Report {
    let package = rewrite(&corpus(BASE), |entries| {
        let entry = entries
            .iter_mut()
            .find(|(n, _)| n == ATTACHMENT)
            .expect(ATTACHMENT);
        entry.1 = bill.to_vec();
    });
    let pki = hostile::pki();
    let mut options: VerifyOptions = hostile::options(&pki);
    options.trust_anchors.push(signer_cert(&corpus(BASE)));
    Verifier::new(&options).unwrap().verify(&package)
}

fn embedded(r: &Report) -> &Report {
    let document = r.document.as_ref().expect("an OFD report");
    let attachment = document
        .attachments
        .iter()
        .find(|a| a.file == ATTACHMENT)
        .expect("the attachment is listed");
    assert_eq!(attachment.format, "ebill");
    assert!(!attachment.covered, "the seal no longer matches it");
    attachment.report.as_deref().expect("the bill's own report")
}

#[test]
fn a_genuine_bill_inside_is_verified_and_reported_with_its_fields() {
    let bill = hostile::signed(|_| {});
    let r = verify_with_bill(&bill);
    let inner = embedded(&r);
    assert_eq!(
        (inner.verdict, inner.sub_indication),
        (V::Valid, None),
        "{}",
        inner.reason.en
    );
    let parsed = inner.bill.as_ref().expect("the bill's fields");
    assert_eq!(inner.bill_key.as_deref(), Some(parsed.key().as_str()));
    // The document carries the bill's key and fields (for duplicates and
    // display) ...
    assert_eq!(r.bill_key, inner.bill_key);
    assert_eq!(r.bill.as_ref(), Some(parsed));
    // ... and its own verdict comes from the seal, whose reference to the
    // replaced attachment fails.
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::HashFailure))
    );
    assert!(
        r.reason.en.contains("original_invoice.xml"),
        "{}",
        r.reason.en
    );
    let check = r.checks.iter().find(|c| c.id == "ofd.ebill").unwrap();
    assert_eq!(check.result, CheckResult::Pass);
}

#[test]
fn a_forged_bill_inside_fails_the_document_with_its_own_reason() {
    let bill = hostile::signed(|_| {});
    let forged = replace_first(&bill, "<PayerPartyName>", "<PayerPartyName>X");
    assert_ne!(forged, bill);
    let r = verify_with_bill(&forged);
    let inner = embedded(&r);
    assert_eq!(inner.verdict, V::Invalid, "{}", inner.reason.en);
    assert_eq!(r.verdict, V::Invalid);
    let check = r.checks.iter().find(|c| c.id == "ofd.ebill").unwrap();
    assert_eq!(check.result, CheckResult::Fail);
    assert!(
        check
            .message
            .en
            .starts_with("embedded fiscal e-bill /Doc_0/Attachs/original_invoice.xml: "),
        "{}",
        check.message.en
    );
    assert_eq!(
        check.code.as_deref(),
        inner.sub_indication.map(|s| s.as_str())
    );
}

#[test]
fn a_bill_inside_with_an_untrusted_signer_is_indeterminate() {
    // Signed by a PKI the host does not trust.
    let other = piaoyan_tests::fixture::Pki::new("UNTRUSTED");
    let bill = hostile::sign(&other, &piaoyan_tests::fixture::BillSpec::medical());
    let r = verify_with_bill(&bill);
    let inner = embedded(&r);
    assert_eq!(
        (inner.verdict, inner.sub_indication),
        (V::Indeterminate, Some(S::NoCertificateChainFound)),
        "{}",
        inner.reason.en
    );
}
