//! The release log from the command line: a witness cosigning, the
//! timestamp role re-signing the pointer, the history of releases, and the
//! log checks `verify` adds. The checks themselves are `shafaf_core::log`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use serde::Serialize;
use shafaf_core::findings::Finding;
use shafaf_core::history::diff::{self, ReleaseDiff};
use shafaf_core::history::{self, History, LogCheck};
use shafaf_core::log::{self as core_log, Checkpoint};
use shafaf_core::publish::log_files as write;
use shafaf_core::verify::log::{verify_checkpoint, verify_extends_in};
use shafaf_core::verify::{verify_root, TrustAnchor, VerifiedRoot};
use shafaf_core::{format, Publication, SecretKey};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::{fsio, report};

fn when(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn root_of(publication: &Publication, anchor: &TrustAnchor, now: OffsetDateTime) -> Result<VerifiedRoot, Vec<Finding>> {
    let get = |p: &str| publication.get(p).ok_or_else(|| vec![Finding::FileMissing { file: p.into() }]);
    verify_root(get(format::ROOT)?, get(format::ROOT_SIGS)?, anchor, now)
}

fn root_or_bail(publication: &Publication, anchor: &TrustAnchor, now: OffsetDateTime) -> Result<VerifiedRoot> {
    root_of(publication, anchor, now)
        .map_err(|f| anyhow::anyhow!("the trust root does not verify:\n{}", report::list(&f)))
}

/// The size of a publication's release log, from its checkpoint.
pub fn log_size(publication: &Publication) -> Result<u64> {
    let bytes = publication
        .get(format::CHECKPOINT)
        .context("the --previous publication has no release log (no `checkpoint`), so it cannot be continued")?;
    Ok(Checkpoint::from_note(format::CHECKPOINT, bytes)?.size)
}

/// The checkpoint `--extends` names (a publication folder's, or a saved
/// file), its publisher signatures checked against this publication's root.
pub fn held_checkpoint(
    old: &Path,
    publication: &Publication,
    anchor: &TrustAnchor,
    now: OffsetDateTime,
) -> Result<Checkpoint, Finding> {
    let path = if old.is_dir() { old.join(format::CHECKPOINT) } else { old.to_path_buf() };
    let shown = path.display().to_string();
    let bytes = fsio::read(&path).map_err(|_| Finding::FileMissing { file: shown.clone() })?;
    let root = root_of(publication, anchor, now).map_err(|mut f| f.remove(0))?;
    verify_checkpoint(&shown, &bytes, &root, false).map(|a| a.checkpoint()).map_err(|mut f| f.remove(0))
}

/// What `verify` adds when the release is in a log: the whole log checked.
pub fn whole_log(folder: &fsio::Folder, anchor: &TrustAnchor, now: OffsetDateTime) -> Result<History, Vec<Finding>> {
    let root = root_of(&folder.publication, anchor, now)?;
    history::verify_log_reading(&folder.publication, folder, &root, LogCheck { folder: true, witnesses: true })
}

fn state_path(key: &Path, origin: &str) -> PathBuf {
    let safe: String = origin.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    PathBuf::from(format!("{}.{safe}.checkpoint", key.display()))
}

/// `shafaf witness`.
pub fn witness(
    key: &Path,
    dir: &Path,
    name: Option<&str>,
    state: Option<PathBuf>,
    anchor: &TrustAnchor,
    now: OffsetDateTime,
) -> Result<ExitCode> {
    let secret = fsio::read_secret_key(key)?;
    let mut publication = fsio::read_publication(dir)?;
    let root = root_or_bail(&publication, anchor, now)?;
    if anchor.root_sha256.is_none() {
        eprintln!(
            "shafaf witness: warning: the trust root is not pinned (pass --root-sha256); its SHA-256 is {}",
            root.audit().sha256
        );
    }
    let id = secret.public().id();
    let own_name = root.key_name(&id);
    if let Some(name) = name {
        if name != own_name {
            bail!("the trust root names this key `{own_name}`, not `{name}`");
        }
    }
    // The whole log, as far as a witness can check it: signatures, the tree,
    // every proof, every file's hash. Not yet the witness threshold: this
    // witness's cosignature may be what meets it.
    let log = history::verify_log(&publication, &root, LogCheck { folder: true, witnesses: false })
        .map_err(|f| anyhow::anyhow!("refusing to cosign: the release log does not verify:\n{}", report::list(&f)))?;
    let current = Checkpoint { origin: log.origin.clone(), size: log.size, root_hash: log.root_hash.0 };
    let state = state.unwrap_or_else(|| state_path(key, &log.origin));
    if state.exists() {
        let saved = fsio::read(&state)?;
        let held = Checkpoint::from_note(&state.display().to_string(), &saved)?;
        if let Err(f) = verify_extends_in(&publication, &held, &current) {
            eprintln!("shafaf witness: refusing to cosign: {f}");
            return Ok(ExitCode::from(1));
        }
    }
    let audit = write::cosign(&mut publication, &root, &secret, now)?;
    let cosigned = publication.get(format::CHECKPOINT).unwrap_or_default().to_vec();
    fsio::write_atomic(&dir.join(format::CHECKPOINT), &cosigned)?;
    fsio::write_atomic(&dir.join(core_log::checkpoint_path(log.size)), &cosigned)?;
    fsio::write_atomic(&state, &cosigned)?;
    let witnesses: Vec<&str> = audit.witnesses().map(|w| w.name.as_str()).collect();
    println!(
        "witnessed {} at size {} (root hash {}) as {own_name} at {}; the checkpoint is now cosigned by {} witness(es) \
         ({}), {} required; saved in {}",
        log.origin,
        log.size,
        log.root_hash,
        when(now),
        witnesses.len(),
        witnesses.join(", "),
        root.threshold(shafaf_core::model::Role::Witness),
        state.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `shafaf timestamp`.
pub fn timestamp(keys: &[PathBuf], dir: &Path, now: OffsetDateTime, expires: OffsetDateTime) -> Result<ExitCode> {
    let keys = keys.iter().map(|p| fsio::read_secret_key(p)).collect::<Result<Vec<SecretKey>>>()?;
    let refs: Vec<&SecretKey> = keys.iter().collect();
    let mut publication = fsio::read_publication(dir)?;
    let root = root_or_bail(&publication, &TrustAnchor::unpinned(), now)?;
    write::sign_pointer(&mut publication, &root, now, expires, &refs)?;
    // The pointer goes last, beside the release it names: its signatures first, then the file.
    fsio::write_atomic(&dir.join(format::LATEST_SIGS), publication.get(format::LATEST_SIGS).unwrap_or_default())?;
    fsio::write_atomic(&dir.join(format::LATEST), publication.get(format::LATEST).unwrap_or_default())?;
    if expires < now {
        eprintln!("shafaf timestamp: warning: this pointer has already expired; readers will refuse it as a freeze");
    }
    println!("signed latest.json for the current release; it expires at {}", when(expires));
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct HistoryReport<'a> {
    history: &'a History,
    changes: Vec<ReleaseDiff>,
}

/// `shafaf history`.
pub fn history(dir: &Path, anchor: &TrustAnchor, range: Option<(u64, u64)>, json: bool) -> Result<ExitCode> {
    let publication = fsio::read_publication(dir)?;
    let now = OffsetDateTime::now_utc();
    let root = root_or_bail(&publication, anchor, now)?;
    let log = match history::verify_history(&publication, &root) {
        Ok(h) => h,
        Err(f) => {
            eprintln!("the release log does not verify:\n{}", report::list(&f));
            return Ok(ExitCode::from(1));
        }
    };
    let pairs: Vec<(u64, u64)> = match range {
        Some((a, b)) => {
            for v in [a, b] {
                if v == 0 || v > log.size {
                    bail!("the log has releases 1 to {}; there is no release {v}", log.size);
                }
            }
            vec![(a, b)]
        }
        None => (1..log.size).map(|v| (v, v + 1)).collect(),
    };
    let mut verified = std::collections::BTreeMap::new();
    let mut changes = Vec::new();
    for (a, b) in pairs {
        for v in [a, b] {
            if let std::collections::btree_map::Entry::Vacant(slot) = verified.entry(v) {
                let entry = &log.releases[v as usize - 1];
                match history::verify_past_release(&publication, anchor, entry) {
                    Ok(e) => {
                        slot.insert(e);
                    }
                    Err(f) => {
                        eprintln!("release {v} does not verify:\n{}", report::list(&f.findings));
                        return Ok(ExitCode::from(1));
                    }
                }
            }
        }
        changes.push(diff::diff(&verified[&a], &verified[&b]));
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&HistoryReport { history: &log, changes: changes.clone() })?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Release log {} of {}: {} release(s), root hash {}",
        log.origin,
        dir.display(),
        log.size,
        log.root_hash
    );
    for r in &log.releases {
        let publishers = r.checkpoint.signatures.iter().filter(|s| s.role == shafaf_core::model::Role::Publisher);
        let publishers: Vec<&str> = publishers.map(|s| s.name.as_str()).collect();
        let witnesses: Vec<String> = r
            .checkpoint
            .witnesses()
            .map(|w| format!("{} at {}", w.name, w.timestamp.map(when).unwrap_or_default()))
            .collect();
        let _ = writeln!(
            o,
            "\nRelease {}  issued {}  SHA-256 {}\n  signed by {} publisher key(s): {}\n  witnessed by {}",
            r.version,
            when(r.issued),
            r.sha256,
            r.signatures.iter().filter(|s| s.valid).count(),
            publishers.join(", "),
            if witnesses.is_empty() { "no witness".to_owned() } else { witnesses.join("; ") }
        );
    }
    for d in &changes {
        let _ = writeln!(o, "\nChanges from release {} to release {}:", d.from, d.to);
        let _ = writeln!(o, "  {} station(s) added", d.stations_added.len());
        let _ = writeln!(o, "  {} station(s) corrected{}", d.stations_corrected.len(), ids(&d.stations_corrected));
        let _ = writeln!(o, "  {} station(s) withdrawn{}", d.stations_withdrawn.len(), ids(&d.stations_withdrawn));
        if !d.registry_changes.is_empty() {
            let changed: Vec<&str> = d.registry_changes.iter().map(|c| c.station.as_str()).collect();
            let _ = writeln!(o, "  {} registry change(s): {}", changed.len(), changed.join(", "));
        }
        let _ = writeln!(o, "  {} council(s) with new totals", d.contests.len());
        const SHOWN: usize = 30;
        let winners: Vec<_> = d.winners_changed().collect();
        for c in winners.iter().take(SHOWN) {
            let _ = writeln!(
                o,
                "  winners changed in {} ({}): elected {} → {}",
                c.name.en,
                c.contest,
                c.elected[0].iter().map(|i| i.as_str()).collect::<Vec<_>>().join(", "),
                c.elected[1].iter().map(|i| i.as_str()).collect::<Vec<_>>().join(", ")
            );
        }
        if winners.len() > SHOWN {
            let _ =
                writeln!(o, "  … and {} more council(s) with new winners (use --json for all)", winners.len() - SHOWN);
        }
    }
    print!("{o}");
    Ok(ExitCode::SUCCESS)
}

fn ids(changes: &[diff::StationChange]) -> String {
    if changes.is_empty() || changes.len() > 20 {
        return String::new();
    }
    format!(": {}", changes.iter().map(|c| c.station.as_str()).collect::<Vec<_>>().join(", "))
}
