//! A deployment in miniature, for crash tests. The queues live in this test process — durable,
//! as SQS is outside a Lambda instance — and every invocation is a `props invoke` child process
//! on one data directory at a pinned time, batches of up to 10 records as Lambda's SQS event
//! source sends them. A child that dies leaves its whole batch to be redelivered; what it sent
//! before dying (`--outbox`) is delivered, as SQS would have kept it. The simulated league is
//! served from this process.

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use props_core::adapters::local::MemoryQueue;
use props_core::messages::{Envelope, PhaseTrigger};
use props_core::ports::{Queue, QueueName, Received};
use props_core::sim::{SimLeague, server};
use props_core::{GameDate, ManualClock};
use serde_json::{Value, json};

use crate::support::{data_rows, date, tables_at};

/// The game day every crash case drives, and the day before it (backfilled history).
pub const DAY: &str = "2025-01-15";
const SEED: u64 = 42;

/// The queue consumers, in the order a drain visits them.
const CONSUMERS: [(QueueName, &str); 4] = [
    (QueueName::ScrapeJobs, "scrape"),
    (QueueName::RawPayloads, "process-raw"),
    (QueueName::AnalyticsJobs, "analytics"),
    (QueueName::PhaseEvents, "orchestrate"),
];

pub fn et(d: GameDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let naive = d.naive().and_hms_opt(hour, minute, 0).unwrap();
    chrono_tz::America::New_York.from_local_datetime(&naive).earliest().unwrap().with_timezone(&Utc)
}

pub struct Deployment {
    pub dir: PathBuf,
    pub queue: MemoryQueue,
    now: DateTime<Utc>,
    sim_clock: ManualClock,
    sim_url: String,
    /// Armed (`PROPS_FAILPOINT`) until the first child dies.
    failpoint: Option<String>,
    /// Children that died by a signal.
    pub crashes: usize,
    /// A crashed child's batch is dropped (gone to the dead-letter queue) instead of redelivered.
    lose_crashed_batch: bool,
    scratch: tempfile::TempDir,
    invocations: usize,
}

impl Deployment {
    pub fn new(rt: &tokio::runtime::Runtime, dir: &Path, now: DateTime<Utc>) -> (Self, server::SimServer) {
        let league = Arc::new(SimLeague::new(SEED, &date(DAY).season()).unwrap());
        let sim_clock = ManualClock::new(now);
        let srv = rt.block_on(server::serve(([127, 0, 0, 1], 0).into(), league, sim_clock.clone())).unwrap();
        let d = Self {
            dir: dir.to_path_buf(),
            queue: MemoryQueue::new(),
            now,
            sim_clock,
            sim_url: srv.url(),
            failpoint: None,
            crashes: 0,
            lose_crashed_batch: false,
            scratch: tempfile::tempdir().unwrap(),
            invocations: 0,
        };
        (d, srv)
    }

    pub fn arm(&mut self, failpoint: &str) {
        self.failpoint = Some(failpoint.to_string());
    }

    /// The batch of the child that crashes is not redelivered, as if it had gone to the
    /// dead-letter queue: only the scheduled recovery jobs can repair what it left undone.
    pub fn lose_crashed_batch(&mut self) {
        self.lose_crashed_batch = true;
    }

    pub fn set_time(&mut self, t: DateTime<Utc>) {
        self.now = t;
        self.sim_clock.set(t);
    }

    /// One `props invoke`: its JSON answer, or `None` when it died by a signal.
    fn invoke(&mut self, rt: &tokio::runtime::Runtime, function: &str, event: &Value) -> Option<Value> {
        self.invocations += 1;
        let event_file = self.scratch.path().join(format!("event-{}.json", self.invocations));
        let outbox = self.scratch.path().join(format!("outbox-{}.jsonl", self.invocations));
        std::fs::write(&event_file, event.to_string()).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_props"));
        cmd.arg("--data-dir").arg(&self.dir).args(["invoke", function, "--event"]).arg(&event_file);
        cmd.arg("--outbox").arg(&outbox).args(["--now", &self.now.to_rfc3339()]);
        for var in ["PROPS_NBA_STATS_URL", "PROPS_NBA_CDN_URL", "PROPS_ESPN_URL", "PROPS_ODDS_API_URL"] {
            cmd.env(var, &self.sim_url);
        }
        cmd.env("ODDS_API_KEY", "local-sim-key").env_remove("PROPS_BACKEND").env_remove("SLACK_WEBHOOK_URL");
        match &self.failpoint {
            Some(fp) => cmd.env("PROPS_FAILPOINT", fp),
            None => cmd.env_remove("PROPS_FAILPOINT"),
        };
        let out = cmd.output().unwrap();
        // Whatever was sent is in SQS now, whether or not the process lived on.
        for line in std::fs::read_to_string(&outbox).unwrap_or_default().lines() {
            let m: Value = serde_json::from_str(line).unwrap();
            let q: QueueName = m["queue"].as_str().unwrap().parse().unwrap();
            rt.block_on(self.queue.send(q, m["body"].as_str().unwrap())).unwrap();
        }
        if let Some(sig) = out.status.signal() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("PROPS_FAILPOINT: aborting"), "{function} died by signal {sig}: {stderr}");
            self.crashes += 1;
            self.failpoint = None;
            return None;
        }
        assert!(out.status.success(), "{function}: {}", String::from_utf8_lossy(&out.stderr));
        Some(serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{function}: {e}")))
    }

    /// A scheduled function (planner, timeout check, retry-failed, self-heal) with `input`; a
    /// crashed invocation is retried once, as EventBridge retries an asynchronous invocation.
    pub fn schedule(&mut self, rt: &tokio::runtime::Runtime, function: &str, input: Value) -> Value {
        match self.invoke(rt, function, &input) {
            Some(v) => v,
            None => self.invoke(rt, function, &input).expect("the fail point fires once"),
        }
    }

    /// Delivers every queued message to its consumer until the consumed queues are empty.
    /// Failed records and the batches of crashed children are redelivered (a message received
    /// five times goes to the dead-letter queue, as in SQS).
    pub fn drain(&mut self, rt: &tokio::runtime::Runtime) {
        for _round in 0..500 {
            let mut progressed = false;
            for (q, function) in CONSUMERS {
                let batch = rt.block_on(self.queue.receive(q, 10, Duration::from_secs(300))).unwrap();
                if !batch.is_empty() {
                    progressed = true;
                    self.deliver(rt, q, function, batch);
                }
            }
            if !progressed {
                return;
            }
        }
        panic!("the queues never drained");
    }

    fn deliver(&mut self, rt: &tokio::runtime::Runtime, q: QueueName, function: &str, batch: Vec<Received>) {
        let records: Vec<Value> = batch
            .iter()
            .map(|m| json!({"messageId": m.message_id, "receiptHandle": m.receipt, "body": m.body, "eventSource": "aws:sqs"}))
            .collect();
        let failed: Vec<String> = match self.invoke(rt, function, &json!({ "Records": records })) {
            None if self.lose_crashed_batch => Vec::new(),
            None => batch.iter().map(|m| m.message_id.clone()).collect(),
            Some(v) => v["batchItemFailures"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["itemIdentifier"].as_str().unwrap().to_string())
                .collect(),
        };
        for m in &batch {
            if failed.contains(&m.message_id) {
                rt.block_on(self.queue.release(q, &m.receipt)).unwrap();
            } else {
                rt.block_on(self.queue.ack(q, &m.receipt)).unwrap();
            }
        }
    }

    /// The `PhaseTrigger`s sent to phase 4 (it has no consumer yet): how often each
    /// `date#fingerprint` was sent, and the last fingerprint sent per date.
    pub fn triggers(&self, rt: &tokio::runtime::Runtime) -> (BTreeMap<String, usize>, BTreeMap<GameDate, String>) {
        let (mut out, mut last) = (BTreeMap::new(), BTreeMap::new());
        loop {
            let got = rt.block_on(self.queue.receive(QueueName::PrecomputeJobs, 10, Duration::from_secs(300))).unwrap();
            if got.is_empty() {
                return (out, last);
            }
            for m in got {
                let env = Envelope::parse(&m.body).unwrap();
                let t: PhaseTrigger = env.payload().unwrap();
                *out.entry(format!("{}#{}", env.game_date, t.fingerprint)).or_default() += 1;
                last.insert(env.game_date, t.fingerprint);
                rt.block_on(self.queue.ack(QueueName::PrecomputeJobs, &m.receipt)).unwrap();
            }
        }
    }
}

/// Every row of every data table around the game day, without `processed_at`, sorted: what
/// must be equal after a crash and recovery. The orchestration tables (event log, scraper
/// executions, planner decisions) record what happened, crashes included, and are left out.
pub fn data_tables(rt: &tokio::runtime::Runtime, dir: &Path) -> BTreeMap<&'static str, Vec<String>> {
    rt.block_on(data_rows(&tables_at(dir), date(DAY).minus_days(2), date(DAY).next()))
}

/// The history every case starts from: the day before, backfilled by `props backfill`, once
/// per test run; each case works on its own copy.
pub fn history() -> &'static Path {
    static BASE: OnceLock<tempfile::TempDir> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let prev = date(DAY).prev().to_string();
        let out = crate::support::props(dir.path(), &["backfill", "--from", &prev, "--to", &prev]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        dir
    })
    .path()
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// What a game day left behind: its data tables and the phase-4 triggers sent.
#[derive(Debug, PartialEq)]
pub struct Outcome {
    pub tables: BTreeMap<&'static str, Vec<String>>,
    pub triggers: BTreeMap<String, usize>,
    /// The input state phase 4 was last triggered for, per date.
    pub last_triggers: BTreeMap<GameDate, String>,
    pub crashes: usize,
    /// What each 10:30 recovery job (`phase-timeout-check`, `retry-failed`, `self-heal`) answered.
    pub recovery: BTreeMap<&'static str, Value>,
}

/// What a game day is put through.
#[derive(Clone, Copy, Debug, Default)]
pub struct Faults<'a> {
    /// Armed (`PROPS_FAILPOINT`) until its first crash.
    pub failpoint: Option<&'a str>,
    /// Drop the crashed batch instead of redelivering it (as if it had gone to the dead-letter
    /// queue), leaving recovery to the scheduled jobs.
    pub lose_crashed_batch: bool,
}

/// The game day from the history: the 10:00 ET planner run (schedule, 30 rosters, lines and
/// props) drained, then half an hour later the scheduled recovery jobs — `phase-timeout-check`,
/// `retry-failed`, `self-heal` — each followed by a drain, and the next timeout check at 11:00.
pub fn game_day(failpoint: Option<&str>) -> Outcome {
    game_day_with(Faults { failpoint, ..Faults::default() })
}

/// [`game_day`] under `faults`.
pub fn game_day_with(faults: Faults) -> Outcome {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(history(), dir.path());
    let day = date(DAY);
    let (mut dep, _sim) = Deployment::new(&rt, dir.path(), et(day, 10, 0));
    if let Some(fp) = faults.failpoint {
        dep.arm(fp);
    }
    if faults.lose_crashed_batch {
        dep.lose_crashed_batch();
    }
    dep.schedule(&rt, "plan-scrapes", json!({}));
    dep.drain(&rt);
    dep.set_time(et(day, 10, 30));
    let mut recovery = BTreeMap::new();
    for job in ["phase-timeout-check", "retry-failed", "self-heal"] {
        recovery.insert(job, dep.schedule(&rt, job, json!({})));
        dep.drain(&rt);
    }
    dep.set_time(et(day, 11, 0));
    dep.schedule(&rt, "phase-timeout-check", json!({}));
    dep.drain(&rt);
    let (triggers, last_triggers) = dep.triggers(&rt);
    Outcome { tables: data_tables(&rt, dir.path()), triggers, last_triggers, crashes: dep.crashes, recovery }
}

/// The same game day without a crash, once per test run.
pub fn clean_day() -> &'static Outcome {
    static CLEAN: OnceLock<Outcome> = OnceLock::new();
    CLEAN.get_or_init(|| game_day(None))
}
