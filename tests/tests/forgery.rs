//! Forgery attempts (issue #6, item 4): content changed after signing in
//! every field, signatures moved between bills, a supervisor signature
//! reused, another unit's valid certificate, and XML tricks that would show
//! a reader one value and the verifier another. None may be VALID.
//!
//! Control cases that must stay VALID (a BOM added, the declaration
//! dropped: envelope changes outside the signed octets B) show that the
//! tests can tell a harmless change from a forgery.

use piaoyan_core::report::Report;
use piaoyan_core::{SubIndication, Verdict, Verifier, VerifyOptions};
use piaoyan_tests::fixture::*;

/// 2026-06-01T00:00:00Z.
const NOW: i64 = 1_780_272_000;

fn options(pki: &Pki) -> VerifyOptions {
    pki.verify_options(Some(NOW))
}

fn pki() -> Pki {
    Pki::new("FORGERY")
}

fn verifier(pki: &Pki) -> Verifier {
    Verifier::new(&options(pki)).unwrap()
}

/// Signature formats that cover every way B reaches the signature: the
/// bare value over B, CMS over B, CMS over signed attributes holding H(B).
fn combos(bill: &BillSpec) -> Vec<(SignSpec, SignSpec)> {
    let (u, s) = (bill.issue_plus(30), bill.issue_plus(600));
    vec![
        (
            SignSpec::detach_signed_attrs(Alg::Sm2, &u),
            SignSpec::raw_der(Alg::P256, &s),
        ),
        (
            SignSpec::raw_rs(Alg::P256, &u),
            SignSpec::detach(Alg::Sm2, &s),
        ),
        (
            SignSpec::detach_with(Alg::P256, &u, false, true, CertsIn::Signer)
                .with_key_info(KeyInfoSpec::SerialIssuerCert),
            SignSpec::raw_rs(Alg::Sm2, &s),
        ),
    ]
}

fn sign(pki: &Pki, bill: &BillSpec) -> Vec<u8> {
    let (u, s) = combos(bill).remove(0);
    pki.sign_bill(bill, &u, &s)
}

fn describe(r: &Report) -> String {
    format!(
        "{:?}/{:?}: {}",
        r.verdict,
        r.sub_indication.map(|s| s.as_str()),
        r.reason.en
    )
}

fn assert_not_valid(r: &Report, what: &str) {
    assert_ne!(r.verdict, Verdict::Valid, "{what}: {}", describe(r));
}

fn assert_valid(r: &Report, what: &str) {
    assert_eq!(r.verdict, Verdict::Valid, "{what}: {}", describe(r));
}

fn assert_format_failure(r: &Report, what: &str) {
    assert_eq!(
        (r.verdict, r.sub_indication),
        (Verdict::Invalid, Some(SubIndication::FormatFailure)),
        "{what}: {}",
        describe(r)
    );
}

// ---------------------------------------------------------------------------
// Content changed after signing, field by field.

/// Every text node inside `Header` and `EInvoiceData`, as (element path,
/// byte range of the text in the source).
fn signed_text_fields(xml: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let doc = roxmltree::Document::parse(xml).expect("generated bill parses");
    let mut out = Vec::new();
    for part in doc
        .root_element()
        .children()
        .filter(|n| matches!(n.tag_name().name(), "Header" | "EInvoiceData"))
    {
        for node in part.descendants() {
            if node.is_text() && !node.text().unwrap_or("").trim().is_empty() {
                let path: Vec<&str> = node
                    .ancestors()
                    .filter(|a| a.is_element())
                    .map(|a| a.tag_name().name())
                    .collect();
                let path: Vec<&str> = path.into_iter().rev().collect();
                out.push((path.join("/"), node.range()));
            }
        }
    }
    out
}

/// A different character of the same kind.
fn other_char(c: char) -> char {
    match c {
        '0'..='8' => char::from(c as u8 + 1),
        '9' => '0',
        'a'..='y' | 'A'..='Y' => char::from(c as u8 + 1),
        'z' => 'a',
        'Z' => 'A',
        '某' => '甲',
        _ => '某',
    }
}

/// Ways to change a field's text: (name, new source text).
fn mutations(text: &str) -> Vec<(&'static str, String)> {
    let mut chars: Vec<char> = text.chars().collect();
    let last = chars.pop().unwrap_or('x');
    let first = text.chars().next().unwrap_or('x');
    vec![
        ("last character changed", {
            let mut s: String = chars.iter().collect();
            s.push(other_char(last));
            s
        }),
        ("a character appended", format!("{text}1")),
        ("emptied", String::new()),
        ("padded with white space", format!(" {text}\n")),
        (
            "first character as a character reference",
            format!("&#x{:X};{}", first as u32, &text[first.len_utf8()..]),
        ),
    ]
}

#[test]
fn every_field_changed_after_signing_is_never_valid() {
    let pki = pki();
    let verifier = verifier(&pki);
    let mut bills = vec![BillSpec::medical(), BillSpec::donation()];
    // Optional fields too.
    bills[0].main_tail.push(("Remark".into(), "复诊".into()));
    bills[0].items[0].remark = Some("加急".into());
    let mut tried = 0;
    for bill in &bills {
        for (u, s) in combos(bill) {
            let xml = pki.sign_bill(bill, &u, &s);
            assert_valid(&verifier.verify(&xml), "untouched");
            let text = std::str::from_utf8(&xml).unwrap();
            let fields = signed_text_fields(text);
            assert!(fields.len() >= 40, "only {} fields", fields.len());
            for (path, range) in fields {
                let original = &text[range.clone()];
                for (how, new) in mutations(original) {
                    let forged = [&xml[..range.start], new.as_bytes(), &xml[range.end..]].concat();
                    let r = verifier.verify(&forged);
                    let what = format!("{path} {how} ({u:?})");
                    assert_not_valid(&r, &what);
                    // Not just any failure: the signatures themselves.
                    if !r.signatures.is_empty() {
                        for sig in &r.signatures {
                            assert!(
                                matches!(
                                    sig.sub_indication,
                                    Some(
                                        SubIndication::HashFailure
                                            | SubIndication::SigCryptoFailure
                                    )
                                ),
                                "{what}: {:?} signature {:?}",
                                sig.role,
                                sig.sub_indication
                            );
                        }
                    } else {
                        assert_format_failure(&r, &what);
                    }
                    tried += 1;
                }
            }
        }
    }
    println!("{tried} forged bills, none VALID");
    assert!(tried > 500);
}

// ---------------------------------------------------------------------------
// Signatures moved between bills.

fn signature_element(xml: &[u8], id: &str) -> std::ops::Range<usize> {
    element_range(xml, &format!("<Signature Id=\"{id}\""), "</Signature>").expect(id)
}

fn splice(xml: &[u8], range: std::ops::Range<usize>, with: &[u8]) -> Vec<u8> {
    [&xml[..range.start], with, &xml[range.end..]].concat()
}

#[test]
fn signatures_moved_between_bills_are_never_valid() {
    let pki = pki();
    let verifier = verifier(&pki);
    let one = BillSpec::medical();
    let mut two = BillSpec::medical();
    two.einvoice_number = "0001203858".into();
    two.items[2] = ItemSpec::priced("303", "化验费", "1", "次", "12.85");
    for (u, s) in combos(&one) {
        let a = pki.sign_bill(&one, &u, &s);
        let b = pki.sign_bill(&two, &u, &s);
        assert_valid(&verifier.verify(&a), "bill one");
        assert_valid(&verifier.verify(&b), "bill two");
        let block = |x: &[u8]| {
            element_range(x, "<EInvoiceSignature>", "</EInvoiceSignature>").expect("signatures")
        };
        // Both signatures of one onto the content of two.
        let moved = splice(&b, block(&b), &a[block(&a)]);
        let r = verifier.verify(&moved);
        assert_not_valid(&r, "both signatures moved");
        assert_ne!(r.signatures[0].verdict, Verdict::Valid);
        // The unit signature alone.
        let unit = splice(
            &b,
            signature_element(&b, "InvoicingParty"),
            &a[signature_element(&a, "InvoicingParty")],
        );
        let r = verifier.verify(&unit);
        assert_not_valid(&r, "unit signature moved");
        assert_ne!(r.signatures[0].verdict, Verdict::Valid);
        // The supervisor signature of one reused on two: two's unit
        // signature is genuine, the supervisor's countersignature is not.
        let sup = splice(
            &b,
            signature_element(&b, "Supervisor"),
            &a[signature_element(&a, "Supervisor")],
        );
        let r = verifier.verify(&sup);
        assert_not_valid(&r, "supervisor signature reused");
        assert_eq!(r.signatures[0].verdict, Verdict::Valid);
        assert!(
            matches!(
                r.signatures[1].sub_indication,
                Some(SubIndication::HashFailure | SubIndication::SigCryptoFailure)
            ),
            "{}",
            describe(&r)
        );
        // Roles swapped: the unit's signature element relabelled as the
        // supervisor's and the other way round.
        let unit_el = String::from_utf8(a[signature_element(&a, "InvoicingParty")].to_vec())
            .unwrap()
            .replace("Id=\"InvoicingParty\"", "Id=\"Supervisor\"");
        let sup_el = String::from_utf8(a[signature_element(&a, "Supervisor")].to_vec())
            .unwrap()
            .replace("Id=\"Supervisor\"", "Id=\"InvoicingParty\"");
        let swapped = [
            &a[..signature_element(&a, "InvoicingParty").start],
            sup_el.as_bytes(),
            b"\n",
            unit_el.as_bytes(),
            &a[signature_element(&a, "Supervisor").end..],
        ]
        .concat();
        assert_not_valid(&verifier.verify(&swapped), "roles swapped");
    }
}

#[test]
fn a_supervisor_signature_countersigns_exactly_one_unit_signature() {
    let pki = pki();
    let verifier = verifier(&pki);
    let bill = BillSpec::medical();
    let t = bill.issue_plus(30);
    // The same B signed by the same unit twice (ECDSA is randomised in the
    // field; here two encodings): the supervisor of one does not fit the other.
    let s = SignSpec::raw_der(Alg::P256, &bill.issue_plus(600));
    let a = pki.sign_bill(&bill, &SignSpec::raw_der(Alg::P256, &t), &s);
    let b = pki.sign_bill(&bill, &SignSpec::raw_rs(Alg::P256, &t), &s);
    let mixed = splice(
        &b,
        signature_element(&b, "Supervisor"),
        &a[signature_element(&a, "Supervisor")],
    );
    let r = verifier.verify(&mixed);
    assert_not_valid(&r, "supervisor of another unit signature");
    assert_eq!(r.signatures[0].verdict, Verdict::Valid);
    assert_eq!(
        r.signatures[1].sub_indication,
        Some(SubIndication::SigCryptoFailure)
    );
}

// ---------------------------------------------------------------------------
// Someone else's valid certificate.

#[test]
fn another_units_valid_certificate_is_an_identity_mismatch() {
    let pki = pki();
    let verifier = verifier(&pki);
    let bill = BillSpec::medical();
    let (nb, na) = default_validity();
    let (u, s) = combos(&bill).remove(0);
    let unit = pki.unit_leaf(Alg::Sm2, &bill);
    let sup = pki.supervisor_leaf(Alg::P256, &bill);
    assert_valid(
        &verifier.verify(&build_bill(&bill, (&u, &unit), (&s, &sup))),
        "control",
    );
    let school = BillSpec::education();
    let cases: Vec<(&str, Leaf, Leaf)> = vec![
        (
            "another unit's certificate",
            pki.unit_leaf(Alg::Sm2, &school),
            sup.clone(),
        ),
        (
            "the unit code in the common name only",
            pki.issue(&LeafSpec {
                serial_number_attr: None,
                ..LeafSpec::new(
                    Alg::Sm2,
                    &bill.invoicing_party.code,
                    &bill.invoicing_party.code,
                    nb,
                    na,
                )
            }),
            sup.clone(),
        ),
        (
            "the unit code with a prefix",
            pki.issue(&LeafSpec::new(
                Alg::Sm2,
                "杭州市滨江示范医院",
                &format!("USCC{}", bill.invoicing_party.code),
                nb,
                na,
            )),
            sup.clone(),
        ),
        (
            "the supervisor's certificate for the unit",
            {
                let mut l = pki.supervisor_leaf(Alg::Sm2, &bill);
                l.key = l.key.clone();
                l
            },
            sup.clone(),
        ),
        ("the unit's certificate for the supervisor", unit.clone(), {
            let mut leaf = pki.unit_leaf(Alg::P256, &bill);
            leaf.key = leaf.key.clone();
            leaf
        }),
        ("a supervisor of another area", unit.clone(), {
            let mut other = bill.clone();
            other.supervisor_area_code = "110000".into();
            other.supervisor_name = "北京市财政局".into();
            pki.supervisor_leaf(Alg::P256, &other)
        }),
    ];
    for (what, unit_leaf, sup_leaf) in cases {
        let r = verifier.verify(&build_bill(&bill, (&u, &unit_leaf), (&s, &sup_leaf)));
        assert_eq!(
            (r.verdict, r.sub_indication),
            (Verdict::Invalid, Some(SubIndication::IdentityMismatch)),
            "{what}: {}",
            describe(&r)
        );
    }
}

// ---------------------------------------------------------------------------
// XML tricks.

/// A bill signed with `edit` applied (the trick is inside what was signed).
fn signed_with(pki: &Pki, edit: impl FnOnce(&mut BillSpec)) -> Vec<u8> {
    let mut bill = BillSpec::medical();
    edit(&mut bill);
    sign(pki, &bill)
}

#[test]
fn duplicate_elements_are_never_valid_signed_or_not() {
    let pki = pki();
    let verifier = verifier(&pki);
    let valid = sign(&pki, &BillSpec::medical());
    // Inserted after signing, before or after the original.
    let inserted: Vec<(&str, &str, String)> = vec![
        (
            "second TotalAmount after",
            "</TotalAmount>",
            "</TotalAmount><TotalAmount>2.00</TotalAmount>".into(),
        ),
        (
            "second TotalAmount before",
            "<TotalAmount>",
            "<TotalAmount>2.00</TotalAmount><TotalAmount>".into(),
        ),
        (
            "second EInvoiceNumber",
            "<EInvoiceNumber>",
            "<EInvoiceNumber>0000000001</EInvoiceNumber><EInvoiceNumber>".into(),
        ),
        (
            "second InvoicingPartyCode",
            "<InvoicingPartyCode>",
            "<InvoicingPartyCode>91330000MA27U8XY3K</InvoicingPartyCode><InvoicingPartyCode>"
                .into(),
        ),
        (
            "second ItemAmount",
            "<ItemAmount>",
            "<ItemAmount>0.01</ItemAmount><ItemAmount>".into(),
        ),
        (
            "second PayerPartyName",
            "<PayerPartyName>",
            "<PayerPartyName>某某</PayerPartyName><PayerPartyName>".into(),
        ),
        (
            "second Main",
            "<Main>",
            "<Main><EInvoiceName>x</EInvoiceName></Main><Main>".into(),
        ),
        (
            "second Header",
            "<Header>",
            "<Header><EInvoiceTag>CZ-EI-33</EInvoiceTag></Header><Header>".into(),
        ),
        (
            "second EInvoiceData after",
            "</EInvoiceData>",
            "</EInvoiceData><EInvoiceData/>".into(),
        ),
        (
            "second EInvoiceData before",
            "<EInvoiceData>",
            "<EInvoiceData/><EInvoiceData>".into(),
        ),
        (
            "second EInvoiceData in the signatures",
            "<EInvoiceSignature>",
            "<EInvoiceSignature><EInvoiceData/>".into(),
        ),
        (
            "second EInvoiceSignature",
            "</EInvoice>",
            "<EInvoiceSignature/></EInvoice>".into(),
        ),
        (
            "a third Signature",
            "</EInvoiceSignature>",
            "<Signature Id=\"Supervisor\"/></EInvoiceSignature>".into(),
        ),
        (
            "a second document after the root",
            "</EInvoice>",
            "</EInvoice><EInvoice/>".into(),
        ),
    ];
    for (what, at, with) in inserted {
        let forged = replace_first(&valid, at, &with);
        assert_format_failure(&verifier.verify(&forged), what);
    }
    // Signed that way by the issuer: still one value only.
    let signed: Vec<(&str, Vec<u8>)> = vec![
        (
            "signed second TotalAmount",
            signed_with(&pki, |b| {
                b.raw.main = "<TotalAmount>999.00</TotalAmount>".into()
            }),
        ),
        (
            "signed second EInvoiceData",
            signed_with(&pki, |b| {
                b.raw.between_header_and_data =
                    "<EInvoiceData><Main/><Details/></EInvoiceData>".into()
            }),
        ),
        (
            "signed second Item field",
            signed_with(&pki, |b| {
                b.items[0].raw = "<ItemAmount>999.00</ItemAmount>".into()
            }),
        ),
        (
            "signed second Version",
            signed_with(&pki, |b| b.raw.header = "<Version>9</Version>".into()),
        ),
    ];
    for (what, xml) in signed {
        assert_format_failure(&verifier.verify(&xml), what);
    }
}

#[test]
fn comments_cdata_and_processing_instructions_in_signed_fields_are_never_valid() {
    let pki = pki();
    let verifier = verifier(&pki);
    let omit_total = |b: &mut BillSpec, raw: &str| {
        b.total_amount = Field::Omit;
        b.total_amount_capital = Field::Omit;
        b.raw.main = raw.into();
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "comment inside TotalAmount",
            signed_with(&pki, |b| {
                omit_total(b, "<TotalAmount>217<!--999-->.10</TotalAmount>")
            }),
        ),
        (
            "CDATA TotalAmount",
            signed_with(&pki, |b| {
                omit_total(b, "<TotalAmount><![CDATA[217.10]]></TotalAmount>")
            }),
        ),
        (
            "CDATA hiding markup in Remark",
            signed_with(&pki, |b| {
                b.raw.main =
                    "<Remark><![CDATA[</Remark><TotalAmount>1.00</TotalAmount>]]></Remark>".into()
            }),
        ),
        (
            "processing instruction inside TotalAmount",
            signed_with(&pki, |b| {
                omit_total(b, "<TotalAmount>217<?x 999?>.10</TotalAmount>")
            }),
        ),
        (
            "comment between items",
            signed_with(&pki, |b| {
                b.items[0].raw = "<!-- <ItemAmount>0.01</ItemAmount> -->".into()
            }),
        ),
        (
            "comment in Header",
            signed_with(&pki, |b| b.raw.header = "<!-- CZ-EI-11 -->".into()),
        ),
    ];
    for (what, xml) in cases {
        let r = verifier.verify(&xml);
        assert_format_failure(&r, what);
        assert_eq!(r.checks[0].id, "document.signedContent", "{what}");
    }
    // After signing, too (the signature breaks as well; the format fails first).
    let valid = sign(&pki, &BillSpec::medical());
    let forged = replace_first(&valid, "<TotalAmount>", "<TotalAmount><!--x-->");
    assert_format_failure(&verifier.verify(&forged), "comment added after signing");
}

#[test]
fn namespace_tricks_are_never_valid() {
    let pki = pki();
    let verifier = verifier(&pki);
    // Signed: a second TotalAmount in another namespace. A reader (or a
    // report listing the extra fields) would see two totals. (Found by
    // these tests: such a bill was VALID, its second total carried through
    // as an extra field named "TotalAmount".)
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "namespaced second TotalAmount",
            signed_with(&pki, |b| {
                b.raw.main = "<x:TotalAmount xmlns:x=\"urn:x\">999.00</x:TotalAmount>".into()
            }),
        ),
        (
            "namespaced second ItemAmount",
            signed_with(&pki, |b| {
                b.items[0].raw = "<ItemAmount xmlns=\"urn:x\">999.00</ItemAmount>".into()
            }),
        ),
        (
            "namespaced extra element in MainExt",
            signed_with(&pki, |b| {
                b.raw.main =
                    "<MainExt xmlns=\"urn:x\"><FundPayAmount>9</FundPayAmount></MainExt>".into()
            }),
        ),
    ];
    for (what, xml) in cases {
        assert_format_failure(&verifier.verify(&xml), what);
    }
    // After signing.
    let valid = sign(&pki, &BillSpec::medical());
    for (what, from, to) in [
        (
            "default namespace on Main",
            "<Main>",
            "<Main xmlns=\"urn:x\">",
        ),
        (
            "default namespace on the root",
            "<EInvoice>",
            "<EInvoice xmlns=\"urn:x\">",
        ),
        (
            "prefixed root",
            "<EInvoice>",
            "<e:EInvoice xmlns:e=\"urn:x\">",
        ),
    ] {
        let mut forged = replace_first(&valid, from, to);
        if what == "prefixed root" {
            forged = replace_first(&forged, "</EInvoice>", "</e:EInvoice>");
        }
        assert_format_failure(&verifier.verify(&forged), what);
    }
}

#[test]
fn entities_and_white_space_cannot_change_a_signed_value() {
    let pki = pki();
    let verifier = verifier(&pki);
    // An entity defined outside B and used inside it: the DTD is refused.
    let valid = sign(&pki, &BillSpec::medical());
    let with_dtd = replace_first(
        &valid,
        "<EInvoice>",
        "<!DOCTYPE EInvoice [<!ENTITY t \"999.00\">]>\n<EInvoice>",
    );
    assert_format_failure(&verifier.verify(&with_dtd), "internal DTD");
    let signed_ref = signed_with(&pki, |b| {
        b.total_amount = Field::Omit;
        b.total_amount_capital = Field::Omit;
        b.raw.main = "<TotalAmount>&t;</TotalAmount>".into();
    });
    assert_format_failure(&verifier.verify(&signed_ref), "undeclared entity, signed");
    let with_def = replace_first(
        &signed_ref,
        "<EInvoice>",
        "<!DOCTYPE EInvoice [<!ENTITY t \"217.10\">]>\n<EInvoice>",
    );
    assert_format_failure(&verifier.verify(&with_def), "entity defined after signing");

    // White space inside a value is part of the value: not a number.
    let spaced = signed_with(&pki, |b| {
        b.total_amount = Field::text("217 .10");
        b.total_amount_capital = Field::Omit;
    });
    assert_eq!(
        verifier.verify(&spaced).sub_indication,
        Some(SubIndication::ContentFailure)
    );
    // White space around a value is trimmed (and signed): the same bill.
    let padded = signed_with(&pki, |b| b.einvoice_number = "\n  0001203857\t".into());
    assert_valid(&verifier.verify(&padded), "padded value, signed");
    // Character references are decoded (and signed as written).
    let referenced = signed_with(&pki, |b| {
        b.total_amount = Field::Omit;
        b.total_amount_capital = Field::Omit;
        b.raw.main = "<TotalAmount>&#x32;17.10</TotalAmount>".into();
    });
    let r = verifier.verify(&referenced);
    assert_valid(&r, "character reference, signed");
    assert_eq!(r.bill.unwrap().main.total_amount.text, "217.10");
}

#[test]
fn declaration_and_byte_order_mark_variants() {
    let pki = pki();
    let verifier = verifier(&pki);
    let valid = sign(&pki, &BillSpec::medical());
    let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    assert!(valid.starts_with(decl.as_bytes()));
    let body = &valid[decl.len()..];
    let with = |prefix: &[u8]| [prefix, body].concat();
    // A reader that believed the declaration would decode the signed UTF-8
    // octets as something else: refused.
    for (what, bytes) in [
        (
            "declared GBK",
            with(b"<?xml version=\"1.0\" encoding=\"GBK\"?>"),
        ),
        (
            "declared GB18030",
            with(b"<?xml version=\"1.0\" encoding=\"GB18030\"?>"),
        ),
        (
            "declared ISO-8859-1",
            with(b"<?xml version='1.0' encoding='ISO-8859-1'?>"),
        ),
        (
            "declared UTF-16",
            with(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?>"),
        ),
        (
            "UTF-16 byte-order mark",
            [b"\xFF\xFE".as_slice(), &valid].concat(),
        ),
        (
            "UTF-8 byte-order mark and declared GBK",
            with(b"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"GBK\"?>"),
        ),
        (
            "declaration not first",
            with(b"\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        ),
    ] {
        assert_format_failure(&verifier.verify(&bytes), what);
    }
    // Envelope changes that leave B and its meaning alone: still VALID.
    for (what, bytes) in [
        (
            "UTF-8 byte-order mark",
            [b"\xEF\xBB\xBF".as_slice(), &valid].concat(),
        ),
        ("no declaration", body.to_vec()),
        (
            "single-quoted declaration",
            with(b"<?xml version='1.0' encoding='utf-8'?>"),
        ),
        (
            "standalone declaration",
            with(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"),
        ),
    ] {
        assert_valid(&verifier.verify(&bytes), what);
    }
}

// ---------------------------------------------------------------------------
// A documented limit of the profile (see SECURITY.md).

/// `SignatureTime` is covered by no signature (the unit signs B, the
/// supervisor B ‖ the unit's signature octets). Whoever holds a bill can
/// move it, and validity and revocation are judged at that claimed time:
/// a bill signed after its certificate was revoked becomes VALID again when
/// its `SignatureTime` is moved before the revocation. What remains is the
/// signed `IssueDate`/`IssueTime`: the moved time then lies before the
/// issue, and the report carries `SIGNED_BEFORE_ISSUE` (and
/// `CERT_REVOKED_AFTER_SIGNING`). This test pins that behaviour, so a change
/// to the profile or the verifier is noticed.
#[test]
fn signature_time_is_claimed_not_signed() {
    let mut pki = pki();
    let bill = BillSpec::medical();
    let (nb, na) = default_validity();
    let leaf = pki.issue_leaf(
        Alg::Sm2,
        "杭州市滨江示范医院",
        &bill.invoicing_party.code,
        nb,
        na,
    );
    pki.revoke(&leaf, utc(2025, 6, 1, 0, 0, 0));
    let (u, s) = combos(&bill).remove(0);
    let sup = pki.supervisor_leaf(Alg::P256, &bill);
    let xml = build_bill(&bill, (&u, &leaf), (&s, &sup));
    let verifier = verifier(&pki);
    let r = verifier.verify(&xml);
    assert_eq!(
        r.sub_indication,
        Some(SubIndication::Revoked),
        "{}",
        describe(&r)
    );
    let signed_at = format!("<SignatureTime>{}</SignatureTime>", bill.issue_plus(30));
    let moved = replace_first(
        &xml,
        &signed_at,
        "<SignatureTime>20250531120000</SignatureTime>",
    );
    let r = verifier.verify(&moved);
    assert_valid(&r, "SignatureTime moved before the revocation");
    let codes: Vec<&str> = r.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["SIGNED_BEFORE_ISSUE", "CERT_REVOKED_AFTER_SIGNING"]);
}
