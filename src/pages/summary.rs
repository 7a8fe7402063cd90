//! What the overview, province and county pages share: the headline figures
//! of an area, its level of verification, and tables of the areas and
//! councils in it. Every figure comes from signed files: the summary, the
//! councils' published results, and once recounted the browser's own
//! recount of the signed station results (`shafaf_core::summary`, the same
//! code `shafaf verify --json` reports with).

use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::model::{ContestKind, Name};
use shafaf_core::summary::{ContestFacts, Totals};
use shafaf_core::verify::ContestOutcome;

use crate::components::{Column, DataTable, NumberFigure, PercentFigure};
use crate::i18n::{text, tr, use_lang, Lang, Msg};
use crate::load::Links;
use crate::state::{Level, Place, Places};

/// An area's headline figures beside its map (when its boundaries could be
/// drawn), and the level its figures reached; none once withdrawn.
#[component]
pub fn FiguresAndMap(totals: Option<Totals>, level: Level, map: Option<AnyView>) -> impl IntoView {
    view! {
        <div class="figures-and-map">
            <div>
                <HeadlineFigures totals level/>
            </div>
            {map}
        </div>
    }
}

/// An area's headline figures under the summary's heading, and the level
/// they reached; none once withdrawn.
#[component]
pub fn HeadlineFigures(totals: Option<Totals>, level: Level) -> impl IntoView {
    let figures = match totals {
        Some(totals) => view! { <AreaFigures totals/> }.into_any(),
        None => view! { <p class="withdrawn" role="alert" data-testid="withdrawn">{tr(Msg::Withdrawn)}</p> }.into_any(),
    };
    view! {
        <h2 id="summary-heading">{tr(Msg::SummaryHeading)}</h2>
        <LevelBadge level/>
        {figures}
    }
}

/// Which level of verification a view's figures reached, in words and a sign.
#[component]
pub fn LevelBadge(level: Level) -> impl IntoView {
    let (icon, msg) = match level {
        Level::Signed => ("◐", Msg::LevelSigned),
        Level::Recounted => ("●", Msg::LevelRecounted),
        Level::Failed => ("✗", Msg::LevelFailed),
    };
    view! {
        <p class=format!("level level-{}", level.as_str()) data-testid="level" data-level=level.as_str()>
            <span aria-hidden="true">{icon}" "</span>
            {text(move |lang| lang.t(msg).to_owned())}
        </p>
    }
}

/// The level of a set of provinces: recounted when all are, failed when any is.
pub fn level_of(levels: impl IntoIterator<Item = Level>) -> Level {
    let mut out = Level::Recounted;
    for level in levels {
        match level {
            Level::Failed => return Level::Failed,
            Level::Signed => out = Level::Signed,
            Level::Recounted => {}
        }
    }
    out
}

pub fn level_word(lang: Lang, level: Level) -> String {
    lang.t(match level {
        Level::Signed => Msg::LevelSigned,
        Level::Recounted => Msg::LevelRecounted,
        Level::Failed => Msg::LevelFailed,
    })
    .to_owned()
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
    /// None once withdrawn.
    pub totals: Option<Totals>,
    pub level: Level,
}

impl AreaRow {
    pub fn new(places: &Places, links: &Links, place: Place, code: &str, totals: Option<Totals>) -> AreaRow {
        let p = match place {
            Place::Province(p) | Place::County(p, _) | Place::Contest(p, _) => p,
        };
        AreaRow {
            code: code.to_owned(),
            name: places.name(place),
            href: links.href(&places.path(place)),
            totals,
            level: places.area(p).level(),
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
    /// The rows: fixed, or following the audit.
    #[prop(into)]
    rows: Signal<Arc<Vec<AreaRow>>>,
    file_name: String,
) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        Column::name("name", first, |r: &AreaRow| r.name.clone(), |r| Some(r.href.clone())),
        Column::maybe_count("contests", Msg::Contests, |r: &AreaRow| r.totals.map(|t| t.contests)),
        Column::maybe_count("city_contests", Msg::CityContests, |r: &AreaRow| r.totals.map(|t| t.city_contests)),
        Column::maybe_count("village_contests", Msg::VillageContests, |r: &AreaRow| {
            r.totals.map(|t| t.village_contests)
        }),
        Column::maybe_count("stations_registered", Msg::StationsRegistered, |r: &AreaRow| {
            r.totals.map(|t| t.stations_registered)
        }),
        Column::maybe_count("stations_reported", Msg::StationsReported, |r: &AreaRow| {
            r.totals.map(|t| t.stations_reported)
        }),
        Column::maybe_count("eligible", Msg::Eligible, |r: &AreaRow| r.totals.map(|t| t.eligible)),
        Column::maybe_count("ballots_cast", Msg::BallotsCast, |r: &AreaRow| r.totals.map(|t| t.ballots_cast)),
        Column::maybe_count("valid", Msg::Valid, |r: &AreaRow| r.totals.map(|t| t.valid)),
        Column::maybe_count("invalid", Msg::Invalid, |r: &AreaRow| r.totals.map(|t| t.invalid)),
        Column::percent("turnout", Msg::Turnout, |r: &AreaRow| r.totals.and_then(|t| t.turnout())),
        Column::percent("invalid_share", Msg::InvalidShare, |r: &AreaRow| r.totals.and_then(|t| t.invalid_share())),
        Column::text(
            "level",
            Msg::Verification,
            |r: &AreaRow, lang| level_word(lang, r.level),
            |r| r.level.as_str().to_owned(),
        ),
    ];
    view! {
        <DataTable
            testid
            caption=Signal::derive(move || lang.get().t(caption).to_owned())
            rows
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
    /// Whether its stations verified and it was recounted, or it is only signed.
    pub recounted: bool,
}

impl ContestRow {
    pub fn new(places: &Places, links: &Links, p: usize, outcome: &ContestOutcome) -> ContestRow {
        let contest = &outcome.contest;
        let c = places.area(p).data().and_then(|d| d.contest_index(&contest.id)).unwrap_or_default();
        ContestRow {
            id: contest.id.to_string(),
            href: links.href(&places.path(Place::Contest(p, c))),
            name: contest.name.clone(),
            kind: contest.kind,
            county: places.county_of(p, outcome).map(|k| places.county(p, k).name.clone()),
            seats: contest.seats,
            facts: Arc::new(ContestFacts::of(outcome)),
            recounted: outcome.recounted,
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
            |r: &ContestRow, lang| {
                if r.recounted {
                    recount_word(lang, r.facts.matches_published)
                } else {
                    format!("◐ {}", lang.t(Msg::NotYetRecounted))
                }
            },
            |r| if r.recounted { r.facts.matches_published.to_string() } else { "pending".into() },
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
