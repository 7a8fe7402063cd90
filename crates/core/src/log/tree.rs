//! RFC 9162 §2.1 Merkle tree hashing (the same tree as RFC 6962): the tree
//! head of `n` leaves, and inclusion and consistency proofs, made and checked.
//!
//! Leaves are hashed `SHA-256(0x00 ‖ leaf)` and interior nodes
//! `SHA-256(0x01 ‖ left ‖ right)`, so a leaf can never pass for a node; a tree
//! of `n > 1` leaves splits at the largest power of two smaller than `n`. The
//! checks follow the verification algorithms of RFC 9162 §2.1.3.2 and
//! §2.1.4.2 step by step; every malformed proof is an error, never a panic.

use sha2::{Digest, Sha256};

/// A SHA-256 value in the tree: a leaf hash, a node, a root.
pub type Hash = [u8; 32];

/// No proof in a tree of at most 2⁶⁴ leaves is longer than this.
pub const MAX_PROOF_LEN: usize = 64;

/// Why a proof did not verify, or could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("leaf index {index} is not in a tree of {size} leaves")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("a tree of {new} leaves cannot extend one of {old}")]
    SizesDecrease { old: u64, new: u64 },
    #[error("the proof has {found} hashes, {expected} expected")]
    WrongLength { expected: usize, found: usize },
    #[error("the proof does not lead to the expected root hash")]
    RootMismatch,
    #[error("trees of the same size {size} have different root hashes")]
    DifferentRoots { size: u64 },
}

/// `SHA-256(0x00 ‖ data)`: the hash of a leaf.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 ‖ left ‖ right)`: the hash of an interior node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The largest power of two smaller than `n` (for `n ≥ 2`).
fn split(n: usize) -> usize {
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// MTH(D[n]) over leaf hashes (RFC 9162 §2.1.1).
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

fn index_of(index: u64, size: usize) -> Result<usize, ProofError> {
    usize::try_from(index).ok().filter(|&i| i < size).ok_or(ProofError::IndexOutOfRange { index, size: size as u64 })
}

/// PATH(m, D[n]): the inclusion proof of leaf `index` (RFC 9162 §2.1.3.1).
pub fn inclusion_proof(index: u64, leaves: &[Hash]) -> Result<Vec<Hash>, ProofError> {
    fn path(m: usize, d: &[Hash], out: &mut Vec<Hash>) {
        if d.len() <= 1 {
            return;
        }
        let k = split(d.len());
        if m < k {
            path(m, &d[..k], out);
            out.push(root(&d[k..]));
        } else {
            path(m - k, &d[k..], out);
            out.push(root(&d[..k]));
        }
    }
    let m = index_of(index, leaves.len())?;
    let mut out = Vec::new();
    path(m, leaves, &mut out);
    Ok(out)
}

/// PROOF(m, D[n]): the consistency proof from the first `old_size` leaves to
/// all of them (RFC 9162 §2.1.4.1); empty when `old_size` is 0 or `n`.
pub fn consistency_proof(old_size: u64, leaves: &[Hash]) -> Result<Vec<Hash>, ProofError> {
    fn subproof(m: usize, d: &[Hash], complete: bool, out: &mut Vec<Hash>) {
        if m == d.len() {
            if !complete {
                out.push(root(d));
            }
            return;
        }
        let k = split(d.len());
        if m <= k {
            subproof(m, &d[..k], complete, out);
            out.push(root(&d[k..]));
        } else {
            subproof(m - k, &d[k..], false, out);
            out.push(root(&d[..k]));
        }
    }
    let n = leaves.len() as u64;
    if old_size > n {
        return Err(ProofError::SizesDecrease { old: old_size, new: n });
    }
    let mut out = Vec::new();
    if old_size > 0 && old_size < n {
        subproof(old_size as usize, leaves, true, &mut out);
    }
    Ok(out)
}

/// Checks that `leaf` (a leaf hash) is leaf `index` of the tree of `size`
/// leaves whose root is `root_hash` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root_hash: &Hash,
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    if proof.len() > MAX_PROOF_LEN {
        return Err(ProofError::WrongLength { expected: MAX_PROOF_LEN, found: proof.len() });
    }
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if sn == 0 {
            return Err(ProofError::RootMismatch);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn == 0 && r == *root_hash {
        Ok(())
    } else {
        Err(ProofError::RootMismatch)
    }
}

/// Checks that the tree of `new_size` leaves with root `new_root` extends the
/// tree of `old_size` leaves with root `old_root` (RFC 9162 §2.1.4.2): the
/// first `old_size` leaves are the same and in the same order.
///
/// The edge cases the RFC leaves to the caller: equal sizes need equal roots
/// and an empty proof; every tree extends the empty tree (empty proof); a
/// smaller tree never extends a larger one.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if old_size > new_size {
        return Err(ProofError::SizesDecrease { old: old_size, new: new_size });
    }
    if old_size == new_size {
        if !proof.is_empty() {
            return Err(ProofError::WrongLength { expected: 0, found: proof.len() });
        }
        return if old_root == new_root { Ok(()) } else { Err(ProofError::DifferentRoots { size: old_size }) };
    }
    if old_size == 0 {
        return if proof.is_empty() {
            Ok(())
        } else {
            Err(ProofError::WrongLength { expected: 0, found: proof.len() })
        };
    }
    // 1. An empty proof cannot prove anything between two non-empty sizes.
    if proof.is_empty() || proof.len() > MAX_PROOF_LEN {
        return Err(ProofError::WrongLength { expected: 1, found: proof.len() });
    }
    // 2. When the old tree is a complete subtree, its root is the proof's first node.
    let mut path: Vec<&Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(old_root);
    }
    path.extend(proof);
    // 3–4.
    let (mut fn_, mut sn) = (old_size - 1, new_size - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    // 5.
    let (mut fr, mut sr) = (*path[0], *path[0]);
    // 6.
    for c in &path[1..] {
        if sn == 0 {
            return Err(ProofError::RootMismatch);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    // 7.
    if fr == *old_root && sr == *new_root && sn == 0 {
        Ok(())
    } else {
        Err(ProofError::RootMismatch)
    }
}

#[cfg(test)]
mod tests {
    //! The reference vectors of RFC 6962's test tree, as published by
    //! transparency-dev/merkle in `proof/verify_test.go` (commit
    //! 02194e9afb6c1d95b5381350007963aa70fff472: `leaves`, `roots`,
    //! `inclusionProofs`, `consistencyProofs`, the same tree as
    //! google/certificate-transparency's `merkle_tree_test.cc`) and
    //! `rfc6962/rfc6962_test.go` (commit 78493b07ef9b552e3379abf9e23d4da26fbe797c:
    //! the empty-tree, leaf and node hashes). Their inclusion vectors number
    //! leaves from 1; here indices are 0-based.
    use super::*;

    fn h(s: &str) -> Hash {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).unwrap();
        out
    }

    const LEAVES: [&str; 8] =
        ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    const ROOTS: [&str; 8] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    /// (leaf index, tree size, proof)
    const INCLUSION: [(u64, u64, &[&str]); 5] = [
        (0, 1, &[]),
        (
            0,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            8,
            &[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (2, 3, &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (
            1,
            5,
            &[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
    ];

    /// (old size, new size, proof)
    const CONSISTENCY: [(u64, u64, &[&str]); 5] = [
        (1, 1, &[]),
        (
            1,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            6,
            8,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            5,
            &[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
        (
            6,
            7,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
    ];

    fn leaves() -> Vec<Hash> {
        LEAVES.iter().map(|l| leaf_hash(&hex::decode(l).unwrap())).collect()
    }

    #[test]
    fn hashes_match_the_rfc6962_reference_values() {
        assert_eq!(empty_root(), h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        assert_eq!(leaf_hash(b""), h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"));
        assert_eq!(leaf_hash(b"L123456"), h("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"));
        let mut n = Sha256::new();
        n.update([0x01]);
        n.update(b"N123N456");
        assert_eq!(<Hash>::from(n.finalize()), h("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"));
    }

    #[test]
    fn roots_of_sizes_1_to_8_match_the_reference_tree() {
        let leaves = leaves();
        for (n, want) in ROOTS.iter().enumerate() {
            assert_eq!(root(&leaves[..=n]), h(want), "size {}", n + 1);
        }
        assert_eq!(root(&[]), empty_root());
    }

    #[test]
    fn inclusion_proofs_match_the_reference_and_verify() {
        let leaves = leaves();
        for (index, size, proof) in &INCLUSION {
            let want: Vec<Hash> = proof.iter().map(|s| h(s)).collect();
            let got = inclusion_proof(*index, &leaves[..*size as usize]).unwrap();
            assert_eq!(got, want, "leaf {index} in {size}");
            let root = h(ROOTS[*size as usize - 1]);
            verify_inclusion(*index, *size, &leaves[*index as usize], &want, &root).unwrap();
        }
    }

    #[test]
    fn consistency_proofs_match_the_reference_and_verify() {
        let leaves = leaves();
        for (old, new, proof) in CONSISTENCY {
            let want: Vec<Hash> = proof.iter().map(|s| h(s)).collect();
            let got = consistency_proof(old, &leaves[..new as usize]).unwrap();
            assert_eq!(got, want, "{old} → {new}");
            let (r1, r2) = (h(ROOTS[old as usize - 1]), h(ROOTS[new as usize - 1]));
            verify_consistency(old, new, &r1, &r2, &want).unwrap();
        }
    }

    /// The corruptions that transparency-dev/merkle's `corruptInclusionProof`
    /// and `corruptConsistencyProof` apply to every reference proof.
    #[test]
    fn corrupted_reference_proofs_are_rejected() {
        let leaves = leaves();
        let some = h("abacaba000000000000000000000000000000000000000000060061e00123456");
        let empty = empty_root();
        for (index, size, proof) in &INCLUSION {
            let proof: Vec<Hash> = proof.iter().map(|s| h(s)).collect();
            let root = h(ROOTS[*size as usize - 1]);
            let leaf = leaves[*index as usize];
            let ok = |i: u64, n: u64, l: &Hash, p: &[Hash], r: &Hash| verify_inclusion(i, n, l, p, r).is_ok();
            assert!(!ok(index.wrapping_sub(1), *size, &leaf, &proof, &root));
            assert!(!ok(index + 1, *size, &leaf, &proof, &root));
            assert!(!ok(index ^ 2, *size, &leaf, &proof, &root));
            assert!(!ok(*index, size * 2, &leaf, &proof, &root));
            assert!(!ok(*index, size / 2, &leaf, &proof, &root));
            assert!(!ok(*index, *size, &some, &proof, &root));
            assert!(!ok(*index, *size, &leaf, &proof, &empty));
            assert!(!ok(*index, *size, &leaf, &proof, &some));
            for extra in [some, root] {
                let mut longer = proof.clone();
                longer.push(extra);
                assert!(!ok(*index, *size, &leaf, &longer, &root));
                longer.pop();
                longer.insert(0, extra);
                assert!(!ok(*index, *size, &leaf, &longer, &root));
            }
            for i in 0..proof.len() {
                let mut bad = proof.clone();
                bad[i][0] ^= 8;
                assert!(!ok(*index, *size, &leaf, &bad, &root));
            }
            if !proof.is_empty() {
                assert!(!ok(*index, *size, &leaf, &proof[..proof.len() - 1], &root));
            }
        }
        for (old, new, proof) in &CONSISTENCY[1..] {
            let proof: Vec<Hash> = proof.iter().map(|s| h(s)).collect();
            let (r1, r2) = (h(ROOTS[*old as usize - 1]), h(ROOTS[*new as usize - 1]));
            let ok = |m: u64, n: u64, a: &Hash, b: &Hash, p: &[Hash]| verify_consistency(m, n, a, b, p).is_ok();
            assert!(!ok(old - 1, *new, &r1, &r2, &proof));
            assert!(!ok(old + 1, *new, &r1, &r2, &proof));
            assert!(!ok(old ^ 2, *new, &r1, &r2, &proof));
            assert!(!ok(*old, new * 2, &r1, &r2, &proof));
            assert!(!ok(*old, new / 2, &r1, &r2, &proof));
            assert!(!ok(*old, *new, &some, &r2, &proof));
            assert!(!ok(*old, *new, &r1, &some, &proof));
            assert!(!ok(*old, *new, &r2, &r1, &proof));
            assert!(!ok(*old, *new, &r1, &r2, &[]));
            for extra in [some, r1, r2, proof[0]] {
                let mut longer = proof.clone();
                longer.push(extra);
                assert!(!ok(*old, *new, &r1, &r2, &longer));
                longer.pop();
                longer.insert(0, extra);
                assert!(!ok(*old, *new, &r1, &r2, &longer));
            }
            assert!(!ok(*old, *new, &r1, &r2, &proof[..proof.len() - 1]));
            for i in 0..proof.len() {
                let mut bad = proof.clone();
                bad[i][0] ^= 16;
                assert!(!ok(*old, *new, &r1, &r2, &bad));
            }
        }
    }

    #[test]
    fn edge_cases_of_consistency_follow_the_reference_verifier() {
        let (a, b) = (h(ROOTS[0]), h(ROOTS[1]));
        let empty = empty_root();
        assert!(verify_consistency(0, 0, &a, &a, &[]).is_ok());
        assert!(verify_consistency(0, 1, &a, &b, &[]).is_ok());
        assert!(verify_consistency(1, 1, &b, &b, &[]).is_ok());
        assert!(verify_consistency(0, 0, &a, &b, &[]).is_err());
        assert!(verify_consistency(1, 1, &a, &b, &[]).is_err());
        assert!(verify_consistency(1, 0, &a, &b, &[]).is_err());
        assert!(verify_consistency(2, 1, &a, &b, &[]).is_err());
        assert!(verify_consistency(1, 2, &a, &b, &[]).is_err());
        assert!(verify_consistency(0, 0, &empty, &empty, &[empty]).is_err());
        assert!(verify_consistency(0, 1, &empty, &empty, &[empty]).is_err());
        assert!(verify_consistency(1, 1, &empty, &empty, &[empty]).is_err());
        for (i, n) in [(0, 0), (0, 1), (1, 0), (2, 1)] {
            assert!(verify_inclusion(i, n, &a, &[], &empty).is_err());
        }
        assert!(inclusion_proof(3, &leaves()[..3]).is_err());
        assert!(consistency_proof(4, &leaves()[..3]).is_err());
    }

    #[test]
    fn huge_sizes_do_not_overflow_or_panic() {
        let a = h(ROOTS[0]);
        let proof = vec![a; 70];
        assert!(verify_inclusion(u64::MAX - 1, u64::MAX, &a, &proof, &a).is_err());
        assert!(verify_inclusion(u64::MAX - 1, u64::MAX, &a, &proof[..64], &a).is_err());
        assert!(verify_consistency(u64::MAX - 1, u64::MAX, &a, &a, &proof[..64]).is_err());
        assert!(verify_consistency(1 << 63, u64::MAX, &a, &a, &proof[..64]).is_err());
    }
}
