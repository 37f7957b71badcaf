//! The feature-store names phase 5 reads, and a reader that treats a defaulted value as absent
//! where a system must not mistake a default for data.

use std::collections::BTreeMap;

use props_core::tables::rows::precompute::MlFeatureStoreRow;

pub const POINTS_L3: &str = "points_avg_last_3";
pub const POINTS_L5: &str = "points_avg_last_5";
pub const POINTS_L10: &str = "points_avg_last_10";
pub const POINTS_SEASON: &str = "points_avg_season";
pub const POINTS_STD_L10: &str = "points_std_last_10";
pub const MINUTES_L10: &str = "minutes_avg_last_10";
pub const DAYS_REST: &str = "days_rest";
pub const BACK_TO_BACK: &str = "back_to_back";
pub const HOME: &str = "home";
pub const FATIGUE: &str = "fatigue_score";
pub const ZONE_MISMATCH: &str = "shot_zone_mismatch";
pub const PACE_SCORE: &str = "pace_score";
pub const USAGE_SPIKE: &str = "usage_spike";
pub const OPP_DEF_RATING: &str = "opponent_def_rating";
pub const PAINT_SHARE: &str = "paint_share";
pub const MID_SHARE: &str = "mid_share";
pub const THREE_SHARE: &str = "three_share";
pub const DNP_RATE: &str = "dnp_rate";

/// A feature-store row as the systems see it.
#[derive(Clone, Copy)]
pub struct Features<'a>(pub &'a MlFeatureStoreRow);

impl<'a> Features<'a> {
    /// The value when it was computed from data (a defaulted value is `None`).
    pub fn data(&self, name: &str) -> Option<f64> {
        if self.0.is_defaulted(name) { None } else { self.0.feature(name).filter(|v| v.is_finite()) }
    }

    /// The value, default or not, else `fallback` when the version lacks it.
    pub fn or(&self, name: &str, fallback: f64) -> f64 {
        self.0.feature(name).filter(|v| v.is_finite()).unwrap_or(fallback)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.or(name, 0.0) >= 0.5
    }

    /// The row's full vector as a JSON object, kept with each prediction.
    pub fn snapshot(&self) -> String {
        let map: BTreeMap<&str, f64> =
            self.0.feature_names.iter().map(String::as_str).zip(self.0.features.iter().copied()).collect();
        serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
    }
}
