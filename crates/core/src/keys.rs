//! Ed25519 keys, key ids and signatures.
//!
//! A public key is written as the base64 of its SubjectPublicKeyInfo DER (the
//! form `openssl pkey -pubin -inform DER` reads), and a key id is the SHA-256 of
//! that DER in lowercase hex, so anyone can recompute both with standard tools.
//! Verification is always `verify_strict`: it rejects small-order keys and
//! non-canonical encodings, which plain Ed25519 verification may accept.
//! [`batch::verify_many`] checks many signatures at once with the same answers.

pub mod batch;

use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, KeypairBytes};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

pub use batch::{verify_many, SignedItem};

/// The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the
/// whole encoding is these 12 bytes followed by the 32-byte key.
const SPKI_PREFIX: [u8; 12] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

/// Why a key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("not base64: {0}")]
    Base64(String),
    #[error("not an Ed25519 SubjectPublicKeyInfo (expected 44 bytes starting 302a300506032b6570032100)")]
    NotSpki,
    #[error("not a valid Ed25519 public key (not a point on the curve)")]
    InvalidPoint,
    #[error("weak Ed25519 public key (small order)")]
    WeakKey,
    #[error("not a PKCS#8 Ed25519 private key: {0}")]
    Pkcs8(String),
    #[error("not a key id: expected 64 lowercase hex digits")]
    KeyIdSyntax,
}

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("signature is not 64 bytes")]
    Length,
    #[error("signature does not verify")]
    Invalid,
}

/// SHA-256 of a key's SubjectPublicKeyInfo DER.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId([u8; 32]);

impl KeyId {
    pub fn from_hex(s: &str) -> Result<Self, KeyError> {
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(KeyError::KeyIdSyntax);
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).map_err(|_| KeyError::KeyIdSyntax)?;
        Ok(Self(out))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The first 8 bytes in hex: enough to tell keys apart in a message.
    pub fn short(&self) -> String {
        hex::encode(&self.0[..8])
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({})", self.short())
    }
}

impl Serialize for KeyId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for KeyId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        KeyId::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

/// A verified-to-be-valid Ed25519 public key with its id.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: VerifyingKey,
    id: KeyId,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.id.short())
    }
}

impl PublicKey {
    /// Reads the base64 of a SubjectPublicKeyInfo DER.
    pub fn from_spki_base64(s: &str) -> Result<Self, KeyError> {
        let der = BASE64.decode(s).map_err(|e| KeyError::Base64(e.to_string()))?;
        Self::from_spki_der(&der)
    }

    pub fn from_spki_der(der: &[u8]) -> Result<Self, KeyError> {
        if der.len() != 44 || der[..12] != SPKI_PREFIX {
            return Err(KeyError::NotSpki);
        }
        let mut raw = [0u8; 32];
        raw.copy_from_slice(&der[12..]);
        Self::from_raw(&raw)
    }

    /// Reads a 32-byte compressed Edwards point. Weak (small-order) keys are
    /// refused here, so no signature can ever be checked against one.
    pub fn from_raw(raw: &[u8; 32]) -> Result<Self, KeyError> {
        let key = VerifyingKey::from_bytes(raw).map_err(|_| KeyError::InvalidPoint)?;
        if key.is_weak() {
            return Err(KeyError::WeakKey);
        }
        Ok(Self::from_verifying_key(key))
    }

    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let key = VerifyingKey::from_public_key_pem(pem).map_err(|e| KeyError::Pkcs8(e.to_string()))?;
        if key.is_weak() {
            return Err(KeyError::WeakKey);
        }
        Ok(Self::from_verifying_key(key))
    }

    fn from_verifying_key(key: VerifyingKey) -> Self {
        let id = KeyId(Sha256::digest(spki_der(&key)).into());
        Self { key, id }
    }

    pub fn id(&self) -> KeyId {
        self.id
    }

    pub fn to_spki_base64(&self) -> String {
        BASE64.encode(spki_der(&self.key))
    }

    /// SubjectPublicKeyInfo PEM, as `openssl pkeyutl -pubin -inkey` reads it.
    pub fn to_pem(&self) -> String {
        // The 44-byte DER is 60 base64 characters: one PEM line.
        format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n", self.to_spki_base64())
    }

    /// Strict Ed25519 verification of `sig` over exactly `msg`.
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
        let sig: [u8; 64] = sig.try_into().map_err(|_| SignatureError::Length)?;
        self.key.verify_strict(msg, &Signature::from_bytes(&sig)).map_err(|_| SignatureError::Invalid)
    }
}

fn spki_der(key: &VerifyingKey) -> [u8; 44] {
    let mut der = [0u8; 44];
    der[..12].copy_from_slice(&SPKI_PREFIX);
    der[12..].copy_from_slice(key.as_bytes());
    der
}

/// Verifies a signature given the raw 32-byte public key, for test vectors
/// and tools: any malformed or weak key is a failed verification.
pub fn verify_raw(public: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
    let raw: [u8; 32] = public.try_into().map_err(|_| SignatureError::Invalid)?;
    let key = PublicKey::from_raw(&raw).map_err(|_| SignatureError::Invalid)?;
    key.verify(msg, sig)
}

/// An Ed25519 signing key (a role key or a station device key).
pub struct SecretKey {
    key: SigningKey,
    public: PublicKey,
}

impl SecretKey {
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let key = SigningKey::from_bytes(seed);
        let public = PublicKey::from_verifying_key(key.verifying_key());
        Self { key, public }
    }

    /// Reads PKCS#8 PEM in either form: version 1 (RFC 8410, the seed alone, as
    /// `shafaf keygen` and `openssl genpkey -algorithm ed25519` write it) or
    /// version 2 (RFC 5958, with the public key, as earlier versions of Shafaf
    /// wrote it; the public key must match the seed).
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, KeyError> {
        let key = SigningKey::from_pkcs8_pem(pem).map_err(|e| KeyError::Pkcs8(e.to_string()))?;
        let public = PublicKey::from_verifying_key(key.verifying_key());
        Ok(Self { key, public })
    }

    /// PKCS#8 version 1 PEM (RFC 8410's `PrivateKeyInfo`, the 32-byte seed and
    /// no public key): the form OpenSSL 3.0 (`openssl pkey -in`), Python's
    /// `cryptography` and HSM import tools read. Version 2 with the public key
    /// attached is refused by some of them.
    pub fn to_pkcs8_pem(&self) -> Result<String, KeyError> {
        let bytes = KeypairBytes { secret_key: self.key.to_bytes(), public_key: None };
        bytes.to_pkcs8_pem(LineEnding::LF).map(|pem| pem.to_string()).map_err(|e| KeyError::Pkcs8(e.to_string()))
    }

    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.key.sign(msg).to_bytes()
    }
}

pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

pub(crate) fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    BASE64.decode(s).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_id_is_sha256_of_spki_der() {
        let key = SecretKey::from_seed(&[7; 32]);
        let der = base64_decode(&key.public().to_spki_base64()).unwrap();
        assert_eq!(key.public().id().to_hex(), hex::encode(Sha256::digest(&der)));
        assert_eq!(&der[..12], &SPKI_PREFIX);
    }

    #[test]
    fn spki_round_trips_and_pem_parses() {
        let key = SecretKey::from_seed(&[9; 32]);
        let b64 = key.public().to_spki_base64();
        assert_eq!(PublicKey::from_spki_base64(&b64).unwrap(), *key.public());
        assert_eq!(PublicKey::from_pem(&key.public().to_pem()).unwrap(), *key.public());
        let pem = key.to_pkcs8_pem().unwrap();
        assert_eq!(SecretKey::from_pkcs8_pem(&pem).unwrap().public(), key.public());
    }

    /// `openssl genpkey -algorithm ed25519` output (version 1) and the
    /// version 2 form Shafaf wrote before: both are read.
    #[test]
    fn reads_both_pkcs8_versions_and_writes_version_1() {
        let key = SecretKey::from_seed(&[3; 32]);
        let pem = key.to_pkcs8_pem().unwrap();
        let der = base64_decode(&pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>()).unwrap();
        // SEQUENCE { INTEGER 0, AlgorithmIdentifier { 1.3.101.112 }, OCTET STRING { OCTET STRING seed } }
        assert_eq!(der.len(), 48, "version 1 carries the seed alone");
        assert_eq!(&der[..7], &[0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05]);
        let v2 = key.key.to_pkcs8_pem(LineEnding::LF).unwrap();
        assert_eq!(SecretKey::from_pkcs8_pem(&v2).unwrap().public(), key.public());
        let openssl = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
        assert!(SecretKey::from_pkcs8_pem(openssl).is_ok());
    }

    #[test]
    fn rejects_small_order_public_key() {
        // The identity point (y = 1) has order 1.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(PublicKey::from_raw(&identity), Err(KeyError::WeakKey));
    }

    #[test]
    fn signature_over_other_bytes_fails() {
        let key = SecretKey::from_seed(&[1; 32]);
        let sig = key.sign(b"ballots 812");
        assert!(key.public().verify(b"ballots 812", &sig).is_ok());
        assert_eq!(key.public().verify(b"ballots 813", &sig), Err(SignatureError::Invalid));
        assert_eq!(key.public().verify(b"ballots 812", &sig[..63]), Err(SignatureError::Length));
    }

    #[test]
    fn key_id_syntax_is_strict() {
        assert!(KeyId::from_hex(&"a".repeat(64)).is_ok());
        assert_eq!(KeyId::from_hex(&"A".repeat(64)), Err(KeyError::KeyIdSyntax));
        assert_eq!(KeyId::from_hex("abc"), Err(KeyError::KeyIdSyntax));
    }
}
