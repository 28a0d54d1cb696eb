//! Check characters of the party codes on a bill (spec §3).
//!
//! - GB 32100-2015 unified social credit code (统一社会信用代码), 18
//!   characters, mod 31;
//! - GB 11714-1997 organisation code (组织机构代码), 9 characters, mod 11;
//! - GB 11643-1999 resident identity number (公民身份号码), 18 characters,
//!   ISO 7064 MOD 11-2.
//!
//! All functions are pure, allocation-free except [`mask_identity`], and
//! never panic.
//!
//! Error detection: any single substituted character is detected by the
//! GB 32100 and GB 11643 checks (all weights are non-zero modulo a prime and
//! character values differ by less than the modulus). The GB 11714 check
//! detects every single substitution among digits, but not a substitution
//! whose values differ by a multiple of 11 (e.g. `0` ↔ `B`, `1` ↔ `C`,
//! `A` ↔ `L`), since letters have values 10 to 35.

#[allow(unused_imports)]
use crate::prelude::*;

/// The GB 32100 character set, in value order (0..=30): no I, O, Z, S, V.
const USCC_CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// ISO 7064 MOD 11-2 weights 2^(17-i) mod 11.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

fn uscc_value(c: u8) -> Option<u32> {
    USCC_CHARSET
        .iter()
        .position(|&x| x == c)
        .and_then(|v| u32::try_from(v).ok())
}

/// The GB 32100 check character for the first 17 characters of `body`, or
/// `None` when `body` is not 17 characters of the code's character set.
fn uscc_check_char(body: &str) -> Option<char> {
    let bytes = body.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut sum: u32 = 0;
    for (&c, &w) in bytes.iter().zip(USCC_WEIGHTS.iter()) {
        sum = sum.checked_add(uscc_value(c)?.checked_mul(w)?)?;
    }
    let check = (31 - sum % 31) % 31;
    USCC_CHARSET
        .get(usize::try_from(check).ok()?)
        .map(|&c| char::from(c))
}

/// GB 32100-2015 unified social credit code (18 chars): true when the check
/// character (last) is right. Charset 0-9 A-H J-N P-R T U W-Y (no I O Z S V,
/// upper case only), weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28,
/// mod 31.
pub fn uscc_is_valid(code: &str) -> bool {
    let (Some(body), Some(last)) = (code.get(..17), code.get(17..)) else {
        return false;
    };
    match uscc_check_char(body) {
        Some(check) => last.len() == 1 && last.starts_with(check),
        None => false,
    }
}

fn org_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        _ => None,
    }
}

/// The GB 11714 check character for an 8-character body (digits or upper
/// case letters), or `None` when `body` is not such a body.
fn org_code_check_char(body: &str) -> Option<char> {
    let bytes = body.as_bytes();
    if bytes.len() != 8 {
        return None;
    }
    let mut sum: u32 = 0;
    for (&c, &w) in bytes.iter().zip(ORG_WEIGHTS.iter()) {
        sum = sum.checked_add(org_value(c)?.checked_mul(w)?)?;
    }
    match 11 - sum % 11 {
        10 => Some('X'),
        11 => Some('0'),
        c => char::from_digit(c, 10),
    }
}

/// GB 11714 organisation code (9 chars: 8 digits or upper-case letters, then
/// the check char 0-9 or X), weights 3,7,9,10,5,8,4,2, mod 11,
/// C = 11 - (sum mod 11), 10 → 'X', 11 → '0'. The hyphenated form
/// (`XXXXXXXX-C`) is not accepted.
pub fn org_code_is_valid(code: &str) -> bool {
    let (Some(body), Some(last)) = (code.get(..8), code.get(8..)) else {
        return false;
    };
    match org_code_check_char(body) {
        Some(check) => last.len() == 1 && last.starts_with(check),
        None => false,
    }
}

/// The GB 11643 check character ('0'-'9' or upper-case 'X') for 17 leading
/// digits, or `None` when `body` is not 17 ASCII digits.
fn resident_id_check_char(body: &str) -> Option<char> {
    let bytes = body.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut sum: u32 = 0;
    for (&c, &w) in bytes.iter().zip(ID_WEIGHTS.iter()) {
        if !c.is_ascii_digit() {
            return None;
        }
        sum = sum.checked_add(u32::from(c - b'0').checked_mul(w)?)?;
    }
    match (12 - sum % 11) % 11 {
        10 => Some('X'),
        c => char::from_digit(c, 10),
    }
}

/// GB 11643-1999 resident identity number (18 chars, ISO 7064 MOD 11-2; last
/// may be 'X' or 'x'), also checks the 17 leading characters are digits.
/// The birth date and area code are not checked.
pub fn resident_id_is_valid(id: &str) -> bool {
    let (Some(body), Some(last)) = (id.get(..17), id.get(17..)) else {
        return false;
    };
    match resident_id_check_char(body) {
        Some(check) => last.len() == 1 && last.to_ascii_uppercase().starts_with(check),
        None => false,
    }
}

/// Masks an identity number for display: first 6 and last 4 characters
/// kept, the rest replaced by '*', same char count. Strings of 10 chars or
/// fewer are fully masked with '*'.
pub fn mask_identity(id: &str) -> String {
    let count = id.chars().count();
    if count <= 10 {
        return "*".repeat(count);
    }
    let keep_tail_from = count - 4;
    id.chars()
        .enumerate()
        .map(|(i, c)| if i < 6 || i >= keep_tail_from { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples() {
        assert!(uscc_is_valid("91350100M000100Y43"));
        assert!(!uscc_is_valid("91350100M000100Y44"));
        assert!(resident_id_is_valid("11010519491231002X"));
        assert!(resident_id_is_valid("11010519491231002x"));
        assert!(!resident_id_is_valid("110105194912310021"));
        // The organisation code embedded in a credit code (characters 9-17).
        assert!(org_code_is_valid("M000100Y4"));
    }

    #[test]
    fn lengths_and_charsets() {
        assert!(!uscc_is_valid(""));
        assert!(!uscc_is_valid("91350100M000100Y4"));
        assert!(!uscc_is_valid("91350100M000100Y433"));
        assert!(!uscc_is_valid("91350100m000100Y43"));
        assert!(!uscc_is_valid("91350100M000100Y4三"));
        assert!(!org_code_is_valid("M000100-Y4"));
        assert!(!org_code_is_valid("m000100Y4"));
        assert!(!resident_id_is_valid("1101051949123100２X"));
        assert!(!resident_id_is_valid("X10105194912310021"));
    }

    #[test]
    fn masking() {
        assert_eq!(mask_identity("11010519491231002X"), "110105********002X");
        assert_eq!(mask_identity("12345678901"), "123456*8901");
        assert_eq!(mask_identity("1234567890"), "**********");
        assert_eq!(mask_identity(""), "");
        assert_eq!(mask_identity("张三丰"), "***");
    }
}
