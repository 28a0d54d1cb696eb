//! Chinese capital amounts (大写金额), spec §7.
//!
//! [`parse`] accepts exactly the spellings allowed by the People's Bank of
//! China writing rules (支付结算办法 附件《正确填写票据和结算凭证的基本规定》,
//! 中文大写金额数字书写规定) and rejects everything else:
//!
//! - digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟 inside a four-digit section,
//!   section words 万 and 亿, currency 元 or 圆, then 角 and 分;
//! - every non-zero digit is followed by its unit (none for the 元/万/亿
//!   position itself); positions strictly decrease;
//! - a bare leading 拾 (拾元 = 10, 拾伍万 = 150 000) only as the very first
//!   character of the integer part;
//! - 零 stands for one or more skipped zero positions between two written
//!   non-zero digits, never twice in a row, never first (except 零元), never
//!   last. With positions as powers of ten (元 = 0, 角 = -1, 分 = -2), between
//!   digits at positions `p > q` the 零 is optional when `q + 1` is 0, 4 or 8
//!   (the zeros end at 元位, 万位 or 亿位: 壹仟陆佰捌拾元[零]叁角贰分,
//!   壹拾万[零]柒仟元), required when `p - q > 1` otherwise (壹万零伍元零陆分),
//!   and wrong when `p - q = 1`;
//! - an amount below one yuan starts with its 角/分 part (伍角, 陆分) or with
//!   零元 / 零圆 (零元伍角, 零元陆分, 零元零陆分); zero is 零元 (零元整, ...);
//! - 整 or 正 may end the amount after 元 (no 角/分 follow) or after 角, never
//!   after 分;
//! - 负 in front marks a negative amount (not for zero).
//!
//! Amounts must be below 10^12 yuan (up to 玖仟玖佰玖拾玖亿...): 万亿 is
//! rejected. [`spell`] is total on `i64`: at and above 10^12 yuan it writes
//! the 亿 multiplier as a number of its own (壹万亿元整, 壹万零壹亿元整,
//! 壹亿亿元整); such display spellings are not accepted by [`parse`].

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

mod messages;

/// Why a text is not a well-formed capital amount: the rule broken, with
/// the 1-based character positions and the text the reason names. The
/// words of each reason are in `capital/messages.rs`
/// ([`CapitalError::message`]); `Display` writes the English one.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CapitalError {
    /// The text is empty.
    Empty,
    /// More than [`MAX_CHARS`] characters.
    TooLong,
    /// A character that is no character of capital amounts.
    BadChar { ch: char, at: usize },
    /// 负 elsewhere than first.
    NegNotFirst { at: usize },
    /// 零 first, other than 零元.
    LeadingZero { at: usize },
    /// 零 twice in a row, at `at` and `next`.
    DoubleZero { at: usize, next: usize },
    /// 零 followed by `next` (not a non-zero digit).
    ZeroBeforeNonDigit { at: usize, next: char },
    /// 零 last.
    TrailingZero { at: usize },
    /// A 角 or 分 digit (`text`) before 元 closed the integer part.
    YuanMissingBefore { at: usize, text: String },
    /// 角/分 digits out of order.
    FractionOrder {
        at: usize,
        text: String,
        last: String,
    },
    /// A unit first (other than 拾).
    UnitFirst { at: usize, ch: char },
    /// A unit after another unit, or after no non-zero digit.
    UnitMisplaced {
        at: usize,
        ch: char,
        after_unit: bool,
    },
    /// 万 or 亿 after 元, 角 or 分.
    SectionAfterYuan { at: usize, ch: char },
    /// 万亿: amounts of 10^12 yuan and more.
    WanYi { at: usize },
    /// 万, 亿, 角 or 分 not directly after a non-zero digit.
    NoDigitBefore { at: usize, ch: char },
    /// 万 or 亿 twice.
    SectionRepeated { at: usize, ch: char },
    /// 亿 after 万 (`last`).
    SectionOrder { at: usize, ch: char, last: char },
    /// 元 twice, or after 角 or 分.
    YuanMisplaced { at: usize, ch: char },
    /// 元 with no amount before it.
    YuanWithoutAmount { at: usize, ch: char },
    /// 整 or 正 not last.
    ZhengNotLast { at: usize, ch: char },
    /// 整 or 正 after 分.
    ZhengAfterFen { at: usize, ch: char },
    /// 整 or 正 after neither 元 nor 角.
    ZhengMisplaced { at: usize, ch: char },
    /// The integer part does not end with 元.
    YuanMissing,
    /// A digit after 元, 角 or 分 without 角 or 分.
    DigitAfterYuan { at: usize, text: String },
    /// Units that do not decrease inside a section.
    UnitsIncrease {
        at: usize,
        text: String,
        offset: u8,
        last: String,
        last_offset: u8,
    },
    /// 负 alone.
    NothingAfterNeg,
    /// The value does not fit.
    OutOfRange,
    /// 负 in front of zero.
    NegativeZero,
    /// 零 (at `at`) before the first written digit.
    ZeroBeforeFirst { at: usize, text: String },
    /// A digit at a position not below the one before it.
    TermOrder {
        at: usize,
        text: String,
        high: String,
    },
    /// 零 (at `at`) between two adjacent positions.
    ZeroWithoutGap {
        at: usize,
        high: String,
        text: String,
    },
    /// Skipped positions with no 零 where one is required.
    ZeroMissing {
        at: usize,
        high: String,
        text: String,
    },
}

impl fmt::Display for CapitalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl core::error::Error for CapitalError {}

/// Longest text looked at; every valid spelling is far shorter.
const MAX_CHARS: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// 零 (0) to 玖 (9).
    Digit(u8),
    /// 拾 (1), 佰 (2), 仟 (3).
    Unit(u8),
    /// 万 (4), 亿 (8).
    Section(u8),
    /// 元 or 圆.
    Yuan,
    Jiao,
    Fen,
    /// 整 or 正.
    Zheng,
    /// 负.
    Neg,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    ch: char,
    /// 1-based character position in the text.
    at: usize,
}

fn classify(ch: char) -> Option<Kind> {
    let kind = match ch {
        '零' => Kind::Digit(0),
        '壹' => Kind::Digit(1),
        '贰' => Kind::Digit(2),
        '叁' => Kind::Digit(3),
        '肆' => Kind::Digit(4),
        '伍' => Kind::Digit(5),
        '陆' => Kind::Digit(6),
        '柒' => Kind::Digit(7),
        '捌' => Kind::Digit(8),
        '玖' => Kind::Digit(9),
        '拾' => Kind::Unit(1),
        '佰' => Kind::Unit(2),
        '仟' => Kind::Unit(3),
        '万' => Kind::Section(4),
        '亿' => Kind::Section(8),
        '元' | '圆' => Kind::Yuan,
        '角' => Kind::Jiao,
        '分' => Kind::Fen,
        '整' | '正' => Kind::Zheng,
        '负' => Kind::Neg,
        _ => return None,
    };
    Some(kind)
}

fn tokenize(text: &str) -> Result<Vec<Token>, CapitalError> {
    if text.is_empty() {
        return Err(CapitalError::Empty);
    }
    if text.chars().nth(MAX_CHARS).is_some() {
        return Err(CapitalError::TooLong);
    }
    let mut tokens = Vec::new();
    for (index, ch) in text.chars().enumerate() {
        let at = index.saturating_add(1);
        match classify(ch) {
            Some(kind) => tokens.push(Token { kind, ch, at }),
            None => return Err(CapitalError::BadChar { ch, at }),
        }
    }
    Ok(tokens)
}

/// A written non-zero digit with its position (power of ten in yuan).
#[derive(Clone, Debug)]
struct Term {
    digit: u8,
    pos: i8,
    /// Position of the 零 written right before this digit, if any.
    zero_before: Option<usize>,
    /// Position of the digit (or of the bare 拾).
    at: usize,
    /// The digit and its unit as written, for messages.
    text: String,
}

/// An integer digit whose section (元, 万 or 亿) is not known yet.
#[derive(Clone, Debug)]
struct Pending {
    digit: u8,
    offset: u8,
    zero_before: Option<usize>,
    at: usize,
    text: String,
}

fn section_name(section: u8) -> char {
    if section == 8 { '亿' } else { '万' }
}

/// Scans the tokens after an optional 负. Returns the terms, highest
/// position first, and whether the amount starts with 零元.
fn scan(body: &[Token]) -> Result<(Vec<Term>, bool), CapitalError> {
    let mut terms: Vec<Term> = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut last_section: Option<u8> = None;
    // 元 seen, or the amount started with its 角/分 part.
    let mut integer_closed = false;
    let mut zero_yuan = false;
    let mut zero: Option<usize> = None;
    let mut prev: Option<Kind> = None;
    let mut i = 0usize;

    while let Some(tok) = body.get(i) {
        let next = body.get(i.saturating_add(1));
        let (at, ch) = (tok.at, tok.ch);
        match tok.kind {
            Kind::Neg => return Err(CapitalError::NegNotFirst { at }),
            Kind::Digit(0) => {
                if i == 0 {
                    if next.is_some_and(|t| t.kind == Kind::Yuan) {
                        zero_yuan = true;
                        integer_closed = true;
                        prev = Some(Kind::Yuan);
                        i = i.saturating_add(2);
                        continue;
                    }
                    return Err(CapitalError::LeadingZero { at });
                }
                match next {
                    Some(t) if matches!(t.kind, Kind::Digit(d) if d != 0) => {}
                    Some(t) if t.kind == Kind::Digit(0) => {
                        return Err(CapitalError::DoubleZero { at, next: t.at });
                    }
                    Some(t) => return Err(CapitalError::ZeroBeforeNonDigit { at, next: t.ch }),
                    None => return Err(CapitalError::TrailingZero { at }),
                }
                zero = Some(at);
                prev = Some(tok.kind);
                i = i.saturating_add(1);
            }
            Kind::Digit(digit) => {
                let zero_before = zero.take();
                let unit = next.map(|t| t.kind);
                let frac = match unit {
                    Some(Kind::Jiao) => Some(-1i8),
                    Some(Kind::Fen) => Some(-2i8),
                    _ => None,
                };
                if let (Some(pos), Some(unit_tok)) = (frac, next) {
                    let text = format!("{}{}", ch, unit_tok.ch);
                    if !integer_closed {
                        if !pending.is_empty() || last_section.is_some() {
                            return Err(CapitalError::YuanMissingBefore {
                                at: unit_tok.at,
                                text,
                            });
                        }
                        integer_closed = true;
                    }
                    if let Some(last) = terms.last()
                        && last.pos <= pos
                    {
                        return Err(CapitalError::FractionOrder {
                            at,
                            text,
                            last: last.text.clone(),
                        });
                    }
                    terms.push(Term {
                        digit,
                        pos,
                        zero_before,
                        at,
                        text,
                    });
                    prev = Some(unit_tok.kind);
                    i = i.saturating_add(2);
                } else {
                    let (offset, text, step) = match (unit, next) {
                        (Some(Kind::Unit(u)), Some(t)) => (u, format!("{}{}", ch, t.ch), 2),
                        _ => (0, ch.to_string(), 1),
                    };
                    push_integer(
                        &mut pending,
                        integer_closed,
                        Pending {
                            digit,
                            offset,
                            zero_before,
                            at,
                            text,
                        },
                    )?;
                    prev = Some(if step == 2 {
                        Kind::Unit(offset)
                    } else {
                        tok.kind
                    });
                    i = i.saturating_add(step);
                }
            }
            Kind::Unit(unit) => {
                if i == 0 && unit == 1 {
                    // A bare leading 拾: 拾元 = 10, 拾伍万 = 150 000.
                    push_integer(
                        &mut pending,
                        integer_closed,
                        Pending {
                            digit: 1,
                            offset: 1,
                            zero_before: None,
                            at,
                            text: ch.to_string(),
                        },
                    )?;
                    prev = Some(tok.kind);
                    i = i.saturating_add(1);
                } else if i == 0 {
                    return Err(CapitalError::UnitFirst { at, ch });
                } else {
                    let after_unit = matches!(prev, Some(Kind::Unit(_)));
                    return Err(CapitalError::UnitMisplaced { at, ch, after_unit });
                }
            }
            Kind::Section(section) => {
                if integer_closed {
                    return Err(CapitalError::SectionAfterYuan { at, ch });
                }
                if pending.is_empty() && section == 8 && prev == Some(Kind::Section(4)) {
                    return Err(CapitalError::WanYi { at });
                }
                if pending.is_empty() {
                    return Err(CapitalError::NoDigitBefore { at, ch });
                }
                if let Some(last) = last_section
                    && section >= last
                {
                    return Err(if section == last {
                        CapitalError::SectionRepeated { at, ch }
                    } else {
                        CapitalError::SectionOrder {
                            at,
                            ch,
                            last: section_name(last),
                        }
                    });
                }
                flush(&mut pending, &mut terms, section, ch);
                last_section = Some(section);
                prev = Some(tok.kind);
                i = i.saturating_add(1);
            }
            Kind::Yuan => {
                if integer_closed {
                    return Err(CapitalError::YuanMisplaced { at, ch });
                }
                if pending.is_empty() && last_section.is_none() {
                    return Err(CapitalError::YuanWithoutAmount { at, ch });
                }
                flush(&mut pending, &mut terms, 0, ch);
                integer_closed = true;
                prev = Some(tok.kind);
                i = i.saturating_add(1);
            }
            Kind::Jiao | Kind::Fen => return Err(CapitalError::NoDigitBefore { at, ch }),
            Kind::Zheng => {
                if next.is_some() {
                    return Err(CapitalError::ZhengNotLast { at, ch });
                }
                match prev {
                    Some(Kind::Yuan) | Some(Kind::Jiao) => {}
                    Some(Kind::Fen) => return Err(CapitalError::ZhengAfterFen { at, ch }),
                    _ => return Err(CapitalError::ZhengMisplaced { at, ch }),
                }
                i = i.saturating_add(1);
            }
        }
    }

    if !integer_closed {
        return Err(CapitalError::YuanMissing);
    }
    Ok((terms, zero_yuan))
}

fn push_integer(
    pending: &mut Vec<Pending>,
    integer_closed: bool,
    term: Pending,
) -> Result<(), CapitalError> {
    if integer_closed {
        return Err(CapitalError::DigitAfterYuan {
            at: term.at,
            text: term.text,
        });
    }
    if let Some(last) = pending.last()
        && term.offset >= last.offset
    {
        return Err(CapitalError::UnitsIncrease {
            at: term.at,
            text: term.text,
            offset: term.offset,
            last: last.text.clone(),
            last_offset: last.offset,
        });
    }
    pending.push(term);
    Ok(())
}

/// Places the pending digits in the section that `word` (万, 亿, 元 or 圆)
/// just closed.
fn flush(pending: &mut Vec<Pending>, terms: &mut Vec<Term>, section: u8, word: char) {
    for p in pending.drain(..) {
        let pos = i8::try_from(section.saturating_add(p.offset)).unwrap_or(i8::MAX);
        let mut text = p.text;
        if p.offset == 0 {
            text.push(word);
        }
        terms.push(Term {
            digit: p.digit,
            pos,
            zero_before: p.zero_before,
            at: p.at,
            text,
        });
    }
}

/// Applies the 零 rules between consecutive written digits.
fn check_zeros(terms: &[Term], zero_yuan: bool) -> Result<(), CapitalError> {
    let mut prev: Option<&Term> = None;
    for term in terms {
        match prev {
            None => {
                if let Some(z) = term.zero_before {
                    // Only 零元零陆分 (zero before 分 after 零元) is allowed.
                    if !(zero_yuan && term.pos == -2) {
                        return Err(CapitalError::ZeroBeforeFirst {
                            at: z,
                            text: term.text.clone(),
                        });
                    }
                }
            }
            Some(high) => {
                let (p, q) = (i16::from(high.pos), i16::from(term.pos));
                if q >= p {
                    return Err(CapitalError::TermOrder {
                        at: term.at,
                        text: term.text.clone(),
                        high: high.text.clone(),
                    });
                }
                let skipped = p - q - 1;
                match term.zero_before {
                    Some(z) if skipped == 0 => {
                        return Err(CapitalError::ZeroWithoutGap {
                            at: z,
                            high: high.text.clone(),
                            text: term.text.clone(),
                        });
                    }
                    None if skipped > 0 && !matches!(q + 1, 0 | 4 | 8) => {
                        return Err(CapitalError::ZeroMissing {
                            at: term.at,
                            high: high.text.clone(),
                            text: term.text.clone(),
                        });
                    }
                    _ => {}
                }
            }
        }
        prev = Some(term);
    }
    Ok(())
}

fn value_of(terms: &[Term]) -> Option<i64> {
    let mut total: i64 = 0;
    for term in terms {
        let exp = u32::try_from(i16::from(term.pos) + 2).ok()?;
        let place = 10i64.checked_pow(exp)?;
        total = total.checked_add(i64::from(term.digit).checked_mul(place)?)?;
    }
    Some(total)
}

/// Parses a capital amount to its value in fen (分). Negative amounts are
/// prefixed 负.
pub fn parse(text: &str) -> Result<i64, CapitalError> {
    let tokens = tokenize(text)?;
    let (negative, body) = match tokens.split_first() {
        Some((first, rest)) if first.kind == Kind::Neg => (true, rest),
        _ => (false, tokens.as_slice()),
    };
    if body.is_empty() {
        return Err(CapitalError::NothingAfterNeg);
    }
    let (terms, zero_yuan) = scan(body)?;
    check_zeros(&terms, zero_yuan)?;
    let value = value_of(&terms).ok_or(CapitalError::OutOfRange)?;
    if negative {
        if value == 0 {
            return Err(CapitalError::NegativeZero);
        }
        return value.checked_neg().ok_or(CapitalError::OutOfRange);
    }
    Ok(value)
}

/// True when `text` is a correct spelling of `fen`.
pub fn spells(text: &str, fen: i64) -> bool {
    matches!(parse(text), Ok(value) if value == fen)
}

fn digit_char(d: u64) -> char {
    match d {
        1 => '壹',
        2 => '贰',
        3 => '叁',
        4 => '肆',
        5 => '伍',
        6 => '陆',
        7 => '柒',
        8 => '捌',
        9 => '玖',
        _ => '零',
    }
}

/// Spells `n` in 1..10 000 (one section, no section word).
fn spell_section(n: u64, out: &mut String) {
    let places: [(u64, Option<char>); 4] = [
        (1000, Some('仟')),
        (100, Some('佰')),
        (10, Some('拾')),
        (1, None),
    ];
    let mut started = false;
    let mut gap = false;
    for (place, unit) in places {
        let d = (n / place) % 10;
        if d == 0 {
            gap = started;
        } else {
            if gap {
                out.push('零');
                gap = false;
            }
            out.push(digit_char(d));
            if let Some(u) = unit {
                out.push(u);
            }
            started = true;
        }
    }
}

/// Spells a positive integer number of yuan, without 元, writing only the
/// required 零.
fn spell_integer(n: u64, out: &mut String) {
    const WAN: u64 = 10_000;
    const YI: u64 = 100_000_000;
    if n >= YI {
        let (high, low) = (n / YI, n % YI);
        spell_integer(high, out);
        out.push('亿');
        if low > 0 {
            // 零 is optional only when the next digit is 仟万 (directly
            // below 亿位) or 仟 (directly below an empty 万位).
            if low < 10_000_000 && !(1_000..WAN).contains(&low) {
                out.push('零');
            }
            spell_integer(low, out);
        }
    } else if n >= WAN {
        let (high, low) = (n / WAN, n % WAN);
        spell_section(high, out);
        out.push('万');
        if low > 0 {
            if low < 1_000 {
                out.push('零');
            }
            spell_section(low, out);
        }
    } else {
        spell_section(n, out);
    }
}

/// The canonical spelling of `fen` (for display): 元 (not 圆), 壹拾 (not a
/// bare 拾), only the required 零, 整 after 元 when there are no 角/分 and
/// after 角 when there are no 分, 负 in front of negative amounts.
///
/// 48364 → 肆佰捌拾叁元陆角肆分, 100 → 壹元整, 50 → 伍角整, 6 → 陆分,
/// 1000506 → 壹万零伍元零陆分, 0 → 零元整.
///
/// Total on `i64`: from 10^12 yuan on, the 亿 multiplier is spelled as a
/// number of its own (壹万亿元整); [`parse`] rejects those spellings.
pub fn spell(fen: i64) -> String {
    let mut out = String::new();
    if fen < 0 {
        out.push('负');
    }
    let abs = fen.unsigned_abs();
    let yuan = abs / 100;
    let jiao = (abs / 10) % 10;
    let fen_digit = abs % 10;
    if abs == 0 {
        out.push_str("零元整");
        return out;
    }
    if yuan > 0 {
        spell_integer(yuan, &mut out);
        out.push('元');
    }
    if jiao > 0 {
        out.push(digit_char(jiao));
        out.push('角');
    } else if fen_digit > 0 && yuan > 0 {
        out.push('零');
    }
    if fen_digit > 0 {
        out.push(digit_char(fen_digit));
        out.push('分');
    } else {
        out.push('整');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        assert_eq!(parse("捌佰柒拾叁元陆角"), Ok(87360));
        assert_eq!(parse("捌佰柒拾叁圆陆角整"), Ok(87360));
        assert_eq!(parse("壹元整"), Ok(100));
        assert_eq!(parse("壹万零伍元零陆分"), Ok(1_000_506));
        assert_eq!(parse("伍角"), Ok(50));
    }

    #[test]
    fn canonical_spelling() {
        assert_eq!(spell(48364), "肆佰捌拾叁元陆角肆分");
        assert_eq!(spell(100), "壹元整");
        assert_eq!(spell(50), "伍角整");
        assert_eq!(spell(6), "陆分");
        assert_eq!(spell(56), "伍角陆分");
        assert_eq!(spell(1_000_506), "壹万零伍元零陆分");
        assert_eq!(spell(0), "零元整");
        assert_eq!(spell(-100), "负壹元整");
        assert_eq!(spell(1000), "壹拾元整");
        assert_eq!(spell(168_032), "壹仟陆佰捌拾元叁角贰分");
        assert_eq!(spell(10_700_053), "壹拾万柒仟元伍角叁分");
        assert_eq!(spell(10_070_000), "壹拾万零柒佰元整");
        assert_eq!(spell(100_000_050), "壹佰万元伍角整");
        assert_eq!(spell(10_000_050_000), "壹亿零伍佰元整");
        assert_eq!(spell(10_000_500_000), "壹亿伍仟元整");
        assert_eq!(spell(10_005_000_000), "壹亿零伍万元整");
        assert_eq!(
            spell(99_999_999_999_999),
            "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"
        );
    }

    #[test]
    fn spell_beyond_parse_range() {
        assert_eq!(spell(100_000_000_000_000), "壹万亿元整");
        assert_eq!(spell(100_010_000_000_000), "壹万零壹亿元整");
        assert_eq!(spell(100_000_001_000_000), "壹万亿零壹万元整");
        assert!(parse(&spell(100_000_000_000_000)).is_err());
        assert!(spell(i64::MIN).starts_with("负玖亿"));
        assert!(spell(i64::MAX).ends_with("元零柒分"));
    }

    #[test]
    fn errors_name_the_position() {
        let e = parse("壹元陆分").unwrap_err();
        assert!(e.message().en.contains("零"), "{e}");
        assert!(e.message().zh.contains("零"), "{e:?}");
        let e = parse("壹元 整").unwrap_err();
        assert!(e.message().en.contains("position 3"), "{e}");
        assert!(e.message().zh.contains("第3个字符"), "{e:?}");
        assert_eq!(e.to_string(), e.message().en);
        let e = parse("壹元陆分整").unwrap_err();
        assert!(e.message().en.contains("after 分"), "{e}");
    }

    #[test]
    fn zero_rules() {
        assert_eq!(parse("零元零陆分"), Ok(6));
        assert_eq!(parse("零元陆分"), Ok(6));
        assert!(parse("零元零伍角").is_err());
        assert!(parse("零陆分").is_err());
        assert!(parse("壹仟零万元").is_err());
        assert!(parse("壹拾零万柒仟元").is_err());
        assert!(parse("壹仟零零伍元").is_err());
        assert!(parse("负零元整").is_err());
    }
}
