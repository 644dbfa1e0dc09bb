//! The engine: from a spec to AWS state, knowing nothing of terminals. Its parts, each
//! building only on those listed before it:
//!
//! - [`knowledge`]: what the tool knows about networks and databases;
//! - [`deployment`]: what a deployment should be (desired), what exists of it
//!   (observe), what its tags record, and what Airbyte is told (handover);
//! - [`checks`]: preflight's read-only checks before setup, verify's after;
//! - [`plan`]: the self-describing plan, setup's planner and teardown's, saved plans,
//!   and the one executor that runs every plan, with the events it reports to the edge.
//!
//! Setup runs preflight → desired → plan → execute; teardown and sync-targets build
//! plans too, and the same executor runs them.

pub mod checks;
pub mod deployment;
pub mod knowledge;
pub mod plan;
