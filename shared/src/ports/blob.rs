//! Object storage: the bucket (S3) or a directory on disk.

use async_trait::async_trait;
use bytes::Bytes;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectMeta {
    pub key: String,
    pub size: u64,
    /// Changes whenever the object is rewritten with other bytes (S3's ETag; on disk the
    /// file's inode, size and modification time): a reader may keep what it decoded of a
    /// version and trust it while the listing shows the same version.
    pub version: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("invalid object key `{key}`: {reason}")]
    InvalidKey { key: String, reason: &'static str },
    #[error("object store {op} `{key}` failed: {message}")]
    Backend { op: &'static str, key: String, message: String },
}

impl BlobError {
    pub fn backend(op: &'static str, key: &str, err: impl std::fmt::Display) -> Self {
        Self::Backend { op, key: key.to_string(), message: err.to_string() }
    }
}

#[async_trait]
pub trait BlobStore: Send + Sync {
    /// The object's bytes, or `None` when there is no such object.
    async fn get(&self, key: &str) -> Result<Option<Bytes>, BlobError>;

    /// Writes the whole object at once: readers see the old object or the new one, never a mix.
    async fn put(&self, key: &str, body: Bytes) -> Result<(), BlobError>;

    /// Writes only if no object exists at `key`; `Ok(false)` when one did (nothing written).
    async fn put_if_absent(&self, key: &str, body: Bytes) -> Result<bool, BlobError>;

    /// Every object whose key starts with `prefix`, sorted by key.
    async fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>, BlobError>;

    /// Deletes the object; deleting a missing object is not an error.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
}

/// Keys are relative, `/`-separated, and free of `..` so that the disk adapter cannot escape its
/// root and S3 keys stay portable.
pub fn validate_key(key: &str) -> Result<(), BlobError> {
    let bad = |reason| Err(BlobError::InvalidKey { key: key.to_string(), reason });
    if key.is_empty() {
        return bad("empty");
    }
    if key.starts_with('/') || key.contains('\\') {
        return bad("must be relative and use `/`");
    }
    if key.split('/').any(|seg| seg.is_empty() || seg == "." || seg == "..") {
        return bad("empty, `.` or `..` path segment");
    }
    if key.split('/').any(|seg| seg.starts_with(".tmp-")) {
        return bad("`.tmp-` is reserved for in-flight writes");
    }
    Ok(())
}
