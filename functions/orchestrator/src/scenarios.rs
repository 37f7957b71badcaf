//! Scenario tests of the orchestrator on the embedded backends with a travelling clock.

use chrono::Duration;
use props_core::messages::{Envelope, PhaseTrigger};
use props_core::pipeline::processors::PRECOMPUTE;
use props_core::ports::{Queue, QueueName};
use props_core::testkit::Harness;

use crate::fixtures::*;

use crate::evaluate::Outcome;
use crate::orchestrate::on_completion;
use crate::timeout_check::check;
use crate::triggers::Fired;

async fn triggers_sent(h: &Harness, q: QueueName) -> Vec<PhaseTrigger> {
    let mut out = Vec::new();
    loop {
        let got = h.queue.receive(q, 10, std::time::Duration::from_secs(60)).await.unwrap();
        if got.is_empty() {
            break;
        }
        for m in got {
            out.push(Envelope::parse(&m.body).unwrap().payload::<PhaseTrigger>().unwrap());
            h.queue.ack(q, &m.receipt).await.unwrap();
        }
    }
    out
}

mod property {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
        /// Any interleaving, duplication (1–5×) and reordering of one day's completions gives
        /// exactly one trigger per transition.
        #[test]
        fn any_delivery_order_gives_one_trigger_per_transition(
            copies in proptest::collection::vec(1usize..=5, 10),
            seed in any::<u64>(),
        ) {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let h = Harness::new(start());
                seed_tables(&h.ctx, 50).await;
                let mut deliveries: Vec<Envelope> = day(start()).into_iter().zip(&copies).flat_map(|(e, n)| std::iter::repeat_n(e, *n)).collect();
                use rand::{SeedableRng, seq::SliceRandom};
                deliveries.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
                for e in &deliveries {
                    on_completion(&h.ctx, e).await.unwrap();
                }
                h.clock.advance(Duration::hours(5));
                check(&h.ctx).await.unwrap();
                let to4 = triggers_sent(&h, QueueName::PrecomputeJobs).await;
                let to5 = triggers_sent(&h, QueueName::PredictJobs).await;
                assert_eq!(to4.len(), 1, "3→4 triggers: {to4:?}");
                assert_eq!(to5.len(), 1, "4→5 triggers: {to5:?}");
                assert!(!to4[0].degraded && !to5[0].degraded);
            });
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_racing_on_the_same_completions_fire_once() {
    let h = Harness::new(start());
    seed_tables(&h.ctx, 50).await;
    let other = h.sibling();
    let deliveries = day(start());
    let (a, b) = (h.ctx.clone(), other);
    let (da, db) = (deliveries.clone(), deliveries.into_iter().rev().collect::<Vec<_>>());
    let ta = tokio::spawn(async move {
        for e in &da {
            on_completion(&a, e).await.unwrap();
        }
    });
    let tb = tokio::spawn(async move {
        for e in &db {
            on_completion(&b, e).await.unwrap();
        }
    });
    ta.await.unwrap();
    tb.await.unwrap();
    assert_eq!(triggers_sent(&h, QueueName::PrecomputeJobs).await.len(), 1);
    assert_eq!(triggers_sent(&h, QueueName::PredictJobs).await.len(), 1);
}

#[tokio::test]
async fn a_blocked_gate_does_not_trigger_until_the_data_arrives() {
    let h = Harness::new(start());
    seed_tables(&h.ctx, 10).await; // 10 of 50 players featured: 20 % < 60 %
    let mut last = vec![];
    for e in day(start()).into_iter().filter(|e| e.phase == 4) {
        last = on_completion(&h.ctx, &e).await.unwrap();
    }
    assert!(matches!(&last[..], [Outcome::Blocked(r)] if r.contains("covers 10/50 players")), "{last:?}");
    assert!(triggers_sent(&h, QueueName::PredictJobs).await.is_empty());
    // re-evaluated by the timeout check: still blocked, alerted only once
    h.clock.advance(Duration::minutes(30));
    check(&h.ctx).await.unwrap();
    let gate_alerts = h.alerts.alerts().iter().filter(|a| a.title.starts_with("Gate blocked 4to5")).count();
    assert_eq!(gate_alerts, 1);
    assert!(
        crate::triggers::triggers_for(&h.ctx, crate::Transition::FourToFive, d(TARGET)).await.unwrap().is_empty(),
        "never marked triggered"
    );
    // the data arrives; the next timeout check fires
    seed_tables(&h.ctx, 50).await;
    h.clock.advance(Duration::minutes(30));
    check(&h.ctx).await.unwrap();
    assert_eq!(triggers_sent(&h, QueueName::PredictJobs).await.len(), 1);
}

#[tokio::test]
async fn tiers_fire_degraded_then_again_when_inputs_change() {
    let h = Harness::new(start());
    seed_tables(&h.ctx, 50).await;
    for e in day(start()).into_iter().filter(|e| e.phase == 4 && !e.payload.to_string().contains("team_defense_zone")) {
        on_completion(&h.ctx, &e).await.unwrap();
    }
    for mins in [30, 59] {
        h.clock.set(start() + Duration::minutes(mins));
        check(&h.ctx).await.unwrap();
        assert!(triggers_sent(&h, QueueName::PredictJobs).await.is_empty(), "no trigger at {mins} min with 4/5");
    }
    h.clock.set(start() + Duration::minutes(60));
    check(&h.ctx).await.unwrap();
    let fired = triggers_sent(&h, QueueName::PredictJobs).await;
    assert_eq!(fired.len(), 1);
    assert!(fired[0].degraded);
    assert!(h.alerts.alerts().iter().any(|a| a.title.starts_with("Degraded trigger 4to5")));
    // more timeout checks: same inputs, no second trigger
    h.clock.set(start() + Duration::minutes(120));
    check(&h.ctx).await.unwrap();
    assert!(triggers_sent(&h, QueueName::PredictJobs).await.is_empty());
    // the fifth processor completes: new input state, one new (complete) trigger
    let late = completion(4, "team_defense_zone_analysis", TARGET, "h-late", start() + Duration::minutes(130));
    on_completion(&h.ctx, &late).await.unwrap();
    let fired = triggers_sent(&h, QueueName::PredictJobs).await;
    assert_eq!(fired.len(), 1);
    assert!(!fired[0].degraded);
}

#[tokio::test]
async fn a_crash_after_the_claim_is_recovered_by_resending_once() {
    let h = Harness::new(start());
    seed_tables(&h.ctx, 50).await;
    // An instance claimed the trigger and died before sending it.
    let inputs: crate::transitions::Completed = PRECOMPUTE.iter().map(|p| (p.to_string(), format!("h-{p}"))).collect();
    let fp = crate::transitions::fingerprint(crate::Transition::FourToFive, &inputs);
    let claim = props_core::ports::Item::new(crate::triggers::pk(crate::Transition::FourToFive, d(TARGET)), &fp)
        .with("status", "claimed")
        .with("claimed_at", start().to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .with("degraded", false);
    h.ctx.state.put(claim, None).await.unwrap();
    for e in day(start()).into_iter().filter(|e| e.phase == 4) {
        let out = on_completion(&h.ctx, &e).await.unwrap();
        assert!(matches!(out[..], [Outcome::Fired(Fired::AlreadyFired { .. })] | [Outcome::Waiting(_)]), "{out:?}");
    }
    assert!(triggers_sent(&h, QueueName::PredictJobs).await.is_empty(), "a fresh claim is not second-guessed");
    h.clock.advance(Duration::minutes(6));
    check(&h.ctx).await.unwrap();
    assert_eq!(triggers_sent(&h, QueueName::PredictJobs).await.len(), 1, "re-sent after the claim went stale");
    h.clock.advance(Duration::minutes(30));
    check(&h.ctx).await.unwrap();
    assert!(triggers_sent(&h, QueueName::PredictJobs).await.is_empty(), "and only once");
}

#[tokio::test]
async fn a_thousand_stale_completions_are_acknowledged_without_work() {
    let h = Harness::new(start());
    let old = start() - Duration::days(10);
    let body = completion(4, "ml_feature_store", "2025-01-02", "h", old).to_json();
    for _ in 0..1000 {
        let outcome = props_core::lambda::process_record(&h.ctx, &crate::Orchestrate, "orchestrate", &body).await;
        assert_eq!(outcome, props_core::lambda::RecordOutcome::StaleSkipped);
    }
    assert!(
        props_core::pipeline::completion::completions(h.ctx.state.as_ref(), 4, d("2025-01-02"))
            .await
            .unwrap()
            .is_empty()
    );
    for q in QueueName::ALL {
        assert_eq!(h.queue.depth(q).await.unwrap(), props_core::ports::QueueDepth::default(), "{q}");
    }
}

#[tokio::test]
async fn a_crashed_claim_of_a_superseded_input_state_is_still_sent_once() {
    let h = Harness::new(start());
    seed_tables(&h.ctx, 50).await;
    // An instance claimed the trigger of an earlier input state and died before sending it.
    let fp = "an-earlier-input-state";
    let claim = props_core::ports::Item::new(crate::triggers::pk(crate::Transition::FourToFive, d(TARGET)), fp)
        .with("status", "claimed")
        .with("claimed_at", start().to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .with("degraded", false);
    h.ctx.state.put(claim, None).await.unwrap();
    // The current input state fires and closes the date.
    for e in day(start()).into_iter().filter(|e| e.phase == 4) {
        on_completion(&h.ctx, &e).await.unwrap();
    }
    let fired = triggers_sent(&h, QueueName::PredictJobs).await;
    assert_eq!(fired.len(), 1);
    assert_ne!(fired[0].fingerprint, fp);
    h.clock.advance(Duration::minutes(6));
    check(&h.ctx).await.unwrap();
    let resent = triggers_sent(&h, QueueName::PredictJobs).await;
    assert_eq!(resent.iter().map(|t| t.fingerprint.as_str()).collect::<Vec<_>>(), [fp], "the crashed claim is sent");
    h.clock.advance(Duration::minutes(30));
    check(&h.ctx).await.unwrap();
    assert!(triggers_sent(&h, QueueName::PredictJobs).await.is_empty(), "and only once");
}
