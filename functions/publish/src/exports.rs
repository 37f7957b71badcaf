//! The three JSON exports. Deterministic functions of the report (no timestamps), so
//! re-publishing unchanged inputs writes identical objects.

use std::collections::BTreeMap;

use props_core::tables::rows::predictions::{Outcome, PlayerPropPredictionRow, PredictionAccuracyRow};
use serde_json::{Value, json};

use crate::report::DayReport;

fn pick(p: &PlayerPropPredictionRow) -> Value {
    json!({
        "prediction_id": p.prediction_id, "system_id": p.system_id, "game_id": p.game_id,
        "player_lookup": p.player_lookup, "team": p.team, "opponent": p.opponent, "home": p.home,
        "recommendation": p.recommendation.as_str(), "line": p.line, "line_source": p.line_source,
        "predicted_points": p.predicted_points, "edge": p.line_margin, "confidence": p.confidence,
        "over_price": p.over_price, "under_price": p.under_price, "model_version": p.model_version,
    })
}

pub fn predictions(r: &DayReport) -> Value {
    let mut by_system: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for p in &r.predictions {
        let e = by_system.entry(p.system_id.as_str()).or_default();
        e.0 += 1;
        e.1 += usize::from(p.recommendation.is_pick());
        e.2 += usize::from(p.is_actionable);
    }
    let systems: BTreeMap<&str, Value> = by_system
        .into_iter()
        .map(|(s, (n, picks, actionable))| (s, json!({"predictions": n, "picks": picks, "actionable": actionable})))
        .collect();
    json!({
        "game_date": r.date.to_string(),
        "predictions": r.predictions.len(),
        "players": r.predictions.iter().map(|p| p.player_lookup.as_str()).collect::<std::collections::BTreeSet<_>>().len(),
        "systems": systems,
        "actionable": r.actionable().into_iter().map(pick).collect::<Vec<_>>(),
    })
}

fn result(a: &PredictionAccuracyRow) -> Value {
    json!({
        "prediction_id": a.prediction_id, "system_id": a.system_id, "player_lookup": a.player_lookup,
        "recommendation": a.recommendation.as_str(), "line": a.line, "predicted_points": a.predicted_points,
        "actual_points": a.actual_points, "outcome": a.outcome.as_str(), "void_reason": a.void_reason,
        "abs_error": a.abs_error, "profit_units": a.profit_units,
    })
}

pub fn results(r: &DayReport) -> Value {
    let count = |o: Outcome| r.results.iter().filter(|a| a.outcome == o).count();
    let outcomes: BTreeMap<&str, usize> = Outcome::ALL.iter().map(|o| (o.as_str(), count(*o))).collect();
    json!({
        "game_date": r.date.prev().to_string(),
        "graded": r.results.len(),
        "outcomes": outcomes,
        "picks": r.results.iter().filter(|a| a.recommendation.is_pick()).map(result).collect::<Vec<_>>(),
    })
}

pub fn system_performance(r: &DayReport) -> Value {
    json!({"as_of": r.date.to_string(), "systems": r.performance})
}
