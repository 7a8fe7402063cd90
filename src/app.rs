//! The app: loads the publication to the "signed" level once, routes
//! between views of what verified, and audits the rest in the background.
//!
//! The configuration is read before the app is mounted (`main`). Loading is
//! one local resource: the release to the signed level (root, release, log,
//! election file, summary). While it is pending the status says "loading"
//! and the progress indicator follows the download. It ends in a
//! [`Loaded`]: only its `Ready` arm holds the election (as
//! [`crate::state::Places`] snapshots), and only that arm renders figures;
//! the audit ([`crate::audit`]) then moves each province on, and the views
//! follow. Navigating between views never fetches the national files or
//! verifies them again.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, Lazy, LazyRoute};
use shafaf_core::map::Boundaries;
use shafaf_core::model::FileKind;

use crate::charts::ChartsPage;
use crate::components::{DemoBanner, ProgressIndicator, SearchBox, StatusBlock, ViewMemory, ViewStatus};
use crate::i18n::{text, tr, use_lang, Lang, Msg};
use crate::live::{self, LiveRegion, LiveSignal, LiveStatus};
use crate::load::{self, Config, Links, Outcome, Progress, SourceKind};
use crate::pages::{
    ContestPage, CountyPage, FindPage, HistoryPage, HomePage, NotFoundPage, ProvincePage, SheetPage, SourcePage,
    VerifyPage, ViewUnavailable,
};
use crate::state::{ConfigSignal, Current, Loaded, Places, PlacesSignal, ProvinceBoundaries, Release, RootSignal};

/// The app, given the deployment's configuration as read (or why it could
/// not be): `main` reads it before the first paint.
#[component]
pub fn App(config: Result<Config, load::LoadError>) -> impl IntoView {
    let lang = RwSignal::new(Lang::remembered());
    provide_context(lang);
    if load::font_at_start() {
        load::use_font();
    }
    // <html lang dir> follows the language, for screen readers and layout.
    Effect::new(move |_| {
        let lang = lang.get();
        if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = html.set_attribute("lang", lang.code());
            let _ = html.set_attribute("dir", lang.dir());
        }
        // The description search engines and link previews read (each page sets its title).
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Ok(Some(meta)) = document.query_selector("meta[name=description]") {
                let _ = meta.set_attribute("content", lang.t(Msg::MetaDescription));
            }
        }
    });
    provide_context(Links::from_page());
    // Controls come back as the reader left them when a live update redraws the page.
    provide_context(ViewMemory::new());

    let (progress, set_progress) = signal(Progress::default());
    let read_config = config;
    let config: ConfigSignal = Signal::stored(read_config.as_ref().ok().cloned());
    provide_context(config);
    // One resource for the whole chain, run once: the release to the signed
    // level, then the first view.
    let current: Current = RwSignal::new(None);
    provide_context(current);
    let root: RootSignal = RwSignal::new(None);
    provide_context(root);
    let live_status: LiveSignal = RwSignal::new(LiveStatus::default());
    provide_context(live_status);
    let loaded = LocalResource::new(move || {
        let read_config = read_config.clone();
        async move {
            match read_config {
                Ok(config) => match load::signed(&config, move |p| set_progress.set(p)).await {
                    Outcome::Signed(signed) => {
                        // The first view is drawn in a task of its own, after the checks'.
                        load::sleep(0).await;
                        show(&config, &signed, current, root);
                        leptos::task::spawn_local(live::follow(
                            config,
                            signed.root.clone(),
                            current,
                            live_status,
                            root,
                        ));
                    }
                    Outcome::Rejected(failure) => current.set(Some(Loaded::Rejected(failure))),
                    Outcome::Unavailable(error) => current.set(Some(Loaded::Unavailable(error))),
                },
                Err(error) => current.set(Some(Loaded::Unavailable(error))),
            }
            // Nothing verified to show: nothing the font would wait for.
            if !matches!(current.get_untracked(), Some(Loaded::Ready(_))) {
                load::use_font();
            }
            // The offline copy once the first view is drawn: installing, it
            // downloads the whole app.
            leptos::task::spawn_local(load::register_service_worker());
        }
    });
    let places: PlacesSignal = Signal::derive(move || match current.get() {
        Some(Loaded::Ready(release)) => Some(release.places.get()),
        _ => None,
    });
    provide_context(places);
    // A verified election says itself whether it is a demo; until then, or
    // when nothing verified, the deployment's configuration does.
    let demo = move || match places.get() {
        Some(places) => places.election().demo,
        None => config.get().is_some_and(|c| c.demo),
    };

    // A view's code comes when it is first opened (see `lazy_view!`): the
    // address changes at once, and a bar says the view is on its way.
    let (routing, set_routing) = signal(false);
    view! {
        <Router set_is_routing=set_routing>
            <SkipLink/>
            <div class="routing" data-testid="routing" hidden=move || !routing.get()>
                <progress aria-label=tr(Msg::OpeningView)></progress>
            </div>
            <Header demo=Signal::derive(demo)/>
            <main id="main" tabindex="-1" aria-busy=move || routing.get().then_some("true")>
                <Suspense fallback=move || {
                    view! {
                        <StatusBlock status=ViewStatus::Loading/>
                        <ProgressIndicator progress/>
                    }
                }>
                    {move || Suspend::new(async move {
                        loaded.await;
                        view! { <Views/> }
                    })}
                </Suspense>
            </main>
            <Footer/>
        </Router>
    }
}

/// Shows a release that reached the signed level and starts its audit; the
/// province the address names is audited first.
pub fn show(config: &Config, signed: &load::SignedLoad, current: Current, root: RootSignal) -> Release {
    let places = Places::new(signed.signed.clone());
    let first = province_in_address(&places);
    let (audit, start) = crate::audit::initial_state(config, signed);
    let release = Release {
        places: RwSignal::new(Arc::new(places)),
        audit: RwSignal::new(audit),
        unreachable: RwSignal::new(Vec::new()),
    };
    // The root first: the views drawn for the release read it.
    root.set(Some(Arc::new(signed.root.clone())));
    current.set(Some(Loaded::Ready(release)));
    let (config, signed) = (config.clone(), signed.clone());
    // The view the reader opened is drawn, with its own files, before the
    // map's boundaries are fetched (they would share the line with them),
    // and they are checked before any worker starts: the audit's verdict
    // includes them.
    leptos::task::spawn_local(async move {
        load::first_view_settled().await;
        load::use_font();
        // The landing page's map reads and draws them once it nears the
        // screen (pages/home.rs): on a phone it is below the first screen.
        if let Some(geo) = load::province_boundaries(&config, &signed.signed).await {
            let boundaries = match &geo {
                Ok(Ok(file)) => {
                    let mut boundaries = Boundaries::default();
                    boundaries.set_provinces(file);
                    ProvinceBoundaries::Verified(Arc::new(boundaries))
                }
                Ok(Err(finding)) => ProvinceBoundaries::Unavailable(finding.to_string()),
                // The map's note is the verifier's, in English (as a finding's detail is).
                Err(error) => ProvinceBoundaries::Unavailable(Lang::En.load_error(error)),
            };
            release.places.update(|places| *places = Arc::new(places.with_provinces(boundaries)));
            match geo {
                Ok(file) => release.audit.update(|a| a.add_national_file(FileKind::GeoProvinces, &file)),
                // Not downloaded: no verdict until it is (a reload asks again).
                Err(error) => release.audit.update(|a| a.unavailable.push((String::new(), error))),
            }
        }
        crate::audit::start(&config, &signed, release, first, start);
    });
    release
}

/// The page's address, as the parts of its path (`/p/IR-15` → `["p", "IR-15"]`).
fn address_parts() -> Vec<String> {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    path.split('/').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// The province of the view the page was opened at (`/p/<code>`, `/c/<council>`, `/charts/<code>`).
fn province_in_address(places: &Places) -> Option<String> {
    let parts = address_parts();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let p = match parts.as_slice() {
        ["p", code, ..] | ["charts", code, ..] => places.province_index(code)?,
        ["c", id, ..] => places.province_of_contest(&js_sys::decode_uri_component(id).ok()?.as_string()?)?,
        _ => return None,
    };
    Some(places.province(p).code.to_string())
}

/// Moves keyboard focus to the main content without leaving the page (the
/// router would otherwise take the `#main` link for a navigation).
#[component]
fn SkipLink() -> impl IntoView {
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        focus_main();
    };
    view! {
        <a class="skip-link" href="#main" rel="external" on:click=skip>
            {tr(Msg::SkipToContent)}
        </a>
    }
}

fn focus_main() {
    use wasm_bindgen::JsCast;
    let main = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("main"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(main) = main {
        let _ = main.focus();
    }
}

/// The status line and the routes, once loading has ended. A newer release
/// that verified (live updates) redraws them in place: the address, and so
/// the view, stay.
#[component]
fn Views() -> impl IntoView {
    let current = expect_context::<Current>();

    // After a navigation, keyboard and screen reader users start at the new content.
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            focus_main();
        }
        path
    });

    let routes = move || {
        let loaded = current.get()?;
        let status = match &loaded {
            Loaded::Ready(release) => view! { <crate::components::AuditStatus release=*release/> }.into_any(),
            Loaded::Rejected(failure) => {
                view! { <StatusBlock status=ViewStatus::of_failure(failure.status())/> }.into_any()
            }
            Loaded::Unavailable(_) => view! { <StatusBlock status=ViewStatus::Failed/> }.into_any(),
        };
        provide_context(loaded);
        Some(view! {
            {status}
            <SourceNotice/>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage/>
                <Route path=path!("/p/:province") view={Lazy::<ProvinceView>::new()}/>
                <Route path=path!("/p/:province/:county") view={Lazy::<CountyView>::new()}/>
                <Route path=path!("/c/:contest") view={Lazy::<ContestView>::new()}/>
                <Route path=path!("/find") view={Lazy::<FindView>::new()}/>
                <Route path=path!("/verify") view={Lazy::<VerifyView>::new()}/>
                <Route path=path!("/source") view={Lazy::<SourceView>::new()}/>
                <Route path=path!("/history") view={Lazy::<HistoryView>::new()}/>
                <Route path=path!("/sheet") view={Lazy::<SheetView>::new()}/>
                <Route path=path!("/charts") view={Lazy::<ChartsView>::new()}/>
                <Route path=path!("/charts/:province") view={Lazy::<ChartsView>::new()}/>
                <Route path=path!("/charts/:province/:county") view={Lazy::<ChartsView>::new()}/>
                <Route path=path!("/c/:contest/charts") view={Lazy::<ChartsView>::new()}/>
            </Routes>
        })
    };
    view! {
        <LiveRegion/>
        {routes}
    }
}

/// A view whose code is in a chunk: the browser downloads it when a reader
/// first opens one of the chunk's views (or as the page starts, for the
/// view its address names: [`preload_view_in_address`]). The landing page
/// alone is in the app's first download. Views that are opened one after
/// the other share a chunk, so that opening one brings its neighbours and
/// the chunks stay few (a chunk per view would split their common code into
/// dozens of small files). `cargo xtask` splits the chunks out of the app's
/// wasm (xtask/src/split.rs). A chunk that does not arrive (the network
/// dropped, the server lost the file) leaves the rest of the app working and
/// says so in the view's place: [`ViewUnavailable`].
macro_rules! lazy_view {
    ($route:ident, $page:ident, $chunk:ident, $load:ident, $preload:ident) => {
        struct $route;

        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, preload($preload), fallible)]
        fn $load() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
            Ok(view! { <$page/> }.into_any())
        }

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $load().await.unwrap_or_else(|_| view! { <ViewUnavailable/> }.into_any())
            }

            async fn preload() {
                // A failure is not kept: opening the view tries again, and says so if it fails.
                let _ = $preload().await;
            }
        }
    };
}

// The places, a province and a county with their maps, and the search that leads there.
lazy_view!(ProvinceView, ProvincePage, places, province_view, preload_province_view);
lazy_view!(CountyView, CountyPage, places, county_view, preload_county_view);
lazy_view!(FindView, FindPage, places, find_view, preload_find_view);
// A council, alone: the link a citizen opens to read their council's result
// draws no map, and on a phone the maps' code is a fifth of a second.
lazy_view!(ContestView, ContestPage, council, contest_view, preload_contest_view);
// The charts (plotters lays them out).
lazy_view!(ChartsView, ChartsPage, charts, charts_view, preload_charts_view);
// The observer's views: the audit report, the publication's source, its history.
lazy_view!(VerifyView, VerifyPage, observer, verify_view, preload_verify_view);
lazy_view!(SourceView, SourcePage, observer, source_view, preload_source_view);
lazy_view!(HistoryView, HistoryPage, observer, history_view, preload_history_view);
// The station sheet (QR codes read from a photo or the camera).
lazy_view!(SheetView, SheetPage, sheet, sheet_view, preload_sheet_view);

/// Starts downloading the code of the view the page was opened at while the
/// publication downloads and verifies, instead of after.
pub async fn preload_view_in_address() {
    let parts = address_parts();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    // Each part is named by its chunk in `lazy_view!` below.
    match shafaf_core::app_views::view_of(&parts) {
        Some("places") => ProvinceView::preload().await,
        Some("council") => ContestView::preload().await,
        Some("charts") => ChartsView::preload().await,
        Some("observer") => VerifyView::preload().await,
        Some("sheet") => SheetView::preload().await,
        _ => {}
    }
}

/// Says plainly when the publication is not this site's default one.
#[component]
fn SourceNotice() -> impl IntoView {
    let links = expect_context::<Links>();
    let config = expect_context::<ConfigSignal>();
    move || {
        let config = config.get().filter(|c| c.kind != SourceKind::Default)?;
        let chosen = Msg::chosen_by(config.kind);
        let href = links.href("/source");
        Some(view! {
            <p class="source-notice" data-testid="source-notice">
                <span aria-hidden="true">"⚠ "</span>
                {tr(Msg::NotDefaultSource)}
                " "
                <code>{config.source.publication.clone()}</code>
                " ("
                {tr(chosen)}
                ") "
                <a href=href>{tr(Msg::ChangeSource)}</a>
            </p>
        })
    }
}

#[component]
fn Header(
    /// Whether to carry the DEMO banner (inside the header, so it is in a landmark).
    demo: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let links = expect_context::<Links>();
    let places = expect_context::<PlacesSignal>();
    let toggle = move |_| {
        let next = lang.get_untracked().other();
        next.remember();
        lang.set(next);
    };
    let nav = [
        ("/", Msg::NavOverview),
        ("/history", Msg::NavHistory),
        ("/verify", Msg::NavVerification),
        ("/sheet", Msg::NavSheet),
        ("/source", Msg::NavSource),
    ]
    .into_iter()
    .map(|(path, msg)| view! { <li><a href=links.href(path)>{tr(msg)}</a></li> })
    .collect_view();
    view! {
        <header class="site-header">
            <div class="header-top">
                <a class="brand" href=links.href("/")>
                    <span class="brand-name">{tr(Msg::AppName)}</span>
                    <span class="tagline">{tr(Msg::Tagline)}</span>
                </a>
                // Names the language it switches to, in that language.
                <button type="button" class="lang-toggle" data-testid="lang-toggle" on:click=toggle>
                    <span class="visually-hidden">{move || format!("{}: ", lang.get().t(Msg::SwitchLanguage))}</span>
                    <span lang=move || lang.get().other().code()>{text(move |lang| lang.other().endonym())}</span>
                </button>
            </div>
            <div class="header-bottom">
                <nav class="site-nav" aria-label=tr(Msg::MainNavigation)>
                    <ul>{nav}</ul>
                </nav>
                // Searching needs a verified election: nothing else has names to find.
                <Show when=move || places.get().is_some()>
                    <SearchBox id="header-search" large=false/>
                </Show>
            </div>
            <Show when=move || demo.get()>
                <DemoBanner/>
            </Show>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let places = expect_context::<PlacesSignal>();
    // Credits come from the verified election file: text, never markup.
    let attribution = move || {
        places.get().map(|places| {
            let lines =
                places.election().attribution.iter().map(|line| view! { <li>{line.to_string()}</li> }).collect_view();
            view! {
                <h2 class="footer-heading">{tr(Msg::Attribution)}</h2>
                <ul class="attribution" data-testid="attribution">{lines}</ul>
            }
        })
    };
    view! {
        <footer class="site-footer">
            {attribution}
            <p>{tr(Msg::FooterAbout)}</p>
            <p>{tr(Msg::FooterFont)}</p>
        </footer>
    }
}
