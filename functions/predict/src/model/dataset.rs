//! Training examples: a feature-store row (known before the game) paired with the points the
//! player then scored (from `player_game_summary` of the same date). Validation is the most
//! recent dates, never a random split: the model is judged on games after those it learned from.

use std::collections::BTreeMap;

use props_core::GameDate;
use props_core::tables::rows::analytics::PlayerGameSummaryRow;
use props_core::tables::rows::precompute::MlFeatureStoreRow;

#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub game_date: GameDate,
    pub x: Vec<f64>,
    pub y: f64,
    /// The line, when there was one (the validation report compares against it).
    pub line: Option<f64>,
}

/// Examples of `feature_version` only, in the order of `names`; games he did not play are left
/// out (a DNP is not a zero-point game to learn from).
pub fn examples(
    features: &[MlFeatureStoreRow],
    actuals: &[PlayerGameSummaryRow],
    feature_version: &str,
    names: &[String],
) -> Vec<Example> {
    let played: BTreeMap<(GameDate, &str), i32> = actuals
        .iter()
        .filter(|g| !g.dnp && g.minutes_played.is_some_and(|m| m > 0.0))
        .filter_map(|g| g.points.map(|p| ((g.game_date, g.player_lookup.as_str()), p)))
        .collect();
    let mut out: Vec<Example> = features
        .iter()
        .filter(|r| r.feature_version == feature_version)
        .filter_map(|r| {
            let y = *played.get(&(r.game_date, r.player_lookup.as_str()))?;
            let x: Option<Vec<f64>> = names.iter().map(|n| r.feature(n)).collect();
            Some(Example { game_date: r.game_date, x: x?, y: f64::from(y), line: r.line })
        })
        .collect();
    out.sort_by_key(|e| e.game_date);
    out
}

/// Splits time-ordered examples: the last `share` of the distinct dates validate.
pub fn split_by_time(examples: Vec<Example>, share: f64) -> (Vec<Example>, Vec<Example>) {
    let mut dates: Vec<GameDate> = examples.iter().map(|e| e.game_date).collect();
    dates.dedup();
    let n_valid = ((dates.len() as f64) * share).ceil() as usize;
    let Some(first_valid) = dates.len().checked_sub(n_valid.max(1)).and_then(|i| dates.get(i).copied()) else {
        return (examples, Vec::new());
    };
    examples.into_iter().partition(|e| e.game_date < first_valid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::fixtures::{features, game};

    #[test]
    fn pairs_rows_with_points_and_validates_on_the_latest_dates() {
        let rows: Vec<_> = (1..=10)
            .map(|i| features(&format!("2024-03-{i:02}"), "p", &[("points_avg_last_5", i as f64)], Some(20.5)))
            .collect();
        let mut actual: Vec<_> = (1..=10).map(|i| game(&format!("2024-03-{i:02}"), "p", "BOS", true, i)).collect();
        actual[4].dnp = true;
        let names = vec!["points_avg_last_5".to_string()];
        let ex = examples(&rows, &actual, "v1", &names);
        assert_eq!(ex.len(), 9, "the DNP is not an example");
        assert!(examples(&rows, &actual, "v2", &names).is_empty(), "another version is not mixed in");
        let (train, valid) = split_by_time(ex, 0.2);
        assert_eq!(valid.iter().map(|e| e.y).collect::<Vec<_>>(), [9.0, 10.0]);
        assert!(train.iter().all(|t| t.game_date < valid[0].game_date));
    }
}
