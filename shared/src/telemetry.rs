//! Logging: JSON lines in Lambda (one event per line, fields for request id, function, phase,
//! processor and game date), human-readable in the CLI.

use tracing_subscriber::EnvFilter;

fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))
}

/// For Lambda functions. Safe to call twice (the second call does nothing).
pub fn init_lambda() {
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter())
        .with_current_span(true)
        .with_span_list(false)
        .with_target(false)
        .without_time() // CloudWatch stamps every line
        .try_init();
}

/// For the CLI: compact, on stderr, warnings and up unless `RUST_LOG` says otherwise.
pub fn init_cli(verbose: bool) {
    init_cli_at(if verbose { "info" } else { "warn" });
}

/// For the CLI at a chosen default level (`props run` prints its own progress and keeps the
/// pipeline's warnings for `-v`).
pub fn init_cli_at(default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .compact()
        .try_init();
}
