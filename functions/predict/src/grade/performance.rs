//! `system_daily_performance`: one system's graded day. Win rate over decided picks only
//! (pushes and voids excluded), MAE and bias over every graded prediction with a value, ROI
//! per unit staked at the recorded prices.

use std::collections::BTreeMap;

use props_core::GameDate;
use props_core::tables::rows::predictions::{
    Outcome, PredictionAccuracyRow, Recommendation, SystemDailyPerformanceRow,
};

/// Picks at or above this confidence form the high-confidence split.
pub const HIGH_CONFIDENCE: f64 = 70.0;

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (s, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| s / n as f64)
}

pub fn summarise(date: GameDate, graded: &[PredictionAccuracyRow]) -> Vec<SystemDailyPerformanceRow> {
    let mut by_system: BTreeMap<&str, Vec<&PredictionAccuracyRow>> = BTreeMap::new();
    for g in graded {
        by_system.entry(g.system_id.as_str()).or_default().push(g);
    }
    by_system
        .into_iter()
        .map(|(system, rows)| {
            let count = |o: Outcome| rows.iter().filter(|r| r.outcome == o).count() as i64;
            let picks: Vec<&&PredictionAccuracyRow> = rows.iter().filter(|r| r.recommendation.is_pick()).collect();
            let side = |rec: Recommendation, o: Option<Outcome>| {
                picks.iter().filter(|r| r.recommendation == rec && o.is_none_or(|o| r.outcome == o)).count() as i64
            };
            let high: Vec<&&&PredictionAccuracyRow> =
                picks.iter().filter(|r| r.confidence >= HIGH_CONFIDENCE).collect();
            let (correct, incorrect) = (count(Outcome::Correct), count(Outcome::Incorrect));
            let staked: Vec<f64> = rows.iter().filter_map(|r| r.profit_units).collect();
            SystemDailyPerformanceRow {
                game_date: date,
                system_id: system.to_string(),
                predictions: rows.len() as i64,
                picks: picks.len() as i64,
                correct,
                incorrect,
                pushes: count(Outcome::Push),
                voids: count(Outcome::Void),
                no_line: count(Outcome::NoLine),
                passes: count(Outcome::Pass),
                win_rate: (correct + incorrect > 0).then(|| correct as f64 / (correct + incorrect) as f64),
                mae: mean(rows.iter().filter_map(|r| r.abs_error)),
                bias: mean(rows.iter().filter_map(|r| r.signed_error)),
                roi: (!staked.is_empty()).then(|| staked.iter().sum::<f64>() / staked.len() as f64),
                over_picks: side(Recommendation::Over, None),
                over_correct: side(Recommendation::Over, Some(Outcome::Correct)),
                under_picks: side(Recommendation::Under, None),
                under_correct: side(Recommendation::Under, Some(Outcome::Correct)),
                high_conf_picks: high.len() as i64,
                high_conf_correct: high.iter().filter(|r| r.outcome == Outcome::Correct).count() as i64,
                processed_at: rows.first().map_or(chrono::DateTime::<chrono::Utc>::MIN_UTC, |r| r.processed_at),
                data_hash: String::new(),
            }
        })
        .collect()
}
