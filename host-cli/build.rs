//! Builds the verifier module (`piaoyan-wasm`) from this workspace, the one
//! artifact that both `piaoyan` and the web page run, and puts it in
//! `OUT_DIR/piaoyan_wasm.wasm` for `include_bytes!`.
//!
//! 1. A nested `cargo build -p piaoyan-wasm --target wasm32-unknown-unknown
//!    --profile wasm` runs with its own target directory (`wasm-embed` inside
//!    the outer one), so it never waits for the lock the outer build holds.
//!    The environment the outer build leaks (flags, wrappers, jobserver,
//!    target) is removed, and paths are remapped, so the module bytes depend
//!    neither on how the host was built nor on where the checkout lives.
//! 2. `wasm-bindgen --target web` (the CLI of exactly the version of the
//!    `wasm-bindgen` crate in `Cargo.lock`) adds the JavaScript API's glue.
//! 3. `wasm-opt` (binaryen, the version pinned in `web-demo/package-lock.json`,
//!    run by Node from `web-demo/node_modules`) optimises the module.
//!
//! The result, `<wasm-embed>/pkg/piaoyan_wasm_bg.wasm` with its glue
//! `piaoyan_wasm.js`, is what `scripts/build-web` copies into the npm
//! package and the page: the same bytes as the module embedded here.
//!
//! The same three steps then build the render module (the crate with its
//! `render` feature, `docs/render.md`) into `<wasm-embed>/pkg-render/`
//! (`piaoyan_render_bg.wasm`, `piaoyan_render.js`), embedded as
//! `OUT_DIR/piaoyan_render.wasm` for `piaoyan render`.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio, exit};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm";
const MODULE: &str = "piaoyan_wasm.wasm";
/// The render module, embedded beside it (`docs/render.md`).
const RENDER_MODULE: &str = "piaoyan_render.wasm";

/// The WebAssembly features rustc enables by default for
/// `wasm32-unknown-unknown`. wasm-bindgen drops the module's
/// `target_features` section, so wasm-opt is told them explicitly (and
/// never uses a feature the compiler did not).
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
    "--enable-reference-types",
];
/// wasm-opt's passes. The module's budget is its gzip size
/// (web-demo/test/package.test.mjs), and for the gzip size `-O1` run to a
/// fixed point beats `-Oz`/`-Os`, whose smaller raw output compresses worse
/// (measured on this module: -O1 --converge 210.6 KB gzip, -Oz 224.5 KB).
/// Dead-argument elimination and code folding take off another 1 KB of
/// gzip, redundant-set elimination and constant propagation 0.9 KB; other
/// passes tried (--merge-similar-functions, --reorder-functions,
/// --local-cse, --merge-locals, --simplify-locals-notee, -O2) grow it.
/// GUFA (whole-module flow analysis) took off 160 bytes more (issue 16).
const WASM_OPT_PASSES: &[&str] = &[
    "-O1",
    "--dae-optimizing",
    "--code-folding",
    "--rse",
    "--precompute-propagate",
    "--gufa-optimizing",
    "--converge",
    "--strip-debug",
    "--strip-producers",
];

fn main() {
    let manifest_dir = PathBuf::from(env_or_die("CARGO_MANIFEST_DIR"));
    let workspace = manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| die("host-cli has no parent directory"));
    let out_dir = PathBuf::from(env_or_die("OUT_DIR"));

    for path in [
        "core/src",
        "core/Cargo.toml",
        "wasm/src",
        "wasm/Cargo.toml",
        "Cargo.toml",
        "Cargo.lock",
        "web-demo/package-lock.json",
    ] {
        println!("cargo:rerun-if-changed={}", workspace.join(path).display());
    }
    println!("cargo:rerun-if-changed=build.rs");

    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    check_target_installed(&rustc);
    // Both tools are checked before the long build, to fail early.
    let wasm_bindgen = wasm_bindgen_cli(&workspace);
    let wasm_opt = WasmOpt::find(&workspace);

    let target_dir = embed_target_dir(&workspace);
    std::fs::create_dir_all(&target_dir)
        .unwrap_or_else(|e| die(&format!("cannot create {}: {e}", target_dir.display())));
    let rustc_flags = remap_flags(&rustc, &workspace, &target_dir);
    let build = Build {
        workspace: &workspace,
        target_dir: &target_dir,
        out_dir: &out_dir,
        rustc_flags: &rustc_flags,
        wasm_bindgen: &wasm_bindgen,
        wasm_opt: &wasm_opt,
    };
    // The verifying module, then the render module (the same crate with
    // its `render` feature: `docs/render.md`). One target directory: the
    // cdylib each build leaves is taken before the next build.
    build.module(None, "piaoyan_wasm", "pkg", MODULE);
    build.module(
        Some("render"),
        "piaoyan_render",
        "pkg-render",
        RENDER_MODULE,
    );
}

/// What building one module needs.
struct Build<'a> {
    workspace: &'a Path,
    target_dir: &'a Path,
    out_dir: &'a Path,
    rustc_flags: &'a str,
    wasm_bindgen: &'a Path,
    wasm_opt: &'a WasmOpt,
}

impl Build<'_> {
    /// Builds `piaoyan-wasm` (with `feature`), runs wasm-bindgen (its files
    /// named `name`) and wasm-opt into `<wasm-embed>/<pkg>/`, and copies
    /// the module to `OUT_DIR/<embedded>`.
    fn module(&self, feature: Option<&str>, name: &str, pkg: &str, embedded: &str) {
        let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(self.workspace)
            .args(["build", "--locked", "-p", "piaoyan-wasm", "--target"])
            .arg(WASM_TARGET)
            .args(["--profile", WASM_PROFILE, "--target-dir"])
            .arg(self.target_dir)
            // The nested cargo's own stdout would be read as build directives.
            .stdout(Stdio::from(std::io::stderr()));
        if let Some(f) = feature {
            cmd.args(["--features", f]);
        }
        clean_env(&mut cmd);
        cmd.env("CARGO_ENCODED_RUSTFLAGS", self.rustc_flags);

        let status = cmd
            .status()
            .unwrap_or_else(|e| die(&format!("cannot run {}: {e}", cargo.to_string_lossy())));
        if !status.success() {
            die(&format!(
                "the nested build of the {name} module failed ({status}); its output is above.\n\
                 Try it alone: cargo build -p piaoyan-wasm --target {WASM_TARGET} --profile {WASM_PROFILE}"
            ));
        }

        let built = self
            .target_dir
            .join(WASM_TARGET)
            .join(WASM_PROFILE)
            .join(MODULE);

        // wasm-bindgen: the JavaScript API's glue, and the module it goes with.
        let bindgen_dir = fresh_dir(&self.target_dir.join(format!("bindgen-{name}")));
        let mut cmd = Command::new(self.wasm_bindgen);
        cmd.args([
            "--target",
            "web",
            // The package always hands the glue the module's bytes: no fetch of
            // a default URL (the page forbids connect-src) and no asset for a
            // bundler to chase.
            "--omit-default-module-path",
            // `__wbg_reset_state()`: a fresh instance after a trap.
            "--experimental-reset-state-function",
            "--out-name",
            name,
            "--out-dir",
        ])
        .arg(&bindgen_dir)
        .arg(&built)
        .stdout(Stdio::from(std::io::stderr()));
        run(cmd, "wasm-bindgen");

        // wasm-opt: the module both hosts run.
        let pkg_dir = fresh_dir(&self.target_dir.join(pkg));
        let bg = format!("{name}_bg.wasm");
        let glue = format!("{name}.js");
        let optimised = pkg_dir.join(&bg);
        let mut cmd = self.wasm_opt.command();
        cmd.args(WASM_OPT_FEATURES)
            .args(WASM_OPT_PASSES)
            .arg(bindgen_dir.join(&bg))
            .arg("-o")
            .arg(&optimised)
            .stdout(Stdio::from(std::io::stderr()));
        run(cmd, "wasm-opt");
        copy(&bindgen_dir.join(&glue), &pkg_dir.join(&glue));
        copy(&optimised, &self.out_dir.join(embedded));
    }
}

fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap_or_else(|e| {
        die(&format!(
            "cannot copy {} to {}: {e}",
            from.display(),
            to.display()
        ))
    });
}

/// `dir`, emptied (created when missing).
fn fresh_dir(dir: &Path) -> PathBuf {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => die(&format!("cannot empty {}: {e}", dir.display())),
    }
    std::fs::create_dir_all(dir)
        .unwrap_or_else(|e| die(&format!("cannot create {}: {e}", dir.display())));
    dir.to_path_buf()
}

fn run(mut cmd: Command, what: &str) {
    let status = cmd
        .status()
        .unwrap_or_else(|e| die(&format!("cannot run {what}: {e}")));
    if !status.success() {
        die(&format!("{what} failed ({status}); its output is above"));
    }
}

/// The version of a package in `Cargo.lock`.
fn locked_version(workspace: &Path, package: &str) -> String {
    let lock = std::fs::read_to_string(workspace.join("Cargo.lock"))
        .unwrap_or_else(|e| die(&format!("cannot read Cargo.lock: {e}")));
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .map(|i| i + needle.len())
        .unwrap_or_else(|| die(&format!("Cargo.lock has no package {package}")));
    lock[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The `wasm-bindgen` CLI of exactly the version of the `wasm-bindgen` crate
/// in `Cargo.lock` (the two must match, or the glue does not fit the
/// module): on `PATH` or in cargo's `bin` directory.
fn wasm_bindgen_cli(workspace: &Path) -> PathBuf {
    let wanted = locked_version(workspace, "wasm-bindgen");
    let install = format!("cargo install wasm-bindgen-cli --version ={wanted} --locked");
    let mut candidates = vec![PathBuf::from("wasm-bindgen")];
    if let Some(home) = cargo_home() {
        candidates.push(home.join("bin").join("wasm-bindgen"));
    }
    let mut found = Vec::new();
    for candidate in candidates {
        let Ok(out) = Command::new(&candidate).arg("--version").output() else {
            continue;
        };
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if out.status.success() && text == format!("wasm-bindgen {wanted}") {
            return candidate;
        }
        found.push(format!("{} is {text:?}", candidate.display()));
    }
    if found.is_empty() {
        die(&format!(
            "the wasm-bindgen CLI is not installed; run `{install}` \
             (or ./scripts/install-tools) and build again"
        ))
    }
    die(&format!(
        "wasm-bindgen {wanted} is needed (the version of the wasm-bindgen crate in \
         Cargo.lock), but {}; run `{install}` and build again",
        found.join(", ")
    ))
}

/// binaryen's `wasm-opt`, as the npm package pinned in
/// `web-demo/package-lock.json` installs it (a JavaScript program: the same
/// optimiser, hence the same bytes, on every machine).
struct WasmOpt {
    script: PathBuf,
}

impl WasmOpt {
    fn find(workspace: &Path) -> WasmOpt {
        let web = workspace.join("web-demo");
        let install = "npm ci --prefix web-demo (or ./scripts/install-tools)";
        let lock = std::fs::read_to_string(web.join("package-lock.json"))
            .unwrap_or_else(|e| die(&format!("cannot read web-demo/package-lock.json: {e}")));
        let wanted = pinned_npm_version(&lock, "binaryen").unwrap_or_else(|| {
            die("web-demo/package-lock.json pins no binaryen (the source of wasm-opt)")
        });
        let script = web
            .join("node_modules")
            .join("binaryen")
            .join("bin")
            .join("wasm-opt");
        if !script.is_file() {
            die(&format!(
                "wasm-opt (npm package binaryen {wanted}) is not installed in \
                 web-demo/node_modules; run `{install}` and build again"
            ));
        }
        let tool = WasmOpt { script };
        let out = tool
            .command()
            .arg("--version")
            .output()
            .unwrap_or_else(|e| {
                die(&format!(
                    "cannot run Node.js (`node`), which runs wasm-opt: {e}; install Node.js 20 or later"
                ))
            });
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let major = wanted.split('.').next().unwrap_or_default();
        if !out.status.success() || !text.starts_with(&format!("wasm-opt version {major} ")) {
            die(&format!(
                "web-demo/node_modules holds wasm-opt {text:?}, not binaryen {wanted} as \
                 web-demo/package-lock.json pins; run `{install}` and build again"
            ));
        }
        tool
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new("node");
        cmd.arg(&self.script);
        cmd
    }
}

/// `"node_modules/NAME": { "version": "X", ...` in an npm lock file.
fn pinned_npm_version(lock: &str, name: &str) -> Option<String> {
    let at = lock.find(&format!("\"node_modules/{name}\": {{"))?;
    let rest = &lock[at..];
    let v = rest.find("\"version\": \"")? + "\"version\": \"".len();
    Some(rest[v..].split('"').next()?.to_string())
}

/// `$CARGO_TARGET_DIR/wasm-embed` when the outer build names its target
/// directory that way, else `<workspace>/target/wasm-embed`.
fn embed_target_dir(workspace: &Path) -> PathBuf {
    let base = match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace.join(dir)
            }
        }
        _ => workspace.join("target"),
    };
    base.join("wasm-embed")
}

/// Fails early, and clearly, when the standard library for wasm32 is absent.
fn check_target_installed(rustc: &OsString) {
    let output = Command::new(rustc)
        .args(["--print", "target-libdir", "--target", WASM_TARGET])
        .stderr(Stdio::null())
        .output();
    let installed = match output {
        Ok(o) if o.status.success() => {
            let dir = String::from_utf8_lossy(&o.stdout).trim().to_string();
            std::fs::read_dir(&dir)
                .map(|entries| {
                    entries.flatten().any(|e| {
                        let name = e.file_name();
                        let name = name.to_string_lossy();
                        name.starts_with("libstd-") && name.ends_with(".rlib")
                    })
                })
                .unwrap_or(false)
        }
        _ => false,
    };
    if !installed {
        die(&format!(
            "the Rust standard library for {WASM_TARGET} is not installed; \
             run `rustup target add {WASM_TARGET}` (or ./scripts/install-tools) \
             and build again"
        ));
    }
}

/// Removes what the outer cargo passes to build scripts and what would make
/// the module depend on how the host is being built.
fn clean_env(cmd: &mut Command) {
    // Variables cargo reads (configuration overrides) or sets for build
    // scripts; the nested cargo sets its own where it needs them.
    const KEEP_CARGO: &[&str] = &[
        "CARGO_HOME",
        "CARGO_NET_",
        "CARGO_HTTP_",
        "CARGO_REGISTRIES_",
        "CARGO_REGISTRY_",
        "CARGO_TERM_",
    ];
    const REMOVE: &[&str] = &[
        "RUSTFLAGS",
        "RUSTDOCFLAGS",
        "MAKEFLAGS",
        "MFLAGS",
        "__CARGO_FIX_PLZ",
        "__CARGO_DEFAULT_LIB_METADATA",
        "CLIPPY_ARGS",
        "CLIPPY_CONF_DIR",
        "OUT_DIR",
        "TARGET",
        "HOST",
        "PROFILE",
        "OPT_LEVEL",
        "DEBUG",
        "NUM_JOBS",
        "RUSTC_LINKER",
    ];
    for (key, value) in env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let remove = REMOVE.contains(&key)
            || (key.starts_with("CARGO_") && !KEEP_CARGO.iter().any(|k| key.starts_with(k)))
            || (matches!(key, "RUSTC_WRAPPER" | "RUSTC_WORKSPACE_WRAPPER")
                && value.to_string_lossy().contains("clippy"));
        if remove {
            cmd.env_remove(key);
        }
    }
}

/// `--remap-path-prefix` for the workspace and cargo's home, joined the way
/// `CARGO_ENCODED_RUSTFLAGS` wants (0x1f between flags).
///
/// rustc applies the last matching prefix, hence the order: cargo's home,
/// the workspace, then the nested target directory (generated sources of
/// build scripts), each more specific than what may contain it.
fn remap_flags(rustc: &OsString, workspace: &Path, target_dir: &Path) -> String {
    let mut flags = Vec::new();
    let mut remap = |from: &Path, to: &str| {
        for path in variants(from) {
            flags.push(format!("--remap-path-prefix={}={to}", path.display()));
        }
    };
    // With rustup's rust-src component installed, the standard library's
    // paths in panic locations name the local toolchain
    // (`~/.rustup/toolchains/<name>/lib/rustlib/src/rust/library/...`);
    // they are mapped back to the `/rustc/<commit>` that a toolchain without
    // rust-src, on any machine, writes.
    if let Some((sysroot, commit)) = rust_src(rustc) {
        remap(
            &sysroot.join("lib").join("rustlib").join("src").join("rust"),
            &format!("/rustc/{commit}"),
        );
    }
    if let Some(home) = cargo_home() {
        remap(&home, "/cargo");
    }
    remap(workspace, "/piaoyan");
    remap(target_dir, "/target");
    // sha2's rolled-round SHA-256 (core/src/pki/hash.rs): a smaller module.
    flags.push(r#"--cfg=sha2_backend_soft="compact""#.to_string());
    flags.join("\x1f")
}

/// The compiler's sysroot and commit hash (`rustc --print sysroot`,
/// `rustc -vV`), when it tells them.
fn rust_src(rustc: &OsString) -> Option<(PathBuf, String)> {
    let run = |args: &[&str]| -> Option<String> {
        let out = Command::new(rustc).args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let sysroot = PathBuf::from(run(&["--print", "sysroot"])?.trim());
    let commit = run(&["-vV"])?
        .lines()
        .find_map(|l| l.strip_prefix("commit-hash: "))?
        .trim()
        .to_string();
    Some((sysroot, commit))
}

fn cargo_home() -> Option<PathBuf> {
    match env::var_os("CARGO_HOME") {
        Some(h) if !h.is_empty() => Some(PathBuf::from(h)),
        _ => env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")),
    }
}

/// The path as given and, when different, with symbolic links resolved.
fn variants(path: &Path) -> Vec<PathBuf> {
    let mut out = vec![path.to_path_buf()];
    if let Ok(real) = path.canonicalize()
        && real != path
    {
        out.push(real);
    }
    out
}

fn env_or_die(key: &str) -> OsString {
    env::var_os(key).unwrap_or_else(|| die(&format!("{key} is not set")))
}

fn die(message: &str) -> ! {
    eprintln!("error: piaoyan-cli build: {message}");
    exit(1)
}
