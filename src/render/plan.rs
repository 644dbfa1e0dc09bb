//! The plan as people read it: Terraform's `+ ~ -` with a one-line summary.

use std::fmt::Write;

use console::style;

use crate::aws::TargetRef;
use crate::engine::deployment::desired::Desired;
use crate::engine::plan::events::Step;
use crate::engine::plan::{Action, Completion, Effect, Plan, Ref, RulePeer};

/// `target group a` or `target groups a, b`.
fn target_groups<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.as_slice() {
        [one] => format!("target group {one}"),
        many => format!("target groups {}", many.join(", ")),
    }
}

/// One line saying what a change does, without its symbol; also the label of its
/// progress step.
pub fn describe(action: &Action, deployment: &str) -> String {
    let name = deployment;
    match action {
        Action::CreateTargetGroup { name, port, target_type, .. } => {
            format!("target group {name}: TCP {port}, {} targets", target_type.as_str())
        }
        Action::SetHealthCheck { name, from, to, .. } => match from {
            Some(from) => format!("target group {name} health check: {from} → {to}"),
            None => format!("target group {name} health check: {to}"),
        },
        Action::RegisterTargets { targets, .. } => format!("register targets {}", targets_list(targets)),
        Action::DeregisterTargets { targets, .. } => format!("deregister targets {}", targets_list(targets)),
        Action::CreateLoadBalancer { name, subnets, .. } => {
            let zones: Vec<&str> = subnets.iter().map(|s| s.az_id.as_str()).collect();
            format!("internal network load balancer {name} in {}", zones.join(", "))
        }
        Action::AwaitLoadBalancer { name, .. } => format!("wait for load balancer {name} to become active"),
        Action::SetSubnets { from, to, .. } => {
            format!("load balancer {name} subnets {} → {}", from.join(", "), to.join(", "))
        }
        Action::SetCrossZone { enabled, .. } => {
            format!("turn cross-zone load balancing {} for {name}", if *enabled { "on" } else { "off" })
        }
        Action::CreateListener { port, idle_timeout, target_group_name, .. } => {
            let group = if target_group_name.is_empty() { name } else { target_group_name };
            match idle_timeout {
                Some(seconds) => format!(
                    "TCP listener on port {port} → target group {group}; idle connections kept {seconds} s (AWS's default {} s)",
                    crate::aws::DEFAULT_IDLE_TIMEOUT
                ),
                None => format!("TCP listener on port {port} → target group {group}"),
            }
        }
        Action::SetIdleTimeout { port, from, to, .. } => {
            let why = match *to == crate::aws::DEFAULT_IDLE_TIMEOUT {
                true => " (AWS's default; cross-region access needs it)",
                false => "",
            };
            format!("listener port {port}: idle connections kept {from} s → {to} s{why}")
        }
        Action::UpdateListener { from_port, port, target_group_name, .. } => {
            let group = if target_group_name.is_empty() { name } else { target_group_name };
            format!("listener port {from_port} → {port}, forwarding to target group {group}")
        }
        Action::CreateEndpointService { acceptance_required, supported_regions, .. } => {
            let acceptance =
                if *acceptance_required { "acceptance required" } else { "connections accepted automatically" };
            let regions = if supported_regions.is_empty() {
                String::new()
            } else {
                format!("; cross-region from {}", supported_regions.join(", "))
            };
            format!("endpoint service on {name} ({acceptance}{regions})")
        }
        Action::UpdateEndpointService {
            acceptance_required, add_supported_regions, remove_supported_regions, ..
        } => {
            let mut parts = Vec::new();
            if let Some(required) = acceptance_required {
                parts.push(format!("acceptance required {}", if *required { "on" } else { "off" }));
            }
            if !add_supported_regions.is_empty() {
                parts.push(format!("add supported region {}", add_supported_regions.join(", ")));
            }
            if !remove_supported_regions.is_empty() {
                parts.push(format!("remove supported region {}", remove_supported_regions.join(", ")));
            }
            format!("endpoint service: {}", parts.join("; "))
        }
        Action::AwaitEndpointService { service } => format!("wait for endpoint service {service} to become available"),
        Action::EnableServiceZones { zones, .. } => {
            format!("enable the endpoint service in every zone of the load balancer ({})", zones.join(", "))
        }
        Action::UpdateAllowedPrincipals { add, remove, .. } => {
            let mut parts = Vec::new();
            if !add.is_empty() {
                parts.push(format!("allow {}", add.join(", ")));
            }
            if !remove.is_empty() {
                parts.push(format!("disallow {}", remove.join(", ")));
            }
            format!("endpoint service principals: {}", parts.join("; "))
        }
        Action::CreateSecurityGroup { name, .. } => {
            format!("security group {name} for the load balancer: no inbound rule")
        }
        Action::RevokeDefaultEgress { name, .. } => {
            format!("security group {name}: outbound only as its rules say (AWS's allow-all rule removed)")
        }
        Action::SetSecurityGroup { name, .. } => {
            format!(
                "load balancer {name}: its own security group only, PrivateLink traffic not filtered by inbound rules"
            )
        }
        Action::AuthorizeRule { group, egress: true, port, peer, .. } => {
            format!("{}: allow TCP {port} out to {}", group_name(group, name), peer_name(peer, name))
        }
        Action::AuthorizeRule { group, egress: false, port, peer, .. } => {
            format!("{}: allow TCP {port} in from {}", group_name(group, name), peer_name(peer, name))
        }
        Action::RevokeRule { group_id, rule_id, peer, .. } => {
            format!("security group {group_id}: remove rule {rule_id} ({peer})")
        }
        Action::DeleteSecurityGroup { id, name } => format!("delete security group {name} ({id})"),
        Action::TagResource { resource, id, tags } => {
            let tags: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("tags on {resource} {id}: {}", tags.join(", "))
        }
        Action::AcceptConnections { service_id, endpoint_ids } => {
            format!("accept connections {} to {service_id}", endpoint_ids.join(", "))
        }
        Action::RejectConnections { service_id, endpoint_ids } => {
            format!("reject connections {} to {service_id}", endpoint_ids.join(", "))
        }
        Action::DeleteEndpointService { id, name, .. } => format!("delete endpoint service {id} ({name})"),
        Action::DeleteListener { port, .. } => format!("delete TCP listener on port {port} of {name}"),
        Action::DeleteLoadBalancer { name, .. } => format!("delete network load balancer {name}"),
        Action::DeleteTargetGroup { name, .. } => format!("delete target group {name}"),
        Action::CreateFollowerRole { name, .. } => format!("IAM role {name} for the follower (Lambda assumes it)"),
        Action::SetFollowerPolicy { role_name, more_target_groups, .. } => {
            // Each other group as its ARN pattern names it: `…:targetgroup/<name>/*`.
            let others =
                more_target_groups.iter().filter_map(|arn| arn.split("targetgroup/").nth(1)?.split('/').next());
            let groups = target_groups(std::iter::once(name).chain(others));
            format!("role {role_name} policy: register and deregister targets of {groups} only")
        }
        Action::CreateFollowerLogGroup { name, retention_days, .. } => {
            format!("log group {name}, kept {retention_days} days")
        }
        Action::CreateFollower { name, settings, .. } => {
            let more = settings.environment.get(crate::engine::deployment::follower::MORE_GROUPS_VARIABLE);
            let others: Vec<serde_json::Value> = more.and_then(|m| serde_json::from_str(m).ok()).unwrap_or_default();
            let groups =
                target_groups(std::iter::once(deployment).chain(others.iter().filter_map(|g| g["name"].as_str())));
            let whose = if others.is_empty() { "database's" } else { "databases'" };
            format!("Lambda function {name}: keeps {groups} on the {whose} current addresses")
        }
        Action::AwaitFollower { name } => format!("wait for Lambda function {name} to become active"),
        Action::UpdateFollowerCode { name } => format!("Lambda function {name}: this release's code"),
        Action::UpdateFollowerSettings { name, .. } => format!("Lambda function {name}: settings"),
        Action::PutFollowerRule { name, trigger, .. } => match trigger {
            crate::aws::follower::Trigger::Schedule(rate) => format!("EventBridge rule {name}: {rate}"),
            crate::aws::follower::Trigger::Events(_) => format!("EventBridge rule {name}: the database's RDS events"),
        },
        Action::ConnectFollowerRule { rule, .. } => format!("EventBridge rule {rule} runs the follower"),
        Action::PutAlarm { name, topics, .. } if topics.is_empty() => {
            format!("CloudWatch alarm {name}: no healthy target in {deployment}")
        }
        Action::PutAlarm { name, topics, .. } => {
            format!("CloudWatch alarm {name}: no healthy target in {deployment}, told to {}", topics.join(", "))
        }
        Action::DeleteFollowerRule { name, .. } => format!("delete EventBridge rule {name}"),
        Action::DeleteFollower { name } => format!("delete Lambda function {name}"),
        Action::DeleteFollowerRole { name, .. } => format!("delete IAM role {name}"),
        Action::DeleteFollowerLogGroup { name } => format!("delete log group {name}"),
        Action::DeleteAlarm { name } => format!("delete CloudWatch alarm {name}"),
    }
}

/// More about a change, shown under it in the plan: what a person checks before saying
/// yes, kept off the one-line label so each line fits a terminal.
fn details(action: &Action, desired: &Desired) -> Vec<String> {
    match action {
        Action::CreateTargetGroup { vpc_id, health_check, .. } => {
            vec![format!("in {vpc_id}"), format!("TCP health check {health_check}")]
        }
        Action::CreateLoadBalancer { subnets, .. } => subnets
            .iter()
            .map(|s| {
                let cidr = desired.subnets.iter().find(|d| d.id == s.subnet_id).map(|d| d.cidr.as_str()).unwrap_or("");
                format!("{} {} ({}) {cidr}", s.subnet_id, s.az_id, s.az_name)
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A group a rule is in or refers to: the load balancer's, made by this plan, or by ID.
fn group_name(group: &Ref, deployment: &str) -> String {
    match group {
        // Made by this plan, named after the deployment (engine::desired).
        Ref::CreatedBy(_) => format!("security group airbyte-plink-{deployment}"),
        Ref::Existing(id) => format!("security group {id}"),
    }
}

fn peer_name(peer: &RulePeer, deployment: &str) -> String {
    match peer {
        RulePeer::Cidr(cidr) => cidr.clone(),
        RulePeer::Group(group) => group_name(group, deployment),
    }
}

/// The label of a progress step.
pub fn step_label(step: Step, plan: &Plan, deployment: &str) -> String {
    let (Step::Change(index) | Step::Complete(index) | Step::Retry(index)) = step;
    let Some(change) = plan.changes.get(index) else { return format!("change {index}") };
    let action = describe(&change.action, deployment);
    match step {
        Step::Change(_) => action,
        Step::Complete(_) => match (change.complete_when, &change.action) {
            // The wait is the change: "wait for load balancer … to become active".
            (Completion::LoadBalancerActive, _) => action,
            (Completion::ServiceAvailable, _) => {
                format!("wait for the endpoint service of {deployment} to become available")
            }
            (Completion::Gone, Action::DeleteLoadBalancer { name, .. }) => {
                format!("wait for load balancer {name} to be gone")
            }
            (Completion::SubnetsSet, Action::SetSubnets { name, .. }) => {
                format!("wait for AWS to finish removing subnets from load balancer {name}")
            }
            _ => format!("wait until AWS completes: {action}"),
        },
        Step::Retry(_) => match change.action {
            Action::DeleteEndpointService { .. } => format!("wait for AWS to finish rejecting, then {action}"),
            _ => format!("wait for earlier deletions to finish, then {action}"),
        },
    }
}

fn targets_list(targets: &[TargetRef]) -> String {
    targets.iter().map(|t| format!("{}:{}", t.id, t.port)).collect::<Vec<_>>().join(", ")
}

pub fn symbol(effect: Effect) -> console::StyledObject<&'static str> {
    match effect {
        Effect::Add => style("+").green(),
        Effect::Change => style("~").yellow(),
        Effect::Remove => style("-").red(),
        Effect::Wait => style("…").dim(),
    }
    .for_stderr()
}

/// The whole plan, with warnings and the summary line.
pub fn render(plan: &Plan, desired: &Desired, warnings: &[String]) -> String {
    let heading = format!("Plan for deployment {} in {}:", style(&desired.name).bold().for_stderr(), desired.region);
    let empty = "No changes: the deployment matches the spec.";
    listing(&heading, empty, plan, &desired.name, |change| details(change, desired), warnings)
}

/// Teardown's plan: what will be removed, in the order it will be.
pub fn render_removal(plan: &Plan, deployment: &str, region: &str, warnings: &[String]) -> String {
    let heading = format!("Removal plan for deployment {} in {region}:", style(deployment).bold().for_stderr());
    let empty = "Nothing to remove: no resource tagged for this deployment exists.";
    listing(&heading, empty, plan, deployment, |_| Vec::new(), warnings)
}

fn listing(
    heading: &str,
    empty: &str,
    plan: &Plan,
    deployment: &str,
    details: impl Fn(&Action) -> Vec<String>,
    warnings: &[String],
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{heading}");
    if plan.is_empty() {
        let _ = writeln!(out, "  {empty}");
    }
    for change in &plan.changes {
        let _ = writeln!(out, "  {} {}", symbol(change.effect()), describe(&change.action, deployment));
        for detail in details(&change.action) {
            let _ = writeln!(out, "      {detail}");
        }
    }
    for replacement in &plan.replacements {
        let _ = writeln!(
            out,
            "  {} {} must be replaced: {}",
            style("-/+").red().for_stderr(),
            replacement.resource,
            replacement.reason
        );
    }
    for warning in warnings {
        let _ = writeln!(out, "  {} {warning}", style("!").yellow().bold().for_stderr());
    }
    let s = plan.summary();
    let _ = write!(out, "Plan: {} to add, {} to change, {} to remove", s.add, s.change, s.remove);
    if s.replace > 0 {
        let _ = write!(out, ", {} to replace", s.replace);
    }
    out.push('.');
    out
}

/// Snapshots of the plan as people read it (`cargo insta review` after a deliberate change).
#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::deployment::observe::Observed;
    use crate::engine::plan::planner::plan;
    use crate::engine::plan::removal::removal_plan;
    use crate::testing::fixtures::{connection, converged, desired, plain, subnet};

    #[test]
    fn a_new_deployment_adds_the_whole_stack() {
        let d = desired();
        insta::assert_snapshot!(plain(render(&plan(&d, &Observed::default()), &d, &[])));
    }

    #[test]
    fn a_converged_deployment_has_nothing_to_change() {
        let d = desired();
        insta::assert_snapshot!(plain(render(&plan(&d, &converged(&d)), &d, &[])));
    }

    #[test]
    fn changes_in_place_and_what_needs_a_replacement() {
        let mut d = desired();
        d.subnets.push(subnet("subnet-c", "az3", "10.0.3.0/24"));
        d.principals = vec!["arn:aws:iam::444455556666:root".into()];
        d.supported_regions = vec!["eu-west-3".into()];
        d.port = 3306;
        let warnings = ["the target group's port changes only with a new deployment".to_string()];
        insta::assert_snapshot!(plain(render(&plan(&d, &converged(&desired())), &d, &warnings)));
    }

    #[test]
    fn a_removal_rejects_airbytes_connection_first() {
        let d = desired();
        let mut observed = converged(&d);
        observed.connections.insert("vpce-svc-1".into(), vec![connection("vpce-0airbyte", "available")]);
        let warnings = ["Airbyte is connected: removing the service breaks its syncs".to_string()];
        insta::assert_snapshot!(plain(render_removal(&removal_plan(&observed), "db", "us-west-2", &warnings)));
    }
}
