//! The checks: preflight's before setup changes anything (problems that refuse the spec,
//! warnings that do not), and verify's after, each with a stable ID, a result and a fix.
//! Both read AWS and change nothing; what they know about networks and databases is in
//! `engine::knowledge`.

use serde::Serialize;

pub mod database_groups;
pub mod follower_checks;
pub mod preflight;
pub mod reachability;
pub mod target_checks;
pub mod verify;

pub use verify::{verify, verify_database};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Stable; a check of one of a deployment's other databases ends in `@<database>`.
    pub id: String,
    pub status: Status,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

pub(crate) fn pass(id: &'static str, detail: impl Into<String>) -> Check {
    Check { id: id.into(), status: Status::Pass, detail: detail.into(), fix: None }
}

pub(crate) fn warn(id: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
    Check { id: id.into(), status: Status::Warn, detail: detail.into(), fix: Some(fix.into()) }
}

pub(crate) fn fail(id: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
    Check { id: id.into(), status: Status::Fail, detail: detail.into(), fix: Some(fix.into()) }
}
