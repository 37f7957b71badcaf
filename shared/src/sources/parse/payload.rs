//! Raw payload bytes → JSON text. Payloads may arrive (or be stored) gzip-compressed; the
//! decompressed size is capped so a hostile or corrupt payload cannot exhaust memory.

use std::borrow::Cow;
use std::io::Read;

/// Larger than any real payload (the full-season schedule is about 9 MB).
pub const MAX_DECODED_BYTES: u64 = 128 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("gzip payload could not be decompressed: {0}")]
    Gzip(String),
    #[error("payload decompresses to more than {MAX_DECODED_BYTES} bytes")]
    TooLarge,
}

/// Returns the JSON bytes, decompressing gzip (recognized by its magic number) when present.
pub fn decode(raw: &[u8]) -> Result<Cow<'_, [u8]>, PayloadError> {
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(raw)
        .take(MAX_DECODED_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| PayloadError::Gzip(e.to_string()))?;
    if out.len() as u64 > MAX_DECODED_BYTES {
        return Err(PayloadError::TooLarge);
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn plain_and_gzip() {
        assert_eq!(&*decode(b"{}").unwrap(), b"{}");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"{\"a\":1}").unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(&*decode(&gz).unwrap(), b"{\"a\":1}");
        assert!(matches!(decode(&gz[..gz.len() / 2]), Err(PayloadError::Gzip(_))));
    }
}
