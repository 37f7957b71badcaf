//! The three functions' handlers. `predict` consumes `predict-jobs` (the orchestrator's 4→5
//! `PhaseTrigger`, or a retry naming a phase-5 processor) and runs on demand for a date;
//! `grade` runs on schedule (yesterday ET) or for any date; `train` runs weekly. Every
//! processor run goes through `pipeline::runner::execute`.

use async_trait::async_trait;
use props_core::lambda::{EnvelopeHandler, HandlerError, JsonHandler, check_input};
use props_core::messages::{Envelope, MessageKind, PhaseTrigger, PublishJob, RunStatus};
use props_core::pipeline::Phase;
use props_core::pipeline::runner::{self, Processor, RunReport};
use props_core::ports::QueueName;
use props_core::{Context, GameDate};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::train::{self, Settings};
use crate::{grade, predict};

/// Training reads this many days of feature-store history by default.
pub const TRAIN_DAYS: u64 = 120;

/// `{"date": "TODAY" | "YESTERDAY" | "YYYY-MM-DD", "backfill": bool}`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DateInput {
    date: Option<String>,
    #[serde(default)]
    backfill: bool,
}

/// A game date named by a schedule: a token or a real game day (never 1900 or 2200: a typo
/// must not start work for a date that cannot have games).
fn resolve_date(ctx: &Context, function: &str, token: &str) -> Result<GameDate, HandlerError> {
    let permanent = |e: &dyn std::fmt::Display| HandlerError::Permanent(format!("{function} input: {e}"));
    GameDate::resolve(token, ctx.clock.now())
        .map_err(|e| permanent(&e))?
        .plausible(ctx.clock.today())
        .map_err(|e| permanent(&e))
}

fn date_input(ctx: &Context, function: &str, input: Value, default: &str) -> Result<(GameDate, bool), HandlerError> {
    check_input(function, &input, &["date", "backfill"])?;
    let input = if input.is_null() { Value::Object(Default::default()) } else { input };
    let d: DateInput = serde_json::from_value(input)
        .map_err(|e| HandlerError::Permanent(format!("{function} input: invalid input: {e}")))?;
    let date = resolve_date(ctx, function, d.date.as_deref().unwrap_or(default))?;
    Ok((date, d.backfill))
}

async fn execute(ctx: &Context, p: &dyn Processor, date: GameDate, backfill: bool) -> Result<RunReport, HandlerError> {
    let r = runner::execute(ctx, p, date, backfill)
        .await
        .map_err(|e| HandlerError::Transient(format!("{}: {e}", p.name())))?;
    tracing::info!(processor = p.name(), game_date = %date, status = ?r.status, rows = r.rows, "processor run");
    Ok(r)
}

fn summary(r: &RunReport) -> Value {
    json!({"processor": r.processor, "game_date": r.game_date.to_string(), "status": r.status, "rows": r.rows, "error": r.error})
}

#[derive(Clone, Copy, Debug, Default)]
pub struct PredictHandler;

impl PredictHandler {
    /// Predicts `date`, then hands the published output to phase 6 (not in backfill: the
    /// backfill driver decides what cascades).
    pub async fn predict(&self, ctx: &Context, date: GameDate, backfill: bool) -> Result<RunReport, HandlerError> {
        let r = execute(ctx, &predict::Predict, date, backfill).await?;
        if r.status.is_complete() && r.rows > 0 && !backfill {
            let job = PublishJob { predictions: r.rows, output_hash: r.output_hash.clone() };
            let env = Envelope::new(
                &job,
                date,
                Phase::Publish.number(),
                predict::NAME,
                &r.output_hash,
                ctx.clock.now(),
                false,
            )
            .map_err(|e| HandlerError::Permanent(e.to_string()))?;
            ctx.queue
                .send(QueueName::PublishJobs, &env.to_json())
                .await
                .map_err(|e| HandlerError::Transient(e.to_string()))?;
        }
        Ok(r)
    }
}

#[async_trait]
impl EnvelopeHandler for PredictHandler {
    async fn handle(&self, ctx: &Context, envelope: Envelope) -> Result<(), HandlerError> {
        if envelope.kind != MessageKind::PhaseTrigger {
            return Err(HandlerError::Permanent(format!(
                "predict does not handle {} messages",
                envelope.kind.as_str()
            )));
        }
        let p: PhaseTrigger = envelope.payload().map_err(|e| HandlerError::Permanent(e.to_string()))?;
        if p.to_phase != Phase::Predict.number() {
            return Err(HandlerError::Permanent(format!("PhaseTrigger for phase {} reached predict-jobs", p.to_phase)));
        }
        if let Some(bad) = p.processors.iter().find(|n| ![predict::NAME, grade::NAME].contains(&n.as_str())) {
            return Err(HandlerError::Permanent(format!(
                "unknown phase-5 processor `{}`",
                bad.chars().take(80).collect::<String>()
            )));
        }
        let wants = |n: &str| p.processors.is_empty() || p.processors.iter().any(|x| x == n);
        if wants(predict::NAME) {
            self.predict(ctx, envelope.game_date, envelope.backfill).await?;
        }
        if p.processors.iter().any(|x| x == grade::NAME) {
            execute(ctx, &grade::Grade, envelope.game_date, envelope.backfill).await?;
        }
        Ok(())
    }

    /// Predictions read the feature store as it is when they run: triggers of one set for one
    /// date in a batch need one run.
    fn coalesce_key(&self, envelope: &Envelope) -> Option<String> {
        let p: PhaseTrigger = envelope.payload().ok()?;
        Some(envelope.work_key(&p.processors.join(",")))
    }
}

#[async_trait]
impl JsonHandler for PredictHandler {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        let (date, backfill) = date_input(ctx, "predict", input, "TODAY")?;
        Ok(summary(&self.predict(ctx, date, backfill).await?))
    }
}

/// `grade`: `{"date": ...}`, yesterday (ET) by default.
#[derive(Clone, Copy, Debug, Default)]
pub struct GradeHandler;

#[async_trait]
impl JsonHandler for GradeHandler {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        let (date, backfill) = date_input(ctx, "grade", input, "YESTERDAY")?;
        let r = execute(ctx, &grade::Grade, date, backfill).await?;
        Ok(summary(&r))
    }
}

/// `train`: `{"from": "YYYY-MM-DD", "to": "YESTERDAY", "min_examples": n}`; by default the last
/// [`TRAIN_DAYS`] days up to yesterday.
#[derive(Clone, Debug, Default)]
pub struct TrainHandler {
    pub settings: Settings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrainInput {
    from: Option<String>,
    to: Option<String>,
    min_examples: Option<usize>,
}

#[async_trait]
impl JsonHandler for TrainHandler {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        let permanent = |e: &dyn std::fmt::Display| HandlerError::Permanent(e.to_string());
        check_input("train", &input, &["from", "to", "min_examples"])?;
        let input = if input.is_null() { Value::Object(Default::default()) } else { input };
        let t: TrainInput =
            serde_json::from_value(input).map_err(|e| permanent(&format!("train input: invalid input: {e}")))?;
        let to = resolve_date(ctx, "train", t.to.as_deref().unwrap_or("YESTERDAY"))?;
        let from = match t.from.as_deref() {
            Some(f) => resolve_date(ctx, "train", f)?,
            None => to.minus_days(TRAIN_DAYS),
        };
        let mut settings = self.settings.clone();
        if let Some(n) = t.min_examples {
            settings.min_examples = n;
        }
        match train::train(ctx, from, to, &settings).await {
            Ok(report) => serde_json::to_value(report).map_err(|e| permanent(&e)),
            // Too little history is a normal state early in a season: nothing to train yet.
            Err(e @ (train::TrainError::TooFew(..) | train::TrainError::NoFeatures(..))) => {
                Ok(json!({"status": RunStatus::NoData, "reason": e.to_string()}))
            }
            Err(
                e @ (train::TrainError::Read { .. } | train::TrainError::Write { .. } | train::TrainError::Registry(_)),
            ) => Err(HandlerError::Transient(e.to_string())),
            Err(e) => Err(permanent(&e)),
        }
    }
}

#[cfg(test)]
mod tests;
