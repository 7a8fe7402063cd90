//! Every input a fuzzer once crashed a parser with (`fuzz/regressions/<target>/`,
//! kept by `cargo xtask fuzz`) is refused cleanly now; and every target takes
//! empty and arbitrary bytes without panicking.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use shafaf_core::fuzzing::{run, TARGETS};

#[test]
fn every_kept_crash_input_is_refused_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    for target in TARGETS {
        let Ok(entries) = std::fs::read_dir(dir.join(target)) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            run(target, &std::fs::read(&path).unwrap());
        }
    }
}

#[test]
fn every_target_takes_junk() {
    let junk: [&[u8]; 6] = [b"", b"\0", b"{}", b"[1,2", "\u{feff}{\"type\":1}\n\n\u{2014} x y".as_bytes(), &[0xff; 40]];
    for target in TARGETS {
        for data in junk {
            run(target, data);
        }
    }
}
