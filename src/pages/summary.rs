//! What the overview, province and county pages share: the headline figures
//! of an area, and tables of the areas and councils in it. Every figure comes
//! from `shafaf_core::summary` (the browser's own recount of the signed
//! station results), the same code `shafaf verify --json` reports with.

use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::model::{ContestKind, Name};
use shafaf_core::summary::{ContestFacts, Totals};

use crate::components::{Column, DataTable, NumberFigure, PercentFigure};
use crate::i18n::{tr, use_lang, Lang, Msg};
use crate::load::Links;
use crate::places::{Place, Places};

/// An area's headline figures beside its map (when its boundaries could be drawn).
#[component]
pub fn FiguresAndMap(totals: Totals, map: Option<AnyView>) -> impl IntoView {
    view! {
        <div class="figures-and-map">
            <div>
                <h2 id="summary-heading">{tr(Msg::SummaryHeading)}</h2>
                <AreaFigures totals/>
            </div>
            {map}
        </div>
    }
}

/// The headline figures of an area.
#[component]
pub fn AreaFigures(totals: Totals) -> impl IntoView {
    let label = move |msg: Msg| Signal::derive(tr(msg));
    let t = totals;
    view! {
        <dl class="figures">
            <NumberFigure name="contests" label=label(Msg::Contests) value=t.contests/>
            <NumberFigure name="contests_city" label=label(Msg::CityContests) value=t.city_contests/>
            <NumberFigure name="contests_village" label=label(Msg::VillageContests) value=t.village_contests/>
            <NumberFigure name="stations_registered" label=label(Msg::StationsRegistered) value=t.stations_registered/>
            <NumberFigure name="stations_reported" label=label(Msg::StationsReported) value=t.stations_reported/>
            <NumberFigure name="eligible" label=label(Msg::Eligible) value=t.eligible/>
            <NumberFigure name="ballots_cast" label=label(Msg::BallotsCast) value=t.ballots_cast/>
            <NumberFigure name="valid" label=label(Msg::Valid) value=t.valid/>
            <NumberFigure name="invalid" label=label(Msg::Invalid) value=t.invalid/>
            <PercentFigure name="turnout" label=label(Msg::Turnout) part=t.ballots_cast whole=t.eligible/>
            <PercentFigure name="invalid_share" label=label(Msg::InvalidShare) part=t.invalid whole=t.ballots_cast/>
        </dl>
    }
}

/// One row of a table of areas: a province or a county.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaRow {
    pub code: String,
    pub name: Name,
    pub href: String,
    pub totals: Totals,
}

impl AreaRow {
    pub fn new(places: &Places, links: &Links, place: Place, code: &str, totals: Totals) -> AreaRow {
        AreaRow {
            code: code.to_owned(),
            name: places.name(place).clone(),
            href: links.href(&places.path(place)),
            totals,
        }
    }
}

/// Provinces of the country, or counties of a province.
#[component]
pub fn AreaTable(
    testid: &'static str,
    caption: Msg,
    /// The header of the name column (province or county).
    first: Msg,
    rows: Vec<AreaRow>,
    file_name: String,
) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        Column::name("name", first, |r: &AreaRow| r.name.clone(), |r| Some(r.href.clone())),
        Column::count("contests", Msg::Contests, |r: &AreaRow| r.totals.contests),
        Column::count("city_contests", Msg::CityContests, |r: &AreaRow| r.totals.city_contests),
        Column::count("village_contests", Msg::VillageContests, |r: &AreaRow| r.totals.village_contests),
        Column::count("stations_registered", Msg::StationsRegistered, |r: &AreaRow| r.totals.stations_registered),
        Column::count("stations_reported", Msg::StationsReported, |r: &AreaRow| r.totals.stations_reported),
        Column::count("eligible", Msg::Eligible, |r: &AreaRow| r.totals.eligible),
        Column::count("ballots_cast", Msg::BallotsCast, |r: &AreaRow| r.totals.ballots_cast),
        Column::count("valid", Msg::Valid, |r: &AreaRow| r.totals.valid),
        Column::count("invalid", Msg::Invalid, |r: &AreaRow| r.totals.invalid),
        Column::percent("turnout", Msg::Turnout, |r: &AreaRow| r.totals.turnout()),
        Column::percent("invalid_share", Msg::InvalidShare, |r: &AreaRow| r.totals.invalid_share()),
    ];
    view! {
        <DataTable
            testid
            caption=Signal::derive(move || lang.get().t(caption).to_owned())
            rows=Arc::new(rows)
            columns
            row_key=|r: &AreaRow| r.code.clone()
            file_name
            filter_text=|r: &AreaRow| format!("{} {} {}", r.name.fa, r.name.en, r.code)
        />
    }
}

/// One council in a table of councils.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContestRow {
    pub id: String,
    pub href: String,
    pub name: Name,
    pub kind: ContestKind,
    pub county: Option<Name>,
    pub seats: u32,
    pub facts: Arc<ContestFacts>,
}

impl ContestRow {
    pub fn new(places: &Places, links: &Links, p: usize, c: usize) -> ContestRow {
        let outcome = places.contest(p, c);
        let contest = &outcome.contest;
        ContestRow {
            id: contest.id.to_string(),
            href: links.href(&places.path(Place::Contest(p, c))),
            name: contest.name.clone(),
            kind: contest.kind,
            county: places.county_of(p, outcome).map(|k| places.county(p, k).name.clone()),
            seats: contest.seats,
            facts: Arc::new(ContestFacts::of(outcome)),
        }
    }
}

pub fn kind_word(lang: Lang, kind: ContestKind) -> String {
    lang.t(match kind {
        ContestKind::City => Msg::KindCity,
        ContestKind::Village => Msg::KindVillage,
    })
    .to_owned()
}

pub fn kind_raw(kind: ContestKind) -> &'static str {
    match kind {
        ContestKind::City => "city",
        ContestKind::Village => "village",
    }
}

/// Councils, sortable by turnout, invalid ballots, the margin of the last seat…
#[component]
pub fn ContestTable(
    testid: &'static str,
    caption: Signal<String>,
    rows: Vec<ContestRow>,
    file_name: String,
    /// Whether to show each council's county (a province's table does).
    with_county: bool,
) -> impl IntoView {
    let mut columns = vec![
        Column::name("name", Msg::Council, |r: &ContestRow| r.name.clone(), |r| Some(r.href.clone())),
        Column::text("kind", Msg::Kind, |r: &ContestRow, lang| kind_word(lang, r.kind), |r| kind_raw(r.kind).into()),
    ];
    if with_county {
        columns.push(Column::text(
            "county",
            Msg::County,
            |r: &ContestRow, lang| r.county.as_ref().map(|n| lang.name(n)).unwrap_or_default(),
            |r| r.county.as_ref().map(|n| n.en.to_string()).unwrap_or_default(),
        ));
    }
    columns.extend([
        Column::count("seats", Msg::Seats, |r: &ContestRow| u64::from(r.seats)),
        Column::count("eligible", Msg::Eligible, |r: &ContestRow| r.facts.totals.eligible),
        Column::count("ballots_cast", Msg::BallotsCast, |r: &ContestRow| r.facts.totals.ballots_cast),
        Column::count("invalid", Msg::Invalid, |r: &ContestRow| r.facts.totals.invalid),
        Column::percent("invalid_share", Msg::InvalidShare, |r: &ContestRow| r.facts.totals.invalid_share()),
        Column::percent("turnout", Msg::Turnout, |r: &ContestRow| r.facts.totals.turnout()),
        Column::decimal("votes_per_ballot", Msg::VotesPerBallot, |r: &ContestRow| r.facts.totals.votes_per_ballot()),
        Column::maybe_count("last_seat_margin", Msg::LastSeatMargin, |r: &ContestRow| r.facts.last_seat_margin),
        Column::count("stations_reported", Msg::StationsReported, |r: &ContestRow| r.facts.totals.stations_reported),
        Column::text(
            "matches_published",
            Msg::Recount,
            |r: &ContestRow, lang| recount_word(lang, r.facts.matches_published),
            |r| r.facts.matches_published.to_string(),
        ),
    ]);
    view! {
        <DataTable
            testid
            caption
            rows=Arc::new(rows)
            columns
            row_key=|r: &ContestRow| r.id.clone()
            file_name
            filter_text=|r: &ContestRow| {
                let county = r.county.as_ref().map(|n| format!("{} {}", n.fa, n.en)).unwrap_or_default();
                format!("{} {} {county}", r.name.fa, r.name.en)
            }
            kind=|r: &ContestRow| r.kind
            row_class=|r: &ContestRow| (!r.facts.matches_published).then_some("row-mismatch")
        />
    }
}

/// "✓ matches" or "! differs": the recount against the published figures, in words.
pub fn recount_word(lang: Lang, matches: bool) -> String {
    if matches {
        format!("✓ {}", lang.t(Msg::RecountMatches))
    } else {
        format!("! {}", lang.t(Msg::RecountDiffers))
    }
}
