//! Phase 6 (`publish`): for a game date, writes `exports/{game_date}/predictions.json`,
//! `results.json`, `system-performance.json` and `index.html` — a self-contained page (inline
//! CSS and SVG, no script, no external request) with tonight's actionable picks, yesterday's
//! graded results, each system's 7- and 30-day record with a chart, and the pipeline's health.
//!
//! - [`report`]: reads the tables and state into one [`report::DayReport`].
//! - [`exports`]: the three JSON documents, from the report.
//! - [`page`] and [`chart`]: the HTML page and its SVG chart, pure functions of the report.
//! - [`handler`]: the queue and direct-invocation handlers.

pub mod chart;
pub mod exports;
pub mod handler;
pub mod page;
pub mod report;

pub use handler::Publish;
