//! What the JavaScript API (`js.rs`, `docs/js-api` in the README) does, kept
//! free of JavaScript types so that it is compiled and tested natively.
//!
//! The options a JavaScript caller passes mean exactly what the options JSON
//! of the C-style ABI means (`docs/abi.md`): the wrapper (`wasm/js/index.js`)
//! checks the options object's shape (`OPTIONS_TYPE` errors), turns it into
//! that JSON (DER bytes as base64), and [`verify_json`] reads it with
//! [`VerifyOptions::from_json`], so both hosts split PEM, name entries in
//! errors (`trustAnchors[1]`) and reject bad material the same way.

use alloc::format;
use alloc::string::String;

use piaoyan_core::inspect;
use piaoyan_core::{OptionsError, Verifier, VerifyOptions};

/// Error code of `describeCertificate` / `describeCrl` on bytes that are
/// not one.
pub const ERR_NOT_A_CERTIFICATE: &str = "NOT_A_CERTIFICATE";
pub const ERR_NOT_A_CRL: &str = "NOT_A_CRL";
/// Error code of `parse` on a bill that is not a well-formed bill of the
/// profile.
pub const ERR_FORMAT: &str = "FORMAT_FAILURE";

/// An error of a JavaScript call: becomes a `PiaoyanError` with this code
/// (and, for options, the `field` and `index` of [`OptionsError`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallError {
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub index: Option<usize>,
}

impl CallError {
    pub fn new(code: &'static str, message: impl Into<String>) -> CallError {
        CallError {
            code,
            message: message.into(),
            field: None,
            index: None,
        }
    }
}

impl From<OptionsError> for CallError {
    fn from(e: OptionsError) -> CallError {
        CallError {
            code: e.code,
            message: e.message,
            field: e.field,
            index: e.index,
        }
    }
}

/// `verify`: the report as JSON, exactly as `piaoyan_core::verify_json` (and
/// so the C-style ABI and `piaoyan verify --format json`) gives it for the
/// same options JSON (empty: defaults).
pub fn verify_json(bill: &[u8], options_json: &str) -> Result<String, CallError> {
    Ok(piaoyan_core::verify_json(bill, options_json.as_bytes())?)
}

/// `parse`: the bill as JSON (the `bill` of a report), without verifying.
pub fn parse_json(bill: &[u8]) -> Result<String, CallError> {
    let verifier = Verifier::new(&VerifyOptions::default())?;
    match verifier.parse(bill) {
        Ok(bill) => Ok(piaoyan_core::to_json(&bill)),
        Err(e) => Err(CallError::new(
            ERR_FORMAT,
            format!("{} ({})", e.message.en, e.check),
        )),
    }
}

/// Lower-case hexadecimal SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    inspect::sha256_hex(bytes)
}

/// `describeCertificate`: the DER of one certificate, summarised as JSON
/// ([`inspect::CertificateSummary`]).
pub fn describe_certificate_json(der: &[u8]) -> Result<String, CallError> {
    inspect::describe_certificate(der)
        .map(|s| piaoyan_core::to_json(&s))
        .map_err(|e| {
            CallError::new(
                ERR_NOT_A_CERTIFICATE,
                format!("not a usable certificate: {e}"),
            )
        })
}

/// `describeCrl`: the DER of one CRL, summarised as JSON
/// ([`inspect::CrlSummary`]).
pub fn describe_crl_json(der: &[u8]) -> Result<String, CallError> {
    inspect::describe_crl(der)
        .map(|s| piaoyan_core::to_json(&s))
        .map_err(|e| CallError::new(ERR_NOT_A_CRL, format!("not a usable CRL: {e}")))
}

/// `spellAmount`: the canonical capital spelling (大写) of an amount in fen.
pub fn spell_amount(fen: i64) -> String {
    inspect::spell_amount(fen)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../samples");

    fn sample(path: &str) -> Vec<u8> {
        std::fs::read(format!("{SAMPLES}/{path}")).unwrap()
    }

    fn pem(path: &str) -> String {
        String::from_utf8(sample(path)).unwrap()
    }

    fn demo_trust() -> String {
        serde_json::json!({
            "trustAnchors": [pem("trust/roots.pem")],
            "certificates": [pem("trust/intermediates.pem")],
            "crls": [pem("trust/crls.pem")],
        })
        .to_string()
    }

    fn verdict(json: &str) -> (String, serde_json::Value) {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        (v["verdict"].as_str().unwrap().to_string(), v)
    }

    #[test]
    fn same_report_as_the_abi() {
        let bill = sample("bills/01-hospital-valid.xml");
        let ours = verify_json(&bill, &demo_trust()).unwrap();
        let abi = piaoyan_core::verify_json(&bill, demo_trust().as_bytes()).unwrap();
        assert_eq!(ours, abi);
        assert_eq!(verdict(&ours).0, "VALID");
    }

    #[test]
    fn base64_der_entries_equal_pem_entries() {
        use base64::Engine as _;
        let ders =
            piaoyan_core::options::pem_blocks(&pem("trust/roots.pem"), "CERTIFICATE").unwrap();
        assert_eq!(ders.len(), 2);
        let b64: Vec<String> = ders
            .iter()
            .map(|d| base64::engine::general_purpose::STANDARD.encode(d))
            .collect();
        let opts = serde_json::json!({
            "trustAnchors": b64,
            "certificates": [pem("trust/intermediates.pem")],
            "crls": [pem("trust/crls.pem")],
        })
        .to_string();
        let bill = sample("bills/02-school-valid.xml");
        assert_eq!(
            verify_json(&bill, &opts).unwrap(),
            verify_json(&bill, &demo_trust()).unwrap()
        );
    }

    #[test]
    fn verdicts_of_the_demo_bills() {
        for (file, want, sub) in [
            ("01-hospital-valid.xml", "VALID", None),
            (
                "04-hospital-tampered-amount.xml",
                "INVALID",
                Some("HASH_FAILURE"),
            ),
            (
                "05-untrusted-root.xml",
                "INDETERMINATE",
                Some("NO_CERTIFICATE_CHAIN_FOUND"),
            ),
        ] {
            let (got, report) =
                verdict(&verify_json(&sample(&format!("bills/{file}")), &demo_trust()).unwrap());
            assert_eq!(got, want, "{file}");
            assert_eq!(report["subIndication"].as_str(), sub, "{file}");
        }
    }

    #[test]
    fn bad_entries_name_their_index() {
        let opts = serde_json::json!({ "trustAnchors": [pem("trust/roots.pem"), "!!"] });
        let e = verify_json(b"<x/>", &opts.to_string()).unwrap_err();
        assert_eq!(e.code, "OPTIONS_PEM");
        assert!(e.message.starts_with("trustAnchors[1]"), "{}", e.message);

        // The DER 30 03 02 01 01, as the wrapper encodes bytes.
        let e = verify_json(b"<x/>", r#"{"crls":["MAMCAQE="]}"#).unwrap_err();
        assert_eq!(e.code, "OPTIONS_CERTIFICATE");
        assert!(e.message.contains("crls[0]"), "{}", e.message);
    }

    #[test]
    fn limits_apply() {
        let (v, report) = verdict(
            &verify_json(
                &sample("bills/01-hospital-valid.xml"),
                r#"{"limits":{"maxInputBytes":10}}"#,
            )
            .unwrap(),
        );
        assert_eq!(v, "INVALID");
        assert_eq!(report["subIndication"], "FORMAT_FAILURE");
    }

    #[test]
    fn empty_options_are_defaults() {
        let bill = sample("bills/01-hospital-valid.xml");
        assert_eq!(
            verify_json(&bill, "").unwrap(),
            verify_json(&bill, "{}").unwrap()
        );
    }

    #[test]
    fn parse_gives_the_bill_or_a_format_error() {
        let bill: serde_json::Value =
            serde_json::from_str(&parse_json(&sample("bills/01-hospital-valid.xml")).unwrap())
                .unwrap();
        assert!(bill["main"]["eInvoiceNumber"].is_string());
        let e = parse_json(b"not xml").unwrap_err();
        assert_eq!(e.code, ERR_FORMAT);
        assert!(!e.message.is_empty());
    }

    #[test]
    fn certificates_and_crls_are_described() {
        let roots = String::from_utf8(sample("trust/roots.pem")).unwrap();
        let der = &piaoyan_core::options::pem_blocks(&roots, "CERTIFICATE").unwrap()[0];
        let v: serde_json::Value =
            serde_json::from_str(&describe_certificate_json(der).unwrap()).unwrap();
        assert_eq!(v["selfIssued"], true);
        assert!(v["subject"].as_str().unwrap().contains("Root CA"), "{v}");
        assert_eq!(v["notBefore"], "2024-01-01T00:00:00Z");
        let inter = String::from_utf8(sample("trust/intermediates.pem")).unwrap();
        let der = &piaoyan_core::options::pem_blocks(&inter, "CERTIFICATE").unwrap()[0];
        let v: serde_json::Value =
            serde_json::from_str(&describe_certificate_json(der).unwrap()).unwrap();
        assert_eq!(v["selfIssued"], false);
        let crls = String::from_utf8(sample("trust/crls.pem")).unwrap();
        let der = &piaoyan_core::options::pem_blocks(&crls, "X509 CRL").unwrap()[0];
        let v: serde_json::Value = serde_json::from_str(&describe_crl_json(der).unwrap()).unwrap();
        assert!(v["issuer"].as_str().unwrap().contains("Issuing CA"), "{v}");
        assert_eq!(
            describe_certificate_json(b"\x30\x00").unwrap_err().code,
            ERR_NOT_A_CERTIFICATE
        );
        assert_eq!(describe_crl_json(b"junk").unwrap_err().code, ERR_NOT_A_CRL);
    }

    #[test]
    fn sha256_and_capitals() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(spell_amount(21710), "贰佰壹拾柒元壹角整");
    }

    /// Every certificate and CRL of the samples and the shared vectors is
    /// summarised with exactly the members the page reads (camelCase), its
    /// SHA-256 and RFC 3339 times; the roots are self-issued.
    #[test]
    fn summaries_of_the_trust_material() {
        let shared = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/vectors/bills/trust"
        );
        let keys = |v: &serde_json::Value| -> Vec<String> {
            v.as_object().unwrap().keys().cloned().collect()
        };
        let (mut certs, mut crls, mut roots) = (0, 0, 0);
        for dir in [format!("{SAMPLES}/trust"), shared.to_string()] {
            for name in ["roots.pem", "intermediates.pem", "crls.pem"] {
                let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
                for der in piaoyan_core::options::pem_blocks(&text, "CERTIFICATE").unwrap() {
                    let v: serde_json::Value =
                        serde_json::from_str(&describe_certificate_json(&der).unwrap()).unwrap();
                    let mut k = keys(&v);
                    k.sort();
                    assert_eq!(
                        k,
                        [
                            "issuer",
                            "notAfter",
                            "notBefore",
                            "selfIssued",
                            "serial",
                            "sha256",
                            "subject"
                        ]
                    );
                    assert_eq!(v["sha256"], sha256_hex(&der).as_str());
                    assert!(v["notBefore"].as_str().unwrap().ends_with('Z'), "{v}");
                    if name == "roots.pem" {
                        assert_eq!(v["selfIssued"], true, "{v}");
                        roots += 1;
                    }
                    certs += 1;
                }
                for der in piaoyan_core::options::pem_blocks(&text, "X509 CRL").unwrap() {
                    let v: serde_json::Value =
                        serde_json::from_str(&describe_crl_json(&der).unwrap()).unwrap();
                    let mut k = keys(&v);
                    k.sort();
                    assert_eq!(
                        k,
                        ["issuer", "nextUpdate", "revoked", "sha256", "thisUpdate"]
                    );
                    assert_eq!(v["sha256"], sha256_hex(&der).as_str());
                    crls += 1;
                }
            }
        }
        assert!(
            certs >= 8 && crls >= 2 && roots >= 2,
            "{certs} certificates, {crls} CRLs"
        );
    }
}
