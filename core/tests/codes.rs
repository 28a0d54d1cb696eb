//! Check characters of party codes (spec §3): published examples, the
//! shared vectors, and single-substitution detection against independent
//! reference implementations written from the standards' definitions.

use std::path::PathBuf;

use piaoyan_core::codes::{mask_identity, org_code_is_valid, resident_id_is_valid, uscc_is_valid};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Reference implementations: weights from their closed forms, check
// characters found by search over the defining congruence.
// ---------------------------------------------------------------------------

const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const ORG_BODY_CHARS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ORG_CHECK_CHARS: &str = "0123456789X";
const ID_CHECK_CHARS: &str = "0123456789X";

fn pow_mod(base: u32, exp: u32, m: u32) -> u32 {
    (0..exp).fold(1, |acc, _| acc * base % m)
}

/// GB 32100: weight of position i is 3^i mod 31; the full weighted sum with
/// the check character (weight 1 in the congruence below) is 0 mod 31.
fn ref_uscc_check(body: &[u32]) -> char {
    let sum: u32 = body
        .iter()
        .enumerate()
        .map(|(i, v)| v * pow_mod(3, u32::try_from(i).unwrap(), 31))
        .sum();
    let v = (0..31).find(|v| (sum + v).is_multiple_of(31)).unwrap();
    USCC_CHARS.chars().nth(usize::try_from(v).unwrap()).unwrap()
}

fn uscc_values(code: &str) -> Option<Vec<u32>> {
    code.chars()
        .map(|c| USCC_CHARS.find(c).map(|v| u32::try_from(v).unwrap()))
        .collect()
}

fn ref_uscc_valid(code: &str) -> bool {
    match uscc_values(code) {
        Some(v) if v.len() == 18 => ref_uscc_check(&v[..17]) == code.chars().nth(17).unwrap(),
        _ => false,
    }
}

/// GB 11714: weight of position i is 2^(8-i) mod 11; C = 11 - (sum mod 11),
/// i.e. sum + C ≡ 0 (mod 11) with C in 1..=11.
fn ref_org_check(body: &[u32]) -> char {
    let sum: u32 = body
        .iter()
        .enumerate()
        .map(|(i, v)| v * pow_mod(2, 8 - u32::try_from(i).unwrap(), 11))
        .sum();
    match (1..=11).find(|c| (sum + c).is_multiple_of(11)).unwrap() {
        10 => 'X',
        11 => '0',
        c => char::from_digit(c, 10).unwrap(),
    }
}

fn org_values(body: &str) -> Option<Vec<u32>> {
    body.chars()
        .map(|c| ORG_BODY_CHARS.find(c).map(|v| u32::try_from(v).unwrap()))
        .collect()
}

fn ref_org_valid(code: &str) -> bool {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 9 {
        return false;
    }
    let body: String = chars[..8].iter().collect();
    match org_values(&body) {
        Some(v) => ref_org_check(&v) == chars[8],
        None => false,
    }
}

/// ISO 7064 MOD 11-2: Σ a_i·2^(17-i) over all 18 characters (X = 10)
/// is 1 mod 11.
fn ref_id_check(body: &[u32]) -> char {
    let sum: u32 = body
        .iter()
        .enumerate()
        .map(|(i, v)| v * pow_mod(2, 17 - u32::try_from(i).unwrap(), 11))
        .sum();
    let v = (0..=10).find(|v| (sum + v) % 11 == 1).unwrap();
    ID_CHECK_CHARS
        .chars()
        .nth(usize::try_from(v).unwrap())
        .unwrap()
}

fn ref_id_valid(id: &str) -> bool {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return false;
    }
    let body: Option<Vec<u32>> = chars[..17].iter().map(|c| c.to_digit(10)).collect();
    match body {
        Some(b) => ref_id_check(&b) == chars[17].to_ascii_uppercase(),
        None => false,
    }
}

// ---------------------------------------------------------------------------
// Published and hand-made examples
// ---------------------------------------------------------------------------

#[test]
fn reference_weights_match_the_standards() {
    let uscc: Vec<u32> = (0..17).map(|i| pow_mod(3, i, 31)).collect();
    assert_eq!(
        uscc,
        [
            1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
        ]
    );
    let org: Vec<u32> = (0..8).map(|i| pow_mod(2, 8 - i, 11)).collect();
    assert_eq!(org, [3, 7, 9, 10, 5, 8, 4, 2]);
    let id: Vec<u32> = (0..17).map(|i| pow_mod(2, 17 - i, 11)).collect();
    assert_eq!(id, [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]);
}

#[test]
fn uscc_examples() {
    for code in [
        "91350100M000100Y43", // commonly cited example
        "111101054391500058",
        "12340100317066905E",
        "53100000063608371U",
        "1234000029141777XA",
        "9111010567229331X7",
    ] {
        assert!(uscc_is_valid(code), "{code}");
        assert!(ref_uscc_valid(code), "{code}");
        // Characters 9-17 are the organisation code, with its own check.
        assert!(org_code_is_valid(&code[8..17]), "{code}");
    }
    for code in [
        "91350100M000100Y42",  // wrong check character
        "91350100M000100Y4",   // 17 characters
        "91350100M000100Y430", // 19 characters
        "91350100m000100Y43",  // lower case
        "91350100I000100Y43",  // I is not in the charset
        "91350100M000100Y4O",  // O is not in the charset
        "123401047F6625859G",  // bills 0056, 0113
        "",
        "９1350100M000100Y43", // full-width digit
    ] {
        assert!(!uscc_is_valid(code), "{code}");
    }
}

#[test]
fn org_code_examples() {
    for code in [
        "812415869",
        "M000100Y4",
        "29141777X",
        "67229331X",
        "53G698855",
    ] {
        assert!(org_code_is_valid(code), "{code}");
        assert!(ref_org_valid(code), "{code}");
    }
    // Check value 11 is written 0: 0000000 + body summing to 0 mod 11.
    assert!(org_code_is_valid("000000000"));
    for code in [
        "812415868",
        "M000100-Y4", // hyphenated form not accepted
        "m000100Y4",  // lower case
        "M000100Yx",  // lower-case check
        "81241586",   // 8 characters
        "8124158690", // 10 characters
        "8124158６9", // full-width digit
        "",
    ] {
        assert!(!org_code_is_valid(code), "{code}");
    }
}

#[test]
fn resident_id_examples() {
    // GB 11643-1999's own example, and others.
    for id in [
        "11010519491231002X",
        "11010519491231002x",
        "51010719541203848X",
        "340104198006155974",
    ] {
        assert!(resident_id_is_valid(id), "{id}");
        assert!(ref_id_valid(id), "{id}");
    }
    for id in [
        "110105194912310021",
        "11010519491231002Y",
        "1101051949123100X2",  // X only as the check character
        "11010519491231002",   // 17 characters
        "11010519491231002XX", // 19 characters
        "110105194912310０2X", // full-width digit
        "110108197412270843",  // bill 0068
        "440304200010081785",  // bill 0135
        "",
    ] {
        assert!(!resident_id_is_valid(id), "{id}");
    }
}

#[test]
fn masking() {
    assert_eq!(mask_identity("11010519491231002X"), "110105********002X");
    assert_eq!(mask_identity("110108197412270843"), "110108********0843");
    assert_eq!(mask_identity("12345678901"), "123456*8901");
    assert_eq!(mask_identity("1234567890"), "**********");
    assert_eq!(mask_identity("123"), "***");
    assert_eq!(mask_identity(""), "");
    assert_eq!(
        mask_identity("张三丰李四王五赵六钱七"),
        "张三丰李四王*赵六钱七"
    );
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

struct Bill {
    file: String,
    valid: bool,
    note: String,
    warnings: Vec<String>,
    xml: String,
}

fn bills() -> Vec<Bill> {
    let text = std::fs::read_to_string(bills_dir().join("manifest.json")).unwrap();
    let manifest: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    manifest
        .iter()
        .filter_map(|entry| {
            let file = entry["file"].as_str().unwrap().to_owned();
            let xml = std::fs::read_to_string(bills_dir().join(&file)).ok()?;
            Some(Bill {
                valid: entry["expect"]["verdict"] == "VALID",
                note: entry["note"].as_str().unwrap_or("").to_owned(),
                warnings: entry["warnings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| w.as_str().unwrap().to_owned())
                    .collect(),
                file,
                xml,
            })
        })
        .collect()
}

fn bill<'a>(all: &'a [Bill], file: &str) -> &'a Bill {
    all.iter().find(|b| b.file == file).unwrap()
}

#[test]
fn valid_bills_invoicing_party_codes() {
    let all = bills();
    let mut checked = 0;
    for b in all.iter().filter(|b| b.valid) {
        let code = element(&b.xml, "InvoicingPartyCode").unwrap();
        match code.chars().count() {
            18 => {
                assert!(uscc_is_valid(code), "{}: {code}", b.file);
                checked += 1;
            }
            9 => {
                assert!(org_code_is_valid(code), "{}: {code}", b.file);
                checked += 1;
            }
            _ => assert!(
                b.warnings.iter().any(|w| w == "PARTY_CODE_LENGTH"),
                "{}",
                b.file
            ),
        }
    }
    assert!(checked >= 60, "{checked}");
}

#[test]
fn wrong_credit_code_check_characters() {
    let all = bills();
    for file in ["bill-0056.xml", "bill-0113.xml"] {
        let b = bill(&all, file);
        assert!(b.note.contains("wrong GB 32100 check character"), "{file}");
        let code = element(&b.xml, "InvoicingPartyCode").unwrap();
        assert_eq!(code.len(), 18);
        assert!(!uscc_is_valid(code), "{file}: {code}");
    }
    // No other bill has a wrong invoicing party credit code.
    for b in &all {
        if let Some(code) = element(&b.xml, "InvoicingPartyCode")
            && code.len() == 18
            && !uscc_is_valid(code)
        {
            assert!(
                ["bill-0056.xml", "bill-0113.xml"].contains(&b.file.as_str()),
                "{}",
                b.file
            );
        }
    }
}

#[test]
fn payer_identity_numbers() {
    let all = bills();
    for file in ["bill-0068.xml", "bill-0135.xml"] {
        let b = bill(&all, file);
        let id = element(&b.xml, "PayerPartyCode").unwrap();
        assert_eq!(element(&b.xml, "PayerPartyType"), Some("1"));
        assert!(!resident_id_is_valid(id), "{file}: {id}");
    }
    let mut checked = 0;
    for b in all.iter().filter(|b| b.valid) {
        let (Some(kind), Some(code)) = (
            element(&b.xml, "PayerPartyType"),
            element(&b.xml, "PayerPartyCode"),
        ) else {
            continue;
        };
        if code.chars().count() != 18 {
            continue;
        }
        let flagged = b.warnings.iter().any(|w| w == "PAYER_ID_CHECK");
        match kind {
            "1" => {
                assert_eq!(resident_id_is_valid(code), !flagged, "{}: {code}", b.file);
                if !flagged {
                    checked += 1;
                }
            }
            // Organisations pay with their credit code.
            "2" => assert!(uscc_is_valid(code), "{}: {code}", b.file),
            _ => {}
        }
    }
    assert!(checked >= 50, "{checked}");
}

// ---------------------------------------------------------------------------
// Single-substitution detection
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Mod 31 with non-zero weights and 31 distinct values: every single
    /// substitution is detected.
    #[test]
    fn uscc_detects_every_substitution(body in prop::collection::vec(0..31u32, 17)) {
        let mut code: Vec<char> = body.iter().map(|&v| USCC_CHARS.chars().nth(v as usize).unwrap()).collect();
        code.push(ref_uscc_check(&body));
        let text: String = code.iter().collect();
        prop_assert!(uscc_is_valid(&text), "{}", text);
        for i in 0..18 {
            for c in USCC_CHARS.chars().filter(|&c| c != code[i]) {
                let mut m = code.clone();
                m[i] = c;
                let m: String = m.into_iter().collect();
                prop_assert!(!uscc_is_valid(&m), "{} accepted", m);
            }
        }
    }

    /// Mod 11 over values 0..=35: a substitution in the body is detected
    /// exactly when the two values differ by other than a multiple of 11
    /// (so always among digits); a changed check character always is.
    #[test]
    fn org_code_substitutions(body in prop::collection::vec(0..36u32, 8)) {
        let mut code: Vec<char> = body.iter().map(|&v| ORG_BODY_CHARS.chars().nth(v as usize).unwrap()).collect();
        code.push(ref_org_check(&body));
        let text: String = code.iter().collect();
        prop_assert!(org_code_is_valid(&text), "{}", text);
        for i in 0..8 {
            for (v, c) in ORG_BODY_CHARS.chars().enumerate() {
                if c == code[i] {
                    continue;
                }
                let mut m = code.clone();
                m[i] = c;
                let m: String = m.into_iter().collect();
                let same_class = (u32::try_from(v).unwrap() + 11 * 4 - body[i]).is_multiple_of(11);
                prop_assert_eq!(org_code_is_valid(&m), same_class, "{}", m);
                prop_assert_eq!(org_code_is_valid(&m), ref_org_valid(&m), "{}", m);
                if c.is_ascii_digit() && code[i].is_ascii_digit() {
                    prop_assert!(!org_code_is_valid(&m), "{}", m);
                }
            }
        }
        for c in ORG_CHECK_CHARS.chars().filter(|&c| c != code[8]) {
            let mut m = code.clone();
            m[8] = c;
            let m: String = m.into_iter().collect();
            prop_assert!(!org_code_is_valid(&m), "{}", m);
        }
    }

    /// ISO 7064 MOD 11-2 over digits: every single substitution is detected.
    #[test]
    fn resident_id_detects_every_substitution(body in prop::collection::vec(0..10u32, 17)) {
        let mut id: Vec<char> = body.iter().map(|&v| char::from_digit(v, 10).unwrap()).collect();
        id.push(ref_id_check(&body));
        let text: String = id.iter().collect();
        prop_assert!(resident_id_is_valid(&text), "{}", text);
        prop_assert!(resident_id_is_valid(&text.to_lowercase()), "{}", text);
        for i in 0..18 {
            let alphabet = if i == 17 { ID_CHECK_CHARS } else { "0123456789" };
            for c in alphabet.chars().filter(|&c| c != id[i]) {
                let mut m = id.clone();
                m[i] = c;
                let m: String = m.into_iter().collect();
                prop_assert!(!resident_id_is_valid(&m), "{} accepted", m);
            }
        }
    }

    /// Arbitrary text: never panics, agrees with the references.
    #[test]
    fn any_text_agrees_with_references(text in "[0-9A-Zx\\-]{0,20}|\\PC{0,20}") {
        prop_assert_eq!(uscc_is_valid(&text), ref_uscc_valid(&text));
        prop_assert_eq!(org_code_is_valid(&text), ref_org_valid(&text));
        prop_assert_eq!(resident_id_is_valid(&text), ref_id_valid(&text));
        let masked = mask_identity(&text);
        prop_assert_eq!(masked.chars().count(), text.chars().count());
    }

    #[test]
    fn masking_keeps_six_and_four(id in "\\PC{11,30}") {
        let chars: Vec<char> = id.chars().collect();
        let masked: Vec<char> = mask_identity(&id).chars().collect();
        let n = chars.len();
        prop_assert_eq!(masked.len(), n);
        prop_assert_eq!(&masked[..6], &chars[..6]);
        prop_assert_eq!(&masked[n - 4..], &chars[n - 4..]);
        prop_assert!(masked[6..n - 4].iter().all(|&c| c == '*'));
    }
}
