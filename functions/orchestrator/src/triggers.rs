//! Claiming a trigger: ONE conditional write per (transition, date, fingerprint). The claim is
//! written before the message is sent and marked `sent` after; a crash in between leaves a
//! `claimed` item that the next evaluation re-sends (same envelope, same idempotency key).

use chrono::{DateTime, Duration, Utc};
use props_core::events::{EventKind, NewEvent, emit};
use props_core::failpoint::{self, Step};
use props_core::messages::{Envelope, PhaseTrigger};
use props_core::pipeline::{Phase, completion};
use props_core::ports::{Alert, Condition, Item, Severity, Update};
use props_core::{Context, GameDate};

use crate::transitions::{Completed, Transition};

/// A claim older than this without `sent` is taken to be from a crashed instance.
pub const RESEND_AFTER: Duration = Duration::minutes(5);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fired {
    /// This call claimed and sent the trigger.
    Sent { fingerprint: String, degraded: bool },
    /// Already claimed for this input state (by this or another instance).
    AlreadyFired { fingerprint: String },
    /// A crashed claim was found and its trigger re-sent.
    Resent { fingerprint: String },
}

#[derive(Debug, thiserror::Error)]
pub enum TriggerError {
    #[error(transparent)]
    State(#[from] props_core::ports::StateError),
    #[error(transparent)]
    Queue(#[from] props_core::ports::QueueError),
    #[error(transparent)]
    Envelope(#[from] props_core::messages::EnvelopeError),
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn pk(t: Transition, d: GameDate) -> String {
    format!("TRIGGER#{}#{d}", t.key())
}

fn envelope(
    t: Transition,
    d: GameDate,
    fingerprint: &str,
    degraded: bool,
    now: DateTime<Utc>,
) -> Result<Envelope, TriggerError> {
    let payload =
        PhaseTrigger { to_phase: t.to_phase(), fingerprint: fingerprint.to_string(), degraded, processors: vec![] };
    Ok(Envelope::new(&payload, d, t.to_phase(), "orchestrate", fingerprint, now, false)?)
}

async fn send(ctx: &Context, t: Transition, env: &Envelope) -> Result<(), TriggerError> {
    let phase = Phase::from_number(t.to_phase()).unwrap_or(Phase::Precompute);
    ctx.queue.send(phase.queue(), &env.to_json()).await?;
    Ok(())
}

pub async fn fire(
    ctx: &Context,
    t: Transition,
    d: GameDate,
    fingerprint: &str,
    inputs: &Completed,
    missing: &[String],
    degraded: bool,
) -> Result<Fired, TriggerError> {
    let now = ctx.clock.now();
    let pk = pk(t, d);
    let claim = Item::new(&pk, fingerprint)
        .with("status", "claimed")
        .with("claimed_at", ts(now))
        .with("degraded", degraded)
        .with("inputs", serde_json::to_value(inputs).unwrap_or_default())
        .with("missing", serde_json::to_value(missing).unwrap_or_default());
    match ctx.state.put(claim, Some(Condition::NotExists)).await {
        Ok(()) => {}
        Err(e) if e.is_condition_failed() => return resend_if_crashed(ctx, t, d, fingerprint, now).await,
        Err(e) => return Err(e.into()),
    }
    failpoint::hit(Step::AfterTriggerClaim, t.key());
    let env = envelope(t, d, fingerprint, degraded, now)?;
    send(ctx, t, &env).await?;
    ctx.state.update(&pk, fingerprint, Update::new().set("status", "sent").set("sent_at", ts(now)), None).await?;
    if !degraded {
        completion::close_date(ctx.state.as_ref(), t.from_phase(), d).await?;
    } else {
        let alert = Alert::new(Severity::Warning, "orchestrate", format!("Degraded trigger {} for {d}", t.key()))
            .line(format!("Phase {} started without: {}", t.to_phase(), missing.join(", ")))
            .field("game date", d.to_string())
            .field("fingerprint", fingerprint);
        ctx.notifier.notify(&alert).await;
    }
    let status = if degraded { "sent_degraded" } else { "sent" };
    emit(
        NewEvent::new(EventKind::Trigger, d)
            .phase(t.to_phase())
            .status(status)
            .message(format!("{} {fingerprint}", t.key())),
    )
    .await;
    Ok(Fired::Sent { fingerprint: fingerprint.to_string(), degraded })
}

async fn resend_if_crashed(
    ctx: &Context,
    t: Transition,
    d: GameDate,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Result<Fired, TriggerError> {
    let pk = pk(t, d);
    let Some(item) = ctx.state.get(&pk, fingerprint).await? else {
        return Ok(Fired::AlreadyFired { fingerprint: fingerprint.to_string() });
    };
    let claimed_at = item.get_str("claimed_at").unwrap_or_default().to_string();
    let stale = props_core::tables::ts::parse(&claimed_at).is_ok_and(|at| now - at >= RESEND_AFTER);
    if item.get_str("status") != Some("claimed") || !stale {
        return Ok(Fired::AlreadyFired { fingerprint: fingerprint.to_string() });
    }
    // Take over the crashed claim: only one instance wins this write.
    let cond =
        Condition::And(vec![Condition::eq("status", "claimed"), Condition::eq("claimed_at", claimed_at.as_str())]);
    match ctx
        .state
        .update(&pk, fingerprint, Update::new().set("claimed_at", ts(now)).set("resent", true), Some(cond))
        .await
    {
        Ok(_) => {}
        Err(e) if e.is_condition_failed() => return Ok(Fired::AlreadyFired { fingerprint: fingerprint.to_string() }),
        Err(e) => return Err(e.into()),
    }
    let degraded = item.get_bool("degraded").unwrap_or(false);
    let env = envelope(t, d, fingerprint, degraded, now)?;
    send(ctx, t, &env).await?;
    ctx.state.update(&pk, fingerprint, Update::new().set("status", "sent").set("sent_at", ts(now)), None).await?;
    Ok(Fired::Resent { fingerprint: fingerprint.to_string() })
}

/// Re-sends the trigger of every crashed claim for `t` and `d`, whatever the inputs are now.
/// The next evaluation re-sends a crashed claim only while the inputs are unchanged, and a
/// date whose newer input state was triggered is closed and no longer evaluated: without this
/// sweep, an input state claimed by a crashed instance would never be triggered.
pub async fn resend_crashed_claims(ctx: &Context, t: Transition, d: GameDate) -> Result<Vec<Fired>, TriggerError> {
    let now = ctx.clock.now();
    let mut resent = Vec::new();
    for item in triggers_for(ctx, t, d).await? {
        if item.get_str("status") == Some("claimed") {
            let fired = resend_if_crashed(ctx, t, d, &item.sk, now).await?;
            if matches!(fired, Fired::Resent { .. }) {
                resent.push(fired);
            }
        }
    }
    Ok(resent)
}

/// Records a blocked gate for this input state; alerts only the first time.
pub async fn blocked(
    ctx: &Context,
    t: Transition,
    d: GameDate,
    fingerprint: &str,
    reason: &str,
) -> Result<bool, TriggerError> {
    let now = ctx.clock.now();
    let item = Item::new(pk(t, d), format!("BLOCKED#{fingerprint}")).with("reason", reason).with("blocked_at", ts(now));
    let first = match ctx.state.put(item, Some(Condition::NotExists)).await {
        Ok(()) => true,
        Err(e) if e.is_condition_failed() => false,
        Err(e) => return Err(e.into()),
    };
    if first {
        let alert = Alert::new(Severity::Warning, "orchestrate", format!("Gate blocked {} for {d}", t.key()))
            .line(reason.to_string())
            .line("It is re-evaluated on the next completion and every 30 minutes.")
            .field("game date", d.to_string());
        ctx.notifier.notify(&alert).await;
    }
    emit(
        NewEvent::new(EventKind::Gate, d)
            .phase(t.to_phase())
            .status("blocked")
            .message(format!("{}: {reason}", t.key())),
    )
    .await;
    Ok(first)
}

/// Sent (or claimed) triggers for a transition and date.
pub async fn triggers_for(
    ctx: &Context,
    t: Transition,
    d: GameDate,
) -> Result<Vec<Item>, props_core::ports::StateError> {
    let items = ctx.state.query(&pk(t, d), props_core::ports::KeyCondition::All).await?;
    Ok(items.into_iter().filter(|i| !i.sk.starts_with("BLOCKED#")).collect())
}
