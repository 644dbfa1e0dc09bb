//! The one seam between the engine and AWS.
//!
//! The engine speaks to AWS only through [`Cloud`], in the vocabulary of this tool
//! (subnets, load balancers, endpoint services) rather than SDK shapes, so planning and
//! applying can be unit-tested with a fake (`crate::testing::fake`) while the real implementation ([`sdk`])
//! stays a thin translation of SDK calls.

pub mod connect;
pub mod errors;
pub mod follower;
pub mod permissions;
pub mod sdk;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use errors::{CloudError, CloudErrorKind, CloudResult};
pub use follower::FollowerCloud;

pub type Tags = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub account: String,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionInfo {
    pub name: String,
    /// False for an opt-in region the account has not enabled.
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vpc {
    pub id: String,
    /// The `Name` tag, if any.
    pub name: Option<String>,
    pub cidrs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    pub name: Option<String>,
    pub vpc_id: String,
    pub az_name: String,
    pub az_id: String,
    pub cidr: String,
    /// Unused private IPv4 addresses (`AvailableIpAddressCount`), when AWS says. Not a
    /// fact a saved plan checks: the count moves with every interface made in the subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_addresses: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub destination: String,
    /// `igw-…`, `nat-…`, `local`, … as AWS reports it.
    pub gateway_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteTable {
    pub id: String,
    pub is_main: bool,
    pub subnet_ids: Vec<String>,
    pub routes: Vec<Route>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub id: String,
    pub name: Option<String>,
    pub vpc_id: Option<String>,
    pub private_ip: Option<String>,
    pub state: String,
    pub security_groups: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    RdsInstance,
    AuroraCluster,
}

/// An RDS instance or Aurora cluster, by the endpoint clients connect to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Database {
    pub kind: DatabaseKind,
    pub id: String,
    pub engine: String,
    pub endpoint: String,
    pub port: u16,
    pub vpc_id: Option<String>,
    pub security_groups: Vec<String>,
    /// A cluster's reader endpoint, which clients may connect to as well.
    pub reader_endpoint: Option<String>,
    /// Its DB parameter groups: an instance's own, a cluster's members'.
    pub parameter_groups: Vec<String>,
    /// A cluster's DB cluster parameter group.
    pub cluster_parameter_group: Option<String>,
    /// The zones (names) a failover may move it into: for a Multi-AZ instance those of
    /// its DB subnet group, where RDS keeps (and re-creates) its standby; for an Aurora
    /// cluster those of its instances, one of which is promoted; none for a Single-AZ
    /// instance, which RDS recovers in its own zone.
    pub zones: Vec<String>,
    /// The certificate authority that signs its server certificate
    /// (`CACertificateIdentifier`); for a cluster, its members'.
    pub certificate_authority: Option<String>,
}

impl Database {
    /// Whether `host` is one of its endpoints.
    pub fn answers_to(&self, host: &str) -> bool {
        host.eq_ignore_ascii_case(&self.endpoint)
            || self.reader_endpoint.as_deref().is_some_and(|reader| host.eq_ignore_ascii_case(reader))
    }
}

/// A parameter group: a DB parameter group, or (Aurora) a DB cluster parameter group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParameterGroup {
    Instance(String),
    Cluster(String),
}

impl ParameterGroup {
    pub fn name(&self) -> &str {
        match self {
            ParameterGroup::Instance(name) | ParameterGroup::Cluster(name) => name,
        }
    }

    /// AWS's engine default groups are named `default.<family>` and cannot be modified.
    pub fn is_default(&self) -> bool {
        self.name().starts_with("default.")
    }
}

/// One parameter's value in a parameter group, as RDS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbParameter {
    /// `None` when the group leaves it unset.
    pub value: Option<String>,
    /// `engine-default`, `system` or `user`.
    pub source: Option<String>,
}

/// A network ACL: stateless rules on traffic in and out of its subnets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkAcl {
    pub id: String,
    pub is_default: bool,
    pub subnet_ids: Vec<String>,
    pub entries: Vec<AclEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclEntry {
    /// Evaluated lowest first; the first that matches decides. 32767 is the final `*`.
    pub rule_number: i32,
    pub egress: bool,
    /// `6` for TCP, `-1` for every protocol.
    pub protocol: String,
    pub allow: bool,
    /// IPv4 range; `None` for an IPv6 rule.
    pub cidr: Option<String>,
    /// For TCP and UDP; `None` means every port.
    pub ports: Option<(i32, i32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityGroup {
    pub id: String,
    pub vpc_id: Option<String>,
    pub name: String,
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadBalancer {
    pub arn: String,
    pub name: String,
    pub dns_name: String,
    pub scheme: String,
    pub kind: String,
    pub state: String,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
    /// The zone (name) of each of its subnets, by subnet ID.
    pub subnet_zones: BTreeMap<String, String>,
    pub security_groups: Vec<String>,
    /// `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic` as AWS reports it (`on`,
    /// `off`), if it does.
    pub privatelink_inbound_rules: Option<String>,
}

impl LoadBalancer {
    /// Whether traffic through PrivateLink must pass the inbound rules of its security
    /// groups: AWS's default for a load balancer with groups, until turned off.
    pub fn enforces_inbound_rules_on_privatelink(&self) -> bool {
        !self.security_groups.is_empty() && self.privatelink_inbound_rules.as_deref() != Some("off")
    }
}

/// What the tool reads of a load balancer's attributes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadBalancerAttributes {
    /// `load_balancing.cross_zone.enabled`.
    pub cross_zone: bool,
    /// `deletion_protection.enabled`: AWS refuses to delete the load balancer while on.
    pub deletion_protection: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    Ip,
    Instance,
}

impl TargetType {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetType::Ip => "ip",
            TargetType::Instance => "instance",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetGroup {
    pub arn: String,
    pub name: String,
    pub port: u16,
    pub vpc_id: String,
    pub target_type: String,
    /// Its health check, when AWS reports every setting of it.
    pub health_check: Option<HealthCheck>,
    /// The load balancers whose listeners forward to it.
    pub load_balancer_arns: Vec<String>,
}

/// A target group's TCP health check. Each load balancer node checks each target once
/// per interval (NLB guide, "Health checks for Network Load Balancer target groups").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCheck {
    /// 5–300 seconds.
    pub interval_seconds: u16,
    /// 2–120 seconds, and less than the interval.
    pub timeout_seconds: u16,
    /// Checks in a row that make a target healthy: 2–10.
    pub healthy_threshold: u8,
    /// Checks in a row that make a target unhealthy: 2–10.
    pub unhealthy_threshold: u8,
}

impl HealthCheck {
    /// For a database: every 30 s, so few connections are opened and dropped (which
    /// MySQL counts as errors, and every engine logs); healthy after 2 checks, so a
    /// database back from a failover takes traffic within a minute; unhealthy after 3,
    /// so a restart's brief stall does not take it out.
    pub const FOR_DATABASES: HealthCheck =
        HealthCheck { interval_seconds: 30, timeout_seconds: 10, healthy_threshold: 2, unhealthy_threshold: 3 };

    /// The check with `interval_seconds` and thresholds; the timeout is 10 s, or less
    /// than a shorter interval, as AWS requires.
    pub fn new(interval_seconds: u16, healthy_threshold: u8, unhealthy_threshold: u8) -> HealthCheck {
        let timeout_seconds = 10.min(interval_seconds.saturating_sub(1)).max(2);
        HealthCheck { interval_seconds, timeout_seconds, healthy_threshold, unhealthy_threshold }
    }
}

impl Default for HealthCheck {
    fn default() -> Self {
        HealthCheck::FOR_DATABASES
    }
}

impl std::fmt::Display for HealthCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "every {} s (timeout {} s), healthy after {}, unhealthy after {}",
            self.interval_seconds, self.timeout_seconds, self.healthy_threshold, self.unhealthy_threshold
        )
    }
}

/// A target as registered in (or to be registered with) a target group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TargetRef {
    pub id: String,
    pub port: u16,
    /// `Some("all")` for an IP outside the VPC (peered or on-premises), as AWS requires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredTarget {
    pub target: TargetRef,
    /// AWS's state: `initial`, `healthy`, `unhealthy`, `unhealthy.draining`, `unused`,
    /// `draining` or `unavailable` (TargetHealth, API reference).
    pub health: String,
    /// AWS's reason code for any state but `healthy` (`Target.NotInUse`, …), when given.
    pub reason: Option<String>,
}

/// How long a Network Load Balancer keeps a TCP flow without data before it forgets it
/// (and answers the next packet with a reset), when nobody set it: 350 seconds ("Update
/// the TCP idle timeout for your Network Load Balancer listener", NLB guide).
pub const DEFAULT_IDLE_TIMEOUT: u32 = 350;

/// The idle timeouts AWS takes for a TCP listener, in seconds (the same page).
pub const IDLE_TIMEOUTS: std::ops::RangeInclusive<u32> = 60..=6000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    pub arn: String,
    pub port: u16,
    pub protocol: String,
    pub forward_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointService {
    pub id: String,
    pub name: String,
    pub state: String,
    pub load_balancer_arns: Vec<String>,
    pub acceptance_required: bool,
    /// As AWS lists them, the service's own region among them.
    pub supported_regions: Vec<SupportedRegion>,
    /// The AZ IDs where consumers can make endpoints to it, as AWS reports them: a zone
    /// added to its load balancer is not among them until the service is enabled there.
    pub availability_zone_ids: Vec<String>,
    pub tags: Tags,
}

impl EndpointService {
    /// AWS lists a deleted service for a while as `Deleting`, then `Deleted`: gone.
    pub fn is_deleted(&self) -> bool {
        self.state.to_ascii_lowercase().starts_with("delet")
    }

    /// The state AWS reports for `region` among the supported regions, if listed.
    pub fn region_state(&self, region: &str) -> Option<RegionState> {
        self.supported_regions.iter().find(|r| r.region == region).map(|r| RegionState::of(&r.state))
    }

    /// Whether AWS reports the service `Available` and has finished adding and removing
    /// its supported regions: what a change to the service is complete at.
    pub fn is_settled(&self) -> bool {
        self.state.eq_ignore_ascii_case("available")
            && self.supported_regions.iter().all(|r| !RegionState::of(&r.state).is_changing())
    }
}

/// One of an endpoint service's supported regions (EC2's SupportedRegionDetail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportedRegion {
    pub region: String,
    /// As AWS spells it: Pending, Available, Deleting, Deleted, Failed or Closed.
    pub state: String,
}

impl SupportedRegion {
    pub fn new(region: &str, state: &str) -> SupportedRegion {
        SupportedRegion { region: region.to_string(), state: state.to_string() }
    }
}

/// What a supported region's state means for a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionState {
    /// Being added: counts as present, and is not added again.
    Pending,
    /// Consumers there can connect.
    Available,
    /// Being removed: counts as absent, and is not removed again.
    Deleting,
    /// Removed: counts as absent.
    Deleted,
    /// AWS could not add it (Failed), or has closed it (Closed): still listed, but no
    /// consumer there can connect.
    Unusable,
}

impl RegionState {
    /// AWS documents the states as text; unknown ones are treated as unusable.
    pub fn of(state: &str) -> RegionState {
        match state.to_ascii_lowercase().as_str() {
            "pending" => RegionState::Pending,
            "available" => RegionState::Available,
            "deleting" => RegionState::Deleting,
            "deleted" => RegionState::Deleted,
            _ => RegionState::Unusable,
        }
    }

    /// Pending or Available: the region is, or is becoming, supported.
    pub fn is_present(self) -> bool {
        matches!(self, RegionState::Pending | RegionState::Available)
    }

    /// Pending or Deleting: AWS is still working on it.
    pub fn is_changing(self) -> bool {
        matches!(self, RegionState::Pending | RegionState::Deleting)
    }
}

/// One rule of a security group, inbound or outbound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRule {
    pub id: String,
    pub group_id: String,
    /// Outbound (egress), else inbound.
    pub egress: bool,
    /// `tcp`, or `-1` for every protocol.
    pub protocol: String,
    pub from_port: i32,
    pub to_port: i32,
    /// What the rule lets in (or out to): an IPv4 range or another security group.
    pub peer: Option<Peer>,
    pub tags: Tags,
}

impl GroupRule {
    /// Whether the rule is TCP on exactly `port` with `peer`.
    pub fn is_tcp(&self, port: u16, peer: &Peer) -> bool {
        let port = i32::from(port);
        self.protocol == "tcp" && self.from_port == port && self.to_port == port && self.peer.as_ref() == Some(peer)
    }
}

/// The other side of a security group rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Peer {
    /// An IPv4 range, e.g. `10.9.0.5/32`.
    Cidr(String),
    /// A security group, by ID.
    Group(String),
}

impl std::fmt::Display for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Peer::Cidr(cidr) => write!(f, "{cidr}"),
            Peer::Group(id) => write!(f, "security group {id}"),
        }
    }
}

/// A consumer's interface endpoint connected to an endpoint service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Connection {
    pub endpoint_id: String,
    /// The consumer's 12-digit account.
    pub owner: String,
    /// As AWS spells it: `pendingAcceptance`, `available`, `rejected`, …
    pub state: String,
    pub region: Option<String>,
}

impl Connection {
    /// EC2 reports endpoint states in camelCase, which the SDK's enum does not parse;
    /// compare the text, ignoring case.
    pub fn is(&self, state: &str) -> bool {
        self.state.eq_ignore_ascii_case(state)
    }

    /// Waiting for acceptance, accepted and being set up (`pending`), or available: a
    /// service with such a connection cannot be deleted, so teardown rejects it first.
    pub fn is_open(&self) -> bool {
        self.is("pendingAcceptance") || self.is("pending") || self.is("available")
    }
}

pub struct NewTargetGroup<'a> {
    pub name: &'a str,
    pub port: u16,
    pub vpc_id: &'a str,
    pub target_type: TargetType,
    pub health_check: HealthCheck,
    pub tags: &'a Tags,
}

pub struct NewLoadBalancer<'a> {
    pub name: &'a str,
    pub subnet_ids: &'a [String],
    pub security_group_id: &'a str,
    pub tags: &'a Tags,
}

pub struct NewListener<'a> {
    pub load_balancer_arn: &'a str,
    pub port: u16,
    pub target_group_arn: &'a str,
    pub tags: &'a Tags,
}

pub struct NewEndpointService<'a> {
    pub load_balancer_arn: &'a str,
    pub acceptance_required: bool,
    pub supported_regions: &'a [String],
    pub client_token: &'a str,
    pub tags: &'a Tags,
}

/// A TCP rule on one port, tagged when it is created.
pub struct NewGroupRule<'a> {
    pub group_id: &'a str,
    pub egress: bool,
    pub port: u16,
    pub peer: &'a Peer,
    pub description: &'a str,
    pub tags: &'a Tags,
}

pub struct NewSecurityGroup<'a> {
    pub name: &'a str,
    pub vpc_id: &'a str,
    pub description: &'a str,
    pub tags: &'a Tags,
}

/// Changes to an endpoint service's own settings, applied in one call.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct EndpointServiceChange {
    pub acceptance_required: Option<bool>,
    pub add_supported_regions: Vec<String>,
    pub remove_supported_regions: Vec<String>,
}

/// Every AWS call the tool makes (the follower's in [`FollowerCloud`]). One method is one
/// API call (or one paginated listing), so counting calls here is counting round trips.
#[allow(async_fn_in_trait)] // used only generically inside this binary
pub trait Cloud: FollowerCloud {
    // Read-only: the account and the network around the database.
    async fn caller_identity(&self) -> CloudResult<Identity>;
    async fn region_names(&self) -> CloudResult<Vec<RegionInfo>>;
    async fn vpc(&self, vpc_id: &str) -> CloudResult<Option<Vpc>>;
    async fn subnets(&self, subnet_ids: &[String]) -> CloudResult<Vec<Subnet>>;
    async fn route_tables(&self, vpc_id: &str) -> CloudResult<Vec<RouteTable>>;
    async fn instances(&self, instance_ids: &[String]) -> CloudResult<Vec<Instance>>;
    async fn security_group(&self, group_id: &str) -> CloudResult<Option<SecurityGroup>>;

    // Read-only: what there is to choose from, for the interactive wizard.
    async fn databases(&self) -> CloudResult<Vec<Database>>;
    async fn running_instances(&self) -> CloudResult<Vec<Instance>>;
    async fn vpcs(&self) -> CloudResult<Vec<Vpc>>;
    async fn subnets_of_vpc(&self, vpc_id: &str) -> CloudResult<Vec<Subnet>>;
    async fn security_groups_of_vpc(&self, vpc_id: &str) -> CloudResult<Vec<SecurityGroup>>;

    // Read-only: what decides whether the database lets the load balancer in.
    /// `name`'s value in `group`, or `None` when the group does not list it.
    async fn db_parameter(&self, group: &ParameterGroup, name: &str) -> CloudResult<Option<DbParameter>>;
    async fn network_acls(&self, vpc_id: &str) -> CloudResult<Vec<NetworkAcl>>;

    // Read-only: what a deployment already has.
    async fn load_balancer_named(&self, name: &str) -> CloudResult<Option<LoadBalancer>>;
    async fn target_group_named(&self, name: &str) -> CloudResult<Option<TargetGroup>>;
    async fn elb_tags(&self, arns: &[String]) -> CloudResult<BTreeMap<String, Tags>>;
    /// The load balancer's attributes the tool reads (one call).
    async fn load_balancer_attributes(&self, load_balancer_arn: &str) -> CloudResult<LoadBalancerAttributes>;
    async fn listeners(&self, load_balancer_arn: &str) -> CloudResult<Vec<Listener>>;
    /// A TCP listener's idle timeout, in seconds (DescribeListenerAttributes).
    async fn listener_idle_timeout(&self, listener_arn: &str) -> CloudResult<u32>;
    async fn registered_targets(&self, target_group_arn: &str) -> CloudResult<Vec<RegisteredTarget>>;
    async fn endpoint_services_tagged(&self, key: &str, value: &str) -> CloudResult<Vec<EndpointService>>;
    /// The endpoint service with this ID; `None` while EC2 does not list it (yet).
    async fn endpoint_service(&self, service_id: &str) -> CloudResult<Option<EndpointService>>;
    async fn allowed_principals(&self, service_id: &str) -> CloudResult<Vec<String>>;
    /// Security group rules (inbound and outbound) carrying tag `key` = `value`.
    async fn rules_tagged(&self, key: &str, value: &str) -> CloudResult<Vec<GroupRule>>;
    /// Every rule (inbound and outbound) of these security groups (one call for all).
    async fn rules_of_groups(&self, group_ids: &[String]) -> CloudResult<Vec<GroupRule>>;
    /// Security groups carrying tag `key` = `value`.
    async fn security_groups_tagged(&self, key: &str, value: &str) -> CloudResult<Vec<SecurityGroup>>;
    /// Every security group carrying tag `key`, whatever its value (paginated).
    async fn security_groups_with_tag(&self, key: &str) -> CloudResult<Vec<SecurityGroup>>;
    /// Every endpoint service carrying tag `key`, whatever its value.
    async fn endpoint_services_with_tag(&self, key: &str) -> CloudResult<Vec<EndpointService>>;
    /// The connections to each of these services, by service ID (one call for all).
    async fn connections_of(&self, service_ids: &[String]) -> CloudResult<BTreeMap<String, Vec<Connection>>>;
    async fn connections(&self, service_id: &str) -> CloudResult<Vec<Connection>> {
        let mut by_service = self.connections_of(&[service_id.to_string()]).await?;
        Ok(by_service.remove(service_id).unwrap_or_default())
    }
    /// Every load balancer in the region (paginated).
    async fn load_balancers(&self) -> CloudResult<Vec<LoadBalancer>>;
    /// Every target group in the region (paginated).
    async fn target_groups(&self) -> CloudResult<Vec<TargetGroup>>;
    /// Every security group rule carrying tag `key`, whatever its value.
    async fn rules_with_tag(&self, key: &str) -> CloudResult<Vec<GroupRule>>;

    // Mutating.
    async fn create_target_group(&self, new: NewTargetGroup<'_>) -> CloudResult<TargetGroup>;
    async fn set_health_check(&self, target_group_arn: &str, health_check: &HealthCheck) -> CloudResult<()>;
    async fn register_targets(&self, target_group_arn: &str, targets: &[TargetRef]) -> CloudResult<()>;
    async fn deregister_targets(&self, target_group_arn: &str, targets: &[TargetRef]) -> CloudResult<()>;
    async fn create_load_balancer(&self, new: NewLoadBalancer<'_>) -> CloudResult<LoadBalancer>;
    async fn set_subnets(&self, load_balancer_arn: &str, subnet_ids: &[String]) -> CloudResult<()>;
    async fn set_cross_zone(&self, load_balancer_arn: &str, enabled: bool) -> CloudResult<()>;
    async fn create_listener(&self, new: NewListener<'_>) -> CloudResult<Listener>;
    async fn modify_listener(&self, listener_arn: &str, port: u16, target_group_arn: &str) -> CloudResult<()>;
    async fn set_listener_idle_timeout(&self, listener_arn: &str, seconds: u32) -> CloudResult<()>;
    async fn add_elb_tags(&self, arns: &[String], tags: &Tags) -> CloudResult<()>;
    async fn create_endpoint_service(&self, new: NewEndpointService<'_>) -> CloudResult<EndpointService>;
    async fn modify_endpoint_service(&self, service_id: &str, change: &EndpointServiceChange) -> CloudResult<()>;
    async fn modify_allowed_principals(&self, service_id: &str, add: &[String], remove: &[String]) -> CloudResult<()>;
    async fn add_ec2_tags(&self, resource_ids: &[String], tags: &Tags) -> CloudResult<()>;
    /// A security group, tagged in the request. AWS gives it one rule, letting every
    /// outbound connection out ([`Cloud::revoke_default_egress`] removes it). A group of
    /// that name carrying the tags asked for (made by a call whose answer was lost) is
    /// returned instead.
    async fn create_security_group(&self, new: NewSecurityGroup<'_>) -> CloudResult<SecurityGroup>;
    /// Removes the rule AWS gives a new group, letting every outbound connection out; a
    /// group without it (removed already) is left as it is.
    async fn revoke_default_egress(&self, group_id: &str) -> CloudResult<()>;
    async fn authorize_rule(&self, rule: NewGroupRule<'_>) -> CloudResult<()>;
    async fn revoke_rules(&self, group_id: &str, egress: bool, rule_ids: &[String]) -> CloudResult<()>;
    /// Makes `security_group_id` the load balancer's only group, with PrivateLink traffic
    /// let through whatever its inbound rules say.
    async fn use_security_group_without_privatelink_inbound_rules(
        &self,
        load_balancer_arn: &str,
        security_group_id: &str,
    ) -> CloudResult<()>;
    /// Accepts (or rejects) these connections; returns the endpoint IDs AWS refused, with why.
    async fn decide_connections(
        &self,
        service_id: &str,
        endpoint_ids: &[String],
        accept: bool,
    ) -> CloudResult<Vec<(String, String)>>;

    // Removing. Each treats a resource that is already gone as removed, so a teardown
    // that was cut off can simply run again.
    async fn delete_endpoint_service(&self, service_id: &str) -> CloudResult<()>;
    async fn delete_listener(&self, listener_arn: &str) -> CloudResult<()>;
    async fn delete_load_balancer(&self, load_balancer_arn: &str) -> CloudResult<()>;
    async fn delete_target_group(&self, target_group_arn: &str) -> CloudResult<()>;
    /// Fails with `DependencyViolation` while anything still uses the group, which the
    /// network interfaces of a deleted load balancer do for a while.
    async fn delete_security_group(&self, group_id: &str) -> CloudResult<()>;
}
