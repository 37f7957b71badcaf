use chrono::{TimeZone, Utc};
use props_core::lambda::dispatch;
use props_core::ports::Queue;
use props_core::tables::rows::predictions::{PlayerPropPredictionRow, PredictionHistoryRow};
use props_core::testkit::Harness;

use super::*;
use crate::systems::fixtures::{d, steady};

fn harness() -> Harness {
    // 10:00 ET on 2024-03-05.
    Harness::new(Utc.with_ymd_and_hms(2024, 3, 5, 15, 0, 0).unwrap())
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
    Envelope::new(&p, d("2024-03-05"), to_phase, "test", "c", Utc::now(), false).unwrap().to_json()
}

#[tokio::test]
async fn a_phase_trigger_predicts_keeps_history_and_queues_one_publish_job() {
    let h = harness();
    let date = d("2024-03-05");
    h.ctx
        .tables
        .replace(date, vec![steady("2024-03-05", "a", Some(17.5)), steady("2024-03-05", "b", None)])
        .await
        .unwrap();
    let out = dispatch(&h.ctx, &PredictHandler, "predict", batch(&[trigger(5, &[])])).await.unwrap();
    assert_eq!(out["batchItemFailures"], json!([]));
    let rows: Vec<PlayerPropPredictionRow> = h.ctx.tables.read_date(date).await.unwrap();
    assert_eq!(rows.len(), 10, "five systems for two players");
    let jobs = h.queue.receive(QueueName::PublishJobs, 10, std::time::Duration::from_secs(60)).await.unwrap();
    assert_eq!(jobs.len(), 1);
    let job: PublishJob = Envelope::parse(&jobs[0].body).unwrap().payload().unwrap();
    assert_eq!(job.predictions, 10);
    // A redelivery changes nothing: same partition, no second history object.
    dispatch(&h.ctx, &PredictHandler, "predict", batch(&[trigger(5, &[])])).await.unwrap();
    let history: Vec<PredictionHistoryRow> = h.ctx.tables.read_date(date).await.unwrap();
    assert_eq!(history.len(), 10);
    // New inputs (a line moved): the date is replaced and the earlier run stays in history.
    h.ctx
        .tables
        .replace(date, vec![steady("2024-03-05", "a", Some(18.5)), steady("2024-03-05", "b", None)])
        .await
        .unwrap();
    dispatch(&h.ctx, &PredictHandler, "predict", batch(&[trigger(5, &[])])).await.unwrap();
    let rows: Vec<PlayerPropPredictionRow> = h.ctx.tables.read_date(date).await.unwrap();
    assert!(rows.iter().filter(|r| r.player_lookup == "a").all(|r| r.line == Some(18.5)));
    let history: Vec<PredictionHistoryRow> = h.ctx.tables.read_date(date).await.unwrap();
    assert_eq!(history.len(), 20, "both runs are kept");
}

#[tokio::test]
async fn wrong_messages_and_inputs_are_permanent() {
    let h = harness();
    let out =
        dispatch(&h.ctx, &PredictHandler, "predict", batch(&[trigger(4, &[]), trigger(5, &["nope"])])).await.unwrap();
    assert_eq!(out["batchItemFailures"].as_array().unwrap().len(), 2, "{out}");
    for bad in [json!({"date": "TOMORROWW"}), json!({"surprise": 1})] {
        let e = JsonHandler::handle(&PredictHandler, &h.ctx, bad.clone()).await.unwrap_err();
        assert!(!e.is_transient(), "{bad}: {e}");
    }
    // Without features the run fails by name (and is retried by the retry queue), no publish job.
    let out = JsonHandler::handle(&PredictHandler, &h.ctx, json!({"date": "2024-03-05"})).await.unwrap();
    assert_eq!(out["status"], "failed");
    assert!(out["error"].as_str().unwrap().contains("ml_feature_store has 0 rows"), "{out}");
    assert_eq!(h.queue.depth(QueueName::PublishJobs).await.unwrap().visible, 0);
}

#[tokio::test]
async fn grade_defaults_to_yesterday_in_new_york_and_train_without_history_is_no_data() {
    let h = harness();
    let out = JsonHandler::handle(&GradeHandler, &h.ctx, json!({})).await.unwrap();
    assert_eq!(out["game_date"], "2024-03-04");
    assert_eq!(out["status"], "failed", "nothing to grade yet: {out}");
    let out = JsonHandler::handle(&TrainHandler::default(), &h.ctx, json!({})).await.unwrap();
    assert_eq!(out["status"], "no_data", "{out}");
}
