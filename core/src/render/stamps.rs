//! Seal stamps: each signature's `StampAnnot` (page, boundary) with the
//! seal's picture (PNG, JPEG, GIF, BMP, or an OFD document drawn as its
//! first page), marked by the signature's own verdict.

#[allow(unused_imports)]
use crate::prelude::*;

use super::error::RenderError;
use super::marks::Signed;
use super::objects::Drawer;
use super::resources::picture_format;
use super::svg::{Rect, esc, num};
use crate::ofd::package::{self, Package, SignatureType, child, child_text, children};
use crate::ofd::ses;
use crate::options::Limits;
use crate::report::{Report, Verdict};

/// One stamp to draw.
#[derive(Clone, Debug)]
pub(crate) struct Stamp {
    pub page_id: String,
    pub boundary: Rect,
    pub signature: String,
    pub verdict: Verdict,
    /// The picture and its declared type.
    pub picture: Option<(Vec<u8>, String)>,
}

/// The stamps of every signature of the list at `list_path`, in list
/// order; each signature's verdict is the report's (same list order).
pub(crate) fn read(
    pkg: &Package<'_>,
    limits: &Limits,
    list_path: Option<&str>,
    report: &Report,
) -> Vec<Stamp> {
    let mut out = Vec::new();
    let Some(list_path) = list_path else {
        return out;
    };
    let Ok(list) = pkg.read(list_path) else {
        return out;
    };
    let Ok(entries) = package::signature_entries(&list, list_path, limits) else {
        return out;
    };
    let verdicts: Vec<Verdict> = report
        .document
        .as_ref()
        .map(|d| d.signatures.iter().map(|s| s.verdict).collect())
        .unwrap_or_default();
    for (i, entry) in entries.iter().enumerate() {
        let Some(path) = &entry.path else { continue };
        let Ok(xml) = pkg.read(path) else { continue };
        let Ok(doc) = package::parse_xml(&xml, path, limits) else {
            continue;
        };
        let root = doc.root_element();
        let Some(info) = child(root, "SignedInfo") else {
            continue;
        };
        let annots: Vec<(String, Rect)> = children(info, "StampAnnot")
            .filter_map(|a| {
                Some((
                    a.attribute("PageRef")?.trim().to_string(),
                    a.attribute("Boundary").and_then(Rect::parse)?,
                ))
            })
            .collect();
        if annots.is_empty() {
            continue;
        }
        let value = child_text(root, "SignedValue")
            .and_then(|t| package::resolve(path, &t))
            .and_then(|p| pkg.read(&p).ok());
        let picture = match (&entry.kind, value) {
            (SignatureType::Seal, Some(v)) => ses::parse_signature(&v).ok().and_then(|s| {
                Some((
                    s.seal.picture?.to_vec(),
                    s.seal.picture_type.clone().unwrap_or_default(),
                ))
            }),
            _ => None,
        }
        .or_else(|| {
            // A digital signature names its seal file (`Seal/BaseLoc`).
            let loc = child(info, "Seal").and_then(|s| child_text(s, "BaseLoc"))?;
            let bytes = pkg.read(&package::resolve(path, &loc)?).ok()?;
            let seal = ses::parse_seal_der(&bytes).ok()?;
            Some((
                seal.picture?.to_vec(),
                seal.picture_type.unwrap_or_default(),
            ))
        });
        let verdict = verdicts.get(i).copied().unwrap_or(Verdict::Indeterminate);
        for (page_id, boundary) in annots {
            out.push(Stamp {
                page_id,
                boundary,
                signature: entry.id.clone(),
                verdict,
                picture: picture.clone(),
            });
        }
    }
    out
}

/// Draws a stamp in its boundary.
pub(crate) fn draw(d: &mut Drawer<'_, '_>, s: &Stamp) -> Result<(), RenderError> {
    d.budget.object()?;
    let state = if s.verdict == Verdict::Valid {
        Signed::Valid
    } else {
        Signed::Uncovered
    };
    let b = s.boundary;
    d.push(&format!(
        "<g data-stamp=\"{}\" data-signed=\"{}\" data-verdict=\"{}\" transform=\"translate({} {})\">",
        esc(&s.signature),
        state.as_str(),
        s.verdict.as_str().to_ascii_lowercase(),
        num(b.x),
        num(b.y)
    ))?;
    let at = Rect {
        x: 0.0,
        y: 0.0,
        w: b.w,
        h: b.h,
    };
    let saved = d.forced;
    d.forced = Some(state);
    let drawn = match &s.picture {
        Some((bytes, declared)) => d.picture(bytes, picture_format(bytes, declared), at),
        None => d.push(&format!(
            "<rect width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#c00\" stroke-dasharray=\"1 1\" stroke-width=\"0.3\"/><text x=\"{cx}\" y=\"{cy}\" font-size=\"{fs}\" text-anchor=\"middle\" fill=\"#c00\" font-family=\"SimHei,'Noto Sans CJK SC',sans-serif\">签章</text>",
            w = num(b.w),
            h = num(b.h),
            cx = num(b.w / 2.0),
            cy = num(b.h / 2.0),
            fs = num(b.w.min(b.h) / 5.0),
        )),
    };
    d.forced = saved;
    drawn?;
    if state != Signed::Valid
        && let Some(o) = d.origin
    {
        d.marked.push((
            Rect {
                x: b.x + o.0,
                y: b.y + o.1,
                ..b
            },
            state,
        ));
    }
    d.push("</g>")
}
