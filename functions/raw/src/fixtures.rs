//! Fixtures for phase-2 tests here and in the whole-pipeline tests: one real game day
//! (2024-03-05) fetched from the replay server as the scrapers would, stored under raw keys.

use std::collections::BTreeMap;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, TimeZone, Utc};
use props_core::config::SourceUrls;
use props_core::secrets::{Redactor, Secret};
use props_core::sources::fetch::{FetchSettings, Fetcher};
use props_core::sources::nba_stats::{PlayerOrTeam, SeasonType};
use props_core::sources::odds_api::EventId;
use props_core::sources::parse::parse_odds_events;
use props_core::sources::raw_key::RawKey;
use props_core::sources::request::{Endpoint, SourceRequest};
use props_core::sources::{nba_stats, odds_api};
use props_core::{Context, GameDate};

pub const DAY: &str = "2024-03-05";

pub fn day() -> GameDate {
    DAY.parse().unwrap()
}

/// The payloads of one real game day as the scrapers would fetch them: the season schedule,
/// both game logs, and every event's odds as of that morning.
pub async fn fetch_day(base: &str) -> Vec<(Endpoint, GameDate, Vec<u8>)> {
    let urls = SourceUrls::all_at(base);
    let f = Fetcher::new(
        FetchSettings::with_base_delay(Duration::from_millis(10)),
        Some(Secret::new("replay-key-123456")),
        Redactor::default(),
    )
    .unwrap();
    let body = |r: &SourceRequest, o: props_core::sources::FetchOutcome| match o.result {
        Ok(b) => b.to_vec(),
        Err(e) => panic!("{}: {e}", r.display_url()),
    };
    let mut out = Vec::new();
    let req = nba_stats::schedule(&urls, "2023-24".parse().unwrap());
    out.push((Endpoint::Schedule, day(), body(&req, f.fetch(&req).await)));
    for who in [PlayerOrTeam::Player, PlayerOrTeam::Team] {
        let req = nba_stats::gamelog(&urls, day(), SeasonType::RegularSeason, who);
        out.push((Endpoint::Gamelog, day(), body(&req, f.fetch(&req).await)));
    }
    let morning: DateTime<Utc> = Utc.with_ymd_and_hms(2024, 3, 5, 15, 0, 0).unwrap();
    let req = odds_api::historical_events(&urls, morning);
    let events = parse_odds_events(&body(&req, f.fetch(&req).await)).unwrap();
    for ev in events.events.records.iter().filter(|e| e.game_date == day()) {
        let req = odds_api::historical_event_odds(&urls, &EventId::parse(&ev.odds_event_id).unwrap(), morning);
        out.push((Endpoint::EventOdds, day(), body(&req, f.fetch(&req).await)));
    }
    out
}

pub async fn store(ctx: &Context, payloads: &[(Endpoint, GameDate, Vec<u8>)]) -> Vec<String> {
    let fetched = Utc.with_ymd_and_hms(2024, 3, 6, 9, 0, 0).unwrap();
    let mut keys = Vec::new();
    for (i, (endpoint, date, bytes)) in payloads.iter().enumerate() {
        let k = RawKey::new(*endpoint, *date, fetched + chrono::Duration::seconds(i as i64), bytes);
        ctx.blobs.put(&k.key, Bytes::from(bytes.clone())).await.unwrap();
        keys.push(k.key);
    }
    keys
}

/// Every raw table's rows for the day, without `processed_at`, sorted: what "identical tables"
/// means.
pub async fn tables(ctx: &Context) -> BTreeMap<&'static str, Vec<String>> {
    let mut out = BTreeMap::new();
    for t in ["schedule", "player_boxscores", "team_boxscores", "player_points_props", "game_lines"] {
        let mut rows: Vec<String> = ctx
            .tables
            .read_json(t, day(), day())
            .await
            .unwrap()
            .into_iter()
            .map(|mut r| {
                r.as_object_mut().unwrap().remove("processed_at");
                r.to_string()
            })
            .collect();
        rows.sort();
        out.insert(t, rows);
    }
    out
}
