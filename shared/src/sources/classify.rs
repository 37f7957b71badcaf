//! Which failures are worth another attempt (DESIGN §6): transient = 429, 5xx, timeouts,
//! connection resets, an HTML page where JSON was expected, invalid or truncated JSON;
//! permanent = other 4xx and an API error body. Kept apart from the retry loop so the rules
//! can be read (and tested) on their own.

use serde::Serialize;

use crate::sources::parse::payload;
use crate::sources::request::Host;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// Worth another attempt: the source may answer next time.
    Transient,
    /// Another attempt would get the same answer.
    Permanent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureClass {
    RateLimited,
    ServerError,
    Timeout,
    Connection,
    /// An HTML page (captcha, maintenance) where JSON was expected.
    HtmlPage,
    /// Invalid or truncated JSON in a 2xx answer.
    InvalidJson,
    /// A 4xx (other than 429) or an unexpected status.
    ClientError,
    /// The API said what was wrong in a `{"message": ...}` body.
    ApiError,
    /// Nothing was sent: the request cannot be made as configured (no API key...).
    Misconfigured,
    /// The per-source circuit breaker is open; nothing was sent.
    CircuitOpen,
}

impl FailureClass {
    pub fn kind(self) -> FailureKind {
        match self {
            FailureClass::RateLimited
            | FailureClass::ServerError
            | FailureClass::Timeout
            | FailureClass::Connection
            | FailureClass::HtmlPage
            | FailureClass::InvalidJson
            | FailureClass::CircuitOpen => FailureKind::Transient,
            FailureClass::ClientError | FailureClass::ApiError | FailureClass::Misconfigured => FailureKind::Permanent,
        }
    }
}

pub(crate) fn classify_error(e: &reqwest::Error) -> FailureClass {
    if e.is_timeout() {
        FailureClass::Timeout
    } else if e.is_builder() {
        FailureClass::Misconfigured
    } else if e.is_redirect() {
        FailureClass::ClientError
    } else {
        // Connect failures, resets, incomplete messages: the network, not the request.
        FailureClass::Connection
    }
}

/// The error and its causes, without the URL (which could carry the key).
pub(crate) fn error_chain(e: &reqwest::Error) -> String {
    let mut out = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        out.push_str(": ");
        out.push_str(&s.to_string());
        src = s.source();
    }
    out
}

fn snippet(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(&body[..body.len().min(300)]);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `{"message": "..."}`: how the Odds API (and the replay of it) says what was wrong.
fn api_message(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let o = v.as_object()?;
    let msg = o.get("message")?.as_str()?;
    let looks_like_data = o.contains_key("data") || o.contains_key("id") || o.contains_key("resultSets");
    (!looks_like_data).then(|| match o.get("error_code").and_then(|c| c.as_str()) {
        Some(code) => format!("{msg} ({code})"),
        None => msg.to_string(),
    })
}

fn looks_like_html(content_type: &str, body: &[u8]) -> bool {
    if content_type.contains("text/html") {
        return true;
    }
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(body.len());
    body.get(start) == Some(&b'<')
}

/// `None` when the answer is a usable JSON payload; otherwise the failure class and a short
/// description.
pub(crate) fn classify_response(
    status: u16,
    content_type: &str,
    body: &[u8],
    host: Host,
) -> Option<(FailureClass, String)> {
    let described = |what: &str| match api_message(body) {
        Some(m) => format!("HTTP {status} {what}: {m}"),
        None => format!("HTTP {status} {what}: {}", snippet(body)),
    };
    match status {
        429 => return Some((FailureClass::RateLimited, described("rate limited"))),
        500..=599 => return Some((FailureClass::ServerError, described("server error"))),
        400..=499 => {
            return Some(match api_message(body) {
                Some(m) => (FailureClass::ApiError, format!("HTTP {status}: {m}")),
                None => (FailureClass::ClientError, described("client error")),
            });
        }
        200..=299 => {}
        _ => return Some((FailureClass::ClientError, described("unexpected status"))),
    }
    if looks_like_html(content_type, body) {
        return Some((
            FailureClass::HtmlPage,
            format!("HTTP {status}: an HTML page where JSON was expected: {}", snippet(body)),
        ));
    }
    let decoded = match payload::decode(body) {
        Ok(d) => d,
        Err(e) => return Some((FailureClass::InvalidJson, format!("HTTP {status}: {e}"))),
    };
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&decoded) {
        return Some((
            FailureClass::InvalidJson,
            format!("HTTP {status}: invalid or truncated JSON ({} bytes): {e}", body.len()),
        ));
    }
    if host == Host::OddsApi
        && let Some(m) = api_message(&decoded)
    {
        return Some((FailureClass::ApiError, format!("HTTP {status}: API error: {m}")));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_classification() {
        let c = |s, ct: &str, b: &str, h| classify_response(s, ct, b.as_bytes(), h).map(|x| x.0);
        assert_eq!(c(200, "application/json", "{\"a\":1}", Host::NbaStats), None);
        assert_eq!(c(200, "application/json", "[]", Host::OddsApi), None);
        assert_eq!(c(429, "", "", Host::NbaStats), Some(FailureClass::RateLimited));
        assert_eq!(c(503, "", "{}", Host::Espn), Some(FailureClass::ServerError));
        assert_eq!(c(404, "", "{}", Host::NbaCdn), Some(FailureClass::ClientError));
        assert_eq!(
            c(401, "", "{\"message\":\"bad key\",\"error_code\":\"INVALID_KEY\"}", Host::OddsApi),
            Some(FailureClass::ApiError)
        );
        assert_eq!(c(200, "text/html", "<html>", Host::NbaStats), Some(FailureClass::HtmlPage));
        assert_eq!(c(200, "application/json", " \n<!DOCTYPE html>", Host::NbaStats), Some(FailureClass::HtmlPage));
        assert_eq!(c(200, "application/json", "{\"a\":[1,", Host::NbaStats), Some(FailureClass::InvalidJson));
        assert_eq!(c(200, "application/json", "", Host::NbaStats), Some(FailureClass::InvalidJson));
        assert_eq!(
            c(200, "application/json", "{\"message\":\"usage quota reached\"}", Host::OddsApi),
            Some(FailureClass::ApiError)
        );
        assert_eq!(c(302, "", "", Host::Espn), Some(FailureClass::ClientError));
        assert_eq!(FailureClass::ApiError.kind(), FailureKind::Permanent);
        assert_eq!(FailureClass::HtmlPage.kind(), FailureKind::Transient);
    }

    proptest::proptest! {
        /// Whatever the body, the status decides first: 429 and 5xx retry, other 4xx do not.
        #[test]
        fn status_rules_hold_for_any_body(status in 100u16..600, body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
            let got = classify_response(status, "", &body, Host::OddsApi).map(|(c, _)| c.kind());
            match status {
                429 | 500..=599 => proptest::prop_assert_eq!(got, Some(FailureKind::Transient)),
                400..=499 => proptest::prop_assert_eq!(got, Some(FailureKind::Permanent)),
                200..=299 => {}
                _ => proptest::prop_assert_eq!(got, Some(FailureKind::Permanent)),
            }
        }

        /// A 2xx with a JSON array or a data object is accepted as it is.
        #[test]
        fn valid_json_data_is_accepted(status in 200u16..300, n in 0usize..5) {
            let body = serde_json::to_vec(&vec![serde_json::json!({"id": "x"}); n]).unwrap_or_default();
            proptest::prop_assert_eq!(classify_response(status, "application/json", &body, Host::OddsApi), None);
        }
    }
}
