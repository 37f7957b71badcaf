//! `props parse SOURCE/ENDPOINT FILE [--json]`: one raw payload through the production parser.

use std::path::PathBuf;

use anyhow::{Context as _, anyhow};
use clap::Args;
use props_core::sources::Endpoint;
use props_core::sources::parse::{PayloadKind, parse_to_json};

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// nba/schedule, nba/gamelog, nba/playbyplay, espn/roster, odds/events or odds/event-odds.
    pub source: String,
    /// A raw payload file (plain or gzip JSON), e.g. one object from raw/.
    pub file: PathBuf,
    /// Print the whole result as one JSON document (default: a summary line, then one record per line).
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &ParseArgs) -> anyhow::Result<()> {
    let endpoint: Endpoint = a.source.parse()?;
    let bytes = std::fs::read(&a.file).with_context(|| format!("reading {}", a.file.display()))?;
    let kind = PayloadKind::for_payload(endpoint, &bytes);
    let parsed =
        parse_to_json(kind, &bytes).map_err(|e| anyhow!("{} does not parse as {endpoint}: {e}", a.file.display()))?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&parsed)?);
        return Ok(());
    }
    println!("{endpoint} ({}): {} records, {} unresolved names", parsed.kind, parsed.records, parsed.unresolved);
    for r in records(&parsed.output) {
        println!("{r}");
    }
    Ok(())
}

/// The record arrays of a parse output (`records`, or `events.records`, or `props` + `lines`).
fn records(output: &serde_json::Value) -> Vec<&serde_json::Value> {
    let arrays = [
        output.get("records"),
        output.get("events").and_then(|e| e.get("records")),
        output.get("props"),
        output.get("lines"),
    ];
    arrays.into_iter().flatten().filter_map(|v| v.as_array()).flatten().collect()
}
