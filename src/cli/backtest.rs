//! `props backtest --from --to`: each day in backfill mode with a travelling clock (the morning
//! after, so only what was known before tip-off reaches the features), then phase 4, the
//! predictions for that day, and their grading; finally every system against the naive
//! baselines (the line, last-10, 0.5·L5 + 0.3·L10 + 0.2·season). Scoring is
//! `props_predict::backtest`.

use anyhow::Context as _;
use clap::Args;
use props_core::lambda::HandlerError;
use props_core::messages::{Envelope, PhaseTrigger};
use props_core::pipeline::Phase;
use props_core::pipeline::runner;
use props_core::ports::QueueName;
use props_core::tables::rows::analytics::PlayerGameSummaryRow;
use props_core::tables::rows::precompute::MlFeatureStoreRow;
use props_core::tables::rows::predictions::PredictionAccuracyRow;
use props_core::{Context, GameDate};
use props_predict::backtest::{self, Scores};
use serde_json::json;

use super::backfill;
use super::source::{self, SourceArgs};
use crate::local_runner::LocalRunner;

#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// First game date predicted (YYYY-MM-DD).
    #[arg(long)]
    pub from: String,
    /// Last game date predicted, inclusive.
    #[arg(long)]
    pub to: String,
    /// Days backfilled before --from (history for the features), not predicted.
    #[arg(long, default_value_t = 30)]
    pub history_days: u64,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub source: SourceArgs,
}

/// Phase 4 for `d` through the queue its consumer reads (backfill: no cascades), then phase 5.
async fn predict_and_grade(ctx: &Context, runner: &LocalRunner, d: GameDate) -> anyhow::Result<()> {
    let trigger = PhaseTrigger {
        to_phase: Phase::Precompute.number(),
        fingerprint: "backtest".into(),
        degraded: false,
        processors: vec![],
    };
    let env = Envelope::new(&trigger, d, Phase::Precompute.number(), "backtest", "backtest", ctx.clock.now(), true)?;
    ctx.queue.send(QueueName::PrecomputeJobs, &env.to_json()).await?;
    runner.drain(ctx).await.with_context(|| format!("phase 4 for {d}"))?;
    let herr = |e: HandlerError| anyhow::anyhow!("{e}");
    props_predict::PredictHandler.predict(ctx, d, true).await.map_err(herr)?;
    runner::execute(ctx, &props_predict::grade::Grade, d, true).await.with_context(|| format!("grading {d}"))?;
    Ok(())
}

fn fmt(x: Option<f64>, pct: bool) -> String {
    match x {
        Some(v) if pct => format!("{:.1}%", v * 100.0),
        Some(v) => format!("{v:.2}"),
        None => "–".into(),
    }
}

pub fn print(s: &Scores) {
    println!("  {:<16} {:>6} {:>7} {:>7} {:>6} {:>8} {:>8}", "system", "n", "MAE", "bias", "picks", "hit", "ROI");
    for x in &s.systems {
        println!(
            "  {:<16} {:>6} {:>7} {:>7} {:>6} {:>8} {:>8}",
            x.system_id,
            x.n,
            fmt(x.mae, false),
            fmt(x.bias, false),
            x.picks,
            fmt(x.hit_rate, true),
            fmt(x.roi, true)
        );
    }
    println!("  {:<16} {:>6} {:>7}", "baseline", "n", "MAE");
    for b in &s.baselines {
        println!("  {:<16} {:>6} {:>7}", b.name, b.n, fmt(b.mae, false));
    }
}

pub async fn run(data_dir: std::path::PathBuf, a: BacktestArgs) -> anyhow::Result<()> {
    let from: GameDate = a.from.parse().context("--from")?;
    let to: GameDate = a.to.parse().context("--to")?;
    anyhow::ensure!(from <= to, "--from {from} is after --to {to}");
    let start = from.minus_days(a.history_days);
    let opened = source::open(&data_dir, &a.source, from, source::et(start, 5)).await?;
    let (ctx, clocks) = (&opened.ctx, &opened.clocks);
    let runner = LocalRunner::new()?;
    if !a.json {
        println!("props backtest {from}..{to}: {}, data in {}", opened.name, data_dir.display());
    }
    if start < from {
        let mut history = Vec::new();
        for d in start.through(from.prev()) {
            if !backfill::is_done(ctx, d).await? {
                history.push(d);
            }
        }
        backfill::days(ctx, &runner, clocks, &history).await?;
    }
    for d in from.through(to) {
        backfill::days(ctx, &runner, clocks, &[d]).await?;
        predict_and_grade(ctx, &runner, d).await?;
    }
    let accuracy: Vec<PredictionAccuracyRow> = ctx.tables.read(from, to).await?;
    let features: Vec<MlFeatureStoreRow> = ctx.tables.read(from, to).await?;
    let actuals: Vec<PlayerGameSummaryRow> = ctx.tables.read(from, to).await?;
    let scores = backtest::score(&accuracy, &features, &actuals);
    if a.json {
        let v = json!({"from": from.to_string(), "to": to.to_string(), "systems": scores.systems, "baselines": scores.baselines});
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print(&scores);
        if features.is_empty() {
            println!("  no feature-store rows: phase 4 (precompute) did not run for these dates");
        }
    }
    Ok(())
}
