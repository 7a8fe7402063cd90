//! The banner every view of a demo election carries.

use leptos::prelude::*;

use crate::i18n::{tr, Msg};

#[component]
pub fn DemoBanner() -> impl IntoView {
    view! {
        <div class="demo-banner" role="note" data-testid="demo-banner">
            <span class="demo-icon" aria-hidden="true">"⚠"</span>
            " "
            {tr(Msg::DemoBanner)}
        </div>
    }
}
