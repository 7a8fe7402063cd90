//! Stations whose turnout is a whole percentage (Kobak, Shpilkin &
//! Pshenichnikov, "Integer percentages as electoral falsification
//! fingerprints", Annals of Applied Statistics 10(1), 2016).
//!
//! Where results are written to meet a target ("turnout 80%"), whole
//! percentages come up more often than counting allows. How often counting
//! allows depends on each station's size: with `n` eligible voters, the
//! turnout `100·k/n` is whole for exactly `gcd(100, n) + 1` of the `n + 1`
//! possible counts `k = 0..=n` (the multiples of `n / gcd(100, n)`). Taking
//! every count as equally likely, a station is whole by chance with
//! probability `(gcd(100, n) + 1) / (n + 1)`; the expected number of whole
//! stations is the sum of these, and the spread that of a sum of independent
//! yes/no draws. (Kobak et al. compare with smoothed turnout distributions
//! instead; for stations of hundreds of voters the two agree closely, and
//! this one needs no smoothing choice. A station above 100% can be whole too,
//! and is counted as observed.)

use serde::Serialize;
use statrs::function::erf::erfc;

use super::StationPoint;
use crate::summary::Ratio;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntegerPercent {
    /// Stations with eligible voters (turnout defined).
    pub stations: u64,
    /// Of those, the stations whose turnout is a whole percentage.
    pub integer: u64,
    /// `integer` / `stations`.
    pub share: Option<Ratio>,
    /// The number expected by chance, and its standard deviation.
    pub expected: f64,
    pub standard_deviation: f64,
    /// `expected` / `stations`.
    pub expected_share: Option<f64>,
    /// The chance of at least `integer` whole stations if chance alone were at
    /// work (normal approximation with continuity correction); `None` when
    /// chance allows no spread (no stations, or only stations that are always whole).
    pub excess_p_value: Option<f64>,
    /// Stations with no eligible voters, left out.
    pub undefined: u64,
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The chance that a station of `n` eligible voters has a whole-percentage
/// turnout, every count from 0 to `n` being equally likely; `None` for `n = 0`.
pub fn chance_of_integer_percent(n: u64) -> Option<f64> {
    (n > 0).then(|| (gcd(100, n) + 1) as f64 / (n as f64 + 1.0))
}

/// Whether `cast / eligible` is a whole percentage.
fn is_integer_percent(cast: u64, eligible: u64) -> bool {
    eligible > 0 && (u128::from(cast) * 100) % u128::from(eligible) == 0
}

/// Counts the stations with whole-percentage turnout against chance.
pub fn integer_percent_turnout(points: &[StationPoint<'_>]) -> IntegerPercent {
    let (mut stations, mut integer, mut undefined) = (0u64, 0u64, 0u64);
    let (mut expected, mut variance) = (0.0f64, 0.0f64);
    for p in points {
        let Some(chance) = chance_of_integer_percent(p.eligible) else {
            undefined += 1;
            continue;
        };
        stations += 1;
        integer += u64::from(is_integer_percent(p.ballots_cast, p.eligible));
        expected += chance;
        variance += chance * (1.0 - chance);
    }
    let standard_deviation = variance.sqrt();
    let excess_p_value = (standard_deviation > 0.0).then(|| {
        let z = (integer as f64 - 0.5 - expected) / standard_deviation;
        0.5 * erfc(z / std::f64::consts::SQRT_2)
    });
    IntegerPercent {
        stations,
        integer,
        share: Ratio::new(integer, stations),
        expected,
        standard_deviation,
        expected_share: (stations > 0).then(|| expected / stations as f64),
        excess_p_value,
        undefined,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{station_points, Region, Scope};
    use super::*;

    #[test]
    fn chance_by_hand() {
        // n = 200: every even count is whole (0%, 1%, ..., 100%): 101 of 201.
        assert_eq!(chance_of_integer_percent(200), Some(101.0 / 201.0));
        // n = 905 = 5 · 181: gcd 5, whole at k = 0, 181, 362, 543, 724, 905: 6 of 906.
        assert_eq!(chance_of_integer_percent(905), Some(6.0 / 906.0));
        // n = 7: only 0% and 100%.
        assert_eq!(chance_of_integer_percent(7), Some(2.0 / 8.0));
        assert_eq!(chance_of_integer_percent(1), Some(1.0));
        assert_eq!(chance_of_integer_percent(0), None);
        // Brute force agrees for every n up to 1,000.
        for n in 1..=1000u64 {
            let whole = (0..=n).filter(|&k| is_integer_percent(k, n)).count() as f64;
            assert_eq!(chance_of_integer_percent(n), Some(whole / (n + 1) as f64), "n = {n}");
        }
        assert!(is_integer_percent(u64::MAX, u64::MAX));
        assert!(!is_integer_percent(1, 0));
    }

    #[test]
    fn whole_stations_of_the_fixture_by_hand() {
        let p = province();
        let points = station_points(Scope::new([&p], Region::All).stations());
        // S1 62.5%, S2 64.29%: not whole; S3 60%, S4 100%, S5 50%: whole; S6 has no voters.
        let r = integer_percent_turnout(&points);
        assert_eq!((r.stations, r.integer, r.undefined), (5, 3, 1));
        assert_eq!(r.share, Some(Ratio { num: 3, den: 5 }));
        // gcd(100, n): 800 → 100, 700 → 100, 500 → 100, 220 → 20, 180 → 20.
        let chances = [101.0 / 801.0, 101.0 / 701.0, 101.0 / 501.0, 21.0 / 221.0, 21.0 / 181.0];
        let expected: f64 = chances.iter().sum();
        let sd = chances.iter().map(|c| c * (1.0 - c)).sum::<f64>().sqrt();
        assert!((r.expected - expected).abs() < 1e-12 && (r.standard_deviation - sd).abs() < 1e-12);
        assert!((r.expected_share.unwrap() - expected / 5.0).abs() < 1e-12);
        // 3 whole against 0.68 expected (sd 0.75): z = (2.5 − 0.68) / 0.75 ≈ 2.4, p ≈ 0.008.
        let p = r.excess_p_value.unwrap();
        assert!((0.005..0.012).contains(&p), "{p}");
    }

    #[test]
    fn nothing_to_count() {
        let r = integer_percent_turnout(&[]);
        assert_eq!((r.stations, r.integer, r.share, r.expected_share, r.excess_p_value), (0, 0, None, None, None));
    }
}
