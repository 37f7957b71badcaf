//! `{kind, version, idempotency_key, correlation_id, game_date, phase, producer, emitted_at,
//! backfill, payload}` — strictly parsed, with an idempotency key derived from content so that a
//! redelivered or re-sent message is recognised.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::payloads::*;
use crate::game_date::GameDate;
use crate::tables::row::{canonical_json, sha256_hex};

pub const ENVELOPE_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MessageKind {
    ScrapeJob,
    RawPayloadStored,
    TableUpdated,
    ProcessorCompleted,
    PhaseTrigger,
    PublishJob,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::ScrapeJob => "ScrapeJob",
            MessageKind::RawPayloadStored => "RawPayloadStored",
            MessageKind::TableUpdated => "TableUpdated",
            MessageKind::ProcessorCompleted => "ProcessorCompleted",
            MessageKind::PhaseTrigger => "PhaseTrigger",
            MessageKind::PublishJob => "PublishJob",
        }
    }
}

/// Payload types know their kind, so an envelope cannot carry a mismatched pair.
pub trait Payload: Serialize + DeserializeOwned {
    const KIND: MessageKind;
}

impl Payload for ScrapeJob {
    const KIND: MessageKind = MessageKind::ScrapeJob;
}
impl Payload for RawPayloadStored {
    const KIND: MessageKind = MessageKind::RawPayloadStored;
}
impl Payload for TableUpdated {
    const KIND: MessageKind = MessageKind::TableUpdated;
}
impl Payload for ProcessorCompleted {
    const KIND: MessageKind = MessageKind::ProcessorCompleted;
}
impl Payload for PhaseTrigger {
    const KIND: MessageKind = MessageKind::PhaseTrigger;
}
impl Payload for PublishJob {
    const KIND: MessageKind = MessageKind::PublishJob;
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub kind: MessageKind,
    pub version: u32,
    pub idempotency_key: String,
    pub correlation_id: String,
    pub game_date: GameDate,
    pub phase: u8,
    pub producer: String,
    pub emitted_at: DateTime<Utc>,
    pub backfill: bool,
    pub payload: Value,
}

#[derive(Debug, thiserror::Error)]
pub enum EnvelopeError {
    /// Not a message we can read: permanent, never retried.
    #[error("malformed envelope: {0}")]
    Malformed(String),
    #[error("malformed {kind} payload: {reason}")]
    Payload { kind: &'static str, reason: String },
    #[error("expected a {expected} message, got {got}")]
    WrongKind { expected: &'static str, got: &'static str },
    #[error("unsupported envelope version {0} (this build reads version {ENVELOPE_VERSION})")]
    Version(u32),
}

/// The content an idempotency key is derived from: kind, date, phase, backfill and payload —
/// not the producer's clock or correlation id, which differ between re-sends of the same thing.
fn derive_key(kind: MessageKind, game_date: GameDate, phase: u8, backfill: bool, payload: &Value) -> String {
    let basis = format!("{}|{}|{}|{}|{}", kind.as_str(), game_date, phase, backfill, canonical_json(payload));
    sha256_hex(basis.as_bytes())[..32].to_string()
}

impl Envelope {
    pub fn new<P: Payload>(
        payload: &P,
        game_date: GameDate,
        phase: u8,
        producer: &str,
        correlation_id: &str,
        emitted_at: DateTime<Utc>,
        backfill: bool,
    ) -> Result<Self, EnvelopeError> {
        let payload = serde_json::to_value(payload)
            .map_err(|e| EnvelopeError::Payload { kind: P::KIND.as_str(), reason: e.to_string() })?;
        Ok(Self {
            kind: P::KIND,
            version: ENVELOPE_VERSION,
            idempotency_key: derive_key(P::KIND, game_date, phase, backfill, &payload),
            correlation_id: correlation_id.to_string(),
            game_date,
            phase,
            producer: producer.to_string(),
            emitted_at,
            backfill,
            payload,
        })
    }

    /// Strictly parses a message body: an unknown kind, a missing or extra field, or a wrong
    /// type is an error naming it.
    pub fn parse(body: &str) -> Result<Self, EnvelopeError> {
        let env: Envelope = serde_json::from_str(body).map_err(|e| EnvelopeError::Malformed(e.to_string()))?;
        if env.version != ENVELOPE_VERSION {
            return Err(EnvelopeError::Version(env.version));
        }
        if env.idempotency_key.is_empty() {
            return Err(EnvelopeError::Malformed("empty idempotency_key".into()));
        }
        Ok(env)
    }

    pub fn to_json(&self) -> String {
        // Serializing plain data cannot fail; a fallback keeps this infallible without a panic.
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The typed payload, checking the kind.
    pub fn payload<P: Payload>(&self) -> Result<P, EnvelopeError> {
        if self.kind != P::KIND {
            return Err(EnvelopeError::WrongKind { expected: P::KIND.as_str(), got: self.kind.as_str() });
        }
        serde_json::from_value(self.payload.clone())
            .map_err(|e| EnvelopeError::Payload { kind: P::KIND.as_str(), reason: e.to_string() })
    }

    /// Whether the message's game date is older than `limit_days` before `today` (and not a
    /// backfill): such a message is acknowledged as `stale_skipped`, never retried.
    pub fn is_stale(&self, today: GameDate, limit_days: u64) -> bool {
        !self.backfill && self.game_date < today.minus_days(limit_days)
    }

    /// Where a consumer remembers the last message of this kind it handled (DESIGN §4, `MSG#`
    /// items), for the kinds whose content says all there is to do: a `TableUpdated` names a
    /// partition state, a `ProcessorCompleted` one run's output. A delivery equal to the last
    /// one handled in its slot does nothing new and is acknowledged unread; without that,
    /// at-least-once delivery multiplies from phase to phase. A table's slot is the table and
    /// date, not the content: a partition that goes A → B → A announces A again, and that must
    /// run. `None` for the kinds re-sent on purpose with the same content: a
    /// `RawPayloadStored` from `props reprocess`, a `PhaseTrigger` from healing, a `ScrapeJob`
    /// (deduplicated when enqueued).
    pub fn handled_slot(&self) -> Option<String> {
        match self.kind {
            MessageKind::TableUpdated => {
                let p: TableUpdated = self.payload().ok()?;
                Some(format!("{}|{}|{}|{}", self.kind.as_str(), self.game_date, self.backfill, p.table))
            }
            // Every completion is one run's (its output number is in it): the content is the slot.
            MessageKind::ProcessorCompleted => Some(self.idempotency_key.clone()),
            _ => None,
        }
    }

    /// A coalescing key ([`crate::lambda::EnvelopeHandler::coalesce_key`]) for work that
    /// depends only on the kind, the date, the mode and `what`: never on who sent it or when.
    pub fn work_key(&self, what: &str) -> String {
        format!("{}|{}|{}|{what}", self.kind.as_str(), self.game_date, self.backfill)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn job() -> ScrapeJob {
        let mut params = serde_json::Map::new();
        params.insert("season".into(), "2024-25".into());
        ScrapeJob { source: "nba/schedule".into(), workflow: "morning_operations".into(), params }
    }

    fn env(at_hour: u32, corr: &str) -> Envelope {
        let d: GameDate = "2025-01-15".parse().unwrap();
        let at = Utc.with_ymd_and_hms(2025, 1, 15, at_hour, 0, 0).unwrap();
        Envelope::new(&job(), d, 1, "plan-scrapes", corr, at, false).unwrap()
    }

    #[test]
    fn idempotency_key_depends_on_content_only() {
        assert_eq!(env(10, "a").idempotency_key, env(11, "b").idempotency_key);
        let mut other = job();
        other.params.insert("season".into(), "2023-24".into());
        let d: GameDate = "2025-01-15".parse().unwrap();
        let e2 = Envelope::new(&other, d, 1, "plan-scrapes", "a", Utc::now(), false).unwrap();
        assert_ne!(env(10, "a").idempotency_key, e2.idempotency_key);
    }

    #[test]
    fn round_trip_and_typed_payload() {
        let e = env(10, "c1");
        let back = Envelope::parse(&e.to_json()).unwrap();
        assert_eq!(back, e);
        assert_eq!(back.payload::<ScrapeJob>().unwrap(), job());
        let err = back.payload::<TableUpdated>().unwrap_err().to_string();
        assert_eq!(err, "expected a TableUpdated message, got ScrapeJob");
    }

    #[test]
    fn strict_parsing_names_the_problem() {
        let good: Value = serde_json::from_str(&env(10, "c").to_json()).unwrap();

        let mut unknown = good.clone();
        unknown["kind"] = "Nonsense".into();
        let e = Envelope::parse(&unknown.to_string()).unwrap_err().to_string();
        assert!(e.contains("unknown variant `Nonsense`"), "{e}");

        let mut missing = good.clone();
        missing.as_object_mut().unwrap().remove("game_date");
        let e = Envelope::parse(&missing.to_string()).unwrap_err().to_string();
        assert!(e.contains("missing field `game_date`"), "{e}");

        let mut wrong_type = good.clone();
        wrong_type["backfill"] = "yes".into();
        let e = Envelope::parse(&wrong_type.to_string()).unwrap_err().to_string();
        assert!(e.contains("invalid type"), "{e}");

        let mut bad_date = good.clone();
        bad_date["game_date"] = "2025-13-01".into();
        assert!(Envelope::parse(&bad_date.to_string()).unwrap_err().to_string().contains("2025-13-01"));

        let mut extra = good.clone();
        extra["surprise"] = 1.into();
        assert!(Envelope::parse(&extra.to_string()).unwrap_err().to_string().contains("unknown field `surprise`"));

        let mut bad_payload = good;
        bad_payload["payload"]["source"] = 7.into();
        let e = Envelope::parse(&bad_payload.to_string()).unwrap().payload::<ScrapeJob>().unwrap_err().to_string();
        assert!(e.starts_with("malformed ScrapeJob payload"), "{e}");

        for junk in ["", "null", "[]", "{", "\u{0}"] {
            let e = Envelope::parse(junk).unwrap_err().to_string();
            assert!(e.starts_with("malformed envelope") && !e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn staleness_respects_backfill() {
        let today: GameDate = "2025-01-20".parse().unwrap();
        let mut e = env(10, "c");
        assert!(e.is_stale(today, 3));
        assert!(!e.is_stale("2025-01-18".parse().unwrap(), 3));
        e.backfill = true;
        assert!(!e.is_stale(today, 3));
    }

    proptest! {
        #[test]
        fn arbitrary_bodies_never_panic(body in ".{0,300}") {
            let _ = Envelope::parse(&body);
        }
    }
}
