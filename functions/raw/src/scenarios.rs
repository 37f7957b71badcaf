//! Phase 2 on a real day (2024-03-05) fetched from the replay server: counts and totals match
//! the source, order and repetition do not matter, bad payloads go to quarantine.

use aws_lambda_events_shim::sqs_event;
use bytes::Bytes;
use chrono::{TimeZone, Utc};
use props_core::lambda::process_batch;
use props_core::sources::raw_key::RawKey;
use props_core::sources::request::Endpoint;
use props_core::tables::rows::raw::{PlayerBoxscoreRow, ScheduleRow, TeamBoxscoreRow};
use props_core::testkit::{Harness, real_data_dir, replay};
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::process::process_key;

mod aws_lambda_events_shim {
    use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};

    pub fn sqs_event(bodies: &[String]) -> SqsEvent {
        let mut e = SqsEvent::default();
        e.records = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let mut m = SqsMessage::default();
                m.message_id = Some(format!("m{i}"));
                m.body = Some(b.clone());
                m
            })
            .collect();
        e
    }
}

fn harness() -> Harness {
    Harness::new(Utc.with_ymd_and_hms(2024, 3, 6, 12, 0, 0).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_day_matches_the_source_in_any_order() {
    if real_data_dir().is_none() {
        return;
    }
    let Some(r) = replay::start() else { return };
    replay::control(&r.base, reqwest::Method::POST, "/_replay/clock", json!({"now": "2024-03-06T12:00:00Z"})).await;
    let payloads = fetch_day(&r.base).await;

    // In order, once.
    let a = harness();
    let keys = store(&a.ctx, &payloads).await;
    for k in &keys {
        let done = process_key(&a.ctx, k).await.unwrap();
        assert!(done.quarantined.is_none(), "{k}: {:?}", done.quarantined);
    }
    let schedule: Vec<ScheduleRow> = a.ctx.tables.read_date(day()).await.unwrap();
    let players: Vec<PlayerBoxscoreRow> = a.ctx.tables.read_date(day()).await.unwrap();
    let teams: Vec<TeamBoxscoreRow> = a.ctx.tables.read_date(day()).await.unwrap();
    assert_eq!(schedule.len(), 9, "nine games on 2024-03-05");
    assert_eq!(teams.len(), 18);
    assert!(players.len() > 150, "{}", players.len());
    // Points per team-game from the player rows equal the team box score.
    for t in &teams {
        let sum: i32 =
            players.iter().filter(|p| p.game_id == t.game_id && p.team == t.team).filter_map(|p| p.points).sum();
        assert_eq!(Some(sum), t.points, "{} {}", t.game_id, t.team);
        assert!(schedule.iter().any(|s| s.game_id == t.game_id), "{} is in the schedule", t.game_id);
    }
    let in_order = tables(&a.ctx).await;
    assert!(!in_order["player_points_props"].is_empty(), "real lines for the day");
    let props = a.ctx.tables.read_json("player_points_props", day(), day()).await.unwrap();
    assert!(props.iter().all(|p| schedule.iter().any(|s| Some(s.game_id.as_str()) == p["game_id"].as_str())));

    // Twice each, in reverse order, on a fresh store: identical rows.
    let b = harness();
    let keys_b = store(&b.ctx, &payloads).await;
    for k in keys_b.iter().rev().chain(keys_b.iter().rev()) {
        process_key(&b.ctx, k).await.unwrap();
    }
    assert_eq!(tables(&b.ctx).await, in_order);
}

#[tokio::test]
async fn bad_payloads_are_quarantined_and_the_rest_of_the_batch_succeeds() {
    let h = harness();
    let good_schedule = json!({"leagueSchedule": {"seasonYear": "2023-24", "gameDates": []}});
    let header = [
        "SEASON_ID",
        "TEAM_ID",
        "TEAM_ABBREVIATION",
        "TEAM_NAME",
        "GAME_ID",
        "GAME_DATE",
        "MATCHUP",
        "WL",
        "MIN",
        "PTS",
    ];
    let row =
        json!(["22023", 1610612738, "BOS", "Boston Celtics", "0022300880", "2024-03-05", "BOS vs. GSW", "W", 240, 140]);
    let gamelog = |headers: Value, row: Value| json!({"resultSets": [{"name": "LeagueGameLog", "headers": headers, "rowSet": [row]}]});
    let mut renamed = header.to_vec();
    renamed[9] = "POINTS";
    let mut wrong_type = row.clone();
    wrong_type[9] = json!("one hundred forty");
    let full = gamelog(json!(header), row.clone()).to_string();
    let bad: Vec<(&str, Vec<u8>)> = vec![
        ("garbage", b"\x00\x01 definitely not json".to_vec()),
        ("truncated", full.as_bytes()[..full.len() / 2].to_vec()),
        ("renamed column", gamelog(json!(renamed), row.clone()).to_string().into_bytes()),
        ("string for a number", gamelog(json!(header), wrong_type).to_string().into_bytes()),
    ];
    let t0 = Utc.with_ymd_and_hms(2024, 3, 6, 9, 0, 0).unwrap();
    let mut bodies = Vec::new();
    let mut bad_keys = Vec::new();
    for (i, (_, bytes)) in bad.iter().enumerate() {
        let k = RawKey::new(Endpoint::Gamelog, day(), t0 + chrono::Duration::minutes(i as i64), bytes);
        h.ctx.blobs.put(&k.key, Bytes::from(bytes.clone())).await.unwrap();
        bad_keys.push(k.clone());
        bodies.push(raw_stored(&k));
    }
    let k = RawKey::new(Endpoint::Schedule, day(), t0, good_schedule.to_string().as_bytes());
    h.ctx.blobs.put(&k.key, Bytes::from(good_schedule.to_string())).await.unwrap();
    bodies.push(raw_stored(&k));

    let resp = process_batch(&h.ctx, &crate::ProcessRaw, "process-raw", sqs_event(&bodies)).await;
    assert!(resp.batch_item_failures.is_empty(), "quarantined records are acknowledged, not retried forever");
    for (k, (what, _)) in bad_keys.iter().zip(&bad) {
        let q = crate::quarantine::quarantine_key(k);
        assert!(h.ctx.blobs.get(&q).await.unwrap().is_some(), "{what}: payload kept");
        let err = h.ctx.blobs.get(&format!("{}.error.json", q.trim_end_matches(".json"))).await.unwrap().unwrap();
        let err: Value = serde_json::from_slice(&err).unwrap();
        assert!(err["parser"].as_str().unwrap().starts_with("gamelog"), "{what}: {err}");
        assert!(!err["error"].as_str().unwrap().is_empty(), "{what}: {err}");
    }
    let alerts = h.alerts.alerts().len();
    assert_eq!(alerts, 4, "one alert per quarantined payload");
    // Redelivered: nothing new, no second alert.
    process_batch(&h.ctx, &crate::ProcessRaw, "process-raw", sqs_event(&bodies)).await;
    assert_eq!(h.alerts.alerts().len(), alerts);
    let errors: Vec<String> = h.alerts.alerts().iter().flat_map(|a| a.lines.clone()).collect();
    assert!(
        errors.iter().any(|e| e.contains("POINTS") || e.contains("PTS")),
        "the renamed column is named: {errors:?}"
    );
}

fn raw_stored(k: &RawKey) -> String {
    let p = props_core::messages::RawPayloadStored {
        source: k.source.clone(),
        key: k.key.clone(),
        sha256: k.sha12.clone(),
        bytes: 0,
    };
    props_core::messages::Envelope::new(&p, k.game_date, 2, "test", "c", Utc::now(), false).unwrap().to_json()
}
