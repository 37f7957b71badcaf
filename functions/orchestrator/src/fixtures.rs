//! Fixtures for orchestrator tests here and in the whole-pipeline tests: tables that pass (or
//! fail) the data gates, and one day's completions.

use chrono::{DateTime, TimeZone, Utc};
use props_core::messages::{Envelope, ProcessorCompleted, RunStatus};
use props_core::pipeline::processors::{GAME_SUMMARIES, PRECOMPUTE, UPCOMING_CONTEXTS};
use props_core::{Context, GameDate};
use serde::{Deserialize, Serialize};

/// One row shape that fits every table the gates read (they read columns by name).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct GateRow {
    game_date: GameDate,
    game_id: String,
    player_lookup: String,
    minutes_played: Option<f64>,
    #[serde(with = "props_core::tables::ts")]
    processed_at: DateTime<Utc>,
    data_hash: String,
}

macro_rules! gate_table {
    ($name:ident, $table:literal) => {
        #[derive(Clone, Debug, Serialize, Deserialize)]
        struct $name(GateRow);
        impl props_core::tables::TableRow for $name {
            const TABLE: &'static str = $table;
            fn game_date(&self) -> GameDate {
                self.0.game_date
            }
            fn processed_at(&self) -> DateTime<Utc> {
                self.0.processed_at
            }
            fn set_lineage(&mut self, at: DateTime<Utc>, hash: String) {
                self.0.processed_at = at;
                self.0.data_hash = hash;
            }
        }
    };
}
gate_table!(Schedule, "schedule");
gate_table!(Summary, "player_game_summary");
gate_table!(UpcomingCtx, "upcoming_player_game_context");
gate_table!(Features, "ml_feature_store");
gate_table!(DailyCache, "player_daily_cache");

pub fn d(s: &str) -> GameDate {
    s.parse().unwrap()
}

pub const TARGET: &str = "2025-01-15";
pub const PREV: &str = "2025-01-14";

fn row(date: &str, game: usize, player: usize) -> GateRow {
    GateRow {
        game_date: d(date),
        game_id: format!("g{game}"),
        player_lookup: format!("player{player}"),
        minutes_played: Some(30.0),
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}

/// Tables that pass every gate: 5 games yesterday fully summarised, 50 upcoming players,
/// `featured` of them in the feature store.
pub async fn seed_tables(ctx: &Context, featured: usize) {
    let t = &ctx.tables;
    t.replace(d(PREV), (0..5).map(|g| Schedule(row(PREV, g, 0))).collect()).await.unwrap();
    t.replace(d(PREV), (0..50).map(|p| Summary(row(PREV, p % 5, p))).collect()).await.unwrap();
    t.replace(d(TARGET), (0..50).map(|p| UpcomingCtx(row(TARGET, 0, p))).collect()).await.unwrap();
    if featured > 0 {
        t.replace(d(TARGET), (0..featured).map(|p| Features(row(TARGET, 0, p))).collect()).await.unwrap();
        t.replace(d(TARGET), (0..50).map(|p| DailyCache(row(TARGET, 0, p))).collect()).await.unwrap();
    }
}

pub fn completion(phase: u8, processor: &str, date: &str, hash: &str, at: DateTime<Utc>) -> Envelope {
    let p = ProcessorCompleted {
        processor: processor.into(),
        status: RunStatus::Success,
        rows: 10,
        output_hash: hash.into(),
        error: None,
        output_seq: 0,
    };
    Envelope::new(&p, d(date), phase, "test", "corr", at, false).unwrap()
}

/// Every completion of one day: phase 3 for D and D−1, phase 4 for D.
pub fn day(at: DateTime<Utc>) -> Vec<Envelope> {
    let mut v = Vec::new();
    for p in GAME_SUMMARIES {
        v.push(completion(3, p, PREV, &format!("h-{p}"), at));
    }
    for p in UPCOMING_CONTEXTS {
        v.push(completion(3, p, TARGET, &format!("h-{p}"), at));
    }
    for p in PRECOMPUTE {
        v.push(completion(4, p, TARGET, &format!("h-{p}"), at));
    }
    v
}

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 15, 15, 0, 0).unwrap()
}
