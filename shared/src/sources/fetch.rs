//! THE fetch policy (DESIGN §6), used by every source: one HTTP client with fixed timeouts and
//! no retries of its own, a classification of every failure as transient or permanent, and one
//! retry loop (the shared [`RetryPolicy`]) for the transient ones.
//!
//! One retry layer only: the previous system stacked client retries under application retries
//! and turned one failure into twelve calls.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use serde::Serialize;

pub use crate::sources::classify::{FailureClass, FailureKind};

use crate::config::Config;
use crate::retry::{RetryPolicy, parse_retry_after};
use crate::secrets::{Redactor, Secret};
use crate::sources::classify::{classify_error, classify_response, error_chain};
use crate::sources::request::{Endpoint, Host, SourceRequest, encode};

/// Longest error message recorded (DESIGN §6).
pub const MAX_MESSAGE_CHARS: usize = 1_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct FetchFailure {
    pub kind: FailureKind,
    pub class: FailureClass,
    /// Redacted, at most [`MAX_MESSAGE_CHARS`] characters.
    pub message: String,
}

/// The Odds API's quota headers, recorded with every answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct OddsQuota {
    pub remaining: Option<f64>,
    pub used: Option<f64>,
    pub last: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttemptRecord {
    pub attempt: u32,
    pub status: Option<u16>,
    pub bytes: u64,
    pub duration_ms: u64,
    pub failure: Option<FailureClass>,
}

/// Everything known about one fetch, success or not: what the scraper records.
#[derive(Clone, Debug)]
pub struct FetchOutcome {
    pub host: Host,
    pub endpoint: Endpoint,
    /// The URL without any secret.
    pub url: String,
    pub attempts: u32,
    /// The last HTTP status seen, if any answer came back.
    pub status: Option<u16>,
    /// Size of the last body received.
    pub bytes: u64,
    /// Wall time of the whole fetch, backoff included.
    pub duration: Duration,
    pub quota: Option<OddsQuota>,
    pub attempt_log: Vec<AttemptRecord>,
    pub result: Result<Bytes, FetchFailure>,
}

impl FetchOutcome {
    pub fn is_success(&self) -> bool {
        self.result.is_ok()
    }

    pub fn failure(&self) -> Option<&FetchFailure> {
        self.result.as_ref().err()
    }

    /// A 404: for optional sources (old play-by-play) this means "no data", not an error.
    pub fn is_not_found(&self) -> bool {
        self.status == Some(404)
    }

    pub(crate) fn refused(req: &SourceRequest, class: FailureClass, message: String) -> Self {
        Self {
            host: req.host,
            endpoint: req.endpoint,
            url: req.display_url(),
            attempts: 0,
            status: None,
            bytes: 0,
            duration: Duration::ZERO,
            quota: None,
            attempt_log: Vec::new(),
            result: Err(FetchFailure { kind: class.kind(), class, message }),
        }
    }
}

/// Timeouts and retry policy. `DEFAULT` is the production setting; tests shorten the delays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchSettings {
    pub retry: RetryPolicy,
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
}

impl FetchSettings {
    pub const DEFAULT: FetchSettings = FetchSettings {
        retry: RetryPolicy::FETCH,
        connect_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(30),
    };

    /// The production policy with a short base delay (tests, local replays).
    pub fn with_base_delay(base: Duration) -> Self {
        Self { retry: RetryPolicy::FETCH.with_base(base), ..Self::DEFAULT }
    }
}

/// The sources' HTTP client type, for handlers that keep one ([`Fetcher::http_client`]).
pub type HttpClient = reqwest::Client;

#[derive(Debug, thiserror::Error)]
#[error("cannot build the HTTP client: {0}")]
pub struct FetchSetupError(String);

/// The one HTTP client of the sources, with its policy and the secrets it must never reveal.
#[derive(Clone, Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
    odds_api_key: Option<Secret>,
    /// The configured secrets (and secret-looking query parameters).
    redactor: Redactor,
    /// The key this fetcher sends itself, whatever redactor it was given.
    key_redactor: Redactor,
}

struct Attempt {
    status: Option<u16>,
    bytes: u64,
    quota: Option<OddsQuota>,
    retry_after: Option<Duration>,
    result: Result<Bytes, FetchFailure>,
}

impl Fetcher {
    pub fn new(
        settings: FetchSettings,
        odds_api_key: Option<Secret>,
        redactor: Redactor,
    ) -> Result<Self, FetchSetupError> {
        Ok(Self::with_client(Self::http_client(settings)?, settings, odds_api_key, redactor))
    }

    /// The HTTP client of `settings`. Building one loads the system's root certificates (a few
    /// milliseconds): a handler that fetches many times builds it once and passes it to
    /// [`Fetcher::with_client`]. No idle connections are pooled, so a client outliving the
    /// async runtime it was first used on (a handler shared by tests) never reuses a dead one.
    pub fn http_client(settings: FetchSettings) -> Result<HttpClient, FetchSetupError> {
        reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.total_timeout)
            .retry(reqwest::retry::never())
            .pool_max_idle_per_host(0)
            .build()
            .map_err(|e| FetchSetupError(e.to_string()))
    }

    /// A fetcher on a client built by [`Fetcher::http_client`] with the same `settings`.
    pub fn with_client(
        client: HttpClient,
        settings: FetchSettings,
        odds_api_key: Option<Secret>,
        redactor: Redactor,
    ) -> Self {
        let key_redactor = Redactor::new(odds_api_key.iter().cloned());
        Self { client, settings, odds_api_key, redactor, key_redactor }
    }

    /// Production settings, the configured key and every configured secret redacted.
    pub fn from_config(config: &Config) -> Result<Self, FetchSetupError> {
        Self::new(FetchSettings::DEFAULT, config.odds_api_key.clone(), config.redactor())
    }

    pub fn settings(&self) -> FetchSettings {
        self.settings
    }

    /// Fetches with retries. Never returns an error type: the outcome says what happened,
    /// including how many attempts it took.
    pub async fn fetch(&self, req: &SourceRequest) -> FetchOutcome {
        let started = Instant::now();
        let url = match self.send_url(req) {
            Ok(u) => u,
            Err(message) => {
                return FetchOutcome::refused(req, FailureClass::Misconfigured, message);
            }
        };
        let policy = self.settings.retry;
        let mut log = Vec::new();
        let mut attempt_no = 0;
        loop {
            attempt_no += 1;
            let t0 = Instant::now();
            let mut a = self.attempt(req, &url).await;
            log.push(AttemptRecord {
                attempt: attempt_no,
                status: a.status,
                bytes: a.bytes,
                duration_ms: u64::try_from(t0.elapsed().as_millis()).unwrap_or(u64::MAX),
                failure: a.result.as_ref().err().map(|f| f.class),
            });
            let retry_delay = match &mut a.result {
                Err(f) if f.kind == FailureKind::Transient && policy.may_retry(attempt_no) => match a.retry_after {
                    Some(ra) if ra > policy.max_retry_after => {
                        f.message = self.clip(&format!(
                            "{} (Retry-After {}s exceeds the {}s the policy waits)",
                            f.message,
                            ra.as_secs(),
                            policy.max_retry_after.as_secs()
                        ));
                        None
                    }
                    ra => Some(policy.delay(attempt_no + 1, ra)),
                },
                _ => None,
            };
            if let Some(d) = retry_delay {
                tracing::warn!(
                    host = %req.host, endpoint = %req.endpoint, attempt = attempt_no,
                    delay_ms = d.as_millis() as u64,
                    error = a.result.as_ref().err().map(|f| f.message.as_str()).unwrap_or(""),
                    "transient source failure; retrying"
                );
                tokio::time::sleep(d).await;
                continue;
            }
            return FetchOutcome {
                host: req.host,
                endpoint: req.endpoint,
                url: req.display_url(),
                attempts: attempt_no,
                status: a.status,
                bytes: a.bytes,
                duration: started.elapsed(),
                quota: a.quota,
                attempt_log: log,
                result: a.result,
            };
        }
    }

    /// The URL actually sent: the request's, plus the key where the source needs one.
    fn send_url(&self, req: &SourceRequest) -> Result<String, String> {
        let mut url = req.display_url();
        if req.needs_api_key() {
            let key = self.odds_api_key.as_ref().filter(|k| !k.is_empty()).ok_or_else(|| {
                format!("{} {}: ODDS_API_KEY is not configured; nothing was sent", req.endpoint, req.display_url())
            })?;
            url.push(if req.query.is_empty() { '?' } else { '&' });
            url.push_str("apiKey=");
            url.push_str(&encode(key.expose()));
        }
        Ok(url)
    }

    async fn attempt(&self, req: &SourceRequest, url: &str) -> Attempt {
        let mut rb = self.client.get(url);
        for (k, v) in &req.headers {
            rb = rb.header(*k, *v);
        }
        let fail = |class: FailureClass, what: String| FetchFailure {
            kind: class.kind(),
            class,
            message: self.clip(&format!("{} {}: {what}", req.endpoint, req.display_url())),
        };
        let resp = match rb.send().await {
            Ok(r) => r,
            Err(e) => {
                // The URL carries the key: drop it from the error before anything prints it.
                let e = e.without_url();
                let class = classify_error(&e);
                return Attempt {
                    status: None,
                    bytes: 0,
                    quota: None,
                    retry_after: None,
                    result: Err(fail(class, error_chain(&e))),
                };
            }
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let quota = (req.host == Host::OddsApi).then(|| quota(&headers));
        let retry_after = headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
        let body = match resp.bytes().await {
            Ok(b) => b,
            Err(e) => {
                let e = e.without_url();
                let class = if e.is_timeout() { FailureClass::Timeout } else { FailureClass::Connection };
                return Attempt {
                    status: Some(status),
                    bytes: 0,
                    quota,
                    retry_after,
                    result: Err(fail(class, format!("HTTP {status}, body not received: {}", error_chain(&e)))),
                };
            }
        };
        let bytes = body.len() as u64;
        let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
        let result = match classify_response(status, &content_type, &body, req.host) {
            None => Ok(body),
            Some((class, what)) => Err(fail(class, what)),
        };
        Attempt { status: Some(status), bytes, quota, retry_after, result }
    }

    fn clip(&self, text: &str) -> String {
        self.key_redactor.redact(&self.redactor.redact(text)).chars().take(MAX_MESSAGE_CHARS).collect()
    }
}

fn quota(h: &HeaderMap) -> OddsQuota {
    let num = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).and_then(|s| s.trim().parse::<f64>().ok());
    OddsQuota { remaining: num("x-requests-remaining"), used: num("x-requests-used"), last: num("x-requests-last") }
}
