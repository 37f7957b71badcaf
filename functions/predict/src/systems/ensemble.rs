//! `ensemble`: the other systems' predictions for the player, weighted by their recent graded
//! accuracy (inverse squared MAE over the last [`WINDOW_DAYS`] graded days). A system without
//! graded history gets the average weight, so a new system is neither ignored nor trusted more.

use std::collections::BTreeMap;

use props_core::tables::rows::predictions::SystemDailyPerformanceRow;

use super::{ENSEMBLE, Estimate, Verdict};

pub const WINDOW_DAYS: u64 = 30;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Weights(BTreeMap<String, f64>);

impl Weights {
    /// From `system_daily_performance` rows of the window (any order).
    pub fn from_performance(rows: &[SystemDailyPerformanceRow]) -> Weights {
        let mut sums: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
        for r in rows.iter().filter(|r| r.system_id != ENSEMBLE) {
            if let Some(mae) = r.mae.filter(|m| m.is_finite()) {
                let n = (r.predictions - r.voids).max(1) as f64;
                let e = sums.entry(r.system_id.as_str()).or_default();
                e.0 += mae * n;
                e.1 += n;
            }
        }
        Weights(sums.into_iter().map(|(s, (sum, n))| (s.to_string(), 1.0 / (sum / n).max(1.0).powi(2))).collect())
    }

    pub fn of(&self, system: &str) -> f64 {
        self.0
            .get(system)
            .copied()
            .unwrap_or_else(|| if self.0.is_empty() { 1.0 } else { self.0.values().sum::<f64>() / self.0.len() as f64 })
    }
}

/// Combines `(system, estimate)` pairs; confidence shrinks when the systems disagree.
pub fn combine(parts: &[(&str, Estimate)], weights: &Weights) -> Verdict {
    let w: Vec<(f64, Estimate)> = parts.iter().map(|(s, e)| (weights.of(s), *e)).filter(|(w, _)| *w > 0.0).collect();
    let total: f64 = w.iter().map(|(w, _)| w).sum();
    if w.is_empty() || total <= 0.0 {
        return Verdict::Abstain("no system predicted".into());
    }
    let points = w.iter().map(|(wi, e)| wi * e.points).sum::<f64>() / total;
    let conf = w.iter().map(|(wi, e)| wi * e.confidence).sum::<f64>() / total;
    let spread = (w.iter().map(|(wi, e)| wi * (e.points - points).powi(2)).sum::<f64>() / total).sqrt();
    let agreement = (1.0 - spread / 6.0).clamp(0.5, 1.0);
    Verdict::Predicted(Estimate { points, confidence: conf * agreement })
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn perf(system: &str, mae: f64, predictions: i64) -> SystemDailyPerformanceRow {
        SystemDailyPerformanceRow {
            game_date: "2024-03-01".parse().unwrap(),
            system_id: system.into(),
            predictions,
            picks: 0,
            correct: 0,
            incorrect: 0,
            pushes: 0,
            voids: 0,
            no_line: 0,
            passes: 0,
            win_rate: None,
            mae: Some(mae),
            bias: None,
            roi: None,
            over_picks: 0,
            over_correct: 0,
            under_picks: 0,
            under_correct: 0,
            high_conf_picks: 0,
            high_conf_correct: 0,
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        }
    }

    #[test]
    fn the_more_accurate_system_weighs_more_and_disagreement_costs_confidence() {
        let w = Weights::from_performance(&[perf("a", 4.0, 100), perf("b", 8.0, 100), perf("ensemble", 1.0, 100)]);
        assert_eq!(w.of("a"), 1.0 / 16.0);
        assert_eq!(w.of("c"), (1.0 / 16.0 + 1.0 / 64.0) / 2.0, "unknown: the average weight");
        let parts =
            [("a", Estimate { points: 20.0, confidence: 80.0 }), ("b", Estimate { points: 30.0, confidence: 80.0 })];
        let e = combine(&parts, &w).estimate().unwrap();
        assert!((e.points - 22.0).abs() < 1e-9, "{}", e.points);
        assert!(e.confidence < 80.0);
        let same =
            [("a", Estimate { points: 20.0, confidence: 80.0 }), ("b", Estimate { points: 20.0, confidence: 80.0 })];
        assert_eq!(combine(&same, &w).estimate().unwrap().confidence, 80.0);
        assert!(matches!(combine(&[], &Weights::default()), Verdict::Abstain(_)));
    }

    #[test]
    fn mae_is_weighted_by_graded_predictions() {
        let w = Weights::from_performance(&[perf("a", 2.0, 300), perf("a", 6.0, 100)]);
        assert_eq!(w.of("a"), 1.0 / 9.0);
    }
}
