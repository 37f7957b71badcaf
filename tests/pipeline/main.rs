//! Whole-program tests on the embedded backends: several processes, crashes, the CLI.

mod cli_errors;
mod crash;
mod cross_process;
mod invoke;
mod parse;
mod recover;
mod support;
