//! `props`: the local runner and CLI of nba-props.

mod cli;
mod local_runner;
mod registry;

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match (&args.command, args.verbose) {
        (cli::Command::Run(_) | cli::Command::Backfill(_), false) => props_core::telemetry::init_cli_at("error"),
        _ => props_core::telemetry::init_cli(args.verbose),
    }
    match cli::run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, naming the thing that is wrong; the chain gives the context.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
