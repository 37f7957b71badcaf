//! Pipeline state shared by every phase: which processors exist, completions, run history and
//! the retry queue. Each decision is one conditional write on the `StateStore`.

pub mod circuit;
pub mod completion;
pub mod dedup;
pub mod dependencies;
pub mod processors;
pub mod retry_queue;
pub mod runner;
pub mod runs;
pub mod schedule;

pub use completion::{Completion, CompletionRecord, record_completion};
pub use processors::Phase;
