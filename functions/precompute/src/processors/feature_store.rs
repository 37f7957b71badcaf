//! `ml_feature_store`: one row per expected player and date, the versioned feature vector every
//! prediction system reads (`FEATURE_NAMES`), with its quality score and defaulted indices, and
//! the line with its bookmaker and prices for the systems' edge and ROI.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use props_core::pipeline::Phase;
use props_core::pipeline::dependencies::{DateRule, Dependency, DependencyReport};
use props_core::pipeline::runner::{Output, Processor, ProcessorError, write_output};
use props_core::tables::rows::analytics::UpcomingPlayerGameContextRow;
use props_core::tables::rows::precompute::{
    FEATURE_NAMES, FEATURE_VERSION, MlFeatureStoreRow, PlayerCompositeFactorsRow, PlayerDailyCacheRow,
    PlayerShotZoneAnalysisRow,
};
use props_core::tables::rows::raw::PlayerPointsPropRow;
use props_core::{Context, GameDate};

use super::{by_player, composite, context_dependency, contexts, daily_cache, read, read_if, shot_zones};
use crate::features::{self, FeatureInputs};

pub const NAME: &str = "ml_feature_store";
const PROPS: &str = "player_points_props";

pub struct FeatureStore;

#[async_trait]
impl Processor for FeatureStore {
    fn name(&self) -> &'static str {
        NAME
    }
    fn phase(&self) -> Phase {
        Phase::Precompute
    }
    fn dependencies(&self) -> Vec<Dependency> {
        vec![
            context_dependency(),
            Dependency::critical(daily_cache::NAME, DateRule::SameDay, 1),
            Dependency::critical(composite::NAME, DateRule::SameDay, 1),
            Dependency::optional(shot_zones::NAME, DateRule::SameDay),
            // Prices of the chosen line; only snapshots taken before tip-off are looked at.
            Dependency::optional(PROPS, DateRule::SameDay),
        ]
    }
    async fn run(&self, ctx: &Context, date: GameDate, deps: &DependencyReport) -> Result<Output, ProcessorError> {
        let players = contexts(ctx, date).await?;
        let caches: Vec<PlayerDailyCacheRow> = read(ctx, DateRule::SameDay, date).await?;
        let factors: Vec<PlayerCompositeFactorsRow> = read(ctx, DateRule::SameDay, date).await?;
        let zones: Vec<PlayerShotZoneAnalysisRow> =
            read_if(ctx, deps.has(shot_zones::NAME), DateRule::SameDay, date).await?;
        let props: Vec<PlayerPointsPropRow> = read_if(ctx, deps.has(PROPS), DateRule::SameDay, date).await?;
        let caches = by_player(&caches, |r| &r.player_lookup);
        let factors = by_player(&factors, |r| &r.player_lookup);
        let zones = by_player(&zones, |r| &r.player_lookup);
        let now = ctx.clock.now();
        let rows = players
            .iter()
            .filter_map(|c| {
                let inputs = FeatureInputs {
                    context: c,
                    cache: caches.get(&c.player_lookup)?,
                    factors: factors.get(&c.player_lookup).copied(),
                    zones: zones.get(&c.player_lookup).copied(),
                };
                Some(build(&inputs, &props, now))
            })
            .collect();
        // Without play-by-play every zone feature is a default: a partial output.
        let partial = !zones.values().any(|z| z.source_shots);
        write_output(ctx, date, rows, partial).await
    }
}

/// The American prices of the context's chosen line: the latest pre-game snapshot (before
/// tip-off and before `now`) of that bookmaker at that line. `None` for a median line.
fn prices(
    c: &UpcomingPlayerGameContextRow,
    props: &[PlayerPointsPropRow],
    now: DateTime<Utc>,
) -> (Option<i32>, Option<i32>) {
    let (Some(line), Some(book)) = (c.current_points_line, c.current_line_source.as_deref()) else {
        return (None, None);
    };
    props
        .iter()
        .filter(|p| p.game_id == c.game_id && p.player_lookup == c.player_lookup && p.bookmaker == book)
        .filter(|p| p.line == line && p.is_pregame(Some(now)))
        .max_by_key(|p| p.snapshot_at)
        .map(|p| (p.over_price_american, p.under_price_american))
        .unwrap_or((None, None))
}

pub(crate) fn build(i: &FeatureInputs, props: &[PlayerPointsPropRow], now: DateTime<Utc>) -> MlFeatureStoreRow {
    let c = i.context;
    let v = features::build(i);
    let (over_price, under_price) = prices(c, props, now);
    MlFeatureStoreRow {
        game_date: c.game_date,
        game_id: c.game_id.clone(),
        player_lookup: c.player_lookup.clone(),
        team: c.team.clone(),
        opponent: c.opponent.clone(),
        home: c.home,
        feature_version: FEATURE_VERSION.to_string(),
        feature_names: FEATURE_NAMES.iter().map(|n| n.to_string()).collect(),
        features: v.values,
        defaulted: v.defaulted,
        quality_score: v.quality,
        line: c.current_points_line,
        line_bookmaker: c.current_line_source.clone(),
        over_price,
        under_price,
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}
