//! Storing a payload under its raw key, skipping one identical to the last payload stored for
//! the same request.
//!
//! A raw key names the endpoint, date, fetch time and content hash, but not the request, and
//! one directory holds many requests (30 rosters, player and team game logs, every event's
//! odds). So the newest payload of each request is indexed in the state store
//! (`RAWLAST#{source}/{endpoint}#{date}` / request fingerprint → key and sha256). "Identical
//! to the newest of the same request" — not "identical to any payload" — is what keeps a
//! roster that went healthy → injured → healthy correct: the third payload is stored again.
//!
//! Order: put the object, announce it, then update the index. After a crash between the put
//! and the index update, the retry finds the unindexed object (same hash, newer than the
//! indexed one) and re-announces it instead of writing a duplicate.

use bytes::Bytes;
use props_core::Context;
use props_core::GameDate;
use props_core::ports::{BlobError, Item, StateError};
use props_core::sources::SourceRequest;
use props_core::sources::raw_key::RawKey;
use props_core::tables::row::sha256_hex;

/// How long the index remembers a request's last payload.
const INDEX_TTL_DAYS: i64 = 35;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error(transparent)]
    State(#[from] StateError),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub key: String,
    pub sha256: String,
    pub bytes: u64,
    /// The same bytes as the last payload stored for this request: nothing was written.
    pub unchanged: bool,
}

fn index_pk(req: &SourceRequest, date: GameDate) -> String {
    format!("RAWLAST#{}#{}", req.endpoint, date)
}

/// The request's identity: its URL without any key (requests never hold one).
fn fingerprint(req: &SourceRequest) -> String {
    sha256_hex(req.display_url().as_bytes())[..32].to_string()
}

/// Stores `body` fetched by `req` (or finds it already stored). `unchanged` payloads need no
/// announcement; any other result must be announced and then [`remember`]ed.
pub async fn store(ctx: &Context, req: &SourceRequest, date: GameDate, body: &Bytes) -> Result<Stored, StoreError> {
    let sha256 = sha256_hex(body);
    let fresh = RawKey::new(req.endpoint, date, ctx.clock.now(), body);
    let last = ctx.state.get(&index_pk(req, date), &fingerprint(req)).await?;
    let listed: Vec<RawKey> =
        ctx.blobs.list(&fresh.dir()).await?.iter().filter_map(|m| RawKey::parse(&m.key).ok()).collect();
    let stored = |key: String, unchanged| Stored { key, sha256: sha256.clone(), bytes: body.len() as u64, unchanged };
    let last_key = last.as_ref().and_then(|i| i.get_str("key")).map(str::to_string);
    if let (Some(item), Some(key)) = (&last, &last_key) {
        if item.get_str("sha256") == Some(sha256.as_str()) && listed.iter().any(|k| &k.key == key) {
            return Ok(stored(key.clone(), true));
        }
    }
    // An object of these bytes newer than the indexed one: written by an attempt that crashed
    // before updating the index.
    let indexed_at = last_key.as_deref().and_then(|k| RawKey::parse(k).ok()).map(|k| k.fetched_at);
    let orphan = listed
        .iter()
        .filter(|k| k.sha12 == fresh.sha12 && indexed_at.as_ref().is_none_or(|t| &k.fetched_at > t))
        .max_by(|a, b| a.fetched_at.cmp(&b.fetched_at));
    if let Some(k) = orphan {
        if ctx.blobs.get(&k.key).await?.is_some_and(|b| b == *body) {
            return Ok(stored(k.key.clone(), false));
        }
    }
    ctx.blobs.put(&fresh.key, body.clone()).await?;
    Ok(stored(fresh.key, false))
}

/// Records `stored` as the newest payload of `req` (after it was announced).
pub async fn remember(ctx: &Context, req: &SourceRequest, date: GameDate, stored: &Stored) -> Result<(), StoreError> {
    let now = ctx.clock.now();
    let item = Item::new(index_pk(req, date), fingerprint(req))
        .with("key", stored.key.clone())
        .with("sha256", stored.sha256.clone())
        .with("url", req.display_url())
        .with("stored_at", now.to_rfc3339())
        .with("ttl", (now + chrono::Duration::days(INDEX_TTL_DAYS)).timestamp());
    ctx.state.put(item, None).await?;
    Ok(())
}
