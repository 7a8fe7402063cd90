//! Making a publication: what the authority's publisher does with the
//! registry and the devices' signed results. It checks every result with the
//! same code a verifier runs, counts each contest with the same tally, writes
//! the files under content-addressed names, and signs the release manifest.

use serde::Serialize;
use time::OffsetDateTime;

use crate::findings::Finding;
use crate::format::{self, Publication, SignatureLine};
use crate::keys::{PublicKey, SecretKey};
use crate::model::{
    ContestsDoc, ElectionDoc, FileEntry, FileKind, Id, KeyEntry, PublishedTotals, ReleaseDoc, ReleaseType, Role,
    RoleEntry, RootDoc, RootRef, RootType, Sha256Hex, StationResult, StationResultType, StationsDoc,
};
use crate::tally;
use crate::verify::{self, ProvinceContext, TrustAnchor};

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
    let mut keys: Vec<KeyEntry> = Vec::new();
    for k in roles.iter().flat_map(|r| r.keys.iter()) {
        if !keys.iter().any(|e| e.id == k.id()) {
            keys.push(KeyEntry { id: k.id(), public: k.to_spki_base64() });
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
/// (one per draft province, in the same order).
pub fn assemble(
    draft: &Draft,
    counted: &[ContestsDoc],
    root_bytes: &[u8],
    root_sigs: &[u8],
    publishers: &[&SecretKey],
    params: &ReleaseParams,
) -> Result<Publication, PublishError> {
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

    let mut publication = Publication::new();
    let mut files: Vec<FileEntry> = Vec::new();
    let mut add = |kind: FileKind, province: Option<&Id>, bytes: Vec<u8>| {
        let path = format::content_path(kind, province.map(|p| p.as_str()), &bytes);
        files.push(FileEntry {
            sha256: Sha256Hex::of(&bytes),
            path: path.clone(),
            size: bytes.len() as u64,
            kind,
            province: province.cloned(),
        });
        publication.insert(path, bytes);
    };

    add(FileKind::Election, None, json("election", &draft.election)?);
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

    let release = ReleaseDoc {
        doc_type: ReleaseType::V1,
        election: draft.election.id.clone(),
        version: params.version,
        issued: params.issued,
        expires: params.expires,
        root: RootRef { version: root.audit().version, sha256: root.audit().sha256 },
        files,
        log: None,
    };
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
    let ctx = ProvinceContext {
        election,
        province_code: code,
        counties: province.counties.iter().map(|c| c.code.clone()).collect(),
    };
    let contests_file = format!("contests {code}");
    let stations_file = format!("stations {code}");
    let results_file = format!("results {code}");
    let contests =
        ctx.contests(&contests_file, &json(&contests_file, &p.contests)?, false).map_err(PublishError::Input)?;
    let registry =
        ctx.registry(&stations_file, &json(&stations_file, &p.stations)?, &contests).map_err(PublishError::Input)?;
    let mut lines = String::new();
    for l in &p.results {
        lines.push_str(l);
        lines.push('\n');
    }
    let checked = verify::verify_results(&results_file, lines.as_bytes(), &registry, election, &contests)
        .map_err(PublishError::Input)?;

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
        let ranking = tally::rank(contest, &t.votes, &lot_order(&election.id, contest));
        let (elected, alternates) = tally::outcome(contest, &ranking);
        contest.published = Some(PublishedTotals {
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
        });
    }
    Ok(out)
}
