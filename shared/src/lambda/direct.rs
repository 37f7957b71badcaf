use std::sync::Arc;

use async_trait::async_trait;
use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use lambda_runtime::{LambdaEvent, service_fn};
use serde_json::Value;

use super::HandlerError;
use crate::context::Context;

/// A handler for scheduled or direct invocations: JSON in, JSON summary out.
#[async_trait]
pub trait JsonHandler: Send + Sync {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError>;
}

/// EventBridge Scheduler delivers the configured input as the event itself; an EventBridge
/// rule wraps it in an event with `detail`. Either way the handler sees the input.
pub fn schedule_input(event: Value) -> Value {
    let is_bus_event = event.get("detail-type").is_some() && event.get("detail").is_some();
    if is_bus_event {
        if let Ok(ev) = serde_json::from_value::<EventBridgeEvent<Value>>(event.clone()) {
            return ev.detail;
        }
    }
    event
}

pub async fn run_json<H: JsonHandler + 'static>(
    function: &'static str,
    handler: H,
) -> Result<(), lambda_runtime::Error> {
    crate::telemetry::init_lambda();
    let ctx = Arc::new(Context::from_env().await?);
    let handler = Arc::new(handler);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let (ctx, handler) = (ctx.clone(), handler.clone());
        async move {
            let span = tracing::info_span!("invocation", function, request_id = %event.context.request_id);
            let _enter = span.enter();
            let request_id = event.context.request_id.clone();
            let run = handler.handle(&ctx, schedule_input(event.payload));
            crate::events::with_invocation(request_id, run).await.map_err(lambda_runtime::Error::from)
        }
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scheduler_input_passes_through_and_bus_events_unwrap() {
        let input = json!({"processors": ["player_game_summary"], "start_date": "YESTERDAY"});
        assert_eq!(schedule_input(input.clone()), input);
        let bus = json!({
            "version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.scheduler",
            "account": "1", "time": "2025-01-15T11:00:00Z", "region": "us-east-1", "resources": [],
            "detail": input
        });
        assert_eq!(schedule_input(bus), input);
    }
}
