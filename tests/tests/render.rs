//! The renderer (`core/src/render/`): every corpus file and every sample
//! bill draws; chosen pages match their golden SVG, one file per case under
//! `tests/golden/render/` (`PIAOYAN_BLESS=1` rewrites them); the marks say
//! what a VALID signature covers; hostile limits stop with their error;
//! each golden page rasterises with resvg to a picture that is not blank
//! (kept in `target/web-test/render/` to look at); TIFF and JBIG2 pictures
//! are decoded to the pixels they hold.

use std::path::PathBuf;

use base64::Engine as _;
use piaoyan_core::render::{RenderError, RenderLimits, RenderOptions, Signed, render};
use piaoyan_core::{Verdict, Verifier, VerifyOptions};
use piaoyan_tests::ofd::{NOW, corpus, replace_once, rewrite, signer_cert};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// No trust anchors (the corpus as a payer without the signers' roots).
fn untrusting() -> Verifier {
    Verifier::new(&VerifyOptions {
        now: Some(NOW),
        ..VerifyOptions::default()
    })
    .unwrap()
}

fn trusting(anchor: Vec<u8>) -> Verifier {
    Verifier::new(&VerifyOptions {
        trust_anchors: vec![anchor],
        now: Some(NOW),
        ..VerifyOptions::default()
    })
    .unwrap()
}

/// The demo trust of `samples/trust/`.
fn demo() -> Verifier {
    let read = |f: &str| std::fs::read_to_string(root().join("samples/trust").join(f)).unwrap();
    let pem = |f: &str, label: &str| piaoyan_core::options::pem_blocks(&read(f), label).unwrap();
    Verifier::new(&VerifyOptions {
        trust_anchors: pem("roots.pem", "CERTIFICATE"),
        certificates: pem("intermediates.pem", "CERTIFICATE"),
        crls: pem("crls.pem", "X509 CRL"),
        now: Some(NOW),
        ..VerifyOptions::default()
    })
    .unwrap()
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(root().join("samples/bills").join(name)).unwrap()
}

fn corpus_files() -> Vec<String> {
    let dir = piaoyan_tests::vectors::shared_dir().join("corpus/ofdrw");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".ofd"))
        .collect();
    names.sort();
    names
}

/// Well-formed XML with an `svg` root, every drawn object marked.
fn check_svg(what: &str, svg: &str) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg", "{what}");
    for n in doc
        .descendants()
        .filter(|n| n.attribute("data-id").is_some())
    {
        let s = n.attribute("data-signed").unwrap_or("");
        assert!(
            ["valid", "uncovered", "changed"].contains(&s),
            "{what}: {s}"
        );
    }
}

#[test]
fn every_corpus_file_renders() {
    let v = untrusting();
    let files = corpus_files();
    assert!(files.len() >= 18, "{files:?}");
    for name in files {
        let r = render(&corpus(&name), &v, &RenderOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!r.pages.is_empty(), "{name}");
        for (i, p) in r.pages.iter().enumerate() {
            check_svg(&format!("{name} page {}", i + 1), &p.svg);
            assert!(p.svg.contains("<text") || p.svg.contains("<path") || p.svg.contains("<image"));
            assert!(p.width_mm > 0.0 && p.height_mm > 0.0);
        }
        // The verification is the verifier's own.
        assert_eq!(r.report, v.verify(&corpus(&name)), "{name}");
    }
}

#[test]
fn every_sample_bill_renders() {
    let v = demo();
    let mut names: Vec<_> = std::fs::read_dir(root().join("samples/bills"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() >= 7);
    for name in names {
        let r = render(&sample(&name), &v, &RenderOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(r.pages.len(), 1, "{name}");
        let svg = &r.pages[0].svg;
        check_svg(&name, svg);
        let bill = r.report.bill.as_ref().unwrap();
        for must in [
            bill.main.e_invoice_name.as_str(),
            bill.main.e_invoice_code.as_str(),
            bill.main.e_invoice_number.as_str(),
            "校验码",
            "交款人",
            "金额合计（大写）",
            "收款单位",
            "开票日期",
        ] {
            assert!(svg.contains(must), "{name}: {must}");
        }
        let expected = if r.report.verdict == Verdict::Valid {
            Signed::Valid
        } else {
            r.pages[0].signed
        };
        assert_eq!(r.pages[0].signed, expected, "{name}");
    }
}

/// The cases kept as golden SVG and rasterised.
fn golden_cases() -> Vec<(&'static str, Vec<u8>, Verifier)> {
    let trusted = |name: &str| {
        let bytes = corpus(name);
        let anchor = signer_cert(&bytes);
        (bytes, trusting(anchor))
    };
    let (a, av) = trusted("converter-1.ofd");
    let (c, cv) = trusted("sign-allprotected.ofd");
    vec![
        ("converter-1", a, av),
        ("sign-allprotected", c, cv),
        (
            "reader-helloworld",
            corpus("reader-helloworld.ofd"),
            untrusting(),
        ),
        (
            "converter-draw_param_ref",
            corpus("converter-draw_param_ref.ofd"),
            untrusting(),
        ),
        // Its JBIG2 picture (the invoice's QR code) replaced by a TIFF.
        ("converter-1-tiff", converter_1_with_tiff(), untrusting()),
        ("01-hospital-valid", sample("01-hospital-valid.xml"), demo()),
        (
            "04-hospital-tampered-amount",
            sample("04-hospital-tampered-amount.xml"),
            demo(),
        ),
    ]
}

fn out_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let dir = target.join("web-test/render");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The golden file of a page: the SVG with embedded data (pictures, fonts)
/// replaced by their length and SM3-free FNV hash, so the files stay small
/// and still change with the data.
fn golden_text(svg: &str) -> String {
    let mut out = String::new();
    let mut rest = svg;
    while let Some(i) = rest.find("data:") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(['"', ')']).map_or(rest.len(), |e| i + e);
        let data = &rest[i..end];
        let mut h: u64 = 0xcbf29ce484222325;
        for b in data.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x100000001b3);
        }
        out.push_str(&format!("data:{}-bytes-{h:016x}", data.len()));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn golden_pages() {
    let bless = std::env::var_os("PIAOYAN_BLESS").is_some();
    let dir = root().join("tests/golden/render");
    let mut failed = Vec::new();
    for (name, bytes, v) in golden_cases() {
        let r = render(&bytes, &v, &RenderOptions::default()).unwrap();
        // The first page of each case (later pages of the multi-page cases
        // repeat what the first shows).
        for (i, p) in r.pages.iter().enumerate().take(1) {
            let file = dir.join(format!("{name}-p{}.svg", i + 1));
            let got = golden_text(&p.svg);
            std::fs::write(out_dir().join(format!("{name}-p{}.svg", i + 1)), &p.svg).unwrap();
            if bless {
                std::fs::write(&file, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{}: {e} (PIAOYAN_BLESS=1 writes it)", file.display()));
            if want != got {
                failed.push(file.display().to_string());
            }
        }
    }
    assert!(
        failed.is_empty(),
        "pages differ from their golden SVG (look at target/web-test/render/, then PIAOYAN_BLESS=1): {failed:?}"
    );
}

#[test]
fn signed_parts_are_marked() {
    // Trusted and intact: every object of the page is covered.
    let bytes = corpus("sign-allprotected.ofd");
    let r = render(
        &bytes,
        &trusting(signer_cert(&bytes)),
        &RenderOptions::default(),
    )
    .unwrap();
    assert_eq!(r.report.verdict, Verdict::Valid);
    for p in &r.pages {
        assert_eq!(p.signed, Signed::Valid);
        assert!(!p.svg.contains("data-signed=\"uncovered\""));
        assert!(!p.svg.contains("签名后被改动"));
    }
    // The same file without trust: no VALID signature, nothing covered.
    let r = render(&bytes, &untrusting(), &RenderOptions::default()).unwrap();
    assert_eq!(r.pages[0].signed, Signed::Uncovered);
    assert!(r.pages[0].svg.contains("data-signed=\"uncovered\""));
    assert!(r.pages[0].svg.contains("piaoyan-shade"));
    // Pages changed after signing: a red frame with the words.
    let bytes = corpus("converter-zsbk.ofd");
    let r = render(
        &bytes,
        &trusting(signer_cert(&bytes)),
        &RenderOptions::default(),
    )
    .unwrap();
    assert!(r.pages.len() >= 2);
    for p in &r.pages[..2] {
        assert_eq!(p.signed, Signed::Changed);
        assert!(p.svg.contains("data-mark=\"changed\""));
        assert!(p.svg.contains("签名后被改动"));
        assert!(p.svg.contains("data-signed=\"changed\""));
    }
    // A tampered XML bill: the whole form changed.
    let r = render(
        &sample("04-hospital-tampered-amount.xml"),
        &demo(),
        &RenderOptions::default(),
    )
    .unwrap();
    assert_eq!(r.pages[0].signed, Signed::Changed);
    assert!(r.pages[0].svg.contains("签名后被改动"));
    let r = render(
        &sample("01-hospital-valid.xml"),
        &demo(),
        &RenderOptions::default(),
    )
    .unwrap();
    assert_eq!(r.pages[0].signed, Signed::Valid);
    assert!(!r.pages[0].svg.contains("签名后被改动"));
}

#[test]
fn seal_stamps_are_drawn() {
    for name in [
        "converter-1.ofd",
        "sign-allprotected.ofd",
        "reader-SESV4SignDoc.ofd",
    ] {
        let r = render(&corpus(name), &untrusting(), &RenderOptions::default()).unwrap();
        let all: String = r.pages.iter().map(|p| p.svg.as_str()).collect();
        assert!(all.contains("data-stamp="), "{name}");
        assert!(
            all.contains("data:image/") || all.contains("data-picture=\"ofd\""),
            "{name}: the seal picture"
        );
    }
}

#[test]
fn payee_seal_picture_when_supplied() {
    let png = {
        // A 2×2 red PNG.
        let raw = [
            [0u8, 255, 0, 0, 255, 255, 0, 0, 255],
            [0, 255, 0, 0, 255, 255, 0, 0, 255],
        ]
        .concat();
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let mut c = kind.to_vec();
            c.extend_from_slice(data);
            out.extend_from_slice(&c);
            out.extend_from_slice(&piaoyan_core::ofd::zip::crc32(&c).to_be_bytes());
        };
        chunk(&mut out, b"IHDR", &[0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
        chunk(
            &mut out,
            b"IDAT",
            &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
        );
        chunk(&mut out, b"IEND", &[]);
        out
    };
    let options = RenderOptions {
        seal_picture: Some(png),
        ..RenderOptions::default()
    };
    let r = render(&sample("02-school-valid.xml"), &demo(), &options).unwrap();
    assert!(r.pages[0].svg.contains("data-seal=\"payee\""));
    assert!(r.pages[0].svg.contains("data:image/png;base64,"));
    let r = render(
        &sample("02-school-valid.xml"),
        &demo(),
        &RenderOptions::default(),
    )
    .unwrap();
    assert!(!r.pages[0].svg.contains("data-seal=\"payee\""));
}

#[test]
fn hostile_limits_stop_with_their_error() {
    let v = untrusting();
    let bytes = corpus("converter-1.ofd");
    let with = |limits: RenderLimits| {
        render(
            &bytes,
            &v,
            &RenderOptions {
                limits,
                ..RenderOptions::default()
            },
        )
        .map(|_| ())
    };
    let d = RenderLimits::default();
    assert_eq!(
        with(RenderLimits {
            max_objects: 5,
            ..d
        }),
        Err(RenderError::TooManyObjects { bound: 5 })
    );
    assert_eq!(
        with(RenderLimits {
            max_path_points: 3,
            ..d
        }),
        Err(RenderError::TooManyPathPoints { bound: 3 })
    );
    assert_eq!(
        with(RenderLimits {
            max_output_bytes: 2000,
            ..d
        }),
        Err(RenderError::OutputTooLong { bound: 2000 })
    );
    assert_eq!(
        with(RenderLimits { max_pages: 0, ..d }),
        Err(RenderError::TooManyPages { bound: 0 })
    );
    let sealed = corpus("sign-allprotected.ofd");
    let r = render(
        &sealed,
        &v,
        &RenderOptions {
            limits: RenderLimits {
                max_image_pixels: 10,
                ..d
            },
            ..RenderOptions::default()
        },
    );
    assert!(
        matches!(r, Err(RenderError::ImageTooLarge { bound: 10, .. })),
        "{r:?}"
    );
    // Not an OFD nor a bill: the verification's reason.
    let r = render(b"PK\x03\x04garbage", &v, &RenderOptions::default());
    assert!(matches!(r, Err(RenderError::Unreadable { .. })), "{r:?}");
    let r = render(b"<a>not a bill</a>", &v, &RenderOptions::default());
    assert!(matches!(r, Err(RenderError::Unreadable { .. })), "{r:?}");
    // A bill with many items: the output bound holds there too.
    let r = render(
        &sample("01-hospital-valid.xml"),
        &demo(),
        &RenderOptions {
            limits: RenderLimits {
                max_output_bytes: 500,
                ..d
            },
            ..RenderOptions::default()
        },
    );
    assert_eq!(
        r.map(|_| ()),
        Err(RenderError::OutputTooLong { bound: 500 })
    );
}

/// Rasterises pages with resvg: a picture that is not blank, kept as PNG
/// to look at. Fonts: the Noto CJK faces where the system has them (the
/// fallback search through every system font is minutes per page), else
/// the system's.
#[test]
fn pages_rasterise() {
    let mut options = resvg::usvg::Options::default();
    let noto = std::path::Path::new("/usr/share/fonts/opentype/noto");
    if noto.is_dir() {
        let db = options.fontdb_mut();
        db.load_fonts_dir(noto);
        db.set_serif_family("Noto Serif CJK SC");
        db.set_sans_serif_family("Noto Sans CJK SC");
        db.set_monospace_family("Noto Sans CJK SC");
    } else {
        options.fontdb_mut().load_system_fonts();
    }
    let mut cases = golden_cases();
    cases.truncate(3);
    let bytes = corpus("converter-zsbk.ofd");
    let v = trusting(signer_cert(&bytes));
    cases.push(("converter-zsbk", bytes, v));
    cases.push(("01-hospital-valid", sample("01-hospital-valid.xml"), demo()));
    for (name, bytes, v) in cases {
        let r = render(&bytes, &v, &RenderOptions::default()).unwrap();
        for (i, p) in r.pages.iter().enumerate().take(1) {
            let tree = resvg::usvg::Tree::from_str(&p.svg, &options)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let size = tree.size();
            // 4 px per millimetre (about 100 dpi).
            let scale = 4.0 * p.width_mm as f32 / size.width();
            let w = (size.width() * scale).ceil() as u32;
            let h = (size.height() * scale).ceil() as u32;
            let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).unwrap();
            resvg::render(
                &tree,
                resvg::tiny_skia::Transform::from_scale(scale, scale),
                &mut pixmap.as_mut(),
            );
            let ink = pixmap
                .pixels()
                .iter()
                .filter(|px| {
                    px.alpha() > 0 && (px.red() < 200 || px.green() < 200 || px.blue() < 200)
                })
                .count();
            assert!(ink > 500, "{name} page {}: only {ink} inked pixels", i + 1);
            pixmap
                .save_png(out_dir().join(format!("{name}-p{}.png", i + 1)))
                .unwrap();
        }
    }
}

/// A TIFF of `w`×`h` RGB pixels, 8 bits a sample, each row a PackBits
/// literal run (compression 32773), little-endian: what `colour(x, y)` says.
fn tiff_rgb(w: u16, h: u16, colour: impl Fn(u16, u16) -> [u8; 3]) -> Vec<u8> {
    let mut strip = Vec::new();
    for y in 0..h {
        let row: Vec<u8> = (0..w).flat_map(|x| colour(x, y)).collect();
        for run in row.chunks(128) {
            strip.push((run.len() - 1) as u8);
            strip.extend_from_slice(run);
        }
    }
    // Header (8), IFD (2 + 10 × 12 + 4), BitsPerSample's three values (6), the strip.
    let bits_at = 8 + 2 + 10 * 12 + 4;
    let strip_at = bits_at + 6;
    let entries: [(u16, u16, u32, u32); 10] = [
        (256, 3, 1, u32::from(w)),       // ImageWidth
        (257, 3, 1, u32::from(h)),       // ImageLength
        (258, 3, 3, bits_at),            // BitsPerSample: 8, 8, 8 (at the offset)
        (259, 3, 1, 32773),              // Compression: PackBits
        (262, 3, 1, 2),                  // PhotometricInterpretation: RGB
        (273, 4, 1, strip_at),           // StripOffsets
        (277, 3, 1, 3),                  // SamplesPerPixel
        (278, 3, 1, u32::from(h)),       // RowsPerStrip
        (279, 4, 1, strip.len() as u32), // StripByteCounts
        (284, 3, 1, 1),                  // PlanarConfiguration: chunky
    ];
    let mut t = b"II*\0".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    t.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, count, value) in entries {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        if kind == 3 && count == 1 {
            t.extend_from_slice(&(value as u16).to_le_bytes());
            t.extend_from_slice(&[0, 0]);
        } else {
            t.extend_from_slice(&value.to_le_bytes());
        }
    }
    t.extend_from_slice(&0u32.to_le_bytes());
    for _ in 0..3 {
        t.extend_from_slice(&8u16.to_le_bytes());
    }
    assert_eq!(t.len(), strip_at as usize);
    t.extend_from_slice(&strip);
    t
}

/// The colours of [`converter_1_with_tiff`]'s picture: a red block top
/// left, a blue one bottom right, white elsewhere.
fn tiff_colour(x: u16, y: u16) -> [u8; 3] {
    match (x < 6 && y < 4, x >= 6 && y >= 4) {
        (true, _) => [200, 30, 30],
        (_, true) => [30, 30, 200],
        _ => [255, 255, 255],
    }
}

/// converter-1.ofd with its JBIG2 picture (`Res/image_78.jb2`, declared
/// `GBIG2`) replaced by a 12×8 TIFF (`Res/image_78.tif`, declared `TIFF`).
fn converter_1_with_tiff() -> Vec<u8> {
    rewrite(&corpus("converter-1.ofd"), |entries| {
        for (name, data) in entries.iter_mut() {
            if name == "Doc_0/DocumentRes.xml" {
                let res = replace_once(data, b"Format=\"GBIG2\"", b"Format=\"TIFF\"");
                *data = replace_once(&res, b"image_78.jb2", b"image_78.tif");
            } else if name == "Doc_0/Res/image_78.jb2" {
                *name = "Doc_0/Res/image_78.tif".into();
                *data = tiff_rgb(12, 8, tiff_colour);
            }
        }
    })
}

/// The pictures of a page (`<image href="data:image/png;base64,…">`), decoded.
fn png_pictures(svg: &str) -> Vec<resvg::tiny_skia::Pixmap> {
    svg.split("href=\"data:image/png;base64,")
        .skip(1)
        .map(|rest| {
            let b64 = &rest[..rest.find('"').unwrap()];
            let png = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap();
            resvg::tiny_skia::Pixmap::decode_png(&png).unwrap()
        })
        .collect()
}

#[test]
fn tiff_and_jbig2_pictures_are_decoded() {
    // JBIG2: converter-1.ofd's own picture, a 100×100 QR code.
    let r = render(
        &corpus("converter-1.ofd"),
        &untrusting(),
        &RenderOptions::default(),
    )
    .unwrap();
    let svg = &r.pages[0].svg;
    assert!(
        !svg.contains("data-picture=\"not-drawn\""),
        "every picture drawn"
    );
    let pictures = png_pictures(svg);
    let qr = pictures
        .iter()
        .find(|p| (p.width(), p.height()) == (100, 100))
        .expect("the QR code, 100×100");
    let black = qr
        .pixels()
        .iter()
        .filter(|p| p.red() == 0 && p.alpha() == 255)
        .count();
    let white = qr
        .pixels()
        .iter()
        .filter(|p| p.red() == 255 && p.alpha() == 255)
        .count();
    assert_eq!(black + white, 100 * 100, "bilevel");
    assert!(
        (2_000..8_000).contains(&black),
        "a QR code's share of black: {black}"
    );
    // Its finder pattern: the top-left corner is black (a quiet zone aside).
    assert!(
        (0..100).any(|i| qr.pixel(i, i).unwrap().red() == 0),
        "black on the diagonal"
    );

    // TIFF: the generated page's picture, pixel for pixel.
    let r = render(
        &converter_1_with_tiff(),
        &untrusting(),
        &RenderOptions::default(),
    )
    .unwrap();
    let svg = &r.pages[0].svg;
    assert!(
        !svg.contains("data-picture=\"not-drawn\""),
        "the TIFF drawn"
    );
    let pictures = png_pictures(svg);
    let tiff = pictures
        .iter()
        .find(|p| (p.width(), p.height()) == (12, 8))
        .expect("the TIFF, 12×8");
    for y in 0..8 {
        for x in 0..12 {
            let p = tiff.pixel(u32::from(x), u32::from(y)).unwrap();
            assert_eq!(
                [p.red(), p.green(), p.blue(), p.alpha()][..3],
                tiff_colour(x, y),
                "({x}, {y})"
            );
        }
    }

    // Both bounded by max_image_pixels, before decoding, with its error.
    let small = RenderOptions {
        limits: RenderLimits {
            max_image_pixels: 95,
            ..RenderLimits::default()
        },
        ..RenderOptions::default()
    };
    for (bytes, pixels) in [
        (corpus("converter-1.ofd"), 10_000),
        (converter_1_with_tiff(), 96),
    ] {
        let r = render(&bytes, &untrusting(), &small).map(|_| ());
        assert_eq!(r, Err(RenderError::ImageTooLarge { pixels, bound: 95 }));
    }
}
