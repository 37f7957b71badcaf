//! `phase-timeout-check` (every 30 min): re-evaluates open dates so tiered and majority rules
//! fire without waiting for another completion, and blocked gates are retried.

use async_trait::async_trait;
use props_core::Context;
use props_core::lambda::{HandlerError, JsonHandler, check_input};
use props_core::pipeline::completion::{close_date, open_dates};
use serde_json::{Value, json};

use crate::evaluate::{Outcome, evaluate};
use crate::transitions::Transition;
use crate::triggers::resend_crashed_claims;

pub struct PhaseTimeoutCheck;

pub async fn check(ctx: &Context) -> Result<Value, HandlerError> {
    let transient = |e: &dyn std::fmt::Display| HandlerError::Transient(e.to_string());
    let today = ctx.clock.today();
    let mut report = Vec::new();
    for t in [Transition::ThreeToFour, Transition::FourToFive] {
        for d in open_dates(ctx.state.as_ref(), t.from_phase()).await.map_err(|e| transient(&e))? {
            if d < today.minus_days(ctx.config.stale_limit_days) {
                // Too old to matter: leave it to recovery, stop re-evaluating it.
                close_date(ctx.state.as_ref(), t.from_phase(), d).await.map_err(|e| transient(&e))?;
                report.push(json!({"transition": t.key(), "game_date": d, "outcome": "closed_stale"}));
                continue;
            }
            let outcome = evaluate(ctx, t, d).await.map_err(|e| transient(&e))?;
            let text = match &outcome {
                Outcome::Waiting(w) => format!("waiting: {w}"),
                Outcome::Blocked(b) => format!("blocked: {b}"),
                Outcome::Fired(f) => format!("{f:?}"),
            };
            report.push(json!({"transition": t.key(), "game_date": d, "outcome": text}));
        }
        for d in today.minus_days(ctx.config.stale_limit_days).through(today.next()) {
            for fired in resend_crashed_claims(ctx, t, d).await.map_err(|e| transient(&e))? {
                report.push(json!({"transition": t.key(), "game_date": d, "outcome": format!("{fired:?}")}));
            }
        }
    }
    Ok(json!({"evaluated": report.len(), "dates": report}))
}

#[async_trait]
impl JsonHandler for PhaseTimeoutCheck {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        check_input("phase-timeout-check", &input, &[])?;
        check(ctx).await
    }
}
