//! Every Lambda function, by its name in template.yaml: what triggers it and its handler.
//! The local runner and `props invoke` both read this one list.

use std::sync::Arc;

use props_core::lambda::{EnvelopeHandler, JsonHandler, QueueOrScheduleHandler};
use props_core::ports::QueueName;

pub enum Trigger {
    /// Consumes a queue (SQS event source with partial batch responses).
    Queue(QueueName, Arc<dyn EnvelopeHandler>),
    /// Runs on a schedule (EventBridge Scheduler input) or a direct invocation.
    Json(Arc<dyn JsonHandler>),
    /// Consumes a queue, and also accepts scheduled input (a date range to run).
    QueueOrSchedule(QueueName, Arc<dyn QueueOrScheduleHandler>),
}

pub struct Function {
    pub name: &'static str,
    pub trigger: Trigger,
}

/// Every function; the alert jobs read their thresholds from the environment, and a bad value
/// is an error naming the variable.
pub fn functions() -> anyhow::Result<Vec<Function>> {
    Ok(vec![
        Function {
            name: "process-raw",
            trigger: Trigger::Queue(QueueName::RawPayloads, Arc::new(props_raw::ProcessRaw)),
        },
        Function {
            name: "analytics",
            trigger: Trigger::QueueOrSchedule(
                QueueName::AnalyticsJobs,
                Arc::new(props_analytics::Analytics::from_env()),
            ),
        },
        Function {
            name: "precompute",
            trigger: Trigger::QueueOrSchedule(
                QueueName::PrecomputeJobs,
                Arc::new(props_precompute::Precompute::default()),
            ),
        },
        Function {
            name: "orchestrate",
            trigger: Trigger::Queue(QueueName::PhaseEvents, Arc::new(props_orchestrator::Orchestrate)),
        },
        Function {
            name: "phase-timeout-check",
            trigger: Trigger::Json(Arc::new(props_orchestrator::PhaseTimeoutCheck)),
        },
        Function {
            name: "predict",
            trigger: Trigger::Queue(QueueName::PredictJobs, Arc::new(props_predict::PredictHandler)),
        },
        Function { name: "grade", trigger: Trigger::Json(Arc::new(props_predict::GradeHandler)) },
        Function { name: "train", trigger: Trigger::Json(Arc::new(props_predict::TrainHandler::default())) },
        Function { name: "publish", trigger: Trigger::Queue(QueueName::PublishJobs, Arc::new(props_publish::Publish)) },
        Function { name: "self-heal", trigger: Trigger::Json(Arc::new(props_self_heal::SelfHeal)) },
        Function { name: "retry-failed", trigger: Trigger::Json(Arc::new(props_self_heal::RetryFailed)) },
        Function {
            name: "scrape",
            trigger: Trigger::Queue(QueueName::ScrapeJobs, Arc::new(props_scrape::Scrape::production())),
        },
        Function { name: "plan-scrapes", trigger: Trigger::Json(Arc::new(props_scrape::PlanScrapes)) },
        Function { name: "daily-health", trigger: Trigger::Json(Arc::new(props_alerts::DailyHealth::from_env()?)) },
        Function {
            name: "freshness-check",
            trigger: Trigger::Json(Arc::new(props_alerts::FreshnessCheck::from_env()?)),
        },
        Function {
            name: "stale-run-cleanup",
            trigger: Trigger::Json(Arc::new(props_alerts::StaleRunCleanup::from_env()?)),
        },
        Function {
            name: "performance-alert",
            trigger: Trigger::Json(Arc::new(props_alerts::PerformanceAlert::from_env()?)),
        },
    ])
}

pub fn names() -> Vec<&'static str> {
    functions().map(|fs| fs.iter().map(|f| f.name).collect()).unwrap_or_default()
}
