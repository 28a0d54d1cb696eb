//! `SignedInfo/References`: the digest of every referenced part against
//! its `CheckValue`, with the one tolerated exception of spec "Each
//! signature" 1: an earlier signature's reference to the `Signatures` list,
//! broken only because later signatures were appended to the list.

#[allow(unused_imports)]
use crate::prelude::*;

use super::package;
use super::report::{RefResult, ReferenceReport};
use super::seal_signature::Ctx;
use crate::bill_signature::decode_base64;
use crate::pki::{DigestAlgorithm, Oid, oids};

/// The digest algorithm of a `CheckMethod`: an OID (SM3, SM3 "without
/// key", SHA-256) or the literal name some writers use.
pub fn check_method(text: &str) -> Option<DigestAlgorithm> {
    let text = text.trim();
    if let Some(oid) = Oid::from_dotted(text) {
        return if oid == oids::SM3_WITHOUT_KEY {
            Some(DigestAlgorithm::Sm3)
        } else {
            DigestAlgorithm::from_oid(&oid)
        };
    }
    match text.to_ascii_uppercase().as_str() {
        "SM3" => Some(DigestAlgorithm::Sm3),
        "SHA256" | "SHA-256" => Some(DigestAlgorithm::Sha256),
        _ => None,
    }
}

/// Checks every reference of signature `index` with the digest `alg` of
/// its `CheckMethod`. Without a supported digest a reference is
/// `Unchecked`, unless the part it names is not in the package: that is
/// `Missing` (a proven failure) whatever the digest.
pub fn check(
    ctx: &Ctx<'_>,
    index: usize,
    sig_path: &str,
    alg: Option<DigestAlgorithm>,
    refs: &[(String, String)],
) -> Vec<ReferenceReport> {
    refs.iter()
        .map(|(file_ref, value)| {
            let result = match package::resolve(sig_path, file_ref) {
                None => RefResult::Missing,
                Some(part) => match (ctx.package.read(&part), alg) {
                    (Err(_), _) => RefResult::Missing,
                    (Ok(_), None) => RefResult::Unchecked,
                    (Ok(bytes), Some(alg)) => {
                        let expected = decode_base64(value);
                        let digest = alg.digest(&bytes);
                        if expected.as_deref() == Some(digest.as_slice()) {
                            RefResult::Match
                        } else if package::part_key(&part) == package::part_key(ctx.list_path)
                            && expected.is_some_and(|e| appended_only(ctx, index, alg, &e))
                        {
                            RefResult::Tolerated
                        } else {
                            RefResult::Mismatch
                        }
                    }
                },
            };
            ReferenceReport {
                file_ref: file_ref.clone(),
                result,
            }
        })
        .collect()
}

/// Whether the list as it stood before the signatures after `index` were
/// added has digest `expected`. Two reconstructions are tried: the later
/// `<Signature>` elements removed, and everything from the first later
/// `<Signature>` up to the root end tag removed (writers that also append
/// a new `MaxSignId` after it).
fn appended_only(ctx: &Ctx<'_>, index: usize, alg: DigestAlgorithm, expected: &[u8]) -> bool {
    let later = ctx.entries.get(index + 1..).unwrap_or_default();
    let Some(first_later) = later.first() else {
        return false;
    };
    let bytes = ctx.list_bytes;
    let mut removed = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for e in later {
        if let Some(part) = bytes.get(at..e.range.start) {
            removed.extend_from_slice(part);
        }
        at = e.range.end;
    }
    removed.extend_from_slice(bytes.get(at..).unwrap_or_default());
    if alg.digest(&removed) == expected {
        return true;
    }
    let Some(end) = package::root_end_tag(bytes, ctx.list_path, ctx.limits) else {
        return false;
    };
    match (bytes.get(..first_later.range.start), bytes.get(end..)) {
        (Some(head), Some(tail)) if first_later.range.start <= end => {
            alg.digest_parts(&[head, tail]) == expected
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::check_method;
    use crate::pki::DigestAlgorithm::{Sha256, Sm3};

    #[test]
    fn check_methods_are_read_as_oids_or_names() {
        for (text, want) in [
            ("1.2.156.10197.1.401", Some(Sm3)),
            (" 1.2.156.10197.1.401.1 ", Some(Sm3)),
            ("sm3", Some(Sm3)),
            ("2.16.840.1.101.3.4.2.1", Some(Sha256)),
            ("SHA-256", Some(Sha256)),
            // keyed SM3, unknown OIDs and text: not supported
            ("1.2.156.10197.1.401.2", None),
            ("1.2.156.10197.1.4010", None),
            ("MD5", None),
            ("", None),
        ] {
            assert_eq!(check_method(text), want, "{text:?}");
        }
    }
}
