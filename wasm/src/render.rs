//! The render module's entry (feature `render`, a second module beside the
//! verifying one: `docs/render.md`): verifies one input with the options
//! JSON of the C-style ABI and draws its pages as SVG, each object marked
//! with whether a VALID signature covers it.
//!
//! The answer is `{"render":{"pages":[{"svg","widthMm","heightMm",
//! "signed"}],"report":{…}}}`, or the ABI's error envelope: bad options
//! as for `piaoyan_verify`, a drawing that stopped with the code of its
//! [`RenderError`] (`RENDER_TOO_MANY_OBJECTS`, …).

use alloc::string::String;
use alloc::vec::Vec;

use piaoyan_core::render::{RenderError, RenderOptions, Signed, render};
use piaoyan_core::{Report, Verifier, VerifyOptions};

use crate::abi::{error_envelope, options_error_envelope};
use crate::jsapi::CallError;

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PageJson<'a> {
    svg: &'a str,
    width_mm: f64,
    height_mm: f64,
    signed: Signed,
}

#[derive(serde::Serialize)]
struct Drawing<'a> {
    pages: Vec<PageJson<'a>>,
    report: &'a Report,
}

/// The error envelope of a drawing that stopped.
pub fn render_error(e: &RenderError) -> CallError {
    let m = e.message();
    let mut message = m.en;
    message.push_str(" / ");
    message.push_str(&m.zh);
    CallError::new(e.code(), message)
}

/// Verifies and draws `input` with the options JSON (empty: defaults):
/// the drawing's JSON (`{"pages":[…],"report":{…}}`).
pub fn render_json(input: &[u8], options_json: &[u8]) -> Result<String, CallError> {
    let options = VerifyOptions::from_json(options_json)?;
    let verifier = Verifier::new(&options)?;
    let drawn =
        render(input, &verifier, &RenderOptions::default()).map_err(|e| render_error(&e))?;
    Ok(piaoyan_core::to_json(&Drawing {
        pages: drawn
            .pages
            .iter()
            .map(|p| PageJson {
                svg: &p.svg,
                width_mm: p.width_mm,
                height_mm: p.height_mm,
                signed: p.signed,
            })
            .collect(),
        report: &drawn.report,
    }))
}

/// `piaoyan_render`'s envelope: `{"render":<drawing>}` or an error.
pub fn render_envelope(input: &[u8], options_json: &[u8]) -> String {
    match render_json(input, options_json) {
        Ok(drawing) => {
            let mut out = String::with_capacity(drawing.len() + 12);
            out.push_str("{\"render\":");
            out.push_str(&drawing);
            out.push('}');
            out
        }
        Err(e) => match (e.field.as_deref(), e.index) {
            (None, None) => error_envelope(e.code, &e.message),
            _ => options_error_envelope(&piaoyan_core::OptionsError {
                code: e.code,
                message: e.message,
                field: e.field,
                index: e.index,
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bill_draws_and_garbage_is_an_error() {
        let bill = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../samples/bills/01-hospital-valid.xml"
        ))
        .unwrap();
        let out: serde_json::Value = serde_json::from_str(&render_envelope(&bill, b"")).unwrap();
        let page = &out["render"]["pages"][0];
        assert!(page["svg"].as_str().unwrap().starts_with("<svg"));
        assert_eq!(page["widthMm"], 210.0);
        // No trust anchors: not VALID, so not covered.
        assert_eq!(page["signed"], "uncovered");
        assert_eq!(out["render"]["report"]["verdict"], "INDETERMINATE");
        let out: serde_json::Value =
            serde_json::from_str(&render_envelope(b"PK\x03\x04junk", b"")).unwrap();
        assert_eq!(out["error"]["code"], "RENDER_UNREADABLE");
        let out: serde_json::Value =
            serde_json::from_str(&render_envelope(&bill, b"{\"bogus\":1}")).unwrap();
        assert!(
            out["error"]["code"]
                .as_str()
                .unwrap()
                .starts_with("OPTIONS")
        );
    }
}
