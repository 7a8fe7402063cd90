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
pub use table::{Column, DataTable, Direction, SortKey};

/// A flag that turns true in a task after this one: what lies below the first
/// screen is drawn then, so that the first view is not one long task.
pub fn in_next_task() -> leptos::prelude::RwSignal<bool> {
    use leptos::prelude::*;
    let ready = RwSignal::new(false);
    set_timeout(move || _ = ready.try_set(true), std::time::Duration::ZERO);
    ready
}
