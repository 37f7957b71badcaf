//! `Notifier` adapters: Slack webhooks (Block Kit) and the log.

pub mod log;
pub mod slack;

pub use log::LogNotifier;
pub use slack::{SlackNotifier, SlackRoutes};
