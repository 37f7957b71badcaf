use anyhow::Context as _;
use clap::Args;
use props_core::tables::catalog;
use props_core::{Context, GameDate};
use serde_json::Value;

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Table name (see `props status` for the catalogue).
    pub table: String,
    /// One game date (YYYY-MM-DD, TODAY, YESTERDAY, TOMORROW).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub date: Option<String>,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    /// At most this many rows.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Print a JSON array instead of a text table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(ctx: &Context, a: QueryArgs) -> anyhow::Result<()> {
    catalog::lookup(&a.table)?;
    let now = ctx.clock.now();
    let resolve = |s: &Option<String>, default: GameDate| -> anyhow::Result<GameDate> {
        match s {
            Some(s) => Ok(GameDate::resolve(s, now)?),
            None => Ok(default),
        }
    };
    let (from, to) = match &a.date {
        Some(d) => {
            let d = GameDate::resolve(d, now)?;
            (d, d)
        }
        None => (
            resolve(&a.from, GameDate::from_ymd(1946, 1, 1).unwrap_or(ctx.clock.today()))?,
            resolve(&a.to, GameDate::from_ymd(2200, 1, 1).unwrap_or(ctx.clock.today()))?,
        ),
    };
    let mut rows =
        ctx.tables.read_json(&a.table, from, to).await.with_context(|| format!("reading table `{}`", a.table))?;
    rows.truncate(a.limit);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        print!("{}", text_table(&rows));
        println!("({} rows)", rows.len());
    }
    Ok(())
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => format!("{f:.3}").trim_end_matches('0').trim_end_matches('.').to_string(),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// Columns in schema order, each as wide as its widest value (capped).
pub fn text_table(rows: &[Value]) -> String {
    let Some(Value::Object(first)) = rows.first() else {
        return String::new();
    };
    let cols: Vec<&String> = first.keys().collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            cols.iter().map(|c| cell(r.get(c.as_str()).unwrap_or(&Value::Null)).chars().take(40).collect()).collect()
        })
        .collect();
    let widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| cells.iter().map(|r| r[i].chars().count()).max().unwrap_or(0).max(c.len()).min(40))
        .collect();
    let line = |vals: Vec<String>| {
        vals.iter().zip(&widths).map(|(v, w)| format!("{v:<w$}")).collect::<Vec<_>>().join("  ").trim_end().to_string()
            + "\n"
    };
    let mut out = line(cols.iter().map(|c| c.to_string()).collect());
    for r in cells {
        out.push_str(&line(r));
    }
    out
}
