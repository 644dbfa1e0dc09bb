//! The engine: from a spec to AWS state, knowing nothing of terminals.
//!
//! preflight (read-only checks) and observe (the one read model of what exists) →
//! desired → plan → execute, with events reported to the edge. Teardown (removal) and
//! sync-targets build plans too, and the one executor runs them all; a plan can be saved
//! with the fingerprint of the state it was made from (saved) and run later.

pub mod backoff;
pub mod checks;
pub mod database;
pub mod database_groups;
pub mod desired;
pub mod events;
pub mod execute;
#[cfg(test)]
pub mod fixtures;
pub mod handover;
pub mod network_acls;
pub mod observe;
pub mod plan;
pub mod planner;
pub mod preflight;
pub mod reachability;
pub mod removal;
pub mod saved;
pub mod tags;
pub mod target_checks;
pub mod targets;
