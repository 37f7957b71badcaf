//! Phase 1 sources (DESIGN §6): typed requests for the six endpoints, THE fetch policy every
//! source uses, a per-source circuit breaker kept in the state store, and parsers from each raw
//! payload to normalized records.
//!
//! A scraper builds a request (`nba_stats::gamelog(urls, date, ..)`), fetches it with
//! [`SourceClient::fetch`] (policy + breaker; the outcome says attempts, status, bytes, time
//! and the redacted error), stores the raw body, and parsing happens later from the stored
//! bytes (`parse::parse_to_json` / the typed `parse_*` functions). Requests never contain the
//! Odds API key, so recording a request's URL or parameters cannot leak it.

pub mod breaker;
pub mod classify;
pub mod client;
pub mod espn;
pub mod fetch;
pub mod nba_cdn;
pub mod nba_stats;
pub mod odds_api;
pub mod parse;
pub mod raw_key;
pub mod request;

#[cfg(test)]
mod fetch_tests;
#[cfg(test)]
mod replay_tests;
#[cfg(test)]
pub(crate) mod testdata;

pub use crate::pipeline::circuit::{Admission, BreakerConfig, BreakerState, BreakerStatus, CircuitBreaker};
pub use client::SourceClient;
pub use fetch::{FailureClass, FailureKind, FetchFailure, FetchOutcome, FetchSettings, Fetcher, HttpClient, OddsQuota};
pub use request::{Endpoint, Host, SourceRequest};
