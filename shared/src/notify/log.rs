use async_trait::async_trait;

use crate::ports::notifier::{Alert, Delivery, Notifier};

/// Writes alerts to the log: the embedded default when no webhook is configured.
#[derive(Clone, Copy, Debug, Default)]
pub struct LogNotifier;

#[async_trait]
impl Notifier for LogNotifier {
    async fn notify(&self, alert: &Alert) -> Delivery {
        let fields: Vec<String> = alert.fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
        tracing::warn!(
            severity = alert.severity.as_str(),
            source = %alert.source,
            fields = %fields.join(" "),
            "ALERT {}: {}",
            alert.title,
            alert.lines.join(" | ")
        );
        Delivery::Logged
    }
}
