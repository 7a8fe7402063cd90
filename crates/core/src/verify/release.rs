//! Stage 2, the release manifest: `release.json` signed by the publishers'
//! threshold under a verified root, for this election and root, not expired,
//! and a well-formed list of files. A [`VerifiedRelease`] is the list of
//! hashes every later file must match.

use serde::Serialize;
use time::OffsetDateTime;

use super::common::{check_expiry, check_signatures, no_keys, SignatureCheck};
use super::root::VerifiedRoot;
use crate::findings::Finding;
use crate::format::{self, parse_json_fast};
use crate::model::{FileEntry, FileKind, LogRef, ReleaseDoc, Role, Sha256Hex};

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
    let doc: ReleaseDoc = parse_json_fast(file, release, format::RELEASE_LIMIT).map_err(|e| vec![e.into()])?;
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
        if (f.kind == FileKind::Results) != f.lines.is_some() {
            let problem = if f.kind == FileKind::Results {
                "a `results` file must give the Merkle root of its lines (`lines`)".to_owned()
            } else {
                format!("a `{}` file has no `lines`", f.kind)
            };
            findings.push(Finding::InvalidValue { file: file.into(), field: format!("{field}.lines"), problem });
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
    for kind in [FileKind::Election, FileKind::Summary] {
        if !files.iter().any(|f| f.kind == kind) {
            findings.push(Finding::InvalidValue {
                file: file.into(),
                field: "files".into(),
                problem: format!("lists no `{kind}` file"),
            });
        }
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
}
