//! The `shafaf` command as an observer and an authority use it: the demo,
//! `verify` on it and on tampered copies, the hand-verification recipe in
//! docs/VERIFY.md, and the keygen → root → sign-result → publish path.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn shafaf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shafaf")).args(args).output().expect("run shafaf")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn geo() -> String {
    std::env::var("SHAFAF_GEO").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/geo").into())
}

/// A fresh demo publication in a temporary folder; returns (dir, root fingerprint).
fn demo(tmp: &Path, extra: &[&str]) -> (PathBuf, String) {
    let out = tmp.join("pub");
    let geo = geo();
    let mut args = vec!["demo", "--out", out.to_str().unwrap(), "--geo", &geo];
    args.extend_from_slice(extra);
    let o = shafaf(&args);
    assert!(o.status.success(), "{}", text(&o));
    let pin = fs::read_to_string(tmp.join("pub.keys/root.sha256")).unwrap().trim().to_owned();
    (out, pin)
}

fn verify(dir: &Path, pin: &str) -> Output {
    shafaf(&["verify", dir.to_str().unwrap(), "--root-sha256", pin])
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The current release's file whose name starts with `prefix`.
fn file_of(dir: &Path, prefix: &str) -> PathBuf {
    let release = fs::read_to_string(dir.join("release.json")).unwrap();
    let at = release.find(&format!("\"files/{prefix}")).unwrap_or_else(|| panic!("no {prefix} file"));
    let path = release[at + 1..].split('"').next().unwrap();
    dir.join(path)
}

#[test]
fn lorestan_demo_verifies_and_says_demo() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, pin) = demo(tmp.path(), &[]);
    let o = verify(&dir, &pin);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("\nVERIFIED\n"), "{out}");
    assert!(out.contains("DEMO"), "{out}");
}

#[test]
fn national_demo_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, pin) = demo(tmp.path(), &["--scale", "national", "--seed", "7"]);
    let o = shafaf(&["verify", dir.to_str().unwrap(), "--root-sha256", &pin, "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["status"], "verified");
    assert_eq!(report["election"]["provinces"].as_array().unwrap().len(), 31);
    let stations = report["audit"]["stations_registered"].as_u64().unwrap();
    assert!((58_000..=72_000).contains(&stations), "{stations} stations");
    assert_eq!(report["audit"]["station_signatures_verified"].as_u64().unwrap(), stations);
}

#[test]
fn tampered_copies_fail_with_the_cause_named() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, pin) = demo(tmp.path(), &[]);
    let case = |name: &str, edit: &dyn Fn(&Path), expect: &str| {
        let copy = tmp.path().join(name);
        copy_dir(&dir, &copy);
        edit(&copy);
        let o = verify(&copy, &pin);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {out}");
        assert!(out.contains("FAILED"), "{name}: {out}");
        assert!(out.contains(expect), "{name}: expected {expect:?} in\n{out}");
    };
    let flip = |path: PathBuf| {
        move |_: &Path| {
            let mut b = fs::read(&path).unwrap();
            let at = b.len() / 2;
            b[at] ^= 0x01;
            fs::write(&path, b).unwrap();
        }
    };
    for prefix in ["results-IR-15", "contests-IR-15", "stations-IR-15", "election", "geo-counties-IR-15"] {
        let shown = file_of(&dir, prefix).file_name().unwrap().to_string_lossy().into_owned();
        case(&format!("flip-{prefix}"), &|d| flip(file_of(d, prefix))(d), &format!("{shown}: SHA-256 is"));
    }
    case(
        "drop-signature",
        &|d| {
            let sigs = fs::read_to_string(d.join("release.json.sigs")).unwrap();
            fs::write(d.join("release.json.sigs"), format!("{}\n", sigs.lines().next().unwrap())).unwrap();
        },
        "1 valid publisher signature(s), 2 required",
    );
    case("flip-release", &|d| flip(d.join("release.json"))(d), "does not verify");
    case("flip-root", &|d| flip(d.join("root.json"))(d), "pinned trust root");
    case(
        "edit-total",
        &|d| {
            let p = file_of(d, "contests-IR-15");
            let t = fs::read_to_string(&p).unwrap();
            let i = t.find("\"ballots_cast\":").unwrap() + "\"ballots_cast\":".len();
            let edited = format!("{}9{}", &t[..i], &t[i..]);
            fs::write(&p, edited).unwrap();
        },
        "SHA-256",
    );
    // The CLI reads a listed file when its province's audit needs it, and
    // no further than one byte past its listed size.
    case(
        "endless-results",
        &|d| {
            let p = file_of(d, "results-IR-15");
            let mut b = fs::read(&p).unwrap();
            b.extend(std::iter::repeat_n(b'\n', 1 << 20));
            fs::write(&p, b).unwrap();
        },
        "bytes the release lists; nothing past them was read",
    );
    case(
        "missing-stations",
        &|d| fs::remove_file(file_of(d, "stations-IR-15")).unwrap(),
        "missing from the publication",
    );
}

#[test]
fn tamper_mode_verifies_with_findings_and_exits_nonzero() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, pin) = demo(tmp.path(), &["--tamper"]);
    let o = verify(&dir, &pin);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("VERIFIED WITH FINDINGS"), "{out}");
    assert!(out.contains("valid (") && out.contains("≠ ballots cast"), "{out}");
    assert!(out.contains("the recount of station results gives"), "{out}");
}

#[test]
fn unpinned_verify_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = demo(tmp.path(), &[]);
    let o = shafaf(&["verify", dir.to_str().unwrap()]);
    assert!(text(&o).contains("NOT PINNED"), "{}", text(&o));
}

#[test]
fn expired_release_is_reported_as_expired() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, pin) = demo(tmp.path(), &[]);
    let o = shafaf(&["verify", dir.to_str().unwrap(), "--root-sha256", &pin, "--now", "2032-01-01T00:00:00Z"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("EXPIRED"), "{}", text(&o));
}

/// Runs every `sh` block of docs/VERIFY.md in order, in the publication folder.
fn run_verify_md(dir: &Path, pin: &str) -> Output {
    let doc = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/VERIFY.md")).unwrap();
    let mut script = String::from("set -o pipefail\n");
    let mut rest = doc.as_str();
    while let Some(start) = rest.find("```sh\n") {
        let body = &rest[start + 6..];
        let end = body.find("```").unwrap();
        script.push_str(&body[..end]);
        rest = &body[end + 3..];
    }
    Command::new("bash").arg("-c").arg(script).current_dir(dir).env("ROOT_SHA256", pin).output().expect("run bash")
}

#[test]
fn verify_md_recipe_passes_with_standard_tools_and_catches_tampering() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, pin) = demo(tmp.path(), &[]);
    let o = run_verify_md(&dir, &pin);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("release.json: 2 valid publisher signature(s), threshold 2: OK"), "{out}");
    assert!(out.contains("device signature OK"), "{out}");
    assert!(out.contains("witness(es) cosigned the setup before the polls opened: OK"), "{out}");
    assert!(out.contains("the election file and every province's station registry are the setup's: OK"), "{out}");

    // A changed byte in a results file: sha256sum -c fails.
    let p = file_of(&dir, "results-IR-15");
    let mut b = fs::read(&p).unwrap();
    let at = b.len() / 2;
    b[at] ^= 0x01;
    fs::write(&p, b).unwrap();
    let o = run_verify_md(&dir, &pin);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("FAILED"), "{}", text(&o));

    // A dropped publisher signature: below the threshold.
    let (dir, pin) = demo(&tmp.path().join("second"), &[]);
    let sigs = fs::read_to_string(dir.join("release.json.sigs")).unwrap();
    fs::write(dir.join("release.json.sigs"), format!("{}\n", sigs.lines().next().unwrap())).unwrap();
    let o = run_verify_md(&dir, &pin);
    assert!(!o.status.success());
    assert!(text(&o).contains("1 publisher signature(s), 2 required"), "{}", text(&o));
}

#[test]
fn keygen_root_sign_result_publish_verify() {
    let tmp = tempfile::tempdir().unwrap();
    let t = |p: &str| tmp.path().join(p).to_str().unwrap().to_owned();
    let openssl = |args: &[&str]| {
        let o = Command::new("openssl").args(args).output().expect("run openssl");
        assert!(o.status.success(), "openssl {args:?}: {}", text(&o));
        o
    };
    // Keys made by shafaf are read by OpenSSL, which derives the same public key.
    for k in ["root1", "pub1", "dev1"] {
        let o = shafaf(&["keygen", "--out", &t(&format!("keys/{k}"))]);
        assert!(o.status.success(), "{}", text(&o));
        let o = openssl(&["pkey", "-in", &t(&format!("keys/{k}.key")), "-pubout"]);
        assert_eq!(text(&o), fs::read_to_string(t(&format!("keys/{k}.pub.pem"))).unwrap());
    }
    // Keys made by OpenSSL sign the root and a station's result below, and
    // shafaf verifies what they signed.
    for k in ["root2", "dev2"] {
        openssl(&["genpkey", "-algorithm", "ed25519", "-out", &t(&format!("keys/{k}.key"))]);
        openssl(&["pkey", "-in", &t(&format!("keys/{k}.key")), "-pubout", "-out", &t(&format!("keys/{k}.pub.pem"))]);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(t("keys/root1.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // keygen refuses to overwrite a secret key.
    assert!(!shafaf(&["keygen", "--out", &t("keys/root1")]).status.success());

    let o = shafaf(&[
        "root",
        "--election",
        "e1",
        "--root-key",
        &t("keys/root1.pub.pem"),
        "--root-key",
        &t("keys/root2.pub.pem"),
        "--root-threshold",
        "2",
        "--publisher-key",
        &t("keys/pub1.pub.pem"),
        "--expires",
        "2040-01-01T00:00:00Z",
        "--sign",
        &t("keys/root1.key"),
        "--sign",
        &t("keys/root2.key"),
        "--out",
        &t("root"),
    ]);
    assert!(o.status.success(), "{}", text(&o));

    // The PEM body of a public key is its base64 SubjectPublicKeyInfo.
    let spki =
        |k: &str| fs::read_to_string(t(&format!("keys/{k}.pub.pem"))).unwrap().lines().nth(1).unwrap().to_owned();
    let draft = tmp.path().join("draft");
    fs::create_dir_all(draft.join("geo/counties")).unwrap();
    fs::create_dir_all(draft.join("provinces/IR-15/results")).unwrap();
    let empty_geo = r#"{"type":"FeatureCollection","features":[]}"#;
    fs::write(draft.join("geo/provinces.geojson"), empty_geo).unwrap();
    fs::write(draft.join("geo/counties/IR-15.geojson"), empty_geo).unwrap();
    let name = |fa: &str, en: &str| format!(r#"{{"fa":"{fa}","en":"{en}"}}"#);
    fs::write(
        draft.join("election.json"),
        format!(
            r#"{{"type":"shafaf/election/v1","id":"e1","name":{},"demo":false,"election_day":"2026-06-19","polls_open":"2026-06-19T08:00:00+03:30","tie_break":{},"attribution":[],"country":{{"code":"IR","name":{}}},"provinces":[{{"code":"IR-15","name":{},"counties":[{{"code":"1503","name":{}}}]}}]}}"#,
            name("آزمون", "Test"), name("قرعه", "lot"), name("ایران", "Iran"), name("لرستان", "Lorestan"), name("خرم‌آباد", "Khorramabad")
        ),
    )
    .unwrap();
    let cand = |i: u32| {
        format!(r#"{{"id":"k{i}","ballot_code":"{}","name":{}}}"#, 100 + i, name("نامزد", &format!("Candidate {i}")))
    };
    let cands: Vec<String> = (1..=5).map(cand).collect();
    fs::write(
        draft.join("provinces/IR-15/contests.json"),
        format!(
            r#"{{"type":"shafaf/contests/v1","election":"e1","province":"IR-15","contests":[{{"id":"IR-15-v1","kind":"village","county":"1503","name":{},"seats":3,"alternates":2,"eligible":500,"candidates":[{}]}}]}}"#,
            name("ده", "Deh"), cands.join(",")
        ),
    )
    .unwrap();
    fs::write(
        draft.join("provinces/IR-15/stations.json"),
        format!(
            r#"{{"type":"shafaf/stations/v1","election":"e1","province":"IR-15","stations":[{{"id":"s1","contest":"IR-15-v1","eligible":250,"device":"{}"}},{{"id":"s2","contest":"IR-15-v1","eligible":250,"device":"{}"}}]}}"#,
            spki("dev1"), spki("dev2")
        ),
    )
    .unwrap();
    for (s, dev, votes) in [("s1", "dev1", [90, 80, 70, 20, 10]), ("s2", "dev2", [60, 85, 40, 30, 5])] {
        let v: Vec<String> =
            votes.iter().enumerate().map(|(i, n)| format!(r#"{{"candidate":"k{}","votes":{n}}}"#, i + 1)).collect();
        let result = format!(
            r#"{{
  "type": "shafaf/station-result/v1", "election": "e1", "station": "{s}", "contest": "IR-15-v1",
  "opened": "2026-06-19T08:00:00+03:30", "closed": "2026-06-19T21:00:00+03:30",
  "ballots_cast": 200, "valid": 190, "invalid": 10, "votes": [{}]
}}"#,
            v.join(",")
        );
        let path = t(&format!("{s}.json"));
        fs::write(&path, result).unwrap();
        let o = shafaf(&[
            "sign-result",
            "--key",
            &t(&format!("keys/{dev}.key")),
            "--result",
            &path,
            "--out",
            &t(&format!("draft/provinces/IR-15/results/{s}.jsonl")),
        ]);
        assert!(o.status.success(), "{}", text(&o));
    }
    // The setup first, the day before the polls open; then the results, appended in place.
    for first in [true, false] {
        let mut args = vec!["publish", "--draft", &t("draft"), "--root", &t("root"), "--key", &t("keys/pub1.key")]
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        if first {
            args.extend(["--setup", "--issued", "2026-06-18T12:00:00+03:30"].map(str::to_owned));
        } else {
            args.extend(["--previous".to_owned(), t("release")]);
        }
        args.extend(["--expires", "2039-01-01T00:00:00Z", "--out", &t("release")].map(str::to_owned));
        let o = shafaf(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(o.status.success(), "{}", text(&o));
    }
    let o = shafaf(&["verify", &t("release"), "--trusted-root", &t("root/root.json"), "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let contest = &report["election"]["provinces"][0]["contests"][0];
    assert_eq!(contest["totals"]["ballots_cast"], 400);
    assert_eq!(contest["last_seat_margin"], 60);
    let elected: Vec<&str> = contest["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["standing"] == "elected")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(elected, ["k2", "k1", "k3"]);

    // A result signed by a key that is not the station's device is refused at publishing.
    let o = shafaf(&[
        "sign-result",
        "--key",
        &t("keys/dev2.key"),
        "--result",
        &t("s1.json"),
        "--out",
        &t("draft/provinces/IR-15/results/s1.jsonl"),
    ]);
    assert!(o.status.success());
    let o = shafaf(&[
        "publish",
        "--draft",
        &t("draft"),
        "--root",
        &t("root"),
        "--key",
        &t("keys/pub1.key"),
        "--expires",
        "2039-01-01T00:00:00Z",
        "--out",
        &t("release2"),
    ]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("signed by the device of station `s2` but is the result of station `s1`"),
        "{}",
        text(&o)
    );
}

/// The QR codes in an image, as Debian's zbarimg reads them (`cargo xtask
/// test` installs zbar-tools).
fn zbar(image: &Path) -> Vec<String> {
    let o = Command::new("zbarimg")
        .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
        .arg(image)
        .output()
        .expect("zbarimg is not installed: `apt-get install zbar-tools` (`cargo xtask test` does)");
    assert!(o.status.success(), "zbarimg read no QR code in {}: {}", image.display(), text(&o));
    String::from_utf8(o.stdout).unwrap().lines().map(str::to_owned).collect()
}

/// Where a grey PNG is inked: for each row, the columns of its dark pixels'
/// span (`None` for a blank row).
fn inked_rows(image: &Path) -> (u32, Vec<Option<(usize, usize)>>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(image).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.color_type, info.bit_depth), (png::ColorType::Grayscale, png::BitDepth::Eight));
    let rows = pixels[..info.buffer_size()]
        .chunks(info.line_size)
        .map(|row| {
            let dark = |p: &&u8| **p < 128;
            Some((row.iter().position(|p| dark(&p))?, row.iter().rposition(|p| dark(&p))?))
        })
        .collect();
    (info.width, rows)
}

/// The demo's answer key for a release sequence (`releases.json` in the keys folder).
fn releases_key(tmp: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(tmp.join("pub.keys/releases.json")).unwrap()).unwrap()
}

#[test]
fn demo_release_sequence_verifies_and_history_names_the_correction() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, pin) = demo(tmp.path(), &["--releases", "3", "--witness-threshold", "1"]);
    let o = verify(&dir, &pin);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("this release is leaf 3 of 4"), "{out}");
    assert!(out.contains("witnessed by 2 (1 required): demo-witness-1.example.org"), "{out}");
    assert!(out.contains("all 4 release(s) re-checked"), "{out}");
    assert!(out.contains("Pointer       latest.json names release 4"), "{out}");
    assert!(out.contains("Setup         release 1; the registry and candidates were committed 2026-06-18"), "{out}");
    assert!(out.contains("witnessed before the polls opened by 2 (1 required)"), "{out}");

    let key = releases_key(tmp.path());
    let kinds: Vec<&str> = key.as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["setup", "partial", "complete", "correction"]);

    // The demo's station sheets, read by a QR reader other than the app's: each carries its line.
    let sheets = tmp.path().join("pub.keys/sheets");
    let list: serde_json::Value = serde_json::from_slice(&fs::read(sheets.join("sheets.json")).unwrap()).unwrap();
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["matches", "corrected", "differs", "wrong-device", "invalid"]);
    let matches = zbar(&sheets.join("matches.png"));
    let line = shafaf_core::sheet::decode(&matches).expect("the sheet decodes");
    let station = list[0]["station"].as_str().unwrap();
    assert!(line.contains(&format!("\"station\":\"{station}\"")), "{line}");
    let svg = fs::read_to_string(sheets.join("matches.svg")).unwrap();
    assert!(svg.contains("برگه‌ی نتیجه‌ی شعبه") && svg.contains(station), "{svg}");
    // The PNG is the same sheet: 80 mm at 12 pixels a millimetre, the
    // result written right to left from the right margin (4 mm; a glyph
    // may overhang it a little), and nothing drawn within 3 mm of an edge.
    let (width, rows) = inked_rows(&sheets.join("matches.png"));
    assert_eq!(width, 960);
    let title = rows[..12 * 12].iter().flatten();
    let right = title.clone().map(|(_, r)| *r).max().expect("no title drawn on the PNG sheet");
    assert!((12 * 72..=12 * 77).contains(&right), "the title ends at {right} px");
    let inked: Vec<_> = rows.iter().flatten().collect();
    assert!(inked.iter().all(|(l, r)| *l >= 12 * 3 && *r <= 12 * 77), "ink past the margins");
    // The text above the QR code fills lines of its own, then the code.
    let lines = rows.split(Option::is_none).filter(|band| !band.is_empty()).count();
    assert!(lines > 10, "the PNG sheet shows {lines} lines of text and codes");
    // `shafaf sheet` prints the same sheet from the publication.
    let prefix = tmp.path().join("printed");
    let o = shafaf(&[
        "sheet",
        "--publication",
        dir.to_str().unwrap(),
        "--station",
        station,
        "--out",
        prefix.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(shafaf_core::sheet::decode(&zbar(&prefix.with_extension("png"))).unwrap(), line);
    // `shafaf check-sheet` gives each sheet the verdict the app gives it.
    for (name, word) in [
        ("matches", "MATCHES"),
        ("corrected", "CORRECTED"),
        ("differs", "DIFFERS"),
        ("wrong-device", "WRONG DEVICE"),
        ("invalid", "INVALID"),
    ] {
        let parts = tmp.path().join(format!("{name}.txt"));
        fs::write(&parts, zbar(&sheets.join(format!("{name}.png"))).join("\n")).unwrap();
        let o =
            shafaf(&["check-sheet", dir.to_str().unwrap(), "--parts", parts.to_str().unwrap(), "--root-sha256", &pin]);
        assert!(text(&o).starts_with(word), "{name}: {}", text(&o));
        assert_eq!(o.status.success(), name == "matches", "{name}: {}", text(&o));
    }
    // A sheet the publication contradicts: the evidence, checked with nothing but the pinned root.
    let evidence = tmp.path().join("evidence.json");
    let o = shafaf(&[
        "check-sheet",
        dir.to_str().unwrap(),
        "--parts",
        tmp.path().join("differs.txt").to_str().unwrap(),
        "--root-sha256",
        &pin,
        "--evidence",
        evidence.to_str().unwrap(),
    ]);
    assert!(text(&o).starts_with("DIFFERS"), "{}", text(&o));
    let size = fs::metadata(&evidence).unwrap().len();
    let results = fs::metadata(file_of(&dir, "results-IR-15")).unwrap().len();
    assert!(size < results / 2, "the evidence ({size} bytes) is not small beside the results file ({results} bytes)");
    let o = shafaf(&["evidence", "verify", evidence.to_str().unwrap(), "--root-sha256", &pin]);
    assert!(o.status.success() && text(&o).starts_with("PROVEN"), "{}", text(&o));
    assert!(
        text(&o).contains("also signed by the device") || text(&o).contains("not signed by the device"),
        "{}",
        text(&o)
    );
    // One figure of the published line changed: its Merkle proof no longer holds.
    let mut e: serde_json::Value = serde_json::from_slice(&fs::read(&evidence).unwrap()).unwrap();
    let line = e["line"].as_str().unwrap().replacen("\"ballots_cast\":", "\"ballots_cast\":1", 1);
    e["line"] = serde_json::Value::String(line);
    fs::write(&evidence, serde_json::to_vec(&e).unwrap()).unwrap();
    let o = shafaf(&["evidence", evidence.to_str().unwrap(), "--root-sha256", &pin]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).starts_with("NOT PROVEN") && text(&o).contains("proof"), "{}", text(&o));
    let corrected: Vec<&str> =
        key[3]["corrected_stations"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    let flipped: Vec<&str> =
        key[3]["contests_with_new_winners"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(corrected.len() >= 2 && !flipped.is_empty(), "{key}");

    // The history, as text: every release, its signers and witnesses, and the correction.
    let o = shafaf(&["history", dir.to_str().unwrap(), "--root-sha256", &pin]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    for v in 1..=4 {
        assert!(out.contains(&format!("\nRelease {v}  issued")), "{out}");
    }
    assert!(out.contains("witnessed by demo-witness-1.example.org at"), "{out}");
    assert!(out.contains(&format!("{} station(s) corrected: {}", corrected.len(), corrected.join(", "))), "{out}");
    assert!(out.contains("winners changed in") && out.contains(flipped[0]), "{out}");

    // Any two releases, as JSON: what a journalist's comparison shows.
    let o = shafaf(&["history", dir.to_str().unwrap(), "--root-sha256", &pin, "--from", "3", "--to", "4", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let change = &report["changes"][0];
    assert_eq!((change["from"].as_u64(), change["to"].as_u64()), (Some(3), Some(4)));
    let ids = |list: &serde_json::Value, field: &str| -> Vec<String> {
        list.as_array().unwrap().iter().map(|c| c[field].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(ids(&change["stations_corrected"], "station"), corrected);
    let winners: Vec<String> = change["contests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["winners_changed"] == true)
        .map(|c| c["contest"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(winners, flipped);
    assert!(change["stations_added"].as_array().unwrap().is_empty());
    assert_eq!(report["history"]["releases"].as_array().unwrap().len(), 4);
    let o = shafaf(&["history", dir.to_str().unwrap(), "--root-sha256", &pin, "--from", "2", "--to", "3", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let added = report["changes"][0]["stations_added"].as_array().unwrap().len() as u64;
    assert_eq!(added, key[2]["stations_reported"].as_u64().unwrap() - key[1]["stations_reported"].as_u64().unwrap());
}

#[test]
fn verify_extends_accepts_a_later_log_and_refuses_rollback_and_fork() {
    let tmp = tempfile::tempdir().unwrap();
    let seq = ["--releases", "3", "--witness-threshold", "1"];
    let (full, pin) = demo(&tmp.path().join("full"), &seq);
    let (step1, _) = demo(&tmp.path().join("step1"), &[&seq[..], &["--release-step", "1"]].concat());
    let (step2, _) = demo(&tmp.path().join("step2"), &[&seq[..], &["--release-step", "2"]].concat());
    let (other, other_pin) = demo(&tmp.path().join("other"), &["--releases", "1", "--witness-threshold", "1"]);
    assert_eq!(pin, other_pin, "same seed, same root");
    let extends = |dir: &Path, old: &Path| {
        shafaf(&["verify", dir.to_str().unwrap(), "--root-sha256", &pin, "--extends", old.to_str().unwrap()])
    };

    let o = extends(&full, &step1);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("extends") && text(&o).contains("(1 release(s)) with 3 more"), "{}", text(&o));
    assert!(extends(&full, &full.join("checkpoint")).status.success());
    assert!(extends(&step2, &step1).status.success());

    // An older folder served after the newer one was seen: rollback.
    for old in [full.clone(), full.join("checkpoint")] {
        let o = extends(&step2, &old);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(text(&o).contains("rollback") && text(&o).contains("FAILED"), "{}", text(&o));
    }
    // Another release 2 on the same setup, under the same root: the log was rewritten.
    for (dir, old, why) in [(&other, &step2, "root hashes differ"), (&full, &other, "consistency proof")] {
        let o = extends(dir, old);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(text(&o).contains("the release log has forked") && text(&o).contains(why), "{}", text(&o));
    }
}

#[test]
fn an_expired_pointer_is_reported_as_a_freeze_until_it_is_re_signed() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, pin) = demo(tmp.path(), &[]);
    let key = tmp.path().join("pub.keys/timestamp-1.key");
    let o = shafaf(&[
        "timestamp",
        "--key",
        key.to_str().unwrap(),
        "--publication",
        dir.to_str().unwrap(),
        "--now",
        "2026-07-01T00:00:00Z",
        "--expires",
        "2026-07-01T00:10:00Z",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let o = verify(&dir, &pin);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("latest.json: the pointer to the latest release expired") && out.contains("freeze"), "{out}");
    assert!(out.contains("EXPIRED"), "{out}");
    // The timestamp role's online job: a fresh pointer.
    let o = shafaf(&[
        "timestamp",
        "--key",
        key.to_str().unwrap(),
        "--publication",
        dir.to_str().unwrap(),
        "--valid-for",
        "10m",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let o = verify(&dir, &pin);
    assert!(o.status.success(), "{}", text(&o));
    // A publisher key cannot sign the pointer when the root has a timestamp role.
    let o = shafaf(&[
        "timestamp",
        "--key",
        tmp.path().join("pub.keys/publisher-1.key").to_str().unwrap(),
        "--publication",
        dir.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(text(&o).contains("is not a timestamp key"), "{}", text(&o));
}

#[test]
fn verify_md_recipe_checks_the_log_of_a_release_sequence() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, pin) = demo(tmp.path(), &["--releases", "3", "--witness-threshold", "1"]);
    let o = run_verify_md(&dir, &pin);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("checkpoint: 2 valid publisher signature(s), threshold 2: OK"), "{out}");
    assert!(out.contains("checkpoint: 2 valid witness signature(s), threshold 1: OK"), "{out}");
    assert!(out.contains("release.json is leaf 3 of the log of 4 release(s): OK"), "{out}");
    assert!(out.contains("latest.json names this release.json: OK"), "{out}");

    // An inclusion proof hash changed: the recipe fails.
    let proof = dir.join("log/inclusion/3-4");
    let t = fs::read_to_string(&proof).unwrap();
    let (head, hash) = t.split_once('\n').unwrap();
    let flipped = if hash.starts_with('A') { hash.replacen('A', "B", 1) } else { format!("A{}", &hash[1..]) };
    fs::write(&proof, format!("{head}\n{flipped}")).unwrap();
    let o = run_verify_md(&dir, &pin);
    assert!(!o.status.success());
    assert!(text(&o).contains("release.json is not in the log the checkpoint signs: FAILED"), "{}", text(&o));
}

/// An authority with two publishers' worth of keys, a witness and a
/// timestamp key, a trust root and a draft of one village with two stations
/// whose devices sign their results; `reported` picks which stations'
/// results are in the draft.
fn authority(tmp: &Path) -> impl Fn(&str) -> String + '_ {
    let t = move |p: &str| tmp.join(p).to_str().unwrap().to_owned();
    for k in ["root1", "pub1", "wit1", "wit2", "ts1", "dev1", "dev2"] {
        let o = shafaf(&["keygen", "--out", &t(&format!("keys/{k}"))]);
        assert!(o.status.success(), "{}", text(&o));
    }
    let o = shafaf(&[
        "root",
        "--election",
        "e1",
        "--root-key",
        &t("keys/root1.pub.pem"),
        "--publisher-key",
        &t("keys/pub1.pub.pem"),
        "--witness-key",
        &t("keys/wit1.pub.pem"),
        "--witness-name",
        "observer.example/one",
        "--witness-key",
        &t("keys/wit2.pub.pem"),
        "--witness-name",
        "observer.example/two",
        "--witness-threshold",
        "1",
        "--timestamp-key",
        &t("keys/ts1.pub.pem"),
        "--expires",
        "2040-01-01T00:00:00Z",
        "--sign",
        &t("keys/root1.key"),
        "--out",
        &t("root"),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let spki =
        |k: &str| fs::read_to_string(t(&format!("keys/{k}.pub.pem"))).unwrap().lines().nth(1).unwrap().to_owned();
    let draft = tmp.join("draft");
    fs::create_dir_all(draft.join("geo/counties")).unwrap();
    fs::create_dir_all(draft.join("provinces/IR-15/results")).unwrap();
    let empty_geo = r#"{"type":"FeatureCollection","features":[]}"#;
    fs::write(draft.join("geo/provinces.geojson"), empty_geo).unwrap();
    fs::write(draft.join("geo/counties/IR-15.geojson"), empty_geo).unwrap();
    let name = |en: &str| format!(r#"{{"fa":"نام","en":"{en}"}}"#);
    fs::write(
        draft.join("election.json"),
        format!(
            r#"{{"type":"shafaf/election/v1","id":"e1","name":{},"demo":false,"election_day":"2026-06-19","polls_open":"2026-06-19T08:00:00+03:30","tie_break":{},"attribution":[],"country":{{"code":"IR","name":{}}},"provinces":[{{"code":"IR-15","name":{},"counties":[{{"code":"1503","name":{}}}]}}]}}"#,
            name("Test"), name("lot"), name("Iran"), name("Lorestan"), name("Khorramabad")
        ),
    )
    .unwrap();
    let cands: Vec<String> = (1..=5)
        .map(|i| format!(r#"{{"id":"k{i}","ballot_code":"{}","name":{}}}"#, 100 + i, name("Candidate")))
        .collect();
    fs::write(
        draft.join("provinces/IR-15/contests.json"),
        format!(
            r#"{{"type":"shafaf/contests/v1","election":"e1","province":"IR-15","contests":[{{"id":"IR-15-v1","kind":"village","county":"1503","name":{},"seats":3,"alternates":2,"eligible":500,"candidates":[{}]}}]}}"#,
            name("Deh"), cands.join(",")
        ),
    )
    .unwrap();
    fs::write(
        draft.join("provinces/IR-15/stations.json"),
        format!(
            r#"{{"type":"shafaf/stations/v1","election":"e1","province":"IR-15","stations":[{{"id":"s1","contest":"IR-15-v1","eligible":250,"device":"{}"}},{{"id":"s2","contest":"IR-15-v1","eligible":250,"device":"{}"}}]}}"#,
            spki("dev1"), spki("dev2")
        ),
    )
    .unwrap();
    for (s, votes) in [("s1", [90, 80, 70, 20, 10]), ("s2", [60, 85, 40, 30, 5])] {
        let v: Vec<String> =
            votes.iter().enumerate().map(|(i, n)| format!(r#"{{"candidate":"k{}","votes":{n}}}"#, i + 1)).collect();
        fs::write(
            tmp.join(format!("{s}.json")),
            format!(
                r#"{{"type":"shafaf/station-result/v1","election":"e1","station":"{s}","contest":"IR-15-v1","opened":"2026-06-19T08:00:00+03:30","closed":"2026-06-19T21:00:00+03:30","ballots_cast":200,"valid":190,"invalid":10,"votes":[{}]}}"#,
                v.join(",")
            ),
        )
        .unwrap();
    }
    t
}

fn sign_into_draft(t: &dyn Fn(&str) -> String, station: &str, device: &str) {
    let o = shafaf(&[
        "sign-result",
        "--key",
        &t(&format!("keys/{device}.key")),
        "--result",
        &t(&format!("{station}.json")),
        "--out",
        &t(&format!("draft/provinces/IR-15/results/{station}.jsonl")),
    ]);
    assert!(o.status.success(), "{}", text(&o));
}

fn publish_into(t: &dyn Fn(&str) -> String, previous: Option<&str>, out: &str, issued: &str) -> Output {
    let mut args = vec![
        "publish".to_owned(),
        "--draft".into(),
        t("draft"),
        "--root".into(),
        t("root"),
        "--key".into(),
        t("keys/pub1.key"),
        "--timestamp-key".into(),
        t("keys/ts1.key"),
        "--expires".into(),
        "2039-01-01T00:00:00Z".into(),
        "--issued".into(),
        issued.into(),
        "--pointer-valid-for".into(),
        "3650d".into(),
        "--out".into(),
        t(out),
    ];
    if let Some(p) = previous {
        args.extend(["--previous".to_owned(), t(p)]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    shafaf(&args)
}

#[test]
fn publish_appends_to_the_log_and_witnesses_cosign_after_checking_it() {
    let tmp = tempfile::tempdir().unwrap();
    let t = authority(tmp.path());
    let root = t("root/root.json");
    let check = |dir: &str| shafaf(&["verify", &t(dir), "--trusted-root", &root]);
    let witness = |key: &str, dir: &str| {
        shafaf(&["witness", "--key", &t(&format!("keys/{key}.key")), "--publication", &t(dir), "--trusted-root", &root])
    };

    // Release 1, the setup, the day before the polls open: no results. Not
    // witnessed yet: refused for want of a witness.
    let o = shafaf(&[
        "publish",
        "--setup",
        "--draft",
        &t("draft"),
        "--root",
        &t("root"),
        "--key",
        &t("keys/pub1.key"),
        "--timestamp-key",
        &t("keys/ts1.key"),
        "--expires",
        "2039-01-01T00:00:00Z",
        "--issued",
        "2026-06-18T12:00:00+03:30",
        "--pointer-valid-for",
        "3650d",
        "--out",
        &t("pub"),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("published setup release 1") && text(&o).contains("the polls open at"), "{}", text(&o));
    let o = check("pub");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("0 valid witness signature(s), 1 required"), "{}", text(&o));
    let setup_witness = |key: &str| {
        let key = t(&format!("keys/{key}.key"));
        shafaf(&[
            "witness",
            "--key",
            &key,
            "--publication",
            &t("pub"),
            "--trusted-root",
            &root,
            "--now",
            "2026-06-18T12:30:00+03:30",
        ])
    };
    let o = setup_witness("wit1");
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("as observer.example/one"), "{}", text(&o));
    let o = check("pub");
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("witnessed by 1 (1 required): observer.example/one"), "{}", text(&o));
    assert!(text(&o).contains("this release is the setup: no results yet"), "{}", text(&o));
    fs::create_dir_all(t("saved")).unwrap();
    fs::copy(t("pub/checkpoint"), t("saved/checkpoint-1")).unwrap();

    // Release 2: station s1 reports. The version follows the log.
    sign_into_draft(&t, "s1", "dev1");
    let o = publish_into(&t, Some("pub"), "pub", "2026-06-19T22:00:00+03:30");
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("published results release 2"), "{}", text(&o));
    let o = witness("wit1", "pub");
    assert!(o.status.success(), "{}", text(&o));
    let o = check("pub");
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("witnessed before the polls opened by 1 (1 required): observer.example/one"),
        "{}",
        text(&o)
    );

    // A station registered after the polls opened is refused at publishing, named.
    let stations = t("draft/provinces/IR-15/stations.json");
    let committed = fs::read_to_string(&stations).unwrap();
    let spki = fs::read_to_string(t("keys/ts1.pub.pem")).unwrap().lines().nth(1).unwrap().to_owned();
    let ghost =
        committed.replace("]}", &format!(r#",{{"id":"s9","contest":"IR-15-v1","eligible":0,"device":"{spki}"}}]}}"#));
    fs::write(&stations, ghost).unwrap();
    let o = publish_into(&t, Some("pub"), "ghost", "2026-06-20T03:00:00+03:30");
    assert!(!o.status.success());
    assert!(
        text(&o).contains("station `s9`") && text(&o).contains("not in the registry committed before the polls opened"),
        "{}",
        text(&o)
    );
    fs::write(&stations, committed).unwrap();

    // Release 3, appended in place: s2 reports too.
    sign_into_draft(&t, "s2", "dev2");
    let o = publish_into(&t, Some("pub"), "pub", "2026-06-20T06:00:00+03:30");
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("published results release 3"), "{}", text(&o));
    for w in ["wit1", "wit2"] {
        let o = witness(w, "pub");
        assert!(o.status.success(), "{}", text(&o));
    }
    let o = shafaf(&["verify", &t("pub"), "--trusted-root", &root, "--extends", &t("saved/checkpoint-1")]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("leaf 2 of 3") && text(&o).contains("witnessed by 2"), "{}", text(&o));
    assert!(fs::read(t("pub/releases/1/release.json")).is_ok());

    // Release 4 appended; the witness's saved checkpoint moves on with it.
    copy_dir(Path::new(&t("pub")), Path::new(&t("pub2")));
    let o = publish_into(&t, Some("pub"), "pub", "2026-06-21T06:00:00+03:30");
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("published results release 4"), "{}", text(&o));
    let o = witness("wit1", "pub");
    assert!(o.status.success(), "{}", text(&o));
    // The folder as it was at release 3, shown to the witness again: a rollback.
    let o = witness("wit1", "pub2");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("refusing to cosign") && text(&o).contains("rollback"), "{}", text(&o));
    // Another release 4 on the same release 3: a fork, refused too.
    let o = publish_into(&t, Some("pub2"), "fork", "2026-06-21T07:00:00+03:30");
    assert!(o.status.success(), "{}", text(&o));
    let o = witness("wit1", "fork");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("refusing to cosign") && text(&o).contains("forked"), "{}", text(&o));
    // A version that does not follow the log is refused at publishing.
    let o = shafaf(&[
        "publish",
        "--draft",
        &t("draft"),
        "--root",
        &t("root"),
        "--key",
        &t("keys/pub1.key"),
        "--timestamp-key",
        &t("keys/ts1.key"),
        "--expires",
        "2039-01-01T00:00:00Z",
        "--previous",
        &t("pub"),
        "--version",
        "7",
        "--out",
        &t("bad"),
    ]);
    assert!(!o.status.success());
    assert!(text(&o).contains("the next release is version 5, not 7"), "{}", text(&o));
}

/// Serves `dir` over HTTP on a free port until the test ends; returns its URL.
fn serve_dir(dir: PathBuf) -> String {
    use std::io::{BufRead as _, BufReader, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split(' ').nth(1).unwrap_or("/").trim_start_matches('/').to_owned();
            let mut stream = stream;
            let _ = match fs::read(dir.join(&path)) {
                Ok(body) => stream
                    .write_all(
                        format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())
                            .as_bytes(),
                    )
                    .and_then(|()| stream.write_all(&body)),
                Err(_) => stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
            };
        }
    });
    url
}

#[test]
fn check_app_says_identical_for_the_build_and_names_a_changed_file() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("fonts")).unwrap();
    fs::write(site.join("index.html"), "<!DOCTYPE html><title>x</title>").unwrap();
    fs::write(site.join("app-0123456789abcdef.js"), "export default 1;\n").unwrap();
    fs::write(site.join("fonts/f.woff2"), [0u8, 1, 2, 3]).unwrap();
    // The list is what `sha256sum` writes, sorted by path.
    let o = Command::new("bash")
        .arg("-c")
        .arg("sha256sum app-0123456789abcdef.js fonts/f.woff2 index.html > app-files.txt")
        .current_dir(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let local = tmp.path().join("local");
    copy_dir(&site, &local);
    let hash = {
        let o = Command::new("sha256sum").arg(site.join("app-files.txt")).output().unwrap();
        text(&o).split_whitespace().next().unwrap().to_owned()
    };
    let url = serve_dir(site.clone());
    let local_arg = local.to_str().unwrap();

    let o = shafaf(&["check-app", &url, "--dist", local_arg, "--hash", &hash]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("identical"), "{}", text(&o));

    // One changed byte in a served file: named, against both the served list and the build.
    let mut js = fs::read(site.join("app-0123456789abcdef.js")).unwrap();
    js[0] ^= 1;
    fs::write(site.join("app-0123456789abcdef.js"), js).unwrap();
    let o = shafaf(&["check-app", &url, "--dist", local_arg]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("DIFFERS") && text(&o).contains("✗ app-0123456789abcdef.js: served with SHA-256"),
        "{}",
        text(&o)
    );
    assert!(!text(&o).contains("index.html:"), "{}", text(&o));

    // A build known by another hash is not this one.
    let o = shafaf(&["check-app", &url, "--hash", &"0".repeat(64)]);
    assert!(!o.status.success());
    assert!(text(&o).contains("app-files.txt: its hash is"), "{}", text(&o));
}
