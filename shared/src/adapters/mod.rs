//! Adapters for the ports: `local` (embedded, on disk / in process) and `aws`.

pub mod aws;
pub mod local;
