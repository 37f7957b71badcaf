//! A local harness for tests of any crate: embedded backends in a temporary directory, a
//! travelling clock, an inspectable queue and a recording notifier.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::adapters::local::{DirBlobStore, MemoryQueue, SqliteStateStore};
use crate::clock::ManualClock;
use crate::config::Config;
use crate::context::Context;
use crate::notify::RecordingNotifier;

pub struct Harness {
    pub ctx: Context,
    pub clock: ManualClock,
    pub queue: MemoryQueue,
    pub alerts: RecordingNotifier,
    pub dir: tempfile::TempDir,
}

impl Harness {
    pub fn new(now: DateTime<Utc>) -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let clock = ManualClock::new(now);
        let h = Self::at(dir.path(), clock.clone());
        Self { ctx: h.0, clock, queue: h.1, alerts: h.2, dir }
    }

    /// A second context on the same directory (another "instance": its own SQLite connection
    /// and its own queue handle sharing the same lanes).
    pub fn sibling(&self) -> Context {
        let state = SqliteStateStore::open(self.dir.path().join("state.sqlite")).unwrap_or_else(|e| panic!("{e}"));
        Context::from_parts(
            (*self.ctx.config).clone(),
            self.ctx.blobs.clone(),
            Arc::new(state),
            Arc::new(self.queue.clone()),
            Arc::new(self.alerts.clone()),
            Arc::new(self.clock.clone()),
        )
    }

    fn at(dir: &Path, clock: ManualClock) -> (Context, MemoryQueue, RecordingNotifier) {
        let config = Config::from_lookup(|_| None).unwrap_or_else(|e| panic!("{e}"));
        let state = SqliteStateStore::open(dir.join("state.sqlite")).unwrap_or_else(|e| panic!("{e}"));
        let queue = MemoryQueue::new();
        let alerts = RecordingNotifier::default();
        let ctx = Context::from_parts(
            config,
            Arc::new(DirBlobStore::new(dir.join("bucket"))),
            Arc::new(state),
            Arc::new(queue.clone()),
            Arc::new(alerts.clone()),
            Arc::new(clock),
        );
        (ctx, queue, alerts)
    }
}
