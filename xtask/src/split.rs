//! The app's wasm, split: the landing page's code in the first download, each
//! other view in chunks fetched when a reader first opens it.
//!
//! The app marks its views with Leptos' lazy routes (`src/app.rs`); each is
//! an import the page resolves at run time. Trunk has no step for this, so
//! xtask builds the app itself, the way cargo-leptos does:
//! 1. cargo links `shafaf-app.wasm` with its relocations (`--emit-relocs`);
//! 2. `wasm_split_cli_support` follows them to move the code only lazy
//!    views reach into chunks, and writes the loader that fetches them;
//! 3. wasm-bindgen makes the JavaScript glue of the main module, and
//!    wasm-opt shrinks each module;
//! 4. every file is named by a hash of all of them (each refers to the
//!    others by name, so one hash names the set), and `index.html` gets the
//!    script that starts the app in place of the app's link, which Trunk
//!    skips (`data-trunk-skip`) and leaves as it is.
//!
//! The result is kept under `target/shafaf/app/`, by the hash of the linked
//! wasm: a build that changed nothing in the app copies it again.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

use crate::exec::{self, cargo, command};
use crate::paths::Paths;
use crate::tools::WASM_TARGET;

/// The start of the app's link in `index.html`, which Trunk leaves for the
/// app's script to replace. (Without a main link Trunk would build the
/// package beside `index.html` itself.)
const APP_LINK: &str = r#"<link data-trunk rel="rust" href="Cargo.toml""#;

/// The names the pieces have before the set is hashed.
const GLUE: &str = "shafaf-app.js";
const MAIN: &str = "shafaf-app_bg.wasm";
const LOADER: &str = "shafaf-split.js";
/// Beside the split app: each lazy part's files, as JSON.
const VIEWS: &str = "views.json";
/// What [`split`] writes, in its version: a build kept under
/// `target/shafaf/app/` by an older xtask is made again.
const OUTPUT_VERSION: u32 = 2;
/// The lazy part the landing page draws its map with, after its figures:
/// its code comes as one download too, once the app asks for it.
const LANDING_MAP: &str = "national_map";

/// How a view's pack is named (`pack_<view>-<hash>.wasm`), see [`pack`].
const PACK: &str = "pack_";

/// The lazy part that draws the view at an address, from the table the app
/// chooses it by too (`shafaf_core::app_views`, given as `byAddress`): a
/// JavaScript expression over `parts`, the address's path split at `/`.
const VIEW_OF_ADDRESS: &str = r#"byAddress.find(([pattern]) => {
          const rest = pattern.at(-1) === "..";
          const head = rest ? pattern.slice(0, -1) : pattern;
          const length = rest ? parts.length >= head.length : parts.length === head.length;
          return length && head.every((p, i) => p === "*" || p === parts[i]);
        })?.[1]"#;

/// wasm-opt's settings for every module: size first, and the features the
/// compiler uses (a chunk has no section that names them). The sections
/// that name the tools and the features are left out: a browser reads
/// neither, and each of some fifty files would carry them (~200 bytes).
const WASM_OPT: [&str; 9] = [
    "-Oz",
    "--strip-producers",
    "--strip-target-features",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Builds the app's wasm, splits it, and puts it in `dist` with the script
/// that starts it. `env` is the environment cargo gets (the commit, the
/// flags that make the build the same everywhere).
pub fn build(paths: &Paths, dist: &Path, env: &[(String, String)]) -> Result<()> {
    let mut build = cargo();
    build
        .args(["rustc", "--quiet", "--target", WASM_TARGET, "--profile", "wasm-release", "--bin", "shafaf-app"])
        .args(["--", "-C", "link-arg=--emit-relocs"])
        .current_dir(&paths.root);
    for (name, value) in env {
        build.env(name, value);
    }
    exec::run(&mut build)?;
    let linked = paths.target.join(WASM_TARGET).join("wasm-release").join("shafaf-app.wasm");
    let input = fs::read(&linked).with_context(|| format!("reading {}", linked.display()))?;

    let work = paths.work().join("app");
    let key = format!("{} {OUTPUT_VERSION}", hex(&Sha256::digest(&input)));
    let done = work.join("done");
    if fs::read_to_string(work.join("input.sha256")).ok().as_deref() != Some(key.as_str()) || !done.is_dir() {
        println!("    splitting the app's wasm into the first view and chunks");
        split(&input, &work)?;
        fs::write(work.join("input.sha256"), &key)?;
    }
    install(&done, dist)
}

/// Splits, binds and shrinks `input` into `work/done/`, named by their hash.
fn split(input: &[u8], work: &Path) -> Result<()> {
    if work.exists() {
        fs::remove_dir_all(work).with_context(|| format!("removing {}", work.display()))?;
    }
    let (parts, bound, done) = (work.join("split"), work.join("bound"), work.join("done"));
    for dir in [&parts, &bound, &done] {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let main_split = parts.join("main.wasm");
    let link_name = format!("./{LOADER}");
    let main_module = format!("./{GLUE}");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(input);
        options.output_dir = &parts;
        options.main_out_path = &main_split;
        options.link_name = &link_name;
        options.main_module = &main_module;
        options
    })
    .map_err(|e| anyhow::anyhow!("splitting the app's wasm: {e:#}"))?;

    exec::run(
        command("wasm-bindgen")
            .args(["--target", "web", "--keep-lld-exports", "--no-demangle", "--no-typescript"])
            .args(["--out-name", "shafaf-app", "--out-dir"])
            .arg(&bound)
            .arg(&main_split),
    )?;
    let mut chunks: Vec<String> =
        split.split_modules.iter().filter_map(|path| Some(path.file_stem()?.to_str()?.to_owned())).collect();
    chunks.sort();
    println!("    shrinking the main module and {} chunks with wasm-opt", chunks.len());
    wasm_opt(&bound.join(MAIN), &done.join(MAIN))?;
    for chunk in &chunks {
        wasm_opt(&parts.join(format!("{chunk}.wasm")), &done.join(format!("{chunk}.wasm")))?;
    }
    fs::copy(bound.join(GLUE), done.join(GLUE))?;
    fs::copy(parts.join(LOADER), done.join(LOADER))?;

    // One hash for the set: the files refer to each other by name.
    let mut hasher = Sha256::new();
    let mut names: Vec<String> = [GLUE, MAIN, LOADER].map(String::from).into();
    names.extend(chunks.iter().map(|chunk| format!("{chunk}.wasm")));
    for name in &names {
        let bytes = fs::read(done.join(name))?;
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let hash = hex(&hasher.finalize())[..16].to_owned();

    let glue = fs::read_to_string(done.join(GLUE))?;
    // The glue imports the loader by its name, and hands it to the main
    // module under the name the module imports it by: only the first changes.
    let glue = replace_all(&glue, &format!("from \"./{LOADER}\""), &format!("from \"./{}\"", hashed(LOADER, &hash)))?;
    let mut loader = fs::read_to_string(done.join(LOADER))?;
    loader = replace_all(&loader, &format!("\"./{GLUE}\""), &format!("\"./{}\"", hashed(GLUE, &hash)))?;
    for chunk in &chunks {
        let name = format!("{chunk}.wasm");
        loader = replace_all(&loader, &format!("\"./{name}\""), &format!("\"./{}\"", hashed(&name, &hash)))?;
    }
    if !chunks.is_empty() {
        // A chunk index.html's script fetched early is taken from it (see `start_script`).
        loader = replace_all(&loader, "fetch(new URL(", "(globalThis.shafafChunk ?? fetch)(new URL(")?;
    }
    let out = done.join("files");
    fs::create_dir_all(&out)?;
    fs::write(out.join(hashed(GLUE, &hash)), glue)?;
    fs::write(out.join(hashed(LOADER, &hash)), loader)?;
    for name in names.iter().filter(|name| name.ends_with(".wasm")) {
        fs::rename(done.join(name), out.join(hashed(name, &hash)))?;
    }
    // Which files each lazy part needs (its own and the chunks it shares),
    // for the script that fetches a deep link's view at once.
    let views: std::collections::BTreeMap<&String, Vec<String>> = split
        .prefetch_map
        .iter()
        .map(|(part, stems)| {
            let mut files: Vec<String> = stems.iter().map(|stem| hashed(&format!("{stem}.wasm"), &hash)).collect();
            files.sort();
            (part, files)
        })
        .collect();
    anyhow::ensure!(
        views.keys().any(|part| *part == LANDING_MAP),
        "the app has no lazy part `{LANDING_MAP}` for the landing page's map"
    );
    // And each view's files as one download, for a deep link (see `pack`).
    for (part, files) in &views {
        let contents = files.iter().map(|name| fs::read(out.join(name))).collect::<std::io::Result<Vec<_>>>()?;
        fs::write(out.join(hashed(&format!("{PACK}{part}.wasm"), &hash)), pack(&contents)?)?;
    }
    fs::write(done.join(VIEWS), serde_json::to_string(&views)?)?;
    fs::write(done.join("hash"), &hash)?;
    Ok(())
}

/// Copies the split app into `dist` and writes the script that starts it
/// into `index.html`, in place of the app's link.
fn install(done: &Path, dist: &Path) -> Result<()> {
    let hash = fs::read_to_string(done.join("hash")).context("reading the split app's hash")?;
    for entry in fs::read_dir(done.join("files"))? {
        let path = entry?.path();
        fs::copy(&path, dist.join(path.file_name().context("a file without a name")?))?;
    }
    let index = dist.join("index.html");
    let html = fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    let views = fs::read_to_string(done.join(VIEWS)).context("reading the views' files")?;
    let html = with_script(&html, &start_script(&hash, &done.join("files"), &views)?)
        .with_context(|| format!("in {}", index.display()))?;
    fs::write(&index, html)?;
    Ok(())
}

/// `html` with the app's link (the one Trunk skips) replaced by `script`.
fn with_script(html: &str, script: &str) -> Result<String> {
    let start = html.find(APP_LINK).with_context(|| format!("no app link `{APP_LINK} … data-trunk-skip>`"))?;
    let end = start + html[start..].find('>').context("the app's link does not end")? + 1;
    if !html[start..end].contains("data-trunk-skip") || html[end..].contains(APP_LINK) {
        bail!("the app's link must be there once, with data-trunk-skip");
    }
    Ok(format!("{}{script}{}", &html[..start], &html[end..]))
}

/// The script that starts the app, and the hints that fetch the first view's
/// code at once (the glue, the loader it imports, the main module), each
/// with its Subresource Integrity as Trunk writes it for the files it
/// builds. `files` holds the split app's files by name; `views` is each lazy
/// part's files (JSON): a deep link's view is fetched as soon as the main
/// module arrived, before the app asks for it, and the loader takes those
/// responses (`shafafChunk`, whichever of the two asks first: matching a
/// preload hint to the loader's own request depended on which came first,
/// and a fast machine fetched every chunk twice). Not beside the
/// main module: on a phone's slow line every byte fetched beside it makes it
/// arrive later, and the app, once it has it, starts (compiles, draws its
/// frame, checks the release's signatures) while the view's code comes.
/// The view's files come in one download, its [`pack`]. `shafafMain` says
/// when the main module arrived, for index.html's early downloads of the
/// view's province files.
fn start_script(hash: &str, files: &Path, views: &str) -> Result<String> {
    let (glue, main, loader) = (hashed(GLUE, hash), hashed(MAIN, hash), hashed(LOADER, hash));
    let integrity = |name: &str| -> Result<String> {
        let bytes = fs::read(files.join(name)).with_context(|| format!("reading {name}"))?;
        Ok(format!("sha384-{}", BASE64.encode(Sha384::digest(bytes))))
    };
    let (glue_sri, loader_sri, main_sri) = (integrity(&glue)?, integrity(&loader)?, integrity(&main)?);
    let by_address = serde_json::to_string(shafaf_core::app_views::VIEWS)?;
    Ok(format!(
        r#"<link rel="modulepreload" href="/{glue}" crossorigin="anonymous" integrity="{glue_sri}">
    <link rel="modulepreload" href="/{loader}" crossorigin="anonymous" integrity="{loader_sri}">
    <link rel="preload" href="/{main}" crossorigin="anonymous" integrity="{main_sri}" as="fetch" type="application/wasm" id="shafaf-main">
    <script>
      (() => {{
        const main = document.getElementById("shafaf-main");
        window.shafafMain = new Promise((arrived) => {{
          main.addEventListener("load", arrived);
          main.addEventListener("error", arrived);
        }});
        const views = {views};
        const byAddress = {by_address};
        const parts = location.pathname.split("/").filter(Boolean);
        // The landing page's own view is in the main module; its map's
        // code comes after the figures, when the app asks for it
        // (`shafafViewCode`).
        const landing = parts.length === 0;
        const view = {VIEW_OF_ADDRESS} ?? (landing ? "{LANDING_MAP}" : undefined);
        // Each of the view's files is fetched once, in one download, the
        // view's pack (`pack`): started here once the main module arrived
        // (a deep link's view) or when the loader asks for one of them
        // first, or when the app asks for the landing page's map. Should the pack fail or not match, each file is fetched by
        // itself.
        const files = views[view] ?? [];
        const chunks = new Map();
        let packed = false;
        const fetchPack = () => {{
          if (packed || files.length === 0) return;
          packed = true;
          const pack = fetch(`/{PACK}${{view}}-{hash}.wasm`)
            .then((response) => (response.ok ? response.arrayBuffer() : Promise.reject(new Error(response.url))))
            .then((buffer) => {{
              const words = new DataView(buffer);
              const count = buffer.byteLength >= 4 ? words.getUint32(0, true) : -1;
              if (count !== files.length || buffer.byteLength < 4 * (count + 1)) throw new Error("pack");
              let start = 4 * (count + 1);
              const spans = new Map();
              files.forEach((file, i) => {{
                const end = start + words.getUint32(4 * (i + 1), true);
                spans.set(file, [start, end]);
                start = end;
              }});
              if (start !== buffer.byteLength) throw new Error("pack");
              return {{ buffer, spans }};
            }});
          pack.catch(() => {{}});
          for (const file of files) {{
            if (chunks.has("/" + file)) continue;
            const wasm = ({{ buffer, spans }}) =>
              new Response(buffer.slice(...spans.get(file)), {{ headers: {{ "content-type": "application/wasm" }} }});
            chunks.set("/" + file, pack.then(wasm, () => fetch("/" + file)));
          }}
        }};
        // The landing page's map starts its pack when the reader nears it
        // (before its loader asks for its first file): some of its files are
        // shared with parts the page loads without the map.
        window.shafafViewCode = fetchPack;
        window.shafafChunk = (url) => {{
          const path = new URL(url, location.href).pathname;
          // A deep link's view asked before its pack was started.
          if (!landing && files.includes(path.slice(1))) fetchPack();
          const early = chunks.get(path);
          chunks.set(path, null);
          return early ?? fetch(url);
        }};
        window.shafafMain.then(() => landing || fetchPack());
      }})();
    </script>
    <script type="module">
import init from '/{glue}';
await init({{ module_or_path: '/{main}' }});
</script>"#
    ))
}

/// A view's files, in the order `views.json` lists them, as one download:
/// their count and each one's size (32-bit little-endian numbers), then the
/// files one after another. index.html's script fetches a deep link's view
/// this way, one request instead of some twenty: over HTTP/1.1 a browser
/// opens six connections to a site, and on a phone's line (150 ms a
/// request) the view's code queued in front of its province's files. The
/// views' chunks stay as they are for the views a reader opens later (most
/// of their code is there already). Named `.wasm` like the chunks it holds,
/// so that hosts compress and cache it as they do them.
fn pack(files: &[Vec<u8>]) -> Result<Vec<u8>> {
    let size = |n: usize| u32::try_from(n).context("a view's file is larger than 4 GiB");
    let mut pack = size(files.len())?.to_le_bytes().to_vec();
    for file in files {
        pack.extend(size(file.len())?.to_le_bytes());
    }
    for file in files {
        pack.extend(file);
    }
    Ok(pack)
}

/// Whether a file of `dist/` is a view's files in one download ([`pack`]).
pub fn is_pack(name: &str) -> bool {
    name.starts_with(PACK) && name.ends_with(".wasm")
}

/// Whether a file of `dist/` is one of the views' chunks (named
/// `chunk_<n>-<hash>.wasm` or `split_<view>-<hash>.wasm` by [`split`]).
pub fn is_chunk(name: &str) -> bool {
    name.ends_with(".wasm") && (name.starts_with("chunk_") || name.starts_with("split_"))
}

/// `name` with the set's hash before its extension (`_bg.wasm` for the main
/// module), as the servers' pattern for files kept forever expects.
fn hashed(name: &str, hash: &str) -> String {
    if let Some(stem) = name.strip_suffix("_bg.wasm") {
        return format!("{stem}-{hash}_bg.wasm");
    }
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}-{hash}.{extension}"),
        None => format!("{name}-{hash}"),
    }
}

/// `text` with every `from` replaced, which must occur.
fn replace_all(text: &str, from: &str, to: &str) -> Result<String> {
    if !text.contains(from) {
        bail!("the split app's JavaScript no longer refers to {from}");
    }
    Ok(text.replace(from, to))
}

/// wasm-opt, quietly: it warns of every chunk's name section, which it
/// does not know and leaves out.
fn wasm_opt(input: &Path, output: &Path) -> Result<()> {
    exec::run_quietly(command("wasm-opt").args(WASM_OPT).arg(input).arg("-o").arg(output))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_piece_is_named_as_the_servers_keep_forever() {
        let hash = "0123456789abcdef";
        let names = [GLUE, MAIN, LOADER, "chunk_3.wasm"].map(|name| hashed(name, hash));
        assert_eq!(
            names,
            [
                "shafaf-app-0123456789abcdef.js",
                "shafaf-app-0123456789abcdef_bg.wasm",
                "shafaf-split-0123456789abcdef.js",
                "chunk_3-0123456789abcdef.wasm"
            ]
        );
        for name in &names {
            assert!(crate::serve::looks_hashed(name), "{name}");
        }
        assert!(is_chunk(&names[3]) && is_chunk("split___history_view_view_42-0123456789abcdef.wasm"));
        assert!(!is_chunk(&names[1]) && !is_chunk("shafaf-worker_bg.wasm"));
        assert!(is_pack("pack_council-0123456789abcdef.wasm") && !is_chunk("pack_council-0123456789abcdef.wasm"));
        assert!(!is_pack(&names[3]));
    }

    #[test]
    fn the_script_fetches_the_first_view_at_once_with_its_integrity_and_starts_it() {
        let files = std::env::temp_dir().join(format!("shafaf-xtask-split-{}", std::process::id()));
        fs::create_dir_all(&files).unwrap();
        let hash = "0123456789abcdef";
        for name in [GLUE, MAIN, LOADER] {
            fs::write(files.join(hashed(name, hash)), name).unwrap();
        }
        let script = start_script(hash, &files, r#"{"places":["split_places-0123456789abcdef.wasm"]}"#).unwrap();
        let sri = |text: &str| format!("sha384-{}", BASE64.encode(Sha384::digest(text)));
        for (name, kind) in [(GLUE, "modulepreload"), (LOADER, "modulepreload"), (MAIN, "preload")] {
            let link = format!(
                r#"<link rel="{kind}" href="/{}" crossorigin="anonymous" integrity="{}""#,
                hashed(name, hash),
                sri(name)
            );
            assert!(script.contains(&link), "{link}\nnot in\n{script}");
        }
        assert!(script.contains("await init({ module_or_path: '/shafaf-app-0123456789abcdef_bg.wasm' });"));
        assert!(script.contains(r#"const views = {"places":["split_places-0123456789abcdef.wasm"]};"#));
        assert!(script.contains("fetch(`/pack_${view}-0123456789abcdef.wasm`)"), "{script}");
        assert_eq!(crate::headers::inline_scripts(&script).len(), 2);
        assert!(start_script("fedcba9876543210", &files, "{}").is_err(), "a file that is not there has no integrity");
        fs::remove_dir_all(&files).unwrap();
    }

    #[test]
    fn a_pack_is_its_files_sizes_then_the_files_in_order() {
        let pack = pack(&[b"\0asm one".to_vec(), Vec::new(), b"three".to_vec()]).unwrap();
        let mut expected = vec![3, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0];
        expected.extend(b"\0asm onethree");
        assert_eq!(pack, expected);
    }

    #[test]
    fn the_script_replaces_the_link_trunk_skipped() {
        let html = r#"<head>
    <link data-trunk rel="rust" href="Cargo.toml" data-type="main" data-trunk-skip data-trunk-id="3" />
    <link rel="stylesheet" href="/main-0123456789abcdef.css"/>
</head>"#;
        let out = with_script(html, "<script>start()</script>").unwrap();
        assert_eq!(
            out,
            r#"<head>
    <script>start()</script>
    <link rel="stylesheet" href="/main-0123456789abcdef.css"/>
</head>"#
        );
        assert!(with_script("<head></head>", "<script></script>").is_err());
        let built = html.replace(" data-trunk-skip", "");
        assert!(with_script(&built, "<script></script>").is_err(), "Trunk built the app: its script is there already");
    }

    #[test]
    fn a_reference_that_went_missing_is_an_error() {
        assert_eq!(replace_all(r#"import "./a.js""#, r#""./a.js""#, r#""./a-1.js""#).unwrap(), r#"import "./a-1.js""#);
        assert!(replace_all("import nothing", r#""./a.js""#, r#""./a-1.js""#).is_err());
    }
}
