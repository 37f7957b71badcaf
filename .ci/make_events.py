"""Writes events/*.json: one realistic sample event per function (SQS batches carrying real
envelopes; scheduler inputs). Idempotency keys are derived exactly as props-core derives them
(sha256 of kind|date|phase|backfill|canonical payload), so the samples are real messages.

Run: python3 .ci/make_events.py   (the files are committed; this documents how they were made)
"""
import hashlib
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"


def canonical(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def envelope(kind, game_date, phase, producer, payload, emitted_at, backfill=False):
    basis = f"{kind}|{game_date}|{phase}|{str(backfill).lower()}|{canonical(payload)}"
    return {
        "kind": kind,
        "version": 1,
        "idempotency_key": hashlib.sha256(basis.encode()).hexdigest()[:32],
        "correlation_id": "sample-" + hashlib.sha256(basis.encode()).hexdigest()[:8],
        "game_date": game_date,
        "phase": phase,
        "producer": producer,
        "emitted_at": emitted_at,
        "backfill": backfill,
        "payload": payload,
    }


def sqs_event(queue, envelopes):
    records = []
    for i, env in enumerate(envelopes):
        body = json.dumps(env, separators=(",", ":"))
        records.append({
            "messageId": f"0f1e2d3c-4b5a-6978-8a9b-{i:012d}",
            "receiptHandle": f"AQEB-sample-{i}",
            "body": body,
            "attributes": {
                "ApproximateReceiveCount": "1",
                "SentTimestamp": "1736960400000",
                "SenderId": "AROAEXAMPLE",
                "ApproximateFirstReceiveTimestamp": "1736960400100",
            },
            "messageAttributes": {},
            "md5OfBody": hashlib.md5(body.encode()).hexdigest(),
            "eventSource": "aws:sqs",
            "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:nba-props-prod-{queue}",
            "awsRegion": "us-east-1",
        })
    return {"Records": records}


def write(name, value):
    (EVENTS / f"{name}.json").write_text(json.dumps(value, indent=2) + "\n")


def main():
    EVENTS.mkdir(exist_ok=True)
    write("orchestrate", sqs_event("phase-events", [
        envelope("ProcessorCompleted", "2025-01-15", 4, "ml_feature_store",
                 {"processor": "ml_feature_store", "status": "success", "rows": 212,
                  "output_hash": "5f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d", "error": None},
                 "2025-01-15T16:05:00.000Z"),
    ]))
    write("scrape", sqs_event("scrape-jobs", [
        envelope("ScrapeJob", "2025-01-14", 1, "plan-scrapes",
                 {"source": "nba/gamelog", "workflow": "post_game",
                  "params": {"date": "2025-01-14", "season": "2024-25", "player_or_team": "P",
                             "season_type": "Regular Season"}},
                 "2025-01-15T06:00:02.000Z"),
    ]))
    write("plan-scrapes", {})
    write("process-raw", sqs_event("raw-payloads", [
        envelope("RawPayloadStored", "2025-01-15", 2, "scrape",
                 {"source": "nba", "key": "raw/nba/gamelog/2025-01-15/20250116T060012Z-3b7e9c1d2f40.json",
                  "sha256": "3b7e9c1d2f40", "bytes": 48211},
                 "2025-01-16T06:00:13.000Z"),
    ]))
    write("analytics", sqs_event("analytics-jobs", [
        envelope("TableUpdated", "2025-01-15", 2, "process-raw",
                 {"table": "player_boxscores", "rows": 254,
                  "data_hash": "9c4e2a7b1d3f5e6a8b0c2d4e6f8a0b1c3d5e7f9a1b2c3d4e5f6a7b8c9d0e1f2a"},
                 "2025-01-16T06:00:14.000Z"),
    ]))
    write("predict", sqs_event("predict-jobs", [
        envelope("PhaseTrigger", "2025-01-15", 5, "orchestrate",
                 {"to_phase": 5, "fingerprint": "7d1e4c2b9a0f3e6d", "degraded": False, "processors": []},
                 "2025-01-15T16:35:00.000Z"),
    ]))
    write("publish", sqs_event("publish-jobs", [
        envelope("PublishJob", "2025-01-15", 6, "player_prop_predictions",
                 {"predictions": 1060,
                  "output_hash": "2a9f4c7e1b3d5f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f3a5c7e9b0d2f4a"},
                 "2025-01-15T16:36:00.000Z"),
    ]))
    write("grade", {"date": "YESTERDAY"})
    write("train", {})
    write("precompute", sqs_event("precompute-jobs", [
        envelope("PhaseTrigger", "2025-01-15", 3, "orchestrate",
                 {"to_phase": 4, "fingerprint": "3to4-7d1f0c2a9b8e6d5c4b3a2f10", "degraded": False,
                  "processors": []},
                 "2025-01-15T15:45:02.000Z"),
    ]))
    write("phase-timeout-check", {})
    write("self-heal", {})
    write("retry-failed", {})


if __name__ == "__main__":
    main()
