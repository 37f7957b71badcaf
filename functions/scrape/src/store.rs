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
//! indexed one) and re-announces it instead of writing a duplicate. A request seen for the
//! first time whose bytes equal an object already in the directory (an empty `[]` events list
//! for two windows) shares that object: the key is content-addressed, so it is the same payload.

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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};
    use props_core::config::SourceUrls;
    use props_core::identity::TeamCode;
    use props_core::sources::espn;
    use props_core::testkit::Harness;

    fn roster(team: &str) -> SourceRequest {
        espn::roster(&SourceUrls::all_at("http://h"), TeamCode::from_tricode(team).unwrap())
    }

    async fn keys(h: &Harness) -> Vec<String> {
        h.ctx.blobs.list("raw/").await.unwrap().into_iter().map(|m| m.key).collect()
    }

    #[tokio::test]
    async fn identical_to_the_newest_of_the_same_request_is_skipped_and_nothing_else() {
        let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 15, 14, 0, 0).unwrap());
        let date: GameDate = "2025-01-15".parse().unwrap();
        let (bos, nyk) = (roster("BOS"), roster("NYK"));
        let (healthy, injured) = (Bytes::from_static(b"{\"a\":1}"), Bytes::from_static(b"{\"a\":2}"));
        let step = |h: &Harness| h.clock.advance(Duration::hours(1));

        let s1 = store(&h.ctx, &bos, date, &healthy).await.unwrap();
        assert!(!s1.unchanged);
        remember(&h.ctx, &bos, date, &s1).await.unwrap();
        step(&h);
        let again = store(&h.ctx, &bos, date, &healthy).await.unwrap();
        assert_eq!((again.unchanged, again.key.as_str()), (true, s1.key.as_str()), "same request, same bytes");
        // Another request with byte-identical content (never seen for real rosters, but for
        // empty lists) is announced for itself, and shares the object rather than copy it.
        let other = store(&h.ctx, &nyk, date, &healthy).await.unwrap();
        assert_eq!((other.unchanged, other.key.as_str()), (false, s1.key.as_str()));
        remember(&h.ctx, &nyk, date, &other).await.unwrap();
        // healthy → injured → healthy: the third is new again (only the NEWEST counts).
        step(&h);
        let s2 = store(&h.ctx, &bos, date, &injured).await.unwrap();
        remember(&h.ctx, &bos, date, &s2).await.unwrap();
        step(&h);
        let s3 = store(&h.ctx, &bos, date, &healthy).await.unwrap();
        assert!(!s3.unchanged && s3.key != s1.key);
        remember(&h.ctx, &bos, date, &s3).await.unwrap();
        assert_eq!(keys(&h).await.len(), 3);
    }

    #[tokio::test]
    async fn an_object_left_by_a_crash_is_reused_not_duplicated() {
        let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 15, 14, 0, 0).unwrap());
        let date: GameDate = "2025-01-15".parse().unwrap();
        let req = roster("BOS");
        let body = Bytes::from_static(b"{\"a\":1}");
        let first = store(&h.ctx, &req, date, &body).await.unwrap();
        // crash: never announced, never remembered
        h.clock.advance(Duration::minutes(15));
        let retry = store(&h.ctx, &req, date, &body).await.unwrap();
        assert_eq!((retry.key.as_str(), retry.unchanged), (first.key.as_str(), false), "re-announced, not rewritten");
        assert_eq!(keys(&h).await.len(), 1);
    }
}
