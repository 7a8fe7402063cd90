//! Stamps: a SHA-256 over everything an output was made from, kept in a file
//! beside the output, so that work is redone exactly when an input changed.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

pub struct Stamp {
    hasher: Sha256,
}

impl Stamp {
    pub fn new(kind: &str) -> Stamp {
        let mut stamp = Stamp { hasher: Sha256::new() };
        stamp.text("kind", kind);
        stamp
    }

    /// Adds a labelled value; lengths are hashed too, so neighbours cannot blur.
    pub fn bytes(&mut self, label: &str, bytes: &[u8]) {
        for part in [label.as_bytes(), bytes] {
            self.hasher.update((part.len() as u64).to_le_bytes());
            self.hasher.update(part);
        }
    }

    pub fn text(&mut self, label: &str, value: &str) {
        self.bytes(label, value.as_bytes());
    }

    pub fn file(&mut self, label: &str, path: &Path) -> Result<()> {
        let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        self.bytes(label, &bytes);
        Ok(())
    }

    /// Adds every file under `dir`, in a fixed order, named relative to `dir`.
    pub fn dir(&mut self, dir: &Path) -> Result<()> {
        for relative in files_under(dir)? {
            let path = dir.join(&relative);
            let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            self.bytes(&relative, &bytes);
        }
        Ok(())
    }

    pub fn finish(self) -> String {
        hex(&self.hasher.finalize())
    }
}

/// Whether the stamp file at `path` holds `digest`.
pub fn is_fresh(path: &Path, digest: &str) -> bool {
    fs::read_to_string(path).is_ok_and(|stored| stored.trim() == digest)
}

pub fn write(path: &Path, digest: &str) -> Result<()> {
    fs::write(path, format!("{digest}\n")).with_context(|| format!("writing {}", path.display()))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Paths of all files under `dir`, relative to it with `/` separators, sorted.
pub fn files_under(dir: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = pending.pop() {
        let entries = fs::read_dir(&folder).with_context(|| format!("listing {}", folder.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("listing {}", folder.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            let kind = entry.file_type().with_context(|| format!("inspecting {}", entry.path().display()))?;
            if kind.is_dir() {
                pending.push((entry.path(), relative));
            } else {
                found.push(relative);
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_empty_input_is_the_known_digest() {
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn moving_bytes_between_labelled_values_changes_the_stamp() {
        let mut first = Stamp::new("test");
        first.text("a", "bc");
        first.text("d", "");
        let mut second = Stamp::new("test");
        second.text("a", "b");
        second.text("cd", "");
        assert_ne!(first.finish(), second.finish());
    }
}
