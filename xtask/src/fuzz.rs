//! `cargo xtask fuzz`: the cargo-fuzz targets in `fuzz/` (one per parser of
//! untrusted input, see `shafaf_core::fuzzing`), seeded from the demo
//! publication, on nightly (installed beside stable; the product stays on
//! stable). A short run is a step of `cargo xtask test`; a long one is
//! `cargo xtask fuzz --seconds 3600`. An input that crashes a target is
//! copied to `fuzz/regressions/<target>/`, where the core's tests replay it
//! on every run once it is committed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use shafaf_core::fuzzing::TARGETS;

use crate::exec::{self, cargo, command};
use crate::paths::Paths;
use crate::site::{self, DemoSpec, Scale};
use crate::stamp;

#[derive(clap::Args)]
pub struct FuzzArgs {
    /// Seconds per target.
    #[arg(long, default_value_t = 60)]
    pub seconds: u32,
    /// Only this target (default: all).
    #[arg(long)]
    pub target: Option<String>,
    /// Instead of --seconds: this many inputs per target, from a fixed seed, so
    /// that a run is repeatable (the short run in `cargo xtask test`).
    #[arg(long)]
    pub runs: Option<u32>,
}

/// The largest seed taken from a demo file (results files are cut at a line).
const SEED_BYTES: usize = 64 << 10;

pub fn run(paths: &Paths, args: &FuzzArgs) -> Result<()> {
    let targets: Vec<&str> = match &args.target {
        Some(t) if TARGETS.contains(&t.as_str()) => vec![t.as_str()],
        Some(t) => bail!("no fuzz target `{t}`; the targets are {}", TARGETS.join(", ")),
        None => TARGETS.to_vec(),
    };
    ensure_cargo_fuzz()?;
    let spec = DemoSpec { scale: Scale::Lorestan, seed: 1, geo: paths.geo() };
    let cli = site::build_cli(paths)?;
    let demo = site::demo(paths, &spec, &cli)?;
    let fuzz_dir = paths.root.join("fuzz");
    let target_dir = paths.root.join("target/fuzz");
    println!("    building the fuzz targets (nightly, sanitized)");
    exec::run(nightly_fuzz(&fuzz_dir).args(["build", "-O", "--target-dir"]).arg(&target_dir))?;
    let mut crashed = Vec::new();
    for target in targets {
        let corpus = paths.root.join("target/fuzz-corpus").join(target);
        seed(&demo.publication, target, &corpus)?;
        let limit = match args.runs {
            Some(runs) => {
                println!("    fuzzing `{target}`: {runs} inputs");
                vec![format!("-runs={runs}"), "-seed=1".into(), format!("-max_total_time={}", args.seconds)]
            }
            None => {
                println!("    fuzzing `{target}` for {} s", args.seconds);
                vec![format!("-max_total_time={}", args.seconds)]
            }
        };
        let status = nightly_fuzz(&fuzz_dir)
            .args(["run", "-O", "--target-dir"])
            .arg(&target_dir)
            .arg(target)
            .arg(&corpus)
            .arg("--")
            .args(limit)
            .args(["-rss_limit_mb=2048", "-timeout=10", "-print_final_stats=0"])
            .status()
            .with_context(|| format!("running cargo fuzz run {target}"))?;
        if !status.success() {
            crashed.push(target);
            keep_crashes(&fuzz_dir, target)?;
        }
    }
    if !crashed.is_empty() {
        bail!(
            "fuzzing crashed {}: the inputs are in fuzz/regressions/<target>/; commit them with the fix \
             (the core's tests replay them)",
            crashed.join(", ")
        );
    }
    println!("    no crash");
    Ok(())
}

fn ensure_cargo_fuzz() -> Result<()> {
    let found = command("cargo").args(["+nightly", "fuzz", "--version"]).output();
    if found.is_ok_and(|o| o.status.success()) {
        println!("    ok: cargo-fuzz");
        return Ok(());
    }
    println!("    installing cargo-fuzz (a few minutes)");
    exec::run(cargo().args(["install", "--locked", "cargo-fuzz"]))
}

/// `cargo +nightly fuzz` in `fuzz/`, free of the stable toolchain this
/// xtask runs under.
fn nightly_fuzz(fuzz_dir: &Path) -> Command {
    let mut cmd = command("cargo");
    cmd.args(["+nightly", "fuzz"]).current_dir(fuzz_dir);
    for var in ["RUSTUP_TOOLCHAIN", "CARGO", "RUSTC", "RUSTDOC", "RUSTFLAGS", "CARGO_TARGET_DIR"] {
        cmd.env_remove(var);
    }
    cmd
}

/// Which demo files seed which target.
fn seeds_for(publication: &Path, target: &str) -> Result<Vec<PathBuf>> {
    let files = publication.join("files");
    let in_files = |prefix: &str| -> Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        for entry in fs::read_dir(&files)? {
            let path = entry?.path();
            if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)) {
                out.push(path);
            }
        }
        Ok(out)
    };
    Ok(match target {
        "sigs" => vec![
            publication.join("root.json.sigs"),
            publication.join("release.json.sigs"),
            publication.join("latest.json.sigs"),
        ],
        "root" => vec![publication.join("root.json")],
        "release" => vec![publication.join("release.json")],
        "pointer" => vec![publication.join("latest.json")],
        "checkpoint" => vec![publication.join("checkpoint")],
        "proof" => {
            fs::read_dir(publication.join("log/inclusion"))?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?
        }
        "results" => in_files("results-")?,
        "contests" => in_files("contests-")?,
        "stations" => in_files("stations-")?,
        "election" => in_files("election.")?,
        "summary" => in_files("summary.")?,
        "geojson" => in_files("geo-")?,
        // Made from the demo by `made_seeds`.
        "config" | "source" | "sheet" | "evidence" => Vec::new(),
        other => bail!("no seeds for `{other}`"),
    })
}

/// Seeds for the inputs that are no file of the publication: the app's
/// `config.json` and saved source, a sheet's QR texts (from a results line
/// of the demo), and an evidence file (of that line with a figure changed).
fn made_seeds(publication: &Path, target: &str) -> Result<Vec<Vec<u8>>> {
    let pin = shafaf_core::model::Sha256Hex::of(&fs::read(publication.join("root.json"))?).to_hex();
    // The first station's line (the setup's results files are empty).
    let line = || -> Result<String> {
        for file in stamp::files_under(&publication.join("files"))?.iter().filter(|f| f.starts_with("results-")) {
            let text = fs::read_to_string(publication.join("files").join(file))?;
            if let Some(line) = text.lines().find(|l| !l.is_empty()) {
                return Ok(line.to_owned());
            }
        }
        bail!("the demo has no station's results line")
    };
    Ok(match target {
        "config" => {
            vec![format!(r#"{{"publication":"publication/","root_sha256":"{pin}","demo":true,"poll_seconds":30}}"#)
                .into_bytes()]
        }
        "source" => {
            vec![format!(r#"{{"publication":"https://results.example/e1/","root_sha256":"{pin}"}}"#).into_bytes()]
        }
        "sheet" => vec![shafaf_core::sheet::encode(&line()?).join("\n").into_bytes()],
        "evidence" => {
            let line = line()?;
            let station = line.split("\"station\":\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("");
            let mut read = shafaf_core::Publication::new();
            for path in stamp::files_under(publication)? {
                read.insert(path.clone(), fs::read(publication.join(&path))?);
            }
            let altered = line.replacen("\"ballots_cast\":", "\"ballots_cast\":1", 1);
            match shafaf_core::evidence::make_from(&read, &altered, station) {
                Some(evidence) => vec![serde_json::to_vec(&evidence)?],
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    })
}

fn seed(publication: &Path, target: &str, corpus: &Path) -> Result<()> {
    fs::create_dir_all(corpus)?;
    for (i, bytes) in made_seeds(publication, target)?.into_iter().enumerate() {
        fs::write(corpus.join(format!("made-{i}")), bytes)?;
    }
    for (i, path) in seeds_for(publication, target)?.iter().enumerate() {
        let Ok(mut bytes) = fs::read(path) else { continue };
        if bytes.len() > SEED_BYTES {
            let cut = bytes[..SEED_BYTES].iter().rposition(|&b| b == b'\n').map_or(SEED_BYTES, |at| at + 1);
            bytes.truncate(cut);
        }
        if target == "proof" {
            // The target reads a kind and two sizes before the file.
            let mut framed = vec![0u8];
            framed.extend(0u64.to_le_bytes());
            framed.extend(1u64.to_le_bytes());
            framed.extend(bytes);
            bytes = framed;
        }
        fs::write(corpus.join(format!("demo-{i}")), bytes)?;
    }
    Ok(())
}

/// Copies what cargo-fuzz saved for `target` into `fuzz/regressions/<target>/`.
fn keep_crashes(fuzz_dir: &Path, target: &str) -> Result<()> {
    let artifacts = fuzz_dir.join("artifacts").join(target);
    let keep = fuzz_dir.join("regressions").join(target);
    fs::create_dir_all(&keep)?;
    if let Ok(entries) = fs::read_dir(&artifacts) {
        for entry in entries {
            let path = entry?.path();
            if let Some(name) = path.file_name() {
                fs::copy(&path, keep.join(name))?;
                println!("    kept {}", keep.join(name).display());
            }
        }
    }
    Ok(())
}
