//! Healing: `retry-failed` re-enqueues processors whose retry is due; `self-heal` finds game
//! dates missing summaries or predictions and re-enqueues what they need. `diagnose` is shared
//! with `props recover`.

pub mod diagnose;
pub mod jobs;
pub mod retry_failed;
pub mod self_heal;

pub use retry_failed::RetryFailed;
pub use self_heal::SelfHeal;
