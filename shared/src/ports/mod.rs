//! The ports logic talks to. Each has an AWS adapter and an embedded one (see `adapters`), and
//! one contract suite (`contract`) that both must pass.

pub mod blob;
pub mod notifier;
pub mod queue;
pub mod state;

pub use blob::{BlobError, BlobStore, ObjectMeta};
pub use notifier::{Alert, Notifier, Severity};
pub use queue::{Queue, QueueDepth, QueueError, QueueName, Received};
pub use state::{Condition, Item, KeyCondition, StateError, StateStore, Update};
