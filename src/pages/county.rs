//! A county (`/p/:province/:county`): its figures and its councils.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shafaf_core::summary::Totals;

use crate::components::{trail, Breadcrumbs};
use crate::csv;
use crate::i18n::{text, tr, use_lang, Msg};
use crate::load::Links;
use crate::pages::not_found::NotFound;
use crate::pages::summary::{AreaFigures, ContestRow, ContestTable};
use crate::pages::{set_title, verified};
use crate::places::{Place, Places};

#[component]
pub fn CountyPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let (province, county) =
            params.with(|p| (p.get("province").unwrap_or_default(), p.get("county").unwrap_or_default()));
        untrack(|| verified(|places| view! { <County places province county/> }.into_any()))
    }
}

#[component]
fn County(places: Arc<Places>, province: String, county: String) -> impl IntoView {
    let lang = use_lang();
    let links = expect_context::<Links>();
    let Some((p, k)) = places.province_index(&province).and_then(|p| Some((p, places.county_index(p, &county)?)))
    else {
        return view! { <NotFound what=Msg::PlaceNotFound/> }.into_any();
    };
    let (_, verified) = places.province(p);
    let name = places.county(p, k).name.clone();
    let title = name.clone();
    set_title(move |lang| lang.county_title(&title));
    let indices: Vec<usize> = verified
        .contests
        .iter()
        .enumerate()
        .filter(|(_, c)| c.contest.county.as_str() == county)
        .map(|(i, _)| i)
        .collect();
    let totals = Totals::of_contests(indices.iter().map(|&c| &verified.contests[c]));
    let rows: Vec<ContestRow> = indices.iter().map(|&c| ContestRow::new(&places, &links, p, c)).collect();
    let file_name = csv::file_name(&["shafaf", places.election.election.id.as_str(), &province, &county, "councils"]);
    let heading = name.clone();
    let charts = links.href(&crate::charts::charts_path(&places, Some(Place::County(p, k))));
    let caption =
        Signal::derive(move || format!("{} — {}", lang.get().t(Msg::CouncilsOfCounty), lang.get().name(&heading)));
    view! {
        <Breadcrumbs trail=trail(&places, &links, Some(Place::County(p, k)))/>
        <h1 class="page-title" data-testid="page-title">
            {text(move |lang| lang.county_title(&name))}
        </h1>
        <section class="summary" data-testid="summary" data-county=county.clone() aria-labelledby="summary-heading">
            <h2 id="summary-heading">{tr(Msg::SummaryHeading)}</h2>
            <AreaFigures totals/>
            <crate::charts::ChartsLink href=charts/>
            <ContestTable testid="contest-table" caption rows file_name with_county=false/>
        </section>
    }
    .into_any()
}
