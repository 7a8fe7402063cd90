//! The verification status: a word and an icon (never colour alone), what it
//! means, and — once something verified — what was checked.

use leptos::prelude::*;
use shafaf_core::verify::{Audit, Status};

use crate::i18n::{use_lang, Msg};

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
    /// The status of a verified election.
    pub fn of_verified(status: Status) -> ViewStatus {
        match status {
            Status::Verified => ViewStatus::Verified,
            // A VerifiedElection holds discrepancies only; anything else is still a finding.
            _ => ViewStatus::VerifiedWithFindings,
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

    fn icon(self) -> &'static str {
        match self {
            ViewStatus::Loading => "…",
            ViewStatus::Verified => "✓",
            ViewStatus::VerifiedWithFindings => "!",
            ViewStatus::Failed => "✗",
            ViewStatus::Expired => "⏱",
        }
    }

    fn title(self) -> Msg {
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

/// The status block. `audit` is given only for a verified election: a
/// publication that failed shows no figures, not even what was counted.
#[component]
pub fn StatusBlock(status: ViewStatus, #[prop(optional)] audit: Option<Audit>) -> impl IntoView {
    let lang = use_lang();
    let busy = (status == ViewStatus::Loading).then_some("true");
    view! {
        <section
            class=format!("status status-{}", status.as_str())
            data-testid="status"
            data-status=status.as_str()
            aria-labelledby="status-heading"
            aria-busy=busy
        >
            <h2 id="status-heading" class="visually-hidden">{move || lang.get().t(Msg::StatusHeading)}</h2>
            <p class="status-title" role="status">
                <span class="status-icon" aria-hidden="true">{status.icon()}</span>
                " "
                <strong>{move || lang.get().t(status.title())}</strong>
            </p>
            {status.explanation().map(|msg| view! { <p class="status-explained">{move || lang.get().t(msg)}</p> })}
            {audit.map(|audit| view! { <AuditDetails audit/> })}
        </section>
    }
}

/// What was checked: release, dates, trust root, signatures, recount.
#[component]
fn AuditDetails(audit: Audit) -> impl IntoView {
    let lang = use_lang();
    let release = audit.release.clone().map(|release| {
        view! {
            <div>
                <dt>{move || lang.get().t(Msg::ReleaseVersion)}</dt>
                <dd data-value=release.version.to_string()>{move || lang.get().number(release.version)}</dd>
            </div>
            <div>
                <dt>{move || lang.get().t(Msg::Issued)}</dt>
                <dd>{move || lang.get().date_time(release.issued)}</dd>
            </div>
            <div>
                <dt>{move || lang.get().t(Msg::Expires)}</dt>
                <dd>{move || lang.get().date_time(release.expires)}</dd>
            </div>
        }
    });
    let root = audit.root.clone().map(|root| {
        let full = root.sha256.to_hex();
        let short = full.chars().take(16).collect::<String>();
        view! {
            <div>
                <dt>{move || lang.get().t(Msg::RootFingerprint)}</dt>
                <dd>
                    <code dir="ltr" data-testid="root-fingerprint">{format!("{short}…")}</code>
                    <details>
                        <summary>{move || lang.get().t(Msg::FullFingerprint)}</summary>
                        <code dir="ltr" class="fingerprint">{full}</code>
                    </details>
                </dd>
            </div>
        }
    });
    let signatures = audit.station_signatures_verified;
    let (recounted, matching) = (audit.contests_recounted, audit.contests_matching);
    view! {
        <dl class="audit">{release} {root}</dl>
        <ul class="checks">
            <li data-testid="signatures-verified" data-value=signatures.to_string()>
                <span aria-hidden="true">"✓ "</span>
                {move || lang.get().signatures_verified(signatures)}
            </li>
            <li data-testid="contests-recounted" data-value=recounted.to_string() data-matching=matching.to_string()>
                <span aria-hidden="true">{if matching == recounted { "✓ " } else { "! " }}</span>
                {move || lang.get().contests_recounted(recounted, matching)}
            </li>
        </ul>
    }
}
