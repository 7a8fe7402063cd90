//! A small static server for the built app and the demo publication.
//!
//! - `/config.json`: generated (see [`crate::site::config_json`]), with an
//!   `ETag` of its bytes;
//! - `/demo/...`: the demo publication;
//! - `/tampered/<case>/...`: the tampered copies;
//! - with a live demo, `/live/...`: the folder of it shown now, and
//!   `/__live/<name>`: shows another from then on (for tests), and
//!   `/sequence/<name>/...`: each of its folders at a fixed address;
//! - everything else from `dist/`, with unknown paths that have no file
//!   extension answered by `dist/index.html`, as a single-page app needs.
//!
//! Like a CDN, it compresses text-like files (brotli or gzip, by the
//! client's `Accept-Encoding`; see [`crate::compress`]), and lets browsers
//! keep for a year what never changes: Trunk's hashed assets and the
//! publication's content-addressed `files/`. The app and the demo are
//! compressed in the background at start-up, the rest on first request.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use anyhow::{anyhow, Context, Result};
use clap::Args;
use shafaf_core::model::Sha256Hex;
use tiny_http::{Header, Method, Request, Response, Server};

use crate::compress::{self, Cache as Compressed, Effort, Encoding};
use crate::headers::{IMMUTABLE, REVALIDATE};
use crate::paths::Paths;
use crate::site::{self, DemoSpec, Scale, ShardTamper, Site, SHARD_PROVINCE};
use crate::stamp;
use crate::tools;

#[derive(Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Size of the demo election.
    #[arg(long, value_enum, default_value_t = Scale::Lorestan)]
    scale: Scale,
    /// Seed of the demo generator: the same seed gives the same election.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Folder of province and county boundaries [default: ../shared/geo].
    #[arg(long, env = "SHAFAF_GEO")]
    geo: Option<PathBuf>,
    /// Also serve election night at /live/ (a sequence of releases; open
    /// `/?pub=live/`, starting from the setup, and move it on with /__live/step-2 … /__live/step-4).
    #[arg(long)]
    live: bool,
}

pub fn run(paths: &Paths, args: &ServeArgs) -> Result<()> {
    let spec = DemoSpec { scale: args.scale, seed: args.seed, geo: args.geo.clone().unwrap_or_else(|| paths.geo()) };
    tools::ensure_for_app(paths)?;
    let site = site::prepare(paths, &spec, args.live)?;
    let mut server = start(site, &format!("127.0.0.1:{}", args.port))?;
    println!("Serving Shafaf on {}", server.url());
    let compressing = std::time::Instant::now();
    server.wait_for_compression();
    println!("    the app and the demo are compressed ({:.1} s)", compressing.elapsed().as_secs_f64());
    server.wait();
    Ok(())
}

/// A server answering on its own threads until stopped (or dropped).
pub struct Running {
    server: Arc<Server>,
    port: u16,
    /// Takes each request and answers it on a thread of its own.
    dispatcher: Option<JoinHandle<()>>,
    /// Precompresses the app and the demo publication.
    warming: Option<JoinHandle<()>>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Waits until the app and the demo publication are compressed, so that
    /// what is measured next is the app, not the server's first compression.
    pub fn wait_for_compression(&mut self) {
        if let Some(warming) = self.warming.take() {
            let _ = warming.join();
        }
    }

    /// Serves until the process is stopped.
    pub fn wait(mut self) {
        if let Some(dispatcher) = self.dispatcher.take() {
            let _ = dispatcher.join();
        }
    }

    pub fn stop(self) {}
}

impl Drop for Running {
    fn drop(&mut self) {
        // Releases the dispatcher waiting in `recv`; answers under way end
        // with their connections (an endless one, with the process).
        self.server.unblock();
        if let Some(dispatcher) = self.dispatcher.take() {
            let _ = dispatcher.join();
        }
    }
}

/// Listens on `address` (port 0 picks a free port) and serves `site`, with
/// compressed copies kept in `target/shafaf/compressed/`.
pub fn start(site: Site, address: &str) -> Result<Running> {
    start_with_cache(site, address, Paths::discover()?.work().join("compressed"))
}

/// [`start`] with the compressed copies kept in `cache`.
pub fn start_with_cache(site: Site, address: &str, cache: PathBuf) -> Result<Running> {
    let server = Server::http(address).map_err(|err| anyhow!("listening on {address}: {err}"))?;
    let port = server.server_addr().to_ip().context("the server is not listening on an IP address")?.port();
    let server = Arc::new(server);
    let site = Arc::new(site);
    let compressed = Arc::new(Compressed::new(cache));
    // A thread per request, never a fixed pool: a browser that stops
    // reading a response (a page left open, a worker busy verifying, a
    // context taken offline, the endless attack) holds its thread, and a
    // pool of a few would then leave every other request waiting.
    let dispatcher = {
        let server = Arc::clone(&server);
        let site = Arc::clone(&site);
        let compressed = Arc::clone(&compressed);
        thread::spawn(move || {
            while let Ok(request) = server.recv() {
                let site = Arc::clone(&site);
                let compressed = Arc::clone(&compressed);
                thread::spawn(move || answer(&site, &compressed, request));
            }
        })
    };
    let warming = {
        let site = Arc::clone(&site);
        thread::spawn(move || {
            compressed.prune();
            for folder in [&site.dist, &site.demo.publication] {
                let files = stamp::files_under(folder).unwrap_or_default();
                compressed.warm(
                    files.iter().map(|relative| folder.join(relative)),
                    |path| effort(&site, path),
                    content_type,
                );
            }
        })
    };
    Ok(Running { server, port, dispatcher: Some(dispatcher), warming: Some(warming) })
}

#[derive(Debug, PartialEq, Eq)]
enum Route {
    Config,
    /// The live demo was switched to another folder.
    Switched,
    File {
        path: PathBuf,
        cache: Cache,
    },
    /// The file, then bytes without end: a server attacking its readers.
    Endless(PathBuf),
    NotFound,
    BadRequest,
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Cache {
    /// Revalidate every time: index.html, config.json, publications.
    Revalidate,
    /// Trunk puts a content hash in the name: keep for a year.
    Immutable,
}

fn answer(site: &Site, compressed: &Compressed, request: Request) {
    let url = request.url().to_string();
    let field = |name: &'static str| {
        request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str().to_string())
    };
    let asked = Asked { accept_encoding: field("Accept-Encoding"), if_none_match: field("If-None-Match") };
    let response = match request.method() {
        Method::Get | Method::Head => respond(site, compressed, &url, &asked),
        _ => text(405, "method not allowed"),
    };
    let response = crate::headers::security_headers(&site.csp)
        .into_iter()
        .fold(response, |response, (name, value)| response.with_header(header(name, &value)));
    let page =
        response.headers().iter().any(|h| h.field.equiv("Content-Type") && h.value.as_str().starts_with("text/html"));
    let response = match site.preload.as_deref().filter(|_| page) {
        Some(links) => response.with_header(header("Link", links)),
        None => response,
    };
    let status = response.status_code().0;
    if status >= 400 && !url.ends_with("favicon.ico") {
        eprintln!("    {} {url} -> {status}", request.method());
    }
    // A client that went away is no error of ours.
    let _ = request.respond(response);
}

/// What a request says about the answer it wants.
struct Asked {
    accept_encoding: Option<String>,
    /// The validator of the copy the client holds, as a CDN or nginx reads it.
    if_none_match: Option<String>,
}

/// How hard to compress `path`: the app once per build, a publication's
/// small files once, its large ones as they come.
fn effort(site: &Site, path: &Path) -> Effort {
    if path.starts_with(&site.dist) {
        Effort::Best
    } else {
        Effort::for_publication(std::fs::metadata(path).map_or(u64::MAX, |m| m.len()))
    }
}

fn respond(site: &Site, compressed: &Compressed, url: &str, asked: &Asked) -> Response<Box<dyn std::io::Read + Send>> {
    match route(site, url) {
        Route::Switched => text(200, "switched"),
        Route::Config => config(&site.config_json, asked),
        Route::File { path, cache } => file(compressed, &path, cache, effort(site, &path), asked),
        Route::Endless(path) => match File::open(&path) {
            Ok(file) => Response::new(
                tiny_http::StatusCode(200),
                vec![header("Content-Type", content_type(&path)), header("Cache-Control", REVALIDATE)],
                Box::new(std::io::Read::chain(file, std::io::repeat(b' '))) as Box<dyn std::io::Read + Send>,
                None,
                None,
            ),
            Err(_) => text(404, "not found"),
        },
        Route::NotFound => text(404, "not found"),
        Route::BadRequest => text(400, "bad request"),
    }
}

/// The file at `path`, compressed when its type gains from it and the
/// client accepts it, with the length of what is sent; "304 Not Modified"
/// when the client's copy is current, as nginx or a CDN answers a
/// revalidation (its `ETag` is nginx's: the file's modification time and size).
fn file(
    compressed: &Compressed,
    path: &Path,
    cache: Cache,
    effort: Effort,
    asked: &Asked,
) -> Response<Box<dyn std::io::Read + Send>> {
    let kind = content_type(path);
    let compressible = compress::compressible(kind);
    // What a 304 repeats of the full answer.
    let etag = entity_tag(path);
    let mut validators = vec![header(
        "Cache-Control",
        match cache {
            Cache::Revalidate => REVALIDATE,
            Cache::Immutable => IMMUTABLE,
        },
    )];
    validators.extend(etag.as_deref().map(|etag| header("ETag", etag)));
    if compressible {
        validators.push(header("Vary", "Accept-Encoding"));
    }
    if etag.as_deref().zip(asked.if_none_match.as_deref()).is_some_and(|(etag, held)| matches_entity_tag(held, etag)) {
        return validators.into_iter().fold(Response::empty(304), Response::with_header).boxed();
    }
    let wanted = if compressible { Encoding::negotiate(asked.accept_encoding.as_deref()) } else { Encoding::Identity };
    let (body, encoding) = match compressed.get(path, wanted, effort) {
        Ok(Some(copy)) => (copy, wanted),
        Ok(None) => (path.to_path_buf(), Encoding::Identity),
        Err(err) => {
            if path.is_file() {
                eprintln!("    warning: serving {} uncompressed: {err}", path.display());
            }
            (path.to_path_buf(), Encoding::Identity)
        }
    };
    let Ok(file) = File::open(&body) else {
        return text(404, "not found");
    };
    let mut response = validators.into_iter().fold(
        Response::from_file(file)
            // Always a Content-Length (tiny_http would send files over 32 KiB chunked).
            .with_chunked_threshold(usize::MAX)
            .with_header(header("Content-Type", kind)),
        Response::with_header,
    );
    if let Some(token) = encoding.token() {
        response = response.with_header(header("Content-Encoding", token));
    }
    response.boxed()
}

/// The generated `config.json`, under a validator of its bytes, so that a
/// reader's revalidation is answered "304 Not Modified" as for any file.
fn config(json: &str, asked: &Asked) -> Response<Box<dyn std::io::Read + Send>> {
    let etag = format!("\"{}\"", &Sha256Hex::of(json.as_bytes()).to_hex()[..16]);
    let validators = [header("Cache-Control", REVALIDATE), header("ETag", &etag)];
    if asked.if_none_match.as_deref().is_some_and(|held| matches_entity_tag(held, &etag)) {
        return validators.into_iter().fold(Response::empty(304), Response::with_header).boxed();
    }
    validators
        .into_iter()
        .fold(Response::from_data(json.as_bytes().to_vec()), Response::with_header)
        .with_header(header("Content-Type", "application/json"))
        .boxed()
}

/// A weak validator of the file as it is now, nginx's way: its modification
/// time and size, in hex. Weak, since each encoding of it is sent under the
/// same tag. `None` when the file cannot be read.
fn entity_tag(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(format!("W/\"{:x}.{:x}-{:x}\"", modified.as_secs(), modified.subsec_nanos(), meta.len()))
}

/// Whether an If-None-Match header names `etag` (compared weakly, as
/// RFC 9110 asks for If-None-Match) or is `*`.
fn matches_entity_tag(header: &str, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().strip_prefix("W/").unwrap_or(tag.trim()).to_owned();
    header.split(',').any(|tag| tag.trim() == "*" || opaque(tag) == opaque(etag))
}

fn text(status: u16, body: &str) -> Response<Box<dyn std::io::Read + Send>> {
    Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
        .boxed()
}

fn header(name: &str, value: &str) -> Header {
    // Both come from this file and are plain ASCII, which is all `from_bytes` checks.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| panic!("invalid header {name}: {value}"))
}

fn route(site: &Site, url: &str) -> Route {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let Some(decoded) = percent_decode(path) else {
        return Route::BadRequest;
    };
    let segments: Vec<&str> = decoded.split('/').filter(|segment| !segment.is_empty() && *segment != ".").collect();
    if segments.contains(&"..") {
        return Route::BadRequest;
    }
    match segments.as_slice() {
        ["config.json"] => Route::Config,
        ["demo", rest @ ..] => data_file(&site.demo.publication, rest),
        ["tampered", case, rest @ ..] => data_file(&site.demo.tampered.join(case), rest),
        ["west", rest @ ..] => match &site.west {
            Some(west) => data_file(&west.publication, rest),
            None => Route::NotFound,
        },
        ["west-tampered", case, rest @ ..] => match &site.west {
            Some(west) => match data_file(&west.tampered.join(case), rest) {
                // The endless copy's overlong results file never ends when served.
                Route::File { path, .. }
                    if *case == ShardTamper::Endless.name()
                        && rest.last().is_some_and(|name| name.starts_with(&format!("results-{SHARD_PROVINCE}."))) =>
                {
                    Route::Endless(path)
                }
                route => route,
            },
            None => Route::NotFound,
        },
        ["live", rest @ ..] => match site.live.as_ref().and_then(|live| live.current()) {
            Some(folder) => data_file(folder, rest),
            None => Route::NotFound,
        },
        ["sequence", name, rest @ ..] => match site.live.as_ref().and_then(|live| live.folder(name)) {
            Some(folder) => data_file(folder, rest),
            None => Route::NotFound,
        },
        ["__live", name] => match &site.live {
            Some(live) if live.switch(name) => Route::Switched,
            _ => Route::NotFound,
        },
        rest => app_file(&site.dist, rest),
    }
}

fn data_file(base: &Path, segments: &[&str]) -> Route {
    let path = join(base, segments);
    if segments.is_empty() || !path.is_file() {
        return Route::NotFound;
    }
    // `files/<kind>[-<province>].<sha256>.<ext>` never changes (docs/FORMAT.md).
    let content_addressed = segments.first() == Some(&"files")
        && segments.last().is_some_and(|name| name.split('.').any(|part| is_hex(part, 64..=64)));
    Route::File { path, cache: if content_addressed { Cache::Immutable } else { Cache::Revalidate } }
}

fn app_file(dist: &Path, segments: &[&str]) -> Route {
    let index = Route::File { path: dist.join("index.html"), cache: Cache::Revalidate };
    let path = join(dist, segments);
    if path.is_dir() {
        let nested = path.join("index.html");
        return if nested.is_file() { Route::File { path: nested, cache: Cache::Revalidate } } else { index };
    }
    if path.is_file() {
        let name = segments.last().copied().unwrap_or_default();
        let cache = if name == "index.html" || !looks_hashed(name) { Cache::Revalidate } else { Cache::Immutable };
        return Route::File { path, cache };
    }
    // The app's own routes (`/province/lorestan`) have no extension; a missing
    // asset (`/missing.js`) must stay a 404 rather than become HTML.
    match segments.last() {
        Some(name) if name.contains('.') => Route::NotFound,
        _ => index,
    }
}

fn join(base: &Path, segments: &[&str]) -> PathBuf {
    segments.iter().fold(base.to_path_buf(), |path, segment| path.join(segment))
}

/// Trunk names its outputs `name-<hash>.ext`, the hash a 64-bit number in
/// hex without leading zeros: 16 digits, fewer one build in sixteen (8 or
/// more but for one build in four billion; no word of ours is that long in hex).
pub(crate) fn looks_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    stem.rsplit_once('-').is_some_and(|(_, hash)| is_hex(hash.strip_suffix("_bg").unwrap_or(hash), HASH_DIGITS))
}

/// How many hex digits Trunk's hash has: see [`looks_hashed`].
const HASH_DIGITS: std::ops::RangeInclusive<usize> = 8..=16;

fn is_hex(text: &str, digits: std::ops::RangeInclusive<usize>) -> bool {
    digits.contains(&text.len()) && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

fn content_type(path: &Path) -> &'static str {
    let extension = path.extension().map(|ext| ext.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "geojson" => "application/geo+json",
        "jsonl" => "application/x-ndjson",
        "woff2" => "font/woff2",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "sigs" | "md" => "text/plain; charset=utf-8",
        // The publication's `checkpoint` and log proofs are text without an extension.
        "" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `%xx` decoding of a URL path; `None` for malformed escapes or non-UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            decoded.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::site::Demo;

    struct Fixture {
        dir: PathBuf,
        site: Site,
    }

    impl Fixture {
        fn new(name: &str) -> Fixture {
            let dir = std::env::temp_dir().join(format!("shafaf-xtask-serve-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            for folder in ["dist/fonts", "pub/files", "tampered/flip-byte"] {
                fs::create_dir_all(dir.join(folder)).unwrap();
            }
            for file in [
                "dist/index.html",
                "dist/shafaf-app-0123456789abcdef_bg.wasm",
                "dist/shafaf-app-b41a201eb64fe3.js",
                "dist/fonts/Vazirmatn-NL-Variable-cdef5578ea583313.woff2",
                "dist/fonts/OFL.txt",
                "pub/root.json",
                "pub/files/stations.jsonl",
                "tampered/flip-byte/root.json",
            ] {
                fs::write(dir.join(file), file).unwrap();
            }
            let site = Site {
                dist: dir.join("dist"),
                demo: Demo { publication: dir.join("pub"), tampered: dir.join("tampered"), keys: dir.join("pub.keys") },
                west: None,
                config_json: "{}".into(),
                live: None,
                csp: "default-src 'none'".into(),
                preload: None,
            };
            Fixture { dir, site }
        }

        fn file(&self, relative: &str, cache: Cache) -> Route {
            Route::File { path: relative.split('/').fold(self.dir.clone(), |path, part| path.join(part)), cache }
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }

    #[test]
    fn routes_the_root_and_app_paths_to_index_html() {
        let f = Fixture::new("spa");
        let index = f.file("dist/index.html", Cache::Revalidate);
        assert_eq!(route(&f.site, "/"), index);
        assert_eq!(route(&f.site, "/?pub=tampered/flip-byte/"), index);
        assert_eq!(route(&f.site, "/province/lorestan"), index);
        assert_eq!(route(&f.site, "/missing.js"), Route::NotFound);
    }

    #[test]
    fn hashed_assets_and_the_font_are_immutable_the_rest_revalidates() {
        let f = Fixture::new("cache");
        assert_eq!(
            route(&f.site, "/shafaf-app-0123456789abcdef_bg.wasm"),
            f.file("dist/shafaf-app-0123456789abcdef_bg.wasm", Cache::Immutable)
        );
        // A hash with leading zeros is written shorter.
        assert_eq!(
            route(&f.site, "/shafaf-app-b41a201eb64fe3.js"),
            f.file("dist/shafaf-app-b41a201eb64fe3.js", Cache::Immutable)
        );
        // The font is named by its content too.
        assert_eq!(
            route(&f.site, "/fonts/Vazirmatn-NL-Variable-cdef5578ea583313.woff2"),
            f.file("dist/fonts/Vazirmatn-NL-Variable-cdef5578ea583313.woff2", Cache::Immutable)
        );
        assert_eq!(route(&f.site, "/fonts/OFL.txt"), f.file("dist/fonts/OFL.txt", Cache::Revalidate));
    }

    #[test]
    fn routes_publications_config_and_rejects_escapes() {
        let f = Fixture::new("data");
        assert_eq!(route(&f.site, "/config.json"), Route::Config);
        assert_eq!(route(&f.site, "/demo/files/stations.jsonl"), f.file("pub/files/stations.jsonl", Cache::Revalidate));
        assert_eq!(
            route(&f.site, "/tampered/flip-byte/root.json"),
            f.file("tampered/flip-byte/root.json", Cache::Revalidate)
        );
        assert_eq!(route(&f.site, "/demo/"), Route::NotFound);
        assert_eq!(route(&f.site, "/demo/missing"), Route::NotFound);
        assert_eq!(route(&f.site, "/demo/../Cargo.toml"), Route::BadRequest);
        assert_eq!(route(&f.site, "/demo/%2e%2e/x"), Route::BadRequest);
        assert_eq!(route(&f.site, "/demo/%zz"), Route::BadRequest);
    }

    #[test]
    fn live_serves_the_chosen_folder_and_switches_on_request() {
        let mut f = Fixture::new("live");
        f.site.live = Some(crate::site::LiveDemo {
            folders: vec![("a".into(), f.dir.join("pub")), ("b".into(), f.dir.join("tampered/flip-byte"))],
            keys: f.dir.join("keys"),
            current: std::sync::Mutex::new("a".into()),
        });
        assert_eq!(route(&f.site, "/live/root.json"), f.file("pub/root.json", Cache::Revalidate));
        assert_eq!(route(&f.site, "/__live/c"), Route::NotFound);
        assert_eq!(route(&f.site, "/sequence/b/root.json"), f.file("tampered/flip-byte/root.json", Cache::Revalidate));
        assert_eq!(route(&f.site, "/__live/b"), Route::Switched);
        assert_eq!(route(&f.site, "/live/root.json"), f.file("tampered/flip-byte/root.json", Cache::Revalidate));
        f.site.live = None;
        assert_eq!(route(&f.site, "/live/root.json"), Route::NotFound);
        assert_eq!(route(&f.site, "/__live/a"), Route::NotFound);
    }

    #[test]
    fn content_types_match_what_browsers_require() {
        let cases = [
            ("index.html", "text/html; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("app_bg.wasm", "application/wasm"),
            ("main.css", "text/css; charset=utf-8"),
            ("root.json", "application/json"),
            ("provinces.geojson", "application/geo+json"),
            ("stations.jsonl", "application/x-ndjson"),
            ("font.woff2", "font/woff2"),
            ("map.svg", "image/svg+xml"),
        ];
        for (name, expected) in cases {
            assert_eq!(content_type(Path::new(name)), expected, "{name}");
        }
    }

    #[test]
    fn content_addressed_publication_files_are_immutable() {
        let f = Fixture::new("immutable");
        let hashed = format!("files/results-IR-15.{}.jsonl", "ab12".repeat(16));
        fs::write(f.dir.join("pub").join(&hashed), "{}").unwrap();
        fs::create_dir_all(f.dir.join("pub/log/inclusion")).unwrap();
        fs::write(f.dir.join("pub/log/inclusion/0-1"), "proof").unwrap();
        assert_eq!(route(&f.site, &format!("/demo/{hashed}")), f.file(&format!("pub/{hashed}"), Cache::Immutable));
        // Not content-addressed: the name has no SHA-256, or it is not under files/.
        assert_eq!(route(&f.site, "/demo/files/stations.jsonl"), f.file("pub/files/stations.jsonl", Cache::Revalidate));
        assert_eq!(route(&f.site, "/demo/root.json"), f.file("pub/root.json", Cache::Revalidate));
        assert_eq!(route(&f.site, "/demo/log/inclusion/0-1"), f.file("pub/log/inclusion/0-1", Cache::Revalidate));
        assert_eq!(content_type(Path::new("checkpoint")), "text/plain; charset=utf-8");
    }

    /// An HTTP/1.1 answer: status line, headers (names lower-cased) and body.
    struct Reply {
        status: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl Reply {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
        }

        /// The body with its Content-Encoding undone.
        fn decoded(&self) -> Vec<u8> {
            use std::io::Read;
            let mut out = Vec::new();
            match self.header("content-encoding") {
                None => out.extend_from_slice(&self.body),
                Some("gzip") => {
                    flate2::read::GzDecoder::new(&self.body[..]).read_to_end(&mut out).unwrap();
                }
                Some("br") => {
                    brotli::Decompressor::new(&self.body[..], 4096).read_to_end(&mut out).unwrap();
                }
                Some(other) => panic!("unexpected Content-Encoding {other}"),
            }
            out
        }
    }

    /// The server's `host:port`, to connect to.
    fn address(server: &Running) -> String {
        server.url().trim_start_matches("http://").replace('/', "")
    }

    fn request(server: &Running, method: &str, path: &str, accept_encoding: Option<&str>) -> Reply {
        let accept: Vec<(&str, &str)> = accept_encoding.map(|value| ("Accept-Encoding", value)).into_iter().collect();
        request_with(server, method, path, &accept)
    }

    fn request_with(server: &Running, method: &str, path: &str, fields: &[(&str, &str)]) -> Reply {
        use std::io::{Read, Write};

        let mut stream = std::net::TcpStream::connect(address(server)).unwrap();
        let fields: String = fields.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
        write!(stream, "{method} {path} HTTP/1.1\r\nHost: x\r\n{fields}Connection: close\r\n\r\n").unwrap();
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).unwrap();
        let split = reply.windows(4).position(|w| w == b"\r\n\r\n").expect("a header block");
        let head = String::from_utf8(reply[..split].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().to_string();
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        Reply { status, headers, body: reply[split + 4..].to_vec() }
    }

    /// A server on a free port over the fixture, with its own compression cache.
    fn serve(f: &Fixture, config_json: &str) -> Running {
        let site = Site {
            dist: f.site.dist.clone(),
            demo: Demo {
                publication: f.site.demo.publication.clone(),
                tampered: f.site.demo.tampered.clone(),
                keys: f.site.demo.keys.clone(),
            },
            west: None,
            config_json: config_json.into(),
            live: None,
            csp: crate::headers::content_security_policy("<script>x</script>"),
            preload: Some("</app.wasm>; rel=preload; as=fetch".into()),
        };
        let mut server = start_with_cache(site, "127.0.0.1:0", f.dir.join("compressed")).unwrap();
        server.wait_for_compression();
        server
    }

    #[test]
    fn serves_over_http_on_a_free_port() {
        let f = Fixture::new("http");
        let server = serve(&f, "{\"demo\":true}");
        let reply = request(&server, "GET", "/config.json", None);
        assert!(reply.status.starts_with("HTTP/1.1 200"), "{}", reply.status);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert_eq!(reply.body, b"{\"demo\":true}");
        server.stop();
    }

    /// A page opens its connections at once and keeps them open: each must be
    /// answered while the others stay open (tiny_http 0.12.0 left some
    /// unanswered until another closed: xtask/vendor/tiny_http/PATCHED.md).
    #[test]
    fn connections_opened_at_once_are_all_answered_while_the_others_stay_open() {
        use std::io::{Read, Write};

        let f = Fixture::new("burst");
        let server = serve(&f, "{}");
        let address = address(&server);
        for round in 0..5 {
            let connections: Vec<std::net::TcpStream> =
                (0..12).map(|_| std::net::TcpStream::connect(&address).unwrap()).collect();
            let answered: Vec<bool> = thread::scope(|scope| {
                let asked: Vec<_> = connections
                    .iter()
                    .map(|stream| {
                        scope.spawn(move || {
                            let mut stream = stream;
                            // Not a timed test: a connection left unanswered would hang the test for ever.
                            stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
                            write!(stream, "GET /config.json HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
                            let mut head = [0u8; 12];
                            stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
                        })
                    })
                    .collect();
                asked.into_iter().map(|a| a.join().unwrap()).collect()
            });
            assert!(answered.iter().all(|a| *a), "round {round}: answered {answered:?}");
            drop(connections);
        }
        server.stop();
    }

    #[test]
    fn gzip_and_brotli_clients_get_the_same_bytes_and_others_the_identity() {
        let f = Fixture::new("encodings");
        let hashed = format!("files/results-IR-15.{}.jsonl", "0f".repeat(32));
        let original: Vec<u8> =
            (0..5_000).flat_map(|n| format!("{{\"station\":\"S{n:05}\"}}\n").into_bytes()).collect();
        fs::write(f.dir.join("pub").join(&hashed), &original).unwrap();
        let server = serve(&f, "{}");
        let path = format!("/demo/{hashed}");

        let plain = request(&server, "GET", &path, None);
        let gzip = request(&server, "GET", &path, Some("gzip, deflate"));
        let brotli = request(&server, "GET", &path, Some("gzip, deflate, br, zstd"));
        assert_eq!(plain.header("content-encoding"), None);
        assert_eq!(plain.body, original);
        assert_eq!(gzip.header("content-encoding"), Some("gzip"));
        assert_eq!(brotli.header("content-encoding"), Some("br"));
        for reply in [&plain, &gzip, &brotli] {
            assert!(reply.status.starts_with("HTTP/1.1 200"), "{}", reply.status);
            assert_eq!(reply.decoded(), original);
            assert_eq!(reply.header("content-length"), Some(reply.body.len().to_string().as_str()));
            assert_eq!(reply.header("content-type"), Some("application/x-ndjson"));
            assert_eq!(reply.header("vary"), Some("Accept-Encoding"));
            assert_eq!(reply.header("cache-control"), Some("public, max-age=31536000, immutable"));
        }
        assert!(brotli.body.len() < gzip.body.len() && gzip.body.len() < original.len() / 4);

        // HEAD: the same headers, the compressed length, no body.
        let head = request(&server, "HEAD", &path, Some("br"));
        assert_eq!(head.header("content-encoding"), Some("br"));
        assert_eq!(head.header("content-length"), Some(brotli.body.len().to_string().as_str()));
        assert!(head.body.is_empty());
        server.stop();
    }

    #[test]
    fn a_revalidation_of_an_unchanged_file_is_answered_not_modified() {
        let f = Fixture::new("etag");
        let server = serve(&f, "{}");
        let first = request(&server, "GET", "/demo/root.json", None);
        assert!(first.status.contains("200"), "{}", first.status);
        let etag = first.header("etag").expect("an ETag").to_string();
        let again = request_with(&server, "GET", "/demo/root.json", &[("If-None-Match", &etag)]);
        assert!(again.status.contains("304"), "{}", again.status);
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        assert_eq!(again.header("cache-control"), Some("no-cache"));
        // Another release put in its place: the new file, whole.
        fs::write(f.dir.join("pub/root.json"), "the next release").unwrap();
        let changed = request_with(&server, "GET", "/demo/root.json", &[("If-None-Match", &etag)]);
        assert!(changed.status.contains("200"), "{}", changed.status);
        assert_eq!(changed.body, b"the next release");
        assert_ne!(changed.header("etag"), Some(etag.as_str()));
        server.stop();
    }

    #[test]
    fn a_revalidation_of_the_config_is_answered_not_modified() {
        let f = Fixture::new("config-etag");
        let server = serve(&f, "{\"publication\":\"/demo/\"}");
        let first = request(&server, "GET", "/config.json", None);
        assert!(first.status.contains("200"), "{}", first.status);
        assert_eq!(first.body, b"{\"publication\":\"/demo/\"}");
        assert_eq!(first.header("cache-control"), Some("no-cache"));
        let etag = first.header("etag").expect("an ETag").to_string();
        let again = request_with(&server, "GET", "/config.json", &[("If-None-Match", &etag)]);
        assert!(again.status.contains("304"), "{}", again.status);
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        let other = request_with(&server, "GET", "/config.json", &[("If-None-Match", "\"another\"")]);
        assert!(other.status.contains("200"), "{}", other.status);
        server.stop();
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists_and_any() {
        assert!(matches_entity_tag("W/\"1.2-3\"", "W/\"1.2-3\""));
        assert!(matches_entity_tag("\"1.2-3\"", "W/\"1.2-3\""));
        assert!(matches_entity_tag("\"x\", W/\"1.2-3\"", "W/\"1.2-3\""));
        assert!(matches_entity_tag("*", "W/\"1.2-3\""));
        assert!(!matches_entity_tag("W/\"1.2-4\"", "W/\"1.2-3\""));
        assert!(!matches_entity_tag("", "W/\"1.2-3\""));
    }

    #[test]
    fn fonts_and_small_files_are_sent_as_they_are() {
        let f = Fixture::new("woff2");
        let font = vec![b'w'; 50_000];
        fs::write(f.dir.join("dist/fonts/Vazirmatn-NL-Variable-cdef5578ea583313.woff2"), &font).unwrap();
        let server = serve(&f, "{}");
        let reply = request(&server, "GET", "/fonts/Vazirmatn-NL-Variable-cdef5578ea583313.woff2", Some("br, gzip"));
        assert_eq!(reply.header("content-encoding"), None);
        assert_eq!(reply.header("vary"), None);
        assert_eq!(reply.header("content-type"), Some("font/woff2"));
        assert_eq!(reply.header("content-length"), Some("50000"));
        assert_eq!(reply.body, font);
        // root.json of the fixture is a few bytes: not worth compressing.
        let small = request(&server, "GET", "/demo/root.json", Some("br"));
        assert_eq!(small.header("content-encoding"), None);
        assert_eq!(small.body, b"pub/root.json");
        server.stop();
    }

    #[test]
    fn every_answer_carries_the_security_headers() {
        let f = Fixture::new("headers");
        let server = serve(&f, "{}");
        for path in ["/", "/index.html", "/config.json", "/demo/root.json", "/missing.js"] {
            let reply = request(&server, "GET", path, None);
            let csp = reply.header("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
            assert!(csp.starts_with("default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{csp}");
            assert!(!csp.contains("unsafe-inline"), "{csp}");
            assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
        }
        server.stop();
    }

    #[test]
    fn the_page_and_only_the_page_names_its_preloads() {
        let f = Fixture::new("preload");
        let server = serve(&f, "{}");
        for path in ["/", "/index.html", "/c/IR-15-1501-C01"] {
            assert_eq!(request(&server, "GET", path, None).header("link"), Some("</app.wasm>; rel=preload; as=fetch"));
        }
        for path in ["/config.json", "/demo/root.json", "/missing.js"] {
            assert_eq!(request(&server, "GET", path, None).header("link"), None, "{path}");
        }
        server.stop();
    }
}
