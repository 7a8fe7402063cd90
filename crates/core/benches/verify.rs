//! Verification cost natively, on the same Lorestan demo publication that the
//! wasm bench (`tests/wasm_bench.rs`) verifies in headless Chromium.
//! `cargo xtask bench` prints the two side by side. Also strict Ed25519
//! verification one by one against `keys::batch::verify_many`.
//!
//! `parse_line/…` and `parse_file/…` split the cost of reading station results that is not
//! cryptography: splitting the file into lines, reading a line's envelope,
//! decoding its signature and parsing the signed result, for one typical line
//! and for the whole Lorestan results file.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use shafaf_core::format::{self, FileKind};
use shafaf_core::keys::batch::{verify_many_with, BatchConfig};
use shafaf_core::model::{ContestsDoc, Sha256Hex, StationResult, StationsDoc};
use shafaf_core::verify::{verify_publication, TrustAnchor};
use shafaf_core::{verify_many, PublicKey, SecretKey, SignedItem};

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

/// The Lorestan demo's file of `kind`: its path and bytes. The largest of
/// them: the setup release's results file is empty.
fn demo_file(demo: &shafaf_core::demo::Demo, kind: FileKind) -> (String, Vec<u8>) {
    let prefix = format!("files/{kind}-");
    let (path, bytes) =
        demo.publication.iter().filter(|(p, _)| p.starts_with(&prefix)).max_by_key(|(_, b)| b.len()).expect("the file");
    (path.to_owned(), bytes.to_vec())
}

fn parse(c: &mut Criterion) {
    let demo = demo::lorestan();
    let (file, bytes) = demo_file(&demo, FileKind::Results);
    let line = {
        let mut lines = format::result_lines(&file, &bytes).expect("the demo's results split into lines");
        lines.sort_by_key(|l| l.len());
        lines[lines.len() / 2].to_owned()
    };
    let lines = format::result_lines(&file, &bytes).expect("lines").len();
    println!("parse: {file}: {} bytes, {lines} lines; typical line {} bytes", bytes.len(), line.len());

    let mut group = c.benchmark_group("parse_line");
    group.throughput(Throughput::Bytes(line.len() as u64));
    let parsed = format::parse_result_line(&file, 1, &line).expect("the line parses");
    let result = parsed.result.get();
    group.bench_function("envelope", |b| b.iter(|| format::parse_result_line(&file, 1, std::hint::black_box(&line))));
    group.bench_function("signature_base64", |b| b.iter(|| std::hint::black_box(&parsed).signature_bytes()));
    group.bench_function("station_result", |b| {
        b.iter(|| format::parse_json_str::<StationResult>(&file, "line 1.result", std::hint::black_box(result)))
    });
    group.bench_function("all", |b| b.iter(|| old_line(&file, 1, std::hint::black_box(&line))));
    // The fast path: the envelope with the signature decoded (and, for a line
    // as devices write it, the result read ahead), then the result.
    group.bench_function("fast/line", |b| b.iter(|| format::parse_station_line(&file, 1, std::hint::black_box(&line))));
    group.bench_function("fast/station_result", |b| {
        b.iter(|| format::parse_station_result(&file, 1, std::hint::black_box(result)))
    });
    group.bench_function("fast/all", |b| b.iter(|| fast_line(&file, 1, std::hint::black_box(&line))));
    // A line not written the way devices write it takes serde's way.
    let spaced = line.replacen("\"result\":", "\"result\": ", 1);
    group.bench_function("fast/all_not_as_written", |b| b.iter(|| fast_line(&file, 1, std::hint::black_box(&spaced))));
    group.finish();

    let mut group = c.benchmark_group("parse_file");
    group.throughput(Throughput::Elements(lines as u64));
    group.sample_size(20);
    group.bench_function("split", |b| b.iter(|| format::result_lines(&file, std::hint::black_box(&bytes))));
    group.bench_function("all", |b| {
        b.iter(|| {
            let lines = format::result_lines(&file, std::hint::black_box(&bytes)).expect("lines");
            lines.iter().enumerate().map(|(i, l)| old_line(&file, i + 1, l)).filter(Result::is_ok).count()
        })
    });
    group.bench_function("fast/all", |b| {
        b.iter(|| {
            let lines = format::result_lines(&file, std::hint::black_box(&bytes)).expect("lines");
            lines.iter().enumerate().map(|(i, l)| fast_line(&file, i + 1, l)).filter(Result::is_ok).count()
        })
    });
    group.bench_function("sha256", |b| b.iter(|| Sha256Hex::of(std::hint::black_box(&bytes))));
    group.finish();

    // For scale, what else the verifier pays per station: the registry's
    // entry and device key, its share of the contests file, and the
    // signature itself.
    let (stations_file, stations_bytes) = demo_file(&demo, FileKind::Stations);
    let limit = FileKind::Stations.size_limit();
    let stations: StationsDoc =
        format::parse_json(&stations_file, &stations_bytes, limit).expect("the registry parses");
    let (contests_file, contests_bytes) = demo_file(&demo, FileKind::Contests);
    println!(
        "per_station: {} stations; {stations_file}: {} bytes; {contests_file}: {} bytes",
        stations.stations.len(),
        stations_bytes.len(),
        contests_bytes.len()
    );
    let mut group = c.benchmark_group("per_station");
    group.throughput(Throughput::Elements(stations.stations.len() as u64));
    group.sample_size(20);
    group.bench_function("stations_doc", |b| {
        b.iter(|| format::parse_json::<StationsDoc>(&stations_file, std::hint::black_box(&stations_bytes), limit))
    });
    group.bench_function("stations_doc_fast", |b| {
        b.iter(|| format::parse_json_fast::<StationsDoc>(&stations_file, std::hint::black_box(&stations_bytes), limit))
    });
    let contests_limit = FileKind::Contests.size_limit();
    group.bench_function("contests_doc", |b| {
        b.iter(|| {
            format::parse_json::<ContestsDoc>(&contests_file, std::hint::black_box(&contests_bytes), contests_limit)
        })
    });
    group.bench_function("contests_doc_fast", |b| {
        b.iter(|| {
            format::parse_json_fast::<ContestsDoc>(
                &contests_file,
                std::hint::black_box(&contests_bytes),
                contests_limit,
            )
        })
    });
    group.bench_function("device_keys", |b| {
        b.iter(|| stations.stations.iter().filter(|s| PublicKey::from_spki_base64(&s.device).is_ok()).count())
    });
    group.finish();
    let parsed = format::parse_station_line(&file, 1, &line).expect("the line parses");
    let device = stations.stations.iter().find(|s| demo_device_id(&s.device) == Some(parsed.key)).expect("its device");
    let key = PublicKey::from_spki_base64(&device.device).expect("a device key");
    let signature = parsed.signature.expect("a signature");
    c.bench_function("per_station/signature", |b| {
        b.iter(|| key.verify(std::hint::black_box(parsed.result.as_bytes()), &signature))
    });
}

fn demo_device_id(spki_base64: &str) -> Option<shafaf_core::KeyId> {
    PublicKey::from_spki_base64(spki_base64).ok().map(|k| k.id())
}

/// What `verify_line` does today besides the signature and the registry.
fn old_line(file: &str, line_no: usize, line: &str) -> Result<(Option<[u8; 64]>, StationResult), format::FormatError> {
    let parsed = format::parse_result_line(file, line_no, line)?;
    let sig = parsed.signature_bytes();
    let result = format::parse_json_str(file, &format!("line {line_no}.result"), parsed.result.get())?;
    Ok((sig, result))
}

/// The same through the fast path that `verify_line` can call instead.
fn fast_line(file: &str, line_no: usize, line: &str) -> Result<(Option<[u8; 64]>, StationResult), format::FormatError> {
    let parsed = format::parse_station_line(file, line_no, line)?;
    let signature = parsed.signature;
    let result = parsed.parse_result(file, line_no)?;
    Ok((signature, result))
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

criterion_group!(benches, verify, parse, batch);
criterion_main!(benches);
