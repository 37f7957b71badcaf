//! Access to the real captured responses for parser tests (DESIGN §13).

use std::path::{Path, PathBuf};

pub(crate) fn real_data_dir() -> Option<PathBuf> {
    crate::testkit::real_data_dir()
}

pub(crate) fn read_real(dir: &Path, rel: &str) -> Vec<u8> {
    let p = dir.join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read real capture {}: {e}", p.display()))
}
