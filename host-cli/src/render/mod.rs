//! `piaoyan render FILE [--output DIR] [--format svg|png]`: verifies one
//! bill or OFD document with the embedded render module (run through
//! wasmtime like the verifying module, `docs/render.md`) and writes one
//! file per page: the SVG the module drew, or a PNG rasterised from it by
//! resvg (here only, never in a module).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, FromArgMatches, ValueEnum};
use serde::Deserialize;

use crate::cli::VerifyArgs;
use crate::config::Config;
use crate::module::{self, Outcome, Runner};
use crate::settings::{now, settings};
use crate::trust::Trust;
use crate::{EXIT_NOT_VALID, EXIT_USAGE, EXIT_VALID, READ_CAP, inputs, terminal};

/// The render module, built from this workspace by `build.rs`.
pub static RENDER_MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/piaoyan_render.wasm"));

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PageFormat {
    Svg,
    Png,
}

#[derive(Args)]
pub struct RenderArgs {
    /// Trust anchors: a PEM file or a directory of them (repeatable), as
    /// for `verify`; without them no signature is VALID and every part is
    /// marked uncovered.
    #[arg(long = "trust", value_name = "PEM|DIR")]
    pub trust: Vec<PathBuf>,
    /// Intermediate and signer certificates (repeatable).
    #[arg(long = "certs", value_name = "PEM|DIR")]
    pub certs: Vec<PathBuf>,
    /// Certificate revocation lists (repeatable).
    #[arg(long = "crl", value_name = "PEM|DIR")]
    pub crl: Vec<PathBuf>,
    /// Config file (default: piaoyan.toml in the working directory, if any).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Read no config file.
    #[arg(long)]
    pub no_config: bool,
    /// Verify as of this time (Unix seconds) instead of the system clock.
    #[arg(long, value_name = "UNIX_SECONDS", allow_hyphen_values = true)]
    pub now: Option<i64>,
    /// Directory for the pages (created when missing) [default: .].
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Page files: SVG as drawn, or PNG rasterised by resvg.
    #[arg(long, value_enum, default_value_t = PageFormat::Svg)]
    pub format: PageFormat,
    /// PNG resolution in pixels per millimetre [default: 8, about 200 dpi].
    #[arg(long, value_name = "PX", value_parser = clap::value_parser!(u16).range(1..=40))]
    pub scale: Option<u16>,
    /// A bill XML or an OFD document.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// One drawn page of the module's answer.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub svg: String,
    pub width_mm: f64,
    pub height_mm: f64,
    pub signed: String,
}

#[derive(Deserialize)]
pub struct Drawing {
    pub pages: Vec<Page>,
    pub report: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Envelope {
    Render(Drawing),
    Error(serde_json::Value),
}

pub(crate) fn render(args: &RenderArgs) -> u8 {
    match render_prepared(args) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("piaoyan: {message}");
            EXIT_USAGE
        }
    }
}

/// The `verify` arguments for the trust and settings readers.
fn as_verify_args(args: &RenderArgs) -> Result<VerifyArgs, String> {
    let mut argv: Vec<std::ffi::OsString> = vec!["render".into()];
    let mut add = |flag: &str, paths: &[PathBuf]| {
        for p in paths {
            argv.push(flag.into());
            argv.push(p.into());
        }
    };
    add("--trust", &args.trust);
    add("--certs", &args.certs);
    add("--crl", &args.crl);
    if let Some(c) = &args.config {
        argv.push("--config".into());
        argv.push(c.into());
    }
    if args.no_config {
        argv.push("--no-config".into());
    }
    if let Some(n) = args.now {
        argv.push(format!("--now={n}").into());
    }
    argv.push(args.file.as_os_str().into());
    let cmd = <VerifyArgs as Args>::augment_args(clap::Command::new("render"));
    let matches = cmd.try_get_matches_from(argv).map_err(|e| e.to_string())?;
    VerifyArgs::from_arg_matches(&matches).map_err(|e| e.to_string())
}

fn render_prepared(args: &RenderArgs) -> Result<u8, String> {
    let verify_args = as_verify_args(args)?;
    let config = if args.no_config {
        Config::default()
    } else {
        Config::find(args.config.as_deref())?
    };
    let settings = settings(&verify_args, &config, terminal::env_lang());
    let now = now(&verify_args)?;
    let runner = Runner::cached(
        RENDER_MODULE,
        settings.limits,
        module::default_cache_dir().as_deref(),
    )?;
    let trust = Trust::read(&config, &verify_args, &|text, label| {
        runner.pem_blocks(text, label)
    })?;
    let options = trust.options_json(now);
    let input = read_input(&args.file)?;
    let answer = runner
        .call_once("piaoyan_render", &input, options.as_bytes())
        .map_err(|o| format!("{}: {}", args.file.display(), o.text()))?;
    let drawing = match serde_json::from_slice::<Envelope>(&answer) {
        Ok(Envelope::Render(d)) => d,
        Ok(Envelope::Error(e)) => {
            let code = e.get("code").and_then(|c| c.as_str()).unwrap_or("");
            let message = e.get("message").and_then(|c| c.as_str()).unwrap_or("");
            return Err(format!("{}: {code}: {message}", args.file.display()));
        }
        Err(e) => {
            let failed = Outcome::Failed {
                code: module::codes::MODULE,
                message: format!("the render module's answer is not an envelope: {e}"),
            };
            return Err(failed.text());
        }
    };
    let dir = args.output.clone().unwrap_or_else(|| PathBuf::from("."));
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {}", dir.display(), inputs::io_text(&e)))?;
    let stem = args
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "page".into());
    let fonts = (args.format == PageFormat::Png).then(png::fonts);
    for (i, page) in drawing.pages.iter().enumerate() {
        let ext = if args.format == PageFormat::Png {
            "png"
        } else {
            "svg"
        };
        let path = dir.join(format!("{stem}-p{}.{ext}", i + 1));
        let bytes = match &fonts {
            None => page.svg.clone().into_bytes(),
            Some(db) => png::rasterise(page, db, f32::from(args.scale.unwrap_or(8)))?,
        };
        fs::write(&path, bytes)
            .map_err(|e| format!("{}: {}", path.display(), inputs::io_text(&e)))?;
        eprintln!(
            "{}  {:.0}×{:.0} mm  {}",
            path.display(),
            page.width_mm,
            page.height_mm,
            page.signed
        );
    }
    let verdict = drawing
        .report
        .get("verdict")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    eprintln!("{}: {verdict}", args.file.display());
    Ok(if verdict == "VALID" {
        EXIT_VALID
    } else {
        EXIT_NOT_VALID
    })
}

fn read_input(path: &Path) -> Result<Vec<u8>, String> {
    let file =
        fs::File::open(path).map_err(|e| format!("{}: {}", path.display(), inputs::io_text(&e)))?;
    let mut bytes = Vec::new();
    file.take(READ_CAP)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {}", path.display(), inputs::io_text(&e)))?;
    Ok(bytes)
}

/// PNG pages through resvg.
pub mod png {
    use super::Page;
    use resvg::{tiny_skia, usvg};

    /// The system's fonts (the SVG names its families with fallbacks).
    pub fn fonts() -> usvg::fontdb::Database {
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        db
    }

    /// One page as PNG at `scale` pixels per millimetre.
    pub fn rasterise(
        page: &Page,
        fonts: &usvg::fontdb::Database,
        scale: f32,
    ) -> Result<Vec<u8>, String> {
        let options = usvg::Options {
            fontdb: std::sync::Arc::new(fonts.clone()),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(&page.svg, &options)
            .map_err(|e| format!("the SVG of a page: {e}"))?;
        let size = tree.size();
        // The SVG's size is in millimetres (converted by usvg to px at 96
        // dpi): scale to `scale` px per mm.
        let k = scale * page.width_mm as f32 / size.width();
        let w = (size.width() * k).ceil() as u32;
        let h = (size.height() * k).ceil() as u32;
        let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1))
            .ok_or_else(|| format!("a page of {w}×{h} pixels cannot be drawn"))?;
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(k, k),
            &mut pixmap.as_mut(),
        );
        pixmap.encode_png().map_err(|e| format!("PNG: {e}"))
    }
}
