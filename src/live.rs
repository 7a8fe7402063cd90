//! Live updates: while the page is open it asks for the signed pointer to
//! the latest release (`latest.json`) every few seconds. When the pointer
//! names another release, the whole publication is fetched and verified
//! again, with the consistency proof from the checkpoint shown (held in this
//! browser's storage, see [`crate::load::held_checkpoint`]); only a newer
//! release that verified replaces the one shown, in place (same address,
//! same view). A release that does not verify, an older one (rollback), a
//! forked log or an expired pointer (freeze) is never shown: the page says
//! so in plain words and keeps what it showed.

use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::history::diff::{diff, ReleaseDiff};
use shafaf_core::model::Sha256Hex;
use shafaf_core::verify::VerifiedRoot;
use shafaf_core::Finding;
use time::OffsetDateTime;

use crate::i18n::{text, tr, use_lang, Lang, Msg};
use crate::load::{self, Config, Links, Outcome, PointerCheck};
use crate::state::{AuditPhase, AuditState, Current, Loaded, PlacesSignal, Release, RootSignal};

/// What the live region says.
#[derive(Debug, Clone, Default)]
pub struct LiveStatus {
    /// Whether the page follows the latest release at all (the release is in a log with a pointer).
    pub following: bool,
    /// When the pointer was last fetched and verified.
    pub last_checked: Option<OffsetDateTime>,
    /// The last move forward: from which release to which, and what changed.
    pub change: Option<Arc<ReleaseDiff>>,
    /// Why the latest the server offers is not shown (the release shown stays).
    pub refused: Option<Refusal>,
    /// The pointer could not be fetched at the last try.
    pub unreachable: bool,
}

/// A newer pointer or release that was refused, and why.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// The release the pointer named (0 when the pointer itself did not verify).
    pub version: u64,
    pub findings: Vec<Finding>,
}

pub type LiveSignal = RwSignal<LiveStatus>;

/// What identifies the release shown: its version and the SHA-256 of its manifest.
fn shown(current: &Current) -> Option<(u64, Sha256Hex, Release)> {
    match current.get_untracked() {
        Some(Loaded::Ready(release)) => {
            let places = release.places.get_untracked();
            let pointer = places.signed.logged().pointer()?;
            Some((pointer.version, pointer.release_sha256, release))
        }
        _ => None,
    }
}

/// Follows the latest release while the page is open. Runs until the page
/// closes; does nothing for a publication without a release log. A newer
/// release replaces the one shown once it verified to the signed level
/// (its log extending the one shown); what changed, station by station, is
/// said once both releases' audits are complete.
///
/// The code that follows is a chunk of the app's wasm, fetched after the
/// first view is drawn (the first view does not wait for it); while it
/// cannot be downloaded, it is asked for again later.
pub async fn follow(config: Config, root: VerifiedRoot, current: Current, status: LiveSignal, root_signal: RootSignal) {
    if shown(&current).is_none() {
        return;
    }
    // Said with the first view, so that the live line does not push it down later.
    status.update(|s| s.following = true);
    // The first poll is a few seconds away: the view's own downloads go first.
    load::first_view_settled().await;
    load::until_loaded(preload_following, 5_000, 60_000).await;
    if let Ok(following) = following(Following { config, root, current, status, root_signal }).await {
        following.await;
    }
}

/// What [`follow`] hands to its chunk.
struct Following {
    config: Config,
    root: VerifiedRoot,
    current: Current,
    status: LiveSignal,
    root_signal: RootSignal,
}

#[leptos::wasm_split::wasm_split(
    following,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_following),
    fallible
)]
fn following(
    args: Following,
) -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(poll_latest(args)))
}

/// [`follow`]'s loop: asks for the pointer, and moves to what it names once that verified.
async fn poll_latest(Following { config, root, current, status, root_signal }: Following) {
    let base = config.poll_seconds.max(1) * 1000;
    // No change: the interval grows slowly, to 8 times the base at most;
    // errors back off faster, to a minute.
    let (quiet_cap, error_cap) = (base * 8, 60_000u32.max(base));
    let mut interval = base;
    // A pointer already refused is not fetched and verified again and again.
    let mut refused_sha: Option<Sha256Hex> = None;
    loop {
        load::sleep(interval as i32).await;
        if page_hidden() {
            continue;
        }
        let Some((version, sha, shown_release)) = shown(&current) else { return };
        let check = load::pointer(&config, &root).await;
        let now = load::now();
        let pointer = match check {
            Err(_) => {
                status.update(|s| s.unreachable = true);
                interval = (interval * 2).min(error_cap);
                continue;
            }
            Ok(PointerCheck::Refused(findings)) => {
                status.update(|s| {
                    s.unreachable = false;
                    s.last_checked = Some(now);
                    s.refused = Some(Refusal { version: 0, findings });
                });
                interval = (interval * 2).min(error_cap);
                continue;
            }
            Ok(PointerCheck::Fresh(doc)) => doc,
        };
        if pointer.release.version == version && pointer.release.sha256 == sha {
            status.update(|s| {
                s.unreachable = false;
                s.last_checked = Some(now);
                s.refused = None;
            });
            interval = (interval * 3 / 2).min(quiet_cap);
            continue;
        }
        if refused_sha == Some(pointer.release.sha256) {
            status.update(|s| {
                s.unreachable = false;
                s.last_checked = Some(now);
            });
            interval = (interval * 2).min(error_cap);
            continue;
        }
        match load::signed(&config, |_| {}).await {
            Outcome::Signed(new) => {
                let new_version = new.signed.release().audit().version;
                if new_version > version {
                    let before = shown_release.audit.get_untracked();
                    let after = crate::app::show(&config, &new, current, root_signal);
                    leptos::task::spawn_local(say_what_changed(before, after, current, status));
                    status.update(|s| {
                        s.unreachable = false;
                        s.last_checked = Some(now);
                        s.change = None;
                        s.refused = None;
                    });
                    refused_sha = None;
                    interval = base;
                } else {
                    interval = (interval * 2).min(error_cap);
                }
            }
            Outcome::Rejected(failure) => {
                refused_sha = Some(pointer.release.sha256);
                status.update(|s| {
                    s.unreachable = false;
                    s.last_checked = Some(now);
                    s.refused = Some(Refusal { version: pointer.release.version, findings: failure.findings.clone() });
                });
                interval = (interval * 2).min(error_cap);
            }
            Outcome::Unavailable(_) => {
                status.update(|s| s.unreachable = true);
                interval = (interval * 2).min(error_cap);
            }
        }
    }
}

/// Once the new release's audit is complete, and if the one it replaced was
/// complete too, says what changed from one to the other, station by station;
/// nothing once a newer release replaced it (its own change is said instead).
async fn say_what_changed(before: AuditState, after: Release, current: Current, status: LiveSignal) {
    if before.phase != AuditPhase::Complete {
        return;
    }
    let shown = || matches!(current.get_untracked(), Some(Loaded::Ready(r)) if r.audit == after.audit);
    while after.audit.with_untracked(|a| a.phase) != AuditPhase::Complete {
        if !shown() {
            return;
        }
        load::sleep(300).await;
    }
    if !shown() {
        return;
    }
    let now = after.audit.get_untracked();
    let finish = |a: &AuditState| (**a.audited()).clone().finish(Default::default()).ok();
    if let (Some(a), Some(b)) = (finish(&before), finish(&now)) {
        status.update(|s| s.change = Some(Arc::new(diff(&a, &b))));
    }
}

/// A page in a background tab need not ask.
fn page_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// The live region: which release is shown, when the page last asked for a
/// newer one, what changed at the last move forward, and why a newer offer
/// was refused. Screen readers hear it as it changes.
#[component]
pub fn LiveRegion() -> impl IntoView {
    let status = expect_context::<LiveSignal>();
    let places = expect_context::<PlacesSignal>();
    let version = move || places.get().map(|p| p.signed.release().audit().version);
    let checked = move || status.with(|s| s.last_checked);
    // Who cosigned the checkpoint of the release shown.
    let witnesses = move || {
        places
            .get()
            .and_then(|p| {
                p.signed
                    .logged()
                    .log()
                    .map(|log| log.checkpoint.witnesses().map(|w| w.name.clone()).collect::<Vec<_>>())
            })
            .unwrap_or_default()
    };
    view! {
        <Show when=move || status.with(|s| s.following)>
            <section class="live" data-testid="live" aria-labelledby="live-heading">
                <h2 id="live-heading" class="visually-hidden">{tr(Msg::LiveHeading)}</h2>
                <div aria-live="polite" class="live-now">
                    <p>
                        <span data-testid="live-version" data-version=move || version().unwrap_or(0).to_string()>
                            {text(move |lang| lang.showing_release(version().unwrap_or(0)))}
                        </span>
                        " · "
                        <span data-testid="live-checked" data-checked=move || checked().is_some().to_string()>
                            {text(move |lang| match checked() {
                                Some(t) => format!("{} {}", lang.t(Msg::LiveLastChecked), lang.clock(t)),
                                None => lang.t(Msg::LiveNotYet).to_owned(),
                            })}
                        </span>
                        {move || {
                            let names = witnesses();
                            let n = names.len() as u64;
                            // Each name whole (a host name broken at its hyphens reads as two);
                            // on a phone, only how many (style/main.css).
                            let last = names.len().saturating_sub(1);
                            let names = names
                                .into_iter()
                                .enumerate()
                                .map(|(i, name)| view! {
                                    <span class="witness">{name}</span>
                                    {(i < last).then_some(", ")}
                                })
                                .collect_view();
                            (n > 0).then(|| view! {
                                " · "
                                <span data-testid="live-witnesses" data-count=n.to_string()>
                                    <span class="witness-names">
                                        {tr(Msg::WitnessedNow)}
                                        " "
                                        <bdi dir="ltr">{names}</bdi>
                                    </span>
                                    <span class="witness-count">{text(move |lang| lang.witnessed_by(n))}</span>
                                </span>
                            })
                        }}
                        {move || status.with(|s| s.unreachable).then(|| view! {
                            " · " <span data-testid="live-unreachable">{tr(Msg::LiveUnreachable)}</span>
                        })}
                    </p>
                    {move || status.with(|s| s.change.clone()).map(|change| view! { <ChangeSummary change/> })}
                </div>
                {move || status.with(|s| s.refused.clone()).map(|refusal| view! { <RefusalNotice refusal/> })}
            </section>
        </Show>
    }
}

/// At most this many stations, and councils, are named in a change; the
/// counts say how many there are. From the setup to the first results every
/// council's members change: a country's list would not help a reader.
const LISTED: usize = 50;

/// What changed from one release to the next, with links to the councils.
#[component]
pub fn ChangeSummary(change: Arc<ReleaseDiff>) -> impl IntoView {
    let links = expect_context::<Links>();
    let places = expect_context::<PlacesSignal>();
    let lang = use_lang();
    let (from, to) = (change.from, change.to);
    let added = change.stations_added.len() as u64;
    let corrected = change.stations_corrected.len() as u64;
    let withdrawn = change.stations_withdrawn.len() as u64;
    let contest_link = {
        let links = links.clone();
        move |id: String| {
            let href = links.href(&format!("/c/{id}"));
            let name_id = id.clone();
            let name = move |lang: Lang| {
                places
                    .get()
                    .and_then(|p| {
                        let (pi, ci) = p.contest_index(&name_id)?;
                        Some(lang.name(&p.contest(pi, ci)?.contest.name))
                    })
                    .unwrap_or_else(|| name_id.clone())
            };
            // A closure, not `text`'s stored signal: on /history a new
            // release disposes this view's owner while the view is still
            // shown (the new one is drawn after an await), and the names
            // follow the current release, which the new release changes.
            view! { <a href=href data-contest=id>{move || name(lang.get())}</a> }
        }
    };
    let stations = change
        .stations_corrected
        .iter()
        .take(LISTED)
        .map(|s| {
            let link = contest_link.clone();
            let station = s.station.to_string();
            let (before, after) = (s.before.as_ref().map(|r| r.ballots_cast), s.after.as_ref().map(|r| r.ballots_cast));
            view! {
                <li data-station=station.clone()>
                    <code dir="ltr">{station.clone()}</code>
                    " ("
                    {link(s.contest.to_string())}
                    ") "
                    <span data-before=before.map(|n| n.to_string()) data-after=after.map(|n| n.to_string())>
                        {text(move |lang| lang.cast_before_after(before, after))}
                    </span>
                </li>
            }
        })
        .collect_view();
    let winners = change
        .winners_changed()
        .take(LISTED)
        .map(|c| {
            let link = contest_link.clone();
            view! { <li data-contest=c.contest.to_string()>{link(c.contest.to_string())}</li> }
        })
        .collect_view();
    let winners_changed = change.winners_changed().count();
    let more = |n: usize| {
        (n > LISTED).then(|| view! { <p class="more-items">{text(move |lang| lang.more_items(n - LISTED))}</p> })
    };
    view! {
        <div class="live-change" data-testid="live-change" data-from=from.to_string() data-to=to.to_string()>
            <p>
                <strong>{text(move |lang| lang.moved_to_release(from, to))}</strong>
                " "
                <span
                    data-testid="change-counts"
                    data-added=added.to_string()
                    data-corrected=corrected.to_string()
                    data-withdrawn=withdrawn.to_string()
                >
                    {text(move |lang| lang.station_changes(added, corrected, withdrawn))}
                </span>
            </p>
            {(corrected > 0).then(|| view! {
                <p>{tr(Msg::StationsCorrected)}</p>
                <ul data-testid="stations-corrected">{stations}</ul>
                {more(corrected as usize)}
            })}
            {(winners_changed > 0).then(|| view! {
                <p>{tr(Msg::WinnersChanged)}</p>
                <ul data-testid="winners-changed">{winners}</ul>
                {more(winners_changed)}
            })}
        </div>
    }
}

/// A newer offer that was refused: what kind of problem, the verifier's words, and that the page kept what it showed.
#[component]
fn RefusalNotice(refusal: Refusal) -> impl IntoView {
    let code = refusal.findings.first().map(|f| f.code()).unwrap_or("refused");
    let version = refusal.version;
    let items = refusal
        .findings
        .into_iter()
        .take(5)
        .map(|f| {
            let detail = f.to_string();
            let for_title = f.clone();
            view! {
                <li data-code=f.code()>
                    <strong>{text(move |lang| lang.finding_title(&for_title))}</strong>
                    ": "
                    <span lang="en" dir="ltr">{detail}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="live-refused" role="alert" data-testid="live-refused" data-code=code data-version=version.to_string()>
            <p>
                <span aria-hidden="true">"⚠ "</span>
                <strong>{text(move |lang| lang.refused_release(version))}</strong>
                " "
                {tr(Msg::LiveRefusedExplained)}
            </p>
            <ul>{items}</ul>
        </div>
    }
}
