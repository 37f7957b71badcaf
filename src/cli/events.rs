use clap::Args;
use props_core::tables::rows::orchestration::PipelineEvent;
use props_core::{Context, GameDate};

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Game date (YYYY-MM-DD, TODAY, YESTERDAY, TOMORROW).
    #[arg(long, default_value = "TODAY")]
    pub date: String,
    /// Only events of this processor.
    #[arg(long)]
    pub processor: Option<String>,
}

pub async fn run(ctx: &Context, a: EventsArgs) -> anyhow::Result<()> {
    let date = GameDate::resolve(&a.date, ctx.clock.now())?;
    let mut events: Vec<PipelineEvent> = ctx.tables.read_date(date).await?;
    if let Some(p) = &a.processor {
        events.retain(|e| e.processor.as_deref() == Some(p.as_str()));
    }
    // Flushes of concurrent invocations interleave: order by time, then id.
    events.sort_by(|x, y| x.event_at.cmp(&y.event_at).then_with(|| x.event_id.cmp(&y.event_id)));
    let filter = a.processor.map(|p| format!(", processor {p}")).unwrap_or_default();
    println!("{} events for game date {date}{filter}", events.len());
    for e in &events {
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        println!(
            "{}  {:<20} {:<9} {:<28} {:<16} {}",
            e.event_at.format("%Y-%m-%dT%H:%M:%S%.3fZ"),
            e.function,
            e.event_type,
            opt(&e.processor),
            opt(&e.status),
            opt(&e.message)
        );
    }
    Ok(())
}
