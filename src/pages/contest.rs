//! One council's result (`/c/:contest`): who was elected, the alternates,
//! every candidate's votes and share, the margin of the last seat, the
//! ballots, and the stations it was counted from, each with its verified
//! device signature. This is the page a citizen comes for, and the one that
//! prints.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shafaf_core::model::{ContestKind, Name};
use shafaf_core::summary::{ContestFacts, Ratio};
use shafaf_core::tally::Standing;

use crate::components::findings::contest_names;
use crate::components::{
    escape_attribute, escape_text, in_next_task, trail, Breadcrumbs, Column, DataTable, DecimalFigure, Direction,
    FindingsList, NumberFigure, RatioFigure, SortKey,
};
use crate::csv;
use crate::i18n::{text, tr, use_lang, Lang, Msg};
use crate::load::Links;
use crate::pages::not_found::NotFound;
use crate::pages::summary::LevelBadge;
use crate::pages::{follow, open_province, set_title, verified, ProvinceLoading, Withdrawn};
use crate::state::{Area, Level, Place, Places, ProvinceData};

#[component]
pub fn ContestPage() -> impl IntoView {
    let params = use_params_map();
    // The same view serves every council: it is drawn anew when the address names another.
    move || {
        let id = params.with(|p| p.get("contest")).unwrap_or_default();
        untrack(|| {
            verified(|release| {
                let places = release.places.get_untracked();
                // The council's id names its province.
                let Some(p) = places.province_of_contest(&id) else {
                    return view! { <NotFound what=Msg::PlaceNotFound/> }.into_any();
                };
                open_province(release, p, false);
                follow(
                    release,
                    move |places| places.area(p).clone(),
                    move |places| {
                        let id = id.clone();
                        match places.area(p).clone() {
                            Area::Signed(data) | Area::Recounted(data) => match data.contest_index(&id) {
                                Some(c) => view! { <Contest places p c data/> }.into_any(),
                                None => view! { <NotFound what=Msg::PlaceNotFound/> }.into_any(),
                            },
                            Area::Failed(findings) => view! { <Withdrawn findings/> }.into_any(),
                            Area::Summary => {
                                view! { <ProvinceLoading release p map=false testid="contest-loading"/> }.into_any()
                            }
                        }
                    },
                )
                .into_any()
            })
        })
    }
}

/// A candidate's line, as the tables and lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CandidateRow {
    id: String,
    name: Name,
    ballot_code: String,
    votes: u64,
    share: Option<Ratio>,
    rank: usize,
    standing: Standing,
    tie: bool,
}

/// A station the council was counted from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct StationRow {
    id: String,
    eligible: u64,
    /// Cast, valid, invalid: absent until the station reports.
    counts: Option<(u64, u64, u64)>,
    device: String,
}

impl StationRow {
    fn cast(&self) -> Option<u64> {
        self.counts.map(|c| c.0)
    }
    fn valid(&self) -> Option<u64> {
        self.counts.map(|c| c.1)
    }
    fn invalid(&self) -> Option<u64> {
        self.counts.map(|c| c.2)
    }
    fn turnout(&self) -> Option<Ratio> {
        Ratio::new(self.cast()?, self.eligible)
    }
}

#[component]
fn Contest(places: Arc<Places>, p: usize, c: usize, data: Arc<ProvinceData>) -> impl IntoView {
    let lang = use_lang();
    let links = expect_context::<Links>();
    let outcome = data.contest(c);
    let contest = &outcome.contest;
    let id = contest.id.to_string();
    let facts = ContestFacts::of(outcome);
    let totals = facts.totals;
    let province = places.province(p);
    let kind = contest.kind;
    let name = contest.name.clone();
    let title = name.clone();
    set_title(move |lang| lang.council_title(kind, &title));

    let candidates: Vec<CandidateRow> = facts
        .lines
        .iter()
        .map(|line| {
            let candidate = &contest.candidates[line.candidate];
            CandidateRow {
                id: candidate.id.to_string(),
                name: candidate.name.clone(),
                ballot_code: candidate.ballot_code.to_string(),
                votes: line.votes,
                share: line.share,
                rank: line.rank,
                standing: line.standing,
                tie: line.decided_by_tie_break,
            }
        })
        .collect();
    let stations: Vec<StationRow> = outcome
        .stations
        .iter()
        .filter_map(|&s| data.stations().get(s))
        .map(|s| StationRow {
            id: s.station.id.to_string(),
            eligible: s.station.eligible,
            counts: s.result.as_ref().map(|r| (r.ballots_cast, r.valid, r.invalid)),
            device: s.device.to_hex(),
        })
        .collect();
    let findings: Vec<_> = data.findings().iter().filter(|f| f.contest() == Some(id.as_str())).cloned().collect();
    let findings = (!findings.is_empty()).then(|| {
        let contests = contest_names(&places, &links, &findings);
        view! { <FindingsList findings contests heading=Msg::FindingsForCouncil/> }
    });

    let tie_break = places.election().tie_break.clone();
    let list = |standing: Standing, testid: &'static str| {
        let items = candidates
            .iter()
            .filter(|r| r.standing == standing)
            .map(|r| view! { <CandidateItem row=r.clone() tie_break=tie_break.clone()/> })
            .collect_view();
        view! { <ol class="candidates" data-testid=testid>{items}</ol> }
    };
    let elected = list(Standing::Elected, "elected");
    let alternates = list(Standing::Alternate, "alternates");
    let margin = {
        let last = candidates.iter().rfind(|r| r.standing == Standing::Elected).map(|r| (r.name.clone(), r.tie));
        let first = candidates.iter().find(|r| r.standing == Standing::Alternate).map(|r| r.name.clone());
        let value = facts.last_seat_margin;
        let text = move || match (value, &last, &first) {
            (Some(votes), Some((last, tie)), Some(first)) => lang.get().last_seat_margin(votes, last, first, *tie),
            _ => lang.get().t(Msg::NoMargin).to_owned(),
        };
        view! { <p class="margin" data-testid="last-seat-margin" data-value=value.map(|v| v.to_string())>{text}</p> }
    };

    let recounted = outcome.recounted;
    let county = places.county_of(p, outcome).map(|k| places.county(p, k).name.clone());
    let province_name = province.name.clone();
    let (seats, alternates_count) = (contest.seats, contest.alternates);
    let subtitle = move || {
        let lang = lang.get();
        let mut parts = Vec::new();
        if let Some(county) = &county {
            parts.push(lang.county_title(county));
        }
        parts.push(lang.province_title(&province_name));
        parts.push(lang.seats(seats, alternates_count));
        parts.join(lang.t(Msg::ListSeparator))
    };

    let label = move |msg: Msg| Signal::derive(tr(msg));
    let t = totals;
    let vpb_note = Signal::derive(move || lang.get().names_of_seats(seats));
    let turnout_note = Signal::derive(move || lang.get().of_total(t.ballots_cast, t.eligible));
    let invalid_note = Signal::derive(move || lang.get().ratio_percent(t.invalid_share()));
    let reported_note = Signal::derive(move || lang.get().of_registered(t.stations_registered));
    let last_seat_margin = facts.last_seat_margin;

    let election_id = places.election().id.to_string();
    let candidates_file = csv::file_name(&["shafaf", &election_id, &id, "candidates"]);
    let stations_file = csv::file_name(&["shafaf", &election_id, &id, "stations"]);
    let heading = name.clone();
    let candidates_caption =
        Signal::derive(move || format!("{} — {}", lang.get().t(Msg::Candidates), lang.get().name(&heading)));
    let heading = name.clone();
    let stations_caption =
        Signal::derive(move || format!("{} — {}", lang.get().t(Msg::Stations), lang.get().name(&heading)));
    let charts = links.href(&crate::charts::charts_path(&places, Some(Place::Contest(p, c))));
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };

    // Live updates and history: this council in two releases of the log.
    let history_link = places.signed.logged().log().filter(|log| log.checkpoint.size > 1).map(|log| {
        let to = log.checkpoint.size;
        let href = links.href(&format!("/history?from={}&to={to}&contest={}", to - 1, crate::load::encode(&id)));
        view! {
            <p class="council-history">
                <a href=href data-testid="council-history">{tr(Msg::CouncilHistory)}</a>
            </p>
        }
    });
    // The council's outcome comes first; its figures and tables, mostly below
    // a phone's first screen, in the next task: two shorter tasks, not one long one.
    let drawn = in_next_task();
    let lower = move || {
        drawn.get().then(|| {
            view! {
                <section class="ballots" aria-labelledby="ballots-heading">
                    <h2 id="ballots-heading">{tr(Msg::Ballots)}</h2>
                    <dl class="figures">
                        <NumberFigure name="ballots_cast" label=label(Msg::BallotsCast) value=t.ballots_cast/>
                        <NumberFigure name="valid" label=label(Msg::Valid) value=t.valid/>
                        <NumberFigure name="invalid" label=label(Msg::Invalid) value=t.invalid note=invalid_note/>
                        <RatioFigure name="invalid_share" label=label(Msg::InvalidShare) ratio=t.invalid_share()/>
                        <DecimalFigure
                            name="votes_per_ballot"
                            label=label(Msg::VotesPerBallot)
                            ratio=t.votes_per_ballot()
                            note=vpb_note
                        />
                        <RatioFigure name="turnout" label=label(Msg::Turnout) ratio=t.turnout() note=turnout_note/>
                        <NumberFigure name="eligible" label=label(Msg::Eligible) value=t.eligible/>
                        <NumberFigure
                            name="stations_reported"
                            label=label(Msg::StationsReported)
                            value=t.stations_reported
                            note=reported_note
                        />
                        <NumberFigure name="stations_registered" label=label(Msg::StationsRegistered) value=t.stations_registered/>
                        {last_seat_margin.map(|value| {
                                view! { <NumberFigure name="last_seat_margin" label=label(Msg::LastSeatMargin) value/> }
                            })}
                    </dl>
                </section>
                <section class="candidates-section" aria-labelledby="candidates-heading">
                    <h2 id="candidates-heading">{tr(Msg::Candidates)}</h2>
                    <CandidateTable rows=candidates.clone() caption=candidates_caption file_name=candidates_file.clone()/>
                </section>
                <section class="stations-section" aria-labelledby="stations-heading">
                    <h2 id="stations-heading">{tr(Msg::Stations)}</h2>
                    {if recounted {
                        view! {
                            <p>{tr(Msg::StationsExplained)}</p>
                            <StationTable rows=stations.clone() caption=stations_caption file_name=stations_file.clone()/>
                        }
                        .into_any()
                    } else {
                        view! { <p class="loading-note" data-testid="stations-pending">{tr(Msg::StationsAfterRecount)}</p> }
                            .into_any()
                    }}
                </section>
            }
        })
    };
    view! {
        <Breadcrumbs trail=trail(&places, &links, Some(Place::Contest(p, c)))/>
        <article class="contest" data-testid="contest" data-contest=id.clone() data-kind=kind_attr(kind)>
            <LevelBadge level=if recounted { Level::Recounted } else { Level::Signed }/>
            <div class="page-head">
                <div>
                    <h1 class="page-title" data-testid="page-title">{text(move |lang| lang.council_title(kind, &name))}</h1>
                    <p class="page-subtitle">{subtitle}</p>
                    {history_link}
                </div>
                <button type="button" class="print-button" on:click=print>
                    <span aria-hidden="true">"⎙ "</span>
                    {tr(Msg::Print)}
                </button>
            </div>
            {findings}
            <crate::charts::ChartsLink href=charts/>
            <section class="outcome" aria-labelledby="outcome-heading">
                <h2 id="outcome-heading">{tr(Msg::Result)}</h2>
                <div class="outcome-lists">
                    <section aria-labelledby="elected-heading">
                        <h3 id="elected-heading">
                            <span class="standing-icon" aria-hidden="true">{standing_icon(Standing::Elected)}</span>
                            " "
                            {tr(Msg::ElectedMembers)}
                        </h3>
                        {elected}
                    </section>
                    <section aria-labelledby="alternates-heading">
                        <h3 id="alternates-heading">
                            <span class="standing-icon" aria-hidden="true">{standing_icon(Standing::Alternate)}</span>
                            " "
                            {tr(Msg::Alternates)}
                        </h3>
                        {alternates}
                    </section>
                </div>
                {margin}
            </section>
            {lower}
        </article>
    }
    .into_any()
}

fn kind_attr(kind: ContestKind) -> &'static str {
    crate::pages::summary::kind_raw(kind)
}

/// A shape per standing, so that colour is never the only sign.
fn standing_icon(standing: Standing) -> &'static str {
    match standing {
        Standing::Elected => "●",
        Standing::Alternate => "◐",
        Standing::NotElected => "○",
    }
}

fn standing_raw(standing: Standing) -> &'static str {
    match standing {
        Standing::Elected => "elected",
        Standing::Alternate => "alternate",
        Standing::NotElected => "not_elected",
    }
}

fn standing_word(lang: Lang, standing: Standing) -> &'static str {
    lang.t(match standing {
        Standing::Elected => Msg::StandingElected,
        Standing::Alternate => Msg::StandingAlternate,
        Standing::NotElected => Msg::StandingNotElected,
    })
}

#[component]
fn CandidateItem(row: CandidateRow, tie_break: Name) -> impl IntoView {
    let CandidateRow { id, name, votes, share, rank, standing, tie, .. } = row;
    let tie = tie.then(|| {
        view! { <span class="tie-note">{text(move |lang| lang.decided_by_tie_break(&tie_break))}</span> }
    });
    view! {
        <li
            data-candidate=id
            data-votes=votes.to_string()
            data-rank=rank.to_string()
            data-standing=standing_raw(standing)
            data-num=share.map(|s| s.num.to_string())
            data-den=share.map(|s| s.den.to_string())
        >
            <span class="candidate-name">{text(move |lang| lang.name(&name))}</span>
            " "
            <span class="candidate-votes">
                {text(move |lang| lang.votes_and_share(votes, share))}
            </span>
            {tie}
        </li>
    }
}

#[component]
fn CandidateTable(rows: Vec<CandidateRow>, caption: Signal<String>, file_name: String) -> impl IntoView {
    let columns = vec![
        Column::count("rank", Msg::Rank, |r: &CandidateRow| r.rank as u64),
        Column::name("name", Msg::Candidate, |r: &CandidateRow| r.name.clone(), |_| None),
        Column::text(
            "ballot_code",
            Msg::BallotCode,
            |r: &CandidateRow, lang| lang.digits(&r.ballot_code),
            |r| r.ballot_code.clone(),
        )
        .numeric(),
        Column::count("votes", Msg::Votes, |r: &CandidateRow| r.votes),
        Column::percent("share", Msg::Share, |r: &CandidateRow| r.share),
        Column::html(
            "standing",
            Msg::Standing,
            |r: &CandidateRow, lang| {
                let tie = if r.tie { format!(" ({})", lang.t(Msg::TieBreakShort)) } else { String::new() };
                format!(
                    r#"<td data-standing="{}" data-tie="{}"><span class="standing-icon" aria-hidden="true">{}</span> {}{}</td>"#,
                    standing_raw(r.standing),
                    r.tie,
                    standing_icon(r.standing),
                    escape_text(standing_word(lang, r.standing)),
                    escape_text(&tie),
                )
            },
            |r| SortKey::Count(r.rank as u64),
            |r| standing_raw(r.standing).to_owned(),
        ),
    ];
    view! {
        <DataTable
            testid="candidate-table"
            caption
            rows=Arc::new(rows)
            columns
            row_key=|r: &CandidateRow| r.id.clone()
            file_name
            initial_sort=("rank", Direction::Ascending)
            row_class=|r: &CandidateRow| Some(standing_raw(r.standing))
        />
    }
}

#[component]
fn StationTable(rows: Vec<StationRow>, caption: Signal<String>, file_name: String) -> impl IntoView {
    let columns = vec![
        Column::station(|r: &StationRow| r.id.clone()),
        Column::count("eligible", Msg::Eligible, |r: &StationRow| r.eligible),
        Column::maybe_count("ballots_cast", Msg::BallotsCast, StationRow::cast),
        Column::maybe_count("valid", Msg::Valid, StationRow::valid),
        Column::maybe_count("invalid", Msg::Invalid, StationRow::invalid),
        Column::percent("turnout", Msg::Turnout, StationRow::turnout),
        Column::html(
            "device_key",
            Msg::DeviceKey,
            |r: &StationRow, _| {
                let short: String = r.device.chars().take(16).collect();
                format!(
                    r#"<td><code data-key-id="{}">{}…</code></td>"#,
                    escape_attribute(&r.device),
                    escape_text(&short)
                )
            },
            |r| SortKey::Text(r.device.clone()),
            |r| r.device.clone(),
        ),
        Column::signature(|r: &StationRow| r.counts.is_some()),
    ];
    view! {
        <DataTable
            testid="station-table"
            caption
            rows=Arc::new(rows)
            columns
            row_key=|r: &StationRow| r.id.clone()
            file_name
            filter_text=|r: &StationRow| format!("{} {}", r.id, r.device)
        />
    }
}
