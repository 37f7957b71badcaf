//! Whole-program tests on the embedded backends: several processes, crashes, the CLI.

mod analytics;
mod backtest;
mod cli_errors;
mod cli_events;
mod crash;
mod cross_process;
mod invoke;
mod parse;
mod precompute;
mod recover;
mod run;
mod support;
