//! The history of releases and corrections (`/history`): every release of
//! the log with its time, its signers and witnesses, and what changed from
//! the one before (stations added and corrected, councils whose elected
//! members changed). A journalist compares any two releases, and one
//! council's candidates in both (`?from=1&to=3&contest=<id>`). Every
//! release is verified in full before anything of it is shown.

use std::cell::RefCell;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shafaf_core::history::diff::ReleaseDiff;
use shafaf_core::history::HistoryEntry;
use shafaf_core::model::Name;
use shafaf_core::verify::{VerifiedElection, VerifiedRoot};

use crate::components::{FindingsList, LoadErrorList, StatusBlock, ViewStatus};
use crate::i18n::{text, tr, Msg};
use crate::live::ChangeSummary;
use crate::load::{self, HistoryProgress, Links, LogHistory};
use crate::pages::{set_title, verified};
use crate::state::{ConfigSignal, Places, RootSignal};

#[component]
pub fn HistoryPage() -> impl IntoView {
    set_title(move |lang| lang.t(Msg::HistoryHeading).to_owned());
    verified(|release| {
        let places = release.places.get_untracked();
        view! { <HistoryView places/> }.into_any()
    })
}

thread_local! {
    /// The history last verified in this tab: the publication and its
    /// pinned root, the checkpoint's note of the log it covers, and what it
    /// found. Opened again on the same log, it is shown at once; on a log
    /// that grew, only the releases it did not have are audited.
    static VERIFIED: RefCell<Option<(String, String, Arc<LogHistory>)>> = const { RefCell::new(None) };
}

/// The history verified before of the publication `source`, and whether it
/// covers the log whose checkpoint's note is `note`.
fn verified_before(source: &str, note: &str) -> Option<(Arc<LogHistory>, bool)> {
    VERIFIED.with(|v| {
        let held = v.borrow();
        let (_, n, history) = held.as_ref().filter(|(s, _, _)| s == source)?;
        Some((history.clone(), n == note))
    })
}

#[component]
fn HistoryView(places: Arc<Places>) -> impl IntoView {
    let config = expect_context::<ConfigSignal>();
    let root = expect_context::<RootSignal>();
    let log = places.signed.logged().log().map(|l| (l.checkpoint.size, l.checkpoint.checkpoint().body()));
    let Some((size, note)) = log else {
        return view! {
            <h1 class="page-title">{tr(Msg::HistoryHeading)}</h1>
            <p data-testid="no-log">{tr(Msg::NoReleaseLog)}</p>
        }
        .into_any();
    };
    let (progress, set_progress) = signal(None::<HistoryProgress>);
    let loaded = LocalResource::new(move || {
        let note = note.clone();
        async move { verify_history(config, root, size, note, set_progress).await }
    });
    let loading = move || {
        view! {
            <StatusBlock status=ViewStatus::Loading/>
            <p data-testid="history-progress" aria-live="polite">
                {move || progress.try_get().flatten().map(|p| text(move |lang| lang.history_progress(p)))}
            </p>
        }
    };
    view! {
        <div class="history" data-testid="history">
            <h1 class="page-title">{tr(Msg::HistoryHeading)}</h1>
            <p>{tr(Msg::HistoryExplained)}</p>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match loaded.await {
                        None => ().into_any(),
                        Some((Err(error), _)) => view! { <LoadErrorList error/> }.into_any(),
                        Some((Ok(Err(findings)), _)) => view! { <FindingsList findings/> }.into_any(),
                        Some((Ok(Ok(history)), root)) => {
                            view! { <Releases history root/> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
    .into_any()
}

/// The history of a log whose checkpoint's note is `note`, verified (or as
/// this tab verified it before), with the root it was verified under.
async fn verify_history(
    config: ConfigSignal,
    root: RootSignal,
    size: u64,
    note: String,
    set_progress: WriteSignal<Option<HistoryProgress>>,
) -> Option<(Result<Result<Arc<LogHistory>, Vec<shafaf_core::Finding>>, load::LoadError>, Arc<VerifiedRoot>)> {
    // Untracked: a new release draws the view anew, with its own log.
    let (Some(config), Some(root)) = (config.get_untracked(), root.get_untracked()) else {
        return None;
    };
    let source = format!("{}\n{}", config.source.publication, config.source.root_sha256.to_hex());
    let known = match verified_before(&source, &note) {
        Some((history, true)) => return Some((Ok(Ok(history)), root)),
        Some((history, false)) => Some(history),
        None => None,
    };
    // The view may be gone (a new release replaced it) while its history still verifies.
    let told = move |p| {
        let _ = set_progress.try_set(Some(p));
    };
    let loaded = load::history(&config, &root, size, known, told).await.map(|r| r.map(Arc::new));
    if let Ok(Ok(history)) = &loaded {
        VERIFIED.with(|v| *v.borrow_mut() = Some((source, note, history.clone())));
    }
    Some((loaded, root))
}

#[component]
fn Releases(history: Arc<LogHistory>, root: Arc<VerifiedRoot>) -> impl IntoView {
    let n = history.releases.len();
    let items = (0..n)
        .rev()
        .map(|i| {
            let entry = history.history.releases[i].clone();
            let this = history.releases[i].clone();
            let previous = i.checked_sub(1).map(|p| history.releases[p].clone());
            let change = history.changes[i].clone();
            view! { <ReleaseItem entry this previous change root=root.clone()/> }
        })
        .collect_view();
    view! {
        <p data-testid="log-summary" data-size=history.history.size.to_string()>
            {text({
                let size = history.history.size;
                move |lang| lang.log_summary(size)
            })}
            " "
            <code dir="ltr" class="hash">{history.history.root_hash.to_hex()}</code>
        </p>
        <ol class="release-list" reversed data-testid="release-list">{items}</ol>
        <Compare history/>
    }
}

type Verified = Result<Arc<VerifiedElection>, Vec<shafaf_core::Finding>>;

#[component]
fn ReleaseItem(
    entry: HistoryEntry,
    this: Verified,
    previous: Option<Verified>,
    /// What changed from `previous`, when both verified.
    change: Option<Arc<ReleaseDiff>>,
    root: Arc<VerifiedRoot>,
) -> impl IntoView {
    let version = entry.version;
    let issued = entry.issued;
    let signers = entry
        .signatures
        .iter()
        .filter(|s| s.valid)
        .map(|s| root.key_name(&s.key))
        .map(|name| view! { <li data-role="publisher"><code dir="ltr">{name}</code></li> })
        .collect_view();
    let witnesses = entry
        .checkpoint
        .witnesses()
        .map(|w| {
            let name = w.name.clone();
            let when = w.timestamp;
            view! {
                <li data-role="witness">
                    <code dir="ltr">{name}</code>
                    {when.map(|t| view! { " (" {text(move |lang| lang.date_time(t))} ")" })}
                </li>
            }
        })
        .collect_view();
    let witnessed = entry.checkpoint.witnesses().count();
    let changes = match (&this, &previous) {
        (Err(findings), _) => view! { <FindingsList findings=findings.clone()/> }.into_any(),
        (Ok(_), None) => view! { <p data-testid="first-release">{tr(Msg::FirstRelease)}</p> }.into_any(),
        (Ok(_), Some(Err(_))) => ().into_any(),
        (Ok(_), Some(Ok(_))) => change.map(|change| view! { <ChangeSummary change/> }).into_any(),
    };
    let reported = this
        .as_ref()
        .ok()
        .map(|e| e.provinces.iter().flat_map(|p| &p.stations).filter(|s| s.result.is_some()).count() as u64);
    view! {
        <li class="release" data-testid="release" data-version=version.to_string()>
            <h2>{text(move |lang| lang.release_title(version))}</h2>
            <dl>
                <div>
                    <dt>{tr(Msg::Issued)}</dt>
                    <dd data-issued=issued.unix_timestamp().to_string()>{text(move |lang| lang.date_time(issued))}</dd>
                </div>
                {reported.map(|r| view! {
                    <div>
                        <dt>{tr(Msg::StationsReported)}</dt>
                        <dd data-testid="stations-reported" data-value=r.to_string()>{text(move |lang| lang.number(r))}</dd>
                    </div>
                })}
                <div>
                    <dt>{tr(Msg::SignedBy)}</dt>
                    <dd><ul class="signers">{signers}</ul></dd>
                </div>
                <div>
                    <dt>{tr(Msg::WitnessedBy)}</dt>
                    <dd data-testid="witnesses" data-count=witnessed.to_string()>
                        {if witnessed == 0 {
                            view! { <span>{tr(Msg::NoWitnesses)}</span> }.into_any()
                        } else {
                            view! { <ul class="signers">{witnesses}</ul> }.into_any()
                        }}
                    </dd>
                </div>
            </dl>
            {changes}
        </li>
    }
}

/// Any two releases side by side: what changed, and one council's candidates in both.
#[component]
fn Compare(history: Arc<LogHistory>) -> impl IntoView {
    let query = use_query_map();
    let links = expect_context::<Links>();
    let n = history.releases.len() as u64;
    let param = move |name: &str, default: u64| {
        query
            .with(|q| q.get(name).and_then(|v| v.parse::<u64>().ok()))
            .filter(|v| (1..=n).contains(v))
            .unwrap_or(default)
    };
    let from = move || param("from", 1);
    let to = move || param("to", n);
    let contest = move || query.with(|q| q.get("contest")).unwrap_or_default();
    let navigate = use_navigate();
    let go = {
        let links = links.clone();
        move |f: u64, t: u64, c: String| {
            let mut path = format!("/history?from={f}&to={t}");
            if !c.is_empty() {
                path.push_str(&format!("&contest={}", load::encode(&c)));
            }
            navigate(&links.href(&path), Default::default());
        }
    };
    let options = move |selected: u64| {
        (1..=n)
            .map(|v| view! { <option value=v.to_string() selected=v == selected>{text(move |lang| lang.release_title(v))}</option> })
            .collect_view()
    };
    let go_from = go.clone();
    let go_to = go.clone();
    let go_contest = go;
    let history_for_body = history.clone();
    // Two releases are compared in tasks of their own, a province at a time.
    let change = LocalResource::new({
        let history = history_for_body;
        move || {
            let (history, f, t) = (history.clone(), from(), to());
            async move { load::change_between(&history, f, t).await }
        }
    });
    let body = move || {
        Suspend::new(async move {
            let Some((old, new, change)) = change.await else {
                return ().into_any();
            };
            let id = contest();
            let council = (!id.is_empty()).then(|| view! { <CouncilCompare old new id/> });
            view! {
                <ChangeSummary change/>
                {council}
            }
            .into_any()
        })
    };
    // The councils of the newest release, chosen a province at a time: a
    // country has thousands.
    let newest = history.releases.last().and_then(|r| r.as_ref().ok()).cloned();
    let provinces: Vec<(String, Name)> =
        newest.iter().flat_map(|e| &e.election.provinces).map(|p| (p.code.to_string(), p.name.clone())).collect();
    let province_of = {
        let newest = newest.clone();
        move |id: &str| {
            newest.as_ref().and_then(|e| {
                e.provinces
                    .iter()
                    .find(|p| p.contests.iter().any(|c| c.contest.id.as_str() == id))
                    .map(|p| p.code.to_string())
            })
        }
    };
    let only = (provinces.len() == 1).then(|| provinces[0].0.clone());
    let province = RwSignal::new(province_of(&contest()).or(only).unwrap_or_default());
    let contest_options = move || {
        let selected = contest();
        let chosen = province.get();
        newest
            .iter()
            .flat_map(|e| &e.provinces)
            .filter(|p| p.code.as_str() == chosen)
            .flat_map(|p| &p.contests)
            .map(|c| {
                let (id, name) = (c.contest.id.to_string(), c.contest.name.clone());
                let sel = id == selected;
                view! { <option value=id.clone() selected=sel>{text(move |lang| lang.name(&name))}</option> }
            })
            .collect_view()
    };
    let province_options = move || {
        let chosen = province.get();
        provinces
            .iter()
            .map(|(code, name)| {
                let name = name.clone();
                view! { <option value=code.clone() selected=*code == chosen>{text(move |lang| lang.name(&name))}</option> }
            })
            .collect_view()
    };
    view! {
        <section class="compare" id="compare" data-testid="compare" aria-labelledby="compare-heading">
            <h2 id="compare-heading">{tr(Msg::CompareReleases)}</h2>
            <div class="compare-controls">
                <label>
                    {tr(Msg::CompareFrom)} " "
                    <select data-testid="compare-from" on:change=move |ev| go_from(event_target_value(&ev).parse().unwrap_or(1), to(), contest())>
                        {move || options(from())}
                    </select>
                </label>
                <label>
                    {tr(Msg::CompareTo)} " "
                    <select data-testid="compare-to" on:change=move |ev| go_to(from(), event_target_value(&ev).parse().unwrap_or(n), contest())>
                        {move || options(to())}
                    </select>
                </label>
                <label>
                    {tr(Msg::Province)} " "
                    <select data-testid="compare-province" on:change=move |ev| province.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {province_options}
                    </select>
                </label>
                <label>
                    {tr(Msg::CompareCouncil)} " "
                    <select data-testid="compare-contest" on:change=move |ev| go_contest(from(), to(), event_target_value(&ev))>
                        <option value="">"—"</option>
                        {contest_options}
                    </select>
                </label>
            </div>
            <Suspense fallback=move || view! { <p class="loading-note">{tr(Msg::Loading)}</p> }>{body}</Suspense>
        </section>
    }
}

/// One council in two releases: every candidate's votes and rank in both.
#[component]
fn CouncilCompare(old: Arc<VerifiedElection>, new: Arc<VerifiedElection>, id: String) -> impl IntoView {
    let find = |e: &VerifiedElection| {
        e.provinces.iter().flat_map(|p| &p.contests).find(|c| c.contest.id.as_str() == id).cloned()
    };
    let (Some(before), Some(after)) = (find(&old), find(&new)) else {
        return view! { <p data-testid="council-compare-missing">{tr(Msg::PlaceNotFound)}</p> }.into_any();
    };
    let name = after.contest.name.clone();
    let rows = after
        .contest
        .candidates
        .iter()
        .map(|candidate| {
            let at = |outcome: &shafaf_core::verify::ContestOutcome| {
                outcome.ranking.iter().find(|r| outcome.contest.candidates.get(r.candidate).is_some_and(|c| c.id == candidate.id)).map(|r| (r.votes, r.rank))
            };
            let (b, a) = (at(&before), at(&after));
            let cname = candidate.name.clone();
            let cell = move |v: Option<u64>| view! { <td data-value=v.map(|v| v.to_string())>{text(move |lang| v.map(|v| lang.number(v)).unwrap_or_default())}</td> };
            view! {
                <tr data-candidate=candidate.id.to_string()>
                    <th scope="row">{text(move |lang| lang.name(&cname))}</th>
                    {cell(b.map(|x| x.0))}
                    {cell(b.map(|x| x.1 as u64))}
                    {cell(a.map(|x| x.0))}
                    {cell(a.map(|x| x.1 as u64))}
                </tr>
            }
        })
        .collect_view();
    let cast = [before.tally.ballots_cast, after.tally.ballots_cast];
    view! {
        <section class="council-compare" data-testid="council-compare" data-contest=id.clone()>
            <h3>{text(move |lang| lang.name(&name))}</h3>
            <p data-testid="council-cast" data-before=cast[0].to_string() data-after=cast[1].to_string()>
                {text(move |lang| lang.cast_before_after(Some(cast[0]), Some(cast[1])))}
            </p>
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">{tr(Msg::Candidate)}</th>
                        <th scope="col">{tr(Msg::VotesBefore)}</th>
                        <th scope="col">{tr(Msg::RankBefore)}</th>
                        <th scope="col">{tr(Msg::VotesAfter)}</th>
                        <th scope="col">{tr(Msg::RankAfter)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}
