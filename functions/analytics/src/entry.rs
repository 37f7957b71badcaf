//! The one binary serves two event shapes. An SQS batch always carries a top-level `Records`
//! array; a scheduler input (`{"processors", "start_date", ...}`, possibly wrapped in an
//! EventBridge `detail`) never does. So: `Records` present → the queue path with partial batch
//! failures; anything else → the scheduled path.

use std::sync::Arc;

use aws_lambda_events::event::sqs::SqsEvent;
use lambda_runtime::{LambdaEvent, service_fn};
use props_core::Context;
use props_core::lambda::{HandlerError, JsonHandler, process_batch, schedule_input};
use serde_json::Value;

use crate::handler::Analytics;

/// Whether an invocation event is an SQS batch.
pub fn is_sqs_batch(event: &Value) -> bool {
    event.get("Records").is_some_and(Value::is_array)
}

/// Handles one invocation of either shape; the queue path answers with `batchItemFailures`.
pub async fn dispatch(ctx: &Context, handler: &Analytics, function: &str, event: Value) -> Result<Value, HandlerError> {
    if is_sqs_batch(&event) {
        let batch: SqsEvent =
            serde_json::from_value(event).map_err(|e| HandlerError::Permanent(format!("bad SQS event: {e}")))?;
        let response = process_batch(ctx, handler, function, batch).await;
        serde_json::to_value(response).map_err(|e| HandlerError::Permanent(e.to_string()))
    } else {
        JsonHandler::handle(handler, ctx, schedule_input(event)).await
    }
}

/// The Lambda entry point.
pub async fn run(function: &'static str, handler: Analytics) -> Result<(), lambda_runtime::Error> {
    props_core::telemetry::init_lambda();
    let ctx = Arc::new(Context::from_env().await?);
    let handler = Arc::new(handler);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let (ctx, handler) = (ctx.clone(), handler.clone());
        async move {
            let span = tracing::info_span!("invocation", function, request_id = %event.context.request_id);
            let _enter = span.enter();
            dispatch(&ctx, &handler, function, event.payload).await.map_err(lambda_runtime::Error::from)
        }
    }))
    .await
}
