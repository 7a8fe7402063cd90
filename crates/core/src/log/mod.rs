//! The append-only release log: every release manifest (`release.json`) is a
//! leaf of an RFC 9162 Merkle tree, and the publishers sign a checkpoint (the
//! log's origin, size and root hash) that independent witnesses co-sign.
//! A reader who kept an earlier checkpoint checks a consistency proof from it
//! to the new one, so a served older release (rollback) or a rewritten
//! history (fork) is refused; a short-lived signed pointer (`latest.json`)
//! says which release is current, so withholding newer ones (freeze) shows.
//!
//! The files, all static (see docs/FORMAT.md, "The release log"):
//!
//! ```text
//! checkpoint                         the signed checkpoint as of the current release
//! latest.json, latest.json.sigs      the pointer to the current release
//! releases/<N>/release.json, .sigs   every release ever published (leaf N − 1)
//! releases/<N>/checkpoint            the checkpoint published with release N (size N)
//! log/inclusion/<i>-<n>              leaf i's inclusion proof in the tree of n leaves
//! log/consistency/<m>-<n>            the proof that the tree of n leaves extends that of m
//! ```
//!
//! [`tree`] is the Merkle tree, [`note`] the checkpoint format; this module
//! checks the current release's place in the log ([`check_current`], run by
//! [`crate::verify::verify_publication_with`]), a pointer ([`verify_pointer`])
//! and that one checkpoint extends another ([`verify_extends`]); [`history`]
//! checks the whole log and [`diff`] compares two releases; [`write`] makes
//! the files.

pub mod diff;
pub mod history;
pub mod note;
pub mod tree;
pub mod write;

use std::collections::BTreeSet;

use serde::Serialize;
use time::OffsetDateTime;

use crate::findings::Finding;
use crate::format::{self, Publication};
use crate::keys::{base64_decode, base64_encode, KeyId};
use crate::model::{Id, LatestDoc, Role, Sha256Hex};
use crate::verify::{LogPolicy, SignatureCheck, VerifiedRelease, VerifiedRoot};

pub use self::note::Checkpoint;
pub use self::tree::Hash;

/// `releases/<version>/release.json`: every release stays published.
pub fn release_path(version: u64) -> String {
    format!("releases/{version}/release.json")
}

/// `releases/<version>/release.json.sigs`
pub fn release_sigs_path(version: u64) -> String {
    format!("releases/{version}/release.json.sigs")
}

/// `releases/<version>/checkpoint`: the checkpoint of the log as of that release.
pub fn checkpoint_path(version: u64) -> String {
    format!("releases/{version}/checkpoint")
}

/// `log/inclusion/<index>-<size>`
pub fn inclusion_path(index: u64, size: u64) -> String {
    format!("log/inclusion/{index}-{size}")
}

/// `log/consistency/<old size>-<new size>`
pub fn consistency_path(old: u64, new: u64) -> String {
    format!("log/consistency/{old}-{new}")
}

/// The origin a new log gets unless the publisher names another.
pub fn default_origin(election: &Id) -> String {
    format!("shafaf/{election}")
}

/// The log files a reader fetches beside a verified release to check its
/// place in the log (for a browser that fetches only what it needs):
/// `checkpoint`, `latest.json` and its signatures, the release's inclusion
/// proof, and, when it holds an earlier checkpoint of a smaller log, the
/// consistency proof from it. Empty for a release in no log.
pub fn files_to_fetch(release: &VerifiedRelease, held: Option<&Checkpoint>) -> Vec<String> {
    let Some(log) = release.log() else { return Vec::new() };
    let size = log.index + 1;
    let mut out = vec![
        format::CHECKPOINT.to_owned(),
        format::LATEST.to_owned(),
        format::LATEST_SIGS.to_owned(),
        inclusion_path(log.index, size),
    ];
    if let Some(held) = held.filter(|h| h.size > 0 && h.size < size) {
        out.push(consistency_path(held.size, size));
    }
    out
}

/// A log this long is refused before it is read: far more releases than an
/// election publishes, small enough that checking it stays quick.
pub const MAX_LOG_SIZE: u64 = 100_000;

/// Proof files are small: at most 64 hashes.
pub const PROOF_LIMIT: u64 = 4 * 1024;

/// Which proof a proof file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProofKind {
    Inclusion,
    Consistency,
}

impl ProofKind {
    fn tag(self) -> &'static str {
        match self {
            ProofKind::Inclusion => "shafaf/inclusion-proof/v1",
            ProofKind::Consistency => "shafaf/consistency-proof/v1",
        }
    }
}

/// A proof file: a header line `<tag> <a> <b>` (`<leaf index> <tree size>`
/// or `<old size> <new size>`), then one base64 hash per line.
pub fn write_proof(kind: ProofKind, a: u64, b: u64, proof: &[Hash]) -> Vec<u8> {
    let mut out = format!("{} {a} {b}\n", kind.tag());
    for h in proof {
        out.push_str(&base64_encode(h));
        out.push('\n');
    }
    out.into_bytes()
}

/// Reads a proof file and checks that it is the proof of `kind` for `a`, `b`.
pub fn parse_proof(file: &str, bytes: &[u8], kind: ProofKind, a: u64, b: u64) -> Result<Vec<Hash>, Finding> {
    let bad = |problem: String| Finding::BadProof { file: file.to_owned(), problem };
    format::check_size(file, bytes, PROOF_LIMIT)?;
    let text = std::str::from_utf8(bytes).map_err(|_| bad("not UTF-8 text".into()))?;
    let body = text.strip_suffix('\n').ok_or_else(|| bad("does not end with a newline".into()))?;
    let mut lines = body.split('\n');
    let header = format!("{} {a} {b}", kind.tag());
    if lines.next() != Some(header.as_str()) {
        return Err(bad(format!("the first line must be `{header}`")));
    }
    let mut proof = Vec::new();
    for (i, line) in lines.enumerate() {
        let hash: Hash = base64_decode(line)
            .ok()
            .and_then(|h| h.try_into().ok())
            .ok_or_else(|| bad(format!("line {}: not the base64 of a 32-byte hash", i + 2)))?;
        if proof.len() == tree::MAX_PROOF_LEN {
            return Err(bad("more hashes than any proof has".into()));
        }
        proof.push(hash);
    }
    Ok(proof)
}

/// One signature line of a checkpoint by a key of the trust root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckpointSignature {
    pub role: Role,
    pub key: KeyId,
    /// The key's name, from the trust root.
    pub name: String,
    /// When a witness made its cosignature.
    #[serde(with = "time::serde::rfc3339::option")]
    pub timestamp: Option<OffsetDateTime>,
    pub valid: bool,
}

/// A checkpoint whose signatures verified against the trust root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckpointAudit {
    pub origin: String,
    pub size: u64,
    pub root_hash: Sha256Hex,
    pub signatures: Vec<CheckpointSignature>,
    /// Signature lines by keys the trust root does not list (ignored, as the
    /// note format requires).
    pub unknown_signatures: u32,
}

impl CheckpointAudit {
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint { origin: self.origin.clone(), size: self.size, root_hash: self.root_hash.0 }
    }

    /// The witnesses whose cosignatures verified.
    pub fn witnesses(&self) -> impl Iterator<Item = &CheckpointSignature> {
        self.signatures.iter().filter(|s| s.role == Role::Witness && s.valid)
    }
}

/// Verifies a checkpoint's signatures: every line by a known key must
/// verify; the publisher role's threshold must be met, and the witness
/// role's too when `require_witnesses`.
pub fn verify_checkpoint(
    file: &str,
    bytes: &[u8],
    root: &VerifiedRoot,
    require_witnesses: bool,
) -> Result<CheckpointAudit, Vec<Finding>> {
    let signed = note::SignedNote::parse(file, bytes).map_err(|e| vec![e.into()])?;
    let checkpoint = Checkpoint::parse_body(file, &signed.text).map_err(|e| vec![e.into()])?;
    let mut findings = Vec::new();
    let mut signatures: Vec<CheckpointSignature> = Vec::new();
    let mut unknown = 0u32;
    let mut seen = BTreeSet::new();
    for line in &signed.signatures {
        let mut known = false;
        for (role, signature_type) in [(Role::Publisher, note::ED25519), (Role::Witness, note::COSIGNATURE_V1)] {
            for id in root.role_key_ids(role) {
                let Some(key) = root.key(&id) else { continue };
                let name = root.key_name(&id);
                if name != line.name || note::key_id(&name, signature_type, key) != line.key_id {
                    continue;
                }
                known = true;
                if !seen.insert((role, id)) {
                    findings.push(Finding::BadCheckpoint {
                        file: file.to_owned(),
                        problem: format!("{role} key {id} ({name}) signs it more than once"),
                    });
                    continue;
                }
                let (valid, timestamp) = match role {
                    Role::Witness => match note::verify_cosignature(&signed.text, line, key) {
                        Some(t) => {
                            (true, i64::try_from(t).ok().and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok()))
                        }
                        None => (false, None),
                    },
                    _ => (note::verify_signature(&signed.text, line, key), None),
                };
                if !valid {
                    findings.push(Finding::BadSignature { file: file.to_owned(), role, key: id });
                }
                signatures.push(CheckpointSignature { role, key: id, name, timestamp, valid });
            }
        }
        if !known {
            unknown += 1;
        }
    }
    for role in [Role::Publisher, Role::Witness] {
        if role == Role::Witness && !require_witnesses {
            continue;
        }
        let threshold = root.threshold(role);
        let valid = signatures.iter().filter(|s| s.role == role && s.valid).count() as u32;
        // A checkpoint no publisher signed is nobody's, whatever the root says.
        let threshold = if role == Role::Publisher { threshold.max(1) } else { threshold };
        if valid < threshold {
            findings.push(Finding::ThresholdNotMet { file: file.to_owned(), role, valid, threshold });
        }
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    Ok(CheckpointAudit {
        origin: checkpoint.origin,
        size: checkpoint.size,
        root_hash: Sha256Hex(checkpoint.root_hash),
        signatures,
        unknown_signatures: unknown,
    })
}

/// How a new checkpoint relates to one verified before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Extension {
    /// The same tree head: nothing new.
    Same { size: u64 },
    /// The new log holds the old one's releases, unchanged, and `to − from` more.
    Extends { from: u64, to: u64 },
}

/// Checks that `new` extends `old` with `proof` (the consistency proof from
/// `old.size` to `new.size`): a smaller log is a rollback; another origin, a
/// different root at the same size or a proof that fails is a fork.
pub fn verify_extends(file: &str, old: &Checkpoint, new: &Checkpoint, proof: &[Hash]) -> Result<Extension, Finding> {
    let fork = |detail: String| Finding::Fork { file: file.to_owned(), detail };
    if old.origin != new.origin {
        return Err(fork(format!(
            "the log verified earlier is `{}`, this one is `{}`: a different log was started",
            old.origin, new.origin
        )));
    }
    if new.size < old.size {
        return Err(Finding::Rollback { file: file.to_owned(), held: old.size, served: new.size });
    }
    if new.size == old.size {
        return if new.root_hash == old.root_hash {
            Ok(Extension::Same { size: new.size })
        } else {
            Err(fork(format!(
                "both hold {} release(s), but their root hashes differ ({} verified earlier, {} now)",
                new.size,
                hex::encode(old.root_hash),
                hex::encode(new.root_hash)
            )))
        };
    }
    tree::verify_consistency(old.size, new.size, &old.root_hash, &new.root_hash, proof).map_err(|e| {
        fork(format!(
            "the consistency proof from {} to {} releases does not verify ({e}), so the new log does not extend the one verified earlier",
            old.size, new.size
        ))
    })?;
    Ok(Extension::Extends { from: old.size, to: new.size })
}

/// Checks that the publication's log extends `held`, with the consistency
/// proof file from `held.size` to `new.size` taken from the publication.
pub fn verify_extends_in(publication: &Publication, held: &Checkpoint, new: &Checkpoint) -> Result<Extension, Finding> {
    let path = consistency_path(held.size, new.size);
    if held.origin != new.origin || held.size >= new.size || held.size == 0 {
        return verify_extends(format::CHECKPOINT, held, new, &[]);
    }
    let bytes = publication.get(&path).ok_or_else(|| Finding::FileMissing { file: path.clone() })?;
    let proof = parse_proof(&path, bytes, ProofKind::Consistency, held.size, new.size)?;
    verify_extends(&path, held, new, &proof)
}

/// What was checked about the current release's place in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogAudit {
    /// This release's leaf.
    pub index: u64,
    pub leaf_hash: Sha256Hex,
    /// The checkpoint as of this release, and who signed it.
    pub checkpoint: CheckpointAudit,
    pub publisher_threshold: u32,
    pub witness_threshold: u32,
    /// The checkpoint the reader held before, when it gave one, and how this one relates to it.
    pub extends: Option<Extension>,
}

/// What was checked about `latest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointerAudit {
    /// The role that signs the pointer: `timestamp`, or `publisher` when the root has no timestamp role.
    pub role: Role,
    pub version: u64,
    pub release_sha256: Sha256Hex,
    pub log_size: u64,
    pub log_root_hash: Sha256Hex,
    #[serde(with = "time::serde::rfc3339")]
    pub issued: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
    pub threshold: u32,
    pub signatures: Vec<SignatureCheck>,
}

/// The role whose keys sign `latest.json` under this root.
pub fn pointer_role(root: &VerifiedRoot) -> Role {
    if root.role_key_ids(Role::Timestamp).is_empty() {
        Role::Publisher
    } else {
        Role::Timestamp
    }
}

/// Verifies `latest.json` and its signatures; a pointer past its expiry is
/// a freeze ([`Finding::Frozen`]).
pub fn verify_pointer(
    root: &VerifiedRoot,
    bytes: &[u8],
    sigs: &[u8],
    now: OffsetDateTime,
) -> Result<(LatestDoc, PointerAudit), Vec<Finding>> {
    let file = format::LATEST;
    format::check_size(file, bytes, format::LATEST_LIMIT).map_err(|e| vec![e.into()])?;
    let lines = format::parse_signatures(format::LATEST_SIGS, sigs).map_err(|e| vec![e.into()])?;
    let role = pointer_role(root);
    let mut findings = Vec::new();
    let (signatures, threshold) = root.check_role_signatures(format::LATEST_SIGS, bytes, &lines, role, &mut findings);
    if !findings.is_empty() {
        return Err(findings);
    }
    let doc: LatestDoc = format::parse_json(file, bytes, format::LATEST_LIMIT).map_err(|e| vec![e.into()])?;
    if doc.election != *root.election() {
        findings.push(Finding::WrongElection {
            file: file.into(),
            expected: root.election().to_string(),
            found: doc.election.to_string(),
        });
    }
    if now > doc.expires {
        findings.push(Finding::Frozen {
            file: file.into(),
            expires: crate::verify::fmt_time(doc.expires),
            now: crate::verify::fmt_time(now),
        });
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    let audit = PointerAudit {
        role,
        version: doc.release.version,
        release_sha256: doc.release.sha256,
        log_size: doc.log.size,
        log_root_hash: doc.log.root_hash,
        issued: doc.issued,
        expires: doc.expires,
        threshold,
        signatures,
    };
    Ok((doc, audit))
}

/// The current release's place in the log and the pointer, as
/// [`crate::verify::verify_publication_with`] checks them after the release
/// manifest verified (`require_witnesses`: whether the witness threshold
/// applies; only a publisher checking its own new release waives it). The
/// checkpoint is checked whenever it is in the
/// publication, and required when the policy asks for the log, when the
/// reader holds an earlier checkpoint, or when the trust root requires
/// witness cosignatures; the pointer is checked when present and required
/// with `require_log`.
pub fn check_current(
    publication: &Publication,
    release: &VerifiedRelease,
    release_bytes: &[u8],
    policy: &LogPolicy,
    now: OffsetDateTime,
    require_witnesses: bool,
) -> Result<(Option<LogAudit>, Option<PointerAudit>), Vec<Finding>> {
    let root = release.root();
    let version = release.audit().version;
    let witness_threshold = root.threshold(Role::Witness);
    let mut findings = Vec::new();
    let required = |path: &str| publication.get(path).ok_or_else(|| vec![Finding::FileMissing { file: path.into() }]);
    let log = match release.log() {
        None => {
            let why = if let Some(held) = &policy.held {
                Some(format!("a checkpoint of log `{}` ({} releases) was verified before", held.origin, held.size))
            } else if witness_threshold > 0 {
                Some(format!("the trust root requires {witness_threshold} witness cosignature(s) on the log"))
            } else {
                None
            };
            if let Some(why) = why {
                findings.push(Finding::InvalidValue {
                    file: format::RELEASE.into(),
                    field: "log".into(),
                    problem: format!("the release is in no release log, but {why}"),
                });
            }
            None
        }
        Some(log_ref) => {
            if version.checked_sub(1) != Some(log_ref.index) {
                return Err(vec![Finding::InvalidValue {
                    file: format::RELEASE.into(),
                    field: "log.index".into(),
                    problem: format!(
                        "is {}, but release {version} must be leaf {} of the log",
                        log_ref.index,
                        version.saturating_sub(1)
                    ),
                }]);
            }
            let needed = policy.require_log || policy.held.is_some() || witness_threshold > 0;
            if publication.get(format::CHECKPOINT).is_none() && !needed {
                None
            } else {
                let bytes = required(format::CHECKPOINT)?;
                let checkpoint = verify_checkpoint(format::CHECKPOINT, bytes, root, require_witnesses)?;
                let index = log_ref.index;
                if checkpoint.origin != log_ref.origin.as_str() {
                    return Err(vec![Finding::BadCheckpoint {
                        file: format::CHECKPOINT.into(),
                        problem: format!(
                            "its origin is `{}`, but release.json is in log `{}`",
                            checkpoint.origin, log_ref.origin
                        ),
                    }]);
                }
                if checkpoint.size > index + 1 {
                    return Err(vec![Finding::StaleRelease {
                        file: format::RELEASE.into(),
                        served: version,
                        latest: checkpoint.size,
                    }]);
                }
                if checkpoint.size < index + 1 {
                    return Err(vec![Finding::BadCheckpoint {
                        file: format::CHECKPOINT.into(),
                        problem: format!(
                            "it holds {} release(s), so it cannot hold release {version}",
                            checkpoint.size
                        ),
                    }]);
                }
                let leaf = tree::leaf_hash(release_bytes);
                let path = inclusion_path(index, checkpoint.size);
                let proof = parse_proof(&path, required(&path)?, ProofKind::Inclusion, index, checkpoint.size)
                    .map_err(|f| vec![f])?;
                if let Err(e) = tree::verify_inclusion(index, checkpoint.size, &leaf, &proof, &checkpoint.root_hash.0) {
                    return Err(vec![Finding::NotInLog {
                        file: format::RELEASE.into(),
                        index,
                        size: checkpoint.size,
                        problem: format!("its inclusion proof ({path}) does not verify: {e}"),
                    }]);
                }
                // The archived copies of the current release are the release itself.
                let release_sigs = publication.get(format::RELEASE_SIGS).unwrap_or_default();
                for (top, top_bytes, archived) in [
                    (format::RELEASE, release_bytes, release_path(version)),
                    (format::RELEASE_SIGS, release_sigs, release_sigs_path(version)),
                    (format::CHECKPOINT, bytes, checkpoint_path(version)),
                ] {
                    if publication.get(&archived).is_some_and(|a| a != top_bytes) {
                        findings.push(Finding::InvalidValue {
                            file: archived,
                            field: String::new(),
                            problem: format!("differs from {top}, the current release's copy"),
                        });
                    }
                }
                let extends = match &policy.held {
                    Some(held) => match verify_extends_in(publication, held, &checkpoint.checkpoint()) {
                        Ok(e) => Some(e),
                        Err(f) => {
                            findings.push(f);
                            None
                        }
                    },
                    None => None,
                };
                Some(LogAudit {
                    index,
                    leaf_hash: Sha256Hex(leaf),
                    checkpoint,
                    publisher_threshold: root.threshold(Role::Publisher),
                    witness_threshold,
                    extends,
                })
            }
        }
    };
    if !findings.is_empty() {
        return Err(findings);
    }

    let pointer_needed = policy.require_log && release.log().is_some();
    let pointer = match (publication.get(format::LATEST), publication.get(format::LATEST_SIGS)) {
        (None, _) if !pointer_needed => None,
        (bytes, sigs) => {
            let (bytes, sigs) = match (bytes, sigs) {
                (Some(b), Some(s)) => (b, s),
                (b, _) => {
                    let file = if b.is_none() { format::LATEST } else { format::LATEST_SIGS };
                    return Err(vec![Finding::FileMissing { file: file.into() }]);
                }
            };
            let (doc, audit) = verify_pointer(root, bytes, sigs, now)?;
            let mismatch = |problem: String| Finding::PointerMismatch { file: format::LATEST.into(), problem };
            if doc.release.version > version {
                findings.push(Finding::StaleRelease {
                    file: format::RELEASE.into(),
                    served: version,
                    latest: doc.release.version,
                });
            } else if doc.release.version < version {
                findings.push(mismatch(format!(
                    "points at release {}, older than the release {version} served beside it",
                    doc.release.version
                )));
            } else if doc.release.sha256 != Sha256Hex::of(release_bytes) {
                findings.push(mismatch(format!(
                    "names release {version} with SHA-256 {}, but release.json has {}",
                    doc.release.sha256,
                    Sha256Hex::of(release_bytes)
                )));
            }
            if let Some(log) = &log {
                let c = &log.checkpoint;
                if findings.is_empty() && (doc.log.size != c.size || doc.log.root_hash != c.root_hash) {
                    findings.push(mismatch(format!(
                        "names the log at size {} with root {}, but the checkpoint has size {} and root {}",
                        doc.log.size, doc.log.root_hash, c.size, c.root_hash
                    )));
                }
            }
            Some(audit)
        }
    };
    if !findings.is_empty() {
        return Err(findings);
    }
    Ok((log, pointer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_files_round_trip_and_name_what_they_prove() {
        let proof = vec![[1u8; 32], [2u8; 32]];
        let bytes = write_proof(ProofKind::Consistency, 2, 5, &proof);
        assert_eq!(parse_proof("p", &bytes, ProofKind::Consistency, 2, 5).unwrap(), proof);
        assert!(parse_proof("p", &bytes, ProofKind::Consistency, 2, 6).is_err());
        assert!(parse_proof("p", &bytes, ProofKind::Inclusion, 2, 5).is_err());
        let empty = write_proof(ProofKind::Inclusion, 0, 1, &[]);
        assert_eq!(empty, b"shafaf/inclusion-proof/v1 0 1\n");
        assert_eq!(parse_proof("p", &empty, ProofKind::Inclusion, 0, 1).unwrap(), Vec::<Hash>::new());
        for bad in [&b""[..], b"shafaf/inclusion-proof/v1 0 1", b"shafaf/inclusion-proof/v1 0 1\n\n", b"\xff\n"] {
            assert!(parse_proof("p", bad, ProofKind::Inclusion, 0, 1).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn extends_names_rollback_and_fork() {
        let leaves: Vec<Hash> = (0u8..5).map(|i| tree::leaf_hash(&[i])).collect();
        let at = |n: usize| Checkpoint { origin: "o".into(), size: n as u64, root_hash: tree::root(&leaves[..n]) };
        let proof = tree::consistency_proof(3, &leaves).unwrap();
        assert_eq!(verify_extends("p", &at(3), &at(5), &proof), Ok(Extension::Extends { from: 3, to: 5 }));
        assert_eq!(verify_extends("p", &at(5), &at(5), &[]), Ok(Extension::Same { size: 5 }));
        assert!(matches!(verify_extends("p", &at(5), &at(3), &[]), Err(Finding::Rollback { held: 5, served: 3, .. })));
        let mut forked: Vec<Hash> = leaves.clone();
        forked[1] = tree::leaf_hash(b"rewritten");
        let other = Checkpoint { origin: "o".into(), size: 5, root_hash: tree::root(&forked) };
        assert!(matches!(verify_extends("p", &at(5), &other, &[]), Err(Finding::Fork { .. })));
        let fproof = tree::consistency_proof(3, &forked).unwrap();
        assert!(matches!(verify_extends("p", &at(3), &other, &fproof), Err(Finding::Fork { .. })));
        let renamed = Checkpoint { origin: "o2".into(), ..at(5) };
        assert!(matches!(verify_extends("p", &at(3), &renamed, &proof), Err(Finding::Fork { .. })));
    }
}
