//! The follower's part of the seam: the calls that make, read and remove the Lambda
//! function that keeps a deployment's targets current, its role, log group, EventBridge
//! rules and the alarm on the target group. As with [`super::Cloud`], one method is one
//! API call, in this tool's vocabulary.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{CloudResult, Tags};

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub arn: String,
    pub name: String,
    pub tags: Tags,
}

/// A Lambda function's configuration, as GetFunction reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub arn: String,
    pub name: String,
    pub role_arn: String,
    pub runtime: String,
    pub handler: String,
    /// The base64 SHA-256 of its code's zip.
    pub code_sha256: String,
    pub environment: BTreeMap<String, String>,
    pub timeout_seconds: u32,
    /// `Pending`, `Active`, `Inactive` or `Failed`.
    pub state: String,
    /// `InProgress`, `Successful` or `Failed`, for the last change to it.
    pub last_update_status: Option<String>,
    /// The log group it writes to.
    pub log_group: Option<String>,
    /// When it was last created or changed (seconds since the epoch).
    pub last_modified: Option<i64>,
    pub tags: Tags,
}

impl Function {
    /// Lambda runs it only once `Active`, and takes another change only once the last
    /// one is no longer `InProgress` ("Lambda function states", Lambda developer guide).
    pub fn is_ready(&self) -> bool {
        self.state.eq_ignore_ascii_case("active")
            && !self.last_update_status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("inprogress"))
    }
}

/// Seconds since the epoch of a time as Lambda reports it: `2026-12-07T07:55:07.123+0000`
/// (always UTC, AWS Lambda API reference, FunctionConfiguration, LastModified).
pub fn lambda_time(text: &str) -> Option<i64> {
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    // Days from 1970-01-01 to the date (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// A statement of a function's resource-based policy letting a service invoke it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokePermission {
    pub statement_id: String,
    pub principal: String,
    /// The one resource (an EventBridge rule) it lets invoke the function.
    pub source_arn: Option<String>,
}

/// An EventBridge rule on the default event bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRule {
    pub arn: String,
    pub name: String,
    /// `ENABLED` or `DISABLED` (or `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`).
    pub state: String,
    pub schedule: Option<String>,
    /// The event pattern, as JSON.
    pub pattern: Option<String>,
}

impl EventRule {
    pub fn is_enabled(&self) -> bool {
        self.state.to_ascii_uppercase().starts_with("ENABLED")
    }
}

/// What sets a rule off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A schedule expression: `rate(5 minutes)`.
    Schedule(String),
    /// An event pattern, as JSON.
    Events(String),
}

/// A target of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTarget {
    pub id: String,
    pub arn: String,
}

/// A CloudWatch metric alarm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    pub arn: String,
    pub name: String,
    pub namespace: String,
    pub metric: String,
    pub dimensions: BTreeMap<String, String>,
    /// Where it notifies when it goes into alarm.
    pub alarm_actions: Vec<String>,
}

/// A CloudWatch Logs log group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogGroup {
    pub arn: String,
    pub name: String,
    pub retention_days: Option<i32>,
}

/// What Lambda's metrics say of a function's recent runs (AWS/Lambda `Invocations` and
/// `Errors`, by minute).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Runs {
    pub invocations: u64,
    pub errors: u64,
    /// The minute of the last run (seconds since the epoch), if there was one.
    pub last_run: Option<i64>,
    /// Whether a run in that minute failed.
    pub last_failed: bool,
}

pub struct NewFunction<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub role_arn: &'a str,
    pub code: &'a [u8],
    pub settings: &'a FunctionSettings,
    pub tags: &'a Tags,
}

/// A function's settings that can change in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionSettings {
    pub runtime: String,
    pub handler: String,
    pub timeout_seconds: u32,
    pub memory_mb: u32,
    pub log_group: String,
    pub environment: BTreeMap<String, String>,
}

pub struct NewEventRule<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub trigger: &'a Trigger,
    pub tags: &'a Tags,
}

/// An alarm when a target group has no healthy target.
pub struct NewAlarm<'a> {
    pub name: &'a str,
    pub description: &'a str,
    /// The metric's dimensions: `TargetGroup` and `LoadBalancer`.
    pub dimensions: &'a BTreeMap<String, String>,
    /// SNS topics told when it goes into alarm and when it is OK again.
    pub topics: &'a [String],
    pub tags: &'a Tags,
}

/// The calls that make, read and remove a deployment's follower.
#[allow(async_fn_in_trait)] // used only generically inside this binary
pub trait FollowerCloud {
    /// The region every call goes to (no call): the follower's role, which IAM keeps for
    /// every region, is named after it.
    fn region(&self) -> &str;

    // Read-only: by name, `None` when there is none.
    async fn role(&self, name: &str) -> CloudResult<Option<Role>>;
    /// An inline policy of a role, as JSON.
    async fn role_policy(&self, role: &str, policy: &str) -> CloudResult<Option<String>>;
    async fn function(&self, name: &str) -> CloudResult<Option<Function>>;
    /// The statements of a function's resource-based policy.
    async fn invoke_permissions(&self, function: &str) -> CloudResult<Vec<InvokePermission>>;
    async fn event_rule(&self, name: &str) -> CloudResult<Option<EventRule>>;
    async fn rule_targets(&self, rule: &str) -> CloudResult<Vec<RuleTarget>>;
    async fn event_rule_tags(&self, arn: &str) -> CloudResult<Tags>;
    async fn alarm(&self, name: &str) -> CloudResult<Option<Alarm>>;
    /// Every rule whose name begins with `prefix`, all pages (ListRules).
    async fn event_rules(&self, prefix: &str) -> CloudResult<Vec<EventRule>>;
    /// Every alarm whose name begins with `prefix`, all pages.
    async fn alarms(&self, prefix: &str) -> CloudResult<Vec<Alarm>>;
    async fn alarm_tags(&self, arn: &str) -> CloudResult<Tags>;
    /// Every log group whose name begins with `prefix`, all pages.
    async fn log_groups(&self, prefix: &str) -> CloudResult<Vec<LogGroup>>;
    async fn log_group_tags(&self, arn: &str) -> CloudResult<Tags>;
    /// What Lambda's metrics say of each function's runs in the last `minutes`, in the
    /// order given: one GetMetricData for up to 250 functions (two queries each, of the
    /// 500 a call takes).
    async fn runs(&self, functions: &[String], minutes: u32) -> CloudResult<Vec<Runs>>;

    // Mutating.
    /// A role Lambda may assume. A role of that name carrying the tags asked for (made by
    /// a call whose answer was lost) is returned instead.
    async fn create_role(&self, name: &str, description: &str, trust_policy: &str, tags: &Tags) -> CloudResult<Role>;
    /// Sets an inline policy of a role (replacing one of that name).
    async fn put_role_policy(&self, role: &str, policy: &str, document: &str) -> CloudResult<()>;
    /// A log group; one that exists already is left as it is.
    async fn create_log_group(&self, name: &str, tags: &Tags) -> CloudResult<()>;
    async fn set_log_retention(&self, name: &str, days: i32) -> CloudResult<()>;
    /// A function of that name carrying the tags asked for (made by a call whose answer
    /// was lost) is returned instead.
    async fn create_function(&self, new: NewFunction<'_>) -> CloudResult<Function>;
    async fn update_function_code(&self, name: &str, code: &[u8]) -> CloudResult<()>;
    async fn update_function_settings(
        &self,
        name: &str,
        role_arn: &str,
        settings: &FunctionSettings,
    ) -> CloudResult<()>;
    /// Lets EventBridge rule `source_arn` invoke the function; a statement of that ID
    /// that exists already is left as it is.
    async fn allow_rule_to_invoke(&self, function: &str, statement_id: &str, source_arn: &str) -> CloudResult<()>;
    /// Makes or updates a rule, enabled; returns its ARN.
    async fn put_event_rule(&self, new: NewEventRule<'_>) -> CloudResult<String>;
    async fn put_rule_target(&self, rule: &str, target: &RuleTarget) -> CloudResult<()>;
    /// Makes or updates an alarm.
    async fn put_alarm(&self, new: NewAlarm<'_>) -> CloudResult<()>;

    // Removing. Each treats what is already gone as removed.
    async fn remove_rule_targets(&self, rule: &str, target_ids: &[String]) -> CloudResult<()>;
    async fn delete_event_rule(&self, name: &str) -> CloudResult<()>;
    async fn delete_function(&self, name: &str) -> CloudResult<()>;
    async fn delete_role_policy(&self, role: &str, policy: &str) -> CloudResult<()>;
    async fn delete_role(&self, name: &str) -> CloudResult<()>;
    async fn delete_alarm(&self, name: &str) -> CloudResult<()>;
    async fn delete_log_group(&self, name: &str) -> CloudResult<()>;
}
