//! A local harness for tests of any crate: embedded backends in a temporary directory, a
//! travelling clock, an inspectable queue and a recording notifier.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::adapters::local::{DirBlobStore, MemoryQueue, SqliteStateStore};
use crate::clock::ManualClock;
use crate::config::Config;
use crate::context::Context;
use crate::notify::RecordingNotifier;

pub struct Harness {
    pub ctx: Context,
    pub clock: ManualClock,
    pub queue: MemoryQueue,
    pub alerts: RecordingNotifier,
    pub dir: tempfile::TempDir,
}

impl Harness {
    pub fn new(now: DateTime<Utc>) -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let clock = ManualClock::new(now);
        let h = Self::at(dir.path(), clock.clone());
        Self { ctx: h.0, clock, queue: h.1, alerts: h.2, dir }
    }

    /// A second context on the same directory (another "instance": its own SQLite connection
    /// and its own queue handle sharing the same lanes).
    pub fn sibling(&self) -> Context {
        let state = SqliteStateStore::open(self.dir.path().join("state.sqlite")).unwrap_or_else(|e| panic!("{e}"));
        Context::from_parts(
            (*self.ctx.config).clone(),
            Arc::new(DirBlobStore::new(self.dir.path().join("bucket"))),
            Arc::new(state),
            Arc::new(self.queue.clone()),
            Arc::new(self.alerts.clone()),
            Arc::new(self.clock.clone()),
        )
    }

    fn at(dir: &Path, clock: ManualClock) -> (Context, MemoryQueue, RecordingNotifier) {
        let config = Config::from_lookup(|_| None).unwrap_or_else(|e| panic!("{e}"));
        let state = SqliteStateStore::open(dir.join("state.sqlite")).unwrap_or_else(|e| panic!("{e}"));
        let queue = MemoryQueue::new();
        let alerts = RecordingNotifier::default();
        let ctx = Context::from_parts(
            config,
            Arc::new(DirBlobStore::new(dir.join("bucket"))),
            Arc::new(state),
            Arc::new(queue.clone()),
            Arc::new(alerts.clone()),
            Arc::new(clock),
        );
        (ctx, queue, alerts)
    }
}

/// `../shared` beside the workspace (the real data and the replay server live there).
pub fn shared_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// `$PROPS_REAL_DATA`, else `../shared/data/real`. When it is missing the test fails under CI
/// (`CI=true`) and is skipped loudly elsewhere.
pub fn real_data_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("PROPS_REAL_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| shared_dir().join("data/real"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "real data directory {} is missing (set PROPS_REAL_DATA); CI requires it",
        dir.display()
    );
    loud(&format!(
        "SKIPPED (no real data): {} not found; set PROPS_REAL_DATA to run the real-capture tests",
        dir.display()
    ));
    None
}

/// Straight to the process's stderr: the test harness captures `eprintln!` of passing tests,
/// and a skip must be seen.
pub fn loud(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// A skip outside CI; a failure in CI.
pub fn skip(line: &str) {
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{line} (CI requires it)");
    loud(line);
}

pub mod replay {
    //! The replay server of `../shared/tools/replay/`, started by the test that needs it.

    use std::io::{BufRead, BufReader};
    use std::process::{Child, Command, Stdio};

    use super::{shared_dir, skip};

    /// The replay process; killed (by its own pid) when the test ends, pass or fail.
    pub struct Replay {
        child: Child,
        pub base: String,
    }

    impl Drop for Replay {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// Starts the replay server on a free port; `None` (loudly) when it cannot run outside CI.
    /// Under `CI=true` a missing server is a failure.
    pub fn start() -> Option<Replay> {
        let script = shared_dir().join("tools/replay/server.py");
        if !script.is_file() {
            skip(&format!("SKIPPED (no replay server): {} not found", script.display()));
            return None;
        }
        let mut cmd = Command::new("python3");
        cmd.arg(&script).args(["--port", "0", "--quiet"]);
        if let Some(data) = std::env::var_os("PROPS_REAL_DATA") {
            cmd.arg("--data").arg(data);
        }
        let mut child = match cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn() {
            Ok(c) => c,
            Err(e) => {
                skip(&format!("SKIPPED (no replay server): python3 could not start: {e}"));
                return None;
            }
        };
        let mut line = String::new();
        let stdout = child.stdout.take()?;
        BufReader::new(stdout).read_line(&mut line).ok()?;
        let base = line.split_whitespace().find(|w| w.starts_with("http://"))?.to_string();
        Some(Replay { child, base })
    }

    /// POSTs (or DELETEs) a control request (`/_replay/clock`, `/_replay/faults`).
    pub async fn control(base: &str, method: reqwest::Method, path: &str, body: serde_json::Value) {
        let r = reqwest::Client::new()
            .request(method, format!("{base}{path}"))
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(r.status().is_success(), "{path}: {}", r.status());
    }
}
