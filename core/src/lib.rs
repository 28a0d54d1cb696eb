//! Piaoyan core: a pure verifier for China's fiscal electronic bills
//! (财政电子票据), profile `piaoyan/1` (`shared/spec/ebill-xml.md`).
//!
//! Data flows one way: bytes → parsed bill → checks → report. No I/O, no
//! clock, no threads: the host passes trust material and the time in
//! [`VerifyOptions`].

#![no_std]
#![forbid(unsafe_code)]
// Cutting a `str` by index panics with a message that formats the
// character in Debug, which links Unicode tables: about 4 KB gzip of the
// module. `text::cut` cuts without it.
#![cfg_attr(not(test), deny(clippy::string_slice))]

// `no_std` with `alloc`: the WebAssembly module then links no standard
// library, so no panic-message formatting either (a panic there is a trap,
// see wasm/src/lib.rs). Tests use std.
extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

/// What the standard prelude would give a std crate.
mod prelude {
    pub(crate) use alloc::borrow::ToOwned;
    pub(crate) use alloc::boxed::Box;
    pub(crate) use alloc::format;
    pub(crate) use alloc::string::{String, ToString};
    pub(crate) use alloc::vec;
    pub(crate) use alloc::vec::Vec;
}
#[allow(unused_imports)]
use prelude::*;

/// Declares the internal modules: private to the crate, and public only
/// with the `internals` feature, which the tests, the fixture generator and
/// the fuzz targets turn on to reach the XML and DER readers, the
/// elliptic-curve code and the other stages directly. Hosts use the public
/// surface below and never need it.
macro_rules! internal_modules {
    ($($name:ident)*) => {$(
        #[cfg(feature = "internals")]
        pub mod $name;
        // What only the tests and fuzz targets call is unused without the
        // feature (e.g. `Cert::tbs_der`); it was as unchecked when every
        // module was public.
        #[cfg(not(feature = "internals"))]
        #[allow(dead_code, unused_imports)]
        mod $name;
    )*};
}

internal_modules! {
    b64 bill_pipeline bill_signature capital codes json money ofd parse pki
    report_build report_json rules signer_path text time xml
}

// The public surface: the verifier, its options, the report and the bill,
// and what hosts show beside a report (`inspect`).
pub mod bill;
pub mod inspect;
mod not_a_bill;
pub mod options;
/// Drawing OFD pages and fiscal bills as SVG (`docs/render.md`).
#[cfg(feature = "render")]
pub mod render;
pub mod report;

pub use bill::Bill;
pub use options::{Limits, OptionsError, VerifyOptions};
pub use report::{Report, SubIndication, Verdict};
pub use xml::FormatError;

/// The version of this verifier.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A verifier holding the host's trust material, parsed once.
///
/// `Send + Sync`: one verifier may serve many threads at once (a native
/// host's worker pool); what it remembers between bills (certificate paths,
/// and precomputed tables of the keys that sign again and again, see
/// `pki::TrustStore` and `pki::KeyTables`) sits behind locks that are only
/// ever tried, so no thread waits for another.
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
            ofd::verify_ofd(input, &self.trust, &self.limits, self.now)
        } else {
            bill_pipeline::verify_bill(input, &self.trust, &self.limits, self.now)
        };
        report.mark_demo_trust();
        report
    }

    /// Parses a bill without verifying it (for display).
    pub fn parse(&self, input: &[u8]) -> Result<Bill, FormatError> {
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

/// A report, a part of one (a bill) or a summary, as compact JSON: fields
/// in declaration order, camelCase, `null` for `None`.
///
/// Writing our types cannot fail (their serde derives never return an
/// error and no map has a non-string key); were it ever to, the text is
/// empty, which every host refuses as JSON rather than taking a verdict
/// from it.
pub fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    report_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    /// Compiles only while `Verifier` is shareable between threads.
    #[test]
    fn verifier_is_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<super::Verifier>();
    }
}
