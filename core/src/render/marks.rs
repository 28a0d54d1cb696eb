//! Which parts a VALID signature covers, read from the verification's
//! own report: each signature's references (as the verifier resolved and
//! compared them) and its verdict. No second judgement of the package.

#[allow(unused_imports)]
use crate::prelude::*;

use serde::Serialize;

use crate::ofd::package::{self, Package};
use crate::ofd::report::RefResult;
use crate::report::{Report, Verdict};

/// What a drawn object's part is, for the signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Signed {
    /// Covered by a reference of a VALID signature whose digest matched.
    Valid,
    /// No VALID signature covers it.
    Uncovered,
    /// A signature's digest of it no longer matches: changed after signing.
    Changed,
}

impl Signed {
    pub fn as_str(self) -> &'static str {
        match self {
            Signed::Valid => "valid",
            Signed::Uncovered => "uncovered",
            Signed::Changed => "changed",
        }
    }

    /// The worse of two (changed, then uncovered, then valid).
    pub fn worst(self, other: Signed) -> Signed {
        self.max(other)
    }
}

/// The parts (names in the zip) covered by VALID signatures and those
/// whose reference digest failed.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    valid: Vec<String>,
    changed: Vec<String>,
    /// Every part gets this state: a drawing without signatures to judge
    /// (a seal picture's own document) takes its seal's state.
    all: Option<Signed>,
}

impl Marks {
    /// From the report of `verify_archive` on the same package: a
    /// signature's path is its `BaseLoc` resolved against the list, its
    /// references are resolved against that path, as the verifier did.
    pub fn from_report(report: &Report, package: &Package<'_>, list_path: Option<&str>) -> Marks {
        let mut marks = Marks::default();
        let (Some(doc), Some(list)) = (&report.document, list_path) else {
            return marks;
        };
        for s in &doc.signatures {
            let Some(path) = package::resolve(list, &s.base_loc) else {
                continue;
            };
            for r in &s.references {
                let Some(name) =
                    package::resolve(&path, &r.file_ref).and_then(|p| package.name(&p))
                else {
                    continue;
                };
                match r.result {
                    RefResult::Match if s.verdict == Verdict::Valid => {
                        marks.valid.push(name.to_string())
                    }
                    RefResult::Mismatch => marks.changed.push(name.to_string()),
                    _ => {}
                }
            }
        }
        marks
    }

    /// Every part in one state.
    pub fn uniform(state: Signed) -> Marks {
        Marks {
            all: Some(state),
            ..Marks::default()
        }
    }

    /// The state of one part (its name in the zip).
    pub fn part(&self, name: &str) -> Signed {
        if let Some(s) = self.all {
            return s;
        }
        if self.changed.iter().any(|c| c == name) {
            Signed::Changed
        } else if self.valid.iter().any(|c| c == name) {
            Signed::Valid
        } else {
            Signed::Uncovered
        }
    }
}
