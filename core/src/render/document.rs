//! The page model of an OFD document read from its part tree
//! (`Document.xml` → page area, templates, resources, pages,
//! annotations), and the drawing of one page: templates behind and in
//! front, the page's layers, its annotations, the seal stamps, then the
//! marks of what no VALID signature covers.

#[allow(unused_imports)]
use crate::prelude::*;

use super::error::RenderError;
use super::limits::Budget;
use super::marks::{Marks, Signed};
use super::objects::{Drawer, Scope};
use super::params::Params;
use super::resources::{Resources, locate};
use super::stamps::Stamp;
use super::svg::{Rect, Svg, esc, num};
use crate::ofd::package::{self, Package, child, children};
use crate::options::Limits;
use crate::xml::Node;

/// A page or template page: its ID and content part.
#[derive(Clone, Debug)]
pub(crate) struct PageRef {
    pub id: String,
    pub part: Option<String>,
    /// A template's default `ZOrder`.
    pub z_order: Option<String>,
}

/// What `Document.xml` says about drawing.
pub(crate) struct Model {
    pub doc_root: String,
    pub area: Option<Rect>,
    pub templates: Vec<PageRef>,
    pub pages: Vec<PageRef>,
    pub res: Resources,
    /// Annotation files by page ID.
    pub annotations: Vec<(String, String)>,
}

fn physical_box(node: Node<'_, '_>) -> Option<Rect> {
    let area = child(node, "PageArea").or_else(|| child(node, "Area"))?;
    let b = child(area, "PhysicalBox").or_else(|| child(area, "ApplicationBox"))?;
    Rect::parse(b.text()?).filter(|r| r.w > 0.0 && r.h > 0.0)
}

/// Reads the model of the document at `doc_root`.
pub(crate) fn model(
    pkg: &Package<'_>,
    limits: &Limits,
    doc_root: &str,
    max_pages: usize,
) -> Result<Model, RenderError> {
    let unreadable = |e: package::PackageError| RenderError::Unreadable {
        check: e.check.to_string(),
        reason: crate::report::Message::new(e.zh, e.en),
    };
    let bytes = pkg.read(doc_root).map_err(unreadable)?;
    let doc = package::parse_xml(&bytes, doc_root, limits).map_err(unreadable)?;
    let root = doc.root_element();
    let mut m = Model {
        doc_root: doc_root.to_string(),
        area: None,
        templates: Vec::new(),
        pages: Vec::new(),
        res: Resources::default(),
        annotations: Vec::new(),
    };
    let find = |loc: &str| locate(pkg, doc_root, doc_root, loc);
    for common in children(root, "CommonData") {
        m.area = m.area.or_else(|| physical_box(common));
        for name in ["PublicRes", "DocumentRes"] {
            for r in children(common, name) {
                m.res
                    .load(pkg, limits, doc_root, doc_root, r.text().unwrap_or(""));
            }
        }
        for t in children(common, "TemplatePage") {
            m.templates.push(PageRef {
                id: t.attribute("ID").unwrap_or("").trim().to_string(),
                part: t.attribute("BaseLoc").and_then(find),
                z_order: t.attribute("ZOrder").map(str::to_string),
            });
        }
    }
    for pages in children(root, "Pages") {
        for p in children(pages, "Page") {
            if m.pages.len() >= max_pages {
                return Err(RenderError::TooManyPages { bound: max_pages });
            }
            m.pages.push(PageRef {
                id: p.attribute("ID").unwrap_or("").trim().to_string(),
                part: p.attribute("BaseLoc").and_then(find),
                z_order: None,
            });
        }
    }
    if let Some(list) = package::child_text(root, "Annotations").and_then(|l| find(&l))
        && let Ok(bytes) = pkg.read(&list)
        && let Ok(d) = package::parse_xml(&bytes, &list, limits)
    {
        for p in children(d.root_element(), "Page") {
            let id = p.attribute("PageID").unwrap_or("").trim().to_string();
            for f in children(p, "FileLoc") {
                if let Some(part) = locate(pkg, &list, doc_root, f.text().unwrap_or("")) {
                    m.annotations.push((id.clone(), part));
                }
            }
        }
    }
    Ok(m)
}

/// One drawn page.
pub(crate) struct Drawn {
    pub svg: String,
    pub area: Rect,
    pub signed: Signed,
}

/// What drawing a page needs besides the model.
pub(crate) struct PageCtx<'d, 'a> {
    pub pkg: &'d Package<'a>,
    pub limits: &'d Limits,
    pub marks: &'d Marks,
    pub model: &'d Model,
    pub stamps: &'d [Stamp],
    pub shade: bool,
    pub forced: Option<Signed>,
    pub depth: usize,
    /// A white page behind (not for seal pictures).
    pub background: bool,
}

/// A content part's `PageRes` files, added to `res`; their names.
fn page_res(
    ctx: &PageCtx<'_, '_>,
    part: &str,
    root: Node<'_, '_>,
    res: &mut Resources,
) -> Vec<String> {
    let mut parts = Vec::new();
    for r in children(root, "PageRes") {
        let loc = r.text().unwrap_or("");
        if let Some(p) = locate(ctx.pkg, part, &ctx.model.doc_root, loc) {
            parts.push(p);
        }
        res.load(ctx.pkg, ctx.limits, part, &ctx.model.doc_root, loc);
    }
    parts
}

/// Draws page `index` into `svg` (the caller writes the `<svg>` around
/// it); its area and state.
pub(crate) fn draw_page_into(
    ctx: &PageCtx<'_, '_>,
    index: usize,
    svg: &mut Svg,
    budget: &mut Budget,
) -> Result<(Rect, Signed), RenderError> {
    let page = &ctx.model.pages[index];
    let state_of = |p: &str| ctx.forced.unwrap_or_else(|| ctx.marks.part(p));
    let mut state = state_of(&ctx.model.doc_root);
    let mut res = ctx.model.res.clone();
    // The page and the templates it uses: (part, bytes).
    let page_bytes = page.part.as_ref().and_then(|p| ctx.pkg.read(p).ok());
    let page_doc = match (&page.part, &page_bytes) {
        (Some(p), Some(b)) => package::parse_xml(b, p, ctx.limits).ok(),
        _ => None,
    };
    let mut area = ctx.model.area;
    let mut uses: Vec<(String, String)> = Vec::new();
    match (&page.part, &page_doc) {
        (Some(p), Some(doc)) => {
            state = state.worst(state_of(p));
            let root = doc.root_element();
            area = physical_box(root).or(area);
            for rp in page_res(ctx, p, root, &mut res) {
                state = state.worst(state_of(&rp));
            }
            for t in children(root, "Template") {
                let id = t.attribute("TemplateID").unwrap_or("").trim().to_string();
                let z = t.attribute("ZOrder").map(str::to_string);
                uses.push((id, z.unwrap_or_default()));
            }
        }
        // A page whose content cannot be read is drawn empty, and is
        // not shown as signed.
        (Some(p), None) => state = state.worst(state_of(p)).worst(Signed::Uncovered),
        (None, _) => state = Signed::Uncovered.worst(state),
    }
    // The templates: (part, bytes, z-order).
    let mut templates: Vec<(String, Vec<u8>, bool)> = Vec::new();
    for (id, z) in &uses {
        let Some(t) = ctx.model.templates.iter().find(|t| t.id == *id) else {
            continue;
        };
        let Some(part) = &t.part else { continue };
        let Ok(bytes) = ctx.pkg.read(part) else {
            continue;
        };
        let z = if z.is_empty() {
            t.z_order.clone().unwrap_or_default()
        } else {
            z.clone()
        };
        state = state.worst(state_of(part));
        templates.push((part.clone(), bytes, z == "Foreground"));
    }
    let area = area.unwrap_or(Rect {
        x: 0.0,
        y: 0.0,
        w: 210.0,
        h: 297.0,
    });

    let mut d = Drawer {
        pkg: ctx.pkg,
        limits: ctx.limits,
        marks: ctx.marks,
        res: &res,
        budget,
        svg,
        fonts: Vec::new(),
        marked: Vec::new(),
        depth: ctx.depth,
        origin: Some((0.0, 0.0)),
        forced: ctx.forced,
    };
    if ctx.background {
        d.push(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff\"/>",
            num(area.x),
            num(area.y),
            num(area.w),
            num(area.h)
        ))?;
    }
    let template_layer = |d: &mut Drawer<'_, '_>, foreground: bool| -> Result<(), RenderError> {
        for (part, bytes, fg) in &templates {
            if *fg != foreground {
                continue;
            }
            let Ok(doc) = package::parse_xml(bytes, part, ctx.limits) else {
                continue;
            };
            let scope = Scope {
                part: part.clone(),
                state: d.state(part),
                params: Params::default(),
                param_parts: Vec::new(),
            };
            d.push(&format!("<g data-template=\"{}\">", esc(part)))?;
            for c in children(doc.root_element(), "Content") {
                d.content(c, &scope)?;
            }
            d.push("</g>")?;
        }
        Ok(())
    };
    template_layer(&mut d, false)?;
    if let (Some(p), Some(doc)) = (&page.part, &page_doc) {
        let scope = Scope {
            part: p.clone(),
            state: d.state(p),
            params: Params::default(),
            param_parts: Vec::new(),
        };
        for c in children(doc.root_element(), "Content") {
            d.content(c, &scope)?;
        }
    }
    template_layer(&mut d, true)?;
    annotations(&mut d, ctx, &page.id)?;
    for s in ctx.stamps.iter().filter(|s| s.page_id == page.id) {
        super::stamps::draw(&mut d, s)?;
    }
    if ctx.shade {
        let marked = core::mem::take(&mut d.marked);
        for (r, s) in marked {
            let color = if s == Signed::Changed {
                "#e00000"
            } else {
                "#ffb300"
            };
            d.push(&format!(
                "<rect class=\"piaoyan-shade\" data-signed=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{color}\" fill-opacity=\"0.18\"/>",
                s.as_str(),
                num(r.x),
                num(r.y),
                num(r.w),
                num(r.h)
            ))?;
        }
    }
    if state == Signed::Changed && ctx.forced.is_none() {
        let s = (area.w.min(area.h) / 40.0).max(0.5);
        d.push(&format!(
            "<g data-mark=\"changed\"><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#e00000\" stroke-width=\"{sw}\"/><rect x=\"{x}\" y=\"{y}\" width=\"{bw}\" height=\"{bh}\" fill=\"#e00000\"/><text x=\"{tx}\" y=\"{ty}\" font-size=\"{fs}\" fill=\"#fff\" font-family=\"SimHei,'Noto Sans CJK SC',sans-serif\">签名后被改动</text></g>",
            x = num(area.x),
            y = num(area.y),
            w = num(area.w),
            h = num(area.h),
            sw = num(s),
            bw = num(s * 16.0),
            bh = num(s * 3.0),
            tx = num(area.x + s * 1.2),
            ty = num(area.y + s * 2.2),
            fs = num(s * 2.0),
        ))?;
    }
    Ok((area, state))
}

/// Draws one page as a whole SVG document.
pub(crate) fn draw_page(
    ctx: &PageCtx<'_, '_>,
    index: usize,
    budget: &mut Budget,
) -> Result<Drawn, RenderError> {
    let mut svg = Svg::new();
    let (area, signed) = draw_page_into(ctx, index, &mut svg, budget)?;
    let open = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"{} {} {} {}\" width=\"{}mm\" height=\"{}mm\" data-page=\"{}\" data-signed=\"{}\">",
        num(area.x),
        num(area.y),
        num(area.w),
        num(area.h),
        num(area.w),
        num(area.h),
        index + 1,
        signed.as_str()
    );
    Ok(Drawn {
        svg: svg.finish(&open),
        area,
        signed,
    })
}

/// The annotations of a page (`Annot` with its `Appearance`), marked by
/// their annotation file.
fn annotations(
    d: &mut Drawer<'_, '_>,
    ctx: &PageCtx<'_, '_>,
    page_id: &str,
) -> Result<(), RenderError> {
    for (_, part) in ctx.model.annotations.iter().filter(|(id, _)| id == page_id) {
        let Ok(bytes) = ctx.pkg.read(part) else {
            continue;
        };
        let Ok(doc) = package::parse_xml(&bytes, part, ctx.limits) else {
            continue;
        };
        for annot in children(doc.root_element(), "Annot") {
            if annot.attribute("Visible") == Some("false") {
                continue;
            }
            let scope = Scope {
                part: part.clone(),
                state: d.state(part),
                params: Params::default(),
                param_parts: Vec::new(),
            };
            for app in children(annot, "Appearance") {
                let Some(b) = app.attribute("Boundary").and_then(Rect::parse) else {
                    continue;
                };
                d.budget.object()?;
                d.push(&format!(
                    "<g data-annot=\"{}\" data-part=\"{}\" data-signed=\"{}\" transform=\"translate({} {})\">",
                    esc(annot.attribute("Type").unwrap_or("")),
                    esc(part),
                    scope.state.as_str(),
                    num(b.x),
                    num(b.y)
                ))?;
                let saved = d.origin;
                d.origin = saved.map(|o| (o.0 + b.x, o.1 + b.y));
                let drawn = d.objects(app, &scope);
                d.origin = saved;
                drawn?;
                d.push("</g>")?;
            }
        }
    }
    Ok(())
}

/// A seal picture that is itself an OFD document: its first page, drawn
/// in the box `at` of the current drawing, every object in the state of
/// the seal it belongs to. Not a verified document: no stamps of its own.
pub(crate) fn draw_picture_ofd(
    d: &mut Drawer<'_, '_>,
    bytes: &[u8],
    at: Rect,
) -> Result<(), RenderError> {
    d.budget.depth(d.depth + 1)?;
    let limits = d.limits;
    let archive = match crate::ofd::zip::Archive::parse(bytes, limits) {
        Ok(a) => a,
        Err(_) => return d.missing_at("OFD", at),
    };
    let Ok(pkg) = Package::new(&archive) else {
        return d.missing_at("OFD", at);
    };
    let Ok(structure) = package::structure(&pkg, limits) else {
        return d.missing_at("OFD", at);
    };
    let model = model(&pkg, limits, &structure.doc_root, d.budget.limits.max_pages)?;
    if model.pages.is_empty() {
        return d.missing_at("OFD", at);
    }
    let forced = d.forced.unwrap_or(Signed::Uncovered);
    let marks = Marks::uniform(forced);
    let ctx = PageCtx {
        pkg: &pkg,
        limits,
        marks: &marks,
        model: &model,
        stamps: &[],
        shade: false,
        forced: Some(forced),
        depth: d.depth + 1,
        background: false,
    };
    let mut inner = Svg::new();
    let (area, _) = draw_page_into(&ctx, 0, &mut inner, d.budget)?;
    // Ids of the inner drawing must not meet the outer ones.
    let prefix = d.svg.id("p");
    let body = inner.body.replace("url(#", &format!("url(#{prefix}"));
    let defs = inner.defs.replace("id=\"", &format!("id=\"{prefix}"));
    let style = inner
        .style
        .replace("font-family:'", &format!("font-family:'{prefix}"));
    let body = body.replace(
        "font-family=\"'ofd-font-",
        &format!("font-family=\"'{prefix}ofd-font-"),
    );
    d.svg.css(d.budget, &style)?;
    d.svg.def(d.budget, &defs)?;
    d.push(&format!(
        "<svg x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\" preserveAspectRatio=\"none\" overflow=\"hidden\" data-picture=\"ofd\">",
        num(at.x),
        num(at.y),
        num(at.w),
        num(at.h),
        num(area.x),
        num(area.y),
        num(area.w),
        num(area.h)
    ))?;
    d.push(&body)?;
    d.push("</svg>")
}
