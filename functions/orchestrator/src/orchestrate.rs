//! `orchestrate`: consumes `ProcessorCompleted` from `phase-events`.

use async_trait::async_trait;
use props_core::lambda::{EnvelopeHandler, HandlerError};
use props_core::messages::{Envelope, ProcessorCompleted};
use props_core::pipeline::completion::{Completion, latest_output_seq, record_completion};
use props_core::pipeline::processors::{GAME_SUMMARIES, PRECOMPUTE, UPCOMING_CONTEXTS};
use props_core::{Context, GameDate};

use crate::evaluate::{Outcome, evaluate};
use crate::transitions::Transition;

pub struct Orchestrate;

/// The (transition, target date) pairs a completion of `processor` for `date` can unblock.
pub fn affected(processor: &str, date: GameDate) -> Vec<(Transition, GameDate)> {
    if UPCOMING_CONTEXTS.contains(&processor) {
        vec![(Transition::ThreeToFour, date)]
    } else if GAME_SUMMARIES.contains(&processor) {
        // summaries of date P feed the targets whose previous game date is P (≤ 3 days later)
        (1..=3).map(|n| (Transition::ThreeToFour, date.plus_days(n))).collect()
    } else if PRECOMPUTE.contains(&processor) {
        vec![(Transition::FourToFive, date)]
    } else {
        vec![]
    }
}

pub async fn on_completion(ctx: &Context, envelope: &Envelope) -> Result<Vec<Outcome>, HandlerError> {
    let p: ProcessorCompleted = envelope.payload().map_err(|e| HandlerError::Permanent(e.to_string()))?;
    if !p.status.is_complete() {
        // Failures are the run history's and the retry queue's business, not a completion.
        tracing::info!(processor = %p.processor, status = ?p.status, "not a completion");
        return Ok(vec![]);
    }
    let c = Completion {
        phase: envelope.phase,
        processor: p.processor.clone(),
        game_date: envelope.game_date,
        status: p.status,
        rows: p.rows,
        output_hash: p.output_hash.clone(),
        completed_at: envelope.emitted_at,
        seq: p.output_seq,
    };
    let transient = |e: &dyn std::fmt::Display| HandlerError::Transient(e.to_string());
    let recorded = record_completion(ctx.state.as_ref(), &c).await.map_err(|e| transient(&e))?;
    tracing::info!(processor = %c.processor, game_date = %c.game_date, ?recorded, "completion recorded");
    if envelope.backfill {
        // The backfill driver runs phases itself; no cascades from here.
        return Ok(vec![]);
    }
    // An output already replaced by a newer one: that one's completion is on its way and
    // evaluates then. Without this, deliveries out of order trigger the next phase for input
    // states that no longer exist (and it predicts from a half-built context table).
    if c.seq > 0 {
        let latest =
            latest_output_seq(ctx.state.as_ref(), &c.processor, c.game_date).await.map_err(|e| transient(&e))?;
        if c.seq < latest {
            tracing::info!(processor = %c.processor, game_date = %c.game_date, seq = c.seq, latest, "superseded output");
            return Ok(vec![]);
        }
    }
    // Evaluate even on a duplicate: an instance may have crashed after recording and before
    // claiming; the claim makes re-evaluation harmless.
    let mut outcomes = Vec::new();
    for (t, d) in affected(&c.processor, c.game_date) {
        let has_inputs = !props_core::pipeline::completion::completions(ctx.state.as_ref(), t.from_phase(), d)
            .await
            .map_err(|e| transient(&e))?
            .is_empty();
        if has_inputs {
            outcomes.push(evaluate(ctx, t, d).await.map_err(|e| transient(&e))?);
        }
    }
    Ok(outcomes)
}

#[async_trait]
impl EnvelopeHandler for Orchestrate {
    async fn handle(&self, ctx: &Context, envelope: Envelope) -> Result<(), HandlerError> {
        on_completion(ctx, &envelope).await.map(|_| ())
    }
}
