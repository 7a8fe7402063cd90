//! Checkpoints as signed notes (C2SP `signed-note` and `tlog-checkpoint`, the
//! format of the Go checksum database and transparency-dev logs):
//!
//! ```text
//! shafaf/ir-council-7-demo
//! 3
//! <base64 root hash>
//!
//! — <key name> <base64(key ID ‖ signature)>
//! ```
//!
//! Publishers sign the note text with plain Ed25519 note signatures
//! (signature type `0x01`); witnesses add timestamped cosignatures
//! (C2SP `tlog-cosignature`, `cosignature/v1`, type `0x04`). A key's name is
//! its `name` in `root.json`, or its key id in hex when it has none, so the
//! names a reader shows come from the pinned root, never from the note.

use sha2::{Digest, Sha256};

use crate::format::FormatError;
use crate::keys::{base64_decode, base64_encode, PublicKey, SecretKey};

use super::tree::Hash;

/// A note larger than this is refused before it is read.
pub const NOTE_LIMIT: u64 = 64 * 1024;
/// At most this many signature lines (the note spec asks for at least 16).
pub const MAX_NOTE_SIGNATURES: usize = 100;

/// Signature type byte of a plain Ed25519 note signature.
pub const ED25519: u8 = 0x01;
/// Signature type byte of a timestamped Ed25519 cosignature (`cosignature/v1`).
pub const COSIGNATURE_V1: u8 = 0x04;

/// The three lines of a checkpoint: which log, how many leaves, which root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root_hash: Hash,
}

impl Checkpoint {
    /// The note text: `<origin>\n<size>\n<base64 root hash>\n`.
    pub fn body(&self) -> String {
        format!("{}\n{}\n{}\n", self.origin, self.size, base64_encode(&self.root_hash))
    }

    /// Reads the note text of a checkpoint (no extension lines).
    pub fn parse_body(file: &str, text: &str) -> Result<Self, FormatError> {
        let bad = |field: &str, message: &str| FormatError::new(file, field, message);
        let body = text.strip_suffix('\n').ok_or_else(|| bad("", "the note text does not end with a newline"))?;
        let lines: Vec<&str> = body.split('\n').collect();
        let [origin, size, root] = lines[..] else {
            return Err(bad("", "a checkpoint has exactly three lines: origin, tree size, root hash"));
        };
        check_origin(origin).map_err(|m| bad("origin", m))?;
        if size.is_empty() || !size.bytes().all(|b| b.is_ascii_digit()) || (size.len() > 1 && size.starts_with('0')) {
            return Err(bad("tree size", "not a decimal number without leading zeros"));
        }
        let size: u64 = size.parse().map_err(|_| bad("tree size", "larger than 2⁶⁴ − 1"))?;
        let root_hash: Hash = base64_decode(root)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| bad("root hash", "not the base64 of 32 bytes"))?;
        Ok(Self { origin: origin.to_owned(), size, root_hash })
    }

    /// Reads the note text of a signed checkpoint without checking its
    /// signatures: for a checkpoint the reader verified before and kept.
    pub fn from_note(file: &str, bytes: &[u8]) -> Result<Self, FormatError> {
        let note = SignedNote::parse(file, bytes)?;
        Self::parse_body(file, &note.text)
    }
}

/// A log origin: a checkpoint's first line.
pub fn check_origin(origin: &str) -> Result<(), &'static str> {
    if origin.is_empty() || origin.len() > 200 {
        return Err("must be 1 to 200 characters");
    }
    if origin.chars().any(|c| c.is_control() || c.is_whitespace() || c == '+') {
        return Err("must not contain spaces, control characters or '+'");
    }
    Ok(())
}

/// A note key name: ASCII without spaces, control characters or `+`.
pub fn check_key_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.len() > 128 {
        return Err("must be 1 to 128 characters");
    }
    if !name.bytes().all(|b| b.is_ascii_graphic() && b != b'+') {
        return Err("may contain only printable ASCII without spaces or '+'");
    }
    Ok(())
}

/// One signature line: `— <name> <base64(key ID ‖ signature bytes)>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    pub name: String,
    pub key_id: [u8; 4],
    /// What follows the key ID: a 64-byte Ed25519 signature, or for a
    /// cosignature the 8-byte big-endian timestamp and then the signature.
    pub signature: Vec<u8>,
}

impl NoteSignature {
    fn line(&self) -> String {
        let mut raw = self.key_id.to_vec();
        raw.extend_from_slice(&self.signature);
        format!("— {} {}\n", self.name, base64_encode(&raw))
    }
}

/// A signed note: its text (with the final newline) and its signature lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedNote {
    pub text: String,
    pub signatures: Vec<NoteSignature>,
}

impl SignedNote {
    /// Parses a note strictly: UTF-8, no control characters but newlines, the
    /// text separated from at least one signature line by the last blank line.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<Self, FormatError> {
        crate::format::check_size(file, bytes, NOTE_LIMIT)?;
        let bad = |field: String, message: &str| FormatError::new(file, field, message);
        let text = std::str::from_utf8(bytes).map_err(|_| bad(String::new(), "not UTF-8 text"))?;
        if text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(bad(String::new(), "contains a control character"));
        }
        let split = text.rfind("\n\n").ok_or_else(|| bad(String::new(), "no blank line before the signatures"))?;
        let (body, sigs) = (&text[..=split], &text[split + 2..]);
        let sigs = sigs.strip_suffix('\n').ok_or_else(|| bad(String::new(), "does not end with a newline"))?;
        if sigs.is_empty() {
            return Err(bad(String::new(), "has no signature line"));
        }
        let first_sig_line = body.lines().count() + 2;
        let mut signatures = Vec::new();
        for (i, line) in sigs.split('\n').enumerate() {
            let field = format!("line {}", first_sig_line + i);
            if signatures.len() == MAX_NOTE_SIGNATURES {
                return Err(bad(field, "more signature lines than allowed"));
            }
            let rest =
                line.strip_prefix("— ").ok_or_else(|| bad(field.clone(), "not a `— <name> <signature>` line"))?;
            let (name, sig) =
                rest.split_once(' ').ok_or_else(|| bad(field.clone(), "not a `— <name> <signature>` line"))?;
            check_key_name(name).map_err(|m| bad(field.clone(), m))?;
            let raw = base64_decode(sig).map_err(|_| bad(field.clone(), "the signature is not base64"))?;
            if raw.len() < 5 {
                return Err(bad(field, "the signature is too short"));
            }
            let mut key_id = [0u8; 4];
            key_id.copy_from_slice(&raw[..4]);
            signatures.push(NoteSignature { name: name.to_owned(), key_id, signature: raw[4..].to_vec() });
        }
        Ok(Self { text: body.to_owned(), signatures })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.text.clone();
        out.push('\n');
        for s in &self.signatures {
            out.push_str(&s.line());
        }
        out.into_bytes()
    }

    /// Adds a signature line, replacing one by the same key (name and ID).
    pub fn add(&mut self, sig: NoteSignature) {
        self.signatures.retain(|s| !(s.name == sig.name && s.key_id == sig.key_id));
        self.signatures.push(sig);
    }
}

/// The raw 32-byte Ed25519 key (the last 32 bytes of its SPKI DER).
pub(crate) fn raw_key(key: &PublicKey) -> [u8; 32] {
    let der = base64_decode(&key.to_spki_base64()).unwrap_or_default();
    let mut raw = [0u8; 32];
    if der.len() == 44 {
        raw.copy_from_slice(&der[12..]);
    }
    raw
}

/// `SHA-256(name ‖ "\n" ‖ type ‖ 32-byte key)[:4]`.
pub fn key_id(name: &str, signature_type: u8, key: &PublicKey) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([signature_type]);
    h.update(raw_key(key));
    let d = h.finalize();
    [d[0], d[1], d[2], d[3]]
}

/// What a witness signs: `cosignature/v1\ntime <t>\n` then the note text.
pub fn cosigned_message(text: &str, timestamp: u64) -> Vec<u8> {
    format!("cosignature/v1\ntime {timestamp}\n{text}").into_bytes()
}

/// A plain Ed25519 note signature over `text`.
pub fn sign(text: &str, name: &str, key: &SecretKey) -> NoteSignature {
    let signature = key.sign(text.as_bytes()).to_vec();
    NoteSignature { name: name.to_owned(), key_id: key_id(name, ED25519, key.public()), signature }
}

/// A `cosignature/v1` over `text` made at `timestamp` (seconds since 1970).
pub fn cosign(text: &str, name: &str, key: &SecretKey, timestamp: u64) -> NoteSignature {
    let mut signature = timestamp.to_be_bytes().to_vec();
    signature.extend_from_slice(&key.sign(&cosigned_message(text, timestamp)));
    NoteSignature { name: name.to_owned(), key_id: key_id(name, COSIGNATURE_V1, key.public()), signature }
}

/// Checks a plain Ed25519 note signature by `key`.
pub fn verify_signature(text: &str, sig: &NoteSignature, key: &PublicKey) -> bool {
    sig.signature.len() == 64 && key.verify(text.as_bytes(), &sig.signature).is_ok()
}

/// Checks a `cosignature/v1` by `key`; returns its timestamp.
pub fn verify_cosignature(text: &str, sig: &NoteSignature, key: &PublicKey) -> Option<u64> {
    if sig.signature.len() != 72 {
        return None;
    }
    let mut t = [0u8; 8];
    t.copy_from_slice(&sig.signature[..8]);
    let timestamp = u64::from_be_bytes(t);
    if timestamp > i64::MAX as u64 {
        return None;
    }
    key.verify(&cosigned_message(text, timestamp), &sig.signature[8..]).ok().map(|()| timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference key and note of Go's `golang.org/x/mod/sumdb/note`
    /// (`note_test.go`: the `PeterNeumann` verifier key, signer key and
    /// signed note): our key ID, signature and encoding must equal theirs
    /// byte for byte (Ed25519 is deterministic).
    #[test]
    fn matches_the_go_note_reference_example() {
        let vkey = base64_decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").unwrap();
        let skey = base64_decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz").unwrap();
        assert_eq!((vkey[0], skey[0]), (ED25519, ED25519));
        let raw: [u8; 32] = vkey[1..].try_into().unwrap();
        let key = PublicKey::from_raw(&raw).unwrap();
        let secret = SecretKey::from_seed(&skey[1..].try_into().unwrap());
        assert_eq!(*secret.public(), key);
        assert_eq!(key_id("PeterNeumann", ED25519, &key), [0xc7, 0x4f, 0x20, 0xa3]);
        let text = "If you think cryptography is the answer to your problem,\n\
                    then you don't know what your problem is.\n";
        let msg = format!(
            "{text}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
        );
        let note = SignedNote::parse("note", msg.as_bytes()).unwrap();
        assert_eq!(note.text, text);
        assert_eq!(note.signatures, vec![sign(text, "PeterNeumann", &secret)]);
        assert!(verify_signature(&note.text, &note.signatures[0], &key));
        assert_eq!(note.to_bytes(), msg.as_bytes());
        let altered = msg.replace("cryptography", "cryptographY");
        let altered = SignedNote::parse("note", altered.as_bytes()).unwrap();
        assert!(!verify_signature(&altered.text, &altered.signatures[0], &key));
    }

    #[test]
    fn checkpoint_body_round_trips_and_is_strict() {
        let c = Checkpoint { origin: "example.com/log".into(), size: 3, root_hash: [7; 32] };
        assert_eq!(Checkpoint::parse_body("c", &c.body()).unwrap(), c);
        for bad in [
            "example.com/log\n03\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
            "example.com/log\n3\nBwcH\n",
            "example.com/log\n3\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",
            "example.com/log\n3\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\next\n",
            "\n3\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
            "a b\n3\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
            "log\n18446744073709551616\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
        ] {
            assert!(Checkpoint::parse_body("c", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn signs_and_cosigns_and_rejects_altered_notes() {
        let publisher = SecretKey::from_seed(&[1; 32]);
        let witness = SecretKey::from_seed(&[2; 32]);
        let c = Checkpoint { origin: "shafaf/test".into(), size: 1, root_hash: [9; 32] };
        let mut note = SignedNote { text: c.body(), signatures: vec![sign(&c.body(), "pub", &publisher)] };
        note.add(cosign(&c.body(), "w", &witness, 1_700_000_000));
        let parsed = SignedNote::parse("checkpoint", &note.to_bytes()).unwrap();
        assert_eq!(parsed, note);
        assert!(verify_signature(&parsed.text, &parsed.signatures[0], publisher.public()));
        assert_eq!(verify_cosignature(&parsed.text, &parsed.signatures[1], witness.public()), Some(1_700_000_000));
        assert!(verify_cosignature(&parsed.text, &parsed.signatures[0], publisher.public()).is_none());
        let other = Checkpoint { size: 2, ..c };
        assert!(!verify_signature(&other.body(), &parsed.signatures[0], publisher.public()));
        assert!(verify_cosignature(&other.body(), &parsed.signatures[1], witness.public()).is_none());
        // A second cosignature by the same witness replaces the first.
        note.add(cosign(&note.text.clone(), "w", &witness, 1_700_000_100));
        assert_eq!(note.signatures.len(), 2);
        for bad in [&b"x\n"[..], b"x\n\n", b"x\n\n\xe2\x80\x94 a AAAA\n", b"x\n\n- a AAAAAAAA\n", b"x\n\n\x01\n"] {
            assert!(SignedNote::parse("n", bad).is_err(), "{bad:?}");
        }
    }
}
