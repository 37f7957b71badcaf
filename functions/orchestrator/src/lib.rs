//! The orchestrator: records every `ProcessorCompleted`, decides when a phase's inputs are ready
//! for the next phase (rules and tiers of DESIGN §9), checks the data gates, and claims exactly
//! one `PhaseTrigger` per (transition, game date, input fingerprint).

pub mod evaluate;
pub mod gates;
pub mod orchestrate;
pub mod timeout_check;
pub mod transitions;
pub mod triggers;

pub use orchestrate::Orchestrate;
pub use timeout_check::PhaseTimeoutCheck;
pub use transitions::Transition;

#[cfg(any(test, feature = "testkit"))]
pub mod fixtures;
#[cfg(test)]
mod scenarios;
