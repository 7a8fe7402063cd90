//! Commitments before the polls open: release 1 of the log is the setup
//! (councils, candidates, the station registry with its device keys; no
//! results), witnessed before the polls open, and every later release must
//! keep what it committed. A ghost station added after the polls opened, a
//! replaced device key, a changed candidate list, a setup witnessed too late
//! and a log without a setup are each refused, named in plain words. Runs
//! natively and in headless Chromium.

mod common;

use common::{forge_next, key, log_fixture, LogFixture, LOG_ISSUED, NOW, POLLS_OPEN};
use shafaf_core::evidence;
use shafaf_core::findings::Finding;
use shafaf_core::model::*;
use shafaf_core::publish::{self, Draft};
use shafaf_core::verify::{verify_publication_with, Failure, LogPolicy, Status, TrustAnchor, VerifiedElection};
use shafaf_core::Publication;
use time::macros::datetime;
use time::Duration;

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

fn verify(p: &Publication) -> Result<VerifiedElection, Failure> {
    verify_at(p, NOW)
}

fn verify_at(p: &Publication, now: time::OffsetDateTime) -> Result<VerifiedElection, Failure> {
    let anchor = TrustAnchor::pinned(Sha256Hex::of(p.get("root.json").unwrap()));
    let policy = LogPolicy { require_log: true, held: None, witnesses_pending: false };
    verify_publication_with(p, &anchor, now, &policy)
}

fn refused(p: &Publication) -> Vec<Finding> {
    match verify(p) {
        Ok(v) => panic!("expected a refusal, got {:?} with {:?}", v.status(), v.findings),
        Err(f) => {
            assert_eq!(f.status(), Status::Failed);
            f.findings
        }
    }
}

/// The one `not_committed` finding, as a reader reads it.
fn not_committed(findings: &[Finding]) -> String {
    let named: Vec<String> = findings.iter().filter(|f| f.code() == "not_committed").map(ToString::to_string).collect();
    assert!(!named.is_empty(), "no not_committed finding in {findings:#?}");
    named.join("\n")
}

fn fixture() -> &'static LogFixture {
    #[cfg(not(target_arch = "wasm32"))]
    {
        static FX: std::sync::OnceLock<LogFixture> = std::sync::OnceLock::new();
        FX.get_or_init(|| log_fixture(2))
    }
    #[cfg(target_arch = "wasm32")]
    {
        Box::leak(Box::new(log_fixture(2)))
    }
}

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

/// The complete release's draft with one more station in council C1: a
/// device key nobody committed, 200 voters moved to it from S1, and its
/// signed result (every ballot for one mid-ranked candidate).
fn with_ghost_station(fx: &LogFixture) -> Draft {
    let mut draft = fx.draft.clone();
    let ghost = key("ghost", 0);
    let p = &mut draft.provinces[0];
    p.stations.stations[0].eligible -= 200;
    p.stations.stations.push(Station {
        id: id("S6"),
        contest: id("IR-15-C1"),
        eligible: 200,
        device: ghost.public().to_spki_base64(),
    });
    let contest = p.contests.contests.iter().find(|c| c.id.as_str() == "IR-15-C1").unwrap();
    let mut r = publish::station_result_template(&common::election_id(), &id("S6"), &id("IR-15-C1"));
    r.opened = POLLS_OPEN;
    r.closed = POLLS_OPEN + Duration::hours(14);
    r.ballots_cast = 190;
    r.valid = 190;
    r.votes = contest
        .candidates
        .iter()
        .enumerate()
        .map(|(i, k)| CandidateVotes { candidate: k.id.clone(), votes: if i == 4 { 190 } else { 0 } })
        .collect();
    p.results.push(publish::sign_result(&r, &ghost).unwrap());
    draft
}

tests! {
    fn a_log_shows_when_its_registry_was_committed_and_who_witnessed_it() {
        let fx = fixture();
        let v = verify(&fx.steps[2]).expect("the log verifies");
        assert_eq!(v.status(), Status::Verified);
        let setup = v.audit.setup.expect("the setup is checked");
        assert_eq!((setup.issued, setup.polls_open), (LOG_ISSUED[0], POLLS_OPEN));
        assert_eq!((setup.witness_threshold, setup.witnessed_before_polls), (2, 2));
        assert!(setup.witnesses.iter().all(|w| w.timestamp.is_some_and(|t| t < POLLS_OPEN)));
        assert!(!setup.current);
        // The setup alone verifies too, before the polls open, with no results yet.
        let v = verify_at(&fx.steps[0], LOG_ISSUED[0] + Duration::hours(1)).expect("the setup verifies");
        assert!(v.audit.setup.expect("setup").current);
        assert_eq!(v.provinces[0].contests.iter().map(|c| c.tally.stations_reported).sum::<u64>(), 0);
    }

    fn a_ghost_station_registered_after_the_polls_opened_is_named_and_nothing_is_shown() {
        let fx = fixture();
        let draft = with_ghost_station(fx);
        // `shafaf publish` will not make it...
        let e = common::append(fx, Some(&fx.steps[0]), &draft, 2, LOG_ISSUED[1], 2).unwrap_err();
        assert!(e.to_string().contains("S6"), "{e}");
        // ...but a dishonest publisher signs it by hand, totals and winners consistent.
        let forged = forge_next(fx, Some(&fx.steps[0]), &draft, LOG_ISSUED[1]);
        let text = not_committed(&refused(&forged));
        assert!(text.contains("station `S6`"), "{text}");
        assert!(text.contains("is not in the registry committed before the polls opened"), "{text}");
        assert!(text.contains("22 hours after the polls opened"), "{text}");
        // S1's electorate moved too, and is named.
        assert!(text.contains("station `S1`") && text.contains("voters changed from 800 to 600"), "{text}");
    }

    fn a_replaced_device_key_is_named() {
        let fx = fixture();
        let mut draft = fx.draft.clone();
        let new_key = key("replacement", 1);
        let p = &mut draft.provinces[0];
        p.stations.stations[1].device = new_key.public().to_spki_base64();
        let line = &p.results[1];
        let start = line.find("\"result\":").unwrap() + "\"result\":".len();
        let r: StationResult = serde_json::from_str(&line[start..line.len() - 1]).unwrap();
        p.results[1] = publish::sign_result(&r, &new_key).unwrap();
        let text = not_committed(&refused(&forge_next(fx, Some(&fx.steps[0]), &draft, LOG_ISSUED[1])));
        assert!(text.contains("station `S2`") && text.contains("device key was replaced"), "{text}");
        assert!(text.contains(&new_key.public().id().to_hex()), "{text}");
    }

    fn a_changed_candidate_list_is_named() {
        let fx = fixture();
        let mut draft = fx.draft.clone();
        let v1 = &mut draft.provinces[0].contests.contests[1];
        v1.candidates[0].name.en = Text::new("Someone Else").unwrap();
        let text = not_committed(&refused(&forge_next(fx, Some(&fx.steps[0]), &draft, LOG_ISSUED[1])));
        assert!(text.contains("council `IR-15-V1`") && text.contains("candidate list differs"), "{text}");
    }

    fn a_setup_witnessed_after_the_polls_opened_is_refused() {
        let fx = fixture();
        let drafts = common::log_drafts(&fx.draft, &fx.devices);
        // Issued before the polls opened, but no witness saw it until after.
        let late = datetime!(2026-06-19 07:58 +03:30);
        let setup = forge_next(fx, None, &drafts[0], late);
        let p = forge_next(fx, Some(&setup), &drafts[1], LOG_ISSUED[1]);
        let text = not_committed(&refused(&p));
        assert!(text.contains("were not witnessed before the polls opened"), "{text}");
        assert!(text.contains("0 of the 2 required"), "{text}");
        // Issued after the polls opened.
        let setup = forge_next(fx, None, &drafts[0], POLLS_OPEN + Duration::hours(3));
        let p = forge_next(fx, Some(&setup), &drafts[1], LOG_ISSUED[1]);
        let text = not_committed(&refused(&p));
        assert!(text.contains("were committed 3 hours after the polls opened"), "{text}");
    }

    fn evidence_of_a_mismatch_holds_only_for_a_setup_witnessed_before_the_polls_opened() {
        let fx = fixture();
        let drafts = common::log_drafts(&fx.draft, &fx.devices);
        // Station 5's device signed the corrected result; release 2 publishes another.
        let sheet = &drafts[2].provinces[0].results[4];
        let station = fx.draft.provinces[0].stations.stations[4].id.to_string();
        let check = |p: &Publication| {
            let made = evidence::make_from(p, sheet, &station).expect("the evidence is made");
            let anchor = TrustAnchor::pinned(Sha256Hex::of(p.get("root.json").unwrap()));
            evidence::verify(&serde_json::to_vec(&made).unwrap(), &anchor, NOW)
        };
        let dispute = check(&fx.steps[1]).expect("the evidence holds");
        assert_eq!((dispute.release, dispute.witnessed_before_polls, dispute.witness_threshold), (2, 2, 2));
        assert!(dispute.committed < dispute.polls_open && dispute.polls_open == POLLS_OPEN);
        // The same publication, but no witness saw its setup before the polls opened.
        let setup = forge_next(fx, None, &drafts[0], datetime!(2026-06-19 07:58 +03:30));
        let late = forge_next(fx, Some(&setup), &drafts[1], LOG_ISSUED[1]);
        let text = not_committed(&check(&late).expect_err("a late setup proves nothing"));
        assert!(text.contains("were not witnessed before the polls opened"), "{text}");
    }

    fn a_log_without_a_setup_release_is_refused() {
        let fx = fixture();
        let p = forge_next(fx, None, &fx.draft, LOG_ISSUED[1]);
        let text = not_committed(&refused(&p));
        assert!(text.contains("release 1 of the log is not a setup release"), "{text}");
        // And `shafaf publish` will not start a log with results.
        let e = common::append(fx, None, &fx.draft, 1, LOG_ISSUED[1], 2).unwrap_err();
        assert!(e.to_string().contains("must be the setup"), "{e}");
    }
}
