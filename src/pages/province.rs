//! A province (`/p/:province`): its figures, its counties and all its
//! councils. Opening it fetches its contests file (its councils' published
//! results) and asks the audit to take it next; the page follows its level.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::{trail, Breadcrumbs};
use crate::csv;
use crate::i18n::{text, use_lang, Msg};
use crate::load::Links;
use crate::pages::not_found::NotFound;
use crate::pages::summary::{AreaRow, AreaTable, ContestRow, ContestTable, FiguresAndMap};
use crate::pages::{follow, open_province, set_title, verified, ProvinceLoading, Withdrawn};
use crate::state::{Place, Places, Release};

#[component]
pub fn ProvincePage() -> impl IntoView {
    let params = use_params_map();
    // The same view serves every province: it is drawn anew when the address names another.
    move || {
        let code = params.with(|p| p.get("province")).unwrap_or_default();
        untrack(|| {
            verified(|release| {
                let places = release.places.get_untracked();
                let Some(p) = places.province_index(&code) else {
                    return view! { <NotFound what=Msg::PlaceNotFound/> }.into_any();
                };
                open_province(release, p, true);
                let name = places.province(p).name.clone();
                set_title(move |lang| lang.province_title(&name));
                let body = follow(
                    release,
                    move |places| (places.area(p).clone(), places.county_boundaries(p).is_some()),
                    move |places| match places.area(p).clone() {
                        crate::state::Area::Failed(findings) => view! { <Withdrawn findings/> }.into_any(),
                        _ => view! { <Province release places p/> }.into_any(),
                    },
                );
                body.into_any()
            })
        })
    }
}

#[component]
fn Province(release: Release, places: std::sync::Arc<Places>, p: usize) -> impl IntoView {
    let lang = use_lang();
    let links = expect_context::<Links>();
    let described = places.province(p);
    let code = described.code.to_string();
    let name = described.name.clone();
    let counties: Vec<AreaRow> = described
        .counties
        .iter()
        .enumerate()
        .filter_map(|(k, county)| {
            // A county without councils has nothing to show.
            let totals = places.county_totals(p, k)?;
            Some(AreaRow::new(&places, &links, Place::County(p, k), &county.code, Some(totals)))
        })
        .collect();
    let id = places.election().id.to_string();
    let counties_file = csv::file_name(&["shafaf", &id, &code, "counties"]);
    let contests_file = csv::file_name(&["shafaf", &id, &code, "councils"]);
    let heading = name.clone();
    let map = crate::map::province_map(&places, &links, p);
    let charts = links.href(&crate::charts::charts_path(&places, Some(Place::Province(p))));
    let caption = Signal::derive(move || format!("{} — {}", lang.get().t(Msg::AllCouncils), lang.get().name(&heading)));
    let area = places.area(p).clone();
    let contests = match area.data() {
        Some(data) => {
            let rows: Vec<ContestRow> =
                data.contests().iter().map(|c| ContestRow::new(&places, &links, p, c)).collect();
            view! { <ContestTable testid="contest-table" caption rows file_name=contests_file with_county=true/> }
                .into_any()
        }
        None if area.level() == crate::state::Level::Failed => ().into_any(),
        None => view! { <ProvinceLoading release p map=true testid="province-loading"/> }.into_any(),
    };
    view! {
        <Breadcrumbs trail=trail(&places, &links, Some(Place::Province(p)))/>
        <h1 class="page-title" data-testid="page-title">
            {text(move |lang| lang.province_title(&name))}
        </h1>
        <section class="summary" data-testid="summary" data-province=code.clone() aria-labelledby="summary-heading">
            <FiguresAndMap totals=places.province_totals(p) level=area.level() map/>
            <crate::charts::ChartsLink href=charts/>
            <AreaTable testid="county-table" caption=Msg::ByCounty first=Msg::County rows=Arc::new(counties) file_name=counties_file/>
            {contests}
        </section>
    }
}
