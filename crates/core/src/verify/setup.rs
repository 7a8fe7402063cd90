//! Stage 5a, a province against the setup: the councils, their candidates
//! and the station registry of a results release must be those the setup
//! release committed before the polls opened (its timing was checked in
//! stage 4). A station or device key that first appears later, a replaced
//! key, a moved electorate or a changed candidate list is an integrity
//! finding naming the station or council: a device signature proves nothing
//! if the device's key could be chosen after the votes were counted (a ghost
//! station).

use std::collections::{BTreeMap, HashSet};

use super::common::fmt_time;
use super::files::{span, CheckedFile, SignedContests, SignedRelease};
use crate::findings::Finding;
use crate::format::parse_json_fast;
use crate::keys::PublicKey;
use crate::model::{Contest, ContestsDoc, FileEntry, FileKind, Station, StationsDoc};

/// The setup release's files of a province that a reader reads to compare
/// it with the current release: its contests file (the totals always
/// differ, so it is read), and its stations file unless the current one is
/// the same bytes (the honest case: nothing more to fetch). None when the
/// release is the setup itself or no setup was checked.
pub fn setup_files(signed: &SignedRelease, code: &str) -> Vec<FileEntry> {
    let Some(setup) = signed.logged().setup().filter(|_| !signed.is_setup()) else { return Vec::new() };
    let mut out = Vec::new();
    if let Some(entry) = setup.release().entry(FileKind::Contests, Some(code)) {
        out.push(entry.clone());
    }
    let current = signed.entry(FileKind::Stations, Some(code)).map(|e| e.sha256);
    if let Some(entry) = setup.release().entry(FileKind::Stations, Some(code)) {
        if Some(entry.sha256) != current {
            out.push(entry.clone());
        }
    }
    out
}

/// Compares a province's contests and stations with the setup's. `file`
/// gives the setup files [`setup_files`] named, checked.
pub fn compare_with_setup<'a>(
    signed: &SignedRelease,
    code: &str,
    contests: &SignedContests,
    stations: &CheckedFile<'_>,
    mut file: impl FnMut(&FileEntry) -> Result<CheckedFile<'a>, Finding>,
) -> Vec<Finding> {
    let Some(setup) = signed.logged().setup().filter(|_| !signed.is_setup()) else { return Vec::new() };
    let release = signed.release().audit();
    let after = match signed.setup() {
        Some(s) if release.issued > s.polls_open => {
            format!(
                "release {}, issued {} after the polls opened",
                release.version,
                span(release.issued - s.polls_open)
            )
        }
        _ => format!("release {}, issued {}", release.version, fmt_time(release.issued)),
    };
    let mut findings = Vec::new();
    let mut read = |kind: FileKind| -> Option<CheckedFile<'a>> {
        let entry = setup.release().entry(kind, Some(code))?;
        match file(entry) {
            Ok(f) if f.entry() == entry => Some(f),
            Ok(f) => {
                findings.push(Finding::InvalidValue {
                    file: f.path().to_owned(),
                    field: String::new(),
                    problem: format!("was checked as another file than the setup's {kind} file {}", entry.path),
                });
                None
            }
            Err(f) => {
                findings.push(f);
                None
            }
        }
    };
    let setup_contests = read(FileKind::Contests);
    let setup_stations = signed
        .entry(FileKind::Stations, Some(code))
        .zip(setup.release().entry(FileKind::Stations, Some(code)))
        .is_some_and(|(a, b)| a.sha256 != b.sha256)
        .then(|| read(FileKind::Stations))
        .flatten();
    let missing = |what: &str| Finding::NotCommitted {
        file: setup.file().to_owned(),
        subject: format!("the {what} of province {code}"),
        problem: "are not in the setup release, so they were not committed before the polls opened".into(),
    };
    match setup.release().entry(FileKind::Contests, Some(code)) {
        None => findings.push(missing("councils")),
        Some(entry) => {
            if let Some(committed) = setup_contests {
                match parse_json_fast::<ContestsDoc>(&entry.path, committed.bytes(), FileKind::Contests.size_limit()) {
                    Ok(committed) => compare_contests(contests, &committed, &after, &mut findings),
                    Err(e) => findings.push(e.into()),
                }
            }
        }
    }
    match setup.release().entry(FileKind::Stations, Some(code)) {
        None => findings.push(missing("stations")),
        Some(entry) => {
            if let Some(committed) = setup_stations {
                let limit = FileKind::Stations.size_limit();
                let parsed = parse_json_fast::<StationsDoc>(&entry.path, committed.bytes(), limit).and_then(|c| {
                    parse_json_fast::<StationsDoc>(stations.path(), stations.bytes(), limit).map(|s| (c, s))
                });
                match parsed {
                    Ok((committed, current)) => {
                        compare_stations(stations.path(), &current, &committed, &after, &mut findings)
                    }
                    Err(e) => findings.push(e.into()),
                }
            }
        }
    }
    findings
}

fn compare_contests(current: &SignedContests, committed: &ContestsDoc, after: &str, findings: &mut Vec<Finding>) {
    let file = current.file();
    let before: BTreeMap<&str, &Contest> = committed.contests.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut seen = HashSet::new();
    for c in &current.doc().contests {
        seen.insert(c.id.as_str());
        let subject = format!("council `{}` ({})", c.id, c.name.en);
        let Some(old) = before.get(c.id.as_str()) else {
            findings.push(Finding::NotCommitted {
                file: file.to_owned(),
                subject,
                problem: format!(
                    "is not among the councils the setup release committed before the polls opened: it appears in {after}"
                ),
            });
            continue;
        };
        let mut changes = Vec::new();
        let mut field = |name: &str, a: String, b: String| {
            if a != b {
                changes.push(format!("its {name} changed from {a} to {b}"));
            }
        };
        field("kind", format!("{:?}", old.kind).to_lowercase(), format!("{:?}", c.kind).to_lowercase());
        field("county", old.county.to_string(), c.county.to_string());
        field("name", old.name.en.to_string(), c.name.en.to_string());
        field("seats", old.seats.to_string(), c.seats.to_string());
        field("alternates", old.alternates.to_string(), c.alternates.to_string());
        field("eligible voters", old.eligible.to_string(), c.eligible.to_string());
        if old.candidates != c.candidates {
            let ids = |list: &[crate::model::Candidate]| list.iter().map(|x| x.id.to_string()).collect::<Vec<_>>();
            let (was, now) = (ids(&old.candidates), ids(&c.candidates));
            let added: Vec<&String> = now.iter().filter(|x| !was.contains(x)).collect();
            let removed: Vec<&String> = was.iter().filter(|x| !now.contains(x)).collect();
            let mut what = String::from("its candidate list differs from the one committed before the polls opened");
            if !added.is_empty() {
                what.push_str(&format!("; added: {added:?}"));
            }
            if !removed.is_empty() {
                what.push_str(&format!("; removed: {removed:?}"));
            }
            if added.is_empty() && removed.is_empty() {
                what.push_str("; a candidate's name, ballot code or place in the list changed");
            }
            changes.push(what);
        }
        if !changes.is_empty() {
            findings.push(Finding::NotCommitted {
                file: file.to_owned(),
                subject,
                problem: format!("was changed after the setup release, in {after}: {}", changes.join("; ")),
            });
        }
    }
    for c in &committed.contests {
        if !seen.contains(&c.id.as_str()) {
            findings.push(Finding::NotCommitted {
                file: file.to_owned(),
                subject: format!("council `{}` ({})", c.id, c.name.en),
                problem: format!("was committed in the setup release but is missing from {after}"),
            });
        }
    }
}

fn compare_stations(
    file: &str,
    current: &StationsDoc,
    committed: &StationsDoc,
    after: &str,
    findings: &mut Vec<Finding>,
) {
    let before: BTreeMap<&str, &Station> = committed.stations.iter().map(|s| (s.id.as_str(), s)).collect();
    let key = |s: &Station| match PublicKey::from_spki_base64(&s.device) {
        Ok(k) => k.id().to_hex(),
        Err(_) => s.device.clone(),
    };
    let mut seen = HashSet::new();
    for s in &current.stations {
        seen.insert(s.id.as_str());
        let subject = format!("station `{}`", s.id);
        let Some(old) = before.get(s.id.as_str()) else {
            findings.push(Finding::NotCommitted {
                file: file.to_owned(),
                subject,
                problem: format!(
                    "(council `{}`, device key {}) is not in the registry committed before the polls opened: it was \
                     registered in {after}",
                    s.contest,
                    key(s)
                ),
            });
            continue;
        };
        let mut changes = Vec::new();
        if old.device != s.device {
            changes.push(format!(
                "its device key was replaced: {} was committed, this release has {}",
                key(old),
                key(s)
            ));
        }
        if old.contest != s.contest {
            changes.push(format!("it moved from council `{}` to `{}`", old.contest, s.contest));
        }
        if old.eligible != s.eligible {
            changes.push(format!("its voters changed from {} to {}", old.eligible, s.eligible));
        }
        if !changes.is_empty() {
            findings.push(Finding::NotCommitted {
                file: file.to_owned(),
                subject,
                problem: format!("was changed after the setup release, in {after}: {}", changes.join("; ")),
            });
        }
    }
    for s in &committed.stations {
        if !seen.contains(&s.id.as_str()) {
            findings.push(Finding::NotCommitted {
                file: file.to_owned(),
                subject: format!("station `{}`", s.id),
                problem: format!("was committed in the setup release but is missing from the registry of {after}"),
            });
        }
    }
}
