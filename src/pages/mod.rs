//! One module per page. Pages take verified data only: [`verified`] gives
//! them the election, or shows why there is none.

pub mod contest;
pub mod county;
pub mod find;
pub mod history;
pub mod home;
pub mod not_found;
pub mod province;
pub mod sheet;
pub mod source;
pub mod summary;
pub mod verify;

use std::sync::Arc;

use leptos::prelude::*;

pub use contest::ContestPage;
pub use county::CountyPage;
pub use find::FindPage;
pub use history::HistoryPage;
pub use home::HomePage;
pub use not_found::{NotFoundPage, ViewUnavailable};
pub use province::ProvincePage;
pub use sheet::SheetPage;
pub use source::SourcePage;
pub use verify::VerifyPage;

use crate::components::{FindingsList, LoadErrorList};
use crate::i18n::{text, tr, use_lang, Lang, Msg};
use crate::load::Links;
use crate::state::{Loaded, Places, Release};

/// Renders a page of the release shown, or, when the publication did not
/// verify, what went wrong (never any figure). The page decides which parts
/// follow the release as it verifies further ([`follow`]).
pub fn verified(render: impl FnOnce(Release) -> AnyView) -> AnyView {
    match expect_context::<Loaded>() {
        Loaded::Ready(release) => render(release),
        Loaded::Rejected(failure) => {
            set_title(|lang| lang.t(Msg::Failed).to_owned());
            view! {
                <FindingsList findings=failure.findings.clone()/>
                <SeeVerification/>
            }
            .into_any()
        }
        Loaded::Unavailable(error) => {
            set_title(|lang| lang.t(Msg::Failed).to_owned());
            view! {
                <LoadErrorList error/>
                <SeeVerification/>
            }
            .into_any()
        }
    }
}

/// Draws `view` from the latest snapshot, again whenever `key` of it
/// changes (and only then): a part of a page that follows the audit.
pub fn follow<K: PartialEq + Clone + Send + Sync + 'static>(
    release: Release,
    key: impl Fn(&Places) -> K + Send + Sync + 'static,
    view: impl Fn(Arc<Places>) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let key = Memo::new(move |_| release.places.with(|p| key(p)));
    move || {
        // Reading the memo (not only tracking it) makes it compute, and follow the snapshot.
        key.with(|_| ());
        view(release.places.get_untracked())
    }
}

/// A view of province `p` was opened: fetch its councils (and, for a view
/// with its map, its counties' boundaries), audit it next.
pub fn open_province(release: Release, p: usize, map: bool) {
    let config = use_context::<crate::state::ConfigSignal>().and_then(|c| c.get_untracked());
    crate::load::open_province(config, release, p, map);
}

/// In place of a province's councils while they are on their way; if they
/// could not be downloaded (the network, the server), says so, with the
/// address, and offers to try again (`map`: as [`open_province`]).
#[component]
pub fn ProvinceLoading(release: Release, p: usize, map: bool, testid: &'static str) -> impl IntoView {
    let code = release.places.with_untracked(|places| places.province(p).code.to_string());
    let failed = Memo::new(move |_| {
        release.unreachable.with(|u| u.iter().find(|(c, _)| *c == code).map(|(_, error)| error.clone()))
    });
    let config = use_context::<crate::state::ConfigSignal>().and_then(|c| c.get_untracked());
    move || match failed.get() {
        None => view! { <p class="loading-note" aria-busy="true" data-testid=testid>{tr(Msg::ProvinceLoading)}</p> }
            .into_any(),
        Some(error) => {
            let url = error.url().to_owned();
            let config = config.clone();
            let again = move |_| crate::load::open_province(config.clone(), release, p, map);
            view! {
                <div class="province-unreachable" role="alert" data-testid="province-unreachable">
                    <p>{tr(Msg::ProvinceUnreachable)}</p>
                    <p data-file=url>{text(move |lang| lang.load_error(&error))}</p>
                    <p>
                        <button type="button" data-testid="province-retry" on:click=again>
                            {tr(Msg::TryAgain)}
                        </button>
                    </p>
                </div>
            }
            .into_any()
        }
    }
}

/// A view of a province whose files failed: its figures are withdrawn, and why.
#[component]
pub fn Withdrawn(findings: Arc<Vec<shafaf_core::Finding>>) -> impl IntoView {
    view! {
        <p class="withdrawn" role="alert" data-testid="withdrawn">{tr(Msg::Withdrawn)}</p>
        <FindingsList findings=findings.to_vec()/>
        <SeeVerification/>
    }
}

#[component]
fn SeeVerification() -> impl IntoView {
    let links = expect_context::<Links>();
    view! {
        <p class="see-verification">
            <a href=links.href("/verify")>{tr(Msg::WhatWasChecked)}</a>
            " · "
            <a href=links.href("/source")>{tr(Msg::NavSource)}</a>
        </p>
    }
}

/// Keeps the document's title on the view's name, in the current language.
pub fn set_title(title: impl Fn(Lang) -> String + Send + Sync + 'static) {
    let lang = use_lang();
    Effect::new(move |_| {
        let lang = lang.get();
        let app = lang.t(Msg::AppName);
        let page = title(lang);
        let full = if page.is_empty() || page == app { app.to_owned() } else { format!("{page} — {app}") };
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&full);
        }
    });
}
