//! `props backtest --from --to`: each day in backfill mode with a travelling clock (the morning
//! after, so only what was known before tip-off reaches the features), then phase 4, the
//! predictions for that day, and their grading; finally every system against the naive
//! baselines (the line, last-10, 0.5·L5 + 0.3·L10 + 0.2·season) and, with the simulated
//! league, the irreducible error. Scoring is `props_predict::backtest`.
//!
//! The history days before --from go through the same steps (not scored): the feature store
//! then holds the history `gbm` trains on, and the ensemble has graded performance to weigh.
//! `gbm` is retrained every --train-every days, as the weekly `train` function would, on the
//! feature store up to the day before (never the day predicted: no leakage).

use anyhow::Context as _;
use clap::Args;
use props_core::lambda::HandlerError;
use props_core::messages::{Envelope, PhaseTrigger};
use props_core::pipeline::Phase;
use props_core::pipeline::processors::UPCOMING_CONTEXTS;
use props_core::pipeline::runner;
use props_core::tables::rows::analytics::PlayerGameSummaryRow;
use props_core::tables::rows::precompute::MlFeatureStoreRow;
use props_core::tables::rows::predictions::PredictionAccuracyRow;
use props_core::{Context, GameDate};
use props_predict::backtest::{self, Scores};
use props_predict::handler::TRAIN_DAYS;
use props_predict::train::{self, Report, Settings, TrainError};
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
    /// Score only from this date (default --from): the days before it are predicted and graded
    /// but kept apart, e.g. as the window parameters were chosen on.
    #[arg(long)]
    pub score_from: Option<String>,
    /// Days between `gbm` trainings (the deployed `train` runs weekly); 0 never trains.
    #[arg(long, default_value_t = 7)]
    pub train_every: u64,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub source: SourceArgs,
}

/// `processors` of `phase` for `d` through the queue their consumer reads (backfill: no
/// cascades), drained.
async fn run_phase(
    ctx: &Context,
    runner: &LocalRunner,
    phase: Phase,
    d: GameDate,
    processors: &[&str],
) -> anyhow::Result<()> {
    let trigger = PhaseTrigger {
        to_phase: phase.number(),
        fingerprint: "backtest".into(),
        degraded: false,
        processors: processors.iter().map(|p| p.to_string()).collect(),
    };
    let env = Envelope::new(&trigger, d, phase.number(), "backtest", "backtest", ctx.clock.now(), true)?;
    ctx.queue.send(phase.queue(), &env.to_json()).await?;
    runner.drain(ctx).await.with_context(|| format!("phase {} for {d}", phase.number()))?;
    Ok(())
}

/// The upcoming contexts of `d` (a backfill, run the morning after, routes contexts only to
/// the dates still ahead, so the backtest asks for them), phase 4, then phase 5: predictions
/// and their grading.
async fn predict_and_grade(ctx: &Context, runner: &LocalRunner, d: GameDate) -> anyhow::Result<()> {
    run_phase(ctx, runner, Phase::Analytics, d, &UPCOMING_CONTEXTS).await?;
    run_phase(ctx, runner, Phase::Precompute, d, &[]).await?;
    let herr = |e: HandlerError| anyhow::anyhow!("{e}");
    props_predict::PredictHandler.predict(ctx, d, true).await.map_err(herr)?;
    runner::execute(ctx, &props_predict::grade::Grade, d, true).await.with_context(|| format!("grading {d}"))?;
    Ok(())
}

/// Fits `gbm` as the morning of `d` would: on the feature store from `start` (at most
/// [`TRAIN_DAYS`] back) to the day before. Too little history yet is no model, not an error.
async fn train_before(ctx: &Context, start: GameDate, d: GameDate) -> anyhow::Result<Option<Report>> {
    let from = d.minus_days(TRAIN_DAYS).max(start);
    match train::train(ctx, from, d.prev(), &Settings::default()).await {
        Ok(r) => Ok(Some(r)),
        Err(TrainError::TooFew(..) | TrainError::NoFeatures(..)) => Ok(None),
        Err(e) => Err(e).with_context(|| format!("training gbm on {from}..{}", d.prev())),
    }
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
    let scored: GameDate = a.score_from.as_deref().map_or(Ok(from), str::parse).context("--score-from")?;
    anyhow::ensure!((from..=to).contains(&scored), "--score-from {scored} is outside {from}..{to}");
    let start = from.minus_days(a.history_days);
    let opened = source::open(&data_dir, &a.source, from, source::et(start, 5)).await?;
    let (ctx, clocks) = (&opened.ctx, &opened.clocks);
    let runner = LocalRunner::new()?;
    if !a.json {
        println!("props backtest {from}..{to}: {}, data in {}", opened.name, data_dir.display());
    }
    let mut trained = Vec::new();
    for (i, d) in start.through(to).enumerate() {
        if a.train_every > 0 && i as u64 % a.train_every == 0 && d > start {
            // The morning of `d`: a resumed run skips finished days, so the clock is set here.
            clocks.set(source::et(d, 5)).await;
            if let Some(r) = train_before(ctx, start, d).await? {
                if !a.json {
                    println!(
                        "  {d}: gbm {} on {}..{} ({} rows), validation MAE {:.2}{}",
                        r.version,
                        r.train_from,
                        r.train_to,
                        r.train_rows,
                        r.validation_mae,
                        if r.promoted { ", promoted" } else { ", kept the champion" }
                    );
                }
                trained.push(r);
            }
        }
        if !backfill::is_done(ctx, d).await? {
            backfill::days(ctx, &runner, clocks, &[d]).await?;
        }
        clocks.set(source::et(d.next(), 5)).await;
        predict_and_grade(ctx, &runner, d).await?;
    }
    let accuracy: Vec<PredictionAccuracyRow> = ctx.tables.read(scored, to).await?;
    let features: Vec<MlFeatureStoreRow> = ctx.tables.read(scored, to).await?;
    let actuals: Vec<PlayerGameSummaryRow> = ctx.tables.read(scored, to).await?;
    let scores = backtest::score(&accuracy, &features, &actuals);
    let irreducible = opened.league.as_ref().map(|league| {
        let truth = scored
            .through(to)
            .flat_map(|d| league.true_points(d))
            .map(|t| ((t.game_date, i64::from(t.player_id)), t.expected_points))
            .collect();
        backtest::irreducible(&features, &actuals, &truth)
    });
    if a.json {
        let v = json!({
            "from": from.to_string(), "to": to.to_string(), "scored_from": scored.to_string(),
            "systems": scores.systems, "baselines": scores.baselines,
            "irreducible": irreducible, "trainings": trained,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        if scored > from {
            println!("  scored {scored}..{to} (the days before are predicted and graded, not scored)");
        }
        print(&scores);
        if let Some(b) = &irreducible {
            println!("  {:<16} {:>6} {:>7}  (true expected points: the noise floor)", b.name, b.n, fmt(b.mae, false));
        }
        if features.is_empty() {
            println!("  no feature-store rows: phase 4 (precompute) did not run for these dates");
        }
    }
    Ok(())
}
