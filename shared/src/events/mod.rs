//! The pipeline event log (DESIGN §8): what every handler did, as `pipeline_event_log` rows.

pub mod log;
pub mod scope;

pub use log::{EventKind, EventLog, NewEvent, current_invocation, with_invocation};
pub use scope::{emit, in_invocation};
