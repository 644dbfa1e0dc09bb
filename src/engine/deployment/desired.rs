//! The state a deployment should have, derived from the spec and what preflight found.

use serde::{Deserialize, Serialize};

use crate::aws::{HealthCheck, Peer, Subnet, Tags, TargetRef, TargetType};
use crate::engine::deployment::follower::{DesiredFollower, FollowedDatabase, FollowedGroup, FollowerInputs};
use crate::engine::deployment::tags;
use crate::engine::knowledge::database::DatabaseProfile;
use crate::engine::knowledge::targets::ResolvedTarget;
use crate::spec::databases::target_group_name;
use crate::spec::{DatabaseSpec, DeploymentSpec, Target};

/// What preflight learnt about the account, which planning builds on.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The chosen subnets, sorted by AZ.
    pub subnets: Vec<Subnet>,
    pub targets: Vec<ResolvedTarget>,
    /// The VPC's IPv4 ranges.
    pub vpc_cidrs: Vec<String>,
    /// What Airbyte is told about the database.
    pub database: DatabaseProfile,
    /// The RDS instance or Aurora cluster a target names, whose events the follower hears.
    pub followed: Option<FollowedDatabase>,
    /// The account the deployment is in.
    pub account: String,
    /// What preflight learnt of each of the spec's other databases, in its order.
    pub databases: Vec<DatabaseFacts>,
}

/// What preflight learnt of one of a deployment's other databases.
#[derive(Debug, Clone)]
pub struct DatabaseFacts {
    pub targets: Vec<ResolvedTarget>,
    pub database: DatabaseProfile,
    pub followed: Option<FollowedDatabase>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Desired {
    pub name: String,
    pub region: String,
    /// The AWS region Airbyte connects from.
    pub airbyte_region: String,
    /// On every resource.
    pub tags: Tags,
    /// `tags` and what the target group records (the targets as given).
    pub target_group_tags: Tags,
    /// `tags` and what the endpoint service records (Airbyte's side, the settings).
    pub service_tags: Tags,
    pub vpc_id: String,
    pub target_type: TargetType,
    pub port: u16,
    /// Sorted and without duplicates.
    pub targets: Vec<TargetRef>,
    /// Sorted by AZ ID.
    pub subnets: Vec<Subnet>,
    pub cross_zone: bool,
    pub acceptance_required: bool,
    /// Regions other than the service's own from which consumers may connect.
    pub supported_regions: Vec<String>,
    pub principals: Vec<String>,
    /// The load balancer's own security group.
    pub security_group: LoadBalancerGroup,
    /// The database's security group, when the spec names it: it gets one rule, TCP on
    /// the port from the load balancer's group.
    pub database_group: Option<String>,
    /// The target group's TCP health check.
    #[serde(default)]
    pub health_check: HealthCheck,
    /// What Airbyte is told about the database.
    #[serde(default)]
    pub database: DatabaseProfile,
    /// The follower, for targets named by hostname when the spec asks for it (by
    /// default, when a hostname is an RDS or Aurora endpoint).
    #[serde(default)]
    pub follower: Option<DesiredFollower>,
    /// The listener's TCP idle timeout, in seconds.
    #[serde(default = "default_idle_timeout")]
    pub idle_timeout: u32,
    /// The databases besides its own, each with a target group and listener of its own.
    #[serde(default)]
    pub databases: Vec<DesiredDatabase>,
}

/// One of a deployment's other databases: a target group named for it, tagged with its
/// name, and a listener on its own port forwarding to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesiredDatabase {
    pub name: String,
    /// Its target group's name, `<deployment>-<name>`.
    pub target_group: String,
    /// `tags`, its name, and the targets as given.
    pub target_group_tags: Tags,
    pub target_type: TargetType,
    /// The port the database listens on.
    pub port: u16,
    /// The port Airbyte connects to.
    pub listener_port: u16,
    /// Sorted and without duplicates.
    pub targets: Vec<TargetRef>,
    /// Where the load balancer's group lets TCP on `port` out to, as for its own database.
    pub egress: Vec<Peer>,
    pub database_group: Option<String>,
    pub database: DatabaseProfile,
}

fn default_idle_timeout() -> u32 {
    crate::aws::DEFAULT_IDLE_TIMEOUT
}

/// The load balancer's own security group. It has no inbound rule: with PrivateLink
/// traffic let through regardless, nothing in the VPC can reach the database through
/// the load balancer. Outbound, it allows only TCP to the database on its port, which
/// health checks need too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancerGroup {
    pub name: String,
    pub description: String,
    /// Where TCP on the port may go: the database's group for targets inside the VPC
    /// (the VPC's ranges when the spec names no group), each address outside it.
    pub egress: Vec<Peer>,
}

impl Desired {
    pub fn new(spec: &DeploymentSpec, facts: &Facts) -> Self {
        let target_type = target_type(&spec.targets);
        let targets = registrations(&facts.targets);
        let supported_regions =
            if spec.is_cross_region() { vec![spec.airbyte_region.aws_region().to_string()] } else { Vec::new() };
        let security_group = LoadBalancerGroup {
            name: format!("airbyte-plink-{}", spec.name),
            description: format!(
                "airbyte-plink {}: the load balancer group - no inbound rule, outbound only to the {} on port{} {}",
                spec.name,
                if spec.databases.is_empty() { "database" } else { "databases" },
                if spec.databases.is_empty() { "" } else { "s" },
                std::iter::once(spec.port)
                    .chain(spec.databases.iter().map(|d| d.port))
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            egress: egress(&targets, spec.db_security_group.as_deref(), &facts.vpc_cidrs),
        };
        let common = tags::for_deployment(&spec.name, &spec.extra_tags);
        let databases: Vec<DesiredDatabase> = spec
            .databases
            .iter()
            .zip(&facts.databases)
            .map(|(database, facts_of)| DesiredDatabase::new(spec, database, facts_of, &common, &facts.vpc_cidrs))
            .collect();
        let mut target_group_tags = common.clone();
        target_group_tags.insert(tags::TARGETS.into(), tags::join_targets(&spec.targets));
        let mut service_tags = common.clone();
        service_tags.insert(tags::AIRBYTE_PRINCIPAL.into(), spec.principal.clone());
        service_tags.insert(tags::AIRBYTE_REGION.into(), spec.airbyte_region.aws_region().into());
        service_tags.insert(tags::ACCEPTANCE_REQUIRED.into(), spec.acceptance_required.to_string());
        service_tags.insert(tags::CROSS_ZONE.into(), spec.cross_zone.to_string());
        if let Some(engine) = facts.database.engine {
            service_tags.insert(tags::DATABASE_KIND.into(), engine.as_str().into());
        }
        // One follower for every database named by hostname: those can move.
        let by_name = |targets: &[Target]| targets.iter().any(|t| matches!(t, Target::Hostname(_)));
        let others: Vec<FollowedGroup> = spec
            .databases
            .iter()
            .zip(&databases)
            .filter(|(database, _)| by_name(&database.targets))
            .map(|(database, desired)| FollowedGroup {
                target_group: desired.target_group.clone(),
                targets: tags::join_targets(&database.targets),
                port: database.port,
            })
            .collect();
        let mut followed: Vec<FollowedDatabase> = facts.followed.iter().cloned().collect();
        for database in facts.databases.iter().filter_map(|f| f.followed.as_ref()) {
            if !followed.iter().any(|f| f.arn == database.arn) {
                followed.push(database.clone());
            }
        }
        let follow =
            (by_name(&spec.targets) || !others.is_empty()) && spec.follow.enabled.unwrap_or(!followed.is_empty());
        let follower = follow.then(|| {
            DesiredFollower::new(FollowerInputs {
                deployment: &spec.name,
                every_minutes: spec.follow.every_minutes,
                databases: followed,
                others,
                alarm_topics: spec.follow.alarm_topic.iter().cloned().collect(),
                targets: tags::join_targets(&spec.targets),
                port: spec.port,
                vpc_cidrs: facts.vpc_cidrs.clone(),
                partition: crate::spec::fields::partition_of(&spec.region),
                region: &spec.region,
                account: &facts.account,
                tags: common.clone(),
            })
        });
        Desired {
            follower,
            target_group_tags,
            service_tags,
            name: spec.name.clone(),
            region: spec.region.clone(),
            airbyte_region: spec.airbyte_region.aws_region().to_string(),
            tags: common,
            vpc_id: spec.vpc_id.clone(),
            target_type,
            port: spec.port,
            targets,
            subnets: facts.subnets.clone(),
            cross_zone: spec.cross_zone,
            acceptance_required: spec.acceptance_required,
            supported_regions,
            principals: vec![spec.principal.clone()],
            security_group,
            database_group: spec.db_security_group.clone(),
            health_check: spec.health_check,
            database: facts.database.clone(),
            idle_timeout: spec.idle_timeout,
            databases,
        }
    }

    /// Each TCP port the load balancer's group lets out to, with where to: its own
    /// database's and each other database's.
    pub fn egress(&self) -> Vec<(u16, &Peer)> {
        let own = self.security_group.egress.iter().map(|peer| (self.port, peer));
        own.chain(self.databases.iter().flat_map(|d| d.egress.iter().map(move |peer| (d.port, peer)))).collect()
    }

    /// Each database's group that lets the load balancer's in, with the port.
    pub fn database_groups(&self) -> Vec<(&str, u16)> {
        let own = self.database_group.as_deref().map(|g| (g, self.port));
        own.into_iter()
            .chain(self.databases.iter().filter_map(|d| Some((d.database_group.as_deref()?, d.port))))
            .collect()
    }

    pub fn subnet_ids(&self) -> Vec<String> {
        self.subnets.iter().map(|s| s.id.clone()).collect()
    }
}

impl DesiredDatabase {
    fn new(
        spec: &DeploymentSpec,
        database: &DatabaseSpec,
        facts: &DatabaseFacts,
        common: &Tags,
        vpc_cidrs: &[String],
    ) -> Self {
        let targets = registrations(&facts.targets);
        let mut target_group_tags = common.clone();
        target_group_tags.insert(tags::DATABASE.into(), database.name.clone());
        target_group_tags.insert(tags::TARGETS.into(), tags::join_targets(&database.targets));
        target_group_tags.insert(tags::LISTENER_PORT.into(), database.listener_port.to_string());
        if let Some(group) = &database.db_security_group {
            target_group_tags.insert(tags::DATABASE_GROUP.into(), group.clone());
        }
        if let Some(engine) = facts.database.engine {
            target_group_tags.insert(tags::DATABASE_KIND.into(), engine.as_str().into());
        }
        DesiredDatabase {
            name: database.name.clone(),
            target_group: target_group_name(&spec.name, &database.name),
            target_group_tags,
            target_type: target_type(&database.targets),
            port: database.port,
            listener_port: database.listener_port,
            egress: egress(&targets, database.db_security_group.as_deref(), vpc_cidrs),
            targets,
            database_group: database.db_security_group.clone(),
            database: facts.database.clone(),
        }
    }
}

/// Instances when every target is one, else addresses.
fn target_type(targets: &[Target]) -> TargetType {
    if targets.iter().all(|t| matches!(t, Target::Instance(_))) { TargetType::Instance } else { TargetType::Ip }
}

/// What the resolved targets register, sorted and without duplicates.
fn registrations(resolved: &[ResolvedTarget]) -> Vec<TargetRef> {
    let mut targets: Vec<TargetRef> = resolved.iter().flat_map(|t| t.registrations.iter().cloned()).collect();
    targets.sort();
    targets.dedup();
    targets
}

/// Where the load balancer's group lets TCP on the port out to: each address outside
/// the VPC (registered for every zone), and for the rest the database's group, or
/// without one the VPC's ranges, which hold the database wherever RDS moves it.
fn egress(targets: &[TargetRef], database_group: Option<&str>, vpc_cidrs: &[String]) -> Vec<Peer> {
    let mut peers: Vec<Peer> = Vec::new();
    for target in targets {
        if target.availability_zone.as_deref() == Some("all") {
            peers.push(Peer::Cidr(format!("{}/32", target.id)));
        } else if let Some(group) = database_group {
            peers.push(Peer::Group(group.to_string()));
        } else {
            peers.extend(vpc_cidrs.iter().map(|cidr| Peer::Cidr(cidr.clone())));
        }
    }
    peers.sort();
    peers.dedup();
    peers
}
