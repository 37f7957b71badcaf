//! `props backfill --from --to`: the days of a date range in backfill mode, oldest first. Each
//! day is seen as of 05:00 ET the morning after, so every game is final and nothing later is
//! known: what a deployed pipeline would have stored had it run that morning (DESIGN.md §6).
//!
//! Resumable: a day whose messages all succeeded is marked done in the state store
//! (`BACKFILL#{date}`), and a second run skips it. An interrupted run loses nothing: every
//! partition is written whole or not at all, and the unfinished day is simply done again.

use std::io::IsTerminal;

use anyhow::Context as _;
use clap::Args;
use props_core::lambda::JsonHandler;
use props_core::ports::{Item, QueueName};
use props_core::{Context, GameDate};
use serde_json::json;

use super::source::{self, Clocks, SourceArgs, Tally};
use crate::local_runner::LocalRunner;

#[derive(Debug, Args)]
pub struct BackfillArgs {
    /// First game date (YYYY-MM-DD).
    #[arg(long)]
    pub from: String,
    /// Last game date, inclusive.
    #[arg(long)]
    pub to: String,
    /// Redo days already marked done.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub source: SourceArgs,
}

fn done_key(d: GameDate) -> String {
    format!("BACKFILL#{d}")
}

/// Whether an earlier backfill finished `d` without a failed message.
pub async fn is_done(ctx: &Context, d: GameDate) -> anyhow::Result<bool> {
    Ok(ctx.state.get(&done_key(d), "DONE").await.with_context(|| format!("backfill marker of {d}"))?.is_some())
}

/// Plans, scrapes and processes each of `dates` (oldest first) through phase 3 and whatever
/// the drained queues lead to, marking each day done once all its messages succeeded. Used by
/// `props run` for its history too.
pub async fn days(ctx: &Context, runner: &LocalRunner, clocks: &Clocks, dates: &[GameDate]) -> anyhow::Result<Tally> {
    let bar = if std::io::stdout().is_terminal() {
        let style = indicatif::ProgressStyle::with_template("  {bar:40} {pos}/{len} days, {msg}, eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        indicatif::ProgressBar::new(dates.len() as u64).with_style(style)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let planner = props_scrape::PlanScrapes;
    let mut tally = Tally::default();
    for &x in dates {
        bar.set_message(x.to_string());
        let failed_before = tally.failed;
        clocks.set(source::et(x.next(), 5)).await;
        // twice: the first pass may only fetch the season's schedule that box scores need
        for _ in 0..2 {
            planner
                .handle(ctx, json!({"backfill": true, "date": x}))
                .await
                .map_err(|e| anyhow::anyhow!("planning {x}: {e}"))?;
            tally.add(runner.drain(ctx).await.with_context(|| format!("processing {x}"))?);
        }
        if tally.failed == failed_before {
            let marker = Item::new(done_key(x), "DONE").with("at", ctx.clock.now().to_rfc3339());
            ctx.state.put(marker, None).await.with_context(|| format!("marking {x} done"))?;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(tally)
}

pub async fn run(data_dir: std::path::PathBuf, a: BackfillArgs) -> anyhow::Result<()> {
    let from: GameDate = a.from.parse().context("--from")?;
    let to: GameDate = a.to.parse().context("--to")?;
    anyhow::ensure!(from <= to, "--from {from} is after --to {to}");
    let opened = source::open(&data_dir, &a.source, from, source::et(from, 5)).await?;
    let ctx = &opened.ctx;
    let runner = LocalRunner::new()?;
    println!("props backfill {from}..{to}: {}, data in {}", opened.name, data_dir.display());
    let mut todo = Vec::new();
    for d in from.through(to) {
        if a.force || !is_done(ctx, d).await? {
            todo.push(d);
        }
    }
    let skipped = from.through(to).count() - todo.len();
    if skipped > 0 {
        println!("  {skipped} day(s) already done, skipped (--force redoes them)");
    }
    let t = days(ctx, &runner, &opened.clocks, &todo).await?;
    let count = |table: &'static str| ctx.tables.row_count(table, from, to);
    println!(
        "  {} days processed: {} scrapes, {} payloads, {} analytics jobs; {} player box scores, {} prop lines, {} player summaries",
        todo.len(),
        t.n(QueueName::ScrapeJobs),
        t.n(QueueName::RawPayloads),
        t.n(QueueName::AnalyticsJobs),
        count("player_boxscores").await?,
        count("player_points_props").await?,
        count("player_game_summary").await?,
    );
    if t.failed > 0 {
        println!("  {} message(s) failed and were retried; see `props status --date D`", t.failed);
    }
    Ok(())
}
