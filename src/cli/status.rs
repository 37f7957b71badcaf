use clap::Args;
use props_core::ports::KeyCondition;
use props_core::tables::catalog::TABLES;
use props_core::{Context, GameDate};

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Game date (YYYY-MM-DD, TODAY, YESTERDAY, TOMORROW).
    #[arg(long, default_value = "TODAY")]
    pub date: String,
}

pub async fn run(ctx: &Context, a: StatusArgs) -> anyhow::Result<()> {
    let date = GameDate::resolve(&a.date, ctx.clock.now())?;
    println!("status for game date {date}");
    println!();
    println!("{:<32} {:>8}  {:>12}", "table", "rows", "age");
    for t in TABLES {
        let rows = ctx.tables.row_count(t.name, date, date).await?;
        let age = ctx.tables.freshness(t.name, date, date).await?.map(|(_, a)| human(a)).unwrap_or_else(|| "-".into());
        if rows > 0 || age != "-" {
            println!("{:<32} {:>8}  {:>12}", format!("{}.{}", t.dataset, t.name), rows, age);
        }
    }
    println!();
    for phase in 2..=5 {
        let items =
            ctx.state.query(&format!("COMPLETION#{phase}#{date}"), KeyCondition::BeginsWith("PROC#".into())).await?;
        let done: Vec<String> = items
            .iter()
            .map(|i| format!("{} ({})", i.sk.trim_start_matches("PROC#"), i.get_str("status").unwrap_or("?")))
            .collect();
        println!("phase {phase} completions: {}", if done.is_empty() { "none".into() } else { done.join(", ") });
    }
    for transition in ["3to4", "4to5"] {
        let items = ctx.state.query(&format!("TRIGGER#{transition}#{date}"), KeyCondition::All).await?;
        let (blocked, triggers): (Vec<_>, Vec<_>) = items.iter().partition(|i| i.sk.starts_with("BLOCKED#"));
        let states: Vec<String> = triggers
            .iter()
            .map(|i| {
                let degraded = if i.get_bool("degraded") == Some(true) { " degraded" } else { "" };
                format!(
                    "{}{degraded} {}",
                    i.get_str("status").unwrap_or("?"),
                    i.sk.chars().take(12).collect::<String>()
                )
            })
            .collect();
        println!("trigger {transition}: {}", if states.is_empty() { "none".into() } else { states.join(", ") });
        for b in blocked {
            println!("  gate blocked: {}", b.get_str("reason").unwrap_or("?"));
        }
    }
    let suffix = format!("#{date}");
    let breakers: Vec<String> = props_core::pipeline::circuit::open_breakers(ctx.state.as_ref())
        .await?
        .into_iter()
        .filter(|s| s.ends_with(&suffix) || s.starts_with("source#"))
        .collect();
    println!("open breakers: {}", if breakers.is_empty() { "none".into() } else { breakers.join(", ") });
    let date_str = date.to_string();
    let retries: Vec<String> = ctx
        .state
        .query_index(props_core::pipeline::retry_queue::PENDING_INDEX, KeyCondition::All)
        .await?
        .iter()
        .filter(|i| i.get_str("game_date") == Some(date_str.as_str()))
        .map(|i| {
            format!(
                "{} (retry {} due {})",
                i.get_str("processor").unwrap_or("?"),
                i.get_i64("retry_count").unwrap_or(0),
                i.get_str("next_retry_at").unwrap_or("?")
            )
        })
        .collect();
    println!("pending retries: {}", if retries.is_empty() { "none".into() } else { retries.join(", ") });
    Ok(())
}

fn human(d: chrono::Duration) -> String {
    let m = d.num_minutes();
    if m < 120 {
        format!("{m} min")
    } else if m < 48 * 60 {
        format!("{} h", m / 60)
    } else {
        format!("{} d", m / 1440)
    }
}
