//! `shafaf check-app URL`: is the app served at URL exactly a given build?
//! It reads the served `app-files.txt`, compares it with the list of a local
//! build (`--dist`, from `cargo xtask dist`) or with the hash a build is
//! known by (`--hash`, as the /source page and the release notes give it),
//! then fetches every listed file and checks it against the list.

use std::io::Read as _;
use std::path::Path;

use anyhow::{bail, Context, Result};
use shafaf_core::app_files::{self, AppFile, MANIFEST};
use shafaf_core::model::Sha256Hex;

/// The most any one file of the app may be (the wasm is a few MB).
const MAX_FILE: u64 = 64 << 20;

pub fn run(url: &str, dist: Option<&Path>, hash: Option<&str>) -> Result<bool> {
    if dist.is_none() && hash.is_none() {
        bail!(
            "give --dist DIR (a local `cargo xtask dist` of this source) or --hash HEX (the hash a build is known by)"
        );
    }
    let base = if url.ends_with('/') { url.to_owned() } else { format!("{url}/") };
    let agent = ureq::AgentBuilder::new().timeout(std::time::Duration::from_secs(60)).build();
    let served_list = get(&agent, &format!("{base}{MANIFEST}"))?;
    let served_hash = app_files::app_hash(&served_list);
    let served = app_files::parse_manifest(std::str::from_utf8(&served_list).context("app-files.txt is not UTF-8")?)
        .map_err(|e| anyhow::anyhow!("the served {e}"))?;
    println!("{base}: {} files, app hash {}", served.len(), served_hash.to_hex());
    let mut differences = Vec::new();
    if let Some(hex) = hash {
        let expected = Sha256Hex::from_hex(&hex.to_ascii_lowercase())
            .with_context(|| format!("--hash `{hex}` is not 64 hex digits"))?;
        if expected != served_hash {
            differences.push(format!("{MANIFEST}: its hash is {}, not {}", served_hash.to_hex(), expected.to_hex()));
        }
    }
    if let Some(dir) = dist {
        let local_list = std::fs::read(dir.join(MANIFEST)).with_context(|| {
            format!("reading {} (run `cargo xtask dist --out {}`)", dir.join(MANIFEST).display(), dir.display())
        })?;
        let local = app_files::parse_manifest(
            std::str::from_utf8(&local_list).context("the local app-files.txt is not UTF-8")?,
        )
        .map_err(|e| anyhow::anyhow!("the local {e}"))?;
        differences.extend(compare_lists(&local, &served));
    }
    // Every served file must be what the served list says.
    for file in &served {
        match get(&agent, &format!("{base}{}", file.path)) {
            Ok(bytes) if Sha256Hex::of(&bytes) == file.sha256 => {}
            Ok(bytes) => differences.push(format!(
                "{}: served with SHA-256 {}, but {MANIFEST} says {}",
                file.path,
                Sha256Hex::of(&bytes).to_hex(),
                file.sha256.to_hex()
            )),
            Err(e) => differences.push(format!("{}: {e:#}", file.path)),
        }
    }
    if differences.is_empty() {
        println!("identical: every file served is the build's, byte for byte");
        Ok(true)
    } else {
        println!("DIFFERS: {} file(s) are not the build's:", differences.len());
        for d in &differences {
            println!("  ✗ {d}");
        }
        Ok(false)
    }
}

/// What differs between the expected build's list and the served one.
fn compare_lists(expected: &[AppFile], served: &[AppFile]) -> Vec<String> {
    let mut out = Vec::new();
    for e in expected {
        match served.iter().find(|s| s.path == e.path) {
            None => out.push(format!("{}: not served", e.path)),
            Some(s) if s.sha256 != e.sha256 => out.push(format!(
                "{}: served with SHA-256 {}, but this source builds {}",
                e.path,
                s.sha256.to_hex(),
                e.sha256.to_hex()
            )),
            Some(_) => {}
        }
    }
    for s in served.iter().filter(|s| !expected.iter().any(|e| e.path == s.path)) {
        out.push(format!("{}: served, but this source builds no such file", s.path));
    }
    out
}

fn get(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>> {
    let response = agent.get(url).call().map_err(|e| anyhow::anyhow!("fetching {url}: {e}"))?;
    let mut bytes = Vec::new();
    response.into_reader().take(MAX_FILE + 1).read_to_end(&mut bytes).with_context(|| format!("reading {url}"))?;
    if bytes.len() as u64 > MAX_FILE {
        bail!("{url} is larger than {MAX_FILE} bytes");
    }
    Ok(bytes)
}
