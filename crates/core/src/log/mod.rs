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
//! This module holds the log's own structures: [`tree`] (the Merkle tree),
//! [`note`] (the checkpoint's signed-note format), the proof files and where
//! every file lives. Checking them against a verified release is stage 3 of
//! the verification path ([`crate::verify::log`]); checking the whole log is
//! [`crate::history`]; writing it is [`crate::publish::log_files`].

pub mod note;
pub mod tree;

use serde::Serialize;

use crate::findings::Finding;
use crate::format;
use crate::keys::{base64_decode, base64_encode};
use crate::model::Id;

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
/// The Merkle root of a results file's lines (see [`crate::model::LinesRoot`]).
pub fn lines_root(lines: &[&str]) -> crate::model::LinesRoot {
    #[cfg(feature = "parallel")]
    let leaves: Vec<Hash> = {
        use rayon::prelude::*;
        lines.par_iter().map(|l| tree::leaf_hash(l.as_bytes())).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let leaves: Vec<Hash> = lines.iter().map(|l| tree::leaf_hash(l.as_bytes())).collect();
    crate::model::LinesRoot { count: lines.len() as u64, root: crate::model::Sha256Hex(tree::root(&leaves)) }
}

pub fn default_origin(election: &Id) -> String {
    format!("shafaf/{election}")
}
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
}
