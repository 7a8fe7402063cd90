//! The summary: headline figures for the whole release, then a table per
//! province and per county. Every figure is computed from the verified
//! election (the browser's own recount of the signed station results), the
//! same way `shafaf verify --json` reports them.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::model::{ContestKind, Name};
use shafaf_core::verify::{ContestOutcome, VerifiedElection};

use crate::components::{NumberCell, NumberFigure, PercentCell, PercentFigure};
use crate::i18n::{use_lang, Msg};

/// Sums over a set of contests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub contests: u64,
    pub city: u64,
    pub village: u64,
    pub stations_registered: u64,
    pub stations_reported: u64,
    pub eligible: u64,
    pub ballots_cast: u64,
    pub valid: u64,
    pub invalid: u64,
}

impl Totals {
    fn add(&mut self, c: &ContestOutcome) {
        self.contests += 1;
        match c.contest.kind {
            ContestKind::City => self.city += 1,
            ContestKind::Village => self.village += 1,
        }
        self.stations_registered += c.stations.len() as u64;
        self.stations_reported += c.recount.stations_reported;
        self.eligible += c.contest.eligible;
        self.ballots_cast += c.recount.ballots_cast;
        self.valid += c.recount.valid;
        self.invalid += c.recount.invalid;
    }
}

/// One row of a table: a province or a county.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    code: String,
    name: Name,
    totals: Totals,
}

/// The figures of the summary, computed once: the election does not change
/// after it verified; only the language they are written in does.
struct Figures {
    all: Totals,
    provinces: Vec<Row>,
    counties: Vec<Row>,
}

impl Figures {
    fn of(election: &VerifiedElection) -> Figures {
        let mut all = Totals::default();
        let mut provinces = Vec::new();
        let mut counties = Vec::new();
        for province in &election.provinces {
            let Some(described) = election.election.provinces.iter().find(|p| p.code == province.code) else {
                continue;
            };
            let mut by_county: BTreeMap<&str, Totals> = BTreeMap::new();
            let mut totals = Totals::default();
            for contest in &province.contests {
                totals.add(contest);
                by_county.entry(&contest.contest.county).or_default().add(contest);
            }
            all.contests += totals.contests;
            all.city += totals.city;
            all.village += totals.village;
            all.stations_registered += totals.stations_registered;
            all.stations_reported += totals.stations_reported;
            all.eligible += totals.eligible;
            all.ballots_cast += totals.ballots_cast;
            all.valid += totals.valid;
            all.invalid += totals.invalid;
            provinces.push(Row { code: province.code.to_string(), name: described.name.clone(), totals });
            // Counties in the order the election file lists them.
            for county in &described.counties {
                if let Some(totals) = by_county.get(county.code.as_str()) {
                    counties.push(Row { code: county.code.to_string(), name: county.name.clone(), totals: *totals });
                }
            }
        }
        Figures { all, provinces, counties }
    }
}

#[component]
pub fn SummaryPage(election: Arc<VerifiedElection>) -> impl IntoView {
    let lang = use_lang();
    let Figures { all, provinces, counties } = Figures::of(&election);
    let label = move |msg: Msg| Signal::derive(move || lang.get().t(msg));
    view! {
        <section class="summary" data-testid="summary" aria-labelledby="summary-heading">
            <h2 id="summary-heading">{move || lang.get().t(Msg::SummaryHeading)}</h2>
            <h3>{move || lang.get().t(Msg::AllProvinces)}</h3>
            <dl class="figures">
                <NumberFigure name="contests" label=label(Msg::Contests) value=all.contests/>
                <NumberFigure name="contests_city" label=label(Msg::CityContests) value=all.city/>
                <NumberFigure name="contests_village" label=label(Msg::VillageContests) value=all.village/>
                <NumberFigure name="stations_registered" label=label(Msg::StationsRegistered) value=all.stations_registered/>
                <NumberFigure name="stations_reported" label=label(Msg::StationsReported) value=all.stations_reported/>
                <NumberFigure name="eligible" label=label(Msg::Eligible) value=all.eligible/>
                <NumberFigure name="ballots_cast" label=label(Msg::BallotsCast) value=all.ballots_cast/>
                <NumberFigure name="valid" label=label(Msg::Valid) value=all.valid/>
                <NumberFigure name="invalid" label=label(Msg::Invalid) value=all.invalid/>
                <PercentFigure name="turnout" label=label(Msg::Turnout) part=all.ballots_cast whole=all.eligible/>
                <PercentFigure name="invalid_share" label=label(Msg::InvalidShare) part=all.invalid whole=all.ballots_cast/>
            </dl>
            <FiguresTable caption=Msg::ByProvince first=Msg::Province kind="province" rows=provinces/>
            <FiguresTable caption=Msg::ByCounty first=Msg::County kind="county" rows=counties/>
        </section>
    }
}

/// A table of rows with the same columns as the headline figures.
#[component]
fn FiguresTable(caption: Msg, first: Msg, kind: &'static str, rows: Vec<Row>) -> impl IntoView {
    let lang = use_lang();
    let columns = [
        Msg::Contests,
        Msg::CityContests,
        Msg::VillageContests,
        Msg::StationsRegistered,
        Msg::StationsReported,
        Msg::Eligible,
        Msg::BallotsCast,
        Msg::Invalid,
        Msg::Turnout,
        Msg::InvalidShare,
    ];
    let header = columns
        .into_iter()
        .map(|msg| view! { <th scope="col" class="num">{move || lang.get().t(msg)}</th> })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=move || lang.get().t(caption)>
            <table data-testid=format!("{kind}-table")>
                <caption>{move || lang.get().t(caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || lang.get().t(first)}</th>
                        {header}
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.clone() key=|row| row.code.clone() let(row)>
                        <TableRow kind row/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn TableRow(kind: &'static str, row: Row) -> impl IntoView {
    let lang = use_lang();
    let Row { code, name, totals: t } = row;
    view! {
        <tr data-kind=kind data-code=code>
            <th scope="row">{move || lang.get().name(&name)}</th>
            <NumberCell value=t.contests/>
            <NumberCell value=t.city/>
            <NumberCell value=t.village/>
            <NumberCell value=t.stations_registered/>
            <NumberCell value=t.stations_reported/>
            <NumberCell value=t.eligible/>
            <NumberCell value=t.ballots_cast/>
            <NumberCell value=t.invalid/>
            <PercentCell part=t.ballots_cast whole=t.eligible/>
            <PercentCell part=t.invalid whole=t.ballots_cast/>
        </tr>
    }
}
