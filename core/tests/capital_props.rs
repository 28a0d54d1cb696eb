//! Capital amounts (大写金额, spec §7): examples, shared vectors, and
//! properties checked against an independent reference that lists every
//! valid spelling of an amount.

use std::collections::BTreeSet;
use std::path::PathBuf;

use piaoyan_core::capital::{parse, spell, spells};
use proptest::prelude::*;

/// Amounts must stay below 10^12 yuan.
const LIMIT: i64 = 100_000_000_000_000;

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];

// ---------------------------------------------------------------------------
// Reference: every valid spelling of an amount, written straight from the
// rules (not from the parser's state machine).
// ---------------------------------------------------------------------------

/// Non-zero digits of `abs` fen as (digit, position), highest first;
/// position 0 is 元, -1 角, -2 分.
fn terms_of(abs: u64) -> Vec<(u64, i32)> {
    (-2..=11)
        .rev()
        .filter_map(|pos: i32| {
            let place = 10u64.pow(u32::try_from(pos + 2).unwrap());
            let d = (abs / place) % 10;
            (d != 0).then_some((d, pos))
        })
        .collect()
}

fn unit_of(pos: i32) -> &'static str {
    match pos {
        -2 => "分",
        -1 => "角",
        p => ["", "拾", "佰", "仟"][usize::try_from(p % 4).unwrap()],
    }
}

fn text_of((d, pos): (u64, i32)) -> String {
    format!("{}{}", DIGITS[usize::try_from(d).unwrap()], unit_of(pos))
}

/// 零 choices between written digits at positions p > q.
fn zero_choices(p: i32, q: i32) -> Vec<String> {
    let skipped = p - q - 1;
    if skipped == 0 {
        vec![String::new()]
    } else if matches!(q + 1, 0 | 4 | 8) {
        vec![String::new(), "零".to_owned()]
    } else {
        vec!["零".to_owned()]
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn product(parts: &[Vec<String>]) -> Vec<String> {
    let mut acc = vec![String::new()];
    for choices in parts {
        let mut next = Vec::with_capacity(acc.len() * choices.len());
        for prefix in &acc {
            for c in choices {
                next.push(format!("{prefix}{c}"));
            }
        }
        acc = next;
    }
    acc
}

fn all_spellings(fen: i64) -> BTreeSet<String> {
    assert!(fen.abs() < LIMIT, "reference covers |fen| < 10^14 only");
    let abs = fen.unsigned_abs();
    let terms = terms_of(abs);
    let mut out = BTreeSet::new();
    for cur in ["元", "圆"] {
        let mut forms: Vec<Vec<Vec<String>>> = Vec::new();
        let has_integer = terms.first().is_some_and(|t| t.1 >= 0);
        if has_integer {
            let mut parts: Vec<Vec<String>> = Vec::new();
            for (k, &t) in terms.iter().enumerate() {
                let (d, p) = t;
                if k == 0 && d == 1 && p % 4 == 1 {
                    parts.push(vec![text_of(t), "拾".to_owned()]);
                } else {
                    parts.push(vec![text_of(t)]);
                }
                let q = terms.get(k + 1).map_or(-3, |n| n.1);
                let mut words = String::new();
                if p >= 8 && q < 8 {
                    words.push('亿');
                }
                if (4..8).contains(&p) && q < 4 {
                    words.push('万');
                }
                if p >= 0 && q < 0 {
                    words.push_str(cur);
                }
                parts.push(vec![words]);
                if k + 1 < terms.len() {
                    parts.push(zero_choices(p, q));
                }
            }
            forms.push(parts);
        } else if terms.is_empty() {
            forms.push(vec![vec![format!("零{cur}")]]);
        } else {
            // Bare 角/分 part, or 零元 in front of it.
            let body: Vec<Vec<String>> = terms.iter().map(|&t| vec![text_of(t)]).collect();
            forms.push(body.clone());
            let first_zero = if terms[0].1 == -2 {
                strings(&["", "零"])
            } else {
                strings(&[""])
            };
            let mut prefixed = vec![vec![format!("零{cur}")], first_zero];
            prefixed.extend(body);
            forms.push(prefixed);
        }
        let last = terms.last().map_or(0, |t| t.1);
        let suffix = if last >= -1 {
            strings(&["", "整", "正"])
        } else {
            strings(&[""])
        };
        for mut parts in forms {
            parts.push(suffix.clone());
            if fen < 0 {
                parts.insert(0, strings(&["负"]));
            }
            out.extend(product(&parts));
        }
    }
    out
}

/// Asserts that an accepted text is one of the reference spellings of its value.
fn assert_sound(text: &str) {
    if let Ok(value) = parse(text) {
        assert!(
            value.abs() < LIMIT && all_spellings(value).contains(text),
            "{text:?} was accepted as {value} but is not a valid spelling of it"
        );
    }
}

fn fen_of_decimal(s: &str) -> i64 {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    assert!(frac.len() <= 2, "{s}");
    let frac = format!("{frac:0<2}");
    int.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

// ---------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------

#[test]
fn reference_sanity() {
    let s = all_spellings(10_700_053);
    for text in [
        "壹拾万柒仟元零伍角叁分",
        "壹拾万零柒仟元伍角叁分",
        "壹拾万柒仟元伍角叁分",
        "拾万零柒仟圆零伍角叁分",
    ] {
        assert!(s.contains(text), "{text}");
    }
    assert_eq!(
        all_spellings(1_000_506),
        ["壹万零伍元零陆分", "壹万零伍圆零陆分"]
            .into_iter()
            .map(String::from)
            .collect()
    );
    assert_eq!(all_spellings(0).len(), 6);
    assert!(all_spellings(6).contains("零元零陆分"));
    assert!(all_spellings(-50).contains("负伍角整"));
}

#[test]
fn spec_examples() {
    assert!(spells("捌佰柒拾叁元陆角", 87_360));
    assert!(spells("捌佰柒拾叁圆陆角整", 87_360));
    assert!(spells("壹元整", 100));
    assert!(spells("壹万零伍元零陆分", 1_000_506));
    assert!(spells("伍角", 50));
}

#[test]
fn pboc_examples() {
    for (text, fen) in [
        ("壹仟陆佰捌拾元零叁角贰分", 168_032),
        ("壹仟陆佰捌拾元叁角贰分", 168_032),
        ("壹拾万柒仟元零伍角叁分", 10_700_053),
        ("壹拾万零柒仟元伍角叁分", 10_700_053),
        ("壹佰万元伍角", 100_000_050),
        ("壹佰万元零伍角", 100_000_050),
        ("壹万零伍元零陆分", 1_000_506),
        ("壹拾万零柒佰元", 10_070_000),
        ("壹仟零伍元", 100_500),
    ] {
        assert_eq!(parse(text), Ok(fen), "{text}");
    }
}

/// Hand-written right spellings.
const RIGHT: &[(&str, i64)] = &[
    ("捌佰柒拾叁元陆角", 87_360),
    ("捌佰柒拾叁圆陆角整", 87_360),
    ("壹元整", 100),
    ("壹元正", 100),
    ("壹元", 100),
    ("壹圆", 100),
    ("伍角", 50),
    ("伍角整", 50),
    ("陆分", 6),
    ("伍角陆分", 56),
    ("零元伍角", 50),
    ("零圆伍角正", 50),
    ("零元零陆分", 6),
    ("零元陆分", 6),
    ("零元整", 0),
    ("零元", 0),
    ("零圆整", 0),
    ("壹元零陆分", 106),
    ("拾元", 1_000),
    ("壹拾元整", 1_000),
    ("拾伍万元", 15_000_000),
    ("壹拾伍万元整", 15_000_000),
    ("拾亿元", 100_000_000_000),
    ("负壹元整", -100),
    ("负伍角", -50),
    ("负拾元", -1_000),
    ("壹万元整", 1_000_000),
    ("壹亿元", 10_000_000_000),
    ("壹亿壹仟万元", 11_000_000_000),
    ("壹亿零伍佰元整", 10_000_050_000),
    ("壹亿伍仟元", 10_000_500_000),
    ("壹亿零伍仟元", 10_000_500_000),
    ("壹亿零伍万元", 10_005_000_000),
    ("壹仟万零壹元", 1_000_000_100),
    ("壹拾元玖角伍分", 1_095),
    ("陆佰元贰角贰分", 60_022),
    ("陆佰元零贰角贰分", 60_022),
    ("壹佰元零陆分", 10_006),
    ("贰仟零壹拾元零伍分", 201_005),
    (
        "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        99_999_999_999_999,
    ),
];

/// Hand-written wrong spellings of the given amount.
const WRONG: &[(&str, i64)] = &[
    ("壹元陆分", 106),                         // 零 required before 分
    ("壹万伍元零陆分", 1_000_506),             // 零 required after 万
    ("壹万零伍元陆分", 1_000_506),             // 零 required before 分
    ("壹拾万柒佰元", 10_070_000),              // 零 required
    ("壹仟伍元", 100_500),                     // 零 required
    ("壹佰元陆分", 10_006),                    // 零 required
    ("壹亿伍佰元", 10_000_050_000),            // 零 required
    ("壹亿伍万元", 10_005_000_000),            // 零 required
    ("壹仟零零伍元", 100_500),                 // double 零
    ("壹万零零伍元", 1_000_500),               // double 零
    ("壹元零陆分整", 106),                     // 整 after 分
    ("伍角陆分整", 56),                        // 整 after 分
    ("壹佰元伍角零", 10_050),                  // trailing 零
    ("壹拾零万柒仟元", 10_700_000),            // 零 before 万
    ("壹仟零万元", 10_000_000),                // 零 before 万
    ("壹拾零元", 1_000),                       // 零 before 元
    ("壹元零伍角", 150),                       // no zero position skipped
    ("壹拾零伍元", 1_500),                     // no zero position skipped
    ("零伍角", 50),                            // 零 first
    ("零元零伍角", 50),                        // no zero position skipped
    ("壹拾壹佰元", 1_110),                     // units out of order
    ("壹佰壹仟元", 110_000),                   // units out of order
    ("伍分陆角", 65),                          // 分 before 角
    ("壹元壹元", 200),                         // two 元
    ("壹万万元", 10_000_000_000),              // 万万
    ("壹万亿元", 100_000_000_000_000),         // 万亿 unsupported
    ("壹万壹亿元", 10_001_000_000),            // sections out of order
    ("人民币壹元整", 100),                     // prefix
    ("壹元整。", 100),                         // trailing garbage
    ("壹元整整", 100),                         // trailing garbage
    ("壹元 整", 100),                          // space
    ("1元整", 100),                            // Arabic digit
    ("一元整", 100),                           // lower-case numeral
    ("两元整", 200),                           // 两
    ("整", 0),                                 // no amount
    ("", 0),                                   // empty
    ("负", 0),                                 // no amount
    ("负零元整", 0),                           // negative zero
    ("负负壹元", 100),                         // 负 twice
    ("壹佰", 10_000),                          // missing 元
    ("元整", 0),                               // no amount
    ("佰元", 10_000),                          // bare 佰
    ("壹佰拾元", 11_000),                      // bare 拾 not first
    ("壹拾拾元", 2_000),                       // two units
    ("壹圆元", 100),                           // two currencies
    ("壹元伍", 150),                           // digit after 元 without 角
    ("伍角壹元", 150),                         // 角 before 元
    ("壹佰伍角", 10_050),                      // missing 元
    ("伍角零陆分", 56),                        // no zero position skipped
    ("壹仟陆佰捌拾元叁角叁分", 168_032),       // wrong digit
    ("壹拾元整", 5_000),                       // wrong amount (bill 0081)
    ("贰仟叁佰壹拾肆元玖角", 251_490),         // wrong amount (bill 0031)
    ("壹仟玖佰捌拾叁元伍角捌分", 197_358),     // vector bill 0018
    ("肆仟壹佰叁拾玖元贰角壹分", 313_921),     // vector bill 0024
    ("壹拾贰万柒仟壹佰柒拾壹元整", 1_271_710), // vector bill 0086
];

#[test]
fn right_spellings_are_accepted() {
    for &(text, fen) in RIGHT {
        assert_eq!(parse(text), Ok(fen), "{text}");
        assert!(spells(text, fen), "{text}");
        assert!(all_spellings(fen).contains(text), "reference: {text}");
    }
}

#[test]
fn wrong_spellings_are_rejected() {
    for &(text, fen) in WRONG {
        assert!(!spells(text, fen), "{text} accepted for {fen}");
        if fen.abs() < LIMIT {
            assert!(!all_spellings(fen).contains(text), "reference: {text}");
        }
        assert_sound(text);
        if let Err(e) = parse(text) {
            assert!(!e.message().en.is_empty() && !e.message().zh.is_empty());
            assert_eq!(e.to_string(), e.message().en);
        }
    }
    // Of these, only a wrong digit or a wrong amount parses at all.
    for text in [
        "壹仟陆佰捌拾元叁角叁分",
        "壹拾元整",
        "贰仟叁佰壹拾肆元玖角",
        "壹仟玖佰捌拾叁元伍角捌分",
        "肆仟壹佰叁拾玖元贰角壹分",
        "壹拾贰万柒仟壹佰柒拾壹元整",
    ] {
        assert!(parse(text).is_ok(), "{text}");
    }
    let malformed = WRONG.iter().filter(|(t, _)| parse(t).is_err()).count();
    assert_eq!(malformed, WRONG.len() - 6);
}

#[test]
fn shared_vector_mismatches_are_rejected() {
    assert!(!spells("壹仟玖佰捌拾叁元伍角捌分", 197_358));
    assert!(!spells("肆仟壹佰叁拾玖元贰角壹分", 313_921));
    assert!(!spells("壹拾贰万柒仟壹佰柒拾壹元整", 1_271_710));
}

// ---------------------------------------------------------------------------
// Shared vectors
// ---------------------------------------------------------------------------

fn bills_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/bills")
}

fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let len = xml[start..].find(&close)?;
    Some(xml[start..start + len].trim())
}

fn manifest() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(bills_dir().join("manifest.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn valid_bills_capitals_are_accepted() {
    let mut checked = 0;
    for entry in manifest() {
        let file = entry["file"].as_str().unwrap();
        let verdict = entry["expect"]["verdict"].as_str().unwrap();
        let note = entry["note"].as_str().unwrap_or("");
        let Ok(xml) = std::fs::read_to_string(bills_dir().join(file)) else {
            continue; // not UTF-8 (a FORMAT_FAILURE case)
        };
        let (Some(total), Some(capital)) = (
            element(&xml, "TotalAmount"),
            element(&xml, "TotalAmountCapital"),
        ) else {
            continue;
        };
        let fen = fen_of_decimal(total);
        if verdict == "VALID" {
            assert_eq!(parse(capital), Ok(fen), "{file}: {capital} for {total}");
            assert!(all_spellings(fen).contains(capital), "{file}");
            checked += 1;
        }
        if note.contains("does not spell TotalAmount") {
            assert!(!spells(capital, fen), "{file}: {capital} for {total}");
        }
    }
    assert!(checked >= 60, "only {checked} valid bills checked");
}

// ---------------------------------------------------------------------------
// Exhaustive checks
// ---------------------------------------------------------------------------

#[test]
fn exhaustive_round_trip() {
    for fen in 0..=20_000i64 {
        assert_eq!(parse(&spell(fen)), Ok(fen), "{fen}");
        assert_eq!(parse(&spell(-fen)), Ok(-fen), "{}", -fen);
    }
    for fen in (20_001..=2_000_000i64).step_by(7) {
        assert_eq!(parse(&spell(fen)), Ok(fen), "{fen}");
    }
    for fen in [
        99_999_999_999_999,
        -99_999_999_999_999,
        10_000_000_000_001,
        10_000_000_000_000,
    ] {
        assert_eq!(parse(&spell(fen)), Ok(fen), "{fen}");
    }
}

#[test]
fn exhaustive_variants_small_amounts() {
    for fen in 0..=3_000i64 {
        let all = all_spellings(fen);
        assert!(all.contains(&spell(fen)), "{fen}");
        for text in &all {
            assert_eq!(parse(text), Ok(fen), "{text}");
        }
    }
}

/// Checks every string of up to `max_len` characters over `alphabet`: the
/// parser accepts exactly the reference spellings among them. `amounts` must
/// hold every amount that has such a spelling.
fn check_all_strings(alphabet: &str, max_len: usize, amounts: &BTreeSet<i64>) {
    let alphabet: Vec<char> = alphabet.chars().collect();
    let mut accepted = 0usize;
    let mut current: Vec<String> = vec![String::new()];
    for _ in 0..max_len {
        let mut next = Vec::with_capacity(current.len() * alphabet.len());
        for prefix in &current {
            for &c in &alphabet {
                let mut s = prefix.clone();
                s.push(c);
                if parse(&s).is_ok() {
                    accepted += 1;
                }
                assert_sound(&s);
                next.push(s);
            }
        }
        current = next;
    }
    // Completeness: every reference spelling that is short enough and uses
    // only the alphabet was accepted.
    let mut expected = 0usize;
    for &fen in amounts {
        expected += all_spellings(fen)
            .iter()
            .filter(|s| s.chars().count() <= max_len && s.chars().all(|c| alphabet.contains(&c)))
            .inspect(|s| assert_eq!(parse(s), Ok(fen), "{s}"))
            .count();
    }
    assert!(expected > 0);
    assert_eq!(accepted, expected);
}

/// Amounts with at most `max_digits` non-zero digits, taken from `digits`.
fn amounts_with(max_digits: usize, digits: &[i64]) -> BTreeSet<i64> {
    let mut set = BTreeSet::from([0i64]);
    for _ in 0..max_digits {
        let mut more = set.clone();
        for &base in &set {
            for pos in 0..14u32 {
                let place = 10i64.pow(pos);
                if (base / place) % 10 == 0 {
                    for &d in digits {
                        more.insert(base + d * place);
                    }
                }
            }
        }
        set = more;
    }
    let negatives: Vec<i64> = set.iter().map(|v| -v).collect();
    set.extend(negatives);
    set
}

/// Every string of up to four characters over the whole alphabet. Such a
/// spelling has at most two non-zero digits (each costs a character, and so
/// does 元/角/分).
#[test]
fn exhaustive_short_strings() {
    check_all_strings(ALPHABET, 4, &amounts_with(2, &[1, 2, 3, 4, 5, 6, 7, 8, 9]));
}

/// Every string of up to five characters over a smaller alphabet (at most
/// three non-zero digits: 拾壹元伍角).
#[test]
fn exhaustive_five_char_strings() {
    check_all_strings("零壹伍拾仟万亿元角分整负", 5, &amounts_with(3, &[1, 5]));
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

/// Amounts with many zero digits, where the 零 rules matter.
fn sparse_amount() -> impl Strategy<Value = i64> {
    (
        prop::collection::vec(prop_oneof![3 => Just(0i64), 2 => 1..=9i64], 14),
        any::<bool>(),
    )
        .prop_map(|(digits, negative)| {
            let abs = digits.iter().fold(0i64, |acc, d| acc * 10 + d);
            if negative { -abs } else { abs }
        })
}

fn amount() -> impl Strategy<Value = i64> {
    prop_oneof![
        0..LIMIT,
        (1 - LIMIT)..0,
        sparse_amount(),
        0i64..1_000,
        -1_000i64..0,
    ]
}

#[derive(Clone, Debug)]
enum Mutation {
    ReplaceDigit(usize, usize),
    Drop(usize),
    DuplicateZero(usize),
    SwapChars(usize),
    SwapGroups(usize),
    Insert(usize, usize),
    Replace(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = any::<usize>();
    prop_oneof![
        (i, 0..10usize).prop_map(|(a, b)| Mutation::ReplaceDigit(a, b)),
        i.prop_map(Mutation::Drop),
        i.prop_map(Mutation::DuplicateZero),
        i.prop_map(Mutation::SwapChars),
        i.prop_map(Mutation::SwapGroups),
        (i, 0..22usize).prop_map(|(a, b)| Mutation::Insert(a, b)),
        (i, 0..22usize).prop_map(|(a, b)| Mutation::Replace(a, b)),
    ]
}

const ALPHABET: &str = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正负";

/// Splits into digit+unit groups (壹仟, 伍角) and single characters.
fn groups(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if DIGITS[1..].contains(&c) && next.is_some_and(|n| "拾佰仟角分".contains(n)) {
            out.push(format!("{c}{}", next.unwrap_or(' ')));
            i += 2;
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

fn mutate(s: &str, m: &Mutation) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let alphabet: Vec<char> = ALPHABET.chars().collect();
    match *m {
        Mutation::ReplaceDigit(i, d) => {
            let digit_at: Vec<usize> = (0..n).filter(|&k| DIGITS.contains(&chars[k])).collect();
            if !digit_at.is_empty() {
                let k = digit_at[i % digit_at.len()];
                chars[k] = DIGITS[d];
            }
        }
        Mutation::Drop(i) => {
            if n > 0 {
                chars.remove(i % n);
            }
        }
        Mutation::DuplicateZero(i) => {
            let zero_at: Vec<usize> = (0..n).filter(|&k| chars[k] == '零').collect();
            if zero_at.is_empty() {
                chars.insert(i % (n + 1), '零');
            } else {
                chars.insert(zero_at[i % zero_at.len()], '零');
            }
        }
        Mutation::SwapChars(i) => {
            if n >= 2 {
                chars.swap(i % (n - 1), i % (n - 1) + 1);
            }
        }
        Mutation::SwapGroups(i) => {
            let mut g = groups(s);
            if g.len() >= 2 {
                let k = i % (g.len() - 1);
                g.swap(k, k + 1);
            }
            return g.concat();
        }
        Mutation::Insert(i, c) => chars.insert(i % (n + 1), alphabet[c]),
        Mutation::Replace(i, c) => {
            if n > 0 {
                chars[i % n] = alphabet[c];
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn spell_round_trips(fen in amount()) {
        let text = spell(fen);
        prop_assert_eq!(parse(&text), Ok(fen), "{}", text);
        prop_assert!(spells(&text, fen));
        prop_assert!(all_spellings(fen).contains(&text), "{}", text);
    }

    #[test]
    fn every_variant_parses(fen in amount()) {
        for text in all_spellings(fen) {
            prop_assert_eq!(parse(&text), Ok(fen), "{}", text);
        }
    }

    /// A mutated spelling parses to an amount only when it is a valid
    /// spelling of that amount; in particular it never parses to the
    /// original amount unless it is itself a valid spelling of it.
    #[test]
    fn mutations_are_caught(fen in amount(), pick in any::<usize>(), m in mutation(), m2 in mutation()) {
        let variants: Vec<String> = all_spellings(fen).into_iter().collect();
        let base = variants[pick % variants.len()].clone();
        let once = mutate(&base, &m);
        let twice = mutate(&once, &m2);
        for text in [&once, &twice] {
            match parse(text) {
                Ok(value) => {
                    prop_assert!(
                        value.abs() < LIMIT && all_spellings(value).contains(text.as_str()),
                        "{:?} (from {:?}) accepted as {}", text, base, value
                    );
                    if value == fen {
                        prop_assert!(variants.contains(text));
                    }
                }
                Err(e) => {
                    prop_assert!(!variants.contains(text), "{:?} rejected: {}", text, e);
                }
            }
        }
    }

    #[test]
    fn random_strings_over_the_alphabet(picks in prop::collection::vec(0..22usize, 1..16)) {
        let alphabet: Vec<char> = ALPHABET.chars().collect();
        let text: String = picks.iter().map(|&i| alphabet[i]).collect();
        assert_sound(&text);
    }

    #[test]
    fn any_text_is_handled(text in any::<String>()) {
        assert_sound(&text);
    }
}
