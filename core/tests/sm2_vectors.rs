//! The GM/T 0003.5 / GB/T 32918.5 Annex A SM2 signature example and the
//! negative cases derived from it (`shared/vectors/sm2/gmt0003-5.json`).

#[path = "../../tests/src/sig_vectors.rs"]
mod sig_vectors;
use sig_vectors::{der_signature, raw_signature, shared_vector_text, unhex};

use piaoyan_core::pki::{
    KeyAlgorithm, PublicKey, SM2_DEFAULT_ID, SignatureEncoding, SignatureError, decode_signature,
};
use serde::Deserialize;
use sm3::Digest as _;

#[derive(Deserialize)]
struct VectorFile {
    id: String,
    #[serde(rename = "publicKey")]
    public_key: String,
    intermediates: Intermediates,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
struct Intermediates {
    #[serde(rename = "ZA")]
    za: String,
    e: String,
}

#[derive(Deserialize)]
struct Case {
    id: u32,
    comment: String,
    r: String,
    s: String,
    msg: String,
    result: String,
}

fn load() -> VectorFile {
    serde_json::from_str(&shared_vector_text("sm2/gmt0003-5.json")).expect("vector JSON")
}

/// How the pki layer judges one encoded signature.
fn judge(key: &PublicKey, msg: &[u8], encoded: &[u8]) -> Result<SignatureEncoding, String> {
    let (sig, encoding) = decode_signature(encoded).map_err(|e| match e {
        SignatureError::Malformed(m) => format!("malformed: {m}"),
        SignatureError::Invalid(m) => panic!("decode_signature returned Invalid: {m}"),
    })?;
    key.verify(msg, &sig).map_err(|e| match e {
        SignatureError::Invalid(m) => format!("invalid: {m}"),
        SignatureError::Malformed(m) => panic!("verify returned Malformed: {m}"),
    })?;
    Ok(encoding)
}

#[test]
fn z_a_and_e_intermediates() {
    let v = load();
    assert_eq!(v.id.as_bytes(), SM2_DEFAULT_ID);
    let point = unhex(&v.public_key);
    let key = PublicKey::from_sec1(KeyAlgorithm::Sm2, &point).expect("SM2 key");
    assert_eq!(key.sec1_uncompressed(), point);

    let za = key.sm2_z().expect("Z_A for an SM2 key");
    assert_eq!(za.to_vec(), unhex(&v.intermediates.za), "Z_A");
    let msg = unhex(&v.tests[0].msg);
    let e = key.sm2_e(&msg).expect("e for an SM2 key");
    assert_eq!(e.to_vec(), unhex(&v.intermediates.e), "e");

    // Independently, straight from GB/T 32918.2 §5.5 with the sm3 crate:
    // Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A).
    let mut h = sm3::Sm3::new();
    h.update(((v.id.len() * 8) as u16).to_be_bytes());
    h.update(v.id.as_bytes());
    for param in [
        "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC",
        "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93",
        "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7",
        "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0",
    ] {
        h.update(unhex(param));
    }
    h.update(&point[1..]);
    assert_eq!(h.finalize().to_vec(), unhex(&v.intermediates.za));
    let mut h = sm3::Sm3::new();
    h.update(za);
    h.update(&msg);
    assert_eq!(h.finalize().to_vec(), unhex(&v.intermediates.e));

    // A P-256 key has no Z_A.
    let p256_g = unhex(concat!(
        "046B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296",
        "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"
    ));
    let p256 = PublicKey::from_sec1(KeyAlgorithm::P256, &p256_g).unwrap();
    assert_eq!(p256.sm2_z(), None);
}

#[test]
fn standard_example_and_negative_cases() {
    let v = load();
    let key = PublicKey::from_sec1(KeyAlgorithm::Sm2, &unhex(&v.public_key)).expect("SM2 key");
    let (mut valid, mut invalid) = (0, 0);
    for case in &v.tests {
        let (r, s, msg) = (unhex(&case.r), unhex(&case.s), unhex(&case.msg));
        let der = judge(&key, &msg, &der_signature(&r, &s));
        let raw = raw_signature(&r, &s).map(|raw| judge(&key, &msg, &raw));
        match case.result.as_str() {
            "valid" => {
                valid += 1;
                assert_eq!(der, Ok(SignatureEncoding::Der), "case {}: DER", case.id);
                assert_eq!(
                    raw,
                    Some(Ok(SignatureEncoding::RawRs)),
                    "case {}: r‖s",
                    case.id
                );
            }
            "invalid" => {
                invalid += 1;
                assert!(
                    der.is_err(),
                    "case {} ({}) DER accepted",
                    case.id,
                    case.comment
                );
                if let Some(raw) = &raw {
                    assert!(
                        raw.is_err(),
                        "case {} ({}) r‖s accepted",
                        case.id,
                        case.comment
                    );
                }
                println!(
                    "case {} ({}): DER {:?}; r‖s {:?}",
                    case.id,
                    case.comment,
                    der.unwrap_err(),
                    raw.map(|r| r.unwrap_err())
                );
            }
            other => panic!("case {}: unknown result {other}", case.id),
        }
    }
    println!("SM2 vectors: {valid} valid verified, {invalid} invalid rejected");
    assert_eq!((valid, invalid), (1, 8));
}

#[test]
fn wrong_key_type_rejects() {
    // The SM2 example's point is not on P-256.
    let v = load();
    assert!(PublicKey::from_sec1(KeyAlgorithm::P256, &unhex(&v.public_key)).is_err());
}
