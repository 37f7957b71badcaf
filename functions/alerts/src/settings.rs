//! Thresholds of the monitoring jobs, from the environment (documented in
//! `props_core::config::ENV_VARS`). Defaults are DESIGN §11's numbers.

use chrono::Duration;
use props_core::config::ConfigError;
use props_core::ports::Severity;
use props_core::tables::catalog;

/// One freshness rule: the table's latest partition must have been written within `max_age`.
#[derive(Clone, Debug, PartialEq)]
pub struct FreshnessRule {
    pub table: String,
    pub max_age: Duration,
    pub severity: Severity,
    /// Only checked on days with games (lines are not posted on off days).
    pub game_days_only: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Share of yesterday's games with box scores: pass at or above.
    pub boxscore_pass: f64,
    /// Below pass but at or above this: warning; below: error.
    pub boxscore_warn: f64,
    /// Below this: critical.
    pub boxscore_critical: f64,
    pub coverage_pass: f64,
    pub coverage_warn: f64,
    /// Dead letters in one queue at which the DLQ check is an error (any warns).
    pub dlq_error: u64,
    pub freshness: Vec<FreshnessRule>,
    pub lookback_days: u64,
    pub stale_run_after: Duration,
    pub champion: String,
    pub mae_degrade: f64,
    pub win_rate_drop: f64,
    /// Requests in the Odds API plan, and the share left below which daily-health warns.
    pub odds_quota_plan: u64,
    pub odds_quota_warn: f64,
    /// Players, teams and contexts sampled by the spot check, and the share that must agree.
    pub spot_check_samples: u64,
    pub spot_check_pass: f64,
}

/// The built-in rules written as `PROPS_FRESHNESS_CHECKS` (documentation; a test keeps them equal).
pub const DEFAULT_FRESHNESS: &str = "rosters:24:critical,player_points_props:12:warning:gameday,\
player_game_summary:24:error,player_composite_factors:24:error";

impl Default for Settings {
    fn default() -> Self {
        let rule = |table: &str, hours: i64, severity: Severity, game_days_only: bool| FreshnessRule {
            table: table.to_string(),
            max_age: Duration::hours(hours),
            severity,
            game_days_only,
        };
        Self {
            boxscore_pass: 0.95,
            boxscore_warn: 0.90,
            boxscore_critical: 0.50,
            coverage_pass: 0.95,
            coverage_warn: 0.80,
            dlq_error: 10,
            freshness: vec![
                rule("rosters", 24, Severity::Critical, false),
                rule("player_points_props", 12, Severity::Warning, true),
                rule("player_game_summary", 24, Severity::Error, false),
                rule("player_composite_factors", 24, Severity::Error, false),
            ],
            lookback_days: 7,
            stale_run_after: Duration::hours(4),
            champion: "moving_average".to_string(),
            mae_degrade: 0.10,
            win_rate_drop: 0.05,
            odds_quota_plan: 20_000,
            odds_quota_warn: 0.20,
            spot_check_samples: 10,
            spot_check_pass: 0.95,
        }
    }
}

fn bad(name: &str, value: &str, reason: &str) -> ConfigError {
    ConfigError { name: name.into(), value: value.chars().take(200).collect(), reason: reason.into() }
}

fn severity(s: &str) -> Option<Severity> {
    match s.to_ascii_lowercase().as_str() {
        "info" | "warning" | "warn" => Some(Severity::Warning),
        "error" => Some(Severity::Error),
        "critical" => Some(Severity::Critical),
        _ => None,
    }
}

/// `table:max_hours:severity[:gameday],...`
pub fn parse_freshness(spec: &str) -> Result<Vec<FreshnessRule>, ConfigError> {
    let name = "PROPS_FRESHNESS_CHECKS";
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let f: Vec<&str> = part.split(':').map(str::trim).collect();
        let err = |r: &str| bad(name, part, r);
        if f.len() < 3 || f.len() > 4 {
            return Err(err("expected table:max_hours:severity[:gameday]"));
        }
        catalog::lookup(f[0]).map_err(|e| err(&e.to_string()))?;
        let hours: i64 =
            f[1].parse().ok().filter(|h| (1..=24 * 365).contains(h)).ok_or_else(|| err("max_hours must be 1..8760"))?;
        let severity = severity(f[2]).ok_or_else(|| err("severity must be warning, error or critical"))?;
        let game_days_only = match f.get(3) {
            None => false,
            Some(&"gameday") => true,
            Some(_) => return Err(err("the optional fourth field is `gameday`")),
        };
        out.push(FreshnessRule { table: f[0].to_string(), max_age: Duration::hours(hours), severity, game_days_only });
    }
    Ok(out)
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |k: &str| get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let share = |k: &str, d: f64| -> Result<f64, ConfigError> {
            match var(k) {
                None => Ok(d),
                Some(v) => v
                    .parse::<f64>()
                    .ok()
                    .filter(|x| (0.0..=1.0).contains(x))
                    .ok_or_else(|| bad(k, &v, "expected a share between 0 and 1")),
            }
        };
        let whole = |k: &str, d: u64, max: u64| -> Result<u64, ConfigError> {
            match var(k) {
                None => Ok(d),
                Some(v) => {
                    v.parse::<u64>().ok().filter(|x| *x <= max).ok_or_else(|| bad(k, &v, "expected a whole number"))
                }
            }
        };
        let d = Self::default();
        let s = Self {
            boxscore_pass: share("PROPS_HEALTH_BOXSCORE_PASS", d.boxscore_pass)?,
            boxscore_warn: share("PROPS_HEALTH_BOXSCORE_WARN", d.boxscore_warn)?,
            boxscore_critical: share("PROPS_HEALTH_BOXSCORE_CRITICAL", d.boxscore_critical)?,
            coverage_pass: share("PROPS_HEALTH_COVERAGE_PASS", d.coverage_pass)?,
            coverage_warn: share("PROPS_HEALTH_COVERAGE_WARN", d.coverage_warn)?,
            dlq_error: whole("PROPS_HEALTH_DLQ_ERROR", d.dlq_error, u64::from(u32::MAX))?,
            freshness: match var("PROPS_FRESHNESS_CHECKS") {
                Some(spec) => parse_freshness(&spec)?,
                None => d.freshness,
            },
            lookback_days: whole("PROPS_FRESHNESS_LOOKBACK_DAYS", d.lookback_days, 365)?,
            stale_run_after: Duration::hours(whole(
                "PROPS_STALE_RUN_HOURS",
                d.stale_run_after.num_hours().unsigned_abs(),
                24 * 30,
            )? as i64),
            champion: var("PROPS_CHAMPION_SYSTEM").unwrap_or(d.champion),
            mae_degrade: share("PROPS_PERF_MAE_DEGRADE", d.mae_degrade)?,
            win_rate_drop: share("PROPS_PERF_WIN_RATE_DROP", d.win_rate_drop)?,
            odds_quota_plan: whole("PROPS_ODDS_QUOTA_PLAN", d.odds_quota_plan, u64::from(u32::MAX))?.max(1),
            odds_quota_warn: share("PROPS_ODDS_QUOTA_WARN", d.odds_quota_warn)?,
            spot_check_samples: whole("PROPS_SPOT_CHECK_SAMPLES", d.spot_check_samples, 10_000)?,
            spot_check_pass: share("PROPS_SPOT_CHECK_PASS", d.spot_check_pass)?,
        };
        if !(s.boxscore_critical <= s.boxscore_warn && s.boxscore_warn <= s.boxscore_pass) {
            return Err(bad(
                "PROPS_HEALTH_BOXSCORE_*",
                &format!("{}/{}/{}", s.boxscore_pass, s.boxscore_warn, s.boxscore_critical),
                "expected critical <= warn <= pass",
            ));
        }
        if s.coverage_warn > s.coverage_pass {
            return Err(bad(
                "PROPS_HEALTH_COVERAGE_WARN",
                &s.coverage_warn.to_string(),
                "must not exceed the pass share",
            ));
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_design_numbers() {
        let s = Settings::default();
        assert_eq!(parse_freshness(DEFAULT_FRESHNESS).unwrap(), s.freshness, "documented spec = built-in rules");
        assert_eq!(Settings::from_lookup(|_| None).unwrap(), s);
        assert_eq!((s.boxscore_pass, s.boxscore_warn, s.boxscore_critical), (0.95, 0.90, 0.50));
        assert_eq!(s.freshness.len(), 4);
        assert_eq!(
            s.freshness[0],
            FreshnessRule {
                table: "rosters".into(),
                max_age: Duration::hours(24),
                severity: Severity::Critical,
                game_days_only: false
            }
        );
        assert!(s.freshness[1].game_days_only);
        assert_eq!(s.stale_run_after, Duration::hours(4));
        assert_eq!(s.champion, "moving_average");
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = Settings::from_lookup(|k| (k == "PROPS_FRESHNESS_CHECKS").then(|| "rostrs:24:critical".into()))
            .unwrap_err();
        assert!(
            e.to_string().contains("PROPS_FRESHNESS_CHECKS") && e.to_string().contains("unknown table `rostrs`"),
            "{e}"
        );
        let e = Settings::from_lookup(|k| (k == "PROPS_HEALTH_BOXSCORE_PASS").then(|| "95".into())).unwrap_err();
        assert!(e.to_string().starts_with("invalid configuration PROPS_HEALTH_BOXSCORE_PASS=`95`"), "{e}");
    }
}
