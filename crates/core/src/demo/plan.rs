//! The shape of a county's councils: its cities and villages, their seats,
//! candidates and polling stations.
//!
//! Everything is drawn from the county's own random stream, so a county
//! looks the same whichever scale the demo is made at. The random numbers
//! go through arithmetic only (no `exp` or `ln` from the platform's maths
//! library), so the output is the same on every machine.

use std::collections::BTreeSet;

use rand::Rng;

use super::geo::{split, County};
use super::names::{self, Pair};
use crate::model::ContestKind;

/// Eligible voters per city polling station.
pub(crate) const CITY_VOTERS_PER_STATION: u64 = 900;
/// Mean eligible voters per village: sets how many villages a county has.
const VILLAGE_MEAN_VOTERS: u64 = 970;
const MAX_VILLAGES: u64 = 220;
/// A village council has 5 seats from this many eligible voters (about
/// 1,500 inhabitants), 3 below.
const VILLAGE_FIVE_SEATS: u64 = 1_100;
/// A village gets a second (third) station above this many eligible voters.
const VILLAGE_VOTERS_PER_STATION: u64 = 1_700;
/// The smallest city that is not the county seat.
const MIN_TOWN_VOTERS: u64 = 2_000;

#[derive(Debug, Clone)]
pub(crate) struct PlannedCandidate {
    pub id: String,
    pub ballot_code: String,
    pub name: Pair,
    /// Relative popularity: a candidate's expected share of the votes.
    pub popularity: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct PlannedContest {
    pub id: String,
    pub kind: ContestKind,
    pub county: String,
    pub name: Pair,
    pub seats: u32,
    pub eligible: u64,
    pub candidates: Vec<PlannedCandidate>,
    /// How many polling stations the contest has.
    pub stations: u32,
}

/// A standard normal deviate (Irwin–Hall: the sum of 12 uniforms, less 6).
pub(crate) fn normal(rng: &mut impl Rng) -> f64 {
    (0..12).map(|_| rng.gen::<f64>()).sum::<f64>() - 6.0
}

/// e^x by (1 + x/1024)^1024: close enough for weights, and the same bits on
/// every platform.
pub(crate) fn exp(x: f64) -> f64 {
    let mut y = 1.0 + x / 1024.0;
    for _ in 0..10 {
        y *= y;
    }
    y
}

/// Linear interpolation in a table of (voters, value), flat beyond its ends.
fn interpolate(table: &[(f64, f64)], x: f64) -> f64 {
    let (first, last) = (table[0], table[table.len() - 1]);
    if x <= first.0 {
        return first.1;
    }
    if x >= last.0 {
        return last.1;
    }
    for w in table.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if x <= x1 {
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        }
    }
    last.1
}

/// Seats of a city council by eligible voters.
pub(crate) fn city_seats(eligible: u64) -> u32 {
    match eligible {
        0..50_000 => 5,
        50_000..100_000 => 7,
        100_000..200_000 => 9,
        200_000..500_000 => 11,
        500_000..1_000_000 => 13,
        1_000_000..=1_500_000 => 15,
        _ => 21,
    }
}

/// Integer weights (for [`split`]) from positive reals.
fn weights(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| (v * 1e6).round().max(1.0) as u64).collect()
}

/// Plans a county's contests: its seat city (`C01`), the other cities, then
/// the villages (`V001`, ...). Eligible voters add up to the county's.
pub(crate) fn county(rng: &mut impl Rng, province: &str, county: &County) -> Vec<PlannedContest> {
    let v = county.voters as f64;
    // Bigger counties are more urban: about 72% of the country's voters.
    let urban_share = interpolate(
        &[(20e3, 0.52), (60e3, 0.60), (150e3, 0.67), (400e3, 0.74), (1e6, 0.82), (2.5e6, 0.89), (7e6, 0.95)],
        v,
    ) + 0.04 * normal(rng);
    let urban = (v * urban_share.clamp(0.4, 0.97)).round() as u64;
    let rural = county.voters - urban;
    let seat_share = interpolate(&[(20e3, 0.75), (100e3, 0.70), (500e3, 0.80), (2e6, 0.88), (7e6, 0.93)], v)
        + rng.gen_range(-0.07..0.07);
    let seat_voters = (urban as f64 * seat_share.clamp(0.5, 0.97)).round() as u64;
    let towns_voters = urban - seat_voters;
    let most_towns = (towns_voters / (3 * MIN_TOWN_VOTERS)).min(7);
    let towns = if most_towns == 0 { 0 } else { rng.gen_range(most_towns.div_ceil(2)..=most_towns) };

    let mut taken = BTreeSet::from([county.name.fa.clone()]);
    let mut people = BTreeSet::new();
    let prefix = format!("{province}-{}", county.code);
    let mut out = Vec::new();

    // The county seat and the other cities, largest first.
    let mut city_sizes = vec![seat_voters];
    if towns > 0 {
        let w: Vec<f64> = (0..towns).map(|k| rng.gen_range(0.6..1.4) / (k as f64 + 1.0)).collect();
        city_sizes.extend(split(towns_voters, &weights(&w)));
    } else {
        city_sizes[0] = urban;
    }
    for (k, &eligible) in city_sizes.iter().enumerate() {
        let name = if k == 0 {
            county.name.clone()
        } else if rng.gen_range(0..8u32) == 0 {
            names::qualified(rng, &county.name, &mut taken).unwrap_or_else(|| names::place(rng, &mut taken))
        } else {
            names::place(rng, &mut taken)
        };
        let seats = city_seats(eligible);
        let n = ((f64::from(seats) * rng.gen_range(2.0..4.0)).round() as u32).clamp(seats + 1, 60);
        let id = format!("{prefix}-C{:02}", k + 1);
        let candidates = candidates(rng, &id, n, 22, 1000..=9999, 0.6, &mut people);
        let stations = ((eligible + CITY_VOTERS_PER_STATION / 2) / CITY_VOTERS_PER_STATION).max(1) as u32;
        out.push(PlannedContest {
            id,
            kind: ContestKind::City,
            county: county.code.clone(),
            name,
            seats,
            eligible,
            candidates,
            stations,
        });
    }

    // Villages: many small, a few large.
    let villages = (rural / VILLAGE_MEAN_VOTERS).clamp(2, MAX_VILLAGES) as usize;
    let w: Vec<f64> = (0..villages).map(|_| exp(0.8 * normal(rng)).clamp(0.15, 4.0)).collect();
    for (k, eligible) in split(rural, &weights(&w)).into_iter().enumerate() {
        let name = names::place(rng, &mut taken);
        let seats = if eligible >= VILLAGE_FIVE_SEATS { 5 } else { 3 };
        let n = rng.gen_range(seats + 1..=2 * seats);
        let id = format!("{prefix}-V{:03}", k + 1);
        let candidates = candidates(rng, &id, n, 10, 100..=999, 0.5, &mut people);
        let stations = eligible.div_ceil(VILLAGE_VOTERS_PER_STATION).clamp(1, 3) as u32;
        out.push(PlannedContest {
            id,
            kind: ContestKind::Village,
            county: county.code.clone(),
            name,
            seats,
            eligible,
            candidates,
            stations,
        });
    }
    out
}

/// A contest's candidates, in ballot order (by Persian name), with distinct
/// ballot codes and skewed popularity (log-normal with spread `sigma`).
fn candidates(
    rng: &mut impl Rng,
    contest: &str,
    n: u32,
    woman_percent: u32,
    codes: std::ops::RangeInclusive<u32>,
    sigma: f64,
    people: &mut BTreeSet<String>,
) -> Vec<PlannedCandidate> {
    let mut drawn: Vec<(Pair, u32, f64)> = Vec::with_capacity(n as usize);
    let mut used = BTreeSet::new();
    for _ in 0..n {
        let name = names::person(rng, woman_percent, people);
        let code = loop {
            let c = rng.gen_range(codes.clone());
            if used.insert(c) {
                break c;
            }
        };
        drawn.push((name, code, exp(sigma * normal(rng))));
    }
    drawn.sort_by(|a, b| a.0.fa.cmp(&b.0.fa));
    drawn
        .into_iter()
        .enumerate()
        .map(|(k, (name, code, popularity))| PlannedCandidate {
            id: format!("{contest}-K{:02}", k + 1),
            ballot_code: code.to_string(),
            name,
            popularity,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn seats_grow_with_the_city() {
        assert_eq!(city_seats(1_000), 5);
        assert_eq!(city_seats(49_999), 5);
        assert_eq!(city_seats(50_000), 7);
        assert_eq!(city_seats(368_000), 11);
        assert_eq!(city_seats(1_500_000), 15);
        assert_eq!(city_seats(5_000_000), 21);
    }

    #[test]
    fn exp_is_close_to_the_real_thing() {
        for x in [-3.0f64, -1.0, 0.0, 0.5, 2.0, 3.0] {
            assert!((exp(x) / x.exp() - 1.0).abs() < 0.01, "{x}");
        }
    }

    #[test]
    fn a_county_plan_adds_up_and_follows_the_seat_rules() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let c = County {
            code: "1506".into(),
            name: Pair { fa: "کوهدشت".into(), en: "Kuhdasht".into() },
            voters: 116_083,
            parent: None,
        };
        let plan = county(&mut rng, "IR-15", &c);
        assert_eq!(plan.iter().map(|p| p.eligible).sum::<u64>(), 116_083);
        assert_eq!(plan[0].name.en, "Kuhdasht");
        assert_eq!(plan[0].id, "IR-15-1506-C01");
        let names: BTreeSet<&str> = plan.iter().map(|p| p.name.fa.as_str()).collect();
        assert_eq!(names.len(), plan.len());
        for p in &plan {
            let n = p.candidates.len() as u32;
            match p.kind {
                ContestKind::City => assert!((5..=21).contains(&p.seats) && n > p.seats && n <= 60),
                ContestKind::Village => {
                    assert!(matches!(p.seats, 3 | 5) && n > p.seats && n <= 2 * p.seats)
                }
            }
            assert!(p.stations >= 1);
            let codes: BTreeSet<&str> = p.candidates.iter().map(|c| c.ballot_code.as_str()).collect();
            assert_eq!(codes.len(), p.candidates.len());
        }
    }
}
