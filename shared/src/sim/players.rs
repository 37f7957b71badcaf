//! Rosters: who is on each team and the latent talent the box scores are drawn from.
//!
//! Each player carries a shot volume, a zone profile (paint / mid-range / three shares and
//! percentages) and a free-throw rate; his scoring rate is not a free parameter but follows from
//! them, so zone defence and pace act on points through the same channel they act on shots.

use chrono::NaiveDate;
use rand::Rng;

use super::names::{PlayerName, draw_names};
use super::rng::{SimRng, normal, stream, uniform};
use super::teams::TEAMS;

/// Court zones of a field-goal attempt, in the order of every `[f64; 3]` here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Zone {
    Paint = 0,
    Mid = 1,
    Three = 2,
}

impl Zone {
    pub const ALL: [Zone; 3] = [Zone::Paint, Zone::Mid, Zone::Three];

    pub fn points(self) -> u32 {
        if self == Zone::Three { 3 } else { 2 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    PG,
    SG,
    SF,
    PF,
    C,
}

impl Position {
    /// ESPN's (id, name, abbreviation).
    pub fn espn(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Position::PG => ("1", "Point Guard", "PG"),
            Position::SG => ("2", "Shooting Guard", "SG"),
            Position::SF => ("3", "Small Forward", "SF"),
            Position::PF => ("4", "Power Forward", "PF"),
            Position::C => ("5", "Center", "C"),
        }
    }
}

/// One player and his latent talent.
#[derive(Clone, Debug)]
pub struct Player {
    /// NBA person id (stats/cdn feeds).
    pub id: u32,
    /// ESPN athlete id: a different number, as in reality, so joins go through names.
    pub espn_id: u32,
    pub team: usize,
    pub name: PlayerName,
    pub position: Position,
    pub age: u32,
    pub birth_date: NaiveDate,
    pub jersey: u32,
    /// Depth-chart rank within the team (0 = first option).
    pub slot: usize,
    /// Minutes he gets in a normal game before the team total is fixed to 240.
    pub base_minutes: f64,
    pub fga_per_min: f64,
    pub shares: [f64; 3],
    pub pct: [f64; 3],
    /// Free-throw attempts per field-goal attempt.
    pub ft_rate: f64,
    pub ft_pct: f64,
    pub reb_weight: f64,
    pub ast_weight: f64,
    pub stl_weight: f64,
    pub blk_weight: f64,
    pub tov_per_min: f64,
    pub foul_weight: f64,
}

impl Player {
    /// Expected points per field-goal attempt, free throws included, before any context.
    pub fn points_per_fga(&self) -> f64 {
        Zone::ALL.iter().map(|z| self.shares[*z as usize] * f64::from(z.points()) * self.pct[*z as usize]).sum::<f64>()
            + self.ft_rate * self.ft_pct
    }

    /// The latent scoring rate: points per minute in a neutral game.
    pub fn scoring_rate(&self) -> f64 {
        self.fga_per_min * self.points_per_fga()
    }
}

/// Team-level traits that move opponents' and own numbers.
#[derive(Clone, Debug)]
pub struct TeamProfile {
    /// Possessions per 48 minutes; the game's pace is the mean of both teams'.
    pub pace: f64,
    /// Multipliers on opponents' shooting percentage by zone (< 1 = good defence there).
    pub zone_defence: [f64; 3],
}

const SLOT_MINUTES: [f64; 15] = [34.0, 33.0, 31.0, 29.0, 27.0, 24.0, 22.0, 19.0, 15.0, 11.0, 7.0, 4.0, 3.0, 2.0, 1.0];
const SLOT_PPM: [f64; 15] = [0.76, 0.60, 0.52, 0.45, 0.40, 0.45, 0.42, 0.38, 0.36, 0.34, 0.32, 0.30, 0.30, 0.28, 0.28];
const SLOT_POS: [Position; 15] = [
    Position::PG,
    Position::SF,
    Position::SG,
    Position::PF,
    Position::C,
    Position::SG,
    Position::PF,
    Position::PG,
    Position::C,
    Position::SF,
    Position::SG,
    Position::PF,
    Position::PG,
    Position::C,
    Position::SF,
];

/// (shares, pct, ft_rate, ft_pct, reb, ast, stl, blk) by position.
fn position_profile(p: Position) -> ([f64; 3], [f64; 3], f64, f64, [f64; 4]) {
    match p {
        Position::PG => ([0.34, 0.20, 0.46], [0.55, 0.44, 0.36], 0.25, 0.85, [0.6, 2.2, 1.3, 0.4]),
        Position::SG => ([0.30, 0.20, 0.50], [0.56, 0.43, 0.37], 0.22, 0.84, [0.7, 1.2, 1.2, 0.5]),
        Position::SF => ([0.36, 0.19, 0.45], [0.57, 0.43, 0.36], 0.25, 0.80, [1.0, 1.0, 1.0, 0.8]),
        Position::PF => ([0.46, 0.18, 0.36], [0.59, 0.42, 0.35], 0.28, 0.76, [1.4, 0.8, 0.9, 1.3]),
        Position::C => ([0.66, 0.14, 0.20], [0.64, 0.40, 0.33], 0.36, 0.70, [2.0, 0.7, 0.8, 2.4]),
    }
}

/// Rosters (13–15 players per team) and team profiles for a league seed.
pub fn draw_rosters(seed: u64, start_year: i32) -> (Vec<Player>, Vec<TeamProfile>) {
    let mut rng = stream(seed, "rosters", 0);
    let sizes: Vec<usize> = (0..TEAMS.len()).map(|_| rng.random_range(13..=15)).collect();
    let names = draw_names(&mut rng, sizes.iter().sum());
    let mut names = names.into_iter();
    let mut players = Vec::new();
    let mut profiles = Vec::new();
    for (t, size) in sizes.iter().enumerate() {
        profiles.push(TeamProfile {
            pace: uniform(&mut rng, 96.5, 103.5),
            zone_defence: [uniform(&mut rng, 0.93, 1.07), uniform(&mut rng, 0.93, 1.07), uniform(&mut rng, 0.93, 1.07)],
        });
        let mut jerseys: Vec<u32> = (0..=45).collect();
        for slot in 0..*size {
            let Some(name) = names.next() else { break };
            let j = rng.random_range(0..jerseys.len());
            let jersey = jerseys.swap_remove(j);
            let n = players.len();
            players.push(draw_player(&mut rng, (t, slot, n), name, jersey, start_year));
        }
    }
    (players, profiles)
}

fn draw_player(
    rng: &mut SimRng,
    (team, slot, n): (usize, usize, usize),
    name: PlayerName,
    jersey: u32,
    start_year: i32,
) -> Player {
    let position = SLOT_POS[slot];
    let (shares0, pct0, ftr0, ftp0, w) = position_profile(position);
    let mut shares = shares0.map(|s| (s * normal(rng, 1.0, 0.18)).max(0.03));
    let total: f64 = shares.iter().sum();
    shares.iter_mut().for_each(|s| *s /= total);
    let pct = [
        (pct0[0] + normal(rng, 0.0, 0.035)).clamp(0.45, 0.75),
        (pct0[1] + normal(rng, 0.0, 0.035)).clamp(0.30, 0.52),
        (pct0[2] + normal(rng, 0.0, 0.025)).clamp(0.26, 0.45),
    ];
    let ft_rate = (ftr0 * normal(rng, 1.0, 0.2)).clamp(0.08, 0.6);
    let ft_pct = (ftp0 + normal(rng, 0.0, 0.05)).clamp(0.5, 0.95);
    let age = rng.random_range(19..=37u32);
    let base_minutes = (SLOT_MINUTES[slot] * normal(rng, 1.0, 0.06)).max(0.5);
    let ppm = (SLOT_PPM[slot] * 0.95 * normal(rng, 1.0, 0.12)).clamp(0.15, 1.05);
    let mut p = Player {
        id: 1_690_000 + (n as u32) * 7 + 3,
        espn_id: 4_700_000 + (n as u32) * 13 + 1,
        team,
        name,
        position,
        age,
        birth_date: birth_date(rng, age, start_year),
        jersey,
        slot,
        base_minutes,
        fga_per_min: 0.0,
        shares,
        pct,
        ft_rate,
        ft_pct,
        reb_weight: w[0] * normal(rng, 1.0, 0.15).max(0.2),
        ast_weight: w[1] * normal(rng, 1.0, 0.2).max(0.2),
        stl_weight: w[2] * normal(rng, 1.0, 0.2).max(0.2),
        blk_weight: w[3] * normal(rng, 1.0, 0.25).max(0.1),
        tov_per_min: 0.02 + 0.025 * w[1] * normal(rng, 1.0, 0.2).max(0.3),
        foul_weight: normal(rng, 1.0, 0.2).max(0.3),
    };
    p.fga_per_min = ppm / p.points_per_fga();
    p
}

fn birth_date(rng: &mut SimRng, age: u32, start_year: i32) -> NaiveDate {
    // `age` is as of the season's opening, give or take the birthday.
    let year = start_year - age as i32 - i32::from(rng.random::<bool>());
    let ordinal = rng.random_range(1..=365u32);
    NaiveDate::from_yo_opt(year, ordinal).unwrap_or(NaiveDate::MIN)
}
