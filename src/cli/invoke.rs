use std::path::PathBuf;

use anyhow::{Context as _, bail};
use aws_lambda_events::event::sqs::SqsEvent;
use clap::Args;
use props_core::Context;
use props_core::events::{EventLog, in_invocation};
use props_core::lambda::{process_batch, schedule_input};

use crate::registry::{Trigger, functions, names};

#[derive(Debug, Args)]
pub struct InvokeArgs {
    /// Function name as in template.yaml (e.g. orchestrate, self-heal).
    pub function: String,
    /// The event JSON (an SQS batch for queue consumers; the schedule input otherwise).
    #[arg(long)]
    pub event: PathBuf,
}

pub async fn run(ctx: &Context, a: InvokeArgs) -> anyhow::Result<()> {
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
