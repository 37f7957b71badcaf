use chrono::{DateTime, Utc};
use props_core::GameDate;
use props_core::sources::parse::RosterEntry;
use props_core::tables::rows::raw::RosterRow;

use super::unstamped;

pub fn rows(entries: &[RosterEntry], date: GameDate, snapshot_at: DateTime<Utc>) -> Vec<RosterRow> {
    entries
        .iter()
        .map(|e| RosterRow {
            game_date: date,
            snapshot_at,
            team: e.team.to_string(),
            athlete_id: e.athlete_id.clone(),
            player_name: e.name.clone(),
            player_lookup: e.player_lookup.clone(),
            position: e.position.clone(),
            age: e.age.map(|a| a as i32),
            injury_status: e.injury_status.clone(),
            injury_type: e.injury_type.clone(),
            injury_detail: e.injury_detail.clone(),
            injury_return: e.injury_return_date.clone(),
            processed_at: unstamped(),
            data_hash: String::new(),
        })
        .collect()
}
