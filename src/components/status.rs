//! The verification status: a word and an icon (never colour alone), what it
//! means, and — once something verified — what was checked.

use leptos::prelude::*;
use shafaf_core::verify::{Audit, Status};

use crate::i18n::{text, tr, Msg};
use crate::load::Links;

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

/// The status block, on every view: the word, what it means, and for a
/// verified election the two counts that matter (signatures, recount). The
/// details are on the verification panel it links to. `audit` is given only
/// for a verified election: a publication that failed shows no figures.
#[component]
pub fn StatusBlock(status: ViewStatus, #[prop(optional)] audit: Option<Audit>) -> impl IntoView {
    let links = expect_context::<Links>();
    let busy = (status == ViewStatus::Loading).then_some("true");
    let details = (status != ViewStatus::Loading).then(|| {
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
            aria-labelledby="status-heading"
            aria-busy=busy
        >
            <h2 id="status-heading" class="visually-hidden">{tr(Msg::StatusHeading)}</h2>
            <p class="status-title" role="status">
                <span class="status-icon" aria-hidden="true">{status.icon()}</span>
                " "
                <strong>{text(move |lang| lang.t(status.title()))}</strong>
            </p>
            {status.explanation().map(|msg| view! { <p class="status-explained">{tr(msg)}</p> })}
            {audit.map(|audit| view! { <AuditChecks audit/> })}
            {details}
        </section>
    }
}

/// What was checked, in two lines: signatures and recount.
#[component]
fn AuditChecks(audit: Audit) -> impl IntoView {
    let signatures = audit.station_signatures_verified;
    let (recounted, matching) = (audit.contests_recounted, audit.contests_matching);
    view! {
        <ul class="checks">
            <li data-testid="signatures-verified" data-value=signatures.to_string()>
                <span aria-hidden="true">"✓ "</span>
                {text(move |lang| lang.signatures_verified(signatures))}
            </li>
            <li data-testid="contests-recounted" data-value=recounted.to_string() data-matching=matching.to_string()>
                <span aria-hidden="true">{if matching == recounted { "✓ " } else { "! " }}</span>
                {text(move |lang| lang.contests_recounted(recounted, matching))}
            </li>
        </ul>
    }
}
