//! The one serving loop every Lambda binary runs: logging set up once, the context built once
//! per cold start, and each invocation in a span (request id, function) and an event-log scope.

use std::future::Future;
use std::sync::Arc;

use aws_lambda_events::event::sqs::SqsEvent;
use lambda_runtime::{LambdaEvent, service_fn};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{EnvelopeHandler, HandlerError, JsonHandler, process_batch, schedule_input};
use crate::context::Context;

async fn serve<E, R, F, Fut>(function: &'static str, f: F) -> Result<(), lambda_runtime::Error>
where
    E: DeserializeOwned + Send + 'static,
    R: Serialize + Send + 'static,
    F: Fn(Arc<Context>, E) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<R, HandlerError>> + Send,
{
    crate::telemetry::init_lambda();
    let ctx = Arc::new(Context::from_env().await?);
    let f = Arc::new(f);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<E>| {
        let (ctx, f) = (ctx.clone(), f.clone());
        async move {
            let span = tracing::info_span!("invocation", function, request_id = %event.context.request_id);
            let _enter = span.enter();
            let run = f(ctx.clone(), event.payload);
            let id = event.context.request_id.clone();
            crate::events::in_invocation(&ctx, function, id, run).await.map_err(lambda_runtime::Error::from)
        }
    }))
    .await
}

/// A queue consumer: partial batch failures.
pub async fn run_sqs<H: EnvelopeHandler + 'static>(
    function: &'static str,
    handler: H,
) -> Result<(), lambda_runtime::Error> {
    let handler = Arc::new(handler);
    serve(function, move |ctx, event: SqsEvent| {
        let handler = handler.clone();
        async move { Ok(process_batch(&ctx, handler.as_ref(), function, event).await) }
    })
    .await
}

/// A scheduled or directly invoked function: JSON in, JSON summary out.
pub async fn run_json<H: JsonHandler + 'static>(
    function: &'static str,
    handler: H,
) -> Result<(), lambda_runtime::Error> {
    let handler = Arc::new(handler);
    serve(function, move |ctx, event: Value| {
        let handler = handler.clone();
        async move { handler.handle(&ctx, schedule_input(event)).await }
    })
    .await
}

/// Whether an invocation event is an SQS batch (it always carries a top-level `Records`
/// array; a scheduler input never does).
pub fn is_sqs_batch(event: &Value) -> bool {
    event.get("Records").is_some_and(Value::is_array)
}

/// One invocation of a function that is both a queue consumer and scheduled.
pub async fn dispatch<H: EnvelopeHandler + JsonHandler + ?Sized>(
    ctx: &Context,
    handler: &H,
    function: &str,
    event: Value,
) -> Result<Value, HandlerError> {
    if is_sqs_batch(&event) {
        let batch: SqsEvent =
            serde_json::from_value(event).map_err(|e| HandlerError::Permanent(format!("bad SQS event: {e}")))?;
        let response = process_batch(ctx, handler, function, batch).await;
        serde_json::to_value(response).map_err(|e| HandlerError::Permanent(e.to_string()))
    } else {
        JsonHandler::handle(handler, ctx, schedule_input(event)).await
    }
}

/// The entry point of a function that consumes a queue AND runs on schedules.
pub async fn run_queue_or_schedule<H: EnvelopeHandler + JsonHandler + 'static>(
    function: &'static str,
    handler: H,
) -> Result<(), lambda_runtime::Error> {
    let handler = Arc::new(handler);
    serve(function, move |ctx, event: Value| {
        let handler = handler.clone();
        async move { dispatch(&ctx, handler.as_ref(), function, event).await }
    })
    .await
}
