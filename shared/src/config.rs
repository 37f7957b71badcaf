//! Configuration from the environment, with documented defaults. [`ENV_VARS`] is the one list:
//! the README's configuration table and `props config` are generated from it.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::notify::SlackRoutes;
use crate::ports::QueueName;
use crate::secrets::{Redactor, Secret};

/// (name, default, meaning). Secrets have no default and are never printed.
pub const ENV_VARS: &[(&str, &str, &str)] = &[
    ("PROPS_BACKEND", "local", "`local` (embedded: a directory, SQLite, in-process queues) or `aws`"),
    ("PROPS_DATA_DIR", "./props-data", "root of the embedded backends"),
    ("PROPS_BUCKET", "nba-props", "bucket holding raw/, tables/, models/, exports/"),
    ("PROPS_STATE_TABLE", "nba-props-state", "DynamoDB table (or SQLite file stem) for pipeline state"),
    ("PROPS_QUEUE_PREFIX", "nba-props-", "SQS queue names are `{prefix}{queue}` and `{prefix}{queue}-dlq`"),
    ("PROPS_QUEUE_<QUEUE>_URL", "(looked up by name)", "explicit SQS URL per queue, e.g. PROPS_QUEUE_SCRAPE_JOBS_URL"),
    ("PROPS_AWS_CREATE_RESOURCES", "false", "create the bucket, table and queues if missing (emulators only)"),
    ("AWS_ENDPOINT_URL", "(AWS)", "an emulator endpoint; S3 then uses path-style addressing"),
    ("PROPS_NBA_STATS_URL", "https://stats.nba.com", "stats.nba.com base URL"),
    ("PROPS_NBA_CDN_URL", "https://cdn.nba.com", "cdn.nba.com base URL"),
    ("PROPS_ESPN_URL", "https://site.api.espn.com", "ESPN site API base URL"),
    ("PROPS_ODDS_API_URL", "https://api.the-odds-api.com", "The Odds API base URL"),
    ("ODDS_API_KEY", "(secret, none)", "The Odds API key"),
    ("ODDS_API_KEY_PARAM", "(none)", "AWS: SSM SecureString holding the Odds API key, read once per cold start"),
    ("SLACK_WEBHOOK_URL", "(secret, none)", "default Slack webhook; alerts go to the log without one"),
    ("SLACK_WEBHOOK_URL_{INFO,WARNING,ERROR,CRITICAL}", "(secret, none)", "per-severity webhooks"),
    ("SLACK_WEBHOOK_PARAM", "(none)", "AWS: SSM SecureString holding the default webhook, read once per cold start"),
    ("PROPS_ALERT_QUIET_MINUTES", "60", "a repeat of the same alert (source + title) within this period is suppressed"),
    ("PROPS_HEALTH_BOXSCORE_PASS", "0.95", "daily-health: share of yesterday's games with box scores that passes"),
    ("PROPS_HEALTH_BOXSCORE_WARN", "0.90", "daily-health: below pass but at least this share warns (else error)"),
    ("PROPS_HEALTH_BOXSCORE_CRITICAL", "0.50", "daily-health: below this share is critical"),
    ("PROPS_HEALTH_COVERAGE_PASS", "0.95", "daily-health: share of players with a line that have an active prediction"),
    ("PROPS_HEALTH_COVERAGE_WARN", "0.80", "daily-health: below pass but at least this coverage warns (else error)"),
    (
        "PROPS_HEALTH_DLQ_ERROR",
        "10",
        "daily-health: dead letters in one queue at which the check is an error (1+ warns)",
    ),
    ("PROPS_FRESHNESS_CHECKS", "(built in)", "freshness-check: `table:max_hours:severity[:gameday],...`"),
    ("PROPS_FRESHNESS_LOOKBACK_DAYS", "7", "freshness-check: window for latest partitions and missing games"),
    ("PROPS_STALE_RUN_HOURS", "4", "stale-run-cleanup: a run `running` longer than this is marked failed"),
    ("PROPS_CHAMPION_SYSTEM", "moving_average", "performance-alert: champion when the model registry names none"),
    ("PROPS_PERF_MAE_DEGRADE", "0.10", "performance-alert: 7-day MAE worse than 30-day by this fraction warns"),
    ("PROPS_PERF_WIN_RATE_DROP", "0.05", "performance-alert: 7-day win rate below 30-day by this much warns"),
    ("PROPS_STALE_LIMIT_DAYS", "3", "messages for older game dates are acknowledged as stale_skipped"),
    (
        "PROPS_ODDS_QUOTA_PLAN",
        "20000",
        "requests in the Odds API plan (daily-health compares x-requests-remaining with it)",
    ),
    ("PROPS_ODDS_QUOTA_WARN", "0.2", "daily-health warns when less than this share of the Odds API plan is left"),
    (
        "PROPS_SPOT_CHECK_SAMPLES",
        "10",
        "players, teams and contexts daily-health and `props spot-check` recompute from the raw tables",
    ),
    ("PROPS_SPOT_CHECK_PASS", "0.95", "share of spot-checked values that must agree; below it daily-health warns"),
    (
        "PROPS_FAILPOINT",
        "(none)",
        "fault tests only: `STEP[:QUALIFIER]` aborts the process at a step boundary (see FAULTS.md); never set in a deployment",
    ),
    ("RUST_LOG", "info", "log filter"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Local,
    Aws,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceUrls {
    pub nba_stats: String,
    pub nba_cdn: String,
    pub espn: String,
    pub odds_api: String,
}

impl SourceUrls {
    /// Every source at one base URL (the simulated league, the replay server).
    pub fn all_at(base: &str) -> Self {
        let b = base.trim_end_matches('/').to_string();
        Self { nba_stats: b.clone(), nba_cdn: b.clone(), espn: b.clone(), odds_api: b }
    }
}

#[derive(Clone, Debug)]
pub struct Config {
    pub backend: Backend,
    pub data_dir: PathBuf,
    pub bucket: String,
    pub state_table: String,
    pub queue_prefix: String,
    pub queue_urls: HashMap<String, String>,
    pub create_resources: bool,
    pub aws_endpoint_url: Option<String>,
    pub sources: SourceUrls,
    pub odds_api_key: Option<Secret>,
    pub slack: SlackRoutes,
    /// SSM SecureString name of the default webhook (AWS backend), resolved by `Context::build`.
    pub slack_webhook_param: Option<String>,
    /// AWS: the SSM SecureString holding the Odds API key (read once per cold start).
    pub odds_api_key_param: Option<String>,
    /// Quiet period for repeated alerts (source + title); 0 disables suppression.
    pub alert_quiet_minutes: u64,
    pub stale_limit_days: u64,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid configuration {name}=`{value}`: {reason}")]
pub struct ConfigError {
    pub name: String,
    pub value: String,
    pub reason: String,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Builds the configuration from any lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |k: &str| get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let or = |k: &str, d: &str| var(k).unwrap_or_else(|| d.to_string());
        let secret = |k: &str| var(k).map(Secret::new);
        let backend = match or("PROPS_BACKEND", "local").to_ascii_lowercase().as_str() {
            "local" => Backend::Local,
            "aws" => Backend::Aws,
            other => {
                return Err(ConfigError {
                    name: "PROPS_BACKEND".into(),
                    value: other.into(),
                    reason: "expected `local` or `aws`".into(),
                });
            }
        };
        let stale = or("PROPS_STALE_LIMIT_DAYS", "3");
        let stale_limit_days = stale.parse().map_err(|_| ConfigError {
            name: "PROPS_STALE_LIMIT_DAYS".into(),
            value: stale.clone(),
            reason: "expected a whole number of days".into(),
        })?;
        let quiet = or("PROPS_ALERT_QUIET_MINUTES", "60");
        let alert_quiet_minutes = quiet.parse().map_err(|_| ConfigError {
            name: "PROPS_ALERT_QUIET_MINUTES".into(),
            value: quiet.clone(),
            reason: "expected a whole number of minutes".into(),
        })?;
        let mut queue_urls = HashMap::new();
        for q in QueueName::ALL {
            if let Some(u) = var(&format!("PROPS_QUEUE_{}_URL", q.env_stem())) {
                queue_urls.insert(q.as_str().to_string(), u);
            }
            if let Some(u) = var(&format!("PROPS_QUEUE_{}_DLQ_URL", q.env_stem())) {
                queue_urls.insert(format!("{}-dlq", q.as_str()), u);
            }
        }
        Ok(Self {
            backend,
            data_dir: PathBuf::from(or("PROPS_DATA_DIR", "./props-data")),
            bucket: or("PROPS_BUCKET", "nba-props"),
            state_table: or("PROPS_STATE_TABLE", "nba-props-state"),
            queue_prefix: or("PROPS_QUEUE_PREFIX", "nba-props-"),
            queue_urls,
            create_resources: matches!(or("PROPS_AWS_CREATE_RESOURCES", "false").as_str(), "1" | "true" | "yes"),
            aws_endpoint_url: var("AWS_ENDPOINT_URL"),
            sources: SourceUrls {
                nba_stats: or("PROPS_NBA_STATS_URL", "https://stats.nba.com"),
                nba_cdn: or("PROPS_NBA_CDN_URL", "https://cdn.nba.com"),
                espn: or("PROPS_ESPN_URL", "https://site.api.espn.com"),
                odds_api: or("PROPS_ODDS_API_URL", "https://api.the-odds-api.com"),
            },
            odds_api_key: secret("ODDS_API_KEY"),
            slack: SlackRoutes {
                default: secret("SLACK_WEBHOOK_URL"),
                info: secret("SLACK_WEBHOOK_URL_INFO"),
                warning: secret("SLACK_WEBHOOK_URL_WARNING"),
                error: secret("SLACK_WEBHOOK_URL_ERROR"),
                critical: secret("SLACK_WEBHOOK_URL_CRITICAL"),
            },
            slack_webhook_param: var("SLACK_WEBHOOK_PARAM"),
            odds_api_key_param: var("ODDS_API_KEY_PARAM"),
            alert_quiet_minutes,
            stale_limit_days,
        })
    }

    /// A redactor knowing every configured secret.
    pub fn redactor(&self) -> Redactor {
        let mut secrets = self.slack.all();
        secrets.extend(self.odds_api_key.clone());
        Redactor::new(secrets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let m: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_and_overrides() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.backend, Backend::Local);
        assert_eq!(c.bucket, "nba-props");
        assert_eq!(c.sources.odds_api, "https://api.the-odds-api.com");
        assert_eq!(c.stale_limit_days, 3);
        assert_eq!(c.alert_quiet_minutes, 60);
        assert!(c.slack_webhook_param.is_none());
        let c = cfg(&[
            ("PROPS_BACKEND", "AWS"),
            ("PROPS_QUEUE_SCRAPE_JOBS_URL", "http://q/1"),
            ("ODDS_API_KEY", "sk-canary-123"),
        ])
        .unwrap();
        assert_eq!(c.backend, Backend::Aws);
        assert_eq!(c.queue_urls["scrape-jobs"], "http://q/1");
        assert!(!format!("{c:?}").contains("sk-canary-123"), "Debug never shows secrets");
        assert_eq!(c.redactor().redact("x sk-canary-123"), "x ***");
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = cfg(&[("PROPS_STALE_LIMIT_DAYS", "three")]).unwrap_err().to_string();
        assert!(e.starts_with("invalid configuration PROPS_STALE_LIMIT_DAYS=`three`"), "{e}");
        assert!(cfg(&[("PROPS_BACKEND", "gcp")]).unwrap_err().to_string().contains("PROPS_BACKEND"));
    }
}
