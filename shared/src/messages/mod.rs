//! The one envelope on every queue (DESIGN §5) and the payload of each kind.

pub mod envelope;
pub mod payloads;

pub use envelope::{Envelope, EnvelopeError, MessageKind};
pub use payloads::*;
