//! Small building blocks shared by the pages.

pub mod breadcrumbs;
pub mod demo_banner;
pub mod findings;
pub mod memory;
pub mod number;
pub mod progress;
pub mod search_box;
pub mod status;
pub mod table;

pub use breadcrumbs::{trail, Breadcrumbs};
pub use demo_banner::DemoBanner;
pub use findings::{FindingsList, LoadErrorList};
pub use memory::{remembered, ViewMemory};
pub use number::{DecimalFigure, NumberFigure, PercentFigure, RatioFigure};
pub use progress::ProgressIndicator;
pub use search_box::{search_target, SearchBox};
pub use status::{AuditStatus, StatusBlock, ViewStatus};
pub use table::{escape_attribute, escape_text, Column, DataTable, Direction, SortKey};

/// A flag that turns true once `slot` is within a quarter of a screen of the
/// visible part of the page: what is costly to fetch and draw and may lie
/// below the first screen (the national map: its code, the boundaries'
/// reading, the drawing, about 0.4 s of a phone's processor and 90 kB) waits
/// for the reader to come near it. Where the browser cannot tell (no
/// `IntersectionObserver`), at once.
pub fn once_near_screen(slot: leptos::prelude::NodeRef<leptos::html::Div>) -> leptos::prelude::RwSignal<bool> {
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let near = RwSignal::new(false);
    let observer = StoredValue::new_local(None::<web_sys::IntersectionObserver>);
    slot.on_load(move |element| {
        let seen = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
            move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
                let seen = entries
                    .iter()
                    .any(|entry| entry.unchecked_into::<web_sys::IntersectionObserverEntry>().is_intersecting());
                if seen {
                    observer.disconnect();
                    _ = near.try_set(true);
                }
            },
        );
        let init = web_sys::IntersectionObserverInit::new();
        init.set_root_margin("0px 0px 25% 0px");
        match web_sys::IntersectionObserver::new_with_options(seen.as_ref().unchecked_ref(), &init) {
            Ok(made) => {
                made.observe(&element);
                observer.set_value(Some(made));
                // Called until the slot is near or gone: it lives as long as the page.
                seen.forget();
            }
            Err(_) => near.set(true),
        }
    });
    on_cleanup(move || {
        if let Some(observer) = observer.try_get_value().flatten() {
            observer.disconnect();
        }
    });
    near
}

/// A flag that turns true in a task after this one: what lies below the first
/// screen is drawn then, so that the first view is not one long task.
pub fn in_next_task() -> leptos::prelude::RwSignal<bool> {
    in_later_task(1)
}

/// A flag that turns true `n` tasks after this one, each queued by the one
/// before: a view drawn in parts, one part per task.
pub fn in_later_task(n: u32) -> leptos::prelude::RwSignal<bool> {
    use leptos::prelude::*;
    fn after(n: u32, ready: RwSignal<bool>) {
        set_timeout(
            move || {
                if n <= 1 {
                    _ = ready.try_set(true);
                } else {
                    after(n - 1, ready);
                }
            },
            std::time::Duration::ZERO,
        );
    }
    let ready = RwSignal::new(false);
    after(n, ready);
    ready
}
