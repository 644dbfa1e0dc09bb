//! What a deployment's follower should be: the Lambda function that keeps the target
//! group on the addresses the database's name resolves to, its role and log group, the
//! EventBridge rules that run it (the database's RDS events, and a schedule as a
//! backstop), and the alarm on the target group's healthy hosts. Names, settings and the
//! role's policy are derived here; the planner compares them with what exists.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::aws::follower::{FunctionSettings, Trigger};
use crate::aws::{DatabaseKind, Tags};
use crate::follower;

/// The function's setting that names its target group, known once that exists.
pub const TARGET_GROUP_VARIABLE: &str = "PLINK_TARGET_GROUP_ARN";
/// The inline policy of the role, by name.
pub const POLICY_NAME: &str = "follow-targets";
/// The target's ID in each rule.
pub const RULE_TARGET_ID: &str = "follower";
/// How long a run may take: a few lookups and three ELB calls.
const TIMEOUT_SECONDS: u32 = 60;
const MEMORY_MB: u32 = 128;
/// How long the follower's logs are kept.
pub const LOG_RETENTION_DAYS: i32 = 30;
/// The schedule's default period, and its bounds: EventBridge runs rates of whole minutes,
/// and a day between runs would leave a moved database unfollowed too long.
pub const DEFAULT_EVERY_MINUTES: u32 = 5;
pub const EVERY_MINUTES: std::ops::RangeInclusive<u32> = 1..=1440;

/// RDS event categories after which the database may have another address ("Amazon RDS
/// event categories and event messages", RDS user guide).
pub const EVENT_CATEGORIES: [&str; 6] =
    ["failover", "failure", "maintenance", "configuration change", "recovery", "availability"];

/// The RDS instance or Aurora cluster the follower listens to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowedDatabase {
    pub kind: FollowedKind,
    pub id: String,
    pub arn: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowedKind {
    Instance,
    Cluster,
}

impl From<DatabaseKind> for FollowedKind {
    fn from(kind: DatabaseKind) -> Self {
        match kind {
            DatabaseKind::RdsInstance => FollowedKind::Instance,
            DatabaseKind::AuroraCluster => FollowedKind::Cluster,
        }
    }
}

impl FollowedDatabase {
    /// `partition`, `region` and `account` of the deployment.
    pub fn new(kind: DatabaseKind, id: &str, partition: &str, region: &str, account: &str) -> FollowedDatabase {
        let kind = FollowedKind::from(kind);
        let resource = match kind {
            FollowedKind::Instance => "db",
            FollowedKind::Cluster => "cluster",
        };
        FollowedDatabase {
            kind,
            id: id.to_string(),
            arn: format!("arn:{partition}:rds:{region}:{account}:{resource}:{id}"),
        }
    }
}

/// The EventBridge pattern of the events of `databases` in the categories after which
/// their addresses may change: an event matches when it names one of them, of its kind's
/// detail type. An Aurora cluster's failover is a cluster event; events of its instances
/// name instances, which come and go, and the schedule catches them.
pub fn events_of(databases: &[FollowedDatabase]) -> String {
    let mut detail_types: Vec<&str> = Vec::new();
    for kind in [FollowedKind::Instance, FollowedKind::Cluster] {
        if databases.iter().any(|d| d.kind == kind) {
            detail_types.push(match kind {
                FollowedKind::Instance => "RDS DB Instance Event",
                FollowedKind::Cluster => "RDS DB Cluster Event",
            });
        }
    }
    let resources: Vec<&str> = databases.iter().map(|d| d.arn.as_str()).collect();
    json!({
        "source": ["aws.rds"],
        "detail-type": detail_types,
        "resources": resources,
        "detail": { "EventCategories": EVENT_CATEGORIES },
    })
    .to_string()
}

/// Another database of the deployment the follower keeps current: named by hostname, in
/// its own target group, which the function finds by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowedGroup {
    pub target_group: String,
    /// The targets as given, space-separated.
    pub targets: String,
    pub port: u16,
}

/// The function's setting that lists the other databases' groups it follows.
pub const MORE_GROUPS_VARIABLE: &str = "PLINK_MORE_GROUPS";

/// One rule that runs the follower.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiredRule {
    pub name: String,
    pub description: String,
    pub trigger: Trigger,
    /// The statement of the function's policy that lets this rule invoke it.
    pub statement_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesiredFollower {
    pub function: String,
    pub role: String,
    pub log_group: String,
    pub alarm: String,
    pub rules: Vec<DesiredRule>,
    /// SNS topics the alarm notifies.
    pub alarm_topics: Vec<String>,
    /// The targets as given (space-separated), the port and the VPC's ranges: what the
    /// function resolves and how it registers each address.
    pub targets: String,
    pub port: u16,
    pub vpc_cidrs: Vec<String>,
    pub partition: String,
    pub region: String,
    pub account: String,
    pub tags: Tags,
    /// The deployment's other databases it follows too.
    #[serde(default)]
    pub others: Vec<FollowedGroup>,
}

/// Everything the follower's names and settings are made from.
pub struct FollowerInputs<'a> {
    pub deployment: &'a str,
    pub every_minutes: u32,
    /// The RDS instances and Aurora clusters among its databases, whose events run it.
    pub databases: Vec<FollowedDatabase>,
    pub others: Vec<FollowedGroup>,
    pub alarm_topics: Vec<String>,
    pub targets: String,
    pub port: u16,
    pub vpc_cidrs: Vec<String>,
    pub partition: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub tags: Tags,
}

/// The names of deployment `name`'s follower resources: what a reading looks for.
pub struct FollowerNames {
    pub function: String,
    pub log_group: String,
    pub alarm: String,
    pub schedule_rule: String,
    pub events_rule: String,
}

impl FollowerNames {
    /// What every follower's log group name begins with.
    pub const LOG_GROUP_PREFIX: &str = "/aws/lambda/airbyte-plink-";
    const FUNCTION_SUFFIX: &str = "-follower";

    pub fn of(deployment: &str) -> FollowerNames {
        let function = format!("airbyte-plink-{deployment}{}", Self::FUNCTION_SUFFIX);
        let base = format!("airbyte-plink-{deployment}");
        FollowerNames {
            log_group: format!("/aws/lambda/{function}"),
            function,
            alarm: format!("{base}-no-healthy-target"),
            schedule_rule: format!("{base}-schedule"),
            events_rule: format!("{base}-database-events"),
        }
    }

    /// The role's name: IAM is global, so a deployment of the same name in another region
    /// has a role of its own (at most 61 characters, within IAM's 64).
    pub fn role(deployment: &str, region: &str) -> String {
        format!("airbyte-plink-{deployment}-{region}")
    }

    /// The deployment whose follower's log group this is, if it is one.
    pub fn deployment_of_log_group(log_group: &str) -> Option<String> {
        let name = log_group.strip_prefix(Self::LOG_GROUP_PREFIX)?.strip_suffix(Self::FUNCTION_SUFFIX)?;
        (!name.is_empty()).then(|| name.to_string())
    }

    pub fn rules(&self) -> [&str; 2] {
        [&self.events_rule, &self.schedule_rule]
    }
}

impl DesiredFollower {
    pub fn new(inputs: FollowerInputs<'_>) -> DesiredFollower {
        let names = FollowerNames::of(inputs.deployment);
        let mut rules = Vec::new();
        if !inputs.databases.is_empty() {
            let ids: Vec<&str> = inputs.databases.iter().map(|d| d.id.as_str()).collect();
            rules.push(DesiredRule {
                name: names.events_rule.clone(),
                description: format!(
                    "airbyte-plink {}: follows {} after RDS events that may move {}",
                    inputs.deployment,
                    ids.join(", "),
                    if ids.len() == 1 { "its address" } else { "their addresses" }
                ),
                trigger: Trigger::Events(events_of(&inputs.databases)),
                statement_id: "airbyte-plink-database-events".into(),
            });
        }
        let every = inputs.every_minutes;
        rules.push(DesiredRule {
            name: names.schedule_rule.clone(),
            description: format!("airbyte-plink {}: follows the database every {every} min", inputs.deployment),
            trigger: Trigger::Schedule(rate(every)),
            statement_id: "airbyte-plink-schedule".into(),
        });
        DesiredFollower {
            function: names.function,
            role: FollowerNames::role(inputs.deployment, inputs.region),
            log_group: names.log_group,
            alarm: names.alarm,
            rules,
            alarm_topics: inputs.alarm_topics,
            targets: inputs.targets,
            port: inputs.port,
            vpc_cidrs: inputs.vpc_cidrs,
            partition: inputs.partition.to_string(),
            region: inputs.region.to_string(),
            account: inputs.account.to_string(),
            tags: inputs.tags,
            others: inputs.others,
        }
    }

    /// The function's settings once its target group is `target_group_arn`.
    pub fn settings(&self, target_group_arn: &str) -> FunctionSettings {
        let mut environment: BTreeMap<String, String> = [
            ("PLINK_DEPLOYMENT", self.tags.get(super::tags::DEPLOYMENT).cloned().unwrap_or_default()),
            (TARGET_GROUP_VARIABLE, target_group_arn.to_string()),
            ("PLINK_TARGETS", self.targets.clone()),
            ("PLINK_PORT", self.port.to_string()),
            ("PLINK_VPC_CIDRS", self.vpc_cidrs.join(" ")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        // Only with other databases: a deployment of one keeps its settings.
        if !self.others.is_empty() {
            let groups: Vec<Value> = self
                .others
                .iter()
                .map(|g| json!({ "name": g.target_group, "targets": g.targets, "port": g.port }))
                .collect();
            environment.insert(MORE_GROUPS_VARIABLE.into(), Value::Array(groups).to_string());
        }
        FunctionSettings {
            runtime: follower::RUNTIME.into(),
            handler: follower::HANDLER.into(),
            timeout_seconds: TIMEOUT_SECONDS,
            memory_mb: MEMORY_MB,
            log_group: self.log_group.clone(),
            environment,
        }
    }

    pub fn description(&self) -> String {
        let deployment = self.tags.get(super::tags::DEPLOYMENT).map(String::as_str).unwrap_or_default();
        format!("airbyte-plink {deployment}: keeps the target group on the database's current addresses")
    }

    /// What the alarm says when it goes off: what is wrong, and the command that says why.
    pub fn alarm_description(&self) -> String {
        let deployment = self.tags.get(super::tags::DEPLOYMENT).map(String::as_str).unwrap_or_default();
        format!(
            "airbyte-plink {deployment}: the target group has had no healthy target for 3 minutes, so Airbyte \
             cannot reach the database; run `airbyte-plink verify --name {deployment}`"
        )
    }

    pub fn role_description(&self) -> String {
        let deployment = self.tags.get(super::tags::DEPLOYMENT).map(String::as_str).unwrap_or_default();
        format!("airbyte-plink {deployment}: the follower's role")
    }

    pub fn log_group_arn(&self) -> String {
        format!("arn:{}:logs:{}:{}:log-group:{}", self.partition, self.region, self.account, self.log_group)
    }

    /// The role's policy: exactly what the function calls. Registering and deregistering
    /// on this deployment's target groups only; reading target health (and the other
    /// groups, by name), which ELB does not scope to a resource (its `Describe*` actions
    /// take `*`); writing to its own log group. It calls nothing of RDS: it follows the
    /// database through its name.
    pub fn policy(&self, target_group_arn: &str) -> String {
        policy_document(target_group_arn, &self.other_target_groups(), &self.log_group_arn())
    }

    /// The other databases' target groups, as ARNs a policy takes before they exist: by
    /// name, the ID that ends an ARN left open (a group's name is unique in its region).
    pub fn other_target_groups(&self) -> Vec<String> {
        let (partition, region, account) = (&self.partition, &self.region, &self.account);
        self.others
            .iter()
            .map(|g| {
                format!("arn:{partition}:elasticloadbalancing:{region}:{account}:targetgroup/{}/*", g.target_group)
            })
            .collect()
    }

    pub fn rule_arn(&self, rule: &str) -> String {
        format!("arn:{}:events:{}:{}:rule/{rule}", self.partition, self.region, self.account)
    }
}

/// A rule's schedule of one run every `minutes`, as EventBridge spells it.
fn rate(minutes: u32) -> String {
    if minutes == 1 { "rate(1 minute)".into() } else { format!("rate({minutes} minutes)") }
}

/// The follower's policy on its deployment's own target group and `others` (ARNs, or
/// ARN patterns); with no others, what it was before there could be any.
pub fn policy_document(target_group_arn: &str, others: &[String], log_group_arn: &str) -> String {
    let (groups, reads) = if others.is_empty() {
        (json!(target_group_arn), json!("elasticloadbalancing:DescribeTargetHealth"))
    } else {
        let groups: Vec<&str> = std::iter::once(target_group_arn).chain(others.iter().map(String::as_str)).collect();
        let reads = json!(["elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTargetGroups"]);
        (json!(groups), reads)
    };
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "FollowTheDatabase",
                "Effect": "Allow",
                "Action": ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                "Resource": groups,
            },
            {
                "Sid": "ReadTargets",
                "Effect": "Allow",
                "Action": reads,
                "Resource": "*",
            },
            {
                "Sid": "WriteLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": format!("{log_group_arn}:*"),
            },
        ],
    })
    .to_string()
}

/// The role's trust policy: Lambda may assume it, as the Lambda developer guide's
/// execution role has it ("Defining Lambda function permissions with an execution role").
/// Only this account can pass the role to a function (`iam:PassRole`).
pub fn trust_policy() -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "lambda.amazonaws.com" },
            "Action": "sts:AssumeRole",
        }],
    })
    .to_string()
}

/// Whether two policy documents say the same, however they are spaced.
pub fn same_policy(a: &str, b: &str) -> bool {
    let parse = |text: &str| serde_json::from_str::<Value>(text).ok();
    parse(a).is_some() && parse(a) == parse(b)
}

/// The alarm's dimensions, from the target group's and load balancer's ARNs: CloudWatch
/// names them by the ARNs' last parts (`targetgroup/…/…`, `net/…/…`).
pub fn alarm_dimensions(target_group_arn: &str, load_balancer_arn: &str) -> BTreeMap<String, String> {
    let tail = |arn: &str, after: &str| arn.split_once(after).map(|(_, t)| t.to_string()).unwrap_or_default();
    BTreeMap::from([
        ("TargetGroup".to_string(), format!("targetgroup/{}", tail(target_group_arn, ":targetgroup/"))),
        ("LoadBalancer".to_string(), tail(load_balancer_arn, ":loadbalancer/")),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alarm_names_the_metric_by_the_arns_last_parts() {
        let dims = alarm_dimensions(
            "arn:aws:elasticloadbalancing:us-west-2:1:targetgroup/db/73e2d6bc24d8a067",
            "arn:aws:elasticloadbalancing:us-west-2:1:loadbalancer/net/db/50dc6c495c0c9188",
        );
        assert_eq!(dims["TargetGroup"], "targetgroup/db/73e2d6bc24d8a067");
        assert_eq!(dims["LoadBalancer"], "net/db/50dc6c495c0c9188");
    }

    #[test]
    fn a_cluster_is_followed_through_its_own_events() {
        let cluster = FollowedDatabase::new(DatabaseKind::AuroraCluster, "sample-aurora", "aws", "us-west-2", "1");
        assert_eq!(cluster.arn, "arn:aws:rds:us-west-2:1:cluster:sample-aurora");
        let pattern: Value = serde_json::from_str(&events_of(std::slice::from_ref(&cluster))).unwrap();
        assert_eq!(pattern["detail-type"], json!(["RDS DB Cluster Event"]));
        assert_eq!(pattern["resources"], json!([cluster.arn]));
        assert!(pattern["detail"]["EventCategories"].as_array().unwrap().contains(&json!("failover")));
    }

    #[test]
    fn several_databases_run_it_on_each_ones_events_and_one_keeps_its_own_pattern() {
        let instance = FollowedDatabase::new(DatabaseKind::RdsInstance, "orders", "aws", "us-west-2", "1");
        let cluster = FollowedDatabase::new(DatabaseKind::AuroraCluster, "sample-aurora", "aws", "us-west-2", "1");
        let one: Value = serde_json::from_str(&events_of(std::slice::from_ref(&instance))).unwrap();
        assert_eq!(one["detail-type"], json!(["RDS DB Instance Event"]));
        let both: Value = serde_json::from_str(&events_of(&[instance.clone(), cluster.clone()])).unwrap();
        assert_eq!(both["detail-type"], json!(["RDS DB Instance Event", "RDS DB Cluster Event"]));
        assert_eq!(both["resources"], json!([instance.arn, cluster.arn]));
    }

    #[test]
    fn the_policy_lets_the_function_change_only_its_own_target_group() {
        let policy: Value = serde_json::from_str(&policy_document("arn:tg", &[], "arn:lg")).unwrap();
        let changes = &policy["Statement"][0];
        assert_eq!(changes["Resource"], "arn:tg");
        assert!(same_policy(&policy.to_string(), &policy_document("arn:tg", &[], "arn:lg")));
        assert!(!same_policy(&policy.to_string(), &policy_document("arn:other", &[], "arn:lg")));
        // With other databases: their groups too, found by name.
        let more: Value = serde_json::from_str(&policy_document("arn:tg", &["arn:tg2/*".into()], "arn:lg")).unwrap();
        assert_eq!(more["Statement"][0]["Resource"], json!(["arn:tg", "arn:tg2/*"]));
        assert!(
            more["Statement"][1]["Action"]
                .as_array()
                .unwrap()
                .contains(&json!("elasticloadbalancing:DescribeTargetGroups"))
        );
        assert_eq!(rate(1), "rate(1 minute)");
        assert_eq!(rate(5), "rate(5 minutes)");
    }
}
