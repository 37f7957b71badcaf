//! Rows of `dataset=raw` (phase 2): what the sources said, normalised (canonical game ids, NBA
//! tricodes, `player_lookup`), one row per record. Identifiers are stored as strings; the typed
//! forms (`GameId`, `TeamCode`) are checked when the row is built. Integers are signed: Athena
//! and Glue read unsigned Parquet types poorly.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::game_date::GameDate;

/// A scheduled game. `replace` per game date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduleRow {
    pub game_date: GameDate,
    /// `YYYYMMDD_AWAY_HOME`: the one join key.
    pub game_id: String,
    pub nba_game_id: Option<String>,
    pub season: String,
    /// `regular`, `playoffs`, `play_in`, `preseason`, `all_star`, `cup_final`.
    pub season_type: String,
    /// 1 scheduled, 2 live, 3 final.
    pub game_status: i32,
    #[serde(with = "crate::tables::ts::option")]
    pub tipoff_at: Option<DateTime<Utc>>,
    pub home_team: String,
    pub away_team: String,
    pub home_score: Option<i32>,
    pub away_score: Option<i32>,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(ScheduleRow, "schedule", game_date);

/// One player in one game. `replace` per game date. DNP rows are kept, flagged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayerBoxscoreRow {
    pub game_date: GameDate,
    pub game_id: String,
    pub nba_game_id: Option<String>,
    pub season_type: String,
    pub player_id: i64,
    pub player_name: String,
    pub player_lookup: String,
    pub team: String,
    pub opponent: String,
    pub home: bool,
    pub win: Option<bool>,
    /// Decimal minutes (from a number or "MM:SS"); `None` when the feed has none.
    pub minutes: Option<f64>,
    /// Starter flag when the source has one (never inferred from minutes).
    pub starter: Option<bool>,
    /// Did not play: listed with no minutes.
    pub dnp: bool,
    pub points: Option<i32>,
    pub fg_made: Option<i32>,
    pub fg_attempted: Option<i32>,
    pub three_made: Option<i32>,
    pub three_attempted: Option<i32>,
    pub ft_made: Option<i32>,
    pub ft_attempted: Option<i32>,
    pub off_rebounds: Option<i32>,
    pub def_rebounds: Option<i32>,
    pub rebounds: Option<i32>,
    pub assists: Option<i32>,
    pub steals: Option<i32>,
    pub blocks: Option<i32>,
    pub turnovers: Option<i32>,
    pub fouls: Option<i32>,
    pub plus_minus: Option<i32>,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(PlayerBoxscoreRow, "player_boxscores", game_date);

/// One team in one game. `replace` per game date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamBoxscoreRow {
    pub game_date: GameDate,
    pub game_id: String,
    pub nba_game_id: Option<String>,
    pub season_type: String,
    pub team: String,
    pub opponent: String,
    pub home: bool,
    pub win: Option<bool>,
    /// Team minutes (240 in regulation, +25 per overtime).
    pub minutes: Option<f64>,
    pub points: Option<i32>,
    pub fg_made: Option<i32>,
    pub fg_attempted: Option<i32>,
    pub three_made: Option<i32>,
    pub three_attempted: Option<i32>,
    pub ft_made: Option<i32>,
    pub ft_attempted: Option<i32>,
    pub off_rebounds: Option<i32>,
    pub def_rebounds: Option<i32>,
    pub rebounds: Option<i32>,
    pub assists: Option<i32>,
    pub steals: Option<i32>,
    pub blocks: Option<i32>,
    pub turnovers: Option<i32>,
    pub fouls: Option<i32>,
    pub plus_minus: Option<i32>,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(TeamBoxscoreRow, "team_boxscores", game_date);

/// One field-goal attempt from play-by-play. `replace` per game date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShotRow {
    pub game_date: GameDate,
    pub game_id: String,
    pub action_number: i32,
    pub period: i32,
    pub player_id: i64,
    pub player_lookup: Option<String>,
    pub team: String,
    /// `paint` (≤ 8 ft or Restricted Area / In The Paint), `mid` (other 2s), `three`.
    pub zone: String,
    pub is_three: bool,
    pub distance_ft: Option<f64>,
    pub made: bool,
    pub assisted: bool,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(ShotRow, "shots", game_date);

/// A player on a team's roster at a snapshot, with injury status. `append` per payload;
/// `game_date` is the Eastern date of the snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RosterRow {
    pub game_date: GameDate,
    #[serde(with = "crate::tables::ts")]
    pub snapshot_at: DateTime<Utc>,
    pub team: String,
    pub athlete_id: String,
    pub player_name: String,
    pub player_lookup: String,
    pub position: Option<String>,
    pub age: Option<i32>,
    /// `Out`, `Day-To-Day`, `Questionable`, ... or `None` when healthy.
    pub injury_status: Option<String>,
    pub injury_type: Option<String>,
    pub injury_detail: Option<String>,
    pub injury_return: Option<String>,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(RosterRow, "rosters", game_date);

/// One bookmaker's points line for one player and game, at one snapshot. `append` per payload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayerPointsPropRow {
    pub game_date: GameDate,
    pub game_id: String,
    pub odds_event_id: String,
    #[serde(with = "crate::tables::ts")]
    pub snapshot_at: DateTime<Utc>,
    #[serde(with = "crate::tables::ts")]
    pub tipoff_at: DateTime<Utc>,
    pub bookmaker: String,
    pub player_name: String,
    pub player_lookup: String,
    pub line: f64,
    pub over_price_american: Option<i32>,
    pub under_price_american: Option<i32>,
    pub over_price_decimal: Option<f64>,
    pub under_price_decimal: Option<f64>,
    /// Negative after tip-off.
    pub minutes_before_tipoff: i64,
    /// Captured after tip-off: kept for the record, never used downstream.
    pub after_tipoff: bool,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(PlayerPointsPropRow, "player_points_props", game_date);

impl PlayerPointsPropRow {
    /// Whether this snapshot may feed a pre-game number: taken before tip-off and not after
    /// `cutoff` (the clock of a run built before the game; a backfill's clock stands at that
    /// morning). A line seen after tip-off knows the game.
    pub fn is_pregame(&self, cutoff: Option<DateTime<Utc>>) -> bool {
        !self.after_tipoff && self.snapshot_at < self.tipoff_at && cutoff.is_none_or(|c| self.snapshot_at <= c)
    }
}

/// One bookmaker's spread or total for one game, at one snapshot. `append` per payload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GameLineRow {
    pub game_date: GameDate,
    pub game_id: String,
    pub odds_event_id: String,
    #[serde(with = "crate::tables::ts")]
    pub snapshot_at: DateTime<Utc>,
    #[serde(with = "crate::tables::ts")]
    pub tipoff_at: DateTime<Utc>,
    pub bookmaker: String,
    /// `spreads` or `totals`.
    pub market: String,
    /// Home team's spread (negative = favourite) for spreads; the total for totals.
    pub home_point: Option<f64>,
    pub away_point: Option<f64>,
    pub total: Option<f64>,
    pub home_price_american: Option<i32>,
    pub away_price_american: Option<i32>,
    pub over_price_american: Option<i32>,
    pub under_price_american: Option<i32>,
    pub minutes_before_tipoff: i64,
    pub after_tipoff: bool,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(GameLineRow, "game_lines", game_date);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::codec;

    #[test]
    fn every_raw_row_type_has_a_schema() {
        codec::fields_for::<ScheduleRow>("schedule").unwrap();
        codec::fields_for::<PlayerBoxscoreRow>("player_boxscores").unwrap();
        codec::fields_for::<TeamBoxscoreRow>("team_boxscores").unwrap();
        codec::fields_for::<ShotRow>("shots").unwrap();
        codec::fields_for::<RosterRow>("rosters").unwrap();
        codec::fields_for::<PlayerPointsPropRow>("player_points_props").unwrap();
        codec::fields_for::<GameLineRow>("game_lines").unwrap();
    }
}
