//! The search box: a form with a labelled input. Enter opens the place when
//! exactly one matches, and otherwise the list of matches (`/find?q=`).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::i18n::{tr, Msg};
use crate::load::{encode, Links};
use crate::state::{Places, PlacesSignal};

/// Where a search for `query` leads: the place itself when it is the only
/// match, else the list of matches.
pub fn search_target(places: &Places, links: &Links, query: &str) -> String {
    let hits = places.search(query);
    match hits.as_slice() {
        [only] => links.href(&places.path(*only.item)),
        _ => links.href(&format!("/find?q={}", encode(query.trim()))),
    }
}

#[component]
pub fn SearchBox(
    /// The input's id (the page has two boxes: header and home).
    id: &'static str,
    /// The home page's large box, with a visible label and a hint.
    large: bool,
) -> impl IntoView {
    let links = expect_context::<Links>();
    let places = expect_context::<PlacesSignal>();
    let navigate = use_navigate();
    let (text, set_text) = signal(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let query = text.get_untracked();
        if query.trim().is_empty() {
            return;
        }
        if let Some(places) = places.get_untracked() {
            navigate(&search_target(&places, &links, &query), NavigateOptions::default());
        }
    };
    let hint_id = format!("{id}-hint");
    view! {
        <form
            class=if large { "search search-large" } else { "search" }
            role="search"
            // Two searches on the home page: each landmark gets its own name.
            aria-label=if large { tr(Msg::FindHeading) } else { tr(Msg::SearchLabel) }
            on:submit=submit
        >
            <label for=id class=if large { "search-label" } else { "visually-hidden" }>
                {tr(Msg::SearchLabel)}
            </label>
            <div class="search-row">
                <input
                    id=id
                    type="search"
                    name="q"
                    autocomplete="off"
                    data-testid=id
                    aria-describedby=large.then(|| hint_id.clone())
                    placeholder=tr(Msg::SearchPlaceholder)
                    prop:value=move || text.get()
                    on:input:target=move |ev| set_text.set(ev.target().value())
                />
                <button type="submit">{tr(Msg::SearchButton)}</button>
            </div>
            {large.then(|| view! { <p class="search-hint" id=hint_id.clone()>{tr(Msg::SearchHint)}</p> })}
        </form>
    }
}
