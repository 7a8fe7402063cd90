//! The verification status: a word and an icon (never colour alone), the
//! level the release has reached and how far its audit has got, in one
//! compact line that opens into what it means and what was checked.
//! Tests and monitors read `data-status` (the verdict so far) and
//! `data-audit` (`signed` until every station of the release is verified
//! and recounted, then `complete`).

use leptos::prelude::*;
use shafaf_core::verify::Status;

use crate::i18n::{text, tr, use_lang, Msg};
use crate::load::Links;
use crate::state::{AuditPhase, AuditState, PlacesSignal, Release};

/// The status the page is in. Tests read it from `data-status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewStatus {
    Loading,
    Verified,
    VerifiedWithFindings,
    Failed,
    Expired,
}

impl ViewStatus {
    /// The status the verdict says, word for word.
    pub fn of(status: Status) -> ViewStatus {
        match status {
            Status::Verified => ViewStatus::Verified,
            Status::VerifiedWithFindings => ViewStatus::VerifiedWithFindings,
            Status::Failed => ViewStatus::Failed,
            Status::Expired => ViewStatus::Expired,
        }
    }

    /// The status of a publication that did not verify.
    pub fn of_failure(status: Status) -> ViewStatus {
        match status {
            Status::Expired => ViewStatus::Expired,
            _ => ViewStatus::Failed,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ViewStatus::Loading => "loading",
            ViewStatus::Verified => "verified",
            ViewStatus::VerifiedWithFindings => "verified_with_findings",
            ViewStatus::Failed => "failed",
            ViewStatus::Expired => "expired",
        }
    }

    pub fn icon(self) -> &'static str {
        match self {
            ViewStatus::Loading => "…",
            ViewStatus::Verified => "✓",
            ViewStatus::VerifiedWithFindings => "!",
            ViewStatus::Failed => "✗",
            ViewStatus::Expired => "⏱",
        }
    }

    pub fn title(self) -> Msg {
        match self {
            ViewStatus::Loading => Msg::Loading,
            ViewStatus::Verified => Msg::Verified,
            ViewStatus::VerifiedWithFindings => Msg::VerifiedWithFindings,
            ViewStatus::Failed => Msg::Failed,
            ViewStatus::Expired => Msg::Expired,
        }
    }

    fn explanation(self) -> Option<Msg> {
        match self {
            ViewStatus::Loading => None,
            ViewStatus::Verified => Some(Msg::VerifiedExplained),
            ViewStatus::VerifiedWithFindings => Some(Msg::VerifiedWithFindingsExplained),
            ViewStatus::Failed => Some(Msg::FailedExplained),
            ViewStatus::Expired => Some(Msg::ExpiredExplained),
        }
    }
}

/// The status block of a view without a verified release: loading, or why
/// nothing is shown. Its verdict is final (`data-audit="complete"`) once
/// loading ended.
#[component]
pub fn StatusBlock(status: ViewStatus) -> impl IntoView {
    let links = expect_context::<Links>();
    let loading = status == ViewStatus::Loading;
    let details = (!loading).then(|| {
        view! {
            <p class="status-more">
                <a href=links.href("/verify") data-testid="status-details">
                    {tr(Msg::WhatWasChecked)}
                </a>
            </p>
        }
    });
    view! {
        <section
            class=format!("status status-{}", status.as_str())
            data-testid="status"
            data-status=status.as_str()
            data-audit=(!loading).then_some("complete")
            aria-labelledby="status-heading"
            aria-busy=loading.then_some("true")
        >
            <h2 id="status-heading" class="visually-hidden">{tr(Msg::StatusHeading)}</h2>
            <p class="status-title" role="status">
                <span class="status-icon" aria-hidden="true">{status.icon()}</span>
                " "
                <strong>{text(move |lang| lang.t(status.title()))}</strong>
            </p>
            {status.explanation().map(|msg| view! { <p class="status-explained">{tr(msg)}</p> })}
            {details}
        </section>
    }
}

/// The status of a release shown: the verdict so far and its level, in one
/// line; opened, what it means, the audit's progress and what was checked.
#[component]
pub fn AuditStatus(release: Release) -> impl IntoView {
    let links = expect_context::<Links>();
    let audit = release.audit;
    let status = Memo::new(move |_| audit.with(|a| ViewStatus::of(a.status())));
    let phase = Memo::new(move |_| audit.with(|a| a.phase));
    let audit_attr = move || if phase.get() == AuditPhase::Complete { "complete" } else { "signed" };
    let line = move |lang: crate::i18n::Lang| audit.with(|a| lang.audit_line(a));
    let explanation = move || {
        let msg = match (status.get(), phase.get()) {
            (ViewStatus::Verified, p) if p != AuditPhase::Complete => Some(Msg::SignedExplained),
            (s, _) => s.explanation(),
        };
        msg.map(|msg| view! { <p class="status-explained">{tr(msg)}</p> })
    };
    // The setup release carries no results yet: say so where the figures would be.
    let setup = audit.with_untracked(|a| a.audited().signed().is_setup()).then(|| {
        view! { <p class="status-setup" data-testid="setup-phase">{tr(Msg::SetupPhase)}</p> }
    });
    let waiting = move || {
        (phase.get() == AuditPhase::Waiting).then(|| {
            let bytes = audit.with_untracked(|a| a.bytes_total);
            view! {
                <button type="button" class="audit-start" data-testid="audit-start" on:click=move |_| crate::audit::begin(release)>
                    {text(move |lang| lang.verify_every_station(bytes))}
                </button>
            }
        })
    };
    view! {
        <section
            class=move || format!("status status-{}", status.get().as_str())
            data-testid="status"
            data-status=move || status.get().as_str()
            data-audit=audit_attr
            aria-labelledby="status-heading"
        >
            <h2 id="status-heading" class="visually-hidden">{tr(Msg::StatusHeading)}</h2>
            <details class="status-details">
                <summary>
                    <span class="status-title" role="status">
                        <span class="status-icon" aria-hidden="true">{move || status.get().icon()}</span>
                        " "
                        <strong>{text(move |lang| lang.t(status.get().title()))}</strong>
                    </span>
                    " "
                    <span class="status-line" data-testid="audit-line">{text(line)}</span>
                </summary>
                {explanation}
                <p class="status-explained">{tr(Msg::LevelsExplained)}</p>
                <AuditProgress audit/>
                // What was checked, for a release that did not fail: a failed one shows no count of it.
                {move || matches!(status.get(), ViewStatus::Verified | ViewStatus::VerifiedWithFindings)
                    .then(|| view! { <AuditChecks audit/> })}
                <p class="status-more">
                    <a href=links.href("/verify") data-testid="status-details">{tr(Msg::WhatWasChecked)}</a>
                </p>
            </details>
            {setup}
            {waiting}
        </section>
    }
}

/// How far the audit has got: provinces, stations, bytes.
#[component]
fn AuditProgress(audit: RwSignal<AuditState>) -> impl IntoView {
    let done = move || audit.with(|a| a.provinces_done);
    view! {
        <div class="audit-progress" data-testid="audit-progress"
            data-provinces-done=move || done().to_string()
            data-provinces=move || audit.with(|a| a.provinces_total).to_string()
            data-stations=move || audit.with(|a| a.stations_verified).to_string()
            data-bytes=move || audit.with(|a| a.bytes_done).to_string()
            data-unavailable=move || audit.with(|a| a.unavailable.len()).to_string()
        >
            <progress
                max=move || audit.with(|a| a.provinces_total.max(1)).to_string()
                value=move || done().to_string()
                aria-label=tr(Msg::AuditProgress)
            ></progress>
            <p>{text(move |lang| audit.with(|a| lang.audit_progress(a)))}</p>
            <Unavailable audit/>
        </div>
    }
}

/// What the audit could not download or read, each with its province (if
/// any), its address and why: the verdict waits for them.
#[component]
fn Unavailable(audit: RwSignal<AuditState>) -> impl IntoView {
    let lang = use_lang();
    let places = use_context::<PlacesSignal>();
    let unavailable = Memo::new(move |_| audit.with(|a| a.unavailable.clone()));
    move || {
        let items = unavailable.get();
        (!items.is_empty()).then(|| {
            let lang = lang.get();
            let places = places.and_then(|p| p.get_untracked());
            let items = items
                .into_iter()
                .map(|(code, error)| {
                    let place = places
                        .as_ref()
                        .and_then(|p| p.province_index(&code).map(|i| lang.name(&p.province(i).name)))
                        .map(|name| format!("{name}: "));
                    let detail = error.detail().map(str::to_owned);
                    view! {
                        <li data-province=code data-file=error.url().to_owned()>
                            {place}
                            {lang.load_error(&error)}
                            {detail.map(|detail| view! { " " <span lang="en" dir="ltr">"(" {detail} ")"</span> })}
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="audit-unavailable" data-testid="audit-unavailable">{items}</ul> }
        })
    }
}

/// What was checked so far, in two lines: signatures and recount.
#[component]
fn AuditChecks(audit: RwSignal<AuditState>) -> impl IntoView {
    // Worked out again as each province's audit ends, not on each progress report.
    let done = Memo::new(move |_| audit.with(|a| a.provinces_done));
    let checks = Memo::new(move |_| {
        // Reading the memo (not only tracking it) makes it compute.
        done.get();
        audit.with_untracked(|a| {
            let audit = a.audited().audit();
            (audit.station_signatures_verified, audit.contests_recounted, audit.contests_matching)
        })
    });
    let signatures = move || checks.get().0;
    let recounted = move || checks.get().1;
    let matching = move || checks.get().2;
    view! {
        <ul class="checks">
            <li data-testid="signatures-verified" data-value=move || signatures().to_string()>
                <span aria-hidden="true">"✓ "</span>
                {text(move |lang| lang.signatures_verified(signatures()))}
            </li>
            <li
                data-testid="contests-recounted"
                data-value=move || recounted().to_string()
                data-matching=move || matching().to_string()
            >
                <span aria-hidden="true">{move || if matching() == recounted() { "✓ " } else { "! " }}</span>
                {text(move |lang| lang.contests_recounted(recounted(), matching()))}
            </li>
        </ul>
    }
}
