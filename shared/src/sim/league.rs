//! `SimLeague`: one seeded season, generated eagerly, queried by the server and by backtests.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::SimError;
use super::boxscore::{GameSim, Participation};
use super::game::{Entrant, simulate};
use super::injuries::{InjurySpell, InjuryStatus, draw_spells, status_on};
use super::model::{context, usage_boost};
use super::odds::{self, GameOdds};
use super::players::{Player, TeamProfile, draw_rosters};
use super::rng::{chance, stream};
use super::schedule::{self, ScheduledGame};
use super::teams::{TEAMS, Team};
use crate::game_date::GameDate;

/// A deterministic simulated season: the same seed and season give the same league, bit for bit.
#[derive(Debug)]
pub struct SimLeague {
    seed: u64,
    season: String,
    start_year: i32,
    players: Vec<Player>,
    profiles: Vec<TeamProfile>,
    rosters: Vec<Vec<usize>>,
    injuries: Vec<Vec<InjurySpell>>,
    schedule: Vec<ScheduledGame>,
    games: Vec<GameSim>,
    odds: Vec<GameOdds>,
    by_id: HashMap<String, usize>,
    by_event: HashMap<String, usize>,
    by_player_id: HashMap<u32, usize>,
}

/// One player-game's truth, for backtests: the mean a perfect model would predict.
#[derive(Clone, Debug, PartialEq)]
pub struct TruePoints {
    pub game_id: String,
    pub nba_game_id: String,
    pub game_date: GameDate,
    pub player_id: u32,
    pub player_name: String,
    pub team: &'static str,
    pub opponent: &'static str,
    pub home: bool,
    pub played: bool,
    pub expected_minutes: f64,
    pub expected_points: f64,
    /// `None` when he did not play.
    pub actual_points: Option<u32>,
}

impl SimLeague {
    /// Generates the season `season` ("2024-25") for `seed`.
    pub fn new(seed: u64, season: &str) -> Result<Self, SimError> {
        let start_year = parse_season(season)?;
        let (players, profiles) = draw_rosters(seed, start_year);
        let mut rosters = vec![Vec::new(); TEAMS.len()];
        for (i, p) in players.iter().enumerate() {
            rosters[p.team].push(i);
        }
        let schedule = schedule::build(seed, start_year);
        let (first, last) = match (schedule.first(), schedule.last()) {
            (Some(f), Some(l)) => (f.date.naive(), l.date.naive()),
            _ => return Err(SimError::Generation("empty schedule".into())),
        };
        let injuries = draw_spells(seed, &players, first, last);
        let rest = rest_days(&schedule);
        let mut games = Vec::with_capacity(schedule.len());
        let mut odds_all = Vec::with_capacity(schedule.len());
        for (gi, g) in schedule.iter().enumerate() {
            let mut rng = stream(seed, "game", gi as u64);
            let mut entrants = Vec::new();
            let mut out_flags: [Vec<bool>; 2] = [Vec::new(), Vec::new()];
            for (side, team) in [(0usize, g.home), (1, g.away)] {
                for &pi in &rosters[team] {
                    let injury = status_on(&injuries[pi], g.date).map(|s| s.status);
                    let inactive = match injury {
                        Some(InjuryStatus::Out) => true,
                        Some(InjuryStatus::DayToDay) => !chance(&mut rng, 0.55),
                        None => false,
                    };
                    out_flags[side].push(inactive);
                    entrants.push(Entrant { index: pi, player: &players[pi], home: side == 0, injury, inactive });
                }
            }
            let boost = |team: usize, side: usize| {
                let ps: Vec<&Player> = rosters[team].iter().map(|i| &players[*i]).collect();
                usage_boost(&ps, &out_flags[side])
            };
            let hp = &profiles[g.home];
            let ap = &profiles[g.away];
            let hctx = context(true, rest[gi].0, hp, ap, boost(g.home, 0));
            let actx = context(false, rest[gi].1, ap, hp, boost(g.away, 1));
            let sim = simulate(&mut rng, &entrants, (&hctx, &actx));
            let mut orng = stream(seed, "odds", gi as u64);
            odds_all.push(odds::draw(&mut orng, seed, g, &sim, &players));
            games.push(sim);
        }
        let mut by_id = HashMap::new();
        let mut by_event = HashMap::new();
        for (i, g) in schedule.iter().enumerate() {
            by_id.insert(g.game_id.clone(), i);
            by_id.insert(g.nba_game_id.clone(), i);
            by_event.insert(odds_all[i].event_id.clone(), i);
        }
        let by_player_id = players.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        Ok(Self {
            seed,
            season: season.to_string(),
            start_year,
            players,
            profiles,
            rosters,
            injuries,
            schedule,
            games,
            odds: odds_all,
            by_id,
            by_event,
            by_player_id,
        })
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// "2024-25".
    pub fn season(&self) -> &str {
        &self.season
    }

    pub fn start_year(&self) -> i32 {
        self.start_year
    }

    pub fn teams(&self) -> &'static [Team] {
        &TEAMS
    }

    pub fn players(&self) -> &[Player] {
        &self.players
    }

    pub fn team_profile(&self, team: usize) -> Option<&TeamProfile> {
        self.profiles.get(team)
    }

    /// Indices into [`Self::players`] of a team's roster, in depth-chart order.
    pub fn roster(&self, team: usize) -> &[usize] {
        self.rosters.get(team).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn injuries(&self, player: usize) -> &[InjurySpell] {
        self.injuries.get(player).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The season's games in order; index `i` matches [`Self::game`] and [`Self::odds`].
    pub fn schedule(&self) -> &[ScheduledGame] {
        &self.schedule
    }

    pub fn game(&self, index: usize) -> Option<&GameSim> {
        self.games.get(index)
    }

    pub fn odds(&self, index: usize) -> Option<&GameOdds> {
        self.odds.get(index)
    }

    /// A game by canonical id (`20250115_NYK_PHI`) or NBA id (`0022400561`).
    pub fn game_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn game_index_by_event(&self, event_id: &str) -> Option<usize> {
        self.by_event.get(event_id).copied()
    }

    pub fn player_index(&self, player_id: u32) -> Option<usize> {
        self.by_player_id.get(&player_id).copied()
    }

    /// The true expected points of NBA player `player_id` in game `game_id` (either id form);
    /// `None` when he was not on either roster. Inactive players have 0.
    pub fn expected_points(&self, game_id: &str, player_id: u32) -> Option<f64> {
        let g = self.game(self.game_index(game_id)?)?;
        let pi = self.player_index(player_id)?;
        g.players.iter().find(|p| p.player == pi).map(|p| p.expected_points)
    }

    /// Every rostered player-game on `date`, with truth and outcome.
    pub fn true_points(&self, date: GameDate) -> Vec<TruePoints> {
        let mut out = Vec::new();
        for (g, sim) in self.schedule.iter().zip(&self.games).filter(|(g, _)| g.date == date) {
            for pg in &sim.players {
                let p = &self.players[pg.player];
                let (team, opp) = if pg.home { (g.home, g.away) } else { (g.away, g.home) };
                let played = pg.participation == Participation::Played;
                out.push(TruePoints {
                    game_id: g.game_id.clone(),
                    nba_game_id: g.nba_game_id.clone(),
                    game_date: g.date,
                    player_id: p.id,
                    player_name: p.name.full(),
                    team: TEAMS[team].tricode,
                    opponent: TEAMS[opp].tricode,
                    home: pg.home,
                    played,
                    expected_minutes: pg.expected_minutes,
                    expected_points: pg.expected_points,
                    actual_points: played.then_some(pg.stats.pts),
                });
            }
        }
        out
    }

    /// A game counts as final three hours after tip-off, as in the replay server.
    pub fn is_final(&self, index: usize, now: DateTime<Utc>) -> bool {
        self.schedule.get(index).is_some_and(|g| g.tip_off + chrono::Duration::hours(3) <= now)
    }
}

fn parse_season(season: &str) -> Result<i32, SimError> {
    let bad = || SimError::BadSeason(season.chars().take(20).collect());
    let (a, b) = season.split_once('-').ok_or_else(bad)?;
    let start: i32 = a.parse().map_err(|_| bad())?;
    let end: i32 = b.parse().map_err(|_| bad())?;
    if a.len() != 4 || b.len() != 2 || (start + 1) % 100 != end || !(1990..=2100).contains(&start) {
        return Err(bad());
    }
    Ok(start)
}

/// (home, away) days since each team's previous game, per scheduled game.
fn rest_days(schedule: &[ScheduledGame]) -> Vec<(Option<i64>, Option<i64>)> {
    let mut last: Vec<Option<GameDate>> = vec![None; TEAMS.len()];
    schedule
        .iter()
        .map(|g| {
            let r = |t: usize| last[t].map(|d| d.days_until(g.date));
            let out = (r(g.home), r(g.away));
            last[g.home] = Some(g.date);
            last[g.away] = Some(g.date);
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasons_parse_strictly() {
        assert_eq!(parse_season("2024-25").ok(), Some(2024));
        assert_eq!(parse_season("1999-00").ok(), Some(1999));
        assert!(parse_season("2024-26").is_err());
        assert!(parse_season("2024").is_err());
        assert!(parse_season("24-25").is_err());
    }
}
