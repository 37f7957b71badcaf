//! The fatigue score (DESIGN §8): 100 when fresh, lower the more the schedule has worn on the
//! player. Each rule reads one input; a missing input (no previous game, no age in a backfill)
//! applies no adjustment rather than a guessed one.

/// What the score is computed from, all about games strictly before the game date.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FatigueInputs {
    pub back_to_back: bool,
    pub days_rest: Option<i32>,
    pub games_last_7: i32,
    pub minutes_last_7: f64,
    /// Average minutes over his last 10 games.
    pub minutes_avg: Option<f64>,
    pub back_to_backs_last_14: i32,
    pub age: Option<i32>,
}

/// Start at 100: back-to-back −15; ≥ 3 days of rest +5; ≥ 4 games in 7 days −10; > 240
/// minutes in 7 days −10; > 35 average minutes −8; back-to-backs in 14 days: two or more −12,
/// one −5; age ≥ 35 −10, ≥ 30 −5. Clamped to 0–100.
pub fn score(i: &FatigueInputs) -> f64 {
    let mut s: f64 = 100.0;
    if i.back_to_back {
        s -= 15.0;
    }
    if i.days_rest.is_some_and(|d| d >= 3) {
        s += 5.0;
    }
    if i.games_last_7 >= 4 {
        s -= 10.0;
    }
    if i.minutes_last_7 > 240.0 {
        s -= 10.0;
    }
    if i.minutes_avg.is_some_and(|m| m > 35.0) {
        s -= 8.0;
    }
    s -= match i.back_to_backs_last_14 {
        0 => 0.0,
        1 => 5.0,
        _ => 12.0,
    };
    s -= match i.age {
        Some(a) if a >= 35 => 10.0,
        Some(a) if a >= 30 => 5.0,
        _ => 0.0,
    };
    s.clamp(0.0, 100.0)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn fresh_player_is_100_and_rest_cannot_lift_above_it() {
        assert_eq!(score(&FatigueInputs::default()), 100.0);
        assert_eq!(score(&FatigueInputs { days_rest: Some(4), ..Default::default() }), 100.0);
        assert_eq!(
            score(&FatigueInputs { days_rest: Some(3), age: Some(31), ..Default::default() }),
            100.0,
            "+5 rest and −5 age"
        );
    }

    #[test]
    fn each_rule_by_hand() {
        let base = FatigueInputs { days_rest: Some(1), ..Default::default() };
        let s = |f: FatigueInputs| score(&f);
        assert_eq!(s(FatigueInputs { back_to_back: true, days_rest: Some(0), ..base }), 85.0);
        assert_eq!(s(FatigueInputs { games_last_7: 4, ..base }), 90.0);
        assert_eq!(s(FatigueInputs { games_last_7: 3, ..base }), 100.0);
        assert_eq!(s(FatigueInputs { minutes_last_7: 240.5, ..base }), 90.0);
        assert_eq!(s(FatigueInputs { minutes_last_7: 240.0, ..base }), 100.0, "more than 240");
        assert_eq!(s(FatigueInputs { minutes_avg: Some(35.5), ..base }), 92.0);
        assert_eq!(s(FatigueInputs { minutes_avg: Some(35.0), ..base }), 100.0);
        assert_eq!(s(FatigueInputs { back_to_backs_last_14: 1, ..base }), 95.0);
        assert_eq!(s(FatigueInputs { back_to_backs_last_14: 3, ..base }), 88.0);
        assert_eq!(s(FatigueInputs { age: Some(35), ..base }), 90.0);
        assert_eq!(s(FatigueInputs { age: Some(30), ..base }), 95.0);
        assert_eq!(s(FatigueInputs { age: None, ..base }), 100.0, "unknown age: no adjustment");
    }

    #[test]
    fn worst_case_adds_up() {
        // 100 − 15 − 10 − 10 − 8 − 12 − 10 = 35.
        let worn = FatigueInputs {
            back_to_back: true,
            days_rest: Some(0),
            games_last_7: 5,
            minutes_last_7: 260.0,
            minutes_avg: Some(37.0),
            back_to_backs_last_14: 2,
            age: Some(36),
        };
        assert_eq!(score(&worn), 35.0);
    }

    proptest! {
        #[test]
        fn always_within_0_and_100(b2b: bool, rest in proptest::option::of(0i32..10), g7 in 0i32..8,
            m7 in 0.0f64..400.0, avg in proptest::option::of(0.0f64..48.0), b14 in 0i32..7,
            age in proptest::option::of(18i32..45)) {
            let s = score(&FatigueInputs { back_to_back: b2b, days_rest: rest, games_last_7: g7, minutes_last_7: m7,
                minutes_avg: avg, back_to_backs_last_14: b14, age });
            prop_assert!((0.0..=100.0).contains(&s));
        }
    }
}
