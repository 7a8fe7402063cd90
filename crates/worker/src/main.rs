//! The audit worker, a Web Worker of its own (no Leptos, no page): for each
//! [`Job`] it re-verifies the release's signed metadata that came with it
//! (stages 1–4 of `shafaf_core::verify`), downloads the province's files,
//! checking each as it streams in, and runs the province's audit (stages
//! 4–6); it answers with a [`Report`]. It announces [`Report::Ready`] once it
//! listens: a message sent to it earlier is lost.

// Findings are the core's error type and larger than clippy likes; see shafaf-core.
#![allow(clippy::result_large_err)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use futures::future::join_all;
use shafaf_core::format::{Publication, RELEASE, RELEASE_SIGS, ROOT, ROOT_SIGS};
use shafaf_core::log::Checkpoint;
use shafaf_core::model::{FileEntry, FileKind, Sha256Hex};
use shafaf_core::verify::{
    audit_province, check_file, setup_files, verify_files, verify_log, verify_release, verify_root, CheckedFile,
    LogPolicy, SignedRelease, TrustAnchor,
};
use shafaf_core::Finding;
use shafaf_worker::{fetch_listed, FetchError, Freshness, Job, Report};
use time::OffsetDateTime;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The release last verified, by what it was verified from: jobs of one
    /// release share it.
    static SIGNED: RefCell<Option<(String, Rc<SignedRelease>)>> = const { RefCell::new(None) };
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Sends a report as bytes, moved to the page rather than copied.
fn post(report: &Report) {
    let bytes = js_sys::Uint8Array::from(report.to_bytes().as_slice());
    let _ = scope().post_message_with_transfer(&bytes, &js_sys::Array::of1(&bytes.buffer()));
}

fn main() {
    let onmessage = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
        wasm_bindgen_futures::spawn_local(handle(event.data()));
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post(&Report::Ready);
}

/// A message is `[job as JSON, [paths], [bytes]]`: the job, and the signed
/// metadata the page verified, byte for byte.
async fn handle(data: JsValue) {
    let message = js_sys::Array::from(&data);
    let Some(job) = message.get(0).as_string().and_then(|text| serde_json::from_str::<Job>(&text).ok()) else {
        return;
    };
    let paths = js_sys::Array::from(&message.get(1));
    let files = js_sys::Array::from(&message.get(2));
    let mut metadata = Publication::new();
    for i in 0..paths.length() {
        if let Some(path) = paths.get(i).as_string() {
            metadata.insert(path, js_sys::Uint8Array::new(&files.get(i)).to_vec());
        }
    }
    let report = match audit(&job, &metadata).await {
        Ok((outcome, bytes, counties)) => {
            Report::Done { id: job.id, province: job.province.clone(), outcome, bytes, counties }
        }
        Err(error) => Report::Unavailable { id: job.id, province: job.province.clone(), error },
    };
    for message in report.into_messages() {
        post(&message);
    }
}

type Outcome = Result<shafaf_core::verify::VerifiedProvince, Vec<Finding>>;

async fn audit(job: &Job, metadata: &Publication) -> Result<(Outcome, u64, Option<String>), FetchError> {
    let signed = match signed_release(job, metadata) {
        Ok(signed) => signed,
        Err(findings) => return Ok((Err(findings), 0, None)),
    };
    let code = job.province.as_str();
    let kinds = [FileKind::Contests, FileKind::Stations, FileKind::Results, FileKind::GeoCounties];
    // The province's files, and the setup's it is compared with.
    let mut entries: Vec<FileEntry> =
        kinds.iter().filter_map(|&kind| signed.entry(kind, Some(code)).cloned()).collect();
    for entry in setup_files(&signed, code) {
        if !entries.iter().any(|e| e.path == entry.path) {
            entries.push(entry);
        }
    }
    let received: Rc<RefCell<HashMap<String, u64>>> = Rc::default();
    let last_told = Rc::new(RefCell::new(0u64));
    let downloads = entries.into_iter().map(|entry| {
        let (received, last_told) = (received.clone(), last_told.clone());
        let folder = job.publication.clone();
        let id = job.id;
        async move {
            let path = entry.path.clone();
            let file = fetch_listed(&folder, &entry, Freshness::Cached, |bytes| {
                received.borrow_mut().insert(path.clone(), bytes);
                let total: u64 = received.borrow().values().sum();
                // A word every quarter megabyte is enough for a progress bar.
                if total >= *last_told.borrow() + 256 * 1024 {
                    *last_told.borrow_mut() = total;
                    post(&Report::Progress { id, bytes: total });
                }
            })
            .await;
            (entry.path, file)
        }
    });
    let mut files: HashMap<String, Result<CheckedFile<'static>, Finding>> = HashMap::new();
    for (path, file) in join_all(downloads).await {
        files.insert(path, file?);
    }
    let bytes = received.borrow().values().sum();
    let counties = match signed.entry(FileKind::GeoCounties, Some(code)).and_then(|e| files.get(&e.path)) {
        Some(Ok(file)) => Some(BASE64.encode(file.bytes())),
        _ => None,
    };
    // A results file is read once; the others may be asked for twice (as
    // the release's and as the setup's, when both list the same bytes).
    let outcome = audit_province(&signed, code, |entry| {
        let file =
            if entry.kind == FileKind::Results { files.remove(&entry.path) } else { files.get(&entry.path).cloned() };
        file.unwrap_or_else(|| Err(Finding::FileMissing { file: entry.path.clone() }))
    });
    Ok((outcome, bytes, counties))
}

/// Stages 1–4 over the metadata the page sent, or the release verified for
/// an earlier job from the same bytes.
fn signed_release(job: &Job, metadata: &Publication) -> Result<Rc<SignedRelease>, Vec<Finding>> {
    let key = format!(
        "{}|{}|{}|{:?}|{}|{}",
        Sha256Hex::of(metadata.get(RELEASE).unwrap_or_default()),
        job.now,
        job.require_log,
        job.held,
        job.root_sha256,
        job.witnesses_pending
    );
    if let Some(signed) = SIGNED.with(|s| s.borrow().as_ref().filter(|(k, _)| *k == key).map(|(_, s)| s.clone())) {
        return Ok(signed);
    }
    let missing = |path: &str| vec![Finding::FileMissing { file: path.to_owned() }];
    let get = |path: &str| metadata.get(path).ok_or_else(|| missing(path));
    let pin = Sha256Hex::from_hex(&job.root_sha256).ok_or_else(|| missing(ROOT))?;
    let now = OffsetDateTime::from_unix_timestamp(job.now).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let root = verify_root(get(ROOT)?, get(ROOT_SIGS)?, &TrustAnchor::pinned(pin), now)?;
    let release = verify_release(root, get(RELEASE)?, get(RELEASE_SIGS)?, now)?;
    let held = job.held.as_deref().and_then(|body| Checkpoint::parse_body("held", body).ok());
    let policy = LogPolicy { require_log: job.require_log, held, witnesses_pending: job.witnesses_pending };
    let logged = verify_log(release, metadata, &policy, now)?;
    let file = |kind| match logged.release().entry(kind, None) {
        Some(entry) => check_file(entry, metadata.get(&entry.path)),
        None => Err(Finding::FileMissing { file: kind.to_string() }),
    };
    let (election, summary) = (file(FileKind::Election), file(FileKind::Summary));
    let signed = Rc::new(verify_files(logged.clone(), election, summary)?);
    SIGNED.with(|s| *s.borrow_mut() = Some((key, signed.clone())));
    Ok(signed)
}
