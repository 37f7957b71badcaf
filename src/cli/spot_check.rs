use clap::Args;
use props_core::{Context, GameDate};

#[derive(Debug, Args)]
pub struct SpotCheckArgs {
    /// A played game date (YYYY-MM-DD, YESTERDAY, ...).
    #[arg(long, default_value = "YESTERDAY")]
    pub date: String,
    /// Players, teams and contexts to sample.
    #[arg(long, default_value_t = 10)]
    pub samples: usize,
}

/// Recomputes a sample of derived values from the raw tables and prints what agrees.
pub async fn run(ctx: &Context, a: SpotCheckArgs) -> anyhow::Result<()> {
    let date = GameDate::resolve(&a.date, ctx.clock.now())?;
    let sc = props_alerts::spot_check::run(ctx, date, a.samples).await?;
    println!("spot check {date}: {} of {} values agree ({:.1}%)", sc.agreed, sc.compared, sc.share() * 100.0);
    for d in &sc.disagreements {
        println!("  DISAGREES {}: stored {} vs recomputed {}", d.what, d.stored, d.recomputed);
    }
    Ok(())
}
