//! `piaoyan render`: one file per page from the embedded render module,
//! SVG or PNG (resvg); the exit status says whether the input is VALID.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn piaoyan(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_piaoyan"))
        .args(["render", "--no-config"])
        .args(args)
        .env(
            "PIAOYAN_CACHE_DIR",
            std::env::temp_dir().join("piaoyan-render-test-cache"),
        )
        .output()
        .unwrap()
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("piaoyan-render-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn an_ofd_document_becomes_one_svg_per_page() {
    let dir = out_dir("svg");
    let ofd = root().join("../shared/corpus/ofdrw/converter-draw_param_ref.ofd");
    let out = piaoyan(&[ofd.to_str().unwrap(), "-o", dir.to_str().unwrap()]);
    // No trust anchors: not VALID.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 5, "{pages:?}");
    assert_eq!(pages[0], "converter-draw_param_ref-p1.svg");
    let svg = std::fs::read_to_string(dir.join(&pages[0])).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("data-signed=\"uncovered\""));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("INDETERMINATE"), "{stderr}");
}

#[test]
fn a_valid_bill_becomes_a_png() {
    let dir = out_dir("png");
    let trust = root().join("samples/trust");
    let t = |f: &str| trust.join(f).to_str().unwrap().to_string();
    let bill = root().join("samples/bills/01-hospital-valid.xml");
    let out = piaoyan(&[
        "--trust",
        &t("roots.pem"),
        "--certs",
        &t("intermediates.pem"),
        "--crl",
        &t("crls.pem"),
        "--now",
        "1795737600",
        "--format",
        "png",
        "--scale",
        "2",
        bill.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(dir.join("01-hospital-valid-p1.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    // 210 mm at 2 px per mm.
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 420);
}

#[test]
fn what_cannot_be_drawn_is_a_usage_error() {
    let dir = out_dir("bad");
    let junk = std::env::temp_dir().join(format!("piaoyan-render-junk-{}", std::process::id()));
    std::fs::write(&junk, b"PK\x03\x04 not a zip").unwrap();
    let out = piaoyan(&[junk.to_str().unwrap(), "-o", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RENDER_UNREADABLE"));
}
