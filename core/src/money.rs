//! Decimal amounts as integers: money in fen (分), never floating point.

#[allow(unused_imports)]
use crate::prelude::*;

/// A decimal number `mantissa × 10^-scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: i128,
    pub scale: u32,
}

/// Parses `-?digits(.digits)?` with at most `max_scale` fraction digits.
/// No exponent, no `+`, no spaces, no thousands separators.
pub fn parse_decimal(text: &str, max_scale: u32) -> Option<Decimal> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || int.len() > 18 {
        return None;
    }
    let frac = match frac {
        Some(f) if !all_digits(f) || f.len() > max_scale as usize => return None,
        Some(f) => f,
        None => "",
    };
    let mut mantissa: i128 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        mantissa = mantissa * 10 + i128::from(b - b'0');
    }
    Some(Decimal {
        mantissa: if negative { -mantissa } else { mantissa },
        scale: frac.len() as u32,
    })
}

/// Parses an amount of money in yuan with at most two fraction digits into fen.
pub fn parse_fen(text: &str) -> Option<i64> {
    let d = parse_decimal(text, 2)?;
    i64::try_from(d.mantissa * 10i128.pow(2 - d.scale)).ok()
}

/// Renders fen as yuan with two fraction digits, e.g. `48364` → `483.64`.
pub fn format_fen(fen: impl Into<i128>) -> String {
    let fen: i128 = fen.into();
    // Digits by hand: `Display` of a 128-bit integer would add its own
    // formatting code to the WebAssembly module.
    let mut abs = fen.unsigned_abs();
    let mut buf = [0u8; 42];
    let mut at = buf.len();
    while abs > 0 || buf.len() - at < 4 {
        at -= 1;
        buf[at] = b'0' + (abs % 10) as u8;
        abs /= 10;
        if buf.len() - at == 2 {
            at -= 1;
            buf[at] = b'.';
        }
    }
    if fen < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    String::from_utf8_lossy(&buf[at..]).into_owned()
}

/// `a × b` in fen, rounded half-up (half away from zero), when it fits.
pub fn product_in_fen(a: Decimal, b: Decimal) -> Option<i64> {
    let product = a.mantissa.checked_mul(b.mantissa)?;
    let scale = a.scale + b.scale;
    let fen = if scale <= 2 {
        product.checked_mul(10i128.pow(2 - scale))?
    } else {
        let divisor = 10i128.pow(scale - 2);
        let (q, r) = (product / divisor, product % divisor);
        if r.abs() * 2 >= divisor {
            q + product.signum()
        } else {
            q
        }
    };
    i64::try_from(fen).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_exactly() {
        assert_eq!(parse_fen("483.64"), Some(48364));
        assert_eq!(parse_fen("10"), Some(1000));
        assert_eq!(parse_fen("0.5"), Some(50));
        assert_eq!(parse_fen("-12.30"), Some(-1230));
        for bad in [
            "", "1.234", "1e3", "+1", " 1", "1.", ".5", "1,000.00", "0x10", "１",
        ] {
            assert_eq!(parse_fen(bad), None, "{bad}");
        }
        assert_eq!(parse_fen("9999999999999999999"), None);
    }

    #[test]
    fn products_round_half_up() {
        let d = |s| parse_decimal(s, 6).unwrap();
        assert_eq!(product_in_fen(d("7"), d("31.44")), Some(22008));
        assert_eq!(product_in_fen(d("3"), d("0.335")), Some(101)); // 1.005 -> 1.01
        assert_eq!(product_in_fen(d("1.5"), d("0.333333")), Some(50)); // 0.4999995 -> 0.50
        assert_eq!(product_in_fen(d("2"), d("0.0025")), Some(1)); // 0.005 -> 0.01
        assert_eq!(product_in_fen(d("2"), d("0.0024")), Some(0));
        assert_eq!(product_in_fen(d("-2"), d("0.0025")), Some(-1));
    }

    #[test]
    fn fen_formats() {
        assert_eq!(format_fen(48364), "483.64");
        assert_eq!(format_fen(5), "0.05");
        assert_eq!(format_fen(-1230), "-12.30");
        // Sums past i64 are shown exactly too.
        assert_eq!(format_fen(i128::from(i64::MAX) + 1), "92233720368547758.08");
        assert_eq!(
            format_fen(i128::from(i64::MIN) * 2),
            "-184467440737095516.16"
        );
        for fen in [
            0i128,
            1,
            -1,
            9,
            10,
            99,
            100,
            101,
            -100,
            i128::MAX,
            i128::MIN,
        ]
        .into_iter()
        .chain((-2000..2000).map(|n| n * 7919))
        {
            let abs = fen.unsigned_abs();
            let sign = if fen < 0 { "-" } else { "" };
            assert_eq!(
                format_fen(fen),
                format!("{sign}{}.{:02}", abs / 100, abs % 100)
            );
        }
    }
}
