//! At-least-once delivery at its worst, over a simulated week: every message to every queue
//! consumer (scrape, process-raw, analytics, orchestrate, precompute, predict, publish)
//! delivered 1–5 times, in a random (seeded) order and random batches. The data tables and
//! publish's exports must equal a clean run's, the orchestrator must send each (transition,
//! date, input state) trigger exactly once, and the last trigger of each transition and date
//! must be for the clean run's final input state.

use std::collections::BTreeSet;

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

/// `prediction_history` keeps every distinct output `predict` wrote, and which input states
/// existed long enough to be predicted from depends on the order deliveries arrive in (a
/// context built from the first 15 of 30 rosters, predicted before the rest landed): the
/// shuffled run must hold every row the clean run's history holds, and may hold more. The
/// current predictions (`player_prop_predictions`) are compared exactly.
const LOG_OF_EVERY_OUTPUT: &str = "prediction_history";

/// A page without its "Pipeline health" section. That section is the orchestration state at
/// the instant the page was built (which completions the orchestrator had recorded, whether
/// the last run of a processor wrote or found its output unchanged): publish and orchestrate
/// consume different queues, so it is a snapshot of timing, like `processed_at`. Everything
/// the page says about games and predictions is compared.
fn without_health(body: &str) -> &str {
    body.split("<h2 id=\"health\"").next().unwrap_or(body)
}

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
            let per_date = |rs: &Vec<String>| {
                let mut m = std::collections::BTreeMap::<String, (usize, usize)>::new();
                for r in rs {
                    let v: serde_json::Value = serde_json::from_str(r).unwrap();
                    let d = v["game_date"].as_str().unwrap_or("-").to_string();
                    let e = m.entry(d).or_default();
                    e.0 += 1;
                    if !got.contains(r) || !rows.contains(r) {
                        e.1 += 1;
                    }
                }
                m
            };
            eprintln!("  per date (rows, unmatched) clean {:?}\n  shuffled {:?}", per_date(rows), per_date(got));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
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
        if *table == LOG_OF_EVERY_OUTPUT {
            let got: BTreeSet<&String> = got.iter().collect();
            let missing = rows.iter().filter(|r| !got.contains(r)).count();
            assert_eq!(missing, 0, "{table}: {missing} of the clean run's {} rows missing", rows.len());
        } else {
            assert!(got == rows, "{table}: {} rows vs {} in the clean run", got.len(), rows.len());
        }
    }
    assert_eq!(shuffled.exports.keys().collect::<Vec<_>>(), clean.exports.keys().collect::<Vec<_>>());
    for (key, body) in &clean.exports {
        assert!(without_health(&shuffled.exports[key]) == without_health(body), "{key} differs from the clean run's");
    }
    let repeated: Vec<_> = shuffled.triggers.iter().filter(|(_, n)| **n != 1).collect();
    assert!(repeated.is_empty(), "one trigger per transition, date and input state: {repeated:?}");
    // Intermediate input states depend on the order completions arrive in; the final one does not.
    assert_eq!(shuffled.last_triggers, clean.last_triggers);
}
