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
