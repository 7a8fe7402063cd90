//! Verification cost natively, on the same Lorestan demo publication that the
//! wasm bench (`tests/wasm_bench.rs`) verifies in headless Chromium.
//! `cargo xtask bench` prints the two side by side.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use shafaf_core::verify::{verify_publication, TrustAnchor};

#[path = "../tests/common/demo.rs"]
mod demo;

fn verify(c: &mut Criterion) {
    let demo = demo::lorestan();
    let anchor = TrustAnchor::pinned(demo.root_sha256);
    let now = shafaf_core::demo::RELEASE_ISSUED;
    let stations =
        verify_publication(&demo.publication, &anchor, now).expect("the demo verifies").audit.stations_registered;

    let mut group = c.benchmark_group("verify");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    // Reported per station: the whole publication's verification divided by its stations.
    group.bench_function("per_station", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                let _ = std::hint::black_box(verify_publication(&demo.publication, &anchor, now));
            }
            start.elapsed() / stations as u32
        })
    });
    group.finish();

    let key = shafaf_core::SecretKey::from_seed(&[7; 32]);
    let msg = vec![0x5a; 600];
    let sig = key.sign(&msg);
    c.bench_function("ed25519/verify_strict", |b| b.iter(|| key.public().verify(std::hint::black_box(&msg), &sig)));
}

criterion_group!(benches, verify);
criterion_main!(benches);
