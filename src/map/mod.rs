//! The choropleth maps: the country by province (on the overview) and a
//! province by county (on its page), drawn by Leptos as SVG paths from the
//! release's verified boundary files (`shafaf_core::map`).
//!
//! Each region with data is a link (focusable, opened with a click or Enter);
//! hover and focus show its name and figures. The reader picks what colours
//! the map; the legend lists the classes, regions without data are hatched
//! grey and regions with findings get a dashed outline, so no meaning rests
//! on colour alone. A table under the map says the same in words.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shafaf_core::map::RegionMap;
use shafaf_core::summary::Totals;

use crate::components::{in_next_task, remembered};
use crate::i18n::{tr, use_lang, Lang, Msg};
use crate::load::Links;
use crate::state::{council_findings, Area, Level, Place, Places, ProvinceBoundaries, Release};

/// One region drawn on a map, with the figures the views computed for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapArea {
    pub code: String,
    /// In Persian and English.
    pub name: (String, String),
    /// Where it opens; `None` for a region without data.
    pub href: Option<String>,
    /// `None` for a region the release has no results for.
    pub totals: Option<Totals>,
    /// Findings of verification about the region's councils.
    pub findings: usize,
    /// Its reporting stations whose device signature the audit verified so
    /// far: the verification-status layer, which fills in as it advances.
    pub verified: Option<shafaf_core::summary::Ratio>,
    /// The level its figures reached.
    pub level: Level,
}

impl MapArea {
    pub fn name_in(&self, lang: Lang) -> String {
        match lang {
            Lang::Fa => self.name.0.clone(),
            Lang::En => self.name.1.clone(),
        }
    }
}

/// What colours the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Turnout,
    /// Turnout in percentage points above or below the median of the regions shown.
    TurnoutVsMedian,
    InvalidShare,
    VotesPerBallot,
    Councils,
    /// Stations whose signed result verified, of those registered.
    Verified,
}

impl Metric {
    pub const ALL: [Metric; 6] = [
        Metric::Turnout,
        Metric::TurnoutVsMedian,
        Metric::InvalidShare,
        Metric::VotesPerBallot,
        Metric::Councils,
        Metric::Verified,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Metric::Turnout => "turnout",
            Metric::TurnoutVsMedian => "turnout_vs_median",
            Metric::InvalidShare => "invalid_share",
            Metric::VotesPerBallot => "votes_per_ballot",
            Metric::Councils => "councils",
            Metric::Verified => "verified",
        }
    }

    fn from_key(key: &str) -> Metric {
        Metric::ALL.into_iter().find(|m| m.key() == key).unwrap_or(Metric::Turnout)
    }

    pub fn label(self) -> Msg {
        match self {
            Metric::Turnout => Msg::Turnout,
            Metric::TurnoutVsMedian => Msg::MapTurnoutVsMedian,
            Metric::InvalidShare => Msg::InvalidShare,
            Metric::VotesPerBallot => Msg::VotesPerBallot,
            Metric::Councils => Msg::Contests,
            Metric::Verified => Msg::MapStationsVerified,
        }
    }

    /// The region's raw figure (before any comparison with the median).
    fn raw(self, t: &Totals) -> Option<f64> {
        match self {
            Metric::Turnout | Metric::TurnoutVsMedian => t.turnout().map(|r| r.percent()),
            Metric::InvalidShare => t.invalid_share().map(|r| r.percent()),
            Metric::VotesPerBallot => t.votes_per_ballot().map(|r| r.value()),
            Metric::Councils => Some(t.contests as f64),
            Metric::Verified => None,
        }
    }

    fn diverging(self) -> bool {
        self == Metric::TurnoutVsMedian
    }

    /// A value of this metric as the language writes it.
    pub fn format(self, lang: Lang, v: f64) -> String {
        match self {
            Metric::Turnout | Metric::InvalidShare | Metric::Verified => {
                format!("{}{}", lang.fixed(v, 1), lang.t(Msg::MapPercentSign))
            }
            Metric::TurnoutVsMedian => {
                let sign = if v > 0.0 { "+" } else { "" };
                format!("{sign}{} {}", lang.fixed(v, 1), lang.t(Msg::MapPoints))
            }
            Metric::VotesPerBallot => lang.fixed(v, 2),
            Metric::Councils => lang.number(v.max(0.0).round() as u64),
        }
    }
}

/// Colour-blind-safe palettes: viridis (sequential, 5 classes) and PuOr
/// (diverging, 6 classes, from ColorBrewer).
const SEQUENTIAL: [&str; 5] = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];
const DIVERGING: [&str; 6] = ["#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"];

/// The legend's classes: each a colour and the range of values it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Classes {
    pub metric: Metric,
    /// Upper bounds of every class but the last, ascending.
    pub breaks: Vec<f64>,
    pub min: f64,
    pub max: f64,
    colours: &'static [&'static str],
}

impl Classes {
    /// Equal-interval classes over the values shown; diverging classes at
    /// fixed steps around zero.
    pub fn new(metric: Metric, values: &[f64]) -> Classes {
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (min, max) = if min.is_finite() { (min, max) } else { (0.0, 0.0) };
        if metric.diverging() {
            return Classes { metric, breaks: vec![-5.0, -2.0, 0.0, 2.0, 5.0], min, max, colours: &DIVERGING };
        }
        let n = if max > min { SEQUENTIAL.len() } else { 1 };
        let breaks = (1..n).map(|i| min + (max - min) * i as f64 / n as f64).collect();
        Classes { metric, breaks, min, max, colours: &SEQUENTIAL[SEQUENTIAL.len() - n..] }
    }

    pub fn class(&self, v: f64) -> usize {
        self.breaks.iter().take_while(|b| v > **b).count()
    }

    pub fn colour(&self, v: f64) -> &'static str {
        self.colours[self.class(v).min(self.colours.len() - 1)]
    }

    /// Each class's colour and range, as the legend writes it.
    pub fn items(&self, lang: Lang) -> Vec<(&'static str, String)> {
        let f = |v: f64| self.metric.format(lang, v);
        let n = self.breaks.len() + 1;
        (0..n)
            .map(|i| {
                let text = match (i.checked_sub(1).map(|j| self.breaks[j]), self.breaks.get(i)) {
                    (None, None) => f(self.min),
                    (None, Some(hi)) if self.metric.diverging() => format!("< {}", f(*hi)),
                    (Some(lo), None) if self.metric.diverging() => format!("> {}", f(lo)),
                    (None, Some(hi)) => format!("{} – {}", f(self.min), f(*hi)),
                    (Some(lo), None) => format!("{} – {}", f(lo), f(self.max)),
                    (Some(lo), Some(hi)) => format!("{} – {}", f(lo), f(*hi)),
                };
                (self.colours[i], text)
            })
            .collect()
    }
}

/// The values of `metric` for each area (by index), `None` without data.
fn values(metric: Metric, areas: &[MapArea]) -> Vec<Option<f64>> {
    let raw: Vec<Option<f64>> = areas
        .iter()
        .map(|a| match metric {
            Metric::Verified => a.verified.map(|r| r.percent()),
            _ => a.totals.as_ref().and_then(|t| metric.raw(t)),
        })
        .collect();
    if !metric.diverging() {
        return raw;
    }
    let mut sorted: Vec<f64> = raw.iter().flatten().copied().collect();
    sorted.sort_by(f64::total_cmp);
    let median = match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    };
    raw.into_iter().map(|v| v.map(|v| v - median)).collect()
}

/// Pan and zoom of the drawing, in view-box units.
#[derive(Debug, Clone, Copy, PartialEq)]
struct View {
    scale: f64,
    x: f64,
    y: f64,
}

impl Default for View {
    fn default() -> View {
        View { scale: 1.0, x: 0.0, y: 0.0 }
    }
}

impl View {
    /// Zooms by `factor` about the point (`cx`, `cy`) of the view box.
    fn zoom(self, factor: f64, cx: f64, cy: f64) -> View {
        let scale = (self.scale * factor).clamp(1.0, 8.0);
        let k = scale / self.scale;
        View { scale, x: cx - (cx - self.x) * k, y: cy - (cy - self.y) * k }
    }

    fn transform(self) -> String {
        format!("translate({:.1} {:.1}) scale({:.3})", self.x, self.y, self.scale)
    }
}

/// A choropleth map of `areas` drawn on `map`, with its controls, legend,
/// tooltip and table. The shapes are drawn once; as `areas` changes (the
/// audit moving on) only their fills, classes and labels change.
#[component]
pub fn ChoroplethMap(
    testid: &'static str,
    /// The map's heading.
    title: Signal<String>,
    map: Arc<RegionMap>,
    #[prop(into)] areas: Signal<Vec<MapArea>>,
    /// The header of the table's name column (province or county).
    first: Msg,
    /// Pan and zoom (the national map).
    #[prop(optional)]
    pannable: bool,
) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    // Areas in the map's order; a shape without an area is still drawn, without data.
    let areas: Memo<Arc<Vec<MapArea>>> = {
        let map = map.clone();
        Memo::new(move |_| Arc::new(areas.with(|areas| in_map_order(&map, areas))))
    };
    let metric = remembered(&format!("map:{testid}:metric"), Metric::Turnout);
    let set_metric = metric.write_only();
    let hover = RwSignal::new(None::<usize>);
    let view_at = remembered(&format!("map:{testid}:view"), View::default());
    let shown = Memo::new(move |_| {
        let m = metric.get();
        let v = areas.with(|areas| values(m, areas));
        let classes = Classes::new(m, &v.iter().flatten().copied().collect::<Vec<_>>());
        (v, classes)
    });
    let (width, height) = (map.width, map.height);
    let id = testid;

    // Dragging: where the pointer went down, and whether it moved enough to be a drag, not a click.
    let drag = StoredValue::new(None::<(f64, f64, View, f64)>);
    let dragged = StoredValue::new(false);
    // No easing while the pointer drags: the drawing follows it at once.
    let dragging = RwSignal::new(false);
    let on_down = move |ev: web_sys::PointerEvent| {
        if !pannable || ev.button() != 0 {
            return;
        }
        let units = units_per_pixel(&ev, width);
        drag.set_value(Some((f64::from(ev.client_x()), f64::from(ev.client_y()), view_at.get_untracked(), units)));
        dragged.set_value(false);
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let Some((x0, y0, start, units)) = drag.get_value() else { return };
        let (dx, dy) = (f64::from(ev.client_x()) - x0, f64::from(ev.client_y()) - y0);
        if !dragged.get_value() && dx.abs() + dy.abs() < 4.0 {
            return;
        }
        if !dragged.get_value() {
            dragged.set_value(true);
            dragging.set(true);
            if let Some(el) =
                ev.current_target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            {
                let _ = el.set_pointer_capture(ev.pointer_id());
            }
        }
        view_at.set(View { x: start.x + dx * units, y: start.y + dy * units, ..start });
    };
    // Arrow keys pan a zoomed map, from any focused region.
    let on_arrow = move |ev: web_sys::KeyboardEvent| {
        let v = view_at.get_untracked();
        if !pannable || v.scale <= 1.0 {
            return;
        }
        let step = width / 10.0;
        let (dx, dy) = match ev.key().as_str() {
            "ArrowLeft" => (step, 0.0),
            "ArrowRight" => (-step, 0.0),
            "ArrowUp" => (0.0, step),
            "ArrowDown" => (0.0, -step),
            _ => return,
        };
        ev.prevent_default();
        view_at.set(View { x: v.x + dx, y: v.y + dy, ..v });
    };
    let on_up = move |_: web_sys::PointerEvent| {
        drag.set_value(None);
        dragging.set(false);
    };

    // Another region may have taken the tooltip since (focus, then the pointer, or back).
    let leave = move |i: usize| {
        if hover.get_untracked() == Some(i) {
            hover.set(None);
        }
    };
    // The regions' events are heard once, on their group (the region is the
    // event's target, by its `data-index`), not by six listeners on each.
    let region_of = |ev: &web_sys::Event| -> Option<usize> {
        let target = wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(ev.target()?).ok()?;
        target.get_attribute("data-index")?.parse().ok()
    };
    let open = move |i: usize| {
        if let Some(href) = areas.with_untracked(|a| a[i].href.clone()) {
            navigate(&href, Default::default());
        }
    };
    let on_click = {
        let open = open.clone();
        move |ev: web_sys::MouseEvent| {
            if let Some(i) = region_of(&ev) {
                if !dragged.get_value() {
                    open(i);
                }
            }
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if let Some(i) = region_of(&ev).filter(|_| ev.key() == "Enter") {
            ev.prevent_default();
            open(i);
        }
    };
    let enter = move |ev: web_sys::Event| {
        if let Some(i) = region_of(&ev) {
            hover.set(Some(i));
        }
    };
    let out = move |ev: web_sys::Event| {
        if let Some(i) = region_of(&ev) {
            leave(i);
        }
    };
    let paths = {
        map.regions
            .iter()
            .enumerate()
            .map(|(i, region)| {
                let has_data = move || areas.with(|a| a[i].totals.is_some());
                let colour = move || {
                    shown.with(|(v, classes)| match v[i] {
                        Some(v) => classes.colour(v).to_owned(),
                        None => format!("url(#{id}-nodata)"),
                    })
                };
                let label = move || {
                    let lang = lang.get();
                    let m = metric.get();
                    let figure = shown.with(|(v, _)| v[i]).map(|v| m.format(lang, v));
                    let figure = figure.unwrap_or_else(|| lang.t(Msg::MapNoData).to_owned());
                    let name = areas.with(|a| a[i].name_in(lang));
                    format!("{name}: {} {figure}", lang.t(m.label()))
                };
                let class = move || {
                    areas.with(|a| match (a[i].totals.is_some(), a[i].findings > 0) {
                        (true, true) => "region region-link region-findings",
                        (true, false) => "region region-link",
                        (false, _) => "region region-nodata",
                    })
                };
                view! {
                    <path
                        d=region.path.clone()
                        class=class
                        fill=colour
                        data-code=region.code.clone()
                        data-index=i
                        tabindex=move || has_data().then_some("0")
                        role=move || has_data().then_some("link")
                        aria-label=move || has_data().then(label)
                    />
                }
            })
            .collect_view()
    };

    let tooltip = {
        let map = map.clone();
        move || {
            let i = hover.get()?;
            let areas = areas.get();
            let area = &areas[i];
            let region = &map.regions[i];
            let v = view_at.get();
            // Kept inside the drawing, even for a region at its edge or panned away.
            let left = ((region.center.0 * v.scale + v.x) / width * 100.0).clamp(20.0, 80.0);
            let top = ((region.center.1 * v.scale + v.y) / height * 100.0).clamp(35.0, 100.0);
            let lang = lang.get();
            let rows: Vec<(String, String)> = match &area.totals {
                None => vec![(lang.t(Msg::MapNoData).to_owned(), String::new())],
                Some(t) => vec![
                    (lang.t(Msg::Turnout).to_owned(), lang.ratio_percent(t.turnout())),
                    (lang.t(Msg::InvalidShare).to_owned(), lang.ratio_percent(t.invalid_share())),
                    (lang.t(Msg::VotesPerBallot).to_owned(), lang.decimal(t.votes_per_ballot())),
                    (lang.t(Msg::Contests).to_owned(), lang.number(t.contests)),
                    (lang.t(Msg::MapStationsVerified).to_owned(), lang.ratio_percent(area.verified)),
                    (lang.t(Msg::MapFindings).to_owned(), lang.number(area.findings as u64)),
                ],
            };
            let name = area.name_in(lang);
            Some(view! {
                <div
                    class="map-tooltip"
                    data-testid="map-tooltip"
                    aria-hidden="true"
                    // Through the CSSOM, which the Content-Security-Policy allows (a style attribute it refuses).
                    style:left=format!("{left:.1}%")
                    style:top=format!("{top:.1}%")
                >
                    <strong>{name}</strong>
                    <dl>
                        {rows
                            .into_iter()
                            .map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> })
                            .collect_view()}
                    </dl>
                </div>
            })
        }
    };

    let legend = move || {
        let lang = lang.get();
        let m = metric.get();
        let items = shown.with(|(_, classes)| classes.items(lang));
        view! {
            <ul class="map-legend" data-testid="map-legend" data-metric=m.key()>
                {items
                    .into_iter()
                    .map(|(colour, text)| {
                        view! {
                            <li>
                                <span class="swatch" style:background=colour></span>
                                {text}
                            </li>
                        }
                    })
                    .collect_view()}
                <li>
                    <span class="swatch swatch-nodata"></span>
                    {lang.t(Msg::MapNoData)}
                </li>
                <li>
                    <span class="swatch swatch-findings"></span>
                    {lang.t(Msg::MapHasFindings)}
                </li>
            </ul>
        }
    };

    // The table lies folded under the map: its rows are drawn in a task of
    // their own, after the map, so that the first view is not one long task.
    let rows_drawn = in_next_task();
    let table_rows = move || {
        rows_drawn.get().then(|| {
            let lang = lang.get();
            let m = metric.get();
            let areas = areas.get();
            shown.with(|(v, classes)| {
                areas
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        let name = a.name_in(lang);
                        let cell = match &a.href {
                            Some(href) => view! { <a href=href.clone()>{name}</a> }.into_any(),
                            None => name.into_any(),
                        };
                        let figure = v[i].map_or_else(|| lang.t(Msg::MapNoData).to_owned(), |v| m.format(lang, v));
                        let class = v[i].map(|v| lang.number(classes.class(v) as u64 + 1)).unwrap_or_default();
                        view! {
                            <tr data-code=a.code.clone()>
                                <th scope="row">{cell}</th>
                                <td class="num">{figure}</td>
                                <td class="num">{class}</td>
                                <td class="num">{lang.number(a.findings as u64)}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };

    let select_id = format!("{id}-metric");
    let title_id = format!("{id}-title");
    let (title_id2, title_id3, title_id4) = (title_id.clone(), title_id.clone(), title_id.clone());
    let zoom_button = move |factor: f64| {
        move |_| {
            let v = view_at.get_untracked();
            view_at.set(if factor == 0.0 { View::default() } else { v.zoom(factor, width / 2.0, height / 2.0) })
        }
    };
    let controls = pannable.then(|| {
        view! {
            <div class="map-zoom" role="group" aria-label=tr(Msg::MapZoom)>
                <button type="button" on:click=zoom_button(1.5) aria-label=tr(Msg::MapZoomIn)>"+"</button>
                <button type="button" on:click=zoom_button(1.0 / 1.5) aria-label=tr(Msg::MapZoomOut)>"−"</button>
                <button type="button" on:click=zoom_button(0.0)>{tr(Msg::MapZoomReset)}</button>
            </div>
        }
    });
    view! {
        <figure class="map" data-testid=testid aria-labelledby=title_id2>
            <figcaption>
                <h2 id=title_id class="map-title">{title}</h2>
                <p class="map-hint">{tr(Msg::MapHint)}</p>
            </figcaption>
            <div class="map-controls">
                <label for=select_id.clone()>{tr(Msg::MapColourBy)}</label>
                <select
                    id=select_id
                    data-testid="map-metric"
                    on:change=move |ev| set_metric.set(Metric::from_key(&event_target_value(&ev)))
                >
                    {Metric::ALL
                        .into_iter()
                        .map(|m| {
                            view! {
                                <option value=m.key() selected=move || metric.get() == m>
                                    {tr(m.label())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                {controls}
            </div>
            <div class="map-canvas" class:pannable=pannable class:dragging=move || dragging.get()>
                <svg
                    viewBox=map.view_box()
                    class="map-svg"
                    role="group"
                    aria-labelledby=title_id3
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointercancel=on_up
                    on:keydown=on_arrow
                >
                    <defs>
                        <pattern id=format!("{id}-nodata") width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                            <rect width="8" height="8" fill="#e4e4e4"></rect>
                            <line x1="0" y1="0" x2="0" y2="8" stroke="#9a9a9a" stroke-width="3"></line>
                        </pattern>
                    </defs>
                    <g
                        transform=move || view_at.get().transform()
                        on:click=on_click
                        on:keydown=on_key
                        on:pointerover=move |ev| enter(ev.into())
                        on:pointerout=move |ev| out(ev.into())
                        on:focusin=move |ev| enter(ev.into())
                        on:focusout=move |ev| out(ev.into())
                    >
                        {paths}
                    </g>
                </svg>
                {tooltip}
            </div>
            {legend}
            <p class="map-attribution">{tr(Msg::MapAttribution)}</p>
            <details class="map-table">
                <summary>{tr(Msg::MapAsTable)}</summary>
                // Named by the map's heading (the overview's tests expect one captioned table).
                <table data-testid=format!("{id}-table") aria-labelledby=title_id4>
                    <thead>
                        <tr>
                            <th scope="col">{tr(first)}</th>
                            <th scope="col">{move || lang.get().t(metric.get().label())}</th>
                            <th scope="col">{tr(Msg::MapClass)}</th>
                            <th scope="col">{tr(Msg::MapFindings)}</th>
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

/// `areas` in the order of `map`'s shapes; a shape without an area gets one
/// without data.
fn in_map_order(map: &RegionMap, areas: &[MapArea]) -> Vec<MapArea> {
    map.regions
        .iter()
        .map(|r| {
            areas.iter().find(|a| a.code == r.code).cloned().unwrap_or_else(|| MapArea {
                code: r.code.clone(),
                name: (r.name_fa.clone(), r.name_en.clone()),
                href: None,
                totals: None,
                findings: 0,
                verified: None,
                level: Level::Signed,
            })
        })
        .collect()
}

/// View-box units per CSS pixel of the map's drawing.
fn units_per_pixel(ev: &web_sys::PointerEvent, width: f64) -> f64 {
    let element = ev.current_target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
    let pixels = element.map_or(0.0, |e| e.get_bounding_client_rect().width());
    if pixels > 0.0 {
        width / pixels
    } else {
        1.0
    }
}

thread_local! {
    /// Maps already read and projected, by file: each is drawn many times, read once.
    static MAPS: std::cell::RefCell<std::collections::HashMap<String, Arc<RegionMap>>> = Default::default();
}

/// The map `key` from the cache, or read by `read` (an error is not cached: it is shown).
fn cached(
    key: &str,
    read: impl FnOnce() -> Option<Result<RegionMap, shafaf_core::map::MapError>>,
) -> Option<Result<Arc<RegionMap>, String>> {
    if let Some(map) = MAPS.with(|m| m.borrow().get(key).cloned()) {
        return Some(Ok(map));
    }
    match read()? {
        Ok(map) => {
            let map = Arc::new(map);
            MAPS.with(|m| m.borrow_mut().insert(key.to_owned(), map.clone()));
            Some(Ok(map))
        }
        Err(e) => Some(Err(e.to_string())),
    }
}

/// Why a map is not drawn: the verified boundary file cannot be read.
#[component]
pub fn MapUnavailable(error: String) -> impl IntoView {
    view! {
        <div class="map map-error" role="alert" data-testid="map-error">
            <p>{tr(Msg::MapUnavailable)}</p>
            <p class="finding-detail">{error}</p>
        </div>
    }
}

/// What a map says of some councils of a province at level `area`: how
/// many findings are about them, and the share of their `reported` stations
/// whose signatures verified.
fn findings_and_verified(area: &Area, reported: u64, findings: usize) -> (usize, Option<shafaf_core::summary::Ratio>) {
    let verified = match area {
        Area::Recounted(_) => shafaf_core::summary::Ratio::new(reported, reported),
        _ => shafaf_core::summary::Ratio::new(0, reported.max(1)),
    };
    (findings, verified)
}

/// Starts the download of the landing page's map's code, in one file
/// (`shafafViewCode`, index.html's script: xtask/src/split.rs), before its
/// loader asks for its first part: some of them are shared with parts the
/// page loads without the map, which take theirs one by one.
pub fn start_national_map_code() {
    let Some(window) = web_sys::window() else { return };
    let start = js_sys::Reflect::get(&window, &wasm_bindgen::JsValue::from_str("shafafViewCode"));
    if let Ok(start) = start.and_then(wasm_bindgen::JsCast::dyn_into::<js_sys::Function>) {
        let _ = start.call0(&wasm_bindgen::JsValue::UNDEFINED);
    }
}

/// The landing page's map, with the code that reads and draws it (the
/// boundaries' parsing and projection, the drawing): a chunk of its own,
/// fetched in one download (see xtask/src/split.rs) once the map's place
/// nears the screen (pages/home.rs). A province's map is in its view's chunk.
#[leptos::wasm_split::wasm_split(
    national_map,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_national_map),
    fallible
)]
pub fn lazy_national_map(
    release: Release,
    links: Links,
) -> Result<Option<AnyView>, leptos::wasm_split::SplitLoaderError> {
    Ok(national_map(release, &links))
}

/// Reads the landing page's map into the maps' cache, in the chunk of
/// [`lazy_national_map`]: the overview calls it in a task before the map is
/// drawn (on a phone, the boundaries' parsing and projection are a task of
/// their own). Nothing until the provinces' boundaries verified.
#[leptos::wasm_split::wasm_split(national_map, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn lazy_read_national_map(release: Release) -> Result<(), leptos::wasm_split::SplitLoaderError> {
    let places = release.places.get_untracked();
    if let ProvinceBoundaries::Verified(boundaries) = &places.boundaries {
        let _ = read_national_map(&places.signed, boundaries);
    }
    Ok(())
}

/// The country by province, for the overview; nothing until the provinces'
/// boundaries arrived, or if the release has none. Drawn once: its areas
/// follow the release as the audit moves on.
fn national_map(release: Release, links: &Links) -> Option<AnyView> {
    let places = release.places.get_untracked();
    let boundaries = match &places.boundaries {
        ProvinceBoundaries::Pending => return None,
        ProvinceBoundaries::Unavailable(error) => {
            return Some(view! { <MapUnavailable error=error.clone()/> }.into_any())
        }
        ProvinceBoundaries::Verified(boundaries) => boundaries,
    };
    let map = match read_national_map(&places.signed, boundaries)? {
        Ok(map) => map,
        Err(error) => return Some(view! { <MapUnavailable error/> }.into_any()),
    };
    let links = links.clone();
    let areas = Signal::derive(move || release.places.with(|places| national_areas(places, &links)));
    let title = title_of(Msg::MapOfProvinces);
    Some(view! { <ChoroplethMap testid="national-map" title map areas first=Msg::Province pannable=true/> }.into_any())
}

/// The national map of a release that reached the signed level, from the
/// maps' cache or read into it; `None` when the release has no boundaries.
fn read_national_map(
    signed: &shafaf_core::verify::SignedRelease,
    boundaries: &shafaf_core::map::Boundaries,
) -> Option<Result<Arc<RegionMap>, String>> {
    let entry = signed.entry(shafaf_core::model::FileKind::GeoProvinces, None)?;
    cached(&entry.path, || boundaries.province_map())
}

/// Every province as the national map shows it.
fn national_areas(places: &Places, links: &Links) -> Vec<MapArea> {
    places
        .provinces()
        .map(|(p, described)| {
            let area = places.area(p);
            let totals = places.province_totals(p);
            let (findings, verified) = match area.data() {
                Some(data) => findings_and_verified(area, data.totals().stations_reported, data.council_findings()),
                None => {
                    let reported = totals.map_or(0, |t| t.stations_reported);
                    (0, totals.and_then(|_| shafaf_core::summary::Ratio::new(0, reported.max(1))))
                }
            };
            MapArea {
                code: described.code.to_string(),
                name: (described.name.fa.to_string(), described.name.en.to_string()),
                href: Some(links.href(&places.path(Place::Province(p)))),
                totals,
                findings: findings + usize::from(area.level() == Level::Failed),
                verified,
                level: area.level(),
            }
        })
        .collect()
}

/// A province by county, for its page; nothing until its counties' boundaries verified.
pub fn province_map(places: &Places, links: &Links, p: usize) -> Option<AnyView> {
    let described = places.province(p);
    let code = described.code.to_string();
    let entry = places.signed.entry(shafaf_core::model::FileKind::GeoCounties, Some(&code))?;
    let boundaries = places.county_boundaries(p)?.clone();
    let map = cached(&entry.path, || boundaries.county_map(&code))?;
    let map = match map {
        Ok(map) => map,
        Err(error) => return Some(view! { <MapUnavailable error/> }.into_any()),
    };
    let area = places.area(p);
    let areas = described
        .counties
        .iter()
        .enumerate()
        .map(|(k, county)| {
            let totals = places.county_totals(p, k);
            let (findings, verified) = match area.data() {
                Some(data) => {
                    let contests = data.contests().iter().filter(|c| c.contest.county == county.code);
                    let reported = contests.clone().map(|c| c.tally.stations_reported).sum();
                    findings_and_verified(area, reported, council_findings(contests, data.findings()))
                }
                None => (0, totals.and_then(|t| shafaf_core::summary::Ratio::new(0, t.stations_reported.max(1)))),
            };
            MapArea {
                code: county.code.to_string(),
                name: (county.name.fa.to_string(), county.name.en.to_string()),
                href: totals.is_some().then(|| links.href(&places.path(Place::County(p, k)))),
                totals,
                findings,
                verified,
                level: area.level(),
            }
        })
        .collect::<Vec<_>>();
    let title = title_of(Msg::MapOfCounties);
    let areas = Signal::derive(move || areas.clone());
    Some(view! { <ChoroplethMap testid="county-map" title map areas first=Msg::County/> }.into_any())
}

fn title_of(msg: Msg) -> Signal<String> {
    let t = tr(msg);
    Signal::derive(move || t().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_interval_classes_cover_the_values() {
        let c = Classes::new(Metric::Turnout, &[40.0, 50.0, 60.0, 65.0, 90.0]);
        assert_eq!(c.breaks, vec![50.0, 60.0, 70.0, 80.0]);
        assert_eq!((c.class(40.0), c.class(50.0), c.class(50.1), c.class(90.0)), (0, 0, 1, 4));
        assert_eq!(c.colour(90.0), SEQUENTIAL[4]);
        let items = c.items(Lang::En);
        assert_eq!(items.len(), 5);
        assert_eq!(items[0].1, "40.0% – 50.0%");
        assert_eq!(items[4].1, "80.0% – 90.0%");
        assert_eq!(c.items(Lang::Fa)[0].1, "۴۰٫۰٪ – ۵۰٫۰٪");
    }

    #[test]
    fn one_value_gives_one_class_and_none_gives_no_panic() {
        let one = Classes::new(Metric::Councils, &[7.0]);
        assert!(one.breaks.is_empty());
        assert_eq!(one.items(Lang::En), vec![(SEQUENTIAL[4], "7".to_owned())]);
        let none = Classes::new(Metric::InvalidShare, &[]);
        assert_eq!(none.items(Lang::En).len(), 1);
    }

    #[test]
    fn turnout_against_the_median_diverges_around_zero() {
        let area = |code: &str, cast: u64| MapArea {
            code: code.into(),
            name: (code.into(), code.into()),
            href: None,
            totals: Some(Totals { eligible: 100, ballots_cast: cast, ..Totals::default() }),
            findings: 0,
            verified: None,
            level: Level::Signed,
        };
        let areas = [area("a", 40), area("b", 50), area("c", 70)];
        let v = values(Metric::TurnoutVsMedian, &areas);
        assert_eq!(v, vec![Some(-10.0), Some(0.0), Some(20.0)]);
        let c = Classes::new(Metric::TurnoutVsMedian, &[-10.0, 0.0, 20.0]);
        assert_eq!(c.colour(-10.0), DIVERGING[0]);
        assert_eq!(c.colour(20.0), DIVERGING[5]);
        assert_eq!(c.items(Lang::En)[0].1, "< −5.0 points");
        assert_eq!(Metric::TurnoutVsMedian.format(Lang::En, 2.5), "+2.5 points");
    }
}
