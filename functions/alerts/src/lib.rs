//! Monitoring jobs (DESIGN §11): each collects its findings as checks and sends ONE Slack
//! message per run (quiet-period deduplication happens in the context's notifier), returns a
//! JSON summary, and records its run in the pipeline event log.

pub mod data;
pub mod freshness;
pub mod health;
pub mod job;
pub mod performance;
pub mod report;
pub mod settings;
pub mod spot_check;
pub mod stale_runs;

pub use freshness::FreshnessCheck;
pub use health::DailyHealth;
pub use performance::PerformanceAlert;
pub use settings::Settings;
pub use stale_runs::StaleRunCleanup;

#[cfg(test)]
mod tests;
