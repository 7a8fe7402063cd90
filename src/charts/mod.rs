//! The turnout charts and the election-forensics tests, for the region the
//! reader has open: the country (`/charts`), a province (`/charts/:province`),
//! a county (`/charts/:province/:county`) or a council (`/c/:contest/charts`).
//!
//! Every figure comes from `shafaf_core::stats` over verified data; every
//! chart says what it shows and what it does not prove (from
//! `stats::explain`), has a table with the same numbers, follows the
//! language, and can be downloaded as SVG or PNG.

mod backend;
mod download;
mod draw;

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shafaf_core::stats::{
    closing_times, digit_counts, fingerprint, histogram, integer_percent_turnout, last_digit_test, outliers,
    second_digit_test, station_points, turnout_by_region, turnout_histogram, Chart, CountSource, DigitTest, Histogram,
    Histogram2D, IntegerPercent, Level, Measure, OutlierRules, Reason, Region, Scope, TimeHistogram,
};
use shafaf_core::summary::Ratio;

use crate::components::{remembered, trail, Breadcrumbs};
use crate::i18n::{text, tr, use_lang, Lang, Msg};
use crate::load::Links;
use crate::pages::not_found::NotFound;
use crate::pages::{set_title, verified};
use crate::state::{Place, Places};

use backend::{render, Drawing};

/// The fingerprint's bins per axis: 5 points each, so 95–100% is the last bin.
const FINGERPRINT_BINS: usize = 20;

#[component]
pub fn ChartsPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let (province, county, contest) = params.with(|p| (p.get("province"), p.get("county"), p.get("contest")));
        untrack(|| {
            verified(|release| {
                // The charts read every station of the region: they wait for its provinces' recount.
                let places = release.places.get_untracked();
                let wanted: Vec<usize> = match (&province, &contest) {
                    (_, Some(id)) => places.province_of_contest(id).into_iter().collect(),
                    (Some(code), None) => places.province_index(code).into_iter().collect(),
                    (None, None) => (0..places.province_count()).collect(),
                };
                for &p in wanted.iter().take(1) {
                    crate::pages::open_province(release, p, true);
                }
                let key = {
                    let wanted = wanted.clone();
                    move |places: &Places| wanted.iter().map(|&p| places.area(p).level()).collect::<Vec<_>>()
                };
                crate::pages::follow(release, key, move |places| {
                    let ready =
                        wanted.iter().filter(|&&p| places.area(p).data().is_some_and(|d| d.recounted())).count();
                    if ready < wanted.len() {
                        let total = wanted.len() as u64;
                        return view! {
                            <p class="loading-note" aria-busy="true" data-testid="charts-pending">
                                {text(move |lang| lang.charts_wait(ready as u64, total))}
                            </p>
                        }
                        .into_any();
                    }
                    let (province, county, contest) = (province.clone(), county.clone(), contest.clone());
                    view! { <Charts places province county contest/> }.into_any()
                })
                .into_any()
            })
        })
    }
}

/// A link to the charts of a place (or the country), for the region pages.
#[component]
pub fn ChartsLink(href: String) -> impl IntoView {
    view! {
        <p class="charts-link">
            <a href=href data-testid="charts-link">{tr(Msg::ChartsLink)}</a>
        </p>
    }
}

/// The charts' address for a place; the country's for `None`.
pub fn charts_path(places: &Places, place: Option<Place>) -> String {
    match place {
        None => "/charts".to_owned(),
        Some(Place::Contest(p, c)) => format!("{}/charts", places.path(Place::Contest(p, c))),
        Some(place) => format!("/charts{}", places.path(place).trim_start_matches("/p")),
    }
}

/// One fingerprint the reader can pick: which share goes up the y axis.
#[derive(Clone)]
struct Print {
    label: Arc<dyn Fn(Lang) -> String + Send + Sync>,
    histogram: Histogram2D,
}

/// A listed station, with what the table shows.
#[derive(Clone)]
struct OutlierRow {
    station: String,
    contest: String,
    contest_name: shafaf_core::model::Name,
    href: String,
    turnout: Option<Ratio>,
    share: Option<Ratio>,
    reasons: Vec<Reason>,
}

#[component]
fn Charts(
    places: Arc<Places>,
    province: Option<String>,
    county: Option<String>,
    contest: Option<String>,
) -> impl IntoView {
    let links = expect_context::<Links>();
    let (region, place) = match (&province, &county) {
        _ if contest.is_some() => match contest.as_deref().and_then(|id| places.contest_index(id)) {
            Some((p, c)) => match places.contest(p, c) {
                Some(outcome) => (Region::Contest(outcome.contest.id.clone()), Some(Place::Contest(p, c))),
                None => return view! { <NotFound what=Msg::PlaceNotFound/> }.into_any(),
            },
            None => return view! { <NotFound what=Msg::PlaceNotFound/> }.into_any(),
        },
        (None, _) => (Region::All, None),
        (Some(code), None) => match places.province_index(code) {
            Some(p) => (Region::Province(places.province(p).code.clone()), Some(Place::Province(p))),
            None => return view! { <NotFound what=Msg::PlaceNotFound/> }.into_any(),
        },
        (Some(code), Some(county)) => {
            match places.province_index(code).and_then(|p| Some((p, places.county_index(p, county)?))) {
                Some((p, k)) => (Region::County(places.county(p, k).code.clone()), Some(Place::County(p, k))),
                None => return view! { <NotFound what=Msg::PlaceNotFound/> }.into_any(),
            }
        }
    };
    let place_name = match place {
        Some(place) => places.name(place),
        None => places.country().clone(),
    };
    {
        let name = place_name.clone();
        set_title(move |lang| format!("{} — {}", lang.t(Msg::ChartsHeading), lang.name(&name)));
    }

    // Everything is computed once, here; the charts are redrawn when the language changes.
    let recounted: Vec<Arc<shafaf_core::verify::VerifiedProvince>> =
        (0..places.province_count()).filter_map(|p| places.area(p).data().and_then(|d| d.verified())).collect();
    let scope = Scope::new(recounted.iter().map(|p| &**p), region.clone());
    let points = station_points(scope.stations());
    let level = scope.child_level();
    let regions: Vec<(Names, Option<f64>)> = turnout_by_region(&scope, level)
        .into_iter()
        .map(|r| {
            let name = match level {
                Level::Province => places.province_index(r.code.as_str()).map(|p| places.name(Place::Province(p))),
                Level::County => places
                    .province_index(r.province.as_str())
                    .and_then(|p| Some(places.name(Place::County(p, places.county_index(p, r.code.as_str())?)))),
                Level::Contest => places.contest_index(r.code.as_str()).map(|(p, c)| places.name(Place::Contest(p, c))),
            };
            let name =
                name.map_or_else(|| (r.code.to_string(), r.code.to_string()), |n| (n.fa.to_string(), n.en.to_string()));
            (name, r.turnout().map(|t| t.percent()))
        })
        .collect();
    let turnout = turnout_histogram(&points, 100);
    let seats = histogram(&points, Measure::SeatsFilled, 20);
    let closing = closing_times(&points, 30);
    let mut prints = Vec::new();
    for k in 1..=3usize {
        prints.push(Print {
            label: Arc::new(move |lang: Lang| format!("{} {}", lang.t(Msg::ChartShareOfRank), lang.number(k as u64))),
            histogram: fingerprint(&points, Measure::RankShare(k), FINGERPRINT_BINS),
        });
    }
    prints.push(Print {
        label: Arc::new(|lang: Lang| lang.t(Msg::ChartShareOfTop).to_owned()),
        histogram: fingerprint(&points, Measure::TopShare, FINGERPRINT_BINS),
    });
    prints.push(Print {
        label: Arc::new(|lang: Lang| lang.t(Msg::ChartSeatsFilled).to_owned()),
        histogram: fingerprint(&points, Measure::SeatsFilled, FINGERPRINT_BINS),
    });
    let votes = digit_counts(&points, CountSource::CandidateVotes);
    let last = last_digit_test(votes.iter().copied());
    let second = second_digit_test(votes.iter().copied());
    let integer = integer_percent_turnout(&points);
    let listed: Vec<OutlierRow> = outliers(&points, &OutlierRules::default())
        .into_iter()
        .map(|o| {
            let contest = o.point.contest_id().to_string();
            let href = places
                .contest_index(&contest)
                .map(|(p, c)| links.href(&places.path(Place::Contest(p, c))))
                .unwrap_or_default();
            OutlierRow {
                station: o.point.station_id().to_string(),
                contest_name: o.point.contest.contest.name.clone(),
                contest,
                href,
                turnout: o.point.turnout,
                share: o.point.top_share,
                reasons: o.reasons,
            }
        })
        .collect();
    let stations = points.len() as u64;
    drop(points);

    let mut crumbs = trail(&places, &links, place);
    if let Some(last) = crumbs.last_mut() {
        last.href = Some(links.href(&place.map_or_else(|| "/".to_owned(), |p| places.path(p))));
    }
    let heading = place_name.clone();
    let level_msg = match level {
        Level::Province => Msg::Province,
        Level::County => Msg::County,
        Level::Contest => Msg::Council,
    };
    let region_key = match &region {
        Region::All => "all".to_owned(),
        Region::Province(c) | Region::County(c) | Region::Contest(c) => c.to_string(),
    };
    view! {
        <Breadcrumbs trail=crumbs/>
        <h1 class="page-title" data-testid="page-title">
            {text(move |lang| format!("{} — {}", lang.t(Msg::ChartsHeading), lang.name(&heading)))}
        </h1>
        <p class="charts-intro">{tr(Msg::ChartsIntro)}</p>
        <p class="charts-count" data-testid="charts-stations" data-value=stations.to_string()>
            {text(move |lang| format!("{}: {}", lang.t(Msg::ChartStationsReported), lang.number(stations)))}
        </p>
        <div class="charts" data-testid="charts" data-region=region_key>
            <ByRegion regions level_msg/>
            <TurnoutHistogram h=turnout/>
            <Fingerprints prints/>
            <Outliers rows=listed/>
            <Digits test=last chart=Chart::LastDigit title=Msg::ChartLastDigit/>
            <Digits test=second chart=Chart::SecondDigit title=Msg::ChartSecondDigit/>
            <IntegerPercentChart r=integer/>
            <SeatsHistogram h=seats/>
            <Closing t=closing/>
        </div>
    }
    .into_any()
}

/// A chart with its title, explanation, drawing, downloads and table.
#[component]
fn ChartFigure(
    id: &'static str,
    chart: Chart,
    title: Signal<String>,
    /// The chart, drawn for a language.
    draw: Arc<dyn Fn(Lang) -> Drawing + Send + Sync>,
    /// The same numbers as a table, for a language.
    table: Arc<dyn Fn(Lang) -> AnyView + Send + Sync>,
    /// The test's result in a sentence, if the chart is a test.
    #[prop(optional)]
    result: Option<Arc<dyn Fn(Lang) -> String + Send + Sync>>,
    /// Controls above the chart (a choice of what to draw).
    #[prop(optional)]
    controls: Option<AnyView>,
    /// Figures for tests and scrapers.
    #[prop(optional)]
    data: Vec<(&'static str, String)>,
) -> impl IntoView {
    let lang = use_lang();
    let svg_id = format!("chart-{id}");
    let title_id = format!("chart-{id}-title");
    let desc_id = format!("chart-{id}-desc");
    let shows = chart.shows();
    let not_proof = chart.does_not_prove();
    let pick = move |b: shafaf_core::stats::Bilingual| match lang.get() {
        Lang::Fa => b.fa,
        Lang::En => b.en,
    };
    let drawing = {
        let svg_id = svg_id.clone();
        let (title_id, desc_id) = (title_id.clone(), desc_id.clone());
        move || {
            let lang = lang.get();
            let d = draw(lang);
            let labelled = format!("{title_id} {desc_id}");
            view! {
                <svg
                    id=svg_id.clone()
                    class="chart-svg"
                    xmlns="http://www.w3.org/2000/svg"
                    viewBox=format!("0 0 {} {}", d.width, d.height)
                    width=d.width
                    height=d.height
                    role="img"
                    aria-labelledby=labelled
                    direction="ltr"
                    font-family="Vazirmatn, sans-serif"
                    data-lang=lang.code()
                >
                    <rect width=d.width height=d.height fill="#ffffff"></rect>
                    {render(d.shapes)}
                </svg>
            }
        }
    };
    let file = {
        let id = id.to_owned();
        move |ext: &str| format!("shafaf-{id}.{ext}")
    };
    let (svg_for_svg, svg_for_png) = (svg_id.clone(), svg_id.clone());
    let (file_svg, file_png) = (file.clone(), file);
    let attrs: Vec<AnyView> = data
        .into_iter()
        .map(|(k, v)| view! { <data class="chart-datum" data-key=k value=v></data> }.into_any())
        .collect();
    let table_view = move || table(lang.get());
    let result_view = result
        .map(|r| move || view! { <p class="chart-result" data-testid=format!("{id}-result")>{r(lang.get())}</p> });
    let figure_label = title_id.clone();
    view! {
        <figure class="chart" data-testid=format!("chart-{id}") aria-labelledby=figure_label>
            <h2 id=title_id class="chart-title">{title}</h2>
            <p class="chart-shows" id=desc_id>{move || pick(shows)}</p>
            <p class="chart-caveat">
                <strong>{tr(Msg::ChartDoesNotProve)}</strong>
                " "
                {move || pick(not_proof)}
            </p>
            {controls}
            {result_view}
            <div class="chart-canvas">{drawing}</div>
            <div class="chart-downloads">
                <button type="button" data-testid=format!("{id}-svg") on:click=move |_| download::svg(&svg_for_svg, &file_svg("svg"))>
                    {tr(Msg::ChartDownloadSvg)}
                </button>
                <button type="button" data-testid=format!("{id}-png") on:click=move |_| download::png(&svg_for_png, &file_png("png"))>
                    {tr(Msg::ChartDownloadPng)}
                </button>
            </div>
            <details class="chart-table">
                <summary>{tr(Msg::ChartAsTable)}</summary>
                {table_view}
            </details>
            {attrs}
        </figure>
    }
}

fn title(msg: Msg) -> Signal<String> {
    let t = tr(msg);
    Signal::derive(move || t().to_owned())
}

/// A simple table: a header row and rows of cells (the first is the row's header).
fn simple_table(head: Vec<String>, rows: Vec<Vec<String>>) -> AnyView {
    view! {
        <table class="chart-data">
            <thead>
                <tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let mut cells = row.into_iter();
                        let first = cells.next().unwrap_or_default();
                        view! {
                            <tr>
                                <th scope="row">{first}</th>
                                {cells.map(|c| view! { <td class="num">{c}</td> }).collect_view()}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A region's name in Persian and English.
type Names = (String, String);

fn name_in(lang: Lang, (fa, en): &Names) -> String {
    match lang {
        Lang::Fa => fa.clone(),
        Lang::En => en.clone(),
    }
}

#[component]
fn ByRegion(regions: Vec<(Names, Option<f64>)>, level_msg: Msg) -> impl IntoView {
    let regions = Arc::new(regions);
    let r2 = regions.clone();
    let draw = Arc::new(move |lang: Lang| {
        let names: Vec<String> = regions.iter().map(|(n, _)| name_in(lang, n)).collect();
        let values: Vec<f64> = regions.iter().map(|(_, v)| v.unwrap_or(0.0)).collect();
        draw::by_region(lang, &names, &values)
    });
    let table = Arc::new(move |lang: Lang| {
        let rows = r2
            .iter()
            .map(|(n, v)| {
                vec![
                    name_in(lang, n),
                    v.map_or_else(
                        || "–".to_owned(),
                        |v| format!("{}{}", lang.fixed(v, 1), lang.t(Msg::MapPercentSign)),
                    ),
                ]
            })
            .collect();
        simple_table(vec![lang.t(level_msg).to_owned(), lang.t(Msg::Turnout).to_owned()], rows)
    });
    view! { <ChartFigure id="by-region" chart=Chart::TurnoutByRegion title=title(Msg::ChartByRegion) draw table/> }
}

fn histogram_table(lang: Lang, h: &Histogram, step: usize) -> AnyView {
    let rows = (0..h.bins())
        .step_by(step.max(1))
        .map(|i| {
            let end = (i + step).min(h.bins());
            let (lo, _) = h.edges(i);
            let (_, hi) = h.edges(end - 1);
            let n: u64 = h.counts[i..end].iter().sum();
            vec![format!("{} – {}", draw_percent(lang, lo * 100.0), draw_percent(lang, hi * 100.0)), lang.number(n)]
        })
        .collect();
    simple_table(vec![lang.t(Msg::ChartRange).to_owned(), lang.t(Msg::ChartStations).to_owned()], rows)
}

fn draw_percent(lang: Lang, v: f64) -> String {
    format!("{}{}", lang.fixed(v, 0), lang.t(Msg::MapPercentSign))
}

#[component]
fn TurnoutHistogram(h: Histogram) -> impl IntoView {
    let h = Arc::new(h);
    let (h1, h2, h3) = (h.clone(), h.clone(), h.clone());
    let draw = Arc::new(move |lang: Lang| draw::histogram(lang, &h1, Msg::Turnout));
    let table = Arc::new(move |lang: Lang| histogram_table(lang, &h2, 10));
    let result = Arc::new(move |lang: Lang| {
        format!(
            "{}: {} · {}: {}",
            lang.t(Msg::ChartAboveHundred),
            lang.number(h3.above_one),
            lang.t(Msg::ChartUndefined),
            lang.number(h3.undefined)
        )
    });
    view! {
        <ChartFigure id="turnout-histogram" chart=Chart::TurnoutHistogram title=title(Msg::ChartTurnoutHistogram) draw table result/>
    }
}

#[component]
fn SeatsHistogram(h: Histogram) -> impl IntoView {
    let h = Arc::new(h);
    let (h1, h2) = (h.clone(), h.clone());
    let draw = Arc::new(move |lang: Lang| draw::histogram(lang, &h1, Msg::ChartSeatsFilled));
    let table = Arc::new(move |lang: Lang| histogram_table(lang, &h2, 1));
    view! { <ChartFigure id="seats-filled" chart=Chart::SeatsFilled title=title(Msg::ChartSeatsFilledTitle) draw table/> }
}

#[component]
fn Closing(t: Option<TimeHistogram>) -> impl IntoView {
    let Some(t) = t else {
        return view! { <p class="chart-empty">{tr(Msg::ChartNoStations)}</p> }.into_any();
    };
    let t = Arc::new(t);
    let (t1, t2) = (t.clone(), t.clone());
    let draw = Arc::new(move |lang: Lang| draw::closing_times(lang, &t1));
    let table = Arc::new(move |lang: Lang| {
        let cumulative = t2.cumulative_ballots();
        let rows = (0..t2.ballots.len())
            .filter(|i| t2.stations[*i] > 0)
            .map(|i| {
                vec![
                    draw::clock(lang, &t2, i),
                    lang.number(t2.stations[i]),
                    lang.number(t2.ballots[i]),
                    lang.number(cumulative[i]),
                ]
            })
            .collect();
        let head = [Msg::ChartClosedAt, Msg::ChartStations, Msg::BallotsCast, Msg::ChartCumulative];
        simple_table(head.iter().map(|m| lang.t(*m).to_owned()).collect(), rows)
    });
    view! { <ChartFigure id="closing-times" chart=Chart::ClosingTimes title=title(Msg::ChartClosingTimes) draw table/> }
        .into_any()
}

#[component]
fn Fingerprints(prints: Vec<Print>) -> impl IntoView {
    let lang = use_lang();
    let prints = Arc::new(prints);
    let choice = remembered("chart:fingerprint:share", 0usize);
    let set_choice = choice.write_only();
    let options = prints
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let label = p.label.clone();
            view! { <option value=i.to_string() selected=move || choice.get() == i>{move || label(lang.get())}</option> }
        })
        .collect_view();
    let controls = view! {
        <p class="chart-controls">
            <label for="fingerprint-share">{tr(Msg::ChartShareAxis)}</label>
            " "
            <select
                id="fingerprint-share"
                data-testid="fingerprint-share"
                on:change=move |ev| set_choice.set(event_target_value(&ev).parse().unwrap_or(0))
            >
                {options}
            </select>
        </p>
    }
    .into_any();
    let (p1, p2, p3) = (prints.clone(), prints.clone(), prints.clone());
    let draw = Arc::new(move |lang: Lang| {
        let p = &p1[choice.get().min(p1.len() - 1)];
        draw::fingerprint(lang, &p.histogram, (p.label)(lang))
    });
    let table = Arc::new(move |lang: Lang| {
        let p = &p2[choice.get().min(p2.len() - 1)];
        let h = &p.histogram;
        let step = 100.0 / h.bins_x.max(1) as f64;
        let mut rows = Vec::new();
        for x in 0..h.bins_x {
            for y in 0..h.bins_y {
                let n = h.get(x, y);
                if n > 0 {
                    rows.push(vec![
                        format!(
                            "{} – {}",
                            draw_percent(lang, x as f64 * step),
                            draw_percent(lang, (x + 1) as f64 * step)
                        ),
                        format!(
                            "{} – {}",
                            draw_percent(lang, y as f64 * step),
                            draw_percent(lang, (y + 1) as f64 * step)
                        ),
                        lang.number(n),
                    ]);
                }
            }
        }
        simple_table(
            vec![lang.t(Msg::Turnout).to_owned(), (p.label)(lang), lang.t(Msg::ChartStations).to_owned()],
            rows,
        )
    });
    let result = Arc::new(move |lang: Lang| {
        let p = &p3[choice.get().min(p3.len() - 1)];
        let h = &p.histogram;
        let corner = corner(h);
        format!("{}: {}", lang.t(Msg::ChartCorner), lang.number(corner))
    });
    let corner_rank1 = corner(&prints[0].histogram).to_string();
    // The station's own top candidate: a stuffed box lands here whatever the candidate's place in the contest.
    let corner_top = corner(&prints[3].histogram).to_string();
    view! {
        <ChartFigure
            id="fingerprint"
            chart=Chart::Fingerprint
            title=title(Msg::ChartFingerprint)
            draw
            table
            result
            controls
            data=vec![("corner-rank1", corner_rank1), ("corner-top", corner_top)]
        />
    }
}

/// Stations in the last bin of both axes: turnout and share of at least 95%.
fn corner(h: &Histogram2D) -> u64 {
    match (h.bins_x.checked_sub(1), h.bins_y.checked_sub(1)) {
        (Some(x), Some(y)) => h.get(x, y),
        _ => 0,
    }
}

fn p_value(lang: Lang, p: f64) -> String {
    if p < 0.001 {
        format!("< {}", lang.fixed(0.001, 3))
    } else {
        lang.fixed(p, 3)
    }
}

#[component]
fn Digits(test: Option<DigitTest>, chart: Chart, title: Msg) -> impl IntoView {
    let id = match chart {
        Chart::LastDigit => "last-digit",
        _ => "second-digit",
    };
    let Some(test) = test else {
        return view! { <p class="chart-empty" data-testid=format!("chart-{id}")>{tr(Msg::ChartNoCounts)}</p> }
            .into_any();
    };
    let data = vec![
        ("chi-square", format!("{:.4}", test.chi_square)),
        ("p-value", format!("{:.6}", test.p_value)),
        ("counts", test.counts.to_string()),
    ];
    let test = Arc::new(test);
    let (t1, t2, t3) = (test.clone(), test.clone(), test.clone());
    let draw = Arc::new(move |lang: Lang| draw::digits(lang, &t1));
    let table = Arc::new(move |lang: Lang| {
        let rows = (0..10)
            .map(|d| vec![lang.number(d as u64), lang.number(t2.observed[d]), lang.fixed(t2.expected[d], 1)])
            .collect();
        let head = [Msg::ChartDigit, Msg::ChartObserved, Msg::ChartExpected];
        simple_table(head.iter().map(|m| lang.t(*m).to_owned()).collect(), rows)
    });
    let result = Arc::new(move |lang: Lang| {
        let t = &t3;
        let verdict = if t.deviates_at(0.01) { Msg::ChartDeviates } else { Msg::ChartConsistent };
        let caution = if t.approximation_ok { "" } else { lang.t(Msg::ChartFewCounts) };
        format!(
            "χ² = {} ({} {}), p = {} · {}: {} · {}: {} / {} · {} {}",
            lang.fixed(t.chi_square, 2),
            lang.t(Msg::ChartDegreesOfFreedom),
            lang.number(u64::from(t.degrees_of_freedom)),
            p_value(lang, t.p_value),
            lang.t(Msg::ChartCounts),
            lang.number(t.counts),
            lang.t(Msg::ChartMeanDigit),
            lang.fixed(t.mean, 3),
            lang.fixed(t.expected_mean, 3),
            lang.t(verdict),
            caution
        )
    });
    view! { <ChartFigure id chart title=self::title(title) draw table result data/> }.into_any()
}

#[component]
fn IntegerPercentChart(r: IntegerPercent) -> impl IntoView {
    let r = Arc::new(r);
    let (r1, r2, r3) = (r.clone(), r.clone(), r.clone());
    let draw = Arc::new(move |lang: Lang| draw::integer_percent(lang, r1.integer, r1.expected));
    let table = Arc::new(move |lang: Lang| {
        let rows = vec![
            vec![lang.t(Msg::ChartObserved).to_owned(), lang.number(r2.integer), lang.number(r2.stations)],
            vec![lang.t(Msg::ChartExpected).to_owned(), lang.fixed(r2.expected, 1), lang.number(r2.stations)],
        ];
        let head = [Msg::ChartRange, Msg::ChartIntegerStations, Msg::ChartStations];
        simple_table(head.iter().map(|m| lang.t(*m).to_owned()).collect(), rows)
    });
    let result = Arc::new(move |lang: Lang| {
        let share = lang.ratio_percent(r3.share);
        let expected = r3
            .expected_share
            .map_or_else(|| "–".to_owned(), |s| format!("{}{}", lang.fixed(s * 100.0, 1), lang.t(Msg::MapPercentSign)));
        let p = r3.excess_p_value.map_or_else(|| "–".to_owned(), |p| p_value(lang, p));
        format!(
            "{}: {} ({}) · {}: {} · p = {}",
            lang.t(Msg::ChartIntegerStations),
            lang.number(r3.integer),
            share,
            lang.t(Msg::ChartExpected),
            expected,
            p
        )
    });
    let data = vec![("integer", r.integer.to_string()), ("stations", r.stations.to_string())];
    view! {
        <ChartFigure id="integer-percent" chart=Chart::IntegerPercent title=title(Msg::ChartIntegerPercent) draw table result data/>
    }
}

fn reason_text(lang: Lang, r: &Reason) -> String {
    match r {
        Reason::Landslide { turnout, share, rank, .. } => format!(
            "{} ({} {}, {} {} {})",
            lang.t(Msg::ReasonLandslide),
            lang.t(Msg::Turnout),
            lang.ratio_percent(Some(*turnout)),
            lang.ratio_percent(Some(*share)),
            lang.t(Msg::ChartForRank),
            lang.number(*rank as u64)
        ),
        Reason::FullTurnout { cast, .. } => format!("{} ({})", lang.t(Msg::ReasonFullTurnout), lang.number(*cast)),
        Reason::AboveEligible { cast, eligible } => {
            format!("{} ({} / {})", lang.t(Msg::ReasonAboveEligible), lang.number(*cast), lang.number(*eligible))
        }
        Reason::SeatsFilledHigh { seats_filled, .. } => {
            format!("{} ({})", lang.t(Msg::ReasonSeatsFilledHigh), lang.ratio_percent(Some(*seats_filled)))
        }
        Reason::SeatsFilledLow { seats_filled, .. } => {
            format!("{} ({})", lang.t(Msg::ReasonSeatsFilledLow), lang.ratio_percent(Some(*seats_filled)))
        }
    }
}

#[component]
fn Outliers(rows: Vec<OutlierRow>) -> impl IntoView {
    let lang = use_lang();
    let shows = Chart::Outliers.shows();
    let not_proof = Chart::Outliers.does_not_prove();
    let pick = move |b: shafaf_core::stats::Bilingual| match lang.get() {
        Lang::Fa => b.fa,
        Lang::En => b.en,
    };
    let count = rows.len() as u64;
    let rows = Arc::new(rows);
    let body = move || {
        let lang = lang.get();
        rows.iter()
            .map(|r| {
                let reasons = r.reasons.iter().map(|x| reason_text(lang, x)).collect::<Vec<_>>().join("؛ ");
                let keys = r.reasons.iter().map(|x| x.key()).collect::<Vec<_>>().join(" ");
                view! {
                    <tr data-station=r.station.clone() data-contest=r.contest.clone() data-reasons=keys>
                        <th scope="row">{lang.digits(&r.station)}</th>
                        <td><a href=r.href.clone()>{lang.name(&r.contest_name)}</a></td>
                        <td class="num">{lang.ratio_percent(r.turnout)}</td>
                        <td class="num">{lang.ratio_percent(r.share)}</td>
                        <td>{reasons}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="chart outliers" data-testid="outliers" data-count=count.to_string() aria-labelledby="outliers-title">
            <h2 id="outliers-title" class="chart-title">{tr(Msg::ChartOutliers)}</h2>
            <p class="chart-shows">{move || pick(shows)}</p>
            <p class="chart-caveat">
                <strong>{tr(Msg::ChartDoesNotProve)}</strong>
                " "
                {move || pick(not_proof)}
            </p>
            <p class="chart-result">{text(move |lang| format!("{}: {}", lang.t(Msg::ChartListed), lang.number(count)))}</p>
            <div class="table-scroll">
                <table class="chart-data" data-testid="outlier-table">
                    <caption>{tr(Msg::ChartOutliers)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(Msg::ChartStation)}</th>
                            <th scope="col">{tr(Msg::Council)}</th>
                            <th scope="col">{tr(Msg::Turnout)}</th>
                            <th scope="col">{tr(Msg::ChartShareOfTop)}</th>
                            <th scope="col">{tr(Msg::ChartReasons)}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
    }
}
