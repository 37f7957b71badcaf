//! One game drawn from the model: who played, the events, and the box score they add up to.
//!
//! The box score is never drawn directly: shots, free-throw trips, rebounds, assists, blocks,
//! steals, turnovers and fouls are drawn as events and the box score is their sum. That makes
//! players' points add up to the team's, and the play-by-play agree with the box score, by
//! construction rather than by patching.

use rand::Rng;

use super::injuries::InjuryStatus;
use super::model::{Rates, TeamContext, cap_and_fill, expected_minutes, rates};
use super::players::{Player, Zone};
use super::rng::{SimRng, chance, normal, poisson};

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

/// A rostered player going into the draw.
pub struct Entrant<'a> {
    pub index: usize,
    pub player: &'a Player,
    pub home: bool,
    pub injury: Option<InjuryStatus>,
    /// Ruled out before tip-off.
    pub inactive: bool,
}

/// Draws one game. `ctx` is (home, away).
pub fn simulate(
    rng: &mut SimRng,
    entrants: &[Entrant<'_>],
    ctx: (&TeamContext, &TeamContext),
) -> GameSim {
    let mut players: Vec<PlayerGame> = entrants
        .iter()
        .map(|e| PlayerGame {
            player: e.index,
            home: e.home,
            participation: if e.inactive {
                Participation::Inactive
            } else {
                Participation::Played
            },
            injury: e.injury,
            expected_minutes: 0.0,
            expected_points: 0.0,
            stats: Stats::default(),
        })
        .collect();
    let mut player_rates: Vec<Option<Rates>> = vec![None; entrants.len()];
    let mut minutes = vec![0.0; entrants.len()];
    for home in [true, false] {
        let c = if home { ctx.0 } else { ctx.1 };
        let idx: Vec<usize> = (0..entrants.len())
            .filter(|i| entrants[*i].home == home && !entrants[*i].inactive)
            .collect();
        let ps: Vec<&Player> = idx.iter().map(|i| entrants[*i].player).collect();
        let limited: Vec<bool> = idx.iter().map(|i| entrants[*i].injury.is_some()).collect();
        let exp = expected_minutes(&ps, &limited, c);
        let noisy: Vec<f64> = exp
            .iter()
            .map(|m| {
                let sd = if *m < 8.0 { 0.6 } else { 0.13 };
                (m * (1.0 + normal(rng, 0.0, sd))).max(0.0)
            })
            .collect();
        let cap = (240.0 / idx.len().max(1) as f64).max(46.0);
        let actual = round_to_total(&cap_and_fill(&noisy, 240.0, cap), 240);
        for (k, i) in idx.iter().enumerate() {
            let r = rates(entrants[*i].player, c);
            players[*i].expected_minutes = exp[k];
            players[*i].expected_points = exp[k] * r.points_per_min();
            player_rates[*i] = Some(r);
            minutes[*i] = f64::from(actual[k]);
            players[*i].stats.min = actual[k];
            if actual[k] == 0 {
                players[*i].participation = Participation::CoachDecision;
            }
        }
    }
    let mut sim = Segmenter {
        rng,
        entrants,
        rates: &player_rates,
        fouls: vec![0; entrants.len()],
        events: Vec::new(),
    };
    sim.segment(&minutes, 1, 4, 720);
    let mut periods = 4u8;
    loop {
        let (h, a) = score(&sim.events, entrants);
        if h != a || periods >= 8 {
            break;
        }
        periods += 1;
        let mut ot = vec![0.0; entrants.len()];
        for home in [true, false] {
            let mut idx: Vec<usize> = (0..entrants.len())
                .filter(|i| entrants[*i].home == home && minutes[*i] > 0.0)
                .collect();
            idx.sort_by(|a, b| minutes[*b].total_cmp(&minutes[*a]).then(a.cmp(b)));
            for i in idx.into_iter().take(5) {
                ot[i] = 5.0;
                players[i].stats.min += 5;
            }
        }
        sim.segment(&ot, periods, 1, 300);
    }
    let (h, a) = score(&sim.events, entrants);
    if h == a {
        // Eight periods still level: the home team's first option wins it at the horn.
        if let Some(i) = (0..entrants.len()).find(|i| entrants[*i].home && minutes[*i] > 0.0) {
            sim.events.push(Event {
                period: periods,
                clock: 1,
                actor: i as u16,
                kind: EventKind::FieldGoal {
                    zone: Zone::Paint,
                    made: true,
                    assist: None,
                    block: None,
                    rebound: None,
                },
            });
        }
    }
    // Sort small keys, not the events themselves (moving events dominated the run time).
    let mut keys: Vec<(u8, std::cmp::Reverse<u16>, u32)> = sim
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.period, std::cmp::Reverse(e.clock), i as u32))
        .collect();
    keys.sort_unstable();
    let mut slots: Vec<Option<Event>> = sim.events.into_iter().map(Some).collect();
    let events: Vec<Event> = keys
        .iter()
        .filter_map(|k| slots[k.2 as usize].take())
        .collect();
    tally(&events, &mut players);
    let home_pts: u32 = players.iter().filter(|p| p.home).map(|p| p.stats.pts).sum();
    let away_pts: u32 = players
        .iter()
        .filter(|p| !p.home)
        .map(|p| p.stats.pts)
        .sum();
    plus_minus(&mut players, home_pts as i32 - away_pts as i32);
    GameSim {
        players,
        events,
        periods,
        home_pts,
        away_pts,
    }
}

struct Segmenter<'a, 'b> {
    rng: &'a mut SimRng,
    entrants: &'a [Entrant<'b>],
    rates: &'a [Option<Rates>],
    fouls: Vec<u32>,
    events: Vec<Event>,
}

const ASSIST_P: [f64; 3] = [0.52, 0.55, 0.82];
const BLOCK_P: [f64; 3] = [0.14, 0.05, 0.02];

impl Segmenter<'_, '_> {
    /// Draws everyone's events for a stretch of `count` periods of `len` seconds starting at
    /// `first`, in which player i plays `minutes[i]`.
    fn segment(&mut self, minutes: &[f64], first: u8, count: u8, len: u16) {
        for i in 0..self.entrants.len() {
            let (Some(r), m) = (self.rates[i], minutes[i]) else {
                continue;
            };
            if m <= 0.0 {
                continue;
            }
            for z in Zone::ALL {
                let n = poisson(self.rng, m * r.fga_per_min * r.shares[z as usize]);
                for _ in 0..n {
                    let made = chance(self.rng, r.pct[z as usize]);
                    self.shot(i, z, made, minutes, first, count, len);
                }
            }
            let mut fta = poisson(self.rng, m * r.fta_per_min);
            while fta > 0 {
                let trip = if fta >= 2 { 2 } else { 1 };
                fta -= trip;
                let made: Vec<bool> = (0..trip).map(|_| chance(self.rng, r.ft_pct)).collect();
                let fouler = self.fouler(i, minutes);
                let rebound = if made.last() == Some(&false) {
                    self.rebound(i, minutes)
                } else {
                    None
                };
                let (period, clock) = self.when(first, count, len);
                self.events.push(Event {
                    period,
                    clock,
                    actor: i as u16,
                    kind: EventKind::FreeThrows {
                        fouler: fouler as u16,
                        made,
                        rebound,
                    },
                });
            }
            let p = self.entrants[i].player;
            for _ in 0..poisson(self.rng, m * p.tov_per_min) {
                let steal = if chance(self.rng, 0.5) {
                    self.pick(i, minutes, false, |q| q.stl_weight)
                        .map(|s| s as u16)
                } else {
                    None
                };
                let (period, clock) = self.when(first, count, len);
                self.events.push(Event {
                    period,
                    clock,
                    actor: i as u16,
                    kind: EventKind::Turnover { steal },
                });
            }
            for _ in 0..poisson(self.rng, m * 0.035 * p.foul_weight) {
                if self.fouls[i] >= 6 {
                    break;
                }
                let Some(drawn) = self.pick(i, minutes, false, |_| 1.0) else {
                    continue;
                };
                self.fouls[i] += 1;
                let (period, clock) = self.when(first, count, len);
                self.events.push(Event {
                    period,
                    clock,
                    actor: i as u16,
                    kind: EventKind::Foul {
                        drawn: drawn as u16,
                    },
                });
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn shot(
        &mut self,
        i: usize,
        z: Zone,
        made: bool,
        minutes: &[f64],
        first: u8,
        count: u8,
        len: u16,
    ) {
        let zi = z as usize;
        let (assist, block, rebound) = if made {
            let a = if chance(self.rng, ASSIST_P[zi]) {
                self.pick(i, minutes, true, |q| q.ast_weight)
                    .map(|a| a as u16)
            } else {
                None
            };
            (a, None, None)
        } else {
            let b = if chance(self.rng, BLOCK_P[zi]) {
                self.pick(i, minutes, false, |q| q.blk_weight)
                    .map(|b| b as u16)
            } else {
                None
            };
            (None, b, self.rebound(i, minutes))
        };
        let (period, clock) = self.when(first, count, len);
        self.events.push(Event {
            period,
            clock,
            actor: i as u16,
            kind: EventKind::FieldGoal {
                zone: z,
                made,
                assist,
                block,
                rebound,
            },
        });
    }

    fn rebound(&mut self, shooter: usize, minutes: &[f64]) -> Option<Rebound> {
        if chance(self.rng, 0.08) {
            return None;
        }
        let offensive = chance(self.rng, 0.25);
        let by = self.pick(shooter, minutes, offensive, |q| q.reb_weight)?;
        Some(Rebound {
            by: by as u16,
            offensive,
        })
    }

    /// The defender who fouled a shooter: weighted by minutes, skipping the fouled-out.
    fn fouler(&mut self, shooter: usize, minutes: &[f64]) -> usize {
        let home = self.entrants[shooter].home;
        let fouls = &self.fouls;
        let entrants = self.entrants;
        let w = |j: usize| {
            if entrants[j].home != home && fouls[j] < 6 {
                minutes[j] * entrants[j].player.foul_weight
            } else {
                0.0
            }
        };
        let j = draw_index(self.rng, entrants.len(), w).unwrap_or_else(|| {
            (0..entrants.len())
                .find(|j| entrants[*j].home != home && minutes[*j] > 0.0)
                .unwrap_or(0)
        });
        self.fouls[j] += 1;
        j
    }

    /// Someone on the court on the same side (`teammate`) or the other side, weighted by
    /// minutes × `weight`, never `actor` himself.
    fn pick(
        &mut self,
        actor: usize,
        minutes: &[f64],
        teammate: bool,
        weight: impl Fn(&Player) -> f64,
    ) -> Option<usize> {
        let home = self.entrants[actor].home;
        let entrants = self.entrants;
        draw_index(self.rng, entrants.len(), |j| {
            if j != actor && (entrants[j].home == home) == teammate {
                minutes[j] * weight(entrants[j].player)
            } else {
                0.0
            }
        })
    }

    fn when(&mut self, first: u8, count: u8, len: u16) -> (u8, u16) {
        let period = first + self.rng.random_range(0..count);
        (period, self.rng.random_range(1..len))
    }
}

/// An index in `0..n` drawn with probability proportional to `w(i)`, without allocating
/// (this runs a few hundred times per game); `None` when every weight is zero.
fn draw_index(rng: &mut SimRng, n: usize, w: impl Fn(usize) -> f64) -> Option<usize> {
    let total: f64 = (0..n).map(&w).sum();
    if total <= 0.0 {
        return None;
    }
    let mut x = rng.random::<f64>() * total;
    let mut last = None;
    for i in 0..n {
        let wi = w(i);
        if wi > 0.0 {
            if x < wi {
                return Some(i);
            }
            x -= wi;
            last = Some(i);
        }
    }
    last
}

fn score(events: &[Event], entrants: &[Entrant<'_>]) -> (u32, u32) {
    let mut s = (0, 0);
    for e in events {
        let pts = event_points(e);
        if entrants[e.actor as usize].home {
            s.0 += pts;
        } else {
            s.1 += pts;
        }
    }
    s
}

/// Points the actor scored on this play.
pub fn event_points(e: &Event) -> u32 {
    match &e.kind {
        EventKind::FieldGoal {
            zone, made: true, ..
        } => zone.points(),
        EventKind::FreeThrows { made, .. } => made.iter().filter(|m| **m).count() as u32,
        _ => 0,
    }
}

fn tally(events: &[Event], players: &mut [PlayerGame]) {
    for e in events {
        let a = e.actor as usize;
        match &e.kind {
            EventKind::FieldGoal {
                zone,
                made,
                assist,
                block,
                rebound,
            } => {
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
            EventKind::FreeThrows {
                fouler,
                made,
                rebound,
            } => {
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
fn plus_minus(players: &mut [PlayerGame], home_margin: i32) {
    for home in [true, false] {
        let margin = if home { home_margin } else { -home_margin };
        let idx: Vec<usize> = (0..players.len())
            .filter(|i| players[*i].home == home && players[*i].stats.min > 0)
            .collect();
        let total_min: u32 = idx.iter().map(|i| players[*i].stats.min).sum();
        if total_min == 0 {
            continue;
        }
        let w: Vec<f64> = idx
            .iter()
            .map(|i| {
                f64::from(players[*i].stats.min) / f64::from(total_min)
                    * f64::from(5 * margin.abs())
            })
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
