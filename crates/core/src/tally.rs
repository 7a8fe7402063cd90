//! Counting a contest: summing station results and ranking candidates.
//!
//! The authority's publisher and every verifier use these same functions, so
//! a recount that differs from the published totals can only mean the
//! published totals are not the sum of the signed station results.

use serde::{Deserialize, Serialize};

use crate::model::{Contest, Id, StationResult};

/// The sum of a contest's station results. `votes[i]` is for `contest.candidates[i]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub stations_reported: u64,
    pub ballots_cast: u64,
    pub valid: u64,
    pub invalid: u64,
    pub votes: Vec<u64>,
}

impl Tally {
    /// All votes given, over all candidates.
    pub fn total_votes(&self) -> u64 {
        self.votes.iter().fold(0u64, |a, v| a.saturating_add(*v))
    }
}

/// Sums the results; `None` if a sum overflows 64 bits. Votes for names that
/// are not candidates of the contest are not counted (verification reports them).
pub fn tally<'a>(contest: &Contest, results: impl IntoIterator<Item = &'a StationResult>) -> Option<Tally> {
    let mut t = Tally { votes: vec![0; contest.candidates.len()], ..Tally::default() };
    for r in results {
        t.stations_reported = t.stations_reported.checked_add(1)?;
        t.ballots_cast = t.ballots_cast.checked_add(r.ballots_cast)?;
        t.valid = t.valid.checked_add(r.valid)?;
        t.invalid = t.invalid.checked_add(r.invalid)?;
        for (j, cv) in r.votes.iter().enumerate() {
            if let Some(i) = contest.candidate_index(&cv.candidate, j) {
                t.votes[i] = t.votes[i].checked_add(cv.votes)?;
            }
        }
    }
    Some(t)
}

/// Where a candidate ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Elected,
    Alternate,
    NotElected,
}

/// One line of a contest's final ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    /// Index into `contest.candidates`.
    pub candidate: usize,
    pub votes: u64,
    /// 1-based place after the tie-break.
    pub rank: usize,
    pub standing: Standing,
    /// Another candidate with the same votes has a different standing: the
    /// tie-break decided between them.
    pub decided_by_tie_break: bool,
}

/// Ranks candidates by votes, most first; equal votes are ordered by
/// `tie_order` (the published tie-break: the drawing of lots), then by ballot
/// order. The first `seats` are elected, the next `alternates` are alternates.
pub fn rank(contest: &Contest, votes: &[u64], tie_order: &[Id]) -> Vec<Ranked> {
    // Each candidate's place in the tie-break, found once (not in every comparison).
    let position: Vec<usize> = (0..contest.candidates.len())
        .map(|i| tie_order.iter().position(|id| *id == contest.candidates[i].id).unwrap_or(tie_order.len() + i))
        .collect();
    let mut order: Vec<usize> = (0..contest.candidates.len()).collect();
    order.sort_by(|&a, &b| {
        let va = votes.get(a).copied().unwrap_or(0);
        let vb = votes.get(b).copied().unwrap_or(0);
        vb.cmp(&va).then(position[a].cmp(&position[b]))
    });
    let seats = contest.seats as usize;
    let alternates = contest.alternates as usize;
    let mut ranked: Vec<Ranked> = order
        .iter()
        .enumerate()
        .map(|(place, &i)| Ranked {
            candidate: i,
            votes: votes.get(i).copied().unwrap_or(0),
            rank: place + 1,
            standing: if place < seats {
                Standing::Elected
            } else if place < seats.saturating_add(alternates) {
                Standing::Alternate
            } else {
                Standing::NotElected
            },
            decided_by_tie_break: false,
        })
        .collect();
    for i in 0..ranked.len() {
        let tied = ranked.iter().any(|other| other.votes == ranked[i].votes && other.standing != ranked[i].standing);
        ranked[i].decided_by_tie_break = tied;
    }
    ranked
}

/// The elected members and the alternates of a ranking, as candidate ids.
pub fn outcome(contest: &Contest, ranking: &[Ranked]) -> (Vec<Id>, Vec<Id>) {
    let ids = |s: Standing| {
        ranking.iter().filter(|r| r.standing == s).map(|r| contest.candidates[r.candidate].id.clone()).collect()
    };
    (ids(Standing::Elected), ids(Standing::Alternate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Candidate, ContestKind, Name, Text};

    fn contest(seats: u32, alternates: u32, n: usize) -> Contest {
        let name = Name { fa: Text::new("ده").unwrap(), en: Text::new("Deh").unwrap() };
        Contest {
            id: Id::new("v1").unwrap(),
            kind: ContestKind::Village,
            county: Id::new("1503").unwrap(),
            name: name.clone(),
            seats,
            alternates,
            eligible: 1000,
            candidates: (0..n)
                .map(|i| Candidate {
                    id: Id::new(format!("c{i}")).unwrap(),
                    ballot_code: Id::new(format!("{}", 100 + i)).unwrap(),
                    name: name.clone(),
                })
                .collect(),
            published: None,
        }
    }

    fn ids(v: &[&str]) -> Vec<Id> {
        v.iter().map(|s| Id::new(*s).unwrap()).collect()
    }

    #[test]
    fn top_seats_are_elected_and_next_are_alternates() {
        let c = contest(3, 2, 6);
        let r = rank(&c, &[10, 60, 30, 50, 40, 20], &[]);
        let (elected, alternates) = outcome(&c, &r);
        assert_eq!(elected, ids(&["c1", "c3", "c4"]));
        assert_eq!(alternates, ids(&["c2", "c5"]));
        assert!(r.iter().all(|x| !x.decided_by_tie_break));
    }

    #[test]
    fn tie_at_the_last_seat_follows_the_published_lot_and_is_flagged() {
        let c = contest(3, 2, 5);
        let votes = [50, 40, 30, 30, 10];
        let r = rank(&c, &votes, &ids(&["c3", "c2"]));
        let (elected, alternates) = outcome(&c, &r);
        assert_eq!(elected, ids(&["c0", "c1", "c3"]));
        assert_eq!(alternates, ids(&["c2", "c4"]));
        let flagged: Vec<usize> = r.iter().filter(|x| x.decided_by_tie_break).map(|x| x.candidate).collect();
        assert_eq!(flagged, vec![3, 2]);
    }

    #[test]
    fn tally_sums_and_detects_overflow() {
        use crate::model::{CandidateVotes, StationResultType};
        let c = contest(3, 2, 2);
        let r = |cast: u64, v0: u64| StationResult {
            doc_type: StationResultType::V1,
            election: Id::new("e").unwrap(),
            station: Id::new("s").unwrap(),
            contest: Id::new("v1").unwrap(),
            opened: time::OffsetDateTime::UNIX_EPOCH,
            closed: time::OffsetDateTime::UNIX_EPOCH,
            ballots_cast: cast,
            valid: cast,
            invalid: 0,
            votes: vec![CandidateVotes { candidate: Id::new("c0").unwrap(), votes: v0 }],
        };
        let t = tally(&c, &[r(10, 7), r(5, 5)]).unwrap();
        assert_eq!((t.stations_reported, t.ballots_cast, t.votes.clone()), (2, 15, vec![12, 0]));
        assert_eq!(tally(&c, &[r(u64::MAX, 1), r(1, 1)]), None);
    }
}
