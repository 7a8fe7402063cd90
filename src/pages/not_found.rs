//! An address the app has no view for, or a place the publication does not have.

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
