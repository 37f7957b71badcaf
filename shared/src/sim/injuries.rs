//! Injury spells: stretches in which a player is Out or Day-To-Day.
//!
//! Spells are drawn up front for the whole season so that the roster endpoint (as of a date),
//! the box scores (DNPs) and the sportsbooks (no line for an Out player) all agree.

use chrono::{Duration, NaiveDate};
use rand::Rng;

use super::players::Player;
use super::rng::{poisson, stream};
use crate::game_date::GameDate;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InjuryStatus {
    Out,
    DayToDay,
}

impl InjuryStatus {
    /// ESPN's `status` string.
    pub fn label(self) -> &'static str {
        match self {
            InjuryStatus::Out => "Out",
            InjuryStatus::DayToDay => "Day-To-Day",
        }
    }
}

/// One spell; `player` indexes the league's players.
#[derive(Clone, Debug, PartialEq)]
pub struct InjurySpell {
    pub player: usize,
    pub status: InjuryStatus,
    pub first_day: GameDate,
    pub last_day: GameDate,
    pub body_part: &'static str,
    pub location: &'static str,
    pub side: &'static str,
}

impl InjurySpell {
    pub fn covers(&self, d: GameDate) -> bool {
        self.first_day <= d && d <= self.last_day
    }

    /// The expected return: the day after the spell.
    pub fn return_date(&self) -> GameDate {
        self.last_day.next()
    }
}

const PARTS: &[(&str, &str)] = &[
    ("Ankle", "Leg"),
    ("Knee", "Leg"),
    ("Hamstring", "Leg"),
    ("Calf", "Leg"),
    ("Back", "Torso"),
    ("Hip", "Leg"),
    ("Wrist", "Arm"),
    ("Illness", "Other"),
    ("Foot", "Leg"),
    ("Shoulder", "Arm"),
];

/// Spells for every player (indexed like `players`), between `first` and `last` (the season's
/// first and last game days).
pub fn draw_spells(seed: u64, players: &[Player], first: NaiveDate, last: NaiveDate) -> Vec<Vec<InjurySpell>> {
    let mut rng = stream(seed, "injuries", 0);
    let span = (last - first).num_days().max(1);
    let mut all = Vec::with_capacity(players.len());
    for (i, _) in players.iter().enumerate() {
        let mut out = Vec::new();
        // About 1.3 players per team are out on a given night, as in the real league.
        let n = poisson(&mut rng, 1.5);
        for _ in 0..n {
            let start = first + Duration::days(rng.random_range(0..span));
            let out_spell = rng.random::<f64>() < 0.5;
            let len = if out_spell {
                if rng.random::<f64>() < 0.2 { rng.random_range(20..=60) } else { rng.random_range(3..=20) }
            } else {
                rng.random_range(1..=4)
            };
            let (part, location) = PARTS[rng.random_range(0..PARTS.len())];
            let side = if location == "Leg" || location == "Arm" {
                if rng.random::<bool>() { "Left" } else { "Right" }
            } else {
                "Not Specified"
            };
            out.push(InjurySpell {
                player: i,
                status: if out_spell { InjuryStatus::Out } else { InjuryStatus::DayToDay },
                first_day: GameDate::new(start),
                last_day: GameDate::new(start + Duration::days(len - 1)),
                body_part: part,
                location,
                side,
            });
        }
        all.push(out);
    }
    all
}

/// The spell of one player's `spells` that applies on `d`; Out wins over Day-To-Day when spells
/// overlap.
pub fn status_on(spells: &[InjurySpell], d: GameDate) -> Option<&InjurySpell> {
    let mut found: Option<&InjurySpell> = None;
    for s in spells.iter().filter(|s| s.covers(d)) {
        match found {
            Some(f) if f.status == InjuryStatus::Out => {}
            _ => found = Some(s),
        }
    }
    found
}
