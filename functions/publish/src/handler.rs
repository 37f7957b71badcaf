//! `publish`: a `PublishJob` from `publish-jobs`, or `{"date": ...}` directly (today by default).
//! Each export is a single PUT of a deterministic document, so a redelivered job rewrites the
//! same bytes.

use async_trait::async_trait;
use bytes::Bytes;
use props_core::lambda::{EnvelopeHandler, HandlerError, JsonHandler};
use props_core::messages::{Envelope, MessageKind, PublishJob};
use props_core::{Context, GameDate};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{exports, page, report};

pub fn export_key(date: GameDate, file: &str) -> String {
    format!("exports/{date}/{file}")
}

pub const FILES: [&str; 4] = ["predictions.json", "results.json", "system-performance.json", "index.html"];

#[derive(Clone, Copy, Debug, Default)]
pub struct Publish;

impl Publish {
    /// Writes the four exports of `date`; returns their keys.
    pub async fn publish(&self, ctx: &Context, date: GameDate) -> Result<Vec<String>, HandlerError> {
        let r = report::read(ctx, date).await.map_err(|e| HandlerError::Transient(e.to_string()))?;
        let json = |v: Value| serde_json::to_vec_pretty(&v).unwrap_or_default();
        let docs = [
            json(exports::predictions(&r)),
            json(exports::results(&r)),
            json(exports::system_performance(&r)),
            page::render(&r).into_bytes(),
        ];
        let mut keys = Vec::new();
        for (file, body) in FILES.iter().zip(docs) {
            let key = export_key(date, file);
            ctx.blobs.put(&key, Bytes::from(body)).await.map_err(|e| HandlerError::Transient(format!("{key}: {e}")))?;
            keys.push(key);
        }
        tracing::info!(game_date = %date, predictions = r.predictions.len(), "published");
        Ok(keys)
    }
}

#[async_trait]
impl EnvelopeHandler for Publish {
    async fn handle(&self, ctx: &Context, envelope: Envelope) -> Result<(), HandlerError> {
        if envelope.kind != MessageKind::PublishJob {
            return Err(HandlerError::Permanent(format!(
                "publish does not handle {} messages",
                envelope.kind.as_str()
            )));
        }
        let _: PublishJob = envelope.payload().map_err(|e| HandlerError::Permanent(e.to_string()))?;
        self.publish(ctx, envelope.game_date).await.map(|_| ())
    }

    /// The page is rebuilt from the date's predictions as they are: one build per batch.
    fn coalesce_key(&self, envelope: &Envelope) -> Option<String> {
        Some(envelope.work_key(""))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    date: Option<String>,
}

#[async_trait]
impl JsonHandler for Publish {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        let input = if input.is_null() { json!({}) } else { input };
        let i: Input =
            serde_json::from_value(input).map_err(|e| HandlerError::Permanent(format!("invalid input: {e}")))?;
        let date = GameDate::resolve(i.date.as_deref().unwrap_or("TODAY"), ctx.clock.now())
            .map_err(|e| HandlerError::Permanent(e.to_string()))?;
        let keys = self.publish(ctx, date).await?;
        Ok(json!({"game_date": date.to_string(), "exports": keys}))
    }
}

#[cfg(test)]
mod tests;
