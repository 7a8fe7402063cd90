//! `cargo xtask bench`: the core's benchmarks natively (criterion, through
//! `cargo bench -p shafaf-core`) and in headless Chromium, printed side by side.
//!
//! The browser half: `cargo test -p shafaf-core --target wasm32-unknown-unknown`
//! built with the app's size-first `wasm-release` profile and `SHAFAF_BENCH=1`
//! in the environment, filtered to tests whose name contains `bench`. A wasm
//! test cannot read the environment at run time, so a bench test checks
//! `option_env!("SHAFAF_BENCH")` (cargo rebuilds when it changes), returns at
//! once when it is unset (a normal `cargo xtask test`), and otherwise prints one
//! line per measurement with `wasm_bindgen_test::console_log!`:
//!
//! ```text
//! BENCH <name> <nanoseconds per iteration>
//! ```
//!
//! where `<name>` is the criterion id of the same measurement, so the rows meet.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::SystemTime;

use anyhow::{Context, Result};

use crate::exec::{self, cargo};
use crate::paths::Paths;
use crate::stamp;
use crate::test::browser_env;
use crate::tools::{self, WASM_TARGET};

pub fn run(paths: &Paths) -> Result<()> {
    println!("==> tools");
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen(paths)?;
    tools::ensure_browser()?;

    println!("==> native benchmarks");
    let started = SystemTime::now();
    exec::run(cargo().args(["bench", "-p", "shafaf-core"]).current_dir(&paths.root))?;
    let native = criterion_results(&paths.target.join("criterion"), started)?;

    println!("==> wasm benchmarks (headless Chromium)");
    let mut cmd = cargo();
    cmd.args(["test", "-p", "shafaf-core", "--target", WASM_TARGET])
        .args(["--profile", "wasm-release"])
        .args(["--", "--nocapture", "bench"])
        .env("SHAFAF_BENCH", "1")
        .current_dir(&paths.root);
    browser_env(paths, &mut cmd)?;
    let output = exec::run_teeing(&mut cmd)?;
    let wasm = bench_lines(&output);
    if wasm.is_empty() {
        println!("    no `BENCH <name> <ns>` lines: the core has no wasm bench test yet (see xtask/src/bench.rs)");
    }

    println!("==> results");
    print!("{}", table(&native, &wasm));
    Ok(())
}

/// Nanoseconds per iteration by benchmark id, from criterion's
/// `<group>/<bench>/new/{benchmark,estimates}.json` files written since `since`.
fn criterion_results(dir: &Path, since: SystemTime) -> Result<BTreeMap<String, f64>> {
    let mut results = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(results);
    }
    for relative in stamp::files_under(dir)? {
        let Some(folder) = relative.strip_suffix("/new/estimates.json") else {
            continue;
        };
        let estimates_path = dir.join(&relative);
        let fresh =
            fs::metadata(&estimates_path).and_then(|meta| meta.modified()).is_ok_and(|modified| modified >= since);
        if !fresh {
            continue;
        }
        let benchmark_path = dir.join(folder).join("new").join("benchmark.json");
        let id = read_json(&benchmark_path)?
            .get("full_id")
            .and_then(|id| id.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| folder.to_string());
        let estimates = read_json(&estimates_path)?;
        let estimate = ["slope", "mean"].iter().find_map(|kind| {
            estimates.get(kind).and_then(|value| value.get("point_estimate")).and_then(|value| value.as_f64())
        });
        if let Some(nanoseconds) = estimate {
            results.insert(id, nanoseconds);
        }
    }
    Ok(results)
}

fn read_json(path: &Path) -> Result<serde_json::Value> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// `BENCH <name> <ns_per_iter>` lines anywhere in the test runner's output.
fn bench_lines(output: &str) -> BTreeMap<String, f64> {
    output
        .lines()
        .filter_map(|line| {
            let rest = &line[line.find("BENCH ")? + "BENCH ".len()..];
            let mut words = rest.split_whitespace();
            let name = words.next()?;
            let nanoseconds = words.next()?.parse::<f64>().ok()?;
            Some((name.to_string(), nanoseconds))
        })
        .collect()
}

fn table(native: &BTreeMap<String, f64>, wasm: &BTreeMap<String, f64>) -> String {
    let mut names: Vec<&String> = native.keys().chain(wasm.keys()).collect();
    names.sort();
    names.dedup();
    let cell = |value: Option<&f64>| value.map_or_else(|| "-".to_string(), |ns| duration(*ns));
    let mut rows = vec![["name".to_string(), "native".to_string(), "wasm (Chromium)".to_string()]];
    for name in names {
        rows.push([name.clone(), cell(native.get(name)), cell(wasm.get(name))]);
    }
    let width = |column: usize| rows.iter().map(|row| row[column].chars().count()).max().unwrap_or(0);
    let widths = [width(0), width(1), width(2)];
    let mut out = String::new();
    for row in &rows {
        out.push_str(&format!(
            "{:<w0$} | {:>w1$} | {:>w2$}\n",
            row[0],
            row[1],
            row[2],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
        ));
    }
    out
}

fn duration(nanoseconds: f64) -> String {
    if nanoseconds < 1e3 {
        format!("{nanoseconds:.0} ns")
    } else if nanoseconds < 1e6 {
        format!("{:.2} µs", nanoseconds / 1e3)
    } else if nanoseconds < 1e9 {
        format!("{:.2} ms", nanoseconds / 1e6)
    } else {
        format!("{:.2} s", nanoseconds / 1e9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bench_lines_among_other_output() {
        let output =
            "running 2 tests\nBENCH verify_station 157000.5\n  BENCH tally 42\nBENCH broken\ntest result: ok\n";
        let lines = bench_lines(output);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines["verify_station"], 157000.5);
        assert_eq!(lines["tally"], 42.0);
    }

    #[test]
    fn table_puts_native_and_wasm_side_by_side() {
        let native = BTreeMap::from([("verify".to_string(), 39_300.0)]);
        let wasm = BTreeMap::from([("verify".to_string(), 157_000.0), ("tally".to_string(), 2_500_000.0)]);
        let table = table(&native, &wasm);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], "name   |   native | wasm (Chromium)");
        assert_eq!(lines[1], "tally  |        - |         2.50 ms");
        assert_eq!(lines[2], "verify | 39.30 µs |       157.00 µs");
    }
}
