//! The port contract suites against the AWS adapters, on a real emulator (moto, started by
//! `.ci/run`). The SAME suites run against the embedded adapters in `props-core`'s unit tests.

mod blob;
mod faults;
mod orchestrator;
mod queue;
mod raw;
mod slack;
mod state;
mod tables;

use props_core::adapters::aws::load_sdk_config;

/// The emulator's SDK config, or `None` (with a loud line) outside CI. In CI a missing emulator
/// is a failure, never a skip.
pub async fn emulator() -> Option<aws_config_like::Sdk> {
    match std::env::var("AWS_ENDPOINT_URL") {
        Ok(url) if !url.is_empty() => Some(aws_config_like::Sdk(load_sdk_config().await)),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("AWS_ENDPOINT_URL is not set: CI requires the moto emulator (see .ci/run)")
        }
        _ => {
            eprintln!("SKIPPED: AWS_ENDPOINT_URL not set; run `bash .ci/run` to test against moto");
            None
        }
    }
}

/// A unique namespace per test run, so reruns against a long-lived emulator do not collide.
pub fn unique(name: &str) -> String {
    let n: u32 = rand::random();
    format!("{name}-{n:08x}")
}

pub mod aws_config_like {
    /// The loaded SDK configuration (a newtype so tests name what they need).
    pub struct Sdk(pub aws_config::SdkConfig);
}
