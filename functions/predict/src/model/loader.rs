//! Loading the champion for predict. Storage trouble is an error (the run is retried); a
//! champion whose files are missing or unreadable is logged and treated as no champion, so
//! `gbm` abstains and the other systems still predict.

use props_core::Context;
use props_core::ports::{BlobError, StateError};

use super::{GbmModel, registry};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("model registry: {0}")]
    State(#[from] StateError),
    #[error("model object: {0}")]
    Blob(#[from] BlobError),
}

pub async fn champion(ctx: &Context) -> Result<Option<GbmModel>, LoadError> {
    let Some(c) = registry::champion(ctx.state.as_ref()).await? else {
        return Ok(None);
    };
    let Some(bytes) = ctx.blobs.get(&c.model_key).await? else {
        tracing::warn!(version = %c.version, key = %c.model_key, "champion model object missing: gbm abstains");
        return Ok(None);
    };
    match serde_json::from_slice::<GbmModel>(&bytes) {
        Ok(m) => Ok(Some(m)),
        Err(e) => {
            tracing::warn!(version = %c.version, key = %c.model_key, error = %e, "champion model unreadable: gbm abstains");
            Ok(None)
        }
    }
}
