//! Drawing what was signed: an OFD document's pages (GB/T 33190) or a
//! fiscal e-bill as its paper form, to SVG text, each drawn object marked
//! with whether a VALID signature covers the part it comes from
//! (`docs/render.md`).
//!
//! The verification runs first, on the same reading of the package; the
//! marks come from its report (`marks`), never from a second judgement.
//!
//! One job per module:
//! - [`limits`], [`error`]: the bounds of a drawing and why it stopped;
//! - `document`: the page model (`Document.xml`, templates, pages,
//!   annotations) and one page;
//! - `resources`: fonts, pictures, drawing parameters, composite units;
//! - `objects`: layers and graphic objects (boundary, `CTM`, clips);
//! - `params`, `path`, `text`, `image`: colours and `DrawParam`,
//!   `AbbreviatedData`, `TextObject`, picture formats;
//! - `stamps`: seal stamps with their pictures;
//! - [`marks`]: the signed state of each part, from the report;
//! - `bill_form`: the fiscal e-bill XML as its paper form;
//! - `svg`: writing SVG text.

#[allow(unused_imports)]
use crate::prelude::*;

mod bill_form;
mod document;
pub mod error;
mod image;
pub mod limits;
pub mod marks;
mod objects;
mod params;
mod path;
mod resources;
mod stamps;
mod svg;
mod text;

pub use error::RenderError;
pub use limits::RenderLimits;
pub use marks::Signed;

use crate::Verifier;
use crate::ofd::{self, package};
use crate::report::Report;
use limits::Budget;

/// How to draw.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    pub limits: RenderLimits,
    /// Shade the objects no VALID signature covers (amber) and the changed
    /// ones (red) with a translucent box over them.
    pub shade: bool,
    /// The payee's seal picture for a fiscal bill drawn from XML (the XML
    /// names its seal but carries no picture): PNG, JPEG, GIF or BMP.
    pub seal_picture: Option<Vec<u8>>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            limits: RenderLimits::default(),
            shade: true,
            seal_picture: None,
        }
    }
}

/// One drawn page.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// A whole SVG document, sized in millimetres.
    pub svg: String,
    pub width_mm: f64,
    pub height_mm: f64,
    /// The worst state of what the page shows.
    pub signed: Signed,
}

/// The pages of one input, with the verification they were marked by.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub pages: Vec<Page>,
    pub report: Report,
}

fn unreadable(report: &Report) -> RenderError {
    let check = report
        .checks
        .iter()
        .rev()
        .find(|c| c.result == crate::report::CheckResult::Fail)
        .map(|c| c.id.clone())
        .unwrap_or_default();
    RenderError::Unreadable {
        check,
        reason: report.reason.clone(),
    }
}

/// Verifies and draws an input: an OFD package (by content) or a fiscal
/// e-bill XML.
pub fn render(
    input: &[u8],
    verifier: &Verifier,
    options: &RenderOptions,
) -> Result<Rendered, RenderError> {
    if ofd::is_zip(input) {
        render_ofd(input, verifier, options)
    } else {
        render_bill(input, verifier, options)
    }
}

/// Verifies an OFD package and draws each page of its document.
pub fn render_ofd(
    input: &[u8],
    verifier: &Verifier,
    options: &RenderOptions,
) -> Result<Rendered, RenderError> {
    let limits = &verifier.limits;
    let archive = ofd::open(input, limits).map_err(|r| unreadable(&r))?;
    let mut report = ofd::verify_archive(&archive, &verifier.trust, limits, verifier.now);
    report.mark_demo_trust();
    let pkg = package::Package::new(&archive).map_err(|e| RenderError::Unreadable {
        check: e.check.to_string(),
        reason: crate::report::Message::new(e.zh, e.en),
    })?;
    let structure = package::structure(&pkg, limits).map_err(|_| unreadable(&report))?;
    let list = structure.signatures_path.as_deref();
    let marks = marks::Marks::from_report(&report, &pkg, list);
    let model = document::model(&pkg, limits, &structure.doc_root, options.limits.max_pages)?;
    if model.pages.is_empty() {
        return Err(RenderError::NoPages);
    }
    let stamps = stamps::read(&pkg, limits, list, &report);
    let ctx = document::PageCtx {
        pkg: &pkg,
        limits,
        marks: &marks,
        model: &model,
        stamps: &stamps,
        shade: options.shade,
        forced: None,
        depth: 0,
        background: true,
    };
    let mut budget = Budget::new(options.limits);
    let mut pages = Vec::with_capacity(model.pages.len());
    for i in 0..model.pages.len() {
        let drawn = document::draw_page(&ctx, i, &mut budget)?;
        pages.push(Page {
            svg: drawn.svg,
            width_mm: drawn.area.w,
            height_mm: drawn.area.h,
            signed: drawn.signed,
        });
    }
    Ok(Rendered { pages, report })
}

/// Verifies a fiscal e-bill XML and draws it as its paper form.
pub fn render_bill(
    input: &[u8],
    verifier: &Verifier,
    options: &RenderOptions,
) -> Result<Rendered, RenderError> {
    let report = verifier.verify(input);
    let bill = match &report.bill {
        Some(b) => b.clone(),
        None => verifier.parse(input).map_err(|e| RenderError::Unreadable {
            check: e.check.to_string(),
            reason: e.message.clone(),
        })?,
    };
    let mut budget = Budget::new(options.limits);
    let page = bill_form::draw(&bill, &report, options, &mut budget)?;
    Ok(Rendered {
        pages: vec![page],
        report,
    })
}
