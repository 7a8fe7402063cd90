//! The browser half of `cargo xtask bench`: the same measurements as
//! `benches/verify.rs`, in headless Chromium. It does nothing unless built
//! with `SHAFAF_BENCH=1` (a wasm test cannot read the environment at run
//! time), and prints `BENCH <criterion id> <ns per iteration>`.
#![cfg(target_arch = "wasm32")]

#[path = "common/demo.rs"]
mod demo;

use shafaf_core::verify::{verify_publication, TrustAnchor};
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
