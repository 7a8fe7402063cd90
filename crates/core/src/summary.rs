//! The figures people read, computed once from verified data: totals for the
//! country, a province, a county or one council, and a council's derived
//! facts (turnout, votes per ballot, the margin of the last seat).
//!
//! The dashboard and `shafaf verify --json` both use these, so the numbers on
//! the page and in the report are the same numbers by construction.

use serde::Serialize;

use crate::model::Id;
use crate::tally::Standing;
use crate::verify::{ContestOutcome, VerifiedElection, VerifiedProvince};

pub use crate::model::Totals;

impl Totals {
    pub fn of_province(p: &VerifiedProvince) -> Totals {
        Totals::of_contests(&p.contests)
    }

    pub fn of_election(e: &VerifiedElection) -> Totals {
        Totals::of_contests(e.provinces.iter().flat_map(|p| &p.contests))
    }

    /// Ballots cast / eligible voters.
    pub fn turnout(&self) -> Option<Ratio> {
        Ratio::new(self.ballots_cast, self.eligible)
    }

    /// Invalid ballots / ballots cast.
    pub fn invalid_share(&self) -> Option<Ratio> {
        Ratio::new(self.invalid, self.ballots_cast)
    }

    /// Candidate votes / valid ballots: how many names a voter wrote, on average.
    pub fn votes_per_ballot(&self) -> Option<Ratio> {
        Ratio::new(self.votes, self.valid)
    }

    /// Stations reported / registered.
    pub fn reporting(&self) -> Option<Ratio> {
        Ratio::new(self.stations_reported, self.stations_registered)
    }
}

/// An exact ratio of two counts, so that rounding happens only for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ratio {
    pub num: u64,
    pub den: u64,
}

impl Ratio {
    pub fn new(num: u64, den: u64) -> Option<Ratio> {
        (den > 0).then_some(Ratio { num, den })
    }

    pub fn value(&self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// As a percentage.
    pub fn percent(&self) -> f64 {
        100.0 * self.value()
    }
}

/// One candidate's line in a council's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateLine {
    /// Index into `contest.candidates`.
    pub candidate: usize,
    pub id: Id,
    pub votes: u64,
    pub rank: usize,
    pub standing: Standing,
    pub decided_by_tie_break: bool,
    /// Votes / valid ballots: the share of voters who named this candidate.
    pub share: Option<Ratio>,
}

/// What a citizen reads about one council.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContestFacts {
    pub totals: Totals,
    pub lines: Vec<CandidateLine>,
    /// Votes of the last elected member minus those of the first alternate:
    /// how close the last seat was. `None` when there is no alternate.
    pub last_seat_margin: Option<u64>,
    /// Whether the published totals and outcome equal the recount.
    pub matches_published: bool,
}

impl ContestFacts {
    pub fn of(c: &ContestOutcome) -> ContestFacts {
        let totals = Totals::of_contest(c);
        let lines: Vec<CandidateLine> = c
            .ranking
            .iter()
            .map(|r| CandidateLine {
                candidate: r.candidate,
                id: c.contest.candidates[r.candidate].id.clone(),
                votes: r.votes,
                rank: r.rank,
                standing: r.standing,
                decided_by_tie_break: r.decided_by_tie_break,
                share: Ratio::new(r.votes, c.tally.valid),
            })
            .collect();
        let last_elected = lines.iter().filter(|l| l.standing == Standing::Elected).map(|l| l.votes).next_back();
        let first_alternate = lines.iter().find(|l| l.standing == Standing::Alternate).map(|l| l.votes);
        let last_seat_margin = match (last_elected, first_alternate) {
            (Some(a), Some(b)) => Some(a.saturating_sub(b)),
            _ => None,
        };
        ContestFacts { totals, lines, last_seat_margin, matches_published: c.matches_published }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_need_a_denominator() {
        assert_eq!(Ratio::new(1, 0), None);
        assert_eq!(Ratio::new(1, 4).map(|r| r.percent()), Some(25.0));
    }

    #[test]
    fn totals_add_up() {
        let mut a = Totals {
            contests: 1,
            eligible: 100,
            ballots_cast: 50,
            valid: 45,
            invalid: 5,
            votes: 90,
            ..Default::default()
        };
        a.add(&a.clone());
        assert_eq!((a.contests, a.eligible, a.ballots_cast), (2, 200, 100));
        assert_eq!(a.turnout().map(|r| r.percent()), Some(50.0));
        assert_eq!(a.votes_per_ballot().map(|r| r.value()), Some(2.0));
        assert_eq!(a.invalid_share().map(|r| r.percent()), Some(10.0));
    }
}
