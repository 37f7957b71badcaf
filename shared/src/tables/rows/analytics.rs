//! Rows of `dataset=analytics` (phase 3). They live here, not in the analytics crate, because
//! phase 4 reads them and a function crate never depends on another.
//!
//! Counts copied from box scores stay `Option`: a feed without made/attempted splits (all of
//! 2023-24, about 12 % of 2024-25 player rows) must give `null`, never a fake zero, and every
//! rate derived from a missing count is `null` too.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::game_date::GameDate;

/// One team's offence in one game. `replace` per game date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamOffenseGameSummaryRow {
    pub game_date: GameDate,
    pub game_id: String,
    pub season_type: String,
    pub team: String,
    pub opponent: String,
    pub home: bool,
    pub points: Option<i32>,
    pub opponent_points: Option<i32>,
    /// From both teams' points (`None` when either is missing): never a constant.
    pub win_flag: Option<bool>,
    pub margin: Option<i32>,
    /// Team minutes: 240 in regulation, +25 per overtime period.
    pub minutes: Option<f64>,
    pub overtime_periods: Option<i32>,
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
    /// FGA + 0.44·FTA + TOV − OREB.
    pub possessions: Option<f64>,
    /// 100·PTS / possessions.
    pub offensive_rating: Option<f64>,
    /// possessions·48 / (minutes/5).
    pub pace: Option<f64>,
    pub ts_pct: Option<f64>,
    pub efg_pct: Option<f64>,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(TeamOffenseGameSummaryRow, "team_offense_game_summary", game_date);

/// One team's defence in one game: the opponent's offence seen from the defender.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamDefenseGameSummaryRow {
    pub game_date: GameDate,
    pub game_id: String,
    pub season_type: String,
    pub team: String,
    pub opponent: String,
    pub home: bool,
    pub points_allowed: Option<i32>,
    pub opp_fg_made: Option<i32>,
    pub opp_fg_attempted: Option<i32>,
    pub opp_fg_pct: Option<f64>,
    pub opp_three_made: Option<i32>,
    pub opp_three_attempted: Option<i32>,
    pub opp_three_pct: Option<f64>,
    pub opp_ft_made: Option<i32>,
    pub opp_ft_attempted: Option<i32>,
    pub opp_ft_pct: Option<f64>,
    pub opp_possessions: Option<f64>,
    /// 100·opponent points / opponent possessions.
    pub defensive_rating: Option<f64>,
    pub opponent_pace: Option<f64>,
    /// The opponent's turnovers.
    pub turnovers_forced: Option<i32>,
    pub steals: Option<i32>,
    pub blocks: Option<i32>,
    pub def_rebounds: Option<i32>,
    /// Points the opponent scored by zone, from play-by-play shots (`None` without shots).
    pub paint_points_allowed: Option<i32>,
    pub mid_points_allowed: Option<i32>,
    pub three_points_allowed: Option<i32>,
    /// Whether shots were present for this game (completeness).
    pub source_shots: bool,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(TeamDefenseGameSummaryRow, "team_defense_game_summary", game_date);

/// One player in one game, with his pre-game points line and how he did against it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayerGameSummaryRow {
    pub game_date: GameDate,
    pub game_id: String,
    pub season_type: String,
    pub player_lookup: String,
    pub player_id: i64,
    pub player_name: String,
    pub team: String,
    pub opponent: String,
    pub home: bool,
    /// Decimal minutes.
    pub minutes_played: Option<f64>,
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
    pub efg_pct: Option<f64>,
    pub ts_pct: Option<f64>,
    /// Usage rate in percent (0–100); `None` when an input is missing or he did not play.
    pub usage_rate: Option<f64>,
    /// From the source when it has one; never inferred from minutes.
    pub starter: Option<bool>,
    pub dnp: bool,
    /// The pre-game line: the first preferred bookmaker that has one, else the median.
    pub points_line: Option<f64>,
    /// The bookmaker key, or `median`.
    pub line_source: Option<String>,
    pub line_bookmakers: i32,
    /// The same source's earliest pre-game snapshot.
    pub opening_line: Option<f64>,
    /// points_line − opening_line.
    pub line_movement: Option<f64>,
    /// `OVER`, `UNDER`, `PUSH`, or `None` (no line, no points, or did not play).
    pub over_under_result: Option<String>,
    /// points − line.
    pub margin_vs_line: Option<f64>,
    pub source_team_summary: bool,
    pub source_props: bool,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(PlayerGameSummaryRow, "player_game_summary", game_date);

/// What is known about a player before a scheduled game. Built only from dates before the game
/// date and from pre-game snapshots of the game date (lines, rosters) taken before tip-off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpcomingPlayerGameContextRow {
    pub game_date: GameDate,
    pub player_lookup: String,
    pub player_name: Option<String>,
    pub game_id: String,
    pub team: String,
    pub opponent: String,
    pub home: bool,
    /// `roster` (latest roster snapshot), `history` (played in the team's last 10 games: a
    /// backfill, where no roster history exists) or `line` (not listed, but has a points line
    /// for the game and last played for this team).
    pub player_source: String,
    /// Full days off since his last game (0 = back-to-back); `None` without a previous game.
    pub days_rest: Option<i32>,
    pub back_to_back: bool,
    pub games_last_7: i32,
    pub games_last_14: i32,
    pub minutes_last_7: f64,
    pub minutes_last_14: f64,
    pub back_to_backs_last_14: i32,
    pub points_avg_last_5: Option<f64>,
    pub points_avg_last_10: Option<f64>,
    pub points_avg_season: Option<f64>,
    pub points_std_last_10: Option<f64>,
    pub games_played_season: i32,
    /// `high` (≥ 10 games), `medium` (≥ 5), `low` (≥ 1), `none`.
    pub sample_quality: String,
    /// The latest roster snapshot's status before the game (`Active` when healthy), or
    /// `unknown` when there is no roster snapshot (backfill).
    pub injury_status: String,
    pub current_points_line: Option<f64>,
    pub current_line_source: Option<String>,
    pub opening_points_line: Option<f64>,
    pub line_movement: Option<f64>,
    /// Consecutive most recent games over (+n) or under (−n) his line; pushes end nothing and
    /// count for nothing.
    pub prop_streak: i32,
    /// The team's spread (negative = favourite), median across books.
    pub game_spread: Option<f64>,
    pub opening_spread: Option<f64>,
    pub game_total: Option<f64>,
    pub opening_total: Option<f64>,
    pub team_pace_last_10: Option<f64>,
    pub opponent_pace_last_10: Option<f64>,
    /// team_pace_last_10 − opponent_pace_last_10.
    pub pace_differential: Option<f64>,
    pub opponent_def_rating_last_10: Option<f64>,
    pub source_rosters: bool,
    pub source_props: bool,
    pub source_game_lines: bool,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(UpcomingPlayerGameContextRow, "upcoming_player_game_context", game_date);

/// What is known about a team before a scheduled game.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpcomingTeamGameContextRow {
    pub game_date: GameDate,
    pub team: String,
    pub game_id: String,
    pub opponent: String,
    pub home: bool,
    pub days_rest: Option<i32>,
    pub back_to_back: bool,
    pub games_last_7: i32,
    pub games_last_14: i32,
    pub game_spread: Option<f64>,
    pub opening_spread: Option<f64>,
    pub spread_movement: Option<f64>,
    pub game_total: Option<f64>,
    pub opening_total: Option<f64>,
    pub total_movement: Option<f64>,
    /// From the latest roster snapshot before the game; `None` without one (backfill).
    pub players_out: Option<i32>,
    pub players_questionable: Option<i32>,
    /// Consecutive wins (+n) or losses (−n) up to the previous game.
    pub win_streak: i32,
    pub last_game_margin: Option<i32>,
    pub pace_last_10: Option<f64>,
    pub offensive_rating_last_10: Option<f64>,
    pub defensive_rating_last_10: Option<f64>,
    pub source_rosters: bool,
    pub source_game_lines: bool,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(UpcomingTeamGameContextRow, "upcoming_team_game_context", game_date);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::codec;

    #[test]
    fn every_analytics_row_type_has_a_schema() {
        codec::fields_for::<TeamOffenseGameSummaryRow>("team_offense_game_summary").unwrap();
        codec::fields_for::<TeamDefenseGameSummaryRow>("team_defense_game_summary").unwrap();
        codec::fields_for::<PlayerGameSummaryRow>("player_game_summary").unwrap();
        codec::fields_for::<UpcomingPlayerGameContextRow>("upcoming_player_game_context").unwrap();
        codec::fields_for::<UpcomingTeamGameContextRow>("upcoming_team_game_context").unwrap();
    }
}
