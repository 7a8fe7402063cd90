//! Stage 7, the verdict: every province's outcome gathered, the checks that
//! span provinces (a station id or device key may appear once in the whole
//! election), what was checked ([`Audit`]) and the one word a reader is told
//! ([`Status`]). [`verify_publication_with`] drives all seven stages over a
//! folder, as `shafaf verify` does; the browser drives the same stages a
//! province at a time and ends here with the same [`AuditedRelease`], so both
//! reach the same verdict on the same files.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use time::OffsetDateTime;

use super::files::{verify_files, CheckedFile, FileAudit, ListedFiles, SetupAudit, SignedRelease};
use super::log::{verify_log, LogAudit, LogPolicy, PointerAudit};
use super::province::verify_province;
use super::recount::{recount, VerifiedProvince};
use super::release::{verify_release, ReleaseAudit, VerifiedRelease};
use super::root::{verify_root, RootAudit, TrustAnchor};
use super::setup::compare_with_setup;
use crate::findings::{Finding, Severity};
use crate::format::{self, Publication};
use crate::keys::KeyId;
use crate::map::Boundaries;
use crate::model::{ElectionDoc, FileEntry, FileKind, Id};

/// The overall result, in the words the views use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every signature, hash and recount checks out.
    Verified,
    /// Authentic and complete, but some signed figures do not add up.
    VerifiedWithFindings,
    /// Something could not be trusted; nothing is shown.
    Failed,
    /// The only problem is that the trust root or release has expired.
    Expired,
}

impl Status {
    pub fn of(findings: &[Finding]) -> Status {
        let integrity: Vec<&Finding> = findings.iter().filter(|f| f.severity() == Severity::Integrity).collect();
        if !integrity.is_empty() {
            // A frozen pointer is an expiry too: what is shown is not current.
            if integrity.iter().all(|f| matches!(f, Finding::Expired { .. } | Finding::Frozen { .. })) {
                Status::Expired
            } else {
                Status::Failed
            }
        } else if findings.is_empty() {
            Status::Verified
        } else {
            Status::VerifiedWithFindings
        }
    }
}

/// Everything that was checked, for the observer's panel and `verify --json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Audit {
    pub root: Option<RootAudit>,
    pub release: Option<ReleaseAudit>,
    pub files: Vec<FileAudit>,
    pub stations_registered: u64,
    pub station_signatures_verified: u64,
    pub contests_recounted: u64,
    pub contests_matching: u64,
    /// The release's place in the release log, when its checkpoint was checked.
    pub log: Option<LogAudit>,
    /// The pointer to the latest release (`latest.json`), when it was checked.
    pub pointer: Option<PointerAudit>,
    /// When the registry and candidate lists were committed (the setup
    /// release), against the polls' opening.
    pub setup: Option<SetupAudit>,
}

/// A whole publication, verified: every province, every signature, every recount.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct VerifiedElection {
    pub election: ElectionDoc,
    pub provinces: Vec<VerifiedProvince>,
    pub audit: Audit,
    /// Discrepancies only: an integrity failure anywhere makes a [`Failure`] instead.
    pub findings: Vec<Finding>,
    /// The release's boundary files, for the maps (their hashes verified).
    #[serde(skip)]
    pub boundaries: Boundaries,
}

impl VerifiedElection {
    pub fn status(&self) -> Status {
        Status::of(&self.findings)
    }
}

/// Why a publication could not be verified, with what was checked before it stopped.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub findings: Vec<Finding>,
    pub audit: Box<Audit>,
}

impl Failure {
    pub fn status(&self) -> Status {
        Status::of(&self.findings)
    }

    fn new(findings: Vec<Finding>, audit: Audit) -> Failure {
        Failure { findings, audit: Box::new(audit) }
    }
}

/// A signed release and what its audit has found so far, province by
/// province; complete once every province of the election has an outcome
/// (and the provinces' boundaries were checked).
#[derive(Debug, Clone)]
pub struct AuditedRelease {
    /// Shared with the page that shows it: the audit reads it, never changes it.
    signed: Arc<SignedRelease>,
    /// National files beside the election file and the summary (the
    /// provinces' boundaries), and how their check ended.
    national: Vec<(FileAudit, Option<Finding>)>,
    /// One per province of the election file, in its order.
    provinces: Vec<Option<Result<Arc<VerifiedProvince>, Vec<Finding>>>>,
}

/// The verdict so far: every finding, in a fixed order, and the status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub status: Status,
    pub findings: Vec<Finding>,
    /// Whether every province has been audited (then `status` is final).
    pub complete: bool,
}

impl AuditedRelease {
    pub fn new(signed: impl Into<Arc<SignedRelease>>) -> AuditedRelease {
        let signed = signed.into();
        let provinces = vec![None; signed.election().provinces.len()];
        AuditedRelease { signed, national: Vec::new(), provinces }
    }

    pub fn signed(&self) -> &SignedRelease {
        &self.signed
    }

    /// Records the check of a national file the reader fetched beside the
    /// election file and the summary (the provinces' boundaries).
    pub fn add_national_file(&mut self, kind: FileKind, file: &Result<CheckedFile<'_>, Finding>) {
        let Some(entry) = self.signed.entry(kind, None) else { return };
        let result = file.clone().and_then(|f| f.of(self.signed.release(), kind, None).map(drop));
        self.national.retain(|(audit, _)| audit.path != entry.path);
        self.national.push((FileAudit::of(entry, result.is_ok()), result.err()));
    }

    /// Records a province's outcome (see [`audit_province`]).
    pub fn add_province(&mut self, code: &str, outcome: Result<Arc<VerifiedProvince>, Vec<Finding>>) {
        if let Some(i) = self.signed.election().provinces.iter().position(|p| *p.code == *code) {
            self.provinces[i] = Some(outcome);
        }
    }

    /// A province's outcome, once it has one.
    pub fn province(&self, code: &str) -> Option<&Result<Arc<VerifiedProvince>, Vec<Finding>>> {
        let i = self.signed.election().provinces.iter().position(|p| *p.code == *code)?;
        self.provinces[i].as_ref()
    }

    /// Whether every province has an outcome and the provinces'
    /// boundaries, when the release lists them, were checked (a browser
    /// fetches them after its first figures).
    pub fn is_complete(&self) -> bool {
        self.provinces.iter().all(Option::is_some)
            && self
                .signed
                .entry(FileKind::GeoProvinces, None)
                .is_none_or(|entry| self.national.iter().any(|(audit, _)| audit.path == entry.path))
    }

    fn verified(&self) -> Vec<&VerifiedProvince> {
        self.provinces.iter().flatten().filter_map(|o| o.as_deref().ok()).collect()
    }

    /// Every finding so far, in the order of the stages and the election
    /// file's provinces, and the status they make. Checks across provinces
    /// run once every province has an outcome.
    pub fn verdict(&self) -> Verdict {
        let mut integrity = Vec::new();
        let mut discrepancies = Vec::new();
        integrity.extend(self.national.iter().filter_map(|(_, f)| f.clone()));
        for outcome in self.provinces.iter().flatten() {
            match outcome {
                Ok(p) => discrepancies.extend(p.findings.iter().cloned()),
                Err(f) => integrity.extend(f.iter().cloned()),
            }
        }
        let complete = self.is_complete();
        if complete {
            let release = self.signed.release();
            let stations_file =
                |code: &Id| release.entry(FileKind::Stations, Some(code)).map(|e| e.path.clone()).unwrap_or_default();
            check_across_provinces(&self.verified(), stations_file, &mut integrity);
        }
        // Discrepancies found beside an integrity failure are listed after it.
        let mut findings = integrity;
        findings.extend(discrepancies);
        Verdict { status: Status::of(&findings), findings, complete }
    }

    /// What was checked, for the verification panel and `verify --json`.
    pub fn audit(&self) -> Audit {
        let signed = &self.signed;
        let mut audit = Audit {
            root: Some(signed.root().audit().clone()),
            release: Some(signed.release().audit().clone()),
            log: signed.logged().log().cloned(),
            pointer: signed.logged().pointer().cloned(),
            setup: signed.setup().cloned(),
            ..Audit::default()
        };
        let mut checked: HashMap<&str, bool> = HashMap::new();
        for kind in [FileKind::Election, FileKind::Summary] {
            if let Some(entry) = signed.entry(kind, None) {
                checked.insert(&entry.path, true);
            }
        }
        for (file, _) in &self.national {
            checked.insert(&file.path, file.verified);
        }
        // A province that failed had every file checked first: those its
        // findings do not name matched.
        for (i, outcome) in self.provinces.iter().enumerate() {
            let (Some(Err(findings)), Some(province)) = (outcome, signed.election().provinces.get(i)) else { continue };
            for entry in signed.release().files().iter().filter(|e| e.province.as_ref() == Some(&province.code)) {
                checked.insert(&entry.path, !findings.iter().any(|f| f.file() == entry.path));
            }
        }
        for p in self.verified() {
            for file in &p.files {
                checked.insert(&file.path, file.verified);
            }
            audit.stations_registered += p.stations.len() as u64;
            audit.station_signatures_verified += p.signatures_verified;
            audit.contests_recounted += p.contests.len() as u64;
            audit.contests_matching += p.contests.iter().filter(|c| c.matches_published).count() as u64;
        }
        audit.files = signed
            .release()
            .files()
            .iter()
            .map(|entry| FileAudit::of(entry, checked.get(entry.path.as_str()).copied().unwrap_or(false)))
            .collect();
        audit
    }

    /// The verified election once every province has an outcome: a
    /// [`VerifiedElection`] if nothing failed integrity, else why not.
    pub fn finish(self, boundaries: Boundaries) -> Result<VerifiedElection, Failure> {
        let verdict = self.verdict();
        let audit = self.audit();
        if !verdict.complete || verdict.status == Status::Failed || verdict.status == Status::Expired {
            return Err(Failure::new(verdict.findings, audit));
        }
        let election = self.signed.election().clone();
        let provinces = self.provinces.into_iter().flatten().filter_map(Result::ok).map(Arc::unwrap_or_clone).collect();
        Ok(VerifiedElection { election, provinces, audit, findings: verdict.findings, boundaries })
    }
}

/// Stages 4 to 6 for one province: its contests file, its boundaries, its
/// stations and every signature, the comparison with the setup release,
/// and the recount. `file` gives each listed file checked: the province's
/// own, and the setup's that [`setup_files`] names. What the CLI runs for
/// each province, and the browser's worker for the province it is given.
pub fn audit_province<'a>(
    signed: &SignedRelease,
    code: &str,
    mut file: impl FnMut(&FileEntry) -> Result<CheckedFile<'a>, Finding>,
) -> Result<VerifiedProvince, Vec<Finding>> {
    // Every file's size and hash first, as the release lists them: a file
    // that fails is named whatever else fails, and one that is not named
    // by a finding matched.
    let mut checked = Vec::new();
    let mut failed = Vec::new();
    for kind in PROVINCE_FILES {
        let Some(entry) = signed.entry(kind, Some(code)) else {
            if kind != FileKind::GeoCounties {
                failed.push(Finding::UnknownReference {
                    file: format::RELEASE.into(),
                    what: format!("{kind} file"),
                    id: code.to_owned(),
                    defined_in: "files".into(),
                });
            }
            continue;
        };
        match file(entry).and_then(|f| f.of(signed.release(), kind, Some(code))) {
            Ok(f) => checked.push((kind, f)),
            Err(finding) => failed.push(finding),
        }
    }
    if !failed.is_empty() {
        return Err(failed);
    }
    let mut take = |kind: FileKind| match checked.iter().position(|(k, _)| *k == kind) {
        Some(i) => Ok(checked.swap_remove(i).1),
        None => Err(Finding::FileMissing { file: format!("{kind} file of {code}") }),
    };
    let contests = signed.contests(code, take(FileKind::Contests))?;
    let geo = take(FileKind::GeoCounties).ok().map(|f| f.audit());
    let (stations, results) = (take(FileKind::Stations), take(FileKind::Results));
    if let Ok(results) = &results {
        check_lines_root(results)?;
    }
    if let Ok(stations) = &stations {
        let changed = compare_with_setup(signed, code, &contests, stations, &mut file);
        if !changed.is_empty() {
            return Err(changed);
        }
    }
    let checked = verify_province(signed, contests, stations, results)?;
    let mut province = recount(signed, checked);
    province.files.extend(geo);
    Ok(province)
}

/// A results file's lines must make the Merkle root the release lists for
/// them (what evidence of a mismatch proves a line against). A file that
/// cannot be split into lines is left to stage 5 to name.
fn check_lines_root(results: &CheckedFile<'_>) -> Result<(), Vec<Finding>> {
    let Ok(lines) = format::result_lines(results.path(), results.bytes()) else { return Ok(()) };
    let found = crate::log::lines_root(&lines);
    match results.entry().lines {
        Some(listed) if listed == found => Ok(()),
        listed => Err(vec![Finding::InvalidValue {
            file: results.path().to_owned(),
            field: "lines".into(),
            problem: format!(
                "its {} lines have the Merkle root {}, but the release lists {}",
                found.count,
                found.root,
                listed.map_or_else(|| "none".to_owned(), |l| format!("{} lines with root {}", l.count, l.root))
            ),
        }]),
    }
}

/// A province's files, in the order they are checked.
const PROVINCE_FILES: [FileKind; 4] =
    [FileKind::Contests, FileKind::GeoCounties, FileKind::Stations, FileKind::Results];

/// Verifies everything in a publication, in the order trust flows. The
/// release log is checked as far as the publication holds it (see
/// [`LogPolicy`]); [`verify_publication_with`] can require it.
pub fn verify_publication(
    publication: &Publication,
    anchor: &TrustAnchor,
    now: OffsetDateTime,
) -> Result<VerifiedElection, Failure> {
    verify_publication_with(publication, anchor, now, &LogPolicy::default())
}

/// [`verify_publication`], with what the reader requires of the release log:
/// its checkpoint, the pointer's freshness, and that it extends a checkpoint
/// the reader verified before. Provinces are audited on all cores when the
/// crate's `parallel` feature is on.
pub fn verify_publication_with(
    publication: &Publication,
    anchor: &TrustAnchor,
    now: OffsetDateTime,
    policy: &LogPolicy,
) -> Result<VerifiedElection, Failure> {
    verify_publication_reading(publication, publication, anchor, now, policy, StationResults::Keep)
}

/// What a [`VerifiedElection`] keeps of each station's signed result once
/// its council was recounted from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StationResults {
    /// Every result, in [`StationOutcome::result`](super::StationOutcome):
    /// what the page's station tables and statistics read.
    Keep,
    /// None, each province's dropped once it was recounted: a report of the
    /// councils and the audit (`shafaf verify`) does not hold a country's
    /// results at once (a quarter of its peak memory at national scale).
    Drop,
}

/// [`verify_publication_with`], reading the files the release lists from
/// `files` and the entry and log files from `publication`: the CLI reads a
/// province's files when its audit starts, and drops them after.
pub fn verify_publication_reading(
    publication: &Publication,
    files: &(impl ListedFiles + ?Sized),
    anchor: &TrustAnchor,
    now: OffsetDateTime,
    policy: &LogPolicy,
    results: StationResults,
) -> Result<VerifiedElection, Failure> {
    let mut audited = audit_signed_reading(publication, files, anchor, now, policy)?;
    let codes: Vec<Id> = audited.signed().election().provinces.iter().map(|p| p.code.clone()).collect();
    let signed = audited.signed();
    let one = |code: &Id| {
        let mut outcome = audit_province(signed, code, |entry| files.check(entry));
        if let (Ok(province), StationResults::Drop) = (&mut outcome, results) {
            province.stations.iter_mut().for_each(|s| s.result = None);
        }
        (code.clone(), outcome)
    };
    #[cfg(feature = "parallel")]
    let outcomes: Vec<_> = {
        use rayon::prelude::*;
        codes.par_iter().map(one).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let outcomes: Vec<_> = codes.iter().map(one).collect();
    for (code, outcome) in outcomes {
        audited.add_province(&code, outcome.map(Arc::new));
    }
    let boundaries = boundaries(audited.signed().release(), files);
    audited.finish(boundaries)
}

/// Stages 1 to 4 over the files in `publication`, and the provinces'
/// boundaries beside them: the audit of a release before its provinces'.
/// [`verify_publication_with`] goes on with every province; the browser's
/// history view sends them to its workers ([`audit_province`] each).
pub fn audit_signed(
    publication: &Publication,
    anchor: &TrustAnchor,
    now: OffsetDateTime,
    policy: &LogPolicy,
) -> Result<AuditedRelease, Failure> {
    audit_signed_reading(publication, publication, anchor, now, policy)
}

fn audit_signed_reading(
    publication: &Publication,
    files: &(impl ListedFiles + ?Sized),
    anchor: &TrustAnchor,
    now: OffsetDateTime,
    policy: &LogPolicy,
) -> Result<AuditedRelease, Failure> {
    let signed = verify_signed(publication, anchor, now, policy, |entry| files.check(entry))?;
    let mut audited = AuditedRelease::new(signed);
    let geo = read(audited.signed().release(), files, FileKind::GeoProvinces, None);
    if geo.as_ref().err().is_none_or(|f| !matches!(f, Finding::UnknownReference { .. })) {
        audited.add_national_file(FileKind::GeoProvinces, &geo);
    }
    Ok(audited)
}

/// Stages 1 to 4 up to the "signed" level: the root, the release, its place
/// in the log and the pointer (from the entry and log files in
/// `publication`), then the election file and the summary, as `listed`
/// gives them checked (from the same folder for the CLI; streamed and
/// checked as they arrived for the browser). A failure comes with what was
/// checked before it, as `shafaf verify` reports it.
pub fn verify_signed<'a>(
    publication: &Publication,
    anchor: &TrustAnchor,
    now: OffsetDateTime,
    policy: &LogPolicy,
    listed: impl FnMut(&FileEntry) -> Result<CheckedFile<'a>, Finding>,
) -> Result<SignedRelease, Failure> {
    let mut audit = Audit::default();
    let required =
        |path: &str| publication.get(path).ok_or_else(|| vec![Finding::FileMissing { file: path.to_owned() }]);
    let (root_bytes, root_sigs) = match (required(format::ROOT), required(format::ROOT_SIGS)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => return Err(Failure::new([a.err(), b.err()].into_iter().flatten().flatten().collect(), audit)),
    };
    let root = verify_root(root_bytes, root_sigs, anchor, now).map_err(|f| Failure::new(f, audit.clone()))?;
    audit.root = Some(root.audit().clone());
    let (release_bytes, release_sigs) = match (required(format::RELEASE), required(format::RELEASE_SIGS)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => return Err(Failure::new([a.err(), b.err()].into_iter().flatten().flatten().collect(), audit)),
    };
    let release = verify_release(root, release_bytes, release_sigs, now).map_err(|f| Failure::new(f, audit.clone()))?;
    verify_signed_from(release, publication, now, policy, listed)
}

/// [`verify_signed`] from stage 2 on, for a release whose root and
/// signatures the caller already verified (the browser does, to know which
/// files to fetch): its place in the log and the pointer, then the election
/// file and the summary.
pub fn verify_signed_from<'a>(
    release: VerifiedRelease,
    publication: &Publication,
    now: OffsetDateTime,
    policy: &LogPolicy,
    mut listed: impl FnMut(&FileEntry) -> Result<CheckedFile<'a>, Finding>,
) -> Result<SignedRelease, Failure> {
    let mut audit = Audit {
        root: Some(release.root().audit().clone()),
        release: Some(release.audit().clone()),
        ..Audit::default()
    };
    let logged = verify_log(release, publication, policy, now).map_err(|f| Failure::new(f, audit.clone()))?;
    audit.log = logged.log().cloned();
    audit.pointer = logged.pointer().cloned();
    let mut file = |kind: FileKind| match logged.release().entry(kind, None) {
        Some(entry) => listed(entry),
        None => Err(Finding::UnknownReference {
            file: format::RELEASE.into(),
            what: format!("{kind} file"),
            id: "-".into(),
            defined_in: "files".into(),
        }),
    };
    let (election, summary) = (file(FileKind::Election), file(FileKind::Summary));
    let entries: Vec<FileEntry> = logged.release().files().to_vec();
    verify_files(logged, election, summary).map_err(|f| {
        audit.files = entries
            .iter()
            .filter(|e| matches!(e.kind, FileKind::Election | FileKind::Summary))
            .map(|e| FileAudit::of(e, !f.iter().any(|f| f.file() == e.path)))
            .collect();
        Failure::new(f, audit)
    })
}

/// A listed file of the publication, checked.
fn read<'p>(
    release: &VerifiedRelease,
    files: &'p (impl ListedFiles + ?Sized),
    kind: FileKind,
    province: Option<&str>,
) -> Result<CheckedFile<'p>, Finding> {
    let entry = release.entry(kind, province).ok_or_else(|| Finding::UnknownReference {
        file: format::RELEASE.into(),
        what: format!("{kind} file"),
        id: province.unwrap_or("-").to_owned(),
        defined_in: "files".into(),
    })?;
    files.check(entry)
}

/// The boundary files the release lists that match their hash.
fn boundaries(release: &VerifiedRelease, files: &(impl ListedFiles + ?Sized)) -> Boundaries {
    let mut out = Boundaries::default();
    // Only the boundary files are hashed: the others were checked already.
    let boundary = |e: &&FileEntry| matches!(e.kind, FileKind::GeoProvinces | FileKind::GeoCounties);
    for entry in release.files().iter().filter(boundary) {
        let Ok(file) = files.check(entry) else { continue };
        match (entry.kind, &entry.province) {
            (FileKind::GeoProvinces, _) => out.set_provinces(&file),
            (FileKind::GeoCounties, Some(province)) => out.add_counties(province.clone(), &file),
            _ => {}
        }
    }
    out
}

/// A device key or station id may not appear in two provinces either.
/// Every station is looked at once more only for the keys used twice (few
/// or none): the whole country's ids are not copied to find them.
fn check_across_provinces(
    provinces: &[&VerifiedProvince],
    stations_file: impl Fn(&Id) -> String,
    findings: &mut Vec<Finding>,
) {
    let stations = provinces.iter().map(|p| p.stations.len()).sum();
    let mut uses: HashMap<KeyId, u32> = HashMap::with_capacity(stations);
    let mut ids: HashMap<&Id, &Id> = HashMap::with_capacity(stations);
    for p in provinces {
        for s in &p.stations {
            *uses.entry(s.device).or_default() += 1;
            if let Some(other) = ids.insert(&s.station.id, &p.code) {
                if *other != p.code {
                    findings.push(Finding::DuplicateId {
                        file: stations_file(&p.code),
                        what: format!("station (also in {other})"),
                        id: s.station.id.to_string(),
                    });
                }
            }
        }
    }
    // By key, each with its stations in the provinces' order.
    let mut keys: BTreeMap<KeyId, Vec<String>> =
        uses.into_iter().filter(|&(_, n)| n > 1).map(|(key, _)| (key, Vec::new())).collect();
    if !keys.is_empty() {
        for s in provinces.iter().flat_map(|p| &p.stations) {
            if let Some(stations) = keys.get_mut(&s.device) {
                stations.push(s.station.id.to_string());
            }
        }
    }
    for (key, stations) in keys {
        findings.push(Finding::DeviceReused { file: "stations files of several provinces".into(), key, stations });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A province of stations `(id, device)`, as a worker reports it.
    fn province(code: &str, stations: &[(&str, u8)]) -> VerifiedProvince {
        let station = |(id, device): &(&str, u8)| {
            serde_json::json!({
                "station": { "id": id, "contest": "C1", "eligible": 1, "device": "AAAA" },
                "device": format!("{device:02x}").repeat(32),
                "contest": 0,
                "result": null,
            })
        };
        serde_json::from_value(serde_json::json!({
            "code": code,
            "contests": [],
            "stations": stations.iter().map(station).collect::<Vec<_>>(),
            "findings": [],
            "signatures_verified": 0,
            "files": [],
        }))
        .unwrap()
    }

    #[test]
    fn a_device_or_station_in_two_provinces_is_named_in_the_provinces_order() {
        let a = province("IR-01", &[("S1", 1), ("S2", 2)]);
        let b = province("IR-02", &[("S3", 1), ("S1", 3)]);
        let c = province("IR-03", &[("S4", 2), ("S5", 1), ("S6", 4)]);
        let mut findings = Vec::new();
        check_across_provinces(&[&a, &b, &c], |code| format!("files/stations-{code}.json"), &mut findings);
        let shown: Vec<String> = findings
            .iter()
            .map(|f| match f {
                Finding::DuplicateId { file, what, id } => format!("{file} {what} {id}"),
                Finding::DeviceReused { key, stations, .. } => {
                    format!("{} {}", &key.to_string()[..4], stations.join(","))
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(shown, ["files/stations-IR-02.json station (also in IR-01) S1", "0101 S1,S3,S5", "0202 S2,S4",]);
    }
}
