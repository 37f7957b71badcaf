//! Exactly-once triggers with the state in (emulated) DynamoDB and tables in S3.

use std::sync::Arc;

use chrono::Duration;
use props_core::adapters::aws::{DynamoStateStore, S3BlobStore};
use props_core::adapters::local::MemoryQueue;
use props_core::config::Config;
use props_core::messages::{Envelope, PhaseTrigger};
use props_core::notify::RecordingNotifier;
use props_core::ports::{Queue, QueueName};
use props_core::{Context, ManualClock};
use props_orchestrator::fixtures::*;
use props_orchestrator::orchestrate::on_completion;
use rand::SeedableRng;
use rand::seq::SliceRandom;

async fn count(q: &MemoryQueue, name: QueueName) -> usize {
    let mut n = 0;
    loop {
        let got = q.receive(name, 10, std::time::Duration::from_secs(60)).await.unwrap();
        if got.is_empty() {
            return n;
        }
        for m in got {
            Envelope::parse(&m.body).unwrap().payload::<PhaseTrigger>().unwrap();
            q.ack(name, &m.receipt).await.unwrap();
            n += 1;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_orchestrators_on_dynamodb_fire_once_per_transition() {
    let Some(sdk) = crate::emulator().await else { return };
    let table = crate::unique("props-orch");
    let bucket = crate::unique("props-orch");
    let queue = MemoryQueue::new();
    let clock = ManualClock::new(start());
    let mk = |sdk: &aws_config::SdkConfig| {
        Context::from_parts(
            Config::from_lookup(|_| None).unwrap(),
            Arc::new(S3BlobStore::new(sdk, &bucket, true)),
            Arc::new(DynamoStateStore::new(sdk, &table)),
            Arc::new(queue.clone()),
            Arc::new(RecordingNotifier::default()),
            Arc::new(clock.clone()),
        )
    };
    DynamoStateStore::new(&sdk.0, &table).ensure_table().await.unwrap();
    S3BlobStore::new(&sdk.0, &bucket, true).ensure_bucket().await.unwrap();
    let a = mk(&sdk.0);
    let b = mk(&props_core::adapters::aws::load_sdk_config().await);
    seed_tables(&a, 50).await;

    // every completion delivered 1–3 times, shuffled, split across two racing instances
    let mut deliveries: Vec<Envelope> = day(start()).into_iter().flat_map(|e| std::iter::repeat_n(e, 3)).collect();
    deliveries.shuffle(&mut rand::rngs::StdRng::seed_from_u64(7));
    let (da, db): (Vec<_>, Vec<_>) = deliveries.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let ta = tokio::spawn(async move {
        for (_, e) in da {
            on_completion(&a, &e).await.unwrap();
        }
    });
    let tb = tokio::spawn(async move {
        for (_, e) in db {
            on_completion(&b, &e).await.unwrap();
        }
    });
    ta.await.unwrap();
    tb.await.unwrap();
    clock.advance(Duration::hours(5));
    props_orchestrator::timeout_check::check(&mk(&sdk.0)).await.unwrap();
    assert_eq!(count(&queue, QueueName::PrecomputeJobs).await, 1);
    assert_eq!(count(&queue, QueueName::PredictJobs).await, 1);
}
