//! Everything the day's exports show, read once: tonight's predictions, yesterday's graded
//! results, 30 days of system performance, and the phase completions for the date.

use std::collections::BTreeMap;

use props_core::pipeline::completion::completions;
use props_core::tables::TableError;
use props_core::tables::rows::predictions::{
    PlayerPropPredictionRow, PredictionAccuracyRow, SystemDailyPerformanceRow,
};
use props_core::{Context, GameDate};
use serde::Serialize;

/// Days of performance history on the page.
pub const LONG_WINDOW: u64 = 30;
pub const SHORT_WINDOW: u64 = 7;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("reading {table} for {from}..{to}: {source}")]
    Table { table: &'static str, from: GameDate, to: GameDate, source: TableError },
    #[error("reading completions of phase {phase} for {date}: {source}")]
    State { phase: u8, date: GameDate, source: props_core::ports::StateError },
}

/// One system's record over a window, summed from its daily rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Record {
    pub days: usize,
    pub predictions: i64,
    pub picks: i64,
    pub correct: i64,
    pub incorrect: i64,
    pub pushes: i64,
    pub win_rate: Option<f64>,
    /// Weighted by graded predictions per day.
    pub mae: Option<f64>,
    /// Weighted by staked picks per day.
    pub roi: Option<f64>,
}

impl Record {
    pub fn of(rows: &[&SystemDailyPerformanceRow]) -> Record {
        let mut r = Record { days: rows.len(), ..Record::default() };
        let (mut mae_w, mut mae_s, mut roi_w, mut roi_s) = (0.0, 0.0, 0.0, 0.0);
        for d in rows {
            r.predictions += d.predictions;
            r.picks += d.picks;
            r.correct += d.correct;
            r.incorrect += d.incorrect;
            r.pushes += d.pushes;
            if let Some(m) = d.mae {
                let w = (d.predictions - d.voids).max(1) as f64;
                mae_w += w;
                mae_s += w * m;
            }
            if let Some(roi) = d.roi {
                let w = (d.correct + d.incorrect + d.pushes).max(1) as f64;
                roi_w += w;
                roi_s += w * roi;
            }
        }
        let decided = r.correct + r.incorrect;
        r.win_rate = (decided > 0).then(|| r.correct as f64 / decided as f64);
        r.mae = (mae_w > 0.0).then(|| mae_s / mae_w);
        r.roi = (roi_w > 0.0).then(|| roi_s / roi_w);
        r
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SystemPerformance {
    pub system_id: String,
    pub last_7: Record,
    pub last_30: Record,
    /// (date, MAE) per graded day, oldest first: the chart's series.
    pub daily_mae: Vec<(GameDate, f64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhaseHealth {
    pub phase: u8,
    /// processor → status.
    pub completed: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DayReport {
    pub date: GameDate,
    pub predictions: Vec<PlayerPropPredictionRow>,
    /// Graded rows of the day before.
    pub results: Vec<PredictionAccuracyRow>,
    pub performance: Vec<SystemPerformance>,
    pub health: Vec<PhaseHealth>,
}

impl DayReport {
    pub fn actionable(&self) -> Vec<&PlayerPropPredictionRow> {
        let mut picks: Vec<&PlayerPropPredictionRow> = self.predictions.iter().filter(|p| p.is_actionable).collect();
        picks.sort_by(|a, b| {
            let edge = |p: &PlayerPropPredictionRow| p.line_margin.map_or(0.0, f64::abs);
            edge(b).total_cmp(&edge(a)).then_with(|| a.prediction_id.cmp(&b.prediction_id))
        });
        picks
    }
}

/// Per-system records from daily rows of the 30 days before `date`.
pub fn performance(date: GameDate, rows: &[SystemDailyPerformanceRow]) -> Vec<SystemPerformance> {
    let mut by_system: BTreeMap<&str, Vec<&SystemDailyPerformanceRow>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.game_date < date && r.game_date >= date.minus_days(LONG_WINDOW)) {
        by_system.entry(r.system_id.as_str()).or_default().push(r);
    }
    by_system
        .into_iter()
        .map(|(system, mut days)| {
            days.sort_by_key(|d| d.game_date);
            let recent: Vec<&SystemDailyPerformanceRow> =
                days.iter().copied().filter(|d| d.game_date >= date.minus_days(SHORT_WINDOW)).collect();
            SystemPerformance {
                system_id: system.to_string(),
                last_7: Record::of(&recent),
                last_30: Record::of(&days),
                daily_mae: days.iter().filter_map(|d| d.mae.map(|m| (d.game_date, m))).collect(),
            }
        })
        .collect()
}

pub async fn read(ctx: &Context, date: GameDate) -> Result<DayReport, ReportError> {
    let table = |table: &'static str, from: GameDate, to: GameDate| {
        move |source| ReportError::Table { table, from, to, source }
    };
    let predictions = ctx.tables.read_date(date).await.map_err(table("player_prop_predictions", date, date))?;
    let y = date.prev();
    let results = ctx.tables.read_date(y).await.map_err(table("prediction_accuracy", y, y))?;
    let from = date.minus_days(LONG_WINDOW);
    let perf: Vec<SystemDailyPerformanceRow> =
        ctx.tables.read(from, y).await.map_err(table("system_daily_performance", from, y))?;
    let mut health = Vec::new();
    for phase in 3..=5u8 {
        let done = completions(ctx.state.as_ref(), phase, date).await.map_err(|source| ReportError::State {
            phase,
            date,
            source,
        })?;
        let completed = done
            .into_iter()
            .map(|c| {
                (
                    c.processor,
                    serde_json::to_value(c.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                )
            })
            .collect();
        health.push(PhaseHealth { phase, completed });
    }
    Ok(DayReport { date, predictions, results, performance: performance(date, &perf), health })
}
