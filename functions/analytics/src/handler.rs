//! The `analytics` function's handlers: queue messages (`TableUpdated`, `PhaseTrigger`) and
//! scheduled JSON. Every run goes through `pipeline::runner::execute`, which owns run history,
//! the breaker, the retry queue and the completion message; a processor that fails is recorded
//! there and the message is still acknowledged (the retry queue, not SQS, retries it).

use std::sync::Arc;

use async_trait::async_trait;
use props_core::lambda::{EnvelopeHandler, HandlerError, JsonHandler};
use props_core::messages::{Envelope, MessageKind, PhaseTrigger, TableUpdated};
use props_core::pipeline::Phase;
use props_core::pipeline::processors::GAME_SUMMARIES;
use props_core::pipeline::runner::{self, Processor, RunReport};
use props_core::pipeline::schedule::no_games_scheduled;
use props_core::{Context, GameDate};
use serde_json::{Value, json};

use crate::lines::BookPreference;
use crate::processors;
use crate::routing::{self, ScheduledRun};

/// The environment variable naming the preferred bookmakers, in order (`draftkings,fanduel`).
pub const PREFERRED_BOOKS_ENV: &str = "PROPS_PREFERRED_BOOKS";

#[derive(Clone)]
pub struct Analytics {
    processors: Vec<Arc<dyn Processor>>,
}

impl Default for Analytics {
    fn default() -> Self {
        Self::new(BookPreference::default())
    }
}

impl Analytics {
    pub fn new(prefs: BookPreference) -> Self {
        Self { processors: processors::all(&prefs) }
    }

    /// Reads [`PREFERRED_BOOKS_ENV`]; unset keeps draftkings, fanduel, then the median.
    pub fn from_env() -> Self {
        Self::new(std::env::var(PREFERRED_BOOKS_ENV).map(|v| BookPreference::parse(&v)).unwrap_or_default())
    }

    pub fn processors(&self) -> &[Arc<dyn Processor>] {
        &self.processors
    }

    /// Drops the game summaries of a date the schedule shows without games (All-Star break,
    /// a day off): summarising nothing is not a failure and must not trip breakers or retries.
    /// Only when the schedule is loaded for that season; otherwise the summaries run and their
    /// dependency check speaks.
    pub async fn without_idle_summaries(
        &self,
        ctx: &Context,
        ps: Vec<Arc<dyn Processor>>,
        date: GameDate,
    ) -> Result<(Vec<Arc<dyn Processor>>, Vec<&'static str>), HandlerError> {
        if !ps.iter().any(|p| GAME_SUMMARIES.contains(&p.name())) {
            return Ok((ps, Vec::new()));
        }
        let idle = no_games_scheduled(ctx, date).await.map_err(|e| HandlerError::Transient(e.to_string()))?;
        if !idle {
            return Ok((ps, Vec::new()));
        }
        let (skipped, kept): (Vec<_>, Vec<_>) = ps.into_iter().partition(|p| GAME_SUMMARIES.contains(&p.name()));
        let names: Vec<&'static str> = skipped.iter().map(|p| p.name()).collect();
        tracing::info!(game_date = %date, ?names, "no games scheduled: game summaries skipped");
        Ok((kept, names))
    }

    /// Runs `ps` for `date` one after the other. Infrastructure errors (state store, queue)
    /// stop the batch and are transient: the message comes back.
    pub async fn run_all(
        &self,
        ctx: &Context,
        ps: &[Arc<dyn Processor>],
        date: GameDate,
        backfill: bool,
    ) -> Result<Vec<RunReport>, HandlerError> {
        runner::execute_all(ctx, ps, date, backfill)
            .await
            .map_err(|(name, e)| HandlerError::Transient(format!("{name}: {e}")))
    }
}

#[async_trait]
impl EnvelopeHandler for Analytics {
    async fn handle(&self, ctx: &Context, envelope: Envelope) -> Result<(), HandlerError> {
        let permanent = |e: &dyn std::fmt::Display| HandlerError::Permanent(e.to_string());
        let mut later = Vec::new();
        let ps = match envelope.kind {
            MessageKind::TableUpdated => {
                let p: TableUpdated = envelope.payload().map_err(|e| permanent(&e))?;
                let today = ctx.clock.today();
                let ps = routing::for_table(&self.processors, &p.table, envelope.game_date, today);
                // A backfill asks for its own cascades (DESIGN §5): no later dates.
                if !envelope.backfill {
                    let mut changed: Vec<&str> = vec![p.table.as_str()];
                    changed.extend(ps.iter().map(|x| x.name()));
                    later = routing::later_readers(&self.processors, &changed, envelope.game_date, today);
                }
                ps
            }
            MessageKind::PhaseTrigger => {
                let p: PhaseTrigger = envelope.payload().map_err(|e| permanent(&e))?;
                if p.to_phase != Phase::Analytics.number() {
                    return Err(HandlerError::Permanent(format!(
                        "PhaseTrigger for phase {} reached the phase-3 queue",
                        p.to_phase
                    )));
                }
                routing::by_names(&self.processors, &p.processors).map_err(|e| permanent(&e))?
            }
            other => {
                return Err(HandlerError::Permanent(format!("analytics does not handle {} messages", other.as_str())));
            }
        };
        let (ps, _) = self.without_idle_summaries(ctx, ps, envelope.game_date).await?;
        self.run_all(ctx, &ps, envelope.game_date, envelope.backfill).await?;
        for (date, ps) in later {
            self.run_all(ctx, &ps, date, false).await?;
        }
        Ok(())
    }

    /// The processors read the tables as they are when they run: ten updates of one table
    /// (ten line snapshots), or ten triggers of one set, in a batch need one run.
    fn coalesce_key(&self, envelope: &Envelope) -> Option<String> {
        match envelope.kind {
            MessageKind::TableUpdated => envelope.payload::<TableUpdated>().ok().map(|p| envelope.work_key(&p.table)),
            MessageKind::PhaseTrigger => {
                envelope.payload::<PhaseTrigger>().ok().map(|p| envelope.work_key(&p.processors.join(",")))
            }
            _ => None,
        }
    }
}

#[async_trait]
impl JsonHandler for Analytics {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        let permanent = |e: routing::RoutingError| HandlerError::Permanent(e.to_string());
        let run = ScheduledRun::parse(input).map_err(permanent)?;
        let ps = routing::by_names(&self.processors, &run.processors).map_err(permanent)?;
        let dates = run.dates(ctx.clock.now()).map_err(permanent)?;
        let mut runs = Vec::new();
        let mut skipped = Vec::new();
        for date in &dates {
            let (ps, idle) = self.without_idle_summaries(ctx, ps.clone(), *date).await?;
            for name in idle {
                skipped.push(json!({"processor": name, "game_date": date.to_string(), "reason": "no games scheduled"}));
            }
            for r in self.run_all(ctx, &ps, *date, run.backfill).await? {
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
