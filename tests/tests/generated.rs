//! The verifier against bills made by our own generator: every rule and
//! every signature step, one case each, with the check or sub-indication it
//! must raise. Complements the shared vectors with cases they lack.

use piaoyan_core::report::{CheckResult, Report};
use piaoyan_core::{SubIndication, Verdict, Verifier, VerifyOptions};
use piaoyan_tests::fixture::*;

/// 2026-06-01T00:00:00Z: after every generated signature, before 2030.
const NOW: i64 = 1_780_272_000;

fn options(pki: &Pki, extra_store: &[Vec<u8>], now: Option<i64>) -> VerifyOptions {
    let mut options = pki.verify_options(now);
    options.certificates.extend(extra_store.iter().cloned());
    options
}

fn verify_with(pki: &Pki, bytes: &[u8]) -> Report {
    Verifier::new(&options(pki, &[], Some(NOW)))
        .unwrap()
        .verify(bytes)
}

fn pki() -> Pki {
    Pki::new("GEN")
}

fn unit_spec(bill: &BillSpec) -> SignSpec {
    SignSpec::detach_signed_attrs(Alg::Sm2, &bill.issue_plus(30))
}

fn sup_spec(bill: &BillSpec) -> SignSpec {
    SignSpec::raw_der(Alg::P256, &bill.issue_plus(600))
}

fn sign(pki: &Pki, bill: &BillSpec) -> Vec<u8> {
    pki.sign_bill(bill, &unit_spec(bill), &sup_spec(bill))
}

fn failed_checks(r: &Report) -> Vec<String> {
    r.checks
        .iter()
        .filter(|c| c.result == CheckResult::Fail)
        .map(|c| c.id.clone())
        .collect()
}

fn warning_codes(r: &Report) -> Vec<String> {
    r.warnings.iter().map(|w| w.code.clone()).collect()
}

fn expect(r: &Report, verdict: Verdict, sub: Option<SubIndication>, what: &str) {
    assert_eq!(
        (r.verdict, r.sub_indication),
        (verdict, sub),
        "{what}: {} / failed checks {:?}",
        r.reason.en,
        failed_checks(r)
    );
}

#[test]
fn every_format_and_algorithm_combination_is_valid() {
    let pki = pki();
    let bill = BillSpec::medical();
    let formats = |alg: Alg, time: &str| {
        vec![
            SignSpec::raw_der(alg, time),
            SignSpec::raw_rs(alg, time),
            SignSpec::detach(alg, time),
            SignSpec::detach_signed_attrs(alg, time),
            SignSpec::detach_with(alg, time, true, true, CertsIn::None)
                .with_key_info(KeyInfoSpec::SerialIssuerCert),
            SignSpec::detach_with(alg, time, false, true, CertsIn::Signer),
        ]
    };
    let mut n = 0;
    for ua in [Alg::Sm2, Alg::P256] {
        for sa in [Alg::Sm2, Alg::P256] {
            for u in formats(ua, &bill.issue_plus(30)) {
                for s in formats(sa, &bill.issue_plus(600)) {
                    let r = verify_with(&pki, &pki.sign_bill(&bill, &u, &s));
                    expect(&r, Verdict::Valid, None, &format!("{u:?} / {s:?}"));
                    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, 144);
}

#[test]
fn each_content_rule_fails_alone_with_its_check() {
    let pki = pki();
    type Edit = fn(&mut BillSpec);
    let cases: Vec<(&str, Edit)> = vec![
        ("header.eInvoiceTag", |b| {
            b.einvoice_tag = Field::text("CZ-EI-11")
        }),
        ("main.eInvoiceName", |b| b.einvoice_name = String::new()),
        ("main.eInvoiceCode.format", |b| {
            b.einvoice_code = "3306012A".into()
        }),
        ("main.eInvoiceCode.province", |b| {
            b.einvoice_code = "34060125".into()
        }),
        ("main.eInvoiceNumber", |b| {
            b.einvoice_number = "12345".into()
        }),
        ("main.randomNumber", |b| b.random_number = "7kQ2m!".into()),
        ("main.totalAmount.format", |b| {
            b.total_amount = Field::text("217.100");
            b.total_amount_capital = Field::Omit;
        }),
        ("main.totalAmountCapital", |b| {
            b.total_amount_capital = Field::text("贰佰壹拾柒元壹角壹分")
        }),
        ("main.issueDate", |b| b.issue_date = "20250631".into()),
        ("main.issueTime", |b| b.issue_time = "9:41:27".into()),
        ("main.invoicingPartyCode.checkCharacter", |b| {
            let mut code = b.invoicing_party.code.clone();
            let last = code.pop().unwrap();
            code.push(if last == '0' { '1' } else { '0' });
            b.invoicing_party.code = code;
        }),
        ("main.payerPartyName", |b| b.payer.name = String::new()),
        ("items.sum", |b| {
            b.total_amount = Field::text("300.00");
            b.total_amount_capital = Field::Omit;
        }),
        ("items.itemQuantity", |b| {
            b.items[0].quantity = Some("1.0000001".into())
        }),
        ("items.itemAmount", |b| {
            b.items[0].amount = Field::text("15.001");
            b.total_amount = Field::text("217.10");
        }),
    ];
    for (check, edit) in cases {
        let mut bill = BillSpec::medical();
        // Signing times from the untouched bill (its dates may be broken below).
        let (u, s) = (unit_spec(&bill), sup_spec(&bill));
        edit(&mut bill);
        let r = verify_with(&pki, &pki.sign_bill(&bill, &u, &s));
        expect(
            &r,
            Verdict::Invalid,
            Some(SubIndication::ContentFailure),
            check,
        );
        assert!(
            failed_checks(&r).iter().any(|c| c == check),
            "{check} not among failed checks {:?}",
            failed_checks(&r)
        );
        assert_eq!(r.signatures.len(), 2);
        assert!(
            r.signatures.iter().all(|s| s.verdict == Verdict::Valid),
            "{check}"
        );
    }
}

#[test]
fn each_warning_leaves_the_bill_valid_and_carries_its_code() {
    let pki = pki();
    type Edit = fn(&mut BillSpec, &mut SignSpec, &mut SignSpec);
    let cases: Vec<(&str, Edit)> = vec![
        ("EINVOICE_ID_MISMATCH", |b, _, _| {
            b.einvoice_id = Field::text("1234")
        }),
        ("CODE_YEAR_MISMATCH", |b, _, _| {
            b.einvoice_code = "33060124".into()
        }),
        ("PARTY_CODE_LENGTH", |b, _, _| {
            b.invoicing_party.code = "330108470123581".into()
        }),
        ("PAYER_ID_CHECK", |b, _, _| {
            let mut id = b.payer.code.clone().unwrap();
            let last = id.pop().unwrap();
            id.push(if last == '1' { '2' } else { '1' });
            b.payer.code = Some(id);
        }),
        ("ITEM_QTY_STD_MISMATCH", |b, _, _| {
            b.items[1].amount = Field::text("73.70");
            b.items[2].amount = Field::text("128.40");
        }),
        ("SIGNING_ORDER", |b, u, s| {
            u.time = Some(b.issue_plus(900));
            s.time = Some(b.issue_plus(600));
        }),
        ("SIGNED_BEFORE_ISSUE", |b, _, _| {
            b.issue_time = "10:41:27".into()
        }),
        ("DER_TRAILING_OCTETS", |_, _, s| {
            *s = SignSpec::detach(Alg::P256, s.time.as_deref().unwrap());
            if let SigFormat::Detach(d) = &mut s.format {
                d.trailing = vec![0, 0];
            }
        }),
    ];
    for (code, edit) in cases {
        let mut bill = BillSpec::medical();
        let mut u = unit_spec(&bill);
        let mut s = sup_spec(&bill);
        edit(&mut bill, &mut u, &mut s);
        let r = verify_with(&pki, &pki.sign_bill(&bill, &u, &s));
        expect(&r, Verdict::Valid, None, code);
        assert_eq!(warning_codes(&r), vec![code.to_string()], "{code}");
    }
}

#[test]
fn the_half_up_rule_does_not_warn_on_a_correctly_rounded_amount() {
    let pki = pki();
    let mut bill = BillSpec::medical();
    bill.items[0] = ItemSpec::priced("301", "挂号费", "3", "次", "0.335");
    assert_eq!(bill.items[0].amount_text().as_deref(), Some("1.01"));
    let r = verify_with(&pki, &sign(&pki, &bill));
    expect(&r, Verdict::Valid, None, "half-up");
    assert!(r.warnings.is_empty());
}

#[test]
fn a_central_level_bill_uses_zero_province() {
    let pki = pki();
    let mut bill = BillSpec::medical();
    bill.supervisor_area_code = "000000".into();
    bill.einvoice_code = "00060125".into();
    let r = verify_with(&pki, &sign(&pki, &bill));
    expect(&r, Verdict::Valid, None, "central");
    bill.einvoice_tag = Field::text("CZ-EI-33");
    let r = verify_with(&pki, &sign(&pki, &bill));
    expect(
        &r,
        Verdict::Invalid,
        Some(SubIndication::ContentFailure),
        "central tag",
    );
}

/// Builds with explicit leaves.
fn sign_with(bill: &BillSpec, unit: (&SignSpec, &Leaf), sup: (&SignSpec, &Leaf)) -> Vec<u8> {
    build_bill(bill, unit, sup)
}

#[test]
fn signature_steps_give_their_sub_indications() {
    let pki = pki();
    let bill = BillSpec::medical();
    let u = unit_spec(&bill);
    let s = sup_spec(&bill);
    let unit_leaf = pki.unit_leaf(Alg::Sm2, &bill);
    let sup_leaf = pki.supervisor_leaf(Alg::P256, &bill);
    let unit_role = |r: &Report| (r.signatures[0].verdict, r.signatures[0].sub_indication);
    let check = |u: &SignSpec, leaf: &Leaf, want: SubIndication, what: &str| {
        let r = verify_with(&pki, &sign_with(&bill, (u, leaf), (&s, &sup_leaf)));
        assert_eq!(
            unit_role(&r),
            (want.verdict(), Some(want)),
            "{what}: {}",
            r.reason.en
        );
        expect(&r, want.verdict(), Some(want), what);
    };

    let mut wrong_ref = u.clone();
    wrong_ref.reference_text = Some("Header".into());
    check(
        &wrong_ref,
        &unit_leaf,
        SubIndication::FormatFailure,
        "Reference",
    );

    check(
        &u.clone().with_algorithm_text("RSA-SHA256"),
        &unit_leaf,
        SubIndication::CryptoConstraintsFailure,
        "unsupported algorithm",
    );
    check(
        &SignSpec::raw_der(Alg::Sm2, &bill.issue_plus(30)).with_algorithm_text("ECDSA-P256-SHA256"),
        &unit_leaf,
        SubIndication::SigCryptoFailure,
        "claimed algorithm does not match the key",
    );

    let mut bad_digest = u.clone();
    if let SigFormat::Detach(d) = &mut bad_digest.format {
        d.message_digest_override = Some(vec![0u8; 32]);
    }
    check(
        &bad_digest,
        &unit_leaf,
        SubIndication::HashFailure,
        "messageDigest",
    );

    let no_cert =
        SignSpec::raw_rs(Alg::Sm2, &bill.issue_plus(30)).with_key_info(KeyInfoSpec::SerialIssuer);
    check(
        &no_cert,
        &unit_leaf,
        SubIndication::NoSigningCertificateFound,
        "no certificate",
    );
    // The same bill, with the signer certificate in the host's store: VALID.
    let bytes = sign_with(&bill, (&no_cert, &unit_leaf), (&s, &sup_leaf));
    let opts = options(&pki, std::slice::from_ref(&unit_leaf.cert_der), Some(NOW));
    let r = Verifier::new(&opts).unwrap().verify(&bytes);
    expect(&r, Verdict::Valid, None, "signer from the store");
    assert_eq!(r.signatures[0].signer.as_ref().unwrap().source, "store");

    let wrong_serial = SignSpec::raw_rs(Alg::Sm2, &bill.issue_plus(30)).with_key_info(KeyInfoSpec::Raw(format!(
        "<SerialNumber>01</SerialNumber><X509IssuerName>{}</X509IssuerName><X509Certificate>{}</X509Certificate>",
        unit_leaf.issuer_rfc4514,
        base64_of(&unit_leaf.cert_der)
    )));
    check(
        &wrong_serial,
        &unit_leaf,
        SubIndication::FormatFailure,
        "KeyInfo names another certificate",
    );

    let (nb, na) = default_validity();
    let leaf = |edit: &dyn Fn(&mut LeafSpec)| {
        let mut spec = LeafSpec::new(
            Alg::Sm2,
            "杭州市滨江示范医院",
            &bill.invoicing_party.code,
            nb,
            na,
        );
        edit(&mut spec);
        pki.issue(&spec)
    };
    check(
        &u,
        &leaf(&|l| l.key_usage = Some(KeyUsageBits::KEY_ENCIPHERMENT)),
        SubIndication::NoCertificateChainFound,
        "key usage without signing",
    );
    let other = Pki::new("OTHER");
    check(
        &u,
        &other.unit_leaf(Alg::Sm2, &bill),
        SubIndication::NoCertificateChainFound,
        "untrusted root",
    );
    check(
        &u,
        &leaf(&|l| l.not_before = utc(2025, 7, 1, 0, 0, 0)),
        SubIndication::NotYetValid,
        "not yet valid",
    );
    check(
        &u,
        &leaf(&|l| l.not_after = utc(2025, 6, 1, 0, 0, 0)),
        SubIndication::Expired,
        "expired before signing",
    );
    check(
        &u,
        &leaf(&|l| l.serial_number_attr = Some("91330000MA27XXXX0X".into())),
        SubIndication::IdentityMismatch,
        "another unit's certificate",
    );

    // organizationIdentifier binds as well as serialNumber.
    let by_org_id = leaf(&|l| {
        l.serial_number_attr = None;
        l.organization_identifier = Some(bill.invoicing_party.code.clone());
    });
    let r = verify_with(&pki, &sign_with(&bill, (&u, &by_org_id), (&s, &sup_leaf)));
    expect(&r, Verdict::Valid, None, "organizationIdentifier");
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn validity_and_revocation_are_judged_at_signing_time() {
    let mut pki = pki();
    let bill = BillSpec::medical();
    let (nb, _) = default_validity();
    let s = sup_spec(&bill);
    let sup_leaf = pki.supervisor_leaf(Alg::P256, &bill);

    // Expired after signing: VALID, with a warning only when `now` is given.
    let short = pki.issue(&LeafSpec::new(
        Alg::Sm2,
        "杭州市滨江示范医院",
        &bill.invoicing_party.code,
        nb,
        utc(2025, 12, 31, 0, 0, 0),
    ));
    let bytes = sign_with(&bill, (&unit_spec(&bill), &short), (&s, &sup_leaf));
    let r = verify_with(&pki, &bytes);
    expect(&r, Verdict::Valid, None, "expired since");
    assert_eq!(
        warning_codes(&r),
        vec!["CERT_EXPIRED_SINCE_SIGNING".to_string()]
    );
    let r = Verifier::new(&options(&pki, &[], None))
        .unwrap()
        .verify(&bytes);
    assert!(r.warnings.is_empty());

    // Revoked before and after signing.
    let before = pki.issue_leaf(
        Alg::Sm2,
        "杭州市滨江示范医院",
        &bill.invoicing_party.code,
        nb,
        utc(2030, 1, 1, 0, 0, 0),
    );
    let after = pki.issue_leaf(
        Alg::Sm2,
        "杭州市滨江示范医院",
        &bill.invoicing_party.code,
        nb,
        utc(2030, 1, 2, 0, 0, 0),
    );
    pki.revoke(&before, utc(2025, 6, 1, 0, 0, 0));
    pki.revoke(&after, utc(2025, 7, 1, 0, 0, 0));
    let r = verify_with(
        &pki,
        &sign_with(&bill, (&unit_spec(&bill), &before), (&s, &sup_leaf)),
    );
    expect(
        &r,
        Verdict::Invalid,
        Some(SubIndication::Revoked),
        "revoked before",
    );
    let r = verify_with(
        &pki,
        &sign_with(&bill, (&unit_spec(&bill), &after), (&s, &sup_leaf)),
    );
    expect(&r, Verdict::Valid, None, "revoked after");
    assert_eq!(
        warning_codes(&r),
        vec!["CERT_REVOKED_AFTER_SIGNING".to_string()]
    );
}

#[test]
fn the_supervisor_countersigns_the_unit_signature() {
    let pki = pki();
    let bill = BillSpec::medical();
    let unit_leaf = pki.unit_leaf(Alg::Sm2, &bill);
    let sup_leaf = pki.supervisor_leaf(Alg::P256, &bill);
    let s = sup_spec(&bill);
    // Two valid unit signatures over the same B, in two encodings.
    let a = sign_with(
        &bill,
        (
            &SignSpec::raw_der(Alg::Sm2, &bill.issue_plus(30)),
            &unit_leaf,
        ),
        (&s, &sup_leaf),
    );
    let b = sign_with(
        &bill,
        (
            &SignSpec::raw_rs(Alg::Sm2, &bill.issue_plus(30)),
            &unit_leaf,
        ),
        (&s, &sup_leaf),
    );
    let value_a = base64_of(&signature_value(&a, "InvoicingParty").unwrap());
    let value_b = base64_of(&signature_value(&b, "InvoicingParty").unwrap());
    assert_ne!(value_a, value_b);
    // Bill a with the unit signature of b: the unit is fine, the supervisor breaks.
    let swapped = replace_first(&a, &value_a, &value_b);
    let r = verify_with(&pki, &swapped);
    assert_eq!(r.signatures[0].verdict, Verdict::Valid);
    assert_eq!(
        r.signatures[1].sub_indication,
        Some(SubIndication::SigCryptoFailure)
    );
    expect(
        &r,
        Verdict::Invalid,
        Some(SubIndication::SigCryptoFailure),
        "countersignature",
    );
}

#[test]
fn signatures_moved_to_another_bill_are_not_valid() {
    let pki = pki();
    let one = BillSpec::medical();
    let mut two = BillSpec::medical();
    two.einvoice_number = "0001203858".into();
    let a = sign(&pki, &one);
    let b = sign(&pki, &two);
    let sig_of = |x: &[u8]| {
        let start = x
            .windows(19)
            .position(|w| w == b"<EInvoiceSignature>")
            .unwrap();
        x[start..].to_vec()
    };
    let mut moved = b[..b
        .windows(19)
        .position(|w| w == b"<EInvoiceSignature>")
        .unwrap()]
        .to_vec();
    moved.extend(sig_of(&a));
    let r = verify_with(&pki, &moved);
    assert_ne!(r.verdict, Verdict::Valid, "{}", r.reason.en);
}

#[test]
fn a_second_einvoice_data_or_duplicate_field_is_a_format_failure() {
    let pki = pki();
    let mut bill = BillSpec::medical();
    bill.raw.main = "<TotalAmount>1.00</TotalAmount>".into();
    let r = verify_with(&pki, &sign(&pki, &bill));
    expect(
        &r,
        Verdict::Invalid,
        Some(SubIndication::FormatFailure),
        "duplicate TotalAmount",
    );
    let mut bill = BillSpec::medical();
    bill.raw.between_header_and_data = "<EInvoiceData/>".into();
    let r = verify_with(&pki, &sign(&pki, &bill));
    expect(
        &r,
        Verdict::Invalid,
        Some(SubIndication::FormatFailure),
        "second EInvoiceData",
    );
}
