//! The simulated league: a deterministic NBA season (rosters, schedule, injuries, box scores,
//! play-by-play, sportsbook lines) and an HTTP server that speaks the real sources' paths and
//! shapes, so the whole pipeline runs offline and a backtest can print the irreducible error
//! next to a model's (every player-game knows its true expected points).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use props_core::sim::{SimLeague, server};
//! use props_core::ManualClock;
//! let league = std::sync::Arc::new(SimLeague::new(42, "2024-25")?);
//! let clock = ManualClock::new("2025-01-15T17:00:00Z".parse()?);
//! let handle = server::serve("127.0.0.1:0".parse()?, league.clone(), clock).await?;
//! println!("{}", handle.url());
//! let truth = league.true_points("2025-01-14".parse()?);
//! handle.shutdown().await;
//! # Ok(()) }
//! ```

pub mod boxscore;
pub mod game;
pub mod injuries;
pub mod league;
pub mod model;
pub mod names;
pub mod odds;
pub mod players;
pub mod rng;
pub mod schedule;
pub mod server;
pub mod shapes;
pub mod teams;

pub use league::{SimLeague, TruePoints};

/// Why the league could not be built or served.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("invalid season `{0}`: expected YYYY-YY, e.g. 2024-25")]
    BadSeason(String),
    #[error("league generation failed: {0}")]
    Generation(String),
    #[error("sim server I/O: {0}")]
    Io(#[from] std::io::Error),
}
