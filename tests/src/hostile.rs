//! Hostile bills shared by the native bounds tests (`tests/tests/hostile.rs`,
//! which measure the heap) and the WebAssembly memory test
//! (`host-cli/tests/wasm_memory.rs`, which measures the instance's linear
//! memory): the same inputs, built once.

use piaoyan_core::{Limits, Verdict, VerifyOptions};

use crate::fixture::*;

/// 2026-06-01T00:00:00Z: inside every certificate of [`pki`].
pub const NOW: i64 = 1_780_272_000;

/// The PKI that signs every hostile bill.
pub fn pki() -> Pki {
    Pki::new("HOSTILE")
}

/// Options trusting [`pki`] at [`NOW`].
pub fn options(pki: &Pki) -> VerifyOptions {
    pki.verify_options(Some(NOW))
}

/// The same options as the JSON of `docs/abi.md`, for the module.
pub fn options_json(pki: &Pki) -> String {
    serde_json::json!({
        "trustAnchors": [pki.roots_pem()],
        "certificates": [pki.intermediates_pem()],
        "crls": [pki.crls_pem()],
        "now": NOW,
    })
    .to_string()
}

/// `bill` signed by [`pki`]: an SM2 unit signature with signed attributes,
/// a P-256 supervisor signature.
pub fn sign(pki: &Pki, bill: &BillSpec) -> Vec<u8> {
    let u = SignSpec::detach_signed_attrs(Alg::Sm2, &bill.issue_plus(30));
    let s = SignSpec::raw_der(Alg::P256, &bill.issue_plus(600));
    pki.sign_bill(bill, &u, &s)
}

/// A valid signed bill with `edit` applied to its spec before signing.
pub fn signed(edit: impl FnOnce(&mut BillSpec)) -> Vec<u8> {
    let pki = pki();
    let mut bill = BillSpec::medical();
    edit(&mut bill);
    sign(&pki, &bill)
}

/// A signed bill whose XML declaration is followed by `extra` (a DTD).
pub fn with_declaration(extra: &str) -> Vec<u8> {
    signed(|b| {
        b.layout.declaration = Some(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{extra}"
        ))
    })
}

/// Ten nested entities of ten references each, used once.
pub fn billion_laughs() -> Vec<u8> {
    let mut dtd = String::from("<!DOCTYPE EInvoice [\n<!ENTITY lol0 \"lol\">\n");
    for i in 1..10 {
        let prev = format!("&lol{};", i - 1);
        dtd.push_str(&format!("<!ENTITY lol{i} \"{}\">\n", prev.repeat(10)));
    }
    dtd.push_str("]>");
    replace_first(&with_declaration(&dtd), "<PayMode>", "<PayMode>&lol9;")
}

/// 1.3 million unclosed elements (about 4 MiB).
pub fn unclosed_elements() -> Vec<u8> {
    [b"<EInvoice>".as_slice(), &b"<N>".repeat(1_300_000)].concat()
}

/// One element with 300 000 distinct attributes.
pub fn many_attributes() -> Vec<u8> {
    let attrs: String = (0..300_000).map(|i| format!(" a{i:x}=\"\"")).collect();
    replace_first(&signed(|_| {}), "<Main>", &format!("<Main{attrs}>"))
}

/// As many extra empty elements as the element bound.
pub fn extra_elements() -> Vec<u8> {
    let many = "<E/>".repeat(Limits::default().max_elements);
    replace_first(
        &signed(|_| {}),
        "<MedicalType>",
        &format!("{many}<MedicalType>"),
    )
}

/// Text and comment nodes past the node bound (4 per element).
pub fn text_and_comment_nodes() -> Vec<u8> {
    let nodes = "x<!---->".repeat(2 * Limits::default().max_elements + 100);
    [
        b"<EInvoice><Header>".as_slice(),
        nodes.as_bytes(),
        b"</Header></EInvoice>",
    ]
    .concat()
}

/// One item more than the item bound... and then some: 10 003 items.
pub fn too_many_items() -> Vec<u8> {
    let item = "<Item><ItemName>i</ItemName><ItemAmount>0.01</ItemAmount></Item>";
    replace_first(
        &signed(|_| {}),
        "<Details>",
        &format!("<Details>{}", item.repeat(Limits::default().max_items)),
    )
}

/// The supervisor signature repeated 2 000 times.
pub fn many_signatures() -> Vec<u8> {
    let bill = signed(|_| {});
    let sup =
        element_range(&bill, "<Signature Id=\"Supervisor\"", "</Signature>").expect("supervisor");
    let one = String::from_utf8(bill[sup.clone()].to_vec()).unwrap();
    [
        &bill[..sup.end],
        one.repeat(2_000).as_bytes(),
        &bill[sup.end..],
    ]
    .concat()
}

/// The heaviest input within every bound: 10 000 items (the bound), texts
/// filling the input to nearly 4 MiB, correctly signed by `pki`.
pub fn largest_valid_bill(pki: &Pki) -> Vec<u8> {
    let limits = Limits::default();
    let mut bill = BillSpec::medical();
    bill.aux_items.clear();
    bill.items = (0..limits.max_items)
        .map(|i| {
            let mut it = ItemSpec::fixed(&format!("{i}"), "检查费", "0.01");
            it.remark = Some("备".repeat(80));
            it
        })
        .collect();
    sign(pki, &bill)
}

/// One of the worst inputs and the verdict it must get with [`options`].
pub struct WorstCase {
    pub what: &'static str,
    pub input: Vec<u8>,
    pub verdict: Verdict,
}

/// The inputs that cost the verifier most memory or time, each with its
/// verdict: the bounds' worst cases and the largest valid bill.
pub fn worst_cases(pki: &Pki) -> Vec<WorstCase> {
    let invalid = |what, input| WorstCase {
        what,
        input,
        verdict: Verdict::Invalid,
    };
    let mut too_big = signed(|_| {});
    too_big.resize(Limits::default().max_input_bytes + 1, b' ');
    vec![
        WorstCase {
            what: "largest valid bill (10 000 items)",
            input: largest_valid_bill(pki),
            verdict: Verdict::Valid,
        },
        invalid("400 200 text and comment nodes", text_and_comment_nodes()),
        invalid("100 000 extra elements", extra_elements()),
        invalid("10 003 items", too_many_items()),
        invalid("300 000 attributes on one element", many_attributes()),
        invalid("2 002 complete Signature elements", many_signatures()),
        invalid("1.3 million unclosed elements", unclosed_elements()),
        invalid("billion laughs", billion_laughs()),
        invalid("input of 4 MiB + 1", too_big),
    ]
}
