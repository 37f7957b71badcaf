use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::{DateTime, TimeZone, Utc};
use clap::Args;
use props_core::sim::{SimLeague, server};
use props_core::{GameDate, ManualClock};

#[derive(Debug, Args)]
pub struct SimServerArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8766)]
    pub port: u16,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[arg(long, default_value = "2024-25")]
    pub season: String,
    /// Initial clock: RFC 3339, or a date meaning 12:00 ET that day (default: opening night).
    #[arg(long)]
    pub now: Option<String>,
}

/// Noon US-Eastern of a game date, as UTC.
pub fn noon_et(d: GameDate) -> DateTime<Utc> {
    let naive = d.naive().and_hms_opt(12, 0, 0).unwrap_or_default();
    chrono_tz::America::New_York
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| naive.and_utc())
}

/// Serves the simulated league over HTTP in the real APIs' shapes until Ctrl-C.
pub async fn run(a: SimServerArgs) -> anyhow::Result<()> {
    let league = Arc::new(SimLeague::new(a.seed, &a.season).with_context(|| format!("season `{}`", a.season))?);
    let now = match &a.now {
        Some(s) => match s.parse::<GameDate>() {
            Ok(d) => noon_et(d),
            Err(_) => DateTime::parse_from_rfc3339(s).with_context(|| format!("--now `{s}`"))?.with_timezone(&Utc),
        },
        None => league.schedule().first().map(|g| noon_et(g.date)).unwrap_or_else(Utc::now),
    };
    let addr: SocketAddr = ([127, 0, 0, 1], a.port).into();
    let server = server::serve(addr, league, ManualClock::new(now)).await.with_context(|| format!("binding {addr}"))?;
    println!("simulated league listening on {} (season {}, seed {}, clock {now})", server.url(), a.season, a.seed);
    println!(
        "point the sources at it: PROPS_NBA_STATS_URL, PROPS_NBA_CDN_URL, PROPS_ESPN_URL, PROPS_ODDS_API_URL = {}",
        server.url()
    );
    tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")?;
    server.shutdown().await;
    Ok(())
}
