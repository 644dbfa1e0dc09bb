//! How results look to people. JSON output is the engine's own structures, serialized.

pub mod checks;
pub mod cloudformation;
pub mod handover;
pub mod plan;
pub mod progress;
pub mod rerun;
