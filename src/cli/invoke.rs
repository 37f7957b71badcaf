use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use aws_lambda_events::event::sqs::SqsEvent;
use clap::Args;
use props_core::events::{EventLog, in_invocation};
use props_core::lambda::{process_batch, schedule_input};
use props_core::{Clock, Context, ManualClock, SystemClock};

use crate::registry::{Trigger, functions, names};

#[derive(Debug, Args)]
pub struct InvokeArgs {
    /// Function name as in template.yaml (e.g. orchestrate, self-heal).
    pub function: String,
    /// The event JSON (an SQS batch for queue consumers; the schedule input otherwise).
    #[arg(long)]
    pub event: PathBuf,
    /// Append every message the handler sends to this file as JSON lines (`{"queue", "body"}`):
    /// the embedded queues end with the process.
    #[arg(long)]
    pub outbox: Option<PathBuf>,
    /// Pin the clock to this instant (RFC 3339) instead of the wall clock: replay a past day's
    /// events without them being acknowledged as stale.
    #[arg(long)]
    pub now: Option<String>,
}

impl InvokeArgs {
    pub fn clock(&self) -> anyhow::Result<Arc<dyn Clock>> {
        Ok(match &self.now {
            Some(s) => {
                let t = chrono::DateTime::parse_from_rfc3339(s).with_context(|| format!("--now `{s}`"))?;
                Arc::new(ManualClock::new(t.with_timezone(&chrono::Utc)))
            }
            None => Arc::new(SystemClock),
        })
    }
}

pub async fn run(ctx: &Context, a: InvokeArgs) -> anyhow::Result<()> {
    let mut ctx = ctx.clone();
    if let Some(path) = &a.outbox {
        ctx.queue = Arc::new(super::outbox::Outbox::open(path, ctx.queue.clone())?);
    }
    let ctx = &ctx;
    let Some(f) = functions()?.into_iter().find(|f| f.name == a.function) else {
        bail!("unknown function `{}` (known: {})", a.function, names().join(", "));
    };
    let text =
        std::fs::read_to_string(&a.event).with_context(|| format!("reading event file {}", a.event.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("event file {} is not JSON", a.event.display()))?;
    // One invocation, as in Lambda: its own event-log object and one request-count write.
    let id = EventLog::invocation_id(&format!("invoke-{}", f.name), ctx.clock.now());
    let run = async {
        anyhow::Ok(match f.trigger {
            Trigger::Queue(_, handler) => {
                let event: SqsEvent = serde_json::from_value(value)
                    .with_context(|| format!("{} expects an SQS event (Records[])", f.name))?;
                serde_json::to_value(process_batch(ctx, handler.as_ref(), f.name, event).await)?
            }
            Trigger::QueueOrSchedule(_, handler) => props_core::lambda::dispatch(ctx, handler.as_ref(), f.name, value)
                .await
                .map_err(|e| anyhow::anyhow!("{} failed: {e}", f.name))?,
            Trigger::Json(handler) => handler
                .handle(ctx, schedule_input(value))
                .await
                .map_err(|e| anyhow::anyhow!("{} failed: {e}", f.name))?,
        })
    };
    let out = in_invocation(ctx, f.name, id, run).await?;
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
