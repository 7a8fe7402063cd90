//! Stations to look at, each with the reasons it is listed.
//!
//! A listed station is not a wrong station: every reason here also has
//! honest causes (a small village that votes as one, a station where voters
//! from elsewhere came). The list says where an observer would ask first.

use serde::Serialize;

use super::{ratio_ge, StationPoint};
use crate::summary::Ratio;

/// When a station is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OutlierRules {
    /// A landslide: turnout at least this …
    pub landslide_turnout: Ratio,
    /// … and one candidate named on at least this share of the valid ballots.
    pub landslide_share: Ratio,
    /// Seats filled per ballot (names per ballot / seats) at least this far
    /// from the median station of the stations given …
    pub seats_filled_gap: Ratio,
    /// … at a station with at least this many valid ballots (a handful of
    /// ballots can differ by chance; smaller stations are also left out of
    /// the median).
    pub seats_filled_min_valid: u64,
}

impl Default for OutlierRules {
    /// 95% turnout with 95% for one candidate (the corner of the
    /// fingerprint that Klimek et al. single out), and ballots a quarter of
    /// the seats fuller or emptier than the median station, at stations of
    /// 50 valid ballots or more.
    fn default() -> Self {
        OutlierRules {
            landslide_turnout: Ratio { num: 95, den: 100 },
            landslide_share: Ratio { num: 95, den: 100 },
            seats_filled_gap: Ratio { num: 1, den: 4 },
            seats_filled_min_valid: 50,
        }
    }
}

/// Why a station is listed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// Turnout and one candidate's share both at or above the landslide thresholds.
    Landslide {
        turnout: Ratio,
        /// Index into the contest's candidates, and its place in the contest.
        candidate: usize,
        rank: usize,
        share: Ratio,
    },
    /// Exactly every voter assigned to the station voted.
    FullTurnout { cast: u64, eligible: u64 },
    /// More ballots than voters assigned to the station (allowed: voters may
    /// vote at any station of their contest).
    AboveEligible { cast: u64, eligible: u64 },
    /// Ballots name many more candidates, for the seats, than at the median
    /// station: `seats_filled` is names / (valid ballots × seats).
    SeatsFilledHigh { seats_filled: Ratio, median: f64 },
    /// Ballots name many fewer candidates, for the seats, than at the median
    /// station (as when ballots were filled in for one candidate).
    SeatsFilledLow { seats_filled: Ratio, median: f64 },
}

impl Reason {
    /// A stable key for the app's translations.
    pub fn key(&self) -> &'static str {
        match self {
            Reason::Landslide { .. } => "landslide",
            Reason::FullTurnout { .. } => "full_turnout",
            Reason::AboveEligible { .. } => "above_eligible",
            Reason::SeatsFilledHigh { .. } => "seats_filled_high",
            Reason::SeatsFilledLow { .. } => "seats_filled_low",
        }
    }
}

/// A listed station and its reasons (at least one).
#[derive(Debug, Clone)]
pub struct Outlier<'a> {
    pub point: StationPoint<'a>,
    pub reasons: Vec<Reason>,
}

/// The seats filled per ballot at a station large enough to be compared.
fn seats_filled(p: &StationPoint<'_>, rules: &OutlierRules) -> Option<Ratio> {
    (p.valid >= rules.seats_filled_min_valid.max(1)).then(|| p.seats_filled()).flatten()
}

/// The median of the stations' seats filled per ballot.
fn median_seats_filled(points: &[StationPoint<'_>], rules: &OutlierRules) -> Option<f64> {
    let mut values: Vec<f64> = points.iter().filter_map(|p| seats_filled(p, rules)).map(|r| r.value()).collect();
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 })
}

/// The reasons, if any, to list one station; `median` is the median seats
/// filled of the stations it is compared with.
fn reasons(p: &StationPoint<'_>, rules: &OutlierRules, median: Option<f64>) -> Vec<Reason> {
    let mut out = Vec::new();
    if let (Some(turnout), Some(share), Some(top)) = (p.turnout, p.top_share, p.top) {
        if ratio_ge(turnout, rules.landslide_turnout) && ratio_ge(share, rules.landslide_share) {
            out.push(Reason::Landslide { turnout, candidate: top.candidate, rank: top.rank, share });
        }
    }
    if p.eligible > 0 && p.ballots_cast == p.eligible {
        out.push(Reason::FullTurnout { cast: p.ballots_cast, eligible: p.eligible });
    }
    if p.ballots_cast > p.eligible {
        out.push(Reason::AboveEligible { cast: p.ballots_cast, eligible: p.eligible });
    }
    if let (Some(filled), Some(median)) = (seats_filled(p, rules), median) {
        let gap = rules.seats_filled_gap.value();
        let difference = filled.value() - median;
        if difference >= gap {
            out.push(Reason::SeatsFilledHigh { seats_filled: filled, median });
        } else if -difference >= gap {
            out.push(Reason::SeatsFilledLow { seats_filled: filled, median });
        }
    }
    out
}

/// The stations with at least one reason to be listed, in the order given.
/// Seats filled are compared with the median of the stations given: the
/// region the reader has open.
pub fn outliers<'a>(points: &[StationPoint<'a>], rules: &OutlierRules) -> Vec<Outlier<'a>> {
    let median = median_seats_filled(points, rules);
    points
        .iter()
        .filter_map(|p| {
            let reasons = reasons(p, rules, median);
            (!reasons.is_empty()).then_some(Outlier { point: *p, reasons })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{station_points, Region, Scope};
    use super::*;

    fn listed(p: &crate::verify::VerifiedProvince, rules: &OutlierRules) -> Vec<(String, Vec<&'static str>)> {
        let points = station_points(Scope::new([p], Region::All).stations());
        outliers(&points, rules)
            .iter()
            .map(|o| (o.point.station_id().to_string(), o.reasons.iter().map(Reason::key).collect()))
            .collect()
    }

    #[test]
    fn the_fixture_lists_its_landslide_village() {
        let p = province();
        // S4: 220 of 220 voted (100%), K0 on 210 of 215 valid ballots (97.7%).
        assert_eq!(listed(&p, &OutlierRules::default()), vec![("S4".to_string(), vec!["landslide", "full_turnout"])]);
        let points = station_points(Scope::new([&p], Region::Contest(id("V1"))).stations());
        assert_eq!(
            reasons(&points[0], &OutlierRules::default(), None)[0],
            Reason::Landslide {
                turnout: Ratio { num: 220, den: 220 },
                candidate: 0,
                rank: 1,
                share: Ratio { num: 210, den: 215 }
            }
        );
        // A stricter share (98%) drops the landslide, not the full turnout.
        let strict = OutlierRules { landslide_share: Ratio { num: 98, den: 100 }, ..OutlierRules::default() };
        assert_eq!(listed(&p, &strict), vec![("S4".to_string(), vec!["full_turnout"])]);
    }

    #[test]
    fn thresholds_are_inclusive_and_exact() {
        let p =
            single(3, 2, &[("A", 0, 100, Some((95, 95, &[95, 10], 0))), ("B", 0, 100, Some((94, 94, &[89, 10], 0)))]);
        // A: exactly 95% and 95/95 = 100%; B: 94% turnout.
        assert_eq!(listed(&p, &OutlierRules::default()), vec![("A".to_string(), vec!["landslide"])]);
    }

    #[test]
    fn above_eligible_is_listed() {
        let p =
            single(3, 2, &[("A", 0, 100, Some((110, 100, &[50, 40], 0))), ("B", 0, 100, Some((60, 60, &[30, 30], 0)))]);
        assert_eq!(listed(&p, &OutlierRules::default()), vec![("A".to_string(), vec!["above_eligible"])]);
    }

    #[test]
    fn seats_filled_against_the_median_station() {
        // 3 seats, gap 1/4. A: 100 names on 100 ballots, 100/300 = .333 of the seats;
        // B–E: 195/300 = .65; F: 60/60 = 1.0, but only 20 valid ballots.
        let ordinary: &[u64] = &[100, 60, 35];
        let p = single(
            3,
            3,
            &[
                ("A", 0, 200, Some((100, 100, &[60, 30, 10], 0))),
                ("B", 0, 200, Some((100, 100, ordinary, 0))),
                ("C", 0, 200, Some((100, 100, ordinary, 0))),
                ("D", 0, 200, Some((100, 100, ordinary, 0))),
                ("E", 0, 200, Some((100, 100, ordinary, 0))),
                ("F", 0, 40, Some((20, 20, &[20, 20, 20], 0))),
            ],
        );
        // The median of A–E is .65: A is .317 below.
        assert_eq!(listed(&p, &OutlierRules::default()), vec![("A".to_string(), vec!["seats_filled_low"])]);
        let points = station_points(Scope::new([&p], Region::All).stations());
        assert_eq!(median_seats_filled(&points, &OutlierRules::default()), Some(0.65));
        assert_eq!(
            reasons(&points[0], &OutlierRules::default(), Some(0.65)),
            vec![Reason::SeatsFilledLow { seats_filled: Ratio { num: 100, den: 300 }, median: 0.65 }]
        );
        // Counting small stations too, the median of the six is still .65, and F is .35 above.
        let all = OutlierRules { seats_filled_min_valid: 0, ..OutlierRules::default() };
        assert_eq!(listed(&p, &all)[1], ("F".to_string(), vec!["seats_filled_high"]));
        // An even number of stations: the mean of the middle two.
        assert_eq!(median_seats_filled(&points[..2], &OutlierRules::default()), Some((100.0 / 300.0 + 0.65) / 2.0));
        assert_eq!(median_seats_filled(&[], &OutlierRules::default()), None);
    }

    #[test]
    fn a_station_alone_is_its_own_median() {
        let p = single(3, 2, &[("A", 0, 200, Some((100, 100, &[100, 0], 0)))]);
        assert_eq!(listed(&p, &OutlierRules::default()), vec![]);
    }
}
