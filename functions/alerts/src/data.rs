//! Reading tables by column NAME (their typed row structs belong to other phases), where a
//! table or partition that does not exist yet simply reads as empty.

use std::collections::{BTreeMap, BTreeSet};

use props_core::tables::{TableError, catalog};
use props_core::{Context, GameDate};
use serde_json::Value;

pub async fn rows(ctx: &Context, table: &str, from: GameDate, to: GameDate) -> Result<Vec<Value>, TableError> {
    ctx.tables.read_json(table, from, to).await
}

pub fn distinct(rows: &[Value], col: &str) -> BTreeSet<String> {
    rows.iter().filter_map(|r| r.get(col).and_then(Value::as_str)).map(str::to_string).collect()
}

/// Distinct values of `col` per game date.
pub fn by_date(rows: &[Value], col: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in rows {
        if let (Some(d), Some(v)) = (r.get("game_date").and_then(Value::as_str), r.get(col).and_then(Value::as_str)) {
            out.entry(d.to_string()).or_default().insert(v.to_string());
        }
    }
    out
}

/// The scheduled game ids of a date; `None` when the schedule has no partition for it (never
/// loaded), as opposed to an empty partition (a day without games).
pub async fn scheduled_games(ctx: &Context, date: GameDate) -> Result<Option<BTreeSet<String>>, TableError> {
    let def = catalog::lookup("schedule")?;
    if ctx.tables.object_keys(def, date, date).await?.is_empty() {
        return Ok(None);
    }
    Ok(Some(distinct(&rows(ctx, "schedule", date, date).await?, "game_id")))
}
