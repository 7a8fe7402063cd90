//! The overview (`/`): where to search, the country's figures and its provinces.

use leptos::prelude::*;
use shafaf_core::summary::Totals;

use crate::components::findings::contest_names;
use crate::components::{trail, Breadcrumbs, FindingsList, SearchBox};
use crate::csv;
use crate::i18n::{text, tr, Msg};
use crate::load::Links;
use crate::pages::summary::{AreaRow, AreaTable, FiguresAndMap};
use crate::pages::{set_title, verified};
use crate::places::Place;

#[component]
pub fn HomePage() -> impl IntoView {
    let links = expect_context::<Links>();
    verified(move |places| {
        let election = &places.election;
        let name = election.election.name.clone();
        let title = name.clone();
        set_title(move |lang| lang.name(&title));
        let day = election.election.election_day;
        let totals = Totals::of_election(election);
        let rows: Vec<AreaRow> = places
            .provinces()
            .map(|(p, described, verified)| {
                AreaRow::new(&places, &links, Place::Province(p), &described.code, Totals::of_province(verified))
            })
            .collect();
        let findings = (!election.findings.is_empty()).then(|| {
            let contests = contest_names(&places, &links, &election.findings);
            view! { <FindingsList findings=election.findings.clone() contests/> }
        });
        let file_name = csv::file_name(&["shafaf", election.election.id.as_str(), "provinces"]);
        let map = crate::map::national_map(&places, &links);
        let charts = links.href(&crate::charts::charts_path(&places, None));
        view! {
            <Breadcrumbs trail=trail(&places, &links, None)/>
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
            <section class="summary" data-testid="summary" aria-labelledby="summary-heading">
                <FiguresAndMap totals map/>
                <crate::charts::ChartsLink href=charts/>
                <AreaTable testid="province-table" caption=Msg::ByProvince first=Msg::Province rows file_name/>
            </section>
            {findings}
        }
        .into_any()
    })
}
