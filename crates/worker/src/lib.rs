//! What the page and its audit workers share: the messages between them, and
//! the one way either downloads a file of the publication — streamed, checked
//! as it arrives, and stopped as soon as it passes its size.
//!
//! A worker stays dumb: it takes a [`Job`] (audit one province of the
//! release the page verified) with the bytes of the release's signed
//! metadata, re-verifies that metadata itself with the core's stages (so the
//! province is checked against the same release, through the same types),
//! downloads the province's files and runs [`audit_province`]; it answers
//! with a [`Report`]. What the outcome means for the page is the page's
//! business.
//!
//! [`audit_province`]: shafaf_core::verify::audit_province

// Findings are the core's error type and larger than clippy likes; see shafaf-core.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use shafaf_core::model::FileEntry;
use shafaf_core::verify::{CheckedFile, ContestOutcome, FileCheck, StationOutcome, VerifiedProvince};
use shafaf_core::Finding;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

mod wire;

/// The page's request: audit one province of a release, the one shown or
/// (for the history view) a past one, as of `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: u32,
    /// The publication's folder: absolute, ending in `/`.
    pub publication: String,
    /// The trust root the page pins (SHA-256, hex).
    pub root_sha256: String,
    /// The page's clock when it verified the release, in seconds since 1970:
    /// the worker checks expiry as of the same moment.
    pub now: i64,
    /// Whether the page required the release log (see `LogPolicy::require_log`).
    pub require_log: bool,
    /// The checkpoint the page held before (its note body), if any.
    pub held: Option<String>,
    /// Whether the release's witnesses may not have cosigned it yet (a past
    /// release of the history view: see `LogPolicy::witnesses_pending`).
    #[serde(default)]
    pub witnesses_pending: bool,
    /// The province to audit (its code).
    pub province: String,
}

/// What a worker says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Report {
    /// Loaded and listening: jobs sent before this are lost.
    Ready,
    /// Bytes of the job's files received so far.
    Progress { id: u32, bytes: u64 },
    /// Some of the stations of the job's [`Report::Done`], which follows
    /// without them (see [`Report::into_messages`]).
    Stations {
        id: u32,
        #[serde(with = "wire")]
        stations: Vec<StationOutcome>,
    },
    /// Some of the councils of the job's [`Report::Done`], likewise.
    Contests { id: u32, contests: Vec<ContestOutcome> },
    /// The province's outcome: verified and recounted, or why not.
    Done {
        id: u32,
        province: String,
        outcome: Result<VerifiedProvince, Vec<Finding>>,
        /// Bytes of the province's files read.
        bytes: u64,
        /// The province's counties' boundaries as downloaded (base64), when
        /// the release lists them: the page draws its map from them
        /// (checking them again) instead of downloading them twice.
        counties: Option<String>,
    },
    /// A file could not be downloaded (network, server error): no verdict.
    Unavailable { id: u32, province: String, error: FetchError },
}

/// At most this many stations in one message: the page reads each message
/// in one task, which must stay short (a province can have thousands). 200
/// took up to 60 ms on a desktop, read by code just downloaded.
pub const STATIONS_PER_MESSAGE: usize = 100;

/// At most this many councils in one message (each with its candidates).
pub const CONTESTS_PER_MESSAGE: usize = 100;

/// The first byte of a [`Report::Stations`] message, which no JSON text
/// begins with: then the job's id (4 bytes, little-endian) and the stations
/// in [`wire`]'s form, written with postcard (a binary serde format).
const STATIONS: u8 = 0;

impl Report {
    /// The report as it travels, as bytes (moved to the page, not copied as
    /// a string): JSON, but for the stations, which are nearly all the
    /// bytes of a national audit and which the page reads on its main
    /// thread: those in a binary form, read in a fraction of the time.
    pub fn to_bytes(&self) -> Vec<u8> {
        // A report is plain data; serialising it cannot fail.
        match self {
            Report::Stations { id, stations } => {
                let mut bytes = vec![STATIONS];
                bytes.extend(id.to_le_bytes());
                wire::write(stations, bytes)
            }
            _ => serde_json::to_vec(self).unwrap_or_default(),
        }
    }

    /// The job the report is about (`None` for [`Report::Ready`]).
    pub fn job(&self) -> Option<u32> {
        match self {
            Report::Ready => None,
            Report::Progress { id, .. }
            | Report::Stations { id, .. }
            | Report::Contests { id, .. }
            | Report::Done { id, .. }
            | Report::Unavailable { id, .. } => Some(*id),
        }
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Report, String> {
        if let Some((&STATIONS, rest)) = bytes.split_first() {
            let (id, body) = rest.split_first_chunk::<4>().ok_or("a stations message without its job")?;
            return Ok(Report::Stations { id: u32::from_le_bytes(*id), stations: wire::read(body)? });
        }
        // From a `str`, as every document is read (see `format::parse_json`).
        let text = std::str::from_utf8(bytes).map_err(|_| "the report is not UTF-8 text")?;
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// The messages that carry this report: a verified province's stations
    /// go first, [`STATIONS_PER_MESSAGE`] at a time, then its councils,
    /// [`CONTESTS_PER_MESSAGE`] at a time, and its `Done` follows without
    /// them. [`Assembler`] puts them back together.
    pub fn into_messages(self) -> Vec<Report> {
        let Report::Done { id, province, outcome: Ok(mut verified), bytes, counties } = self else {
            return vec![self];
        };
        let mut messages = Vec::new();
        let mut stations = std::mem::take(&mut verified.stations).into_iter().peekable();
        while stations.peek().is_some() {
            messages.push(Report::Stations { id, stations: stations.by_ref().take(STATIONS_PER_MESSAGE).collect() });
        }
        let mut contests = std::mem::take(&mut verified.contests).into_iter().peekable();
        while contests.peek().is_some() {
            messages.push(Report::Contests { id, contests: contests.by_ref().take(CONTESTS_PER_MESSAGE).collect() });
        }
        messages.push(Report::Done { id, province, outcome: Ok(verified), bytes, counties });
        messages
    }
}

/// Puts the messages of [`Report::into_messages`] back together, on the page.
#[derive(Debug, Default)]
pub struct Assembler {
    parts: HashMap<u32, Parts>,
}

/// What arrived of a job's verified province before its `Done`.
#[derive(Debug, Default)]
struct Parts {
    stations: Vec<StationOutcome>,
    contests: Vec<ContestOutcome>,
}

impl Assembler {
    /// The report a message completes, if any: `Stations` and `Contests`
    /// are kept until their job's `Done`.
    pub fn take(&mut self, message: Report) -> Option<Report> {
        match message {
            Report::Stations { id, stations } => {
                self.parts.entry(id).or_default().stations.extend(stations);
                None
            }
            Report::Contests { id, contests } => {
                self.parts.entry(id).or_default().contests.extend(contests);
                None
            }
            Report::Done { id, province, mut outcome, bytes, counties } => {
                let parts = self.parts.remove(&id).unwrap_or_default();
                if let Ok(verified) = &mut outcome {
                    verified.stations = parts.stations;
                    verified.contests = parts.contests;
                }
                Some(Report::Done { id, province, outcome, bytes, counties })
            }
            Report::Unavailable { id, .. } => {
                self.parts.remove(&id);
                Some(message)
            }
            other => Some(other),
        }
    }
}

/// Why a download did not complete: nothing was verified or refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FetchError {
    /// The request did not complete (offline, refused, blocked).
    Network { url: String, detail: String },
    /// The server answered with an error status (other than 404 for a
    /// listed file, which is a finding: the file is missing).
    Status { url: String, status: u16 },
}

impl FetchError {
    pub fn url(&self) -> &str {
        match self {
            FetchError::Network { url, .. } | FetchError::Status { url, .. } => url,
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, in a window and in a worker alike.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> js_sys::Promise;

    /// The global `setTimeout`, in a window and in a worker alike.
    #[wasm_bindgen(js_name = setTimeout)]
    fn global_set_timeout(callback: &js_sys::Function, ms: i32) -> JsValue;
}

/// A download that receives nothing for this long has stalled: it is
/// abandoned (a connection the network or a server left hanging would
/// otherwise keep the page waiting for ever).
pub const STALL_MS: i32 = 15_000;

/// How many times a small file whose download stalled is asked for again.
const STALL_RETRIES: usize = 2;

/// `future`'s output, or `None` when it took longer than `ms`.
async fn within<T>(ms: i32, future: impl std::future::Future<Output = T>) -> Option<T> {
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        global_set_timeout(&resolve, ms);
    });
    let timer = JsFuture::from(timer);
    futures::pin_mut!(future);
    match futures::future::select(future, timer).await {
        futures::future::Either::Left((out, _)) => Some(out),
        futures::future::Either::Right(_) => None,
    }
}

fn stalled(url: &str) -> FetchError {
    FetchError::Network { url: url.to_owned(), detail: format!("nothing was received for {} s", STALL_MS / 1000) }
}

/// How a file may be taken from the browser's cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Content-addressed files: never change, any cached copy will do.
    Cached,
    /// Files that change from release to release: ask the server each time.
    Fresh,
}

impl Freshness {
    /// The cache mode a request for such a file is made with.
    fn cache(self) -> web_sys::RequestCache {
        match self {
            Freshness::Cached => web_sys::RequestCache::Default,
            Freshness::Fresh => web_sys::RequestCache::NoCache,
        }
    }
}

/// The response to a GET of `url`, once its headers arrived; abandoned
/// (and the request aborted) when they take longer than [`STALL_MS`].
async fn response(url: &str, freshness: Freshness) -> Result<web_sys::Response, FetchError> {
    let network = |e: JsValue| FetchError::Network { url: url.to_owned(), detail: describe(&e) };
    if let Some(early) = take_early(url, freshness) {
        // One that failed or stalls is asked for again, here.
        if let Some(Ok(response)) = within(STALL_MS, JsFuture::from(early)).await {
            if let Ok(response) = response.dyn_into::<web_sys::Response>() {
                return Ok(response);
            }
        }
    }
    let init = web_sys::RequestInit::new();
    init.set_cache(freshness.cache());
    let abort = web_sys::AbortController::new().ok();
    if let Some(abort) = &abort {
        init.set_signal(Some(&abort.signal()));
    }
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(network)?;
    let Some(response) = within(STALL_MS, JsFuture::from(global_fetch(&request))).await else {
        if let Some(abort) = abort {
            abort.abort();
        }
        return Err(stalled(url));
    };
    response.map_err(network)?.dyn_into::<web_sys::Response>().map_err(network)
}

/// The response `index.html` started to `url` before the app ran (its
/// `shafafEarly` map, which only a page has), if it asked with the cache mode
/// `freshness` asks for; taken once. What it holds is only where a download
/// started: the caller reads and checks the body as it would its own. The
/// address is marked as asked for (`false`) either way, so that the page's
/// script, if it is behind the app (a fast network), does not start it again.
fn take_early(url: &str, freshness: Freshness) -> Option<js_sys::Promise> {
    let early: js_sys::Map = js_sys::Reflect::get(&js_sys::global(), &"shafafEarly".into()).ok()?.dyn_into().ok()?;
    let key = JsValue::from_str(url);
    let entry = early.get(&key);
    early.set(&key, &JsValue::FALSE);
    if !entry.is_object() {
        return None;
    }
    let cache = js_sys::Reflect::get(&entry, &"cache".into()).ok()?;
    if web_sys::RequestCache::from_js_value(&cache) != Some(freshness.cache()) {
        return None;
    }
    js_sys::Reflect::get(&entry, &"response".into()).ok()?.dyn_into().ok()
}

fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| "the request failed".into())
}

/// Reads a response body chunk by chunk, handing each to `take`; stops (and
/// cancels the download) as soon as `take` refuses one.
async fn read_body<E>(
    url: &str,
    response: &web_sys::Response,
    mut take: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<Result<(), E>, FetchError> {
    let network = |e: JsValue| FetchError::Network { url: url.to_owned(), detail: describe(&e) };
    let Some(body) = response.body() else { return Ok(Ok(())) };
    let reader: web_sys::ReadableStreamDefaultReader =
        body.get_reader().dyn_into().map_err(|o: js_sys::Object| network(o.into()))?;
    loop {
        let Some(chunk) = within(STALL_MS, JsFuture::from(reader.read())).await else {
            let _ = reader.cancel();
            return Err(stalled(url));
        };
        let chunk = chunk.map_err(network)?;
        let done = js_sys::Reflect::get(&chunk, &"done".into()).map_err(network)?;
        if done.as_bool().unwrap_or(true) {
            return Ok(Ok(()));
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).map_err(network)?;
        let bytes = js_sys::Uint8Array::new(&value).to_vec();
        if let Err(refused) = take(&bytes) {
            // Read no further: the server may send without end.
            let _ = reader.cancel();
            return Ok(Err(refused));
        }
    }
}

/// Downloads a file the verified release lists and checks it as it streams
/// in ([`FileCheck`]): a body longer than the listed size is refused as soon
/// as it passes it, without reading on. A 404 is a missing file (a finding);
/// other failures are [`FetchError`]s. `progress` hears the bytes so far.
/// A download that stalls ([`STALL_MS`]) is started again, twice at most.
pub async fn fetch_listed(
    folder: &str,
    entry: &FileEntry,
    freshness: Freshness,
    mut progress: impl FnMut(u64),
) -> Result<Result<CheckedFile<'static>, Finding>, FetchError> {
    let url = format!("{folder}{}", entry.path);
    let mut attempt = 0;
    loop {
        match fetch_listed_once(&url, entry, freshness, &mut progress).await {
            Err(e) if e == stalled(&url) && attempt < STALL_RETRIES => attempt += 1,
            other => return other,
        }
    }
}

async fn fetch_listed_once(
    url: &str,
    entry: &FileEntry,
    freshness: Freshness,
    progress: &mut impl FnMut(u64),
) -> Result<Result<CheckedFile<'static>, Finding>, FetchError> {
    let url = url.to_owned();
    let response = response(&url, freshness).await?;
    if response.status() == 404 {
        return Ok(Err(Finding::FileMissing { file: entry.path.clone() }));
    }
    if !response.ok() {
        return Err(FetchError::Status { url, status: response.status() });
    }
    let mut check = FileCheck::new(entry);
    let read = read_body(&url, &response, |chunk| {
        check.update(chunk)?;
        progress(check.received());
        Ok(())
    })
    .await?;
    Ok(read.and_then(|()| check.finish()))
}

/// A file the release does not list (the trust root, the manifest, the log's
/// files): fetched fresh, and refused past `limit` bytes, the most its kind
/// may have. `Ok(None)` when the server has no such file (404).
pub async fn fetch_capped(url: &str, limit: u64) -> Result<Option<Vec<u8>>, FetchCapped> {
    let mut attempt = 0;
    loop {
        match fetch_capped_once(url, limit).await {
            Err(FetchCapped::Fetch(e)) if e == stalled(url) && attempt < STALL_RETRIES => attempt += 1,
            other => return other,
        }
    }
}

async fn fetch_capped_once(url: &str, limit: u64) -> Result<Option<Vec<u8>>, FetchCapped> {
    let response = response(url, Freshness::Fresh).await?;
    if response.status() == 404 {
        return Ok(None);
    }
    if !response.ok() {
        return Err(FetchError::Status { url: url.to_owned(), status: response.status() }.into());
    }
    let mut bytes = Vec::new();
    let read = read_body(url, &response, |chunk| {
        if (bytes.len() + chunk.len()) as u64 > limit {
            return Err(());
        }
        bytes.extend_from_slice(chunk);
        Ok(())
    })
    .await?;
    match read {
        Ok(()) => Ok(Some(bytes)),
        Err(()) => Err(FetchCapped::TooLarge { url: url.to_owned(), limit }),
    }
}

/// Why [`fetch_capped`] gave no bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchCapped {
    Fetch(FetchError),
    /// The server sent more than a file of its kind may hold.
    TooLarge {
        url: String,
        limit: u64,
    },
}

impl From<FetchError> for FetchCapped {
    fn from(e: FetchError) -> FetchCapped {
        FetchCapped::Fetch(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contest(i: usize) -> ContestOutcome {
        let contest = serde_json::from_value(serde_json::json!({
            "id": format!("C{i}"),
            "kind": "village",
            "county": "0101",
            "name": { "fa": "ده", "en": "Deh" },
            "seats": 3,
            "alternates": 2,
            "eligible": 10,
            "candidates": [],
        }))
        .unwrap();
        ContestOutcome::published(contest)
    }

    fn province(stations: usize) -> VerifiedProvince {
        let station = |i: usize| {
            serde_json::json!({
                "station": { "id": format!("S{i}"), "contest": "C1", "eligible": i, "device": "AAAA" },
                "device": "ab".repeat(32),
                "contest": 0,
                "result": null,
            })
        };
        serde_json::from_value(serde_json::json!({
            "code": "IR-15",
            "contests": [],
            "stations": (0..stations).map(station).collect::<Vec<_>>(),
            "findings": [],
            "signatures_verified": stations,
            "files": [],
        }))
        .unwrap()
    }

    fn done(id: u32, stations: usize) -> Report {
        Report::Done { id, province: "IR-15".into(), outcome: Ok(province(stations)), bytes: 7, counties: None }
    }

    fn contests_of(report: &Report) -> Vec<String> {
        match report {
            Report::Done { outcome: Ok(p), .. } => p.contests.iter().map(|c| c.contest.id.to_string()).collect(),
            _ => panic!("not a verified province"),
        }
    }

    fn stations_of(report: &Report) -> Vec<String> {
        match report {
            Report::Done { outcome: Ok(p), .. } => p.stations.iter().map(|s| s.station.id.to_string()).collect(),
            _ => panic!("not a verified province"),
        }
    }

    #[test]
    fn a_large_province_travels_in_short_messages_and_arrives_whole() {
        let mut original = done(3, 2 * STATIONS_PER_MESSAGE + 5);
        if let Report::Done { outcome: Ok(p), .. } = &mut original {
            p.contests = (0..CONTESTS_PER_MESSAGE + 1).map(contest).collect();
        }
        let messages = original.clone().into_messages();
        // Three of stations, two of councils, and the rest.
        assert_eq!(messages.len(), 6);
        let mut assembler = Assembler::default();
        let mut out = Vec::new();
        for message in messages {
            let bytes = message.to_bytes();
            // Each is read in one task of the page: tens of kilobytes, not megabytes.
            assert!(bytes.len() < 40_000, "{} bytes", bytes.len());
            out.extend(assembler.take(Report::from_bytes(&bytes).unwrap()));
        }
        assert_eq!(out.len(), 1);
        assert_eq!(stations_of(&out[0]), stations_of(&original));
        assert_eq!(contests_of(&out[0]), contests_of(&original));
    }

    #[test]
    fn interleaved_jobs_keep_their_own_stations() {
        let (a, b) = (done(1, STATIONS_PER_MESSAGE + 1).into_messages(), done(2, 3).into_messages());
        let mut assembler = Assembler::default();
        let mut out = Vec::new();
        for message in [a[0].clone(), b[0].clone(), a[1].clone(), b[1].clone(), a[2].clone()] {
            out.extend(assembler.take(message));
        }
        assert_eq!(stations_of(&out[0]).len(), 3);
        assert_eq!(stations_of(&out[1]).len(), STATIONS_PER_MESSAGE + 1);
        // Failed outcomes and other reports pass as they are.
        let failed = Report::Done { id: 4, province: "IR-16".into(), outcome: Err(vec![]), bytes: 0, counties: None };
        assert_eq!(failed.clone().into_messages().len(), 1);
        assert!(matches!(assembler.take(Report::Progress { id: 4, bytes: 1 }), Some(Report::Progress { .. })));
    }
}
