//! An in-memory AWS account for the engine's unit tests: one region with a small private
//! network (the sample deployment's VPC and subnets) and whatever the engine creates in
//! it. Each call takes a little real time and is logged with when it started and ended,
//! so a test can tell which calls ran side by side and which waited for which.
//!
//! It keeps the rules that decide the order of a teardown, as AWS does: a service with
//! pending or available connections cannot be deleted (`ExistingVpcEndpointConnections`),
//! nor a load balancer that backs a service, nor a target group a listener forwards to
//! (`ResourceInUse`). Like AWS (and the emulator's fidelity layer), a service's deletion
//! takes a moment: its load balancer stays in use for one more attempt. A new load
//! balancer is `provisioning` for as many looks as the test asks. The emulator, not this
//! fake, is the truth about AWS; this is for the logic.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::aws::*;
use crate::testing::fixtures;

mod follower;

/// How long every call takes: long enough that calls started together overlap.
const LATENCY: Duration = Duration::from_millis(2);
const REGION: &str = "us-west-2";
/// The range of a new group's one rule.
const ALL_ADDRESSES: &str = "0.0.0.0/0";

/// One finished call, by the IAM action it needs.
#[derive(Debug, Clone)]
pub struct Call {
    pub action: &'static str,
    pub started: Instant,
    pub ended: Instant,
}

#[derive(Default)]
struct Account {
    next_id: u32,
    /// Each with how many more looks it stays `provisioning`.
    load_balancers: Vec<(LoadBalancer, usize)>,
    cross_zone: BTreeMap<String, bool>,
    /// Listeners' idle timeouts that were set, by ARN.
    idle_timeouts: BTreeMap<String, u32>,
    elb_tags: BTreeMap<String, Tags>,
    target_groups: Vec<TargetGroup>,
    targets: BTreeMap<String, Vec<TargetRef>>,
    listeners: Vec<(String, Listener)>,
    services: Vec<EndpointService>,
    /// What each client token created (as it was when deleted, for a deleted one): AWS
    /// answers the token with it again.
    tokens: BTreeMap<String, EndpointService>,
    /// Services still `Pending`, with how many more looks they stay so.
    pending: BTreeMap<String, usize>,
    principals: BTreeMap<String, Vec<String>>,
    connections: BTreeMap<String, Vec<Connection>>,
    rules: Vec<GroupRule>,
    groups: Vec<SecurityGroup>,
    /// Load balancers whose service is still being deleted: how many more deletion
    /// attempts AWS refuses.
    held_by_deleted_service: BTreeMap<String, usize>,
    followers: follower::Followers,
}

impl Account {
    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// A target group as AWS lists it: with the load balancers whose listeners forward to it.
    fn as_listed(&self, tg: &TargetGroup) -> TargetGroup {
        let mut load_balancers: Vec<String> = self
            .listeners
            .iter()
            .filter(|(_, l)| l.forward_to.as_deref() == Some(tg.arn.as_str()))
            .map(|(lb, _)| lb.clone())
            .collect();
        load_balancers.dedup();
        TargetGroup { load_balancer_arns: load_balancers, ..tg.clone() }
    }
}

#[derive(Default)]
pub struct FakeCloud {
    account: Mutex<Account>,
    calls: Mutex<Vec<Call>>,
    provisioning_looks: usize,
    pending_looks: usize,
    /// Refusals still to give, by action: the error code and how many more times.
    refusals: Mutex<BTreeMap<&'static str, (String, usize)>>,
    /// How much longer than [`LATENCY`] calls of an action take.
    slower: BTreeMap<&'static str, Duration>,
    /// How many more times Lambda finds a new role not assumable yet.
    role_settling: Mutex<usize>,
}

fn refused(action: &'static str, code: &str) -> CloudError {
    CloudError {
        action,
        kind: errors::kind_of_code(code),
        code: Some(code.to_string()),
        message: format!("the fake account refuses {action}"),
    }
}

impl FakeCloud {
    pub fn new() -> Self {
        FakeCloud::default()
    }

    /// A new load balancer answers `provisioning` to this many looks before `active`.
    pub fn provisioning_for(mut self, looks: usize) -> Self {
        self.provisioning_looks = looks;
        self
    }

    /// A new endpoint service is `Pending` when created and for this many looks after.
    pub fn pending_for(mut self, looks: usize) -> Self {
        self.pending_looks = looks;
        self
    }

    /// The next `times` calls of `action` fail with AWS error `code`.
    pub fn refusing(self, action: &'static str, code: &str, times: usize) -> Self {
        self.refusals.lock().unwrap().insert(action, (code.to_string(), times));
        self
    }

    /// A new role is not assumable by Lambda for the next `attempts` to create a function
    /// with it, as IAM's eventual consistency makes it for a few seconds.
    pub fn role_settles_after(self, attempts: usize) -> Self {
        *self.role_settling.lock().unwrap() = attempts;
        self
    }

    /// Calls of `action` take `extra` longer than others: AWS answers some calls slowly.
    pub fn slow(mut self, action: &'static str, extra: Duration) -> Self {
        self.slower.insert(action, extra);
        self
    }

    /// A consumer's endpoint connected to `service_id`, in `state` as EC2 spells it.
    pub fn connect(&self, service_id: &str, endpoint_id: &str, state: &str) {
        let connection = fixtures::connection(endpoint_id, state);
        self.account.lock().unwrap().connections.entry(service_id.into()).or_default().push(connection);
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// How many calls of `action` were made.
    pub fn count(&self, action: &str) -> usize {
        self.calls().iter().filter(|c| c.action == action).count()
    }

    /// Whether every call of `first` had ended before any call of `then` started.
    pub fn ended_before(&self, first: &str, then: &str) -> bool {
        let calls = self.calls();
        let last_end = calls.iter().filter(|c| c.action == first).map(|c| c.ended).max();
        let first_start = calls.iter().filter(|c| c.action == then).map(|c| c.started).min();
        matches!((last_end, first_start), (Some(end), Some(start)) if end <= start)
    }

    /// The sequential round trips among the calls after the first `skip`: the most calls
    /// of which each started only after the one before had ended (as the benchmark
    /// counts them).
    pub fn rounds_after(&self, skip: usize) -> usize {
        let mut calls: Vec<Call> = self.calls().into_iter().skip(skip).collect();
        calls.sort_by_key(|c| c.ended);
        let mut free_at = None;
        let mut rounds = 0;
        for call in calls {
            if free_at.is_none_or(|free| call.started >= free) {
                rounds += 1;
                free_at = Some(call.ended);
            }
        }
        rounds
    }

    /// Whether a call of `a` and a call of `b` were under way at the same time.
    pub fn overlapped(&self, a: &str, b: &str) -> bool {
        let calls = self.calls();
        calls
            .iter()
            .filter(|x| x.action == a)
            .any(|x| calls.iter().filter(|y| y.action == b).any(|y| x.started < y.ended && y.started < x.ended))
    }

    /// Whether the account holds nothing the engine made.
    pub fn is_empty(&self) -> bool {
        let a = self.account.lock().unwrap();
        a.load_balancers.is_empty()
            && a.target_groups.is_empty()
            && a.services.is_empty()
            && a.rules.is_empty()
            && a.followers.is_empty()
    }

    /// One AWS call: it takes [`LATENCY`], is logged, and fails if the test said so.
    async fn call<T>(&self, action: &'static str, work: impl FnOnce(&mut Account) -> CloudResult<T>) -> CloudResult<T> {
        let started = Instant::now();
        tokio::time::sleep(LATENCY + self.slower.get(action).copied().unwrap_or_default()).await;
        let refusal = {
            let mut refusals = self.refusals.lock().unwrap();
            match refusals.get_mut(action) {
                Some((code, times)) if *times > 0 => {
                    *times -= 1;
                    Some(refused(action, code))
                }
                _ => None,
            }
        };
        let result = match refusal {
            Some(error) => Err(error),
            None => work(&mut self.account.lock().unwrap()),
        };
        self.calls.lock().unwrap().push(Call { action, started, ended: Instant::now() });
        result
    }
}

fn network_subnets() -> Vec<Subnet> {
    vec![
        fixtures::subnet("subnet-a", "az1", "10.0.1.0/24"),
        fixtures::subnet("subnet-b", "az2", "10.0.2.0/24"),
        fixtures::subnet("subnet-c", "az3", "10.0.3.0/24"),
    ]
}

/// The AZ IDs of a load balancer's subnets: where AWS enables its endpoint service.
fn zone_ids_of(lb: &LoadBalancer) -> Vec<String> {
    let mut ids: Vec<String> =
        network_subnets().into_iter().filter(|s| lb.subnet_ids.contains(&s.id)).map(|s| s.az_id).collect();
    ids.sort();
    ids
}

fn zones_of(subnet_ids: &[String]) -> BTreeMap<String, String> {
    network_subnets().into_iter().filter(|s| subnet_ids.contains(&s.id)).map(|s| (s.id, s.az_name)).collect()
}

fn has_tag(tags: &Tags, key: &str, value: Option<&str>) -> bool {
    tags.get(key).is_some_and(|v| value.is_none_or(|want| v == want))
}

impl Cloud for FakeCloud {
    async fn caller_identity(&self) -> CloudResult<Identity> {
        self.call("sts:GetCallerIdentity", |_| {
            Ok(Identity { account: "123456789012".into(), arn: "arn:aws:iam::123456789012:user/test".into() })
        })
        .await
    }

    async fn region_names(&self) -> CloudResult<Vec<RegionInfo>> {
        self.call("ec2:DescribeRegions", |_| {
            Ok([REGION, "us-east-1", "eu-west-3"].map(|name| RegionInfo { name: name.into(), enabled: true }).to_vec())
        })
        .await
    }

    async fn vpc(&self, vpc_id: &str) -> CloudResult<Option<Vpc>> {
        self.call("ec2:DescribeVpcs", |_| Ok((vpc_id == fixtures::vpc().id).then(fixtures::vpc))).await
    }

    async fn subnets(&self, subnet_ids: &[String]) -> CloudResult<Vec<Subnet>> {
        self.call("ec2:DescribeSubnets", |_| {
            Ok(network_subnets().into_iter().filter(|s| subnet_ids.contains(&s.id)).collect())
        })
        .await
    }

    async fn route_tables(&self, vpc_id: &str) -> CloudResult<Vec<RouteTable>> {
        self.call("ec2:DescribeRouteTables", |_| {
            Ok(if vpc_id == "vpc-1" { vec![fixtures::private_route_table()] } else { vec![] })
        })
        .await
    }

    async fn instances(&self, _instance_ids: &[String]) -> CloudResult<Vec<Instance>> {
        // The fake network has no instances.
        self.call("ec2:DescribeInstances", |_| Ok(Vec::new())).await
    }

    async fn security_group(&self, _group_id: &str) -> CloudResult<Option<SecurityGroup>> {
        self.call("ec2:DescribeSecurityGroups", |_| Ok(None)).await
    }

    async fn databases(&self) -> CloudResult<Vec<Database>> {
        self.call("rds:DescribeDBInstances", |_| Ok(Vec::new())).await
    }

    async fn db_parameter(&self, _group: &ParameterGroup, _name: &str) -> CloudResult<Option<DbParameter>> {
        self.call("rds:DescribeDBParameters", |_| Ok(None)).await
    }

    async fn network_acls(&self, _vpc_id: &str) -> CloudResult<Vec<NetworkAcl>> {
        // The fake network keeps the VPC's default ACL, which allows everything.
        self.call("ec2:DescribeNetworkAcls", |_| Ok(Vec::new())).await
    }

    async fn running_instances(&self) -> CloudResult<Vec<Instance>> {
        self.call("ec2:DescribeInstances", |_| Ok(Vec::new())).await
    }

    async fn vpcs(&self) -> CloudResult<Vec<Vpc>> {
        self.call("ec2:DescribeVpcs", |_| Ok(vec![fixtures::vpc()])).await
    }

    async fn subnets_of_vpc(&self, vpc_id: &str) -> CloudResult<Vec<Subnet>> {
        self.call("ec2:DescribeSubnets", |_| Ok(network_subnets().into_iter().filter(|s| s.vpc_id == vpc_id).collect()))
            .await
    }

    async fn security_groups_of_vpc(&self, _vpc_id: &str) -> CloudResult<Vec<SecurityGroup>> {
        self.call("ec2:DescribeSecurityGroups", |_| Ok(Vec::new())).await
    }

    async fn load_balancer_named(&self, name: &str) -> CloudResult<Option<LoadBalancer>> {
        self.call("elasticloadbalancing:DescribeLoadBalancers", |a| {
            Ok(a.load_balancers.iter_mut().find(|(lb, _)| lb.name == name).map(|(lb, looks)| {
                if *looks == 0 {
                    lb.state = "active".into();
                } else {
                    *looks -= 1;
                }
                lb.clone()
            }))
        })
        .await
    }

    async fn target_group_named(&self, name: &str) -> CloudResult<Option<TargetGroup>> {
        self.call("elasticloadbalancing:DescribeTargetGroups", |a| {
            Ok(a.target_groups.iter().find(|tg| tg.name == name).map(|tg| a.as_listed(tg)))
        })
        .await
    }

    async fn elb_tags(&self, arns: &[String]) -> CloudResult<BTreeMap<String, Tags>> {
        self.call("elasticloadbalancing:DescribeTags", |a| {
            Ok(arns.iter().filter_map(|arn| Some((arn.clone(), a.elb_tags.get(arn)?.clone()))).collect())
        })
        .await
    }

    async fn load_balancer_attributes(&self, load_balancer_arn: &str) -> CloudResult<LoadBalancerAttributes> {
        self.call("elasticloadbalancing:DescribeLoadBalancerAttributes", |a| {
            let cross_zone = a.cross_zone.get(load_balancer_arn).copied().unwrap_or(false);
            Ok(LoadBalancerAttributes { cross_zone, deletion_protection: false })
        })
        .await
    }

    async fn listeners(&self, load_balancer_arn: &str) -> CloudResult<Vec<Listener>> {
        self.call("elasticloadbalancing:DescribeListeners", |a| {
            Ok(a.listeners.iter().filter(|(lb, _)| lb == load_balancer_arn).map(|(_, l)| l.clone()).collect())
        })
        .await
    }

    async fn listener_idle_timeout(&self, listener_arn: &str) -> CloudResult<u32> {
        self.call("elasticloadbalancing:DescribeListenerAttributes", |a| {
            Ok(a.idle_timeouts.get(listener_arn).copied().unwrap_or(DEFAULT_IDLE_TIMEOUT))
        })
        .await
    }

    async fn registered_targets(&self, target_group_arn: &str) -> CloudResult<Vec<RegisteredTarget>> {
        self.call("elasticloadbalancing:DescribeTargetHealth", |a| {
            let targets = a.targets.get(target_group_arn).cloned().unwrap_or_default();
            Ok(targets
                .into_iter()
                .map(|target| RegisteredTarget { target, health: "healthy".into(), reason: None })
                .collect())
        })
        .await
    }

    async fn endpoint_services_tagged(&self, key: &str, value: &str) -> CloudResult<Vec<EndpointService>> {
        self.call("ec2:DescribeVpcEndpointServiceConfigurations", |a| {
            Ok(a.services.iter().filter(|s| has_tag(&s.tags, key, Some(value))).cloned().collect())
        })
        .await
    }

    async fn endpoint_service(&self, service_id: &str) -> CloudResult<Option<EndpointService>> {
        self.call("ec2:DescribeVpcEndpointServiceConfigurations", |a| {
            let looks = a.pending.get_mut(service_id);
            let state = match looks {
                Some(0) | None => "Available",
                Some(looks) => {
                    *looks -= 1;
                    "Pending"
                }
            };
            let service = a.services.iter_mut().find(|s| s.id == service_id);
            Ok(service.map(|s| {
                s.state = state.into();
                s.clone()
            }))
        })
        .await
    }

    async fn allowed_principals(&self, service_id: &str) -> CloudResult<Vec<String>> {
        self.call("ec2:DescribeVpcEndpointServicePermissions", |a| {
            Ok(a.principals.get(service_id).cloned().unwrap_or_default())
        })
        .await
    }

    async fn rules_tagged(&self, key: &str, value: &str) -> CloudResult<Vec<GroupRule>> {
        self.call("ec2:DescribeSecurityGroupRules", |a| {
            Ok(a.rules.iter().filter(|r| has_tag(&r.tags, key, Some(value))).cloned().collect())
        })
        .await
    }

    async fn rules_of_groups(&self, group_ids: &[String]) -> CloudResult<Vec<GroupRule>> {
        if group_ids.is_empty() {
            return Ok(Vec::new());
        }
        self.call("ec2:DescribeSecurityGroupRules", |a| {
            Ok(a.rules.iter().filter(|r| group_ids.contains(&r.group_id)).cloned().collect())
        })
        .await
    }

    async fn security_groups_tagged(&self, key: &str, value: &str) -> CloudResult<Vec<SecurityGroup>> {
        self.call("ec2:DescribeSecurityGroups", |a| {
            Ok(a.groups.iter().filter(|g| has_tag(&g.tags, key, Some(value))).cloned().collect())
        })
        .await
    }

    async fn security_groups_with_tag(&self, key: &str) -> CloudResult<Vec<SecurityGroup>> {
        self.call("ec2:DescribeSecurityGroups", |a| {
            Ok(a.groups.iter().filter(|g| has_tag(&g.tags, key, None)).cloned().collect())
        })
        .await
    }

    async fn endpoint_services_with_tag(&self, key: &str) -> CloudResult<Vec<EndpointService>> {
        self.call("ec2:DescribeVpcEndpointServiceConfigurations", |a| {
            Ok(a.services.iter().filter(|s| has_tag(&s.tags, key, None)).cloned().collect())
        })
        .await
    }

    async fn connections_of(&self, service_ids: &[String]) -> CloudResult<BTreeMap<String, Vec<Connection>>> {
        self.call("ec2:DescribeVpcEndpointConnections", |a| {
            Ok(service_ids.iter().filter_map(|id| Some((id.clone(), a.connections.get(id)?.clone()))).collect())
        })
        .await
    }

    async fn load_balancers(&self) -> CloudResult<Vec<LoadBalancer>> {
        self.call("elasticloadbalancing:DescribeLoadBalancers", |a| {
            Ok(a.load_balancers.iter().map(|(lb, _)| lb.clone()).collect())
        })
        .await
    }

    async fn target_groups(&self) -> CloudResult<Vec<TargetGroup>> {
        self.call("elasticloadbalancing:DescribeTargetGroups", |a| {
            Ok(a.target_groups.iter().map(|tg| a.as_listed(tg)).collect())
        })
        .await
    }

    async fn rules_with_tag(&self, key: &str) -> CloudResult<Vec<GroupRule>> {
        self.call("ec2:DescribeSecurityGroupRules", |a| {
            Ok(a.rules.iter().filter(|r| has_tag(&r.tags, key, None)).cloned().collect())
        })
        .await
    }

    async fn create_target_group(&self, new: NewTargetGroup<'_>) -> CloudResult<TargetGroup> {
        self.call("elasticloadbalancing:CreateTargetGroup", |a| {
            // Identical settings return the existing group, as AWS does.
            if let Some(tg) = a.target_groups.iter().find(|tg| tg.name == new.name) {
                return Ok(tg.clone());
            }
            let arn = format!("arn:aws:elasticloadbalancing:{REGION}:1:targetgroup/{}/{}", new.name, a.id());
            let tg = TargetGroup {
                arn: arn.clone(),
                name: new.name.into(),
                port: new.port,
                vpc_id: new.vpc_id.into(),
                target_type: new.target_type.as_str().into(),
                health_check: Some(new.health_check),
                load_balancer_arns: Vec::new(),
            };
            a.target_groups.push(tg.clone());
            a.elb_tags.insert(arn, new.tags.clone());
            Ok(tg)
        })
        .await
    }

    async fn set_health_check(&self, target_group_arn: &str, health_check: &HealthCheck) -> CloudResult<()> {
        self.call("elasticloadbalancing:ModifyTargetGroup", |a| {
            for tg in a.target_groups.iter_mut().filter(|tg| tg.arn == target_group_arn) {
                tg.health_check = Some(*health_check);
            }
            Ok(())
        })
        .await
    }

    async fn register_targets(&self, target_group_arn: &str, targets: &[TargetRef]) -> CloudResult<()> {
        self.call("elasticloadbalancing:RegisterTargets", |a| {
            let registered = a.targets.entry(target_group_arn.into()).or_default();
            registered.extend(targets.iter().filter(|t| !registered.contains(t)).cloned().collect::<Vec<_>>());
            Ok(())
        })
        .await
    }

    async fn deregister_targets(&self, target_group_arn: &str, targets: &[TargetRef]) -> CloudResult<()> {
        self.call("elasticloadbalancing:DeregisterTargets", |a| {
            a.targets.entry(target_group_arn.into()).or_default().retain(|t| !targets.contains(t));
            Ok(())
        })
        .await
    }

    async fn create_load_balancer(&self, new: NewLoadBalancer<'_>) -> CloudResult<LoadBalancer> {
        let looks = self.provisioning_looks;
        self.call("elasticloadbalancing:CreateLoadBalancer", |a| {
            if let Some((lb, _)) = a.load_balancers.iter().find(|(lb, _)| lb.name == new.name) {
                return Ok(lb.clone());
            }
            let arn = format!("arn:aws:elasticloadbalancing:{REGION}:1:loadbalancer/net/{}/{}", new.name, a.id());
            let lb = LoadBalancer {
                arn: arn.clone(),
                name: new.name.into(),
                dns_name: format!("{}.elb.{REGION}.amazonaws.com", new.name),
                scheme: "internal".into(),
                kind: "network".into(),
                state: "provisioning".into(),
                vpc_id: "vpc-1".into(),
                subnet_ids: new.subnet_ids.to_vec(),
                subnet_zones: zones_of(new.subnet_ids),
                security_groups: vec![new.security_group_id.into()],
                privatelink_inbound_rules: Some("on".into()),
            };
            a.load_balancers.push((lb.clone(), looks));
            a.elb_tags.insert(arn, new.tags.clone());
            Ok(lb)
        })
        .await
    }

    async fn set_subnets(&self, load_balancer_arn: &str, subnet_ids: &[String]) -> CloudResult<()> {
        self.call("elasticloadbalancing:SetSubnets", |a| {
            for (lb, _) in a.load_balancers.iter_mut().filter(|(lb, _)| lb.arn == load_balancer_arn) {
                lb.subnet_ids = subnet_ids.to_vec();
                lb.subnet_zones = zones_of(subnet_ids);
            }
            Ok(())
        })
        .await
    }

    async fn set_cross_zone(&self, load_balancer_arn: &str, enabled: bool) -> CloudResult<()> {
        self.call("elasticloadbalancing:ModifyLoadBalancerAttributes", |a| {
            a.cross_zone.insert(load_balancer_arn.into(), enabled);
            Ok(())
        })
        .await
    }

    async fn create_listener(&self, new: NewListener<'_>) -> CloudResult<Listener> {
        self.call("elasticloadbalancing:CreateListener", |a| {
            if a.listeners.iter().any(|(lb, l)| lb == new.load_balancer_arn && l.port == new.port) {
                return Err(refused("elasticloadbalancing:CreateListener", "DuplicateListener"));
            }
            let listener = Listener {
                arn: format!("{}/listener/{}", new.load_balancer_arn, a.id()),
                port: new.port,
                protocol: "TCP".into(),
                forward_to: Some(new.target_group_arn.into()),
            };
            a.listeners.push((new.load_balancer_arn.into(), listener.clone()));
            Ok(listener)
        })
        .await
    }

    async fn set_listener_idle_timeout(&self, listener_arn: &str, seconds: u32) -> CloudResult<()> {
        self.call("elasticloadbalancing:ModifyListenerAttributes", |a| {
            a.idle_timeouts.insert(listener_arn.into(), seconds);
            Ok(())
        })
        .await
    }

    async fn modify_listener(&self, listener_arn: &str, port: u16, target_group_arn: &str) -> CloudResult<()> {
        self.call("elasticloadbalancing:ModifyListener", |a| {
            for (_, l) in a.listeners.iter_mut().filter(|(_, l)| l.arn == listener_arn) {
                l.port = port;
                l.forward_to = Some(target_group_arn.into());
            }
            Ok(())
        })
        .await
    }

    async fn add_elb_tags(&self, arns: &[String], tags: &Tags) -> CloudResult<()> {
        self.call("elasticloadbalancing:AddTags", |a| {
            for arn in arns {
                a.elb_tags.entry(arn.clone()).or_default().extend(tags.clone());
            }
            Ok(())
        })
        .await
    }

    async fn create_endpoint_service(&self, new: NewEndpointService<'_>) -> CloudResult<EndpointService> {
        let looks = self.pending_looks;
        self.call("ec2:CreateVpcEndpointServiceConfiguration", |a| {
            if let Some(bound) = a.tokens.get(new.client_token) {
                // AWS: the same token with other parameters is IdempotentParameterMismatch.
                let same = bound.load_balancer_arns == [new.load_balancer_arn]
                    && bound.acceptance_required == new.acceptance_required
                    && bound
                        .supported_regions
                        .iter()
                        .skip(1)
                        .map(|r| r.region.as_str())
                        .eq(new.supported_regions.iter().map(String::as_str))
                    && bound.tags == *new.tags;
                if !same {
                    return Err(refused("ec2:CreateVpcEndpointServiceConfiguration", "IdempotentParameterMismatch"));
                }
                let live = a.services.iter().find(|s| s.id == bound.id);
                return Ok(live
                    .cloned()
                    .unwrap_or_else(|| EndpointService { state: "Deleted".into(), ..bound.clone() }));
            }
            let id = format!("vpce-svc-{}", a.id());
            if looks > 0 {
                a.pending.insert(id.clone(), looks);
            }
            let service = EndpointService {
                name: format!("com.amazonaws.vpce.{REGION}.{id}"),
                id,
                state: if looks > 0 { "Pending" } else { "Available" }.into(),
                load_balancer_arns: vec![new.load_balancer_arn.into()],
                acceptance_required: new.acceptance_required,
                supported_regions: [REGION]
                    .into_iter()
                    .chain(new.supported_regions.iter().map(String::as_str))
                    .map(|r| SupportedRegion::new(r, "Available"))
                    .collect(),
                availability_zone_ids: a
                    .load_balancers
                    .iter()
                    .find(|(lb, _)| lb.arn == new.load_balancer_arn)
                    .map(|(lb, _)| zone_ids_of(lb))
                    .unwrap_or_default(),
                tags: new.tags.clone(),
            };
            a.tokens.insert(new.client_token.to_string(), service.clone());
            a.services.push(service.clone());
            Ok(service)
        })
        .await
    }

    async fn modify_endpoint_service(&self, service_id: &str, change: &EndpointServiceChange) -> CloudResult<()> {
        self.call("ec2:ModifyVpcEndpointServiceConfiguration", |a| {
            let balancers = a.load_balancers.clone();
            for s in a.services.iter_mut().filter(|s| s.id == service_id) {
                // Any change to it enables it in every zone of its load balancer.
                if let Some((lb, _)) = balancers.iter().find(|(lb, _)| s.load_balancer_arns.contains(&lb.arn)) {
                    s.availability_zone_ids = zone_ids_of(lb);
                }
                if let Some(required) = change.acceptance_required {
                    s.acceptance_required = required;
                }
                s.supported_regions.retain(|r| !change.remove_supported_regions.contains(&r.region));
                s.supported_regions
                    .extend(change.add_supported_regions.iter().map(|r| SupportedRegion::new(r, "Available")));
            }
            Ok(())
        })
        .await
    }

    async fn modify_allowed_principals(&self, service_id: &str, add: &[String], remove: &[String]) -> CloudResult<()> {
        self.call("ec2:ModifyVpcEndpointServicePermissions", |a| {
            let principals = a.principals.entry(service_id.into()).or_default();
            principals.retain(|p| !remove.contains(p));
            principals.extend(add.iter().filter(|p| !principals.contains(p)).cloned().collect::<Vec<_>>());
            Ok(())
        })
        .await
    }

    async fn add_ec2_tags(&self, resource_ids: &[String], tags: &Tags) -> CloudResult<()> {
        self.call("ec2:CreateTags", |a| {
            let services = a.services.iter_mut().filter(|s| resource_ids.contains(&s.id)).map(|s| &mut s.tags);
            let rules = a.rules.iter_mut().filter(|r| resource_ids.contains(&r.id)).map(|r| &mut r.tags);
            let groups = a.groups.iter_mut().filter(|g| resource_ids.contains(&g.id)).map(|g| &mut g.tags);
            services.chain(rules).chain(groups).for_each(|t| t.extend(tags.clone()));
            Ok(())
        })
        .await
    }

    async fn create_security_group(&self, new: NewSecurityGroup<'_>) -> CloudResult<SecurityGroup> {
        self.call("ec2:CreateSecurityGroup", |a| {
            if let Some(group) = a.groups.iter().find(|g| g.name == new.name) {
                return Ok(group.clone());
            }
            let group = SecurityGroup {
                id: format!("sg-{}", a.id()),
                vpc_id: Some(new.vpc_id.into()),
                name: new.name.into(),
                tags: new.tags.clone(),
            };
            // As AWS does: every outbound connection allowed.
            let rule = GroupRule {
                id: format!("sgr-{}", a.id()),
                group_id: group.id.clone(),
                egress: true,
                protocol: "-1".into(),
                from_port: -1,
                to_port: -1,
                peer: Some(Peer::Cidr(ALL_ADDRESSES.into())),
                tags: Tags::new(),
            };
            a.rules.push(rule);
            a.groups.push(group.clone());
            Ok(group)
        })
        .await
    }

    async fn revoke_default_egress(&self, group_id: &str) -> CloudResult<()> {
        self.call("ec2:RevokeSecurityGroupEgress", |a| {
            let everything = |r: &GroupRule| {
                r.group_id == group_id
                    && r.egress
                    && r.protocol == "-1"
                    && r.peer == Some(Peer::Cidr(ALL_ADDRESSES.into()))
            };
            a.rules.retain(|r| !everything(r));
            Ok(())
        })
        .await
    }

    async fn authorize_rule(&self, rule: NewGroupRule<'_>) -> CloudResult<()> {
        let action = if rule.egress { "ec2:AuthorizeSecurityGroupEgress" } else { "ec2:AuthorizeSecurityGroupIngress" };
        self.call(action, |a| {
            let port = i32::from(rule.port);
            let same = |r: &&GroupRule| {
                r.group_id == rule.group_id
                    && r.egress == rule.egress
                    && r.from_port == port
                    && r.peer.as_ref() == Some(rule.peer)
            };
            if a.rules.iter().any(|r| same(&r)) {
                return Err(refused(action, "InvalidPermission.Duplicate"));
            }
            let id = format!("sgr-{}", a.id());
            a.rules.push(GroupRule {
                id,
                group_id: rule.group_id.into(),
                egress: rule.egress,
                protocol: "tcp".into(),
                from_port: port,
                to_port: port,
                peer: Some(rule.peer.clone()),
                tags: rule.tags.clone(),
            });
            Ok(())
        })
        .await
    }

    async fn revoke_rules(&self, group_id: &str, egress: bool, rule_ids: &[String]) -> CloudResult<()> {
        let action = if egress { "ec2:RevokeSecurityGroupEgress" } else { "ec2:RevokeSecurityGroupIngress" };
        self.call(action, |a| {
            a.rules.retain(|r| r.group_id != group_id || !rule_ids.contains(&r.id));
            Ok(())
        })
        .await
    }

    async fn use_security_group_without_privatelink_inbound_rules(
        &self,
        load_balancer_arn: &str,
        security_group_id: &str,
    ) -> CloudResult<()> {
        self.call("elasticloadbalancing:SetSecurityGroups", |a| {
            for (lb, _) in a.load_balancers.iter_mut().filter(|(lb, _)| lb.arn == load_balancer_arn) {
                lb.security_groups = vec![security_group_id.into()];
                lb.privatelink_inbound_rules = Some("off".into());
            }
            Ok(())
        })
        .await
    }

    async fn decide_connections(
        &self,
        service_id: &str,
        endpoint_ids: &[String],
        accept: bool,
    ) -> CloudResult<Vec<(String, String)>> {
        let action = if accept { "ec2:AcceptVpcEndpointConnections" } else { "ec2:RejectVpcEndpointConnections" };
        self.call(action, |a| {
            let connections = a.connections.entry(service_id.into()).or_default();
            let mut unsuccessful = Vec::new();
            for endpoint in endpoint_ids {
                match connections.iter_mut().find(|c| &c.endpoint_id == endpoint) {
                    Some(c) => c.state = if accept { "available" } else { "rejected" }.into(),
                    None => unsuccessful.push((endpoint.clone(), "no such endpoint connection".into())),
                }
            }
            Ok(unsuccessful)
        })
        .await
    }

    async fn delete_endpoint_service(&self, service_id: &str) -> CloudResult<()> {
        self.call("ec2:DeleteVpcEndpointServiceConfigurations", |a| {
            let open = a
                .connections
                .get(service_id)
                .is_some_and(|cs| cs.iter().any(|c| c.is("available") || c.is("pendingAcceptance") || c.is("pending")));
            if open {
                return Err(refused("ec2:DeleteVpcEndpointServiceConfigurations", "ExistingVpcEndpointConnections"));
            }
            for service in a.services.iter().filter(|s| s.id == service_id) {
                for arn in &service.load_balancer_arns {
                    a.held_by_deleted_service.insert(arn.clone(), 1);
                }
            }
            a.services.retain(|s| s.id != service_id);
            a.principals.remove(service_id);
            Ok(())
        })
        .await
    }

    async fn delete_listener(&self, listener_arn: &str) -> CloudResult<()> {
        self.call("elasticloadbalancing:DeleteListener", |a| {
            a.listeners.retain(|(_, l)| l.arn != listener_arn);
            Ok(())
        })
        .await
    }

    async fn delete_load_balancer(&self, load_balancer_arn: &str) -> CloudResult<()> {
        self.call("elasticloadbalancing:DeleteLoadBalancer", |a| {
            let backs_a_service =
                a.services.iter().any(|s| s.load_balancer_arns.iter().any(|arn| arn == load_balancer_arn));
            let held = a.held_by_deleted_service.get_mut(load_balancer_arn).filter(|attempts| **attempts > 0);
            if backs_a_service || held.is_some() {
                if let Some(attempts) = held {
                    *attempts -= 1;
                }
                return Err(refused("elasticloadbalancing:DeleteLoadBalancer", "ResourceInUse"));
            }
            a.load_balancers.retain(|(lb, _)| lb.arn != load_balancer_arn);
            a.listeners.retain(|(lb, _)| lb != load_balancer_arn);
            a.elb_tags.remove(load_balancer_arn);
            Ok(())
        })
        .await
    }

    async fn delete_target_group(&self, target_group_arn: &str) -> CloudResult<()> {
        self.call("elasticloadbalancing:DeleteTargetGroup", |a| {
            if a.listeners.iter().any(|(_, l)| l.forward_to.as_deref() == Some(target_group_arn)) {
                return Err(refused("elasticloadbalancing:DeleteTargetGroup", "ResourceInUse"));
            }
            a.target_groups.retain(|tg| tg.arn != target_group_arn);
            a.targets.remove(target_group_arn);
            a.elb_tags.remove(target_group_arn);
            Ok(())
        })
        .await
    }

    async fn delete_security_group(&self, group_id: &str) -> CloudResult<()> {
        self.call("ec2:DeleteSecurityGroup", |a| {
            let in_use = a.load_balancers.iter().any(|(lb, _)| lb.security_groups.iter().any(|g| g == group_id));
            let referenced = a.rules.iter().any(|r| r.peer == Some(Peer::Group(group_id.into())));
            if in_use || referenced {
                return Err(refused("ec2:DeleteSecurityGroup", "DependencyViolation"));
            }
            a.groups.retain(|g| g.id != group_id);
            a.rules.retain(|r| r.group_id != group_id);
            Ok(())
        })
        .await
    }
}
