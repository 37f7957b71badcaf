//! In-process queues with SQS semantics: visibility timeouts, receive counts, and a
//! dead-letter queue after [`MAX_RECEIVES`] receives without an ack.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use crate::ports::queue::{MAX_RECEIVES, Queue, QueueDepth, QueueError, QueueName, Received, check_size};

#[derive(Clone, Debug)]
struct Message {
    id: String,
    body: String,
    receive_count: u32,
    /// `Some` while in flight: hidden until then, under the current receipt.
    hidden_until: Option<(Instant, String)>,
}

#[derive(Debug, Default)]
struct Lane {
    messages: VecDeque<Message>,
    dead: Vec<Message>,
    next_id: u64,
}

impl Lane {
    /// Messages whose visibility ran out come back; those received too often go to the DLQ.
    fn expire(&mut self, now: Instant) {
        let mut keep = VecDeque::with_capacity(self.messages.len());
        for mut m in self.messages.drain(..) {
            if let Some((until, _)) = &m.hidden_until {
                if *until <= now {
                    m.hidden_until = None;
                }
            }
            if m.hidden_until.is_none() && m.receive_count >= MAX_RECEIVES {
                self.dead.push(m);
            } else {
                keep.push_back(m);
            }
        }
        self.messages = keep;
    }
}

/// The embedded `Queue`. Cloning shares the queues.
#[derive(Clone, Debug, Default)]
pub struct MemoryQueue {
    lanes: Arc<Mutex<BTreeMap<QueueName, Lane>>>,
}

impl MemoryQueue {
    pub fn new() -> Self {
        Self::default()
    }

    fn with_lane<T>(&self, q: QueueName, f: impl FnOnce(&mut Lane) -> T) -> T {
        let mut lanes = self.lanes.lock().unwrap_or_else(|p| p.into_inner());
        let lane = lanes.entry(q).or_default();
        lane.expire(Instant::now());
        f(lane)
    }

    /// Bodies in the dead-letter queue, oldest first (for `status` and tests).
    pub fn dead_letters(&self, q: QueueName) -> Vec<String> {
        self.with_lane(q, |l| l.dead.iter().map(|m| m.body.clone()).collect())
    }

    /// Moves dead letters back to the queue (a redrive), returning how many.
    pub fn redrive(&self, q: QueueName) -> usize {
        self.with_lane(q, |l| {
            let n = l.dead.len();
            for mut m in l.dead.drain(..) {
                m.receive_count = 0;
                l.messages.push_back(m);
            }
            n
        })
    }
}

#[async_trait]
impl Queue for MemoryQueue {
    async fn send(&self, queue: QueueName, body: &str) -> Result<(), QueueError> {
        check_size(queue, body)?;
        self.with_lane(queue, |l| {
            l.next_id += 1;
            let id = format!("{}-{}", queue.as_str(), l.next_id);
            l.messages.push_back(Message { id, body: body.to_string(), receive_count: 0, hidden_until: None });
        });
        Ok(())
    }

    async fn receive(&self, queue: QueueName, max: usize, visibility: Duration) -> Result<Vec<Received>, QueueError> {
        let now = Instant::now();
        Ok(self.with_lane(queue, |l| {
            let mut out = Vec::new();
            for m in l.messages.iter_mut().filter(|m| m.hidden_until.is_none()).take(max) {
                m.receive_count += 1;
                let receipt = format!("{}#{}", m.id, m.receive_count);
                m.hidden_until = Some((now + visibility, receipt.clone()));
                out.push(Received {
                    message_id: m.id.clone(),
                    body: m.body.clone(),
                    receipt,
                    receive_count: m.receive_count,
                });
            }
            out
        }))
    }

    async fn ack(&self, queue: QueueName, receipt: &str) -> Result<(), QueueError> {
        self.with_lane(queue, |l| {
            l.messages.retain(|m| m.hidden_until.as_ref().is_none_or(|(_, r)| r != receipt));
        });
        Ok(())
    }

    async fn release(&self, queue: QueueName, receipt: &str) -> Result<(), QueueError> {
        self.with_lane(queue, |l| {
            for m in l.messages.iter_mut() {
                if m.hidden_until.as_ref().is_some_and(|(_, r)| r == receipt) {
                    m.hidden_until = None;
                }
            }
            l.expire(Instant::now());
        });
        Ok(())
    }

    async fn depth(&self, queue: QueueName) -> Result<QueueDepth, QueueError> {
        Ok(self.with_lane(queue, |l| {
            let in_flight = l.messages.iter().filter(|m| m.hidden_until.is_some()).count() as u64;
            QueueDepth { visible: l.messages.len() as u64 - in_flight, in_flight, dead_letters: l.dead.len() as u64 }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn embedded_queue_passes_the_contract() {
        crate::contract::queue::run(&MemoryQueue::new(), QueueName::ScrapeJobs).await;
        crate::contract::queue::run_retry_and_dlq(&MemoryQueue::new(), QueueName::PhaseEvents).await;
    }

    #[tokio::test]
    async fn visibility_timeout_redelivers() {
        let q = MemoryQueue::new();
        q.send(QueueName::RawPayloads, "m").await.unwrap();
        let first = q.receive(QueueName::RawPayloads, 10, Duration::from_millis(20)).await.unwrap();
        assert_eq!(first.len(), 1);
        assert!(q.receive(QueueName::RawPayloads, 10, Duration::from_secs(1)).await.unwrap().is_empty());
        tokio::time::sleep(Duration::from_millis(40)).await;
        let again = q.receive(QueueName::RawPayloads, 10, Duration::from_secs(1)).await.unwrap();
        assert_eq!(again[0].receive_count, 2);
        // the stale receipt no longer deletes the message
        q.ack(QueueName::RawPayloads, &first[0].receipt).await.unwrap();
        assert_eq!(q.depth(QueueName::RawPayloads).await.unwrap().in_flight, 1);
        q.ack(QueueName::RawPayloads, &again[0].receipt).await.unwrap();
        assert_eq!(q.depth(QueueName::RawPayloads).await.unwrap(), QueueDepth::default());
    }
}
