//! Scoring a backtest: each system's graded predictions, and the naive baselines on the same
//! player-games with a line — the line itself, the last-10 average, and 0.5·L5 + 0.3·L10 +
//! 0.2·season (`ma_50_30_20`), all read from the feature store as it stood before each game.

use std::collections::BTreeMap;

use props_core::GameDate;
use props_core::tables::rows::analytics::PlayerGameSummaryRow;
use props_core::tables::rows::precompute::MlFeatureStoreRow;
use props_core::tables::rows::predictions::{Outcome, PredictionAccuracyRow};
use serde::Serialize;

use crate::features::{self as f, Features};
use crate::systems::{self, averages};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SystemScore {
    pub system_id: String,
    /// Graded player-games with a line and a prediction.
    pub n: usize,
    pub mae: Option<f64>,
    pub bias: Option<f64>,
    pub picks: usize,
    /// Over decided picks (pushes and voids excluded).
    pub hit_rate: Option<f64>,
    pub roi: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BaselineScore {
    pub name: String,
    pub n: usize,
    pub mae: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    pub systems: Vec<SystemScore>,
    pub baselines: Vec<BaselineScore>,
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

pub fn systems(accuracy: &[PredictionAccuracyRow]) -> Vec<SystemScore> {
    let mut by: BTreeMap<&str, Vec<&PredictionAccuracyRow>> = BTreeMap::new();
    for a in accuracy {
        by.entry(a.system_id.as_str()).or_default().push(a);
    }
    let order = |s: &str| systems::ALL.iter().position(|x| *x == s).unwrap_or(usize::MAX);
    let mut out: Vec<SystemScore> = by
        .into_iter()
        .map(|(system, rows)| {
            let graded: Vec<&&PredictionAccuracyRow> =
                rows.iter().filter(|r| r.line.is_some() && r.signed_error.is_some()).collect();
            let errors: Vec<f64> = graded.iter().filter_map(|r| r.signed_error).collect();
            let abs: Vec<f64> = errors.iter().map(|e| e.abs()).collect();
            let picks = rows.iter().filter(|r| r.recommendation.is_pick() && r.outcome != Outcome::Void).count();
            let won = rows.iter().filter(|r| r.outcome == Outcome::Correct).count();
            let decided = won + rows.iter().filter(|r| r.outcome == Outcome::Incorrect).count();
            let profits: Vec<f64> = rows.iter().filter_map(|r| r.profit_units).collect();
            SystemScore {
                system_id: system.to_string(),
                n: graded.len(),
                mae: mean(&abs),
                bias: mean(&errors),
                picks,
                hit_rate: (decided > 0).then(|| won as f64 / decided as f64),
                roi: mean(&profits),
            }
        })
        .collect();
    out.sort_by_key(|s| (order(&s.system_id), s.system_id.clone()));
    out
}

/// Each feature-store row with a line whose player then played, with what he scored and his
/// NBA id (to join the simulated league's truth).
fn lined_games<'a>(
    features: &'a [MlFeatureStoreRow],
    actuals: &[PlayerGameSummaryRow],
) -> Vec<(&'a MlFeatureStoreRow, f64, f64, i64)> {
    let played: BTreeMap<(GameDate, &str), (f64, i64)> = actuals
        .iter()
        .filter(|g| !g.dnp && g.minutes_played.is_some_and(|m| m > 0.0))
        .filter_map(|g| g.points.map(|p| ((g.game_date, g.player_lookup.as_str()), (f64::from(p), g.player_id))))
        .collect();
    features
        .iter()
        .filter_map(|r| {
            let (actual, id) = played.get(&(r.game_date, r.player_lookup.as_str()))?;
            Some((r, r.line?, *actual, *id))
        })
        .collect()
}

/// The baselines over every feature-store row with a line whose player then played.
pub fn baselines(features: &[MlFeatureStoreRow], actuals: &[PlayerGameSummaryRow]) -> Vec<BaselineScore> {
    let (mut line, mut last10, mut ma) = (Vec::new(), Vec::new(), Vec::new());
    for (r, l, actual, _) in lined_games(features, actuals) {
        let x = Features(r);
        line.push((l - actual).abs());
        if let Some(p) = x.data(f::POINTS_L10) {
            last10.push((p - actual).abs());
        }
        if let Some((l5, l10, season)) = averages(&x) {
            ma.push((systems::moving_average::base(l5, l10, season) - actual).abs());
        }
    }
    [("line", line), ("last10", last10), ("ma_50_30_20", ma)]
        .into_iter()
        .map(|(name, errs)| BaselineScore { name: name.to_string(), n: errs.len(), mae: mean(&errs) })
        .collect()
}

/// The irreducible error (baseline `irreducible`): each player's true expected points as the
/// prediction, on the same player-games as the other baselines. Only a simulated league knows
/// them (`truth` by game date and NBA player id); no system can beat this on average, so it
/// tells how much of the remaining error is noise rather than model.
pub fn irreducible(
    features: &[MlFeatureStoreRow],
    actuals: &[PlayerGameSummaryRow],
    truth: &BTreeMap<(GameDate, i64), f64>,
) -> BaselineScore {
    let errs: Vec<f64> = lined_games(features, actuals)
        .into_iter()
        .filter_map(|(r, _, actual, id)| truth.get(&(r.game_date, id)).map(|e| (e - actual).abs()))
        .collect();
    BaselineScore { name: "irreducible".into(), n: errs.len(), mae: mean(&errs) }
}

pub fn score(
    accuracy: &[PredictionAccuracyRow],
    features: &[MlFeatureStoreRow],
    actuals: &[PlayerGameSummaryRow],
) -> Scores {
    Scores { systems: systems(accuracy), baselines: baselines(features, actuals) }
}

#[cfg(test)]
mod tests {
    use props_core::tables::rows::predictions::{PlayerPropPredictionRow, Recommendation};

    use super::*;
    use crate::grade::grade_all;
    use crate::systems::fixtures::{features, game};

    #[test]
    fn systems_and_baselines_are_scored_on_player_games_with_a_line() {
        let date = "2024-03-05";
        let rows = vec![
            features(
                date,
                "a",
                &[("points_avg_last_5", 30.0), ("points_avg_last_10", 20.0), ("points_avg_season", 10.0)],
                Some(21.5),
            ),
            features(
                date,
                "b",
                &[("points_avg_last_5", 10.0), ("points_avg_last_10", 10.0), ("points_avg_season", 10.0)],
                None,
            ),
            features(
                date,
                "c",
                &[("points_avg_last_5", 12.0), ("points_avg_last_10", 12.0), ("points_avg_season", 12.0)],
                Some(12.5),
            ),
        ];
        let mut actual =
            vec![game(date, "a", "BOS", true, 25), game(date, "b", "BOS", true, 8), game(date, "c", "BOS", true, 0)];
        actual[2].dnp = true;
        actual[2].minutes_played = None;
        for a in &mut actual {
            a.game_id = rows[0].game_id.clone();
        }
        let b = baselines(&rows, &actual);
        assert_eq!(b[0], BaselineScore { name: "line".into(), n: 1, mae: Some(3.5) });
        assert_eq!(b[1], BaselineScore { name: "last10".into(), n: 1, mae: Some(5.0) });
        assert_eq!(
            b[2],
            BaselineScore { name: "ma_50_30_20".into(), n: 1, mae: Some(2.0) },
            "0.5·30 + 0.3·20 + 0.2·10 = 23"
        );

        let truth = BTreeMap::from([((date.parse().unwrap(), actual[0].player_id), 24.0)]);
        assert_eq!(
            irreducible(&rows, &actual, &truth),
            BaselineScore { name: "irreducible".into(), n: 1, mae: Some(1.0) },
            "a's true expectation 24 against his 25; b had no line, c did not play"
        );
        let none = BTreeMap::new();
        assert_eq!(irreducible(&rows, &actual, &none).n, 0, "no truth known: nothing scored");

        let preds = crate::predict::predict_all(
            date.parse().unwrap(),
            &rows,
            &[],
            &crate::league::League::default(),
            &crate::systems::ensemble::Weights::default(),
            None,
        );
        let graded = grade_all(&preds, &actual);
        let s = systems(&graded);
        assert_eq!(
            s.iter().map(|x| x.system_id.as_str()).collect::<Vec<_>>(),
            ["moving_average", "zone_matchup", "similarity", "gbm", "ensemble"]
        );
        let ma = &s[0];
        let keys: Vec<String> = serde_json::to_value(ma).unwrap().as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys.len(), 7, "system_id, n, mae, bias, picks, hit_rate, roi: {keys:?}");
        assert_eq!(ma.n, 1, "b has no line, c did not play");
        let ma_pred: &PlayerPropPredictionRow =
            preds.iter().find(|p| p.system_id == "moving_average" && p.player_lookup == "a").unwrap();
        assert_eq!(ma.mae, Some((ma_pred.predicted_points.unwrap() - 25.0).abs()));
        assert_eq!(s[3].n, 0, "gbm abstained without a model");
        if ma_pred.recommendation == Recommendation::Over {
            assert_eq!((ma.picks, ma.hit_rate), (1, Some(1.0)));
        }
    }
}
