//! Search results (`/find?q=`): every council, county and province whose
//! name matches, best matches first, each with where it is so that villages
//! of the same name can be told apart. The list follows the box as you type;
//! Enter opens the only match, or puts the query in the address to share.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::components::search_target;
use crate::i18n::{text, tr, use_lang, Msg};
use crate::load::{encode, Links};
use crate::pages::{follow, set_title, verified};
use crate::state::{Place, Places};

/// More hits than this are not listed: the reader types more of the name.
const LISTED: usize = 100;

#[component]
pub fn FindPage() -> impl IntoView {
    // Councils of provinces the audit has not reached yet are found once it has.
    verified(|release| {
        follow(release, |p| p.province_count_loaded(), move |places| view! { <Find places/> }.into_any()).into_any()
    })
}

#[component]
fn Find(places: Arc<Places>) -> impl IntoView {
    let lang = use_lang();
    let links = expect_context::<Links>();
    let query = use_query_map();
    let navigate = use_navigate();
    let from_address = move || query.with(|q| q.get("q")).unwrap_or_default();
    let typed = RwSignal::new(from_address());
    // Back and forward change the address: the box follows it.
    Effect::new(move |previous: Option<String>| {
        let q = from_address();
        if previous.is_some() {
            typed.set(q.clone());
        }
        q
    });
    set_title(move |lang| lang.t(Msg::SearchResults).to_owned());

    let hits = Memo::new({
        let places = places.clone();
        move |_| places.search(&typed.get()).into_iter().map(|hit| hit.item).copied().collect::<Vec<Place>>()
    });
    let submit = {
        let (places, links) = (places.clone(), links.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let q = typed.get_untracked();
            let target = search_target(&places, &links, &q);
            let here = links.href(&format!("/find?q={}", encode(q.trim())));
            // The address keeps the query (shareable), or moves to the only match.
            let replace = target == here;
            navigate(&target, NavigateOptions { replace, ..Default::default() });
        }
    };
    let count = move || {
        let q = typed.get();
        if q.trim().is_empty() {
            lang.get().t(Msg::SearchHint).to_owned()
        } else {
            lang.get().hits_found(hits.with(Vec::len), &q)
        }
    };
    let list = {
        let (places, links) = (places.clone(), links.clone());
        move || {
            let hits = hits.get();
            let more = hits.len().saturating_sub(LISTED);
            let items = hits
                .into_iter()
                .take(LISTED)
                .map(|place| view! { <HitItem places=places.clone() href=links.href(&places.path(place)) place/> })
                .collect_view();
            view! {
                <ol class="hits" data-testid="hits">{items}</ol>
                {(more > 0).then(|| view! { <p>{text(move |lang| lang.more_hits(more))}</p> })}
            }
        }
    };
    view! {
        <h1 class="page-title">{tr(Msg::SearchResults)}</h1>
        <form class="search search-large" role="search" on:submit=submit>
            <label for="find-input" class="search-label">{tr(Msg::SearchLabel)}</label>
            <div class="search-row">
                <input
                    id="find-input"
                    type="search"
                    name="q"
                    autocomplete="off"
                    data-testid="find-input"
                    prop:value=move || typed.get()
                    on:input:target=move |ev| typed.set(ev.target().value())
                />
                <button type="submit">{tr(Msg::SearchButton)}</button>
            </div>
        </form>
        <p class="hit-count" role="status" data-testid="hit-count" data-count=move || hits.with(Vec::len).to_string()>
            {count}
        </p>
        {list}
    }
}

/// One match: its name, what it is, and where.
#[component]
fn HitItem(places: Arc<Places>, href: String, place: Place) -> impl IntoView {
    let lang = use_lang();
    let name = places.name(place);
    // What it is and where, e.g. "village council · Khorramabad County · Lorestan Province".
    let (kind, county, province) = match place {
        Place::Contest(p, c) => {
            let outcome = places.contest(p, c);
            let county = outcome.and_then(|o| places.county_of(p, o)).map(|k| places.county(p, k).name.clone());
            (outcome.map(|o| o.contest.kind), county, Some(places.province(p).name.clone()))
        }
        Place::County(p, _) => (None, None, Some(places.province(p).name.clone())),
        Place::Province(_) => (None, None, None),
    };
    let what = match place {
        Place::Contest(..) => None,
        Place::County(..) => Some(Msg::County),
        Place::Province(..) => Some(Msg::Province),
    };
    let context = move || {
        let lang = lang.get();
        let mut parts = Vec::new();
        if let Some(kind) = kind {
            parts.push(lang.council_kind(kind).to_owned());
        }
        if let Some(what) = what {
            parts.push(lang.t(what).to_owned());
        }
        if let Some(county) = &county {
            parts.push(lang.county_title(county));
        }
        if let Some(province) = &province {
            parts.push(lang.province_title(province));
        }
        parts.join(lang.t(Msg::ListSeparator))
    };
    let testid = match place {
        Place::Contest(..) => "hit-contest",
        Place::County(..) => "hit-county",
        Place::Province(..) => "hit-province",
    };
    view! {
        <li data-testid=testid>
            <a href=href>{text(move |lang| lang.name(&name))}</a>
            <span class="hit-context">{context}</span>
        </li>
    }
}
