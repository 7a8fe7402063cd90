//! A small static server for the built app and the demo publication.
//!
//! - `/config.json`: generated (see [`crate::site::config_json`]);
//! - `/demo/...`: the demo publication;
//! - `/tampered/<case>/...`: the tampered copies;
//! - with a live demo, `/live/...`: the folder of it shown now, and
//!   `/__live/<name>`: shows another from then on (for tests), and
//!   `/sequence/<name>/...`: each of its folders at a fixed address;
//! - everything else from `dist/`, with unknown paths that have no file
//!   extension answered by `dist/index.html`, as a single-page app needs.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use anyhow::{anyhow, Context, Result};
use clap::Args;
use tiny_http::{Header, Method, Request, Response, Server};

use crate::paths::Paths;
use crate::site::{self, DemoSpec, Scale, Site};
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
    /// `/?pub=live/` and move it on with /__live/step-2, /__live/step-3).
    #[arg(long)]
    live: bool,
}

pub fn run(paths: &Paths, args: &ServeArgs) -> Result<()> {
    let spec = DemoSpec { scale: args.scale, seed: args.seed, geo: args.geo.clone().unwrap_or_else(|| paths.geo()) };
    tools::ensure_for_app(paths)?;
    let site = site::prepare(paths, &spec, args.live)?;
    let server = start(site, &format!("127.0.0.1:{}", args.port))?;
    println!("Serving Shafaf on {}", server.url());
    server.wait();
    Ok(())
}

const WORKERS: usize = 4;

/// A server answering on its own threads until stopped (or dropped).
pub struct Running {
    server: Arc<Server>,
    port: u16,
    workers: Vec<JoinHandle<()>>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Serves until the process is stopped.
    pub fn wait(mut self) {
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }

    pub fn stop(self) {}
}

impl Drop for Running {
    fn drop(&mut self) {
        // Each unblock releases one worker waiting in `recv`.
        for _ in &self.workers {
            self.server.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

/// Listens on `address` (port 0 picks a free port) and serves `site`.
pub fn start(site: Site, address: &str) -> Result<Running> {
    let server = Server::http(address).map_err(|err| anyhow!("listening on {address}: {err}"))?;
    let port = server.server_addr().to_ip().context("the server is not listening on an IP address")?.port();
    let server = Arc::new(server);
    let site = Arc::new(site);
    let workers = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let site = Arc::clone(&site);
            thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    answer(&site, request);
                }
            })
        })
        .collect();
    Ok(Running { server, port, workers })
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

fn answer(site: &Site, request: Request) {
    let url = request.url().to_string();
    let response = match request.method() {
        Method::Get | Method::Head => respond(site, &url),
        _ => text(405, "method not allowed"),
    };
    let status = response.status_code().0;
    if status >= 400 && !url.ends_with("favicon.ico") {
        eprintln!("    {} {url} -> {status}", request.method());
    }
    // A client that went away is no error of ours.
    let _ = request.respond(response);
}

fn respond(site: &Site, url: &str) -> Response<Box<dyn std::io::Read + Send>> {
    match route(site, url) {
        Route::Switched => text(200, "switched"),
        Route::Config => Response::from_data(site.config_json.clone().into_bytes())
            .with_header(header("Content-Type", "application/json"))
            .with_header(header("Cache-Control", "no-cache"))
            .boxed(),
        Route::File { path, cache } => match File::open(&path) {
            Ok(file) => Response::from_file(file)
                .with_header(header("Content-Type", content_type(&path)))
                .with_header(header(
                    "Cache-Control",
                    match cache {
                        Cache::Revalidate => "no-cache",
                        Cache::Immutable => "public, max-age=31536000, immutable",
                    },
                ))
                .boxed(),
            Err(_) => text(404, "not found"),
        },
        Route::NotFound => text(404, "not found"),
        Route::BadRequest => text(400, "bad request"),
    }
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
    Route::File { path, cache: Cache::Revalidate }
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

/// Trunk names its outputs `name-<16 hex digits>.ext`.
fn looks_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        let hash = hash.strip_suffix("_bg").unwrap_or(hash);
        hash.len() == 16 && hash.bytes().all(|byte| byte.is_ascii_hexdigit())
    })
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
                "dist/fonts/Vazirmatn-Variable.woff2",
                "pub/root.json",
                "pub/files/stations.jsonl",
                "tampered/flip-byte/root.json",
            ] {
                fs::write(dir.join(file), file).unwrap();
            }
            let site = Site {
                dist: dir.join("dist"),
                demo: Demo { publication: dir.join("pub"), tampered: dir.join("tampered"), keys: dir.join("pub.keys") },
                config_json: "{}".into(),
                live: None,
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
    fn hashed_assets_are_immutable_and_fonts_revalidate() {
        let f = Fixture::new("cache");
        assert_eq!(
            route(&f.site, "/shafaf-app-0123456789abcdef_bg.wasm"),
            f.file("dist/shafaf-app-0123456789abcdef_bg.wasm", Cache::Immutable)
        );
        assert_eq!(
            route(&f.site, "/fonts/Vazirmatn-Variable.woff2"),
            f.file("dist/fonts/Vazirmatn-Variable.woff2", Cache::Revalidate)
        );
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
    fn serves_over_http_on_a_free_port() {
        use std::io::{Read, Write};

        let f = Fixture::new("http");
        let site = Site {
            dist: f.site.dist.clone(),
            demo: Demo {
                publication: f.site.demo.publication.clone(),
                tampered: f.site.demo.tampered.clone(),
                keys: f.site.demo.keys.clone(),
            },
            config_json: "{\"demo\":true}".into(),
            live: None,
        };
        let server = start(site, "127.0.0.1:0").unwrap();
        let address = server.url().trim_start_matches("http://").replace('/', "");
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(b"GET /config.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
        assert!(reply.contains("application/json"), "{reply}");
        assert!(reply.ends_with("{\"demo\":true}"), "{reply}");
        server.stop();
    }
}
