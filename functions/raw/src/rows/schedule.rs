use std::collections::BTreeMap;

use props_core::GameDate;
use props_core::identity::season::Season;
use props_core::sources::parse::{GameStatus, ScheduleGame};
use props_core::tables::rows::raw::ScheduleRow;

use super::{season_type, unstamped};

/// Games by Eastern game date.
pub fn by_date(games: &[ScheduleGame]) -> BTreeMap<GameDate, Vec<ScheduleRow>> {
    let mut out: BTreeMap<GameDate, Vec<ScheduleRow>> = BTreeMap::new();
    for g in games {
        out.entry(g.game_date).or_default().push(ScheduleRow {
            game_date: g.game_date,
            game_id: g.game_id.to_string(),
            nba_game_id: Some(g.nba_game_id.to_string()),
            season: Season::containing(g.game_date).to_string(),
            season_type: season_type(g.nba_game_id.kind()).to_string(),
            game_status: match g.status {
                GameStatus::Scheduled => 1,
                GameStatus::Live => 2,
                GameStatus::Final => 3,
            },
            tipoff_at: Some(g.tipoff_utc),
            home_team: g.home_team.to_string(),
            away_team: g.away_team.to_string(),
            home_score: g.home_score.map(|s| s as i32),
            away_score: g.away_score.map(|s| s as i32),
            processed_at: unstamped(),
            data_hash: String::new(),
        });
    }
    for rows in out.values_mut() {
        rows.sort_by(|a, b| a.game_id.cmp(&b.game_id));
    }
    out
}
