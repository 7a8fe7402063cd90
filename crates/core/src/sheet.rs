//! The station sheet: what a station's device prints and posts at the door
//! when the polls close, and how a reader checks it against the publication.
//!
//! The sheet carries, in QR codes, the station's results line exactly as the
//! device wrote it (`{"signature":…,"key":…,"result":{…}}`, the line the
//! results file will hold): the signed bytes, the signature and the device's
//! key id, so that the signature can be checked from the paper alone. The
//! line is compressed (DEFLATE, RFC 1951), written in base45 (RFC 9285: QR
//! alphanumeric characters only, the densest mode a phone reads reliably
//! from a thermal print) and cut into parts of at most [`PART_LIMIT`]
//! characters, each `SHAFAF1:<i>:<n>:<chain>:<data>`, where `chain` is the
//! first 8 bytes, in upper-case hex, of a SHA-256 chained through the
//! parts' data (`c₀ = SHA-256("SHAFAF1")`, `cᵢ = SHA-256(cᵢ₋₁ ‖ dataᵢ)`): a
//! reader knows which parts belong together, which are missing, and that
//! none was swapped for another sheet's. See `docs/FORMAT.md`, "The
//! station sheet".

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::format::{parse_result_line, parse_station_result};
use crate::keys::{KeyId, PublicKey};
use crate::model::{Station, StationResult};

/// What every part begins with: the format and its version.
pub const PREFIX: &str = "SHAFAF1";
/// The most characters in one part's QR code, header included: what a phone
/// reads reliably from a thermal print (TSE's boletim de urna keeps to 1,100).
pub const PART_LIMIT: usize = 1100;
/// At most this many parts, and this many bytes once inflated: a sheet is
/// one station's result, never more.
pub const MAX_PARTS: usize = 64;
pub const MAX_LINE: usize = 256 * 1024;

/// Why the parts read are not a sheet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("no part of a Shafaf station sheet was read")]
    Empty,
    #[error("a QR code that is not part of a Shafaf station sheet: {0}")]
    NotAPart(String),
    #[error("parts of different sheets: one says {0} parts, another {1}")]
    MixedCounts(usize, usize),
    #[error("part {0} was read twice with different contents")]
    Conflict(usize),
    #[error("parts missing: {0:?} of {1}")]
    Missing(Vec<usize>, usize),
    #[error("part {0} does not follow the parts before it (its chain hash differs): it belongs to another sheet or was altered")]
    BrokenChain(usize),
    #[error("the data is not valid base45")]
    Base45,
    #[error("the data does not inflate to a results line of at most {MAX_LINE} bytes")]
    Inflate,
    #[error("the sheet's line is not a results line: {0}")]
    NotALine(String),
}

/// The QR code texts of a results line, in order.
pub fn encode(line: &str) -> Vec<String> {
    let compressed = miniz_oxide::deflate::compress_to_vec(line.as_bytes(), 10);
    let data = base45::encode(&compressed);
    // A header is at most `SHAFAF1:64:64:<16 hex>:`.
    let room = PART_LIMIT - (PREFIX.len() + 1 + 2 + 1 + 2 + 1 + 16 + 1);
    let chunks: Vec<&str> = data.as_bytes().chunks(room).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
    let n = chunks.len().max(1);
    let mut chain = start();
    let mut parts = Vec::with_capacity(n);
    for (i, chunk) in chunks.iter().enumerate() {
        chain = next(&chain, chunk);
        parts.push(format!("{PREFIX}:{}:{n}:{}:{chunk}", i + 1, hex::encode_upper(&chain[..8])));
    }
    parts
}

fn start() -> [u8; 32] {
    Sha256::digest(PREFIX.as_bytes()).into()
}

fn next(chain: &[u8; 32], data: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(chain);
    h.update(data.as_bytes());
    h.finalize().into()
}

/// The results line a sheet's parts carry, read in any order (a part read
/// twice is fine; a QR code of something else is not).
pub fn decode<S: AsRef<str>>(texts: &[S]) -> Result<String, SheetError> {
    let mut count: Option<usize> = None;
    let mut parts: Vec<Option<(String, String)>> = Vec::new();
    for text in texts {
        let text = text.as_ref().trim();
        let not_a_part = || SheetError::NotAPart(text.chars().take(40).collect());
        let mut fields = text.splitn(5, ':');
        let (Some(prefix), Some(i), Some(n), Some(chain), Some(data)) =
            (fields.next(), fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(not_a_part());
        };
        let (Ok(i), Ok(n)) = (i.parse::<usize>(), n.parse::<usize>()) else { return Err(not_a_part()) };
        if prefix != PREFIX || n == 0 || n > MAX_PARTS || i == 0 || i > n || chain.len() != 16 {
            return Err(not_a_part());
        }
        match count {
            Some(c) if c != n => return Err(SheetError::MixedCounts(c, n)),
            Some(_) => {}
            None => {
                count = Some(n);
                parts = vec![None; n];
            }
        }
        let part = (chain.to_owned(), data.to_owned());
        match &parts[i - 1] {
            Some(seen) if *seen != part => return Err(SheetError::Conflict(i)),
            _ => parts[i - 1] = Some(part),
        }
    }
    let n = count.ok_or(SheetError::Empty)?;
    let missing: Vec<usize> = (1..=n).filter(|i| parts[i - 1].is_none()).collect();
    if !missing.is_empty() {
        return Err(SheetError::Missing(missing, n));
    }
    let mut chain = start();
    let mut data = String::new();
    for (i, (stated, chunk)) in parts.into_iter().flatten().enumerate() {
        chain = next(&chain, &chunk);
        if !stated.eq_ignore_ascii_case(&hex::encode_upper(&chain[..8])) {
            return Err(SheetError::BrokenChain(i + 1));
        }
        data.push_str(&chunk);
    }
    let compressed = base45::decode(&data).map_err(|_| SheetError::Base45)?;
    let line =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_LINE).map_err(|_| SheetError::Inflate)?;
    String::from_utf8(line).map_err(|_| SheetError::Inflate)
}

/// A sheet read: its line, and what the line says (not yet verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadSheet {
    pub line: String,
    pub key: KeyId,
    pub result: StationResult,
    signature: Option<[u8; 64]>,
    /// The exact signed bytes, a slice of `line`.
    signed: std::ops::Range<usize>,
}

impl ReadSheet {
    /// The exact bytes the device signed.
    pub fn signed_bytes(&self) -> &str {
        &self.line[self.signed.clone()]
    }
}

/// Decodes the parts and reads the line: the station, the device key id,
/// the result. Nothing in it is trusted until [`check`].
pub fn read<S: AsRef<str>>(texts: &[S]) -> Result<ReadSheet, SheetError> {
    let line = decode(texts)?;
    let parsed = parse_result_line("sheet", 1, &line).map_err(|e| SheetError::NotALine(e.to_string()))?;
    let signed = parsed.result.get();
    let start = signed.as_ptr() as usize - line.as_ptr() as usize;
    let signed = start..start + signed.len();
    let (key, signature) = (parsed.key, parsed.signature_bytes());
    let result =
        parse_station_result("sheet", 1, &line[signed.clone()]).map_err(|e| SheetError::NotALine(e.to_string()))?;
    Ok(ReadSheet { line, key, result, signature, signed })
}

/// One figure the sheet and the publication give differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// `ballots_cast`, `valid`, `invalid`, or a candidate id.
    pub field: String,
    pub sheet: u64,
    pub published: Option<u64>,
}

/// What a sheet says against the publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum SheetVerdict {
    /// The published result is the sheet's, byte for byte.
    Matches { station: String, release: u64 },
    /// The device signed the sheet, and the publication shows another result.
    Differs { station: String, release: u64, differences: Vec<Difference> },
    /// The station has no result in the publication yet.
    Unpublished { station: String, release: u64 },
    /// Release `printed_in` published the sheet's result; release
    /// `corrected_in` replaced it with the one shown now.
    Corrected { station: String, printed_in: u64, corrected_in: u64, differences: Vec<Difference> },
    /// Not signed by the device the setup committed for this station.
    WrongDevice { station: String, key: KeyId, committed: Option<KeyId> },
    /// Not a sheet, or not one whose signature verifies.
    Invalid { reason: String },
}

impl SheetVerdict {
    /// The word tests and monitors read (`data-verdict`).
    pub fn word(&self) -> &'static str {
        match self {
            SheetVerdict::Matches { .. } => "matches",
            SheetVerdict::Differs { .. } => "differs",
            SheetVerdict::Unpublished { .. } => "unpublished",
            SheetVerdict::Corrected { .. } => "corrected",
            SheetVerdict::WrongDevice { .. } => "wrong-device",
            SheetVerdict::Invalid { .. } => "invalid",
        }
    }
}

/// Checks a sheet: its signature against the device key the setup release
/// committed for its station (`committed`, from the station's province's
/// setup registry; `None` if the station is not in it), then its result
/// against the station's line in every release of the log, oldest first
/// (`history`: the release's version and the station's line in it, if any;
/// the last is the current release).
pub fn check(sheet: &ReadSheet, committed: Option<&Station>, history: &[(u64, Option<&str>)]) -> SheetVerdict {
    let station = sheet.result.station.to_string();
    let committed_key = committed.and_then(|s| PublicKey::from_spki_base64(&s.device).ok());
    let Some(device) = committed_key.as_ref().filter(|k| k.id() == sheet.key) else {
        return SheetVerdict::WrongDevice { station, key: sheet.key, committed: committed_key.map(|k| k.id()) };
    };
    let verified = sheet.signature.is_some_and(|sig| device.verify(sheet.signed_bytes().as_bytes(), &sig).is_ok());
    if !verified {
        return SheetVerdict::Invalid {
            reason: format!(
                "the signature of station `{station}`'s device (key {}) does not verify over the sheet's result: \
                 the sheet was altered",
                sheet.key
            ),
        };
    }
    let signed_in = |line: &str| {
        parse_result_line("published", 1, line).ok().map(|l| l.result.get() == sheet.signed_bytes()).unwrap_or(false)
    };
    let Some(&(current, shown)) = history.last() else {
        return SheetVerdict::Unpublished { station, release: 0 };
    };
    if shown.is_some_and(signed_in) {
        return SheetVerdict::Matches { station, release: current };
    }
    let differences = shown.map(|line| differences(&sheet.result, line)).unwrap_or_default();
    if let Some(printed) = history.iter().position(|(_, line)| line.is_some_and(signed_in)) {
        let corrected_in =
            history[printed + 1..].iter().find(|(_, line)| !line.is_some_and(signed_in)).map_or(current, |(v, _)| *v);
        return SheetVerdict::Corrected { station, printed_in: history[printed].0, corrected_in, differences };
    }
    match shown {
        None => SheetVerdict::Unpublished { station, release: current },
        Some(_) => SheetVerdict::Differs { station, release: current, differences },
    }
}

/// Every figure of the published line's result that is not the sheet's.
fn differences(sheet: &StationResult, line: &str) -> Vec<Difference> {
    let published = parse_result_line("published", 1, line)
        .ok()
        .and_then(|l| parse_station_result("published", 1, l.result.get()).ok());
    let Some(p) = published else {
        return vec![Difference { field: "result".into(), sheet: 0, published: None }];
    };
    let mut out = Vec::new();
    for (field, a, b) in [
        ("ballots_cast", sheet.ballots_cast, p.ballots_cast),
        ("valid", sheet.valid, p.valid),
        ("invalid", sheet.invalid, p.invalid),
    ] {
        if a != b {
            out.push(Difference { field: field.into(), sheet: a, published: Some(b) });
        }
    }
    for v in &sheet.votes {
        let other = p.votes.iter().find(|w| w.candidate == v.candidate).map(|w| w.votes);
        if other != Some(v.votes) {
            out.push(Difference { field: v.candidate.to_string(), sheet: v.votes, published: other });
        }
    }
    out
}

/// Whether a results line is `station`'s (read before its signature is checked).
pub fn names_station(line: &str, station: &str) -> bool {
    line.contains(&format!("\"station\":\"{station}\""))
}

/// The station's line in a results file's text, if it has one.
pub fn station_line<'a>(results: &'a str, station: &str) -> Option<&'a str> {
    results.lines().find(|l| names_station(l, station))
}

/// The station's line in every release of a publication's log, oldest
/// first, as [`check`] takes it. For a publication that verified: the
/// files are read as the archived releases list them.
pub fn station_history(publication: &crate::Publication, station: &str) -> Vec<(u64, Option<String>)> {
    use crate::model::{FileKind, ReleaseDoc};
    let size = publication
        .get(crate::format::RELEASE)
        .and_then(crate::format::json_or_none::<ReleaseDoc>)
        .map_or(0, |r| r.version);
    (1..=size)
        .map(|version| {
            let release =
                publication.get(&crate::log::release_path(version)).and_then(crate::format::json_or_none::<ReleaseDoc>);
            let line = release.and_then(|r| {
                r.files.iter().filter(|f| f.kind == FileKind::Results).find_map(|f| {
                    let text = std::str::from_utf8(publication.get(&f.path)?).ok()?;
                    station_line(text, station).map(str::to_owned)
                })
            });
            (version, line)
        })
        .collect()
}

/// A station's entry in the registry the setup release (release 1) committed.
pub fn committed_station(publication: &crate::Publication, station: &str) -> Option<Station> {
    use crate::model::{FileKind, ReleaseDoc, StationsDoc};
    let setup: ReleaseDoc = crate::format::json_or_none(publication.get(&crate::log::release_path(1))?)?;
    setup.files.iter().filter(|f| f.kind == FileKind::Stations).find_map(|f| {
        let doc: StationsDoc = crate::format::json_or_none(publication.get(&f.path)?)?;
        doc.stations.into_iter().find(|s| s.id.as_str() == station)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CandidateVotes, Id, StationResultType};
    use crate::publish::sign_result;
    use crate::SecretKey;

    fn result(candidates: usize) -> StationResult {
        let id = |s: String| Id::new(s).unwrap();
        StationResult {
            doc_type: StationResultType::V1,
            election: id("ir-council-7".into()),
            station: id("IR-23-S01234".into()),
            contest: id("IR-23-2301-C01".into()),
            opened: time::macros::datetime!(2026-06-19 08:00 +03:30),
            closed: time::macros::datetime!(2026-06-19 22:00 +03:30),
            ballots_cast: 2400,
            valid: 2300,
            invalid: 100,
            votes: (0..candidates)
                .map(|i| CandidateVotes {
                    candidate: id(format!("IR-23-2301-C01-K{i:03}")),
                    votes: (i as u64 * 7919 + 13) % 2300,
                })
                .collect(),
        }
    }

    #[test]
    fn a_line_round_trips_through_its_parts_in_any_order() {
        let key = SecretKey::from_seed(&[7; 32]);
        let line = sign_result(&result(12), &key).unwrap();
        let mut parts = encode(&line);
        assert!(parts.iter().all(|p| p.len() <= PART_LIMIT && p.starts_with("SHAFAF1:")));
        parts.reverse();
        parts.push(parts[0].clone());
        assert_eq!(decode(&parts).unwrap(), line);
        let read = read(&parts).unwrap();
        assert_eq!(read.key, key.public().id());
        assert_eq!(read.result, result(12));
    }

    #[test]
    fn a_21_seat_council_with_300_candidates_fits_in_a_few_parts() {
        let line = sign_result(&result(300), &SecretKey::from_seed(&[9; 32])).unwrap();
        let parts = encode(&line);
        assert!((2..=10).contains(&parts.len()), "{} parts for {} bytes", parts.len(), line.len());
        // Only QR alphanumeric characters: the dense mode.
        let alnum = |c: char| c.is_ascii_digit() || c.is_ascii_uppercase() || " $%*+-./:".contains(c);
        assert!(parts.iter().all(|p| p.chars().all(alnum)));
        assert_eq!(decode(&parts).unwrap(), line);
    }

    #[test]
    fn missing_mixed_or_altered_parts_are_named() {
        let a = encode(&sign_result(&result(300), &SecretKey::from_seed(&[1; 32])).unwrap());
        let b = encode(&sign_result(&result(299), &SecretKey::from_seed(&[2; 32])).unwrap());
        assert!(matches!(decode(&a[1..]), Err(SheetError::Missing(m, _)) if m == vec![1]));
        let mut swapped = a.clone();
        swapped[1] = b[1].clone();
        assert!(matches!(
            decode(&swapped),
            Err(SheetError::BrokenChain(2) | SheetError::MixedCounts(..) | SheetError::Conflict(_))
        ));
        let mut altered = a.clone();
        // One character of the data changed: the chain breaks (or base45 or inflate fails).
        let at = altered[0].len() - 5;
        let swapped = if &altered[0][at..=at] == "A" { "B" } else { "A" };
        altered[0].replace_range(at..=at, swapped);
        assert!(decode(&altered).is_err());
        assert!(matches!(decode(&["https://example.org"]), Err(SheetError::NotAPart(_))));
        assert_eq!(decode::<&str>(&[]), Err(SheetError::Empty));
    }
}
