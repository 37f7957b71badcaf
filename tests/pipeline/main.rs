//! Whole-program tests on the embedded backends: several processes, crashes, the CLI.

mod analytics;
mod backtest;
mod bad_input;
mod cli_errors;
mod cli_events;
mod crash;
mod crash_points;
mod cross_process;
mod delivery;
mod deployment;
mod invocation_events;
mod invoke;
mod parse;
mod precompute;
mod recover;
mod run;
mod secrets;
mod shuffled_queue;
mod source_faults;
mod support;
mod week;

/// The function registry of the `props` binary: the bad-input suite runs every function in it.
#[allow(dead_code)]
#[path = "../../src/registry.rs"]
mod registry;

/// The local runner of the `props` binary: the week drains its queues with it.
#[allow(dead_code)]
#[path = "../../src/local_runner.rs"]
mod local_runner;
