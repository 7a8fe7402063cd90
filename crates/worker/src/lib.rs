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

use serde::{Deserialize, Serialize};
use shafaf_core::model::FileEntry;
use shafaf_core::verify::{CheckedFile, FileCheck, VerifiedProvince};
use shafaf_core::Finding;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The page's request: audit one province.
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

impl Report {
    pub fn to_json(&self) -> String {
        // A report is plain data; serialising it cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Report, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
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
}

/// How a file may be taken from the browser's cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Content-addressed files: never change, any cached copy will do.
    Cached,
    /// Files that change from release to release: ask the server each time.
    Fresh,
}

async fn response(url: &str, freshness: Freshness) -> Result<web_sys::Response, FetchError> {
    let network = |e: JsValue| FetchError::Network { url: url.to_owned(), detail: describe(&e) };
    let init = web_sys::RequestInit::new();
    init.set_cache(match freshness {
        Freshness::Cached => web_sys::RequestCache::Default,
        Freshness::Fresh => web_sys::RequestCache::NoCache,
    });
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(network)?;
    let response = JsFuture::from(global_fetch(&request)).await.map_err(network)?;
    response.dyn_into::<web_sys::Response>().map_err(network)
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
        let chunk = JsFuture::from(reader.read()).await.map_err(network)?;
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
pub async fn fetch_listed(
    folder: &str,
    entry: &FileEntry,
    freshness: Freshness,
    mut progress: impl FnMut(u64),
) -> Result<Result<CheckedFile<'static>, Finding>, FetchError> {
    let url = format!("{folder}{}", entry.path);
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
