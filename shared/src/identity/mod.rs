//! Identity (DESIGN §7): one canonical key per team, player and game, whatever source a name
//! came from. Every join in the pipeline goes through these types, so a source's spelling never
//! leaks past its parser.

pub mod games;
pub mod players;
pub mod season;
pub mod teams;

pub use games::{GameId, GameIdError, GameKind, NbaGameId};
pub use players::player_lookup;
pub use season::{Season, SeasonError};
pub use teams::{TeamCode, TeamForm, UnknownTeam};
