//! What the JavaScript API (`js.rs`, `docs/js-api` in the README) does, kept
//! free of JavaScript types so that it is compiled and tested natively.
//!
//! The options a JavaScript caller passes mean exactly what the options JSON
//! of the C-style ABI means (`docs/abi.md`): the wrapper (`wasm/js/index.js`)
//! checks the options object's shape (`OPTIONS_TYPE` errors), turns it into
//! that JSON (DER bytes as base64), and [`verify_json`] reads it with
//! [`VerifyOptions::from_json`], so both hosts split PEM, name entries in
//! errors (`trustAnchors[1]`) and reject bad material the same way.

use piaoyan_core::json_out::{ToJson, Writer};
use piaoyan_core::pki::cert::Cert;
use piaoyan_core::pki::crl::Crl;
use piaoyan_core::pki::hash::Sha256;
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
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xf)] as char);
    }
    out
}

/// A certificate as the page lists the user's trust material.
///
/// Written as JSON by [`ToJson`] (no serde serialiser in the module); the
/// tests hold that to serde_json's text of the same value.
#[derive(Debug)]
#[cfg_attr(test, derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct CertificateSummary {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    /// RFC 3339, UTC.
    pub not_before: String,
    pub not_after: String,
    /// Subject and issuer are the same name: a root, the usual trust anchor.
    pub self_issued: bool,
    pub sha256: String,
}

/// A CRL as the page lists it (JSON as for [`CertificateSummary`]).
#[derive(Debug)]
#[cfg_attr(test, derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct CrlSummary {
    pub issuer: String,
    pub this_update: String,
    pub next_update: Option<String>,
    pub revoked: usize,
    pub sha256: String,
}

impl ToJson for CertificateSummary {
    fn write_json(&self, w: &mut Writer) {
        w.object(|w| {
            w.field("subject", &self.subject);
            w.field("issuer", &self.issuer);
            w.field("serial", &self.serial);
            w.field("notBefore", &self.not_before);
            w.field("notAfter", &self.not_after);
            w.field("selfIssued", &self.self_issued);
            w.field("sha256", &self.sha256);
        });
    }
}

impl ToJson for CrlSummary {
    fn write_json(&self, w: &mut Writer) {
        w.object(|w| {
            w.field("issuer", &self.issuer);
            w.field("thisUpdate", &self.this_update);
            w.field("nextUpdate", &self.next_update);
            w.field("revoked", &self.revoked);
            w.field("sha256", &self.sha256);
        });
    }
}

/// `describeCertificate`: the DER of one certificate, summarised as JSON.
pub fn describe_certificate_json(der: &[u8]) -> Result<String, CallError> {
    Ok(piaoyan_core::to_json(&certificate_summary(der)?))
}

fn certificate_summary(der: &[u8]) -> Result<CertificateSummary, CallError> {
    let cert = Cert::from_der(der).map_err(|e| {
        CallError::new(
            ERR_NOT_A_CERTIFICATE,
            format!("not a usable certificate: {e}"),
        )
    })?;
    Ok(CertificateSummary {
        subject: cert.subject_string(),
        issuer: cert.issuer_string(),
        serial: cert.serial_hex(),
        not_before: piaoyan_core::time::rfc3339(cert.not_before(), 0),
        not_after: piaoyan_core::time::rfc3339(cert.not_after(), 0),
        self_issued: cert.is_self_issued(),
        sha256: sha256_hex(der),
    })
}

/// `describeCrl`: the DER of one CRL, summarised as JSON.
pub fn describe_crl_json(der: &[u8]) -> Result<String, CallError> {
    Ok(piaoyan_core::to_json(&crl_summary(der)?))
}

fn crl_summary(der: &[u8]) -> Result<CrlSummary, CallError> {
    let crl = Crl::from_der(der)
        .map_err(|e| CallError::new(ERR_NOT_A_CRL, format!("not a usable CRL: {e}")))?;
    Ok(CrlSummary {
        issuer: crl.issuer_string(),
        this_update: piaoyan_core::time::rfc3339(crl.this_update(), 0),
        next_update: crl.next_update().map(|t| piaoyan_core::time::rfc3339(t, 0)),
        revoked: crl.revoked_count(),
        sha256: sha256_hex(der),
    })
}

/// `spellAmount`: the canonical capital spelling (大写) of an amount in fen.
pub fn spell_amount(fen: i64) -> String {
    piaoyan_core::capital::spell(fen)
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

    /// The summaries' JSON is serde_json's text of the same value, for
    /// every certificate and CRL of the samples and the shared vectors, and
    /// for summaries with strings that need escaping and no next update.
    #[test]
    fn summaries_are_written_as_serde_json_writes_them() {
        let shared = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/vectors/bills/trust"
        );
        let mut certs = 0;
        let mut crls = 0;
        for dir in [format!("{SAMPLES}/trust"), shared.to_string()] {
            for name in ["roots.pem", "intermediates.pem", "crls.pem"] {
                let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
                for der in piaoyan_core::options::pem_blocks(&text, "CERTIFICATE").unwrap() {
                    let s = certificate_summary(&der).unwrap();
                    let ours = piaoyan_core::to_json(&s);
                    assert_eq!(ours, serde_json::to_string(&s).unwrap());
                    assert_eq!(ours, describe_certificate_json(&der).unwrap());
                    certs += 1;
                }
                for der in piaoyan_core::options::pem_blocks(&text, "X509 CRL").unwrap() {
                    let s = crl_summary(&der).unwrap();
                    let ours = piaoyan_core::to_json(&s);
                    assert_eq!(ours, serde_json::to_string(&s).unwrap());
                    assert_eq!(ours, describe_crl_json(&der).unwrap());
                    crls += 1;
                }
            }
        }
        assert!(certs >= 8 && crls >= 2, "{certs} certificates, {crls} CRLs");
        let odd = "CN=a\\,b\"c\u{1}\t/票据";
        let cert = CertificateSummary {
            subject: odd.into(),
            issuer: String::new(),
            serial: "0".into(),
            not_before: odd.into(),
            not_after: "\n".into(),
            self_issued: false,
            sha256: odd.into(),
        };
        let json = piaoyan_core::to_json(&cert);
        assert_eq!(json, serde_json::to_string(&cert).unwrap());
        let crl = CrlSummary {
            issuer: odd.into(),
            this_update: String::new(),
            next_update: None,
            revoked: usize::MAX,
            sha256: String::new(),
        };
        let json = piaoyan_core::to_json(&crl);
        assert_eq!(json, serde_json::to_string(&crl).unwrap());
        assert!(json.contains("\"nextUpdate\":null"), "{json}");
    }
}
