use props_core::GameDate;
use props_core::identity::games::NbaGameId;
use props_core::sources::parse::{BoxStats, PlayerGameLog, TeamGameLog};
use props_core::tables::rows::raw::{PlayerBoxscoreRow, TeamBoxscoreRow};

use super::{season_type, unstamped};

fn kind(id: &Option<NbaGameId>) -> String {
    id.as_ref().map(|i| season_type(i.kind())).unwrap_or("regular").to_string()
}

fn n(v: Option<u16>) -> Option<i32> {
    v.map(i32::from)
}

/// Player rows of `date` (records of other dates in the payload are not this partition's).
pub fn players(logs: &[PlayerGameLog], date: GameDate) -> Vec<PlayerBoxscoreRow> {
    let mut rows: Vec<PlayerBoxscoreRow> = logs
        .iter()
        .filter(|l| l.game_date == date)
        .map(|l| {
            let s: &BoxStats = &l.stats;
            PlayerBoxscoreRow {
                game_date: l.game_date,
                game_id: l.game_id.to_string(),
                nba_game_id: l.nba_game_id.as_ref().map(|i| i.to_string()),
                season_type: kind(&l.nba_game_id),
                player_id: l.player_id as i64,
                player_name: l.player_name.clone(),
                player_lookup: l.player_lookup.clone(),
                team: l.team.to_string(),
                opponent: l.opponent.to_string(),
                home: l.home,
                win: l.win,
                minutes: l.minutes,
                starter: None,
                dnp: l.minutes.is_none_or(|m| m <= 0.0),
                points: n(s.points),
                fg_made: n(s.fg_made),
                fg_attempted: n(s.fg_attempted),
                three_made: n(s.three_made),
                three_attempted: n(s.three_attempted),
                ft_made: n(s.ft_made),
                ft_attempted: n(s.ft_attempted),
                off_rebounds: n(s.off_rebounds),
                def_rebounds: n(s.def_rebounds),
                rebounds: n(s.rebounds),
                assists: n(s.assists),
                steals: n(s.steals),
                blocks: n(s.blocks),
                turnovers: n(s.turnovers),
                fouls: n(s.fouls),
                plus_minus: s.plus_minus,
                processed_at: unstamped(),
                data_hash: String::new(),
            }
        })
        .collect();
    rows.sort_by(|a, b| (a.game_id.as_str(), a.player_id).cmp(&(b.game_id.as_str(), b.player_id)));
    rows
}

pub fn teams(logs: &[TeamGameLog], date: GameDate) -> Vec<TeamBoxscoreRow> {
    let mut rows: Vec<TeamBoxscoreRow> = logs
        .iter()
        .filter(|l| l.game_date == date)
        .map(|l| {
            let s = &l.stats;
            TeamBoxscoreRow {
                game_date: l.game_date,
                game_id: l.game_id.to_string(),
                nba_game_id: l.nba_game_id.as_ref().map(|i| i.to_string()),
                season_type: kind(&l.nba_game_id),
                team: l.team.to_string(),
                opponent: l.opponent.to_string(),
                home: l.home,
                win: l.win,
                minutes: l.minutes,
                points: n(s.points),
                fg_made: n(s.fg_made),
                fg_attempted: n(s.fg_attempted),
                three_made: n(s.three_made),
                three_attempted: n(s.three_attempted),
                ft_made: n(s.ft_made),
                ft_attempted: n(s.ft_attempted),
                off_rebounds: n(s.off_rebounds),
                def_rebounds: n(s.def_rebounds),
                rebounds: n(s.rebounds),
                assists: n(s.assists),
                steals: n(s.steals),
                blocks: n(s.blocks),
                turnovers: n(s.turnovers),
                fouls: n(s.fouls),
                plus_minus: s.plus_minus,
                processed_at: unstamped(),
                data_hash: String::new(),
            }
        })
        .collect();
    rows.sort_by(|a, b| (a.game_id.as_str(), a.team.as_str()).cmp(&(b.game_id.as_str(), b.team.as_str())));
    rows
}
