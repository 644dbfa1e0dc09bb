//! The plan: what to change in AWS, as plain data that describes itself. Each change
//! names the resource it acts on (an existing ID or ARN, or "the one change N of this
//! plan creates"), the changes it depends on, and what AWS must report before those
//! that depend on it may start. The same plan is printed by `plan`, `setup --dry-run`
//! and teardown, saved by `--out`, and run by the one executor ([`execute`]), which
//! reports what it does as [`events`] and waits for AWS with the one [`backoff`] policy.
//! Setup's planner is [`planner`], teardown's [`removal`]; [`saved`] keeps a plan with
//! the fingerprint of the state it was made from.

use serde::{Deserialize, Serialize};

pub mod backoff;
pub mod databases;
pub mod events;
pub mod execute;
pub mod follower;
pub mod planner;
pub mod removal;
pub mod saved;

use crate::aws::follower::{FunctionSettings, Trigger};
use crate::aws::{HealthCheck, Tags, TargetRef, TargetType};

/// A resource a change acts on or refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ref {
    /// It exists: its ID or ARN.
    Existing(String),
    /// Change number N of this plan (counted from 0) creates it.
    CreatedBy(usize),
}

impl Ref {
    /// The change of this plan that creates the resource, if one does.
    pub fn creator(&self) -> Option<usize> {
        match self {
            Ref::Existing(_) => None,
            Ref::CreatedBy(index) => Some(*index),
        }
    }
}

/// What AWS must report before the changes that depend on a change may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Completion {
    /// The call's answer: AWS made the change when it answered.
    Answered,
    /// The endpoint service lists every zone the change names: AWS enables a zone added
    /// to its load balancer only when asked, and only once that zone is ready, "a few
    /// minutes" after.
    ServiceInZones,
    /// The load balancer is `active`: a new one is `provisioning` first (AWS gives no
    /// figure for how long; ACTIVE_LIMIT allows 15 minutes), and an
    /// endpoint service can only be built on an active one.
    LoadBalancerActive,
    /// The load balancer lists exactly the subnets asked for: AWS removes a subnet
    /// asynchronously, and another in its zone can only be added once it is done.
    SubnetsSet,
    /// The endpoint service is `Available`.
    ServiceAvailable,
    /// The resource is no longer listed: a deleted load balancer holds its target group
    /// and security group rules' purpose until it is gone.
    Gone,
    /// None of the connections is still pending or available: AWS may refuse to reject
    /// one (already rejected, or gone), and only an open one stops a service's deletion.
    ConnectionsClosed,
    /// The follower's function is `Active` with no change in progress: Lambda runs it,
    /// and takes another change to it, only then.
    FunctionReady,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    CreateTargetGroup {
        name: String,
        port: u16,
        target_type: TargetType,
        vpc_id: String,
        #[serde(default)]
        health_check: HealthCheck,
        tags: Tags,
    },
    SetHealthCheck {
        target_group: String,
        name: String,
        from: Option<HealthCheck>,
        to: HealthCheck,
    },
    RegisterTargets {
        target_group: Ref,
        targets: Vec<TargetRef>,
    },
    DeregisterTargets {
        target_group: Ref,
        targets: Vec<TargetRef>,
    },
    /// The load balancer's own security group. AWS gives it a rule letting every
    /// outbound connection out, which the next change removes.
    CreateSecurityGroup {
        name: String,
        vpc_id: String,
        description: String,
        tags: Tags,
    },
    /// Removes the rule AWS gives a new group (every outbound connection allowed), so the
    /// group lets out only what its own rules say. Airbyte is let in only after this.
    RevokeDefaultEgress {
        security_group: Ref,
        name: String,
    },
    CreateLoadBalancer {
        name: String,
        subnets: Vec<SubnetChoice>,
        security_group: Ref,
        tags: Tags,
    },
    /// Makes the deployment's group the load balancer's only one, and lets PrivateLink
    /// traffic through whatever its inbound rules say (AWS filters it by default).
    SetSecurityGroup {
        load_balancer: Ref,
        name: String,
        security_group: Ref,
    },
    /// Nothing to change: what comes next (the endpoint service) needs the load balancer
    /// active, and a new one is `provisioning` for minutes. Only the service waits; the
    /// listener and settings are made meanwhile.
    AwaitLoadBalancer {
        load_balancer: Ref,
        name: String,
    },
    SetSubnets {
        load_balancer: String,
        name: String,
        from: Vec<String>,
        to: Vec<String>,
    },
    SetCrossZone {
        load_balancer: Ref,
        enabled: bool,
    },
    /// A TCP listener forwarding to the target group; then, when it is not AWS's 350 s,
    /// its idle timeout (AWS takes listener attributes only once the listener exists).
    CreateListener {
        load_balancer: Ref,
        target_group: Ref,
        /// The target group's name, for the plan's reader; plans saved before a deployment
        /// could hold several databases have none, and mean the deployment's own.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        target_group_name: String,
        port: u16,
        tags: Tags,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        idle_timeout: Option<u32>,
    },
    SetIdleTimeout {
        listener: String,
        port: u16,
        from: u32,
        to: u32,
    },
    UpdateListener {
        listener: String,
        target_group: Ref,
        /// As `CreateListener`'s.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        target_group_name: String,
        from_port: u16,
        port: u16,
    },
    CreateEndpointService {
        load_balancer: Ref,
        acceptance_required: bool,
        supported_regions: Vec<String>,
        tags: Tags,
    },
    UpdateEndpointService {
        service: String,
        acceptance_required: Option<bool>,
        add_supported_regions: Vec<String>,
        remove_supported_regions: Vec<String>,
    },
    /// Nothing to change: the service is not `Available` yet (just modified, or a setup
    /// was cut off while it was `Pending`), and it is handed over only once it is.
    AwaitEndpointService {
        service: String,
    },
    UpdateAllowedPrincipals {
        service: Ref,
        add: Vec<String>,
        remove: Vec<String>,
    },
    /// Enables the endpoint service in zones its load balancer gained (by AZ ID): AWS
    /// leaves a new zone out of the service until it is asked ("Configure an endpoint
    /// service", Manage load balancers), and consumers can connect only through the
    /// service's zones.
    EnableServiceZones {
        service: Ref,
        zones: Vec<String>,
    },
    /// A TCP rule on `port`: outbound from the load balancer's group to the database, or
    /// inbound to the database's group from the load balancer's.
    AuthorizeRule {
        group: Ref,
        egress: bool,
        port: u16,
        peer: RulePeer,
        description: String,
        tags: Tags,
    },
    RevokeRule {
        group_id: String,
        egress: bool,
        rule_id: String,
        /// What the rule lets in or out, for the plan's reader.
        peer: String,
    },
    TagResource {
        resource: String,
        id: String,
        tags: Tags,
    },
    /// Airbyte's connections waiting for acceptance (`accept`). AWS may refuse some;
    /// the executor records which, with why.
    AcceptConnections {
        service_id: String,
        endpoint_ids: Vec<String>,
    },
    // The follower's changes: the function that keeps the targets current, and what runs it.
    /// The role the follower runs as; Lambda assumes it.
    CreateFollowerRole {
        name: String,
        description: String,
        tags: Tags,
    },
    /// The role's one policy: exactly what the follower calls, on this deployment's target
    /// group and its own log group.
    SetFollowerPolicy {
        role: Ref,
        role_name: String,
        target_group: Ref,
        /// The deployment's other followed databases' groups, by name (ARN patterns).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        more_target_groups: Vec<String>,
        log_group_arn: String,
    },
    /// The follower's log group, its logs kept `retention_days`.
    CreateFollowerLogGroup {
        name: String,
        retention_days: i32,
        tags: Tags,
    },
    /// The function, with this release's code; its settings name the target group.
    CreateFollower {
        name: String,
        description: String,
        role: Ref,
        target_group: Ref,
        settings: FunctionSettings,
        tags: Tags,
    },
    /// Nothing to change: a new function is `Pending` before Lambda runs it.
    AwaitFollower {
        name: String,
    },
    /// The function runs another release's code: this one's replaces it.
    UpdateFollowerCode {
        name: String,
    },
    UpdateFollowerSettings {
        name: String,
        role: Ref,
        target_group: Ref,
        settings: FunctionSettings,
    },
    /// An EventBridge rule that runs the follower: the database's events, or a schedule.
    PutFollowerRule {
        name: String,
        description: String,
        trigger: Trigger,
        tags: Tags,
    },
    /// The rule's target is the follower, and the follower's policy lets that rule (and
    /// only it) invoke it.
    ConnectFollowerRule {
        rule: String,
        rule_arn: String,
        statement_id: String,
        function: Ref,
    },
    /// An alarm when the target group has no healthy target, whatever the cause.
    PutAlarm {
        name: String,
        description: String,
        target_group: Ref,
        load_balancer: Ref,
        topics: Vec<String>,
        tags: Tags,
    },
    // Teardown's changes.
    /// Its targets first: EventBridge deletes no rule that has any.
    DeleteFollowerRule {
        name: String,
        target_ids: Vec<String>,
    },
    DeleteFollower {
        name: String,
    },
    /// Its inline policies first: IAM deletes no role that has any.
    DeleteFollowerRole {
        name: String,
        policies: Vec<String>,
    },
    DeleteFollowerLogGroup {
        name: String,
    },
    DeleteAlarm {
        name: String,
    },
    /// Connections still pending or available: a service with them cannot be deleted.
    /// AWS may refuse some; the executor records which, with why.
    RejectConnections {
        service_id: String,
        endpoint_ids: Vec<String>,
    },
    DeleteEndpointService {
        id: String,
        name: String,
        /// Its connections that are rejected, by this plan or shortly before it (a
        /// teardown cut off after rejecting): AWS completes a rejection asynchronously
        /// and may still count them for a moment, which is waited out.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        rejected: Vec<String>,
    },
    DeleteListener {
        arn: String,
        port: u16,
    },
    DeleteLoadBalancer {
        name: String,
        arn: String,
    },
    DeleteTargetGroup {
        name: String,
        arn: String,
    },
    /// AWS refuses while the network interfaces of the deleted load balancer still use
    /// it, which is waited out.
    DeleteSecurityGroup {
        id: String,
        name: String,
    },
}

/// The other side of a rule the plan adds: an address range, or a security group that
/// exists or that the plan makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RulePeer {
    Cidr(String),
    Group(Ref),
}

/// One step of a plan: what to do, after what, and when it counts as done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    #[serde(flatten)]
    pub action: Action,
    /// The changes (by their place in the plan) that must be complete before this starts.
    #[serde(default)]
    pub depends_on: Vec<usize>,
    pub complete_when: Completion,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubnetChoice {
    pub subnet_id: String,
    pub az_id: String,
    pub az_name: String,
}

/// Something the spec asks for that AWS cannot change in place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replacement {
    pub resource: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub changes: Vec<Change>,
    #[serde(default)]
    pub replacements: Vec<Replacement>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub add: usize,
    pub change: usize,
    pub remove: usize,
    pub replace: usize,
}

/// Whether a change adds, changes or removes something; shown as `+`, `~` or `-`.
/// A wait changes nothing and is not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Add,
    Change,
    Remove,
    Wait,
}

/// What the resource a change refers to must be: the kind the referring field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    TargetGroup,
    LoadBalancer,
    EndpointService,
    SecurityGroup,
    Role,
    Function,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::TargetGroup => "target group",
            Kind::LoadBalancer => "load balancer",
            Kind::EndpointService => "endpoint service",
            Kind::SecurityGroup => "security group",
            Kind::Role => "IAM role",
            Kind::Function => "Lambda function",
        }
    }
}

impl Action {
    pub fn effect(&self) -> Effect {
        match self {
            Action::CreateTargetGroup { .. }
            | Action::RegisterTargets { .. }
            | Action::CreateLoadBalancer { .. }
            | Action::CreateListener { .. }
            | Action::CreateEndpointService { .. }
            | Action::AcceptConnections { .. }
            | Action::CreateSecurityGroup { .. }
            | Action::AuthorizeRule { .. }
            | Action::CreateFollowerRole { .. }
            | Action::CreateFollowerLogGroup { .. }
            | Action::CreateFollower { .. }
            | Action::PutFollowerRule { .. }
            | Action::ConnectFollowerRule { .. }
            | Action::PutAlarm { .. } => Effect::Add,
            Action::DeregisterTargets { .. }
            | Action::RevokeRule { .. }
            | Action::DeleteSecurityGroup { .. }
            | Action::RejectConnections { .. }
            | Action::DeleteEndpointService { .. }
            | Action::DeleteListener { .. }
            | Action::DeleteLoadBalancer { .. }
            | Action::DeleteTargetGroup { .. }
            | Action::DeleteFollowerRule { .. }
            | Action::DeleteFollower { .. }
            | Action::DeleteFollowerRole { .. }
            | Action::DeleteFollowerLogGroup { .. }
            | Action::DeleteAlarm { .. } => Effect::Remove,
            Action::UpdateAllowedPrincipals { add, remove, .. } if add.is_empty() && !remove.is_empty() => {
                Effect::Remove
            }
            Action::UpdateAllowedPrincipals { remove, .. } if remove.is_empty() => Effect::Add,
            Action::AwaitLoadBalancer { .. } | Action::AwaitEndpointService { .. } | Action::AwaitFollower { .. } => {
                Effect::Wait
            }
            _ => Effect::Change,
        }
    }

    /// What AWS reports when this action is complete.
    pub fn completion(&self) -> Completion {
        match self {
            Action::AwaitLoadBalancer { .. } => Completion::LoadBalancerActive,
            // A modified service is `Pending` again until AWS has applied the change.
            Action::CreateEndpointService { .. }
            | Action::UpdateEndpointService { .. }
            | Action::AwaitEndpointService { .. } => Completion::ServiceAvailable,
            Action::EnableServiceZones { .. } => Completion::ServiceInZones,
            Action::DeleteLoadBalancer { .. } => Completion::Gone,
            Action::SetSubnets { from, to, .. } if from.iter().any(|s| !to.contains(s)) => Completion::SubnetsSet,
            Action::RejectConnections { .. } => Completion::ConnectionsClosed,
            Action::AwaitFollower { .. }
            | Action::UpdateFollowerCode { .. }
            | Action::UpdateFollowerSettings { .. } => Completion::FunctionReady,
            _ => Completion::Answered,
        }
    }

    /// The kind of resource this action creates, if it creates one others can refer to.
    pub fn creates(&self) -> Option<Kind> {
        match self {
            Action::CreateTargetGroup { .. } => Some(Kind::TargetGroup),
            Action::CreateLoadBalancer { .. } => Some(Kind::LoadBalancer),
            Action::CreateEndpointService { .. } => Some(Kind::EndpointService),
            Action::CreateSecurityGroup { .. } => Some(Kind::SecurityGroup),
            Action::CreateFollowerRole { .. } => Some(Kind::Role),
            Action::CreateFollower { .. } => Some(Kind::Function),
            _ => None,
        }
    }

    /// The resources this action refers to, with the kind each must be.
    pub fn refers_to(&self) -> Vec<(&Ref, Kind)> {
        match self {
            Action::RegisterTargets { target_group, .. } | Action::DeregisterTargets { target_group, .. } => {
                vec![(target_group, Kind::TargetGroup)]
            }
            Action::SetCrossZone { load_balancer, .. }
            | Action::AwaitLoadBalancer { load_balancer, .. }
            | Action::CreateEndpointService { load_balancer, .. } => vec![(load_balancer, Kind::LoadBalancer)],
            Action::CreateListener { load_balancer, target_group, .. } => {
                vec![(load_balancer, Kind::LoadBalancer), (target_group, Kind::TargetGroup)]
            }
            Action::UpdateListener { target_group, .. } => vec![(target_group, Kind::TargetGroup)],
            Action::UpdateAllowedPrincipals { service, .. } | Action::EnableServiceZones { service, .. } => {
                vec![(service, Kind::EndpointService)]
            }
            Action::CreateLoadBalancer { security_group, .. } => vec![(security_group, Kind::SecurityGroup)],
            Action::SetSecurityGroup { load_balancer, security_group, .. } => {
                vec![(load_balancer, Kind::LoadBalancer), (security_group, Kind::SecurityGroup)]
            }
            Action::RevokeDefaultEgress { security_group, .. } => vec![(security_group, Kind::SecurityGroup)],
            Action::SetFollowerPolicy { role, target_group, .. }
            | Action::CreateFollower { role, target_group, .. }
            | Action::UpdateFollowerSettings { role, target_group, .. } => {
                vec![(role, Kind::Role), (target_group, Kind::TargetGroup)]
            }
            Action::ConnectFollowerRule { function, .. } => vec![(function, Kind::Function)],
            Action::PutAlarm { target_group, load_balancer, .. } => {
                vec![(target_group, Kind::TargetGroup), (load_balancer, Kind::LoadBalancer)]
            }
            Action::AuthorizeRule { group, peer, .. } => {
                let mut refs = vec![(group, Kind::SecurityGroup)];
                if let RulePeer::Group(peer) = peer {
                    refs.push((peer, Kind::SecurityGroup));
                }
                refs
            }
            _ => Vec::new(),
        }
    }
}

impl Action {
    /// Whether this action lets consumers in other regions connect.
    pub fn adds_supported_regions(&self) -> bool {
        match self {
            Action::CreateEndpointService { supported_regions, .. } => !supported_regions.is_empty(),
            Action::UpdateEndpointService { add_supported_regions, .. } => !add_supported_regions.is_empty(),
            _ => false,
        }
    }

    /// Whether this action lets Airbyte in: it adds an allowed principal.
    pub fn lets_airbyte_in(&self) -> bool {
        matches!(self, Action::UpdateAllowedPrincipals { add, .. } if !add.is_empty())
    }

    /// Whether this action makes the load balancer's group what Airbyte's traffic meets:
    /// PrivateLink traffic let through it, or every outbound connection no longer
    /// allowed. Airbyte is let in only once each such change of a plan is complete.
    pub fn readies_the_group(&self) -> bool {
        matches!(self, Action::SetSecurityGroup { .. } | Action::RevokeDefaultEgress { .. })
    }

    /// The existing resources (by ID or ARN) this action changes, as IAM sees it: the
    /// resource whose tags a tag-scoped policy checks.
    pub fn changes_existing(&self) -> Vec<&str> {
        fn existing(r: &Ref) -> Option<&str> {
            match r {
                Ref::Existing(id) => Some(id.as_str()),
                Ref::CreatedBy(_) => None,
            }
        }
        match self {
            Action::SetSubnets { load_balancer, .. } => vec![load_balancer.as_str()],
            Action::SetHealthCheck { target_group, .. } => vec![target_group.as_str()],
            Action::SetIdleTimeout { listener, .. } => vec![listener.as_str()],
            Action::UpdateEndpointService { service, .. } => vec![service.as_str()],
            Action::RegisterTargets { target_group, .. }
            | Action::DeregisterTargets { target_group, .. }
            | Action::UpdateListener { target_group, .. } => existing(target_group).into_iter().collect(),
            Action::SetCrossZone { load_balancer, .. }
            | Action::CreateListener { load_balancer, .. }
            | Action::SetSecurityGroup { load_balancer, .. } => existing(load_balancer).into_iter().collect(),
            Action::AuthorizeRule { group, .. } => existing(group).into_iter().collect(),
            Action::RevokeDefaultEgress { security_group, .. } => existing(security_group).into_iter().collect(),
            Action::RevokeRule { group_id, .. } => vec![group_id.as_str()],
            Action::UpdateAllowedPrincipals { service, .. } | Action::EnableServiceZones { service, .. } => {
                existing(service).into_iter().collect()
            }
            _ => Vec::new(),
        }
    }
}

impl Change {
    /// A change that completes as its action does, after `depends_on`.
    pub fn new(action: Action, depends_on: Vec<usize>) -> Self {
        let complete_when = action.completion();
        Change { action, depends_on, complete_when }
    }

    pub fn effect(&self) -> Effect {
        self.action.effect()
    }
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.replacements.is_empty()
    }

    pub fn summary(&self) -> Summary {
        let mut summary = Summary { replace: self.replacements.len(), ..Summary::default() };
        for change in &self.changes {
            match change.effect() {
                Effect::Add => summary.add += 1,
                Effect::Change => summary.change += 1,
                Effect::Remove => summary.remove += 1,
                Effect::Wait => {}
            }
        }
        summary
    }

    /// How many changes the plan makes: all but the waits.
    pub fn changes_to_make(&self) -> usize {
        self.changes.iter().filter(|c| c.effect() != Effect::Wait).count()
    }

    /// Whether change `index` depends on change `earlier`, directly or through others.
    fn comes_after(&self, index: usize, earlier: usize) -> bool {
        let mut pending = vec![index];
        while let Some(current) = pending.pop() {
            let Some(change) = self.changes.get(current) else { continue };
            if change.depends_on.contains(&earlier) {
                return true;
            }
            // Dependencies point backwards (checked first), so this ends.
            pending.extend(change.depends_on.iter().filter(|d| **d < current));
        }
        false
    }

    /// Appends a change and returns its place in the plan.
    pub fn push(&mut self, action: Action, depends_on: Vec<usize>) -> usize {
        self.changes.push(Change::new(action, depends_on));
        self.changes.len() - 1
    }

    /// Adds to `resource` (`id`) the tags of `desired` that `actual` lacks or holds
    /// otherwise, if any.
    pub fn push_missing_tags(&mut self, resource: &str, id: &str, desired: &Tags, actual: &Tags) {
        let missing = crate::engine::deployment::tags::missing(desired, actual);
        if !missing.is_empty() {
            self.push(Action::TagResource { resource: resource.into(), id: id.into(), tags: missing }, Vec::new());
        }
    }

    /// Whether the plan holds together: each change depends only on changes before it,
    /// and refers only to resources that a change it depends on creates, of the kind it
    /// needs; and nothing lets Airbyte in before the load balancer's group is ready
    /// (PrivateLink traffic let through, AWS's allow-all outbound rule gone). A plan from the planner always does; one read from a file is checked before
    /// it runs, so the executor never meets a reference it cannot resolve.
    pub fn check(&self) -> Result<(), String> {
        for (index, change) in self.changes.iter().enumerate() {
            if let Some(later) = change.depends_on.iter().find(|d| **d >= index) {
                return Err(format!("change {index} depends on change {later}, which does not come before it"));
            }
            if ![Completion::Answered, change.action.completion()].contains(&change.complete_when) {
                return Err(format!("change {index} cannot wait until {:?}", change.complete_when));
            }
            for (reference, kind) in change.action.refers_to() {
                let Some(creator) = reference.creator() else { continue };
                let creates = self.changes.get(creator).and_then(|c| c.action.creates());
                if creates != Some(kind) {
                    return Err(format!(
                        "change {index} refers to the {} change {creator} creates, but change {creator} creates no {}",
                        kind.noun(),
                        kind.noun()
                    ));
                }
                if !self.comes_after(index, creator) {
                    return Err(format!(
                        "change {index} refers to what change {creator} creates without depending on it"
                    ));
                }
            }
            if change.action.lets_airbyte_in() {
                let readying = self.changes.iter().enumerate().filter(|(_, c)| c.action.readies_the_group());
                if let Some((before, _)) = readying.into_iter().find(|(before, _)| !self.comes_after(index, *before)) {
                    return Err(format!(
                        "change {index} lets Airbyte in before change {before} has made the load balancer's group ready"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The changes that create the resources `refs` name: what a change on them waits for.
pub fn creators(refs: &[&Ref]) -> Vec<usize> {
    let mut creators: Vec<usize> = refs.iter().filter_map(|r| r.creator()).collect();
    creators.sort();
    creators.dedup();
    creators
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::deployment::observe::Observed;
    use crate::engine::plan::planner::plan;
    use crate::testing::fixtures::desired;

    #[test]
    fn a_plan_reads_back_as_it_was_written() {
        let plan = plan(&desired(), &Observed::default());
        let json = serde_json::to_string_pretty(&plan).unwrap();
        assert_eq!(serde_json::from_str::<Plan>(&json).unwrap(), plan);
        assert!(json.contains(r#""created_by": 3"#), "{json}");
        assert!(json.contains(r#""complete_when": "load_balancer_active""#), "{json}");
    }

    #[test]
    fn a_plan_that_does_not_hold_together_is_refused() {
        let mut forward = plan(&desired(), &Observed::default());
        forward.changes[1].depends_on = vec![3];
        assert!(forward.check().unwrap_err().contains("does not come before it"));
        let mut unordered = plan(&desired(), &Observed::default());
        unordered.changes[7].depends_on.clear();
        assert!(unordered.check().unwrap_err().contains("without depending on it"));
        let mut wrong_kind = plan(&desired(), &Observed::default());
        wrong_kind.changes[7].action =
            Action::UpdateAllowedPrincipals { service: Ref::CreatedBy(2), add: vec![], remove: vec![] };
        wrong_kind.changes[7].depends_on = vec![2];
        assert!(wrong_kind.check().unwrap_err().contains("change 2 creates no endpoint service"));
    }

    #[test]
    fn a_plan_that_lets_airbyte_in_before_the_group_is_ready_is_refused() {
        let planned = plan(&desired(), &Observed::default());
        let at = |pick: fn(&Action) -> bool| planned.changes.iter().position(|c| pick(&c.action)).unwrap();
        let principals = at(Action::lets_airbyte_in);
        let service = at(|a| matches!(a, Action::CreateEndpointService { .. }));
        for readying in [
            at(|a| matches!(a, Action::SetSecurityGroup { .. })),
            at(|a| matches!(a, Action::RevokeDefaultEgress { .. })),
        ] {
            let mut early = planned.clone();
            early.changes[principals].depends_on.retain(|d| *d != readying);
            let why = early.check().unwrap_err();
            assert!(why.contains(&format!("change {principals} lets Airbyte in before change {readying}")), "{why}");
        }
        // Waiting through another change counts: the service after the group's setting.
        let mut through = planned.clone();
        let set = at(|a| matches!(a, Action::SetSecurityGroup { .. }));
        through.changes[principals].depends_on.retain(|d| *d != set);
        through.changes[service].depends_on.push(set);
        assert_eq!(through.check(), Ok(()));
    }
}
