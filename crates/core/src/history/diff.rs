//! What changed from one verified release to another: which stations
//! reported, which results were corrected or withdrawn, which device keys
//! changed, and which councils' totals and winners moved. Both sides are
//! [`VerifiedElection`]s (or [`VerifiedProvince`]s), so the comparison only
//! ever sees data that passed every check.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Id, Name, StationResult};
use crate::tally;
use crate::verify::{ContestOutcome, StationOutcome, VerifiedElection, VerifiedProvince};

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
    let mut out = ReleaseDiff::between(old, new);
    for (code, o, n) in province_pairs(old, new) {
        diff_province_into(code, o, n, &mut out);
    }
    out
}

/// The provinces of either release, paired by code, in the order [`diff`]
/// compares them: a caller that must not block for long (the browser)
/// compares them one at a time with [`diff_province`] and
/// [`ReleaseDiff::append`]s the parts, for the same [`ReleaseDiff`].
pub fn province_pairs<'a>(
    old: &'a VerifiedElection,
    new: &'a VerifiedElection,
) -> Vec<(&'a Id, Option<&'a VerifiedProvince>, Option<&'a VerifiedProvince>)> {
    let olds: BTreeMap<&Id, &VerifiedProvince> = old.provinces.iter().map(|p| (&p.code, p)).collect();
    let news: BTreeMap<&Id, &VerifiedProvince> = new.provinces.iter().map(|p| (&p.code, p)).collect();
    let codes: BTreeSet<&Id> = olds.keys().chain(news.keys()).copied().collect();
    codes.into_iter().map(|code| (code, olds.get(code).copied(), news.get(code).copied())).collect()
}

impl ReleaseDiff {
    /// No change yet from release `old` to release `new`.
    pub fn between(old: &VerifiedElection, new: &VerifiedElection) -> ReleaseDiff {
        let version = |v: &VerifiedElection| v.audit.release.as_ref().map_or(0, |r| r.version);
        ReleaseDiff { from: version(old), to: version(new), ..ReleaseDiff::default() }
    }

    /// Adds the changes of `part` (a province's, from [`diff_province`]).
    pub fn append(&mut self, mut part: ReleaseDiff) {
        self.stations_added.append(&mut part.stations_added);
        self.stations_corrected.append(&mut part.stations_corrected);
        self.stations_withdrawn.append(&mut part.stations_withdrawn);
        self.registry_changes.append(&mut part.registry_changes);
        self.contests.append(&mut part.contests);
    }
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
    // Both sides are read in place: only what changed is copied out.
    fn stations(p: Option<&VerifiedProvince>) -> BTreeMap<&Id, &StationOutcome> {
        p.map(|p| p.stations.iter().map(|s| (&s.station.id, s)).collect()).unwrap_or_default()
    }
    fn contests(p: Option<&VerifiedProvince>) -> BTreeMap<&Id, &ContestOutcome> {
        p.map(|p| p.contests.iter().map(|c| (&c.contest.id, c)).collect()).unwrap_or_default()
    }
    let (before, after) = (stations(old), stations(new));
    let ids: BTreeSet<&Id> = before.keys().chain(after.keys()).copied().collect();
    for id in ids {
        let (b, a) = (before.get(id).copied(), after.get(id).copied());
        let contest = a.or(b).map_or(id, |s| &s.station.contest);
        let (rb, ra) = (b.and_then(|s| s.result.as_ref()), a.and_then(|s| s.result.as_ref()));
        let change = || StationChange {
            province: code.clone(),
            contest: contest.clone(),
            station: id.clone(),
            before: rb.cloned(),
            after: ra.cloned(),
        };
        match (rb, ra) {
            (None, Some(_)) => out.stations_added.push(change()),
            (Some(_), None) => out.stations_withdrawn.push(change()),
            (Some(x), Some(y)) if x != y => out.stations_corrected.push(change()),
            _ => {}
        }
        let (db, da) = (b.map(|s| &s.station.device), a.map(|s| &s.station.device));
        if db != da {
            out.registry_changes.push(RegistryChange {
                province: code.clone(),
                station: id.clone(),
                device_before: db.cloned(),
                device_after: da.cloned(),
            });
        }
    }
    let (cb, ca) = (contests(old), contests(new));
    let ids: BTreeSet<&Id> = cb.keys().chain(ca.keys()).copied().collect();
    for id in ids {
        let (b, a) = (cb.get(id).copied(), ca.get(id).copied());
        // The same council, figures and ranking: the same outcome.
        if b.is_some() && b == a {
            continue;
        }
        let (eb, ab) = b.map(outcome).unwrap_or_default();
        let (ea, aa) = a.map(outcome).unwrap_or_default();
        let same_figures = match (b, a) {
            (Some(b), Some(a)) => b.tally == a.tally && b.contest.candidates.len() == a.contest.candidates.len(),
            (b, a) => b.is_none() && a.is_none(),
        };
        if same_figures && eb == ea && ab == aa {
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
