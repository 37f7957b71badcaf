use std::sync::Arc;

use async_trait::async_trait;
use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use lambda_runtime::{LambdaEvent, service_fn};

use super::HandlerError;
use crate::context::Context;
use crate::messages::Envelope;

#[async_trait]
pub trait EnvelopeHandler: Send + Sync {
    async fn handle(&self, ctx: &Context, envelope: Envelope) -> Result<(), HandlerError>;
}

#[derive(Debug, PartialEq, Eq)]
pub enum RecordOutcome {
    Handled,
    /// Unreadable: logged with its body, dropped (acknowledged), never retried.
    Malformed(String),
    /// For a game date older than the stale limit: acknowledged, no work done.
    StaleSkipped,
    /// The handler failed: the record is reported as a batch item failure.
    Failed(String),
}

impl RecordOutcome {
    /// Whether the queue should redeliver the record.
    pub fn redeliver(&self) -> bool {
        matches!(self, RecordOutcome::Failed(_))
    }
}

/// Runs one message body through the handler (shared by Lambda and the local runner).
pub async fn process_record<H: EnvelopeHandler + ?Sized>(
    ctx: &Context,
    handler: &H,
    function: &str,
    body: &str,
) -> RecordOutcome {
    let redactor = ctx.config.redactor();
    let envelope = match Envelope::parse(body) {
        Ok(e) => e,
        Err(e) => {
            let shown: String = redactor.redact(body).chars().take(2_000).collect();
            tracing::error!(function, error = %e, body = %shown, "dropping malformed message");
            return RecordOutcome::Malformed(e.to_string());
        }
    };
    if envelope.is_stale(ctx.clock.today(), ctx.config.stale_limit_days) {
        tracing::info!(function, game_date = %envelope.game_date, kind = envelope.kind.as_str(), "stale_skipped");
        return RecordOutcome::StaleSkipped;
    }
    let span = tracing::info_span!("message", function, game_date = %envelope.game_date, kind = envelope.kind.as_str(), correlation_id = %envelope.correlation_id);
    let _enter = span.enter();
    match handler.handle(ctx, envelope).await {
        Ok(()) => RecordOutcome::Handled,
        Err(e) => {
            let msg = redactor.redact(&e.to_string());
            tracing::warn!(function, error = %msg, "record failed");
            RecordOutcome::Failed(msg)
        }
    }
}

/// An SQS batch → the partial-failure response: only failed records are redelivered.
pub async fn process_batch<H: EnvelopeHandler + ?Sized>(
    ctx: &Context,
    handler: &H,
    function: &str,
    event: SqsEvent,
) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let body = record.body.as_deref().unwrap_or("");
        if process_record(ctx, handler, function, body).await.redeliver() {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    response
}

/// The Lambda entry point for a queue consumer.
pub async fn run_sqs<H: EnvelopeHandler + 'static>(
    function: &'static str,
    handler: H,
) -> Result<(), lambda_runtime::Error> {
    crate::telemetry::init_lambda();
    let ctx = Arc::new(Context::from_env().await?);
    let handler = Arc::new(handler);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| {
        let (ctx, handler) = (ctx.clone(), handler.clone());
        async move {
            let span = tracing::info_span!("invocation", function, request_id = %event.context.request_id);
            let _enter = span.enter();
            Ok::<_, lambda_runtime::Error>(process_batch(&ctx, handler.as_ref(), function, event.payload).await)
        }
    }))
    .await
}
