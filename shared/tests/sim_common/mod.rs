//! Helpers shared by the sim tests: the real-capture directory and a key-path comparer.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

/// The real captures (`$PROPS_REAL_DATA`, default `../shared/data/real` beside the worktree).
/// Missing: a failure when `CI=true`, otherwise a loud skip (`None`).
pub fn real_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PROPS_REAL_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/real")));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("real data directory {} is missing and CI=true", dir.display());
    }
    println!("SKIPPED (no real data): {} not found", dir.display());
    eprintln!("SKIPPED (no real data): {} not found", dir.display());
    None
}

pub fn read_json(path: &std::path::Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out).unwrap();
        out
    } else {
        bytes
    };
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Key paths of `v`, descending into every element of arrays (`all`) or only the first.
fn walk(v: &Value, prefix: &str, all: bool, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                out.insert(p.clone());
                walk(x, &p, all, out);
            }
        }
        Value::Array(a) => {
            let p = format!("{prefix}[]");
            let items: Vec<&Value> = if all { a.iter().collect() } else { a.iter().take(1).collect() };
            for x in items {
                out.insert(p.clone());
                walk(x, &p, all, out);
            }
        }
        _ => {}
    }
}

/// Paths of the real response's first record (first element of every array).
pub fn first_record_paths(v: &Value) -> BTreeSet<String> {
    let mut s = BTreeSet::new();
    walk(v, "", false, &mut s);
    s
}

/// Paths present anywhere in ours.
pub fn all_paths(v: &Value) -> BTreeSet<String> {
    let mut s = BTreeSet::new();
    walk(v, "", true, &mut s);
    s
}

/// Asserts every key path of `real`'s first record exists in `ours`.
pub fn assert_covers(what: &str, real: &Value, ours: &Value) {
    assert_covers_any(what, real, std::slice::from_ref(ours));
}

/// Asserts every key path of `real`'s first record exists in at least one of `ours`.
pub fn assert_covers_any(what: &str, real: &Value, ours: &[Value]) {
    let ours: BTreeSet<String> = ours.iter().flat_map(all_paths).collect();
    let missing: Vec<String> = first_record_paths(real).into_iter().filter(|p| !ours.contains(p)).collect();
    assert!(
        missing.is_empty(),
        "{what}: {} key paths of the real response are missing in ours:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}

#[test]
fn comparer_sees_nested_and_array_paths() {
    let real: Value = serde_json::json!({"a": [{"b": 1, "c": {"d": 2}}, {"e": 3}]});
    let ours: Value = serde_json::json!({"a": [{"b": 1, "z": 0}, {"c": {"d": 5}}]});
    assert_eq!(first_record_paths(&real).len(), 5);
    assert!(first_record_paths(&real).contains("a[].c.d"));
    assert!(!first_record_paths(&real).contains("a[].e"));
    assert_covers("toy", &real, &ours);
    let result = std::panic::catch_unwind(|| assert_covers("toy", &ours, &real));
    assert!(result.is_err(), "z is missing from real");
}
