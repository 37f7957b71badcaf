//! Drawing one game: minutes, then every player's shots, trips to the line, turnovers and
//! fouls, with the teammates and opponents they involve, then overtime while level.

use rand::Rng;

use super::boxscore::{
    Event, EventKind, GameSim, Participation, PlayerGame, Rebound, Stats, event_points, plus_minus, round_to_total,
    tally,
};
use super::injuries::InjuryStatus;
use super::model::{Rates, TeamContext, cap_and_fill, expected_minutes, rates};
use super::players::{Player, Zone};
use super::rng::{SimRng, chance, normal, poisson};

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
pub fn simulate(rng: &mut SimRng, entrants: &[Entrant<'_>], ctx: (&TeamContext, &TeamContext)) -> GameSim {
    let mut players: Vec<PlayerGame> = entrants
        .iter()
        .map(|e| PlayerGame {
            player: e.index,
            home: e.home,
            participation: if e.inactive { Participation::Inactive } else { Participation::Played },
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
        let idx: Vec<usize> =
            (0..entrants.len()).filter(|i| entrants[*i].home == home && !entrants[*i].inactive).collect();
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
    let mut sim = Segmenter { rng, entrants, rates: &player_rates, fouls: vec![0; entrants.len()], events: Vec::new() };
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
            let mut idx: Vec<usize> =
                (0..entrants.len()).filter(|i| entrants[*i].home == home && minutes[*i] > 0.0).collect();
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
                kind: EventKind::FieldGoal { zone: Zone::Paint, made: true, assist: None, block: None, rebound: None },
            });
        }
    }
    // Sort small keys, not the events themselves (moving events dominated the run time).
    let mut keys: Vec<(u8, std::cmp::Reverse<u16>, u32)> =
        sim.events.iter().enumerate().map(|(i, e)| (e.period, std::cmp::Reverse(e.clock), i as u32)).collect();
    keys.sort_unstable();
    let mut slots: Vec<Option<Event>> = sim.events.into_iter().map(Some).collect();
    let events: Vec<Event> = keys.iter().filter_map(|k| slots[k.2 as usize].take()).collect();
    tally(&events, &mut players);
    let home_pts: u32 = players.iter().filter(|p| p.home).map(|p| p.stats.pts).sum();
    let away_pts: u32 = players.iter().filter(|p| !p.home).map(|p| p.stats.pts).sum();
    plus_minus(&mut players, home_pts as i32 - away_pts as i32);
    GameSim { players, events, periods, home_pts, away_pts }
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
                let rebound = if made.last() == Some(&false) { self.rebound(i, minutes) } else { None };
                let (period, clock) = self.when(first, count, len);
                self.events.push(Event {
                    period,
                    clock,
                    actor: i as u16,
                    kind: EventKind::FreeThrows { fouler: fouler as u16, made, rebound },
                });
            }
            let p = self.entrants[i].player;
            for _ in 0..poisson(self.rng, m * p.tov_per_min) {
                let steal = if chance(self.rng, 0.5) {
                    self.pick(i, minutes, false, |q| q.stl_weight).map(|s| s as u16)
                } else {
                    None
                };
                let (period, clock) = self.when(first, count, len);
                self.events.push(Event { period, clock, actor: i as u16, kind: EventKind::Turnover { steal } });
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
                    kind: EventKind::Foul { drawn: drawn as u16 },
                });
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn shot(&mut self, i: usize, z: Zone, made: bool, minutes: &[f64], first: u8, count: u8, len: u16) {
        let zi = z as usize;
        let (assist, block, rebound) = if made {
            let a = if chance(self.rng, ASSIST_P[zi]) {
                self.pick(i, minutes, true, |q| q.ast_weight).map(|a| a as u16)
            } else {
                None
            };
            (a, None, None)
        } else {
            let b = if chance(self.rng, BLOCK_P[zi]) {
                self.pick(i, minutes, false, |q| q.blk_weight).map(|b| b as u16)
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
            kind: EventKind::FieldGoal { zone: z, made, assist, block, rebound },
        });
    }

    fn rebound(&mut self, shooter: usize, minutes: &[f64]) -> Option<Rebound> {
        if chance(self.rng, 0.08) {
            return None;
        }
        let offensive = chance(self.rng, 0.25);
        let by = self.pick(shooter, minutes, offensive, |q| q.reb_weight)?;
        Some(Rebound { by: by as u16, offensive })
    }

    /// The defender who fouled a shooter: weighted by minutes, skipping the fouled-out.
    fn fouler(&mut self, shooter: usize, minutes: &[f64]) -> usize {
        let home = self.entrants[shooter].home;
        let fouls = &self.fouls;
        let entrants = self.entrants;
        let w = |j: usize| {
            if entrants[j].home != home && fouls[j] < 6 { minutes[j] * entrants[j].player.foul_weight } else { 0.0 }
        };
        let j = draw_index(self.rng, entrants.len(), w).unwrap_or_else(|| {
            (0..entrants.len()).find(|j| entrants[*j].home != home && minutes[*j] > 0.0).unwrap_or(0)
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
