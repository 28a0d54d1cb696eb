//! Writing SVG text: numbers, escaped text, and a bounded buffer.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt::Write;

use super::error::RenderError;
use super::limits::Budget;

/// A number as SVG writes it: at most 4 decimals, no trailing zeros, 0 for
/// what is not finite.
pub fn num(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let mut s = format!("{v:.4}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// Text or an attribute value with the five XML characters escaped and
/// characters XML 1.0 forbids dropped.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An SVG under construction: the drawing and its definitions (clip paths,
/// fonts), each write counted against the output bound.
pub(crate) struct Svg {
    pub body: String,
    pub defs: String,
    pub style: String,
    next_id: usize,
}

impl Svg {
    pub fn new() -> Svg {
        Svg {
            body: String::new(),
            defs: String::new(),
            style: String::new(),
            next_id: 0,
        }
    }

    /// A fresh id for a definition.
    pub fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id)
    }

    pub fn push(&mut self, budget: &mut Budget, text: &str) -> Result<(), RenderError> {
        budget.output(text.len())?;
        self.body.push_str(text);
        Ok(())
    }

    pub fn def(&mut self, budget: &mut Budget, text: &str) -> Result<(), RenderError> {
        budget.output(text.len())?;
        self.defs.push_str(text);
        Ok(())
    }

    pub fn css(&mut self, budget: &mut Budget, text: &str) -> Result<(), RenderError> {
        budget.output(text.len())?;
        self.style.push_str(text);
        Ok(())
    }

    /// The whole SVG document.
    pub fn finish(self, open: &str) -> String {
        let mut out = String::with_capacity(open.len() + self.body.len() + self.defs.len() + 64);
        out.push_str(open);
        if !self.style.is_empty() || !self.defs.is_empty() {
            out.push_str("<defs>");
            if !self.style.is_empty() {
                let _ = write!(out, "<style>{}</style>", self.style);
            }
            out.push_str(&self.defs);
            out.push_str("</defs>");
        }
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }
}

/// A 2-D affine transform `a b c d e f` (OFD `CTM`, SVG `matrix`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Matrix(pub [f64; 6]);

impl Matrix {
    /// Six numbers, else `None`.
    pub fn parse(text: &str) -> Option<Matrix> {
        let v = numbers(text);
        let m: [f64; 6] = v.try_into().ok()?;
        Some(Matrix(m))
    }

    pub fn svg(&self) -> String {
        let [a, b, c, d, e, f] = self.0;
        format!(
            "matrix({} {} {} {} {} {})",
            num(a),
            num(b),
            num(c),
            num(d),
            num(e),
            num(f)
        )
    }
}

/// The finite numbers of a whitespace-separated list (others dropped).
pub fn numbers(text: &str) -> Vec<f64> {
    text.split_ascii_whitespace()
        .filter_map(|t| t.parse::<f64>().ok())
        .filter(|v| v.is_finite())
        .collect()
}

/// A box `x y w h` (OFD `ST_Box`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn parse(text: &str) -> Option<Rect> {
        match numbers(text).as_slice() {
            [x, y, w, h] if *w >= 0.0 && *h >= 0.0 => Some(Rect {
                x: *x,
                y: *y,
                w: *w,
                h: *h,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_finite() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(0.35300), "0.353");
        assert_eq!(num(-0.00001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(12.5), "12.5");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("a<b&\"c'\u{1}"), "a&lt;b&amp;&quot;c&apos;");
    }

    #[test]
    fn boxes_and_matrices_parse() {
        assert_eq!(
            Rect::parse("1 2 3 4"),
            Some(Rect {
                x: 1.0,
                y: 2.0,
                w: 3.0,
                h: 4.0
            })
        );
        assert_eq!(Rect::parse("1 2 -3 4"), None);
        assert_eq!(Matrix::parse("1 0 0 1 5"), None);
        assert!(Matrix::parse("1 0 0 1 5 6").is_some());
    }
}
