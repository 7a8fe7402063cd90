//! The verification panel (`/verify`), for observers: what "verified" proves
//! and what it does not, the trust root and its keys, the thresholds, the
//! release, every file with its hash, every station signature, the recount
//! of every council against the published totals, and every finding.
//!
//! It is reachable whatever the outcome: when verification failed it shows
//! what was checked up to the failure and the findings, and no result.

use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::model::{FileKind, Role};
use shafaf_core::verify::log::{LogAudit, PointerAudit};
use shafaf_core::verify::{Audit, ReleaseAudit, RootAudit, SetupAudit};
use shafaf_core::Finding;

use crate::components::findings::contest_names;
use crate::components::{escape_text, Column, DataTable, Direction, FindingsList, LoadErrorList, SortKey};
use crate::csv;
use crate::i18n::{text, tr, use_lang, Msg};
use crate::load::Links;
use crate::pages::set_title;
use crate::pages::summary::recount_word;
use crate::state::{ConfigSignal, Loaded};
use crate::state::{Place, Places};

#[component]
pub fn VerifyPage() -> impl IntoView {
    set_title(move |lang| lang.t(Msg::VerificationPanel).to_owned());
    let loaded = expect_context::<Loaded>();
    let body = match loaded {
        Loaded::Ready(release) => {
            let links = expect_context::<Links>();
            // Drawn again as each province's audit ends.
            let done = Memo::new(move |_| release.audit.with(|a| (a.provinces_done, a.phase)));
            (move || {
                done.with(|_| ());
                let places = release.places.get_untracked();
                let (audit, verdict) = release.audit.with_untracked(|a| (a.audited().audit(), (**a.verdict()).clone()));
                let contests = contest_names(&places, &links, &verdict.findings);
                let failed = verdict.complete && verdict.status == shafaf_core::verify::Status::Failed;
                let not_checked = failed.then(|| view! { <NotChecked audit=audit.clone()/> });
                view! {
                    <AuditView audit/>
                    {not_checked}
                    <StationSignatures places=places.clone()/>
                    <Recount places=places.clone()/>
                    <AllFindings findings=verdict.findings contests=Some(contests)/>
                }
            })
            .into_any()
        }
        Loaded::Rejected(failure) => view! {
            <AuditView audit=(*failure.audit).clone()/>
            <NotChecked audit=(*failure.audit).clone()/>
            <AllFindings findings=failure.findings.clone() contests=None/>
        }
        .into_any(),
        Loaded::Unavailable(error) => view! { <LoadErrorList error/> }.into_any(),
    };
    view! {
        <div class="panel" data-testid="verify-panel">
            <h1 class="page-title">{tr(Msg::VerificationPanel)}</h1>
            <Proves/>
            <SourceDetails/>
            {body}
        </div>
    }
}

/// What "verified" proves, and what it does not, in plain words.
#[component]
fn Proves() -> impl IntoView {
    view! {
        <section class="proves" aria-labelledby="proves-heading" data-testid="proves">
            <h2 id="proves-heading">{tr(Msg::WhatVerifiedMeans)}</h2>
            <p>
                <span aria-hidden="true">"✓ "</span>
                <strong>{tr(Msg::ProvesHeading)}</strong>
                " "
                {tr(Msg::Proves)}
            </p>
            <p>
                <span aria-hidden="true">"✗ "</span>
                <strong>{tr(Msg::DoesNotProveHeading)}</strong>
                " "
                {tr(Msg::DoesNotProve)}
            </p>
        </section>
    }
}

/// Which publication was checked, against which pinned root.
#[component]
fn SourceDetails() -> impl IntoView {
    let links = expect_context::<Links>();
    let config = expect_context::<ConfigSignal>();
    let details = move || {
        config.get().map(|config| {
            let kind = Msg::chosen_by(config.kind);
            let pin = config.source.root_sha256.to_hex();
            view! {
                <dl class="facts">
                    <div>
                        <dt>{tr(Msg::PublicationUrl)}</dt>
                        <dd><code data-testid="publication-url">{config.source.publication.clone()}</code></dd>
                    </div>
                    <div>
                        <dt>{tr(Msg::ChosenBy)}</dt>
                        <dd>{tr(kind)}</dd>
                    </div>
                    <div>
                        <dt>{tr(Msg::PinnedRoot)}</dt>
                        <dd><code class="hash" data-testid="pinned-root">{pin}</code></dd>
                    </div>
                </dl>
            }
        })
    };
    view! {
        <section aria-labelledby="source-heading">
            <h2 id="source-heading">{tr(Msg::Publication)}</h2>
            {details}
            <p>
                <a href=links.href("/source")>{tr(Msg::ChangeSource)}</a>
            </p>
        </section>
    }
}

/// The trust root, its keys and thresholds, the release, and the files.
#[component]
fn AuditView(audit: Audit) -> impl IntoView {
    let root = audit.root.clone();
    let release = audit.release.clone();
    let files = (!audit.files.is_empty()).then(|| view! { <Files audit=audit.clone()/> });
    let log = audit.log.clone().map(|log| view! { <LogView log pointer=audit.pointer.clone()/> });
    let setup = audit.setup.clone().map(|setup| view! { <SetupView setup/> });
    view! {
        {root.map(|root| view! { <Root root release=release.clone()/> })}
        {release.map(|release| view! { <Release release/> })}
        {setup}
        {log}
        {files}
    }
}

/// When the station registry and the candidates were committed (release 1,
/// the setup), who witnessed it and when, against the polls' opening.
#[component]
fn SetupView(setup: SetupAudit) -> impl IntoView {
    let (issued, polls_open) = (setup.issued, setup.polls_open);
    let (before, threshold) = (setup.witnessed_before_polls, setup.witness_threshold);
    let witnesses = setup
        .witnesses
        .iter()
        .map(|w| {
            let when = w.timestamp;
            let early = when.is_some_and(|t| t <= polls_open);
            view! {
                <tr data-testid="setup-witness" data-before-polls=early.to_string()>
                    <td><code dir="ltr">{w.name.clone()}</code></td>
                    <td><code dir="ltr">{w.key.to_string()}</code></td>
                    <td data-testid="setup-cosigned-at" data-value=when.map(|t| t.unix_timestamp().to_string())>
                        {when.map(|t| text(move |lang| lang.date_time(t)))}
                    </td>
                    <td>{tr(yes_no(early))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="setup" data-testid="setup-audit" aria-labelledby="setup-heading">
            <h2 id="setup-heading">{tr(Msg::SetupHeading)}</h2>
            <p>{tr(Msg::SetupExplained)}</p>
            <dl>
                <div>
                    <dt>{tr(Msg::SetupCommitted)}</dt>
                    <dd data-testid="setup-issued" data-value=issued.unix_timestamp().to_string()>
                        {text(move |lang| lang.date_time(issued))}
                    </dd>
                </div>
                <div>
                    <dt>{tr(Msg::PollsOpen)}</dt>
                    <dd data-testid="polls-open" data-value=polls_open.unix_timestamp().to_string()>
                        {text(move |lang| lang.date_time(polls_open))}
                    </dd>
                </div>
                <div>
                    <dt>{tr(Msg::SetupWitnessedBefore)}</dt>
                    <dd data-testid="setup-witnessed" data-value=before.to_string() data-threshold=threshold.to_string()>
                        {text(move |lang| lang.of_required(u64::from(before), u64::from(threshold)))}
                    </dd>
                </div>
            </dl>
            <table class="data-table" data-testid="setup-witnesses">
                <thead>
                    <tr>
                        <th scope="col">{tr(Msg::SignedBy)}</th>
                        <th scope="col">{tr(Msg::KeyFingerprint)}</th>
                        <th scope="col">{tr(Msg::CosignedAt)}</th>
                        <th scope="col">{tr(Msg::BeforePollsOpened)}</th>
                    </tr>
                </thead>
                <tbody>{witnesses}</tbody>
            </table>
        </section>
    }
}

// Live updates and history

/// The release's place in the log: the checkpoint's size and root hash, who
/// signed and who witnessed it, and until when the pointer to it is valid.
#[component]
fn LogView(log: LogAudit, pointer: Option<PointerAudit>) -> impl IntoView {
    let lang = use_lang();
    let size = log.checkpoint.size;
    let now = crate::load::now();
    let signatures = log
        .checkpoint
        .signatures
        .iter()
        .map(|s| {
            let role = s.role;
            let when = s.timestamp;
            let valid = s.valid;
            view! {
                <tr data-role=role.to_string() data-valid=s.valid.to_string() data-testid="checkpoint-signer">
                    <td>{move || role_word(lang.get(), role)}</td>
                    <td><code dir="ltr">{s.name.clone()}</code></td>
                    <td><code dir="ltr">{s.key.to_string()}</code></td>
                    <td>{tr(yes_no(valid))}</td>
                    <td data-testid="cosigned-at">
                        {when.map(|t| text(move |lang| format!("{} ({})", lang.date_time(t), lang.ago(t, now))))}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let pointer = pointer.map(|p| {
        let (issued, expires) = (p.issued, p.expires);
        view! {
            <div>
                <dt>{tr(Msg::PointerIssued)}</dt>
                <dd>{text(move |lang| lang.date_time(issued))}</dd>
            </div>
            <div>
                <dt>{tr(Msg::PointerExpires)}</dt>
                <dd data-testid="pointer-expires" data-expires=expires.unix_timestamp().to_string()>
                    {text(move |lang| lang.date_time(expires))}
                </dd>
            </div>
        }
    });
    view! {
        <section class="log" data-testid="log-audit" aria-labelledby="log-heading">
            <h2 id="log-heading">{tr(Msg::LogHeading)}</h2>
            <dl>
                <div>
                    <dt>{tr(Msg::LogSize)}</dt>
                    <dd data-testid="log-size" data-value=size.to_string()>{text(move |lang| lang.number(size))}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::LogRootHash)}</dt>
                    <dd><code dir="ltr" class="hash">{log.checkpoint.root_hash.to_hex()}</code></dd>
                </div>
                {pointer}
            </dl>
            <table class="data-table" data-testid="checkpoint-signers">
                <thead>
                    <tr>
                        <th scope="col">{tr(Msg::Role)}</th>
                        <th scope="col">{tr(Msg::SignedBy)}</th>
                        <th scope="col">{tr(Msg::KeyFingerprint)}</th>
                        <th scope="col">{tr(Msg::FileVerified)}</th>
                        <th scope="col">{tr(Msg::CosignedAt)}</th>
                    </tr>
                </thead>
                <tbody>{signatures}</tbody>
            </table>
        </section>
    }
}

fn yes_no(value: bool) -> Msg {
    if value {
        Msg::Yes
    } else {
        Msg::No
    }
}

/// A role in words; roles this app does not know yet keep their name from the file.
fn role_word(lang: crate::i18n::Lang, role: Role) -> String {
    let msg = match role.to_string().as_str() {
        "root" => Msg::RoleRoot,
        "publisher" => Msg::RolePublisher,
        "witness" => Msg::RoleWitness,
        "timestamp" => Msg::RoleTimestamp,
        other => return other.to_owned(),
    };
    lang.t(msg).to_owned()
}

#[component]
fn Root(root: RootAudit, release: Option<ReleaseAudit>) -> impl IntoView {
    let lang = use_lang();
    // Which keys signed what: the root's keys the root file, the publishers' the release.
    let signed = |role: Role, key: &shafaf_core::KeyId| -> Option<bool> {
        let signatures = match role {
            Role::Root => &root.signatures,
            Role::Publisher => &release.as_ref()?.signatures,
            _ => return None,
        };
        signatures.iter().find(|s| s.key == *key).map(|s| s.valid)
    };
    let keys = root
        .roles
        .iter()
        .flat_map(|r| r.keys.iter().map(move |k| (r.role, *k)))
        .map(|(role, key)| {
            let state = signed(role, &key);
            let hex = key.to_hex();
            let attr = hex.clone();
            let word = move || match state {
                Some(true) => format!("✓ {}", lang.get().t(Msg::SignatureVerified)),
                Some(false) => format!("✗ {}", lang.get().t(Msg::SignatureInvalid)),
                None => format!("– {}", lang.get().t(Msg::DidNotSign)),
            };
            view! {
                <tr data-key-id=attr data-role=role.to_string() data-signed=state.map(|v| v.to_string())>
                    <td>{move || role_word(lang.get(), role)}</td>
                    <th scope="row"><code class="hash">{hex}</code></th>
                    <td>{word}</td>
                </tr>
            }
        })
        .collect_view();
    let thresholds = root
        .roles
        .iter()
        .map(|r| {
            let role = r.role;
            let threshold = r.threshold;
            let keys = r.keys.len();
            let valid = match role {
                Role::Root => Some(root.signatures.iter().filter(|s| s.valid).count() as u64),
                Role::Publisher => release.as_ref().map(|rel| rel.signatures.iter().filter(|s| s.valid).count() as u64),
                _ => None,
            };
            let met = valid.map(|v| v >= u64::from(threshold));
            let text = move || {
                let lang = lang.get();
                lang.threshold(&role_word(lang, role), valid, threshold, keys)
            };
            view! {
                <li data-role=role.to_string() data-threshold=threshold.to_string() data-met=met.map(|m| m.to_string())>
                    <span aria-hidden="true">
                        {match met {
                            Some(true) => "✓ ",
                            Some(false) => "✗ ",
                            None => "– ",
                        }}
                    </span>
                    {text}
                </li>
            }
        })
        .collect_view();
    let sha = root.sha256.to_hex();
    let (pinned, version, expires, election) = (root.pinned, root.version, root.expires, root.election.to_string());
    view! {
        <section aria-labelledby="root-heading" data-testid="trust-root">
            <h2 id="root-heading">{tr(Msg::TrustRoot)}</h2>
            <dl class="facts">
                <div>
                    <dt>{tr(Msg::RootFingerprint)}</dt>
                    <dd><code class="hash" data-testid="root-sha256">{sha}</code></dd>
                </div>
                <div>
                    <dt>{tr(Msg::Pinned)}</dt>
                    <dd data-testid="root-pinned" data-value=pinned.to_string()>
                        {text(move |lang| lang.t(yes_no(pinned)))}
                        {move || pinned.then(|| format!(" — {}", lang.get().t(Msg::PinnedExplained)))}
                    </dd>
                </div>
                <div>
                    <dt>{tr(Msg::ElectionId)}</dt>
                    <dd><code>{election}</code></dd>
                </div>
                <div>
                    <dt>{tr(Msg::RootVersion)}</dt>
                    <dd>{text(move |lang| lang.number(u64::from(version)))}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::Expires)}</dt>
                    <dd>{text(move |lang| lang.date_time(expires))}</dd>
                </div>
            </dl>
            <h3>{tr(Msg::Thresholds)}</h3>
            <ul class="checks" data-testid="thresholds">{thresholds}</ul>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="keys-caption">
                <table data-testid="keys-table">
                    <caption id="keys-caption">{tr(Msg::Keys)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(Msg::Role)}</th>
                            <th scope="col">{tr(Msg::KeyFingerprint)}</th>
                            <th scope="col">{tr(Msg::Signature)}</th>
                        </tr>
                    </thead>
                    <tbody>{keys}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Release(release: ReleaseAudit) -> impl IntoView {
    let sha = release.sha256.to_hex();
    let (version, issued, expires) = (release.version, release.issued, release.expires);
    view! {
        <section aria-labelledby="release-heading" data-testid="release">
            <h2 id="release-heading">{tr(Msg::Release)}</h2>
            <dl class="facts">
                <div>
                    <dt>{tr(Msg::ReleaseVersion)}</dt>
                    <dd data-testid="release-version" data-value=version.to_string()>
                        {text(move |lang| lang.number(version))}
                    </dd>
                </div>
                <div>
                    <dt>{tr(Msg::Issued)}</dt>
                    <dd data-testid="release-issued">{text(move |lang| lang.date_time(issued))}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::Expires)}</dt>
                    <dd data-testid="release-expires">{text(move |lang| lang.date_time(expires))}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::ReleaseFingerprint)}</dt>
                    <dd><code class="hash">{sha}</code></dd>
                </div>
            </dl>
        </section>
    }
}

/// What a file holds, in words; kinds this app does not know yet keep their name from the release.
fn kind_word(lang: crate::i18n::Lang, kind: FileKind) -> String {
    let msg = match kind.as_str() {
        "election" => Msg::FileElection,
        "geo-provinces" => Msg::FileGeoProvinces,
        "geo-counties" => Msg::FileGeoCounties,
        "contests" => Msg::FileContests,
        "stations" => Msg::FileStations,
        "results" => Msg::FileResults,
        other => return other.to_owned(),
    };
    lang.t(msg).to_owned()
}

#[component]
fn Files(audit: Audit) -> impl IntoView {
    let lang = use_lang();
    let verified = audit.files.iter().filter(|f| f.verified).count() as u64;
    let total = audit.files.len() as u64;
    let rows = audit
        .files
        .into_iter()
        .map(|file| {
            let ok = file.verified;
            let sha = file.sha256.to_hex();
            let sha_attr = sha.clone();
            let kind = file.kind;
            let size = file.size;
            view! {
                <tr data-path=file.path.clone() data-sha256=sha_attr data-verified=ok.to_string()>
                    <th scope="row"><code class="path">{file.path.clone()}</code></th>
                    <td>{move || kind_word(lang.get(), kind)}</td>
                    <td><code>{file.province.map(|p| p.to_string())}</code></td>
                    <td class="num" data-value=size.to_string()>{text(move |lang| lang.bytes_exact(size))}</td>
                    <td><code class="hash">{sha}</code></td>
                    <td>
                        {move || if ok {
                            format!("✓ {}", lang.get().t(Msg::FileVerified))
                        } else {
                            format!("✗ {}", lang.get().t(Msg::FileNotVerified))
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="files-heading">
            <h2 id="files-heading">{tr(Msg::Files)}</h2>
            <p data-testid="files-summary">{text(move |lang| lang.files_verified(verified, total))}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="files-caption">
                <table data-testid="files-table">
                    <caption id="files-caption">{tr(Msg::FilesCaption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(Msg::FilePath)}</th>
                            <th scope="col">{tr(Msg::FileKind)}</th>
                            <th scope="col">{tr(Msg::Province)}</th>
                            <th scope="col" class="num">{tr(Msg::FileSize)}</th>
                            <th scope="col">"SHA-256"</th>
                            <th scope="col">{tr(Msg::Status)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// What a failed verification did not reach.
#[component]
fn NotChecked(audit: Audit) -> impl IntoView {
    let stage = if audit.root.is_none() {
        Msg::NotCheckedRoot
    } else if audit.release.is_none() {
        Msg::NotCheckedRelease
    } else {
        Msg::NotCheckedData
    };
    view! { <p class="not-checked" data-testid="not-checked">{tr(stage)}</p> }
}

/// A station's verified signature, for the table of all stations of a province.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SignatureRow {
    station: String,
    council: shafaf_core::model::Name,
    href: String,
    device: String,
    reported: bool,
}

#[component]
fn StationSignatures(places: Arc<Places>) -> impl IntoView {
    let lang = use_lang();
    let links = expect_context::<Links>();
    let recounted: Vec<_> = places
        .provinces()
        .filter_map(|(p, described)| Some((p, described, places.area(p).data().filter(|d| d.recounted())?.clone())))
        .collect();
    if recounted.is_empty() {
        return ().into_any();
    }
    let registered = recounted.iter().map(|(_, _, d)| d.stations().len() as u64).sum::<u64>();
    let verified = recounted.iter().map(|(_, _, d)| d.signatures_verified()).sum::<u64>();
    let provinces = recounted
        .iter()
        .map(|(p, described, province)| {
            let p = *p;
            let rows: Vec<SignatureRow> = province
                .stations()
                .iter()
                .map(|s| {
                    let contest = province.contests().get(s.contest);
                    SignatureRow {
                        station: s.station.id.to_string(),
                        council: contest.map(|c| c.contest.name.clone()).unwrap_or_else(|| described.name.clone()),
                        href: links.href(&places.path(Place::Contest(p, s.contest))),
                        device: s.device.to_hex(),
                        reported: s.result.is_some(),
                    }
                })
                .collect();
            let name = described.name.clone();
            let caption = Signal::derive(move || lang.get().signatures_of(&name));
            let columns = vec![
                Column::station(|r: &SignatureRow| r.station.clone()),
                Column::name("council", Msg::Council, |r: &SignatureRow| r.council.clone(), |r| Some(r.href.clone()))
                    .unsorted(),
                Column::html(
                    "device_key",
                    Msg::DeviceKey,
                    |r: &SignatureRow, _| format!(r#"<td><code class="hash">{}</code></td>"#, escape_text(&r.device)),
                    |r| SortKey::Text(r.device.clone()),
                    |r| r.device.clone(),
                ),
                Column::signature(|r: &SignatureRow| r.reported),
            ];
            let file_name = csv::file_name(&["shafaf", places.election().id.as_str(), &described.code, "signatures"]);
            view! {
                <DataTable
                    testid="signature-table"
                    caption
                    rows=Arc::new(rows)
                    columns
                    row_key=|r: &SignatureRow| r.station.clone()
                    file_name
                    filter_text=|r: &SignatureRow| format!("{} {} {} {}", r.station, r.council.fa, r.council.en, r.device)
                    page_size=25
                    scope=described.code.to_string()
                />
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="signatures-heading">
            <h2 id="signatures-heading">{tr(Msg::StationSignatures)}</h2>
            <p data-testid="signature-counts" data-registered=registered.to_string() data-verified=verified.to_string()>
                {text(move |lang| lang.station_signature_counts(registered, verified))}
            </p>
            {provinces}
        </section>
    }
    .into_any()
}

/// One council's recount against its published totals.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RecountRow {
    id: String,
    name: shafaf_core::model::Name,
    href: String,
    province: shafaf_core::model::Name,
    published: Option<(u64, u64, u64)>,
    recounted: (u64, u64, u64),
    matches: bool,
}

#[component]
fn Recount(places: Arc<Places>) -> impl IntoView {
    let lang = use_lang();
    let links = expect_context::<Links>();
    let rows: Vec<RecountRow> = places
        .provinces()
        .filter_map(|(p, described)| Some((p, described, places.area(p).data().filter(|d| d.recounted())?.clone())))
        .flat_map(|(p, described, province)| {
            let (places, links) = (&places, &links);
            let outcomes: Vec<_> = province.contests().iter().cloned().enumerate().collect();
            outcomes.into_iter().map(move |(c, outcome)| {
                let published = outcome.contest.published.as_ref().map(|t| (t.ballots_cast, t.valid, t.invalid));
                let r = &outcome.tally;
                RecountRow {
                    id: outcome.contest.id.to_string(),
                    name: outcome.contest.name.clone(),
                    href: links.href(&places.path(Place::Contest(p, c))),
                    province: described.name.clone(),
                    published,
                    recounted: (r.ballots_cast, r.valid, r.invalid),
                    matches: outcome.matches_published,
                }
            })
        })
        .collect();
    if rows.is_empty() {
        return ().into_any();
    }
    let recounted = rows.len() as u64;
    let matching = rows.iter().filter(|r| r.matches).count() as u64;
    let caption = Signal::derive(move || lang.get().t(Msg::RecountCaption).to_owned());
    let columns = vec![
        Column::name("council", Msg::Council, |r: &RecountRow| r.name.clone(), |r| Some(r.href.clone())),
        Column::text(
            "province",
            Msg::Province,
            |r: &RecountRow, lang| lang.name(&r.province),
            |r| r.province.en.to_string(),
        ),
        Column::maybe_count("published_cast", Msg::PublishedCast, |r: &RecountRow| r.published.map(|p| p.0)),
        Column::count("recounted_cast", Msg::RecountedCast, |r: &RecountRow| r.recounted.0),
        Column::maybe_count("published_valid", Msg::PublishedValid, |r: &RecountRow| r.published.map(|p| p.1)),
        Column::count("recounted_valid", Msg::RecountedValid, |r: &RecountRow| r.recounted.1),
        Column::maybe_count("published_invalid", Msg::PublishedInvalid, |r: &RecountRow| r.published.map(|p| p.2)),
        Column::count("recounted_invalid", Msg::RecountedInvalid, |r: &RecountRow| r.recounted.2),
        Column::html(
            "matches_published",
            Msg::Recount,
            |r: &RecountRow, lang| {
                format!(r#"<td data-matches="{}">{}</td>"#, r.matches, escape_text(&recount_word(lang, r.matches)))
            },
            // Mismatches first.
            |r| SortKey::Count(u64::from(r.matches)),
            |r| r.matches.to_string(),
        ),
    ];
    let file_name = csv::file_name(&["shafaf", places.election().id.as_str(), "recount"]);
    view! {
        <section aria-labelledby="recount-heading">
            <h2 id="recount-heading">{tr(Msg::RecountHeading)}</h2>
            <p data-testid="recount-counts" data-recounted=recounted.to_string() data-matching=matching.to_string()>
                {text(move |lang| lang.contests_recounted(recounted, matching))}
            </p>
            <DataTable
                testid="recount-table"
                caption
                rows=Arc::new(rows)
                columns
                row_key=|r: &RecountRow| r.id.clone()
                file_name
                filter_text=|r: &RecountRow| format!("{} {} {}", r.id, r.name.fa, r.name.en)
                initial_sort=("matches_published", Direction::Ascending)
                row_class=|r: &RecountRow| (!r.matches).then_some("row-mismatch")
            />
        </section>
    }
    .into_any()
}

#[component]
fn AllFindings(findings: Vec<Finding>, contests: Option<crate::components::findings::ContestNames>) -> impl IntoView {
    if findings.is_empty() {
        return view! {
            <section aria-labelledby="findings-heading" data-testid="no-findings">
                <h2 id="findings-heading">{tr(Msg::FindingsHeading)}</h2>
                <p>
                    <span aria-hidden="true">"✓ "</span>
                    {tr(Msg::NoFindings)}
                </p>
            </section>
        }
        .into_any();
    }
    match contests {
        Some(contests) => view! { <FindingsList findings contests/> }.into_any(),
        None => view! { <FindingsList findings/> }.into_any(),
    }
}
