//! The `gbm` model: gradient-boosted trees (crate `forust-ml`) over the feature store's vector,
//! stored as `models/gbm/{version}/model.json` + `metadata.json`, and the registry in the state
//! store that names the champion.

pub mod dataset;
pub mod loader;
pub mod registry;

use forust_ml::{GradientBooster, Matrix};
use props_core::tables::rows::precompute::MlFeatureStoreRow;
use serde::{Deserialize, Serialize};

/// A trained model and the exact feature layout it was trained on.
#[derive(Serialize, Deserialize)]
pub struct GbmModel {
    pub version: String,
    pub feature_version: String,
    pub feature_names: Vec<String>,
    pub booster: GradientBooster,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    #[error("model {model} was trained on feature version {trained}, the row has {row}")]
    FeatureVersion { model: String, trained: String, row: String },
    #[error("the row lacks feature `{0}` the model needs")]
    MissingFeature(String),
}

impl GbmModel {
    /// The row's values in the model's order; a row of another feature version is refused,
    /// never silently misread.
    pub fn vector(&self, row: &MlFeatureStoreRow) -> Result<Vec<f64>, ModelError> {
        if row.feature_version != self.feature_version {
            return Err(ModelError::FeatureVersion {
                model: self.version.clone(),
                trained: self.feature_version.clone(),
                row: row.feature_version.clone(),
            });
        }
        self.feature_names.iter().map(|n| row.feature(n).ok_or_else(|| ModelError::MissingFeature(n.clone()))).collect()
    }

    /// Predicts many rows at once (the feature matrix is column-major).
    pub fn predict(&self, rows: &[Vec<f64>]) -> Vec<f64> {
        if rows.is_empty() {
            return Vec::new();
        }
        let cols = self.feature_names.len();
        let data = column_major(rows, cols);
        self.booster.predict(&Matrix::new(&data, rows.len(), cols), false)
    }
}

/// Rows of equal length → one column-major buffer, as `forust_ml::Matrix` expects.
pub fn column_major(rows: &[Vec<f64>], cols: usize) -> Vec<f64> {
    let mut data = Vec::with_capacity(rows.len() * cols);
    for c in 0..cols {
        data.extend(rows.iter().map(|r| r.get(c).copied().unwrap_or(f64::NAN)));
    }
    data
}

/// Where a version's files live in the bucket.
pub fn model_key(version: &str) -> String {
    format!("models/gbm/{version}/model.json")
}

pub fn metadata_key(version: &str) -> String {
    format!("models/gbm/{version}/metadata.json")
}
