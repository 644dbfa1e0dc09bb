//! Each database's part of setup's plan: its target group and targets, and its listener,
//! for the deployment's own database and each other one; and the removal, in place, of
//! a database no longer in the spec. Sync-targets registers targets this way too.

use std::collections::BTreeSet;

use crate::aws::{DEFAULT_IDLE_TIMEOUT, Listener, RegisteredTarget, Tags, TargetGroup, TargetRef, TargetType};
use crate::engine::deployment::desired::{Desired, DesiredDatabase};
use crate::engine::deployment::observe::Observed;
use crate::engine::deployment::tags;
use crate::engine::plan::{Action, Plan, Ref, Replacement, creators};

/// The target groups a plan makes or keeps: the deployment's own database's, and each
/// other database's, in the spec's order.
pub struct Groups {
    pub own: Ref,
    pub others: Vec<Ref>,
}

/// Plans every database's target group and targets.
pub fn plan_target_groups(desired: &Desired, observed: &Observed, plan: &mut Plan) -> Groups {
    let own = plan_target_group(desired, &own_group(desired), own_observed(observed), plan);
    let others = desired
        .databases
        .iter()
        .map(|d| {
            let found = observed.database(&d.name).map(|o| (&o.target_group, &o.tags, o.targets.as_slice()));
            if found.is_none() && observed.unowned_target_groups.contains(&d.target_group) {
                plan.replacements.push(Replacement {
                    resource: format!("target group {}", d.target_group),
                    reason: format!(
                        "it exists and is not this deployment's (no {} tag for database {}); rename database {} or \
                         delete that group",
                        tags::DATABASE,
                        d.name,
                        d.name
                    ),
                });
            }
            plan_target_group(desired, &database_group(d), found, plan)
        })
        .collect();
    Groups { own, others }
}

/// Plans every database's listener; returns each existing one with the port it will
/// have, whose idle timeout is planned after.
pub fn plan_listeners<'a>(
    desired: &Desired,
    observed: &'a Observed,
    load_balancer: &Ref,
    groups: &Groups,
    plan: &mut Plan,
) -> Vec<(&'a Listener, u16)> {
    let forwards_to_own =
        |l: &Listener| observed.target_group.as_ref().is_some_and(|tg| l.forward_to.as_deref() == Some(&tg.arn));
    let own = observed.listener().map(|l| (l, forwards_to_own(l)));
    let mut listeners =
        vec![plan_listener(desired, own, (desired.port, &desired.name), load_balancer, &groups.own, plan)];
    for (database, group) in desired.databases.iter().zip(&groups.others) {
        let listener = observed.database(&database.name).and_then(|o| observed.listener_of(o)).map(|l| (l, true));
        let listener = listener.or_else(|| stray_listener_on(observed, database.listener_port).map(|l| (l, false)));
        let wanted = (database.listener_port, database.target_group.as_str());
        listeners.push(plan_listener(desired, listener, wanted, load_balancer, group, plan));
    }
    listeners.into_iter().flatten().collect()
}

/// What a database's target group should be: the deployment's own, or another's.
struct WantedGroup<'a> {
    name: &'a str,
    port: u16,
    target_type: TargetType,
    tags: &'a Tags,
    targets: &'a [TargetRef],
}

fn own_group(desired: &Desired) -> WantedGroup<'_> {
    WantedGroup {
        name: &desired.name,
        port: desired.port,
        target_type: desired.target_type,
        tags: &desired.target_group_tags,
        targets: &desired.targets,
    }
}

fn database_group(database: &DesiredDatabase) -> WantedGroup<'_> {
    WantedGroup {
        name: &database.target_group,
        port: database.port,
        target_type: database.target_type,
        tags: &database.target_group_tags,
        targets: &database.targets,
    }
}

/// A target group as observed: itself, its tags, its targets.
type ObservedGroup<'a> = (&'a TargetGroup, &'a Tags, &'a [RegisteredTarget]);

fn own_observed(observed: &Observed) -> Option<ObservedGroup<'_>> {
    observed.target_group.as_ref().map(|tg| (tg, &observed.target_group_tags, observed.targets.as_slice()))
}

/// A listener on `port` of the load balancer that forwards to none of the deployment's
/// target groups (left by hand, or by a setup cut off): it is taken over, since AWS
/// allows no second listener on a port.
fn stray_listener_on(observed: &Observed, port: u16) -> Option<&Listener> {
    let ours = |arn: &str| {
        observed.target_group.as_ref().is_some_and(|tg| tg.arn == arn)
            || observed.databases.iter().any(|d| d.target_group.arn == arn)
    };
    let own = observed.listener().map(|l| l.arn.as_str());
    observed
        .listeners
        .iter()
        .find(|l| l.port == port && Some(l.arn.as_str()) != own && !l.forward_to.as_deref().is_some_and(ours))
}

/// Another database no longer in the spec: its listener goes, then its target group
/// (AWS deletes no group a listener forwards to). Its rules go with the others that are
/// no longer wanted.
pub fn plan_removed(desired: &Desired, observed: &Observed, plan: &mut Plan) {
    for database in observed.databases.iter().filter(|o| !desired.databases.iter().any(|d| d.name == o.name)) {
        let listener = observed
            .listener_of(database)
            .map(|l| plan.push(Action::DeleteListener { arn: l.arn.clone(), port: l.port }, Vec::new()));
        let tg = &database.target_group;
        plan.push(
            Action::DeleteTargetGroup { name: tg.name.clone(), arn: tg.arn.clone() },
            listener.into_iter().collect(),
        );
    }
}

/// Plans a target group and its targets; returns the target group.
fn plan_target_group(desired: &Desired, wanted: &WantedGroup, observed: Option<ObservedGroup>, plan: &mut Plan) -> Ref {
    let registered: BTreeSet<&TargetRef> = observed.iter().flat_map(|(_, _, t)| t.iter().map(|t| &t.target)).collect();
    let target_group = match observed {
        None => Ref::CreatedBy(plan.push(
            Action::CreateTargetGroup {
                name: wanted.name.to_string(),
                port: wanted.port,
                target_type: wanted.target_type,
                vpc_id: desired.vpc_id.clone(),
                health_check: desired.health_check,
                tags: wanted.tags.clone(),
            },
            Vec::new(),
        )),
        Some((tg, tg_tags, _)) => {
            let mut replace = |reason: String| {
                plan.replacements.push(Replacement { resource: format!("target group {}", tg.name), reason })
            };
            if tg.vpc_id != desired.vpc_id {
                replace(format!("its VPC cannot change ({} → {})", tg.vpc_id, desired.vpc_id));
            }
            if tg.target_type != wanted.target_type.as_str() {
                replace(format!(
                    "its target type cannot change ({} → {})",
                    tg.target_type,
                    wanted.target_type.as_str()
                ));
            }
            if tg.port != wanted.port {
                replace(format!("its port is fixed when it is created ({} → {})", tg.port, wanted.port));
            }
            plan.push_missing_tags("target group", &tg.arn, wanted.tags, tg_tags);
            if tg.health_check != Some(desired.health_check) {
                let action = Action::SetHealthCheck {
                    target_group: tg.arn.clone(),
                    name: tg.name.clone(),
                    from: tg.health_check,
                    to: desired.health_check,
                };
                plan.push(action, Vec::new());
            }
            Ref::Existing(tg.arn.clone())
        }
    };
    let wanted: BTreeSet<&TargetRef> = wanted.targets.iter().collect();
    let add: Vec<TargetRef> = wanted.difference(&registered).map(|t| (*t).clone()).collect();
    let remove: Vec<TargetRef> = registered.difference(&wanted).map(|t| (*t).clone()).collect();
    sync_targets(plan, &target_group, add, remove);
    target_group
}

/// Registers `add` and deregisters `remove`, registering first so a changed address
/// never leaves the group empty. Setup and sync-targets both change targets this way.
pub fn sync_targets(plan: &mut Plan, target_group: &Ref, add: Vec<TargetRef>, remove: Vec<TargetRef>) {
    let after_group = creators(&[target_group]);
    let mut registered = None;
    if !add.is_empty() {
        let action = Action::RegisterTargets { target_group: target_group.clone(), targets: add };
        registered = Some(plan.push(action, after_group.clone()));
    }
    if !remove.is_empty() {
        let action = Action::DeregisterTargets { target_group: target_group.clone(), targets: remove };
        plan.push(action, after_group.into_iter().chain(registered).collect());
    }
}

/// Plans a database's listener on `port`, forwarding to `target_group` (named
/// `group_name`), from the one that serves it now (and whether that forwards to its group
/// already); returns the existing listener with the port it will have, whose idle
/// timeout is then planned.
fn plan_listener<'a>(
    desired: &Desired,
    existing: Option<(&'a Listener, bool)>,
    (port, group_name): (u16, &str),
    load_balancer: &Ref,
    target_group: &Ref,
    plan: &mut Plan,
) -> Option<(&'a Listener, u16)> {
    match existing {
        None => {
            let action = Action::CreateListener {
                load_balancer: load_balancer.clone(),
                target_group: target_group.clone(),
                target_group_name: group_name.to_string(),
                port,
                tags: desired.tags.clone(),
                idle_timeout: (desired.idle_timeout != DEFAULT_IDLE_TIMEOUT).then_some(desired.idle_timeout),
            };
            plan.push(action, creators(&[load_balancer, target_group]));
            None
        }
        Some((listener, forwards_to_ours)) => {
            if listener.port != port || !forwards_to_ours || listener.protocol != "TCP" {
                let action = Action::UpdateListener {
                    listener: listener.arn.clone(),
                    target_group: target_group.clone(),
                    target_group_name: group_name.to_string(),
                    from_port: listener.port,
                    port,
                };
                plan.push(action, creators(&[target_group]));
            }
            Some((listener, port))
        }
    }
}
