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

/// Why a text is not a well-formed capital amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapitalError {
    /// The reason in Chinese.
    pub message_zh: String,
    /// The reason in English.
    pub message_en: String,
}

impl fmt::Display for CapitalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en)
    }
}

impl core::error::Error for CapitalError {}

fn error(message_zh: String, message_en: String) -> CapitalError {
    CapitalError {
        message_zh,
        message_en,
    }
}

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

fn bad_char(ch: char, at: usize) -> CapitalError {
    let (hint_zh, hint_en) = if ch.is_ascii_digit() {
        ("不得使用阿拉伯数字", "Arabic digits are not allowed")
    } else if ch.is_whitespace() {
        ("不得含有空白", "spaces are not allowed")
    } else if "〇一二三四五六七八九十百千".contains(ch) {
        (
            "须用大写数字零壹贰叁肆伍陆柒捌玖拾佰仟",
            "use the capital numerals 零壹贰叁肆伍陆柒捌玖拾佰仟, not lower-case ones",
        )
    } else if ch == '两' {
        ("“两”不得使用，应写“贰”", "write 贰, not 两")
    } else {
        ("不是大写金额用字", "not a character of capital amounts")
    };
    error(
        format!("第{at}个字符“{ch}”无效：{hint_zh}"),
        format!("invalid character '{ch}' at position {at}: {hint_en}"),
    )
}

fn tokenize(text: &str) -> Result<Vec<Token>, CapitalError> {
    if text.is_empty() {
        return Err(error(
            "大写金额为空".to_owned(),
            "the capital amount is empty".to_owned(),
        ));
    }
    if text.chars().nth(MAX_CHARS).is_some() {
        return Err(error(
            format!("大写金额过长（超过{MAX_CHARS}个字符）"),
            format!("the capital amount is too long (more than {MAX_CHARS} characters)"),
        ));
    }
    let mut tokens = Vec::new();
    for (index, ch) in text.chars().enumerate() {
        let at = index.saturating_add(1);
        match classify(ch) {
            Some(kind) => tokens.push(Token { kind, ch, at }),
            None => return Err(bad_char(ch, at)),
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

fn unit_name_zh(offset: u8) -> &'static str {
    match offset {
        1 => "拾位",
        2 => "佰位",
        3 => "仟位",
        _ => "个位",
    }
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
        match tok.kind {
            Kind::Neg => {
                return Err(error(
                    format!("第{}个字符“负”只能出现在开头", tok.at),
                    format!(
                        "'负' at position {} may only be the first character",
                        tok.at
                    ),
                ));
            }
            Kind::Digit(0) => {
                if i == 0 {
                    if next.is_some_and(|t| t.kind == Kind::Yuan) {
                        zero_yuan = true;
                        integer_closed = true;
                        prev = Some(Kind::Yuan);
                        i = i.saturating_add(2);
                        continue;
                    }
                    return Err(error(
                        format!("第{}个字符：金额不能以“零”开头（“零元”除外）", tok.at),
                        format!(
                            "position {}: an amount cannot start with '零' (except '零元')",
                            tok.at
                        ),
                    ));
                }
                match next {
                    Some(t) if matches!(t.kind, Kind::Digit(d) if d != 0) => {}
                    Some(t) if t.kind == Kind::Digit(0) => {
                        return Err(error(
                            format!("第{}、{}个字符：“零”不能连写两个", tok.at, t.at),
                            format!(
                                "positions {} and {}: two '零' in a row (zeros collapse to one 零)",
                                tok.at, t.at
                            ),
                        ));
                    }
                    Some(t) => {
                        return Err(error(
                            format!("第{}个字符“零”后须紧跟非零数字，而不是“{}”", tok.at, t.ch),
                            format!(
                                "'零' at position {} must be followed by a non-zero digit, not '{}'",
                                tok.at, t.ch
                            ),
                        ));
                    }
                    None => {
                        return Err(error(
                            format!("第{}个字符：金额不能以“零”结尾", tok.at),
                            format!("position {}: an amount cannot end with '零'", tok.at),
                        ));
                    }
                }
                zero = Some(tok.at);
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
                    let text = format!("{}{}", tok.ch, unit_tok.ch);
                    if !integer_closed {
                        if !pending.is_empty() || last_section.is_some() {
                            return Err(error(
                                format!("第{}个字符：“{}”之前缺少“元”", unit_tok.at, text),
                                format!(
                                    "position {}: '元' is missing before '{}'",
                                    unit_tok.at, text
                                ),
                            ));
                        }
                        integer_closed = true;
                    }
                    if let Some(last) = terms.last()
                        && last.pos <= pos
                    {
                        return Err(error(
                            format!(
                                "第{}个字符：“{}”不能出现在“{}”之后",
                                tok.at, text, last.text
                            ),
                            format!(
                                "position {}: '{}' cannot follow '{}' (order is 角 then 分)",
                                tok.at, text, last.text
                            ),
                        ));
                    }
                    terms.push(Term {
                        digit,
                        pos,
                        zero_before,
                        at: tok.at,
                        text,
                    });
                    prev = Some(unit_tok.kind);
                    i = i.saturating_add(2);
                } else {
                    let (offset, text, step) = match (unit, next) {
                        (Some(Kind::Unit(u)), Some(t)) => (u, format!("{}{}", tok.ch, t.ch), 2),
                        _ => (0, tok.ch.to_string(), 1),
                    };
                    push_integer(
                        &mut pending,
                        integer_closed,
                        Pending {
                            digit,
                            offset,
                            zero_before,
                            at: tok.at,
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
                            at: tok.at,
                            text: tok.ch.to_string(),
                        },
                    )?;
                    prev = Some(tok.kind);
                    i = i.saturating_add(1);
                } else if i == 0 {
                    return Err(error(
                        format!("第{}个字符：“{}”前缺少数字", tok.at, tok.ch),
                        format!(
                            "position {}: a digit is missing before '{}'",
                            tok.at, tok.ch
                        ),
                    ));
                } else {
                    let detail_zh = if matches!(prev, Some(Kind::Unit(_))) {
                        "单位不能连写"
                    } else {
                        "单位须紧跟在非零数字之后（只有开头的“拾”可以省略“壹”）"
                    };
                    let detail_en = if matches!(prev, Some(Kind::Unit(_))) {
                        "two units in a row"
                    } else {
                        "a unit must directly follow a non-zero digit (only a leading 拾 may omit 壹)"
                    };
                    return Err(error(
                        format!("第{}个字符“{}”：{detail_zh}", tok.at, tok.ch),
                        format!("'{}' at position {}: {detail_en}", tok.ch, tok.at),
                    ));
                }
            }
            Kind::Section(section) => {
                let name = tok.ch;
                if integer_closed {
                    return Err(error(
                        format!("第{}个字符“{name}”不能出现在元、角、分之后", tok.at),
                        format!(
                            "'{name}' at position {} cannot come after 元, 角 or 分",
                            tok.at
                        ),
                    ));
                }
                if pending.is_empty() && section == 8 && prev == Some(Kind::Section(4)) {
                    return Err(error(
                        format!("第{}个字符：不支持万亿及以上的金额", tok.at),
                        format!(
                            "position {}: amounts of 万亿 (10^12 yuan) and more are not supported",
                            tok.at
                        ),
                    ));
                }
                if pending.is_empty() {
                    return Err(error(
                        format!("第{}个字符“{name}”前须有非零数字", tok.at),
                        format!(
                            "'{name}' at position {} must directly follow a non-zero digit",
                            tok.at
                        ),
                    ));
                }
                if let Some(last) = last_section
                    && section >= last
                {
                    let (zh, en) = if section == last {
                        (
                            format!("第{}个字符：“{name}”重复", tok.at),
                            format!("position {}: '{name}' is repeated", tok.at),
                        )
                    } else {
                        (
                            format!(
                                "第{}个字符：“{name}”不能出现在“{}”之后（不支持万亿及以上）",
                                tok.at,
                                section_name(last)
                            ),
                            format!(
                                "position {}: '{name}' cannot follow '{}' (amounts of 万亿 and more are not supported)",
                                tok.at,
                                section_name(last)
                            ),
                        )
                    };
                    return Err(error(zh, en));
                }
                flush(&mut pending, &mut terms, section, name);
                last_section = Some(section);
                prev = Some(tok.kind);
                i = i.saturating_add(1);
            }
            Kind::Yuan => {
                if integer_closed {
                    return Err(error(
                        format!(
                            "第{}个字符“{}”位置不对：元只能出现一次，且在角、分之前",
                            tok.at, tok.ch
                        ),
                        format!(
                            "'{}' at position {} is misplaced: 元 comes once, before 角 and 分",
                            tok.ch, tok.at
                        ),
                    ));
                }
                if pending.is_empty() && last_section.is_none() {
                    return Err(error(
                        format!("第{}个字符“{}”前缺少金额", tok.at, tok.ch),
                        format!(
                            "'{}' at position {} has no amount before it",
                            tok.ch, tok.at
                        ),
                    ));
                }
                flush(&mut pending, &mut terms, 0, tok.ch);
                integer_closed = true;
                prev = Some(tok.kind);
                i = i.saturating_add(1);
            }
            Kind::Jiao | Kind::Fen => {
                return Err(error(
                    format!("第{}个字符“{}”前须有非零数字", tok.at, tok.ch),
                    format!(
                        "'{}' at position {} must directly follow a non-zero digit",
                        tok.ch, tok.at
                    ),
                ));
            }
            Kind::Zheng => {
                if next.is_some() {
                    return Err(error(
                        format!("第{}个字符“{}”只能在末尾", tok.at, tok.ch),
                        format!(
                            "'{}' at position {} may only end the amount",
                            tok.ch, tok.at
                        ),
                    ));
                }
                match prev {
                    Some(Kind::Yuan) | Some(Kind::Jiao) => {}
                    Some(Kind::Fen) => {
                        return Err(error(
                            format!("第{}个字符：“分”之后不得写“{}”", tok.at, tok.ch),
                            format!("position {}: '{}' is not allowed after 分", tok.at, tok.ch),
                        ));
                    }
                    _ => {
                        return Err(error(
                            format!("第{}个字符：“{}”只能写在“元”或“角”之后", tok.at, tok.ch),
                            format!("position {}: '{}' may only follow 元 or 角", tok.at, tok.ch),
                        ));
                    }
                }
                i = i.saturating_add(1);
            }
        }
    }

    if !integer_closed {
        return Err(error(
            "整数部分末尾缺少“元”".to_owned(),
            "'元' is missing at the end of the integer part".to_owned(),
        ));
    }
    Ok((terms, zero_yuan))
}

fn push_integer(
    pending: &mut Vec<Pending>,
    integer_closed: bool,
    term: Pending,
) -> Result<(), CapitalError> {
    if integer_closed {
        return Err(error(
            format!(
                "第{}个字符：元、角、分之后的数字须带“角”或“分”（“{}”）",
                term.at, term.text
            ),
            format!(
                "position {}: a digit after 元, 角 or 分 must be followed by 角 or 分 ('{}')",
                term.at, term.text
            ),
        ));
    }
    if let Some(last) = pending.last()
        && term.offset >= last.offset
    {
        return Err(error(
            format!(
                "第{}个字符：“{}”（{}）不能出现在“{}”（{}）之后，单位须从高到低",
                term.at,
                term.text,
                unit_name_zh(term.offset),
                last.text,
                unit_name_zh(last.offset)
            ),
            format!(
                "position {}: '{}' cannot follow '{}' (units must decrease)",
                term.at, term.text, last.text
            ),
        ));
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
                        return Err(error(
                            format!("第{z}个字符：“{}”前不应有“零”", term.text),
                            format!("position {z}: no '零' may stand before '{}'", term.text),
                        ));
                    }
                }
            }
            Some(high) => {
                let (p, q) = (i16::from(high.pos), i16::from(term.pos));
                if q >= p {
                    return Err(error(
                        format!(
                            "第{}个字符：“{}”不能出现在“{}”之后",
                            term.at, term.text, high.text
                        ),
                        format!(
                            "position {}: '{}' cannot follow '{}'",
                            term.at, term.text, high.text
                        ),
                    ));
                }
                let skipped = p - q - 1;
                match term.zero_before {
                    Some(z) if skipped == 0 => {
                        return Err(error(
                            format!(
                                "第{z}个字符：“{}”与“{}”之间没有零位，不应写“零”",
                                high.text, term.text
                            ),
                            format!(
                                "position {z}: '零' is wrong, no zero digit lies between '{}' and '{}'",
                                high.text, term.text
                            ),
                        ));
                    }
                    None if skipped > 0 && !matches!(q + 1, 0 | 4 | 8) => {
                        return Err(error(
                            format!(
                                "第{}个字符：“{}”与“{}”之间有零位，须写“零”",
                                term.at, high.text, term.text
                            ),
                            format!(
                                "position {}: '零' is missing between '{}' and '{}'",
                                term.at, high.text, term.text
                            ),
                        ));
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
        return Err(error(
            "“负”之后缺少金额".to_owned(),
            "no amount follows '负'".to_owned(),
        ));
    }
    let (terms, zero_yuan) = scan(body)?;
    check_zeros(&terms, zero_yuan)?;
    let value = value_of(&terms).ok_or_else(|| {
        error(
            "金额超出范围".to_owned(),
            "the amount is out of range".to_owned(),
        )
    })?;
    if negative {
        if value == 0 {
            return Err(error(
                "零金额不能带“负”".to_owned(),
                "a zero amount cannot be negative ('负')".to_owned(),
            ));
        }
        return value.checked_neg().ok_or_else(|| {
            error(
                "金额超出范围".to_owned(),
                "the amount is out of range".to_owned(),
            )
        });
    }
    Ok(value)
}

/// True when `text` is a correct spelling of `fen`.
pub fn spells(text: &str, fen: i64) -> bool {
    parse(text) == Ok(fen)
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
        assert!(e.message_en.contains("零"), "{e}");
        assert!(e.message_zh.contains("零"), "{e:?}");
        let e = parse("壹元 整").unwrap_err();
        assert!(e.message_en.contains("position 3"), "{e}");
        assert!(e.message_zh.contains("第3个字符"), "{e:?}");
        assert_eq!(e.to_string(), e.message_en);
        let e = parse("壹元陆分整").unwrap_err();
        assert!(e.message_en.contains("after 分"), "{e}");
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
