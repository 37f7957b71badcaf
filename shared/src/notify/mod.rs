//! `Notifier` adapters: Slack webhooks (Block Kit) and the log.

pub mod log;
pub mod recording;
pub mod slack;

pub use log::LogNotifier;
pub use recording::RecordingNotifier;
pub use slack::{SlackNotifier, SlackRoutes};
