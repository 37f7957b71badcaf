//! `props run`: one game day end to end on the embedded backends. The simulated league is
//! started in-process by default, so it works offline on a fresh machine.
//!
//! History first (box scores of the days before, in backfill mode: what a deployed system
//! would already hold), then the game-day morning's schedules (grade yesterday; train `gbm` if no
//! champion exists), then the game day hour by hour: the planner decides, the scrapes fetch,
//! phases 2 and 3 process, the orchestrator claims the 3→4 and 4→5 triggers, phase 4 builds the
//! feature store, phase 5 predicts and phase 6 publishes. It ends with the ensemble's actionable
//! picks and the page's path.

use anyhow::Context as _;
use clap::Args;
use props_core::GameDate;
use props_core::lambda::JsonHandler;
use props_core::ports::{KeyCondition, QueueName};
use props_core::tables::rows::precompute::MlFeatureStoreRow;
use props_core::tables::rows::raw::ScheduleRow;
use serde_json::json;

use super::source::{self, SourceArgs, Tally};
use super::{backfill, morning, picks};
use crate::local_runner::LocalRunner;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The game day (YYYY-MM-DD; default: a mid-January day of the simulated season).
    #[arg(long, default_value = "2025-01-15")]
    pub date: String,
    /// Days of history to backfill before the game day.
    #[arg(long, default_value_t = 10)]
    pub history_days: u64,
    #[command(flatten)]
    pub source: SourceArgs,
}

pub async fn run(data_dir: std::path::PathBuf, a: RunArgs) -> anyhow::Result<()> {
    let date: GameDate = a.date.parse()?;
    let from = date.minus_days(a.history_days);
    let opened = source::open(&data_dir, &a.source, date, source::et(from, 5)).await?;
    let (ctx, clocks) = (&opened.ctx, &opened.clocks);
    let runner = LocalRunner::new()?;
    let planner = props_scrape::PlanScrapes;
    println!("props run {date}: {}, data in {}", opened.name, data_dir.display());

    // History: what a deployed pipeline would already hold.
    // Days an earlier run or backfill already finished are not fetched again.
    let mut history_dates = Vec::new();
    for d in from.through(date.prev()) {
        if !backfill::is_done(ctx, d).await? {
            history_dates.push(d);
        }
    }
    let history = backfill::days(ctx, &runner, clocks, &history_dates).await?;
    let boxes = ctx.tables.row_count("player_boxscores", date.minus_days(a.history_days), date.prev()).await?;
    println!(
        "  history   {} days backfilled ({} already held): {} scrapes, {} payloads processed, {} player box scores",
        history_dates.len(),
        a.history_days as usize - history_dates.len(),
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
    clocks.set(source::et(date, 6)).await;
    morning::grade_yesterday(ctx, date).await?;
    morning::train_if_no_champion(ctx, date).await?;
    let mut day = Tally::default();
    for hour in 6..=last_hour.clamp(6, 22) {
        clocks.set(source::et(date, hour)).await;
        planner.handle(ctx, json!({})).await.map_err(|e| anyhow::anyhow!("planning {date} {hour}:00 ET: {e}"))?;
        day.add(runner.drain(ctx).await?);
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
    println!(
        "  orchestr  {} completions; 3→4 trigger: {}",
        day.n(QueueName::PhaseEvents) + history.n(QueueName::PhaseEvents),
        trigger_states(ctx, "3to4", date).await?
    );
    // Phase 4 ran from the trigger as the local runner drained `precompute-jobs`.
    println!(
        "  phase 4   {} jobs: {} feature rows ({} with a line), {} daily-cache rows, {} composite rows for {date}",
        day.n(QueueName::PrecomputeJobs),
        count("ml_feature_store", date).await?,
        feature_rows_with_line(ctx, date).await?,
        count("player_daily_cache", date).await?,
        count("player_composite_factors", date).await?
    );
    let predicted = count("player_prop_predictions", date).await?;
    println!(
        "  phase 5   4→5 trigger: {}; {} prediction rows: {}",
        trigger_states(ctx, "4to5", date).await?,
        predicted,
        picks::coverage(ctx, date).await?
    );
    let page = picks::page_path(ctx, date);
    println!(
        "  phase 6   {} publish job(s): {}",
        day.n(QueueName::PublishJobs),
        if page.as_ref().is_some_and(|p| p.exists()) { "exports and page written" } else { "no page written" }
    );
    picks::print(ctx, date).await?;
    match page {
        Some(p) => println!("page: {}", p.display()),
        None => {
            println!("page: {} (bucket {})", props_publish::handler::export_key(date, "index.html"), ctx.config.bucket)
        }
    }
    if day.failed + history.failed > 0 {
        println!(
            "  {} message(s) failed and were retried; see `props status --date {date}` and `props events --date {date}`",
            day.failed + history.failed
        );
    }
    Ok(())
}

async fn feature_rows_with_line(ctx: &props_core::Context, date: GameDate) -> anyhow::Result<usize> {
    let rows: Vec<MlFeatureStoreRow> = ctx.tables.read_date(date).await?;
    Ok(rows.iter().filter(|r| r.line.is_some()).count())
}

/// The triggers claimed for `transition` (`3to4`, `4to5`) on `date`: each distinct status with
/// how many input fingerprints reached it (new lines in the afternoon claim a new one), and the
/// reasons of blocked gates.
async fn trigger_states(ctx: &props_core::Context, transition: &str, date: GameDate) -> anyhow::Result<String> {
    let key = format!("TRIGGER#{transition}#{date}");
    let items = ctx.state.query(&key, KeyCondition::All).await.with_context(|| format!("reading {key}"))?;
    let mut fired: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let mut blocked = Vec::new();
    for i in &items {
        if i.sk.starts_with("BLOCKED#") {
            blocked.extend(i.get_str("reason").map(str::to_string));
        } else {
            let degraded = if i.get_bool("degraded") == Some(true) { " (degraded)" } else { "" };
            *fired.entry(format!("{}{degraded}", i.get_str("status").unwrap_or("?"))).or_default() += 1;
        }
    }
    let mut out: Vec<String> = fired.into_iter().map(|(s, n)| if n == 1 { s } else { format!("{s} ×{n}") }).collect();
    if out.is_empty() {
        out.push("not fired".to_string());
    }
    let mut text = out.join(", ");
    if !blocked.is_empty() {
        text.push_str(&format!("; gate blocked: {}", blocked.join("; ")));
    }
    Ok(text)
}
