//! The ONE contract suite per port. Every adapter (embedded and AWS) runs exactly these
//! assertions: the embedded ones from their unit tests, the AWS ones from `tests/aws` against
//! the moto emulator.
//!
//! Each function takes a `ns` namespace so that runs against a shared backend do not collide.

pub mod blob;
pub mod queue;
pub mod state;
