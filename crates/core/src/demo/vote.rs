//! What each polling station counts: turnout, invalid ballots and votes.
//!
//! Every count obeys the rules a verifier checks (valid + invalid = cast,
//! no candidate above the valid ballots, no more votes than valid ballots ×
//! seats, a contest's ballots within its eligible voters), with one
//! exception made on purpose: [`impossible`], for tamper mode.

use rand::Rng;

use super::plan::{exp, normal, PlannedContest};
use crate::model::ContestKind;

/// One station's count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Count {
    pub cast: u64,
    pub valid: u64,
    pub invalid: u64,
    /// Votes per candidate, in the contest's candidate order.
    pub votes: Vec<u64>,
    /// Minutes after 20:00 the station closed (polls are often extended).
    pub closed_after: u32,
}

/// A contest's turnout before station-to-station noise: cities vote less
/// than villages.
pub(crate) fn contest_turnout(rng: &mut impl Rng, kind: ContestKind) -> f64 {
    match kind {
        ContestKind::City => rng.gen_range(0.35..0.60),
        ContestKind::Village => rng.gen_range(0.55..0.85),
    }
}

fn closing(rng: &mut impl Rng, kind: ContestKind) -> u32 {
    match kind {
        ContestKind::City => rng.gen_range(120..=240),
        ContestKind::Village => rng.gen_range(0..=180),
    }
}

/// A station's ordinary count: `share` is the number of the contest's
/// eligible voters it serves.
pub(crate) fn ordinary(rng: &mut impl Rng, contest: &PlannedContest, share: u64, turnout: f64) -> Count {
    let t = (turnout + 0.04 * normal(rng)).clamp(0.05, 0.97);
    let cast = (share as f64 * t).round() as u64;
    ballots(rng, contest, cast)
}

/// Every eligible voter of the station's share voted.
pub(crate) fn full(rng: &mut impl Rng, contest: &PlannedContest, share: u64) -> Count {
    ballots(rng, contest, share)
}

/// Splits `cast` ballots into invalid and valid, and the valid ballots'
/// votes among the candidates by popularity, with local noise.
fn ballots(rng: &mut impl Rng, contest: &PlannedContest, cast: u64) -> Count {
    let invalid = (cast as f64 * rng.gen_range(0.02..0.08)).round() as u64;
    let valid = cast - invalid;
    let seats = u64::from(contest.seats);
    // Each valid ballot names 1 to `seats` candidates, about 70% of seats.
    let per_ballot = rng.gen_range(0.6..0.8) * seats as f64;
    let total = ((valid as f64 * per_ballot).round() as u64).clamp(valid, valid * seats);
    let weights: Vec<f64> = contest.candidates.iter().map(|c| c.popularity * exp(0.25 * normal(rng))).collect();
    let votes = allocate(total, &weights, valid);
    Count { cast, valid, invalid, votes, closed_after: closing(rng, contest.kind) }
}

/// Ballot stuffing: nearly every eligible voter of the share "voted", and
/// nearly every ballot names `favourite` (and few others).
pub(crate) fn stuffed(rng: &mut impl Rng, contest: &PlannedContest, share: u64, favourite: usize) -> Count {
    let cast = ((share as f64 * rng.gen_range(0.97..=1.0)).round() as u64).min(share);
    let invalid = (cast as f64 * rng.gen_range(0.0..0.01)).round() as u64;
    let valid = cast - invalid;
    let for_favourite = (valid as f64 * rng.gen_range(0.95..=1.0)).round() as u64;
    let rest = (valid as f64 * rng.gen_range(0.05..0.35)).round() as u64;
    let weights: Vec<f64> =
        contest.candidates.iter().enumerate().map(|(i, c)| if i == favourite { 0.0 } else { c.popularity }).collect();
    let mut votes = allocate(rest.min(valid * (contest.candidates.len() as u64 - 1)), &weights, valid);
    votes[favourite] = for_favourite;
    Count { cast, valid, invalid, votes, closed_after: closing(rng, contest.kind) }
}

/// Which arithmetic rule a tampered count breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Impossible {
    /// valid + invalid ≠ ballots cast.
    ValidPlusInvalid,
    /// One candidate has more votes than there are valid ballots.
    CandidateAboveValid,
    /// More votes in all than valid ballots × seats.
    VotesAboveCapacity,
}

/// Changes an ordinary count so that it breaks exactly one rule. Returns a
/// note on what was changed.
pub(crate) fn impossible(rng: &mut impl Rng, count: &mut Count, contest: &PlannedContest, rule: Impossible) -> String {
    let seats = contest.seats;
    let top = (0..count.votes.len()).max_by_key(|&i| (count.votes[i], std::cmp::Reverse(i))).unwrap_or(0);
    match rule {
        Impossible::ValidPlusInvalid => {
            let extra = rng.gen_range(3..=30);
            count.cast += extra;
            format!("{} ballots cast but {} valid + {} invalid", count.cast, count.valid, count.invalid)
        }
        Impossible::CandidateAboveValid => {
            let extra = rng.gen_range(5..=60);
            count.votes[top] = count.valid + extra;
            // Keep the total within valid × seats, so only this rule breaks.
            let cap = count.valid * u64::from(seats);
            let mut order: Vec<usize> = (0..count.votes.len()).filter(|&i| i != top).collect();
            order.sort_by_key(|&i| (count.votes[i], i));
            for i in order {
                let total: u64 = count.votes.iter().sum();
                if total <= cap {
                    break;
                }
                count.votes[i] -= (total - cap).min(count.votes[i]);
            }
            format!(
                "{} ({}) has {} votes but there are {} valid ballots",
                contest.candidates[top].name.en, contest.candidates[top].id, count.votes[top], count.valid
            )
        }
        Impossible::VotesAboveCapacity => {
            let mut order: Vec<usize> = (0..count.votes.len()).collect();
            order.sort_by_key(|&i| (std::cmp::Reverse(count.votes[i]), i));
            for &i in order.iter().take(seats as usize + 1) {
                count.votes[i] = count.valid;
            }
            let total: u64 = count.votes.iter().sum();
            format!("{total} votes in all from {} valid ballots for {seats} seats", count.valid)
        }
    }
}

/// Distributes `total` votes in proportion to `weights`, no one above `cap`
/// (water-filling: those who would exceed it get `cap`, the rest is shared
/// again), in whole votes by largest remainder. `total` must be at most
/// `cap` × the number of positive weights.
pub(crate) fn allocate(total: u64, weights: &[f64], cap: u64) -> Vec<u64> {
    let n = weights.len();
    let mut out = vec![0u64; n];
    let mut fixed = vec![false; n];
    let mut remaining = total;
    loop {
        let sum: f64 = (0..n).filter(|&i| !fixed[i]).map(|i| weights[i]).sum();
        if sum <= 0.0 || remaining == 0 {
            break;
        }
        let over: Vec<usize> =
            (0..n).filter(|&i| !fixed[i] && remaining as f64 * weights[i] / sum > cap as f64).collect();
        if over.is_empty() {
            let exact: Vec<f64> =
                (0..n).map(|i| if fixed[i] { 0.0 } else { remaining as f64 * weights[i] / sum }).collect();
            for i in (0..n).filter(|&i| !fixed[i]) {
                out[i] = (exact[i].floor() as u64).min(cap);
            }
            let mut left = remaining - (0..n).filter(|&i| !fixed[i]).map(|i| out[i]).sum::<u64>();
            let mut order: Vec<usize> = (0..n).filter(|&i| !fixed[i] && weights[i] > 0.0).collect();
            order.sort_by(|&a, &b| {
                (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b))
            });
            // One pass by remainder is enough but for rounding; go round again
            // if needed, never past the cap.
            while left > 0 {
                let before = left;
                for &i in &order {
                    if left == 0 {
                        break;
                    }
                    if out[i] < cap {
                        out[i] += 1;
                        left -= 1;
                    }
                }
                if left == before {
                    break;
                }
            }
            break;
        }
        for i in over {
            fixed[i] = true;
            out[i] = cap;
            remaining -= cap.min(remaining);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::names::Pair;
    use crate::demo::plan::PlannedCandidate;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn contest(kind: ContestKind, seats: u32, n: usize) -> PlannedContest {
        PlannedContest {
            id: "c".into(),
            kind,
            county: "1503".into(),
            name: Pair { fa: "ده".into(), en: "Deh".into() },
            seats,
            eligible: 10_000,
            candidates: (0..n)
                .map(|i| PlannedCandidate {
                    id: format!("k{i}"),
                    ballot_code: format!("{}", 100 + i),
                    name: Pair { fa: "x".into(), en: "x".into() },
                    popularity: if i == 0 { 30.0 } else { 1.0 / (i as f64) },
                })
                .collect(),
            stations: 1,
        }
    }

    fn lawful(c: &Count, seats: u32) {
        assert_eq!(c.valid + c.invalid, c.cast);
        assert!(c.votes.iter().all(|&v| v <= c.valid), "{c:?}");
        let total: u64 = c.votes.iter().sum();
        assert!(total <= c.valid * u64::from(seats) && total >= c.valid, "{c:?}");
    }

    #[test]
    fn allocate_is_exact_and_respects_the_cap() {
        assert_eq!(allocate(10, &[1.0, 1.0], 100), vec![5, 5]);
        let v = allocate(300, &[100.0, 1.0, 1.0, 1.0], 100);
        assert_eq!(v.iter().sum::<u64>(), 300);
        assert!(v.iter().all(|&x| x <= 100));
        assert_eq!(v[0], 100);
        assert_eq!(allocate(400, &[5.0, 1.0, 1.0, 1.0], 100), vec![100; 4]);
    }

    #[test]
    fn ordinary_full_and_stuffed_counts_obey_every_rule() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        for seats in [3u32, 5, 21] {
            let c = contest(ContestKind::Village, seats, seats as usize + 1);
            for share in [0u64, 1, 7, 450, 1_700] {
                let o = ordinary(&mut rng, &c, share, 0.7);
                lawful(&o, seats);
                assert!(o.cast <= share);
                let f = full(&mut rng, &c, share);
                lawful(&f, seats);
                assert_eq!(f.cast, share);
                let s = stuffed(&mut rng, &c, share, seats as usize);
                assert_eq!(s.valid + s.invalid, s.cast);
                assert!(s.cast <= share && s.votes.iter().all(|&v| v <= s.valid));
                assert!(s.votes.iter().sum::<u64>() <= s.valid * u64::from(seats));
                assert!(s.votes[seats as usize] as f64 >= 0.95 * s.valid as f64 - 1.0);
            }
        }
    }

    #[test]
    fn each_impossible_count_breaks_its_rule_only() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let c = contest(ContestKind::City, 5, 12);
        for rule in [Impossible::ValidPlusInvalid, Impossible::CandidateAboveValid, Impossible::VotesAboveCapacity] {
            let mut count = ordinary(&mut rng, &c, 900, 0.5);
            impossible(&mut rng, &mut count, &c, rule);
            let sum_ok = count.valid + count.invalid == count.cast;
            let above = count.votes.iter().any(|&v| v > count.valid);
            let capacity = count.votes.iter().sum::<u64>() > count.valid * 5;
            assert_eq!(
                (sum_ok, above, capacity),
                match rule {
                    Impossible::ValidPlusInvalid => (false, false, false),
                    Impossible::CandidateAboveValid => (true, true, false),
                    Impossible::VotesAboveCapacity => (true, false, true),
                }
            );
        }
    }
}
