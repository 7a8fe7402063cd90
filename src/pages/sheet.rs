//! Checking a station sheet (`/sheet`): an observer at a polling station
//! photographs the result its device posted, or scans its QR codes with the
//! phone's camera, and the page says whether the authority published that
//! result. The QR codes carry the station's signed results line
//! (`shafaf_core::sheet`); the device signature is checked against the key
//! the setup release committed for the station, then the result against the
//! station's line in the current release, and in earlier ones when they
//! differ. QR codes are read by the browser's `BarcodeDetector` where it
//! exists, else by `rqrr` compiled into the app.

use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::format::parse_json;
use shafaf_core::model::{FileKind, StationsDoc};
use shafaf_core::sheet::{self, Difference, ReadSheet, SheetError, SheetVerdict};
use shafaf_core::verify::{verify_archived_release, SignedRelease};
use shafaf_worker::{fetch_listed, Freshness};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{text, tr, Msg};
use crate::load::{self, Config, Links};
use crate::pages::{set_title, verified};
use crate::state::{ConfigSignal, Places};

#[component]
pub fn SheetPage() -> impl IntoView {
    set_title(move |lang| lang.t(Msg::SheetHeading).to_owned());
    verified(|release| {
        let places = release.places.get_untracked();
        view! { <SheetView places/> }.into_any()
    })
}

/// Where the page is: reading parts, checking, or done.
#[derive(Clone, Debug, PartialEq)]
enum State {
    Idle,
    /// Some parts of a sheet of `n` were read.
    Partial {
        read: usize,
        n: usize,
    },
    Checking,
    /// The verdict, and the evidence when the publication contradicts the sheet.
    Done(SheetVerdict, Option<String>),
}

#[component]
fn SheetView(places: Arc<Places>) -> impl IntoView {
    let config = expect_context::<ConfigSignal>();
    let parts: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let state = RwSignal::new(State::Idle);
    let camera: RwSignal<Option<web_sys::MediaStream>> = RwSignal::new(None);
    let video = NodeRef::<leptos::html::Video>::new();
    let signed = places.signed.clone();

    // New QR texts: keep them, and check the sheet once every part is there.
    let add = {
        let signed = signed.clone();
        move |texts: Vec<String>, finished: bool| {
            let mut all = parts.get_untracked();
            for t in texts {
                if !all.contains(&t) {
                    all.push(t);
                }
            }
            parts.set(all.clone());
            match sheet::read(&all) {
                Ok(read) => {
                    stop_camera(camera);
                    state.set(State::Checking);
                    let (signed, config) = (signed.clone(), config.get_untracked());
                    wasm_bindgen_futures::spawn_local(async move {
                        let (verdict, evidence) = match config {
                            Some(config) => check(&config, &signed, &read).await,
                            None => (SheetVerdict::Invalid { reason: "the publication is not loaded".into() }, None),
                        };
                        state.set(State::Done(verdict, evidence));
                    });
                }
                Err(SheetError::Missing(missing, n)) if !finished || camera.get_untracked().is_some() => {
                    state.set(State::Partial { read: n - missing.len(), n });
                }
                Err(SheetError::Empty) if camera.get_untracked().is_some() => {}
                Err(e) => {
                    stop_camera(camera);
                    state.set(State::Done(SheetVerdict::Invalid { reason: e.to_string() }, None));
                }
            }
        }
    };

    let on_files = {
        let add = add.clone();
        move |ev: web_sys::Event| {
            let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            let Some(files) = input.files() else { return };
            let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
            parts.set(Vec::new());
            state.set(State::Checking);
            let add = add.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut texts = Vec::new();
                for file in &files {
                    match decode_blob(file).await {
                        Ok(found) => texts.extend(found),
                        Err(e) => web_sys::console::warn_1(&JsValue::from_str(&e)),
                    }
                }
                add(texts, true);
            });
        }
    };

    let start_camera = {
        let add = add.clone();
        move |_| {
            parts.set(Vec::new());
            state.set(State::Idle);
            let add = add.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Some(stream) = open_camera().await else {
                    let reason = "the camera could not be opened".into();
                    state.set(State::Done(SheetVerdict::Invalid { reason }, None));
                    return;
                };
                camera.set(Some(stream.clone()));
                let Some(el) = video.get_untracked() else { return };
                let el: &web_sys::HtmlVideoElement = &el;
                el.set_src_object(Some(&stream));
                let _ = el.play().map(JsFuture::from);
                // A frame every 300 ms until every part was read or the reader stops.
                while camera.get_untracked().is_some() {
                    load::sleep(300).await;
                    if el.video_width() == 0 {
                        continue;
                    }
                    if let Ok(texts) = decode_frame(el).await {
                        if !texts.is_empty() {
                            add(texts, false);
                        }
                    }
                }
            });
        }
    };
    on_cleanup(move || stop_camera(camera));

    let links = expect_context::<Links>();
    view! {
        <div class="sheet-check" data-testid="sheet-page">
            <h1 class="page-title">{tr(Msg::SheetHeading)}</h1>
            <p>{tr(Msg::SheetExplained)}</p>
            <div class="sheet-inputs">
                <label class="sheet-upload">
                    {tr(Msg::SheetUpload)}
                    " "
                    <input type="file" accept="image/*" multiple data-testid="sheet-upload" on:change=on_files/>
                </label>
                <button type="button" data-testid="sheet-camera" on:click=start_camera
                    hidden=move || camera.get().is_some()>
                    {tr(Msg::SheetCamera)}
                </button>
                <button type="button" data-testid="sheet-camera-stop" on:click=move |_| stop_camera(camera)
                    hidden=move || camera.get().is_none()>
                    {tr(Msg::SheetCameraStop)}
                </button>
            </div>
            <video node_ref=video class="sheet-video" muted=true playsinline=true
                hidden=move || camera.get().is_none() aria-hidden="true"></video>
            <div aria-live="polite">
                {move || match state.get() {
                    State::Idle => ().into_any(),
                    State::Partial { read, n } => view! {
                        <p data-testid="sheet-parts" data-read=read.to_string() data-parts=n.to_string()>
                            {text(move |lang| lang.sheet_parts(read, n))}
                        </p>
                    }.into_any(),
                    State::Checking => view! { <p data-testid="sheet-checking">{tr(Msg::Loading)}</p> }.into_any(),
                    State::Done(verdict, evidence) => view! {
                        <Verdict verdict links=links.clone()/>
                        {evidence.map(|json| view! { <EvidenceLink json/> })}
                    }.into_any(),
                }}
            </div>
            <EvidenceCheck/>
        </div>
    }
}

/// The verdict, in words, with every figure that differs side by side.
#[component]
fn Verdict(verdict: SheetVerdict, links: Links) -> impl IntoView {
    let word = verdict.word();
    let (title, icon) = match &verdict {
        SheetVerdict::Matches { .. } => (Msg::SheetMatches, "✓"),
        SheetVerdict::Differs { .. } => (Msg::SheetDiffers, "✗"),
        SheetVerdict::Unpublished { .. } => (Msg::SheetUnpublished, "…"),
        SheetVerdict::Corrected { .. } => (Msg::SheetCorrected, "!"),
        SheetVerdict::WrongDevice { .. } => (Msg::SheetWrongDevice, "✗"),
        SheetVerdict::Invalid { .. } => (Msg::SheetInvalid, "✗"),
    };
    let station = match &verdict {
        SheetVerdict::Matches { station, .. }
        | SheetVerdict::Differs { station, .. }
        | SheetVerdict::Unpublished { station, .. }
        | SheetVerdict::Corrected { station, .. }
        | SheetVerdict::WrongDevice { station, .. } => Some(station.clone()),
        SheetVerdict::Invalid { .. } => None,
    };
    let detail = match &verdict {
        SheetVerdict::Matches { release, .. } | SheetVerdict::Unpublished { release, .. } => {
            let release = *release;
            Some(text(move |lang| lang.sheet_release(release)).into_any())
        }
        SheetVerdict::Corrected { printed_in, corrected_in, .. } => {
            let (a, b) = (*printed_in, *corrected_in);
            Some(text(move |lang| lang.sheet_corrected(a, b)).into_any())
        }
        SheetVerdict::WrongDevice { key, committed, .. } => {
            let (key, committed) = (key.to_string(), committed.map(|k| k.to_string()));
            Some(
                view! {
                    <span>{tr(Msg::SheetSignedBy)} " " <code dir="ltr">{key}</code></span>
                    " "
                    <span>{tr(Msg::SheetCommittedKey)} " " <code dir="ltr">{committed.unwrap_or_else(|| "–".into())}</code></span>
                }
                .into_any(),
            )
        }
        SheetVerdict::Invalid { reason } => Some(view! { <span dir="ltr">{reason.clone()}</span> }.into_any()),
        SheetVerdict::Differs { .. } => None,
    };
    let differences = match &verdict {
        SheetVerdict::Differs { differences, .. } | SheetVerdict::Corrected { differences, .. }
            if !differences.is_empty() =>
        {
            Some(view! { <Differences differences=differences.clone()/> })
        }
        _ => None,
    };
    view! {
        <section class=format!("sheet-verdict sheet-{word}") data-testid="sheet-verdict" data-verdict=word
            aria-labelledby="sheet-verdict-heading">
            <h2 id="sheet-verdict-heading">
                <span aria-hidden="true">{icon}</span> " " {tr(title)}
            </h2>
            {station.map(|s| view! {
                <p data-testid="sheet-station" data-station=s.clone()>
                    {tr(Msg::SheetStation)} " " <code dir="ltr">{s.clone()}</code>
                </p>
            })}
            {detail.map(|d| view! { <p>{d}</p> })}
            {differences}
            <p><a href=links.href("/verify")>{tr(Msg::WhatWasChecked)}</a></p>
        </section>
    }
}

#[component]
fn Differences(differences: Vec<Difference>) -> impl IntoView {
    let rows = differences
        .into_iter()
        .map(|d| {
            let field = d.field.clone();
            let shown = field.clone();
            let (sheet, published) = (d.sheet, d.published);
            view! {
                <tr data-testid="sheet-difference" data-field=field>
                    <th scope="row"><code dir="ltr">{shown}</code></th>
                    <td data-value=sheet.to_string()>{text(move |lang| lang.number(sheet))}</td>
                    <td data-value=published.map(|p| p.to_string())>
                        {text(move |lang| published.map_or_else(|| "–".to_owned(), |p| lang.number(p)))}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data-table" data-testid="sheet-differences">
            <thead>
                <tr>
                    <th scope="col">{tr(Msg::SheetField)}</th>
                    <th scope="col">{tr(Msg::SheetOnPaper)}</th>
                    <th scope="col">{tr(Msg::SheetPublished)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The sheet against the publication: the committed registry of the
/// station's province, then the station's line in the current release, and
/// in every earlier one when the current one is not the sheet's.
async fn check(config: &Config, signed: &SignedRelease, sheet: &ReadSheet) -> (SheetVerdict, Option<String>) {
    let folder = &config.source.publication;
    let Some(p) = signed.province_of_contest(sheet.result.contest.as_str()) else {
        // A council this election does not have: no station of it was committed.
        return (sheet::check(sheet, None, &[]), None);
    };
    let code = signed.election().provinces[p].code.to_string();
    // The registry the setup committed (the release's own, for a release in no log).
    let setup = signed.logged().setup().map(|s| s.release()).unwrap_or(signed.release());
    let invalid = |reason: String| (SheetVerdict::Invalid { reason }, None);
    let mut registry = Vec::new();
    let committed = match setup.entry(FileKind::Stations, Some(&code)) {
        Some(entry) => match fetch_listed(folder, entry, Freshness::Cached, |_| {}).await {
            Ok(Ok(file)) => match parse_json::<StationsDoc>(file.path(), file.bytes(), FileKind::Stations.size_limit())
            {
                Ok(doc) => {
                    registry = file.bytes().to_vec();
                    doc.stations.into_iter().find(|s| s.id == sheet.result.station)
                }
                Err(e) => return invalid(e.to_string()),
            },
            Ok(Err(finding)) => return invalid(finding.to_string()),
            Err(e) => return invalid(format!("{e:?}")),
        },
        None => None,
    };
    let station = sheet.result.station.to_string();
    let current = signed.release().audit().version;
    let results = fetch_results(folder, signed.release().entry(FileKind::Results, Some(&code))).await;
    let line = results.as_deref().and_then(|bytes| line_in(bytes, &station));
    let mut history = vec![(current, line)];
    let verdict = sheet::check(sheet, committed.as_ref(), &as_refs(&history));
    if !matches!(verdict, SheetVerdict::Differs { .. }) {
        return (verdict, None);
    }
    let evidence = match results {
        Some(results) => evidence(config, sheet, &registry, &results, &station).await,
        None => None,
    };
    if current <= 1 {
        return (verdict, evidence);
    }
    // Was it published before, then corrected? Every earlier release, verified.
    let mut earlier = Vec::new();
    for version in 1..current {
        let (file, sigs) = (shafaf_core::log::release_path(version), shafaf_core::log::release_sigs_path(version));
        let (bytes, sig_bytes) = futures::join!(
            load::fetch_unlisted_in(config, &file, shafaf_core::format::RELEASE_LIMIT),
            load::fetch_unlisted_in(config, &sigs, shafaf_core::format::SIGS_LIMIT)
        );
        let (Ok(Some(bytes)), Ok(Some(sig_bytes))) = (bytes, sig_bytes) else { continue };
        let Ok(release) = verify_archived_release(&file, &sigs, signed.root().clone(), &bytes, &sig_bytes) else {
            continue;
        };
        let results = fetch_results(folder, release.entry(FileKind::Results, Some(&code))).await;
        earlier.push((version, results.as_deref().and_then(|bytes| line_in(bytes, &station))));
    }
    earlier.append(&mut history);
    let verdict = sheet::check(sheet, committed.as_ref(), &as_refs(&earlier));
    let evidence = evidence.filter(|_| matches!(verdict, SheetVerdict::Differs { .. }));
    (verdict, evidence)
}

/// The evidence of a sheet the current release contradicts, as JSON: what
/// `shafaf evidence verify` and this view check (`shafaf_core::evidence`).
async fn evidence(
    config: &Config,
    sheet: &ReadSheet,
    registry: &[u8],
    results: &[u8],
    station: &str,
) -> Option<String> {
    use shafaf_core::format::{RELEASE, RELEASE_LIMIT, RELEASE_SIGS, ROOT, ROOT_LIMIT, ROOT_SIGS, SIGS_LIMIT};
    use shafaf_core::log::{note::NOTE_LIMIT, release_path, release_sigs_path, PROOF_LIMIT};
    let get =
        |path: String, limit: u64| async move { load::fetch_unlisted_in(config, &path, limit).await.ok().flatten() };
    let (root, root_sigs, setup, setup_sigs, release, release_sigs) = futures::join!(
        get(ROOT.into(), ROOT_LIMIT),
        get(ROOT_SIGS.into(), SIGS_LIMIT),
        get(release_path(1), RELEASE_LIMIT),
        get(release_sigs_path(1), SIGS_LIMIT),
        get(RELEASE.into(), RELEASE_LIMIT),
        get(RELEASE_SIGS.into(), SIGS_LIMIT),
    );
    let release = release?;
    let version = shafaf_core::format::json_or_none::<shafaf_core::model::ReleaseDoc>(&release)?.version;
    // The election file the setup lists: when the polls opened.
    let setup = setup?;
    let election = shafaf_core::format::json_or_none::<shafaf_core::model::ReleaseDoc>(&setup)?
        .files
        .into_iter()
        .find(|f| f.kind == shafaf_core::model::FileKind::Election)?;
    let election = get(election.path, election.size).await?;
    let [setup_checkpoint, checkpoint, setup_inclusion, release_inclusion] = shafaf_core::evidence::log_paths(version);
    let (setup_checkpoint, checkpoint, setup_inclusion, release_inclusion) = futures::join!(
        get(setup_checkpoint, NOTE_LIMIT),
        get(checkpoint, NOTE_LIMIT),
        get(setup_inclusion, PROOF_LIMIT),
        get(release_inclusion, PROOF_LIMIT),
    );
    let sources = shafaf_core::evidence::Sources {
        root: &root?,
        root_sigs: &root_sigs?,
        setup: &setup,
        setup_sigs: &setup_sigs?,
        setup_checkpoint: &setup_checkpoint?,
        stations: registry,
        election: &election,
        release: &release,
        release_sigs: &release_sigs?,
        checkpoint: &checkpoint?,
        setup_inclusion: &setup_inclusion?,
        release_inclusion: &release_inclusion?,
        results,
    };
    let made = shafaf_core::evidence::make(&sheet.line, station, &sources)?;
    serde_json::to_string_pretty(&made).ok()
}

/// A link that saves the evidence as a file.
#[component]
fn EvidenceLink(json: String) -> impl IntoView {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let parts = js_sys::Array::of1(&JsValue::from_str(&json));
    let href = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .ok()
        .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob).ok());
    href.map(|href| {
        view! {
            <p>
                <a href=href download="shafaf-evidence.json" data-testid="sheet-evidence">{tr(Msg::EvidenceDownload)}</a>
                " "
                {tr(Msg::EvidenceExplained)}
            </p>
        }
    })
}

/// Checks an evidence file against the pinned trust root, here in the browser.
#[component]
fn EvidenceCheck() -> impl IntoView {
    let config = expect_context::<ConfigSignal>();
    let outcome: RwSignal<Option<Result<shafaf_core::evidence::Dispute, String>>> = RwSignal::new(None);
    let on_file = move |ev: web_sys::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        let Some(config) = config.get_untracked() else { return };
        wasm_bindgen_futures::spawn_local(async move {
            let bytes = match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => return outcome.set(Some(Err("the file could not be read".into()))),
            };
            let anchor = shafaf_core::verify::TrustAnchor::pinned(config.source.root_sha256);
            let result = shafaf_core::evidence::verify(&bytes, &anchor, load::now())
                .map_err(|findings| findings.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "));
            outcome.set(Some(result));
        });
    };
    view! {
        <section class="evidence-check" aria-labelledby="evidence-heading">
            <h2 id="evidence-heading">{tr(Msg::EvidenceHeading)}</h2>
            <label>
                {tr(Msg::EvidenceUpload)}
                " "
                <input type="file" accept="application/json,.json" data-testid="evidence-upload" on:change=on_file/>
            </label>
            {move || outcome.get().map(|result| match result {
                Ok(dispute) => {
                    let rows = dispute.differences.clone();
                    view! {
                        <div class="sheet-verdict sheet-differs" data-testid="evidence-verdict" data-proven="true">
                            <p><strong>{tr(Msg::EvidenceProven)}</strong></p>
                            <p>
                                {tr(Msg::SheetStation)} " " <code dir="ltr">{dispute.station.clone()}</code>
                                " · " {text(move |lang| lang.sheet_release(dispute.release))}
                            </p>
                            <Commitment dispute=dispute.clone()/>
                            <Differences differences=rows/>
                        </div>
                    }.into_any()
                }
                Err(reason) => view! {
                    <div class="sheet-verdict" data-testid="evidence-verdict" data-proven="false">
                        <p><strong>{tr(Msg::EvidenceNotProven)}</strong></p>
                        <p dir="ltr">{reason}</p>
                    </div>
                }.into_any(),
            })}
        </section>
    }
}

/// When the device's key was committed, against the polls' opening: what
/// makes the device's signature on the sheet count.
#[component]
fn Commitment(dispute: shafaf_core::evidence::Dispute) -> impl IntoView {
    let (committed, polls_open) = (dispute.committed, dispute.polls_open);
    let (before, threshold) = (dispute.witnessed_before_polls, dispute.witness_threshold);
    view! {
        <dl data-testid="evidence-commitment">
            <div>
                <dt>{tr(Msg::SetupCommitted)}</dt>
                <dd>{text(move |lang| lang.date_time(committed))}</dd>
            </div>
            <div>
                <dt>{tr(Msg::PollsOpen)}</dt>
                <dd>{text(move |lang| lang.date_time(polls_open))}</dd>
            </div>
            <div>
                <dt>{tr(Msg::SetupWitnessedBefore)}</dt>
                <dd data-value=before.to_string() data-threshold=threshold.to_string()>
                    {text(move |lang| lang.of_required(u64::from(before), u64::from(threshold)))}
                </dd>
            </div>
        </dl>
    }
}

fn as_refs(history: &[(u64, Option<String>)]) -> Vec<(u64, Option<&str>)> {
    history.iter().map(|(v, l)| (*v, l.as_deref())).collect()
}

/// A results file, fetched and checked against its entry.
async fn fetch_results(folder: &str, entry: Option<&shafaf_core::model::FileEntry>) -> Option<Vec<u8>> {
    let file = fetch_listed(folder, entry?, Freshness::Cached, |_| {}).await.ok()?.ok()?;
    Some(file.bytes().to_vec())
}

/// The station's line in a results file.
fn line_in(bytes: &[u8], station: &str) -> Option<String> {
    sheet::station_line(std::str::from_utf8(bytes).ok()?, station).map(str::to_owned)
}

fn stop_camera(camera: RwSignal<Option<web_sys::MediaStream>>) {
    if let Some(stream) = camera.get_untracked() {
        for track in stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                track.stop();
            }
        }
        camera.set(None);
    }
}

async fn open_camera() -> Option<web_sys::MediaStream> {
    let devices = web_sys::window()?.navigator().media_devices().ok()?;
    let constraints = web_sys::MediaStreamConstraints::new();
    let video = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&video, &"facingMode".into(), &"environment".into());
    constraints.set_video(&video);
    let promise = devices.get_user_media_with_constraints(&constraints).ok()?;
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}

/// The QR texts in a photo.
async fn decode_blob(blob: &web_sys::Blob) -> Result<Vec<String>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let promise = window.create_image_bitmap_with_blob(blob).map_err(|_| "not an image")?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(promise).await.map_err(|_| "not an image")?.dyn_into().map_err(|_| "not an image")?;
    let (w, h) = (bitmap.width(), bitmap.height());
    if let Some(found) = barcode_detector(bitmap.as_ref()).await {
        return Ok(found);
    }
    let (_canvas, ctx) = canvas(w, h)?;
    ctx.draw_image_with_image_bitmap(&bitmap, 0.0, 0.0).map_err(|_| "cannot draw the image")?;
    read_canvas(&ctx, w, h)
}

/// The QR texts in the camera's current frame.
async fn decode_frame(video: &web_sys::HtmlVideoElement) -> Result<Vec<String>, String> {
    if let Some(found) = barcode_detector(video.as_ref()).await {
        return Ok(found);
    }
    let (w, h) = (video.video_width(), video.video_height());
    let (_canvas, ctx) = canvas(w, h)?;
    ctx.draw_image_with_html_video_element(video, 0.0, 0.0).map_err(|_| "cannot draw the frame")?;
    read_canvas(&ctx, w, h)
}

fn canvas(w: u32, h: u32) -> Result<(web_sys::HtmlCanvasElement, web_sys::CanvasRenderingContext2d), String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").map_err(|_| "no canvas")?.dyn_into().map_err(|_| "no canvas")?;
    canvas.set_width(w);
    canvas.set_height(h);
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or("no 2d context")?;
    Ok((canvas, ctx))
}

/// Every QR code on the canvas, read by rqrr from its grey levels.
fn read_canvas(ctx: &web_sys::CanvasRenderingContext2d, w: u32, h: u32) -> Result<Vec<String>, String> {
    let data = ctx.get_image_data(0.0, 0.0, f64::from(w), f64::from(h)).map_err(|_| "cannot read the image")?.data();
    let luma: Vec<u8> = data
        .chunks_exact(4)
        .map(|p| ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8)
        .collect();
    let (w, h) = (w as usize, h as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| luma[y * w + x]);
    Ok(image.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect())
}

/// The browser's own QR reader, where it has one (not Chromium on Linux or
/// Windows, nor Firefox or Safari).
async fn barcode_detector(source: &JsValue) -> Option<Vec<String>> {
    let window = web_sys::window()?;
    let class = js_sys::Reflect::get(&window, &"BarcodeDetector".into()).ok()?;
    let class: js_sys::Function = class.dyn_into().ok()?;
    let options = js_sys::Object::new();
    let formats = js_sys::Array::of1(&"qr_code".into());
    js_sys::Reflect::set(&options, &"formats".into(), &formats).ok()?;
    let detector = js_sys::Reflect::construct(&class, &js_sys::Array::of1(&options)).ok()?;
    let detect: js_sys::Function = js_sys::Reflect::get(&detector, &"detect".into()).ok()?.dyn_into().ok()?;
    let promise: js_sys::Promise = detect.call1(&detector, source).ok()?.dyn_into().ok()?;
    let found = js_sys::Array::from(&JsFuture::from(promise).await.ok()?);
    Some(found.iter().filter_map(|code| js_sys::Reflect::get(&code, &"rawValue".into()).ok()?.as_string()).collect())
}
