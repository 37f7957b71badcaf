//! Phase 4 (`precompute`): analytics tables → per-player and per-team views of what is known
//! before a game date, and the ML feature store that every prediction system reads.
//!
//! - [`processors`]: one module per processor (DESIGN §8), each a `pipeline::runner::Processor`
//!   with its declared dependencies; [`processors::all`] is the dependency order.
//! - [`handler`]: the queue (`PhaseTrigger` 3→4) and schedule handlers, and
//!   [`Precompute::run_date`], the in-process entry that runs phase 4 for one date.
//! - [`history`], [`zones`], [`fatigue`], [`factors`], [`features`]: pure calculations,
//!   unit-tested.
//!
//! Nothing here reads a game's outcome on or after the date it describes: outcome tables are
//! read for earlier dates only, and line snapshots only when taken before tip-off. The tests on
//! real replayed days live in the root package (`tests/pipeline/precompute.rs`): they need
//! phases 2 and 3 to build the inputs, and a function crate never depends on another.

pub mod factors;
pub mod fatigue;
pub mod features;
pub mod handler;
pub mod history;
pub mod processors;
pub mod zones;

pub use handler::Precompute;
