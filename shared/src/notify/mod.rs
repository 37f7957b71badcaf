//! `Notifier` adapters: Slack webhooks (Block Kit) and the log, and the quiet-period decorator.

pub mod dedup;
pub mod log;
pub mod recording;
pub mod slack;

pub use dedup::QuietPeriodNotifier;
pub use log::LogNotifier;
pub use recording::RecordingNotifier;
pub use slack::{SlackNotifier, SlackRoutes};
