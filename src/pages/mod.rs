//! One module per page. Pages take verified data only.

pub mod summary;

pub use summary::SummaryPage;
