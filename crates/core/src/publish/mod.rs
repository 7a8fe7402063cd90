//! Making a publication: what the authority's publisher does with the
//! registry and the devices' signed results. It checks every result with the
//! same code a verifier runs, counts each contest with the same tally, writes
//! the files under content-addressed names, and signs the release manifest.

use serde::Serialize;
use time::OffsetDateTime;

use crate::findings::Finding;
use crate::format::{self, Publication, SignatureLine};
use crate::keys::{KeyId, PublicKey, SecretKey};
use crate::log::{self, tree, Checkpoint};
use crate::model::{
    Contest, ContestKind, ContestsDoc, ElectionDoc, FileEntry, FileKind, Id, KeyEntry, LogRef, Phase, PublishedTotals,
    ReleaseDoc, ReleaseType, Role, RoleEntry, RootDoc, RootRef, RootType, Sha256Hex, StationResult, StationResultType,
    StationsDoc, SummaryCounty, SummaryDoc, SummaryProvince, SummaryType, Text, Totals,
};
use crate::tally;
pub mod log_files;

use crate::verify::files::ProvinceContext;
use crate::verify::province::{registry, verify_results};
use crate::verify::{self, LogPolicy, TrustAnchor, VerifiedRoot};

/// Why a publication could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("the input does not verify:\n{}", list(.0))]
    Input(Vec<Finding>),
    #[error("publisher key {0} is not a publisher key of the trust root")]
    NotAPublisher(String),
    #[error("{given} publisher key(s) given, the trust root requires {threshold}")]
    BelowThreshold { given: usize, threshold: u32 },
    #[error("the finished publication does not verify:\n{}", list(.0))]
    SelfCheck(Vec<Finding>),
    #[error("cannot serialise {what}: {message}")]
    Serialise { what: String, message: String },
    #[error("key {key} is not a {role} key of the trust root")]
    NotInRole { key: String, role: Role },
    #[error("the release log does not verify:\n{}", list(.0))]
    Log(Vec<Finding>),
    #[error("the log holds {size} release(s), so the next release is version {expected}, not {given}")]
    WrongVersion { size: u64, expected: u64, given: u64 },
    #[error("the previous publication's trust root differs from this one; a log continues under one root")]
    OtherRoot,
    #[error("log origin `{given}` cannot be used: {problem}")]
    BadOrigin { given: String, problem: String },
    #[error("{0}")]
    Phase(String),
}

fn list(findings: &[Finding]) -> String {
    findings.iter().map(|f| format!("  - {f}")).collect::<Vec<_>>().join("\n")
}

fn json<T: Serialize>(what: &str, value: &T) -> Result<Vec<u8>, PublishError> {
    format::to_json_bytes(value).map_err(|e| PublishError::Serialise { what: what.into(), message: e.to_string() })
}

/// A role of a new trust root: its public keys and threshold.
pub struct RoleKeys<'a> {
    pub role: Role,
    pub keys: Vec<&'a PublicKey>,
    pub threshold: u32,
}

/// Writes a trust root and signs it with the root role's secret keys.
/// Returns `(root.json, root.json.sigs)`.
pub fn make_root(
    election: &Id,
    version: u32,
    expires: OffsetDateTime,
    roles: &[RoleKeys<'_>],
    root_signers: &[&SecretKey],
) -> Result<(Vec<u8>, Vec<u8>), PublishError> {
    make_root_named(election, version, expires, roles, &[], root_signers)
}

/// [`make_root`], giving some keys the name they sign checkpoints with
/// (`example.org/witness-1`): the name a reader is shown for a witness.
pub fn make_root_named(
    election: &Id,
    version: u32,
    expires: OffsetDateTime,
    roles: &[RoleKeys<'_>],
    names: &[(KeyId, String)],
    root_signers: &[&SecretKey],
) -> Result<(Vec<u8>, Vec<u8>), PublishError> {
    let mut keys: Vec<KeyEntry> = Vec::new();
    for k in roles.iter().flat_map(|r| r.keys.iter()) {
        if !keys.iter().any(|e| e.id == k.id()) {
            let name = names.iter().find(|(id, _)| *id == k.id()).map(|(_, n)| n.clone());
            keys.push(KeyEntry { id: k.id(), public: k.to_spki_base64(), name });
        }
    }
    let doc = RootDoc {
        doc_type: RootType::V1,
        election: election.clone(),
        version,
        expires,
        keys,
        roles: roles
            .iter()
            .map(|r| RoleEntry { role: r.role, keys: r.keys.iter().map(|k| k.id()).collect(), threshold: r.threshold })
            .collect(),
    };
    let bytes = json("root.json", &doc)?;
    let sigs = sign_bytes(&bytes, root_signers);
    Ok((bytes, sigs))
}

/// A `.sigs` file: each key's signature over exactly `bytes`.
pub fn sign_bytes(bytes: &[u8], signers: &[&SecretKey]) -> Vec<u8> {
    let lines: Vec<SignatureLine> =
        signers.iter().map(|k| SignatureLine { key: k.public().id(), signature: k.sign(bytes) }).collect();
    format::write_signatures(&lines)
}

/// What a station device does: serialises its result compactly and signs
/// those exact bytes. Returns one results line.
pub fn sign_result(result: &StationResult, device: &SecretKey) -> Result<String, PublishError> {
    let json = serde_json::to_string(result)
        .map_err(|e| PublishError::Serialise { what: "station result".into(), message: e.to_string() })?;
    let sig = device.sign(json.as_bytes());
    Ok(format::write_result_line(device.public().id(), &sig, &json))
}

/// A station result as a device reports it, before signing.
pub fn station_result_template(election: &Id, station: &Id, contest: &Id) -> StationResult {
    StationResult {
        doc_type: StationResultType::V1,
        election: election.clone(),
        station: station.clone(),
        contest: contest.clone(),
        opened: OffsetDateTime::UNIX_EPOCH,
        closed: OffsetDateTime::UNIX_EPOCH,
        ballots_cast: 0,
        valid: 0,
        invalid: 0,
        votes: Vec::new(),
    }
}

/// Everything the publisher has before a release: the election, and per
/// province the contests (without totals), the station registry and the
/// devices' signed result lines; and the boundary files.
#[derive(Debug, Clone)]
pub struct Draft {
    pub election: ElectionDoc,
    pub provinces: Vec<DraftProvince>,
    /// `provinces.geojson`, as published.
    pub geo_provinces: Vec<u8>,
    /// Each province's counties GeoJSON, by province code.
    pub geo_counties: Vec<(Id, Vec<u8>)>,
}

#[derive(Debug, Clone)]
pub struct DraftProvince {
    pub contests: ContestsDoc,
    pub stations: StationsDoc,
    /// Signed results lines, exactly as the devices produced them.
    pub results: Vec<String>,
}

/// The release's own metadata.
#[derive(Debug, Clone)]
pub struct ReleaseParams {
    pub version: u64,
    /// The setup (release 1, before the polls open: the draft has no
    /// results) or a results release.
    pub phase: Phase,
    pub issued: OffsetDateTime,
    pub expires: OffsetDateTime,
}

/// How ties are broken in a draft: the drawing of lots. The order is derived
/// from SHA-256(election ‖ contest ‖ candidate), so anyone can redo it; a real
/// authority publishes the order its drawing produced instead.
pub fn lot_order(election: &Id, contest: &crate::model::Contest) -> Vec<Id> {
    let mut ids: Vec<(Sha256Hex, Id)> = contest
        .candidates
        .iter()
        .map(|c| (Sha256Hex::of(format!("{election}\n{}\n{}", contest.id, c.id).as_bytes()), c.id.clone()))
        .collect();
    ids.sort();
    ids.into_iter().map(|(_, id)| id).collect()
}

/// What is published for `contest` from its tally: the totals, and the
/// members elected and the alternates, ties broken by [`lot_order`].
pub fn published_from_tally(election: &Id, contest: &crate::model::Contest, t: &tally::Tally) -> PublishedTotals {
    let ranking = tally::rank(contest, &t.votes, &lot_order(election, contest));
    let (elected, alternates) = tally::outcome(contest, &ranking);
    PublishedTotals {
        stations_reported: t.stations_reported,
        ballots_cast: t.ballots_cast,
        valid: t.valid,
        invalid: t.invalid,
        votes: contest
            .candidates
            .iter()
            .zip(&t.votes)
            .map(|(c, &votes)| crate::model::CandidateVotes { candidate: c.id.clone(), votes })
            .collect(),
        elected,
        alternates,
    }
}

/// Builds and signs a release from a draft. The finished publication is
/// verified with [`verify::verify_publication`] before it is returned.
pub fn publish(
    draft: &Draft,
    root_bytes: &[u8],
    root_sigs: &[u8],
    publishers: &[&SecretKey],
    params: &ReleaseParams,
) -> Result<Publication, PublishError> {
    let counted = count(draft)?;
    assemble(draft, &counted, root_bytes, root_sigs, publishers, params)
}

/// Checks every province's signed results and counts its contests: the
/// contests files as they will be published, with the authority's totals.
pub fn count(draft: &Draft) -> Result<Vec<ContestsDoc>, PublishError> {
    draft.provinces.iter().map(|p| count_province(&draft.election, p)).collect()
}

/// Writes and signs the release from a draft and its counted contests
/// (one per draft province, in the same order). The release is in no
/// release log; [`append_release`] publishes one that is.
pub fn assemble(
    draft: &Draft,
    counted: &[ContestsDoc],
    root_bytes: &[u8],
    root_sigs: &[u8],
    publishers: &[&SecretKey],
    params: &ReleaseParams,
) -> Result<Publication, PublishError> {
    let root = check_signers(root_bytes, root_sigs, publishers, params)?;
    let mut publication = Publication::new();
    let release = release_doc(draft, counted, &root, params, None, &mut publication)?;
    let release_bytes = json("release.json", &release)?;
    publication.insert(format::RELEASE_SIGS, sign_bytes(&release_bytes, publishers));
    publication.insert(format::RELEASE, release_bytes);
    publication.insert(format::ROOT, root_bytes.to_vec());
    publication.insert(format::ROOT_SIGS, root_sigs.to_vec());

    let anchor = TrustAnchor::pinned(Sha256Hex::of(root_bytes));
    if let Err(failure) = verify::verify_publication(&publication, &anchor, params.issued) {
        return Err(PublishError::SelfCheck(failure.findings));
    }
    Ok(publication)
}

/// The root, verified as of the release's issue time, and the publisher keys checked against it.
fn check_signers(
    root_bytes: &[u8],
    root_sigs: &[u8],
    publishers: &[&SecretKey],
    params: &ReleaseParams,
) -> Result<VerifiedRoot, PublishError> {
    let root = verify::verify_root(root_bytes, root_sigs, &TrustAnchor::unpinned(), params.issued)
        .map_err(PublishError::Input)?;
    let publisher_role = root.audit().roles.iter().find(|r| r.role == Role::Publisher).cloned();
    let threshold = publisher_role.as_ref().map_or(0, |r| r.threshold);
    for k in publishers {
        if !publisher_role.as_ref().is_some_and(|r| r.keys.contains(&k.public().id())) {
            return Err(PublishError::NotAPublisher(k.public().id().to_hex()));
        }
    }
    if publishers.len() < threshold as usize {
        return Err(PublishError::BelowThreshold { given: publishers.len(), threshold });
    }
    Ok(root)
}

/// Writes the release's files into `publication` under their
/// content-addressed names and returns the manifest that lists them.
fn release_doc(
    draft: &Draft,
    counted: &[ContestsDoc],
    root: &VerifiedRoot,
    params: &ReleaseParams,
    log: Option<LogRef>,
    publication: &mut Publication,
) -> Result<ReleaseDoc, PublishError> {
    let mut files: Vec<FileEntry> = Vec::new();
    let mut add = |kind: FileKind, province: Option<&Id>, bytes: Vec<u8>| {
        let entry = file_entry(kind, province, &bytes);
        publication.insert(entry.path.clone(), bytes);
        files.push(entry);
    };

    add(FileKind::Election, None, json("election", &draft.election)?);
    add(FileKind::Summary, None, json("summary", &summary_doc(draft, counted))?);
    add(FileKind::GeoProvinces, None, draft.geo_provinces.clone());
    for (code, bytes) in &draft.geo_counties {
        add(FileKind::GeoCounties, Some(code), bytes.clone());
    }
    for (p, contests) in draft.provinces.iter().zip(counted) {
        add(FileKind::Contests, Some(&p.contests.province), json("contests", contests)?);
        add(FileKind::Stations, Some(&p.stations.province), json("stations", &p.stations)?);
        let mut results = String::with_capacity(p.results.iter().map(|l| l.len() + 1).sum());
        for line in &p.results {
            results.push_str(line);
            results.push('\n');
        }
        add(FileKind::Results, Some(&p.contests.province), results.into_bytes());
    }

    Ok(ReleaseDoc {
        doc_type: ReleaseType::V1,
        election: draft.election.id.clone(),
        version: params.version,
        phase: params.phase,
        issued: params.issued,
        expires: params.expires,
        root: RootRef { version: root.audit().version, sha256: root.audit().sha256 },
        files,
        log,
    })
}

/// A file's entry in a release: its content-addressed path, size and hash,
/// and for a results file the Merkle root of its lines.
pub fn file_entry(kind: FileKind, province: Option<&Id>, bytes: &[u8]) -> FileEntry {
    let path = format::content_path(kind, province.map(|p| p.as_str()), bytes);
    let lines = (kind == FileKind::Results)
        .then(|| format::result_lines(&path, bytes).ok().map(|l| log::lines_root(&l)))
        .flatten();
    FileEntry { sha256: Sha256Hex::of(bytes), path, size: bytes.len() as u64, kind, province: province.cloned(), lines }
}

/// The release's summary: for each province of the election, in its order,
/// each county that has councils, with their totals as published and their
/// ids. Readers recount every figure in it from the stations.
pub fn summary_doc(draft: &Draft, counted: &[ContestsDoc]) -> SummaryDoc {
    let provinces = draft
        .election
        .provinces
        .iter()
        .map(|province| {
            let found = draft.provinces.iter().zip(counted).find(|(p, _)| p.contests.province == province.code);
            let mut registered: std::collections::HashMap<&Id, u64> = std::collections::HashMap::new();
            for s in found.iter().flat_map(|(p, _)| &p.stations.stations) {
                *registered.entry(&s.contest).or_default() += 1;
            }
            let counties = province
                .counties
                .iter()
                .filter_map(|county| {
                    let (_, contests) = found?;
                    let mut totals = Totals::default();
                    for c in contests.contests.iter().filter(|c| c.county == county.code) {
                        totals.add(&published_totals(c, registered.get(&c.id).copied().unwrap_or(0)));
                    }
                    (totals.contests > 0).then(|| SummaryCounty { code: county.code.clone(), totals })
                })
                .collect();
            SummaryProvince { code: province.code.clone(), counties }
        })
        .collect();
    SummaryDoc { doc_type: SummaryType::V2, election: draft.election.id.clone(), provinces }
}

/// One council's figures as published, for the summary.
fn published_totals(c: &Contest, stations_registered: u64) -> Totals {
    let p = c.published.as_ref();
    Totals {
        contests: 1,
        city_contests: u64::from(c.kind == ContestKind::City),
        village_contests: u64::from(c.kind == ContestKind::Village),
        seats: u64::from(c.seats),
        candidates: c.candidates.len() as u64,
        stations_registered,
        stations_reported: p.map_or(0, |p| p.stations_reported),
        eligible: c.eligible,
        ballots_cast: p.map_or(0, |p| p.ballots_cast),
        valid: p.map_or(0, |p| p.valid),
        invalid: p.map_or(0, |p| p.invalid),
        votes: p.map_or(0, |p| p.votes.iter().fold(0u64, |a, v| a.saturating_add(v.votes))),
    }
}

/// How a release joins the release log, and what else is signed with it.
pub struct LogParams<'a> {
    /// The publication so far, whose log the release is appended to; none
    /// starts a new log, with this release as its first leaf.
    pub previous: Option<&'a Publication>,
    /// The log's origin line (a new log's; a continued log keeps its own,
    /// and a different one given here is an error). Default
    /// `shafaf/<election id>`.
    pub origin: Option<String>,
    /// Witnesses that cosign the new checkpoint at once, with the time of
    /// their cosignature (the demo does; real witnesses run `shafaf witness`).
    pub witnesses: &'a [(&'a SecretKey, OffsetDateTime)],
    /// Keys of the root's timestamp role (or publisher keys, when it has no
    /// timestamp role) that sign `latest.json`, and when it expires; none
    /// leaves the pointer out.
    pub pointer: Option<(&'a [&'a SecretKey], OffsetDateTime)>,
}

/// Publishes a release into the release log: checks and counts the draft
/// ([`count`]) and calls [`append_release`].
pub fn publish_release(
    draft: &Draft,
    root_bytes: &[u8],
    root_sigs: &[u8],
    publishers: &[&SecretKey],
    params: &ReleaseParams,
    log: &LogParams<'_>,
) -> Result<Publication, PublishError> {
    let counted = count(draft)?;
    append_release(draft, &counted, root_bytes, root_sigs, publishers, params, log)
}

/// Writes and signs a release as the next leaf of the release log: the
/// previous publication's files all stay (past releases under
/// `releases/<N>/`, their content-addressed files, the proofs), the new
/// release goes to `release.json` and `releases/<version>/`, the publishers
/// sign the new checkpoint, the proof files to the new size are added, and
/// the pointer is signed. Release `version` must be the log's size + 1. The
/// finished folder is verified, the whole log included, before it is returned.
pub fn append_release(
    draft: &Draft,
    counted: &[ContestsDoc],
    root_bytes: &[u8],
    root_sigs: &[u8],
    publishers: &[&SecretKey],
    params: &ReleaseParams,
    log: &LogParams<'_>,
) -> Result<Publication, PublishError> {
    let root = check_signers(root_bytes, root_sigs, publishers, params)?;
    let mut publication = Publication::new();
    let (origin, mut leaves) = match log.previous {
        None => {
            let origin = log.origin.clone().unwrap_or_else(|| log::default_origin(&draft.election.id));
            (origin, Vec::new())
        }
        Some(previous) => {
            if previous.get(format::ROOT) != Some(root_bytes) {
                return Err(PublishError::OtherRoot);
            }
            // The witnesses may not have cosigned the previous release yet: the log goes on.
            let what = crate::history::LogCheck { folder: false, witnesses: false };
            let history = crate::history::verify_log(previous, &root, what).map_err(PublishError::Log)?;
            if let Some(given) = &log.origin {
                if *given != history.origin {
                    return Err(PublishError::BadOrigin {
                        given: given.clone(),
                        problem: format!("the log being continued is `{}`", history.origin),
                    });
                }
            }
            for (path, bytes) in previous.iter() {
                if ![format::RELEASE, format::RELEASE_SIGS, format::CHECKPOINT, format::LATEST, format::LATEST_SIGS]
                    .contains(&path)
                {
                    publication.insert(path, bytes.to_vec());
                }
            }
            let leaves = history.releases.iter().map(|r| r.leaf_hash.0).collect();
            (history.origin, leaves)
        }
    };
    log::note::check_origin(&origin)
        .map_err(|p| PublishError::BadOrigin { given: origin.clone(), problem: p.into() })?;
    let size = leaves.len() as u64;
    if params.version != size + 1 {
        return Err(PublishError::WrongVersion { size, expected: size + 1, given: params.version });
    }
    check_phase(draft, params, size)?;
    let origin_text = Text::new(origin.clone())
        .map_err(|e| PublishError::BadOrigin { given: origin.clone(), problem: e.to_string() })?;
    let log_ref = LogRef { origin: origin_text, index: size };
    let release = release_doc(draft, counted, &root, params, Some(log_ref), &mut publication)?;
    let release_bytes = json("release.json", &release)?;
    let release_sigs = sign_bytes(&release_bytes, publishers);

    leaves.push(tree::leaf_hash(&release_bytes));
    let checkpoint = Checkpoint { origin, size: size + 1, root_hash: tree::root(&leaves) };
    let mut checkpoint_bytes = log_files::sign_checkpoint(&checkpoint, &root, publishers)?;
    for (witness, time) in log.witnesses {
        checkpoint_bytes = log_files::cosign_checkpoint(&checkpoint_bytes, &root, witness, *time)?;
    }
    for (path, bytes) in log_files::proof_files(&leaves) {
        publication.insert(path, bytes);
    }
    if let Some((signers, expires)) = log.pointer {
        let (bytes, sigs) =
            log_files::make_pointer(&root, &release_bytes, &release, &checkpoint, params.issued, expires, signers)?;
        publication.insert(format::LATEST, bytes);
        publication.insert(format::LATEST_SIGS, sigs);
    }
    let version = params.version;
    publication.insert(log::release_path(version), release_bytes.clone());
    publication.insert(log::release_sigs_path(version), release_sigs.clone());
    publication.insert(log::checkpoint_path(version), checkpoint_bytes.clone());
    publication.insert(format::RELEASE, release_bytes);
    publication.insert(format::RELEASE_SIGS, release_sigs);
    publication.insert(format::CHECKPOINT, checkpoint_bytes);
    publication.insert(format::ROOT, root_bytes.to_vec());
    publication.insert(format::ROOT_SIGS, root_sigs.to_vec());

    let anchor = TrustAnchor::pinned(Sha256Hex::of(root_bytes));
    // Witnesses cosign once the release is out, unless some were given here.
    let policy = LogPolicy { require_log: log.pointer.is_some(), held: None, witnesses_pending: true };
    if let Err(failure) = verify::verify_publication_with(&publication, &anchor, params.issued, &policy) {
        return Err(PublishError::SelfCheck(failure.findings));
    }
    let what = crate::history::LogCheck { folder: true, witnesses: false };
    crate::history::verify_log(&publication, &root, what).map_err(PublishError::SelfCheck)?;
    Ok(publication)
}

/// The setup is release 1 and carries no results; every later release is
/// a results release, published after the setup's polls-open time is set.
fn check_phase(draft: &Draft, params: &ReleaseParams, size: u64) -> Result<(), PublishError> {
    match params.phase {
        Phase::Setup if size > 0 => Err(PublishError::Phase(format!(
            "the log already holds {size} release(s); the setup release can only be the first"
        ))),
        Phase::Setup => match draft.provinces.iter().map(|p| p.results.len()).sum::<usize>() {
            0 => Ok(()),
            n => Err(PublishError::Phase(format!(
                "the setup release carries no results, but the draft holds {n} station result(s)"
            ))),
        },
        Phase::Results if size == 0 => Err(PublishError::Phase(
            "the first release of a log must be the setup (the registry and candidates, before the polls open); \
             publish it first, have it witnessed, then publish results with --previous"
                .into(),
        )),
        Phase::Results => Ok(()),
    }
}

/// Checks a province's signed results and counts every contest.
fn count_province(election: &ElectionDoc, p: &DraftProvince) -> Result<ContestsDoc, PublishError> {
    let code = p.contests.province.as_str();
    let Some(province) = election.provinces.iter().find(|x| x.code == p.contests.province) else {
        return Err(PublishError::Input(vec![Finding::UnknownReference {
            file: "draft".into(),
            what: "province".into(),
            id: code.into(),
            defined_in: "the election".into(),
        }]));
    };
    let ctx = ProvinceContext::new(election, province);
    let contests_file = format!("contests {code}");
    let stations_file = format!("stations {code}");
    let results_file = format!("results {code}");
    let contests =
        ctx.contests(&contests_file, &json(&contests_file, &p.contests)?, false).map_err(PublishError::Input)?;
    let registry =
        registry(&ctx, &stations_file, &json(&stations_file, &p.stations)?, &contests).map_err(PublishError::Input)?;
    let mut lines = String::new();
    for l in &p.results {
        lines.push_str(l);
        lines.push('\n');
    }
    let checked =
        verify_results(&results_file, lines.as_bytes(), &registry, election, &contests).map_err(PublishError::Input)?;

    let mut by_contest: Vec<Vec<&StationResult>> = vec![Vec::new(); contests.contests.len()];
    for c in &checked {
        by_contest[registry.stations[c.station].contest].push(&c.result);
    }
    let mut out = contests.clone();
    for (contest, results) in out.contests.iter_mut().zip(by_contest) {
        let Some(t) = tally::tally(contest, results) else {
            return Err(PublishError::Input(vec![Finding::Overflow {
                file: results_file.clone(),
                contest: contest.id.to_string(),
            }]));
        };
        contest.published = Some(published_from_tally(&election.id, contest, &t));
    }
    Ok(out)
}
