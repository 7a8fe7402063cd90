//! What every stage shares: checking a `.sigs` file against a role, expiry,
//! and how times are written in findings. Below all stages; imports none.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::findings::Finding;
use crate::format::SignatureLine;
use crate::keys::{KeyId, PublicKey};
use crate::model::{Role, RoleEntry};

/// One signature that was checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureCheck {
    pub key: KeyId,
    pub valid: bool,
}

pub(crate) fn fmt_time(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// Checks every line of a `.sigs` file against `role`: each signature must be
/// by a key of the role and verify over `msg`, and at least `threshold` must.
pub(crate) fn check_signatures(
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
pub(crate) fn no_keys(role: Role) -> RoleEntry {
    RoleEntry { role, keys: Vec::new(), threshold: 1 }
}

pub(crate) fn check_expiry(file: &str, expires: OffsetDateTime, now: OffsetDateTime, findings: &mut Vec<Finding>) {
    if now > expires {
        findings.push(Finding::Expired { file: file.to_owned(), expires: fmt_time(expires), now: fmt_time(now) });
    }
}
