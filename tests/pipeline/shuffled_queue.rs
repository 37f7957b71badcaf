//! At-least-once delivery at its worst, in process: a [`Queue`] over [`MemoryQueue`] that, when
//! seeded, holds every message sent to a consumed queue as 1–5 copies in a pending pool, and
//! hands the pool out in random picks of 1..=max per receive. A pick can come from anywhere in
//! the pool, so messages arrive out of order and can be delayed past later sends; duplicates land
//! in different batches or the same one. Redeliveries (records released after a failure) are
//! served first, as they are visible on the inner queue. Unseeded, it passes everything through:
//! the clean run. Either way it records every original send, so triggers can be counted before
//! duplication.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use props_core::adapters::local::MemoryQueue;
use props_core::ports::queue::MAX_MESSAGE_BYTES;
use props_core::ports::{Queue, QueueDepth, QueueError, QueueName, Received};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Default)]
struct Pending {
    rng: Option<StdRng>,
    pool: BTreeMap<QueueName, Vec<String>>,
    sent: Vec<(QueueName, String)>,
    /// The batch being handled: its queue and when it was received.
    in_hand: Option<(QueueName, Instant)>,
    load: BTreeMap<QueueName, Load>,
}

/// What a consumer was given: batches, records, and the time from receiving a batch to settling it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Load {
    pub batches: usize,
    pub records: usize,
    pub busy: Duration,
}

/// Cloning shares the queues, the pool and the record of sends.
#[derive(Clone)]
pub struct ShuffledQueue {
    inner: MemoryQueue,
    consumed: Arc<BTreeSet<QueueName>>,
    pending: Arc<Mutex<Pending>>,
}

impl ShuffledQueue {
    /// Duplicates and shuffles what is sent to `consumed` when `seed` is given.
    pub fn new(consumed: BTreeSet<QueueName>, seed: Option<u64>) -> Self {
        let pending = Pending { rng: seed.map(StdRng::seed_from_u64), ..Pending::default() };
        Self { inner: MemoryQueue::new(), consumed: Arc::new(consumed), pending: Arc::new(Mutex::new(pending)) }
    }

    /// Every message sent, once each, in the order sent.
    pub fn sent(&self) -> Vec<(QueueName, String)> {
        self.lock().sent.clone()
    }

    /// Per queue, what its consumer was handed and how long it held it.
    pub fn load(&self) -> BTreeMap<QueueName, Load> {
        self.lock().load.clone()
    }

    /// Ends the batch in hand when its first record is settled.
    fn settle(&self, queue: QueueName) {
        let mut p = self.lock();
        if let Some((q, since)) = p.in_hand.take_if(|(q, _)| *q == queue) {
            p.load.entry(q).or_default().busy += since.elapsed();
        }
    }

    fn received(&self, queue: QueueName, got: &[Received]) {
        if !got.is_empty() {
            let mut p = self.lock();
            p.in_hand = Some((queue, Instant::now()));
            let load = p.load.entry(queue).or_default();
            load.batches += 1;
            load.records += got.len();
        }
    }

    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Moves 1..=max random picks of `queue`'s pool to the inner queue; false when it is empty.
    async fn release_picks(&self, queue: QueueName, max: usize) -> Result<bool, QueueError> {
        let picks = {
            let mut p = self.lock();
            let Pending { rng, pool, .. } = &mut *p;
            let (Some(rng), Some(pool)) = (rng.as_mut(), pool.get_mut(&queue)) else { return Ok(false) };
            let n = rng.random_range(1..=max.max(1)).min(pool.len());
            (0..n).map(|_| pool.swap_remove(rng.random_range(0..pool.len()))).collect::<Vec<_>>()
        };
        for body in &picks {
            self.inner.send(queue, body).await?;
        }
        Ok(!picks.is_empty())
    }
}

#[async_trait]
impl Queue for ShuffledQueue {
    async fn send(&self, queue: QueueName, body: &str) -> Result<(), QueueError> {
        if body.len() > MAX_MESSAGE_BYTES {
            return Err(QueueError::TooLarge { queue, size: body.len() });
        }
        let held = {
            let mut p = self.lock();
            p.sent.push((queue, body.to_string()));
            let Pending { rng, pool, .. } = &mut *p;
            match rng.as_mut() {
                Some(rng) if self.consumed.contains(&queue) => {
                    let copies = rng.random_range(1..=5);
                    pool.entry(queue).or_default().extend(std::iter::repeat_n(body.to_string(), copies));
                    true
                }
                _ => false,
            }
        };
        if held { Ok(()) } else { self.inner.send(queue, body).await }
    }

    async fn receive(&self, queue: QueueName, max: usize, visibility: Duration) -> Result<Vec<Received>, QueueError> {
        let mut got = self.inner.receive(queue, max, visibility).await?;
        if got.is_empty() && self.release_picks(queue, max).await? {
            got = self.inner.receive(queue, max, visibility).await?;
        }
        self.received(queue, &got);
        Ok(got)
    }

    async fn ack(&self, queue: QueueName, receipt: &str) -> Result<(), QueueError> {
        self.settle(queue);
        self.inner.ack(queue, receipt).await
    }

    async fn release(&self, queue: QueueName, receipt: &str) -> Result<(), QueueError> {
        self.settle(queue);
        self.inner.release(queue, receipt).await
    }

    async fn depth(&self, queue: QueueName) -> Result<QueueDepth, QueueError> {
        let mut depth = self.inner.depth(queue).await?;
        depth.visible += self.lock().pool.get(&queue).map_or(0, Vec::len) as u64;
        Ok(depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAIT: Duration = Duration::from_secs(60);

    async fn drain(q: &ShuffledQueue, max: usize) -> Vec<Vec<String>> {
        let mut batches = Vec::new();
        loop {
            let got = q.receive(QueueName::AnalyticsJobs, max, WAIT).await.unwrap();
            if got.is_empty() {
                return batches;
            }
            for m in &got {
                q.ack(QueueName::AnalyticsJobs, &m.receipt).await.unwrap();
            }
            batches.push(got.into_iter().map(|m| m.body).collect());
        }
    }

    #[tokio::test]
    async fn unseeded_it_passes_every_message_through_once_in_order() {
        let q = ShuffledQueue::new([QueueName::AnalyticsJobs].into(), None);
        for i in 0..12 {
            q.send(QueueName::AnalyticsJobs, &i.to_string()).await.unwrap();
        }
        let got: Vec<String> = drain(&q, 10).await.concat();
        assert_eq!(got, (0..12).map(|i| i.to_string()).collect::<Vec<_>>());
        assert_eq!(q.sent().len(), 12);
    }

    #[tokio::test]
    async fn seeded_it_delivers_each_message_one_to_five_times_out_of_order_in_random_batches() {
        let q = ShuffledQueue::new([QueueName::AnalyticsJobs].into(), Some(7));
        for i in 0..40 {
            q.send(QueueName::AnalyticsJobs, &i.to_string()).await.unwrap();
        }
        q.send(QueueName::PublishJobs, "not consumed").await.unwrap();
        assert_eq!(q.depth(QueueName::PublishJobs).await.unwrap().visible, 1, "passed through");
        let pooled = q.depth(QueueName::AnalyticsJobs).await.unwrap().visible;
        assert!(pooled > 40, "copies are counted in the depth: {pooled}");
        let batches = drain(&q, 10).await;
        let all: Vec<String> = batches.concat();
        assert_eq!(all.len() as u64, pooled);
        let mut copies: BTreeMap<&str, usize> = BTreeMap::new();
        for b in &all {
            *copies.entry(b).or_default() += 1;
        }
        assert_eq!(copies.len(), 40, "every message arrives");
        assert!(copies.values().all(|n| (1..=5).contains(n)), "{copies:?}");
        assert!(copies.values().any(|n| *n > 1), "some are duplicated");
        let firsts: Vec<usize> = all.iter().map(|b| b.parse().unwrap()).collect();
        assert!(firsts.windows(2).any(|w| w[0] > w[1]), "out of order");
        assert!(batches.iter().any(|b| b.len() < 10) && batches.iter().any(|b| b.len() > 1), "random batch sizes");
        assert_eq!(q.sent().len(), 41, "sends are recorded once each");
    }

    #[tokio::test]
    async fn a_released_record_is_redelivered_before_new_picks() {
        let q = ShuffledQueue::new([QueueName::AnalyticsJobs].into(), Some(3));
        for i in 0..30 {
            q.send(QueueName::AnalyticsJobs, &i.to_string()).await.unwrap();
        }
        let first = q.receive(QueueName::AnalyticsJobs, 10, WAIT).await.unwrap();
        q.release(QueueName::AnalyticsJobs, &first[0].receipt).await.unwrap();
        for m in &first[1..] {
            q.ack(QueueName::AnalyticsJobs, &m.receipt).await.unwrap();
        }
        let next = q.receive(QueueName::AnalyticsJobs, 10, WAIT).await.unwrap();
        assert_eq!(next.len(), 1);
        assert_eq!((next[0].body.as_str(), next[0].receive_count), (first[0].body.as_str(), 2));
    }
}
