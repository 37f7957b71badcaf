//! Training `gbm`: the feature store's history paired with the points scored, fitted with
//! gradient-boosted trees (`forust-ml`), validated on the most recent dates (never a random
//! split), written to `models/gbm/{version}/`, registered, and promoted only when its validation
//! MAE beats the champion's.

use bytes::Bytes;
use forust_ml::objective::ObjectiveType;
use forust_ml::{GradientBooster, Matrix};
use props_core::tables::rows::analytics::PlayerGameSummaryRow;
use props_core::tables::rows::precompute::MlFeatureStoreRow;
use props_core::{Context, GameDate};
use serde::Serialize;

use crate::model::dataset::{self, Example};
use crate::model::loader;
use crate::model::registry::{self, Promotion, Registered};
use crate::model::{GbmModel, column_major, metadata_key, model_key};

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Share of the most recent dates held out for validation.
    pub validation_share: f64,
    /// Fewer training examples than this: no model (a handful of days would overfit).
    pub min_examples: usize,
    pub iterations: usize,
    pub learning_rate: f32,
    pub max_depth: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { validation_share: 0.2, min_examples: 500, iterations: 300, learning_rate: 0.05, max_depth: 4 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("reading {table} for {from}..{to}: {message}")]
    Read { table: &'static str, from: GameDate, to: GameDate, message: String },
    #[error("{0} training examples for {1}..{2} (needs {3})")]
    TooFew(usize, GameDate, GameDate, usize),
    #[error("no feature-store rows for {0}..{1}")]
    NoFeatures(GameDate, GameDate),
    #[error("fitting: {0}")]
    Fit(String),
    #[error("writing {key}: {message}")]
    Write { key: String, message: String },
    #[error("model registry: {0}")]
    Registry(#[from] props_core::ports::StateError),
}

/// What a training run did: written to `metadata.json` and returned to the caller.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub version: String,
    pub feature_version: String,
    pub features: usize,
    pub train_from: GameDate,
    pub train_to: GameDate,
    pub train_rows: usize,
    pub validation_rows: usize,
    pub validation_from: Option<GameDate>,
    pub validation_mae: f64,
    /// The sportsbook line's MAE on the validation rows that had one (for comparison).
    pub line_mae: Option<f64>,
    pub promoted: bool,
    /// The champion after this run.
    pub champion: String,
    pub trained_at: String,
    pub library: &'static str,
}

fn mae(pairs: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let (s, n) = pairs.fold((0.0, 0usize), |(s, n), (a, b)| (s + (a - b).abs(), n + 1));
    (n > 0).then(|| s / n as f64)
}

/// The feature layout to train on: the newest date's most common version.
fn layout(rows: &[MlFeatureStoreRow]) -> Option<(String, Vec<String>)> {
    let last = rows.iter().map(|r| r.game_date).max()?;
    let newest: Vec<&MlFeatureStoreRow> = rows.iter().filter(|r| r.game_date == last).collect();
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for r in &newest {
        *counts.entry(r.feature_version.as_str()).or_default() += 1;
    }
    let version = counts.into_iter().max_by_key(|(_, n)| *n)?.0;
    let row = newest.iter().find(|r| r.feature_version == version)?;
    Some((version.to_string(), row.feature_names.clone()))
}

/// Fits a booster on `train` (pure: no I/O).
pub fn fit(train: &[Example], cols: usize, s: &Settings) -> Result<GradientBooster, TrainError> {
    let xs: Vec<Vec<f64>> = train.iter().map(|e| e.x.clone()).collect();
    let y: Vec<f64> = train.iter().map(|e| e.y).collect();
    let data = column_major(&xs, cols);
    let matrix = Matrix::new(&data, xs.len(), cols);
    let mut booster = GradientBooster::default()
        .set_objective_type(ObjectiveType::SquaredLoss)
        .set_iterations(s.iterations)
        .set_learning_rate(s.learning_rate)
        .set_max_depth(s.max_depth)
        .set_parallel(false);
    let weights = vec![1.0; y.len()];
    booster.fit(&matrix, &y, &weights, None).map_err(|e| TrainError::Fit(e.to_string()))?;
    Ok(booster)
}

/// The champion's MAE on the new model's validation rows, when it reads the same features; an
/// unloadable champion is compared by its stored MAE instead (the registry decides).
async fn incumbent_mae(ctx: &Context, new: &GbmModel, valid: &[Example]) -> Option<(String, f64)> {
    let champion = match loader::champion(ctx).await {
        Ok(c) => c?,
        Err(e) => {
            tracing::warn!(error = %e, "champion not loaded: compared by its stored validation MAE");
            return None;
        }
    };
    if champion.feature_version != new.feature_version || champion.feature_names != new.feature_names {
        return None;
    }
    let xs: Vec<Vec<f64>> = valid.iter().map(|e| e.x.clone()).collect();
    let predicted = champion.predict(&xs);
    Some((champion.version, mae(predicted.iter().copied().zip(valid.iter().map(|e| e.y)))?))
}

pub async fn train(ctx: &Context, from: GameDate, to: GameDate, s: &Settings) -> Result<Report, TrainError> {
    let read_err = |table: &'static str| {
        move |e: props_core::tables::TableError| TrainError::Read { table, from, to, message: e.to_string() }
    };
    let features: Vec<MlFeatureStoreRow> = ctx.tables.read(from, to).await.map_err(read_err("ml_feature_store"))?;
    let actuals: Vec<PlayerGameSummaryRow> =
        ctx.tables.read(from, to).await.map_err(read_err("player_game_summary"))?;
    let (feature_version, names) = layout(&features).ok_or(TrainError::NoFeatures(from, to))?;
    let examples = dataset::examples(&features, &actuals, &feature_version, &names);
    let (train_set, valid) = dataset::split_by_time(examples, s.validation_share);
    if train_set.len() < s.min_examples || valid.is_empty() {
        return Err(TrainError::TooFew(train_set.len(), from, to, s.min_examples));
    }
    let booster = fit(&train_set, names.len(), s)?;
    let now = ctx.clock.now();
    let version = format!("{}", now.format("%Y%m%dT%H%M%SZ"));
    let model =
        GbmModel { version: version.clone(), feature_version: feature_version.clone(), feature_names: names, booster };
    let xs: Vec<Vec<f64>> = valid.iter().map(|e| e.x.clone()).collect();
    let predicted = model.predict(&xs);
    let validation_mae = mae(predicted.iter().copied().zip(valid.iter().map(|e| e.y))).unwrap_or(f64::INFINITY);
    let line_mae = mae(valid.iter().filter_map(|e| e.line.map(|l| (l, e.y))));
    let put = |key: String, body: Vec<u8>| async move {
        ctx.blobs
            .put(&key, Bytes::from(body))
            .await
            .map_err(|e| TrainError::Write { key: key.clone(), message: e.to_string() })
    };
    let json = serde_json::to_vec(&model).map_err(|e| TrainError::Fit(e.to_string()))?;
    put(model_key(&version), json).await?;
    let registered = Registered {
        version: version.clone(),
        validation_mae,
        model_key: model_key(&version),
        feature_version: feature_version.clone(),
    };
    registry::register(ctx.state.as_ref(), &registered, &now.to_rfc3339()).await?;
    let incumbent = incumbent_mae(ctx, &model, &valid).await;
    let promotion =
        registry::promote(ctx.state.as_ref(), &registered, incumbent.as_ref().map(|(v, m)| (v.as_str(), *m))).await?;
    let (promoted, champion) = match promotion {
        Promotion::Promoted => (true, version.clone()),
        Promotion::Kept { champion } => (false, champion),
    };
    let report = Report {
        version: version.clone(),
        feature_version,
        features: model.feature_names.len(),
        train_from: train_set.first().map_or(from, |e| e.game_date),
        train_to: train_set.last().map_or(to, |e| e.game_date),
        train_rows: train_set.len(),
        validation_rows: valid.len(),
        validation_from: valid.first().map(|e| e.game_date),
        validation_mae,
        line_mae,
        promoted,
        champion,
        trained_at: now.to_rfc3339(),
        library: "forust-ml 0.8",
    };
    let meta = serde_json::to_vec_pretty(&report).map_err(|e| TrainError::Fit(e.to_string()))?;
    put(metadata_key(&version), meta).await?;
    Ok(report)
}

#[cfg(test)]
mod tests;
