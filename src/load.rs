//! Loading a publication: the app's configuration, the signed files, and the
//! calls into the core that verify them, stage by stage.
//!
//! Trust flows as in the core: the entry files are fetched first, the trust
//! root is checked against the pin from `config.json` and the release
//! against the root, and only then are the files the *verified* release
//! lists fetched — only those the view needs: the election file and the
//! summary make the "signed" level of the whole country ([`signed`]), and
//! the provinces' boundaries follow the first figures
//! ([`province_boundaries`]); a province's contests file and boundaries
//! are fetched when a view of it is opened ([`province`]). Every listed
//! file streams in through the core's `FileCheck` and is refused as soon as
//! it passes its listed size. Stations and results are fetched by the
//! audit's workers ([`crate::audit`]).
//!
//! Which publication: resolved once at start-up, `?pub=<relative url>` first
//! (same site, and always under `config.json`'s pinned root: a link cannot
//! make the app trust other keys), then a source the reader saved on the
//! `/source` page (address and root, in this browser's storage), then
//! `config.json`. A page opened with `?pub=` keeps it on every internal link
//! ([`Links`]), so any address copied from it opens the same publication.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;

use futures::future::join_all;
use leptos::prelude::*;
use shafaf_core::app_config::SavedSource;
use shafaf_core::format::{self, CHECKPOINT, LATEST, LATEST_SIGS, RELEASE, RELEASE_SIGS, ROOT, ROOT_SIGS};
use shafaf_core::history::diff::{diff_province, province_pairs, ReleaseDiff};
use shafaf_core::history::{audit_past_release, verify_history, History, HistoryEntry, PAST_RELEASE_POLICY};
use shafaf_core::log::{self, Checkpoint, PROOF_LIMIT};
use shafaf_core::map::Boundaries;
use shafaf_core::model::{FileEntry, FileKind, LatestDoc, Sha256Hex};
use shafaf_core::verify::log::{files_to_fetch, verify_pointer};
use shafaf_core::verify::{
    verify_archived_release, verify_release, verify_root, verify_signed, verify_signed_from, CheckedFile,
    ContestOutcome, Failure, LogPolicy, SignedContests, SignedRelease, TrustAnchor, VerifiedElection, VerifiedRoot,
};
use shafaf_core::{Finding, Publication};
use shafaf_worker::{fetch_capped, fetch_listed, FetchCapped, FetchError, Freshness, Job};

use crate::state::{Area, ProvinceData, Release};
use time::OffsetDateTime;

/// Where the app's configuration lives, relative to the app's root.
pub const CONFIG_URL: &str = "config.json";

/// Where the publication the app shows was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// `config.json`, as deployed.
    Default,
    /// `?pub=` in the address the page was opened with (same site, same pinned root).
    Link,
    /// Saved by the reader on the "publication" page (this browser only).
    Saved,
}

/// A publication: where it is (absolute, ending in `/`) and the trust root it pins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub publication: String,
    pub root_sha256: Sha256Hex,
}

/// The configuration the app runs with, resolved once at start-up:
/// `?pub=` first, then a source the reader saved, then `config.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub source: Source,
    pub kind: SourceKind,
    /// `config.json`'s own publication, for "reset to the default".
    pub default: Source,
    /// A demo deployment: the banner shows even before anything verified.
    pub demo: bool,
    /// How often an open page asks for the latest release (`?poll=<seconds>`
    /// overrides `config.json`'s `poll_seconds`; default 5).
    pub poll_seconds: u32,
    /// Up to how many bytes a phone audits every station by itself
    /// (`?phone_audit=<bytes>` overrides `config.json`'s `phone_audit_bytes`;
    /// default [`crate::audit::PHONE_AUDIT_BYTES`]).
    pub phone_audit_bytes: u64,
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

impl From<FetchError> for LoadError {
    fn from(e: FetchError) -> LoadError {
        match e {
            FetchError::Network { url, detail } => LoadError::Network { url, detail },
            FetchError::Status { url, status } => LoadError::Status { url, status },
        }
    }
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

    /// The browser's or the reader's own words for what went wrong, if any
    /// (English, as the verifier's findings are); none when they are empty.
    pub fn detail(&self) -> Option<&str> {
        match self {
            LoadError::Network { detail, .. } | LoadError::BadConfig { detail, .. } => {
                Some(detail.as_str()).filter(|d| !d.is_empty())
            }
            LoadError::Status { .. } | LoadError::BadPublicationUrl { .. } => None,
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
    /// The national files the verified release lists.
    Files { bytes_done: u64, bytes_total: u64 },
    /// Their hashes, the election file and the summary.
    Verifying,
}

/// What loading ends with. Only `Signed` carries figures; the views cannot
/// reach election data any other way.
pub enum Outcome {
    Signed(Box<SignedLoad>),
    /// Verification ran and refused the publication (failed or expired).
    Rejected(Arc<Failure>),
    /// The publication could not be fetched.
    Unavailable(LoadError),
}

/// Fetches and reads `config.json`, and picks the publication: `?pub=`
/// overrides its URL (never the pinned root: a link cannot make the app
/// trust other keys); else a source the reader saved; else the default.
pub async fn config() -> Result<Config, LoadError> {
    let base = app_base();
    let config_url = resolve_same_site(CONFIG_URL, &base)?;
    // Asked for fresh, retried when it stalls, refused past the size a configuration may have.
    let bytes = fetch_capped_at(&config_url, shafaf_core::app_config::CONFIG_LIMIT as u64)
        .await?
        .ok_or_else(|| LoadError::Status { url: config_url.clone(), status: 404 })?;
    let bad = |detail: String| LoadError::BadConfig { url: config_url.clone(), detail };
    let file = shafaf_core::app_config::parse_config(&bytes).map_err(bad)?;
    let root_sha256 = file.root_sha256;
    // The deployer's own file may name a publication on another site (its
    // origin must then be in the Content-Security-Policy's connect-src, and
    // the publication must allow it by CORS: docs/DEPLOY.md); a link may not.
    let default = Source { publication: folder(resolve_web(&file.publication, &base)?), root_sha256 };
    let (source, kind) = if let Some(link) = publication_override() {
        let publication = folder(resolve_same_site(&link, &base)?);
        (Source { publication, root_sha256 }, SourceKind::Link)
    } else if let Some(saved) = saved_source() {
        (saved, SourceKind::Saved)
    } else {
        (default.clone(), SourceKind::Default)
    };
    // A demo deployment's flag says nothing about a publication the reader chose.
    let demo = file.demo && kind != SourceKind::Saved;
    let poll_seconds = query_param("poll")
        .and_then(|p| p.parse().ok())
        .or(file.poll_seconds)
        .unwrap_or(DEFAULT_POLL_SECONDS)
        .clamp(1, 3600);
    let phone_audit_bytes = query_param("phone_audit")
        .and_then(|p| p.parse().ok())
        .or(file.phone_audit_bytes)
        .unwrap_or(crate::audit::PHONE_AUDIT_BYTES);
    Ok(Config { source, kind, default, demo, poll_seconds, phone_audit_bytes })
}

/// Where the reader's choice of publication is remembered.
const SOURCE_KEY: &str = "shafaf.source";

/// Why a publication the reader typed is not accepted; the words are in [`crate::i18n`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceError {
    /// Not an http(s) address.
    BadUrl,
    /// Not 64 hex digits.
    BadRoot,
    /// The browser refused to store it.
    NotStored,
}

/// Checks a publication address and root fingerprint typed by the reader.
/// Any http(s) site is allowed here (it must allow cross-origin reads): the
/// reader chose it, and pinned its root.
pub fn parse_source(publication: &str, root_sha256: &str) -> Result<Source, SourceError> {
    let url = web_sys::Url::new_with_base(publication.trim(), &app_base()).map_err(|_| SourceError::BadUrl)?;
    if !matches!(url.protocol().as_str(), "http:" | "https:") {
        return Err(SourceError::BadUrl);
    }
    let root_sha256 = Sha256Hex::from_hex(&root_sha256.trim().to_ascii_lowercase()).ok_or(SourceError::BadRoot)?;
    Ok(Source { publication: folder(url.href()), root_sha256 })
}

/// Remembers `source` in this browser; it is used from the next start on.
pub fn save_source(source: &Source) -> Result<(), SourceError> {
    let saved = SavedSource { publication: source.publication.clone(), root_sha256: source.root_sha256.to_hex() };
    let text = saved.to_json();
    let storage = local_storage().ok_or(SourceError::NotStored)?;
    storage.set_item(SOURCE_KEY, &text).map_err(|_| SourceError::NotStored)
}

/// Forgets the saved source: the default is used from the next start on.
pub fn forget_source() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(SOURCE_KEY);
    }
}

fn saved_source() -> Option<Source> {
    let text = local_storage()?.get_item(SOURCE_KEY).ok()??;
    let saved = SavedSource::parse(&text)?;
    parse_source(&saved.publication, &saved.root_sha256).ok()
}

pub(crate) fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Where this browser notes that it has the page's font.
const FONT_KEY: &str = "shafaf.font";

/// Whether the app starts in the page's font: where this browser has it
/// already (it downloaded it before and keeps it: its name is
/// content-addressed, kept for a year), or where the app itself arrived
/// within [`FAST_START_MS`] of the page's start, on a line fast enough to
/// bring the font before the first view's figures. Elsewhere the font would
/// share a slow line with the first view's files, and waits for them
/// ([`use_font`]); its swap then moves the text once, after the figures.
pub fn font_at_start() -> bool {
    let fast = web_sys::window().and_then(|w| w.performance()).is_some_and(|p| p.now() < FAST_START_MS);
    fast || local_storage().and_then(|s| s.get_item(FONT_KEY).ok().flatten()).is_some()
}

/// See [`font_at_start`]: on a phone's 1.6 Mbit/s the app starts after about
/// 2.7 s; on a desktop's line, in a few hundred milliseconds.
const FAST_START_MS: f64 = 1_000.0;

/// Puts the page in its font, Vazirmatn (`<html class="font">`,
/// style/main.css); until then it is in the system's. The app does so as it
/// starts where [`font_at_start`] says so, and otherwise once the first view
/// has its files: on a phone's slow line the font's 48 kB would share it with
/// them (a council's link: its code and its province's councils, ~0.3 s).
pub fn use_font() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(html) = document.document_element() else { return };
    if html.class_list().contains("font") {
        return;
    }
    let _ = html.class_list().add_1("font");
    let loaded = document.fonts().load("1em Vazirmatn");
    wasm_bindgen_futures::spawn_local(async move {
        if wasm_bindgen_futures::JsFuture::from(loaded).await.is_ok() {
            if let Some(storage) = local_storage() {
                let _ = storage.set_item(FONT_KEY, "1");
            }
        }
    });
}

/// Starts the app afresh at its home, so the next start resolves the source again.
pub fn restart() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(&app_base());
    }
}

fn folder(mut url: String) -> String {
    if !url.ends_with('/') {
        url.push('/');
    }
    url
}

/// Verifies the publication to the "signed" level: the entry files, the
/// release log, then the election file and the summary, each checked as it
/// streams in. The publication's release log
/// must extend the newest checkpoint this browser verified of it before
/// (see [`held_checkpoint`]), which this release's checkpoint then replaces.
pub async fn signed(config: &Config, report: impl Fn(Progress)) -> Outcome {
    match fetch_signed(config, &report).await {
        Ok(Ok(load)) => Outcome::Signed(Box::new(load)),
        Ok(Err(failure)) => Outcome::Rejected(Arc::new(failure)),
        Err(error) => Outcome::Unavailable(error),
    }
}

/// A release verified to the "signed" level, and what the audit needs to
/// verify the rest against the same bytes.
#[derive(Clone)]
pub struct SignedLoad {
    pub signed: Arc<SignedRelease>,
    /// The verified trust root, for the pointer checks of live updates.
    pub root: VerifiedRoot,
    /// The signed metadata as fetched (entry, log, election and summary
    /// files), which the workers verify again.
    pub metadata: Publication,
    pub policy: LogPolicy,
    pub now: OffsetDateTime,
}

async fn fetch_signed(config: &Config, report: &impl Fn(Progress)) -> Result<Result<SignedLoad, Failure>, LoadError> {
    let anchor = TrustAnchor::pinned(config.source.root_sha256);
    report(Progress::Metadata);
    // Everything whose name is fixed, at once: one round trip.
    let entry = [
        (ROOT, format::ROOT_LIMIT),
        (ROOT_SIGS, format::SIGS_LIMIT),
        (RELEASE, format::RELEASE_LIMIT),
        (RELEASE_SIGS, format::SIGS_LIMIT),
        (CHECKPOINT, format::SIGS_LIMIT),
        (LATEST, format::LATEST_LIMIT),
        (LATEST_SIGS, format::SIGS_LIMIT),
    ];
    let fetched = join_all(entry.iter().map(|(path, limit)| fetch_unlisted(config, path, *limit))).await;
    let mut publication = Publication::new();
    for ((path, _), bytes) in entry.iter().zip(fetched) {
        match bytes? {
            Some(bytes) => publication.insert(*path, bytes),
            // Without the root or the release there is no publication there at all.
            None if [ROOT, ROOT_SIGS, RELEASE, RELEASE_SIGS].contains(path) => {
                let url = resolve_in(path, &config.source.publication)?;
                return Err(LoadError::Status { url, status: 404 });
            }
            None => {}
        }
    }

    // Each stage in a task of its own: the files may all be here already
    // (index.html started them), and the checks would then be one long task.
    sleep(0).await;
    // The file list is read from a release that verified, never from raw bytes.
    let now = now();
    let root = (|| verify_root(publication.get(ROOT)?, publication.get(ROOT_SIGS)?, &anchor, now).ok())();
    // The root's checks and the release's are each a few signatures: one task each on a phone.
    sleep(0).await;
    let release =
        root.and_then(|root| verify_release(root, publication.get(RELEASE)?, publication.get(RELEASE_SIGS)?, now).ok());
    let mut policy = LogPolicy::default();
    let mut listed: HashMap<String, Result<CheckedFile<'static>, Finding>> = HashMap::new();
    if let Some(release) = &release {
        let election = release.root().election().to_string();
        policy.held = held_checkpoint(&election, &config.source.publication);
        // The browser checks the release's place in the log whenever the
        // release names one: a missing log file is then a finding.
        policy.require_log = release.log().is_some();
        let log_files: Vec<String> = files_to_fetch(release, policy.held.as_ref())
            .into_iter()
            .filter(|path| {
                publication.get(path).is_none() && ![CHECKPOINT, LATEST, LATEST_SIGS].contains(&path.as_str())
            })
            .collect();
        let national: Vec<FileEntry> = [FileKind::Election, FileKind::Summary]
            .into_iter()
            .filter_map(|kind| release.entry(kind, None).cloned())
            .collect();
        let bytes_total = national.iter().map(|e| e.size).sum();
        let done = Cell::new(0u64);
        report(Progress::Files { bytes_done: 0, bytes_total });
        // Proofs are small; the setup's manifest (`releases/1/…`) may not be.
        let limit = |path: &str| {
            if path.ends_with(".sigs") {
                shafaf_core::format::SIGS_LIMIT
            } else if path.ends_with("release.json") {
                shafaf_core::format::RELEASE_LIMIT
            } else if path.ends_with("/checkpoint") {
                shafaf_core::log::note::NOTE_LIMIT
            } else {
                PROOF_LIMIT
            }
        };
        let logs = join_all(log_files.iter().map(|path| fetch_unlisted(config, path, limit(path))));
        let files = join_all(national.iter().map(|entry| {
            let done = &done;
            let mut mine = 0u64;
            async move {
                let file = fetch_listed(&config.source.publication, entry, Freshness::Cached, |bytes| {
                    done.set(done.get() + bytes - mine);
                    mine = bytes;
                    report(Progress::Files { bytes_done: done.get(), bytes_total });
                })
                .await;
                (entry.clone(), file)
            }
        }));
        let (logs, files) = futures::join!(logs, files);
        for (path, bytes) in log_files.iter().zip(logs) {
            if let Some(bytes) = bytes? {
                publication.insert(path.clone(), bytes);
            }
        }
        for (entry, file) in files {
            listed.insert(entry.path, file.map_err(LoadError::from)?);
        }
    }

    report(Progress::Verifying);
    sleep(0).await;
    let taken = |entry: &FileEntry| {
        listed.get(&entry.path).cloned().unwrap_or_else(|| Err(Finding::FileMissing { file: entry.path.clone() }))
    };
    // The root and the release verified above are not verified again; when
    // they did not, the whole chain runs to say why.
    let signed = match release {
        Some(release) => verify_signed_from(release, &publication, now, &policy, taken),
        None => verify_signed(&publication, &anchor, now, &policy, taken),
    };
    let signed = match signed {
        Ok(signed) => signed,
        Err(failure) => return Ok(Err(failure)),
    };
    if let Some(log) = signed.logged().log() {
        hold_checkpoint(&signed.election().id.to_string(), &config.source.publication, &log.checkpoint.checkpoint());
    }
    // The workers verify the same bytes again: the national files with the rest.
    for kind in [FileKind::Election, FileKind::Summary] {
        if let Some(Ok(file)) = signed.entry(kind, None).and_then(|e| listed.get(&e.path)) {
            publication.insert(file.path(), file.bytes().to_vec());
        }
    }
    let root = signed.root().clone();
    Ok(Ok(SignedLoad { signed: Arc::new(signed), root, metadata: publication, policy, now }))
}

/// The provinces' boundaries of a release that reached the signed level,
/// fetched after its first figures (the country's map follows them) and
/// checked as they stream in; `None` when the release lists none.
pub async fn province_boundaries(
    config: &Config,
    signed: &SignedRelease,
) -> Option<Result<Result<CheckedFile<'static>, Finding>, LoadError>> {
    let entry = signed.entry(FileKind::GeoProvinces, None)?;
    Some(fetch_listed(&config.source.publication, entry, Freshness::Cached, |_| {}).await.map_err(LoadError::from))
}

/// A province's councils as published and its counties' boundaries,
/// fetched and checked: its "signed" level, for a view of it.
pub struct ProvinceLoad {
    /// When asked for: checked, or why they could not be downloaded.
    pub contests: Option<Result<Result<SignedContests, Vec<Finding>>, LoadError>>,
    /// The counties' boundaries, when the release lists them and they verified.
    pub counties: Option<Boundaries>,
}

/// Fetches and checks province `code`'s contests file and counties'
/// boundaries, each only when `want` says so.
pub async fn province(config: &Config, signed: &SignedRelease, code: &str, want: (bool, bool)) -> ProvinceLoad {
    let folder = &config.source.publication;
    let contests = async {
        match signed.entry(FileKind::Contests, Some(code)).filter(|_| want.0) {
            Some(entry) => fetch_listed(folder, entry, Freshness::Cached, |_| {}).await.map(Some),
            None => Ok(None),
        }
    };
    let geo = async {
        match signed.entry(FileKind::GeoCounties, Some(code)).filter(|_| want.1) {
            Some(entry) => fetch_listed(folder, entry, Freshness::Cached, |_| {}).await.map(Some),
            None => Ok(None),
        }
    };
    let (contests, geo) = futures::join!(contests, geo);
    let contests =
        contests.transpose().map(|file| file.map(|file| signed.contests(code, file)).map_err(LoadError::from));
    // Boundaries that could not be downloaded leave the view without its map, not without its councils.
    let counties = geo.ok().flatten().and_then(Result::ok).map(|file| {
        let mut boundaries = Boundaries::default();
        if let Some((province, _)) = signed.province(code) {
            boundaries.add_counties(province.code.clone(), &file);
        }
        boundaries
    });
    ProvinceLoad { contests, counties }
}

thread_local! {
    /// A province's files being fetched for a view: `<release>|<code>|contests`
    /// or `…|counties`.
    static OPENING: std::cell::RefCell<std::collections::HashSet<String>> = Default::default();
}

/// A view of province `p` was opened: its councils (contests file), and
/// with `map` its counties' boundaries, are fetched and verified unless they
/// already are (or are on their way), and the audit takes the province next.
pub fn open_province(config: Option<Config>, release: Release, p: usize, map: bool) {
    let places = release.places.get_untracked();
    let code = places.province(p).code.to_string();
    crate::audit::prioritize(release, &code);
    let Some(config) = config else { return };
    let key = {
        let (release_hash, code) = (places.signed.release().audit().sha256.to_string(), code.clone());
        move |what: &str| format!("{release_hash}|{code}|{what}")
    };
    let claim = |needed: bool, what: &str| needed && OPENING.with(|o| o.borrow_mut().insert(key(what)));
    let needs_contests = claim(matches!(places.area(p), Area::Summary), "contests");
    let needs_counties = claim(
        map && places.county_boundaries(p).is_none()
            && places.signed.entry(FileKind::GeoCounties, Some(&places.province(p).code)).is_some(),
        "counties",
    );
    if !needs_contests && !needs_counties {
        return;
    }
    if needs_contests {
        // Asked again: what failed before is tried again.
        release.unreachable.update(|u| u.retain(|(c, _)| *c != code));
    }
    leptos::task::spawn_local(async move {
        let load = province(&config, &places.signed, &code, (needs_contests, needs_counties)).await;
        // The views follow in a task of their own, after the file's checks.
        sleep(0).await;
        let contests = match load.contests {
            Some(Err(error)) => {
                release.unreachable.update(|u| u.push((code.clone(), error)));
                None
            }
            Some(Ok(contests)) => Some(contests),
            None => None,
        };
        let counties = load.counties;
        if contests.is_none() && counties.is_none() {
            release_opening(&key, needs_contests, needs_counties);
            return;
        }
        release.places.update(|current| {
            let mut next = (**current).clone();
            if let (true, Some(contests)) = (matches!(next.area(p), Area::Summary), contests) {
                let area = match contests {
                    Ok(contests) => {
                        let outcomes =
                            contests.into_doc().contests.into_iter().map(ContestOutcome::published).collect();
                        Area::Signed(Arc::new(ProvinceData::signed(outcomes)))
                    }
                    Err(findings) => Area::Failed(Arc::new(findings)),
                };
                next = next.with_area(p, area);
            }
            if let (None, Some(counties)) = (next.county_boundaries(p), counties) {
                next = next.with_counties(p, counties);
            }
            *current = Arc::new(next);
        });
        release_opening(&key, needs_contests, needs_counties);
    });
}

/// The files of a province a view claimed (see [`open_province`]) are no
/// longer on their way.
fn release_opening(key: &impl Fn(&str) -> String, contests: bool, counties: bool) {
    for (claimed, what) in [(contests, "contests"), (counties, "counties")] {
        if claimed {
            OPENING.with(|o| o.borrow_mut().remove(&key(what)));
        }
    }
}

/// Whether the files of a province a view opened are being fetched.
fn opening_province() -> bool {
    OPENING.with(|o| !o.borrow().is_empty())
}

/// Resolves once the view just drawn has its own files (ten seconds at
/// most) and the page painted it: what can wait (the font, the map, the
/// audit, the offline copy) then takes the network and the processor. A
/// view whose code is a chunk (all but the landing page's) is drawn once
/// the chunk is there: that comes first.
pub async fn first_view_settled() {
    crate::app::preload_view_in_address().await;
    sleep(50).await;
    for _ in 0..100 {
        if !opening_province() {
            break;
        }
        sleep(100).await;
    }
    // The view's figures are in the page; its layout and paint come before
    // the font's second layout, the map's parsing and the workers' start,
    // which would otherwise delay the frame that shows them. A hidden page
    // paints nothing: 100 ms at most.
    after_next_paint(100).await;
}

/// Where the newest checkpoint verified of an election's log, as published
/// at one address, is kept in this browser.
fn checkpoint_key(election: &str, publication: &str) -> String {
    format!("shafaf.checkpoint.{election}.{publication}")
}

/// The newest checkpoint of the election's log this browser verified at this
/// address, if any. A value that does not parse is ignored (it could only
/// make the check weaker, never let anything through).
pub fn held_checkpoint(election: &str, publication: &str) -> Option<Checkpoint> {
    let text = local_storage()?.get_item(&checkpoint_key(election, publication)).ok()??;
    Checkpoint::parse_body("local storage", &text).ok()
}

/// Remembers the checkpoint of a fully verified publication; only ever moves forward.
fn hold_checkpoint(election: &str, publication: &str, checkpoint: &Checkpoint) {
    let held = held_checkpoint(election, publication);
    if held.is_some_and(|h| h.origin == checkpoint.origin && h.size >= checkpoint.size) {
        return;
    }
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(&checkpoint_key(election, publication), &checkpoint.body());
    }
}

/// The pointer to the latest release, checked against the verified root.
#[derive(Debug, Clone)]
pub enum PointerCheck {
    Fresh(LatestDoc),
    /// It did not verify, or it expired (a freeze).
    Refused(Vec<Finding>),
}

/// Fetches and checks `latest.json` against the verified root.
pub async fn pointer(config: &Config, root: &VerifiedRoot) -> Result<PointerCheck, LoadError> {
    let (bytes, sigs) = futures::join!(fetch_fresh_in(config, LATEST), fetch_fresh_in(config, LATEST_SIGS));
    let (bytes, sigs) = (bytes?, sigs?);
    Ok(match verify_pointer(root, &bytes, &sigs, now()) {
        Ok((doc, _)) => PointerCheck::Fresh(doc),
        Err(findings) => PointerCheck::Refused(findings),
    })
}

/// The verifier's clock. `OffsetDateTime::now_utc()` panics in wasm32-unknown-unknown.
pub fn now() -> OffsetDateTime {
    let seconds = (js_sys::Date::now() / 1000.0) as i64;
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The address the app is served at: the root of its site. Relative
/// addresses (`config.json`, `?pub=`) are resolved against it, never against
/// the page's own path (`/c/…`), so deep links work.
fn app_base() -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    format!("{origin}/")
}

/// `?pub=<relative url>` of the page, if any.
pub fn publication_override() -> Option<String> {
    query_param("pub")
}

/// A non-empty query parameter of the page's address.
fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name).filter(|p| !p.is_empty())
}

/// Seconds between two checks for a newer release, unless configured.
const DEFAULT_POLL_SECONDS: u32 = 5;

/// `relative` resolved against `base`; only URLs on the page's own origin,
/// so a link cannot make the app fetch from elsewhere.
fn resolve_same_site(relative: &str, base: &str) -> Result<String, LoadError> {
    let bad = || LoadError::BadPublicationUrl { url: relative.to_owned() };
    let url = web_sys::Url::new_with_base(relative, base).map_err(|_| bad())?;
    let page = web_sys::Url::new(base).map_err(|_| bad())?;
    if url.origin() != page.origin() {
        return Err(bad());
    }
    Ok(url.href())
}

/// `relative` resolved against `base`, on any `https:` or `http:` origin.
fn resolve_web(relative: &str, base: &str) -> Result<String, LoadError> {
    let bad = || LoadError::BadPublicationUrl { url: relative.to_owned() };
    let url = web_sys::Url::new_with_base(relative, base).map_err(|_| bad())?;
    if !matches!(url.protocol().as_str(), "https:" | "http:") {
        return Err(bad());
    }
    Ok(url.href())
}

/// This app's own file list (`app-files.txt`, see `shafaf_core::app_files`)
/// and the one hash that names the build, as the /source page shows them.
pub async fn app_build() -> Result<(usize, shafaf_core::model::Sha256Hex), LoadError> {
    let url = resolve_same_site(shafaf_core::app_files::MANIFEST, &app_base())?;
    let bytes = fetch_with(&url, web_sys::RequestCache::NoCache).await?;
    let files = String::from_utf8(bytes.clone())
        .map_err(|e| e.to_string())
        .and_then(|text| shafaf_core::app_files::parse_manifest(&text))
        .map_err(|detail| LoadError::BadConfig { url: url.clone(), detail })?;
    Ok((files.len(), shafaf_core::app_files::app_hash(&bytes)))
}

/// Registers the app's service worker (`sw.js`, beside `index.html`), which
/// keeps what the app fetched for when the network is gone: an observer at
/// a station checks a sheet offline. Where the browser has none, nothing.
/// Installing, it downloads the app's files (the audit's worker among them):
/// it is registered once the first view has its own files, not before.
pub async fn register_service_worker() {
    first_view_settled().await;
    let Some(window) = web_sys::window() else { return };
    let container = window.navigator().service_worker();
    if container.is_undefined() {
        return;
    }
    if let Ok(url) = resolve_same_site("sw.js", &app_base()) {
        // A refusal (private browsing, an insecure origin) leaves the app as it is.
        let _ = container.register(&url);
    }
}

/// The commit the app was built from, when the build said.
pub const APP_COMMIT: Option<&str> = option_env!("SHAFAF_COMMIT");

/// A path of the publication, resolved against its folder.
fn resolve_in(relative: &str, folder: &str) -> Result<String, LoadError> {
    let bad = || LoadError::BadPublicationUrl { url: relative.to_owned() };
    web_sys::Url::new_with_base(relative, folder).map(|u| u.href()).map_err(|_| bad())
}

/// Internal links of the app. A page opened with `?pub=` keeps it on every
/// link it makes, so an address copied from any view opens the same
/// publication; the default and a saved source need nothing in the address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    publication: Option<String>,
}

impl Links {
    pub fn from_page() -> Links {
        Links { publication: publication_override() }
    }

    /// `path` (absolute in the app, may carry a query), with `?pub=` if the page has one.
    pub fn href(&self, path: &str) -> String {
        match &self.publication {
            None => path.to_owned(),
            Some(publication) => {
                let separator = if path.contains('?') { '&' } else { '?' };
                format!("{path}{separator}pub={}", encode(publication))
            }
        }
    }
}

/// `text` encoded for a query parameter.
pub fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

async fn fetch_in(config: &Config, path: &str) -> Result<Vec<u8>, LoadError> {
    fetch(&resolve_in(path, &config.source.publication)?).await
}

/// The files that change from release to release, bypassing the browser's cache.
async fn fetch_fresh_in(config: &Config, path: &str) -> Result<Vec<u8>, LoadError> {
    fetch_with(&resolve_in(path, &config.source.publication)?, web_sys::RequestCache::NoCache).await
}

/// A file of the publication that the release does not list (the root, the
/// manifest, the log's files), at most `limit` bytes: `None` when the server
/// has none. A longer one is cut at `limit + 1` bytes, which the verifier
/// then refuses as too large for its kind, as it would the whole file.
/// A file of the publication that no release lists (a past release's
/// manifest, a proof), at most `limit` bytes; `None` when it is not there.
pub async fn fetch_unlisted_in(config: &Config, path: &str, limit: u64) -> Result<Option<Vec<u8>>, LoadError> {
    fetch_unlisted(config, path, limit).await
}

async fn fetch_unlisted(config: &Config, path: &str, limit: u64) -> Result<Option<Vec<u8>>, LoadError> {
    fetch_capped_at(&resolve_in(path, &config.source.publication)?, limit).await
}

/// `url` fetched fresh and cut at `limit` bytes: a longer body comes back as
/// `limit + 1` bytes, for the parser of its kind to refuse by its size.
async fn fetch_capped_at(url: &str, limit: u64) -> Result<Option<Vec<u8>>, LoadError> {
    match fetch_capped(url, limit).await {
        Ok(bytes) => Ok(bytes),
        Err(FetchCapped::Fetch(e)) => Err(e.into()),
        Err(FetchCapped::TooLarge { limit, .. }) => Ok(Some(vec![b' '; limit as usize + 1])),
    }
}

async fn fetch(url: &str) -> Result<Vec<u8>, LoadError> {
    fetch_with(url, web_sys::RequestCache::Default).await
}

async fn fetch_with(url: &str, cache: web_sys::RequestCache) -> Result<Vec<u8>, LoadError> {
    let network = |e: gloo_net::Error| LoadError::Network { url: url.to_owned(), detail: e.to_string() };
    let response = gloo_net::http::Request::get(url).cache(cache).send().await.map_err(network)?;
    if !response.ok() {
        return Err(LoadError::Status { url: url.to_owned(), status: response.status() });
    }
    response.binary().await.map_err(network)
}

/// Resolves once `load` (the download of a chunk of the app's code) has
/// succeeded, asking again after `first` milliseconds, then twice as long
/// each time, up to `cap`.
pub async fn until_loaded<E, F: std::future::Future<Output = Result<(), E>>>(
    mut load: impl FnMut() -> F,
    first: i32,
    cap: i32,
) {
    let mut wait = first;
    while load().await.is_err() {
        sleep(wait).await;
        wait = (wait * 2).min(cap);
    }
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        } else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A task after the page's next frame was painted, or after `ms` at most: a
/// hidden page paints no frames. (The frame's callback runs before its
/// paint; the task queued from it runs after.)
pub async fn after_next_paint(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| match web_sys::window() {
        Some(window) => {
            let _ = window.request_animation_frame(&resolve);
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
        None => {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    sleep(0).await;
}

/// The release log as the history view shows it: every release verified in
/// full, as of its issue time, and what changed from each to the next.
pub struct LogHistory {
    pub history: History,
    /// `releases[i]` is release `i + 1`; each verified, or why not.
    pub releases: Vec<Result<Arc<VerifiedElection>, Vec<Finding>>>,
    /// `changes[i]`: what changed from release `i` to release `i + 1`, when
    /// both verified.
    pub changes: Vec<Option<Arc<ReleaseDiff>>>,
}

/// Fetches the whole release log of `size` releases and each past
/// release's national files (content-addressed, so most are shared and
/// cached), and verifies them: the log with [`verify_history`], each release
/// as `verify_past_release` does, its provinces in workers
/// ([`past_release`]). A release `known` (the same log, verified before at
/// a smaller or equal size) holds as the same entry is taken from it: a
/// release's verification, as of its own issue time, does not change as the
/// log grows.
pub async fn history(
    config: &Config,
    root: &VerifiedRoot,
    size: u64,
    known: Option<Arc<LogHistory>>,
    progress: impl Fn(HistoryProgress) + Clone + 'static,
) -> Result<Result<LogHistory, Vec<Finding>>, LoadError> {
    let mut paths: Vec<String> =
        [ROOT, ROOT_SIGS, RELEASE, RELEASE_SIGS, CHECKPOINT].iter().map(|p| (*p).to_owned()).collect();
    for version in 1..=size.min(log::MAX_LOG_SIZE) {
        paths.extend([
            log::release_path(version),
            log::release_sigs_path(version),
            log::checkpoint_path(version),
            // Each past release is verified with the checkpoint published beside it.
            log::inclusion_path(version - 1, version),
        ]);
        // ...and compared with the setup, release 1, proven in that same log.
        if version > 1 {
            paths.push(log::inclusion_path(0, version));
        }
    }
    let mut publication = Publication::new();
    let fetched = join_all(paths.iter().map(|path| fetch_fresh_in(config, path))).await;
    for (path, bytes) in paths.iter().zip(fetched) {
        match bytes {
            Ok(bytes) => publication.insert(path.clone(), bytes),
            Err(LoadError::Status { status: 404, .. }) => {}
            Err(e) => return Err(e),
        }
    }
    let history = match verify_history(&publication, root) {
        Ok(history) => history,
        Err(findings) => return Ok(Err(findings)),
    };
    // `reused[i]`: release `i + 1` as verified before, when its entry is the same.
    let reused: Vec<Option<Result<Arc<VerifiedElection>, Vec<Finding>>>> = history
        .releases
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let known = known.as_ref()?;
            (known.history.releases.get(i) == Some(entry)).then(|| known.releases.get(i).cloned()).flatten()
        })
        .collect();
    // The national files every other release lists, read from releases that
    // verified; the workers download each province's.
    let mut files: Vec<String> = Vec::new();
    for entry in history.releases.iter().zip(&reused).filter(|(_, r)| r.is_none()).map(|(e, _)| e) {
        let v = entry.version;
        let (file, sigs) = (log::release_path(v), log::release_sigs_path(v));
        let (Some(bytes), Some(sig_bytes)) = (publication.get(&file), publication.get(&sigs)) else { continue };
        if let Ok(release) = verify_archived_release(&file, &sigs, root.clone(), bytes, sig_bytes) {
            for file in release.files().iter().filter(|f| f.province.is_none()) {
                if !files.contains(&file.path) {
                    files.push(file.path.clone());
                }
            }
        }
    }
    let fetched = join_all(files.iter().map(|path| fetch_in(config, path))).await;
    for (path, bytes) in files.iter().zip(fetched) {
        match bytes {
            Ok(bytes) => publication.insert(path.clone(), bytes),
            Err(LoadError::Status { status: 404, .. }) => {}
            Err(e) => return Err(e),
        }
    }
    after_next_paint(20).await;
    let anchor = TrustAnchor::pinned(config.source.root_sha256);
    let mut releases = Vec::new();
    for (entry, reused) in history.releases.iter().zip(&reused) {
        if let Some(release) = reused {
            releases.push(release.clone());
            continue;
        }
        let releases_total = history.releases.len() as u64;
        let progress = progress.clone();
        let version = entry.version;
        let told = move |provinces_done, provinces| {
            progress(HistoryProgress { version, releases: releases_total, provinces_done, provinces })
        };
        releases.push(past_release(config, &publication, &anchor, entry, told).await?);
        after_next_paint(20).await;
    }
    let mut changes = Vec::with_capacity(releases.len());
    for (i, release) in releases.iter().enumerate() {
        let both_known = i > 0 && reused[i - 1].is_some() && reused[i].is_some();
        if both_known {
            if let Some(change) = known.as_ref().and_then(|k| k.changes.get(i)) {
                changes.push(change.clone());
                continue;
            }
        }
        changes.push(match (i.checked_sub(1).map(|p| &releases[p]), release) {
            (Some(Ok(old)), Ok(new)) => Some(Arc::new(compare(old, new).await)),
            _ => None,
        });
    }
    Ok(Ok(LogHistory { history, releases, changes }))
}

/// How far [`history`] has got: the release it verifies, and its provinces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryProgress {
    pub version: u64,
    pub releases: u64,
    pub provinces_done: usize,
    pub provinces: usize,
}

/// Releases `from` and `to` (counted from 1) of a history, when both
/// verified, and what changed between them: consecutive ones were compared
/// while the history loaded, others are compared now, in tasks of their own.
pub async fn change_between(
    history: &LogHistory,
    from: u64,
    to: u64,
) -> Option<(Arc<VerifiedElection>, Arc<VerifiedElection>, Arc<ReleaseDiff>)> {
    let release = |v: u64| history.releases.get(usize::try_from(v).ok()?.checked_sub(1)?)?.as_ref().ok().cloned();
    let (old, new) = (release(from)?, release(to)?);
    let change = match history.changes.get(to as usize - 1) {
        Some(Some(change)) if to == from + 1 => change.clone(),
        _ => Arc::new(compare(&old, &new).await),
    };
    Some((old, new, change))
}

/// `diff(old, new)`, a province at a time, each in a task of its own: a
/// country's stations take longer than a task may.
async fn compare(old: &VerifiedElection, new: &VerifiedElection) -> ReleaseDiff {
    let mut out = ReleaseDiff::between(old, new);
    for (_, old, new) in province_pairs(old, new) {
        out.append(diff_province(old, new));
        sleep(0).await;
    }
    out
}

/// A past release verified as `verify_past_release` verifies it: its
/// signed metadata here, each province in the audit's workers
/// ([`crate::audit::audit_elsewhere`]), as of the release's issue time.
async fn past_release(
    config: &Config,
    publication: &Publication,
    anchor: &TrustAnchor,
    entry: &HistoryEntry,
    progress: impl Fn(usize, usize) + 'static,
) -> Result<Result<Arc<VerifiedElection>, Vec<Finding>>, LoadError> {
    let (mut audited, view) = match audit_past_release(publication, anchor, entry) {
        Ok(begun) => begun,
        Err(failure) => return Ok(Err(failure.findings)),
    };
    let codes: Vec<String> = audited.signed().election().provinces.iter().map(|p| p.code.to_string()).collect();
    let provinces = codes.len();
    progress(0, provinces);
    let template = Job {
        id: 0,
        publication: config.source.publication.clone(),
        root_sha256: config.source.root_sha256.to_hex(),
        now: entry.issued.unix_timestamp(),
        require_log: PAST_RELEASE_POLICY.require_log,
        held: None,
        witnesses_pending: PAST_RELEASE_POLICY.witnesses_pending,
        province: String::new(),
    };
    let done = move |n| progress(n, provinces);
    for (code, outcome) in crate::audit::audit_elsewhere(template, view, codes, done).await? {
        audited.add_province(&code, outcome.map(Arc::new));
    }
    after_next_paint(20).await;
    // The history view draws no map: the boundaries are not kept.
    Ok(audited.finish(Boundaries::default()).map(Arc::new).map_err(|f| f.findings))
}
