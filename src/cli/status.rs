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
        let triggers = ctx.state.query(&format!("TRIGGER#{transition}#{date}"), KeyCondition::All).await?;
        let states: Vec<String> = triggers
            .iter()
            .map(|i| format!("{} {}", i.get_str("status").unwrap_or("?"), &i.sk.chars().take(12).collect::<String>()))
            .collect();
        println!("trigger {transition}: {}", if states.is_empty() { "none".into() } else { states.join(", ") });
    }
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
