//! One entry per parser of untrusted bytes, shared by the cargo-fuzz targets
//! (`cargo xtask fuzz`, `fuzz/`) and the regression test that replays every
//! input a fuzzer once crashed on (`fuzz/regressions/<target>/`). A parser
//! may refuse its input; it must never panic, hang or allocate without bound.
//! Where two parsers read the same bytes (the fast JSON path and the one that
//! names fields) they must also agree on whether the input is good.

use serde::de::DeserializeOwned;

use crate::format;
use crate::log::{self, note, ProofKind};
use crate::model::{ContestsDoc, ElectionDoc, LatestDoc, ReleaseDoc, RootDoc, StationsDoc, SummaryDoc};

/// Every target, by name.
pub const TARGETS: &[&str] = &[
    "sigs",
    "root",
    "release",
    "pointer",
    "checkpoint",
    "proof",
    "results",
    "contests",
    "stations",
    "election",
    "summary",
    "geojson",
    "config",
    "source",
    "sheet",
    "evidence",
];

/// Large enough for any seed, small enough that a fuzzer's inputs all fit.
const LIMIT: u64 = 1 << 24;

/// Runs `target`'s parser on `data`; panics only where a parser broke its
/// contract (which is what a fuzzer reports).
pub fn run(target: &str, data: &[u8]) {
    match target {
        "sigs" => drop(format::parse_signatures("x.sigs", data)),
        "root" => both::<RootDoc>(data),
        "release" => both::<ReleaseDoc>(data),
        "pointer" => both::<LatestDoc>(data),
        "checkpoint" => {
            if let Ok(signed) = note::SignedNote::parse("checkpoint", data) {
                drop(note::Checkpoint::parse_body("checkpoint", &signed.text));
            }
        }
        "proof" => {
            // The first 17 bytes choose the kind and the two sizes, the rest is the file.
            if data.len() < 17 {
                return;
            }
            let kind = if data[0] & 1 == 0 { ProofKind::Inclusion } else { ProofKind::Consistency };
            let a = u64::from_le_bytes(data[1..9].try_into().unwrap_or_default());
            let b = u64::from_le_bytes(data[9..17].try_into().unwrap_or_default());
            drop(log::parse_proof("proof", &data[17..], kind, a, b));
        }
        "results" => {
            if let Ok(lines) = format::result_lines("results.jsonl", data) {
                for (i, line) in lines.into_iter().enumerate() {
                    if let Ok(parsed) = format::parse_station_line("results.jsonl", i + 1, line) {
                        drop(parsed.parse_result("results.jsonl", i + 1));
                    }
                }
            }
        }
        "contests" => both::<ContestsDoc>(data),
        "stations" => both::<StationsDoc>(data),
        "election" => both::<ElectionDoc>(data),
        "summary" => both::<SummaryDoc>(data),
        "geojson" => {
            drop(crate::map::province_map("provinces.geojson", data));
            drop(crate::map::county_map("counties.geojson", data, "IR-15"));
        }
        // The app's own configuration, and the source a reader saved.
        "config" => drop(crate::app_config::parse_config(data)),
        "source" => drop(std::str::from_utf8(data).ok().and_then(crate::app_config::SavedSource::parse)),
        // A station sheet's QR texts, one per line, as a camera reads them.
        "sheet" => {
            let text = String::from_utf8_lossy(data);
            let parts: Vec<String> = text.lines().map(str::to_owned).collect();
            if let Ok(read) = crate::sheet::read(&parts) {
                drop(crate::sheet::check(&read, None, &[]));
            }
        }
        // An evidence file a reader uploads.
        "evidence" => {
            let anchor = crate::verify::TrustAnchor::unpinned();
            drop(crate::evidence::verify(data, &anchor, time::OffsetDateTime::UNIX_EPOCH));
        }
        other => panic!("no fuzz target `{other}`"),
    }
}

/// Both JSON paths: they must agree on whether the document is good.
fn both<T: DeserializeOwned + PartialEq + std::fmt::Debug>(data: &[u8]) {
    let strict = format::parse_json::<T>("doc.json", data, LIMIT);
    let fast = format::parse_json_fast::<T>("doc.json", data, LIMIT);
    match (strict, fast) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "the two JSON paths read different documents"),
        (Err(_), Err(_)) => {}
        (a, b) => panic!("the two JSON paths disagree: {:?} / {:?}", a.is_ok(), b.is_ok()),
    }
}
