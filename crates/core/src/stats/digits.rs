//! Digit tests of station counts, each a chi-square goodness-of-fit test
//! with 9 degrees of freedom:
//!
//! - **Last digit** (Beber & Scacco, "What the Numbers Say", Political
//!   Analysis 20(2), 2012): in counts that span several tens, the last digit
//!   is close to uniform, while numbers people make up are not (they favour
//!   some digits and avoid repeats). Following them, the counts are each
//!   candidate's votes at each station ([`CountSource::CandidateVotes`]), and
//!   counts below 10 are left out (a one-digit count's last digit is the count
//!   itself, which is not uniform).
//! - **Second digit** (Mebane's "2BL" test, e.g. "Election Forensics: The
//!   Second-digit Benford's Law Test and Recent American Presidential
//!   Elections", 2006): the second significant digit of counts of at least
//!   10, against Benford's second-digit law, P(d) = Σₖ₌₁⁹ log₁₀(1 + 1/(10k + d)),
//!   whose mean is 4.187. Mebane reads the mean of the second digits as well
//!   as the chi-square; both are given.
//!
//! No first-digit test: station counts are bounded by the station's size, so
//! their first digits are not expected to follow Benford's law, and the test
//! flags honest counts.
//!
//! The p-value is the chi-square distribution's upper tail (`statrs`), the
//! same quantity as `scipy.stats.chisquare(f_obs, f_exp).pvalue`, which the
//! tests compare it with.

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::{Chart, StationPoint};

/// Which counts of each station a digit test reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CountSource {
    /// Every candidate's votes at every station (Beber & Scacco; Mebane).
    CandidateVotes,
    /// The votes at every station of the contest's rank-k candidate (k ≥ 1).
    RankVotes(usize),
    /// Each station's ballots cast.
    BallotsCast,
    /// Each station's valid ballots.
    ValidBallots,
}

/// The counts of `source` at the stations, in station order.
pub fn digit_counts(points: &[StationPoint<'_>], source: CountSource) -> Vec<u64> {
    match source {
        CountSource::CandidateVotes => points.iter().flat_map(|p| p.result.votes.iter().map(|cv| cv.votes)).collect(),
        CountSource::RankVotes(k) => points.iter().filter_map(|p| p.rank_votes(k)).collect(),
        CountSource::BallotsCast => points.iter().map(|p| p.ballots_cast).collect(),
        CountSource::ValidBallots => points.iter().map(|p| p.valid).collect(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DigitTestKind {
    LastDigit,
    SecondDigit,
}

/// Counts below this are left out of both tests.
pub const MIN_COUNT: u64 = 10;

/// A digit test's result. Defined only when at least one count was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DigitTest {
    pub kind: DigitTestKind,
    /// Counts read (those of at least [`MIN_COUNT`]).
    pub counts: u64,
    /// Counts left out for being below [`MIN_COUNT`].
    pub excluded: u64,
    /// How many counts have each digit, 0 to 9.
    pub observed: [u64; 10],
    /// The expected share of each digit: 1/10, or Benford's second-digit law.
    pub expected_share: [f64; 10],
    /// `counts` × `expected_share`.
    pub expected: [f64; 10],
    /// Σ (observed − expected)² / expected.
    pub chi_square: f64,
    pub degrees_of_freedom: u32,
    /// P(χ²₉ ≥ `chi_square`): how often counts with the expected digits
    /// would deviate at least this much by chance.
    pub p_value: f64,
    /// The mean digit, and what it is expected to be (4.5; 4.187 for the second digit).
    pub mean: f64,
    pub expected_mean: f64,
    /// The expected mean's standard error for this many counts (σ/√n).
    pub mean_standard_error: f64,
    /// Every expected count is at least 5, the usual condition for the
    /// chi-square approximation (Cochran); with fewer counts, read the
    /// p-value with care.
    pub approximation_ok: bool,
}

impl DigitTest {
    /// Whether the digits deviate at significance level `alpha`.
    pub fn deviates_at(&self, alpha: f64) -> bool {
        self.p_value < alpha
    }

    /// The chart, with its explanation.
    pub fn chart(&self) -> Chart {
        match self.kind {
            DigitTestKind::LastDigit => Chart::LastDigit,
            DigitTestKind::SecondDigit => Chart::SecondDigit,
        }
    }
}

/// Benford's law for the second significant digit.
pub fn benford_second_digit() -> [f64; 10] {
    let mut p = [0.0; 10];
    for (d, share) in p.iter_mut().enumerate() {
        *share = (1..=9).map(|k| (1.0 + 1.0 / (10 * k + d) as f64).log10()).sum();
    }
    p
}

/// The last digit test of `counts` (counts below 10 are left out); `None` if none is left.
pub fn last_digit_test(counts: impl IntoIterator<Item = u64>) -> Option<DigitTest> {
    let (observed, excluded) = tabulate(counts, |c| (c % 10) as usize);
    DigitTest::new(DigitTestKind::LastDigit, observed, excluded, [0.1; 10])
}

/// Mebane's second-digit (2BL) test of `counts` (counts below 10 are left
/// out); `None` if none is left.
pub fn second_digit_test(counts: impl IntoIterator<Item = u64>) -> Option<DigitTest> {
    let (observed, excluded) = tabulate(counts, second_digit);
    DigitTest::new(DigitTestKind::SecondDigit, observed, excluded, benford_second_digit())
}

/// The second significant digit of a number of at least 10.
fn second_digit(mut c: u64) -> usize {
    while c >= 100 {
        c /= 10;
    }
    (c % 10) as usize
}

fn tabulate(counts: impl IntoIterator<Item = u64>, digit: impl Fn(u64) -> usize) -> ([u64; 10], u64) {
    let mut observed = [0u64; 10];
    let mut excluded = 0u64;
    for c in counts {
        if c < MIN_COUNT {
            excluded += 1;
        } else {
            observed[digit(c)] += 1;
        }
    }
    (observed, excluded)
}

/// The upper tail of the chi-square distribution with `dof` degrees of freedom.
pub fn chi_square_p_value(statistic: f64, dof: u32) -> f64 {
    if statistic.is_nan() {
        return f64::NAN;
    }
    match ChiSquared::new(f64::from(dof)) {
        Ok(d) if statistic > 0.0 => d.sf(statistic),
        Ok(_) => 1.0,
        Err(_) => f64::NAN,
    }
}

impl DigitTest {
    fn new(kind: DigitTestKind, observed: [u64; 10], excluded: u64, share: [f64; 10]) -> Option<DigitTest> {
        let counts: u64 = observed.iter().sum();
        if counts == 0 {
            return None;
        }
        let n = counts as f64;
        let expected = share.map(|p| n * p);
        let chi_square = observed.iter().zip(&expected).map(|(&o, &e)| (o as f64 - e).powi(2) / e).sum::<f64>();
        let degrees_of_freedom = 9;
        let digit_mean = |w: &dyn Fn(usize) -> f64| (0..10).map(|d| d as f64 * w(d)).sum::<f64>();
        let expected_mean = digit_mean(&|d| share[d]);
        let variance = (0..10).map(|d| (d as f64 - expected_mean).powi(2) * share[d]).sum::<f64>();
        Some(DigitTest {
            kind,
            counts,
            excluded,
            observed,
            expected_share: share,
            expected,
            chi_square,
            degrees_of_freedom,
            p_value: chi_square_p_value(chi_square, degrees_of_freedom),
            mean: digit_mean(&|d| observed[d] as f64) / n,
            expected_mean,
            mean_standard_error: (variance / n).sqrt(),
            approximation_ok: expected.iter().all(|&e| e >= 5.0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{station_points, Region, Scope};
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(f64::MIN_POSITIVE)
    }

    #[test]
    fn uniform_last_digits_give_chi_square_zero() {
        // 10..=19 ends in each digit once; 3 and 9 are below 10 and left out.
        let t = last_digit_test([3, 9].into_iter().chain(10..=19)).unwrap();
        assert_eq!((t.counts, t.excluded, t.observed), (10, 2, [1; 10]));
        assert_eq!(t.expected, [1.0; 10]);
        assert_eq!((t.chi_square, t.p_value, t.degrees_of_freedom), (0.0, 1.0, 9));
        assert_eq!(t.mean, 4.5);
        assert!(close(t.expected_mean, 4.5, 1e-15));
        assert!(!t.approximation_ok);
    }

    #[test]
    fn last_digits_all_zero_by_hand() {
        // Five counts ending in 0: expected 0.5 of each digit.
        // χ² = (5 − .5)²/.5 + 9 · (.5²/.5) = 40.5 + 4.5 = 45;
        // scipy.stats.chi2.sf(45, 9) = 9.226628710549154e-07.
        let t = last_digit_test([10, 20, 30, 40, 50]).unwrap();
        assert_eq!(t.observed, [5, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert!(close(t.chi_square, 45.0, 1e-15), "{}", t.chi_square);
        assert!(close(t.p_value, 9.226628710549154e-07, 1e-12), "{}", t.p_value);
        assert!(t.deviates_at(0.01));
        assert_eq!(t.chart(), Chart::LastDigit);
        assert_eq!(t.mean, 0.0);
        // σ² of a uniform digit is 8.25: σ/√5.
        assert!(close(t.mean_standard_error, (8.25f64 / 5.0).sqrt(), 1e-15));
    }

    #[test]
    fn second_digits_and_benford_by_hand() {
        assert_eq!([10, 19, 123, 1000, 1999, 98_765].map(second_digit), [0, 9, 2, 0, 9, 8]);
        assert_eq!(second_digit(u64::MAX), 8); // 18,446,744,073,709,551,615
        let p = benford_second_digit();
        // P(0) = Σ log10(1 + 1/10k) = 0.11968, P(9) = 0.08500 (Nigrini's table).
        assert!(close(p[0], 0.11967926859688073, 1e-14) && close(p[9], 0.08499735205769224, 1e-14));
        assert!(close(p.iter().sum(), 1.0, 1e-14));
        // 10..=19: second digits 0..9 once each. With E_d = 10 P(d),
        // χ² = Σ (1 − E_d)²/E_d = 0.11852643482822131 (scipy.stats.chisquare),
        // p = 0.9999999453442129.
        let t = second_digit_test(10..=19).unwrap();
        assert_eq!(t.observed, [1; 10]);
        assert!(close(t.chi_square, 0.11852643482822131, 1e-12), "{}", t.chi_square);
        assert!(close(t.p_value, 0.9999999453442129, 1e-12), "{}", t.p_value);
        assert!(close(t.expected_mean, 4.1873897069289425, 1e-14));
        // Benford's second digit: σ² = 8.253778623273167.
        assert!(close(t.mean_standard_error, (8.253778623273167f64 / 10.0).sqrt(), 1e-12));
        assert_eq!(t.mean, 4.5);
    }

    #[test]
    fn no_counts_no_test() {
        assert_eq!(last_digit_test([]), None);
        assert_eq!(second_digit_test([0, 1, 9]), None);
        assert_eq!(chi_square_p_value(0.0, 9), 1.0);
        assert_eq!(chi_square_p_value(f64::INFINITY, 9), 0.0);
        assert!(chi_square_p_value(f64::NAN, 9).is_nan());
    }

    #[test]
    fn counts_come_from_the_chosen_source() {
        let p = province();
        let points = station_points(Scope::new([&p], Region::Contest(id("V1"))).stations());
        assert_eq!(digit_counts(&points, CountSource::CandidateVotes), vec![210, 100, 80, 40, 20, 60, 50, 40]);
        assert_eq!(digit_counts(&points, CountSource::RankVotes(2)), vec![100, 60]);
        assert_eq!(digit_counts(&points, CountSource::RankVotes(9)), Vec::<u64>::new());
        assert_eq!(digit_counts(&points, CountSource::BallotsCast), vec![220, 90]);
        assert_eq!(digit_counts(&points, CountSource::ValidBallots), vec![215, 88]);
        // All eight end in 0: E = .8 each, χ² = (8 − .8)²/.8 + 9 · .8 = 64.8 + 7.2 = 72.
        let t = last_digit_test(digit_counts(&points, CountSource::CandidateVotes)).unwrap();
        assert!(close(t.chi_square, 72.0, 1e-14));
    }
}
