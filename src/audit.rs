//! The full audit, in the background: a pool of Web Workers (one per core
//! the browser reports, at most [`MAX_WORKERS`]) each verifying a province
//! at a time — its files downloaded and checked as they stream in, every
//! station signature, the recount (`shafaf_worker`, the core's stages 4–6).
//! The page only hands out provinces, the one a reader opens first and then
//! the largest first, and gathers the outcomes in the core's
//! `AuditedRelease`, so that once every province has one the verdict is the
//! one `shafaf verify` gives. Each outcome moves its province on at once
//! (recounted, or failed and withdrawn). The audit starts once the view the
//! reader opened has fetched its own files: on a slow network a council's
//! result comes first, the country's station signatures after it.
//!
//! Where the browser asks to save data (Save-Data, a metered or cellular
//! connection) the audit waits for the reader to ask for it.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::format::Publication;
use shafaf_core::model::FileKind;
use shafaf_core::verify::AuditedRelease;
use shafaf_worker::{Assembler, Job, Report};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::load::{Config, SignedLoad};
use crate::state::{Area, AuditPhase, AuditState, ProvinceData, Release};

/// At most this many workers, whatever the browser reports.
pub const MAX_WORKERS: usize = 4;

/// The worker's loader (Trunk's shim, at the site's root). Trunk does not
/// put a content hash in its name: the build's version goes in its address.
fn worker_url() -> String {
    format!("/shafaf-worker_loader.js?v={}", env!("CARGO_PKG_VERSION"))
}

thread_local! {
    /// The audit of the release shown; a newer release replaces it.
    static POOL: RefCell<Option<Rc<RefCell<Pool>>>> = const { RefCell::new(None) };
}

struct Pool {
    release: Release,
    /// What every job carries: the job without its province, and the
    /// release's signed metadata as the page fetched it.
    template: Job,
    metadata: Publication,
    workers: Vec<Slot>,
    queue: VecDeque<String>,
    next_id: u32,
    /// Bytes received by each running job, by job id.
    running: Vec<(u32, u64)>,
    /// Reports arriving in several messages.
    assembler: Assembler,
}

struct Slot {
    worker: web_sys::Worker,
    ready: bool,
    /// The job it is working on.
    job: Option<u32>,
    _onmessage: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Drop for Pool {
    fn drop(&mut self) {
        for slot in &self.workers {
            slot.worker.terminate();
        }
    }
}

/// Whether the browser signals that the reader pays for data or wants to
/// save it: then the audit waits to be asked.
pub fn should_wait() -> bool {
    let Some(window) = web_sys::window() else { return false };
    let Ok(connection) = js_sys::Reflect::get(&window.navigator(), &"connection".into()) else { return false };
    if connection.is_undefined() || connection.is_null() {
        return false;
    }
    let get = |name: &str| js_sys::Reflect::get(&connection, &name.into()).ok();
    let save_data = get("saveData").and_then(|v| v.as_bool()).unwrap_or(false);
    let cellular = get("type").and_then(|v| v.as_string()).is_some_and(|t| t == "cellular");
    let metered = get("metered").and_then(|v| v.as_bool()).unwrap_or(false);
    save_data || cellular || metered
}

/// The audit's state for a release that reached the "signed" level: what
/// there is to do, and whether it starts by itself.
pub fn initial_state(load: &SignedLoad) -> AuditState {
    let mut audited = AuditedRelease::new((*load.signed).clone());
    if let Some(geo) = &load.geo {
        audited.add_national_file(FileKind::GeoProvinces, geo);
    }
    let bytes_total = province_bytes(&load.signed, None);
    let phase = if should_wait() { AuditPhase::Waiting } else { AuditPhase::Running };
    AuditState::new(audited, bytes_total, phase)
}

/// The size of what the audit downloads: every province's files (or one's).
fn province_bytes(signed: &shafaf_core::verify::SignedRelease, code: Option<&str>) -> u64 {
    signed
        .release()
        .files()
        .iter()
        .filter(|f| {
            matches!(f.kind, FileKind::Contests | FileKind::Stations | FileKind::Results | FileKind::GeoCounties)
                && code.is_none_or(|c| f.province.as_deref() == Some(c))
        })
        .map(|f| f.size)
        .sum()
}

/// Starts the audit of the release shown (stopping any earlier one), unless
/// it waits for the reader; `first` is audited first.
pub fn start(config: &Config, load: &SignedLoad, release: Release, first: Option<String>) {
    let signed = &load.signed;
    let mut codes: Vec<String> = signed.election().provinces.iter().map(|p| p.code.to_string()).collect();
    // The largest first: the pool finishes sooner.
    codes.sort_by_key(|code| std::cmp::Reverse(province_bytes(signed, Some(code))));
    let mut queue: VecDeque<String> = codes.into();
    if let Some(first) = first.filter(|f| queue.contains(f)) {
        queue.retain(|c| *c != first);
        queue.push_front(first);
    }
    let template = Job {
        id: 0,
        publication: config.source.publication.clone(),
        root_sha256: config.source.root_sha256.to_hex(),
        now: load.now.unix_timestamp(),
        require_log: load.policy.require_log,
        held: load.policy.held.as_ref().map(|h| h.body()),
        province: String::new(),
    };
    let pool = Rc::new(RefCell::new(Pool {
        release,
        template,
        metadata: load.metadata.clone(),
        workers: Vec::new(),
        queue,
        next_id: 1,
        running: Vec::new(),
        assembler: Assembler::default(),
    }));
    POOL.with(|p| *p.borrow_mut() = Some(pool.clone()));
    if release.audit.with_untracked(|a| a.phase) == AuditPhase::Running {
        leptos::task::spawn_local(after_first_view(pool));
    }
}

/// The view the reader opened gets the network and the processor first:
/// the audit starts once it has drawn and fetched its own province's files
/// (ten seconds at most), unless a newer release replaced this one.
async fn after_first_view(pool: Rc<RefCell<Pool>>) {
    crate::load::sleep(50).await;
    for _ in 0..100 {
        if !crate::load::opening_province() {
            break;
        }
        crate::load::sleep(100).await;
    }
    if POOL.with(|p| p.borrow().as_ref().is_some_and(|current| Rc::ptr_eq(current, &pool))) {
        spawn_workers(&pool);
    }
}

/// The reader asked for the audit that waited (Save-Data): start it.
pub fn begin() {
    let Some(pool) = POOL.with(|p| p.borrow().clone()) else { return };
    let release = pool.borrow().release;
    if release.audit.with_untracked(|a| a.phase) != AuditPhase::Waiting {
        return;
    }
    release.audit.update(|a| a.phase = AuditPhase::Running);
    spawn_workers(&pool);
}

/// A reader opened a view of this province: audit it next.
pub fn prioritize(code: &str) {
    let Some(pool) = POOL.with(|p| p.borrow().clone()) else { return };
    let mut pool = pool.borrow_mut();
    if let Some(i) = pool.queue.iter().position(|c| c == code) {
        if let Some(code) = pool.queue.remove(i) {
            pool.queue.push_front(code);
        }
    }
}

fn cores() -> usize {
    let n = web_sys::window().map(|w| w.navigator().hardware_concurrency()).unwrap_or(2.0);
    (n as usize).clamp(1, MAX_WORKERS)
}

fn spawn_workers(pool: &Rc<RefCell<Pool>>) {
    for index in 0..cores() {
        let Ok(worker) = web_sys::Worker::new(&worker_url()) else {
            continue;
        };
        let weak = Rc::downgrade(pool);
        let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let Some(pool) = weak.upgrade() else { return };
            let Ok(bytes) = event.data().dyn_into::<js_sys::Uint8Array>() else { return };
            let Ok(message) = Report::from_bytes(&bytes.to_vec()) else { return };
            let report = pool.borrow_mut().assembler.take(message);
            if let Some(report) = report {
                heard(&pool, index, report);
            }
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        pool.borrow_mut().workers.push(Slot { worker, ready: false, job: None, _onmessage: onmessage });
    }
}

/// Gives worker `index` the next province, if any is left.
fn dispatch(pool: &Rc<RefCell<Pool>>, index: usize) {
    let mut guard = pool.borrow_mut();
    let pool = &mut *guard;
    let Some(slot) = pool.workers.get(index) else { return };
    if !slot.ready || slot.job.is_some() {
        return;
    }
    let Some(code) = pool.queue.pop_front() else { return };
    let id = pool.next_id;
    pool.next_id += 1;
    let job = Job { id, province: code, ..pool.template.clone() };
    let paths = js_sys::Array::new();
    let files = js_sys::Array::new();
    for (path, bytes) in pool.metadata.iter() {
        paths.push(&JsValue::from_str(path));
        files.push(&js_sys::Uint8Array::from(bytes));
    }
    let message = js_sys::Array::of3(&serde_json::to_string(&job).unwrap_or_default().into(), &paths, &files);
    if pool.workers[index].worker.post_message(&message).is_ok() {
        pool.workers[index].job = Some(id);
        pool.running.push((id, 0));
    } else {
        pool.queue.push_front(job.province);
    }
}

fn heard(pool: &Rc<RefCell<Pool>>, index: usize, report: Report) {
    let release = pool.borrow().release;
    match report {
        Report::Ready => {
            if let Some(slot) = pool.borrow_mut().workers.get_mut(index) {
                slot.ready = true;
            }
            dispatch(pool, index);
        }
        Report::Progress { id, bytes } => {
            let delta = {
                let mut p = pool.borrow_mut();
                let Some(entry) = p.running.iter_mut().find(|(j, _)| *j == id) else { return };
                let delta = bytes.saturating_sub(entry.1);
                entry.1 = bytes;
                delta
            };
            release.audit.update(|a| a.bytes_done = a.bytes_done.saturating_add(delta));
        }
        Report::Done { id, province, outcome, bytes, counties } => {
            let delta = finish_job(pool, index, id, bytes);
            let p = release.places.with_untracked(|places| places.province_index(&province));
            let outcome = outcome.map(Arc::new);
            let area = match &outcome {
                Ok(verified) => Area::Recounted(Arc::new(ProvinceData::from_recount(verified.clone()))),
                Err(findings) => Area::Failed(Arc::new(findings.clone())),
            };
            let stations = outcome.as_ref().map_or(0, |v| v.signatures_verified);
            // The province's figures move on before the verdict that counts them.
            if let Some(p) = p {
                release.places.update(|places| {
                    let mut next = places.with_area(p, area);
                    if next.county_boundaries(p).is_none() {
                        if let Some(counties) = counties.as_deref().and_then(|b64| counties_of(&next, p, b64)) {
                            next = next.with_counties(p, counties);
                        }
                    }
                    *places = Arc::new(next);
                });
            }
            release.audit.update(|a| {
                a.add_province(&province, outcome);
                a.provinces_done += 1;
                a.stations_verified = a.stations_verified.saturating_add(stations);
                a.bytes_done = a.bytes_done.saturating_add(delta);
                a.unavailable.retain(|(code, _)| *code != province);
                if a.audited().is_complete() {
                    a.phase = AuditPhase::Complete;
                }
            });
            dispatch(pool, index);
        }
        // Kept by the assembler until their report is whole.
        Report::Stations { .. } => {}
        Report::Unavailable { id, province, error } => {
            finish_job(pool, index, id, 0);
            release.audit.update(|a| a.unavailable.push((province, error.url().to_owned())));
            dispatch(pool, index);
        }
    }
}

/// Province `p`'s counties' boundaries from the bytes a worker downloaded,
/// once they match the release again.
fn counties_of(places: &crate::state::Places, p: usize, base64: &str) -> Option<shafaf_core::map::Boundaries> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD.decode(base64).ok()?;
    let province = places.province(p).code.clone();
    let entry = places.signed.entry(FileKind::GeoCounties, Some(&province))?;
    let file = shafaf_core::verify::check_file(entry, Some(&bytes)).ok()?;
    let mut boundaries = shafaf_core::map::Boundaries::default();
    boundaries.add_counties(province, &file);
    Some(boundaries)
}

/// Frees worker `index` from job `id`; the bytes it read beyond what it
/// said in its progress reports.
fn finish_job(pool: &Rc<RefCell<Pool>>, index: usize, id: u32, bytes: u64) -> u64 {
    let mut p = pool.borrow_mut();
    if let Some(slot) = p.workers.get_mut(index) {
        slot.job = None;
    }
    let told = p.running.iter().find(|(j, _)| *j == id).map_or(0, |(_, b)| *b);
    p.running.retain(|(j, _)| *j != id);
    bytes.saturating_sub(told)
}
