//! The box-score formulas of phase 3, as pure functions of counts. Every input is optional
//! because feeds miss counts (2023-24 player rows have no made/attempted splits): a missing
//! input gives `None`, never a rate computed from a fake zero.

/// FGA + 0.44·FTA + TOV − OREB.
pub fn possessions(fga: Option<i32>, fta: Option<i32>, tov: Option<i32>, oreb: Option<i32>) -> Option<f64> {
    Some(f64::from(fga?) + 0.44 * f64::from(fta?) + f64::from(tov?) - f64::from(oreb?))
}

/// 100·points / possessions (offensive rating; defensive rating with the opponent's numbers).
pub fn rating(points: Option<i32>, possessions: Option<f64>) -> Option<f64> {
    let p = possessions.filter(|p| *p > 0.0)?;
    Some(100.0 * f64::from(points?) / p)
}

/// Possessions per 48 minutes: possessions·48 / (team minutes / 5).
pub fn pace(possessions: Option<f64>, team_minutes: Option<f64>) -> Option<f64> {
    let m = team_minutes.filter(|m| *m > 0.0)?;
    Some(possessions? * 48.0 / (m / 5.0))
}

/// PTS / (2·(FGA + 0.44·FTA)).
pub fn true_shooting(points: Option<i32>, fga: Option<i32>, fta: Option<i32>) -> Option<f64> {
    let attempts = f64::from(fga?) + 0.44 * f64::from(fta?);
    let points = f64::from(points?);
    (attempts > 0.0).then(|| points / (2.0 * attempts))
}

/// (FGM + 0.5·3PM) / FGA.
pub fn effective_fg(fgm: Option<i32>, tpm: Option<i32>, fga: Option<i32>) -> Option<f64> {
    let a = fga.filter(|a| *a > 0)?;
    Some((f64::from(fgm?) + 0.5 * f64::from(tpm?)) / f64::from(a))
}

/// made / attempted, `None` without attempts.
pub fn pct(made: Option<i32>, attempted: Option<i32>) -> Option<f64> {
    let a = attempted.filter(|a| *a > 0)?;
    Some(f64::from(made?) / f64::from(a))
}

/// Overtime periods from team minutes (240 in regulation, 25 per overtime: 5 players × 5 min).
pub fn overtime_periods(team_minutes: Option<f64>) -> Option<i32> {
    let m = team_minutes.filter(|m| *m > 0.0)?;
    // Rounded: feeds report 240, 265, 290... give or take a rounding minute.
    Some(((m - 240.0) / 25.0).round().max(0.0) as i32)
}

/// A player's counts for usage.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UsageInputs {
    pub fga: Option<i32>,
    pub fta: Option<i32>,
    pub tov: Option<i32>,
    pub minutes: Option<f64>,
}

/// Usage rate in percent: 100·(FGA+0.44·FTA+TOV)·(team minutes/5) / (MIN·(team FGA+0.44·FTA+TOV)).
/// `None` when an input is missing, the player did not play or the team used no possessions.
/// Capped at 100: with a minute or two on the floor the estimate can exceed the whole team's
/// possessions, which says "tiny sample", not "more than all of them".
pub fn usage_rate(player: UsageInputs, team: UsageInputs) -> Option<f64> {
    let min = player.minutes.filter(|m| *m > 0.0)?;
    let team_min = team.minutes.filter(|m| *m > 0.0)?;
    let used = f64::from(player.fga?) + 0.44 * f64::from(player.fta?) + f64::from(player.tov?);
    let team_used = f64::from(team.fga?) + 0.44 * f64::from(team.fta?) + f64::from(team.tov?);
    if team_used <= 0.0 {
        return None;
    }
    let u = 100.0 * used * (team_min / 5.0) / (min * team_used);
    Some(u.clamp(0.0, 100.0))
}

/// Win flag from both teams' points: `None` when either is missing (never a constant).
pub fn win_flag(points: Option<i32>, opponent_points: Option<i32>) -> Option<bool> {
    Some(points? > opponent_points?)
}

pub use props_core::stats::{mean, median, std_dev};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn team_formulas_by_hand() {
        // BOS 2024-03-05 style numbers: 88 FGA, 20 FTA, 11 TOV, 9 OREB, 240 min, 140 PTS.
        let poss = possessions(Some(88), Some(20), Some(11), Some(9)).unwrap();
        assert!((poss - 98.8).abs() < 1e-9);
        assert!((rating(Some(140), Some(poss)).unwrap() - 100.0 * 140.0 / 98.8).abs() < 1e-9);
        assert!((pace(Some(poss), Some(240.0)).unwrap() - 98.8).abs() < 1e-9);
        assert!((pace(Some(poss), Some(265.0)).unwrap() - 98.8 * 48.0 / 53.0).abs() < 1e-9);
        assert!((true_shooting(Some(140), Some(88), Some(20)).unwrap() - 140.0 / (2.0 * 96.8)).abs() < 1e-9);
        assert_eq!(overtime_periods(Some(240.0)), Some(0));
        assert_eq!(overtime_periods(Some(265.0)), Some(1));
        assert_eq!(overtime_periods(Some(291.0)), Some(2));
        assert_eq!(overtime_periods(None), None);
    }

    #[test]
    fn missing_counts_give_none_not_zero() {
        assert_eq!(possessions(None, Some(20), Some(11), Some(9)), None);
        assert_eq!(true_shooting(Some(20), None, None), None);
        assert_eq!(true_shooting(None, Some(10), Some(2)), None);
        assert_eq!(effective_fg(Some(5), None, Some(10)), None);
        assert_eq!(rating(Some(100), Some(0.0)), None);
        assert_eq!(win_flag(Some(100), None), None);
        let team = UsageInputs { fga: Some(88), fta: Some(20), tov: Some(11), minutes: Some(240.0) };
        let zero_min = UsageInputs { fga: Some(0), fta: Some(0), tov: Some(0), minutes: Some(0.0) };
        assert_eq!(usage_rate(zero_min, team), None);
        assert_eq!(usage_rate(UsageInputs { fga: None, ..zero_min }, team), None);
    }

    #[test]
    fn win_flag_reads_both_scores() {
        assert_eq!(win_flag(Some(110), Some(101)), Some(true));
        assert_eq!(win_flag(Some(101), Some(110)), Some(false));
    }

    #[test]
    fn usage_by_hand() {
        let p = UsageInputs { fga: Some(20), fta: Some(10), tov: Some(3), minutes: Some(36.0) };
        let t = UsageInputs { fga: Some(88), fta: Some(20), tov: Some(11), minutes: Some(240.0) };
        let expected = 100.0 * (20.0 + 4.4 + 3.0) * 48.0 / (36.0 * (88.0 + 8.8 + 11.0));
        assert!((usage_rate(p, t).unwrap() - expected).abs() < 1e-9);
    }

    proptest! {
        #[test]
        fn usage_is_never_above_100_nor_negative(
            fga in 0..60i32, fta in 0..40i32, tov in 0..15i32, min in 0.0f64..60.0,
            tfga in 0..130i32, tfta in 0..70i32, ttov in 0..40i32, tmin in 0.0f64..340.0,
        ) {
            let u = usage_rate(
                UsageInputs { fga: Some(fga), fta: Some(fta), tov: Some(tov), minutes: Some(min) },
                UsageInputs { fga: Some(tfga), fta: Some(tfta), tov: Some(ttov), minutes: Some(tmin) },
            );
            if let Some(u) = u {
                prop_assert!((0.0..=100.0).contains(&u), "{u}");
            }
            if min == 0.0 {
                prop_assert!(u.is_none());
            }
        }

        #[test]
        fn true_shooting_and_efg_are_finite(pts in 0..80i32, fgm in 0..30i32, tpm in 0..15i32, fga in 0..40i32, fta in 0..30i32) {
            if let Some(ts) = true_shooting(Some(pts), Some(fga), Some(fta)) { prop_assert!(ts.is_finite() && ts >= 0.0); }
            if let Some(e) = effective_fg(Some(fgm), Some(tpm), Some(fga)) { prop_assert!(e.is_finite()); }
        }
    }
}
