//! Slack incoming webhooks: Block Kit messages routed by severity, sent with the shared retry
//! policy. A failure is logged and returned, never raised: an alert must not break a job.

use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::ports::notifier::{Alert, Delivery, Notifier, Severity};
use crate::retry::{RetryPolicy, parse_retry_after};
use crate::secrets::{Redactor, Secret};

/// Webhook per severity, each falling back to the default one.
#[derive(Clone, Debug, Default)]
pub struct SlackRoutes {
    pub default: Option<Secret>,
    pub info: Option<Secret>,
    pub warning: Option<Secret>,
    pub error: Option<Secret>,
    pub critical: Option<Secret>,
}

impl SlackRoutes {
    pub fn for_severity(&self, s: Severity) -> Option<&Secret> {
        let specific = match s {
            Severity::Info => &self.info,
            Severity::Warning => &self.warning,
            Severity::Error => &self.error,
            Severity::Critical => &self.critical,
        };
        specific.as_ref().or(self.default.as_ref()).filter(|s| !s.is_empty())
    }

    pub fn is_configured(&self) -> bool {
        [&self.default, &self.info, &self.warning, &self.error, &self.critical]
            .iter()
            .any(|s| s.as_ref().is_some_and(|s| !s.is_empty()))
    }

    pub fn all(&self) -> Vec<Secret> {
        [&self.default, &self.info, &self.warning, &self.error, &self.critical].into_iter().flatten().cloned().collect()
    }
}

#[derive(Clone, Debug)]
pub struct SlackNotifier {
    http: reqwest::Client,
    routes: SlackRoutes,
    policy: RetryPolicy,
    redactor: Redactor,
}

impl SlackNotifier {
    pub fn new(routes: SlackRoutes, policy: RetryPolicy, redactor: Redactor) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Self { http, routes, policy, redactor }
    }
}

fn color(s: Severity) -> &'static str {
    match s {
        Severity::Info => "#2eb886",
        Severity::Warning => "#daa038",
        Severity::Error => "#e01e5a",
        Severity::Critical => "#8b0000",
    }
}

/// The Block Kit payload: a colored attachment with a header, the lines (real newlines), and
/// the fields. Every text passes through the redactor.
pub fn block_kit(alert: &Alert, redactor: &Redactor) -> Value {
    let r = |s: &str| redactor.redact(s);
    let mut blocks = vec![json!({
        "type": "header",
        "text": {"type": "plain_text", "text": r(&format!("[{}] {}", alert.severity.as_str(), alert.title)).chars().take(150).collect::<String>()}
    })];
    if !alert.lines.is_empty() {
        let body: String = alert.lines.iter().map(|l| r(l)).collect::<Vec<_>>().join("\n");
        blocks.push(
            json!({"type": "section", "text": {"type": "mrkdwn", "text": body.chars().take(2900).collect::<String>()}}),
        );
    }
    if !alert.fields.is_empty() {
        let fields: Vec<Value> = alert
            .fields
            .iter()
            .take(10)
            .map(|(k, v)| json!({"type": "mrkdwn", "text": format!("*{}*\n{}", r(k), r(v))}))
            .collect();
        blocks.push(json!({"type": "section", "fields": fields}));
    }
    blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn", "text": r(&format!("nba-props · {}", alert.source))}]}));
    json!({
        "text": r(&format!("[{}] {}", alert.severity.as_str(), alert.title)),
        "attachments": [{"color": color(alert.severity), "blocks": blocks}]
    })
}

#[async_trait]
impl Notifier for SlackNotifier {
    async fn notify(&self, alert: &Alert) -> Delivery {
        let Some(url) = self.routes.for_severity(alert.severity) else {
            return crate::notify::LogNotifier.notify(alert).await;
        };
        let body = block_kit(alert, &self.redactor);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (reason, retry_after, retryable) = match self.http.post(url.expose()).json(&body).send().await {
                Ok(resp) if resp.status().is_success() => {
                    return Delivery::Sent { attempts: attempt };
                }
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let ra =
                        resp.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
                    (format!("HTTP {status}"), ra, status == 429 || status >= 500)
                }
                // reqwest errors can embed the URL: never let the webhook reach a log line.
                Err(e) => (self.redactor.redact(&format!("transport error: {}", e.without_url())), None, true),
            };
            if !retryable || !self.policy.may_retry(attempt) {
                tracing::error!(
                    attempts = attempt,
                    severity = alert.severity.as_str(),
                    "slack alert not delivered: {reason}"
                );
                return Delivery::Failed { attempts: attempt, reason };
            }
            tokio::time::sleep(self.policy.delay(attempt + 1, retry_after)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_fall_back_to_default() {
        let routes = SlackRoutes {
            default: Some(Secret::new("https://hooks/default")),
            critical: Some(Secret::new("https://hooks/critical")),
            ..Default::default()
        };
        assert_eq!(routes.for_severity(Severity::Critical).unwrap().expose(), "https://hooks/critical");
        assert_eq!(routes.for_severity(Severity::Info).unwrap().expose(), "https://hooks/default");
        assert!(SlackRoutes::default().for_severity(Severity::Error).is_none());
    }

    #[test]
    fn block_kit_has_color_real_newlines_and_no_secrets() {
        let redactor = Redactor::new([Secret::new("sk-canary-123")]);
        let alert = Alert::new(Severity::Warning, "daily-health", "2 checks failing")
            .line("box scores: 8/10 games")
            .line("odds: GET /v4/events?apiKey=sk-canary-123 failed")
            .field("game date", "2025-01-15");
        let v = block_kit(&alert, &redactor);
        let text = v.to_string();
        assert_eq!(v["attachments"][0]["color"], "#daa038");
        let section = v["attachments"][0]["blocks"][1]["text"]["text"].as_str().unwrap();
        assert!(section.contains("games\nodds"), "{section}");
        assert!(!section.contains("\\n"));
        assert!(!text.contains("sk-canary-123"), "{text}");
    }

    async fn send_to(script: &[u16]) -> (Delivery, usize) {
        let stub = crate::webhook_stub::SlackStub::start(script).await;
        let routes = SlackRoutes { default: Some(Secret::new(stub.url())), ..Default::default() };
        let redactor = Redactor::new(routes.all());
        let n = SlackNotifier::new(routes, RetryPolicy::SLACK.with_base(Duration::from_millis(2)), redactor);
        let d = n.notify(&Alert::new(Severity::Error, "test", "t")).await;
        (d, stub.requests().len())
    }

    #[tokio::test]
    async fn transient_statuses_are_retried_others_are_not() {
        assert_eq!(send_to(&[500, 500, 200]).await, (Delivery::Sent { attempts: 3 }, 3));
        assert_eq!(send_to(&[429, 200]).await, (Delivery::Sent { attempts: 2 }, 2));
        assert_eq!(send_to(&[503, 503, 503]).await.1, 3, "three attempts in all");
        assert_eq!(send_to(&[404]).await, (Delivery::Failed { attempts: 1, reason: "HTTP 404".into() }, 1));
        assert_eq!(send_to(&[400]).await.1, 1);
    }

    #[tokio::test]
    async fn an_unreachable_webhook_fails_without_naming_it() {
        let url = format!("http://127.0.0.1:1/hook/{}", crate::webhook_stub::CANARY);
        let routes = SlackRoutes { default: Some(Secret::new(url)), ..Default::default() };
        let redactor = Redactor::new(routes.all());
        let n = SlackNotifier::new(routes, RetryPolicy::SLACK.with_base(Duration::from_millis(2)), redactor);
        match n.notify(&Alert::new(Severity::Error, "test", "t")).await {
            Delivery::Failed { attempts: 3, reason } => {
                assert!(!reason.contains(crate::webhook_stub::CANARY) && !reason.contains("127.0.0.1:1"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
    }
}
