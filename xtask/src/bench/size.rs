//! What the app weighs: every wasm and JavaScript file of `dist/`, raw and
//! compressed the way `cargo xtask serve` compresses the app (brotli 11, gzip 9).

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use crate::compress::{self, Effort, Encoding};

pub struct Asset {
    /// The path under `dist/`, e.g. `shafaf-app-0123456789abcdef_bg.wasm`.
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// The wasm and JavaScript files of `dist/` (and its folders), by name.
pub fn assets(dist: &Path) -> Result<Vec<Asset>> {
    let mut assets = Vec::new();
    for relative in crate::stamp::files_under(dist)? {
        if !(relative.ends_with(".wasm") || relative.ends_with(".js") || relative.ends_with(".mjs")) {
            continue;
        }
        let path = dist.join(&relative);
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        assets.push(Asset {
            raw: bytes.len() as u64,
            gzip: compress::encode_bytes(Encoding::Gzip, Effort::Best, &bytes).len() as u64,
            brotli: compress::encode_bytes(Encoding::Brotli, Effort::Best, &bytes).len() as u64,
            name: relative,
        });
    }
    assets.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(assets)
}

/// The wasm and JavaScript that `dist/index.html` loads by itself (Trunk's
/// `<script>`, `modulepreload` and `preload`): what the first view needs
/// unless the app starts a worker (whose files the browser run sees).
pub fn referenced_by_index(dist: &Path) -> Vec<String> {
    let Ok(html) = fs::read_to_string(dist.join("index.html")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = html
        .split(['"', '\''])
        .filter_map(|quoted| {
            let name = quoted.trim_start_matches("./").trim_start_matches('/');
            let code = name.ends_with(".wasm") || name.ends_with(".js");
            (code && !name.contains(['<', '>', ' ', '(']) && dist.join(name).is_file()).then(|| name.to_string())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_code_index_html_loads_and_weighs_it() {
        let dist = std::env::temp_dir().join(format!("shafaf-xtask-size-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dist);
        fs::create_dir_all(&dist).unwrap();
        fs::write(
            dist.join("index.html"),
            r#"<link rel="modulepreload" href="/app-0123456789abcdef.js" crossorigin="anonymous">
<link rel="preload" href="/app-0123456789abcdef_bg.wasm" as="fetch" type="application/wasm">
<script type="module">import init from '/app-0123456789abcdef.js';init({module_or_path: '/app-0123456789abcdef_bg.wasm'});</script>"#,
        )
        .unwrap();
        fs::write(dist.join("app-0123456789abcdef.js"), "export default function init() {}\n".repeat(100)).unwrap();
        fs::write(dist.join("app-0123456789abcdef_bg.wasm"), [0u8; 4096]).unwrap();
        fs::write(dist.join("worker.js"), "self.onmessage = () => {};").unwrap();

        assert_eq!(referenced_by_index(&dist), ["app-0123456789abcdef.js", "app-0123456789abcdef_bg.wasm"]);
        let assets = assets(&dist).unwrap();
        let names: Vec<&str> = assets.iter().map(|asset| asset.name.as_str()).collect();
        assert_eq!(names, ["app-0123456789abcdef.js", "app-0123456789abcdef_bg.wasm", "worker.js"]);
        let wasm = &assets[1];
        assert_eq!(wasm.raw, 4096);
        assert!(wasm.gzip < 100 && wasm.brotli < 100, "{} {}", wasm.gzip, wasm.brotli);
        let _ = fs::remove_dir_all(&dist);
    }
}
