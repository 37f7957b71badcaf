//! The regular-season schedule: 1,230 games, 82 per team, late October to mid April.
//!
//! Matchups follow the NBA's structure (two games against every team of the other conference,
//! three or four against conference rivals, 41 home games each). Dates are filled day by day,
//! most-behind teams first, so back-to-backs occur about as often as in the real league
//! (never three nights in a row) and the season ends on time.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::America::New_York;
use rand::Rng;
use rand::seq::SliceRandom;

use super::rng::{SimRng, normal, stream};
use super::teams::TEAMS;
use crate::game_date::GameDate;

/// One scheduled game.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledGame {
    /// Position in the season's order (date, tip-off, home tricode).
    pub index: usize,
    /// The NBA feeds' id, `002YY#####`.
    pub nba_game_id: String,
    /// The pipeline's canonical key, `YYYYMMDD_AWAY_HOME`.
    pub game_id: String,
    pub date: GameDate,
    pub tip_off: DateTime<Utc>,
    pub home: usize,
    pub away: usize,
}

/// Opening night: the Tuesday between Oct 20 and Oct 26, as in recent seasons.
pub fn opening_day(start_year: i32) -> NaiveDate {
    let mut d = NaiveDate::from_ymd_opt(start_year, 10, 20).unwrap_or(NaiveDate::MIN);
    while d.weekday() != Weekday::Tue {
        d = d.succ_opt().unwrap_or(d);
    }
    d
}

/// The game days of the season: opening to opening + 173 days, minus the All-Star break,
/// Thanksgiving and Christmas Eve.
fn game_days(start_year: i32) -> Vec<NaiveDate> {
    let open = opening_day(start_year);
    let feb13 = NaiveDate::from_ymd_opt(start_year + 1, 2, 13).unwrap_or(open);
    let mut all_star = feb13;
    while all_star.weekday() != Weekday::Thu {
        all_star = all_star.succ_opt().unwrap_or(all_star);
    }
    let mut thanksgiving = NaiveDate::from_ymd_opt(start_year, 11, 22).unwrap_or(open);
    while thanksgiving.weekday() != Weekday::Thu {
        thanksgiving = thanksgiving.succ_opt().unwrap_or(thanksgiving);
    }
    let xmas_eve = NaiveDate::from_ymd_opt(start_year, 12, 24).unwrap_or(open);
    (0..=173)
        .map(|k| open + Duration::days(k))
        .filter(|d| {
            let in_break = *d >= all_star && *d < all_star + Duration::days(6);
            !in_break && *d != thanksgiving && *d != xmas_eve
        })
        .collect()
}

/// Every (home, away) pairing of the season, 1,230 in all.
fn matchups(rng: &mut SimRng) -> Vec<(usize, usize)> {
    let mut east: Vec<usize> = (0..TEAMS.len()).filter(|t| TEAMS[*t].east).collect();
    let mut west: Vec<usize> = (0..TEAMS.len()).filter(|t| !TEAMS[*t].east).collect();
    east.shuffle(rng);
    west.shuffle(rng);
    let mut out = Vec::with_capacity(1230);
    for &e in &east {
        for &w in &west {
            out.push((e, w));
            out.push((w, e));
        }
    }
    for conf in [&east, &west] {
        let n = conf.len();
        for i in 0..n {
            for j in (i + 1)..n {
                let (a, b) = (conf[i], conf[j]);
                let fwd = (j - i) % n;
                let back = (n + i - j) % n;
                if fwd <= 2 {
                    // a hosts twice: every team hosts two of its four three-game sets.
                    out.extend([(a, b), (a, b), (b, a)]);
                } else if back <= 2 {
                    out.extend([(b, a), (b, a), (a, b)]);
                } else {
                    out.extend([(a, b), (a, b), (b, a), (b, a)]);
                }
            }
        }
    }
    out
}

/// Builds the season's schedule for `seed`.
pub fn build(seed: u64, start_year: i32) -> Vec<ScheduledGame> {
    let mut rng = stream(seed, "schedule", 0);
    let mut pool = matchups(&mut rng);
    pool.shuffle(&mut rng);
    let mut days = game_days(start_year);
    let nteams = TEAMS.len();
    let mut remaining = vec![82usize; nteams];
    // Last two dates each team played.
    let mut last: Vec<[Option<NaiveDate>; 2]> = vec![[None, None]; nteams];
    let mut placed: Vec<(NaiveDate, usize, usize)> = Vec::with_capacity(pool.len());
    let k_days = days.len();
    for (k, day) in days.iter().enumerate() {
        let left_days = (k_days - k) as f64;
        let weekday_factor = match day.weekday() {
            Weekday::Mon => 1.0,
            Weekday::Tue => 0.85,
            Weekday::Wed => 1.25,
            Weekday::Thu => 0.7,
            Weekday::Fri => 1.2,
            Weekday::Sat => 1.0,
            Weekday::Sun => 0.95,
        };
        let base = pool.len() as f64 / left_days;
        let target = (base * weekday_factor + normal(&mut rng, 0.0, 1.2)).round().clamp(2.0, 15.0) as usize;
        let urgency: Vec<f64> = remaining.iter().map(|r| *r as f64 / left_days).collect();
        let mut order: Vec<(f64, usize)> = pool
            .iter()
            .enumerate()
            .map(|(i, (h, a))| (urgency[*h] + urgency[*a] + rng.random::<f64>() * 0.3, i))
            .collect();
        // Only the most urgent games can make today's slate: order those, not the whole pool.
        let by_urgency = |x: &(f64, usize), y: &(f64, usize)| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1));
        let head = (target * 8 + 40).min(order.len());
        if head < order.len() {
            order.select_nth_unstable_by(head, by_urgency);
        }
        order[..head].sort_unstable_by(by_urgency);
        order.truncate(head);
        let mut busy = vec![false; nteams];
        let mut chosen = Vec::new();
        for (_, i) in order {
            if chosen.len() >= target {
                break;
            }
            let (h, a) = pool[i];
            if busy[h] || busy[a] {
                continue;
            }
            let ok = [h, a].iter().all(|&t| {
                let played_yesterday = last[t][0] == day.pred_opt();
                let played_two_ago = last[t][1] == day.pred_opt().and_then(|d| d.pred_opt());
                if played_yesterday && played_two_ago {
                    return false;
                }
                !played_yesterday || urgency[t] > 0.62 || rng.random::<f64>() < 0.18
            });
            if !ok {
                continue;
            }
            busy[h] = true;
            busy[a] = true;
            chosen.push(i);
        }
        chosen.sort_unstable_by(|a, b| b.cmp(a));
        for i in chosen {
            let (h, a) = pool.swap_remove(i);
            for t in [h, a] {
                remaining[t] -= 1;
                last[t] = [Some(*day), last[t][0]];
            }
            placed.push((*day, h, a));
        }
    }
    // Whatever the greedy pass left goes on the first game day both teams can play (rare),
    // after the last one if need be.
    let mut plays: HashSet<(usize, NaiveDate)> = placed.iter().flat_map(|(d, h, a)| [(*h, *d), (*a, *d)]).collect();
    for (h, a) in pool {
        let mut i = 0;
        let d = loop {
            let d = match days.get(i) {
                Some(d) => *d,
                None => {
                    let next = days.last().and_then(|d| d.succ_opt()).unwrap_or(NaiveDate::MIN);
                    days.push(next);
                    next
                }
            };
            if can_play(&plays, h, d) && can_play(&plays, a, d) {
                break d;
            }
            i += 1;
        };
        plays.insert((h, d));
        plays.insert((a, d));
        placed.push((d, h, a));
    }
    finish(&mut rng, placed, start_year)
}

/// Free on `d` and not making three nights in a row.
fn can_play(plays: &HashSet<(usize, NaiveDate)>, t: usize, d: NaiveDate) -> bool {
    let on = |k: i64| plays.contains(&(t, d + Duration::days(k)));
    let three_in_a_row = (on(-2) && on(-1)) || (on(-1) && on(1)) || (on(1) && on(2));
    !on(0) && !three_in_a_row
}

fn finish(rng: &mut SimRng, placed: Vec<(NaiveDate, usize, usize)>, start_year: i32) -> Vec<ScheduledGame> {
    let mut games: Vec<(NaiveDate, DateTime<Utc>, usize, usize)> =
        placed.into_iter().map(|(d, h, a)| (d, tip_off(rng, d, h), h, a)).collect();
    games.sort_by(|x, y| (x.0, x.1, TEAMS[x.2].tricode).cmp(&(y.0, y.1, TEAMS[y.2].tricode)));
    games
        .into_iter()
        .enumerate()
        .map(|(i, (d, tip, h, a))| {
            let date = GameDate::new(d);
            ScheduledGame {
                index: i,
                nba_game_id: format!("002{:02}{:05}", start_year.rem_euclid(100), i + 1),
                game_id: format!("{}_{}_{}", date.compact(), TEAMS[a].tricode, TEAMS[h].tricode),
                date,
                tip_off: tip,
                home: h,
                away: a,
            }
        })
        .collect()
}

/// An evening tip in the home arena's time, expressed in UTC; some weekend matinees.
fn tip_off(rng: &mut SimRng, d: NaiveDate, home: usize) -> DateTime<Utc> {
    let behind = TEAMS[home].hours_behind_eastern();
    let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    let (hour, minute) = if weekend && rng.random::<f64>() < 0.2 {
        (13 + 2 * rng.random_range(0..3u32), if rng.random::<bool>() { 0 } else { 30 })
    } else {
        let local_hour = if rng.random::<f64>() < 0.3 { 18 } else { 19 };
        let minute = if rng.random::<bool>() { 0 } else { 30 };
        ((local_hour + behind).min(22), minute)
    };
    let naive = d.and_hms_opt(hour, minute, 0).unwrap_or_default();
    match New_York.from_local_datetime(&naive).single() {
        Some(t) => t.with_timezone(&Utc),
        None => Utc.from_utc_datetime(&(naive + Duration::hours(5))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matchups_balance() {
        let m = matchups(&mut stream(1, "m", 0));
        assert_eq!(m.len(), 1230);
        for t in 0..30 {
            assert_eq!(m.iter().filter(|(h, _)| *h == t).count(), 41);
            assert_eq!(m.iter().filter(|(_, a)| *a == t).count(), 41);
        }
    }

    #[test]
    fn opening_is_a_tuesday_in_late_october() {
        assert_eq!(opening_day(2024).to_string(), "2024-10-22");
        assert_eq!(opening_day(2023).to_string(), "2023-10-24");
    }
}
