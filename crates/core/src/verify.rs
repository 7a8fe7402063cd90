//! The verification path: trust root → release manifest → files → station
//! results → recount. It is the only way to obtain the verified types below,
//! so whatever takes a [`VerifiedElection`] or [`VerifiedProvince`] can only
//! show data that passed every check.
//!
//! It can run whole ([`verify_publication`]) or a step at a time, so a browser
//! can verify the release first and then one province's files as it fetches
//! them: [`verify_root`], [`verify_release`], [`VerifiedRelease::election`],
//! [`VerifiedRelease::province`].

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::findings::{ArithmeticCheck, Finding, Severity};
use crate::format::{self, parse_json, Publication, SignatureLine};
use crate::keys::{KeyId, PublicKey};
use crate::log::{Checkpoint, LogAudit, PointerAudit};
use crate::map::Boundaries;
use crate::model::{
    Contest, ContestKind, ContestsDoc, ElectionDoc, FileEntry, FileKind, Id, LogRef, ReleaseDoc, Role, RoleEntry,
    RootDoc, Sha256Hex, Station, StationResult, StationsDoc,
};
use crate::tally::{self, Ranked, Tally};

/// What the verifier trusts before reading anything: the SHA-256 of the
/// authority's trust root, obtained out of band (announced, printed, pinned
/// in the app). Without it the root in the publication is taken as it is,
/// which proves only that the files agree with *some* keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustAnchor {
    pub root_sha256: Option<Sha256Hex>,
}

impl TrustAnchor {
    pub fn pinned(root_sha256: Sha256Hex) -> Self {
        Self { root_sha256: Some(root_sha256) }
    }

    pub fn unpinned() -> Self {
        Self { root_sha256: None }
    }
}

/// The overall result, in the words the views use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// One signature that was checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureCheck {
    pub key: KeyId,
    pub valid: bool,
}

/// A role of the trust root and how it signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleAudit {
    pub role: Role,
    pub threshold: u32,
    pub keys: Vec<KeyId>,
}

/// What was checked about the trust root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RootAudit {
    pub sha256: Sha256Hex,
    pub pinned: bool,
    pub election: Id,
    pub version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
    pub roles: Vec<RoleAudit>,
    pub signatures: Vec<SignatureCheck>,
}

/// What was checked about the release manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseAudit {
    pub sha256: Sha256Hex,
    pub version: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub issued: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
    pub threshold: u32,
    pub signatures: Vec<SignatureCheck>,
}

/// One listed file and whether it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileAudit {
    pub path: String,
    pub kind: FileKind,
    pub province: Option<Id>,
    pub size: u64,
    pub sha256: Sha256Hex,
    pub verified: bool,
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
}

/// A verified trust root: its keys, by role.
#[derive(Debug, Clone)]
pub struct VerifiedRoot {
    doc: RootDoc,
    keys: BTreeMap<KeyId, PublicKey>,
    audit: RootAudit,
}

impl VerifiedRoot {
    pub fn audit(&self) -> &RootAudit {
        &self.audit
    }

    pub fn election(&self) -> &Id {
        &self.doc.election
    }

    fn role(&self, role: Role) -> Option<&crate::model::RoleEntry> {
        self.doc.roles.iter().find(|r| r.role == role)
    }

    /// The public keys of a role, for tools that print them (e.g. as PEM).
    pub fn role_keys(&self, role: Role) -> Vec<&PublicKey> {
        self.role(role).map(|r| r.keys.iter().filter_map(|k| self.keys.get(k)).collect()).unwrap_or_default()
    }

    /// The key ids of a role (none when the root has no such role).
    pub fn role_key_ids(&self, role: Role) -> Vec<KeyId> {
        self.role(role).map(|r| r.keys.clone()).unwrap_or_default()
    }

    /// A role's threshold; 0 when the root has no such role.
    pub fn threshold(&self, role: Role) -> u32 {
        self.role(role).map_or(0, |r| r.threshold)
    }

    pub fn key(&self, id: &KeyId) -> Option<&PublicKey> {
        self.keys.get(id)
    }

    /// The name a key signs notes with: its `name` in the root, else its id in hex.
    pub fn key_name(&self, id: &KeyId) -> String {
        self.doc.keys.iter().find(|k| k.id == *id).and_then(|k| k.name.clone()).unwrap_or_else(|| id.to_hex())
    }

    /// Checks a `.sigs` file's lines over `msg` against `role`; returns each
    /// line's check and the role's threshold, and adds what failed to `findings`.
    pub fn check_role_signatures(
        &self,
        file: &str,
        msg: &[u8],
        sigs: &[SignatureLine],
        role: Role,
        findings: &mut Vec<Finding>,
    ) -> (Vec<SignatureCheck>, u32) {
        let entry = self.role(role).cloned().unwrap_or_else(|| no_keys(role));
        let checks = check_signatures(file, msg, sigs, &entry, &self.keys, findings);
        (checks, entry.threshold)
    }
}

pub(crate) fn fmt_time(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// Checks every line of a `.sigs` file against `role`: each signature must be
/// by a key of the role and verify over `msg`, and at least `threshold` must.
fn check_signatures(
    file: &str,
    msg: &[u8],
    sigs: &[SignatureLine],
    role: &RoleEntry,
    keys: &BTreeMap<KeyId, PublicKey>,
    findings: &mut Vec<Finding>,
) -> Vec<SignatureCheck> {
    let RoleEntry { role, keys: role_keys, threshold } = role;
    let (role, threshold) = (*role, *threshold);
    let mut checks = Vec::new();
    let mut valid = 0u32;
    for s in sigs {
        let ok = role_keys.contains(&s.key) && keys.get(&s.key).is_some_and(|k| k.verify(msg, &s.signature).is_ok());
        if ok {
            valid += 1;
        } else {
            findings.push(Finding::BadSignature { file: file.to_owned(), role, key: s.key });
        }
        checks.push(SignatureCheck { key: s.key, valid: ok });
    }
    if valid < threshold {
        findings.push(Finding::ThresholdNotMet { file: file.to_owned(), role, valid, threshold });
    }
    checks
}

/// A role that is missing: no key can meet its threshold.
fn no_keys(role: Role) -> RoleEntry {
    RoleEntry { role, keys: Vec::new(), threshold: 1 }
}

fn check_expiry(file: &str, expires: OffsetDateTime, now: OffsetDateTime, findings: &mut Vec<Finding>) {
    if now > expires {
        findings.push(Finding::Expired { file: file.to_owned(), expires: fmt_time(expires), now: fmt_time(now) });
    }
}

/// Verifies `root.json` and its signatures against the anchor.
pub fn verify_root(
    root: &[u8],
    sigs: &[u8],
    anchor: &TrustAnchor,
    now: OffsetDateTime,
) -> Result<VerifiedRoot, Vec<Finding>> {
    let file = format::ROOT;
    let sha256 = Sha256Hex::of(root);
    if let Some(pin) = anchor.root_sha256 {
        if pin != sha256 {
            return Err(vec![Finding::RootNotPinned {
                file: file.to_owned(),
                expected: pin.to_hex(),
                found: sha256.to_hex(),
            }]);
        }
    }
    let doc: RootDoc = parse_json(file, root, format::ROOT_LIMIT).map_err(|e| vec![e.into()])?;
    let sig_lines = format::parse_signatures(format::ROOT_SIGS, sigs).map_err(|e| vec![e.into()])?;

    let bad = |problem: String| Finding::BadTrustRoot { file: file.to_owned(), problem };
    let mut findings = Vec::new();
    let mut keys = BTreeMap::new();
    for (i, entry) in doc.keys.iter().enumerate() {
        if let Some(name) = &entry.name {
            if let Err(problem) = crate::log::note::check_key_name(name) {
                findings.push(bad(format!("keys[{i}].name: {problem}")));
            }
            if doc.keys[..i].iter().any(|o| o.name.as_ref() == Some(name)) {
                findings.push(Finding::DuplicateId { file: file.into(), what: "key name".into(), id: name.clone() });
            }
        }
        match PublicKey::from_spki_base64(&entry.public) {
            Ok(k) if k.id() == entry.id => {
                if keys.insert(k.id(), k).is_some() {
                    findings.push(Finding::DuplicateId {
                        file: file.into(),
                        what: "key".into(),
                        id: entry.id.to_hex(),
                    });
                }
            }
            Ok(k) => {
                findings.push(bad(format!("keys[{i}]: id {} is not the SHA-256 of its key ({})", entry.id, k.id())))
            }
            Err(e) => findings.push(bad(format!("keys[{i}].public: {e}"))),
        }
    }
    for required in [Role::Root, Role::Publisher] {
        if !doc.roles.iter().any(|r| r.role == required) {
            findings.push(bad(format!("has no `{required}` role")));
        }
    }
    for (i, r) in doc.roles.iter().enumerate() {
        if doc.roles[..i].iter().any(|o| o.role == r.role) {
            findings.push(bad(format!("role `{}` is listed twice", r.role)));
        }
        let mut seen = Vec::new();
        for k in &r.keys {
            if !keys.contains_key(k) {
                findings.push(Finding::UnknownReference {
                    file: file.into(),
                    what: format!("{} key", r.role),
                    id: k.to_hex(),
                    defined_in: "keys".into(),
                });
            }
            if seen.contains(&k) {
                findings.push(bad(format!("role `{}` lists key {k} twice", r.role)));
            }
            seen.push(k);
        }
        let needs_one = r.role != Role::Witness;
        if (needs_one && r.threshold == 0) || r.threshold as usize > r.keys.len() {
            findings.push(bad(format!("role `{}` has threshold {} with {} key(s)", r.role, r.threshold, r.keys.len())));
        }
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    let root_role = doc.roles.iter().find(|r| r.role == Role::Root).cloned().unwrap_or_else(|| no_keys(Role::Root));
    let signatures = check_signatures(format::ROOT_SIGS, root, &sig_lines, &root_role, &keys, &mut findings);
    check_expiry(file, doc.expires, now, &mut findings);
    if !findings.is_empty() {
        return Err(findings);
    }
    let audit = RootAudit {
        sha256,
        pinned: anchor.root_sha256.is_some(),
        election: doc.election.clone(),
        version: doc.version,
        expires: doc.expires,
        roles: doc
            .roles
            .iter()
            .map(|r| RoleAudit { role: r.role, threshold: r.threshold, keys: r.keys.clone() })
            .collect(),
        signatures,
    };
    Ok(VerifiedRoot { doc, keys, audit })
}

/// A verified release manifest: the hashes every other file must match.
#[derive(Debug, Clone)]
pub struct VerifiedRelease {
    root: VerifiedRoot,
    doc: ReleaseDoc,
    audit: ReleaseAudit,
}

/// Verifies `release.json` and its signatures under a verified root.
pub fn verify_release(
    root: VerifiedRoot,
    release: &[u8],
    sigs: &[u8],
    now: OffsetDateTime,
) -> Result<VerifiedRelease, Vec<Finding>> {
    verify_release_as(format::RELEASE, format::RELEASE_SIGS, root, release, sigs, Some(now))
}

/// Verifies a past release kept in the log (`releases/<N>/release.json`):
/// everything [`verify_release`] checks but its expiry, which only says
/// whether a release may still be shown as the current one.
pub fn verify_archived_release(
    file: &str,
    sigs_file: &str,
    root: VerifiedRoot,
    release: &[u8],
    sigs: &[u8],
) -> Result<VerifiedRelease, Vec<Finding>> {
    verify_release_as(file, sigs_file, root, release, sigs, None)
}

fn verify_release_as(
    file: &str,
    sigs_file: &str,
    root: VerifiedRoot,
    release: &[u8],
    sigs: &[u8],
    now: Option<OffsetDateTime>,
) -> Result<VerifiedRelease, Vec<Finding>> {
    // Check the signatures over the raw bytes before believing anything in them.
    let sig_lines = format::parse_signatures(sigs_file, sigs).map_err(|e| vec![e.into()])?;
    let publisher = root.role(Role::Publisher).cloned().unwrap_or_else(|| no_keys(Role::Publisher));
    let mut findings = Vec::new();
    if let Err(e) = format::check_size(file, release, format::RELEASE_LIMIT) {
        return Err(vec![e.into()]);
    }
    let signatures = check_signatures(sigs_file, release, &sig_lines, &publisher, &root.keys, &mut findings);
    if !findings.is_empty() {
        return Err(findings);
    }
    let doc: ReleaseDoc = parse_json(file, release, format::RELEASE_LIMIT).map_err(|e| vec![e.into()])?;
    if doc.election != root.doc.election {
        findings.push(Finding::WrongElection {
            file: file.into(),
            expected: root.doc.election.to_string(),
            found: doc.election.to_string(),
        });
    }
    if doc.root.sha256 != root.audit.sha256 || doc.root.version != root.doc.version {
        findings.push(Finding::WrongRoot {
            file: file.into(),
            expected_version: root.doc.version,
            expected: root.audit.sha256.to_hex(),
            found_version: doc.root.version,
            found: doc.root.sha256.to_hex(),
        });
    }
    if let Some(now) = now {
        check_expiry(file, doc.expires, now, &mut findings);
    }
    check_file_list(file, &doc.files, &mut findings);
    if !findings.is_empty() {
        return Err(findings);
    }
    let audit = ReleaseAudit {
        sha256: Sha256Hex::of(release),
        version: doc.version,
        issued: doc.issued,
        expires: doc.expires,
        threshold: publisher.threshold,
        signatures,
    };
    Ok(VerifiedRelease { root, doc, audit })
}

fn check_file_list(file: &str, files: &[FileEntry], findings: &mut Vec<Finding>) {
    for (i, f) in files.iter().enumerate() {
        let field = format!("files[{i}]");
        if let Err(problem) = format::check_relative_path(&f.path) {
            findings.push(Finding::InvalidValue {
                file: file.into(),
                field: format!("{field}.path"),
                problem: problem.into(),
            });
        }
        if files[..i].iter().any(|o| o.path == f.path) {
            findings.push(Finding::DuplicateId { file: file.into(), what: "file path".into(), id: f.path.clone() });
        }
        if files[..i].iter().any(|o| o.kind == f.kind && o.province == f.province) {
            let id = match &f.province {
                Some(p) => format!("{} {}", f.kind, p),
                None => f.kind.to_string(),
            };
            findings.push(Finding::DuplicateId { file: file.into(), what: "file kind".into(), id });
        }
        if f.kind.per_province() != f.province.is_some() {
            let problem = if f.kind.per_province() {
                format!("a `{}` file must name its province", f.kind)
            } else {
                format!("a `{}` file does not belong to a province", f.kind)
            };
            findings.push(Finding::InvalidValue { file: file.into(), field: format!("{field}.province"), problem });
        }
        if f.size > f.kind.size_limit() {
            findings.push(Finding::InvalidValue {
                file: file.into(),
                field: format!("{field}.size"),
                problem: format!(
                    "{} bytes is more than the {} allowed for a `{}` file",
                    f.size,
                    f.kind.size_limit(),
                    f.kind
                ),
            });
        }
    }
    if !files.iter().any(|f| f.kind == FileKind::Election) {
        findings.push(Finding::InvalidValue {
            file: file.into(),
            field: "files".into(),
            problem: "lists no `election` file".into(),
        });
    }
}

impl VerifiedRelease {
    pub fn root(&self) -> &VerifiedRoot {
        &self.root
    }

    pub fn audit(&self) -> &ReleaseAudit {
        &self.audit
    }

    pub fn files(&self) -> &[FileEntry] {
        &self.doc.files
    }

    /// Where this release sits in the release log, if it is in one.
    pub fn log(&self) -> Option<&LogRef> {
        self.doc.log.as_ref()
    }

    /// The release manifest as signed.
    pub fn doc(&self) -> &ReleaseDoc {
        &self.doc
    }

    /// The listed file of a kind (and province, for per-province kinds).
    pub fn entry(&self, kind: FileKind, province: Option<&str>) -> Option<&FileEntry> {
        self.doc.files.iter().find(|f| f.kind == kind && f.province.as_deref() == province)
    }

    /// Checks fetched bytes against their entry: size first, then SHA-256.
    pub fn check_file(&self, entry: &FileEntry, bytes: Option<&[u8]>) -> Result<(), Finding> {
        let bytes = bytes.ok_or_else(|| Finding::FileMissing { file: entry.path.clone() })?;
        if bytes.len() as u64 != entry.size {
            return Err(Finding::SizeMismatch {
                file: entry.path.clone(),
                expected: entry.size,
                found: bytes.len() as u64,
            });
        }
        let found = Sha256Hex::of(bytes);
        if found != entry.sha256 {
            return Err(Finding::HashMismatch {
                file: entry.path.clone(),
                expected: entry.sha256.to_hex(),
                found: found.to_hex(),
            });
        }
        Ok(())
    }

    fn checked<'b>(
        &self,
        kind: FileKind,
        province: Option<&str>,
        bytes: Option<&'b [u8]>,
    ) -> Result<(&FileEntry, &'b [u8]), Finding> {
        let entry = self.entry(kind, province).ok_or_else(|| Finding::UnknownReference {
            file: format::RELEASE.into(),
            what: format!("{kind} file"),
            id: province.unwrap_or("-").to_owned(),
            defined_in: "files".into(),
        })?;
        self.check_file(entry, bytes)?;
        // check_file returned Ok only when bytes is Some.
        Ok((entry, bytes.unwrap_or_default()))
    }

    /// Verifies and reads the election file.
    pub fn election(&self, bytes: Option<&[u8]>) -> Result<ElectionDoc, Vec<Finding>> {
        let (entry, bytes) = self.checked(FileKind::Election, None, bytes).map_err(|f| vec![f])?;
        let doc: ElectionDoc =
            parse_json(&entry.path, bytes, FileKind::Election.size_limit()).map_err(|e| vec![e.into()])?;
        let file = entry.path.as_str();
        let mut findings = Vec::new();
        if doc.id != *self.root.election() {
            findings.push(Finding::WrongElection {
                file: file.into(),
                expected: self.root.election().to_string(),
                found: doc.id.to_string(),
            });
        }
        for (i, p) in doc.provinces.iter().enumerate() {
            if doc.provinces[..i].iter().any(|o| o.code == p.code) {
                findings.push(Finding::DuplicateId {
                    file: file.into(),
                    what: "province".into(),
                    id: p.code.to_string(),
                });
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
                if self.entry(kind, Some(&p.code)).is_none() {
                    findings.push(Finding::UnknownReference {
                        file: format::RELEASE.into(),
                        what: format!("{kind} file for province"),
                        id: p.code.to_string(),
                        defined_in: "files".into(),
                    });
                }
            }
        }
        for f in &self.doc.files {
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

    /// Verifies a province: its three files' hashes, the registry, every
    /// station signature, each station's arithmetic, and the recount of every
    /// contest against the published totals.
    pub fn province(
        &self,
        election: &ElectionDoc,
        code: &str,
        contests: Option<&[u8]>,
        stations: Option<&[u8]>,
        results: Option<&[u8]>,
    ) -> Result<VerifiedProvince, Vec<Finding>> {
        let Some(province) = election.provinces.iter().find(|p| *p.code == *code) else {
            return Err(vec![Finding::UnknownReference {
                file: "election".into(),
                what: "province".into(),
                id: code.into(),
                defined_in: "the election file".into(),
            }]);
        };
        let mut findings = Vec::new();
        let mut files = Vec::new();
        for (kind, bytes) in
            [(FileKind::Contests, contests), (FileKind::Stations, stations), (FileKind::Results, results)]
        {
            match self.checked(kind, Some(code), bytes) {
                Ok(pair) => files.push(pair),
                Err(f) => findings.push(f),
            }
        }
        if !findings.is_empty() {
            return Err(findings);
        }
        let [(contests_entry, contests_bytes), (stations_entry, stations_bytes), (results_entry, results_bytes)] =
            [files[0], files[1], files[2]];
        let ctx = ProvinceContext {
            election,
            province_code: code,
            counties: province.counties.iter().map(|c| c.code.clone()).collect(),
        };
        let contests_doc = ctx.contests(&contests_entry.path, contests_bytes, true)?;
        let registry = ctx.registry(&stations_entry.path, stations_bytes, &contests_doc)?;
        let checked = verify_results(&results_entry.path, results_bytes, &registry, election, &contests_doc)?;
        Ok(recount(&results_entry.path, &contests_entry.path, contests_doc, registry, checked))
    }
}

pub(crate) struct ProvinceContext<'a> {
    pub(crate) election: &'a ElectionDoc,
    pub(crate) province_code: &'a str,
    pub(crate) counties: Vec<Id>,
}

/// A station as registered, with its parsed device key.
pub(crate) struct Registered {
    station: Station,
    key: PublicKey,
    pub(crate) contest: usize,
}

pub(crate) struct Registry {
    pub(crate) stations: Vec<Registered>,
    by_key: HashMap<KeyId, usize>,
}

impl ProvinceContext<'_> {
    fn header(&self, file: &str, election: &Id, province: &Id, findings: &mut Vec<Finding>) {
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
        let doc: ContestsDoc = parse_json(file, bytes, FileKind::Contests.size_limit()).map_err(|e| vec![e.into()])?;
        let mut findings = Vec::new();
        self.header(file, &doc.election, &doc.province, &mut findings);
        let mut ids = HashMap::new();
        for (i, c) in doc.contests.iter().enumerate() {
            let field = |f: &str| format!("contests[{i}].{f}");
            if ids.insert(&c.id, i).is_some() {
                findings.push(Finding::DuplicateId { file: file.into(), what: "contest".into(), id: c.id.to_string() });
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

    pub(crate) fn registry(&self, file: &str, bytes: &[u8], contests: &ContestsDoc) -> Result<Registry, Vec<Finding>> {
        let doc: StationsDoc = parse_json(file, bytes, FileKind::Stations.size_limit()).map_err(|e| vec![e.into()])?;
        let mut findings = Vec::new();
        self.header(file, &doc.election, &doc.province, &mut findings);
        let contest_index: HashMap<&Id, usize> =
            contests.contests.iter().enumerate().map(|(i, c)| (&c.id, i)).collect();
        let mut seen_ids: HashMap<&Id, usize> = HashMap::new();
        let mut by_key_all: BTreeMap<KeyId, Vec<String>> = BTreeMap::new();
        let mut stations = Vec::with_capacity(doc.stations.len());
        for (i, s) in doc.stations.iter().enumerate() {
            if seen_ids.insert(&s.id, i).is_some() {
                findings.push(Finding::DuplicateId { file: file.into(), what: "station".into(), id: s.id.to_string() });
            }
            let Some(&contest) = contest_index.get(&s.contest) else {
                findings.push(Finding::UnknownReference {
                    file: file.into(),
                    what: "contest".into(),
                    id: s.contest.to_string(),
                    defined_in: "the province's contests file".into(),
                });
                continue;
            };
            match PublicKey::from_spki_base64(&s.device) {
                Ok(key) => {
                    by_key_all.entry(key.id()).or_default().push(s.id.to_string());
                    stations.push(Registered { station: s.clone(), key, contest });
                }
                Err(e) => findings.push(Finding::InvalidValue {
                    file: file.into(),
                    field: format!("stations[{i}].device"),
                    problem: e.to_string(),
                }),
            }
        }
        let mut assigned = vec![0u64; contests.contests.len()];
        for r in &stations {
            assigned[r.contest] = assigned[r.contest].saturating_add(r.station.eligible);
        }
        for (c, assigned) in contests.contests.iter().zip(assigned) {
            if assigned != c.eligible {
                findings.push(Finding::InvalidValue {
                    file: file.into(),
                    field: format!("stations of contest {}", c.id),
                    problem: format!(
                        "assign {assigned} voters in all, but the contest has {} eligible voters",
                        c.eligible
                    ),
                });
            }
        }
        for (key, ids) in by_key_all {
            if ids.len() > 1 {
                findings.push(Finding::DeviceReused { file: file.into(), key, stations: ids });
            }
        }
        if !findings.is_empty() {
            return Err(findings);
        }
        let by_key = stations.iter().enumerate().map(|(i, r)| (r.key.id(), i)).collect();
        Ok(Registry { stations, by_key })
    }
}

/// A station result whose signature verified, parsed.
pub(crate) struct CheckedResult {
    pub(crate) line: usize,
    pub(crate) station: usize,
    pub(crate) result: StationResult,
}

fn verify_line(
    file: &str,
    line_no: usize,
    line: &str,
    registry: &Registry,
    election: &ElectionDoc,
    contests: &ContestsDoc,
) -> Result<CheckedResult, Finding> {
    let parsed = format::parse_result_line(file, line_no, line)?;
    let Some(&station) = registry.by_key.get(&parsed.key) else {
        return Err(Finding::UnknownDevice { file: file.into(), line: line_no, key: parsed.key });
    };
    let reg = &registry.stations[station];
    let signed = parsed.result.get().as_bytes();
    let sig_ok = parsed.signature_bytes().is_some_and(|sig| reg.key.verify(signed, &sig).is_ok());
    if !sig_ok {
        return Err(Finding::BadStationSignature {
            file: file.into(),
            line: line_no,
            station: reg.station.id.to_string(),
            key: parsed.key,
        });
    }
    let result: StationResult = format::parse_json_str(file, &format!("line {line_no}.result"), parsed.result.get())?;
    if result.election != election.id {
        return Err(Finding::WrongElection {
            file: format!("{file} line {line_no}"),
            expected: election.id.to_string(),
            found: result.election.to_string(),
        });
    }
    if result.station != reg.station.id {
        return Err(Finding::ResultForOtherStation {
            file: file.into(),
            line: line_no,
            key: parsed.key,
            device_station: reg.station.id.to_string(),
            result_station: result.station.to_string(),
        });
    }
    if result.contest != reg.station.contest {
        return Err(Finding::WrongContest {
            file: file.into(),
            line: line_no,
            station: reg.station.id.to_string(),
            registered: contests.contests[reg.contest].id.to_string(),
            found: result.contest.to_string(),
        });
    }
    Ok(CheckedResult { line: line_no, station, result })
}

pub(crate) fn verify_results(
    file: &str,
    bytes: &[u8],
    registry: &Registry,
    election: &ElectionDoc,
    contests: &ContestsDoc,
) -> Result<Vec<CheckedResult>, Vec<Finding>> {
    let lines = format::result_lines(file, bytes).map_err(|e| vec![e.into()])?;
    let check = |(i, line): (usize, &&str)| verify_line(file, i + 1, line, registry, election, contests);
    #[cfg(feature = "parallel")]
    let outcomes: Vec<Result<CheckedResult, Finding>> = {
        use rayon::prelude::*;
        lines.par_iter().enumerate().map(check).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let outcomes: Vec<Result<CheckedResult, Finding>> = lines.iter().enumerate().map(check).collect();

    let mut findings = Vec::new();
    let mut checked = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        match o {
            Ok(c) => checked.push(c),
            Err(f) => findings.push(f),
        }
    }
    let mut lines_by_station: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for c in &checked {
        lines_by_station.entry(c.station).or_default().push(c.line);
    }
    for (station, lines) in lines_by_station {
        if lines.len() > 1 {
            findings.push(Finding::DuplicateResult {
                file: file.into(),
                station: registry.stations[station].station.id.to_string(),
                lines,
            });
        }
    }
    if findings.is_empty() {
        Ok(checked)
    } else {
        Err(findings)
    }
}

fn arithmetic(contest: &Contest, r: &StationResult) -> Vec<ArithmeticCheck> {
    let mut out = Vec::new();
    if r.valid.checked_add(r.invalid) != Some(r.ballots_cast) {
        out.push(ArithmeticCheck::ValidPlusInvalid { valid: r.valid, invalid: r.invalid, cast: r.ballots_cast });
    }
    let mut total: u64 = 0;
    for (j, cv) in r.votes.iter().enumerate() {
        if !contest.candidates.iter().any(|c| c.id == cv.candidate) {
            out.push(ArithmeticCheck::UnknownCandidate { candidate: cv.candidate.to_string() });
        }
        if r.votes[..j].iter().any(|o| o.candidate == cv.candidate) {
            out.push(ArithmeticCheck::RepeatedCandidate { candidate: cv.candidate.to_string() });
        }
        if cv.votes > r.valid {
            out.push(ArithmeticCheck::CandidateAboveValid {
                candidate: cv.candidate.to_string(),
                votes: cv.votes,
                valid: r.valid,
            });
        }
        total = total.saturating_add(cv.votes);
    }
    if total > r.valid.saturating_mul(u64::from(contest.seats)) {
        out.push(ArithmeticCheck::VotesAboveCapacity { total, valid: r.valid, seats: contest.seats });
    }
    if r.closed < r.opened {
        out.push(ArithmeticCheck::ClosedBeforeOpened { opened: fmt_time(r.opened), closed: fmt_time(r.closed) });
    }
    out
}

/// One contest, recounted from its stations' signed results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ContestOutcome {
    /// The contest as published, with the authority's totals.
    pub contest: Contest,
    /// The recount of the station results.
    pub recount: Tally,
    /// The ranking from the recount (ties broken by the published order).
    pub ranking: Vec<Ranked>,
    /// Indices into the province's `stations`.
    pub stations: Vec<usize>,
    /// Whether the published totals and outcome equal the recount.
    pub matches_published: bool,
}

/// A registered station and its verified result, if it has reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StationOutcome {
    pub station: Station,
    pub device: KeyId,
    /// Index into the province's `contests`.
    pub contest: usize,
    pub result: Option<StationResult>,
}

/// A province whose files, signatures and recount verified. Discrepancies
/// (signed figures that do not add up) are listed in `findings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct VerifiedProvince {
    pub code: Id,
    pub contests: Vec<ContestOutcome>,
    pub stations: Vec<StationOutcome>,
    pub findings: Vec<Finding>,
    pub signatures_verified: u64,
}

fn recount(
    results_file: &str,
    contests_file: &str,
    contests: ContestsDoc,
    registry: Registry,
    checked: Vec<CheckedResult>,
) -> VerifiedProvince {
    let mut findings = Vec::new();
    let signatures_verified = checked.len() as u64;
    let mut stations: Vec<StationOutcome> = registry
        .stations
        .into_iter()
        .map(|r| StationOutcome { device: r.key.id(), station: r.station, contest: r.contest, result: None })
        .collect();
    let mut by_contest: Vec<Vec<usize>> = vec![Vec::new(); contests.contests.len()];
    for (i, s) in stations.iter().enumerate() {
        by_contest[s.contest].push(i);
    }
    let mut lines: Vec<usize> = vec![0; stations.len()];
    for c in checked {
        lines[c.station] = c.line;
        stations[c.station].result = Some(c.result);
    }
    let mut outcomes = Vec::with_capacity(contests.contests.len());
    for (ci, contest) in contests.contests.into_iter().enumerate() {
        let idx = std::mem::take(&mut by_contest[ci]);
        let mut results = Vec::new();
        for &si in &idx {
            if let Some(r) = &stations[si].result {
                for check in arithmetic(&contest, r) {
                    findings.push(Finding::Arithmetic {
                        file: results_file.into(),
                        line: lines[si],
                        station: stations[si].station.id.to_string(),
                        contest: contest.id.to_string(),
                        check,
                    });
                }
                results.push(r);
            }
        }
        let before = findings.len();
        let (recount, ranking) = match tally::tally(&contest, results) {
            Some(t) => {
                let published = contest.published.as_ref();
                let tie_order: Vec<Id> =
                    published.map(|p| p.elected.iter().chain(&p.alternates).cloned().collect()).unwrap_or_default();
                let ranking = tally::rank(&contest, &t.votes, &tie_order);
                (t, ranking)
            }
            None => {
                findings.push(Finding::Overflow { file: results_file.into(), contest: contest.id.to_string() });
                (Tally::default(), Vec::new())
            }
        };
        if recount.ballots_cast > contest.eligible {
            findings.push(Finding::TurnoutAboveEligible {
                file: results_file.into(),
                contest: contest.id.to_string(),
                cast: recount.ballots_cast,
                eligible: contest.eligible,
            });
        }
        if let Some(p) = &contest.published {
            compare_published(contests_file, &contest, p, &recount, &ranking, &mut findings);
        }
        let matches_published = !findings[before..].iter().any(|f| {
            matches!(f, Finding::RecountMismatch { .. } | Finding::OutcomeMismatch { .. } | Finding::Overflow { .. })
        });
        outcomes.push(ContestOutcome { contest, recount, ranking, stations: idx, matches_published });
    }
    VerifiedProvince { code: contests.province, contests: outcomes, stations, findings, signatures_verified }
}

fn compare_published(
    file: &str,
    contest: &Contest,
    p: &crate::model::PublishedTotals,
    recount: &Tally,
    ranking: &[Ranked],
    findings: &mut Vec<Finding>,
) {
    let mut mismatch = |field: String, published: u64, recounted: u64| {
        if published != recounted {
            findings.push(Finding::RecountMismatch {
                file: file.into(),
                contest: contest.id.to_string(),
                field,
                published,
                recounted,
            });
        }
    };
    mismatch("stations reported".into(), p.stations_reported, recount.stations_reported);
    mismatch("ballots cast".into(), p.ballots_cast, recount.ballots_cast);
    mismatch("valid ballots".into(), p.valid, recount.valid);
    mismatch("invalid ballots".into(), p.invalid, recount.invalid);
    for cv in &p.votes {
        if let Some(i) = contest.candidates.iter().position(|c| c.id == cv.candidate) {
            let recounted = recount.votes.get(i).copied().unwrap_or(0);
            mismatch(format!("votes for `{}`", cv.candidate), cv.votes, recounted);
        }
    }
    let (elected, alternates) = tally::outcome(contest, ranking);
    for (list, published, recounted) in [("elected", &p.elected, elected), ("alternates", &p.alternates, alternates)] {
        if *published != recounted {
            findings.push(Finding::OutcomeMismatch {
                file: file.into(),
                contest: contest.id.to_string(),
                list: list.into(),
                published: published.iter().map(|i| i.to_string()).collect(),
                recounted: recounted.iter().map(|i| i.to_string()).collect(),
            });
        }
    }
}

/// A whole publication, verified: every province, every signature, every recount.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct VerifiedElection {
    pub election: ElectionDoc,
    pub provinces: Vec<VerifiedProvince>,
    pub audit: Audit,
    /// Discrepancies only: integrity failures never produce a VerifiedElection.
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
}

/// What a reader asks of the release log beyond the release itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogPolicy {
    /// Require the log's checkpoint, the release's inclusion proof and a
    /// fresh `latest.json` whenever the release names a log (the CLI, and a
    /// browser that fetches them). Off, they are checked when present, and
    /// the checkpoint is required only when the trust root requires witness
    /// cosignatures: without a checkpoint held from before or witnesses, a
    /// checkpoint proves nothing the publishers' signatures on the release
    /// do not.
    pub require_log: bool,
    /// The newest checkpoint this reader verified before (for the browser,
    /// kept in local storage): the publication's log must extend it, proven
    /// by `log/consistency/<held size>-<new size>`; a smaller log is a
    /// rollback, a different one a fork.
    pub held: Option<Checkpoint>,
}

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
/// the reader verified before.
pub fn verify_publication_with(
    publication: &Publication,
    anchor: &TrustAnchor,
    now: OffsetDateTime,
    policy: &LogPolicy,
) -> Result<VerifiedElection, Failure> {
    verify_publication_inner(publication, anchor, now, policy, true)
}

/// [`verify_publication_with`]; a publisher checking its own new release
/// passes `require_witnesses = false`, since witnesses cosign after it is out.
pub(crate) fn verify_publication_inner(
    publication: &Publication,
    anchor: &TrustAnchor,
    now: OffsetDateTime,
    policy: &LogPolicy,
    require_witnesses: bool,
) -> Result<VerifiedElection, Failure> {
    let mut audit = Audit::default();
    let fail = |findings: Vec<Finding>, audit: Audit| Failure { findings, audit: Box::new(audit) };
    let required =
        |path: &str| publication.get(path).ok_or_else(|| vec![Finding::FileMissing { file: path.to_owned() }]);
    let (root_bytes, root_sigs) = match (required(format::ROOT), required(format::ROOT_SIGS)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => return Err(fail([a.err(), b.err()].into_iter().flatten().flatten().collect(), audit)),
    };
    let root = verify_root(root_bytes, root_sigs, anchor, now).map_err(|f| fail(f, audit.clone()))?;
    audit.root = Some(root.audit().clone());
    let (release_bytes, release_sigs) = match (required(format::RELEASE), required(format::RELEASE_SIGS)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => return Err(fail([a.err(), b.err()].into_iter().flatten().flatten().collect(), audit)),
    };
    let release = verify_release(root, release_bytes, release_sigs, now).map_err(|f| fail(f, audit.clone()))?;
    audit.release = Some(release.audit().clone());
    let (log, pointer) =
        crate::log::check_current(publication, &release, release_bytes, policy, now, require_witnesses)
            .map_err(|f| fail(f, audit.clone()))?;
    audit.log = log;
    audit.pointer = pointer;

    let mut findings = Vec::new();
    for entry in release.files() {
        let ok = match release.check_file(entry, publication.get(&entry.path)) {
            Ok(()) => true,
            Err(f) => {
                findings.push(f);
                false
            }
        };
        audit.files.push(FileAudit {
            path: entry.path.clone(),
            kind: entry.kind,
            province: entry.province.clone(),
            size: entry.size,
            sha256: entry.sha256,
            verified: ok,
        });
    }
    // Files that are not listed are not trusted, and not read; say so only
    // where they pose as content-addressed files of this release.
    if !findings.is_empty() {
        return Err(fail(findings, audit));
    }
    let election_entry = release.entry(FileKind::Election, None).map(|e| e.path.clone()).unwrap_or_default();
    let election = release.election(publication.get(&election_entry)).map_err(|f| fail(f, audit.clone()))?;

    let get = |kind: FileKind, code: &str| release.entry(kind, Some(code)).and_then(|e| publication.get(&e.path));
    let mut provinces = Vec::new();
    for p in &election.provinces {
        match release.province(
            &election,
            &p.code,
            get(FileKind::Contests, &p.code),
            get(FileKind::Stations, &p.code),
            get(FileKind::Results, &p.code),
        ) {
            Ok(v) => provinces.push(v),
            Err(f) => findings.extend(f),
        }
    }
    check_across_provinces(&release, &provinces, &mut findings);
    for v in &provinces {
        audit.stations_registered += v.stations.len() as u64;
        audit.station_signatures_verified += v.signatures_verified;
        audit.contests_recounted += v.contests.len() as u64;
        audit.contests_matching += v.contests.iter().filter(|c| c.matches_published).count() as u64;
    }
    if findings.iter().any(|f| f.severity() == Severity::Integrity) {
        findings.extend(provinces.into_iter().flat_map(|p| p.findings));
        return Err(fail(findings, audit));
    }
    let findings = provinces.iter().flat_map(|p| p.findings.iter().cloned()).collect();
    let boundaries = boundaries(&release, publication);
    Ok(VerifiedElection { election, provinces, audit, findings, boundaries })
}

/// The boundary files the release lists, every one of which matched its hash above.
fn boundaries(release: &VerifiedRelease, publication: &Publication) -> Boundaries {
    let mut out = Boundaries::default();
    for entry in release.files() {
        let Some(bytes) = publication.get(&entry.path) else { continue };
        match (entry.kind, &entry.province) {
            (FileKind::GeoProvinces, _) => out.set_provinces(&entry.path, bytes),
            (FileKind::GeoCounties, Some(province)) => out.add_counties(province.clone(), &entry.path, bytes),
            _ => {}
        }
    }
    out
}

/// A device key or station id may not appear in two provinces either.
fn check_across_provinces(release: &VerifiedRelease, provinces: &[VerifiedProvince], findings: &mut Vec<Finding>) {
    let mut keys: BTreeMap<KeyId, Vec<String>> = BTreeMap::new();
    let mut ids: HashMap<&Id, &Id> = HashMap::new();
    for p in provinces {
        for s in &p.stations {
            keys.entry(s.device).or_default().push(s.station.id.to_string());
            if let Some(other) = ids.insert(&s.station.id, &p.code) {
                if *other != p.code {
                    findings.push(Finding::DuplicateId {
                        file: release
                            .entry(FileKind::Stations, Some(&p.code))
                            .map(|e| e.path.clone())
                            .unwrap_or_default(),
                        what: format!("station (also in {other})"),
                        id: s.station.id.to_string(),
                    });
                }
            }
        }
    }
    for (key, stations) in keys {
        if stations.len() > 1 {
            findings.push(Finding::DeviceReused { file: "stations files of several provinces".into(), key, stations });
        }
    }
}
