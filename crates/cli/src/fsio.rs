//! Files in and out: keys, drafts, publication folders, the geo inputs.
//! Every error names the path.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use shafaf_core::demo::{Demo, GeoInput};
use shafaf_core::findings::Finding;
use shafaf_core::format::{self, parse_json};
use shafaf_core::model::{ContestsDoc, ElectionDoc, FileEntry, Sha256Hex, StationsDoc};
use shafaf_core::publish::{Draft, DraftProvince};
use shafaf_core::verify::{check_bytes, CheckedFile, ListedFiles};
use shafaf_core::{PublicKey, Publication, SecretKey};

/// No file of a publication or draft is read past this size.
const MAX_FILE: u64 = 256 * 1024 * 1024;

pub fn read(path: &Path) -> Result<Vec<u8>> {
    let meta = fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.len() > MAX_FILE {
        bail!("{} is {} bytes, more than the {} a publication file may be", path.display(), meta.len(), MAX_FILE);
    }
    fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(read(path)?).with_context(|| format!("{} is not UTF-8 text", path.display()))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir(parent)?;
    }
    fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Writes a file beside its final name and moves it into place, so a
/// server never hands out half of it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let staging = with_suffix(path, &format!("partial-{}", std::process::id()));
    write(&staging, bytes)?;
    fs::rename(&staging, path).with_context(|| format!("cannot move {} to {}", staging.display(), path.display()))
}

pub fn create_dir(path: &Path) -> Result<()> {
    fs::create_dir_all(path).with_context(|| format!("cannot create folder {}", path.display()))
}

/// Writes a secret key readable by its owner only, never over an existing file.
pub fn write_secret(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir(parent)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file =
        options.open(path).with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
    file.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))
}

pub fn read_public_key(path: &Path) -> Result<PublicKey> {
    PublicKey::from_pem(&read_text(path)?).with_context(|| format!("{}: not an Ed25519 public key PEM", path.display()))
}

pub fn read_secret_key(path: &Path) -> Result<SecretKey> {
    SecretKey::from_pkcs8_pem(&read_text(path)?)
        .with_context(|| format!("{}: not an Ed25519 PKCS#8 private key PEM", path.display()))
}

/// Reads every file under `dir` as a publication (paths relative, with `/`).
pub fn read_publication(dir: &Path) -> Result<Publication> {
    read_files(dir, |_| true)
}

/// The files under `dir` whose relative path `wanted` takes.
fn read_files(dir: &Path, wanted: impl Fn(&str) -> bool) -> Result<Publication> {
    if !dir.is_dir() {
        bail!("{} is not a folder", dir.display());
    }
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).with_context(|| format!("cannot list {}", folder.display()))? {
            let entry = entry.with_context(|| format!("cannot list {}", folder.display()))?;
            let path = entry.path();
            let kind = entry.file_type().with_context(|| format!("cannot stat {}", path.display()))?;
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                let rel = rel.join("/");
                if wanted(&rel) {
                    files.push((rel, path));
                }
            }
        }
    }
    // On all cores: a country's publication is some 150 MB.
    let contents: Vec<Vec<u8>> = files.par_iter().map(|(_, path)| read(path)).collect::<Result<_>>()?;
    let mut publication = Publication::new();
    for ((name, _), bytes) in files.into_iter().zip(contents) {
        publication.insert(name, bytes);
    }
    Ok(publication)
}

/// A publication folder to verify: its entry and log files read at once,
/// and the files its releases list (`files/`, some 150 MB for a country)
/// read one at a time when a stage needs them, bounded by their listed size,
/// and dropped after (the same checks as in memory: [`check_bytes`]).
pub struct Folder {
    dir: PathBuf,
    /// Everything outside `files/`.
    pub publication: Publication,
    /// Files that matched their entry: the release log's check of every past
    /// release's files does not read the current release's again.
    confirmed: Mutex<HashSet<(String, u64, Sha256Hex)>>,
}

/// The folder holding the files releases list, content-addressed.
const LISTED: &str = "files";

impl Folder {
    pub fn open(dir: &Path) -> Result<Folder> {
        let publication = read_files(dir, |rel| rel.split('/').next() != Some(LISTED))?;
        Ok(Folder { dir: dir.to_path_buf(), publication, confirmed: Mutex::default() })
    }

    fn read_listed(&self, entry: &FileEntry) -> Result<Vec<u8>, Finding> {
        let unreadable =
            |problem: String| Finding::InvalidValue { file: entry.path.clone(), field: String::new(), problem };
        format::check_relative_path(&entry.path).map_err(|problem| unreadable(problem.to_owned()))?;
        let path = self.dir.join(&entry.path);
        let file = match fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Finding::FileMissing { file: entry.path.clone() })
            }
            Err(e) => return Err(unreadable(format!("cannot be read from {}: {e}", path.display()))),
        };
        // One byte past the listed size tells a longer file, unread beyond it.
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size.saturating_add(1)).unwrap_or(0));
        file.take(entry.size.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| unreadable(format!("cannot be read from {}: {e}", path.display())))?;
        Ok(bytes)
    }
}

impl ListedFiles for Folder {
    fn check(&self, entry: &FileEntry) -> Result<CheckedFile<'_>, Finding> {
        let file = check_bytes(entry, Cow::Owned(self.read_listed(entry)?))?;
        self.confirmed.lock().unwrap_or_else(|e| e.into_inner()).insert(confirmed(entry));
        Ok(file)
    }

    fn confirm(&self, entry: &FileEntry) -> Result<(), Finding> {
        if self.confirmed.lock().unwrap_or_else(|e| e.into_inner()).contains(&confirmed(entry)) {
            return Ok(());
        }
        self.check(entry).map(drop)
    }
}

fn confirmed(entry: &FileEntry) -> (String, u64, Sha256Hex) {
    (entry.path.clone(), entry.size, entry.sha256)
}

/// Writes a publication into `dir`, replacing a previous publication there
/// but never another kind of folder. It is written beside and then moved into
/// place, so a server never sees half a release.
pub fn write_publication(dir: &Path, publication: &Publication) -> Result<()> {
    if dir.exists() {
        let is_publication = dir.join(format::RELEASE).is_file() || dir.join(format::ROOT).is_file();
        let is_empty = fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !is_publication && !is_empty {
            bail!("{} exists and is not a publication folder; refusing to overwrite it", dir.display());
        }
    }
    let staging = with_suffix(dir, &format!("partial-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).with_context(|| format!("cannot remove {}", staging.display()))?;
    }
    for (path, bytes) in publication.iter() {
        write(&staging.join(path), bytes)?;
    }
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("cannot remove the old {}", dir.display()))?;
    }
    fs::rename(&staging, dir).with_context(|| format!("cannot move {} to {}", staging.display(), dir.display()))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{suffix}"))
}

/// Reads a draft folder:
/// `election.json`, `geo/provinces.geojson`, `geo/counties/IR-xx.geojson`,
/// and per province `provinces/IR-xx/contests.json`, `stations.json` and
/// `results/*.jsonl` (lines as `shafaf sign-result` prints them).
pub fn read_draft(dir: &Path) -> Result<Draft> {
    let path = dir.join("election.json");
    let election: ElectionDoc = parse_json(&path.display().to_string(), &read(&path)?, MAX_FILE)?;
    let geo_provinces = read(&dir.join("geo/provinces.geojson"))?;
    let mut geo_counties = Vec::new();
    let mut provinces = Vec::new();
    for p in &election.provinces {
        let counties = dir.join("geo/counties").join(format!("{}.geojson", p.code));
        geo_counties.push((p.code.clone(), read(&counties)?));
        let base = dir.join("provinces").join(p.code.as_str());
        let contests_path = base.join("contests.json");
        let contests: ContestsDoc = parse_json(&contests_path.display().to_string(), &read(&contests_path)?, MAX_FILE)?;
        let stations_path = base.join("stations.json");
        let stations: StationsDoc = parse_json(&stations_path.display().to_string(), &read(&stations_path)?, MAX_FILE)?;
        let mut results = Vec::new();
        let results_dir = base.join("results");
        if results_dir.is_dir() {
            let mut files: Vec<PathBuf> = fs::read_dir(&results_dir)
                .with_context(|| format!("cannot list {}", results_dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .collect();
            files.sort();
            for f in files {
                let text = read_text(&f)?;
                results.extend(text.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned));
            }
        }
        provinces.push(DraftProvince { contests, stations, results });
    }
    Ok(Draft { election, provinces, geo_provinces, geo_counties })
}

/// Reads the demo's geo inputs from a folder laid out like `../shared/geo`.
pub fn read_geo(dir: &Path) -> Result<GeoInput> {
    if !dir.is_dir() {
        bail!("geo data folder {} not found (pass --geo or set SHAFAF_GEO)", dir.display());
    }
    let mut counties_geojson = Vec::new();
    let counties_dir = dir.join("counties");
    let mut files: Vec<PathBuf> = fs::read_dir(&counties_dir)
        .with_context(|| format!("cannot list {}", counties_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "geojson"))
        .collect();
    files.sort();
    for f in files {
        let code = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        counties_geojson.push((code, read(&f)?));
    }
    Ok(GeoInput {
        provinces_csv: read_text(&dir.join("provinces-2016.csv"))?,
        counties_csv: read_text(&dir.join("counties-2016.csv"))?,
        provinces_geojson: read(&dir.join("provinces.geojson"))?,
        counties_geojson,
    })
}

/// The demo's keys (so tests can re-sign tampered copies) and its anomaly list.
pub fn write_demo_keys(dir: &Path, demo: &Demo) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("cannot remove the old {}", dir.display()))?;
    }
    create_dir(dir)?;
    for (role, keys) in [
        ("root", &demo.root_keys),
        ("publisher", &demo.publisher_keys),
        ("witness", &demo.witness_keys),
        ("timestamp", &demo.timestamp_keys),
    ] {
        for (i, key) in keys.iter().enumerate() {
            let prefix = dir.join(format!("{role}-{}", i + 1));
            write_secret(&prefix.with_extension("key"), key.to_pkcs8_pem()?.as_bytes())?;
            write(&prefix.with_extension("pub.pem"), key.public().to_pem().as_bytes())?;
        }
    }
    write(&dir.join("root.sha256"), format!("{}\n", demo.root_sha256).as_bytes())?;
    let releases = serde_json::to_vec_pretty(&demo.releases).context("cannot serialise the release list")?;
    write(&dir.join("releases.json"), &releases)?;
    let anomalies = serde_json::to_vec_pretty(&demo.anomalies).context("cannot serialise the anomaly list")?;
    write(&dir.join("anomalies.json"), &anomalies)
}
