//! Property: any single change to any byte of any file of a publication is
//! caught, and no input makes the verifier panic.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;
use shafaf_core::model::Sha256Hex;
use shafaf_core::verify::{verify_publication, TrustAnchor};

fn fixture() -> &'static common::Fixture {
    static FIXTURE: OnceLock<common::Fixture> = OnceLock::new();
    FIXTURE.get_or_init(common::fixture)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_single_byte_change_is_caught(file in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), mask in 1u8..=255) {
        let fx = fixture();
        let anchor = TrustAnchor::pinned(Sha256Hex::of(fx.publication.get("root.json").unwrap()));
        let paths: Vec<String> = fx.publication.paths().map(str::to_owned).collect();
        let path = file.get(&paths);
        let mut p = fx.publication.clone();
        let bytes = p.get_mut(path).unwrap();
        let i = at.index(bytes.len());
        bytes[i] ^= mask;
        prop_assert!(verify_publication(&p, &anchor, common::NOW).is_err(), "{} byte {} ^ {:#04x} was not caught", path, i, mask);
    }

    #[test]
    fn arbitrary_bytes_in_any_file_never_panic(file in any::<prop::sample::Index>(), junk in prop::collection::vec(any::<u8>(), 0..600)) {
        let fx = fixture();
        let paths: Vec<String> = fx.publication.paths().map(str::to_owned).collect();
        let mut p = fx.publication.clone();
        p.insert(file.get(&paths).clone(), junk);
        let _ = verify_publication(&p, &TrustAnchor::unpinned(), common::NOW);
    }
}

mod log_proofs {
    use proptest::prelude::*;
    use shafaf_core::log::tree::{self, Hash};

    fn leaves(n: usize, salt: u8) -> Vec<Hash> {
        (0..n).map(|i| tree::leaf_hash(&[salt, (i >> 8) as u8, i as u8])).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn every_inclusion_proof_verifies_and_any_altered_byte_fails(
            n in 1usize..300, i in any::<prop::sample::Index>(), salt in any::<u8>(),
            at in any::<prop::sample::Index>(), mask in 1u8..=255,
        ) {
            let leaves = leaves(n, salt);
            let index = i.index(n);
            let root = tree::root(&leaves);
            let proof = tree::inclusion_proof(index as u64, &leaves).unwrap();
            prop_assert!(tree::verify_inclusion(index as u64, n as u64, &leaves[index], &proof, &root).is_ok());
            // One altered byte anywhere: in the proof, the leaf or the root.
            let mut bytes: Vec<u8> = proof.iter().flatten().copied().chain(leaves[index]).chain(root).collect();
            let k = at.index(bytes.len());
            bytes[k] ^= mask;
            let hashes: Vec<Hash> = bytes.chunks(32).map(|c| c.try_into().unwrap()).collect();
            let (p, rest) = hashes.split_at(proof.len());
            prop_assert!(tree::verify_inclusion(index as u64, n as u64, &rest[0], p, &rest[1]).is_err());
        }

        #[test]
        fn every_consistency_proof_verifies_and_any_altered_byte_fails(
            n in 2usize..300, m in any::<prop::sample::Index>(), salt in any::<u8>(),
            at in any::<prop::sample::Index>(), mask in 1u8..=255,
        ) {
            let leaves = leaves(n, salt);
            let m = 1 + m.index(n - 1);
            let (old, new) = (tree::root(&leaves[..m]), tree::root(&leaves));
            let proof = tree::consistency_proof(m as u64, &leaves).unwrap();
            prop_assert!(tree::verify_consistency(m as u64, n as u64, &old, &new, &proof).is_ok());
            let mut bytes: Vec<u8> = proof.iter().flatten().copied().chain(old).chain(new).collect();
            let k = at.index(bytes.len());
            bytes[k] ^= mask;
            let hashes: Vec<Hash> = bytes.chunks(32).map(|c| c.try_into().unwrap()).collect();
            let (p, rest) = hashes.split_at(proof.len());
            prop_assert!(tree::verify_consistency(m as u64, n as u64, &rest[0], &rest[1], p).is_err());
        }

        #[test]
        fn arbitrary_proofs_and_sizes_never_panic(
            a in any::<u64>(), b in any::<u64>(), hashes in prop::collection::vec(any::<[u8; 32]>(), 0..70),
        ) {
            let h = [0u8; 32];
            let _ = tree::verify_inclusion(a, b, &h, &hashes, &h);
            let _ = tree::verify_consistency(a, b, &h, &h, &hashes);
            let _ = tree::verify_consistency(a.min(b), a.max(b), &h, &h, &hashes);
        }
    }
}
