//! The committed files under `samples/` are exactly what the generator
//! makes. If this fails after a deliberate change, run
//! `cargo run -p piaoyan-tests --bin gen-samples` and commit the result.

use std::path::PathBuf;

#[test]
fn committed_samples_match_the_generator() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../samples");
    let mut stale = Vec::new();
    for (rel, bytes) in piaoyan_tests::samples::files() {
        match std::fs::read(dir.join(&rel)) {
            Ok(on_disk) if on_disk == bytes => {}
            Ok(_) => stale.push(format!("{rel} differs")),
            Err(e) => stale.push(format!("{rel}: {e}")),
        }
    }
    assert!(
        stale.is_empty(),
        "samples/ is out of date ({}); run `cargo run -p piaoyan-tests --bin gen-samples`",
        stale.join(", ")
    );
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(
        piaoyan_tests::samples::files(),
        piaoyan_tests::samples::files()
    );
}
