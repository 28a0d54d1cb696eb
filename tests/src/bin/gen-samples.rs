//! Writes the demo files of `samples/` (trust material, bills, README).
//!
//! Usage: `cargo run -p piaoyan-tests --bin gen-samples [-- OUT_DIR]`;
//! OUT_DIR defaults to the workspace's `samples/`.

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let out = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../samples"));
    for (rel, bytes) in piaoyan_tests::samples::files() {
        let path = out.join(&rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, &bytes)?;
        println!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}
