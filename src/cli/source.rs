//! Where the local commands (`run`, `backfill`) fetch from, and the clocks that must move
//! together: the pipeline's and the source's. One place, so every command offers the same
//! three sources: the simulated league (default, offline), any server speaking the real APIs'
//! shapes (`--source-url`, e.g. the replay server), or the live endpoints (`--live`).

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::{DateTime, TimeZone, Utc};
use clap::Args;
use props_core::config::{Backend, Config, SourceUrls};
use props_core::ports::QueueName;
use props_core::secrets::Secret;
use props_core::sim::{SimLeague, server};
use props_core::{Clock, Context, GameDate, ManualClock};
use serde_json::json;

#[derive(Debug, Clone, Args)]
pub struct SourceArgs {
    /// Any server speaking the six endpoints (e.g. ../shared/tools/replay/) instead of the
    /// simulated league.
    #[arg(long, conflicts_with = "live")]
    pub source_url: Option<String>,
    /// The real endpoints (needs ODDS_API_KEY and network).
    #[arg(long)]
    pub live: bool,
    /// Seed of the simulated league.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// `hour:00` US-Eastern on `d`, as UTC.
pub fn et(d: GameDate, hour: u32) -> DateTime<Utc> {
    let naive = d.naive().and_hms_opt(hour.min(23), 0, 0).unwrap_or_default();
    chrono_tz::America::New_York
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| naive.and_utc())
}

/// The clocks that must move together: the pipeline's, and the local source's.
pub struct Clocks {
    pub pipeline: ManualClock,
    source: Option<ManualClock>,
    replay: Option<String>,
}

impl Clocks {
    pub async fn set(&self, t: DateTime<Utc>) {
        self.pipeline.set(t);
        if let Some(c) = &self.source {
            c.set(t);
        }
        if let Some(url) = &self.replay {
            // A replay server follows the same clock; other servers simply ignore this.
            let _ = reqwest::Client::new()
                .post(format!("{url}/_replay/clock"))
                .json(&json!({"now": t.to_rfc3339()}))
                .send()
                .await;
        }
    }
}

/// An opened source and the embedded context pointed at it. Keep it alive while working: the
/// simulated league's server stops when it is dropped.
pub struct Opened {
    pub ctx: Context,
    pub clocks: Clocks,
    pub name: String,
    /// The simulated league when it is the source: it knows each player's true expectation.
    pub league: Option<Arc<SimLeague>>,
    _sim: Option<server::SimServer>,
}

/// Opens the embedded backends in `data_dir` with the pipeline clock at `start`, pointed at the
/// source `a` names. `season_of` picks the simulated league's season.
pub async fn open(
    data_dir: &std::path::Path,
    a: &SourceArgs,
    season_of: GameDate,
    start: DateTime<Utc>,
) -> anyhow::Result<Opened> {
    let pipeline_clock = ManualClock::new(start);
    let mut config = Config::from_env()?;
    config.backend = Backend::Local;
    config.data_dir = data_dir.to_path_buf();
    let mut sim = None;
    let mut known_league = None;
    let (clocks, name) = if a.live {
        (Clocks { pipeline: pipeline_clock.clone(), source: None, replay: None }, "the live endpoints".to_string())
    } else if let Some(url) = &a.source_url {
        config.sources = SourceUrls::all_at(url);
        if config.odds_api_key.is_none() {
            config.odds_api_key = Some(Secret::new("local-replay-key"));
        }
        let clocks = Clocks {
            pipeline: pipeline_clock.clone(),
            source: None,
            replay: Some(url.trim_end_matches('/').to_string()),
        };
        (clocks, url.clone())
    } else {
        let season = season_of.season();
        let league = Arc::new(SimLeague::new(a.seed, &season).with_context(|| format!("simulated season {season}"))?);
        let sim_clock = ManualClock::new(pipeline_clock.now());
        known_league = Some(Arc::clone(&league));
        let srv = server::serve(([127, 0, 0, 1], 0).into(), league, sim_clock.clone())
            .await
            .context("starting the simulated league")?;
        config.sources = SourceUrls::all_at(&srv.url());
        config.odds_api_key = Some(Secret::new("local-sim-key"));
        sim = Some(srv);
        let clocks = Clocks { pipeline: pipeline_clock.clone(), source: Some(sim_clock), replay: None };
        (clocks, format!("the simulated league (seed {}, season {season})", a.seed))
    };
    let ctx = Context::build(config, Arc::new(pipeline_clock))
        .await
        .with_context(|| format!("opening {}", data_dir.display()))?;
    Ok(Opened { ctx, clocks, name, league: known_league, _sim: sim })
}

/// Messages handled per queue over several drains.
#[derive(Default)]
pub struct Tally {
    handled: BTreeMap<QueueName, usize>,
    pub failed: usize,
}

impl Tally {
    pub fn add(&mut self, r: crate::local_runner::DrainReport) {
        for (q, n) in r.handled {
            *self.handled.entry(q).or_default() += n;
        }
        self.failed += r.failed;
    }
    pub fn n(&self, q: QueueName) -> usize {
        self.handled.get(&q).copied().unwrap_or(0)
    }
}
