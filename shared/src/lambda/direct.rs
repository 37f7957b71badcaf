use async_trait::async_trait;
use aws_lambda_events::event::eventbridge::EventBridgeEvent;
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
