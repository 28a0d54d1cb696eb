//! The demo files in `samples/`: trust material and a handful of bills with
//! known verdicts, all made by [`crate::fixture`]. `gen-samples` writes
//! them; the `samples_up_to_date` test checks the committed copies.

use crate::fixture::codes::capital;
use crate::fixture::{
    Alg, BillSpec, CertsIn, DetachSpec, Field, ItemSpec, KeyInfoSpec, LeafSpec, Pki, SigFormat,
    SignSpec, build_bill, default_validity, replace_first, utc,
};

/// One demo bill and what a verifier must say about it.
#[derive(Clone, Debug)]
pub struct SampleBill {
    /// File name under `samples/bills/`.
    pub file: &'static str,
    /// Expected bill verdict.
    pub verdict: &'static str,
    /// Expected sub-indication (`None` for VALID).
    pub sub_indication: Option<&'static str>,
    /// One line for the README.
    pub summary: &'static str,
    /// How it was made and why the verdict follows.
    pub detail: String,
    /// The XML.
    pub xml: Vec<u8>,
}

/// Seed and label of the demo PKI (CNs read `Piaoyan DEMO SM2 Root CA`, ...).
pub const DEMO_SEED: &str = "DEMO";
/// Seed of the untrusted PKI used by the untrusted-root sample.
pub const ROGUE_SEED: &str = "ROGUE";

/// The untrusted PKI of the untrusted-root sample: unrelated keys, CNs
/// `Piaoyan DEMO-UNTRUSTED SM2 Root CA`, ... (not in `samples/trust/`).
pub fn untrusted_pki() -> Pki {
    Pki::with_label(ROGUE_SEED, "DEMO-UNTRUSTED")
}

/// The demo PKI, with the revocation used by the revoked-certificate
/// sample recorded (so its `crls_pem()` is `samples/trust/crls.pem`).
pub fn demo_pki() -> Pki {
    let mut pki = Pki::new(DEMO_SEED);
    let old = revoked_hospital_leaf(&pki);
    pki.revoke(&old, utc(2025, 3, 1, 2, 0, 0));
    pki
}

/// The hospital's old SM2 certificate, revoked on 2025-03-01 10:00 Beijing time.
fn revoked_hospital_leaf(pki: &Pki) -> crate::fixture::Leaf {
    let bill = BillSpec::medical();
    let (nb, na) = default_validity();
    let mut spec = LeafSpec::new(
        Alg::Sm2,
        &bill.invoicing_party.name,
        &bill.invoicing_party.code,
        nb,
        na,
    );
    spec.key_label = Some(format!("{DEMO_SEED}/SM2/leaf/hospital-old-key-2024"));
    pki.issue(&spec)
}

fn gb_detach_signed_attrs(alg: Alg, time: &str) -> SignSpec {
    SignSpec {
        key_info: KeyInfoSpec::None,
        ..SignSpec::new(
            alg,
            SigFormat::Detach(DetachSpec {
                signed_attrs: true,
                gb_oids: true,
                include_certs: CertsIn::SignerAndIntermediate,
                ..DetachSpec::default()
            }),
            time,
        )
    }
}

/// All demo bills, in file-name order.
pub fn bills() -> Vec<SampleBill> {
    let pki = demo_pki();
    let mut out = Vec::new();

    // 01: hospital, SM2 DETACH with signed attributes.
    let hospital = BillSpec::medical();
    let unit = gb_detach_signed_attrs(Alg::Sm2, &hospital.issue_plus(25));
    let sup = SignSpec::raw_der(Alg::Sm2, &hospital.issue_plus(7 * 60 + 12));
    let hospital_xml = pki.sign_bill(&hospital, &unit, &sup);
    out.push(SampleBill {
        file: "01-hospital-valid.xml",
        verdict: "VALID",
        sub_indication: None,
        summary: "医疗门诊收费票据 of a hospital, SM2 throughout",
        detail: "Outpatient bill (挂号费, 西药费, 化验费; 217.10). Unit: SM2 DETACH \
                 with signed attributes (GB/T 35275 OIDs, signer and issuing-CA \
                 certificates inside the CMS, no KeyInfo). Supervisor: SM2 RAW \
                 (DER r,s) with KeyInfo serial + issuer + certificate."
            .to_owned(),
        xml: hospital_xml.clone(),
    });

    // 02: school, P-256 RAW.
    let school = BillSpec::education();
    let unit = SignSpec::raw_der(Alg::P256, &school.issue_plus(40));
    let sup = SignSpec::raw_rs(Alg::P256, &school.issue_plus(15 * 60 + 3));
    out.push(SampleBill {
        file: "02-school-valid.xml",
        verdict: "VALID",
        sub_indication: None,
        summary: "非税收入统一票据 (tuition) of a college, P-256 RAW",
        detail: "Non-tax revenue bill for tuition, accommodation and textbooks \
                 (6980.00). Unit: ECDSA P-256 RAW (DER r,s); supervisor: ECDSA \
                 P-256 RAW (64-octet r‖s); both with KeyInfo serial + issuer + \
                 certificate."
            .to_owned(),
        xml: pki.sign_bill(&school, &unit, &sup),
    });

    // 03: donation, mixed algorithms.
    let donation = BillSpec::donation();
    let unit = SignSpec::raw_rs(Alg::Sm2, &donation.issue_plus(18));
    let sup = SignSpec::detach(Alg::P256, &donation.issue_plus(42 * 60));
    out.push(SampleBill {
        file: "03-donation-mixed-valid.xml",
        verdict: "VALID",
        sub_indication: None,
        summary: "公益事业捐赠统一票据 of a foundation, SM2 unit + P-256 supervisor",
        detail: "Donation bill from a company to a charity foundation (money and \
                 goods, 23560.50). Unit: SM2 RAW (r‖s) with KeyInfo; supervisor: \
                 P-256 DETACH without signed attributes (PKCS#7 OIDs, certificates \
                 in the CMS, no KeyInfo)."
            .to_owned(),
        xml: pki.sign_bill(&donation, &unit, &sup),
    });

    // 04: the hospital bill with an amount raised after signing.
    let tampered = [
        ("<ItemStd>128.50</ItemStd>", "<ItemStd>328.50</ItemStd>"),
        (
            "<ItemAmount>128.50</ItemAmount>",
            "<ItemAmount>328.50</ItemAmount>",
        ),
        (
            "<TotalAmount>217.10</TotalAmount>",
            "<TotalAmount>417.10</TotalAmount>",
        ),
        (
            "<TotalAmountCapital>贰佰壹拾柒元壹角</TotalAmountCapital>",
            "<TotalAmountCapital>肆佰壹拾柒元壹角</TotalAmountCapital>",
        ),
        (
            "<OwnPayAmount>86.84</OwnPayAmount>",
            "<OwnPayAmount>286.84</OwnPayAmount>",
        ),
    ]
    .iter()
    .fold(hospital_xml, |xml, (from, to)| {
        replace_first(&xml, from, to)
    });
    debug_assert_eq!(capital(41710), "肆佰壹拾柒元壹角");
    out.push(SampleBill {
        file: "04-hospital-tampered-amount.xml",
        verdict: "INVALID",
        sub_indication: Some("HASH_FAILURE"),
        summary: "01 with 化验费 raised from 128.50 to 328.50 after signing",
        detail: "The bytes of 01 with the lab-test item, TotalAmount, \
                 TotalAmountCapital and OwnPayAmount consistently raised by 200.00 \
                 after both signatures were made, so the content rules still hold. \
                 The unit's CMS messageDigest no longer matches SM3(B): HASH_FAILURE \
                 (the supervisor's signature fails too)."
            .to_owned(),
        xml: tampered,
    });

    // 05: signed under a root the host does not trust.
    let rogue = untrusted_pki();
    let mut clinic = BillSpec::medical();
    clinic.einvoice_number = "0001203912".to_owned();
    clinic.random_number = "Zp41rW".to_owned();
    clinic.issue_time = "14:22:05".to_owned();
    let unit = SignSpec::raw_der(Alg::Sm2, &clinic.issue_plus(31));
    let sup = SignSpec::raw_der(Alg::Sm2, &clinic.issue_plus(9 * 60 + 50));
    out.push(SampleBill {
        file: "05-untrusted-root.xml",
        verdict: "INDETERMINATE",
        sub_indication: Some("NO_CERTIFICATE_CHAIN_FOUND"),
        summary: "an intact bill whose certificates chain to an untrusted root",
        detail: "Content and signatures are intact, but both signer certificates \
                 (in KeyInfo) were issued by \"Piaoyan DEMO-UNTRUSTED SM2 Issuing CA\", \
                 whose root is not in samples/trust/roots.pem: no path to a trust \
                 anchor."
            .to_owned(),
        xml: rogue.sign_bill(&clinic, &unit, &sup),
    });

    // 06: the capital amount does not spell TotalAmount.
    let mut school2 = BillSpec::education();
    school2.einvoice_number = "0000468233".to_owned();
    school2.random_number = "q8Lx2N".to_owned();
    school2.issue_time = "10:31:44".to_owned();
    school2.payer.name = "陈雨桐".to_owned();
    school2.payer.code = Some(crate::fixture::codes::resident_id("33010220070903242"));
    school2.main_ext[0].1 = "2025310519".to_owned();
    school2.total_amount_capital = Field::text("陆仟玖佰零捌元整");
    let unit = SignSpec::detach(Alg::Sm2, &school2.issue_plus(22));
    let sup = SignSpec::raw_rs(Alg::Sm2, &school2.issue_plus(11 * 60 + 8));
    out.push(SampleBill {
        file: "06-capital-amount-mistake.xml",
        verdict: "INVALID",
        sub_indication: Some("CONTENT_FAILURE"),
        summary: "TotalAmount 6980.00 but TotalAmountCapital 陆仟玖佰零捌元整 (6908)",
        detail: "A college bill, validly signed (unit: SM2 DETACH without signed \
                 attributes; supervisor: SM2 RAW r‖s), whose issuing system spelled \
                 the total wrong: 陆仟玖佰零捌元整 is 6908.00, the correct spelling \
                 of 6980.00 is 陆仟玖佰捌拾元整. Both signatures are VALID; the \
                 content check fails."
            .to_owned(),
        xml: pki.sign_bill(&school2, &unit, &sup),
    });

    // 07: unit certificate revoked before signing (see trust/crls.pem).
    let mut late = BillSpec::medical();
    late.einvoice_number = "0001204466".to_owned();
    late.random_number = "B7vc0e".to_owned();
    late.issue_date = "20250618".to_owned();
    late.issue_time = "16:05:31".to_owned();
    late.items = vec![
        ItemSpec::priced("301", "挂号费", "1", "次", "15.00"),
        ItemSpec::priced("304", "检查费", "1", "次", "260.00"),
    ];
    late.aux_items.clear();
    late.main_ext[1].1 = "MZ2025061817".to_owned();
    late.main_ext[3].1 = "165.00".to_owned();
    late.main_ext[4].1 = "110.00".to_owned();
    let old = revoked_hospital_leaf(&pki);
    let unit = SignSpec::raw_der(Alg::Sm2, &late.issue_plus(27));
    let sup = SignSpec::raw_der(Alg::Sm2, &late.issue_plus(6 * 60 + 2));
    let sup_leaf = pki.supervisor_leaf(Alg::Sm2, &late);
    out.push(SampleBill {
        file: "07-revoked-certificate.xml",
        verdict: "INVALID",
        sub_indication: Some("REVOKED"),
        summary: "signed with the hospital's old SM2 certificate, revoked 2025-03-01",
        detail: "The unit signed on 2025-06-18 with a certificate that \
                 samples/trust/crls.pem lists as revoked on 2025-03-01 10:00 \
                 Beijing time (02:00 UTC). Needs the CRLs supplied to the verifier; \
                 without them the bill verifies as VALID."
            .to_owned(),
        xml: build_bill(&late, (&unit, &old), (&sup, &sup_leaf)),
    });

    out
}

/// Every file under `samples/` (path relative to it, contents).
pub fn files() -> Vec<(String, Vec<u8>)> {
    let pki = demo_pki();
    let bills = bills();
    let mut files = vec![
        ("trust/roots.pem".to_owned(), pki.roots_pem().into_bytes()),
        (
            "trust/intermediates.pem".to_owned(),
            pki.intermediates_pem().into_bytes(),
        ),
        ("trust/crls.pem".to_owned(), pki.crls_pem().into_bytes()),
    ];
    for b in &bills {
        files.push((format!("bills/{}", b.file), b.xml.clone()));
    }
    files.push((
        "expected.json".to_owned(),
        expected_json(&bills).into_bytes(),
    ));
    files.push(("README.md".to_owned(), readme(&pki, &bills).into_bytes()));
    files
}

fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn expected_json(bills: &[SampleBill]) -> String {
    let rows: Vec<String> = bills
        .iter()
        .map(|b| {
            format!(
                "  {{\n    \"file\": {},\n    \"verdict\": {},\n    \"subIndication\": {},\n    \"summary\": {}\n  }}",
                json_str(&format!("bills/{}", b.file)),
                json_str(b.verdict),
                b.sub_indication.map_or("null".to_owned(), json_str),
                json_str(b.summary),
            )
        })
        .collect();
    format!("[\n{}\n]\n", rows.join(",\n"))
}

fn readme(pki: &Pki, bills: &[SampleBill]) -> String {
    let mut s = String::new();
    s.push_str(
        "# Demo bills\n\n\
         Generated by `cargo run -p piaoyan-tests --bin gen-samples` from the\n\
         fixture generator in `tests/src/fixture/` (deterministic: re-running it\n\
         rewrites the same bytes; the `samples_up_to_date` test fails if these\n\
         files drift from the generator). Do not edit them by hand.\n\n\
         Everything here is fictitious: the units, people, codes (with correct\n\
         check characters) and the PKI, whose names all say DEMO. Nothing here\n\
         is trusted by any real verifier.\n\n\
         ## Trust material (`trust/`)\n\n\
         | file | content |\n|---|---|\n",
    );
    let roots: Vec<String> = pki_names(pki, true);
    let ints: Vec<String> = pki_names(pki, false);
    s.push_str(&format!(
        "| `roots.pem` | trust anchors: {} |\n",
        roots.join(", ")
    ));
    s.push_str(&format!(
        "| `intermediates.pem` | issuing CAs: {} |\n",
        ints.join(", ")
    ));
    s.push_str(
        "| `crls.pem` | one CRL per issuing CA; the SM2 one revokes the certificate used by 07 |\n\n\
         All certificates are valid 2024-01-01 to 2030-12-31 (UTC). The SM2\n\
         hierarchy is signed with SM2-with-SM3 (identifier 1234567812345678),\n\
         the P-256 one with ecdsa-with-SHA256.\n\n\
         Verify with, for example:\n\n\
         ```sh\n\
         piaoyan verify --trust samples/trust/roots.pem \\\n\
         \x20   --certs samples/trust/intermediates.pem \\\n\
         \x20   --crl samples/trust/crls.pem samples/bills\n\
         ```\n\n\
         (`piaoyan verify --help` has the details).\n\n\
         ## Bills (`bills/`)\n\n\
         Expected results, with all three trust files supplied (also in\n\
         `expected.json`):\n\n\
         | file | verdict | sub-indication | what it is |\n|---|---|---|---|\n",
    );
    for b in bills {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            b.file,
            b.verdict,
            b.sub_indication.unwrap_or("—"),
            b.summary
        ));
    }
    s.push_str("\n### Details\n\n");
    for b in bills {
        s.push_str(&format!("- **{}** — {}\n", b.file, b.detail));
    }
    s.push_str(
        "\nSignature times are Beijing time, a few seconds (unit) and minutes\n\
         (supervisor) after the bill's IssueDate/IssueTime.\n",
    );
    s
}

fn pki_names(pki: &Pki, roots: bool) -> Vec<String> {
    Alg::ALL
        .iter()
        .map(|a| {
            let h = pki.hierarchy(*a);
            let ca = if roots { &h.root } else { &h.issuing };
            format!("`{}`", ca.name_rfc4514())
        })
        .collect()
}
