//! Election forensics over verified results: the charts and tests that
//! journalists and observers use to look for stations worth a second look.
//!
//! Everything here is a pure function of verified data, for whatever region
//! the reader has open: a [`Scope`] selects contests and their stations from
//! verified provinces, [`station_points`] reduces each reported station to the
//! figures the statistics need, and the submodules compute, from those:
//!
//! - [`histogram`]: the turnout × share "election fingerprint" (Klimek et al.
//!   2012), one-dimensional histograms (station turnout, seats filled per
//!   ballot) and the closing-time distribution;
//! - [`regions`]: turnout by province, county or contest;
//! - [`digits`]: the last-digit test (Beber & Scacco 2012) and the
//!   second-digit Benford test (Mebane's 2BL), with chi-square p-values;
//! - [`integer`]: the share of stations whose turnout is a whole percentage
//!   (Kobak, Shpilkin & Pshenichnikov 2016);
//! - [`outliers`]: stations to look at, each with its reasons;
//! - [`explain`]: what each chart shows and what it does not prove, in one
//!   sentence, in Persian and English.
//!
//! None of these proves fraud: honest counts produce every pattern here by
//! chance or for ordinary reasons (a village that votes as one, a candidate
//! from the village). No first-digit Benford test is offered, because station
//! counts are bounded by station size and are not expected to follow it.
//!
//! Multi-seat councils are handled by rank: "the rank-k candidate" is the
//! contest's k-th placed candidate after the recount (k = 1 is the winner),
//! and a station's share for rank k is that candidate's votes there over the
//! station's valid ballots. Shares of different candidates do not add up to
//! one (a ballot names up to `seats` candidates), so the fingerprint is drawn
//! per rank; and the names per ballot, as a share of the seats ("seats
//! filled"), are a statistic of their own: a histogram and an outlier reason,
//! since ballots filled in for one candidate name few others.
//!
//! Nothing here panics on any input: empty regions, stations with no
//! eligible voters or no valid ballots give `None` or are counted as
//! undefined, and counts are summed without overflow.

pub mod digits;
pub mod explain;
pub mod histogram;
pub mod integer;
pub mod outliers;
pub mod regions;

#[cfg(test)]
mod testing;

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;
use time::OffsetDateTime;

use crate::model::{Id, StationResult};
use crate::summary::{Ratio, Totals};
use crate::verify::{ContestOutcome, StationOutcome, VerifiedElection, VerifiedProvince};

pub use digits::{digit_counts, last_digit_test, second_digit_test, CountSource, DigitTest, DigitTestKind};
pub use explain::{Bilingual, Chart};
pub use histogram::{closing_times, fingerprint, histogram, turnout_histogram, Histogram, Histogram2D, TimeHistogram};
pub use integer::{integer_percent_turnout, IntegerPercent};
pub use outliers::{outliers, Outlier, OutlierRules, Reason};
pub use regions::{turnout_by_region, Level, RegionTotals};

/// The part of the election a reader has open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Region {
    /// Every contest of the provinces given to the scope.
    #[default]
    All,
    /// One province, by ISO 3166-2 code (`IR-15`).
    Province(Id),
    /// One county, by census code (`1503`); county codes are unique in the country.
    County(Id),
    /// One contest (council), by id.
    Contest(Id),
}

/// A region's contests and stations, selected from verified provinces.
///
/// The browser holds the provinces it has fetched and verified one by one;
/// the CLI holds a whole [`VerifiedElection`]. Both make a scope the same way.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    provinces: Vec<&'a VerifiedProvince>,
    region: Region,
}

/// A station with its contest: what the statistics iterate over.
pub type Pair<'a> = (&'a ContestOutcome, &'a StationOutcome);

impl<'a> Scope<'a> {
    pub fn new(provinces: impl IntoIterator<Item = &'a VerifiedProvince>, region: Region) -> Scope<'a> {
        Scope { provinces: provinces.into_iter().collect(), region }
    }

    pub fn of_election(election: &'a VerifiedElection, region: Region) -> Scope<'a> {
        Scope::new(&election.provinces, region)
    }

    pub fn region(&self) -> &Region {
        &self.region
    }

    /// The level one step below the scope's region, for [`turnout_by_region`]:
    /// provinces of the country, counties of a province, contests of a county.
    pub fn child_level(&self) -> Level {
        match self.region {
            Region::All => Level::Province,
            Region::Province(_) => Level::County,
            Region::County(_) | Region::Contest(_) => Level::Contest,
        }
    }

    /// The contests in the region, with their province.
    pub fn contests(&self) -> impl Iterator<Item = (&'a VerifiedProvince, &'a ContestOutcome)> + '_ {
        self.provinces
            .iter()
            .copied()
            .filter(|p| match &self.region {
                Region::Province(code) => p.code == *code,
                _ => true,
            })
            .flat_map(|p| p.contests.iter().map(move |c| (p, c)))
            .filter(|(_, c)| match &self.region {
                Region::All | Region::Province(_) => true,
                Region::County(code) => c.contest.county == *code,
                Region::Contest(id) => c.contest.id == *id,
            })
    }

    /// Every registered station in the region, reported or not, with its contest.
    pub fn stations(&self) -> impl Iterator<Item = Pair<'a>> + '_ {
        self.contests()
            .flat_map(|(p, c)| c.stations.iter().filter_map(move |&i| p.stations.get(i)).map(move |s| (c, s)))
    }

    /// The region's totals, as the summary shows them.
    pub fn totals(&self) -> Totals {
        Totals::of_contests(self.contests().map(|(_, c)| c))
    }
}

/// A reported station, reduced to the figures the statistics use.
#[derive(Clone, Copy)]
pub struct StationPoint<'a> {
    pub contest: &'a ContestOutcome,
    pub station: &'a StationOutcome,
    pub result: &'a StationResult,
    /// Voters assigned to the station by the authority's plan.
    pub eligible: u64,
    pub ballots_cast: u64,
    pub valid: u64,
    pub invalid: u64,
    /// All candidate votes at the station (a ballot names up to `seats`).
    pub votes: u64,
    /// The candidate named on most of the station's ballots (lowest contest
    /// rank among equals), as an index into `contest.contest.candidates`.
    pub top: Option<TopCandidate>,
    /// Ballots cast / eligible; above one where more voters came than the
    /// plan assigned (allowed: voters may vote at any station of their contest).
    pub turnout: Option<Ratio>,
    /// The top candidate's votes / valid ballots.
    pub top_share: Option<Ratio>,
    /// Candidate votes / valid ballots: names per ballot, from 0 to `seats`.
    pub votes_per_ballot: Option<Ratio>,
    /// Invalid / cast.
    pub invalid_share: Option<Ratio>,
    pub opened: OffsetDateTime,
    pub closed: OffsetDateTime,
}

impl fmt::Debug for StationPoint<'_> {
    /// The station's figures, without its whole contest.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StationPoint")
            .field("station", self.station_id())
            .field("contest", self.contest_id())
            .field("eligible", &self.eligible)
            .field("ballots_cast", &self.ballots_cast)
            .field("valid", &self.valid)
            .field("invalid", &self.invalid)
            .field("votes", &self.votes)
            .field("top", &self.top)
            .field("closed", &self.closed)
            .finish_non_exhaustive()
    }
}

/// The candidate with most votes at one station.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopCandidate {
    /// Index into `contest.candidates`.
    pub candidate: usize,
    /// 1-based place in the contest's recount (`usize::MAX` if the recount
    /// could not rank the contest, as when a sum overflowed).
    pub rank: usize,
    pub votes: u64,
}

/// A figure of a station that the charts can put on an axis; each is a
/// ratio, normally in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Ballots cast / eligible voters (can exceed one).
    Turnout,
    /// Votes of the contest's rank-k candidate / valid ballots (k ≥ 1).
    RankShare(usize),
    /// Votes of the station's own top candidate / valid ballots.
    TopShare,
    /// Candidate votes / (valid ballots × seats): how full the ballots are.
    SeatsFilled,
    /// Invalid / cast.
    InvalidShare,
}

impl<'a> StationPoint<'a> {
    /// The station's point, or `None` if it has not reported.
    pub fn of(contest: &'a ContestOutcome, station: &'a StationOutcome) -> Option<StationPoint<'a>> {
        let result = station.result.as_ref()?;
        let mut votes = 0u64;
        let mut top: Option<TopCandidate> = None;
        for (j, cv) in result.votes.iter().enumerate() {
            votes = votes.saturating_add(cv.votes);
            let Some(candidate) = contest.contest.candidate_index(&cv.candidate, j) else {
                // Not a candidate of the contest: verification lists it; the tally ignores it.
                continue;
            };
            // The rank is looked up only for a new leader or a tie.
            let leads = match top {
                None => true,
                Some(t) => match cv.votes.cmp(&t.votes) {
                    Ordering::Greater => true,
                    Ordering::Equal => rank_of(contest, candidate) < t.rank,
                    Ordering::Less => false,
                },
            };
            if leads {
                top = Some(TopCandidate { candidate, rank: rank_of(contest, candidate), votes: cv.votes });
            }
        }
        Some(StationPoint {
            contest,
            station,
            result,
            eligible: station.station.eligible,
            ballots_cast: result.ballots_cast,
            valid: result.valid,
            invalid: result.invalid,
            votes,
            top,
            turnout: Ratio::new(result.ballots_cast, station.station.eligible),
            top_share: top.and_then(|t| Ratio::new(t.votes, result.valid)),
            votes_per_ballot: Ratio::new(votes, result.valid),
            invalid_share: Ratio::new(result.invalid, result.ballots_cast),
            opened: result.opened,
            closed: result.closed,
        })
    }

    /// Turnout as a number (1.0 = 100%).
    pub fn turnout_value(&self) -> Option<f64> {
        self.turnout.map(|r| r.value())
    }

    pub fn seats(&self) -> u32 {
        self.contest.contest.seats
    }

    /// Votes at this station for the contest's rank-k candidate (k = 1 is the
    /// winner); `None` if the contest has no k-th candidate.
    pub fn rank_votes(&self, k: usize) -> Option<u64> {
        let candidate = self.contest.ranking.get(k.checked_sub(1)?)?.candidate;
        let id = &self.contest.contest.candidates.get(candidate)?.id;
        // Results list candidates in the contest's order as a rule; look further only if not.
        let entry = match self.result.votes.get(candidate) {
            Some(cv) if cv.candidate == *id => Some(cv),
            _ => self.result.votes.iter().find(|cv| cv.candidate == *id),
        };
        // A candidate the station does not list got no votes there.
        Some(entry.map_or(0, |cv| cv.votes))
    }

    /// The rank-k candidate's votes / the station's valid ballots.
    pub fn rank_share(&self, k: usize) -> Option<Ratio> {
        Ratio::new(self.rank_votes(k)?, self.valid)
    }

    /// Candidate votes / (valid ballots × seats).
    pub fn seats_filled(&self) -> Option<Ratio> {
        Ratio::new(self.votes, self.valid.saturating_mul(u64::from(self.seats())))
    }

    pub fn measure(&self, m: Measure) -> Option<Ratio> {
        match m {
            Measure::Turnout => self.turnout,
            Measure::RankShare(k) => self.rank_share(k),
            Measure::TopShare => self.top_share,
            Measure::SeatsFilled => self.seats_filled(),
            Measure::InvalidShare => self.invalid_share,
        }
    }

    pub fn station_id(&self) -> &'a Id {
        &self.station.station.id
    }

    pub fn contest_id(&self) -> &'a Id {
        &self.contest.contest.id
    }
}

/// 1-based place of a candidate in the recount; after everyone if unranked.
fn rank_of(contest: &ContestOutcome, candidate: usize) -> usize {
    // The ranking is short (tens of candidates) and usually in vote order; a
    // scan is cheaper than a map per contest.
    contest.ranking.iter().find(|r| r.candidate == candidate).map_or(usize::MAX, |r| r.rank)
}

/// The reported stations of `pairs`, as points; unreported stations are left out.
pub fn station_points<'a>(pairs: impl IntoIterator<Item = Pair<'a>>) -> Vec<StationPoint<'a>> {
    pairs.into_iter().filter_map(|(c, s)| StationPoint::of(c, s)).collect()
}

/// `a ≥ b`, exactly.
pub(crate) fn ratio_ge(a: Ratio, b: Ratio) -> bool {
    u128::from(a.num) * u128::from(b.den) >= u128::from(b.num) * u128::from(a.den)
}

/// Which of `bins` equal bins of [0, 1] a ratio falls in, exactly: bin i
/// holds [i/bins, (i+1)/bins), the last one also 1 itself and, clamped,
/// anything above one (the flag says so).
pub(crate) fn bin_of(r: Ratio, bins: usize) -> (usize, bool) {
    let last = bins.saturating_sub(1);
    if r.num > r.den {
        return (last, true);
    }
    let i = u128::from(r.num) * bins as u128 / u128::from(r.den);
    (usize::try_from(i).map_or(last, |i| i.min(last)), false)
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn scope_selects_by_province_county_and_contest() {
        let p = province();
        let all = Scope::new([&p], Region::All);
        assert_eq!(all.contests().count(), 3);
        assert_eq!(all.stations().count(), 7);
        assert_eq!(all.child_level(), Level::Province);
        assert_eq!(Scope::new([&p], Region::Province(id("IR-15"))).stations().count(), 7);
        assert_eq!(Scope::new([&p], Region::Province(id("IR-16"))).stations().count(), 0);
        // County 1501 holds the city C1 (4 stations); 1502 the villages V1 (2) and V2 (1).
        let county = Scope::new([&p], Region::County(id("1502")));
        assert_eq!(county.contests().count(), 2);
        assert_eq!(county.stations().count(), 3);
        assert_eq!(county.child_level(), Level::Contest);
        let one = Scope::new([&p], Region::Contest(id("C1")));
        assert_eq!(one.stations().count(), 4);
        assert_eq!(one.totals().ballots_cast, 500 + 450 + 300);
        assert_eq!(Scope::new([], Region::All).totals(), Totals::default());
    }

    #[test]
    fn points_have_the_hand_computed_figures() {
        let p = province();
        let scope = Scope::new([&p], Region::All);
        let points = station_points(scope.stations());
        // S7 has not reported.
        assert_eq!(points.len(), 6);
        let s1 = &points[0];
        assert_eq!(s1.station_id().as_str(), "S1");
        // S1: 500 cast of 800 eligible; 480 valid; votes 300+250+200+180+150 = 1080.
        assert_eq!(s1.turnout, Some(Ratio { num: 500, den: 800 }));
        assert_eq!(s1.turnout_value(), Some(0.625));
        assert_eq!(s1.votes, 1080);
        assert_eq!(s1.votes_per_ballot, Some(Ratio { num: 1080, den: 480 }));
        assert_eq!(s1.seats_filled(), Some(Ratio { num: 1080, den: 480 * 5 }));
        assert_eq!(s1.invalid_share, Some(Ratio { num: 20, den: 500 }));
        assert_eq!(s1.top, Some(TopCandidate { candidate: 0, rank: 1, votes: 300 }));
        assert_eq!(s1.top_share, Some(Ratio { num: 300, den: 480 }));
        // C1's recount: K0 = 300+280+100 = 680, K1 = 250+260+120 = 630, K2 = 200+150+140 = 490,
        // K3 = 180+170+90 = 440, K4 = 150+140+95 = 385: ranks follow the candidate order.
        assert_eq!(s1.rank_votes(1), Some(300));
        assert_eq!(s1.rank_votes(2), Some(250));
        assert_eq!(s1.rank_share(5), Some(Ratio { num: 150, den: 480 }));
        assert_eq!(s1.rank_votes(6), None);
        assert_eq!(s1.rank_votes(0), None);
        // S2 lists its votes out of order (K1 first): the lookup still finds them.
        let s2 = &points[1];
        assert_eq!(s2.rank_votes(1), Some(280));
        assert_eq!(s2.rank_votes(2), Some(260));
        // S3: K2 (rank 3) leads the station with 140.
        assert_eq!(points[2].top, Some(TopCandidate { candidate: 2, rank: 3, votes: 140 }));
        assert_eq!(points[2].measure(Measure::TopShare), Some(Ratio { num: 140, den: 290 }));
    }

    #[test]
    fn empty_and_zero_stations_give_none() {
        let p = province();
        let scope = Scope::new([&p], Region::Contest(id("V2")));
        let points = station_points(scope.stations());
        // V2's only station: 0 eligible, 0 cast.
        let z = &points[0];
        assert_eq!((z.turnout, z.top_share, z.votes_per_ballot, z.invalid_share), (None, None, None, None));
        assert_eq!(z.seats_filled(), None);
        assert_eq!(z.rank_share(1), None);
        assert_eq!(z.top, Some(TopCandidate { candidate: 0, rank: 1, votes: 0 }));
    }

    #[test]
    fn impossible_and_extreme_counts_do_not_panic() {
        let max = u64::MAX;
        let mut p = single(
            3,
            2,
            &[
                // Sums overflow: the contest's recount is empty and unranked.
                ("A", 0, max, Some((max, max, &[max, max], 0))),
                // A century late.
                ("B", 0, 0, Some((max, 1, &[max, 0], 60 * 24 * 365 * 100))),
                // More votes than valid ballots, more valid than cast.
                ("C", 0, 3, Some((10, 20, &[50, 60], -10_000))),
                ("D", 0, 1, None),
            ],
        );
        // A name that is not a candidate of the contest.
        p.stations[2].result.as_mut().unwrap().votes[0].candidate = id("nobody");
        let scope = Scope::new([&p], Region::All);
        let points = station_points(scope.stations());
        assert_eq!(points.len(), 3);
        assert_eq!(points[0].top.map(|t| t.rank), Some(usize::MAX));
        assert_eq!(points[0].votes, max);
        assert_eq!(points[0].rank_votes(1), None);
        assert_eq!(points[2].top.map(|t| (t.candidate, t.votes)), Some((1, 60)));
        for m in
            [Measure::Turnout, Measure::RankShare(1), Measure::TopShare, Measure::SeatsFilled, Measure::InvalidShare]
        {
            assert_eq!(histogram(&points, m, 7).total() + histogram(&points, m, 7).undefined, 3);
            assert_eq!(fingerprint(&points, m, 3).total() + fingerprint(&points, m, 3).undefined, 3);
        }
        let closing = closing_times(&points, 1).unwrap();
        assert_eq!(closing.stations.iter().sum::<u64>(), 3);
        for source in [CountSource::CandidateVotes, CountSource::RankVotes(1), CountSource::BallotsCast] {
            let counts = digit_counts(&points, source);
            let _ = (last_digit_test(counts.iter().copied()), second_digit_test(counts.iter().copied()));
        }
        assert_eq!(integer_percent_turnout(&points).undefined, 1);
        assert!(!outliers(&points, &OutlierRules::default()).is_empty());
        assert_eq!(turnout_by_region(&scope, Level::Contest).len(), 1);
    }

    #[test]
    fn bins_are_exact_at_the_edges() {
        let r = |num, den| Ratio { num, den };
        assert_eq!(bin_of(r(0, 7), 10), (0, false));
        assert_eq!(bin_of(r(1, 10), 10), (1, false));
        assert_eq!(bin_of(r(99, 100), 10), (9, false));
        assert_eq!(bin_of(r(1, 1), 10), (9, false));
        assert_eq!(bin_of(r(101, 100), 10), (9, true));
        assert_eq!(bin_of(r(u64::MAX, u64::MAX), 3), (2, false));
        assert_eq!(bin_of(r(5, 10), 0), (0, false));
        assert!(ratio_ge(r(95, 100), r(19, 20)));
        assert!(!ratio_ge(r(94, 100), r(19, 20)));
        assert!(ratio_ge(r(u64::MAX, 1), r(u64::MAX, 2)));
    }
}
