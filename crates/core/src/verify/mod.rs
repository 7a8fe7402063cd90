//! The verification path, one stage per module, read top to bottom in the
//! order data flows; each stage takes the previous stage's verified type and
//! returns the next, and none reads from a later one:
//!
//! 1. [`root`]: `root.json` against the pin → [`VerifiedRoot`]
//! 2. [`release`]: `release.json` signed by the publishers → [`VerifiedRelease`]
//! 3. [`log`]: the release in its log, and the pointer → [`LoggedRelease`]
//! 4. [`files`]: each file against its listed size and hash; the election
//!    file and the summary → [`SignedRelease`]; a province's contests →
//!    [`SignedContests`] ("signed": every figure can be drawn)
//! 5. [`setup`]: a province's councils and registry against those the
//!    setup release committed before the polls opened; [`province`]: its
//!    registry and every station signature → [`CheckedProvince`]
//! 6. [`recount`]: every council and county recounted and compared →
//!    [`VerifiedProvince`] ("recounted")
//! 7. [`verdict`]: across provinces, what was checked and the one word a
//!    reader is told → [`VerifiedElection`] or [`Failure`]
//!
//! [`common`] holds what the stages share. The only way to obtain any of
//! these types is through the stages, so whatever takes one can only show
//! data that passed every check before it. `shafaf verify` runs them all
//! ([`verify_publication_with`]); the browser runs 1–4 for what a view
//! shows, and 4–6 per province in its workers ([`audit_province`]), and
//! gathers the outcomes in the same [`AuditedRelease`].

pub mod common;
pub mod files;
pub mod log;
pub mod province;
pub mod recount;
pub mod release;
pub mod root;
pub mod setup;
pub mod verdict;

pub use self::common::SignatureCheck;
pub use self::files::{
    check_bytes, check_file, verify_files, CheckedFile, FileAudit, FileCheck, ListedFiles, SetupAudit, SignedContests,
    SignedRelease,
};
pub use self::log::{verify_log, LogPolicy, LoggedRelease, SetupRelease};
pub use self::province::{verify_province, CheckedProvince};
pub use self::recount::{recount, ContestOutcome, StationOutcome, VerifiedProvince};
pub use self::release::{verify_archived_release, verify_release, ReleaseAudit, VerifiedRelease};
pub use self::root::{verify_root, RoleAudit, RootAudit, TrustAnchor, VerifiedRoot};
pub use self::setup::{compare_with_setup, setup_files};
pub use self::verdict::{
    audit_province, audit_signed, verify_publication, verify_publication_reading, verify_publication_with,
    verify_signed, verify_signed_from, Audit, AuditedRelease, Failure, StationResults, Status, Verdict,
    VerifiedElection,
};
