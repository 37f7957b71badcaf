//! Lambda glue: one way to run a handler on an SQS batch (with partial batch failures), on an
//! EventBridge Scheduler event, or on a direct JSON event. A function's binary is a few lines
//! around one of the `run_*` functions.

pub mod direct;
pub mod serve;
pub mod sqs;

pub use direct::{JsonHandler, check_input, schedule_input};

/// A function fed by its queue and, for backfills and catch-ups, by scheduled input too
/// (`analytics`, `precompute`): one handler object serving both.
pub trait QueueOrScheduleHandler: EnvelopeHandler + JsonHandler {}
impl<T: EnvelopeHandler + JsonHandler> QueueOrScheduleHandler for T {}
pub use serve::{dispatch, is_sqs_batch, run_json, run_queue_or_schedule, run_sqs};
pub use sqs::{EnvelopeHandler, RecordOutcome, process_batch, process_bodies, process_record};

/// How a handler failed. Both fail the record (SQS redelivers it, then the DLQ takes it);
/// the distinction decides what the retry queue and alerts do.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    #[error("transient: {0}")]
    Transient(String),
    #[error("permanent: {0}")]
    Permanent(String),
}

impl HandlerError {
    pub fn is_transient(&self) -> bool {
        matches!(self, HandlerError::Transient(_))
    }
}
