//! Parsed records → raw table rows. Pure functions: no I/O, easy to test.

pub mod boxscores;
pub mod odds;
pub mod rosters;
pub mod schedule;
pub mod shots;

use chrono::{DateTime, Utc};
use props_core::identity::games::GameKind;

/// The empty lineage every new row starts with; the table layer stamps it on write.
pub fn unstamped() -> DateTime<Utc> {
    DateTime::<Utc>::MIN_UTC
}

pub fn season_type(kind: GameKind) -> &'static str {
    match kind {
        GameKind::Preseason => "preseason",
        GameKind::RegularSeason => "regular",
        GameKind::AllStar => "all_star",
        GameKind::Playoffs => "playoffs",
        GameKind::PlayIn => "play_in",
        GameKind::CupFinal => "cup_final",
        GameKind::Other => "other",
    }
}
