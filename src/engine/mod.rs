//! The engine: from a spec to AWS state, knowing nothing of terminals.
//!
//! preflight (read-only checks) and observe (what exists) → desired → plan → apply,
//! with events reported to the edge; teardown turns what exists into a plan of removals
//! and executes it the same way.

pub mod apply;
pub mod backoff;
pub mod checks;
pub mod desired;
pub mod events;
#[cfg(test)]
pub mod fixtures;
pub mod handover;
pub mod inspect;
pub mod observe;
pub mod plan;
pub mod preflight;
pub mod tags;
pub mod targets;
pub mod teardown;
