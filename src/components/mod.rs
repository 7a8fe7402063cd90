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
