//! `AbbreviatedData` (GB/T 33190 §9.3.3) to SVG path data: `S`/`M` move,
//! `L` line, `Q` quadratic, `B` cubic, `A` arc, `C` close. Each point
//! counts against the path-point bound; a command short of numbers ends
//! the path there.

#[allow(unused_imports)]
use crate::prelude::*;

use super::error::RenderError;
use super::limits::Budget;
use super::svg::num;

/// The SVG `d` of an abbreviated path.
pub(crate) fn svg_path(data: &str, budget: &mut Budget) -> Result<String, RenderError> {
    let mut out = String::new();
    let mut tokens = data.split_ascii_whitespace().peekable();
    let mut points = 0usize;
    while let Some(cmd) = tokens.next() {
        let (letter, count) = match cmd {
            "S" | "M" => ('M', 2),
            "L" => ('L', 2),
            "Q" => ('Q', 4),
            "B" => ('C', 6),
            "A" => ('A', 7),
            "C" => ('Z', 0),
            // A number where a command belongs, or an unknown command:
            // skip it, as viewers do.
            _ => continue,
        };
        let mut args = Vec::with_capacity(count);
        while args.len() < count {
            match tokens.peek().and_then(|t| t.parse::<f64>().ok()) {
                Some(v) if v.is_finite() => {
                    args.push(v);
                    tokens.next();
                }
                _ => break,
            }
        }
        if args.len() < count {
            break;
        }
        points += count.div_ceil(2).max(1);
        if points >= 1024 {
            budget.points(points)?;
            points = 0;
        }
        out.push(letter);
        for (i, v) in args.iter().enumerate() {
            if i > 0 || letter != 'Z' {
                out.push(' ');
            }
            // Arc flags are 0 or 1.
            if letter == 'A' && (i == 3 || i == 4) {
                out.push(if *v != 0.0 { '1' } else { '0' });
            } else {
                out.push_str(&num(*v));
            }
        }
        out.push(' ');
    }
    budget.points(points)?;
    Ok(out.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::limits::RenderLimits;

    fn d(s: &str) -> String {
        svg_path(s, &mut Budget::new(RenderLimits::default())).unwrap()
    }

    #[test]
    fn commands_map() {
        assert_eq!(d("M 0 0.2 L 73 0.2 "), "M 0 0.2 L 73 0.2");
        assert_eq!(
            d("S 1 1 B 1 2 3 4 5 6 Q 1 2 3 4 A 5 5 0 1 0 10 10 C"),
            "M 1 1 C 1 2 3 4 5 6 Q 1 2 3 4 A 5 5 0 1 0 10 10 Z"
        );
        // Short of numbers: the path ends before.
        assert_eq!(d("M 1 1 L 2"), "M 1 1");
        assert_eq!(d("x 7 M 1 nan"), "");
    }

    #[test]
    fn points_are_bounded() {
        let limits = RenderLimits {
            max_path_points: 10,
            ..RenderLimits::default()
        };
        let many = "L 1 1 ".repeat(11);
        assert_eq!(
            svg_path(&many, &mut Budget::new(limits)),
            Err(RenderError::TooManyPathPoints { bound: 10 })
        );
    }
}
