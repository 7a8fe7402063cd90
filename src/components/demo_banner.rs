//! The banner every view of a demo election carries.

use leptos::prelude::*;

use crate::i18n::{use_lang, Msg};

#[component]
pub fn DemoBanner() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="demo-banner" role="note" data-testid="demo-banner">
            <span class="demo-icon" aria-hidden="true">"⚠"</span>
            " "
            {move || lang.get().t(Msg::DemoBanner)}
        </div>
    }
}
