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

/// Batch verification is an optimisation of strict verification: on any mix
/// of valid and corrupted signatures it gives exactly strict's answers.
mod batch_verification {
    use std::sync::OnceLock;

    use curve25519_dalek::constants::EIGHT_TORSION;
    use curve25519_dalek::edwards::EdwardsPoint;
    use curve25519_dalek::scalar::Scalar;
    use proptest::prelude::*;
    use sha2::{Digest, Sha512};
    use shafaf_core::keys::batch::{verify_many_with, BatchConfig, Route};
    use shafaf_core::keys::{PublicKey, SecretKey, SignedItem};

    const MAX_ITEMS: usize = 60;

    /// A key with a known secret scalar a, whose point is [a]B + T for a
    /// small-order T (none for an honest key): signatures made by hand can
    /// then carry torsion where the test likes.
    struct HandKey {
        a: Scalar,
        raw: [u8; 32],
        public: PublicKey,
    }

    impl HandKey {
        fn new(seed: usize, torsion: &EdwardsPoint) -> Self {
            let a = Scalar::from(seed as u64 + 1) * Scalar::from(0xa076_1d64_78bd_642fu64);
            let raw = (EdwardsPoint::mul_base(&a) + torsion).compress().to_bytes();
            Self { a, raw, public: PublicKey::from_raw(&raw).expect("not a weak key") }
        }

        /// R = [r]B + T, s = r + k·a with k over that R.
        fn sign(&self, nonce: u64, torsion: &EdwardsPoint, msg: &[u8]) -> [u8; 64] {
            let r = Scalar::from(nonce + 1) * Scalar::from(0xe703_7ed1_a0b4_28dbu64);
            let big_r = (EdwardsPoint::mul_base(&r) + torsion).compress();
            let digest =
                Sha512::new().chain_update(big_r.as_bytes()).chain_update(self.raw).chain_update(msg).finalize();
            let k = Scalar::from_bytes_mod_order_wide(&digest.into());
            let mut sig = [0u8; 64];
            sig[..32].copy_from_slice(big_r.as_bytes());
            sig[32..].copy_from_slice((r + k * self.a).as_bytes());
            sig
        }
    }

    struct Keys {
        honest: Vec<SecretKey>,
        hand: Vec<HandKey>,
        /// [a]B + EIGHT_TORSION[t] for t in 1..8.
        mixed: Vec<HandKey>,
    }

    fn keys() -> &'static Keys {
        static KEYS: OnceLock<Keys> = OnceLock::new();
        KEYS.get_or_init(|| Keys {
            honest: (0..MAX_ITEMS).map(|i| SecretKey::from_seed(&[i as u8 ^ 0x3c; 32])).collect(),
            hand: (0..MAX_ITEMS).map(|i| HandKey::new(i, &EdwardsPoint::default())).collect(),
            mixed: (1..8).map(|t| HandKey::new(1000 + t, &EIGHT_TORSION[t])).collect(),
        })
    }

    /// How one signature is made: valid, or corrupted in one way.
    #[derive(Debug, Clone, Copy)]
    enum Kind {
        Valid,
        FlipMsgByte,
        FlipSigByte,
        OtherKey,
        /// By a honest key, with R = [r]B + T: cofactored verification accepts it.
        TorsionedR,
        /// By a mixed-order key [a]B + T, with R = [r]B.
        MixedOrderKey,
        /// By a mixed-order key, with R = [r]B + T′: strict accepts 1 in 8.
        MixedOrderKeyAndR,
    }

    fn kind() -> impl Strategy<Value = Kind> {
        use Kind::*;
        prop_oneof![
            4 => Just(Valid),
            1 => Just(FlipMsgByte),
            1 => Just(FlipSigByte),
            1 => Just(OtherKey),
            1 => Just(TorsionedR),
            1 => Just(MixedOrderKey),
            1 => Just(MixedOrderKeyAndR),
        ]
    }

    struct Signed {
        key: &'static PublicKey,
        msg: Vec<u8>,
        sig: [u8; 64],
    }

    fn make(i: usize, kind: Kind, at: prop::sample::Index, mask: u8, t: usize) -> Signed {
        let keys = keys();
        let msg = format!("{{\"station\":\"IR-15-S{i:05}\",\"ballots_cast\":{}}}", 400 + i).into_bytes();
        let honest = &keys.honest[i];
        let torsion = &EIGHT_TORSION[1 + t % 7];
        match kind {
            Kind::Valid => Signed { key: honest.public(), sig: honest.sign(&msg), msg },
            Kind::FlipMsgByte => {
                let sig = honest.sign(&msg);
                let mut msg = msg;
                let j = at.index(msg.len());
                msg[j] ^= mask;
                Signed { key: honest.public(), msg, sig }
            }
            Kind::FlipSigByte => {
                let mut sig = honest.sign(&msg);
                sig[at.index(64)] ^= mask;
                Signed { key: honest.public(), msg, sig }
            }
            Kind::OtherKey => {
                let other = &keys.honest[(i + 1 + at.index(MAX_ITEMS - 1)) % MAX_ITEMS];
                Signed { key: other.public(), sig: honest.sign(&msg), msg }
            }
            Kind::TorsionedR => {
                let key = &keys.hand[i];
                Signed { key: &key.public, sig: key.sign(i as u64, torsion, &msg), msg }
            }
            Kind::MixedOrderKey => {
                let key = &keys.mixed[t % 7];
                Signed { key: &key.public, sig: key.sign(i as u64, &EdwardsPoint::default(), &msg), msg }
            }
            Kind::MixedOrderKeyAndR => {
                let key = &keys.mixed[t % 7];
                Signed { key: &key.public, sig: key.sign(i as u64, &EIGHT_TORSION[at.index(8)], &msg), msg }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn verify_many_gives_exactly_stricts_answers(
            specs in prop::collection::vec((kind(), any::<prop::sample::Index>(), 1u8..=255, 0usize..7), 1..MAX_ITEMS),
            chunk_size in 4usize..24,
        ) {
            let signed: Vec<Signed> =
                specs.iter().enumerate().map(|(i, (kind, at, mask, t))| make(i, *kind, *at, *mask, *t)).collect();
            let items: Vec<SignedItem> =
                signed.iter().map(|s| SignedItem { key: s.key, msg: &s.msg, signature: &s.sig }).collect();
            let strict: Vec<bool> = items.iter().map(SignedItem::verify_strict).collect();
            let out = verify_many_with(&items, &BatchConfig { chunk_size, min_batch: 1 });
            let kinds: Vec<Kind> = specs.iter().map(|s| s.0).collect();
            prop_assert_eq!(&out.valid, &strict, "kinds {:?}", kinds);
            // Completeness holds whatever the randomness: a chunk of signatures
            // strict accepts always passes as a batch.
            let batched: Vec<usize> = (0..items.len()).filter(|&i| out.routes[i] != Route::Precheck).collect();
            for chunk in batched.chunks(chunk_size) {
                if chunk.iter().all(|&i| strict[i]) {
                    prop_assert!(chunk.iter().all(|&i| out.routes[i] == Route::Batch), "kinds {:?}, routes {:?}", kinds, out.routes);
                }
            }
        }
    }
}
