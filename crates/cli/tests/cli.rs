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

fn file_of(dir: &Path, prefix: &str) -> PathBuf {
    fs::read_dir(dir.join("files"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} file"))
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
    for k in ["root1", "root2", "pub1", "dev1", "dev2"] {
        let o = shafaf(&["keygen", "--out", &t(&format!("keys/{k}"))]);
        assert!(o.status.success(), "{}", text(&o));
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
            r#"{{"type":"shafaf/election/v1","id":"e1","name":{},"demo":false,"election_day":"2026-06-19","tie_break":{},"attribution":[],"country":{{"code":"IR","name":{}}},"provinces":[{{"code":"IR-15","name":{},"counties":[{{"code":"1503","name":{}}}]}}]}}"#,
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
            r#"{{"type":"shafaf/contests/v1","election":"e1","province":"IR-15","contests":[{{"id":"v1","kind":"village","county":"1503","name":{},"seats":3,"alternates":2,"eligible":500,"candidates":[{}]}}]}}"#,
            name("ده", "Deh"), cands.join(",")
        ),
    )
    .unwrap();
    fs::write(
        draft.join("provinces/IR-15/stations.json"),
        format!(
            r#"{{"type":"shafaf/stations/v1","election":"e1","province":"IR-15","stations":[{{"id":"s1","contest":"v1","eligible":250,"device":"{}"}},{{"id":"s2","contest":"v1","eligible":250,"device":"{}"}}]}}"#,
            spki("dev1"), spki("dev2")
        ),
    )
    .unwrap();
    for (s, dev, votes) in [("s1", "dev1", [90, 80, 70, 20, 10]), ("s2", "dev2", [60, 85, 40, 30, 5])] {
        let v: Vec<String> =
            votes.iter().enumerate().map(|(i, n)| format!(r#"{{"candidate":"k{}","votes":{n}}}"#, i + 1)).collect();
        let result = format!(
            r#"{{
  "type": "shafaf/station-result/v1", "election": "e1", "station": "{s}", "contest": "v1",
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
    let o = shafaf(&[
        "publish",
        "--draft",
        &t("draft"),
        "--root",
        &t("root"),
        "--key",
        &t("keys/pub1.key"),
        "--version",
        "1",
        "--expires",
        "2039-01-01T00:00:00Z",
        "--out",
        &t("release"),
    ]);
    assert!(o.status.success(), "{}", text(&o));
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
