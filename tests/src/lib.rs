//! Cross-crate tests and the fixture generator.

pub mod fixture;
pub mod hostile;
pub mod ofd;
pub mod samples;
pub mod sig_vectors;
pub mod vectors;

/// Asserts a report's verdict and sub-indication (`None`: VALID); `what`
/// names the case in the failure message.
pub fn expect(r: &piaoyan_core::Report, sub: Option<piaoyan_core::SubIndication>, what: &str) {
    let verdict = sub.map_or(
        piaoyan_core::Verdict::Valid,
        piaoyan_core::SubIndication::verdict,
    );
    assert_eq!(
        (r.verdict, r.sub_indication),
        (verdict, sub),
        "{what}: {}",
        r.reason.en
    );
}
