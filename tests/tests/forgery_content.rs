//! Issue 12, items 1 and 2: bills the issuer signed that way, which a
//! verifier must not call VALID.
//!
//! 1. Sums that leave the integer type: the item sum is exact, and a rule
//!    whose subject the bill carries is decided, never "not applicable".
//! 2. A field name at a second place (spec §1): an element named like one
//!    the profile defines, anywhere inside `Header` or `EInvoiceData` other
//!    than at its defined place, is a FORMAT_FAILURE; so are unknown children
//!    of the parties and seals, and two siblings of one name.
//!
//! Each forgery is genuinely signed (both signatures verify), so before the
//! fixes these bills were VALID. Control cases show that harmless bills of
//! the same shape stay VALID.

use piaoyan_core::report::{CheckResult, Level, Report};
use piaoyan_core::{SubIndication, Verdict, Verifier, VerifyOptions};
use piaoyan_tests::fixture::*;

/// 2026-06-01T00:00:00Z.
const NOW: i64 = 1_780_272_000;

/// The largest amount in fen (i64::MAX), as yuan.
const MAX_YUAN: &str = "92233720368547758.07";

fn pki() -> Pki {
    Pki::new("FORGERY-CONTENT")
}

fn options(pki: &Pki) -> VerifyOptions {
    pki.verify_options(Some(NOW))
}

fn verifier(pki: &Pki) -> Verifier {
    Verifier::new(&options(pki)).unwrap()
}

fn sign(pki: &Pki, bill: &BillSpec) -> Vec<u8> {
    let unit = SignSpec::detach_signed_attrs(Alg::Sm2, &bill.issue_plus(30));
    let supervisor = SignSpec::raw_der(Alg::P256, &bill.issue_plus(600));
    pki.sign_bill(bill, &unit, &supervisor)
}

fn signed_with(pki: &Pki, edit: impl FnOnce(&mut BillSpec)) -> Vec<u8> {
    let mut bill = BillSpec::medical();
    edit(&mut bill);
    sign(pki, &bill)
}

fn describe(r: &Report) -> String {
    format!(
        "{:?}/{:?}: {}",
        r.verdict,
        r.sub_indication.map(|s| s.as_str()),
        r.reason.en
    )
}

fn check<'r>(r: &'r Report, id: &str) -> &'r piaoyan_core::report::Check {
    r.checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}: {}", describe(r)))
}

fn assert_verdict(r: &Report, want: (Verdict, Option<SubIndication>), what: &str) {
    assert_eq!(
        (r.verdict, r.sub_indication),
        want,
        "{what}: {}",
        describe(r)
    );
}

const VALID: (Verdict, Option<SubIndication>) = (Verdict::Valid, None);
const CONTENT_FAILURE: (Verdict, Option<SubIndication>) =
    (Verdict::Invalid, Some(SubIndication::ContentFailure));
const FORMAT_FAILURE: (Verdict, Option<SubIndication>) =
    (Verdict::Invalid, Some(SubIndication::FormatFailure));

/// A medical bill whose items are exactly `amounts` (no quantity, no unit
/// price), with `TotalAmount` as given and no capital amount.
fn with_amounts(amounts: &[&str], total: &str) -> BillSpec {
    let mut bill = BillSpec::medical();
    bill.items = amounts
        .iter()
        .enumerate()
        .map(|(i, a)| ItemSpec::fixed(&format!("30{i}"), "诊疗费", a))
        .collect();
    bill.total_amount = Field::text(total);
    bill.total_amount_capital = Field::Omit;
    bill
}

// ---------------------------------------------------------------------------
// Item 1: sums past the integer type.

#[test]
fn item_sums_past_the_integer_type_are_failures_not_skipped() {
    let pki = pki();
    let verifier = verifier(&pki);
    let neg = format!("-{MAX_YUAN}");
    let forged: Vec<(&str, BillSpec)> = vec![
        (
            "i64::MAX fen + 0.01, total 0.00",
            with_amounts(&[MAX_YUAN, "0.01"], "0.00"),
        ),
        (
            "i64::MAX fen + 0.01, total 0.01",
            with_amounts(&[MAX_YUAN, "0.01"], "0.01"),
        ),
        (
            "two huge positive and two huge negative items (exact sum 0), total 5.00",
            with_amounts(&[MAX_YUAN, MAX_YUAN, &neg, &neg], "5.00"),
        ),
        (
            "huge negative items below i64::MIN, total -0.01",
            with_amounts(&[&neg, &neg, "0.01"], "-0.01"),
        ),
    ];
    for (what, bill) in forged {
        let r = verifier.verify(&sign(&pki, &bill));
        assert_verdict(&r, CONTENT_FAILURE, what);
        let sum = check(&r, "items.sum");
        assert_eq!(sum.result, CheckResult::Fail, "{what}: {sum:?}");
        assert_eq!(sum.level, Level::Failure, "{what}");
    }
    // The sum is exact, not refused: a sum that passes through values past
    // the type but ends at the total is right.
    let exact: Vec<(&str, BillSpec)> = vec![
        (
            "two huge positive and two huge negative items, total 0.00",
            with_amounts(&[MAX_YUAN, MAX_YUAN, &neg, &neg], "0.00"),
        ),
        (
            "i64::MAX fen + 0.01 - 0.01, total i64::MAX fen",
            with_amounts(&[MAX_YUAN, "0.01", "-0.01"], MAX_YUAN),
        ),
    ];
    for (what, bill) in exact {
        let r = verifier.verify(&sign(&pki, &bill));
        assert_verdict(&r, VALID, what);
        assert_eq!(check(&r, "items.sum").result, CheckResult::Pass, "{what}");
    }
}

#[test]
fn a_quantity_times_price_past_the_integer_type_is_a_mismatch() {
    let pki = pki();
    let verifier = verifier(&pki);
    for (what, qty, std) in [
        (
            "product past i128",
            "999999999999999999",
            "999999999999999999.999999",
        ),
        ("product past i64 fen", "100000000000000000", "1000"),
    ] {
        let bill = signed_with(&pki, |b| {
            b.items[0].quantity = Some(qty.into());
            b.items[0].std = Some(std.into());
            b.items[0].amount = Field::text("15.00");
        });
        let r = verifier.verify(&bill);
        // A warning-level rule: the verdict stays, the warning is raised.
        assert_verdict(&r, VALID, what);
        let c = check(&r, "items.quantityTimesStd");
        assert_eq!(c.result, CheckResult::Fail, "{what}: {c:?}");
        assert!(
            r.warnings.iter().any(|w| w.code == "ITEM_QTY_STD_MISMATCH"),
            "{what}: {:?}",
            r.warnings
        );
    }
}

// ---------------------------------------------------------------------------
// Item 2: a defined name at a second place.

#[test]
fn a_defined_name_anywhere_but_its_place_is_a_format_failure() {
    let pki = pki();
    let verifier = verifier(&pki);
    let edit = |from: &str, to: &str| (from.to_owned(), to.to_owned());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "TotalAmount inside MainExt",
            signed_with(&pki, |b| {
                b.main_ext.push(("TotalAmount".into(), "999.00".into()))
            }),
        ),
        (
            "TotalAmount inside ItemExt",
            signed_with(&pki, |b| {
                b.items[1].ext = vec![("TotalAmount".into(), "999.00".into())]
            }),
        ),
        (
            "TotalAmount inside an Item",
            signed_with(&pki, |b| {
                b.items[2].raw = "<TotalAmount>999.00</TotalAmount>".into()
            }),
        ),
        (
            "TotalAmount inside an unknown element of Main",
            signed_with(&pki, |b| {
                b.raw.main = "<Note><TotalAmount>999.00</TotalAmount></Note>".into()
            }),
        ),
        (
            "TotalAmount deep inside unknown elements of MainExt",
            signed_with(&pki, |b| {
                b.raw.signed_edits = vec![edit(
                    "</MainExt>",
                    "<A><B><C><TotalAmount>999.00</TotalAmount></C></B></A></MainExt>",
                )]
            }),
        ),
        (
            "TotalAmount inside an unknown element of an AuxItem",
            signed_with(&pki, |b| {
                b.raw.signed_edits = vec![edit(
                    "</AuxItem>",
                    "<X><TotalAmount>999.00</TotalAmount></X></AuxItem>",
                )]
            }),
        ),
        (
            "PayerPartyName inside InvoicingParty",
            signed_with(&pki, |b| {
                b.raw.signed_edits = vec![edit(
                    "</InvoicingParty>",
                    "<PayerPartyName>李四</PayerPartyName></InvoicingParty>",
                )]
            }),
        ),
        (
            "InvoicingPartyName inside PayerParty",
            signed_with(&pki, |b| {
                b.raw.signed_edits = vec![edit(
                    "</PayerParty>",
                    "<InvoicingPartyName>某某公司</InvoicingPartyName></PayerParty>",
                )]
            }),
        ),
        (
            "EInvoiceNumber inside ItemExt",
            signed_with(&pki, |b| {
                b.items[0].ext = vec![("EInvoiceNumber".into(), "0000000001".into())]
            }),
        ),
        (
            "EInvoiceTag inside Main",
            signed_with(&pki, |b| {
                b.raw.main = "<EInvoiceTag>CZ-EI-11</EInvoiceTag>".into()
            }),
        ),
        (
            "ItemAmount inside an AuxItem",
            signed_with(&pki, |b| {
                b.aux_items[0].push(("ItemAmount".into(), "999.00".into()))
            }),
        ),
        (
            "AuxItemAmount inside an Item",
            signed_with(&pki, |b| {
                b.items[0].raw = "<AuxItemAmount>999.00</AuxItemAmount>".into()
            }),
        ),
        (
            "SealName inside MainExt",
            signed_with(&pki, |b| {
                b.main_ext.push(("SealName".into(), "假章".into()))
            }),
        ),
        (
            "SealHash inside Main",
            signed_with(&pki, |b| b.raw.main = "<SealHash>AAAA</SealHash>".into()),
        ),
        (
            "MedicalType (a MainExt field) inside ItemExt",
            signed_with(&pki, |b| {
                b.items[0].ext = vec![("MedicalType".into(), "住院".into())]
            }),
        ),
        (
            "an Item inside ItemExt",
            signed_with(&pki, |b| {
                b.items[0].raw =
                    "<ItemExt><Item><ItemName>x</ItemName><ItemAmount>1.00</ItemAmount></Item></ItemExt>"
                        .into()
            }),
        ),
        (
            "a Main inside MainExt",
            signed_with(&pki, |b| {
                b.raw.signed_edits = vec![edit("</MainExt>", "<Main/></MainExt>")]
            }),
        ),
        (
            "Details inside Main",
            signed_with(&pki, |b| b.raw.main = "<Details/>".into()),
        ),
        (
            "a Header inside an AuxItem",
            signed_with(&pki, |b| {
                b.raw.signed_edits = vec![edit("</AuxItem>", "<Header/></AuxItem>")]
            }),
        ),
        (
            "an EInvoiceData inside an unknown element",
            signed_with(&pki, |b| b.raw.main = "<X><EInvoiceData/></X>".into()),
        ),
        (
            "an EInvoice inside MainExt",
            signed_with(&pki, |b| {
                b.raw.signed_edits = vec![edit("</MainExt>", "<EInvoice/></MainExt>")]
            }),
        ),
        (
            "an EInvoiceSignature inside Main",
            signed_with(&pki, |b| {
                b.raw.main =
                    "<EInvoiceSignature><Signature Id=\"InvoicingParty\"/></EInvoiceSignature>"
                        .into()
            }),
        ),
        (
            "InvoicingParty inside PayerParty",
            signed_with(&pki, |b| {
                b.raw.signed_edits = vec![edit(
                    "</PayerParty>",
                    "<InvoicingParty><InvoicingPartyCode>1</InvoicingPartyCode></InvoicingParty></PayerParty>",
                )]
            }),
        ),
        (
            "Version inside Header's sibling data",
            signed_with(&pki, |b| b.raw.data = "<Version>2</Version>".into()),
        ),
    ];
    for (what, xml) in cases {
        let r = verifier.verify(&xml);
        assert_verdict(&r, FORMAT_FAILURE, what);
    }
}

#[test]
fn unknown_children_of_parties_and_seals_are_format_failures() {
    let pki = pki();
    let verifier = verifier(&pki);
    for (what, at, with) in [
        (
            "unknown child of InvoicingParty",
            "</InvoicingParty>",
            "<RealName>另一家单位</RealName></InvoicingParty>",
        ),
        (
            "unknown child of PayerParty",
            "</PayerParty>",
            "<PayerRealName>张三</PayerRealName></PayerParty>",
        ),
        (
            "unknown child of InvoicingPartySeal",
            "</InvoicingPartySeal>",
            "<SealImage>AAAA</SealImage></InvoicingPartySeal>",
        ),
        (
            "unknown child of SupervisorPartySeal",
            "</SupervisorPartySeal>",
            "<Owner>x</Owner></SupervisorPartySeal>",
        ),
    ] {
        let xml = signed_with(&pki, |b| {
            b.raw.signed_edits = vec![(at.into(), with.into())];
        });
        assert_verdict(&verifier.verify(&xml), FORMAT_FAILURE, what);
    }
}

#[test]
fn two_siblings_of_one_name_are_a_format_failure_even_when_unknown() {
    let pki = pki();
    let verifier = verifier(&pki);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "MainExt FundPayAmount twice",
            signed_with(&pki, |b| {
                b.main_ext.push(("FundPayAmount".into(), "0.01".into()))
            }),
        ),
        (
            "an unknown Main field twice",
            signed_with(&pki, |b| {
                b.raw.main = "<PlaceCode>1</PlaceCode><PlaceCode>2</PlaceCode>".into()
            }),
        ),
        (
            "an ItemExt field twice",
            signed_with(&pki, |b| {
                b.items[0].ext = vec![
                    ("SelfPayRatio".into(), "0.1".into()),
                    ("SelfPayRatio".into(), "0.9".into()),
                ]
            }),
        ),
        (
            "an unknown Item field twice",
            signed_with(&pki, |b| {
                b.items[0].raw = "<ItemSpecification>a</ItemSpecification><ItemSpecification>b</ItemSpecification>".into()
            }),
        ),
        (
            "children of an unknown element twice",
            signed_with(&pki, |b| {
                b.raw.main = "<Note><L>a</L><L>b</L></Note>".into()
            }),
        ),
    ];
    for (what, xml) in cases {
        assert_verdict(&verifier.verify(&xml), FORMAT_FAILURE, what);
    }
}

#[test]
fn text_beside_elements_in_an_unknown_element_is_a_format_failure() {
    let pki = pki();
    let verifier = verifier(&pki);
    for (what, raw) in [
        (
            "text before a child",
            "<Note>实收 9999.00 元<L>1</L></Note>",
        ),
        ("text after a child", "<Note><L>1</L>实收 9999.00 元</Note>"),
    ] {
        let xml = signed_with(&pki, |b| b.raw.main = raw.into());
        assert_verdict(&verifier.verify(&xml), FORMAT_FAILURE, what);
    }
}

#[test]
fn unknown_elements_where_the_spec_tolerates_them_stay_valid() {
    let pki = pki();
    let verifier = verifier(&pki);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("the medical bill", signed_with(&pki, |_| {})),
        (
            "unknown fields in Main, nested",
            signed_with(&pki, |b| {
                b.raw.main = "<PlaceCode>1</PlaceCode><NestedExt><L><L>x</L></L></NestedExt>".into()
            }),
        ),
        (
            "unknown fields in ItemExt and Item",
            signed_with(&pki, |b| {
                b.items[0].ext = vec![
                    ("MedicalCareType".into(), "甲类".into()),
                    ("SelfPayRatio".into(), "0".into()),
                ];
                b.items[0].raw = "<ItemSpecification>10ml</ItemSpecification>".into();
            }),
        ),
        (
            "unknown field in an AuxItem",
            signed_with(&pki, |b| {
                b.aux_items[0].push(("AuxItemBatch".into(), "B1".into()))
            }),
        ),
        (
            "unknown field in MainExt",
            signed_with(&pki, |b| {
                b.main_ext.push(("CaseNumber".into(), "Z1".into()))
            }),
        ),
    ];
    for (what, xml) in cases {
        let r = verifier.verify(&xml);
        assert_verdict(&r, VALID, what);
    }
}
