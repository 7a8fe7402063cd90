//! The site that `serve` and the end-to-end tests show: the app built by Trunk,
//! a demo publication made by the real CLI (`shafaf demo`), and tampered copies
//! of it that the app must reject.
//!
//! On disk, under `target/shafaf/`:
//! - `demo-<scale>-<seed>/`: the publication, exactly as the CLI wrote it;
//! - `demo-<scale>-<seed>.keys/`: the demo's secret keys and anomaly list (never served);
//! - `demo-<scale>-<seed>-tampered/<case>/`: one altered copy per [`Tamper`] case;
//! - `demo-<scale>-<seed>.stamp`: what they were made from, so a second run
//!   regenerates nothing unless the CLI binary, the boundaries or the arguments changed.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use shafaf_core::log::{self, tree, Checkpoint};
use shafaf_core::model::Sha256Hex;
use shafaf_core::publish::log_files as write;
use shafaf_core::verify::verify_root;
use shafaf_core::{format, publish, Publication, SecretKey, TrustAnchor};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::exec::{self, cargo, command};
use crate::paths::Paths;
use crate::stamp::{self, Stamp};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Scale {
    Lorestan,
    West,
    National,
}

impl Scale {
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Lorestan => "lorestan",
            Scale::West => "west",
            Scale::National => "national",
        }
    }
}

/// Which demo election to generate.
pub struct DemoSpec {
    pub scale: Scale,
    pub seed: u64,
    pub geo: PathBuf,
}

/// A generated demo publication and what came with it.
pub struct Demo {
    pub publication: PathBuf,
    /// Holds one folder per [`Tamper`] case.
    pub tampered: PathBuf,
    /// The demo's secret keys and anomaly list, as `shafaf demo --keys` wrote them.
    pub keys: PathBuf,
}

/// Everything the static server hands out.
pub struct Site {
    pub dist: PathBuf,
    pub demo: Demo,
    /// Several provinces under the same trust root (`--scale west`), served
    /// at `/west/`, and its copies with one province's files altered at
    /// `/west-tampered/<case>/` (see [`ShardTamper`]); for the tests.
    pub west: Option<Demo>,
    /// Served as `/config.json`: pins the demo's root.
    pub config_json: String,
    /// Election night, served at `/live/` (see [`LiveDemo`]), when asked for.
    pub live: Option<LiveDemo>,
    /// The Content-Security-Policy every response carries (see [`crate::headers`]).
    pub csp: String,
    /// The page's `Link` header ([`crate::headers::preload_links`]).
    pub preload: Option<String>,
}

/// Builds the CLI, the demo publication and the app (the tools must be in
/// place: see [`crate::tools::ensure_for_app`]); with `live`, also the
/// release sequence served at `/live/`.
pub fn prepare(paths: &Paths, spec: &DemoSpec, live: bool) -> Result<Site> {
    prepare_with(paths, spec, live, false)
}

/// [`prepare`]; with `west`, also the several-province demo and its
/// altered copies (the tests').
pub fn prepare_with(paths: &Paths, spec: &DemoSpec, live: bool, west: bool) -> Result<Site> {
    let cli = build_cli(paths)?;
    let demo = demo(paths, spec, &cli)?;
    let live = if live { Some(live_demo(paths, spec, &cli, &demo)?) } else { None };
    let west = if west { Some(west_demo(paths, spec, &cli, &demo)?) } else { None };
    build_app(paths)?;
    let config_json = config_json(&demo.publication)?;
    let index = std::fs::read_to_string(paths.dist().join("index.html")).context("reading the built index.html")?;
    let csp = crate::headers::content_security_policy(&index);
    let preload = crate::headers::preload_links(&index);
    Ok(Site { dist: paths.dist(), demo, west, config_json, live, csp, preload })
}

/// The several-province demo (same seed, so the same trust root) and one
/// copy per [`ShardTamper`] case.
pub fn west_demo(paths: &Paths, spec: &DemoSpec, cli: &Path, demo: &Demo) -> Result<Demo> {
    let cases: Vec<&str> = ShardTamper::ALL.iter().map(|c| c.name()).collect();
    let west = generated(paths, &format!("west-{}", spec.seed), "west", spec, cli, &cases, |name, copy, _| {
        let case = ShardTamper::ALL.into_iter().find(|c| c.name() == name).context("no such case")?;
        case.apply(copy)
    })?;
    if fs::read(west.publication.join("root.json")).ok() != fs::read(demo.publication.join("root.json")).ok() {
        bail!("the several-province demo is not under the demo's trust root");
    }
    Ok(west)
}

/// The province whose files [`ShardTamper`] alters: not the first of the
/// several, so that the others verify around it.
pub const SHARD_PROVINCE: &str = "IR-16";

/// One province's file altered in a several-province publication.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShardTamper {
    /// One byte in the middle of the province's results file changed.
    FlipResults,
    /// The province's results file has bytes past its listed size; the
    /// server sends them without end (`/west-tampered/endless/…`).
    Endless,
}

impl ShardTamper {
    pub const ALL: [ShardTamper; 2] = [ShardTamper::FlipResults, ShardTamper::Endless];

    pub fn name(self) -> &'static str {
        match self {
            ShardTamper::FlipResults => "flip-results",
            ShardTamper::Endless => "endless",
        }
    }

    pub fn apply(self, publication: &Path) -> Result<()> {
        let path = data_file(publication, &format!("results-{SHARD_PROVINCE}."))?;
        let mut bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        match self {
            ShardTamper::FlipResults => {
                let middle = bytes.len() / 2;
                // The lowest bit of a digit: still a digit, only the hash can tell.
                let at = (middle..bytes.len())
                    .find(|&i| bytes[i].is_ascii_digit())
                    .with_context(|| format!("{} has no digit to change", path.display()))?;
                bytes[at] ^= 0x01;
            }
            ShardTamper::Endless => bytes.extend(std::iter::repeat_n(b' ', 64 * 1024)),
        }
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
    }
}

/// Election night for the live tests: the publication folder as it stood
/// after each release of `shafaf demo --releases 3` (the setup, partial,
/// complete, correction), under the same trust root as the demo, plus the
/// cases the app must refuse. The server shows one of them at `/live/` and
/// switches between them when asked (`/__live/<name>`), as a publisher's
/// site moves on.
///
/// - `step-1` … `step-4`: the releases, in order, from the setup (serving
///   `step-3` after `step-4` is a rollback);
/// - `fork`: the demo publication, the setup and a *complete* release, where
///   `step-2` holds the setup and a *partial* release: the same size,
///   another root hash;
/// - `frozen`: `step-4` with its `latest.json` re-signed by the demo's
///   timestamp key with an expiry in the past.
pub struct LiveDemo {
    pub folders: Vec<(String, PathBuf)>,
    /// The secret keys of the sequence (never served).
    pub keys: PathBuf,
    /// The folder `/live/` serves now.
    pub current: std::sync::Mutex<String>,
}

impl LiveDemo {
    pub fn folder(&self, name: &str) -> Option<&Path> {
        self.folders.iter().find(|(n, _)| n == name).map(|(_, p)| p.as_path())
    }

    /// The folder `/live/` serves now.
    pub fn current(&self) -> Option<&Path> {
        let name = self.current.lock().ok()?.clone();
        self.folder(&name)
    }

    /// Serves `name` at `/live/` from now on; false if there is no such folder.
    pub fn switch(&self, name: &str) -> bool {
        if self.folder(name).is_none() {
            return false;
        }
        match self.current.lock() {
            Ok(mut current) => {
                *current = name.to_owned();
                true
            }
            Err(_) => false,
        }
    }
}

/// The results releases of the live demo, after its setup release.
pub const LIVE_STEPS: u32 = 3;
/// Its folders, one per release, the setup's first.
const LIVE_FOLDERS: u32 = LIVE_STEPS + 1;

/// Generates the live demo's folders unless the stamp says they are current.
pub fn live_demo(paths: &Paths, spec: &DemoSpec, cli: &Path, demo: &Demo) -> Result<LiveDemo> {
    let name = format!("live-{}-{}", spec.scale.as_str(), spec.seed);
    let dir = paths.work().join(&name);
    let stamp_file = paths.work().join(format!("{name}.stamp"));
    let keys = dir.join("keys");
    let mut folders: Vec<(String, PathBuf)> =
        (1..=LIVE_FOLDERS).map(|step| (format!("step-{step}"), dir.join(format!("step-{step}")))).collect();
    folders.push(("fork".into(), demo.publication.clone()));
    folders.push(("frozen".into(), dir.join("frozen")));
    let live = |folders| LiveDemo { folders, keys: keys.clone(), current: std::sync::Mutex::new("step-1".into()) };

    let mut stamp = Stamp::new("live demo v2");
    stamp.file("shafaf binary", cli)?;
    stamp.dir(&spec.geo)?;
    stamp.text("scale", spec.scale.as_str());
    stamp.text("seed", &spec.seed.to_string());
    stamp.text("steps", &LIVE_STEPS.to_string());
    let digest = stamp.finish();
    if stamp::is_fresh(&stamp_file, &digest) && dir.join("frozen/latest.json").is_file() {
        println!("    ok: live demo {}", dir.display());
        return Ok(live(folders));
    }
    if dir.exists() {
        fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    println!("    generating the live demo (the setup and {LIVE_STEPS} releases)");
    for step in 1..=LIVE_FOLDERS {
        exec::run(
            command(cli)
                .arg("demo")
                .arg("--out")
                .arg(dir.join(format!("step-{step}")))
                .args(["--seed", &spec.seed.to_string()])
                .args(["--scale", spec.scale.as_str()])
                .arg("--geo")
                .arg(&spec.geo)
                .arg("--keys")
                .arg(&keys)
                .args(["--releases", &LIVE_STEPS.to_string()])
                .args(["--release-step", &step.to_string()]),
        )?;
    }
    let frozen = dir.join("frozen");
    copy_dir(&dir.join(format!("step-{LIVE_FOLDERS}")), &frozen)?;
    exec::run(
        command(cli)
            .arg("timestamp")
            .arg("--key")
            .arg(keys.join("timestamp-1.key"))
            .arg("--publication")
            .arg(&frozen)
            .args(["--now", "2026-06-21T12:00:00Z", "--expires", "2026-06-22T00:00:00Z"]),
    )?;
    // The sequence must be under the demo's trust root, which the app pins.
    for (name, folder) in &folders {
        if fs::read(folder.join("root.json")).ok() != fs::read(demo.publication.join("root.json")).ok() {
            bail!("the live demo's {name} is not under the demo's trust root");
        }
    }
    stamp::write(&stamp_file, &digest)?;
    Ok(live(folders))
}

pub fn build_cli(paths: &Paths) -> Result<PathBuf> {
    println!("    building the CLI");
    exec::run(cargo().args(["build", "--release", "-p", "shafaf-cli"]).current_dir(&paths.root))?;
    let binary = paths.cli_binary();
    if !binary.exists() {
        bail!("the CLI build succeeded but {} is missing", binary.display());
    }
    Ok(binary)
}

/// The app into `dist/`: Trunk builds the styles, the static files and the
/// audit worker (`trunk build --offline --release`, never downloading a
/// tool), and [`crate::split`] the app's own wasm, split by view.
pub fn build_app(paths: &Paths) -> Result<()> {
    println!("    building the app with Trunk");
    let env = wasm_build_env(paths);
    let mut trunk = command("trunk");
    trunk.args(["build", "--offline", "--release"]).current_dir(&paths.root);
    trunk.envs(env.iter().map(|(name, value)| (name, value)));
    exec::run(&mut trunk)?;
    report_worker_failures(&paths.dist())?;
    crate::split::build(paths, &paths.dist(), &env)?;
    write_app_manifest(&paths.dist())
}

/// The audit worker's loader, as Trunk writes it.
const WORKER_LOADER: &str = "shafaf-worker_loader.js";

/// What the worker's loader says first: a promise the worker rejects and
/// nobody handles (its wasm that could not be downloaded, a trap in a job)
/// is said to the page, in words (its reports are bytes), which stops that
/// worker and says why (src/audit.rs, `start_worker`) instead of waiting
/// for ever.
const WORKER_FAILURES: &str = "self.addEventListener(\"unhandledrejection\", (event) => {\n  event.preventDefault();\n  self.postMessage(`${event.reason}`);\n});\n";

/// Puts [`WORKER_FAILURES`] at the start of the worker's loader.
fn report_worker_failures(dist: &Path) -> Result<()> {
    let path = dist.join(WORKER_LOADER);
    let loader = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    if !loader.starts_with(WORKER_FAILURES) {
        fs::write(&path, format!("{WORKER_FAILURES}{loader}"))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// What cargo gets to build the browser's wasm.
fn wasm_build_env(paths: &Paths) -> Vec<(String, String)> {
    let mut env = Vec::new();
    // The /source page names the commit it was built from.
    if let Some(commit) = git_commit(&paths.root) {
        env.push(("SHAFAF_COMMIT".to_owned(), commit));
    }
    // The same bytes on every machine: the dependencies' sources are named
    // in the wasm (panic locations) by their path under cargo's home, which
    // is a person's own folder; name them under `/cargo` instead. (The
    // workspace's own files are named relative to it already; cargo merges
    // these flags with `.cargo/config.toml`'s.)
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    // (Cargo splits these flags at spaces: a home with one is left as it is.)
    if let Some(cargo_home) = cargo_home.filter(|home| !home.to_string_lossy().contains(char::is_whitespace)) {
        let mut flags = Vec::new();
        for home in [cargo_home.clone(), fs::canonicalize(&cargo_home).unwrap_or(cargo_home)] {
            let flag = format!("--remap-path-prefix={}=/cargo", home.display());
            if !flags.contains(&flag) {
                flags.push(flag);
            }
        }
        env.push(("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS".to_owned(), flags.join(" ")));
    }
    env
}

/// The commit checked out at `root`, with `-modified` when the work tree
/// differs from it; `None` outside git.
pub fn git_commit(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git").args(["rev-parse", "HEAD"]).current_dir(root).output().ok()?;
    let commit = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    if !out.status.success() || commit.is_empty() {
        return None;
    }
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(root)
        .output()
        .ok()?;
    Some(if status.stdout.is_empty() { commit } else { format!("{commit}-modified") })
}

/// The line of `sw.js` the build stamps with the app's version.
const SW_VERSION_LINE: &str = "const VERSION = 'dev';";

/// `app-files.txt`: every file of the built app in `sha256sum` format
/// (see `shafaf_core::app_files`); first, `sw.js` is stamped with a hash of
/// the other files, so that each build's service worker keeps its own cache.
fn write_app_manifest(dist: &Path) -> Result<()> {
    let files = app_files(dist)?;
    let others = files.iter().filter(|(p, _)| p != "sw.js").map(|(p, b)| (p.as_str(), b.as_slice()));
    let version = shafaf_core::model::Sha256Hex::of(shafaf_core::app_files::manifest(others).as_bytes()).to_string();
    let sw = dist.join("sw.js");
    if let Ok(script) = fs::read_to_string(&sw) {
        if !script.contains(SW_VERSION_LINE) {
            bail!("{} has no line `{SW_VERSION_LINE}` to stamp the build's version in", sw.display());
        }
        fs::write(&sw, script.replace(SW_VERSION_LINE, &format!("const VERSION = '{}';", &version[..16])))?;
    }
    let files = app_files(dist)?;
    let list = shafaf_core::app_files::manifest(files.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    fs::write(dist.join(shafaf_core::app_files::MANIFEST), list)?;
    Ok(())
}

/// Every file of the built app but the manifest, by path under `dist`.
fn app_files(dist: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut stack = vec![dist.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dist)?.to_string_lossy().replace('\\', "/");
                if rel != shafaf_core::app_files::MANIFEST {
                    files.push((rel, fs::read(&path)?));
                }
            }
        }
    }
    Ok(files)
}

/// Generates the demo publication and its tampered copies unless the stamp
/// says they are current.
pub fn demo(paths: &Paths, spec: &DemoSpec, cli: &Path) -> Result<Demo> {
    let name = format!("demo-{}-{}", spec.scale.as_str(), spec.seed);
    let cases: Vec<&str> = Tamper::ALL.iter().map(|c| c.name()).collect();
    generated(paths, &name, spec.scale.as_str(), spec, cli, &cases, |name, copy, keys| {
        let case = Tamper::ALL.into_iter().find(|c| c.name() == name).context("no such case")?;
        case.apply(copy, keys)
    })
}

/// `shafaf demo --scale <scale>` into `target/shafaf/<name>/` (keys in
/// `<name>.keys/`), and one altered copy per case in `<name>-tampered/`,
/// made by `alter(case, copy, keys)`; nothing is made again while the
/// stamp says it is current.
fn generated(
    paths: &Paths,
    name: &str,
    scale: &str,
    spec: &DemoSpec,
    cli: &Path,
    cases: &[&str],
    alter: impl Fn(&str, &Path, &Path) -> Result<()>,
) -> Result<Demo> {
    if !spec.geo.is_dir() {
        bail!("boundaries folder {} not found (pass --geo or set SHAFAF_GEO)", spec.geo.display());
    }
    let work = paths.work();
    let publication = work.join(name);
    let tampered = work.join(format!("{name}-tampered"));
    let keys = work.join(format!("{name}.keys"));
    let stamp_file = work.join(format!("{name}.stamp"));

    let mut stamp = Stamp::new("demo v4");
    stamp.file("shafaf binary", cli)?;
    stamp.dir(&spec.geo)?;
    stamp.text("scale", scale);
    stamp.text("seed", &spec.seed.to_string());
    for case in cases {
        stamp.text("tamper", case);
    }
    let digest = stamp.finish();
    let demo = Demo { publication: publication.clone(), tampered: tampered.clone(), keys: keys.clone() };
    if stamp::is_fresh(&stamp_file, &digest) && publication.join("root.json").is_file() {
        println!("    ok: demo publication {}", publication.display());
        return Ok(demo);
    }
    for dir in [&publication, &tampered, &keys] {
        if dir.exists() {
            fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
        }
    }
    fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    println!("    generating the demo publication {name}");
    exec::run(
        command(cli)
            .arg("demo")
            .arg("--out")
            .arg(&publication)
            .args(["--seed", &spec.seed.to_string()])
            .args(["--scale", scale])
            .arg("--geo")
            .arg(&spec.geo)
            .arg("--keys")
            .arg(&keys),
    )?;
    if !publication.join("root.json").is_file() {
        bail!("`shafaf demo` succeeded but wrote no root.json in {}", publication.display());
    }
    for case in cases {
        let copy = tampered.join(case);
        copy_dir(&publication, &copy)?;
        alter(case, &copy, &keys).with_context(|| format!("making the tampered copy `{case}`"))?;
    }
    stamp::write(&stamp_file, &digest)?;
    Ok(demo)
}

/// `/config.json`: where the publication is and the SHA-256 of the root the
/// app pins, as a real deployment would ship it beside the app.
pub fn config_json(publication: &Path) -> Result<String> {
    let root = publication.join("root.json");
    let bytes = fs::read(&root).with_context(|| format!("reading {}", root.display()))?;
    let config = serde_json::json!({
        "publication": "demo/",
        "root_sha256": stamp::sha256_hex(&bytes),
        "demo": true,
    });
    Ok(config.to_string())
}

/// A single change to a publication that verification must catch. Each is
/// served at `/tampered/<name>/` and opened with `?pub=tampered/<name>/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tamper {
    /// One byte in the middle of the largest data file is changed.
    FlipByte,
    /// release.json.sigs keeps only its first signature line.
    DropSignature,
    /// One character of release.json is changed.
    EditRelease,
    /// root.json lists another key as the first publisher key (the page pins the real root).
    SwapKey,
    /// A station's signed result line replaces another station's; the
    /// release is re-signed with the real publisher keys and the log started
    /// afresh around it, so that only the station check can tell: a replay.
    ReplayStation,
    /// A published total in the contests file is edited, without re-signing.
    EditTotal,
    /// A station with a device key nobody committed is added to the registry
    /// after the setup; the release is re-signed with the real publisher
    /// keys and the log rebuilt around it, so only the comparison with the
    /// setup can tell: a ghost station.
    GhostStation,
}

/// The signed metadata at the top of a publication; everything else is data.
const METADATA: [&str; 4] = ["root.json", "root.json.sigs", "release.json", "release.json.sigs"];

impl Tamper {
    pub const ALL: [Tamper; 7] = [
        Tamper::FlipByte,
        Tamper::DropSignature,
        Tamper::EditRelease,
        Tamper::SwapKey,
        Tamper::ReplayStation,
        Tamper::EditTotal,
        Tamper::GhostStation,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Tamper::FlipByte => "flip-byte",
            Tamper::DropSignature => "drop-signature",
            Tamper::EditRelease => "edit-release",
            Tamper::SwapKey => "swap-key",
            Tamper::ReplayStation => "replay-station",
            Tamper::EditTotal => "edit-total",
            Tamper::GhostStation => "ghost-station",
        }
    }

    /// Alters the copy at `publication`; `keys` holds the demo's secret keys.
    pub fn apply(self, publication: &Path, keys: &Path) -> Result<()> {
        match self {
            Tamper::FlipByte => flip_byte(publication),
            Tamper::DropSignature => drop_signature(publication),
            Tamper::EditRelease => edit_release(publication),
            Tamper::SwapKey => swap_key(publication),
            Tamper::ReplayStation => replay_station(publication, keys),
            Tamper::EditTotal => edit_total(publication),
            Tamper::GhostStation => ghost_station(publication, keys),
        }
    }
}

fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn write_text(path: &Path, text: &str) -> Result<()> {
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// The current release's data file whose name starts with `prefix` (e.g.
/// `results-`), as `release.json` lists it: the files of earlier releases
/// (the setup's among them) stay beside it.
fn data_file(publication: &Path, prefix: &str) -> Result<PathBuf> {
    let release = read_text(&publication.join(format::RELEASE))?;
    let needle = format!("\"path\":\"files/{prefix}");
    let at = release.find(&needle).with_context(|| format!("release.json lists no {prefix}* file"))?;
    let path = release[at + "\"path\":\"".len()..].split('"').next().unwrap_or_default();
    Ok(publication.join(path))
}

fn swap_key(publication: &Path) -> Result<()> {
    let path = publication.join("root.json");
    let text = read_text(&path)?;
    let root: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let publisher = root["roles"]
        .as_array()
        .and_then(|roles| roles.iter().find(|r| r["role"] == "publisher"))
        .and_then(|r| r["keys"][0].as_str())
        .with_context(|| format!("{} has no publisher key", path.display()))?;
    let public = root["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["id"] == publisher))
        .and_then(|k| k["public"].as_str())
        .with_context(|| format!("{} does not list key {publisher}", path.display()))?;
    let intruder = SecretKey::from_seed(&[0x42; 32]);
    let swapped =
        text.replace(publisher, &intruder.public().id().to_hex()).replace(public, &intruder.public().to_spki_base64());
    write_text(&path, &swapped)
}

fn replay_station(publication: &Path, keys: &Path) -> Result<()> {
    let results = data_file(publication, "results-")?;
    let text = read_text(&results)?;
    let mut lines: Vec<&str> = text.lines().collect();
    if lines.len() < 2 {
        bail!("{} has fewer than two stations", results.display());
    }
    lines[1] = lines[0];
    let replayed = format!("{}\n", lines.join("\n"));
    resign_with(publication, keys, &results, &text, &replayed)
}

fn ghost_station(publication: &Path, keys: &Path) -> Result<()> {
    let stations = data_file(publication, "stations-")?;
    let text = read_text(&stations)?;
    let contest = text
        .split("\"contest\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .with_context(|| format!("{} has no station", stations.display()))?;
    let ghost = SecretKey::from_seed(&[0x47; 32]);
    let entry = format!(
        "{{\"id\":\"GHOST-1\",\"contest\":\"{contest}\",\"eligible\":0,\"device\":\"{}\"}}",
        ghost.public().to_spki_base64()
    );
    let end = text.rfind("]}").with_context(|| format!("{} does not end its station list", stations.display()))?;
    let ghosted = format!("{},{entry}{}", &text[..end], &text[end..]);
    resign_with(publication, keys, &stations, &text, &ghosted)
}

/// Replaces a data file, lists its new hash and size in release.json and
/// re-signs it with the real publisher keys, then rebuilds the log: only the
/// checks of the data itself can tell.
fn resign_with(publication: &Path, keys: &Path, file: &Path, old: &str, new: &str) -> Result<()> {
    let release_path = publication.join("release.json");
    let old_hash = stamp::sha256_hex(old.as_bytes());
    let new_hash = stamp::sha256_hex(new.as_bytes());
    let release =
        read_text(&release_path)?.replace(&format!("\"sha256\":\"{old_hash}\""), &format!("\"sha256\":\"{new_hash}\""));
    // The new content under its own content-addressed name, as a publisher
    // would write it; the old file stays for the releases that list it.
    let relative = file.strip_prefix(publication).unwrap_or(file).to_string_lossy().replace('\\', "/");
    let renamed = relative.replace(&old_hash, &new_hash);
    let release = release.replace(
        &format!("\"path\":\"{relative}\",\"size\":{}", old.len()),
        &format!("\"path\":\"{renamed}\",\"size\":{}", new.len()),
    );
    let file = &publication.join(&renamed);
    // A results file's lines have their own Merkle root in the release.
    let lines_of = |text: &str| -> Option<String> {
        let lines = shafaf_core::format::result_lines("results", text.as_bytes()).ok()?;
        let root = shafaf_core::log::lines_root(&lines);
        Some(format!("\"lines\":{{\"count\":{},\"root\":\"{}\"}}", root.count, root.root))
    };
    let release = match (relative.contains("/results-"), lines_of(old), lines_of(new)) {
        (true, Some(before), Some(after)) => release.replace(&before, &after),
        _ => release,
    };
    write_text(file, new)?;
    let signers =
        ["publisher-1.key", "publisher-2.key"].iter().map(|name| demo_key(keys, name)).collect::<Result<Vec<_>>>()?;
    let signer_refs: Vec<&SecretKey> = signers.iter().collect();
    fs::write(publication.join("release.json.sigs"), publish::sign_bytes(release.as_bytes(), &signer_refs))
        .with_context(|| format!("writing {}", publication.join("release.json.sigs").display()))?;
    write_text(&release_path, &release)?;
    let timestamp = demo_key(keys, "timestamp-1.key")?;
    rewrite_log(publication, &signer_refs, &timestamp)
}

fn demo_key(keys: &Path, name: &str) -> Result<SecretKey> {
    let pem = read_text(&keys.join(name))?;
    SecretKey::from_pkcs8_pem(&pem).with_context(|| format!("reading the demo key {name}"))
}

/// What a publisher holding its keys could do to pass an altered release
/// off to a reader who never saw the real one: rebuild the release log with
/// the altered release as its last leaf after the releases before it (the
/// setup), with a new checkpoint, proofs and archived copy, and re-sign the
/// pointer. A
/// reader who held the real checkpoint sees a fork; a new reader sees a
/// consistent log, so only the checks of the data itself can tell.
fn rewrite_log(publication: &Path, publishers: &[&SecretKey], timestamp: &SecretKey) -> Result<()> {
    let read = |name: &str| fs::read(publication.join(name)).with_context(|| format!("reading {name}"));
    let mut files = Publication::new();
    for name in [format::ROOT, format::ROOT_SIGS, format::RELEASE, format::RELEASE_SIGS, format::CHECKPOINT] {
        files.insert(name, read(name)?);
    }
    let root_bytes = read(format::ROOT)?;
    let anchor = TrustAnchor::pinned(Sha256Hex::of(&root_bytes));
    let now = OffsetDateTime::now_utc();
    let findings = |what: &str, findings: Vec<shafaf_core::Finding>| {
        let words: Vec<String> = findings.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("{what}: {}", words.join("; "))
    };
    let root = verify_root(&root_bytes, &read(format::ROOT_SIGS)?, &anchor, now)
        .map_err(|f| findings("the demo's root does not verify", f))?;
    let old = String::from_utf8(read(format::CHECKPOINT)?).context("the checkpoint is not UTF-8")?;
    let origin = old.lines().next().context("the checkpoint is empty")?.to_owned();

    // The releases before it (the setup first) stay as they were.
    let release = read(format::RELEASE)?;
    let size: u64 = old.lines().nth(1).and_then(|l| l.parse().ok()).context("the checkpoint has no size")?;
    let mut leaves = Vec::new();
    for version in 1..size {
        leaves.push(tree::leaf_hash(&read(&log::release_path(version))?));
    }
    leaves.push(tree::leaf_hash(&release));
    let checkpoint = Checkpoint { origin, size, root_hash: tree::root(&leaves) };
    let signed = write::sign_checkpoint(&checkpoint, &root, publishers).context("signing the checkpoint")?;
    let mut written = vec![
        (format::CHECKPOINT.to_owned(), signed.clone()),
        (log::checkpoint_path(size), signed.clone()),
        (log::release_path(size), release),
        (log::release_sigs_path(size), read(format::RELEASE_SIGS)?),
    ];
    written.extend(write::proof_files(&leaves));
    files.insert(format::CHECKPOINT, signed);

    // The pointer keeps its times; only what it points at changes.
    let latest: serde_json::Value = serde_json::from_slice(&read(format::LATEST)?).context("reading latest.json")?;
    let time_of = |field: &str| -> Result<OffsetDateTime> {
        let text = latest[field].as_str().with_context(|| format!("latest.json has no {field}"))?;
        OffsetDateTime::parse(text, &Rfc3339).with_context(|| format!("latest.json: {field} is not RFC 3339"))
    };
    write::sign_pointer(&mut files, &root, time_of("issued")?, time_of("expires")?, &[timestamp])
        .context("signing the pointer")?;
    for name in [format::LATEST, format::LATEST_SIGS] {
        written.push((name.to_owned(), files.get(name).context("the pointer was not made")?.to_vec()));
    }
    for (relative, bytes) in written {
        let path = publication.join(&relative);
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn edit_total(publication: &Path) -> Result<()> {
    let contests = data_file(publication, "contests-")?;
    let text = read_text(&contests)?;
    let marker = "\"published\":{\"stations_reported\":";
    let at = text.find(marker).with_context(|| format!("{} has no published totals", contests.display()))?;
    let cast = text[at..].find("\"ballots_cast\":").map(|i| at + i + "\"ballots_cast\":".len());
    let at = cast.with_context(|| format!("{} has no published ballots_cast", contests.display()))?;
    // One more ballot in the first council's published total.
    let end = text[at..].find(|c: char| !c.is_ascii_digit()).map_or(text.len(), |i| at + i);
    let value: u64 =
        text[at..end].parse().with_context(|| format!("{}: ballots_cast is not a count", contests.display()))?;
    write_text(&contests, &format!("{}{}{}", &text[..at], value + 1, &text[end..]))
}

fn flip_byte(publication: &Path) -> Result<()> {
    let mut largest: Option<(u64, PathBuf)> = None;
    for relative in stamp::files_under(publication)? {
        if METADATA.contains(&relative.as_str()) {
            continue;
        }
        let path = publication.join(&relative);
        let size = fs::metadata(&path).with_context(|| format!("inspecting {}", path.display()))?.len();
        // Files come sorted, so the first of equal sizes wins: the result is reproducible.
        if largest.as_ref().is_none_or(|(best, _)| size > *best) {
            largest = Some((size, path));
        }
    }
    let Some((size, path)) = largest.filter(|(size, _)| *size > 0) else {
        bail!("{} has no non-empty data file besides the signed metadata", publication.display());
    };
    let mut bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    // Flipping the lowest bit keeps a digit a digit, so the file still parses and
    // only the hash can tell.
    bytes[(size / 2) as usize] ^= 0x01;
    fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
}

fn drop_signature(publication: &Path) -> Result<()> {
    let path = publication.join("release.json.sigs");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = text.lines().filter(|line| !line.trim().is_empty());
    let first = lines.next().with_context(|| format!("{} holds no signature", path.display()))?;
    if lines.next().is_none() {
        println!("    warning: {} has a single signature, so `drop-signature` changes nothing", path.display());
    }
    fs::write(&path, format!("{first}\n")).with_context(|| format!("writing {}", path.display()))
}

fn edit_release(publication: &Path) -> Result<()> {
    let path = publication.join("release.json");
    let mut bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    // A digit from the middle on (a hash or a count, not the format tag at the
    // start) changed to another digit keeps the JSON valid: only the signatures
    // can tell.
    let middle = bytes.len() / 2;
    let at = (middle..bytes.len())
        .chain(0..middle)
        .find(|&at| bytes[at].is_ascii_digit())
        .with_context(|| format!("{} has no digit to change", path.display()))?;
    bytes[at] = if bytes[at] == b'9' { b'0' } else { bytes[at] + 1 };
    fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for relative in stamp::files_under(from)? {
        let target = to.join(&relative);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::copy(from.join(&relative), &target).with_context(|| format!("copying {relative} to {}", to.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_loader_tells_the_page_of_its_failures_once() {
        let dist = Fixture::new("loader");
        let trunk = "importScripts(\"./shafaf-worker.js\");wasm_bindgen(\"./shafaf-worker_bg.wasm\");";
        fs::write(dist.0.join(WORKER_LOADER), trunk).unwrap();
        report_worker_failures(&dist.0).unwrap();
        // A build that reuses the loader does not add the lines again.
        report_worker_failures(&dist.0).unwrap();
        let loader = fs::read_to_string(dist.0.join(WORKER_LOADER)).unwrap();
        assert_eq!(loader, format!("{WORKER_FAILURES}{trunk}"));
        assert!(loader.contains("unhandledrejection") && loader.contains("self.postMessage"), "{loader}");
    }

    /// A throwaway publication in the system's temp folder, removed on drop.
    struct Fixture(PathBuf);

    impl Fixture {
        fn new(name: &str) -> Fixture {
            let dir = std::env::temp_dir().join(format!("shafaf-xtask-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(dir.join("files/stations")).unwrap();
            fs::write(dir.join("root.json"), "{\"version\":1,\"keys\":[]}").unwrap();
            fs::write(dir.join("root.json.sigs"), "key-a sig-a\n").unwrap();
            fs::write(dir.join("release.json"), "{\"v\":1,\"size\":79}").unwrap();
            fs::write(dir.join("release.json.sigs"), "key-a sig-a\nkey-b sig-b\nkey-c sig-c\n").unwrap();
            fs::write(dir.join("files/small.json"), "[1]").unwrap();
            fs::write(dir.join("files/stations/big.jsonl"), "0123456789").unwrap();
            Fixture(dir)
        }

        fn read(&self, relative: &str) -> String {
            fs::read_to_string(self.0.join(relative)).unwrap()
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn flip_byte_changes_the_middle_of_the_largest_data_file_only() {
        let fixture = Fixture::new("flip");
        Tamper::FlipByte.apply(&fixture.0, Path::new("unused-keys")).unwrap();
        assert_eq!(fixture.read("files/stations/big.jsonl"), "0123446789");
        assert_eq!(fixture.read("files/small.json"), "[1]");
        assert_eq!(fixture.read("root.json"), "{\"version\":1,\"keys\":[]}");
    }

    #[test]
    fn drop_signature_keeps_only_the_first_line() {
        let fixture = Fixture::new("drop");
        Tamper::DropSignature.apply(&fixture.0, Path::new("unused-keys")).unwrap();
        assert_eq!(fixture.read("release.json.sigs"), "key-a sig-a\n");
    }

    #[test]
    fn edit_release_changes_exactly_one_character_and_keeps_json() {
        let fixture = Fixture::new("edit");
        Tamper::EditRelease.apply(&fixture.0, Path::new("unused-keys")).unwrap();
        let edited = fixture.read("release.json");
        assert_eq!(edited, "{\"v\":1,\"size\":89}");
        assert!(serde_json::from_str::<serde_json::Value>(&edited).is_ok());
    }

    #[test]
    fn config_pins_the_sha256_of_root_json() {
        let fixture = Fixture::new("config");
        let config: serde_json::Value = serde_json::from_str(&config_json(&fixture.0).unwrap()).unwrap();
        let root = fs::read(fixture.0.join("root.json")).unwrap();
        assert_eq!(config["publication"], "demo/");
        assert_eq!(config["root_sha256"], stamp::sha256_hex(&root));
        assert_eq!(config["demo"], true);
    }
}
