//! Seeding tables (read by column name by the jobs) and state for the scenarios.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use props_core::config::Config;
use props_core::messages::RunStatus;
use props_core::notify::{QuietPeriodNotifier, SlackNotifier};
use props_core::pipeline::{Completion, record_completion};
use props_core::ports::Item;
use props_core::retry::RetryPolicy;
use props_core::testkit::Harness;
use props_core::{Context, GameDate};
use serde::{Deserialize, Serialize};

/// 2025-01-16 08:00 ET: daily-health's scheduled time.
pub fn morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 16, 13, 0, 0).unwrap()
}

pub fn d(s: &str) -> GameDate {
    s.parse().unwrap()
}

pub const TODAY: &str = "2025-01-16";
pub const YESTERDAY: &str = "2025-01-15";

/// One row shape that fits every table the jobs read (they read columns by name).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Row {
    pub game_date: GameDate,
    pub game_id: Option<String>,
    pub player_lookup: Option<String>,
    pub line: Option<f64>,
    pub is_active: Option<bool>,
    pub system_id: Option<String>,
    pub mae: Option<f64>,
    pub win_rate: Option<f64>,
    pub picks: Option<i64>,
    #[serde(with = "props_core::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}

impl Row {
    pub fn new(date: &str) -> Row {
        Row {
            game_date: d(date),
            game_id: None,
            player_lookup: None,
            line: None,
            is_active: None,
            system_id: None,
            mae: None,
            win_rate: None,
            picks: None,
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        }
    }
    pub fn game(date: &str, id: &str) -> Row {
        Row { game_id: Some(id.into()), ..Row::new(date) }
    }
    pub fn prediction(date: &str, player: &str, line: Option<f64>, active: bool) -> Row {
        Row { player_lookup: Some(player.into()), line, is_active: Some(active), ..Row::new(date) }
    }
    pub fn perf(date: &str, system: &str, mae: f64, win_rate: f64, picks: i64) -> Row {
        Row {
            system_id: Some(system.into()),
            mae: Some(mae),
            win_rate: Some(win_rate),
            picks: Some(picks),
            ..Row::new(date)
        }
    }
}

macro_rules! seeded_tables {
    ($($ty:ident => $table:literal),* $(,)?) => {
        $(
            #[derive(Clone, Debug, Serialize, Deserialize)]
            struct $ty(Row);
            impl props_core::tables::TableRow for $ty {
                const TABLE: &'static str = $table;
                fn game_date(&self) -> GameDate { self.0.game_date }
                fn processed_at(&self) -> DateTime<Utc> { self.0.processed_at }
                fn set_lineage(&mut self, at: DateTime<Utc>, hash: String) {
                    self.0.processed_at = at;
                    self.0.data_hash = hash;
                }
            }
        )*

        /// Writes `rows` to `table` for `date` (replace, or one snapshot for append tables).
        pub async fn put(ctx: &Context, table: &str, date: &str, rows: Vec<Row>) {
            let date = d(date);
            match table {
                $($table => {
                    let rows: Vec<$ty> = rows.into_iter().map($ty).collect();
                    let def = props_core::tables::catalog::lookup($table).unwrap();
                    if def.mode == props_core::tables::WriteMode::Append {
                        ctx.tables.append(date, "snap1", rows).await.unwrap();
                    } else {
                        ctx.tables.replace(date, rows).await.unwrap();
                    }
                })*
                other => panic!("no fixture for {other}"),
            }
        }
    };
}

seeded_tables! {
    Schedule => "schedule",
    PlayerBox => "player_boxscores",
    TeamBox => "team_boxscores",
    Shots => "shots",
    Summary => "player_game_summary",
    Rosters => "rosters",
    Props => "player_points_props",
    Composite => "player_composite_factors",
    Predictions => "player_prop_predictions",
    Accuracy => "prediction_accuracy",
    Performance => "system_daily_performance",
}

pub fn games(date: &str, ids: &[&str]) -> Vec<Row> {
    ids.iter().map(|id| Row::game(date, id)).collect()
}

pub async fn complete(ctx: &Context, phase: u8, processor: &str, date: &str) {
    let c = Completion {
        phase,
        processor: processor.into(),
        game_date: d(date),
        status: RunStatus::Success,
        rows: 10,
        output_hash: format!("h-{processor}"),
        completed_at: ctx.clock.now(),
        seq: 0,
    };
    record_completion(ctx.state.as_ref(), &c).await.unwrap();
}

pub async fn trigger_sent(ctx: &Context, transition: &str, date: &str) {
    let item = Item::new(format!("TRIGGER#{transition}#{date}"), "fp1").with("status", "sent");
    ctx.state.put(item, None).await.unwrap();
}

/// The harness's backends, with the real Slack notifier (short retry base) and the quiet
/// period in front of it, pointed at `url`.
pub fn slack_ctx(h: &Harness, url: &str) -> Context {
    let url = url.to_string();
    let config = Config::from_lookup(|k| (k == "SLACK_WEBHOOK_URL").then(|| url.clone())).unwrap();
    let slack = SlackNotifier::new(
        config.slack.clone(),
        RetryPolicy::SLACK.with_base(std::time::Duration::from_millis(5)),
        config.redactor(),
    );
    let quiet = QuietPeriodNotifier::new(
        Arc::new(slack),
        h.ctx.state.clone(),
        h.ctx.clock.clone(),
        chrono::Duration::minutes(60),
    );
    Context::from_parts(
        config,
        h.ctx.blobs.clone(),
        h.ctx.state.clone(),
        h.ctx.queue.clone(),
        Arc::new(quiet),
        h.ctx.clock.clone(),
    )
}
