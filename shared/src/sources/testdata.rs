//! Access to the real captured responses for parser tests (DESIGN §13).

use std::path::{Path, PathBuf};

/// `$PROPS_REAL_DATA`, else `shared/data/real` beside the workspace. When it is missing the
/// test fails under CI (`CI=true`) and is skipped loudly elsewhere.
pub(crate) fn real_data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PROPS_REAL_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/real"));
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
pub(crate) fn loud(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

pub(crate) fn read_real(dir: &Path, rel: &str) -> Vec<u8> {
    let p = dir.join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read real capture {}: {e}", p.display()))
}
