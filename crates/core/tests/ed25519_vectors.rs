//! The signature check against published Ed25519 test vectors: RFC 8032 §7.1
//! and Project Wycheproof's EdDSA set (non-canonical encodings, small-order
//! points, malleated signatures). Runs natively and in headless Chromium.

use serde::Deserialize;
use shafaf_core::keys::{verify_raw, SecretKey};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

// Read from ../shared at compile time: the vectors are not copied into the repository.
const WYCHEPROOF: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/wycheproof-ed25519_test.json"));

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
struct Case {
    #[serde(rename = "tcId")]
    id: u32,
    comment: String,
    msg: String,
    sig: String,
    result: String,
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
}
