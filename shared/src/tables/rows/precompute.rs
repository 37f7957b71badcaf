//! Rows of `dataset=precompute` (phase 4) that phase 5 reads. The feature store row is the
//! contract between the two phases: phase 4 writes it, every prediction system reads it; the
//! zone tables feed `zone_matchup`, the composite factors `moving_average`.
//!
//! Every row describes a player or team BEFORE the game date: built from games strictly before
//! it and from line snapshots taken before tip-off.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::game_date::GameDate;

/// The version of [`FEATURE_NAMES`] (and of how each feature is computed). A model trained on
/// one version refuses rows of another.
pub const FEATURE_VERSION: &str = "v1";

/// The feature vector's names, in order (`MlFeatureStoreRow::features[i]` is `FEATURE_NAMES[i]`).
///
/// Units and encodings: points, minutes and lines in points/minutes per game; rates and shares
/// 0–1; booleans (`back_to_back`, `home`, `has_line`) 0/1; `fatigue_score` 0–100 (100 = fresh);
/// `shot_zone_mismatch` ±10, `pace_score` ±3, `usage_spike` ±3 (positive favours scoring);
/// `game_spread` from the player's team's side (negative = favourite); `recent_trend` = L3 − L10
/// points average; `minutes_change` = L3 − L10 minutes average; `dnp_rate` = share of his team's
/// last 10 games he did not play; `points_slope_last_10` = points per game of the least-squares
/// line through his last 10 games (oldest first); `z_score_l5_vs_season` = (L5 − season average)
/// / season standard deviation; `over_rate_last_10` = share of his last 10 games with a graded
/// line that went over (pushes left out); `injury_status`: 0 available, 0.25 probable,
/// 0.5 questionable / day-to-day, 0.75 doubtful, 1 out (unknown status, as in a backfill:
/// defaulted to 0).
pub const FEATURE_NAMES: [&str; 37] = [
    "points_avg_last_3",
    "points_avg_last_5",
    "points_avg_last_10",
    "points_avg_season",
    "points_std_last_10",
    "minutes_avg_last_10",
    "points_per_minute",
    "games_last_7_days",
    "days_rest",
    "back_to_back",
    "home",
    "fatigue_score",
    "shot_zone_mismatch",
    "pace_score",
    "usage_spike",
    "opponent_def_rating",
    "opponent_pace",
    "team_pace",
    "team_off_rating",
    "paint_share",
    "mid_share",
    "three_share",
    "ft_share",
    "current_line",
    "opening_line",
    "line_movement",
    "has_line",
    "game_total",
    "game_spread",
    "recent_trend",
    "minutes_change",
    "dnp_rate",
    "points_slope_last_10",
    "z_score_l5_vs_season",
    "over_rate_last_10",
    "injury_status",
    "usage_rate_last_10",
];

/// A player's shot profile by zone before the game date, over his last 10 and 20 games played.
/// Zones as in `shots`: `paint`, `mid`, `three`. Rates are shares of his field-goal attempts;
/// percentages are made/attempted. `None` without play-by-play for those games (2023-24 has
/// none). `replace` per game date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayerShotZoneAnalysisRow {
    pub game_date: GameDate,
    pub player_lookup: String,
    pub team: String,
    /// How many of his last 10 / 20 games played have shots recorded.
    pub shot_games_last_10: i32,
    pub shot_games_last_20: i32,
    pub attempts_last_10: i32,
    pub attempts_last_20: i32,
    pub paint_rate_last_10: Option<f64>,
    pub mid_rate_last_10: Option<f64>,
    pub three_rate_last_10: Option<f64>,
    pub paint_pct_last_10: Option<f64>,
    pub mid_pct_last_10: Option<f64>,
    pub three_pct_last_10: Option<f64>,
    pub paint_rate_last_20: Option<f64>,
    pub mid_rate_last_20: Option<f64>,
    pub three_rate_last_20: Option<f64>,
    pub paint_pct_last_20: Option<f64>,
    pub mid_pct_last_20: Option<f64>,
    pub three_pct_last_20: Option<f64>,
    /// Share of his made field goals that were assisted, last 20.
    pub assisted_rate_last_20: Option<f64>,
    /// The zone of most of his attempts over the last 10 (`paint`, `mid`, `three`).
    pub primary_zone: Option<String>,
    pub source_shots: bool,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(PlayerShotZoneAnalysisRow, "player_shot_zone_analysis", game_date);

/// A team's defence over its last 15 games before the game date: ratings, and field-goal
/// percentage allowed per zone against the league over the same dates (`*_vs_league` > 0: the
/// team allows more than the league does there). `replace` per game date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamDefenseZoneAnalysisRow {
    pub game_date: GameDate,
    pub team: String,
    pub games: i32,
    pub defensive_rating_last_15: Option<f64>,
    pub opponent_pace_last_15: Option<f64>,
    pub points_allowed_last_15: Option<f64>,
    /// Games among the 15 with play-by-play shots.
    pub shot_games: i32,
    pub paint_pct_allowed: Option<f64>,
    pub mid_pct_allowed: Option<f64>,
    pub three_pct_allowed: Option<f64>,
    pub league_paint_pct: Option<f64>,
    pub league_mid_pct: Option<f64>,
    pub league_three_pct: Option<f64>,
    pub paint_pct_vs_league: Option<f64>,
    pub mid_pct_vs_league: Option<f64>,
    pub three_pct_vs_league: Option<f64>,
    /// Per game, from the games with shots.
    pub paint_points_allowed_avg: Option<f64>,
    pub mid_points_allowed_avg: Option<f64>,
    pub three_points_allowed_avg: Option<f64>,
    /// The zone with the largest `*_vs_league`.
    pub weakest_zone: Option<String>,
    pub source_shots: bool,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(TeamDefenseZoneAnalysisRow, "team_defense_zone_analysis", game_date);

/// Everything about one player that the later processors and systems need, as of the game
/// date (games strictly before it): scoring, minutes, efficiency, his team's pace and offence,
/// and the fatigue inputs. `replace` per game date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayerDailyCacheRow {
    pub game_date: GameDate,
    pub player_lookup: String,
    pub game_id: String,
    pub team: String,
    pub opponent: String,
    pub home: bool,
    pub games_played_season: i32,
    pub points_avg_last_3: Option<f64>,
    pub points_avg_last_5: Option<f64>,
    pub points_avg_last_10: Option<f64>,
    pub points_avg_season: Option<f64>,
    pub points_std_last_10: Option<f64>,
    pub points_std_season: Option<f64>,
    pub minutes_avg_last_3: Option<f64>,
    pub minutes_avg_last_10: Option<f64>,
    /// Points / minutes over the last 10 games.
    pub points_per_minute_last_10: Option<f64>,
    pub usage_avg_last_5: Option<f64>,
    pub usage_avg_last_10: Option<f64>,
    pub usage_avg_season: Option<f64>,
    pub ts_pct_avg_last_10: Option<f64>,
    /// Free-throw points / points over the last 10 games with free-throw counts.
    pub ft_share_last_10: Option<f64>,
    pub points_slope_last_10: Option<f64>,
    /// Share over among his last 10 games graded OVER or UNDER against a line.
    pub over_rate_last_10: Option<f64>,
    pub graded_games_last_10: i32,
    /// Share of his team's last 10 games in which he did not play.
    pub dnp_rate_last_10: Option<f64>,
    pub team_pace_last_10: Option<f64>,
    pub team_off_rating_last_10: Option<f64>,
    // Fatigue inputs.
    pub days_rest: Option<i32>,
    pub back_to_back: bool,
    pub games_last_7: i32,
    pub minutes_last_7: f64,
    pub back_to_backs_last_14: i32,
    /// From the latest roster snapshot before the game; `None` without one (backfill).
    pub age: Option<i32>,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(PlayerDailyCacheRow, "player_daily_cache", game_date);

/// Adjustment factors for one player's game (DESIGN §8), read by `moving_average`.
/// `replace` per game date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayerCompositeFactorsRow {
    pub game_date: GameDate,
    pub player_lookup: String,
    pub game_id: String,
    pub team: String,
    pub opponent: String,
    /// 0–100, 100 when fresh.
    pub fatigue_score: f64,
    /// His primary zone × the opponent's weakness there, ±10; `None` without shot data.
    pub shot_zone_mismatch: Option<f64>,
    /// Opponent pace − team pace, halved, ±3; `None` without pace.
    pub pace_score: Option<f64>,
    /// Recent usage above his season usage, ±3; `None` without usage.
    pub usage_spike: Option<f64>,
    pub primary_zone: Option<String>,
    /// The opponent's field-goal percentage allowed in his primary zone minus the league's.
    pub opponent_zone_vs_league: Option<f64>,
    pub source_shot_zones: bool,
    pub source_team_defense_zones: bool,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(PlayerCompositeFactorsRow, "player_composite_factors", game_date);

/// One player's features for one game date, known before tip-off. `replace` per game date.
///
/// The vector is ordered and versioned: `feature_names[i]` names `features[i]`, and a model
/// trained on one `feature_version` refuses rows of another instead of silently misreading them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MlFeatureStoreRow {
    pub game_date: GameDate,
    pub game_id: String,
    pub player_lookup: String,
    pub team: String,
    pub opponent: String,
    pub home: bool,
    pub feature_version: String,
    pub feature_names: Vec<String>,
    pub features: Vec<f64>,
    /// Indices into `features` of values that fell back to a default for lack of data.
    pub defaulted: Vec<u32>,
    /// Share of features computed from data rather than defaults, 0–1.
    pub quality_score: f64,
    /// The current points line when one exists (also in the vector), for the systems' edge.
    pub line: Option<f64>,
    pub line_bookmaker: Option<String>,
    /// American odds of the over/under at that line, for ROI at the recorded price.
    pub over_price: Option<i32>,
    pub under_price: Option<i32>,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(MlFeatureStoreRow, "ml_feature_store", game_date);

impl MlFeatureStoreRow {
    /// The named feature, if this row's version has it.
    pub fn feature(&self, name: &str) -> Option<f64> {
        self.feature_names.iter().position(|n| n == name).and_then(|i| self.features.get(i).copied())
    }

    /// Whether the named feature is a default rather than computed from data.
    pub fn is_defaulted(&self, name: &str) -> bool {
        self.feature_names.iter().position(|n| n == name).is_some_and(|i| self.defaulted.contains(&(i as u32)))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::tables::codec;

    fn row() -> MlFeatureStoreRow {
        MlFeatureStoreRow {
            game_date: "2024-03-05".parse().unwrap(),
            game_id: "0022300871".into(),
            player_lookup: "jalenbrunson".into(),
            team: "NYK".into(),
            opponent: "SAC".into(),
            home: false,
            feature_version: "v1".into(),
            feature_names: vec!["points_avg_last_5".into(), "opening_line".into()],
            features: vec![27.4, 26.5],
            defaulted: vec![1],
            quality_score: 0.5,
            line: Some(26.5),
            line_bookmaker: Some("draftkings".into()),
            over_price: Some(-110),
            under_price: None,
            processed_at: Utc.with_ymd_and_hms(2024, 3, 5, 15, 0, 0).unwrap(),
            data_hash: "h".into(),
        }
    }

    #[test]
    fn every_precompute_row_type_has_a_schema_and_the_names_are_unique() {
        codec::fields_for::<PlayerShotZoneAnalysisRow>("player_shot_zone_analysis").unwrap();
        codec::fields_for::<TeamDefenseZoneAnalysisRow>("team_defense_zone_analysis").unwrap();
        codec::fields_for::<PlayerDailyCacheRow>("player_daily_cache").unwrap();
        codec::fields_for::<PlayerCompositeFactorsRow>("player_composite_factors").unwrap();
        let mut names = FEATURE_NAMES.to_vec();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FEATURE_NAMES.len());
    }

    #[test]
    fn list_columns_round_trip_through_parquet() {
        let rows = vec![row()];
        let bytes = codec::encode("ml_feature_store", &rows, &[]).unwrap();
        let decoded = codec::decode("k", bytes).unwrap();
        let back: Vec<MlFeatureStoreRow> = codec::rows_from("k", &decoded.batches).unwrap();
        assert_eq!(back, rows);
    }

    #[test]
    fn features_are_found_by_name_and_defaults_are_flagged() {
        let r = row();
        assert_eq!(r.feature("points_avg_last_5"), Some(27.4));
        assert_eq!(r.feature("nope"), None);
        assert!(r.is_defaulted("opening_line"));
        assert!(!r.is_defaulted("points_avg_last_5"));
    }
}
