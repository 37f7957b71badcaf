//! A simulated week of a deployment, in process: the registry's handlers on the embedded
//! backends, the queues drained by the local runner (the batch function Lambda uses), the
//! scheduled jobs at the times template.yaml schedules them, and the simulated league served
//! from this process on a clock kept equal to the pipeline's. Much cheaper than a child process
//! per invocation (`deployment.rs`), so a whole week fits in a test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, Weekday};
use props_core::adapters::local::{DirBlobStore, SqliteStateStore};
use props_core::config::{Config, SourceUrls};
use props_core::events::{EventLog, in_invocation};
use props_core::lambda::{JsonHandler, schedule_input};
use props_core::messages::{Envelope, MessageKind, PhaseTrigger};
use props_core::notify::LogNotifier;
use props_core::ports::QueueName;
use props_core::secrets::Secret;
use props_core::sim::{SimLeague, server};
use props_core::{Context, GameDate, ManualClock};
use serde_json::{Value, json};

use crate::deployment::et;
use crate::local_runner::LocalRunner;
use crate::registry::{Trigger, functions};
use crate::shuffled_queue::{Load, ShuffledQueue};
use crate::support::{data_rows, date};

/// The first game day of the week; the day before it is backfilled history.
pub const FIRST_DAY: &str = "2025-01-15";
const DAYS: u64 = 7;
const LEAGUE_SEED: u64 = 42;

/// Analytics' scheduler inputs in template.yaml (`Overnight0600`, `SameDay1030`).
const OVERNIGHT: &str = r#"{"processors":["team_offense_game_summary","team_defense_game_summary","player_game_summary"],"start_date":"YESTERDAY","end_date":"YESTERDAY","backfill":false}"#;
const SAME_DAY: &str = r#"{"processors":["upcoming_player_game_context","upcoming_team_game_context"],"start_date":"TODAY","end_date":"TOMORROW","backfill":false}"#;

/// What a week left behind.
pub struct WeekOutcome {
    /// Every row of every data table from the history day to the morning after the week,
    /// without `processed_at`, sorted.
    pub tables: BTreeMap<&'static str, Vec<String>>,
    /// Every object under `exports/` (publish's JSON and HTML), by key.
    pub exports: BTreeMap<String, String>,
    /// How often the orchestrator sent each `PhaseTrigger`, by (to_phase, date, fingerprint).
    pub triggers: BTreeMap<(u8, GameDate, String), usize>,
    /// The input state each transition was last triggered for, per date.
    pub last_triggers: BTreeMap<(u8, GameDate), String>,
    /// Each scheduled job's answer (or error) by its time.
    pub scheduled: Vec<(String, Result<Value, String>)>,
    /// What each consumer was handed, and how long it took.
    pub load: BTreeMap<QueueName, Load>,
    pub elapsed: std::time::Duration,
}

struct Week {
    ctx: Context,
    clock: ManualClock,
    sim_clock: ManualClock,
    queue: ShuffledQueue,
    runner: LocalRunner,
    scheduled: Vec<(String, Result<Value, String>)>,
}

impl Week {
    fn set_time(&mut self, t: chrono::DateTime<chrono::Utc>) {
        self.clock.set(t);
        self.sim_clock.set(t);
    }

    async fn drain(&self) {
        let report = self.runner.drain(&self.ctx).await.unwrap();
        assert!(report.unconsumed.is_empty(), "every queue has a consumer: {:?}", report.unconsumed);
    }

    /// One invocation of a scheduled function, as EventBridge Scheduler makes it, then a drain.
    async fn schedule(&mut self, function: &str, input: Value) {
        let f = functions().unwrap().into_iter().find(|f| f.name == function).unwrap();
        let handler: Arc<dyn JsonHandler> = match f.trigger {
            Trigger::Json(h) => h,
            Trigger::QueueOrSchedule(_, h) => h,
            Trigger::Queue(..) => panic!("{function} is not scheduled"),
        };
        let id = EventLog::invocation_id(function, self.ctx.clock.now());
        let run = handler.handle(&self.ctx, schedule_input(input));
        let out = in_invocation(&self.ctx, function, id, run).await.map_err(|e| e.to_string());
        let at = self.ctx.clock.now().with_timezone(&chrono_tz::America::New_York).format("%a %m-%d %H:%M");
        self.scheduled.push((format!("{at} {function}"), out));
        self.drain().await;
    }

    /// `d` in backfill mode, as `props backfill` does it: seen at 05:00 ET the morning after,
    /// planned twice (the first pass may only fetch the season's schedule box scores need).
    async fn backfill(&mut self, d: GameDate) {
        self.set_time(et(d.next(), 5, 0));
        for _ in 0..2 {
            self.schedule("plan-scrapes", json!({"backfill": true, "date": d})).await;
        }
    }

    /// The scheduled jobs of the hours of `d` that feed and repair the pipeline: the 04:00
    /// planner run collects yesterday's box scores; train on Mondays at 05:00; grade and the
    /// overnight summaries at 06:00; the 10:00 planner run fetches the schedule, rosters and
    /// lines; at 10:30 the same-day contexts and the recovery jobs; the timeout check at 11:00.
    async fn game_day(&mut self, d: GameDate) {
        self.morning(d).await;
        self.set_time(et(d, 10, 0));
        self.schedule("plan-scrapes", json!({})).await;
        self.set_time(et(d, 10, 30));
        self.schedule("analytics", serde_json::from_str(SAME_DAY).unwrap()).await;
        for job in ["phase-timeout-check", "retry-failed", "self-heal"] {
            self.schedule(job, json!({})).await;
        }
        self.set_time(et(d, 11, 0));
        self.schedule("phase-timeout-check", json!({})).await;
    }

    async fn morning(&mut self, d: GameDate) {
        self.set_time(et(d, 4, 0));
        self.schedule("plan-scrapes", json!({})).await;
        if d.naive().weekday() == Weekday::Mon {
            self.set_time(et(d, 5, 0));
            self.schedule("train", json!({})).await;
        }
        self.set_time(et(d, 6, 0));
        self.schedule("grade", json!({"date": "YESTERDAY"})).await;
        self.schedule("analytics", serde_json::from_str(OVERNIGHT).unwrap()).await;
    }
}

/// The week from [`FIRST_DAY`] on a fresh data directory: history, seven game days, and the
/// morning after (the last day's box scores and grades). `shuffle_seed`: every message to
/// every consumer delivered 1–5 times in a random order ([`ShuffledQueue`]).
pub async fn run_week(shuffle_seed: Option<u64>) -> WeekOutcome {
    let started = std::time::Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let first = date(FIRST_DAY);
    let start = et(first.prev(), 5, 0);
    let (clock, sim_clock) = (ManualClock::new(start), ManualClock::new(start));
    let league = Arc::new(SimLeague::new(LEAGUE_SEED, &first.season()).unwrap());
    let _sim = server::serve(([127, 0, 0, 1], 0).into(), league, sim_clock.clone()).await.unwrap();
    let runner = LocalRunner::new().unwrap();
    let consumed: BTreeSet<QueueName> = functions()
        .unwrap()
        .into_iter()
        .filter_map(|f| match f.trigger {
            Trigger::Queue(q, _) | Trigger::QueueOrSchedule(q, _) => Some(q),
            Trigger::Json(_) => None,
        })
        .collect();
    let queue = ShuffledQueue::new(consumed, shuffle_seed);
    let ctx = context(dir.path(), &_sim.url(), &queue, &clock);
    let mut week = Week { ctx, clock, sim_clock, queue, runner, scheduled: Vec::new() };

    week.backfill(first.prev()).await;
    let last = *game_days().last().unwrap();
    for d in game_days() {
        week.game_day(d).await;
    }
    week.morning(last.next()).await;

    let (triggers, last_triggers) = triggers(&week.queue);
    let outcome = WeekOutcome {
        tables: data_rows(&week.ctx.tables, first.prev(), last.next()).await,
        exports: exports(&week.ctx).await,
        triggers,
        last_triggers,
        scheduled: week.scheduled,
        load: week.queue.load(),
        elapsed: started.elapsed(),
    };
    // To look into a divergence with `props events` / `props query` afterwards.
    if std::env::var_os("PROPS_TEST_KEEP_WEEK").is_some() {
        eprintln!("week (seed {shuffle_seed:?}) kept in {}", dir.keep().display());
    }
    outcome
}

/// The game days driven: seven from [`FIRST_DAY`], or `PROPS_TEST_WEEK_DAYS` of them (a shorter
/// run to reproduce a divergence quickly; `PROPS_TEST_KEEP_WEEK=1` keeps each run's data).
pub fn game_days() -> Vec<GameDate> {
    let n = std::env::var("PROPS_TEST_WEEK_DAYS").ok().and_then(|v| v.parse().ok()).unwrap_or(DAYS).max(1);
    let first = date(FIRST_DAY);
    first.through(first.plus_days(n - 1)).collect()
}

fn context(dir: &Path, sim_url: &str, queue: &ShuffledQueue, clock: &ManualClock) -> Context {
    let mut config = Config::from_lookup(|_| None).unwrap();
    config.sources = SourceUrls::all_at(sim_url);
    config.odds_api_key = Some(Secret::new("local-sim-key"));
    Context::from_parts(
        config,
        Arc::new(DirBlobStore::new(dir.join("bucket"))),
        Arc::new(SqliteStateStore::open(dir.join("state.sqlite")).unwrap()),
        Arc::new(queue.clone()),
        Arc::new(LogNotifier),
        Arc::new(clock.clone()),
    )
}

/// The orchestrator's `PhaseTrigger`s among the original sends (before any duplication).
#[allow(clippy::type_complexity)]
fn triggers(queue: &ShuffledQueue) -> (BTreeMap<(u8, GameDate, String), usize>, BTreeMap<(u8, GameDate), String>) {
    let (mut counts, mut last) = (BTreeMap::new(), BTreeMap::new());
    for (_, body) in queue.sent() {
        let env = Envelope::parse(&body).unwrap();
        if env.kind != MessageKind::PhaseTrigger || env.producer != "orchestrate" {
            continue;
        }
        let t: PhaseTrigger = env.payload().unwrap();
        *counts.entry((t.to_phase, env.game_date, t.fingerprint.clone())).or_default() += 1;
        last.insert((t.to_phase, env.game_date), t.fingerprint);
    }
    (counts, last)
}

/// Every data table (not the orchestration tables, which record what happened) over `from..=to`.
async fn exports(ctx: &Context) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for meta in ctx.blobs.list("exports/").await.unwrap() {
        let body = ctx.blobs.get(&meta.key).await.unwrap().unwrap();
        out.insert(meta.key, String::from_utf8_lossy(&body).into_owned());
    }
    out
}

/// Rows of `table` on `d`.
pub fn rows_on<'a>(o: &'a WeekOutcome, table: &str, d: GameDate) -> impl Iterator<Item = &'a String> {
    let needle = format!("\"game_date\":\"{d}\"");
    o.tables[table].iter().filter(move |r| r.contains(&needle))
}
