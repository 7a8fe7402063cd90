//! `cargo xtask test`: everything CI checks, in order, stopping at the first
//! failure: tools, format, lints, native tests, wasm tests in headless
//! Chromium, end-to-end tests of the served app with Playwright, the dist
//! served by nginx with its own nginx.conf, a second build from a fresh
//! clone (the same bytes), and a short fuzzing run.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::exec::{self, cargo, command};
use crate::paths::Paths;
use crate::serve;
use crate::site::{self, DemoSpec, Scale, Tamper};
use crate::stamp;
use crate::tools::{self, CHROMEDRIVER, CHROMIUM, WASM_TARGET};

/// `cargo xtask test [--only end-to-end]`.
#[derive(clap::Args)]
pub struct TestArgs {
    /// Run only this step (after the tools), for iterating on it.
    #[arg(long, value_parser = ["end-to-end", "hosted", "repro", "fuzz"])]
    only: Option<String>,
    /// Only the end-to-end tests whose name matches (node's --test-name-pattern).
    #[arg(long)]
    pattern: Option<String>,
}

pub fn run(paths: &Paths, args: &TestArgs) -> Result<()> {
    step("tools", || tools::ensure_for_tests(paths))?;
    share_data_with_tests(paths);
    match args.only.as_deref() {
        Some("end-to-end") => return step("end-to-end", || end_to_end(paths, args.pattern.as_deref())),
        Some("hosted") => return step("hosted by nginx", || crate::hosted::nginx(paths)),
        Some("repro") => return step("reproducible build", || crate::repro::check(paths)),
        Some("fuzz") => return step("fuzz", || crate::fuzz::run(paths, &SHORT_FUZZ)),
        _ => {}
    }

    step("format", || exec::run(cargo().args(["fmt", "--all", "--", "--check"]).current_dir(&paths.root)))?;
    step("clippy (native)", || {
        exec::run(
            cargo()
                .args(["clippy", "--workspace", "--all-targets"])
                .args(["--", "-D", "warnings"])
                .current_dir(&paths.root),
        )
    })?;
    step("clippy (app, wasm)", || {
        exec::run(
            cargo()
                .args(["clippy", "-p", "shafaf-app", "--all-targets"])
                .args(["--target", WASM_TARGET, "--", "-D", "warnings"])
                .current_dir(&paths.root),
        )
    })?;
    step("build CLI", || site::build_cli(paths).map(drop))?;
    step("native tests", || exec::run(cargo().args(["test", "--workspace"]).current_dir(&paths.root)))?;
    step("wasm tests (core, headless Chromium)", || exec::run(&mut wasm_test(paths, "shafaf-core")?))?;
    if has_wasm_tests(&[paths.root.join("src"), paths.root.join("tests")])? {
        step("wasm tests (app, headless Chromium)", || exec::run(&mut wasm_test(paths, "shafaf-app")?))?;
    } else {
        println!("==> wasm tests (app): none yet, skipped");
    }
    step("end-to-end", || end_to_end(paths, args.pattern.as_deref()))?;
    step("hosted by nginx (the dist's nginx.conf, tests/e2e/hosted)", || crate::hosted::nginx(paths))?;
    step("reproducible build (a fresh clone of the commit builds the same dist)", || crate::repro::check(paths))?;
    step("fuzz (short, repeatable run: 20,000 inputs per parser)", || crate::fuzz::run(paths, &SHORT_FUZZ))?;
    println!("==> all steps passed");
    Ok(())
}

/// The short, repeatable fuzzing run of every `cargo xtask test`.
const SHORT_FUZZ: crate::fuzz::FuzzArgs = crate::fuzz::FuzzArgs { seconds: 60, target: None, runs: Some(20_000) };

/// Prints the step's name, runs it, says how long it took, and names it in
/// the error if it fails, with the disk space left (a full disk fails a
/// build in any step).
fn step(name: &str, body: impl FnOnce() -> Result<()>) -> Result<()> {
    println!("==> {name}");
    let start = std::time::Instant::now();
    let result = body().inspect_err(|_| print_free_disk()).with_context(|| format!("step `{name}` failed"));
    // CI gives the whole run 90 minutes: each step says what it took of them.
    println!("    ({name}: {} s)", start.elapsed().as_secs());
    result
}

fn print_free_disk() {
    if let Some(df) = exec::probe(command("df").args(["-h", "--output=avail,size,target", "."])) {
        println!("    disk space where the build runs:\n{df}");
    }
}

/// Tests find the shared data through SHAFAF_GEO and SHAFAF_VECTORS, the
/// release CLI (built in the step `build CLI`) through SHAFAF_BIN, and the
/// Python with SciPy (from the step `tools`) through SHAFAF_PYTHON.
fn share_data_with_tests(paths: &Paths) {
    // Set before any thread exists; every program started from here inherits them.
    env::set_var("SHAFAF_BIN", paths.cli_binary());
    env::set_var("SHAFAF_PYTHON", tools::python(paths));
    for (name, dir) in [("SHAFAF_GEO", paths.geo()), ("SHAFAF_VECTORS", paths.vectors())] {
        let dir = fs::canonicalize(&dir).unwrap_or(dir);
        if !dir.is_dir() {
            println!("    warning: {name}={} does not exist", dir.display());
        }
        env::set_var(name, dir);
    }
}

/// `cargo test -p <package> --target wasm32-unknown-unknown`, run by
/// wasm-bindgen-test-runner (see .cargo/config.toml) in headless Chromium.
fn wasm_test(paths: &Paths, package: &str) -> Result<Command> {
    let mut cmd = cargo();
    cmd.args(["test", "-p", package, "--target", WASM_TARGET]).current_dir(&paths.root);
    browser_env(paths, &mut cmd)?;
    Ok(cmd)
}

/// Points wasm-bindgen-test-runner at Debian's chromedriver and Chromium. The
/// runner itself adds `headless`, `no-sandbox` and `disable-dev-shm-usage`.
pub fn browser_env(paths: &Paths, cmd: &mut Command) -> Result<()> {
    let work = paths.work();
    fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let capabilities = work.join("webdriver.json");
    let settings = serde_json::json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--disable-gpu", "--no-first-run", "--disable-background-networking"],
        }
    });
    fs::write(&capabilities, format!("{settings:#}\n"))
        .with_context(|| format!("writing {}", capabilities.display()))?;
    cmd.env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &capabilities)
        .env("WASM_BINDGEN_USE_BROWSER", "1")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "900")
        .env_remove("NO_HEADLESS");
    Ok(())
}

/// Whether any Rust file under `dirs` holds a `wasm_bindgen_test`.
fn has_wasm_tests(dirs: &[PathBuf]) -> Result<bool> {
    for dir in dirs.iter().filter(|dir| dir.is_dir()) {
        for relative in stamp::files_under(dir)? {
            if !relative.ends_with(".rs") {
                continue;
            }
            let path = dir.join(&relative);
            let source = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            if source.contains("wasm_bindgen_test") {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Serves the real app with the lorestan demo (seed 1) and its tampered copies
/// on a free port, and runs every `tests/e2e/*.test.mjs` with node's test runner.
fn end_to_end(paths: &Paths, pattern: Option<&str>) -> Result<()> {
    let spec = DemoSpec { scale: Scale::Lorestan, seed: 1, geo: paths.geo() };
    let site = site::prepare_with(paths, &spec, true, true)?;
    let live_keys = site.live.as_ref().map(|live| live.keys.clone()).unwrap_or_default();
    let live_folders: Vec<String> = site
        .live
        .iter()
        .flat_map(|live| &live.folders)
        .map(|(name, folder)| format!("{name}={}", folder.display()))
        .collect();
    let publication = site.demo.publication.clone();
    let west = site.west.as_ref().map(|w| (w.publication.clone(), w.tampered.clone())).unwrap_or_default();
    let tampered = site.demo.tampered.clone();
    let keys = site.demo.keys.clone();
    let server = serve::start(site, "127.0.0.1:0")?;
    println!("    serving on {}", server.url());

    let tests = e2e_tests(&paths.root.join("tests").join("e2e"))?;
    let cases: Vec<&str> = Tamper::ALL.iter().map(|case| case.name()).collect();
    let result = exec::run(
        command("node")
            .args(["--test", "--test-reporter=spec"])
            .args(pattern.map(|p| format!("--test-name-pattern={p}")))
            .args(&tests)
            .current_dir(&paths.root)
            .env("SHAFAF_BASE_URL", server.url())
            .env("SHAFAF_PUBLICATION_DIR", &publication)
            .env("SHAFAF_TAMPERED_DIR", &tampered)
            .env("SHAFAF_DEMO_KEYS_DIR", &keys)
            .env("SHAFAF_TAMPER_CASES", cases.join(","))
            .env("SHAFAF_WEST_DIR", &west.0)
            .env("SHAFAF_WEST_TAMPERED_DIR", &west.1)
            .env("SHAFAF_SHARD_PROVINCE", site::SHARD_PROVINCE)
            .env("SHAFAF_LIVE_FOLDERS", live_folders.join(","))
            .env("SHAFAF_LIVE_KEYS_DIR", &live_keys)
            .env("SHAFAF_CHROMIUM", CHROMIUM),
    );
    server.stop();
    result
}

fn e2e_tests(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut tests: Vec<PathBuf> = stamp::files_under(dir)?
        .into_iter()
        .filter(|name| !name.contains('/') && name.ends_with(".test.mjs"))
        .map(|name| dir.join(name))
        .collect();
    tests.sort();
    if tests.is_empty() {
        bail!("no end-to-end tests (*.test.mjs) in {}", dir.display());
    }
    Ok(tests)
}
