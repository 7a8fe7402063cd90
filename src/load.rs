//! Loading a publication: the app's configuration, the signed files, and the
//! one call into the core that turns them into a [`VerifiedElection`].
//!
//! Trust flows as in the core: the four entry files are fetched first, the
//! trust root is checked against the pin from `config.json` and the release
//! against the root, and only then are the files that the *verified* release
//! lists fetched. Everything fetched goes into a [`Publication`] and through
//! [`verify_publication`], the same path the CLI takes, so the browser shows
//! exactly what `shafaf verify` would.

use std::cell::Cell;
use std::sync::Arc;

use futures::future::join_all;
use serde::Deserialize;
use shafaf_core::format::{RELEASE, RELEASE_SIGS, ROOT, ROOT_SIGS};
use shafaf_core::model::Sha256Hex;
use shafaf_core::verify::{verify_publication, verify_release, verify_root, Failure, TrustAnchor, VerifiedElection};
use shafaf_core::Publication;
use time::OffsetDateTime;

/// Where the app's configuration lives, relative to the page.
pub const CONFIG_URL: &str = "config.json";

/// `config.json`, as deployed beside the app.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct ConfigFile {
    publication: String,
    root_sha256: String,
    #[serde(default)]
    demo: bool,
}

/// The configuration the app runs with: where the publication is (absolute,
/// on this origin) and the trust root it pins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub publication: String,
    pub root_sha256: Sha256Hex,
    /// A demo deployment: the banner shows even before anything verified.
    pub demo: bool,
}

/// Why nothing could be verified at all: the files could not be had. The
/// words for people are in [`crate::i18n`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The request did not complete (offline, refused, blocked).
    Network { url: String, detail: String },
    /// The server answered with an error status.
    Status { url: String, status: u16 },
    /// `config.json` is not what the app expects.
    BadConfig { url: String, detail: String },
    /// `?pub=` names a publication on another origin, or no URL at all.
    BadPublicationUrl { url: String },
}

impl LoadError {
    pub fn url(&self) -> &str {
        match self {
            LoadError::Network { url, .. }
            | LoadError::Status { url, .. }
            | LoadError::BadConfig { url, .. }
            | LoadError::BadPublicationUrl { url } => url,
        }
    }
}

/// How far loading has got, for the progress indicator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Progress {
    #[default]
    Config,
    /// The trust root and release manifest.
    Metadata,
    /// The files the verified release lists.
    Files { files_done: usize, files_total: usize, bytes_done: u64, bytes_total: u64 },
    /// Every signature and hash, and the recount.
    Verifying,
}

/// What loading ends with. Only `Verified` carries figures; the views cannot
/// reach election data any other way.
#[derive(Debug, Clone)]
pub enum Outcome {
    Verified(Arc<VerifiedElection>),
    /// Verification ran and refused the publication (failed or expired).
    Rejected(Arc<Failure>),
    /// The publication could not be fetched.
    Unavailable(LoadError),
}

/// Fetches and reads `config.json`; `?pub=` overrides the publication URL
/// (never the pinned root).
pub async fn config() -> Result<Config, LoadError> {
    let config_url = resolve(CONFIG_URL, &page_url())?;
    let bytes = fetch(&config_url).await?;
    let bad = |detail: String| LoadError::BadConfig { url: config_url.clone(), detail };
    let file: ConfigFile = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
    let root_sha256 = Sha256Hex::from_hex(&file.root_sha256)
        .ok_or_else(|| bad("root_sha256 is not 64 lowercase hex digits".into()))?;
    let relative = publication_override().unwrap_or(file.publication);
    let mut publication = resolve(&relative, &page_url())?;
    if !publication.ends_with('/') {
        publication.push('/');
    }
    Ok(Config { publication, root_sha256, demo: file.demo })
}

/// Fetches everything the publication's verified release lists and verifies
/// it, reporting progress on the way.
pub async fn publication(config: &Config, report: impl Fn(Progress)) -> Outcome {
    match fetch_and_verify(config, &report).await {
        Ok(Ok(election)) => Outcome::Verified(Arc::new(election)),
        Ok(Err(failure)) => Outcome::Rejected(Arc::new(failure)),
        Err(error) => Outcome::Unavailable(error),
    }
}

async fn fetch_and_verify(
    config: &Config,
    report: &impl Fn(Progress),
) -> Result<Result<VerifiedElection, Failure>, LoadError> {
    let anchor = TrustAnchor::pinned(config.root_sha256);
    report(Progress::Metadata);
    let entry = [ROOT, ROOT_SIGS, RELEASE, RELEASE_SIGS];
    let fetched = join_all(entry.iter().map(|path| fetch_in(config, path))).await;
    let mut publication = Publication::new();
    for (path, bytes) in entry.iter().zip(fetched) {
        publication.insert(*path, bytes?);
    }

    // The file list is read from a release that verified, never from raw bytes.
    let now = now();
    let verified_release = (|| {
        let root = verify_root(publication.get(ROOT)?, publication.get(ROOT_SIGS)?, &anchor, now).ok()?;
        verify_release(root, publication.get(RELEASE)?, publication.get(RELEASE_SIGS)?, now).ok()
    })();
    // When the root or release does not verify, the full path below says why,
    // with the same findings and audit the CLI would give.
    if let Some(release) = verified_release {
        let files = release.files();
        let files_total = files.len();
        let bytes_total = files.iter().map(|f| f.size).sum();
        let files_done = Cell::new(0usize);
        let bytes_done = Cell::new(0u64);
        let progress =
            || Progress::Files { files_done: files_done.get(), files_total, bytes_done: bytes_done.get(), bytes_total };
        report(progress());
        let (files_done, bytes_done, progress) = (&files_done, &bytes_done, &progress);
        let downloads = files.iter().map(|entry| async move {
            let bytes = fetch_in(config, &entry.path).await;
            if let Ok(b) = &bytes {
                files_done.set(files_done.get() + 1);
                bytes_done.set(bytes_done.get() + b.len() as u64);
                report(progress());
            }
            (entry.path.clone(), bytes)
        });
        for (path, bytes) in join_all(downloads).await {
            publication.insert(path, bytes?);
        }
    }

    report(Progress::Verifying);
    // Verification runs in one synchronous stretch: let the browser paint
    // "verifying…" first.
    next_paint().await;
    Ok(verify_publication(&publication, &anchor, now))
}

/// The verifier's clock. `OffsetDateTime::now_utc()` panics in wasm32-unknown-unknown.
fn now() -> OffsetDateTime {
    let seconds = (js_sys::Date::now() / 1000.0) as i64;
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn page_url() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// `?pub=<relative url>` of the page, if any.
fn publication_override() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("pub").filter(|p| !p.is_empty())
}

/// `relative` resolved against `base`; only URLs on the page's own origin,
/// so a link cannot make the app fetch from elsewhere.
fn resolve(relative: &str, base: &str) -> Result<String, LoadError> {
    let bad = || LoadError::BadPublicationUrl { url: relative.to_owned() };
    let url = web_sys::Url::new_with_base(relative, base).map_err(|_| bad())?;
    let page = web_sys::Url::new(base).map_err(|_| bad())?;
    if url.origin() != page.origin() {
        return Err(bad());
    }
    Ok(url.href())
}

async fn fetch_in(config: &Config, path: &str) -> Result<Vec<u8>, LoadError> {
    fetch(&resolve(path, &config.publication)?).await
}

async fn fetch(url: &str) -> Result<Vec<u8>, LoadError> {
    let network = |e: gloo_net::Error| LoadError::Network { url: url.to_owned(), detail: e.to_string() };
    let response = gloo_net::http::Request::get(url).send().await.map_err(network)?;
    if !response.ok() {
        return Err(LoadError::Status { url: url.to_owned(), status: response.status() });
    }
    response.binary().await.map_err(network)
}

/// Resolves after the browser had a chance to render.
async fn next_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            // 20 ms: past the next animation frame at 60 Hz.
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
        } else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
