//! Scenario tests of the monitoring jobs on the embedded backends, with a local HTTP server
//! standing in for Slack.

mod fixtures;
mod health;
mod jobs;
mod slack;
