//! What the app reads before any publication: its deployment's
//! `config.json` (docs/DEPLOY.md) and the source a reader saved in the
//! browser. Both are untrusted bytes to the app (a host can serve anything,
//! and storage can be edited), so they are parsed here, natively testable
//! and fuzzed (`crate::fuzzing`), and the app only resolves the addresses.

use serde::{Deserialize, Serialize};

use crate::model::Sha256Hex;

/// `config.json` is read up to this size.
pub const CONFIG_LIMIT: usize = 64 * 1024;

/// `config.json`, as deployed beside the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    /// The default publication: a path on the app's site or an address on another.
    pub publication: String,
    /// The SHA-256 of the publication's `root.json` that the app pins.
    pub root_sha256: Sha256Hex,
    /// A demo deployment (the page says DEMO).
    pub demo: bool,
    /// How often an open page asks for the latest release, in seconds.
    pub poll_seconds: Option<u32>,
    /// Up to how many bytes (as the release lists them) a phone audits
    /// every station by itself; beyond, it waits for the reader to ask.
    pub phone_audit_bytes: Option<u64>,
}

#[derive(Deserialize)]
struct ConfigFile {
    publication: String,
    root_sha256: String,
    #[serde(default)]
    demo: bool,
    #[serde(default)]
    poll_seconds: Option<u32>,
    #[serde(default)]
    phone_audit_bytes: Option<u64>,
}

/// Reads `config.json`; the error says what is wrong with it, for the page.
pub fn parse_config(bytes: &[u8]) -> Result<AppConfig, String> {
    if bytes.len() > CONFIG_LIMIT {
        return Err(format!("it holds {} bytes, more than a configuration may ({CONFIG_LIMIT})", bytes.len()));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8 text")?;
    let file: ConfigFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let root_sha256 = Sha256Hex::from_hex(&file.root_sha256).ok_or("root_sha256 is not 64 lowercase hex digits")?;
    Ok(AppConfig {
        publication: file.publication,
        root_sha256,
        demo: file.demo,
        poll_seconds: file.poll_seconds,
        phone_audit_bytes: file.phone_audit_bytes,
    })
}

/// A publication the reader chose, as the browser keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSource {
    pub publication: String,
    pub root_sha256: String,
}

impl SavedSource {
    /// The kept text, if it is a saved source at all (the address is then
    /// checked by the app as one the reader typed).
    pub fn parse(text: &str) -> Option<SavedSource> {
        if text.len() > CONFIG_LIMIT {
            return None;
        }
        serde_json::from_str(text).ok()
    }

    pub fn to_json(&self) -> String {
        // Two strings: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deployed_config_is_read_and_a_bad_pin_is_named() {
        let pin = "ab".repeat(32);
        let good = format!(r#"{{"publication":"publication/","root_sha256":"{pin}","demo":true}}"#);
        let config = parse_config(good.as_bytes()).unwrap();
        assert_eq!((config.publication.as_str(), config.demo, config.poll_seconds), ("publication/", true, None));
        assert_eq!(config.root_sha256.to_hex(), pin);
        let bad = r#"{"publication":"publication/","root_sha256":"REPLACE-ME"}"#;
        assert!(parse_config(bad.as_bytes()).unwrap_err().contains("root_sha256"));
        assert!(parse_config(b"{").is_err());
        assert!(parse_config(&vec![b' '; CONFIG_LIMIT + 1]).unwrap_err().contains("more than"));
    }

    #[test]
    fn a_saved_source_reads_back_and_anything_else_is_none() {
        let saved = SavedSource { publication: "https://results.example/".into(), root_sha256: "00".repeat(32) };
        assert_eq!(SavedSource::parse(&saved.to_json()), Some(saved));
        assert_eq!(SavedSource::parse("null"), None);
        assert_eq!(SavedSource::parse("{\"publication\":1}"), None);
    }
}
