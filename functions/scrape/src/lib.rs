//! Phase 1 (DESIGN §6): `plan-scrapes` decides hourly which workflows run and enqueues
//! `ScrapeJob`s; `scrape` fetches one job through the shared fetch policy and host breaker,
//! stores the payload under its raw key (skipping a payload identical to the last one stored
//! for the same request), records a `scraper_executions` row and announces the payload to
//! phase 2 with `RawPayloadStored`.

pub mod enqueue;
pub mod executions;
pub mod fanout;
pub mod jobs;
pub mod planner;
pub mod scrape;
pub mod store;

pub use planner::PlanScrapes;
pub use scrape::Scrape;
