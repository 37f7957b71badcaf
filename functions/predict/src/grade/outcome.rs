//! Grading one prediction against the box score (DESIGN §10): a push is no result, a player who
//! did not play voids the prediction with a reason, and every active prediction gets exactly
//! one outcome.

use props_core::tables::rows::analytics::PlayerGameSummaryRow;
use props_core::tables::rows::predictions::{Outcome, PlayerPropPredictionRow, PredictionAccuracyRow, Recommendation};

/// The price assumed when none was recorded.
pub const DEFAULT_PRICE: i32 = -110;

/// Stake-1 profit of a winning bet at American odds.
pub fn win_profit(price: i32) -> f64 {
    if price > 0 { f64::from(price) / 100.0 } else { 100.0 / f64::from(price.unsigned_abs().max(1)) }
}

/// Why a prediction cannot be graded, if it cannot.
fn void_reason(actual: Option<&PlayerGameSummaryRow>) -> Option<&'static str> {
    match actual {
        None => Some("no box score"),
        Some(a) if a.dnp => Some("dnp"),
        Some(a) if !a.minutes_played.is_some_and(|m| m > 0.0) => Some("no minutes"),
        Some(a) if a.points.is_none() => Some("no points recorded"),
        Some(_) => None,
    }
}

pub fn grade(p: &PlayerPropPredictionRow, actual: Option<&PlayerGameSummaryRow>) -> PredictionAccuracyRow {
    let void = void_reason(actual);
    let points = actual.and_then(|a| a.points).filter(|_| void.is_none());
    let side_price = match p.recommendation {
        Recommendation::Over => Some(p.over_price.unwrap_or(DEFAULT_PRICE)),
        Recommendation::Under => Some(p.under_price.unwrap_or(DEFAULT_PRICE)),
        _ => None,
    };
    let outcome = match (void, p.line, points) {
        (Some(_), _, _) | (_, _, None) => Outcome::Void,
        (None, None, _) => Outcome::NoLine,
        (None, Some(_), Some(_)) if !p.recommendation.is_pick() => Outcome::Pass,
        (None, Some(line), Some(pts)) => {
            let pts = f64::from(pts);
            if pts == line {
                Outcome::Push
            } else if (pts > line) == (p.recommendation == Recommendation::Over) {
                Outcome::Correct
            } else {
                Outcome::Incorrect
            }
        }
    };
    let profit = match (outcome, side_price) {
        (Outcome::Correct, Some(price)) => Some(win_profit(price)),
        (Outcome::Incorrect, Some(_)) => Some(-1.0),
        (Outcome::Push, Some(_)) => Some(0.0),
        _ => None,
    };
    let error = p.predicted_points.zip(points).map(|(pred, pts)| pred - f64::from(pts));
    PredictionAccuracyRow {
        game_date: p.game_date,
        prediction_id: p.prediction_id.clone(),
        system_id: p.system_id.clone(),
        game_id: p.game_id.clone(),
        player_lookup: p.player_lookup.clone(),
        predicted_points: p.predicted_points,
        confidence: p.confidence,
        recommendation: p.recommendation,
        line: p.line,
        price: side_price,
        actual_points: points,
        minutes_played: actual.and_then(|a| a.minutes_played),
        outcome,
        void_reason: void.map(str::to_string),
        abs_error: error.map(f64::abs),
        signed_error: error,
        within_3: error.map(|e| e.abs() <= 3.0),
        within_5: error.map(|e| e.abs() <= 5.0),
        profit_units: profit,
        processed_at: p.processed_at,
        data_hash: String::new(),
    }
}
