//! `props events`: the event log of a date, written by one invocation's buffer.

use std::sync::Arc;

use props_core::config::Config;
use props_core::events::{EventKind, EventLog, NewEvent};
use props_core::{Context, SystemClock};

use crate::support::*;

#[tokio::test]
async fn events_prints_a_dates_log_filtered_by_processor() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_path_buf();
    let mut config = Config::from_lookup(|_| None).unwrap();
    config.data_dir = data_dir.clone();
    let ctx = Context::build(config, Arc::new(SystemClock)).await.unwrap();
    let log = EventLog::new(&ctx, "analytics", "req-1");
    let d = date("2025-01-15");
    log.record(NewEvent::new(EventKind::Start, d).phase(3).processor("player_game_summary")).await.unwrap();
    log.record(
        NewEvent::new(EventKind::Skip, d).phase(3).processor("team_offense_game_summary").status("skipped_unchanged"),
    )
    .await
    .unwrap();
    log.record(NewEvent::new(EventKind::Complete, d).phase(3).processor("player_game_summary").status("success"))
        .await
        .unwrap();
    log.flush().await.unwrap();
    drop(ctx);

    let out = props(&data_dir, &["events", "--date", "2025-01-15", "--processor", "player_game_summary"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.starts_with("2 events for game date 2025-01-15, processor player_game_summary"), "{text}");
    assert!(text.contains("start") && text.contains("success"), "{text}");
    assert!(!text.contains("team_offense_game_summary"), "{text}");

    let out = props(&data_dir, &["events", "--date", "2025-01-14"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("0 events for game date 2025-01-14"));
}
