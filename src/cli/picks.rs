//! The end of `props run`: how many players with a line were predicted, the table of actionable
//! picks, and where the published page is.
//!
//! The table shows the `ensemble` system: it combines every other system (weighted by their
//! recent graded record) and predicts even when `gbm` abstains, so it is the one pick a user
//! acts on. The page lists every system's picks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use anyhow::Context as _;
use props_core::config::Backend;
use props_core::tables::rows::analytics::UpcomingPlayerGameContextRow;
use props_core::tables::rows::precompute::MlFeatureStoreRow;
use props_core::tables::rows::predictions::PlayerPropPredictionRow;
use props_core::{Context, GameDate};
use props_predict::systems::ENSEMBLE;

/// The system whose picks the table shows.
pub const SYSTEM: &str = ENSEMBLE;

async fn ensemble_rows(ctx: &Context, date: GameDate) -> anyhow::Result<Vec<PlayerPropPredictionRow>> {
    let rows: Vec<PlayerPropPredictionRow> =
        ctx.tables.read_date(date).await.with_context(|| format!("reading player_prop_predictions for {date}"))?;
    Ok(rows.into_iter().filter(|r| r.system_id == SYSTEM).collect())
}

/// "N of M players with a line predicted": players with a line are the feature-store rows of
/// `date` that carry one; predicted means the ensemble wrote a row for them with that line.
/// A player without history gets a row that abstains (PASS, saying why) rather than no row.
pub async fn coverage(ctx: &Context, date: GameDate) -> anyhow::Result<String> {
    let features: Vec<MlFeatureStoreRow> =
        ctx.tables.read_date(date).await.with_context(|| format!("reading ml_feature_store for {date}"))?;
    let with_line: BTreeSet<&str> =
        features.iter().filter(|r| r.line.is_some()).map(|r| r.player_lookup.as_str()).collect();
    let rows = ensemble_rows(ctx, date).await?;
    let lined: Vec<&PlayerPropPredictionRow> =
        rows.iter().filter(|r| r.line.is_some() && with_line.contains(r.player_lookup.as_str())).collect();
    let predicted: BTreeSet<&str> = lined.iter().map(|r| r.player_lookup.as_str()).collect();
    let with_points: BTreeSet<&str> =
        lined.iter().filter(|r| r.predicted_points.is_some()).map(|r| r.player_lookup.as_str()).collect();
    let actionable = rows.iter().filter(|r| r.is_actionable).count();
    Ok(format!(
        "{} of {} players with a line predicted ({} with points, {} abstained), {actionable} actionable {SYSTEM} picks",
        predicted.len(),
        with_line.len(),
        with_points.len(),
        predicted.len() - with_points.len()
    ))
}

/// The page's file on the embedded backend (`None` on AWS, where it is an S3 object).
pub fn page_path(ctx: &Context, date: GameDate) -> Option<PathBuf> {
    let key = props_publish::handler::export_key(date, "index.html");
    (ctx.config.backend == Backend::Local).then(|| ctx.config.data_dir.join(&ctx.config.bucket).join(key))
}

/// Prints the ensemble's actionable picks of `date`, largest edge first.
pub async fn print(ctx: &Context, date: GameDate) -> anyhow::Result<()> {
    let mut picks: Vec<PlayerPropPredictionRow> =
        ensemble_rows(ctx, date).await?.into_iter().filter(|r| r.is_actionable).collect();
    picks.sort_by(|a, b| {
        let edge = |p: &PlayerPropPredictionRow| p.line_margin.map_or(0.0, f64::abs);
        edge(b).total_cmp(&edge(a)).then_with(|| a.player_lookup.cmp(&b.player_lookup))
    });
    let contexts: Vec<UpcomingPlayerGameContextRow> =
        ctx.tables.read_date(date).await.with_context(|| format!("reading upcoming_player_game_context for {date}"))?;
    let names: BTreeMap<&str, &str> =
        contexts.iter().filter_map(|c| Some((c.player_lookup.as_str(), c.player_name.as_deref()?))).collect();
    println!("actionable picks for {date} ({SYSTEM} system): {}", picks.len());
    if picks.is_empty() {
        println!(
            "  none: no {SYSTEM} prediction cleared its edge and confidence gates (the page lists every system's)"
        );
        return Ok(());
    }
    println!(
        "  {:<24} {:<4} {:<4} {:>5} {:>6} {:>6} {:<5} {:>4}",
        "player", "team", "opp", "line", "pred", "edge", "rec", "conf"
    );
    let num = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{v:.1}"));
    for p in &picks {
        let name = names.get(p.player_lookup.as_str()).copied().unwrap_or(&p.player_lookup);
        println!(
            "  {:<24} {:<4} {:<4} {:>5} {:>6} {:>+6.1} {:<5} {:>4.0}",
            name.chars().take(24).collect::<String>(),
            p.team,
            p.opponent,
            num(p.line),
            num(p.predicted_points),
            p.line_margin.unwrap_or(0.0),
            p.recommendation.as_str(),
            p.confidence
        );
    }
    Ok(())
}
