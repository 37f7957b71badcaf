//! At-least-once delivery at its worst, over a simulated week: every message to every queue
//! consumer (scrape, process-raw, analytics, orchestrate, precompute, predict, publish)
//! delivered 1–5 times, in a random (seeded) order and random batches. The data tables and
//! publish's exports must equal a clean run's, the orchestrator must send each (transition,
//! date, input state) trigger exactly once, and the last trigger of each transition and date
//! must be for the clean run's final input state.

use crate::week::{WeekOutcome, game_days, rows_on, run_week};

/// Tables each game day of the week must hold rows in, so the comparison cannot pass on an
/// empty week: raw box scores and lines, phase 3 summaries and contexts, phase 4 features and
/// phase 5 predictions and grades.
const EVERY_DAY: [&str; 9] = [
    "player_boxscores",
    "player_points_props",
    "player_game_summary",
    "upcoming_player_game_context",
    "ml_feature_store",
    "player_daily_cache",
    "player_prop_predictions",
    "prediction_accuracy",
    "system_daily_performance",
];

fn assert_every_day_has_data(o: &WeekOutcome) {
    for d in game_days() {
        for table in EVERY_DAY {
            assert!(rows_on(o, table, d).next().is_some(), "{table} has no rows for {d}");
        }
        for transition in [4, 5] {
            assert!(o.last_triggers.contains_key(&(transition, d)), "no trigger to phase {transition} for {d}");
        }
    }
}

/// How long each run took and what each consumer was handed: duplication compounds from phase
/// to phase, which is what makes the shuffled week slow.
fn print_load(name: &str, o: &WeekOutcome) {
    eprintln!("{name} week: {:.1?}", o.elapsed);
    for (q, l) in &o.load {
        eprintln!("  {q:<16} {:>6} batches {:>6} records {:>8.1?}", l.batches, l.records, l.busy);
    }
}

/// The rows only one of the runs has, a few of each, to see how a table diverged.
fn print_divergence(clean: &WeekOutcome, shuffled: &WeekOutcome) {
    for (table, rows) in &clean.tables {
        let got = &shuffled.tables[table];
        if got != rows {
            let only_clean: Vec<_> = rows.iter().filter(|r| !got.contains(r)).take(2).collect();
            let only_shuffled: Vec<_> = got.iter().filter(|r| !rows.contains(r)).take(2).collect();
            eprintln!("{table} diverges\n  clean only: {only_clean:?}\n  shuffled only: {only_shuffled:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the shuffled week diverges from the clean run (order-dependent phase 3/4 inputs, FAULTS.md) and takes ~30 min in debug"]
async fn a_week_of_every_message_delivered_one_to_five_times_in_any_order_equals_the_clean_run() {
    let clean = run_week(None).await;
    assert_every_day_has_data(&clean);
    let failed: Vec<_> = clean.scheduled.iter().filter(|(_, out)| out.is_err()).collect();
    assert!(failed.is_empty(), "scheduled jobs failed: {failed:?}");
    assert!(clean.triggers.values().all(|n| *n == 1), "clean run: one trigger per input state: {:?}", clean.triggers);
    let shuffled = run_week(Some(11)).await;
    print_load("clean", &clean);
    print_load("shuffled", &shuffled);
    print_divergence(&clean, &shuffled);
    for (table, rows) in &clean.tables {
        let got = &shuffled.tables[table];
        assert!(got == rows, "{table}: {} rows vs {} in the clean run", got.len(), rows.len());
    }
    assert_eq!(shuffled.exports.keys().collect::<Vec<_>>(), clean.exports.keys().collect::<Vec<_>>());
    for (key, body) in &clean.exports {
        assert!(&shuffled.exports[key] == body, "{key} differs from the clean run's");
    }
    let repeated: Vec<_> = shuffled.triggers.iter().filter(|(_, n)| **n != 1).collect();
    assert!(repeated.is_empty(), "one trigger per transition, date and input state: {repeated:?}");
    // Intermediate input states depend on the order completions arrive in; the final one does not.
    assert_eq!(shuffled.last_triggers, clean.last_triggers);
}
