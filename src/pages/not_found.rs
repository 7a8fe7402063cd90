//! An address the app has no view for, a place the publication does not
//! have, or a view whose code did not arrive.

use leptos::prelude::*;

use crate::i18n::{tr, Msg};
use crate::load::Links;
use crate::pages::set_title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <NotFound what=Msg::PageNotFound/> }
}

/// "Not found", with a way home. `what` says what was not found.
#[component]
pub fn NotFound(what: Msg) -> impl IntoView {
    let links = expect_context::<Links>();
    set_title(move |lang| lang.t(what).to_owned());
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>{tr(what)}</h1>
            <p>
                <a href=links.href("/")>{tr(Msg::BackToOverview)}</a>
            </p>
        </section>
    }
}

/// In place of a view whose code (a chunk of the app's wasm) could not be
/// downloaded: says so, and offers to load the page again. The rest of the
/// app, and what it already showed, stay as they were.
#[component]
pub fn ViewUnavailable() -> impl IntoView {
    let links = expect_context::<Links>();
    set_title(move |lang| lang.t(Msg::ViewUnavailable).to_owned());
    let reload = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! {
        <section class="not-found" data-testid="view-unavailable" role="alert">
            <h1>{tr(Msg::ViewUnavailable)}</h1>
            <p>{tr(Msg::ViewUnavailableExplained)}</p>
            <p>
                <button type="button" data-testid="view-retry" on:click=reload>
                    {tr(Msg::TryAgain)}
                </button>
                " "
                <a href=links.href("/")>{tr(Msg::BackToOverview)}</a>
            </p>
        </section>
    }
}
