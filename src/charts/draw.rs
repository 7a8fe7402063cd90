//! The charts, laid out by plotters on the recording backend. Each takes
//! figures computed by `shafaf_core::stats` and the language: labels, digits
//! and the side of the value axis (right in Persian) follow it.

use plotters::coord::Shift;
use plotters::prelude::*;
use shafaf_core::stats::{DigitTest, Histogram, Histogram2D, TimeHistogram};

use super::backend::{record, Drawing, Never, Recorder};
use crate::i18n::{Lang, Msg};

type Area = DrawingArea<Recorder, Shift>;
type Drawn = Result<(), DrawingAreaErrorKind<Never>>;

/// Okabe–Ito colours, safe for colour-blind readers.
const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xb2);
const ORANGE: RGBColor = RGBColor(0xe6, 0x9f, 0x00);
const VERMILLION: RGBColor = RGBColor(0xd5, 0x5e, 0x00);
const GRID: RGBColor = RGBColor(0xd0, 0xd7, 0xde);
const TEXT: RGBColor = RGBColor(0x1b, 0x1f, 0x24);

const FONT: &str = "Vazirmatn, sans-serif";
pub const WIDTH: u32 = 720;

fn font(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&TEXT)
}

/// A chart area with the value axis on the reading side's end: left in
/// English, right in Persian.
fn builder<'a, 'b>(area: &'a Area, lang: Lang, x_labels: u32, y_labels: u32) -> ChartBuilder<'a, 'b, Recorder> {
    let mut b = ChartBuilder::on(area);
    b.margin(12).x_label_area_size(x_labels);
    match lang {
        Lang::Fa => b.right_y_label_area_size(y_labels),
        Lang::En => b.y_label_area_size(y_labels),
    };
    b
}

fn percent(lang: Lang, v: f64) -> String {
    format!("{}{}", lang.fixed(v, 0), lang.t(Msg::MapPercentSign))
}

fn count(lang: Lang, v: f64) -> String {
    if v.fract().abs() < 1e-9 && v >= 0.0 {
        lang.number(v as u64)
    } else {
        lang.fixed(v, 1)
    }
}

/// Bars of `values` (percentages) by region, one row per region.
pub fn by_region(lang: Lang, names: &[String], values: &[f64]) -> Drawing {
    let n = names.len().max(1);
    let height = (60 + 24 * n as u32).max(160);
    let max = values.iter().copied().fold(100.0f64, f64::max);
    let longest = names.iter().map(|s| s.chars().count()).max().unwrap_or(4) as u32;
    record(WIDTH, height, |area: &Area| -> Drawn {
        let mut chart = builder(area, lang, 36, (longest * 8 + 12).clamp(60, 260))
            .build_cartesian_2d(0f64..max, (0..n).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(GRID)
            .bold_line_style(GRID)
            .label_style(font(12))
            .x_desc(lang.t(Msg::Turnout))
            .axis_desc_style(font(13))
            .x_label_formatter(&|v| percent(lang, *v))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_labels(n)
            .draw()?;
        chart.draw_series(values.iter().enumerate().map(|(i, v)| {
            let mut bar =
                Rectangle::new([(0.0, SegmentValue::Exact(i)), (*v, SegmentValue::Exact(i + 1))], BLUE.filled());
            bar.set_margin(3, 3, 0, 0);
            bar
        }))?;
        Ok(())
    })
}

/// A histogram of a ratio over [0, 1], drawn in percent.
pub fn histogram(lang: Lang, h: &Histogram, x_label: Msg) -> Drawing {
    let max = h.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    record(WIDTH, 300, |area: &Area| -> Drawn {
        let mut chart = builder(area, lang, 40, 56).build_cartesian_2d(0f64..100f64, 0f64..max * 1.05)?;
        chart
            .configure_mesh()
            .light_line_style(GRID)
            .bold_line_style(GRID)
            .label_style(font(12))
            .axis_desc_style(font(13))
            .x_desc(lang.t(x_label))
            .y_desc(lang.t(Msg::ChartStations))
            .x_label_formatter(&|v| percent(lang, *v))
            .y_label_formatter(&|v| count(lang, *v))
            .draw()?;
        chart.draw_series(h.counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, c)| {
            let (lo, hi) = h.edges(i);
            Rectangle::new([(lo * 100.0, 0.0), (hi * 100.0, *c as f64)], BLUE.filled())
        }))?;
        Ok(())
    })
}

/// Ballots cast at the stations that closed in each time bin (bars), and the
/// share of all ballots in stations closed by then (a line, on the other axis).
pub fn closing_times(lang: Lang, t: &TimeHistogram) -> Drawing {
    let n = t.ballots.len().max(1);
    let max = t.ballots.iter().copied().max().unwrap_or(0).max(1) as f64;
    let cumulative = t.cumulative_ballots();
    let total = cumulative.last().copied().unwrap_or(0).max(1) as f64;
    record(WIDTH, 300, |area: &Area| -> Drawn {
        // Both sides carry an axis: ballots on the reading side's end, the share on the other.
        let mut b = ChartBuilder::on(area);
        b.margin(12).x_label_area_size(40).y_label_area_size(80).right_y_label_area_size(80);
        let ballots: (_, &dyn Fn(&f64) -> String, _) =
            (0f64..max * 1.05, &|v| count(lang, *v), lang.t(Msg::BallotsCast));
        let shares: (_, &dyn Fn(&f64) -> String, _) =
            (0f64..100f64, &|v| percent(lang, *v), lang.t(Msg::ChartCumulativeShare));
        // English: ballots on the left, the share on the right; Persian the other way round.
        let (primary, secondary) = match lang {
            Lang::En => (ballots, shares),
            Lang::Fa => (shares, ballots),
        };
        let mut chart =
            b.build_cartesian_2d(0f64..n as f64, primary.0)?.set_secondary_coord(0f64..n as f64, secondary.0);
        chart
            .configure_mesh()
            .light_line_style(GRID)
            .bold_line_style(GRID)
            .label_style(font(12))
            .axis_desc_style(font(13))
            .x_desc(lang.t(Msg::ChartClosedAt))
            .y_desc(primary.2)
            .x_labels(n.min(12))
            .x_label_formatter(&|v| clock(lang, t, v.round() as usize))
            .y_label_formatter(primary.1)
            .draw()?;
        chart
            .configure_secondary_axes()
            .label_style(font(12))
            .axis_desc_style(font(13))
            .y_desc(secondary.2)
            .y_label_formatter(secondary.1)
            .draw()?;
        let line = std::iter::once(line(&cumulative, total));
        match lang {
            Lang::En => {
                chart.draw_series(bars(t))?;
                chart.draw_secondary_series(line)?;
            }
            Lang::Fa => {
                chart.draw_secondary_series(bars(t))?;
                chart.draw_series(line)?;
            }
        }
        Ok(())
    })
}

fn bars(t: &TimeHistogram) -> impl Iterator<Item = Rectangle<(f64, f64)>> + '_ {
    t.ballots
        .iter()
        .enumerate()
        .filter(|(_, b)| **b > 0)
        .map(|(i, b)| Rectangle::new([(i as f64, 0.0), (i as f64 + 1.0, *b as f64)], BLUE.filled()))
}

/// The share of ballots at stations closed by the end of each bin, in percent.
fn line(cumulative: &[u64], total: f64) -> PathElement<(f64, f64)> {
    let points = std::iter::once((0.0, 0.0))
        .chain(cumulative.iter().enumerate().map(|(i, c)| (i as f64 + 1.0, *c as f64 / total * 100.0)))
        .collect::<Vec<_>>();
    PathElement::new(points, VERMILLION.stroke_width(3))
}

/// The time bin `i` starts at, as hours and minutes.
pub fn clock(lang: Lang, t: &TimeHistogram, i: usize) -> String {
    let at = t.bin_start(i);
    let minute = u64::from(at.minute());
    let minute = if minute < 10 { format!("{}{}", lang.number(0), lang.number(minute)) } else { lang.number(minute) };
    format!("{}:{minute}", lang.number(u64::from(at.hour())))
}

/// Viridis, sampled: a colour-blind-safe scale from few (dark) to many (yellow).
const VIRIDIS: [(u8, u8, u8); 9] = [
    (0x44, 0x01, 0x54),
    (0x47, 0x2d, 0x7b),
    (0x3b, 0x52, 0x8b),
    (0x2c, 0x72, 0x8e),
    (0x21, 0x91, 0x8c),
    (0x28, 0xae, 0x80),
    (0x5e, 0xc9, 0x62),
    (0xad, 0xdc, 0x30),
    (0xfd, 0xe7, 0x25),
];

/// The colour of `count` on a logarithmic scale up to `max`.
pub fn heat(count: u64, max: u64) -> RGBColor {
    let t = if max <= 1 { 1.0 } else { ((count as f64).ln_1p() / (max as f64).ln_1p()).clamp(0.0, 1.0) };
    let (r, g, b) = VIRIDIS[((t * (VIRIDIS.len() - 1) as f64).round() as usize).min(VIRIDIS.len() - 1)];
    RGBColor(r, g, b)
}

/// The election fingerprint: stations by turnout (x) and a share (y).
pub fn fingerprint(lang: Lang, h: &Histogram2D, y_label: String) -> Drawing {
    let max = h.max();
    let (bx, by) = (h.bins_x.max(1) as f64, h.bins_y.max(1) as f64);
    record(WIDTH, 560, |area: &Area| -> Drawn {
        let mut chart = builder(area, lang, 40, 56).build_cartesian_2d(0f64..100f64, 0f64..100f64)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .label_style(font(12))
            .axis_desc_style(font(13))
            .x_desc(lang.t(Msg::Turnout))
            .y_desc(y_label.as_str())
            .x_label_formatter(&|v| percent(lang, *v))
            .y_label_formatter(&|v| percent(lang, *v))
            .draw()?;
        chart.plotting_area().fill(&RGBColor(0xf6, 0xf8, 0xfa))?;
        let cells = (0..h.bins_x).flat_map(|x| (0..h.bins_y).map(move |y| (x, y)));
        chart.draw_series(cells.filter(|(x, y)| h.get(*x, *y) > 0).map(|(x, y)| {
            let (x0, y0) = (x as f64 * 100.0 / bx, y as f64 * 100.0 / by);
            Rectangle::new([(x0, y0), (x0 + 100.0 / bx, y0 + 100.0 / by)], heat(h.get(x, y), max).filled())
        }))?;
        // The corner Klimek et al. single out: 95% turnout and 95% share.
        chart
            .draw_series(std::iter::once(Rectangle::new([(95.0, 95.0), (100.0, 100.0)], VERMILLION.stroke_width(2))))?;
        Ok(())
    })
}

/// A digit test: observed counts per digit as bars, expected as marks.
pub fn digits(lang: Lang, t: &DigitTest) -> Drawing {
    let max = t.observed.iter().map(|o| *o as f64).chain(t.expected.iter().copied()).fold(1.0f64, f64::max);
    record(WIDTH, 300, |area: &Area| -> Drawn {
        let mut chart = builder(area, lang, 40, 64).build_cartesian_2d(-0.5f64..9.5f64, 0f64..max * 1.1)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(GRID)
            .bold_line_style(GRID)
            .label_style(font(12))
            .axis_desc_style(font(13))
            .x_desc(lang.t(Msg::ChartDigit))
            .y_desc(lang.t(Msg::ChartCounts))
            .x_labels(10)
            .x_label_formatter(&|v| lang.number(v.round().max(0.0) as u64))
            .y_label_formatter(&|v| count(lang, *v))
            .draw()?;
        chart.draw_series(
            t.observed
                .iter()
                .enumerate()
                .map(|(d, o)| Rectangle::new([(d as f64 - 0.35, 0.0), (d as f64 + 0.35, *o as f64)], BLUE.filled())),
        )?;
        chart.draw_series(t.expected.iter().enumerate().map(|(d, e)| {
            PathElement::new(vec![(d as f64 - 0.45, *e), (d as f64 + 0.45, *e)], ORANGE.stroke_width(3))
        }))?;
        Ok(())
    })
}

/// Two bars: stations with a whole-percentage turnout, and how many chance would give.
pub fn integer_percent(lang: Lang, observed: u64, expected: f64) -> Drawing {
    let max = (observed as f64).max(expected).max(1.0);
    let labels = [lang.t(Msg::ChartObserved), lang.t(Msg::ChartExpected)];
    record(WIDTH, 220, |area: &Area| -> Drawn {
        let mut chart =
            builder(area, lang, 36, 64).build_cartesian_2d((0..2usize).into_segmented(), 0f64..max * 1.15)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(GRID)
            .bold_line_style(GRID)
            .label_style(font(12))
            .axis_desc_style(font(13))
            .y_desc(lang.t(Msg::ChartStations))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i).map(|s| s.to_string()).unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|v| count(lang, *v))
            .draw()?;
        let bars = [(observed as f64, BLUE), (expected, ORANGE)];
        chart.draw_series(bars.iter().enumerate().map(|(i, (v, c))| {
            let mut bar = Rectangle::new([(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), *v)], c.filled());
            bar.set_margin(0, 0, 40, 40);
            bar
        }))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use shafaf_core::stats::last_digit_test;

    use super::super::backend::Shape;
    use super::*;

    fn texts(d: &Drawing) -> Vec<(i32, String)> {
        d.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { at, text, .. } => Some((at.0, text.clone())),
                _ => None,
            })
            .collect()
    }

    /// Counts whose last digits are 0…9, each `n` times.
    fn test_of(n: u64) -> DigitTest {
        last_digit_test((0..10).flat_map(|d| std::iter::repeat_n(100 + d, n as usize))).unwrap()
    }

    #[test]
    fn digit_chart_has_a_bar_per_digit_and_digit_labels_in_each_language() {
        let t = test_of(3);
        let en = digits(Lang::En, &t);
        let bars = en
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Rect { fill: true, colour, .. } if colour == "#0072b2"))
            .count();
        assert_eq!(bars, 10);
        let labels: Vec<String> = texts(&en).into_iter().map(|(_, t)| t).collect();
        for d in ["0", "5", "9", "Digit", "Counts"] {
            assert!(labels.iter().any(|l| l == d), "no label {d} in {labels:?}");
        }
        let fa: Vec<String> = texts(&digits(Lang::Fa, &t)).into_iter().map(|(_, t)| t).collect();
        assert!(fa.iter().any(|l| l == "۹") && fa.iter().any(|l| l == "رقم"), "{fa:?}");
        assert!(!fa.iter().any(|l| l.chars().any(|c| c.is_ascii_digit())), "Latin digits in Persian: {fa:?}");
    }

    #[test]
    fn the_value_axis_is_on_the_right_in_persian_and_on_the_left_in_english() {
        let t = test_of(100);
        // The y axis's tick labels are the counts: 0, 10, 20… 100 (the digits stop at 9).
        let axis_x = |lang: Lang, zero: &str| {
            texts(&digits(lang, &t)).into_iter().filter(|(_, s)| s == zero).map(|(x, _)| x).max().unwrap()
        };
        assert!(axis_x(Lang::En, "100") < (WIDTH / 2) as i32);
        assert!(axis_x(Lang::Fa, "۱۰۰") > (WIDTH / 2) as i32);
    }

    #[test]
    fn closing_times_put_the_ballots_on_the_reading_side_and_the_share_opposite() {
        let t = TimeHistogram {
            start: time::macros::datetime!(2026-06-19 20:00 +03:30),
            bin_minutes: 30,
            stations: vec![1, 2],
            ballots: vec![100, 300],
            clamped: 0,
        };
        let x_of = |lang: Lang, label: &str| {
            texts(&closing_times(lang, &t)).into_iter().filter(|(_, s)| s == label).map(|(x, _)| x).max().unwrap()
        };
        let middle = (WIDTH / 2) as i32;
        assert!(x_of(Lang::En, "100%") > middle);
        assert!(x_of(Lang::Fa, "۱۰۰٪") < middle);
        assert!(x_of(Lang::En, "20:00") < middle);
    }

    #[test]
    fn heat_runs_from_dark_to_yellow() {
        assert_eq!(heat(1, 1), RGBColor(0xfd, 0xe7, 0x25));
        assert_eq!(heat(0, 100), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(heat(100, 100), RGBColor(0xfd, 0xe7, 0x25));
    }
}
