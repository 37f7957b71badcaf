//! Payloads that cannot be parsed are copied to `quarantine/` with an `.error.json` beside them,
//! alerted once, and acknowledged: kept for a parser fix and `props reprocess`, never retried
//! forever.

use bytes::Bytes;
use props_core::Context;
use props_core::ports::{Alert, Severity};
use serde_json::json;

use props_core::sources::raw_key::RawKey;

#[derive(Debug, thiserror::Error)]
#[error("could not quarantine `{key}`: {source}")]
pub struct QuarantineError {
    pub key: String,
    #[source]
    pub source: props_core::ports::BlobError,
}

/// `quarantine/{source}/{endpoint}/{date}/{file}`.
pub fn quarantine_key(k: &RawKey) -> String {
    k.key.replacen("raw/", "quarantine/", 1)
}

/// Quarantines the payload; alerts only the first time this payload is quarantined.
pub async fn quarantine(
    ctx: &Context,
    k: &RawKey,
    payload: Bytes,
    parser: &str,
    error: &str,
) -> Result<bool, QuarantineError> {
    let qkey = quarantine_key(k);
    let err = |source| QuarantineError { key: qkey.clone(), source };
    ctx.blobs.put(&qkey, payload).await.map_err(err)?;
    let body = json!({
        "raw_key": k.key,
        "parser": parser,
        "error": error,
        "quarantined_at": ctx.clock.now().to_rfc3339(),
    });
    let error_key = format!("{}.error.json", qkey.trim_end_matches(".json"));
    let first = ctx.blobs.put_if_absent(&error_key, Bytes::from(body.to_string())).await.map_err(err)?;
    if first {
        let alert = Alert::new(Severity::Error, "process-raw", format!("Payload quarantined: {}", k.endpoint.as_str()))
            .line(format!("{parser}: {error}"))
            .line(format!("Kept at {qkey}; fix the parser, then `props reprocess --from {0} --to {0}`.", k.game_date))
            .field("game date", k.game_date.to_string());
        ctx.notifier.notify(&alert).await;
    }
    Ok(first)
}
