//! Whole-program tests on the embedded backends: several processes, crashes, the CLI.

mod analytics;
mod cli_errors;
mod cli_events;
mod crash;
mod cross_process;
mod invocation_events;
mod invoke;
mod parse;
mod recover;
mod run;
mod source_faults;
mod support;
