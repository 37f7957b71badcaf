//! Evaluates a transition for a date: gather completions, apply the rules, check the gate,
//! claim the trigger. Idempotent: safe to run on every completion and every timeout check.

use chrono::Duration;
use props_core::pipeline::completion::{completions, first_completion_at};
use props_core::{Context, GameDate};

use crate::gates::{self, Gate};
use crate::transitions::{self, Completed, Readiness, Transition};
use crate::triggers::{self, Fired, TriggerError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Waiting(String),
    Blocked(String),
    Fired(Fired),
}

#[derive(Debug, thiserror::Error)]
pub enum EvaluateError {
    #[error(transparent)]
    Trigger(#[from] TriggerError),
    #[error(transparent)]
    State(#[from] props_core::ports::StateError),
    #[error(transparent)]
    Table(#[from] props_core::tables::TableError),
}

async fn completed(ctx: &Context, phase: u8, d: GameDate) -> Result<Completed, EvaluateError> {
    Ok(completions(ctx.state.as_ref(), phase, d)
        .await?
        .into_iter()
        .filter(|c| c.status.is_complete())
        .map(|c| (c.processor, c.output_hash))
        .collect())
}

/// The latest game date before D (from the schedule table), if within the last 3 days.
pub async fn previous_game_date(ctx: &Context, d: GameDate) -> Result<Option<GameDate>, EvaluateError> {
    let dates = ctx.tables.partitions("schedule").await?;
    Ok(dates.into_iter().filter(|p| *p < d && *p >= d.minus_days(3)).max())
}

pub async fn evaluate(ctx: &Context, t: Transition, d: GameDate) -> Result<Outcome, EvaluateError> {
    let now = ctx.clock.now();
    let elapsed =
        first_completion_at(ctx.state.as_ref(), t.from_phase(), d).await?.map(|f| now - f).unwrap_or(Duration::zero());
    let (readiness, prev) = match t {
        Transition::ThreeToFour => {
            let prev = previous_game_date(ctx, d).await?;
            let contexts = completed(ctx, 3, d).await?;
            let summaries = match prev {
                Some(p) => Some(completed(ctx, 3, p).await?),
                None => None,
            };
            (transitions::three_to_four(&contexts, summaries.as_ref(), elapsed), prev)
        }
        Transition::FourToFive => (transitions::four_to_five(&completed(ctx, 4, d).await?, elapsed), None),
    };
    let (degraded, inputs, missing) = match readiness {
        Readiness::Wait(why) => return Ok(Outcome::Waiting(why)),
        Readiness::Ready { degraded, inputs, missing } => (degraded, inputs, missing),
    };
    let fingerprint = transitions::fingerprint(t, &inputs);
    let gate = match t {
        Transition::ThreeToFour => gates::three_to_four(ctx, d, prev).await?,
        Transition::FourToFive => gates::four_to_five(ctx, d).await?,
    };
    if let Gate::Blocked(reason) = gate {
        triggers::blocked(ctx, t, d, &fingerprint, &reason).await?;
        return Ok(Outcome::Blocked(reason));
    }
    Ok(Outcome::Fired(triggers::fire(ctx, t, d, &fingerprint, &inputs, &missing, degraded).await?))
}
