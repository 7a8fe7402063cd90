//! The app: loads and verifies the publication, then shows what verified.
//!
//! Loading is one local resource: the configuration, then the publication.
//! While it is pending the status says "loading" and the progress indicator
//! follows the download and the verification. The result is an [`Outcome`]:
//! only its `Verified` arm holds a [`VerifiedElection`], and only that arm
//! renders figures.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::verify::VerifiedElection;

use crate::components::findings::ContestNames;
use crate::components::{DemoBanner, FindingsList, LoadErrorList, ProgressIndicator, StatusBlock, ViewStatus};
use crate::i18n::{use_lang, Lang, Msg};
use crate::load::{self, Outcome, Progress};
use crate::pages::SummaryPage;

/// The verified election once there is one, for views outside the main
/// content (banner, footer) and for pages to come.
pub type Verified = Signal<Option<Arc<VerifiedElection>>>;

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(Lang::remembered());
    provide_context(lang);
    // <html lang dir> follows the language, for screen readers and layout.
    Effect::new(move |_| {
        let lang = lang.get();
        if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = html.set_attribute("lang", lang.code());
            let _ = html.set_attribute("dir", lang.dir());
        }
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(lang.t(Msg::AppName));
        }
    });

    let (progress, set_progress) = signal(Progress::default());
    // Whether config.json calls this a demo deployment, once it is read.
    let (demo_deployment, set_demo_deployment) = signal(false);
    // One resource for the whole chain: a second resource awaiting the
    // configuration's would re-run (and download everything again) when the
    // configuration resolved.
    let outcome = LocalResource::new(move || async move {
        match load::config().await {
            Ok(config) => {
                set_demo_deployment.set(config.demo);
                load::publication(&config, move |p| set_progress.set(p)).await
            }
            Err(error) => Outcome::Unavailable(error),
        }
    });
    let verified: Verified = Signal::derive(move || match outcome.get() {
        Some(Outcome::Verified(election)) => Some(election),
        _ => None,
    });
    provide_context(verified);
    // A verified election says itself whether it is a demo; until then, or
    // when nothing verified, the deployment's configuration does.
    let demo = move || match verified.get() {
        Some(election) => election.election.demo,
        None => demo_deployment.get(),
    };

    view! {
        <a class="skip-link" href="#main">{move || lang.get().t(Msg::SkipToContent)}</a>
        <Header/>
        <Show when=demo>
            <DemoBanner/>
        </Show>
        <main id="main" tabindex="-1">
            <Suspense fallback=move || {
                view! {
                    <StatusBlock status=ViewStatus::Loading/>
                    <ProgressIndicator progress/>
                }
            }>
                {move || Suspend::new(async move {
                    let outcome = outcome.await;
                    view! { <OutcomeView outcome/> }
                })}
            </Suspense>
        </main>
        <Footer/>
    }
}

#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let toggle = move |_| {
        let next = lang.get_untracked().other();
        next.remember();
        lang.set(next);
    };
    view! {
        <header class="site-header">
            <div class="brand">
                <h1>{move || lang.get().t(Msg::AppName)}</h1>
                <p class="tagline">{move || lang.get().t(Msg::Tagline)}</p>
            </div>
            // Names the language it switches to, in that language.
            <button type="button" class="lang-toggle" data-testid="lang-toggle" on:click=toggle>
                <span class="visually-hidden">{move || format!("{}: ", lang.get().t(Msg::SwitchLanguage))}</span>
                <span lang=move || lang.get().other().code()>{move || lang.get().other().endonym()}</span>
            </button>
        </header>
    }
}

#[component]
fn OutcomeView(outcome: Outcome) -> impl IntoView {
    match outcome {
        Outcome::Verified(election) => view! { <VerifiedView election/> }.into_any(),
        Outcome::Rejected(failure) => {
            let status = ViewStatus::of_failure(failure.status());
            view! {
                <StatusBlock status/>
                <FindingsList findings=failure.findings.clone()/>
            }
            .into_any()
        }
        Outcome::Unavailable(error) => view! {
            <StatusBlock status=ViewStatus::Failed/>
            <LoadErrorList error/>
        }
        .into_any(),
    }
}

#[component]
fn VerifiedView(election: Arc<VerifiedElection>) -> impl IntoView {
    let lang = use_lang();
    let status = ViewStatus::of_verified(election.status());
    let findings = (!election.findings.is_empty()).then(|| {
        let names: HashMap<String, _> = election
            .provinces
            .iter()
            .flat_map(|p| &p.contests)
            .map(|c| (c.contest.id.to_string(), c.contest.name.clone()))
            .collect();
        let contests: ContestNames = Arc::new(names);
        view! { <FindingsList findings=election.findings.clone() contests/> }
    });
    let name = election.election.name.clone();
    let day = election.election.election_day;
    view! {
        <StatusBlock status audit=election.audit.clone()/>
        <section class="election" aria-labelledby="election-heading">
            <h2 id="election-heading">{move || lang.get().name(&name)}</h2>
            <p>
                {move || lang.get().t(Msg::ElectionDay)}
                ": "
                <time datetime=day.to_string()>{move || lang.get().date(day)}</time>
            </p>
        </section>
        {findings}
        <SummaryPage election/>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let lang = use_lang();
    let verified = expect_context::<Verified>();
    // Credits come from the verified election file: text, never markup.
    let attribution = move || {
        verified.get().map(|election| {
            let lines =
                election.election.attribution.iter().map(|line| view! { <li>{line.to_string()}</li> }).collect_view();
            view! {
                <h2 class="footer-heading">{move || lang.get().t(Msg::Attribution)}</h2>
                <ul class="attribution" data-testid="attribution">{lines}</ul>
            }
        })
    };
    view! {
        <footer class="site-footer">
            {attribution}
            <p>{move || lang.get().t(Msg::FooterAbout)}</p>
            <p>{move || lang.get().t(Msg::FooterFont)}</p>
        </footer>
    }
}
