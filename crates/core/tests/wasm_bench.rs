//! The browser half of `cargo xtask bench`: the same measurements as
//! `benches/verify.rs`, in headless Chromium. It does nothing unless built
//! with `SHAFAF_BENCH=1` (a wasm test cannot read the environment at run
//! time), and prints `BENCH <criterion id> <ns per iteration>`.
#![cfg(target_arch = "wasm32")]

#[path = "common/demo.rs"]
mod demo;

use shafaf_core::verify::{verify_publication, TrustAnchor};
use shafaf_core::{verify_many, SecretKey, SignedItem};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
fn bench_verify() {
    if option_env!("SHAFAF_BENCH").is_none() {
        return;
    }
    let demo = demo::lorestan();
    let anchor = TrustAnchor::pinned(demo.root_sha256);
    let now = shafaf_core::demo::RELEASE_ISSUED;
    let stations = verify_publication(&demo.publication, &anchor, now).expect("verifies").audit.stations_registered;
    let runs = 3;
    let start = now_ms();
    for _ in 0..runs {
        let _ = verify_publication(&demo.publication, &anchor, now);
    }
    let per_station_ns = (now_ms() - start) * 1e6 / f64::from(runs) / stations as f64;
    console_log!("BENCH verify/per_station {per_station_ns:.0}");

    let key = shafaf_core::SecretKey::from_seed(&[7; 32]);
    let msg = vec![0x5a; 600];
    let sig = key.sign(&msg);
    let iters = 2000;
    let start = now_ms();
    for _ in 0..iters {
        let _ = key.public().verify(&msg, &sig);
    }
    console_log!("BENCH ed25519/verify_strict {:.0}", (now_ms() - start) * 1e6 / f64::from(iters));
}

/// Strict verification one by one against `verify_many`, per signature, on
/// 2,000 station-like signatures (as `benches/verify.rs` natively).
#[wasm_bindgen_test]
fn bench_verify_many() {
    if option_env!("SHAFAF_BENCH").is_none() {
        return;
    }
    let n = 2000u32;
    let signed: Vec<(SecretKey, Vec<u8>, [u8; 64])> = (0..n)
        .map(|i| {
            let mut seed = [0x42; 32];
            seed[..4].copy_from_slice(&i.to_le_bytes());
            let key = SecretKey::from_seed(&seed);
            let mut msg = format!("{{\"type\":\"shafaf/station-result/v1\",\"station\":\"IR-15-S{i:05}\"").into_bytes();
            msg.resize(600, b' ');
            let sig = key.sign(&msg);
            (key, msg, sig)
        })
        .collect();
    let items: Vec<SignedItem> =
        signed.iter().map(|(key, msg, sig)| SignedItem { key: key.public(), msg, signature: sig }).collect();
    let start = now_ms();
    assert!(items.iter().all(SignedItem::verify_strict));
    console_log!("BENCH ed25519/verify_strict_each {:.0}", (now_ms() - start) * 1e6 / f64::from(n));
    let runs = 3;
    let start = now_ms();
    for _ in 0..runs {
        assert!(verify_many(&items).iter().all(|&v| v));
    }
    console_log!("BENCH ed25519/verify_many {:.0}", (now_ms() - start) * 1e6 / f64::from(runs * n));

    // ed25519-dalek's own batch (not exact: see `keys::batch`), for comparison.
    use ed25519_dalek::pkcs8::DecodePublicKey as _;
    let keys: Vec<ed25519_dalek::VerifyingKey> = signed
        .iter()
        .map(|(key, _, _)| ed25519_dalek::VerifyingKey::from_public_key_pem(&key.public().to_pem()).unwrap())
        .collect();
    let msgs: Vec<&[u8]> = signed.iter().map(|(_, msg, _)| msg.as_slice()).collect();
    let sigs: Vec<ed25519_dalek::Signature> =
        signed.iter().map(|(_, _, sig)| ed25519_dalek::Signature::from_bytes(sig)).collect();
    let start = now_ms();
    for _ in 0..runs {
        for ((m, s), k) in msgs.chunks(1024).zip(sigs.chunks(1024)).zip(keys.chunks(1024)) {
            ed25519_dalek::verify_batch(m, s, k).unwrap();
        }
    }
    console_log!("BENCH ed25519/dalek_verify_batch {:.0}", (now_ms() - start) * 1e6 / f64::from(runs * n));
}

/// The Lorestan demo verifies in the browser with the same result as natively.
#[wasm_bindgen_test]
fn lorestan_demo_verifies_in_the_browser() {
    let demo = demo::lorestan();
    let v = verify_publication(
        &demo.publication,
        &TrustAnchor::pinned(demo.root_sha256),
        shafaf_core::demo::RELEASE_ISSUED,
    )
    .expect("verifies");
    assert_eq!(v.status(), shafaf_core::verify::Status::Verified);
    assert!(v.audit.station_signatures_verified > 1000);
}
