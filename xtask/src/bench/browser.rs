//! The browser half of the bench: `tests/bench/browser.mjs` (Playwright in
//! headless Chromium) against the served app, one `BENCH-BROWSER <json>`
//! line per run, read back here.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use anyhow::{Context, Result};

use crate::exec::{self, command};
use crate::tools::CHROMIUM;

/// One navigation, as the script measured it (see its header for the fields).
#[derive(Debug, Default)]
pub struct Run {
    pub run: String,
    pub reached: bool,
    /// What "complete" meant: `data-audit`, `data-status` (the app has no
    /// data-audit yet), `view`, or `refused` (the page refused the publication).
    pub how: Option<String>,
    pub status: Option<String>,
    pub ms: Option<f64>,
    pub timeout_ms: f64,
    pub bytes: u64,
    pub worker_bytes: u64,
    pub requests: u64,
    pub unfinished: u64,
    pub publication_paths: Vec<String>,
    pub app_paths: Vec<String>,
    pub longest_task_ms: Option<f64>,
    pub long_tasks: Option<u64>,
    /// Whether the app marked the audit's start (`shafaf:audit-start`).
    pub audit_started: bool,
    /// The same, from the audit's start on.
    pub longest_task_during_audit_ms: Option<f64>,
    pub long_tasks_during_audit: Option<u64>,
    /// The longest task before the audit started: the first view.
    pub longest_task_before_audit_ms: Option<f64>,
    /// The browser's largest contentful paint until then, and its element.
    pub lcp_ms: Option<f64>,
    pub lcp_element: Option<String>,
    pub workers: u64,
    pub page_errors: Vec<String>,
    /// The page did not answer after the run: its main thread was in a task.
    pub busy: bool,
    /// Requests that failed, or (unthrottled) took 5 s or more, until then.
    pub slow_requests: Vec<SlowRequest>,
}

/// A request the report names: a stalled download shows here.
#[derive(Debug, Default, PartialEq)]
pub struct SlowRequest {
    pub path: String,
    pub ms: u64,
    /// Chromium's error, when it failed (an abandoned download: `net::ERR_ABORTED`).
    pub failure: Option<String>,
}

pub struct Options<'a> {
    pub base_url: &'a str,
    pub runs: &'a [&'a str],
    pub council: Option<&'a str>,
    pub timeout_ms: u64,
    pub audit_attribute: bool,
}

/// Runs the script; its progress goes to our output as it comes. A script
/// that fails part-way still gives the runs it finished, with the failure.
pub fn measure(root: &Path, options: &Options) -> (Vec<Run>, Option<String>) {
    let script = root.join("tests").join("bench").join("browser.mjs");
    let mut cmd = command("node");
    cmd.arg(&script)
        .current_dir(root)
        .env("SHAFAF_BASE_URL", options.base_url)
        .env("SHAFAF_CHROMIUM", CHROMIUM)
        .env("SHAFAF_BENCH_RUNS", options.runs.join(","))
        .env("SHAFAF_BENCH_COUNCIL", options.council.unwrap_or_default())
        .env("SHAFAF_BENCH_PUBLICATION", "/demo/")
        .env("SHAFAF_BENCH_TIMEOUT_MS", options.timeout_ms.to_string())
        .env("SHAFAF_BENCH_AUDIT_ATTRIBUTE", if options.audit_attribute { "1" } else { "0" })
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    println!("    $ {}", exec::shown(&cmd));
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(err) => return (Vec::new(), Some(format!("could not start node: {err}"))),
    };
    let mut output = String::new();
    for line in child.stdout.take().map(BufReader::new).into_iter().flat_map(|out| out.lines()).map_while(Result::ok) {
        println!("{line}");
        output.push_str(&line);
        output.push('\n');
    }
    let failure = match child.wait() {
        Ok(status) if status.success() => None,
        Ok(status) => Some(format!("{} failed ({status})", script.display())),
        Err(err) => Some(format!("waiting for {}: {err}", script.display())),
    };
    match parse(&output) {
        Ok(runs) => (runs, failure),
        Err(err) => (Vec::new(), Some(format!("{err:#}"))),
    }
}

/// The `BENCH-BROWSER <json>` lines among the script's output.
pub fn parse(output: &str) -> Result<Vec<Run>> {
    output
        .lines()
        .filter_map(|line| line.strip_prefix("BENCH-BROWSER "))
        .map(|json| {
            let value: serde_json::Value =
                serde_json::from_str(json).with_context(|| format!("parsing the bench line {json}"))?;
            let text = |key: &str| value[key].as_str().map(str::to_string);
            let strings = |key: &str| -> Vec<String> {
                value[key].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect()
            };
            Ok(Run {
                run: text("run").unwrap_or_default(),
                reached: value["reached"].as_bool().unwrap_or(false),
                how: text("how"),
                status: text("status"),
                ms: value["ms"].as_f64(),
                timeout_ms: value["timeout_ms"].as_f64().unwrap_or_default(),
                bytes: value["bytes"].as_u64().unwrap_or_default(),
                worker_bytes: value["worker_bytes"].as_u64().unwrap_or_default(),
                requests: value["requests"].as_u64().unwrap_or_default(),
                unfinished: value["unfinished"].as_u64().unwrap_or_default(),
                publication_paths: strings("publication_paths"),
                app_paths: strings("app_paths"),
                longest_task_ms: value["longest_task_ms"].as_f64(),
                long_tasks: value["long_tasks"].as_u64(),
                audit_started: value["audit_started"].as_bool().unwrap_or(false),
                longest_task_during_audit_ms: value["longest_task_during_audit_ms"].as_f64(),
                long_tasks_during_audit: value["long_tasks_during_audit"].as_u64(),
                longest_task_before_audit_ms: value["longest_task_before_audit_ms"].as_f64(),
                lcp_ms: value["lcp_ms"].as_f64(),
                lcp_element: text("lcp_element"),
                workers: value["workers"].as_u64().unwrap_or_default(),
                page_errors: strings("page_errors"),
                busy: value["busy"].as_bool().unwrap_or(false),
                slow_requests: value["slow_requests"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|r| SlowRequest {
                        path: r["path"].as_str().unwrap_or_default().to_string(),
                        ms: r["ms"].as_u64().unwrap_or_default(),
                        failure: r["failure"].as_str().map(str::to_string),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// Whether the built app sets `data-audit` on its status element: the
/// attribute's name is a string in its wasm or JavaScript.
pub fn app_has_audit_attribute(dist: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dist) else {
        return false;
    };
    entries.flatten().map(|entry| entry.path()).any(|path| {
        let code = path.extension().is_some_and(|ext| ext == "wasm" || ext == "js");
        code && fs::read(&path).is_ok_and(|bytes| bytes.windows(10).any(|window| window == b"data-audit"))
    })
}

/// The kinds of `files/` in a publication (docs/FORMAT.md), longest first
/// so that `geo-counties` is not read as `geo`.
const KINDS: [&str; 6] = ["geo-provinces", "geo-counties", "election", "contests", "stations", "results"];

/// The publication paths a run requested, in a line: the metadata as they
/// are, then `files/` by kind with the provinces they were for, e.g.
/// `root.json release.json | election geo-provinces contests (IR-15) results ×31 (IR-00…IR-30)`.
pub fn describe_publication_paths(paths: &[String]) -> String {
    let mut metadata = Vec::new();
    let mut kinds: Vec<(String, Vec<String>)> = Vec::new();
    for path in paths {
        let Some(name) = path.strip_prefix("files/") else {
            metadata.push(path.clone());
            continue;
        };
        let stem = name.split('.').next().unwrap_or(name);
        let (kind, province) = match KINDS.iter().find(|kind| stem.starts_with(*kind)) {
            Some(kind) => (kind.to_string(), stem[kind.len()..].strip_prefix('-').map(str::to_string)),
            None => (stem.to_string(), None),
        };
        let at = match kinds.iter().position(|(known, _)| *known == kind) {
            Some(at) => at,
            None => {
                kinds.push((kind, Vec::new()));
                kinds.len() - 1
            }
        };
        kinds[at].1.extend(province);
    }
    let files: Vec<String> = kinds
        .into_iter()
        .map(|(kind, mut provinces)| {
            provinces.sort();
            provinces.dedup();
            match provinces.as_slice() {
                [] => kind,
                few @ ([_] | [_, _] | [_, _, _]) => format!("{kind} ({})", few.join(", ")),
                [first, .., last] => format!("{kind} ×{} ({first}…{last})", provinces.len()),
            }
        })
        .collect();
    [metadata.join(" "), files.join(" ")].into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_bench_lines_among_other_output() {
        let output = concat!(
            "    desktop: /\n",
            r#"BENCH-BROWSER {"run":"phone-landing","url":"/","reached":false,"how":null,"status":"loading","ms":null,"timeout_ms":120000,"bytes":24000000,"worker_bytes":0,"requests":9,"unfinished":1,"publication_paths":["root.json","files/results-IR-15.aa.jsonl"],"app_paths":["/","/app.js"],"longest_task_ms":812,"long_tasks":3,"workers":0,"page_errors":[]}"#,
            "\n",
            r#"BENCH-BROWSER {"run":"desktop","reached":true,"how":"data-status","ms":4321.5,"bytes":10,"busy":true,"slow_requests":[{"path":"/demo/files/contests-IR-09.aa.json","ms":15004,"failure":"net::ERR_ABORTED"},{"path":"/demo/files/contests-IR-09.aa.json","ms":6100,"failure":null}]}"#,
            "\n"
        );
        let runs = parse(output).unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].run, "phone-landing");
        assert!(!runs[0].reached);
        assert_eq!(runs[0].ms, None);
        assert_eq!(runs[0].bytes, 24_000_000);
        assert_eq!(runs[0].publication_paths, ["root.json", "files/results-IR-15.aa.jsonl"]);
        assert_eq!(runs[0].longest_task_ms, Some(812.0));
        assert_eq!(runs[1].how.as_deref(), Some("data-status"));
        assert_eq!(runs[1].ms, Some(4321.5));
        assert_eq!(runs[1].longest_task_ms, None);
        assert!(!runs[0].busy && runs[1].busy);
        // A stalled download and the retry that rescued it.
        assert!(runs[0].slow_requests.is_empty());
        let path = "/demo/files/contests-IR-09.aa.json".to_string();
        assert_eq!(
            runs[1].slow_requests,
            [
                SlowRequest { path: path.clone(), ms: 15_004, failure: Some("net::ERR_ABORTED".into()) },
                SlowRequest { path, ms: 6_100, failure: None },
            ]
        );
    }

    #[test]
    fn publication_paths_read_as_kinds_and_provinces() {
        let hash = "0123456789abcdef".repeat(4);
        let mut paths: Vec<String> = vec!["root.json".into(), "release.json".into()];
        paths.push(format!("files/election.{hash}.json"));
        paths.push(format!("files/geo-counties-IR-15.{hash}.geojson"));
        paths.push(format!("files/contests-IR-15.{hash}.json"));
        for province in 0..31 {
            paths.push(format!("files/results-IR-{province:02}.{hash}.jsonl"));
        }
        assert_eq!(
            describe_publication_paths(&paths),
            "root.json release.json | election geo-counties (IR-15) contests (IR-15) results ×31 (IR-00…IR-30)"
        );
        assert_eq!(describe_publication_paths(&[]), "");
    }
}
