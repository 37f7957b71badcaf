//! Sportsbook lines: player points, spreads and totals from three books, in snapshots.
//!
//! Books see the true mean through a shared error (books copy each other) plus their own noise;
//! the shared error shrinks through the day, so lines open in the morning and drift toward the
//! truth by tip-off. Prices carry a vig and lean with where the book's estimate sits inside the
//! half-point line, as real prices do (−130/+100 around a line the book thinks is short).

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::America::New_York;
use rand::Rng;
use sha2::{Digest, Sha256};

use super::boxscore::{GameSim, Participation};
use super::injuries::InjuryStatus;
use super::players::Player;
use super::rng::{SimRng, normal};
use super::schedule::ScheduledGame;

/// (key, title) as the Odds API spells them.
pub const BOOKS: [(&str, &str); 3] = [("draftkings", "DraftKings"), ("fanduel", "FanDuel"), ("betmgm", "BetMGM")];

/// Shrinkage of the shared error at each snapshot (the last is the pre-tip one).
const DECAY: [f64; 4] = [1.0, 0.85, 0.7, 0.55];

#[derive(Clone, Debug, PartialEq)]
pub struct PropLine {
    /// Index into the league's players.
    pub player: usize,
    pub line: f64,
    pub over: i32,
    pub under: i32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BookLines {
    /// Index into [`BOOKS`].
    pub book: usize,
    pub last_update: DateTime<Utc>,
    pub props: Vec<PropLine>,
    /// Home team's spread point (negative = favourite) and both prices.
    pub spread: (f64, i32, i32),
    /// Total points line, over and under prices.
    pub total: (f64, i32, i32),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub at: DateTime<Utc>,
    pub books: Vec<BookLines>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GameOdds {
    pub event_id: String,
    pub snapshots: Vec<Snapshot>,
}

impl GameOdds {
    /// The latest snapshot at or before `t`, and its position.
    pub fn at(&self, t: DateTime<Utc>) -> Option<(usize, &Snapshot)> {
        self.snapshots.iter().enumerate().rev().find(|(_, s)| s.at <= t)
    }
}

/// A 32-hex-digit event id, like the Odds API's, stable for a seed and game.
pub fn event_id(seed: u64, game_id: &str) -> String {
    let digest = Sha256::digest(format!("sim-odds:{seed}:{game_id}").as_bytes());
    hex::encode(digest)[..32].to_string()
}

/// Snapshot times: 07:00, 12:00 and 17:00 ET on game day (when before tip-off) and tip − 30 min.
pub fn snapshot_times(g: &ScheduledGame) -> Vec<DateTime<Utc>> {
    let pre_tip = g.tip_off - Duration::minutes(30);
    let mut out: Vec<DateTime<Utc>> = [7, 12, 17]
        .iter()
        .filter_map(|h| g.date.naive().and_hms_opt(*h, 0, 0))
        .filter_map(|n| New_York.from_local_datetime(&n).single())
        .map(|t| t.with_timezone(&Utc))
        .filter(|t| *t < pre_tip)
        .collect();
    out.push(pre_tip);
    out
}

/// Lines for one game.
pub fn draw(rng: &mut SimRng, seed: u64, g: &ScheduledGame, sim: &GameSim, players: &[Player]) -> GameOdds {
    let times = snapshot_times(g);
    let first_decay = DECAY.len() - times.len();
    // Who gets a line, the mean the books aim at, and whether he is scratched late.
    struct Target {
        player: usize,
        mean: f64,
        shared: f64,
        book: [f64; 3],
        scratched: bool,
    }
    let targets: Vec<Target> = sim
        .players
        .iter()
        .filter(|pg| pg.injury != Some(InjuryStatus::Out))
        .filter_map(|pg| {
            let p = &players[pg.player];
            let scratched = pg.participation == Participation::Inactive;
            // A late scratch was priced on his usual role until he was ruled out.
            let mean = if scratched { p.base_minutes * p.scoring_rate() } else { pg.expected_points };
            let minutes = if scratched { p.base_minutes } else { pg.expected_minutes };
            (minutes >= 14.0).then(|| Target {
                player: pg.player,
                mean,
                shared: normal(rng, 0.0, 1.6),
                book: [0; 3].map(|_| normal(rng, 0.0, 0.6)),
                scratched,
            })
        })
        .collect();
    let side = |home: bool| -> f64 { sim.players.iter().filter(|p| p.home == home).map(|p| p.expected_points).sum() };
    let (home_mean, away_mean) = (side(true), side(false));
    let margin_err = normal(rng, 0.0, 1.8);
    let total_err = normal(rng, 0.0, 3.0);
    let book_game: Vec<(f64, f64)> = BOOKS.iter().map(|_| (normal(rng, 0.0, 0.5), normal(rng, 0.0, 0.8))).collect();
    let mut snapshots = Vec::with_capacity(times.len());
    for (k, at) in times.iter().enumerate() {
        let decay = DECAY[first_decay + k];
        let last = k + 1 == times.len();
        let books = (0..BOOKS.len())
            .map(|b| {
                let props = targets
                    .iter()
                    .filter(|t| !(last && t.scratched))
                    .map(|t| {
                        let est = t.mean + t.shared * decay + t.book[b] + normal(rng, 0.0, 0.25);
                        let (line, over, under) = price_half_line(rng, est.max(1.0), 0.07);
                        PropLine { player: t.player, line, over, under }
                    })
                    .collect();
                let margin = home_mean - away_mean + margin_err * decay + book_game[b].0;
                let (m_line, home_price, away_price) = price_half_line(rng, margin, 0.03);
                let total = home_mean + away_mean + total_err * decay + book_game[b].1;
                BookLines {
                    book: b,
                    last_update: *at - Duration::seconds(rng.random_range(0..120)),
                    props,
                    spread: (-m_line, home_price, away_price),
                    total: price_half_line(rng, total, 0.03),
                }
            })
            .collect();
        snapshots.push(Snapshot { at: *at, books });
    }
    GameOdds { event_id: event_id(seed, &g.game_id), snapshots }
}

/// The nearest x.5 line to `est` and (over, under) American prices with about 4.5 % vig:
/// the side the estimate leans to is priced shorter.
fn price_half_line(rng: &mut SimRng, est: f64, slope: f64) -> (f64, i32, i32) {
    let line = est.floor() + 0.5;
    let lean = est - line;
    let p_over = (0.5 + lean * slope + normal(rng, 0.0, 0.01)).clamp(0.3, 0.7);
    (line, american(p_over * 1.045), american((1.0 - p_over) * 1.045))
}

/// Implied probability to an American price, rounded to 5 like the books print.
pub fn american(p: f64) -> i32 {
    let raw = if p >= 0.5 { -100.0 * p / (1.0 - p) } else { 100.0 * (1.0 - p) / p };
    let r = ((raw / 5.0).round() * 5.0) as i32;
    if r.abs() < 100 { if r < 0 { -100 } else { 100 } } else { r }
}

/// American to decimal, rounded to 2 places as the Odds API prints it.
pub fn decimal(american: i32) -> f64 {
    let a = f64::from(american);
    let d = if a > 0.0 { 1.0 + a / 100.0 } else { 1.0 + 100.0 / a.abs() };
    (d * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::stream;

    #[test]
    fn even_lean_is_minus_110_both_ways() {
        assert_eq!(american(0.5 * 1.045), -110);
        assert_eq!(decimal(-110), 1.91);
        assert_eq!(decimal(150), 2.5);
        let (line, o, u) = price_half_line(&mut stream(1, "p", 0), 20.5, 0.07);
        assert_eq!(line, 20.5);
        assert!((-125..=-100).contains(&o) && (-125..=-100).contains(&u), "{o} {u}");
        let implied = |a: i32| 1.0 / decimal(a);
        let hold = implied(o) + implied(u);
        assert!((1.03..1.07).contains(&hold), "vig {hold}");
    }
}
