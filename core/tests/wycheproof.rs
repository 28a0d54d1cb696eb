//! Project Wycheproof ECDSA P-256 / SHA-256 vectors through the pki layer:
//! `PublicKey::from_sec1` + `decode_signature` + `PublicKey::verify`.
//!
//! Policy for `acceptable` results: the verifier is strict (DER only for
//! DER-encoded values, r and s in [1, n-1], high-S accepted as FIPS 186-4
//! does). [`acceptable_expectation`] says, by flag, what the outcome must be;
//! an `acceptable` case with a flag not in the table fails the test, so a
//! new vector file forces a decision. The vendored files (testvectors_v1)
//! currently hold no `acceptable` case.

use std::collections::BTreeMap;
use std::path::PathBuf;

use piaoyan_core::pki::{KeyAlgorithm, PublicKey, SignatureError, decode_signature};
use serde::Deserialize;

#[derive(Deserialize)]
struct VectorFile {
    #[serde(rename = "numberOfTests")]
    number_of_tests: usize,
    #[serde(rename = "testGroups")]
    test_groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Group {
    #[serde(rename = "publicKey")]
    public_key: Key,
    sha: String,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
struct Key {
    curve: String,
    uncompressed: String,
}

#[derive(Deserialize)]
struct Case {
    #[serde(rename = "tcId")]
    tc_id: u32,
    comment: String,
    msg: String,
    sig: String,
    result: String,
    flags: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Accepted,
    /// Rejected by `decode_signature` (Malformed).
    RejectedDecode,
    /// Decoded, rejected by `verify` (Invalid).
    RejectedVerify,
    /// The public key itself was rejected.
    RejectedKey,
}

/// What an `acceptable` case must give, by flag. `None`: no decision yet
/// (the test fails and asks for one).
fn acceptable_expectation(flags: &[String]) -> Option<bool /* accepted */> {
    let mut verdict = None;
    for flag in flags {
        let accepted = match flag.as_str() {
            // Alternative BER encodings, missing or extra zeros: strict DER
            // says no.
            "BerEncodedSignature" | "MissingZero" | "InvalidEncoding" | "SignatureSize" => false,
            // Mathematically valid signatures with unusual values (small r
            // and s, s > n/2, edge-case keys): FIPS 186-4 accepts them.
            "SmallRandS"
            | "EdgeCaseShamirMultiplication"
            | "ArithmeticError"
            | "PointDuplication"
            | "EdgeCasePublicKey"
            | "ModularInverse"
            | "SpecialCaseHash"
            | "ValidSignature" => true,
            _ => return None,
        };
        // Any reason to reject wins.
        verdict = Some(verdict.unwrap_or(true) && accepted);
    }
    verdict
}

fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn run(file: &str) -> BTreeMap<(String, Outcome), usize> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/vectors/wycheproof")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let vectors: VectorFile = serde_json::from_str(&text).expect("vector JSON");
    let mut counts = BTreeMap::new();
    let mut failures = Vec::new();
    let mut seen = 0;
    for group in &vectors.test_groups {
        assert_eq!(group.public_key.curve, "secp256r1");
        assert_eq!(group.sha, "SHA-256");
        let key = PublicKey::from_sec1(KeyAlgorithm::P256, &unhex(&group.public_key.uncompressed));
        for case in &group.tests {
            seen += 1;
            let outcome = match &key {
                Err(_) => Outcome::RejectedKey,
                Ok(key) => match decode_signature(&unhex(&case.sig)) {
                    Err(SignatureError::Malformed(_)) => Outcome::RejectedDecode,
                    Err(SignatureError::Invalid(_)) => {
                        panic!("tcId {}: decode_signature returned Invalid", case.tc_id)
                    }
                    Ok((sig, _)) => match key.verify(&unhex(&case.msg), &sig) {
                        Ok(()) => Outcome::Accepted,
                        Err(SignatureError::Invalid(_)) => Outcome::RejectedVerify,
                        Err(SignatureError::Malformed(_)) => {
                            panic!("tcId {}: verify returned Malformed", case.tc_id)
                        }
                    },
                },
            };
            let accepted = outcome == Outcome::Accepted;
            let ok = match case.result.as_str() {
                "valid" => accepted,
                "invalid" => !accepted,
                "acceptable" => match acceptable_expectation(&case.flags) {
                    Some(expected) => expected == accepted,
                    None => {
                        failures.push(format!(
                            "tcId {} acceptable with undecided flags {:?} ({outcome:?})",
                            case.tc_id, case.flags
                        ));
                        true
                    }
                },
                other => panic!("tcId {}: unknown result {other}", case.tc_id),
            };
            if !ok {
                failures.push(format!(
                    "tcId {} ({}, {}, flags {:?}): got {outcome:?}",
                    case.tc_id, case.result, case.comment, case.flags
                ));
            }
            *counts.entry((case.result.clone(), outcome)).or_insert(0) += 1;
        }
    }
    assert_eq!(seen, vectors.number_of_tests, "{file}: test count");
    println!("{file}: {seen} tests");
    for ((result, outcome), n) in &counts {
        println!("  {result:<10} {outcome:?}: {n}");
    }
    assert!(failures.is_empty(), "{file}:\n{}", failures.join("\n"));
    counts
}

fn total(counts: &BTreeMap<(String, Outcome), usize>, result: &str) -> usize {
    counts
        .iter()
        .filter(|((r, _), _)| r == result)
        .map(|(_, n)| n)
        .sum()
}

#[test]
fn ecdsa_p256_sha256_der() {
    let counts = run("ecdsa_secp256r1_sha256_test.json");
    assert_eq!(total(&counts, "valid"), 174);
    assert_eq!(total(&counts, "invalid"), 310);
    assert_eq!(total(&counts, "acceptable"), 0);
}

#[test]
fn ecdsa_p256_sha256_p1363() {
    let counts = run("ecdsa_secp256r1_sha256_p1363_test.json");
    assert_eq!(total(&counts, "valid"), 173);
    assert_eq!(total(&counts, "invalid"), 89);
    assert_eq!(total(&counts, "acceptable"), 0);
}

#[test]
fn acceptable_table_is_strict_on_encoding() {
    assert_eq!(
        acceptable_expectation(&["BerEncodedSignature".into()]),
        Some(false)
    );
    assert_eq!(acceptable_expectation(&["SmallRandS".into()]), Some(true));
    assert_eq!(
        acceptable_expectation(&["SmallRandS".into(), "MissingZero".into()]),
        Some(false)
    );
    assert_eq!(acceptable_expectation(&["SomethingNew".into()]), None);
}
