//! Issue 12, item 3: in one signature's evaluation a proven failure (a
//! reference that does not match with a supported digest, a missing
//! referenced part, a dataHash mismatch, a signature that does not verify)
//! outranks anything unsupported or undecidable. `dataHash` is always the
//! SM3 of `Signature.xml` (ofd-seals.md "dataHash"): the `CheckMethod`
//! written inside `Signature.xml` governs its references only.

use piaoyan_core::ofd::report::RefResult;
use piaoyan_core::report::{CheckResult, SubIndication as S, Verdict as V};
use piaoyan_tests::ofd::{
    corpus, failed_checks, replace_once, rewrite, signer_cert, verify, verify_trusting,
};

fn entry<'a>(entries: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut entries.iter_mut().find(|(n, _)| n == name).expect(name).1
}

/// `sign-v4signed.ofd` with its `CheckMethod` rewritten to `method`.
fn with_check_method(method: &[u8]) -> Vec<u8> {
    rewrite(&corpus("sign-v4signed.ofd"), |e| {
        let xml = entry(e, "Doc_0/Signs/Sign_0/Signature.xml");
        *xml = replace_once(
            xml,
            b"CheckMethod=\"1.2.156.10197.1.401\"",
            &[b"CheckMethod=\"".as_slice(), method, b"\""].concat(),
        );
    })
}

#[test]
fn an_unsupported_check_method_cannot_hide_a_changed_signature_file() {
    // The attacker's edit of Signature.xml is the CheckMethod itself: the
    // references can no longer be checked, but the seal's dataHash (SM3 of
    // Signature.xml, signed in TBS_Sign) proves the file changed.
    for method in [&b"1.2.156.10197.1.401.2"[..], b"MD5", b""] {
        let bytes = with_check_method(method);
        for r in [
            verify(&bytes),
            verify_trusting(&bytes, signer_cert(&corpus("sign-v4signed.ofd"))),
        ] {
            assert_eq!(
                (r.verdict, r.sub_indication),
                (V::Invalid, Some(S::HashFailure)),
                "CheckMethod {:?}: {}",
                String::from_utf8_lossy(method),
                r.reason.en
            );
            let failed = failed_checks(&r);
            assert!(
                failed
                    .iter()
                    .any(|c| c == "ofd.signature[0].seal.dataHash HASH_FAILURE"),
                "{failed:?}"
            );
            // The references themselves stay "cannot be checked".
            assert!(
                failed
                    .iter()
                    .any(|c| c == "ofd.signature[0].references CRYPTO_CONSTRAINTS_FAILURE"),
                "{failed:?}"
            );
        }
    }
}

#[test]
fn a_supported_check_method_spelled_otherwise_changes_the_signature_file_too() {
    // "SM3" names the same digest as 1.2.156.10197.1.401, so every
    // reference still matches; but Signature.xml is not what was signed.
    let r = verify(&with_check_method(b"SM3"));
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::HashFailure)),
        "{}",
        r.reason.en
    );
    let s = &r.document.as_ref().unwrap().signatures[0];
    assert!(s.references.iter().all(|x| x.result == RefResult::Match));
    assert!(
        failed_checks(&r)
            .iter()
            .any(|c| c == "ofd.signature[0].seal.dataHash HASH_FAILURE")
    );
}

#[test]
fn a_missing_part_is_proven_even_when_the_digest_is_unsupported() {
    // converter-n writes CheckMethod 1.2.156.10197.1.401.2 (keyed SM3, not
    // supported): its digests cannot be checked, but a referenced part that
    // is not in the package at all is a proven failure.
    let bytes = rewrite(&corpus("converter-n.ofd"), |e| {
        e.retain(|(n, _)| n != "Doc_0/PublicRes.xml");
    });
    let r = verify(&bytes);
    assert_eq!(r.verdict, V::Invalid, "{}", r.reason.en);
    let s = &r.document.as_ref().unwrap().signatures[0];
    let results: Vec<(&str, RefResult)> = s
        .references
        .iter()
        .map(|x| (x.file_ref.as_str(), x.result))
        .collect();
    for (file, result) in &results {
        let want = if *file == "/Doc_0/PublicRes.xml" {
            RefResult::Missing
        } else {
            RefResult::Unchecked
        };
        assert_eq!(*result, want, "{file}: {results:?}");
    }
    assert_eq!(s.failed_references, ["/Doc_0/PublicRes.xml"]);
    let references = s
        .checks
        .iter()
        .find(|c| c.id == "ofd.signature[0].references")
        .unwrap();
    assert_eq!(references.result, CheckResult::Fail);
    assert_eq!(references.code.as_deref(), Some("HASH_FAILURE"));
    assert!(
        references.message.en.contains("/Doc_0/PublicRes.xml"),
        "{}",
        references.message.en
    );
}

#[test]
fn a_cms_signature_file_with_an_unsupported_check_method_is_a_hash_failure() {
    // Type="Sign": the CMS signs Signature.xml; changing its CheckMethod
    // is proven by the CMS messageDigest, whatever the references say.
    let bytes = rewrite(&corpus("converter-testImageNotFound.ofd"), |e| {
        let xml = entry(e, "Doc_0/Signs/Sign_1/Signature.xml");
        *xml = replace_once(
            xml,
            b"CheckMethod=\"1.2.156.10197.1.401\"",
            b"CheckMethod=\"1.2.156.10197.1.401.2\"",
        );
    });
    let r = verify(&bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::HashFailure)),
        "{}",
        r.reason.en
    );
    let failed = failed_checks(&r);
    assert!(
        failed
            .iter()
            .any(|c| c == "ofd.signature[1].cms.messageDigest HASH_FAILURE"),
        "{failed:?}"
    );
}
