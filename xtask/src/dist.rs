//! `cargo xtask dist --out DIR`: the app as one folder of static files that
//! any host serves, with its `config.json` and the header files that nginx,
//! Caddy, Netlify and Cloudflare Pages read, carrying the same headers as
//! `cargo xtask serve` (see [`crate::headers`] and docs/DEPLOY.md).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;

use crate::headers::{self, IMMUTABLE, REVALIDATE};
use crate::paths::Paths;
use crate::serve::looks_hashed;
use crate::site;
use crate::tools;

#[derive(Args)]
pub struct DistArgs {
    /// The folder to write; must be empty, absent, or an earlier dist.
    #[arg(long)]
    out: PathBuf,
    /// The publication the app shows: a path on the app's own site
    /// (`publication/`) or an address on another (`https://results.example/e1/`).
    #[arg(long, default_value = "publication/")]
    publication: String,
    /// The SHA-256 of the publication's root.json that the app pins (64 hex
    /// digits). Left out, config.json holds a placeholder the app refuses.
    #[arg(long)]
    root_sha256: Option<String>,
}

/// What `config.json` holds until the deployer pins a root.
const PLACEHOLDER: &str = "REPLACE-WITH-THE-SHA-256-OF-THE-PUBLICATION-ROOT.JSON";

pub fn run(paths: &Paths, args: &DistArgs) -> Result<()> {
    if let Some(pin) = &args.root_sha256 {
        if pin.len() != 64 || !pin.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            bail!("--root-sha256 must be 64 lowercase hex digits (sha256sum root.json), not `{pin}`");
        }
    }
    let origin = publication_origin(&args.publication)?;
    tools::ensure_for_app(paths)?;
    site::build_app(paths)?;
    prepare_out(&args.out)?;
    let dist = paths.dist();
    let files = copy_tree(&dist, &args.out)?;
    let config = serde_json::json!({
        "publication": args.publication,
        "root_sha256": args.root_sha256.as_deref().unwrap_or(PLACEHOLDER),
        "demo": false,
    });
    fs::write(args.out.join("config.json"), format!("{config:#}\n"))?;
    let index = fs::read_to_string(dist.join("index.html")).context("reading the built index.html")?;
    let csp = headers::content_security_policy_with(&index, origin.as_deref());
    let hashed: Vec<&str> = files.iter().map(String::as_str).filter(|f| looks_hashed(file_name(f))).collect();
    let preload = headers::preload_links(&index);
    let preload = preload.as_deref();
    fs::write(args.out.join("_headers"), netlify_headers(&csp, &hashed, preload))?;
    fs::write(args.out.join("_redirects"), "/* /index.html 200\n")?;
    fs::write(args.out.join("nginx.conf"), nginx_conf(&csp, preload))?;
    fs::write(args.out.join("Caddyfile"), caddyfile(&csp, preload))?;
    println!("The app is in {} ({} files); docs/DEPLOY.md says how to host it.", args.out.display(), files.len());
    if args.root_sha256.is_none() {
        println!("    config.json pins no root yet: put the SHA-256 of the publication's root.json in it.");
    }
    Ok(())
}

/// The origin of a publication on another site, for connect-src; `None` for
/// a path on the app's own.
fn publication_origin(publication: &str) -> Result<Option<String>> {
    let Some((scheme, rest)) = publication.split_once("://") else {
        if publication.starts_with("//") {
            bail!("--publication `{publication}`: give the scheme (https://…)");
        }
        return Ok(None);
    };
    if scheme != "https" && scheme != "http" {
        bail!("--publication `{publication}`: only https:// (or http://) addresses can be fetched");
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() {
        bail!("--publication `{publication}` names no host");
    }
    Ok(Some(format!("{scheme}://{host}")))
}

fn prepare_out(out: &Path) -> Result<()> {
    if out.exists() {
        let empty = fs::read_dir(out)?.next().is_none();
        if !empty && !out.join("_headers").is_file() {
            bail!("{} is not empty and holds no earlier dist: refusing to write into it", out.display());
        }
        fs::remove_dir_all(out).with_context(|| format!("clearing {}", out.display()))?;
    }
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))
}

/// Copies every file under `from` into `to`; returns their paths relative to
/// `to`, with `/`, sorted.
fn copy_tree(from: &Path, to: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let mut entries: Vec<_> = fs::read_dir(from.join(&rel))?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let rel = rel.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                fs::create_dir_all(to.join(&rel))?;
                stack.push(rel);
            } else {
                fs::copy(entry.path(), to.join(&rel)).with_context(|| format!("copying {}", rel.display()))?;
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Netlify's and Cloudflare Pages' `_headers`: the security headers on
/// every path; each content-hashed file kept for a year; the rest
/// (index.html, config.json, the worker) revalidated; the page's preloads
/// ([`headers::preload_links`]) on the page, at each of the app's addresses.
fn netlify_headers(csp: &str, hashed: &[&str], preload: Option<&str>) -> String {
    let mut out = String::from("/*\n");
    for (name, value) in headers::security_headers(csp) {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    // Both hosts join the values of every rule that matches, so the
    // revalidating rule names only what is not hashed.
    for path in ["/", "/index.html", "/config.json", "/robots.txt", "/favicon.svg", "/fonts/OFL.txt", "/shafaf-worker*"]
    {
        out.push_str(&format!("{path}\n  Cache-Control: {REVALIDATE}\n"));
    }
    for file in hashed {
        out.push_str(&format!("/{file}\n  Cache-Control: {IMMUTABLE}\n"));
    }
    if let Some(links) = preload {
        for path in page_paths() {
            out.push_str(&format!("{path}\n  Link: {links}\n"));
        }
    }
    out
}

/// The addresses `_redirects` answers with index.html that a reader opens
/// first: the landing page, and each view's (`shafaf_core::app_views`).
fn page_paths() -> Vec<String> {
    let mut paths = vec!["/".to_owned(), "/index.html".to_owned()];
    for (pattern, _) in shafaf_core::app_views::VIEWS {
        for path in [format!("/{}", pattern[0]), format!("/{}/*", pattern[0])] {
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
    }
    paths
}

/// Trunk's content-hashed names, and the font's (named the same way by
/// hand, checked by a test), as a regular expression nginx and Caddy read
/// (the same names as [`looks_hashed`]: 8 to 16 hex digits).
const HASHED: &str = r"-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css|woff2)$";

/// An nginx `server` block.
fn nginx_conf(csp: &str, preload: Option<&str>) -> String {
    // nginx drops the server's add_header lines in a location that has its
    // own, so every location repeats them.
    let security: String = headers::security_headers(csp)
        .iter()
        .map(|(name, value)| format!("        add_header {name} \"{value}\" always;\n"))
        .collect();
    // The app's routes come to index.html by `try_files` (an internal
    // redirect), and `/` by `index`: all of them through this location.
    let page = match preload {
        Some(links) => format!(
            "    location = /index.html {{\n{security}        add_header Cache-Control \"{REVALIDATE}\" always;\n        \
             add_header Link '{links}' always;\n    }}\n"
        ),
        None => String::new(),
    };
    format!(
        r#"# Shafaf, as `cargo xtask dist` wrote it: include this server block in
# nginx.conf and set `root` to this folder. See docs/DEPLOY.md.
server {{
    listen 80;
    root /srv/shafaf;
    # A `types` block here replaces the http block's (html, js and css would
    # go out as text/plain), so nginx's own list comes first.
    include mime.types;
    types {{ application/wasm wasm; application/geo+json geojson; application/x-ndjson jsonl; }}
    gzip on;
    gzip_types application/wasm text/css text/javascript application/javascript application/json application/geo+json application/x-ndjson text/plain;

    location ~ "{HASHED}" {{
{security}        add_header Cache-Control "{IMMUTABLE}" always;
    }}
{page}    location / {{
{security}        add_header Cache-Control "{REVALIDATE}" always;
        # The app's own routes (/c/…, /province/…) are index.html.
        try_files $uri $uri/ /index.html;
    }}
}}
"#
    )
}

/// A Caddyfile site block.
fn caddyfile(csp: &str, preload: Option<&str>) -> String {
    let security: String =
        headers::security_headers(csp).iter().map(|(name, value)| format!("        {name} \"{value}\"\n")).collect();
    // Headers are set before `try_files` rewrites the path: the page is
    // index.html and every path without a dot (the app's routes).
    let page = match preload {
        Some(links) => format!("    @page path_regexp \"^(/index\\.html|/[^.]*)$\"\n    header @page Link `{links}`\n"),
        None => String::new(),
    };
    format!(
        r#"# Shafaf, as `cargo xtask dist` wrote it: `caddy run` in this folder,
# after putting the site's address in place of :8080. See docs/DEPLOY.md.
:8080 {{
    root * .
    encode zstd gzip
    header {{
{security}        Cache-Control "{REVALIDATE}"
    }}
    @hashed path_regexp "{HASHED}"
    header @hashed Cache-Control "{IMMUTABLE}"
{page}    try_files {{path}} /index.html
    file_server
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_files_carry_the_policy_and_keep_only_hashed_files_for_a_year() {
        let csp = headers::content_security_policy("<script>x</script>");
        let text = netlify_headers(&csp, &["shafaf-app-0123456789abcdef_bg.wasm"], None);
        assert!(text.starts_with(&format!("/*\n  Content-Security-Policy: {csp}\n")), "{text}");
        assert!(text.contains(&format!("/shafaf-app-0123456789abcdef_bg.wasm\n  Cache-Control: {IMMUTABLE}\n")));
        assert!(text.contains("/config.json\n  Cache-Control: no-cache\n"));
        for conf in [nginx_conf(&csp, None), caddyfile(&csp, None)] {
            assert!(conf.contains(&csp) && conf.contains(IMMUTABLE) && conf.contains("nosniff"), "{conf}");
        }
        assert_eq!(nginx_conf(&csp, None).matches("Content-Security-Policy").count(), 2);
        // Its own types must not hide nginx's (text/html, javascript, css).
        let nginx = nginx_conf(&csp, None);
        let (include, types) = (nginx.find("include mime.types;").unwrap(), nginx.find("types {").unwrap());
        assert!(include < types, "{nginx}");
    }

    #[test]
    fn the_page_names_its_preloads_at_every_address_of_the_app_and_nowhere_else() {
        let csp = headers::content_security_policy("<script>x</script>");
        let links = r#"</a_bg.wasm>; rel=preload; as=fetch; type="application/wasm"; crossorigin=anonymous"#;
        let text = netlify_headers(&csp, &[], Some(links));
        for path in ["/", "/index.html", "/c/*", "/p/*", "/verify"] {
            assert!(text.contains(&format!("\n{path}\n  Link: {links}\n")), "{path}: {text}");
        }
        assert_eq!(text.matches("Link:").count(), page_paths().len());
        let nginx = nginx_conf(&csp, Some(links));
        let page = nginx.find("location = /index.html {").expect("a location for the page");
        let end = page + nginx[page..].find('}').unwrap();
        assert!(nginx[page..end].contains(&format!("add_header Link '{links}' always;")), "{nginx}");
        // The page's location repeats the security headers, as every location must.
        assert!(nginx[page..end].contains("Content-Security-Policy"), "{nginx}");
        assert_eq!(nginx.matches("add_header Link").count(), 1);
        let caddy = caddyfile(&csp, Some(links));
        assert!(caddy.contains(&format!("header @page Link `{links}`")), "{caddy}");
        assert!(!nginx_conf(&csp, None).contains("Link") && !caddyfile(&csp, None).contains("Link"));
    }

    #[test]
    fn the_fonts_are_named_by_their_content_and_kept_for_a_year() {
        // Trunk copies public/fonts as it is: the hash in the font's name is
        // written by hand, and must follow the file if it ever changes.
        let fonts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/fonts");
        let mut checked = 0;
        for entry in fs::read_dir(&fonts).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".woff2") {
                continue;
            }
            let hash = crate::stamp::sha256_hex(&fs::read(&path).unwrap());
            assert!(name.ends_with(&format!("-{}.woff2", &hash[..16])), "{name}: its SHA-256 is {hash}");
            assert!(looks_hashed(&name), "{name}");
            checked += 1;
        }
        assert!(checked > 0, "no font in {}", fonts.display());
    }

    #[test]
    fn a_publication_elsewhere_is_allowed_by_its_origin_only() {
        assert_eq!(publication_origin("publication/").unwrap(), None);
        assert_eq!(
            publication_origin("https://results.example:8443/e1/").unwrap().as_deref(),
            Some("https://results.example:8443")
        );
        assert!(publication_origin("ftp://x/").is_err());
        assert!(publication_origin("//results.example/").is_err());
        let csp = headers::content_security_policy_with("", Some("https://results.example"));
        assert!(csp.contains("connect-src 'self' https://results.example;"), "{csp}");
    }
}
