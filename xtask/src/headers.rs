//! The security headers the app is served with: a Content-Security-Policy
//! with no `unsafe-inline` and no `unsafe-eval`, in which Trunk's inline
//! loader script is allowed by its hash, and WebAssembly by
//! `wasm-unsafe-eval` (the one thing it needs).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The policy for the app whose built `index.html` is `index_html`: the
/// page, its workers, its styles, fonts and the publications it fetches all
/// come from its own origin.
pub fn content_security_policy(index_html: &str) -> String {
    content_security_policy_with(index_html, None)
}

/// [`content_security_policy`], allowing the app to fetch a publication
/// from `publication_origin` too (`https://results.example`).
pub fn content_security_policy_with(index_html: &str, publication_origin: Option<&str>) -> String {
    let connect = match publication_origin {
        Some(origin) => format!("connect-src 'self' {origin}"),
        None => "connect-src 'self'".to_owned(),
    };
    let scripts: String = inline_scripts(index_html)
        .iter()
        .map(|body| format!(" 'sha256-{}'", BASE64.encode(Sha256::digest(body))))
        .collect();
    [
        "default-src 'none'".to_owned(),
        format!("script-src 'self' 'wasm-unsafe-eval'{scripts}"),
        "worker-src 'self'".into(),
        connect,
        "style-src 'self'".into(),
        "font-src 'self'".into(),
        "img-src 'self' data: blob:".into(),
        "manifest-src 'self'".into(),
        "base-uri 'none'".into(),
        "form-action 'none'".into(),
        "frame-ancestors 'none'".into(),
    ]
    .join("; ")
}

/// Cache-Control for a file that never changes under its name (a content
/// hash in it): kept for a year, never asked again.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache-Control for the rest: asked again (revalidated) at every use.
pub const REVALIDATE: &str = "no-cache";

/// Every header the app and its publications are served with, besides the
/// type, caching and encoding of each file (the same in `cargo xtask serve`
/// and in the header files of `cargo xtask dist`).
pub fn security_headers(csp: &str) -> [(&'static str, String); 4] {
    [
        ("Content-Security-Policy", csp.to_owned()),
        ("X-Content-Type-Options", "nosniff".into()),
        ("Referrer-Policy", "no-referrer".into()),
        ("Cross-Origin-Opener-Policy", "same-origin".into()),
    ]
}

/// The `Link` header of the page itself (index.html, at every app address):
/// the preloads the built index.html names (the app's main wasm and its two
/// scripts), so that a browser starts them with the page's response, before
/// it has committed and parsed the page (on a phone, a few hundred
/// milliseconds in which the line would stay idle). Each is the same request
/// as the element's (same address, `crossorigin`, `as`), so the element
/// takes the response the header started. None when the page names none.
pub fn preload_links(index_html: &str) -> Option<String> {
    let links: Vec<String> = elements(index_html, "<link")
        .filter_map(|tag| {
            let rel = attribute(tag, "rel")?;
            let href = attribute(tag, "href")?;
            let mut link = match rel {
                "modulepreload" => format!("<{href}>; rel=modulepreload"),
                "preload" => format!("<{href}>; rel=preload; as={}", attribute(tag, "as")?),
                _ => return None,
            };
            if let Some(kind) = attribute(tag, "type") {
                link.push_str(&format!("; type=\"{kind}\""));
            }
            if let Some(mode) = attribute(tag, "crossorigin") {
                link.push_str(&format!("; crossorigin={}", if mode.is_empty() { "anonymous" } else { mode }));
            }
            Some(link)
        })
        .collect();
    (!links.is_empty()).then(|| links.join(", "))
}

/// The opening tags that start with `open` (`<link`), up to their `>`.
fn elements<'a>(html: &'a str, open: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    html.match_indices(open).filter_map(move |(at, _)| {
        let tag = &html[at..];
        tag[open.len()..].starts_with([' ', '\n', '\t']).then_some(())?;
        tag.find('>').map(|end| &tag[..end])
    })
}

/// A double-quoted attribute's value in an opening tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[start..].find('"').map(|end| &tag[start..start + end])
}

/// The bodies of the `<script>` elements without a `src`, byte for byte as
/// the browser hashes them.
pub(crate) fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let tag = &rest[start..];
        let Some(open_end) = tag.find('>') else { break };
        let Some(close) = tag.find("</script>") else { break };
        if !tag[..open_end].contains(" src=") {
            out.push(&tag[open_end + 1..close]);
        }
        rest = &tag[close + "</script>".len()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_allowed_by_their_hash_and_nothing_inline_else() {
        let html = "<head><script type=\"module\">\nimport init from '/a.js';\n</script>\
                    <script src=\"/b.js\"></script></head>";
        let policy = content_security_policy(html);
        let hash = BASE64.encode(Sha256::digest("\nimport init from '/a.js';\n"));
        assert!(policy.contains(&format!("script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}';")), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 1);
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"), "{policy}");
    }

    #[test]
    fn the_page_s_preloads_start_with_its_response() {
        let html = "<head><link rel=\"icon\" href=\"/favicon.svg\" />\
                    <link rel=\"modulepreload\" href=\"/app-0123.js\" crossorigin=\"anonymous\" integrity=\"sha384-x\">\
                    <link rel=\"preload\" href=\"/app-0123_bg.wasm\" crossorigin=\"anonymous\" as=\"fetch\" \
                    type=\"application/wasm\" id=\"main\">\
                    <link rel=\"stylesheet\" href=\"/main.css\"/><linkage></head>";
        assert_eq!(
            preload_links(html).as_deref(),
            Some(
                "</app-0123.js>; rel=modulepreload; crossorigin=anonymous, \
                 </app-0123_bg.wasm>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin=anonymous"
            )
        );
        assert_eq!(preload_links("<head><link rel=\"stylesheet\" href=\"/main.css\"></head>"), None);
    }
}
