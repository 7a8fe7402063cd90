//! The native baseline: the release CLI verifying the whole demo publication
//! (`shafaf verify DIR --root-sha256 PIN`), against the floor set by its
//! signatures: stations × one `verify_strict` ÷ cores.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::exec::shown;
use crate::site::Demo;
use crate::stamp;

pub struct Native {
    /// Device signatures the CLI verified (one per reporting station).
    pub stations: u64,
    pub cores: usize,
    /// The median of the timed runs.
    pub wall: Duration,
    /// User and system time of that run, all threads; `None` where the
    /// platform does not tell.
    pub cpu: Option<Duration>,
    pub runs: usize,
    /// The CLI's verdict (`verified`, `verified_with_findings`, …).
    pub status: String,
    pub verify_strict: Duration,
}

impl Native {
    /// What verifying every station's signature costs on all cores, and no more.
    pub fn floor(&self) -> Duration {
        self.verify_strict.mul_f64(self.stations as f64 / self.cores.max(1) as f64)
    }

    pub fn ratio(&self) -> f64 {
        self.wall.as_secs_f64() / self.floor().as_secs_f64()
    }
}

/// The demo's announced root fingerprint: `<keys>/root.sha256`, else the
/// SHA-256 of its root.json.
pub fn pin(demo: &Demo) -> Result<String> {
    if let Ok(text) = fs::read_to_string(demo.keys.join("root.sha256")) {
        if let Some(hex) = text.split_whitespace().next().filter(|hex| hex.len() == 64) {
            return Ok(hex.to_string());
        }
    }
    let root = demo.publication.join("root.json");
    Ok(stamp::sha256_hex(&fs::read(&root).with_context(|| format!("reading {}", root.display()))?))
}

/// One `--json` run (warms the page cache, counts the stations), then `runs`
/// timed runs without output.
pub fn measure(cli: &Path, publication: &Path, pin: &str, runs: usize) -> Result<Native> {
    let verify = || {
        let mut cmd = Command::new(cli);
        cmd.arg("verify").arg(publication).args(["--root-sha256", pin]).stdin(Stdio::null());
        cmd
    };
    let mut json = verify();
    json.arg("--json");
    println!("    $ {}", shown(&json));
    let output = json.output().with_context(|| format!("could not start `{}`", shown(&json)))?;
    // Exit status 1 is findings: the report is still on stdout.
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("`{}` printed no JSON report ({})", shown(&json), output.status))?;
    let stations = report["audit"]["station_signatures_verified"].as_u64().unwrap_or_default();
    let status = report["status"].as_str().unwrap_or("unknown").to_string();

    let mut timed = Vec::new();
    for _ in 0..runs {
        let mut cmd = verify();
        cmd.stdout(Stdio::null());
        let cpu_before = children_cpu();
        let started = Instant::now();
        let exit = cmd.status().with_context(|| format!("could not start `{}`", shown(&cmd)))?;
        let wall = started.elapsed();
        let cpu = children_cpu().zip(cpu_before).map(|(after, before)| after.saturating_sub(before));
        if !matches!(exit.code(), Some(0 | 1)) {
            bail!("`{}` failed ({exit})", shown(&cmd));
        }
        println!("    run {}: {:.2} s wall", timed.len() + 1, wall.as_secs_f64());
        timed.push((wall, cpu));
    }
    timed.sort_by_key(|(wall, _)| *wall);
    let (wall, cpu) = timed.get(timed.len() / 2).copied().context("no timed run")?;
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    Ok(Native { stations, cores, wall, cpu, runs, status, verify_strict: one_verify_strict() })
}

/// One Ed25519 `verify_strict` of a message the size of a station result,
/// through the core's own key type: the best of several timed batches.
/// (xtask's dependencies are built with `opt-level = 2`, see Cargo.toml.)
pub fn one_verify_strict() -> Duration {
    let key = shafaf_core::SecretKey::from_seed(&[7; 32]);
    let message = vec![0x5a; 600];
    let signature = key.sign(&message);
    let public = key.public();
    const BATCH: u32 = 2_000;
    (0..5)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..BATCH {
                let _ = std::hint::black_box(public.verify(std::hint::black_box(&message), &signature));
            }
            started.elapsed() / BATCH
        })
        .min()
        .unwrap_or_default()
}

/// User plus system time of every child this process has waited for.
#[cfg(unix)]
fn children_cpu() -> Option<Duration> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a `rusage` into the pointer it is given.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) != 0 {
            return None;
        }
        usage.assume_init()
    };
    let time = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    Some(time(usage.ru_utime) + time(usage.ru_stime))
}

#[cfg(not(unix))]
fn children_cpu() -> Option<Duration> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_is_stations_times_one_signature_over_cores() {
        let native = Native {
            stations: 60_000,
            cores: 2,
            wall: Duration::from_secs(3),
            cpu: None,
            runs: 1,
            status: "verified".into(),
            verify_strict: Duration::from_micros(50),
        };
        assert_eq!(native.floor(), Duration::from_millis(1_500));
        assert!((native.ratio() - 2.0).abs() < 1e-9);
    }

    #[test]
    fn a_signature_check_takes_microseconds() {
        let once = one_verify_strict();
        assert!(once > Duration::from_nanos(500) && once < Duration::from_millis(5), "{once:?}");
    }
}
