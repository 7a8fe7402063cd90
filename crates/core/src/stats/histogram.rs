//! Histograms of station figures: the election fingerprint (turnout × a
//! candidate's share, Klimek, Yegorov, Hanel & Thurner, PNAS 109(41), 2012),
//! the distribution of station turnout, and the closing-time distribution.
//!
//! Binning is exact: a ratio `num/den` falls in bin `⌊num · bins / den⌋` of
//! `bins` equal bins of [0, 1], computed in integers, so a station at exactly
//! 95% is never put below the 95% edge by rounding. A value of exactly one is
//! in the last bin. Values above one (turnout above the station's assigned
//! electorate, which the format allows) are clamped into the last bin and
//! also counted in `above_one`, so the chart can say how many there are.
//! Stations where the measure is undefined (no eligible voters, no valid
//! ballots) are counted in `undefined` and not drawn.

use serde::Serialize;
use time::{Duration, OffsetDateTime, UtcOffset};

use super::{bin_of, Measure, StationPoint};

/// At most this many bins per axis: enough for any chart, and a caller's
/// mistake cannot ask for gigabytes.
pub const MAX_BINS: usize = 1000;

fn clamp_bins(bins: usize) -> usize {
    bins.clamp(1, MAX_BINS)
}

/// Stations per bin of one measure over [0, 1].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Histogram {
    pub measure: Measure,
    /// `counts[i]`: stations in [i/bins, (i+1)/bins); the last bin also holds
    /// one and, clamped, everything above one.
    pub counts: Vec<u64>,
    /// Stations above one, included in the last bin.
    pub above_one: u64,
    /// Stations where the measure is undefined, not in `counts`.
    pub undefined: u64,
}

impl Histogram {
    pub fn bins(&self) -> usize {
        self.counts.len()
    }

    /// The stations drawn (those with a defined measure).
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The lower and upper edge of bin `i`, as fractions of one.
    pub fn edges(&self, i: usize) -> (f64, f64) {
        let n = self.bins() as f64;
        (i as f64 / n, (i + 1) as f64 / n)
    }
}

/// The histogram of `measure` over the stations, in `bins` bins (1 to [`MAX_BINS`]).
pub fn histogram(points: &[StationPoint<'_>], measure: Measure, bins: usize) -> Histogram {
    let bins = clamp_bins(bins);
    let mut h = Histogram { measure, counts: vec![0; bins], above_one: 0, undefined: 0 };
    for p in points {
        match p.measure(measure) {
            Some(r) => {
                let (i, above) = bin_of(r, bins);
                h.counts[i] += 1;
                h.above_one += u64::from(above);
            }
            None => h.undefined += 1,
        }
    }
    h
}

/// The distribution of station turnout (ballots cast / the station's eligible voters).
pub fn turnout_histogram(points: &[StationPoint<'_>], bins: usize) -> Histogram {
    histogram(points, Measure::Turnout, bins)
}

/// Stations per cell of turnout (x) × another measure (y), both over [0, 1].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Histogram2D {
    /// The measure on the y axis; x is always turnout.
    pub y: Measure,
    pub bins_x: usize,
    pub bins_y: usize,
    /// Row-major from the bottom: `counts[y * bins_x + x]`.
    pub counts: Vec<u64>,
    /// Stations with turnout above one, included in the last turnout column.
    pub above_one_x: u64,
    /// Stations with the y measure above one, included in the top row.
    pub above_one_y: u64,
    /// Stations where turnout or the y measure is undefined, not in `counts`.
    pub undefined: u64,
}

impl Histogram2D {
    /// Stations in the cell of turnout bin `x` and y bin `y`; 0 outside the grid.
    pub fn get(&self, x: usize, y: usize) -> u64 {
        if x >= self.bins_x || y >= self.bins_y {
            return 0;
        }
        self.counts[y * self.bins_x + x]
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The fullest cell's count, for the colour scale.
    pub fn max(&self) -> u64 {
        self.counts.iter().copied().max().unwrap_or(0)
    }
}

/// The election fingerprint: stations by turnout and `y` (the rank-1
/// candidate's share, `Measure::RankShare(1)`, in Klimek et al.'s form),
/// on a `bins` × `bins` grid (1 to [`MAX_BINS`] each way).
///
/// In an election without manipulation the stations form one roughly
/// round cloud; ballot stuffing pulls stations toward the top-right corner
/// (high turnout, high share), and a cluster there stands out.
pub fn fingerprint(points: &[StationPoint<'_>], y: Measure, bins: usize) -> Histogram2D {
    let bins = clamp_bins(bins);
    let mut h = Histogram2D {
        y,
        bins_x: bins,
        bins_y: bins,
        counts: vec![0; bins * bins],
        above_one_x: 0,
        above_one_y: 0,
        undefined: 0,
    };
    for p in points {
        match (p.turnout, p.measure(y)) {
            (Some(t), Some(s)) => {
                let (x, above_x) = bin_of(t, bins);
                let (yi, above_y) = bin_of(s, bins);
                h.counts[yi * bins + x] += 1;
                h.above_one_x += u64::from(above_x);
                h.above_one_y += u64::from(above_y);
            }
            _ => h.undefined += 1,
        }
    }
    h
}

/// At most this many closing-time bins (a day in minutes); stations later
/// than that are clamped into the last bin.
pub const MAX_TIME_BINS: usize = 24 * 60;

/// When stations closed, and how many ballots they held.
///
/// Results carry only the opening and closing time of each station, not the
/// ballots over the day, so this is as close to "ballots over the day" as the
/// data allows: how many stations (and ballots) had closed by each time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeHistogram {
    /// The start of the first bin, in the UTC offset of the earliest closing
    /// (the election's local time); for bins that divide a day, on their grid
    /// from local midnight (hours start on the hour).
    #[serde(with = "time::serde::rfc3339")]
    pub start: OffsetDateTime,
    pub bin_minutes: u32,
    /// Stations that closed in each bin.
    pub stations: Vec<u64>,
    /// Ballots cast at the stations that closed in each bin.
    pub ballots: Vec<u64>,
    /// Stations later than [`MAX_TIME_BINS`] bins after `start`, included in the last bin.
    pub clamped: u64,
}

impl TimeHistogram {
    /// The start of bin `i`.
    pub fn bin_start(&self, i: usize) -> OffsetDateTime {
        let minutes = i64::try_from(i).unwrap_or(i64::MAX).saturating_mul(i64::from(self.bin_minutes));
        self.start.checked_add(Duration::minutes(minutes)).unwrap_or(self.start)
    }

    /// Ballots at stations closed by the end of each bin.
    pub fn cumulative_ballots(&self) -> Vec<u64> {
        self.ballots
            .iter()
            .scan(0u64, |sum, &b| {
                *sum = sum.saturating_add(b);
                Some(*sum)
            })
            .collect()
    }
}

/// The closing times of the stations in bins of `bin_minutes`; `None` when
/// there are no stations or `bin_minutes` is 0.
pub fn closing_times(points: &[StationPoint<'_>], bin_minutes: u32) -> Option<TimeHistogram> {
    if bin_minutes == 0 {
        return None;
    }
    let earliest = points.iter().map(|p| p.closed).min()?;
    let offset: UtcOffset = earliest.offset();
    let width = i128::from(bin_minutes) * 60;
    // Floor the earliest closing to the bin grid of its own local day.
    let local = i128::from(earliest.unix_timestamp()) + i128::from(offset.whole_seconds());
    let start_unix = local.div_euclid(width) * width - i128::from(offset.whole_seconds());
    let start = OffsetDateTime::from_unix_timestamp_nanos(start_unix * 1_000_000_000)
        .map(|t| t.to_offset(offset))
        .unwrap_or(earliest);
    let bin = |t: OffsetDateTime| -> usize {
        let since = i128::from(t.unix_timestamp()) - start_unix;
        // Never negative (`start` is at or before the earliest); past usize, clamped below.
        usize::try_from(since.div_euclid(width)).unwrap_or(usize::MAX)
    };
    let last = points.iter().map(|p| bin(p.closed)).max().unwrap_or(0);
    let n = last.saturating_add(1).min(MAX_TIME_BINS);
    let mut h = TimeHistogram { start, bin_minutes, stations: vec![0; n], ballots: vec![0; n], clamped: 0 };
    for p in points {
        let mut i = bin(p.closed);
        if i >= n {
            i = n - 1;
            h.clamped += 1;
        }
        h.stations[i] += 1;
        h.ballots[i] = h.ballots[i].saturating_add(p.ballots_cast);
    }
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{station_points, Region, Scope};
    use super::*;
    use time::macros::datetime;

    #[test]
    fn turnout_histogram_bins_by_hand() {
        let p = province();
        let points = station_points(Scope::new([&p], Region::All).stations());
        // Turnouts: S1 500/800 = .625, S2 450/700 = .643, S3 300/500 = .6,
        // S4 220/220 = 1, S5 90/180 = .5, S6 undefined (0 eligible).
        let h = turnout_histogram(&points, 10);
        assert_eq!(h.counts, vec![0, 0, 0, 0, 0, 1, 3, 0, 0, 1]);
        assert_eq!((h.above_one, h.undefined, h.total()), (0, 1, 5));
        assert_eq!(h.edges(9), (0.9, 1.0));
        // 4 bins: [0, .25) [.25, .5) [.5, .75) [.75, 1].
        assert_eq!(turnout_histogram(&points, 4).counts, vec![0, 0, 4, 1]);
        // 0 bins is taken as 1; a huge request is capped.
        assert_eq!(turnout_histogram(&points, 0).counts, vec![5]);
        assert_eq!(turnout_histogram(&points, usize::MAX).bins(), MAX_BINS);
        assert_eq!(turnout_histogram(&[], 5).counts, vec![0; 5]);
    }

    #[test]
    fn fingerprint_puts_the_landslide_in_the_corner() {
        let p = province();
        let points = station_points(Scope::new([&p], Region::All).stations());
        // Rank-1 shares: C1's K0: S1 300/480 = .625, S2 280/440 = .636, S3 100/290 = .345;
        // V1's K0: S4 210/215 = .977, S5 20/88 = .227.
        let h = fingerprint(&points, Measure::RankShare(1), 10);
        assert_eq!(h.get(6, 6), 2); // S1, S2
        assert_eq!(h.get(6, 3), 1); // S3
        assert_eq!(h.get(9, 9), 1); // S4
        assert_eq!(h.get(5, 2), 1); // S5
        assert_eq!((h.total(), h.undefined, h.max()), (5, 1, 2));
        assert_eq!(h.get(10, 0), 0);
        // The station's own top share moves S3 (K2: 140/290 = .483) and S5 (K1: 60/88 = .682).
        let top = fingerprint(&points, Measure::TopShare, 10);
        assert_eq!((top.get(6, 4), top.get(5, 6)), (1, 1));
    }

    #[test]
    fn above_one_is_clamped_and_counted() {
        // 110 cast of 100 assigned voters: 110% turnout.
        let p =
            single(3, 2, &[("A", 0, 100, Some((110, 100, &[100, 50], 0))), ("B", 0, 100, Some((50, 50, &[10, 5], 0)))]);
        let points = station_points(Scope::new([&p], Region::All).stations());
        let h = turnout_histogram(&points, 10);
        assert_eq!((h.counts[9], h.counts[5], h.above_one), (1, 1, 1));
        let f = fingerprint(&points, Measure::RankShare(1), 10);
        assert_eq!((f.get(9, 9), f.above_one_x, f.above_one_y), (1, 1, 0));
    }

    #[test]
    fn closing_times_by_hand() {
        let p = province();
        let points = station_points(Scope::new([&p], Region::All).stations());
        // Closings: S6 20:00, S4 20:30, S5 21:00, S1 22:00, S2 22:10, S3 23:00 (Tehran time).
        let h = closing_times(&points, 60).unwrap();
        assert_eq!(h.start, datetime!(2026-06-19 20:00 +03:30));
        assert_eq!(h.stations, vec![2, 1, 2, 1]);
        assert_eq!(h.ballots, vec![220, 90, 950, 300]);
        assert_eq!(h.cumulative_ballots(), vec![220, 310, 1260, 1560]);
        assert_eq!(h.bin_start(2), datetime!(2026-06-19 22:00 +03:30));
        // 45-minute bins start on the local day's grid: 19:30, 20:15, 21:00, 21:45, 22:30.
        let q = closing_times(&points, 45).unwrap();
        assert_eq!(q.start, datetime!(2026-06-19 19:30 +03:30));
        assert_eq!(q.stations, vec![1, 1, 1, 2, 1]);
        assert_eq!(closing_times(&points, 0), None);
        assert_eq!(closing_times(&[], 60), None);
        assert_eq!(closing_times(&points, u32::MAX).map(|h| h.stations), Some(vec![6]));
    }

    #[test]
    fn a_station_days_late_is_clamped() {
        let p = single(
            3,
            2,
            &[("A", 0, 100, Some((50, 50, &[10, 5], 0))), ("B", 0, 100, Some((50, 50, &[10, 5], 60 * 24 * 30)))],
        );
        let points = station_points(Scope::new([&p], Region::All).stations());
        let h = closing_times(&points, 1).unwrap();
        assert_eq!(h.stations.len(), MAX_TIME_BINS);
        assert_eq!((h.stations[0], h.stations[MAX_TIME_BINS - 1], h.clamped), (1, 1, 1));
    }
}
