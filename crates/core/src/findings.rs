//! What verification found: each finding names the file, the key or station
//! or contest, and what was expected and found, so a person can act on it.
//!
//! Two severities. An *integrity* finding means the data cannot be trusted
//! (a signature, a hash, the format, the registry); nothing behind it is
//! shown. A *discrepancy* means authentic, signed data that does not add up
//! (a station's arithmetic, a recount that differs from the published total):
//! the data is shown, with the finding beside it.

use serde::{Deserialize, Serialize};

use crate::format::FormatError;
use crate::keys::KeyId;
use crate::model::Role;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Signed data that does not add up: shown, flagged.
    Discrepancy,
    /// The data cannot be trusted: not shown.
    Integrity,
}

/// One thing verification found wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Finding {
    #[error("{0}")]
    Format(FormatError),

    #[error("{file}: missing from the publication")]
    FileMissing { file: String },

    #[error("{file}: the release lists it as {expected} bytes but it is {found} bytes")]
    SizeMismatch { file: String, expected: u64, found: u64 },

    #[error("{file}: more than the {expected} bytes the release lists; nothing past them was read")]
    TooLarge { file: String, expected: u64 },

    #[error("{file}: SHA-256 is {found}, but the release lists {expected}")]
    HashMismatch { file: String, expected: String, found: String },

    #[error("{file}: SHA-256 is {found}, but the pinned trust root is {expected}")]
    RootNotPinned { file: String, expected: String, found: String },

    #[error("{file}: the signature by {role} key {key} does not verify")]
    BadSignature { file: String, role: Role, key: KeyId },

    #[error("{file}: {valid} valid {role} signature(s), {threshold} required")]
    ThresholdNotMet { file: String, role: Role, valid: u32, threshold: u32 },

    #[error("{file}: {problem}")]
    BadTrustRoot { file: String, problem: String },

    #[error("{file}: expired at {expires}; checked at {now}")]
    Expired { file: String, expires: String, now: String },

    #[error("{file}: is for election `{found}`, expected `{expected}`")]
    WrongElection { file: String, expected: String, found: String },

    #[error("{file}: names trust root version {found_version} ({found}), but the root in use is version {expected_version} ({expected})")]
    WrongRoot { file: String, expected_version: u32, expected: String, found_version: u32, found: String },

    #[error("{file}: {what} `{id}` appears more than once")]
    DuplicateId { file: String, what: String, id: String },

    #[error("{file}: {what} `{id}` is not defined in {defined_in}")]
    UnknownReference { file: String, what: String, id: String, defined_in: String },

    #[error("{file}: {field}: {problem}")]
    InvalidValue { file: String, field: String, problem: String },

    #[error("{file} line {line}: signed by key {key}, which is not the device key of any station in the registry")]
    UnknownDevice { file: String, line: usize, key: KeyId },

    #[error("{file} line {line}: signed by the device of station `{device_station}` but is the result of station `{result_station}`")]
    ResultForOtherStation { file: String, line: usize, key: KeyId, device_station: String, result_station: String },

    #[error("{file} line {line}: the device signature on station `{station}`'s result does not verify (key {key})")]
    BadStationSignature { file: String, line: usize, station: String, key: KeyId },

    #[error("{file}: device key {key} is registered for more than one station: {stations:?}")]
    DeviceReused { file: String, key: KeyId, stations: Vec<String> },

    #[error("{file}: station `{station}` has more than one result (lines {lines:?})")]
    DuplicateResult { file: String, station: String, lines: Vec<usize> },

    #[error("{file} line {line}: station `{station}` is registered for contest `{registered}` but its result is for `{found}`")]
    WrongContest { file: String, line: usize, station: String, registered: String, found: String },

    #[error("{file} line {line}: station `{station}`: {check}")]
    Arithmetic { file: String, line: usize, station: String, contest: String, check: ArithmeticCheck },

    #[error("{file}: contest `{contest}`: {cast} ballots cast but only {eligible} eligible voters")]
    TurnoutAboveEligible { file: String, contest: String, cast: u64, eligible: u64 },

    #[error("{file}: contest `{contest}`: published {field} is {published}, the recount of station results gives {recounted}")]
    RecountMismatch { file: String, contest: String, field: String, published: u64, recounted: u64 },

    #[error("{file}: contest `{contest}`: published {list} are {published:?}, the recount gives {recounted:?}")]
    OutcomeMismatch { file: String, contest: String, list: String, published: Vec<String>, recounted: Vec<String> },

    #[error("{file}: county `{county}`: the summary gives {field} as {published}, the recount of its councils gives {recounted}")]
    SummaryMismatch { file: String, county: String, field: String, published: String, recounted: String },

    #[error("{file}: contest `{contest}`: a count does not fit in 64 bits")]
    Overflow { file: String, contest: String },

    #[error("{file}: not a valid checkpoint of the release log: {problem}")]
    BadCheckpoint { file: String, problem: String },

    #[error("{file}: {problem}")]
    BadProof { file: String, problem: String },

    #[error("{file}: is not leaf {index} of the release log of {size} release(s): {problem}")]
    NotInLog { file: String, index: u64, size: u64, problem: String },

    #[error("{file}: the log holds {served} release(s), but a checkpoint verified earlier already held {held}: an older state of the results is being served (rollback)")]
    Rollback { file: String, held: u64, served: u64 },

    #[error("{file}: this is release {served}, but the log already holds release {latest}: an older release is being served as the current one (rollback)")]
    StaleRelease { file: String, served: u64, latest: u64 },

    #[error("{file}: the release log has forked: {detail}; the history of results was rewritten")]
    Fork { file: String, detail: String },

    #[error("{file}: the pointer to the latest release expired at {expires}; checked at {now}: newer results may be being withheld (a freeze)")]
    Frozen { file: String, expires: String, now: String },

    #[error("{file}: {problem}")]
    PointerMismatch { file: String, problem: String },

    /// What should have been fixed before the polls opened was not: the
    /// setup release is missing or late, or a later release changed its
    /// registry or candidate lists. `subject` names what (a station, a
    /// council, the registry).
    #[error("{file}: {subject} {problem}")]
    NotCommitted { file: String, subject: String, problem: String },
}

/// An arithmetic rule a station result breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum ArithmeticCheck {
    #[error("valid ({valid}) + invalid ({invalid}) ≠ ballots cast ({cast})")]
    ValidPlusInvalid { valid: u64, invalid: u64, cast: u64 },
    #[error("candidate `{candidate}` has {votes} votes, more than the {valid} valid ballots")]
    CandidateAboveValid { candidate: String, votes: u64, valid: u64 },
    #[error("{total} votes in all, more than {valid} valid ballots × {seats} seats")]
    VotesAboveCapacity { total: u64, valid: u64, seats: u32 },
    #[error("votes for `{candidate}`, who is not a candidate in this contest")]
    UnknownCandidate { candidate: String },
    #[error("candidate `{candidate}` is listed more than once")]
    RepeatedCandidate { candidate: String },
    #[error("closed ({closed}) before it opened ({opened})")]
    ClosedBeforeOpened { opened: String, closed: String },
}

impl Finding {
    pub fn severity(&self) -> Severity {
        match self {
            Finding::Arithmetic { .. }
            | Finding::TurnoutAboveEligible { .. }
            | Finding::RecountMismatch { .. }
            | Finding::OutcomeMismatch { .. }
            | Finding::SummaryMismatch { .. } => Severity::Discrepancy,
            _ => Severity::Integrity,
        }
    }

    /// The file the finding concerns.
    pub fn file(&self) -> &str {
        match self {
            Finding::Format(e) => &e.file,
            Finding::FileMissing { file }
            | Finding::SizeMismatch { file, .. }
            | Finding::TooLarge { file, .. }
            | Finding::HashMismatch { file, .. }
            | Finding::RootNotPinned { file, .. }
            | Finding::BadSignature { file, .. }
            | Finding::ThresholdNotMet { file, .. }
            | Finding::BadTrustRoot { file, .. }
            | Finding::Expired { file, .. }
            | Finding::WrongElection { file, .. }
            | Finding::WrongRoot { file, .. }
            | Finding::DuplicateId { file, .. }
            | Finding::UnknownReference { file, .. }
            | Finding::InvalidValue { file, .. }
            | Finding::UnknownDevice { file, .. }
            | Finding::ResultForOtherStation { file, .. }
            | Finding::BadStationSignature { file, .. }
            | Finding::DeviceReused { file, .. }
            | Finding::DuplicateResult { file, .. }
            | Finding::WrongContest { file, .. }
            | Finding::Arithmetic { file, .. }
            | Finding::TurnoutAboveEligible { file, .. }
            | Finding::RecountMismatch { file, .. }
            | Finding::OutcomeMismatch { file, .. }
            | Finding::SummaryMismatch { file, .. }
            | Finding::Overflow { file, .. }
            | Finding::BadCheckpoint { file, .. }
            | Finding::BadProof { file, .. }
            | Finding::NotInLog { file, .. }
            | Finding::Rollback { file, .. }
            | Finding::StaleRelease { file, .. }
            | Finding::Fork { file, .. }
            | Finding::Frozen { file, .. }
            | Finding::PointerMismatch { file, .. }
            | Finding::NotCommitted { file, .. } => file,
        }
    }

    /// The contest the finding concerns, where it concerns one.
    pub fn contest(&self) -> Option<&str> {
        match self {
            Finding::Arithmetic { contest, .. }
            | Finding::TurnoutAboveEligible { contest, .. }
            | Finding::RecountMismatch { contest, .. }
            | Finding::OutcomeMismatch { contest, .. }
            | Finding::Overflow { contest, .. } => Some(contest),
            _ => None,
        }
    }

    /// The stable machine code of the finding (`hash_mismatch`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            Finding::Format(_) => "format",
            Finding::FileMissing { .. } => "file_missing",
            Finding::SizeMismatch { .. } => "size_mismatch",
            Finding::TooLarge { .. } => "too_large",
            Finding::HashMismatch { .. } => "hash_mismatch",
            Finding::RootNotPinned { .. } => "root_not_pinned",
            Finding::BadSignature { .. } => "bad_signature",
            Finding::ThresholdNotMet { .. } => "threshold_not_met",
            Finding::BadTrustRoot { .. } => "bad_trust_root",
            Finding::Expired { .. } => "expired",
            Finding::WrongElection { .. } => "wrong_election",
            Finding::WrongRoot { .. } => "wrong_root",
            Finding::DuplicateId { .. } => "duplicate_id",
            Finding::UnknownReference { .. } => "unknown_reference",
            Finding::InvalidValue { .. } => "invalid_value",
            Finding::UnknownDevice { .. } => "unknown_device",
            Finding::ResultForOtherStation { .. } => "result_for_other_station",
            Finding::BadStationSignature { .. } => "bad_station_signature",
            Finding::DeviceReused { .. } => "device_reused",
            Finding::DuplicateResult { .. } => "duplicate_result",
            Finding::WrongContest { .. } => "wrong_contest",
            Finding::Arithmetic { .. } => "arithmetic",
            Finding::TurnoutAboveEligible { .. } => "turnout_above_eligible",
            Finding::RecountMismatch { .. } => "recount_mismatch",
            Finding::OutcomeMismatch { .. } => "outcome_mismatch",
            Finding::SummaryMismatch { .. } => "summary_mismatch",
            Finding::Overflow { .. } => "overflow",
            Finding::BadCheckpoint { .. } => "bad_checkpoint",
            Finding::BadProof { .. } => "bad_proof",
            Finding::NotInLog { .. } => "not_in_log",
            Finding::Rollback { .. } => "rollback",
            Finding::StaleRelease { .. } => "stale_release",
            Finding::Fork { .. } => "fork",
            Finding::Frozen { .. } => "frozen",
            Finding::PointerMismatch { .. } => "pointer_mismatch",
            Finding::NotCommitted { .. } => "not_committed",
        }
    }
}

impl From<FormatError> for Finding {
    fn from(e: FormatError) -> Self {
        Finding::Format(e)
    }
}
