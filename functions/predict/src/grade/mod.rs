//! `prediction_accuracy` (grading): the active predictions of a played date against its box
//! scores, then each system's day in `system_daily_performance`. Both partitions are replaced,
//! so re-grading a date (a late box-score correction) converges.

pub mod outcome;
pub mod performance;

use std::collections::BTreeMap;

use async_trait::async_trait;
use props_core::messages::RunStatus;
use props_core::pipeline::Phase;
use props_core::pipeline::dependencies::{DateRule, Dependency, DependencyReport};
use props_core::pipeline::runner::{Output, Processor, ProcessorError};
use props_core::tables::row::partition_hash;
use props_core::tables::rows::analytics::PlayerGameSummaryRow;
use props_core::tables::rows::predictions::{
    PlayerPropPredictionRow, PredictionAccuracyRow, SystemDailyPerformanceRow,
};
use props_core::{Context, GameDate};

use crate::predict::table_err;

pub const NAME: &str = "prediction_accuracy";

pub struct Grade;

#[async_trait]
impl Processor for Grade {
    fn name(&self) -> &'static str {
        NAME
    }
    fn phase(&self) -> Phase {
        Phase::Predict
    }
    fn dependencies(&self) -> Vec<Dependency> {
        vec![
            Dependency::critical("player_prop_predictions", DateRule::SameDay, 1),
            // The box scores must be in: grading against nothing would void every prediction.
            Dependency::critical("player_game_summary", DateRule::SameDay, 1),
        ]
    }
    async fn run(&self, ctx: &Context, date: GameDate, _deps: &DependencyReport) -> Result<Output, ProcessorError> {
        let predictions: Vec<PlayerPropPredictionRow> = ctx.tables.read_date(date).await.map_err(table_err)?;
        let actuals: Vec<PlayerGameSummaryRow> = ctx.tables.read_date(date).await.map_err(table_err)?;
        let graded = grade_all(&predictions, &actuals);
        let perf = performance::summarise(date, &graded);
        let n = graded.len() as u64;
        let a = ctx.tables.replace(date, graded).await.map_err(table_err)?;
        let p = ctx.tables.replace(date, perf).await.map_err(table_err)?;
        Ok(Output {
            status: if n == 0 { RunStatus::NoData } else { RunStatus::Success },
            rows: n,
            output_hash: partition_hash(&[a.partition_hash, p.partition_hash]),
            written: a.written || p.written,
        })
    }
}

/// Grades every ACTIVE prediction (a prediction that failed a sanity check was never offered).
pub fn grade_all(
    predictions: &[PlayerPropPredictionRow],
    actuals: &[PlayerGameSummaryRow],
) -> Vec<PredictionAccuracyRow> {
    let by_key: BTreeMap<(&str, &str), &PlayerGameSummaryRow> =
        actuals.iter().map(|a| ((a.game_id.as_str(), a.player_lookup.as_str()), a)).collect();
    // Feature rows name the game as the schedule does; a box score under another id for the same
    // player and date is still his game.
    let by_player: BTreeMap<&str, &PlayerGameSummaryRow> =
        actuals.iter().map(|a| (a.player_lookup.as_str(), a)).collect();
    predictions
        .iter()
        .filter(|p| p.is_active)
        .map(|p| {
            let actual = by_key
                .get(&(p.game_id.as_str(), p.player_lookup.as_str()))
                .or_else(|| by_player.get(p.player_lookup.as_str()))
                .copied();
            outcome::grade(p, actual)
        })
        .collect()
}

/// Every count of a performance row that partitions its predictions.
pub fn reconciles(p: &SystemDailyPerformanceRow) -> bool {
    p.predictions == p.correct + p.incorrect + p.pushes + p.voids + p.no_line + p.passes
        && p.picks >= p.correct + p.incorrect + p.pushes
        && p.picks == p.over_picks + p.under_picks
}

#[cfg(test)]
mod tests;
