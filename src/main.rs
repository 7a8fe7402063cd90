//! Shafaf's web app: fetches a signed election publication, verifies it in
//! the browser with `shafaf-core`, and shows only what verified.

// Findings are the core's error type and larger than clippy likes; see shafaf-core.
#![allow(clippy::result_large_err)]

mod app;
mod audit;
mod charts;
mod components;
mod csv;
mod i18n;
mod live;
mod load;
mod map;
mod pages;
mod state;

fn main() {
    console_error_panic_hook::set_once();
    // Leptos starts its executor when it mounts: until then, wasm-bindgen's.
    // The code of the view the address names comes while the rest loads.
    wasm_bindgen_futures::spawn_local(app::preload_view_in_address());
    // The configuration first (one small file): whether this is a demo
    // decides the header's banner, which would push the page down if it
    // appeared after the first paint.
    wasm_bindgen_futures::spawn_local(async {
        let config = load::config().await;
        // The app's first draw in a task of its own, not in the one that
        // started the module (which compiled and ran its start).
        load::sleep(0).await;
        shell_painted().await;
        remove_shell();
        leptos::mount::mount_to_body(move || leptos::prelude::view! { <app::App config/> });
    });
}

/// Waits (a few frames at most) until index.html's placeholder was painted:
/// where the app arrives before the page's first frame (a fast line), the
/// reader would see nothing, then the app; and the browser would take the
/// app's title for the page's largest paint instead of the placeholder's
/// explanation, painted at once. On a slow line it painted long before.
async fn shell_painted() {
    let painted = || {
        let Some(window) = web_sys::window() else { return true };
        // A hidden page paints nothing until shown.
        window.document().is_none_or(|d| d.hidden())
            || window.performance().is_some_and(|p| p.get_entries_by_name("first-contentful-paint").length() > 0)
    };
    for _ in 0..3 {
        if painted() {
            return;
        }
        load::after_next_paint(50).await;
    }
}

/// Removes index.html's placeholder (the name and "loading the app"), in the
/// task that draws the app in its place.
fn remove_shell() {
    if let Some(shell) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("shell")) {
        shell.remove();
    }
}
