//! Rows of `dataset=precompute` (phase 4) that phase 5 reads. The feature store row is the
//! contract between the two phases: phase 4 writes it, every prediction system reads it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::game_date::GameDate;

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
