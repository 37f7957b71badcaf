//! Exactly-once triggers with the state in (emulated) DynamoDB, the trigger queues in SQS and
//! tables in S3: a property test over delivery orders, with two racing instances.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::Duration;
use props_core::adapters::aws::{DynamoStateStore, S3BlobStore, SqsQueue};
use props_core::config::Config;
use props_core::messages::{Envelope, PhaseTrigger};
use props_core::notify::RecordingNotifier;
use props_core::ports::{Queue, QueueName};
use props_core::{Context, ManualClock};
use props_orchestrator::Transition;
use props_orchestrator::fixtures::*;
use props_orchestrator::orchestrate::on_completion;
use proptest::prelude::*;
use rand::SeedableRng;
use rand::seq::SliceRandom;

/// Every trigger on `name`, by fingerprint, drained from SQS.
async fn triggers(q: &SqsQueue, name: QueueName) -> BTreeMap<String, usize> {
    let mut by_fingerprint = BTreeMap::new();
    loop {
        let got = q.receive(name, 10, std::time::Duration::from_secs(60)).await.unwrap();
        if got.is_empty() {
            return by_fingerprint;
        }
        for m in got {
            let t: PhaseTrigger = Envelope::parse(&m.body).unwrap().payload().unwrap();
            *by_fingerprint.entry(t.fingerprint).or_default() += 1;
            q.ack(name, &m.receipt).await.unwrap();
        }
    }
}

/// One case: fresh table and queues, the day's completions each delivered `copies[i]` times,
/// shuffled by `seed`, and split between two instances (own SDK clients) by `split`.
async fn one_day(sdk: &aws_config::SdkConfig, bucket: &str, copies: &[usize], seed: u64, split: &[bool]) {
    let table = crate::unique("props-orch");
    let prefix = format!("{}-", crate::unique("props-orch"));
    DynamoStateStore::new(sdk, &table).ensure_table().await.unwrap();
    let queue = SqsQueue::new(sdk, &prefix, HashMap::new());
    queue.ensure_queues().await.unwrap();
    let clock = ManualClock::new(start());
    let mk = |sdk: &aws_config::SdkConfig| {
        Context::from_parts(
            Config::from_lookup(|_| None).unwrap(),
            Arc::new(S3BlobStore::new(sdk, bucket, true)),
            Arc::new(DynamoStateStore::new(sdk, &table)),
            Arc::new(SqsQueue::new(sdk, &prefix, HashMap::new())),
            Arc::new(RecordingNotifier::default()),
            Arc::new(clock.clone()),
        )
    };
    let a = mk(sdk);
    let b = mk(&props_core::adapters::aws::load_sdk_config().await);

    let mut deliveries: Vec<Envelope> =
        day(start()).into_iter().zip(copies).flat_map(|(e, n)| std::iter::repeat_n(e, *n)).collect();
    deliveries.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
    let (da, db): (Vec<_>, Vec<_>) = deliveries.into_iter().zip(split.iter().cycle()).partition(|(_, to_a)| **to_a);
    let run = |ctx: Context, ds: Vec<(Envelope, &bool)>| {
        let ds: Vec<Envelope> = ds.into_iter().map(|(e, _)| e).collect();
        tokio::spawn(async move {
            for e in &ds {
                on_completion(&ctx, e).await.unwrap();
            }
        })
    };
    let (ta, tb) = (run(a, da), run(b.clone(), db));
    ta.await.unwrap();
    tb.await.unwrap();
    clock.advance(Duration::hours(5));
    props_orchestrator::timeout_check::check(&b).await.unwrap();

    for (t, q) in
        [(Transition::ThreeToFour, QueueName::PrecomputeJobs), (Transition::FourToFive, QueueName::PredictJobs)]
    {
        let sent = triggers(&queue, q).await;
        assert_eq!(sent.len(), 1, "{t:?}: one input state, one trigger: {sent:?}");
        assert!(sent.values().all(|n| *n == 1), "{t:?}: each input state triggered once: {sent:?}");
        let claims = props_orchestrator::triggers::triggers_for(&b, t, d(TARGET)).await.unwrap();
        assert_eq!(claims.len(), 1, "{t:?}: one claim");
        assert_eq!(claims[0].get_str("status"), Some("sent"));
        assert!(sent.contains_key(&claims[0].sk), "{t:?}: the sent trigger is the claimed one");
    }
}

#[test]
fn racing_orchestrators_on_dynamodb_and_sqs_fire_once_per_input_state() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let Some(sdk) = rt.block_on(crate::emulator()) else { return };
    let bucket = crate::unique("props-orch");
    rt.block_on(async {
        S3BlobStore::new(&sdk.0, &bucket, true).ensure_bucket().await.unwrap();
        let seeder = Context::from_parts(
            Config::from_lookup(|_| None).unwrap(),
            Arc::new(S3BlobStore::new(&sdk.0, &bucket, true)),
            Arc::new(DynamoStateStore::new(&sdk.0, "unused")), // seeding writes tables only
            Arc::new(props_core::adapters::local::MemoryQueue::new()),
            Arc::new(RecordingNotifier::default()),
            Arc::new(ManualClock::new(start())),
        );
        seed_tables(&seeder, 50).await;
    });
    // Each case costs a DynamoDB table, a set of queues and ~30 round trips to moto: few cases.
    let config = ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() };
    let strategy = (
        proptest::collection::vec(1usize..=5, day(start()).len()),
        any::<u64>(),
        proptest::collection::vec(any::<bool>(), 1..8),
    );
    proptest::test_runner::TestRunner::new(config)
        .run(&strategy, |(copies, seed, split)| {
            rt.block_on(one_day(&sdk.0, &bucket, &copies, seed, &split));
            Ok(())
        })
        .unwrap();
}
