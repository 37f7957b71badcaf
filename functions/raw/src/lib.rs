//! Phase 2 (`process-raw`): each stored payload becomes rows of the raw tables.
//!
//! Order never matters: a replace-mode partition is rebuilt from the NEWEST stored payload(s)
//! for its date (or, for the season schedule, written only if its input is newer), and snapshot
//! tables append one object per payload, named by the payload's hash. Processing a payload
//! twice, or payloads in any order, gives the same tables.

pub mod handler;
pub mod process;
pub mod quarantine;
pub mod rows;

pub use handler::ProcessRaw;
pub use process::{Processed, process_key};

#[cfg(any(test, feature = "testkit"))]
pub mod fixtures;
#[cfg(test)]
mod scenarios;
