//! `moving_average`: 0.5·L5 + 0.3·L10 + 0.2·season, adjusted for fatigue, shot-zone mismatch
//! (·0.3), back-to-back, pace score (·0.3), venue and usage spike (·0.4).

use super::{Estimate, Input, Verdict, averages, confidence, situation};
use crate::features as f;

/// The weighted average alone: also the `ma_50_30_20` baseline of the backtest.
pub fn base(l5: f64, l10: f64, season: f64) -> f64 {
    0.5 * l5 + 0.3 * l10 + 0.2 * season
}

pub fn predict(x: &Input<'_>) -> Verdict {
    let v = x.features;
    let Some((l5, l10, season)) = averages(&v) else {
        return Verdict::Abstain("no scoring averages".into());
    };
    let points = base(l5, l10, season)
        + situation(&v)
        + 0.3 * v.or(f::ZONE_MISMATCH, 0.0)
        + 0.3 * v.or(f::PACE_SCORE, 0.0)
        + 0.4 * v.or(f::USAGE_SPIKE, 0.0);
    let std = v.data(f::POINTS_STD_L10).unwrap_or(6.0);
    let games = x.played().count();
    Verdict::Predicted(Estimate { points, confidence: confidence(std, games, v.0.quality_score) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Features;
    use crate::league::League;
    use crate::systems::fixtures::{features, game, steady};

    #[test]
    fn weighted_average_plus_adjustments() {
        let league = League::default();
        let row = steady("2024-03-05", "p", Some(19.5));
        let hist: Vec<_> = (1..=10).map(|i| game(&format!("2024-02-{i:02}"), "p", "MIA", true, 20)).collect();
        let refs: Vec<_> = hist.iter().collect();
        let x = Input { features: Features(&row), history: &refs, league: &league };
        let e = predict(&x).estimate().unwrap();
        assert!((e.points - 20.5).abs() < 1e-9, "20 at home (+0.5): {}", e.points);
        // tired, away, on a back-to-back, with a favourable mismatch, pace and usage spike
        let mut row = features(
            "2024-03-05",
            "p",
            &[
                ("points_avg_last_5", 30.0),
                ("points_avg_last_10", 20.0),
                ("points_avg_season", 10.0),
                ("fatigue_score", 45.0),
                ("back_to_back", 1.0),
                ("shot_zone_mismatch", 10.0),
                ("pace_score", 3.0),
                ("usage_spike", -3.0),
            ],
            None,
        );
        row.home = false;
        let x = Input { features: Features(&row), history: &[], league: &league };
        let e = predict(&x).estimate().unwrap();
        let expected = 15.0 + 6.0 + 2.0 - 2.5 - 1.5 - 0.5 + 3.0 + 0.9 - 1.2;
        assert!((e.points - expected).abs() < 1e-9, "{} vs {expected}", e.points);
        assert!(e.confidence < 60.0, "no games behind the averages: {}", e.confidence);
    }

    #[test]
    fn defaulted_averages_are_not_data() {
        let league = League::default();
        let mut row = features("2024-03-05", "p", &[("points_avg_season", 12.0)], None);
        row.defaulted = vec![0];
        let x = Input { features: Features(&row), history: &[], league: &league };
        assert!(matches!(predict(&x), Verdict::Abstain(_)));
    }
}
