use std::collections::HashMap;

use props_core::adapters::aws::SqsQueue;
use props_core::ports::{Queue, QueueName};

#[tokio::test]
async fn sqs_queue_passes_the_contract() {
    let Some(sdk) = crate::emulator().await else { return };
    let q = SqsQueue::new(&sdk.0, format!("{}-", crate::unique("props")), HashMap::new());
    q.ensure_queues().await.unwrap();
    props_core::contract::queue::run(&q, QueueName::ScrapeJobs).await;
    let depth = q.depth(QueueName::ScrapeJobs).await.unwrap();
    assert_eq!((depth.visible, depth.dead_letters), (0, 0));
}
