//! The one binary serves two event shapes. An SQS batch always carries a top-level `Records`
//! array; a scheduler input (`{"processors", "start_date", ...}`, possibly wrapped in an
//! EventBridge `detail`) never does. So: `Records` present → the queue path with partial batch
//! failures; anything else → the scheduled path.

use props_core::Context;
use props_core::lambda::HandlerError;
use serde_json::Value;

use crate::handler::Analytics;

pub use props_core::lambda::is_sqs_batch;

/// Handles one invocation of either shape; the queue path answers with `batchItemFailures`.
pub async fn dispatch(ctx: &Context, handler: &Analytics, function: &str, event: Value) -> Result<Value, HandlerError> {
    props_core::lambda::dispatch(ctx, handler, function, event).await
}

/// The Lambda entry point.
pub async fn run(function: &'static str, handler: Analytics) -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_queue_or_schedule(function, handler).await
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use props_core::messages::{Envelope, PhaseTrigger, PublishJob, TableUpdated};
    use props_core::ports::{Queue, QueueName};
    use props_core::testkit::Harness;
    use serde_json::json;

    use super::*;

    fn harness() -> Harness {
        // 07:00 ET on 2025-01-16.
        Harness::new(Utc.with_ymd_and_hms(2025, 1, 16, 12, 0, 0).unwrap())
    }

    fn batch(bodies: &[String]) -> Value {
        let records: Vec<Value> = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| json!({"messageId": format!("m{i}"), "body": b, "eventSource": "aws:sqs"}))
            .collect();
        json!({ "Records": records })
    }

    fn trigger(to_phase: u8, processors: &[&str]) -> String {
        let p = PhaseTrigger {
            to_phase,
            fingerprint: "f".into(),
            degraded: false,
            processors: processors.iter().map(|s| s.to_string()).collect(),
        };
        Envelope::new(&p, "2025-01-15".parse().unwrap(), 2, "test", "c", Utc::now(), false).unwrap().to_json()
    }

    #[test]
    fn the_two_shapes_are_told_apart_by_records() {
        assert!(is_sqs_batch(&json!({"Records": []})));
        assert!(!is_sqs_batch(&json!({"processors": [], "start_date": "TODAY"})));
        assert!(!is_sqs_batch(&json!({"Records": "not a list"})));
    }

    #[tokio::test]
    async fn queue_messages_run_their_processors_or_fail_for_good() {
        let h = harness();
        let a = Analytics::default();
        // A trigger naming one processor runs exactly that one (it fails: no box scores).
        let out = dispatch(&h.ctx, &a, "analytics", batch(&[trigger(3, &["player_game_summary"])])).await.unwrap();
        assert_eq!(out["batchItemFailures"], json!([]));
        let done = h.queue.receive(QueueName::PhaseEvents, 10, std::time::Duration::from_secs(60)).await.unwrap();
        assert_eq!(done.len(), 1);
        assert!(done[0].body.contains("player_game_summary") && done[0].body.contains("player_boxscores has 0 rows"));
        // Wrong phase, unknown processor, wrong kind: permanent, redelivered to the DLQ path.
        let publish = Envelope::new(
            &PublishJob { predictions: 1, output_hash: "h".into() },
            "2025-01-15".parse().unwrap(),
            5,
            "t",
            "c",
            Utc::now(),
            false,
        )
        .unwrap()
        .to_json();
        let bad = [trigger(4, &[]), trigger(3, &["player_gme_summary"]), publish];
        let out = dispatch(&h.ctx, &a, "analytics", batch(&bad)).await.unwrap();
        assert_eq!(out["batchItemFailures"].as_array().unwrap().len(), 3, "{out}");
        // A raw table nobody reads: acknowledged, nothing runs.
        let p = TableUpdated { table: "workflow_decisions".into(), rows: 1, data_hash: "h".into() };
        let env = Envelope::new(&p, "2025-01-15".parse().unwrap(), 2, "t", "c", Utc::now(), false).unwrap();
        let out = dispatch(&h.ctx, &a, "analytics", batch(&[env.to_json()])).await.unwrap();
        assert_eq!(out["batchItemFailures"], json!([]));
    }

    #[tokio::test]
    async fn scheduled_input_resolves_in_new_york_and_bad_input_is_permanent() {
        let h = harness();
        let a = Analytics::default();
        let input =
            json!({"processors": ["upcoming_team_game_context"], "start_date": "TODAY", "end_date": "TOMORROW"});
        let out = dispatch(&h.ctx, &a, "analytics", input.clone()).await.unwrap();
        assert_eq!(out["dates"], 2);
        let dates: Vec<&str> =
            out["runs"].as_array().unwrap().iter().map(|r| r["game_date"].as_str().unwrap()).collect();
        assert_eq!(dates, ["2025-01-16", "2025-01-17"]);
        assert_eq!(out["failed"], 2, "no schedule loaded: the critical dependency fails, by name");
        // EventBridge bus events carry the input in `detail`.
        let bus = json!({"version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.scheduler",
            "account": "1", "time": "2025-01-16T12:00:00Z", "region": "us-east-1", "resources": [], "detail": input});
        assert_eq!(dispatch(&h.ctx, &a, "analytics", bus).await.unwrap()["dates"], 2);
        for bad in [
            json!({"start_date": "TOMORROWW"}),
            json!({"start_date": "TODAY", "processors": ["nope"]}),
            json!({"start_date": "TODAY", "surprise": true}),
        ] {
            let e = dispatch(&h.ctx, &a, "analytics", bad.clone()).await.unwrap_err();
            assert!(!e.is_transient(), "{bad}: {e}");
        }
    }
}
