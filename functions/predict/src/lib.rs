//! Phase 5 (`predict`, `grade`, `train`): predictions from the feature store, grading against
//! box scores, and the `gbm` model's training.
//!
//! - [`systems`]: the five prediction systems of DESIGN §10, one module each, pure.
//! - [`recommend`]: recommendation, sanity checks, actionable filters.
//! - [`predict`]: the `player_prop_predictions` processor (replace per date + history append).
//! - [`grade`]: the `prediction_accuracy` processor and `system_daily_performance`.
//! - [`model`]: the `gbm` model (crate `forust-ml`), its training data and registry.
//! - [`train`]: fitting, time-ordered validation, champion promotion.
//! - [`handler`]: the three functions' entry handlers; every run goes through
//!   `pipeline::runner::execute`.
//! - [`backtest`]: scoring systems and naive baselines over a backtest's graded days.
//! - [`features`], [`league`]: reading the feature store and the league's defences.

pub mod backtest;
pub mod features;
pub mod grade;
pub mod handler;
pub mod league;
pub mod model;
pub mod predict;
pub mod recommend;
pub mod systems;
pub mod train;

pub use handler::{GradeHandler, PredictHandler, TrainHandler};
