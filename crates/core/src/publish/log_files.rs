//! Making the log's files: the publishers' checkpoint, a witness's
//! cosignature, the proof files, and the pointer to the latest release.
//! [`crate::publish::append_release`] puts them together when a release is
//! published; `shafaf witness` and `shafaf timestamp` use [`cosign`] and
//! [`sign_pointer`] on a published folder.

use time::OffsetDateTime;

use crate::findings::Finding;
use crate::format::{self, Publication};
use crate::keys::SecretKey;
use crate::log::note::{self, SignedNote};
use crate::log::{checkpoint_path, consistency_path, inclusion_path, tree, write_proof, Checkpoint, Hash, ProofKind};
use crate::model::{LatestDoc, LatestLog, LatestRelease, LatestType, ReleaseDoc, Role, Sha256Hex};
use crate::publish::{sign_bytes, PublishError};
use crate::verify::log::{pointer_role, verify_checkpoint, CheckpointAudit};
use crate::verify::VerifiedRoot;

fn member(root: &VerifiedRoot, role: Role, key: &SecretKey) -> Result<(), PublishError> {
    if root.role_key_ids(role).contains(&key.public().id()) {
        Ok(())
    } else {
        Err(PublishError::NotInRole { key: key.public().id().to_hex(), role })
    }
}

/// A checkpoint signed by publisher keys, each under its name in the root.
pub fn sign_checkpoint(
    checkpoint: &Checkpoint,
    root: &VerifiedRoot,
    publishers: &[&SecretKey],
) -> Result<Vec<u8>, PublishError> {
    let text = checkpoint.body();
    let mut signed = SignedNote { text: text.clone(), signatures: Vec::new() };
    for key in publishers {
        member(root, Role::Publisher, key)?;
        signed.add(note::sign(&text, &root.key_name(&key.public().id()), key));
    }
    Ok(signed.to_bytes())
}

/// Adds a witness's `cosignature/v1`, made at `time`, to checkpoint bytes
/// (replacing an earlier one by the same witness).
pub fn cosign_checkpoint(
    bytes: &[u8],
    root: &VerifiedRoot,
    witness: &SecretKey,
    time: OffsetDateTime,
) -> Result<Vec<u8>, PublishError> {
    member(root, Role::Witness, witness)?;
    let mut signed = SignedNote::parse(format::CHECKPOINT, bytes).map_err(|e| PublishError::Log(vec![e.into()]))?;
    let timestamp = u64::try_from(time.unix_timestamp()).unwrap_or(0);
    let name = root.key_name(&witness.public().id());
    signed.add(note::cosign(&signed.text.clone(), &name, witness, timestamp));
    Ok(signed.to_bytes())
}

/// What a witness does to a published folder: verifies the current
/// checkpoint (publisher signatures; the witness threshold is what it is
/// adding to) and cosigns it, in `checkpoint` and in the current release's
/// `releases/<N>/checkpoint`. Checking the log's history and its
/// consistency with what the witness saw before is the caller's part.
pub fn cosign(
    publication: &mut Publication,
    root: &VerifiedRoot,
    witness: &SecretKey,
    time: OffsetDateTime,
) -> Result<CheckpointAudit, PublishError> {
    let bytes = publication
        .get(format::CHECKPOINT)
        .ok_or_else(|| PublishError::Log(vec![Finding::FileMissing { file: format::CHECKPOINT.into() }]))?
        .to_vec();
    let before = verify_checkpoint(format::CHECKPOINT, &bytes, root, false).map_err(PublishError::Log)?;
    let cosigned = cosign_checkpoint(&bytes, root, witness, time)?;
    let after = verify_checkpoint(format::CHECKPOINT, &cosigned, root, false).map_err(PublishError::Log)?;
    publication.insert(checkpoint_path(before.size), cosigned.clone());
    publication.insert(format::CHECKPOINT, cosigned);
    Ok(after)
}

/// Every inclusion proof of every leaf in the tree of all `leaves`, and
/// every consistency proof from each earlier size to it: `(path, bytes)`.
pub fn proof_files(leaves: &[Hash]) -> Vec<(String, Vec<u8>)> {
    let n = leaves.len() as u64;
    let mut out = Vec::new();
    for i in 0..n {
        // i < n: the proof exists.
        let proof = tree::inclusion_proof(i, leaves).unwrap_or_default();
        out.push((inclusion_path(i, n), write_proof(ProofKind::Inclusion, i, n, &proof)));
    }
    for m in 1..n {
        let proof = tree::consistency_proof(m, leaves).unwrap_or_default();
        out.push((consistency_path(m, n), write_proof(ProofKind::Consistency, m, n, &proof)));
    }
    out
}

/// `latest.json` and its signatures for a release and its checkpoint,
/// signed by the root's timestamp role (or its publisher role when it has
/// no timestamp role).
pub fn make_pointer(
    root: &VerifiedRoot,
    release_bytes: &[u8],
    release: &ReleaseDoc,
    checkpoint: &Checkpoint,
    issued: OffsetDateTime,
    expires: OffsetDateTime,
    signers: &[&SecretKey],
) -> Result<(Vec<u8>, Vec<u8>), PublishError> {
    let role = pointer_role(root);
    for key in signers {
        member(root, role, key)?;
    }
    let threshold = root.threshold(role);
    if (signers.len() as u32) < threshold.max(1) {
        return Err(PublishError::BelowThreshold { given: signers.len(), threshold });
    }
    let doc = LatestDoc {
        doc_type: LatestType::V1,
        election: release.election.clone(),
        issued,
        expires,
        release: LatestRelease { version: release.version, sha256: Sha256Hex::of(release_bytes) },
        log: LatestLog { size: checkpoint.size, root_hash: Sha256Hex(checkpoint.root_hash) },
    };
    let bytes = format::to_json_bytes(&doc)
        .map_err(|e| PublishError::Serialise { what: format::LATEST.into(), message: e.to_string() })?;
    let sigs = sign_bytes(&bytes, signers);
    Ok((bytes, sigs))
}

/// Re-signs `latest.json` for the publication's current release and
/// checkpoint: what the timestamp role's online key does every few minutes.
pub fn sign_pointer(
    publication: &mut Publication,
    root: &VerifiedRoot,
    issued: OffsetDateTime,
    expires: OffsetDateTime,
    signers: &[&SecretKey],
) -> Result<(), PublishError> {
    let missing = |file: &str| PublishError::Log(vec![Finding::FileMissing { file: file.into() }]);
    let release_bytes = publication.get(format::RELEASE).ok_or_else(|| missing(format::RELEASE))?.to_vec();
    let sigs = publication.get(format::RELEASE_SIGS).ok_or_else(|| missing(format::RELEASE_SIGS))?;
    let release = crate::verify::verify_archived_release(
        format::RELEASE,
        format::RELEASE_SIGS,
        root.clone(),
        &release_bytes,
        sigs,
    )
    .map_err(PublishError::Log)?;
    let cp = publication.get(format::CHECKPOINT).ok_or_else(|| missing(format::CHECKPOINT))?;
    let checkpoint = verify_checkpoint(format::CHECKPOINT, cp, root, false).map_err(PublishError::Log)?.checkpoint();
    let (bytes, sigs) = make_pointer(root, &release_bytes, release.doc(), &checkpoint, issued, expires, signers)?;
    publication.insert(format::LATEST, bytes);
    publication.insert(format::LATEST_SIGS, sigs);
    Ok(())
}
