//! The other composite factors (DESIGN §8): how the matchup's shot zones, pace and the player's
//! recent usage should move his scoring. Each is bounded, so one noisy input cannot dominate a
//! prediction; each is `None` when its inputs are missing (the feature store then defaults it
//! to 0 and says so).

/// The ±bound of [`shot_zone_mismatch`].
pub const MISMATCH_CAP: f64 = 10.0;
/// Mismatch points per percentage point of zone weakness, for a player who takes every shot
/// there: a 5-point weakness in his only zone reaches the cap.
pub const MISMATCH_PER_POINT: f64 = 2.0;
pub const PACE_CAP: f64 = 3.0;
pub const USAGE_CAP: f64 = 3.0;

/// His primary zone's share of his attempts × how much more the opponent allows there than the
/// league (a fraction, 0.03 = 3 points of FG%), scaled and clamped to ±10. Positive: the
/// opponent is weak where he shoots most.
pub fn shot_zone_mismatch(primary_share: Option<f64>, opponent_vs_league: Option<f64>) -> Option<f64> {
    let v = primary_share? * opponent_vs_league? * 100.0 * MISMATCH_PER_POINT;
    Some(v.clamp(-MISMATCH_CAP, MISMATCH_CAP))
}

/// Half the pace differential measured from the player's side (opponent pace − his team's
/// pace, last 10 games), clamped to ±3: a faster opponent means more possessions than his team
/// usually gets.
pub fn pace_score(team_pace: Option<f64>, opponent_pace: Option<f64>) -> Option<f64> {
    Some(((opponent_pace? - team_pace?) / 2.0).clamp(-PACE_CAP, PACE_CAP))
}

/// Half the rise of his usage over the last 5 games above his season usage (usage points),
/// clamped to ±3: a bigger role lately (a teammate out) is more shots tonight.
pub fn usage_spike(usage_last_5: Option<f64>, usage_season: Option<f64>) -> Option<f64> {
    Some(((usage_last_5? - usage_season?) / 2.0).clamp(-USAGE_CAP, USAGE_CAP))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_by_hand_and_bounded() {
        // Half his shots at the rim against a defence allowing 4 points more there: 0.5·4·2 = 4.
        assert!((shot_zone_mismatch(Some(0.5), Some(0.04)).unwrap() - 4.0).abs() < 1e-9);
        assert_eq!(shot_zone_mismatch(Some(1.0), Some(0.20)), Some(10.0));
        assert_eq!(shot_zone_mismatch(Some(1.0), Some(-0.20)), Some(-10.0));
        assert_eq!(shot_zone_mismatch(None, Some(0.02)), None);
        assert_eq!(pace_score(Some(98.0), Some(102.0)), Some(2.0));
        assert_eq!(pace_score(Some(104.0), Some(94.0)), Some(-3.0));
        assert_eq!(pace_score(None, Some(94.0)), None);
        assert_eq!(usage_spike(Some(30.0), Some(26.0)), Some(2.0));
        assert_eq!(usage_spike(Some(20.0), Some(30.0)), Some(-3.0));
        assert_eq!(usage_spike(Some(20.0), None), None);
    }
}
