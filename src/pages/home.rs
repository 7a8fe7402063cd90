//! The overview (`/`): where to search, the country's figures and its
//! provinces, drawn from the signed summary at once and following the audit
//! as it recounts province after province.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::findings::contest_names;
use crate::components::{in_later_task, once_near_screen, trail, Breadcrumbs, FindingsList, SearchBox};
use crate::csv;
use crate::i18n::{text, tr, Msg};
use crate::load::Links;
use crate::pages::summary::{level_of, AreaRow, AreaTable, HeadlineFigures};
use crate::pages::{follow, set_title, verified};
use crate::state::{Area, Level, Place};

#[component]
pub fn HomePage() -> impl IntoView {
    let links = expect_context::<Links>();
    verified(move |release| {
        let places = release.places.get_untracked();
        let election = places.election();
        let name = election.name.clone();
        let title = name.clone();
        set_title(move |lang| lang.name(&title));
        let day = election.election_day;
        let crumbs = trail(&places, &links, None);
        // The figures and the table follow every province's level; the map
        // is drawn once and follows by itself.
        let every_area =
            |p: &crate::state::Places| -> Vec<Area> { (0..p.province_count()).map(|i| p.area(i).clone()).collect() };
        // A province whose files failed is withdrawn: no row, no figure of it.
        let any_shown =
            Memo::new(move |_| release.places.with(|p| p.levels().into_iter().any(|level| level != Level::Failed)));
        let summary = {
            let links = links.clone();
            move || {
                any_shown.get().then(|| {
                    // The figures come first and the table, below the first
                    // screen, two tasks later; the map once its place nears
                    // the screen (below the first one on a phone) and the
                    // provinces' boundaries arrived (they follow the figures):
                    // its code, then its reading and its drawing, each a task.
                    let slot = NodeRef::<leptos::html::Div>::new();
                    let near = once_near_screen(slot);
                    let arrived = Memo::new(move |_| {
                        release.places.with(|p| {
                            !matches!(p.boundaries, crate::state::ProvinceBoundaries::Pending)
                                || p.signed.entry(shafaf_core::model::FileKind::GeoProvinces, None).is_none()
                        })
                    });
                    let read = RwSignal::new(false);
                    let pending = release
                        .places
                        .with_untracked(|p| p.signed.entry(shafaf_core::model::FileKind::GeoProvinces, None).is_some());
                    Effect::new(move |started: Option<bool>| {
                        if started == Some(true) || !(near.get() && arrived.get()) {
                            return started.unwrap_or(false);
                        }
                        crate::map::start_national_map_code();
                        leptos::task::spawn_local(async move {
                            // A download that failed is told where the map is drawn.
                            let _ = crate::map::lazy_read_national_map(release).await;
                            crate::load::sleep(0).await;
                            _ = read.try_set(true);
                        });
                        true
                    });
                    let map = {
                        let links = links.clone();
                        move || {
                            let (shown, links) = (read.get(), links.clone());
                            Suspend::new(async move {
                                if !shown {
                                    return None;
                                }
                                crate::map::lazy_national_map(release, links).await.unwrap_or_else(|_| {
                                    let error = "the map's code could not be downloaded".to_owned();
                                    Some(view! { <crate::map::MapUnavailable error/> }.into_any())
                                })
                            })
                        }
                    };
                    let figures = follow(release, every_area, move |places| {
                        let level = level_of(places.levels());
                        view! { <HeadlineFigures totals=places.national_totals() level/> }.into_any()
                    });
                    // The table keeps its rows: a province that moves on redraws its own.
                    let rows = {
                        let links = links.clone();
                        Memo::new(move |_| {
                            release.places.with(|places| {
                                let rows: Vec<AreaRow> = places
                                    .provinces()
                                    .filter_map(|(p, described)| {
                                        let totals = places.province_totals(p)?;
                                        Some(AreaRow::new(
                                            places,
                                            &links,
                                            Place::Province(p),
                                            &described.code,
                                            Some(totals),
                                        ))
                                    })
                                    .collect();
                                Arc::new(rows)
                            })
                        })
                    };
                    let places = release.places.get_untracked();
                    let file_name = csv::file_name(&["shafaf", places.election().id.as_str(), "provinces"]);
                    let charts = links.href(&crate::charts::charts_path(&places, None));
                    let drawn = in_later_task(2);
                    let table = move || {
                        drawn.get().then(|| {
                            let (charts, file_name) = (charts.clone(), file_name.clone());
                            view! {
                                <crate::charts::ChartsLink href=charts/>
                                <AreaTable testid="province-table" caption=Msg::ByProvince first=Msg::Province rows file_name/>
                            }
                        })
                    };
                    view! {
                        <section class="summary" data-testid="summary" aria-labelledby="summary-heading">
                            <div class="figures-and-map">
                                <div>{figures}</div>
                                <div class="map-slot" data-testid="national-map-slot" class:map-pending=move || pending && !read.get() node_ref=slot>
                                    <Suspense>{map}</Suspense>
                                </div>
                            </div>
                            {table}
                        </section>
                    }
                })
            }
        };
        let findings = {
            let links = links.clone();
            let audit = release.audit;
            let found = Memo::new(move |_| audit.with(|a| a.verdict().findings.clone()));
            move || {
                let findings = found.get();
                (!findings.is_empty()).then(|| {
                    let places = release.places.get_untracked();
                    let contests = contest_names(&places, &links, &findings);
                    view! { <FindingsList findings contests/> }
                })
            }
        };
        view! {
            <div class="home-breadcrumbs">
                <Breadcrumbs trail=crumbs/>
            </div>
            <h1 class="page-title">{text(move |lang| lang.name(&name))}</h1>
            <p class="page-subtitle">
                {tr(Msg::ElectionDay)}
                ": "
                <time datetime=day.to_string()>{text(move |lang| lang.date(day))}</time>
            </p>
            <section class="find" aria-labelledby="find-heading">
                <h2 id="find-heading">{tr(Msg::FindHeading)}</h2>
                <SearchBox id="home-search" large=true/>
            </section>
            {summary}
            {findings}
        }
        .into_any()
    })
}
