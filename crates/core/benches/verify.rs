//! Verification cost natively, on the same Lorestan demo publication that the
//! wasm bench (`tests/wasm_bench.rs`) verifies in headless Chromium.
//! `cargo xtask bench` prints the two side by side. Also strict Ed25519
//! verification one by one against `keys::batch::verify_many`.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use shafaf_core::keys::batch::{verify_many_with, BatchConfig};
use shafaf_core::verify::{verify_publication, TrustAnchor};
use shafaf_core::{verify_many, SecretKey, SignedItem};

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

/// Station-like signatures: one key each, 600-byte messages.
fn honest(n: u32) -> Vec<(SecretKey, Vec<u8>, [u8; 64])> {
    (0..n)
        .map(|i| {
            let mut seed = [0x42; 32];
            seed[..4].copy_from_slice(&i.to_le_bytes());
            let key = SecretKey::from_seed(&seed);
            let mut msg = format!("{{\"type\":\"shafaf/station-result/v1\",\"station\":\"IR-15-S{i:05}\"").into_bytes();
            msg.resize(600, b' ');
            let sig = key.sign(&msg);
            (key, msg, sig)
        })
        .collect()
}

/// Times `f` over `n` signatures and reports the time per signature.
fn per_signature(b: &mut criterion::Bencher, n: usize, mut f: impl FnMut()) {
    b.iter_custom(|iters| {
        let start = Instant::now();
        for _ in 0..iters {
            f();
        }
        start.elapsed() / n as u32
    })
}

fn batch(c: &mut Criterion) {
    const N: usize = 2000;
    let signed = honest(N as u32);
    let items: Vec<SignedItem> =
        signed.iter().map(|(key, msg, sig)| SignedItem { key: key.public(), msg, signature: sig }).collect();
    assert!(verify_many(&items).iter().all(|&v| v));

    let mut group = c.benchmark_group("ed25519");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    group.bench_function("verify_strict_each", |b| {
        per_signature(b, N, || {
            for it in &items {
                std::hint::black_box(it.verify_strict());
            }
        })
    });
    group.bench_function("verify_many", |b| per_signature(b, N, || drop(std::hint::black_box(verify_many(&items)))));
    for chunk_size in [256, 512, 1024, 2048] {
        let config = BatchConfig { chunk_size, ..BatchConfig::default() };
        group.bench_function(format!("verify_many_chunk_{chunk_size}"), |b| {
            per_signature(b, N, || drop(std::hint::black_box(verify_many_with(&items, &config))))
        });
    }
    // ed25519-dalek's own batch (not exact: see `keys::batch`), for comparison.
    let keys: Vec<ed25519_dalek::VerifyingKey> =
        signed.iter().map(|(key, _, _)| ed25519_dalek::VerifyingKey::from_bytes(&raw_key(key)).unwrap()).collect();
    let msgs: Vec<&[u8]> = signed.iter().map(|(_, msg, _)| msg.as_slice()).collect();
    let sigs: Vec<ed25519_dalek::Signature> =
        signed.iter().map(|(_, _, sig)| ed25519_dalek::Signature::from_bytes(sig)).collect();
    group.bench_function("dalek_verify_batch", |b| {
        per_signature(b, N, || {
            for ((m, s), k) in msgs.chunks(1024).zip(sigs.chunks(1024)).zip(keys.chunks(1024)) {
                std::hint::black_box(ed25519_dalek::verify_batch(m, s, k)).unwrap();
            }
        })
    });
    group.finish();
}

/// The 32 key bytes: the last 32 of the SubjectPublicKeyInfo DER.
fn raw_key(key: &SecretKey) -> [u8; 32] {
    let pem = key.public().to_pem();
    let vk = <ed25519_dalek::VerifyingKey as ed25519_dalek::pkcs8::DecodePublicKey>::from_public_key_pem(&pem).unwrap();
    vk.to_bytes()
}

criterion_group!(benches, verify, batch);
criterion_main!(benches);
