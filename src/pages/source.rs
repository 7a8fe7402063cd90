//! Which publication the app shows (`/source`): the address and the pinned
//! trust root, where the choice came from, and a form to choose another
//! (remembered in this browser) or go back to the default of `config.json`.

use leptos::prelude::*;

use crate::i18n::{tr, use_lang, Msg};
use crate::load::{self, SourceKind};
use crate::pages::set_title;
use crate::state::ConfigSignal;

#[component]
pub fn SourcePage() -> impl IntoView {
    let lang = use_lang();
    let config = expect_context::<ConfigSignal>();
    set_title(move |lang| lang.t(Msg::SourceHeading).to_owned());
    let current = config.get_untracked();
    let (publication, set_publication) =
        signal(current.as_ref().map(|c| c.source.publication.clone()).unwrap_or_default());
    let (root, set_root) = signal(current.as_ref().map(|c| c.source.root_sha256.to_hex()).unwrap_or_default());
    let (error, set_error) = signal(None::<load::SourceError>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match load::parse_source(&publication.get_untracked(), &root.get_untracked()).and_then(|source| {
            load::save_source(&source)?;
            Ok(())
        }) {
            Ok(()) => load::restart(),
            Err(e) => set_error.set(Some(e)),
        }
    };
    let reset = move |_| {
        load::forget_source();
        load::restart();
    };
    let facts = move || {
        config.get().map(|config| {
            let kind = Msg::chosen_by(config.kind);
            let kind_attr = match config.kind {
                SourceKind::Default => "default",
                SourceKind::Link => "link",
                SourceKind::Saved => "saved",
            };
            view! {
                <dl class="facts" data-testid="source-current" data-kind=kind_attr>
                    <div>
                        <dt>{tr(Msg::PublicationUrl)}</dt>
                        <dd><code>{config.source.publication.clone()}</code></dd>
                    </div>
                    <div>
                        <dt>{tr(Msg::PinnedRoot)}</dt>
                        <dd><code class="hash">{config.source.root_sha256.to_hex()}</code></dd>
                    </div>
                    <div>
                        <dt>{tr(Msg::ChosenBy)}</dt>
                        <dd>{tr(kind)}</dd>
                    </div>
                    <div>
                        <dt>{tr(Msg::DefaultPublication)}</dt>
                        <dd>
                            <code>{config.default.publication.clone()}</code>
                            <br/>
                            <code class="hash">{config.default.root_sha256.to_hex()}</code>
                        </dd>
                    </div>
                </dl>
            }
        })
    };
    let build = LocalResource::new(load::app_build);
    let app = move || {
        build.get().map(|result| match result {
            Ok((count, hash)) => view! {
                <dl class="facts" data-testid="app-build" data-hash=hash.to_hex()>
                    <div>
                        <dt>{tr(Msg::AppCommit)}</dt>
                        <dd><code class="hash">{load::APP_COMMIT.unwrap_or("?")}</code></dd>
                    </div>
                    <div>
                        <dt>{tr(Msg::AppHash)}</dt>
                        <dd><code class="hash">{hash.to_hex()}</code></dd>
                    </div>
                    <div>
                        <dt>{tr(Msg::AppFiles)}</dt>
                        <dd>{move || lang.get().number(count as u64)}</dd>
                    </div>
                </dl>
            }
            .into_any(),
            Err(_) => view! { <p data-testid="app-build" data-hash="">{tr(Msg::AppHashUnknown)}</p> }.into_any(),
        })
    };
    view! {
        <h1 class="page-title">{tr(Msg::SourceHeading)}</h1>
        <p>{tr(Msg::SourceExplained)}</p>
        {facts}
        <section aria-labelledby="app-build-heading">
            <h2 id="app-build-heading">{tr(Msg::AppBuildHeading)}</h2>
            <p>{tr(Msg::AppBuildExplained)}</p>
            {app}
        </section>
        <form class="source-form" on:submit=save data-testid="source-form">
            <h2>{tr(Msg::ChooseSource)}</h2>
            <label for="source-publication">{tr(Msg::PublicationUrl)}</label>
            <input
                id="source-publication"
                type="text"
                inputmode="url"
                spellcheck="false"
                dir="ltr"
                required
                prop:value=move || publication.get()
                on:input:target=move |ev| set_publication.set(ev.target().value())
            />
            <label for="source-root">{tr(Msg::PinnedRoot)}</label>
            <input
                id="source-root"
                type="text"
                dir="ltr"
                required
                spellcheck="false"
                autocomplete="off"
                prop:value=move || root.get()
                on:input:target=move |ev| set_root.set(ev.target().value())
            />
            <p class="form-error" role="alert">{move || error.get().map(|e| lang.get().source_error(e))}</p>
            <div class="form-buttons">
                <button type="submit">{tr(Msg::SaveSource)}</button>
                <button type="button" on:click=reset data-testid="source-reset">
                    {tr(Msg::ResetSource)}
                </button>
            </div>
        </form>
    }
}
