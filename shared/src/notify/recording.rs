use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use crate::ports::notifier::{Alert, Delivery, Notifier};

/// Keeps every alert in memory: for the local runner's summary and for tests.
#[derive(Clone, Debug, Default)]
pub struct RecordingNotifier {
    alerts: Arc<Mutex<Vec<Alert>>>,
}

impl RecordingNotifier {
    pub fn alerts(&self) -> Vec<Alert> {
        self.alerts.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

#[async_trait]
impl Notifier for RecordingNotifier {
    async fn notify(&self, alert: &Alert) -> Delivery {
        self.alerts.lock().unwrap_or_else(|p| p.into_inner()).push(alert.clone());
        Delivery::Logged
    }
}
