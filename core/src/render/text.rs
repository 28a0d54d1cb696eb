//! `TextObject` (GB/T 33190 §11): each `TextCode` at its `X`/`Y` with
//! the glyph positions of `DeltaX`/`DeltaY` (the `g n v` repetition
//! expanded), the font (embedded as `@font-face` data, or a named
//! fallback), size, colours, weight, italic and `HScale`.

#[allow(unused_imports)]
use crate::prelude::*;

use super::error::RenderError;
use super::objects::Drawer;
use super::params::{Color, Params};
use super::resources::{Kind, Resource, fallback};
use super::svg::{esc, num};
use crate::ofd::package::children;
use crate::xml::Node;

/// The most glyph positions one `TextCode` may list (`g` repeats bound).
const MAX_DELTAS: usize = 100_000;

/// A `DeltaX`/`DeltaY` list with `g n v` expanded; at most `max` values.
pub fn deltas(text: &str, max: usize) -> Vec<f64> {
    let mut out = Vec::new();
    let mut tokens = text.split_ascii_whitespace();
    while let Some(t) = tokens.next() {
        if out.len() >= max {
            break;
        }
        if t == "g" {
            let n = tokens.next().and_then(|n| n.parse::<usize>().ok());
            let v = tokens.next().and_then(|v| v.parse::<f64>().ok());
            if let (Some(n), Some(v)) = (n, v.filter(|v| v.is_finite())) {
                let n = n.min(max - out.len());
                out.extend(core::iter::repeat_n(v, n));
            }
        } else if let Some(v) = t.parse::<f64>().ok().filter(|v| v.is_finite()) {
            out.push(v);
        }
    }
    out
}

/// Positions of `n` glyphs from a start and the deltas between them; a
/// missing delta repeats the last one.
fn positions(start: f64, deltas: &[f64], n: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(n);
    let mut at = start;
    for i in 0..n {
        out.push(at);
        at += deltas.get(i).or(deltas.last()).copied().unwrap_or(0.0);
    }
    out
}

fn list(values: &[f64]) -> String {
    let v: Vec<String> = values.iter().map(|x| num(*x)).collect();
    crate::text::join(v.iter().map(String::as_str), " ")
}

pub(crate) fn draw(
    d: &mut Drawer<'_, '_>,
    node: Node<'_, '_>,
    params: &Params,
    font: Option<&Resource>,
) -> Result<(), RenderError> {
    let size = node
        .attribute("Size")
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(3.528);
    let (name, bold, italic, data) = match font.map(|f| &f.kind) {
        Some(Kind::Font {
            name,
            bold,
            italic,
            data,
        }) => (name.as_str(), *bold, *italic, data.as_ref()),
        _ => ("", false, false, None),
    };
    let mut family = String::new();
    if let (Some(uri), Some(f)) = (data, font) {
        let key = format!("{}#{}", f.part, node.attribute("Font").unwrap_or(""));
        let face = match d.fonts.iter().find(|(k, _)| *k == key) {
            Some((_, face)) => face.clone(),
            None => {
                let face = d.svg.id("ofd-font-");
                d.svg.css(
                    d.budget,
                    &format!("@font-face{{font-family:'{face}';src:url({uri})}}"),
                )?;
                d.fonts.push((key, face.clone()));
                face
            }
        };
        family.push_str(&format!("'{face}',"));
    }
    if !name.is_empty() {
        family.push_str(&format!("'{}',", esc(&name.replace('\'', ""))));
    }
    family.push_str(fallback(name));

    let fill = node.attribute("Fill") != Some("false");
    let stroke = node.attribute("Stroke") == Some("true");
    let mut paint = String::new();
    if fill {
        let c = params.fill.unwrap_or(Color::BLACK);
        paint.push_str(&format!(
            " fill=\"{}\"{}",
            c.svg(),
            c.opacity("fill-opacity")
        ));
    } else {
        paint.push_str(" fill=\"none\"");
    }
    if stroke {
        paint.push_str(&params.stroke_attrs(params.stroke.unwrap_or(Color::BLACK)));
    }
    let weight = node
        .attribute("Weight")
        .and_then(|w| w.trim().parse::<u32>().ok())
        .filter(|w| (100..=900).contains(w))
        .or(if bold { Some(700) } else { None });
    if let Some(w) = weight {
        paint.push_str(&format!(" font-weight=\"{w}\""));
    }
    if italic || node.attribute("Italic") == Some("true") {
        paint.push_str(" font-style=\"italic\"");
    }
    let hscale = node
        .attribute("HScale")
        .and_then(|h| h.trim().parse::<f64>().ok())
        .filter(|h| h.is_finite() && *h > 0.0 && (*h - 1.0).abs() > 1e-9);

    d.push(&format!(
        "<g font-size=\"{}\" font-family=\"{}\"{paint}>",
        num(size),
        family
    ))?;
    let (mut x, mut y) = (0.0f64, 0.0f64);
    for code in children(node, "TextCode") {
        let text = code.text().unwrap_or("");
        let chars = text.chars().count();
        if let Some(v) = code
            .attribute("X")
            .and_then(|v| v.trim().parse::<f64>().ok())
        {
            x = v;
        }
        if let Some(v) = code
            .attribute("Y")
            .and_then(|v| v.trim().parse::<f64>().ok())
        {
            y = v;
        }
        if chars == 0 {
            continue;
        }
        let max = chars.min(MAX_DELTAS);
        let dx = code.attribute("DeltaX").map(|t| deltas(t, max));
        let dy = code.attribute("DeltaY").map(|t| deltas(t, max));
        let xs = match &dx {
            Some(v) if !v.is_empty() => positions(x, v, max),
            _ => vec![x],
        };
        let ys = match &dy {
            Some(v) if !v.is_empty() => positions(y, v, max),
            _ => vec![y],
        };
        let transform = match hscale {
            // Horizontal scale about the start of the line.
            Some(h) => format!(
                " transform=\"translate({} 0) scale({} 1) translate({} 0)\"",
                num(x),
                num(h),
                num(-x)
            ),
            None => String::new(),
        };
        d.push(&format!(
            "<text xml:space=\"preserve\" style=\"white-space:pre\" x=\"{}\" y=\"{}\"{transform}>{}</text>",
            list(&xs),
            list(&ys),
            esc(text)
        ))?;
        // The next TextCode without X/Y continues after this one.
        x = xs.last().copied().unwrap_or(x)
            + dx.as_ref().and_then(|v| v.last()).copied().unwrap_or(size);
        y = ys.last().copied().unwrap_or(y);
    }
    d.push("</g>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_deltas_expand() {
        assert_eq!(
            deltas("g 3 1.5 2 g 2 0.5", 100),
            vec![1.5, 1.5, 1.5, 2.0, 0.5, 0.5]
        );
        assert_eq!(deltas("g 1000000000 1", 4), vec![1.0; 4]);
        assert_eq!(deltas("g x 1 2", 10), vec![2.0]);
        assert_eq!(positions(1.0, &[1.0, 2.0], 4), vec![1.0, 2.0, 4.0, 6.0]);
    }
}
