//! Parsers: one raw payload in, normalized records out (DESIGN §6, §8).
//!
//! Every team is mapped to its canonical tricode and every player to a `player_lookup`. A name
//! that does not resolve is counted in [`Unresolved`] and reported, never silently dropped. An
//! empty day is a success with zero records. Anything malformed is a [`ParseError`] naming the
//! parser, the place in the payload and the problem; no parser panics on any input.

pub mod dispatch;
pub mod error;
pub mod espn_roster;
pub mod gamelog;
pub(crate) mod json;
pub mod odds;
pub mod odds_event_odds;
pub mod odds_events;
pub mod payload;
pub mod playbyplay;
pub mod schedule;

use serde::Serialize;

pub use dispatch::{ParsedJson, PayloadKind, parse_to_json};
pub use error::{ParseError, Problem};
pub use espn_roster::{RosterEntry, parse_espn_roster};
pub use gamelog::{BoxStats, PlayerGameLog, TeamGameLog, parse_player_gamelog, parse_team_gamelog};
pub use odds::{HistoricalSnapshot, OddsEvent};
pub use odds_event_odds::{EventOdds, GameLine, LineMarket, PlayerPropLine, parse_event_odds};
pub use odds_events::{OddsEvents, parse_odds_events};
pub use playbyplay::{PlayByPlayAction, parse_playbyplay};
pub use schedule::{GameStatus, ScheduleGame, parse_schedule};

/// Names that could not be mapped to a canonical team or player.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Unresolved {
    /// Every occurrence, including repeats of the same name.
    pub count: usize,
    /// Distinct names (at most [`Unresolved::MAX_DISTINCT`]) with their occurrences.
    pub names: Vec<UnresolvedName>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    Team,
    Player,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnresolvedName {
    pub kind: NameKind,
    pub name: String,
    pub occurrences: usize,
    /// Where it was first seen (a game id, an event id, a payload path).
    pub first_seen: String,
}

impl Unresolved {
    pub const MAX_DISTINCT: usize = 100;

    pub fn record(&mut self, kind: NameKind, name: &str, context: &str) {
        self.count += 1;
        let name: String = name.chars().take(80).collect();
        if let Some(n) = self.names.iter_mut().find(|n| n.kind == kind && n.name == name) {
            n.occurrences += 1;
        } else if self.names.len() < Self::MAX_DISTINCT {
            self.names.push(UnresolvedName {
                kind,
                name,
                occurrences: 1,
                first_seen: context.chars().take(120).collect(),
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// A parser's output: the records and what could not be resolved.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Parsed<T> {
    pub records: Vec<T>,
    pub unresolved: Unresolved,
}

impl<T> Default for Parsed<T> {
    fn default() -> Self {
        Self { records: Vec::new(), unresolved: Unresolved::default() }
    }
}

#[cfg(test)]
mod fuzz_tests;
