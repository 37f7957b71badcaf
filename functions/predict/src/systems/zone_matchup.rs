//! `zone_matchup`: the season average, moved by how tonight's opponent defends where the player
//! scores. Per zone, the opponent's points allowed there against the league average, weighted
//! by the player's share of shots in that zone; then pace (·0.3), venue and fatigue.
//!
//! Without play-by-play shots for the opponent (no zone data), the opponent's defensive rating
//! against the league average stands in for every zone, at lower confidence.

use super::{Estimate, Input, Verdict, averages, confidence, situation};
use crate::features as f;

/// Half of a zone's relative weakness reaches the player: his shot mix adapts, and 15 games of
/// zone points are noisy.
const ZONE_PASS_THROUGH: f64 = 0.5;
/// Confidence is scaled by this when only the defensive rating is known.
const RATING_ONLY: f64 = 0.85;

pub fn predict(x: &Input<'_>) -> Verdict {
    let v = x.features;
    let Some((_, l10, season)) = averages(&v) else {
        return Verdict::Abstain("no scoring averages".into());
    };
    // Early in a season the season average is a handful of games: lean on the last ten too.
    let games = x.played().count();
    let base = if games >= 10 { season } else { 0.5 * season + 0.5 * l10 };
    let opponent = x.league.defence(&v.0.opponent);
    let shares = [v.data(f::PAINT_SHARE), v.data(f::MID_SHARE), v.data(f::THREE_SHARE)];
    let zone_ratio = match (opponent.and_then(|d| d.zones), x.league.avg_zones, shares) {
        (Some(o), Some(avg), [Some(p), Some(m), Some(t)]) if avg.paint > 0.0 && avg.mid > 0.0 && avg.three > 0.0 => {
            let total = (p + m + t).max(1e-9);
            Some(
                (p * (o.paint / avg.paint - 1.0) + m * (o.mid / avg.mid - 1.0) + t * (o.three / avg.three - 1.0))
                    / total,
            )
        }
        _ => None,
    };
    let rating_ratio = opponent
        .and_then(|d| d.def_rating)
        .or(v.data(f::OPP_DEF_RATING))
        .zip(x.league.avg_def_rating)
        .filter(|(_, avg)| *avg > 0.0)
        .map(|(r, avg)| r / avg - 1.0);
    let (ratio, scale) = match (zone_ratio, rating_ratio) {
        (Some(z), _) => (z, 1.0),
        (None, Some(r)) => (r, RATING_ONLY),
        (None, None) => return Verdict::Abstain("no defensive data for the opponent".into()),
    };
    let points = base * (1.0 + ZONE_PASS_THROUGH * ratio) + 0.3 * v.or(f::PACE_SCORE, 0.0) + situation(&v);
    let std = v.data(f::POINTS_STD_L10).unwrap_or(6.0);
    Verdict::Predicted(Estimate { points, confidence: scale * confidence(std, games, v.0.quality_score) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Features;
    use crate::league::League;
    use crate::league::tests::defence_row;
    use crate::systems::fixtures::{game, steady};

    fn history() -> Vec<props_core::tables::rows::analytics::PlayerGameSummaryRow> {
        (1..=12).map(|i| game(&format!("2024-02-{i:02}"), "p", "MIA", true, 20)).collect()
    }

    #[test]
    fn a_weak_paint_defence_lifts_a_paint_scorer() {
        // BOS allows 50 in the paint against a league average of 45; other zones average.
        let league = League::from_rows(&[
            defence_row("2024-03-01", "BOS", 112.0, Some((50, 10, 30))),
            defence_row("2024-03-01", "MIA", 112.0, Some((40, 10, 30))),
        ]);
        let row = steady("2024-03-05", "p", Some(20.5)); // paint 0.5, mid 0.2, three 0.3
        let hist = history();
        let refs: Vec<_> = hist.iter().collect();
        let e = predict(&Input { features: Features(&row), history: &refs, league: &league }).estimate().unwrap();
        let ratio = 0.5 * (50.0 / 45.0 - 1.0);
        let expected = 20.0 * (1.0 + 0.5 * ratio) + 0.5;
        assert!((e.points - expected).abs() < 1e-9, "{} vs {expected}", e.points);
        assert!(e.points > 20.5);
    }

    #[test]
    fn without_shots_the_rating_stands_in_at_lower_confidence() {
        let league = League::from_rows(&[
            defence_row("2024-03-01", "BOS", 99.0, None),
            defence_row("2024-03-01", "MIA", 121.0, None),
        ]);
        let row = steady("2024-03-05", "p", None);
        let hist = history();
        let refs: Vec<_> = hist.iter().collect();
        let e = predict(&Input { features: Features(&row), history: &refs, league: &league }).estimate().unwrap();
        assert!(e.points < 20.0, "a strong defence lowers him: {}", e.points);
        let full = crate::systems::confidence(4.0, 12, 1.0);
        assert!((e.confidence - 0.85 * full).abs() < 1e-9);
        let empty = League::default();
        let mut row = row.clone();
        let i = row.feature_names.iter().position(|n| n == "opponent_def_rating").unwrap();
        row.feature_names.remove(i);
        row.features.remove(i);
        let v = predict(&Input { features: Features(&row), history: &refs, league: &empty });
        assert!(matches!(v, Verdict::Abstain(_)), "{v:?}");
    }
}
