//! The deployment spec: the single source of truth for what a deployment should be.
//!
//! It is filled in layers: a TOML file (`--config`), then flags, then (on a terminal)
//! prompts. Each layer is a [`SpecDraft`] of optional raw values; [`SpecDraft::resolve`]
//! validates the merged draft into a [`DeploymentSpec`], reporting every problem at once.

pub mod databases;
pub mod fields;
pub mod file;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::aws::{HealthCheck, Tags};
use crate::problems::Problem;
pub use databases::{DatabaseDraft, DatabaseSpec};
pub use fields::{AirbyteRegion, Engine, Target};

/// A port as written: a number, or text (a quoted value in the file) checked later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PortValue {
    Number(i64),
    Text(String),
}

impl PortValue {
    fn parse(&self) -> Result<u16, String> {
        match self {
            PortValue::Number(n) => fields::port(*n),
            PortValue::Text(text) => text
                .trim()
                .parse::<i64>()
                .map_err(|_| format!("'{text}' is not a number; use 1–65535, the port your database listens on"))
                .and_then(fields::port),
        }
    }
}

impl std::fmt::Display for PortValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortValue::Number(n) => write!(f, "{n}"),
            PortValue::Text(text) => write!(f, "{text}"),
        }
    }
}

/// Raw, possibly incomplete answers. Field names are the config file keys; each flag is
/// the same name with hyphens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecDraft {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub airbyte_region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub airbyte_account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub airbyte_principal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<PortValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnets: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db_security_group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cross_zone: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceptance_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_targets_outside_vpc: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
    /// postgres, mysql, mariadb, sqlserver or oracle; RDS says it for its databases.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_kind: Option<String>,
    /// Seconds between TCP health checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check_interval: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthy_threshold: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unhealthy_threshold: Option<i64>,
    /// Keep the targets on the database's current addresses with a Lambda function; on by
    /// default for an RDS or Aurora hostname.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow: Option<bool>,
    /// Minutes between the follower's scheduled runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_every_minutes: Option<i64>,
    /// The SNS topic the no-healthy-target alarm notifies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alarm_topic: Option<String>,
    /// Seconds a connection may carry no data before the load balancer forgets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_timeout: Option<i64>,
    /// More databases behind the same load balancer and endpoint service, each on its
    /// own listener port. (Last: TOML puts tables after plain keys.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub databases: Option<Vec<DatabaseDraft>>,
}

impl SpecDraft {
    /// This draft with every value `over` gives taking precedence; tags are merged.
    pub fn overlay(self, over: SpecDraft) -> SpecDraft {
        let tags = match (self.tags, over.tags) {
            (Some(mut base), Some(extra)) => {
                base.extend(extra);
                Some(base)
            }
            (base, extra) => extra.or(base),
        };
        SpecDraft {
            name: over.name.or(self.name),
            region: over.region.or(self.region),
            airbyte_region: over.airbyte_region.or(self.airbyte_region),
            airbyte_account_id: over.airbyte_account_id.or(self.airbyte_account_id),
            airbyte_principal: over.airbyte_principal.or(self.airbyte_principal),
            targets: over.targets.or(self.targets),
            port: over.port.or(self.port),
            vpc_id: over.vpc_id.or(self.vpc_id),
            subnets: over.subnets.or(self.subnets),
            db_security_group: over.db_security_group.or(self.db_security_group),
            cross_zone: over.cross_zone.or(self.cross_zone),
            acceptance_required: over.acceptance_required.or(self.acceptance_required),
            allow_targets_outside_vpc: over.allow_targets_outside_vpc.or(self.allow_targets_outside_vpc),
            tags,
            database_kind: over.database_kind.or(self.database_kind),
            health_check_interval: over.health_check_interval.or(self.health_check_interval),
            healthy_threshold: over.healthy_threshold.or(self.healthy_threshold),
            unhealthy_threshold: over.unhealthy_threshold.or(self.unhealthy_threshold),
            follow: over.follow.or(self.follow),
            follow_every_minutes: over.follow_every_minutes.or(self.follow_every_minutes),
            alarm_topic: over.alarm_topic.or(self.alarm_topic),
            idle_timeout: over.idle_timeout.or(self.idle_timeout),
            databases: databases::overlay(self.databases, over.databases),
        }
    }

    /// Validates the draft for a deployment in `region` (the region the AWS connection
    /// resolved, which the draft's own `region` already fed into).
    pub fn resolve(&self, region: &str) -> Result<DeploymentSpec, Vec<Problem>> {
        let mut c = Checker::default();
        let partition = fields::partition_of(region);

        let name = required(&self.name, "--name").and_then(|raw| fields::deployment_name(raw));
        let name = c.check("--name", name);
        let region_ok = c.check("--region", fields::region_name(region));
        if region_ok.is_some() && partition != "aws" {
            c.check::<()>(
                "--region",
                Err(format!("{region} is in the {partition} partition; Airbyte Cloud runs in the aws partition and PrivateLink cannot cross partitions")),
            );
        }
        let airbyte_region =
            required(&self.airbyte_region, "--airbyte-region").and_then(|raw| AirbyteRegion::parse(raw));
        let airbyte_region = c.check("--airbyte-region", airbyte_region);

        let principal = match (&self.airbyte_account_id, &self.airbyte_principal) {
            (Some(_), Some(_)) => c.check(
                "--airbyte-principal",
                Err("give either --airbyte-account-id or --airbyte-principal, not both".into()),
            ),
            (Some(id), None) => {
                c.check("--airbyte-account-id", fields::account_id(id).map(|id| fields::root_principal(&id, partition)))
            }
            (None, Some(arn)) => c.check("--airbyte-principal", fields::principal_arn(arn, partition)),
            (None, None) => c.check(
                "--airbyte-account-id",
                Err(missing("--airbyte-account-id")
                    + " (the 12-digit AWS account ID Airbyte gives you; or --airbyte-principal ARN)"),
            ),
        };

        let targets = match &self.targets {
            Some(raw) if !raw.is_empty() => {
                let parsed: Vec<Option<Target>> = raw.iter().map(|t| c.check("--target", Target::parse(t))).collect();
                parsed.into_iter().collect::<Option<Vec<_>>>()
            }
            _ => c.check("--target", Err(missing("--target") + " (the database's IP, instance ID or hostname)")),
        };
        let targets = targets.and_then(|targets| {
            let instances = targets.iter().filter(|t| matches!(t, Target::Instance(_))).count();
            if instances > 0 && instances < targets.len() {
                c.check(
                    "--target",
                    Err("mixes EC2 instance IDs with IPs or hostnames; one target group holds one kind, so give the instance's private IP instead of its ID".into()),
                )
            } else {
                Some(dedup(targets))
            }
        });

        let targets = targets.and_then(|targets| {
            let recorded = crate::engine::deployment::tags::join_targets(&targets);
            if recorded.len() > crate::engine::deployment::tags::MAX_VALUE_LEN {
                c.check(
                    "--target",
                    Err(format!(
                        "the targets take {} characters together; at most {} can be recorded for re-resolving them: use fewer targets",
                        recorded.len(),
                        crate::engine::deployment::tags::MAX_VALUE_LEN
                    )),
                )
            } else {
                Some(targets)
            }
        });
        let port = required(&self.port, "--port").and_then(PortValue::parse);
        let port = c.check("--port", port);
        let vpc_id = required(&self.vpc_id, "--vpc-id").and_then(|raw| fields::resource_id(raw, "vpc-", "VPC"));
        let vpc_id = c.check("--vpc-id", vpc_id);
        let subnet_ids = match &self.subnets {
            Some(raw) if !raw.is_empty() => {
                let parsed: Vec<Option<String>> =
                    raw.iter().map(|s| c.check("--subnets", fields::resource_id(s, "subnet-", "subnet"))).collect();
                parsed.into_iter().collect::<Option<Vec<_>>>().map(dedup)
            }
            _ => {
                c.check("--subnets", Err(missing("--subnets") + " (private subnets for the load balancer, one per AZ)"))
            }
        };
        let db_security_group = match &self.db_security_group {
            Some(raw) => c.check("--db-security-group", fields::resource_id(raw, "sg-", "security group")).map(Some),
            None => Some(None),
        };
        let engine = match &self.database_kind {
            Some(raw) => c.check("--database-kind", Engine::parse(raw)).map(Some),
            None => Some(None),
        };
        let defaults = HealthCheck::FOR_DATABASES;
        let mut setting = |value: Option<i64>, flag: &str, default: i64, (low, high): (i64, i64), what: &str| {
            let value = value.unwrap_or(default);
            c.check(
                flag,
                if (low..=high).contains(&value) {
                    Ok(value)
                } else {
                    Err(format!("{value} is out of range; AWS takes {low}–{high} {what}"))
                },
            )
        };
        let interval = setting(
            self.health_check_interval,
            "--health-check-interval",
            defaults.interval_seconds.into(),
            (5, 300),
            "seconds",
        );
        let healthy = setting(
            self.healthy_threshold,
            "--healthy-threshold",
            defaults.healthy_threshold.into(),
            (2, 10),
            "checks",
        );
        let unhealthy = setting(
            self.unhealthy_threshold,
            "--unhealthy-threshold",
            defaults.unhealthy_threshold.into(),
            (2, 10),
            "checks",
        );
        let health_check = match (interval, healthy, unhealthy) {
            // In range, so each fits.
            (Some(i), Some(h), Some(u)) => Some(HealthCheck::new(i as u16, h as u8, u as u8)),
            _ => None,
        };
        let follow = FollowSettings::check(self, &mut c, partition);
        let cross_region = airbyte_region.as_ref().is_some_and(|r| r.aws_region() != region);
        let idle_timeout = c.check("--idle-timeout", idle_timeout(self.idle_timeout, cross_region));
        let databases =
            databases::resolve(self.databases.as_deref().unwrap_or_default(), name.as_deref(), port, &mut c);
        let mut extra_tags = Tags::new();
        for (key, value) in self.tags.iter().flatten() {
            if let Some((k, v)) = c.check("--tag", fields::tag(&format!("{key}={value}"))) {
                extra_tags.insert(k, v);
            }
        }

        if !c.problems.is_empty() {
            return Err(c.problems);
        }
        // Every `None` above pushed a problem, so all are present here.
        let (
            Some(name),
            Some(airbyte_region),
            Some(principal),
            Some(targets),
            Some(port),
            Some(vpc_id),
            Some(subnet_ids),
            Some(db_security_group),
            Some(engine),
            Some(health_check),
            Some(follow),
            Some(idle_timeout),
            Some(databases),
        ) = (
            name,
            airbyte_region,
            principal,
            targets,
            port,
            vpc_id,
            subnet_ids,
            db_security_group,
            engine,
            health_check,
            follow,
            idle_timeout,
            databases,
        )
        else {
            unreachable!("a missing value always records a problem")
        };
        Ok(DeploymentSpec {
            name,
            region: region.to_string(),
            airbyte_region,
            principal,
            targets,
            port,
            vpc_id,
            subnet_ids,
            db_security_group,
            cross_zone: self.cross_zone.unwrap_or(true),
            acceptance_required: self.acceptance_required.unwrap_or(true),
            allow_targets_outside_vpc: self.allow_targets_outside_vpc.unwrap_or(false),
            extra_tags,
            engine,
            health_check,
            follow,
            idle_timeout,
            databases,
        })
    }
}

/// The listener's TCP idle timeout: AWS's 60–6000 seconds, 350 when not given. AWS
/// supports no custom value for a load balancer whose endpoint service takes connections
/// from other regions ("Cross-Region access", PrivateLink guide: "not supported for
/// Network Load Balancers with a custom value configured for the TCP idle timeout").
fn idle_timeout(given: Option<i64>, cross_region: bool) -> Result<u32, String> {
    use crate::aws::{DEFAULT_IDLE_TIMEOUT, IDLE_TIMEOUTS};
    let Some(seconds) = given else { return Ok(DEFAULT_IDLE_TIMEOUT) };
    let seconds = u32::try_from(seconds).ok().filter(|s| IDLE_TIMEOUTS.contains(s)).ok_or_else(|| {
        format!(
            "{seconds} is out of range; AWS takes {}–{} seconds for a TCP listener",
            IDLE_TIMEOUTS.start(),
            IDLE_TIMEOUTS.end()
        )
    })?;
    if cross_region && seconds != DEFAULT_IDLE_TIMEOUT {
        return Err(format!(
            "Airbyte connects from another region, and AWS does not support cross-region access to a load balancer \
             with a custom TCP idle timeout: leave --idle-timeout out (AWS's {DEFAULT_IDLE_TIMEOUT} s), and keep long \
             syncs alive with TCP keepalives more often than that (docs/commands.md#idle-timeout)"
        ));
    }
    Ok(seconds)
}

/// Collects the problems of every field, so one run reports them all.
#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|message| self.problems.push(Problem::new(field, message))).ok()
    }
}

fn missing(flag: &str) -> String {
    format!("{flag} is required when not running interactively")
}

fn required<'a, T>(value: &'a Option<T>, flag: &str) -> Result<&'a T, String> {
    value.as_ref().ok_or_else(|| missing(flag))
}

fn dedup<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items.dedup();
    items
}

/// A complete, validated description of one deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentSpec {
    pub name: String,
    pub region: String,
    pub airbyte_region: AirbyteRegion,
    /// The IAM principal ARN allowed to connect (Airbyte's account root or a role/user).
    pub principal: String,
    pub targets: Vec<Target>,
    pub port: u16,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
    pub db_security_group: Option<String>,
    pub cross_zone: bool,
    pub acceptance_required: bool,
    /// Accept IP targets outside the VPC's CIDRs (peered VPCs, on-premises over VPN).
    pub allow_targets_outside_vpc: bool,
    pub extra_tags: Tags,
    /// The kind of database as given; RDS says it for its own.
    pub engine: Option<Engine>,
    pub health_check: HealthCheck,
    pub follow: FollowSettings,
    /// Seconds a connection may carry no data before the load balancer forgets it.
    pub idle_timeout: u32,
    /// The databases besides its own, each on its own listener port.
    pub databases: Vec<DatabaseSpec>,
}

/// Whether and how the targets follow the database's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowSettings {
    /// As given; `None` leaves it to setup: on for an RDS or Aurora hostname.
    pub enabled: Option<bool>,
    pub every_minutes: u32,
    pub alarm_topic: Option<String>,
}

impl FollowSettings {
    fn check(draft: &SpecDraft, c: &mut Checker, partition: &str) -> Option<FollowSettings> {
        use crate::engine::deployment::follower::{DEFAULT_EVERY_MINUTES, EVERY_MINUTES};
        let every = draft.follow_every_minutes.unwrap_or(i64::from(DEFAULT_EVERY_MINUTES));
        let every = c.check(
            "--follow-every",
            u32::try_from(every).ok().filter(|m| EVERY_MINUTES.contains(m)).ok_or_else(|| {
                format!(
                    "{every} is out of range; give the minutes between the follower's runs, {}–{}",
                    EVERY_MINUTES.start(),
                    EVERY_MINUTES.end()
                )
            }),
        );
        let topic = match &draft.alarm_topic {
            Some(arn) => c.check("--alarm-topic", fields::sns_topic(arn, partition)).map(Some),
            None => Some(None),
        };
        if draft.follow == Some(false) && topic.as_ref().is_some_and(Option::is_some) {
            c.check::<()>(
                "--alarm-topic",
                Err("the alarm comes with the follower, and --no-follow turns it off; drop one of them".into()),
            );
            return None;
        }
        Some(FollowSettings { enabled: draft.follow, every_minutes: every?, alarm_topic: topic? })
    }
}

impl DeploymentSpec {
    /// Whether Airbyte connects from another region than the service's own.
    pub fn is_cross_region(&self) -> bool {
        self.airbyte_region.aws_region() != self.region
    }

    /// Database `database` as a deployment of its own, for the checks made of each
    /// database: the deployment's settings with the database's targets, port, group and kind.
    pub fn for_database(&self, database: &DatabaseSpec) -> DeploymentSpec {
        DeploymentSpec {
            targets: database.targets.clone(),
            port: database.port,
            db_security_group: database.db_security_group.clone(),
            engine: database.engine,
            databases: Vec::new(),
            // Whether a database is followed is the deployment's to say, not each one's.
            follow: FollowSettings { enabled: None, ..self.follow.clone() },
            ..self.clone()
        }
    }

    /// The spec as a config file draft, complete enough to be fed back with `--config`.
    pub fn to_draft(&self) -> SpecDraft {
        SpecDraft {
            name: Some(self.name.clone()),
            region: Some(self.region.clone()),
            airbyte_region: Some(self.airbyte_region.as_str().to_string()),
            airbyte_account_id: None,
            airbyte_principal: Some(self.principal.clone()),
            targets: Some(self.targets.iter().map(Target::to_string).collect()),
            port: Some(PortValue::Number(i64::from(self.port))),
            vpc_id: Some(self.vpc_id.clone()),
            subnets: Some(self.subnet_ids.clone()),
            db_security_group: self.db_security_group.clone(),
            cross_zone: Some(self.cross_zone),
            acceptance_required: Some(self.acceptance_required),
            allow_targets_outside_vpc: Some(self.allow_targets_outside_vpc),
            tags: (!self.extra_tags.is_empty()).then(|| self.extra_tags.clone()),
            database_kind: self.engine.map(|e| e.as_str().to_string()),
            health_check_interval: Some(i64::from(self.health_check.interval_seconds)),
            healthy_threshold: Some(i64::from(self.health_check.healthy_threshold)),
            unhealthy_threshold: Some(i64::from(self.health_check.unhealthy_threshold)),
            follow: self.follow.enabled,
            follow_every_minutes: Some(i64::from(self.follow.every_minutes)),
            alarm_topic: self.follow.alarm_topic.clone(),
            idle_timeout: Some(i64::from(self.idle_timeout)),
            databases: (!self.databases.is_empty())
                .then(|| self.databases.iter().map(DatabaseSpec::to_draft).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> SpecDraft {
        SpecDraft {
            name: Some("orders-db".into()),
            airbyte_region: Some("us".into()),
            airbyte_account_id: Some("123456789012".into()),
            targets: Some(vec!["10.0.1.5".into()]),
            port: Some(PortValue::Number(5432)),
            vpc_id: Some("vpc-0123456789abcdef0".into()),
            subnets: Some(vec!["subnet-0123456789abcdef1".into(), "subnet-0123456789abcdef0".into()]),
            ..SpecDraft::default()
        }
    }

    #[test]
    fn a_complete_draft_resolves_with_safe_defaults() {
        let spec = complete().resolve("us-west-2").unwrap();
        assert_eq!(spec.principal, "arn:aws:iam::123456789012:root");
        assert_eq!(spec.subnet_ids, vec!["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]);
        assert!(spec.cross_zone && spec.acceptance_required && !spec.allow_targets_outside_vpc);
        assert!(spec.is_cross_region());
        assert!(!complete().resolve("us-east-1").unwrap().is_cross_region());
    }

    #[test]
    fn every_missing_field_is_reported_with_its_flag() {
        let problems = SpecDraft::default().resolve("us-east-1").unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["--name", "--airbyte-region", "--airbyte-account-id", "--target", "--port", "--vpc-id", "--subnets"]
        );
        assert!(problems.iter().all(|p| p.message.contains("is required when not running interactively")));
    }

    #[test]
    fn invalid_values_are_all_reported_in_one_run() {
        let draft = SpecDraft { port: Some(PortValue::Number(70000)), name: Some("bad_name".into()), ..complete() };
        let problems = draft.resolve("us-east-1").unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn a_quoted_port_in_the_file_is_read_or_refused_by_its_text() {
        let draft = SpecDraft { port: Some(PortValue::Text("5432".into())), ..complete() };
        assert_eq!(draft.resolve("us-east-1").unwrap().port, 5432);
        let draft = SpecDraft { port: Some(PortValue::Text("abc".into())), ..complete() };
        assert!(draft.resolve("us-east-1").unwrap_err()[0].message.contains("'abc' is not a number"));
    }

    #[test]
    fn health_checks_default_for_databases_and_are_held_to_awss_ranges() {
        let spec = complete().resolve("us-east-1").unwrap();
        assert_eq!(spec.health_check, HealthCheck::FOR_DATABASES);
        assert_eq!(spec.engine, None);
        let draft = SpecDraft {
            health_check_interval: Some(8),
            healthy_threshold: Some(4),
            database_kind: Some("PostgreSQL".into()),
            ..complete()
        };
        let spec = draft.resolve("us-east-1").unwrap();
        // The timeout stays below a short interval, as AWS requires.
        assert_eq!(spec.health_check, HealthCheck::new(8, 4, 3));
        assert_eq!(spec.health_check.timeout_seconds, 7);
        assert_eq!(spec.engine, Some(Engine::Postgres));
        let draft = SpecDraft {
            health_check_interval: Some(4),
            unhealthy_threshold: Some(11),
            database_kind: Some("db2".into()),
            ..complete()
        };
        let fields: Vec<String> = draft.resolve("us-east-1").unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["--database-kind", "--health-check-interval", "--unhealthy-threshold"]);
    }

    #[test]
    fn the_idle_timeout_is_held_to_awss_range_and_refused_across_regions() {
        assert_eq!(complete().resolve("us-east-1").unwrap().idle_timeout, 350);
        let draft = SpecDraft { idle_timeout: Some(3600), ..complete() };
        assert_eq!(draft.resolve("us-east-1").unwrap().idle_timeout, 3600);
        for out_of_range in [59, 6001, -1] {
            let draft = SpecDraft { idle_timeout: Some(out_of_range), ..complete() };
            let problems = draft.resolve("us-east-1").unwrap_err();
            assert_eq!(problems[0].field, "--idle-timeout", "{problems:?}");
            assert!(problems[0].message.contains("60–6000"), "{problems:?}");
        }
        // Airbyte's "us" is us-east-1: from us-west-2 it is cross-region.
        let problems = draft_with_idle(3600).resolve("us-west-2").unwrap_err();
        assert_eq!(problems[0].field, "--idle-timeout");
        assert!(problems[0].message.contains("cross-region"), "{problems:?}");
        assert_eq!(draft_with_idle(350).resolve("us-west-2").unwrap().idle_timeout, 350);
    }

    fn draft_with_idle(seconds: i64) -> SpecDraft {
        SpecDraft { idle_timeout: Some(seconds), ..complete() }
    }

    #[test]
    fn both_principal_forms_at_once_are_refused() {
        let draft = SpecDraft { airbyte_principal: Some("arn:aws:iam::123456789012:root".into()), ..complete() };
        assert_eq!(draft.resolve("us-east-1").unwrap_err()[0].field, "--airbyte-principal");
    }

    #[test]
    fn mixed_instance_and_ip_targets_are_refused() {
        let draft = SpecDraft { targets: Some(vec!["10.0.1.5".into(), "i-0123456789abcdef0".into()]), ..complete() };
        assert!(draft.resolve("us-east-1").unwrap_err()[0].message.contains("one kind"));
    }

    #[test]
    fn other_partitions_are_refused() {
        let problems = complete().resolve("cn-north-1").unwrap_err();
        assert_eq!(problems[0].field, "--region");
    }

    #[test]
    fn flags_override_the_file_and_tags_merge() {
        let file = SpecDraft {
            port: Some(PortValue::Number(5432)),
            tags: Some([("team".into(), "data".into())].into()),
            ..SpecDraft::default()
        };
        let flags = SpecDraft {
            port: Some(PortValue::Number(3306)),
            tags: Some([("env".into(), "prod".into())].into()),
            ..SpecDraft::default()
        };
        let merged = file.overlay(flags);
        assert_eq!(merged.port, Some(PortValue::Number(3306)));
        assert_eq!(merged.tags.unwrap().len(), 2);
    }

    #[test]
    fn a_resolved_spec_round_trips_through_its_draft() {
        let spec = complete().resolve("us-west-2").unwrap();
        assert_eq!(spec.to_draft().resolve("us-west-2").unwrap(), spec);
    }
}
