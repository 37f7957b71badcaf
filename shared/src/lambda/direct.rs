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

/// The largest scheduled input accepted: a schedule's input is a few fields.
pub const MAX_INPUT_BYTES: usize = 64 * 1024;

/// Checks a scheduled input before any work: a JSON object (or nothing) of at most
/// [`MAX_INPUT_BYTES`] naming only `accepted` fields. A misconfigured schedule then fails at
/// once with a reason, instead of running with defaults that were not meant.
pub fn check_input(function: &str, input: &Value, accepted: &[&str]) -> Result<(), HandlerError> {
    let bad = |m: String| Err(HandlerError::Permanent(format!("{function} input: {m}")));
    let size = serde_json::to_string(input).map_or(usize::MAX, |s| s.len());
    if size > MAX_INPUT_BYTES {
        return bad(format!("{size} bytes, over the {MAX_INPUT_BYTES}-byte limit"));
    }
    let fields = match input {
        Value::Null => return Ok(()),
        Value::Object(m) => m,
        Value::Bool(_) => return bad("expected a JSON object, got a boolean".into()),
        Value::Number(_) => return bad("expected a JSON object, got a number".into()),
        Value::String(_) => return bad("expected a JSON object, got a string".into()),
        Value::Array(_) => return bad("expected a JSON object, got an array".into()),
    };
    if let Some(k) = fields.keys().find(|k| !accepted.contains(&k.as_str())) {
        let shown: String = k.chars().take(40).collect();
        let known = if accepted.is_empty() { "none".to_string() } else { accepted.join(", ") };
        return bad(format!("unknown field `{shown}` (accepted: {known})"));
    }
    Ok(())
}

/// EventBridge Scheduler delivers the configured input as the event itself; an EventBridge
/// rule (or a schedule without an input: its default notification) wraps it in an event with
/// `detail`, which may be JSON text. Either way the handler sees the input.
pub fn schedule_input(event: Value) -> Value {
    let is_bus_event = event.get("detail-type").is_some() && event.get("detail").is_some();
    if is_bus_event {
        if let Ok(ev) = serde_json::from_value::<EventBridgeEvent<Value>>(event.clone()) {
            return match ev.detail {
                Value::String(text) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
                detail => detail,
            };
        }
    }
    event
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inputs_must_be_small_objects_of_known_fields() {
        assert!(check_input("f", &Value::Null, &[]).is_ok());
        assert!(check_input("f", &json!({"game_date": "TODAY"}), &["game_date"]).is_ok());
        let err = |v: Value| check_input("f", &v, &["game_date"]).unwrap_err().to_string();
        assert_eq!(err(json!([1])), "permanent: f input: expected a JSON object, got an array");
        assert_eq!(err(json!({"gamedate": 1})), "permanent: f input: unknown field `gamedate` (accepted: game_date)");
        assert!(err(json!({"game_date": "x".repeat(70_000)})).contains("over the 65536-byte limit"));
    }

    #[test]
    fn scheduler_input_passes_through_and_bus_events_unwrap() {
        let input = json!({"processors": ["player_game_summary"], "start_date": "YESTERDAY"});
        assert_eq!(schedule_input(input.clone()), input);
        let bus = json!({
            "version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.scheduler",
            "account": "1", "time": "2025-01-15T11:00:00Z", "region": "us-east-1", "resources": [],
            "detail": input
        });
        assert_eq!(schedule_input(bus.clone()), input);
        let mut default_notification = bus;
        default_notification["detail"] = json!("{}");
        assert_eq!(schedule_input(default_notification), json!({}));
    }
}
