//! Every shared vector bill gets exactly its expected verdict, natively
//! through `piaoyan-core`, and every report matches the JSON Schema.

use piaoyan_tests::vectors::*;

#[test]
fn every_vector_bill_gets_its_verdict_natively() {
    let verifier = piaoyan_core::Verifier::new(&vector_options(now_unix())).expect("trust loads");
    let schema = report_schema();
    let entries = manifest();
    let mut failures = Vec::new();
    for entry in &entries {
        let bytes = std::fs::read(bills_dir().join(&entry.file)).expect("bill readable");
        let report = serde_json::to_value(verifier.verify(&bytes)).expect("report serialises");
        for p in compare(entry, &report) {
            failures.push(format!("{}: {p} [{}]", entry.file, entry.note));
        }
        for e in schema_errors(&schema, &report) {
            failures.push(format!("{}: schema: {e}", entry.file));
        }
    }
    println!(
        "{} vector bills checked natively, {} mismatches",
        entries.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
