//! The whole release log: every release ever published, each a leaf, each
//! with the checkpoint published beside it. [`verify_history`] is what a
//! history view needs (the manifests, their signers and witnesses, and that
//! the tree they make is the one the checkpoints sign); [`verify_log_folder`]
//! also checks every proof file and that every past release's files are
//! still there, as `shafaf verify` does.

use std::collections::BTreeMap;

use serde::Serialize;
use time::OffsetDateTime;

pub mod diff;

use crate::findings::Finding;
use crate::format::{self, Publication};
use crate::log::{
    checkpoint_path, consistency_path, inclusion_path, parse_proof, release_path, release_sigs_path, tree, Hash,
    ProofKind, MAX_LOG_SIZE,
};
use crate::model::{ReleaseDoc, Sha256Hex};
use crate::parallel;
use crate::verify::log::{verify_checkpoint, CheckpointAudit};
use crate::verify::{
    audit_signed, verify_archived_release, verify_publication_with, AuditedRelease, Failure, ListedFiles, LogPolicy,
    SignatureCheck, TrustAnchor, VerifiedElection, VerifiedRoot,
};

/// One release of the log, as the history view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub version: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub issued: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
    /// SHA-256 of its `release.json`.
    pub sha256: Sha256Hex,
    /// Its leaf hash in the log.
    pub leaf_hash: Sha256Hex,
    /// The publisher signatures on its `release.json`.
    pub signatures: Vec<SignatureCheck>,
    /// The checkpoint published with it, and who signed and witnessed it.
    pub checkpoint: CheckpointAudit,
}

/// A verified release log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct History {
    pub origin: String,
    pub size: u64,
    pub root_hash: Sha256Hex,
    /// Oldest first: `releases[i]` is release `i + 1`, leaf `i`.
    pub releases: Vec<HistoryEntry>,
}

/// How much of the log to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogCheck {
    /// Also every proof file, nothing stray under `releases/` and `log/`,
    /// and every past release's files ([`verify_log_folder`]).
    pub folder: bool,
    /// Require the witness threshold on the current checkpoint. A witness
    /// about to cosign, or a publisher appending the next release, checks
    /// the log without it.
    pub witnesses: bool,
}

/// The history and what was read to check it.
struct Checked {
    history: History,
    docs: Vec<ReleaseDoc>,
    leaves: Vec<Hash>,
}

/// Verifies the log's releases and checkpoints: the current checkpoint (with
/// the witness threshold), every `releases/<N>/release.json` signed by the
/// publishers under this root and naming leaf N − 1 of this log, every
/// `releases/<N>/checkpoint` signed by the publishers and equal to the tree
/// of the first N releases, and the current release being the last one.
pub fn verify_history(publication: &Publication, root: &VerifiedRoot) -> Result<History, Vec<Finding>> {
    verify_log(publication, root, LogCheck { folder: false, witnesses: true })
}

/// [`verify_history`] or [`verify_log_folder`], as `what` says.
pub fn verify_log(publication: &Publication, root: &VerifiedRoot, what: LogCheck) -> Result<History, Vec<Finding>> {
    verify_log_reading(publication, publication, root, what)
}

/// [`verify_log`], reading the files the releases list from `files`.
pub fn verify_log_reading(
    publication: &Publication,
    files: &(impl ListedFiles + ?Sized),
    root: &VerifiedRoot,
    what: LogCheck,
) -> Result<History, Vec<Finding>> {
    let checked = check(publication, root, what.witnesses)?;
    if what.folder {
        check_folder(publication, files, checked)
    } else {
        Ok(checked.history)
    }
}

fn check(publication: &Publication, root: &VerifiedRoot, witnesses: bool) -> Result<Checked, Vec<Finding>> {
    let required = |path: &str| publication.get(path).ok_or_else(|| vec![Finding::FileMissing { file: path.into() }]);
    let top_bytes = required(format::CHECKPOINT)?;
    let top = verify_checkpoint(format::CHECKPOINT, top_bytes, root, witnesses)?;
    let bad = |file: &str, problem: String| vec![Finding::BadCheckpoint { file: file.into(), problem }];
    if top.size == 0 || top.size > MAX_LOG_SIZE {
        return Err(bad(format::CHECKPOINT, format!("a log of {} releases cannot be read", top.size)));
    }
    let n = top.size;
    let mut findings = Vec::new();
    for (current, archived) in [
        (format::RELEASE, release_path(n)),
        (format::RELEASE_SIGS, release_sigs_path(n)),
        (format::CHECKPOINT, checkpoint_path(n)),
    ] {
        if publication.get(current) != Some(required(&archived)?) {
            findings.push(Finding::InvalidValue {
                file: current.into(),
                field: String::new(),
                problem: format!("is not release {n}'s, the last of the log ({archived})"),
            });
        }
    }
    let mut leaves = Vec::with_capacity(n as usize);
    let mut docs = Vec::with_capacity(n as usize);
    let mut releases = Vec::with_capacity(n as usize);
    for version in 1..=n {
        let (file, sigs_file, cp_file) = (release_path(version), release_sigs_path(version), checkpoint_path(version));
        let bytes = required(&file)?;
        let release = verify_archived_release(&file, &sigs_file, root.clone(), bytes, required(&sigs_file)?)?;
        let doc = release.doc().clone();
        let in_log = doc.log.as_ref().is_some_and(|l| l.origin.as_str() == top.origin && l.index == version - 1);
        if doc.version != version || !in_log {
            return Err(vec![Finding::InvalidValue {
                file,
                field: "version".into(),
                problem: format!(
                    "release {version} of log `{}` must have version {version} and be its leaf {}",
                    top.origin,
                    version - 1
                ),
            }]);
        }
        if let Some(prev) = docs.last().map(|d: &ReleaseDoc| d.issued) {
            if doc.issued < prev {
                findings.push(Finding::InvalidValue {
                    file: file.clone(),
                    field: "issued".into(),
                    problem: "is earlier than the previous release's".into(),
                });
            }
        }
        leaves.push(tree::leaf_hash(bytes));
        let checkpoint = verify_checkpoint(&cp_file, required(&cp_file)?, root, witnesses && version == n)?;
        let want = tree::root(&leaves);
        if checkpoint.origin != top.origin || checkpoint.size != version || checkpoint.root_hash.0 != want {
            return Err(bad(
                &cp_file,
                format!(
                    "it must sign log `{}` at size {version} with root hash {}, the tree of releases 1 to {version}; it signs `{}` at size {} with {}",
                    top.origin,
                    hex::encode(want),
                    checkpoint.origin,
                    checkpoint.size,
                    checkpoint.root_hash
                ),
            ));
        }
        releases.push(HistoryEntry {
            version,
            issued: doc.issued,
            expires: doc.expires,
            sha256: Sha256Hex::of(bytes),
            leaf_hash: Sha256Hex(tree::leaf_hash(bytes)),
            signatures: release.audit().signatures.clone(),
            checkpoint,
        });
        docs.push(doc);
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    let history = History { origin: top.origin.clone(), size: n, root_hash: top.root_hash, releases };
    Ok(Checked { history, docs, leaves })
}

/// Everything [`verify_history`] checks, and: every inclusion proof of every
/// release and every consistency proof from every earlier size to the
/// current one is present, and every proof file under `log/` verifies
/// against the log's own checkpoints; nothing else lies under `releases/` or
/// `log/`; every file of every past release is still published unchanged.
pub fn verify_log_folder(publication: &Publication, root: &VerifiedRoot) -> Result<History, Vec<Finding>> {
    verify_log(publication, root, LogCheck { folder: true, witnesses: true })
}

fn check_folder(
    publication: &Publication,
    files: &(impl ListedFiles + ?Sized),
    checked: Checked,
) -> Result<History, Vec<Finding>> {
    let Checked { history, docs, leaves } = checked;
    let n = history.size;
    let mut findings = Vec::new();
    let roots: Vec<Hash> = (1..=leaves.len()).map(|k| tree::root(&leaves[..k])).collect();
    let mut required = Vec::new();
    for i in 0..n {
        required.push(inclusion_path(i, n));
    }
    for m in 1..n {
        required.push(consistency_path(m, n));
    }
    for path in required {
        if publication.get(&path).is_none() {
            findings.push(Finding::FileMissing { file: path });
        }
    }
    for (path, bytes) in publication.iter() {
        if let Some(rest) = path.strip_prefix("releases/") {
            let known = rest.split_once('/').is_some_and(|(v, name)| {
                parse_number(v).is_some_and(|v| (1..=n).contains(&v))
                    && matches!(name, "release.json" | "release.json.sigs" | "checkpoint")
            });
            if !known {
                findings.push(Finding::InvalidValue {
                    file: path.into(),
                    field: String::new(),
                    problem: format!("is not a file of the release log's {n} releases"),
                });
            }
        } else if path.starts_with("log/") {
            if let Err(f) = check_proof_file(path, bytes, &leaves, &roots) {
                findings.push(f);
            }
        }
    }
    // Past releases' files stay published: a history view and a journalist
    // comparing releases need them. Content-addressed names make them shared.
    // Each file once, on all cores (the `parallel` feature): they are most of
    // the bytes of the publication.
    let mut checked: BTreeMap<&str, (u64, Sha256Hex)> = BTreeMap::new();
    let mut entries = Vec::new();
    for entry in docs.iter().flat_map(|doc| &doc.files) {
        if checked.insert(&entry.path, (entry.size, entry.sha256)) != Some((entry.size, entry.sha256)) {
            entries.push(entry);
        }
    }
    let file_findings = parallel::map(&entries, |_, entry| files.confirm(entry).err());
    findings.extend(file_findings.into_iter().flatten());
    if findings.is_empty() {
        Ok(history)
    } else {
        Err(findings)
    }
}

/// A decimal without leading zeros.
fn parse_number(s: &str) -> Option<u64> {
    if s.is_empty() || (s.len() > 1 && s.starts_with('0')) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A file under `log/` must be a proof that verifies against the log.
fn check_proof_file(path: &str, bytes: &[u8], leaves: &[Hash], roots: &[Hash]) -> Result<(), Finding> {
    let n = leaves.len() as u64;
    let bad = |problem: String| Finding::BadProof { file: path.into(), problem };
    let (kind, rest) = if let Some(rest) = path.strip_prefix("log/inclusion/") {
        (ProofKind::Inclusion, rest)
    } else if let Some(rest) = path.strip_prefix("log/consistency/") {
        (ProofKind::Consistency, rest)
    } else {
        return Err(bad("is not a proof file of the release log".into()));
    };
    let (a, b) = rest
        .split_once('-')
        .and_then(|(a, b)| Some((parse_number(a)?, parse_number(b)?)))
        .ok_or_else(|| bad("its name is not `<number>-<number>`".into()))?;
    if b == 0 || b > n {
        return Err(bad(format!("is for a log of {b} releases; this one has {n}")));
    }
    let proof = parse_proof(path, bytes, kind, a, b)?;
    let root = &roots[b as usize - 1];
    let result = match kind {
        ProofKind::Inclusion => {
            let leaf = leaves.get(a as usize).ok_or_else(|| bad(format!("the log has no leaf {a}")))?;
            tree::verify_inclusion(a, b, leaf, &proof, root)
        }
        ProofKind::Consistency => {
            if a == 0 || a >= b {
                return Err(bad(format!("a consistency proof from {a} to {b} releases proves nothing")));
            }
            tree::verify_consistency(a, b, &roots[a as usize - 1], root, &proof)
        }
    };
    result.map_err(|e| bad(format!("does not verify against the log's checkpoints: {e}")))
}

/// A past release as it was published: `releases/<version>/…` as the
/// top-level `release.json`, its signatures and checkpoint, with the root,
/// the log's proofs and the content-addressed files.
pub fn release_view(publication: &Publication, version: u64) -> Publication {
    let mut view = Publication::new();
    for (path, bytes) in publication.iter() {
        if path.starts_with("files/") || path.starts_with("log/") || path == format::ROOT || path == format::ROOT_SIGS {
            view.insert(path, bytes.to_vec());
        }
    }
    for (top, archived) in [
        (format::RELEASE, release_path(version)),
        (format::RELEASE_SIGS, release_sigs_path(version)),
        (format::CHECKPOINT, checkpoint_path(version)),
    ] {
        if let Some(bytes) = publication.get(&archived) {
            view.insert(top, bytes.to_vec());
            view.insert(archived, bytes.to_vec());
        }
    }
    // Every release is checked against the setup, release 1.
    for archived in [release_path(1), release_sigs_path(1), checkpoint_path(1)] {
        if let Some(bytes) = publication.get(&archived) {
            view.insert(archived, bytes.to_vec());
        }
    }
    view
}

/// Verifies a past release of the log in full (every signature, hash and
/// recount), as of the time it was issued: what the history view compares.
/// Its checkpoint needs the publishers' signatures; witnesses may have
/// cosigned only later releases.
pub fn verify_past_release(
    publication: &Publication,
    anchor: &TrustAnchor,
    entry: &HistoryEntry,
) -> Result<VerifiedElection, Failure> {
    let view = release_view(publication, entry.version);
    verify_publication_with(&view, anchor, entry.issued, &PAST_RELEASE_POLICY)
}

/// [`verify_past_release`] up to its provinces: stages 1–4 of the past
/// release, as of its issue time, over its log files and national files.
/// The browser's workers then audit each province of it with
/// `audit_province`, the same release view and [`PAST_RELEASE_POLICY`].
pub fn audit_past_release(
    publication: &Publication,
    anchor: &TrustAnchor,
    entry: &HistoryEntry,
) -> Result<(AuditedRelease, Publication), Failure> {
    let view = release_view(publication, entry.version);
    let audited = audit_signed(&view, anchor, entry.issued, &PAST_RELEASE_POLICY)?;
    Ok((audited, view))
}

/// What a past release's log must show: the publishers' signatures on its
/// checkpoint; witnesses may have cosigned only later releases.
pub const PAST_RELEASE_POLICY: LogPolicy = LogPolicy { require_log: false, held: None, witnesses_pending: true };
