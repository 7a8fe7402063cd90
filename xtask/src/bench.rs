//! `cargo xtask bench`: what verification costs and what a reader gets, in
//! one report (`--only` picks parts; every figure is printed beside its
//! target with MET or NOT MET; a missed target is never an error):
//!
//! - `core`: the core's criterion benchmarks natively (`cargo bench -p
//!   shafaf-core`) and the same measurements in headless Chromium, side by side;
//! - `native`: the release CLI verifying the demo publication
//!   (`--scale national` by default), against stations × one `verify_strict` ÷ cores;
//! - `browser`: a desktop Chromium from navigation of `/` to the audit being
//!   complete, and its longest main-thread task;
//! - `phone`: a throttled phone (4× CPU, 1.6 Mbit/s, 150 ms) from navigation
//!   of `/` and of a council's `/c/<id>` to the first verified view, and the
//!   bytes and requests it took;
//! - `size`: the app's wasm and JavaScript, raw and compressed;
//! - `lighthouse`: Lighthouse 12's mobile scores of `/`, the median of five runs.
//!
//! The browser parts run `tests/bench/browser.mjs` against the app and the
//! demo served by [`crate::serve`] (compressed, as a CDN would) on a free port.
//!
//! The browser half of `core`: `cargo test -p shafaf-core --target wasm32-unknown-unknown`
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

mod browser;
mod lighthouse;
mod native;
mod report;
mod size;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use self::browser::Run;
use self::report::{bytes, seconds, thousands, Report, Section, Target};
use crate::exec::{self, cargo};
use crate::paths::Paths;
use crate::serve;
use crate::site::{self, Demo, DemoSpec, Scale};
use crate::stamp;
use crate::test::browser_env;
use crate::tools::{self, WASM_TARGET};

#[derive(Args)]
pub struct BenchArgs {
    /// Size of the demo election measured.
    #[arg(long, value_enum, default_value_t = Scale::National)]
    scale: Scale,
    /// Seed of the demo generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Run only these parts (comma-separated or repeated) [default: all].
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Part>,
    /// Seconds a browser run waits for its view before reporting it not reached.
    #[arg(long, default_value_t = 120)]
    timeout: u64,
    /// Timed runs of `shafaf verify` (the median is reported).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Folder of province and county boundaries [default: ../shared/geo].
    #[arg(long, env = "SHAFAF_GEO")]
    geo: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// The core's criterion benchmarks, natively and in headless Chromium.
    Core,
    /// `shafaf verify` on the demo, against its signatures' floor.
    Native,
    /// Desktop Chromium: navigation to a complete audit.
    Browser,
    /// A throttled phone: the landing page and a council, to the first verified view.
    Phone,
    /// The app's wasm and JavaScript, raw and compressed.
    Size,
    /// Lighthouse's mobile scores of the landing page.
    Lighthouse,
}

/// The targets the app is held to.
const NATIVE_RATIO: f64 = 1.0;
const DESKTOP_RATIO: f64 = 1.5;
const LONGEST_TASK_MS: f64 = 50.0;
const PHONE_MS: f64 = 3_000.0;
const PHONE_BYTES: f64 = 1_500_000.0;
const FIRST_VIEW_GZIP: f64 = 300_000.0;
const PERFORMANCE: f64 = 90.0;

pub fn run(paths: &Paths, args: &BenchArgs) -> Result<()> {
    let parts = if args.only.is_empty() {
        vec![Part::Core, Part::Native, Part::Browser, Part::Phone, Part::Size, Part::Lighthouse]
    } else {
        args.only.clone()
    };
    let wants = |part: Part| parts.contains(&part);
    let started = Instant::now();
    // The machine may be busy with other work: the report says how busy.
    let load =
        fs::read_to_string("/proc/loadavg").ok().and_then(|text| text.split_whitespace().next().map(str::to_string));

    println!("==> tools");
    tools::ensure_for_app(paths)?;
    tools::ensure_browser()?;

    let mut sections = Vec::new();
    if wants(Part::Core) {
        sections.push(core(paths)?);
    }
    if parts.iter().all(|part| *part == Part::Core) {
        return print_report(paths, args, sections, started, load.as_deref());
    }

    if !parts.iter().any(|part| matches!(part, Part::Native | Part::Browser | Part::Phone | Part::Lighthouse)) {
        // Sizes only: the app, without the demo.
        println!("==> the app");
        site::build_app(paths)?;
        println!("==> sizes");
        sections.push(size_section(&paths.dist(), None)?);
        return print_report(paths, args, sections, started, load.as_deref());
    }
    println!("==> the demo ({} scale, seed {}) and the app", args.scale.as_str(), args.seed);
    let spec = DemoSpec { scale: args.scale, seed: args.seed, geo: args.geo.clone().unwrap_or_else(|| paths.geo()) };
    let site = site::prepare(paths, &spec, false)?;
    let demo = Demo {
        publication: site.demo.publication.clone(),
        tampered: site.demo.tampered.clone(),
        keys: site.demo.keys.clone(),
    };

    let native = if wants(Part::Native) || wants(Part::Browser) {
        println!("==> native: shafaf verify");
        let measured = native::pin(&demo)
            .and_then(|pin| native::measure(&paths.cli_binary(), &demo.publication, &pin, args.runs.max(1)));
        if wants(Part::Native) {
            sections.push(native_section(&measured, args));
        }
        measured.ok()
    } else {
        None
    };

    let mut runs = Vec::new();
    let mut browser_failure = None;
    let mut lighthouse = None;
    if wants(Part::Browser) || wants(Part::Phone) || wants(Part::Lighthouse) {
        let audit_attribute = browser::app_has_audit_attribute(&site.dist);
        let council = first_council(&demo.publication)?;
        let mut server = serve::start(site, "127.0.0.1:0")?;
        println!("==> compressing the app and the demo for the server (once; kept in target/shafaf/compressed)");
        let compressing = Instant::now();
        server.wait_for_compression();
        println!("    {:.1} s", compressing.elapsed().as_secs_f64());

        let mut names = Vec::new();
        if wants(Part::Browser) {
            names.push("desktop");
        }
        if wants(Part::Phone) {
            names.extend(["phone-landing", "phone-landing-again", "phone-council"]);
        }
        if !names.is_empty() {
            println!("==> browser: {}", names.join(", "));
            let options = browser::Options {
                base_url: &server.url(),
                runs: &names,
                council: council.as_deref(),
                timeout_ms: args.timeout * 1000,
                audit_attribute,
            };
            let (measured, failure) = browser::measure(&paths.root, &options);
            runs = measured;
            browser_failure = failure;
        }
        if wants(Part::Lighthouse) {
            println!("==> lighthouse");
            let out = paths.work().join("bench");
            let name = format!("lighthouse-{}", args.scale.as_str());
            lighthouse =
                Some(lighthouse::median(&paths.root, &server.url(), &out, &name).map_err(|err| format!("{err:#}")));
        }
        server.stop();
        let find = |name: &str| runs.iter().find(|run| run.run == name).ok_or(browser_failure.as_deref());
        if wants(Part::Browser) {
            sections.push(desktop_section(find("desktop"), native.as_ref(), audit_attribute));
        }
        if wants(Part::Phone) {
            let summary = "[data-testid=summary]";
            sections.push(phone_section("Phone: landing page /", find("phone-landing"), summary, Visit::First));
            let again = "Phone: landing page / again, as a reader who opened it before";
            sections.push(phone_section(again, find("phone-landing-again"), summary, Visit::Again));
            let title = format!("Phone: council /c/{}", council.as_deref().unwrap_or("?"));
            sections.push(phone_section(&title, find("phone-council"), "[data-testid=candidate-table]", Visit::First));
        }
    }
    if wants(Part::Size) {
        println!("==> sizes");
        let first_view = runs.iter().find(|run| run.run == "phone-landing").or_else(|| runs.first());
        sections.push(size_section(&paths.dist(), first_view)?);
    }
    if let Some(lighthouse) = lighthouse {
        sections.push(lighthouse_section(lighthouse));
    }
    print_report(paths, args, sections, started, load.as_deref())
}

fn print_report(
    paths: &Paths,
    args: &BenchArgs,
    sections: Vec<Section>,
    started: Instant,
    load: Option<&str>,
) -> Result<()> {
    let report = Report {
        title: format!(
            "Shafaf bench: {} demo (seed {}), {} core(s){}, {:.0} s",
            args.scale.as_str(),
            args.seed,
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            load.map(|load| format!(", load average {load} at the start")).unwrap_or_default(),
            started.elapsed().as_secs_f64()
        ),
        sections,
    };
    let text = report.render();
    println!("==> report\n\n{text}");
    let out = paths.work().join("bench").join(format!("report-{}.txt", args.scale.as_str()));
    if let Some(parent) = out.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(&out, &text).with_context(|| format!("writing {}", out.display()))?;
    println!("(also in {})", out.display());
    Ok(())
}

/// The criterion benchmarks natively and in headless Chromium.
fn core(paths: &Paths) -> Result<Section> {
    tools::ensure_wasm_bindgen(paths)?;

    println!("==> core: native benchmarks (criterion)");
    let started = SystemTime::now();
    exec::run(cargo().args(["bench", "-p", "shafaf-core"]).current_dir(&paths.root))?;
    let native = criterion_results(&paths.target.join("criterion"), started)?;

    println!("==> core: wasm benchmarks (headless Chromium)");
    let mut cmd = cargo();
    cmd.args(["test", "-p", "shafaf-core", "--target", WASM_TARGET])
        .args(["--profile", "wasm-release"])
        .args(["--", "--nocapture", "bench"])
        .env("SHAFAF_BENCH", "1")
        .current_dir(&paths.root);
    browser_env(paths, &mut cmd)?;
    let output = exec::run_teeing(&mut cmd)?;
    let wasm = bench_lines(&output);

    let mut section = Section::new("Core benchmarks (criterion natively | wasm in Chromium)");
    for line in table(&native, &wasm).lines() {
        section.line(line);
    }
    if wasm.is_empty() {
        section.note("no `BENCH <name> <ns>` lines: the core has no wasm bench test yet (see xtask/src/bench.rs)");
    }
    Ok(section)
}

fn native_section(native: &Result<native::Native>, args: &BenchArgs) -> Section {
    let mut section = Section::new(format!("Native: shafaf verify <{} demo> --root-sha256 <pin>", args.scale.as_str()));
    let native = match native {
        Ok(native) => native,
        Err(err) => {
            section.note(format!("not measured: {err:#}"));
            return section;
        }
    };
    section.row("stations (device signatures verified)", thousands(native.stations));
    section.row("cores", native.cores.to_string());
    section.row(format!("wall time (median of {})", native.runs), seconds(native.wall.as_secs_f64()));
    section.row(
        "CPU time (user + system)",
        native.cpu.map_or_else(|| "n/a".to_string(), |cpu| seconds(cpu.as_secs_f64())),
    );
    section.row("one verify_strict (this run)", micros(native.verify_strict));
    section.row("stations × verify_strict ÷ cores", seconds(native.floor().as_secs_f64()));
    let ratio = native.ratio();
    section.target(
        "native ÷ (stations × verify_strict ÷ cores)",
        format!("{ratio:.2}"),
        Target::at_most(Some(ratio), NATIVE_RATIO, "1.0"),
    );
    if native.status != "verified" {
        section.note(format!("the CLI's verdict was `{}`", native.status));
    }
    section.note(
        "verify_strict timed in xtask through shafaf_core::PublicKey::verify (600-byte message, best of 5 × 2,000)",
    );
    section
}

/// A run of the browser script, or why there is none.
type Measured<'a> = Result<&'a Run, Option<&'a str>>;

fn no_result(section: &mut Section, failure: Option<&str>) {
    section.note(format!("no result from the browser script{}", failure.map(|f| format!(": {f}")).unwrap_or_default()));
}

fn desktop_section(run: Measured, native: Option<&native::Native>, audit_attribute: bool) -> Section {
    let mut section = Section::new("Browser, desktop (no throttling): / to a complete audit");
    let run = match run {
        Ok(run) => run,
        Err(failure) => {
            no_result(&mut section, failure);
            return section;
        }
    };
    let ms = reached_ms(run);
    section.row("navigation to complete", shown_time(run));
    let ratio = ms.zip(native).map(|(ms, native)| ms / 1e3 / native.wall.as_secs_f64());
    section.target(
        "÷ native wall time",
        ratio.map_or_else(|| "n/a".to_string(), |ratio| format!("{ratio:.2}")),
        Target::at_most(if run.reached { ratio } else { Some(f64::INFINITY) }, DESKTOP_RATIO, "1.5"),
    );
    // The target is the audit's; the first view's tasks are reported beside it.
    let (label, longest, count) = if run.audit_started {
        ("longest main-thread task during the audit", run.longest_task_during_audit_ms, run.long_tasks_during_audit)
    } else {
        ("longest main-thread task", run.longest_task_ms, run.long_tasks)
    };
    section.target(
        label,
        longest.map_or_else(|| "n/a".to_string(), |ms| format!("{ms:.0} ms ({} over 50 ms)", count.unwrap_or(0))),
        Target::at_most(longest, LONGEST_TASK_MS, "50 ms"),
    );
    if let Some(ms) = run.longest_task_before_audit_ms {
        section.row("longest main-thread task before it (the first view)", format!("{ms:.0} ms"));
    }
    section.row("transferred", format!("{} in {} requests", bytes(run.bytes), run.requests));
    match run.how.as_deref() {
        Some("data-status") => {
            section.note("the app sets no data-audit yet: complete = the first moment data-status left `loading`")
        }
        Some("refused") => section.note(format!("the page refused the publication: status {:?}", run.status)),
        _ => {}
    }
    if !audit_attribute && run.how.as_deref() != Some("data-status") && !run.reached {
        section.note("the app sets no data-audit yet: waited for data-status to leave `loading`");
    }
    common_notes(&mut section, run, false);
    section
}

/// Whether a phone run is a reader's first visit (what the targets are for)
/// or a visit after one, with the browser's cache and service worker.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    First,
    Again,
}

fn phone_section(title: &str, run: Measured, selector: &str, visit: Visit) -> Section {
    let mut section = Section::new(format!("{title} (4× CPU, 1.6 Mbit/s, 150 ms RTT, 390×844)"));
    let run = match run {
        Ok(run) => run,
        Err(failure) => {
            no_result(&mut section, failure);
            return section;
        }
    };
    let transferred =
        if run.reached { "transferred until then (compressed)" } else { "transferred until timeout (compressed)" };
    match visit {
        Visit::First => {
            section.target(
                "navigation to first verified view",
                shown_time(run),
                Target::at_most(Some(reached_ms(run).unwrap_or(f64::INFINITY)), PHONE_MS, "3 s"),
            );
            section.target(
                transferred,
                bytes(run.bytes),
                Target::at_most(Some(run.bytes as f64), PHONE_BYTES, "1.5 MB"),
            );
        }
        // The targets are a first visit's: a visit after one is reported beside them.
        Visit::Again => {
            section.row("navigation to verified view", shown_time(run));
            section.row(transferred, bytes(run.bytes));
        }
    }
    section.row(
        "requests",
        format!(
            "{} ({} app, {} publication; {} unfinished)",
            run.requests,
            run.app_paths.len(),
            run.publication_paths.len(),
            run.unfinished
        ),
    );
    section.row("publication files", browser::describe_publication_paths(&run.publication_paths));
    section.row(
        "longest main-thread task",
        match run.longest_task_ms {
            Some(ms) => format!("{ms:.0} ms (throttled)"),
            None if run.busy => "still running at the timeout".to_string(),
            None => "n/a".to_string(),
        },
    );
    if let Some(ms) = run.lcp_ms {
        let element = run.lcp_element.as_deref().unwrap_or("?");
        section.row("largest contentful paint (the browser's)", format!("{} on {element}", seconds(ms / 1000.0)));
    }
    section.note(format!("view = data-status verified or verified_with_findings, and {selector} visible"));
    if visit == Visit::Again {
        section.note(
            "opened once before in the same browser, unmeasured: its HTTP cache keeps the app and the content-addressed \
             files, and what may change is asked again (the service worker is blocked: it fetches network first, and \
             Chromium would neither throttle nor count its requests)",
        );
    }
    common_notes(&mut section, run, true);
    section
}

fn common_notes(section: &mut Section, run: &Run, throttled: bool) {
    if run.busy {
        section.note("the page's main thread did not answer within 10 s of the timeout: one task was still running");
    } else if let Some(status) = run.status.as_deref().filter(|_| !run.reached) {
        section.note(format!("status when it stopped: {status}"));
    }
    if run.workers > 0 {
        section.note(format!("{} worker(s), which fetched {} of it", run.workers, bytes(run.worker_bytes)));
        if throttled {
            section.note(
                "Chromium throttles a worker's network but not its CPU (Emulation.setCPUThrottlingRate is for \
                 pages only): the worker ran at this machine's speed",
            );
        }
    }
    for error in &run.page_errors {
        section.note(format!("page error: {error}"));
    }
    for slow in &run.slow_requests {
        let failure = slow.failure.as_deref().map(|f| format!(", {f}")).unwrap_or_default();
        section.note(format!("slow request: {} took {}{failure}", slow.path, seconds(slow.ms as f64 / 1e3)));
    }
}

fn size_section(dist: &Path, first_view: Option<&Run>) -> Result<Section> {
    let assets = size::assets(dist)?;
    let mut section = Section::new("Sizes: wasm and JavaScript in dist/ (raw / gzip / brotli, as served)");
    let weight = |raw: u64, gzip: u64, brotli: u64| format!("{} / {} / {}", bytes(raw), bytes(gzip), bytes(brotli));
    let (packs, assets_but_packs): (Vec<&size::Asset>, Vec<&size::Asset>) =
        assets.iter().partition(|asset| crate::split::is_pack(&asset.name));
    let (chunks, files): (Vec<&size::Asset>, Vec<&size::Asset>) =
        assets_but_packs.into_iter().partition(|asset| crate::split::is_chunk(&asset.name));
    for asset in &files {
        section.row(asset.name.clone(), weight(asset.raw, asset.gzip, asset.brotli));
    }
    if let Some(largest) = chunks.iter().max_by_key(|asset| asset.gzip) {
        let sum = |of: fn(&size::Asset) -> u64| chunks.iter().map(|asset| of(asset)).sum::<u64>();
        section.row(
            format!("the views' chunks ({} files, fetched as views open)", chunks.len()),
            weight(sum(|a| a.raw), sum(|a| a.gzip), sum(|a| a.brotli)),
        );
        section.row(format!("largest chunk: {}", largest.name), weight(largest.raw, largest.gzip, largest.brotli));
    }
    if let Some(largest) = packs.iter().max_by_key(|asset| asset.gzip) {
        section.row(
            format!("largest of the views' packs ({} files, a deep link's view in one download)", packs.len()),
            format!("{}: {}", largest.name, weight(largest.raw, largest.gzip, largest.brotli)),
        );
    }
    // The first view's code: what the browser run fetched from dist/, else what index.html loads.
    let (names, source): (Vec<String>, &str) = match first_view {
        Some(run) => (
            run.app_paths.iter().map(|path| path.trim_start_matches('/').to_string()).collect(),
            if run.reached {
                "requested by the browser run until its view"
            } else {
                "requested by the browser run until its timeout"
            },
        ),
        None => (size::referenced_by_index(dist), "loaded by index.html (run `phone` to count a worker too)"),
    };
    let needed: Vec<&size::Asset> = assets.iter().filter(|asset| names.contains(&asset.name)).collect();
    let gzip: u64 = needed.iter().map(|asset| asset.gzip).sum();
    let brotli: u64 = needed.iter().map(|asset| asset.brotli).sum();
    section.target(
        format!("first view's wasm + JS, gzip ({} files)", needed.len()),
        format!("{} (brotli {})", bytes(gzip), bytes(brotli)),
        Target::at_most(Some(gzip as f64), FIRST_VIEW_GZIP, "300 kB"),
    );
    section.note(format!("first view = the wasm and JS {source}"));
    Ok(section)
}

fn lighthouse_section(result: Result<(lighthouse::Lighthouse, Vec<Option<f64>>), String>) -> Section {
    let mut section = Section::new("Lighthouse (mobile defaults) on /");
    let (report, performance) = match result {
        Ok(runs) => runs,
        Err(err) => {
            section.note(format!("Lighthouse did not run: {err}"));
            return section;
        }
    };
    let no_report = report.scores.iter().all(|(_, score)| score.is_none());
    for (category, score) in &report.scores {
        let value = score
            .map_or_else(|| if no_report { "no report" } else { "n/a" }.to_string(), |score| format!("{score:.0}"));
        match category.as_str() {
            "performance" => section.target(category.clone(), value, Target::at_least(*score, PERFORMANCE, "90")),
            "accessibility" | "best-practices" => {
                section.target(category.clone(), value, Target::at_least(*score, 100.0, "100"))
            }
            _ => section.row(category.clone(), value),
        }
    }
    let ms = |value: Option<f64>| value.map_or_else(|| "n/a".to_string(), |ms| seconds(ms / 1e3));
    section.row("largest contentful paint", ms(report.lcp_ms));
    section.row("total blocking time", ms(report.tbt_ms));
    section.row("cumulative layout shift", report.cls.map_or_else(|| "n/a".to_string(), |cls| format!("{cls:.3}")));
    section.note(
        "the largest paint is index.html's explanation, shown while the app downloads (the phone sections name \
         it): Lighthouse estimates it from an unthrottled load with every download that ended before that paint, \
         which on loopback mostly includes the app's main module (about 3.0 s) and sometimes not (about 1.1 s); \
         the figures come at the phone sections' first verified view",
    );
    for (category, audits) in
        report.missed.iter().filter(|(category, audits)| category != "performance" && !audits.is_empty())
    {
        section.note(format!("{category} audits not passed: {}", audits.join(", ")));
    }
    let scores: Vec<String> =
        performance.iter().map(|score| score.map_or_else(|| "none".to_string(), |s| format!("{s:.0}"))).collect();
    section.note(format!(
        "the run with the median performance score of {} (scores in the order run: {}); its figures and \
         report are that run's",
        lighthouse::RUNS,
        scores.join(", ")
    ));
    if !report.version.is_empty() {
        section.note(format!("Lighthouse {}", report.version));
    }
    if let Some(error) = &report.runtime_error {
        section.note(format!("Lighthouse's runtime error: {error}"));
    }
    if report.runtime_error.as_deref().is_some_and(|error| error.starts_with("PROTOCOL_TIMEOUT")) {
        section.note(
            "Lighthouse gives up when the page does not answer its DevTools commands for 30 s (a blocked main thread)",
        );
    }
    section
}

/// The run's time when it reached its view.
fn reached_ms(run: &Run) -> Option<f64> {
    run.ms.filter(|_| run.reached)
}

fn shown_time(run: &Run) -> String {
    match (run.reached, run.ms, run.how.as_deref()) {
        (true, Some(ms), _) => seconds(ms / 1e3),
        (false, Some(ms), Some("refused")) => format!("refused after {}", seconds(ms / 1e3)),
        _ => format!("not reached in {}", seconds(run.timeout_ms / 1e3)),
    }
}

fn micros(duration: Duration) -> String {
    format!("{:.1} µs", duration.as_secs_f64() * 1e6)
}

/// The first council of the publication's first contests file, for the
/// deep-link run; `None` when the release lists none.
fn first_council(publication: &Path) -> Result<Option<String>> {
    let release_path = publication.join("release.json");
    let release = read_json(&release_path)?;
    let Some(contests) = release["files"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|file| file["kind"] == "contests")
        .and_then(|file| file["path"].as_str())
    else {
        return Ok(None);
    };
    let contests = read_json(&publication.join(contests))?;
    Ok(contests["contests"][0]["id"].as_str().map(str::to_string))
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
