//! Every way of altering a publication that the issue names is caught, with a
//! finding that names the cause. Runs natively and in headless Chromium.

mod common;

use common::{fixture, NOW};
use shafaf_core::findings::{ArithmeticCheck, Finding};
use shafaf_core::model::{ContestsDoc, FileKind, ReleaseDoc, Sha256Hex, StationsDoc, SummaryDoc};
use shafaf_core::verify::{verify_publication, Failure, Status, TrustAnchor, VerifiedElection};
use shafaf_core::{publish, Publication};
use time::macros::datetime;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn pin(p: &Publication) -> TrustAnchor {
    TrustAnchor::pinned(Sha256Hex::of(p.get("root.json").unwrap()))
}

fn verify(p: &Publication, anchor: &TrustAnchor) -> Result<VerifiedElection, Failure> {
    verify_publication(p, anchor, NOW)
}

fn failure(p: &Publication, anchor: &TrustAnchor) -> Failure {
    match verify(p, anchor) {
        Ok(v) => panic!("expected a failure, got {:?} with {:?}", v.status(), v.findings),
        Err(f) => f,
    }
}

fn has(findings: &[Finding], code: &str) -> bool {
    findings.iter().any(|f| f.code() == code)
}

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

tests! {
    fn untouched_publication_verifies_and_recounts() {
        let fx = fixture();
        let v = verify(&fx.publication, &pin(&fx.publication)).unwrap();
        assert_eq!(v.status(), Status::Verified, "{:?}", v.findings);
        let c1 = &v.provinces[0].contests[0];
        assert_eq!((c1.tally.ballots_cast, c1.tally.valid, c1.tally.invalid), (1250, 1210, 40));
        assert_eq!(c1.tally.votes[0], 680);
        assert!(c1.matches_published);
        assert_eq!(v.audit.station_signatures_verified, 5);
        assert_eq!(v.audit.files.iter().filter(|f| f.verified).count(), v.audit.files.len());
    }

    fn flipping_one_byte_anywhere_in_any_file_is_caught() {
        let fx = fixture();
        let anchor = pin(&fx.publication);
        let paths: Vec<String> = fx.publication.paths().map(str::to_owned).collect();
        for path in paths {
            let len = fx.publication.get(&path).unwrap().len();
            for at in [0, len / 3, len / 2, len - 2, len - 1] {
                let mut p = fx.publication.clone();
                p.get_mut(&path).unwrap()[at] ^= 0x01;
                let f = failure(&p, &anchor);
                assert!(!f.findings.is_empty(), "{path} byte {at}");
            }
        }
    }

    fn flipped_byte_in_a_results_file_names_the_file_and_the_hash() {
        let fx = fixture();
        let path = fx.path_of(FileKind::Results);
        let mut p = fx.publication.clone();
        p.get_mut(&path).unwrap()[40] ^= 0x20;
        let f = failure(&p, &pin(&p));
        assert!(matches!(&f.findings[0], Finding::HashMismatch { file, .. } if *file == path), "{:?}", f.findings);
        assert!(f.findings[0].to_string().contains("SHA-256"));
    }

    fn swapped_publisher_key_in_a_resigned_root_is_not_the_pinned_root() {
        let fx = fixture();
        let anchor = pin(&fx.publication);
        let attacker: Vec<_> = (0..3).map(|i| common::key("attacker", i)).collect();
        let (root, sigs) = common::root_files(&attacker, &attacker[..2]);
        let mut p = fx.publication.clone();
        p.insert("root.json", root);
        p.insert("root.json.sigs", sigs);
        let f = failure(&p, &anchor);
        assert_eq!(f.findings[0].code(), "root_not_pinned");
    }

    fn swapped_key_without_the_root_keys_fails_the_root_signature() {
        let fx = fixture();
        let mut text = String::from_utf8(fx.publication.get("root.json").unwrap().to_vec()).unwrap();
        let real = fx.publisher_keys[0].public();
        let fake = common::key("attacker", 9);
        text = text.replace(&real.id().to_hex(), &fake.public().id().to_hex());
        text = text.replace(&real.to_spki_base64(), &fake.public().to_spki_base64());
        let mut p = fx.publication.clone();
        p.insert("root.json", text.into_bytes());
        let f = failure(&p, &TrustAnchor::unpinned());
        assert!(has(&f.findings, "bad_signature"), "{:?}", f.findings);
        assert!(has(&f.findings, "threshold_not_met"), "{:?}", f.findings);
    }

    fn release_signed_below_the_threshold_is_refused() {
        let fx = fixture();
        let mut p = fx.publication.clone();
        let sigs = String::from_utf8(p.get("release.json.sigs").unwrap().to_vec()).unwrap();
        let first = sigs.lines().next().unwrap();
        p.insert("release.json.sigs", format!("{first}\n").into_bytes());
        let f = failure(&p, &pin(&p));
        assert!(
            matches!(f.findings[..], [Finding::ThresholdNotMet { valid: 1, threshold: 2, .. }]),
            "{:?}",
            f.findings
        );
        assert!(f.findings[0].to_string().contains("1 valid publisher signature(s), 2 required"));
    }

    fn release_signed_by_a_key_outside_the_publisher_role_is_refused() {
        let mut fx = fixture();
        let release: ReleaseDoc = serde_json::from_slice(fx.publication.get("release.json").unwrap()).unwrap();
        fx.publisher_keys[1] = common::key("attacker", 1);
        fx.resign_release(&release, 2);
        let f = failure(&fx.publication, &pin(&fx.publication));
        assert!(has(&f.findings, "bad_signature") && has(&f.findings, "threshold_not_met"), "{:?}", f.findings);
    }

    fn station_result_replayed_into_another_station_is_caught() {
        let mut fx = fixture();
        let path = fx.path_of(FileKind::Results);
        let text = String::from_utf8(fx.publication.get(&path).unwrap().to_vec()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // Station S2's line is replaced by a copy of S1's signed line.
        let replayed = format!("{}\n{}\n{}\n", lines[0], lines[0], lines[2..].join("\n"));
        fx.replace_and_resign(FileKind::Results, replayed.into_bytes());
        let f = failure(&fx.publication, &pin(&fx.publication));
        assert!(
            f.findings.iter().any(|x| matches!(x, Finding::DuplicateResult { station, lines, .. } if station == "S1" && *lines == vec![1, 2])),
            "{:?}",
            f.findings
        );
    }

    fn result_relabelled_to_another_station_breaks_its_signature() {
        let mut fx = fixture();
        let path = fx.path_of(FileKind::Results);
        let text = String::from_utf8(fx.publication.get(&path).unwrap().to_vec()).unwrap();
        let edited = text.replacen("\"station\":\"S1\"", "\"station\":\"S2\"", 1);
        fx.replace_and_resign(FileKind::Results, edited.into_bytes());
        let f = failure(&fx.publication, &pin(&fx.publication));
        assert!(has(&f.findings, "bad_station_signature"), "{:?}", f.findings);
    }

    fn station_signed_by_an_unregistered_device_is_refused() {
        let mut fx = fixture();
        let path = fx.path_of(FileKind::Results);
        let text = String::from_utf8(fx.publication.get(&path).unwrap().to_vec()).unwrap();
        let rogue = common::key("rogue", 0);
        let mut r = publish::station_result_template(&common::election_id(), &"S1".parse_id(), &"IR-15-C1".parse_id());
        r.ballots_cast = 10;
        r.valid = 10;
        let line = publish::sign_result(&r, &rogue).unwrap();
        let edited = format!("{}\n{}\n", line, text.lines().skip(1).collect::<Vec<_>>().join("\n"));
        fx.replace_and_resign(FileKind::Results, edited.into_bytes());
        let f = failure(&fx.publication, &pin(&fx.publication));
        assert!(has(&f.findings, "unknown_device"), "{:?}", f.findings);
    }

    fn one_device_registered_for_two_stations_is_refused() {
        let mut fx = fixture();
        let path = fx.path_of(FileKind::Stations);
        let mut doc: StationsDoc = serde_json::from_slice(fx.publication.get(&path).unwrap()).unwrap();
        doc.stations[1].device = doc.stations[0].device.clone();
        fx.replace_and_resign(FileKind::Stations, shafaf_core::format::to_json_bytes(&doc).unwrap());
        let f = failure(&fx.publication, &pin(&fx.publication));
        assert!(
            f.findings.iter().any(|x| matches!(x, Finding::DeviceReused { stations, .. } if *stations == vec!["S1", "S2"])),
            "{:?}",
            f.findings
        );
    }

    fn station_electorates_that_do_not_add_up_to_the_contest_are_refused() {
        let mut fx = fixture();
        let path = fx.path_of(FileKind::Stations);
        let mut doc: StationsDoc = serde_json::from_slice(fx.publication.get(&path).unwrap()).unwrap();
        doc.stations[0].eligible += 1;
        fx.replace_and_resign(FileKind::Stations, shafaf_core::format::to_json_bytes(&doc).unwrap());
        let f = failure(&fx.publication, &pin(&fx.publication));
        assert!(f.findings.iter().any(|x| x.to_string().contains("assign 2001 voters")), "{:?}", f.findings);
    }

    fn edited_published_total_without_resigning_fails_its_hash() {
        let fx = fixture();
        let path = fx.path_of(FileKind::Contests);
        let text = String::from_utf8(fx.publication.get(&path).unwrap().to_vec()).unwrap();
        let edited = text.replacen("\"ballots_cast\":1250", "\"ballots_cast\":1350", 1);
        assert_ne!(edited, text);
        let mut p = fx.publication.clone();
        p.insert(path.clone(), edited.into_bytes());
        let f = failure(&p, &pin(&p));
        assert!(matches!(&f.findings[..], [Finding::HashMismatch { file, .. }] if *file == path), "{:?}", f.findings);
    }

    fn published_total_that_differs_from_the_recount_is_a_finding() {
        let mut fx = fixture();
        let path = fx.path_of(FileKind::Contests);
        let mut doc: ContestsDoc = serde_json::from_slice(fx.publication.get(&path).unwrap()).unwrap();
        let published = doc.contests[0].published.as_mut().unwrap();
        published.votes[7].votes += 500;
        fx.replace_and_resign(FileKind::Contests, shafaf_core::format::to_json_bytes(&doc).unwrap());
        let v = verify(&fx.publication, &pin(&fx.publication)).unwrap();
        assert_eq!(v.status(), Status::VerifiedWithFindings);
        assert!(
            v.findings.iter().any(|x| matches!(x, Finding::RecountMismatch { contest, published: 690, recounted: 190, .. } if contest == "IR-15-C1")),
            "{:?}",
            v.findings
        );
        assert!(!v.provinces[0].contests[0].matches_published);
    }

    fn a_council_whose_id_does_not_begin_with_its_province_is_refused() {
        let mut fx = fixture();
        let path = fx.path_of(FileKind::Contests);
        let mut doc: ContestsDoc = serde_json::from_slice(fx.publication.get(&path).unwrap()).unwrap();
        doc.contests[1].id = "IR-1-V1".parse_id();
        fx.replace_and_resign(FileKind::Contests, shafaf_core::format::to_json_bytes(&doc).unwrap());
        let findings = match verify(&fx.publication, &pin(&fx.publication)) {
            Ok(v) => v.findings,
            Err(f) => f.findings,
        };
        assert!(
            findings.iter().any(|x| matches!(x, Finding::InvalidValue { file, field, problem }
                if *file == path && field == "contests[1].id" && problem.contains("`IR-15-`"))),
            "{findings:?}"
        );
    }

    fn a_summary_county_that_differs_from_its_councils_is_named_with_the_figure() {
        let mut fx = fixture();
        let path = fx.path_of(FileKind::Summary);
        let mut doc: SummaryDoc = serde_json::from_slice(fx.publication.get(&path).unwrap()).unwrap();
        doc.provinces[0].counties[0].totals.ballots_cast += 7;
        let county = doc.provinces[0].counties[0].code.to_string();
        fx.replace_and_resign(FileKind::Summary, shafaf_core::format::to_json_bytes(&doc).unwrap());
        let v = verify(&fx.publication, &pin(&fx.publication)).unwrap();
        assert_eq!(v.status(), Status::VerifiedWithFindings);
        let mismatches: Vec<_> = v.findings.iter().filter(|x| x.code() == "summary_mismatch").collect();
        assert!(
            matches!(&mismatches[..], [Finding::SummaryMismatch { file, county: c, field, .. }]
                if *file == path && *c == county && field == "ballots_cast"),
            "{:?}",
            v.findings
        );
    }

    fn a_county_with_councils_left_out_of_the_summary_is_a_discrepancy() {
        let mut fx = fixture();
        let path = fx.path_of(FileKind::Summary);
        let mut doc: SummaryDoc = serde_json::from_slice(fx.publication.get(&path).unwrap()).unwrap();
        let left_out = doc.provinces[0].counties.remove(0);
        fx.replace_and_resign(FileKind::Summary, shafaf_core::format::to_json_bytes(&doc).unwrap());
        let v = verify(&fx.publication, &pin(&fx.publication)).unwrap();
        assert!(
            v.findings.iter().any(|x| matches!(x, Finding::SummaryMismatch { county, field, published, recounted, .. }
                if *county == *left_out.code && field == "contests" && published == "0"
                    && *recounted == left_out.totals.contests.to_string())),
            "{:?}",
            v.findings
        );
    }

    // Findings are the core's error type and larger than clippy likes; see shafaf-core.
    #[allow(clippy::result_large_err)]
    fn an_audit_is_complete_only_once_the_provinces_boundaries_were_checked() {
        use shafaf_core::verify::{audit_province, check_file, verify_signed, AuditedRelease, LogPolicy};
        let fx = fixture();
        let mut p = fx.publication.clone();
        let geo = fx.path_of(FileKind::GeoProvinces);
        p.get_mut(&geo).unwrap()[10] ^= 0x01;
        let anchor = pin(&p);
        let signed =
            verify_signed(&p, &anchor, NOW, &LogPolicy::default(), |entry| check_file(entry, p.get(&entry.path)))
                .unwrap();
        let mut audited = AuditedRelease::new(signed);
        let codes: Vec<_> = audited.signed().election().provinces.iter().map(|x| x.code.clone()).collect();
        for code in codes {
            let outcome = audit_province(audited.signed(), &code, |e| check_file(e, p.get(&e.path)));
            audited.add_province(&code, outcome.map(std::sync::Arc::new));
        }
        // A browser fetches the boundaries after its first figures: until they
        // were checked, the verdict is not final.
        assert!(!audited.is_complete());
        assert!(!audited.verdict().complete);
        let entry = audited.signed().entry(FileKind::GeoProvinces, None).unwrap().clone();
        audited.add_national_file(FileKind::GeoProvinces, &check_file(&entry, p.get(&geo)));
        let verdict = audited.verdict();
        assert!(verdict.complete);
        assert_eq!(verdict.status, Status::Failed);
        assert!(matches!(&verdict.findings[..], [Finding::HashMismatch { file, .. }] if *file == geo), "{:?}", verdict.findings);
    }

    fn published_winners_that_differ_from_the_recount_are_a_finding() {
        let mut fx = fixture();
        let path = fx.path_of(FileKind::Contests);
        let mut doc: ContestsDoc = serde_json::from_slice(fx.publication.get(&path).unwrap()).unwrap();
        let published = doc.contests[1].published.as_mut().unwrap();
        let (a, b) = (published.elected[0].clone(), published.alternates[0].clone());
        published.elected[0] = b;
        published.alternates[0] = a;
        fx.replace_and_resign(FileKind::Contests, shafaf_core::format::to_json_bytes(&doc).unwrap());
        let v = verify(&fx.publication, &pin(&fx.publication)).unwrap();
        assert!(has(&v.findings, "outcome_mismatch"), "{:?}", v.findings);
    }

    fn station_arithmetic_that_does_not_add_up_is_flagged_but_shown() {
        let mut fx = fixture();
        let path = fx.path_of(FileKind::Results);
        let text = String::from_utf8(fx.publication.get(&path).unwrap().to_vec()).unwrap();
        let mut r = publish::station_result_template(&common::election_id(), &"S4".parse_id(), &"IR-15-V1".parse_id());
        r.ballots_cast = 200;
        r.valid = 190; // + 0 invalid ≠ 200
        r.votes = vec![shafaf_core::model::CandidateVotes { candidate: "IR-15-V1-K00".parse_id(), votes: 600 }];
        let line = publish::sign_result(&r, &fx.devices[3]).unwrap();
        let lines: Vec<String> = text.lines().map(|l| if l.contains("\"station\":\"S4\"") { line.clone() } else { l.to_owned() }).collect();
        fx.replace_and_resign(FileKind::Results, format!("{}\n", lines.join("\n")).into_bytes());
        let v = verify(&fx.publication, &pin(&fx.publication)).unwrap();
        assert_eq!(v.status(), Status::VerifiedWithFindings);
        let checks: Vec<&ArithmeticCheck> = v
            .findings
            .iter()
            .filter_map(|f| match f {
                Finding::Arithmetic { station, check, .. } if station == "S4" => Some(check),
                _ => None,
            })
            .collect();
        assert!(checks.iter().any(|c| matches!(c, ArithmeticCheck::ValidPlusInvalid { .. })), "{checks:?}");
        assert!(checks.iter().any(|c| matches!(c, ArithmeticCheck::CandidateAboveValid { .. })), "{checks:?}");
        assert!(checks.iter().any(|c| matches!(c, ArithmeticCheck::VotesAboveCapacity { .. })), "{checks:?}");
    }

    fn expired_release_is_refused_as_expired() {
        let fx = fixture();
        let later = datetime!(2032-01-01 00:00 UTC);
        let f = verify_publication(&fx.publication, &pin(&fx.publication), later).unwrap_err();
        assert_eq!(f.status(), Status::Expired);
        assert!(f.findings[0].to_string().contains("expired"));
    }

    fn missing_listed_file_is_named() {
        let fx = fixture();
        let path = fx.path_of(FileKind::Stations);
        let mut p = fx.publication.clone();
        p.remove(&path);
        let f = failure(&p, &pin(&p));
        assert!(matches!(&f.findings[..], [Finding::FileMissing { file }] if *file == path), "{:?}", f.findings);
    }

    fn unknown_field_in_a_signed_release_names_the_field() {
        let mut fx = fixture();
        let text = String::from_utf8(fx.publication.get("release.json").unwrap().to_vec()).unwrap();
        let edited = text.replacen("\"log\":null", "\"log\":null,\"bonus\":1", 1);
        let keys: Vec<_> = fx.publisher_keys.iter().collect();
        fx.publication.insert("release.json.sigs", publish::sign_bytes(edited.as_bytes(), &keys));
        fx.publication.insert("release.json", edited.into_bytes());
        let f = failure(&fx.publication, &pin(&fx.publication));
        assert!(f.findings[0].to_string().contains("unknown field `bonus`"), "{:?}", f.findings);
    }
}

trait ParseId {
    fn parse_id(&self) -> shafaf_core::model::Id;
}

impl ParseId for str {
    fn parse_id(&self) -> shafaf_core::model::Id {
        shafaf_core::model::Id::new(self).unwrap()
    }
}

mod summary {
    use super::*;
    use shafaf_core::summary::{ContestFacts, Totals};
    use shafaf_core::tally::Standing;

    tests! {
        fn council_facts_give_shares_margin_and_votes_per_ballot() {
            let fx = fixture();
            let v = verify(&fx.publication, &pin(&fx.publication)).unwrap();
            let facts = ContestFacts::of(&v.provinces[0].contests[0]);
            // Seats 5: 680, 630, 490, 440, 385 elected; 300 is the first alternate.
            assert_eq!(facts.last_seat_margin, Some(85));
            assert_eq!(facts.lines.iter().filter(|l| l.standing == Standing::Elected).count(), 5);
            assert_eq!(facts.lines[0].share.unwrap().num, 680);
            assert_eq!(facts.lines[0].share.unwrap().den, 1210);
            assert_eq!(facts.totals.votes, 3355);
            let all = Totals::of_election(&v);
            assert_eq!((all.contests, all.city_contests, all.village_contests), (2, 1, 1));
            assert_eq!((all.eligible, all.ballots_cast, all.stations_reported), (2400, 1600, 5));
        }
    }
}
