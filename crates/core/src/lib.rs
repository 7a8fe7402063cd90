//! Shafaf's core: the election model, the signed publication format and the one
//! verification path that the browser, the CLI and the tests all share.
//!
//! The shape is bytes → verify → verified model: [`verify::verify_publication`]
//! (or its province-by-province steps) is the only way to obtain a
//! [`verify::VerifiedElection`], so a view that takes one cannot show
//! unverified data. Nothing here does I/O or reads a clock: callers pass bytes
//! and `now`.

// A `Finding` is the error of most checks and is larger than clippy likes;
// findings are rare and carry what a person needs to act, so they stay whole.
#![allow(clippy::result_large_err)]

pub mod app_config;
pub mod app_files;
pub mod app_views;
pub mod evidence;
pub mod findings;
pub mod format;
pub mod fuzzing;
pub mod history;
pub mod keys;
pub mod log;
pub mod map;
pub mod model;
mod parallel;
pub mod publish;
pub mod search;
pub mod sheet;
pub mod stats;
pub mod summary;
pub mod tally;
pub mod text;
pub mod verify;

#[cfg(feature = "demo")]
pub mod demo;

pub use findings::{Finding, Severity};
pub use format::{FileKind, FormatError, Publication};
pub use keys::{verify_many, KeyError, KeyId, PublicKey, SecretKey, SignatureError, SignedItem};
pub use verify::{verify_publication, TrustAnchor, VerifiedElection};
