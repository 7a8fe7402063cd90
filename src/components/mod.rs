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
