//! The election statistics on the demo election: their chi-square tests
//! agree with SciPy's on the same counts, the anomalies the demo injected
//! show up where they were injected, and the whole country's statistics take
//! well under a second.
//!
//! The SciPy comparison runs Python: `$SHAFAF_PYTHON`, else the virtual
//! environment `cargo xtask test` makes (`target/shafaf/py`), else `python3`.
//! Without SciPy it fails and says how to get it: a reference test that
//! skips itself quietly would pass without checking anything.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/demo.rs"]
mod demo;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use shafaf_core::demo::{Anomaly, AnomalyKind, RELEASE_ISSUED};
use shafaf_core::stats::*;
use shafaf_core::summary::Ratio;
use shafaf_core::verify::{verify_publication, TrustAnchor, VerifiedElection};

struct Lorestan {
    anomalies: Vec<Anomaly>,
    verified: VerifiedElection,
}

fn lorestan() -> &'static Lorestan {
    static DEMO: OnceLock<Lorestan> = OnceLock::new();
    DEMO.get_or_init(|| {
        let d = demo::lorestan();
        let verified = verify_publication(&d.publication, &TrustAnchor::pinned(d.root_sha256), RELEASE_ISSUED)
            .unwrap_or_else(|f| panic!("the Lorestan demo does not verify: {:?}", f.findings));
        Lorestan { anomalies: d.anomalies, verified }
    })
}

fn points() -> Vec<StationPoint<'static>> {
    station_points(Scope::of_election(&lorestan().verified, Region::All).stations())
}

/// The stuffed stations of the answer key, in station order.
fn stuffed() -> Vec<&'static str> {
    let anomalies = lorestan().anomalies.iter().filter(|a| a.kind == AnomalyKind::BallotStuffing);
    let mut stations: Vec<&str> = anomalies.filter_map(|a| a.station.as_deref()).collect();
    stations.sort_unstable();
    stations
}

// ---- SciPy ----------------------------------------------------------------

const SCIPY: &str = r#"
import json, sys
try:
    import scipy
    from scipy.stats import chisquare
except ImportError as e:
    sys.stderr.write(f"{e}\n")
    sys.exit(3)
cases = json.load(sys.stdin)
out = [[float(r.statistic), float(r.pvalue)] for r in (chisquare(c["observed"], c["expected"]) for c in cases)]
print(json.dumps({"scipy": scipy.__version__, "results": out}))
"#;

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("SHAFAF_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/shafaf/py/bin/python"));
    if venv.exists() {
        return venv;
    }
    PathBuf::from("python3")
}

const HOW_TO_GET_SCIPY: &str = "`cargo xtask test` installs SciPy in target/shafaf/py and passes it to the tests \
     as SHAFAF_PYTHON; or point SHAFAF_PYTHON at a Python that has scipy";

/// `scipy.stats.chisquare(observed, expected)` for each test: (statistic, p-value).
fn scipy_chisquare(tests: &[&DigitTest]) -> (String, Vec<(f64, f64)>) {
    let python = python();
    let cases: Vec<serde_json::Value> =
        tests.iter().map(|t| serde_json::json!({"observed": t.observed, "expected": t.expected})).collect();
    let mut child = Command::new(&python)
        .args(["-c", SCIPY])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {} ({e}): {HOW_TO_GET_SCIPY}", python.display()));
    let input = serde_json::to_vec(&cases).expect("JSON");
    child.stdin.take().expect("stdin").write_all(&input).expect("writing to Python");
    let out = child.wait_with_output().expect("waiting for Python");
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => {}
        Some(3) => panic!("{} has no SciPy ({}): {HOW_TO_GET_SCIPY}", python.display(), stderr.trim()),
        _ => panic!("{} failed ({}): {stderr}", python.display(), out.status),
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("Python's JSON");
    let results = v["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| (r[0].as_f64().expect("statistic"), r[1].as_f64().expect("p-value")))
        .collect();
    (v["scipy"].as_str().unwrap_or("?").to_owned(), results)
}

fn relative_difference(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / a.abs().max(b.abs())
    }
}

#[test]
fn chi_square_tests_agree_with_scipy_on_the_lorestan_demo() {
    let points = points();
    let mut tests = Vec::new();
    for (source, name) in [
        (CountSource::CandidateVotes, "candidate votes"),
        (CountSource::RankVotes(1), "rank-1 votes"),
        (CountSource::BallotsCast, "ballots cast"),
    ] {
        let counts = digit_counts(&points, source);
        for test in [last_digit_test(counts.iter().copied()), second_digit_test(counts.iter().copied())] {
            tests.push((name, test.expect("the demo has counts of 10 or more")));
        }
    }
    // And in the far tail: every 10th, then every 4th rank-1 count made to end in 0.
    let rank1 = digit_counts(&points, CountSource::RankVotes(1));
    for (every, name) in [(10, "rank-1 votes, every 10th rounded"), (4, "rank-1 votes, every 4th rounded")] {
        let rounded = rank1.iter().enumerate().map(|(i, &c)| if i % every == 0 { c / 10 * 10 } else { c });
        tests.push((name, last_digit_test(rounded).expect("counts")));
    }
    let (version, reference) = scipy_chisquare(&tests.iter().map(|(_, t)| t).collect::<Vec<_>>());
    assert_eq!(reference.len(), tests.len());
    for ((name, ours), (statistic, p)) in tests.iter().zip(reference) {
        let (ds, dp) = (relative_difference(ours.chi_square, statistic), relative_difference(ours.p_value, p));
        eprintln!(
            "{:?} of {name} (n = {}): χ² = {:.12} (SciPy {version}: {statistic:.12}; rel. diff. {ds:.1e}), \
             p = {:.12e} (SciPy: {p:.12e}; rel. diff. {dp:.1e}); mean digit {:.4} (expected {:.4} ± {:.4})",
            ours.kind,
            ours.counts,
            ours.chi_square,
            ours.p_value,
            ours.mean,
            ours.expected_mean,
            ours.mean_standard_error
        );
        assert!(ds < 1e-9, "{name}: χ² {} vs {statistic}", ours.chi_square);
        assert!(dp < 1e-9, "{name}: p {} vs {p}", ours.p_value);
    }
}

// ---- The injected anomalies ---------------------------------------------------

#[test]
fn stuffed_stations_are_listed_as_landslides() {
    let points = points();
    let stuffed = stuffed();
    assert!((2..=3).contains(&stuffed.len()), "{:?}", lorestan().anomalies);
    let listed = outliers(&points, &OutlierRules::default());
    for station in &stuffed {
        let o = listed
            .iter()
            .find(|o| o.point.station_id().as_str() == *station)
            .unwrap_or_else(|| panic!("stuffed station {station} is not listed"));
        assert!(o.reasons.iter().any(|r| matches!(r, Reason::Landslide { .. })), "{station}: {:?}", o.reasons);
        // Ballots filled in for one candidate name few others.
        assert!(o.reasons.iter().any(|r| matches!(r, Reason::SeatsFilledLow { .. })), "{station}: {:?}", o.reasons);
    }
    // No ordinary station is a landslide: the list's first reason points at the answer key.
    let landslides: Vec<&str> = listed
        .iter()
        .filter(|o| o.reasons.iter().any(|r| matches!(r, Reason::Landslide { .. })))
        .map(|o| o.point.station_id().as_str())
        .collect();
    assert_eq!(landslides, stuffed);
    for o in &listed {
        eprintln!("listed {}: {:?}", o.point.station_id(), o.reasons);
    }
}

#[test]
fn stuffed_stations_stand_out_in_the_fingerprint() {
    let points = points();
    let stuffed = stuffed();
    // On a 20 × 20 grid the top-right cell is turnout ≥ 95% and the winner's share ≥ 95%.
    let f = fingerprint(&points, Measure::RankShare(1), 20);
    assert_eq!(f.get(19, 19), stuffed.len() as u64, "the corner holds the stuffed stations and nothing else");
    let corner = |p: &StationPoint<'_>| {
        let (t, s) = (p.turnout.expect("turnout"), p.rank_share(1).expect("share"));
        t.num * 100 >= t.den * 95 && s.num * 100 >= s.den * 95
    };
    let in_corner: Vec<&str> = points.iter().filter(|p| corner(p)).map(|p| p.station_id().as_str()).collect();
    assert_eq!(in_corner, stuffed);
    // In the wider region (both ≥ 90%) they are still there, with a few ordinary
    // villages where the top candidate is on (nearly) every ballot, and none is
    // more than a handful: the corner is empty but for them.
    let wide = |p: &StationPoint<'_>| {
        p.turnout_value().unwrap_or(0.0) >= 0.9 && p.rank_share(1).is_some_and(|s| s.value() >= 0.9)
    };
    let in_wide: Vec<&str> = points.iter().filter(|p| wide(p)).map(|p| p.station_id().as_str()).collect();
    assert!(stuffed.iter().all(|s| in_wide.contains(s)), "{in_wide:?}");
    assert!(in_wide.len() <= stuffed.len() + 5, "{in_wide:?}");
    eprintln!("turnout ≥ 90% and winner's share ≥ 90%: {in_wide:?} (stuffed: {stuffed:?})");
    // The stuffed stations are far from the cloud: the mean ordinary station is near 60% / 40%.
    let ordinary: Vec<&StationPoint<'_>> =
        points.iter().filter(|p| !stuffed.contains(&p.station_id().as_str())).collect();
    let mean_turnout = ordinary.iter().filter_map(|p| p.turnout_value()).sum::<f64>() / ordinary.len() as f64;
    assert!((0.4..0.8).contains(&mean_turnout), "{mean_turnout}");
}

#[test]
fn the_full_turnout_contest_has_100_percent_at_every_station() {
    let l = lorestan();
    let full: Vec<&Anomaly> = l.anomalies.iter().filter(|a| a.kind == AnomalyKind::FullTurnout).collect();
    assert_eq!(full.len(), 1);
    let contest = shafaf_core::model::Id::new(full[0].contest.clone()).expect("contest id");
    let scope = Scope::of_election(&l.verified, Region::Contest(contest));
    let points = station_points(scope.stations());
    assert!(!points.is_empty());
    for p in &points {
        assert_eq!(p.turnout, Some(Ratio { num: p.eligible, den: p.eligible }), "{}", p.station_id());
    }
    let regions = turnout_by_region(&scope, scope.child_level());
    assert_eq!(regions.len(), 1);
    assert_eq!(regions[0].turnout().map(|r| r.num == r.den), Some(true));
    // Listed, for that reason.
    let listed = outliers(&points, &OutlierRules::default());
    assert_eq!(listed.len(), points.len());
    assert!(listed
        .iter()
        .all(|o| o.reasons.contains(&Reason::FullTurnout { cast: o.point.eligible, eligible: o.point.eligible })));
    // Over the whole province, no ordinary station reaches 100% (a stuffed one may).
    let stuffed = stuffed();
    let at_full: Vec<&str> = self::points()
        .iter()
        .filter(|p| p.turnout.is_some_and(|t| t.num >= t.den))
        .map(|p| p.station_id().as_str())
        .filter(|s| !stuffed.contains(s))
        .collect();
    assert_eq!(at_full, points.iter().map(|p| p.station_id().as_str()).collect::<Vec<_>>());
}

#[test]
fn the_demo_digits_and_percentages_look_honest() {
    // The demo's ordinary counts are made by arithmetic, not by hand: neither
    // digit test nor the whole-percentage count should flag them.
    let points = points();
    let votes = digit_counts(&points, CountSource::CandidateVotes);
    let last = last_digit_test(votes.iter().copied()).expect("counts");
    let second = second_digit_test(votes.iter().copied()).expect("counts");
    assert!(last.p_value > 0.001 && second.p_value > 0.001, "{last:?} {second:?}");
    assert!(last.approximation_ok && second.approximation_ok);
    let whole = integer_percent_turnout(&points);
    assert!(whole.excess_p_value.is_some_and(|p| p > 0.001), "{whole:?}");
    // Stations close between 20:00 and 24:00.
    let closing = closing_times(&points, 60).expect("stations");
    assert_eq!(closing.stations.iter().sum::<u64>(), points.len() as u64);
    assert!(closing.stations.len() <= 5, "{closing:?}");
}

// ---- Speed ------------------------------------------------------------------

/// Everything the statistics page computes for a region.
fn all_statistics(points: &[StationPoint<'_>]) -> usize {
    let mut work = 0;
    work += fingerprint(points, Measure::RankShare(1), 50).total() as usize;
    work += fingerprint(points, Measure::TopShare, 50).total() as usize;
    work += turnout_histogram(points, 100).total() as usize;
    work += histogram(points, Measure::SeatsFilled, 50).total() as usize;
    work += closing_times(points, 15).map_or(0, |h| h.stations.len());
    let votes = digit_counts(points, CountSource::CandidateVotes);
    work += last_digit_test(votes.iter().copied()).map_or(0, |t| t.counts as usize);
    work += second_digit_test(votes.iter().copied()).map_or(0, |t| t.counts as usize);
    work += integer_percent_turnout(points).stations as usize;
    work += outliers(points, &OutlierRules::default()).len();
    work
}

#[test]
fn a_nation_of_stations_takes_well_under_a_second() {
    // The national demo has about 65,000 stations; the Lorestan demo's 1,424,
    // over and over, are as much work without signing 65,000 results first.
    let l = lorestan();
    let scope = Scope::of_election(&l.verified, Region::All);
    let pairs: Vec<Pair<'_>> = scope.stations().collect();
    let start = Instant::now();
    let points = station_points(pairs.iter().copied().cycle().take(65_000));
    let work = all_statistics(&points);
    let regions = turnout_by_region(&scope, Level::County).len();
    let elapsed = start.elapsed();
    eprintln!(
        "65,000 stations: points and every statistic in {elapsed:.2?} ({work} units of work, {regions} counties)"
    );
    assert_eq!(points.len(), 65_000);
    // Unoptimised test builds are several times slower than the release build.
    let limit = if cfg!(debug_assertions) { Duration::from_secs(5) } else { Duration::from_millis(500) };
    assert!(elapsed < limit, "{elapsed:?}");
}

/// The real national demo, in a release build (`cargo test --release -p
/// shafaf-core --test stats`): signing and verifying it takes minutes in debug.
#[test]
#[cfg_attr(debug_assertions, ignore = "slow in debug builds: run with --release")]
fn the_national_demo_statistics_take_well_under_a_second() {
    use shafaf_core::demo::{generate, DemoOptions, GeoInput, Scale};
    let dir = std::env::var_os("SHAFAF_GEO")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/geo")));
    let read = |p: PathBuf| std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut counties: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("counties"))
        .expect("counties folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "geojson"))
        .map(|p| (p.file_stem().and_then(|s| s.to_str()).expect("name").to_owned(), read(p.clone())))
        .collect();
    counties.sort();
    let geo = GeoInput {
        provinces_csv: String::from_utf8(read(dir.join("provinces-2016.csv"))).expect("UTF-8"),
        counties_csv: String::from_utf8(read(dir.join("counties-2016.csv"))).expect("UTF-8"),
        provinces_geojson: read(dir.join("provinces.geojson")),
        counties_geojson: counties,
    };
    let d = generate(&geo, &DemoOptions { seed: 1, scale: Scale::National, tamper: false }).expect("demo");
    let v = verify_publication(&d.publication, &TrustAnchor::pinned(d.root_sha256), RELEASE_ISSUED).expect("verifies");
    let start = Instant::now();
    let scope = Scope::of_election(&v, Region::All);
    let points = station_points(scope.stations());
    let work = all_statistics(&points);
    let regions = turnout_by_region(&scope, Level::Province).len();
    let elapsed = start.elapsed();
    eprintln!(
        "national demo, {} stations: every statistic in {elapsed:.2?} ({work}, {regions} provinces)",
        points.len()
    );
    assert!(elapsed < Duration::from_millis(500), "{elapsed:?}");
    // Every province's stuffed stations are landslides in the national list too.
    let listed = outliers(&points, &OutlierRules::default());
    for a in d.anomalies.iter().filter(|a| a.kind == AnomalyKind::BallotStuffing) {
        let station = a.station.as_deref().expect("station");
        assert!(
            listed.iter().any(|o| o.point.station_id().as_str() == station
                && o.reasons.iter().any(|r| matches!(r, Reason::Landslide { .. }))),
            "{station}"
        );
    }
}

#[test]
fn the_verified_demo_keeps_its_boundaries_and_every_county_has_a_shape() {
    let verified = &lorestan().verified;
    let national = verified.boundaries.province_map().expect("the demo publishes provinces").unwrap();
    assert_eq!(national.regions.len(), 31);
    let counties = verified.boundaries.county_map("IR-15").expect("the demo publishes Lorestan's counties").unwrap();
    let described = verified.election.provinces.iter().find(|p| p.code.as_str() == "IR-15").unwrap();
    for county in &described.counties {
        assert!(counties.region(county.code.as_str()).is_some(), "county {} has no shape", county.code);
    }
    assert!(verified.boundaries.county_map("IR-16").is_none());
}
