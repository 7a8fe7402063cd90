//! The release log as a reader meets it: a sequence of releases that
//! verifies; an older release served (rollback), a rewritten log (fork), an
//! expired pointer (freeze), missing witnesses and tampered checkpoints and
//! proofs, each refused with a finding that says so; and the history of
//! corrections. Runs natively and in headless Chromium.

mod common;

use common::{log_fixture, LogFixture, LOG_ISSUED, NOW};
use shafaf_core::findings::Finding;
use shafaf_core::history::{self, diff};
use shafaf_core::log::{self, Checkpoint};
use shafaf_core::model::{Role, Sha256Hex};
use shafaf_core::publish::log_files;
use shafaf_core::verify::log::{files_to_fetch, verify_extends_in, Extension};
use shafaf_core::verify::{
    audit_province, check_file, verify_publication, verify_publication_with, verify_release, verify_root,
    verify_signed, verify_signed_from, Failure, LogPolicy, Status, TrustAnchor, VerifiedElection, VerifiedRoot,
};
use shafaf_core::{format, Publication};
use time::macros::datetime;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

macro_rules! tests {
    ($($(#[$m:meta])* fn $name:ident() $body:block)*) => {
        $(
            $(#[$m])*
            #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
            #[cfg_attr(not(target_arch = "wasm32"), test)]
            fn $name() $body
        )*
    };
}

fn pin(p: &Publication) -> TrustAnchor {
    TrustAnchor::pinned(Sha256Hex::of(p.get("root.json").unwrap()))
}

fn root(p: &Publication) -> VerifiedRoot {
    verify_root(p.get("root.json").unwrap(), p.get("root.json.sigs").unwrap(), &pin(p), NOW).unwrap()
}

fn strict() -> LogPolicy {
    LogPolicy { require_log: true, held: None, witnesses_pending: false }
}

fn holding(p: &Publication) -> LogPolicy {
    LogPolicy {
        require_log: true,
        held: Some(Checkpoint::from_note("saved", p.get("checkpoint").unwrap()).unwrap()),
        witnesses_pending: false,
    }
}

fn verify(p: &Publication, policy: &LogPolicy) -> Result<VerifiedElection, Failure> {
    verify_publication_with(p, &pin(p), NOW, policy)
}

fn refused(p: &Publication, policy: &LogPolicy) -> Vec<Finding> {
    match verify(p, policy) {
        Ok(v) => panic!("expected a refusal, got {:?} with {:?}", v.status(), v.findings),
        Err(f) => f.findings,
    }
}

fn has(findings: &[Finding], code: &str) -> bool {
    findings.iter().any(|f| f.code() == code)
}

/// The log fixture, made once per test binary (natively; per test in wasm).
fn fixture() -> &'static LogFixture {
    #[cfg(not(target_arch = "wasm32"))]
    {
        static FX: std::sync::OnceLock<LogFixture> = std::sync::OnceLock::new();
        FX.get_or_init(|| log_fixture(1))
    }
    #[cfg(target_arch = "wasm32")]
    {
        Box::leak(Box::new(log_fixture(1)))
    }
}

/// A different release 2 on the same release 1: the same root, a rewritten history.
fn forked(fx: &LogFixture) -> Publication {
    let drafts = common::log_drafts(&fx.draft, &fx.devices);
    common::append(fx, Some(&fx.steps[0]), &drafts[2], 2, LOG_ISSUED[1], 2).unwrap()
}

tests! {
    fn from_a_verified_release_the_signed_level_is_reached_as_from_the_root() {
        // The browser verifies the root and the release first, to know what to fetch, and goes on from there.
        let fx = fixture();
        // The fork is refused at the log stage, after the release verified.
        for (p, policy, verifies) in [(&fx.steps[2], strict(), true), (&forked(fx), holding(&fx.steps[2]), false)] {
            #[allow(clippy::result_large_err)]
            let listed = |e: &shafaf_core::model::FileEntry| check_file(e, p.get(&e.path));
            let whole = verify_signed(p, &pin(p), NOW, &policy, listed);
            let release =
                verify_release(root(p), p.get("release.json").unwrap(), p.get("release.json.sigs").unwrap(), NOW).unwrap();
            let from = verify_signed_from(release, p, NOW, &policy, listed);
            assert_eq!(whole.is_ok(), verifies);
            match (whole, from) {
                (Ok(a), Ok(b)) => {
                    // What was checked, in a form without hash-map order.
                    let checked = |s: &shafaf_core::verify::SignedRelease| {
                        let logged = s.logged();
                        format!(
                            "{:?}",
                            (s.root().audit(), s.release().audit(), logged.log(), logged.pointer(), s.election(), s.summary(), s.setup())
                        )
                    };
                    assert_eq!(checked(&a), checked(&b));
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a.findings, b.findings);
                    assert_eq!(format!("{:?}", a.audit), format!("{:?}", b.audit));
                }
                (a, b) => panic!("one verified, the other did not: {:?} / {:?}", a.err(), b.err()),
            }
        }
    }

    fn a_three_release_log_verifies_with_its_witnesses_and_pointer() {
        let fx = fixture();
        let p = &fx.steps[2];
        let v = verify(p, &strict()).unwrap();
        assert_eq!(v.status(), Status::Verified, "{:?}", v.findings);
        let log = v.audit.log.as_ref().expect("log audited");
        assert_eq!((log.index, log.checkpoint.size, log.witness_threshold), (2, 3, 1));
        let witnesses: Vec<&str> = log.checkpoint.witnesses().map(|w| w.name.as_str()).collect();
        assert_eq!(witnesses, ["w1.example.org/log", "w2.example.org/log"]);
        assert!(log.checkpoint.witnesses().all(|w| w.timestamp.is_some()));
        let pointer = v.audit.pointer.as_ref().expect("pointer audited");
        assert_eq!((pointer.version, pointer.log_size, pointer.role), (3, 3, Role::Timestamp));
        let h = history::verify_log_folder(p, &root(p)).unwrap();
        assert_eq!(h.releases.iter().map(|r| r.version).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(h.root_hash, log.checkpoint.root_hash);
        // Every earlier step verifies too, and each extends the one before.
        for i in 0..2 {
            let next = verify(&fx.steps[i + 1], &holding(&fx.steps[i])).unwrap();
            let extends = next.audit.log.unwrap().extends;
            assert_eq!(extends, Some(Extension::Extends { from: i as u64 + 1, to: i as u64 + 2 }));
        }
        let same = verify(p, &holding(p)).unwrap();
        assert_eq!(same.audit.log.unwrap().extends, Some(Extension::Same { size: 3 }));
    }

    fn a_browser_fetching_only_what_files_to_fetch_names_verifies_the_log() {
        let fx = fixture();
        let full = &fx.steps[2];
        let held = Checkpoint::from_note("saved", fx.steps[0].get("checkpoint").unwrap()).unwrap();
        let mut p = Publication::new();
        for path in ["root.json", "root.json.sigs", "release.json", "release.json.sigs"] {
            p.insert(path, full.get(path).unwrap().to_vec());
        }
        let r = root(&p);
        let release = shafaf_core::verify::verify_release(r, p.get("release.json").unwrap(), p.get("release.json.sigs").unwrap(), NOW).unwrap();
        let wanted = files_to_fetch(&release, Some(&held));
        assert_eq!(
            wanted,
            [
                "checkpoint",
                "latest.json",
                "latest.json.sigs",
                "log/inclusion/2-3",
                "log/consistency/1-3",
                "releases/1/release.json",
                "releases/1/release.json.sigs",
                "releases/1/checkpoint",
                "log/inclusion/0-3"
            ]
        );
        for path in wanted.iter().map(String::as_str).chain(release.files().iter().map(|f| f.path.as_str())) {
            p.insert(path, full.get(path).unwrap().to_vec());
        }
        // The audit compares each province with the setup: its contests file too.
        let setup: shafaf_core::model::ReleaseDoc =
            serde_json::from_slice(full.get("releases/1/release.json").unwrap()).unwrap();
        for f in setup.files.iter().filter(|f| f.kind == shafaf_core::model::FileKind::Contests) {
            p.insert(&f.path, full.get(&f.path).unwrap().to_vec());
        }
        let policy = LogPolicy { require_log: true, held: Some(held), witnesses_pending: false };
        let v = verify(&p, &policy).unwrap();
        assert_eq!(v.audit.log.unwrap().extends, Some(Extension::Extends { from: 1, to: 3 }));
    }

    fn the_app_path_without_log_files_still_verifies_when_no_witness_is_required() {
        let fx = common::log_fixture(0);
        let mut p = fx.steps[2].clone();
        for path in ["checkpoint", "latest.json", "latest.json.sigs"] {
            p.remove(path);
        }
        let v = verify_publication(&p, &pin(&p), NOW).unwrap();
        assert_eq!(v.status(), Status::Verified);
        assert!(v.audit.log.is_none() && v.audit.pointer.is_none());
        // The CLI's policy and a reader with a saved checkpoint require them.
        assert!(has(&refused(&p, &strict()), "file_missing"));
        assert!(has(&refused(&p, &holding(&fx.steps[1])), "file_missing"));
    }

    fn serving_an_older_release_to_a_reader_who_held_a_newer_checkpoint_is_a_rollback() {
        let fx = fixture();
        let f = refused(&fx.steps[1], &holding(&fx.steps[2]));
        assert!(matches!(&f[..], [Finding::Rollback { held: 3, served: 2, .. }]), "{f:?}");
        assert!(f[0].to_string().contains("rollback"));
    }

    fn an_older_release_json_beside_the_newer_log_is_a_stale_release() {
        let fx = fixture();
        let mut p = fx.steps[2].clone();
        for (top, old) in [("release.json", "releases/2/release.json"), ("release.json.sigs", "releases/2/release.json.sigs")] {
            let bytes = p.get(old).unwrap().to_vec();
            p.insert(top, bytes);
        }
        let f = refused(&p, &strict());
        assert!(matches!(&f[..], [Finding::StaleRelease { served: 2, latest: 3, .. }]), "{f:?}");
        // With its own checkpoint, the pointer still names release 3.
        let bytes = p.get("releases/2/checkpoint").unwrap().to_vec();
        p.insert("checkpoint", bytes);
        let f = refused(&p, &strict());
        assert!(matches!(&f[..], [Finding::StaleRelease { served: 2, latest: 3, .. }]), "{f:?}");
    }

    fn a_rewritten_log_of_the_same_size_is_a_fork() {
        let fx = fixture();
        let fork = forked(fx);
        assert!(verify(&fork, &strict()).is_ok(), "the fork is well signed on its own");
        let f = refused(&fork, &holding(&fx.steps[1]));
        assert!(matches!(&f[..], [Finding::Fork { detail, .. }] if detail.contains("root hashes differ")), "{f:?}");
    }

    fn a_log_that_does_not_extend_the_held_checkpoint_is_a_fork() {
        let fx = fixture();
        let fork = forked(fx);
        let f = refused(&fx.steps[2], &holding(&fork));
        assert!(matches!(&f[..], [Finding::Fork { detail, .. }] if detail.contains("consistency proof")), "{f:?}");
        // verify_extends directly, on the checkpoints and the proof file.
        let held = Checkpoint::from_note("saved", fork.get("checkpoint").unwrap()).unwrap();
        let new = Checkpoint::from_note("new", fx.steps[2].get("checkpoint").unwrap()).unwrap();
        assert!(matches!(verify_extends_in(&fx.steps[2], &held, &new), Err(Finding::Fork { .. })));
        let renamed = Checkpoint { origin: "another/log".into(), ..held };
        assert!(matches!(verify_extends_in(&fx.steps[2], &renamed, &new), Err(Finding::Fork { .. })));
    }

    fn an_expired_pointer_is_refused_as_a_freeze() {
        let fx = fixture();
        let p = &fx.steps[2];
        let later = datetime!(2026-06-25 00:00 UTC);
        let f = verify_publication_with(p, &pin(p), later, &strict()).unwrap_err();
        assert_eq!(f.status(), Status::Expired);
        assert!(matches!(&f.findings[..], [Finding::Frozen { .. }]), "{:?}", f.findings);
        assert!(f.findings[0].to_string().contains("freeze"));
        // Re-signed by the timestamp key, it is fresh again.
        let mut p = p.clone();
        let stamp: Vec<_> = fx.timestamp_keys.iter().collect();
        let r = root(&p);
        log_files::sign_pointer(&mut p, &r, later, later + time::Duration::minutes(10), &stamp).unwrap();
        assert!(verify_publication_with(&p, &pin(&p), later, &strict()).is_ok());
    }

    fn a_pointer_signed_by_a_publisher_instead_of_the_timestamp_role_is_refused() {
        let fx = fixture();
        let mut p = fx.steps[2].clone();
        let keys: Vec<_> = fx.publisher_keys.iter().collect();
        let bytes = p.get("latest.json").unwrap().to_vec();
        p.insert("latest.json.sigs", shafaf_core::publish::sign_bytes(&bytes, &keys));
        let f = refused(&p, &strict());
        assert!(has(&f, "bad_signature") && has(&f, "threshold_not_met"), "{f:?}");
    }

    fn a_pointer_naming_another_release_is_refused() {
        let fx = fixture();
        // The pointer of release 2 beside release 3: it names an older release.
        let mut p = fx.steps[2].clone();
        for path in ["latest.json", "latest.json.sigs"] {
            p.insert(path, fx.steps[1].get(path).unwrap().to_vec());
        }
        assert!(has(&refused(&p, &strict()), "pointer_mismatch"));
        // Release 2 served with release 3's pointer: a newer one exists.
        let mut p = fx.steps[1].clone();
        for path in ["latest.json", "latest.json.sigs"] {
            p.insert(path, fx.steps[2].get(path).unwrap().to_vec());
        }
        let f = refused(&p, &strict());
        assert!(matches!(&f[..], [Finding::StaleRelease { served: 2, latest: 3, .. }]), "{f:?}");
    }

    fn too_few_witness_cosignatures_are_refused() {
        let fx = common::log_fixture(2);
        // One witness cosigned the next release; the root requires two.
        let drafts = common::log_drafts(&fx.draft, &fx.devices);
        let mut fx2 = fx;
        fx2.steps.truncate(2);
        let p = common::append(&fx2, Some(&fx2.steps[1]), &drafts[2], 3, LOG_ISSUED[2], 1).unwrap();
        let f = refused(&p, &LogPolicy::default());
        assert!(
            f.iter().any(|f| matches!(f, Finding::ThresholdNotMet { role: Role::Witness, valid: 1, threshold: 2, .. })),
            "{f:?}"
        );
        // The second witness checks the log and cosigns: now it verifies.
        let mut p = p;
        let r = root(&p);
        log_files::cosign(&mut p, &r, &fx2.witness_keys[1], NOW).unwrap();
        assert!(verify(&p, &strict()).is_ok());
        assert_eq!(p.get("checkpoint"), p.get("releases/3/checkpoint"));
        // Stripping the checkpoint does not help when the root requires witnesses.
        p.remove("checkpoint");
        assert!(has(&refused(&p, &LogPolicy::default()), "file_missing"));
    }

    fn a_key_that_is_not_a_witness_cannot_cosign_and_its_line_is_ignored() {
        let fx = fixture();
        let mut p = fx.steps[2].clone();
        let r = root(&p);
        assert!(log_files::cosign(&mut p, &r, &fx.devices[0], NOW).is_err());
        // A stranger's line in the note format is ignored, as the note spec requires.
        let mut note = log::note::SignedNote::parse("checkpoint", p.get("checkpoint").unwrap()).unwrap();
        note.add(log::note::cosign(&note.text.clone(), "stranger.example", &fx.devices[0], 1));
        p.insert("checkpoint", note.to_bytes());
        p.insert("releases/3/checkpoint", note.to_bytes());
        let v = verify(&p, &strict()).unwrap();
        assert_eq!(v.audit.log.unwrap().checkpoint.unknown_signatures, 1);
    }

    fn a_cosignature_dated_in_the_future_or_before_its_release_is_refused_and_named() {
        let fx = fixture();
        let good = fx.steps[2].get("checkpoint").unwrap().to_vec();
        let cp = Checkpoint::from_note("c", &good).unwrap();
        let keys: Vec<_> = fx.publisher_keys.iter().collect();
        // The second witness cosigns at the time given; the first honestly at NOW.
        let with_second_at = |timestamp: u64| {
            let mut p = fx.steps[2].clone();
            let r = root(&p);
            let bytes = log_files::sign_checkpoint(&cp, &r, &keys).unwrap();
            let bytes = log_files::cosign_checkpoint(&bytes, &r, &fx.witness_keys[0], NOW).unwrap();
            let mut note = log::note::SignedNote::parse("checkpoint", &bytes).unwrap();
            let name = r.key_name(&fx.witness_keys[1].public().id());
            note.add(log::note::cosign(&note.text.clone(), &name, &fx.witness_keys[1], timestamp));
            p.insert("checkpoint", note.to_bytes());
            p.insert("releases/3/checkpoint", note.to_bytes());
            p
        };
        let unix = |t: time::OffsetDateTime| t.unix_timestamp() as u64;
        let problem = |p: &Publication| match &refused(p, &strict())[..] {
            [Finding::BadCheckpoint { file, problem }] if file == "checkpoint" => problem.clone(),
            f => panic!("{f:?}"),
        };
        let name = root(&fx.steps[2]).key_name(&fx.witness_keys[1].public().id());
        // Dated 2100: after the reader's clock.
        let p = problem(&with_second_at(unix(datetime!(2100-01-01 00:00 UTC))));
        assert!(p.contains(&name) && p.contains("2100-01-01") && p.contains("after the reader's clock"), "{p}");
        // Dated before the release it covers was issued.
        let p = problem(&with_second_at(unix(LOG_ISSUED[2]) - 3600));
        assert!(p.contains(&name) && p.contains("before the release it covers was issued"), "{p}");
        // Dated 2^63 - 1 seconds after 1970: no calendar holds it, and it does not count.
        let p = problem(&with_second_at(i64::MAX as u64));
        assert!(p.contains(&name) && p.contains("past the year 9999"), "{p}");
        // A witness clock a few minutes ahead of the reader's is allowed.
        let v = verify(&with_second_at(unix(NOW) + 300), &strict()).unwrap();
        let times: Vec<_> = v.audit.log.unwrap().checkpoint.witnesses().map(|w| w.timestamp.unwrap()).collect();
        assert_eq!(times, [NOW, NOW + time::Duration::minutes(5)]);
    }

    fn a_tampered_checkpoint_is_refused() {
        let fx = fixture();
        let good = fx.steps[2].get("checkpoint").unwrap().to_vec();
        let text = String::from_utf8(good.clone()).unwrap();
        // The size changed: every signature fails.
        let mut p = fx.steps[2].clone();
        p.insert("checkpoint", text.replacen("\n3\n", "\n4\n", 1).into_bytes());
        let f = refused(&p, &strict());
        assert!(has(&f, "bad_signature"), "{f:?}");
        // A dishonest publisher signs a checkpoint with another root hash:
        // the release is not in the log it signs.
        let mut p = fx.steps[2].clone();
        let cp = Checkpoint::from_note("c", &good).unwrap();
        let wrong = Checkpoint { root_hash: [7; 32], ..cp };
        let keys: Vec<_> = fx.publisher_keys.iter().collect();
        let mut bytes = log_files::sign_checkpoint(&wrong, &root(&p), &keys).unwrap();
        for w in &fx.witness_keys {
            bytes = log_files::cosign_checkpoint(&bytes, &root(&p), w, NOW).unwrap();
        }
        p.insert("checkpoint", bytes.clone());
        p.insert("releases/3/checkpoint", bytes);
        let f = refused(&p, &strict());
        assert!(matches!(&f[..], [Finding::NotInLog { index: 2, size: 3, .. }]), "{f:?}");
        // The archived copy must be the current one.
        let mut p = fx.steps[2].clone();
        p.insert("releases/3/checkpoint", fx.steps[1].get("checkpoint").unwrap().to_vec());
        assert!(has(&refused(&p, &strict()), "invalid_value"));
    }

    fn a_tampered_proof_file_is_refused() {
        let fx = fixture();
        let flip = |p: &Publication, path: &str| {
            let mut p = p.clone();
            let b = p.get_mut(path).unwrap();
            let at = b.len() - 10;
            b[at] ^= 0x01;
            p
        };
        let p = flip(&fx.steps[2], "log/inclusion/2-3");
        let f = refused(&p, &strict());
        assert!(has(&f, "not_in_log") || has(&f, "bad_proof"), "{f:?}");
        let p = flip(&fx.steps[2], "log/consistency/2-3");
        let f = refused(&p, &holding(&fx.steps[1]));
        assert!(has(&f, "fork") || has(&f, "bad_proof"), "{f:?}");
        // An older proof no reader of this release fetches: the whole-log check catches it.
        let p = flip(&fx.steps[2], "log/consistency/1-2");
        assert!(verify(&p, &strict()).is_ok());
        let f = history::verify_log_folder(&p, &root(&p)).unwrap_err();
        assert!(has(&f, "bad_proof"), "{f:?}");
        // A proof for other sizes under a proof's name.
        let mut p = fx.steps[2].clone();
        p.insert("log/inclusion/2-3", fx.steps[2].get("log/inclusion/1-3").unwrap().to_vec());
        assert!(has(&refused(&p, &strict()), "bad_proof"));
    }

    fn flipping_a_byte_of_any_log_file_is_caught_by_the_full_check() {
        let fx = fixture();
        let base = &fx.steps[2];
        let r = root(base);
        let log_files: Vec<String> = base
            .paths()
            .filter(|p| p.starts_with("releases/") || p.starts_with("log/") || ["checkpoint", "latest.json", "latest.json.sigs"].contains(p))
            .map(str::to_owned)
            .collect();
        assert!(log_files.len() > 15);
        for path in log_files {
            let len = base.get(&path).unwrap().len();
            for at in [0, len / 2, len - 2, len - 1] {
                let mut p = base.clone();
                p.get_mut(&path).unwrap()[at] ^= 0x01;
                let current = verify(&p, &strict()).is_err();
                let whole = history::verify_log_folder(&p, &r).is_err();
                assert!(current || whole, "{path} byte {at} was not caught");
            }
        }
    }

    fn history_lists_every_release_and_the_diff_names_the_correction() {
        let fx = fixture();
        let p = &fx.steps[2];
        let h = history::verify_history(p, &root(p)).unwrap();
        assert_eq!(h.size, 3);
        for (entry, issued) in h.releases.iter().zip(LOG_ISSUED) {
            assert_eq!(entry.issued, issued);
            assert_eq!(entry.signatures.iter().filter(|s| s.valid).count(), 2);
            assert_eq!(entry.checkpoint.witnesses().count(), 2);
            assert_eq!(entry.checkpoint.size, entry.version);
        }
        let anchor = pin(p);
        let v: Vec<VerifiedElection> =
            h.releases.iter().map(|e| history::verify_past_release(p, &anchor, e).unwrap()).collect();
        let first = diff::diff(&v[0], &v[1]);
        assert_eq!((first.from, first.to), (1, 2));
        let added: Vec<&str> = first.stations_added.iter().map(|s| s.station.as_str()).collect();
        // Release 1 is the setup: every station reports after it.
        assert_eq!(added, ["S1", "S2", "S3", "S4", "S5"]);
        assert!(first.stations_corrected.is_empty() && first.stations_withdrawn.is_empty());
        let correction = diff::diff(&v[1], &v[2]);
        let corrected: Vec<&str> = correction.stations_corrected.iter().map(|s| s.station.as_str()).collect();
        assert_eq!(corrected, ["S5"]);
        assert!(correction.stations_added.is_empty() && correction.registry_changes.is_empty());
        let changed: Vec<_> = correction.winners_changed().collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].contest.as_str(), "IR-15-V1");
        assert!(changed[0].elected[0].iter().any(|c| c.as_str() == "IR-15-V1-K02"));
        assert!(changed[0].elected[1].iter().any(|c| c.as_str() == "IR-15-V1-K03"));
        // Any two releases: 1 → 3 has both the added stations and the new winners.
        let both = diff::diff(&v[0], &v[2]);
        assert_eq!(both.stations_added.len(), 5);
        assert!(diff::diff(&v[2], &v[2]).is_empty());
        // The browser compares a province at a time, for the same changes.
        for (a, b) in [(0, 1), (1, 2), (0, 2)] {
            let mut stepwise = diff::ReleaseDiff::between(&v[a], &v[b]);
            for (_, old, new) in diff::province_pairs(&v[a], &v[b]) {
                stepwise.append(diff::diff_province(old, new));
            }
            assert_eq!(stepwise, diff::diff(&v[a], &v[b]));
        }
    }

    fn a_past_release_audited_a_province_at_a_time_is_the_one_verified_whole() {
        let fx = fixture();
        let p = &fx.steps[2];
        let h = history::verify_history(p, &root(p)).unwrap();
        let anchor = pin(p);
        for entry in &h.releases {
            let whole = history::verify_past_release(p, &anchor, entry).unwrap();
            // The browser's history view: the signed metadata on the page,
            // each province in a worker, with the same view of the release.
            let (mut audited, _view) = history::audit_past_release(p, &anchor, entry).unwrap();
            let signed = audited.signed().clone();
            for province in &signed.election().provinces {
                // Findings are the core's error type and larger than clippy likes; see shafaf-core.
                #[allow(clippy::result_large_err)]
                let outcome = audit_province(&signed, &province.code, |e| check_file(e, p.get(&e.path)));
                audited.add_province(&province.code, outcome.map(std::sync::Arc::new));
            }
            let parts = audited.finish(Default::default()).unwrap();
            assert_eq!(parts.provinces, whole.provinces, "release {}", entry.version);
            assert_eq!(parts.findings, whole.findings, "release {}", entry.version);
            assert_eq!(parts.status(), whole.status(), "release {}", entry.version);
        }
    }

    fn publishing_refuses_a_wrong_version_or_another_root() {
        let fx = fixture();
        let drafts = common::log_drafts(&fx.draft, &fx.devices);
        let e = common::append(fx, Some(&fx.steps[1]), &drafts[2], 5, LOG_ISSUED[2], 0).unwrap_err();
        assert!(matches!(e, shafaf_core::publish::PublishError::WrongVersion { expected: 3, given: 5, .. }), "{e}");
        let mut other = fx.steps[1].clone();
        other.insert("root.json", b"{}".to_vec());
        assert!(common::append(fx, Some(&other), &drafts[2], 3, LOG_ISSUED[2], 0).is_err());
    }

    fn checkpoint_file_is_a_c2sp_checkpoint() {
        let fx = fixture();
        let text = String::from_utf8(fx.steps[0].get("checkpoint").unwrap().to_vec()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "shafaf/test-election");
        assert_eq!(lines[1], "1");
        assert_eq!(lines[3], "");
        assert_eq!(lines.iter().filter(|l| l.starts_with("— ")).count(), 4);
        let release = fx.steps[0].get(format::RELEASE).unwrap();
        let leaf = log::tree::leaf_hash(release);
        assert_eq!(Checkpoint::from_note("c", text.as_bytes()).unwrap().root_hash, leaf);
    }
}
