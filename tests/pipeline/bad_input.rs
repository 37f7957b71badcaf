//! Bad input to every handler of the registry: random and mutated JSON events, oversized
//! bodies, unknown kinds, dates no game can be on, wrong types. Each gives a clear error (or a
//! dropped message), never a panic, and nothing is written (the data directory is compared
//! byte for byte before and after).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use props_core::lambda::{EnvelopeHandler, JsonHandler, RecordOutcome, process_record, schedule_input};
use props_core::testkit::Harness;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::registry::{Trigger, functions};
use crate::support::ctx_at;

/// Every file under `dir` by content hash (SQLite's shared-memory index changes on reads, so it
/// is left out; its database and write-ahead log are not).
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.to_string_lossy().ends_with("-shm") {
                let bytes = std::fs::read(&p).unwrap_or_default();
                out.insert(p.display().to_string(), hex::encode(Sha256::digest(&bytes)));
            }
        }
    }
    out
}

/// The sample event's first message body (queue consumers) from `events/`.
fn sample_body(function: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("events/{function}.json"));
    let event: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    serde_json::from_str(event["Records"][0]["body"].as_str().unwrap()).unwrap()
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        "\\PC{0,24}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("zz[a-z_]{0,10}", inner, 1..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Dates no game can be on (seen from 2025-01-15), dates that are not dates, and wrong types.
fn bad_date() -> impl Strategy<Value = Value> {
    prop_oneof![
        (1000..1946i32, 1..=12u32, 1..=28u32).prop_map(|(y, m, d)| json!(format!("{y:04}-{m:02}-{d:02}"))),
        (2027..=9999i32, 1..=12u32, 1..=28u32).prop_map(|(y, m, d)| json!(format!("{y:04}-{m:02}-{d:02}"))),
        Just(json!("2025-13-45")),
        Just(json!("2025-02-30")),
        Just(json!("15/01/2025")),
        "[a-zA-Z0-9 ]{0,16}"
            .prop_filter("not a token", |s| {
                !["TODAY", "YESTERDAY", "TOMORROW"].contains(&s.trim().to_ascii_uppercase().as_str())
            })
            .prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(json!(["2025-01-15"])),
        Just(json!({"date": "2025-01-15"})),
    ]
}

/// A scheduled input that is wrong: not an object, unknown fields, a bad date, oversized.
fn bad_schedule_input() -> impl Strategy<Value = Value> {
    prop_oneof![
        any_json().prop_filter("not empty or null", |v| !v.is_null() && v != &json!({})),
        bad_date().prop_map(|d| json!({"game_date": d})),
        bad_date().prop_map(|d| json!({"backfill": true, "date": d})),
        Just(json!({"game_date": "x".repeat(70_000)})),
    ]
}

/// A queue message that is wrong: not JSON, not an envelope, or the sample envelope with one
/// field broken.
fn bad_body(sample: Value) -> impl Strategy<Value = String> {
    let with = move |field: &'static str| {
        let sample = sample.clone();
        move |v: Value| {
            let mut e = sample.clone();
            e[field] = v;
            e.to_string()
        }
    };
    prop_oneof![
        "\\PC{0,64}",
        any_json().prop_map(|v| v.to_string()),
        "[A-Za-z]{1,20}".prop_map(|k| Value::from(format!("X{k}"))).prop_map(with("kind")),
        bad_date().prop_map(with("game_date")),
        any_json().prop_filter("not an object", |v| !v.is_object()).prop_map(with("payload")),
        prop_oneof![Just(json!("1")), Just(json!(2)), Just(json!(null))].prop_map(with("version")),
        prop_oneof![Just(json!("")), Just(json!(7))].prop_map(with("idempotency_key")),
        Just(json!("p".repeat(300 * 1024))).prop_map(with("producer")),
    ]
}

/// A function's queue handler and scheduled-input handler, whichever it has.
type Handlers = (Option<Arc<dyn EnvelopeHandler>>, Option<Arc<dyn JsonHandler>>);

#[test]
fn every_handler_refuses_bad_input_clearly_and_writes_nothing() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 15, 17, 0, 0).unwrap());
    // Nothing listens on port 9: were a job ever fetched, it would fail, never leave the machine.
    let ctx = ctx_at(&h, "http://127.0.0.1:9", "bad-input-key-0123456789");
    let fns = functions().unwrap();
    assert!(fns.len() >= 12, "the registry lists every function");
    let before = snapshot(h.dir.path());
    for f in fns {
        // A runner per function: one runner's case budget is spent by its first property.
        let mut runner = TestRunner::new(ProptestConfig { cases: 48, failure_persistence: None, ..Default::default() });
        // A queue-or-schedule function gets both kinds of bad input.
        let (queue, json): Handlers = match f.trigger {
            Trigger::Queue(_, h) => (Some(h), None),
            Trigger::Json(h) => (None, Some(h)),
            Trigger::QueueOrSchedule(_, h) => {
                (Some(h.clone() as Arc<dyn EnvelopeHandler>), Some(h as Arc<dyn JsonHandler>))
            }
        };
        if let Some(handler) = queue {
            {
                let strategy = bad_body(sample_body(f.name));
                runner
                    .run(&strategy, |body| {
                        let outcome = rt.block_on(process_record(&ctx, handler.as_ref(), f.name, &body));
                        let reason = match &outcome {
                            RecordOutcome::Malformed(r) | RecordOutcome::Failed(r) => r.clone(),
                            RecordOutcome::StaleSkipped => "stale".into(),
                            RecordOutcome::Duplicate => "duplicate".into(),
                            RecordOutcome::Handled => String::new(),
                        };
                        prop_assert!(!reason.is_empty(), "{}: handled {:.200}", f.name, body);
                        prop_assert!(reason.len() <= 2_000, "{}: {reason:.200}", f.name);
                        rt.block_on(handler.finish(&ctx));
                        prop_assert_eq!(&snapshot(h.dir.path()), &before, "{} wrote on {:.200}", f.name, body);
                        Ok(())
                    })
                    .unwrap_or_else(|e| panic!("{}: {e}", f.name));
            }
        }
        if let Some(handler) = json {
            let mut runner =
                TestRunner::new(ProptestConfig { cases: 48, failure_persistence: None, ..Default::default() });
            {
                runner
                    .run(&bad_schedule_input(), |input| {
                        let shown = format!("{input:.200}");
                        let result = rt.block_on(handler.handle(&ctx, schedule_input(input)));
                        let e = match result {
                            Ok(v) => return Err(TestCaseError::fail(format!("{}: accepted {shown}: {v}", f.name))),
                            Err(e) => e,
                        };
                        prop_assert!(!e.is_transient(), "{}: bad input is not worth a retry: {e}", f.name);
                        let m = e.to_string();
                        prop_assert!(
                            m.contains("input") || m.contains("date"),
                            "{}: unclear error {m:.300} for {shown}",
                            f.name
                        );
                        prop_assert_eq!(&snapshot(h.dir.path()), &before, "{} wrote on {}", f.name, shown);
                        Ok(())
                    })
                    .unwrap_or_else(|e| panic!("{}: {e}", f.name));
            }
        }
    }
}
