//! A county (`/p/:province/:county`): its figures and its councils.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::{trail, Breadcrumbs};
use crate::csv;
use crate::i18n::{text, tr, use_lang, Msg};
use crate::load::Links;
use crate::pages::not_found::NotFound;
use crate::pages::summary::{AreaFigures, ContestRow, ContestTable, LevelBadge};
use crate::pages::{follow, open_province, set_title, verified, ProvinceLoading, Withdrawn};
use crate::state::{Place, Places};

#[component]
pub fn CountyPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let (province, county) =
            params.with(|p| (p.get("province").unwrap_or_default(), p.get("county").unwrap_or_default()));
        untrack(|| {
            verified(|release| {
                let places = release.places.get_untracked();
                let Some((p, k)) =
                    places.province_index(&province).and_then(|p| Some((p, places.county_index(p, &county)?)))
                else {
                    return view! { <NotFound what=Msg::PlaceNotFound/> }.into_any();
                };
                open_province(release, p, true);
                let name = places.county(p, k).name.clone();
                set_title(move |lang| lang.county_title(&name));
                follow(
                    release,
                    move |places| places.area(p).clone(),
                    move |places| match places.area(p).clone() {
                        crate::state::Area::Failed(findings) => view! { <Withdrawn findings/> }.into_any(),
                        _ => view! { <County release places p k/> }.into_any(),
                    },
                )
                .into_any()
            })
        })
    }
}

#[component]
fn County(release: crate::state::Release, places: std::sync::Arc<Places>, p: usize, k: usize) -> impl IntoView {
    let lang = use_lang();
    let links = expect_context::<Links>();
    let province = places.province(p).code.to_string();
    let county = places.county(p, k).code.to_string();
    let name = places.county(p, k).name.clone();
    let area = places.area(p).clone();
    let figures = match places.county_totals(p, k) {
        Some(totals) => view! { <AreaFigures totals/> }.into_any(),
        None if area.level() == crate::state::Level::Failed => {
            view! { <p class="withdrawn" role="alert" data-testid="withdrawn">{tr(Msg::Withdrawn)}</p> }.into_any()
        }
        None => ().into_any(),
    };
    let file_name = csv::file_name(&["shafaf", places.election().id.as_str(), &province, &county, "councils"]);
    let heading = name.clone();
    let charts = links.href(&crate::charts::charts_path(&places, Some(Place::County(p, k))));
    let caption =
        Signal::derive(move || format!("{} — {}", lang.get().t(Msg::CouncilsOfCounty), lang.get().name(&heading)));
    let contests = match area.data() {
        Some(data) => {
            let rows: Vec<ContestRow> = data
                .contests()
                .iter()
                .filter(|c| c.contest.county.as_str() == county)
                .map(|c| ContestRow::new(&places, &links, p, c))
                .collect();
            view! { <ContestTable testid="contest-table" caption rows file_name with_county=false/> }.into_any()
        }
        None if area.level() == crate::state::Level::Failed => ().into_any(),
        None => view! { <ProvinceLoading release p map=true testid="province-loading"/> }.into_any(),
    };
    view! {
        <Breadcrumbs trail=trail(&places, &links, Some(Place::County(p, k)))/>
        <h1 class="page-title" data-testid="page-title">
            {text(move |lang| lang.county_title(&name))}
        </h1>
        <section class="summary" data-testid="summary" data-county=county.clone() aria-labelledby="summary-heading">
            <h2 id="summary-heading">{tr(Msg::SummaryHeading)}</h2>
            <LevelBadge level=area.level()/>
            {figures}
            <crate::charts::ChartsLink href=charts/>
            {contests}
        </section>
    }
}
