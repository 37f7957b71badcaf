//! Raw payload keys: `raw/{source}/{endpoint}/{game_date}/{fetched_at:%Y%m%dT%H%M%SZ}-{sha12}.json`.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::GameDate;
use crate::sources::request::Endpoint;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawKey {
    pub key: String,
    pub source: String,
    pub endpoint: Endpoint,
    pub game_date: GameDate,
    /// `20250116T060000Z`: sorts in time order, so it doubles as the input's version.
    pub fetched_at: String,
    pub sha12: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a raw payload key `{key}`: {reason}")]
pub struct BadKey {
    pub key: String,
    pub reason: &'static str,
}

impl RawKey {
    /// The key a payload fetched at `fetched_at` is stored under: immutable, and the same bytes
    /// fetched at the same second always land on the same key.
    pub fn new(endpoint: Endpoint, game_date: GameDate, fetched_at: DateTime<Utc>, body: &[u8]) -> Self {
        let fetched = fetched_at.format("%Y%m%dT%H%M%SZ").to_string();
        let sha12 = hex::encode(Sha256::digest(body))[..12].to_string();
        let key = format!("raw/{}/{}/{}/{}-{}.json", endpoint.source(), endpoint.as_str(), game_date, fetched, sha12);
        Self { key, source: endpoint.source().to_string(), endpoint, game_date, fetched_at: fetched, sha12 }
    }

    pub fn parse(key: &str) -> Result<Self, BadKey> {
        let bad = |reason| BadKey { key: key.chars().take(200).collect(), reason };
        let parts: Vec<&str> = key.split('/').collect();
        let [raw, source, endpoint, date, file] = parts.as_slice() else {
            return Err(bad("expected raw/{source}/{endpoint}/{game_date}/{file}"));
        };
        if *raw != "raw" {
            return Err(bad("does not start with raw/"));
        }
        let endpoint = Endpoint::ALL
            .into_iter()
            .find(|e| e.as_str() == *endpoint && e.source() == *source)
            .ok_or_else(|| bad("unknown source/endpoint"))?;
        let game_date: GameDate = date.parse().map_err(|_| bad("bad game date"))?;
        let stem = file.strip_suffix(".json").ok_or_else(|| bad("not a .json file"))?;
        let (fetched_at, sha12) = stem.split_once('-').ok_or_else(|| bad("file is not {fetched_at}-{sha}"))?;
        if fetched_at.len() != 16 || !fetched_at.ends_with('Z') {
            return Err(bad("fetched_at is not %Y%m%dT%H%M%SZ"));
        }
        Ok(Self {
            key: key.to_string(),
            source: source.to_string(),
            endpoint,
            game_date,
            fetched_at: fetched_at.to_string(),
            sha12: sha12.to_string(),
        })
    }

    /// `raw/{source}/{endpoint}/{game_date}/`: every payload of this endpoint for the date.
    pub fn dir(&self) -> String {
        format!("raw/{}/{}/{}/", self.source, self.endpoint.as_str(), self.game_date)
    }

    /// The fetch instant, for snapshot times when the payload carries none.
    pub fn fetched_instant(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        chrono::NaiveDateTime::parse_from_str(&self.fetched_at, "%Y%m%dT%H%M%SZ").ok().map(|n| n.and_utc())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_and_parse_agree() {
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2025, 1, 16, 6, 0, 0).unwrap();
        let k = RawKey::new(Endpoint::EventOdds, "2025-01-15".parse().unwrap(), at, b"{}");
        assert_eq!(k.key, "raw/odds/event-odds/2025-01-15/20250116T060000Z-44136fa355b3.json");
        assert_eq!(RawKey::parse(&k.key).unwrap(), k);
    }

    #[test]
    fn parses_and_refuses_by_name() {
        let k = RawKey::parse("raw/nba/gamelog/2025-01-15/20250116T060000Z-0123456789ab.json").unwrap();
        assert_eq!(
            (k.endpoint, k.game_date.to_string(), k.fetched_at.as_str()),
            (Endpoint::Gamelog, "2025-01-15".into(), "20250116T060000Z")
        );
        assert_eq!(k.dir(), "raw/nba/gamelog/2025-01-15/");
        assert_eq!(k.fetched_instant().unwrap().to_rfc3339(), "2025-01-16T06:00:00+00:00");
        for bad in [
            "raw/nba/gamelog/2025-01-15/x.json",
            "raw/espn/gamelog/2025-01-15/20250116T060000Z-a.json",
            "tables/x",
            "raw/nba/gamelog/2025-13-15/20250116T060000Z-a.json",
        ] {
            let e = RawKey::parse(bad).unwrap_err().to_string();
            assert!(e.starts_with("not a raw payload key"), "{e}");
        }
    }
}
