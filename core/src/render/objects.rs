//! Graphic objects (GB/T 33190 §8–§10): the layers of a page, and each
//! `PathObject`, `TextObject`, `ImageObject`, `CompositeObject` and
//! `PageBlock` in them, with boundary, `CTM`, clips, drawing parameters
//! and the mark of the parts it shows.

#[allow(unused_imports)]
use crate::prelude::*;

use super::error::RenderError;
use super::image::{self, Format};
use super::limits::Budget;
use super::marks::{Marks, Signed};
use super::params::{Color, Params};
use super::path::svg_path;
use super::resources::{self, Kind, Resources};
use super::svg::{Matrix, Rect, Svg, esc, num};
use super::text;
use crate::ofd::package::{Package, children};
use crate::options::Limits;
use crate::xml::Node;

/// Everything drawing one page needs.
pub(crate) struct Drawer<'d, 'a> {
    pub pkg: &'d Package<'a>,
    pub limits: &'d Limits,
    pub marks: &'d Marks,
    pub res: &'d Resources,
    pub budget: &'d mut Budget,
    pub svg: &'d mut Svg,
    /// Fonts already declared in this SVG (`@font-face`): (resource
    /// part and ID, face name).
    pub fonts: Vec<(String, String)>,
    /// Objects whose parts are not covered, for the shading: their
    /// boundary in page coordinates (when the drawing is not transformed)
    /// and state.
    pub marked: Vec<(Rect, Signed)>,
    /// Composite and picture nesting.
    pub depth: usize,
    /// The offset of the current coordinate system on the page, while it
    /// is a pure translation (`None` inside a `CTM`).
    pub origin: Option<(f64, f64)>,
    /// A seal picture drawn as a nested document: every object takes this
    /// state.
    pub forced: Option<Signed>,
}

/// Where an object is drawn from: its content part and inherited
/// parameters.
#[derive(Clone)]
pub(crate) struct Scope {
    pub part: String,
    pub state: Signed,
    pub params: Params,
    pub param_parts: Vec<String>,
}

impl Drawer<'_, '_> {
    pub fn push(&mut self, text: &str) -> Result<(), RenderError> {
        self.svg.push(self.budget, text)
    }

    /// The state of a part.
    pub fn state(&self, part: &str) -> Signed {
        self.forced.unwrap_or_else(|| self.marks.part(part))
    }

    /// The objects of a layer or block, in order.
    pub fn objects(&mut self, parent: Node<'_, '_>, scope: &Scope) -> Result<(), RenderError> {
        for node in parent.children().filter(|c| c.is_element()) {
            match node.tag_name().name() {
                "PathObject" | "TextObject" | "ImageObject" | "CompositeObject" => {
                    self.object(node, scope)?
                }
                "PageBlock" => self.objects(node, scope)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// A `Layer` (its `DrawParam` inherited by its objects).
    pub fn layer(&mut self, layer: Node<'_, '_>, scope: &Scope) -> Result<(), RenderError> {
        let mut scope = scope.clone();
        if let Some(id) = layer.attribute("DrawParam") {
            let (p, parts) = self.res.draw_param(id);
            scope.params = p.over(&scope.params);
            scope.param_parts.extend(parts);
        }
        let kind = layer.attribute("Type").unwrap_or("Body");
        self.push(&format!("<g data-layer=\"{}\">", esc(kind)))?;
        self.objects(layer, &scope)?;
        self.push("</g>")
    }

    /// The layers of a `Content`, background first, foreground last.
    pub fn content(&mut self, content: Node<'_, '_>, scope: &Scope) -> Result<(), RenderError> {
        for kind in ["Background", "Body", "Foreground"] {
            for layer in children(content, "Layer") {
                let t = layer.attribute("Type").unwrap_or("Body");
                let t = if t == "Background" || t == "Foreground" {
                    t
                } else {
                    "Body"
                };
                if t == kind {
                    self.layer(layer, scope)?;
                }
            }
        }
        Ok(())
    }

    fn object(&mut self, node: Node<'_, '_>, scope: &Scope) -> Result<(), RenderError> {
        self.budget.object()?;
        if node.attribute("Visible") == Some("false") {
            return Ok(());
        }
        let Some(b) = node.attribute("Boundary").and_then(Rect::parse) else {
            return Ok(());
        };
        // Parameters: the object's own, over its DrawParam, over the
        // layer's.
        let mut params = scope.params.clone();
        let mut parts: Vec<String> = scope.param_parts.clone();
        if let Some(id) = node.attribute("DrawParam") {
            let (p, more) = self.res.draw_param(id);
            params = p.over(&params);
            parts.extend(more);
        }
        let params = Params::from_node(node).over(&params);
        let ctm = node.attribute("CTM").and_then(Matrix::parse);
        let kind = node.tag_name().name();

        // The parts this object shows: its content part, its drawing
        // parameters, its resource and the resource's file.
        let resource = node
            .attribute("ResourceID")
            .or(if kind == "TextObject" {
                node.attribute("Font")
            } else {
                None
            })
            .and_then(|id| self.res.get(id))
            .cloned();
        let mut state = scope.state;
        for p in parts.iter().chain(resource.iter().map(|r| &r.part)) {
            state = state.worst(self.state(p));
        }
        if let Some(f) = resource.as_ref().and_then(|r| r.file.as_ref()) {
            state = state.worst(self.state(f));
        }
        if let Some(o) = self.origin {
            let page_box = Rect {
                x: b.x + o.0,
                y: b.y + o.1,
                ..b
            };
            if state != Signed::Valid {
                self.marked.push((page_box, state));
            }
        }

        let id = node.attribute("ID").unwrap_or("");
        self.push(&format!(
            "<g data-id=\"{}\" data-part=\"{}\" data-signed=\"{}\" transform=\"translate({} {})\"",
            esc(id),
            esc(&scope.part),
            state.as_str(),
            num(b.x),
            num(b.y)
        ))?;
        if let Some(a) = node
            .attribute("Alpha")
            .and_then(|a| a.trim().parse::<u32>().ok())
        {
            self.push(&format!(
                " opacity=\"{}\"",
                num(f64::from(a.min(255)) / 255.0)
            ))?;
        }
        self.push(">")?;
        let clips = self.clips(node)?;
        for c in &clips {
            self.push(&format!("<g clip-path=\"url(#{c})\">"))?;
        }
        if let Some(m) = ctm {
            self.push(&format!("<g transform=\"{}\">", m.svg()))?;
        }
        let saved = self.origin;
        if ctm.is_some() {
            self.origin = None;
        } else if let Some(o) = self.origin {
            self.origin = Some((o.0 + b.x, o.1 + b.y));
        }
        let drawn = match kind {
            "PathObject" => self.path(node, &params),
            "TextObject" => text::draw(self, node, &params, resource.as_ref()),
            "ImageObject" => self.image(resource.as_ref()),
            _ => self.composite(node, resource.as_ref(), scope, &params, state),
        };
        self.origin = saved;
        drawn?;
        if ctm.is_some() {
            self.push("</g>")?;
        }
        for _ in &clips {
            self.push("</g>")?;
        }
        self.push("</g>")
    }

    /// The `Clips` of an object as clip paths (each `Clip` intersects,
    /// the `Area`s of one `Clip` unite); their ids.
    fn clips(&mut self, node: Node<'_, '_>) -> Result<Vec<String>, RenderError> {
        let mut ids = Vec::new();
        for clips in children(node, "Clips") {
            for clip in children(clips, "Clip") {
                let mut shapes = String::new();
                for area in children(clip, "Area") {
                    let ctm = area.attribute("CTM").and_then(Matrix::parse);
                    for p in children(area, "Path") {
                        let Some(d) = children(p, "AbbreviatedData").next().and_then(|a| a.text())
                        else {
                            continue;
                        };
                        let d = svg_path(d, self.budget)?;
                        let offset = p.attribute("Boundary").and_then(Rect::parse);
                        let mut t = String::new();
                        if let Some(m) = ctm {
                            t.push_str(&m.svg());
                        }
                        if let Some(o) = offset {
                            t.push_str(&format!(" translate({} {})", num(o.x), num(o.y)));
                        }
                        shapes.push_str(&format!("<path transform=\"{}\" d=\"{}\"/>", t.trim(), d));
                    }
                }
                if shapes.is_empty() {
                    continue;
                }
                let id = self.svg.id("c");
                let def = format!("<clipPath id=\"{id}\">{shapes}</clipPath>");
                self.svg.def(self.budget, &def)?;
                ids.push(id);
            }
        }
        Ok(ids)
    }

    fn path(&mut self, node: Node<'_, '_>, params: &Params) -> Result<(), RenderError> {
        let Some(data) = children(node, "AbbreviatedData")
            .next()
            .and_then(|a| a.text())
        else {
            return Ok(());
        };
        let d = svg_path(data, self.budget)?;
        if d.is_empty() {
            return Ok(());
        }
        let stroke = node.attribute("Stroke") != Some("false");
        let fill = node.attribute("Fill") == Some("true");
        let mut attrs = String::new();
        if fill {
            let c = params.fill.unwrap_or(Color::BLACK);
            attrs.push_str(&format!(
                " fill=\"{}\"{}",
                c.svg(),
                c.opacity("fill-opacity")
            ));
            if node.attribute("Rule") == Some("Even-Odd") {
                attrs.push_str(" fill-rule=\"evenodd\"");
            }
        } else {
            attrs.push_str(" fill=\"none\"");
        }
        if stroke {
            attrs.push_str(&params.stroke_attrs(params.stroke.unwrap_or(Color::BLACK)));
        }
        self.push(&format!("<path d=\"{d}\"{attrs}/>"))
    }

    /// A picture in the unit square of the object's `CTM`.
    fn image(&mut self, resource: Option<&resources::Resource>) -> Result<(), RenderError> {
        let Some(res) = resource else {
            return self.missing("?");
        };
        let Kind::Image { declared } = &res.kind else {
            return self.missing("?");
        };
        let Some(bytes) = res.file.as_deref().and_then(|f| self.pkg.read(f).ok()) else {
            return self.missing(declared);
        };
        let format = resources::picture_format(&bytes, declared);
        self.picture(
            &bytes,
            format,
            Rect {
                x: 0.0,
                y: 0.0,
                w: 1.0,
                h: 1.0,
            },
        )
    }

    /// Picture bytes in a box: raster formats as `<image>`, an OFD
    /// document as its first page, others as a labelled box.
    pub fn picture(&mut self, bytes: &[u8], format: Format, at: Rect) -> Result<(), RenderError> {
        if let Some((w, h)) = image::dimensions(format, bytes) {
            self.budget.image(w, h)?;
        }
        if format == Format::Ofd {
            return super::document::draw_picture_ofd(self, bytes, at);
        }
        match image::data_uri(format, bytes, self.budget.limits.max_image_pixels) {
            Some(uri) => {
                self.budget.output(uri.len())?;
                self.push(&format!(
                    "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" href=\"{uri}\"/>",
                    num(at.x),
                    num(at.y),
                    num(at.w),
                    num(at.h)
                ))
            }
            None => self.missing_at(format.name(), at),
        }
    }

    fn missing(&mut self, what: &str) -> Result<(), RenderError> {
        self.missing_at(
            what,
            Rect {
                x: 0.0,
                y: 0.0,
                w: 1.0,
                h: 1.0,
            },
        )
    }

    /// A picture that cannot be drawn: a grey crossed box naming it.
    pub fn missing_at(&mut self, what: &str, at: Rect) -> Result<(), RenderError> {
        let (x, y, w, h) = (num(at.x), num(at.y), num(at.w), num(at.h));
        let x2 = num(at.x + at.w);
        let y2 = num(at.y + at.h);
        self.push(&format!(
            "<g data-picture=\"not-drawn\"><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"#eee\" stroke=\"#999\" stroke-width=\"{sw}\"/><path d=\"M{x} {y} L{x2} {y2} M{x2} {y} L{x} {y2}\" stroke=\"#bbb\" stroke-width=\"{sw}\"/><text x=\"{cx}\" y=\"{cy}\" font-size=\"{fs}\" text-anchor=\"middle\" fill=\"#666\" font-family=\"sans-serif\">{label}</text></g>",
            sw = num(at.w.min(at.h) / 50.0),
            cx = num(at.x + at.w / 2.0),
            cy = num(at.y + at.h / 2.0),
            fs = num(at.w.min(at.h) / 6.0),
            label = esc(what),
        ))
    }

    fn composite(
        &mut self,
        node: Node<'_, '_>,
        resource: Option<&resources::Resource>,
        scope: &Scope,
        params: &Params,
        state: Signed,
    ) -> Result<(), RenderError> {
        let Some(res) = resource.filter(|r| matches!(r.kind, Kind::Composite)) else {
            return Ok(());
        };
        self.budget.depth(self.depth + 1)?;
        let id = node.attribute("ResourceID").unwrap_or("");
        let part = res.part.clone();
        let (pkg, limits) = (self.pkg, self.limits);
        self.depth += 1;
        let inner = Scope {
            part: part.clone(),
            state,
            params: params.clone(),
            param_parts: scope.param_parts.clone(),
        };
        let drawn =
            resources::composite_children(pkg, limits, &part, id, |_size, content| match content {
                Some(c) => self.objects(c, &inner),
                None => Ok(()),
            });
        self.depth -= 1;
        drawn.unwrap_or(Ok(()))
    }
}
