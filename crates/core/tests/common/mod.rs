//! A small, hand-made publication for tests that must also run in the browser
//! (no geo data, no randomness): one province, two contests, five stations.

#![allow(dead_code)]

use shafaf_core::model::*;
use shafaf_core::publish::{self, Draft, DraftProvince, ReleaseParams, RoleKeys};
use shafaf_core::{Publication, SecretKey};
use time::macros::datetime;
use time::OffsetDateTime;

pub const ISSUED: OffsetDateTime = datetime!(2026-06-20 06:00 +03:30);
pub const EXPIRES: OffsetDateTime = datetime!(2031-06-20 00:00 UTC);
pub const NOW: OffsetDateTime = datetime!(2026-06-21 12:00 UTC);
pub const POLLS_OPEN: OffsetDateTime = datetime!(2026-06-19 08:00 +03:30);

pub struct Fixture {
    pub publication: Publication,
    pub root_keys: Vec<SecretKey>,
    pub publisher_keys: Vec<SecretKey>,
    pub devices: Vec<SecretKey>,
    pub draft: Draft,
}

pub fn key(tag: &str, i: u8) -> SecretKey {
    let mut seed = [0u8; 32];
    for (j, b) in tag.bytes().enumerate().take(31) {
        seed[j] = b;
    }
    seed[31] = i;
    SecretKey::from_seed(&seed)
}

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

fn name(fa: &str, en: &str) -> Name {
    Name { fa: Text::new(fa).unwrap(), en: Text::new(en).unwrap() }
}

fn contest(cid: &str, kind: ContestKind, seats: u32, place: Name, eligible: u64, candidates: usize) -> Contest {
    Contest {
        id: id(cid),
        kind,
        county: id("1503"),
        name: place,
        seats,
        alternates: seats.div_ceil(2),
        eligible,
        candidates: (0..candidates)
            .map(|i| Candidate {
                id: id(&format!("{cid}-K{i:02}")),
                ballot_code: id(&format!("{}", 1000 + i)),
                name: name(&format!("نامزد {i}"), &format!("Candidate {i}")),
            })
            .collect(),
        published: None,
    }
}

pub fn election_id() -> Id {
    id("test-election")
}

/// (station, contest, cast, valid, votes per candidate)
pub const RESULTS: [(&str, &str, u64, u64, &[u64]); 5] = [
    ("S1", "IR-15-C1", 500, 480, &[300, 250, 200, 180, 150, 120, 90, 60]),
    ("S2", "IR-15-C1", 450, 440, &[280, 260, 150, 170, 140, 100, 80, 70]),
    ("S3", "IR-15-C1", 300, 290, &[100, 120, 140, 90, 95, 80, 70, 60]),
    ("S4", "IR-15-V1", 200, 195, &[150, 120, 90, 70, 40]),
    ("S5", "IR-15-V1", 150, 146, &[60, 100, 80, 90, 30]),
];

/// Voters assigned to each station: C1's add up to 2,000, V1's to 400.
pub const STATION_ELIGIBLE: [u64; 5] = [800, 700, 500, 220, 180];

pub fn draft_and_devices() -> (Draft, Vec<SecretKey>) {
    let election = ElectionDoc {
        doc_type: ElectionType::V1,
        id: election_id(),
        name: name("انتخابات آزمایشی", "Test election"),
        demo: true,
        election_day: time::macros::date!(2026 - 06 - 19),
        polls_open: POLLS_OPEN,
        tie_break: name("قرعه‌کشی", "drawing of lots"),
        attribution: vec![Text::new("test data").unwrap()],
        country: Region { code: id("IR"), name: name("ایران", "Iran") },
        provinces: vec![Province {
            code: id("IR-15"),
            name: name("لرستان", "Lorestan"),
            counties: vec![Region { code: id("1503"), name: name("خرم‌آباد", "Khorramabad") }],
        }],
    };
    let contests = ContestsDoc {
        doc_type: ContestsType::V1,
        election: election_id(),
        province: id("IR-15"),
        contests: vec![
            contest("IR-15-C1", ContestKind::City, 5, name("خرم‌آباد", "Khorramabad"), 2000, 8),
            contest("IR-15-V1", ContestKind::Village, 3, name("چم‌شک", "Cham Shak"), 400, 5),
        ],
    };
    let devices: Vec<SecretKey> = (0..RESULTS.len()).map(|i| key("device", i as u8)).collect();
    let stations = StationsDoc {
        doc_type: StationsType::V1,
        election: election_id(),
        province: id("IR-15"),
        stations: RESULTS
            .iter()
            .zip(&devices)
            .zip(STATION_ELIGIBLE)
            .map(|(((s, c, ..), d), eligible)| Station {
                id: id(s),
                contest: id(c),
                eligible,
                device: d.public().to_spki_base64(),
            })
            .collect(),
    };
    let results = RESULTS
        .iter()
        .zip(&devices)
        .map(|((s, c, cast, valid, votes), d)| {
            let contest = contests.contests.iter().find(|x| x.id.as_str() == *c).unwrap();
            let mut r = publish::station_result_template(&election_id(), &id(s), &id(c));
            r.opened = datetime!(2026-06-19 08:00 +03:30);
            r.closed = datetime!(2026-06-19 22:00 +03:30);
            r.ballots_cast = *cast;
            r.valid = *valid;
            r.invalid = cast - valid;
            r.votes = contest
                .candidates
                .iter()
                .zip(votes.iter())
                .map(|(k, v)| CandidateVotes { candidate: k.id.clone(), votes: *v })
                .collect();
            publish::sign_result(&r, d).unwrap()
        })
        .collect();
    let geo = br#"{"type":"FeatureCollection","features":[]}"#.to_vec();
    let draft = Draft {
        election,
        provinces: vec![DraftProvince { contests, stations, results }],
        geo_provinces: geo.clone(),
        geo_counties: vec![(id("IR-15"), geo)],
    };
    (draft, devices)
}

pub fn root_files(root_keys: &[SecretKey], publisher_keys: &[SecretKey]) -> (Vec<u8>, Vec<u8>) {
    let roles = [
        RoleKeys { role: Role::Root, keys: root_keys.iter().map(|k| k.public()).collect(), threshold: 2 },
        RoleKeys { role: Role::Publisher, keys: publisher_keys.iter().map(|k| k.public()).collect(), threshold: 2 },
        RoleKeys { role: Role::Witness, keys: vec![], threshold: 0 },
    ];
    let signers: Vec<&SecretKey> = root_keys.iter().collect();
    publish::make_root(&election_id(), 1, datetime!(2036-06-19 00:00 UTC), &roles, &signers).unwrap()
}

pub fn fixture() -> Fixture {
    let root_keys: Vec<SecretKey> = (0..3).map(|i| key("root", i)).collect();
    let publisher_keys: Vec<SecretKey> = (0..2).map(|i| key("publisher", i)).collect();
    let (root, root_sigs) = root_files(&root_keys, &publisher_keys);
    let (draft, devices) = draft_and_devices();
    let signers: Vec<&SecretKey> = publisher_keys.iter().collect();
    let params = ReleaseParams { version: 1, phase: Phase::Results, issued: ISSUED, expires: EXPIRES };
    let publication = publish::publish(&draft, &root, &root_sigs, &signers, &params).unwrap();
    Fixture { publication, root_keys, publisher_keys, devices, draft }
}

impl Fixture {
    pub fn path_of(&self, kind: FileKind) -> String {
        let release: ReleaseDoc = serde_json::from_slice(self.publication.get("release.json").unwrap()).unwrap();
        release.files.iter().find(|f| f.kind == kind).unwrap().path.clone()
    }

    /// What a dishonest publisher can do: replace a file and sign a release
    /// that lists its new hash with the real publisher keys.
    pub fn replace_and_resign(&mut self, kind: FileKind, bytes: Vec<u8>) {
        let path = self.path_of(kind);
        let mut release: ReleaseDoc = serde_json::from_slice(self.publication.get("release.json").unwrap()).unwrap();
        let entry = release.files.iter_mut().find(|f| f.kind == kind).unwrap();
        entry.sha256 = Sha256Hex::of(&bytes);
        entry.size = bytes.len() as u64;
        if kind == FileKind::Results {
            // The publisher lists the new lines' Merkle root too.
            let lines: Vec<&str> = std::str::from_utf8(&bytes).map(|t| t.lines().collect()).unwrap_or_default();
            entry.lines = Some(shafaf_core::log::lines_root(&lines));
        }
        self.publication.insert(path, bytes);
        self.resign_release(&release, 2);
    }

    /// Writes `release` and signs it with the first `signers` publisher keys.
    pub fn resign_release(&mut self, release: &ReleaseDoc, signers: usize) {
        let bytes = shafaf_core::format::to_json_bytes(release).unwrap();
        let keys: Vec<&SecretKey> = self.publisher_keys.iter().take(signers).collect();
        self.publication.insert("release.json.sigs", publish::sign_bytes(&bytes, &keys));
        self.publication.insert("release.json", bytes);
    }
}

/// A release log of three releases of the small election: the setup (no
/// results, the day before the polls open), complete, and a correction of
/// S5 signed by its device that changes V1's winners (K02 out, K03 in).
/// `steps[i]` is the folder after release i + 1.
pub struct LogFixture {
    pub steps: Vec<Publication>,
    pub root: (Vec<u8>, Vec<u8>),
    pub root_keys: Vec<SecretKey>,
    pub publisher_keys: Vec<SecretKey>,
    pub witness_keys: Vec<SecretKey>,
    pub timestamp_keys: Vec<SecretKey>,
    pub devices: Vec<SecretKey>,
    pub draft: Draft,
}

pub const LOG_ISSUED: [OffsetDateTime; 3] =
    [datetime!(2026-06-18 12:00 +03:30), ISSUED, datetime!(2026-06-21 09:00 +03:30)];
/// How long each release's `latest.json` stays valid in the fixture.
pub const POINTER_DAYS: i64 = 3;

/// The draft of each release: setup, complete, corrected.
pub fn log_drafts(draft: &Draft, devices: &[SecretKey]) -> [Draft; 3] {
    let mut setup = draft.clone();
    setup.provinces[0].results.clear();
    let mut corrected = draft.clone();
    let line = &draft.provinces[0].results[4];
    let start = line.find("\"result\":").unwrap() + "\"result\":".len();
    let mut r: StationResult = serde_json::from_str(&line[start..line.len() - 1]).unwrap();
    r.votes[2].votes -= 6;
    r.votes[3].votes += 6;
    corrected.provinces[0].results[4] = publish::sign_result(&r, &devices[4]).unwrap();
    [setup, draft.clone(), corrected]
}

fn publics(keys: &[SecretKey]) -> Vec<&shafaf_core::PublicKey> {
    keys.iter().map(|k| k.public()).collect()
}

pub fn log_root(witness_threshold: u32) -> (Vec<u8>, Vec<u8>, [Vec<SecretKey>; 4]) {
    let root_keys: Vec<SecretKey> = (0..3).map(|i| key("root", i)).collect();
    let publisher_keys: Vec<SecretKey> = (0..2).map(|i| key("publisher", i)).collect();
    let witness_keys: Vec<SecretKey> = (0..2).map(|i| key("witness", i)).collect();
    let timestamp_keys: Vec<SecretKey> = vec![key("timestamp", 0)];
    let roles = [
        RoleKeys { role: Role::Root, keys: publics(&root_keys), threshold: 2 },
        RoleKeys { role: Role::Publisher, keys: publics(&publisher_keys), threshold: 2 },
        RoleKeys { role: Role::Witness, keys: publics(&witness_keys), threshold: witness_threshold },
        RoleKeys { role: Role::Timestamp, keys: publics(&timestamp_keys), threshold: 1 },
    ];
    let names: Vec<_> = witness_keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.public().id(), format!("w{}.example.org/log", i + 1)))
        .collect();
    let signers: Vec<&SecretKey> = root_keys.iter().collect();
    let (root, sigs) =
        publish::make_root_named(&election_id(), 1, datetime!(2036-06-19 00:00 UTC), &roles, &names, &signers).unwrap();
    (root, sigs, [root_keys, publisher_keys, witness_keys, timestamp_keys])
}

/// Appends `draft` as the next release to `previous`, cosigned by the first
/// `witnesses` witness keys.
pub fn append(
    fx: &LogFixture,
    previous: Option<&Publication>,
    draft: &Draft,
    version: u64,
    issued: OffsetDateTime,
    witnesses: usize,
) -> Result<Publication, publish::PublishError> {
    let publishers: Vec<&SecretKey> = fx.publisher_keys.iter().collect();
    let stamp: Vec<&SecretKey> = fx.timestamp_keys.iter().collect();
    let cosigners: Vec<(&SecretKey, OffsetDateTime)> =
        fx.witness_keys.iter().take(witnesses).map(|k| (k, issued + time::Duration::minutes(5))).collect();
    let no_results = draft.provinces.iter().all(|p| p.results.is_empty());
    let phase = if version == 1 && no_results { Phase::Setup } else { Phase::Results };
    let params = ReleaseParams { version, phase, issued, expires: EXPIRES };
    let log = publish::LogParams {
        previous,
        origin: None,
        witnesses: &cosigners,
        pointer: Some((&stamp, issued + time::Duration::days(POINTER_DAYS))),
    };
    publish::publish_release(draft, &fx.root.0, &fx.root.1, &publishers, &params, &log)
}

pub fn log_fixture(witness_threshold: u32) -> LogFixture {
    let (root, sigs, [root_keys, publisher_keys, witness_keys, timestamp_keys]) = log_root(witness_threshold);
    let (draft, devices) = draft_and_devices();
    let mut fx = LogFixture {
        steps: Vec::new(),
        root: (root, sigs),
        root_keys,
        publisher_keys,
        witness_keys,
        timestamp_keys,
        devices,
        draft,
    };
    let drafts = log_drafts(&fx.draft, &fx.devices);
    for (i, d) in drafts.iter().enumerate() {
        let p = append(&fx, fx.steps.last(), d, i as u64 + 1, LOG_ISSUED[i], 2).unwrap();
        fx.steps.push(p);
    }
    fx
}

/// What a dishonest publisher can do that `shafaf publish` refuses: append
/// `draft` as release `previous`'s size + 1 (or start a log with it), with
/// the publisher's self-check left out: every file written and signed with
/// the real publisher keys, the checkpoint cosigned by every witness five
/// minutes after `issued`, the proofs and the pointer made, as an honest
/// release would be.
pub fn forge_next(
    fx: &LogFixture,
    previous: Option<&Publication>,
    draft: &Draft,
    issued: OffsetDateTime,
) -> Publication {
    use shafaf_core::format::to_json_bytes;
    use shafaf_core::log::{self, tree, Checkpoint};
    use shafaf_core::publish::log_files;
    use shafaf_core::verify::{verify_root, TrustAnchor};

    let root = verify_root(&fx.root.0, &fx.root.1, &TrustAnchor::unpinned(), issued).unwrap();
    let publishers: Vec<&SecretKey> = fx.publisher_keys.iter().collect();
    let mut p = previous.cloned().unwrap_or_default();
    let (origin, mut leaves) = match previous {
        Some(prev) => {
            let what = shafaf_core::history::LogCheck { folder: false, witnesses: false };
            let h = shafaf_core::history::verify_log(prev, &root, what).unwrap();
            (h.origin, h.releases.iter().map(|r| r.leaf_hash.0).collect::<Vec<_>>())
        }
        None => (log::default_origin(&draft.election.id), Vec::new()),
    };
    let version = leaves.len() as u64 + 1;
    let counted = publish::count(draft).unwrap();
    let mut files = Vec::new();
    let mut add = |kind: FileKind, province: Option<&Id>, bytes: Vec<u8>| {
        let entry = publish::file_entry(kind, province, &bytes);
        p.insert(entry.path.clone(), bytes);
        files.push(entry);
    };
    add(FileKind::Election, None, to_json_bytes(&draft.election).unwrap());
    add(FileKind::Summary, None, to_json_bytes(&publish::summary_doc(draft, &counted)).unwrap());
    add(FileKind::GeoProvinces, None, draft.geo_provinces.clone());
    for (code, bytes) in &draft.geo_counties {
        add(FileKind::GeoCounties, Some(code), bytes.clone());
    }
    for (province, contests) in draft.provinces.iter().zip(&counted) {
        let code = &province.contests.province;
        add(FileKind::Contests, Some(code), to_json_bytes(contests).unwrap());
        add(FileKind::Stations, Some(code), to_json_bytes(&province.stations).unwrap());
        let lines: String = province.results.iter().map(|l| format!("{l}\n")).collect();
        add(FileKind::Results, Some(code), lines.into_bytes());
    }
    let release = ReleaseDoc {
        doc_type: ReleaseType::V1,
        election: draft.election.id.clone(),
        version,
        phase: if draft.provinces.iter().all(|x| x.results.is_empty()) { Phase::Setup } else { Phase::Results },
        issued,
        expires: EXPIRES,
        root: RootRef { version: 1, sha256: Sha256Hex::of(&fx.root.0) },
        files,
        log: Some(LogRef { origin: Text::new(origin.clone()).unwrap(), index: version - 1 }),
    };
    let release_bytes = to_json_bytes(&release).unwrap();
    let release_sigs = publish::sign_bytes(&release_bytes, &publishers);
    leaves.push(tree::leaf_hash(&release_bytes));
    let checkpoint = Checkpoint { origin, size: version, root_hash: tree::root(&leaves) };
    let mut cp = log_files::sign_checkpoint(&checkpoint, &root, &publishers).unwrap();
    for w in &fx.witness_keys {
        cp = log_files::cosign_checkpoint(&cp, &root, w, issued + time::Duration::minutes(5)).unwrap();
    }
    for (path, bytes) in log_files::proof_files(&leaves) {
        p.insert(path, bytes);
    }
    let stamp: Vec<&SecretKey> = fx.timestamp_keys.iter().collect();
    let expires = issued + time::Duration::days(POINTER_DAYS);
    let (latest, latest_sigs) =
        log_files::make_pointer(&root, &release_bytes, &release, &checkpoint, issued, expires, &stamp).unwrap();
    p.insert("latest.json", latest);
    p.insert("latest.json.sigs", latest_sigs);
    p.insert(log::release_path(version), release_bytes.clone());
    p.insert(log::release_sigs_path(version), release_sigs.clone());
    p.insert(log::checkpoint_path(version), cp.clone());
    p.insert("release.json", release_bytes);
    p.insert("release.json.sigs", release_sigs);
    p.insert("checkpoint", cp);
    p.insert("root.json", fx.root.0.clone());
    p.insert("root.json.sigs", fx.root.1.clone());
    p
}
