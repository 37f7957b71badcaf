//! Argument parsing and wiring. Each command lives in its own module and only prints.

mod backfill;
mod backtest;
mod events;
mod invoke;
mod morning;
mod outbox;
mod parse;
mod picks;
mod query;
mod recover;
mod reprocess;
mod run;
mod sim_server;
mod source;
mod spot_check;
mod status;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use props_core::config::{Backend, Config};
use props_core::{Clock, Context, SystemClock};

#[derive(Debug, Parser)]
#[command(name = "props", version, about = "Graded NBA player-points predictions, every game day.")]
pub struct Cli {
    /// Where state, tables and queues live.
    #[arg(long, value_enum, global = true, env = "PROPS_BACKEND", default_value = "local")]
    pub backend: BackendArg,
    /// Root of the embedded backends.
    #[arg(long, global = true, env = "PROPS_DATA_DIR", default_value = "./props-data")]
    pub data_dir: PathBuf,
    /// Log progress (`RUST_LOG` overrides).
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum BackendArg {
    Local,
    Aws,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// One game day end to end on the embedded backends (the simulated league by default).
    Run(run::RunArgs),
    /// Fetch and process a range of past days in backfill mode (phases 1-3).
    Backfill(backfill::BackfillArgs),
    /// Predict and grade a range of past days; every system against naive baselines.
    Backtest(backtest::BacktestArgs),
    /// Print a table's rows (any table of the catalogue).
    Query(query::QueryArgs),
    /// What exists for a game date: table partitions and pipeline state.
    Status(status::StatusArgs),
    /// Check each phase for a date and re-run what is missing, in order.
    Recover(recover::RecoverArgs),
    /// Run one function's handler once on an event file, like `sam local invoke` without Docker.
    Invoke(invoke::InvokeArgs),
    /// Re-run phase 2 over stored raw payloads (after a parser fix).
    Reprocess(reprocess::ReprocessArgs),
    /// Serve the simulated league over HTTP in the real APIs' shapes.
    SimServer(sim_server::SimServerArgs),
    /// The pipeline event log of a game date.
    Events(events::EventsArgs),
    /// Parse one raw payload file with the production parser and print the normalised records.
    Parse(parse::ParseArgs),
    /// Recompute a sample of derived values from the raw tables and compare.
    SpotCheck(spot_check::SpotCheckArgs),
}

/// The context for a command: configuration from the environment, overridden by flags.
pub async fn context(cli: &Cli, clock: Arc<dyn Clock>) -> anyhow::Result<Context> {
    let mut config = Config::from_env()?;
    config.backend = match cli.backend {
        BackendArg::Local => Backend::Local,
        BackendArg::Aws => Backend::Aws,
    };
    config.data_dir = cli.data_dir.clone();
    let where_ = match config.backend {
        Backend::Local => format!("data dir {}", config.data_dir.display()),
        Backend::Aws => format!("bucket {} / table {}", config.bucket, config.state_table),
    };
    Context::build(config, clock).await.with_context(|| format!("opening the {:?} backend ({where_})", cli.backend))
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Parse(a) = &cli.command {
        // Pure: no backend to open.
        return parse::run(a);
    }
    if let Command::Run(a) = cli.command {
        return run::run(cli.data_dir, a).await; // builds its own context and clocks
    }
    if let Command::Backfill(a) = cli.command {
        return backfill::run(cli.data_dir, a).await; // builds its own context and clocks
    }
    if let Command::Backtest(a) = cli.command {
        return backtest::run(cli.data_dir, a).await; // builds its own context and clocks
    }
    if let Command::SimServer(a) = cli.command {
        return sim_server::run(a).await; // needs no backend
    }
    let clock: Arc<dyn Clock> = match &cli.command {
        Command::Invoke(a) => a.clock()?,
        _ => Arc::new(SystemClock),
    };
    let ctx = context(&cli, clock).await?;
    match cli.command {
        Command::Query(a) => query::run(&ctx, a).await,
        Command::Status(a) => status::run(&ctx, a).await,
        Command::Recover(a) => recover::run(&ctx, a).await,
        Command::Invoke(a) => invoke::run(&ctx, a).await,
        Command::Reprocess(a) => reprocess::run(&ctx, a).await,
        Command::SimServer(_) | Command::Run(_) | Command::Backfill(_) | Command::Backtest(_) => Ok(()),
        Command::Events(a) => events::run(&ctx, a).await,
        Command::Parse(a) => parse::run(&a),
        Command::SpotCheck(a) => spot_check::run(&ctx, a).await,
    }
}
