//! The fast way of reading station results agrees with the definition: on
//! every line of generated results files, on hand-made bad lines, and on
//! random single edits of good ones, `parse_station_line` and then
//! `ParsedLine::parse_result` (or `parse_station_result`) return what
//! `parse_result_line` and `parse_json_str::<StationResult>` return, the same value or the same
//! `FormatError` (file, field and message); `result_lines` splits any
//! bytes as it did before it searched for newlines with `memchr`; and
//! `parse_json_fast` reads every document as `parse_json` does.
#![cfg(not(target_arch = "wasm32"))]

mod common;
#[path = "common/demo.rs"]
mod demo;

use std::sync::OnceLock;

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use shafaf_core::demo::{DemoOptions, Scale};
use shafaf_core::format::{self, FileKind, FormatError, ParsedLine};
use shafaf_core::model::{ContestsDoc, ElectionDoc, LatestDoc, ReleaseDoc, RootDoc, StationResult, StationsDoc};
use shafaf_core::KeyId;

const FILE: &str = "files/results-IR-15.jsonl";

/// The definition: what `verify_line` read before the fast path.
fn old_envelope(line_no: usize, line: &str) -> Result<Envelope<'_>, FormatError> {
    format::parse_result_line(FILE, line_no, line).map(|l| envelope(&ParsedLine::from(l)))
}

fn old_result(line_no: usize, json: &str) -> Result<StationResult, FormatError> {
    format::parse_json_str(FILE, &format!("line {line_no}.result"), json)
}

/// What a `ParsedLine` shows before its signature is checked.
type Envelope<'a> = (KeyId, Option<[u8; 64]>, &'a str);

fn envelope<'a>(p: &ParsedLine<'a>) -> Envelope<'a> {
    (p.key, p.signature, p.result)
}

/// Asserts that both ways read `line` alike, and if its envelope reads, its
/// result too. Returns whether the whole line was accepted.
fn assert_same(line_no: usize, line: &str) -> Result<bool, TestCaseError> {
    let old = old_envelope(line_no, line);
    let fast = format::parse_station_line(FILE, line_no, line);
    prop_assert_eq!(fast.as_ref().map(envelope), old.as_ref().cloned(), "envelope of {:?}", line);
    match (fast, old) {
        (Ok(fast), Ok((_, _, json))) => {
            let expected = old_result(line_no, json);
            assert_same_value(&fast.parse_result(FILE, line_no), &expected, json)?;
            assert_same_result(line_no, json)
        }
        _ => Ok(false),
    }
}

fn assert_same_result(line_no: usize, json: &str) -> Result<bool, TestCaseError> {
    let old = old_result(line_no, json);
    assert_same_value(&format::parse_station_result(FILE, line_no, json), &old, json)?;
    Ok(old.is_ok())
}

fn assert_same_value(
    fast: &Result<StationResult, FormatError>,
    old: &Result<StationResult, FormatError>,
    json: &str,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(fast, old, "result {:?}", json);
    // `OffsetDateTime`'s `==` compares instants; the offsets must agree too.
    prop_assert_eq!(format!("{fast:?}"), format!("{old:?}"), "result {:?}", json);
    Ok(())
}

/// The Lorestan demo's results file, untampered and tampered (impossible
/// totals are still well-formed lines).
fn demo_results() -> &'static [Vec<u8>] {
    static FILES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let plain = lorestan();
        let tampered = shafaf_core::demo::generate(
            &demo::lorestan_geo(),
            &DemoOptions { seed: 2, scale: Scale::Lorestan, tamper: true },
        )
        .expect("the tampered Lorestan demo generates");
        let prefix = format!("files/{}-", FileKind::Results);
        [plain, &tampered]
            .into_iter()
            .flat_map(|d| {
                d.publication
                    .iter()
                    .filter(|(p, b)| p.starts_with(&prefix) && !b.is_empty())
                    .map(|(_, b)| b.to_vec())
                    .collect::<Vec<_>>()
            })
            .collect()
    })
}

fn lorestan() -> &'static shafaf_core::demo::Demo {
    static DEMO: OnceLock<shafaf_core::demo::Demo> = OnceLock::new();
    DEMO.get_or_init(demo::lorestan)
}

/// Good lines to edit: the small fixture's and some of Lorestan's.
fn good_lines() -> &'static [String] {
    static LINES: OnceLock<Vec<String>> = OnceLock::new();
    LINES.get_or_init(|| {
        let mut lines: Vec<String> = common::draft_and_devices().0.provinces[0].results.clone();
        let file = &demo_results()[0];
        let lorestan = format::result_lines(FILE, file).expect("lines");
        lines.extend(lorestan.iter().step_by(97).map(|l| l.to_string()));
        lines
    })
}

#[test]
fn fast_and_old_parsers_agree_on_every_demo_line() {
    let mut lines = 0;
    for file in demo_results() {
        for (i, line) in format::result_lines(FILE, file).expect("lines").into_iter().enumerate() {
            assert!(assert_same(i + 1, line).expect("agree"), "line {} of the demo is refused", i + 1);
            lines += 1;
        }
    }
    assert!(lines > 2000, "only {lines} demo lines");
}

/// Each of these is a way a line can be wrong, made from a good one.
fn bad_lines(good: &str) -> Vec<(&'static str, String)> {
    let r = good.find("\"result\":").expect("a result") + "\"result\":".len();
    let (envelope, result) = good.split_at(r);
    let result = &result[..result.len() - 1];
    let in_result = |from: &str, to: &str| {
        assert!(result.contains(from), "{from} in {result}");
        format!("{envelope}{}}}", result.replacen(from, to, 1))
    };
    let first_votes = {
        let at = result.find("\"votes\":[").expect("votes") + "\"votes\":[".len();
        let n = result[at..].find("\"votes\":").expect("a candidate's votes") + at + "\"votes\":".len();
        let end = n + result[n..].find(|c: char| !c.is_ascii_digit()).expect("end of the count");
        result[n..end].to_string()
    };
    let with_votes = |v: &str| in_result(&format!("\"votes\":{first_votes}}}"), &format!("\"votes\":{v}}}"));
    vec![
        ("unknown field in the line", good.replacen('{', "{\"extra\":1,", 1)),
        ("unknown field in the result", in_result("{\"type\"", "{\"extra\":1,\"type\"")),
        ("unknown field in a candidate's votes", in_result("{\"candidate\"", "{\"x\":0,\"candidate\"")),
        ("duplicate field in the line", good.replacen("\"key\"", &format!("\"key\":\"{}\",\"key\"", key_of(good)), 1)),
        ("duplicate field in the result", in_result("\"valid\"", "\"valid\":1,\"valid\"")),
        ("duplicate signature", good.replacen("\"key\"", "\"signature\":\"AA==\",\"key\"", 1)),
        ("negative count", in_result("\"ballots_cast\":", "\"ballots_cast\":-")),
        ("negative candidate votes", with_votes("-1")),
        ("count one past u64", with_votes("18446744073709551616")),
        ("largest u64 count", with_votes("18446744073709551615")),
        ("count as a float", with_votes("1.0")),
        ("count with an exponent", with_votes("1e2")),
        ("count as a string", with_votes("\"7\"")),
        ("count null", with_votes("null")),
        ("votes not a list", in_result("\"votes\":[", "\"votes\":{")),
        ("result not an object", format!("{envelope}[]}}")),
        ("result a string", format!("{envelope}\"x\"}}")),
        ("key not a string", good.replacen("\"key\":\"", "\"key\":1,\"k\":\"", 1)),
        ("signature not a string", good.replacen("\"signature\":\"", "\"signature\":5,\"s\":\"", 1)),
        ("key in upper case", good.replacen(&key_of(good), &key_of(good).to_uppercase(), 1)),
        ("key too short", good.replacen(&key_of(good), &key_of(good)[2..], 1)),
        ("missing result", format!("{}}}", &envelope[..envelope.len() - ",\"result\":".len()])),
        ("missing a result field", in_result("\"invalid\":", "\"invalid_\":")),
        ("trailing garbage after the line", format!("{good} x")),
        ("second value after the line", format!("{good}{{}}")),
        ("trailing whitespace after the line", format!("{good} \t\r")),
        ("leading whitespace", format!(" {good}")),
        ("whitespace around the result", format!("{envelope} {result} }}")),
        ("trailing garbage in the result", format!("{envelope}{result} x}}")),
        ("line cut short", good[..good.len() - 1].to_string()),
        ("line cut inside the result", good[..good.len() / 2].to_string()),
        ("empty line", String::new()),
        ("not JSON", "signature key result".to_string()),
        ("bidi control in an id", in_result("\"station\":\"", "\"station\":\"\u{202E}")),
        ("escaped bidi control in an id", in_result("\"station\":\"", "\"station\":\"\\u202e")),
        ("space in an id", in_result("\"contest\":\"", "\"contest\":\"a ")),
        ("empty id", in_result("\"election\":\"", "\"election\":\"\",\"x\":\"")),
        ("escaped but valid id", in_result("\"election\":\"", "\"election\":\"\\u0041")),
        ("id of 65 characters", in_result("\"station\":\"", &format!("\"station\":\"{}", "x".repeat(64)))),
        ("wrong document type", in_result("station-result/v1", "station-result/v2")),
        ("offset hour 24", in_result("+03:30", "+24:00")),
        ("offset minute 60", in_result("+03:30", "+03:60")),
        ("offset without colon", in_result("+03:30", "+0330")),
        ("no offset", in_result("+03:30\"", "\"")),
        ("offset Z", in_result("+03:30", "Z")),
        ("offset lower-case z", in_result("+03:30", "z")),
        ("offset -00:00", in_result("+03:30", "-00:00")),
        ("space instead of T", in_result("T", " ")),
        ("fraction of a second", in_result(":00+", ":00.123456789+")),
        ("leap second", in_result(":00+", ":60+")),
        ("day 31 of June", in_result("-19T", "-31T")),
        ("hour 24", in_result("T", "T2")),
        ("time not a string", in_result("\"opened\":\"", "\"opened\":1,\"x\":\"")),
        ("signature not base64", good.replacen("\"signature\":\"", "\"signature\":\"*", 1)),
        ("signature of 63 bytes", good.replacen(&sig_of(good), &sig_of(good)[4..], 1)),
        ("signature without padding", good.replacen(&sig_of(good), sig_of(good).trim_end_matches('='), 1)),
        ("signature with a non-canonical last digit", good.replacen(&sig_of(good), &bump_last_sig_digit(good), 1)),
        (
            "signature of 66 bytes",
            good.replacen(&sig_of(good), &format!("{}AAAA", sig_of(good).replace("==", "AA")), 1),
        ),
        ("very long signature", good.replacen(&sig_of(good), &"A".repeat(4000), 1)),
        ("escaped signature", good.replacen("\"signature\":\"", "\"signature\":\"\\u0041", 1)),
        ("signature with an escaped slash", good.replacen(&sig_of(good), &sig_of(good).replace('/', "\\/"), 1)),
        ("control character in the signature", good.replacen("\"signature\":\"", "\"signature\":\"\u{1}", 1)),
        ("escaped quote in the signature", good.replacen("\"signature\":\"", "\"signature\":\"\\\"", 1)),
        ("non-ASCII in the key", good.replacen(&key_of(good), &format!("é{}", &key_of(good)[2..]), 1)),
        ("control character in a string", in_result("\"station\":\"", "\"station\":\"\u{1}")),
        ("deeply nested", format!("{envelope}{}{}}}", "[".repeat(200), "]".repeat(200))),
    ]
}

fn key_of(line: &str) -> String {
    let at = line.find("\"key\":\"").expect("a key") + "\"key\":\"".len();
    line[at..at + 64].to_string()
}

fn sig_of(line: &str) -> String {
    let at = line.find("\"signature\":\"").expect("a signature") + "\"signature\":\"".len();
    let end = at + line[at..].find('"').expect("end of the signature");
    line[at..end].to_string()
}

/// The last digit before `==` carries 4 bits that must be zero.
fn bump_last_sig_digit(line: &str) -> String {
    let sig = sig_of(line);
    let (body, _) = sig.split_at(sig.len() - 3);
    let last = sig.as_bytes()[sig.len() - 3];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let i = alphabet.iter().position(|&c| c == last).expect("base64 digit");
    format!("{body}{}==", alphabet[i ^ 1] as char)
}

#[test]
fn fast_and_old_parsers_agree_on_bad_lines() {
    let mut refused = 0;
    for good in good_lines().iter().take(6) {
        for (what, line) in bad_lines(good) {
            let accepted = assert_same(7, &line).unwrap_or_else(|e| panic!("{what}: {e}"));
            refused += usize::from(!accepted);
        }
    }
    assert!(refused > 100, "only {refused} bad lines refused");
}

#[test]
fn bad_lines_are_refused_naming_the_field() {
    let good = &good_lines()[0];
    let field = |what: &str| {
        let (_, line) = bad_lines(good).into_iter().find(|(w, _)| *w == what).expect("a bad line");
        let line = line.as_str();
        match format::parse_station_line(FILE, 7, line) {
            Err(e) => e,
            Ok(p) => p.parse_result(FILE, 7).expect_err(what),
        }
    };
    assert_eq!(field("unknown field in the line").field, "line 7.extra");
    assert!(field("unknown field in the result").message.starts_with("unknown field `extra`"));
    assert_eq!(field("duplicate field in the line").message, "duplicate field `key` at line 1 column 182");
    assert!(field("duplicate field in the result").message.starts_with("duplicate field `valid`"));
    assert_eq!(field("missing result").field, "line 7");
    assert_eq!(field("negative count").field, "line 7.result.ballots_cast");
    assert_eq!(field("count one past u64").field, "line 7.result.votes[0].votes");
    assert_eq!(field("bidi control in an id").field, "line 7.result.station");
    assert_eq!(field("escaped bidi control in an id").field, "line 7.result.station");
    assert_eq!(field("offset hour 24").field, "line 7.result.opened");
    assert_eq!(field("trailing garbage after the line").field, "line 7");
    assert_eq!(field("key in upper case").field, "line 7.key");
}

#[test]
fn a_badly_encoded_signature_is_not_a_format_error() {
    let good = &good_lines()[0];
    for what in ["signature not base64", "signature of 63 bytes", "signature without padding", "very long signature"] {
        let (_, line) = bad_lines(good).into_iter().find(|(w, _)| *w == what).expect("a bad line");
        let parsed = format::parse_station_line(FILE, 1, &line).expect(what);
        assert_eq!(parsed.signature, None, "{what}");
    }
    let parsed = format::parse_station_line(FILE, 1, good).expect("good line");
    assert!(parsed.signature.is_some());
}

/// Result lines split the same whatever bytes a file holds.
fn assert_same_split(bytes: &[u8]) -> Result<(), TestCaseError> {
    let fast = format::result_lines(FILE, bytes);
    let old = old_result_lines(FILE, bytes);
    prop_assert_eq!(fast, old, "{:?}", String::from_utf8_lossy(bytes));
    Ok(())
}

/// `result_lines` before it searched for newlines with `memchr`: the definition.
fn old_result_lines<'a>(file: &str, bytes: &'a [u8]) -> Result<Vec<&'a str>, FormatError> {
    let text = std::str::from_utf8(bytes).map_err(|_| FormatError::new(file, "", "not UTF-8 text"))?;
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let body =
        text.strip_suffix('\n').ok_or_else(|| FormatError::new(file, "", "last line does not end with a newline"))?;
    let lines: Vec<&str> = body.split('\n').collect();
    if let Some(i) = lines.iter().position(|l| l.trim().is_empty()) {
        return Err(FormatError::new(file, format!("line {}", i + 1), "blank line"));
    }
    Ok(lines)
}

#[test]
fn results_files_split_as_before() {
    for file in demo_results() {
        assert_same_split(file).expect("demo file");
        let mut cut = file.clone();
        cut.pop();
        assert_same_split(&cut).expect("no final newline");
        let mut blank = file.clone();
        blank.extend_from_slice(b"\n");
        assert_same_split(&blank).expect("blank last line");
        let mut bad = file.clone();
        bad[1000] = 0xff;
        assert_same_split(&bad).expect("not UTF-8");
    }
    for bytes in [
        &b""[..],
        b"\n",
        b"\n\n",
        b"a",
        b"a\n",
        b"a\nb\n",
        b"a\n\nb\n",
        b"a\n \nb\n",
        b"a\n\t\r\nb\n",
        b"a\n\xe3\x80\x80\nb\n",
        b"a\r\n",
        b"a\nb",
        b"\xff\n",
        b"a\n\xc3\n",
        b"\xef\xbb\xbfa\n",
    ] {
        assert_same_split(bytes).expect("hand-made file");
    }
}

/// Both ways of reading a document agree on `bytes`, read as the document
/// its path names. Returns whether it was accepted, or `None` for a path
/// that names no JSON document.
fn assert_same_document(path: &str, bytes: &[u8], limit: u64) -> Result<Option<bool>, TestCaseError> {
    fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
        path: &str,
        bytes: &[u8],
        limit: u64,
    ) -> Result<Option<bool>, TestCaseError> {
        let old = format::parse_json::<T>(path, bytes, limit);
        let fast = format::parse_json_fast::<T>(path, bytes, limit);
        prop_assert_eq!(&fast, &old, "{}", path);
        prop_assert_eq!(format!("{fast:?}"), format!("{old:?}"), "{}", path);
        Ok(Some(old.is_ok()))
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    match name {
        "root.json" => same::<RootDoc>(path, bytes, limit),
        "release.json" => same::<ReleaseDoc>(path, bytes, limit),
        "latest.json" => same::<LatestDoc>(path, bytes, limit),
        _ if name.starts_with("election.") => same::<ElectionDoc>(path, bytes, limit),
        _ if name.starts_with("contests-") => same::<ContestsDoc>(path, bytes, limit),
        _ if name.starts_with("stations-") => same::<StationsDoc>(path, bytes, limit),
        _ => Ok(None),
    }
}

const DOCUMENT_LIMIT: u64 = 64 * 1024 * 1024;

#[test]
fn fast_and_old_parsers_agree_on_every_demo_document() {
    let mut kinds = std::collections::BTreeSet::new();
    for (path, bytes) in lorestan().publication.iter() {
        if let Some(accepted) = assert_same_document(path, bytes, DOCUMENT_LIMIT).expect("agree") {
            assert!(accepted, "{path} of the demo is refused");
            kinds.insert(path.rsplit('/').next().unwrap_or(path).split(['.', '-']).next().unwrap_or("").to_owned());
        }
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["contests", "election", "latest", "release", "root", "stations"]
    );
    // Too large is refused before either reads it.
    let (path, bytes) = lorestan().publication.iter().find(|(p, _)| p.contains("/stations-")).expect("stations");
    assert_eq!(assert_same_document(path, bytes, 1000).expect("agree"), Some(false));
}

#[test]
fn fast_and_old_parsers_agree_on_bad_documents() {
    for (path, good) in fixture_documents() {
        let text = std::str::from_utf8(good).expect("UTF-8");
        let mut not_utf8 = good.clone();
        let at = text.find("\":\"").expect("a string") + 3;
        not_utf8.insert(at, 0xff);
        let bad: Vec<(&str, Vec<u8>)> = vec![
            ("trailing data", format!("{text} x").into_bytes()),
            ("second document", format!("{text}{text}").into_bytes()),
            ("unknown field", text.replacen('{', "{\"extra\":1,", 1).into_bytes()),
            ("cut short", good[..good.len() / 2].to_vec()),
            ("not UTF-8", not_utf8),
            ("byte order mark", [&b"\xef\xbb\xbf"[..], good].concat()),
            ("empty", Vec::new()),
        ];
        for (what, bytes) in bad {
            let accepted = assert_same_document(path, &bytes, DOCUMENT_LIMIT).expect(what);
            assert_eq!(accepted, Some(false), "{path}: {what}");
        }
        assert_eq!(
            assert_same_document(path, format!(" {text}\n\t").as_bytes(), DOCUMENT_LIMIT).expect("ws"),
            Some(true)
        );
    }
}

/// The small fixture's documents: short enough for random edits to hit every part.
fn fixture_documents() -> &'static [(String, Vec<u8>)] {
    static DOCS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let fx = common::fixture();
        fx.publication
            .iter()
            .filter(|(p, b)| assert_same_document(p, b, DOCUMENT_LIMIT).ok().flatten().is_some())
            .map(|(p, b)| (p.to_owned(), b.to_vec()))
            .collect()
    })
}

/// One edit to a good line: flip a byte, delete one, or insert one or a
/// snippet that is likely to make something almost valid, anywhere or next
/// to one of the JSON's punctuation marks.
#[derive(Debug, Clone)]
enum Edit {
    Xor(prop::sample::Index, u8),
    Delete(prop::sample::Index),
    Insert(prop::sample::Index, Vec<u8>),
    BesidePunctuation(prop::sample::Index, bool, Vec<u8>),
}

fn edit() -> impl Strategy<Value = Edit> {
    let snippets = prop::sample::select(vec![
        &b"0"[..],
        b"9",
        b"-",
        b" ",
        b"\"",
        b"\\",
        b",",
        b":",
        b"{",
        b"}",
        b"[",
        b"]",
        b"e",
        b".",
        b"Z",
        b"\\u202e",
        b"\xe2\x80\xae",
        b"\xff",
        b"\"x\":1,",
        b"\"valid\":1,",
        b"\"votes\":[],",
        b"\"key\":\"\",",
        b"00",
        b"\n",
        b"\t",
        b"\"\"",
        b"null",
        b"+03:30",
    ]);
    prop_oneof![
        (any::<prop::sample::Index>(), 1u8..=255).prop_map(|(i, m)| Edit::Xor(i, m)),
        any::<prop::sample::Index>().prop_map(Edit::Delete),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Insert(i, vec![b])),
        (any::<prop::sample::Index>(), snippets.clone()).prop_map(|(i, s)| Edit::Insert(i, s.to_vec())),
        (any::<prop::sample::Index>(), any::<bool>(), snippets).prop_map(|(i, after, s)| Edit::BesidePunctuation(
            i,
            after,
            s.to_vec()
        )),
    ]
}

fn apply(edit: &Edit, s: &str) -> Vec<u8> {
    let mut bytes = s.as_bytes().to_vec();
    match edit {
        Edit::Xor(i, mask) => {
            let i = i.index(bytes.len());
            bytes[i] ^= mask;
        }
        Edit::Delete(i) => {
            bytes.remove(i.index(bytes.len()));
        }
        Edit::Insert(i, snippet) => {
            let i = i.index(bytes.len() + 1);
            bytes.splice(i..i, snippet.iter().copied());
        }
        Edit::BesidePunctuation(i, after, snippet) => {
            let marks: Vec<usize> = (0..bytes.len()).filter(|&j| b"{}[],:\"".contains(&bytes[j])).collect();
            let Some(&at) = marks.get(i.index(marks.len().max(1))) else { return bytes };
            let at = at + usize::from(*after);
            bytes.splice(at..at, snippet.iter().copied());
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn any_single_edit_of_a_line_reads_alike(line in any::<prop::sample::Index>(), edit in edit()) {
        let good = line.get(good_lines());
        let bytes = apply(&edit, good);
        match std::str::from_utf8(&bytes) {
            Ok(line) => { assert_same(3, line)?; }
            // A line that is not UTF-8 is refused with the whole file.
            Err(_) => {
                let mut file = bytes.clone();
                file.push(b'\n');
                assert_same_split(&file)?;
            }
        }
    }

    #[test]
    fn any_single_edit_of_a_result_reads_alike(line in any::<prop::sample::Index>(), edit in edit()) {
        let good = line.get(good_lines());
        let result = format::parse_result_line(FILE, 1, good).expect("good line").result.get();
        if let Ok(json) = String::from_utf8(apply(&edit, result)) {
            assert_same_result(3, &json)?;
        }
    }

    #[test]
    fn any_single_edit_of_a_document_reads_alike(doc in any::<prop::sample::Index>(), edit in edit()) {
        let (path, bytes) = doc.get(fixture_documents());
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        assert_same_document(path, &apply(&edit, &text), DOCUMENT_LIMIT)?;
    }

    #[test]
    fn any_single_edit_of_a_file_splits_alike(edit in edit()) {
        let file = format!("{}\n{}\n", good_lines()[0], good_lines()[1]);
        assert_same_split(&apply(&edit, &file))?;
    }
}
