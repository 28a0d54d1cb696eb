//! Colours and drawing parameters (`DrawParam`, GB/T 33190 §8.2), with
//! their inheritance: an object's own attributes, then its `DrawParam`,
//! then the layer's, each `DrawParam` then its `Relative` chain, then the
//! defaults of the standard.

#[allow(unused_imports)]
use crate::prelude::*;

use super::svg::{num, numbers};
use crate::xml::Node;

/// An RGB colour with its alpha (0–255).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Color {
    pub rgb: [u8; 3],
    pub alpha: u8,
}

impl Color {
    pub const BLACK: Color = Color {
        rgb: [0, 0, 0],
        alpha: 255,
    };

    /// An OFD colour element (`FillColor`, `StrokeColor`): `Value` as
    /// gray, RGB or CMYK by its count (decimal or `#hex` components),
    /// `Alpha`. A colour given by `Index` into a palette, a shading or a
    /// pattern is drawn with its first palette entry when there is one,
    /// else black.
    pub fn from_node(node: Node<'_, '_>) -> Option<Color> {
        let alpha = node
            .attribute("Alpha")
            .and_then(|a| a.trim().parse::<u32>().ok())
            .map_or(255, |a| a.min(255) as u8);
        let value = node.attribute("Value").or_else(|| {
            node.descendants()
                .find(|n| n.is_element() && n.tag_name().name() == "CV")
                .and_then(|n| n.text())
        });
        let comps: Vec<f64> = value
            .unwrap_or("")
            .split_ascii_whitespace()
            .filter_map(|t| match t.strip_prefix('#') {
                Some(h) => u8::from_str_radix(h, 16).ok().map(f64::from),
                None => t.parse::<f64>().ok(),
            })
            .collect();
        let c = |v: f64| v.clamp(0.0, 255.0) as u8;
        let rgb = match comps.as_slice() {
            [g] => [c(*g); 3],
            [r, g, b] => [c(*r), c(*g), c(*b)],
            [cy, m, y, k] => {
                // CMYK in 0–255 (BitsPerComponent 8).
                let f = |v: f64| c(255.0 - (v + k).min(255.0));
                [f(*cy), f(*m), f(*y)]
            }
            _ => [0, 0, 0],
        };
        Some(Color { rgb, alpha })
    }

    pub fn svg(&self) -> String {
        let [r, g, b] = self.rgb;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// ` fill-opacity="…"` or nothing.
    pub fn opacity(&self, attr: &str) -> String {
        if self.alpha == 255 {
            String::new()
        } else {
            format!(" {attr}=\"{}\"", num(f64::from(self.alpha) / 255.0))
        }
    }
}

/// Drawing parameters; `None` is "not set here" (inherited).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    pub line_width: Option<f64>,
    pub join: Option<String>,
    pub cap: Option<String>,
    pub dash_offset: Option<f64>,
    pub dash: Option<Vec<f64>>,
    pub miter: Option<f64>,
    pub fill: Option<Color>,
    pub stroke: Option<Color>,
}

impl Params {
    /// What an element sets itself (a `DrawParam` resource or a graphic
    /// object: the attributes and colour children are named alike).
    pub fn from_node(node: Node<'_, '_>) -> Params {
        let f = |name: &str| {
            node.attribute(name)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite())
        };
        let color = |name: &str| {
            node.children()
                .find(|c| c.is_element() && c.tag_name().name() == name)
                .and_then(Color::from_node)
        };
        Params {
            line_width: f("LineWidth").filter(|w| *w >= 0.0),
            join: node.attribute("Join").map(str::to_string),
            cap: node.attribute("Cap").map(str::to_string),
            dash_offset: f("DashOffset"),
            dash: node
                .attribute("DashPattern")
                .map(numbers)
                .filter(|d| !d.is_empty() && d.iter().all(|v| *v >= 0.0)),
            miter: f("MiterLimit"),
            fill: color("FillColor"),
            stroke: color("StrokeColor"),
        }
    }

    /// `self` where set, else `base`.
    pub fn over(self, base: &Params) -> Params {
        Params {
            line_width: self.line_width.or(base.line_width),
            join: self.join.or_else(|| base.join.clone()),
            cap: self.cap.or_else(|| base.cap.clone()),
            dash_offset: self.dash_offset.or(base.dash_offset),
            dash: self.dash.or_else(|| base.dash.clone()),
            miter: self.miter.or(base.miter),
            fill: self.fill.or(base.fill),
            stroke: self.stroke.or(base.stroke),
        }
    }

    /// SVG stroke attributes (width default 0.353 mm).
    pub fn stroke_attrs(&self, color: Color) -> String {
        let mut s = format!(
            " stroke=\"{}\"{} stroke-width=\"{}\"",
            color.svg(),
            color.opacity("stroke-opacity"),
            num(self.line_width.unwrap_or(0.353))
        );
        match self.join.as_deref() {
            Some("Round") => s.push_str(" stroke-linejoin=\"round\""),
            Some("Bevel") => s.push_str(" stroke-linejoin=\"bevel\""),
            _ => {}
        }
        match self.cap.as_deref() {
            Some("Round") => s.push_str(" stroke-linecap=\"round\""),
            Some("Square") => s.push_str(" stroke-linecap=\"square\""),
            _ => {}
        }
        if let Some(m) = self.miter.filter(|m| *m >= 1.0) {
            s.push_str(&format!(" stroke-miterlimit=\"{}\"", num(m)));
        }
        if let Some(d) = &self.dash
            && d.iter().any(|v| *v > 0.0)
        {
            let list: Vec<String> = d.iter().map(|v| num(*v)).collect();
            s.push_str(&format!(
                " stroke-dasharray=\"{}\"",
                crate::text::join(list.iter().map(String::as_str), " ")
            ));
            if let Some(o) = self.dash_offset {
                s.push_str(&format!(" stroke-dashoffset=\"{}\"", num(o)));
            }
        }
        s
    }
}
