//! Builds the verifier module (`piaoyan-wasm`) from this workspace and puts
//! it in `OUT_DIR/piaoyan_wasm.wasm` for `include_bytes!`.
//!
//! A nested `cargo build -p piaoyan-wasm --target wasm32-unknown-unknown
//! --profile wasm` runs with its own target directory (`wasm-embed` inside
//! the outer one), so it never waits for the lock the outer build holds. The
//! environment the outer build leaks (flags, wrappers, jobserver, target) is
//! removed, and paths are remapped, so the module bytes depend neither on
//! how the host was built nor on where the checkout lives.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio, exit};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm";
const MODULE: &str = "piaoyan_wasm.wasm";

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
    ] {
        println!("cargo:rerun-if-changed={}", workspace.join(path).display());
    }
    println!("cargo:rerun-if-changed=build.rs");

    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    check_target_installed(&rustc);

    let target_dir = embed_target_dir(&workspace);
    std::fs::create_dir_all(&target_dir)
        .unwrap_or_else(|e| die(&format!("cannot create {}: {e}", target_dir.display())));
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(&cargo);
    cmd.current_dir(&workspace)
        .args(["build", "--locked", "-p", "piaoyan-wasm", "--target"])
        .arg(WASM_TARGET)
        .args(["--profile", WASM_PROFILE, "--target-dir"])
        .arg(&target_dir)
        // The nested cargo's own stdout would be read as build directives.
        .stdout(Stdio::from(std::io::stderr()));
    clean_env(&mut cmd);
    cmd.env(
        "CARGO_ENCODED_RUSTFLAGS",
        remap_flags(&workspace, &target_dir),
    );

    let status = cmd
        .status()
        .unwrap_or_else(|e| die(&format!("cannot run {}: {e}", cargo.to_string_lossy())));
    if !status.success() {
        die(&format!(
            "the nested build of the verifier module failed ({status}); its output is above.\n\
             Try it alone: cargo build -p piaoyan-wasm --target {WASM_TARGET} --profile {WASM_PROFILE}"
        ));
    }

    let built = target_dir.join(WASM_TARGET).join(WASM_PROFILE).join(MODULE);
    let embedded = out_dir.join(MODULE);
    std::fs::copy(&built, &embedded).unwrap_or_else(|e| {
        die(&format!(
            "cannot copy {} to {}: {e}",
            built.display(),
            embedded.display()
        ))
    });
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
             run `rustup target add {WASM_TARGET}` and build again"
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
fn remap_flags(workspace: &Path, target_dir: &Path) -> String {
    let mut flags = Vec::new();
    let mut remap = |from: &Path, to: &str| {
        for path in variants(from) {
            flags.push(format!("--remap-path-prefix={}={to}", path.display()));
        }
    };
    if let Some(home) = cargo_home() {
        remap(&home, "/cargo");
    }
    remap(workspace, "/piaoyan");
    remap(target_dir, "/target");
    flags.join("\x1f")
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
