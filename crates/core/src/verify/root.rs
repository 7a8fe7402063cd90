//! Stage 1, the trust root: `root.json` against the reader's pin, its keys
//! and roles, and the root role's signatures. Everything after it trusts only
//! the keys of a [`VerifiedRoot`].

use std::collections::BTreeMap;

use serde::Serialize;
use time::OffsetDateTime;

use super::common::{check_expiry, check_signatures, no_keys, SignatureCheck};
use crate::findings::Finding;
use crate::format::{self, parse_json_fast, SignatureLine};
use crate::keys::{KeyId, PublicKey};
use crate::model::{Id, Role, RoleEntry, RootDoc, Sha256Hex};

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

/// A verified trust root: its keys, by role.
#[derive(Debug, Clone)]
pub struct VerifiedRoot {
    pub(super) doc: RootDoc,
    pub(super) keys: BTreeMap<KeyId, PublicKey>,
    pub(super) audit: RootAudit,
}

impl VerifiedRoot {
    pub fn audit(&self) -> &RootAudit {
        &self.audit
    }

    pub fn election(&self) -> &Id {
        &self.doc.election
    }

    pub(crate) fn role(&self, role: Role) -> Option<&RoleEntry> {
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
    let doc: RootDoc = parse_json_fast(file, root, format::ROOT_LIMIT).map_err(|e| vec![e.into()])?;
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
