//! One module per page. Pages take verified data only: [`verified`] gives
//! them the election, or shows why there is none.

pub mod contest;
pub mod county;
pub mod find;
pub mod history;
pub mod home;
pub mod not_found;
pub mod province;
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
pub use not_found::NotFoundPage;
pub use province::ProvincePage;
pub use source::SourcePage;
pub use verify::VerifyPage;

use crate::app::Loaded;
use crate::components::{FindingsList, LoadErrorList};
use crate::i18n::{tr, use_lang, Lang, Msg};
use crate::load::Links;
use crate::places::Places;

/// Renders a page of the verified election, or, when the publication did not
/// verify, what went wrong (never any figure).
pub fn verified(render: impl FnOnce(Arc<Places>) -> AnyView) -> AnyView {
    match expect_context::<Loaded>() {
        Loaded::Verified(places) => render(places),
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
