//! Stage 4, the files: each file the release lists is checked against its
//! size and SHA-256 — whole, or as it streams in ([`FileCheck`]), refusing a
//! download as soon as it passes the listed size — and then read. The
//! election file and the summary make a [`SignedRelease`]: every figure of
//! the country, its provinces and counties can be drawn from it. A
//! province's contests file makes its [`SignedContests`]: every council's
//! published result. That is the first level of verification, "signed":
//! files the publishers' threshold signed, unaltered. Stations and the
//! recount come after (stages 5 and 6).

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::common::fmt_time;
use super::log::{CheckpointSignature, LoggedRelease};
use super::release::VerifiedRelease;
use super::root::VerifiedRoot;
use crate::findings::Finding;
use crate::format::{self, parse_json_fast, Publication};
use crate::model::{
    ContestKind, ContestsDoc, ElectionDoc, FileEntry, FileKind, Id, Phase, Province, Role, Sha256Hex, SummaryCounty,
    SummaryDoc, Totals,
};

/// One listed file and whether it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileAudit {
    pub path: String,
    pub kind: FileKind,
    pub province: Option<Id>,
    pub size: u64,
    pub sha256: Sha256Hex,
    pub verified: bool,
}

impl FileAudit {
    pub fn of(entry: &FileEntry, verified: bool) -> FileAudit {
        FileAudit {
            path: entry.path.clone(),
            kind: entry.kind,
            province: entry.province.clone(),
            size: entry.size,
            sha256: entry.sha256,
            verified,
        }
    }
}

/// A listed file's bytes, checked against its entry in the release: only
/// [`check_file`] and [`FileCheck`] make one, so a stage that takes one
/// reads only bytes whose size and SHA-256 matched.
#[derive(Debug, Clone)]
pub struct CheckedFile<'a> {
    entry: FileEntry,
    bytes: Cow<'a, [u8]>,
}

impl CheckedFile<'_> {
    pub fn entry(&self) -> &FileEntry {
        &self.entry
    }

    pub fn path(&self) -> &str {
        &self.entry.path
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The file as the audit lists it.
    pub fn audit(&self) -> FileAudit {
        FileAudit::of(&self.entry, true)
    }

    /// This file, if it was checked against `release`'s entry of `kind`
    /// (and `province`); else why it cannot be read as that file.
    pub(crate) fn of(self, release: &VerifiedRelease, kind: FileKind, province: Option<&str>) -> Result<Self, Finding> {
        match release.entry(kind, province) {
            Some(entry) if *entry == self.entry => Ok(self),
            Some(entry) => Err(Finding::InvalidValue {
                file: self.entry.path.clone(),
                field: String::new(),
                problem: format!("was checked as another file than the release's {kind} file {}", entry.path),
            }),
            None => Err(Finding::UnknownReference {
                file: format::RELEASE.into(),
                what: format!("{kind} file"),
                id: province.unwrap_or("-").to_owned(),
                defined_in: "files".into(),
            }),
        }
    }
}

/// Checks a listed file as its bytes arrive: the size may never pass the
/// listed one (a server that sends more is refused at once, before the rest
/// is read: TUF's "endless data" attack), and at the end the size and the
/// SHA-256 must be the listed ones. [`check_file`] is the same check over
/// bytes already in memory.
#[derive(Debug, Clone)]
pub struct FileCheck {
    entry: FileEntry,
    hasher: Sha256,
    bytes: Vec<u8>,
}

impl FileCheck {
    pub fn new(entry: &FileEntry) -> FileCheck {
        FileCheck { entry: entry.clone(), hasher: Sha256::new(), bytes: Vec::new() }
    }

    /// The listed size: what a reader may read at most.
    pub fn listed_size(&self) -> u64 {
        self.entry.size
    }

    /// Bytes received so far.
    pub fn received(&self) -> u64 {
        self.bytes.len() as u64
    }

    /// Takes the next bytes; refuses them if they pass the listed size.
    pub fn update(&mut self, chunk: &[u8]) -> Result<(), Finding> {
        if self.received().saturating_add(chunk.len() as u64) > self.entry.size {
            return Err(Finding::TooLarge { file: self.entry.path.clone(), expected: self.entry.size });
        }
        if self.bytes.is_empty() {
            // The listed size is within the kind's limit (checked with the release).
            self.bytes.reserve_exact(usize::try_from(self.entry.size).unwrap_or(0));
        }
        self.hasher.update(chunk);
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }

    /// Once every byte arrived: the size and SHA-256 must be the listed ones.
    pub fn finish(self) -> Result<CheckedFile<'static>, Finding> {
        let FileCheck { entry, hasher, bytes } = self;
        verdict_of(&entry, bytes.len() as u64, Sha256Hex(hasher.finalize().into()))?;
        Ok(CheckedFile { entry, bytes: Cow::Owned(bytes) })
    }
}

fn verdict_of(entry: &FileEntry, size: u64, found: Sha256Hex) -> Result<(), Finding> {
    if size != entry.size {
        return Err(Finding::SizeMismatch { file: entry.path.clone(), expected: entry.size, found: size });
    }
    if found != entry.sha256 {
        return Err(Finding::HashMismatch {
            file: entry.path.clone(),
            expected: entry.sha256.to_hex(),
            found: found.to_hex(),
        });
    }
    Ok(())
}

/// Checks bytes already in memory against their entry: what [`FileCheck`]
/// checks as they stream in, with the same findings (a file longer than
/// listed is refused as [`Finding::TooLarge`], without hashing it).
pub fn check_file<'a>(entry: &FileEntry, bytes: Option<&'a [u8]>) -> Result<CheckedFile<'a>, Finding> {
    check_bytes(entry, bytes.ok_or_else(|| Finding::FileMissing { file: entry.path.clone() })?.into())
}

/// [`check_file`] over bytes read for the check (the CLI's [`ListedFiles`]).
pub fn check_bytes<'a>(entry: &FileEntry, bytes: Cow<'a, [u8]>) -> Result<CheckedFile<'a>, Finding> {
    if bytes.len() as u64 > entry.size {
        return Err(Finding::TooLarge { file: entry.path.clone(), expected: entry.size });
    }
    verdict_of(entry, bytes.len() as u64, Sha256Hex::of(&bytes))?;
    Ok(CheckedFile { entry: entry.clone(), bytes })
}

/// Where a verifier reads the files a release lists: a [`Publication`]
/// already in memory, or the CLI's folder, read one file at a time when a
/// stage needs it and dropped after (a country's files are 150 MB).
pub trait ListedFiles: Sync {
    /// The file `entry` lists, checked against it as [`check_file`] does.
    fn check(&self, entry: &FileEntry) -> Result<CheckedFile<'_>, Finding>;

    /// Only whether the file matches `entry`, its bytes not needed (the
    /// release log's files, [`crate::history`]). A source may remember the
    /// files it checked already.
    fn confirm(&self, entry: &FileEntry) -> Result<(), Finding> {
        self.check(entry).map(drop)
    }
}

impl ListedFiles for Publication {
    fn check(&self, entry: &FileEntry) -> Result<CheckedFile<'_>, Finding> {
        check_file(entry, self.get(&entry.path))
    }
}

/// The release with its election file and summary verified: every figure of
/// the country, its provinces and its counties, signed by the publishers.
#[derive(Debug, Clone)]
pub struct SignedRelease {
    logged: LoggedRelease,
    election: ElectionDoc,
    summary: SummaryDoc,
    /// When the registry was committed and witnessed, against the polls' opening.
    setup: Option<SetupAudit>,
}

/// Checks the election file and the summary against the logged release and
/// reads them.
pub fn verify_files(
    logged: LoggedRelease,
    election: Result<CheckedFile<'_>, Finding>,
    summary: Result<CheckedFile<'_>, Finding>,
) -> Result<SignedRelease, Vec<Finding>> {
    let release = logged.release();
    let election = election.and_then(|f| f.of(release, FileKind::Election, None)).map_err(|f| vec![f])?;
    let election = read_election(release, election.path(), election.bytes())?;
    let summary = summary.and_then(|f| f.of(release, FileKind::Summary, None)).map_err(|f| vec![f])?;
    let summary = read_summary(release.root(), &election, summary.path(), summary.bytes())?;
    let setup = check_setup(&logged, &election)?;
    Ok(SignedRelease { logged, election, summary, setup })
}

/// When the station registry and the candidate lists were committed: the
/// log's setup release, against the election's polls-open time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetupAudit {
    /// SHA-256 of the setup release's manifest.
    pub sha256: Sha256Hex,
    #[serde(with = "time::serde::rfc3339")]
    pub issued: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub polls_open: OffsetDateTime,
    /// Who cosigned the setup's checkpoint, and when.
    pub witnesses: Vec<CheckpointSignature>,
    pub witness_threshold: u32,
    /// How many of them cosigned before the polls opened.
    pub witnessed_before_polls: u32,
    /// Whether this is the setup release itself (no results yet).
    pub current: bool,
}

/// When the setup release was committed, against the polls' opening: what
/// the full check and a mismatch's evidence (`crate::evidence`) both require.
pub(crate) struct Commitment<'a> {
    /// The setup's manifest and its checkpoint, as the findings name them.
    pub file: &'a str,
    pub checkpoint_file: &'a str,
    pub issued: OffsetDateTime,
    pub polls_open: OffsetDateTime,
    /// The witnesses' cosignatures of the setup's checkpoint.
    pub witnesses: &'a [CheckpointSignature],
    pub threshold: u32,
    /// Off only for a publisher's own check before the witnesses cosign.
    pub witnesses_required: bool,
}

impl Commitment<'_> {
    /// The cosignatures dated before the polls opened.
    pub fn witnessed_before_polls(&self) -> u32 {
        self.witnesses.iter().filter(|w| w.timestamp.is_some_and(|t| t <= self.polls_open)).count() as u32
    }

    /// The setup must be issued before the polls open, and cosigned by the
    /// witness threshold before then: each failure a `not_committed` finding.
    pub fn findings(&self) -> Vec<Finding> {
        let subject = "the station registry and the candidate lists";
        let mut findings = Vec::new();
        if self.issued > self.polls_open {
            findings.push(Finding::NotCommitted {
                file: self.file.to_owned(),
                subject: subject.into(),
                problem: format!(
                    "were committed {} after the polls opened: the setup release was issued at {}, the polls opened \
                     at {}",
                    span(self.issued - self.polls_open),
                    fmt_time(self.issued),
                    fmt_time(self.polls_open)
                ),
            });
        }
        let before = self.witnessed_before_polls();
        if self.witnesses_required && before < self.threshold {
            let named: Vec<String> = self
                .witnesses
                .iter()
                .map(|w| match w.timestamp {
                    Some(t) => format!("{} at {}", w.name, fmt_time(t)),
                    None => w.name.clone(),
                })
                .collect();
            findings.push(Finding::NotCommitted {
                file: self.checkpoint_file.to_owned(),
                subject: subject.into(),
                problem: format!(
                    "were not witnessed before the polls opened at {}: {before} of the {} required witness \
                     cosignature(s) came before then{}",
                    fmt_time(self.polls_open),
                    self.threshold,
                    if named.is_empty() { String::new() } else { format!(" (cosigned by {})", named.join(", ")) }
                ),
            });
        }
        findings
    }
}

/// The setup came before the polls opened: issued before, witnessed before
/// by the witness threshold, and of the same election file; a setup release
/// carries no results.
fn check_setup(logged: &LoggedRelease, election: &ElectionDoc) -> Result<Option<SetupAudit>, Vec<Finding>> {
    let release = logged.release();
    let mut findings = Vec::new();
    if release.doc().phase == Phase::Setup {
        for entry in release.files().iter().filter(|e| e.kind == FileKind::Results && e.size > 0) {
            findings.push(Finding::InvalidValue {
                file: entry.path.clone(),
                field: String::new(),
                problem: format!(
                    "a setup release carries no results, but this results file holds {} bytes",
                    entry.size
                ),
            });
        }
    }
    let Some(setup) = logged.setup() else {
        return if findings.is_empty() { Ok(None) } else { Err(findings) };
    };
    let polls_open = election.polls_open;
    let issued = setup.release().audit().issued;
    let committed_election = setup.release().entry(FileKind::Election, None).map(|e| e.sha256);
    let election_entry = release.entry(FileKind::Election, None);
    if committed_election.is_some() && election_entry.map(|e| e.sha256) != committed_election {
        findings.push(Finding::NotCommitted {
            file: election_entry.map(|e| e.path.clone()).unwrap_or_default(),
            subject: "the election file".into(),
            problem: "differs from the one the setup release committed: the polls' opening time, the provinces and \
                      the counties are fixed before the polls open"
                .into(),
        });
    }
    let threshold = release.root().threshold(Role::Witness);
    let witnesses: Vec<CheckpointSignature> = setup.checkpoint().witnesses().cloned().collect();
    let commitment = Commitment {
        file: setup.file(),
        checkpoint_file: setup.checkpoint_file(),
        issued,
        polls_open,
        witnesses: &witnesses,
        threshold,
        witnesses_required: setup.witnesses_required(),
    };
    let before = commitment.witnessed_before_polls();
    findings.extend(commitment.findings());
    if !findings.is_empty() {
        return Err(findings);
    }
    Ok(Some(SetupAudit {
        sha256: setup.release().audit().sha256,
        issued,
        polls_open,
        witnesses,
        witness_threshold: threshold,
        witnessed_before_polls: before,
        current: release.doc().phase == Phase::Setup,
    }))
}

/// A length of time as a person says it: "3 hours 10 minutes".
pub(crate) fn span(d: time::Duration) -> String {
    let minutes = d.whole_minutes();
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let unit = |n: i64, one: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") };
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(unit(days, "day"));
    }
    if hours > 0 {
        parts.push(unit(hours, "hour"));
    }
    if mins > 0 && days == 0 {
        parts.push(unit(mins, "minute"));
    }
    if parts.is_empty() {
        return format!("{} seconds", d.whole_seconds());
    }
    parts.join(" ")
}

fn read_election(release: &VerifiedRelease, file: &str, bytes: &[u8]) -> Result<ElectionDoc, Vec<Finding>> {
    let doc: ElectionDoc = parse_json_fast(file, bytes, FileKind::Election.size_limit()).map_err(|e| vec![e.into()])?;
    let mut findings = Vec::new();
    if doc.id != *release.root().election() {
        findings.push(Finding::WrongElection {
            file: file.into(),
            expected: release.root().election().to_string(),
            found: doc.id.to_string(),
        });
    }
    for (i, p) in doc.provinces.iter().enumerate() {
        if doc.provinces[..i].iter().any(|o| o.code == p.code) {
            findings.push(Finding::DuplicateId { file: file.into(), what: "province".into(), id: p.code.to_string() });
        }
        for (j, c) in p.counties.iter().enumerate() {
            if p.counties[..j].iter().any(|o| o.code == c.code) {
                findings.push(Finding::DuplicateId {
                    file: file.into(),
                    what: "county".into(),
                    id: c.code.to_string(),
                });
            }
        }
        for kind in [FileKind::Contests, FileKind::Stations, FileKind::Results] {
            if release.entry(kind, Some(&p.code)).is_none() {
                findings.push(Finding::UnknownReference {
                    file: format::RELEASE.into(),
                    what: format!("{kind} file for province"),
                    id: p.code.to_string(),
                    defined_in: "files".into(),
                });
            }
        }
    }
    for f in release.files() {
        if let Some(p) = &f.province {
            if !doc.provinces.iter().any(|o| o.code == *p) {
                findings.push(Finding::UnknownReference {
                    file: format::RELEASE.into(),
                    what: "province".into(),
                    id: p.to_string(),
                    defined_in: file.into(),
                });
            }
        }
    }
    if findings.is_empty() {
        Ok(doc)
    } else {
        Err(findings)
    }
}

/// The summary must be of this election and list exactly its provinces,
/// each with counties of its own, each once; its totals must add up without
/// overflow, since readers sum them.
fn read_summary(
    root: &VerifiedRoot,
    election: &ElectionDoc,
    file: &str,
    bytes: &[u8],
) -> Result<SummaryDoc, Vec<Finding>> {
    let doc: SummaryDoc = parse_json_fast(file, bytes, FileKind::Summary.size_limit()).map_err(|e| vec![e.into()])?;
    let mut findings = Vec::new();
    if doc.election != *root.election() {
        findings.push(Finding::WrongElection {
            file: file.into(),
            expected: root.election().to_string(),
            found: doc.election.to_string(),
        });
    }
    let listed: Vec<&Id> = doc.provinces.iter().map(|p| &p.code).collect();
    let expected: Vec<&Id> = election.provinces.iter().map(|p| &p.code).collect();
    if listed != expected {
        findings.push(Finding::InvalidValue {
            file: file.into(),
            field: "provinces".into(),
            problem: format!(
                "lists provinces {:?}; the election file lists {:?}, in that order",
                listed.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                expected.iter().map(|c| c.as_str()).collect::<Vec<_>>()
            ),
        });
    }
    let mut sum = Totals::default();
    for (i, p) in doc.provinces.iter().enumerate() {
        let described = election.provinces.iter().find(|e| e.code == p.code);
        for (j, county) in p.counties.iter().enumerate() {
            let field = format!("provinces[{i}].counties[{j}]");
            if p.counties[..j].iter().any(|o| o.code == county.code) {
                findings.push(Finding::DuplicateId {
                    file: file.into(),
                    what: "county".into(),
                    id: county.code.to_string(),
                });
            }
            if described.is_some_and(|d| !d.counties.iter().any(|c| c.code == county.code)) {
                findings.push(Finding::UnknownReference {
                    file: file.into(),
                    what: format!("county of province {}", p.code),
                    id: county.code.to_string(),
                    defined_in: "the election file".into(),
                });
            }
            match sum.checked_add(&county.totals) {
                Some(s) => sum = s,
                None => {
                    findings.push(Finding::InvalidValue {
                        file: file.into(),
                        field: format!("{field}.totals"),
                        problem: "the totals of all counties together do not fit in 64 bits".into(),
                    });
                    break;
                }
            }
        }
    }
    if findings.is_empty() {
        Ok(doc)
    } else {
        Err(findings)
    }
}

impl SignedRelease {
    pub fn logged(&self) -> &LoggedRelease {
        &self.logged
    }

    pub fn release(&self) -> &VerifiedRelease {
        self.logged.release()
    }

    pub fn root(&self) -> &VerifiedRoot {
        self.logged.root()
    }

    pub fn election(&self) -> &ElectionDoc {
        &self.election
    }

    pub fn summary(&self) -> &SummaryDoc {
        &self.summary
    }

    /// When the registry was committed, when the release is in a log whose
    /// checkpoint was checked.
    pub fn setup(&self) -> Option<&SetupAudit> {
        self.setup.as_ref()
    }

    /// Whether this is the setup release: no results yet.
    pub fn is_setup(&self) -> bool {
        self.release().doc().phase == Phase::Setup
    }

    /// The listed file of a kind (and province, for per-province kinds).
    pub fn entry(&self, kind: FileKind, province: Option<&str>) -> Option<&FileEntry> {
        self.release().entry(kind, province)
    }

    /// The province (its index in the election file) a council's id names:
    /// the id begins with the province's code and a hyphen, as every
    /// contests file is checked to say. Whether the council exists is its
    /// province's contests file's to say.
    pub fn province_of_contest(&self, contest: &str) -> Option<usize> {
        self.election.provinces.iter().position(|p| names_province(contest, &p.code))
    }

    /// A province's description in the election file and its counties in the summary.
    pub fn province(&self, code: &str) -> Option<(&Province, &[SummaryCounty])> {
        let i = self.election.provinces.iter().position(|p| *p.code == *code)?;
        Some((&self.election.provinces[i], &self.summary.provinces.get(i)?.counties))
    }

    /// Checks a province's contests file and reads it: every council's
    /// published result, signed.
    pub fn contests(&self, code: &str, file: Result<CheckedFile<'_>, Finding>) -> Result<SignedContests, Vec<Finding>> {
        let Some((province, _)) = self.province(code) else {
            return Err(vec![Finding::UnknownReference {
                file: format::RELEASE.into(),
                what: "province".into(),
                id: code.into(),
                defined_in: "the election file".into(),
            }]);
        };
        let file = file.and_then(|f| f.of(self.release(), FileKind::Contests, Some(code))).map_err(|f| vec![f])?;
        let ctx = ProvinceContext::new(&self.election, province);
        let doc = ctx.contests(file.path(), file.bytes(), true)?;
        Ok(SignedContests { file: file.path().to_owned(), doc })
    }
}

/// A province's contests file, verified: its councils, their candidates and
/// the authority's published results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedContests {
    file: String,
    doc: ContestsDoc,
}

impl SignedContests {
    /// The file's path in the publication.
    pub fn file(&self) -> &str {
        &self.file
    }

    pub fn province(&self) -> &Id {
        &self.doc.province
    }

    pub fn doc(&self) -> &ContestsDoc {
        &self.doc
    }

    pub fn into_doc(self) -> ContestsDoc {
        self.doc
    }
}

/// Whether a council's id begins with a province's code and a hyphen.
fn names_province(contest: &str, province: &str) -> bool {
    contest.strip_prefix(province).is_some_and(|rest| rest.starts_with('-'))
}

/// What a province's files are checked against: the election file's description of it.
pub(crate) struct ProvinceContext<'a> {
    pub(crate) election: &'a ElectionDoc,
    pub(crate) province_code: &'a str,
    pub(crate) counties: Vec<Id>,
}

impl<'a> ProvinceContext<'a> {
    pub(crate) fn new(election: &'a ElectionDoc, province: &'a Province) -> ProvinceContext<'a> {
        ProvinceContext {
            election,
            province_code: province.code.as_str(),
            counties: province.counties.iter().map(|c| c.code.clone()).collect(),
        }
    }
    pub(crate) fn header(&self, file: &str, election: &Id, province: &Id, findings: &mut Vec<Finding>) {
        if *election != self.election.id {
            findings.push(Finding::WrongElection {
                file: file.into(),
                expected: self.election.id.to_string(),
                found: election.to_string(),
            });
        }
        if **province != *self.province_code {
            findings.push(Finding::InvalidValue {
                file: file.into(),
                field: "province".into(),
                problem: format!("is `{province}`, but the release lists this file for `{}`", self.province_code),
            });
        }
    }

    pub(crate) fn contests(
        &self,
        file: &str,
        bytes: &[u8],
        require_published: bool,
    ) -> Result<ContestsDoc, Vec<Finding>> {
        let doc: ContestsDoc =
            format::parse_json_fast(file, bytes, FileKind::Contests.size_limit()).map_err(|e| vec![e.into()])?;
        let mut findings = Vec::new();
        self.header(file, &doc.election, &doc.province, &mut findings);
        let mut ids = HashMap::new();
        for (i, c) in doc.contests.iter().enumerate() {
            let field = |f: &str| format!("contests[{i}].{f}");
            if ids.insert(&c.id, i).is_some() {
                findings.push(Finding::DuplicateId { file: file.into(), what: "contest".into(), id: c.id.to_string() });
            }
            if !names_province(&c.id, self.province_code) {
                findings.push(Finding::InvalidValue {
                    file: file.into(),
                    field: field("id"),
                    problem: format!(
                        "`{}` does not begin with its province's code and a hyphen (`{}-`), which is how a reader finds its province",
                        c.id, self.province_code
                    ),
                });
            }
            if !self.counties.contains(&c.county) {
                findings.push(Finding::UnknownReference {
                    file: file.into(),
                    what: "county".into(),
                    id: c.county.to_string(),
                    defined_in: format!("the election file's province {}", self.province_code),
                });
            }
            let seats_ok = match c.kind {
                ContestKind::Village => matches!(c.seats, 3 | 5),
                ContestKind::City => (5..=21).contains(&c.seats),
            };
            if !seats_ok {
                findings.push(Finding::InvalidValue {
                    file: file.into(),
                    field: field("seats"),
                    problem: format!(
                        "{} seats is not allowed for a {:?} council (villages 3 or 5, cities 5 to 21)",
                        c.seats, c.kind
                    ),
                });
            }
            for (j, cand) in c.candidates.iter().enumerate() {
                if c.candidates[..j].iter().any(|o| o.id == cand.id) {
                    findings.push(Finding::DuplicateId {
                        file: file.into(),
                        what: format!("candidate of contest {}", c.id),
                        id: cand.id.to_string(),
                    });
                }
                if c.candidates[..j].iter().any(|o| o.ballot_code == cand.ballot_code) {
                    findings.push(Finding::DuplicateId {
                        file: file.into(),
                        what: format!("ballot code in contest {}", c.id),
                        id: cand.ballot_code.to_string(),
                    });
                }
            }
            let Some(p) = &c.published else {
                if !require_published {
                    continue;
                }
                findings.push(Finding::InvalidValue {
                    file: file.into(),
                    field: field("published"),
                    problem: "the published totals are missing".into(),
                });
                continue;
            };
            let known = |id: &Id| c.candidates.iter().any(|x| x.id == *id);
            for (j, cv) in p.votes.iter().enumerate() {
                if !known(&cv.candidate) {
                    findings.push(Finding::UnknownReference {
                        file: file.into(),
                        what: format!("candidate in contests[{i}].published.votes"),
                        id: cv.candidate.to_string(),
                        defined_in: field("candidates"),
                    });
                }
                if p.votes[..j].iter().any(|o| o.candidate == cv.candidate) {
                    findings.push(Finding::DuplicateId {
                        file: file.into(),
                        what: format!("candidate in contests[{i}].published.votes"),
                        id: cv.candidate.to_string(),
                    });
                }
            }
            if p.votes.len() != c.candidates.len() {
                findings.push(Finding::InvalidValue {
                    file: file.into(),
                    field: field("published.votes"),
                    problem: format!("lists {} candidates, the contest has {}", p.votes.len(), c.candidates.len()),
                });
            }
            for (list, ids) in [("elected", &p.elected), ("alternates", &p.alternates)] {
                for (j, id) in ids.iter().enumerate() {
                    if !known(id) {
                        findings.push(Finding::UnknownReference {
                            file: file.into(),
                            what: format!("candidate in contests[{i}].published.{list}"),
                            id: id.to_string(),
                            defined_in: field("candidates"),
                        });
                    }
                    if ids[..j].contains(id) || (list == "alternates" && p.elected.contains(id)) {
                        findings.push(Finding::DuplicateId {
                            file: file.into(),
                            what: format!("candidate in contests[{i}].published"),
                            id: id.to_string(),
                        });
                    }
                }
            }
        }
        if findings.is_empty() {
            Ok(doc)
        } else {
            Err(findings)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::names_province;

    #[test]
    fn a_council_id_names_the_province_it_begins_with_and_a_hyphen() {
        assert!(names_province("IR-15-1503-C01", "IR-15"));
        assert!(!names_province("IR-15-1503-C01", "IR-1"));
        assert!(!names_province("IR-15", "IR-15"));
        assert!(!names_province("IR-150-C01", "IR-15"));
    }
}
