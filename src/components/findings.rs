//! The list of what verification found: for each finding, what kind of
//! problem it is in plain words, the file, the contest it concerns, and the
//! verifier's exact message (file, key, expected and found values).

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::model::Name;
use shafaf_core::{Finding, Severity};

use crate::i18n::{text, tr, Msg};
use crate::load::{Links, LoadError};
use crate::state::{Place, Places};

/// Contest id → name and address, for labelling and linking findings of a verified election.
pub type ContestNames = Arc<HashMap<String, (Name, String)>>;

/// The names and addresses of the contests `findings` concern.
pub fn contest_names(places: &Places, links: &Links, findings: &[Finding]) -> ContestNames {
    let names = findings
        .iter()
        .filter_map(|f| f.contest())
        .filter_map(|id| {
            let (p, c) = places.contest_index(id)?;
            let name = places.contest(p, c)?.contest.name.clone();
            Some((id.to_owned(), (name, links.href(&places.path(Place::Contest(p, c))))))
        })
        .collect();
    Arc::new(names)
}

/// Thousands of findings would freeze the page; the CLI lists them all.
const SHOWN: usize = 200;

#[component]
pub fn FindingsList(
    findings: Vec<Finding>,
    #[prop(optional)] contests: Option<ContestNames>,
    /// The heading, when the list is not the page's only findings.
    #[prop(optional)]
    heading: Option<Msg>,
) -> impl IntoView {
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
            <h2 id="findings-heading">{text(move |lang| lang.t(heading.unwrap_or(Msg::FindingsHeading)))}</h2>
            <ol>{items}</ol>
            {(hidden > 0).then(|| view! { <p>{text(move |lang| lang.more_findings(hidden))}</p> })}
        </section>
    }
}

#[component]
fn FindingItem(finding: Finding, contest: Option<(String, Option<(Name, String)>)>) -> impl IntoView {
    let integrity = finding.severity() == Severity::Integrity;
    let file = finding.file().to_owned();
    let file_attr = file.clone();
    let detail = finding.to_string();
    let contest = contest.map(|(id, known)| {
        // A contest of the verified election links to its page.
        let label = match known {
            Some((name, href)) => view! {
                <a href=href data-testid="finding-contest-link">{text(move |lang| lang.name(&name))}</a>
                " "
            }
            .into_any(),
            None => ().into_any(),
        };
        view! {
            <div>
                <dt>{tr(Msg::FindingContest)}</dt>
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
                {text(move |lang| lang.finding_title(&finding_for_title))}
            </p>
            <dl>
                <div>
                    <dt>{tr(Msg::FindingFile)}</dt>
                    <dd><code dir="ltr">{file}</code></dd>
                </div>
                {contest}
                <div>
                    <dt>{tr(Msg::FindingDetail)}</dt>
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
    let url = error.url().to_owned();
    let url_attr = url.clone();
    let detail = error.detail().map(str::to_owned);
    view! {
        <section class="findings" data-testid="findings" aria-labelledby="findings-heading">
            <h2 id="findings-heading">{tr(Msg::FindingsHeading)}</h2>
            <ol>
                <li class="finding finding-integrity" data-code="unavailable" data-file=url_attr>
                    <p class="finding-title">
                        <span aria-hidden="true">"✗ "</span>
                        {text(move |lang| lang.load_error(&error))}
                    </p>
                    <dl>
                        <div>
                            <dt>{tr(Msg::FindingFile)}</dt>
                            <dd><code dir="ltr">{url}</code></dd>
                        </div>
                        {detail.map(|detail| view! {
                            <div>
                                <dt>{tr(Msg::FindingDetail)}</dt>
                                <dd lang="en" dir="ltr" class="finding-detail">{detail}</dd>
                            </div>
                        })}
                    </dl>
                </li>
            </ol>
        </section>
    }
}
