//! Whole-program tests on the embedded backends: several processes, crashes, the CLI.

mod analytics;
mod cli_errors;
mod cli_events;
mod crash;
mod crash_points;
mod cross_process;
mod delivery;
mod deployment;
mod invoke;
mod parse;
mod recover;
mod run;
mod support;
