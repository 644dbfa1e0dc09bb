//! The difference between what a deployment should be and what exists, as a list of
//! changes. The same plan is printed by `plan`, `setup --dry-run` and `setup`, and is
//! what `setup` executes.

use std::collections::BTreeSet;

use serde::Serialize;

use super::desired::Desired;
use super::observe::Observed;
use super::tags;
use crate::aws::{Tags, TargetRef, TargetType};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Change {
    CreateTargetGroup {
        name: String,
        port: u16,
        target_type: TargetType,
        vpc_id: String,
    },
    RegisterTargets {
        targets: Vec<TargetRef>,
    },
    DeregisterTargets {
        targets: Vec<TargetRef>,
    },
    CreateLoadBalancer {
        name: String,
        subnets: Vec<SubnetChoice>,
    },
    SetSubnets {
        from: Vec<String>,
        to: Vec<String>,
    },
    SetCrossZone {
        enabled: bool,
    },
    CreateListener {
        port: u16,
    },
    UpdateListener {
        from_port: u16,
        port: u16,
    },
    CreateEndpointService {
        acceptance_required: bool,
        supported_regions: Vec<String>,
    },
    UpdateEndpointService {
        acceptance_required: Option<bool>,
        add_supported_regions: Vec<String>,
        remove_supported_regions: Vec<String>,
    },
    UpdateAllowedPrincipals {
        add: Vec<String>,
        remove: Vec<String>,
    },
    AuthorizeIngress {
        group_id: String,
        port: u16,
        cidr: String,
        subnet_id: String,
    },
    RevokeIngress {
        group_id: String,
        rule_id: String,
        cidr: Option<String>,
    },
    TagResource {
        resource: String,
        id: String,
        tags: Tags,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubnetChoice {
    pub subnet_id: String,
    pub az_id: String,
    pub az_name: String,
}

/// Something the spec asks for that AWS cannot change in place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replacement {
    pub resource: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    pub changes: Vec<Change>,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Add,
    Change,
    Remove,
}

impl Change {
    pub fn effect(&self) -> Effect {
        match self {
            Change::CreateTargetGroup { .. }
            | Change::RegisterTargets { .. }
            | Change::CreateLoadBalancer { .. }
            | Change::CreateListener { .. }
            | Change::CreateEndpointService { .. }
            | Change::AuthorizeIngress { .. } => Effect::Add,
            Change::DeregisterTargets { .. } | Change::RevokeIngress { .. } => Effect::Remove,
            Change::UpdateAllowedPrincipals { add, remove } if add.is_empty() && !remove.is_empty() => Effect::Remove,
            Change::UpdateAllowedPrincipals { remove, .. } if remove.is_empty() => Effect::Add,
            _ => Effect::Change,
        }
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
            }
        }
        summary
    }
}

pub fn plan(desired: &Desired, observed: &Observed) -> Plan {
    let mut plan = Plan::default();
    plan_target_group(desired, observed, &mut plan);
    plan_load_balancer(desired, observed, &mut plan);
    plan_listener(desired, observed, &mut plan);
    plan_endpoint_service(desired, observed, &mut plan);
    plan_ingress(desired, observed, &mut plan);
    plan
}

fn plan_target_group(desired: &Desired, observed: &Observed, plan: &mut Plan) {
    let registered: BTreeSet<&TargetRef> = observed.targets.iter().map(|t| &t.target).collect();
    match &observed.target_group {
        None => plan.changes.push(Change::CreateTargetGroup {
            name: desired.name.clone(),
            port: desired.port,
            target_type: desired.target_type,
            vpc_id: desired.vpc_id.clone(),
        }),
        Some(tg) => {
            let mut replace = |reason: String| {
                plan.replacements.push(Replacement { resource: format!("target group {}", tg.name), reason })
            };
            if tg.vpc_id != desired.vpc_id {
                replace(format!("its VPC cannot change ({} → {})", tg.vpc_id, desired.vpc_id));
            }
            if tg.target_type != desired.target_type.as_str() {
                replace(format!(
                    "its target type cannot change ({} → {})",
                    tg.target_type,
                    desired.target_type.as_str()
                ));
            }
            if tg.port != desired.port {
                replace(format!("its port is fixed when it is created ({} → {})", tg.port, desired.port));
            }
            push_tags(plan, "target group", &tg.arn, &desired.tags, &observed.target_group_tags);
        }
    }
    let wanted: BTreeSet<&TargetRef> = desired.targets.iter().collect();
    let add: Vec<TargetRef> = wanted.difference(&registered).map(|t| (*t).clone()).collect();
    let remove: Vec<TargetRef> = registered.difference(&wanted).map(|t| (*t).clone()).collect();
    if !add.is_empty() {
        plan.changes.push(Change::RegisterTargets { targets: add });
    }
    if !remove.is_empty() {
        plan.changes.push(Change::DeregisterTargets { targets: remove });
    }
}

fn plan_load_balancer(desired: &Desired, observed: &Observed, plan: &mut Plan) {
    let wanted_subnets = desired.subnet_ids();
    match &observed.load_balancer {
        None => {
            plan.changes.push(Change::CreateLoadBalancer {
                name: desired.name.clone(),
                subnets: desired
                    .subnets
                    .iter()
                    .map(|s| SubnetChoice {
                        subnet_id: s.id.clone(),
                        az_id: s.az_id.clone(),
                        az_name: s.az_name.clone(),
                    })
                    .collect(),
            });
            // A new network load balancer starts with cross-zone load balancing off.
            if desired.cross_zone {
                plan.changes.push(Change::SetCrossZone { enabled: true });
            }
        }
        Some(lb) => {
            if lb.scheme != "internal" || lb.kind != "network" {
                plan.replacements.push(Replacement {
                    resource: format!("load balancer {}", lb.name),
                    reason: format!(
                        "it is an {} {} load balancer; PrivateLink needs an internal network load balancer",
                        lb.scheme, lb.kind
                    ),
                });
            }
            if lb.vpc_id != desired.vpc_id {
                plan.replacements.push(Replacement {
                    resource: format!("load balancer {}", lb.name),
                    reason: format!("its VPC cannot change ({} → {})", lb.vpc_id, desired.vpc_id),
                });
            }
            let mut current = lb.subnet_ids.clone();
            current.sort();
            let mut wanted = wanted_subnets.clone();
            wanted.sort();
            if current != wanted && lb.vpc_id == desired.vpc_id {
                plan.changes.push(Change::SetSubnets { from: current, to: wanted_subnets });
            }
            if observed.cross_zone != desired.cross_zone {
                plan.changes.push(Change::SetCrossZone { enabled: desired.cross_zone });
            }
            push_tags(plan, "load balancer", &lb.arn, &desired.tags, &observed.load_balancer_tags);
        }
    }
}

fn plan_listener(desired: &Desired, observed: &Observed, plan: &mut Plan) {
    match observed.listener() {
        None => plan.changes.push(Change::CreateListener { port: desired.port }),
        Some(listener) => {
            let forwards_to_ours =
                observed.target_group.as_ref().is_some_and(|tg| listener.forward_to.as_deref() == Some(&tg.arn));
            if listener.port != desired.port || !forwards_to_ours || listener.protocol != "TCP" {
                plan.changes.push(Change::UpdateListener { from_port: listener.port, port: desired.port });
            }
        }
    }
}

fn plan_endpoint_service(desired: &Desired, observed: &Observed, plan: &mut Plan) {
    for stray in &observed.stray_services {
        plan.replacements.push(Replacement {
            resource: format!("endpoint service {}", stray.id),
            reason: format!(
                "it is tagged for deployment {} but is not on its load balancer ({}); delete it in the VPC console (Endpoint services) before re-running",
                desired.name,
                stray.load_balancer_arns.join(", ")
            ),
        });
    }
    let wanted_principals: BTreeSet<&String> = desired.principals.iter().collect();
    let Some(service) = &observed.service else {
        plan.changes.push(Change::CreateEndpointService {
            acceptance_required: desired.acceptance_required,
            supported_regions: desired.supported_regions.clone(),
        });
        plan.changes.push(Change::UpdateAllowedPrincipals { add: desired.principals.clone(), remove: Vec::new() });
        return;
    };
    // AWS lists the service's own region among its supported regions.
    let current_regions: BTreeSet<&String> =
        service.supported_regions.iter().filter(|r| **r != desired.region).collect();
    let wanted_regions: BTreeSet<&String> = desired.supported_regions.iter().collect();
    let add_regions: Vec<String> = wanted_regions.difference(&current_regions).map(|r| (*r).clone()).collect();
    let remove_regions: Vec<String> = current_regions.difference(&wanted_regions).map(|r| (*r).clone()).collect();
    let acceptance =
        (service.acceptance_required != desired.acceptance_required).then_some(desired.acceptance_required);
    if acceptance.is_some() || !add_regions.is_empty() || !remove_regions.is_empty() {
        plan.changes.push(Change::UpdateEndpointService {
            acceptance_required: acceptance,
            add_supported_regions: add_regions,
            remove_supported_regions: remove_regions,
        });
    }
    let current: BTreeSet<&String> = observed.principals.iter().collect();
    let add: Vec<String> = wanted_principals.difference(&current).map(|p| (*p).clone()).collect();
    let remove: Vec<String> = current.difference(&wanted_principals).map(|p| (*p).clone()).collect();
    if !add.is_empty() || !remove.is_empty() {
        plan.changes.push(Change::UpdateAllowedPrincipals { add, remove });
    }
    push_tags(plan, "endpoint service", &service.id, &desired.tags, &service.tags);
}

fn plan_ingress(desired: &Desired, observed: &Observed, plan: &mut Plan) {
    let port = i32::from(desired.port);
    let matches = |rule: &crate::aws::IngressRule, group: &str, cidr: &str| {
        rule.group_id == group
            && rule.protocol == "tcp"
            && rule.from_port == port
            && rule.to_port == port
            && rule.cidr.as_deref() == Some(cidr)
    };
    if let Some(ingress) = &desired.ingress {
        for (cidr, subnet_id) in &ingress.sources {
            let allowed =
                observed.ingress_rules.iter().chain(&observed.group_rules).any(|r| matches(r, &ingress.group_id, cidr));
            if !allowed {
                plan.changes.push(Change::AuthorizeIngress {
                    group_id: ingress.group_id.clone(),
                    port: ingress.port,
                    cidr: cidr.clone(),
                    subnet_id: subnet_id.clone(),
                });
            }
        }
    }
    for rule in &observed.ingress_rules {
        let still_wanted = desired
            .ingress
            .as_ref()
            .is_some_and(|i| i.sources.iter().any(|(cidr, _)| matches(rule, &i.group_id, cidr)));
        if !still_wanted {
            plan.changes.push(Change::RevokeIngress {
                group_id: rule.group_id.clone(),
                rule_id: rule.id.clone(),
                cidr: rule.cidr.clone(),
            });
        }
    }
}

fn push_tags(plan: &mut Plan, resource: &str, id: &str, desired: &Tags, actual: &Tags) {
    let missing = tags::missing(desired, actual);
    if !missing.is_empty() {
        plan.changes.push(Change::TagResource { resource: resource.into(), id: id.into(), tags: missing });
    }
}
