//! `props invoke` runs each function's handler on its events/ sample, as `sam local invoke` would.

use std::path::Path;

use crate::support::*;

fn events_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/events"))
}

#[test]
fn every_function_answers_its_sample_event() {
    let dir = tempfile::tempdir().unwrap();
    // The queue samples carry real envelopes for a past date: they are acknowledged as stale
    // (the handlers themselves are tested in their crates).
    let names = [
        "scrape",
        "process-raw",
        "analytics",
        "precompute",
        "orchestrate",
        "plan-scrapes",
        "phase-timeout-check",
        "self-heal",
        "retry-failed",
        "daily-health",
        "freshness-check",
        "stale-run-cleanup",
        "performance-alert",
        "predict",
        "grade",
        "train",
        "publish",
    ];
    for name in names {
        let event = events_dir().join(format!("{name}.json"));
        let out = props(dir.path(), &["invoke", name, "--event", event.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        if ["orchestrate", "process-raw", "analytics", "precompute", "scrape", "predict", "publish"].contains(&name) {
            assert_eq!(v["batchItemFailures"], serde_json::json!([]), "{v}");
        } else {
            assert!(v.is_object(), "{name}: {v}");
        }
    }
}

#[test]
fn unknown_function_and_bad_event_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = props(dir.path(), &["invoke", "orchestrat", "--event", "x.json"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown function `orchestrat`"));
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"not\": \"sqs\"}").unwrap();
    let out = props(dir.path(), &["invoke", "orchestrate", "--event", bad.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("orchestrate expects an SQS event"), "{err}");
}
