//! Reading and writing the publication's files: strict JSON, signature lists,
//! the station-results JSON Lines, and the names files are published under.
//!
//! Signatures are always over the exact bytes of a file (or, for a station
//! result, of the `result` value exactly as it stands in its line): nothing is
//! re-serialised before it is checked, and nothing is parsed as trusted before
//! its signature or hash has verified.

use std::collections::BTreeMap;
use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::keys::{base64_decode, base64_encode, KeyId};
pub use crate::model::FileKind;
use crate::model::{Sha256Hex, StationResult};

/// The trust root.
pub const ROOT: &str = "root.json";
/// Signatures over `root.json` by the root role.
pub const ROOT_SIGS: &str = "root.json.sigs";
/// The current release manifest.
pub const RELEASE: &str = "release.json";
/// Signatures over `release.json` by the publisher role.
pub const RELEASE_SIGS: &str = "release.json.sigs";

/// The release log's signed checkpoint as of the current release (a signed
/// note; see [`crate::log`]).
pub const CHECKPOINT: &str = "checkpoint";
/// The short-lived signed pointer to the latest release.
pub const LATEST: &str = "latest.json";
/// Signatures over `latest.json` by the timestamp role (or the publisher
/// role, when the root has no timestamp role).
pub const LATEST_SIGS: &str = "latest.json.sigs";
/// The largest `latest.json` a verifier reads.
pub const LATEST_LIMIT: u64 = 16 * 1024;

/// Size limits for the files that are not listed in a release.
pub const ROOT_LIMIT: u64 = 256 * 1024;
pub const RELEASE_LIMIT: u64 = 8 * 1024 * 1024;
pub const SIGS_LIMIT: u64 = 64 * 1024;
/// At most this many signatures in one `.sigs` file.
pub const MAX_SIGNATURES: usize = 256;

/// A file that is not what its format says: names the file, the field (a
/// path like `contests[3].candidates[0].name.fa`, or a line number) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct FormatError {
    pub file: String,
    pub field: String,
    pub message: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() || self.field == "." {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: field `{}`: {}", self.file, self.field, self.message)
        }
    }
}

impl FormatError {
    pub fn new(file: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { file: file.to_owned(), field: field.into(), message: message.into() }
    }
}

/// A publication as fetched: relative path → bytes. The verifier reads from
/// this and nothing else, so the browser, the CLI and tests all feed it the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Publication {
    files: BTreeMap<String, Vec<u8>>,
}

impl Publication {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, path: impl Into<String>, bytes: Vec<u8>) {
        self.files.insert(path.into(), bytes);
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    pub fn get_mut(&mut self, path: &str) -> Option<&mut Vec<u8>> {
        self.files.get_mut(path)
    }

    pub fn remove(&mut self, path: &str) -> Option<Vec<u8>> {
        self.files.remove(path)
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Parses one JSON document strictly: the whole input, nothing after it,
/// within `limit` bytes, in UTF-8. Errors name the file and the field.
///
/// Every document is read as a `str` (checked as UTF-8 first), never as
/// bytes: each `Deserialize` impl is then compiled once, for serde_json's
/// `str` reader, rather than once per reader, which the browser's download
/// would carry twice.
pub fn parse_json<T: DeserializeOwned>(file: &str, bytes: &[u8], limit: u64) -> Result<T, FormatError> {
    check_size(file, bytes, limit)?;
    let mut de = serde_json::Deserializer::from_str(text(file, bytes)?);
    let value = deserialize_naming(&mut de)
        .map_err(|(path, e)| FormatError::new(file, path.unwrap_or_default(), clean_serde_message(&e)))?;
    de.end().map_err(|e| FormatError::new(file, "", clean_serde_message(&e)))?;
    Ok(value)
}

/// What [`parse_json`] returns, value or error, for less: the document is
/// first read by the same `Deserialize` impls without tracking the field
/// path, which costs an allocation per key, and as one `str`, so that its
/// strings need no UTF-8 check of their own. Only a document that fails is
/// read again by [`parse_json`], the definition, to name the field.
pub fn parse_json_fast<T: DeserializeOwned>(file: &str, bytes: &[u8], limit: u64) -> Result<T, FormatError> {
    check_size(file, bytes, limit)?;
    match std::str::from_utf8(bytes).ok().and_then(|text| serde_json::from_str(text).ok()) {
        Some(value) => Ok(value),
        None => parse_json(file, bytes, limit),
    }
}

/// A document read for a value it holds, `None` when it is not one: for
/// looking something up in files already checked, never for a check.
pub fn json_or_none<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    serde_json::from_str(std::str::from_utf8(bytes).ok()?).ok()
}

/// Parses a JSON value borrowed from a larger file (a station result inside a
/// results line); the field path is prefixed with `prefix`.
pub fn parse_json_str<T: DeserializeOwned>(file: &str, prefix: &str, json: &str) -> Result<T, FormatError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = deserialize_naming(&mut de)
        .map_err(|(path, e)| FormatError::new(file, within(prefix, path), clean_serde_message(&e)))?;
    de.end().map_err(|e| FormatError::new(file, prefix, clean_serde_message(&e)))?;
    Ok(value)
}

/// Deserializes a `T`; an error comes with the path of the field it is in
/// (`a.b[2]`, `None` at the top), where the `field-paths` feature is on.
///
/// The path is worth its code in the CLI, which an observer runs on a
/// publication that fails; the browser builds go without it (it roughly
/// doubles the code of every `Deserialize` it reads through), and their
/// errors place the fault by serde_json's line and column alone. Either way
/// the error is the same error, with the same verdict.
#[cfg(feature = "field-paths")]
fn deserialize_naming<'de, T: Deserialize<'de>, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
) -> Result<T, (Option<String>, serde_json::Error)> {
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        ((path != ".").then_some(path), e.into_inner())
    })
}

#[cfg(not(feature = "field-paths"))]
fn deserialize_naming<'de, T: Deserialize<'de>, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
) -> Result<T, (Option<String>, serde_json::Error)> {
    T::deserialize(de).map_err(|e| (None, e))
}

/// The field at `path` inside the value named `prefix`.
fn within(prefix: &str, path: Option<String>) -> String {
    match path {
        Some(path) => format!("{prefix}.{path}"),
        None => prefix.to_owned(),
    }
}

/// `bytes` as text, which every file of a publication is.
fn text<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, FormatError> {
    std::str::from_utf8(bytes).map_err(|_| FormatError::new(file, "", "not UTF-8 text"))
}

pub fn check_size(file: &str, bytes: &[u8], limit: u64) -> Result<(), FormatError> {
    if bytes.len() as u64 > limit {
        return Err(FormatError::new(
            file,
            "",
            format!("file is {} bytes, larger than the {} bytes allowed for it", bytes.len(), limit),
        ));
    }
    Ok(())
}

// serde_json appends " at line L column C"; keep it, it helps find the spot,
// but say "JSON" for syntax errors so a person knows what kind of problem it is.
fn clean_serde_message(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof => format!("not valid JSON: {e}"),
        Category::Data | Category::Io => e.to_string(),
    }
}

/// Serialises a document the way Shafaf writes it: compact JSON, one final newline.
pub fn to_json_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = serde_json::to_vec(value)?;
    out.push(b'\n');
    Ok(out)
}

/// One line of a `.sigs` file: `<key id hex> <base64 signature>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureLine {
    pub key: KeyId,
    pub signature: [u8; 64],
}

/// Reads a `.sigs` file: one `<key id> <base64 signature>` per line, no
/// duplicate key ids, no blank lines except a final newline.
pub fn parse_signatures(file: &str, bytes: &[u8]) -> Result<Vec<SignatureLine>, FormatError> {
    check_size(file, bytes, SIGS_LIMIT)?;
    let text = text(file, bytes)?;
    let body = text.strip_suffix('\n').unwrap_or(text);
    if body.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<SignatureLine> = Vec::new();
    for (i, line) in body.split('\n').enumerate() {
        let field = format!("line {}", i + 1);
        let (key, sig) = line
            .split_once(' ')
            .ok_or_else(|| FormatError::new(file, &field, "expected `<key id> <base64 signature>`"))?;
        let key = KeyId::from_hex(key).map_err(|e| FormatError::new(file, &field, e.to_string()))?;
        let sig =
            base64_decode(sig).map_err(|e| FormatError::new(file, &field, format!("signature is not base64: {e}")))?;
        let signature: [u8; 64] =
            sig.try_into().map_err(|_| FormatError::new(file, &field, "signature is not 64 bytes"))?;
        if out.iter().any(|s| s.key == key) {
            return Err(FormatError::new(file, &field, format!("second signature by key {key}")));
        }
        if out.len() == MAX_SIGNATURES {
            return Err(FormatError::new(file, &field, format!("more than {MAX_SIGNATURES} signatures")));
        }
        out.push(SignatureLine { key, signature });
    }
    Ok(out)
}

pub fn write_signatures(sigs: &[SignatureLine]) -> Vec<u8> {
    let mut out = String::new();
    for s in sigs {
        out.push_str(&s.key.to_hex());
        out.push(' ');
        out.push_str(&base64_encode(&s.signature));
        out.push('\n');
    }
    out.into_bytes()
}

/// One line of a results file, borrowed: the device's signature, its key id,
/// and the exact bytes of the signed result.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedResultLine<'a> {
    pub signature: String,
    pub key: KeyId,
    #[serde(borrow)]
    pub result: &'a RawValue,
}

impl SignedResultLine<'_> {
    pub fn signature_bytes(&self) -> Option<[u8; 64]> {
        base64_decode(&self.signature).ok()?.try_into().ok()
    }
}

/// Reads one results line (without its newline).
pub fn parse_result_line<'a>(file: &str, line_no: usize, line: &'a str) -> Result<SignedResultLine<'a>, FormatError> {
    let field = format!("line {line_no}");
    let mut de = serde_json::Deserializer::from_str(line);
    let parsed: SignedResultLine<'a> = deserialize_naming(&mut de)
        .map_err(|(path, e)| FormatError::new(file, within(&field, path), clean_serde_message(&e)))?;
    de.end().map_err(|e| FormatError::new(file, &field, clean_serde_message(&e)))?;
    Ok(parsed)
}

/// One results line's envelope, as [`parse_station_line`] reads it: who
/// signed, the signature, and the exact bytes that were signed. The result
/// itself is handed out only by [`ParsedLine::parse_result`], to be called
/// once the signature has verified.
#[derive(Debug, Clone)]
pub struct ParsedLine<'a> {
    pub key: KeyId,
    /// `None` when `signature` is not the base64 of 64 bytes: such a line is
    /// not refused as malformed, its signature simply fails to verify.
    pub signature: Option<[u8; 64]>,
    /// The `result` value exactly as it stands in the line.
    pub result: &'a str,
    /// `result` parsed while the envelope was read, when the line is written
    /// the way devices write it: unverified, so it stays private.
    read_ahead: Option<StationResult>,
}

impl<'a> From<SignedResultLine<'a>> for ParsedLine<'a> {
    fn from(line: SignedResultLine<'a>) -> Self {
        Self { signature: line.signature_bytes(), key: line.key, result: line.result.get(), read_ahead: None }
    }
}

impl ParsedLine<'_> {
    /// The signed result of line `line_no`, parsed: what
    /// [`parse_station_result`] returns for [`Self::result`]. Call it only
    /// once [`Self::signature`] has verified over [`Self::result`].
    pub fn parse_result(self, file: &str, line_no: usize) -> Result<StationResult, FormatError> {
        match self.read_ahead {
            Some(result) => Ok(result),
            None => parse_station_result(file, line_no, self.result),
        }
    }
}

/// [`SignedResultLine`] for the fast path: the same fields and the same
/// `Deserialize` rules, but the signature is borrowed when it has no escapes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<'a> {
    #[serde(borrow)]
    signature: std::borrow::Cow<'a, str>,
    key: KeyId,
    #[serde(borrow)]
    result: &'a RawValue,
}

/// Reads one results line (without its newline): what [`parse_result_line`]
/// reads, with the signature decoded, and the same error for a bad line.
///
/// Most lines are written the way devices write them; those are read by hand
/// with their result in one pass ([`read_as_written`]). Other lines are read
/// by serde without tracking the field path, which costs an allocation per
/// key. Only a line that fails both is read again by [`parse_result_line`],
/// the definition, to name the field.
pub fn parse_station_line<'a>(file: &str, line_no: usize, line: &'a str) -> Result<ParsedLine<'a>, FormatError> {
    if let Some(parsed) = read_as_written(line) {
        return Ok(parsed);
    }
    match serde_json::from_str::<Envelope<'a>>(line) {
        Ok(e) => Ok(ParsedLine {
            key: e.key,
            signature: decode_signature(&e.signature),
            result: e.result.get(),
            read_ahead: None,
        }),
        Err(_) => parse_result_line(file, line_no, line).map(ParsedLine::from),
    }
}

/// A line exactly as [`write_result_line`] writes it,
/// `{"signature":"<base64>","key":"<hex>","result":{…}}`, read in one pass.
///
/// To find where `result` ends, serde reads it twice: once as a `RawValue`
/// and again once it is signed. Here `result` is taken to run to the line's
/// last `}`, and it is read once, as a `StationResult`. If that succeeds,
/// `result` is one JSON value with nothing around it; the signature and key
/// are strings without escapes, and the key a key id; so the line is one that
/// [`parse_result_line`] accepts, with the same fields. Otherwise `None`, and
/// serde reads the line. The result read here is not looked at before its
/// signature has verified: [`ParsedLine::parse_result`] hands it out.
fn read_as_written(line: &str) -> Option<ParsedLine<'_>> {
    let rest = line.strip_prefix(r#"{"signature":""#)?;
    // Base64 digits need no escape in JSON; anything else goes to serde.
    let end = rest.bytes().position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')))?;
    let (signature, rest) = rest.split_at(end);
    let rest = rest.strip_prefix(r#"","key":""#)?;
    let key = KeyId::from_hex(rest.get(..64)?).ok()?;
    let result = rest.get(64..)?.strip_prefix(r#"","result":"#)?.strip_suffix('}')?;
    if !(result.starts_with('{') && result.ends_with('}')) {
        return None;
    }
    let read_ahead = serde_json::from_str(result).ok()?;
    Some(ParsedLine { key, signature: decode_signature(signature), result, read_ahead: Some(read_ahead) })
}

/// [`SignedResultLine::signature_bytes`] without a `Vec`: the same engine
/// decodes into a buffer on the stack, as large as base64 of 64 bytes needs.
fn decode_signature(signature: &str) -> Option<[u8; 64]> {
    let mut buf = [0u8; 66];
    match BASE64.decode_slice(signature, &mut buf) {
        Ok(64) => buf[..64].try_into().ok(),
        Ok(_) | Err(base64::DecodeSliceError::DecodeError(_)) => None,
        // Longer than any 64-byte signature is written; let the definition say.
        Err(base64::DecodeSliceError::OutputSliceTooSmall) => base64_decode(signature).ok()?.try_into().ok(),
    }
}

/// Parses the signed `result` of line `line_no`: what
/// `parse_json_str::<StationResult>(file, "line N.result", json)` returns,
/// value or error. Call it only on bytes whose signature has verified.
///
/// The same `Deserialize` impls run without the path tracking first; the
/// tracked parse runs only to name the field of an error.
pub fn parse_station_result(file: &str, line_no: usize, json: &str) -> Result<StationResult, FormatError> {
    match serde_json::from_str(json) {
        Ok(result) => Ok(result),
        Err(_) => parse_json_str(file, &format!("line {line_no}.result"), json),
    }
}

/// Writes one signed results line: what a station device outputs and what a
/// results file holds, byte for byte.
pub fn write_result_line(key: KeyId, signature: &[u8; 64], result_json: &str) -> String {
    format!(
        "{{\"signature\":\"{}\",\"key\":\"{}\",\"result\":{}}}",
        base64_encode(signature),
        key.to_hex(),
        result_json
    )
}

/// Splits a results file into its lines: UTF-8, `\n`-terminated, no blank lines.
pub fn result_lines<'a>(file: &str, bytes: &'a [u8]) -> Result<Vec<&'a str>, FormatError> {
    let text = text(file, bytes)?;
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let body =
        text.strip_suffix('\n').ok_or_else(|| FormatError::new(file, "", "last line does not end with a newline"))?;
    let mut lines = Vec::with_capacity(bytes.len() / 1024);
    let mut start = 0;
    // With `memchr` splitting takes half the time `str::split` took (bench
    // `parse_file/split`); a newline is one byte of UTF-8, so every piece is
    // a `str` of its own.
    for end in memchr::memchr_iter(b'\n', body.as_bytes()).chain([body.len()]) {
        let line = &body[start..end];
        if line.trim().is_empty() {
            return Err(FormatError::new(file, format!("line {}", lines.len() + 1), "blank line"));
        }
        lines.push(line);
        start = end + 1;
    }
    Ok(lines)
}

/// The content-addressed path a file is published under:
/// `files/<kind>[-<province>].<sha256>.<ext>`. The hash in the name lets a
/// CDN cache it forever and a reader check it with `sha256sum`.
pub fn content_path(kind: FileKind, province: Option<&str>, bytes: &[u8]) -> String {
    let ext = match kind {
        FileKind::Results => "jsonl",
        FileKind::GeoProvinces | FileKind::GeoCounties => "geojson",
        _ => "json",
    };
    let hash = Sha256Hex::of(bytes);
    match province {
        Some(p) => format!("files/{kind}-{p}.{hash}.{ext}"),
        None => format!("files/{kind}.{hash}.{ext}"),
    }
}

/// A path listed in a release must stay inside the publication folder.
pub fn check_relative_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() || path.len() > 255 {
        return Err("path is empty or longer than 255 bytes");
    }
    if !path.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/')) {
        return Err("path may contain only ASCII letters, digits, '.', '_', '-' and '/'");
    }
    if path.split('/').any(|seg| seg.is_empty() || seg == "." || seg == "..") {
        return Err("path must be relative, without empty, '.' or '..' segments");
    }
    if matches!(path, ROOT | ROOT_SIGS | RELEASE | RELEASE_SIGS) {
        return Err("path names one of the signed entry files");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Contest, RootDoc};

    #[test]
    fn rejects_unknown_field_naming_it() {
        let err =
            parse_json::<crate::model::CandidateVotes>("f.json", br#"{"candidate":"a","votes":1,"extra":2}"#, 1000)
                .unwrap_err();
        assert_eq!(err.file, "f.json");
        assert!(err.message.contains("unknown field `extra`"), "{err}");
    }

    #[test]
    fn rejects_duplicate_field() {
        let err =
            parse_json::<crate::model::CandidateVotes>("f.json", br#"{"candidate":"a","votes":1,"votes":2}"#, 1000)
                .unwrap_err();
        assert!(err.message.contains("duplicate field `votes`"), "{err}");
    }

    #[test]
    fn rejects_negative_and_overflowing_counts_naming_the_field() {
        let err = parse_json::<Vec<crate::model::CandidateVotes>>("f.json", br#"[{"candidate":"a","votes":-1}]"#, 1000)
            .unwrap_err();
        assert_eq!(err.field, "[0].votes");
        let err = parse_json::<crate::model::CandidateVotes>(
            "f.json",
            br#"{"candidate":"a","votes":18446744073709551616}"#,
            1000,
        )
        .unwrap_err();
        assert_eq!(err.field, "votes");
    }

    #[test]
    fn rejects_wrong_type_and_trailing_data() {
        let err = parse_json::<crate::model::CandidateVotes>("f.json", br#"{"candidate":"a","votes":"7"}"#, 1000)
            .unwrap_err();
        assert_eq!(err.field, "votes");
        assert!(
            parse_json::<crate::model::CandidateVotes>("f.json", br#"{"candidate":"a","votes":7} x"#, 1000).is_err()
        );
    }

    #[test]
    fn rejects_oversized_file_before_parsing() {
        let err = parse_json::<RootDoc>("root.json", &[b' '; 2000], 1000).unwrap_err();
        assert!(err.message.contains("larger than"), "{err}");
    }

    #[test]
    fn rejects_bidi_override_in_a_name() {
        let json = r#"{"id":"c","kind":"city","county":"1503","name":{"fa":"x","en":"a\u202eb"},"seats":5,"alternates":3,"eligible":10,"candidates":[]}"#;
        let err = parse_json::<Contest>("c.json", json.as_bytes(), 10_000).unwrap_err();
        assert_eq!(err.field, "name.en");
    }

    #[test]
    fn signature_lists_round_trip_and_refuse_duplicates() {
        let key = crate::keys::SecretKey::from_seed(&[3; 32]);
        let line = SignatureLine { key: key.public().id(), signature: key.sign(b"m") };
        let bytes = write_signatures(std::slice::from_ref(&line));
        assert_eq!(parse_signatures("s", &bytes).unwrap(), vec![line.clone()]);
        let twice = write_signatures(&[line.clone(), line]);
        assert!(parse_signatures("s", &twice).unwrap_err().message.contains("second signature"));
        assert!(parse_signatures("s", b"zz abc\n").is_err());
    }

    #[test]
    fn relative_paths_stay_inside() {
        assert!(check_relative_path("files/results-IR-15.ab.jsonl").is_ok());
        for bad in ["../x", "/etc/passwd", "files//x", "a/./b", "a\\b", "", "release.json"] {
            assert!(check_relative_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lines_as_devices_write_them_are_read_in_one_pass() {
        let key = crate::keys::SecretKey::from_seed(&[5; 32]);
        let result = r#"{"type":"shafaf/station-result/v1","election":"e","station":"s","contest":"c","opened":"2026-06-19T08:00:00+03:30","closed":"2026-06-19T22:00:00+03:30","ballots_cast":3,"valid":2,"invalid":1,"votes":[{"candidate":"k","votes":2}]}"#;
        let signature = key.sign(result.as_bytes());
        let line = write_result_line(key.public().id(), &signature, result);
        let parsed = read_as_written(&line).expect("read in one pass");
        assert_eq!((parsed.key, parsed.signature, parsed.result), (key.public().id(), Some(signature), result));
        assert!(parsed.read_ahead.is_some());
        // Spaced out, the same line is left to serde.
        assert!(read_as_written(&line.replace("\"result\":", "\"result\": ")).is_none());
    }

    #[test]
    fn result_lines_refuse_blank_lines_and_missing_final_newline() {
        assert_eq!(result_lines("r", b"a\nb\n").unwrap(), vec!["a", "b"]);
        assert!(result_lines("r", b"a\n\nb\n").is_err());
        assert!(result_lines("r", b"a").is_err());
    }
}
