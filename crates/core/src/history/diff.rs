//! What changed from one verified release to another: which stations
//! reported, which results were corrected or withdrawn, which device keys
//! changed, and which councils' totals and winners moved. Both sides are
//! [`VerifiedElection`]s (or [`VerifiedProvince`]s), so the comparison only
//! ever sees data that passed every check.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Id, Name, StationResult};
use crate::tally;
use crate::verify::{ContestOutcome, VerifiedElection, VerifiedProvince};

/// A station whose result differs between the two releases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StationChange {
    pub province: Id,
    pub contest: Id,
    pub station: Id,
    /// The signed result in the older release (none: not reported yet).
    pub before: Option<StationResult>,
    /// The signed result in the newer release (none: withdrawn).
    pub after: Option<StationResult>,
}

/// A registry entry that differs: a new station, or a new device key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistryChange {
    pub province: Id,
    pub station: Id,
    /// The device key (base64 SPKI) before; none for a newly registered station.
    pub device_before: Option<String>,
    /// The device key after; none for a station no longer registered.
    pub device_after: Option<String>,
}

/// A council whose recounted totals or outcome differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContestChange {
    pub province: Id,
    pub contest: Id,
    pub name: Name,
    pub stations_reported: [u64; 2],
    pub ballots_cast: [u64; 2],
    /// Elected members before and after, in rank order.
    pub elected: [Vec<Id>; 2],
    pub alternates: [Vec<Id>; 2],
    /// Whether the set of elected members changed (not only their order).
    pub winners_changed: bool,
}

/// Everything that changed from release `from` to release `to`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReleaseDiff {
    pub from: u64,
    pub to: u64,
    /// Stations that reported in `to` but not in `from`.
    pub stations_added: Vec<StationChange>,
    /// Stations whose signed result differs.
    pub stations_corrected: Vec<StationChange>,
    /// Stations that had a result in `from` and have none in `to`.
    pub stations_withdrawn: Vec<StationChange>,
    pub registry_changes: Vec<RegistryChange>,
    /// Councils whose totals or outcome differ (see `winners_changed`).
    pub contests: Vec<ContestChange>,
}

impl ReleaseDiff {
    /// The councils whose elected members changed.
    pub fn winners_changed(&self) -> impl Iterator<Item = &ContestChange> {
        self.contests.iter().filter(|c| c.winners_changed)
    }

    pub fn is_empty(&self) -> bool {
        self.stations_added.is_empty()
            && self.stations_corrected.is_empty()
            && self.stations_withdrawn.is_empty()
            && self.registry_changes.is_empty()
            && self.contests.is_empty()
    }
}

/// Compares two verified releases of the same election (older first).
pub fn diff(old: &VerifiedElection, new: &VerifiedElection) -> ReleaseDiff {
    let version = |v: &VerifiedElection| v.audit.release.as_ref().map_or(0, |r| r.version);
    let mut out = ReleaseDiff { from: version(old), to: version(new), ..ReleaseDiff::default() };
    let olds: BTreeMap<&Id, &VerifiedProvince> = old.provinces.iter().map(|p| (&p.code, p)).collect();
    let news: BTreeMap<&Id, &VerifiedProvince> = new.provinces.iter().map(|p| (&p.code, p)).collect();
    let codes: std::collections::BTreeSet<&Id> = olds.keys().chain(news.keys()).copied().collect();
    for code in codes {
        diff_province_into(code, olds.get(code).copied(), news.get(code).copied(), &mut out);
    }
    out
}

/// Compares one province of two releases (either side may lack it).
pub fn diff_province(old: Option<&VerifiedProvince>, new: Option<&VerifiedProvince>) -> ReleaseDiff {
    let mut out = ReleaseDiff::default();
    if let Some(code) = new.or(old).map(|p| &p.code) {
        diff_province_into(code, old, new, &mut out);
    }
    out
}

fn outcome(c: &ContestOutcome) -> (Vec<Id>, Vec<Id>) {
    tally::outcome(&c.contest, &c.ranking)
}

fn diff_province_into(
    code: &Id,
    old: Option<&VerifiedProvince>,
    new: Option<&VerifiedProvince>,
    out: &mut ReleaseDiff,
) {
    let index = |p: Option<&VerifiedProvince>| {
        let mut m = BTreeMap::new();
        for s in p.map(|p| p.stations.as_slice()).unwrap_or_default() {
            m.insert(s.station.id.clone(), (s.station.contest.clone(), s.station.device.clone(), s.result.clone()));
        }
        m
    };
    let (before, after) = (index(old), index(new));
    let ids: std::collections::BTreeSet<&Id> = before.keys().chain(after.keys()).collect();
    for id in ids {
        let (b, a) = (before.get(id), after.get(id));
        let contest = a.or(b).map(|(c, ..)| c.clone()).unwrap_or_else(|| id.clone());
        let (rb, ra) = (b.and_then(|(_, _, r)| r.clone()), a.and_then(|(_, _, r)| r.clone()));
        let change = || StationChange {
            province: code.clone(),
            contest: contest.clone(),
            station: id.clone(),
            before: rb.clone(),
            after: ra.clone(),
        };
        match (&rb, &ra) {
            (None, Some(_)) => out.stations_added.push(change()),
            (Some(_), None) => out.stations_withdrawn.push(change()),
            (Some(x), Some(y)) if x != y => out.stations_corrected.push(change()),
            _ => {}
        }
        let (db, da) = (b.map(|(_, d, _)| d.clone()), a.map(|(_, d, _)| d.clone()));
        if db != da {
            out.registry_changes.push(RegistryChange {
                province: code.clone(),
                station: id.clone(),
                device_before: db,
                device_after: da,
            });
        }
    }
    let contests = |p: Option<&VerifiedProvince>| -> BTreeMap<Id, ContestOutcome> {
        p.map(|p| p.contests.iter().map(|c| (c.contest.id.clone(), c.clone())).collect()).unwrap_or_default()
    };
    let (cb, ca) = (contests(old), contests(new));
    let ids: std::collections::BTreeSet<&Id> = cb.keys().chain(ca.keys()).collect();
    for id in ids {
        let (b, a) = (cb.get(id), ca.get(id));
        let (eb, ab) = b.map(outcome).unwrap_or_default();
        let (ea, aa) = a.map(outcome).unwrap_or_default();
        let figures = |c: Option<&ContestOutcome>| c.map(|c| (c.tally.clone(), c.contest.candidates.len()));
        if figures(b) == figures(a) && eb == ea && ab == aa {
            continue;
        }
        let mut sorted_b = eb.clone();
        let mut sorted_a = ea.clone();
        sorted_b.sort();
        sorted_a.sort();
        let Some(name) = a.or(b).map(|c| c.contest.name.clone()) else { continue };
        out.contests.push(ContestChange {
            province: code.clone(),
            contest: id.clone(),
            name,
            stations_reported: [b.map_or(0, |c| c.tally.stations_reported), a.map_or(0, |c| c.tally.stations_reported)],
            ballots_cast: [b.map_or(0, |c| c.tally.ballots_cast), a.map_or(0, |c| c.tally.ballots_cast)],
            elected: [eb, ea],
            alternates: [ab, aa],
            winners_changed: sorted_b != sorted_a,
        });
    }
}
