//! Setup's planner: the difference between what a deployment should be and what exists,
//! as a [`Plan`] whose changes name their resources, what they build on and when they
//! are complete. Sync-targets plans its registrations with [`sync_targets`] too.

use std::collections::BTreeSet;

use crate::aws::{DEFAULT_IDLE_TIMEOUT, EndpointService, GroupRule, LoadBalancer, Peer, RegionState, TargetRef};
use crate::engine::deployment::desired::Desired;
use crate::engine::deployment::observe::Observed;
use crate::engine::deployment::tags;
use crate::engine::plan::{Action, Plan, Ref, Replacement, RulePeer, SubnetChoice, creators, databases, follower};

pub fn plan(desired: &Desired, observed: &Observed) -> Plan {
    let mut plan = Plan::default();
    let security_group = plan_security_group(desired, observed, &mut plan);
    let groups = databases::plan_target_groups(desired, observed, &mut plan);
    let load_balancer = plan_load_balancer(desired, observed, &security_group, &mut plan);
    let listeners = databases::plan_listeners(desired, observed, &load_balancer, &groups, &mut plan);
    databases::plan_removed(desired, observed, &mut plan);
    // AWS takes no custom idle timeout on a load balancer whose service takes other
    // regions: one goes back to AWS's before a region is added, and a custom one is set
    // once the regions are removed.
    let resets: Vec<usize> = listeners
        .iter()
        .filter_map(|(l, port)| plan_idle_timeout(desired, observed, l, *port, &mut plan, IdleTimeout::Default))
        .collect();
    let before_regions = plan.changes.len();
    plan_endpoint_service(desired, observed, &load_balancer, &mut plan);
    for change in plan.changes.iter_mut().skip(before_regions).filter(|c| c.action.adds_supported_regions()) {
        change.depends_on.extend(resets.iter().copied());
    }
    for (listener, port) in &listeners {
        plan_idle_timeout(desired, observed, listener, *port, &mut plan, IdleTimeout::Custom);
    }
    plan_database_rule(desired, observed, &security_group, &mut plan);
    follower::plan_follower(desired.follower.as_ref(), &observed.follower, &groups.own, &load_balancer, &mut plan);
    after_ownership_repairs(&mut plan);
    plan
}

/// A policy scoped by the `managed-by` tag (`iam-policy`) denies every change to a
/// resource that has lost it, but for putting it back: changes to such a resource wait
/// for its repair, which each planner pushes before them.
fn after_ownership_repairs(plan: &mut Plan) {
    let repairs: Vec<(usize, String)> = plan
        .changes
        .iter()
        .enumerate()
        .filter_map(|(index, change)| match &change.action {
            Action::TagResource { id, tags, .. } if tags.contains_key(tags::MANAGED_BY) => Some((index, id.clone())),
            _ => None,
        })
        .collect();
    for (repair, id) in repairs {
        for change in plan.changes.iter_mut().skip(repair + 1) {
            if change.action.changes_existing().contains(&id.as_str()) && !change.depends_on.contains(&repair) {
                change.depends_on.push(repair);
            }
        }
    }
}

/// Plans the load balancer's own security group and its rules: none inbound, outbound
/// only TCP on the port to where the database is; returns the group.
fn plan_security_group(desired: &Desired, observed: &Observed, plan: &mut Plan) -> Ref {
    let wanted = &desired.security_group;
    let (group, rules): (Ref, &[GroupRule]) = match &observed.security_group {
        None => {
            let action = Action::CreateSecurityGroup {
                name: wanted.name.clone(),
                vpc_id: desired.vpc_id.clone(),
                description: wanted.description.clone(),
                tags: desired.tags.clone(),
            };
            let created = plan.push(action, Vec::new());
            let group = Ref::CreatedBy(created);
            // Beside the load balancer, not before it: it is Airbyte's traffic that must
            // find the group closed, and Airbyte is let in last.
            let close = Action::RevokeDefaultEgress { security_group: group.clone(), name: wanted.name.clone() };
            plan.push(close, vec![created]);
            (group, &[])
        }
        Some(group) => {
            plan.push_missing_tags("security group", &group.id, &desired.tags, &group.tags);
            (Ref::Existing(group.id.clone()), &observed.security_group_rules)
        }
    };
    let after_group = creators(&[&group]);
    let egress = desired.egress();
    for (port, peer) in egress.iter().copied() {
        if !rules.iter().any(|r| r.egress && r.is_tcp(port, peer)) {
            let action = Action::AuthorizeRule {
                group: group.clone(),
                egress: true,
                port,
                peer: match peer {
                    Peer::Cidr(cidr) => RulePeer::Cidr(cidr.clone()),
                    Peer::Group(id) => RulePeer::Group(Ref::Existing(id.clone())),
                },
                description: format!("airbyte-plink {}: to the database", desired.name),
                tags: desired.tags.clone(),
            };
            plan.push(action, after_group.clone());
        }
    }
    // Anything else goes: an inbound rule would let the VPC reach the database through
    // the load balancer, and an outbound one lets it reach more than the database.
    let stray = rules.iter().filter(|r| !r.egress || !egress.iter().any(|(port, peer)| r.is_tcp(*port, peer)));
    for rule in stray {
        plan.push(revoke(rule), Vec::new());
    }
    group
}

/// Revokes a rule.
pub fn revoke(rule: &GroupRule) -> Action {
    Action::RevokeRule {
        group_id: rule.group_id.clone(),
        egress: rule.egress,
        rule_id: rule.id.clone(),
        peer: describe_rule(rule),
    }
}

/// A rule as the plan names it: `tcp 5432 from security group sg-…`.
fn describe_rule(rule: &GroupRule) -> String {
    let ports = if rule.protocol == "-1" {
        "all traffic".to_string()
    } else if rule.from_port == rule.to_port {
        format!("{} {}", rule.protocol, rule.from_port)
    } else {
        format!("{} {}-{}", rule.protocol, rule.from_port, rule.to_port)
    };
    let peer = rule.peer.as_ref().map_or("-".to_string(), Peer::to_string);
    format!("{ports} {} {peer}", if rule.egress { "to" } else { "from" })
}

/// What `sync-targets` changes: the targets, and the load balancer's group along with an
/// address outside the VPC, which its outbound rules name one by one (inside the VPC they
/// name the database's group or the VPC). A new address is let out to before it is
/// registered, and an old one shut off once it is deregistered.
pub fn follow_targets(plan: &mut Plan, observed: &Observed, add: Vec<TargetRef>, remove: Vec<TargetRef>) {
    let (Some(tg), Some(group)) = (&observed.target_group, &observed.security_group) else {
        if let Some(tg) = &observed.target_group {
            databases::sync_targets(plan, &Ref::Existing(tg.arn.clone()), add, remove);
        }
        return;
    };
    let outside = |t: &&TargetRef| t.availability_zone.as_deref() == Some("all");
    let peer = |t: &TargetRef| Peer::Cidr(format!("{}/32", t.id));
    let egress_to = |peer: &Peer| {
        observed.security_group_rules.iter().filter(move |r| r.egress && r.is_tcp(tg.port, peer)).collect::<Vec<_>>()
    };
    let mut let_out = Vec::new();
    for target in add.iter().filter(outside) {
        let peer = peer(target);
        if egress_to(&peer).is_empty() {
            let action = Action::AuthorizeRule {
                group: Ref::Existing(group.id.clone()),
                egress: true,
                port: tg.port,
                peer: RulePeer::Cidr(peer.to_string()),
                description: format!("airbyte-plink {}: to the database", observed.name),
                tags: group.tags.clone(),
            };
            let_out.push(plan.push(action, Vec::new()));
        }
    }
    let shut_off: Vec<Action> = remove.iter().filter(outside).flat_map(|t| egress_to(&peer(t))).map(revoke).collect();
    let target_group = Ref::Existing(tg.arn.clone());
    let (registered, deregistered) = (!add.is_empty(), !remove.is_empty());
    if registered {
        plan.push(Action::RegisterTargets { target_group: target_group.clone(), targets: add }, let_out);
    }
    if deregistered {
        let after: Vec<usize> = registered.then(|| plan.changes.len() - 1).into_iter().collect();
        plan.push(Action::DeregisterTargets { target_group, targets: remove }, after);
    }
    let after: Vec<usize> = deregistered.then(|| plan.changes.len() - 1).into_iter().collect();
    for action in shut_off {
        plan.push(action, after.clone());
    }
}

/// Plans the load balancer and its settings; returns the load balancer.
fn plan_load_balancer(desired: &Desired, observed: &Observed, security_group: &Ref, plan: &mut Plan) -> Ref {
    let wanted_subnets = desired.subnet_ids();
    let Some(lb) = &observed.load_balancer else {
        let subnets = desired
            .subnets
            .iter()
            .map(|s| SubnetChoice { subnet_id: s.id.clone(), az_id: s.az_id.clone(), az_name: s.az_name.clone() })
            .collect();
        let action = Action::CreateLoadBalancer {
            name: desired.name.clone(),
            subnets,
            security_group: security_group.clone(),
            tags: desired.tags.clone(),
        };
        let load_balancer = Ref::CreatedBy(plan.push(action, creators(&[security_group])));
        // AWS filters PrivateLink traffic by the group's inbound rules until told not to.
        let action = Action::SetSecurityGroup {
            load_balancer: load_balancer.clone(),
            name: desired.name.clone(),
            security_group: security_group.clone(),
        };
        plan.push(action, creators(&[&load_balancer, security_group]));
        // A new network load balancer starts with cross-zone load balancing off.
        if desired.cross_zone {
            let action = Action::SetCrossZone { load_balancer: load_balancer.clone(), enabled: true };
            plan.push(action, creators(&[&load_balancer]));
        }
        return load_balancer;
    };
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
    plan.push_missing_tags("load balancer", &lb.arn, &desired.tags, &observed.load_balancer_tags);
    let own_group = observed.security_group.as_ref().map(|g| g.id.as_str());
    if lb.security_groups.is_empty() {
        plan.replacements.push(Replacement {
            resource: format!("load balancer {}", lb.name),
            reason: "it has no security group, and AWS gives a network load balancer one only when it is created; \
                     without one the database must let in whole subnets, and anything in them can reach it"
                .to_string(),
        });
    } else if lb.security_groups.iter().map(String::as_str).ne(own_group) || lb.enforces_inbound_rules_on_privatelink()
    {
        let action = Action::SetSecurityGroup {
            load_balancer: Ref::Existing(lb.arn.clone()),
            name: lb.name.clone(),
            security_group: security_group.clone(),
        };
        plan.push(action, creators(&[security_group]));
    }
    let mut current = lb.subnet_ids.clone();
    current.sort();
    let mut wanted = wanted_subnets.clone();
    wanted.sort();
    let removed: Vec<&String> = current.iter().filter(|s| !wanted.contains(s)).collect();
    if !removed.is_empty() && observed.service.is_some() {
        let removed: Vec<&str> = removed.iter().map(|s| s.as_str()).collect();
        plan.replacements.push(Replacement {
            resource: format!("load balancer {}", lb.name),
            reason: format!(
                "AWS does not remove subnets from a load balancer with an endpoint service; keep {} in --subnets (subnets can only be added)",
                removed.join(", ")
            ),
        });
    } else if current != wanted && lb.vpc_id == desired.vpc_id {
        plan_subnet_change(desired, lb, current, wanted_subnets, plan);
    }
    let load_balancer = Ref::Existing(lb.arn.clone());
    if observed.cross_zone != desired.cross_zone {
        plan.push(
            Action::SetCrossZone { load_balancer: load_balancer.clone(), enabled: desired.cross_zone },
            Vec::new(),
        );
    }
    load_balancer
}

/// Sets the load balancer's subnets. AWS takes a subnet replaced within its zone in two
/// steps (NLB guide, "Availability Zones"): the old one removed, and once that is done,
/// the new one added.
fn plan_subnet_change(
    desired: &Desired,
    lb: &LoadBalancer,
    current: Vec<String>,
    wanted: Vec<String>,
    plan: &mut Plan,
) {
    let zone_of_wanted = |id: &String| desired.subnets.iter().find(|s| &s.id == id).map(|s| s.az_name.as_str());
    let removed_zones: Vec<&str> = current
        .iter()
        .filter(|s| !wanted.contains(s))
        .filter_map(|s| lb.subnet_zones.get(s).map(String::as_str))
        .collect();
    let (swapped_in, first): (Vec<String>, Vec<String>) = wanted
        .iter()
        .cloned()
        .partition(|s| !current.contains(s) && zone_of_wanted(s).is_some_and(|zone| removed_zones.contains(&zone)));
    let set = |from: Vec<String>, to: Vec<String>| Action::SetSubnets {
        load_balancer: lb.arn.clone(),
        name: lb.name.clone(),
        from,
        to,
    };
    if swapped_in.is_empty() {
        plan.push(set(current, wanted), Vec::new());
    } else if first.is_empty() {
        plan.replacements.push(Replacement {
            resource: format!("load balancer {}", lb.name),
            reason: format!(
                "AWS replaces a subnet within its zone by removing the old one first, and its only subnets would all \
                 go; keep one of {} in --subnets for this change, then run setup again without it",
                current.join(", ")
            ),
        });
    } else {
        let removal = plan.push(set(current, first.clone()), Vec::new());
        plan.push(set(first, wanted), vec![removal]);
    }
}

/// Which idle timeouts [`plan_idle_timeout`] plans.
#[derive(Clone, Copy, PartialEq, Eq)]
enum IdleTimeout {
    /// Back to AWS's, before the service's regions change.
    Default,
    /// Any other, after.
    Custom,
}

/// Sets an existing listener's idle timeout to the spec's, when it differs and is of
/// kind `kind`; returns the change. A new listener gets it as it is created.
fn plan_idle_timeout(
    desired: &Desired,
    observed: &Observed,
    listener: &crate::aws::Listener,
    port: u16,
    plan: &mut Plan,
    kind: IdleTimeout,
) -> Option<usize> {
    let from = observed.idle_timeouts.get(&listener.arn).copied().unwrap_or(DEFAULT_IDLE_TIMEOUT);
    let to = desired.idle_timeout;
    let wanted = if to == DEFAULT_IDLE_TIMEOUT { IdleTimeout::Default } else { IdleTimeout::Custom };
    if from == to || wanted != kind {
        return None;
    }
    // After the listener is made TCP again, and the service's regions removed.
    let after: Vec<usize> = plan
        .changes
        .iter()
        .enumerate()
        .filter(|(_, c)| match &c.action {
            Action::UpdateListener { listener: arn, .. } => *arn == listener.arn,
            Action::UpdateEndpointService { remove_supported_regions, .. } => !remove_supported_regions.is_empty(),
            _ => false,
        })
        .map(|(index, _)| index)
        .collect();
    let action = Action::SetIdleTimeout { listener: listener.arn.clone(), port, from, to };
    Some(plan.push(action, after))
}

fn plan_endpoint_service(desired: &Desired, observed: &Observed, load_balancer: &Ref, plan: &mut Plan) {
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
        // The service is built on the load balancer as it will be: after a change of its
        // subnets (a setup cut off before its service, then run with other subnets), and
        // once it is active, which a new one, or one a setup that was cut off left
        // provisioning, is not yet.
        let mut after = creators(&[load_balancer]);
        after.extend(plan.changes.iter().rposition(|c| matches!(c.action, Action::SetSubnets { .. })));
        let provisioning = match load_balancer {
            Ref::CreatedBy(_) => true,
            Ref::Existing(_) => observed.load_balancer.as_ref().is_some_and(|lb| lb.state != "active"),
        };
        if provisioning {
            let action = Action::AwaitLoadBalancer { load_balancer: load_balancer.clone(), name: desired.name.clone() };
            after = vec![plan.push(action, after)];
        }
        let action = Action::CreateEndpointService {
            load_balancer: load_balancer.clone(),
            acceptance_required: desired.acceptance_required,
            supported_regions: desired.supported_regions.clone(),
            tags: desired.service_tags.clone(),
        };
        let created = plan.push(action, after);
        // On a load balancer of an earlier run, which may have gained a zone since it was
        // made (in this plan, or in a run cut off before the service), the service may
        // come without it while AWS readies it. Asking costs a look when it has them all.
        if observed.load_balancer.is_some() {
            let zones = desired.subnets.iter().map(|s| s.az_id.clone()).collect();
            plan.push(Action::EnableServiceZones { service: Ref::CreatedBy(created), zones }, vec![created]);
        }
        let action = Action::UpdateAllowedPrincipals {
            service: Ref::CreatedBy(created),
            add: desired.principals.clone(),
            remove: Vec::new(),
        };
        let after = [created].into_iter().chain(group_readied(plan, observed)).collect();
        plan.push(action, after);
        return;
    };
    plan.push_missing_tags("endpoint service", &service.id, &desired.service_tags, &service.tags);
    let regions = RegionChanges::of(desired, service);
    let acceptance =
        (service.acceptance_required != desired.acceptance_required).then_some(desired.acceptance_required);
    let first = if acceptance.is_some() || !regions.add.is_empty() || !regions.remove.is_empty() {
        let action = Action::UpdateEndpointService {
            service: service.id.clone(),
            acceptance_required: acceptance,
            add_supported_regions: regions.add,
            remove_supported_regions: regions.remove,
        };
        Some(plan.push(action, Vec::new()))
    } else if !service.is_settled() || !regions.add_once_removed.is_empty() {
        // Handed over only once AWS reports it Available with its regions settled; and a
        // region is added again only once AWS has finished removing it.
        Some(plan.push(Action::AwaitEndpointService { service: service.id.clone() }, Vec::new()))
    } else {
        None
    };
    if !regions.add_once_removed.is_empty() {
        let action = Action::UpdateEndpointService {
            service: service.id.clone(),
            acceptance_required: None,
            add_supported_regions: regions.add_once_removed,
            remove_supported_regions: Vec::new(),
        };
        plan.push(action, first.into_iter().collect());
    }
    // AWS lists a service in at least one zone; none listed says nothing of the zones.
    let missing: Vec<String> = desired
        .subnets
        .iter()
        .map(|s| s.az_id.clone())
        .filter(|zone| !service.availability_zone_ids.is_empty() && !service.availability_zone_ids.contains(zone))
        .collect();
    if !missing.is_empty() {
        // Once the load balancer has the zones, and the service has taken its other changes.
        let mut after: Vec<usize> = first.into_iter().collect();
        after.extend(plan.changes.iter().enumerate().filter_map(|(index, c)| match &c.action {
            Action::SetSubnets { .. } | Action::UpdateEndpointService { .. } => Some(index),
            _ => None,
        }));
        after.sort_unstable();
        after.dedup();
        plan.push(Action::EnableServiceZones { service: Ref::Existing(service.id.clone()), zones: missing }, after);
    }
    let current: BTreeSet<&String> = observed.principals.iter().collect();
    let add: Vec<String> = wanted_principals.difference(&current).map(|p| (*p).clone()).collect();
    let remove: Vec<String> = current.difference(&wanted_principals).map(|p| (*p).clone()).collect();
    if !add.is_empty() || !remove.is_empty() {
        let after = if add.is_empty() { Vec::new() } else { group_readied(plan, observed) };
        plan.push(Action::UpdateAllowedPrincipals { service: Ref::Existing(service.id.clone()), add, remove }, after);
    }
}

/// The changes Airbyte is let in after: those that make the load balancer's group what
/// Airbyte's traffic meets (PrivateLink traffic let through, AWS's allow-all outbound
/// rule gone, any other stray rule of the group revoked). The endpoint service need not
/// wait for them; its principals do.
fn group_readied(plan: &Plan, observed: &Observed) -> Vec<usize> {
    let own = observed.security_group.as_ref().map(|g| g.id.as_str());
    let readies = |action: &Action| match action {
        Action::RevokeRule { group_id, .. } => Some(group_id.as_str()) == own,
        action => action.readies_the_group(),
    };
    plan.changes.iter().enumerate().filter(|(_, c)| readies(&c.action)).map(|(i, _)| i).collect()
}

/// How the supported regions AWS lists must change, by their states: Pending or
/// Available counts as present and Deleting or Deleted as absent, neither changed again;
/// a wanted region AWS could not add (Failed) or has closed is removed and added again.
struct RegionChanges {
    add: Vec<String>,
    remove: Vec<String>,
    /// Wanted regions AWS is removing, or that this plan removes first: added once gone.
    add_once_removed: Vec<String>,
}

impl RegionChanges {
    fn of(desired: &Desired, service: &EndpointService) -> RegionChanges {
        let mut changes = RegionChanges { add: Vec::new(), remove: Vec::new(), add_once_removed: Vec::new() };
        for region in &desired.supported_regions {
            match service.region_state(region) {
                None | Some(RegionState::Deleted) => changes.add.push(region.clone()),
                Some(RegionState::Pending | RegionState::Available) => {}
                Some(RegionState::Deleting) => changes.add_once_removed.push(region.clone()),
                Some(RegionState::Unusable) => {
                    changes.remove.push(region.clone());
                    changes.add_once_removed.push(region.clone());
                }
            }
        }
        // AWS lists the service's own region too, and it cannot be removed.
        let unwanted = service
            .supported_regions
            .iter()
            .filter(|r| r.region != desired.region && !desired.supported_regions.contains(&r.region));
        for listed in unwanted {
            let state = RegionState::of(&listed.state);
            if state.is_present() || state == RegionState::Unusable {
                changes.remove.push(listed.region.clone());
            }
        }
        changes
    }
}

/// The database's group lets the load balancer's in on the port, with one rule this
/// deployment owns; its other rules elsewhere go.
fn plan_database_rule(desired: &Desired, observed: &Observed, security_group: &Ref, plan: &mut Plan) {
    let own = observed.security_group.as_ref().map(|g| Peer::Group(g.id.clone()));
    let lets_in = |rule: &GroupRule, group: &str, port: u16| {
        rule.group_id == group && !rule.egress && own.as_ref().is_some_and(|peer| rule.is_tcp(port, peer))
    };
    let mut groups = desired.database_groups();
    groups.sort();
    groups.dedup();
    for (group, port) in groups.iter().copied() {
        // Someone's own rule may already let the load balancer in: AWS allows no second.
        let allowed = observed.database_rules.iter().chain(&observed.group_rules).any(|r| lets_in(r, group, port));
        if !allowed {
            let action = Action::AuthorizeRule {
                group: Ref::Existing(group.to_string()),
                egress: false,
                port,
                peer: RulePeer::Group(security_group.clone()),
                description: format!("airbyte-plink {}: the load balancer", desired.name),
                tags: desired.tags.clone(),
            };
            plan.push(action, creators(&[security_group]));
        }
    }
    let wanted = |rule: &GroupRule| groups.iter().any(|(group, port)| lets_in(rule, group, *port));
    for rule in observed.database_rules.iter().filter(|r| !wanted(r)) {
        plan.push(revoke(rule), Vec::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::TargetType;
    use crate::aws::{GroupRule, RegisteredTarget};
    use crate::engine::plan::{Change, Completion, Summary};
    use crate::testing::fixtures::{
        LOAD_BALANCER_ARN, SECURITY_GROUP_ID, converged, desired, rule, subnet, target, with_analytics,
    };

    fn actions(plan: &Plan) -> Vec<String> {
        plan.changes.iter().map(|c| serde_json::to_value(c).unwrap()["action"].as_str().unwrap().to_string()).collect()
    }

    fn contains(plan: &Plan, action: &Action) -> bool {
        plan.changes.iter().any(|c| &c.action == action)
    }

    #[test]
    fn an_idle_timeout_goes_back_to_awss_before_a_region_is_added_and_is_set_once_regions_are_removed() {
        // Same-region with 3600 s, then Airbyte in another region: back to 350 s first.
        let cross = desired();
        let mut observed = converged(&cross);
        observed.service.as_mut().unwrap().supported_regions.retain(|r| r.region == cross.region);
        set_idle_timeout(&mut observed, 3600);
        let planned = plan(&cross, &observed);
        let at = |plan: &Plan, pick: &dyn Fn(&Action) -> bool| plan.changes.iter().position(|c| pick(&c.action));
        let reset = at(&planned, &|a| matches!(a, Action::SetIdleTimeout { to: 350, .. })).expect("reset");
        let add = at(&planned, &|a| a.adds_supported_regions()).expect("region added");
        assert!(planned.changes[add].depends_on.contains(&reset), "{planned:?}");

        // Back to one region with 3600 s: set once the other region is removed.
        let mut same = desired();
        (same.supported_regions, same.idle_timeout) = (Vec::new(), 3600);
        let mut observed = converged(&cross);
        set_idle_timeout(&mut observed, 350);
        let planned = plan(&same, &observed);
        let remove = at(&planned, &|a| matches!(a, Action::UpdateEndpointService { remove_supported_regions, .. } if !remove_supported_regions.is_empty()))
            .expect("region removed");
        let set = at(&planned, &|a| matches!(a, Action::SetIdleTimeout { to: 3600, .. })).expect("set");
        assert!(planned.changes[set].depends_on.contains(&remove), "{planned:?}");
        assert_eq!(planned.check(), Ok(()));

        // Unchanged, nothing; a new listener gets it as it is created.
        set_idle_timeout(&mut observed, 3600);
        assert!(at(&plan(&same, &observed), &|a| matches!(a, Action::SetIdleTimeout { .. })).is_none());
        let fresh = plan(&same, &Observed::default());
        assert!(contains_listener_with(&fresh, Some(3600)));
        assert!(contains_listener_with(&plan(&cross, &Observed::default()), None));
    }

    fn set_idle_timeout(observed: &mut Observed, seconds: u32) {
        let listener = observed.listener().expect("a converged deployment has its listener").arn.clone();
        observed.idle_timeouts.insert(listener, seconds);
    }

    fn contains_listener_with(plan: &Plan, idle: Option<u32>) -> bool {
        plan.changes
            .iter()
            .any(|c| matches!(&c.action, Action::CreateListener { idle_timeout, .. } if *idle_timeout == idle))
    }

    #[test]
    fn another_database_gets_its_own_group_listener_and_rules_beside_the_service() {
        let one = desired();
        let two = with_analytics(desired());
        // Converged with both: nothing.
        assert!(plan(&two, &converged(&two)).is_empty(), "{:?}", plan(&two, &converged(&two)));
        // Added to a converged deployment of one: its group, targets, listener, the
        // outbound rule to it and its group's rule; nothing of the service changes.
        let added = plan(&two, &converged(&one));
        assert_eq!(
            added.changes.iter().map(|c| (&c.action, c.depends_on.as_slice())).collect::<Vec<_>>()[..4],
            [
                (
                    &Action::AuthorizeRule {
                        group: Ref::Existing(SECURITY_GROUP_ID.into()),
                        egress: true,
                        port: 3306,
                        peer: RulePeer::Group(Ref::Existing("sg-analytics".into())),
                        description: "airbyte-plink db: to the database".into(),
                        tags: two.tags.clone(),
                    },
                    &[][..]
                ),
                (
                    &Action::CreateTargetGroup {
                        name: "db-analytics".into(),
                        port: 3306,
                        target_type: TargetType::Ip,
                        vpc_id: "vpc-1".into(),
                        health_check: two.health_check,
                        tags: two.databases[0].target_group_tags.clone(),
                    },
                    &[][..]
                ),
                (
                    &Action::RegisterTargets {
                        target_group: Ref::CreatedBy(1),
                        targets: vec![TargetRef { port: 3306, ..target("10.0.2.9") }],
                    },
                    &[1][..]
                ),
                (
                    &Action::CreateListener {
                        load_balancer: Ref::Existing(LOAD_BALANCER_ARN.into()),
                        target_group: Ref::CreatedBy(1),
                        target_group_name: "db-analytics".into(),
                        port: 3307,
                        tags: two.tags.clone(),
                        idle_timeout: None,
                    },
                    &[1][..]
                ),
            ]
        );
        assert!(added.changes.iter().any(|c| matches!(&c.action,
            Action::AuthorizeRule { group: Ref::Existing(g), egress: false, port: 3306, .. } if g == "sg-analytics")));
        assert_eq!(added.changes.len(), 5, "{added:?}");
        assert_eq!(added.check(), Ok(()));
    }

    #[test]
    fn a_database_removed_from_the_spec_goes_in_place_listener_first() {
        let two = with_analytics(desired());
        let removed = plan(&desired(), &converged(&two));
        let listener = Action::DeleteListener { arn: "l-analytics".into(), port: 3307 };
        let group = Action::DeleteTargetGroup {
            name: "db-analytics".into(),
            arn: crate::testing::fixtures::database_target_group_arn("analytics"),
        };
        let at = |action: &Action| removed.changes.iter().position(|c| &c.action == action).expect("planned");
        assert_eq!(removed.changes[at(&group)].depends_on, [at(&listener)]);
        // Its outbound rule and its group's rule go too; nothing else.
        let revoked: Vec<&str> = removed
            .changes
            .iter()
            .filter_map(|c| match &c.action {
                Action::RevokeRule { group_id, .. } => Some(group_id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(revoked, [SECURITY_GROUP_ID, "sg-analytics"], "{removed:?}");
        assert_eq!(removed.changes.len(), 4, "{removed:?}");
        assert!(removed.replacements.is_empty());
    }

    #[test]
    fn a_group_of_that_name_someone_else_owns_is_named_not_adopted() {
        let two = with_analytics(desired());
        let mut observed = converged(&desired());
        observed.unowned_target_groups.push("db-analytics".into());
        let planned = plan(&two, &observed);
        assert_eq!(planned.replacements.len(), 1, "{planned:?}");
        assert!(planned.replacements[0].reason.contains("rename database analytics"), "{planned:?}");
    }

    #[test]
    fn nothing_yet_plans_the_whole_stack() {
        let plan = plan(&desired(), &Observed::default());
        assert_eq!(
            actions(&plan),
            [
                "create_security_group",
                "revoke_default_egress",
                "authorize_rule",
                "create_target_group",
                "register_targets",
                "create_load_balancer",
                "set_security_group",
                "set_cross_zone",
                "create_listener",
                "await_load_balancer",
                "create_endpoint_service",
                "update_allowed_principals"
            ]
        );
        assert_eq!(plan.summary(), Summary { add: 8, change: 3, remove: 0, replace: 0 });
        assert_eq!(plan.changes_to_make(), 11);
    }

    #[test]
    fn each_change_names_what_it_builds_on_and_when_it_is_complete() {
        let plan = plan(&desired(), &Observed::default());
        let depends: Vec<&[usize]> = plan.changes.iter().map(|c| c.depends_on.as_slice()).collect();
        // security group; AWS's allow-all outbound rule out of it; its outbound rule;
        // target group; its targets; load balancer in the group (beside the rules, not
        // after them); PrivateLink through the group; cross-zone; listener on both; the
        // load balancer active; the service on it, as soon as it is active; principals,
        // once the service is there and the group ready.
        assert_eq!(depends, [&[][..], &[0], &[0], &[], &[3], &[0], &[0, 5], &[5], &[3, 5], &[5], &[9], &[10, 1, 6]]);
        let waits: Vec<Completion> = plan.changes.iter().map(|c| c.complete_when).collect();
        assert_eq!(waits[5], Completion::Answered);
        assert_eq!(waits[9], Completion::LoadBalancerActive);
        assert_eq!(waits[10], Completion::ServiceAvailable);
        assert!(matches!(
            &plan.changes[11].action,
            Action::UpdateAllowedPrincipals { service: Ref::CreatedBy(10), .. }
        ));
        assert_eq!(plan.check(), Ok(()));
    }

    #[test]
    fn a_converged_deployment_plans_nothing() {
        let d = desired();
        assert!(plan(&d, &converged(&d)).is_empty());
    }

    #[test]
    fn another_health_check_is_changed_in_place() {
        let d = desired();
        let mut o = converged(&d);
        let before = crate::aws::HealthCheck::new(60, 5, 2);
        o.target_group.as_mut().unwrap().health_check = Some(before);
        let planned = plan(&d, &o);
        assert_eq!(planned.changes.len(), 1, "{planned:?}");
        assert_eq!(
            planned.changes[0].action,
            Action::SetHealthCheck {
                target_group: o.target_group.as_ref().unwrap().arn.clone(),
                name: "db".into(),
                from: Some(before),
                to: crate::aws::HealthCheck::FOR_DATABASES,
            }
        );
        assert!(planned.replacements.is_empty());
    }

    #[test]
    fn cross_zone_off_needs_no_call_on_a_new_load_balancer() {
        let d = Desired { cross_zone: false, ..desired() };
        assert!(!actions(&plan(&d, &Observed::default())).contains(&"set_cross_zone".to_string()));
    }

    #[test]
    fn target_changes_register_new_and_deregister_stale() {
        let d = desired();
        let mut observed = converged(&d);
        observed.targets =
            vec![RegisteredTarget { target: target("10.0.1.9"), health: "healthy".into(), reason: None }];
        let plan = plan(&d, &observed);
        let target_group = Ref::Existing(observed.target_group.unwrap().arn);
        assert_eq!(
            plan.changes,
            [
                Change::new(
                    Action::RegisterTargets { target_group: target_group.clone(), targets: vec![target("10.0.1.5")] },
                    vec![]
                ),
                // Deregistered only once the new address is in.
                Change::new(Action::DeregisterTargets { target_group, targets: vec![target("10.0.1.9")] }, vec![0]),
            ]
        );
    }

    #[test]
    fn a_service_is_built_only_after_the_subnets_it_lands_on_are_set() {
        // A setup cut off after its load balancer, run again with another subnet.
        let mut d = desired();
        d.subnets.push(subnet("subnet-c", "az3", "10.0.3.0/24"));
        let mut observed = converged(&desired());
        observed.service = None;
        observed.load_balancer.as_mut().unwrap().state = "provisioning".into();
        let plan = plan(&d, &observed);
        let at = |pick: fn(&Action) -> bool| plan.changes.iter().position(|c| pick(&c.action)).unwrap();
        let subnets = at(|a| matches!(a, Action::SetSubnets { .. }));
        let wait = at(|a| matches!(a, Action::AwaitLoadBalancer { .. }));
        let service = at(|a| matches!(a, Action::CreateEndpointService { .. }));
        assert_eq!(plan.changes[wait].depends_on, [subnets]);
        assert_eq!(plan.changes[service].depends_on, [wait]);
    }

    #[test]
    fn a_service_is_handed_over_only_once_available_again() {
        let d = desired();
        // A modification makes AWS apply it asynchronously: the change completes when
        // the service is Available again.
        let other_region = Desired { supported_regions: vec!["eu-west-3".into()], ..desired() };
        let modified = plan(&other_region, &converged(&d));
        let update = modified.changes.iter().find(|c| matches!(c.action, Action::UpdateEndpointService { .. }));
        assert_eq!(update.map(|c| c.complete_when), Some(Completion::ServiceAvailable));
        // A service left Pending (a setup cut off, or changed by hand) is waited for.
        let mut pending = converged(&d);
        pending.service.as_mut().unwrap().state = "Pending".into();
        let wait = plan(&d, &pending);
        assert_eq!(
            wait.changes.iter().map(|c| (&c.action, c.complete_when)).collect::<Vec<_>>(),
            [(&Action::AwaitEndpointService { service: "vpce-svc-1".into() }, Completion::ServiceAvailable)]
        );
        assert_eq!(wait.summary(), Summary::default(), "a wait changes nothing");
    }

    /// A converged deployment whose supported regions AWS lists in these states.
    fn with_regions(d: &Desired, regions: &[(&str, &str)]) -> Observed {
        let mut observed = converged(d);
        let service = observed.service.as_mut().unwrap();
        service.supported_regions = [(d.region.as_str(), "Available")]
            .iter()
            .chain(regions)
            .map(|(region, state)| crate::aws::SupportedRegion::new(region, state))
            .collect();
        observed
    }

    fn update(service: &str, add: &[&str], remove: &[&str]) -> Action {
        Action::UpdateEndpointService {
            service: service.into(),
            acceptance_required: None,
            add_supported_regions: add.iter().map(|r| r.to_string()).collect(),
            remove_supported_regions: remove.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn regions_aws_is_still_adding_or_removing_are_waited_for_not_changed_again() {
        let d = desired(); // Airbyte in us-east-1
        let await_service = Change::new(Action::AwaitEndpointService { service: "vpce-svc-1".into() }, vec![]);
        for regions in [
            vec![("us-east-1", "Pending")],
            vec![("us-east-1", "Available"), ("eu-west-3", "Deleting")],
            vec![("us-east-1", "Pending"), ("eu-west-3", "Deleting")],
        ] {
            assert_eq!(
                plan(&d, &with_regions(&d, &regions)).changes,
                std::slice::from_ref(&await_service),
                "{regions:?}"
            );
        }
        // Settled ones need nothing: Deleted is absent, and not removed again.
        let settled = with_regions(&d, &[("us-east-1", "Available"), ("eu-west-3", "Deleted")]);
        assert!(plan(&d, &settled).is_empty());
    }

    #[test]
    fn a_removed_region_is_added_again_and_a_failed_one_removed_first() {
        let d = desired();
        // Deleted: added again at once.
        let deleted = plan(&d, &with_regions(&d, &[("us-east-1", "Deleted")]));
        assert_eq!(deleted.changes, [Change::new(update("vpce-svc-1", &["us-east-1"], &[]), vec![])]);
        // Still being removed: added once AWS has finished.
        let deleting = plan(&d, &with_regions(&d, &[("us-east-1", "Deleting")]));
        assert_eq!(
            deleting.changes,
            [
                Change::new(Action::AwaitEndpointService { service: "vpce-svc-1".into() }, vec![]),
                Change::new(update("vpce-svc-1", &["us-east-1"], &[]), vec![0]),
            ]
        );
        // Failed or Closed: removed, then added again once the removal is done; an
        // unwanted one is only removed.
        for state in ["Failed", "Closed"] {
            let failed = plan(&d, &with_regions(&d, &[("us-east-1", state), ("eu-west-3", state)]));
            assert_eq!(
                failed.changes,
                [
                    Change::new(update("vpce-svc-1", &[], &["us-east-1", "eu-west-3"]), vec![]),
                    Change::new(update("vpce-svc-1", &["us-east-1"], &[]), vec![0]),
                ],
                "{state}"
            );
            assert_eq!(failed.check(), Ok(()));
        }
    }

    #[test]
    fn a_zone_added_to_the_load_balancer_is_enabled_for_its_service_after() {
        let d = Desired {
            subnets: [desired().subnets, vec![subnet("subnet-c", "az3", "10.0.3.0/24")]].concat(),
            ..desired()
        };
        let planned = plan(&d, &converged(&desired()));
        let actions: Vec<&Action> = planned.changes.iter().map(|c| &c.action).collect();
        assert!(matches!(actions[..], [Action::SetSubnets { .. }, Action::EnableServiceZones { .. }]), "{actions:#?}");
        assert_eq!(
            planned.changes[1],
            Change::new(
                Action::EnableServiceZones {
                    service: Ref::Existing("vpce-svc-1".into()),
                    zones: vec!["usw2-az3".into()]
                },
                vec![0]
            )
        );
        assert_eq!(planned.changes[1].complete_when, Completion::ServiceInZones);
        // The load balancer has it, the service not yet (a setup cut off in between).
        let mut behind = converged(&d);
        behind.service.as_mut().unwrap().availability_zone_ids.retain(|z| z != "usw2-az3");
        assert_eq!(
            plan(&d, &behind).changes,
            [Change::new(
                Action::EnableServiceZones {
                    service: Ref::Existing("vpce-svc-1".into()),
                    zones: vec!["usw2-az3".into()]
                },
                vec![]
            )]
        );
        assert!(plan(&d, &converged(&d)).is_empty());
    }

    #[test]
    fn a_subnet_replaced_within_its_zone_is_removed_first_and_its_successor_added_after() {
        // A setup cut off before its service, run again with another subnet in az2 and
        // a new one in az3.
        let mut d = desired();
        d.subnets[1] = subnet("subnet-b2", "az2", "10.0.5.0/24");
        d.subnets.push(subnet("subnet-c", "az3", "10.0.3.0/24"));
        let mut observed = converged(&desired());
        observed.service = None;
        let planned = plan(&d, &observed);
        let set = |from: &[&str], to: &[&str]| Action::SetSubnets {
            load_balancer: LOAD_BALANCER_ARN.into(),
            name: d.name.clone(),
            from: from.iter().map(|s| s.to_string()).collect(),
            to: to.iter().map(|s| s.to_string()).collect(),
        };
        let subnet_changes: Vec<&Change> =
            planned.changes.iter().filter(|c| matches!(c.action, Action::SetSubnets { .. })).collect();
        assert_eq!(
            subnet_changes,
            [
                &Change::new(set(&["subnet-a", "subnet-b"], &["subnet-a", "subnet-c"]), vec![]),
                &Change::new(set(&["subnet-a", "subnet-c"], &["subnet-a", "subnet-b2", "subnet-c"]), vec![0]),
            ]
        );
        // The removal completes only once AWS no longer lists the old subnet; the service
        // is built on the load balancer as it ends up.
        assert_eq!(subnet_changes[0].complete_when, Completion::SubnetsSet);
        assert_eq!(subnet_changes[1].complete_when, Completion::Answered);
        let service = planned.changes.iter().position(|c| matches!(c.action, Action::CreateEndpointService { .. }));
        assert_eq!(planned.changes[service.unwrap()].depends_on, [1]);
        assert_eq!(planned.check(), Ok(()));

        // Its only subnet cannot go first: explained instead.
        d.subnets = vec![subnet("subnet-a2", "az1", "10.0.6.0/24")];
        observed.load_balancer.as_mut().unwrap().subnet_ids = vec!["subnet-a".into()];
        let refused = plan(&d, &observed);
        assert!(refused.replacements[0].reason.contains("keep one of subnet-a in --subnets"), "{refused:?}");
    }

    #[test]
    fn a_subnet_cannot_be_removed_while_the_service_exists() {
        let mut d = desired();
        d.subnets[1] = subnet("subnet-b2", "az2", "10.0.5.0/24");
        let plan = plan(&d, &converged(&desired()));
        assert_eq!(plan.replacements.len(), 1);
        assert!(plan.replacements[0].reason.contains("keep subnet-b in --subnets"), "{:?}", plan.replacements);
        assert!(!plan.changes.iter().any(|c| matches!(c.action, Action::SetSubnets { .. })));
    }

    #[test]
    fn settings_changes_are_in_place() {
        let mut d = desired();
        d.subnets.push(subnet("subnet-c", "az3", "10.0.3.0/24"));
        d.acceptance_required = false;
        d.supported_regions = vec!["eu-west-3".into()];
        d.principals = vec!["arn:aws:iam::444455556666:root".into()];
        let observed = converged(&desired());
        let plan = plan(&d, &observed);
        assert!(plan.replacements.is_empty());
        let lb = observed.load_balancer.as_ref().unwrap().arn.clone();
        let service = observed.service.as_ref().unwrap().id.clone();
        assert!(contains(
            &plan,
            &Action::SetSubnets {
                load_balancer: lb,
                name: d.name.clone(),
                from: vec!["subnet-a".into(), "subnet-b".into()],
                to: vec!["subnet-a".into(), "subnet-b".into(), "subnet-c".into()]
            }
        ));
        assert!(contains(
            &plan,
            &Action::UpdateEndpointService {
                service: service.clone(),
                acceptance_required: Some(false),
                add_supported_regions: vec!["eu-west-3".into()],
                remove_supported_regions: vec!["us-east-1".into()],
            }
        ));
        assert!(contains(
            &plan,
            &Action::UpdateAllowedPrincipals {
                service: Ref::Existing(service),
                add: vec!["arn:aws:iam::444455556666:root".into()],
                remove: vec!["arn:aws:iam::111122223333:root".into()],
            }
        ));
    }

    #[test]
    fn immutable_settings_need_a_replacement_with_the_reason() {
        let d = Desired { port: 3306, target_type: TargetType::Instance, ..desired() };
        let plan = plan(&d, &converged(&desired()));
        let reasons: Vec<&str> = plan.replacements.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(
            reasons,
            ["its target type cannot change (ip → instance)", "its port is fixed when it is created (5432 → 3306)"]
        );
        assert!(
            plan.changes.iter().any(|c| matches!(c.action, Action::UpdateListener { from_port: 5432, port: 3306, .. }))
        );
    }

    #[test]
    fn the_load_balancer_gets_its_own_group_and_the_database_lets_only_that_group_in() {
        let d = Desired { database_group: Some("sg-db".into()), ..desired() };
        let planned = plan(&d, &Observed::default());
        let at = |pick: fn(&Action) -> bool| planned.changes.iter().position(|c| pick(&c.action)).unwrap();
        let group = at(|a| matches!(a, Action::CreateSecurityGroup { .. }));
        let load_balancer = at(|a| matches!(a, Action::CreateLoadBalancer { .. }));
        let set = at(|a| matches!(a, Action::SetSecurityGroup { .. }));
        let service = at(|a| matches!(a, Action::CreateEndpointService { .. }));
        // Created with the group, which then lets PrivateLink traffic through while the
        // service is built on it; Airbyte is let in once both are done, and the group has
        // lost AWS's allow-all outbound rule.
        let closed = at(|a| matches!(a, Action::RevokeDefaultEgress { .. }));
        let principals = at(|a| matches!(a, Action::UpdateAllowedPrincipals { .. }));
        assert!(matches!(&planned.changes[load_balancer].action,
            Action::CreateLoadBalancer { security_group: Ref::CreatedBy(g), .. } if *g == group));
        assert_eq!(planned.changes[load_balancer].depends_on, [group]);
        assert_eq!(planned.changes[closed].depends_on, [group]);
        assert_eq!(planned.changes[set].depends_on, [group, load_balancer]);
        assert!(!planned.changes[service].depends_on.contains(&set));
        assert!([service, set, closed].iter().all(|c| planned.changes[principals].depends_on.contains(c)));
        // Outbound only to the database; the database's group lets the group in.
        let rules: Vec<(bool, &RulePeer)> = planned
            .changes
            .iter()
            .filter_map(|c| match &c.action {
                Action::AuthorizeRule { egress, peer, port: 5432, .. } => Some((*egress, peer)),
                _ => None,
            })
            .collect();
        assert_eq!(
            rules,
            [(true, &RulePeer::Cidr("10.0.0.0/16".into())), (false, &RulePeer::Group(Ref::CreatedBy(group)))]
        );
        assert_eq!(planned.check(), Ok(()));
        assert!(plan(&d, &converged(&d)).is_empty());
    }

    #[test]
    fn anything_more_on_the_groups_goes_and_a_load_balancer_without_one_needs_a_replacement() {
        let d = Desired { database_group: Some("sg-db".into()), ..desired() };
        let mut observed = converged(&d);
        // Someone lets the VPC in on the load balancer's group, and everything out.
        let cidr = |c: &str| Peer::Cidr(c.into());
        observed.security_group_rules.push(rule("sgr-in", SECURITY_GROUP_ID, false, 5432, cidr("10.0.0.0/8"), &d.tags));
        observed.security_group_rules.push(GroupRule {
            protocol: "-1".into(),
            ..rule("sgr-all", SECURITY_GROUP_ID, true, 0, cidr("0.0.0.0/0"), &crate::aws::Tags::new())
        });
        // A rule of ours in another group, left from an earlier database group.
        observed.database_rules.push(rule(
            "sgr-old",
            "sg-old",
            false,
            5432,
            Peer::Group(SECURITY_GROUP_ID.into()),
            &d.tags,
        ));
        // PrivateLink traffic filtered again.
        observed.load_balancer.as_mut().unwrap().privatelink_inbound_rules = Some("on".into());
        let planned = plan(&d, &observed);
        let revoked: Vec<&str> = planned
            .changes
            .iter()
            .filter_map(|c| match &c.action {
                Action::RevokeRule { rule_id, .. } => Some(rule_id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(revoked, ["sgr-in", "sgr-all", "sgr-old"]);
        assert!(planned.changes.iter().any(|c| matches!(c.action, Action::SetSecurityGroup { .. })));

        let mut without = converged(&d);
        without.load_balancer.as_mut().unwrap().security_groups.clear();
        let replaced = plan(&d, &without);
        assert!(replaced.replacements[0].reason.contains("no security group"), "{:?}", replaced.replacements);
    }

    #[test]
    fn missing_tags_are_added_but_a_newer_version_tag_is_not_drift() {
        let mut d = desired();
        for tags in [&mut d.tags, &mut d.target_group_tags, &mut d.service_tags] {
            tags.insert("team".into(), "data".into());
        }
        let mut observed = converged(&desired());
        observed.load_balancer_tags.insert(tags::VERSION.into(), "0.0.1".into());
        let plan = plan(&d, &observed);
        // The security group, target group, load balancer and endpoint service.
        assert_eq!(plan.changes.len(), 4, "{:?}", plan.changes);
        assert!(plan.changes.iter().all(
            |c| matches!(&c.action, Action::TagResource { tags, .. } if tags.len() == 1 && tags["team"] == "data")
        ));
    }

    #[test]
    fn changes_to_a_resource_that_lost_its_managed_by_tag_wait_for_it_to_be_put_back() {
        let mut d = desired();
        d.cross_zone = false;
        d.acceptance_required = false;
        d.principals.push("arn:aws:iam::444455556666:root".into());
        let mut observed = converged(&desired());
        observed.load_balancer_tags.remove(tags::MANAGED_BY);
        observed.service.as_mut().unwrap().tags.remove(tags::MANAGED_BY);
        let planned = plan(&d, &observed);
        let at = |pick: fn(&Action) -> bool| planned.changes.iter().position(|c| pick(&c.action)).unwrap();
        let repair = |resource: &'static str| {
            planned.changes.iter().position(
                |c| matches!(&c.action, Action::TagResource { resource: r, tags, .. } if r == resource && tags.contains_key(tags::MANAGED_BY)),
            )
        };
        let (lb_repair, service_repair) = (repair("load balancer").unwrap(), repair("endpoint service").unwrap());
        assert_eq!(planned.changes[at(|a| matches!(a, Action::SetCrossZone { .. }))].depends_on, [lb_repair]);
        assert_eq!(
            planned.changes[at(|a| matches!(a, Action::UpdateEndpointService { .. }))].depends_on,
            [service_repair]
        );
        assert_eq!(
            planned.changes[at(|a| matches!(a, Action::UpdateAllowedPrincipals { .. }))].depends_on,
            [service_repair]
        );
        assert_eq!(planned.check(), Ok(()));
        // A tag that is not ownership is added alongside, holding nothing up.
        d.tags.insert("team".into(), "data".into());
        let alongside = plan(&d, &converged(&desired()));
        assert!(alongside.changes.iter().any(|c| matches!(c.action, Action::TagResource { .. })));
        assert!(alongside.changes.iter().all(|c| c.depends_on.is_empty()), "{:?}", alongside.changes);
    }

    #[test]
    fn a_tagged_service_on_another_load_balancer_blocks_the_plan() {
        let d = desired();
        let mut observed = converged(&d);
        let mut stray = observed.service.take().unwrap();
        stray.load_balancer_arns = vec!["arn:aws:elasticloadbalancing:us-west-2:1:loadbalancer/net/db/old".into()];
        observed.stray_services = vec![stray];
        let plan = plan(&d, &observed);
        assert_eq!(plan.replacements.len(), 1);
        assert!(plan.replacements[0].reason.contains("delete it"), "{:?}", plan.replacements);
    }
}
