//! One stored payload → its raw table partitions.

use std::collections::{BTreeMap, HashMap};

use bytes::Bytes;
use props_core::messages::{Envelope, TableUpdated};
use props_core::ports::QueueName;
use props_core::sources::parse::{self, ParseError, PayloadKind};
use props_core::sources::request::Endpoint;
use props_core::tables::rows::raw::ScheduleRow;
use props_core::tables::{TableRow, WriteOutcome};
use props_core::{Context, GameDate};
use serde::Serialize;

use crate::quarantine::{self, quarantine_key};
use crate::rows;
use props_core::sources::raw_key::{BadKey, RawKey};

/// One partition this payload (re)built.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartitionWrite {
    pub table: &'static str,
    pub game_date: GameDate,
    pub rows: u64,
    pub data_hash: String,
    /// `false`: the partition already held exactly this (skipped_unchanged).
    pub written: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Processed {
    pub key: String,
    pub kind: String,
    pub partitions: Vec<PartitionWrite>,
    pub unresolved: usize,
    /// Set when this payload could not be parsed (it is in quarantine/).
    pub quarantined: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error(transparent)]
    BadKey(#[from] BadKey),
    #[error("raw payload `{0}` does not exist")]
    Missing(String),
    #[error(transparent)]
    Blob(#[from] props_core::ports::BlobError),
    #[error(transparent)]
    Table(#[from] props_core::tables::TableError),
    #[error(transparent)]
    Quarantine(#[from] quarantine::QuarantineError),
    #[error(transparent)]
    Queue(#[from] props_core::ports::QueueError),
    #[error(transparent)]
    Envelope(#[from] props_core::messages::EnvelopeError),
}

impl ProcessError {
    /// Storage and queue trouble is worth a retry; a bad key or a missing payload is not.
    pub fn is_transient(&self) -> bool {
        !matches!(self, ProcessError::BadKey(_) | ProcessError::Missing(_))
    }
}

/// Game logs for players and teams share a directory; the header row tells them apart.
fn gamelog_kind(bytes: &[u8]) -> PayloadKind {
    PayloadKind::for_payload(Endpoint::Gamelog, bytes)
}

fn record(out: &mut Processed, table: &'static str, date: GameDate, w: WriteOutcome) {
    out.partitions.push(PartitionWrite {
        table,
        game_date: date,
        rows: w.rows as u64,
        data_hash: w.partition_hash,
        written: w.written,
    });
}

async fn load(ctx: &Context, key: &str) -> Result<Bytes, ProcessError> {
    ctx.blobs.get(key).await?.ok_or_else(|| ProcessError::Missing(key.to_string()))
}

async fn is_quarantined(ctx: &Context, k: &RawKey) -> Result<bool, ProcessError> {
    let error_key = format!("{}.error.json", quarantine_key(k).trim_end_matches(".json"));
    Ok(ctx.blobs.get(&error_key).await?.is_some())
}

/// Payloads of this endpoint and date, newest first, leaving out quarantined ones.
async fn newest_first(ctx: &Context, k: &RawKey) -> Result<Vec<RawKey>, ProcessError> {
    let mut keys: Vec<RawKey> =
        ctx.blobs.list(&k.dir()).await?.iter().filter_map(|m| RawKey::parse(&m.key).ok()).collect();
    keys.sort_by(|a, b| b.fetched_at.cmp(&a.fetched_at).then(b.sha12.cmp(&a.sha12)));
    let mut out = Vec::new();
    for key in keys {
        if !is_quarantined(ctx, &key).await? {
            out.push(key);
        }
    }
    Ok(out)
}

async fn quarantine_err(
    ctx: &Context,
    k: &RawKey,
    bytes: Bytes,
    e: &ParseError,
    out: &mut Processed,
) -> Result<(), ProcessError> {
    quarantine::quarantine(ctx, k, bytes, e.parser, &e.to_string()).await?;
    if out.key == k.key {
        out.quarantined = Some(e.to_string());
    }
    Ok(())
}

/// Processes the payload stored at `key`. Parse failures are quarantined (and reported in the
/// result), not raised: they must not be retried forever.
pub async fn process_key(ctx: &Context, key: &str) -> Result<Processed, ProcessError> {
    let k = RawKey::parse(key)?;
    let bytes = load(ctx, key).await?;
    let mut out = Processed { key: key.to_string(), ..Default::default() };
    match k.endpoint {
        Endpoint::Schedule => schedule(ctx, &k, bytes, &mut out).await?,
        Endpoint::Gamelog => gamelog(ctx, &k, bytes, &mut out).await?,
        Endpoint::PlayByPlay => playbyplay(ctx, &k, bytes, &mut out).await?,
        Endpoint::Roster => roster(ctx, &k, bytes, &mut out).await?,
        Endpoint::EventOdds => event_odds(ctx, &k, bytes, &mut out).await?,
        Endpoint::Events => {
            out.kind = PayloadKind::OddsEvents.as_str().into();
            // No table: the planner reads events to fan out odds jobs. Still validated.
            match parse::parse_odds_events(&bytes) {
                Ok(ev) => out.unresolved = ev.events.unresolved.count,
                Err(e) => quarantine_err(ctx, &k, bytes, &e, &mut out).await?,
            }
        }
    }
    if out.unresolved > 0 {
        tracing::warn!(key, unresolved = out.unresolved, "names that did not resolve were counted, not dropped");
    }
    announce(ctx, &out).await?;
    Ok(out)
}

/// `TableUpdated` for every partition touched, written or unchanged: after a crash between
/// the write and this send, the redelivery must still wake phase 3 (the key dedups repeats).
async fn announce(ctx: &Context, out: &Processed) -> Result<(), ProcessError> {
    let now = ctx.clock.now();
    for p in &out.partitions {
        let payload = TableUpdated { table: p.table.to_string(), rows: p.rows, data_hash: p.data_hash.clone() };
        let env = Envelope::new(&payload, p.game_date, 2, "process-raw", &out.key, now, false)?;
        ctx.queue.send(QueueName::AnalyticsJobs, &env.to_json()).await?;
    }
    Ok(())
}

async fn schedule(ctx: &Context, k: &RawKey, bytes: Bytes, out: &mut Processed) -> Result<(), ProcessError> {
    out.kind = PayloadKind::Schedule.as_str().into();
    let parsed = match parse::parse_schedule(&bytes) {
        Ok(p) => p,
        Err(e) => return quarantine_err(ctx, k, bytes, &e, out).await,
    };
    out.unresolved = parsed.unresolved.count;
    for (date, rows) in rows::schedule::by_date(&parsed.records) {
        // A season's schedule spans every date: write a date only from a newer input.
        if let Some(w) = ctx.tables.replace_if_newer(date, rows, &k.fetched_at).await? {
            record(out, ScheduleRow::TABLE, date, w);
        }
    }
    Ok(())
}

async fn gamelog(ctx: &Context, k: &RawKey, bytes: Bytes, out: &mut Processed) -> Result<(), ProcessError> {
    let kind = gamelog_kind(&bytes);
    out.kind = kind.as_str().into();
    // Rebuild the date from the newest valid payload of the same kind (this one or a newer one).
    for candidate in newest_first(ctx, k).await? {
        let data = if candidate.key == k.key { bytes.clone() } else { load(ctx, &candidate.key).await? };
        if gamelog_kind(&data) != kind {
            continue;
        }
        let date = k.game_date;
        let result = match kind {
            PayloadKind::PlayerGamelog => parse::parse_player_gamelog(&data)
                .map(|p| (p.unresolved.count, Written::Players(rows::boxscores::players(&p.records, date)))),
            _ => parse::parse_team_gamelog(&data)
                .map(|p| (p.unresolved.count, Written::Teams(rows::boxscores::teams(&p.records, date)))),
        };
        match result {
            Ok((unresolved, rows)) => {
                out.unresolved = unresolved;
                match rows {
                    Written::Players(r) => {
                        let w = ctx.tables.replace(date, r).await?;
                        record(out, "player_boxscores", date, w);
                    }
                    Written::Teams(r) => {
                        let w = ctx.tables.replace(date, r).await?;
                        record(out, "team_boxscores", date, w);
                    }
                }
                return Ok(());
            }
            Err(e) => quarantine_err(ctx, &candidate, data, &e, out).await?,
        }
    }
    Ok(())
}

enum Written {
    Players(Vec<props_core::tables::rows::raw::PlayerBoxscoreRow>),
    Teams(Vec<props_core::tables::rows::raw::TeamBoxscoreRow>),
}

async fn playbyplay(ctx: &Context, k: &RawKey, bytes: Bytes, out: &mut Processed) -> Result<(), ProcessError> {
    out.kind = PayloadKind::PlayByPlay.as_str().into();
    if let Err(e) = parse::parse_playbyplay(&bytes) {
        return quarantine_err(ctx, k, bytes, &e, out).await;
    }
    let date = k.game_date;
    let schedule: Vec<ScheduleRow> = ctx.tables.read_date(date).await?;
    let ids: HashMap<String, String> =
        schedule.iter().filter_map(|s| s.nba_game_id.clone().map(|n| (n, s.game_id.clone()))).collect();
    // The date's shots: the newest valid payload of every game, whichever payload arrived.
    let mut per_game: BTreeMap<String, Vec<props_core::tables::rows::raw::ShotRow>> = BTreeMap::new();
    let mut unresolved = 0;
    for candidate in newest_first(ctx, k).await? {
        let data = if candidate.key == k.key { bytes.clone() } else { load(ctx, &candidate.key).await? };
        match parse::parse_playbyplay(&data) {
            Ok(p) => {
                let Some(game) = p.records.first().map(|a| a.nba_game_id.to_string()) else { continue };
                if per_game.contains_key(&game) {
                    continue; // an older payload of a game already taken
                }
                per_game.insert(game, rows::shots::from_actions(&p.records, date, &ids, &mut unresolved));
            }
            Err(e) => quarantine_err(ctx, &candidate, data, &e, out).await?,
        }
    }
    out.unresolved = unresolved;
    let shots: Vec<_> = per_game.into_values().flatten().collect();
    let w = ctx.tables.replace(date, shots).await?;
    record(out, "shots", date, w);
    Ok(())
}

fn snapshot_id(k: &RawKey) -> String {
    format!("{}-{}", k.fetched_at, k.sha12)
}

async fn roster(ctx: &Context, k: &RawKey, bytes: Bytes, out: &mut Processed) -> Result<(), ProcessError> {
    out.kind = PayloadKind::EspnRoster.as_str().into();
    let parsed = match parse::parse_espn_roster(&bytes) {
        Ok(p) => p,
        Err(e) => return quarantine_err(ctx, k, bytes, &e, out).await,
    };
    out.unresolved = parsed.unresolved.count;
    let at = k.fetched_instant().unwrap_or_else(|| ctx.clock.now());
    let w =
        ctx.tables.append(k.game_date, &snapshot_id(k), rows::rosters::rows(&parsed.records, k.game_date, at)).await?;
    record(out, "rosters", k.game_date, w);
    Ok(())
}

async fn event_odds(ctx: &Context, k: &RawKey, bytes: Bytes, out: &mut Processed) -> Result<(), ProcessError> {
    out.kind = PayloadKind::EventOdds.as_str().into();
    let odds = match parse::parse_event_odds(&bytes) {
        Ok(o) => o,
        Err(e) => return quarantine_err(ctx, k, bytes, &e, out).await,
    };
    out.unresolved = odds.unresolved.count;
    let fetched = k.fetched_instant().unwrap_or_else(|| ctx.clock.now());
    for (date, rows) in rows::odds::props(&odds, fetched) {
        let w = ctx.tables.append(date, &snapshot_id(k), rows).await?;
        record(out, "player_points_props", date, w);
    }
    for (date, rows) in rows::odds::lines(&odds, fetched) {
        let w = ctx.tables.append(date, &snapshot_id(k), rows).await?;
        record(out, "game_lines", date, w);
    }
    Ok(())
}
