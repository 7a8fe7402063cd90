//! Election night as a sequence of releases, each a leaf of the demo's
//! release log: first the setup, the day before the polls open (every
//! council, candidate and station device key; no results), witnessed at
//! once; then about half the stations (partial), then all of them
//! (complete), then a correction in which a few stations' devices re-sign
//! corrected results and at least one council's winners change. Every step
//! is deterministic, so the folder after step N is the same bytes whether
//! the sequence stops there or goes on (`shafaf demo --release-step N`).

use std::collections::BTreeSet;

use rand::Rng;
use serde::Serialize;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::{
    count, derive, device_key, edit_published_total, prepare, role_keys, stream, Demo, DemoError, DemoOptions,
    GeoInput, Prepared, RELEASE_EXPIRES, RELEASE_ISSUED, ROOT_EXPIRES,
};
use crate::format::Publication;
use crate::keys::PublicKey;
use crate::keys::SecretKey;
use crate::model::{Phase, Role, Sha256Hex, StationResult};
use crate::publish::{self, Draft, LogParams, ReleaseParams, RoleKeys};
use crate::tally;

fn publics(keys: &[SecretKey]) -> Vec<&PublicKey> {
    keys.iter().map(SecretKey::public).collect()
}

/// When the setup release is issued and witnessed: the day before the polls open.
pub const SETUP_ISSUED: OffsetDateTime = datetime!(2026-06-18 12:00 +03:30);
/// When the partial release of a sequence is issued (the night of the count).
pub const PARTIAL_ISSUED: OffsetDateTime = datetime!(2026-06-20 00:30 +03:30);
/// When the correction of a three-release sequence is issued.
pub const CORRECTION_ISSUED: OffsetDateTime = datetime!(2026-06-21 10:00 +03:30);

/// What a release of the sequence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseKind {
    /// Before the polls open: the registry and the candidates, no results.
    Setup,
    /// About half the stations have reported.
    Partial,
    /// Every station has reported.
    Complete,
    /// A few stations' results are corrected (and re-signed by their devices).
    Correction,
}

/// One release of the demo, and the answer key to what it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoRelease {
    pub version: u64,
    pub kind: ReleaseKind,
    #[serde(with = "time::serde::rfc3339")]
    pub issued: OffsetDateTime,
    pub stations_reported: u64,
    /// (correction) the stations whose results were corrected.
    pub corrected_stations: Vec<String>,
    /// (correction) the contests whose elected members the correction changes.
    pub contests_with_new_winners: Vec<String>,
}

/// How many releases, and how far to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SequenceOptions {
    /// The results releases after the setup: 1: complete; 2: partial,
    /// complete; 3: partial, complete, correction.
    pub releases: u32,
    /// Publish only the first `step` releases, the setup counting as the
    /// first: the folder as it stood then.
    pub step: Option<u32>,
    /// Witness cosignatures the demo's root requires (its two witnesses
    /// cosign every checkpoint). 0 keeps the root usable by a reader that
    /// does not fetch the log.
    pub witness_threshold: u32,
    /// When `latest.json` expires. By default when the releases do, so a demo
    /// on disk stays verifiable; a live server re-signs it with `shafaf timestamp`.
    pub pointer_expires: Option<OffsetDateTime>,
}

impl Default for SequenceOptions {
    fn default() -> Self {
        Self { releases: 1, step: None, witness_threshold: 0, pointer_expires: None }
    }
}

fn schedule(releases: u32) -> Vec<(ReleaseKind, OffsetDateTime)> {
    let mut out = vec![(ReleaseKind::Setup, SETUP_ISSUED)];
    out.extend(match releases {
        1 => vec![(ReleaseKind::Complete, RELEASE_ISSUED)],
        2 => vec![(ReleaseKind::Partial, PARTIAL_ISSUED), (ReleaseKind::Complete, RELEASE_ISSUED)],
        _ => vec![
            (ReleaseKind::Partial, PARTIAL_ISSUED),
            (ReleaseKind::Complete, RELEASE_ISSUED),
            (ReleaseKind::Correction, CORRECTION_ISSUED),
        ],
    });
    out
}

/// Makes the demo election as a sequence of releases in one release log.
pub fn generate_sequence(geo_input: &GeoInput, opts: &DemoOptions, seq: &SequenceOptions) -> Result<Demo, DemoError> {
    if !(1..=3).contains(&seq.releases) {
        return Err(DemoError::Options(format!("--releases {} is not 1, 2 or 3", seq.releases)));
    }
    // The setup comes first, so there are `releases + 1` steps.
    let step = seq.step.unwrap_or(seq.releases + 1);
    if step == 0 || step > seq.releases + 1 {
        return Err(DemoError::Options(format!(
            "--release-step {step} is not between 1 (the setup) and {}",
            seq.releases + 1
        )));
    }
    if opts.tamper && seq.releases > 1 {
        return Err(DemoError::Options(
            "--tamper makes a single release; it cannot be combined with --releases".into(),
        ));
    }
    if seq.witness_threshold > 2 {
        return Err(DemoError::Options(format!("the demo has 2 witnesses, not {}", seq.witness_threshold)));
    }
    let Prepared { draft, results, mut anomalies, mut edit } = prepare(geo_input, opts)?;

    let root_keys = role_keys("shafaf-demo-root", opts.seed, 3);
    let publisher_keys = role_keys("shafaf-demo-publisher", opts.seed, 2);
    let witness_keys = role_keys("shafaf-demo-witness", opts.seed, 2);
    let timestamp_keys = role_keys("shafaf-demo-timestamp", opts.seed, 1);
    let roles = [
        RoleKeys { role: Role::Root, keys: publics(&root_keys), threshold: 2 },
        RoleKeys { role: Role::Publisher, keys: publics(&publisher_keys), threshold: 2 },
        RoleKeys { role: Role::Witness, keys: publics(&witness_keys), threshold: seq.witness_threshold },
        RoleKeys { role: Role::Timestamp, keys: publics(&timestamp_keys), threshold: 1 },
    ];
    let mut names = Vec::new();
    for (label, keys) in [("publisher", &publisher_keys), ("witness", &witness_keys)] {
        for (i, k) in keys.iter().enumerate() {
            names.push((k.public().id(), format!("demo-{label}-{}.example.org", i + 1)));
        }
    }
    let root_signers: Vec<&SecretKey> = root_keys.iter().collect();
    let (root_bytes, root_sigs) =
        publish::make_root_named(&draft.election.id, 1, ROOT_EXPIRES, &roles, &names, &root_signers)?;
    let publishers: Vec<&SecretKey> = publisher_keys.iter().collect();
    let pointer_signers: Vec<&SecretKey> = timestamp_keys.iter().collect();

    let mut previous: Option<Publication> = None;
    let mut releases = Vec::new();
    for (i, (kind, issued)) in schedule(seq.releases).into_iter().enumerate().take(step as usize) {
        let version = i as u64 + 1;
        let (draft_k, results_k, corrected, flipped) = match kind {
            ReleaseKind::Setup => {
                let mut d = draft.clone();
                d.provinces.iter_mut().for_each(|p| p.results.clear());
                (d, vec![Vec::new(); results.len()], Vec::new(), Vec::new())
            }
            ReleaseKind::Partial => {
                let (d, r) = partial(opts.seed, &draft, &results);
                (d, r, Vec::new(), Vec::new())
            }
            ReleaseKind::Complete => (draft.clone(), results.clone(), Vec::new(), Vec::new()),
            ReleaseKind::Correction => correction(opts.seed, &draft, &results, &anomalies)?,
        };
        let mut counted = count(&draft_k, &results_k)?;
        if kind == ReleaseKind::Complete {
            if let Some(edit) = edit.take() {
                anomalies.push(edit_published_total(&draft.election.id, &mut counted, edit));
            }
        }
        let phase = if kind == ReleaseKind::Setup { Phase::Setup } else { Phase::Results };
        let params = ReleaseParams { version, phase, issued, expires: RELEASE_EXPIRES };
        let witnessed: Vec<(&SecretKey, OffsetDateTime)> =
            witness_keys.iter().zip([5, 9]).map(|(k, minutes)| (k, issued + Duration::minutes(minutes))).collect();
        let log = LogParams {
            previous: previous.as_ref(),
            origin: None,
            witnesses: &witnessed,
            pointer: Some((&pointer_signers, seq.pointer_expires.unwrap_or(RELEASE_EXPIRES))),
        };
        // append_release verifies the finished folder, every signature and the whole log included.
        let publication =
            publish::append_release(&draft_k, &counted, &root_bytes, &root_sigs, &publishers, &params, &log)?;
        releases.push(DemoRelease {
            version,
            kind,
            issued,
            stations_reported: results_k.iter().map(|r| r.len() as u64).sum(),
            corrected_stations: corrected,
            contests_with_new_winners: flipped,
        });
        previous = Some(publication);
    }
    let publication = previous.unwrap_or_default();
    let corrected: Vec<String> = releases.iter().flat_map(|r| r.corrected_stations.clone()).collect();
    let sheets = sheets(opts.seed, &draft, &results, &corrected)?;
    Ok(Demo {
        publication,
        root_keys,
        publisher_keys,
        anomalies,
        root_sha256: Sha256Hex::of(&root_bytes),
        witness_keys,
        timestamp_keys,
        releases,
        sheets,
    })
}

/// The demo's station sheets: one that matches the last release; one
/// printed before a correction (when the sequence has one); one whose
/// device signed figures the publication does not show; one moved to
/// another station; one altered after signing.
fn sheets(
    seed: u64,
    draft: &Draft,
    results: &[Vec<StationResult>],
    corrected: &[String],
) -> Result<Vec<super::DemoSheet>, DemoError> {
    let mut out = Vec::new();
    let sheet = |name: &str, result: &StationResult, line: String| super::DemoSheet {
        name: name.into(),
        station: result.station.to_string(),
        contest: result.contest.to_string(),
        line,
    };
    let all: Vec<(&StationResult, &String)> =
        results.iter().zip(&draft.provinces).flat_map(|(rs, p)| rs.iter().zip(&p.results)).collect();
    let mut plain = all.iter().filter(|(r, _)| !corrected.contains(&r.station.to_string()));
    let (Some((a, a_line)), Some((b, _))) = (plain.next(), plain.next()) else { return Ok(out) };
    out.push(sheet("matches", a, (*a_line).clone()));
    if let Some((c, c_line)) = all.iter().find(|(r, _)| corrected.contains(&r.station.to_string())) {
        out.push(sheet("corrected", c, (*c_line).clone()));
    }
    // The device signed one vote for the second candidate that the publication gives the first.
    let mut moved = (*b).clone();
    if let [first, second, ..] = &mut moved.votes[..] {
        if first.votes > 0 {
            first.votes -= 1;
            second.votes += 1;
        } else {
            second.votes -= 1;
            first.votes += 1;
        }
    }
    let device = device_key(seed, b.station.as_str());
    out.push(sheet("differs", &moved, publish::sign_result(&moved, &device)?));
    // Station b's device signs a result that names station a.
    let mut other = (*b).clone();
    other.station = a.station.clone();
    out.push(sheet("wrong-device", &other, publish::sign_result(&other, &device)?));
    // Station a's line with one more ballot cast, after its device signed it.
    let cast = format!("\"ballots_cast\":{}", a.ballots_cast);
    let altered = a_line.replacen(&cast, &format!("\"ballots_cast\":{}", a.ballots_cast + 1), 1);
    out.push(sheet("invalid", a, altered));
    Ok(out)
}

/// About half the stations, chosen by `SHA-256("shafaf-demo-partial" ‖ seed ‖ station)`.
fn partial(seed: u64, draft: &Draft, results: &[Vec<StationResult>]) -> (Draft, Vec<Vec<StationResult>>) {
    let mut d = draft.clone();
    let mut r = Vec::with_capacity(results.len());
    for (p, signed) in d.provinces.iter_mut().zip(results) {
        let keep: Vec<bool> =
            signed.iter().map(|s| derive("shafaf-demo-partial", seed, s.station.as_bytes())[0] < 128).collect();
        p.results = p.results.iter().zip(&keep).filter(|(_, k)| **k).map(|(l, _)| l.clone()).collect();
        r.push(signed.iter().zip(&keep).filter(|(_, k)| **k).map(|(s, _)| s.clone()).collect());
    }
    (d, r)
}

type Corrected = (Draft, Vec<Vec<StationResult>>, Vec<String>, Vec<String>);

/// The correction: in the council with the closest last seat that one
/// station can decide, votes that were counted for the last elected member
/// belonged to the first alternate; and two stations elsewhere had a ballot
/// wrongly counted as invalid. Their devices sign the corrected results.
fn correction(
    seed: u64,
    draft: &Draft,
    results: &[Vec<StationResult>],
    anomalies: &[super::Anomaly],
) -> Result<Corrected, DemoError> {
    let counted = count(draft, results)?;
    let avoid: BTreeSet<&str> = anomalies.iter().map(|a| a.contest.as_str()).collect();
    // (margin, contest id, province, station index, last elected, first alternate, votes to move)
    let mut best: Option<(u64, String, usize, usize, usize, usize, u64)> = None;
    for (p, doc) in counted.iter().enumerate() {
        for contest in &doc.contests {
            let Some(published) = &contest.published else { continue };
            let seats = contest.seats as usize;
            if avoid.contains(contest.id.as_str()) || contest.candidates.len() <= seats {
                continue;
            }
            let votes: Vec<u64> = published.votes.iter().map(|v| v.votes).collect();
            let ranking = tally::rank(contest, &votes, &publish::lot_order(&draft.election.id, contest));
            let (last, alternate) = (ranking[seats - 1].candidate, ranking[seats].candidate);
            let margin = votes[last] - votes[alternate];
            let moved = margin / 2 + 1;
            let station = results[p].iter().position(|r| {
                r.contest == contest.id
                    && r.votes.get(last).is_some_and(|v| v.votes >= moved)
                    && r.votes.get(alternate).is_some_and(|v| v.votes + moved <= r.valid)
            });
            let Some(s) = station else { continue };
            let key = (margin, contest.id.to_string());
            if best.as_ref().is_none_or(|b| key < (b.0, b.1.clone())) {
                best = Some((margin, contest.id.to_string(), p, s, last, alternate, moved));
            }
        }
    }
    let Some((_, flipped, p, s, last, alternate, moved)) = best else {
        return Err(DemoError::Inconsistent {
            file: super::GENERATOR.into(),
            message: "no council's last seat can be changed by correcting one station".into(),
        });
    };
    let mut results = results.to_vec();
    let mut changed = vec![(p, s)];
    {
        let r = &mut results[p][s];
        r.votes[last].votes -= moved;
        r.votes[alternate].votes += moved;
    }
    // Two ballots elsewhere that were valid after all: totals change, winners do not.
    let mut rng = stream("shafaf-demo-correction", seed, "invalid");
    let pool: Vec<(usize, usize)> = results
        .iter()
        .enumerate()
        .flat_map(|(p, rs)| rs.iter().enumerate().map(move |(s, r)| (p, s, r)))
        .filter(|(_, _, r)| r.invalid > 0 && r.contest.as_str() != flipped && !avoid.contains(r.contest.as_str()))
        .map(|(p, s, _)| (p, s))
        .collect();
    let mut contests_touched = BTreeSet::from([flipped.clone()]);
    for _ in 0..pool.len().min(200) {
        if changed.len() == 3 {
            break;
        }
        let (p, s) = pool[rng.gen_range(0..pool.len())];
        if !contests_touched.insert(results[p][s].contest.to_string()) {
            continue;
        }
        let r = &mut results[p][s];
        r.valid += 1;
        r.invalid -= 1;
        changed.push((p, s));
    }
    let mut d = draft.clone();
    let mut corrected = Vec::new();
    for (p, s) in changed {
        let r = &results[p][s];
        d.provinces[p].results[s] = publish::sign_result(r, &device_key(seed, r.station.as_str()))?;
        corrected.push(r.station.to_string());
    }
    corrected.sort();
    Ok((d, results, corrected, vec![flipped]))
}
