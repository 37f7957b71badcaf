//! The local runner: drains the in-process queues through the same handlers Lambda runs, with
//! the same per-record semantics (malformed dropped, stale acknowledged, failures redelivered
//! until the dead-letter queue takes them).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use props_core::Context;
use props_core::lambda::{EnvelopeHandler, RecordOutcome, process_bodies};
use props_core::ports::QueueName;

pub struct LocalRunner {
    handlers: BTreeMap<QueueName, (&'static str, Arc<dyn EnvelopeHandler>)>,
}

#[derive(Debug, Default)]
pub struct DrainReport {
    pub handled: BTreeMap<QueueName, usize>,
    pub failed: usize,
    pub dropped: usize,
    /// Messages left on queues no local handler consumes yet.
    pub unconsumed: BTreeMap<QueueName, u64>,
}

impl LocalRunner {
    /// Every queue consumer of the registry, by the queue it consumes.
    pub fn new() -> anyhow::Result<Self> {
        let handlers = crate::registry::functions()?
            .into_iter()
            .filter_map(|f| match f.trigger {
                crate::registry::Trigger::Queue(q, h) => Some((q, (f.name, h))),
                crate::registry::Trigger::QueueOrSchedule(q, h) => Some((q, (f.name, h as Arc<dyn EnvelopeHandler>))),
                crate::registry::Trigger::Json(_) => None,
            })
            .collect();
        Ok(Self { handlers })
    }

    /// Processes messages until every consumed queue is empty.
    pub async fn drain(&self, ctx: &Context) -> anyhow::Result<DrainReport> {
        let mut report = DrainReport::default();
        loop {
            let mut progressed = false;
            for (queue, (function, handler)) in &self.handlers {
                let batch = ctx.queue.receive(*queue, 10, Duration::from_secs(300)).await?;
                let Some(first) = batch.first() else { continue };
                progressed = true;
                // One invocation per batch, as Lambda's SQS event source delivers it: one
                // event-log object and one metrics write for the batch, `finish` at its end.
                let id = format!("local-{}", first.message_id);
                let bodies: Vec<&str> = batch.iter().map(|m| m.body.as_str()).collect();
                let run = process_bodies(ctx, handler.as_ref(), function, &bodies);
                let outcomes = props_core::events::in_invocation(ctx, function, id, run).await;
                for (m, outcome) in batch.iter().zip(outcomes) {
                    match outcome {
                        RecordOutcome::Failed(_) => {
                            report.failed += 1;
                            ctx.queue.release(*queue, &m.receipt).await?;
                        }
                        outcome => {
                            if matches!(outcome, RecordOutcome::Malformed(_)) {
                                report.dropped += 1;
                            }
                            *report.handled.entry(*queue).or_default() += 1;
                            ctx.queue.ack(*queue, &m.receipt).await?;
                        }
                    }
                }
            }
            if !progressed {
                break;
            }
        }
        for q in QueueName::ALL {
            if !self.handlers.contains_key(&q) {
                let depth = ctx.queue.depth(q).await?;
                if depth.visible > 0 {
                    report.unconsumed.insert(q, depth.visible);
                }
            }
        }
        Ok(report)
    }
}
