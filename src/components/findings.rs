//! The list of what verification found: for each finding, what kind of
//! problem it is in plain words, the file, the contest it concerns, and the
//! verifier's exact message (file, key, expected and found values).

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::model::Name;
use shafaf_core::{Finding, Severity};

use crate::i18n::{use_lang, Msg};
use crate::load::LoadError;

/// Contest id → name, for labelling findings of a verified election.
pub type ContestNames = Arc<HashMap<String, Name>>;

/// Thousands of findings would freeze the page; the CLI lists them all.
const SHOWN: usize = 200;

#[component]
pub fn FindingsList(findings: Vec<Finding>, #[prop(optional)] contests: Option<ContestNames>) -> impl IntoView {
    let lang = use_lang();
    let hidden = findings.len().saturating_sub(SHOWN);
    let items = findings
        .into_iter()
        .take(SHOWN)
        .map(|finding| {
            let contest = finding.contest().map(|id| {
                let name = contests.as_ref().and_then(|c| c.get(id)).cloned();
                (id.to_owned(), name)
            });
            view! { <FindingItem finding contest/> }
        })
        .collect_view();
    view! {
        <section class="findings" data-testid="findings" aria-labelledby="findings-heading">
            <h2 id="findings-heading">{move || lang.get().t(Msg::FindingsHeading)}</h2>
            <ol>{items}</ol>
            {(hidden > 0).then(|| view! { <p>{move || lang.get().more_findings(hidden)}</p> })}
        </section>
    }
}

#[component]
fn FindingItem(finding: Finding, contest: Option<(String, Option<Name>)>) -> impl IntoView {
    let lang = use_lang();
    let integrity = finding.severity() == Severity::Integrity;
    let file = finding.file().to_owned();
    let file_attr = file.clone();
    let detail = finding.to_string();
    let contest = contest.map(|(id, name)| {
        let label = move || match &name {
            Some(name) => format!("{} ", lang.get().name(name)),
            None => String::new(),
        };
        view! {
            <div>
                <dt>{move || lang.get().t(Msg::FindingContest)}</dt>
                <dd data-contest=id.clone()>{label} <code dir="ltr">{id.clone()}</code></dd>
            </div>
        }
    });
    let finding_for_title = finding.clone();
    view! {
        <li
            class=if integrity { "finding finding-integrity" } else { "finding finding-discrepancy" }
            data-code=finding.code()
            data-file=file_attr
        >
            <p class="finding-title">
                <span aria-hidden="true">{if integrity { "✗ " } else { "! " }}</span>
                {move || lang.get().finding_title(&finding_for_title)}
            </p>
            <dl>
                <div>
                    <dt>{move || lang.get().t(Msg::FindingFile)}</dt>
                    <dd><code dir="ltr">{file}</code></dd>
                </div>
                {contest}
                <div>
                    <dt>{move || lang.get().t(Msg::FindingDetail)}</dt>
                    // The verifier's message is English and names ids and hashes: keep it left to right.
                    <dd lang="en" dir="ltr" class="finding-detail">{detail}</dd>
                </div>
            </dl>
        </li>
    }
}

/// A publication that could not be fetched, in the same shape as findings.
#[component]
pub fn LoadErrorList(error: LoadError) -> impl IntoView {
    let lang = use_lang();
    let url = error.url().to_owned();
    let url_attr = url.clone();
    let detail = match &error {
        LoadError::Network { detail, .. } | LoadError::BadConfig { detail, .. } => Some(detail.clone()),
        LoadError::Status { .. } | LoadError::BadPublicationUrl { .. } => None,
    };
    view! {
        <section class="findings" data-testid="findings" aria-labelledby="findings-heading">
            <h2 id="findings-heading">{move || lang.get().t(Msg::FindingsHeading)}</h2>
            <ol>
                <li class="finding finding-integrity" data-code="unavailable" data-file=url_attr>
                    <p class="finding-title">
                        <span aria-hidden="true">"✗ "</span>
                        {move || lang.get().load_error(&error)}
                    </p>
                    <dl>
                        <div>
                            <dt>{move || lang.get().t(Msg::FindingFile)}</dt>
                            <dd><code dir="ltr">{url}</code></dd>
                        </div>
                        {detail.map(|detail| view! {
                            <div>
                                <dt>{move || lang.get().t(Msg::FindingDetail)}</dt>
                                <dd lang="en" dir="ltr" class="finding-detail">{detail}</dd>
                            </div>
                        })}
                    </dl>
                </li>
            </ol>
        </section>
    }
}
