//! Rows of `dataset=predictions` (phase 5). They live here because phase 6 (publish), the
//! alert jobs and the CLI's backtest read them, and a function crate never depends on another.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::game_date::GameDate;

/// What a system advises for one player's points line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Recommendation {
    Over,
    Under,
    /// Edge or confidence below the system's gate, or the system abstained.
    Pass,
    /// No points line to bet against.
    NoLine,
}

impl Recommendation {
    pub fn as_str(self) -> &'static str {
        match self {
            Recommendation::Over => "OVER",
            Recommendation::Under => "UNDER",
            Recommendation::Pass => "PASS",
            Recommendation::NoLine => "NO_LINE",
        }
    }

    /// OVER or UNDER: a bet someone could place.
    pub fn is_pick(self) -> bool {
        matches!(self, Recommendation::Over | Recommendation::Under)
    }
}

/// One system's prediction for one player and game. `replace` per game date: a re-run replaces
/// the date, and [`PredictionHistoryRow`] keeps every run.
///
/// `processed_at` is the creation time: a re-run with identical inputs produces identical rows
/// and is skipped as unchanged instead of rewriting the date with a new timestamp.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayerPropPredictionRow {
    pub game_date: GameDate,
    /// `{system_id}:{game_id}:{player_lookup}`: stable across re-runs, so grading joins on it.
    pub prediction_id: String,
    pub system_id: String,
    pub game_id: String,
    pub player_lookup: String,
    pub team: String,
    pub opponent: String,
    pub home: bool,
    /// `None` when the system abstained (too few similar games, no trained model).
    pub predicted_points: Option<f64>,
    /// 0–100.
    pub confidence: f64,
    pub recommendation: Recommendation,
    pub line: Option<f64>,
    pub line_source: Option<String>,
    /// American odds at the line, for ROI at the recorded price.
    pub over_price: Option<i32>,
    pub under_price: Option<i32>,
    /// predicted − line.
    pub line_margin: Option<f64>,
    /// `false` when a sanity check failed; `inactive_reason` says which.
    pub is_active: bool,
    pub inactive_reason: Option<String>,
    /// An OVER/UNDER pick that passed every filter: what the published page lists.
    pub is_actionable: bool,
    /// Why a prediction is not actionable (`no_line`, `low_edge`, `low_confidence`, ...).
    pub filter_reason: Option<String>,
    pub feature_version: String,
    pub feature_quality: f64,
    /// The features the systems read, as a JSON object (name → value).
    pub feature_snapshot: String,
    /// The model version for trained systems; the rule-set version for the others.
    pub model_version: String,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(PlayerPropPredictionRow, "player_prop_predictions", game_date);

/// Every prediction run, appended (one object per run, named from the run's partition hash):
/// a re-run that replaces `player_prop_predictions` loses nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PredictionHistoryRow(pub PlayerPropPredictionRow);

impl crate::tables::TableRow for PredictionHistoryRow {
    const TABLE: &'static str = "prediction_history";
    fn game_date(&self) -> GameDate {
        self.0.game_date
    }
    fn processed_at(&self) -> DateTime<Utc> {
        self.0.processed_at
    }
    fn set_lineage(&mut self, processed_at: DateTime<Utc>, data_hash: String) {
        self.0.set_lineage(processed_at, data_hash);
    }
}

/// How one graded prediction came out. Exactly one per prediction, so the counts reconcile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A pick on the right side of the line.
    Correct,
    Incorrect,
    /// Actual points equal to the line: no result.
    Push,
    /// The player did not play (DNP, no minutes, no box score): `void_reason` says which.
    Void,
    /// No line to grade against.
    NoLine,
    /// A line, but no pick (edge or confidence below the gate, or the system abstained).
    Pass,
}

impl Outcome {
    pub const ALL: [Outcome; 6] =
        [Outcome::Correct, Outcome::Incorrect, Outcome::Push, Outcome::Void, Outcome::NoLine, Outcome::Pass];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Correct => "correct",
            Outcome::Incorrect => "incorrect",
            Outcome::Push => "push",
            Outcome::Void => "void",
            Outcome::NoLine => "no_line",
            Outcome::Pass => "pass",
        }
    }
}

/// One active prediction of a played date, graded against the box score. `replace` per date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PredictionAccuracyRow {
    pub game_date: GameDate,
    pub prediction_id: String,
    pub system_id: String,
    pub game_id: String,
    pub player_lookup: String,
    pub predicted_points: Option<f64>,
    pub confidence: f64,
    pub recommendation: Recommendation,
    pub line: Option<f64>,
    /// The American price of the side picked (−110 when none was recorded).
    pub price: Option<i32>,
    pub actual_points: Option<i32>,
    pub minutes_played: Option<f64>,
    pub outcome: Outcome,
    pub void_reason: Option<String>,
    /// |predicted − actual|, when both exist.
    pub abs_error: Option<f64>,
    /// predicted − actual (positive = predicted too high).
    pub signed_error: Option<f64>,
    pub within_3: Option<bool>,
    pub within_5: Option<bool>,
    /// Stake-1 profit of the pick at its price (0 for a push, `None` when not a decided pick).
    pub profit_units: Option<f64>,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(PredictionAccuracyRow, "prediction_accuracy", game_date);

/// One system's graded day. `replace` per date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SystemDailyPerformanceRow {
    pub game_date: GameDate,
    pub system_id: String,
    /// Active predictions graded (every outcome).
    pub predictions: i64,
    /// OVER/UNDER recommendations among them.
    pub picks: i64,
    pub correct: i64,
    pub incorrect: i64,
    pub pushes: i64,
    pub voids: i64,
    pub no_line: i64,
    pub passes: i64,
    /// correct / (correct + incorrect); `None` without a decided pick.
    pub win_rate: Option<f64>,
    /// Over predictions with a predicted value and an actual (not voided).
    pub mae: Option<f64>,
    pub bias: Option<f64>,
    /// Profit per unit staked over picks that were not voided (pushes stake and return 0).
    pub roi: Option<f64>,
    pub over_picks: i64,
    pub over_correct: i64,
    pub under_picks: i64,
    pub under_correct: i64,
    /// Picks with confidence ≥ the high-confidence threshold.
    pub high_conf_picks: i64,
    pub high_conf_correct: i64,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
crate::table_row!(SystemDailyPerformanceRow, "system_daily_performance", game_date);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::codec;

    #[test]
    fn every_prediction_row_type_has_a_schema() {
        codec::fields_for::<PlayerPropPredictionRow>("player_prop_predictions").unwrap();
        codec::fields_for::<PredictionHistoryRow>("prediction_history").unwrap();
        codec::fields_for::<PredictionAccuracyRow>("prediction_accuracy").unwrap();
        codec::fields_for::<SystemDailyPerformanceRow>("system_daily_performance").unwrap();
    }

    #[test]
    fn enums_are_stored_as_their_names_and_read_back() {
        let row = PredictionAccuracyRow {
            game_date: "2024-03-05".parse().unwrap(),
            prediction_id: "moving_average:g:p".into(),
            system_id: "moving_average".into(),
            game_id: "g".into(),
            player_lookup: "p".into(),
            predicted_points: Some(20.0),
            confidence: 70.0,
            recommendation: Recommendation::NoLine,
            line: None,
            price: None,
            actual_points: Some(18),
            minutes_played: Some(30.0),
            outcome: Outcome::NoLine,
            void_reason: None,
            abs_error: Some(2.0),
            signed_error: Some(2.0),
            within_3: Some(true),
            within_5: Some(true),
            profit_units: None,
            processed_at: chrono::TimeZone::with_ymd_and_hms(&Utc, 2024, 3, 6, 11, 0, 0).unwrap(),
            data_hash: String::new(),
        };
        let bytes = codec::encode("prediction_accuracy", std::slice::from_ref(&row), &[]).unwrap();
        let decoded = codec::decode("k", bytes).unwrap();
        let json = crate::tables::json::batches_to_json(&decoded.batches).unwrap();
        assert_eq!(json[0]["recommendation"], "NO_LINE");
        assert_eq!(json[0]["outcome"], "no_line");
        let back: Vec<PredictionAccuracyRow> = codec::rows_from("k", &decoded.batches).unwrap();
        assert_eq!(back, vec![row]);
    }
}
