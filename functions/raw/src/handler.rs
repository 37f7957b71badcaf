//! `process-raw`: consumes `RawPayloadStored` from `raw-payloads`.

use async_trait::async_trait;
use props_core::Context;
use props_core::lambda::{EnvelopeHandler, HandlerError};
use props_core::messages::{Envelope, RawPayloadStored};

use crate::process::process_key;

pub struct ProcessRaw;

#[async_trait]
impl EnvelopeHandler for ProcessRaw {
    async fn handle(&self, ctx: &Context, envelope: Envelope) -> Result<(), HandlerError> {
        let p: RawPayloadStored = envelope.payload().map_err(|e| HandlerError::Permanent(e.to_string()))?;
        match process_key(ctx, &p.key).await {
            Ok(done) => {
                if let Some(q) = &done.quarantined {
                    // Acknowledged on purpose: the payload is kept in quarantine and alerted.
                    tracing::error!(key = %p.key, error = %q, "payload quarantined");
                }
                tracing::info!(key = %p.key, partitions = done.partitions.len(), "processed");
                Ok(())
            }
            Err(e) if e.is_transient() => Err(HandlerError::Transient(e.to_string())),
            Err(e) => Err(HandlerError::Permanent(e.to_string())),
        }
    }
}
