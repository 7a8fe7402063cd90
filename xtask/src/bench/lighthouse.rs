//! Lighthouse 12 (from node_modules) on the served landing page, with its
//! mobile defaults (a simulated mid-range phone on a slow 4G network).

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use crate::exec::{self, command};

use crate::tools::CHROMIUM;

pub const CATEGORIES: [&str; 4] = ["performance", "accessibility", "best-practices", "seo"];

pub struct Lighthouse {
    pub version: String,
    /// Scores out of 100 by category id; `None` when Lighthouse could not score it.
    pub scores: Vec<(String, Option<f64>)>,
    pub lcp_ms: Option<f64>,
    pub tbt_ms: Option<f64>,
    pub cls: Option<f64>,
    /// Lighthouse's own error (e.g. `NO_FCP`), when it had one.
    pub runtime_error: Option<String>,
    /// The weighted audits that did not pass, by category: what to fix.
    pub missed: Vec<(String, Vec<String>)>,
}

/// Runs Lighthouse on `url` and reads the report it writes to `out`. When
/// it gives up without a report (a page whose main thread stays blocked
/// longer than Lighthouse's 30 s protocol timeout does that), the result
/// has no scores and says why.
pub fn measure(root: &Path, url: &str, out: &Path) -> Result<Lighthouse> {
    let bin = root.join("node_modules").join(".bin").join("lighthouse");
    if let Some(parent) = out.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let _ = fs::remove_file(out);
    let mut cmd = command(&bin);
    cmd.arg(url)
        .arg("--output=json")
        .arg(format!("--output-path={}", out.display()))
        .arg(format!("--only-categories={}", CATEGORIES.join(",")))
        .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu")
        .arg("--quiet")
        .current_dir(root)
        .env("CHROME_PATH", CHROMIUM);
    println!("    $ {}", exec::shown(&cmd));
    let output = cmd.output().with_context(|| format!("could not start `{}`", exec::shown(&cmd)))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Lighthouse exits with an error when the page failed in some way, but
    // its report, when it wrote one, still says how: read it.
    if out.is_file() {
        let text = fs::read_to_string(out).with_context(|| format!("reading {}", out.display()))?;
        return parse(&text);
    }
    eprint!("{stderr}");
    Ok(Lighthouse {
        version: String::new(),
        scores: CATEGORIES.iter().map(|id| (id.to_string(), None)).collect(),
        lcp_ms: None,
        tbt_ms: None,
        cls: None,
        runtime_error: Some(failure(&stderr).unwrap_or_else(|| format!("no report ({})", output.status))),
        missed: Vec::new(),
    })
}

/// How many times [`median`] runs Lighthouse: its documentation's advice
/// ("run Lighthouse 5 times and take the median") for a score that moves
/// from one load to the next.
pub const RUNS: usize = 5;

/// [`RUNS`] runs of [`measure`] on `url`, their reports written to
/// `out_dir/<name>-<n>.json`; the run whose performance score is the
/// median, and every run's performance score in the order they ran.
pub fn median(root: &Path, url: &str, out_dir: &Path, name: &str) -> Result<(Lighthouse, Vec<Option<f64>>)> {
    let mut runs = Vec::with_capacity(RUNS);
    for n in 1..=RUNS {
        runs.push(measure(root, url, &out_dir.join(format!("{name}-{n}.json")))?);
    }
    let scores: Vec<Option<f64>> = runs.iter().map(Lighthouse::performance).collect();
    Ok((runs.swap_remove(median_index(&scores)), scores))
}

/// Which of `scores` (at least one) is their median; a run without a score
/// counts as the lowest.
fn median_index(scores: &[Option<f64>]) -> usize {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores[*a].unwrap_or(-1.0).total_cmp(&scores[*b].unwrap_or(-1.0)));
    order[order.len() / 2]
}

/// `PROTOCOL_TIMEOUT: Waiting for DevTools protocol response …` from what
/// Lighthouse printed when it gave up.
fn failure(stderr: &str) -> Option<String> {
    let message = stderr.lines().find_map(|line| line.strip_prefix("Runtime error encountered:"))?.trim();
    let code = stderr
        .lines()
        .find_map(|line| line.trim().strip_prefix("LighthouseError: "))
        .map(|code| format!("{}: ", code.trim()))
        .unwrap_or_default();
    Some(format!("{code}{message}"))
}

impl Lighthouse {
    /// The performance score, out of 100.
    pub fn performance(&self) -> Option<f64> {
        self.scores.iter().find(|(id, _)| id == "performance").and_then(|(_, score)| *score)
    }
}

pub fn parse(json: &str) -> Result<Lighthouse> {
    let report: serde_json::Value = serde_json::from_str(json).context("parsing Lighthouse's report")?;
    let audit = |id: &str| report["audits"][id]["numericValue"].as_f64();
    Ok(Lighthouse {
        version: report["lighthouseVersion"].as_str().unwrap_or("?").to_string(),
        scores: CATEGORIES
            .iter()
            .map(|id| (id.to_string(), report["categories"][id]["score"].as_f64().map(|score| (score * 100.0).round())))
            .collect(),
        lcp_ms: audit("largest-contentful-paint"),
        tbt_ms: audit("total-blocking-time"),
        cls: audit("cumulative-layout-shift"),
        runtime_error: report["runtimeError"]["code"].as_str().map(str::to_string),
        missed: CATEGORIES
            .iter()
            .map(|category| {
                let audits = report["categories"][category]["auditRefs"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|reference| reference["weight"].as_f64().is_some_and(|weight| weight > 0.0))
                    .filter_map(|reference| reference["id"].as_str())
                    .filter(|id| report["audits"][id]["score"].as_f64().is_some_and(|score| score < 1.0))
                    .map(str::to_string)
                    .collect();
                (category.to_string(), audits)
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_scores_and_the_three_web_vitals() {
        let json = r#"{"lighthouseVersion":"12.2.3",
            "categories":{"performance":{"score":0.42},"accessibility":{"score":1},
                "best-practices":{"score":0.96,"auditRefs":[{"id":"errors-in-console","weight":1},{"id":"is-on-https","weight":5},{"id":"deprecations","weight":0}]},
                "seo":{"score":null}},
            "audits":{"largest-contentful-paint":{"numericValue":5234.1},"total-blocking-time":{"numericValue":870},"cumulative-layout-shift":{"numericValue":0.012},
                "errors-in-console":{"score":0},"is-on-https":{"score":1},"deprecations":{"score":0}}}"#;
        let report = parse(json).unwrap();
        assert_eq!(report.version, "12.2.3");
        assert_eq!(report.scores[0], ("performance".to_string(), Some(42.0)));
        assert_eq!(report.scores[1].1, Some(100.0));
        assert_eq!(report.scores[3].1, None);
        assert_eq!(report.lcp_ms, Some(5234.1));
        assert_eq!(report.tbt_ms, Some(870.0));
        assert_eq!(report.cls, Some(0.012));
        assert_eq!(report.runtime_error, None);
        assert_eq!(report.missed[2], ("best-practices".to_string(), vec!["errors-in-console".to_string()]));
        assert!(report.missed[1].1.is_empty());
    }

    #[test]
    fn the_median_run_is_the_middle_score_and_a_run_without_one_counts_lowest() {
        assert_eq!(median_index(&[Some(90.0), Some(79.0), Some(93.0), Some(88.0), Some(92.0)]), 0);
        // Two runs of three without a score: the median has none.
        assert_eq!(median_index(&[None, Some(80.0), None]), 2);
        assert_eq!(median_index(&[Some(70.0)]), 0);
    }

    #[test]
    fn says_why_lighthouse_gave_up_without_a_report() {
        let stderr = "Runtime error encountered: Waiting for DevTools protocol response has exceeded the allotted time. (Method: Page.enable)\nLighthouseError: PROTOCOL_TIMEOUT\n    at file:///x/session.js:121:47\n";
        assert_eq!(
            failure(stderr).as_deref(),
            Some("PROTOCOL_TIMEOUT: Waiting for DevTools protocol response has exceeded the allotted time. (Method: Page.enable)")
        );
        assert_eq!(failure("Unable to connect to Chrome\n"), None);
    }
}
