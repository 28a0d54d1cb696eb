//! What the host supplies: trust anchors, extra certificates, CRLs, the
//! current time and the bounds of §8. The core never reads a clock or a file.

use base64::Engine as _;
use serde::Deserialize;

/// Bounds on the work spent on one input (spec §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Limits {
    pub max_input_bytes: usize,
    /// The root element is depth 1.
    pub max_depth: usize,
    pub max_elements: usize,
    pub max_items: usize,
    pub max_text_bytes: usize,
    /// OFD: the largest package (the zip file itself).
    pub max_package_bytes: usize,
    /// OFD: the most zip entries.
    pub max_zip_entries: usize,
    /// OFD: the largest uncompressed entry.
    pub max_zip_entry_bytes: usize,
    /// OFD: the most uncompressed bytes of all entries together.
    pub max_zip_total_bytes: usize,
    /// OFD: the highest uncompressed / compressed ratio of an entry above
    /// 64 KiB.
    pub max_zip_ratio: u32,
    /// OFD: the longest entry name in bytes.
    pub max_zip_path_bytes: usize,
    /// OFD: the most signatures in one document.
    pub max_ofd_signatures: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 4 * 1024 * 1024,
            max_depth: 64,
            max_elements: 100_000,
            max_items: 10_000,
            max_text_bytes: 64 * 1024,
            max_package_bytes: 64 * 1024 * 1024,
            max_zip_entries: 10_000,
            max_zip_entry_bytes: 32 * 1024 * 1024,
            max_zip_total_bytes: 128 * 1024 * 1024,
            max_zip_ratio: 1_000,
            max_zip_path_bytes: 512,
            max_ofd_signatures: 64,
        }
    }
}

/// Options of one verification, with certificates and CRLs as DER.
#[derive(Clone, Debug, Default)]
pub struct VerifyOptions {
    /// Trust anchors (DER certificates).
    pub trust_anchors: Vec<Vec<u8>>,
    /// The host's certificate store: intermediates and signer certificates.
    pub certificates: Vec<Vec<u8>>,
    /// Certificate revocation lists (DER).
    pub crls: Vec<Vec<u8>>,
    /// Current time in Unix seconds, used only to say whether a certificate
    /// has expired since signing. `None`: not judged.
    pub now: Option<i64>,
    pub limits: Limits,
}

/// A host error in the options: never a verdict about a bill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionsError {
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for OptionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for OptionsError {}

/// The JSON form of the options, as the C-style ABI takes it.
///
/// Every certificate or CRL entry is a string holding one or more PEM blocks,
/// or the base64 of one DER object.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
struct OptionsJson {
    trust_anchors: Vec<String>,
    certificates: Vec<String>,
    crls: Vec<String>,
    now: Option<i64>,
    limits: Option<Limits>,
}

impl VerifyOptions {
    /// Reads options from JSON (see `docs/abi.md`). Empty input means defaults.
    pub fn from_json(json: &[u8]) -> Result<VerifyOptions, OptionsError> {
        if json.iter().all(u8::is_ascii_whitespace) {
            return Ok(VerifyOptions::default());
        }
        let parsed: OptionsJson = serde_json::from_slice(json).map_err(|e| OptionsError {
            code: "OPTIONS_JSON",
            message: format!("options are not valid JSON of the expected shape: {e}"),
        })?;
        Ok(VerifyOptions {
            trust_anchors: decode_entries(&parsed.trust_anchors, "CERTIFICATE", "trustAnchors")?,
            certificates: decode_entries(&parsed.certificates, "CERTIFICATE", "certificates")?,
            crls: decode_entries(&parsed.crls, "X509 CRL", "crls")?,
            now: parsed.now,
            limits: parsed.limits.unwrap_or_default(),
        })
    }
}

fn decode_entries(
    entries: &[String],
    label: &str,
    field: &str,
) -> Result<Vec<Vec<u8>>, OptionsError> {
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let ders = if entry.contains("-----BEGIN") {
            pem_blocks(entry, label)
        } else {
            base64_der(entry).map(|d| vec![d])
        };
        match ders {
            Ok(d) if !d.is_empty() => out.extend(d),
            Ok(_) => {
                return Err(OptionsError {
                    code: "OPTIONS_PEM",
                    message: format!("{field}[{i}] holds no PEM block labelled {label}"),
                });
            }
            Err(e) => {
                return Err(OptionsError {
                    code: "OPTIONS_PEM",
                    message: format!("{field}[{i}]: {e}"),
                });
            }
        }
    }
    Ok(out)
}

fn base64_der(text: &str) -> Result<Vec<u8>, String> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|e| format!("not PEM and not base64 DER: {e}"))
}

/// Every PEM block with the given label, decoded. Blocks with other labels
/// (a private key left in a bundle, say) are skipped.
pub fn pem_blocks(text: &str, label: &str) -> Result<Vec<Vec<u8>>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let Some(label_end) = after.find("-----") else {
            return Err("unterminated PEM BEGIN line".into());
        };
        let found = &after[..label_end];
        let body_start = &after[label_end + 5..];
        let end_marker = format!("-----END {found}-----");
        let Some(end) = body_start.find(&end_marker) else {
            return Err(format!("PEM block {found} has no END line"));
        };
        if found == label {
            let der =
                base64_der(&body_start[..end]).map_err(|e| format!("PEM block {found}: {e}"))?;
            out.push(der);
        }
        rest = &body_start[end + end_marker.len()..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_are_split_and_other_labels_skipped() {
        let text = "junk\n-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n\
                    -----BEGIN PRIVATE KEY-----\nBAU=\n-----END PRIVATE KEY-----\n\
                    -----BEGIN CERTIFICATE-----\nBAUG\n-----END CERTIFICATE-----\n";
        assert_eq!(
            pem_blocks(text, "CERTIFICATE").unwrap(),
            vec![vec![1, 2, 3], vec![4, 5, 6]]
        );
    }

    #[test]
    fn broken_pem_is_an_error() {
        assert!(pem_blocks("-----BEGIN CERTIFICATE-----\nAQID\n", "CERTIFICATE").is_err());
        assert!(
            pem_blocks(
                "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----",
                "CERTIFICATE"
            )
            .is_err()
        );
    }

    #[test]
    fn json_options_decode() {
        let o = VerifyOptions::from_json(br#"{"trustAnchors":["AQID"],"now":5}"#).unwrap();
        assert_eq!(o.trust_anchors, vec![vec![1, 2, 3]]);
        assert_eq!(o.now, Some(5));
        assert!(VerifyOptions::from_json(b"{\"bogus\":1}").is_err());
        assert!(
            VerifyOptions::from_json(b"")
                .unwrap()
                .trust_anchors
                .is_empty()
        );
    }
}
