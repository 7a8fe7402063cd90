//! The app's own files, so that a reader can check that the app they were
//! served is the one built from this source: `app-files.txt` lists every
//! file of the built app in `sha256sum` format (`<hex>  <path>`, sorted by
//! path), and the SHA-256 of that list is the one hash that names a build.
//! `sha256sum -c app-files.txt` checks a downloaded copy with standard tools.

use crate::model::Sha256Hex;

/// The list's name, at the root of the app.
pub const MANIFEST: &str = "app-files.txt";

/// The list of `files` (path relative to the app, `/`-separated; content).
pub fn manifest<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut lines: Vec<(&str, Sha256Hex)> =
        files.into_iter().map(|(path, bytes)| (path, Sha256Hex::of(bytes))).collect();
    lines.sort_by(|a, b| a.0.cmp(b.0));
    lines.iter().map(|(path, hash)| format!("{}  {path}\n", hash.to_hex())).collect()
}

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppFile {
    pub path: String,
    pub sha256: Sha256Hex,
}

/// Reads a list; a path that could leave the app's folder, a repeated path,
/// or a line that is not `<64 hex>  <path>` is an error naming the line.
pub fn parse_manifest(text: &str) -> Result<Vec<AppFile>, String> {
    let mut out: Vec<AppFile> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let bad = |why: &str| format!("{MANIFEST} line {}: {why}", i + 1);
        let (hex, path) = line.split_once("  ").ok_or_else(|| bad("not `<sha256>  <path>`"))?;
        let sha256 = Sha256Hex::from_hex(hex).ok_or_else(|| bad("the hash is not 64 lowercase hex digits"))?;
        let safe = !path.is_empty()
            && !path.starts_with('/')
            && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
            && !path.contains(['\\', '?', '#', '%'])
            && !path.chars().any(char::is_control);
        if !safe {
            return Err(bad(&format!("`{path}` is not a plain path inside the app")));
        }
        if out.iter().any(|f| f.path == path) {
            return Err(bad(&format!("`{path}` is listed twice")));
        }
        out.push(AppFile { path: path.to_owned(), sha256 });
    }
    if out.is_empty() {
        return Err(format!("{MANIFEST} lists no file"));
    }
    Ok(out)
}

/// The one hash that names a build: the SHA-256 of its list.
pub fn app_hash(manifest: &[u8]) -> Sha256Hex {
    Sha256Hex::of(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sha256sum_format_sorted_and_reads_back() {
        let text = manifest([("index.html", &b"<html>"[..]), ("fonts/a.woff2", &b"font"[..])]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("{}  fonts/a.woff2", Sha256Hex::of(b"font").to_hex()));
        let files = parse_manifest(&text).unwrap();
        assert_eq!(files[1], AppFile { path: "index.html".into(), sha256: Sha256Hex::of(b"<html>") });
    }

    #[test]
    fn paths_leaving_the_folder_and_bad_lines_are_refused() {
        let h = "0".repeat(64);
        for bad in [
            format!("{h}  ../etc/passwd"),
            format!("{h}  /index.html"),
            format!("{h}  a//b"),
            format!("{h} index.html"),
            format!("{}  index.html", "g".repeat(64)),
            format!("{h}  a\n{h}  a"),
            String::new(),
        ] {
            assert!(parse_manifest(&bad).is_err(), "{bad:?}");
        }
    }
}
