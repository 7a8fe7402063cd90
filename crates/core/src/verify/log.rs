//! Stage 3, the release in its log: the checkpoint (publishers' and
//! witnesses' signatures), the release's inclusion proof, the pointer to the
//! latest release (`latest.json`), and, for a reader that kept a checkpoint
//! from before, the consistency proof from it (rollback, fork). The log's
//! own structures (the Merkle tree, the note format, proof files) are in
//! [`crate::log`]; this stage checks them against a verified release.

use std::collections::BTreeSet;

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::common::{fmt_time, SignatureCheck};
use super::release::{verify_archived_release, VerifiedRelease};
use super::root::VerifiedRoot;
use crate::findings::Finding;
use crate::format::{self, Publication};
use crate::keys::KeyId;
use crate::log::{
    checkpoint_path, consistency_path, inclusion_path, note, parse_proof, release_path, release_sigs_path, tree,
    Checkpoint, Hash, ProofKind,
};
use crate::model::{LatestDoc, Phase, Role, Sha256Hex};

/// What a reader asks of the release log beyond the release itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogPolicy {
    /// Require the log's checkpoint, the release's inclusion proof and a
    /// fresh `latest.json` whenever the release names a log (the CLI, and a
    /// browser that fetches them). Off, they are checked when present, and
    /// the checkpoint is required only when the trust root requires witness
    /// cosignatures: without a checkpoint held from before or witnesses, a
    /// checkpoint proves nothing the publishers' signatures on the release
    /// do not.
    pub require_log: bool,
    /// The newest checkpoint this reader verified before (for the browser,
    /// kept in local storage): the publication's log must extend it, proven
    /// by `log/consistency/<held size>-<new size>`; a smaller log is a
    /// rollback, a different one a fork.
    pub held: Option<Checkpoint>,
    /// The release was just made and its witnesses have not cosigned it yet
    /// (a publisher checking its own new release): the witness threshold is
    /// not applied to its checkpoint.
    pub witnesses_pending: bool,
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
    if log.index > 0 {
        out.extend([release_path(1), release_sigs_path(1), checkpoint_path(1), inclusion_path(0, size)]);
    }
    out
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
                let (verified, timestamp) = match role {
                    Role::Witness => match note::verify_cosignature(&signed.text, line, key) {
                        Some(t) => (true, Some(t)),
                        None => (false, None),
                    },
                    _ => (note::verify_signature(&signed.text, line, key), None),
                };
                // A time no calendar holds tells a reader nothing: that
                // cosignature does not count.
                let timestamp = timestamp
                    .map(|t| (t, i64::try_from(t).ok().and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())));
                let valid = verified && !matches!(timestamp, Some((_, None)));
                let timestamp = match timestamp {
                    Some((t, None)) => {
                        findings.push(Finding::BadCheckpoint {
                            file: file.to_owned(),
                            problem: format!(
                                "the cosignature of witness {name} (key {id}) is dated {t} seconds after 1970, \
                                 past the year 9999"
                            ),
                        });
                        None
                    }
                    Some((_, at)) => at,
                    None => None,
                };
                if !verified {
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

/// How far a witness's clock may run ahead of the reader's.
pub const COSIGNATURE_CLOCK_SKEW: Duration = Duration::minutes(10);

/// Checks when the witnesses say they cosigned: a cosignature is a witness's
/// statement that it saw the log at that time, so one dated after the reader's
/// clock (beyond [`COSIGNATURE_CLOCK_SKEW`]) or before the checkpoint's newest
/// release was issued cannot be true, and is refused and named.
pub fn check_cosignature_times(
    file: &str,
    checkpoint: &CheckpointAudit,
    issued: OffsetDateTime,
    now: OffsetDateTime,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for witness in checkpoint.witnesses() {
        let Some(at) = witness.timestamp else { continue };
        let problem = if at > now + COSIGNATURE_CLOCK_SKEW {
            format!("is dated {}, after the reader's clock ({})", fmt_time(at), fmt_time(now))
        } else if at < issued {
            format!("is dated {}, before the release it covers was issued ({})", fmt_time(at), fmt_time(issued))
        } else {
            continue;
        };
        findings.push(Finding::BadCheckpoint {
            file: file.to_owned(),
            problem: format!("the cosignature of witness {} (key {}) {problem}", witness.name, witness.key),
        });
    }
    findings
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
        findings.push(Finding::Frozen { file: file.into(), expires: fmt_time(doc.expires), now: fmt_time(now) });
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

/// The log's first release, the setup, verified: signed by the publishers,
/// leaf 0 of the log the current checkpoint signs, its own checkpoint (the
/// log of one release) signed and, as the reader's policy requires,
/// witnessed. Whether it came before the polls opened is checked with the
/// election file, in stage 4.
#[derive(Debug, Clone)]
pub struct SetupRelease {
    release: VerifiedRelease,
    checkpoint: CheckpointAudit,
    witnesses_required: bool,
    /// Where its manifest and its checkpoint were read.
    file: String,
    checkpoint_file: String,
}

impl SetupRelease {
    /// Its manifest's path: `releases/1/release.json`, or `release.json`
    /// while it is the current release.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Its checkpoint's path.
    pub fn checkpoint_file(&self) -> &str {
        &self.checkpoint_file
    }

    pub fn release(&self) -> &VerifiedRelease {
        &self.release
    }

    /// The checkpoint published with it, and who cosigned it when.
    pub fn checkpoint(&self) -> &CheckpointAudit {
        &self.checkpoint
    }

    /// Whether its witness cosignatures are required (not while a publisher
    /// checks its own new release, before any witness has seen it).
    pub fn witnesses_required(&self) -> bool {
        self.witnesses_required
    }
}

/// A release whose place in the release log and pointer verified, as far
/// as the reader's [`LogPolicy`] requires: the input of stage 4.
#[derive(Debug, Clone)]
pub struct LoggedRelease {
    release: VerifiedRelease,
    log: Option<LogAudit>,
    pointer: Option<PointerAudit>,
    setup: Option<SetupRelease>,
}

impl LoggedRelease {
    pub fn release(&self) -> &VerifiedRelease {
        &self.release
    }

    pub fn root(&self) -> &VerifiedRoot {
        self.release.root()
    }

    /// The release's place in the log, when its checkpoint was checked.
    pub fn log(&self) -> Option<&LogAudit> {
        self.log.as_ref()
    }

    /// The pointer to the latest release, when it was checked.
    pub fn pointer(&self) -> Option<&PointerAudit> {
        self.pointer.as_ref()
    }

    /// The log's setup release (this release itself when it is the first),
    /// whenever the checkpoint was checked.
    pub fn setup(&self) -> Option<&SetupRelease> {
        self.setup.as_ref()
    }
}

/// Checks the current release's place in the log and the pointer, after
/// the release manifest verified. `files` holds `release.json` and the log
/// files the reader fetched ([`files_to_fetch`]). The checkpoint is checked
/// whenever it is there, and required when the policy asks for the log,
/// when the reader holds an earlier checkpoint, or when the trust root
/// requires witness cosignatures; the pointer is checked when present and
/// required with `require_log`.
pub fn verify_log(
    release: VerifiedRelease,
    files: &Publication,
    policy: &LogPolicy,
    now: OffsetDateTime,
) -> Result<LoggedRelease, Vec<Finding>> {
    let release_bytes =
        files.get(format::RELEASE).ok_or_else(|| vec![Finding::FileMissing { file: format::RELEASE.into() }])?;
    let (log, pointer) = check_current(files, &release, release_bytes, policy, now)?;
    let setup = match &log {
        Some(log) => Some(check_setup(files, &release, log, !policy.witnesses_pending, now)?),
        None => None,
    };
    Ok(LoggedRelease { release, log, pointer, setup })
}

/// Release 1 of the log must be the setup, and only it: `releases/1/`'s
/// manifest signed by the publishers, proven to be leaf 0 of the tree the
/// current checkpoint signs, with its own checkpoint of the log of one
/// release, signed and (unless `witnesses` is off) witnessed.
fn check_setup(
    publication: &Publication,
    release: &VerifiedRelease,
    log: &LogAudit,
    witnesses: bool,
    now: OffsetDateTime,
) -> Result<SetupRelease, Vec<Finding>> {
    let not_setup = |file: &str| {
        vec![Finding::NotCommitted {
            file: file.to_owned(),
            subject: "the station registry".into(),
            problem: "was not committed before the polls opened: release 1 of the log is not a setup release, so \
                      nothing shows that the stations and their device keys were fixed before the votes were counted"
                .into(),
        }]
    };
    let phase = release.doc().phase;
    if log.index == 0 {
        if phase != Phase::Setup {
            return Err(not_setup(format::RELEASE));
        }
        return Ok(SetupRelease {
            release: release.clone(),
            checkpoint: log.checkpoint.clone(),
            witnesses_required: witnesses,
            file: format::RELEASE.into(),
            checkpoint_file: format::CHECKPOINT.into(),
        });
    }
    if phase == Phase::Setup {
        return Err(vec![Finding::InvalidValue {
            file: format::RELEASE.into(),
            field: "phase".into(),
            problem: format!("is `setup`, but only release 1 may be the setup; this is release {}", log.index + 1),
        }]);
    }
    let required = |path: &str| publication.get(path).ok_or_else(|| vec![Finding::FileMissing { file: path.into() }]);
    let (file, sigs_file, cp_file) = (release_path(1), release_sigs_path(1), checkpoint_path(1));
    let bytes = required(&file)?;
    let setup = verify_archived_release(&file, &sigs_file, release.root().clone(), bytes, required(&sigs_file)?)?;
    if setup.doc().phase != Phase::Setup {
        return Err(not_setup(&file));
    }
    let size = log.checkpoint.size;
    let leaf = tree::leaf_hash(bytes);
    let path = inclusion_path(0, size);
    let proof = parse_proof(&path, required(&path)?, ProofKind::Inclusion, 0, size).map_err(|f| vec![f])?;
    if let Err(e) = tree::verify_inclusion(0, size, &leaf, &proof, &log.checkpoint.root_hash.0) {
        return Err(vec![Finding::NotInLog {
            file: file.clone(),
            index: 0,
            size,
            problem: format!("its inclusion proof ({path}) does not verify: {e}"),
        }]);
    }
    let checkpoint = verify_checkpoint(&cp_file, required(&cp_file)?, release.root(), witnesses)?;
    let want = tree::root(&[leaf]);
    if checkpoint.origin != log.checkpoint.origin || checkpoint.size != 1 || checkpoint.root_hash.0 != want {
        return Err(vec![Finding::BadCheckpoint {
            file: cp_file,
            problem: format!(
                "it must sign log `{}` at size 1 with root hash {}, the tree of the setup release alone; it signs \
                 `{}` at size {} with {}",
                log.checkpoint.origin,
                hex::encode(want),
                checkpoint.origin,
                checkpoint.size,
                checkpoint.root_hash
            ),
        }]);
    }
    let times = check_cosignature_times(&cp_file, &checkpoint, setup.audit().issued, now);
    if !times.is_empty() {
        return Err(times);
    }
    Ok(SetupRelease { release: setup, checkpoint, witnesses_required: witnesses, file, checkpoint_file: cp_file })
}

fn check_current(
    publication: &Publication,
    release: &VerifiedRelease,
    release_bytes: &[u8],
    policy: &LogPolicy,
    now: OffsetDateTime,
) -> Result<(Option<LogAudit>, Option<PointerAudit>), Vec<Finding>> {
    let require_witnesses = !policy.witnesses_pending;
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
                let times = check_cosignature_times(format::CHECKPOINT, &checkpoint, release.audit().issued, now);
                if !times.is_empty() {
                    return Err(times);
                }
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
