//! `Queue` on SQS. Queue URLs come from configuration, or are looked up once by name
//! (`{prefix}{queue}`) and cached.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{MessageSystemAttributeName, QueueAttributeName, SendMessageBatchRequestEntry};

use super::describe;
use crate::ports::queue::{Queue, QueueDepth, QueueError, QueueName, Received, check_size};

#[derive(Clone, Debug)]
pub struct SqsQueue {
    client: Client,
    prefix: String,
    /// Explicit URLs by queue name (`scrape-jobs`, `scrape-jobs-dlq`), and those looked up.
    urls: Arc<Mutex<HashMap<String, String>>>,
}

impl SqsQueue {
    pub fn new(sdk: &aws_config::SdkConfig, prefix: impl Into<String>, urls: HashMap<String, String>) -> Self {
        Self { client: Client::new(sdk), prefix: prefix.into(), urls: Arc::new(Mutex::new(urls)) }
    }

    fn be(queue: QueueName, op: &'static str, message: String) -> QueueError {
        QueueError::Backend { queue, op, message }
    }

    async fn url_of(&self, queue: QueueName, name: &str) -> Result<String, QueueError> {
        if let Some(u) = self.urls.lock().unwrap_or_else(|p| p.into_inner()).get(name) {
            return Ok(u.clone());
        }
        let full = format!("{}{}", self.prefix, name);
        let out = self.client.get_queue_url().queue_name(&full).send().await.map_err(|e| {
            let env = format!("PROPS_QUEUE_{}_URL", name.replace('-', "_").to_ascii_uppercase());
            if describe(&e).contains("NonExistentQueue") {
                QueueError::NotConfigured { queue, env }
            } else {
                Self::be(queue, "get_queue_url", describe(&e))
            }
        })?;
        let url = out.queue_url().unwrap_or_default().to_string();
        self.urls.lock().unwrap_or_else(|p| p.into_inner()).insert(name.to_string(), url.clone());
        Ok(url)
    }

    async fn url(&self, queue: QueueName) -> Result<String, QueueError> {
        self.url_of(queue, queue.as_str()).await
    }

    /// Creates the queue and its DLQ (redrive after 5 receives) if missing: for emulators.
    pub async fn ensure_queues(&self) -> Result<(), QueueError> {
        for q in QueueName::ALL {
            let dlq_name = format!("{}{}-dlq", self.prefix, q.as_str());
            let dlq = self
                .client
                .create_queue()
                .queue_name(&dlq_name)
                .send()
                .await
                .map_err(|e| Self::be(q, "create_queue", describe(&e)))?;
            let dlq_url = dlq.queue_url().unwrap_or_default().to_string();
            let arn = self
                .client
                .get_queue_attributes()
                .queue_url(&dlq_url)
                .attribute_names(QueueAttributeName::QueueArn)
                .send()
                .await
                .map_err(|e| Self::be(q, "get_queue_attributes", describe(&e)))?
                .attributes()
                .and_then(|a| a.get(&QueueAttributeName::QueueArn).cloned())
                .unwrap_or_default();
            let redrive = serde_json::json!({"deadLetterTargetArn": arn, "maxReceiveCount": crate::ports::queue::MAX_RECEIVES.to_string()});
            let main = self
                .client
                .create_queue()
                .queue_name(format!("{}{}", self.prefix, q.as_str()))
                .attributes(QueueAttributeName::RedrivePolicy, redrive.to_string())
                .send()
                .await
                .map_err(|e| Self::be(q, "create_queue", describe(&e)))?;
            let mut urls = self.urls.lock().unwrap_or_else(|p| p.into_inner());
            urls.insert(q.as_str().to_string(), main.queue_url().unwrap_or_default().to_string());
            urls.insert(format!("{}-dlq", q.as_str()), dlq_url);
        }
        Ok(())
    }

    async fn visible_count(&self, queue: QueueName, url: &str) -> Result<(u64, u64), QueueError> {
        let out = self
            .client
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
            .send()
            .await
            .map_err(|e| Self::be(queue, "get_queue_attributes", describe(&e)))?;
        let get = |n: QueueAttributeName| {
            out.attributes().and_then(|a| a.get(&n)).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
        };
        Ok((
            get(QueueAttributeName::ApproximateNumberOfMessages),
            get(QueueAttributeName::ApproximateNumberOfMessagesNotVisible),
        ))
    }
}

#[async_trait]
impl Queue for SqsQueue {
    async fn send(&self, queue: QueueName, body: &str) -> Result<(), QueueError> {
        check_size(queue, body)?;
        let url = self.url(queue).await?;
        self.client
            .send_message()
            .queue_url(url)
            .message_body(body)
            .send()
            .await
            .map_err(|e| Self::be(queue, "send", describe(&e)))?;
        Ok(())
    }

    async fn send_batch(&self, queue: QueueName, bodies: &[String]) -> Result<(), QueueError> {
        let url = self.url(queue).await?;
        // SQS takes at most 10 entries (and 256 KiB) per batch call.
        for chunk in bodies.chunks(10) {
            let mut req = self.client.send_message_batch().queue_url(&url);
            for (i, b) in chunk.iter().enumerate() {
                check_size(queue, b)?;
                let entry = SendMessageBatchRequestEntry::builder()
                    .id(i.to_string())
                    .message_body(b)
                    .build()
                    .map_err(|e| Self::be(queue, "send_batch", e.to_string()))?;
                req = req.entries(entry);
            }
            let out = req.send().await.map_err(|e| Self::be(queue, "send_batch", describe(&e)))?;
            if let Some(f) = out.failed().first() {
                return Err(Self::be(
                    queue,
                    "send_batch",
                    format!(
                        "{} of {} entries failed, first: {}",
                        out.failed().len(),
                        chunk.len(),
                        f.message().unwrap_or(f.code())
                    ),
                ));
            }
        }
        Ok(())
    }

    async fn receive(&self, queue: QueueName, max: usize, visibility: Duration) -> Result<Vec<Received>, QueueError> {
        let url = self.url(queue).await?;
        let out = self
            .client
            .receive_message()
            .queue_url(url)
            .max_number_of_messages(max.clamp(1, 10) as i32)
            .visibility_timeout(visibility.as_secs().min(43_200) as i32)
            .wait_time_seconds(1)
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .send()
            .await
            .map_err(|e| Self::be(queue, "receive", describe(&e)))?;
        Ok(out
            .messages()
            .iter()
            .map(|m| Received {
                message_id: m.message_id().unwrap_or_default().to_string(),
                body: m.body().unwrap_or_default().to_string(),
                receipt: m.receipt_handle().unwrap_or_default().to_string(),
                receive_count: m
                    .attributes()
                    .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1),
            })
            .collect())
    }

    async fn ack(&self, queue: QueueName, receipt: &str) -> Result<(), QueueError> {
        let url = self.url(queue).await?;
        self.client
            .delete_message()
            .queue_url(url)
            .receipt_handle(receipt)
            .send()
            .await
            .map_err(|e| Self::be(queue, "ack", describe(&e)))?;
        Ok(())
    }

    async fn release(&self, queue: QueueName, receipt: &str) -> Result<(), QueueError> {
        let url = self.url(queue).await?;
        self.client
            .change_message_visibility()
            .queue_url(url)
            .receipt_handle(receipt)
            .visibility_timeout(0)
            .send()
            .await
            .map_err(|e| Self::be(queue, "release", describe(&e)))?;
        Ok(())
    }

    async fn depth(&self, queue: QueueName) -> Result<QueueDepth, QueueError> {
        let url = self.url(queue).await?;
        let (visible, in_flight) = self.visible_count(queue, &url).await?;
        let dlq_url = self.url_of(queue, &format!("{}-dlq", queue.as_str())).await?;
        let (dead, dead_hidden) = self.visible_count(queue, &dlq_url).await?;
        Ok(QueueDepth { visible, in_flight, dead_letters: dead + dead_hidden })
    }
}
