//! Small building blocks shared by the pages.

pub mod demo_banner;
pub mod findings;
pub mod number;
pub mod progress;
pub mod status;

pub use demo_banner::DemoBanner;
pub use findings::{FindingsList, LoadErrorList};
pub use number::{NumberCell, NumberFigure, PercentCell, PercentFigure};
pub use progress::ProgressIndicator;
pub use status::{StatusBlock, ViewStatus};
