//! The `precompute` function's handlers: the orchestrator's 3→4 `PhaseTrigger` from
//! `precompute-jobs`, and scheduled JSON (`{"processors":[...],"start_date":..,"end_date":..,
//! "backfill":bool}`). Every run goes through `pipeline::runner::execute`, which owns run
//! history, the breaker, the retry queue and the completion message that the orchestrator's
//! 4→5 rule counts.

use std::sync::Arc;

use async_trait::async_trait;
use props_core::lambda::{EnvelopeHandler, HandlerError, JsonHandler};
use props_core::messages::{Envelope, MessageKind, PhaseTrigger};
use props_core::pipeline::Phase;
use props_core::pipeline::runner::{self, Processor, RunReport};
use props_core::pipeline::schedule::{RoutingError, ScheduledRun, by_names, no_games_scheduled};
use props_core::{Context, GameDate};
use serde_json::{Value, json};

use crate::processors;

#[derive(Clone)]
pub struct Precompute {
    processors: Vec<Arc<dyn Processor>>,
}

impl Default for Precompute {
    fn default() -> Self {
        Self { processors: processors::all() }
    }
}

impl Precompute {
    pub fn processors(&self) -> &[Arc<dyn Processor>] {
        &self.processors
    }

    /// Runs `ps` (in dependency order) for `date`; an empty list when the schedule shows no
    /// game that day (nothing to prepare is not a failure and must not trip breakers).
    /// Infrastructure errors stop the batch and are transient: the message comes back.
    pub async fn run(
        &self,
        ctx: &Context,
        ps: &[Arc<dyn Processor>],
        date: GameDate,
        backfill: bool,
    ) -> Result<Vec<RunReport>, HandlerError> {
        if no_games_scheduled(ctx, date).await.map_err(|e| HandlerError::Transient(e.to_string()))? {
            tracing::info!(game_date = %date, "no games scheduled: phase 4 skipped");
            return Ok(Vec::new());
        }
        runner::execute_all(ctx, ps, date, backfill)
            .await
            .map_err(|(name, e)| HandlerError::Transient(format!("{name}: {e}")))
    }

    /// Phase 4 for one date, in-process: all five processors in order (backfills, benchmarks,
    /// the local runner).
    pub async fn run_date(
        &self,
        ctx: &Context,
        date: GameDate,
        backfill: bool,
    ) -> Result<Vec<RunReport>, HandlerError> {
        self.run(ctx, &self.processors, date, backfill).await
    }
}

fn permanent(e: impl std::fmt::Display) -> HandlerError {
    HandlerError::Permanent(e.to_string())
}

#[async_trait]
impl EnvelopeHandler for Precompute {
    async fn handle(&self, ctx: &Context, envelope: Envelope) -> Result<(), HandlerError> {
        if envelope.kind != MessageKind::PhaseTrigger {
            return Err(permanent(format!("precompute does not handle {} messages", envelope.kind.as_str())));
        }
        let p: PhaseTrigger = envelope.payload().map_err(permanent)?;
        if p.to_phase != Phase::Precompute.number() {
            return Err(permanent(format!("PhaseTrigger for phase {} reached the phase-4 queue", p.to_phase)));
        }
        let ps = by_names(&self.processors, &p.processors).map_err(permanent)?;
        self.run(ctx, &ps, envelope.game_date, envelope.backfill).await.map(|_| ())
    }

    /// The processors read the tables as they are when they run: triggers of one set for one
    /// date in a batch need one run.
    fn coalesce_key(&self, envelope: &Envelope) -> Option<String> {
        let p: PhaseTrigger = envelope.payload().ok()?;
        Some(envelope.work_key(&p.processors.join(",")))
    }
}

#[async_trait]
impl JsonHandler for Precompute {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        let run = ScheduledRun::parse(input).map_err(permanent)?;
        let ps = by_names(&self.processors, &run.processors).map_err(|e: RoutingError| permanent(e))?;
        let dates = run.dates(ctx.clock.now()).map_err(permanent)?;
        let mut runs = Vec::new();
        let mut skipped = Vec::new();
        for date in &dates {
            let reports = self.run(ctx, &ps, *date, run.backfill).await?;
            if reports.is_empty() {
                skipped.push(json!({"game_date": date.to_string(), "reason": "no games scheduled"}));
            }
            for r in reports {
                runs.push(json!({
                    "processor": r.processor, "game_date": r.game_date.to_string(), "status": r.status,
                    "rows": r.rows, "error": r.error,
                }));
            }
        }
        let failed = runs.iter().filter(|r| r["status"] == "failed").count();
        Ok(json!({"dates": dates.len(), "runs": runs, "failed": failed, "skipped": skipped}))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use props_core::messages::{PublishJob, RunStatus};
    use props_core::testkit::Harness;

    use super::*;

    fn harness() -> Harness {
        Harness::new(Utc.with_ymd_and_hms(2025, 1, 15, 15, 0, 0).unwrap())
    }

    fn trigger(to_phase: u8, processors: &[&str]) -> Envelope {
        let p = PhaseTrigger {
            to_phase,
            fingerprint: "f".into(),
            degraded: false,
            processors: processors.iter().map(|s| s.to_string()).collect(),
        };
        Envelope::new(&p, "2025-01-15".parse().unwrap(), 3, "orchestrate", "c", Utc::now(), false).unwrap()
    }

    #[tokio::test]
    async fn a_trigger_runs_its_processors_and_anything_else_is_permanent() {
        let h = harness();
        let p = Precompute::default();
        // Without phase 3 the critical context is missing: recorded as failed, message acknowledged.
        EnvelopeHandler::handle(&p, &h.ctx, trigger(4, &[])).await.unwrap();
        let runs = props_core::pipeline::runs::runs_for(
            h.ctx.state.as_ref(),
            "ml_feature_store",
            "2025-01-15".parse().unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(runs.len(), 1);
        for bad in [trigger(5, &[]), trigger(4, &["ml_feature_stor"])] {
            let e = EnvelopeHandler::handle(&p, &h.ctx, bad).await.unwrap_err();
            assert!(!e.is_transient(), "{e}");
        }
        let publish = Envelope::new(
            &PublishJob { predictions: 1, output_hash: "h".into() },
            "2025-01-15".parse().unwrap(),
            5,
            "t",
            "c",
            Utc::now(),
            false,
        )
        .unwrap();
        assert!(!EnvelopeHandler::handle(&p, &h.ctx, publish).await.unwrap_err().is_transient());
    }

    #[tokio::test]
    async fn scheduled_input_runs_a_range_and_names_the_missing_input() {
        let h = harness();
        let p = Precompute::default();
        let out = JsonHandler::handle(&p, &h.ctx, json!({"processors": ["player_daily_cache"], "start_date": "TODAY"}))
            .await
            .unwrap();
        assert_eq!(out["dates"], 1);
        assert_eq!(out["failed"], 1);
        assert!(out["runs"][0]["error"].as_str().unwrap().contains("upcoming_player_game_context has 0 rows"), "{out}");
        assert_eq!(serde_json::to_value(RunStatus::Failed).unwrap(), out["runs"][0]["status"]);
        let bad = JsonHandler::handle(&p, &h.ctx, json!({"start_date": "TODAY", "surprise": 1})).await.unwrap_err();
        assert!(!bad.is_transient());
    }
}
