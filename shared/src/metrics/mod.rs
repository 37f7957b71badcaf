//! Storage and queue request counts per day (DESIGN §14: "S3 and DynamoDB requests per day").
//!
//! Every port call made through a [`Context`](crate::Context) is counted in memory by a
//! decorator ([`counting`]), embedded and AWS alike, and the counts of an invocation are added
//! into the day's `METRICS#{date}` state item by ONE `ADD` update when the invocation ends
//! ([`daily`]): counting must not itself become a burst of writes.

pub mod counting;
pub mod counts;
pub mod daily;

pub use counting::{CountingBlobStore, CountingQueue, CountingStateStore};
pub use counts::{Op, RequestCounts, RequestTally};
pub use daily::{RequestMetrics, read_day};
