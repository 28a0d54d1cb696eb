//! Every file of the shared OFD corpus (`shared/corpus/ofdrw`) gets the
//! verdict `labels.json` gives when the host supplies no trust anchor, every
//! report holds against `docs/report.schema.json`, and with the signer
//! certificate as trust anchor the INTACT files become VALID.

use piaoyan_core::Report;
use piaoyan_core::ofd::report::RefResult;
use piaoyan_core::report::{CheckResult, SubIndication as S, Verdict as V};
use piaoyan_tests::ofd::{corpus, signer_cert, verify, verify_trusting};
use piaoyan_tests::vectors::{report_schema, schema_errors};

fn warning_codes(r: &Report) -> Vec<&str> {
    r.warnings.iter().map(|w| w.code.as_str()).collect()
}

fn sub(r: &Report) -> Option<S> {
    r.sub_indication
}

/// Every reference matched and every seal/signature value verified.
fn assert_integrity_intact(name: &str, r: &Report) {
    let doc = r.document.as_ref().expect("document section");
    assert!(!doc.signatures.is_empty(), "{name}");
    for s in &doc.signatures {
        assert!(
            s.failed_references.is_empty(),
            "{name}: {:?}",
            s.failed_references
        );
        for c in &s.checks {
            if c.id.ends_with("certificate.chain") {
                assert_eq!(c.result, CheckResult::Fail, "{name}");
            } else if c.level == piaoyan_core::report::Level::Failure {
                assert_eq!(
                    c.result,
                    CheckResult::Pass,
                    "{name}: {} {}",
                    c.id,
                    c.message.en
                );
            }
        }
        let ids: Vec<&str> = s
            .checks
            .iter()
            .map(|c| c.id.rsplit_once("].").unwrap().1)
            .collect();
        for must in [
            "references",
            "seal.dataHash",
            "seal.makerSignature",
            "signatureValue",
        ] {
            assert!(ids.contains(&must), "{name}: no {must} check in {ids:?}");
        }
    }
}

const INTACT: &[&str] = &[
    "converter-1.ofd",
    "converter-999.ofd",
    "converter-SignScaleError.ofd",
    "converter-V4RideRight.ofd",
    "converter-draw_param_ref.ofd",
    "converter-h.ofd",
    "layout-keyword2.ofd",
    "reader-SESV4SignDoc.ofd",
    "sign-allprotected.ofd",
    "sign-signedFile.ofd",
    "sign-v4signed.ofd",
];

#[test]
fn intact_files_are_indeterminate_without_trust_with_everything_verified() {
    for name in INTACT {
        let r = verify(&corpus(name));
        assert_eq!(r.format, "ofd");
        // Every part a reader is shown is covered (spec "Coverage"), but
        // for converter-draw_param_ref: its seal covers the pages, not the
        // two template pages they draw on (Document.xml TemplatePage,
        // used by every page). Those are shown unsigned, so the document is
        // INDETERMINATE for that first, trust or not.
        let (want, uncovered): (S, &[&str]) = if *name == "converter-draw_param_ref.ofd" {
            (
                S::SigConstraintsFailure,
                &[
                    "Doc_0/TPLS/TPL_0/Content.xml",
                    "Doc_0/TPLS/TPL_1/Content.xml",
                ],
            )
        } else {
            (S::NoCertificateChainFound, &[])
        };
        assert_eq!(
            (r.verdict, sub(&r)),
            (V::Indeterminate, Some(want)),
            "{name}: {}",
            r.reason.en
        );
        assert_eq!(r.document.as_ref().unwrap().uncovered, uncovered, "{name}");
        assert_integrity_intact(name, &r);
        let seal = r.document.as_ref().unwrap().signatures[0]
            .seal
            .as_ref()
            .expect("seal");
        let pic = seal.picture.as_ref().expect("seal picture");
        assert!(!pic.data.is_empty() && !pic.kind.is_empty(), "{name}");
        assert!(seal.maker.is_some() && seal.name.is_some(), "{name}");
        if *name != "converter-h.ofd" {
            assert!(
                !warning_codes(&r).contains(&"OFD_SIGNATURES_APPENDED"),
                "{name}"
            );
        }
    }
}

#[test]
fn converter_h_tolerates_the_appended_signatures_list_with_a_warning() {
    let r = verify(&corpus("converter-h.ofd"));
    assert_eq!(
        (r.verdict, sub(&r)),
        (V::Indeterminate, Some(S::NoCertificateChainFound))
    );
    assert_eq!(warning_codes(&r), ["OFD_SIGNATURES_APPENDED"]);
    let doc = r.document.unwrap();
    assert_eq!(doc.signatures.len(), 2);
    let tolerated: Vec<_> = doc.signatures[0]
        .references
        .iter()
        .filter(|x| x.result == RefResult::Tolerated)
        .map(|x| x.file_ref.as_str())
        .collect();
    assert_eq!(tolerated, ["/Doc_0/Signs/Signatures.xml"]);
    assert!(
        doc.signatures[1]
            .references
            .iter()
            .all(|x| x.result == RefResult::Match)
    );
}

#[test]
fn broken_files_are_invalid_naming_the_changed_parts() {
    for (name, parts) in [
        (
            "converter-zsbk.ofd",
            &[
                "/Doc_0/Pages/Page_0/Content.xml",
                "/Doc_0/Pages/Page_1/Content.xml",
            ][..],
        ),
        (
            "layout-keyword.ofd",
            &[
                "/OFD.xml",
                "/Doc_0/Document.xml",
                "/Doc_0/Pages/Page_0/Content.xml",
            ][..],
        ),
    ] {
        let r = verify(&corpus(name));
        assert_eq!(
            (r.verdict, sub(&r)),
            (V::Invalid, Some(S::HashFailure)),
            "{name}"
        );
        let doc = r.document.as_ref().unwrap();
        for p in parts {
            assert!(
                r.reason.en.contains(p),
                "{name}: reason lacks {p}: {}",
                r.reason.en
            );
            assert!(
                doc.signatures
                    .iter()
                    .all(|s| s.failed_references.iter().any(|f| f == p)),
                "{name} {p}"
            );
        }
        // The seals themselves still verify (labels.json).
        for s in doc.signatures.iter().filter(|s| s.kind == "Seal") {
            assert!(
                s.checks
                    .iter()
                    .any(|c| c.id.ends_with("].signatureValue") && c.result == CheckResult::Pass),
                "{name}"
            );
        }
    }
    // layout-keyword Sign_1: the seal's BIT STRING holds raw r||s, which
    // verifies; Sign_3 is a GB/T 35275 CMS with the SM3 of Signature.xml as
    // encapsulated content, which verifies too.
    let r = verify(&corpus("layout-keyword.ofd"));
    let doc = r.document.unwrap();
    assert_eq!(doc.signatures[1].encoding.as_deref(), Some("CMS"));
    assert!(
        doc.signatures[1]
            .checks
            .iter()
            .any(|c| c.id == "ofd.signature[1].signatureValue" && c.result == CheckResult::Pass)
    );
}

#[test]
fn unsigned_document_is_a_format_failure() {
    let r = verify(&corpus("reader-helloworld.ofd"));
    assert_eq!((r.verdict, sub(&r)), (V::Invalid, Some(S::FormatFailure)));
    assert!(
        r.reason.en.contains("no signature was found"),
        "{}",
        r.reason.en
    );
}

#[test]
fn bare_sm2_signature_without_certificate_is_indeterminate() {
    // sign-DigitalSign: a 70-byte DER SM2 signature over Signature.xml; the
    // certificate is not in the file, so the references are checked (they
    // match) but the signature cannot be: NO_SIGNING_CERTIFICATE_FOUND.
    let r = verify(&corpus("sign-DigitalSign.ofd"));
    assert_eq!(
        (r.verdict, sub(&r)),
        (V::Indeterminate, Some(S::NoSigningCertificateFound))
    );
    let s = &r.document.as_ref().unwrap().signatures[0];
    assert_eq!(s.encoding.as_deref(), Some("DER"));
    assert!(s.references.iter().all(|x| x.result == RefResult::Match));
}

#[test]
fn cms_signed_files_verify_up_to_the_missing_anchor() {
    // UNKNOWN in labels.json. What is true: both Type="Sign" signatures are
    // GB/T 35275 SignedData (contentType 1.2.156.10197.6.1.4.2.2) without
    // encapsulated content, with signedAttrs whose contentType is the GB/T
    // data OID while eContentType is the PKCS #7 one (the same "data"), and
    // messageDigest = SM3(Signature.xml). Every reference matches and both
    // SM2 signature values verify with the certificate in the CMS; only the
    // trust anchor is missing.
    for name in [
        "converter-testImageNotFound.ofd",
        "converter-testImageOverridePage.ofd",
    ] {
        let r = verify(&corpus(name));
        assert_eq!(
            (r.verdict, sub(&r)),
            (V::Indeterminate, Some(S::NoCertificateChainFound)),
            "{name}: {}",
            r.reason.en
        );
        let doc = r.document.unwrap();
        assert_eq!(doc.signatures.len(), 2);
        for s in &doc.signatures {
            assert!(s.failed_references.is_empty());
            for id in ["references", "cms.messageDigest", "signatureValue"] {
                assert!(
                    s.checks.iter().any(
                        |c| c.id.ends_with(&format!("].{id}")) && c.result == CheckResult::Pass
                    ),
                    "{name} {id}"
                );
            }
        }
    }
}

#[test]
fn converter_n_v1_seal_does_not_verify_as_the_standard_says() {
    // UNKNOWN in labels.json. What is true (established with this verifier
    // and the sm2 crate directly):
    // - CheckMethod is 1.2.156.10197.1.401.2, SM3 "with key": the
    //   references are not plain SM3 digests and cannot be checked
    //   (CRYPTO_CONSTRAINTS_FAILURE, not a proof);
    // - the seal's dataHash is not the SM3 of Signature.xml. dataHash is
    //   always SM3 (ofd-seals.md "dataHash", issue 12 item 3): the
    //   CheckMethod governs the references only, so this is a proven
    //   HASH_FAILURE (it was CRYPTO_CONSTRAINTS_FAILURE before the spec
    //   said so);
    // - the v1 signer's SM2 signature does not verify over TBS_Sign; it
    //   verifies only as a bare signature of the 32 dataHash octets (e =
    //   dataHash, no Z_A), so the seal, time and certificate in TBS_Sign are
    //   not covered by it;
    // - the seal maker's signature does not verify over SES_SealInfo (nor
    //   over its SM3).
    // The first proven failure decides: INVALID, HASH_FAILURE.
    let r = verify(&corpus("converter-n.ofd"));
    assert_eq!(
        (r.verdict, sub(&r)),
        (V::Invalid, Some(S::HashFailure)),
        "{}",
        r.reason.en
    );
    let s = &r.document.as_ref().unwrap().signatures[0];
    assert_eq!(s.ses_version, Some(1));
    let failed: Vec<(&str, Option<&str>)> = s
        .checks
        .iter()
        .filter(|c| c.result == CheckResult::Fail)
        .map(|c| (c.id.as_str(), c.code.as_deref()))
        .collect();
    assert_eq!(
        failed,
        [
            (
                "ofd.signature[0].references",
                Some("CRYPTO_CONSTRAINTS_FAILURE")
            ),
            ("ofd.signature[0].seal.dataHash", Some("HASH_FAILURE")),
            (
                "ofd.signature[0].seal.makerSignature",
                Some("SIG_CRYPTO_FAILURE")
            ),
            (
                "ofd.signature[0].signatureValue",
                Some("SIG_CRYPTO_FAILURE")
            ),
        ]
    );
    assert_eq!(
        s.seal.as_ref().unwrap().picture.as_ref().unwrap().kind,
        "png"
    );
}

#[test]
fn every_corpus_report_matches_the_schema() {
    let schema = report_schema();
    let dir = piaoyan_tests::vectors::shared_dir().join("corpus/ofdrw");
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "ofd") {
            let r = verify(&std::fs::read(&path).unwrap());
            let json = serde_json::to_value(&r).unwrap();
            let errors = schema_errors(&schema, &json);
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        }
    }
}

#[test]
fn json_entry_point_detects_ofd_by_content() {
    let bytes = corpus("sign-v4signed.ofd");
    let json = piaoyan_core::verify_json(&bytes, b"").unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["format"], "ofd");
    assert_eq!(v["verdict"], "INDETERMINATE");
}

/// A corpus file verified with its first seal's signer certificate as the
/// only trust anchor.
fn verify_trusting_its_signer(name: &str) -> Report {
    let bytes = corpus(name);
    verify_trusting(&bytes, signer_cert(&bytes))
}

#[test]
fn trusted_signer_makes_intact_files_valid() {
    // The issuers of these certificates are not in the files; the signer
    // certificate itself is supplied as the trust anchor. Validity dates are
    // judged at the seal's signing time; NOW only adds the "expired since"
    // warning.
    for name in [
        "converter-1.ofd",
        "sign-v4signed.ofd",
        "sign-allprotected.ofd",
        "converter-V4RideRight.ofd",
        "layout-keyword2.ofd",
    ] {
        let r = verify_trusting_its_signer(name);
        assert_eq!(
            (r.verdict, sub(&r)),
            (V::Valid, None),
            "{name}: {}",
            r.reason.en
        );
        let s = &r.document.as_ref().unwrap().signatures[0];
        assert_eq!(s.chain.len(), 1);
        assert_eq!(s.chain[0].source, "anchor");
    }
    // converter-1's certificate expired in 2023: still valid, with a warning.
    let r = verify_trusting_its_signer("converter-1.ofd");
    assert!(warning_codes(&r).contains(&"CERT_EXPIRED_SINCE_SIGNING"));
    // Trust never repairs a broken document.
    let r = verify_trusting_its_signer("converter-zsbk.ofd");
    assert_eq!((r.verdict, sub(&r)), (V::Invalid, Some(S::HashFailure)));
}

#[test]
fn trusted_reader_sesv4_signer_certificate_had_expired_at_signing() {
    // reader-SESV4SignDoc's test signer certificate had expired by the
    // seal's timeInfo (2026-08-04): once the signer is trusted, validity is
    // judged at the signing time and the document is INVALID, EXPIRED.
    let name = "reader-SESV4SignDoc.ofd";
    let r = verify_trusting_its_signer(name);
    assert_eq!(
        (r.verdict, sub(&r)),
        (V::Invalid, Some(S::Expired)),
        "{}",
        r.reason.en
    );
}
