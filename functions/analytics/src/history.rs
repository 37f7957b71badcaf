//! What a team's or player's past games say before a new game: rest and workload. Pure
//! functions of dates strictly before the game date (the callers read only `DaysBefore` data).

use props_core::GameDate;
use props_core::tables::rows::raw::ScheduleRow;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rest {
    /// Full days off since the last game (0 = back-to-back); `None` without a previous game.
    pub days_rest: Option<i32>,
    pub back_to_back: bool,
    pub games_last_7: i32,
    pub games_last_14: i32,
    /// Pairs of games on consecutive days, both within the last 14 days.
    pub back_to_backs_last_14: i32,
}

/// `played`: the dates of previous games (any order, duplicates allowed); dates on or after
/// `d` are ignored, so a caller cannot leak the game day into rest.
pub fn rest(played: &[GameDate], d: GameDate) -> Rest {
    let mut dates: Vec<GameDate> = played.iter().copied().filter(|x| *x < d).collect();
    dates.sort();
    dates.dedup();
    let within = |n: u64| dates.iter().filter(|x| **x >= d.minus_days(n)).count() as i32;
    let last = dates.last().copied();
    let recent: Vec<GameDate> = dates.iter().copied().filter(|x| *x >= d.minus_days(14)).collect();
    let b2b = recent.windows(2).filter(|w| w[0].next() == w[1]).count() as i32;
    Rest {
        days_rest: last.map(|l| (l.days_until(d) - 1) as i32),
        back_to_back: last == Some(d.prev()),
        games_last_7: within(7),
        games_last_14: within(14),
        back_to_backs_last_14: b2b,
    }
}

/// Scheduled games that have box scores and lines: not preseason or All-Star exhibitions.
pub fn counts(game: &ScheduleRow) -> bool {
    !matches!(game.season_type.as_str(), "preseason" | "all_star")
}

/// `sample_quality` from the number of games behind the averages.
pub fn sample_quality(games: usize) -> &'static str {
    match games {
        10.. => "high",
        5..=9 => "medium",
        1..=4 => "low",
        0 => "none",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> GameDate {
        s.parse().unwrap()
    }

    #[test]
    fn rest_and_workload() {
        let played = [d("2024-03-04"), d("2024-03-03"), d("2024-02-28"), d("2024-02-19"), d("2024-03-05")];
        let r = rest(&played, d("2024-03-05"));
        assert_eq!(r.days_rest, Some(0));
        assert!(r.back_to_back);
        assert_eq!((r.games_last_7, r.games_last_14), (3, 3));
        assert_eq!(r.back_to_backs_last_14, 1, "03-03/03-04; the game day itself is ignored");
        let r = rest(&[d("2024-03-01")], d("2024-03-05"));
        assert_eq!((r.days_rest, r.back_to_back), (Some(3), false));
        assert_eq!(rest(&[], d("2024-03-05")).days_rest, None);
        assert_eq!(sample_quality(10), "high");
        assert_eq!(sample_quality(0), "none");
    }
}
