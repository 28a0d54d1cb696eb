//! The first stage for inputs that fail before any bill is found: is the
//! file a bill at all? An empty file, a picture, a PDF, a zip of several
//! bills or a file past the size bound is not a damaged bill but the wrong
//! file, and the payer needs other help (get the OFD or XML version, unpack
//! the zip) than for a bill that was changed after signing.
//!
//! This never changes a verdict: such a report stays INVALID with
//! FORMAT_FAILURE and keeps the failed check's reason. It only names what
//! the input is ([`NotABill`], the report's `notABill`); the help for each
//! kind is the hosts' (the page, the CLI), in their words: the strings
//! would cost the module's size budget and a host shows them differently
//! anyway. A file that starts like
//! XML or is an OFD package is never classified here: a damaged or forged
//! bill must not pass for a harmless wrong file.

#[allow(unused_imports)]
use crate::prelude::*;

use serde::{Deserialize, Serialize};

/// What an input that is not a bill is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NotABill {
    /// Zero bytes, or only white space.
    Empty,
    /// Larger than the input or package bound.
    TooLarge,
    /// A PDF file (`%PDF-`): the printable copy of a bill, not the signed one.
    Pdf,
    /// A PNG, JPEG, GIF or WebP picture (a photo or screenshot of a bill).
    Image,
    /// A zip archive that is not an OFD document (no `/OFD.xml`): several
    /// bills packed together, for example.
    Archive,
    /// Neither XML nor a zip archive (no `<` first, after white space).
    Unknown,
}

impl NotABill {
    /// Classifies an input that is not a zip archive and failed as a bill
    /// with the check `failed` (the reader's own size and emptiness checks
    /// come first: `limits.inputSize`, `document.empty`).
    pub(crate) fn of_bill_input(input: &[u8], failed: &str) -> Option<NotABill> {
        let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
        let first = body.iter().find(|b| !b.is_ascii_whitespace());
        Some(if failed == "limits.inputSize" {
            NotABill::TooLarge
        } else if failed == "document.empty" {
            NotABill::Empty
        } else if input.starts_with(b"%PDF-") {
            NotABill::Pdf
        } else if is_image(input) {
            NotABill::Image
        } else if first != Some(&b'<') {
            NotABill::Unknown
        } else {
            return None;
        })
    }
}

/// PNG, JPEG, GIF and WebP by their first bytes.
fn is_image(input: &[u8]) -> bool {
    [&b"\x89PNG"[..], b"\xFF\xD8\xFF", b"GIF8"]
        .iter()
        .any(|m| input.starts_with(m))
        || (input.starts_with(b"RIFF") && input.get(8..12) == Some(b"WEBP"))
}
