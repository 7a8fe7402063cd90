//! A province (`/p/:province`): its figures, its counties and all its councils.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shafaf_core::summary::Totals;

use crate::components::{trail, Breadcrumbs};
use crate::csv;
use crate::i18n::{text, use_lang, Msg};
use crate::load::Links;
use crate::pages::not_found::NotFound;
use crate::pages::summary::{AreaRow, AreaTable, ContestRow, ContestTable, FiguresAndMap};
use crate::pages::{set_title, verified};
use crate::places::Place;

#[component]
pub fn ProvincePage() -> impl IntoView {
    let params = use_params_map();
    // The same view serves every province: it is drawn anew when the address names another.
    move || {
        let code = params.with(|p| p.get("province")).unwrap_or_default();
        untrack(|| verified(|places| view! { <Province places code/> }.into_any()))
    }
}

#[component]
fn Province(places: std::sync::Arc<crate::places::Places>, code: String) -> impl IntoView {
    let lang = use_lang();
    let links = expect_context::<Links>();
    let Some(p) = places.province_index(&code) else {
        return view! { <NotFound what=Msg::PlaceNotFound/> }.into_any();
    };
    let (described, verified) = places.province(p);
    let name = described.name.clone();
    let title = name.clone();
    set_title(move |lang| lang.province_title(&title));
    let totals = Totals::of_province(verified);
    let counties: Vec<AreaRow> = described
        .counties
        .iter()
        .enumerate()
        .filter_map(|(k, county)| {
            let contests = verified.contests.iter().filter(|c| c.contest.county == county.code);
            let totals = Totals::of_contests(contests);
            // A county without councils has nothing to show.
            (totals.contests > 0).then(|| AreaRow::new(&places, &links, Place::County(p, k), &county.code, totals))
        })
        .collect();
    let contests: Vec<ContestRow> =
        (0..verified.contests.len()).map(|c| ContestRow::new(&places, &links, p, c)).collect();
    let id = places.election.election.id.to_string();
    let counties_file = csv::file_name(&["shafaf", &id, &code, "counties"]);
    let contests_file = csv::file_name(&["shafaf", &id, &code, "councils"]);
    let heading = name.clone();
    let map = crate::map::province_map(&places, &links, p);
    let charts = links.href(&crate::charts::charts_path(&places, Some(Place::Province(p))));
    let caption = Signal::derive(move || format!("{} — {}", lang.get().t(Msg::AllCouncils), lang.get().name(&heading)));
    view! {
        <Breadcrumbs trail=trail(&places, &links, Some(Place::Province(p)))/>
        <h1 class="page-title" data-testid="page-title">
            {text(move |lang| lang.province_title(&name))}
        </h1>
        <section class="summary" data-testid="summary" data-province=code.clone() aria-labelledby="summary-heading">
            <FiguresAndMap totals map/>
            <crate::charts::ChartsLink href=charts/>
            <AreaTable testid="county-table" caption=Msg::ByCounty first=Msg::County rows=counties file_name=counties_file/>
            <ContestTable testid="contest-table" caption rows=contests file_name=contests_file with_county=true/>
        </section>
    }
    .into_any()
}
