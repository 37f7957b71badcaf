//! Row types shared between phases (a function crate never depends on another: what two
//! phases share lives here). One module per dataset.

pub mod analytics;
pub mod orchestration;
pub mod precompute;
pub mod predictions;
pub mod raw;
