//! `props invoke --outbox FILE`. The embedded queues live only as long as the process, so what a
//! handler sends would vanish with it. The outbox appends each message to FILE the moment it is
//! sent, as one JSON line `{"queue": "phase-events", "body": "..."}` — durable before the handler
//! goes on, as an SQS send is — so whoever drives the invocation can deliver it, even when the
//! process dies right after.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use async_trait::async_trait;
use props_core::ports::{Queue, QueueDepth, QueueError, QueueName, Received};

pub struct Outbox {
    inner: Arc<dyn Queue>,
    file: Mutex<File>,
}

impl Outbox {
    pub fn open(path: &Path, inner: Arc<dyn Queue>) -> anyhow::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening outbox {}", path.display()))?;
        Ok(Self { inner, file: Mutex::new(file) })
    }
}

#[async_trait]
impl Queue for Outbox {
    async fn send(&self, queue: QueueName, body: &str) -> Result<(), QueueError> {
        self.inner.send(queue, body).await?;
        let mut line = serde_json::json!({"queue": queue.as_str(), "body": body}).to_string();
        line.push('\n');
        // One unbuffered write per message: it reaches the file before `send` returns.
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.write_all(line.as_bytes()).map_err(|e| QueueError::Backend {
            queue,
            op: "outbox write",
            message: e.to_string(),
        })
    }

    async fn receive(&self, queue: QueueName, max: usize, visibility: Duration) -> Result<Vec<Received>, QueueError> {
        self.inner.receive(queue, max, visibility).await
    }

    async fn ack(&self, queue: QueueName, receipt: &str) -> Result<(), QueueError> {
        self.inner.ack(queue, receipt).await
    }

    async fn release(&self, queue: QueueName, receipt: &str) -> Result<(), QueueError> {
        self.inner.release(queue, receipt).await
    }

    async fn depth(&self, queue: QueueName) -> Result<QueueDepth, QueueError> {
        self.inner.depth(queue).await
    }
}
