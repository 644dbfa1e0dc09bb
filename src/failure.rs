//! Why a command failed, for people, and the exit code that goes with it.

use std::fmt::Write;

use crate::aws::{CloudError, CloudErrorKind};
use crate::engine::plan::Replacement;
use crate::engine::plan::execute::{ApplyError, ApplyFailure};
use crate::problems::Problem;

/// The documented exit codes (README, "Exit codes").
pub mod exit {
    pub const ERROR: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const VERIFICATION_FAILED: i32 = 3;
    pub const CREDENTIALS: i32 = 4;
    pub const INTERRUPTED: i32 = 130;
}

#[derive(Debug)]
pub enum Failure {
    /// The spec or the account refuses the request; nothing was changed.
    Input(Vec<Problem>),
    Usage(String),
    Credentials(String),
    /// A read failed before any change.
    Cloud(CloudError),
    /// The spec needs a change AWS cannot make in place; nothing was changed.
    Replacement(Vec<Replacement>),
    /// The executor stopped partway through `work`.
    Apply {
        failure: ApplyFailure,
        name: String,
        work: Work,
    },
    /// A saved plan was made from a state the account no longer holds; nothing was changed.
    StalePlan {
        path: String,
        deployment: String,
        /// `setup` or `teardown`.
        command: &'static str,
        differences: Vec<String>,
    },
    /// Something did not come about (e.g. a wait ran out), for the reason given.
    Failed(String),
    /// `verify` found failing checks; the report is already printed.
    Verification {
        failed: usize,
    },
    /// `sync-targets` made the targets current, but one is in a zone the load balancer
    /// does not cover, and gets no traffic.
    Uncovered(String),
    /// The person at the terminal declined the plan.
    Declined,
    /// Ctrl-C or SIGTERM, with the changes it cut short, if any.
    Interrupted {
        changing: Option<Changing>,
    },
}

/// The deployment whose changes were under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changing {
    pub name: String,
    pub work: Work,
}

/// What a run was changing: it decides what the person is told to do after it stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// `setup` from a spec: running it again finishes the job.
    Setup,
    /// `setup --plan FILE`: once part of it is made, the saved plan no longer applies.
    SavedSetup,
    Teardown,
    SyncTargets,
    Accept,
}

impl Failure {
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Input(_) | Failure::Usage(_) | Failure::StalePlan { .. } => exit::USAGE,
            Failure::Credentials(_) => exit::CREDENTIALS,
            Failure::Cloud(e) => cloud_exit_code(e),
            Failure::Apply { failure: ApplyFailure { error: ApplyError::Cloud(e), .. }, .. } => cloud_exit_code(e),
            Failure::Apply { .. } | Failure::Replacement(_) | Failure::Declined | Failure::Failed(_) => exit::ERROR,
            Failure::Verification { .. } | Failure::Uncovered(_) => exit::VERIFICATION_FAILED,
            Failure::Interrupted { .. } => exit::INTERRUPTED,
        }
    }

    /// The message for stderr: what failed, why, and what to do next.
    pub fn message(&self) -> String {
        let mut out = String::new();
        match self {
            Failure::Input(problems) => {
                let _ = writeln!(out, "error: the request cannot be carried out as given:");
                for p in problems {
                    let _ = writeln!(out, "  - {p}");
                }
                let _ = write!(out, "Nothing was changed.");
            }
            Failure::Verification { failed } => {
                let _ = write!(out, "verification failed: {failed} check(s) failed; each says how to fix it.");
            }
            Failure::Usage(message)
            | Failure::Credentials(message)
            | Failure::Failed(message)
            | Failure::Uncovered(message) => {
                let _ = write!(out, "error: {message}");
            }
            Failure::Cloud(e) => {
                let _ = write!(out, "error: {}\nNothing was changed.", explain(e));
            }
            Failure::Replacement(replacements) => {
                let _ = writeln!(out, "error: the spec asks for changes AWS cannot make in place:");
                for r in replacements {
                    let _ = writeln!(out, "  - {}: {}", r.resource, r.reason);
                }
                let _ = write!(
                    out,
                    "Nothing was changed. Keep the current settings, or set up a new deployment under another --name, \
                     hand its service name to Airbyte, and remove this one once Airbyte uses the new one. The service \
                     name cannot be kept: AWS does not let a load balancer leave an endpoint service while an endpoint \
                     is connected to it."
                );
            }
            Failure::Apply { failure, name, work } => {
                let cause = match &failure.error {
                    ApplyError::Cloud(e) => explain(e),
                    other => other.to_string(),
                };
                let tagged = format!("is tagged airbyte-plink:deployment={name}");
                let undo = format!("To undo instead: `airbyte-plink teardown --name {name}`.");
                let (command, next) = match work {
                    Work::Setup => (
                        "setup",
                        format!(
                            "Nothing was rolled back; everything created so far {tagged}.\n\
                             Fix the cause and run the same command again: it finishes what is missing without duplicating anything.\n{undo}"
                        ),
                    ),
                    Work::SavedSetup => (
                        "setup",
                        format!(
                            "Nothing was rolled back; everything created so far {tagged}.\n\
                             The saved plan no longer applies now that part of it is made. Fix the cause, then make a new \
                             plan (`airbyte-plink plan --config FILE --out FILE`) and apply it, or run \
                             `airbyte-plink setup --config FILE`: either finishes what is missing.\n{undo}"
                        ),
                    ),
                    Work::Teardown => (
                        "teardown",
                        format!(
                            "What remains {tagged}.\n\
                             Fix the cause and run `airbyte-plink teardown --name {name}` again: it removes what is left."
                        ),
                    ),
                    Work::SyncTargets => (
                        "sync-targets",
                        format!(
                            "Fix the cause and run `airbyte-plink sync-targets --name {name}` again: it makes the rest of the change."
                        ),
                    ),
                    Work::Accept => {
                        ("accept", format!("Fix the cause and run `airbyte-plink accept --name {name}` again."))
                    }
                };
                let _ = write!(
                    out,
                    "error: {command} stopped after {} of {} changes: {cause}\n{next}",
                    failure.completed, failure.total
                );
            }
            Failure::StalePlan { path, deployment, command, differences } => {
                let _ = writeln!(
                    out,
                    "error: deployment {deployment} changed since the plan in {path} was made, so it no longer applies:"
                );
                for difference in differences {
                    let _ = writeln!(out, "  - {difference}");
                }
                let remake = match *command {
                    "teardown" => format!("airbyte-plink teardown --name {deployment} --dry-run --out {path}"),
                    _ => format!("airbyte-plink plan --config FILE --out {path}"),
                };
                let _ = write!(
                    out,
                    "Nothing was changed. Make the plan again from the account as it is now (`{remake}`), review it, and apply that."
                );
            }
            Failure::Declined => {
                let _ = write!(out, "Cancelled: nothing was changed.");
            }
            Failure::Interrupted { changing } => {
                let _ = write!(out, "interrupted.");
                match changing {
                    Some(Changing { name, work: Work::SavedSetup }) => {
                        let _ = write!(
                            out,
                            " Changes already made stay; they are tagged airbyte-plink:deployment={name}.\n\
                             The saved plan no longer applies: make a new one (`airbyte-plink plan --config FILE --out FILE`) \
                             or run `airbyte-plink setup --config FILE` to finish. \
                             To undo instead: `airbyte-plink teardown --name {name}`."
                        );
                    }
                    Some(Changing { name, work: Work::Teardown }) => {
                        let _ = write!(
                            out,
                            " What remains is tagged airbyte-plink:deployment={name}.\n\
                             Run `airbyte-plink teardown --name {name}` again to remove the rest."
                        );
                    }
                    Some(Changing { name, .. }) => {
                        let _ = write!(
                            out,
                            " Changes already made stay; they are tagged airbyte-plink:deployment={name}.\n\
                             Run the same command again to finish: it resumes where it stopped. \
                             To undo instead: `airbyte-plink teardown --name {name}`."
                        );
                    }
                    None => {
                        let _ = write!(out, " Nothing was changed.");
                    }
                }
            }
        }
        out
    }
}

fn cloud_exit_code(e: &CloudError) -> i32 {
    match e.kind {
        CloudErrorKind::AccessDenied | CloudErrorKind::Credentials => exit::CREDENTIALS,
        _ => exit::ERROR,
    }
}

/// A cloud error in words a person can act on.
fn explain(e: &CloudError) -> String {
    match e.kind {
        CloudErrorKind::AccessDenied => {
            // AWS often names the permission it checked, which is not always the call's
            // own action (tagging on create, vpce:AllowMultiRegion for cross-region).
            let multi_region = "vpce:AllowMultiRegion";
            let missing = if e.message.contains(multi_region) {
                multi_region
            } else {
                e.message
                    .split("perform: ")
                    .nth(1)
                    .and_then(|rest| rest.split_whitespace().next())
                    .map(|a| a.trim_end_matches(['.', ',']))
                    .unwrap_or(e.action)
            };
            let also = if e.action.contains(":Create") {
                "\n  Creating with tags also needs elasticloadbalancing:AddTags or ec2:CreateTags, and cross-region support vpce:AllowMultiRegion."
            } else {
                ""
            };
            format!(
                "AWS denied {} to this identity ({}).\n  Grant the IAM action {missing} to it (or ask your AWS administrator); a service control policy may also deny it.{also}",
                e.action, e.message
            )
        }
        CloudErrorKind::Credentials => format!(
            "AWS did not accept the credentials ({e}).\n  Log in again (e.g. `aws sso login`), or check AWS_PROFILE / AWS_ACCESS_KEY_ID and that the keys are current."
        ),
        // Not a quota Service Quotas can raise: AWS keeps at most 50 tags per resource.
        CloudErrorKind::Quota if e.is_code("TagLimitExceeded") => format!(
            "{e}\n  The resource already has AWS's maximum of 50 tags: give fewer --tag tags, or remove tags added to it \
             by hand."
        ),
        CloudErrorKind::Other if e.is_code("DependencyViolation") && e.action == "ec2:DeleteSecurityGroup" => format!(
            "{e}\n  Something still uses the load balancer's security group after minutes: most likely a rule in another \
             group that lets it in (the database's, if you added one by hand). Remove that rule (VPC console, Security \
             groups), then run the same command again."
        ),
        CloudErrorKind::Quota => format!(
            "{e}\n  An AWS quota is reached; remove unused resources of that kind or request a higher quota in the Service Quotas console."
        ),
        CloudErrorKind::Throttled => {
            format!("{e}\n  AWS kept throttling the requests after retries; wait a minute and run again.")
        }
        CloudErrorKind::Unreachable => format!("{e}\n  Check the network, --region and --endpoint-url."),
        CloudErrorKind::Other => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quota(code: &str) -> CloudError {
        CloudError {
            action: "ec2:CreateTags",
            kind: CloudErrorKind::Quota,
            code: Some(code.into()),
            message: "x".into(),
        }
    }

    #[test]
    fn the_tag_limit_is_not_sent_to_service_quotas() {
        let tags = explain(&quota("TagLimitExceeded"));
        assert!(tags.contains("maximum of 50 tags") && !tags.contains("Service Quotas"), "{tags}");
        assert!(explain(&quota("TooManyLoadBalancers")).contains("Service Quotas console"));
    }
}
