use clap::Args;
use props_core::{Context, GameDate};
use props_self_heal::diagnose;

use crate::local_runner::LocalRunner;

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// Game date to recover (YYYY-MM-DD, TODAY, YESTERDAY, TOMORROW).
    #[arg(long)]
    pub date: String,
    /// Only print what is missing and what would be re-run.
    #[arg(long)]
    pub dry_run: bool,
}

/// Checks each phase for the date, re-runs what is missing in phase order, prints what it did.
pub async fn run(ctx: &Context, a: RecoverArgs) -> anyhow::Result<()> {
    let date = GameDate::resolve(&a.date, ctx.clock.now())?;
    let diag = if date < ctx.clock.today() {
        diagnose::played(ctx, date).await?
    } else {
        diagnose::upcoming(ctx, date).await?
    };
    println!("recover {date}: {} scheduled games", diag.games);
    for c in &diag.checks {
        println!("  phase {} {:<4} {}", c.phase, if c.ok { "ok" } else { "MISSING" }, c.what);
    }
    if diag.actions.is_empty() {
        println!("nothing to re-run");
        return Ok(());
    }
    for (label, queue, _) in &diag.actions {
        println!("  {} {label} → {queue}", if a.dry_run { "would" } else { "re-run:" });
    }
    if a.dry_run {
        return Ok(());
    }
    for (_, queue, env) in &diag.actions {
        ctx.queue.send(*queue, &env.to_json()).await?;
    }
    let report = LocalRunner::new()?.drain(ctx).await?;
    for (q, n) in &report.handled {
        println!("  handled {n} message(s) on {q}");
    }
    for (q, n) in &report.unconsumed {
        println!("  {n} message(s) on {q} have no local handler in this build");
    }
    Ok(())
}
