//! A drawn game: who played, the events, and the box score they add up to.
//!
//! The box score is never drawn directly: shots, free-throw trips, rebounds, assists, blocks,
//! steals, turnovers and fouls are drawn as events (see `game`) and the box score is their
//! sum (`tally`). That makes players' points add up to the team's, and the play-by-play agree
//! with the box score, by construction rather than by patching.

use super::injuries::InjuryStatus;
use super::players::Zone;

/// Why a rostered player has no minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Participation {
    Played,
    /// Dressed but did not get in.
    CoachDecision,
    /// Ruled out (an Out spell, or a Day-To-Day player who sat).
    Inactive,
}

/// Counting stats of one player (or team) in one game.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub min: u32,
    pub fgm: u32,
    pub fga: u32,
    pub fg3m: u32,
    pub fg3a: u32,
    pub ftm: u32,
    pub fta: u32,
    pub oreb: u32,
    pub dreb: u32,
    pub ast: u32,
    pub stl: u32,
    pub blk: u32,
    pub tov: u32,
    pub pf: u32,
    pub pts: u32,
    pub plus_minus: i32,
}

impl Stats {
    pub fn reb(&self) -> u32 {
        self.oreb + self.dreb
    }

    pub fn add(&mut self, o: &Stats) {
        self.min += o.min;
        self.fgm += o.fgm;
        self.fga += o.fga;
        self.fg3m += o.fg3m;
        self.fg3a += o.fg3a;
        self.ftm += o.ftm;
        self.fta += o.fta;
        self.oreb += o.oreb;
        self.dreb += o.dreb;
        self.ast += o.ast;
        self.stl += o.stl;
        self.blk += o.blk;
        self.tov += o.tov;
        self.pf += o.pf;
        self.pts += o.pts;
        self.plus_minus += o.plus_minus;
    }
}

/// One rostered player in one game.
#[derive(Clone, Debug, PartialEq)]
pub struct PlayerGame {
    /// Index into the league's players.
    pub player: usize,
    pub home: bool,
    pub participation: Participation,
    /// Injury status on game day, as the roster feed showed it that morning.
    pub injury: Option<InjuryStatus>,
    /// The model's minutes before noise (0 when inactive).
    pub expected_minutes: f64,
    /// The TRUE expected points: the mean of the draw, given everything known at tip-off
    /// (who plays, rest, venue, opponent). 0 when inactive.
    pub expected_points: f64,
    pub stats: Stats,
}

/// A rebound: who, and whether his team had shot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rebound {
    pub by: u16,
    pub offensive: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    FieldGoal {
        zone: Zone,
        made: bool,
        assist: Option<u16>,
        block: Option<u16>,
        rebound: Option<Rebound>,
    },
    /// A trip to the line after `fouler`'s foul; `made[i]` for each attempt.
    FreeThrows {
        fouler: u16,
        made: Vec<bool>,
        rebound: Option<Rebound>,
    },
    Turnover {
        steal: Option<u16>,
    },
    /// A non-shooting personal foul by the actor on `drawn`.
    Foul {
        drawn: u16,
    },
}

/// One play; `actor` and the indices inside `kind` index [`GameSim::players`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub period: u8,
    /// Seconds left in the period.
    pub clock: u16,
    pub actor: u16,
    pub kind: EventKind,
}

/// A drawn game.
#[derive(Clone, Debug, PartialEq)]
pub struct GameSim {
    pub players: Vec<PlayerGame>,
    pub events: Vec<Event>,
    pub periods: u8,
    pub home_pts: u32,
    pub away_pts: u32,
}

impl GameSim {
    /// Team totals (home or away), the sum of its players.
    pub fn team_stats(&self, home: bool) -> Stats {
        let mut s = Stats::default();
        for p in self.players.iter().filter(|p| p.home == home) {
            s.add(&p.stats);
        }
        s
    }
}

/// Points the actor scored on this play.
pub fn event_points(e: &Event) -> u32 {
    match &e.kind {
        EventKind::FieldGoal { zone, made: true, .. } => zone.points(),
        EventKind::FreeThrows { made, .. } => made.iter().filter(|m| **m).count() as u32,
        _ => 0,
    }
}

pub(crate) fn tally(events: &[Event], players: &mut [PlayerGame]) {
    for e in events {
        let a = e.actor as usize;
        match &e.kind {
            EventKind::FieldGoal { zone, made, assist, block, rebound } => {
                let s = &mut players[a].stats;
                s.fga += 1;
                if *zone == Zone::Three {
                    s.fg3a += 1;
                }
                if *made {
                    s.fgm += 1;
                    s.pts += zone.points();
                    if *zone == Zone::Three {
                        s.fg3m += 1;
                    }
                }
                if let Some(x) = assist {
                    players[*x as usize].stats.ast += 1;
                }
                if let Some(x) = block {
                    players[*x as usize].stats.blk += 1;
                }
                credit_rebound(players, *rebound);
            }
            EventKind::FreeThrows { fouler, made, rebound } => {
                let s = &mut players[a].stats;
                s.fta += made.len() as u32;
                let m = made.iter().filter(|m| **m).count() as u32;
                s.ftm += m;
                s.pts += m;
                players[*fouler as usize].stats.pf += 1;
                credit_rebound(players, *rebound);
            }
            EventKind::Turnover { steal } => {
                players[a].stats.tov += 1;
                if let Some(x) = steal {
                    players[*x as usize].stats.stl += 1;
                }
            }
            EventKind::Foul { .. } => players[a].stats.pf += 1,
        }
    }
}

fn credit_rebound(players: &mut [PlayerGame], r: Option<Rebound>) {
    if let Some(r) = r {
        let s = &mut players[r.by as usize].stats;
        if r.offensive {
            s.oreb += 1;
        } else {
            s.dreb += 1;
        }
    }
}

/// Five players share each point of margin while on court: each side's plus-minus sums to
/// 5 × margin, split by minutes.
pub(crate) fn plus_minus(players: &mut [PlayerGame], home_margin: i32) {
    for home in [true, false] {
        let margin = if home { home_margin } else { -home_margin };
        let idx: Vec<usize> =
            (0..players.len()).filter(|i| players[*i].home == home && players[*i].stats.min > 0).collect();
        let total_min: u32 = idx.iter().map(|i| players[*i].stats.min).sum();
        if total_min == 0 {
            continue;
        }
        let w: Vec<f64> = idx
            .iter()
            .map(|i| f64::from(players[*i].stats.min) / f64::from(total_min) * f64::from(5 * margin.abs()))
            .collect();
        let split = round_to_total(&w, (5 * margin.abs()) as u32);
        for (k, i) in idx.iter().enumerate() {
            players[*i].stats.plus_minus = margin.signum() * split[k] as i32;
        }
    }
}

/// Rounds non-negative `w` to integers summing to `total` (largest remainder).
pub fn round_to_total(w: &[f64], total: u32) -> Vec<u32> {
    let sum: f64 = w.iter().sum();
    if sum <= 0.0 || w.is_empty() {
        return vec![0; w.len()];
    }
    let scaled: Vec<f64> = w.iter().map(|x| x / sum * f64::from(total)).collect();
    let mut out: Vec<u32> = scaled.iter().map(|x| x.floor() as u32).collect();
    let mut short = total.saturating_sub(out.iter().sum());
    let mut order: Vec<usize> = (0..w.len()).collect();
    order.sort_by(|a, b| {
        let ra = scaled[*a] - scaled[*a].floor();
        let rb = scaled[*b] - scaled[*b].floor();
        rb.total_cmp(&ra).then(a.cmp(b))
    });
    for i in order.into_iter().cycle() {
        if short == 0 {
            break;
        }
        out[i] += 1;
        short -= 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_keeps_the_total() {
        let r = round_to_total(&[33.4, 33.4, 33.2, 12.0, 0.0], 240);
        assert_eq!(r.iter().sum::<u32>(), 240);
        assert_eq!(r[4], 0);
    }
}
