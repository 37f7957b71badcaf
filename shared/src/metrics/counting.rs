//! Decorators on the ports that count each call before passing it on. They count calls made
//! (failed ones too: a throttled request is still a request); retries inside an AWS SDK client
//! and the pages of a long listing are below the port and not counted.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;

use super::counts::{Op, RequestCounts};
use crate::ports::{
    BlobError, BlobStore, Condition, Item, KeyCondition, ObjectMeta, Queue, QueueDepth, QueueError, QueueName,
    Received, StateError, StateStore, Update,
};

/// Messages per `SendMessageBatch` call.
const SQS_BATCH: usize = 10;

pub struct CountingBlobStore {
    inner: Arc<dyn BlobStore>,
    counts: Arc<RequestCounts>,
}

impl CountingBlobStore {
    pub fn new(inner: Arc<dyn BlobStore>, counts: Arc<RequestCounts>) -> Self {
        Self { inner, counts }
    }
}

#[async_trait]
impl BlobStore for CountingBlobStore {
    async fn get(&self, key: &str) -> Result<Option<Bytes>, BlobError> {
        self.counts.record(Op::S3Get);
        self.inner.get(key).await
    }

    async fn put(&self, key: &str, body: Bytes) -> Result<(), BlobError> {
        self.counts.record(Op::S3Put);
        self.inner.put(key, body).await
    }

    async fn put_if_absent(&self, key: &str, body: Bytes) -> Result<bool, BlobError> {
        self.counts.record(Op::S3Put);
        self.inner.put_if_absent(key, body).await
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>, BlobError> {
        self.counts.record(Op::S3List);
        self.inner.list(prefix).await
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        self.counts.record(Op::S3Delete);
        self.inner.delete(key).await
    }
}

pub struct CountingStateStore {
    inner: Arc<dyn StateStore>,
    counts: Arc<RequestCounts>,
}

impl CountingStateStore {
    pub fn new(inner: Arc<dyn StateStore>, counts: Arc<RequestCounts>) -> Self {
        Self { inner, counts }
    }
}

#[async_trait]
impl StateStore for CountingStateStore {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StateError> {
        self.counts.record(Op::DynamoGet);
        self.inner.get(pk, sk).await
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), StateError> {
        self.counts.record(Op::DynamoPut);
        self.inner.put(item, condition).await
    }

    async fn update(
        &self,
        pk: &str,
        sk: &str,
        update: Update,
        condition: Option<Condition>,
    ) -> Result<Item, StateError> {
        self.counts.record(Op::DynamoUpdate);
        self.inner.update(pk, sk, update, condition).await
    }

    async fn delete(&self, pk: &str, sk: &str, condition: Option<Condition>) -> Result<(), StateError> {
        self.counts.record(Op::DynamoDelete);
        self.inner.delete(pk, sk, condition).await
    }

    async fn query(&self, pk: &str, sk: KeyCondition) -> Result<Vec<Item>, StateError> {
        self.counts.record(Op::DynamoQuery);
        self.inner.query(pk, sk).await
    }

    async fn query_index(&self, index_pk: &str, index_sk: KeyCondition) -> Result<Vec<Item>, StateError> {
        self.counts.record(Op::DynamoQuery);
        self.inner.query_index(index_pk, index_sk).await
    }
}

pub struct CountingQueue {
    inner: Arc<dyn Queue>,
    counts: Arc<RequestCounts>,
}

impl CountingQueue {
    pub fn new(inner: Arc<dyn Queue>, counts: Arc<RequestCounts>) -> Self {
        Self { inner, counts }
    }
}

#[async_trait]
impl Queue for CountingQueue {
    async fn send(&self, queue: QueueName, body: &str) -> Result<(), QueueError> {
        self.counts.record(Op::SqsSend);
        self.inner.send(queue, body).await
    }

    async fn send_batch(&self, queue: QueueName, bodies: &[String]) -> Result<(), QueueError> {
        self.counts.add(Op::SqsSend, bodies.len().div_ceil(SQS_BATCH) as u64);
        self.inner.send_batch(queue, bodies).await
    }

    async fn receive(&self, queue: QueueName, max: usize, visibility: Duration) -> Result<Vec<Received>, QueueError> {
        self.counts.record(Op::SqsReceive);
        self.inner.receive(queue, max, visibility).await
    }

    async fn ack(&self, queue: QueueName, receipt: &str) -> Result<(), QueueError> {
        self.counts.record(Op::SqsDelete);
        self.inner.ack(queue, receipt).await
    }

    async fn release(&self, queue: QueueName, receipt: &str) -> Result<(), QueueError> {
        self.counts.record(Op::SqsOther);
        self.inner.release(queue, receipt).await
    }

    async fn depth(&self, queue: QueueName) -> Result<QueueDepth, QueueError> {
        self.counts.record(Op::SqsOther);
        self.inner.depth(queue).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::local::{DirBlobStore, MemoryQueue, SqliteStateStore};
    use crate::metrics::RequestTally;

    #[tokio::test]
    async fn counts_are_exact_for_a_known_sequence_of_calls() {
        let dir = tempfile::tempdir().unwrap();
        let counts = Arc::new(RequestCounts::default());
        let blobs = CountingBlobStore::new(Arc::new(DirBlobStore::new(dir.path().join("b"))), counts.clone());
        let state =
            CountingStateStore::new(Arc::new(SqliteStateStore::open(dir.path().join("s.db")).unwrap()), counts.clone());
        let queue = CountingQueue::new(Arc::new(MemoryQueue::new()), counts.clone());

        blobs.put("a/1", Bytes::from_static(b"x")).await.unwrap();
        assert!(!blobs.put_if_absent("a/1", Bytes::from_static(b"y")).await.unwrap());
        blobs.get("a/1").await.unwrap();
        blobs.get("a/missing").await.unwrap();
        blobs.list("a/").await.unwrap();
        blobs.delete("a/1").await.unwrap();
        assert!(blobs.get("../escape").await.is_err(), "a refused call still counts");

        state.put(Item::new("P", "S"), Some(Condition::NotExists)).await.unwrap();
        assert!(state.put(Item::new("P", "S"), Some(Condition::NotExists)).await.unwrap_err().is_condition_failed());
        state.update("P", "S", Update::new().add("n", 1), None).await.unwrap();
        state.get("P", "S").await.unwrap();
        state.query("P", KeyCondition::All).await.unwrap();
        state.query_index("X", KeyCondition::All).await.unwrap();
        state.delete("P", "S", None).await.unwrap();

        queue.send(QueueName::ScrapeJobs, "{}").await.unwrap();
        let bodies: Vec<String> = (0..23).map(|i| i.to_string()).collect();
        queue.send_batch(QueueName::ScrapeJobs, &bodies).await.unwrap();
        let got = queue.receive(QueueName::ScrapeJobs, 2, Duration::from_secs(30)).await.unwrap();
        queue.ack(QueueName::ScrapeJobs, &got[0].receipt).await.unwrap();
        queue.release(QueueName::ScrapeJobs, &got[1].receipt).await.unwrap();
        queue.depth(QueueName::ScrapeJobs).await.unwrap();

        let expected = RequestTally::default()
            .with(Op::S3Put, 2)
            .with(Op::S3Get, 3)
            .with(Op::S3List, 1)
            .with(Op::S3Delete, 1)
            .with(Op::DynamoPut, 2)
            .with(Op::DynamoUpdate, 1)
            .with(Op::DynamoGet, 1)
            .with(Op::DynamoQuery, 2)
            .with(Op::DynamoDelete, 1)
            .with(Op::SqsSend, 1 + 3)
            .with(Op::SqsReceive, 1)
            .with(Op::SqsDelete, 1)
            .with(Op::SqsOther, 2);
        assert_eq!(counts.take(), expected);
        assert_eq!((expected.s3(), expected.dynamo_reads(), expected.dynamo_writes()), (7, 3, 4));
    }
}
