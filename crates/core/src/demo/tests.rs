//! Tests of the demo generator against the real geo inputs: `$SHAFAF_GEO`,
//! or `../shared/geo` beside the repository.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use super::*;
use crate::findings::{ArithmeticCheck, Finding};
use crate::format::FileKind;
use crate::verify::{verify_publication, Status, TrustAnchor, VerifiedElection};

fn geo_dir() -> PathBuf {
    match std::env::var_os("SHAFAF_GEO") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/geo")),
    }
}

fn read(path: PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn geo_input() -> &'static GeoInput {
    static INPUT: OnceLock<GeoInput> = OnceLock::new();
    INPUT.get_or_init(|| {
        let dir = geo_dir();
        let text = |name: &str| String::from_utf8(read(dir.join(name))).expect("UTF-8 CSV");
        let mut counties: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("counties"))
            .expect("counties folder")
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "geojson"))
            .map(|p| {
                let code = p.file_stem().and_then(|s| s.to_str()).expect("file name").to_owned();
                (code, read(p))
            })
            .collect();
        counties.sort();
        GeoInput {
            provinces_csv: text("provinces-2016.csv"),
            counties_csv: text("counties-2016.csv"),
            provinces_geojson: read(dir.join("provinces.geojson")),
            counties_geojson: counties,
        }
    })
}

fn lorestan(seed: u64, tamper: bool) -> Demo {
    generate(geo_input(), &DemoOptions { seed, scale: Scale::Lorestan, tamper }).expect("demo")
}

/// The seed-1 Lorestan demo, made once for the tests that only read it.
fn lorestan_1() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| lorestan(1, false))
}

fn verify(demo: &Demo) -> VerifiedElection {
    let now = RELEASE_ISSUED + Duration::days(1);
    match verify_publication(&demo.publication, &TrustAnchor::pinned(demo.root_sha256), now) {
        Ok(v) => v,
        Err(f) => panic!("does not verify: {:#?}", &f.findings[..f.findings.len().min(10)]),
    }
}

/// A province's voters in `provinces-2016.csv`.
fn census_voters(province: &str) -> u64 {
    geo::provinces(&geo_input().provinces_csv).expect("CSV").iter().find(|p| p.code == province).map_or(0, |p| p.voters)
}

#[test]
fn lorestan_demo_verifies_against_the_pinned_root_with_no_findings() {
    let demo = lorestan_1();
    let v = verify(demo);
    assert_eq!(v.status(), Status::Verified);
    assert!(v.findings.is_empty(), "{:?}", v.findings);
    assert!(v.election.demo);
    assert_eq!(v.election.id.as_str(), ELECTION_ID);
    assert_eq!(v.provinces.len(), 1);
    assert_eq!(v.election.provinces[0].counties.len(), 11);
    assert_eq!(v.audit.contests_matching, v.audit.contests_recounted);
    assert_eq!(v.audit.station_signatures_verified, v.audit.stations_registered);
    assert_eq!(demo.root_keys.len(), 3);
    assert_eq!(demo.publisher_keys.len(), 2);
}

#[test]
fn lorestan_has_its_census_voters_and_about_1400_stations() {
    let v = verify(lorestan_1());
    let p = &v.provinces[0];
    let eligible: u64 = p.contests.iter().map(|c| c.contest.eligible).sum();
    assert_eq!(eligible, 1_254_901);
    assert_eq!(census_voters(LORESTAN), 1_254_901);
    let stations = p.stations.len();
    eprintln!("Lorestan: {stations} stations, {} contests", p.contests.len());
    assert!((1_300..=1_600).contains(&stations), "{stations} stations");

    let urban: u64 =
        p.contests.iter().filter(|c| c.contest.kind == ContestKind::City).map(|c| c.contest.eligible).sum();
    let share = urban as f64 / eligible as f64;
    assert!((0.6..=0.8).contains(&share), "urban share {share}");
    // Every county has its seat city, named after it, as contest C01.
    for county in &v.election.provinces[0].counties {
        let seat = p
            .contests
            .iter()
            .find(|c| c.contest.id.as_str() == format!("{LORESTAN}-{}-C01", county.code))
            .expect("seat city");
        assert_eq!(seat.contest.name, county.name);
    }
    // Place names are unique within a county, and so are candidate names.
    let mut places: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut people: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in &p.contests {
        assert!(places.entry(&c.contest.county).or_default().insert(&c.contest.name.fa));
        for k in &c.contest.candidates {
            assert!(people.entry(&c.contest.county).or_default().insert(&k.name.fa), "{}", k.name.fa);
        }
    }
}

#[test]
fn counts_look_like_an_election() {
    let v = verify(lorestan_1());
    let p = &v.provinces[0];
    for c in &p.contests {
        let turnout = c.tally.ballots_cast as f64 / c.contest.eligible as f64;
        let (low, high) = match c.contest.kind {
            ContestKind::City => (0.25, 0.70),
            ContestKind::Village => (0.40, 1.0),
        };
        assert!((low..=high).contains(&turnout), "{}: turnout {turnout}", c.contest.id);
        let invalid = c.tally.invalid as f64 / c.tally.ballots_cast.max(1) as f64;
        assert!(invalid <= 0.09, "{}: invalid {invalid}", c.contest.id);
    }
    for s in &p.stations {
        let r = s.result.as_ref().expect("every station reported");
        assert!(r.closed.hour() >= 20 || r.closed.date() > r.opened.date(), "{}", s.station.id);
        assert!(r.closed - r.opened <= Duration::hours(16));
        assert_eq!(r.opened.offset(), time::macros::offset!(+03:30));
    }
}

#[test]
fn anomalies_are_where_the_answer_key_says() {
    let demo = lorestan_1();
    let v = verify(demo);
    let p = &v.provinces[0];
    let stuffing: Vec<&Anomaly> = demo.anomalies.iter().filter(|a| a.kind == AnomalyKind::BallotStuffing).collect();
    assert!((2..=3).contains(&stuffing.len()), "{:?}", demo.anomalies);
    for a in &stuffing {
        let s = p.stations.iter().find(|s| Some(s.station.id.as_str()) == a.station.as_deref()).expect("station");
        let r = s.result.as_ref().expect("result");
        let contest = &p.contests[s.contest].contest;
        assert_eq!(contest.kind, ContestKind::Village);
        let top = r.votes.iter().map(|v| v.votes).max().unwrap_or(0);
        assert!(top as f64 >= 0.95 * r.valid as f64 - 1.0, "{a:?}");
        assert!(r.invalid as f64 <= 0.011 * r.ballots_cast as f64 + 1.0, "{a:?}");
    }
    let full: Vec<&Anomaly> = demo.anomalies.iter().filter(|a| a.kind == AnomalyKind::FullTurnout).collect();
    assert_eq!(full.len(), 1);
    let c = p.contests.iter().find(|c| c.contest.id.as_str() == full[0].contest).expect("contest");
    assert_eq!(c.contest.kind, ContestKind::Village);
    assert_eq!(c.tally.ballots_cast, c.contest.eligible);
    assert!(demo.anomalies.iter().all(|a| a.province == LORESTAN && !a.note.is_empty()));
}

#[test]
fn same_seed_gives_the_same_bytes() {
    let again = lorestan(1, false);
    let first = lorestan_1();
    assert_eq!(again.root_sha256, first.root_sha256);
    assert!(again.publication == first.publication, "the publications differ");
    assert_eq!(again.anomalies, first.anomalies);
}

#[test]
fn another_seed_gives_another_election() {
    let other = lorestan(2, false);
    let first = lorestan_1();
    assert_ne!(other.root_sha256, first.root_sha256);
    let results = |d: &Demo| {
        d.publication.iter().find(|(p, _)| p.starts_with("files/results-")).map(|(_, b)| b.to_vec()).expect("results")
    };
    assert_ne!(results(&other), results(first));
}

#[test]
fn tamper_mode_verifies_with_arithmetic_and_recount_findings() {
    let demo = lorestan(1, true);
    let v = verify(&demo);
    assert_eq!(v.status(), Status::VerifiedWithFindings);
    let rules: BTreeSet<&str> = v
        .findings
        .iter()
        .filter_map(|f| match f {
            Finding::Arithmetic { check, .. } => Some(match check {
                ArithmeticCheck::ValidPlusInvalid { .. } => "valid+invalid",
                ArithmeticCheck::CandidateAboveValid { .. } => "candidate>valid",
                ArithmeticCheck::VotesAboveCapacity { .. } => "capacity",
                _ => "other",
            }),
            _ => None,
        })
        .collect();
    assert_eq!(rules, BTreeSet::from(["valid+invalid", "candidate>valid", "capacity"]));

    let impossible: BTreeSet<&str> = demo
        .anomalies
        .iter()
        .filter(|a| a.kind == AnomalyKind::ImpossibleTotals)
        .filter_map(|a| a.station.as_deref())
        .collect();
    let flagged: BTreeSet<&str> = v
        .findings
        .iter()
        .filter_map(|f| match f {
            Finding::Arithmetic { station, .. } => Some(station.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(flagged, impossible);

    let edited = demo.anomalies.iter().find(|a| a.kind == AnomalyKind::PublishedTotalEdited).expect("edited contest");
    let mismatched: BTreeSet<&str> = v
        .findings
        .iter()
        .filter(|f| matches!(f, Finding::RecountMismatch { .. } | Finding::OutcomeMismatch { .. }))
        .filter_map(|f| f.contest())
        .collect();
    assert_eq!(mismatched, BTreeSet::from([edited.contest.as_str()]));
    assert!(v.findings.iter().any(|f| matches!(f, Finding::RecountMismatch { .. })));
    assert!(v.findings.iter().all(|f| matches!(
        f,
        Finding::Arithmetic { .. }
            | Finding::RecountMismatch { .. }
            | Finding::OutcomeMismatch { .. }
            | Finding::SummaryMismatch { .. }
    )));
    // The summary was made from the published totals, edit included: the
    // edited council's county differs from its recount too.
    let county =
        v.provinces[0].contests.iter().find(|c| c.contest.id.as_str() == edited.contest).map(|c| &c.contest.county);
    let summary_counties: BTreeSet<&str> = v
        .findings
        .iter()
        .filter_map(|f| match f {
            Finding::SummaryMismatch { county, .. } => Some(county.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(summary_counties, county.map(|c| c.as_str()).into_iter().collect());

    // Everything but the tampered stations and contest is as in normal mode.
    let normal = verify(lorestan_1());
    let same_outside = normal.provinces[0]
        .stations
        .iter()
        .zip(&v.provinces[0].stations)
        .filter(|(a, _)| !impossible.contains(a.station.id.as_str()))
        .all(|(a, b)| a.result == b.result);
    assert!(same_outside);
}

#[test]
fn the_demo_counts_as_publish_counts() {
    let opts = DemoOptions { seed: 3, scale: Scale::Lorestan, tamper: true };
    let prepared = prepare(geo_input(), &opts).expect("draft");
    let ours = count(&prepared.draft, &prepared.results).expect("count");
    let theirs = publish::count(&prepared.draft).expect("publish::count");
    assert!(ours == theirs, "the demo's count differs from publish::count");
}

#[test]
fn a_missing_counties_file_is_named() {
    let mut input = geo_input().clone();
    input.counties_geojson.retain(|(code, _)| code != LORESTAN);
    let err =
        generate(&input, &DemoOptions { seed: 1, scale: Scale::Lorestan, tamper: false }).map(|_| ()).unwrap_err();
    assert!(matches!(&err, DemoError::MissingCounties { province } if province == LORESTAN), "{err}");
}

#[test]
fn a_bad_csv_line_is_named() {
    let mut input = geo_input().clone();
    input.counties_csv = input.counties_csv.replacen("IR-15,1501", "IR-15,1501,extra", 1);
    let err =
        generate(&input, &DemoOptions { seed: 1, scale: Scale::Lorestan, tamper: false }).map(|_| ()).unwrap_err();
    assert!(matches!(&err, DemoError::Csv { file, .. } if file == "counties-2016.csv"), "{err}");
    assert!(err.to_string().starts_with("counties-2016.csv line "), "{err}");
}

/// The whole country without signing anything: fast enough for a debug build.
#[test]
fn national_plan_has_about_65000_stations_and_the_census_voters() {
    let input = geo_input();
    let rows = geo::provinces(&input.provinces_csv).expect("provinces");
    let census = geo::census_counties(&input.counties_csv).expect("counties");
    assert_eq!(rows.len(), 31);
    let (mut stations, mut counties, mut new_counties, mut voters, mut urban, mut cities, mut villages) =
        (0usize, 0usize, 0usize, 0u64, 0u64, 0usize, 0usize);
    for row in &rows {
        let list = geo::counties(row, &census, counties_bytes(input, &row.code).expect("file")).expect("counties");
        counties += list.len();
        new_counties += list.iter().filter(|c| c.parent.is_some()).count();
        let sim = simulate(7, row, list);
        let eligible: u64 = sim.contests.iter().map(|c| c.eligible).sum();
        assert_eq!(eligible, census_voters(&row.code), "{}", row.code);
        voters += eligible;
        urban += sim.contests.iter().filter(|c| c.kind == ContestKind::City).map(|c| c.eligible).sum::<u64>();
        cities += sim.contests.iter().filter(|c| c.kind == ContestKind::City).count();
        villages += sim.contests.iter().filter(|c| c.kind == ContestKind::Village).count();
        stations += sim.stations.len();
        for c in &sim.contests {
            assert!(c.stations >= 1);
        }
    }
    eprintln!(
        "national plan: {counties} counties ({new_counties} new), {voters} voters, {:.1}% urban, {cities} cities, {villages} villages, {stations} stations",
        100.0 * urban as f64 / voters as f64
    );
    assert_eq!(counties, 478);
    // provinces-2016.csv adds up to 57,458,204 (the README's national 57,458,207 is rounded on its own).
    assert_eq!(voters, 57_458_204);
    assert_eq!(new_counties, 49);
    assert!((58_500..=71_500).contains(&stations), "{stations} stations");
    let urban_share = urban as f64 / voters as f64;
    assert!((0.70..=0.75).contains(&urban_share), "{urban_share}");
}

/// Signing and verifying 65,000 stations takes minutes in a debug build;
/// `cargo test --release` runs it (and the CLI's own tests make a national demo).
#[test]
#[cfg_attr(debug_assertions, ignore = "slow in debug builds: run with --release")]
fn national_demo_verifies_with_about_65000_stations() {
    let start = Instant::now();
    let demo = generate(geo_input(), &DemoOptions { seed: 1, scale: Scale::National, tamper: false }).expect("demo");
    let made = start.elapsed();
    let v = verify(&demo);
    let checked = start.elapsed() - made;
    assert_eq!(v.status(), Status::Verified);
    assert_eq!(v.provinces.len(), 31);
    let stations = v.audit.stations_registered;
    assert!((58_500..=71_500).contains(&stations), "{stations} stations");
    for p in &v.provinces {
        let eligible: u64 = p.contests.iter().map(|c| c.contest.eligible).sum();
        assert_eq!(eligible, census_voters(&p.code), "{}", p.code);
        let stuffed =
            demo.anomalies.iter().filter(|a| a.province == p.code.as_str() && a.kind == AnomalyKind::BallotStuffing);
        assert!((2..=3).contains(&stuffed.count()));
    }
    let total: usize = demo.publication.iter().map(|(_, b)| b.len()).sum();
    let (largest_path, largest) = demo
        .publication
        .iter()
        .filter(|(p, _)| p.starts_with(&format!("files/{}-", FileKind::Results)))
        .max_by_key(|(_, b)| b.len())
        .map(|(p, b)| (p.to_owned(), b.len()))
        .expect("results files");
    eprintln!(
        "national demo: {stations} stations, generated in {made:.2?}, verified in {checked:.2?}; {} files, {:.1} MB in all; largest results file {largest_path}: {:.1} MB",
        demo.publication.len(),
        total as f64 / 1e6,
        largest as f64 / 1e6
    );
}

#[test]
fn a_release_step_is_the_full_sequence_as_it_stood_then() {
    let seq = |step| SequenceOptions { releases: 3, step, witness_threshold: 1, pointer_expires: None };
    let opts = DemoOptions { seed: 1, scale: Scale::Lorestan, tamper: false };
    let full = generate_sequence(geo_input(), &opts, &seq(None)).expect("full");
    let step2 = generate_sequence(geo_input(), &opts, &seq(Some(2))).expect("step 2");
    assert_eq!(full.root_sha256, step2.root_sha256);
    assert_eq!(step2.releases.len(), 2);
    // Everything published at step 2 stays, byte for byte, but what names the current release.
    let current = ["release.json", "release.json.sigs", "checkpoint", "latest.json", "latest.json.sigs"];
    for (path, bytes) in step2.publication.iter().filter(|(p, _)| !current.contains(p)) {
        assert_eq!(full.publication.get(path), Some(bytes), "{path}");
    }
    let root = crate::verify::verify_root(
        full.publication.get("root.json").unwrap(),
        full.publication.get("root.json.sigs").unwrap(),
        &TrustAnchor::pinned(full.root_sha256),
        CORRECTION_ISSUED,
    )
    .expect("root");
    let history = crate::history::verify_log_folder(&full.publication, &root).expect("the log verifies");
    assert_eq!(history.size, 4);
    let [setup, partial, complete, correction] = &full.releases[..] else { panic!("the setup and three releases") };
    assert_eq!(
        (setup.kind, partial.kind, complete.kind, correction.kind),
        (ReleaseKind::Setup, ReleaseKind::Partial, ReleaseKind::Complete, ReleaseKind::Correction)
    );
    assert_eq!(setup.stations_reported, 0);
    let share = partial.stations_reported as f64 / complete.stations_reported as f64;
    assert!((0.4..0.6).contains(&share), "{share}");
    assert_eq!(correction.corrected_stations.len(), 3);
    assert_eq!(correction.contests_with_new_winners.len(), 1);
    // Combining the tamper mode with a sequence is refused, as are impossible steps.
    let tamper = DemoOptions { tamper: true, ..opts };
    assert!(generate_sequence(geo_input(), &tamper, &seq(None)).is_err());
    assert!(generate_sequence(geo_input(), &opts, &seq(Some(5))).is_err());
}

#[test]
fn the_demo_sheets_get_the_verdicts_they_are_named_for() {
    let seq = SequenceOptions { releases: 3, step: None, witness_threshold: 0, pointer_expires: None };
    let opts = DemoOptions { seed: 1, scale: Scale::Lorestan, tamper: false };
    let demo = generate_sequence(geo_input(), &opts, &seq).expect("demo");
    let names: Vec<&str> = demo.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["matches", "corrected", "differs", "wrong-device", "invalid"]);
    for s in &demo.sheets {
        let read = crate::sheet::read(&crate::sheet::encode(&s.line)).expect("the sheet reads");
        let station = read.result.station.to_string();
        let committed = crate::sheet::committed_station(&demo.publication, &station);
        let history = crate::sheet::station_history(&demo.publication, &station);
        let lines: Vec<(u64, Option<&str>)> = history.iter().map(|(v, l)| (*v, l.as_deref())).collect();
        let verdict = crate::sheet::check(&read, committed.as_ref(), &lines);
        assert_eq!(verdict.word(), s.name, "{verdict:?}");
        if let crate::sheet::SheetVerdict::Corrected { printed_in, corrected_in, differences, .. } = &verdict {
            assert_eq!((*printed_in, *corrected_in), (3, 4));
            assert!(!differences.is_empty());
        }
        // Against the setup alone, a signed sheet is not published yet.
        if s.name == "matches" {
            let lines: Vec<(u64, Option<&str>)> = vec![(1, None)];
            assert_eq!(crate::sheet::check(&read, committed.as_ref(), &lines).word(), "unpublished");
        }
    }
}
