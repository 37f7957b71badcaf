//! `player_shot_zone_analysis`: where each expected player shoots from and how well, over his
//! last 10 and 20 games played. Without play-by-play (2023-24; the replay never has it) every
//! zone value is `None`, `source_shots` is false and the run is `partial`, not failed.

use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use props_core::pipeline::Phase;
use props_core::pipeline::dependencies::{DateRule, Dependency, DependencyReport};
use props_core::pipeline::runner::{Output, Processor, ProcessorError, write_output};
use props_core::tables::rows::analytics::PlayerGameSummaryRow;
use props_core::tables::rows::precompute::PlayerShotZoneAnalysisRow;
use props_core::tables::rows::raw::ShotRow;
use props_core::{Context, GameDate};

use super::{PLAYER_HISTORY_DAYS, SHOT_DAYS, context_dependency, contexts, read, read_if};
use crate::history::History;
use crate::zones::{ZONES, ZoneSplit};

pub const NAME: &str = "player_shot_zone_analysis";

pub struct ShotZones;

#[async_trait]
impl Processor for ShotZones {
    fn name(&self) -> &'static str {
        NAME
    }
    fn phase(&self) -> Phase {
        Phase::Precompute
    }
    fn dependencies(&self) -> Vec<Dependency> {
        vec![
            context_dependency(),
            Dependency::critical("player_game_summary", DateRule::DaysBefore(PLAYER_HISTORY_DAYS), 1),
            Dependency::optional("shots", DateRule::DaysBefore(SHOT_DAYS)),
        ]
    }
    async fn run(&self, ctx: &Context, date: GameDate, deps: &DependencyReport) -> Result<Output, ProcessorError> {
        let players = contexts(ctx, date).await?;
        let history: Vec<PlayerGameSummaryRow> = read(ctx, DateRule::DaysBefore(PLAYER_HISTORY_DAYS), date).await?;
        let shots: Vec<ShotRow> = read_if(ctx, deps.has("shots"), DateRule::DaysBefore(SHOT_DAYS), date).await?;
        let h = History::new(&history, date);
        let by_player = shots_by_player(&shots, date);
        let rows = players.iter().map(|c| build(&h, &by_player, &c.player_lookup, &c.team)).collect();
        write_output(ctx, date, rows, !deps.has("shots")).await
    }
}

fn shots_by_player(shots: &[ShotRow], date: GameDate) -> HashMap<&str, Vec<&ShotRow>> {
    let mut m: HashMap<&str, Vec<&ShotRow>> = HashMap::new();
    for s in shots.iter().filter(|s| s.game_date < date) {
        if let Some(p) = s.player_lookup.as_deref() {
            m.entry(p).or_default().push(s);
        }
    }
    m
}

/// His shots in his last `n` games played, and in how many of them shots were recorded.
fn window(h: &History, shots: &[&ShotRow], lookup: &str, n: usize) -> (ZoneSplit, i32) {
    let games: BTreeSet<&str> = h.played(lookup).iter().take(n).map(|r| r.game_id.as_str()).collect();
    let mine: Vec<&ShotRow> = shots.iter().copied().filter(|s| games.contains(s.game_id.as_str())).collect();
    let with_shots: BTreeSet<&str> = mine.iter().map(|s| s.game_id.as_str()).collect();
    (ZoneSplit::of(mine), with_shots.len() as i32)
}

pub(crate) fn build(
    h: &History,
    shots: &HashMap<&str, Vec<&ShotRow>>,
    lookup: &str,
    team: &str,
) -> PlayerShotZoneAnalysisRow {
    let mine = shots.get(lookup).map(Vec::as_slice).unwrap_or_default();
    let (z10, g10) = window(h, mine, lookup, 10);
    let (z20, g20) = window(h, mine, lookup, 20);
    PlayerShotZoneAnalysisRow {
        game_date: h.date(),
        player_lookup: lookup.to_string(),
        team: team.to_string(),
        shot_games_last_10: g10,
        shot_games_last_20: g20,
        attempts_last_10: z10.total() as i32,
        attempts_last_20: z20.total() as i32,
        paint_rate_last_10: z10.rate(0),
        mid_rate_last_10: z10.rate(1),
        three_rate_last_10: z10.rate(2),
        paint_pct_last_10: z10.pct(0),
        mid_pct_last_10: z10.pct(1),
        three_pct_last_10: z10.pct(2),
        paint_rate_last_20: z20.rate(0),
        mid_rate_last_20: z20.rate(1),
        three_rate_last_20: z20.rate(2),
        paint_pct_last_20: z20.pct(0),
        mid_pct_last_20: z20.pct(1),
        three_pct_last_20: z20.pct(2),
        assisted_rate_last_20: z20.assisted_rate(),
        primary_zone: z10.primary().map(|i| ZONES[i].to_string()),
        source_shots: z10.total() > 0,
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}
