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
//! connection) the audit waits for the reader to ask for it. So does a phone
//! (a touch screen without a mouse) when the audit is larger than
//! [`PHONE_AUDIT_BYTES`]: there the province the reader opens is audited
//! alone, and the rest of the country waits for the reader to ask.
//!
//! The history view audits past releases with the same jobs, in workers of
//! its own ([`audit_elsewhere`]).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::format::Publication;
use shafaf_core::model::FileKind;
use shafaf_core::verify::{AuditedRelease, VerifiedProvince};
use shafaf_core::Finding;
use shafaf_worker::{Assembler, FetchError, Job, Report};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::load::{Config, LoadError, SignedLoad};
use crate::state::{Area, AuditPhase, AuditState, CouncilsIndex, ProvinceData, Release};

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
    /// Provinces the reader opened before their release's pool existed (the
    /// first view still settling), for [`start`] to audit first.
    static OPENED: RefCell<Vec<(RwSignal<AuditState>, String)>> = const { RefCell::new(Vec::new()) };
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
    /// While the audit waits for the reader: the provinces it audits anyway,
    /// those the reader opened (on a phone; none when saving data).
    shown: Option<Vec<String>>,
    /// Outcomes the views have yet to take, and whether they are taking them.
    arrived: Vec<Arrival>,
    flushing: bool,
    /// How many workers stopped (see [`stop`]).
    stopped: usize,
}

/// A worker's message handler, kept as long as the worker.
type OnMessage = Closure<dyn FnMut(web_sys::MessageEvent)>;
/// A worker's error handler, kept as long as the worker.
type OnError = Closure<dyn FnMut(web_sys::Event)>;

/// A worker as the page started it, with its handlers.
struct Started {
    worker: web_sys::Worker,
    _onmessage: OnMessage,
    _onerror: OnError,
}

struct Slot {
    started: Started,
    ready: bool,
    /// The job it is working on, and its province.
    job: Option<(u32, String)>,
    /// Stopped by the page (see [`stop`]): what else it says is not used.
    stopped: bool,
}

/// A worker that stopped is replaced this many times in an audit at most:
/// a worker whose code cannot be downloaded, or that fails on every
/// province, does not make the page start workers without end.
const MAX_REPLACED: usize = 3;

impl Drop for Pool {
    fn drop(&mut self) {
        for slot in &self.workers {
            slot.started.worker.terminate();
        }
    }
}

/// On a phone the audit starts by itself only up to this many bytes (as the
/// release lists them, before compression): a province or a small election,
/// not a whole country (about 150 MB listed, 25 MB transferred). A
/// deployment may set another (`phone_audit_bytes` in `config.json`).
pub const PHONE_AUDIT_BYTES: u64 = 16_000_000;

/// When the audit starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// By itself, once the first view has its files.
    ByItself,
    /// When the reader asks; meanwhile each province the reader opens is
    /// audited (a phone, with a large audit).
    WhenAskedAuditingShown,
    /// When the reader asks, and nothing before (the reader saves data).
    WhenAsked,
}

impl Start {
    /// `phone_limit`: up to how many bytes a phone audits by itself.
    pub fn choose(saves_data: bool, phone: bool, bytes_total: u64, phone_limit: u64) -> Start {
        if saves_data {
            Start::WhenAsked
        } else if phone && bytes_total > phone_limit {
            Start::WhenAskedAuditingShown
        } else {
            Start::ByItself
        }
    }

    /// For this browser and an audit of `bytes_total` bytes.
    fn here(config: &Config, bytes_total: u64) -> Start {
        Start::choose(saves_data(), on_phone(), bytes_total, config.phone_audit_bytes)
    }
}

/// Whether the primary pointer is a finger and there is no mouse.
fn on_phone() -> bool {
    let matches =
        |query: &str| web_sys::window().and_then(|w| w.match_media(query).ok().flatten()).is_some_and(|m| m.matches());
    matches("(pointer: coarse)") && !matches("(any-pointer: fine)")
}

/// Whether the browser signals that the reader pays for data or wants to
/// save it.
fn saves_data() -> bool {
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
/// there is to do, and whether it starts by itself (also for [`start`]).
pub fn initial_state(config: &Config, load: &SignedLoad) -> (AuditState, Start) {
    let audited = AuditedRelease::new(Arc::clone(&load.signed));
    let bytes_total = province_bytes(&load.signed, None);
    let start = Start::here(config, bytes_total);
    let phase = if start == Start::ByItself { AuditPhase::Running } else { AuditPhase::Waiting };
    (AuditState::new(audited, bytes_total, phase), start)
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
pub fn start(config: &Config, load: &SignedLoad, release: Release, first: Option<String>, start: Start) {
    // The reader may have asked already ([`begin`]).
    let start = if release.audit.with_untracked(|a| a.phase) == AuditPhase::Running { Start::ByItself } else { start };
    let signed = &load.signed;
    let mut codes: Vec<String> = signed.election().provinces.iter().map(|p| p.code.to_string()).collect();
    // The largest first: the pool finishes sooner.
    codes.sort_by_key(|code| std::cmp::Reverse(province_bytes(signed, Some(code))));
    let mut queue: VecDeque<String> = codes.into();
    // The province the page opened at, then those the reader opened since:
    // the last one opened is audited first.
    let since = OPENED.with(|o| std::mem::take(&mut *o.borrow_mut()));
    let since = since.into_iter().filter(|(audit, _)| *audit == release.audit).map(|(_, code)| code);
    let mut opened: Vec<String> = Vec::new();
    for code in first.into_iter().chain(since) {
        if queue.contains(&code) && !opened.contains(&code) {
            queue.retain(|c| *c != code);
            queue.push_front(code.clone());
            opened.push(code);
        }
    }
    let (shown, workers) = match start {
        Start::ByItself => (None, cores()),
        // A phone: the provinces the reader opened, alone, if any.
        Start::WhenAskedAuditingShown => (Some(opened), 1),
        Start::WhenAsked => (None, 0),
    };
    let idle = workers == 0 || shown.as_ref().is_some_and(Vec::is_empty);
    let template = Job {
        id: 0,
        publication: config.source.publication.clone(),
        root_sha256: config.source.root_sha256.to_hex(),
        now: load.now.unix_timestamp(),
        require_log: load.policy.require_log,
        held: load.policy.held.as_ref().map(|h| h.body()),
        witnesses_pending: false,
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
        shown,
        arrived: Vec::new(),
        flushing: false,
        stopped: 0,
    }));
    POOL.with(|p| *p.borrow_mut() = Some(pool.clone()));
    if !idle {
        leptos::task::spawn_local(after_first_view(pool, workers));
    }
}

/// The view the reader opened gets the network and the processor first:
/// the audit starts once it has drawn and fetched its own province's files
/// (ten seconds at most), unless a newer release replaced this one. There
/// are then `workers` workers at least, and those free take a province.
async fn after_first_view(pool: Rc<RefCell<Pool>>, workers: usize) {
    crate::load::first_view_settled().await;
    if POOL.with(|p| p.borrow().as_ref().is_some_and(|current| Rc::ptr_eq(current, &pool))) {
        spawn_workers(&pool, workers);
        dispatch_all(&pool);
    }
}

/// Gives every free worker a province, if any is left for it.
fn dispatch_all(pool: &Rc<RefCell<Pool>>) {
    let workers = pool.borrow().workers.len();
    for index in 0..workers {
        dispatch(pool, index);
    }
}

/// The reader asked for the audit of `release` that waited (Save-Data):
/// start it. Asked before its pool exists (the first view is still
/// settling), the pool starts running, by [`start`] reading the phase.
pub fn begin(release: Release) {
    if release.audit.with_untracked(|a| a.phase) != AuditPhase::Waiting {
        return;
    }
    release.audit.update(|a| a.phase = AuditPhase::Running);
    let Some(pool) = POOL.with(|p| p.borrow().clone()) else { return };
    // An earlier release's pool: this release's starts later.
    if pool.borrow().release.audit != release.audit {
        return;
    }
    pool.borrow_mut().shown = None;
    spawn_workers(&pool, cores());
    // A worker already started for a province the reader opened takes more.
    dispatch_all(&pool);
}

/// A reader opened a view of this province of `release`: audit it next
/// (and, on a phone waiting for the reader, audit it alone).
pub fn prioritize(release: Release, code: &str) {
    let pool = POOL.with(|p| p.borrow().clone()).filter(|pool| pool.borrow().release.audit == release.audit);
    let Some(pool) = pool else {
        // Its pool does not exist yet: it starts with this province.
        OPENED.with(|o| o.borrow_mut().push((release.audit, code.to_owned())));
        return;
    };
    let start_one = {
        let mut pool = pool.borrow_mut();
        let Some(i) = pool.queue.iter().position(|c| c == code) else { return };
        if let Some(code) = pool.queue.remove(i) {
            pool.queue.push_front(code);
        }
        match &mut pool.shown {
            Some(shown) if shown.iter().any(|c| c == code) => false,
            Some(shown) => {
                shown.push(code.to_owned());
                true
            }
            None => false,
        }
    };
    if start_one {
        leptos::task::spawn_local(after_first_view(pool, 1));
    }
}

fn cores() -> usize {
    let n = web_sys::window().map(|w| w.navigator().hardware_concurrency()).unwrap_or(2.0);
    (n as usize).clamp(1, MAX_WORKERS)
}

/// Starts workers until `count` are at work; each asks for a job once loaded.
fn spawn_workers(pool: &Rc<RefCell<Pool>>, count: usize) {
    let have = pool.borrow().workers.iter().filter(|slot| !slot.stopped).count();
    if pool.borrow().workers.is_empty() && count > 0 {
        // For profilers and `cargo xtask bench`: where the first view ends and the audit begins.
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark("shafaf:audit-start");
        }
    }
    for _ in have..count {
        let index = pool.borrow().workers.len();
        let weak = Rc::downgrade(pool);
        let Some(started) = start_worker(move |message| {
            let Some(pool) = weak.upgrade() else { return };
            if pool.borrow().workers.get(index).is_none_or(|slot| slot.stopped) {
                return;
            }
            match message {
                Ok(message) => {
                    let report = pool.borrow_mut().assembler.take(message);
                    if let Some(report) = report {
                        heard(&pool, index, report);
                    }
                }
                Err(detail) => stop(&pool, index, detail),
            }
        }) else {
            continue;
        };
        pool.borrow_mut().workers.push(Slot { started, ready: false, job: None, stopped: false });
    }
}

/// Stops worker `index`, which failed (its code could not be downloaded, or
/// it met an error it did not catch) or sent a report the page could not
/// read (the page and the worker are then not the same build, or a message
/// was damaged): its job's province is unavailable, as when a download
/// fails, and nothing more of it is used. Another worker takes its place
/// while there are provinces for it ([`MAX_REPLACED`] times at most); once
/// none is left, the provinces still queued are unavailable too, named as
/// such, rather than waiting for ever.
fn stop(pool: &Rc<RefCell<Pool>>, index: usize, detail: String) {
    let job = {
        let mut p = pool.borrow_mut();
        let Some(slot) = p.workers.get_mut(index) else { return };
        if std::mem::replace(&mut slot.stopped, true) {
            return;
        }
        slot.ready = false;
        slot.started.worker.terminate();
        let job = slot.job.clone();
        p.stopped += 1;
        job
    };
    let error = FetchError::Network { url: worker_url(), detail };
    if let Some((id, province)) = job {
        // Through the assembler: it drops what it kept of the job.
        let report = pool.borrow_mut().assembler.take(Report::Unavailable { id, province, error: error.clone() });
        if let Some(report) = report {
            heard(pool, index, report);
        }
    }
    let (working, waiting, replace) = {
        let p = pool.borrow();
        let working = p.workers.iter().filter(|slot| !slot.stopped).count();
        let waiting = match &p.shown {
            Some(shown) => p.queue.iter().any(|code| shown.contains(code)),
            None => !p.queue.is_empty(),
        };
        (working, waiting, p.stopped <= MAX_REPLACED)
    };
    if waiting && replace {
        spawn_workers(pool, working + 1);
    } else if working == 0 && !replace {
        let queued = std::mem::take(&mut pool.borrow_mut().queue);
        for province in queued {
            arrived(pool, Arrival::Unavailable { province, error: error.clone().into() });
        }
    }
}

/// A worker whose messages go to `heard`, each a report or part of one, in
/// the order the worker sent them, or why one could not be read or the
/// worker stopped (after which it is not heard from).
fn start_worker(heard: impl FnMut(Result<Report, String>) + 'static) -> Option<Started> {
    let worker = web_sys::Worker::new(&worker_url()).ok()?;
    let inbox = Rc::new(Inbox {
        messages: RefCell::default(),
        reading: Cell::new(false),
        heard: RefCell::new(Box::new(heard)),
    });
    let deliver = move |message: Result<Vec<u8>, String>| {
        inbox.messages.borrow_mut().push_back(message);
        if !inbox.reading.replace(true) {
            leptos::task::spawn_local(read_inbox(inbox.clone()));
        }
    };
    let onmessage = {
        let deliver = deliver.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            // Words, not a report: what the worker did not catch, its own
            // code's failed download included (its loader says it: see
            // xtask/src/site.rs).
            if let Some(why) = data.as_string() {
                deliver(Err(format!("the audit's worker stopped: {why}")));
                return;
            }
            let Ok(bytes) = data.dyn_into::<js_sys::Uint8Array>() else { return };
            deliver(Ok(bytes.to_vec()));
        })
    };
    // Its script that could not be loaded, or an error it did not catch.
    let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        event.prevent_default();
        let message = event.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).filter(|m| !m.is_empty());
        let why = message.unwrap_or_else(|| "its code could not be downloaded".to_owned());
        deliver(Err(format!("the audit's worker stopped: {why}")));
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    Some(Started { worker, _onmessage: onmessage, _onerror: onerror })
}

/// Hears a worker's messages, read (or why one could not be).
type Heard = dyn FnMut(Result<Report, String>);

/// A worker's messages not read yet (or why it stopped).
struct Inbox {
    messages: RefCell<VecDeque<Result<Vec<u8>, String>>>,
    /// Whether a [`read_inbox`] task is at work on them.
    reading: Cell<bool>,
    heard: RefCell<Box<Heard>>,
}

/// Reads the inbox's messages in order, each in a task of its own (a
/// message is sized to keep its task short). While the code that reads them
/// cannot be downloaded, the messages wait, and it is asked for again later.
async fn read_inbox(inbox: Rc<Inbox>) {
    loop {
        if inbox.messages.borrow().is_empty() {
            inbox.reading.set(false);
            return;
        }
        if inbox.messages.borrow().front().is_some_and(Result::is_ok) {
            crate::load::until_loaded(preload_report_code, 1_000, 30_000).await;
        }
        let Some(message) = inbox.messages.borrow_mut().pop_front() else { continue };
        let report = match message {
            Ok(bytes) => read_report(bytes)
                .await
                .unwrap_or_else(|_| Err("the code that reads the workers' reports could not be downloaded".to_owned()))
                .map_err(|detail| format!("a report of the audit's worker could not be read: {detail}")),
            Err(stopped) => Err(stopped),
        };
        (inbox.heard.borrow_mut())(report);
        if !inbox.messages.borrow().is_empty() {
            crate::load::sleep(0).await;
        }
    }
}

/// A worker's message, read. Its code (every type a report carries, every
/// finding) is a chunk of its own, fetched when the first worker speaks:
/// the first view does not wait for it (see xtask/src/split.rs).
#[leptos::wasm_split::wasm_split(
    read_report,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_report_code),
    fallible
)]
fn read_report(bytes: Vec<u8>) -> Result<Result<Report, String>, leptos::wasm_split::SplitLoaderError> {
    Ok(Report::from_bytes(&bytes))
}

/// Gives worker `index` the next province, if any is left.
fn dispatch(pool: &Rc<RefCell<Pool>>, index: usize) {
    let mut guard = pool.borrow_mut();
    let pool = &mut *guard;
    let Some(slot) = pool.workers.get(index) else { return };
    if !slot.ready || slot.job.is_some() {
        return;
    }
    let next = match &pool.shown {
        // Waiting for the reader: only the provinces the reader opened.
        Some(shown) => pool.queue.iter().position(|c| shown.contains(c)),
        None => (!pool.queue.is_empty()).then_some(0),
    };
    let Some(code) = next.and_then(|i| pool.queue.remove(i)) else { return };
    let id = pool.next_id;
    pool.next_id += 1;
    let job = Job { id, province: code, ..pool.template.clone() };
    if post_job(&pool.workers[index].started.worker, &job, &pool.metadata) {
        pool.workers[index].job = Some((id, job.province));
        pool.running.push((id, 0));
    } else {
        pool.queue.push_front(job.province);
    }
}

/// Sends `job` to `worker` with the release's signed metadata; whether it went.
fn post_job(worker: &web_sys::Worker, job: &Job, metadata: &Publication) -> bool {
    let paths = js_sys::Array::new();
    let files = js_sys::Array::new();
    for (path, bytes) in metadata.iter() {
        paths.push(&JsValue::from_str(path));
        files.push(&js_sys::Uint8Array::from(bytes));
    }
    let message = js_sys::Array::of3(&serde_json::to_string(job).unwrap_or_default().into(), &paths, &files);
    worker.post_message(&message).is_ok()
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
            arrived(pool, Arrival::Done { province, outcome: outcome.map(Arc::new), counties, delta });
            dispatch(pool, index);
        }
        // Kept by the assembler until their report is whole.
        Report::Stations { .. } | Report::Contests { .. } => {}
        Report::Unavailable { id, province, error } => {
            finish_job(pool, index, id, 0);
            arrived(pool, Arrival::Unavailable { province, error: error.into() });
            dispatch(pool, index);
        }
    }
}

/// A province's outcome, on its way to the views.
enum Arrival {
    Done {
        province: String,
        outcome: Result<Arc<shafaf_core::verify::VerifiedProvince>, Vec<shafaf_core::Finding>>,
        counties: Option<String>,
        /// Bytes read beyond the progress reports.
        delta: u64,
    },
    Unavailable {
        province: String,
        error: LoadError,
    },
}

/// Queues an outcome for the views. They take it in tasks of their own,
/// after the message that brought it: the province's figures in one, the
/// verdict in the next, each with every outcome that arrived meanwhile.
fn arrived(pool: &Rc<RefCell<Pool>>, arrival: Arrival) {
    let mut p = pool.borrow_mut();
    p.arrived.push(arrival);
    if !p.flushing {
        p.flushing = true;
        leptos::task::spawn_local(flush(Rc::downgrade(pool)));
    }
}

async fn flush(pool: std::rc::Weak<RefCell<Pool>>) {
    loop {
        crate::load::sleep(0).await;
        let Some(strong) = pool.upgrade() else { return };
        let (release, batch) = {
            let mut p = strong.borrow_mut();
            if p.arrived.is_empty() {
                p.flushing = false;
                return;
            }
            (p.release, std::mem::take(&mut p.arrived))
        };
        drop(strong);
        // The provinces' figures move on before the verdict that counts them.
        // Each province's councils are indexed for the search in a task of
        // their own: a large province's take tens of milliseconds on a phone.
        let mut moved: Vec<(Arrival, Option<(Area, CouncilsIndex)>)> = Vec::with_capacity(batch.len());
        for arrival in batch {
            let area = match &arrival {
                Arrival::Done { outcome: Ok(verified), .. } => {
                    Some(Area::Recounted(Arc::new(ProvinceData::from_recount(verified.clone()))))
                }
                Arrival::Done { outcome: Err(findings), .. } => Some(Area::Failed(Arc::new(findings.clone()))),
                Arrival::Unavailable { .. } => None,
            };
            let places = release.places.get_untracked();
            let indexed = match (&arrival, area) {
                (Arrival::Done { province, .. }, Some(area)) => places.province_index(province).map(|p| {
                    let councils = places.councils_index(p, &area);
                    (area, councils)
                }),
                _ => None,
            };
            moved.push((arrival, indexed));
            crate::load::sleep(0).await;
        }
        release.places.update(|places| {
            for (arrival, indexed) in &mut moved {
                let (Arrival::Done { province, counties, .. }, Some((area, councils))) = (&*arrival, indexed.take())
                else {
                    continue;
                };
                let Some(p) = places.province_index(province) else { continue };
                let mut next = places.with_area_indexed(p, area, councils);
                if next.county_boundaries(p).is_none() {
                    if let Some(counties) = counties.as_deref().and_then(|b64| counties_of(&next, p, b64)) {
                        next = next.with_counties(p, counties);
                    }
                }
                *places = Arc::new(next);
            }
        });
        crate::load::sleep(0).await;
        release.audit.update(|a| {
            for (arrival, _) in moved {
                match arrival {
                    Arrival::Done { province, outcome, delta, .. } => {
                        let stations = outcome.as_ref().map_or(0, |v| v.signatures_verified);
                        a.add_province(&province, outcome);
                        a.provinces_done += 1;
                        a.stations_verified = a.stations_verified.saturating_add(stations);
                        a.bytes_done = a.bytes_done.saturating_add(delta);
                        a.unavailable.retain(|(code, _)| *code != province);
                    }
                    Arrival::Unavailable { province, error } => a.unavailable.push((province, error)),
                }
            }
            if a.audited().is_complete() {
                a.phase = AuditPhase::Complete;
            }
        });
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

/// A province's outcome as a worker reports it.
pub type ProvinceOutcome = Result<VerifiedProvince, Vec<Finding>>;

/// Audits the provinces `codes` of a release other than the one shown (a
/// past release, for the history view) in workers of their own, the same
/// jobs as the audit of the release shown's: `template` without its
/// province, `metadata` the release's signed files. The page's main thread
/// only hands out provinces and reads the outcomes, a message at a time.
/// `progress` hears how many provinces have an outcome. Resolves once every
/// province has one, or with the first download that failed; dropped, it
/// stops its workers.
pub async fn audit_elsewhere(
    template: Job,
    metadata: Publication,
    codes: Vec<String>,
    progress: impl Fn(usize) + 'static,
) -> Result<Vec<(String, ProvinceOutcome)>, FetchError> {
    let (done, finished) = futures::channel::oneshot::channel();
    let expected = codes.len();
    let batch = Rc::new(RefCell::new(Elsewhere {
        template,
        metadata,
        queue: codes.into(),
        workers: Vec::new(),
        assembler: Assembler::default(),
        outcomes: Vec::with_capacity(expected),
        expected,
        progress: Box::new(progress),
        done: Some(done),
        next_id: 1,
    }));
    if expected == 0 {
        return Ok(Vec::new());
    }
    for _ in 0..cores().min(expected) {
        let weak = Rc::downgrade(&batch);
        let index = batch.borrow().workers.len();
        let Some(started) = start_worker(move |message| {
            let Some(batch) = weak.upgrade() else { return };
            let report = match message {
                Ok(message) => batch.borrow_mut().assembler.take(message),
                // Part of a province is missing, or the worker stopped: the
                // batch ends, as when a download fails.
                Err(detail) => {
                    let error = FetchError::Network { url: worker_url(), detail };
                    Some(Report::Unavailable { id: 0, province: String::new(), error })
                }
            };
            if let Some(report) = report {
                batch.borrow_mut().heard(index, report);
            }
        }) else {
            continue;
        };
        batch.borrow_mut().workers.push(started);
    }
    if batch.borrow().workers.is_empty() {
        let url = worker_url();
        return Err(FetchError::Network { url, detail: "the browser did not start a worker".into() });
    }
    // Without a sender the batch was dropped: nothing more will come.
    let result = finished.await.unwrap_or(Ok(()));
    let outcomes = std::mem::take(&mut batch.borrow_mut().outcomes);
    result.map(|()| outcomes)
}

/// The state of an [`audit_elsewhere`].
struct Elsewhere {
    template: Job,
    metadata: Publication,
    queue: VecDeque<String>,
    workers: Vec<Started>,
    assembler: Assembler,
    outcomes: Vec<(String, ProvinceOutcome)>,
    /// How many provinces were asked for.
    expected: usize,
    /// Hears how many have an outcome.
    progress: Box<dyn Fn(usize)>,
    done: Option<futures::channel::oneshot::Sender<Result<(), FetchError>>>,
    next_id: u32,
}

impl Elsewhere {
    fn heard(&mut self, index: usize, report: Report) {
        match report {
            Report::Done { province, outcome, .. } => {
                self.outcomes.push((province, outcome));
                (self.progress)(self.outcomes.len());
                if self.outcomes.len() == self.expected {
                    if let Some(done) = self.done.take() {
                        let _ = done.send(Ok(()));
                    }
                    return;
                }
            }
            Report::Unavailable { error, .. } => {
                if let Some(done) = self.done.take() {
                    let _ = done.send(Err(error));
                }
                return;
            }
            Report::Ready => {}
            Report::Progress { .. } | Report::Stations { .. } | Report::Contests { .. } => return,
        }
        self.next(index);
    }

    /// Gives worker `index` the next province, or ends the batch once every
    /// province has an outcome.
    fn next(&mut self, index: usize) {
        if let Some(code) = self.queue.pop_front() {
            let job = Job { id: self.next_id, province: code, ..self.template.clone() };
            self.next_id += 1;
            if !post_job(&self.workers[index].worker, &job, &self.metadata) {
                let url = worker_url();
                if let Some(done) = self.done.take() {
                    let _ = done.send(Err(FetchError::Network { url, detail: "a worker refused a job".into() }));
                }
            }
        }
    }
}

impl Drop for Elsewhere {
    fn drop(&mut self) {
        for started in &self.workers {
            started.worker.terminate();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_asks_before_a_large_audit_and_a_reader_saving_data_always() {
        let national = 150_000_000;
        let province = 3_500_000;
        let limit = PHONE_AUDIT_BYTES;
        assert_eq!(Start::choose(false, false, national, limit), Start::ByItself);
        assert_eq!(Start::choose(false, true, province, limit), Start::ByItself);
        assert_eq!(Start::choose(false, true, national, limit), Start::WhenAskedAuditingShown);
        assert_eq!(Start::choose(false, true, province, 0), Start::WhenAskedAuditingShown);
        assert_eq!(Start::choose(true, false, province, limit), Start::WhenAsked);
        assert_eq!(Start::choose(true, true, national, limit), Start::WhenAsked);
    }
}
