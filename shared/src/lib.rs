//! `props-core`: the contracts and infrastructure every nba-props function shares — ports and
//! their adapters, the Parquet table layer, the message envelope, configuration, the clock,
//! retry policy, secrets handling, logging and the Lambda glue — plus the canonical identities
//! (teams, players, games) and the phase-1 sources (fetch policy, breakers, parsers).

pub mod adapters;
pub mod clock;
pub mod config;
pub mod context;
pub mod events;
pub mod failpoint;
pub mod game_date;
pub mod identity;
pub mod lambda;
pub mod messages;
pub mod metrics;
pub mod notify;
pub mod pipeline;
pub mod ports;
pub mod retry;
pub mod secrets;
#[cfg(feature = "sim")]
pub mod sim;
pub mod sources;
pub mod stats;
pub mod tables;
pub mod telemetry;

#[cfg(any(test, feature = "testkit"))]
pub mod contract;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
#[cfg(any(test, feature = "testkit"))]
pub mod webhook_stub;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::Config;
pub use context::Context;
pub use game_date::GameDate;
