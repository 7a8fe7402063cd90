//! Evidence that a station's device and the authority's publication
//! disagree: a small file anyone can check with nothing but the pinned trust
//! root. It holds the sheet's line (signed by the station's device), the
//! setup release (signed by the publishers) with the province's registry
//! that committed the device's key, and the published release (signed by
//! the publishers) with the station's line in it and the Merkle proof that
//! puts that line in the results file the release lists (its `lines` root),
//! so the province's results file itself is not needed; and both releases'
//! place in the release log: the setup's own checkpoint (the log of it
//! alone, with the witnesses' cosignatures) and the checkpoint published
//! with the release, with the inclusion proofs of both in it. Two
//! signatures by the authority's own keys that disagree about one station.
//! See `docs/FORMAT.md`, "Evidence of a mismatch".

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::findings::Finding;
use crate::format::{self, parse_result_line, parse_station_result};
use crate::keys::{KeyId, PublicKey};
use crate::log::{self, tree};
use crate::model::{ElectionDoc, FileKind, Phase, Role, Sha256Hex, StationResult, StationsDoc};
use crate::sheet::{self, Difference};
use crate::verify::files::Commitment;
use crate::verify::log::{verify_checkpoint, CheckpointSignature};
use crate::verify::{verify_archived_release, verify_root, TrustAnchor};

/// `"type"` of an evidence file.
pub const TYPE: &str = "shafaf/evidence/v1";
/// An evidence file is read up to this size (the registry of a province is the largest part).
pub const LIMIT: u64 = 32 * 1024 * 1024;

/// The evidence file, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    #[serde(rename = "type")]
    pub doc_type: String,
    pub station: String,
    /// The results line the station's sheet carries, as its device signed it.
    pub sheet: String,
    /// `root.json` and its signatures, base64.
    pub root: String,
    pub root_sigs: String,
    /// Release 1 (the setup), its signatures, and the station's province's
    /// stations file it lists, base64.
    pub setup: String,
    pub setup_sigs: String,
    pub stations: String,
    /// The election file the setup lists (when the polls opened), base64.
    pub election: String,
    /// The release that publishes another line for the station, and its signatures, base64.
    pub release: String,
    pub release_sigs: String,
    /// The published line, its place in the release's results file of the
    /// province, and the Merkle proof to the file's `lines` root (base64 hashes).
    pub line: String,
    pub index: u64,
    pub proof: Vec<String>,
    /// The setup's checkpoint (`releases/1/checkpoint`: the log of the setup
    /// alone, cosigned by the witnesses), the checkpoint published with the
    /// release (`releases/<N>/checkpoint`), and the inclusion proofs of the
    /// setup (leaf 0) and the release (leaf N − 1) in the latter; base64.
    pub setup_checkpoint: String,
    pub checkpoint: String,
    pub setup_in_log: Vec<String>,
    pub release_in_log: Vec<String>,
}

/// What checked evidence proves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dispute {
    pub station: String,
    /// The device key the setup committed for the station.
    pub device: KeyId,
    /// The version of the release that publishes the other line.
    pub release: u64,
    /// The publishers whose signatures on that release verified.
    pub publishers: Vec<KeyId>,
    pub sheet: StationResult,
    pub published: StationResult,
    /// Whether the station's device signed the published line too (a device
    /// that signed two results), or not (a line the device never signed).
    pub published_signed_by_device: bool,
    pub differences: Vec<Difference>,
    /// The log both releases are in, and who cosigned the setup's
    /// checkpoint (when: before the polls opened, for a sound setup) and the
    /// release's.
    pub log: String,
    pub setup_witnesses: Vec<CheckpointSignature>,
    pub release_witnesses: Vec<CheckpointSignature>,
    /// When the setup was issued and the polls opened; how many witnesses
    /// cosigned the setup before then, of how many the root requires.
    #[serde(with = "time::serde::rfc3339")]
    pub committed: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub polls_open: OffsetDateTime,
    pub witnessed_before_polls: u32,
    pub witness_threshold: u32,
}

/// What [`make`] reads: the files of the publication, as a reader holds them.
pub struct Sources<'a> {
    pub root: &'a [u8],
    pub root_sigs: &'a [u8],
    /// `releases/1/release.json`, its `.sigs` and `checkpoint`.
    pub setup: &'a [u8],
    pub setup_sigs: &'a [u8],
    pub setup_checkpoint: &'a [u8],
    /// The province's stations file and the election file the setup lists.
    pub stations: &'a [u8],
    pub election: &'a [u8],
    /// `releases/<N>/release.json`, its `.sigs` and `checkpoint`.
    pub release: &'a [u8],
    pub release_sigs: &'a [u8],
    pub checkpoint: &'a [u8],
    /// `log/inclusion/0-<N>` and `log/inclusion/<N − 1>-<N>`.
    pub setup_inclusion: &'a [u8],
    pub release_inclusion: &'a [u8],
    /// The province's results file of the release.
    pub results: &'a [u8],
}

/// The log files [`Sources`] needs for release `version`.
pub fn log_paths(version: u64) -> [String; 4] {
    [
        log::checkpoint_path(1),
        log::checkpoint_path(version),
        log::inclusion_path(0, version),
        log::inclusion_path(version.saturating_sub(1), version),
    ]
}

/// Makes the evidence from the bytes a reader already holds.
pub fn make(sheet_line: &str, station: &str, from: &Sources<'_>) -> Option<Evidence> {
    let version = format::json_or_none::<crate::model::ReleaseDoc>(from.release)?.version;
    let proof_of =
        |bytes: &[u8], index: u64| log::parse_proof("proof", bytes, log::ProofKind::Inclusion, index, version).ok();
    let setup_in_log = proof_of(from.setup_inclusion, 0)?;
    let release_in_log = proof_of(from.release_inclusion, version.checked_sub(1)?)?;
    let lines = format::result_lines("results", from.results).ok()?;
    let index = lines.iter().position(|l| sheet::names_station(l, station))?;
    let leaves: Vec<log::Hash> = lines.iter().map(|l| tree::leaf_hash(l.as_bytes())).collect();
    let proof = tree::inclusion_proof(index as u64, &leaves).ok()?;
    let b64 = |b: &[u8]| BASE64.encode(b);
    Some(Evidence {
        doc_type: TYPE.into(),
        station: station.into(),
        sheet: sheet_line.into(),
        root: b64(from.root),
        root_sigs: b64(from.root_sigs),
        setup: b64(from.setup),
        setup_sigs: b64(from.setup_sigs),
        stations: b64(from.stations),
        election: b64(from.election),
        release: b64(from.release),
        release_sigs: b64(from.release_sigs),
        line: lines[index].into(),
        index: index as u64,
        proof: proof.iter().map(|h| b64(h)).collect(),
        setup_checkpoint: b64(from.setup_checkpoint),
        checkpoint: b64(from.checkpoint),
        setup_in_log: setup_in_log.iter().map(|h| b64(h)).collect(),
        release_in_log: release_in_log.iter().map(|h| b64(h)).collect(),
    })
}

/// Makes the evidence from a publication folder as read (`shafaf
/// check-sheet`): its current release, the setup's registry holding the
/// station, and the log files.
pub fn make_from(publication: &crate::Publication, sheet_line: &str, station: &str) -> Option<Evidence> {
    use crate::format::{RELEASE, RELEASE_SIGS, ROOT, ROOT_SIGS};
    use crate::model::ReleaseDoc;
    let get = |path: &str| publication.get(path);
    let (setup_path, setup_sigs) = (log::release_path(1), log::release_sigs_path(1));
    let setup: ReleaseDoc = format::json_or_none(get(&setup_path)?)?;
    let (province, stations) = setup.files.iter().filter(|f| f.kind == FileKind::Stations).find_map(|f| {
        let bytes = get(&f.path)?;
        let doc: StationsDoc = format::json_or_none(bytes)?;
        doc.stations.iter().any(|s| s.id.as_str() == station).then(|| (f.province.clone(), bytes))
    })?;
    let election = setup.files.iter().find(|f| f.kind == FileKind::Election)?;
    let release: ReleaseDoc = format::json_or_none(get(RELEASE)?)?;
    let results = release.files.iter().find(|f| f.kind == FileKind::Results && f.province == province)?;
    let [setup_checkpoint, checkpoint, setup_inclusion, release_inclusion] = log_paths(release.version);
    let sources = Sources {
        root: get(ROOT)?,
        root_sigs: get(ROOT_SIGS)?,
        setup: get(&setup_path)?,
        setup_sigs: get(&setup_sigs)?,
        setup_checkpoint: get(&setup_checkpoint)?,
        stations,
        election: get(&election.path)?,
        release: get(RELEASE)?,
        release_sigs: get(RELEASE_SIGS)?,
        checkpoint: get(&checkpoint)?,
        setup_inclusion: get(&setup_inclusion)?,
        release_inclusion: get(&release_inclusion)?,
        results: get(&results.path)?,
    };
    make(sheet_line, station, &sources)
}

/// Checks evidence against the pinned root: the root, the setup and the
/// release signed by the publishers, the station's committed key, the
/// sheet signed by it, the published line in the release's results file,
/// and that the two results differ.
pub fn verify(bytes: &[u8], anchor: &TrustAnchor, now: OffsetDateTime) -> Result<Dispute, Vec<Finding>> {
    let file = "evidence";
    let bad =
        |field: &str, problem: String| vec![Finding::InvalidValue { file: file.into(), field: field.into(), problem }];
    let e: Evidence = format::parse_json(file, bytes, LIMIT).map_err(|e| vec![e.into()])?;
    if e.doc_type != TYPE {
        return Err(bad("type", format!("is `{}`, not `{TYPE}`", e.doc_type)));
    }
    let decode = |field: &str, text: &str| BASE64.decode(text).map_err(|_| bad(field, "is not base64".into()));
    let hashes = |field: &str, list: &[String]| -> Result<Vec<log::Hash>, Vec<Finding>> {
        list.iter()
            .map(|h| BASE64.decode(h).ok().and_then(|b| b.try_into().ok()))
            .collect::<Option<_>>()
            .ok_or_else(|| bad(field, "is not a list of base64 SHA-256 hashes".into()))
    };
    let (root_bytes, root_sigs) = (decode("root", &e.root)?, decode("root_sigs", &e.root_sigs)?);
    let root = verify_root(&root_bytes, &root_sigs, anchor, now)?;

    // The setup: release 1, signed, and the province's registry it lists.
    let (setup_bytes, setup_sigs) = (decode("setup", &e.setup)?, decode("setup_sigs", &e.setup_sigs)?);
    let setup_file = log::release_path(1);
    let setup =
        verify_archived_release(&setup_file, &log::release_sigs_path(1), root.clone(), &setup_bytes, &setup_sigs)?;
    if setup.doc().phase != Phase::Setup || setup.doc().version != 1 {
        return Err(bad("setup", "is not release 1, the setup".into()));
    }
    let stations = decode("stations", &e.stations)?;
    let hash = Sha256Hex::of(&stations);
    let Some(entry) = setup.files().iter().find(|f| f.kind == FileKind::Stations && f.sha256 == hash) else {
        return Err(bad("stations", "is not a stations file the setup release lists".into()));
    };
    let registry: StationsDoc =
        format::parse_json(&entry.path, &stations, FileKind::Stations.size_limit()).map_err(|e| vec![e.into()])?;
    let Some(committed) = registry.stations.iter().find(|s| s.id.as_str() == e.station) else {
        return Err(bad("station", format!("`{}` is not in the registry the setup committed", e.station)));
    };
    let device = PublicKey::from_spki_base64(&committed.device)
        .map_err(|_| bad("stations", format!("station `{}` has no valid device key", e.station)))?;
    let province = entry.province.clone();

    // The sheet, signed by that device.
    let read = sheet::read(&sheet::encode(&e.sheet)).map_err(|err| bad("sheet", err.to_string()))?;
    if read.key != device.id() || read.result.station.as_str() != e.station {
        return Err(bad(
            "sheet",
            format!("is not signed by station `{}`'s committed device {}", e.station, device.id()),
        ));
    }
    match sheet::check(&read, Some(committed), &[]) {
        sheet::SheetVerdict::Unpublished { .. } => {}
        other => return Err(bad("sheet", format!("its device signature does not verify ({})", other.word()))),
    }

    // The release, signed, and the station's line in its results file.
    let (release_bytes, release_sigs) = (decode("release", &e.release)?, decode("release_sigs", &e.release_sigs)?);
    let version = format::json_or_none::<crate::model::ReleaseDoc>(&release_bytes).map_or(0, |r| r.version);
    let release_file = log::release_path(version);
    let release = verify_archived_release(
        &release_file,
        &log::release_sigs_path(version),
        root.clone(),
        &release_bytes,
        &release_sigs,
    )?;
    if release.doc().phase != Phase::Results || version < 2 {
        return Err(bad("release", "is not a results release".into()));
    }

    // Both in the release log: the setup's checkpoint is the log of it
    // alone; the release's checkpoint holds the setup as leaf 0 and the
    // release as its last leaf.
    let setup_checkpoint = decode("setup_checkpoint", &e.setup_checkpoint)?;
    let setup_checkpoint = verify_checkpoint("setup_checkpoint", &setup_checkpoint, &root, true)?;
    let setup_leaf = tree::leaf_hash(&setup_bytes);
    if setup_checkpoint.size != 1 || setup_checkpoint.root_hash.0 != tree::root(&[setup_leaf]) {
        return Err(bad("setup_checkpoint", "is not the log of the setup release alone".into()));
    }
    let checkpoint = decode("checkpoint", &e.checkpoint)?;
    let checkpoint = verify_checkpoint("checkpoint", &checkpoint, &root, true)?;
    let origin = release.log().map(|l| l.origin.to_string()).unwrap_or_default();
    if checkpoint.size != version || checkpoint.origin != origin || setup_checkpoint.origin != origin {
        return Err(bad("checkpoint", format!("is not the log `{origin}` of {version} releases")));
    }
    let in_log = |field: &str, index: u64, leaf: &log::Hash, list: &[String]| -> Result<(), Vec<Finding>> {
        let proof = hashes(field, list)?;
        tree::verify_inclusion(index, version, leaf, &proof, &checkpoint.root_hash.0)
            .map_err(|err| bad(field, format!("does not prove leaf {index} of the log: {err}")))
    };
    in_log("setup_in_log", 0, &setup_leaf, &e.setup_in_log)?;

    // The setup was committed before the polls opened, by the publishers
    // and the root's witness threshold: else the "committed" key proves
    // nothing about the station's device.
    let election_bytes = decode("election", &e.election)?;
    let Some(election_entry) =
        setup.entry(FileKind::Election, None).filter(|entry| entry.sha256 == Sha256Hex::of(&election_bytes))
    else {
        return Err(bad("election", "is not the election file the setup release lists".into()));
    };
    let election: ElectionDoc =
        format::parse_json(&election_entry.path, &election_bytes, FileKind::Election.size_limit())
            .map_err(|e| vec![e.into()])?;
    let setup_witnesses: Vec<CheckpointSignature> = setup_checkpoint.witnesses().cloned().collect();
    let commitment = Commitment {
        file: "setup",
        checkpoint_file: "setup_checkpoint",
        issued: setup.audit().issued,
        polls_open: election.polls_open,
        witnesses: &setup_witnesses,
        threshold: root.threshold(Role::Witness),
        witnesses_required: true,
    };
    let late = commitment.findings();
    if !late.is_empty() {
        return Err(late);
    }
    in_log("release_in_log", version - 1, &tree::leaf_hash(&release_bytes), &e.release_in_log)?;
    let Some(results) = release.entry(FileKind::Results, province.as_ref().map(|p| p.as_str())) else {
        return Err(bad("release", "lists no results file for the station's province".into()));
    };
    let Some(lines) = &results.lines else {
        return Err(bad("release", "lists no `lines` root for the results file".into()));
    };
    let proof = hashes("proof", &e.proof)?;
    tree::verify_inclusion(e.index, lines.count, &tree::leaf_hash(e.line.as_bytes()), &proof, &lines.root.0)
        .map_err(|err| bad("proof", format!("does not put the line in {}: {err}", results.path)))?;
    let parsed = parse_result_line(&results.path, e.index as usize + 1, &e.line).map_err(|err| vec![err.into()])?;
    let published = parse_station_result(&results.path, e.index as usize + 1, parsed.result.get())
        .map_err(|err| vec![err.into()])?;
    if published.station.as_str() != e.station {
        return Err(bad("line", format!("is the result of station `{}`", published.station)));
    }
    if parsed.result.get() == read.signed_bytes() {
        return Err(bad("line", "is the sheet's own result: there is no disagreement".into()));
    }
    let signed_by_device = parsed.key == device.id()
        && parsed.signature_bytes().is_some_and(|s| device.verify(parsed.result.get().as_bytes(), &s).is_ok());
    let differences = match sheet::check(&read, Some(committed), &[(version, Some(&e.line))]) {
        sheet::SheetVerdict::Differs { differences, .. } => differences,
        _ => Vec::new(),
    };
    Ok(Dispute {
        station: e.station.clone(),
        device: device.id(),
        release: version,
        publishers: release.audit().signatures.iter().filter(|s| s.valid).map(|s| s.key).collect(),
        sheet: read.result,
        published,
        published_signed_by_device: signed_by_device,
        differences,
        log: origin,
        release_witnesses: checkpoint.witnesses().cloned().collect(),
        committed: commitment.issued,
        polls_open: commitment.polls_open,
        witnessed_before_polls: commitment.witnessed_before_polls(),
        witness_threshold: commitment.threshold,
        setup_witnesses,
    })
}
