//! A process killed in the middle of `replace` writes never leaves a partition unreadable or
//! half-written: readers see the previous version or the new one, whole.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::*;

const ROWS: usize = 20_000;

fn version(v: i32) -> Vec<TeamRow> {
    let d = date("2025-01-15");
    (0..ROWS).map(|i| team_row(d, &format!("T{i:05}"), v, "a fairly long note to make the object big")).collect()
}

/// The child: rewrites one partition forever, alternating two versions, announcing each write.
#[tokio::test]
#[ignore = "child process of a_killed_writer_never_leaves_half_a_partition"]
async fn crash_child_writer() {
    let dir = std::env::var("PROPS_CRASH_DIR").expect("PROPS_CRASH_DIR");
    let tables = tables_at(std::path::Path::new(&dir));
    for i in 0.. {
        let v = 1 + (i % 2);
        tables.replace(date("2025-01-15"), version(v)).await.unwrap();
        println!("wrote {v}");
    }
}

#[tokio::test]
async fn a_killed_writer_never_leaves_half_a_partition() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    for round in 0..4u64 {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash::crash_child_writer", "--ignored", "--nocapture", "--test-threads", "1"])
            .env("PROPS_CRASH_DIR", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // wait for one complete write, then kill at a varying point of a later one
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        loop {
            let line = lines.next().expect("child exited early").unwrap();
            if line.starts_with("wrote") {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(40 + round * 70));
        child.kill().unwrap(); // SIGKILL: no destructors, no cleanup
        child.wait().unwrap();

        let rows: Vec<TeamRow> =
            tables_at(dir.path()).read_date(date("2025-01-15")).await.expect("partition readable after kill");
        assert_eq!(rows.len(), ROWS, "round {round}: whole partition");
        let v = rows[0].points;
        assert!(rows.iter().all(|r| r.points == v), "round {round}: one version, not a mix");
    }
    // Temp files a killed writer may leave are never listed as objects.
    let out = props(dir.path(), &["query", "team_boxscores", "--date", "2025-01-15", "--limit", "1", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
