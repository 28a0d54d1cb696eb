//! Piaoyan core: a pure verifier for China's fiscal electronic bills
//! (财政电子票据), profile `piaoyan/1` (`shared/spec/ebill-xml.md`).
//!
//! Data flows one way: bytes → parsed bill → checks → report. No I/O, no
//! clock, no threads: the host passes trust material and the time in
//! [`VerifyOptions`].

pub mod bill;
pub mod capital;
pub mod codes;
pub mod options;
pub mod pki;
pub mod report;

pub use bill::Bill;
pub use options::{Limits, OptionsError, VerifyOptions};
pub use report::{Report, SubIndication, Verdict};

/// The version of this verifier.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A verifier holding the host's trust material, parsed once.
pub struct Verifier {
    options: VerifyOptions,
}

impl Verifier {
    /// Parses the trust material. Bad certificates or CRLs are a host error.
    pub fn new(options: &VerifyOptions) -> Result<Verifier, OptionsError> {
        Ok(Verifier {
            options: options.clone(),
        })
    }

    /// Verifies one bill. Never panics on any input.
    pub fn verify(&self, input: &[u8]) -> Report {
        let _ = (&self.options, input);
        todo!("verification pipeline")
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
    let report = verify(input, &options)?;
    serde_json::to_string(&report).map_err(|e| OptionsError {
        code: "REPORT_JSON",
        message: e.to_string(),
    })
}
