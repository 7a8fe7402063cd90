//! Stage 6, the recount: each station's arithmetic, each council summed
//! from its stations' signed results and ranked, compared with the
//! authority's published totals and outcome, and each county's totals and
//! councils compared with the release's summary. What is found here are
//! discrepancies in authentic data: shown, each named beside what it
//! concerns. A [`VerifiedProvince`] is a province at the second level of
//! verification, "recounted".

use serde::{Deserialize, Serialize};

use super::common::fmt_time;
use super::files::{FileAudit, SignedRelease};
use super::province::CheckedProvince;
use crate::findings::{ArithmeticCheck, Finding};
use crate::keys::KeyId;
use crate::model::{Contest, ContestKind, Id, Station, StationResult, SummaryCounty, Totals};
use crate::tally::{self, Ranked, Tally};

fn arithmetic(contest: &Contest, r: &StationResult) -> Vec<ArithmeticCheck> {
    let mut out = Vec::new();
    if r.valid.checked_add(r.invalid) != Some(r.ballots_cast) {
        out.push(ArithmeticCheck::ValidPlusInvalid { valid: r.valid, invalid: r.invalid, cast: r.ballots_cast });
    }
    let mut total: u64 = 0;
    let mut counted = vec![false; contest.candidates.len()];
    for (j, cv) in r.votes.iter().enumerate() {
        let index = contest.candidate_index(&cv.candidate, j);
        if index.is_none() {
            out.push(ArithmeticCheck::UnknownCandidate { candidate: cv.candidate.to_string() });
        }
        let repeated = match index {
            Some(i) => std::mem::replace(&mut counted[i], true),
            None => r.votes[..j].iter().any(|o| o.candidate == cv.candidate),
        };
        if repeated {
            out.push(ArithmeticCheck::RepeatedCandidate { candidate: cv.candidate.to_string() });
        }
        if cv.votes > r.valid {
            out.push(ArithmeticCheck::CandidateAboveValid {
                candidate: cv.candidate.to_string(),
                votes: cv.votes,
                valid: r.valid,
            });
        }
        total = total.saturating_add(cv.votes);
    }
    if total > r.valid.saturating_mul(u64::from(contest.seats)) {
        out.push(ArithmeticCheck::VotesAboveCapacity { total, valid: r.valid, seats: contest.seats });
    }
    if r.closed < r.opened {
        out.push(ArithmeticCheck::ClosedBeforeOpened { opened: fmt_time(r.opened), closed: fmt_time(r.closed) });
    }
    out
}

/// One contest, recounted from its stations' signed results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContestOutcome {
    /// The contest as published, with the authority's totals.
    pub contest: Contest,
    /// The council's figures: recounted from its stations' signed results
    /// once `recounted`; until then the authority's published totals.
    pub tally: Tally,
    /// The ranking of `tally` (ties broken by the published order).
    pub ranking: Vec<Ranked>,
    /// Indices into the province's `stations` (none until recounted).
    pub stations: Vec<usize>,
    /// Whether the published totals and outcome equal the recount (true
    /// until the recount says otherwise).
    pub matches_published: bool,
    /// Whether every station of the council verified and it was recounted
    /// ("recounted"), or its figures are only signed ("signed").
    pub recounted: bool,
}

impl ContestOutcome {
    /// The council as published, before its stations are checked: its
    /// published totals, ranked with the published order breaking ties.
    pub fn published(contest: Contest) -> ContestOutcome {
        let mut tally = Tally { votes: vec![0; contest.candidates.len()], ..Tally::default() };
        let mut tie_order = Vec::new();
        if let Some(p) = &contest.published {
            tally.stations_reported = p.stations_reported;
            tally.ballots_cast = p.ballots_cast;
            tally.valid = p.valid;
            tally.invalid = p.invalid;
            // Found as the recount finds a result's candidates (`Contest::candidate_index`).
            for (k, cv) in p.votes.iter().enumerate() {
                if let Some(i) = contest.candidate_index(&cv.candidate, k) {
                    tally.votes[i] = cv.votes;
                }
            }
            tie_order = p.elected.iter().chain(&p.alternates).cloned().collect();
        }
        let ranking = tally::rank(&contest, &tally.votes, &tie_order);
        ContestOutcome { contest, tally, ranking, stations: Vec::new(), matches_published: true, recounted: false }
    }
}

/// A registered station and its verified result, if it has reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StationOutcome {
    pub station: Station,
    pub device: KeyId,
    /// Index into the province's `contests`.
    pub contest: usize,
    pub result: Option<StationResult>,
}

impl StationOutcome {
    /// A station as it was verified, put back together from another form
    /// (the audit workers send the page a shorter one).
    pub fn new(station: Station, device: KeyId, contest: usize, result: Option<StationResult>) -> StationOutcome {
        StationOutcome { station, device, contest, result }
    }
}

/// A province whose files, signatures and recount verified. Discrepancies
/// (signed figures that do not add up) are listed in `findings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerifiedProvince {
    pub code: Id,
    pub contests: Vec<ContestOutcome>,
    pub stations: Vec<StationOutcome>,
    pub findings: Vec<Finding>,
    pub signatures_verified: u64,
    /// The province's contests, stations and results files, as checked.
    pub files: Vec<FileAudit>,
}

impl Totals {
    pub fn of_contest(c: &ContestOutcome) -> Totals {
        let mut t = Totals::default();
        t.add_contest(c);
        t
    }

    pub fn of_contests<'a>(contests: impl IntoIterator<Item = &'a ContestOutcome>) -> Totals {
        let mut t = Totals::default();
        for c in contests {
            t.add_contest(c);
        }
        t
    }

    /// Adds one contest. Sums saturate: verified counts are far below 2⁶⁴.
    pub fn add_contest(&mut self, c: &ContestOutcome) {
        let r = &c.tally;
        self.add(&Totals {
            contests: 1,
            city_contests: u64::from(c.contest.kind == ContestKind::City),
            village_contests: u64::from(c.contest.kind == ContestKind::Village),
            seats: u64::from(c.contest.seats),
            candidates: c.contest.candidates.len() as u64,
            stations_registered: c.stations.len() as u64,
            stations_reported: r.stations_reported,
            eligible: c.contest.eligible,
            ballots_cast: r.ballots_cast,
            valid: r.valid,
            invalid: r.invalid,
            votes: r.total_votes(),
        });
    }
}

/// Recounts a province whose stations verified and compares it with what
/// the authority published: each council's totals and outcome, and each
/// county's totals and councils in the summary.
pub fn recount(signed: &SignedRelease, province: CheckedProvince) -> VerifiedProvince {
    let CheckedProvince { contests, registry, checked, files: [stations_audit, results_audit] } = province;
    let contests_file = contests.file().to_owned();
    let contests_audit =
        signed.entry(crate::model::FileKind::Contests, Some(contests.province())).map(|e| FileAudit::of(e, true));
    let results_file = results_audit.path.clone();
    let (results_file, contests_file) = (results_file.as_str(), contests_file.as_str());
    let contests = contests.into_doc();
    let mut findings = Vec::new();
    let signatures_verified = checked.len() as u64;
    let mut stations: Vec<StationOutcome> = registry
        .stations
        .into_iter()
        .map(|r| StationOutcome { device: r.key.id(), station: r.station, contest: r.contest, result: None })
        .collect();
    let mut by_contest: Vec<Vec<usize>> = vec![Vec::new(); contests.contests.len()];
    for (i, s) in stations.iter().enumerate() {
        by_contest[s.contest].push(i);
    }
    let mut lines: Vec<usize> = vec![0; stations.len()];
    for c in checked {
        lines[c.station] = c.line;
        stations[c.station].result = Some(c.result);
    }
    let mut outcomes = Vec::with_capacity(contests.contests.len());
    for (ci, contest) in contests.contests.into_iter().enumerate() {
        let idx = std::mem::take(&mut by_contest[ci]);
        let mut results = Vec::new();
        for &si in &idx {
            if let Some(r) = &stations[si].result {
                for check in arithmetic(&contest, r) {
                    findings.push(Finding::Arithmetic {
                        file: results_file.into(),
                        line: lines[si],
                        station: stations[si].station.id.to_string(),
                        contest: contest.id.to_string(),
                        check,
                    });
                }
                results.push(r);
            }
        }
        let before = findings.len();
        let (counted, ranking) = match tally::tally(&contest, results) {
            Some(t) => {
                let published = contest.published.as_ref();
                let tie_order: Vec<Id> =
                    published.map(|p| p.elected.iter().chain(&p.alternates).cloned().collect()).unwrap_or_default();
                let ranking = tally::rank(&contest, &t.votes, &tie_order);
                (t, ranking)
            }
            None => {
                findings.push(Finding::Overflow { file: results_file.into(), contest: contest.id.to_string() });
                (Tally::default(), Vec::new())
            }
        };
        if counted.ballots_cast > contest.eligible {
            findings.push(Finding::TurnoutAboveEligible {
                file: results_file.into(),
                contest: contest.id.to_string(),
                cast: counted.ballots_cast,
                eligible: contest.eligible,
            });
        }
        if let Some(p) = &contest.published {
            compare_published(contests_file, &contest, p, &counted, &ranking, &mut findings);
        }
        let matches_published = !findings[before..].iter().any(|f| {
            matches!(f, Finding::RecountMismatch { .. } | Finding::OutcomeMismatch { .. } | Finding::Overflow { .. })
        });
        outcomes.push(ContestOutcome {
            contest,
            tally: counted,
            ranking,
            stations: idx,
            matches_published,
            recounted: true,
        });
    }
    if let Some((_, counties)) = signed.province(&contests.province) {
        compare_summary(signed, counties, &outcomes, &mut findings);
    }
    let files = contests_audit.into_iter().chain([stations_audit, results_audit]).collect();
    VerifiedProvince { code: contests.province, contests: outcomes, stations, findings, signatures_verified, files }
}

/// Each county's recounted totals against the summary's; a county with
/// councils that the summary leaves out has, as published, none.
fn compare_summary(
    signed: &SignedRelease,
    counties: &[SummaryCounty],
    outcomes: &[ContestOutcome],
    findings: &mut Vec<Finding>,
) {
    let file = signed.entry(crate::model::FileKind::Summary, None).map(|e| e.path.clone()).unwrap_or_default();
    let mut compare = |county: &Id, published: &Totals| {
        let recounted = Totals::of_contests(outcomes.iter().filter(|o| o.contest.county == *county));
        for ((field, published), (_, counted)) in published.fields().into_iter().zip(recounted.fields()) {
            if published != counted {
                findings.push(Finding::SummaryMismatch {
                    file: file.clone(),
                    county: county.to_string(),
                    field: field.into(),
                    published: published.to_string(),
                    recounted: counted.to_string(),
                });
            }
        }
    };
    for county in counties {
        compare(&county.code, &county.totals);
    }
    let mut missing: Vec<&Id> = Vec::new();
    for o in outcomes {
        let county = &o.contest.county;
        if !counties.iter().any(|c| c.code == *county) && !missing.contains(&county) {
            missing.push(county);
        }
    }
    for county in missing {
        compare(county, &Totals::default());
    }
}

fn compare_published(
    file: &str,
    contest: &Contest,
    p: &crate::model::PublishedTotals,
    recount: &Tally,
    ranking: &[Ranked],
    findings: &mut Vec<Finding>,
) {
    let mut mismatch = |field: String, published: u64, recounted: u64| {
        if published != recounted {
            findings.push(Finding::RecountMismatch {
                file: file.into(),
                contest: contest.id.to_string(),
                field,
                published,
                recounted,
            });
        }
    };
    mismatch("stations reported".into(), p.stations_reported, recount.stations_reported);
    mismatch("ballots cast".into(), p.ballots_cast, recount.ballots_cast);
    mismatch("valid ballots".into(), p.valid, recount.valid);
    mismatch("invalid ballots".into(), p.invalid, recount.invalid);
    for cv in &p.votes {
        if let Some(i) = contest.candidates.iter().position(|c| c.id == cv.candidate) {
            let recounted = recount.votes.get(i).copied().unwrap_or(0);
            mismatch(format!("votes for `{}`", cv.candidate), cv.votes, recounted);
        }
    }
    let (elected, alternates) = tally::outcome(contest, ranking);
    for (list, published, recounted) in [("elected", &p.elected, elected), ("alternates", &p.alternates, alternates)] {
        if *published != recounted {
            findings.push(Finding::OutcomeMismatch {
                file: file.into(),
                contest: contest.id.to_string(),
                list: list.into(),
                published: published.iter().map(|i| i.to_string()).collect(),
                recounted: recounted.iter().map(|i| i.to_string()).collect(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contest() -> Contest {
        let candidate = |k: &str, code: &str| serde_json::json!({"id": k, "ballot_code": code, "name": {"fa": "نامزد", "en": "Candidate"}});
        serde_json::from_value(serde_json::json!({
            "id": "IR-15-1501-C01", "kind": "city", "county": "1501",
            "name": {"fa": "الیگودرز", "en": "Aligudarz"},
            "seats": 5, "alternates": 3, "eligible": 1000,
            "candidates": [candidate("K1", "11"), candidate("K2", "12"), candidate("K3", "13")],
        }))
        .unwrap()
    }

    fn result(votes: &[(&str, u64)]) -> StationResult {
        let votes: Vec<_> = votes.iter().map(|(c, v)| serde_json::json!({"candidate": c, "votes": v})).collect();
        serde_json::from_value(serde_json::json!({
            "type": "shafaf/station-result/v1", "election": "e", "station": "S1", "contest": "IR-15-1501-C01",
            "opened": "2026-06-19T08:00:00+03:30", "closed": "2026-06-19T20:00:00+03:30",
            "ballots_cast": 100, "valid": 100, "invalid": 0, "votes": votes,
        }))
        .unwrap()
    }

    #[test]
    fn candidates_named_out_of_order_twice_or_unknown_are_found_as_before() {
        let c = contest();
        assert_eq!(arithmetic(&c, &result(&[("K1", 10), ("K2", 20), ("K3", 30)])), vec![]);
        // Out of the ballot's order is allowed.
        assert_eq!(arithmetic(&c, &result(&[("K3", 10), ("K1", 20), ("K2", 30)])), vec![]);
        let unknown = |c: &str| ArithmeticCheck::UnknownCandidate { candidate: c.into() };
        let repeated = |c: &str| ArithmeticCheck::RepeatedCandidate { candidate: c.into() };
        assert_eq!(
            arithmetic(&c, &result(&[("K2", 1), ("K1", 1), ("K2", 1), ("X", 1), ("K3", 1), ("X", 1)])),
            vec![repeated("K2"), unknown("X"), unknown("X"), repeated("X")]
        );
        // The tally counts known candidates where they stand on the ballot.
        let r = result(&[("K3", 5), ("K1", 7), ("X", 9)]);
        assert_eq!(tally::tally(&c, [&r]).unwrap().votes, vec![7, 0, 5]);
    }
}
