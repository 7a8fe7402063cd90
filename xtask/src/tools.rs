//! The tools the browser build and the tests need, found or installed.
//!
//! A fresh machine has only cargo, node and apt; each `ensure_*` asks the tool
//! for its version first and installs only when it is missing or the wrong
//! version, so a machine that has everything decides in a second or two.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::exec::{self, cargo, command, probe};
use crate::paths::Paths;
use crate::stamp::{self, Stamp};

/// Trunk 0.22 needs a newer rustc than the machine's; 0.21.14 builds the app.
pub const TRUNK_VERSION: &str = "0.21.14";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Debian's packages `chromium` and `chromium-driver`.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Puts cargo's install folder and `node_modules/.bin` (for binaryen's
/// `wasm-opt`, which Trunk looks up on PATH) in front of PATH for every
/// program xtask starts.
pub fn put_tools_on_path(paths: &Paths) -> Result<()> {
    let mut dirs = vec![cargo_bin_dir(), paths.node_modules().join(".bin")];
    if let Some(path) = env::var_os("PATH") {
        dirs.extend(env::split_paths(&path));
    }
    let joined = env::join_paths(dirs).context("joining PATH")?;
    // Set once at start-up, before any thread exists.
    env::set_var("PATH", joined);
    Ok(())
}

fn cargo_bin_dir() -> PathBuf {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// What `trunk build` needs: the wasm target, wasm-bindgen, Trunk and wasm-opt.
pub fn ensure_for_app(paths: &Paths) -> Result<()> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen(paths)?;
    ensure_trunk()?;
    ensure_node_modules(paths)?;
    ensure_wasm_opt()
}

/// What `cargo xtask test` needs: the app's tools, a headless browser, and
/// SciPy for the statistics' reference test.
pub fn ensure_for_tests(paths: &Paths) -> Result<()> {
    ensure_for_app(paths)?;
    ensure_browser()?;
    ensure_scipy(paths)
}

pub fn ensure_wasm_target() -> Result<()> {
    let installed = probe(command("rustup").args(["target", "list", "--installed"]))
        .context("`rustup target list --installed` failed: is rustup installed?")?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("    ok: rust target {WASM_TARGET}");
        return Ok(());
    }
    exec::run(command("rustup").args(["target", "add", WASM_TARGET]))
}

/// wasm-bindgen-cli must be exactly the version of the `wasm-bindgen` crate in
/// Cargo.lock, or Trunk and the test runner refuse the generated glue.
pub fn ensure_wasm_bindgen(paths: &Paths) -> Result<String> {
    let version = locked_wasm_bindgen(paths)?;
    let have = |tool: &str| {
        probe(command(tool).arg("--version")).and_then(|text| second_word(&text)).is_some_and(|found| found == version)
    };
    if have("wasm-bindgen") && have("wasm-bindgen-test-runner") {
        println!("    ok: wasm-bindgen-cli {version}");
        return Ok(version);
    }
    println!("    installing wasm-bindgen-cli {version} (a few minutes)");
    // Without `--locked`: the way it was installed and checked on this project's machine.
    exec::run(cargo().args(["install", &format!("wasm-bindgen-cli@{version}")]))?;
    Ok(version)
}

pub fn ensure_trunk() -> Result<()> {
    let found = probe(command("trunk").arg("--version")).and_then(|text| second_word(&text));
    if found.as_deref() == Some(TRUNK_VERSION) {
        println!("    ok: trunk {TRUNK_VERSION}");
        return Ok(());
    }
    println!("    installing trunk {TRUNK_VERSION} (about ten minutes)");
    // Trunk's own lockfile: the dependency set it was released and tested with.
    exec::run(cargo().args(["install", "--locked", &format!("trunk@{TRUNK_VERSION}")]))
}

/// `npm ci` when `node_modules` was not installed from the current
/// package.json and package-lock.json (a stamp inside it records which).
pub fn ensure_node_modules(paths: &Paths) -> Result<()> {
    let package = paths.root.join("package.json");
    let lock = paths.root.join("package-lock.json");
    let mut stamp = Stamp::new("node_modules");
    stamp.file("package.json", &package)?;
    let locked = lock.exists();
    if locked {
        stamp.file("package-lock.json", &lock)?;
    }
    let digest = stamp.finish();
    let stamp_file = paths.node_modules().join(".shafaf-stamp");
    if stamp::is_fresh(&stamp_file, &digest) {
        println!("    ok: node_modules");
        return Ok(());
    }
    let verb = if locked { "ci" } else { "install" };
    exec::run(command("npm").args([verb, "--no-audit", "--no-fund"]).current_dir(&paths.root))
        .context("installing the npm packages (is Node.js installed?)")?;
    stamp::write(&stamp_file, &digest)
}

/// binaryen from npm: Debian's is too old for today's rustc output.
pub fn ensure_wasm_opt() -> Result<()> {
    match probe(command("wasm-opt").arg("--version")) {
        Some(version) => {
            println!("    ok: {}", version.trim());
            Ok(())
        }
        None => bail!("wasm-opt not found on PATH although binaryen should be in node_modules"),
    }
}

/// Debian's `zbar-tools`: a QR reader other than the app's, for the tests
/// of the station sheet (`crates/cli/tests/cli.rs`).
pub const ZBARIMG: &str = "/usr/bin/zbarimg";

/// Debian's nginx: the dist served as a real host serves it, with the
/// `nginx.conf` that `cargo xtask dist` writes (`crate::hosted`).
pub const NGINX: &str = "/usr/sbin/nginx";

pub fn ensure_browser() -> Result<()> {
    let wanted = [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver"), (ZBARIMG, "zbar-tools"), (NGINX, "nginx")];
    let missing: Vec<&str> = wanted.iter().filter(|(path, _)| !Path::new(path).exists()).map(|(_, p)| *p).collect();
    if missing.is_empty() {
        println!("    ok: chromium, chromedriver, zbarimg and nginx");
        return Ok(());
    }
    println!("    installing {} with apt-get", missing.join(", "));
    exec::run(command("apt-get").arg("update"))?;
    exec::run(command("apt-get").args(["install", "-y"]).args(&missing).env("DEBIAN_FRONTEND", "noninteractive"))?;
    for (path, package) in wanted {
        if !Path::new(path).exists() {
            bail!("{path} is still missing after installing {package}");
        }
    }
    Ok(())
}

/// The SciPy that the core's statistics are compared with (`crates/core/tests/stats.rs`).
pub const SCIPY_VERSION: &str = "1.17.1";

/// The Python of the virtual environment that holds SciPy; the tests get it
/// as SHAFAF_PYTHON.
pub fn python(paths: &Paths) -> PathBuf {
    let bin = if cfg!(windows) { "Scripts" } else { "bin" };
    paths.work().join("py").join(bin).join(format!("python{}", env::consts::EXE_SUFFIX))
}

/// A virtual environment in `target/shafaf/py` (`python3 -m venv`) with SciPy
/// from pip, made or filled only when `import scipy` there fails or finds
/// another version.
pub fn ensure_scipy(paths: &Paths) -> Result<()> {
    let python = python(paths);
    let found = probe(command(&python).args(["-c", "import scipy; print(scipy.__version__)"]));
    if found.as_deref().map(str::trim) == Some(SCIPY_VERSION) {
        println!("    ok: scipy {SCIPY_VERSION}");
        return Ok(());
    }
    let venv = paths.work().join("py");
    if !python.exists() {
        println!("    making a Python virtual environment in {}", venv.display());
        exec::run(command("python3").args(["-m", "venv", "--clear"]).arg(&venv))
            .context("making a virtual environment (is python3 with its venv module installed?)")?;
    }
    println!("    installing scipy {SCIPY_VERSION} with pip");
    exec::run(command(&python).args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--quiet",
        &format!("scipy=={SCIPY_VERSION}"),
    ]))
}

fn locked_wasm_bindgen(paths: &Paths) -> Result<String> {
    let lock = paths.root.join("Cargo.lock");
    if !lock.exists() {
        exec::run(cargo().arg("generate-lockfile").current_dir(&paths.root))?;
    }
    let text = fs::read_to_string(&lock).with_context(|| format!("reading {}", lock.display()))?;
    locked_version(&text, "wasm-bindgen")
        .with_context(|| format!("finding the wasm-bindgen version in {}", lock.display()))
}

/// The one version of `name` in a Cargo.lock.
fn locked_version(lock: &str, name: &str) -> Result<String> {
    let mut versions = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block.lines().find_map(|line| {
                let (k, v) = line.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
            })
        };
        if field("name").as_deref() == Some(name) {
            if let Some(version) = field("version") {
                versions.push(version);
            }
        }
    }
    match versions.as_slice() {
        [version] => Ok(version.clone()),
        [] => bail!("no package `{name}` in Cargo.lock"),
        many => bail!("several versions of `{name}` in Cargo.lock: {many:?}"),
    }
}

/// `tool 1.2.3 (extra)` → `1.2.3`.
fn second_word(text: &str) -> Option<String> {
    text.split_whitespace().nth(1).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.129"
"#;

    #[test]
    fn reads_the_locked_wasm_bindgen_version() {
        assert_eq!(locked_version(LOCK, "wasm-bindgen").unwrap(), "0.2.130");
    }

    #[test]
    fn a_missing_package_is_an_error() {
        assert!(locked_version(LOCK, "trunk").is_err());
    }

    #[test]
    fn version_is_the_second_word_of_the_version_line() {
        assert_eq!(second_word("wasm-bindgen 0.2.130\n").as_deref(), Some("0.2.130"));
        assert_eq!(second_word("trunk").as_deref(), None);
    }
}
