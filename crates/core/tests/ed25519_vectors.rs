//! The signature check against published Ed25519 test vectors: RFC 8032 §7.1,
//! Project Wycheproof's EdDSA set (non-canonical encodings, small-order
//! points, malleated signatures) and the twelve speccheck cases (cofactored
//! against cofactorless). Batch verification (`verify_many`) must give
//! strict verification's answer on every one, alone and among honest
//! signatures. Runs natively and in headless Chromium.

use serde::Deserialize;
use shafaf_core::keys::batch::{verify_many_with, BatchConfig, Route};
use shafaf_core::keys::{verify_raw, PublicKey, SecretKey, SignedItem};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

// Read from ../shared at compile time: the vectors are not copied into the repository.
const WYCHEPROOF: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/wycheproof-ed25519_test.json"));
const SPECCHECK: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/ed25519-speccheck-cases.json"));

/// Chunks of 16 and no minimum: even one signature takes the batch path.
const SMALL: BatchConfig = BatchConfig { chunk_size: 16, min_batch: 1 };

/// RFC 8032 §7.1, tests 1, 2, 3 and SHA(abc): (secret, public, message, signature).
const RFC8032: [(&str, &str, &str, &str); 4] = [
    (
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
    (
        "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
        "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704",
    ),
];

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("test vector hex")
}

#[derive(Deserialize)]
struct Suite {
    #[serde(rename = "testGroups")]
    groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Group {
    #[serde(rename = "publicKey")]
    public_key: Key,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
struct Key {
    pk: String,
}

#[derive(Deserialize)]
struct SpeccheckCase {
    message: String,
    pub_key: String,
    signature: String,
}

#[derive(Deserialize)]
struct Case {
    #[serde(rename = "tcId")]
    id: u32,
    comment: String,
    msg: String,
    sig: String,
    result: String,
}

/// A vector as `verify_many` takes it, or `None` when it cannot be one (a
/// weak or invalid key, a signature not 64 bytes): strict rejects those.
struct Vector {
    public: Vec<u8>,
    key: Option<PublicKey>,
    msg: Vec<u8>,
    raw_sig: Vec<u8>,
    sig: Option<[u8; 64]>,
}

impl Vector {
    fn new(public: Vec<u8>, msg: Vec<u8>, raw_sig: Vec<u8>) -> Self {
        let key = <[u8; 32]>::try_from(public.as_slice()).ok().and_then(|raw| PublicKey::from_raw(&raw).ok());
        let sig = raw_sig.as_slice().try_into().ok();
        Self { public, key, msg, raw_sig, sig }
    }

    /// Strict verification from the raw bytes, as the existing checks do.
    fn strict(&self) -> bool {
        verify_raw(&self.public, &self.msg, &self.raw_sig).is_ok()
    }

    fn item(&self) -> Option<SignedItem<'_>> {
        Some(SignedItem { key: self.key.as_ref()?, msg: &self.msg, signature: self.sig.as_ref()? })
    }
}

/// Honest signatures, one key each.
fn honest(n: usize) -> Vec<(SecretKey, Vec<u8>, [u8; 64])> {
    (0..n)
        .map(|i| {
            let key = SecretKey::from_seed(&[i as u8 ^ 0xa5; 32]);
            let msg = format!("station IR-15-S{i:05} ballots {}", 500 + i).into_bytes();
            let sig = key.sign(&msg);
            (key, msg, sig)
        })
        .collect()
}

/// `verify_many` on `item` alone and at the start, middle and end of 40
/// honest signatures gives strict's answers; the honest chunks that do not
/// hold `item` pass as batches. Returns how `item`'s answer was reached (the
/// same alone and mixed in).
fn agrees_alone_and_mixed_in(item: SignedItem<'_>, what: &str) -> Route {
    let strict = item.verify_strict();
    let alone = verify_many_with(&[item], &SMALL);
    assert_eq!(alone.valid, [strict], "{what} alone");
    let signed = honest(40);
    for at in [0, 21, 40] {
        let mut batch: Vec<SignedItem> =
            signed.iter().map(|(key, msg, sig)| SignedItem { key: key.public(), msg, signature: sig }).collect();
        batch.insert(at, item);
        let out = verify_many_with(&batch, &SMALL);
        let mut expected = vec![true; batch.len()];
        expected[at] = strict;
        assert_eq!(out.valid, expected, "{what} at {at}");
        assert_eq!(out.routes[at], alone.routes[0], "{what} at {at}");
        for (i, route) in out.routes.iter().enumerate() {
            if i / SMALL.chunk_size != at / SMALL.chunk_size {
                assert_eq!(*route, Route::Batch, "{what} at {at}: honest signature {i}");
            }
        }
    }
    alone.routes[0]
}

macro_rules! tests {
    ($(fn $name:ident() $body:block)*) => {
        $(
            #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
            #[cfg_attr(not(target_arch = "wasm32"), test)]
            fn $name() $body
        )*
    };
}

tests! {
    fn rfc8032_vectors_sign_and_verify() {
        for (secret, public, msg, sig) in RFC8032 {
            let seed: [u8; 32] = unhex(secret).try_into().unwrap();
            let key = SecretKey::from_seed(&seed);
            let msg = unhex(msg);
            assert_eq!(hex::encode(key.sign(&msg)), sig, "signing {public}");
            assert_eq!(verify_raw(&unhex(public), &msg, &unhex(sig)), Ok(()), "verifying {public}");
            let mut bad = unhex(sig);
            bad[10] ^= 1;
            assert!(verify_raw(&unhex(public), &msg, &bad).is_err());
        }
    }

    fn wycheproof_vectors_all_agree() {
        let suite: Suite = serde_json::from_str(WYCHEPROOF).unwrap();
        let mut cases = 0;
        let mut invalid = 0;
        for g in &suite.groups {
            let pk = unhex(&g.public_key.pk);
            for t in &g.tests {
                let accepted = verify_raw(&pk, &unhex(&t.msg), &unhex(&t.sig)).is_ok();
                let expected = t.result == "valid";
                assert_eq!(accepted, expected, "tcId {} ({}): expected {}", t.id, t.comment, t.result);
                cases += 1;
                invalid += usize::from(!expected);
            }
        }
        assert_eq!((cases, invalid), (151, 63));
    }

    fn wycheproof_vectors_verify_many_agrees_with_strict() {
        let suite: Suite = serde_json::from_str(WYCHEPROOF).unwrap();
        let vectors: Vec<(u32, Vector)> = suite
            .groups
            .iter()
            .flat_map(|g| g.tests.iter().map(move |t| (t.id, Vector::new(unhex(&g.public_key.pk), unhex(&t.msg), unhex(&t.sig)))))
            .collect();
        let mut batchable = Vec::new();
        for (id, v) in &vectors {
            match v.item() {
                Some(item) => {
                    assert_eq!(item.verify_strict(), v.strict(), "tcId {id}");
                    let route = agrees_alone_and_mixed_in(item, &format!("tcId {id}"));
                    if v.strict() {
                        assert_eq!(route, Route::Batch, "tcId {id}: a valid signature passes as a batch");
                    }
                    batchable.push(item);
                }
                None => assert!(!v.strict(), "tcId {id}: no key or no 64-byte signature, which strict rejects"),
            }
        }
        // All of them in one call, among honest signatures.
        let signed = honest(100);
        let mut all: Vec<SignedItem> =
            signed.iter().map(|(key, msg, sig)| SignedItem { key: key.public(), msg, signature: sig }).collect();
        for (k, item) in batchable.iter().enumerate() {
            all.insert((k * 2).min(all.len()), *item);
        }
        let strict: Vec<bool> = all.iter().map(SignedItem::verify_strict).collect();
        assert_eq!(verify_many_with(&all, &SMALL).valid, strict);
        assert_eq!(verify_many_with(&all, &BatchConfig::default()).valid, strict);
    }

    fn speccheck_cases_verify_many_agrees_with_strict() {
        let cases: Vec<SpeccheckCase> = serde_json::from_str(SPECCHECK).unwrap();
        assert_eq!(cases.len(), 12);
        let vectors: Vec<Vector> =
            cases.iter().map(|c| Vector::new(unhex(&c.pub_key), unhex(&c.message), unhex(&c.signature))).collect();
        // The speccheck results table: verify_strict accepts case 3 only.
        let strict: Vec<bool> = vectors.iter().map(Vector::strict).collect();
        assert_eq!(strict, (0..12).map(|i| i == 3).collect::<Vec<_>>());
        // Cases 0, 1, 10 and 11 have small-order keys, which `PublicKey` refuses.
        // Case 3 (mixed-order A and R whose torsion cancels) passes as a batch;
        // cases 4 and 5 (cofactored equation only) are caught by the torsion test.
        use Route::*;
        let routes = [None, None, Some(Precheck), Some(Batch), Some(TorsionFallback), Some(TorsionFallback)]
            .into_iter()
            .chain([Precheck; 4].map(Some))
            .chain([None, None]);
        for ((i, v), route) in vectors.iter().enumerate().zip(routes) {
            match v.item() {
                Some(item) => {
                    assert_eq!(item.verify_strict(), strict[i], "case {i}");
                    assert_eq!(Some(agrees_alone_and_mixed_in(item, &format!("speccheck case {i}"))), route, "case {i}");
                }
                None => {
                    assert!(!strict[i], "case {i} has a weak key, which strict rejects");
                    assert_eq!(route, None, "case {i}");
                }
            }
        }
    }
}
