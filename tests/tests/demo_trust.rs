//! Issue 12, item 6: the demo PKI's keys are derived from labels in the
//! public source, so anyone can sign a bill that chains to the demo roots.
//! A verdict that rests on a demo anchor must say so (`demoTrust`, and
//! `demo` on the anchor), whatever the host; one resting on any other
//! anchor must not.

use piaoyan_core::pki::demo::{DEMO_ANCHOR_SHA256, is_demo_anchor_der};
use piaoyan_core::report::Report;
use piaoyan_core::{Verdict, Verifier, VerifyOptions};
use piaoyan_tests::fixture::*;
use piaoyan_tests::samples;

/// 2026-06-01T00:00:00Z.
const NOW: i64 = 1_780_272_000;

fn verify(pki: &Pki, bill: &[u8]) -> Report {
    let options: VerifyOptions = pki.verify_options(Some(NOW));
    Verifier::new(&options).unwrap().verify(bill)
}

/// A bill anyone can make: the demo keys, re-derived from their public
/// labels, sign a bill of the attacker's choosing.
fn forged_with_demo_keys() -> Vec<u8> {
    let pki = samples::demo_pki();
    let mut bill = BillSpec::medical();
    bill.payer.name = "攻击者".to_owned();
    let (u, s) = (bill.issue_plus(30), bill.issue_plus(600));
    pki.sign_bill(
        &bill,
        &SignSpec::detach(Alg::Sm2, &u),
        &SignSpec::raw_der(Alg::P256, &s),
    )
}

#[test]
fn the_demo_anchors_are_exactly_the_sample_roots() {
    let demo = samples::demo_pki();
    for alg in Alg::ALL {
        let h = demo.hierarchy(alg);
        assert!(is_demo_anchor_der(&h.root.cert_der), "{alg:?} demo root");
        assert!(
            !is_demo_anchor_der(&h.issuing.cert_der),
            "{alg:?} issuing CA"
        );
        for other in [samples::untrusted_pki(), Pki::new("NOT-DEMO")] {
            assert!(!is_demo_anchor_der(&other.hierarchy(alg).root.cert_der));
        }
    }
    assert_eq!(DEMO_ANCHOR_SHA256.len(), Alg::ALL.len());
}

#[test]
fn a_bill_forged_with_the_demo_keys_is_marked_demo() {
    let bill = forged_with_demo_keys();
    let report = verify(&samples::demo_pki(), &bill);
    assert_eq!(report.verdict, Verdict::Valid, "{:?}", report.reason);
    assert!(report.demo_trust);
    for s in &report.signatures {
        let anchor = s.chain.last().expect("a path to an anchor");
        assert_eq!(anchor.source, "anchor");
        assert!(anchor.demo, "{}", anchor.subject);
        assert!(s.chain[..s.chain.len() - 1].iter().all(|c| !c.demo));
    }
    let json = piaoyan_core::to_json(&report);
    assert!(json.contains("\"demoTrust\":true"), "{json}");
    assert!(
        json.contains("\"source\":\"anchor\",\"demo\":true"),
        "{json}"
    );
    assert_eq!(json, serde_json::to_string(&report).unwrap());
}

#[test]
fn a_bill_under_any_other_anchor_is_not_demo() {
    let pki = Pki::new("NOT-DEMO");
    let bill = BillSpec::medical();
    let (u, s) = (bill.issue_plus(30), bill.issue_plus(600));
    let signed = pki.sign_bill(
        &bill,
        &SignSpec::detach(Alg::Sm2, &u),
        &SignSpec::raw_der(Alg::P256, &s),
    );
    let report = verify(&pki, &signed);
    assert_eq!(report.verdict, Verdict::Valid, "{:?}", report.reason);
    assert!(!report.demo_trust);
    let json = piaoyan_core::to_json(&report);
    assert!(json.contains("\"demoTrust\":false"), "{json}");
    assert!(!json.contains("\"demo\":"), "{json}");
    // Trusting the demo roots as well does not mark a path that does not use them.
    let mut both = pki.verify_options(Some(NOW));
    let demo = samples::demo_pki().verify_options(Some(NOW));
    both.trust_anchors.extend(demo.trust_anchors);
    assert!(!Verifier::new(&both).unwrap().verify(&signed).demo_trust);
}

#[test]
fn every_sample_that_reaches_an_anchor_is_marked_demo() {
    let demo = samples::demo_pki();
    let mut marked = 0;
    for b in samples::bills() {
        let report = verify(&demo, &b.xml);
        let reached = report
            .signatures
            .iter()
            .any(|s| s.chain.last().is_some_and(|c| c.source == "anchor"));
        assert_eq!(report.demo_trust, reached, "{}", b.file);
        marked += usize::from(report.demo_trust);
    }
    // 05 chains to an untrusted root; every other sample reaches a demo root.
    assert!(marked >= 5, "{marked}");
}
