//! The `document` section of a report for an OFD input.

#[allow(unused_imports)]
use crate::prelude::*;

use serde::{Deserialize, Serialize};

use crate::report::{CertificateInfo, Check, Message, Report, SubIndication, Verdict};

/// What the verifier found in the OFD package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentReport {
    /// `Doc_0/Document.xml`: the document verified.
    pub doc_root: Option<String>,
    /// Bytes before the zip proper (tolerated with a warning).
    pub prefix_bytes: u64,
    /// Number of parts (zip entries, directories excluded).
    pub parts: u64,
    /// One entry per `Signature` of the `Signatures` list, in order.
    pub signatures: Vec<OfdSignatureReport>,
    /// Attachments (`Attachs/Attachments.xml`) and custom tags (`Tags/`).
    pub attachments: Vec<AttachmentReport>,
    /// Parts a reader of the document is shown that no matching reference
    /// of a signature covers (signatures proven INVALID cover nothing):
    /// `Document.xml`, pages, templates, resource files and the files they
    /// name, annotations, and the `DocRoot` of any further document (spec
    /// "Coverage"; check `ofd.coverage`). Names as in the zip.
    pub uncovered: Vec<String>,
}

/// One reference of `SignedInfo/References`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceReport {
    /// `FileRef` as written.
    pub file_ref: String,
    pub result: RefResult,
}

/// The outcome of one reference: what decides, as a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefResult {
    /// The digest of the part equals `CheckValue`.
    Match,
    /// The digest differs (a proven change).
    Mismatch,
    /// The part is not in the package, or `FileRef` is no usable path (a
    /// proven failure, whatever the digest algorithm).
    Missing,
    /// The `Signatures` list, changed only by later signatures appended to
    /// it (spec "Each signature" 1; warning).
    Tolerated,
    /// The `CheckMethod` is not supported: the digest cannot be checked.
    Unchecked,
}

impl RefResult {
    pub fn as_str(self) -> &'static str {
        match self {
            RefResult::Match => "match",
            RefResult::Mismatch => "mismatch",
            RefResult::Missing => "missing",
            RefResult::Tolerated => "tolerated",
            RefResult::Unchecked => "unchecked",
        }
    }

    /// A proven failure of the reference (HASH_FAILURE).
    pub fn is_failure(self) -> bool {
        matches!(self, RefResult::Mismatch | RefResult::Missing)
    }
}

/// The seal picture, for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Picture {
    /// Lower-case type as written in the seal: `png`, `gif`, `jpg`, `ofd`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Base64 of the picture data.
    pub data: String,
    /// Display width and height (mm) when the seal gives them.
    pub width: Option<i64>,
    pub height: Option<i64>,
}

/// The electronic seal (`SESeal`) of a `Type="Seal"` signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealReport {
    /// 4 (GB/T 38540) or 1 (GM/T 0031).
    pub version: u8,
    pub es_id: Option<String>,
    pub name: Option<String>,
    pub seal_type: Option<i64>,
    pub vid: Option<String>,
    /// RFC 3339, UTC.
    pub created: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// The seal maker's certificate.
    pub maker: Option<CertificateInfo>,
    pub picture: Option<Picture>,
}

/// One signature of the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfdSignatureReport {
    pub id: String,
    /// `Seal` or `Sign`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The `Signature.xml` part.
    pub base_loc: String,
    pub provider: Option<String>,
    /// `SignatureMethod` as written.
    pub method: Option<String>,
    /// `CheckMethod` as written.
    pub check_method: Option<String>,
    /// RFC 3339 (UTC) of the seal's `timeInfo` or `SignatureDateTime`.
    pub signing_time: Option<String>,
    /// `SES` (seal), `CMS`, `CMS+signedAttrs`, `DER` or `RS` (bare).
    pub encoding: Option<String>,
    /// 4 or 1 for seals.
    pub ses_version: Option<u8>,
    pub verdict: Verdict,
    pub sub_indication: Option<SubIndication>,
    pub message: Message,
    pub signer: Option<CertificateInfo>,
    /// From the signer to the trust anchor, when a path was found.
    pub chain: Vec<CertificateInfo>,
    pub seal: Option<SealReport>,
    pub references: Vec<ReferenceReport>,
    /// Parts whose digest did not match (or that are missing).
    pub failed_references: Vec<String>,
    pub checks: Vec<Check>,
}

/// One attachment or custom tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentReport {
    /// `attachment` or `customTag`.
    pub kind: String,
    pub name: Option<String>,
    /// The part, resolved (no leading `/`).
    pub file: String,
    /// `ebill` (a fiscal e-bill, verified: see `report`), `xml` (fields
    /// listed), `other`, or `missing`.
    pub format: String,
    /// Whether some signature's references cover this part (and it
    /// matched).
    pub covered: bool,
    pub fields: Vec<Field>,
    /// The full report of an embedded fiscal e-bill.
    pub report: Option<Box<Report>>,
}

/// A name/value pair of structured data (`a/b/c` paths of local names).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub value: String,
}
