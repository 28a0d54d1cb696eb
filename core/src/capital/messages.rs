//! The words of every [`CapitalError`]: one table, Chinese and English.

#[allow(unused_imports)]
use crate::prelude::*;

use super::{CapitalError, MAX_CHARS};
use crate::report::Message;

fn unit_name_zh(offset: u8) -> &'static str {
    match offset {
        1 => "拾位",
        2 => "佰位",
        3 => "仟位",
        _ => "个位",
    }
}

/// What is wrong with a character that is no character of capital amounts.
fn bad_char_hint(ch: char) -> (&'static str, &'static str) {
    if ch.is_ascii_digit() {
        ("不得使用阿拉伯数字", "Arabic digits are not allowed")
    } else if ch.is_whitespace() {
        ("不得含有空白", "spaces are not allowed")
    } else if matches!(
        ch,
        '〇' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千'
    ) {
        (
            "须用大写数字零壹贰叁肆伍陆柒捌玖拾佰仟",
            "use the capital numerals 零壹贰叁肆伍陆柒捌玖拾佰仟, not lower-case ones",
        )
    } else if ch == '两' {
        ("“两”不得使用，应写“贰”", "write 贰, not 两")
    } else {
        ("不是大写金额用字", "not a character of capital amounts")
    }
}

impl CapitalError {
    /// The reason in Chinese and English.
    pub fn message(&self) -> Message {
        use CapitalError as E;
        let (zh, en) = match self {
            E::Empty => (
                "大写金额为空".to_owned(),
                "the capital amount is empty".to_owned(),
            ),
            E::TooLong => (
                format!("大写金额过长（超过{MAX_CHARS}个字符）"),
                format!("the capital amount is too long (more than {MAX_CHARS} characters)"),
            ),
            E::BadChar { ch, at } => {
                let (hint_zh, hint_en) = bad_char_hint(*ch);
                (
                    format!("第{at}个字符“{ch}”无效：{hint_zh}"),
                    format!("invalid character '{ch}' at position {at}: {hint_en}"),
                )
            }
            E::NegNotFirst { at } => (
                format!("第{at}个字符“负”只能出现在开头"),
                format!("'负' at position {at} may only be the first character"),
            ),
            E::LeadingZero { at } => (
                format!("第{at}个字符：金额不能以“零”开头（“零元”除外）"),
                format!("position {at}: an amount cannot start with '零' (except '零元')"),
            ),
            E::DoubleZero { at, next } => (
                format!("第{at}、{next}个字符：“零”不能连写两个"),
                format!("positions {at} and {next}: two '零' in a row (zeros collapse to one 零)"),
            ),
            E::ZeroBeforeNonDigit { at, next } => (
                format!("第{at}个字符“零”后须紧跟非零数字，而不是“{next}”"),
                format!("'零' at position {at} must be followed by a non-zero digit, not '{next}'"),
            ),
            E::TrailingZero { at } => (
                format!("第{at}个字符：金额不能以“零”结尾"),
                format!("position {at}: an amount cannot end with '零'"),
            ),
            E::YuanMissingBefore { at, text } => (
                format!("第{at}个字符：“{text}”之前缺少“元”"),
                format!("position {at}: '元' is missing before '{text}'"),
            ),
            E::FractionOrder { at, text, last } => (
                format!("第{at}个字符：“{text}”不能出现在“{last}”之后"),
                format!("position {at}: '{text}' cannot follow '{last}' (order is 角 then 分)"),
            ),
            E::UnitFirst { at, ch } => (
                format!("第{at}个字符：“{ch}”前缺少数字"),
                format!("position {at}: a digit is missing before '{ch}'"),
            ),
            E::UnitMisplaced { at, ch, after_unit } => {
                let (detail_zh, detail_en) = if *after_unit {
                    ("单位不能连写", "two units in a row")
                } else {
                    (
                        "单位须紧跟在非零数字之后（只有开头的“拾”可以省略“壹”）",
                        "a unit must directly follow a non-zero digit (only a leading 拾 may omit 壹)",
                    )
                };
                (
                    format!("第{at}个字符“{ch}”：{detail_zh}"),
                    format!("'{ch}' at position {at}: {detail_en}"),
                )
            }
            E::SectionAfterYuan { at, ch } => (
                format!("第{at}个字符“{ch}”不能出现在元、角、分之后"),
                format!("'{ch}' at position {at} cannot come after 元, 角 or 分"),
            ),
            E::WanYi { at } => (
                format!("第{at}个字符：不支持万亿及以上的金额"),
                format!("position {at}: amounts of 万亿 (10^12 yuan) and more are not supported"),
            ),
            E::NoDigitBefore { at, ch } => (
                format!("第{at}个字符“{ch}”前须有非零数字"),
                format!("'{ch}' at position {at} must directly follow a non-zero digit"),
            ),
            E::SectionRepeated { at, ch } => (
                format!("第{at}个字符：“{ch}”重复"),
                format!("position {at}: '{ch}' is repeated"),
            ),
            E::SectionOrder { at, ch, last } => (
                format!("第{at}个字符：“{ch}”不能出现在“{last}”之后（不支持万亿及以上）"),
                format!(
                    "position {at}: '{ch}' cannot follow '{last}' (amounts of 万亿 and more are not supported)"
                ),
            ),
            E::YuanMisplaced { at, ch } => (
                format!("第{at}个字符“{ch}”位置不对：元只能出现一次，且在角、分之前"),
                format!("'{ch}' at position {at} is misplaced: 元 comes once, before 角 and 分"),
            ),
            E::YuanWithoutAmount { at, ch } => (
                format!("第{at}个字符“{ch}”前缺少金额"),
                format!("'{ch}' at position {at} has no amount before it"),
            ),
            E::ZhengNotLast { at, ch } => (
                format!("第{at}个字符“{ch}”只能在末尾"),
                format!("'{ch}' at position {at} may only end the amount"),
            ),
            E::ZhengAfterFen { at, ch } => (
                format!("第{at}个字符：“分”之后不得写“{ch}”"),
                format!("position {at}: '{ch}' is not allowed after 分"),
            ),
            E::ZhengMisplaced { at, ch } => (
                format!("第{at}个字符：“{ch}”只能写在“元”或“角”之后"),
                format!("position {at}: '{ch}' may only follow 元 or 角"),
            ),
            E::YuanMissing => (
                "整数部分末尾缺少“元”".to_owned(),
                "'元' is missing at the end of the integer part".to_owned(),
            ),
            E::DigitAfterYuan { at, text } => (
                format!("第{at}个字符：元、角、分之后的数字须带“角”或“分”（“{text}”）"),
                format!(
                    "position {at}: a digit after 元, 角 or 分 must be followed by 角 or 分 ('{text}')"
                ),
            ),
            E::UnitsIncrease {
                at,
                text,
                offset,
                last,
                last_offset,
            } => (
                format!(
                    "第{at}个字符：“{text}”（{}）不能出现在“{last}”（{}）之后，单位须从高到低",
                    unit_name_zh(*offset),
                    unit_name_zh(*last_offset)
                ),
                format!("position {at}: '{text}' cannot follow '{last}' (units must decrease)"),
            ),
            E::NothingAfterNeg => (
                "“负”之后缺少金额".to_owned(),
                "no amount follows '负'".to_owned(),
            ),
            E::OutOfRange => (
                "金额超出范围".to_owned(),
                "the amount is out of range".to_owned(),
            ),
            E::NegativeZero => (
                "零金额不能带“负”".to_owned(),
                "a zero amount cannot be negative ('负')".to_owned(),
            ),
            E::ZeroBeforeFirst { at, text } => (
                format!("第{at}个字符：“{text}”前不应有“零”"),
                format!("position {at}: no '零' may stand before '{text}'"),
            ),
            E::TermOrder { at, text, high } => (
                format!("第{at}个字符：“{text}”不能出现在“{high}”之后"),
                format!("position {at}: '{text}' cannot follow '{high}'"),
            ),
            E::ZeroWithoutGap { at, high, text } => (
                format!("第{at}个字符：“{high}”与“{text}”之间没有零位，不应写“零”"),
                format!(
                    "position {at}: '零' is wrong, no zero digit lies between '{high}' and '{text}'"
                ),
            ),
            E::ZeroMissing { at, high, text } => (
                format!("第{at}个字符：“{high}”与“{text}”之间有零位，须写“零”"),
                format!("position {at}: '零' is missing between '{high}' and '{text}'"),
            ),
        };
        Message { zh, en }
    }
}
