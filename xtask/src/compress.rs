//! HTTP compression for the static server, as a CDN or static host does it:
//! brotli when the client accepts it, else gzip, for text-like types, each
//! file compressed once and kept on disk (the national demo holds files of
//! tens of megabytes; compressing them on every request would be the bench's
//! bottleneck, not the app's).
//!
//! A compressed copy lives in the cache folder under the SHA-256 of the
//! file's content, so it survives what changes only names and times: Trunk
//! rewriting `dist/` on every build, the tampered copies of the demo (the
//! same files at other paths), a restart. The digest of a file is computed
//! once per path, size and modification time. Copies unused for two weeks
//! are removed when a server starts.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

/// Below this size a compressed body saves less than its headers cost
/// (CloudFront's floor is 1,000 bytes).
pub const MIN_SIZE: u64 = 1024;

/// Brotli window: 4 MiB, the encoder's default.
const BROTLI_WINDOW: u32 = 22;

/// How hard to compress, as a host does: its own build output once, at the
/// highest levels, and data as it comes, at levels that keep up with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effort {
    /// The app's files: brotli 11, gzip 9 (the 1.6 MB wasm takes some
    /// seconds, once per build).
    Best,
    /// Publications: brotli 5, gzip 6. Brotli 5 compresses a 28 MB results
    /// file in 2 to 5 seconds to 10% (gzip 6: 12%); 9 is 2% smaller but
    /// takes four times as long, 11 a hundred times.
    Fast,
}

/// Publication files up to this size are compressed at [`Effort::Best`].
const BEST_UP_TO: u64 = 1 << 20;

impl Effort {
    /// For a file of a publication: the small ones, which every view reads
    /// first (the root, the release, the summary, a province's councils and
    /// boundaries), once at the highest levels, as a publisher precompresses
    /// them (a province's contests file is 25% smaller at brotli 11 than at
    /// 5); the large ones (results) at levels that keep up.
    pub fn for_publication(size: u64) -> Effort {
        if size <= BEST_UP_TO {
            Effort::Best
        } else {
            Effort::Fast
        }
    }

    fn brotli_quality(self) -> u32 {
        match self {
            Effort::Best => 11,
            Effort::Fast => 5,
        }
    }

    fn gzip_level(self) -> u32 {
        match self {
            Effort::Best => 9,
            Effort::Fast => 6,
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Effort::Best => "best",
            Effort::Fast => "fast",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// What a client accepts, by its `Accept-Encoding` header: brotli when it
    /// accepts it, else gzip, else the identity. The server's preference wins
    /// over the client's q-values (as CDNs do); `q=0` refuses.
    pub fn negotiate(accept_encoding: Option<&str>) -> Encoding {
        let Some(header) = accept_encoding else {
            return Encoding::Identity;
        };
        let mut star = None;
        let mut listed: HashMap<String, bool> = HashMap::new();
        for item in header.split(',') {
            let mut parts = item.split(';');
            let token = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            if token.is_empty() {
                continue;
            }
            let q = parts
                .filter_map(|param| param.trim().strip_prefix("q=").or_else(|| param.trim().strip_prefix("Q=")))
                .find_map(|value| value.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let token = if token == "x-gzip" { "gzip".to_string() } else { token };
            if token == "*" {
                star = Some(q > 0.0);
            } else {
                listed.insert(token, q > 0.0);
            }
        }
        let accepts = |token: &str| listed.get(token).copied().or(star).unwrap_or(false);
        if accepts("br") {
            Encoding::Brotli
        } else if accepts("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    /// The `Content-Encoding` value; `None` for the identity.
    pub fn token(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
            Encoding::Brotli => Some("br"),
        }
    }
}

/// Whether a body of this `Content-Type` is worth compressing: text, JSON,
/// JavaScript, SVG and WebAssembly; not fonts (woff2 is compressed already)
/// or images.
pub fn compressible(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.starts_with("text/")
        || matches!(
            essence,
            "application/json"
                | "application/geo+json"
                | "application/x-ndjson"
                | "application/wasm"
                | "application/javascript"
                | "image/svg+xml"
        )
}

/// Writes `bytes` compressed into `output`. The whole file goes to the encoder
/// in one write: rust-brotli fed 8 KiB at a time compresses the national
/// results file 7% worse.
pub fn encode(encoding: Encoding, effort: Effort, bytes: &[u8], output: impl Write) -> io::Result<()> {
    match encoding {
        Encoding::Identity => {
            let mut output = output;
            output.write_all(bytes)?;
            output.flush()
        }
        Encoding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(output, flate2::Compression::new(effort.gzip_level()));
            encoder.write_all(bytes)?;
            encoder.finish()?.flush()
        }
        Encoding::Brotli => {
            let mut encoder = brotli::CompressorWriter::new(output, 64 * 1024, effort.brotli_quality(), BROTLI_WINDOW);
            encoder.write_all(bytes)?;
            encoder.flush()?;
            encoder.into_inner().flush()
        }
    }
}

/// `bytes` compressed as the server would send them.
pub fn encode_bytes(encoding: Encoding, effort: Effort, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = encode(encoding, effort, bytes, &mut out);
    out
}

/// The folder of compressed copies, shared by every server thread.
pub struct Cache {
    dir: PathBuf,
    /// One lock per copy being made, so that two requests for the same large
    /// file wait for one compression rather than doing two.
    making: Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>,
    /// The content digest of each file seen, with the size and time it had.
    digests: Mutex<HashMap<PathBuf, (u64, SystemTime, String)>>,
}

/// Distinguishes the temporary files of threads and processes sharing a cache.
static TEMPORARY: AtomicU64 = AtomicU64::new(0);

/// Copies older than this are removed by [`Cache::prune`].
const UNUSED: Duration = Duration::from_secs(14 * 24 * 3600);

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir, making: Mutex::default(), digests: Mutex::default() }
    }

    /// The compressed copy of `path` in `encoding`, made now unless it is
    /// cached. `None` when the file is too small to gain from it, or changed
    /// while it was being compressed.
    pub fn get(&self, path: &Path, encoding: Encoding, effort: Effort) -> io::Result<Option<PathBuf>> {
        let extension = match encoding {
            Encoding::Identity => return Ok(None),
            Encoding::Gzip => "gz",
            Encoding::Brotli => "br",
        };
        let meta = fs::metadata(path)?;
        if meta.len() < MIN_SIZE {
            return Ok(None);
        }
        let digest = self.digest(path, &meta)?;
        let copy = self.dir.join(format!("{digest}-{}.{extension}", effort.tag()));
        if copy.is_file() {
            return Ok(Some(copy));
        }

        let turn = Arc::clone(lock(&self.making).entry(copy.clone()).or_default());
        let making = lock(&turn);
        // Another thread may have made it while this one waited.
        let made = if copy.is_file() { Ok(true) } else { self.make(path, &meta, &copy, encoding, effort) };
        drop(making);
        lock(&self.making).remove(&copy);
        Ok(made?.then_some(copy))
    }

    /// Compresses `path` into `copy` through a temporary file; false when the
    /// file changed meanwhile (the copy would not match its digest).
    fn make(
        &self,
        path: &Path,
        meta: &fs::Metadata,
        copy: &Path,
        encoding: Encoding,
        effort: Effort,
    ) -> io::Result<bool> {
        fs::create_dir_all(&self.dir)?;
        let mut temporary = copy.as_os_str().to_owned();
        temporary.push(format!(".tmp-{}-{}", std::process::id(), TEMPORARY.fetch_add(1, Ordering::Relaxed)));
        let temporary = PathBuf::from(temporary);
        let written = (|| {
            let bytes = fs::read(path)?;
            encode(encoding, effort, &bytes, BufWriter::new(File::create(&temporary)?))?;
            let now = fs::metadata(path)?;
            if now.len() != meta.len() || now.modified()? != meta.modified()? {
                return Ok(false);
            }
            fs::rename(&temporary, copy)?;
            Ok(true)
        })();
        if !matches!(written, Ok(true)) {
            let _ = fs::remove_file(&temporary);
        }
        written
    }

    /// The SHA-256 of the file's content, in hex, computed once per version of it.
    fn digest(&self, path: &Path, meta: &fs::Metadata) -> io::Result<String> {
        let modified = meta.modified()?;
        if let Some((size, time, digest)) = lock(&self.digests).get(path) {
            if *size == meta.len() && *time == modified {
                return Ok(digest.clone());
            }
        }
        let mut hasher = Sha256::new();
        io::copy(&mut BufReader::new(File::open(path)?), &mut hasher)?;
        let digest: String = hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect();
        lock(&self.digests).insert(path.to_path_buf(), (meta.len(), modified, digest.clone()));
        Ok(digest)
    }

    /// Removes the copies (and stray temporary files) not written for two weeks.
    pub fn prune(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let written = entry.metadata().and_then(|meta| meta.modified());
            if written.is_ok_and(|time| now.duration_since(time).is_ok_and(|age| age > UNUSED)) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Makes the brotli and gzip copies of every compressible file among `files`
    /// (how the server precompresses the app and the demo at start-up).
    pub fn warm(
        &self,
        files: impl IntoIterator<Item = PathBuf>,
        effort: impl Fn(&Path) -> Effort,
        content_type: impl Fn(&Path) -> &'static str,
    ) {
        for path in files {
            if !compressible(content_type(&path)) {
                continue;
            }
            for encoding in [Encoding::Brotli, Encoding::Gzip] {
                if let Err(err) = self.get(&path, encoding, effort(&path)) {
                    // The file may have gone (a test fixture, a regenerated demo):
                    // the request for it will say so.
                    if err.kind() != io::ErrorKind::NotFound {
                        eprintln!("    warning: compressing {}: {err}", path.display());
                    }
                }
            }
        }
    }
}

/// A lock that a panicking thread cannot make unusable: the maps it guards
/// hold no invariant that a half-done update breaks.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn prefers_brotli_then_gzip_and_honours_q_zero() {
        assert_eq!(Encoding::negotiate(None), Encoding::Identity);
        assert_eq!(Encoding::negotiate(Some("")), Encoding::Identity);
        assert_eq!(Encoding::negotiate(Some("gzip, deflate, br, zstd")), Encoding::Brotli);
        assert_eq!(Encoding::negotiate(Some("gzip;q=1.0, br;q=0.5")), Encoding::Brotli);
        assert_eq!(Encoding::negotiate(Some("gzip, deflate")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(Some("GZIP")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(Some("br;q=0, gzip")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(Some("identity")), Encoding::Identity);
        assert_eq!(Encoding::negotiate(Some("*")), Encoding::Brotli);
        assert_eq!(Encoding::negotiate(Some("*;q=0, identity")), Encoding::Identity);
        assert_eq!(Encoding::negotiate(Some("br;q=0, *")), Encoding::Gzip);
    }

    #[test]
    fn compresses_text_json_wasm_and_svg_but_not_fonts_or_images() {
        for kind in [
            "text/html; charset=utf-8",
            "text/plain; charset=utf-8",
            "application/json",
            "application/geo+json",
            "application/x-ndjson",
            "application/wasm",
            "image/svg+xml",
        ] {
            assert!(compressible(kind), "{kind}");
        }
        for kind in ["font/woff2", "image/png", "image/x-icon", "application/octet-stream"] {
            assert!(!compressible(kind), "{kind}");
        }
    }

    #[test]
    fn both_encodings_decode_to_the_original() {
        let original: Vec<u8> = (0..5_000u32).flat_map(|n| format!("{{\"station\":{n}}}\n").into_bytes()).collect();
        for effort in [Effort::Best, Effort::Fast] {
            let mut gunzipped = Vec::new();
            flate2::read::GzDecoder::new(&encode_bytes(Encoding::Gzip, effort, &original)[..])
                .read_to_end(&mut gunzipped)
                .unwrap();
            let mut unbrotlied = Vec::new();
            brotli::Decompressor::new(&encode_bytes(Encoding::Brotli, effort, &original)[..], 4096)
                .read_to_end(&mut unbrotlied)
                .unwrap();
            assert_eq!(gunzipped, original);
            assert_eq!(unbrotlied, original);
        }
    }

    #[test]
    fn copies_are_made_once_per_content_and_follow_a_changed_file() {
        let dir = std::env::temp_dir().join(format!("shafaf-xtask-compress-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("results.jsonl");
        let same = dir.join("tampered-copy.jsonl");
        fs::write(&file, "{\"votes\":1}\n".repeat(1000)).unwrap();
        fs::copy(&file, &same).unwrap();
        let cache = Cache::new(dir.join("cache"));

        let first = cache.get(&file, Encoding::Gzip, Effort::Fast).unwrap().unwrap();
        let written = fs::metadata(&first).unwrap().modified().unwrap();
        assert_eq!(cache.get(&file, Encoding::Gzip, Effort::Fast).unwrap().unwrap(), first);
        assert_eq!(cache.get(&same, Encoding::Gzip, Effort::Fast).unwrap().unwrap(), first, "same bytes, one copy");
        assert_eq!(fs::metadata(&first).unwrap().modified().unwrap(), written, "made once");
        let brotli = cache.get(&file, Encoding::Brotli, Effort::Fast).unwrap().unwrap();
        let best = cache.get(&file, Encoding::Brotli, Effort::Best).unwrap().unwrap();
        assert!(brotli != first && best != brotli);

        fs::write(&file, "{\"votes\":2}\n".repeat(2000)).unwrap();
        let second = cache.get(&file, Encoding::Gzip, Effort::Fast).unwrap().unwrap();
        assert_ne!(second, first);
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(File::open(&second).unwrap()).read_to_end(&mut decoded).unwrap();
        assert_eq!(decoded, fs::read(&file).unwrap());

        fs::write(dir.join("tiny.json"), "{}").unwrap();
        assert_eq!(cache.get(&dir.join("tiny.json"), Encoding::Brotli, Effort::Fast).unwrap(), None);
        assert_eq!(cache.get(&file, Encoding::Identity, Effort::Fast).unwrap(), None);
        cache.prune();
        assert!(second.exists(), "a fresh copy stays");
        let _ = fs::remove_dir_all(&dir);
    }
}
