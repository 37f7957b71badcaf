//! Embedded adapters: everything on one machine, no cloud account.

pub mod blob;
pub mod queue;
pub mod state;

pub use blob::DirBlobStore;
pub use queue::MemoryQueue;
pub use state::SqliteStateStore;
