//! The hand-written JSON of reports and bills (`piaoyan_core::to_json`,
//! what the WebAssembly module returns) is byte for byte what
//! `serde_json::to_string` makes of the same value with the serde derives
//! (what native hosts and earlier modules produced), for every report these
//! tests can make: the shared vector bills with and without their trust,
//! the demo samples, the OFD corpus with and without its signers' trust,
//! tampered and hostile variants, and the bills `parse` returns.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use piaoyan_core::ofd::zip::Archive;
use piaoyan_core::{Bill, Limits, Report, Verifier, VerifyOptions};
use piaoyan_tests::fixture::{ItemSpec, replace_first};
use piaoyan_tests::{hostile, ofd, vectors};

/// Compares both serialisations of everything given to it and remembers
/// which members were written with a value other than `null`, `[]` or
/// `false`, to show what the comparisons covered.
#[derive(Default)]
struct Compare {
    reports: usize,
    bills: usize,
    bytes: usize,
    failures: Vec<String>,
    filled: BTreeSet<String>,
}

impl Compare {
    fn report(&mut self, what: &str, report: &Report) {
        self.reports += 1;
        let ours = piaoyan_core::to_json(report);
        let theirs = serde_json::to_string(report).expect("the report serialises");
        self.check(what, ours, theirs);
        if let Some(bill) = &report.bill {
            self.bill(what, bill);
        }
    }

    fn bill(&mut self, what: &str, bill: &Bill) {
        self.bills += 1;
        let ours = piaoyan_core::to_json(bill);
        let theirs = serde_json::to_string(bill).expect("the bill serialises");
        self.check(what, ours, theirs);
    }

    fn check(&mut self, what: &str, ours: String, theirs: String) {
        self.bytes += ours.len();
        if ours != theirs {
            let at = ours
                .bytes()
                .zip(theirs.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(ours.len().min(theirs.len()));
            let from = at.saturating_sub(60);
            self.failures.push(format!(
                "{what}: differs at byte {at}:\n  ours   …{}\n  serde  …{}",
                String::from_utf8_lossy(&ours.as_bytes()[from..(at + 60).min(ours.len())]),
                String::from_utf8_lossy(&theirs.as_bytes()[from..(at + 60).min(theirs.len())]),
            ));
            return;
        }
        let value: serde_json::Value = serde_json::from_str(&ours).expect("valid JSON");
        filled(&value, "", &mut self.filled);
    }

    fn finish(self, must_fill: &[&str]) {
        println!(
            "{} reports and {} bills compared ({} bytes of JSON), {} differences",
            self.reports,
            self.bills,
            self.bytes,
            self.failures.len()
        );
        assert!(
            self.failures.is_empty(),
            "{} differences:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
        let missing: Vec<_> = must_fill
            .iter()
            .filter(|m| !self.filled.contains(**m))
            .collect();
        assert!(
            missing.is_empty(),
            "never written with a value: {missing:?}"
        );
    }
}

/// The paths (`a.b[].c`) of members holding something.
fn filled(v: &serde_json::Value, path: &str, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(members) => {
            for (k, v) in members {
                filled(v, &format!("{path}.{k}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                filled(v, &format!("{path}[]"), out);
            }
        }
        serde_json::Value::Null | serde_json::Value::Bool(false) => return,
        _ => {}
    }
    if !(v.is_array() && v.as_array().is_some_and(Vec::is_empty)) {
        out.insert(path.to_owned());
    }
}

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn xml_bills_are_written_as_serde_json_writes_them() {
    let mut c = Compare::default();
    let now = vectors::now_unix();
    let trusted = Verifier::new(&vectors::vector_options(now)).expect("vector trust");
    let untrusted = Verifier::new(&VerifyOptions {
        now: Some(now),
        ..VerifyOptions::default()
    })
    .expect("no trust");

    // The shared vectors, with and without their trust, and parsed.
    let bills = files_in(&vectors::bills_dir(), "xml");
    assert!(bills.len() > 100, "{} vector bills", bills.len());
    for path in &bills {
        let bytes = std::fs::read(path).expect("bill");
        let file = name(path);
        c.report(&format!("{file} (trusted)"), &trusted.verify(&bytes));
        c.report(&format!("{file} (untrusted)"), &untrusted.verify(&bytes));
        if let Ok(bill) = trusted.parse(&bytes) {
            c.bill(&format!("{file} (parsed)"), &bill);
        }
    }

    // Tampered: bytes of a few valid vector bills changed at a stride.
    for file in ["bill-0001.xml", "bill-0006.xml", "bill-0014.xml"] {
        let original = std::fs::read(vectors::bills_dir().join(file)).expect("bill");
        for pos in (0..original.len()).step_by(211) {
            let mut bytes = original.clone();
            bytes[pos] ^= 1 << (pos % 7) | 0x01;
            c.report(&format!("{file} ^ byte {pos}"), &trusted.verify(&bytes));
        }
    }

    // The demo samples with the demo trust.
    let samples = vectors::repo_dir().join("samples");
    let pem = |n: &str, label: &str| {
        piaoyan_core::options::pem_blocks(
            &vectors::read_text(&samples.join("trust").join(n)),
            label,
        )
        .expect("PEM")
    };
    let demo = Verifier::new(&VerifyOptions {
        trust_anchors: pem("roots.pem", "CERTIFICATE"),
        certificates: pem("intermediates.pem", "CERTIFICATE"),
        crls: pem("crls.pem", "X509 CRL"),
        now: Some(now),
        ..VerifyOptions::default()
    })
    .expect("demo trust");
    let sample_bills = files_in(&samples.join("bills"), "xml");
    assert!(sample_bills.len() >= 7, "{} samples", sample_bills.len());
    for path in &sample_bills {
        let bytes = std::fs::read(path).expect("sample");
        c.report(&name(path), &demo.verify(&bytes));
        c.bill(
            &format!("{} (parsed)", name(path)),
            &demo.parse(&bytes).unwrap(),
        );
    }

    // Hostile and fixture bills signed by the hostile PKI, among them text
    // that JSON must escape and every optional part of a bill.
    let pki = hostile::pki();
    let verifier = Verifier::new(&hostile::options(&pki)).expect("hostile trust");
    for case in hostile::worst_cases(&pki) {
        c.report(case.what, &verifier.verify(&case.input));
    }
    let odd = "a\t\"quoted\" back\\slash\nline/票据 \u{7f}\u{2028}end";
    let edited = [
        hostile::signed(|_| {}),
        hostile::signed(|b| {
            b.main_tail.push(("Remark".into(), odd.into()));
            b.main_ext.push(("Note".into(), odd.into()));
            b.items.push(ItemSpec {
                remark: Some(odd.into()),
                ext: vec![("X".into(), odd.into())],
                ..ItemSpec::fixed("999", odd, "0.01")
            });
            b.aux_items.push(vec![("AuxItemName".into(), odd.into())]);
            b.raw.main = format!("<Unknown>{}&#13;x</Unknown>", odd.replace('&', "&amp;"));
        }),
        hostile::signed(|b| b.items.push(ItemSpec::fixed("1", "x", "1.234"))),
        hostile::with_declaration("<!DOCTYPE x>"),
        hostile::billion_laughs(),
        hostile::extra_elements(),
        hostile::text_and_comment_nodes(),
    ];
    for (i, bytes) in edited.iter().enumerate() {
        let report = verifier.verify(bytes);
        c.report(&format!("hostile edit {i}"), &report);
        if let Ok(bill) = verifier.parse(bytes) {
            c.bill(&format!("hostile edit {i} (parsed)"), &bill);
        }
    }
    let with_odd = piaoyan_core::to_json(&verifier.verify(&edited[1]));
    assert!(
        with_odd.contains("a\\t\\\"quoted\\\" back\\\\slash\\nline/票据"),
        "the odd text reached the report: {with_odd}"
    );

    c.finish(&[
        ".bill.main.totalAmount.fen",
        ".bill.main.mainExt[].name",
        ".bill.main.extra[].value",
        ".bill.main.invoicingPartySeal.sealId",
        ".bill.items[].itemExt[].value",
        ".bill.items[].remark",
        ".bill.auxItems[].name",
        ".bill.header.eInvoiceId",
        ".checks[].code",
        ".warnings[].code",
        ".signatures[].signer.serial",
        ".signatures[].chain[].subject",
        ".signatures[].subIndication",
        ".subIndication",
        ".billKey",
    ]);
}

/// The signer certificate of a package's first SES signature, if it has one.
fn seal_signer(bytes: &[u8]) -> Option<Vec<u8>> {
    let archive = Archive::parse(bytes, &Limits::default()).ok()?;
    let entry = archive
        .entries
        .iter()
        .find(|e| e.name.ends_with("SignedValue.dat"))?;
    let value = archive.read(entry).ok()?;
    let signature = piaoyan_core::ofd::ses::parse_signature(&value).ok()?;
    Some(signature.cert.to_vec())
}

#[test]
fn ofd_reports_are_written_as_serde_json_writes_them() {
    let mut c = Compare::default();
    let corpus_dir = vectors::shared_dir().join("corpus/ofdrw");
    let documents = files_in(&corpus_dir, "ofd");
    assert!(documents.len() >= 15, "{} OFD documents", documents.len());
    let mut trusted_some = 0;
    for path in &documents {
        let file = name(path);
        let bytes = std::fs::read(path).expect("document");
        c.report(&file, &ofd::verify(&bytes));
        if let Some(signer) = seal_signer(&bytes) {
            c.report(
                &format!("{file} (trusting its signer)"),
                &ofd::verify_trusting(&bytes, signer),
            );
            trusted_some += 1;
        }
        // Tampered: the first page's content changed, a byte of each
        // signature value flipped, the signatures list dropped.
        let entries = ofd::unzip(&bytes);
        if entries.iter().any(|(n, _)| n.ends_with("Content.xml")) {
            let changed = ofd::rewrite(&bytes, |entries| {
                let page = entries
                    .iter_mut()
                    .find(|(n, _)| n.ends_with("Content.xml"))
                    .unwrap();
                page.1.extend_from_slice(b"<!-- changed -->");
            });
            c.report(&format!("{file} (page changed)"), &ofd::verify(&changed));
        }
        if entries.iter().any(|(n, _)| n.ends_with("SignedValue.dat")) {
            let flipped = ofd::rewrite(&bytes, |entries| {
                for (n, data) in entries.iter_mut() {
                    if n.ends_with("SignedValue.dat") {
                        let last = data.len() - 3;
                        data[last] ^= 0x40;
                    }
                }
            });
            c.report(&format!("{file} (seal flipped)"), &ofd::verify(&flipped));
        }
        let unsigned = ofd::rewrite(&bytes, |entries| {
            entries.retain(|(n, _)| !n.ends_with("Signatures.xml"));
        });
        c.report(&format!("{file} (no signatures)"), &ofd::verify(&unsigned));
        // A part whose name holds characters JSON escapes.
        let renamed = ofd::rewrite(&bytes, |entries| {
            entries.push((
                "Doc_0/Attachs/odd\u{1}\t\"name\\票.xml".into(),
                b"<a/>".to_vec(),
            ));
        });
        c.report(&format!("{file} (odd part name)"), &ofd::verify(&renamed));
    }
    assert!(
        trusted_some >= 3,
        "{trusted_some} documents with an SES seal"
    );

    // A fiscal e-bill inside an OFD (its own report nested in the
    // document's), genuine and forged, as in ofd_embedded_bill.rs.
    const BASE: &str = "sign-v4signed.ofd";
    const ATTACHMENT: &str = "Doc_0/Attachs/original_invoice.xml";
    let pki = hostile::pki();
    let mut options = hostile::options(&pki);
    options
        .trust_anchors
        .push(ofd::signer_cert(&ofd::corpus(BASE)));
    let verifier = Verifier::new(&options).expect("trust");
    let genuine = hostile::signed(|_| {});
    let forged = replace_first(&genuine, "<PayerPartyName>", "<PayerPartyName>X");
    for (what, bill) in [("genuine", genuine), ("forged", forged)] {
        let package = ofd::rewrite(&ofd::corpus(BASE), |entries| {
            let entry = entries.iter_mut().find(|(n, _)| n == ATTACHMENT).unwrap();
            entry.1 = bill.clone();
        });
        let report = verifier.verify(&package);
        c.report(&format!("{BASE} with a {what} bill inside"), &report);
    }

    c.finish(&[
        ".document.docRoot",
        ".document.prefixBytes",
        ".document.parts",
        ".document.signatures[].seal.version",
        ".document.signatures[].seal.sealType",
        ".document.signatures[].seal.maker.subject",
        ".document.signatures[].seal.picture.data",
        ".document.signatures[].seal.picture.width",
        ".document.signatures[].sesVersion",
        ".document.signatures[].references[].fileRef",
        ".document.signatures[].failedReferences[]",
        ".document.signatures[].checks[].code",
        ".document.signatures[].chain[].subject",
        ".document.attachments[].covered",
        ".document.attachments[].fields[].value",
        ".document.attachments[].report.bill.main.eInvoiceCode",
        ".document.attachments[].report.signatures[].signer.subject",
        ".bill.main.totalAmount.fen",
    ]);
}
