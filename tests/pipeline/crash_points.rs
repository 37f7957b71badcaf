//! A process killed at each step boundary (`PROPS_FAILPOINT`, a real `abort()`) and resumed by
//! what the design provides — SQS redelivery, `phase-timeout-check` re-sending a stale trigger
//! claim, `retry-failed`, `self-heal` — converges to the tables of a clean run, with exactly one
//! phase-4 trigger per input state.

use crate::deployment::{Faults, Outcome, clean_day, game_day, game_day_with};

fn assert_converges(case: &str, crashed: &Outcome) {
    let clean = clean_day();
    assert_eq!(clean.crashes, 0);
    assert!(!clean.triggers.is_empty(), "the clean day triggers phase 4");
    assert!(clean.tables["upcoming_player_game_context"].len() > 100, "the clean day has contexts");
    assert_eq!(crashed.crashes, 1, "{case}: the process died at the fail point");
    for (table, rows) in &clean.tables {
        let got = &crashed.tables[table];
        let first_diff = rows.iter().zip(got).find(|(a, b)| a != b);
        assert!(
            got == rows,
            "{case}: {table} differs from the clean run's: {} rows vs {}; first difference {first_diff:?}",
            got.len(),
            rows.len()
        );
    }
    assert!(crashed.triggers.values().all(|n| *n == 1), "{case}: one trigger per input state: {:?}", crashed.triggers);
    assert_eq!(crashed.triggers, clean.triggers, "{case}: the same input states triggered as in the clean run");
}

#[test]
fn a_crash_after_the_table_write_converges_on_redelivery_with_one_trigger() {
    let case = "after_table_write:upcoming_player_game_context";
    assert_converges(case, &game_day(Some(case)));
}

#[test]
fn a_crash_after_a_raw_payload_is_stored_converges_on_redelivery() {
    let case = "after_raw_payload";
    assert_converges(case, &game_day(Some(case)));
}

#[test]
fn a_crash_after_the_completion_converges_on_redelivery() {
    let case = "after_completion:upcoming_player_game_context";
    assert_converges(case, &game_day(Some(case)));
}

#[test]
fn a_crash_after_the_trigger_claim_is_resent_once_by_the_timeout_check() {
    let case = "after_trigger_claim:3to4";
    assert_converges(case, &game_day(Some(case)));
}

/// The crashed analytics batch goes to the dead-letter queue and is never redelivered. Its
/// runs never finished: the contexts were written but their completions were not sent, so
/// phase 4 never heard of them. Nothing was left failed, so `retry-failed` has nothing to
/// re-enqueue; at 10:30 `self-heal` finds the game day without features and forces phase 4, and
/// the tables end as in the clean run, where the 10:00 runs saw the same rosters, lines and props.
#[test]
fn a_crashed_batch_lost_to_the_dead_letter_queue_is_recovered_by_the_scheduled_jobs() {
    let case = "after_table_write:upcoming_player_game_context";
    let day = game_day_with(Faults { failpoint: Some(case), lose_crashed_batch: true });
    let clean_requeued = clean_day().recovery["retry-failed"]["requeued"].as_array().map_or(0, Vec::len);
    assert_eq!(clean_requeued, 0, "in the clean run the 10:00 runs cleared every retry");
    let actions = day.recovery["self-heal"]["actions"].as_array().cloned().unwrap_or_default();
    assert!(
        actions.iter().any(|a| a.as_str().is_some_and(|a| a.starts_with("2025-01-15: force phase 4"))),
        "self-heal forced phase 4 for the day the lost batch left without features: {actions:?}"
    );
    assert_converges(&format!("{case}, batch lost"), &day);
}
