//! Issue 12, item 4 (ofd-seals.md "Coverage"): what a reader sees is what
//! was signed. The opened document (`DocRoot`'s `Document.xml`), its pages,
//! templates, resource files and the files they name, and the annotations
//! shown on its pages must each be covered by a reference of a VALID
//! signature; otherwise the document is INDETERMINATE at best and the
//! report names the uncovered parts.
//!
//! `converter-999.ofd` is the base of the attacks: its seal does not cover
//! `OFD.xml` (real signers rarely do), and it is VALID when its signer is
//! trusted.

use piaoyan_core::report::{CheckResult, Report, SubIndication as S, Verdict as V};
use piaoyan_tests::ofd::{corpus, replace_once, rewrite, signer_cert, verify, verify_trusting};

const BASE: &str = "converter-999.ofd";

fn trusted(bytes: &[u8]) -> Report {
    verify_trusting(bytes, signer_cert(&corpus(BASE)))
}

fn entry<'a>(entries: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut entries.iter_mut().find(|(n, _)| n == name).expect(name).1
}

fn get(entries: &[(String, Vec<u8>)], name: &str) -> Vec<u8> {
    entries
        .iter()
        .find(|(n, _)| n == name)
        .expect(name)
        .1
        .clone()
}

fn uncovered(r: &Report) -> Vec<String> {
    r.document.as_ref().expect("document").uncovered.clone()
}

fn coverage_check(r: &Report) -> &piaoyan_core::report::Check {
    r.checks
        .iter()
        .find(|c| c.id == "ofd.coverage")
        .expect("an ofd.coverage check")
}

/// `BASE` with an unsigned copy of `Document.xml` whose first page is an
/// altered, unsigned copy of the genuine one; `OFD.xml`'s `DocRoot` is set
/// to `doc_root` (which must name the copy).
fn unsigned_copy(doc_root: &str) -> Vec<u8> {
    rewrite(&corpus(BASE), |e| {
        let page = get(e, "Doc_0/Pages/Page_0/Content.xml");
        let forged = replace_once(&page, b"10000.00", b"90000.00");
        assert_ne!(page, forged);
        let doc = get(e, "Doc_0/Document.xml");
        let copy = replace_once(
            &doc,
            b"Pages/Page_0/Content.xml",
            b"Pages/Page_0x/Content.xml",
        );
        e.push(("Doc_0/Pages/Page_0x/Content.xml".into(), forged));
        e.push(("Doc_0/Document2.xml".into(), copy));
        let ofd = entry(e, "OFD.xml");
        *ofd = replace_once(
            ofd,
            b"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>",
            format!("<ofd:DocRoot>{doc_root}</ofd:DocRoot>").as_bytes(),
        );
    })
}

#[test]
fn the_genuine_base_is_valid_when_trusted_and_fully_covered() {
    let r = trusted(&corpus(BASE));
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Valid, None),
        "{}",
        r.reason.en
    );
    assert!(uncovered(&r).is_empty(), "{:?}", uncovered(&r));
    assert_eq!(coverage_check(&r).result, CheckResult::Pass);
}

#[test]
fn a_doc_root_naming_an_unsigned_copy_with_an_altered_page_is_not_valid() {
    for doc_root in [
        "Doc_0/Document2.xml",
        "/Doc_0/Document2.xml",
        "./Doc_0//Document2.xml",
        "Doc_0\\Document2.xml",
        "doc_0/DOCUMENT2.xml",
    ] {
        let bytes = unsigned_copy(doc_root);
        let r = trusted(&bytes);
        assert_eq!(
            (r.verdict, r.sub_indication),
            (V::Indeterminate, Some(S::SigConstraintsFailure)),
            "{doc_root}: {}",
            r.reason.en
        );
        assert_eq!(
            uncovered(&r),
            ["Doc_0/Document2.xml", "Doc_0/Pages/Page_0x/Content.xml"],
            "{doc_root}"
        );
        assert!(
            r.reason.en.contains("/Doc_0/Pages/Page_0x/Content.xml"),
            "{}",
            r.reason.en
        );
        let check = coverage_check(&r);
        assert_eq!(check.result, CheckResult::Fail);
        assert_eq!(check.code.as_deref(), Some("SIG_CONSTRAINTS_FAILURE"));
        // The seal itself is still VALID: it covers the genuine document.
        let s = &r.document.as_ref().unwrap().signatures[0];
        assert_eq!(s.verdict, V::Valid);
        // Without trust it stays INDETERMINATE, the coverage named first.
        let r = verify(&bytes);
        assert_eq!(
            (r.verdict, r.sub_indication),
            (V::Indeterminate, Some(S::SigConstraintsFailure)),
            "{}",
            r.reason.en
        );
    }
}

#[test]
fn other_spellings_of_the_signed_doc_root_are_the_same_document() {
    for doc_root in [
        "/Doc_0/Document.xml",
        "./Doc_0//./Document.xml",
        "Doc_0\\Document.xml",
    ] {
        let bytes = rewrite(&corpus(BASE), |e| {
            let ofd = entry(e, "OFD.xml");
            *ofd = replace_once(
                ofd,
                b"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>",
                format!("<ofd:DocRoot>{doc_root}</ofd:DocRoot>").as_bytes(),
            );
        });
        let r = trusted(&bytes);
        assert_eq!(
            (r.verdict, r.sub_indication),
            (V::Valid, None),
            "{doc_root}: {}",
            r.reason.en
        );
    }
}

#[test]
fn a_second_document_in_the_package_is_not_valid() {
    // A viewer may show every DocBody; only the first is verified.
    let bytes = rewrite(&corpus(BASE), |e| {
        let doc = get(e, "Doc_0/Document.xml");
        e.push(("Doc_1/Document.xml".into(), doc));
        let ofd = entry(e, "OFD.xml");
        *ofd = replace_once(
            ofd,
            b"</ofd:OFD>",
            b"<ofd:DocBody><ofd:DocRoot>Doc_1/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        );
    });
    let r = trusted(&bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Indeterminate, Some(S::SigConstraintsFailure)),
        "{}",
        r.reason.en
    );
    assert_eq!(uncovered(&r), ["Doc_1/Document.xml"]);
}

#[test]
fn two_parts_one_name_are_refused() {
    // A case-insensitive reader opens either of the two; which one is not
    // determined: one reading only.
    for twin in [
        "doc_0/pages/page_0/content.xml",
        "Doc_0/Pages/Page_0/Content.xml.",
        "Doc_0//Pages/Page_0/Content.xml",
        "Doc_0/./Pages/Page_0/Content.xml",
    ] {
        let bytes = rewrite(&corpus(BASE), |e| {
            let page = get(e, "Doc_0/Pages/Page_0/Content.xml");
            e.push((twin.into(), replace_once(&page, b"10000.00", b"90000.00")));
        });
        let r = trusted(&bytes);
        assert_eq!(
            (r.verdict, r.sub_indication),
            (V::Invalid, Some(S::FormatFailure)),
            "{twin}: {}",
            r.reason.en
        );
        // The zip reader refuses names that collide in its own reading
        // (`ofd.zip`); the package refuses those that collide as part names
        // (`ofd.partNames`).
        assert!(
            r.checks
                .iter()
                .any(|c| (c.id == "ofd.partNames" || c.id == "ofd.zip")
                    && c.result == CheckResult::Fail),
            "{twin}"
        );
    }
}

#[test]
fn an_unsigned_annotation_on_the_opened_document_is_named() {
    // The unsigned copy keeps every genuine page but adds an annotation
    // list of its own: the copy and the annotations are what is unsigned.
    let bytes = rewrite(&corpus(BASE), |e| {
        let doc = get(e, "Doc_0/Document.xml");
        let copy = replace_once(&doc, b"Annots/Annotations.xml", b"Annots/Annotations2.xml");
        e.push(("Doc_0/Document2.xml".into(), copy));
        e.push((
            "Doc_0/Annots/Annotations2.xml".into(),
            br#"<?xml version="1.0" encoding="UTF-8"?><ofd:Annotations xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Page PageID="10"><ofd:FileLoc>Page_0/Stamp.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>"#.to_vec(),
        ));
        e.push((
            "Doc_0/Annots/Page_0/Stamp.xml".into(),
            br#"<?xml version="1.0" encoding="UTF-8"?><ofd:PageAnnot xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Annot ID="900" Type="Stamp"><ofd:Appearance Boundary="0 0 50 50"/></ofd:Annot></ofd:PageAnnot>"#.to_vec(),
        ));
        let ofd = entry(e, "OFD.xml");
        *ofd = replace_once(ofd, b"Doc_0/Document.xml", b"Doc_0/Document2.xml");
    });
    let r = trusted(&bytes);
    assert_eq!(r.verdict, V::Indeterminate, "{}", r.reason.en);
    assert_eq!(
        uncovered(&r),
        [
            "Doc_0/Document2.xml",
            "Doc_0/Annots/Annotations2.xml",
            "Doc_0/Annots/Page_0/Stamp.xml"
        ]
    );
}

// What a reader is shown, enumerated on a package built for it (no
// signature needed): `coverage::required` and `package::structure`.

use piaoyan_core::Limits;
use piaoyan_core::ofd::coverage;
use piaoyan_core::ofd::package::{Package, structure};
use piaoyan_core::ofd::zip::Archive;
use piaoyan_tests::ofd::{Item, zip};

const NS: &str = r#"xmlns:ofd="http://www.ofdspec.org/2016""#;

fn package(parts: &[(&str, String)]) -> Vec<u8> {
    let items: Vec<Item> = parts
        .iter()
        .map(|(n, d)| Item::new(n, d.as_bytes().to_vec()))
        .collect();
    zip(&items)
}

fn ofd_xml(body: &str) -> String {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.0">{body}</ofd:OFD>"#)
}

fn res(base: &str, inner: &str) -> String {
    format!(r#"<ofd:Res {NS} BaseLoc="{base}">{inner}</ofd:Res>"#)
}

fn page(inner: &str) -> String {
    format!(r#"<ofd:Page {NS}>{inner}<ofd:Content/></ofd:Page>"#)
}

#[test]
fn the_parts_a_reader_is_shown_are_every_page_template_resource_and_annotation() {
    let document = format!(
        r#"<ofd:Document {NS}><ofd:CommonData><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>/Doc_0/DocRes.xml</ofd:DocumentRes><ofd:TemplatePage ID="9" BaseLoc="TPLS/T0/Content.xml"/></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/P0/Content.xml"/><ofd:Page ID="2" BaseLoc="Pages\P1\Content.xml"/></ofd:Pages><ofd:Annotations>Annots/Annotations.xml</ofd:Annotations><ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments></ofd:Document>"#
    );
    let bytes = package(&[
        (
            "OFD.xml",
            ofd_xml("<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>"),
        ),
        ("Doc_0/Document.xml", document),
        (
            "Doc_0/PublicRes.xml",
            res(
                "Res",
                r#"<ofd:Fonts><ofd:Font ID="3" FontName="x"><ofd:FontFile>f.ttf</ofd:FontFile></ofd:Font></ofd:Fonts><ofd:ColorSpaces><ofd:ColorSpace ID="4" Type="RGB" Profile="icc.icc"/></ofd:ColorSpaces>"#,
            ),
        ),
        ("Doc_0/Res/f.ttf", "font".into()),
        ("Doc_0/Res/icc.icc", "icc".into()),
        (
            "Doc_0/DocRes.xml",
            res(
                "",
                r#"<ofd:MultiMedias><ofd:MultiMedia ID="5" Type="Image"><ofd:MediaFile>/Doc_0/Media/img.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias>"#,
            ),
        ),
        ("Doc_0/Media/img.png", "png".into()),
        // The template's path differs in case from the part: one part.
        (
            "Doc_0/Tpls/T0/Content.xml",
            page("<ofd:PageRes>TRes.xml</ofd:PageRes>"),
        ),
        (
            "Doc_0/Tpls/T0/TRes.xml",
            res(
                ".",
                "<ofd:MultiMedias><ofd:MultiMedia ID=\"6\"><ofd:MediaFile>t.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias>",
            ),
        ),
        ("Doc_0/Tpls/T0/t.png", "png".into()),
        (
            "Doc_0/Pages/P0/Content.xml",
            page("<ofd:PageRes>Res0.xml</ofd:PageRes>"),
        ),
        // "Res/p.png" read under the page resource file's directory and
        // under the document's: both parts exist, both are required.
        (
            "Doc_0/Pages/P0/Res0.xml",
            res(
                "Res",
                "<ofd:MultiMedias><ofd:MultiMedia ID=\"7\"><ofd:MediaFile>p.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias>",
            ),
        ),
        ("Doc_0/Pages/P0/Res/p.png", "png".into()),
        ("Doc_0/Res/p.png", "png".into()),
        // Not well-formed: what it uses cannot be known.
        ("Doc_0/Pages/P1/Content.xml", "<ofd:Page".into()),
        (
            "Doc_0/Annots/Annotations.xml",
            format!(
                r#"<ofd:Annotations {NS}><ofd:Page PageID="1"><ofd:FileLoc>Page_0/A.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>"#
            ),
        ),
        (
            "Doc_0/Annots/Page_0/A.xml",
            format!("<ofd:PageAnnot {NS}/>"),
        ),
        // Not shown as page content: attachments, unlisted parts.
        (
            "Doc_0/Attachs/Attachments.xml",
            format!(
                r#"<ofd:Attachments {NS}><ofd:Attachment ID="1" Name="x"><ofd:FileLoc>a.xml</ofd:FileLoc></ofd:Attachment></ofd:Attachments>"#
            ),
        ),
        ("Doc_0/Attachs/a.xml", "<a/>".into()),
        ("Doc_0/Res/unlisted.png", "png".into()),
    ]);
    let limits = Limits::default();
    let archive = Archive::parse(&bytes, &limits).unwrap();
    let package = Package::new(&archive).unwrap();
    let s = structure(&package, &limits).unwrap();
    assert_eq!(s.doc_root, "Doc_0/Document.xml");
    let required = coverage::required(&package, &s.doc_root, &limits);
    let mut parts = required.parts.clone();
    parts.sort();
    assert_eq!(
        parts,
        [
            "Doc_0/Annots/Annotations.xml",
            "Doc_0/Annots/Page_0/A.xml",
            "Doc_0/DocRes.xml",
            "Doc_0/Document.xml",
            "Doc_0/Media/img.png",
            "Doc_0/Pages/P0/Content.xml",
            "Doc_0/Pages/P0/Res/p.png",
            "Doc_0/Pages/P0/Res0.xml",
            "Doc_0/Pages/P1/Content.xml",
            "Doc_0/PublicRes.xml",
            "Doc_0/Res/f.ttf",
            "Doc_0/Res/icc.icc",
            "Doc_0/Res/p.png",
            "Doc_0/Tpls/T0/Content.xml",
            "Doc_0/Tpls/T0/TRes.xml",
            "Doc_0/Tpls/T0/t.png",
        ]
    );
    assert_eq!(required.unreadable, ["Doc_0/Pages/P1/Content.xml"]);
}

#[test]
fn two_signature_lists_for_one_document_are_refused() {
    let document = |signatures: &str| {
        format!(r#"<ofd:Document {NS}><ofd:CommonData/><ofd:Pages/>{signatures}</ofd:Document>"#)
    };
    let body = "<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody>";
    let limits = Limits::default();
    for (doc_signatures, ok) in [
        ("", true),
        // The same list, spelt otherwise: one list.
        (
            "<ofd:Signatures>/Doc_0/Signs/./Signatures.xml</ofd:Signatures>",
            true,
        ),
        ("<ofd:Signatures>Signs/Other.xml</ofd:Signatures>", false),
    ] {
        let bytes = package(&[
            ("OFD.xml", ofd_xml(body)),
            ("Doc_0/Document.xml", document(doc_signatures)),
        ]);
        let archive = Archive::parse(&bytes, &limits).unwrap();
        let package = Package::new(&archive).unwrap();
        let s = structure(&package, &limits);
        assert_eq!(s.is_ok(), ok, "{doc_signatures}: {s:?}");
        if let Ok(s) = s {
            assert_eq!(
                s.signatures_path.as_deref(),
                Some("Doc_0/Signs/Signatures.xml")
            );
        }
    }
    // Two DocRoot (or two Signatures) in one DocBody: readers taking the
    // first and readers taking the last disagree.
    for body in [
        "<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:DocRoot>Doc_1/Document.xml</ofd:DocRoot></ofd:DocBody>",
        "<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:Signatures>a.xml</ofd:Signatures><ofd:Signatures>b.xml</ofd:Signatures></ofd:DocBody>",
    ] {
        let bytes = package(&[
            ("OFD.xml", ofd_xml(body)),
            ("Doc_0/Document.xml", document("")),
            ("Doc_1/Document.xml", document("")),
        ]);
        let archive = Archive::parse(&bytes, &limits).unwrap();
        let package = Package::new(&archive).unwrap();
        let e = structure(&package, &limits).unwrap_err();
        assert!(e.en.contains("more than one"), "{}", e.en);
    }
}

#[test]
fn an_uncovered_attachment_is_warned_about() {
    // A signature that does not cover the attachment: the attachment is
    // not shown as page content, but a host may show it; a warning says so.
    let bytes = rewrite(&corpus(BASE), |e| {
        let list = entry(e, "Doc_0/Attachs/Attachments.xml");
        *list = replace_once(list, b"original_invoice.xml", b"other_invoice.xml");
        e.push(("Doc_0/Attachs/other_invoice.xml".into(), b"<a/>".to_vec()));
    });
    // The list itself was signed: the change is a HASH_FAILURE as always,
    // and the unsigned attachment is warned about.
    let r = trusted(&bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::HashFailure))
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.code == "OFD_ATTACHMENT_UNCOVERED"
                && w.message.en.contains("/Doc_0/Attachs/other_invoice.xml")),
        "{:?}",
        r.warnings
    );
}
