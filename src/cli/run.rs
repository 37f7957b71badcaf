//! `props run`: one game day end to end on the embedded backends. The simulated league is
//! started in-process by default, so it works offline on a fresh machine.
//!
//! History first (box scores of the days before, in backfill mode: what a deployed system
//! would already hold), then the game day hour by hour: the planner decides, the scrapes fetch,
//! phase 2 and phase 3 process, and the orchestrator claims the phase 4 trigger.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::{DateTime, TimeZone, Utc};
use clap::Args;
use props_core::config::{Backend, Config, SourceUrls};
use props_core::lambda::JsonHandler;
use props_core::ports::{KeyCondition, QueueName};
use props_core::secrets::Secret;
use props_core::sim::{SimLeague, server};
use props_core::tables::rows::raw::ScheduleRow;
use props_core::{Clock, Context, GameDate, ManualClock};
use serde_json::json;

use crate::local_runner::LocalRunner;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The game day (YYYY-MM-DD; default: a mid-January day of the simulated season).
    #[arg(long, default_value = "2025-01-15")]
    pub date: String,
    /// Any server speaking the six endpoints (e.g. ../shared/tools/replay/) instead of the
    /// simulated league.
    #[arg(long, conflicts_with = "live")]
    pub source_url: Option<String>,
    /// The real endpoints (needs ODDS_API_KEY and network).
    #[arg(long)]
    pub live: bool,
    /// Days of history to backfill before the game day.
    #[arg(long, default_value_t = 10)]
    pub history_days: u64,
    /// Seed of the simulated league.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// `hour:00` US-Eastern on `d`, as UTC.
fn et(d: GameDate, hour: u32) -> DateTime<Utc> {
    let naive = d.naive().and_hms_opt(hour.min(23), 0, 0).unwrap_or_default();
    chrono_tz::America::New_York
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| naive.and_utc())
}

/// The clocks that must move together: the pipeline's, and the local source's.
struct Clocks {
    pipeline: ManualClock,
    source: Option<ManualClock>,
    replay: Option<String>,
}

impl Clocks {
    async fn set(&self, t: DateTime<Utc>) {
        self.pipeline.set(t);
        if let Some(c) = &self.source {
            c.set(t);
        }
        if let Some(url) = &self.replay {
            // A replay server follows the same clock; other servers simply ignore this.
            let _ = reqwest::Client::new()
                .post(format!("{url}/_replay/clock"))
                .json(&json!({"now": t.to_rfc3339()}))
                .send()
                .await;
        }
    }
}

#[derive(Default)]
struct Tally {
    handled: BTreeMap<QueueName, usize>,
    failed: usize,
}

impl Tally {
    fn add(&mut self, r: crate::local_runner::DrainReport) {
        for (q, n) in r.handled {
            *self.handled.entry(q).or_default() += n;
        }
        self.failed += r.failed;
    }
    fn n(&self, q: QueueName) -> usize {
        self.handled.get(&q).copied().unwrap_or(0)
    }
}

pub async fn run(data_dir: std::path::PathBuf, a: RunArgs) -> anyhow::Result<()> {
    let date: GameDate = a.date.parse()?;
    let pipeline_clock = ManualClock::new(et(date.minus_days(a.history_days), 5));
    let mut config = Config::from_env()?;
    config.backend = Backend::Local;
    config.data_dir = data_dir.clone();
    let mut _sim = None;
    let (clocks, source_name) = if a.live {
        (Clocks { pipeline: pipeline_clock.clone(), source: None, replay: None }, "the live endpoints".to_string())
    } else if let Some(url) = &a.source_url {
        config.sources = SourceUrls::all_at(url);
        if config.odds_api_key.is_none() {
            config.odds_api_key = Some(Secret::new("local-replay-key"));
        }
        let clocks = Clocks {
            pipeline: pipeline_clock.clone(),
            source: None,
            replay: Some(url.trim_end_matches('/').to_string()),
        };
        (clocks, url.clone())
    } else {
        let league = Arc::new(
            SimLeague::new(a.seed, &date.season()).with_context(|| format!("simulated season {}", date.season()))?,
        );
        let sim_clock = ManualClock::new(pipeline_clock.now());
        let srv = server::serve(([127, 0, 0, 1], 0).into(), league, sim_clock.clone())
            .await
            .context("starting the simulated league")?;
        config.sources = SourceUrls::all_at(&srv.url());
        config.odds_api_key = Some(Secret::new("local-sim-key"));
        _sim = Some(srv);
        let clocks = Clocks { pipeline: pipeline_clock.clone(), source: Some(sim_clock), replay: None };
        (clocks, format!("the simulated league (seed {}, season {})", a.seed, date.season()))
    };
    let ctx = Context::build(config, Arc::new(pipeline_clock.clone()))
        .await
        .with_context(|| format!("opening {}", data_dir.display()))?;
    let runner = LocalRunner::new()?;
    let planner = props_scrape::PlanScrapes;
    println!("props run {date}: {source_name}, data in {}", data_dir.display());

    // History: what a deployed pipeline would already hold.
    let bar = if std::io::stdout().is_terminal() {
        indicatif::ProgressBar::new(a.history_days)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut history = Tally::default();
    for x in date.minus_days(a.history_days).through(date.prev()) {
        clocks.set(et(x.next(), 5)).await;
        // twice: the first pass may only fetch the season's schedule that box scores need
        for _ in 0..2 {
            planner
                .handle(&ctx, json!({"backfill": true, "date": x}))
                .await
                .map_err(|e| anyhow::anyhow!("planning {x}: {e}"))?;
            history.add(runner.drain(&ctx).await?);
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let boxes = ctx.tables.row_count("player_boxscores", date.minus_days(a.history_days), date.prev()).await?;
    println!(
        "  history   {} days backfilled: {} scrapes, {} payloads processed, {} player box scores",
        a.history_days,
        history.n(QueueName::ScrapeJobs),
        history.n(QueueName::RawPayloads),
        boxes
    );

    // The game day, hour by hour until the last pre-tip hour.
    let games: Vec<ScheduleRow> = ctx.tables.read_date(date).await?;
    let first_tip = games.iter().filter_map(|g| g.tipoff_at).min();
    let last_hour = first_tip
        .map(|t| {
            t.with_timezone(&chrono_tz::America::New_York).format("%H").to_string().parse::<u32>().unwrap_or(19) - 1
        })
        .unwrap_or(18);
    let mut day = Tally::default();
    for hour in 6..=last_hour.clamp(6, 22) {
        clocks.set(et(date, hour)).await;
        planner.handle(&ctx, json!({})).await.map_err(|e| anyhow::anyhow!("planning {date} {hour}:00 ET: {e}"))?;
        day.add(runner.drain(&ctx).await?);
    }
    println!("  phase 1   {} scrapes on the game day ({} games scheduled)", day.n(QueueName::ScrapeJobs), games.len());
    let count = |t: &'static str, d: GameDate| ctx.tables.row_count(t, d, d);
    println!(
        "  phase 2   {} payloads processed: {} prop lines, {} roster rows for {date}",
        day.n(QueueName::RawPayloads),
        count("player_points_props", date).await?,
        count("rosters", date).await?
    );
    println!(
        "  phase 3   {} jobs: {} upcoming players, {} team contexts for {date}; {} player summaries for {}",
        day.n(QueueName::AnalyticsJobs) + history.n(QueueName::AnalyticsJobs),
        count("upcoming_player_game_context", date).await?,
        count("upcoming_team_game_context", date).await?,
        count("player_game_summary", date.prev()).await?,
        date.prev()
    );
    let triggers = ctx.state.query(&format!("TRIGGER#3to4#{date}"), KeyCondition::All).await?;
    let fired: Vec<String> = triggers
        .iter()
        .filter(|i| !i.sk.starts_with("BLOCKED#"))
        .map(|i| {
            format!(
                "{}{}",
                i.get_str("status").unwrap_or("?"),
                if i.get_bool("degraded") == Some(true) { " (degraded)" } else { "" }
            )
        })
        .collect();
    let blocked: Vec<String> = triggers
        .iter()
        .filter(|i| i.sk.starts_with("BLOCKED#"))
        .filter_map(|i| i.get_str("reason").map(str::to_string))
        .collect();
    println!(
        "  orchestr  {} completions; 3→4 trigger: {}{}",
        day.n(QueueName::PhaseEvents) + history.n(QueueName::PhaseEvents),
        if fired.is_empty() { "not fired".to_string() } else { fired.join(", ") },
        if blocked.is_empty() { String::new() } else { format!("; gate blocked: {}", blocked.join("; ")) }
    );
    let waiting = ctx.queue.depth(QueueName::PrecomputeJobs).await?.visible;
    println!(
        "  phase 4-6 not built yet: {waiting} trigger(s) wait on precompute-jobs; no predictions, picks or HTML page"
    );
    if day.failed + history.failed > 0 {
        println!(
            "  {} message(s) failed and were retried; see `props status --date {date}` and `props events --date {date}`",
            day.failed + history.failed
        );
    }
    Ok(())
}
