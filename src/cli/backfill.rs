//! `props backfill --from --to`: the days of a date range in backfill mode, oldest first. Each
//! day is seen as of 05:00 ET the morning after, so every game is final and nothing later is
//! known: what a deployed pipeline would have stored had it run that morning (DESIGN.md §6).

use std::io::IsTerminal;

use anyhow::Context as _;
use clap::Args;
use props_core::lambda::JsonHandler;
use props_core::ports::QueueName;
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
    #[command(flatten)]
    pub source: SourceArgs,
}

/// Plans, scrapes and processes every day of `from..=to` through phase 3 (and whatever the
/// drained queues lead to). Used by `props run` for its history too.
pub async fn days(
    ctx: &Context,
    runner: &LocalRunner,
    clocks: &Clocks,
    from: GameDate,
    to: GameDate,
) -> anyhow::Result<Tally> {
    let n = from.through(to).count() as u64;
    let bar =
        if std::io::stdout().is_terminal() { indicatif::ProgressBar::new(n) } else { indicatif::ProgressBar::hidden() };
    let planner = props_scrape::PlanScrapes;
    let mut tally = Tally::default();
    for x in from.through(to) {
        clocks.set(source::et(x.next(), 5)).await;
        // twice: the first pass may only fetch the season's schedule that box scores need
        for _ in 0..2 {
            planner
                .handle(ctx, json!({"backfill": true, "date": x}))
                .await
                .map_err(|e| anyhow::anyhow!("planning {x}: {e}"))?;
            tally.add(runner.drain(ctx).await.with_context(|| format!("processing {x}"))?);
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
    let t = days(ctx, &runner, &opened.clocks, from, to).await?;
    let count = |table: &'static str| ctx.tables.row_count(table, from, to);
    println!(
        "  {} days: {} scrapes, {} payloads, {} analytics jobs; {} player box scores, {} prop lines, {} player summaries",
        from.through(to).count(),
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
