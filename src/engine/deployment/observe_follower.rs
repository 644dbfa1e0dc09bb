//! What exists of a deployment's follower, read by name in two concurrent rounds: the
//! resources (and what can be read of them by name alone) first, then the tags of those
//! that do not carry them in their own answer. Only resources tagged for the deployment
//! count; one of its names that someone else owns is a conflict.

use futures::future::{try_join_all, try_join5};
use futures::stream::{self, StreamExt, TryStreamExt};

use crate::aws::follower::*;
use crate::aws::{Cloud, CloudResult, Tags};
use crate::engine::deployment::follower::{FollowerNames, POLICY_NAME};
use crate::engine::deployment::tags;

/// How far back `status` and `verify` look for the follower's last run: long enough for a
/// few runs of the slowest schedule anyone keeps for long.
pub const RUNS_WINDOW_MINUTES: u32 = 60;

#[derive(Debug, Clone, Default)]
pub struct ObservedFollower {
    pub role: Option<Role>,
    /// The role's policy, as JSON.
    pub role_policy: Option<String>,
    pub function: Option<Function>,
    pub permissions: Vec<InvokePermission>,
    /// The rules that run it, with their targets.
    pub rules: Vec<(EventRule, Vec<RuleTarget>)>,
    pub alarm: Option<Alarm>,
    pub log_group: Option<LogGroup>,
    /// What Lambda's metrics say of its recent runs, when asked for.
    pub runs: Option<Runs>,
    /// Its names that someone else's resources hold.
    pub conflicts: Vec<String>,
}

impl ObservedFollower {
    /// Whether anything of a follower exists.
    pub fn exists(&self) -> bool {
        self.role.is_some()
            || self.function.is_some()
            || !self.rules.is_empty()
            || self.alarm.is_some()
            || self.log_group.is_some()
    }

    /// The minutes between scheduled runs, from the schedule rule's `rate(…)`.
    pub fn every_minutes(&self) -> Option<u32> {
        let schedule = self.rules.iter().find_map(|(rule, _)| rule.schedule.as_deref())?;
        let inner = schedule.strip_prefix("rate(")?.strip_suffix(')')?;
        let (number, unit) = inner.split_once(' ')?;
        let number: u32 = number.parse().ok()?;
        match unit {
            "minute" | "minutes" => Some(number),
            "hour" | "hours" => Some(number * 60),
            _ => None,
        }
    }

    pub fn rule(&self, name: &str) -> Option<&(EventRule, Vec<RuleTarget>)> {
        self.rules.iter().find(|(rule, _)| rule.name == name)
    }
}

/// What a listing of every deployment shows of each one's follower: its function (one
/// GetFunction each, the only call that says a function's state, which Lambda allows 100
/// a second of; [`FUNCTIONS_AT_ONCE`] at a time), and from one listing each, every
/// schedule, every alarm and every function's recent runs (with `runs`). A schedule or
/// an alarm of a deployment's names counts as its own when its function does: reading
/// their tags would cost two calls per deployment.
pub async fn read_listed<C: Cloud>(
    cloud: &C,
    deployments: &[String],
    runs: bool,
) -> CloudResult<Vec<ObservedFollower>> {
    let names: Vec<FollowerNames> = deployments.iter().map(|d| FollowerNames::of(d)).collect();
    let function_names: Vec<String> = names.iter().map(|n| n.function.clone()).collect();
    let (functions, rules, alarms, recent) = futures::try_join!(
        stream::iter(function_names.iter().map(|name| cloud.function(name)))
            .buffered(FUNCTIONS_AT_ONCE)
            .try_collect::<Vec<Option<Function>>>(),
        cloud.event_rules(NAME_PREFIX),
        cloud.alarms(NAME_PREFIX),
        async {
            match runs && !function_names.is_empty() {
                true => cloud.runs(&function_names, RUNS_WINDOW_MINUTES).await.map(Some),
                false => Ok(None),
            }
        },
    )?;
    let mut recent = recent.map(Vec::into_iter);
    Ok(deployments
        .iter()
        .zip(names)
        .zip(functions)
        .map(|((deployment, names), function)| {
            let runs = recent.as_mut().and_then(Iterator::next);
            let Some(function) = function.filter(|f| tags::owned_by(&f.tags, deployment)) else {
                return ObservedFollower::default();
            };
            let schedule = rules.iter().find(|r| r.name == names.schedule_rule).cloned();
            ObservedFollower {
                function: Some(function),
                rules: schedule.map(|rule| (rule, Vec::new())).into_iter().collect(),
                alarm: alarms.iter().find(|a| a.name == names.alarm).cloned(),
                runs,
                ..ObservedFollower::default()
            }
        })
        .collect())
}

/// How many GetFunction calls a listing has in flight: within Lambda's 100 a second
/// ("Lambda quotas", Lambda developer guide: GetFunction API requests).
const FUNCTIONS_AT_ONCE: usize = 50;

/// What every follower resource's name begins with.
const NAME_PREFIX: &str = "airbyte-plink-";

/// Reads deployment `deployment`'s follower; its recent runs too with `runs`.
pub async fn read<C: Cloud>(cloud: &C, deployment: &str, runs: bool) -> CloudResult<ObservedFollower> {
    let names = FollowerNames::of(deployment);
    let role_name = FollowerNames::role(deployment, cloud.region());
    let rules = names.rules();
    let ((role, role_policy), (function, permissions), found_rules, (alarm, log_group), recent) = try_join5(
        futures::future::try_join(cloud.role(&role_name), cloud.role_policy(&role_name, POLICY_NAME)),
        futures::future::try_join(cloud.function(&names.function), cloud.invoke_permissions(&names.function)),
        try_join_all(
            rules.iter().map(|rule| futures::future::try_join(cloud.event_rule(rule), cloud.rule_targets(rule))),
        ),
        futures::future::try_join(cloud.alarm(&names.alarm), log_group(cloud, &names.log_group)),
        async {
            match runs {
                true => Ok(cloud.runs(std::slice::from_ref(&names.function), RUNS_WINDOW_MINUTES).await?.pop()),
                false => Ok(None),
            }
        },
    )
    .await?;
    let found_rules: Vec<(EventRule, Vec<RuleTarget>)> =
        found_rules.into_iter().filter_map(|(rule, targets)| Some((rule?, targets))).collect();
    let (rule_tags, alarm_tags, log_tags) = futures::try_join!(
        try_join_all(found_rules.iter().map(|(rule, _)| cloud.event_rule_tags(&rule.arn))),
        async {
            match &alarm {
                Some(alarm) => cloud.alarm_tags(&alarm.arn).await,
                None => Ok(Tags::new()),
            }
        },
        async {
            match &log_group {
                Some(group) => cloud.log_group_tags(&group.arn).await,
                None => Ok(Tags::new()),
            }
        },
    )?;
    let mut observed = ObservedFollower { runs: recent, ..ObservedFollower::default() };
    let mut own = |what: String, resource_tags: &Tags| {
        let owned = tags::owned_by(resource_tags, deployment);
        if !owned {
            observed.conflicts.push(what);
        }
        owned
    };
    let role = role.filter(|r| own(format!("IAM role {}", r.name), &r.tags));
    let function = function.filter(|f| own(format!("Lambda function {}", f.name), &f.tags));
    let alarm = alarm.filter(|a| own(format!("CloudWatch alarm {}", a.name), &alarm_tags));
    let log_group = log_group.filter(|g| own(format!("log group {}", g.name), &log_tags));
    let rules: Vec<(EventRule, Vec<RuleTarget>)> = found_rules
        .into_iter()
        .zip(rule_tags)
        .filter(|((rule, _), rule_tags)| own(format!("EventBridge rule {}", rule.name), rule_tags))
        .map(|(rule, _)| rule)
        .collect();
    observed.role_policy = role_policy.filter(|_| role.is_some());
    observed.permissions = if function.is_some() { permissions } else { Vec::new() };
    (observed.role, observed.function, observed.alarm, observed.log_group, observed.rules) =
        (role, function, alarm, log_group, rules);
    Ok(observed)
}

/// The log group named `name` exactly (DescribeLogGroups takes only a prefix).
async fn log_group<C: Cloud>(cloud: &C, name: &str) -> CloudResult<Option<LogGroup>> {
    Ok(cloud.log_groups(name).await?.into_iter().find(|group| group.name == name))
}

/// The deployments whose follower's log group exists, owned by them: what is left of a
/// setup cut after its first changes, which made the role and the log group only.
pub async fn deployments_with_a_log_group<C: Cloud>(cloud: &C) -> CloudResult<Vec<String>> {
    let groups = cloud.log_groups(FollowerNames::LOG_GROUP_PREFIX).await?;
    let named: Vec<(String, LogGroup)> = groups
        .into_iter()
        .filter_map(|group| Some((FollowerNames::deployment_of_log_group(&group.name)?, group)))
        .collect();
    let owners = try_join_all(named.iter().map(|(_, group)| cloud.log_group_tags(&group.arn))).await?;
    Ok(named
        .into_iter()
        .zip(owners)
        .filter(|((name, _), tags)| tags::owned_by(tags, name))
        .map(|((name, _), _)| name)
        .collect())
}
