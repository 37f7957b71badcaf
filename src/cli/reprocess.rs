use anyhow::Context as _;
use clap::Args;
use props_core::sources::raw_key::RawKey;
use props_core::{Context, GameDate};

use crate::local_runner::LocalRunner;

#[derive(Debug, Args)]
pub struct ReprocessArgs {
    #[arg(long)]
    pub from: String,
    #[arg(long)]
    pub to: String,
    /// Only this source (`nba`, `espn`, `odds`) or source/endpoint (`nba/gamelog`).
    #[arg(long)]
    pub source: Option<String>,
}

/// Re-runs phase 2 over the stored raw payloads of a date range (after a parser fix): nothing
/// is fetched again, and quarantined payloads get another chance.
pub async fn run(ctx: &Context, a: ReprocessArgs) -> anyhow::Result<()> {
    let now = ctx.clock.now();
    let (from, to) = (GameDate::resolve(&a.from, now)?, GameDate::resolve(&a.to, now)?);
    let prefix = match &a.source {
        Some(s) => format!("raw/{}/", s.trim_matches('/')),
        None => "raw/".to_string(),
    };
    let mut keys: Vec<RawKey> = ctx
        .blobs
        .list(&prefix)
        .await
        .with_context(|| format!("listing {prefix}"))?
        .iter()
        .filter_map(|m| RawKey::parse(&m.key).ok())
        .filter(|k| k.game_date >= from && k.game_date <= to)
        .collect();
    keys.sort_by(|a, b| (a.game_date, &a.fetched_at).cmp(&(b.game_date, &b.fetched_at)));
    let (mut partitions, mut quarantined) = (0, 0);
    for k in &keys {
        // A previous quarantine is lifted first: the point of reprocessing is a fixed parser.
        let q = props_raw::quarantine::quarantine_key(k);
        ctx.blobs.delete(&format!("{}.error.json", q.trim_end_matches(".json"))).await?;
        let done = props_raw::process_key(ctx, &k.key).await.with_context(|| format!("reprocessing {}", k.key))?;
        partitions += done.partitions.len();
        if let Some(e) = done.quarantined {
            quarantined += 1;
            println!("quarantined {}: {e}", k.key);
        } else {
            ctx.blobs.delete(&q).await?;
        }
    }
    println!(
        "reprocessed {} payload(s) from {from} to {to}: {partitions} partition(s), {quarantined} quarantined",
        keys.len()
    );
    let report = LocalRunner::new()?.drain(ctx).await?;
    for (q, n) in &report.handled {
        println!("  handled {n} message(s) on {q}");
    }
    Ok(())
}
