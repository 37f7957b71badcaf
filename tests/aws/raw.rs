//! Phase 2 on a real replayed day with the tables in (emulated) S3 and state in DynamoDB:
//! the same rows as on the embedded backends.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use props_core::adapters::aws::{DynamoStateStore, S3BlobStore};
use props_core::adapters::local::MemoryQueue;
use props_core::config::Config;
use props_core::notify::RecordingNotifier;
use props_core::testkit::{Harness, real_data_dir, replay};
use props_core::{Context, ManualClock};
use props_raw::fixtures::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_day_gives_the_same_tables_on_s3_as_on_disk() {
    let Some(sdk) = crate::emulator().await else { return };
    if real_data_dir().is_none() {
        return;
    }
    let Some(r) = replay::start() else { return };
    replay::control(
        &r.base,
        reqwest::Method::POST,
        "/_replay/clock",
        serde_json::json!({"now": "2024-03-06T12:00:00Z"}),
    )
    .await;
    let payloads = fetch_day(&r.base).await;
    let now = Utc.with_ymd_and_hms(2024, 3, 6, 12, 0, 0).unwrap();

    let bucket = crate::unique("props-raw");
    let table = crate::unique("props-raw");
    S3BlobStore::new(&sdk.0, &bucket, true).ensure_bucket().await.unwrap();
    DynamoStateStore::new(&sdk.0, &table).ensure_table().await.unwrap();
    let aws = Context::from_parts(
        Config::from_lookup(|_| None).unwrap(),
        Arc::new(S3BlobStore::new(&sdk.0, &bucket, true)),
        Arc::new(DynamoStateStore::new(&sdk.0, &table)),
        Arc::new(MemoryQueue::new()),
        Arc::new(RecordingNotifier::default()),
        Arc::new(ManualClock::new(now)),
    );
    let local = Harness::new(now);
    for ctx in [&aws, &local.ctx] {
        for k in store(ctx, &payloads).await {
            props_raw::process_key(ctx, &k).await.unwrap();
        }
    }
    let on_s3 = tables(&aws).await;
    assert!(on_s3["player_boxscores"].len() > 150);
    assert_eq!(on_s3, tables(&local.ctx).await);
}
