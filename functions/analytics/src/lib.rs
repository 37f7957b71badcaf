//! Phase 3 (`analytics`): raw tables → game summaries (team offence, team defence, player) and
//! upcoming-game contexts (player, team).
//!
//! - [`processors`]: one module per processor, each a `pipeline::runner::Processor` with its
//!   declared dependencies; [`processors::all`] is the dependency order.
//! - [`routing`]: which processors run for a `TableUpdated`, a `PhaseTrigger` or a schedule.
//! - [`handler`]: the queue and schedule handlers; every run goes through `runner::execute`.
//! - [`entry`]: the single binary tells an SQS batch (top-level `Records`) from a scheduler
//!   input (anything else).
//! - [`formulas`], [`lines`], [`history`]: pure calculations, unit-tested.
//!
//! The tests on real replayed days live in the root package (`tests/pipeline/analytics.rs`):
//! they need phase 2 to build the raw tables, and a function crate never depends on another.

pub mod entry;
pub mod formulas;
pub mod handler;
pub mod history;
pub mod lines;
pub mod processors;
pub mod routing;

pub use handler::Analytics;
