//! `player_prop_predictions`: every system's prediction for every player of the feature store
//! for the date; the date's partition is replaced and the run appended to `prediction_history`.

use std::collections::BTreeMap;

use async_trait::async_trait;
use props_core::messages::RunStatus;
use props_core::pipeline::Phase;
use props_core::pipeline::dependencies::{DateRule, Dependency, DependencyReport};
use props_core::pipeline::runner::{Output, Processor, ProcessorError};
use props_core::tables::rows::analytics::{PlayerGameSummaryRow, TeamDefenseGameSummaryRow};
use props_core::tables::rows::precompute::MlFeatureStoreRow;
use props_core::tables::rows::predictions::{PlayerPropPredictionRow, PredictionHistoryRow, SystemDailyPerformanceRow};
use props_core::tables::{TableError, TableRow};
use props_core::{Context, GameDate};

use crate::features::{self as f, Features};
use crate::league::League;
use crate::model::{GbmModel, loader};
use crate::recommend::{self, decide};
use crate::systems::ensemble::{self, Weights};
use crate::systems::{self, Input, Verdict};

pub const NAME: &str = "player_prop_predictions";
/// Player history behind `similarity`: the season so far and the tail of the last one.
pub const HISTORY_DAYS: u64 = 250;
/// League defence history: enough for every team's last 15 games.
pub const DEFENCE_DAYS: u64 = 60;

pub struct Predict;

/// A read failed: storage trouble is transient; a row that does not decode is not.
pub(crate) fn table_err(e: TableError) -> ProcessorError {
    match e {
        TableError::Blob(_) => ProcessorError::Transient(e.to_string()),
        _ => ProcessorError::Permanent(e.to_string()),
    }
}

/// Reads `[from, to]` of a table when its dependency was found, else nothing.
pub(crate) async fn read_if<R: TableRow>(
    ctx: &Context,
    deps: &DependencyReport,
    from: GameDate,
    to: GameDate,
) -> Result<Vec<R>, ProcessorError> {
    if deps.has(R::TABLE) { ctx.tables.read(from, to).await.map_err(table_err) } else { Ok(Vec::new()) }
}

#[async_trait]
impl Processor for Predict {
    fn name(&self) -> &'static str {
        NAME
    }
    fn phase(&self) -> Phase {
        Phase::Predict
    }
    fn dependencies(&self) -> Vec<Dependency> {
        vec![
            Dependency::critical("ml_feature_store", DateRule::SameDay, 1),
            Dependency::optional("player_game_summary", DateRule::DaysBefore(HISTORY_DAYS)),
            Dependency::optional("team_defense_game_summary", DateRule::DaysBefore(DEFENCE_DAYS)),
            Dependency::optional("system_daily_performance", DateRule::DaysBefore(ensemble::WINDOW_DAYS)),
        ]
    }
    async fn run(&self, ctx: &Context, date: GameDate, deps: &DependencyReport) -> Result<Output, ProcessorError> {
        let features: Vec<MlFeatureStoreRow> = ctx.tables.read_date(date).await.map_err(table_err)?;
        let history: Vec<PlayerGameSummaryRow> = read_if(ctx, deps, date.minus_days(HISTORY_DAYS), date.prev()).await?;
        let defence: Vec<TeamDefenseGameSummaryRow> =
            read_if(ctx, deps, date.minus_days(DEFENCE_DAYS), date.prev()).await?;
        let perf: Vec<SystemDailyPerformanceRow> =
            read_if(ctx, deps, date.minus_days(ensemble::WINDOW_DAYS), date.prev()).await?;
        let model = loader::champion(ctx).await.map_err(|e| ProcessorError::Transient(e.to_string()))?;
        let rows = predict_all(
            date,
            &features,
            &history,
            &League::from_rows(&defence),
            &Weights::from_performance(&perf),
            model.as_ref(),
        );
        let n = rows.len() as u64;
        let history_rows: Vec<PredictionHistoryRow> = rows.iter().cloned().map(PredictionHistoryRow).collect();
        let w = ctx.tables.replace(date, rows).await.map_err(table_err)?;
        // One history object per distinct run output: a re-run of the same output rewrites nothing.
        let snapshot: String = w.partition_hash.chars().take(32).collect();
        if n > 0 {
            ctx.tables.append(date, &snapshot, history_rows).await.map_err(table_err)?;
        }
        let partial = !deps.has("player_game_summary") || !deps.has("team_defense_game_summary");
        let status = match (n, partial) {
            (0, _) => RunStatus::NoData,
            (_, true) => RunStatus::Partial,
            _ => RunStatus::Success,
        };
        Ok(Output { status, rows: n, output_hash: w.partition_hash, written: w.written })
    }
}

/// Every system for every feature row of `date`. Pure: the processor's reads are its inputs.
pub fn predict_all(
    date: GameDate,
    features: &[MlFeatureStoreRow],
    history: &[PlayerGameSummaryRow],
    league: &League,
    weights: &Weights,
    model: Option<&GbmModel>,
) -> Vec<PlayerPropPredictionRow> {
    let mut by_player: BTreeMap<&str, Vec<&PlayerGameSummaryRow>> = BTreeMap::new();
    for g in history.iter().filter(|g| g.game_date < date) {
        by_player.entry(g.player_lookup.as_str()).or_default().push(g);
    }
    for games in by_player.values_mut() {
        games.sort_by_key(|g| g.game_date);
    }
    let mut out = Vec::with_capacity(features.len() * systems::ALL.len());
    for row in features.iter().filter(|r| r.game_date == date) {
        let games = by_player.get(row.player_lookup.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let x = Input { features: Features(row), history: games, league };
        let mut verdicts = vec![
            (systems::MOVING_AVERAGE, systems::moving_average::predict(&x)),
            (systems::ZONE_MATCHUP, systems::zone_matchup::predict(&x)),
            (systems::SIMILARITY, systems::similarity::predict(&x)),
            (systems::GBM, systems::gbm::predict(&x, model)),
        ];
        let parts: Vec<(&str, systems::Estimate)> =
            verdicts.iter().filter_map(|(s, v)| v.estimate().map(|e| (*s, e))).collect();
        verdicts.push((systems::ENSEMBLE, ensemble::combine(&parts, weights)));
        for (system, verdict) in verdicts {
            let version = match (system, model) {
                (systems::GBM, Some(m)) => m.version.clone(),
                (systems::GBM, None) => "none".to_string(),
                _ => systems::RULES_VERSION.to_string(),
            };
            out.push(row_for(&x, system, &verdict, version));
        }
    }
    out
}

fn row_for(x: &Input<'_>, system: &str, verdict: &Verdict, model_version: String) -> PlayerPropPredictionRow {
    let r = x.features.0;
    let cx = recommend::Context { quality: r.quality_score, dnp_rate: x.features.or(f::DNP_RATE, 0.0) };
    let d = decide(verdict, r.line, systems::gate(system), cx);
    let e = verdict.estimate();
    PlayerPropPredictionRow {
        game_date: r.game_date,
        prediction_id: format!("{system}:{}:{}", r.game_id, r.player_lookup),
        system_id: system.to_string(),
        game_id: r.game_id.clone(),
        player_lookup: r.player_lookup.clone(),
        team: r.team.clone(),
        opponent: r.opponent.clone(),
        home: r.home,
        predicted_points: e.map(|e| round2(e.points)),
        confidence: e.map_or(0.0, |e| round2(e.confidence)),
        recommendation: d.recommendation,
        line: r.line,
        line_source: r.line_bookmaker.clone(),
        over_price: r.over_price,
        under_price: r.under_price,
        line_margin: d.line_margin.map(round2),
        is_active: d.is_active,
        inactive_reason: d.inactive_reason,
        is_actionable: d.is_actionable,
        filter_reason: d.filter_reason,
        feature_version: r.feature_version.clone(),
        feature_quality: r.quality_score,
        feature_snapshot: x.features.snapshot(),
        model_version,
        processed_at: r.processed_at,
        data_hash: String::new(),
    }
}

/// Two decimals: stable hashes across platforms' last-bit float differences, and all the
/// precision a points prediction has.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use props_core::tables::rows::predictions::Recommendation;

    use super::*;
    use crate::systems::fixtures::{d, game, steady};

    #[test]
    fn five_rows_per_player_with_no_line_and_abstentions_explained() {
        let date = d("2024-03-05");
        let features = vec![steady("2024-03-05", "a", Some(17.5)), steady("2024-03-05", "b", None)];
        let history: Vec<_> = (1..=12).map(|i| game(&format!("2024-02-{i:02}"), "a", "BOS", true, 20)).collect();
        let rows = predict_all(date, &features, &history, &League::default(), &Weights::default(), None);
        assert_eq!(rows.len(), 10);
        let get = |p: &str, s: &str| rows.iter().find(|r| r.player_lookup == p && r.system_id == s).unwrap();
        let ma = get("a", "moving_average");
        assert_eq!(ma.predicted_points, Some(20.5));
        assert_eq!(ma.recommendation, Recommendation::Over);
        assert!(ma.is_actionable, "{ma:?}");
        assert_eq!(ma.prediction_id, "moving_average:20240305_BOS_NYK:a");
        assert!(ma.feature_snapshot.contains("\"points_avg_last_5\":20.0"));
        let gbm = get("a", "gbm");
        assert_eq!((gbm.predicted_points, gbm.recommendation), (None, Recommendation::Pass));
        assert_eq!(gbm.filter_reason.as_deref(), Some("abstained: no champion model"));
        assert_eq!(gbm.model_version, "none");
        let b = get("b", "ensemble");
        assert_eq!(b.recommendation, Recommendation::NoLine);
        assert!(b.predicted_points.is_some() && b.is_active && !b.is_actionable);
        assert_eq!(get("b", "similarity").recommendation, Recommendation::NoLine, "no history, no line");
    }
}
