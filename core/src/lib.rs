//! Piaoyan core: a pure verifier for China's fiscal electronic bills
//! (财政电子票据), profile `piaoyan/1` (`shared/spec/ebill-xml.md`).
//!
//! Data flows one way: bytes → parsed bill → checks → report. No I/O, no
//! clock, no threads: the host passes trust material and the time in
//! [`VerifyOptions`].

#![forbid(unsafe_code)]

pub mod b64;
pub mod bill;
pub mod capital;
mod checks;
pub mod codes;
pub mod json;
pub mod json_out;
pub mod money;
pub mod ofd;
pub mod options;
pub mod parse;
pub mod pki;
pub mod report;
mod rules;
mod signature;
pub mod time;
mod verify;
pub mod xml;

pub use bill::Bill;
pub use options::{Limits, OptionsError, VerifyOptions};
pub use report::{Report, SubIndication, Verdict};

/// The version of this verifier.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A verifier holding the host's trust material, parsed once.
pub struct Verifier {
    trust: pki::TrustStore,
    limits: Limits,
    now: Option<i64>,
}

impl Verifier {
    /// Parses the trust material. Bad certificates or CRLs are a host error.
    pub fn new(options: &VerifyOptions) -> Result<Verifier, OptionsError> {
        let trust =
            pki::TrustStore::from_der(&options.trust_anchors, &options.certificates, &options.crls)
                .map_err(|(which, e)| {
                    let (field, index) = (which.field, which.index);
                    let message =
                        format!("{field}[{index}] is not a usable certificate or CRL: {e}");
                    OptionsError::entry("OPTIONS_CERTIFICATE", field, index, message)
                })?;
        Ok(Verifier {
            trust,
            limits: options.limits,
            now: options.now,
        })
    }

    /// Verifies one bill: a fiscal e-bill XML or an OFD document, told
    /// apart by content (a zip is OFD). Never panics on any input.
    pub fn verify(&self, input: &[u8]) -> Report {
        let mut report = if ofd::is_zip(input) {
            ofd::verify(input, &self.trust, &self.limits, self.now)
        } else {
            verify::verify(input, &self.trust, &self.limits, self.now)
        };
        report.mark_demo_trust();
        report
    }

    /// Parses a bill without verifying it (for display).
    pub fn parse(&self, input: &[u8]) -> Result<Bill, xml::FormatError> {
        parse::parse(input, &self.limits).map(|p| p.bill)
    }
}

/// Verifies one bill with the given options.
pub fn verify(input: &[u8], options: &VerifyOptions) -> Result<Report, OptionsError> {
    Ok(Verifier::new(options)?.verify(input))
}

/// Verifies one bill with options in JSON (`docs/abi.md`), returning the
/// report as JSON. This is what the C-style ABI calls.
pub fn verify_json(input: &[u8], options_json: &[u8]) -> Result<String, OptionsError> {
    let options = VerifyOptions::from_json(options_json)?;
    Ok(to_json(&verify(input, &options)?))
}

/// A report, or a part of one (a bill), as compact JSON: the text
/// `serde_json::to_string` gives for the same value, written by
/// [`json_out`] so that the WebAssembly module links no serde serialiser.
pub fn to_json(value: &dyn json_out::ToJson) -> String {
    json_out::to_string(value)
}
