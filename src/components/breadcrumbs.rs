//! Where a view sits: country › province › county › council.

use leptos::prelude::*;
use shafaf_core::model::Name;

use crate::i18n::{tr, use_lang, Msg};
use crate::load::Links;
use crate::state::{Place, Places};

/// One step of the trail: a place's name, linked unless it is the current view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crumb {
    pub name: Name,
    pub href: Option<String>,
}

/// The trail down to `place` (itself included, as the current view); the
/// country alone for the overview.
pub fn trail(places: &Places, links: &Links, place: Option<Place>) -> Vec<Crumb> {
    let link = |place: Place| Crumb { name: places.name(place), href: Some(links.href(&places.path(place))) };
    let mut crumbs = vec![Crumb { name: places.country().clone(), href: Some(links.href("/")) }];
    match place {
        None => {}
        Some(Place::Province(p)) => crumbs.push(link(Place::Province(p))),
        Some(Place::County(p, k)) => crumbs.extend([link(Place::Province(p)), link(Place::County(p, k))]),
        Some(Place::Contest(p, c)) => {
            crumbs.push(link(Place::Province(p)));
            if let Some(k) = places.contest(p, c).and_then(|outcome| places.county_of(p, outcome)) {
                crumbs.push(link(Place::County(p, k)));
            }
            crumbs.push(link(Place::Contest(p, c)));
        }
    }
    if let Some(last) = crumbs.last_mut() {
        last.href = None;
    }
    crumbs
}

#[component]
pub fn Breadcrumbs(trail: Vec<Crumb>) -> impl IntoView {
    let lang = use_lang();
    let items = trail
        .into_iter()
        .map(|Crumb { name, href }| {
            let text = move || lang.get().name(&name);
            match href {
                Some(href) => view! { <li><a href=href>{text}</a></li> }.into_any(),
                None => view! { <li><span aria-current="page">{text}</span></li> }.into_any(),
            }
        })
        .collect_view();
    view! {
        <nav class="breadcrumbs" data-testid="breadcrumbs" aria-label=tr(Msg::Breadcrumbs)>
            <ol>{items}</ol>
        </nav>
    }
}
