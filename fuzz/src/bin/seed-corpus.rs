//! Writes the seed corpus of every fuzz target to `fuzz/corpus/<target>/`
//! (or of the targets named on the command line), from
//! `../shared/vectors/bills`. Existing files are kept.
//!
//! ```sh
//! cargo run --manifest-path fuzz/Cargo.toml --no-default-features --bin seed-corpus
//! ```

use std::path::PathBuf;

use piaoyan_fuzz::seeds::{TARGETS, seeds};

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for target in TARGETS {
        if !wanted.is_empty() && !wanted.iter().any(|w| w == target) {
            continue;
        }
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).expect("corpus directory");
        let seeds = seeds(target);
        let bytes: usize = seeds.iter().map(|(_, b)| b.len()).sum();
        for (name, data) in &seeds {
            std::fs::write(dir.join(name), data).expect("write seed");
        }
        println!(
            "{target}: {} seeds, {bytes} bytes in {}",
            seeds.len(),
            dir.display()
        );
    }
}
