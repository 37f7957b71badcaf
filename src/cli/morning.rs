//! What the schedules of a game-day morning do before the first scrape, done once by `props run`
//! so its page is what a deployed system would publish: `grade` for yesterday (06:00 ET), and
//! `train` when no `gbm` champion exists yet (the weekly schedule would have trained one).

use anyhow::Context as _;
use props_core::lambda::JsonHandler;
use props_core::{Context, GameDate};
use props_predict::model::registry;
use props_predict::{GradeHandler, TrainHandler};
use serde_json::{Value, json};

/// Grades yesterday when it has predictions and box scores; says why not otherwise. Grading
/// without them would only record a failed run and a retry.
pub async fn grade_yesterday(ctx: &Context, date: GameDate) -> anyhow::Result<()> {
    let y = date.prev();
    let predictions = ctx.tables.row_count("player_prop_predictions", y, y).await?;
    let summaries = ctx.tables.row_count("player_game_summary", y, y).await?;
    if predictions == 0 || summaries == 0 {
        let missing = if predictions == 0 { "predictions (no earlier run of that day)" } else { "box scores" };
        println!("  grade     {y} not graded: no {missing}; the page has no results for it");
        return Ok(());
    }
    let out = GradeHandler.handle(ctx, json!({"date": y})).await.map_err(|e| anyhow::anyhow!("grading {y}: {e}"))?;
    println!("  grade     {y}: {} ({} graded predictions)", field(&out, "status"), field(&out, "rows"));
    Ok(())
}

/// Trains `gbm` on the history when no champion exists. Too little history is normal on a
/// fresh data directory: `gbm` then abstains and the other systems (and the ensemble) predict.
pub async fn train_if_no_champion(ctx: &Context, date: GameDate) -> anyhow::Result<()> {
    let champion = registry::champion(ctx.state.as_ref()).await.context("reading the gbm champion")?;
    if let Some(c) = champion {
        println!("  train     gbm champion {} (validation MAE {:.2})", c.version, c.validation_mae);
        return Ok(());
    }
    let out = TrainHandler::default()
        .handle(ctx, json!({}))
        .await
        .map_err(|e| anyhow::anyhow!("training gbm before {date}: {e}"))?;
    match out.get("reason").and_then(Value::as_str) {
        Some(reason) => println!("  train     no gbm champion, none trained ({reason}): gbm abstains"),
        None => println!(
            "  train     gbm {} trained on {} examples (validation MAE {}), champion {}",
            field(&out, "version"),
            field(&out, "train_rows"),
            out.get("validation_mae").and_then(Value::as_f64).map_or("?".into(), |m| format!("{m:.2}")),
            field(&out, "champion")
        ),
    }
    Ok(())
}

fn field(v: &Value, name: &str) -> String {
    match v.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "?".into(),
    }
}
